"""Code highlighted with Pygments, its only importer: each code block split into lines
of runs with their token class, and the stylesheet rules of a Pygments style.

The language is the fence's first word, looked up among every lexer Pygments knows (by
name or alias: ``rust``, ``py``, ``sh``, ``c++``); a word it does not know leaves the
block plain, as mdBook and Pandoc do. The EPUB uses the ``xcode`` style, whose colours
all keep WCAG AA contrast (4.5:1 and more) on white; print uses ``bw``, which marks
tokens by weight and slant only and so reads the same in greyscale.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from pubtool.model import Block, Book, CodeBlock, CodeLine, CodeSpan, map_chapter_blocks

SCREEN_STYLE, PRINT_STYLE = "xcode", "bw"


@cache
def _lexer(language: str) -> Lexer | None:
    if not language:
        return None
    try:
        return get_lexer_by_name(language.lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _token_class(token: _TokenType) -> str:
    found: _TokenType | None = token
    while found is not None and found not in STANDARD_TYPES:
        found = found.parent
    return STANDARD_TYPES[found] if found is not None else ""


def code_lines(text: str, language: str) -> tuple[CodeLine, ...]:
    """``text`` as lines of runs with their token class (one plain run without a lexer)."""
    lexer = _lexer(language)
    tokens = lexer.get_tokens(text) if lexer is not None else [(None, text)]
    lines: list[list[CodeSpan]] = [[]]
    for token, value in tokens:
        kind = _token_class(token) if token is not None else ""
        for number, part in enumerate(value.split("\n")):
            if number:
                lines.append([])
            if part:
                last = lines[-1][-1] if lines[-1] else None
                if last is not None and last.token == kind:  # one run, not many
                    lines[-1][-1] = CodeSpan(kind, last.text + part)
                else:
                    lines[-1].append(CodeSpan(kind, part))
    if text.endswith("\n") and not lines[-1]:
        lines.pop()
    return tuple(tuple(line) for line in lines)


def highlight(book: Book) -> Book:
    """Every code block of ``book`` (footnotes' too) with its highlighted lines."""

    def one(block: Block) -> Block:
        if isinstance(block, CodeBlock) and not block.lines:
            return replace(block, lines=code_lines(block.text, block.language))
        return block

    return replace(book, chapters=tuple(map_chapter_blocks(c, one) for c in book.chapters))


@cache
def stylesheet(style: str, scope: str) -> str:
    """The CSS rules of the Pygments ``style`` for the token classes, under ``scope``."""
    formatter: HtmlFormatter[str] = HtmlFormatter(style=style)
    rules: list[str] = formatter.get_token_style_defs(scope)
    return "\n".join(rules)
