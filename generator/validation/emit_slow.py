"""The two slow variants: error collection (``_e_``) and annotations (``_a_``).

They run only after the fast path said "invalid" (errors) or for schemas under
``unevaluatedProperties``/``unevaluatedItems`` (annotations), so they favour
simplicity over speed: children are always calls, never inlined.

Error messages follow jsonschema's wording where one exists.  Each error
carries the instance path (built here, by string concatenation, only on this
path) and the schema path: the JSON pointer of the failing keyword inside its
own schema document.
"""

from __future__ import annotations

from ..render import py_literal as lit
from .emit import (
    GUARD,
    INPLACE,
    Emitter,
    checks_only_type,
    conj,
    esc,
    group_possible,
    negate,
    short,
    type_expr,
    when,
)
from .ir import GROUPS, Apply, Line, Schema, Test

MESSAGES = {
    "minimum": " is less than the minimum of {}",
    "maximum": " is greater than the maximum of {}",
    "exclusiveMinimum": " is less than or equal to the minimum of {}",
    "exclusiveMaximum": " is greater than or equal to the maximum of {}",
    "multipleOf": " is not a multiple of {}",
    "minLength": " is too short (at least {} characters)",
    "maxLength": " is too long (at most {} characters)",
    "minItems": " is too short (at least {} items)",
    "maxItems": " is too long (at most {} items)",
    "minProperties": " does not have enough properties (at least {})",
    "maxProperties": " has too many properties (at most {})",
}


def err(msg: str, p: str, t_spath: str, kw: str) -> str:
    """``yield`` one error; ``_r(x) + <literal>`` messages are deferred (no repr unless read)."""
    if msg.startswith("_r(x) + ") and " + " not in msg[len("_r(x) + "):].replace('" + "', ""):
        return f"yield ValidationError._about(x, {msg[len('_r(x) + '):]}, {p}, {lit(t_spath)}, {lit(kw)})"
    return f"yield ValidationError({msg}, {p}, {lit(t_spath)}, {lit(kw)})"


def type_error(types: tuple[str, ...], spath: str, value: str = "x", path: str = "p") -> str:
    """The error (an expression) of ``value`` at ``path`` not being one of the JSON ``types``."""
    names = ", ".join(repr(t) for t in types)
    return f"ValidationError._about({value}, {lit(' is not of type ' + names)}, {path}, {lit(spath)}, \"type\")"


