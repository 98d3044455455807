"""The README.md each generated package carries: rendered from the IR, complete, safe Markdown.

Its bytes are pinned by tests/test_golden.py (generated/june/README.md); these
tests check what it must say, and that hostile text cannot break its tables.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT

from generator.config import Target, load_targets
from generator.pipeline import generate_files


def test_june_readme_lists_models_fields_validators_and_operations(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = generate_files(load_targets(ROOT / "pyproject.toml")[0])
    text = result.files["README.md"]
    package = result.package
    for m in package.models:
        assert f"\n### {m.class_name}\n" in text
        for f in m.fields:
            assert f"| `{f.py_name}` | `{f.json_name}` |" in text, (m.class_name, f.py_name)
    for r in package.roots:
        assert f"| `validate_{r.name}` | `{r.file}`" in text
    assert package.service is not None
    for op in package.service.operations:
        assert f"| `{op.name}` | `{op.method} {op.path}` |" in text
    assert "## Vendoring" in text and "relative imports only" in text
    for name in result.files:
        assert f"| `{name}` |" in text  # the file list is the package's


def test_hostile_text_stays_inside_its_table_cell(tmp_path, monkeypatch):
    schema = {"title": "Weird", "type": "object", "required": ["a`b"], "additionalProperties": False,
              "properties": {"a`b": {"enum": ["x|y", "p`q"], "description": "pipe | and\nnewline"},
                             "n": {"type": ["string", "null"], "default": "d|e"}}}
    (tmp_path / "weird.json").write_text(json.dumps(schema))
    monkeypatch.chdir(tmp_path)
    files = generate_files(Target(package="weird", out=Path("out"), schemas=(Path("weird.json"),))).files
    rows = [line for line in files["README.md"].splitlines() if line.startswith(("| `a_b`", "| `n`"))]
    assert rows == [
        '| `a_b` | `` a`b `` | `` Literal["x\\|y", "p`q"] `` | yes | pipe \\| and newline |',
        '| `n` | `n` | `str \\| None` | no | Default: `"d\\|e"`. |',
    ]
    assert "Undeclared keys are not allowed." in files["README.md"]
    assert "Client operations" not in files["README.md"]  # no service, no client section
