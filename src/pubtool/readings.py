"""Readings of hanzi, from pypinyin: the pinyin it gives for a word, and zhuyin
(Bopomofo, 注音符號), the annotation Taiwanese readers learn, written from pinyin."""

from __future__ import annotations

import re

from pypinyin import Style, pinyin
from pypinyin.style.bopomofo import BopomofoConverter

#: Between the syllables of a glossary's pinyin: spaces, apostrophes, hyphens.
SYLLABLE_BREAK = re.compile(r"[\s'’-]+")


def syllables(text: str) -> list[str]:
    """The syllables of pinyin as a glossary writes it ("jūn cí", "Xi'an")."""
    return [s for s in SYLLABLE_BREAK.split(text) if s]


def pinyin_of(hanzi: str) -> list[str]:
    """The pinyin pypinyin reads for ``hanzi``, one syllable (tone marks) per character."""
    return [p[0] for p in pinyin(hanzi, style=Style.TONE)]


def zhuyin_of(hanzi: str) -> list[str]:
    """The zhuyin pypinyin reads for ``hanzi``, one syllable per character."""
    return [p[0] for p in pinyin(hanzi, style=Style.BOPOMOFO)]


def zhuyin(text: str) -> str:
    """Pinyin with tone marks ("jūn cí") in zhuyin ("ㄐㄩㄣ ㄘˊ"), or "" if a syllable
    is not pinyin."""
    converter = BopomofoConverter()
    out = []
    for syllable in syllables(text):
        written = converter.to_bopomofo(syllable.lower())
        if not written or re.search("[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]", written):
            return ""
        out.append(written)
    return " ".join(out)
