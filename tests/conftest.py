"""Shared test set-up: paths, hypothesis profiles, the generated June package."""

from __future__ import annotations

import os
import sys
import tempfile
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
# pass because of what an earlier run left behind.  Subprocesses inherit the setting.
os.environ["SCHEMA_GENERATOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="schema-generator-test-cache-")

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


@pytest.fixture(scope="session")
def june():
    import june as pkg

    return pkg
