"""``python -m generator diff``: every change kind on pairs of schemas, with pinned reports.

Cases live in tests/cases/diff/<case>/{old,new}/ (schema files, plus an optional
service.json) with expected.txt, the exact text report.  After an intended
wording change, refresh them with ``UPDATE_SNAPSHOTS=1 make test`` and review
the diff.
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

from generator.config import Target
from generator.diff import KINDS, compare, compare_all
from generator.diff_report import json_report, summary, text_report
from generator.snapshot import snapshot

CASES = Path(__file__).resolve().parent / "cases" / "diff"


def _side(folder: Path, work: Path):
    for old in work.iterdir():
        old.unlink()
    for f in folder.iterdir():
        shutil.copy(f, work / f.name)
    schemas = tuple(sorted(Path(p.name) for p in work.iterdir() if p.name != "service.json"))
    service = Path("service.json") if (work / "service.json").exists() else None
    return snapshot(Target(package="pkg", out=Path("out"), schemas=schemas, service=service))


def _case_changes(case: str, tmp_path: Path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # one path on both sides: model IDs compare equal, reports name short paths
    old = _side(CASES / case / "old", work)
    new = _side(CASES / case / "new", work)
    return compare(old, new)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_diff_case(tmp_path, monkeypatch, case):
    changes = _case_changes(case, tmp_path, monkeypatch)
    report = text_report([("pkg", changes)], "old")
    expected = CASES / case / "expected.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        expected.write_text(report)
    assert report == expected.read_text(), f"report changed; if intended: UPDATE_SNAPSHOTS=1\n{report}"


def test_every_change_kind_is_covered(tmp_path_factory, monkeypatch):
    seen = set()
    for case in sorted(p.name for p in CASES.iterdir() if p.is_dir()):
        with monkeypatch.context() as m:
            seen |= {c.kind for c in _case_changes(case, tmp_path_factory.mktemp(case), m)}
    assert seen == set(KINDS)


def test_classification(tmp_path, monkeypatch):
    by = {(c.name, c.kind): (c.writers, c.readers) for c in _case_changes("fields", tmp_path, monkeypatch)}
    assert by[("Thing.b", "made-required")] == (True, False)
    assert by[("Thing.a", "made-optional")] == (False, True)
    assert by[("Thing.x", "field-added")] == (False, False)
    assert by[("Thing.y", "field-added")] == (True, False)  # required: old payloads lack it
    assert by[("Thing.c", "field-removed")] == (True, True)
    assert by[("Thing.e", "field-renamed")] == (True, True)


def test_json_report_and_summary(tmp_path, monkeypatch):
    changes = _case_changes("types", tmp_path, monkeypatch)
    data = json.loads(json_report([("pkg", changes)], "HEAD"))
    assert data["against"] == "HEAD" and data["breaking"] is True
    first = data["packages"][0]["changes"][0]
    assert set(first) == {"subject", "name", "kind", "detail", "writers", "readers", "where", "group"}
    assert {c["writers"] for c in data["packages"][0]["changes"]} <= {"breaking", "compatible"}
    assert summary("pkg", changes).startswith("pkg: 8 changes (")
    assert summary("pkg", []) == "pkg: no API changes"


def test_no_changes_against_itself(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    from generator.config import load_targets

    snap = snapshot(load_targets(ROOT / "pyproject.toml")[0])
    assert compare(snap, snap) == []
    assert compare_all({"june": snap}, {"june": snap}) == [("june", [])]


# -- against git revisions, through the command line ----------------------------------------
def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.test", "-c", "user.name=t", *args], cwd=cwd, check=True,
                   capture_output=True)


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          check=False)


@pytest.fixture
def june_repo(tmp_path):
    """A scratch repository holding the June schemas and their [tool.generator] target, committed."""
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "june")
    return tmp_path


def _edit(path: Path, fn) -> None:
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data, indent=2))


def test_june_user_id_required_is_breaking(june_repo):
    _edit(june_repo / "schemas/june/track.schema.json", lambda d: d["required"].append("userId"))
    r = _cli(june_repo, "diff", "--json", "--fail-on-breaking")
    assert r.returncode == 1, r.stdout + r.stderr
    (change,) = json.loads(r.stdout)["packages"][0]["changes"]
    assert change["name"] == "JuneTrackRequest.user_id" and change["kind"] == "made-required"
    assert (change["writers"], change["readers"]) == ("breaking", "compatible")
    text = _cli(june_repo, "diff")
    assert text.returncode == 0  # without --fail-on-breaking
    assert "BREAKING (writers)           made-required         user_id ('userId'): optional -> required" in text.stdout


def test_june_optional_trait_is_compatible(june_repo):
    def add_trait(d):
        d["properties"]["traits"]["properties"]["plan"] = {"type": "string", "description": "Billing plan."}

    _edit(june_repo / "schemas/june/identify.schema.json", add_trait)
    r = _cli(june_repo, "diff", "--json", "--fail-on-breaking")
    assert r.returncode == 0, r.stdout + r.stderr
    (change,) = json.loads(r.stdout)["packages"][0]["changes"]
    assert change["name"] == "JuneIdentifyRequestTraits.plan" and change["kind"] == "field-added"
    assert (change["writers"], change["readers"]) == ("compatible", "compatible")


def test_against_older_revision_and_new_target_files(june_repo):
    """--against REV reads pyproject.toml at REV too: a schema added since then is a new validator."""
    (june_repo / "schemas/june/extra.schema.json").write_text(json.dumps(
        {"title": "Extra Event", "type": "object", "properties": {"x": {"type": "integer"}}}))
    conf = june_repo / "pyproject.toml"
    conf.write_text(conf.read_text().replace('"schemas/june/success.schema.json",',
                                             '"schemas/june/success.schema.json", "schemas/june/extra.schema.json",'))
    _git(june_repo, "add", ".")
    _git(june_repo, "commit", "-q", "-m", "extra")
    assert "june: no API changes" in _cli(june_repo, "diff").stdout
    r = _cli(june_repo, "diff", "--against", "HEAD~1", "--json")
    kinds = sorted(c["kind"] for c in json.loads(r.stdout)["packages"][0]["changes"])
    assert kinds == ["model-added", "validator-added"], r.stdout + r.stderr


def test_unknown_revision_and_no_repository(june_repo, tmp_path_factory):
    r = _cli(june_repo, "diff", "--against", "no-such-rev")
    assert r.returncode == 2 and "unknown git revision 'no-such-rev'" in r.stderr
    bare = tmp_path_factory.mktemp("bare")
    shutil.copy(june_repo / "pyproject.toml", bare / "pyproject.toml")
    shutil.copytree(june_repo / "schemas", bare / "schemas")
    r = _cli(bare, "diff")
    assert r.returncode == 2 and "not inside a git repository" in r.stderr


def test_generate_prints_a_one_line_summary(june_repo):
    _edit(june_repo / "schemas/june/track.schema.json", lambda d: d["required"].append("userId"))
    r = _cli(june_repo, "generate")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == (
        "API diff against HEAD: june: 1 change (1 breaking for writers, 0 for readers)"
        " (details: python -m generator diff)")


def test_broken_schema_at_the_revision_is_reported_with_its_repository_path(june_repo):
    (june_repo / "schemas/june/page.schema.json").write_text("{broken")
    _git(june_repo, "commit", "-q", "-am", "broken")
    shutil.copy(ROOT / "schemas/june/page.schema.json", june_repo / "schemas/june/page.schema.json")
    r = _cli(june_repo, "diff")
    assert r.returncode == 2
    assert r.stderr.startswith("error: schemas/june/page.schema.json#: invalid JSON at line 1, column 2"), r.stderr
    assert "(at HEAD)" in r.stderr and "generator-diff-" not in r.stderr
    r = _cli(june_repo, "diff", "--against", "HEAD~1")
    assert r.returncode == 0 and "june: no API changes" in r.stdout, r.stdout + r.stderr


def test_schema_files_on_the_command_line(june_repo):
    _edit(june_repo / "schemas/june/track.schema.json", lambda d: d["properties"]["event"].update(maxLength=200))
    r = _cli(june_repo, "diff", "schemas/june/track.schema.json", "--package", "june", "--fail-on-breaking")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "constraint-tightened  event: maxLength: (none) -> 200" in r.stdout
