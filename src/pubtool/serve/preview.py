"""The preview's editions: made by the spine, rendered in memory, shared between threads.

Each language's edition is prepared as for the EPUB (:func:`pipeline.prepare_edition`,
whose ``preview`` marks the texts left in the source language for the translator view)
and rendered with the EPUB's templates (:func:`render.render_book`). A build that fails
keeps its diagnostics, which the pages show.
"""

from __future__ import annotations

import hashlib
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pubtool import raster, render
from pubtool.config import load_metadata
from pubtool.errors import BuildFailed, Diagnostic, PubtoolError, Report, Severity
from pubtool.localize import Fallback
from pubtool.pipeline import prepare_edition, read_sources
from pubtool.project import Project


@dataclass(frozen=True, slots=True)
class Preview:
    """One language's edition as the preview shows it, or the diagnostics that stop it."""

    lang: str
    rendition: render.Rendition | None
    diagnostics: tuple[Diagnostic, ...]
    fallbacks: tuple[Fallback, ...] = ()

    def document(self, href: str) -> render.Document | None:
        documents = self.rendition.documents if self.rendition else ()
        return next((d for d in documents if d.href == href), None)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Every edition after one build; ``generation`` grows whenever a page would change."""

    generation: int
    source_lang: str
    previews: tuple[Preview, ...]  # in the book's order of languages
    problems: tuple[Diagnostic, ...]  # when no language is known: book.yaml never read
    fingerprint: str

    def preview(self, lang: str) -> Preview | None:
        return next((p for p in self.previews if p.lang == lang), None)


def build_snapshot(project: Project, before: Snapshot) -> Snapshot:
    """Build every edition of the book in memory; a broken book.yaml keeps the languages
    ``before`` knew, so that each of their pages shows the errors."""
    metadata = load_metadata(project, Report())
    if metadata is not None:
        source_lang, languages = metadata.language, metadata.editions
    else:
        source_lang, languages = before.source_lang, tuple(p.lang for p in before.previews)
    previews = tuple(build_preview(project, lang) for lang in languages)
    problems: tuple[Diagnostic, ...] = ()
    if not languages:
        report = Report()
        try:
            read_sources(project, report)
        except PubtoolError as exc:
            report.diagnostics.append(exc.diagnostic)
        problems = tuple(report.diagnostics)
    fingerprint = _fingerprint(source_lang, previews, problems)
    generation = before.generation + (fingerprint != before.fingerprint)
    return Snapshot(generation, source_lang, previews, problems, fingerprint)


def build_preview(project: Project, lang: str) -> Preview:
    """The edition of ``lang``, rendered as for the EPUB, with the fallbacks marked."""
    report = Report()
    try:
        edition = prepare_edition(project, lang, report, preview=True)
        rendition = render.render_book(edition.book, lang, edition.translations, report)
    except BuildFailed as failed:
        return Preview(lang, None, tuple(failed.report.diagnostics))
    except PubtoolError as exc:
        return Preview(lang, None, (*report.diagnostics, exc.diagnostic))
    except Exception as exc:  # a bug must not stop the server; the page and terminal say so
        bug = Diagnostic(
            "internal",
            Severity.ERROR,
            f"pubtool failed: {type(exc).__name__}: {exc}",
            None,
            "this is a bug in pubtool; please report it with this traceback:\n"
            + traceback.format_exc(),
        )
        return Preview(lang, None, (*report.diagnostics, bug))
    return Preview(lang, rendition, tuple(report.diagnostics), edition.fallbacks)


def _fingerprint(
    source_lang: str, previews: tuple[Preview, ...], problems: tuple[Diagnostic, ...]
) -> str:
    """A digest of everything a page shows, so that a save that changes nothing reloads
    nothing."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else part.encode())
            digest.update(b"\0")

    add(source_lang, *(d.format() for d in problems))
    for preview in previews:
        add(preview.lang, *(d.format() for d in preview.diagnostics))
        rendition = preview.rendition
        if rendition is None:
            continue
        add(rendition.stylesheet, rendition.cover_svg)
        for document in rendition.documents:
            add(document.href, document.content)
        for resource in rendition.resources:
            try:
                stat = resource.file.stat()
                add(f"{resource.href} {stat.st_mtime_ns} {stat.st_size}")
            except OSError:
                add(resource.href)
    return digest.hexdigest()


class Live:
    """The latest build of the book, shared by the watching thread and the page requests."""

    def __init__(self, project: Project, say: Callable[[str], None]) -> None:
        self.project = project
        self.say = say
        self.stopping = False
        self._snapshot = Snapshot(0, "", (), (), "")
        self._changed = threading.Condition()
        self._building = threading.Lock()
        self._covers: dict[str, bytes] = {}
        self._drawing = threading.Lock()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def rebuild(self) -> None:
        """Build every edition again; if anything a page shows changed, publish it."""
        with self._building:
            after = build_snapshot(self.project, self._snapshot)
            if after.generation == self._snapshot.generation:
                return
            with self._changed:
                self._snapshot = after
                self._changed.notify_all()
        self._tell(after)

    def wait(self, seen: int, timeout: float) -> int:
        """The generation, once it is not ``seen`` (or after ``timeout`` seconds)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._snapshot.generation != seen or self.stopping, timeout
            )
            return self._snapshot.generation

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def cover_png(self, svg: str) -> bytes:
        """The cover drawn from ``svg``, kept in memory (no cache in build/)."""
        with self._drawing:
            if svg not in self._covers:
                self._covers = {svg: raster.cover_png(svg)}  # only the latest cover
            return self._covers[svg]

    def _tell(self, snapshot: Snapshot) -> None:
        """Print the build's diagnostics and a summary line on the terminal."""
        base = Path.cwd()
        found = list(
            dict.fromkeys(
                [*snapshot.problems, *(d for p in snapshot.previews for d in p.diagnostics)]
            )
        )
        for diagnostic in found:
            self.say(diagnostic.format(base))
        errors = sum(d.severity is Severity.ERROR for d in found)
        built = ", ".join(p.lang + ("" if p.rendition else " (failed)") for p in snapshot.previews)
        self.say(
            f"pubtool: built {built or 'nothing'} (generation {snapshot.generation}): "
            f"{errors} error(s), {len(found) - errors} warning(s)"
        )
