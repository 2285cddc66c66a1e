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
  numbers in the language (ICU), in words (a decade, the 1950s, may be written by its
  tens: 20世纪50年代, 二十世纪五十年代);
- ``qa-punct``: in Chinese and Japanese, ASCII , . : ; ? ! ( ) between two hanzi; in
  every language, brackets and quotation marks that do not pair up (French spaces
  before ; : ! ? are pubtool's to add, not the translator's);
- ``qa-termbase``: a glossary term the msgid names (by a term reference that shows the
  term's name, or by the name in plain text) whose approved rendering the msgstr lacks:
  the term's translation in the ``book`` catalog, else in Chinese the glossary's hanzi
  (a derived edition's form of them), else the term's own name;
- ``qa-spacing``: in Chinese and Japanese, a space written between a hanzi and a Latin
  letter or digit (the rule: none, as in 1957年 and 是TikTok), unless the source is
  itself written so (a book written in Chinese with spaces keeps its convention);
- ``qa-identical``: a msgstr that is its prose msgid, untranslated;
- ``qa-length``: a msgstr whose length, against its msgid's, lies far outside the ratio
  the language's other translations keep (a paragraph half translated, or two merged).

A translator silences one finding of one entry with a translator comment
``# pubtool: ignore qa-number`` (``update`` keeps translator comments).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from pubtool import convert, icudata, languages
from pubtool.catalogs import BOOK_DOMAIN, UI_DOMAIN, Translations
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
    inline_children,
    plain_text,
    walk_inlines,
)

#: Han characters (with extensions): the script of Chinese and Japanese kanji.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ASCII_BETWEEN_HAN = re.compile(f"[{_HAN}]([,.:;?!()])[{_HAN}]")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?=s\b|[^\w]|$)")  # 1950s too
#: Pairs that must match in a msgstr's text.
_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (pair[0], pair[1]) for pair in ("()", "（）", "[]", "「」", "『』", "《》", "〈〉")
)
_IGNORE = re.compile(r"pubtool:\s*ignore\s+([\w\s,-]+)")
_CARRIED = re.compile(r"[A-Za-z0-9][\w.-]*[\w]|[A-Za-z0-9]")
_SPACED = re.compile(f"[{_HAN}] +[A-Za-z0-9]|[A-Za-z0-9] +[{_HAN}]")
#: Length-ratio outliers: only texts this long (letters, not spaces) are compared, only
#: among this many, and only beyond this robust z-score (median and median deviation,
#: the deviation never taken below a tenth in log terms).
_LENGTH_MIN, _LENGTH_SAMPLE, _LENGTH_Z, _LENGTH_MAD = 40, 8, 3.5, 0.1


@dataclass(frozen=True, slots=True)
class _Terms:
    """The glossary as the termbase check reads it: each term's names in the source
    language and its approved rendering in the edition's."""

    names: dict[str, tuple[str, ...]]
    renderings: dict[str, str]
    fold: bool  # compared without case (scripts with case)

    def shows(self, term_id: str, text: str) -> bool:
        rendering = self.renderings[term_id]
        return (rendering.casefold() in text.casefold()) if self.fold else rendering in text


