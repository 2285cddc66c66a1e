"""The document model every stage passes along: a book, its chapters, blocks, inlines and glossary.

Readers build it, passes turn one model into another (``dataclasses.replace``), and
renderers only read it. Every node is frozen; every node class names its ``kind``,
which is what templates dispatch on.

Passes go through the model with the walkers at the end of this module
(:func:`walk_inlines`, :func:`map_inlines`, :func:`walk_blocks`, :func:`map_blocks`,
:func:`chapter_blocks`). They are the only code that knows which node holds which: each
ends in ``assert_never``, so a new kind of node that they do not know fails the type
check instead of vanishing from titles, catalogs or pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import ClassVar, Literal, assert_never

from pubtool.errors import Location
from pubtool.project import Project

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
    classes: tuple[str, ...] = ()  # written {.class} after it, for the project's stylesheet


@dataclass(frozen=True, slots=True)
class Image:
    """An image; ``href`` is its name inside the edition, ``file`` the file on disk."""

    kind: ClassVar[str] = "image"
    href: str
    alt: str
    file: Path
    title: str = ""
    decorative: bool = False  # marked {.decorative}: no alt text, hidden from screen readers
    #: its size as written (``{width=40%}``, ``<img width="120">``): a CSS length or ""
    width: str = ""
    height: str = ""
    classes: tuple[str, ...] = ()


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
class IndexMark:
    """A place the back-of-book index points at, written {index}`shown <entry; sub>`:
    ``children`` is what the text shows there (nothing for a mark alone), ``entry`` the
    levels of the entry it files under, each as written (``reading@text`` gives the
    reading it sorts by). A cross-reference (``see``: "see" or "seealso", written
    ``<see: entry; other>``) files no place: its entry points at ``target``.

    :func:`pubtool.bookindex.anchored` sets ``anchor``, the id of the place in its document.
    """

    kind: ClassVar[str] = "indexmark"
    entry: tuple[str, ...]
    children: tuple[Inline, ...]
    location: Location
    see: str = ""
    target: str = ""
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A call of footnote ``number``; ``anchor`` is set by the linking pass.

    In print, the first call carries the note's blocks (it floats to the foot of the page
    where it is called): see :func:`footnotes_at_calls`.
    """

    kind: ClassVar[str] = "footnoteref"
    number: int
    anchor: str = ""
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Math:
    """A formula in TeX within text: ``$E=mc^2$``, ``\\(…\\)``, MyST's {math}`…`;
    ``display`` for one set on its own line (``$$…$$`` inside a paragraph)."""

    kind: ClassVar[str] = "math"
    tex: str
    display: bool = False


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One work a citation names: ``see @doe2020, p. 33`` is the key ``doe2020`` with the
    prefix "see", the locator "33" of the label "page"; ``-@doe2020`` suppresses the
    author (the text has named them)."""

    key: str
    prefix: str = ""
    label: str = ""
    locator: str = ""
    suffix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation as Pandoc writes one: ``[see @doe2020, p. 33; @li2018]`` in brackets,
    or ``@doe2020`` in the text (``in_text``: "Doe and Roe (2020)"). ``written`` is its
    source; ``children``, what the style makes of it in an edition (the citations pass),
    and ``target`` the place of its first work's entry in the reference list
    (``chapter.xhtml#ref-doe2020``)."""

    kind: ClassVar[str] = "citation"
    items: tuple[CiteItem, ...]
    location: Location
    written: str
    in_text: bool = False
    children: tuple[Inline, ...] = ()
    target: str = ""


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
    | IndexMark
    | FootnoteRef
    | HtmlElement
    | Math
    | Citation
)

# ---------------------------------------------------------------- blocks


