"""Translation QA: what `pubtool i18n check` (and `pubtool check`) finds in a language's
catalogs, each finding at the line of its msgstr, with a stable code and a hint.

Every translated (not fuzzy) entry is read with the manuscript's own inline syntax, the
msgid with the source language's reader and the msgstr with the edition's, and compared:

- ``qa-footnote`` (error): a footnote call dropped or added; the EPUB would fail
  EPUBCheck and the note would vanish from print;
- ``qa-placeholder`` (error): a ``%(name)s`` of a template word missing or unknown
  (Babel's own format checker);
- ``qa-term``: a term reference dropped, added or pointing elsewhere;
- ``qa-link``: a link's address changed (a language subdomain swapped for the edition's,
  en.wikipedia.org → zh.wikipedia.org, is a localized link, not a change);
- ``qa-markup``: emphasis, strong, code spans, images or raw HTML that differ, or
  markup characters left unbalanced (``**辣*``, a stray backtick);
- ``qa-number``: a number of the msgid written neither in digits nor, as CLDR spells
  numbers in the language (ICU), in words;
- ``qa-punct``: in Chinese and Japanese, ASCII , . : ; ? ! ( ) between two hanzi; in
  every language, brackets and quotation marks that do not pair up (French spaces
  before ; : ! ? are pubtool's to add, not the translator's);
- ``qa-identical``: a msgstr that is its prose msgid, untranslated.

A translator silences one finding of one entry with a translator comment
``# pubtool: ignore qa-number`` (``update`` keeps translator comments).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from pubtool import icudata, languages
from pubtool.catalogs import UI_DOMAIN, Translations
from pubtool.errors import Diagnostic, Location, Report, Severity
from pubtool.i18n import Entry, PoFile, format_errors
from pubtool.languages import Language
from pubtool.localize import difference
from pubtool.manuscript import MarkdownReader
from pubtool.model import (
    Book,
    Code,
    Emphasis,
    FootnoteRef,
    HtmlElement,
    Image,
    Inline,
    Link,
    Strong,
    TermRef,
    Text,
    walk_inlines,
)

#: Han characters (with extensions): the script of Chinese and Japanese kanji.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ASCII_BETWEEN_HAN = re.compile(f"[{_HAN}]([,.:;?!()])[{_HAN}]")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")
#: Pairs that must match in a msgstr's text.
_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (pair[0], pair[1]) for pair in ("()", "（）", "[]", "「」", "『』", "《》", "〈〉")
)
_IGNORE = re.compile(r"pubtool:\s*ignore\s+([\w\s,-]+)")


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: the diagnostic (at the msgstr's line) and the msgid it is about."""

    diagnostic: Diagnostic
    msgid: str


def check_language(book: Book, translations: Translations) -> list[Finding]:
    """Every finding in the catalogs of ``translations`` (a language's own catalogs)."""
    language = languages.profile(translations.lang)
    # readers of their own: what they cannot read, the build reports; here it is compared
    source = MarkdownReader(book.project.root, Report(), languages.find(book.metadata.language))
    target = source.for_language(language)
    chapters = {chapter.id: chapter for chapter in book.chapters}
    findings: list[Finding] = []
    for domain, po in translations.catalogs.items():
        chapter = chapters.get(domain)
        notes = {n.label: n.number for n in chapter.footnotes} if chapter else {}
        lines = _msgstr_lines(po)
        for entry in po.active():
            if not entry.msgstr or entry.fuzzy:
                continue
            where = Location(po.path, lines.get(entry.line or 0, entry.line))
            ignored = _ignored(entry)
            for code, severity, message, hint in _entry_findings(
                entry, domain, source, target, language, notes, where
            ):
                if code not in ignored:
                    findings.append(
                        Finding(Diagnostic(code, severity, message, where, hint), entry.msgid)
                    )
    return findings


def report_findings(findings: Iterable[Finding], report: Report) -> None:
    report.diagnostics.extend(finding.diagnostic for finding in findings)


def _ignored(entry: Entry) -> set[str]:
    codes: set[str] = set()
    for comment in entry.comments:
        match = _IGNORE.search(comment)
        if match:
            codes.update(c for c in re.split(r"[\s,]+", match.group(1)) if c)
    return codes


def _msgstr_lines(po: PoFile) -> dict[int, int]:
    """For each entry's msgid line, the line of its msgstr (the finding's place)."""
    try:
        text = po.path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    out: dict[int, int] = {}
    for entry in po.entries:
        start = entry.line or 0
        for number in range(start, min(start + 400, len(text) + 1)):
            if text[number - 1].startswith("msgstr"):
                out[start] = number
                break
    return out


Found = tuple[str, Severity, str, str]


def _entry_findings(
    entry: Entry,
    domain: str,
    source_reader: MarkdownReader,
    target_reader: MarkdownReader,
    language: Language,
    notes: dict[str, int],
    where: Location,
) -> Iterator[Found]:
    if domain == UI_DOMAIN:
        for problem in format_errors(entry, language.declared):
            yield (
                "qa-placeholder",
                Severity.ERROR,
                problem,
                "keep every %(name)s of the msgid, spelt as it is",
            )
        return
    source = source_reader.parse_inline(entry.msgid, where, footnotes=notes)
    translated = target_reader.parse_inline(entry.msgstr, where, footnotes=notes)
    yield from _markup(source, translated)
    yield from _numbers(_text(source), _text(translated), language)
    yield from _punctuation(_text(translated), language)
    prose = re.findall(r"[^\W\d_]{3,}", _text(source))  # words, not codes like CC BY-SA
    if entry.msgstr == entry.msgid and len(prose) >= 3:
        yield (
            "qa-identical",
            Severity.WARNING,
            "the translation is the source text itself",
            "translate it, or add `# pubtool: ignore qa-identical` if it stays as written",
        )


