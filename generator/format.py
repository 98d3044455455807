"""Stage 7 -- format: black, in process, on each rendered module, one top-level block at a time.

The owner chose black, called through its API (no subprocess per file), so the
generated code is formatted exactly as black formats it.  Black is also the slowest
stage by far: it formats 100-200 KB of code a second, twice over when its first pass
changes the text, so it is 85-95% of a first run (the June package, or the 1.4 MB of
code that the 1.6 MB azure-pipelines schema gives).  Three things keep that down:

**Work is not repeated.**  Regenerating after a schema edit changes a few classes and
functions, and the runtime parts of each module (``ValidationError``, the client's
transport, the batching queue) do not change at all.  So this stage formats each
module *block by block* and keeps what black made of each block in a
content-addressed cache (:class:`FormatCache`):

* A module is cut before each top-level ``def``/``class`` (with its decorators and
  the comment lines right above it) that follows a blank line.  Cut points come from
  ``ast.parse``, so text inside strings is never mistaken for a block start.
* Black formats each block on its own, and the blocks are joined with two blank
  lines.  That is byte-for-byte what black gives for the whole module: black puts
  exactly two blank lines before a top-level ``def``/``class`` (and before the
  comments attached to it) whatever came before, and every other decision it makes
  is local to one logical line or one block.  The cases where this reasoning would
  not hold are not cut: a module that uses ``# fmt:`` directives, a block that does
  not follow a blank line (black keeps stub definitions such as ``@overload``
  groups together there), and a block after a decorator line.
  ``tests/test_format.py`` checks the equality on every generated package of the
  test corpus, and the golden test on ``generated/``.
* A block's cache key is a hash of its text, the black version and the mode, so a
  hit is exactly what black would return.  A run with every block cached does not
  import black at all.

The cache lives in ``black-blocks/`` of the generator's cache folder (see
``cache.py``), one small file per generated module; ``SCHEMA_GENERATOR_NO_CACHE=1``
turns it off, and the output is the same with or without it.

**The blocks left are shared out among worker processes** when there are more than
:data:`PARALLEL_MIN_BYTES` of them: one per CPU (at most 8; ``SCHEMA_GENERATOR_JOBS``
sets the number, 1 turns workers off).  Workers are forked, so they start in a few
milliseconds with black already imported, and only from a single-threaded process on
Linux; elsewhere black runs in this process (a spawned worker would re-run the
caller's unguarded ``__main__``).  Black is deterministic, so the text is the same.

**Most code reaches black already formatted**, so black's first pass returns it
unchanged and its second pass is skipped: string literals are written in black's
quotes (``render.py_str``), the templates write their fixed long statements the way
black splits them, and ``render.wrap_call``/``wrap_def`` lay out the two shapes of
schema-dependent length that are most common and whose layout is simple (a ``yield``
of a call, a ``def`` line); ``tests/test_format.py`` holds them to black's output.
Other long lines (conditions, mostly) are left to black: black's rules for them
(optional parentheses, which bracket to split at) are intricate, and emulating them
would be a second formatter to keep in step with black.

A black failure means the templates produced invalid Python: that is a bug in the
generator (or in a user's template override), reported with the offending source
so it can be fixed.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import os
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from . import cache

LINE_LENGTH = 88
TARGET = "py311"


class FormatError(Exception):
    pass


@functools.lru_cache(maxsize=1)
def _black() -> tuple[Any, Any]:
    """black and its mode, imported on the first block that is not cached (the import
    alone costs about 90 ms)."""
    import black
    from black.mode import TargetVersion

    mode = black.Mode(target_versions={TargetVersion[TARGET.upper()]}, line_length=LINE_LENGTH)
    return black, mode


def _black_version() -> str:
    try:
        from _black_version import version  # written by black's build; a tiny module

        return str(version)
    except ImportError:  # pragma: no cover - an unusual black install
        return str(_black()[0].__version__)


def format_python(source: str, filename: str) -> str:
    """One whole module, formatted by black (no blocks, no cache)."""
    black, mode = _black()
    try:
        return str(black.format_str(source, mode=mode))
    except Exception as err:  # noqa: BLE001 - black raises several types (InvalidInput, ...)
        raise _error(filename, source, str(err)) from None


def format_many(sources: dict[str, str], cache: FormatCache | None = None, jobs: int | None = None) -> dict[str, str]:
    """Several modules (relative path -> source), each formatted by black block by block,
    with the blocks found in ``cache`` (by default :func:`default_cache`) taken from it.

    The blocks no module has cached are formatted together, in ``jobs`` worker processes
    when there is enough of them (see :func:`_format_blocks`)."""
    cache = default_cache() if cache is None else cache
    plans = [cache.plan(name, text) for name, text in sources.items()]
    todo: dict[str, tuple[str, _Plan]] = {}
    for plan in plans:
        for key, block in plan.missing():
            todo.setdefault(key, (block, plan))
    done = _format_blocks(todo, _jobs() if jobs is None else jobs)
    return {plan.module: cache.finish(plan, done) for plan in plans}


#: uncached code below this size is formatted in this process: starting workers costs more
#: than it saves (black does about 100-200 KB a second)
PARALLEL_MIN_BYTES = 64 * 1024


def _jobs() -> int:
    """Worker processes for black: ``SCHEMA_GENERATOR_JOBS`` when set (1 = none), else one per
    CPU this process may use, at most 8."""
    value = os.environ.get("SCHEMA_GENERATOR_JOBS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def _can_fork() -> bool:
    """Whether worker processes may be forked from this one: on Linux, and only while this
    process runs a single thread (a fork copies locks that other threads may hold).  Spawned
    workers would instead re-import the caller's ``__main__``, which an unguarded script
    cannot survive, so elsewhere black runs in this process.

    Threads are counted by the kernel (``/proc/self/task``): ``threading`` does not see those
    started by C code or ``_thread`` (pytest-xdist's, for one), and Python 3.12+ warns that a
    fork then "may lead to deadlocks in the child"."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: trust threading
        return True


def _format_blocks(todo: dict[str, tuple[str, _Plan]], jobs: int) -> dict[str, str]:
    """key -> black's text for each block to format.  With ``jobs`` > 1, at least
    :data:`PARALLEL_MIN_BYTES` of code and a process that may fork, the blocks are shared out
    among forked workers (black is deterministic: the text is the same either way).  Any
    failure there is retried here, block by block, so an error names its module."""
    if not todo:
        return {}
    _black()  # imported once, before any fork
    size = sum(len(block) for block, _ in todo.values())
    if jobs > 1 and size >= PARALLEL_MIN_BYTES and _can_fork():
        # any failure in a worker (black rejecting a block, say) is redone below, where the
        # error names its module
        with contextlib.suppress(Exception):
            return _format_in_workers({key: block for key, (block, _) in todo.items()}, jobs)
    return {key: _format_block(block, plan.module, plan.text) for key, (block, plan) in todo.items()}


def _format_in_workers(blocks: dict[str, str], jobs: int) -> dict[str, str]:
    import concurrent.futures
    import multiprocessing

    # largest blocks first, dealt round-robin into a few chunks per worker: even loads, few messages
    keys = sorted(blocks, key=lambda k: (-len(blocks[k]), k))
    count = min(len(keys), jobs * 4)
    chunks = [keys[i::count] for i in range(count)]
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, count), mp_context=context) as pool:
        results = pool.map(_format_chunk, [[blocks[k] for k in chunk] for chunk in chunks])
        return {key: text for chunk, texts in zip(chunks, results) for key, text in zip(chunk, texts)}


