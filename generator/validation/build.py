"""``compile_module``: entries -> :class:`~.ir.ValidatorModule` (both IR layers).

Passes, each pure over the previous one's output:

1. compile (worklist, :mod:`.compiler`) -> ``Schema`` per subschema;
2. resolve aliases (a schema that is only ``{"$ref": ...}`` stands for its target);
3. count references, find cycles (Tarjan): a subschema used once and not on a
   cycle is inlined by the emitter, everything else is a function (recursion is
   a call), so each subschema's code exists once and output grows linearly;
4. annotation closure (which subschemas ``unevaluated*`` sees through);
5. naming: one identifier per subschema from its location, collisions
   resolved with a hash of the full location (independent of visit order, so
   ``$defs/Foo`` and ``$defs/foo`` or ``a_b`` and ``a/b`` never clash);
6. emit (:mod:`.emit`, :mod:`.emit_slow`), then keep only reachable functions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import GenerationError
from ..render import py_literal
from ..resolve import Node
from .compiler import Compiler
from .emit import simplify
from .emit_slow import INPLACE, SlowEmitter
from .formats import source_for
from .ir import Constant, DynamicTable, EntryPoint, Function, Line, Schema, ValidatorModule


@dataclass(frozen=True, slots=True)
class Entry:
    """One public (or private) validator of a generated module."""

    name: str
    node: Node
    public: bool = True


def compile_module(entries: Sequence[Entry], *, format_assertion: bool = False,
                   vocabularies: dict[str, frozenset[str]] | None = None) -> ValidatorModule:
    comp = Compiler(format_assertion=format_assertion, vocabularies=vocabularies)
    entry_fids = [comp.fid_for(e.node, comp.resource_of(e.node)) for e in entries]
    entry_resources = [comp.resource_of(e.node) for e in entries]
    comp.run()
    if comp.problems:
        raise GenerationError(comp.problems + comp.warnings)
    schemas = comp.schemas
    real = _resolve_aliases(schemas)
    tables, table_targets = _dynamic_tables(comp)
    refcount = _refcounts(schemas, real, [real[f] for f in entry_fids], table_targets)
    annotating = _annotation_closure(schemas, real, table_targets)
    names = _names(comp.where, [f for f in schemas if real[f] == f])
    emitter = SlowEmitter(schemas, names, comp.uses_dynamic, annotating, refcount, real, tables)

    functions: list[Function] = []
    for fid, s in schemas.items():
        if real[fid] != fid:
            continue
        name = names[fid]
        doc = s.title
        functions.append(Function(f"_v_{name}", "v", s.where, doc, tuple(simplify(emitter.fast_function(s)))))
        functions.append(Function(f"_e_{name}", "e", s.where, doc, tuple(simplify(emitter.error_function(s)))))
        if fid in annotating:
            functions.append(Function(f"_a_{name}", "a", s.where, doc, tuple(simplify(emitter.annot_function(s)))))

    constants = [Constant(name, source) for source, name in comp.constants.items()]
    constants += [Constant(name, f"re.compile({py_literal(pattern)}, re.ASCII)")
                  for pattern, name in comp.regexes.items()]
    dyn_tables = []
    for (kind, anchor), base in sorted(tables.items(), key=lambda kv: kv[1]):
        targets = table_targets[(kind, anchor)]
        for variant in ("v", "e", "a"):
            if variant == "a" and not all(real[f] in annotating for _, f in targets):
                continue
            dyn_tables.append(DynamicTable(f"{base}_{variant}", variant,
                                           tuple((r, f"_{variant}_{names[real[f]]}") for r, f in targets)))
    helpers = set(comp.helpers)
    if comp.regexes:
        helpers.add("re")
    if annotating:
        helpers.add("annotations")
    if comp.uses_dynamic:
        helpers.add("dynamic")
    fsource, fimports = source_for(set(comp.formats)) if comp.formats else ("", ())
    fast = {f.name: f.body for f in functions if f.variant == "v"}
    points = tuple(
        EntryPoint(e.name, e.public, names[real[fid]], schemas[fid].where, schemas[fid].title, res,
                   _direct_body(fast[f"_v_{names[real[fid]]}"]) if _direct(real[fid], schemas, real, comp) else ())
        for e, fid, res in zip(entries, entry_fids, entry_resources)
    )
    functions = _reachable(functions, points, dyn_tables)
    return ValidatorModule(
        entries=points,
        functions=tuple(functions),
        constants=tuple(constants),
        tables=tuple(dyn_tables),
        helpers=frozenset(helpers),
        formats=tuple(sorted(comp.formats)),
        dynamic=comp.uses_dynamic,
        schemas=tuple(schemas.values()),
        warnings=tuple(comp.warnings),
        format_source=fsource,
        format_imports=fimports,
    )


_CALLED = re.compile(r"\b_[vea]_[A-Za-z0-9_]+\b")


def _reachable(functions: list[Function], entries: tuple[EntryPoint, ...],
               tables: list[DynamicTable]) -> list[Function]:
    """Drop functions nothing calls (e.g. the fast variant of a child inlined into its parent)."""
    by_name = {f.name: f for f in functions}
    todo = [f"_e_{e.fid}" for e in entries] + [f"_v_{e.fid}" for e in entries if not e.direct_body]
    todo += [name for e in entries for line in e.direct_body for name in _CALLED.findall(line.code)]
    todo += [fn for t in tables for _, fn in t.targets]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        todo += [called for line in by_name[name].body for called in _CALLED.findall(line.code)]
    return [f for f in functions if f.name in seen]


def _direct_body(body: tuple[Line, ...]) -> tuple[Line, ...]:
    """The fast body as the body of ``is_valid_<name>(instance)``."""
    if any(re.search(r"\bx\b", line.code) for line in body):
        return (Line(0, "x: Any = instance"), *body)
    return body


def _direct(fid: str, schemas: dict[str, Schema], real: dict[str, str], comp: Compiler) -> bool:
    """No recursion is possible below ``fid``: the subschema graph is acyclic, no helper recurses."""
    if comp.uses_dynamic or "unique" in comp.helpers or "equal" in comp.helpers:
        return False
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack = [(fid, iter([real[sub] for a in schemas[fid].applies for _, sub in a.subs]))]
    state[fid] = 1
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            state[node] = 2
            stack.pop()
        elif state.get(child) == 1:
            return False
        elif child not in state:
            state[child] = 1
            stack.append((child, iter([real[sub] for a in schemas[child].applies for _, sub in a.subs])))
    return True


def _resolve_aliases(schemas: dict[str, Schema]) -> dict[str, str]:
    real: dict[str, str] = {}
    for fid in schemas:
        seen = [fid]
        cur = fid
        while schemas[cur].alias is not None:
            nxt = schemas[cur].alias
            assert nxt is not None
            if nxt in seen:  # a cycle of pure $refs: keep a real function (it recurses)
                break
            seen.append(nxt)
            cur = nxt
        real[fid] = cur
    # in a cycle, the fid where we stopped must be a real function
    for fid in set(real.values()):
        real[fid] = fid
    return real


def _dynamic_tables(comp: Compiler) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], list[tuple[int, str]]]]:
    tables: dict[tuple[str, str], str] = {}
    targets: dict[tuple[str, str], list[tuple[int, str]]] = {}
    used: set[tuple[str, str]] = set()
    for s in comp.schemas.values():
        for a in s.applies:
            if a.kind in ("dynamicRef", "recursiveRef"):
                used.add((a.kind, a.subs[0][0] or ""))
    for i, (kind, anchor) in enumerate(sorted(used)):
        tables[(kind, anchor)] = f"_DYN{i}"
        if kind == "dynamicRef":
            targets[(kind, anchor)] = sorted((r, anchors[anchor]) for r, anchors in comp.dynamic_anchors.items()
                                             if anchor in anchors)
        else:
            targets[(kind, anchor)] = sorted(comp.recursive_anchor.items())
    return tables, targets


def _refcounts(schemas: dict[str, Schema], real: dict[str, str], entries: list[str],
               table_targets: dict[tuple[str, str], list[tuple[int, str]]]) -> dict[str, int]:
    """How many places use each subschema; the emitter inlines those used exactly once.

    Entries count as shared (they have callers of their own), as do subschemas on a cycle
    (recursion stays a call) and dynamic-scope targets.  So every subschema's fast code exists
    exactly once -- inlined into its single user or as its own function -- and the output grows
    linearly with the schema.
    """
    count: dict[str, int] = {fid: 2 for fid in entries}
    for targets in table_targets.values():
        for _, fid in targets:
            count[real[fid]] = 2
    graph: dict[str, list[str]] = {}
    for fid, s in schemas.items():
        if real[fid] != fid:
            continue
        edges = graph.setdefault(fid, [])
        for a in s.applies:
            for _, sub in a.subs:
                r = real[sub]
                edges.append(r)
                count[r] = count.get(r, 0) + (2 if a.kind in ("dynamicRef", "recursiveRef") else 1)
    for fid in _on_cycles(graph):
        count[fid] = 2
    return count


def _on_cycles(graph: dict[str, list[str]]) -> set[str]:
    """Nodes on a cycle (Tarjan's strongly connected components, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: set[str] = set()
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    out.update(component)
    return out


def _annotation_closure(schemas: dict[str, Schema], real: dict[str, str],
                        table_targets: dict[tuple[str, str], list[tuple[int, str]]]) -> set[str]:
    todo = [fid for fid, s in schemas.items() if s.annotates and real[fid] == fid]
    seen: set[str] = set()
    while todo:
        fid = real[todo.pop()]
        if fid in seen:
            continue
        seen.add(fid)
        for a in schemas[fid].applies:
            if a.kind in INPLACE or a.kind == "dependentSchemas":
                todo += [sub for _, sub in a.subs]
            if a.kind in ("dynamicRef", "recursiveRef"):
                todo += [f for _, f in table_targets[(a.kind, a.subs[0][0] or "")]]
    return seen


_UNSAFE = re.compile(r"[^0-9A-Za-z_]+")


def _names(where: dict[str, tuple[str, str]], fids: list[str]) -> dict[str, str]:
    files = {where[f][0] for f in fids if where[f][0] != "<bool>"}
    single = len(files) <= 1
    base: dict[str, str] = {}
    for fid in fids:
        file, pointer = where[fid]
        if file == "<bool>":
            base[fid] = pointer
            continue
        parts = [] if single else [_stem(file)]
        parts.append(_UNSAFE.sub("_", pointer.replace("~1", "_").replace("~0", "_")).strip("_") or "root")
        name = "__".join(p for p in parts if p)
        if len(name) > 60:
            name = name[:60].rstrip("_") + "_" + _hash(file, pointer)
        base[fid] = name
    groups: dict[str, list[str]] = {}
    for fid, name in base.items():
        groups.setdefault(name.lower(), []).append(fid)
    out = {}
    for fid, name in base.items():
        if len(groups[name.lower()]) > 1:
            name = f"{name}_{_hash(*where[fid])}"
        out[fid] = name
    return out


def _stem(file: str) -> str:
    name = file.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".json", ".schema", ".yaml", ".yml"):
        name = name.removesuffix(suffix)
    return _UNSAFE.sub("_", name).strip("_") or "doc"


def _hash(file: str, pointer: str) -> str:
    return hashlib.sha256(f"{file}#{pointer}".encode()).hexdigest()[:8]
