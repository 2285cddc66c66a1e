"""A book set vertically (直排): what its text needs beyond the stylesheet.

Numbers of one or two digits (the 12 of 12 月, a footnote's 3) stand upright across the
column, as a vertical book sets them (縦中横, tate-chu-yoko): each run is marked
``<span class="tcy">``, which the stylesheet combines (``text-combine-upright: all``).
CSS's own ``text-combine-upright: digits 2`` would do it without marks, but no reading
engine tried implements it (Chromium, WebKit: 2026-12). Longer numbers (1957 年) are
marked ``<span class="upright">`` and stand digit by digit; Latin words are turned
sideways, as typesetters of vertical Chinese do. The same marks serve the numbers the
templates write (the date on the copyright page): :func:`upright_markup`.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from pubtool.model import Book, HtmlElement, Inline, Text, map_chapter, plain_text

#: A number of ASCII digits standing alone (not inside a decimal number, a Latin word or
#: a code like A4): one or two digits are combined across the column, longer ones (a
#: year) set upright digit by digit.
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])[0-9]+(?![0-9A-Za-z]|[.,][0-9])")


def upright(text: str) -> tuple[Inline, ...]:
    """``text`` with each number in an upright span: ``tcy`` (combined) for one or two
    digits, ``upright`` (digit by digit) for more."""
    out: list[Inline] = []
    pos = 0
    for match in _NUMBER.finditer(text):
        if match.start() > pos:
            out.append(Text(text[pos : match.start()]))
        kind = "tcy" if len(match.group()) <= 2 else "upright"
        out.append(HtmlElement("span", (("class", kind),), (Text(match.group()),)))
        pos = match.end()
    if pos < len(text):
        out.append(Text(text[pos:]))
    return tuple(out) if out else (Text(text),)


def upright_markup(text: str) -> str:
    """``text`` as XHTML, its numbers in the same upright spans (for a template)."""
    out = []
    for part in upright(text):
        if isinstance(part, HtmlElement):
            kind = dict(part.attrs)["class"]
            out.append(f'<span class="{kind}">{html.escape(plain_text(part.children))}</span>')
        else:
            out.append(html.escape(plain_text((part,))))
    return "".join(out)


def upright_numbers(book: Book) -> Book:
    """Every chapter with its short numbers upright."""

    def one(node: Inline) -> tuple[Inline, ...]:
        return upright(node.text) if isinstance(node, Text) else (node,)

    return replace(book, chapters=tuple(map_chapter(chapter, one) for chapter in book.chapters))
