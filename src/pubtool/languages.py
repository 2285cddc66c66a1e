"""What an edition's language means for its text and its pages, from CLDR: its script,
its direction, its quotation marks, its font group, how it numbers chapters.

A :class:`Language` is made from a language tag (``zh``, ``zh-Hant``, ``ja``, ``ar``) by
:func:`profile`; templates, stylesheets and passes read it, and nothing else in pubtool
decides by the name of a language. The facts come from CLDR: the tag's script (or the
likely script: ``zh`` → Hans, ``zh-TW`` → Hant, ``ja`` → Jpan, ``ar`` → Arab), its
character order, and its quotation marks. What CLDR has no data for is a rule of
typography, written here with the reason: French spacing, and Chinese chapter numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pubtool import i18n, icudata

Direction = Literal["ltr", "rtl"]

#: Scripts that write Han characters themselves: a run of hanzi in such an edition is
#: its own language, never a foreign run (Japanese kanji, Korean hanja).
HAN_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Kore"})
#: Scripts written without spaces between words (and so between sentences).
UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Thai", "Laoo", "Khmr", "Mymr"})

#: The font group of each script (see :data:`pubtool.fonts.DEFAULTS`).
SCRIPT_FONTS = {
    "Latn": "latin",
    "Cyrl": "cyrillic",
    "Grek": "greek",
    "Arab": "arabic",
    "Hebr": "hebrew",
    "Deva": "devanagari",
    "Thai": "thai",
    "Hans": "han-sc",
    "Hant": "han-tc",
    "Jpan": "japanese",
    "Kore": "korean",
}

#: The language of the glossary's terms: its fields are hanzi and pinyin.
TERMS = "zh"
#: The tag of pinyin, a romanization of the terms (BCP 47: language, script, variant).
PINYIN = "zh-Latn-pinyin"
#: The tag of zhuyin (Bopomofo), the annotation of a derived edition with `ruby: zhuyin`.
ZHUYIN = "zh-Bopo"


@dataclass(frozen=True, slots=True)
class Language:
    """An edition's language.

    ``tag`` is the tag as the book writes it (canonical: ``zh``, ``zh-Hant``); ``declared``
    is the BCP 47 tag the edition declares (``lang``, ``dc:language``), with its script
    where CLDR has a locale for the language in that script (``zh`` → ``zh-Hans``), so
    that reading systems pick the right fonts.
    """

    tag: str
    declared: str
    language: str
    script: str
    territory: str
    direction: Direction
    quotes: tuple[str, str, str, str]  # opening, closing, inner opening, inner closing
    name: str  # the language's name in itself
    digits: str = "0123456789"  # of the language's numbering system, zero first

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def cjk(self) -> bool:
        """Written with Han characters (Chinese, Japanese, Korean): no italics, hanzi
        runs are its own text, lines break between characters."""
        return self.script in HAN_SCRIPTS

    @property
    def italic(self) -> bool:
        """The script sets emphasis, titles and quotations in italics (and uses small
        capitals): Latin, Greek and Cyrillic do; Arabic, Hebrew and hanzi have no italic,
        and a slanted face is only a distortion (emphasis is set in bold instead)."""
        return self.script in {"Latn", "Grek", "Cyrl"}

    @property
    def joined(self) -> bool:
        """Letters join (Arabic, Syriac, Mongolian, N'Ko): spacing them out (letter-spacing)
        breaks the joins in some renderers."""
        return self.script in {"Arab", "Syrc", "Mong", "Nkoo", "Adlm", "Rohg"}

    @property
    def breaks_between_words(self) -> bool:
        """Lines break between words, never inside one, although the script could break
        between its syllables: Korean (CSS ``word-break: keep-all``)."""
        return self.script == "Kore"

    @property
    def word_spaces(self) -> bool:
        """Words (and sentences) are separated by spaces."""
        return self.script not in UNSPACED_SCRIPTS

    @property
    def fonts(self) -> str:
        """The font group of the edition's own text (``han-sc``, ``japanese``, ``arabic``…)."""
        if self.script == "Hant" and self.territory in {"HK", "MO"}:
            return "han-hk"
        return SCRIPT_FONTS.get(self.script, "latin")

    @property
    def spelled_chapter_numbers(self) -> bool:
        """Chapter numbers written in words: Chinese books number chapters 第一章, not 第1章
        (a rule of typography, not CLDR data)."""
        return self.language == "zh"

    @property
    def french_spacing(self) -> bool:
        """French typography: a narrow no-break space before ; : ! ? and inside « »."""
        return self.language == "fr"

    @property
    def gloss_marks(self) -> tuple[str, str]:
        """What encloses a gloss after a word, e.g. a term's hanzi and pinyin: " (" and ")"
        in English, full-width （ ） in Chinese and Japanese, ( ) without a space in Korean."""
        if self.script in UNSPACED_SCRIPTS & HAN_SCRIPTS:
            return ("（", "）")
        if self.script == "Kore":
            return ("(", ")")
        return (" (", ")")

    @property
    def paragraph_indent(self) -> str:
        """The first-line indent of a paragraph that follows another: two characters in
        Chinese, one in Japanese and Korean; "" for the western default (a rule of
        typography, not CLDR data)."""
        if self.language == "zh":
            return "2em"
        if self.script in {"Jpan", "Kore"}:
            return "1em"
        return ""

    def chapter_number(self, number: int) -> str:
        """How a chapter's number is written in this language (2; 二 in Chinese; ۲ in
        Persian)."""
        if self.spelled_chapter_numbers:
            return icudata.spell_out(number, self.declared)
        return self.numeral(number)

    def numeral(self, number: int) -> str:
        """``number`` in the digits of the language (12, ١٢)."""
        return self.in_digits(str(number))

    def in_digits(self, text: str) -> str:
        """``text`` (a date pubtool writes) with its digits 0-9 in the language's."""
        return text.translate(str.maketrans("0123456789", self.digits))

    @property
    def latin_digits(self) -> bool:
        return self.digits == "0123456789"


def find(tag: str) -> Language | None:
    """The language of ``tag``, or None if CLDR knows no such language."""
    return _profile(i18n.canonical_tag(tag))


def profile(tag: str) -> Language:
    """The language of ``tag``, which CLDR must know (``book.yaml`` is checked for that)."""
    found = find(tag)
    if found is None:
        raise ValueError(f"CLDR has no data for the language {tag!r}")
    return found


@cache
def _profile(tag: str) -> Language | None:
    facts = i18n.locale_facts(tag)
    if facts is None:
        return None
    parts = tag.split("-")
    has_script = any(len(p) == 4 and p.isalpha() for p in parts[1:])
    declared = tag
    if not has_script and facts.script_is_distinct:
        declared = "-".join([parts[0], facts.script, *parts[1:]])
    return Language(
        tag=tag,
        declared=declared,
        language=facts.language,
        script=facts.script,
        territory=facts.territory,
        direction="rtl" if facts.rtl else "ltr",
        quotes=icudata.quotation_marks(declared),
        name=facts.name,
        # the system from Babel's CLDR (newer than the system ICU's: Arabic is "latn"
        # there, "arab" in Egypt), its digits from ICU
        digits=icudata.digits(i18n.numbering_system(tag)),
    )


def terms_native(language: Language) -> bool:
    """Whether ``language`` is the glossary's own: terms are shown as hanzi with pinyin."""
    return language.language == profile(TERMS).language


def same_language(first: str, second: str) -> bool:
    """Whether two tags name one edition's language: equal once written canonically, or
    once CLDR's likely script and region are added (``zh``, ``zh-Hans`` and ``zh-CN``)."""
    a, b = i18n.canonical_tag(first), i18n.canonical_tag(second)
    return a.lower() == b.lower() or i18n.maximized(a) == i18n.maximized(b)