def _termbase(book: Book, translations: Translations, language: Language) -> _Terms:
    source_native = languages.terms_native(languages.profile(book.metadata.language))
    native = languages.terms_native(language)
    derivation = book.metadata.derivation(translations.lang)
    names: dict[str, tuple[str, ...]] = {}
    renderings: dict[str, str] = {}
    for key, entry in book.glossary.entries.items():
        names[key] = tuple(
            dict.fromkeys((entry.term, entry.hanzi) if source_native else (entry.term,))
        )
        named = translations.entry(BOOK_DOMAIN, entry.term)
        if named is not None:  # the translator's name for the term (鈞瓷, Porcelaine de Jun)
            rendering = named.msgstr
        elif native and derivation is not None:
            rendering = convert.form(entry, translations.lang) or convert.convert_text(
                entry.hanzi, derivation.convert
            )
        elif native:
            rendering = entry.hanzi
        else:
            rendering = entry.term
        renderings[key] = rendering
    return _Terms(names, renderings, fold=not language.cjk)


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
    terms = _termbase(book, translations, language)
    findings: list[Finding] = []
    lengths: list[tuple[float, Finding]] = []  # each prose entry's log length ratio
    for domain, po in translations.catalogs.items():
        chapter = chapters.get(domain)
        notes = {n.label: n.number for n in chapter.footnotes} if chapter else {}
        lines = _msgstr_lines(po)
        for entry in po.active():
            if not entry.msgstr or entry.fuzzy:
                continue
            where = Location(po.path, lines.get(entry.line or 0, entry.line))
            ignored = _ignored(entry)
            found, ratio = _entry_findings(
                entry, domain, source, target, language, notes, terms, where
            )
            for code, severity, message, hint in found:
                if code not in ignored:
                    findings.append(
                        Finding(Diagnostic(code, severity, message, where, hint), entry.msgid)
                    )
            if ratio is not None and "qa-length" not in ignored:
                lengths.append((ratio, Finding(_length_diagnostic(where), entry.msgid)))
    return findings + _length_outliers(lengths)


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
    terms: _Terms,
    where: Location,
) -> tuple[list[Found], float | None]:
    """The entry's findings, and for a chapter's text the log of its length ratio."""
    if domain == UI_DOMAIN:
        return [
            (
                "qa-placeholder",
                Severity.ERROR,
                problem,
                "keep every %(name)s of the msgid, spelt as it is",
            )
            for problem in format_errors(entry, language.declared)
        ], None
    source = source_reader.parse_inline(entry.msgid, where, footnotes=notes)
    translated = target_reader.parse_inline(entry.msgstr, where, footnotes=notes)
    found = [
        *_markup(source, translated, language),
        *_termbase_findings(source, translated, terms),
        *_numbers(_text(source), _text(translated), language),
        *_punctuation(_text(translated), language),
        *_spacing(source, translated, language),
    ]
    prose = re.findall(r"[^\W\d_]{3,}", _text(source))  # words, not codes like CC BY-SA
    if entry.msgstr == entry.msgid and len(prose) >= 3:
        found.append(
            (
                "qa-identical",
                Severity.WARNING,
                "the translation is the source text itself",
                "translate it, or add `# pubtool: ignore qa-identical` if it stays as written",
            )
        )
    return found, _length_ratio(_text(source), _text(translated))


def _text(nodes: tuple[Inline, ...]) -> str:
    """The prose of ``nodes``: their text nodes (not code, addresses or term ids)."""
    return "".join(n.text for n in walk_inlines(nodes) if isinstance(n, Text))


