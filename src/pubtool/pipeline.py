"""The spine of pubtool: read and check every source, then render and write an edition.

Everything is gathered and checked before anything is written, and an edition is
written to a temporary file that replaces the old one only once it is complete.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue

from pubtool import (
    cache,
    catalogs,
    checks,
    files,
    fonts,
    glossary,
    impose,
    langtag,
    pagelist,
    raster,
    render,
    subjects,
)
from pubtool.catalogs import Translations
from pubtool.config import book_yaml_path, load_metadata
from pubtool.errors import BuildFailed, Diagnostic, Location, PubtoolError, Report, UsageError
from pubtool.i18n import SourceMessage
from pubtool.localize import Fallback, Localizer
from pubtool.manuscript import MarkdownReader, chapter_paths
from pubtool.model import (
    Book,
    Chapter,
    Metadata,
    book_texts,
    footnotes_at_calls,
    image_places,
)
from pubtool.writers.epub import write_epub


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line asks of a build."""

    project: Path
    lang: str | None = None
    output: Path | None = None
    strict: bool = False


@dataclass(frozen=True, slots=True)
class Sources:
    """Everything read from a project: the book in its source language, and how to read more."""

    book: Book
    reader: MarkdownReader
    subjects: list[subjects.Subject]


@dataclass(frozen=True, slots=True)
class PdfOptions:
    """What the command line asks of a print edition."""

    project: Path
    lang: str | None = None
    output: Path | None = None
    strict: bool = False
    variant: str = "pdf/ua-1"
    booklet: bool = False
    imposition: impose.Imposition = field(default_factory=impose.Imposition)


@dataclass(frozen=True, slots=True)
class Edition:
    """A book made ready for one language: localized, linked, language-tagged."""

    book: Book
    lang: str
    translations: Translations | None


def build_epub(options: Options, report: Report) -> Path:
    """Build one EPUB edition and return where it was written."""
    edition = prepare_edition(options.project, options.lang, report)
    report.stop_if_failed(strict=options.strict)
    book, lang = edition.book, edition.lang
    pages = _current_print_pages(edition)
    rendition = render.render_book(book, lang, edition.translations, report, pages)
    drawings = None if options.output else book.root / "build"  # -o: nothing in build/
    cover_png = raster.cover_png(rendition.cover_svg, drawings)
    target = options.output or book.root / "build" / f"{book.metadata.slug}-{lang}.epub"
    write_atomically(target, lambda tmp: write_epub(rendition, cover_png, tmp))
    return target


def build_pdf(options: PdfOptions, report: Report) -> list[Path]:
    """Build the print edition (and its booklet); return the files written."""
    edition = prepare_edition(options.project, options.lang, report)
    report.stop_if_failed()
    book, lang = edition.book, edition.lang
    chosen = fonts.choose(lang, book.metadata.fonts)
    fonts.check_coverage(chosen, book_texts(book), report)
    report.stop_if_failed(strict=options.strict)
    document = _print_document(edition, chosen, None if options.output else book.root / "build")
    target = options.output or book.root / "build" / f"{book.metadata.slug}-{lang}.pdf"
    starts = _write_pdf(document, target, book, options.variant, options.strict, report)
    if options.output is None:
        key = _print_key(document, chosen)
        pagelist.save(pagelist.path(book.root, lang), key, target.name, starts)
    written = [target]
    if options.booklet:
        booklet = target.with_name(f"{target.stem}-booklet.pdf")
        write_atomically(booklet, lambda tmp: impose.write_booklet(target, tmp, options.imposition))
        written.append(booklet)
    return written


def _print_document(
    edition: Edition, chosen: fonts.FontSet, drawings: Path | None
) -> render.PrintDocument:
    book = edition.book
    svg_images = {
        image.source: raster.svg_as_png_uri(image.source, cache=drawings)
        for image in render.book_images(book)
        if image.source.suffix.lower() == ".svg"
    }
    return render.render_print(
        footnotes_at_calls(book),
        edition.lang,
        edition.translations,
        chosen.as_css(),
        book.metadata.page_size,
        svg_images,
    )


