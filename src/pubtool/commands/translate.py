"""``pubtool i18n``: the catalogs of a book's languages, from its sources.

``extract`` writes the templates (``locales/<domain>.pot``), ``update`` merges them
into each language's catalogs, ``stats`` counts what is translated, ``compile`` writes
the ``.mo`` files. The catalog work itself is :mod:`pubtool.catalogs`.
"""

from __future__ import annotations

from pathlib import Path

from pubtool import catalogs, render
from pubtool.config import load_metadata
from pubtool.errors import Report, UsageError
from pubtool.i18n import SourceMessage
from pubtool.model import Metadata
from pubtool.pipeline import SourceBook, edition_language, read_sources
from pubtool.project import Project


def book_messages(source: SourceBook) -> dict[str, list[SourceMessage]]:
    """Every message of the book, by domain: its chapters, metadata, glossary and subjects,
    and the words of the templates its editions use."""
    book = source.book
    project = book.project
    where = (project.shown(project.book_yaml), book.metadata.line_of("subjects"))
    subject_messages = [
        SourceMessage(msgid, (where,), "subject; %(place)s is a country or territory", True)
        if "%(place)s" in msgid
        else SourceMessage(msgid, (where,), "subject")
        for msgid in dict.fromkeys(s.msgid for s in source.subjects)
    ]
    return catalogs.book_messages(book, render.template_messages(project), subject_messages)


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


def update(project: Project, lang: str | None, report: Report) -> list[Path]:
    """Refresh the templates, then create or merge the catalogs of each language."""
    source = read_sources(project, report)
    report.stop_if_failed()
    book = source.book
    messages = book_messages(source)
    changed = catalogs.extract(project, messages, book.modified)
    for language in translated_languages(book.metadata, lang):
        changed += catalogs.update(project, language, messages, book.modified)
    return changed


def statistics(
    project: Project, lang: str | None, report: Report
) -> dict[str, list[catalogs.Stats]]:
    """Per language and domain: translated, fuzzy and untranslated messages."""
    source = read_sources(project, report)
    report.stop_if_failed()
    messages = book_messages(source)
    return {
        language: catalogs.statistics(
            catalogs.load(project, language, report, write_mo=False), messages
        )
        for language in translated_languages(source.book.metadata, lang)
    }


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