def _markup(
    source: tuple[Inline, ...], translated: tuple[Inline, ...], language: Language
) -> Iterator[Found]:
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
        if kind is Emphasis and language.cjk and b < a:
            continue  # italics have no place in CJK text: dropping them is right
        if a != b:
            yield (
                "qa-markup",
                Severity.WARNING,
                f"the source has {a} {name} span(s), the translation {b}",
                "mark the same words as the msgid",
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
        value = int(written) if written.isdigit() else None
        forms = [written]
        if value is not None:
            forms.append(icudata.spell_out(value, language.declared))
            decade = source[match.end() : match.end() + 1] == "s" and value % 10 == 0
            if decade and value >= 100:  # the 1950s: 20世纪50年代, 二十世纪五十年代
                tens = value % 100
                forms += [str(tens), icudata.spell_out(tens, language.declared)]
        if any(f in translated or language.in_digits(f) in translated for f in forms):
            continue
        yield (
            "qa-number",
            Severity.WARNING,
            f"the number {written} of the source is not in the translation",
            "keep it in digits or in words; if it is rightly written otherwise "
            "(or rightly left out), add `# pubtool: ignore qa-number`",
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


def _outside_terms(nodes: tuple[Inline, ...]) -> str:
    """The prose of ``nodes`` outside term references (a term's label is not a mention)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, TermRef):
            parts.append(" ")
        elif isinstance(node, Text):
            parts.append(node.text)
        else:
            parts.append(_outside_terms(inline_children(node)))
    return "".join(parts)


def _termbase_findings(
    source: tuple[Inline, ...], translated: tuple[Inline, ...], terms: _Terms
) -> Iterator[Found]:
    refs = [
        n
        for n in walk_inlines(translated)
        if isinstance(n, TermRef) and n.term_id in terms.renderings
    ]
    referenced = {n.term_id for n in refs}
    # a reference whose label the translator wrote must show the term, where the source's does
    named_in_source = {
        n.term_id
        for n in walk_inlines(source)
        if isinstance(n, TermRef)
        and n.term_id in terms.names
        and (
            n.label is None
            or any(
                name.casefold() in plain_text(n.label).casefold() for name in terms.names[n.term_id]
            )
        )
    }
    for ref in refs:
        if ref.term_id in named_in_source and ref.label is not None:
            label = plain_text(ref.label)
            if not terms.shows(ref.term_id, label):
                yield (
                    "qa-termbase",
                    Severity.WARNING,
                    f"the term {ref.term_id!r} is labelled {label!r}, but the glossary's "
                    f"rendering is {terms.renderings[ref.term_id]!r}",
                    f"write {{term}}`{ref.term_id}` to show the glossary's rendering, "
                    "or use it in the label",
                )
    prose, shown = _outside_terms(source), _outside_terms(translated)
    for term_id, names in terms.names.items():
        mentioned = any(
            re.search(rf"(?<!\w){re.escape(name)}(?!\w)", prose, re.IGNORECASE) for name in names
        )
        if mentioned and term_id not in referenced and not terms.shows(term_id, shown):
            yield (
                "qa-termbase",
                Severity.WARNING,
                f"the source names {names[0]!r}, but the translation does not have the "
                f"glossary's rendering {terms.renderings[term_id]!r}",
                f"use {terms.renderings[term_id]!r} (or {{term}}`{term_id}`); if the sentence "
                "rightly says it otherwise, add `# pubtool: ignore qa-termbase`",
            )


def _spacing(
    source: tuple[Inline, ...], translated: tuple[Inline, ...], language: Language
) -> Iterator[Found]:
    if not (language.cjk and language.language in ("zh", "ja")):
        return
    if _SPACED.search(_text(source)):
        return  # a source written in Han with spaces: its convention is the rule
    for node in walk_inlines(translated):
        match = _SPACED.search(node.text) if isinstance(node, Text) else None
        if match:
            yield (
                "qa-spacing",
                Severity.WARNING,
                f"a space between hanzi and Latin or digits: {match.group()!r}",
                "write none (1957年, 是TikTok): the rule in docs/translating.md",
            )
            return


def _letters(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _length_ratio(source_text: str, translated_text: str) -> float | None:
    """The log of the translation's length over the source's, for a source long enough:
    the prose each one writes, without what both carry as it is (numbers, names, codes
    such as CC BY-SA 4.0)."""
    kept = set(_CARRIED.findall(source_text)) & set(_CARRIED.findall(translated_text))
    for word in sorted(kept, key=len, reverse=True):
        source_text, translated_text = (
            source_text.replace(word, ""),
            translated_text.replace(word, ""),
        )
    source, translated = _letters(source_text), _letters(translated_text)
    if source < _LENGTH_MIN or not translated:
        return None
    return math.log(translated / source)


def _length_diagnostic(where: Location) -> Diagnostic:
    return Diagnostic(
        "qa-length",
        Severity.WARNING,
        "",
        where,
        "check that nothing is left out or doubled; if the length is right, add "
        "`# pubtool: ignore qa-length`",
    )


def _length_outliers(lengths: list[tuple[float, Finding]]) -> list[Finding]:
    """The entries whose length ratio is an outlier among the language's (robust z-score)."""
    if len(lengths) < _LENGTH_SAMPLE:
        return []
    ratios = [ratio for ratio, _ in lengths]
    middle = statistics.median(ratios)
    spread = max(statistics.median(abs(r - middle) for r in ratios), _LENGTH_MAD)
    out = []
    for ratio, finding in lengths:
        if 0.6745 * abs(ratio - middle) / spread > _LENGTH_Z:
            message = (
                f"the translation is {math.exp(ratio):.2f} times as long as the source, "
                f"where this language's translations are typically {math.exp(middle):.2f} times"
            )
            out.append(replace(finding, diagnostic=replace(finding.diagnostic, message=message)))
    return out
