"""Scale: generation cost grows linearly with schema size, and long ``$ref`` chains do not recurse.

Wall-clock time is never asserted (``tests/bench/bench_scale.py`` prints it);
what is asserted is the size of the work: the generated models per schema node
stay flat from 1k to 10k nodes, so do the subschema visits of the validator
compiler, and chains of thousands of ``$ref``s build models and compile working
validators.
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


class _CountingDict(dict):  # type: ignore[type-arg]
    """A dict that counts how many entries are looked at: one per lookup, ``len`` per scan."""

    visits = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        _CountingDict.visits += 1
        return super().__getitem__(key)

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        _CountingDict.visits += 1
        return super().get(key, default)

    def __contains__(self, key):  # type: ignore[no-untyped-def]
        _CountingDict.visits += 1
        return super().__contains__(key)

    def __iter__(self):  # type: ignore[no-untyped-def]
        _CountingDict.visits += len(self)
        return super().__iter__()

    def items(self):  # type: ignore[no-untyped-def]
        _CountingDict.visits += len(self)
        return super().items()

    def values(self):  # type: ignore[no-untyped-def]
        _CountingDict.visits += len(self)
        return super().values()

    def keys(self):  # type: ignore[no-untyped-def]
        _CountingDict.visits += len(self)
        return super().keys()


def _count_compile_visits(schema: dict, entry_pointers: list[tuple[str, ...]]) -> int:
    """Visits of compiled subschemas (and of the subschema graph) during one ``compile_module``.

    Every pass of the validator compiler looks subschemas up in ``Compiler.schemas`` or walks the
    graph built from it; counting those looks is a deterministic measure of the compiler's work
    (no clock): a walk per entry, as ``_direct`` once did, makes it grow with entries x nodes.
    """
    from generator.load import Document
    from generator.validation import Entry, build, compile_module
    from generator.validation.compiler import Compiler

    run = Compiler.run

    def counted_run(self: Compiler) -> None:
        run(self)
        self.schemas = _CountingDict(self.schemas)

    graph = build._subschema_graph
    doc = Document("scale.json", "file:///scale.json", schema, "")
    root = Node.root(doc, build_registry([doc]), Locations([(doc.path, schema)]))
    # as the pipeline does: one entry per root and per named definition (each model validates itself)
    entries = [Entry("root", root)] + [Entry(f"e{i}", root.child(*p), public=False) for i, p in enumerate(entry_pointers)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Compiler, "run", counted_run)
        patch.setattr(build, "_subschema_graph", lambda *args: _CountingDict(graph(*args)))
        _CountingDict.visits = 0
        compile_module(entries)
    return _CountingDict.visits


def test_validator_compile_work_grows_linearly() -> None:
    """Compiling validators looks at each subschema a bounded number of times, however many entries.

    Before the entries' direct bodies were decided in one pass, each entry walked the whole
    reachable graph: visits per node went from 28 at 1k nodes to 124 at 8k and 425 at 30k (a
    100k-node schema took minutes to compile); now they stay at about 18.
    """
    per_node = []
    for nodes in (1_000, 8_000):
        schema = synthetic_schema(nodes)
        visits = _count_compile_visits(schema, [("$defs", name) for name in schema["$defs"]])
        per_node.append(visits / count_nodes(schema))
    small, big = per_node
    assert big < 40, per_node
    assert big / small < 1.3, per_node


def test_pure_ref_chain_aliases_resolve_in_linear_work() -> None:
    """A chain of ``{"$ref": next}`` definitions: every link stands for the chain's end, found once
    (following each chain from each of its links was quadratic in lookups, cubic in time)."""
    n = 2_000
    defs: dict[str, object] = {f"D{i}": {"$ref": f"#/$defs/D{i + 1}"} for i in range(n)}
    defs[f"D{n}"] = {"type": "integer"}
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#/$defs/D0", "$defs": defs}
    visits = _count_compile_visits(schema, [("$defs", f"D{i}") for i in range(0, n, 100)])
    assert visits < 20 * n, visits


def _object_chain(n: int) -> dict:
    defs: dict[str, object] = {f"D{i}": {"type": "object", "properties": {"next": {"$ref": f"#/$defs/D{i + 1}"}}}
                               for i in range(n)}
    defs[f"D{n}"] = {"type": "object", "properties": {"end": {"type": "boolean"}}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Chain", "$ref": "#/$defs/D0",
            "$defs": defs}


def _nested(depth: int, leaf: object) -> dict:
    """``{"next": {"next": ... {"end": leaf}}}``, ``depth`` times ``next``."""
    instance: dict = {"end": leaf}
    for _ in range(depth):
        instance = {"next": instance}
    return instance


def _wrong(depth: int) -> object:
    """``{"next": {"next": ... "not an object"}}``: wrong at ``/next`` * ``depth``."""
    instance: object = "not an object"
    for _ in range(depth):
        instance = {"next": instance}
    return instance


def test_long_object_ref_chain_compiles_a_working_validator() -> None:
    """5000 single-use ``$ref``s, each an object whose ``next`` is the following one.

    Each link used once would be inlined into its parent: one function 5000 blocks deep, which
    the emitter built recursively (RecursionError) and Python cannot compile anyway (100
    indentation levels at most).  Inlining stops ``MAX_INLINE_LEVELS`` deep, so the chain
    becomes a chain of functions, each of bounded size.
    """
    from generator.validation import compile_validator
    from generator.validation.emit import MAX_INLINE_LEVELS

    n = 5_000
    v = compile_validator(_object_chain(n))
    assert v.is_valid(_nested(n, True))  # a call per MAX_INLINE_LEVELS levels: some 300 frames
    assert not v.is_valid(_nested(n, 1))
    assert v.is_valid({}) and not v.is_valid({"next": {"next": []}})
    errors = list(v.iter_errors(_wrong(300)))  # the error path recurses once per level
    assert [(e.instance_path, e.keyword) for e in errors] == [("/next" * 300, "type")]
    depth = max(len(line) - len(line.lstrip()) for line in v.source.splitlines()) // 4
    assert depth <= 2 * MAX_INLINE_LEVELS + 4, depth


def test_long_pure_ref_chain_compiles_a_working_validator() -> None:
    """20000 definitions that are only ``{"$ref": next}``: all aliases of the last one."""
    from generator.validation import compile_validator

    n = 20_000
    defs: dict[str, object] = {f"D{i}": {"$ref": f"#/$defs/D{i + 1}"} for i in range(n)}
    defs[f"D{n}"] = {"type": "integer", "minimum": 0}
    v = compile_validator({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#/$defs/D0",
                           "$defs": defs})
    assert v.is_valid(3) and not v.is_valid(-1) and not v.is_valid("x")
    assert v.source.count("\ndef _v_") <= 2, "the chain collapses to its end"
    with pytest.raises(v.ValidationError) as info:
        v.validate(-1)
    assert info.value.keyword == "minimum"


def test_deep_acyclic_call_chain_keeps_the_recursion_guard() -> None:
    """1500 definitions used twice each (so each is a function, not inlined): no cycle, yet an
    instance following the chain makes 1500 nested calls.  ``is_valid`` keeps its
    ``RecursionError`` guard (too deep = not valid, as for recursive schemas) instead of the
    unguarded direct body acyclic schemas get."""
    from generator.validation import compile_validator

    n = 1_500
    defs: dict[str, object] = {f"D{i}": {"type": "object", "properties": {
        "next": {"$ref": f"#/$defs/D{i + 1}"}, "also": {"$ref": f"#/$defs/D{i + 1}"}}} for i in range(n)}
    defs[f"D{n}"] = {"type": "object", "properties": {"end": {"type": "boolean"}}}
    v = compile_validator({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#/$defs/D0",
                           "$defs": defs})
    assert v.is_valid(_nested(20, True)) and not v.is_valid(_wrong(20))
    assert v.is_valid(_nested(n, True)) is False
    with pytest.raises(v.ValidationError) as info:
        v.validate(_nested(n, True))
    assert "deep" in info.value.message


@pytest.mark.parametrize("depth", [20, 80])
def test_nested_subschemas_are_checked_in_a_bounded_number_of_places(depth: int) -> None:
    """Each level of a deep inline nesting is checked by the fast path (inlined into
    ``is_valid_schema`` or its depth-capped continuation), its error function and the guard the
    error path calls before descending: three places, whatever the depth.  Guards used to inline
    up to ``MAX_INLINE_LEVELS`` levels each, so every level was checked in up to 18 places."""
    from generator.validation import compile_validator

    schema: dict[str, object] = {"type": "string"}
    for i in range(depth):
        schema = {"type": "array", "items": schema, "minItems": i + 1}
    validator = compile_validator(schema)
    for level in (1, depth // 2, depth):
        assert validator.source.count(f">= {level})") <= 3, level
    assert not validator.is_valid("s") and not validator.is_valid([])
    assert [e.keyword for e in validator.iter_errors([])] == ["minItems"]
