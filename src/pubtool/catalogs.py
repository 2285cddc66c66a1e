"""The translation workflow: messages from a book, templates, catalogs, statistics, lookups.

Domains (one PO file each, in ``locales/<lang>/LC_MESSAGES/``):

- ``ch-<chapter>``: a chapter's title and every block of text (``ch-01-opening``);
- ``book``: the book's metadata, the glossary's terms and definitions, subject patterns;
- ``ui``: the words of the templates ("Contents", "Chapter %(n)s", ...).

Templates are ``locales/<domain>.pot``. A block's msgid is its inline Markdown as the
author wrote it, soft line breaks folded into spaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, assert_never

from pubtool import bookindex, files, i18n, languages
from pubtool.errors import Location, Report
from pubtool.i18n import Entry, PoFile, SourceMessage
from pubtool.model import (
    Bibliography,
    Block,
    BlockPlace,
    BlockQuote,
    Book,
    Chapter,
    CodeBlock,
    DefinitionList,
    Division,
    Figure,
    Heading,
    HtmlBlock,
    ListBlock,
    MathBlock,
    Paragraph,
    Table,
    ThematicBreak,
    chapter_blocks,
)
from pubtool.project import Project

BOOK_DOMAIN = "book"
UI_DOMAIN = "ui"
METADATA_KEYS = ("title", "subtitle", "publisher", "description", "rights", "accessibility_summary")

#: Where a message comes from, as a catalog's location comments write it.
Places = tuple[tuple[str, int], ...]

# ---------------------------------------------------------------- messages of a book


def book_messages(
    book: Book, ui: list[SourceMessage], subjects: list[SourceMessage]
) -> dict[str, list[SourceMessage]]:
    """Every message of the book by domain, in reading order."""
    project = book.project
    domains: dict[str, list[SourceMessage]] = {}
    for chapter in book.chapters:
        domains[chapter.id] = list(_chapter_messages(chapter, project))
    meta = book.metadata
    book_yaml = project.shown(project.book_yaml)
    items = [
        SourceMessage(getattr(meta, key), ((book_yaml, meta.line_of(key)),), f"book {key}")
        for key in METADATA_KEYS
        if getattr(meta, key)
    ]
    items += [
        SourceMessage(
            author,
            ((book_yaml, meta.line_of("authors")),),
            "book author: the name as this edition prints it (a name is often kept as written)",
        )
        for author in dict.fromkeys(meta.authors)
    ]
    items += [
        SourceMessage(part.msgid, ((book_yaml, part.location.line or 0),), "title of a part")
        for part in book.parts
    ]
    for entry in book.glossary.sorted_entries():
        where = (project.shown(entry.location.path), entry.location.line or 0)
        items.append(SourceMessage(entry.term, (where,), f"glossary term for {entry.hanzi}"))
        items.append(
            SourceMessage(entry.definition_msgid, (where,), f"glossary definition of {entry.term}")
        )
    known = {item.msgid for item in items}
    for words, at, note in bookindex.messages(book):
        if words not in known:  # a level that is also a term is translated once
            place = (project.shown(at.path), at.line or 0)
            items.append(SourceMessage(words, (place,), note))
    domains[BOOK_DOMAIN] = items + subjects
    domains[UI_DOMAIN] = ui
    return domains


def _chapter_messages(chapter: Chapter, project: Project) -> Iterable[SourceMessage]:
    path = project.shown(chapter.path)

    def at(line: int | None) -> Places:
        return ((path, line or 0),)

    if chapter.title_msgid:
        yield SourceMessage(chapter.title_msgid, at(chapter.location.line), "chapter title")
    for block, place in chapter_blocks(chapter):
        yield from _block_messages(block, place, at)


def _block_messages(
    block: Block, place: BlockPlace, at: Callable[[int | None], Places]
) -> Iterable[SourceMessage]:
    """The messages ``block`` holds itself; those of the blocks it holds come on their own."""
    where = at(block.location.line)
    match block:
        case Paragraph():
            comment = _paragraph_comment(place)
            if block.lines:
                comment = "line block (a backslash ends each line)" + (
                    "" if comment == "paragraph" else f", {comment}"
                )
            yield SourceMessage(block.msgid, where, comment)
        case Heading():
            yield SourceMessage(block.msgid, where, f"heading {block.level}")
        case Figure():
            if block.image.alt:
                yield SourceMessage(block.image.alt, where, "image alt text")
            if block.caption_msgid:
                yield SourceMessage(block.caption_msgid, where, "figure caption")
        case Table():
            for row in (*block.head, *block.body):
                for cell in row:
                    if cell.msgid:
                        yield SourceMessage(cell.msgid, where, "table cell")
            if block.caption_msgid:
                yield SourceMessage(block.caption_msgid, where, "table caption")
        case CodeBlock():
            if block.caption_msgid:
                yield SourceMessage(block.caption_msgid, where, "code listing caption")
        case Division():
            if block.title_msgid:
                yield SourceMessage(block.title_msgid, where, f"{block.admonition or 'box'} title")
        case DefinitionList():
            for item in block.items:
                yield SourceMessage(item.msgid, where, "defined term")
        case (
            BlockQuote()
            | ListBlock()
            | ThematicBreak()
            | HtmlBlock()
            | MathBlock()
            | Bibliography()
        ):
            pass  # a formula is TeX, the same in every language
        case _:
            assert_never(block)


def _paragraph_comment(place: BlockPlace) -> str:
    """What a paragraph is, for the translator: of a footnote, of the outermost quotation,
    list, admonition or definition list that holds it, or a paragraph."""
    if place.note is not None:
        return f"footnote {place.note.number}"
    if place.ancestors:
        outer = place.ancestors[0]
        if isinstance(outer, Division):
            return outer.admonition or "box"
        if isinstance(outer, DefinitionList):
            return "definition"
        return "quotation" if isinstance(outer, BlockQuote) else "list item"
    return "paragraph"


# ---------------------------------------------------------------- writing files


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it."""
    if path.exists() and path.read_bytes() == data:
        return False
    files.write_bytes(path, data)
    return True


