"""Every schema of the official JSON Schema Test Suite as *model* input, one package per draft.

The conformance test (``test_conformance.py``) holds the in-memory validator to the suite;
this one holds the whole generated package to it.  For each draft, every test group's
schema becomes one root of one package (those that refer to the suite's ``remotes/`` are
left out: the pipeline takes local files only; titles are dropped, so that root names come
from the file stems).  Then:

* every test instance gets the suite's verdict from the package's ``VALIDATORS``;
* every valid instance round-trips exactly through the root's ``load_``/``dump_``
  (or is refused as ``ValidationError`` where a model converts a date/time/UUID string
  the suite does not hold to its format);
* the package passes ``mypy --strict`` and ruff.

This found models that dropped keys which ``unevaluatedProperties: false`` lets through because
a branch evaluates them.  The suite is found, and each draft's folder and default
``$schema`` read, by the conformance runner (``tests/conformance/run_suite.py``:
``$JSON_SCHEMA_TEST_SUITE``, else ``../shared/json-schema-test-suite``); the test skips,
saying so, where neither exists.  About 30 s for the five drafts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conformance.run_suite import ROWS, suite_dir
from test_models_corpus import generate_into

#: the default draft of each required folder, as the conformance runner reads them
DRAFTS = {folder: draft for _, folder, draft, format_assertion in ROWS if not format_assertion}


def suite_groups(suite: Path, draft: str) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(stem, schema, tests) of every usable test group of one draft's required folder."""
    out = []
    for path in sorted((suite / "tests" / draft).glob("*.json")):
        for i, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            schema = group["schema"]
            if not isinstance(schema, dict) or "localhost:1234" in json.dumps(schema):
                continue
            schema = {"$schema": DRAFTS[draft], **{k: v for k, v in schema.items() if k not in ("$schema", "title")}}
            stem = re.sub(r"\W", "_", path.stem).lower() + f"_{i}"
            out.append((stem, schema, group["tests"]))
    return out


@pytest.mark.parametrize("draft", sorted(DRAFTS))
def test_suite_schemas_as_models(draft: str, tmp_path: Path) -> None:
    suite = suite_dir()
    if suite is None:
        pytest.skip("JSON Schema Test Suite not found: set JSON_SCHEMA_TEST_SUITE or put it at "
                    "../shared/json-schema-test-suite (relative to the repository root)")
    groups = suite_groups(suite, draft)
    assert len(groups) > 100, "the suite's layout changed: too few test groups found"
    folder = tmp_path / "in"
    folder.mkdir()
    for stem, schema, _ in groups:
        (folder / f"{stem}.json").write_text(json.dumps(schema), encoding="utf-8")
    package = "suite_" + re.sub(r"\W", "_", draft)
    pkg = generate_into(tmp_path / "out", package, [folder / f"{stem}.json" for stem, _, _ in groups])
    problems = []
    for stem, _, tests in groups:
        for test in tests:
            instance = test["data"]
            try:
                pkg.VALIDATORS[stem](instance)
                valid = True
            except pkg.ValidationError:
                valid = False
            if valid != test["valid"]:
                problems.append(f"{stem}: {test['description']}: verdict {valid}")
                continue
            if not valid:
                continue
            # a root is named by its file stem (no titles): load_<stem>, dump_<stem>
            load, dump = getattr(pkg.models, f"load_{stem}"), getattr(pkg.models, f"dump_{stem}")
            try:
                again = dump(load(instance))
            except pkg.ValidationError:
                continue  # a date/time/UUID string the suite does not hold to its format
            if json.dumps(again) != json.dumps(instance):
                problems.append(f"{stem}: {test['description']}: {instance!r} came back as {again!r}")
    assert not problems, "\n".join(problems[:40])
    for command in (["mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", "-p", package],
                    ["ruff", "check", "--no-cache", "--isolated", package]):
        proc = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path / "out", capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0, proc.stdout[-10000:] + proc.stderr[-3000:]
