"""Stage 4 -- build the IR: typed models from resolved schemas.

Recursion by construction: a model is registered under its canonical ID
(``file#pointer`` of its schema) *before* its fields are built, so a recursive
or mutually recursive ``$ref`` is just a :class:`~generator.ir.ModelRef` to a
model that is already known.  Each referenced schema becomes one model, however
many places refer to it.

Typing rules (one place, documented in README.md, "Typing rules"):

* an object schema with declared ``properties`` becomes a model; an object
  schema without them becomes ``dict[str, T]`` (``T`` from
  ``additionalProperties``), since a dataclass with no fields helps nobody;
* ``allOf`` members (and siblings of a 2019-09+/2020-12 ``$ref``) are merged into one model;
* an ``anyOf``/``oneOf`` whose branches declare no type of their own (for
  instance June's "userId or anonymousId" ``required`` lists) is a validation
  rule, not new classes; otherwise it is a union;
* ``enum``/``const`` of str/int/bool/null become ``Literal[...]``;
* ``format`` date-time/date/time/uuid become ``datetime``/``date``/``time``/``UUID``;
* anything the models cannot express precisely is ``Any``: the validator still
  checks it, so typing never weakens validation.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from .check import DRAFT_07
from .errors import GenerationError, Problem
from .ir import ANY, FORMAT_TYPES, Field, ListOf, LiteralOf, MapOf, Model, ModelRef, Prim, Root, TupleOf, TypeExpr, UnionOf
from .load import Document
from .resolve import Node, RefError

ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly", "$schema", "$id", "$anchor", "$defs", "definitions"}
)
_TYPE_KINDS: dict[str, TypeExpr] = {
    "string": Prim("str"),
    "integer": Prim("int"),
    "number": Prim("float"),
    "boolean": Prim("bool"),
    "null": Prim("none"),
    "array": ListOf(ANY),
    "object": MapOf(ANY),
}
_MAX_DEPTH = 200  # non-model recursion (e.g. a recursive array alias) falls back to Any below this


def pascal(text: str) -> str:
    """``"june group request"`` -> ``"JuneGroupRequest"`` (ASCII words only; naming.py sanitizes further)."""
    words = re.findall(r"[A-Za-z][a-z]*|[A-Z]+(?![a-z])|[0-9]+", _ascii(text))
    return "".join(w[:1].upper() + w[1:] for w in words)


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _is_literal(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, int))


class IRBuilder:
    """Builds :class:`Model` records for every object schema reachable from the roots."""

    def __init__(self) -> None:
        self.models: dict[str, Model] = {}
        self.nodes: dict[str, Node] = {}  # model id -> schema node (for the validator entries)
        self._pending: set[str] = set()
        self.problems: list[Problem] = []
        self._root_names: dict[str, str] = {}  # file -> Pascal root name (for path-derived hints)
        self._depth = 0

    # -- roots -------------------------------------------------------------------------------
    def name_root(self, doc: Document) -> None:
        """Register a root's Pascal name first: path-derived hints of other files' models use it."""
        self._root_names[doc.path] = pascal(_root_title(doc)) or pascal(doc.stem) or "Model"

    def add_root(self, doc: Document, node: Node) -> Root:
        title = _root_title(doc)
        model_id: str | None = None
        try:
            t = self.type_of(node)
            if isinstance(t, ModelRef) and t.model_id == self._id(node):
                model_id = t.model_id
        except RefError as err:
            self.problems.append(err.problem)
        return Root(stem=doc.stem, file=doc.path, sha256=doc.sha256, title=title, model_id=model_id)

    # -- types -------------------------------------------------------------------------------
    @staticmethod
    def _id(node: Node) -> str:
        return f"{node.location.file}#{node.location.pointer}"

    def type_of(self, node: Node) -> TypeExpr:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                return ANY
            return self._type_of(node)
        finally:
            self._depth -= 1

    def _type_of(self, node: Node) -> TypeExpr:
        s = node.contents
        if not isinstance(s, dict):
            return ANY  # boolean schema: true accepts anything; false accepts nothing (the validator says so)
        if "$ref" in s and isinstance(s["$ref"], str):
            siblings = set(s) - ANNOTATIONS - {"$ref"}
            if not siblings or node.spec is _draft07_spec():
                return self.type_of(node.follow(s["$ref"]))
        parts = list(self._merged_parts(node))
        if self._is_object_model(parts):
            return self._model(node, parts)
        return self._plain_type(node, parts)

    def _merged_parts(self, node: Node) -> Iterator[Node]:
        """The node itself, its ``allOf`` members and its ``$ref`` target (2019-09+), recursively."""
        seen: set[int] = set()
        stack = [node]
        while stack:
            cur = stack.pop()
            if not isinstance(cur.contents, dict) or id(cur.contents) in seen:
                continue
            seen.add(id(cur.contents))
            yield cur
            c = cur.contents
            if isinstance(c.get("allOf"), list):
                for i in reversed(range(len(c["allOf"]))):
                    stack.append(cur.child("allOf", i))
            if isinstance(c.get("$ref"), str) and cur is not node:
                stack.append(cur.follow(c["$ref"]))
            elif isinstance(c.get("$ref"), str) and cur is node and set(c) - ANNOTATIONS - {"$ref"}:
                stack.append(cur.follow(c["$ref"]))

    @staticmethod
    def _is_object_model(parts: list[Node]) -> bool:
        has_props = any(isinstance(p.contents.get("properties"), dict) and p.contents["properties"] for p in parts)
        if not has_props:
            return False
        for p in parts:
            t = p.contents.get("type")
            if isinstance(t, str) and t != "object":
                return False
            if isinstance(t, list) and "object" not in t:
                return False
        return True

    def _plain_type(self, node: Node, parts: list[Node]) -> TypeExpr:
        s = node.contents
        if "const" in s:
            return LiteralOf((s["const"],)) if _is_literal(s["const"]) else ANY
        if isinstance(s.get("enum"), list) and s["enum"] and all(_is_literal(v) for v in s["enum"]):
            values: list[Any] = []
            for v in s["enum"]:
                if not any(v == w and type(v) is type(w) for w in values):
                    values.append(v)
            return LiteralOf(tuple(values))
        for key in ("oneOf", "anyOf"):
            branches = s.get(key)
            if isinstance(branches, list) and branches and any(self._declares_type(b) for b in branches):
                if "type" not in s and "properties" not in s:
                    return _union(self.type_of(node.child(key, i)) for i in range(len(branches)))
        declared = s.get("type")
        if declared is None:
            for p in parts[1:]:
                if "type" in p.contents:
                    declared = p.contents["type"]
                    break
        if isinstance(declared, str):
            return self._typed(node, declared)
        if isinstance(declared, list) and declared:
            return _union(self._typed(node, t) for t in declared if isinstance(t, str))
        return ANY

    @staticmethod
    def _declares_type(branch: Any) -> bool:
        if not isinstance(branch, dict):
            return False
        return any(k in branch for k in ("type", "$ref", "properties", "items", "enum", "const", "oneOf", "anyOf", "allOf"))

    def _typed(self, node: Node, kind: str) -> TypeExpr:
        s = node.contents
        if kind == "string":
            fmt = s.get("format")
            return Prim(FORMAT_TYPES.get(fmt, "str")) if isinstance(fmt, str) else Prim("str")
        if kind == "array":
            return self._array(node)
        if kind == "object":
            return MapOf(self._extras_type(node) or ANY)
        return _TYPE_KINDS.get(kind, ANY)

    def _array(self, node: Node) -> TypeExpr:
        s = node.contents
        unique = s.get("uniqueItems") is True
        draft07 = node.spec is _draft07_spec()
        prefix_key = "items" if draft07 and isinstance(s.get("items"), list) else "prefixItems"
        rest_key = "additionalItems" if draft07 else "items"
        prefix = s.get(prefix_key)
        if isinstance(prefix, list) and not (draft07 and prefix_key == "prefixItems"):
            items = tuple(self.type_of(node.child(prefix_key, i)) for i in range(len(prefix)))
            rest: TypeExpr | None = ANY
            if s.get(rest_key) is False:
                rest = None
            elif rest_key in s:
                rest = self.type_of(node.child(rest_key))
            if rest is None and ("minItems" in s and s["minItems"] >= len(items)):
                return TupleOf(items, None)
            # items may be shorter than the prefix: a list keeps that lossless
            return ListOf(_union(list(items) + ([rest] if rest is not None else [])), unique)
        if "items" in s and not isinstance(s["items"], list):
            return ListOf(self.type_of(node.child("items")), unique)
        return ListOf(ANY, unique)

    def _extras_type(self, node: Node) -> TypeExpr | None:
        s = node.contents
        extra: list[TypeExpr] = []
        if isinstance(s.get("patternProperties"), dict):
            extra.extend(self.type_of(node.child("patternProperties", k)) for k in sorted(s["patternProperties"]))
        ap = s.get("additionalProperties", True)
        if ap is False or s.get("unevaluatedProperties") is False and ap is True and "additionalProperties" not in s:
            return _union(extra) if extra else None
        extra.append(ANY if ap is True else self.type_of(node.child("additionalProperties")))
        return _union(extra)

    # -- models ------------------------------------------------------------------------------
    def _model(self, node: Node, parts: list[Node]) -> ModelRef:
        mid = self._id(node)
        if mid in self.models or mid in self._pending:
            return ModelRef(mid)
        self._pending.add(mid)
        self.nodes[mid] = node
        s = node.contents
        required: set[str] = set()
        props: dict[str, Node] = {}
        extras: TypeExpr | None = ANY
        for part in parts:
            c = part.contents
            if isinstance(c.get("required"), list):
                required.update(r for r in c["required"] if isinstance(r, str))
            if isinstance(c.get("properties"), dict):
                for key in c["properties"]:
                    props.setdefault(key, part.child("properties", key))
        closed = [p for p in parts if "additionalProperties" in p.contents or "patternProperties" in p.contents]
        if closed:
            extras = self._extras_type(closed[0])
        if s.get("unevaluatedProperties") is False and not closed:
            extras = None
        fields = []
        for key, pnode in props.items():
            ftype = self.type_of(pnode)
            pc = pnode.contents if isinstance(pnode.contents, dict) else {}
            fields.append(
                Field(
                    json_name=key,
                    type=ftype,
                    required=key in required,
                    nullable=_admits_null(ftype),
                    description=_text(pc.get("description")) or _text(pc.get("title")),
                    default=pc.get("default"),
                    has_default="default" in pc,
                )
            )
        self.models[mid] = Model(
            id=mid,
            file=node.location.file,
            pointer=node.location.pointer,
            title=_text(s.get("title")),
            description=_text(s.get("description")),
            fields=tuple(fields),
            extras=extras,
            name_hints=self._hints(node),
        )
        self._pending.discard(mid)
        return ModelRef(mid)

    def _hints(self, node: Node) -> tuple[str, ...]:
        """Path-derived candidate names, most preferred first (see naming.py for the rule)."""
        file, pointer = node.location.file, node.location.pointer
        root = self._root_names.get(file) or pascal(file.rsplit("/", 1)[-1].split(".")[0]) or "Model"
        segs = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
        base, rest = root, segs
        for i in range(len(segs) - 1):
            if segs[i] in ("$defs", "definitions"):
                base, rest = pascal(segs[i + 1]) or "Def", segs[i + 2 :]
        words = _path_words(rest)
        short = base + words
        hints = [short]
        if base != root:
            hints.append(root + short)
        file_stem = pascal(file.rsplit("/", 1)[-1].split(".")[0])
        if file_stem and file_stem != root:
            hints.append(file_stem + (short if base != root else words or "Model"))
        return tuple(dict.fromkeys(h for h in hints if h))


_WORDS = {"items": "Item", "additionalProperties": "Value", "additionalItems": "Item", "contains": "Item",
          "unevaluatedProperties": "Value", "unevaluatedItems": "Item", "not": "Not", "then": "Then",
          "else": "Else", "if": "If", "propertyNames": "Name"}


def _path_words(segs: list[str]) -> str:
    out = []
    i = 0
    while i < len(segs):
        seg = segs[i]
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if seg in ("properties", "patternProperties", "dependentSchemas") and nxt is not None:
            out.append(pascal(nxt) or "Field")
            i += 2
        elif seg in ("anyOf", "oneOf", "prefixItems") and nxt is not None:
            out.append(("Option" if seg != "prefixItems" else "Item") + nxt)
            i += 2
        elif seg == "allOf" and nxt is not None:
            i += 2
        elif seg in _WORDS:
            out.append(_WORDS[seg])
            i += 1
        else:
            out.append(pascal(seg))
            i += 1
    return "".join(out)


def _union(types: Any) -> TypeExpr:
    flat: list[TypeExpr] = []
    for t in types:
        for u in t.options if isinstance(t, UnionOf) else (t,):
            if u not in flat:
                flat.append(u)
    if any(t == ANY for t in flat):
        return ANY
    if len(flat) == 1:
        return flat[0]
    return UnionOf(tuple(flat))


def _admits_null(t: TypeExpr) -> bool:
    if t == Prim("none") or t == ANY:
        return True
    if isinstance(t, UnionOf):
        return any(_admits_null(o) for o in t.options)
    if isinstance(t, LiteralOf):
        return None in t.values
    return False


def _root_title(doc: Document) -> str:
    title = doc.contents.get("title") if isinstance(doc.contents, dict) else None
    return title if isinstance(title, str) and pascal(title) else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _draft07_spec() -> Any:
    from .resolve import SPECIFICATIONS

    return SPECIFICATIONS[DRAFT_07]


def build_models(docs: list[Document], root_nodes: list[Node]) -> tuple[list[Root], dict[str, Model], dict[str, Node]]:
    builder = IRBuilder()
    for doc in docs:
        builder.name_root(doc)
    roots = [builder.add_root(doc, node) for doc, node in zip(docs, root_nodes)]
    if builder.problems:
        raise GenerationError(builder.problems)
    return roots, builder.models, builder.nodes
