"""`make bench`, models part: generation time and from_dict + to_dict speed against peers.

Prints, in one run:
* time to generate the June package (4 request schemas + response) with our
  generator vs datamodel-code-generator on the same schemas (both in process,
  best of N runs);
* ``from_dict`` + ``to_dict`` of the June group example vs a pydantic v2 model
  (``model_validate`` + ``model_dump(by_alias=True, exclude_unset=True)``).
"""

from __future__ import annotations

import json
import sys
import tempfile
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "generated"))

SCHEMAS = [ROOT / "schemas" / "june" / f"{s}.schema.json" for s in ("identify", "track", "group", "page")]


def best(fn, number: int, repeat: int = 5) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def bench_generation() -> list[tuple[str, float]]:
    from generator.config import Target
    from generator.pipeline import generate_files

    rows = []
    target = Target(package="june", out=Path(tempfile.mkdtemp()), schemas=tuple(SCHEMAS))
    generate_files(target)  # warm imports and template compilation like a real run's first file would not
    rows.append(("schema-generator (4 June schemas)", best(lambda: generate_files(target), 1, 5)))
    try:
        from datamodel_code_generator import DataModelType, InputFileType, generate
    except ImportError:
        rows.append(("datamodel-code-generator: not installed", float("nan")))
        return rows

    def dcg() -> None:
        out = Path(tempfile.mkdtemp())
        for i, path in enumerate(SCHEMAS):
            generate(path, input_file_type=InputFileType.JsonSchema, output=out / f"m{i}.py",
                     output_model_type=DataModelType.DataclassesDataclass)

    dcg()
    rows.append(("datamodel-code-generator (dataclasses)", best(dcg, 1, 5)))
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
    print("\nGeneration of the June package (seconds, best of 5)")
    base = gen[0][1]
    for name, t in gen:
        print(f"  {name:45s} {t * 1e3:9.1f} ms   x{t / base:6.2f}")
    rt = bench_roundtrip()
    print("\nRound trip of the June group example (best of 5)")
    base = rt[0][1]
    for name, t in rt:
        print(f"  {name:45s} {t * 1e9:9.0f} ns   x{t / base:6.2f}")


if __name__ == "__main__":
    main()
