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
