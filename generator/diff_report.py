"""Reports of ``diff``: readable text, JSON for tools, and the one-line summary of ``generate``."""

from __future__ import annotations

import json

from .diff import Change


def tag(c: Change) -> str:
    if c.writers and c.readers:
        return "BREAKING (writers, readers)"
    if c.writers:
        return "BREAKING (writers)"
    if c.readers:
        return "BREAKING (readers)"
    return "compatible"


def counts(changes: list[Change]) -> tuple[int, int, int]:
    return len(changes), sum(c.writers for c in changes), sum(c.readers for c in changes)


def summary(package: str, changes: list[Change]) -> str:
    n, w, r = counts(changes)
    if not n:
        return f"{package}: no API changes"
    return f"{package}: {n} change{'s' if n != 1 else ''} ({w} breaking for writers, {r} for readers)"


def _line(c: Change) -> str:
    what = c.detail if c.subject in ("model", "field") else f"{c.name}: {c.detail}"
    if len(what) > 160:
        what = what[:157] + "..."
    return f"    {tag(c):<27}  {c.kind:<20}  {what}"


def text_report(results: list[tuple[str, list[Change]]], against: str) -> str:
    lines = [f"Generated API changes, {against} -> working tree", ""]
    for package, changes in results:
        lines.append(summary(package, changes))
        group = None
        for c in changes:
            if c.group != group:
                group = c.group
                if group in ("validators", "operations"):
                    lines.append(f"  {group}")
                else:
                    loc = c.where.rsplit("/properties/", 1)[0] if c.subject == "field" else c.where
                    lines.append(f"  model {group}  ({loc})")
            lines.append(_line(c))
        lines.append("")
    lines.append("writers: code that builds payloads (constructors, requests); "
                 "readers: code that reads them (from_dict, responses).")
    return "\n".join(lines) + "\n"


def json_report(results: list[tuple[str, list[Change]]], against: str) -> str:
    packages = []
    for package, changes in results:
        _, w, r = counts(changes)
        packages.append({"package": package, "changes": [c.to_json() for c in changes],
                         "breaking": {"writers": w, "readers": r}})
    breaking = any(c.writers or c.readers for _, changes in results for c in changes)
    return json.dumps({"against": against, "breaking": breaking, "packages": packages}, indent=2) + "\n"
