"""Milestone 1: everything the June schemas use, through the real template.

Covers type (lists, integer vs bool, 1.0 as integer), properties, required,
additionalProperties (true/false/schema), anyOf of required lists (compiled
to ``"a" in x or "b" in x``), format as annotation, $ref/$defs, enum/const,
items, nested objects, error paths, and the public module surface
(``compile_module`` + ``validators.py.j2`` -> black -> mypy --strict / ruff).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GenerationError
from generator.format import format_python
from generator.load import Document
from generator.resolve import Locations, Node, build_registry
from generator.validation import Entry, compile_module, compile_validator
from generator.validation.api import render_source

# The project's own copies: schemas/june/ and the example payloads in tests/fixtures/june/.
_ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = {name: _ROOT / "schemas" / "june" / f"{name}.schema.json" for name in ("group", "identify", "page", "track")}
_FIX = _ROOT / "tests" / "fixtures" / "june"
EXAMPLES = {
    "group": _FIX / "june-group-company-example.json",
    "identify": _FIX / "june-identify-user-example.json",
    "page": _FIX / "june-page-view-example.json",
    "track": _FIX / "june-track-event-example.json",
}


def load(path: Path) -> object:
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def validators() -> dict[str, object]:
    return {name: compile_validator(load(path)) for name, path in SCHEMAS.items()}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_example_is_valid(validators, name):
    v = validators[name]
    example = load(EXAMPLES[name])
    assert v.is_valid(example)
    v.validate(example)
    assert list(v.iter_errors(example)) == []


def test_verdicts_agree_with_jsonschema(validators):
    import jsonschema

    for name, path in SCHEMAS.items():
        reference = jsonschema.Draft202012Validator(load(path))
        for example_path in EXAMPLES.values():
            example = load(example_path)
            assert validators[name].is_valid(example) == reference.is_valid(example), (name, example_path)


def test_missing_both_ids(validators):
    payload = load(EXAMPLES["group"])
    del payload["userId"]
    v = validators["group"]
    assert not v.is_valid(payload)
    errors = list(v.iter_errors(payload))
    assert [e.keyword for e in errors] == ["anyOf"]
    assert errors[0].instance_path == ""
    assert errors[0].schema_path == "/anyOf"
    with pytest.raises(v.ValidationError):
        v.validate(payload)


def test_anyof_of_required_compiles_to_membership(validators):
    assert "('userId' in x) or ('anonymousId' in x)" in validators["group"].source.replace('"', "'")


def test_wrong_type_deep_inside(validators):
    payload = load(EXAMPLES["group"])
    payload["traits"]["employees"] = "x"
    v = validators["group"]
    assert not v.is_valid(payload)
    (error,) = list(v.iter_errors(payload))
    assert error.instance_path == "/traits/employees"
    assert error.schema_path == "/properties/traits/properties/employees/type"
    assert error.keyword == "type"
    assert error.message == "'x' is not of type 'integer'"
    assert str(error) == (
        "'x' is not of type 'integer' (at /traits/employees; schema /properties/traits/properties/employees/type)"
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [(50, True), (50.0, True), (True, False), (False, False), (50.5, False), ("50", False), (None, False),
     (float("nan"), False), (float("inf"), False), (10**30, True)],
)
def test_integer_is_not_bool(validators, value, ok):
    payload = load(EXAMPLES["group"])
    payload["traits"]["employees"] = value
    assert validators["group"].is_valid(payload) is ok


def test_ref_defs_in_track(validators):
    payload = load(EXAMPLES["track"])
    payload["context"] = {"ip": 5}
    errors = list(validators["track"].iter_errors(payload))
    assert [(e.instance_path, e.schema_path) for e in errors] == [("/context/ip", "/$defs/context/properties/ip/type")]


def test_format_is_an_annotation(validators):
    payload = load(EXAMPLES["group"])
    payload["timestamp"] = "not a date"
    assert validators["group"].is_valid(payload)


def test_type_list_enum_const_items_additional():
    v = compile_validator({
        "type": "object",
        "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"enum": ["x", "y", 1]},
            "c": {"const": {"k": [1, 2]}},
            "d": {"type": "array", "items": {"type": "integer"}},
            "e": {"type": "object", "additionalProperties": False, "properties": {"z": {}}},
            "f": {"type": "object", "additionalProperties": {"type": "number"}},
        },
        "additionalProperties": True,
    })
    assert v.is_valid({"a": None, "b": 1, "c": {"k": [1.0, 2]}, "d": [1, 2.0], "e": {"z": 1}, "f": {"q": 1.5}})
    assert not v.is_valid({"a": 1})
    assert not v.is_valid({"b": True})  # True is not 1
    assert not v.is_valid({"b": "z"})
    assert not v.is_valid({"c": {"k": [True, 2]}})
    assert not v.is_valid({"d": [1, True]})
    assert not v.is_valid({"e": {"y": 1}})
    assert not v.is_valid({"f": {"q": "s"}})
    errors = list(v.iter_errors({"d": [1, "x"], "e": {"y": 1}}))
    assert {(e.instance_path, e.keyword) for e in errors} == {("/d/1", "type"), ("/e", "additionalProperties")}


def test_robust_against_odd_python_values(validators):
    from decimal import Decimal

    v = validators["group"]
    for value in [b"bytes", {1, 2}, (1, 2), Decimal("1.5"), float("nan"), object(), "str", 3, None]:
        assert v.is_valid(value) is False
        with pytest.raises(v.ValidationError):
            v.validate(value)
    payload = load(EXAMPLES["group"])
    payload["traits"] = {"employees": Decimal(3)}
    assert v.is_valid(payload) is False

    class D(dict):
        pass

    class S(str):
        pass

    assert v.is_valid(D({"groupId": S("g"), "userId": S("u")}))


def test_deep_nesting_is_a_validation_error():
    v = compile_validator({"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"})
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    assert v.is_valid(deep) is False
    with pytest.raises(v.ValidationError, match="nested too deeply"):
        v.validate(deep)
    errors = list(v.iter_errors(deep))
    assert errors and errors[0].keyword == "depth"


def test_dangling_ref_is_a_generation_error():
    with pytest.raises(GenerationError) as info:
        compile_validator({"properties": {"a": {"$ref": "#/$defs/missing"}}})
    (problem,) = info.value.problems
    assert problem.pointer == "/properties/a/$ref"
    assert "missing" in problem.message


def _module_source(tmp_path: Path) -> str:
    docs = []
    for name, path in sorted(SCHEMAS.items()):
        contents = load(path)
        docs.append(Document(f"{name}.schema.json", path.as_uri(), contents, ""))
    registry = build_registry(docs)
    locations = Locations([(d.path, d.contents) for d in docs])
    entries = []
    for doc in docs:
        stem = doc.path.split(".")[0]
        root = Node.root(doc, registry, locations)
        entries.append(Entry(f"june_{stem}_request", root))
        entries.append(Entry(f"_june_{stem}_context", root.child("properties", "context"), public=False))
    module = compile_module(entries)
    header = "# Generated by a test.\n# Do not edit.\n"
    source = format_python(render_source(module, header), "validators.py")
    assert source.startswith(header)
    return source


def test_module_via_template_is_clean_and_deterministic(tmp_path):
    source = _module_source(tmp_path)
    assert source == _module_source(tmp_path)
    target = tmp_path / "validators.py"
    target.write_text(source)
    namespace: dict[str, object] = {}
    exec(compile(source, str(target), "exec"), namespace)  # noqa: S102 -- our generated code
    assert "validate_june_group_request" in namespace["__all__"]
    assert "validate__june_group_context" not in namespace["__all__"]
    assert namespace["is_valid_june_group_request"](load(EXAMPLES["group"]))
    assert namespace["is_valid__june_track_context"]({"ip": "1.2.3.4"})
    assert not namespace["is_valid__june_track_context"]({"ip": 1})
    bin_dir = Path(sys.executable).parent
    mypy = shutil.which("mypy", path=str(bin_dir)) or shutil.which("mypy")
    ruff = shutil.which("ruff", path=str(bin_dir)) or shutil.which("ruff")
    if mypy:
        result = subprocess.run([mypy, "--strict", "--no-incremental", str(target)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    if ruff:
        result = subprocess.run([ruff, "check", "--isolated", "--target-version", "py311", str(target)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_hostile_schema_text_is_never_code():
    nasty = "\"\"\" '''\n\x00 {{ x }} __import__('os').system('false') \\"
    schema = {
        "title": nasty, "description": nasty,
        "properties": {nasty: {"const": nasty, "description": nasty}, "b": {"enum": [nasty, 1]}},
        "required": [nasty],
        "$defs": {nasty: {"type": "string"}},
        "patternProperties": {"^a'\"": {"title": nasty}},
    }
    v = compile_validator(copy.deepcopy(schema))
    assert v.is_valid({nasty: nasty})
    assert not v.is_valid({nasty: "x"})
    assert not v.is_valid({})
    format_python(v.source, "hostile.py")
