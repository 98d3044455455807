"""The pre-commit hook (.pre-commit-hooks.yaml), run the way pre-commit runs it.

pre-commit takes the hook's ``entry``, splits it like a shell would, and
appends the staged files whose names match ``files`` (a regular expression,
``re.search``); the hook fails on a non-zero exit.  These tests do exactly that
from a scratch git repository holding a small project.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

yaml = pytest.importorskip("yaml")

SCHEMA = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Shop Order", "type": "object",
          "required": ["id"], "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}
PYPROJECT = """\
[tool.generator]
[[tool.generator.targets]]
package = "shop"
out = "generated"
schemas = ["schemas/order.schema.json"]
"""


def _hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "generator-check"]
    return hook


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "user.email=t@example.test", "-c", "user.name=t", *args], cwd=repo,
                          check=True, capture_output=True, text=True)
    return proc.stdout


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}  # the hook's environment has the generator installed


def _staged_matching(repo: Path, hook: dict) -> list[str]:
    staged = _git(repo, "diff", "--cached", "--name-only", "--diff-filter=ACMR").split()
    return [f for f in staged if re.search(hook["files"], f)]


def run_hook(repo: Path) -> subprocess.CompletedProcess[str] | None:
    """What `pre-commit run` does for this hook; None when no staged file matches (the hook is skipped)."""
    hook = _hook()
    files = _staged_matching(repo, hook)
    if not files:
        return None
    cmd = shlex.split(hook["entry"]) + hook.get("args", []) + files
    assert cmd[0] == "python"
    cmd[0] = sys.executable
    return subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=_env(), check=False)


def _generate(repo: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=repo, capture_output=True, text=True,
                       env=_env(), check=False)
    assert r.returncode == 0, r.stderr


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "order.schema.json").write_text(json.dumps(SCHEMA, indent=2))
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "notes.txt").write_text("hello\n")
    _git(tmp_path, "init", "-q")
    _generate(tmp_path)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "project")
    return tmp_path


def test_hook_definition():
    hook = _hook()
    assert hook["language"] == "python" and hook["entry"].startswith("python -m generator.precommit")
    for name in ("schemas/a.schema.json", "pyproject.toml", "my_templates/models.py.j2", "generated/x/models.py"):
        assert re.search(hook["files"], name), name
    for name in ("notes.txt", "README.md", "pyproject.toml.bak"):
        assert not re.search(hook["files"], name), name


def test_stale_after_schema_change_then_current_after_regenerating(repo):
    schema = repo / "schemas" / "order.schema.json"
    schema.write_text(json.dumps({**SCHEMA, "required": ["id", "note"]}, indent=2))
    _git(repo, "add", "schemas/order.schema.json")
    r = run_hook(repo)
    assert r is not None and r.returncode == 1, r and (r.stdout + r.stderr)
    assert "generated/shop/models.py" in r.stdout and "python -m generator generate" in r.stderr

    _generate(repo)
    _git(repo, "add", ".")
    r = run_hook(repo)
    assert r is not None and r.returncode == 0, r.stdout + r.stderr
    _git(repo, "commit", "-q", "-m", "note is required")


def test_hand_edit_of_generated_code_is_caught(repo):
    models = repo / "generated" / "shop" / "models.py"
    models.write_text(models.read_text() + "\n# edited by hand\n")
    _git(repo, "add", ".")
    r = run_hook(repo)
    assert r is not None and r.returncode == 1
    assert "edited by hand" in r.stdout


def test_unrelated_files_skip_the_hook_or_pass(repo):
    (repo / "notes.txt").write_text("changed\n")
    _git(repo, "add", "notes.txt")
    assert run_hook(repo) is None  # no staged file matches: pre-commit skips the hook
    (repo / "other.json").write_text("{}")
    _git(repo, "add", "other.json")
    r = run_hook(repo)
    assert r is not None and r.returncode == 0, r.stdout + r.stderr  # a JSON file no target uses


def test_broken_schema_is_reported(repo):
    (repo / "schemas" / "order.schema.json").write_text("{not json")
    _git(repo, "add", ".")
    r = run_hook(repo)
    assert r is not None and r.returncode == 2
    assert "schemas/order.schema.json" in r.stderr and "invalid JSON" in r.stderr
