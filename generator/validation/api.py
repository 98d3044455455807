"""In-memory compilation: ``compile_validator(schema) -> CompiledValidator``.

One code path with generated packages: the same :func:`.build.compile_module`
and the same template ``validators.py.j2``; the rendered source is then
``exec``-uted into a fresh namespace (black is not needed in memory).

``remotes`` maps URIs to documents for ``$ref``s to other documents (no
network access ever).  A ``$schema`` naming a metaschema found in
``remotes`` is honoured through its ``$vocabulary``: keywords of a vocabulary
the metaschema does not enable are ignored (draft 2019-09 / 2020-12).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from referencing import Registry, Resource

from ..check import DRAFT_04, DRAFT_06, DRAFT_2020_12, normalize_draft_uri
from ..errors import GenerationError, Problem
from ..render import make_environment, render_template
from ..resolve import (
    SPECIFICATIONS,
    Location,
    Locations,
    Node,
    declared_specification,
    make_resource,
    metaschema_resources,
    resource_of,
    specification,
)
from .build import Entry, compile_module
from .ir import ValidatorModule
from .keywords import VALIDATION_VOCAB_KEYWORDS

ROOT_NAME = "<schema>"
VOCAB_KEYWORDS = {
    "validation": VALIDATION_VOCAB_KEYWORDS,
    "applicator": frozenset(
        ["prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties", "dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not", "additionalItems"]
    ),
    "unevaluated": frozenset({"unevaluatedItems", "unevaluatedProperties"}),
    "format-annotation": frozenset({"format"}),
    "format-assertion": frozenset(),
    "format": frozenset(),
}


class CompiledValidator:
    """A validator compiled from one schema: ``is_valid``, ``validate``, ``iter_errors``."""

    def __init__(self, namespace: dict[str, Any], source: str, module: ValidatorModule):
        self.source = source
        self.module = module
        self.namespace = namespace
        self.ValidationError: type[Exception] = namespace["ValidationError"]
        self.is_valid: Callable[[object], bool] = namespace["is_valid_schema"]
        self.validate: Callable[[object], None] = namespace["validate_schema"]
        self.iter_errors: Callable[[object], Iterator[Any]] = namespace["iter_errors_schema"]


def compile_validator(
    schema: Any,
    *,
    default_draft: str = DRAFT_2020_12,
    remotes: Mapping[str, Any] | None = None,
    format_assertion: bool = False,
) -> CompiledValidator:
    remotes = dict(remotes or {})
    spec, disabled, asserts_formats = _dialect(schema, remotes, default_draft)
    format_assertion = format_assertion or asserts_formats
    resource = spec.create_resource(schema) if spec is not None else make_resource(schema, default_draft)
    pairs: list[tuple[str, Resource[Any]]] = [("", resource)]
    rid = resource.id()
    if rid:
        pairs.append((rid.rstrip("#"), resource))
    for uri, contents in sorted(remotes.items()):
        pairs.append((uri, _remote_resource(contents, default_draft)))
    metas = [(uri, res) for uri, res in metaschema_resources() if uri not in remotes]
    pairs += metas
    try:
        registry: Registry[Any] = Registry().with_resources(pairs).crawl()
    except (AttributeError, TypeError) as err:  # referencing met a non-schema where a schema goes
        raise _not_a_schema(schema, default_draft, err) from None
    locations = Locations([(ROOT_NAME, schema)] + sorted(remotes.items()) + [(u, r.contents) for u, r in metas])
    resolver = registry.resolver(base_uri="").in_subresource(resource)
    node = Node(schema, resolver, Location(ROOT_NAME, ""), locations, resource._specification)
    module = compile_module([Entry("schema", node)], format_assertion=format_assertion,
                            vocabularies={ROOT_NAME: disabled} if disabled else None)
    source = render_source(module)
    namespace: dict[str, Any] = {"__name__": "compiled_validator"}
    exec(compile(source, "<compiled validator>", "exec"), namespace)  # noqa: S102 -- our own generated code
    return CompiledValidator(namespace, source, module)


def _not_a_schema(schema: Any, default_draft: str, err: Exception) -> GenerationError:
    """The error for a schema that referencing cannot crawl (``{"items": [...]}`` in 2020-12, where
    ``items`` is one schema): its metaschema problems, as ``generate`` reports them, or else
    what referencing said (the fault is then in one of the remotes)."""
    import hashlib
    import json

    from ..check import check_document
    from ..load import Document

    text = json.dumps(schema, sort_keys=True, default=repr)
    doc = Document(ROOT_NAME, "", schema, hashlib.sha256(text.encode()).hexdigest())
    problems = check_document(doc, default_draft)
    return GenerationError(problems or [Problem(
        ROOT_NAME, "", f"a subschema here or in a remote is not a schema ({type(err).__name__}: {err})",
        hint="check the schema and the remotes against their metaschema")])


def render_source(module: ValidatorModule, header: str = "# Compiled in memory by generator.compile_validator.\n") -> str:
    return render_template(make_environment(), "validators.py.j2", {"header": header, "module": module})


def _remote_resource(contents: Any, default_draft: str) -> Resource[Any]:
    fallback = specification(default_draft)
    declared = contents.get("$schema") if isinstance(contents, dict) else None
    unknown = isinstance(declared, str) and declared_specification(contents) is None
    if fallback is SPECIFICATIONS[DRAFT_04] and (isinstance(contents, bool) or unknown):
        # draft-04 has no boolean schemas, and its id lookup fails on one: a remote that is a
        # boolean, or of an unknown dialect (which may hold booleans), is read as draft-06
        fallback = SPECIFICATIONS[DRAFT_06]
    if isinstance(contents, bool):
        return fallback.create_resource(contents)
    try:
        return resource_of(contents, fallback)
    except Exception:  # noqa: BLE001 -- unknown $schema dialect in a remote we may never use
        return fallback.create_resource(contents)


def _dialect(schema: Any, remotes: dict[str, Any], default_draft: str) -> tuple[Any, frozenset[str], bool]:
    """(specification or None for the usual lookup, keywords disabled by ``$vocabulary``,
    whether the metaschema asks for the format-assertion vocabulary)."""
    declared = schema.get("$schema") if isinstance(schema, dict) else None
    if not isinstance(declared, str) or normalize_draft_uri(declared) in SPECIFICATIONS:
        return None, frozenset(), False
    meta = remotes.get(declared) or remotes.get(normalize_draft_uri(declared))
    if not isinstance(meta, dict):
        raise GenerationError([Problem(ROOT_NAME, "/$schema", f"unknown or unsupported $schema {declared!r}",
                                       hint="declare draft 2020-12, 2019-09, 07, 06 or 04")])
    meta_spec = SPECIFICATIONS.get(normalize_draft_uri(str(meta.get("$schema", ""))), specification(default_draft))
    vocab = meta.get("$vocabulary")
    disabled: set[str] = set()
    if isinstance(vocab, dict):
        enabled = {uri.rstrip("/").rsplit("/", 1)[-1] for uri in vocab}
        for name, keywords in VOCAB_KEYWORDS.items():
            if name not in enabled:
                disabled |= keywords
        if "format-annotation" not in enabled and "format" not in enabled and "format-assertion" not in enabled:
            disabled.add("format")
        return meta_spec, frozenset(disabled), "format-assertion" in enabled
    return meta_spec, frozenset(disabled), False
