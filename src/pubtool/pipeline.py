"""The spine of pubtool: read and check every source, make the edition's book, write it.

    read_sources      book.yaml, chapters, glossary, term references, subjects -> SourceBook
    prepare_edition   the source book through the passes of PASSES -> Edition
    write_editions    an Edition in each output format of formats.FORMATS -> files

Everything is gathered and checked before anything is written, and every output is
written to a temporary file that replaces the old one only once it is complete.
``pubtool epub`` and ``pubtool pdf`` are :func:`build_epub` and :func:`build_pdf`; the
commands that do more (``build``, ``check``, ``i18n``, ``serve``) call these same steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pubtool import (
    bookindex,
    catalogs,
    citations,
    convert,
    glossary,
    highlight,
    i18n,
    impose,
    langtag,
    languages,
    localize,
    render,
    structure,
    subjects,
    vertical,
    xref,
)
from pubtool.catalogs import Translations
from pubtool.config import load_metadata
from pubtool.errors import BuildFailed, Location, PubtoolError, Report
from pubtool.files import write_atomically
from pubtool.formats import (
    BOOKLET,
    COVER,
    EPUB,
    PDF,
    Edition,
    Format,
    FormatName,
    Job,
    Plan,
    booklet_beside,
    cover_beside,
    default_target,
)
from pubtool.i18n import SourceMessage
from pubtool.localize import Fallback, Localizer
from pubtool.manuscript import MarkdownReader
from pubtool.model import Book, Chapter, Metadata, footnotes_numbered_across
from pubtool.project import Project

# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class SourceBook:
    """Everything read from a project: the book in its source language, the reader that
    parses translations with the same syntax, and the book's subjects resolved."""

    book: Book
    reader: MarkdownReader
    subjects: list[subjects.Subject]


def read_sources(project: Project, report: Report) -> SourceBook:
    """Read book.yaml, every chapter and the glossary, and check the term references.

    Every problem on the way is collected in ``report``; the caller decides when to stop.
    """
    metadata = load_metadata(project, report)
    reader = MarkdownReader(
        project.root, report, languages.find(metadata.language) if metadata else None
    )
    chapters: list[Chapter] = []
    files = structure.chapter_files(project, metadata or Metadata("", "und"), report)
    paths = [path for path, _ in files]
    for path, entry in files:
        chapter = reader.read_chapter(path)
        if chapter is not None:
            chapters.append(structure.placed(chapter, entry))
    chapters = structure.numbered(chapters)
    if metadata is not None and not paths and not report.errors:
        report.error(
            "no-chapters",
            "the book has no chapters",
            Location(project.manuscript),
            "write chapters as manuscript/01-name.md, manuscript/02-name.md, ...",
        )
    xref.check_links(tuple(chapters), reader.links, report)
    terms = glossary.load_glossary(project, reader, report)
    if metadata is None:  # reported; go on reading, to report every other problem too
        metadata = Metadata(title="", language="und")
    parts = structure.parts(metadata, project, reader.parse_inline)
    modified = project.modified(metadata.date, paths)
    book = Book(project, metadata, tuple(chapters), terms, modified, parts)
    glossary.check_terms(book, report)
    citations.check(book, report)
    subject_list = subjects.resolve(
        metadata.subjects, Location(project.book_yaml, metadata.line_of("subjects")), report
    )
    return SourceBook(book, reader, subject_list)


def read_book(project: Project, report: Report) -> Book:
    """The book of ``project`` in its source language, with its links resolved and its
    references linked."""
    book = read_sources(project, report).book
    return bookindex.anchored(glossary.link_references(xref.cross_referenced(book)))


_HISTORICAL = "subject naming a place of the past: write its name as your readers know it"


def book_messages(source: SourceBook) -> dict[str, list[SourceMessage]]:
    """Every message of the book, by domain: its chapters, metadata, glossary and subjects,
    and the words of the templates its editions use."""
    book = source.book
    project = book.project
    where = (project.shown(project.book_yaml), book.metadata.line_of("subjects"))
    subject_messages = [
        SourceMessage(msgid, (where,), "subject; %(place)s is a country or territory", True)
        if "%(place)s" in msgid
        else SourceMessage(msgid, (where,), _HISTORICAL)
        if historical
        else SourceMessage(msgid, (where,), "subject")
        for msgid, historical in dict.fromkeys((s.msgid, s.historical) for s in source.subjects)
    ]
    return catalogs.book_messages(book, render.template_messages(project), subject_messages)


def edition_language(metadata: Metadata, lang: str | None) -> str:
    """The language asked for, which must be the source language or one of ``languages``,
    as the book writes it: ``--lang ZH``, ``zh-Hans`` and ``zh-CN`` all find ``zh``."""
    if lang is None:
        return metadata.language
    wanted = i18n.canonical_tag(lang)
    exact = [tag for tag in metadata.editions if tag.lower() == wanted.lower()]
    alike = [tag for tag in metadata.editions if languages.same_language(tag, wanted)]
    found = exact or alike
    if len(found) != 1:
        raise PubtoolError(
            f"{lang!r} is not a language of this book (languages: {', '.join(metadata.editions)})",
            hint="add it to `languages` in manuscript/book.yaml, then run `pubtool i18n update`",
        )
    return found[0]


