"""Stage 6 -- render: every output file comes from a Jinja template.

Templates hold the shape of the output; Python decides everything else and
hands templates ready values.  Two rules keep that honest:

* ``StrictUndefined``: a template that reads a name the context lacks fails at
  render time with the template's name and line, not with empty output;
* literals are never escaped inside a template: the ``py`` filter renders any
  JSON value with ``repr()`` (computed in Python), and the ``docstring`` filter
  makes free text safe to put between triple quotes.

A user template folder (``--templates DIR`` or ``[tool.generator] templates``)
is searched first, so one file there overrides the built-in of the same name.
"""

from __future__ import annotations

import ast
import functools
import math
import os
import re
from pathlib import Path
from typing import Any

import jinja2

from . import cache
from .errors import GenerationError, Problem
from .ir import FORMAT_TYPES


def builtin_template_dir() -> Path:
    """The shipped templates.

    An installed wheel carries them as ``generator/templates/`` (pyproject maps
    the repository's top-level ``templates/`` there); a source checkout or an
    editable install uses the repository's ``templates/`` itself.
    """
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    if installed.is_dir():
        return installed
    return here.parent / "templates"


def py_literal(value: Any) -> str:
    """Python source for a JSON value, via repr(): never pasted text.  Strings are quoted as
    black would quote them, so that black finds most generated code already formatted and
    skips its second pass (see format.py); any string black would quote otherwise is only
    slower to format, never different."""
    if isinstance(value, str):
        return py_str(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({py_str(repr(value))})"
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(py_literal(v) + ", " for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (frozenset, set)):
        items = sorted(value, key=repr)
        return "frozenset({" + ", ".join(py_literal(v) for v in items) + "})" if items else "frozenset()"
    raise TypeError(f"not a JSON literal: {type(value).__name__}")


def py_str(text: str) -> str:
    """``repr(text)`` in double quotes where that needs no more escapes (black's preference)."""
    source = repr(text)
    if source[0] == "'" and '"' not in text:  # then ``'`` is not in it either: nothing to unescape
        return '"' + source[1:-1] + '"'
    return source


def wrap_call(code: str, depth: int, width: int = 88) -> str:
    """A ``yield f(...)`` / ``yield from f(...)`` statement indented ``depth`` levels, laid out
    as black lays it out when it is longer than ``width``: the arguments on a line of their own
    when they fit there, else one per line with a trailing comma.  Black then finds such code
    formatted and skips its second pass (see format.py).  Any other statement is returned as it
    is, for black to lay out; so is an argument black would split further (only slower)."""
    indent = "    " * depth
    if len(indent) + len(code) <= width or not code.startswith("yield") or not code.endswith(")"):
        return code
    try:
        statement = ast.parse(code).body[0]
    except SyntaxError:
        return code
    value = statement.value if isinstance(statement, ast.Expr) else None
    call = value.value if isinstance(value, (ast.Yield, ast.YieldFrom)) else None
    if not isinstance(call, ast.Call) or call.keywords or not call.args or not _dotted(call.func):
        return code
    raw = code.encode()  # ast offsets count UTF-8 bytes
    end = call.func.end_col_offset or 0
    if call.end_col_offset != len(raw) or raw[end:end + 1] != b"(":
        return code  # ``yield (f)(a)``: not the shape foreseen
    head = raw[:end].decode()
    parts = [raw[a.col_offset:a.end_col_offset].decode() for a in call.args]
    inner = indent + "    "
    joined = ", ".join(parts)
    if len(inner) + len(joined) <= width:
        return f"{head}(\n{inner}{joined}\n{indent})"
    return f"{head}(\n" + "".join(f"{inner}{part},\n" for part in parts) + f"{indent})"


def _dotted(node: ast.expr) -> bool:
    """``name`` or ``name.attr...``: black splits a call of it at its own parentheses."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def wrap_def(name: str, params: list[str], returns: str, width: int = 88) -> str:
    """A module-level ``def`` line, laid out as black lays out one longer than ``width`` (for
    the same reason as :func:`wrap_call`): the parameters on a line of their own, a lone
    parameter with a trailing comma, or one per line when they do not fit on one."""
    joined = ", ".join(params)
    line = f"def {name}({joined}) -> {returns}:"
    if len(line) <= width:
        return line
    if len(params) == 1 or len(joined) + 4 > width:
        body = "".join(f"    {param},\n" for param in params)
    else:
        body = f"    {joined}\n"
    return f"def {name}(\n{body}) -> {returns}:"


def docstring(text: str | None) -> str:
    """Free text made safe for a triple-quoted docstring body (no quote or escape can close it)."""
    if not text:
        return ""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch in "\n\t":
            out.append(ch)
        elif ch == "\r":
            out.append("\n")
        elif not ch.isprintable() or ch in "\u2028\u2029\x85":
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    lines = [line.rstrip() for line in "".join(out).strip().split("\n")]
    return "\n".join(lines)


#: what tools read as a directive inside a comment: noqa, type: ignore and the like after a hash
_DIRECTIVE = re.compile(r"#(?=\s*(?:noqa|type\s*:|pyright\s*:|mypy\s*:|ruff\s*:|flake8\s*:|fmt\s*:|isort\s*:|pragma))",
                        re.IGNORECASE)


def comment(text: str | None) -> str:
    """Free text made safe for a single ``#`` comment line: one line, ASCII (escapes as ``ascii``
    writes them), and no tool directive (schemastore's ruff.json describes "`# noqa`
    directives": ruff then warned of an invalid ``noqa`` in the generated code); a ``#`` that
    would start one is written ``\\x23``."""
    if not text:
        return ""
    return _DIRECTIVE.sub(r"\\x23", " ".join(ascii(text)[1:-1].split()))


#: Python annotation of each primitive type of the IR.
PRIM_ANNOTATIONS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "none": "None", "any": "Any",
                    "datetime": "datetime", "date": "date", "time": "time", "uuid": "UUID"}
#: Runtime test (a format string over ``x``) telling whether a JSON value belongs to a primitive type.
PRIM_TESTS = {
    "str": "isinstance({x}, str)",
    "int": "(isinstance({x}, int) and not isinstance({x}, bool))",
    "float": "(isinstance({x}, (int, float)) and not isinstance({x}, bool))",
    "bool": "isinstance({x}, bool)",
    "none": "{x} is None",
    "any": "True",
    "datetime": "isinstance({x}, str)",
    "date": "isinstance({x}, str)",
    "time": "isinstance({x}, str)",
    "uuid": "isinstance({x}, str)",
}


#: the primitive types a ``format`` gives (date-time, date, time, uuid): parsed from strings
_FORMATS = tuple(FORMAT_TYPES.values())


def sole_string_option(option: Any, union: Any) -> bool:
    """Whether ``option`` (a date, time or UUID) is the only option of ``union`` that takes a
    string.  Then every string is one, and an invalid one must be rejected as in a plain field
    (not kept as a ``str`` the annotation does not allow)."""
    if option.kind != "prim" or option.name not in _FORMATS:
        return False
    for other in union.options:
        if other is option:
            continue
        if other.kind == "prim" and other.name in ("str", "any", *_FORMATS):
            return False
        if other.kind == "literal" and any(isinstance(v, str) for v in other.values):
            return False
    return True


def needs_conversion(t: Any) -> bool:
    """Whether JSON values of IR type ``t`` need converting (models, dates, UUIDs inside)."""
    kind = t.kind
    if kind == "prim":
        return t.name in _FORMATS
    if kind == "model":
        return True
    if kind == "list":
        return needs_conversion(t.item)
    if kind == "map":
        return needs_conversion(t.value)
    if kind == "tuple":
        return True  # JSON arrays become tuples
    if kind == "union":
        return any(needs_conversion(o) for o in t.options)
    return False


def isort_names(names: Any) -> list[str]:
    """Names in isort's order-by-type order (CONSTANTS, Classes, functions), unique; within a
    type, ruff's order: case-insensitive and natural (``Option2`` before ``Option10``)."""
    return sorted(set(names), key=lambda n: (_member_type(n), _natural(n), n))


def sort_all(names: Any) -> list[str]:
    """Names in ruff's ``__all__`` order (RUF022): by type like :func:`isort_names`, then
    case-sensitive and natural."""
    return sorted(set(names), key=lambda n: (_member_type(n), _natural(n, fold=False), n))


def _member_type(name: str) -> int:
    """0 for a constant (upper case, more than one character: ``A`` is a class), 1 for a class, 2
    for anything else: the types of isort's order-by-type, as ruff tells them apart."""
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


def _natural(name: str, fold: bool = True) -> list[tuple[int, int | str]]:
    """The natural-order key ruff's isort and ``__all__`` rules use (strnatcmp): digit runs by
    value, except that a run with a leading zero compares digit by digit, as a fraction, and so
    before any run without one (``D03`` < ``D1`` < ``D2`` < ``D10``)."""
    return [((0, c) if c.startswith("0") else (1, int(c))) if c.isdigit() else (-1, c.lower() if fold else c)
            for c in re.split(r"(\d+)", name)]


@functools.lru_cache(maxsize=8)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (like .pyc files; keyed by each template's source):
    a fresh process then skips Jinja's compiler. ``SCHEMA_GENERATOR_NO_CACHE=1`` turns it off."""
    base = cache.cache_dir()
    if base is None:
        return None
    path = str(base / f"jinja-{jinja2.__version__}")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(path)


def make_environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment (cached: compiled templates are reused across packages in one process)."""
    search = [str(template_dir)] if template_dir else []
    search.append(str(builtin_template_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["py"] = py_literal
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    env.tests["needs_conversion"] = needs_conversion
    env.tests["sole_string_option"] = sole_string_option
    env.filters["isort"] = isort_names
    env.filters["wrap_call"] = wrap_call
    env.filters["wrap_def"] = wrap_def
    env.filters["sort_all"] = sort_all
    env.globals["PRIM_ANNOTATIONS"] = PRIM_ANNOTATIONS
    env.globals["PRIM_TESTS"] = PRIM_TESTS
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; an undefined name or syntax error is a GenerationError naming template and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as err:
        raise GenerationError(
            [Problem(name, "", f"template not found: {err.name}", hint="check the template folder and its file names")]
        ) from None
    except jinja2.TemplateSyntaxError as err:
        raise GenerationError(
            [Problem(err.filename or name, "", f"template syntax error at line {err.lineno}: {err.message}",
                     hint="fix the template")]
        ) from None
    except jinja2.UndefinedError as err:
        where, line = _template_location(err, name)
        via = "" if Path(where).name == name else f" (while rendering {name})"
        raise GenerationError(
            [Problem(where, "", f"template uses an undefined value at line {line}{via}: {err.message}",
                     hint="use only the context documented in README.md (Templates)")]
        ) from None


def _template_location(err: BaseException, name: str) -> tuple[str, str]:
    """(template file, line) of the innermost template frame of an error raised while rendering.

    Jinja rewrites the traceback so that template frames carry the template's
    file name and line; the innermost one is where the undefined value was used
    (a macro in ``_types.j2``, say, rather than the ``models.py.j2`` calling it).
    The file is shown relative to the working directory, so an override and the
    built-in template of the same name are told apart.
    """
    tb = err.__traceback__
    where, line = name, "?"
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename == "<template>" or filename.endswith((".j2", ".jinja")):
            where, line = filename, str(tb.tb_lineno)
        tb = tb.tb_next
    if where not in (name, "<template>"):
        try:
            where = Path(os.path.relpath(where)).as_posix()
        except ValueError:  # another drive on Windows
            pass
    return (name if where == "<template>" else where), line

