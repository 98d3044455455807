"""Run the official JSON Schema Test Suite against ``generator.compile_validator``.

Usage: ``python tests/conformance/run_suite.py [-v]`` (``make conformance``).

* suite location: ``$JSON_SCHEMA_TEST_SUITE``, else ``../shared/json-schema-test-suite``
  relative to the repository root (never copied into the repository);
* covers the *required* tests of draft2020-12, draft2019-09, draft7, draft6 and
  draft4, plus ``draft2020-12/optional/format`` with format assertion on;
* ``remotes/`` is served as ``http://localhost:1234/...`` through ``remotes=``
  (no network);
* each schema group is compiled once; a test passes when ``is_valid`` gives
  the expected verdict *and*, for an invalid instance, the error path reports
  at least one real error (not the "paths disagree" fallback);
* prints passed/total per row and the failing tests; exits 1 on a failure not
  listed in ``known_failures.txt``, or on a listed failure that now passes
  (the list may only shrink: remove the line).
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.validation import compile_validator

KNOWN_FAILURES = Path(__file__).with_name("known_failures.txt")
ROWS = (
    # (row name, folder under tests/, default draft, format assertion)
    ("draft2020-12", "draft2020-12", "https://json-schema.org/draft/2020-12/schema", False),
    ("draft2019-09", "draft2019-09", "https://json-schema.org/draft/2019-09/schema", False),
    ("draft7", "draft7", "http://json-schema.org/draft-07/schema#", False),
    ("draft6", "draft6", "http://json-schema.org/draft-06/schema#", False),
    ("draft4", "draft4", "http://json-schema.org/draft-04/schema#", False),
    ("draft2020-12 optional/format", "draft2020-12/optional/format", "https://json-schema.org/draft/2020-12/schema", True),
)


def suite_dir() -> Path | None:
    env = os.environ.get("JSON_SCHEMA_TEST_SUITE")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared" / "json-schema-test-suite")
    for path in candidates:
        if (path / "tests").is_dir():
            return path
    return None


def load_remotes(suite: Path) -> dict[str, object]:
    remotes = {}
    base = suite / "remotes"
    for path in sorted(base.rglob("*.json")):
        remotes["http://localhost:1234/" + path.relative_to(base).as_posix()] = json.loads(path.read_text())
    return remotes


@dataclass
class Row:
    name: str
    passed: int = 0
    total: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (test id, why)


def run_row(suite: Path, name: str, folder: str, draft: str, assertion: bool, remotes: dict[str, object]) -> Row:
    row = Row(name)
    for path in sorted((suite / "tests" / folder).glob("*.json")):
        groups = json.loads(path.read_text())
        for group in groups:
            gid = f"{folder}/{path.name}::{_clean(group['description'])}"
            try:
                validator = compile_validator(group["schema"], default_draft=draft, remotes=remotes,
                                              format_assertion=assertion)
                compile_error = ""
            except Exception as err:  # noqa: BLE001 -- report, keep going
                validator = None
                compile_error = f"compile error: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
            for test in group["tests"]:
                tid = f"{gid}::{_clean(test['description'])}"
                row.total += 1
                why = compile_error or check(validator, test["data"], test["valid"])
                if why:
                    row.failures.append((tid, why))
                else:
                    row.passed += 1
    return row


def _clean(text: str) -> str:
    """Test ids are one line without edge spaces (they live in a text file)."""
    return " ".join(text.split())


def check(validator: object, instance: object, expected: bool) -> str:
    try:
        got = validator.is_valid(instance)  # type: ignore[attr-defined]
        if got != expected:
            return f"expected {'valid' if expected else 'invalid'}, got {'valid' if got else 'invalid'}"
        errors = list(validator.iter_errors(instance))  # type: ignore[attr-defined]
    except Exception as err:  # noqa: BLE001
        return f"raised {type(err).__name__}: {err}"
    if expected and errors:
        return "valid, but iter_errors yielded errors"
    if not expected and (not errors or any(e.keyword == "" for e in errors)):
        return "invalid, but the error path found no real error"
    return ""


def run(suite: Path) -> list[Row]:
    remotes = load_remotes(suite)
    return [run_row(suite, *spec, remotes=remotes) for spec in ROWS]


def known_failures() -> set[str]:
    if not KNOWN_FAILURES.exists():
        return set()
    lines = KNOWN_FAILURES.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def report(rows: list[Row], known: set[str], verbose: bool = False) -> tuple[str, list[str], list[str]]:
    """(printable report, unexpected failures, known failures that now pass)."""
    out = ["| suite | passed / total |", "|---|---|"]
    for row in rows:
        pct = 100.0 * row.passed / row.total if row.total else 100.0
        out.append(f"| {row.name} | {row.passed} / {row.total} ({pct:.1f}%) |")
    failing = {tid for row in rows for tid, _ in row.failures}
    unexpected = [f"{tid}: {why}" for row in rows for tid, why in row.failures if tid not in known]
    fixed = sorted(known - failing)
    listed = [f"{tid}: {why}" for row in rows for tid, why in row.failures if tid in known]
    if unexpected:
        out += ["", f"{len(unexpected)} unexpected failure(s):"] + [f"  FAIL {u}" for u in unexpected]
    if listed and verbose:
        out += ["", f"{len(listed)} known failure(s) (known_failures.txt):"] + [f"  known {u}" for u in listed]
    elif listed:
        out += ["", f"{len(listed)} known failure(s) listed in known_failures.txt (-v to show)"]
    if fixed:
        out += ["", f"{len(fixed)} known failure(s) now pass; remove these lines from {KNOWN_FAILURES.name}:"]
        out += [f"  {tid}" for tid in fixed]
    return "\n".join(out), unexpected, fixed


def main(argv: list[str]) -> int:
    suite = suite_dir()
    if suite is None:
        print("JSON Schema Test Suite not found: set JSON_SCHEMA_TEST_SUITE or put it at ../shared/json-schema-test-suite")
        return 2
    start = time.perf_counter()
    rows = run(suite)
    text, unexpected, fixed = report(rows, known_failures(), verbose="-v" in argv)
    print(text)
    print(f"\n({time.perf_counter() - start:.1f}s, suite at {suite})")
    return 1 if unexpected or fixed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
