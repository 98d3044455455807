"""Load a service description (JSON, validated by ``service.schema.json``).

A service description names an HTTP API's base URL, its authentication and
its operations; request and response bodies are schema files of the same
target, referred to by file stem.  It holds facts about one API only, so the
generator and the templates stay free of any particular service.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from . import cache
from .errors import GenerationError, Problem, pointer_from_parts
from .ir import Auth, Batch, Operation, Service
from .load import load_document

_SCHEMA_TEXT = (Path(__file__).with_name("service.schema.json")).read_text("utf-8")
_SCHEMA = json.loads(_SCHEMA_TEXT)
_SCHEMA_SHA = hashlib.sha256(_SCHEMA_TEXT.encode()).hexdigest()


def load_service(path: Path, stems: set[str]) -> Service:
    doc = load_document(path)
    data = doc.contents
    verdict = (doc.sha256, "service.schema.json " + _SCHEMA_SHA, "jsonschema " + cache.installed("jsonschema"))
    if not cache.known_valid(*verdict):  # checked before, these very bytes passed (see cache.py)
        import jsonschema

        validator = jsonschema.Draft202012Validator(_SCHEMA)
        problems = [
            Problem(doc.path, pointer_from_parts(e.absolute_path), f"invalid service description: {e.message}",
                    hint="see README.md, 'Service descriptions'")
            for e in validator.iter_errors(data)
        ]
        if problems:
            raise GenerationError(problems)
        cache.remember_valid(*verdict)
    problems = []
    ops = []
    for i, op in enumerate(data["operations"]):
        for key in ("request", "response"):
            stem = op.get(key)
            if stem is not None and stem not in stems:
                problems.append(
                    Problem(doc.path, f"/operations/{i}/{key}", f"no schema file with stem {stem!r} in this target",
                            hint=f"add the schema file to the target's schemas, or use one of: {', '.join(sorted(stems))}")
                )
        if "batch_type" in op and "batch" not in data:
            problems.append(Problem(doc.path, f"/operations/{i}/batch_type", "batch_type needs a top-level 'batch'",
                                    hint="describe the batch endpoint under 'batch', or drop batch_type"))
        ops.append(Operation(name=op["name"], method=op["method"], path=op["path"], summary=op.get("summary", ""),
                             request_stem=op["request"], response_stem=op.get("response"),
                             batch_type=op.get("batch_type")))
    if problems:
        raise GenerationError(problems)
    raw_auth = data.get("auth") or {"scheme": "bearer", "credential": "token"}
    auth = Auth(scheme=raw_auth["scheme"], credential=raw_auth["credential"],
                username=raw_auth.get("username", "{credential}"), password=raw_auth.get("password", ""))
    return Service(name=data["name"], description=data.get("description", ""), base_url=data["base_url"].rstrip("/"),
                   auth=auth, operations=tuple(ops), file=doc.path, sha256=doc.sha256,
                   batch=_batch(data["batch"]) if "batch" in data else None)


def _batch(raw: dict[str, Any]) -> Batch:
    """The batch endpoint, defaults filled in (the defaults are those of service.schema.json)."""
    return Batch(
        path=raw["path"],
        items_key=raw["items_key"],
        sent_at_key=raw.get("sent_at_key", "sentAt"),
        type_key=raw.get("type_key", "type"),
        id_key=raw.get("id_key", "messageId"),
        timestamp_key=raw.get("timestamp_key", "timestamp"),
        library_path=tuple(raw.get("library_path", ("context", "library"))),
        library_name=raw["library"]["name"],
        library_version=raw["library"]["version"],
        max_message_bytes=raw["max_message_bytes"],
        max_batch_bytes=raw["max_batch_bytes"],
        max_batch_items=raw.get("max_batch_items"),
    )
