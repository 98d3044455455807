"""Stage 4 -- build the IR: typed models from resolved schemas.

Recursion by construction: a model is registered under its canonical ID
(``file#pointer`` of its schema) *before* its fields are built, so a recursive
or mutually recursive ``$ref`` is just a :class:`~generator.ir.ModelRef` to a
model that is already known.  Each referenced schema becomes one model, however
many places refer to it.  The type of every subschema is computed once
(memoized by identity), so thousands of ``$ref`` to one definition cost one
visit each; a cycle that goes through no model (a recursive array or union
alias) is typed ``Any`` where it closes.

Typing rules (one place, documented in README.md, "Typing rules"):

* an object schema with declared ``properties`` becomes a model; an object
  schema without them becomes ``dict[str, T]`` (``T`` from
  ``additionalProperties``/``patternProperties``); when the schema also allows
  other JSON types (a ``type`` list, or no ``type`` at all) the model is one
  option of a union with them, so every valid instance has a typed value;
* ``allOf`` members (and siblings of a 2019-09+/2020-12 ``$ref``) are merged into one model;
* an ``anyOf``/``oneOf`` whose branches declare no type of their own (for
  instance June's "userId or anonymousId" ``required`` lists) is a validation
  rule, not new classes; otherwise it is a union, *discriminated* when one
  required ``const``/``enum`` property tells its model options apart;
* ``enum``/``const`` of str/int/bool/null become ``Literal[...]`` (other
  values add their JSON type: ``float``, ``list[Any]``, ``dict[str, Any]``);
* ``prefixItems`` (draft-07: ``items`` arrays) become ``tuple[...]`` when
  ``minItems`` guarantees the prefix, else a list of the union of item types;
* ``format`` date-time/date/time/uuid become ``datetime``/``date``/``time``/``UUID``;
* anything the models cannot express precisely is ``Any``: the validator still
  checks it, so typing never weakens validation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from .errors import GenerationError, Problem
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
    Root,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from .load import Document
from .resolve import LEGACY, NOT_IN_DRAFT, Node, RefError, draft_of_spec

ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly", "$schema",
     "$id", "$anchor", "$defs", "definitions", "markdownDescription", "deprecationMessage"}
)
_JSON_TYPES = ("string", "number", "boolean", "null", "array", "object")  # "integer" is within "number"
_TYPE_KINDS: dict[str, TypeExpr] = {
    "string": Prim("str"),
    "integer": Prim("int"),
    "number": Prim("float"),
    "boolean": Prim("bool"),
    "null": Prim("none"),
}
_MAX_DEPTH = 400  # deeper nesting than this (not recursion: that is handled) is typed Any


def pascal(text: str) -> str:
    """``"june group request"`` -> ``"JuneGroupRequest"`` (ASCII words only; naming.py sanitizes further)."""
    words = re.findall(r"[A-Za-z][a-z]*|[A-Z]+(?![a-z])|[0-9]+", _ascii(text))
    return "".join(w[:1].upper() + w[1:] for w in words)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _is_literal(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, int))


def _same(a: Any, b: Any) -> bool:
    return a == b and type(a) is type(b)


class IRBuilder:
    """Builds :class:`Model` records for every object schema reachable from the roots."""

    def __init__(self) -> None:
        self.models: dict[str, Model] = {}
        self.nodes: dict[str, Node] = {}  # model id -> schema node (for the validator entries)
        self.problems: list[Problem] = []
        self._root_names: dict[str, str] = {}  # file -> Pascal root name (for path-derived hints)
        self._docs: dict[str, Any] = {}  # file -> contents (to read titles along a pointer)
        self._memo: dict[int, TypeExpr] = {}  # id(schema object) -> its type
        self._active: set[int] = set()  # schemas whose type is being computed (cycle detection)
        self._todo: list[tuple[Node, list[Node]]] = []  # registered models whose fields are still to build
        self._depth = 0

    # -- roots -------------------------------------------------------------------------------
    def name_root(self, doc: Document) -> None:
        """Register a root's Pascal name first: path-derived hints of other files' models use it."""
        self._root_names[doc.path] = pascal(_root_title(doc)) or pascal(doc.stem) or "Model"
        self._docs[doc.path] = doc.contents

    def add_root(self, doc: Document, node: Node) -> Root:
        title = _root_title(doc)
        model_id: str | None = None
        model_is_root = False
        t: TypeExpr = ANY
        try:
            t = self.type_of(node)
            self.drain()
            refs = [o for o in (t.options if isinstance(t, UnionOf) else (t,)) if isinstance(o, ModelRef)]
            own = ModelRef(self._id(node))
            if own in refs:
                model_id = own.model_id  # an object root (or object-or-else: from_dict takes the object)
                model_is_root = True
            elif len(refs) == 1:
                model_id = refs[0].model_id  # a root that is a $ref (or a union with one model) to a definition
                model_is_root = t == refs[0]
        except RefError as err:
            self.problems.append(err.problem)
        return Root(stem=doc.stem, file=doc.path, sha256=doc.sha256, title=title, model_id=model_id, type=t,
                    model_is_root=model_is_root)

    def drain(self) -> None:
        """Build the fields of every registered model (which may register more)."""
        while self._todo:
            node, parts = self._todo.pop()
            self._model(node, parts)

    def finish(self) -> dict[str, Model]:
        """Post-pass, once every model's fields are known: discriminate the unions of model options."""
        cache: dict[UnionOf, UnionOf] = {}
        done = {}
        for mid, m in self.models.items():
            fields = tuple(replace(f, type=self._discriminated(f.type, cache)) for f in m.fields)
            extras = self._discriminated(m.extras, cache) if m.extras is not None else None
            done[mid] = replace(m, fields=fields, extras=extras)
        self.models = done
        return done

    # -- types -------------------------------------------------------------------------------
    @staticmethod
    def _id(node: Node) -> str:
        return f"{node.location.file}#{node.location.pointer}"

    def type_of(self, node: Node) -> TypeExpr:
        key = id(node.contents)
        found = self._memo.get(key)
        if found is not None:
            return found
        if not isinstance(node.contents, dict):
            return ANY  # boolean schema: true accepts anything; false accepts nothing (the validator says so)
        if key in self._active or self._depth > _MAX_DEPTH:
            return ANY  # a cycle through no model: typed Any where it closes
        self._active.add(key)
        self._depth += 1
        try:
            t = self._type_of(node)
        finally:
            self._depth -= 1
            self._active.discard(key)
        self._memo[key] = t
        return t

    def _type_of(self, node: Node) -> TypeExpr:
        s = node.contents
        if "$ref" in s and isinstance(s["$ref"], str):
            siblings = set(s) - ANNOTATIONS - {"$ref"}
            if not siblings or draft_of_spec(node.spec) in LEGACY:
                return self.type_of(node.follow(s["$ref"]))
        parts = list(self._merged_parts(node))
        kinds = _allowed_kinds(parts)
        if "object" in kinds and _has_properties(parts):
            mid = self._id(node)
            ref = ModelRef(mid)
            if mid in self.nodes:
                return ref
            self.nodes[mid] = node  # registered before its fields: recursion is a ModelRef
            self._memo[id(s)] = ref  # provisional, for recursion through the other options
            others = self._kind_types(node, parts, kinds - {"object"})
            t = _union([ref, *others]) if others else ref
            self._memo[id(s)] = t
            self._todo.append((node, parts))  # fields later, from a worklist: no deep recursion along $ref chains
            return t
        return self._plain_type(node, parts, kinds)

    def _kind_types(self, node: Node, parts: list[Node], kinds: frozenset[str]) -> list[TypeExpr]:
        """The types of the JSON ``kinds``, in annotation order: ``str | int | ... | None``."""
        out: list[TypeExpr] = []
        for k in ("string", "integer", "number", "boolean", "array", "object", "null"):
            if k == "integer":
                if "integer" in kinds and "number" not in kinds:
                    out.append(Prim("int"))
            elif k in kinds:
                out.append(self._typed(node, parts, k))
        return out

    def _merged_parts(self, node: Node) -> Iterator[Node]:
        """The node itself, its ``allOf`` members and its ``$ref`` target (2019-09+), recursively."""
        seen: set[int] = set()
        stack = [node]
        draft07 = draft_of_spec(node.spec) in LEGACY
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
            if isinstance(c.get("$ref"), str) and not (cur is node and draft07):
                stack.append(cur.follow(c["$ref"]))

    def _plain_type(self, node: Node, parts: list[Node], kinds: frozenset[str]) -> TypeExpr:
        for p in parts:
            c = p.contents
            if "const" in c and "const" not in NOT_IN_DRAFT.get(draft_of_spec(p.spec), ()):
                return _literal_type([c["const"]])
            if isinstance(c.get("enum"), list) and c["enum"]:
                return _literal_type(c["enum"])
        s = node.contents
        for key in ("oneOf", "anyOf"):
            branches = s.get(key)
            if isinstance(branches, list) and branches and any(_declares_type(b) for b in branches):
                union = _union(self.type_of(node.child(key, i)) for i in range(len(branches)))
                return _restrict(union, kinds, lambda ks: self._kind_types(node, parts, ks))
        if len(kinds) == len(_JSON_TYPES) + 1:
            return ANY
        return _union(self._kind_types(node, parts, kinds)) if kinds else ANY

    def _typed(self, node: Node, parts: list[Node], kind: str) -> TypeExpr:
        if kind == "string":
            for p in parts:
                fmt = p.contents.get("format")
                if isinstance(fmt, str):
                    return Prim(FORMAT_TYPES.get(fmt, "str"))
            return Prim("str")
        if kind == "array":
            for p in parts:
                if any(k in p.contents for k in ("items", "prefixItems")):
                    return self._array(p)
            return ListOf(ANY, any(p.contents.get("uniqueItems") is True for p in parts))
        if kind == "object":
            for p in parts:
                if "additionalProperties" in p.contents or "patternProperties" in p.contents:
                    return MapOf(self._extras_type(p) or ANY)
            return MapOf(ANY)
        return _TYPE_KINDS.get(kind, ANY)

    def _array(self, node: Node) -> TypeExpr:
        s = node.contents
        unique = s.get("uniqueItems") is True
        draft07 = draft_of_spec(node.spec) in LEGACY
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
            max_items = s.get("maxItems")
            if isinstance(max_items, int) and max_items <= len(items):
                rest = None
            min_items = s.get("minItems")
            if isinstance(min_items, int) and min_items >= len(items) and items:
                return TupleOf(items, rest)
            # the array may be shorter than the prefix: a list keeps that lossless
            return ListOf(_union(list(items) + ([rest] if rest is not None else [])), unique)
        if "items" in s and not isinstance(s["items"], list):
            return ListOf(self.type_of(node.child("items")), unique)
        return ListOf(ANY, unique)

    def _extras_type(self, node: Node, branches: bool = False) -> TypeExpr | None:
        """The type of undeclared keys; None when there can be none.  ``branches``: the schema
        declares properties in branches the model has no fields for (see ``_BRANCHES``), so
        ``unevaluatedProperties: false`` does not close it."""
        s = node.contents
        extra: list[TypeExpr] = []
        if isinstance(s.get("patternProperties"), dict):
            extra.extend(self.type_of(node.child("patternProperties", k)) for k in sorted(s["patternProperties"]))
        ap = s.get("additionalProperties", True)
        if ap is False or (s.get("unevaluatedProperties") is False and ap is True and "additionalProperties" not in s
                           and not branches):
            return _union(extra) if extra else None
        extra.append(ANY if ap is True else self.type_of(node.child("additionalProperties")))
        return _union(extra)

    # -- models ------------------------------------------------------------------------------
    def _model(self, node: Node, parts: list[Node]) -> None:
        """Fill in the fields of the model registered for ``node`` (see ``_type_of``)."""
        mid = self._id(node)
        s = node.contents
        required: set[str] = set()
        props: dict[str, list[Node]] = {}
        for part in parts:
            c = part.contents
            if isinstance(c.get("required"), list):
                required.update(r for r in c["required"] if isinstance(r, str))
            if isinstance(c.get("properties"), dict):
                for key in c["properties"]:
                    props.setdefault(key, []).append(part.child("properties", key))
        extras: TypeExpr | None = ANY
        # properties that an anyOf/oneOf/if/dependentSchemas branch declares are evaluated, so
        # ``unevaluatedProperties: false`` lets them through: the model keeps them as extras
        branches = any(k in p.contents for p in parts for k in _BRANCHES) or any(
            p.contents.get("unevaluatedProperties", False) is not False for p in parts)  # a part evaluates all
        closed = [p for p in parts if "additionalProperties" in p.contents or "patternProperties" in p.contents]
        if closed:
            extras = self._extras_type(closed[0], branches)
        elif any(p.contents.get("unevaluatedProperties") is False for p in parts) and not branches:
            extras = None
        fields = []
        for key, pnodes in props.items():
            ftype = _most_specific([self.type_of(p) for p in pnodes])
            pc: dict[str, Any] = {}
            for p in reversed(pnodes):
                if isinstance(p.contents, dict):
                    pc.update(p.contents)
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
            name_fallbacks=self._fallbacks(node),
        )

    def _discriminated(self, t: TypeExpr, cache: dict[UnionOf, UnionOf]) -> TypeExpr:
        if isinstance(t, UnionOf):
            if t not in cache:
                opts = tuple(self._discriminated(o, cache) for o in t.options)
                cache[t] = _discriminate(UnionOf(opts), self.models)
            return cache[t]
        if isinstance(t, ListOf):
            return replace(t, item=self._discriminated(t.item, cache))
        if isinstance(t, MapOf):
            return replace(t, value=self._discriminated(t.value, cache))
        if isinstance(t, TupleOf):
            rest = self._discriminated(t.rest, cache) if t.rest is not None else None
            return TupleOf(tuple(self._discriminated(i, cache) for i in t.items), rest)
        return t

    def _hints(self, node: Node) -> tuple[str, ...]:
        """Path-derived candidate names, most preferred first (see naming.py for the rule)."""
        file, pointer = node.location.file, node.location.pointer
        root, segs = self._root_and_segments(node)
        bases, start = [root], 0
        for i in range(len(segs) - 1):
            if segs[i] in ("$defs", "definitions") and (i == 0 or segs[i - 1] not in ("properties", "$defs",
                                                                                   "definitions")):
                end = i + 2  # the key, and the groups under it that are no keyword (nested $defs)
                while end < len(segs) and segs[end] not in _SUBSCHEMA_KEYWORDS:
                    end += 1
                bases, start = _key_bases("/".join(segs[i + 1:end])), end
        base = bases[-1]
        steps = _path_words(segs, start, self._docs.get(file))
        words = "".join(steps)
        short = base + words
        hints = [b + words for b in bases]
        if base != root:
            hints.append(root + short)
        file_stem = _document_name(file, "")
        if file_stem and file_stem != root:
            hints.append(file_stem + (short if base != root else words or "Model"))
        if base == root and steps:
            # inline schemas whose concatenated words meet ("a/bC" and "aB/c") part at the steps
            hints.append("_".join([root, *steps]))
        if base == root and segs:
            hints.append(_pointer_name(root, pointer))
        return tuple(dict.fromkeys(h for h in hints if h))

    def _fallbacks(self, node: Node) -> tuple[str, ...]:
        """A name for a schema under a ``definitions`` entry nested in another schema, where its
        hints (from the innermost ``definitions``) collide with a sibling's: the words of the
        whole path (schemastore's tslint.json nests ``definitions`` in each rule, and four
        rules' ``options`` items want ``OptionsItemOption1``).  Not the pointer spelled out:
        ``$defs`` keys that differ only in case stay an error (README, Naming)."""
        root, segs = self._root_and_segments(node)
        if not segs:
            return ()
        words = [w for w in _path_words(segs, 0, self._docs.get(node.location.file)) if w not in ("Definitions", "Defs")]
        return (root + "".join(words),)

    def _root_and_segments(self, node: Node) -> tuple[str, list[str]]:
        """The name of ``node``'s document (its root's title, else its file's name) and the
        segments of its JSON pointer, unescaped: what its class names are made of."""
        file = node.location.file
        root = self._root_names.get(file) or _document_name(file)
        return root, [s.replace("~1", "/").replace("~0", "~") for s in node.location.pointer.split("/")[1:]]