# Blocks that hold text a translator translates keep its ``msgid``: their inline Markdown
# as the author wrote it, soft line breaks folded into spaces.


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; ``lines`` for Pandoc's line block (``| a line`` each), whose lines
    are kept as written, hard breaks between them, their indents as no-break spaces."""

    kind: ClassVar[str] = "paragraph"
    children: tuple[Inline, ...]
    location: Location
    msgid: str = ""
    lines: bool = False


@dataclass(frozen=True, slots=True)
class Heading:
    kind: ClassVar[str] = "heading"
    level: int
    children: tuple[Inline, ...]
    anchor: str
    location: Location
    msgid: str = ""
    #: its classes ({.class} after its words); ``listed``: in the contents and the
    #: outline (False for ``{.unlisted}``)
    classes: tuple[str, ...] = ()
    listed: bool = True


@dataclass(frozen=True, slots=True)
class Figure:
    """A paragraph that holds one image and nothing else; the image's title, if it has
    one, is the figure's caption (``![alt](bowl.png "A Jun bowl")``), and a captioned
    figure has a ``number``: its place in the chapter ("2") as read, its chapter's
    number and its own ("3.2") in an edition; "" for none."""

    kind: ClassVar[str] = "figure"
    image: Image
    location: Location
    caption: tuple[Inline, ...] = ()
    caption_msgid: str = ""
    number: str = ""
    anchor: str = ""  # written {#id} on the image, as an anchor


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
    #: a task list's boxes, one per item: True ticked ``- [x]``, False open ``- [ ]``,
    #: None for an item that is no task; empty for a list that has none
    tasks: tuple[bool | None, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeSpan:
    """A run of code and its token class: Pygments' short name ("k" a keyword, "c1" a
    comment, "s2" a string…), "" for plain text."""

    token: str
    text: str


#: One line of a code block, as highlighting splits it.
CodeLine = tuple[CodeSpan, ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A code block: its text, its language (the fence's first word: ``rust`` of
    ``rust,ignore``), the fence's whole info string, and, once highlighted, its lines."""

    kind: ClassVar[str] = "codeblock"
    text: str
    language: str
    location: Location
    info: str = ""
    lines: tuple[CodeLine, ...] = ()
    #: a listing's caption and file name (``{caption="…" file="src/main.rs"}`` after the
    #: fence's language, or mdBook's ``<Listing>`` around it)
    caption: tuple[Inline, ...] = ()
    caption_msgid: str = ""
    file: str = ""
    #: a captioned listing's number: its place in the chapter ("1") as read, "4.1" in an
    #: edition; as the author wrote it ("4-1") when ``fixed``
    number: str = ""
    fixed: bool = False
    anchor: str = ""
    classes: tuple[str, ...] = ()


Align = Literal["", "left", "center", "right"]


@dataclass(frozen=True, slots=True)
class TableCell:
    children: tuple[Inline, ...]
    align: Align
    msgid: str = ""
    location: Location | None = None  # a translated cell: its catalog line


