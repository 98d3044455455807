"""Stage 7, black block by block: byte-for-byte what black gives for the whole module.

``generator/format.py`` cuts each module before its top-level definitions, formats
the blocks on their own (each cached by content) and joins them with two blank
lines.  These tests hold that to black's own output on the whole module, for every
module generated from the June schemas and the models corpus, and on hand-made
sources with the layouts where black's blank-line rules are subtle.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import generator.pipeline
from generator import format as fmt
from generator.config import Target
from generator.pipeline import generate_files

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "cases" / "models"


def rendered_sources(monkeypatch: pytest.MonkeyPatch, target: Target) -> dict[str, str]:
    """The modules of ``target`` as the templates render them, before black."""
    seen: dict[str, str] = {}

    def capture(sources: dict[str, str]) -> dict[str, str]:
        seen.update(sources)
        return dict(sources)

    monkeypatch.setattr(generator.pipeline, "format_many", capture)
    generate_files(target)
    return seen


def _targets() -> list[tuple[str, Target]]:
    june = sorted((ROOT / "schemas" / "june").glob("*.schema.json"))
    targets = [("june", Target(package="june", out=ROOT / "generated", schemas=tuple(june),
                               service=ROOT / "schemas" / "june" / "service.json"))]
    for case in sorted(CORPUS.iterdir()):
        schemas = sorted(case.glob("*.json")) if case.is_dir() else [case]
        targets.append((case.name.removesuffix(".json"), Target(package="corpus", out=ROOT, schemas=tuple(schemas))))
    return targets


@pytest.mark.parametrize(("case", "target"), _targets(), ids=[name for name, _ in _targets()])
def test_blocks_format_like_the_whole_module(case: str, target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = rendered_sources(monkeypatch, target)
    assert sources, "nothing was rendered"
    for name, text in sources.items():
        blocks = fmt.split_blocks(text)
        assert blocks is not None, f"{name} is formatted whole"
        if name.endswith(("models.py", "validators.py")):
            assert len(blocks) > 3, f"{name} was not cut into blocks"
        by_blocks = fmt.format_many({name: text}, fmt.FormatCache(None))[name]
        assert by_blocks == fmt.format_python(text, name), f"{case}: {name} differs from black on the whole module"


TRICKY = '''"""Module docstring."""
import os
from typing import overload
X = 1
# a comment after the constants



# attached to f
@overload
def f(a: int) -> int: ...
@overload
def f(a: str) -> str: ...
def f(a):
    return a
class C:
    """Doc."""
    def m(self): pass



    @property
    def p(self): return 1
S = """
def not_a_block():
class NotABlock:
"""


# attached to g
@decorator

def g(): pass
if os.name:
    def h(): pass
else:
    def h(): return 2

# trailing comment

async def k(): await f( 1 )
def stub1(): ...

def stub2(): ...
# closing comment
'''


LINE_SEPARATORS = 'x = 1\n\n\ndef f():\n    """a\u2028b\x0cc\x1cd\u2029e"""\n\n\ndef g(): pass\n'
#: a comment that reads as an encoding declaration in a block's first two lines (schemastore's
#: host.json: "...messageEncoding: This setting...")
CODING_LOOKALIKES = ('x = 1\n\n\n# s.json#/properties/messageEncoding: This setting\ndef f(): pass\n\n\n'
                     '# s.json#/a\n# coding=Nope\nclass C: pass\n')


@pytest.mark.parametrize("source", [TRICKY, TRICKY.replace("\n\n", "\n"), "", "x = 1\n", "def f(): pass\n",
                                    "# only a comment\n", "\n\n\ndef f(): pass\n\n\n\n", LINE_SEPARATORS,
                                    CODING_LOOKALIKES,
                                    "x = 1\r\n\r\n\r\ndef f(): pass\r\n"])
def test_tricky_layouts(source: str) -> None:
    assert fmt.format_many({"m.py": source}, fmt.FormatCache(None))["m.py"] == fmt.format_python(source, "m.py")


def test_text_inside_strings_is_never_a_cut() -> None:
    blocks = fmt.split_blocks(TRICKY)
    assert blocks is not None
    assert not any(b.startswith(("def not_a_block", "class NotABlock")) for b in blocks)
    assert any(b.startswith("# attached to g\n@decorator") for b in blocks)


def test_fmt_directives_and_invalid_python_are_formatted_whole() -> None:
    assert fmt.split_blocks("# fmt: off\nx = [1,\n  2]\n# fmt: on\n\ndef f(): pass\n") is None
    assert fmt.split_blocks("def f(:\n") is None
    with pytest.raises(fmt.FormatError, match=r"black could not format m\.py"):
        fmt.format_many({"m.py": "def f(:\n    pass\n"}, fmt.FormatCache(None))


def test_cache_returns_what_black_returned_and_skips_black(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "import os\n\n\ndef f( a ):\n  return a\n\n\nclass C( object ):\n  x=1\n"
    first = fmt.FormatCache(tmp_path)
    expected = fmt.format_python(text, "m.py")
    assert first.format_module("m.py", text) == expected
    assert (first.hits, first.misses) == (0, 3)

    def no_black() -> None:
        raise AssertionError("black was called although every block was cached")

    monkeypatch.setattr(fmt, "_black", no_black)
    again = fmt.FormatCache(tmp_path)
    assert again.format_module("m.py", text) == expected
    assert (again.hits, again.misses) == (1, 0)  # the whole module, not even parsed

    monkeypatch.undo()
    edited = text.replace("x=1", "x=2")
    third = fmt.FormatCache(tmp_path)
    assert third.format_module("m.py", edited) == fmt.format_python(edited, "m.py")
    assert (third.hits, third.misses) == (2, 1)  # only the edited block went through black


def test_damaged_or_missing_cache_is_only_slower(tmp_path: Path) -> None:
    cache = fmt.FormatCache(tmp_path / "c")
    assert cache.format_module("m.py", "x=1\n") == "x = 1\n"
    for path in (tmp_path / "c").iterdir():
        path.write_text("{not json")
    assert fmt.FormatCache(tmp_path / "c").format_module("m.py", "x=1\n") == "x = 1\n"
    shutil.rmtree(tmp_path / "c")
    assert fmt.FormatCache(tmp_path / "c").format_module("m.py", "x=1\n") == "x = 1\n"
    stored = json.loads(next((tmp_path / "c").iterdir()).read_text())
    assert "x = 1\n" in stored.values()


def test_no_cache_setting_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMA_GENERATOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SCHEMA_GENERATOR_NO_CACHE", "1")
    assert fmt.format_many({"m.py": "x=1\n"}) == {"m.py": "x = 1\n"}
    assert not any(tmp_path.iterdir())


WORKERS_SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from generator import format as fmt

sources = json.loads(sys.stdin.read())
fmt.PARALLEL_MIN_BYTES = 0
used = []
real = fmt._format_in_workers
fmt._format_in_workers = lambda blocks, jobs: used.append(len(blocks)) or real(blocks, jobs)
try:
    out = fmt.format_many(sources, fmt.FormatCache(None), jobs=2)
except fmt.FormatError as err:
    out = {"error": str(err).splitlines()[0]}
print(json.dumps({"used": used, "out": out}))
"""


