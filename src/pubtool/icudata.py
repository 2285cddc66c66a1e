"""What ICU knows of a language that Babel does not carry: CLDR's quotation marks, the
digits of a numbering system (٠١٢ of "arab", ۰۱۲ of "arabext"), and numbers spelled out
by CLDR's rule-based number formats (第一章).

PyICU is imported here and nowhere else; it is built against the system's ICU
(libicu-dev), whose CLDR data it reads.
"""

from __future__ import annotations

from functools import cache

import icu


def _locale(tag: str) -> icu.Locale:
    return icu.Locale.forLanguageTag(tag)


@cache
def quotation_marks(tag: str) -> tuple[str, str, str, str]:
    """CLDR's quotation marks of ``tag``: opening and closing, then the inner pair
    (“ ” ‘ ’ in English, « » « » in French, 「 」 『 』 in Japanese)."""
    data = icu.LocaleData(_locale(tag).getName())
    kind = icu.ULocaleDataDelimiterType
    start, end, inner_start, inner_end = (
        data.getDelimiter(d)
        for d in (
            kind.QUOTATION_START,
            kind.QUOTATION_END,
            kind.ALT_QUOTATION_START,
            kind.ALT_QUOTATION_END,
        )
    )
    return (start, end, inner_start, inner_end)


@cache
def _spellout(tag: str) -> icu.RuleBasedNumberFormat:
    return icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, _locale(tag))


def spell_out(number: int, tag: str) -> str:
    """``number`` in words, as CLDR's numbering rules of ``tag`` write it (12 -> 十二)."""
    return str(_spellout(tag).format(number))


@cache
def digits(system_name: str) -> str:
    """The ten digits, zero first, of a CLDR numbering system ("latn" 0123456789, "arab"
    ٠١٢٣٤٥٦٧٨٩, "arabext" ۰۱۲۳۴۵۶۷۸۹). A system that is not a plain set of ten digits
    (Chinese ideographs), or one ICU does not know, gives 0-9."""
    system = icu.NumberingSystem.createInstanceByName(system_name)
    if system is None:
        return "0123456789"
    found = str(system.getDescription())
    if system.isAlgorithmic() or system.getRadix() != 10 or len(found) != 10:
        return "0123456789"
    return found


# ---------------------------------------------------------------- collation (the index)


def collations(tag: str) -> list[str]:
    """The collation types CLDR has for ``tag`` ("pinyin", "stroke", "zhuyin" for
    Chinese; "phonebook" for German), its default first."""
    found = icu.Collator.getKeywordValuesForLocale("collation", _locale(tag), True)
    return [str(name) for name in found if name not in ("search", "emoji", "eor")]


def _collated(tag: str, collation: str) -> icu.Locale:
    name = _locale(tag).getName()
    return icu.Locale(f"{name}@collation={collation}") if collation else icu.Locale(name)


@cache
def _collator(tag: str, collation: str) -> icu.Collator:
    return icu.Collator.createInstance(_collated(tag, collation))


def sort_key(text: str, tag: str, collation: str = "") -> bytes:
    """The key that sorts ``text`` as CLDR's collation of ``tag`` does (its default, or
    the type ``collation``): English ignores case and accents at first (Ōtsuka with O),
    Chinese sorts by pinyin (zh) or by strokes (zh-Hant), German by its dictionary rule."""
    return bytes(_collator(tag, collation).getSortKey(text))


@cache
def _alphabetic_index(tag: str, collation: str) -> tuple[icu.AlphabeticIndex, tuple[str, ...]]:
    found = icu.AlphabeticIndex(_collated(tag, collation))
    found.addLabels(icu.Locale.getEnglish())  # Latin words in a book of another script
    labels: list[str] = []
    found.resetBucketIterator()
    while found.nextBucket():
        normal = found.bucketLabelType == icu.UAlphabeticIndexLabelType.NORMAL
        labels.append(str(found.bucketLabel) if normal else "")
    return found, tuple(labels)


def index_group(text: str, tag: str, collation: str = "") -> tuple[int, str]:
    """The group of a book's index that ``text`` is filed in, as CLDR's index characters
    of ``tag`` make them (A–Z in English and in Chinese by pinyin, あかさたな in Japanese,
    strokes "1劃 2劃" in Chinese by strokes): its place among the groups and its heading
    ("" for the group of numbers, symbols and what the language's groups do not hold)."""
    found, labels = _alphabetic_index(tag, collation)
    number = int(found.getBucketIndex(text))
    return number, labels[number]


def range_separator(tag: str) -> str:
    """What CLDR puts between the two numbers of a range in ``tag`` ("–" in English,
    "-" in Chinese, "～" in Japanese)."""
    formatter = icu.NumberRangeFormatter.withLocale(_locale(tag))
    shown = str(formatter.formatIntRange(1, 9))
    return shown[1:-1].strip("\u200e\u200f\u061c")
