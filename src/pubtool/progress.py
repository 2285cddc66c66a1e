"""What `pubtool build` shows while it works, and its closing summary.

On a terminal, a live table (rich) with one row per language and a column per output;
in a log (stderr is not a terminal), one plain line per step. Colour only on a
terminal, and never when ``NO_COLOR`` is set (rich reads it).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.live import Live
from rich.table import Table

from pubtool.commands.build import STEPS, Built, Step
from pubtool.errors import Location

STYLES = {"working": "yellow", "written": "green", "unchanged": "dim", "failed": "bold red"}


@dataclass
class Settings:
    quiet: bool = False
    verbose: bool = False


def _console(stream: TextIO) -> Console:
    return Console(file=stream, highlight=False, no_color="NO_COLOR" in os.environ or None)


class BuildProgress:
    """The progress of a build: live on a terminal, plain lines in a log, nothing with -q."""

    def __init__(
        self, languages: list[str], settings: Settings, stream: TextIO | None = None
    ) -> None:
        self.console = _console(stream or sys.stderr)
        self.settings = settings
        self.states: dict[str, dict[str, str]] = {lang: {} for lang in languages}
        self.live: Live | None = None
        self.started = time.perf_counter()

    def __enter__(self) -> BuildProgress:
        self.started = time.perf_counter()
        if self.console.is_terminal and not self.settings.quiet:
            self.live = Live(self._table(), console=self.console, transient=False)
            self.live.__enter__()
        elif not self.settings.quiet:
            self._line(f"building {', '.join(self.states)}")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.live is not None:
            self.live.update(self._table())
            self.live.__exit__(kind, error, trace)

    def step(self, step: Step) -> None:
        self.states.setdefault(step.lang, {})[step.output] = step.state
        if self.live is not None:
            self.live.update(self._table())
            if self.settings.verbose and step.state != "working":
                self.live.console.print(f"pubtool: {step}", style=STYLES.get(step.state))
        elif not self.settings.quiet and (self.settings.verbose or step.state != "working"):
            self._line(str(step))

    def _line(self, text: str) -> None:
        self.console.print(f"pubtool: {text}", soft_wrap=True)

    def _table(self) -> Table:
        table = Table(box=None, padding=(0, 2), show_edge=False)
        table.add_column("edition", style="bold")
        for output in STEPS:
            table.add_column(output)
        for lang, states in self.states.items():
            cells = []
            for output in STEPS:
                state = states.get(output, "waiting")
                shown = "…" if state == "working" else state
                cells.append(f"[{STYLES.get(state, 'dim')}]{shown}[/]")
            table.add_row(lang, *cells)
        return table

    def summary(self, results: list[Built], stream: TextIO | None = None) -> None:
        """Files written or left as they were, with sizes, and the time taken."""
        if self.settings.quiet:
            return
        console = _console(stream or sys.stdout)
        seconds = time.perf_counter() - self.started
        written = unchanged = 0
        for built in results:
            for path, state in [(p, "written") for p in built.written] + [
                (p, "unchanged") for p in built.unchanged
            ]:
                size = path.stat().st_size if path.exists() else 0
                verb = "wrote" if state == "written" else state
                where = Location(path.absolute()).display(Path.cwd())
                console.print(
                    f"{verb} {where} ({size / 1024:.0f} KiB)",
                    style=STYLES[state],
                    soft_wrap=True,
                    highlight=False,
                )
                written += state == "written"
                unchanged += state == "unchanged"
        console.print(
            f"pubtool: {written} written, {unchanged} unchanged in {seconds:.1f} s",
            soft_wrap=True,
        )
