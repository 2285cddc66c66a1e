"""The back-of-book index: entries as marks write them, each mark's anchor, and the
index of an edition, sorted and grouped as its language sorts (CLDR, through
:mod:`pubtool.icudata`).

A mark files the place where it stands under an entry of one or two levels
(``Jun porcelain; glazes``); each level may give the reading it sorts by, before an
``@`` (``へいちょうざん@平頂山``). A cross-reference is written as Sphinx writes one:
``see: Yao Bian; kiln transmutation`` files no place and sends the reader of "Yao Bian"
to "kiln transmutation". Every use of a glossary term is filed under the term's name
(or the entry its ``index`` names), unless book.yaml says ``index: false``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from pubtool import icudata
from pubtool.errors import Location, Report, did_you_mean
from pubtool.model import (
    Book,
    Chapter,
    IndexEntry,
    IndexGroup,
    IndexLocator,
    IndexMark,
    Inline,
    TermRef,
    chapter_inlines,
    map_chapter,
)

#: how many levels an entry may have: an entry and its sub-entries
LEVELS = 2
#: the words that make a mark a cross-reference, as Sphinx writes them
SEE_KINDS = {"see": "see", "seealso": "seealso", "see also": "seealso"}


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class Written:
    """An entry as a mark writes it: its levels, and for a cross-reference its kind and
    the entry it sends the reader to."""

    levels: tuple[str, ...]
    see: str = ""
    target: str = ""


def parse_entry(written: str) -> Written | Problem:
    """The entry ``written`` names (``Jun porcelain; glazes``, ``see: Yao Bian; kiln
    transmutation``), or what is wrong with it."""
    text = " ".join(written.split())
    head, colon, rest = text.partition(":")
    see = SEE_KINDS.get(head.strip().casefold(), "") if colon else ""
    if see:
        parts = [part.strip() for part in rest.split(";")]
        if len(parts) != 2 or not all(text_of(p) for p in parts):
            return Problem(
                f"a cross-reference names an entry and the entry it points to, not {rest!r}",
                f"write {{index}}`<{head.strip()}: Yao Bian; kiln transmutation>`: readers "
                "looking up Yao Bian are sent to kiln transmutation",
            )
        return Written((parts[0],), see, parts[1])
    levels = tuple(part.strip() for part in text.split(";"))
    if not all(text_of(level) for level in levels):
        return Problem(
            "an index entry is empty" if len(levels) == 1 else "an index entry has an empty level",
            "write the words the index lists: {index}`glaze` or "
            "{index}`glazes <Jun porcelain; glazes>`",
        )
    if len(levels) > LEVELS:
        return Problem(
            f"an index entry has {len(levels)} levels; the index has {LEVELS}: an entry and "
            "its sub-entries",
            f"file it under {'; '.join(levels[:LEVELS])!r}",
        )
    return Written(levels)


def reading_of(level: str) -> str:
    """What a level sorts by: its reading if it gives one (``reading@text``), else itself."""
    reading, at, text = level.partition("@")
    return reading.strip() if at and reading.strip() and text.strip() else level.strip()


def text_of(level: str) -> str:
    """What a level shows: its words without the reading."""
    reading, at, text = level.partition("@")
    return text.strip() if at and reading.strip() and text.strip() else level.strip()


# ---------------------------------------------------------------- the marks of a book


def anchored(book: Book) -> Book:
    """Every mark given its anchor, unique in the book (``ix-1``, ``ix-2``…) so that one
    print document can hold every chapter."""
    count = 0

    def one(node: Inline) -> tuple[Inline, ...]:
        nonlocal count
        if not isinstance(node, IndexMark) or node.see:
            return (node,)
        count += 1
        return (replace(node, anchor=f"ix-{count}"),)

    return replace(book, chapters=tuple(map_chapter(c, one) for c in book.chapters))


def marks(chapter: Chapter) -> Iterator[IndexMark]:
    return (node for node in chapter_inlines(chapter) if isinstance(node, IndexMark))


def translated(book: Book, translate: Callable[[str], str | None]) -> Book:
    """Every mark's levels in the edition's language: each level the catalog translates
    (``translate`` gives None for one it does not), the others as written."""

    def level(written: str) -> str:
        return translate(text_of(written)) or written

    def one(node: Inline) -> tuple[Inline, ...]:
        if not isinstance(node, IndexMark):
            return (node,)
        entry = tuple(level(written) for written in node.entry)
        target = level(node.target) if node.target else ""
        return (replace(node, entry=entry, target=target),)

    return replace(book, chapters=tuple(map_chapter(c, one) for c in book.chapters))


def messages(book: Book) -> Iterator[tuple[str, Location, str]]:
    """Each level the index shows, where it is written, and a note for the translator;
    a level once, at its first place."""
    seen: set[str] = set()
    found: list[tuple[str, Location, str]] = []
    for chapter in book.chapters:
        for mark in marks(chapter):
            levels = [*mark.entry, *([mark.target] if mark.target else [])]
            for n, level in enumerate(levels):
                words = text_of(level)
                if words in seen:
                    continue
                seen.add(words)
                if mark.target and n == 1:
                    note = f"index entry that readers of {text_of(mark.entry[0])!r} are sent to"
                elif n == 1:
                    note = f"index sub-entry under {text_of(mark.entry[0])!r}"
                else:
                    note = "index entry"
                found.append((words, mark.location, note))
    for entry in book.glossary.entries.values():
        filed = entry.index or ()
        for n, level in enumerate(filed):
            words = text_of(level)
            if words not in seen:
                seen.add(words)
                note = f"index sub-entry under {text_of(filed[0])!r}" if n else "index entry"
                found.append((words, entry.location, note))
    yield from found


# ---------------------------------------------------------------- the index of an edition


@dataclass
class _Node:
    """An entry being gathered: its words, reading, places and sub-entries."""

    text: str
    reading: str
    locators: list[IndexLocator] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)
    see: dict[str, str] = field(default_factory=dict)  # target's words -> kind
    where: Location | None = None


def _filed(book: Book) -> Iterator[tuple[tuple[str, ...], IndexLocator | None, IndexMark | None]]:
    """Every entry's levels with a place filed under it, in reading order; a
    cross-reference with its mark and no place."""
    entries = book.glossary.entries
    for chapter in book.chapters:
        for node in chapter_inlines(chapter):
            if isinstance(node, IndexMark):
                if node.see:
                    yield node.entry, None, node
                elif node.anchor:
                    yield node.entry, IndexLocator(chapter.id, node.anchor), node
            elif isinstance(node, TermRef) and node.anchor and book.metadata.index_terms:
                entry = entries.get(node.term_id)
                if entry is None or entry.index is None:
                    continue
                yield entry.index or (entry.term,), IndexLocator(chapter.id, node.anchor), None


def build(book: Book, lang: str, report: Report, *, source: bool) -> tuple[IndexGroup, ...]:
    """The index of the edition ``lang`` of ``book``: its entries sorted and grouped as
    CLDR's collation of the language (or book.yaml's ``collation``) says. A
    cross-reference to an entry the index does not have is reported at its mark: an
    error in the source edition, a warning in a translation (its catalogs)."""
    top: dict[str, _Node] = {}
    for levels, locator, mark in _filed(book):
        nodes = top
        node: _Node | None = None
        for level in levels:
            words = text_of(level)
            node = nodes.get(words)
            if node is None:
                node = nodes[words] = _Node(words, reading_of(level))
            elif reading_of(level) != words:  # a reading given at any place counts
                node.reading = reading_of(level)
            nodes = node.children
        assert node is not None
        if locator is not None:
            node.locators.append(locator)
        elif mark is not None and text_of(mark.target) != node.text:
            # (a reference to itself is dropped: a translation may name both alike, as
            # Chinese names "Sichuan pepper" and "Hua Jiao" 花椒)
            node.see.setdefault(text_of(mark.target), mark.see)
            node.where = mark.location
    collation = book.metadata.collation(lang)
    ids = _Ids()
    for node in top.values():
        for target in node.see:
            if target not in top:
                (report.error if source else report.warning)(
                    "index-see",
                    f"the index has no entry {target!r} to send readers of {node.text!r} to",
                    node.where,
                    _closest(target, top)
                    or "mark a place with that entry, or point to one the index has",
                )
    groups: dict[tuple[int, str], list[_Node]] = {}
    for node in top.values():
        groups.setdefault(icudata.index_group(node.reading, lang, collation), []).append(node)
    return tuple(
        IndexGroup(
            label,
            tuple(_entry(n, top, lang, collation, ids) for n in _sorted(nodes, lang, collation)),
        )
        for (_, label), nodes in sorted(groups.items())
    )


class _Ids:
    """Ids of entries in the index document: ``index-1``, ``index-2``… by words."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, ...], str] = {}

    def __call__(self, *words: str) -> str:
        return self.found.setdefault(words, f"index-{len(self.found) + 1}")


