"""Fonts by script: for print, families chosen through fontconfig and checked to cover
every character; for the EPUB, the faces reading systems know.

Each script group (:data:`GROUPS`: latin, greek, cyrillic, arabic, hebrew, devanagari,
thai, han-sc, han-tc, han-hk, japanese, korean, emoji, mono) has preference lists per
role (body, heading) in :data:`DEFAULTS`, which ``fonts`` in ``book.yaml`` changes. An
edition's body list starts with the group of its own script (:attr:`Language.fonts`),
then Latin (for the Latin words every book has), then the group of the glossary's
hanzi; the first installed family of each list is used, the others stay as fallbacks.

Before layout every character of the edition is looked for in those families
(fontconfig's character sets, the ones Pango chooses fonts by). One they lack is looked
for in every installed family, which then joins the end of the lists (so that it draws
only what the others cannot); one that no installed font has stops the build with its
code point, its line, and the Debian package that would bring a font for it.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from pubtool.errors import Location, PubtoolError, Report
from pubtool.languages import Language
from pubtool.textfiles import line_of

_LATIN = ["Gentium Plus", "Noto Serif", "DejaVu Serif"]
_ARABIC = ["Amiri", "Noto Naskh Arabic", "DejaVu Sans"]


def _cjk(cut: str) -> dict[str, list[str]]:
    return {
        "body": [f"Noto Serif CJK {cut}", f"Source Han Serif {cut}"],
        "heading": [f"Noto Sans CJK {cut}", f"Source Han Sans {cut}"],
    }


#: script group -> role -> families, best first (Debian: fonts-sil-gentiumplus,
#: fonts-noto-core, fonts-noto-cjk, fonts-hosny-amiri, fonts-dejavu-core)
DEFAULTS: dict[str, dict[str, list[str]]] = {
    "latin": {"body": _LATIN, "heading": _LATIN},
    "greek": {"body": _LATIN, "heading": _LATIN},
    "cyrillic": {"body": _LATIN, "heading": _LATIN},
    "arabic": {"body": _ARABIC, "heading": ["Noto Sans Arabic", *_ARABIC]},
    "hebrew": {  # no Latin letters: those come from the latin group after it
        "body": ["Noto Serif Hebrew", "Noto Sans Hebrew"],
        "heading": ["Noto Sans Hebrew", "Noto Serif Hebrew"],
    },
    "devanagari": {
        "body": ["Noto Serif Devanagari", "Noto Sans Devanagari"],
        "heading": ["Noto Sans Devanagari"],
    },
    "thai": {"body": ["Noto Serif Thai", "Noto Sans Thai"], "heading": ["Noto Sans Thai"]},
    "han-sc": _cjk("SC"),
    "han-tc": _cjk("TC"),
    "han-hk": _cjk("HK"),
    "japanese": _cjk("JP"),
    "korean": _cjk("KR"),
    "emoji": {"body": ["Noto Color Emoji"], "heading": ["Noto Color Emoji"]},
    "mono": {
        "body": ["DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono"],
        "heading": ["DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono"],
    },
}
GROUPS = tuple(DEFAULTS)
#: older names of groups in book.yaml
ALIASES = {"zh": "han-sc"}
ROLES = ("body", "heading")

#: the monospace face that has the hanzi (kana, hangul) of each CJK group
CJK_MONO = {
    "han-sc": "Noto Sans Mono CJK SC",
    "han-tc": "Noto Sans Mono CJK TC",
    "han-hk": "Noto Sans Mono CJK HK",
    "japanese": "Noto Sans Mono CJK JP",
    "korean": "Noto Sans Mono CJK KR",
}

#: the face the cover names (CairoSVG takes one family): a group's first body face, but
#: for Latin the face the cover has always been drawn in
COVER = {"latin": "DejaVu Serif", "greek": "DejaVu Serif", "cyrillic": "DejaVu Serif"}

#: Faces reading systems are likely to have, for the EPUB's stylesheet, by group and role;
#: a group not named here leaves the reader's own font alone.
READER_FACES: dict[str, dict[str, list[str]]] = {
    "han-sc": {
        "body": ["Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "STSong", "SimSun"],
        "heading": ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Heiti SC"],
        "mono": ["Noto Sans Mono CJK SC"],
    },
    "han-tc": {
        "body": ["Noto Serif CJK TC", "Source Han Serif TC", "Songti TC", "PMingLiU", "MingLiU"],
        "heading": ["Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei"],
        "mono": ["Noto Sans Mono CJK TC"],
    },
    "han-hk": {
        "body": ["Noto Serif CJK HK", "Source Han Serif HC", "Songti TC", "PMingLiU"],
        "heading": ["Noto Sans CJK HK", "Source Han Sans HC", "PingFang HK"],
        "mono": ["Noto Sans Mono CJK HK"],
    },
    "japanese": {
        "body": ["Noto Serif CJK JP", "Source Han Serif", "Hiragino Mincho ProN", "Yu Mincho"],
        "heading": ["Noto Sans CJK JP", "Source Han Sans", "Hiragino Sans", "Yu Gothic", "Meiryo"],
        "mono": ["Noto Sans Mono CJK JP"],
    },
    "korean": {
        "body": ["Noto Serif CJK KR", "Source Han Serif K", "AppleMyungjo", "Batang"],
        "heading": [
            "Noto Sans CJK KR",
            "Source Han Sans K",
            "Apple SD Gothic Neo",
            "Malgun Gothic",
        ],
        "mono": ["Noto Sans Mono CJK KR"],
    },
    "arabic": {
        "body": ["Amiri", "Noto Naskh Arabic", "Geeza Pro", "Traditional Arabic"],
        "heading": ["Noto Sans Arabic", "Noto Naskh Arabic", "Geeza Pro"],
    },
    "hebrew": {
        "body": ["Noto Serif Hebrew", "Frank Ruehl CLM", "Times New Roman"],
        "heading": ["Noto Sans Hebrew", "Arial Hebrew", "Arial"],
    },
    "mono": {"body": ["DejaVu Sans Mono", "Menlo", "Consolas"]},
}

#: Debian packages with a font for each kind of character, for the missing-glyph hint
PACKAGES = {
    "cjk": "fonts-noto-cjk",
    "cjk-rare": "fonts-hanazono",  # HanaMin: the rarer hanzi of CJK extensions B to F
    "emoji": "fonts-noto-color-emoji",
    "core": "fonts-noto-core",
    "rare": "fonts-noto-extra",
}


def reader_faces(group: str, role: str) -> list[str]:
    """The faces an EPUB's stylesheet names for ``group`` in ``role`` (none: the reader's)."""
    return READER_FACES.get(group, {}).get(role, [])


#: groups whose cover face has no Latin letters: a Latin text of their cover (an
#: author's name) is drawn in the Latin cover face
_COVER_WITHOUT_LATIN = frozenset({"hebrew", "devanagari", "thai"})


def cover_face(language: Language, text: str = "") -> str:
    """The one family a text of the cover of an edition in ``language`` is drawn in."""
    group = language.fonts
    latin_only = all(ord(c) < 0x250 or not c.isalpha() for c in text)
    if text and latin_only and group in _COVER_WITHOUT_LATIN:
        group = "latin"
    return COVER.get(group) or DEFAULTS[group]["body"][0]


@dataclass(frozen=True, slots=True)
class FontSet:
    """The families of an edition, by role, as they go into the print stylesheet."""

    body: list[str]
    heading: list[str]
    pinyin: list[str]
    mono: list[str]
    terms: list[str]  # the glossary's hanzi, in the faces of their own cut
    terms_heading: list[str]
    files: dict[str, tuple[Path, int]]
    charsets: dict[str, str]  # family -> fontconfig charset ("20-7e a0-17f ...")
    #: every family of the groups, the edition's first: the fallbacks to prefer, in order
    preferred: list[str] = field(default_factory=list)
    #: families found for the characters the others lack, each with those characters
    fallbacks: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)

    def face_rules(self) -> list[str]:
        """An ``@font-face`` for each fallback family that gives it only the characters it
        was found for: named in a family list, a colour emoji face would otherwise draw the
        digits and punctuation it also has (WeasyPrint 70, Pango 1.50). A family from a
        font collection (``.ttc``) is named as it is instead: WeasyPrint's ``local()``
        loads the whole collection and draws its first face (Japanese, for Noto CJK SC)."""
        return [
            f'@font-face {{ font-family: "{name}"; src: local("{family}"); '
            f"unicode-range: {_unicode_range(codes)}; }}"
            for name, (family, codes) in zip(self._fallback_names(), self.fallbacks, strict=True)
            if name != family
        ]

    def _fallback_names(self) -> list[str]:
        """The name each fallback goes by in the stylesheet's family lists."""
        return [
            family if self.files[family][1] or _collection(self.files[family][0]) else _alias(n)
            for n, (family, _) in enumerate(self.fallbacks, start=1)
        ]

    def as_css(self) -> dict[str, list[str]]:
        extra = self._fallback_names()
        return {
            "body": self.body + extra,
            "heading": self.heading + extra,
            "pinyin": self.pinyin + extra,
            "mono": self.mono + extra,
            "terms": self.terms + extra,
            "terms_heading": self.terms_heading + extra,
        }