#: in-place applicators whose subschemas may evaluate properties that are no field of the model
_BRANCHES = ("anyOf", "oneOf", "if", "then", "else", "dependentSchemas", "dependencies", "$dynamicRef",
             "$recursiveRef")


#: keywords under which subschemas live: a pointer segment after a ``$defs`` key that is none of
#: them is a group of definitions (``#/$defs/github.com/databricks/cli/bundle/config.Root``)
_SUBSCHEMA_KEYWORDS = frozenset({
    "properties", "patternProperties", "additionalProperties", "dependentSchemas", "dependencies",
    "propertyNames", "unevaluatedProperties", "items", "prefixItems", "additionalItems", "contains",
    "unevaluatedItems", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$defs", "definitions",
})


def _key_bases(key: str) -> list[str]:
    """Class-name bases of a ``$defs`` key, most preferred first.  A key that is a qualified type
    name (Go's ``github.com/databricks/cli/bundle/config.Root``, as one key or as nested groups
    of ``$defs``; Kubernetes' ``io.k8s.api.core.v1.Pod``: parts split by ``/``, and by ``.``
    before a capitalised last part) gives its last part, then its last two parts, ... then all of
    it (``Root``, ``ConfigRoot``, ..., ``GithubComDatabricksCliBundleConfigRoot``); any other
    key, its words."""
    parts = key.split("/")
    head, dot, tail = parts[-1].rpartition(".")
    if dot and head and tail[:1].isupper():
        parts = [*parts[:-1], *head.split("."), tail]
    parts = [part for part in parts if pascal(part)]
    whole = pascal(key) or "Def"
    if len(parts) < 2:
        return [whole]
    return list(dict.fromkeys([*(pascal(" ".join(parts[-n:])) for n in range(1, len(parts))), whole]))


