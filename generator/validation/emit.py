"""IR layer 1 -> layer 2: the body lines of every validator function.

Three variants per subschema (see :mod:`.ir`).  Design choices for speed:

* the fast path (``_v_``) never builds a path, an error or an exception; it
  ``return False``s at the first failed check;
* keywords are grouped by the instance type they apply to, under one
  ``isinstance`` guard per group, and the guard disappears when ``type``
  already fixed the group (``type: object`` -> the object checks run bare);
* a subschema used from exactly one place is inlined (as a boolean
  expression when it has no applicators, as a nested block otherwise);
  shared subschemas, ``$ref`` targets and recursive ones are calls, so the
  output grows linearly with the schema;
* nested blocks stop ``MAX_INLINE_LEVELS`` deep: the next level is a call
  to the child's own function.  A chain of thousands of single-use ``$ref``s
  thus becomes a chain of functions of bounded size: Python compiles them
  (it refuses more than 100 indentation levels or 20 nested loops), and
  the emitter's own recursion stays shallow whatever the chain's length;
* ``anyOf`` of ``required`` lists becomes ``"a" in x or "b" in x``.

Every literal that comes from a schema goes through :func:`lit`
(= :func:`generator.render.py_literal`, i.e. ``repr``).
"""

from __future__ import annotations

import functools
import re
import reprlib
from collections.abc import Iterable
from typing import Any

from ..render import py_literal as lit
from .ir import GROUPS, Apply, Line, Schema, Test

GUARD = {
    "dict": "isinstance({v}, dict)",
    "list": "isinstance({v}, list)",
    "str": "isinstance({v}, str)",
    "num": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
}
TYPE_GROUP = {"object": "dict", "array": "list", "string": "str", "number": "num", "integer": "num"}
#: for a schema that only checks the type: a literal of that type (the first allowed one here)
_DEFAULT_OF_TYPE = {"string": '""', "integer": "0", "number": "0", "boolean": "False", "null": "None"}


def checks_only_type(s: Schema) -> bool:
    """``s`` checks the JSON type and nothing else (``{"type": "string"}``, ``{"type":
    ["integer", "null"]}``...)."""
    return s.types is not None and not s.tests and not s.applies and s.const is None and not s.annotates


def passing_default(s: Schema) -> str | None:
    """A literal that ``s`` accepts, when ``s`` checks nothing but the type: ``x.get(key,
    <it>)`` then checks a property in one dict lookup (``"k" in x and ... x["k"]`` takes two),
    an absent key passing as it must."""
    if not checks_only_type(s):
        return None
    return next((_DEFAULT_OF_TYPE[t] for t in s.types or () if t in _DEFAULT_OF_TYPE), None)


INPLACE = ("allOf", "anyOf", "oneOf", "if", "ref", "dynamicRef", "recursiveRef")
_NOOP_IF_TRUE = frozenset({"properties", "patternProperties", "additionalProperties", "items", "prefixItems",
                           "allOf", "dependentSchemas", "propertyNames"})
#: how many subschemas deep one function inlines nested blocks (each level adds at most two
#: indentation levels and one ``for``; Python allows 100 and 20); the next level is a call
MAX_INLINE_LEVELS = 16
_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60


def short(value: Any) -> str:
    return _short.repr(value)


def esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def type_expr(types: tuple[str, ...], v: str, whole_floats: bool = True) -> str:
    """``v`` is one of the JSON ``types`` (bool is not a number; 1.0 is an integer, unless
    ``whole_floats`` is off: draft-04 says an integer has no fraction part)."""
    classes = [c for t, c in (("object", "dict"), ("array", "list"), ("string", "str")) if t in types]
    parts = []
    if "boolean" in types and "number" in types:
        classes += ["int", "float"]  # bool is an int: number-or-boolean is just int/float
    elif "boolean" in types and "integer" not in types:
        classes.append("bool")
    if classes:
        parts.append(f"isinstance({v}, {classes[0]})" if len(classes) == 1 else f"isinstance({v}, ({', '.join(classes)}))")
    if "number" in types and "boolean" not in types:
        parts.append(GUARD["num"].format(v=v))
    elif "integer" in types and "number" not in types:
        if not whole_floats:
            parts.append(f"isinstance({v}, int)" if "boolean" in types
                         else f"type({v}) is int or (isinstance({v}, int) and not isinstance({v}, bool))")
        elif "boolean" in types:
            parts.append(f"isinstance({v}, int) or (isinstance({v}, float) and {v}.is_integer())")
        else:
            # ``type(v) is int`` first: one call for the common case (an exact int)
            parts.append(f"type({v}) is int or (isinstance({v}, float) and {v}.is_integer())"
                         f" or (isinstance({v}, int) and not isinstance({v}, bool))")
    if "null" in types:
        parts.append(f"{v} is None")
    if not parts:
        return "False"
    return parts[0] if len(parts) == 1 else " or ".join(or_paren(p) if " and " in p else p for p in parts)


_OPERATORS = (" and ", " or ", " is ", " in ", " not ", "==", ">=", "<=", " < ", " > ", "!=", " + ", " % ", " if ")


def paren(expr: str) -> str:
    """``expr`` wrapped in parentheses unless it is an atom (a call, a name, a bracketed expression)."""
    top = _top_level(expr)
    return f"({expr})" if any(op in top for op in _OPERATORS) else expr


_SWAP = ((" is not ", " is "), (" not in ", " in "), (" != ", " == "))


def negate(expr: str) -> str:
    """The logical negation of a boolean expression, written the way linters like it."""
    if expr in ("True", "False"):
        return "False" if expr == "True" else "True"
    top = _top_level(expr)
    if top.startswith("not ") and not any(op in top[4:] for op in _OPERATORS):
        return expr[4:]
    if expr.startswith("(") and expr.endswith(")") and not top.strip():
        inner = expr[1:-1]
        if _top_level(inner).strip() and paren(inner) != inner:
            return negate(inner)
    bare = top.replace(" is not ", " is ").replace(" not in ", " in ")
    if not any(op in bare for op in (" and ", " or ", " if ", "not ")):
        for a, b in _SWAP:
            for old, new in ((a, b), (b, a)):
                if top.count(old) == 1 and sum(top.count(o) for o in (" is ", " in ", "==", "!=", ">", "<")) == 1:
                    i = top.index(old)
                    return expr[:i] + new + expr[i + len(old):]
    return f"not {paren(expr)}"


def conj(*exprs: str) -> str:
    """``a and b and ...`` with constant operands folded."""
    parts = [e for e in exprs if e != "True"]
    if "False" in parts:
        return "False"
    # ``a`` beside ``a and b`` (a type test beside an enum test that begins with the same guard)
    parts = [p for p in parts if not any(q.startswith(p + " and ") and " or " not in q for q in parts)]
    return " and ".join(or_paren(p) for p in parts) if parts else "True"


def when(cond: str, fail: str, depth: int = 0) -> list[Line]:
    """``if cond: fail`` with constant conditions folded."""
    if cond == "False":
        return []
    if cond == "True":
        return [Line(depth, fail)]
    return [Line(depth, f"if {cond}:"), Line(depth + 1, fail)]


_ISINSTANCE = re.compile(r"isinstance\((\w+), \(?([\w, ]+?)\)?\)")


def disjunction(exprs: list[str]) -> str:
    """``a or b or ...``, with the ``isinstance`` tests of one variable merged into one call at the
    place of the first (``isinstance(v, (str, bool))``, as linters want: ruff's SIM101)."""
    parts: list[str | list[str]] = []  # an expression, or the classes tested of one variable
    tested: dict[str, list[str]] = {}
    for expr in exprs:
        match = _ISINSTANCE.fullmatch(expr)
        if match is None:
            parts.append(expr)
            continue
        var = match.group(1)
        if var not in tested:
            tested[var] = [var]
            parts.append(tested[var])
        tested[var] += [n.strip() for n in match.group(2).split(",") if n.strip() and n.strip() not in tested[var]]
    out = []
    for part in parts:
        if isinstance(part, list):
            var, *names = part
            part = f"isinstance({var}, {names[0]})" if len(names) == 1 else f"isinstance({var}, ({', '.join(names)}))"
        out.append(part)
    return " or ".join(out)


