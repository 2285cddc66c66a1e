"""Subjects that name a country or territory: resolved to CLDR codes, shown in each language.

A subject such as "Albania culture" is a place and a rest. The place is looked up among
CLDR's English territory names (accents, "&"/"and", "St."/"St", punctuation and "the"
do not matter); the rest becomes a catalog message, "%(place)s culture", which a
translator writes once ("%(place)s文化"). A subject whose place is unknown but close to
a known name is a warning that names the closest names.

The policy for names that changed: a territory that still exists is shown by CLDR's
current name, whatever name the subject gives it (Swaziland → Eswatini, 斯威士兰; the
former Yugoslav Republic of Macedonia → North Macedonia, 北马其顿), as library
catalogues update their headings. A place that no longer exists, or that is no
territory of CLDR's (the Netherlands Antilles, Serbia and Montenegro, the Palestinian
Authority), keeps its own name: it is not replaced by its successors (CLDR would name
Curaçao, Sint Maarten and the Caribbean Netherlands for the Netherlands Antilles), and
the whole subject is a message for the translator (荷属安的列斯文化).
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
    "Fiji Islands": "FJ",
    "Congo": "CG",  # CLDR: "Congo - Brazzaville"
    "Congo (DRC)": "CD",  # CLDR: "Congo - Kinshasa"
    "United States Minor Outlying Islands": "UM",
    "Virgin Islands": "VI",
    "Virgin Islands, British": "VG",
    "St. Helena": "SH",  # CLDR: "St. Helena, Ascension & Tristan da Cunha"
    "Czech Republic": "CZ",  # CLDR: "Czechia"
}

# Places a subject may name that CLDR does not, on purpose: the whole subject is
# translated as written (see the policy above).
HISTORICAL: tuple[str, ...] = (
    "Netherlands Antilles",  # dissolved in 2010 (the retired code AN)
    "Serbia and Montenegro",  # dissolved in 2006 (the retired code CS)
    "Serbia, Montenegro",
    "Palestinian Authority",  # an authority, not CLDR's "Palestinian Territories"
)


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
    historical: bool = False  # names a place CLDR does not (translated as written)

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
    historical = {normalize(name) for name in HISTORICAL}
    out = []
    for number, text in enumerate(subjects):
        words = text.split()
        for size in range(len(words), 0, -1):
            place = normalize(" ".join(words[:size]))
            if place in historical:
                out.append(Subject(text, historical=True))
                break
            code = index.get(place)
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
        return translate(subject.text)
    return translate(subject.pattern) % {"place": name}
