"""The IR of a target as it is in the working tree, or as it was at a git revision (for ``diff``).

A :class:`Snapshot` is the named IR (:class:`~generator.ir.Package`) of one
target plus the schema node of every model (model ID -> :class:`Node`): the IR
carries types, the nodes carry the constraints (``maxLength``, ``pattern``...)
that ``diff`` compares as well.

At a revision, the committed files (``pyproject.toml`` and every schema and
service file its targets name) are read with ``git show REV:path`` into a
scratch folder of the same layout, built there, and their paths mapped back to
the working tree's, so that model IDs (``file#pointer``) compare equal.
Nothing here touches the working tree.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build_ir import IRBuilder, build_models
from .config import Target, load_targets
from .errors import GenerationError, Problem
from .ir import ListOf, MapOf, ModelRef, Package, TupleOf, TypeExpr, UnionOf
from .load import display_path, load_document
from .pipeline import build_package
from .resolve import Locations, Node, build_registry


@dataclass(frozen=True, slots=True)
class Snapshot:
    package: Package
    nodes: dict[str, Node]  # model id -> the model's schema node
    root_nodes: dict[str, Node] = field(default_factory=dict)  # root stem -> its schema node
    root_types: dict[str, TypeExpr] = field(default_factory=dict)  # root stem -> the type its validator accepts


def snapshot(target: Target) -> Snapshot:
    """The working tree's IR of ``target`` (stages 1-5), with each model's schema node."""
    package, _ = build_package(target)  # raises GenerationError on bad input: the files below are sound
    docs = [load_document(p) for p in target.schemas]
    registry = build_registry(docs)
    locations = Locations((d.path, d.contents) for d in docs)
    roots = [Node.root(d, registry, locations) for d in docs]
    _, _, nodes = build_models(docs, roots)
    builder = IRBuilder()  # the type of each root, for roots that are no model (a string, a list...)
    for d in docs:
        builder.name_root(d)
    types = {d.stem: builder.type_of(n) for d, n in zip(docs, roots)}
    return Snapshot(package, nodes, {d.stem: n for d, n in zip(docs, roots)}, types)


def empty(package: str) -> Snapshot:
    """A target that did not exist at the revision: everything in the new one is added."""
    return Snapshot(Package(name=package, roots=(), models=()), {})


# -- git -------------------------------------------------------------------------------------
class GitError(Exception):
    pass


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as err:
        raise GitError(f"cannot run git: {err.strerror}") from None


def _toplevel(cwd: Path) -> Path:
    proc = _git(["rev-parse", "--show-toplevel"], cwd)
    if proc.returncode != 0:
        raise GitError(f"{display_path(cwd)} is not inside a git repository")
    return Path(proc.stdout.decode().strip()).resolve()


def _verify(rev: str, top: Path) -> None:
    proc = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    if proc.returncode != 0:
        raise GitError(f"unknown git revision {rev!r}")


def _show(rev: str, top: Path, path: Path) -> bytes | None:
    """A file's bytes at ``rev`` (None when it did not exist there)."""
    try:
        rel = path.resolve().relative_to(top).as_posix()
    except ValueError:
        raise GitError(f"{display_path(path)} is outside the git repository {display_path(top)}") from None
    proc = _git(["show", f"{rev}:{rel}"], top)
    return proc.stdout if proc.returncode == 0 else None