def _write_pdf(
    document: render.PrintDocument,
    target: Path,
    book: Book,
    variant: str,
    strict: bool,
    report: Report,
) -> list[pagelist.PageStart]:
    # WeasyPrint takes half a second to import: only commands that make a PDF pay for it.
    from pubtool.writers import pdf

    starts: list[pagelist.PageStart] = []

    def write(tmp: Path) -> None:
        starts.extend(pdf.write_pdf(document, tmp, book.root, variant, image_places(book), report))
        report.stop_if_failed(strict=strict)  # leaves the last good PDF in place

    write_atomically(target, write)
    return starts


def _print_key(document: render.PrintDocument, chosen: fonts.FontSet) -> str:
    """What the print edition's layout depends on: its document, stylesheet and fonts."""
    return cache.content_key(document.html, document.css, repr(sorted(chosen.files.items())))


def _current_print_pages(edition: Edition) -> pagelist.PrintPages | None:
    """The page starts of the print edition, if it was made from this very text."""
    book = edition.book
    chosen = fonts.choose(edition.lang, book.metadata.fonts)
    key = _print_key(_print_document(edition, chosen, book.root / "build"), chosen)
    found = pagelist.load(pagelist.path(book.root, edition.lang), key)
    return _print_pages(book, *found) if found else None


def _print_pages(
    book: Book, pdf_name: str, starts: list[pagelist.PageStart]
) -> pagelist.PrintPages:
    meta = book.metadata
    source = f"{meta.identifier}: the print edition ({meta.page_size}, {pdf_name})"
    return pagelist.PrintPages(source, tuple(starts))


def prepare_edition(
    project: Path,
    lang: str | None,
    report: Report,
    *,
    write_mo: bool = True,
    fallbacks: list[Fallback] | None = None,
) -> Edition:
    """Read every source, then make the book of the edition's language.

    ``write_mo`` false writes no compiled catalog (the preview writes nothing);
    ``fallbacks``, if given, receives each block left in the source language.
    """
    sources = read_sources(project, report)
    report.stop_if_failed()
    book = sources.book
    language = edition_language(book.metadata, lang)
    translations: Translations | None = None
    if language != book.metadata.language:
        translations = catalogs.load(book.root, language, report, write_mo=write_mo)
        report.stop_if_failed()
        localizer = Localizer(book, translations, sources.reader, report, fallbacks)
        book = localizer.book_in_language(sources.subjects)
    book = glossary.link_references(book, hanzi_labels=langtag.is_chinese(language))
    book = langtag.tag_foreign_runs(book, language)
    return Edition(book, language, translations)


def read_sources(root: Path, report: Report) -> Sources:
    """Read book.yaml, every chapter and the glossary, and check the term references.

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
    book = Book(root, metadata, tuple(chapters), terms, _modified(metadata.date, root, paths))
    glossary.check_terms(book, report)
    subject_list = subjects.resolve(
        metadata.subjects, Location(book_yaml_path(root), metadata.line_of("subjects")), report
    )
    return Sources(book, reader, subject_list)


def read_book(root: Path, report: Report) -> Book:
    """The book of ``root`` in its source language, with its references linked."""
    book = read_sources(root, report).book
    return glossary.link_references(book, hanzi_labels=langtag.is_chinese(book.metadata.language))


def edition_language(metadata: Metadata, lang: str | None) -> str:
    """The language asked for, which must be the source language or one of ``languages``."""
    if lang is None:
        return metadata.language
    if lang not in metadata.editions:
        raise PubtoolError(
            f"{lang!r} is not a language of this book (languages: {', '.join(metadata.editions)})",
            hint="add it to `languages` in manuscript/book.yaml, then run `pubtool i18n update`",
        )
    return lang


def edition_languages(metadata: Metadata, lang: str | None) -> list[str]:
    """Every language of the book for ``None`` or "all", else the one asked for."""
    if lang in (None, "all"):
        return list(metadata.editions)
    return [edition_language(metadata, lang)]


# ---------------------------------------------------------------- building everything


@dataclass(frozen=True, slots=True)
class Built:
    """What building one language's editions did: files written, left, diagnostics, keys."""

    lang: str
    written: list[Path]
    unchanged: list[Path]
    diagnostics: list[Diagnostic]
    keys: dict[str, str]


@dataclass(frozen=True, slots=True)
class Step:
    """A step of building one language's editions, for the progress display."""

    lang: str
    output: str  # "sources", "PDF", "booklet", "EPUB"
    state: str  # "working", "written", "unchanged", "failed"
    seconds: float = 0.0

    def __str__(self) -> str:
        timing = f" ({self.seconds:.1f} s)" if self.state in {"written", "failed"} else ""
        return f"{self.lang}: {self.output} {self.state}{timing}"


