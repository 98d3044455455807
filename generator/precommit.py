"""``python -m generator.precommit FILE...``: the stale check, as a pre-commit hook runs it.

pre-commit calls the hook's entry with the staged files that match its
``files`` pattern (see ``.pre-commit-hooks.yaml``).  This checks, without
writing anything, every target of ``[tool.generator]`` that one of those files
concerns: one of its schemas, its service description, a file of its template
folder, ``pyproject.toml`` itself, or a file of its generated package (an edit
by hand).  Without file names it checks every target.

Exit status: 0 current (or nothing concerned), 1 stale (a short diff and the
command that fixes it are printed), 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import Target, load_targets
from .errors import GenerationError
from .format import FormatError
from .pipeline import generate_files
from .write import read_tree, tree_diff


def _concerns(target: Target, changed: set[Path], config: Path) -> bool:
    if config.resolve() in changed:
        return True
    own = {p.resolve() for p in target.schemas}
    if target.service is not None:
        own.add(target.service.resolve())
    folders = [(target.out / target.package).resolve()]
    if target.templates is not None:
        folders.append(target.templates.resolve())
    return any(p in own or any(p.is_relative_to(f) for f in folders) for p in changed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.precommit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="changed files (pre-commit passes the staged ones)")
    parser.add_argument("--config", type=Path, default=Path("pyproject.toml"),
                        help="pyproject.toml with [tool.generator] (default: ./pyproject.toml)")
    args = parser.parse_args(argv)
    changed = {p.resolve() for p in args.files}
    try:
        targets = load_targets(args.config)
        concerned = [t for t in targets if not changed or _concerns(t, changed, args.config)]
        results = [(t, generate_files(t)) for t in concerned]
    except GenerationError as err:
        print(err.report(), file=sys.stderr)
        return 2
    except FormatError as err:
        print(str(err), file=sys.stderr)
        return 2
    stale = []
    for target, result in results:
        dest = target.out / target.package
        diff = tree_diff(result.files, read_tree(dest), dest.as_posix())
        if diff:
            stale.append(dest.as_posix())
            lines = diff.splitlines()
            print("\n".join(lines[:40]) + (f"\n... ({len(lines) - 40} more diff lines)" if len(lines) > 40 else ""))
    if stale:
        print(f"\nstale: {', '.join(stale)}. Run `python -m generator generate` (or `make generate`), "
              "then stage the regenerated files.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
