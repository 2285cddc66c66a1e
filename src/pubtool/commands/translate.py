"""``pubtool i18n``: the catalogs of a book's languages, from its sources.

``extract`` writes the templates (``locales/<domain>.pot``), ``update`` merges them
into each language's catalogs, ``stats`` counts what is translated, ``compile`` writes
the ``.mo`` files, ``check`` runs translation QA (:mod:`pubtool.qa`), ``export`` and
``import`` exchange the catalogs with CAT tools as TMX or XLIFF
(:mod:`pubtool.exchange`). The catalog work itself is :mod:`pubtool.catalogs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pubtool import catalogs, convert, files, i18n, languages, qa
from pubtool.config import load_metadata
from pubtool.errors import Location, Report, UsageError
from pubtool.model import Derivation, Metadata
from pubtool.pipeline import book_messages, edition_language, edition_translations, read_sources
from pubtool.project import Project

if TYPE_CHECKING:  # translate-toolkit is imported only by the commands that exchange
    from pubtool.exchange import Format


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
        memory = _compendia(compendia, language, report) if compendia else []
        changed += catalogs.update(project, language, messages, book.modified, report, memory)
    return changed


def _compendia(paths: Sequence[Path], lang: str, report: Report) -> list[i18n.PoFile]:
    """Other books' translations into ``lang``: PO catalogs, or TMX memories (their
    units in ``lang``; a memory without that language is said to be of no use)."""
    from pubtool import exchange  # translate-toolkit: only when there are compendia

    found = []
    for path in paths:
        if exchange.format_of(path) != "tmx":
            po = i18n.read_po_file(path, lang, report)
            found += [po] if po is not None else []
            continue
        memory = exchange.read(path, "tmx", lambda tag: languages.same_language(tag, lang))
        if not memory.target_lang:
            report.warning(
                "compendium-language",
                f"the memory has no translations into {lang!r}",
                Location(path),
                "export it from the CAT tool with this language as a target",
            )
        found.append(i18n.PoFile(path, tuple(entry for _, entry in memory.entries)))
    return found


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


def _one_language(metadata: Metadata, lang: str | None) -> str:
    found = translated_languages(metadata, lang)
    if len(found) != 1:
        raise UsageError(
            "an exchange file holds one language: choose it with --lang",
            hint=f"the book's languages: {', '.join(found) or 'none'}",
        )
    return found[0]


def export(
    project: Project, lang: str | None, form: Format, output: Path, report: Report
) -> list[Path]:
    """Write one language's catalogs to ``output`` as TMX or XLIFF 2.0."""
    from pubtool import exchange

    metadata = load_metadata(project, report)
    report.stop_if_failed()
    assert metadata is not None  # else the report has an error
    language = _one_language(metadata, lang)
    own = catalogs.load(project, language, report, write_mo=False)
    report.stop_if_failed()
    data = exchange.export_bytes(
        own.catalogs,
        form,
        languages.profile(metadata.language).declared,
        languages.profile(language).declared,
    )
    return [output] if catalogs.write_if_changed(output, data) else []


def import_file(project: Project, path: Path, lang: str | None, report: Report) -> list[Path]:
    """Write the translations of a TMX or XLIFF file into the catalogs of its language;
    return the catalogs that changed. A unit the catalogs do not have is a warning at
    its line of the file."""
    from pubtool import exchange

    form = exchange.format_of(path)
    if form is None:
        raise UsageError(
            f"{path.name}: not a TMX (.tmx) or XLIFF (.xlf, .xliff) file",
            hint="export from the CAT tool as TMX 1.4b or XLIFF 2.0",
        )
    metadata = load_metadata(project, report)
    report.stop_if_failed()
    assert metadata is not None  # else the report has an error
    wanted = [lang] if lang else list(metadata.languages)
    exchanged = exchange.read(
        path, form, lambda tag: any(languages.same_language(tag, w) for w in wanted)
    )
    matching = [t for t in metadata.languages if languages.same_language(t, exchanged.target_lang)]
    if lang is not None:
        language = _one_language(metadata, lang)
    elif len(matching) == 1:
        language = matching[0]
    else:
        raise UsageError(
            f"{path.name}: its language {exchanged.target_lang or '(none)'!r} is not one of "
            f"the book's",
            hint=f"name it with --lang (the book's languages: {', '.join(metadata.languages)})",
        )
    by_domain: dict[str, list[i18n.Entry]] = {}
    for domain, entry in exchanged.entries:
        by_domain.setdefault(domain, []).append(entry)
    changed = []
    for domain, entries in by_domain.items():
        catalog = project.catalog(language, domain)
        if not catalog.exists():
            report.warning(
                "exchange-domain",
                f"no catalog {domain!r} in {language!r}: its {len(entries)} unit(s) are left out",
                Location(path, entries[0].line),
                "run `pubtool i18n update` first, or check the file's catalog names",
            )
            continue
        data, unknown = i18n.imported_po_bytes(catalog.read_bytes(), language, domain, entries)
        for entry in unknown:
            report.warning(
                "exchange-unknown",
                f"{entry.msgid[:50]!r} is not in the catalog {domain!r} (the source changed?)",
                Location(path, entry.line),
                "run `pubtool i18n update`, then export again and carry the translation over",
            )
        if data is not None:
            files.write_bytes(catalog, data)
            changed.append(catalog)
    return changed