def _sorted(nodes: Iterable[_Node], lang: str, collation: str) -> list[_Node]:
    return sorted(
        nodes,
        key=lambda n: (
            icudata.sort_key(n.reading, lang, collation),
            icudata.sort_key(n.text, lang, collation),
            n.text,
        ),
    )


def _entry(
    node: _Node, top: dict[str, _Node], lang: str, collation: str, ids: _Ids, parent: str = ""
) -> IndexEntry:
    see = [(t, ids(t)) for t, kind in node.see.items() if kind == "see" and t in top]
    also = [(t, ids(t)) for t, kind in node.see.items() if kind == "seealso" and t in top]
    own = ids(parent, node.text) if parent else ids(node.text)
    return IndexEntry(
        node.text,
        own,
        tuple(node.locators),
        tuple(
            _entry(c, top, lang, collation, ids, node.text)
            for c in _sorted(node.children.values(), lang, collation)
        ),
        tuple(see),
        tuple(also),
    )


def _closest(target: str, top: dict[str, _Node]) -> str:
    return did_you_mean(target, top, cutoff=0.6) or ""


def entries(groups: Iterable[IndexGroup]) -> Iterator[IndexEntry]:
    """Every entry and sub-entry of an index, in its order."""
    for group in groups:
        for entry in group.entries:
            yield entry
            yield from entry.subentries
