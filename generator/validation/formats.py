"""Format assertion: which runtime checker handles which ``format``.

``format`` is an annotation by default (as the drafts say).  With
``format_assertion=True`` each known format compiles to a call of a checker
from :mod:`.runtime_formats`; the checker's source section (and those it
depends on) is copied into the generated module, so the output still needs
only the standard library.  Unknown formats are ignored, as the drafts require.
"""

from __future__ import annotations

import functools
from pathlib import Path

_NAMES = (
    "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
    "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "regex",
    "json-pointer", "relative-json-pointer", "uri-template",
)

#: format name -> (runtime checker name, instance group it applies to)
FORMAT_HELPERS: dict[str, tuple[str, str]] = {name: (f"_fmt_{name.replace('-', '_')}", "str") for name in _NAMES}

#: section -> (sections it needs, modules it imports)
SECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "_fmt_date": ((), ("datetime", "re")),
    "_fmt_time": ((), ("re",)),
    "_fmt_date_time": (("_fmt_date", "_fmt_time"), ()),
    "_fmt_duration": ((), ("re",)),
    "_fmt_ipv4": ((), ("re",)),
    "_fmt_ipv6": (("_fmt_ipv4",), ("re",)),
    "_idna": ((), ("re", "unicodedata")),
    "_fmt_hostname": (("_idna",), ()),
    "_fmt_idn_hostname": (("_idna",), ()),
    "_email": (("_idna", "_fmt_ipv4", "_fmt_ipv6"), ("re",)),
    "_fmt_email": (("_email",), ()),
    "_fmt_idn_email": (("_email",), ()),
    "_uri": (("_fmt_ipv4", "_fmt_ipv6"), ("re",)),
    "_fmt_uri": (("_uri",), ()),
    "_fmt_uri_reference": (("_fmt_uri",), ()),
    "_fmt_iri": (("_uri",), ()),
    "_fmt_iri_reference": (("_fmt_iri",), ()),
    "_fmt_uuid": ((), ("re",)),
    "_fmt_json_pointer": ((), ("re",)),
    "_fmt_relative_json_pointer": (("_fmt_json_pointer",), ("re",)),
    "_fmt_uri_template": ((), ("re",)),
    "_fmt_regex": ((), ("re",)),
}


@functools.lru_cache(maxsize=1)
def _sections() -> dict[str, str]:
    """Section name -> source text, in file order."""
    text = (Path(__file__).with_name("runtime_formats.py")).read_text(encoding="utf-8")
    out: dict[str, str] = {}
    name = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("# == "):
            if name:
                out[name] = "\n".join(lines).strip() + "\n"
            name, lines = line[5:].strip(), []
        elif name:
            lines.append(line)
    if name:
        out[name] = "\n".join(lines).strip() + "\n"
    return out


def closure(helpers: set[str]) -> list[str]:
    """The sections needed for ``helpers``, in source order (dependencies first)."""
    need = set()
    todo = list(helpers)
    while todo:
        name = todo.pop()
        if name not in need:
            need.add(name)
            todo += SECTIONS[name][0]
    return [name for name in _sections() if name in need]


def source_for(helpers: set[str]) -> tuple[str, tuple[str, ...]]:
    """(source of the checkers and their dependencies, modules they import)."""
    names = closure(helpers)
    sections = _sections()
    imports = sorted({module for name in names for module in SECTIONS[name][1]})
    return "\n\n".join(sections[name] for name in names), tuple(imports)
