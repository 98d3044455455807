"""The generated package passes `mypy --strict` and `ruff check`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GENERATED


def test_mypy_strict_on_generated():
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", "june"],
        cwd=GENERATED, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_on_generated():
    ruff = pytest.importorskip("ruff")
    del ruff
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "june"],
                          cwd=GENERATED, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
