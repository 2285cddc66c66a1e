"""The spine of pubtool: read and check every source, then render and write an edition.

Everything is gathered and checked before anything is written, and an edition is
written to a temporary file that replaces the old one only once it is complete.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pubtool import cover, glossary, langtag, render
from pubtool.config import load_metadata
from pubtool.errors import Location, PubtoolError, Report
from pubtool.manuscript import MarkdownReader, chapter_paths
from pubtool.model import Book, Chapter, Metadata
from pubtool.writers.epub import write_epub


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line asks of a build."""

    project: Path
    lang: str | None = None
    output: Path | None = None
    strict: bool = False


def build_epub(options: Options, report: Report) -> Path:
    """Build one EPUB edition and return where it was written."""
    book = read_book(options.project, report)
    report.stop_if_failed()
    lang = edition_language(book, options.lang)
    book = langtag.tag_foreign_runs(book, lang)
    report.stop_if_failed(strict=options.strict)
    rendition = render.render_book(book, lang, report)
    cover_png = cover.cover_png(rendition.cover_svg)
    target = options.output or book.root / "build" / f"{book.metadata.slug}-{lang}.epub"
    write_atomically(target, lambda tmp: write_epub(rendition, cover_png, tmp))
    return target


def read_book(root: Path, report: Report) -> Book:
    """Read book.yaml, every chapter and the glossary, and link the terms.

    Every problem on the way is collected in ``report``; the caller decides when to stop.
    """
    root = root.absolute()
    metadata = load_metadata(root, report)
    reader = MarkdownReader(root, report)
    chapters: list[Chapter] = []
    paths = chapter_paths(root)
    for path in paths:
        chapter = reader.read_chapter(path)
        if chapter is not None:
            chapters.append(chapter)
    if metadata is not None and not paths:
        report.error(
            "no-chapters",
            "the book has no chapters",
            Location(root / "manuscript"),
            "write chapters as manuscript/01-name.md, manuscript/02-name.md, ...",
        )
    terms = glossary.load_glossary(root, reader, report)
    if metadata is None:  # reported; go on reading, to report every other problem too
        metadata = Metadata(title="", language="und")
    book = Book(root, metadata, tuple(chapters), terms, _modified(metadata.date, paths))
    return glossary.link_terms(book, report)


def edition_language(book: Book, lang: str | None) -> str:
    """The language asked for, which must be the source language or one of ``languages``."""
    source = book.metadata.language
    if lang is None or lang == source:
        return source
    if lang not in book.metadata.languages:
        raise PubtoolError(
            f"{lang!r} is not a language of this book "
            f"(languages: {', '.join([source, *book.metadata.languages])})",
            hint="add it to `languages` in manuscript/book.yaml",
        )
    raise PubtoolError(
        f"no translation catalog for {lang!r} yet",
        hint=f"translated editions are built from catalogs in locales/; "
        f"build the source edition with --lang {source}",
    )


def _modified(date: dt.date | None, paths: list[Path]) -> dt.datetime:
    """The edition's modification time: SOURCE_DATE_EPOCH, the book's date, or the newest source."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    if date is not None:
        return dt.datetime(date.year, date.month, date.day)
    newest = max((p.stat().st_mtime for p in paths), default=0.0)
    return dt.datetime.fromtimestamp(int(newest), dt.UTC).replace(tzinfo=None)


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``target``, then rename it into place.

    If anything fails, the previous ``target`` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(0o644)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
