"""`make bench`, scale part: generation time and memory against schema size.

Synthetic schemas of about 1k, 10k and 100k schema nodes (built by
:func:`synthetic_schema`, never stored as files) and the largest real-world
schemas at hand (check-jsonschema's vendored schemastore copies) are generated
in process.  Each line gives the schema's size; the generator's own time (every
stage but black) and per 1k nodes (flat when the cost grows linearly); a first
run with an empty cache, black included, and per 1k nodes; a rerun with nothing
changed (the format cache answers); the process's peak resident memory so far
(ru_maxrss: rows run from small to large) and the size of the generated code.
Black formats about 100 KB of code a second here, so its runs are skipped for
the largest synthetic schemas (``BLACK_LIMIT``).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: what this bench writes (synthetic schemas, black's cache for each row) goes under one
#: folder, removed when the bench exits
_SCRATCH = tempfile.TemporaryDirectory(prefix="bench-scale-")
SCRATCH = Path(_SCRATCH.name)
sys.path.insert(0, str(ROOT))


def synthetic_schema(nodes: int) -> dict[str, Any]:
    """A 2020-12 schema of about ``nodes`` schema objects: ``$defs`` entries that refer to each
    other (earlier ones, themselves, and the next one: recursion and mutual recursion), with
    objects, arrays, enums, const-tagged unions, nullable fields, formats and maps."""
    per_def = 16  # schema objects per definition (see below)
    count = max(2, nodes // per_def)
    defs: dict[str, Any] = {}
    for i in range(count):
        prev = f"#/$defs/D{max(i - 1, 0)}"
        nxt = f"#/$defs/D{(i + 1) % count}"
        defs[f"D{i}"] = {
            "type": "object",
            "required": ["id", "kind"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "kind": {"const": f"d{i}"},
                "n": {"type": "integer", "minimum": 0},
                "when": {"type": ["string", "null"], "format": "date-time"},
                "tags": {"type": "array", "items": {"enum": ["a", "b", f"t{i}"]}},
                "prev": {"$ref": prev},
                "next": {"$ref": nxt},
                "self": {"type": "array", "items": {"$ref": f"#/$defs/D{i}"}},
                "either": {"oneOf": [{"$ref": prev}, {"$ref": nxt}]} if i % 2 else {"$ref": prev},
                "map": {"type": "object", "additionalProperties": {"$ref": prev}},
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Synthetic {nodes}",
        "type": "object",
        "properties": {"root": {"$ref": "#/$defs/D0"}, "all": {"type": "array", "items": {"$ref": f"#/$defs/D{count - 1}"}}},
        "$defs": defs,
    }


def count_nodes(schema: Any) -> int:
    """Schema objects (dicts and booleans in schema position, approximated as every dict)."""
    stack, n = [schema], 0
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            n += 1
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return n


#: above this many schema nodes the first run with black is skipped (black formats about
#: 100 KB of code a second here: a 100k-node synthetic schema gives about 95 MB of code)
BLACK_LIMIT = 25_000


def generate(path: Path, nodes: int) -> tuple[float, float | None, float | None, int, int]:
    """``path`` generated three ways: every stage but black (the generator's own cost), a first
    run with an empty cache (black formats everything), and again with nothing changed (the
    cache answers).  Returns (own seconds, first seconds or None, cached seconds or None, peak
    RSS so far in bytes, output bytes)."""
    import generator.pipeline
    from generator.config import Target

    target = Target(package="scale", out=SCRATCH / "not-written", schemas=(path,))  # rendered in memory
    real_format = generator.pipeline.format_many
    generator.pipeline.format_many = lambda sources: dict(sources)
    try:
        gc.collect()
        t0 = time.perf_counter()
        files = generator.pipeline.generate_files(target).files
        own = time.perf_counter() - t0
    finally:
        generator.pipeline.format_many = real_format
    first = cached = None
    if nodes <= BLACK_LIMIT:
        shared = os.environ["SCHEMA_GENERATOR_CACHE_DIR"]
        os.environ["SCHEMA_GENERATOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="cache-", dir=SCRATCH)
        gc.collect()
        t0 = time.perf_counter()
        files = generator.pipeline.generate_files(target).files
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = generator.pipeline.generate_files(target).files
        cached = time.perf_counter() - t0
        assert again == files, "the cached run differs from the first"
        shutil.rmtree(os.environ["SCHEMA_GENERATOR_CACHE_DIR"], ignore_errors=True)  # up to ~40 MB
        os.environ["SCHEMA_GENERATOR_CACHE_DIR"] = shared
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return own, first, cached, peak, sum(len(t) for t in files.values())


def real_world() -> list[Path]:
    try:
        from check_jsonschema.builtin_schemas import vendor
    except ImportError:
        return []
    here = Path(vendor.__file__).parent
    return [here / f"{n}.json" for n in ("github-workflows", "circle-ci", "mergify", "azure-pipelines", "renovate")
            if (here / f"{n}.json").is_file()]


def main() -> None:
    from generator.format import format_python

    # compiled templates and check verdicts are shared by the rows' "own" runs, never the user's
    os.environ["SCHEMA_GENERATOR_CACHE_DIR"] = str(SCRATCH / "cache")
    format_python("x = 1\n", "warm.py")  # warm imports and the formatter once
    tmp = SCRATCH
    rows: list[tuple[str, int, int, float, float | None, float | None, int, int]] = []
    for path in real_world():
        nodes = count_nodes(json.loads(path.read_text("utf-8")))
        rows.append((path.stem, path.stat().st_size, nodes, *generate(path, nodes)))
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    for n in sizes:
        schema = synthetic_schema(n)
        path = tmp / f"synthetic_{n}.json"
        path.write_text(json.dumps(schema))
        nodes = count_nodes(schema)
        rows.append((f"synthetic {n // 1000}k", path.stat().st_size, nodes, *generate(path, nodes)))

    def secs(value: float | None) -> str:
        return f"{value:7.2f}s" if value is not None else "       -"

    print("\nGeneration against schema size, in process.  own = every stage but black (the generator's"
          " own cost);\nfirst = a first run, empty cache, black formats everything; cached = again with"
          f" nothing changed\n(first and cached are skipped above {BLACK_LIMIT} nodes); peak = max RSS so far")
    print(f"  {'schema':22s} {'size':>9s} {'nodes':>7s} {'own':>8s} {'own ms/1k':>10s} {'first':>8s}"
          f" {'first ms/1k':>11s} {'cached':>8s} {'peak':>7s} {'output':>8s}")
    for name, size, nodes, own, first, cached, peak, out in rows:
        per_first = f"{first * 1e6 / nodes:11.1f}" if first is not None else "          -"
        print(f"  {name:22s} {size / 1e3:7.0f}KB {nodes:7d} {secs(own)} {own * 1e6 / nodes:10.1f} {secs(first)}"
              f" {per_first} {secs(cached)} {peak / 1e6:5.0f}MB {out / 1e6:6.1f}MB")

if __name__ == "__main__":
    main()