def edition_languages(metadata: Metadata, lang: str | None) -> list[str]:
    """Every language of the book for ``None`` or "all", else the one asked for."""
    if lang in (None, "all"):
        return list(metadata.editions)
    return [edition_language(metadata, lang)]


# ---------------------------------------------------------------- the edition's book


@dataclass(frozen=True, slots=True)
class EditionContext:
    """What the passes that make an edition's book need: the sources, the language and
    its catalogs, where problems go, and (for the preview) where fallbacks are kept."""

    source: SourceBook
    lang: str
    translations: Translations | None
    report: Report
    fallbacks: list[Fallback] | None = None


Pass = Callable[[Book, EditionContext], Book]


def _translate(book: Book, edition: EditionContext) -> Book:
    """Each text replaced by its translation from the catalogs (a translated edition)."""
    if edition.translations is None:
        return book
    source = edition.source
    language = languages.profile(edition.lang)
    localizer = Localizer(
        book,
        edition.translations,
        source.reader.for_language(language),
        edition.report,
        edition.fallbacks,
        terms_native=languages.terms_native(language),
    )
    return localizer.book_in_language(source.subjects)


def _convert(book: Book, edition: EditionContext) -> Book:
    """A derived edition's glossary hanzi and names in its own script (its text was
    converted as it was translated)."""
    derivation = book.metadata.derivation(edition.lang)
    if derivation is None:
        return book
    return convert.convert_book(book, derivation, edition.report)


def _cite(book: Book, edition: EditionContext) -> Book:
    """Citations set by the book's CSL style in the edition's language, linked to the
    reference list, which is filled."""
    return citations.cite(book, edition.lang, edition.report)


def _number_notes(book: Book, edition: EditionContext) -> Book:
    """Footnotes numbered across the book, if book.yaml asks for it (else from 1 in
    each chapter, as they are read)."""
    return footnotes_numbered_across(book)


def _resolve(book: Book, edition: EditionContext) -> Book:
    """Each link into the book pointed at the anchor of the id it names; each captioned
    figure numbered in its chapter (3.2)."""
    return xref.cross_referenced(book)


def _link(book: Book, edition: EditionContext) -> Book:
    """Anchors for term references, index marks and footnote calls; each term's uses."""
    return bookindex.anchored(glossary.link_references(book))


def _index(book: Book, edition: EditionContext) -> Book:
    """The back-of-book index: every mark and term use filed, sorted as the edition's
    language sorts."""
    groups = bookindex.build(
        book, edition.lang, edition.report, source=edition.translations is None
    )
    return replace(book, index=groups)


def _highlight(book: Book, edition: EditionContext) -> Book:
    """Each code block split into lines of highlighted runs (Pygments)."""
    return highlight.highlight(book)


def _tag(book: Book, edition: EditionContext) -> Book:
    """Runs of another language marked with it (hanzi in an English edition)."""
    return langtag.tag_foreign_runs(book, edition.lang)


def _upright(book: Book, edition: EditionContext) -> Book:
    """In a book set vertically, short numbers upright in the column."""
    derivation = book.metadata.derivation(edition.lang)
    if derivation is None or derivation.layout != "vertical":
        return book
    return vertical.upright_numbers(book)


def _mark_fallbacks(book: Book, edition: EditionContext) -> Book:
    """For the preview's translator view: each text left in the source language marked."""
    if edition.fallbacks is None or edition.translations is None:
        return book
    return localize.mark_fallbacks(book, edition.fallbacks, edition.translations)


#: The passes that turn the source book into an edition's book, in order.
PASSES: tuple[tuple[str, Pass], ...] = (
    ("translate", _translate),
    ("convert script", _convert),
    ("cite", _cite),
    ("number notes", _number_notes),
    ("cross-references", _resolve),
    ("link references", _link),
    ("index", _index),
    ("tag languages", _tag),
    ("upright numbers", _upright),
    ("highlight code", _highlight),
    ("mark fallbacks", _mark_fallbacks),
)


def edition_translations(
    source: SourceBook, lang: str, report: Report, *, write_mo: bool = True
) -> Translations:
    """The catalogs of the translated edition ``lang``; for a derived edition, those of
    the edition it is made from, to be converted, under its own catalogs' entries."""
    project, meta = source.book.project, source.book.metadata
    derivation = meta.derivation(lang)
    own = catalogs.load(project, lang, report, write_mo=write_mo, required=derivation is None)
    if derivation is None:
        return own
    if derivation.source == meta.language:  # made from the source text: its messages
        return convert.derived_translations(derivation, own, None, book_messages(source))
    parent = edition_translations(source, derivation.source, report, write_mo=write_mo)
    return convert.derived_translations(derivation, own, parent, {})