def _document_name(file: str, default: str = "Model") -> str:
    """The name a document gives its models when it is not one of the given schemas: its file
    stem, or for a document known by URL (a draft's metaschema) the words of the whole path, so
    ``.../draft/2020-12/schema`` and ``.../draft-07/schema#`` do not both give ``Schema``."""
    if "://" in file:
        return pascal(urlsplit(file).path.rsplit(".", 1)[0].replace("/", " ")) or default
    return pascal(file.rsplit("/", 1)[-1].split(".")[0]) or default


def _pointer_name(root: str, pointer: str) -> str:
    """The last resort, injective: the pointer itself, every character but [A-Za-z0-9] as _<hex>_
    (property names made of punctuation or of words that spell alike)."""
    return root + "_" + "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in pointer)


_WORDS = {"items": "Item", "additionalProperties": "Value", "additionalItems": "Item", "contains": "Item",
          "unevaluatedProperties": "Value", "unevaluatedItems": "Item", "not": "Not", "then": "Then",
          "else": "Else", "if": "If", "propertyNames": "Name"}


def _path_words(segs: list[str], start: int, doc: Any) -> list[str]:
    """Words for pointer segments ``segs[start:]``: property names, and for a union branch its
    title, else the value of its ``const`` property, else ``Option<n>``."""
    here = doc
    for seg in segs[:start]:
        here = _step(here, seg)
    out = []
    i = start
    while i < len(segs):
        seg = segs[i]
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if seg in ("properties", "patternProperties", "dependentSchemas") and nxt is not None:
            out.append(pascal(nxt) or "Field")
            here = _step(_step(here, seg), nxt)
            i += 2
        elif seg in ("anyOf", "oneOf", "prefixItems") and nxt is not None:
            here = _step(_step(here, seg), nxt)
            out.append(_branch_word(here, seg, nxt))
            i += 2
        elif seg == "allOf" and nxt is not None:
            here = _step(_step(here, seg), nxt)
            i += 2
        else:
            out.append(_WORDS.get(seg) or pascal(seg))
            here = _step(here, seg)
            i += 1
    return [w for w in out if w]


