"""The whole pipeline, stage by stage: load -> check -> resolve -> IR -> name -> render -> format.

:func:`generate_files` is pure: it returns the package's files as a mapping
(relative path -> text) and writes nothing, so ``check`` and the golden tests
use exactly what ``generate`` would write (``write.py`` does the writing).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import __version__
from .build_ir import build_models
from .check import check_document
from .config import Target
from .errors import GenerationError, Problem
from .format import format_many
from .ir import (
    ANY,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    ModelRef,
    Package,
    Root,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from .load import Document, load_document
from .naming import apply_names, name_operations
from .render import make_environment, needs_conversion, render_template
from .resolve import Locations, Node, build_registry, find_ref_cycles
from .service import load_service
from .validation import Entry, compile_module


@dataclass(frozen=True, slots=True)
class Result:
    files: dict[str, str]  # path relative to the package folder -> text
    warnings: tuple[Problem, ...]
    package: Package


def _load_and_check(target: Target) -> tuple[list[Document], list[Problem]]:
    """Stages 1-2 over every file: the documents that passed, and the problems of the others."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in target.schemas:
        try:
            doc = load_document(path)
        except GenerationError as err:
            problems.extend(err.problems)
            continue
        problems.extend(check_document(doc))
        docs.append(doc)
    stems = [d.stem for d in docs]
    for d in docs:
        if stems.count(d.stem) > 1:
            problems.append(Problem(d.path, "", f"two schema files share the stem {d.stem!r}",
                                    hint="rename one: file stems key the VALIDATORS and MODELS registries"))
    failed = {p.file for p in problems}
    return [d for d in docs if d.path not in failed], problems


def build_package(target: Target) -> tuple[Package, Any]:
    """Stages 1-5: the named IR of a target, plus the compiled validator module.

    When some files fail to load or check, the others still go through the
    later stages, so one run reports every broken schema; problems that may
    only be echoes of a failed file ("document not given") are left out then.
    """
    docs, early = _load_and_check(target)
    if not early:
        return _build_package(target, docs)
    try:
        _build_package(target, docs)
    except GenerationError as err:
        early.extend(p for p in err.problems if "was not given" not in p.message)
    raise GenerationError(early)


def _build_package(target: Target, docs: list[Document]) -> tuple[Package, Any]:
    locations = Locations((d.path, d.contents) for d in docs)
    registry = build_registry(docs, metaschemas=locations.refers_to_metaschemas)
    root_nodes = [Node.root(d, registry, locations) for d in docs]
    cycles = find_ref_cycles(root_nodes)
    if cycles:
        raise GenerationError(cycles)
    roots, models, nodes = build_models(docs, root_nodes)
    named_roots, named_models = apply_names(roots, models)
    service = None
    if target.service is not None:
        service = load_service(target.service, {r.stem for r in named_roots})
        from dataclasses import replace

        service = replace(service, operations=tuple(name_operations(service.operations, service.file)))
    entries = [Entry(name=r.name, node=n, public=True) for r, n in zip(named_roots, root_nodes)]
    root_model_ids = {r.model_id for r in named_roots if r.model_is_root}
    entries += [
        Entry(name=m.validator_name, node=nodes[m.id], public=False)
        for m in named_models
        if m.id not in root_model_ids
    ]
    validator_module = compile_module(entries)
    package = Package(
        name=target.package,
        roots=tuple(named_roots),
        models=tuple(named_models),
        service=service,
        generator_version=__version__,
    )
    return package, validator_module


def render_package(package: Package, validator_module: Any, target: Target) -> dict[str, str]:
    """Stages 6-7: every file of the package, rendered and formatted."""
    env = make_environment(target.templates)
    by_id = {m.id: m for m in package.models}
    sources = [{"path": r.file, "sha256": r.sha256} for r in package.roots]
    if package.service:
        sources.append({"path": package.service.file, "sha256": package.service.sha256})
    header = render_template(
        env, "_header.j2", {"generator_version": package.generator_version, "sources": sources,
                            "regenerate": target.regenerate}
    )
    base: dict[str, Any] = {"header": header, "package_name": package.name, "by_id": by_id,
                            "models": list(package.models), "roots": list(package.roots),
                            "service": package.service, "any_type": ANY}
    models_ctx = {**base, **_model_imports(package)}
    roots_ctx = {"root_validator_names": ["ValidationError"] + [f"{p}_{r.name}" for r in package.roots for p in ("validate", "is_valid")]}
    files = {
        "models.py": render_template(env, "models.py.j2", models_ctx),
        "validators.py": render_template(env, "validators.py.j2", {"header": header, "module": validator_module}),
        "__init__.py": render_template(env, "__init__.py.j2", {**base, **roots_ctx, "exports": _exports(package),
                                                              "lazy_exports": _lazy_exports(package)}),
    }
    if package.service:
        client_ctx = {**base, **_client_context(package, by_id)}
        files["client.py"] = render_template(env, "client.py.j2", client_ctx)
        if package.service.batch:
            files["batching.py"] = render_template(env, "batching.py.j2", client_ctx)
    formatted = format_many({f"{package.name}/{name}": text for name, text in files.items()})
    out = {name: formatted[f"{package.name}/{name}"] for name in files}
    out["py.typed"] = ""
    out["README.md"] = render_template(env, "README.md.j2", {**base, "files": sorted([*out, "README.md"]), "sources": sources,
                                                            "generator_version": package.generator_version,
                                                            "regenerate": target.regenerate})
    return out