def prepare_edition(
    project: Project, lang: str | None, report: Report, *, preview: bool = False
) -> Edition:
    """Read every source, then make the book of the edition's language.

    For the ``preview``, nothing is written (no compiled catalog) and every text that
    falls back to the source language is kept in the edition's ``fallbacks``.
    """
    source = read_sources(project, report)
    report.stop_if_failed()
    language = edition_language(source.book.metadata, lang)
    translations: Translations | None = None
    if language != source.book.metadata.language:
        translations = edition_translations(source, language, report, write_mo=not preview)
        report.stop_if_failed()
    context = EditionContext(source, language, translations, report, [] if preview else None)
    book = source.book
    for _name, run in PASSES:
        book = run(book, context)
    return Edition(book, language, translations, tuple(context.fallbacks or ()))


# ---------------------------------------------------------------- writing


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line asks of an EPUB edition."""

    project: Project
    lang: str | None = None
    output: Path | None = None
    strict: bool = False


@dataclass(frozen=True, slots=True)
class PdfOptions:
    """What the command line asks of a print edition."""

    project: Project
    lang: str | None = None
    output: Path | None = None
    strict: bool = False
    variant: str = "pdf/ua-1"
    booklet: bool = False
    imposition: impose.Imposition = field(default_factory=impose.Imposition)
    cover: bool = False


#: What became of an output: written, left as it was (unchanged), or not made (failed).
Outcome = Literal["written", "unchanged", "failed"]


@dataclass(slots=True)
class Written:
    """What writing an edition did: each format's output (in place, written now or left
    as it was), the files written and those left, the formats that failed, and the key
    of each output (what it was made from), for the next build to compare."""

    outputs: dict[FormatName, Path] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[FormatName] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)


def write_editions(
    job: Job,
    formats: Sequence[Format],
    targets: dict[FormatName, Path],
    *,
    known: dict[str, str] | None = None,
    on_format: Callable[[FormatName], Callable[[Outcome], None]] | None = None,
    into: Written | None = None,
    keep_going: bool = False,
) -> Written:
    """Write ``job``'s edition in each of ``formats`` (in order: a format may use what an
    earlier one wrote) to its target; record what was done in ``into`` (or a new
    :class:`Written`) as it goes, so that a failure leaves a true record.

    With ``known`` (the keys of the last build), an output whose key has not changed, and
    that is still there, is left as it is. ``on_format`` hears when each format begins,
    and returns what hears what became of it. With ``keep_going``, a format that fails
    is reported in ``job.report`` and the others are still made (but those made from it).
    """
    written = into if into is not None else Written()
    plans: dict[FormatName, Plan] = {}
    for fmt in formats:
        done = on_format(fmt.name) if on_format else None
        target = targets[fmt.name]
        lacking = [name for name in fmt.needs if name not in plans]
        if lacking:
            job.report.error(
                "format-skipped",
                f"the {fmt.name} of {job.edition.lang!r} was not made: its {lacking[0]} failed",
                None,
                "fix what stopped it (above)",
            )
            written.failed.append(fmt.name)
            if done:
                done("failed")
            continue
        try:
            plan = fmt.plan(job, target, plans)
            written.keys[str(target)] = plan.key
            unchanged = (
                known is not None
                and known.get(str(target)) == plan.key
                and plan.current
                and target.exists()
            )
            if not unchanged:
                write_atomically(target, plan.write)
                plan.finish()
        except PubtoolError as exc:
            if not keep_going:
                raise
            if not isinstance(exc, BuildFailed):  # a BuildFailed's report is the job's
                job.report.diagnostics.append(exc.diagnostic)
            written.keys.pop(str(target), None)
            written.failed.append(fmt.name)
            if done:
                done("failed")
            continue
        plans[fmt.name] = plan
        (written.unchanged if unchanged else written.written).append(target)
        written.outputs[fmt.name] = target
        if done:
            done("unchanged" if unchanged else "written")
    return written


def build_epub(options: Options, report: Report) -> Path:
    """Build one EPUB edition and return where it was written."""
    edition = prepare_edition(options.project, options.lang, report)
    report.stop_if_failed(strict=options.strict)
    job = Job(edition, options.project, report, options.strict, own_build=options.output is None)
    target = options.output or default_target(job, EPUB)
    write_editions(job, (EPUB,), {EPUB.name: target})
    return target


def build_pdf(options: PdfOptions, report: Report) -> list[Path]:
    """Build the print edition (and its booklet, and its cover); return the files written."""
    edition = prepare_edition(options.project, options.lang, report)
    report.stop_if_failed()
    job = Job(
        edition,
        options.project,
        report,
        options.strict,
        own_build=options.output is None,
        variant=options.variant,
        imposition=options.imposition,
    )
    target = options.output or default_target(job, PDF)
    formats: tuple[Format, ...] = (
        PDF,
        *((BOOKLET,) if options.booklet else ()),
        *((COVER,) if options.cover else ()),
    )
    targets: dict[FormatName, Path] = {
        PDF.name: target,
        BOOKLET.name: booklet_beside(target),
        COVER.name: cover_beside(target),
    }
    return write_editions(job, formats, targets).written
