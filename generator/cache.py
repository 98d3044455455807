"""What the generator keeps between runs, and where.

Three stages repeat the same work on every run when the input has not changed:
Jinja compiles the templates, jsonschema checks each schema against its
metaschema, and black formats each block of code.  Each keeps its result under
one folder, keyed by the exact input (and the version of the tool that made it),
so a hit is exactly what the stage would have computed:

* ``jinja-<version>/``: compiled templates (Jinja's own bytecode cache);
* ``checked/``: one empty file per document that passed its metaschema check,
  named by a hash of (document sha256, metaschema URI, the installed jsonschema:
  see :func:`installed`).
  Only passes are kept: a failing document is checked again, so its errors
  are always reported in full;
* ``black-blocks/``: black's output per block of code (see ``format.py``).

The folder is ``$SCHEMA_GENERATOR_CACHE_DIR`` when set, else
``$XDG_CACHE_HOME/schema-generator`` (else ``~/.cache/schema-generator``).
``SCHEMA_GENERATOR_NO_CACHE=1`` turns all of it off; the output is the same
either way, only slower.  Deleting the folder is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path


def enabled() -> bool:
    return not os.environ.get("SCHEMA_GENERATOR_NO_CACHE")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if not enabled():
        return None
    explicit = os.environ.get("SCHEMA_GENERATOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schema-generator"


@functools.cache
def installed(name: str) -> str:
    """Which copy of module ``name`` is installed: its file's path, size and modification
    time, found without importing it (0.1 ms; ``importlib.metadata.version`` takes about
    15 ms).  A reinstall or an upgrade changes it, so a verdict keyed by it is never reused
    across versions of the tool that made it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin:
            st = os.stat(origin)
            return f"{origin} {st.st_size} {st.st_mtime_ns}"
    except (ImportError, ValueError, OSError):  # pragma: no cover - an unusual install
        pass
    return "unknown"


def _verdict_path(*parts: str) -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return base / "checked" / key[:2] / key[2:]


def known_valid(*parts: str) -> bool:
    """Whether a check with exactly these inputs passed before."""
    path = _verdict_path(*parts)
    return path is not None and path.exists()


def remember_valid(*parts: str) -> None:
    path = _verdict_path(*parts)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError:
        pass  # only the next run is slower
