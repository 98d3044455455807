"""Bad input: exit status 2, a message naming file + JSON pointer + what to do, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from generator.write import read_tree

GOOD = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Thing", "type": "object",
        "properties": {"a": {"type": "string"}}}


def run(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          check=False)


@pytest.fixture
def work(tmp_path):
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    r = run(["generate", "good.json", "--out", "out", "--package", "pkg"], tmp_path)
    assert r.returncode == 0, r.stderr
    return tmp_path


CASES = {
    "invalid_json": ('{"type": "object",\n  "properties": {,}}', "#: invalid JSON at line 2, column 18"),
    "trailing_comma": ('{"enum": [1, 2,\n ]}', "#: invalid JSON at line 1, column 15: Illegal trailing comma before end of array"),
    "metaschema": (json.dumps({"type": "object", "properties": {"a": {"type": "strin"}}}),
                   "#/properties/a/type: does not match the draft 2020-12 metaschema"),
    "dangling_ref": (json.dumps({"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}}),
                     "#/properties/a/$ref: cannot resolve $ref '#/$defs/missing'"),
    "missing_document": (json.dumps({"type": "object", "properties": {"a": {"$ref": "other.json#/x"}}}),
                         "#/properties/a/$ref: cannot resolve $ref 'other.json#/x': that document was not given"),
    "unknown_schema": (json.dumps({"$schema": "https://example.com/my-draft", "type": "object"}),
                       "#/$schema: unknown or unsupported $schema 'https://example.com/my-draft'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_schema_exit_2_names_file_and_pointer_and_writes_nothing(work, case):
    text, expected = CASES[case]
    (work / "bad.json").write_text(text)
    before = read_tree(work / "out")
    r = run(["generate", "good.json", "bad.json", "--out", "out", "--package", "pkg"], work)
    assert r.returncode == 2, r.stderr
    assert f"error: bad.json{expected}" in r.stderr
    assert "->" in r.stderr  # what to do
    assert "nothing was written" in r.stderr
    assert read_tree(work / "out") == before


def test_unreadable_file(work):
    r = run(["generate", "good.json", "absent.json", "--out", "out", "--package", "pkg"], work)
    assert r.returncode == 2
    assert "error: absent.json#: cannot read the file: No such file or directory" in r.stderr


def test_all_bad_schemas_are_reported_in_one_run(work):
    (work / "a.json").write_text("{")
    (work / "b.json").write_text(json.dumps({"type": 3}))
    r = run(["generate", "a.json", "b.json", "--out", "out", "--package", "pkg"], work)
    assert r.returncode == 2
    assert "a.json#: invalid JSON" in r.stderr and "b.json#/type:" in r.stderr
    assert "2 error(s)" in r.stderr


def test_failure_during_write_leaves_old_output(work, monkeypatch):
    """The writer builds the new tree aside: a crash half-way leaves the old package intact."""
    import generator.write as w

    before = read_tree(work / "out" / "pkg")
    calls = {"n": 0}
    real_open = open

    def flaky_open(path, *a, **k):
        if str(path).startswith(str(work / "out")) and "w" in (a[0] if a else k.get("mode", "r")):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError("disk full")
        return real_open(path, *a, **k)

    monkeypatch.setattr("builtins.open", flaky_open)
    with pytest.raises(OSError):
        w.write_package(work / "out" / "pkg", {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    monkeypatch.undo()
    assert read_tree(work / "out" / "pkg") == before
    assert sorted(p.name for p in (work / "out").iterdir()) == ["pkg"]  # no temporary left over


def test_catastrophic_backtracking_pattern_is_a_warning_with_pointer(work):
    (work / "redos.json").write_text(json.dumps(
        {"title": "R", "type": "object", "properties": {"a": {"type": "string", "pattern": "^(a+)+$"}}}))
    r = run(["generate", "redos.json", "--out", "out2", "--package", "pkg"], work)
    assert r.returncode == 0, r.stderr
    assert "warning: redos.json#/properties/a/pattern:" in r.stderr
    assert "catastrophic backtracking" in r.stderr