def _step(here: Any, seg: str) -> Any:
    if isinstance(here, dict):
        return here.get(seg)
    if isinstance(here, list) and seg.isdigit() and int(seg) < len(here):
        return here[int(seg)]
    return None


def _branch_word(schema: Any, seg: str, index: str) -> str:
    if seg == "prefixItems":
        return "Item" + index
    if isinstance(schema, dict):
        title = schema.get("title")
        if isinstance(title, str) and pascal(title):
            return pascal(title)
        props = schema.get("properties")
        if isinstance(props, dict):
            for value in props.values():
                if isinstance(value, dict) and isinstance(value.get("const"), str) and pascal(value["const"]):
                    return pascal(value["const"])
    return "Option" + index


# -- type algebra ----------------------------------------------------------------------------
def _allowed_kinds(parts: list[Node]) -> frozenset[str]:
    """JSON types the merged schema allows (``integer`` stands for itself; ``number`` includes it)."""
    kinds = set(_JSON_TYPES) | {"integer"}
    for p in parts:
        t = p.contents.get("type")
        declared = {t} if isinstance(t, str) else {x for x in t if isinstance(x, str)} if isinstance(t, list) else None
        if declared is None:
            continue
        if "number" in declared:
            declared.add("integer")
        kinds &= declared
    return frozenset(kinds)


