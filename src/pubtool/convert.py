"""Editions made from another edition by script conversion: Traditional Chinese from the
Simplified translation (or the other way), by OpenCC, the reference converter.

A derived edition (``languages: [{lang: zh-Hant-TW, from: zh, convert: s2twp}]``) has
no translation of its own. Its catalogs are made in memory (:func:`derived_translations`):
each message of the edition it is made from, converted; where the derived language has
a catalog of its own, each usable entry there wins over the conversion, message by
message (a translator writes only what the converter gets wrong). What does not come
from catalogs is converted by the pass :func:`convert_book`: the glossary's hanzi (a
term's ``forms`` win), the authors' and publisher's names; the ruby shows zhuyin where
the edition asks for it. Code is never converted: it is not prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from typing import Protocol

from pubtool import i18n, languages
from pubtool.catalogs import UI_DOMAIN, Translations, shipped_ui
from pubtool.errors import Report
from pubtool.i18n import Entry, PoFile, SourceMessage
from pubtool.model import (
    Book,
    Derivation,
    GlossaryEntry,
    HtmlElement,
    Image,
    Inline,
    Link,
    Text,
    map_inlines,
)


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


def configurations() -> tuple[str, ...]:
    """The OpenCC configurations there are (``s2t``, ``s2tw``, ``s2twp``, ``t2s``, …)."""
    import opencc

    return tuple(sorted(name.removesuffix(".json") for name in opencc.CONFIGS))


def default_configuration(lang: str, source: str) -> str | None:
    """The configuration that turns the script of ``source`` into that of ``lang``: to
    Traditional for Taiwan ``s2tw``, Hong Kong and Macau ``s2hk``, elsewhere ``s2t``; to
    Simplified ``t2s``; None when the two tags are not Chinese in two scripts."""
    to_lang, to_script, to_region = _subtags(lang)
    from_lang, from_script, from_region = _subtags(source)
    if to_lang != "zh" or from_lang != "zh" or to_script == from_script:
        return None
    if from_script == "Hans" and to_script == "Hant":
        return {"TW": "s2tw", "HK": "s2hk", "MO": "s2hk"}.get(to_region, "s2t")
    if from_script == "Hant" and to_script == "Hans":
        return {"TW": "tw2s", "HK": "hk2s", "MO": "hk2s"}.get(from_region, "t2s")
    return None


def _subtags(tag: str) -> tuple[str, str, str]:
    """Language, script and region of ``tag`` once CLDR's likely subtags are added."""
    language, *rest = i18n.maximized(tag).split("-")
    script = next((p for p in rest if len(p) == 4), "")
    region = next((p for p in rest if (len(p) in (2, 3) and p.isupper()) or p.isdigit()), "")
    return language, script, region


@cache
def converter(configuration: str) -> _Converter:
    """OpenCC with ``configuration`` (one per process: loading its dictionaries takes
    a moment)."""
    import opencc

    made: _Converter = opencc.OpenCC(f"{configuration}.json")
    return made


def convert_text(text: str, configuration: str) -> str:
    """``text`` in the target script of ``configuration`` (configurations joined by ``+``
    are applied in turn, for an edition derived from a derived edition), with the
    quotation marks of that script."""
    for name in configuration.split("+") if text and configuration else ():
        text = _requote(converter(name).convert(text), name)
    return text


@cache
def _quote_table(configuration: str) -> dict[str, str]:
    """The quotation marks CLDR gives the source script of ``configuration``, each mapped
    to the target script's (“ ” ‘ ’ and 「 」 『 』); none for a conversion within a script."""
    to_traditional = configuration.startswith("s2")
    to_simplified = configuration in ("t2s", "tw2s", "tw2sp", "hk2s")
    if not (to_traditional or to_simplified):
        return {}
    simplified = languages.profile("zh-Hans").quotes
    traditional = languages.profile("zh-Hant").quotes
    pairs = zip(simplified, traditional, strict=True)
    table = {a: b for a, b in pairs} if to_traditional else {b: a for a, b in pairs}
    return {a: b for a, b in table.items() if a != b}


