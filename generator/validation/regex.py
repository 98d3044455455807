"""ECMA-262 regular expressions -> Python ``re`` syntax, at generation time.

JSON Schema patterns are ECMA-262 regexes.  The generated module compiles the
*translated* pattern with ``re.ASCII`` (so ``\\d``, ``\\w``, ``\\b`` keep their
ASCII meaning, as in ECMA-262).  Differences handled here:

* ``\\p{...}`` / ``\\P{...}`` (Unicode general categories, e.g. ``\\p{Letter}``,
  ``\\p{Lu}``, ``\\p{gc=Nd}``) are expanded to explicit code point ranges
  computed with :mod:`unicodedata` now, so no third-party module is needed at
  run time.  Scripts (``\\p{Script=Greek}``) are not expressible -> error.
* ``\\s``/``\\S`` use ECMA's whitespace set (which includes U+FEFF and the
  Unicode spaces, excludes U+001C..U+001F).
* ``.`` excludes all four ECMA line terminators; ``$`` means end of input
  (Python's ``$`` also matches before a final newline) -> ``\\Z``.
* ``(?<name>``, ``\\k<name>``, ``\\cX``, ``\\u{...}``, ``[^]``, ``[]``, ``\\/``.

:func:`backtracking_risk` flags nested quantifiers such as ``(a+)+``; the
compiler reports them as warnings, not errors.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

ECMA_SPACE = [(0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029),
              (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF)]
LINE_TERMINATORS = [(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)]

CATEGORY_ALIASES = {
    "Letter": "L", "Cased_Letter": "LC", "Uppercase_Letter": "Lu", "Lowercase_Letter": "Ll",
    "Titlecase_Letter": "Lt", "Modifier_Letter": "Lm", "Other_Letter": "Lo", "Mark": "M", "Combining_Mark": "M",
    "Nonspacing_Mark": "Mn", "Spacing_Mark": "Mc", "Enclosing_Mark": "Me", "Number": "N",
    "Decimal_Number": "Nd", "digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No", "Punctuation": "P",
    "punct": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd", "Open_Punctuation": "Ps",
    "Close_Punctuation": "Pe", "Initial_Punctuation": "Pi", "Final_Punctuation": "Pf", "Other_Punctuation": "Po",
    "Symbol": "S", "Math_Symbol": "Sm", "Currency_Symbol": "Sc", "Modifier_Symbol": "Sk", "Other_Symbol": "So",
    "Separator": "Z", "Space_Separator": "Zs", "Line_Separator": "Zl", "Paragraph_Separator": "Zp",
    "Other": "C", "Control": "Cc", "cntrl": "Cc", "Format": "Cf", "Surrogate": "Cs", "Private_Use": "Co",
    "Unassigned": "Cn",
}


class RegexError(ValueError):
    pass


@functools.lru_cache(maxsize=1)
def _categories() -> dict[str, list[tuple[int, int]]]:
    """Code point ranges of every two-letter general category (computed once)."""
    out: dict[str, list[tuple[int, int]]] = {}
    cat_of = unicodedata.category
    prev = None
    start = 0
    for cp in range(sys.maxunicode + 2):
        cat = cat_of(chr(cp)) if cp <= sys.maxunicode else None
        if cat != prev:
            if prev is not None:
                out.setdefault(prev, []).append((start, cp - 1))
            prev, start = cat, cp
    return out


def _property_ranges(name: str) -> list[tuple[int, int]]:
    if "=" in name:
        key, _, value = name.partition("=")
        if key not in ("gc", "General_Category"):
            raise RegexError(f"unsupported Unicode property \\p{{{name}}} (only general categories)")
        name = value
    code = CATEGORY_ALIASES.get(name, name)
    cats = _categories()
    if code == "LC":
        codes = ["Lu", "Ll", "Lt"]
    elif len(code) == 1:
        codes = [c for c in cats if c[0] == code]
    elif code in cats:
        codes = [code]
    else:
        raise RegexError(f"unknown Unicode property \\p{{{name}}}")
    return _normalize([r for c in codes for r in cats.get(c, [])])


def _normalize(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    nxt = 0
    for lo, hi in _normalize(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= sys.maxunicode:
        out.append((nxt, sys.maxunicode))
    return out


def _cp(cp: int) -> str:
    ch = chr(cp)
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"


def _ranges_body(ranges: list[tuple[int, int]]) -> str:
    return "".join(_cp(lo) if lo == hi else f"{_cp(lo)}-{_cp(hi)}" for lo, hi in ranges)


def _class(ranges: list[tuple[int, int]]) -> str:
    return f"[{_ranges_body(ranges)}]" if ranges else "(?!)"


@functools.lru_cache(maxsize=1024)
def translate(pattern: str) -> str:
    """The Python ``re`` pattern (to compile with ``re.ASCII``) equivalent to an ECMA-262 pattern."""
    out = _Translator(pattern).run()
    try:
        re.compile(out, re.ASCII)
    except re.error as err:
        raise RegexError(str(err)) from None
    return out


class _Translator:
    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0

    def run(self) -> str:
        out: list[str] = []
        p = self.p
        while self.i < len(p):
            ch = p[self.i]
            if ch == "\\":
                out.append(self.escape(in_class=False))
            elif ch == "[":
                out.append(self.char_class())
            elif ch == ".":
                out.append(_class(_complement(LINE_TERMINATORS)))
                self.i += 1
            elif ch == "$":
                out.append(r"\Z")
                self.i += 1
            elif ch == "(" and p.startswith("(?<", self.i) and not p.startswith(("(?<=", "(?<!"), self.i):
                out.append("(?P<")
                self.i += 3
            elif ch == "(" and p.startswith("(?", self.i) and not p.startswith(("(?:", "(?=", "(?!", "(?<"), self.i):
                raise RegexError("unsupported group syntax")
            else:
                out.append(ch)
                self.i += 1
        return "".join(out)

    def escape(self, in_class: bool) -> str:
        p = self.p
        if self.i + 1 >= len(p):
            raise RegexError("trailing backslash")
        ch = p[self.i + 1]
        self.i += 2
        if ch in "dDwW":
            return "\\" + ch
        if ch in "bB":
            return "\\x08" if in_class and ch == "b" else "\\" + ch
        if ch == "s":
            return _ranges_body(ECMA_SPACE) if in_class else _class(ECMA_SPACE)
        if ch == "S":
            return r"\S" if in_class else _class(_complement(ECMA_SPACE))
        if ch in "pP":
            if self.i >= len(p) or p[self.i] != "{":
                raise RegexError(f"\\{ch} needs a {{property}}")
            end = p.find("}", self.i)
            if end < 0:
                raise RegexError("unterminated \\p{...}")
            ranges = _property_ranges(p[self.i + 1: end])
            self.i = end + 1
            if ch == "P":
                ranges = _complement(ranges)
            return _ranges_body(ranges) if in_class else _class(ranges)
        if ch == "c" and self.i < len(p) and p[self.i].isascii() and p[self.i].isalpha():
            self.i += 1
            return f"\\x{ord(p[self.i - 1]) % 32:02x}"
        if ch == "u" and self.i < len(p) and p[self.i] == "{":
            end = p.find("}", self.i)
            cp = int(p[self.i + 1: end], 16)
            self.i = end + 1
            return _cp(cp)
        if ch == "u":
            hexs = p[self.i: self.i + 4]
            if len(hexs) != 4 or not all(c in "0123456789abcdefABCDEF" for c in hexs):
                raise RegexError("bad \\u escape")
            self.i += 4
            return _cp(int(hexs, 16))
        if ch == "x":
            return "\\x"
        if ch == "k" and self.i < len(p) and p[self.i] == "<":
            end = p.find(">", self.i)
            name = p[self.i + 1: end]
            self.i = end + 1
            return f"(?P={name})"
        if ch == "0" and not (self.i < len(p) and p[self.i].isdigit()):
            return "\\x00"
        if ch.isdigit():
            return "\\" + ch
        if ch in "fnrtv":
            return "\\" + ch
        if ch.isascii() and ch.isalpha():
            raise RegexError(f"unknown escape \\{ch}")
        return re.escape(ch)

    def char_class(self) -> str:
        p = self.p
        self.i += 1
        negate = self.i < len(p) and p[self.i] == "^"
        if negate:
            self.i += 1
        parts: list[str] = []
        while True:
            if self.i >= len(p):
                raise RegexError("unterminated character class")
            ch = p[self.i]
            if ch == "]":
                self.i += 1
                break
            if ch == "\\":
                parts.append(self.escape(in_class=True))
            elif ch in "[&~|":
                parts.append("\\" + ch)
                self.i += 1
            elif ch == "-" and (not parts or self.i + 1 < len(p) and p[self.i + 1] in "-]"):
                parts.append("\\-")
                self.i += 1
            else:
                parts.append(ch)
                self.i += 1
        body = "".join(parts)
        if not body:
            return r"[\s\S]" if negate else "(?!)"
        return f"[{'^' if negate else ''}{body}]"


_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[*+](?:[^()\\]|\\.)*\)[*+{]")


def backtracking_risk(pattern: str) -> str:
    """A human reason when ``pattern`` has a nested quantifier (catastrophic backtracking), else ''."""
    if _NESTED.search(pattern):
        return "has a quantified group that contains a quantifier (catastrophic backtracking risk)"
    return ""
