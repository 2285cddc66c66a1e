"""Fonts for print: families chosen through fontconfig, checked to cover every character.

Each edition gets preference lists per role (body, heading, pinyin) from the defaults
below, changed by ``fonts`` in ``book.yaml``. The first installed family of each list
is used, the others stay in the CSS as fallbacks. Before rendering, every character of
the edition must have a glyph in one of the installed families (read with fontTools);
a character without one stops the build with its code point and place, instead of a
box on the printed page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

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

    def as_css(self) -> dict[str, list[str]]:
        return {"body": self.body, "heading": self.heading, "pinyin": self.pinyin}


def installed_families() -> dict[str, tuple[Path, int]]:
    """Every family fontconfig knows, with the file (and face index) of its regular face."""
    if shutil.which("fc-list") is None:
        raise PubtoolError(
            "fontconfig's fc-list is not installed", hint="apt-get install fontconfig"
        )
    listing = subprocess.run(
        ["fc-list", "--format", "%{family}\t%{style}\t%{file}\t%{index}\n"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found: dict[str, tuple[Path, int]] = {}
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        families, styles, file, index = parts
        regular = any(s in {"Regular", "Book", "Roman"} for s in styles.split(","))
        for family in families.split(","):
            if regular or family not in found:
                found[family] = (Path(file), int(index or 0))
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
    files = {family: installed[family] for family in dict.fromkeys(body + heading + pinyin)}
    return FontSet(body, heading, pinyin, files)


def check_coverage(
    fonts: FontSet,
    texts: Iterable[tuple[str, Location]],
    report: Report,
    cache_file: Path | None = None,
) -> None:
    """Report every character that no chosen font can draw, once, at its first place.

    Reading the character map of a CJK font takes a third of a second; ``cache_file``
    keeps the maps, as ranges, keyed on each font file's path, size and date.
    """
    cached = _load_cmaps(cache_file)
    covered: set[int] = set()
    for path, index in fonts.files.values():
        stat = path.stat()
        key = f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}"
        if key not in cached:
            cached[key] = _ranges(_cmap(path, index))
        for start, end in cached[key]:
            covered.update(range(start, end + 1))
    _save_cmaps(cache_file, cached)
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


def _ranges(codes: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for code in sorted(codes):
        if out and code == out[-1][1] + 1:
            out[-1] = (out[-1][0], code)
        else:
            out.append((code, code))
    return out


def _load_cmaps(cache_file: Path | None) -> dict[str, list[tuple[int, int]]]:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        return {k: [(int(a), int(b)) for a, b in v] for k, v in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _save_cmaps(cache_file: Path | None, cached: dict[str, list[tuple[int, int]]]) -> None:
    if cache_file is None or (cache_file.exists() and _load_cmaps(cache_file) == cached):
        return
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(f".{cache_file.name}.{os.getpid()}")
        tmp.write_text(json.dumps(cached), encoding="utf-8")
        tmp.replace(cache_file)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _cmap(path: Path, index: int) -> set[int]:
    try:
        if path.suffix.lower() in {".ttc", ".otc"}:
            font = TTCollection(str(path), lazy=True).fonts[index]
        else:
            font = TTFont(str(path), lazy=True, fontNumber=index)
        return set(font.getBestCmap() or {})
    except Exception:  # an unreadable font covers nothing; fontTools raises many kinds
        return set()