@dataclass(frozen=True, slots=True)
class Table:
    """A table; ``caption`` from Pandoc's ``Table: caption`` (or ``: caption``) beside it,
    numbered as figures are ("2.1"), ``anchor`` from a ``{#tbl-id}`` at its end."""

    kind: ClassVar[str] = "table"
    head: tuple[tuple[TableCell, ...], ...]
    body: tuple[tuple[TableCell, ...], ...]
    location: Location
    caption: tuple[Inline, ...] = ()
    caption_msgid: str = ""
    number: str = ""
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    kind: ClassVar[str] = "hr"
    location: Location


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    kind: ClassVar[str] = "htmlblock"
    children: tuple[Inline, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class MathBlock:
    """A displayed formula: ``$$…$$`` on lines of its own, ``\\[…\\]``, an amsmath
    environment (``\\begin{align}``), a ```` ```math ```` or MyST ```` ```{math} ````
    fence; ``anchor`` from its label (``$$…$$ (eq-energy)``, ``:label:``)."""

    kind: ClassVar[str] = "mathblock"
    tex: str
    location: Location
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class BibEntry:
    """One work of the reference list, as the style sets it; ``anchor`` the place its
    citations link to."""

    key: str
    anchor: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Bibliography:
    """The reference list: where ``::: {#refs}`` stands (or added at the end of the book),
    filled by the citations pass with every work the edition cites."""

    kind: ClassVar[str] = "bibliography"
    location: Location
    entries: tuple[BibEntry, ...] = ()
    titled: bool = False  # added by pubtool: it shows its own heading


#: The admonitions pubtool knows (GitHub's five, and Sphinx's and MyST's others); each
#: has a label in pubtool's catalogs.
ADMONITIONS = (
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "seealso",
)


@dataclass(frozen=True, slots=True)
class Division:
    """Blocks held together: Pandoc's fenced div (``::: {#id .class}``), or an admonition
    (``::: note``, MyST's ``:::{note}`` and ```` ```{note} ````, GitHub's ``> [!NOTE]``),
    or raw HTML around Markdown (``<details>`` … ``</details>``),
    whose kind is one of :data:`ADMONITIONS` and whose ``title``, if the author gave one,
    replaces its label."""

    kind: ClassVar[str] = "division"
    blocks: tuple[Block, ...]
    location: Location
    admonition: str = ""
    title: tuple[Inline, ...] = ()
    title_msgid: str = ""
    classes: tuple[str, ...] = ()
    anchor: str = ""
    #: raw HTML that wraps Markdown (``<details>``, ``<div class="…">``): its element and
    #: the attributes kept
    tag: str = "div"
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Definition:
    """A term of a definition list and its definitions (each some blocks)."""

    term: tuple[Inline, ...]
    msgid: str
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class DefinitionList:
    kind: ClassVar[str] = "deflist"
    items: tuple[Definition, ...]
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
    | Division
    | DefinitionList
    | MathBlock
    | Bibliography
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


#: Where a chapter stands: before the numbered chapters, among them, or after them.
Matter = Literal["front", "body", "back"]


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """One chapter file of the book's ``contents`` (book.yaml): its path from
    ``manuscript/``, where it stands, what it is, and the line it is written at."""

    file: str
    matter: Matter
    semantic: str
    depth: int = 0
    part: int = 0
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """A part of the book: a title page in print, a level of the contents; its chapters
    are those whose ``part`` is its ``number``."""

    number: int
    title: tuple[Inline, ...]
    msgid: str
    location: Location

    @property
    def id(self) -> str:
        return f"part-{self.number}"


@dataclass(frozen=True, slots=True)
class Chapter:
    """One manuscript file (``path``); ``id`` names its document in every edition."""

    id: str
    path: Path
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    location: Location
    title_msgid: str = ""
    #: where the title shown was written, when not in the chapter (a catalog's line)
    title_location: Location | None = None
    #: each id written in the chapter (a heading's, a raw element's) -> its anchor in the
    #: editions (see :mod:`pubtool.xref`)
    targets: Mapping[str, str] = field(default_factory=dict)
    #: where it stands in the book (see :mod:`pubtool.structure`): front matter, body or
    #: back matter; what it is (its epub:type: chapter, preface, appendix…); its number
    #: ("3", "A" for an appendix, "3.1" for a sub-chapter, "" for none); 1 for a
    #: sub-chapter of the chapter before it; the number of its part (0: none)
    matter: Matter = "body"
    semantic: str = "chapter"
    number: str = ""
    depth: int = 0
    part: int = 0


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
    definition_msgid: str = ""
    #: where its uses are filed in the index: its own name (()), another entry's levels
    #: (glossary.yaml's ``index: Jun porcelain; glazes``), or nowhere (``index: false``)
    index: tuple[str, ...] | None = ()
    # the hanzi of derived editions where the converter is wrong, by tag: ("zh-Hant", "鈞瓷")
    forms: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Glossary:
    entries: dict[str, GlossaryEntry] = field(default_factory=dict)

    def sorted_entries(self) -> list[GlossaryEntry]:
        return sorted(self.entries.values(), key=lambda e: (e.term.casefold(), e.id))


@dataclass(frozen=True, slots=True)
class IndexLocator:
    """A place an index entry points at: the chapter's id and the anchor there."""

    chapter_id: str
    anchor: str


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One entry of the back-of-book index, in the edition's language: its words, its id
    in the index, the places it points at (in reading order), its sub-entries, and the
    entries it sends the reader to ("see" and "see also", as (words, id))."""

    text: str
    id: str
    locators: tuple[IndexLocator, ...] = ()
    subentries: tuple[IndexEntry, ...] = ()
    see: tuple[tuple[str, str], ...] = ()
    see_also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class IndexGroup:
    """The entries under one heading of the index (A, B…; あ, か…; 1劃…): ``label`` ""
    is the group of numbers, symbols and what the language's groups do not hold."""

    label: str
    entries: tuple[IndexEntry, ...]


#: How a derived edition sets its text: across the page, or in columns from the right.
Layout = Literal["horizontal", "vertical"]
#: What the ruby over a glossary term shows: pinyin, or zhuyin (Bopomofo).
Ruby = Literal["pinyin", "zhuyin"]


@dataclass(frozen=True, slots=True)
class Derivation:
    """An edition made from another edition by script conversion (``languages`` entry
    ``{lang: zh-Hant-TW, from: zh, convert: s2twp}``): its tag, the edition it is made
    from, the OpenCC configuration, its layout and ruby, and its line in book.yaml."""

    lang: str
    source: str
    convert: str
    layout: Layout = "horizontal"
    ruby: Ruby = "pinyin"
    line: int = 1


#: the formats an edition is published in, each with its own identifier (and ISBN);
#: the booklet is the print edition imposed
EDITION_KINDS = ("epub", "print")


@dataclass(frozen=True, slots=True)
class EditionId:
    """The identifier of one edition (a language, as EPUB or in print), and its ISBN-13
    digits if it has one (then the identifier is ``urn:isbn:`` and them)."""

    lang: str
    kind: str  # one of EDITION_KINDS
    identifier: str
    isbn: str = ""


@dataclass(frozen=True, slots=True)
class Metadata:
    """What ``book.yaml`` says of the book; see :mod:`pubtool.config` for each key."""

    title: str
    language: str
    languages: tuple[str, ...] = ()
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    identifier: str = ""  # the book's: the source EPUB's, and what the others derive from
    edition_ids: tuple[EditionId, ...] = ()  # every edition's (config.py resolves them)
    date: dt.date | None = None
    description: str = ""
    subjects: tuple[str, ...] = ()
    rights: str = ""
    slug: str = ""
    accessibility_summary: str = ""
    certified_by: str = ""
    page_size: str = "A5"
    paper: str = "white"  # for the cover's spine: a key of pubtool.cover.PAPERS
    paper_thickness: float | None = None  # mm a page, instead of the paper's
    min_translated: float = 0.0
    fonts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    print_urls: str = "footnote"  # footnote | after | none: a web link's address in print
    #: the book's contents as written (empty: every chapter file, in natural order), and
    #: the titles of its parts with their lines
    contents: tuple[ContentsEntry, ...] = ()
    parts: tuple[tuple[str, int | None], ...] = ()
    chapter_start: str = "recto"  # recto | any: where a chapter starts in print
    footnote_numbering: str = "chapter"  # chapter | book: where note numbers start at 1
    bibliography: tuple[str, ...] = ()  # BibTeX or CSL JSON files, from manuscript/
    csl: str = ""  # a CSL style file, from manuscript/ ("": the default style)
    output_profile: str = ""  # the print condition's ICC profile, from manuscript/ (PDF/X)
    toc_depth: int = 2  # the deepest heading level listed in the contents and the outline
    index_terms: bool = True  # the index lists every use of the glossary's terms
    collations: tuple[tuple[str, str], ...] = ()  # CLDR collation types by language
    key_lines: tuple[tuple[str, int], ...] = ()  # where each key stands in book.yaml
    derived: tuple[Derivation, ...] = ()  # the editions of ``languages`` made by conversion

    @property
    def editions(self) -> tuple[str, ...]:
        """Every language the book is published in, the source language first."""
        return (self.language, *self.languages)

    def edition_id(self, lang: str, kind: str) -> EditionId:
        """The identifier of the edition ``lang`` in ``kind`` (epub or print)."""
        found = (e for e in self.edition_ids if (e.lang, e.kind) == (lang, kind))
        return next(found, EditionId(lang, kind, self.identifier))

    def isbns(self, lang: str) -> tuple[EditionId, ...]:
        """The editions of ``lang`` that have an ISBN, EPUB first."""
        return tuple(e for e in self.edition_ids if e.lang == lang and e.isbn)

    def derivation(self, lang: str) -> Derivation | None:
        """How the edition ``lang`` is made from another, if it is a derived edition."""
        return next((d for d in self.derived if d.lang == lang), None)

    def catalog_languages(self, lang: str) -> tuple[str, ...]:
        """The languages whose catalogs reach the edition ``lang``: its own, then those of
        the editions it is made from (none for the source language)."""
        chain: list[str] = []
        while lang != self.language and lang not in chain:
            chain.append(lang)
            derivation = self.derivation(lang)
            if derivation is None:
                break
            lang = derivation.source
        return tuple(chain)

    def collation(self, lang: str) -> str:
        """The CLDR collation type book.yaml asks for the index of ``lang`` ("": the
        language's default)."""
        return next((c for tag, c in self.collations if tag == lang), "")

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, 1)