def extract(
    project: Project, domains: dict[str, list[SourceMessage]], created: dt.datetime
) -> list[Path]:
    """Write the templates; return those that changed. Templates of gone chapters are removed."""
    changed = [
        project.catalog_template(domain)
        for domain, messages in domains.items()
        if write_if_changed(
            project.catalog_template(domain), i18n.pot_bytes(messages, domain, created)
        )
    ]
    for stale in project.catalog_templates():
        if stale.stem not in domains:
            stale.unlink()
            changed.append(stale)
    return changed


def update(
    project: Project,
    lang: str,
    domains: dict[str, list[SourceMessage]],
    created: dt.datetime,
    report: Report,
    compendia: Sequence[PoFile] = (),
) -> list[Path]:
    """Create or merge the catalogs of ``lang``; return the files that changed.

    A catalog whose chapter is gone is kept as it is: its translations are the
    translator's work, and the chapter may come back. A message left untranslated is
    looked up, as ``msgmerge -C`` does, in every catalog of the language (active and
    obsolete entries: a paragraph moved to another chapter keeps its translation, a
    renamed chapter's catalog is carried over) and in ``compendia`` (other books'
    catalogs and memories, read). A catalog written with a byte order mark is read without
    it, and written without it (with a warning).
    """
    own = [po for path in project.catalogs(lang) if (po := i18n.read_po_file(path, lang, Report()))]
    memory = i18n.memory_of([*own, *compendia])
    changed = []
    exact = close = 0
    for domain, messages in domains.items():
        path = project.catalog(lang, domain)
        existing = path.read_bytes() if path.exists() else None
        if existing is not None and existing.startswith(i18n.BOM):
            report.warning(
                "po-bom",
                "the catalog started with a byte order mark (U+FEFF): written without it",
                Location(path, 1),
                "gettext's tools refuse a BOM; set your editor to save UTF-8 without BOM",
            )
        filled: list[tuple[int, int]] = []
        data = i18n.merged_po_bytes(existing, messages, lang, domain, created, memory, filled)
        for found_exact, found_close in filled:
            exact, close = exact + found_exact, close + found_close
        if write_if_changed(path, data):
            changed.append(path)
    if exact or close:
        report.note(
            "catalog-memory",
            f"{exact} translation(s) of {lang!r} reused from other catalogs"
            + (f", and {close} close one(s) marked fuzzy" if close else ""),
            Location(project.catalog_folder(lang)),
            "review the fuzzy ones (`#|` shows the text each was made from)" if close else None,
        )
    _report_orphans(project, lang, own, domains, report)
    return changed


