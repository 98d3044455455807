"""Scale: generation cost grows linearly with schema size, and long ``$ref`` chains do not recurse.

Wall-clock time is never asserted (``tests/bench/bench_scale.py`` prints it);
what is asserted is the size of the work: the generated models per schema node
stay flat from 1k to 10k nodes, and a chain of thousands of ``$ref`` builds.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from generator.build_ir import build_models
from generator.config import Target
from generator.load import load_document
from generator.pipeline import generate_files
from generator.resolve import Locations, Node, build_registry

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from bench_scale import count_nodes, synthetic_schema


def _models_ast_nodes(tmp_path: Path, nodes: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    # formatting changes layout, not the AST: skip black here (it would dominate the test's time)
    monkeypatch.setattr("generator.pipeline.format_many", lambda sources: dict(sources))
    schema = synthetic_schema(nodes)
    path = tmp_path / f"synthetic_{nodes}.json"
    path.write_text(json.dumps(schema))
    files = generate_files(Target(package="scale", out=tmp_path, schemas=(path,))).files
    tree = ast.parse(files["models.py"])
    return count_nodes(schema), sum(1 for _ in ast.walk(tree))


@pytest.mark.slow
def test_generated_models_grow_linearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small_nodes, small = _models_ast_nodes(tmp_path, 1_000, monkeypatch)
    big_nodes, big = _models_ast_nodes(tmp_path, 10_000, monkeypatch)
    assert big_nodes >= 9 * small_nodes
    per_small, per_big = small / small_nodes, big / big_nodes
    assert 0.8 < per_big / per_small < 1.25, (per_small, per_big)


def test_long_ref_chain_builds_without_deep_recursion(tmp_path: Path) -> None:
    """5000 definitions, each referring to the next: the IR is built from a worklist."""
    n = 5000
    defs = {f"D{i}": {"type": "object", "properties": {"next": {"$ref": f"#/$defs/D{i + 1}"}}} for i in range(n)}
    defs[f"D{n}"] = {"type": "object", "properties": {"end": {"type": "boolean"}}}
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Chain", "$ref": "#/$defs/D0",
              "$defs": defs}
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(schema))
    doc = load_document(path)
    registry = build_registry([doc])
    root = Node.root(doc, registry, Locations([(doc.path, doc.contents)]))
    roots, models, _ = build_models([doc], [root])  # the IR only: the validator compiler is not under test here
    assert len(models) == n + 1
    assert roots[0].model_id is not None
