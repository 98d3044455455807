"""Stage 5 -- name: every identifier of the output is decided here, once.

Rules (README.md, "Naming"):

* **Classes** take the first of their path-derived hints (``build_ir._hints``):
  a root's title (else its file stem), a ``$defs`` key, or the nearest named
  ancestor plus the property names on the way (``JuneGroupRequestTraits``).
  When several models want one name, *all* of them move to their next, more
  qualified hint (``$defs`` entries gain their root's name, then their file's),
  and so on; the outcome does not depend on the order schemas are visited.
  Models that still collide then go on to their fallback (``build_ir._fallbacks``:
  the words of the whole path, for ``definitions`` nested in another schema); the
  others keep their names.  Names that still collide are an error naming every
  schema involved.
* **Fields** are snake_case, ASCII, valid identifiers: keywords, soft keywords,
  builtins, dunder names and our own helper names (``from_dict``,
  ``to_dict``, ``extra``...) get a trailing ``_``; a name starting with a digit
  or empty gets a ``field_`` prefix; fields of one model that still collide get
  ``_2``, ``_3``... in the order of their JSON names (sorted, not visited).
* **Roots** are named by the snake_case of their title, else their file stem:
  ``validate_june_group_request``.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from .errors import GenerationError, Problem
from .ir import Model, Operation, Root

#: Names our generated modules define or import: a model or field may not shadow them.
RESERVED_CLASS_NAMES = frozenset(
    {"Any", "Literal", "Iterator", "Mapping", "ClassVar", "dataclass", "field", "datetime", "date", "time",
     "timezone", "UUID", "ValidationError", "Unset", "UNSET", "MODELS", "VALIDATORS", "Client", "ApiError",
     "AsyncClient", "RetryError", "BatchingClient", "JsonValue", "Self"}
)
RESERVED_MEMBERS = frozenset(
    {"from_dict", "to_dict", "extra", "_build", "_wire_order", "validate", "is_valid", "self", "cls", "d", "out",
     "copy", "replace", "fields", "field", "model_fields",
     # names the models' annotations use: a field of that name would shadow them in its class body
     "date", "datetime", "time"}
)
_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_"})


def snake(text: str) -> str:
    """``userId`` -> ``user_id``; ``HTTPServer`` -> ``http_server``; ``a-b`` -> ``a_b``; ASCII only."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    return re.sub(r"_+", "_", text)


def safe_identifier(name: str, reserved: Iterable[str] = (), prefix: str = "field_") -> str:
    if not name:
        return prefix.rstrip("_") + "_"
    if name[0].isdigit():
        name = prefix + name
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS or hasattr(builtins, name) or name in reserved:
        name += "_"
    return name


def _class_candidate(hint: str) -> str:
    name = re.sub(r"[^0-9A-Za-z_]", "", hint) or "Model"
    if name[0].isdigit():
        name = "M" + name
    if keyword.iskeyword(name) or hasattr(builtins, name) or name in RESERVED_CLASS_NAMES:
        name += "Model"
    return name


def name_models(models: dict[str, Model]) -> dict[str, str]:
    """Model id -> class name, by the escalation rule in the module docstring."""
    hints = {mid: [_class_candidate(h) for h in m.name_hints] or ["Model"] for mid, m in models.items()}
    level = dict.fromkeys(models, 0)
    groups = _escalate(models, hints, level)
    stuck = sorted(mid for mids in groups.values() if len(mids) > 1 for mid in mids)
    if stuck:  # the fallbacks, for these only: the names of the others stay as they were
        for mid in stuck:
            hints[mid] = list(dict.fromkeys([*hints[mid], *map(_class_candidate, models[mid].name_fallbacks)]))
        groups = _escalate(models, hints, level)
    problems = []
    for name, mids in sorted(groups.items()):
        if len(mids) > 1:
            for mid in sorted(mids):
                others = ", ".join(o for o in sorted(mids) if o != mid)
                m = models[mid]
                tried = ", ".join(repr(h) for h in hints[mid])
                problems.append(
                    Problem(m.file, m.pointer,
                            f"this schema and {others} both want the class name {name!r} (tried {tried})",
                            hint="give one of them a distinct title or $defs key")
                )
    if problems:
        raise GenerationError(problems)
    return {mid: hints[mid][level[mid]] for mid in models}


