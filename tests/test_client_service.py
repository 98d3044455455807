"""The clients are generic: everything June-specific comes from the service description."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from generator.config import Target
from generator.errors import GenerationError
from generator.pipeline import generate_files

SCHEMAS = tuple(ROOT / "schemas" / "june" / f"{s}.schema.json" for s in ("track", "success"))
JUNE = json.loads((ROOT / "schemas" / "june" / "service.json").read_text())


def generate(tmp_path, service: dict) -> dict[str, str]:
    path = tmp_path / "service.json"
    path.write_text(json.dumps(service))
    return generate_files(Target(package="acme", out=tmp_path, schemas=SCHEMAS, service=path)).files


def track_only(**changes) -> dict:
    service = {**JUNE, "operations": [op for op in JUNE["operations"] if op["name"] == "track"]}
    service.update(changes)
    return service


def test_no_batch_endpoint_no_batching_client(tmp_path):
    service = track_only()
    del service["batch"]
    service["operations"] = [{k: v for k, v in op.items() if k != "batch_type"} for op in service["operations"]]
    files = generate(tmp_path, service)
    assert "batching.py" not in files
    assert "AsyncClient" in files["client.py"] and "BatchingClient" not in files["__init__.py"]


def test_envelope_and_limits_come_from_the_service_description(tmp_path):
    batch = {**JUNE["batch"], "path": "/v2/import", "items_key": "events", "id_key": "eventId",
             "sent_at_key": "sent", "library_path": ["meta", "sdk"], "library": {"name": "acme-py", "version": "9.9"},
             "max_message_bytes": 1000, "max_batch_bytes": 9000, "max_batch_items": 7}
    service = track_only(batch=batch, base_url="https://acme.example/api")
    service["operations"] = [{**service["operations"][0], "batch_type": "event"}]
    text = generate(tmp_path, service)["batching.py"]
    for expected in ('BATCH_PATH = "/v2/import"', 'json.dumps("events")', '_ID_KEY = "eventId"',
                     "MAX_MESSAGE_BYTES = 1000", "MAX_BATCH_BYTES = 9000", "MAX_BATCH_ITEMS: int | None = 7",
                     '"name": "acme-py"', '"meta",', '_stamp(message, "event")'):
        assert expected in text, expected
    for june_fact in ('"messageId"', '"/batch"', '"sentAt"', "32768", "500000", "june-python-generated", "api.june.so"):
        assert june_fact not in text, june_fact


def test_batch_type_without_batch_is_an_error(tmp_path):
    service = track_only()
    del service["batch"]
    with pytest.raises(GenerationError) as info:
        generate(tmp_path, service)
    assert "/operations/0/batch_type" in str(info.value.problems)


def test_operation_may_not_shadow_a_client_method(tmp_path):
    service = track_only()
    service["operations"] = [{**service["operations"][0], "name": "flush"}]
    with pytest.raises(GenerationError) as info:
        generate(tmp_path, service)
    assert "flush" in str(info.value.problems)
