"""Hostile instances at run time: a ValidationError (or the correct verdict), never a crash or a hang.

Documented behaviour: validators and ``from_dict`` accept only JSON-shaped
Python values (dict, list, str, int, float, bool, None and their subclasses);
anything else (bytes, set, tuple, Decimal, ...) is "not of type ..." like any
other wrong type.  Nesting deeper than Python's recursion limit is reported as
a ValidationError ("nested too deeply"), not a RecursionError.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal

import pytest

from generator.config import Target
from generator.pipeline import generate_files

TREE = {
    "title": "Tree",
    "type": "object",
    "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#"}},
                   "size": {"type": "integer"}, "ratio": {"type": "number"}},
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tree")
    (tmp / "tree.json").write_text(json.dumps(TREE))
    result = generate_files(Target(package="hostile_tree", out=tmp, schemas=(tmp / "tree.json",)))
    (tmp / "hostile_tree").mkdir()
    for rel, text in result.files.items():
        (tmp / "hostile_tree" / rel).write_text(text)
    sys.path.insert(0, str(tmp))
    import hostile_tree

    yield hostile_tree
    sys.path.remove(str(tmp))


def nested(depth: int) -> dict:
    node: dict = {"name": "leaf"}
    for _ in range(depth):
        node = {"children": [node]}
    return node


def test_100k_deep_nesting_is_a_validation_error(tree):
    deep = nested(100_000)
    assert tree.is_valid_tree(deep) is False
    with pytest.raises(tree.ValidationError) as info:
        tree.validate_tree(deep)
    assert "deep" in info.value.message
    with pytest.raises(tree.ValidationError):
        tree.Tree.from_dict(deep)


def test_moderate_nesting_round_trips(tree):
    data = nested(200)
    assert tree.Tree.from_dict(data).to_dict() == data


def test_deep_nesting_inside_free_form_values_is_fine(june):
    deep: object = "x"
    for _ in range(100_000):
        deep = [deep]
    data = {"event": "e", "userId": "u", "properties": {"deep": deep}}
    assert june.is_valid_june_track_request(data)
    # the model keeps free-form values as they are: no recursion into them
    assert june.JuneTrackRequest.from_dict(data).properties["deep"] is deep


def test_huge_string_and_huge_list(june, tree):
    big = "x" * 10_000_000
    assert june.is_valid_june_track_request({"event": big, "userId": "u"})
    many = [{"name": "n"}] * 1_000_000
    assert tree.is_valid_tree({"children": many})
    bad = [{"name": "n"}] * 999_999 + [{"name": 1}]
    with pytest.raises(tree.ValidationError) as info:
        tree.validate_tree({"children": bad})
    assert info.value.instance_path == "/children/999999/name"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_inf(tree, value):
    # JSON has no NaN/inf; as Python floats they are numbers, but never integers
    assert tree.is_valid_tree({"ratio": value}) is True
    assert tree.is_valid_tree({"size": value}) is False
    with pytest.raises(tree.ValidationError):
        tree.Tree.from_dict({"size": value})


@pytest.mark.parametrize("value", [b"bytes", {1, 2}, ("a", "b"), Decimal("1.5"), object(), 1j])
def test_non_json_python_values_are_wrong_types(june, tree, value):
    for instance in (value, {"name": value}, {"children": value}, {"size": value}):
        assert tree.is_valid_tree(instance) is False
        with pytest.raises(tree.ValidationError):
            tree.validate_tree(instance)
        with pytest.raises(tree.ValidationError):
            tree.Tree.from_dict(instance)
    with pytest.raises(june.ValidationError):
        june.JuneTrackRequest.from_dict({"event": value, "userId": "u"})


def test_subclasses_of_dict_and_str_are_accepted(june):
    class D(dict):
        pass

    class S(str):
        pass

    data = D(event=S("e"), userId=S("u"))
    assert june.is_valid_june_track_request(data)
    assert june.JuneTrackRequest.from_dict(data).to_dict() == {"event": "e", "userId": "u"}


@pytest.mark.parametrize("value", [True, False])
def test_bool_is_not_an_integer(june, tree, value):
    assert tree.is_valid_tree({"size": value}) is False
    assert tree.is_valid_tree({"size": 3.0}) is True  # 3.0 is an integer in JSON Schema
    with pytest.raises(june.ValidationError):
        june.JuneGroupRequest.from_dict({"groupId": "g", "userId": "u", "traits": {"employees": value}})


def test_a_million_extra_keys(june):
    data = {"event": "e", "userId": "u", **{f"k{i}": i for i in range(1_000_000)}}
    assert june.is_valid_june_track_request(data)
    model = june.JuneTrackRequest.from_dict(data)
    assert len(model.extra) == 1_000_000 and model.to_dict() == data
