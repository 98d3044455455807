"""Stage 2 -- check: validate each schema against its draft's metaschema.

The draft comes from ``$schema`` (default: 2020-12).  Drafts 2020-12, 2019-09,
07, 06 and 04 are supported; anything else is a problem, not a guess.  (The
issue asked for the first three; half of schemastore's schemas still declare
draft-04, so the older two came along: they are draft-07 minus some keywords,
plus draft-04's boolean ``exclusiveMaximum``/``exclusiveMinimum``.)
Metaschema errors come from jsonschema and keep its JSON pointer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import cache
from .errors import Problem, pointer_from_parts
from .load import Document

if TYPE_CHECKING:
    import jsonschema.exceptions

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
DRAFT_2019_09 = "https://json-schema.org/draft/2019-09/schema"
DRAFT_07 = "http://json-schema.org/draft-07/schema"
DRAFT_06 = "http://json-schema.org/draft-06/schema"
DRAFT_04 = "http://json-schema.org/draft-04/schema"

#: Supported drafts by metaschema URI (without the trailing empty fragment).
SUPPORTED_DRAFTS: dict[str, str] = {
    DRAFT_2020_12: "draft 2020-12",
    DRAFT_2019_09: "draft 2019-09",
    DRAFT_07: "draft-07",
    DRAFT_06: "draft-06",
    DRAFT_04: "draft-04",
}


def normalize_draft_uri(uri: str) -> str:
    """A metaschema URI as :data:`SUPPORTED_DRAFTS` spells it: no empty fragment, and ``http``
    for drafts 04-07, whose metaschemas only ever had ``http`` ids (``https://json-schema.org/
    draft-04/schema#`` is a common slip, in schemastore's composer schema for one)."""
    uri = uri.removesuffix("#")
    if uri.startswith("https://json-schema.org/draft-0"):
        uri = "http://" + uri.removeprefix("https://")
    return uri


def draft_of(contents: Any, default_draft: str = DRAFT_2020_12) -> str | None:
    """The supported metaschema URI a schema declares, the default if none, None if unknown."""
    declared = contents.get("$schema") if isinstance(contents, dict) else None
    if not isinstance(declared, str):
        return normalize_draft_uri(default_draft)
    uri = normalize_draft_uri(declared)
    return uri if uri in SUPPORTED_DRAFTS else None


#: the deepest JSON nesting a schema document may have.  Real-world schemas stay near 20 (the
#: deepest of schemastore's CI configurations, circle-ci, has 21).  Several stages walk a schema
#: recursively, jsonschema's metaschema check first, and Python's recursion limit stops them
#: between 200 and 260 levels (depending on the keywords nested), so deeper documents get a clear
#: error here instead of a RecursionError somewhere later.
MAX_DEPTH = 100


def nesting_problem(doc: Document, limit: int = MAX_DEPTH) -> Problem | None:
    """A problem at the first value of ``doc`` nested more than ``limit`` levels deep, if any
    (the document itself is level 1).  Iterative: any depth is safe to measure."""
    path: list[str | int] = []
    stack: list[Iterator[tuple[str | int, Any]]] = [_children(doc.contents)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            if path:
                path.pop()
            continue
        key, value = entry
        if isinstance(value, (dict, list)):
            path.append(key)
            if len(stack) >= limit:
                return Problem(
                    doc.path,
                    pointer_from_parts(path),
                    f"the schema nests more than {limit} levels deep here, which is not supported",
                    hint="move inner parts to $defs and use $ref (real-world schemas nest about 20 levels)",
                )
            stack.append(_children(value))
    return None


def _children(value: Any) -> Iterator[tuple[str | int, Any]]:
    if isinstance(value, dict):
        return iter(value.items())
    if isinstance(value, list):
        return enumerate(value)
    return iter(())


def check_document(doc: Document, default_draft: str = DRAFT_2020_12) -> list[Problem]:
    """All metaschema problems of one document (empty when it is valid), or the one problem of
    a document nested too deeply to check (see :data:`MAX_DEPTH`)."""
    draft = draft_of(doc.contents, default_draft)
    if draft is None:
        supported = ", ".join(sorted(SUPPORTED_DRAFTS))
        return [
            Problem(
                doc.path,
                "/$schema",
                f"unknown or unsupported $schema {doc.contents.get('$schema')!r}",
                hint=f"declare one of: {supported}",
            )
        ]
    verdict = (doc.sha256, draft, "jsonschema " + cache.installed("jsonschema"), f"depth {MAX_DEPTH}")
    if cache.known_valid(*verdict):
        return []  # these very bytes passed this check before (see cache.py)
    deep = nesting_problem(doc)
    if deep is not None:
        return [deep]
    import jsonschema.validators  # here, not at the top: a run with every verdict cached skips the import

    cls = jsonschema.validators.validator_for({"$schema": draft + ("#" if "/draft-0" in draft else "")})
    meta = cls(cls.META_SCHEMA)
    problems: list[Problem] = []
    for error in meta.iter_errors(doc.contents):
        # anyOf/oneOf errors say "not valid under any of the given schemas": the most relevant
        # sub-error says what is actually expected ("'strnig' is not one of ['array', ...]").
        best = _most_specific(error)
        where = list(error.absolute_path)
        what = f"the value of {where[-1]!r}" if where and isinstance(where[-1], str) else "this value"
        hint = f"fix {what} (the metaschema's {best.validator!r} rule rejects it)"
        if draft == DRAFT_2020_12 and where and where[-1] == "items" and isinstance(error.instance, list):
            hint = ("since draft 2020-12, items is one schema: write a list of schemas as prefixItems "
                    "(and what additionalItems was as items), or declare the draft it was written for")
        problem = Problem(
            doc.path,
            pointer_from_parts(error.absolute_path),
            f"does not match the {SUPPORTED_DRAFTS[draft]} metaschema: {best.message}",
            hint=hint,
        )
        if problem not in problems:  # 2020-12's $dynamicRef reports one fault once per dynamic scope
            problems.append(problem)
    if not problems:
        cache.remember_valid(*verdict)
    return problems


def _most_specific(error: jsonschema.exceptions.ValidationError) -> jsonschema.exceptions.ValidationError:
    """Descend anyOf/oneOf context to the sub-error that says what was expected (not the type mismatch of the other branch)."""
    while error.context:
        ranked = sorted(error.context, key=lambda e: (e.validator == "type", -len(e.absolute_path), str(e.message)))
        error = ranked[0]
    return error

