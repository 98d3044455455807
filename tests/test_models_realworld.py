"""Real-world schemas: schemastore's CI and config schemas, as vendored by the check-jsonschema package.

They are loaded from the installed package (a dev extra), never copied here.
Every one generates (or fails with a clear, named problem), its models pass
``mypy --strict`` and ``ruff``, sample documents round-trip exactly, and
arbitrary JSON either round-trips or raises the package's ``ValidationError``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from test_models_corpus import check_any, check_instance, generate_into, json_values

from generator.config import Target
from generator.errors import GenerationError
from generator.pipeline import generate_files

vendor = pytest.importorskip("check_jsonschema.builtin_schemas.vendor")
VENDOR = Path(vendor.__file__).parent
SCHEMAS = sorted(VENDOR.glob("*.json"))
NAMES = [p.stem for p in SCHEMAS]

#: Schemas that cannot generate, and the problem that must be named instead.
NAMED_FAILURES = {
    "drone-ci": "kubernetes-definitions.json",  # $ref to a document that is not shipped
}
#: Known bugs outside the models (xfail, not strict: they pass once fixed).
KNOWN_BUGS: dict[str, str] = {}
#: Too large for one mypy run within the test budget (a 6 MB validators.py); generated and round-tripped still.
NO_MYPY = {"azure-pipelines"}

#: Sample documents, valid against their schema (checked with jsonschema first).
SAMPLES: dict[str, list[Any]] = {
    "github-workflows": [{
        "name": "CI", "on": {"push": {"branches": ["main"]}, "pull_request": None},
        "env": {"PY": "3.11"},
        "jobs": {
            "test": {"runs-on": "ubuntu-latest", "timeout-minutes": 10,
                     "strategy": {"matrix": {"python": ["3.11", "3.12"]}, "fail-fast": False},
                     "steps": [{"uses": "actions/checkout@v4"},
                               {"name": "Run", "run": "make test", "env": {"X": "1"}, "if": "always()"}]},
            "release": {"needs": ["test"], "uses": "org/repo/.github/workflows/r.yml@main", "secrets": "inherit"},
        },
    }],
    "dependabot": [{"version": 2, "updates": [
        {"package-ecosystem": "pip", "directory": "/", "schedule": {"interval": "weekly", "day": "monday"},
         "open-pull-requests-limit": 5, "labels": ["deps"]}]}],
    "readthedocs": [{"version": 2, "build": {"os": "ubuntu-22.04", "tools": {"python": "3.11"}},
                     "python": {"install": [{"method": "pip", "path": ".", "extra_requirements": ["docs"]}]},
                     "sphinx": {"configuration": "docs/conf.py"}, "formats": ["pdf"]}],
    "compose-spec": [{"services": {"web": {"image": "nginx:1", "ports": ["80:80", {"target": 443, "published": 443}],
                                           "environment": {"A": "1", "B": None}, "depends_on": ["db"],
                                           "healthcheck": {"test": ["CMD", "true"], "interval": "10s"}},
                                   "db": {"image": "postgres", "volumes": ["data:/var/lib/postgresql/data"]}},
                      "volumes": {"data": {}}, "x-custom": {"any": [1, 2]}}],
    "renovate": [{"extends": ["config:recommended"], "schedule": ["before 5am"], "labels": ["deps"],
                  "packageRules": [{"matchPackageNames": ["black"], "automerge": True, "groupName": "fmt"}]}],
    "azure-pipelines": [{"trigger": ["main"], "pool": {"vmImage": "ubuntu-latest"},
                         "steps": [{"script": "make test", "displayName": "Test"},
                                   {"task": "PublishTestResults@2", "inputs": {"testResultsFiles": "**/*.xml"}}]}],
    "circle-ci": [{"version": 2.1, "jobs": {"build": {"docker": [{"image": "cimg/python:3.11"}],
                                                      "steps": ["checkout", {"run": "make test"}]}},
                   "workflows": {"main": {"jobs": ["build"]}}}],
    "travis": [{"language": "python", "python": ["3.11"], "script": "make test", "os": "linux"}],
    "taskfile": [{"version": "3", "tasks": {"build": {"cmds": ["go build"], "deps": ["gen"]},
                                            "gen": {"cmds": [{"cmd": "go generate"}]}}}],
    "codecov": [{"coverage": {"precision": 2, "status": {"project": {"default": {"target": "auto"}}}},
                 "comment": {"layout": "reach, diff"}}],
    "buildkite": [{"steps": [{"label": ":test:", "command": "make test", "agents": {"queue": "default"}},
                             "wait", {"block": "Release"}]}],
    "github-actions": [{"name": "My action", "description": "Does things",
                        "inputs": {"who": {"description": "who", "required": True, "default": "me"}},
                        "runs": {"using": "node20", "main": "index.js"}}],
    "gitlab-ci": [{"stages": ["test", "deploy"], "variables": {"PIP_CACHE_DIR": ".pip"},
                   "test": {"stage": "test", "image": "python:3.11", "script": ["make test"],
                            "rules": [{"if": "$CI_PIPELINE_SOURCE == 'merge_request_event'"}]},
                   "deploy": {"stage": "deploy", "script": "make deploy", "only": ["main"], "when": "manual"}}],
    "bitbucket-pipelines": [{"image": "python:3.11", "pipelines": {"default": [{"step": {
        "name": "Test", "script": ["make test"], "caches": ["pip"]}}]}}],
}


@pytest.fixture(scope="session")
def realworld(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Every package, generated once per test run and shared by the xdist workers.

    Black needs minutes for the megabytes of code the largest schemas give, so
    the first worker generates under a file lock and the others import its output.
    """
    import fcntl
    import importlib

    shared = tmp_path_factory.getbasetemp().parent  # common to all workers of one run
    out = shared / "realworld"
    names = [p.stem for p in SCHEMAS if p.stem not in NAMED_FAILURES and p.stem not in KNOWN_BUGS]
    with open(shared / "realworld.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "done").exists():
            out.mkdir(exist_ok=True)
            for name in names:
                generate_into(out, "rw_" + name.replace("-", "_"), [VENDOR / f"{name}.json"])
            (out / "done").write_text("ok")
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    return out, {name: importlib.import_module("rw_" + name.replace("-", "_")) for name in names}


def _mark(name: str) -> Any:
    if name in KNOWN_BUGS:
        return pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=False))
    return name


