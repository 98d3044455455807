"""``diff``: what changed in a generated API between two snapshots, and whom it breaks.

Compares two :class:`~generator.snapshot.Snapshot` values (the IR plus each
model's schema node) and lists every change to a model, field, validator or
operation.  Each change is classified twice:

* **writers** -- code that builds payloads (calls the constructors, sends
  requests).  A change breaks them when a payload that was valid may now be
  rejected, or a name they use is gone (types narrowed, enum values removed,
  constraints tightened, fields made required, anything removed or renamed);
* **readers** -- code that reads payloads (``from_dict``, responses).  A change
  breaks them when a declared attribute may now hold a value it could not hold
  before, or a name they use is gone (types widened, enum values added,
  constraints loosened, fields made optional, anything removed or renamed).

Adding an optional field, a model, a validator or an operation breaks nobody.
Models are matched by ID (``file#pointer``), then a removed and an added model
with the same fields are a rename; fields are matched by JSON name, then a
removed and an added field of one model with the same type are a rename.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from .ir import (
    ANY,
    FORMAT_TYPES,
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    ModelRef,
    Prim,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from .render import PRIM_ANNOTATIONS
from .resolve import Node
from .snapshot import Snapshot

#: Every kind of change, in report order, with (breaks writers, breaks readers).
KINDS: dict[str, tuple[bool, bool]] = {
    "model-added": (False, False),
    "model-removed": (True, True),
    "model-renamed": (True, True),
    "field-added": (False, False),  # a required field added breaks writers: see _field_added
    "field-removed": (True, True),
    "field-renamed": (True, True),
    "made-required": (True, False),
    "made-optional": (False, True),
    "type-narrowed": (True, False),
    "type-widened": (False, True),
    "type-changed": (True, True),
    "enum-values-added": (False, True),
    "enum-values-removed": (True, False),
    "constraint-tightened": (True, False),
    "constraint-loosened": (False, True),
    "constraint-changed": (True, True),
    "validator-added": (False, False),
    "validator-removed": (True, True),
    "validator-renamed": (True, True),
    "operation-added": (False, False),
    "operation-removed": (True, True),
    "operation-changed": (True, True),
}
_ORDER = {k: i for i, k in enumerate(KINDS)}

#: Constraint keywords of a field's schema: ``min``: larger is tighter; ``max``: smaller is tighter;
#: ``set``: more members is tighter (``required``) or fewer is (``enum``); others: added is tighter.
_MIN = ("minLength", "minItems", "minProperties", "minContains", "minimum", "exclusiveMinimum")
_MAX = ("maxLength", "maxItems", "maxProperties", "maxContains", "maximum", "exclusiveMaximum")
FIELD_KEYWORDS = _MIN + _MAX + ("multipleOf", "pattern", "format", "uniqueItems", "enum", "const", "contains",
                                "propertyNames", "not", "if", "then", "else", "anyOf", "oneOf")
#: Rules of an object schema that its fields do not show (checked by the model's validator).
MODEL_KEYWORDS = ("minProperties", "maxProperties", "propertyNames", "dependentRequired", "dependentSchemas",
                  "dependencies", "anyOf", "oneOf", "not", "if", "then", "else", "required")


@dataclass(frozen=True, slots=True)
class Change:
    subject: str  # model | field | validator | operation
    name: str  # Class, Class.attribute, validate_x, operation name
    kind: str  # a key of KINDS
    detail: str
    writers: bool  # breaks code that builds payloads
    readers: bool  # breaks code that reads them
    where: str = ""  # file#pointer of the schema (new side, else old)
    group: str = ""  # the model it belongs to (class name), "validators" or "operations"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["writers"] = "breaking" if self.writers else "compatible"
        d["readers"] = "breaking" if self.readers else "compatible"
        return d


def _change(subject: str, name: str, kind: str, detail: str, where: str = "", group: str = "",
            writers: bool | None = None) -> Change:
    w, r = KINDS[kind]
    return Change(subject, name, kind, detail, w if writers is None else writers, r, where, group)


# -- types -----------------------------------------------------------------------------------
def show_type(t: TypeExpr, names: dict[str, str]) -> str:
    """A type as its Python annotation (model IDs shown as class names)."""
    if isinstance(t, Prim):
        return PRIM_ANNOTATIONS[t.name]
    if isinstance(t, ListOf):
        return f"list[{show_type(t.item, names)}]"
    if isinstance(t, TupleOf):
        parts = [show_type(i, names) for i in t.items] + ([f"*{show_type(t.rest, names)}"] if t.rest else [])
        return f"tuple[{', '.join(parts)}]"
    if isinstance(t, MapOf):
        return f"dict[str, {show_type(t.value, names)}]"
    if isinstance(t, UnionOf):
        return " | ".join(show_type(o, names) for o in t.options)
    if isinstance(t, LiteralOf):
        return f"Literal[{', '.join(repr(v) for v in t.values)}]"
    return names.get(t.model_id, t.model_id)


def _norm(t: TypeExpr, ids: dict[str, str]) -> TypeExpr:
    """Old model IDs mapped to new ones; ``uniqueItems`` dropped (compared as a constraint)."""
    if isinstance(t, ModelRef):
        return ModelRef(ids.get(t.model_id, t.model_id))
    if isinstance(t, ListOf):
        return ListOf(_norm(t.item, ids))
    if isinstance(t, MapOf):
        return MapOf(_norm(t.value, ids))
    if isinstance(t, UnionOf):
        return UnionOf(tuple(_norm(o, ids) for o in t.options))
    if isinstance(t, TupleOf):
        return TupleOf(tuple(_norm(i, ids) for i in t.items), _norm(t.rest, ids) if t.rest is not None else None)
    return t


def _literal_in(v: Any, t: TypeExpr) -> bool:
    if t == ANY:
        return True
    if isinstance(t, UnionOf):
        return any(_literal_in(v, o) for o in t.options)
    if isinstance(t, LiteralOf):
        return any(v == w and type(v) is type(w) for w in t.values)
    if isinstance(t, Prim):
        if v is None:
            return t.name == "none"
        if isinstance(v, bool):
            return t.name == "bool"
        if isinstance(v, int):
            return t.name in ("int", "float")
        return isinstance(v, str) and t.name == "str"
    return False


def is_subtype(a: TypeExpr, b: TypeExpr) -> bool:
    """Whether every value of ``a`` is a value of ``b`` (for the Python types too: ``int`` fits ``float``)."""
    if a == b or b == ANY:
        return True
    if a == ANY:
        return False
    if isinstance(a, UnionOf):
        return all(is_subtype(o, b) for o in a.options)
    if isinstance(a, LiteralOf):
        return all(_literal_in(v, b) for v in a.values)
    if isinstance(b, UnionOf):
        return any(is_subtype(a, o) for o in b.options)
    if isinstance(a, Prim) and isinstance(b, Prim):
        return (a.name, b.name) == ("int", "float")
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return is_subtype(a.item, b.item)
    if isinstance(a, MapOf) and isinstance(b, MapOf):
        return is_subtype(a.value, b.value)
    if isinstance(a, TupleOf) and isinstance(b, TupleOf):
        rest_ok = a.rest is None or (b.rest is not None and is_subtype(a.rest, b.rest))
        return len(a.items) == len(b.items) and rest_ok and all(map(is_subtype, a.items, b.items))
    return False


def _literals(t: TypeExpr) -> tuple[list[Any], list[TypeExpr]] | None:
    """A type's enum values and its other options; None when it has no enum."""
    options = list(t.options) if isinstance(t, UnionOf) else [t]
    lits = [o for o in options if isinstance(o, LiteralOf)]
    if len(lits) != 1:
        return None
    return list(lits[0].values), [o for o in options if not isinstance(o, LiteralOf)]