class SlowEmitter(Emitter):
    # -- errors -----------------------------------------------------------------------
    def error_function(self, s: Schema) -> list[Line]:
        body = self.prologue(s) + self.error_lines(s)
        if not any(("yield" in ln.code) for ln in body):
            body.append(Line(0, "yield from ()"))
        return body

    def error_lines(self, s: Schema) -> list[Line]:
        out: list[Line] = []
        if s.const is True:
            return out
        if s.const is False:
            return [Line(0, err('"False schema does not allow " + _r(x)', "p", s.where.split("#", 1)[1], "false"))]
        if s.types is not None:
            out += [Line(0, f"if {negate(type_expr(s.types, 'x', s.whole_floats))}:"),
                    Line(1, f"yield {type_error(s.types, s.type_spath)}")]
        for t in s.tests:
            if t.group is None:
                out += self.test_errors(t)
        for g in GROUPS:
            if not group_possible(s.types, g):
                continue
            inner: list[Line] = []
            for t in s.tests:
                if t.group == g:
                    inner += self.test_errors(t)
            for a in s.applies:
                if a.group == g:
                    inner += self.apply_errors(a, s)
            if not inner:
                continue
            if False:  # the slow path keeps every guard: it also runs after a failed type check
                out += inner
            else:
                out.append(Line(0, f"if {GUARD[g].format(v='x')}:"))
                out += [Line(ln.depth + 1, ln.code) for ln in inner]
        for a in s.applies:
            if a.group is None:
                out += self.apply_errors(a, s)
        return out

    def test_errors(self, t: Test) -> list[Line]:
        sp, kw = t.spath, t.keyword
        if t.kind == "required":
            return [line for name in t.value for line in (
                Line(0, f"if {lit(name)} not in x:"),
                Line(1, err(lit(f"{name!r} is a required property"), "p", sp, kw)))]
        if t.kind == "dependentRequired":
            out = []
            for key, names in t.value:
                for name in names:
                    out += [Line(0, f"if {lit(key)} in x and {lit(name)} not in x:"),
                            Line(1, err(lit(f"{name!r} is a dependency of {key!r}"), "p", sp, kw))]
            return out
        if t.kind == "const":
            msg = lit(f"{short(t.extra)} was expected") + ' + ", got " + _r(x)'
        elif t.kind == "enum":
            msg = f"_r(x) + {lit(' is not one of ' + short(t.extra[1]))}"
        elif t.kind == "pattern":
            msg = f"_r(x) + {lit(' does not match ' + short(t.extra))}"
        elif t.kind == "format":
            msg = f"_r(x) + {lit(' is not a ' + repr(t.extra))}"
        elif t.kind == "uniqueItems":
            msg = '_r(x) + " has non-unique elements"'
        else:
            msg = f"_r(x) + {lit(MESSAGES[t.kind].format(short(t.value)))}"
        cond = self.test_expr(t, "x")
        return [Line(0, f"if {negate(cond)}:"), Line(1, err(msg, "p", sp, kw))]

    def apply_errors(self, a: Apply, s: Schema) -> list[Line]:
        out: list[Line] = []
        kind, sp, kw = a.kind, a.spath, a.keyword
        if kind == "properties":
            for name, fid in a.subs:
                if self.schema(fid).const is not True:
                    out += self.descend(s, fid, f"x[{lit(name)}]", "p + " + lit("/" + esc(name)), 0,
                                        f"{lit(name)} in x")
        elif kind == "patternProperties":
            for rname, fid in a.subs:
                out += self.descend(s, fid, "w", "_p(p, k)", 1, f"isinstance(k, str) and {rname}.search(k) is not None")
            if out:
                out.insert(0, Line(0, "for k, w in x.items():"))
        elif kind == "additionalProperties":
            names, patterns = a.extra
            fid = a.subs[0][1]
            if self.schema(fid).const is True:
                return out
            skip = [f"k in {names}"] if names else []
            skip += [f"(isinstance(k, str) and {r}.search(k) is not None)" for r in patterns]
            false = self.schema(fid).const is False
            out.append(Line(0, "for k in x:" if false else "for k, w in x.items():"))
            depth = 1
            if skip:
                out.append(Line(1, f"if {negate(' or '.join(skip))}:"))
                depth = 2
            inner = self.extra_item(fid, "w", "_p(p, k)", '_unexpected("Additional properties", k)', "p", sp, kw, depth)
            if not inner:
                return []
            out += inner
        elif kind == "propertyNames":
            inner = self.descend(s, a.subs[0][1], "k", "p", 1)
            out += [Line(0, "for k in x:"), *inner] if inner else []
        elif kind == "dependentSchemas":
            for name, fid in a.subs:
                out += self.descend(s, fid, "x", "p", 0, f"{lit(name)} in x")
        elif kind == "prefixItems":
            for i, fid in a.subs:
                out += self.descend(s, fid, f"x[{i}]", "p + " + lit(f"/{i}"), 0, f"len(x) > {i}")
        elif kind == "items":
            fid, start = a.subs[0][1], a.extra
            if self.schema(fid).const is True:
                return out
            inner = self.extra_item(fid, "w", 'p + "/" + str(i)', '_unexpected("Additional items", w)', 'p + "/" + str(i)', sp,
                                    kw, 1)
            if inner:  # none where the items' schema checks nothing (``{"additionalItems": true}``)
                out.append(Line(0, f"for i, w in enumerate(x[{start}:], {start}):" if start else "for i, w in enumerate(x):"))
                out += inner
        elif kind == "contains":
            lo, hi, _ = a.extra
            count = f"sum(1 for w in x if {self.call('v', a.subs[0][1], 'w')})"
            out.append(Line(0, f"n = {count}"))
            out += [Line(0, f"if n < {lo}:"),
                    Line(1, err(f"_r(x) + {lit(f' does not contain enough items matching the contains schema (at least {lo})')}",
                                "p", sp, kw if lo == 1 or s.const is not None else "minContains"))]
            if hi is not None:
                out += [Line(0, f"if n > {hi}:"),
                        Line(1, err(f"_r(x) + {lit(f' contains too many items matching the contains schema (at most {hi})')}",
                                    "p", sp, "maxContains"))]
        elif kind == "allOf":
            for _, fid in a.subs:
                out += self.descend(s, fid, "x", "p", 0)
        elif kind == "anyOf":
            exprs = " or ".join(self.call("v", fid, "x") for _, fid in a.subs)
            out += [Line(0, f"if {negate(exprs)}:"), Line(1, self.no_branch(a, sp, kw))]
        elif kind == "oneOf":
            exprs = " + ".join(self.call("v", fid, "x") for _, fid in a.subs)
            out += [Line(0, f"n = {exprs}"),
                    Line(0, "if n == 0:"),
                    Line(1, self.no_branch(a, sp, kw)),
                    Line(0, "elif n > 1:"),
                    Line(1, err('_r(x) + " is valid under more than one of the given schemas"', "p", sp, kw))]
        elif kind == "not":
            out += [Line(0, f"if {self.call('v', a.subs[0][1], 'x')}:"),
                    Line(1, err("_r(x) + ' must not be valid under the schema in \"not\"'", "p", sp, kw))]
        elif kind == "if":
            subs = dict(a.subs)
            if "then" in subs or "else" in subs:
                out.append(Line(0, f"if {self.call('v', subs['if'], 'x')}:"))
                out.append(Line(1, f"yield from {self.call('e', subs['then'], 'x', 'p')}" if "then" in subs else "pass"))
                if "else" in subs:
                    out += [Line(0, "else:"), Line(1, f"yield from {self.call('e', subs['else'], 'x', 'p')}")]
        elif kind == "ref":
            out += self.descend(s, a.subs[0][1], "x", "p", 0)
        elif kind in ("dynamicRef", "recursiveRef"):
            out.append(Line(0, f"yield from {self.dyn_call('e', a, 'x', 'p')}"))
        elif kind in ("unevaluatedProperties", "unevaluatedItems"):
            out += self.collect(s, "set()")
            fid = a.subs[0][1]
            if kind == "unevaluatedProperties":
                false = self.schema(fid).const is False
                out += [Line(0, "if not isinstance(ev, bool):"),
                        Line(1, "for k in x:" if false else "for k, w in x.items():"), Line(2, "if k not in ev:")]
                out += self.extra_item(fid, "w", "_p(p, k)", '_unexpected("Unevaluated properties", k)', "p", sp, kw,
                                       3)
            else:
                out += [Line(0, "if not isinstance(ev, bool):"), Line(1, "for i, w in enumerate(x):"),
                        Line(2, "if i not in ev:")]
                out += self.extra_item(fid, "w", 'p + "/" + str(i)', '_unexpected("Unevaluated items", w)',
                                       'p + "/" + str(i)', sp, kw, 3)
        return out

    def no_branch(self, a: Apply, sp: str, kw: str) -> str:
        """``yield`` the error of an anyOf/oneOf no branch matched, with what each branch needed
        as its ``context`` (collected only if the message or context is read).

        A branch with no subschemas of its own (``required``, ``enum``, ``minLength``...) is
        explained in full by its error function, a branch that only checks the type inline.  A
        larger branch is explained by its ``type`` only, when the instance has the wrong one: explaining it in full would need error functions for its
        whole subtree, which on union-heavy schemas (azure-pipelines) tripled the validator code,
        and black's time with it.
        """
        parts = []
        for _, fid in a.subs:
            branch = self.schema(fid)
            if not branch.applies and (branch.tests or branch.types is None):
                parts.append(f"list({self.call('e', fid, 'x', 'p')})")
            elif branch.types is not None:  # only its type, inline: no function needed
                error = type_error(branch.types, branch.type_spath)
                parts.append(f"[{error}] if {negate(type_expr(branch.types, 'x', branch.whole_floats))} else []")
            else:
                parts.append("[]")
        return (f'yield ValidationError._no_branch(x, " is not valid under any of the given schemas", p, '
                f"{lit(sp)}, {lit(kw)}, lambda: [{', '.join(parts)}])")

    def extra_item(self, fid: str, w: str, child_p: str, false_msg: str, false_p: str, sp: str, kw: str,
                   depth: int) -> list[Line]:
        if self.schema(fid).const is False:
            return [Line(depth, err(false_msg, false_p, sp, kw))]
        return self.descend(None, fid, w, child_p, depth)

    def descend(self, s: Schema | None, fid: str, value: str, path: str, depth: int, only_if: str = "True") -> list[Line]:
        """``yield from`` the child's errors, only when the (cheap) fast path says it is invalid.

        Valid children -- nearly all of them -- then cost one check, not a generator.
        """
        child = self.schema(fid)
        if s is not None and self.inlinable(fid, s) and not self.dynamic and checks_only_type(child):
            # a single-use child that only checks the type: its one error inline, no function
            # (``{"type": "string"}`` properties are a tenth to a quarter of the error functions
            # of real-world schemas, and black's time goes with the code)
            assert child.types is not None
            error = f"yield {type_error(child.types, child.type_spath, value, path)}"
            return when(conj(only_if, negate(type_expr(child.types, value, child.whole_floats))), error, depth)
        if s is not None and self.inlinable(fid, s) and not self.expressible(child):
            # its fast check lives inlined in the parent's fast path; a separate ``_v_`` just for
            # this guard would duplicate its code (and its children's): descend unguarded
            fast = "False"
        else:
            fast = self.sub_expr(fid, value, s) if s is not None else self.call("v", fid, value)
        return when(conj(only_if, negate(fast)), f"yield from {self.call('e', fid, value, path)}", depth)

    # -- annotations --------------------------------------------------------------------
    def annot_function(self, s: Schema) -> list[Line]:
        if s.const is not None:
            return [Line(0, "return set()" if s.const else "return None")]
        out = self.prologue(s)
        out += list(self.block(s, "x", 0, "return None", skip_inplace=True))
        out += self.collect(s, "set()", strict=True)
        for a in s.applies:
            if a.kind in ("unevaluatedProperties", "unevaluatedItems"):
                props = a.kind == "unevaluatedProperties"
                cls, key = ("dict", "k") if props else ("list", "i")
                c = self.schema(a.subs[0][1])
                if c.const is not True:
                    loop = (f"for {key} in {'x' if props else 'range(len(x))'}:" if c.const is False else
                            "for k, w in x.items():" if props else "for i, w in enumerate(x):")
                    out += [Line(0, f"if isinstance(x, {cls}) and not isinstance(ev, bool):"), Line(1, loop)]
                    out += when(conj(f"{key} not in ev", negate(self.sub_expr(a.subs[0][1], "w", s))), "return None", 2)
                out += [Line(0, f"if isinstance(x, {cls}):"), Line(1, "ev = True")]
        out.append(Line(0, "return ev"))
        return out

    def collect(self, s: Schema, start: str, strict: bool = False) -> list[Line]:
        """Lines computing ``ev``: what ``s``'s keywords (but unevaluated*) evaluated in ``x``.

        ``strict``: return None when an in-place subschema fails (annotation
        variant); otherwise failing subschemas just contribute nothing.
        """
        fail = [Line(1, "return None")] if strict else []
        out = [Line(0, "ev = _ev0()")]
        dict_lines: list[Line] = []
        list_lines: list[Line] = []
        for a in s.applies:
            if a.kind == "properties" and a.subs:
                names = lit(tuple(n for n, _ in a.subs))
                dict_lines.append(Line(0, f"ev = _merge(ev, {{k for k in {names} if k in x}})"))
            elif a.kind == "patternProperties" and a.subs:
                tests = " or ".join(f"{r}.search(k) is not None" for r, _ in a.subs)
                dict_lines.append(Line(0, f"ev = _merge(ev, {{k for k in x if isinstance(k, str) and ({tests})}})"))
            elif a.kind == "additionalProperties":
                dict_lines.append(Line(0, "ev = True"))
            elif a.kind == "dependentSchemas":
                for name, fid in a.subs:
                    dict_lines += [Line(0, f"if {lit(name)} in x:")] + self.merge_call(fid, strict, 1)
            elif a.kind == "prefixItems":
                list_lines.append(Line(0, f"ev = _merge(ev, set(range(min({len(a.subs)}, len(x)))))"))
            elif a.kind == "items":
                list_lines.append(Line(0, "ev = True"))
            elif a.kind == "contains" and a.extra[2] == "2020":
                test = self.call("v", a.subs[0][1], "w")
                list_lines.append(Line(0, f"ev = _merge(ev, {{i for i, w in enumerate(x) if {test}}})"))
        if dict_lines:
            out += [Line(0, "if isinstance(x, dict):")] + [Line(ln.depth + 1, ln.code) for ln in dict_lines]
        if list_lines:
            out += [Line(0, "if isinstance(x, list):")] + [Line(ln.depth + 1, ln.code) for ln in list_lines]
        for a in s.applies:
            if a.kind == "allOf":
                for _, fid in a.subs:
                    out += self.merge_call(fid, strict, 0)
            elif a.kind in ("anyOf", "oneOf"):
                out.append(Line(0, "n = 0"))
                for _, fid in a.subs:
                    out += [Line(0, f"r = {self.call('a', fid, 'x')}"), Line(0, "if r is not None:"),
                            Line(1, "n += 1"), Line(1, "ev = _merge(ev, r)")]
                if strict:
                    out += [Line(0, "if n == 0:" if a.kind == "anyOf" else "if n != 1:")] + fail
            elif a.kind == "if":
                subs = dict(a.subs)
                out += [Line(0, f"r = {self.call('a', subs['if'], 'x')}"), Line(0, "if r is not None:"),
                        Line(1, "ev = _merge(ev, r)")]
                if "then" in subs:
                    out += [Line(ln.depth + 1, ln.code) for ln in self.merge_call(subs["then"], strict, 0)]
                if "else" in subs:
                    out += [Line(0, "else:")] + [Line(ln.depth + 1, ln.code)
                                                 for ln in self.merge_call(subs["else"], strict, 0)]
            elif a.kind == "ref":
                out += self.merge_call(a.subs[0][1], strict, 0)
            elif a.kind in ("dynamicRef", "recursiveRef"):
                out += self.merge_call(None, strict, 0, self.dyn_call("a", a, "x"))
        return out

    def merge_call(self, fid: str | None, strict: bool, depth: int, call: str | None = None) -> list[Line]:
        """Merge a subschema's annotations that must hold (allOf, $ref, then/else...).

        On the error path (not ``strict``) a failing one counts as "evaluated
        everything": its own errors are reported, and unevaluated* does not
        pile a second error on each property it would have evaluated.
        """
        call = call or self.call("a", fid or "", "x")
        if strict:
            return [Line(depth, f"r = {call}"), Line(depth, "if r is None:"), Line(depth + 1, "return None"),
                    Line(depth, "ev = _merge(ev, r)")]
        return [Line(depth, f"ev = _merge(ev, _all_if_none({call}))")]


__all__ = ["INPLACE", "SlowEmitter"]