def _in_workers(sources: dict[str, str]) -> dict[str, object]:
    """format_many with two forked workers, in a fresh single-threaded process (the test
    process may run threads, and then black stays in process)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", WORKERS_SCRIPT, str(ROOT)], input=json.dumps(sources),
                          capture_output=True, text=True, check=True, timeout=300)
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(not fmt.sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_format_exactly_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    june = sorted((ROOT / "schemas" / "june").glob("*.schema.json"))
    sources = rendered_sources(monkeypatch, Target(package="june", out=ROOT / "generated", schemas=tuple(june),
                                                   service=ROOT / "schemas" / "june" / "service.json"))
    sources["tricky.py"] = TRICKY
    result = _in_workers(sources)
    assert result["used"] and result["used"][0] > 100, "the blocks were not formatted in workers"
    assert result["out"] == fmt.format_many(sources, fmt.FormatCache(None), jobs=1)


FORK_SCRIPT = """
import _thread, sys, threading, time
sys.path.insert(0, sys.argv[1])
from generator import format as fmt
alone = fmt._can_fork()
release = threading.Lock()
release.acquire()
_thread.start_new_thread(release.acquire, ())  # a thread the threading module does not list
time.sleep(0.05)
print(alone, fmt._can_fork(), threading.active_count())
"""


@pytest.mark.skipif(not fmt.sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_no_fork_while_a_thread_unknown_to_threading_runs() -> None:
    """A thread started by C code or ``_thread`` is not in ``threading.active_count()``; forking
    then may deadlock the child (Python 3.13 warns so in pytest-xdist workers)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FORK_SCRIPT, str(ROOT)], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.split() == ["True", "False", "1"]