def or_paren(expr: str) -> str:
    """``expr`` made safe as an operand of ``and``."""
    top = _top_level(expr)
    return f"({expr})" if " or " in top or " if " in top else expr


@functools.lru_cache(maxsize=4096)
def _top_level(expr: str) -> str:
    """``expr`` with string literals and bracketed parts blanked out."""
    depth = 0
    quote = ""
    flat: list[str] = []
    i = 0
    while i < len(expr):
        ch = expr[i]
        shown = " "
        if quote:
            if ch == "\\":
                i += 2
                flat.append("  ")
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            shown = ch
        flat.append(shown)
        i += 1
    return "".join(flat)


def known_group(types: tuple[str, ...] | None) -> str | None:
    if not types:
        return None
    groups = {TYPE_GROUP.get(t) for t in types}
    return groups.pop() if len(groups) == 1 else None


def group_possible(types: tuple[str, ...] | None, group: str | None) -> bool:
    return group is None or types is None or any(TYPE_GROUP.get(t) == group for t in types)


#: The kinds of JSON value, as far as telling schemas apart goes: the four groups, plus booleans
#: and null (integer and number are one kind: ``1.0`` is an integer).
KINDS = frozenset({*GROUPS, "bool", "null"})
_KIND_OF_TYPE = {**TYPE_GROUP, "boolean": "bool", "null": "null"}


def within(types: tuple[str, ...], kinds: frozenset[str]) -> tuple[str, ...]:
    """The ``types`` of the given kinds: where a value of another kind fails anyway, testing for
    it is dead code (and, after mypy narrowed the value, ``type(v) is int`` on a ``None`` is an
    error to it)."""
    return tuple(t for t in types if _KIND_OF_TYPE[t] in kinds)