def _walk_types(t: TypeExpr) -> Iterator[TypeExpr]:
    yield t
    for child in _children(t):
        yield from _walk_types(child)


def _model_imports(package: Package) -> dict[str, Any]:
    """What models.py imports: only the names it uses (ruff's F401 holds generated code too)."""
    tops = [f.type for m in package.models for f in m.fields]
    tops += [m.extras for m in package.models if m.extras is not None]
    tops += [r.type for r in package.roots]
    typing = ["Any", "ClassVar"] if package.models else ["Any"]
    if any(isinstance(t, LiteralOf) for top in set(tops) for t in _walk_types(top)):
        typing.append("Literal")
    by_id = {m.id: m for m in package.models}
    tested: set[str] = set()
    for top in set(tops):
        _decoder_tests(top, tested)
    names = ["ValidationError"] + [f"validate_{m.validator_name}" for m in package.models]
    names += [f"validate_{r.name}" for r in package.roots]
    names += [f"is_valid_{by_id[mid].validator_name}" for mid in sorted(tested)]
    exports = ["UNSET", "Unset", *(m.class_name for m in package.models)]
    exports += [f"{verb}_{r.name}" for r in package.roots for verb in ("load", "dump")]
    return {"typing_imports": typing, "validator_imports": names, "model_exports": exports}


def _decoder_tests(t: TypeExpr, out: set[str]) -> None:
    """Models whose ``is_valid_*`` the decoder of ``t`` calls (mirrors ``decode`` in templates/_types.j2)."""
    if not needs_conversion(t):
        return
    if isinstance(t, UnionOf):
        for o in t.options:
            if needs_conversion(o):
                if not (t.discriminator and isinstance(o, ModelRef)):
                    _test_refs(o, out)
                _decoder_tests(o, out)
        return
    for child in _children(t):
        _decoder_tests(child, out)


def _test_refs(t: TypeExpr, out: set[str]) -> None:
    """Models whose ``is_valid_*`` the runtime test of ``t`` calls (mirrors ``test`` in templates/_types.j2)."""
    if isinstance(t, ModelRef):
        out.add(t.model_id)
    elif isinstance(t, UnionOf):
        for o in t.options:
            _test_refs(o, out)
    elif isinstance(t, (TupleOf, ListOf, MapOf)):
        for child in _children(t):
            if needs_conversion(child):
                _test_refs(child, out)


def _children(t: TypeExpr) -> list[TypeExpr]:
    out: list[TypeExpr] = [*getattr(t, "options", ()), *getattr(t, "items", ())]
    out += [c for c in (getattr(t, "item", None), getattr(t, "value", None), getattr(t, "rest", None)) if c is not None]
    return out


def _exports(package: Package) -> list[str]:
    names = ["UNSET", "Unset", "ValidationError", "VALIDATORS", "MODELS"]
    names += [m.class_name for m in package.models]
    for r in package.roots:
        names += [f"validate_{r.name}", f"is_valid_{r.name}"]
    names += [name for names_ in _lazy_exports(package).values() for name in names_]
    return sorted(set(names))


def _lazy_exports(package: Package) -> dict[str, list[str]]:
    """Client module -> the names ``__init__`` exports from it lazily (they need httpx)."""
    if not package.service:
        return {}
    out = {"client": ["ApiError", "AsyncClient", "Client", "RetryError", "RetryPolicy"]}
    if package.service.batch:
        out["batching"] = ["BatchStats", "BatchingClient", "MessageTooLargeError", "QueueFullError", "ShutdownError"]
    return out


#: Methods of the generated clients that an operation may not shadow.
_CLIENT_METHODS = frozenset({"aclose", "close", "flush", "stats"})


def _client_context(package: Package, by_id: dict[str, Model]) -> dict[str, Any]:
    assert package.service is not None
    roots = {r.stem: r for r in package.roots}
    ops: list[dict[str, Any]] = []
    used_models: dict[str, Model] = {}
    used_roots: dict[str, Root] = {}
    for op in package.service.operations:
        req = roots[op.request_stem]
        resp = roots.get(op.response_stem) if op.response_stem else None
        req_model = by_id.get(req.model_id) if req.model_id else None
        resp_model = by_id.get(resp.model_id) if resp and resp.model_id else None
        for m in (req_model, resp_model):
            if m:
                used_models[m.class_name] = m
        used_roots[req.name] = req
        if resp and not resp_model:
            used_roots[resp.name] = resp
        ops.append({"op": op, "request": req, "request_model": req_model, "response": resp,
                    "response_model": resp_model})
    clash = sorted(o["op"].name for o in ops if o["op"].name in _CLIENT_METHODS)
    if clash:
        raise GenerationError([Problem(package.service.file, "/operations", f"operation names clash with client methods: "
                                       f"{', '.join(clash)}", hint="rename the operation")])
    return {"operations": ops, "client_models": [used_models[k] for k in sorted(used_models)],
            "client_roots": [used_roots[k] for k in sorted(used_roots)], "batch": package.service.batch,
            "batched": [o for o in ops if o["op"].batch_type]}


def generate_files(target: Target) -> Result:
    package, validator_module = build_package(target)
    files = render_package(package, validator_module, target)
    warnings = tuple(getattr(validator_module, "warnings", ()))
    return Result(files=files, warnings=warnings, package=package)