#: A letter or digit of a script that is not Chinese: between two of them, ’ is an
#: apostrophe (Xi’an, don’t), not a closing quotation mark.
_NOT_HAN_WORD = re.compile(r"[^\W_\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _requote(text: str, configuration: str) -> str:
    """``text`` with the quotation marks of the conversion's target script (Chinese text
    quotes a Latin phrase with them too); an apostrophe stays one."""
    table = _quote_table(configuration)
    if not table or not any(mark in text for mark in table):
        return text
    out = list(text)
    for i, char in enumerate(text):
        if char not in table:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        in_word = bool(before and after) and all(_NOT_HAN_WORD.match(c) for c in (before, after))
        if not (char in "‘’" and in_word):
            out[i] = table[char]
    return "".join(out)


#: The attributes of raw HTML that hold text a reader sees or hears.
_TEXT_ATTRS = ("title", "alt", "aria-label")


def convert_inlines(nodes: tuple[Inline, ...], configuration: str) -> tuple[Inline, ...]:
    """The text of ``nodes`` converted: text, alt texts and titles; not code, not
    addresses, not runs marked as another language."""

    def one(node: Inline) -> tuple[Inline, ...]:
        match node:
            case Text():
                return (Text(convert_text(node.text, configuration)),)
            case Image():
                alt, title = node.alt, node.title
                return (
                    replace(
                        node,
                        alt=convert_text(alt, configuration),
                        title=convert_text(title, configuration),
                    ),
                )
            case Link():
                return (replace(node, title=convert_text(node.title, configuration)),)
            case HtmlElement():
                attrs = tuple(
                    (name, convert_text(value, configuration) if name in _TEXT_ATTRS else value)
                    for name, value in node.attrs
                )
                return (replace(node, attrs=attrs),)
            case _:
                return (node,)

    return map_inlines(nodes, one)


# ---------------------------------------------------------------- catalogs


def derived_translations(
    derivation: Derivation,
    own: Translations,
    parent: Translations | None,
    source_messages: Mapping[str, Iterable[SourceMessage]],
) -> Translations:
    """The catalogs of a derived edition: for each message, the derived language's own
    usable entry, else the parent's entry converted (``parent`` None: the source text
    converted). Fuzzy and empty entries of the parent stay so (the edition falls back to
    the source, as its parent does). pubtool's own words (``ui``) are looked up in the
    derived language's shipped catalog before the parent's are converted."""
    shipped = shipped_ui(derivation.lang)
    domains: dict[str, PoFile] = {}
    names = [*source_messages, *(parent.catalogs if parent else ()), *own.catalogs]
    for domain in dict.fromkeys(names):
        entries: dict[str, Entry] = {}
        if parent is not None:
            theirs = parent.catalogs.get(domain)
            for entry in theirs.active() if theirs is not None else ():
                path = entry.path or (theirs.path if theirs else None)
                if domain != UI_DOMAIN:  # converted once parsed (see Localizer)
                    chain = "+".join(c for c in (entry.convert, derivation.convert) if c)
                    entries[entry.msgid] = replace(entry, path=path, convert=chain)
                elif shipped is None or entry.msgid not in shipped.by_msgid:
                    text = convert_text(entry.msgstr, derivation.convert)
                    entries[entry.msgid] = replace(entry, path=path, msgstr=text)
        elif domain != UI_DOMAIN:
            for message in source_messages.get(domain, ()):
                entries.setdefault(
                    message.msgid,
                    Entry(message.msgid, message.msgid, None, convert=derivation.convert),
                )
        mine = own.catalogs.get(domain)
        for entry in mine.active() if mine is not None else ():
            if entry.msgstr and not entry.fuzzy:
                entries[entry.msgid] = replace(entry, path=mine.path if mine else None)
        path = mine.path if mine is not None else own.folder / f"{domain}.po"
        domains[domain] = PoFile(path, tuple(entries.values()))
    made_from = (parent.made_from or parent.folder) if parent is not None else None
    return Translations(own.lang, own.folder, domains, made_from)


def overridden(own: Translations, made: Translations) -> int:
    """How many of ``made``'s messages came from the derived language's own catalogs."""
    mine = {po.path for po in own.catalogs.values()}
    return sum(1 for po in made.catalogs.values() for e in po.active() if e.path in mine)


# ---------------------------------------------------------------- the pass


def convert_book(book: Book, derivation: Derivation, report: Report) -> Book:
    """What of ``book`` does not come from catalogs, in the derived edition's script:
    the glossary's hanzi (a term's ``forms`` for the tag win), the names of the authors
    and the publisher; the ruby in zhuyin if the edition asks for it."""

    def entry(term: GlossaryEntry) -> GlossaryEntry:
        converted = convert_text(term.hanzi, derivation.convert)
        hanzi = form(term, derivation.lang) or converted
        # a term without a translation is named by its hanzi (in Chinese editions)
        name = hanzi if term.term in (term.hanzi, converted) else term.term
        pinyin = term.pinyin
        if derivation.ruby == "zhuyin" and term.pinyin:
            from pubtool import readings  # pypinyin's dictionaries (55 MB): only for zhuyin

            pinyin = readings.zhuyin(term.pinyin, term.hanzi)
            read = " ".join(readings.zhuyin_of(term.hanzi))
            if not pinyin:
                report.warning(
                    "zhuyin",
                    f"{term.id!r}: the pinyin {term.pinyin!r} cannot be written in zhuyin",
                    term.location,
                    "write the pinyin syllable by syllable, with tone marks (jūn cí)",
                )
                pinyin = term.pinyin
            elif pinyin != read:
                report.warning(
                    "zhuyin",
                    f"{term.id!r}: the zhuyin of the pinyin {term.pinyin!r} is {pinyin!r}, "
                    f"but pypinyin reads {term.hanzi} as {read!r}; the glossary's is shown",
                    term.location,
                    "check the pinyin's tones; for a word read two ways, the glossary decides",
                )
        return replace(term, term=name, hanzi=hanzi, pinyin=pinyin)

    meta = book.metadata
    return replace(
        book,
        glossary=replace(
            book.glossary, entries={key: entry(e) for key, e in book.glossary.entries.items()}
        ),
        metadata=replace(
            meta,
            authors=tuple(convert_text(a, derivation.convert) for a in meta.authors),
            publisher=convert_text(meta.publisher, derivation.convert),
        ),
    )


def form(term: GlossaryEntry, lang: str) -> str:
    """The hanzi a term's ``forms`` give for ``lang``: the longest tag that ``lang``
    begins with (``zh-Hant`` serves ``zh-Hant-TW``), else ""."""
    best = found = ""
    tags = (lang, i18n.maximized(lang))
    for tag, hanzi in term.forms:
        if any(t == tag or t.startswith(tag + "-") for t in tags) and len(tag) > len(best):
            best, found = tag, hanzi
    return found