def _has_properties(parts: list[Node]) -> bool:
    return any(isinstance(p.contents.get("properties"), dict) and p.contents["properties"] for p in parts)


def _declares_type(branch: Any) -> bool:
    if not isinstance(branch, dict):
        return False
    return any(k in branch for k in ("type", "$ref", "properties", "items", "enum", "const", "oneOf", "anyOf",
                                     "allOf", "prefixItems"))


def _literal_type(values: list[Any]) -> TypeExpr:
    lits: list[Any] = []
    others: list[TypeExpr] = []
    for v in values:
        if v is None:
            others.insert(0, Prim("none"))  # ``Literal[...] | None``, not ``Literal[None, ...]``
        elif _is_literal(v):
            if not any(_same(v, w) for w in lits):
                lits.append(v)
        elif isinstance(v, float):
            others.append(Prim("float"))
        elif isinstance(v, list):
            others.append(ListOf(ANY))
        elif isinstance(v, dict):
            others.append(MapOf(ANY))
    return _union(([LiteralOf(tuple(lits))] if lits else []) + others)


def _kinds_of(t: TypeExpr) -> set[str]:
    """The JSON types a value of IR type ``t`` can have."""
    if isinstance(t, Prim):
        return {"str": {"string"}, "int": {"integer"}, "float": {"number", "integer"}, "bool": {"boolean"},
                "none": {"null"}, "any": set(_JSON_TYPES) | {"integer"}}.get(t.name, {"string"})
    if isinstance(t, (ListOf, TupleOf)):
        return {"array"}
    if isinstance(t, (MapOf, ModelRef)):
        return {"object"}
    if isinstance(t, LiteralOf):
        return {"null" if v is None else "boolean" if isinstance(v, bool) else "integer" if isinstance(v, int)
                else "string" for v in t.values}
    if isinstance(t, UnionOf):
        return set().union(*(_kinds_of(o) for o in t.options))
    return set(_JSON_TYPES)


