"""The document model every stage passes along: a book, its chapters, blocks, inlines and glossary.

Readers build it, passes turn one model into another (``dataclasses.replace``), and
renderers only read it. Every node is frozen; every node class names its ``kind``,
which is what templates dispatch on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from pubtool.errors import Location

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True, slots=True)
class Foreign:
    """A run of text in another language than its surroundings (e.g. hanzi in English)."""

    kind: ClassVar[str] = "foreign"
    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    kind: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    kind: ClassVar[str] = "linebreak"


@dataclass(frozen=True, slots=True)
class Link:
    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Image:
    """An image; ``href`` is its name inside the edition, ``source`` the file on disk."""

    kind: ClassVar[str] = "image"
    href: str
    alt: str
    source: Path
    title: str = ""
    decorative: bool = False  # marked {.decorative}: no alt text, hidden from screen readers


@dataclass(frozen=True, slots=True)
class TermRef:
    """A reference to a glossary entry, written {term}`id` or {term}`label <id>`.

    :func:`pubtool.glossary.link_references` sets ``anchor`` (the id of this use in its
    document), ``first`` (the term's first use in the chapter) and, for a reference
    without a label, ``label`` (the term's name in the edition's language).
    """

    kind: ClassVar[str] = "term"
    term_id: str
    label: tuple[Inline, ...] | None
    location: Location
    anchor: str = ""
    first: bool = False
    labelled: bool = False  # the author gave the label (else it is the term's own name)


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A call of footnote ``number``; ``anchor`` is set by the linking pass.

    In print, the first call carries the note's text as ``content`` (it floats to the
    foot of the page where it is called).
    """

    kind: ClassVar[str] = "footnoteref"
    number: int
    anchor: str = ""
    content: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class HtmlElement:
    """Raw HTML from the manuscript, made well formed and safe; also usable as a block."""

    kind: ClassVar[str] = "html"
    tag: str
    attrs: tuple[tuple[str, str], ...]
    children: tuple[Inline, ...]


Inline = (
    Text
    | Foreign
    | Emphasis
    | Strong
    | Code
    | LineBreak
    | Link
    | Image
    | TermRef
    | FootnoteRef
    | HtmlElement
)

# ---------------------------------------------------------------- blocks


# Blocks that hold text a translator translates keep ``source``: their inline Markdown as
# the author wrote it, soft line breaks folded into spaces. It is their catalog msgid.


@dataclass(frozen=True, slots=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    children: tuple[Inline, ...]
    location: Location
    source: str = ""


@dataclass(frozen=True, slots=True)
class Heading:
    kind: ClassVar[str] = "heading"
    level: int
    children: tuple[Inline, ...]
    anchor: str
    location: Location
    source: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """A paragraph that holds one image and nothing else."""

    kind: ClassVar[str] = "figure"
    image: Image
    location: Location


@dataclass(frozen=True, slots=True)
class BlockQuote:
    kind: ClassVar[str] = "blockquote"
    blocks: tuple[Block, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class ListBlock:
    kind: ClassVar[str] = "list"
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]
    tight: bool
    location: Location


@dataclass(frozen=True, slots=True)
class CodeBlock:
    kind: ClassVar[str] = "codeblock"
    text: str
    language: str
    location: Location


@dataclass(frozen=True, slots=True)
class TableCell:
    children: tuple[Inline, ...]
    align: str  # "", "left", "center" or "right"
    source: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    kind: ClassVar[str] = "table"
    head: tuple[tuple[TableCell, ...], ...]
    body: tuple[tuple[TableCell, ...], ...]
    location: Location


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    kind: ClassVar[str] = "hr"
    location: Location


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    kind: ClassVar[str] = "htmlblock"
    children: tuple[Inline, ...]
    location: Location


Block = (
    Paragraph
    | Heading
    | Figure
    | BlockQuote
    | ListBlock
    | CodeBlock
    | Table
    | ThematicBreak
    | HtmlBlock
)

# ---------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Footnote:
    """Footnote ``number``; its first call has the anchor ``fnref-<number>``."""

    number: int
    label: str
    blocks: tuple[Block, ...]
    location: Location

    @property
    def anchor(self) -> str:
        return f"fn-{self.number}"


@dataclass(frozen=True, slots=True)
class Chapter:
    """One manuscript file; ``id`` names its document in every edition."""

    id: str
    source: Path
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    location: Location
    title_source: str = ""


@dataclass(frozen=True, slots=True)
class TermUse:
    """Where a term is used: the chapter's id and the anchor of the use."""

    chapter_id: str
    anchor: str


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    id: str
    term: str
    hanzi: str
    pinyin: str
    definition: tuple[Inline, ...]
    location: Location
    uses: tuple[TermUse, ...] = ()
    definition_source: str = ""


@dataclass(frozen=True, slots=True)
class Glossary:
    entries: dict[str, GlossaryEntry] = field(default_factory=dict)

    def sorted_entries(self) -> list[GlossaryEntry]:
        return sorted(self.entries.values(), key=lambda e: (e.term.casefold(), e.id))


@dataclass(frozen=True, slots=True)
class Metadata:
    """What ``book.yaml`` says of the book; see :mod:`pubtool.config` for each key."""

    title: str
    language: str
    languages: tuple[str, ...] = ()
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    identifier: str = ""
    date: dt.date | None = None
    description: str = ""
    subjects: tuple[str, ...] = ()
    rights: str = ""
    slug: str = ""
    accessibility_summary: str = ""
    certified_by: str = ""
    page_size: str = "A5"
    min_translated: float = 0.0
    fonts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    key_lines: tuple[tuple[str, int], ...] = ()  # where each key stands in book.yaml

    @property
    def editions(self) -> tuple[str, ...]:
        """Every language the book is published in, the source language first."""
        return (self.language, *self.languages)

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, 1)


@dataclass(frozen=True, slots=True)
class Book:
    """The whole book as read from a project, in its source language."""

    root: Path
    metadata: Metadata
    chapters: tuple[Chapter, ...]
    glossary: Glossary
    modified: dt.datetime


def walk_inlines(nodes: tuple[Inline, ...]) -> list[Inline]:
    """Every inline in ``nodes`` and below, depth first, in reading order."""
    out: list[Inline] = []
    for node in nodes:
        out.append(node)
        children = getattr(node, "children", None)
        if children:
            out.extend(walk_inlines(children))
        if isinstance(node, TermRef) and node.label:
            out.extend(walk_inlines(node.label))
    return out


def block_inlines(block: Block) -> list[tuple[Inline, ...]]:
    """The inline sequences a block holds directly or in nested blocks, in reading order."""
    match block:
        case Paragraph() | Heading() | HtmlBlock():
            return [block.children]
        case Figure():
            return [(block.image,)]
        case BlockQuote():
            return [seq for b in block.blocks for seq in block_inlines(b)]
        case ListBlock():
            return [seq for item in block.items for b in item for seq in block_inlines(b)]
        case Table():
            return [cell.children for row in (*block.head, *block.body) for cell in row]
        case _:
            return []


# ---------------------------------------------------------------- transforming

InlineFn = Callable[[Inline], tuple[Inline, ...]]


def map_inlines(nodes: tuple[Inline, ...], fn: InlineFn) -> tuple[Inline, ...]:
    """Apply ``fn`` to every inline, innermost first, in reading order; ``fn`` may split a node."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Emphasis | Strong | Link | HtmlElement):
            node = replace(node, children=map_inlines(node.children, fn))
        elif isinstance(node, TermRef) and node.label is not None:
            node = replace(node, label=map_inlines(node.label, fn))
        out.extend(fn(node))
    return tuple(out)


def map_block(block: Block, fn: InlineFn) -> Block:
    """``block`` with :func:`map_inlines` applied to every inline sequence it holds."""
    match block:
        case Paragraph() | Heading() | HtmlBlock():
            return replace(block, children=map_inlines(block.children, fn))
        case Figure():
            (image,) = map_inlines((block.image,), fn)
            return replace(block, image=image) if isinstance(image, Image) else block
        case BlockQuote():
            return replace(block, blocks=tuple(map_block(b, fn) for b in block.blocks))
        case ListBlock():
            items = tuple(tuple(map_block(b, fn) for b in item) for item in block.items)
            return replace(block, items=items)
        case Table():

            def row(cells: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
                return tuple(replace(c, children=map_inlines(c.children, fn)) for c in cells)

            return replace(
                block,
                head=tuple(row(r) for r in block.head),
                body=tuple(row(r) for r in block.body),
            )
        case _:
            return block


def map_chapter(chapter: Chapter, fn: InlineFn) -> Chapter:
    """``chapter`` with ``fn`` applied in reading order: title, body, then footnotes."""
    title = map_inlines(chapter.title, fn)
    blocks = tuple(map_block(b, fn) for b in chapter.blocks)
    footnotes = tuple(
        replace(f, blocks=tuple(map_block(b, fn) for b in f.blocks)) for f in chapter.footnotes
    )
    return replace(chapter, title=title, blocks=blocks, footnotes=footnotes)


def plain_text(nodes: tuple[Inline, ...]) -> str:
    """The text a reader sees in ``nodes``, without markup (for titles, alt text, slugs)."""
    parts: list[str] = []
    for node in nodes:
        match node:
            case Text() | Foreign() | Code():
                parts.append(node.text)
            case LineBreak():
                parts.append(" ")
            case Emphasis() | Strong() | Link() | HtmlElement():
                parts.append(plain_text(node.children))
            case TermRef():
                parts.append(plain_text(node.label) if node.label else node.term_id)
            case Image():
                parts.append(node.alt)
    return "".join(parts)


def book_texts(book: Book) -> Iterable[tuple[str, Location]]:
    """Every text of ``book`` a reader sees on the page, with the place it comes from.

    Alt texts are left out: they are read aloud, not drawn, and need no glyph.
    """
    meta = book.metadata
    here = Location(book.root / "manuscript" / "book.yaml")
    for text in (
        meta.title,
        meta.subtitle,
        meta.publisher,
        meta.rights,
        *meta.authors,
        *meta.subjects,
    ):
        yield text, here
    for chapter in book.chapters:
        yield plain_text(chapter.title), chapter.location
        blocks = [*chapter.blocks, *(b for note in chapter.footnotes for b in note.blocks)]
        for block in blocks:
            if isinstance(block, Figure):
                continue
            for inlines in block_inlines(block):
                drawn = tuple(node for node in inlines if not isinstance(node, Image))
                yield plain_text(drawn), getattr(block, "location", chapter.location)
    chinese = book.metadata.language.lower().split("-")[0] == "zh"
    for entry in book.glossary.entries.values():
        shown = (entry.hanzi, entry.pinyin, plain_text(entry.definition))
        for text in shown if chinese else (entry.term, *shown):  # Chinese glossaries: hanzi
            yield text, entry.location


def image_places(book: Book) -> dict[Path, Location]:
    """Where each image file of the book is first used."""
    places: dict[Path, Location] = {}
    for chapter in book.chapters:
        for block in [*chapter.blocks, *(b for note in chapter.footnotes for b in note.blocks)]:
            for inlines in block_inlines(block):
                for node in walk_inlines(inlines):
                    if isinstance(node, Image):
                        places.setdefault(node.source, getattr(block, "location", chapter.location))
    return places


def footnotes_at_calls(book: Book) -> Book:
    """For print: the first call of each footnote carries the note's text."""
    chapters = []
    for chapter in book.chapters:
        notes = {note.number: note for note in chapter.footnotes}

        def attach(node: Inline, notes: dict[int, Footnote] = notes) -> tuple[Inline, ...]:
            if isinstance(node, FootnoteRef) and node.anchor == f"fnref-{node.number}":
                note = notes.get(node.number)
                if note is not None:
                    parts: list[Inline] = []
                    for block in note.blocks:
                        for inlines in block_inlines(block):
                            if parts:
                                parts.append(LineBreak())
                            parts.extend(inlines)
                    return (replace(node, content=tuple(parts)),)
            return (node,)

        chapters.append(map_chapter(chapter, attach))
    return replace(book, chapters=tuple(chapters))
