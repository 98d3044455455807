"""`pip install .` (not editable) into a fresh venv still finds the templates and generates."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_install_in_fresh_venv_generates_the_same_package(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = wheels.glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # Dependencies come from this test run's environment (no download); the project itself from the wheel.
    site = Path(subprocess.check_output([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "work"
    work.mkdir()
    schemas = [str(ROOT / "schemas" / "june" / f"{s}.schema.json") for s in ("identify", "track", "group", "page", "success")]
    proc = subprocess.run(
        [str(py), "-m", "generator", "generate", *schemas, "--service", str(ROOT / "schemas/june/service.json"),
         "--out", "out", "--package", "june"],
        cwd=work, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    located = subprocess.check_output(
        [str(py), "-c", "import generator.render as r; print(r.builtin_template_dir())"], cwd=work, text=True
    ).strip()
    assert str(env_dir) in located, f"templates were found outside the installed wheel: {located}"
    generated = {p.name for p in (work / "out" / "june").iterdir()}
    assert generated == {p.name for p in (ROOT / "generated" / "june").iterdir() if p.name != "__pycache__"}
