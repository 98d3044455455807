"""Stage 8 -- write: replace an output package all-or-nothing.

The new tree is written in full to a temporary sibling folder first; only then
is the old package moved aside and the new one renamed into place (two renames
on one file system), and the old one deleted.  Any failure before that leaves
the committed package exactly as it was.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from pathlib import Path


def write_package(dest: Path, files: dict[str, str]) -> None:
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
    try:
        for rel, text in sorted(files.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        os.chmod(tmp, 0o755)
        old = None
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            os.replace(dest, old)
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_tree(root: Path) -> dict[str, str]:
    """Every file below ``root`` (posix relative path -> text), skipping caches."""
    out: dict[str, str] = {}
    if not root.is_dir():
        return out
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith((".pyc", ".pyo")):
            out[path.relative_to(root).as_posix()] = path.read_text("utf-8", errors="replace")
    return out


def tree_diff(expected: dict[str, str], actual: dict[str, str], label: str) -> str:
    """A unified diff (actual on disk -> expected from the schemas); empty when identical."""
    chunks: list[str] = []
    for rel in sorted(set(expected) | set(actual)):
        old, new = actual.get(rel), expected.get(rel)
        if old == new:
            continue
        chunks.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"{label}/{rel}" + ("" if old is not None else " (missing)"),
                tofile=f"{label}/{rel} (regenerated)" + ("" if new is not None else " (should not exist)"),
            )
        )
    return "".join(chunks)