class _Steps:
    """Sends the steps of a build to the parent process (or nowhere)."""

    def __init__(self, lang: str, queue: Queue[Step] | None) -> None:
        self.lang, self.queue = lang, queue
        self.output, self.started = "sources", time.perf_counter()

    def begin(self, output: str) -> None:
        self.output, self.started = output, time.perf_counter()
        self._put("working")

    def end(self, state: str) -> None:
        self._put(state)

    def _put(self, state: str) -> None:
        if self.queue is not None:
            seconds = time.perf_counter() - self.started
            self.queue.put(Step(self.lang, self.output, state, seconds))


def build_language(
    project: Path,
    lang: str,
    strict: bool,
    keys: dict[str, str],
    queue: Queue[Step] | None = None,
) -> Built:
    """Build the EPUB, PDF and booklet of ``lang``, skipping those whose input is unchanged.

    Runs in a process of its own, one per language: it returns rather than prints, and
    puts its steps on ``queue``.
    """
    report = Report()
    written: list[Path] = []
    unchanged: list[Path] = []
    new_keys: dict[str, str] = {}
    steps = _Steps(lang, queue)
    try:
        steps.begin("sources")
        edition = prepare_edition(project, lang, report)
        report.stop_if_failed(strict=strict)
        book = edition.book
        base = book.root / "build" / f"{book.metadata.slug}-{lang}"
        chosen = fonts.choose(lang, book.metadata.fonts)
        document = _print_document(edition, chosen, book.root / "build")
        steps.end("written")
        # The PDF first: the EPUB's page list comes from its layout.
        steps.begin("PDF")
        pdf_file = base.with_suffix(".pdf")
        booklet = base.with_name(base.name + "-booklet.pdf")
        key = _print_key(document, chosen)
        new_keys[str(pdf_file)] = key
        pages_file = pagelist.path(book.root, lang)
        printed = pagelist.load(pages_file, key)
        if (
            keys.get(str(pdf_file)) == key
            and pdf_file.exists()
            and booklet.exists()
            and printed is not None
        ):
            unchanged += [pdf_file, booklet]
            steps.end("unchanged")
            steps.begin("booklet")
            steps.end("unchanged")
        else:
            fonts.check_coverage(chosen, book_texts(book), report)
            report.stop_if_failed(strict=strict)
            starts = _write_pdf(document, pdf_file, book, "pdf/ua-1", strict, report)
            pagelist.save(pages_file, key, pdf_file.name, starts)
            printed = (pdf_file.name, starts)
            written.append(pdf_file)
            steps.end("written")
            steps.begin("booklet")
            write_atomically(
                booklet, lambda tmp: impose.write_booklet(pdf_file, tmp, impose.Imposition())
            )
            written.append(booklet)
            steps.end("written")
        steps.begin("EPUB")
        pages = _print_pages(book, *printed)
        rendition = render.render_book(book, lang, edition.translations, report, pages)
        epub = base.with_suffix(".epub")
        key = cache.content_key(
            *(d.content for d in rendition.documents),
            rendition.stylesheet,
            rendition.cover_svg,
            *(r.source.read_bytes() for r in rendition.resources),
            rendition.accessibility_summary,
            repr(rendition.metadata),
            str(rendition.modified),
            rendition.page_source,
        )
        new_keys[str(epub)] = key
        if keys.get(str(epub)) == key and epub.exists():
            unchanged.append(epub)
            steps.end("unchanged")
        else:
            cover_png = raster.cover_png(rendition.cover_svg, book.root / "build")
            write_atomically(epub, lambda tmp: write_epub(rendition, cover_png, tmp))
            written.append(epub)
            steps.end("written")
    except PubtoolError as exc:
        steps.end("failed")
        if not isinstance(exc, BuildFailed):
            report.diagnostics.append(exc.diagnostic)
        return Built(lang, written, unchanged, report.diagnostics, {})
    return Built(lang, written, unchanged, report.diagnostics, new_keys)


