"""Tag runs of hanzi inside text of a script that does not write them (hanzi in an
English or Arabic edition), so that readers pick the right font and voice.

The runs are the glossary's language (:data:`pubtool.languages.TERMS`: Chinese). In an
edition that writes Han characters itself (Chinese, Japanese, Korean) they are its own
text and stay untagged.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pubtool import languages
from pubtool.model import Book, Foreign, HtmlElement, Inline, Text, map_chapter, map_inlines

# Han ideographs (with extensions), CJK symbols and punctuation, full-width forms.
_HAN_RUN = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]+"
)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def split_han(text: str) -> tuple[Inline, ...]:
    """``text`` as plain runs and :class:`Foreign` runs of the glossary's language."""
    tag = languages.profile(languages.TERMS).declared
    out: list[Inline] = []
    pos = 0
    for match in _HAN_RUN.finditer(text):
        if not _HAN.search(match.group()):
            continue
        if match.start() > pos:
            out.append(Text(text[pos : match.start()]))
        out.append(Foreign(match.group(), tag))
        pos = match.end()
    if pos < len(text):
        out.append(Text(text[pos:]))
    return tuple(out)


def _writes_han(tag: str) -> bool:
    found = languages.find(tag) if tag else None
    return found is not None and found.cjk


def tag_foreign_runs(book: Book, edition_lang: str) -> Book:
    """Wrap runs of hanzi in :class:`Foreign` nodes unless the edition writes them itself."""
    if _writes_han(edition_lang):
        return book

    def tag(node: Inline) -> tuple[Inline, ...]:
        if isinstance(node, Text):
            return split_han(node.text)
        if isinstance(node, HtmlElement) and _writes_han(dict(node.attrs).get("lang", "")):
            # The author tagged this element already: its runs need no span of their own.
            plain = tuple(Text(c.text) if isinstance(c, Foreign) else c for c in node.children)
            return (replace(node, children=plain),)
        return (node,)

    glossary = replace(
        book.glossary,
        entries={
            k: replace(e, definition=map_inlines(e.definition, tag))
            for k, e in book.glossary.entries.items()
        },
    )
    return replace(
        book, chapters=tuple(map_chapter(c, tag) for c in book.chapters), glossary=glossary
    )
