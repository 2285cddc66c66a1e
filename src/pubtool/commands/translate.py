"""``pubtool i18n``: the catalogs of a book's languages, from its sources.

``extract`` writes the templates (``locales/<domain>.pot``), ``update`` merges them
into each language's catalogs, ``stats`` counts what is translated, ``compile`` writes
the ``.mo`` files. The catalog work itself is :mod:`pubtool.catalogs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pubtool import catalogs, convert, qa
from pubtool.config import load_metadata
from pubtool.errors import Report, UsageError
from pubtool.model import Derivation, Metadata
from pubtool.pipeline import book_messages, edition_language, edition_translations, read_sources
from pubtool.project import Project


def translated_languages(metadata: Metadata, lang: str | None) -> list[str]:
    """The languages with catalogs: all of them for ``None``, else the one asked for."""
    if lang is None:
        return list(metadata.languages)
    found = edition_language(metadata, lang)
    if found == metadata.language:
        raise UsageError(
            f"{lang!r} is the source language: it has no catalog",
            hint=f"the book's other languages: {', '.join(metadata.languages) or 'none'}",
        )
    return [found]


def extract(project: Project, report: Report) -> list[Path]:
    """Write ``locales/<domain>.pot`` for every domain; return the files that changed."""
    source = read_sources(project, report)
    report.stop_if_failed()
    return catalogs.extract(project, book_messages(source), source.book.modified)


def update(
    project: Project, lang: str | None, report: Report, compendia: Sequence[Path] = ()
) -> list[Path]:
    """Refresh the templates, then create or merge the catalogs of each language.

    A derived edition gets catalogs only when asked by name (``--lang``): its text comes
    from the edition it is made from, and its catalogs only hold what overrides that.
    """
    source = read_sources(project, report)
    report.stop_if_failed()
    book = source.book
    messages = book_messages(source)
    changed = catalogs.extract(project, messages, book.modified)
    for language in translated_languages(book.metadata, lang):
        derived = book.metadata.derivation(language) is not None
        if derived and lang is None and not project.catalogs(language):
            continue
        changed += catalogs.update(project, language, messages, book.modified, report, compendia)
    return changed


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of one language is translated, per domain; for a derived edition, the
    edition it is made from, by which conversion, and how many messages its own
    catalogs override."""

    rows: list[catalogs.Stats]
    derivation: Derivation | None = None
    overridden: int = 0


def statistics(project: Project, lang: str | None, report: Report) -> dict[str, Coverage]:
    """Per language and domain: translated, fuzzy and untranslated messages. A derived
    edition counts what it shows: its parent's translations, converted, and its own."""
    source = read_sources(project, report)
    report.stop_if_failed()
    messages = book_messages(source)
    out = {}
    for language in translated_languages(source.book.metadata, lang):
        derivation = source.book.metadata.derivation(language)
        if derivation is None:
            own = catalogs.load(project, language, report, write_mo=False)
            out[language] = Coverage(catalogs.statistics(own, messages))
            continue
        own = catalogs.load(project, language, report, write_mo=False, required=False)
        made = edition_translations(source, language, report, write_mo=False)
        out[language] = Coverage(
            catalogs.statistics(made, messages), derivation, convert.overridden(own, made)
        )
    return out


def check(project: Project, lang: str | None, report: Report) -> list[qa.Finding]:
    """What translation QA finds in each language's own catalogs (a derived edition's:
    its overrides), each finding also in ``report``."""
    source = read_sources(project, report)
    report.stop_if_failed()
    findings: list[qa.Finding] = []
    for language in translated_languages(source.book.metadata, lang):
        derived = source.book.metadata.derivation(language) is not None
        own = catalogs.load(project, language, report, write_mo=False, required=not derived)
        findings += qa.check_language(source.book, own)
    qa.report_findings(findings, report)
    return findings


def compile_catalogs(project: Project, lang: str | None, report: Report) -> list[Path]:
    """Write the ``.mo`` file of every catalog; return those that changed."""
    metadata = load_metadata(project, report)
    report.stop_if_failed()
    assert metadata is not None  # else the report has an error
    changed = []
    for language in translated_languages(metadata, lang):
        changed += catalogs.compile_all(project, language, report)
    report.stop_if_failed()
    return changed
