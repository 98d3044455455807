"""`make bench`, models part: generation time and from_dict + to_dict speed against peers.

Prints, in one run:
* time to generate the June package (its 4 request schemas) with our generator
  vs datamodel-code-generator on the same schemas.  A fresh Python process per
  run (imports included: what a user waits for, best of 3) and, apart, in process
  after a first run (best of 5).  Ours is timed in the situations a user meets
  (see generator/cache.py): schemas unchanged since the last run, right after a
  schema edit (one property added, so models and validators change), the first
  run on a machine (empty cache), and with the caches off.  Both generate in
  memory: ours models + validators + __init__, theirs dataclasses;
* ``from_dict`` + ``to_dict`` of the June group example vs a pydantic v2 model
  (``model_validate`` + ``model_dump(by_alias=True, exclude_unset=True)``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import timeit
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "generated"))

#: everything this bench writes (edited schemas, caches, the peer's output) goes under one
#: folder, removed when the bench exits
_SCRATCH = tempfile.TemporaryDirectory(prefix="bench-models-")
SCRATCH = Path(_SCRATCH.name)
#: the target's output folder: generate_files renders in memory and never writes there
UNWRITTEN = SCRATCH / "not-written"

SCHEMAS = [ROOT / "schemas" / "june" / f"{s}.schema.json" for s in ("identify", "track", "group", "page")]


def best(fn, number: int, repeat: int = 5) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


OURS = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, {root!r})
from generator.config import Target
from generator.pipeline import generate_files
generate_files(Target(package="june", out=Path({out!r}), schemas=tuple(Path(p) for p in {schemas!r})))
"""
THEIRS = """
import tempfile, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from datamodel_code_generator import DataModelType, InputFileType, generate
out = Path(tempfile.mkdtemp(dir={scratch!r}))
for i, p in enumerate({schemas!r}):
    generate(Path(p), input_file_type=InputFileType.JsonSchema, output=out / f"m{{i}}.py",
             output_model_type=DataModelType.DataclassesDataclass)
"""


