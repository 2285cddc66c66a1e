"""``pubtool build``: every edition of every language, one process per language, and only
what changed.

Each language's process reads the sources, then writes each format of
:data:`pubtool.formats.FORMATS` in turn, leaving an output whose key (what it is made
from) has not changed since the last build; it puts each step on a queue for the
progress display. The keys are kept in ``build/.pubtool-cache.json`` (:mod:`pubtool.cache`).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from queue import Queue
from typing import Literal

from pubtool import cache
from pubtool.config import load_metadata
from pubtool.errors import BuildFailed, Diagnostic, PubtoolError, Report
from pubtool.formats import FORMATS, FormatName, Job, default_target
from pubtool.pipeline import (
    Outcome,
    Written,
    edition_languages,
    prepare_edition,
    write_editions,
)
from pubtool.project import Project

StepName = Literal["sources"] | FormatName
State = Literal["working"] | Outcome

#: The steps of one language's build, in order: the columns of the progress display.
STEPS: tuple[StepName, ...] = ("sources", *(fmt.name for fmt in FORMATS))


@dataclass(frozen=True, slots=True)
class Built:
    """What building one language's editions did: each format's output, the files written
    and left as they were, diagnostics, and the keys to keep (none if it failed)."""

    lang: str
    outputs: dict[FormatName, Path]
    written: list[Path]
    unchanged: list[Path]
    diagnostics: list[Diagnostic]
    keys: dict[str, str]  # of the outputs made: a failed one is made again next time
    failed: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """A step of building one language's editions, for the progress display."""

    lang: str
    output: StepName
    state: State
    seconds: float = 0.0

    def __str__(self) -> str:
        timing = f" ({self.seconds:.1f} s)" if self.state in {"written", "failed"} else ""
        return f"{self.lang}: {self.output} {self.state}{timing}"


class _Steps:
    """Sends the steps of a build to the parent process (or nowhere)."""

    def __init__(self, lang: str, queue: Queue[Step] | None) -> None:
        self.lang, self.queue = lang, queue
        self.output: StepName = "sources"
        self.started = time.perf_counter()

    def begin(self, output: StepName) -> None:
        self.output, self.started = output, time.perf_counter()
        self._put("working")

    def end(self, state: State) -> None:
        self._put(state)

    def _put(self, state: State) -> None:
        if self.queue is not None:
            seconds = time.perf_counter() - self.started
            self.queue.put(Step(self.lang, self.output, state, seconds))


def build_language(
    project: Project,
    lang: str,
    strict: bool,
    keys: dict[str, str],
    queue: Queue[Step] | None = None,
) -> Built:
    """Build every format of ``lang``, leaving those whose input is unchanged.

    Runs in a process of its own, one per language: it returns rather than prints, and
    puts its steps on ``queue``.
    """
    report = Report()
    steps = _Steps(lang, queue)
    written = Written()

    def on_format(name: FormatName) -> Callable[[Outcome], None]:
        steps.begin(name)
        return steps.end

    failed = False
    try:
        steps.begin("sources")
        edition = prepare_edition(project, lang, report)
        report.stop_if_failed(strict=strict)
        steps.end("written")
        job = Job(edition, project, report, strict)
        targets = {fmt.name: default_target(job, fmt) for fmt in FORMATS}
        write_editions(
            job, FORMATS, targets, known=keys, on_format=on_format, into=written, keep_going=True
        )
        failed = bool(written.failed)
    except PubtoolError as exc:
        steps.end("failed")
        if not isinstance(exc, BuildFailed):
            report.diagnostics.append(exc.diagnostic)
        written.keys.clear()  # nothing of a failed build is kept as built
        failed = True
    return Built(
        lang,
        written.outputs,
        written.written,
        written.unchanged,
        report.diagnostics,
        written.keys,
        failed,
    )


def build_all(
    project: Project, lang: str | None, strict: bool, on_step: Callable[[Step], None]
) -> list[Built]:
    """Every edition of every language (or of one), in parallel processes, cached.

    ``on_step`` hears each step of each language as it happens.
    """
    metadata = load_metadata(project, Report())
    if metadata is None:
        report = Report()
        load_metadata(project, report)
        raise BuildFailed(report)
    languages = edition_languages(metadata, lang)
    keys = cache.load(project)
    results: list[Built] = []
    workers = min(len(languages), os.cpu_count() or 1)
    with multiprocessing.Manager() as manager, ProcessPoolExecutor(max_workers=workers) as pool:
        queue: Queue[Step] = manager.Queue()
        pending = {
            pool.submit(build_language, project, language, strict, keys, queue)
            for language in languages
        }
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            results += [future.result() for future in done]
            while not queue.empty():
                on_step(queue.get())
    for built in results:
        keys.update(built.keys)
    for language in languages:
        if all(not b.failed for b in results if b.lang == language):
            keys[f"quick:{language}"] = cache.quick_key(
                project, metadata.catalog_languages(language)
            )
    cache.save(project, keys)
    return sorted(results, key=lambda b: languages.index(b.lang))
