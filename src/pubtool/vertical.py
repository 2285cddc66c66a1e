"""A book set vertically (直排): what its text needs beyond the stylesheet.

Numbers of one or two digits (the 12 of 12 月, a footnote's 3) stand upright across the
column, as a vertical book sets them (縦中横, tate-chu-yoko): each run is marked
``<span class="tcy">``, which the stylesheet combines (``text-combine-upright: all``).
CSS's own ``text-combine-upright: digits 2`` would do it without marks, but no reading
engine tried implements it (Chromium, WebKit: 2026-12). Longer numbers and Latin words
are turned sideways, as typesetters of vertical Chinese do.
"""

from __future__ import annotations

import re

from pubtool.model import Book, HtmlElement, Inline, Text, map_chapter

#: One or two ASCII digits standing alone (not inside a longer number or a Latin word).
_SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])[0-9]{1,2}(?![0-9A-Za-z]|[.,][0-9])")


def upright(text: str) -> tuple[Inline, ...]:
    """``text`` with each short number in an upright span."""
    out: list[Inline] = []
    pos = 0
    for match in _SHORT_NUMBER.finditer(text):
        if match.start() > pos:
            out.append(Text(text[pos : match.start()]))
        out.append(HtmlElement("span", (("class", "tcy"),), (Text(match.group()),)))
        pos = match.end()
    if pos < len(text):
        out.append(Text(text[pos:]))
    return tuple(out) if out else (Text(text),)


def upright_numbers(book: Book) -> Book:
    """Every chapter with its short numbers upright."""

    def one(node: Inline) -> tuple[Inline, ...]:
        return upright(node.text) if isinstance(node, Text) else (node,)

    chapters = tuple(map_chapter(chapter, one) for chapter in book.chapters)
    return Book(book.project, book.metadata, chapters, book.glossary, book.modified)
