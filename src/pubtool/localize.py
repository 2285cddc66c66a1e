"""Make a book of another language from the source book and that language's catalogs.

Each block of text is replaced by its translation, parsed with the same inline syntax
as the manuscript. A block without a usable translation (missing, empty or fuzzy) keeps
its source text in a span marked with the source language, and is counted: the build
prints one warning with the counts per chapter. On request, each such block is also
recorded as a :class:`Fallback` (the preview's translator view shades them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, assert_never, cast

from pubtool import bookindex, convert, subjects
from pubtool.catalogs import BOOK_DOMAIN, METADATA_KEYS, Translations
from pubtool.errors import Location, Report
from pubtool.manuscript import MarkdownReader
from pubtool.model import (
    Bibliography,
    Block,
    BlockQuote,
    Book,
    Chapter,
    Citation,
    CodeBlock,
    Definition,
    DefinitionList,
    Division,
    Figure,
    FootnoteRef,
    GlossaryEntry,
    Heading,
    HtmlBlock,
    HtmlElement,
    IndexMark,
    Inline,
    Link,
    ListBlock,
    Math,
    MathBlock,
    Paragraph,
    Table,
    TableCell,
    TermRef,
    Text,
    ThematicBreak,
    map_chapter_blocks,
    walk_inlines,
)

#: Why a text is shown in the source language: no translation (or an empty one), a
#: translation marked fuzzy, or one whose markup cannot be used.
FallbackStatus = Literal["untranslated", "fuzzy", "unusable"]


@dataclass(frozen=True, slots=True)
class Fallback:
    """A block of text shown in the source language: its place, its message and why."""

    location: Location  # of the block (a chapter's title: of the chapter)
    domain: str
    msgid: str
    status: FallbackStatus


@dataclass
class _Chapter:
    """What localizing one chapter (``path``; or the glossary) needs and counts."""

    domain: str
    path: Path
    footnotes: dict[str, int]
    fallbacks: Counter[str] = field(default_factory=Counter)


class Localizer:
    def __init__(
        self,
        book: Book,
        translations: Translations,
        reader: MarkdownReader,
        report: Report,
        record: list[Fallback] | None = None,
        *,
        terms_native: bool = False,
    ) -> None:
        """``record``, if given, receives a :class:`Fallback` for each block of a chapter
        (title, paragraph, heading) that falls back. In an edition in the glossary's own
        language (``terms_native``), a term without a translation is named by its hanzi."""
        self.terms_native = terms_native
        self.book = book
        self.translations = translations
        self.reader = reader
        self.report = report
        self.record = record
        self.source_lang = book.metadata.language

    # ------------------------------------------------------------ the book

    def book_in_language(self, subject_list: list[subjects.Subject]) -> Book:
        chapters = []
        counts: dict[str, Counter[str]] = {}
        for chapter in self.book.chapters:
            state = _Chapter(
                chapter.id, chapter.path, {n.label: n.number for n in chapter.footnotes}
            )
            chapters.append(self._chapter(chapter, state))
            if state.fallbacks:
                counts[chapter.id] = state.fallbacks
        glossary_state = _Chapter(BOOK_DOMAIN, self.book.project.glossary_yaml, {})
        entries = {
            key: self._entry(entry, glossary_state)
            for key, entry in self.book.glossary.entries.items()
        }
        parts = tuple(
            replace(part, title=self._inlines(part.msgid, part.title, glossary_state)[0])
            for part in self.book.parts
        )
        meta = self.book.metadata
        texts = {key: self._text(getattr(meta, key), glossary_state) for key in METADATA_KEYS}
        authors = tuple(self._name(author) for author in meta.authors)
        if glossary_state.fallbacks:
            counts[BOOK_DOMAIN] = glossary_state.fallbacks
        localized = tuple(
            subjects.localized(s, self.translations.lang, self._gettext) for s in subject_list
        )
        self._warn_fallbacks(counts)
        entries = {
            key: replace(entry, index=tuple(self._index_level(w) or w for w in entry.index))
            if entry.index
            else entry
            for key, entry in entries.items()
        }
        book = bookindex.translated(replace(self.book, chapters=tuple(chapters)), self._index_level)
        return replace(
            book,
            parts=parts,
            glossary=replace(self.book.glossary, entries=entries),
            # the keys are texts of Metadata (METADATA_KEYS), each replaced by a text
            metadata=replace(
                meta,
                **cast(dict[str, Any], texts),
                authors=authors,
                subjects=localized,
                language=self.translations.lang,
            ),
        )

    def _warn_fallbacks(self, counts: dict[str, Counter[str]]) -> None:
        if not counts:
            return
        parts = []
        for domain, counter in counts.items():
            detail = ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()))
            parts.append(f"{domain}: {detail}")
        total = sum(sum(c.values()) for c in counts.values())
        # a derived edition shows what its parent translated: the parent's catalogs
        folder = self.translations.made_from or self.translations.folder
        self.report.warning(
            "translation-fallback",
            f"{total} text(s) not translated into {self.translations.lang!r} are shown in "
            f"{self.source_lang!r} ({'; '.join(parts)})",
            None,
            f"translate them in {self.book.project.shown(folder)}/*.po; "
            f"`pubtool i18n stats` lists what is left",
        )

    def _entry(self, entry: GlossaryEntry, state: _Chapter) -> GlossaryEntry:
        """A glossary entry with its term and definition translated; where it stands is
        then the definition's catalog line."""
        term = self._text(entry.term, state, entry.hanzi if self.terms_native else "")
        definition, at = self._inlines(entry.definition_msgid, entry.definition, state)
        return replace(entry, term=term, definition=definition, location=at or entry.location)

    def _index_level(self, words: str) -> str | None:
        """A level of an index entry in the edition's language (the ``book`` catalog's),
        or None if the catalog does not translate it."""
        entry = self.translations.entry(BOOK_DOMAIN, words)
        return convert.convert_text(entry.msgstr, entry.convert) if entry else None

    def _gettext(self, msgid: str) -> str:
        entry = self.translations.entry(BOOK_DOMAIN, msgid)
        return convert.convert_text(entry.msgstr, entry.convert) if entry else msgid

    # ------------------------------------------------------------ chapters and blocks

    def _chapter(self, chapter: Chapter, state: _Chapter) -> Chapter:
        title, at = self._inlines(chapter.title_msgid, chapter.title, state, chapter.location)
        translated = map_chapter_blocks(chapter, lambda block: self._block(block, state))
        return replace(translated, title=title, title_location=at)

    def _block(self, block: Block, state: _Chapter) -> Block:
        """The block's own texts translated (the blocks it holds are translated on their own)."""
        match block:
            case Paragraph() | Heading():
                children, at = self._inlines(block.msgid, block.children, state, block.location)
                # a translated block stands where it was translated: its catalog line
                return replace(block, children=children, location=at or block.location)
            case Figure():
                image = block.image
                if image.alt:
                    image = replace(image, alt=self._text(image.alt, state))
                caption = block.caption
                if block.caption_msgid:
                    caption, _ = self._inlines(
                        block.caption_msgid, block.caption, state, block.location
                    )
                return replace(block, image=image, caption=caption)
            case Table():

                def cell(c: TableCell) -> TableCell:
                    if not c.msgid:
                        return c
                    children, at = self._inlines(c.msgid, c.children, state)
                    return replace(c, children=children, location=at)

                def cells(row: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
                    return tuple(cell(c) for c in row)

                caption = block.caption
                if block.caption_msgid:
                    caption, _ = self._inlines(
                        block.caption_msgid, block.caption, state, block.location
                    )
                return replace(
                    block,
                    head=tuple(cells(r) for r in block.head),
                    body=tuple(cells(r) for r in block.body),
                    caption=caption,
                )
            case CodeBlock():
                if not block.caption_msgid:
                    return block  # code is not translated
                caption, _ = self._inlines(
                    block.caption_msgid, block.caption, state, block.location
                )
                return replace(block, caption=caption)
            case Division():
                if not block.title_msgid:
                    return block
                title, _ = self._inlines(block.title_msgid, block.title, state, block.location)
                return replace(block, title=title)
            case DefinitionList():

                def term(item: Definition) -> Definition:
                    children, _ = self._inlines(item.msgid, item.term, state, block.location)
                    return replace(item, term=children)

                return replace(block, items=tuple(term(item) for item in block.items))
            case (
                BlockQuote()
                | ListBlock()
                | ThematicBreak()
                | HtmlBlock()
                | MathBlock()
                | Bibliography()
            ):
                return block  # no text of its own (a quotation's is in its blocks)
            case _:
                assert_never(block)

    # ------------------------------------------------------------ texts

    def _text(self, msgid: str, state: _Chapter, fallback: str = "") -> str:
        """A plain text (a term, alt text, metadata); without a translation, ``fallback``
        or the source (counted, not marked)."""
        if not msgid:
            return msgid
        entry = self.translations.entry(state.domain, msgid)
        if entry is None:
            state.fallbacks[self._why(state.domain, msgid)] += 1
            return fallback or msgid
        return convert.convert_text(entry.msgstr, entry.convert)

    def _name(self, msgid: str) -> str:
        """An author's name: its translation, else as written (no fallback to count: a
        name is most often kept as it is)."""
        entry = self.translations.entry(BOOK_DOMAIN, msgid)
        return convert.convert_text(entry.msgstr, entry.convert) if entry else msgid

    def _why(self, domain: str, msgid: str) -> FallbackStatus:
        """Why ``msgid``, which has no usable translation, falls back."""
        return "fuzzy" if self.translations.status(domain, msgid) == "fuzzy" else "untranslated"

    def _inlines(
        self,
        msgid: str,
        source: tuple[Inline, ...],
        state: _Chapter,
        place: Location | None = None,
    ) -> tuple[tuple[Inline, ...], Location | None]:
        """The translation of a block's text and where it was written (its catalog line),
        or the source marked with the source language and None."""
        entry = self.translations.entry(state.domain, msgid) if msgid else None
        if entry is None:
            if msgid:
                status = self._why(state.domain, msgid)
                state.fallbacks[status] += 1
                self._recorded(place, state, msgid, status)
            return self._fallback(source), None
        where = self.translations.location(state.domain, msgid)
        translated = self.reader.parse_inline(
            entry.msgstr, where, footnotes=state.footnotes, base=state.path
        )
        if not self._markup_matches(source, translated, where):
            state.fallbacks["unusable"] += 1
            self._recorded(place, state, msgid, "unusable")
            return self._fallback(source), None
        if entry.convert:  # a derived edition's text, written in its parent's script
            translated = convert.convert_inlines(translated, entry.convert)
        return translated, where

    def _recorded(
        self, place: Location | None, state: _Chapter, msgid: str, status: FallbackStatus
    ) -> None:
        if self.record is not None and place is not None:
            self.record.append(Fallback(place, state.domain, msgid, status))

    def _fallback(self, source: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return (HtmlElement("span", (("lang", self.source_lang),), source),)

    def _markup_matches(
        self, source: tuple[Inline, ...], translated: tuple[Inline, ...], where: Location
    ) -> bool:
        """Warn where a translation drops or adds a term, footnote call or link.

        Only a translation that names an unknown term is unusable; the others are used.
        """
        unknown = [
            n.term_id
            for n in walk_inlines(translated)
            if isinstance(n, TermRef) and n.term_id not in self.book.glossary.entries
        ]
        if unknown:
            self.report.warning(
                "translation-term",
                f"translation names unknown term id(s) {', '.join(map(repr, unknown))}",
                where,
                "use the ids of the source text; the source is shown instead",
            )
            return False
        broken = [
            t.text
            for t in walk_inlines(translated)
            if isinstance(t, Text) and ("{term}" in t.text or "[^" in t.text)
        ]
        if broken:
            self.report.warning(
                "translation-markup",
                f"translation has broken markup near {broken[0].strip()[:40]!r}",
                where,
                "write {term}`id`, {term}`label <id>` and [^label] exactly as in the msgid",
            )
        for kind, key in (
            ("term reference", _terms),
            ("footnote call", _notes),
            ("link", _links),
            ("formula", _formulas),
            ("citation", _citations),
            ("index mark", _index_marks),
        ):
            before, after = Counter(map(str, key(source))), Counter(map(str, key(translated)))
            if before != after:
                self.report.warning(
                    "translation-markup",
                    f"translation's {kind}s differ from the source: {difference(before, after)}",
                    where,
                    "keep every term reference, footnote call, link, formula, citation and "
                    "index mark of the msgid",
                )
        return True


def difference(before: Counter[str], after: Counter[str]) -> str:
    """What ``after`` lacks and adds of ``before``: "drops a, b; adds c"."""
    dropped = sorted((before - after).elements())
    added = sorted((after - before).elements())
    parts = (
        f"drops {', '.join(dropped)}" if dropped else "",
        f"adds {', '.join(added)}" if added else "",
    )
    return "; ".join(part for part in parts if part)


def _terms(nodes: tuple[Inline, ...]) -> list[str]:
    return [n.term_id for n in walk_inlines(nodes) if isinstance(n, TermRef)]


def _notes(nodes: tuple[Inline, ...]) -> list[str]:
    return [f"[^{n.number}]" for n in walk_inlines(nodes) if isinstance(n, FootnoteRef)]


def _links(nodes: tuple[Inline, ...]) -> list[str]:
    return [n.href for n in walk_inlines(nodes) if isinstance(n, Link)]


def _citations(nodes: tuple[Inline, ...]) -> list[str]:
    return ["@" + i.key for n in walk_inlines(nodes) if isinstance(n, Citation) for i in n.items]


def _index_marks(nodes: tuple[Inline, ...]) -> list[str]:
    """The index marks: counted, as a translation may file them under its own words."""
    return ["{index}" for n in walk_inlines(nodes) if isinstance(n, IndexMark)]


def _formulas(nodes: tuple[Inline, ...]) -> list[str]:
    return ["$" + " ".join(n.tex.split()) + "$" for n in walk_inlines(nodes) if isinstance(n, Math)]


# ---------------------------------------------------------------- the translator's view


def mark_fallbacks(book: Book, record: list[Fallback], translations: Translations) -> Book:
    """``book`` with each block that fell back wrapped in a span naming why (class
    ``pubtool-untranslated``, ``pubtool-fuzzy`` or ``pubtool-unusable``) and, for a fuzzy
    paragraph, its previous source text beside it (class ``pubtool-previous``)."""
    found = {f.location: f for f in record}

    def marked(
        children: tuple[Inline, ...], place: Location, paragraph: bool
    ) -> tuple[Inline, ...]:
        fallback = found.get(place)
        if fallback is None:
            return children
        where = translations.location(fallback.domain, fallback.msgid)
        previous = ""
        if fallback.status == "fuzzy":
            previous = translations.previous(fallback.domain, fallback.msgid)
        tip = f"{fallback.status}: {where.display(book.project.root)}" + (
            f"\nprevious source: {previous}" if previous else ""
        )
        span = HtmlElement(
            "span", (("class", f"pubtool-{fallback.status}"), ("title", tip)), children
        )
        if previous and paragraph:  # not in titles and headings: they are also the contents
            return (span, HtmlElement("span", (("class", "pubtool-previous"),), (Text(previous),)))
        return (span,)

    def block(b: Block) -> Block:
        match b:
            case Paragraph():
                return replace(b, children=marked(b.children, b.location, True))
            case Heading():
                return replace(b, children=marked(b.children, b.location, False))
            case Figure() | Table() | BlockQuote() | ListBlock() | CodeBlock() | ThematicBreak():
                return b  # no fallback is recorded at them (a quotation's are in its blocks)
            case Division() | DefinitionList():
                return b
            case HtmlBlock() | MathBlock() | Bibliography():
                return b
            case _:
                assert_never(b)

    chapters = tuple(
        replace(
            map_chapter_blocks(chapter, block),
            title=marked(chapter.title, chapter.location, False),
        )
        for chapter in book.chapters
    )
    return replace(book, chapters=chapters)
