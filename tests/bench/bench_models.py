"""`make bench`, models part: generation time and from_dict + to_dict speed against peers.

Prints, in one run:
* time to generate the June package (its 4 request schemas) with our generator
  vs datamodel-code-generator on the same schemas, two ways: *cold*, a fresh
  Python process per run (imports included: what a user waits for, best of 3),
  and *warm*, in process after a first run (best of 5).  Both write nothing but
  their output: ours models + validators, theirs dataclasses;
* ``from_dict`` + ``to_dict`` of the June group example vs a pydantic v2 model
  (``model_validate`` + ``model_dump(by_alias=True, exclude_unset=True)``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import timeit
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "generated"))

SCHEMAS = [ROOT / "schemas" / "june" / f"{s}.schema.json" for s in ("identify", "track", "group", "page")]


def best(fn, number: int, repeat: int = 5) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


OURS = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, {root!r})
from generator.config import Target
from generator.pipeline import generate_files
generate_files(Target(package="june", out=Path(tempfile.mkdtemp()), schemas=tuple(Path(p) for p in {schemas!r})))
"""
THEIRS = """
import tempfile, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from datamodel_code_generator import DataModelType, InputFileType, generate
out = Path(tempfile.mkdtemp())
for i, p in enumerate({schemas!r}):
    generate(Path(p), input_file_type=InputFileType.JsonSchema, output=out / f"m{{i}}.py",
             output_model_type=DataModelType.DataclassesDataclass)
"""


def cold(code: str, repeat: int = 3) -> float:
    """Best wall time of ``code`` in a fresh interpreter (imports included)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_generation() -> list[tuple[str, float, float]]:
    from generator.config import Target
    from generator.pipeline import generate_files

    schemas = [str(p) for p in SCHEMAS]
    rows = []
    target = Target(package="june", out=Path(tempfile.mkdtemp()), schemas=tuple(SCHEMAS))
    generate_files(target)  # warm: imports, templates, formatter
    rows.append(("schema-generator (4 June schemas)", cold(OURS.format(root=str(ROOT), schemas=schemas)),
                 best(lambda: generate_files(target), 1, 5)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from datamodel_code_generator import DataModelType, InputFileType, generate
    except ImportError:
        rows.append(("datamodel-code-generator: not installed", float("nan"), float("nan")))
        return rows

    def dcg() -> None:
        out = Path(tempfile.mkdtemp())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for i, path in enumerate(SCHEMAS):
                generate(path, input_file_type=InputFileType.JsonSchema, output=out / f"m{i}.py",
                         output_model_type=DataModelType.DataclassesDataclass)

    dcg()
    rows.append(("datamodel-code-generator (dataclasses)", cold(THEIRS.format(schemas=schemas)), best(dcg, 1, 5)))
    return rows


def bench_roundtrip() -> list[tuple[str, float]]:
    import june

    data = json.loads((ROOT / "tests" / "fixtures" / "june" / "june-group-company-example.json").read_text())
    rows = [("schema-generator from_dict+to_dict", best(lambda: june.JuneGroupRequest.from_dict(data).to_dict(), 20000))]
    try:
        from datetime import datetime
        from typing import Any

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
    print("\nGeneration of the June package (cold: fresh process, best of 3; warm: in process, best of 5)")
    cold_base, warm_base = gen[0][1], gen[0][2]
    for name, c, w in gen:
        print(f"  {name:42s} cold {c * 1e3:7.0f} ms x{c / cold_base:5.2f}   warm {w * 1e3:6.1f} ms x{w / warm_base:5.2f}")
    rt = bench_roundtrip()
    print("\nRound trip of the June group example (best of 5)")
    base = rt[0][1]
    for name, t in rt:
        print(f"  {name:45s} {t * 1e9:9.0f} ns   x{t / base:6.2f}")


if __name__ == "__main__":
    main()
