"""JSON Schema's own metaschemas as input: draft 2020-12 (``$dynamicRef``, ``$vocabulary``, one
document per vocabulary) and draft-07, read from the ``jsonschema_specifications`` package that
jsonschema installs (never copied here).

The generated validator must agree with jsonschema's metaschema validator on every schema at
hand (the test corpus, the June schemas, schemastore's configurations when installed) and on
seeded random mutations of them; every schema it accepts round-trips exactly through the
generated models, which pass ``mypy --strict``.
"""

from __future__ import annotations

import copy
import importlib.resources
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_models_corpus import generate_into

ROOT = Path(__file__).resolve().parent.parent
SPECS = importlib.resources.files("jsonschema_specifications") / "schemas"
VOCABULARIES = ("applicator", "content", "core", "format-annotation", "meta-data", "unevaluated", "validation")


def _documents() -> list[Path]:
    found = sorted((ROOT / "tests" / "cases" / "models").rglob("*.json"))
    found += sorted((ROOT / "schemas" / "june").glob("*.schema.json"))
    try:
        from check_jsonschema.builtin_schemas import vendor
    except ImportError:
        return found
    # the largest ones take jsonschema seconds each and add nothing the others do not cover
    return found + sorted(p for p in Path(vendor.__file__).parent.glob("*.json") if p.stat().st_size < 150_000)


def _mutations(doc: Any, count: int, rng: random.Random) -> list[Any]:
    """``count`` copies of ``doc``, each with one value somewhere replaced by a value of
    another JSON type (a wrong keyword value, mostly)."""
    out = []
    for _ in range(count):
        copied = copy.deepcopy(doc)
        objects, todo = [], [copied]
        while todo:
            value = todo.pop()
            if isinstance(value, dict):
                objects.append(value)
                todo.extend(value.values())
            elif isinstance(value, list):
                todo.extend(value)
        target = rng.choice(objects) if objects else None
        if target:
            key = rng.choice(sorted(target))
            target[key] = rng.choice([1, -1, 1.5, "x", None, True, [], {}, ["a", "a"], {"type": 5}])
        out.append(copied)
    return out


@pytest.fixture(scope="module")
def metaschemas(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Any]:
    folder = tmp_path_factory.mktemp("metaschemas")
    inputs = folder / "in"
    inputs.mkdir()
    (inputs / "meta2020.json").write_text((SPECS / "draft202012" / "metaschema.json").read_text())
    for name in VOCABULARIES:
        (inputs / f"{name}.json").write_text((SPECS / "draft202012" / "vocabularies" / name).read_text())
    (inputs / "meta7.json").write_text((SPECS / "draft7" / "metaschema.json").read_text())
    out = folder / "out"
    new = generate_into(out, "meta2020", [inputs / "meta2020.json", *(inputs / f"{n}.json" for n in VOCABULARIES)])
    old = generate_into(out, "meta7", [inputs / "meta7.json"])
    return out, new, old


@pytest.mark.parametrize(("package", "stem", "reference"), [
    ("meta2020", "meta2020", jsonschema.Draft202012Validator),
    ("meta7", "meta7", jsonschema.Draft7Validator),
])
def test_metaschema_validator_agrees_with_jsonschema_and_models_round_trip(
        metaschemas: tuple[Path, Any, Any], package: str, stem: str, reference: Any) -> None:
    _, new, old = metaschemas
    pkg = new if package == "meta2020" else old
    oracle = reference(reference.META_SCHEMA)
    validate, model = pkg.VALIDATORS[stem], pkg.MODELS[stem]
    rng = random.Random(2020)
    seen = accepted = 0
    for path in _documents():
        doc = json.loads(path.read_text(encoding="utf-8"))
        for instance in [doc, *_mutations(doc, 8, rng)]:
            seen += 1
            expected = oracle.is_valid(instance)
            try:
                validate(instance)
            except pkg.ValidationError:
                assert not expected, f"{path.name}: rejected a schema jsonschema accepts"
                continue
            assert expected, f"{path.name}: accepted a schema jsonschema rejects"
            accepted += 1
            if isinstance(instance, dict):
                assert json.dumps(model.from_dict(instance).to_dict()) == json.dumps(instance), path.name
    assert seen > 200 and 0 < accepted < seen, (seen, accepted)


def test_metaschema_models_pass_mypy_strict(metaschemas: tuple[Path, Any, Any]) -> None:
    out, _, _ = metaschemas
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
                           "meta2020", "meta7"], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


PLUGIN = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Plugin",
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "config": {"$ref": "https://json-schema.org/draft/2020-12/schema"},
        "legacy": {"$ref": "http://json-schema.org/draft-07/schema#"},
    },
}


def test_refs_to_two_metaschemas(tmp_path: Path) -> None:
    """Schema-valued properties by ``$ref`` to two drafts' metaschemas: both documents are called
    ``schema``, and their models used to collide on the class name ``Schema`` (an error); they are
    named by the whole URL path now.  The package validates like jsonschema, round-trips, and passes
    mypy --strict."""
    (tmp_path / "plugin.json").write_text(json.dumps(PLUGIN))
    pkg = generate_into(tmp_path / "out", "plugin_pkg", [tmp_path / "plugin.json"])
    assert {"Draft202012Schema", "Draft07Schema", "Plugin"} <= set(dir(pkg.models))
    oracle = jsonschema.Draft202012Validator(PLUGIN)
    cases = [
        {"name": "x", "config": {"type": "object", "properties": {"a": {"type": "string"}}, "x-extra": 1},
         "legacy": {"type": "string", "definitions": {"a": True}}},
        {"name": "x", "config": True},
        {"name": "x", "config": {"type": "nope"}},
        {"name": "x", "config": {"$defs": {"a": {"$ref": "#"}}, "allOf": [{"minimum": 1}]},
         "legacy": {"items": [{"type": "string"}], "additionalItems": False}},
        {"name": "x", "config": {"$defs": {"a": {"$ref": 5}}}},
        {"name": "x", "config": {"properties": {"a": {"enum": [1, "a"]}}, "unevaluatedProperties": False}},
        {"name": "x", "legacy": {"dependencies": {"a": ["b"], "c": {"required": ["d"]}}, "if": {"minimum": 0}}},
        {"name": "x", "legacy": {"type": ["strnig"]}},
    ]
    for case in cases:
        valid = oracle.is_valid(case)
        assert pkg.is_valid_plugin(case) is valid, case
        if valid:
            assert json.dumps(pkg.Plugin.from_dict(case).to_dict()) == json.dumps(case)
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
                           "-p", "plugin_pkg"], cwd=tmp_path / "out", capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-5000:]
