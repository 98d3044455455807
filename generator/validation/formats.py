"""Format assertion: which runtime helper checks which ``format``.

``format`` is an annotation by default (as the drafts say).  With
``format_assertion=True`` each known format below compiles to a call to a
standard-library-only helper whose source lives in the template partial
``templates/_validators_formats.j2`` (only the helpers a module uses are
emitted).  Unknown formats are ignored, as the specification requires.
Every helper takes a ``str`` (the format keyword applies to strings only).
"""

from __future__ import annotations

#: format name -> (runtime helper name, instance group it applies to)
FORMAT_HELPERS: dict[str, tuple[str, str]] = {
    name: (f"_fmt_{name.replace('-', '_')}", "str")
    for name in (
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
        "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "regex",
        "json-pointer", "relative-json-pointer", "uri-template",
    )
}

#: helpers a format helper needs (emitted together)
FORMAT_DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "_fmt_date_time": ("_fmt_date", "_fmt_time"),
    "_fmt_idn_email": ("_fmt_idn_hostname",),
    "_fmt_email": ("_fmt_hostname", "_fmt_ipv4", "_fmt_ipv6"),
    "_fmt_iri": ("_fmt_uri",),
    "_fmt_iri_reference": ("_fmt_uri_reference", "_fmt_uri"),
    "_fmt_uri_reference": ("_fmt_uri",),
    "_fmt_relative_json_pointer": ("_fmt_json_pointer",),
}


def with_dependencies(names: set[str]) -> tuple[str, ...]:
    out = set(names)
    todo = list(names)
    while todo:
        for dep in FORMAT_DEPENDENCIES.get(todo.pop(), ()):
            if dep not in out:
                out.add(dep)
                todo.append(dep)
    return tuple(sorted(out))