@dataclass(frozen=True)  # no slots: ``ranges`` is cached on the instance
class Installed:
    """A family fontconfig knows: the file (and face index) of its regular face."""

    file: Path
    index: int
    charset: str

    @cached_property
    def ranges(self) -> list[tuple[int, int]]:
        return sorted(_ranges(self.charset))

    def has(self, code: int) -> bool:
        ranges = self.ranges
        at = bisect.bisect_right(ranges, (code, 0x10FFFF)) - 1
        return at >= 0 and ranges[at][0] <= code <= ranges[at][1]


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


def face_file(family: str, bold: bool = False, italic: bool = False) -> tuple[Path, int] | None:
    """The file (and face index) fontconfig draws ``family`` from, in that weight and
    style; None where fontconfig is missing or has no such family."""
    if shutil.which("fc-match") is None:
        return None
    style = ":".join(["", *(["bold"] if bold else []), *(["italic"] if italic else [])])
    found = subprocess.run(
        ["fc-match", "--format", "%{family}\t%{file}\t%{index}", f"{family}{style}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\t")
    if len(found) != 3 or family not in found[0].split(","):
        return None
    return Path(found[1]), int(found[2] or 0)


def preferences(
    book: dict[str, dict[str, list[str]]],
) -> dict[str, dict[str, list[str]]]:
    """Every group's lists: the book's (``fonts`` in book.yaml) over the defaults."""
    named = {ALIASES.get(group, group): roles for group, roles in book.items()}
    return {g: {**DEFAULTS[g], **named.get(g, {})} for g in GROUPS}


def choose(language: Language, terms: Language, book: dict[str, dict[str, list[str]]]) -> FontSet:
    """The families of an edition in ``language`` whose glossary is in ``terms``: the
    book's preferences over the defaults, the edition's own script first."""
    groups = preferences(book)
    own = language.fonts
    order = list(dict.fromkeys([own, "latin", terms.fonts]))
    installed = installed_families()

    def pick(*lists: list[str]) -> list[str]:
        names = [f for chosen in lists for f in chosen]
        return [f for f in dict.fromkeys(names) if f in installed]

    body = pick(*(groups[g]["body"] for g in order))
    heading = pick(*(groups[g]["heading"] for g in order), groups[own]["body"])
    pinyin = pick(groups["latin"]["body"], groups[terms.fonts]["body"])
    cjk_mono = [CJK_MONO[g] for g in order if g in CJK_MONO]
    mono = pick(groups["mono"]["body"], cjk_mono)
    hanzi = pick(groups[terms.fonts]["body"], groups["latin"]["body"])
    hanzi_heading = pick(groups[terms.fonts]["heading"], groups[terms.fonts]["body"])
    families = dict.fromkeys(body + heading + pinyin + mono + hanzi + hanzi_heading)
    files = {f: (installed[f].file, installed[f].index) for f in families}
    charsets = {f: installed[f].charset for f in families}
    every = [*order, *(g for g in GROUPS if g not in order)]
    preferred = list(dict.fromkeys(f for g in every for r in ROLES for f in DEFAULTS[g][r]))
    return FontSet(body, heading, pinyin, mono, hanzi, hanzi_heading, files, charsets, preferred)


def cover(fonts: FontSet, texts: Iterable[tuple[str, Location]], report: Report) -> FontSet:
    """``fonts`` with, at the end, the installed families that draw the characters of
    ``texts`` none of its families has; every character no installed font has is an
    error, once, at the line of its first place."""

    def drawn_by(families: list[str]) -> set[int]:
        codes: set[int] = set()
        for family in families:
            for start, end in _ranges(fonts.charsets[family]):
                codes.update(range(start, end + 1))
        return codes

    # what the text faces have (not the monospace ones, which draw only code)
    covered = drawn_by(fonts.body) & drawn_by(fonts.heading)
    missing: dict[str, Location] = {}
    for text, where in texts:
        for char in text:
            if char in missing or ord(char) in covered or not char.strip():
                continue
            if unicodedata.category(char) in {"Cc", "Cf", "Zs"}:
                continue
            missing[char] = where
    if not missing:
        return fonts
    installed = installed_families()
    fallbacks: list[tuple[str, tuple[int, ...]]] = []
    left = dict(missing)
    rank = {family: n for n, family in enumerate(fonts.preferred)}
    while left:  # the family that draws the most of what is left, then the next
        best = min(
            sorted(installed),
            key=lambda f: (-sum(installed[f].has(ord(c)) for c in left), rank.get(f, len(rank))),
        )
        drawn = [c for c in left if installed[best].has(ord(c))]
        if not drawn:
            break
        fallbacks.append((best, tuple(sorted(ord(c) for c in drawn))))
        for char in drawn:
            del left[char]
    for char, where in left.items():
        name = unicodedata.name(char, "unnamed character")
        line = line_of(where.path, where.line, char) if where.path.is_file() else where.line
        report.error(
            "font-missing-glyph",
            f"no installed font can draw U+{ord(char):04X} {char} ({name.lower()})",
            Location(where.path, line),
            _hint(char),
        )
    found = [family for family, _ in fallbacks]
    files = {**fonts.files, **{f: (installed[f].file, installed[f].index) for f in found}}
    charsets = {**fonts.charsets, **{f: installed[f].charset for f in found}}
    return replace(fonts, files=files, charsets=charsets, fallbacks=fallbacks)


def _collection(file: Path) -> bool:
    return file.suffix.lower() in {".ttc", ".otc"}


def _alias(number: int) -> str:
    return f"pubtool fallback {number}"


def _unicode_range(codes: tuple[int, ...]) -> str:
    """CSS ``unicode-range`` of sorted code points, runs joined (U+41-5A, U+1F35C)."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def _hint(char: str) -> str:
    if unicodedata.category(char) == "Co":
        return (
            "a private-use character is only in the font made for it: "
            "name that font in `fonts` of book.yaml"
        )
    return (
        f"install a font that has it, e.g. `apt-get install {_package(char)}`, "
        "or name one in `fonts` of book.yaml"
    )


def _package(char: str) -> str:
    """The Debian package most likely to have a font for ``char``."""
    name = unicodedata.name(char, "")
    code = ord(char)
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "KANGXI")):
        return PACKAGES["cjk-rare"] if code >= 0x20000 else PACKAGES["cjk"]
    if code >= 0x1F000 or 0x2600 <= code <= 0x27BF:
        return PACKAGES["emoji"] if unicodedata.category(char) == "So" else PACKAGES["rare"]
    return PACKAGES["core"] if code < 0x10000 else PACKAGES["rare"]


def _ranges(charset: str) -> Iterable[tuple[int, int]]:
    """The code point ranges of a fontconfig charset: hex such as ``20-7e a0 100-17f``."""
    for item in charset.split():
        start, _, end = item.partition("-")
        try:
            yield int(start, 16), int(end or start, 16)
        except ValueError:
            continue