def kind_of(value: Any) -> str:
    """The kind of a JSON value (see :data:`KINDS`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "num"
    return "str" if isinstance(value, str) else "list" if isinstance(value, list) else "dict"


class Emitter:
    def __init__(self, schemas: dict[str, Schema], names: dict[str, str], dynamic: bool,
                 annotating: set[str], refcount: dict[str, int], real: dict[str, str],
                 tables: dict[tuple[str, str], str]):
        self.s = schemas
        self.names = names
        self.dynamic = dynamic
        self.annotating = annotating
        self.refcount = refcount
        self.real = real
        self.tables = tables  # (kind, anchor) -> table base name
        self.D = ", d" if dynamic else ""
        self._kinds: dict[str, frozenset[str]] = {}

    # -- names and calls ---------------------------------------------------------
    def schema(self, fid: str) -> Schema:
        return self.s[self.real[fid]]

    def call(self, variant: str, fid: str, v: str, p: str | None = None) -> str:
        name = self.names[self.real[fid]]
        path = f", {p}" if p is not None else ""
        return f"_{variant}_{name}({v}{path}{self.D})"

    def inlinable(self, fid: str, parent: Schema) -> bool:
        s = self.schema(fid)
        return (self.refcount.get(s.fid, 0) == 1 and not s.annotates
                and (not self.dynamic or s.resource == parent.resource))

    def expressible(self, s: Schema) -> bool:
        """No applicator does anything on the fast path (``additionalProperties: true`` does not)."""
        return s.const is not None or (not s.annotates and all(self.noop(a) for a in s.applies))

    def noop(self, a: Apply) -> bool:
        return a.kind in _NOOP_IF_TRUE and all(self.schema(f).const is True for _, f in a.subs)

    def kinds(self, s: Schema) -> frozenset[str]:
        """The kinds of value (:data:`KINDS`) that ``s`` may accept, judging by its ``type``,
        ``const`` and ``enum`` and those of the subschemas it applies in place through ``allOf``
        and ``$ref`` (all checked in its own block).

        Where the answer excludes a kind, a check that only a value of that kind could pass is
        known false, and is written ``False``: ``allOf: [{"type": "object"}, {"const": "x"}]``
        never holds.  Comparing instead would be dead code, and code mypy rejects: after
        ``isinstance(v, dict)`` it knows ``v != "x"`` is always true (comparison-overlap)."""
        known = self._kinds.get(s.fid)
        if known is not None:
            return known
        self._kinds[s.fid] = KINDS  # a cycle of allOf/$ref (never valid anyway) stops here
        if s.const is not None:
            out = KINDS if s.const else frozenset()
        else:
            out = KINDS if s.types is None else frozenset(_KIND_OF_TYPE[t] for t in s.types)
            for t in s.tests:
                if t.kind == "const":
                    out &= {kind_of(t.extra)}
                elif t.kind == "enum":
                    out &= {kind_of(value) for value in t.extra[1]}
            for a in s.applies:
                if a.kind in ("allOf", "ref"):
                    for _, fid in a.subs:
                        out &= self.kinds(self.schema(fid))
        self._kinds[s.fid] = out
        return out

    def possible(self, s: Schema, outer: frozenset[str] = KINDS, known: str | None = None) -> frozenset[str]:
        """The kinds of value that may pass ``s`` where the value is of ``outer`` (and of the
        group ``known``, when one is known)."""
        return self.kinds(s) & outer & ({known} if known else KINDS)

    # -- expressions -----------------------------------------------------------------
    def test_expr(self, t: Test, v: str) -> str:
        k, val = t.kind, t.value
        if k == "const":
            c = t.extra
            if c is None:
                return f"{v} is None"
            if isinstance(c, bool):
                return f"{v} is {c}"
            if isinstance(c, str):
                return f"{v} == {lit(c)}"
            return f"_equal({v}, {val})"
        if k == "enum":
            return f"(isinstance({v}, str) and {v} in {val})" if t.extra[0] == "str" else f"_in_enum({v}, {val})"
        if k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            op = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[k]
            return f"{v} {op} {lit(val)}"
        if k == "multipleOf":
            if isinstance(val, int):
                return f"{v} % {lit(val)} == 0"
            return f"_multiple_of({v}, {lit(val)})"
        if k in ("minLength", "minItems", "minProperties"):
            return f"len({v}) >= {lit(val)}"
        if k in ("maxLength", "maxItems", "maxProperties"):
            return f"len({v}) <= {lit(val)}"
        if k == "pattern":
            return f"{val}.search({v}) is not None"
        if k == "format":
            return f"{val}({v})"
        if k == "uniqueItems":
            return f"_unique({v})"
        if k == "required":
            return " and ".join(f"{lit(n)} in {v}" for n in val)
        if k == "dependentRequired":
            return " and ".join(
                f"({lit(key)} not in {v} or " + " and ".join(f"{lit(n)} in {v}" for n in names) + ")"
                for key, names in val
            )
        raise AssertionError(k)

    def expr(self, s: Schema, v: str, known: str | None = None, outer: frozenset[str] = KINDS) -> str:
        """A boolean expression for a schema without applicators.  ``known``: the group ``v`` is
        known to be in (its guard is left out); ``outer``: the kinds that ``v`` may be of here
        (a value of another kind fails the enclosing check anyway)."""
        if s.const is not None:
            return str(s.const)
        possible = self.possible(s, outer, known)
        if not possible:
            return "False"
        parts = []
        if s.types is not None:
            types = within(s.types, possible)
            parts.append(type_expr(types, v, s.whole_floats))
            known = known_group(types) or known
        by_group: dict[str | None, list[str]] = {}
        for t in s.tests:
            if t.group is None or t.group in possible:
                by_group.setdefault(t.group, []).append(self.test_expr(t, v))
        parts += by_group.pop(None, [])
        for g, exprs in by_group.items():
            body = " and ".join(or_paren(e) for e in exprs)
            if g == known or g is None:
                parts.append(body)
            else:
                parts.append(f"(not {GUARD[g].format(v=v)} or {paren(body)})")
        if not parts:
            return "True"
        return " and ".join(or_paren(p) for p in parts)

    def sub_expr(self, fid: str, v: str, parent: Schema, known: str | None = None,
                 outer: frozenset[str] = KINDS) -> str:
        """Boolean expression: does ``v`` satisfy subschema ``fid`` (fast path)."""
        s = self.schema(fid)
        if s.const is not None:
            return str(s.const)
        if not self.possible(s, outer, known):
            return "False"
        if self.expressible(s) and self.inlinable(fid, parent):
            return paren(self.expr(s, v, known, outer))
        return self.call("v", fid, v)

    # -- fast path -------------------------------------------------------------------
    def fast_function(self, s: Schema, guard: bool = False) -> list[Line]:
        """The body of ``_v_<name>``.  ``guard``: the function is called only by the error path,
        to skip valid parts of an invalid instance; it inlines no nested blocks (its children are
        calls to their own guards, which the error path has anyway), so each subschema's checks
        exist once, not once per enclosing level (see ``MAX_INLINE_LEVELS``)."""
        if s.annotates:
            return self.prologue(s) + [Line(0, f"return {self.call('a', s.fid, 'x')} is not None")]
        level = MAX_INLINE_LEVELS if guard else 0
        lines = self.prologue(s) + list(self.block(s, "x", 0, "return False", level=level))
        lines.append(Line(0, "return True"))
        return lines

    def prologue(self, s: Schema) -> list[Line]:
        if not self.dynamic:
            return []
        return [Line(0, f"if d[-1] != {s.resource}:"), Line(1, f"d = (*d, {s.resource})")]

    def block(self, s: Schema, v: str, n: int, fail: str, skip_inplace: bool = False,
              level: int = 0, outer: frozenset[str] = KINDS) -> Iterable[Line]:
        """Statements that ``fail`` when ``v`` is invalid against ``s`` (depth ``n`` names locals;
        ``level`` counts the blocks inlined around this one, see ``MAX_INLINE_LEVELS``;
        ``outer``: the kinds of value the enclosing block lets through, see :meth:`kinds`)."""
        if s.const is True:
            return
        possible = self.possible(s, outer)
        if not possible:  # ``false``, or no value satisfies ``s`` here
            yield Line(0, fail)
            return
        known = None
        if s.types is not None:
            types = within(s.types, possible)
            yield Line(0, f"if {negate(type_expr(types, v, s.whole_floats))}:")
            yield Line(1, fail)
            known = known_group(types)
        for t in s.tests:
            if t.group is None:
                yield from self.check(self.test_expr(t, v), fail)
        generic = [a for a in s.applies if a.group is None]
        cheap = [a for a in generic if a.kind in ("anyOf", "oneOf", "not")
                 and all(self.expressible(self.schema(f)) and self.inlinable(f, s) for _, f in a.subs)]
        for a in cheap:
            yield from self.apply_fast(a, s, v, n, fail, known, level=level, outer=possible)
        for g in GROUPS:
            if g not in possible:
                continue
            tests = [t for t in s.tests if t.group == g]
            applies = [a for a in s.applies if a.group == g and not a.kind.startswith("unevaluated")
                       and not (skip_inplace and a.kind == "dependentSchemas")]
            if not tests and not applies:
                continue
            inner: list[Line] = []
            order = {"required": 0}
            for t in sorted(tests, key=lambda t: order.get(t.kind, 1)):
                inner += self.check(self.test_expr(t, v), fail)
            # names ``required`` just checked are known present: no ``"k" in x`` before ``x["k"]``
            present = frozenset(name for t in tests if t.kind == "required" for name in t.value)
            for a in applies:
                inner += self.apply_fast(a, s, v, n, fail, g, present, level)
            if not inner:
                continue
            if g == known:
                yield from inner
            else:
                yield Line(0, f"if {GUARD[g].format(v=v)}:")
                yield from (Line(ln.depth + 1, ln.code) for ln in inner)
        for a in generic:
            if a in cheap or (skip_inplace and a.kind in INPLACE):
                continue
            yield from self.apply_fast(a, s, v, n, fail, known, level=level, outer=possible)

    @staticmethod
    def guarded(cond: str, body: list[Line]) -> list[Line]:
        """``body`` under ``if cond:`` (bare when the condition is known true)."""
        if not body or cond == "True":
            return body
        return [Line(0, f"if {cond}:"), *(Line(ln.depth + 1, ln.code) for ln in body)]

    @staticmethod
    def check(cond: str, fail: str) -> list[Line]:
        return when(negate(cond), fail)

    def apply_fast(self, a: Apply, s: Schema, v: str, n: int, fail: str, known: str | None,
                   present: frozenset[str] = frozenset(), level: int = 0,
                   outer: frozenset[str] = KINDS) -> list[Line]:
        out: list[Line] = []
        nest = level < MAX_INLINE_LEVELS  # may a single-use child's block be inlined here?
        w, k = f"v{n + 1}", f"k{n + 1}"
        kind = a.kind
        if kind == "properties":
            for name, fid in a.subs:
                c = self.schema(fid)
                key = lit(name)
                has = "True" if name in present else f"{key} in {v}"
                if c.const is True:
                    continue
                if c.const is False:
                    out += when(has, fail)
                elif self.expressible(c) and self.inlinable(fid, s):
                    # ``"k" in x and ... x["k"]`` beats ``x.get("k", _M)`` when the value is used once
                    test = self.expr(c, w)
                    default = passing_default(c) if has != "True" else None
                    uses = len(re.findall(rf"\b{w}\b", test))
                    if default is not None and uses <= 1:
                        # one dict lookup, not two: an absent key reads as a value the test accepts
                        out += when(negate(self.expr(c, f"{v}.get({key}, {default})")), fail)
                    elif default is not None:
                        out += [Line(0, f"{w} = {v}.get({key}, {default})"), *when(negate(test), fail)]
                    elif uses <= 1:
                        out += when(conj(has, negate(self.expr(c, f"{v}[{key}]"))), fail)
                    else:
                        out += self.guarded(has, [Line(0, f"{w} = {v}[{key}]"), *when(negate(test), fail)])
                elif nest and self.inlinable(fid, s):
                    body = list(self.block(c, w, n + 1, fail, level=level + 1))
                    if any(re.search(rf"\b{w}\b", ln.code) for ln in body):
                        body.insert(0, Line(0, f"{w} = {v}[{key}]"))
                    out += self.guarded(has, body)
                else:
                    out += when(conj(has, negate(self.call("v", fid, f"{v}[{key}]"))), fail)
        elif kind == "patternProperties":
            tests = [(r, self.sub_expr(f, w, s)) for r, f in a.subs]
            tests = [(r, test) for r, test in tests if test != "True"]  # ``{}``, ``{"additionalItems": true}``
            if not tests:
                return out
            keys_only = all(test == "False" for _, test in tests)
            out.append(Line(0, f"for {k} in {v}:" if keys_only else f"for {k}, {w} in {v}.items():"))
            out.append(Line(1, f"if isinstance({k}, str):"))
            for rname, test in tests:
                out += when(conj(f"{rname}.search({k}) is not None", negate(test)), fail, 2)
        elif kind == "additionalProperties":
            names, patterns = a.extra
            test = self.sub_expr(a.subs[0][1], w, s)
            if test == "True":  # ``true``, ``{}``, ``{"additionalItems": true}``: checks nothing
                return out
            # no value valid there (``false``, or a schema no value satisfies): keys alone decide
            never = test == "False"
            if never and not patterns:
                cond = f"not {names}.issuperset({v})" if names else f"len({v}) > 0"
                return [Line(0, f"if {cond}:"), Line(1, fail)]
            skip = [f"{k} in {names}"] if names else []
            skip += [f"(isinstance({k}, str) and {r}.search({k}) is not None)" for r in patterns]
            unmatched = negate(" or ".join(skip)) if skip else ""
            if never:
                out += [Line(0, f"for {k} in {v}:"), Line(1, f"if {unmatched}:"), Line(2, fail)]
            else:
                loop = f"for {k}, {w} in {v}.items():" if skip else f"for {w} in {v}.values():"
                out += [Line(0, loop)] + when(conj(unmatched or "True", negate(test)), fail, 1)
        elif kind == "propertyNames":
            fid = a.subs[0][1]
            if self.schema(fid).const is True:
                return out
            if self.schema(fid).const is False:
                return when(f"len({v}) > 0", fail)
            test = self.sub_expr(fid, k, s)
            if test != "True":
                out += [Line(0, f"for {k} in {v}:")] + when(negate(test), fail, 1)
        elif kind == "dependentSchemas":
            for name, fid in a.subs:
                if self.schema(fid).const is True:
                    continue
                out += when(conj(f"{lit(name)} in {v}", negate(self.sub_expr(fid, v, s, "dict"))), fail)
        elif kind == "prefixItems":
            for i, fid in a.subs:
                if self.schema(fid).const is True:
                    continue
                out += when(conj(f"len({v}) > {i}", negate(self.sub_expr(fid, f"{v}[{i}]", s))), fail)
        elif kind == "items":
            fid, start = a.subs[0][1], a.extra
            c = self.schema(fid)
            test = self.sub_expr(fid, w, s)
            if test == "True":
                return out
            if test == "False":  # ``false``, or a schema no value satisfies
                return [Line(0, f"if len({v}) > {start}:"), Line(1, fail)]
            seq = f"{v}[{start}:]" if start else v
            if nest and self.inlinable(fid, s) and not self.expressible(c):
                body = [Line(ln.depth + 1, ln.code) for ln in self.block(c, w, n + 1, fail, level=level + 1)]
            else:
                body = when(negate(test), fail, 1)
            if body:
                out += [Line(0, f"for {w} in {seq}:"), *body]
        elif kind == "contains":
            lo, hi, _draft = a.extra
            fid = a.subs[0][1]
            test = self.sub_expr(fid, w, s)
            if hi is None and lo == 0:
                return out
            if hi is None and lo == 1:
                out += [Line(0, f"if not any({test} for {w} in {v}):"), Line(1, fail)]
            else:
                count = f"sum(1 for {w} in {v} if {test})"
                cond = f"{lo} <= {count}" + (f" <= {hi}" if hi is not None else "")
                out += [Line(0, f"if not ({cond}):"), Line(1, fail)]
        elif kind == "allOf":
            for _, fid in a.subs:
                c = self.schema(fid)
                if nest and self.inlinable(fid, s) and not self.expressible(c):
                    out += list(self.block(c, v, n, fail, level=level + 1, outer=outer))
                else:
                    out += self.check(self.sub_expr(fid, v, s, known, outer), fail)
        elif kind == "anyOf":
            exprs = [self.sub_expr(fid, v, s, known, outer) for _, fid in a.subs]
            if "True" not in exprs:
                out += self.check(disjunction([e for e in exprs if e != "False"]) or "False", fail)
        elif kind == "oneOf":
            exprs = [paren(self.sub_expr(fid, v, s, known, outer)) for _, fid in a.subs]
            if len(exprs) == 1:
                out += self.check(exprs[0], fail)
            else:
                out += [Line(0, f"if {' + '.join(exprs)} != 1:"), Line(1, fail)]
        elif kind == "not":
            out += when(self.sub_expr(a.subs[0][1], v, s, known, outer), fail)
        elif kind == "if":
            branches = dict(a.subs)
            cond = self.sub_expr(branches["if"], v, s, known, outer)
            then = self.sub_expr(branches["then"], v, s, known, outer) if "then" in branches else None
            implied = known_group(self.schema(branches["if"]).types)  # the type ``cond`` tests, if one
            then_types = self.schema(branches["then"]).types if "then" in branches else None
            if implied and then_types is not None and not group_possible(then_types, implied):
                then = "False"  # never true where ``cond`` holds
            elif implied and then not in (None, "True"):
                # ``cond`` inline narrows ``v`` for mypy, and a test in ``then`` may then compare it
                # with what it cannot be (``type(v) is int``, ``v != "x"``: comparison-overlap); a
                # call narrows nothing
                cond = self.call("v", branches["if"], v)
            other = self.sub_expr(branches["else"], v, s, known, outer) if "else" in branches else None
            if then == "False":  # valid only where ``cond`` fails, and ``else`` holds
                out += self.check(conj(negate(cond), other) if other else negate(cond), fail)
            elif then and other and cond not in ("True", "False") and "True" not in (then, other):
                out += [Line(0, f"if {cond}:")] + when(negate(then), fail, 1)
                out += [Line(0, f"elif {negate(other)}:"), Line(1, fail)]
            else:
                out += when(conj(cond, negate(then or "True")), fail)
                out += when(conj(negate(cond), negate(other or "True")), fail)
        elif kind == "ref":
            fid = a.subs[0][1]
            c = self.schema(fid)
            if nest and self.inlinable(fid, s) and not self.expressible(c):
                out += list(self.block(c, v, n, fail, level=level + 1, outer=outer))  # a $ref used once and not recursive
            else:
                out += self.check(self.sub_expr(fid, v, s, known, outer), fail)
        elif kind in ("dynamicRef", "recursiveRef"):
            out += self.check(self.dyn_call("v", a, v), fail)
        return out

    def dyn_call(self, variant: str, a: Apply, v: str, p: str | None = None) -> str:
        anchor, fid = a.subs[0]
        helper = "_dyn" if a.kind == "dynamicRef" else "_rec"
        table = self.tables[(a.kind, anchor or "")] + "_" + variant
        default = f"_{variant}_{self.names[self.real[fid]]}"
        path = f", {p}" if p is not None else ""
        return f"{helper}(d, {table}, {default})({v}{path}, d)"


def simplify(lines: list[Line]) -> list[Line]:
    """Tidy a function body the way linters want it (same meaning, same speed).

    * ``if A:`` whose whole body is ``if B: ...`` becomes ``if A and B: ...``;
    * a body ending ``if not C: return False`` + ``return True`` ends ``return C``.
    """
    lines = _collapse(lines)
    if (len(lines) >= 3 and lines[-1] == Line(0, "return True") and lines[-2] == Line(1, "return False")
            and lines[-3].depth == 0 and lines[-3].code.startswith("if ") and lines[-3].code.endswith(":")):
        cond = lines[-3].code[3:-1]
        new = negate(cond)
        top = _top_level(new)
        if new not in ("True", "False") and not (top.startswith("not ") and " and " not in top
                                                 and " or " not in top) and (
                any(op in top for op in _OPERATORS) or not new.startswith(("isinstance(", "_v_"))):
            # comparisons with Any are Any to mypy
            new = f"bool{new}" if new.startswith("(") and not top.strip() else f"bool({new})"
        lines = lines[:-3] + [Line(0, f"return {new}")]
    return lines


def _block_end(lines: list[Line], i: int) -> int:
    depth = lines[i].depth
    j = i + 1
    while j < len(lines) and lines[j].depth > depth:
        j += 1
    return j


def _collapse(lines: list[Line]) -> list[Line]:
    """Merge nested ``if``s in one pass (a merged line is retried: it may merge again)."""
    lines = list(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        code = line.code
        if code.startswith("if ") and code.endswith(":") and i + 2 < len(lines):
            inner = lines[i + 1]
            end = _block_end(lines, i)
            if (inner.depth == line.depth + 1 and inner.code.startswith("if ") and inner.code.endswith(":")
                    and end - i >= 3 and _block_end(lines, i + 1) == end
                    and not (end < len(lines) and lines[end].depth == line.depth
                             and lines[end].code.startswith(("elif ", "else")))):
                merged = Line(line.depth, f"if {or_paren(code[3:-1])} and {or_paren(inner.code[3:-1])}:")
                lines[i:end] = [merged] + [Line(ln.depth - 1, ln.code) for ln in lines[i + 2: end]]
                continue
        i += 1
    return lines