@dataclass(frozen=True, slots=True)
class Book:
    """The whole book as read from a project, in its source language."""

    project: Project
    metadata: Metadata
    chapters: tuple[Chapter, ...]
    glossary: Glossary
    modified: dt.datetime
    parts: tuple[Part, ...] = ()
    #: the back-of-book index, sorted as the edition's language sorts (the index pass)
    index: tuple[IndexGroup, ...] = ()


# ---------------------------------------------------------------- walking the model
#
# The only functions that know which node holds which. Each match ends in assert_never:
# a node kind they do not know is a type error, not a node silently left out.


def inline_children(node: Inline) -> tuple[Inline, ...]:
    """The inlines ``node`` holds: its children, a term's label."""
    match node:
        case Emphasis() | Strong() | Link() | HtmlElement() | Citation() | IndexMark():
            return node.children
        case TermRef():
            return node.label or ()
        case FootnoteRef() | Text() | Foreign() | Code() | LineBreak() | Image() | Math():
            return ()  # a note's blocks are its own (see footnotes_at_calls)
        case _:
            assert_never(node)


def with_inline_children(node: Inline, children: tuple[Inline, ...]) -> Inline:
    """``node`` holding ``children`` instead of the inlines it holds."""
    match node:
        case Emphasis() | Strong() | Link() | HtmlElement() | Citation() | IndexMark():
            return replace(node, children=children)
        case TermRef():
            return replace(node, label=children)
        case FootnoteRef() | Text() | Foreign() | Code() | LineBreak() | Image() | Math():
            return node
        case _:
            assert_never(node)


