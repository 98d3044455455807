"""Schema problems as values.

Every stage reports what is wrong with its input as :class:`Problem` records
(file, JSON pointer, level, message, hint) instead of raising at the first one.
A stage that found errors raises :class:`GenerationError` carrying *all* of
them, sorted, so one run reports every broken schema.  The CLI prints them and
exits with status 2; nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) in the input."""

    file: str
    pointer: str
    message: str
    hint: str = ""
    level: Level = "error"

    def format(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.pointer else f"{self.file}#"
        text = f"{self.level}: {where}: {self.message}"
        if self.hint:
            text += f"\n    -> {self.hint}"
        return text

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.file, self.pointer, self.message)


class GenerationError(Exception):
    """Raised by a stage whose input has at least one error-level problem."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=lambda p: p.sort_key))
        super().__init__(self.report())

    def report(self) -> str:
        return "\n".join(p.format() for p in self.problems)


def pointer_from_parts(parts: Iterable[object]) -> str:
    """Build an RFC 6901 JSON pointer from path segments."""
    out = []
    for part in parts:
        out.append("/" + str(part).replace("~", "~0").replace("/", "~1"))
    return "".join(out)