def _text(nodes: tuple[Inline, ...]) -> str:
    """The prose of ``nodes``: their text nodes (not code, addresses or term ids)."""
    return "".join(n.text for n in walk_inlines(nodes) if isinstance(n, Text))


def _markup(source: tuple[Inline, ...], translated: tuple[Inline, ...]) -> Iterator[Found]:
    def kinds(nodes: tuple[Inline, ...], kind: type) -> Counter[str]:
        counted: Counter[str] = Counter()
        for node in walk_inlines(nodes):
            if isinstance(node, kind):
                counted[_key(node)] += 1
        return counted

    before, after = kinds(source, FootnoteRef), kinds(translated, FootnoteRef)
    if before != after:
        yield (
            "qa-footnote",
            Severity.ERROR,
            "the translation's footnote calls differ from the source: " + difference(before, after),
            "keep every [^label] of the msgid: without it the note is lost from the edition",
        )
    before, after = kinds(source, TermRef), kinds(translated, TermRef)
    if before != after:
        yield (
            "qa-term",
            Severity.WARNING,
            f"the translation's term references differ from the source: "
            f"{difference(before, after)}",
            "keep every {term}`id` of the msgid (its label may be translated)",
        )
    before = Counter(_address(k) for k in kinds(source, Link).elements())
    after = Counter(_address(k) for k in kinds(translated, Link).elements())
    if before != after:
        yield (
            "qa-link",
            Severity.WARNING,
            f"the translation's links differ from the source: {difference(before, after)}",
            "keep each link's address (a page of the same site in the edition's language is fine)",
        )
    shown, written = _text(translated), _text(source)
    left = [m for m in ("**", "*", "`", "[^", "{term}") if shown.count(m) > written.count(m)]
    if left:  # the spans then differ too, because one is not closed: said once
        yield (
            "qa-markup",
            Severity.WARNING,
            f"the translation shows markup as text: {left[0]!r} is not closed or not read",
            "close each *emphasis*, **strong** and `code` as in the msgid",
        )
        return
    for kind, name in (
        (Emphasis, "emphasis"),
        (Strong, "strong"),
        (Code, "code"),
        (Image, "image"),
    ):
        a, b = sum(kinds(source, kind).values()), sum(kinds(translated, kind).values())
        if a != b:
            yield (
                "qa-markup",
                Severity.WARNING,
                f"the source has {a} {name} span(s), the translation {b}",
                "mark the same words (in Chinese, where italics have no place, say so with "
                "`# pubtool: ignore qa-markup`)",
            )
    before, after = kinds(source, HtmlElement), kinds(translated, HtmlElement)
    if before != after:
        yield (
            "qa-markup",
            Severity.WARNING,
            f"the translation's raw HTML differs from the source: {difference(before, after)}",
            "keep the msgid's HTML elements",
        )


def _key(node: Inline) -> str:
    match node:
        case FootnoteRef():
            return f"[^{node.number}]"
        case TermRef():
            return node.term_id
        case Link():
            return node.href
        case HtmlElement():
            return node.tag
        case _:
            return node.kind


def _address(href: str) -> str:
    """A link's address without a language subdomain (en.wikipedia.org = zh.wikipedia.org)."""
    parts = urlsplit(href)
    host = parts.hostname or ""
    labels = host.split(".")
    if len(labels) > 2 and re.fullmatch(r"[a-z]{2,3}(-[a-z]+)?", labels[0]):
        host = ".".join(labels[1:])
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else href


def _numbers(source: str, translated: str, language: Language) -> Iterator[Found]:
    for match in _NUMBER.finditer(source):
        written = match.group()
        if written in translated or language.in_digits(written) in translated:
            continue
        value = int(re.sub(r"\D", "", written)) if written.isdigit() else None
        if value is not None and icudata.spell_out(value, language.declared) in translated:
            continue
        yield (
            "qa-number",
            Severity.WARNING,
            f"the number {written} of the source is not in the translation",
            "keep it in digits or in words; if it is rightly written otherwise "
            "(1950s → 五十年代), add `# pubtool: ignore qa-number`",
        )


def _punctuation(text: str, language: Language) -> Iterator[Found]:
    if language.cjk and language.language in ("zh", "ja"):
        match = _ASCII_BETWEEN_HAN.search(text)
        if match:
            yield (
                "qa-punct",
                Severity.WARNING,
                f"ASCII {match.group(1)!r} between hanzi: {match.group()!r}",
                "use the full-width mark (，。：；？！（）)",
            )
    # the language's own quotation marks (CLDR: „“ in German, « » in French); a pair
    # closed by ’ is left out, as ’ is also the apostrophe (l’argile, don’t)
    start, end, inner_start, inner_end = language.quotes
    quotes = [(a, b) for a, b in ((start, end), (inner_start, inner_end)) if b != "’"]
    for opening, closing in (*_PAIRS, *quotes):
        if opening == closing:
            continue
        if text.count(opening) != text.count(closing):
            yield (
                "qa-punct",
                Severity.WARNING,
                f"{text.count(opening)} {opening!r} but {text.count(closing)} {closing!r}",
                "close each bracket and quotation mark",
            )
