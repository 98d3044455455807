"""Hostile schemas: no string from a schema ever becomes code.

Hypothesis builds schemas whose titles, descriptions, ``$comment``, property
names, enum/const values, defaults, examples, patterns, ``$id`` and format
names are made of quotes, triple quotes, backslashes, newlines, NUL, Jinja
syntax, ``__import__('os').system(...)``, unicode line separators and names
like ``__class__``, ``self``, ``None``, ``from``, ``1abc``, ``a-b`` and ``""``.
For each schema the generated package compiles, black accepted it (the
pipeline formats every file), importing it performs no side effect (an audit
hook watches for processes, file writes and sockets, and the payload's marker
file must not appear), and its validator agrees with jsonschema.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
from pathlib import Path
from typing import ClassVar

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Target
from generator.pipeline import generate_files

MARKER = Path("/tmp/schema-generator-hostile-marker")
PAYLOAD = f"__import__('os').system('touch {MARKER}')"
HOSTILE = [
    '"', "'", '"""', "'''", "\\", '\\"', "\n", "\r\n", "\t", "\x00", "{{ x }}", "{% if x %}", "{#", "#",
    PAYLOAD, f'"""; {PAYLOAD}; """', f"'); {PAYLOAD}; ('", f"\n{PAYLOAD}\n", "\u2028", "\u2029", "\x85", "\x0c",
    "__class__", "self", "None", "from", "1abc", "a-b", "", "cls", "d", "to_dict", "from_dict", "extra",
    "_build", "__init__", "True", "ValidationError", "Any", "\\N{BULLET}", "\\x41", "é", "日本", "\ud7ff",
]
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=4).map("".join),
    st.text(max_size=6),
)
_SYNTAX = set("^$\\.*+?()[]{}|/")


def literal_pattern(s: str) -> str:
    """An ECMA-262 (and Python) regex matching ``s`` literally."""
    out = []
    for ch in s:
        if ch in _SYNTAX:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\x00":
            out.append("\\u0000")
        elif not ch.isprintable() or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


@st.composite
def hostile_property(draw):
    value = draw(text)
    kind = draw(st.sampled_from(["enum", "const", "pattern", "default", "format", "plain", "nested"]))
    schema: dict = {"description": draw(text), "$comment": draw(text), "examples": [draw(text)]}
    if kind == "enum":
        schema["enum"] = list(dict.fromkeys([value, draw(text)]))
    elif kind == "const":
        schema["const"] = value
    elif kind == "pattern":
        schema.update(type="string", pattern="^" + literal_pattern(value) + "$")
    elif kind == "default":
        schema.update(type="string", default=value, title=draw(text))
    elif kind == "format":
        schema.update(type="string", format=value)
    elif kind == "nested":
        schema.update(type="object", title=draw(text), properties={draw(text): {"type": "string", "default": value}},
                      additionalProperties=draw(st.booleans()))
    else:
        schema["type"] = draw(st.sampled_from(["string", "integer", "boolean", "null", "array"]))
    return schema, value


@st.composite
def hostile_schema(draw):
    names = draw(st.lists(text, min_size=1, max_size=5, unique=True))
    props, values = {}, {}
    for name in names:
        props[name], values[name] = draw(hostile_property())
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": draw(text) or "T",
        "description": draw(text),
        "$comment": draw(text),
        "type": "object",
        "properties": props,
        "required": draw(st.lists(st.sampled_from(names), unique=True, max_size=2)),
        "$defs": {"d": {"$id": "urn:x:" + literal_pattern(draw(text)).replace("#", "%23"),
                        "type": "string", "title": draw(text)}},
    }
    return schema, values


class Guard:
    """An audit hook (installed once per process) that records side effects while armed."""

    armed = False
    events: ClassVar[list[str]] = []
    installed = False

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        cls.installed = True

        def hook(event: str, args: tuple) -> None:
            if not cls.armed:
                return
            if event in ("os.system", "subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn", "os.fork",
                         "socket.connect", "socket.bind", "os.remove", "os.rename", "shutil.rmtree", "os.kill"):
                cls.events.append(event)
            elif event == "open" and len(args) > 1 and isinstance(args[1], str) and any(c in args[1] for c in "wax+"):
                cls.events.append(f"open({args[0]!r}, {args[1]!r})")

        sys.addaudithook(hook)


_counter = itertools.count()


def candidate_instances(schema: dict, values: dict) -> list:
    props = schema["properties"]
    out: list = [{}, [], "x", None, 1, {n: v for n, v in values.items()}]
    for name, sub in props.items():
        for v in (values[name], 1, None, True, [], {}, "x", sub.get("const"), *(sub.get("enum") or [])):
            out.append({name: v})
            out.append({**{r: values[r] for r in schema["required"]}, name: v})
    return out


def check_one(tmp_path: Path, schema: dict, values: dict) -> None:
    n = next(_counter)
    pkg = f"hostile_pkg_{n}"
    src = tmp_path / f"s{n}.json"
    src.write_text(json.dumps(schema))
    result = generate_files(Target(package=pkg, out=tmp_path, schemas=(src,)))  # black ran on every file
    dest = tmp_path / pkg
    dest.mkdir()
    for rel, content in result.files.items():
        (dest / rel).write_text(content, encoding="utf-8")
        if rel.endswith(".py"):
            compile(content, rel, "exec")
    Guard.install()
    sys.path.insert(0, str(tmp_path))
    Guard.armed = True
    try:
        mod = importlib.import_module(pkg)
    finally:
        Guard.armed = False
        sys.path.remove(str(tmp_path))
    assert Guard.events == [], f"importing the package had side effects: {Guard.events}"
    assert not MARKER.exists(), "a schema string was executed as code"
    (validate,) = mod.VALIDATORS.values()
    is_valid = getattr(mod, "is_valid_" + validate.__name__[len("validate_"):])
    oracle = jsonschema.Draft202012Validator(schema)
    for instance in candidate_instances(schema, values):
        assert is_valid(instance) == oracle.is_valid(instance), (instance, schema)
    for key in [k for k in sys.modules if k == pkg or k.startswith(pkg + ".")]:
        del sys.modules[key]


@pytest.mark.parametrize("shard", range(5))
def test_hostile_schemas_generate_safe_code(tmp_path, shard):
    """5 shards x 100 examples: at least 500 hostile schemas per `make test`."""
    MARKER.unlink(missing_ok=True)

    @settings(max_examples=100, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
    @given(hostile_schema())
    def run(case):
        schema, values = case
        check_one(tmp_path, schema, values)

    run()
