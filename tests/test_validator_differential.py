"""Differential property test: our compiled validators vs jsonschema (the reference).

For the June schemas and a set of tricky schemas, instances come from
hypothesis-jsonschema's ``from_schema`` (mostly valid ones), from mutations of
those (drop a key, change a value's type, anywhere in the instance) and from
arbitrary JSON.  Both validators must give the same verdict, and our error
path must report errors exactly when the verdict is "invalid".

Formats are annotations on both sides.  Example counts keep the file well
under a minute on two cores.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.validation import compile_validator

JUNE = Path(__file__).resolve().parents[1].parent / "shared" / "june" / "json-schema"
JUNE_NAMES = ("group", "identify", "page", "track")

TRICKY: dict[str, dict[str, Any]] = {
    "enum-mixed": {"enum": [1, True, "1", None, [1], {"a": 1}, 2.5]},
    "const-object": {"const": {"a": [1.0, 2], "b": None}},
    "unique-items": {"type": "array", "uniqueItems": True, "items": {"type": ["integer", "boolean", "array", "object"]}},
    "pattern-additional": {
        "type": "object",
        "properties": {"a": {"type": "boolean"}},
        "patternProperties": {"^x": {"type": "integer"}, "y$": {"minimum": 0}},
        "additionalProperties": {"type": "string", "maxLength": 3},
    },
    "oneof-not": {"oneOf": [{"type": "integer"}, {"minimum": 2}], "not": {"const": 5}},
    "if-then-else": {
        "type": "object",
        "if": {"properties": {"k": {"const": "a"}}, "required": ["k"]},
        "then": {"required": ["a"]},
        "else": {"required": ["b"]},
    },
    "recursive-tree": {
        "$defs": {
            "t": {
                "type": "object",
                "properties": {
                    "v": {"type": "number", "multipleOf": 0.5},
                    "kids": {"type": "array", "items": {"$ref": "#/$defs/t"}, "maxItems": 3},
                },
                "required": ["v"],
            }
        },
        "$ref": "#/$defs/t",
    },
    "prefix-contains": {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "string"}],
        "items": {"type": "boolean"},
        "contains": {"const": True},
        "maxContains": 2,
    },
    "dependent": {
        "type": "object",
        "dependentRequired": {"a": ["b"]},
        "dependentSchemas": {"c": {"properties": {"d": {"type": "null"}}, "required": ["d"]}},
    },
    "unevaluated": {
        "type": "object",
        "allOf": [{"properties": {"a": {"type": "integer"}}}],
        "anyOf": [{"properties": {"b": {"type": "string"}}, "required": ["b"]}, {"required": ["c"]}],
        "unevaluatedProperties": False,
    },
    "strings": {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-c]+$"},
    "numbers": {"type": "number", "exclusiveMinimum": 0, "maximum": 10, "multipleOf": 0.1},
    "property-names": {"type": "object", "propertyNames": {"maxLength": 2}, "minProperties": 1, "maxProperties": 3},
    "type-lists": {"type": ["integer", "null", "array"], "items": {"type": ["string", "number"]}},
    # older drafts, picked by $schema
    "draft7-tuple": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "items": [{"type": "integer"}, {"enum": ["a", "b"]}],
        "additionalItems": {"type": "boolean"},
    },
    "draft7-ref-siblings": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"s": {"type": ["string", "object"], "dependencies": {"a": ["b"], "c": {"required": ["d"]}}}},
        "$ref": "#/definitions/s",
        "maxLength": 1,
    },
    "draft2019-recursive": {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$recursiveAnchor": True,
        "type": "object",
        "properties": {"v": {"type": "integer"}, "kids": {"type": "array", "items": {"$recursiveRef": "#"}}},
        "unevaluatedProperties": False,
    },
}

SETTINGS = settings(
    max_examples=40,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-5, 5, allow_nan=False) | st.sampled_from(
        [0.5, 1.0, 2.0, 0.3, "", "a", "ab", "abc", "abcd", "x1", "ay", "b", "c", "d", "k"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["a", "b", "c", "d", "k", "v", "x1", "ay", "zz", "kids", "userId",
                                       "anonymousId", "groupId", "event", "traits", "context"]), children, max_size=4),
    max_leaves=12,
)


def schemas() -> dict[str, dict[str, Any]]:
    out = {}
    if JUNE.is_dir():
        for name in JUNE_NAMES:
            out[f"june-{name}"] = json.loads((JUNE / f"june-{name}-request-schema.json").read_text())
    out.update(TRICKY)
    return out


ALL = schemas()


@functools.cache
def pair(name: str) -> tuple[Any, Any]:
    schema = ALL[name]
    reference = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return compile_validator(schema), reference(schema)


trees = st.recursive(
    st.fixed_dictionaries({"v": st.sampled_from([0, 0.5, 1, 1.5, 2.0])}),
    lambda kids: st.fixed_dictionaries({"v": st.sampled_from([0, 0.5, 3])}, optional={"kids": st.lists(kids, max_size=3)}),
    max_leaves=8,
)
#: hypothesis-jsonschema cannot generate for these (recursive $ref; unevaluated* makes it filter everything)
CUSTOM = {"recursive-tree": trees, "unevaluated": json_values, "draft2019-recursive": json_values}


@functools.cache
def generator_for(name: str) -> st.SearchStrategy[Any]:
    from hypothesis_jsonschema import from_schema

    if name in CUSTOM:
        return CUSTOM[name]
    # built once per schema, from a deep copy: hypothesis-jsonschema rewrites the schema it is
    # given in place, and the reference validator must judge the schema as written
    return from_schema(copy.deepcopy({k: v for k, v in ALL[name].items() if k not in ("$schema", "$id")}))


def positions(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += positions(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += positions(v, (*path, i))
    return out


def mutate(value: Any, data: st.DataObject) -> Any:
    """Drop a key or replace a value (with one of another JSON type) somewhere in ``value``."""
    path = data.draw(st.sampled_from(positions(value)), label="path")
    replacement = data.draw(json_values, label="replacement")
    if not path:
        return replacement
    root = json.loads(json.dumps(value))
    parent = root
    for seg in path[:-1]:
        parent = parent[seg]
    if isinstance(parent, dict) and data.draw(st.booleans(), label="drop"):
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    return root


def agree(name: str, instance: Any) -> None:
    ours, reference = pair(name)
    expected = reference.is_valid(instance)
    assert ours.is_valid(instance) == expected, (name, instance)
    errors = list(ours.iter_errors(instance))
    assert bool(errors) != expected, (name, instance, errors)
    if not expected:
        assert all(e.keyword for e in errors), errors


@pytest.mark.parametrize("name", sorted(ALL))
@SETTINGS
@given(data=st.data())
def test_same_verdict_on_generated_and_mutated(name, data):
    instance = data.draw(generator_for(name), label="instance")
    agree(name, instance)
    agree(name, mutate(instance, data))


@pytest.mark.parametrize("name", sorted(ALL))
@SETTINGS
@given(instance=json_values)
def test_same_verdict_on_arbitrary_json(name, instance):
    agree(name, instance)
