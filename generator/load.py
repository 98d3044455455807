"""Stage 1 -- load: read schema files into :class:`Document` values.

A document knows where it came from (a display path relative to the working
directory, never an absolute path, so output stays machine-independent), its
retrieval URI, its parsed contents and the SHA-256 of its bytes (for the
provenance header of generated files).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GenerationError, Problem, pointer_from_parts


@dataclass(frozen=True, slots=True)
class Document:
    path: str  # display path (posix, relative to cwd when possible)
    uri: str  # retrieval URI, used as the base URI when the schema has no $id
    contents: Any
    sha256: str

    @property
    def stem(self) -> str:
        """The file name without its JSON extensions (``group.schema.json`` -> ``group``)."""
        name = Path(self.path).name
        for suffix in (".json", ".schema", ".yaml", ".yml"):
            name = name.removesuffix(suffix)
        return name


def display_path(path: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _json_problem(shown: str, err: json.JSONDecodeError) -> Problem:
    line, column, msg = _trailing_comma(err) or (err.lineno, err.colno, err.msg)
    return Problem(
        shown,
        "",
        f"invalid JSON at line {line}, column {column}: {msg}",
        hint="fix the JSON syntax (a JSON linter shows the exact spot)",
    )


def _trailing_comma(err: json.JSONDecodeError) -> tuple[int, int, str] | None:
    """A comma right before a closing bracket, the most common slip, as Python 3.13 reports it:
    at the comma, "Illegal trailing comma before end of object".  Python 3.11 and 3.12 say
    "Expecting property name enclosed in double quotes" (or "Expecting value") at the bracket
    instead; this gives one message whatever the version."""
    text, pos = err.doc, err.pos
    if err.msg not in ("Expecting value", "Expecting property name enclosed in double quotes"):
        return None
    if pos >= len(text) or text[pos] not in "]}":
        return None
    comma = len(text[:pos].rstrip(" \t\r\n")) - 1
    if comma < 0 or text[comma] != ",":
        return None
    line = text.count("\n", 0, comma) + 1
    column = comma - text.rfind("\n", 0, comma)
    return line, column, "Illegal trailing comma before end of " + ("array" if text[pos] == "]" else "object")


class _NotJSON(Exception):
    pass


def _not_json(name: str) -> Any:
    """``parse_constant``: NaN, Infinity and -Infinity are Python's extensions, not JSON."""
    raise _NotJSON(name)


class _Pairs:
    """``object_pairs_hook``: builds each object as ``json`` does, and remembers the objects
    that name a key twice (Python keeps the last value, other parsers the first or neither;
    RFC 8259: the names within an object SHOULD be unique)."""

    def __init__(self) -> None:
        self.repeated: dict[int, str] = {}  # id(object) -> the first key it repeats

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.repeated[id(obj)] = key
                    break
                seen.add(key)
        return obj


def _repeated_keys(shown: str, contents: Any, repeated: dict[int, str]) -> list[Problem]:
    """One problem per object of ``contents`` that names a key twice, at that key's pointer."""
    problems = []
    stack: list[tuple[Any, tuple[object, ...]]] = [(contents, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            if id(node) in repeated:
                key = repeated[id(node)]
                problems.append(Problem(
                    shown, pointer_from_parts((*parts, key)),
                    f"the key {json.dumps(key)} appears twice in one object: JSON parsers disagree on "
                    "which value counts (Python's keeps the last, others the first)",
                    hint="remove or rename one of the two"))
            stack.extend((v, (*parts, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*parts, i)) for i, v in enumerate(node))
    return sorted(problems, key=lambda p: p.pointer)


def load_document(path: Path) -> Document:
    """Read and parse one schema file, raising GenerationError on failure."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise GenerationError(
            [Problem(shown, "", f"cannot read the file: {reason}", hint="check the path and its permissions")]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GenerationError(
            [Problem(shown, "", f"not UTF-8 text (byte {err.start})", hint="save the schema as UTF-8 JSON")]
        ) from None
    try:
        pairs = _Pairs()
        contents = json.loads(text, parse_constant=_not_json, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        raise GenerationError([_json_problem(shown, err)]) from None
    except _NotJSON as err:
        raise GenerationError(
            [Problem(shown, "", f"{err} is not JSON (Python's parser accepts it, the JSON standard does not)",
                     hint="write a number, or a string such as \"NaN\"")]
        ) from None
    except ValueError as err:  # an integer beyond Python's int_max_str_digits
        raise GenerationError(
            [Problem(shown, "", f"a number cannot be read: {err}".split("; use sys.")[0],
                     hint="write it as a string, or with fewer digits")]
        ) from None
    except RecursionError:
        raise GenerationError(
            [Problem(shown, "", "the JSON nests too deeply for Python's parser to read (it stops at one to ten thousand levels, by version)",
                     hint="move inner parts to $defs and use $ref (real-world schemas nest about 20 levels)")]
        ) from None
    if pairs.repeated:
        raise GenerationError(_repeated_keys(shown, contents, pairs.repeated))
    if not isinstance(contents, (dict, bool)):
        raise GenerationError(
            [Problem(shown, "", f"a schema must be a JSON object or boolean, not {type(contents).__name__}",
                     hint="wrap the schema in an object")]
        )
    return Document(
        path=shown,
        uri=path.resolve().as_uri(),
        contents=contents,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def load_documents(paths: list[Path]) -> list[Document]:
    """Load every file; report the problems of all of them together."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            docs.append(load_document(path))
        except GenerationError as err:
            problems.extend(err.problems)
    if problems:
        raise GenerationError(problems)
    return docs
