"""Keyword semantics per draft: one subschema -> :class:`~.ir.Schema`.

The drafts differ in data, not in code paths:

* draft-07: ``$ref`` overrides every sibling keyword; ``items`` is a schema
  or an array (then ``additionalItems``); ``dependencies`` mixes required
  lists and schemas; no ``unevaluated*``, no ``$anchor``.
* 2019-09: ``items``/``additionalItems`` as in draft-07, ``$recursiveRef``,
  ``dependentRequired``/``dependentSchemas``, ``unevaluated*``.
* 2020-12: ``prefixItems`` + ``items``, ``$dynamicRef``.
* draft-06: draft-07 without ``if``/``then``/``else``.
* draft-04: draft-06 without ``const``, ``contains`` and ``propertyNames``;
  ``exclusiveMaximum``/``exclusiveMinimum`` are booleans that make
  ``maximum``/``minimum`` exclusive.

A keyword that a draft does not define is ignored there, as an unknown keyword.

Keywords that only annotate (``title``, ``default``, ``format`` unless format
assertion is on, ``content*``...) and unknown keywords compile to nothing.
"""

from __future__ import annotations

import math
from typing import Any

from ..resolve import LEGACY, NOT_IN_DRAFT, Node, RefError, draft_of_spec
from .compiler import Compiler
from .formats import FORMAT_HELPERS
from .ir import Apply, Schema, Test

JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
VALIDATION_VOCAB_KEYWORDS = frozenset(
    ["type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required", "dependentRequired"]
)


def _esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _is_num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return _is_num(value) and value >= 0 and float(value).is_integer()


def compile_schema(comp: Compiler, fid: str, node: Node, resource: int) -> Schema:
    contents = node.contents
    where = f"{node.location.file}#{node.location.pointer}"
    if contents is True or contents is False:
        return Schema(fid, where, "", const=contents, resource=resource)
    if not isinstance(contents, dict):
        comp.problem(node, node.location.pointer, f"a schema must be an object or a boolean, not {type(contents).__name__}")
        return Schema(fid, where, "", const=True, resource=resource)
    title = contents.get("title") or contents.get("description") or ""
    title = title if isinstance(title, str) else ""
    builder = _Builder(comp, node, resource)
    builder.build()
    if not builder.tests and not builder.applies and builder.types is None:
        return Schema(fid, where, title, const=True, resource=resource)
    alias = None
    if (builder.types is None and not builder.tests and len(builder.applies) == 1
            and builder.applies[0].kind == "ref"
            and not any(k in contents for k in ("$id", "$dynamicAnchor", "$recursiveAnchor"))):
        alias = builder.applies[0].subs[0][1]
    return Schema(
        fid, where, title,
        types=builder.types, type_spath=builder.type_spath,
        tests=tuple(builder.tests), applies=tuple(builder.applies),
        resource=resource, annotates=builder.annotates, alias=alias, whole_floats=builder.draft != "4",
    )