def _format_chunk(blocks: list[str]) -> list[str]:
    """In a worker: black on each block."""
    black, mode = _black()
    return [str(black.format_str(block, mode=mode)) for block in blocks]


def _format_block(block: str, filename: str, whole: str) -> str:
    if block is whole:  # a module formatted whole (see split_blocks)
        return format_python(whole, filename)
    black, mode = _black()
    try:
        return str(black.format_str(block, mode=mode))
    except Exception:  # report the error against the whole module (re-raised below)
        format_python(whole, filename)
        raise  # pragma: no cover - the whole module formatted although one block did not


def split_blocks(source: str) -> list[str] | None:
    """The module cut before each top-level definition that black will put two blank lines
    before, or None when the module must be formatted whole (see the module docstring)."""
    if "fmt:" in source or "\r" in source:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None  # black reports it, with its own message
    # lines as the parser counts them: "\n" only (str.splitlines would also cut at \x0c,
    # \u2028... inside strings, and the line numbers would no longer match)
    lines = [line + "\n" for line in source.split("\n")]
    lines[-1] = lines[-1][:-1]
    cuts = []
    previous_end = 0  # last line (1-based) of the previous top-level statement
    for stmt in tree.body:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and previous_end:
            start = first
            while start - 1 > previous_end and lines[start - 2].startswith("#"):
                start -= 1  # comment lines attached to the definition
            gap = lines[previous_end:start - 1]
            if (gap and all(not line.strip() for line in gap) and not _ends_with_decorator(lines, previous_end)
                    and not any(_CODING.match(line) for line in lines[start - 1:start + 1])):
                cuts.append(start - 1)  # 0-based index of the block's first line
        previous_end = stmt.end_lineno or stmt.lineno
    bounds = [0, *cuts, len(lines)]
    # The blank lines between blocks are black's to decide: dropping them here means a block
    # that is already formatted comes back unchanged from black's first pass, so black skips
    # its second one.
    blocks = ["".join(lines[a:b]).rstrip() for a, b in itertools.pairwise(bounds)]
    return [block + "\n" if block else source for block in blocks]  # all blank: black decides


