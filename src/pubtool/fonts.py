"""Fonts for print: families chosen through fontconfig, checked to cover every character.

Each edition gets preference lists per role (body, heading, pinyin) from the defaults
below, changed by ``fonts`` in ``book.yaml``. The first installed family of each list
is used, the others stay in the CSS as fallbacks. Before rendering, every character of
the edition must have a glyph in one of the installed families (fontconfig's
character sets, the ones Pango chooses fonts by); a character without one stops the
build with its code point and place, instead of a box on the printed page.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pubtool.errors import Location, PubtoolError, Report

#: script group -> role -> families, best first
DEFAULTS: dict[str, dict[str, list[str]]] = {
    "latin": {
        "body": ["Gentium Plus", "Noto Serif", "DejaVu Serif"],
        "heading": ["Gentium Plus", "Noto Serif", "DejaVu Serif"],
    },
    "zh": {
        "body": ["Noto Serif CJK SC", "Source Han Serif SC"],
        "heading": ["Noto Sans CJK SC", "Source Han Sans SC"],
    },
}
INSTALL_HINT = "install the fonts, e.g. `apt-get install fonts-noto-cjk fonts-sil-gentiumplus`"


@dataclass(frozen=True, slots=True)
class FontSet:
    """The families of an edition, by role, as they go into the print stylesheet."""

    body: list[str]
    heading: list[str]
    pinyin: list[str]
    files: dict[str, tuple[Path, int]]
    charsets: dict[str, str]  # family -> fontconfig charset ("20-7e a0-17f ...")

    def as_css(self) -> dict[str, list[str]]:
        return {"body": self.body, "heading": self.heading, "pinyin": self.pinyin}


@dataclass(frozen=True, slots=True)
class Installed:
    """A family fontconfig knows: the file (and face index) of its regular face."""

    file: Path
    index: int
    charset: str


def installed_families() -> dict[str, Installed]:
    """Every family fontconfig knows, with its regular face and character set."""
    if shutil.which("fc-list") is None:
        raise PubtoolError(
            "fontconfig's fc-list is not installed", hint="apt-get install fontconfig"
        )
    listing = subprocess.run(
        ["fc-list", "--format", "%{family}\t%{style}\t%{file}\t%{index}\t%{charset}\n"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found: dict[str, Installed] = {}
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) != 5:
            continue
        families, styles, file, index, charset = parts
        regular = any(s in {"Regular", "Book", "Roman"} for s in styles.split(","))
        for family in families.split(","):
            if regular or family not in found:
                found[family] = Installed(Path(file), int(index or 0), charset)
    return found


def choose(lang: str, preferences: dict[str, dict[str, list[str]]]) -> FontSet:
    """The families of an edition in ``lang``: the book's preferences over the defaults."""
    groups = {g: {**DEFAULTS[g], **preferences.get(g, {})} for g in DEFAULTS}
    chinese = lang.lower().split("-")[0] == "zh"
    first, second = ("zh", "latin") if chinese else ("latin", "zh")
    installed = installed_families()

    def pick(*lists: list[str]) -> list[str]:
        names = [f for chosen in lists for f in chosen]
        return [f for f in dict.fromkeys(names) if f in installed]

    body = pick(groups[first]["body"], groups[second]["body"])
    heading = pick(groups[first]["heading"], groups[second]["heading"], groups[first]["body"])
    pinyin = pick(groups["latin"]["body"], groups["zh"]["body"])
    families = dict.fromkeys(body + heading + pinyin)
    files = {f: (installed[f].file, installed[f].index) for f in families}
    return FontSet(body, heading, pinyin, files, {f: installed[f].charset for f in families})


def check_coverage(fonts: FontSet, texts: Iterable[tuple[str, Location]], report: Report) -> None:
    """Report every character that no chosen font can draw, once, at its first place."""
    covered: set[int] = set()
    for charset in fonts.charsets.values():
        covered.update(_codes(charset))
    reported: set[str] = set()
    for text, where in texts:
        for char in text:
            if char in reported or ord(char) in covered or not char.strip():
                continue
            if unicodedata.category(char) in {"Cc", "Cf", "Zs", "Mn"}:
                continue
            reported.add(char)
            name = unicodedata.name(char, "unnamed character")
            report.error(
                "font-missing-glyph",
                f"no font can draw U+{ord(char):04X} {char} ({name.lower()}); "
                f"fonts: {', '.join(fonts.files) or 'none found'}",
                where,
                INSTALL_HINT + "; for emoji, fonts-noto-color-emoji",
            )


def _codes(charset: str) -> Iterable[int]:
    """The code points of a fontconfig charset: hex ranges such as ``20-7e a0 100-17f``."""
    for item in charset.split():
        start, _, end = item.partition("-")
        try:
            yield from range(int(start, 16), int(end or start, 16) + 1)
        except ValueError:
            continue
