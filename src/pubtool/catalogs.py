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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pubtool import files, i18n
from pubtool.errors import Location, Report
from pubtool.i18n import Entry, PoFile, SourceMessage
from pubtool.model import (
    Block,
    BlockQuote,
    Book,
    Chapter,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Table,
)

BOOK_DOMAIN = "book"
UI_DOMAIN = "ui"
METADATA_KEYS = ("title", "subtitle", "publisher", "description", "rights", "accessibility_summary")


def locales_dir(root: Path) -> Path:
    return root / "locales"


def template_path(root: Path, domain: str) -> Path:
    return locales_dir(root) / f"{domain}.pot"


def po_path(root: Path, lang: str, domain: str) -> Path:
    return locales_dir(root) / lang / "LC_MESSAGES" / f"{domain}.po"


# ---------------------------------------------------------------- messages of a book


def book_messages(
    book: Book, ui: list[SourceMessage], subjects: list[SourceMessage]
) -> dict[str, list[SourceMessage]]:
    """Every message of the book by domain, in reading order."""
    domains: dict[str, list[SourceMessage]] = {}
    for chapter in book.chapters:
        domains[chapter.id] = list(_chapter_messages(chapter, book.root))
    meta = book.metadata
    book_yaml = "manuscript/book.yaml"
    items = [
        SourceMessage(getattr(meta, key), ((book_yaml, meta.line_of(key)),), f"book {key}")
        for key in METADATA_KEYS
        if getattr(meta, key)
    ]
    for entry in book.glossary.sorted_entries():
        where = (_relative(entry.location.path, book.root), entry.location.line or 0)
        items.append(SourceMessage(entry.term, (where,), f"glossary term for {entry.hanzi}"))
        items.append(
            SourceMessage(entry.definition_source, (where,), f"glossary definition of {entry.term}")
        )
    domains[BOOK_DOMAIN] = items + subjects
    domains[UI_DOMAIN] = ui
    return domains


def _chapter_messages(chapter: Chapter, root: Path) -> Iterable[SourceMessage]:
    path = _relative(chapter.source, root)

    def at(line: int | None) -> tuple[tuple[str, int], ...]:
        return ((path, line or 0),)

    if chapter.title_source:
        yield SourceMessage(chapter.title_source, at(chapter.location.line), "chapter title")
    for block in chapter.blocks:
        yield from _block_messages(block, at, "")
    for note in chapter.footnotes:
        for block in note.blocks:
            yield from _block_messages(block, at, f"footnote {note.number}")


def _block_messages(block: Block, at: object, context: str) -> Iterable[SourceMessage]:
    where = at  # a function from a line to locations
    assert callable(where)
    match block:
        case Paragraph():
            yield SourceMessage(block.source, where(block.location.line), context or "paragraph")
        case Heading():
            yield SourceMessage(block.source, where(block.location.line), f"heading {block.level}")
        case Figure():
            if block.image.alt:
                yield SourceMessage(block.image.alt, where(block.location.line), "image alt text")
        case BlockQuote():
            for inner in block.blocks:
                yield from _block_messages(inner, at, context or "quotation")
        case ListBlock():
            for item in block.items:
                for inner in item:
                    yield from _block_messages(inner, at, context or "list item")
        case Table():
            for row in (*block.head, *block.body):
                for cell in row:
                    if cell.source:
                        yield SourceMessage(cell.source, where(block.location.line), "table cell")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


