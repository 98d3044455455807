"""``python -m generator``: generate packages, check that the committed ones are current, or
``diff`` the generated API against a git revision (what changed, and whom it breaks).

Exit status: 0 done/current, 1 stale (``check``) or breaking (``diff --fail-on-breaking``), 2 bad input (every problem is
printed, with file, JSON pointer and what to do; nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import Target, load_targets
from .errors import GenerationError
from .format import FormatError
from .pipeline import generate_files
from .write import read_tree, tree_diff, write_package


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    for name, help_text in (("generate", "write the generated package(s)"),
                            ("check", "exit 1 with a short diff when the committed output is stale; write nothing")):
        c = sub.add_parser(name, help=help_text)
        c.add_argument("schemas", nargs="*", type=Path, help="schema files (default: the targets in pyproject.toml)")
        c.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
        c.add_argument("--package", help="package name (required with schema files)")
        c.add_argument("--service", type=Path, help="service description (JSON) for the client")
        c.add_argument("--templates", type=Path, help="folder whose templates override the built-in ones")
        c.add_argument("--config", type=Path, default=Path("pyproject.toml"), help="pyproject.toml with [tool.generator]")
    d = sub.add_parser("diff", help="what changed in the generated API since a git revision, and whether it breaks")
    d.add_argument("schemas", nargs="*", type=Path, help="schema files (default: the targets in pyproject.toml)")
    d.add_argument("--against", default="HEAD", metavar="REV", help="git revision to compare with (default: HEAD)")
    d.add_argument("--json", action="store_true", help="print the report as JSON")
    d.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a change breaks writers or readers")
    d.add_argument("--package", help="package name (required with schema files)")
    d.add_argument("--service", type=Path, help="service description (JSON) for the client")
    d.add_argument("--config", type=Path, default=Path("pyproject.toml"), help="pyproject.toml with [tool.generator]")
    d.set_defaults(out=Path("generated"), templates=None)
    return p


def _targets(args: argparse.Namespace) -> list[Target]:
    if args.schemas:
        if not args.package:
            raise SystemExit("python -m generator: --package NAME is required with schema files")
        shown = " ".join(s.as_posix() for s in args.schemas)
        cmd = f"python -m generator generate {shown} --out {args.out.as_posix()} --package {args.package}"
        if args.service:
            cmd += f" --service {args.service.as_posix()}"
        return [Target(package=args.package, out=args.out, schemas=tuple(args.schemas), service=args.service,
                       templates=args.templates, regenerate=cmd)]
    return load_targets(args.config, args.templates)


def _diff(args: argparse.Namespace) -> int:
    from .diff import compare_all
    from .diff_report import json_report, text_report
    from .snapshot import GitError, snapshot, snapshots_at

    try:
        targets = _targets(args)
        new = {t.package: snapshot(t) for t in targets}
        old = snapshots_at(args.against, targets, None if args.schemas else args.config)
    except GenerationError as err:
        print(err.report(), file=sys.stderr)
        return 2
    except GitError as err:
        print(f"python -m generator diff: {err}", file=sys.stderr)
        return 2
    results = compare_all(old, new)
    print(json_report(results, args.against) if args.json else text_report(results, args.against), end="")
    breaking = any(c.writers or c.readers for _, changes in results for c in changes)
    return 1 if breaking and args.fail_on_breaking else 0


def _diff_summary(args: argparse.Namespace, targets: list[Target]) -> str:
    """One line for `generate`: what changed in the API since HEAD (never fails the generation)."""
    from .diff import compare_all
    from .diff_report import summary
    from .snapshot import GitError, snapshot, snapshots_at

    try:
        new = {t.package: snapshot(t) for t in targets}
        old = snapshots_at("HEAD", targets, None if args.schemas else args.config)
        results = compare_all(old, new)
    except (GenerationError, GitError, OSError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        return f"API diff against HEAD: not available ({reason})"
    except Exception as err:  # noqa: BLE001 -- the package is written; a summary bug must not fail the run
        return f"API diff against HEAD: not available (internal error: {type(err).__name__}: {err})"
    return "API diff against HEAD: " + "; ".join(summary(p, c) for p, c in results) + " (details: python -m generator diff)"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "diff":
        return _diff(args)
    try:
        targets = _targets(args)
        results = [(t, generate_files(t)) for t in targets]  # everything is rendered before anything is written
    except GenerationError as err:
        print(err.report(), file=sys.stderr)
        n = sum(1 for p in err.problems if p.level == "error")
        print(f"\n{n} error(s); nothing was written.", file=sys.stderr)
        return 2
    except FormatError as err:
        print(str(err), file=sys.stderr)
        return 2
    for _, result in results:
        for w in result.warnings:
            print(w.format(), file=sys.stderr)
    if args.command == "check":
        stale = False
        for target, result in results:
            dest = target.out / target.package
            diff = tree_diff(result.files, read_tree(dest), dest.as_posix())
            if diff:
                stale = True
                lines = diff.splitlines()
                print("\n".join(lines[:60]) + (f"\n... ({len(lines) - 60} more diff lines)" if len(lines) > 60 else ""))
                print(f"\n{dest.as_posix()} is stale: run `make generate`.", file=sys.stderr)
        if not stale:
            print("generated output is current.")
        return 1 if stale else 0
    for target, result in results:
        dest = target.out / target.package
        write_package(dest, result.files)
        print(f"wrote {dest.as_posix()}/ ({len(result.files)} files)")
    print(_diff_summary(args, targets))
    return 0