def _report_orphans(
    project: Project,
    lang: str,
    catalogs: Sequence[PoFile],
    domains: dict[str, list[SourceMessage]],
    report: Report,
) -> None:
    """Each catalog of ``lang`` that belongs to no chapter any more: a renamed chapter's
    (most of its translated texts are now another chapter's), or an orphan."""
    for po in catalogs:
        if po.path.stem in domains:
            continue
        translated = {e.msgid for e in po.entries if e.msgstr and not e.fuzzy}
        overlap = {
            domain: len(translated & {m.msgid for m in messages})
            for domain, messages in domains.items()
        }
        best = max(overlap, key=lambda d: overlap[d], default="")
        shown = project.shown(po.path)
        if best and translated and overlap[best] * 2 >= len(translated):
            report.warning(
                "catalog-renamed",
                f"{shown} belongs to no chapter: its chapter seems renamed to {best!r}, "
                f"whose catalog took {overlap[best]} of its {len(translated)} translations",
                Location(po.path),
                "check the fuzzy and untranslated entries of "
                f"{project.shown(project.catalog(lang, best))}, then delete {shown}",
            )
        else:
            report.warning(
                "catalog-orphan",
                f"{shown} belongs to no chapter of the book ({len(translated)} translations)",
                Location(po.path),
                "its translations are reused where a chapter has the same texts; delete it "
                "once it is no longer needed",
            )


# ---------------------------------------------------------------- reading catalogs


Status = Literal["translated", "fuzzy", "untranslated"]


@dataclass(frozen=True, slots=True)
class Translations:
    """The catalogs of one language, read from their PO files in ``folder``, by domain.

    A derived edition's are made in memory (:func:`pubtool.convert.derived_translations`):
    ``made_from`` is then the folder of the translations it converts (None when it is
    made from the source text).
    """

    lang: str
    folder: Path
    catalogs: Mapping[str, PoFile]
    made_from: Path | None = None

    def _find(self, domain: str, msgid: str) -> Entry | None:
        po = self.catalogs.get(domain)
        return po.by_msgid.get(msgid) if po is not None else None

    def entry(self, domain: str, msgid: str) -> Entry | None:
        """The usable translation of ``msgid``: active, not fuzzy, not empty."""
        entry = self._find(domain, msgid)
        if entry is None or entry.fuzzy or not entry.msgstr:
            return None
        return entry

    def status(self, domain: str, msgid: str) -> Status:
        entry = self._find(domain, msgid)
        if entry is not None and entry.msgstr:
            return "fuzzy" if entry.fuzzy else "translated"
        return "untranslated"

    def location(self, domain: str, msgid: str) -> Location:
        """Where ``msgid`` stands in its catalog (the catalog alone if it is not there)."""
        entry = self._find(domain, msgid)
        if entry is not None and entry.path is not None:
            return Location(entry.path, entry.line)
        return Location(self.folder / f"{domain}.po", entry.line if entry else None)

    def previous(self, domain: str, msgid: str) -> str:
        """A fuzzy entry's msgid before the source changed (its ``#|`` lines), else ""."""
        entry = self._find(domain, msgid)
        return entry.previous if entry is not None and entry.fuzzy else ""


@cache
def shipped_ui(tag: str) -> PoFile | None:
    """pubtool's own catalog of its templates' words for the edition language ``tag``
    (its declared tag: ``zh-Hant-TW`` finds ``zh-Hant``), or None."""
    parts = tag.split("-")
    for length in range(len(parts), 0, -1):
        path = Project.package_catalog("-".join(parts[:length]), UI_DOMAIN)
        if path.is_file():
            return i18n.read_po_file(path, tag, Report())
    return None


