"""The generator's own code: ``ruff check`` (generator and tests) and ``mypy --strict`` (the
generator package; settings in pyproject.toml), as ``make lint`` runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_on_generator_and_tests() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "generator", "tests"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_on_generator() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir=/dev/null"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
