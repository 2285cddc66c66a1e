"""Cross-references: the ids authors write, and where their links lead.

A heading's id is the one GitHub and mdBook give it (``## Accessing Values in a Hash
Map`` is ``#accessing-values-in-a-hash-map``, ``## 安装与配置`` is ``#安装与配置``, the
second ``## Summary`` of a chapter ``#summary-1``) unless the author wrote one
(``## Summary {#summary-of-part-one}``). An element of raw HTML is found by its ``id``.
These *written* ids are unique in their chapter; the *anchors* the editions carry are
unique in the whole book, because the print edition is one document: each chapter's
``targets`` maps what was written to its anchor. The reader records every link into the
book (:class:`LinkTarget`); :func:`check_links` reports those that lead nowhere, with the
closest ids, and :func:`resolve_links` (a pass) points every link at its anchor.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from pubtool.errors import Location, Report
from pubtool.model import (
    Block,
    Book,
    Chapter,
    CodeBlock,
    Figure,
    HtmlElement,
    Inline,
    Link,
    Table,
    chapter_inlines,
    map_chapter,
    map_chapter_blocks,
    map_inlines,
)


def heading_id(text: str) -> str:
    """The id GitHub and mdBook give a heading of ``text``: lower case; letters, marks,
    digits, ``_`` and ``-`` kept in their own script, each space a hyphen, everything else
    left out ("Fire & Copper" -> "fire--copper", "Vec<T>" -> "vect")."""
    out: list[str] = []
    for char in text.strip().lower():
        if char.isspace():
            out.append("-")
        elif char in "-_" or unicodedata.category(char)[0] in "LMN":
            out.append(char)
    return "".join(out)


#: XML 1.0's NameStartChar (fifth edition, production [4]); an anchor must be an XML name
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
#: NameChar (production [4a]) without the colon, which XHTML ids may not hold either
_NAME = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
#: ids pubtool gives what it makes itself (notes, terms, pages, its own documents)
_GENERATED = re.compile(
    r"(fn|fnref|gl|page|ch|doc|sec|pubtool)-.*|toc(-title)?|landmarks(-title)?"
    r"|glossary(-title)?|page-list(-title)?|subjects"
)


def anchor_for(written: str, taken: set[str]) -> str:
    """The anchor of the written id ``written``: itself when it is an XML name that no
    other place of the book has and that pubtool does not make itself, else ``sec-`` and
    the id, numbered until it is free."""
    if _NAME.fullmatch(written) and not _GENERATED.fullmatch(written) and written not in taken:
        taken.add(written)
        return written
    base = "sec-" + (written if _NAME.fullmatch("s" + written) else "section")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def unique_in_chapter(written: str, seen: Container[str]) -> str:
    """``written``, or as GitHub and mdBook number a repeated one: ``summary-1``, ``-2``…"""
    candidate, n = written, 0
    while candidate in seen:
        n += 1
        candidate = f"{written}-{n}"
    return candidate


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A link into the book, as written at ``location``: the chapter file it names
    (its own for ``#id``) and the id after ``#`` ("" for the chapter itself)."""

    location: Location
    path: Path
    fragment: str
    written: str


def raw_ids(chapter: Chapter) -> list[str]:
    """The ids of the chapter's raw HTML elements (``<a id="x">``, ``<span id="y">``)."""
    return [
        value
        for node in chapter_inlines(chapter)
        if isinstance(node, HtmlElement)
        for name, value in node.attrs
        if name == "id"
    ]


def check_links(chapters: tuple[Chapter, ...], links: list[LinkTarget], report: Report) -> None:
    """Report each link whose chapter is not in the book, or whose id is not in it."""
    by_path = {chapter.path.resolve(): chapter for chapter in chapters}
    for link in links:
        chapter = by_path.get(link.path.resolve())
        if chapter is None:
            report.error(
                "link-chapter",
                f"link {link.written!r} leads to {link.path.name}, which is not a chapter "
                "of the book",
                link.location,
                "link to one of the book's chapters, or add this file to the book",
            )
            continue
        fragment = unquote(link.fragment)
        if not fragment or fragment in chapter.targets:
            continue
        known = list(chapter.targets)
        close = difflib.get_close_matches(fragment, known, n=3, cutoff=0.5)
        shown = close or known[:5]
        where = "this chapter" if link.written.startswith("#") else chapter.path.name
        report.error(
            "link-anchor",
            f"link {link.written!r}: no heading or id #{fragment} in {where}",
            link.location,
            (
                ("the closest ids: " if close else "its ids include: ")
                + ", ".join(f"#{i}" for i in shown)
                if shown
                else f"{chapter.path.name} has no headings to link to"
            )
            + "; a heading's id is its words in lower case with hyphens for spaces, "
            "or the one written after it as {#id}",
        )


def number_figures(book: Book) -> Book:
    """Each captioned figure, table and listing numbered by its chapter's number and its own:
    Figure 3.2, Listing A.1; in a chapter without a number (a preface), its own alone. A
    listing whose number the author wrote keeps it."""

    def numbered(prefix: str, block: Block) -> Block:
        if isinstance(block, Figure | CodeBlock | Table) and block.number:
            if isinstance(block, CodeBlock) and block.fixed:
                return block
            return replace(block, number=f"{prefix}.{block.number}" if prefix else block.number)
        return block

    chapters = tuple(
        map_chapter_blocks(chapter, partial(numbered, chapter.number)) for chapter in book.chapters
    )
    return replace(book, chapters=chapters)


def cross_referenced(book: Book) -> Book:
    """The pass "cross-references": links pointed at their anchors, figures and listings
    numbered."""
    return number_figures(resolve_links(book))


def is_internal(href: str) -> bool:
    """Whether a link leads to a place of the book (``#id``, ``ch-x.xhtml#id``), not to
    a web or mail address."""
    return ":" not in href.split("#")[0]


def resolve_links(book: Book) -> Book:
    """Every link into the book pointed at the anchor its id stands for (the pass
    "resolve links")."""
    by_document = {f"{chapter.id}.xhtml": chapter for chapter in book.chapters}

    def resolved(chapter: Chapter | None, node: Inline) -> tuple[Inline, ...]:
        if not isinstance(node, Link) or not is_internal(node.href):
            return (node,)
        document, hash_, fragment = node.href.partition("#")
        target = by_document.get(document) if document else chapter
        if not hash_ or target is None:
            return (node,)
        anchor = target.targets.get(unquote(fragment))
        return (replace(node, href=f"{document}#{anchor}"),) if anchor else (node,)

    chapters = tuple(map_chapter(chapter, partial(resolved, chapter)) for chapter in book.chapters)
    entries = {
        key: replace(entry, definition=map_inlines(entry.definition, partial(resolved, None)))
        for key, entry in book.glossary.entries.items()
    }
    return replace(book, chapters=chapters, glossary=replace(book.glossary, entries=entries))