def _restrict(union: TypeExpr, kinds: frozenset[str], typed: Any) -> TypeExpr:
    """A union's options limited to the JSON types a sibling ``type`` allows (``Any`` becomes those types)."""
    if len(kinds) == len(_JSON_TYPES) + 1:
        return union
    allowed = set(kinds) | ({"integer"} if "number" in kinds else set())
    out: list[TypeExpr] = []
    for o in union.options if isinstance(union, UnionOf) else (union,):
        if o == ANY:
            out.extend(typed(kinds))
        elif _kinds_of(o) & allowed:
            out.append(o)
    return _union(out) if out else ANY


def _most_specific(types: list[TypeExpr]) -> TypeExpr:
    """The type of a property declared by several merged parts: a Literal wins, else the first typed one."""
    for t in types:
        if isinstance(t, LiteralOf):
            return t
    for t in types:
        if t != ANY:
            return t
    return ANY


def _union(types: Iterable[TypeExpr]) -> TypeExpr:
    flat: list[TypeExpr] = []
    for t in types:
        for u in t.options if isinstance(t, UnionOf) else (t,):
            if u not in flat:
                flat.append(u)
    if any(t == ANY for t in flat):
        return ANY
    if Prim("float") in flat and Prim("int") in flat:
        flat.remove(Prim("int"))  # float takes ints too (PEP 484); linters flag ``int | float``
    lits = [t for t in flat if isinstance(t, LiteralOf)]
    if len(lits) > 1:  # one Literal[...] per union
        merged: list[Any] = []
        for lit in lits:
            merged.extend(v for v in lit.values if not any(_same(v, w) for w in merged))
        first = flat.index(lits[0])
        flat = [t for t in flat if not isinstance(t, LiteralOf)]
        flat.insert(first, LiteralOf(tuple(merged)))
    if len(flat) == 1:
        return flat[0]
    return UnionOf(tuple(flat))


