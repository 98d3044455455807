"""Unit tests of the validator compiler: naming, determinism, growth, problems, regexes, formats, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.errors import GenerationError
from generator.validation import compile_validator
from generator.validation.regex import RegexError, backtracking_risk, translate

ROOT = Path(__file__).resolve().parents[1]


# -- naming -----------------------------------------------------------------------------------------
def test_case_and_separator_collisions_get_distinct_functions():
    schema = {
        "properties": {
            "a": {"$ref": "#/$defs/Foo"},
            "b": {"$ref": "#/$defs/foo"},
            "c": {"$ref": "#/$defs/x_y"},
            "d": {"$ref": "#/$defs/x~1y"},
        },
        "$defs": {"Foo": {"type": "string"}, "foo": {"type": "integer"},
                  "x_y": {"type": "boolean"}, "x/y": {"type": "null"}},
    }
    v = compile_validator(schema)
    assert v.is_valid({"a": "s", "b": 1, "c": True, "d": None})
    assert not v.is_valid({"a": 1})
    assert not v.is_valid({"b": "s"})
    assert not v.is_valid({"c": None})
    assert not v.is_valid({"d": True})
    names = [f.name for f in v.module.functions]
    assert len(names) == len(set(names))


def test_names_do_not_depend_on_visit_order():
    defs = {"Foo": {"type": "string"}, "foo": {"type": "integer"}}
    one = compile_validator({"anyOf": [{"$ref": "#/$defs/Foo"}, {"$ref": "#/$defs/foo"}], "$defs": defs})
    two = compile_validator({"anyOf": [{"$ref": "#/$defs/foo"}, {"$ref": "#/$defs/Foo"}], "$defs": defs})
    names_one = {f.where: f.name for f in one.module.functions}
    names_two = {f.where: f.name for f in two.module.functions}
    shared = set(names_one) & set(names_two)
    assert {w for w in shared if "$defs" in w} == {"<schema>#/$defs/Foo", "<schema>#/$defs/foo"}
    assert all(names_one[w] == names_two[w] for w in shared)


# -- determinism --------------------------------------------------------------------------------------
_DETERMINISM = """
import json, sys
sys.path.insert(0, {root!r})
from generator.validation import compile_validator
schema = json.loads({schema!r})
sys.stdout.write(compile_validator(schema, format_assertion=True).source)
"""


def test_same_input_same_bytes_across_hash_seeds():
    schema = {
        "type": "object",
        "properties": {k: {"enum": ["a", "b", "c", k], "format": "email"} for k in "zyxwvu"},
        "required": ["z", "y"],
        "patternProperties": {"^p": {"uniqueItems": True}},
        "dependentRequired": {"a": ["b", "c"]},
        "$defs": {"n": {"anyOf": [{"$ref": "#/$defs/n"}, {"type": "null"}]}},
        "unevaluatedProperties": {"const": {"k": [1, 2]}},
    }
    code = _DETERMINISM.format(root=str(ROOT), schema=json.dumps(schema))
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1


# -- growth -----------------------------------------------------------------------------------------
def _big_schema(n: int) -> dict[str, object]:
    defs: dict[str, object] = {}
    for i in range(n):
        defs[f"node{i}"] = {
            "type": "object",
            "properties": {
                "next": {"$ref": f"#/$defs/node{(i + 1) % n}"},
                "self": {"$ref": f"#/$defs/node{i}"},
                "items": {"type": "array", "items": {"$ref": f"#/$defs/node{(i * 7) % n}"}},
                "name": {"type": "string", "minLength": 1},
            },
            "required": ["name"],
        }
    return {"$ref": "#/$defs/node0", "$defs": defs}


def test_large_recursive_schema_compiles_fast_and_linearly():
    start = time.perf_counter()
    small = compile_validator(_big_schema(150))
    elapsed = time.perf_counter() - start
    big = compile_validator(_big_schema(300))
    print(f"150 defs (450 $refs, recursive): compiled in {elapsed:.3f}s")  # reported, not asserted
    ratio = len(big.source) / len(small.source)
    assert 1.8 < ratio < 2.2, ratio
    assert len(big.module.functions) < 2 * len(small.module.functions) + 10
    instance: dict[str, object] = {"name": "leaf"}
    for _ in range(50):
        instance = {"name": "n", "next": instance, "items": [{"name": "x"}]}
    assert big.is_valid(instance)
    instance["items"] = [{"name": ""}]
    assert not big.is_valid(instance)
    (error,) = list(big.iter_errors(instance))
    assert error.instance_path == "/items/0/name"
    assert error.keyword == "minLength"


# -- problems ---------------------------------------------------------------------------------------
def test_all_problems_are_reported_together():
    schema = {
        "properties": {
            "a": {"$ref": "#/$defs/missing"},
            "b": {"pattern": "\\p{Script=Greek}"},
            "c": {"$ref": "other.json"},
        }
    }
    with pytest.raises(GenerationError) as info:
        compile_validator(schema)
    pointers = [p.pointer for p in info.value.problems]
    assert pointers == ["/properties/a/$ref", "/properties/b/pattern", "/properties/c/$ref"]
    assert all(p.hint for p in info.value.problems)


def test_risky_pattern_is_a_warning():
    v = compile_validator({"pattern": "^(a+)+$"})
    (warning,) = v.module.warnings
    assert warning.level == "warning"
    assert warning.pointer == "/pattern"
    assert backtracking_risk("^[a-z]+$") == ""


# -- regex translation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("^\\p{Letter}+$", "héllo", True),
        ("^\\p{Letter}+$", "h3llo", False),
        ("^\\p{Lu}", "Éa", True),
        ("^\\P{L}$", "1", True),
        ("^[\\p{N}x]+$", "x١2", True),
        ("^\\d+$", "١٢", False),  # ECMA \d is ASCII only
        ("^\\w+$", "é", False),
        ("^abc$", "abc\n", False),  # ECMA $ is the end of input
        ("^a.c$", "a\nc", False),
        ("^a.c$", "a\u2028c", False),
        ("^\\s$", "\ufeff", True),
        ("^\\s$", "\x1c", False),
        ("(?<y>a)\\k<y>", "aa", True),
        ("^[^]$", "\n", True),
        ("[]", "a", False),
        ("^\\cJ$", "\n", True),
        ("^\\u{1F600}$", "\U0001f600", True),
        ("\\/", "/", True),
    ],
)
def test_ecma_regex_translation(pattern, text, found):
    import re

    assert (re.compile(translate(pattern), re.ASCII).search(text) is not None) is found


def test_untranslatable_regex():
    with pytest.raises(RegexError):
        translate("\\p{Script=Greek}")
    with pytest.raises(RegexError):
        translate("(?P<x>a)")


# -- errors -----------------------------------------------------------------------------------------
def test_every_error_is_reported_with_paths():
    v = compile_validator({
        "type": "object",
        "required": ["a", "b"],
        "properties": {"list": {"items": {"type": "integer", "minimum": 0}}, "s": {"maxLength": 2}},
        "additionalProperties": False,
    })
    errors = sorted((e.instance_path, e.schema_path, e.keyword) for e in v.iter_errors(
        {"list": [1, -1, "x"], "s": "abc", "extra": 1}))
    assert errors == [
        ("", "/additionalProperties", "additionalProperties"),
        ("", "/required", "required"),
        ("", "/required", "required"),
        ("/list/1", "/properties/list/items/minimum", "minimum"),
        ("/list/2", "/properties/list/items/type", "type"),
        ("/s", "/properties/s/maxLength", "maxLength"),
    ]
    err = v.ValidationError("m", "/a", "/b", "k")
    assert (err.message, err.instance_path, err.schema_path, err.keyword) == ("m", "/a", "/b", "k")
    assert str(err) == "m (at /a; schema /b)"
    cls, args = err.__reduce__()  # pickles with every field (in a generated package)
    assert cls is v.ValidationError and args == ("m", "/a", "/b", "k")


def test_format_assertion_is_opt_in():
    schema = {"type": "string", "format": "date-time"}
    assert compile_validator(schema).is_valid("yesterday")
    strict = compile_validator(schema, format_assertion=True)
    assert not strict.is_valid("yesterday")
    assert strict.is_valid("2026-06-12T10:00:00Z")
    assert compile_validator({"format": "date-time"}, format_assertion=True).is_valid(12)  # strings only
    (error,) = list(strict.iter_errors("yesterday"))
    assert error.keyword == "format"
    assert "_fmt_date_time" in strict.source
    assert "_fmt_" not in compile_validator(schema).source


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("email", "joe.bloggs@example.com", "joe..bloggs@example.com"),
        ("idn-hostname", "실례.테스트", "a..b"),
        ("hostname", "xn--9n2bp8q.xn--9t4b11yi5a", "xn--X"),
        ("ipv4", "192.168.0.1", "192.168.0.01"),
        ("ipv6", "::ffff:192.168.0.1", "1::d6::42"),
        ("uri", "http://example.com/a?b#c", "/relative"),
        ("uri-reference", "/relative", "\\\\windows"),
        ("uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1638"),
        ("duration", "P4DT12H30M5S", "PT1D"),
        ("time", "23:59:60Z", "22:59:60Z"),
        ("date", "2020-02-29", "2021-02-29"),
        ("json-pointer", "/a~1b", "/a~2"),
        ("relative-json-pointer", "1#", "-1"),
        ("uri-template", "http://e.com/{term:1}/{term}", "{}"),
        ("regex", "(?<n>a)\\k<n>", "(?P<n>a)"),
        ("iri", "http://ƒøø.ßår/", "/abc"),
    ],
)
def test_formats(fmt, good, bad):
    v = compile_validator({"format": fmt}, format_assertion=True)
    assert v.is_valid(good)
    assert not v.is_valid(bad)


# -- drafts ---------------------------------------------------------------------------------------------
def test_draft7_ref_overrides_siblings_and_2020_does_not():
    schema = {"$ref": "#/definitions/s", "maxLength": 1, "definitions": {"s": {"type": "string"}}}
    assert compile_validator(schema, default_draft="http://json-schema.org/draft-07/schema#").is_valid("long")
    assert not compile_validator(schema).is_valid("long")


def test_dynamic_ref_and_unevaluated():
    schema = {
        "$id": "https://example.com/tree",
        "$dynamicAnchor": "node",
        "type": "object",
        "properties": {"data": True, "children": {"type": "array", "items": {"$dynamicRef": "#node"}}},
    }
    strict = {
        "$id": "https://example.com/strict-tree",
        "$dynamicAnchor": "node",
        "$ref": "tree",
        "unevaluatedProperties": False,
    }
    v = compile_validator(strict, remotes={"https://example.com/tree": schema})
    assert v.is_valid({"children": [{"data": 1}]})
    assert not v.is_valid({"children": [{"daat": 1}]})
    errors = list(v.iter_errors({"children": [{"daat": 1}]}))
    assert [(e.instance_path, e.keyword) for e in errors] == [("/children/0", "unevaluatedProperties")]


# -- robustness over every suite schema ---------------------------------------------------------------------
def _odd_values() -> list[object]:
    from collections import OrderedDict
    from decimal import Decimal

    class Str(str):
        pass

    class Dict(dict):
        pass

    deep: list[object] = []
    for _ in range(3000):
        deep = [deep]
    return [float("nan"), float("inf"), -float("inf"), b"bytes", {1, 2}, (1, "a"), Decimal("1.5"), 10**400,
            -(10**400), Str("foo"), Dict(foo=Str("x"), bar=[1]), OrderedDict(a=1), object(), [{1}, {1}],
            {"foo": (1, 2), "bar": b"x"}, {1: "non-string key"}, deep, [float("nan")] * 3]


def test_odd_python_values_never_raise():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_suite_runner", ROOT / "tests" / "conformance" / "run_suite.py")
    assert spec and spec.loader
    runner = importlib.util.module_from_spec(spec)
    sys.modules["_suite_runner"] = runner
    spec.loader.exec_module(runner)
    suite = runner.suite_dir()
    if suite is None:
        pytest.skip("JSON Schema Test Suite not found (set JSON_SCHEMA_TEST_SUITE)")
    remotes = runner.load_remotes(suite)
    values = _odd_values()
    checked = 0
    for _, folder, draft, assertion in runner.ROWS:
        for path in sorted((suite / "tests" / folder).glob("*.json")):
            for group in json.loads(path.read_text()):
                v = compile_validator(group["schema"], default_draft=draft, remotes=remotes,
                                      format_assertion=assertion)
                for value in values:
                    verdict = v.is_valid(value)
                    errors = list(v.iter_errors(value))
                    assert bool(errors) != verdict, (path.name, group["description"], value)
                    checked += 1
    assert checked > 10_000


def test_ref_into_the_middle_of_an_older_draft_document_uses_that_draft():
    remote = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"a": {"items": [{"type": "integer"}], "additionalItems": False}},
    }
    v = compile_validator({"$ref": "http://example.com/r.json#/definitions/a"},
                          remotes={"http://example.com/r.json": remote})
    assert v.is_valid([1])
    assert not v.is_valid([1, 2])
    assert not v.is_valid(["a"])


def test_nested_entries_keep_output_linear():
    """Every level of a deep object chain is an entry (as models make them): size stays linear."""
    from generator.load import Document
    from generator.resolve import Locations, Node, build_registry
    from generator.validation import Entry, compile_module
    from generator.validation.api import render_source

    def size(depth: int) -> int:
        schema: dict[str, object] = {"type": "object", "properties": {"leaf": {"type": "string"}}}
        for _ in range(depth):
            schema = {"type": "object", "properties": {"child": schema, "name": {"type": "string"}}}
        doc = Document("chain.json", "file:///chain.json", schema, "")
        root = Node.root(doc, build_registry([doc]), Locations([(doc.path, schema)]))
        entries, node = [], root
        for level in range(depth + 1):
            entries.append(Entry(f"level{level}", node, public=level == 0))
            if level < depth:
                node = node.child("properties", "child")
        # lines, not characters: each error names its absolute schema path, O(depth) long by nature
        return len(render_source(compile_module(entries)).splitlines())

    small, big = size(30), size(60)
    assert 1.8 < big / small < 2.2, (small, big)


def test_anyof_and_oneof_errors_say_what_each_branch_needed() -> None:
    import jsonschema

    schema = {"oneOf": [{"type": "string", "minLength": 3}, {"type": "integer", "minimum": 10}]}
    [error] = list(compile_validator(schema).iter_errors(5))
    assert (error.keyword, error.schema_path, error.instance_path) == ("oneOf", "/oneOf", "")
    assert error.message == ("5 is not valid under any of the given schemas: 5 is not of type 'string'; "
                             "or 5 is less than the minimum of 10")
    # the same branch errors as the reference implementation's ``context``
    [theirs] = list(jsonschema.Draft202012Validator(schema).iter_errors(5))
    assert sorted((e.validator, e.message) for e in theirs.context) == sorted((e.keyword, e.message) for e in error.context)

    # a branch with subschemas of its own is explained by its type (its full errors would need
    # error functions for its whole subtree: see emit_slow.SlowEmitter.no_branch)
    nested = {"properties": {"a": {"anyOf": [{"type": "object", "required": ["b"]},
                                             {"type": "array", "items": {"type": "string"}}]}}}
    [error] = list(compile_validator(nested).iter_errors({"a": "s"}))
    assert error.instance_path == "/a"
    assert error.message.endswith(": 's' is not of type 'object'; or 's' is not of type 'array'")
    assert [(e.instance_path, e.schema_path) for e in error.context] == [
        ("/a", "/properties/a/anyOf/0/type"), ("/a", "/properties/a/anyOf/1/type")]
    [error] = list(compile_validator(nested).iter_errors({"a": [1]}))
    assert error.message.endswith("schemas: [1] is not of type 'object'")

    valid_twice = compile_validator({"oneOf": [{"type": "integer"}, {"minimum": 0}]})
    [error] = list(valid_twice.iter_errors(3))
    assert error.message == "3 is valid under more than one of the given schemas" and error.context == ()


def test_branch_explanations_do_not_recurse() -> None:
    # every level an anyOf of a leaf branch and a $ref to the next level: only the leaf is
    # explained, so a deep schema gives a short message and a one-level context
    defs = {f"l{i}": {"anyOf": [{"required": ["stop"]}, {"$ref": f"#/$defs/l{i + 1}"}]} for i in range(60)}
    defs["l60"] = {"required": ["end"]}
    [error] = list(compile_validator({"$defs": defs, "$ref": "#/$defs/l0"}).iter_errors({}))
    assert error.message == "{} is not valid under any of the given schemas: 'stop' is a required property"
    assert [(e.keyword, e.schema_path) for e in error.context] == [("required", "/$defs/l0/anyOf/0/required")]


@pytest.mark.parametrize(("draft", "whole_float_is_integer"), [
    ("http://json-schema.org/draft-04/schema#", False),  # "a JSON number without a fraction or exponent part"
    ("http://json-schema.org/draft-06/schema#", True),
    ("https://json-schema.org/draft/2020-12/schema", True),
])
def test_whether_1_0_is_an_integer_depends_on_the_draft(draft, whole_float_is_integer):
    """Draft-04's metaschema then rejects ``{"maxItems": 2.0}``, as jsonschema does (found by
    validating schemas against the draft-04 metaschema compiled by us)."""
    for schema in ({"type": "integer"}, {"type": ["integer", "boolean"]}, {"properties": {"n": {"type": "integer"}}}):
        v = compile_validator(schema, default_draft=draft)
        instance = {"n": 1.0} if "properties" in schema else 1.0
        assert v.is_valid(instance) is whole_float_is_integer
        assert bool(list(v.iter_errors(instance))) is not whole_float_is_integer
        assert v.is_valid({"n": 1} if "properties" in schema else 1)
        assert not v.is_valid({"n": 1.5} if "properties" in schema else 1.5)


@pytest.mark.parametrize("draft", ["http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-04/schema#"])
def test_dependencies_mixing_lists_and_schemas_are_crawled_one_by_one(draft):
    """referencing (0.37) judges all values of ``dependencies`` by the first: a list after a
    schema crashed the crawl, and an ``$id`` in a schema after a list was never registered (see
    resolve._each_dependency_on_its_own).  Both orders, in draft-07 and draft-04 spelling."""
    key = "$id" if "07" in draft else "id"
    schema = {
        "$schema": draft,
        key: "https://example.com/root.json",
        "properties": {"x": {"$ref": "inner.json"}},
        "dependencies": {
            "a": ["b"],
            "b": {"properties": {"c": {key: "inner.json", "type": "string"}}},
            "c": ["a"],
        },
    }
    v = compile_validator(schema)
    assert v.is_valid({"x": "text"})
    assert not v.is_valid({"x": 1})
    assert not v.is_valid({"a": 1})  # needs b
    assert not v.is_valid({"b": 1, "c": 2})  # c must be a string, and needs a
    assert v.is_valid({"a": 1, "b": 1, "c": "s"})


@pytest.mark.parametrize("schema", [
    {"items": [{"type": "string"}]},  # a list where 2020-12 wants one schema
    {"$schema": "https://json-schema.org/draft/2019-09/schema", "items": [{}], "additionalItems": 3},
    {"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"not": [1]}}},
])
def test_a_non_schema_where_a_schema_goes_is_a_generation_error(schema):
    """referencing's crawl fails with AttributeError on these; compile_validator reports the
    metaschema problems instead, each once (2020-12's $dynamicRef gave one fault 8 times)."""
    with pytest.raises(GenerationError) as caught:
        compile_validator(schema)
    problems = caught.value.problems
    assert problems and all("metaschema" in p.message for p in problems)
    assert len(set(problems)) == len(problems)