# ---------------------------------------------------------------- writing files


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it."""
    if path.exists() and path.read_bytes() == data:
        return False
    files.write_bytes(path, data)
    return True


def extract(
    root: Path, domains: dict[str, list[SourceMessage]], created: dt.datetime
) -> list[Path]:
    """Write the templates; return those that changed. Templates of gone chapters are removed."""
    changed = [
        template_path(root, domain)
        for domain, messages in domains.items()
        if write_if_changed(template_path(root, domain), i18n.pot_bytes(messages, domain, created))
    ]
    for stale in locales_dir(root).glob("ch-*.pot"):
        if stale.stem not in domains:
            stale.unlink()
            changed.append(stale)
    return changed


def update(
    root: Path, lang: str, domains: dict[str, list[SourceMessage]], created: dt.datetime
) -> list[Path]:
    """Create or merge the catalogs of ``lang``; return the files that changed.

    A catalog whose chapter is gone is kept as it is: its translations are the
    translator's work, and the chapter may come back.
    """
    changed = []
    for domain, messages in domains.items():
        path = po_path(root, lang, domain)
        existing = path.read_bytes() if path.exists() else None
        data = i18n.merged_po_bytes(existing, messages, lang, domain, created)
        if write_if_changed(path, data):
            changed.append(path)
    return changed


# ---------------------------------------------------------------- reading catalogs


@dataclass
class Translations:
    """The catalogs of one language, read from their PO files."""

    lang: str
    files: dict[str, PoFile]

    def entry(self, domain: str, msgid: str) -> Entry | None:
        """The usable translation of ``msgid``: active, not fuzzy, not empty."""
        po = self.files.get(domain)
        entry = po.translations().get(msgid) if po else None
        if entry is None or entry.fuzzy or not entry.msgstr:
            return None
        return entry

    def status(self, domain: str, msgid: str) -> str:
        po = self.files.get(domain)
        entry = po.translations().get(msgid) if po else None
        if entry is not None and entry.msgstr:
            return "fuzzy" if entry.fuzzy else "translated"
        return "untranslated"

    def location(self, domain: str, entry: Entry) -> Location:
        return Location(self.files[domain].path, entry.line)

    def previous(self, domain: str, msgid: str) -> str:
        """A fuzzy entry's msgid before the source changed (its ``#|`` lines), else ""."""
        po = self.files.get(domain)
        entry = po.translations().get(msgid) if po else None
        return entry.previous if entry is not None and entry.fuzzy else ""

    # The gettext interface of Jinja2's i18n extension, for the ``ui`` domain.
    def gettext(self, message: str) -> str:
        entry = self.entry(UI_DOMAIN, message)
        return entry.msgstr if entry else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def load(root: Path, lang: str, report: Report, *, write_mo: bool = True) -> Translations:
    """Read every catalog of ``lang`` (reporting problems) and refresh stale ``.mo`` files.

    With ``write_mo`` false nothing is written (the preview leaves the project alone).
    """
    files: dict[str, PoFile] = {}
    folder = po_path(root, lang, "x").parent
    paths = sorted(folder.glob("*.po"))
    for path in paths:
        po = i18n.read_po_file(path, lang, report)
        if po is None:
            continue
        files[path.stem] = po
        mo = path.with_suffix(".mo")
        if write_mo and (not mo.exists() or mo.stat().st_mtime < path.stat().st_mtime):
            write_if_changed(mo, i18n.mo_bytes(po, lang))
    if not paths:
        report.warning(
            "catalog-missing",
            f"no catalogs for {lang!r}: every text falls back to the source",
            Location(folder),
            f"run `pubtool i18n update --lang {lang}` and translate the PO files",
        )
    return Translations(lang, files)


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
    """Per domain: how many of the book's current messages are translated, fuzzy, missing."""
    out = []
    for domain, messages in domains.items():
        counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
        for msgid in dict.fromkeys(m.msgid for m in messages):
            counts[translations.status(domain, msgid)] += 1
        out.append(Stats(domain, counts["translated"], counts["fuzzy"], counts["untranslated"]))
    return out


def compile_all(root: Path, lang: str, report: Report) -> list[Path]:
    """Write the ``.mo`` of every catalog of ``lang``; return those that changed."""
    changed = []
    for path in sorted(po_path(root, lang, "x").parent.glob("*.po")):
        po = i18n.read_po_file(path, lang, report)
        if po is not None and write_if_changed(path.with_suffix(".mo"), i18n.mo_bytes(po, lang)):
            changed.append(path.with_suffix(".mo"))
    return changed