def _has(values: list[Any], v: Any) -> bool:
    return any(v == w and type(v) is type(w) for w in values)


def type_changes(old: TypeExpr, new: TypeExpr, shown: tuple[str, str]) -> list[tuple[str, str]]:
    """(kind, detail) for a type that changed from ``old`` to ``new`` (both normalized)."""
    if old == new:
        return []
    lo, ln = _literals(old), _literals(new)
    if lo and ln and lo[1] == ln[1]:
        out = []
        added = [v for v in ln[0] if not _has(lo[0], v)]
        removed = [v for v in lo[0] if not _has(ln[0], v)]
        if added:
            out.append(("enum-values-added", "enum values added: " + ", ".join(map(repr, added))))
        if removed:
            out.append(("enum-values-removed", "enum values removed: " + ", ".join(map(repr, removed))))
        if out:
            return out
    sub, sup = is_subtype(new, old), is_subtype(old, new)
    if sub and sup:
        return []  # the same values, spelled differently
    kind = "type-narrowed" if sub else "type-widened" if sup else "type-changed"
    return [(kind, f"{shown[0]} -> {shown[1]}")]


# -- constraints from the schema nodes -------------------------------------------------------
def _parts(node: Node) -> Iterator[Node]:
    """A schema with its ``allOf`` members and ``$ref`` targets, recursively (as build_ir merges them)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        c = cur.contents
        if not isinstance(c, dict) or id(c) in seen:
            continue
        seen.add(id(c))
        yield cur
        if isinstance(c.get("allOf"), list):
            stack.extend(cur.child("allOf", i) for i in reversed(range(len(c["allOf"]))))
        if isinstance(c.get("$ref"), str):
            stack.append(cur.follow(c["$ref"]))


def _keywords(node: Node | None, keys: tuple[str, ...], skip_formats: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if node is None:
        return out
    for part in _parts(node):
        for k in keys:
            if k in part.contents and k not in out:
                v = part.contents[k]
                if k == "format" and skip_formats and v in FORMAT_TYPES:
                    continue  # the type shows it (datetime, UUID...)
                if k in ("anyOf", "oneOf") and keys is FIELD_KEYWORDS and _typed_branches(v):
                    continue  # a union type shows it
                if k in ("enum", "const") and all(x is None or isinstance(x, (str, int, bool)) for x in
                                                   (v if k == "enum" and isinstance(v, list) else [v])):
                    continue  # a Literal type shows it
                out[k] = v
        items = part.contents.get("items")
        if isinstance(items, dict) and not any(k.startswith("items.") for k in out):
            if any("properties" in p.contents for p in _parts(part.child("items"))):
                continue  # items are a model: its rules are reported on that model
            for k, v in _keywords(part.child("items"), keys, skip_formats).items():
                out[f"items.{k}"] = v
    return out


def _typed_branches(branches: Any) -> bool:
    keys = ("type", "$ref", "properties", "items", "enum", "const", "oneOf", "anyOf", "allOf")
    return isinstance(branches, list) and any(isinstance(b, dict) and any(k in b for k in keys) for b in branches)


def field_node(model: Node | None, json_name: str) -> Node | None:
    if model is None:
        return None
    for part in _parts(model):
        props = part.contents.get("properties")
        if isinstance(props, dict) and json_name in props:
            return part.child("properties", json_name)
    return None


def model_rules(node: Node | None, fields: tuple[Field, ...]) -> dict[str, Any]:
    rules = _keywords(node, MODEL_KEYWORDS)
    rules = {k: v for k, v in rules.items() if not k.startswith("items.")}
    if node is not None:  # required names that are not declared fields (declared ones: made-required)
        declared = {f.json_name for f in fields}
        extra = sorted({r for p in _parts(node) for r in p.contents.get("required", []) if isinstance(r, str)}
                       - declared)
        rules.pop("required", None)
        if extra:
            rules["required"] = extra
    return rules


def _js(v: Any) -> str:
    return json.dumps(v, sort_keys=True, ensure_ascii=False)


def constraint_change(key: str, old: Any, new: Any) -> tuple[str, str] | None:
    """(kind, detail) for one keyword, or None when it did not change."""
    base = key.rsplit(".", 1)[-1]
    if base == "uniqueItems":  # false is the default: the same as absent
        old, new = (True if old is True else None), (True if new is True else None)
    if old is not None and new is not None and _js(old) == _js(new):
        return None
    if old is None and new is None:
        return None
    shown = f"{key}: {_js(old) if old is not None else '(none)'} -> {_js(new) if new is not None else '(none)'}"
    if old is None:
        return ("constraint-tightened", shown)
    if new is None:
        return ("constraint-loosened", shown)
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (old, new))
    if numbers and base in _MIN:
        return ("constraint-tightened" if new > old else "constraint-loosened", shown)
    if numbers and base in _MAX:
        return ("constraint-tightened" if new < old else "constraint-loosened", shown)
    if numbers and base == "multipleOf":
        if new % old == 0:
            return ("constraint-tightened", shown)
        if old % new == 0:
            return ("constraint-loosened", shown)
    if base in ("required", "enum") and isinstance(old, list) and isinstance(new, list):
        o, n = {_js(x) for x in old}, {_js(x) for x in new}
        grows_tighter = base == "required"
        if o < n:
            return ("constraint-tightened" if grows_tighter else "constraint-loosened", shown)
        if n < o:
            return ("constraint-loosened" if grows_tighter else "constraint-tightened", shown)
    return ("constraint-changed", shown)


def constraint_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key in sorted(set(old) | set(new)):
        got = constraint_change(key, old.get(key), new.get(key))
        if got:
            out.append(got)
    return out


# -- matching --------------------------------------------------------------------------------
def _signature(m: Model, names: dict[str, str]) -> tuple[Any, ...]:
    return tuple(sorted((f.json_name, show_type(f.type, names), f.required) for f in m.fields))


def _pair(removed: list[Any], added: list[Any], key: Any) -> list[tuple[Any, Any]]:
    """Removed/added items with one unique equal key on each side: renames."""
    out = []
    for r in removed:
        k = key(r, "old")
        olds = [x for x in removed if key(x, "old") == k]
        news = [a for a in added if key(a, "new") == k]
        if len(olds) == 1 and len(news) == 1:
            out.append((r, news[0]))
    return out


def _where(m: Model, pointer: str = "") -> str:
    return f"{m.file}#{m.pointer}{pointer}"


def _esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# -- comparison ------------------------------------------------------------------------------
def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    """Every change from ``old`` to ``new``, in report order."""
    om = {m.id: m for m in old.package.models}
    nm = {m.id: m for m in new.package.models}
    onames = {m.id: m.class_name for m in om.values()}
    nnames = {m.id: m.class_name for m in nm.values()}
    changes: list[Change] = []
    removed = [om[i] for i in sorted(set(om) - set(nm))]
    added = [nm[i] for i in sorted(set(nm) - set(om))]
    pairs = _pair(removed, added, lambda m, side: _signature(m, onames if side == "old" else nnames))
    ids = {o.id: n.id for o, n in pairs}
    for o, n in pairs:
        changes.append(_change("model", n.class_name, "model-renamed",
                               f"{o.class_name} ({_where(o)}) moved to {n.class_name} ({_where(n)})",
                               _where(n), n.class_name))
    for o in removed:
        if o.id not in ids:
            changes.append(_change("model", o.class_name, "model-removed", f"removed ({_fields(o)})",
                                   _where(o), o.class_name))
    for n in added:
        if n.id not in ids.values():
            changes.append(_change("model", n.class_name, "model-added", f"added ({_fields(n)})",
                                   _where(n), n.class_name))
    both = [(om[i], nm[i]) for i in sorted(set(om) & set(nm))] + pairs
    for o, n in both:
        changes += _compare_model(o, n, old.nodes.get(o.id), new.nodes.get(n.id), ids, onames, nnames)
    changes += _compare_roots(old, new)
    changes += _compare_operations(old, new)
    order = {"validators": (1, ""), "operations": (2, "")}
    return sorted(changes, key=lambda c: (order.get(c.group, (0, c.group)), c.subject != "model", c.name,
                                          _ORDER[c.kind], c.detail))


def _compare_model(o: Model, n: Model, onode: Node | None, nnode: Node | None, ids: dict[str, str],
                   onames: dict[str, str], nnames: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    cls = n.class_name
    if o.class_name != n.class_name and o.id == n.id:
        out.append(_change("model", cls, "model-renamed", f"class {o.class_name} renamed to {n.class_name}",
                           _where(n), cls))
    # undeclared keys (additionalProperties / patternProperties)
    if o.extras != n.extras:
        detail = "additionalProperties: {} -> {}".format(
            "not allowed" if o.extras is None else show_type(o.extras, onames),
            "not allowed" if n.extras is None else show_type(n.extras, nnames))
        if n.extras is None:
            kind = "constraint-tightened"
        elif o.extras is None:
            kind = "constraint-loosened"
        else:
            sub, sup = is_subtype(n.extras, _norm(o.extras, ids)), is_subtype(_norm(o.extras, ids), n.extras)
            kind = "constraint-tightened" if sub else "constraint-loosened" if sup else "constraint-changed"
        if kind == "constraint-loosened":  # undeclared keys land in `extra`: declared attributes are unchanged
            out.append(Change("model", cls, kind, detail, False, False, _where(n), cls))
        else:
            out.append(_change("model", cls, kind, detail, _where(n), cls))
    # rules the validator checks beyond the fields
    for kind, detail in constraint_changes(model_rules(onode, o.fields), model_rules(nnode, n.fields)):
        out.append(_change("validator", f"validate_{n.validator_name}", kind, detail, _where(n), cls))
    # fields
    of = {f.json_name: f for f in o.fields}
    nf = {f.json_name: f for f in n.fields}
    gone = [of[k] for k in sorted(set(of) - set(nf))]
    new = [nf[k] for k in sorted(set(nf) - set(of))]
    renamed = _pair(gone, new, lambda f, side: _norm(f.type, ids) if side == "old" else f.type)
    renamed_old = {a.json_name for a, _ in renamed}
    renamed_new = {b.json_name for _, b in renamed}
    for f in gone:
        if f.json_name not in renamed_old:
            out.append(_change("field", f"{cls}.{f.py_name}", "field-removed",
                               f"{_label(f)} removed (was {_req(f)} {show_type(f.type, onames)})",
                               _where(n, "/properties/" + _esc(f.json_name)), cls))
    for f in new:
        if f.json_name not in renamed_new:
            open_before = " (was allowed as an undeclared key, kept in `extra`)" if o.extras is not None else ""
            out.append(_change("field", f"{cls}.{f.py_name}", "field-added",
                               f"{_label(f)} added, {_req(f)} {show_type(f.type, nnames)}{open_before}",
                               _where(n, "/properties/" + _esc(f.json_name)), cls, writers=f.required))
    for a, b in renamed:
        out.append(_change("field", f"{cls}.{b.py_name}", "field-renamed",
                           f"{_label(a)} renamed to {_label(b)}", _where(n, "/properties/" + _esc(b.json_name)), cls))
    for a, b in [(of[k], nf[k]) for k in sorted(set(of) & set(nf))] + renamed:
        where = _where(n, "/properties/" + _esc(b.json_name))
        name = f"{cls}.{b.py_name}"
        if a.json_name == b.json_name and a.py_name != b.py_name:
            out.append(_change("field", name, "field-renamed",
                               f"{_label(b)}: Python attribute {a.py_name} renamed to {b.py_name}", where, cls))
        if a.required != b.required:
            kind = "made-required" if b.required else "made-optional"
            out.append(_change("field", name, kind, f"{_label(b)}: {_req(a)} -> {_req(b)}", where, cls))
        shown = (show_type(a.type, onames), show_type(b.type, nnames))
        for kind, detail in type_changes(_norm(a.type, ids), _norm(b.type, ids), shown):
            out.append(_change("field", name, kind, f"{_label(b)}: {detail}", where, cls))
        if isinstance(b.type, ModelRef) or isinstance(a.type, ModelRef):
            continue  # a model's own rules are reported on that model
        ok = _keywords(field_node(onode, a.json_name), FIELD_KEYWORDS)
        nk = _keywords(field_node(nnode, b.json_name), FIELD_KEYWORDS)
        for kind, detail in constraint_changes(ok, nk):
            out.append(_change("field", name, kind, f"{_label(b)}: {detail}", where, cls))
    return out


def _fields(m: Model) -> str:
    return f"{len(m.fields)} field{'s' if len(m.fields) != 1 else ''}"


def _label(f: Field) -> str:
    return f.py_name if f.py_name == f.json_name else f"{f.py_name} ({f.json_name!r})"


def _req(f: Field) -> str:
    return "required" if f.required else "optional"


def _compare_roots(old: Snapshot, new: Snapshot) -> list[Change]:
    o = {r.stem: r for r in old.package.roots}
    n = {r.stem: r for r in new.package.roots}
    out = []
    for stem in sorted(set(o) | set(n)):
        a, b = o.get(stem), n.get(stem)
        if b is None and a is not None:
            out.append(_change("validator", f"validate_{a.name}", "validator-removed",
                               f"removed with its schema {a.file}", f"{a.file}#", "validators"))
        elif a is None and b is not None:
            out.append(_change("validator", f"validate_{b.name}", "validator-added",
                               f"added for {b.file}", f"{b.file}#", "validators"))
        elif a is not None and b is not None:
            name = f"validate_{b.name}"
            if a.name != b.name:
                out.append(_change("validator", name, "validator-renamed",
                                   f"validate_{a.name} renamed to validate_{b.name} (title changed)", f"{b.file}#",
                                   "validators"))
            if a.model_id is None and b.model_id is None:  # a model's changes are reported on the model
                out += _compare_plain_root(old, new, stem, name, f"{b.file}#")
    return out


def _compare_plain_root(old: Snapshot, new: Snapshot, stem: str, name: str, where: str) -> list[Change]:
    """A root that is no model (a string, a list...): its type and constraints."""
    out = []
    ot, nt = old.root_types.get(stem), new.root_types.get(stem)
    if ot is not None and nt is not None:
        onames = {m.id: m.class_name for m in old.package.models}
        nnames = {m.id: m.class_name for m in new.package.models}
        ids = {m.id: m.id for m in old.package.models}
        for kind, detail in type_changes(_norm(ot, ids), _norm(nt, ids), (show_type(ot, onames), show_type(nt, nnames))):
            out.append(_change("validator", name, kind, f"accepts: {detail}", where, "validators"))
    skip_models = isinstance(ot, ModelRef) or isinstance(nt, ModelRef)
    if not skip_models:
        ok = _keywords(old.root_nodes.get(stem), FIELD_KEYWORDS)
        nk = _keywords(new.root_nodes.get(stem), FIELD_KEYWORDS)
        for kind, detail in constraint_changes(ok, nk):
            out.append(_change("validator", name, kind, detail, where, "validators"))
    return out


def _compare_operations(old: Snapshot, new: Snapshot) -> list[Change]:
    os_, ns = old.package.service, new.package.service
    o = {op.name: op for op in (os_.operations if os_ else ())}
    n = {op.name: op for op in (ns.operations if ns else ())}
    out = []
    for name in sorted(set(o) | set(n)):
        a, b = o.get(name), n.get(name)
        svc = ns or os_
        where = svc.file if svc is not None else ""
        if b is None and a is not None:
            out.append(_change("operation", name, "operation-removed", f"removed ({a.method} {a.path})", where,
                               "operations"))
        elif a is None and b is not None:
            out.append(_change("operation", name, "operation-added", f"added ({b.method} {b.path})", where,
                               "operations"))
        elif a is not None and b is not None:
            for attr in ("method", "path", "request_stem", "response_stem"):
                if getattr(a, attr) != getattr(b, attr):
                    out.append(_change("operation", name, "operation-changed",
                                       f"{attr.replace('_stem', '')}: {getattr(a, attr)} -> {getattr(b, attr)}",
                                       where, "operations"))
    if os_ is not None and ns is not None and os_.auth != ns.auth:  # Client(<credential>) and how it is sent
        for attr in ("scheme", "credential", "username", "password"):
            was, now = getattr(os_.auth, attr), getattr(ns.auth, attr)
            if was != now:
                out.append(_change("operation", "Client", "operation-changed", f"auth {attr}: {was!r} -> {now!r}",
                                   ns.file, "operations"))
    return out


def compare_all(old: dict[str, Snapshot], new: dict[str, Snapshot]) -> list[tuple[str, list[Change]]]:
    """Per package (sorted by name; a package only on one side is all added / all removed)."""
    from .snapshot import empty

    out = []
    for name in sorted(set(old) | set(new)):
        out.append((name, compare(old.get(name) or empty(name), new.get(name) or empty(name))))
    return out


__all__ = ["KINDS", "Change", "compare", "compare_all"]
