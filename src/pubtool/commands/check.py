"""``pubtool check``: build every edition, run every check on it and on the sources, and
gather the findings in one report.

The checks of a finished edition are a list (:data:`EDITION_CHECKS`), each naming the
output format it reads; the independent checks run side by side (EPUBCheck takes
seconds for each EPUB). ``--reproducible`` builds every format twice and compares.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from pathlib import Path

from pubtool import catalogs, checks, qa
from pubtool.commands.build import Step, build_all
from pubtool.errors import Location, Report
from pubtool.formats import FORMATS, FormatName, Job
from pubtool.model import Book
from pubtool.pipeline import (
    SourceBook,
    book_messages,
    edition_languages,
    prepare_edition,
    read_sources,
    write_editions,
)
from pubtool.project import Project

EditionCheck = Callable[[Path, Book, Report], None]


#: The checks of a finished edition: a name (with the language, in the progress line),
#: the output format it reads, and the check.
EDITION_CHECKS: tuple[tuple[str, FormatName, EditionCheck], ...] = (
    ("EPUBCheck", "EPUB", checks.epubcheck),
    ("Ace", "EPUB", checks.ace),
    ("links", "EPUB", checks.epub_package),
    ("PDF", "PDF", checks.pdf),
    ("index", "PDF", checks.pdf_index),
)

#: The checks of the sources, once for the book.
BOOK_CHECKS: tuple[tuple[str, Callable[[Book, Report], None]], ...] = (
    ("glossary", checks.glossary),
    ("structure", checks.structure),
)


def check(
    project: Project,
    lang: str | None,
    report: Report,
    *,
    reproducible: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> list[Path]:
    """Build every edition, then check each one and the sources; return the files checked."""
    source = read_sources(project, report)
    report.stop_if_failed()
    book = source.book
    languages = edition_languages(book.metadata, lang)

    def finished(step: Step) -> None:
        if step.state != "working":
            progress(str(step))

    results = build_all(project, lang, False, finished)  # only what is stale
    report.diagnostics.extend(d for result in results for d in result.diagnostics)
    report.stop_if_failed()
    tasks: list[tuple[str, Callable[[Report], None]]] = [
        (name, partial(run, book)) for name, run in BOOK_CHECKS
    ]
    checked: dict[Path, None] = {}
    for result in results:
        edition = prepare_edition(project, result.lang, Report())
        for name, fmt, run in EDITION_CHECKS:
            output = result.outputs[fmt]
            tasks.append((f"{name} {result.lang}", partial(run, output, edition.book)))
            checked[output] = None
        if edition.translations is not None:
            tasks.append(
                (f"translations {result.lang}", partial(_check_translations, source, result.lang))
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
    return list(checked)


def _check_translations(source: SourceBook, lang: str, report: Report) -> None:
    book = source.book
    project = book.project
    derived = book.metadata.derivation(lang) is not None
    translations = catalogs.load(project, lang, report, write_mo=False, required=not derived)
    qa.report_findings(qa.check_language(book, translations), report)  # i18n check's
    stats = catalogs.statistics(translations, book_messages(source))
    if derived:  # its text is its parent's (checked there); its catalogs only override
        stats = [row for row in stats if row.domain in translations.catalogs]
    total = sum(s.total for s in stats)
    done = sum(s.translated for s in stats)
    percent = 100.0 * done / total if total else 100.0
    threshold = book.metadata.min_translated
    where = Location(project.book_yaml, book.metadata.line_of("min_translated"))
    if percent < threshold and not derived:
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
                Location(project.catalog(lang, row.domain)),
                "review them and remove the fuzzy flag",
            )


def _check_reproducible(project: Project, languages: list[str], report: Report) -> None:
    """Build every format of every language twice, outside build/, and compare the bytes."""
    with tempfile.TemporaryDirectory() as scratch:
        outputs: list[list[Path]] = []
        for run in ("first", "second"):
            folder = Path(scratch) / run
            made: list[Path] = []
            for language in languages:
                edition = prepare_edition(project, language, Report())
                job = Job(edition, project, Report(), own_build=False)
                targets = {fmt.name: folder / f"{language}{fmt.suffix}" for fmt in FORMATS}
                made += write_editions(job, FORMATS, targets).written
            outputs.append(made)
        for first, second in zip(*outputs, strict=True):
            if first.read_bytes() != second.read_bytes():
                report.error(
                    "REPRO001",
                    f"two builds of {first.name} differ",
                    None,
                    "something in the build depends on the time or the machine",
                )
