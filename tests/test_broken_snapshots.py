"""Each broken-input case: exit status 2, a pinned message (file, JSON pointer, what to do), nothing written.

Cases live in tests/cases/broken/<case>/ (schema files + expected.txt, the
exact stderr).  After an intended wording change, refresh them with
``UPDATE_SNAPSHOTS=1 make test`` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator.write import read_tree

CASES = Path(__file__).resolve().parent / "cases" / "broken"
GOOD = {"title": "Good", "type": "object", "properties": {"a": {"type": "string"}}}


def _run(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          check=False)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_broken_case(tmp_path, case):
    work = tmp_path / case
    shutil.copytree(CASES / case, work)
    (work / "good.json").write_text(json.dumps(GOOD))
    first = _run(["generate", "good.json", "--out", "out", "--package", "pkg"], work)
    assert first.returncode == 0, first.stderr
    before = read_tree(work / "out")
    inputs = sorted(p.name for p in work.iterdir() if p.name.endswith(".json") and p.name != "good.json")
    r = _run(["generate", "good.json", *inputs, "--out", "out", "--package", "pkg"], work)
    assert r.returncode == 2, r.stdout + r.stderr
    assert read_tree(work / "out") == before, "generated output changed although generation failed"
    assert sorted(p.name for p in (work / "out").iterdir()) == ["pkg"], "a temporary folder was left behind"
    expected = CASES / case / "expected.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        expected.write_text(r.stderr)
    assert r.stderr == expected.read_text(), f"message changed; if intended: UPDATE_SNAPSHOTS=1\n{r.stderr}"
    for line in r.stderr.splitlines():
        if line.startswith("error: "):
            assert ".json#" in line  # names the file and the JSON pointer