@dataclass(frozen=True, slots=True)
class Labels:
    """The words of the templates in an edition's language (the gettext interface of
    Jinja2's i18n extension): the project's ``ui`` catalog first, then pubtool's own."""

    translations: Translations | None
    shipped: PoFile | None
    tag: str = "en"  # the edition's declared tag: CLDR's plural forms, where a catalog has none

    def find(self, message: str) -> str | None:
        """The translation of ``message``, or None if neither catalog has a usable one."""
        entry = self.translations.entry(UI_DOMAIN, message) if self.translations else None
        if entry is None and self.shipped is not None:
            found = self.shipped.by_msgid.get(message)
            entry = found if found is not None and found.msgstr and not found.fuzzy else None
        return entry.msgstr if entry else None

    def gettext(self, message: str) -> str:
        return self.find(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a plural entry that serves ``n``, by its catalog's Plural-Forms
        (the project's ``ui`` catalog first, then pubtool's own); else the English."""
        own = self.translations.catalogs.get(UI_DOMAIN) if self.translations else None
        for po in (own, self.shipped):
            entry = po.by_msgid.get(singular) if po is not None else None
            usable = entry is not None and entry.plural and entry.msgstr and not entry.fuzzy
            if po is not None and entry is not None and usable:
                index = i18n.plural_index(po, n, self.tag)
                return entry.forms[min(index, len(entry.forms) - 1)]
        return singular if n == 1 else plural

    def words(self) -> list[tuple[str, str]]:
        """Every word with a translation, as (msgid, msgstr): what the templates may show."""
        msgids = dict.fromkeys(
            [
                *(self.shipped.by_msgid if self.shipped else ()),
                *(
                    self.translations.catalogs[UI_DOMAIN].by_msgid
                    if self.translations and UI_DOMAIN in self.translations.catalogs
                    else ()
                ),
            ]
        )
        return [(m, t) for m in msgids if (t := self.find(m)) is not None]


def labels(translations: Translations | None, tag: str) -> Labels:
    """The template words of the edition in ``tag`` (its declared tag)."""
    return Labels(translations, shipped_ui(tag), tag)


def load(
    project: Project, lang: str, report: Report, *, write_mo: bool = True, required: bool = True
) -> Translations:
    """Read every catalog of ``lang`` (reporting problems) and refresh stale ``.mo`` files.

    With ``write_mo`` false nothing is written (the preview leaves the project alone).
    A ``required`` language without catalogs is warned about (a derived edition's own
    catalogs are only its overrides: it may have none).
    """
    found: dict[str, PoFile] = {}
    paths = project.catalogs(lang)
    for path in paths:
        po = i18n.read_po_file(path, lang, report)
        if po is None:
            continue
        found[path.stem] = po
        mo = path.with_suffix(".mo")
        if write_mo and (not mo.exists() or mo.stat().st_mtime < path.stat().st_mtime):
            write_if_changed(mo, i18n.mo_bytes(po, lang))
    if not paths and required:
        report.warning(
            "catalog-missing",
            f"no catalogs for {lang!r}: every text falls back to the source",
            Location(project.catalog_folder(lang)),
            f"run `pubtool i18n update --lang {lang}` and translate the PO files",
        )
    return Translations(lang, project.catalog_folder(lang), found)


@dataclass(frozen=True, slots=True)
class Stats:
    domain: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def statistics(translations: Translations, domains: dict[str, list[SourceMessage]]) -> list[Stats]:
    """Per domain: how many of the book's current messages are translated, fuzzy, missing.

    A template word the project leaves untranslated counts as translated where pubtool's
    own catalog for the language has it (it is what the edition shows).
    """
    words = labels(translations, languages.profile(translations.lang).declared)
    out = []
    for domain, messages in domains.items():
        counts: dict[Status, int] = {"translated": 0, "fuzzy": 0, "untranslated": 0}
        for msgid in dict.fromkeys(m.msgid for m in messages):
            status = translations.status(domain, msgid)
            if status == "untranslated" and domain == UI_DOMAIN and words.find(msgid) is not None:
                status = "translated"
            counts[status] += 1
        out.append(Stats(domain, counts["translated"], counts["fuzzy"], counts["untranslated"]))
    return out


def compile_all(project: Project, lang: str, report: Report) -> list[Path]:
    """Write the ``.mo`` of every catalog of ``lang``; return those that changed."""
    changed = []
    for path in project.catalogs(lang):
        po = i18n.read_po_file(path, lang, report)
        if po is not None and write_if_changed(path.with_suffix(".mo"), i18n.mo_bytes(po, lang)):
            changed.append(path.with_suffix(".mo"))
    return changed
