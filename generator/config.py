"""Targets: what to generate, from ``[tool.generator]`` in pyproject.toml or the command line."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import GenerationError, Problem


@dataclass(frozen=True, slots=True)
class Target:
    package: str
    out: Path
    schemas: tuple[Path, ...]
    service: Path | None = None
    templates: Path | None = None
    regenerate: str = "python -m generator generate"


def load_targets(pyproject: Path, templates: Path | None = None) -> list[Target]:
    shown = pyproject.as_posix()
    try:
        data = tomllib.loads(pyproject.read_text("utf-8"))
    except OSError as err:
        raise GenerationError([Problem(shown, "", f"cannot read: {err.strerror}", hint="run from the project root")]) from None
    except tomllib.TOMLDecodeError as err:
        raise GenerationError([Problem(shown, "", f"invalid TOML: {err}", hint="fix the TOML syntax")]) from None
    conf = data.get("tool", {}).get("generator")
    if not isinstance(conf, dict) or not isinstance(conf.get("targets"), list):
        raise GenerationError(
            [Problem(shown, "/tool/generator/targets", "no [[tool.generator.targets]] table",
                     hint="add one (see README.md), or pass schema files on the command line")]
        )
    base = pyproject.parent
    tdir = templates or (base / conf["templates"] if isinstance(conf.get("templates"), str) else None)
    out = []
    for i, t in enumerate(conf["targets"]):
        where = f"/tool/generator/targets/{i}"
        if not isinstance(t, dict) or not isinstance(t.get("package"), str) or not isinstance(t.get("schemas"), list):
            raise GenerationError([Problem(shown, where, "a target needs `package` and `schemas`",
                                           hint="see README.md, 'Configuration'")])
        out.append(
            Target(
                package=t["package"],
                out=base / t.get("out", "generated"),
                schemas=tuple(base / s for s in t["schemas"]),
                service=base / t["service"] if isinstance(t.get("service"), str) else None,
                templates=tdir,
            )
        )
    return out