#: an encoding declaration (PEP 263), which Python and black look for in a text's first two
#: lines: a block must not start with a comment that reads as one (a schema description
#: ending ``...messageEncoding: This setting...`` does, in schemastore's host.json)
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=]")


def _ends_with_decorator(lines: list[str], end: int) -> bool:
    return lines[end - 1].lstrip().startswith("@")


class FormatCache:
    """What black made of each block, keyed by a hash of the block, black's version and the
    mode, kept between runs in one small JSON file per generated module (``<dir>/<hash of the
    module's path>.json``) holding the blocks of that module's last run: the file stays the size of the module, and a regeneration reads only
    the files of its own modules.  Files are replaced atomically, so concurrent runs at worst
    redo each other's work.  ``directory=None`` keeps nothing."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._namespace = f"black {_black_version()} {TARGET} {LINE_LENGTH}\n"
        self.hits = 0
        self.misses = 0

    def key(self, block: str) -> str:
        return hashlib.blake2b((self._namespace + block).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _file(self, module: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / (hashlib.blake2b(module.encode(), digest_size=12).hexdigest() + ".json")

    def load(self, module: str) -> dict[str, str]:
        path = self._file(module)
        if path is None:
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no cache yet, or a damaged one: start afresh
        return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}

    def format_module(self, module: str, text: str) -> str:
        """``text`` formatted block by block, each block taken from the cache when it is there."""
        return format_many({module: text}, self)[module]

    def plan(self, module: str, text: str) -> _Plan:
        """What formatting ``text`` takes: its blocks and what the cache holds of them."""
        stored = self.load(module)
        whole_key = self.key("module\0" + text)
        result = stored.get(whole_key)
        blocks = [] if result is not None else split_blocks(text)
        if blocks is None:  # invalid Python, or # fmt: directives: black on the whole text
            blocks = [text]
        return _Plan(module, text, whole_key, result, blocks, [self.key(block) for block in blocks], stored)

    def finish(self, plan: _Plan, formatted: dict[str, str]) -> str:
        """The module put together from the cache and ``formatted`` (key -> black's text); the
        module's file then holds exactly its blocks, plus the whole module's result (so an
        unchanged module is not even parsed)."""
        if plan.result is not None:
            self.hits += 1
            return plan.result
        used: dict[str, str] = {}
        for key in plan.keys:
            if key in used:  # a block repeated in the module
                self.hits += 1
            elif key in plan.stored:
                self.hits += 1
                used[key] = plan.stored[key]
            else:
                self.misses += 1
                used[key] = formatted[key]
        result = "\n\n".join(part for part in (used[key] for key in plan.keys) if part)
        used[plan.whole_key] = result
        self._save(plan.module, used)
        return result

    def _save(self, module: str, blocks: dict[str, str]) -> None:
        path = self._file(module)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".blocks-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(blocks, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower


@dataclasses.dataclass(frozen=True)
class _Plan:
    """One module on its way through :func:`format_many`."""

    module: str
    text: str
    whole_key: str
    result: str | None  # the whole module's text, when the cache has it
    blocks: list[str]  # [text] when the module is formatted whole
    keys: list[str]
    stored: dict[str, str]

    def missing(self) -> list[tuple[str, str]]:
        """(key, block) of the blocks the cache does not hold."""
        if self.result is not None:
            return []
        return [(k, b) for k, b in zip(self.keys, self.blocks) if k not in self.stored]


def default_cache() -> FormatCache:
    """The cache in the folder of :func:`cache.cache_dir`, or one that keeps nothing when
    ``SCHEMA_GENERATOR_NO_CACHE`` is set."""
    base = cache.cache_dir()
    return FormatCache(None if base is None else base / "black-blocks")


def _error(filename: str, source: str, why: str) -> FormatError:
    numbered = "\n".join(f"{i + 1:5d}  {line}" for i, line in enumerate(source.splitlines()))
    return FormatError(
        f"black could not format {filename}: {why}\n"
        "This is a generator or template bug; the rendered source was:\n" + numbered
    )
