"""Subjects that name a country or territory: resolved to CLDR codes, shown in each language.

A subject such as "Albania culture" is a place and a rest. The place is looked up among
CLDR's English territory names (accents, "&"/"and", "St."/"St", punctuation and "the"
do not matter); the rest becomes a catalog message, "%(place)s culture", which a
translator writes once ("%(place)s文化"). A subject whose place is unknown but close to
a known name is a warning that names the closest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from pubtool import i18n
from pubtool.errors import Location, Report

PLACE = "%(place)s"

# Names that CLDR, as Babel ships it, does not list, mapped to the code CLDR does know.
# Keep it small: each entry is a real name in use, not a spelling mistake.
ALIASES: dict[str, str] = {
    "White Russia": "BY",  # an old English name of Belarus
    "Swaziland": "SZ",  # the name of Eswatini until 2018
    "Macedonia, Former Yugoslav Republic of": "MK",  # North Macedonia's name until 2019
    "Palestinian Authority": "PS",
    "Fiji Islands": "FJ",
    "Congo": "CG",  # CLDR: "Congo - Brazzaville"
    "Congo (DRC)": "CD",  # CLDR: "Congo - Kinshasa"
    "Serbia, Montenegro": "CS",  # a retired code; CLDR names RS and ME in its place
    "Netherlands Antilles": "AN",  # a retired code; CLDR names CW, SX and BQ in its place
    "United States Minor Outlying Islands": "UM",
    "Virgin Islands": "VI",
    "Virgin Islands, British": "VG",
    "St. Helena": "SH",  # CLDR: "St. Helena, Ascension & Tristan da Cunha"
    "Czech Republic": "CZ",  # CLDR: "Czechia"
}


def normalize(name: str) -> str:
    """A key under which spellings of one name meet: accents, quotes, "&" or "and" do not count."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(word for word in text.split() if word != "the")


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject as written, and what it was resolved to."""

    text: str
    code: str = ""  # the territory's CLDR code, if the subject names one
    pattern: str = ""  # the subject with the place replaced by %(place)s

    @property
    def msgid(self) -> str:
        return self.pattern if self.code else self.text


def _index() -> dict[str, str]:
    index = {normalize(name): code for code, name in i18n.territory_names("en").items()}
    index.update({normalize(name): code for name, code in ALIASES.items()})
    return index


def resolve(subjects: tuple[str, ...], location: Location, report: Report) -> list[Subject]:
    """Resolve every subject, warning about a place name that matches no territory."""
    index = _index()
    out = []
    for number, text in enumerate(subjects):
        words = text.split()
        for size in range(len(words), 0, -1):
            code = index.get(normalize(" ".join(words[:size])))
            if code:
                rest = " ".join(words[size:])
                out.append(Subject(text, code, f"{PLACE} {rest}" if rest else PLACE))
                break
        else:
            out.append(Subject(text))
            close = _closest(words, index)
            if close:
                report.warning(
                    "subject-place",
                    f"subject '{text}' names no country or territory known to CLDR",
                    _item_location(location, number),
                    f"did you mean {' or '.join(map(repr, close))}?",
                )
    return out


def _closest(words: list[str], index: dict[str, str]) -> list[str]:
    english = i18n.territory_names("en")
    names = {normalize(name): name for name in english.values()}
    for size in range(len(words), 0, -1):
        close = difflib.get_close_matches(normalize(" ".join(words[:size])), names, n=3, cutoff=0.8)
        if close:
            return [names[key] for key in close]
    return []


def _item_location(location: Location, number: int) -> Location:
    """The line of the list item (block style lists put one item on each following line)."""
    if location.line is None:
        return location
    return Location(location.path, location.line + 1 + number)


def localized(subject: Subject, lang: str, translate: Callable[[str], str]) -> str:
    """``subject`` as shown in an edition in ``lang``."""
    if not subject.code:
        return translate(subject.text)
    name = i18n.territory_names(lang).get(subject.code)
    if name is None:
        parts = [
            i18n.territory_names(lang).get(c) for c in i18n.territory_replacements(subject.code)
        ]
        if not parts or None in parts:
            return translate(subject.text)
        name = i18n.format_list([p for p in parts if p], lang)
    return translate(subject.pattern) % {"place": name}