def walk_inlines(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
    """Every inline in ``nodes`` and below, depth first, in reading order."""
    for node in nodes:
        yield node
        yield from walk_inlines(inline_children(node))


InlineFn = Callable[[Inline], tuple[Inline, ...]]


def map_inlines(nodes: tuple[Inline, ...], fn: InlineFn) -> tuple[Inline, ...]:
    """Apply ``fn`` to every inline, innermost first, in reading order; ``fn`` may split a node."""
    out: list[Inline] = []
    for node in nodes:
        children = inline_children(node)
        if children:
            node = with_inline_children(node, map_inlines(children, fn))
        out.extend(fn(node))
    return tuple(out)


def plain_text(nodes: tuple[Inline, ...]) -> str:
    """The text a reader sees in ``nodes``, without markup (for titles, alt text, slugs)."""
    parts: list[str] = []
    for node in nodes:
        match node:
            case Text() | Foreign() | Code():
                parts.append(node.text)
            case LineBreak():
                parts.append(" ")
            case Emphasis() | Strong() | Link() | HtmlElement() | IndexMark():
                parts.append(plain_text(node.children))
            case TermRef():
                parts.append(plain_text(node.label) if node.label else node.term_id)
            case Image():
                parts.append(node.alt)
            case Math():
                parts.append(node.tex)
            case Citation():
                parts.append(plain_text(node.children) if node.children else node.written)
            case FootnoteRef():
                pass  # a call's number is no part of the text it follows
            case _:
                assert_never(node)
    return "".join(parts)


def child_blocks(block: Block) -> tuple[Block, ...]:
    """The blocks ``block`` holds: a quotation's, a list's items' (in order)."""
    match block:
        case BlockQuote():
            return block.blocks
        case ListBlock():
            return tuple(inner for item in block.items for inner in item)
        case Division():
            return block.blocks
        case DefinitionList():
            return tuple(b for item in block.items for d in item.definitions for b in d)
        case (
            Paragraph()
            | Heading()
            | Figure()
            | CodeBlock()
            | Table()
            | ThematicBreak()
            | MathBlock()
        ):
            return ()
        case HtmlBlock() | Bibliography():
            return ()
        case _:
            assert_never(block)


def own_inlines(block: Block) -> tuple[tuple[Inline, ...], ...]:
    """The inline sequences ``block`` holds itself (not in the blocks it holds)."""
    match block:
        case Paragraph() | Heading() | HtmlBlock():
            return (block.children,)
        case Figure():
            return ((block.image,), block.caption)
        case CodeBlock():
            return (block.caption,) if block.caption else ()
        case Table():
            cells = tuple(cell.children for row in (*block.head, *block.body) for cell in row)
            return (block.caption, *cells) if block.caption else cells
        case Division():
            return (block.title,) if block.title else ()
        case DefinitionList():
            return tuple(item.term for item in block.items)
        case Bibliography():
            return tuple(entry.children for entry in block.entries)
        case BlockQuote() | ListBlock() | ThematicBreak() | MathBlock():
            return ()
        case _:
            assert_never(block)


def walk_blocks(
    blocks: tuple[Block, ...], ancestors: tuple[Block, ...] = ()
) -> Iterator[tuple[Block, tuple[Block, ...]]]:
    """Every block in ``blocks`` and below, in reading order, with the blocks that hold it
    (outermost first)."""
    for block in blocks:
        yield block, ancestors
        yield from walk_blocks(child_blocks(block), (*ancestors, block))


def block_inlines(block: Block) -> list[tuple[Inline, ...]]:
    """The inline sequences a block holds directly or in nested blocks, in reading order."""
    return [seq for inner, _ in walk_blocks((block,)) for seq in own_inlines(inner)]


BlockFn = Callable[[Block], Block]


def map_blocks(blocks: tuple[Block, ...], fn: BlockFn) -> tuple[Block, ...]:
    """Apply ``fn`` to every block, innermost first, in reading order."""
    return tuple(fn(_with_mapped_children(block, fn)) for block in blocks)


def _with_mapped_children(block: Block, fn: BlockFn) -> Block:
    match block:
        case BlockQuote():
            return replace(block, blocks=map_blocks(block.blocks, fn))
        case ListBlock():
            return replace(block, items=tuple(map_blocks(item, fn) for item in block.items))
        case Division():
            return replace(block, blocks=map_blocks(block.blocks, fn))
        case DefinitionList():
            items = tuple(
                replace(item, definitions=tuple(map_blocks(d, fn) for d in item.definitions))
                for item in block.items
            )
            return replace(block, items=items)
        case (
            Paragraph()
            | Heading()
            | Figure()
            | CodeBlock()
            | Table()
            | ThematicBreak()
            | MathBlock()
        ):
            return block
        case HtmlBlock() | Bibliography():
            return block
        case _:
            assert_never(block)


def map_own_inlines(block: Block, fn: Callable[[tuple[Inline, ...]], tuple[Inline, ...]]) -> Block:
    """``block`` with each inline sequence it holds itself replaced by ``fn`` of it."""
    match block:
        case Paragraph() | Heading() | HtmlBlock():
            return replace(block, children=fn(block.children))
        case Figure():
            mapped = fn((block.image,))
            image = mapped[0] if len(mapped) == 1 else block.image
            caption = fn(block.caption) if block.caption else ()
            if not isinstance(image, Image):
                image = block.image
            return replace(block, image=image, caption=caption)
        case CodeBlock():
            return replace(block, caption=fn(block.caption)) if block.caption else block
        case Table():

            def row(cells: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
                return tuple(replace(c, children=fn(c.children)) for c in cells)

            return replace(
                block,
                head=tuple(row(r) for r in block.head),
                body=tuple(row(r) for r in block.body),
                caption=fn(block.caption) if block.caption else (),
            )
        case Division():
            return replace(block, title=fn(block.title)) if block.title else block
        case DefinitionList():
            items = tuple(replace(item, term=fn(item.term)) for item in block.items)
            return replace(block, items=items)
        case Bibliography():
            entries = tuple(replace(e, children=fn(e.children)) for e in block.entries)
            return replace(block, entries=entries)
        case BlockQuote() | ListBlock() | ThematicBreak() | MathBlock():
            return block
        case _:
            assert_never(block)


@dataclass(frozen=True, slots=True)
class BlockPlace:
    """Where a block stands in its chapter: the blocks that hold it (outermost first), and
    the footnote it belongs to (None in the body)."""

    ancestors: tuple[Block, ...]
    note: Footnote | None

    def top(self, block: Block) -> Block:
        """The block of the chapter (or note) that holds ``block``, or ``block`` itself."""
        return self.ancestors[0] if self.ancestors else block


def chapter_blocks(chapter: Chapter) -> Iterator[tuple[Block, BlockPlace]]:
    """Every block of ``chapter``, nested ones too, in reading order: the body, then the
    footnotes."""
    for block, ancestors in walk_blocks(chapter.blocks):
        yield block, BlockPlace(ancestors, None)
    for note in chapter.footnotes:
        for block, ancestors in walk_blocks(note.blocks):
            yield block, BlockPlace(ancestors, note)


def chapter_inlines(chapter: Chapter) -> Iterator[Inline]:
    """Every inline of ``chapter``, nested ones too, in reading order: the title, the
    body, then the footnotes."""
    yield from walk_inlines(chapter.title)
    for block, _ in chapter_blocks(chapter):
        for inlines in own_inlines(block):
            yield from walk_inlines(inlines)


def map_chapter_blocks(chapter: Chapter, fn: BlockFn) -> Chapter:
    """``chapter`` with :func:`map_blocks` applied to its body and to each footnote."""
    blocks = map_blocks(chapter.blocks, fn)  # the body first: passes count in reading order
    notes = tuple(replace(n, blocks=map_blocks(n.blocks, fn)) for n in chapter.footnotes)
    return replace(chapter, blocks=blocks, footnotes=notes)


def map_chapter(chapter: Chapter, fn: InlineFn) -> Chapter:
    """``chapter`` with ``fn`` applied in reading order: title, body, then footnotes."""
    title = map_inlines(chapter.title, fn)
    mapped = map_chapter_blocks(chapter, lambda b: map_own_inlines(b, lambda s: map_inlines(s, fn)))
    return replace(mapped, title=title)


# ---------------------------------------------------------------- questions about a book


def book_texts(
    book: Book, terms_native: bool, metadata_at: Location | None = None
) -> Iterable[tuple[str, Location]]:
    """Every text of ``book`` a reader sees on the page, with the place it comes from;
    ``terms_native`` when the edition is in the glossary's language (its terms are shown
    as hanzi, not as names followed by hanzi); ``metadata_at``, where the title and the
    other metadata were written, if not in book.yaml (a translation's catalog).

    Alt texts are left out: they are read aloud, not drawn, and need no glyph; so are
    formulas, which :mod:`pubtool.formulas` checks against the math font.
    """
    meta = book.metadata
    here = metadata_at or Location(book.project.book_yaml)
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
        yield plain_text(chapter.title), chapter.title_location or chapter.location
        for block, _place in chapter_blocks(chapter):
            if isinstance(block, Figure):  # its image is not text; its caption is
                if block.caption:
                    yield plain_text(block.caption), block.location
                continue
            if isinstance(block, Table):
                for cell in (c for row in (*block.head, *block.body) for c in row):
                    yield plain_text(cell.children), cell.location or block.location
                if block.caption:
                    yield plain_text(block.caption), block.location
                continue
            if isinstance(block, CodeBlock):
                yield block.text, block.location
                if block.caption:
                    yield plain_text(block.caption), block.location
                continue
            for inlines in own_inlines(block):
                # images are not text, and formulas are drawn in the math font
                drawn = map_inlines(
                    inlines, lambda node: () if isinstance(node, Image | Math) else (node,)
                )
                yield plain_text(drawn), block.location
    for entry in book.glossary.entries.values():
        shown = (entry.pinyin, plain_text(entry.definition))
        for text in (entry.term, *shown) if terms_native else (entry.term, entry.hanzi, *shown):
            yield text, entry.location


def book_images(book: Book) -> list[tuple[Image, Location]]:
    """Every distinct image of the book, in reading order, with the block of its chapter
    (or footnote) where it is first used."""
    found: dict[Path, tuple[Image, Location]] = {}
    for chapter in book.chapters:
        for block, place in chapter_blocks(chapter):
            for inlines in own_inlines(block):
                for node in walk_inlines(inlines):
                    if isinstance(node, Image):
                        found.setdefault(node.file, (node, place.top(block).location))
    return list(found.values())


def skipped_heading_levels(chapter: Chapter) -> Iterator[tuple[Heading, int, int]]:
    """Each heading of the chapter that comes more than one level below the one before:
    (the heading, its level as shown, the level before). The chapter's title is level 1;
    a ``#`` heading in the body is shown at level 2."""
    level = 1
    for block in chapter.blocks:
        if isinstance(block, Heading):
            shown = max(block.level, 2)
            if shown > level + 1:
                yield block, shown, level
            level = shown


def without_places(value: object, root: Path) -> object:
    """What ``value`` (a node, a book) holds, as plain nested tuples, with every place it
    was written at (a :class:`Location`, the lines of book.yaml) left out and every path
    made relative to ``root``: a paragraph moved to other lines or reflowed, or the whole
    project moved to another folder, gives the same value."""
    if isinstance(value, Location):
        return None
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple(
                (f.name, without_places(getattr(value, f.name), root))
                for f in fields(value)
                if f.name != "key_lines"
            ),
        )
    if isinstance(value, tuple | list):
        return tuple(without_places(item, root) for item in value)
    if isinstance(value, dict):
        return tuple((key, without_places(item, root)) for key, item in value.items())
    if isinstance(value, Path):
        return value.relative_to(root).as_posix() if value.is_relative_to(root) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def footnotes_numbered_across(book: Book) -> Book:
    """``book`` with its footnotes numbered across the book (``footnote_numbering:
    book``): each chapter's go on from the last of the chapters before it."""
    if book.metadata.footnote_numbering != "book":
        return book
    chapters, offset = [], 0
    for chapter in book.chapters:

        def renumbered(node: Inline, offset: int = offset) -> tuple[Inline, ...]:
            if isinstance(node, FootnoteRef):
                return (replace(node, number=node.number + offset),)
            return (node,)

        notes = tuple(replace(n, number=n.number + offset) for n in chapter.footnotes)
        chapters.append(replace(map_chapter(chapter, renumbered), footnotes=notes))
        offset += max((n.number for n in chapter.footnotes), default=0)
    return replace(book, chapters=tuple(chapters))


def footnotes_at_calls(book: Book) -> Book:
    """For print: the first call of each footnote carries the note's blocks (paragraphs,
    code, lists, tables), which float from there to the foot of its page."""
    chapters = []
    for chapter in book.chapters:
        notes = {note.number: note for note in chapter.footnotes}

        def attach(node: Inline, notes: dict[int, Footnote] = notes) -> tuple[Inline, ...]:
            if isinstance(node, FootnoteRef) and node.anchor == f"fnref-{node.number}":
                note = notes.get(node.number)
                if note is not None:
                    return (replace(node, blocks=note.blocks),)
            return (node,)

        chapters.append(map_chapter(chapter, attach))
    return replace(book, chapters=tuple(chapters))
