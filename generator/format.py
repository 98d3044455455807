"""Stage 7 -- format: black, in process, on each rendered module.

A black failure means the templates produced invalid Python: that is a bug in
the generator (or in a user's template override), reported with the offending
source so it can be fixed.
"""

from __future__ import annotations

import black

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


class FormatError(Exception):
    pass


def format_python(source: str, filename: str) -> str:
    try:
        return black.format_str(source, mode=MODE)
    except Exception as err:  # black raises several types (InvalidInput, ...)
        numbered = "\n".join(f"{i + 1:5d}  {line}" for i, line in enumerate(source.splitlines()))
        raise FormatError(
            f"black could not format {filename}: {err}\n"
            "This is a generator or template bug; the rendered source was:\n" + numbered
        ) from None
