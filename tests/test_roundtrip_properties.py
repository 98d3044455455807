"""Property tests: instances drawn from the June schemas validate and round-trip exactly."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis_jsonschema import from_schema

STEMS = ("identify", "track", "group", "page", "success")


def _schema(stem: str) -> dict:
    return json.loads((ROOT / "schemas" / "june" / f"{stem}.schema.json").read_text())


@pytest.mark.parametrize("stem", STEMS)
def test_drawn_instances_validate_and_round_trip(june, stem):
    schema = _schema(stem)
    model = june.MODELS[stem]
    validate = june.VALIDATORS[stem]

    @given(from_schema(schema))
    def check(instance):
        validate(instance)
        out = model.from_dict(instance).to_dict()
        assert out == instance
        assert json.dumps(out) == json.dumps(instance)

    check()
