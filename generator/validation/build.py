"""``compile_module``: entries -> :class:`~.ir.ValidatorModule` (both IR layers).

Passes, each pure over the previous one's output:

1. compile (worklist, :mod:`.compiler`) -> ``Schema`` per subschema;
2. resolve aliases (a schema that is only ``{"$ref": ...}`` stands for its target);
3. count references, find cycles (Tarjan): a subschema used once and not on a
   cycle is inlined by the emitter, everything else is a function (recursion is
   a call), so each subschema's code exists once and output grows linearly;
   from the same graph, which entries cannot recurse (their fast body goes
   straight into ``is_valid_<name>``);
4. annotation closure (which subschemas ``unevaluated*`` sees through);
5. naming: one identifier per subschema from its location, collisions
   resolved with a hash of the full location (independent of visit order, so
   ``$defs/Foo`` and ``$defs/foo`` or ``a_b`` and ``a/b`` never clash);
6. emit (:mod:`.emit`, :mod:`.emit_slow`) the functions reachable from the
   entries, on demand: a subschema inlined into its single user gets no body
   of its own.

Every graph pass here is iterative and visits each subschema a bounded number
of times *in total*, not once per entry: a schema with thousands of entries
and ``$defs`` (or a ``$ref`` chain thousands long) compiles in time linear in
its size, without deep Python recursion.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
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
    graph = _subschema_graph(schemas, real)
    cyclic = _on_cycles(graph)
    refcount = _refcounts(schemas, real, [real[f] for f in entry_fids], table_targets, cyclic)
    direct = _direct_fids(graph, cyclic, comp)
    annotating = _annotation_closure(schemas, real, table_targets)
    names = _names(comp.where, [f for f in schemas if real[f] == f])
    emitter = SlowEmitter(schemas, names, comp.uses_dynamic, annotating, refcount, real, tables)
    functions = _Functions(schemas, real, names, annotating, emitter)

    constants = [Constant(name, source, "Any" if name in comp.untyped_constants else None)
                 for source, name in comp.constants.items()]
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
    points = tuple(
        EntryPoint(e.name, e.public, names[real[fid]], schemas[fid].where, schemas[fid].title, res,
                   _direct_body(functions.get(f"_v_{names[real[fid]]}").body) if real[fid] in direct else ())
        for e, fid, res in zip(entries, entry_fids, entry_resources)
    )
    return ValidatorModule(
        entries=points,
        functions=tuple(functions.reachable(points, dyn_tables)),
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


class _Functions:
    """Every function the module may have, emitted on first use; :meth:`reachable` keeps the used ones.

    Emitting only what an entry, a dynamic-scope table or another emitted function calls gives
    the same output as emitting everything and dropping what nothing calls, without the waste:
    the standalone body of a subschema inlined into its single user (which re-inlines its own
    single-use children) is never built.  On a chain of single-use ``$ref``s that waste was most
    of the compile time.
    """

    def __init__(self, schemas: dict[str, Schema], real: dict[str, str], names: dict[str, str],
                 annotating: set[str], emitter: SlowEmitter):
        self.emitter = emitter
        self.candidates: dict[str, tuple[Schema, str]] = {}  # name -> (schema, variant), in output order
        for fid, s in schemas.items():
            if real[fid] == fid:
                for variant in ("v", "e", "a") if fid in annotating else ("v", "e"):
                    self.candidates[f"_{variant}_{names[fid]}"] = (s, variant)
        self.emitted: dict[str, Function] = {}

    def get(self, name: str, guard: bool = False) -> Function:
        function = self.emitted.get(name)
        if function is None:
            s, variant = self.candidates[name]
            if variant == "v":
                body = self.emitter.fast_function(s, guard=guard)
            else:
                body = (self.emitter.error_function if variant == "e" else self.emitter.annot_function)(s)
            function = Function(name, variant, s.where, s.title, tuple(simplify(body)))
            self.emitted[name] = function
        return function

    def reachable(self, entries: tuple[EntryPoint, ...], tables: list[DynamicTable]) -> list[Function]:
        """The functions the entries and tables call, directly or not (e.g. not the fast variant
        of a child inlined into its parent), in schema order.

        First the fast path: what ``is_valid_<name>`` and the dynamic-scope tables reach through
        fast and annotation functions.  Then the error path; a fast function it needs that the
        fast path does not is a *guard* (see :meth:`.emit.Emitter.fast_function`)."""
        fast = [f"_v_{e.fid}" for e in entries if not e.direct_body]
        fast += [name for e in entries for line in e.direct_body for name in _CALLED.findall(line.code)]
        fast += [fn for t in tables for _, fn in t.targets if not fn.startswith("_e_")]
        seen = self._closure(fast, set(), lambda name: not name.startswith("_e_"))
        errors = [f"_e_{e.fid}" for e in entries] + [fn for t in tables for _, fn in t.targets if fn.startswith("_e_")]
        self._closure(errors, seen, lambda name: True, guard=True)
        return [self.emitted[name] for name in self.candidates if name in seen]

    def _closure(self, todo: list[str], seen: set[str], follow: Callable[[str], bool],
                 guard: bool = False) -> set[str]:
        """``seen`` plus the functions ``todo`` names and those they call (only the calls
        ``follow`` accepts), emitting each one on first sight."""
        while todo:
            name = todo.pop()
            if name in seen or name not in self.candidates or not follow(name):
                continue
            seen.add(name)
            todo += [called for line in self.get(name, guard).body for called in _CALLED.findall(line.code)]
        return seen


def _direct_body(body: tuple[Line, ...]) -> tuple[Line, ...]:
    """The fast body as the body of ``is_valid_<name>(instance)``."""
    if any(re.search(r"\bx\b", line.code) for line in body):
        return (Line(0, "x: Any = instance"), *body)
    return body


#: the most nested calls an entry's direct body may make (an upper bound: edges of the longest
#: path below it); deeper acyclic chains keep the ``RecursionError`` guard of ``is_valid_<name>``
MAX_DIRECT_CALL_DEPTH = 200


def _direct_fids(graph: dict[str, list[str]], cyclic: set[str], comp: Compiler) -> set[str]:
    """The (real) subschemas below which no deep recursion is possible: no cycle is reachable, no
    helper recurses, and the longest call path is short (``MAX_DIRECT_CALL_DEPTH``).

    Their entries get the fast body inlined into ``is_valid_<name>`` with no ``RecursionError``
    guard.  Decided for every subschema in one post-order pass (longest path in the acyclic part),
    not by a walk per entry: that was quadratic on schemas with many entries.
    """
    if comp.uses_dynamic or "unique" in comp.helpers or "equal" in comp.helpers:
        return set()
    unbounded = MAX_DIRECT_CALL_DEPTH + 1
    height: dict[str, int] = {}  # longest path (in edges) below a node; ``unbounded`` if a cycle is reachable
    for start, edges in graph.items():
        if start in height:
            continue
        stack = [(start, iter(edges))]
        while stack:
            node, children = stack[-1]
            if node in cyclic:
                height[node] = unbounded
                stack.pop()
                continue
            child = next(children, None)
            if child is not None:
                if child not in height:
                    # a child still being explored would close a cycle, so it would be in ``cyclic``
                    # (handled above): every node met here is new or finished
                    stack.append((child, iter(graph[child])))
                continue
            stack.pop()
            height[node] = min(unbounded, max((height[c] + 1 for c in graph[node]), default=0))
    return {fid for fid, h in height.items() if h < unbounded}


def _resolve_aliases(schemas: dict[str, Schema]) -> dict[str, str]:
    """fid -> the fid that does the work: a pure ``{"$ref": ...}`` stands for its target, transitively.

    Each alias has one target, so the aliases form chains that end at a real schema or run into
    a cycle of pure ``$ref``s.  In a cycle every member stays a real function (it recurses); a
    chain running into the cycle stands for the member just before the one it enters by.  Each
    fid is followed once overall (the end of a chain is remembered for every fid on it), so a
    chain thousands of ``$ref``s long costs its length, not its length squared or cubed.
    """
    via: dict[str, str] = {}  # fid -> what a chain passing through it resolves to
    on_cycle: set[str] = set()
    for fid in schemas:
        path: list[str] = []  # aliases followed from ``fid`` whose end is not known yet
        index: dict[str, int] = {}
        cur = fid
        while cur not in via and cur not in index:
            nxt = schemas[cur].alias
            if nxt is None:
                via[cur] = cur
                break
            index[cur] = len(path)
            path.append(cur)
            cur = nxt
        if cur in index:  # back to an alias on this path: path[index[cur]:] is a cycle of pure $refs
            cycle = path[index[cur]:]
            del path[index[cur]:]
            for i, member in enumerate(cycle):
                via[member] = cycle[i - 1]  # entering the cycle at ``member`` stops at its predecessor
                on_cycle.add(member)
        end = via[cur]
        for member in path:
            via[member] = end
    return {fid: fid if fid in on_cycle else via[fid] for fid in schemas}


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


def _subschema_graph(schemas: dict[str, Schema], real: dict[str, str]) -> dict[str, list[str]]:
    """Real fid -> the real fids its applicators use (in order, repeats kept); built once, shared
    by the cycle and direct-body passes."""
    return {fid: [real[sub] for a in s.applies for _, sub in a.subs]
            for fid, s in schemas.items() if real[fid] == fid}


def _refcounts(schemas: dict[str, Schema], real: dict[str, str], entries: list[str],
               table_targets: dict[tuple[str, str], list[tuple[int, str]]], cyclic: set[str]) -> dict[str, int]:
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
    for fid, s in schemas.items():
        if real[fid] != fid:
            continue
        for a in s.applies:
            for _, sub in a.subs:
                r = real[sub]
                count[r] = count.get(r, 0) + (2 if a.kind in ("dynamicRef", "recursiveRef") else 1)
    for fid in cyclic:
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
        if len(name) > _LONG_NAME:
            name = _tail(name) + "_" + _hash(file, pointer)
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


#: a function name longer than this keeps only the end of its pointer (the part that tells it
#: apart), cut at a word, plus a hash: at most 40 characters.  Long names made black rewrap the
#: lines that call them (``if "column" in x and not _v_defs_github_com_databricks_...(x["column"]):``)
#: and black's second pass then doubled its time on such schemas.
_LONG_NAME = 48


def _tail(name: str) -> str:
    """The last 31 characters or fewer of ``name``, from the start of a word (after ``_``, or a
    capital after a small letter: ``GuardrailPiiBehavior_oneOf_0``)."""
    tail = name[-32:]
    for i in range(1, len(tail)):
        if (tail[i - 1] == "_" and tail[i] != "_") or (tail[i].isupper() and tail[i - 1].islower()):
            return tail[i:].strip("_") or "f"
    return tail.strip("_") or "f"


def _stem(file: str) -> str:
    name = file.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".json", ".schema", ".yaml", ".yml"):
        name = name.removesuffix(suffix)
    return _UNSAFE.sub("_", name).strip("_") or "doc"


def _hash(file: str, pointer: str) -> str:
    return hashlib.sha256(f"{file}#{pointer}".encode()).hexdigest()[:8]
