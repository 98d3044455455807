"""The generated June package against the June examples and the official June SDK's messages."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from conftest import FIXTURES

EXAMPLES = {
    "group": "june-group-company-example.json",
    "identify": "june-identify-user-example.json",
    "page": "june-page-view-example.json",
    "track": "june-track-event-example.json",
}


def load(name: str) -> dict:
    return json.loads((FIXTURES / "june" / name).read_text())


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_example_validates_and_round_trips(june, stem):
    data = load(EXAMPLES[stem])
    june.VALIDATORS[stem](data)
    model = june.MODELS[stem].from_dict(data)
    out = model.to_dict()
    assert out == data
    assert list(out) == list(data)  # key order too
    assert json.dumps(out) == json.dumps(data)  # and nested order, spelling of dates


def test_model_fields_are_typed_and_snake_case(june):
    m = june.JuneGroupRequest.from_dict(load(EXAMPLES["group"]))
    assert m.user_id == "user_12345" and m.group_id == "company_67890"
    assert isinstance(m.timestamp, datetime) and m.timestamp.year == 2026
    assert isinstance(m.traits, june.JuneGroupRequestTraits)
    assert m.traits.employees == 50
    assert m.traits.extra == {"plan": "enterprise", "website": "https://acme.example.com"}


def test_absent_optionals_are_omitted_never_null(june):
    m = june.JuneTrackRequest(event="Signed Up", user_id="u1")
    assert m.to_dict() == {"userId": "u1", "event": "Signed Up"}
    june.validate_june_track_request(m.to_dict())


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_missing_both_ids_is_rejected_with_path_and_message(june, stem):
    data = load(EXAMPLES[stem])
    data.pop("userId", None)
    data.pop("anonymousId", None)
    assert not getattr(june, f"is_valid_{june.VALIDATORS[stem].__name__[len('validate_'):]}")(data)
    with pytest.raises(june.ValidationError) as info:
        june.VALIDATORS[stem](data)
    err = info.value
    assert err.instance_path == ""
    assert err.schema_path.endswith("anyOf") or "anyOf" in err.schema_path
    assert err.message
    with pytest.raises(june.ValidationError):
        june.MODELS[stem].from_dict(data)


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_anonymous_id_null_is_rejected(june, stem):
    data = load(EXAMPLES[stem])
    data["anonymousId"] = None
    with pytest.raises(june.ValidationError) as info:
        june.VALIDATORS[stem](data)
    assert info.value.instance_path == "/anonymousId"


def test_wrong_type_deep_inside_names_the_path(june):
    data = load(EXAMPLES["page"])
    data["context"]["screen"]["width"] = "wide"
    with pytest.raises(june.ValidationError) as info:
        june.validate_june_page_request(data)
    assert info.value.instance_path == "/context/screen/width"
    assert info.value.keyword == "type"


def test_bool_is_not_an_integer(june):
    data = load(EXAMPLES["group"])
    data["traits"]["employees"] = True
    assert not june.is_valid_june_group_request(data)


def test_bad_date_time_is_a_validation_error_not_a_crash(june):
    data = load(EXAMPLES["track"])
    data["timestamp"] = "yesterday"
    # format is an annotation for the validator, but the model converts it, so it checks it
    assert june.is_valid_june_track_request(data)
    with pytest.raises(june.ValidationError) as info:
        june.JuneTrackRequest.from_dict(data)
    assert info.value.instance_path == "/timestamp"


@pytest.mark.parametrize("bad", [None, [], "x", 3, {"event": 1}])
def test_from_dict_never_raises_anything_but_validation_error(june, bad):
    with pytest.raises(june.ValidationError):
        june.JuneTrackRequest.from_dict(bad)


def test_registries_are_keyed_by_file_stem(june):
    assert set(june.VALIDATORS) == {"group", "identify", "page", "track", "success"}
    assert june.MODELS["group"] is june.JuneGroupRequest


def test_nested_models_round_trip_alone(june):
    ctx = {"groupId": "g", "screen": {"width": 3, "height": 4, "density": 1.5, "x": 1}, "extra": True}
    m = june.JunePageRequestContext.from_dict(ctx)
    assert m.screen.extra == {"x": 1}
    assert m.to_dict() == ctx


_RFC3339 = r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"


def _reference_datetime(text: str) -> datetime | None:
    """What RFC 3339 and the parser say of ``text``, the slow way (None: not a date-time)."""
    import re

    if not re.fullmatch(_RFC3339, text, re.ASCII):
        return None
    try:
        return datetime.fromisoformat(text.upper().replace(" ", "T"))
    except ValueError:
        return None


def test_usual_datetime_spelling_is_parsed_like_any_other(june):
    """``_parse_datetime`` checks the usual spelling ("2026-06-12T10:00:00Z") by position, not by
    its regular expression: on strings of that length and near that shape, it must accept and
    reject exactly what the RFC 3339 pattern and the parser do, and keep the text."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from june.models import _format_datetime, _parse_datetime
    from june.validators import ValidationError

    base = "2026-06-12T10:00:00Z"
    swaps = st.lists(st.tuples(st.integers(0, 19), st.sampled_from("0123456789-:TtZz +.,a\u0662\uff12")), max_size=3)

    @settings(max_examples=400, deadline=None)
    @given(swaps)
    def check(changes: list[tuple[int, str]]) -> None:
        chars = list(base)
        for i, c in changes:
            chars[i] = c
        text = "".join(chars)
        expected = _reference_datetime(text)
        try:
            got = _parse_datetime(text, "/t")
        except ValidationError:
            assert expected is None, text
            return
        assert expected is not None and got == expected, text
        assert _format_datetime(got) == text

    check()