def _discriminate(union: UnionOf, models: dict[str, Model]) -> UnionOf:
    """``union`` with a discriminator when one required Literal property tells its model options apart."""
    refs = [o for o in union.options if isinstance(o, ModelRef)]
    if len(refs) < 2 or any(isinstance(o, MapOf) for o in union.options):
        return union
    tagged: list[dict[str, tuple[Any, ...]]] = []
    for ref in refs:
        m = models[ref.model_id]
        tagged.append({f.json_name: f.type.values for f in m.fields if f.required and isinstance(f.type, LiteralOf)})
    candidates = [k for k in tagged[0] if all(k in t for t in tagged[1:])]
    for key in candidates:
        seen: list[Any] = []
        ok = True
        for t in tagged:
            for v in t[key]:
                if any(_same(v, w) for w in seen):
                    ok = False
                seen.append(v)
        if ok:
            it = iter(tagged)
            tags = tuple(next(it)[key] if isinstance(o, ModelRef) else () for o in union.options)
            return UnionOf(union.options, key, tags)
    return union


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


def build_models(docs: list[Document], root_nodes: list[Node]) -> tuple[list[Root], dict[str, Model], dict[str, Node]]:
    builder = IRBuilder()
    for doc in docs:
        builder.name_root(doc)
    roots = [builder.add_root(doc, node) for doc, node in zip(docs, root_nodes)]
    # one root per model: a model that is its own root's stays with it, else with the first root
    owner: dict[str, str] = {}
    for r in sorted(roots, key=lambda r: (r.model_id != f"{r.file}#", r.file)):
        if r.model_id is not None:
            owner.setdefault(r.model_id, r.file)
    roots = [r if r.model_id is None or owner[r.model_id] == r.file else replace(r, model_id=None) for r in roots]
    if builder.problems:
        raise GenerationError(builder.problems)
    models = builder.finish()
    cache: dict[UnionOf, UnionOf] = {}
    roots = [replace(r, type=builder._discriminated(r.type, cache)) for r in roots]
    return roots, models, builder.nodes