class _Scratch:
    """A scratch folder mirroring the repository's layout, filled from one revision."""

    def __init__(self, rev: str, top: Path, folder: Path):
        self.rev, self.top, self.folder = rev, top, folder

    def mirror(self, path: Path) -> Path:
        return self.folder / path.resolve().relative_to(self.top)

    def fetch(self, path: Path) -> Path | None:
        """Copy ``path`` as it was at the revision; its scratch path, or None when it did not exist."""
        data = _show(self.rev, self.top, path)
        if data is None:
            return None
        dest = self.mirror(path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        return dest

    def unmirror(self) -> Callable[[str], str]:
        """Display path in the scratch folder -> the display path of the same file in the working tree."""
        old = display_path(self.folder) + "/"
        top = display_path(self.top)
        new = "" if top == "." else top + "/"

        def fix(path: str) -> str:
            return new + path[len(old):] if path.startswith(old) else path

        return fix


def snapshots_at(rev: str, targets: list[Target], config: Path | None) -> dict[str, Snapshot]:
    """Package name -> its snapshot at ``rev``.

    With ``config`` (a pyproject.toml), the targets are the ones that file
    declared at ``rev``; otherwise they are ``targets`` with their files as
    they were at ``rev`` (files that did not exist yet are left out).
    """
    anchor = config.resolve().parent if config is not None else Path.cwd()
    top = _toplevel(anchor)
    _verify(rev, top)
    with tempfile.TemporaryDirectory(prefix="generator-diff-") as tmp:
        scratch = _Scratch(rev, top, Path(tmp).resolve())
        old_targets = _targets_at(scratch, targets, config)
        fix = scratch.unmirror()
        out = {}
        for t in old_targets:
            try:
                out[t.package] = _relocate(snapshot(t), fix) if t.schemas else empty(t.package)
            except GenerationError as err:  # name the files as they are in the repository
                raise GenerationError([replace(p, file=fix(p.file), message=f"{p.message} (at {rev})")
                                       for p in err.problems]) from None
        return out


def _targets_at(scratch: _Scratch, targets: list[Target], config: Path | None) -> list[Target]:
    if config is not None:
        copied = scratch.fetch(config)
        if copied is None:
            return []
        try:
            declared = load_targets(copied)
        except GenerationError:
            return []  # no [tool.generator] targets at that revision
        out = []
        for t in declared:
            real = [scratch.top / p.relative_to(scratch.folder) for p in t.schemas]
            schemas = []
            for path in real:
                got = scratch.fetch(path)
                if got is None:
                    raise GenerationError([Problem(display_path(config), "/tool/generator/targets",
                                                   f"{display_path(path)} is listed but missing at {scratch.rev}",
                                                   hint="diff against another revision (--against REV)")])
                schemas.append(got)
            service = None
            if t.service is not None:
                service = scratch.fetch(scratch.top / t.service.relative_to(scratch.folder))
            out.append(replace(t, schemas=tuple(schemas), service=service))
        return out
    out = []
    for t in targets:
        fetched = tuple(p for p in (scratch.fetch(s) for s in t.schemas) if p is not None)
        service = scratch.fetch(t.service) if t.service is not None and fetched else None
        out.append(replace(t, schemas=fetched, service=service))
    return out


# -- mapping scratch paths back --------------------------------------------------------------
def _relocate(snap: Snapshot, fix: Callable[[str], str]) -> Snapshot:
    def mid(model_id: str) -> str:
        file, _, pointer = model_id.partition("#")
        return f"{fix(file)}#{pointer}"

    def typ(t: TypeExpr) -> TypeExpr:
        if isinstance(t, ModelRef):
            return ModelRef(mid(t.model_id))
        if isinstance(t, ListOf):
            return replace(t, item=typ(t.item))
        if isinstance(t, MapOf):
            return MapOf(typ(t.value))
        if isinstance(t, UnionOf):
            return UnionOf(tuple(typ(o) for o in t.options))
        if isinstance(t, TupleOf):
            return TupleOf(tuple(typ(i) for i in t.items), typ(t.rest) if t.rest is not None else None)
        return t

    p = snap.package
    models = tuple(
        replace(m, id=mid(m.id), file=fix(m.file), extras=typ(m.extras) if m.extras is not None else None,
                fields=tuple(replace(f, type=typ(f.type)) for f in m.fields))
        for m in p.models
    )
    roots = tuple(replace(r, file=fix(r.file), model_id=mid(r.model_id) if r.model_id else None) for r in p.roots)
    service = replace(p.service, file=fix(p.service.file)) if p.service is not None else None
    package = replace(p, models=models, roots=roots, service=service)
    return Snapshot(package, {mid(k): v for k, v in snap.nodes.items()}, snap.root_nodes,
                    {k: typ(v) for k, v in snap.root_types.items()})
