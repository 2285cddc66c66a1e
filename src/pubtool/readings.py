"""Readings of hanzi, from pypinyin: the pinyin it gives for a word, the readings it
lists for each character, pinyin as a glossary writes it split into one syllable per
character, and zhuyin (Bopomofo, 注音符號), the annotation Taiwanese readers learn,
written from pinyin.

A glossary may write pinyin syllable by syllable (``píng dǐng shān``) or by the word, as
GB/T 16159 prescribes (``Píngdǐngshān``, ``yáobiàn``, ``Xī'ān``): :func:`split` finds the
syllables with the readings pypinyin lists for each character, so no table of pinyin
syllables is written here.
"""

from __future__ import annotations

import re

from pypinyin import Style, pinyin
from pypinyin.style.bopomofo import BopomofoConverter

#: Between the syllables of a glossary's pinyin: spaces, apostrophes, hyphens.
SYLLABLE_BREAK = re.compile(r"[\s'’-]+")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def syllables(text: str) -> list[str]:
    """The syllables of pinyin as a glossary writes it ("jūn cí", "Xi'an")."""
    return [s for s in SYLLABLE_BREAK.split(text) if s]


def pinyin_of(hanzi: str) -> list[str]:
    """The pinyin pypinyin reads for ``hanzi``, one syllable (tone marks) per character."""
    return [p[0] for p in pinyin(hanzi, style=Style.TONE)]


def readings_of(character: str) -> set[str]:
    """Every reading pypinyin lists for ``character``, with tone marks and (for the
    neutral tone, 玫瑰 méigui) without, in lower case."""
    marked = pinyin(character, style=Style.TONE, heteronym=True)[0]
    plain = pinyin(character, style=Style.NORMAL, heteronym=True)[0]
    return {reading.lower() for reading in (*marked, *plain)}


def split(hanzi: str, written: str) -> list[str] | None:
    """``written`` (the glossary's pinyin of ``hanzi``) as one syllable per Han
    character, each a reading pypinyin lists for its character, in the case the glossary
    wrote it; None if it cannot be read so. Spaces, apostrophes and hyphens, where
    written, are boundaries between syllables; elsewhere syllables may run together."""
    characters = [c for c in hanzi if _HAN.match(c)]
    text, breaks = "", {0}
    for char in written.strip():
        if SYLLABLE_BREAK.fullmatch(char):
            breaks.add(len(text))
        else:
            text += char
    breaks.add(len(text))
    lowered = text.lower()
    options = [sorted(readings_of(c), key=len, reverse=True) for c in characters]

    def walk(position: int, index: int) -> list[str] | None:
        if index == len(characters):
            return [] if position == len(text) else None
        for reading in options[index]:
            end = position + len(reading)
            if lowered.startswith(reading, position) and not _crosses(breaks, position, end):
                rest = walk(end, index + 1)
                if rest is not None:
                    return [text[position:end], *rest]
        return None

    return walk(0, 0) if characters and text else None


def has_tone(syllable: str) -> bool:
    """Whether a pinyin syllable carries a tone mark (ā á ǎ à, and ǖ ǘ ǚ ǜ)."""
    return bool(re.search("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]", syllable.lower()))


def _crosses(breaks: set[int], start: int, end: int) -> bool:
    """Whether a written boundary falls strictly inside the syllable start..end."""
    return any(start < b < end for b in breaks)


def zhuyin_of(hanzi: str) -> list[str]:
    """The zhuyin pypinyin reads for ``hanzi``, one syllable per character."""
    return [p[0] for p in pinyin(hanzi, style=Style.BOPOMOFO)]


def zhuyin(text: str, hanzi: str = "") -> str:
    """Pinyin with tone marks ("jūn cí", or "jūncí" for the hanzi 钧瓷) in zhuyin
    ("ㄐㄩㄣ ㄘˊ"), one syllable per character; "" if a syllable is not pinyin."""
    converter = BopomofoConverter()
    out = []
    for syllable in (split(hanzi, text) if hanzi else None) or syllables(text):
        written = converter.to_bopomofo(syllable.lower())
        if not written or re.search("[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]", written):
            return ""
        out.append(written)
    return " ".join(out)