def build_all(
    project: Path, lang: str | None, strict: bool, on_step: Callable[[Step], None]
) -> list[Built]:
    """Every edition of every language (or of one), in parallel processes, cached.

    ``on_step`` hears each step of each language as it happens.
    """
    root = project.absolute()
    metadata = load_metadata(root, Report())
    if metadata is None:
        report = Report()
        load_metadata(root, report)
        raise BuildFailed(report)
    languages = edition_languages(metadata, lang)
    keys = cache.load(root)
    results: list[Built] = []
    workers = min(len(languages), os.cpu_count() or 1)
    with multiprocessing.Manager() as manager, ProcessPoolExecutor(max_workers=workers) as pool:
        queue: Queue[Step] = manager.Queue()
        pending = {
            pool.submit(build_language, root, language, strict, keys, queue)
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
        if all(b.keys for b in results if b.lang == language):
            keys[f"quick:{language}"] = cache.quick_key(
                root, language, language == metadata.language
            )
    cache.save(root, keys)
    return sorted(results, key=lambda b: languages.index(b.lang))


# ---------------------------------------------------------------- checking


def check(
    project: Path,
    lang: str | None,
    report: Report,
    *,
    reproducible: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> list[Path]:
    """Build every edition, then check each one and the sources; return the files built.

    The independent checks (EPUBCheck takes seconds for each EPUB) run side by side.
    """
    sources = read_sources(project, report)
    report.stop_if_failed()
    book = sources.book
    languages = edition_languages(book.metadata, lang)
    built: list[tuple[str, Path, Path, Edition]] = []

    def finished(step: Step) -> None:
        if step.state != "working":
            progress(str(step))

    results = build_all(project, lang, False, finished)  # only what is stale
    report.diagnostics.extend(d for result in results for d in result.diagnostics)
    report.stop_if_failed()
    for result in results:
        files = [*result.written, *result.unchanged]
        epub = next(p for p in files if p.suffix == ".epub")
        pdf_file = next(p for p in files if p.suffix == ".pdf" and "-booklet" not in p.name)
        edition = prepare_edition(project, result.lang, Report())
        built.append((result.lang, epub, pdf_file, edition))
    tasks: list[tuple[str, Callable[[Report], None]]] = [
        ("glossary", lambda r: checks.glossary(book, r)),
        ("structure", lambda r: checks.structure(book, r)),
    ]
    for language, epub, pdf_file, edition in built:
        chinese = langtag.is_chinese(language)
        tasks += [
            (f"EPUBCheck {language}", lambda r, e=epub, b=edition.book: checks.epubcheck(e, b, r)),
            (f"Ace {language}", lambda r, e=epub, b=edition.book: checks.ace(e, b, r)),
            (f"links {language}", lambda r, e=epub: checks.epub_package(e, r)),
            (
                f"PDF {language}",
                lambda r, p=pdf_file, b=edition.book, c=chinese: checks.pdf(p, b, c, r),
            ),
        ]
        if edition.translations is not None:
            tasks.append(
                (
                    f"translations {language}",
                    lambda r, lg=language: _check_translations(sources, lg, r),
                )
            )
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        running = {}
        for name, task in tasks:
            own = Report()
            running[pool.submit(task, own)] = (name, own)
        progress("checking: " + ", ".join(name for name, _ in tasks))
        for future in as_completed(running):
            name, own = running[future]
            future.result()
            report.diagnostics.extend(own.diagnostics)
            progress(f"done: {name}")
    if reproducible:
        progress("building every edition twice to compare the bytes")
        _check_reproducible(project, languages, report)
    return [path for _, epub, pdf_file, _ in built for path in (epub, pdf_file)]


def _check_translations(sources: Sources, lang: str, report: Report) -> None:
    book = sources.book
    translations = catalogs.load(book.root, lang, report, write_mo=False)
    stats = catalogs.statistics(translations, _messages(sources))
    total = sum(s.total for s in stats)
    done = sum(s.translated for s in stats)
    percent = 100.0 * done / total if total else 100.0
    threshold = book.metadata.min_translated
    where = Location(book_yaml_path(book.root), book.metadata.line_of("min_translated"))
    if percent < threshold:
        report.error(
            "I18N001",
            f"{lang!r} is {percent:.1f}% translated, below {threshold:g}%",
            where,
            f"`pubtool i18n stats --lang {lang}` shows what is left",
        )
    for row in stats:
        if row.fuzzy:
            report.warning(
                "I18N002",
                f"{row.fuzzy} fuzzy entr{'y' if row.fuzzy == 1 else 'ies'} in {row.domain}",
                Location(catalogs.po_path(book.root, lang, row.domain)),
                "review them and remove the fuzzy flag",
            )


def _check_reproducible(project: Path, languages: list[str], report: Report) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        outputs: list[list[Path]] = []
        for run in ("first", "second"):
            files = []
            for language in languages:
                folder = Path(scratch) / run
                files.append(
                    build_epub(Options(project, language, folder / f"{language}.epub"), Report())
                )
                files += build_pdf(
                    PdfOptions(project, language, folder / f"{language}.pdf", booklet=True),
                    Report(),
                )
            outputs.append(files)
        for first, second in zip(*outputs, strict=True):
            if first.read_bytes() != second.read_bytes():
                report.error(
                    "REPRO001",
                    f"two builds of {first.name} differ",
                    None,
                    "something in the build depends on the time or the machine",
                )


# ---------------------------------------------------------------- translation workflow


def _messages(sources: Sources) -> dict[str, list[SourceMessage]]:
    book = sources.book
    where = ("manuscript/book.yaml", book.metadata.line_of("subjects"))
    subject_messages = [
        SourceMessage(msgid, (where,), "subject; %(place)s is a country or territory", True)
        if "%(place)s" in msgid
        else SourceMessage(msgid, (where,), "subject")
        for msgid in dict.fromkeys(s.msgid for s in sources.subjects)
    ]
    return catalogs.book_messages(book, render.template_messages(book.root), subject_messages)


def _translated_languages(metadata: Metadata, lang: str | None) -> list[str]:
    """The languages with catalogs: all of them for ``None``, else the one asked for."""
    if lang is None:
        return list(metadata.languages)
    edition_language(metadata, lang)
    if lang == metadata.language:
        raise UsageError(
            f"{lang!r} is the source language: it has no catalog",
            hint=f"the book's other languages: {', '.join(metadata.languages) or 'none'}",
        )
    return [lang]


def extract(project: Path, report: Report) -> list[Path]:
    """Write ``locales/<domain>.pot`` for every domain; return the files that changed."""
    sources = read_sources(project, report)
    report.stop_if_failed()
    return catalogs.extract(sources.book.root, _messages(sources), sources.book.modified)


def update(project: Path, lang: str | None, report: Report) -> list[Path]:
    """Refresh the templates, then create or merge the catalogs of each language."""
    sources = read_sources(project, report)
    report.stop_if_failed()
    book = sources.book
    messages = _messages(sources)
    changed = catalogs.extract(book.root, messages, book.modified)
    for language in _translated_languages(book.metadata, lang):
        changed += catalogs.update(book.root, language, messages, book.modified)
    return changed


def statistics(project: Path, lang: str | None, report: Report) -> dict[str, list[catalogs.Stats]]:
    """Per language and domain: translated, fuzzy and untranslated messages."""
    sources = read_sources(project, report)
    report.stop_if_failed()
    messages = _messages(sources)
    return {
        language: catalogs.statistics(
            catalogs.load(sources.book.root, language, report, write_mo=False), messages
        )
        for language in _translated_languages(sources.book.metadata, lang)
    }


def compile_catalogs(project: Path, lang: str | None, report: Report) -> list[Path]:
    """Write the ``.mo`` file of every catalog; return those that changed."""
    root = project.absolute()
    metadata = load_metadata(root, report)
    report.stop_if_failed()
    assert metadata is not None
    changed = []
    for language in _translated_languages(metadata, lang):
        changed += catalogs.compile_all(root, language, report)
    report.stop_if_failed()
    return changed


# ---------------------------------------------------------------- helpers


def _modified(date: dt.date | None, root: Path, paths: list[Path]) -> dt.datetime:
    """The editions' date, the same from build to build and machine to machine.

    SOURCE_DATE_EPOCH when set, else the book's ``date``, else the last commit of the
    manuscript, else (outside version control) the newest chapter.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit() and date is not None:
        return dt.datetime(date.year, date.month, date.day)
    if not epoch.isdigit() and shutil.which("git"):
        epoch = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "manuscript"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    if not epoch.isdigit():
        epoch = str(int(max((p.stat().st_mtime for p in paths), default=0.0)))
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``target``, then rename it into place.

    If anything fails, the previous ``target`` is left as it was.
    """
    try:
        tmp = files.temporary_beside(target)
    except OSError as exc:
        raise PubtoolError(
            f"cannot write {target}: {exc.strerror}",
            hint=f"check that {target.parent} is a folder you may write to, or use -o PATH",
        ) from exc
    try:
        write(tmp)
        files.put_in_place(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