@pytest.mark.skipif(not fmt.sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_block_black_rejects_in_a_worker_is_reported_against_its_module() -> None:
    result = _in_workers({"good.py": TRICKY, "bad.py": "x = 1\n\n\ndef f(:\n    pass\n"})
    assert result["used"], "the blocks were not formatted in workers"
    error = result["out"]
    assert isinstance(error, dict) and error["error"].startswith("black could not format bad.py: cannot parse"), error


def _in_function(line: str, depth: int) -> str:
    """``line`` as the body of ``depth - 1`` nested blocks in a function (a block to format)."""
    lines = ["def f(x, p):"] + ["    " * d + "if x:" for d in range(1, depth)]
    return "\n".join(lines) + "\n" + "    " * depth + line + "\n"


@pytest.mark.parametrize("depth", [1, 3, 6])
@pytest.mark.parametrize("args", [
    ['x["id"]', '" is not of type \'string\'"', 'p + "/id"', '"/properties/id/type"', '"type"'],
    ['x["a-very-long-property-name-that-goes-on"]', 'p + "/a-very-long-property-name-that-goes-on"'],
    ['x["\u00e9t\u00e9"]', '"\u00e9t\u00e9 " * 3', 'p'],
    ["w", '_p(p, k)'],
    ['"' + "m" * 100 + '"', "p"],
])
@pytest.mark.parametrize("head", ["yield ValidationError._about", "yield from _e_definitions_step_oneOf_1_run"])
def test_wrapped_calls_are_what_black_writes(head: str, args: list[str], depth: int) -> None:
    """``render.wrap_call`` lays out long ``yield`` calls as black does, so black leaves them be
    (its second pass is skipped: format.py); short ones are left on one line."""
    from generator.render import wrap_call

    line = f"{head}({', '.join(args)})"
    laid_out = wrap_call(line, depth)
    assert (laid_out == line) == (len(line) + 4 * depth <= 88)
    block = _in_function(laid_out.replace("\n", "\n"), depth)
    assert fmt.format_python(block, "m.py") == block


@pytest.mark.parametrize("name", ["_v_short", "_e_" + "properties_orbs_additionalProperties_oneOf_3_" * 2])
@pytest.mark.parametrize("params", [["x: Any"], ["x: Any", "p: str"], ["x: Any", "p: str", "d: tuple[int, ...]"],
                                    [f"parameter_{i}: dict[str, list[int]]" for i in range(4)]])
def test_wrapped_defs_are_what_black_writes(name: str, params: list[str]) -> None:
    from generator.render import wrap_def

    block = wrap_def(name, params, "Iterator[ValidationError]") + "\n    pass\n"
    assert fmt.format_python(block, "m.py") == block


def test_other_statements_are_left_to_black() -> None:
    from generator.render import wrap_call

    long = "x" * 90
    for line in (f"if {long}:", f"return f({long})", f"yield f({long})(1)", f"yield (f)({long})",
                 f"yield f({long}, key=1)", f"yield {long}"):
        assert wrap_call(line, 2) == line


def test_comments_carry_no_tool_directives() -> None:
    """Schema text in a ``#`` comment never reads as ``# noqa``, ``# type: ignore``... (schemastore's
    ruff.json describes "`# noqa` directives"), and the rest of it is left as it was."""
    from generator.render import comment

    text = comment("kept for `# noqa` directives, #noqa:E501, # type: ignore, # pyright: ignore, #fmt: off; C# and x#/y")
    assert "# noqa" not in text and "#noqa" not in text and "# type:" not in text and "#fmt" not in text
    assert "# pyright" not in text
    assert text.endswith("C# and x#/y") and "\\x23 noqa" in text
