"""Stage 7 -- format: every rendered module through ``ruff format`` (black's style).

``ruff format`` gives black's output (line length 88, Python 3.11) about a
hundred times faster: black needs minutes for the megabytes of code a large
schema gives, ruff well under a second.  All the modules of a package go
through one ruff process.  Where no ruff binary is found, black formats in
process instead (same style).

A formatter failure means the templates produced invalid Python: that is a bug
in the generator (or in a user's template override), reported with the
offending source so it can be fixed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

LINE_LENGTH = 88


class FormatError(Exception):
    pass


@lru_cache(maxsize=1)
def _ruff() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin

        return os.fsdecode(find_ruff_bin())
    except (ImportError, FileNotFoundError):  # not installed, or no binary for this platform
        return shutil.which("ruff")


def _args(ruff: str) -> list[str]:
    return [ruff, "format", "--isolated", "--no-cache", "--line-length", str(LINE_LENGTH),
            "--target-version", "py311"]


def format_python(source: str, filename: str) -> str:
    """One module, formatted."""
    return format_many({filename: source})[filename]


def format_many(sources: dict[str, str]) -> dict[str, str]:
    """Several modules (relative path -> source), formatted by one ruff process."""
    ruff = _ruff()
    if ruff is None:
        return {name: _black(text, name) for name, text in sources.items()}
    with tempfile.TemporaryDirectory(prefix="schema-generator-fmt-") as tmp:
        paths = {}
        for i, (name, text) in enumerate(sources.items()):
            path = Path(tmp) / f"m{i}.py"
            path.write_text(text, encoding="utf-8")
            paths[name] = path
        proc = subprocess.run([*_args(ruff), *map(str, paths.values())], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            for name, text in sources.items():  # find the module at fault, and say where
                one = subprocess.run([*_args(ruff), "-"], input=text, capture_output=True, text=True, check=False)
                if one.returncode != 0:
                    raise _error(name, text, one.stderr.strip())
            raise FormatError(f"ruff format failed: {proc.stderr.strip()}")
        return {name: path.read_text(encoding="utf-8") for name, path in paths.items()}


def _black(source: str, filename: str) -> str:
    import black

    try:
        mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)
        return black.format_str(source, mode=mode)
    except Exception as err:  # noqa: BLE001 - black raises several types (InvalidInput, ...)
        raise _error(filename, source, str(err)) from None


def _error(filename: str, source: str, why: str) -> FormatError:
    numbered = "\n".join(f"{i + 1:5d}  {line}" for i, line in enumerate(source.splitlines()))
    return FormatError(
        f"could not format {filename}: {why}\n"
        "This is a generator or template bug; the rendered source was:\n" + numbered
    )


if __name__ == "__main__":  # pragma: no cover - manual use: format a file in place
    for arg in sys.argv[1:]:
        p = Path(arg)
        p.write_text(format_python(p.read_text("utf-8"), arg), encoding="utf-8")