def _env(**extra: str) -> dict[str, str]:
    """The environment of a fresh process: Python as users run it (bytecode files written and
    used, whatever this shell says), our caches where ``extra`` puts them."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "SCHEMA_GENERATOR_NO_CACHE", "SCHEMA_GENERATOR_CACHE_DIR")}
    env.update(extra)
    return env


def cold(code: str, env: dict[str, str], repeat: int = 3, before: Any = None) -> float:
    """Best wall time of ``code`` in a fresh interpreter (imports included); ``before(i)``, if
    given, runs untimed before each run and returns the code to run."""
    times = []
    for i in range(repeat):
        run = before(i) if before else code
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", run], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return min(times)


EDIT_FOLDER = Path(tempfile.mkdtemp(prefix="edit-", dir=SCRATCH))


def _edited_copy(i: int) -> list[str]:
    """The four schemas, copied to one folder (the same each time, as a user's own files
    are), with one optional property added to track, a new one each time: a schema edit as a
    user makes it, so its model and validator code change.  ``i < 0``: no edit."""
    out = []
    for path in SCHEMAS:
        data = json.loads(path.read_text())
        if path.name.startswith("track") and i >= 0:
            data["properties"][f"edit{i}{time.time_ns()}"] = {"type": "string", "description": "Added by the bench."}
        (EDIT_FOLDER / path.name).write_text(json.dumps(data, indent=2))
        out.append(str(EDIT_FOLDER / path.name))
    return out


def bench_generation() -> list[tuple[str, float]]:
    """(scenario, seconds) rows; the last one is the peer."""
    from generator.config import Target
    from generator.pipeline import generate_files

    schemas = [str(p) for p in SCHEMAS]
    ours = OURS.format(root=str(ROOT), out=str(UNWRITTEN), schemas=schemas)
    cache = tempfile.mkdtemp(prefix="cache-", dir=SCRATCH)
    env = _env(SCHEMA_GENERATOR_CACHE_DIR=cache)
    subprocess.run([sys.executable, "-c", ours], check=True, env=env)  # bytecode files, caches
    subprocess.run([sys.executable, "-c", OURS.format(root=str(ROOT), out=str(UNWRITTEN), schemas=_edited_copy(-1))], check=True, env=env)
    rows = [
        ("ours, fresh process, schemas unchanged", cold(ours, env)),
        ("ours, fresh process, after a schema edit",
         cold(ours, env, before=lambda i: OURS.format(root=str(ROOT), out=str(UNWRITTEN), schemas=_edited_copy(i)))),
        ("ours, fresh process, first run (empty cache)",
         min(cold(ours, _env(SCHEMA_GENERATOR_CACHE_DIR=tempfile.mkdtemp(dir=SCRATCH)), repeat=1) for _ in range(3))),
        ("ours, fresh process, caches off", cold(ours, _env(SCHEMA_GENERATOR_NO_CACHE="1"))),
    ]
    target = Target(package="june", out=UNWRITTEN, schemas=tuple(SCHEMAS))
    os.environ["SCHEMA_GENERATOR_CACHE_DIR"] = cache
    generate_files(target)
    rows.append(("ours, in process, schemas unchanged (best of 5)", best(lambda: generate_files(target), 1, 5)))
    os.environ["SCHEMA_GENERATOR_NO_CACHE"] = "1"
    rows.append(("ours, in process, caches off (best of 5)", best(lambda: generate_files(target), 1, 5)))
    del os.environ["SCHEMA_GENERATOR_NO_CACHE"], os.environ["SCHEMA_GENERATOR_CACHE_DIR"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from datamodel_code_generator import DataModelType, InputFileType, generate
    except ImportError:
        rows.append(("datamodel-code-generator: not installed", float("nan")))
        return rows

    def dcg() -> None:
        out = Path(tempfile.mkdtemp(dir=SCRATCH))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for i, path in enumerate(SCHEMAS):
                generate(path, input_file_type=InputFileType.JsonSchema, output=out / f"m{i}.py",
                         output_model_type=DataModelType.DataclassesDataclass)

    dcg()
    theirs = THEIRS.format(schemas=schemas, scratch=str(SCRATCH))
    subprocess.run([sys.executable, "-c", theirs], check=True, env=_env())
    rows.append(("datamodel-code-generator, in process (best of 5)", best(dcg, 1, 5)))
    rows.append(("datamodel-code-generator, fresh process", cold(theirs, _env())))
    return rows


def bench_roundtrip() -> list[tuple[str, float]]:
    import june

    data = json.loads((ROOT / "tests" / "fixtures" / "june" / "june-group-company-example.json").read_text())
    rows = [("schema-generator from_dict+to_dict", best(lambda: june.JuneGroupRequest.from_dict(data).to_dict(), 20000))]
    try:
        from datetime import datetime

        from pydantic import BaseModel, ConfigDict, Field
    except ImportError:
        rows.append(("pydantic: not installed", float("nan")))
        return rows

    class Traits(BaseModel):
        model_config = ConfigDict(extra="allow")
        name: str | None = None
        industry: str | None = None
        employees: int | None = None

    class GroupRequest(BaseModel):
        model_config = ConfigDict(extra="allow", populate_by_name=True)
        user_id: str | None = Field(None, alias="userId")
        anonymous_id: str | None = Field(None, alias="anonymousId")
        group_id: str = Field(alias="groupId")
        traits: Traits | None = None
        timestamp: datetime | None = None
        context: dict[str, Any] | None = None

    def pyd() -> object:
        return GroupRequest.model_validate(data).model_dump(by_alias=True, exclude_unset=True, mode="json")

    rows.append(("pydantic v2 model_validate+model_dump", best(pyd, 20000)))
    return rows


def main() -> None:
    gen = bench_generation()
    peer_cold, peer_warm = gen[-1][1], gen[-2][1]
    print("\nGeneration of the June package (4 request schemas; fresh process: best of 3)")
    print("  ratio = datamodel-code-generator's time / this row's time, fresh process against fresh")
    print("  process, in process against in process (above 1: we are faster)")
    for name, t in gen:
        peer = peer_warm if "in process" in name else peer_cold
        print(f"  {name:52s} {t * 1e3:7.0f} ms   x{peer / t:5.2f}")
    rt = bench_roundtrip()
    print("\nRound trip of the June group example (best of 5)")
    base = rt[0][1]
    for name, t in rt:
        print(f"  {name:45s} {t * 1e9:9.0f} ns   x{t / base:6.2f}")


if __name__ == "__main__":
    main()
