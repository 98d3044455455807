"""The official JSON Schema Test Suite, inside pytest (see tests/conformance/run_suite.py).

Skips (with the reason) when the suite is not found; fails on any failure not
listed in tests/conformance/known_failures.txt, and on a listed failure that
now passes (the list may only shrink).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).parent / "conformance" / "run_suite.py"
_spec = importlib.util.spec_from_file_location("run_suite", _PATH)
assert _spec and _spec.loader
run_suite = importlib.util.module_from_spec(_spec)
sys.modules["run_suite"] = run_suite  # dataclasses look their module up
_spec.loader.exec_module(run_suite)


@pytest.fixture(scope="module")
def results():
    suite = run_suite.suite_dir()
    if suite is None:
        pytest.skip("JSON Schema Test Suite not found: set JSON_SCHEMA_TEST_SUITE or put it at "
                    "../shared/json-schema-test-suite (relative to the repository root)")
    rows = run_suite.run(suite)
    return run_suite.report(rows, run_suite.known_failures())


def test_no_unexpected_failures(results):
    text, unexpected, _ = results
    print(text)
    assert not unexpected, text


def test_known_failures_only_shrink(results):
    text, _, fixed = results
    assert not fixed, text
