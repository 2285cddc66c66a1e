"""Problems found while building: diagnostics that let the build go on, and errors that stop it.

Two channels, as in Sphinx and Standard Ebooks: a :class:`Diagnostic` says something
about a place in the author's files (``path:line: severity: message``, then a hint)
and is collected in a :class:`Report`; a :class:`PubtoolError` says the build cannot
continue and carries the exit status the command line returns.
"""

from __future__ import annotations

import contextlib
import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


def did_you_mean(wanted: str, known: Iterable[str], cutoff: float = 0.8) -> str | None:
    """A hint naming the known names closest to ``wanted`` (a misspelt file, say):
    "did you mean a.md or b.md?"; None when none is close."""
    close = difflib.get_close_matches(wanted, list(known), n=3, cutoff=cutoff)
    return "did you mean " + " or ".join(close) + "?" if close else None


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # what the author should know, that is not a problem (never fatal)


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file the author wrote; ``line`` counts from 1."""

    path: Path
    line: int | None = None

    def display(self, base: Path | None = None) -> str:
        path = self.path
        if base is not None:
            with contextlib.suppress(ValueError):
                path = path.relative_to(base)
        return f"{path}:{self.line}" if self.line is not None else str(path)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable code, where, what, and what to do about it."""

    code: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str | None = None

    def format(self, base: Path | None = None) -> str:
        where = f"{self.location.display(base)}: " if self.location else ""
        text = f"{where}{self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass
class Report:
    """Diagnostics collected over a build, in the order they were found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(
        self, code: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        self.diagnostics.append(Diagnostic(code, Severity.ERROR, message, location, hint))

    def warning(
        self, code: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        self.diagnostics.append(Diagnostic(code, Severity.WARNING, message, location, hint))

    def note(
        self, code: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        self.diagnostics.append(Diagnostic(code, Severity.NOTE, message, location, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def stop_if_failed(self, *, strict: bool = False) -> None:
        """Raise :class:`BuildFailed` if there are errors (or, when strict, warnings)."""
        if self.errors or (strict and self.warnings):
            raise BuildFailed(self)


class PubtoolError(Exception):
    """The command cannot continue; ``exit_code`` is what the process returns."""

    exit_code = 1
    code = "fatal"

    def __init__(
        self, message: str, *, hint: str | None = None, location: Location | None = None
    ) -> None:
        super().__init__(message)
        self.hint = hint
        self.location = location

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.code, Severity.ERROR, str(self), self.location, self.hint)


class BuildFailed(PubtoolError):
    """The sources have problems; the report lists every one of them."""

    code = "build-failed"

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
        self.report = report


class UsageError(PubtoolError):
    """The command was called wrongly (like a language the book does not have)."""

    exit_code = 2
    code = "usage"
