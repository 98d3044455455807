"""Shared test set-up: paths, hypothesis profiles, the generated June package."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Property-test sizes: "ci" (default) keeps `make test` within minutes on 2 cores;
# HYPOTHESIS_PROFILE=thorough for a longer local run.
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The generator's caches (compiled templates, check verdicts, black's output per block; see
# generator/cache.py) go to a folder of this test process, never the user's: a test must not
# pass because of what an earlier run left behind.  Subprocesses inherit the setting.  The
# folder (tens of MB after a run) is removed when the process that made it exits.
_CACHE = tempfile.mkdtemp(prefix="schema-generator-test-cache-")
os.environ["SCHEMA_GENERATOR_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


@pytest.fixture(autouse=True)
def _fresh_hypothesis_jsonschema_constants() -> Iterator[None]:
    """hypothesis-jsonschema keeps its canonical ``true`` and ``false`` schemas as module-level
    dicts, and some contradictory schemas make it rewrite them in place: after the random
    schema of seed 11, ``FALSEY`` was ``{}``, and from then on it drew nothing at all for the
    June schemas in that process (``Unsatisfiable``; a failure that depended on which tests
    shared an xdist worker).  They are put back around every test."""
    try:
        from hypothesis_jsonschema import _canonicalise as canon
    except ImportError:
        yield
        return

    def restore() -> None:
        canon.TRUTHY.clear()
        canon.FALSEY.clear()
        canon.FALSEY["not"] = {}

    restore()
    yield
    restore()


@pytest.fixture(scope="session")
def june():
    import june as pkg

    return pkg
