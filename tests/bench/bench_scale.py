"""`make bench`, scale part: generation time and memory against schema size.

Synthetic schemas of about 1k, 10k and 100k schema nodes (built by
:func:`synthetic_schema`, never stored as files) and the largest real-world
schemas at hand (check-jsonschema's vendored schemastore copies) are generated
in process; each line gives the schema's size, the time of one generation, the
time per 1k nodes (flat when the cost grows linearly), the process's peak
resident memory so far (ru_maxrss: rows run from small to large) and the size
of the generated code.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
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


def generate(path: Path) -> tuple[float, float, int, dict[str, str]]:
    """``path`` generated with the caches off (a first run: black formats everything), then
    again with them on, once to fill them and once timed (a run after an unchanged schema):
    (first seconds, cached seconds, peak RSS so far in bytes, files)."""
    from generator.config import Target
    from generator.pipeline import generate_files

    target = Target(package="scale", out=Path(tempfile.mkdtemp()), schemas=(path,))
    gc.collect()
    os.environ["SCHEMA_GENERATOR_NO_CACHE"] = "1"
    t0 = time.perf_counter()
    files = generate_files(target).files
    elapsed = time.perf_counter() - t0
    del os.environ["SCHEMA_GENERATOR_NO_CACHE"]
    os.environ["SCHEMA_GENERATOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-scale-cache-")
    generate_files(target)
    t0 = time.perf_counter()
    again = generate_files(target).files
    cached = time.perf_counter() - t0
    assert again == files, "the cached run differs from the first"
    return elapsed, cached, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, files


def real_world() -> list[Path]:
    try:
        from check_jsonschema.builtin_schemas import vendor
    except ImportError:
        return []
    here = Path(vendor.__file__).parent
    return [here / f"{n}.json" for n in ("github-workflows", "circle-ci", "mergify", "azure-pipelines", "renovate")
            if (here / f"{n}.json").is_file()]


def main() -> None:
    from generator.format import format_many

    format_many({"warm.py": "x = 1\n"})  # warm imports and the formatter once
    tmp = Path(tempfile.mkdtemp())
    rows: list[tuple[str, int, int, float, float, int, int]] = []
    for path in real_world():
        elapsed, cached, peak, files = generate(path)
        schema = json.loads(path.read_text("utf-8"))
        rows.append((path.stem, path.stat().st_size, count_nodes(schema), elapsed, cached, peak,
                     sum(len(t) for t in files.values())))
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    for n in sizes:
        schema = synthetic_schema(n)
        path = tmp / f"synthetic_{n}.json"
        path.write_text(json.dumps(schema))
        elapsed, cached, peak, files = generate(path)
        rows.append((f"synthetic {n // 1000}k", path.stat().st_size, count_nodes(schema), elapsed, cached, peak,
                     sum(len(t) for t in files.values())))
    print("\nGeneration against schema size (in process; first = caches off, black formats all;"
          " cached = again, nothing changed; peak = max RSS so far)")
    print(f"  {'schema':22s} {'size':>9s} {'nodes':>7s} {'first':>8s} {'ms/1k nodes':>11s} {'cached':>8s}"
          f" {'peak':>8s} {'output':>9s}")
    for name, size, nodes, elapsed, cached, peak, out in rows:
        print(f"  {name:22s} {size / 1e3:7.0f}KB {nodes:7d} {elapsed:7.2f}s {elapsed * 1e6 / nodes:11.1f}"
              f" {cached:7.2f}s {peak / 1e6:6.0f}MB {out / 1e6:7.1f}MB")


if __name__ == "__main__":
    main()