class _Builder:
    def __init__(self, comp: Compiler, node: Node, resource: int):
        self.comp = comp
        self.node = node
        self.c: dict[str, Any] = node.contents
        self.draft = draft_of_spec(node.spec)
        self.resource = resource
        self.types: tuple[str, ...] | None = None
        self.type_spath = ""
        self.tests: list[Test] = []
        self.applies: list[Apply] = []
        self.annotates = False
        disabled = comp.vocabularies.get(node.location.file)
        self.disabled = (disabled or frozenset()) | NOT_IN_DRAFT.get(self.draft, frozenset())

    # helpers ---------------------------------------------------------------
    def sp(self, *parts: str | int) -> str:
        return self.node.location.pointer + "".join("/" + (_esc(p) if isinstance(p, str) else str(p)) for p in parts)

    def has(self, kw: str) -> bool:
        return kw in self.c and kw not in self.disabled

    def sub(self, *segments: str | int) -> str:
        child = self.node.child(*segments)
        resource = self.resource
        if isinstance(child.contents, dict) and child.spec.id_of(child.contents) is not None:
            resource = self.comp.resource_of(child)
        return self.comp.fid_for(child, resource)

    def follow(self, ref: str, keyword: str) -> str | None:
        try:
            target = self.node.follow(ref)
        except RefError as err:
            problem = err.problem
            if keyword != "$ref":
                problem = type(problem)(problem.file, self.sp(keyword), problem.message.replace("$ref", keyword),
                                        problem.hint, problem.level)
            self.comp.problems.append(problem)
            return None
        if not isinstance(target.contents, (dict, bool)):
            # named here, at the reference, not only where the target is compiled: the list an
            # ``items`` holds is no schema (schemastore's tslint.json refers to ``.../items``)
            self.comp.problem(self.node, self.sp(keyword),
                              f"{keyword} {ref!r} points at a {type(target.contents).__name__}, not a schema",
                              hint="point it at a schema: an object or a boolean (one entry of a list, say .../0)")
            return None
        return self.comp.fid_for(target, self.comp.resource_of(target))

    def test(self, kind: str, keyword: str, group: str | None, value: Any = None, extra: Any = None) -> None:
        self.tests.append(Test(kind, keyword, self.sp(keyword), group, value, extra))

    def apply(self, kind: str, keyword: str, group: str | None, subs: list[tuple[Any, str]], extra: Any = None,
              spath: str | None = None) -> None:
        self.applies.append(Apply(kind, keyword, spath or self.sp(keyword), group, tuple(subs), extra))

    # keywords --------------------------------------------------------------
    def build(self) -> None:
        c = self.c
        if self.draft in LEGACY and "$ref" in c:
            self.ref("$ref")
            return
        self.type_()
        if self.has("const"):
            if not isinstance(c["const"], (str, bool)) and c["const"] is not None:
                self.comp.helpers.add("equal")
            self.test("const", "const", None, self.comp.constant(c["const"]), c["const"])
        if self.has("enum") and isinstance(c["enum"], list):
            self.enum()
        self.numeric()
        self.string()
        self.array()
        self.object()
        self.combinators()
        if self.has("$ref"):
            self.ref("$ref")
        if self.draft == "2020" and self.has("$dynamicRef"):
            self.dynamic_ref()
        if self.draft == "2019" and self.has("$recursiveRef"):
            self.recursive_ref()
        if self.draft not in LEGACY:
            self.unevaluated()

    def type_(self) -> None:
        if not self.has("type"):
            return
        t = self.c["type"]
        types = [t] if isinstance(t, str) else t if isinstance(t, list) else []
        types = [x for x in types if x in JSON_TYPES]
        if "number" in types and "integer" in types:
            types.remove("integer")
        self.types = tuple(sorted(set(types), key=types.index))
        self.type_spath = self.sp("type")

    def enum(self) -> None:
        values = self.c["enum"]
        if values and all(isinstance(v, str) for v in values):
            self.test("enum", "enum", None, self.comp.constant(values, as_frozenset=True), ("str", values))
        else:
            self.comp.helpers.add("equal")
            self.test("enum", "enum", None, self.comp.constant(values), ("any", values))

    def numeric(self) -> None:
        c = self.c
        if self.draft == "4":  # ``exclusiveMaximum: true`` makes ``maximum`` exclusive
            for kw, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
                if self.has(kw) and _is_num(c[kw]):
                    self.test(exclusive if c.get(exclusive) is True else kw, kw, "num", c[kw])
        else:
            for kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                if self.has(kw) and _is_num(c[kw]):
                    self.test(kw, kw, "num", c[kw])
        if self.has("multipleOf") and _is_num(c["multipleOf"]) and c["multipleOf"] > 0:
            m = c["multipleOf"]
            if isinstance(m, float) and not m.is_integer() or math.isinf(m):
                self.comp.helpers.add("multiple_of")
            self.test("multipleOf", "multipleOf", "num", m)

    def string(self) -> None:
        c = self.c
        for kw in ("minLength", "maxLength"):
            if self.has(kw) and _is_count(c[kw]):
                self.test(kw, kw, "str", int(c[kw]))
        if self.has("pattern"):
            name = self.comp.regex(c["pattern"], self.node, self.sp("pattern"))
            if name:
                self.test("pattern", "pattern", "str", name, c["pattern"])
        fmt = c.get("format")
        if self.comp.format_assertion and isinstance(fmt, str) and fmt in FORMAT_HELPERS:
            helper, group = FORMAT_HELPERS[fmt]
            self.comp.formats.add(helper)
            self.test("format", "format", group, helper, fmt)

    def array(self) -> None:
        c = self.c
        for kw in ("minItems", "maxItems"):
            if self.has(kw) and _is_count(c[kw]):
                self.test(kw, kw, "list", int(c[kw]))
        if self.has("uniqueItems") and c["uniqueItems"] is True:
            self.comp.helpers.add("unique")
            self.test("uniqueItems", "uniqueItems", "list")
        prefix = 0
        if self.draft == "2020":
            if self.has("prefixItems") and isinstance(c["prefixItems"], list):
                subs = [(i, self.sub("prefixItems", i)) for i in range(len(c["prefixItems"]))]
                prefix = len(subs)
                self.apply("prefixItems", "prefixItems", "list", subs)
            if self.has("items"):
                self.apply("items", "items", "list", [(None, self.sub("items"))], extra=prefix)
        else:
            items = c.get("items") if self.has("items") else None
            if isinstance(items, list):
                subs = [(i, self.sub("items", i)) for i in range(len(items))]
                prefix = len(subs)
                self.apply("prefixItems", "items", "list", subs)
                if self.has("additionalItems"):
                    self.apply("items", "additionalItems", "list", [(None, self.sub("additionalItems"))], extra=prefix)
            elif items is not None:
                self.apply("items", "items", "list", [(None, self.sub("items"))], extra=0)
        if self.has("contains"):
            lo = c.get("minContains", 1) if self.draft not in LEGACY and self.has("minContains") else 1
            hi = c.get("maxContains") if self.draft not in LEGACY and self.has("maxContains") else None
            lo = int(lo) if _is_count(lo) else 1
            hi = int(hi) if hi is not None and _is_count(hi) else None
            self.apply("contains", "contains", "list", [(None, self.sub("contains"))], extra=(lo, hi, self.draft))

    def object(self) -> None:
        c = self.c
        for kw in ("minProperties", "maxProperties"):
            if self.has(kw) and _is_count(c[kw]):
                self.test(kw, kw, "dict", int(c[kw]))
        if self.has("required") and isinstance(c["required"], list) and c["required"]:
            required_names = list(dict.fromkeys(n for n in c["required"] if isinstance(n, str)))
            self.test("required", "required", "dict", tuple(required_names))
        deps: list[tuple[str, Any]] = []
        if self.draft in LEGACY and self.has("dependencies") and isinstance(c["dependencies"], dict):
            deps = [("dependencies", c["dependencies"])]
        elif self.draft not in LEGACY:
            # ``dependencies`` was split in 2019-09; still honoured, as the suite's optional
            # dependencies-compatibility tests allow (jsonschema ignores it in these drafts)
            if self.has("dependencies") and isinstance(c["dependencies"], dict):
                deps.append(("dependencies", c["dependencies"]))
            if self.has("dependentRequired") and isinstance(c["dependentRequired"], dict):
                deps.append(("dependentRequired", c["dependentRequired"]))
            if self.has("dependentSchemas") and isinstance(c["dependentSchemas"], dict):
                deps.append(("dependentSchemas", c["dependentSchemas"]))
        for kw, mapping in deps:
            required = [(k, tuple(v)) for k, v in mapping.items() if isinstance(v, list) and v]
            if required:
                self.test("dependentRequired", kw, "dict", tuple(required))
            schemas = [(k, self.sub(kw, k)) for k, v in mapping.items() if isinstance(v, (dict, bool))]
            if schemas:
                self.apply("dependentSchemas", kw, "dict", schemas)
        names: list[str] = []
        patterns: list[str] = []
        if self.has("properties") and isinstance(c["properties"], dict):
            names = list(c["properties"])
            subs = [(k, self.sub("properties", k)) for k in names]
            self.apply("properties", "properties", "dict", subs)
        if self.has("patternProperties") and isinstance(c["patternProperties"], dict):
            subs = []
            for pat in c["patternProperties"]:
                rname = self.comp.regex(pat, self.node, self.sp("patternProperties", pat))
                if rname:
                    patterns.append(rname)
                    subs.append((rname, self.sub("patternProperties", pat)))
            self.apply("patternProperties", "patternProperties", "dict", subs)
        if self.has("additionalProperties"):
            trivial = c["additionalProperties"] in (True, {})  # still an annotation for unevaluated*
            names_const = self.comp.constant(names, as_frozenset=True) if names and not trivial else None
            self.apply("additionalProperties", "additionalProperties", "dict",
                       [(None, self.sub("additionalProperties"))], extra=(names_const, tuple(patterns)))
        if self.has("propertyNames"):
            self.apply("propertyNames", "propertyNames", "dict", [(None, self.sub("propertyNames"))])

    def combinators(self) -> None:
        c = self.c
        for kw in ("allOf", "anyOf", "oneOf"):
            if self.has(kw) and isinstance(c[kw], list) and c[kw]:
                self.apply(kw, kw, None, [(i, self.sub(kw, i)) for i in range(len(c[kw]))])
        if self.has("not"):
            self.apply("not", "not", None, [(None, self.sub("not"))])
        if self.has("if"):
            subs = [("if", self.sub("if"))]
            for kw in ("then", "else"):
                if self.has(kw):
                    subs.append((kw, self.sub(kw)))
            self.apply("if", "if", None, subs)

    def ref(self, kw: str) -> None:
        ref = self.c[kw]
        if not isinstance(ref, str):
            return
        fid = self.follow(ref, kw)
        if fid is not None:
            self.apply("ref", kw, None, [(None, fid)])

    def dynamic_ref(self) -> None:
        ref = self.c["$dynamicRef"]
        if not isinstance(ref, str):
            return
        try:
            target = self.node.follow(ref)
        except RefError as err:
            self.comp.problems.append(err.problem)
            return
        fid = self.comp.fid_for(target, self.comp.resource_of(target))
        anchor = ref.split("#", 1)[1] if "#" in ref else ""
        bookended = (isinstance(target.contents, dict) and anchor and "/" not in anchor
                     and target.contents.get("$dynamicAnchor") == anchor)
        if not bookended:
            self.apply("ref", "$dynamicRef", None, [(None, fid)])
            return
        self.comp.uses_dynamic = True
        self.apply("dynamicRef", "$dynamicRef", None, [(anchor, fid)])

    def recursive_ref(self) -> None:
        ref = self.c["$recursiveRef"]
        if not isinstance(ref, str):
            return
        fid = self.follow(ref, "$recursiveRef")
        if fid is None:
            return
        target = self.node.follow(ref)
        if isinstance(target.contents, dict) and target.contents.get("$recursiveAnchor") is True:
            self.comp.uses_dynamic = True
            self.apply("recursiveRef", "$recursiveRef", None, [(None, fid)])
        else:
            self.apply("ref", "$recursiveRef", None, [(None, fid)])

    def unevaluated(self) -> None:
        if self.has("unevaluatedItems"):
            self.annotates = True
            self.apply("unevaluatedItems", "unevaluatedItems", "list", [(None, self.sub("unevaluatedItems"))])
        if self.has("unevaluatedProperties"):
            self.annotates = True
            self.apply("unevaluatedProperties", "unevaluatedProperties", "dict",
                       [(None, self.sub("unevaluatedProperties"))])