def test_some_are_large() -> None:
    assert sum(p.stat().st_size > 500_000 for p in SCHEMAS) >= 2


@pytest.mark.parametrize("name", [_mark(n) for n in NAMES])
def test_generates_or_names_the_problem(realworld: tuple[Path, dict[str, Any]], tmp_path: Path, name: str) -> None:
    if name in NAMED_FAILURES:
        target = Target(package="p", out=tmp_path, schemas=(VENDOR / f"{name}.json",))
        with pytest.raises(GenerationError) as err:
            generate_files(target)
        assert NAMED_FAILURES[name] in str(err.value)
        assert "was not given" in str(err.value)
        return
    # generated once for the whole module (black formats megabytes of code for the largest ones)
    out, pkgs = realworld
    assert name in pkgs
    assert "class " in (out / ("rw_" + name.replace("-", "_")) / "models.py").read_text("utf-8")


@pytest.mark.slow
def test_mypy_strict_on_realworld(realworld: tuple[Path, dict[str, Any]]) -> None:
    out, pkgs = realworld
    args = [a for name in sorted(pkgs) if name not in NO_MYPY for a in ("-p", "rw_" + name.replace("-", "_"))]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", *args],
        cwd=out, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-20000:] + proc.stderr[-5000:]


def test_ruff_on_realworld_models(realworld: tuple[Path, dict[str, Any]]) -> None:
    out, pkgs = realworld
    files = [f"rw_{n.replace('-', '_')}/{f}" for n in sorted(pkgs) for f in ("models.py", "__init__.py")]
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", *files],
                          cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-20000:] + proc.stderr


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_round_trip(realworld: tuple[Path, dict[str, Any]], name: str) -> None:
    pkg = realworld[1][name]
    schema = json.loads((VENDOR / f"{name}.json").read_text("utf-8"))
    reference = jsonschema.validators.validator_for(schema)(schema)
    stem = name
    for doc in SAMPLES[name]:
        errors = [e.message for e in reference.iter_errors(doc)]
        assert not errors, f"bad sample for {name}: {errors[:3]}"
        check_instance(pkg, stem, doc)


@pytest.mark.parametrize("name", [n for n in NAMES if n not in NAMED_FAILURES and n not in KNOWN_BUGS])
def test_arbitrary_json_never_crashes(realworld: tuple[Path, dict[str, Any]], name: str) -> None:
    pkg = realworld[1][name]

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(instance=json_values)
    def check(instance: Any) -> None:
        check_any(pkg, name, instance)

    check()