def _escalate(models: dict[str, Model], hints: dict[str, list[str]], level: dict[str, int]) -> dict[str, list[str]]:
    """Move every model whose name collides to its next hint (all of a colliding group at once,
    so the outcome does not depend on order) until nothing moves; returns name -> model ids."""
    while True:
        groups: dict[str, list[str]] = {}
        for mid in models:
            groups.setdefault(hints[mid][level[mid]], []).append(mid)
        moved = False
        for mids in groups.values():
            if len(mids) > 1:
                for mid in mids:
                    if level[mid] + 1 < len(hints[mid]):
                        level[mid] += 1
                        moved = True
        if not moved:
            return groups


def name_fields(model: Model) -> Model:
    base = {f.json_name: safe_identifier(snake(f.json_name), RESERVED_MEMBERS) for f in model.fields}
    taken: dict[str, list[str]] = {}
    for json_name in sorted(base):
        taken.setdefault(base[json_name], []).append(json_name)
    final: dict[str, str] = {}
    used = set(base.values())
    for name, owners in taken.items():
        # the field whose JSON name *is* the identifier keeps it; the rest get _2, _3... by sorted JSON name
        owners.sort(key=lambda j: (j != name, j))
        final[owners[0]] = name
        n = 2
        for other in owners[1:]:
            while f"{name}_{n}" in used:
                n += 1
            final[other] = f"{name}_{n}"
            used.add(final[other])
            n += 1
    return replace(model, fields=tuple(replace(f, py_name=final[f.json_name]) for f in model.fields))


def name_roots(roots: list[Root]) -> list[Root]:
    wanted = {r.file: safe_identifier(snake(r.title) or snake(r.stem) or "schema", (), "schema_") for r in roots}
    counts: dict[str, int] = {}
    for name in wanted.values():
        counts[name] = counts.get(name, 0) + 1
    problems = []
    for r in roots:
        if counts[wanted[r.file]] > 1:
            alt = safe_identifier(snake(r.stem) or "schema", (), "schema_")
            wanted[r.file] = alt
    seen: dict[str, str] = {}
    for r in roots:
        if wanted[r.file] in seen:
            problems.append(Problem(r.file, "", f"root name {wanted[r.file]!r} is also wanted by {seen[wanted[r.file]]}",
                                    hint="give the schemas distinct titles or file names"))
        seen[wanted[r.file]] = r.file
    if problems:
        raise GenerationError(problems)
    return [replace(r, name=wanted[r.file]) for r in roots]


def name_operations(ops: Iterable[Operation], file: str) -> list[Operation]:
    out = []
    for op in ops:
        name = safe_identifier(snake(op.name), {"close", "request", "send"}, "op_")
        out.append(replace(op, name=name))
    names = [o.name for o in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise GenerationError([Problem(file, "/operations", f"operation names collide: {', '.join(dupes)}",
                                       hint="give each operation a distinct name")])
    return out


def apply_names(roots: list[Root], models: dict[str, Model]) -> tuple[list[Root], list[Model]]:
    """The naming pass over the whole IR: returns new, fully named roots and models (sorted by class name)."""
    roots = name_roots(roots)
    class_names = name_models(models)
    root_entry = {r.model_id: r.name for r in roots if r.model_id and r.model_is_root}
    entry_names = {r.name for r in roots}  # every root's validate_<name>, with a class or not
    named = []
    for mid, model in models.items():
        entry = root_entry.get(mid)
        if entry is None:
            entry = snake(class_names[mid]) or "model"
            while entry in entry_names:
                entry += "_model"
            entry_names.add(entry)
        named.append(replace(name_fields(model), class_name=class_names[mid], validator_name=entry))
    named.sort(key=lambda m: m.class_name)
    return roots, named
