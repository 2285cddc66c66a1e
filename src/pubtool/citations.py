"""Citations and the reference list, through citeproc-py (its only importer).

The book names its bibliography in book.yaml as Pandoc does (``bibliography:
references.bib``, BibTeX or CSL JSON, from ``manuscript/``) and, if it likes, a CSL
style (``csl: style.csl``); the default style is Harvard: Cite Them Right, an
author-date style that ships with citeproc-py. :func:`check` runs where the book is
read: the files load, and every key a citation names is in them (else an error at the
citation's line, with the closest keys). :func:`cite` is the edition's pass: each
citation set by the style, in the terms and dates of CSL's locale for the edition's
language (and, p., pp.: "Doe 和 Roe, 2020, 页 33" in Chinese), linked to its entry; the
reference list filled where ``::: {#refs}`` stands, or added at the end of the last
chapter.

citeproc-py has no narrative or author-suppressed form of a citation: ``@doe2020`` in
the text is the style's citation with its parentheses moved around the date ("Doe and
Roe (2020)"), and ``[-@doe2020]`` the citation without the names before the date; with
a style that is not author-date, both are the style's citation as it is.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from pubtool import i18n, xhtml
from pubtool.config import slugify
from pubtool.errors import Location, Report, did_you_mean
from pubtool.model import (
    BibEntry,
    Bibliography,
    Book,
    Chapter,
    Citation,
    Inline,
    Text,
    chapter_blocks,
    chapter_inlines,
    map_chapter,
    map_chapter_blocks,
)

DEFAULT_STYLE = "harvard-cite-them-right"


@dataclass(frozen=True)
class Library:
    """The works of the book's bibliography files, and its style."""

    source: Any  # citeproc's BibliographySource: key (lower case) -> reference
    style: str  # a CSL file's path, or the name of a style citeproc-py ships

    def has(self, key: str) -> bool:
        return key.lower() in self.source


def _bibliography_at(book: Book) -> Location:
    meta = book.metadata
    return Location(book.project.book_yaml, meta.line_of("bibliography"))


def load(book: Book, report: Report) -> Library | None:
    """The bibliography and style book.yaml names, or None (none named, or a problem
    reported at its line)."""
    from citeproc.source import BibliographySource

    meta = book.metadata
    if not meta.bibliography:
        return None
    manuscript = book.project.book_yaml.parent
    where = _bibliography_at(book)
    source = BibliographySource()
    ok = True
    for name in meta.bibliography:
        path = (manuscript / name).resolve()
        if not path.is_file():
            report.error(
                "bibliography", f"bibliography {name!r} not found", where, f"no file at {path}"
            )
            ok = False
            continue
        suffix = path.suffix.lower()
        if suffix not in (".bib", ".json"):
            report.error(
                "bibliography",
                f"bibliography {name!r} is neither BibTeX (.bib) nor CSL JSON (.json)",
                where,
                "export it from Zotero, JabRef or Mendeley as BibTeX or CSL JSON",
            )
            ok = False
            continue
        works = _bibtex(path, report) if suffix == ".bib" else _csl_json(path, report)
        if works is None:
            ok = False
            continue
        for key, work in works.items():
            source[key] = work
    style = DEFAULT_STYLE
    if meta.csl:
        path = (manuscript / meta.csl).resolve()
        style_at = Location(book.project.book_yaml, meta.line_of("csl"))
        if not path.is_file():
            report.error("bibliography", f"style {meta.csl!r} not found", style_at)
            return None
        style = str(path)
        try:
            _style(style, "en-US")
        except Exception as error:  # citeproc-py's XML and CSL errors
            report.error(
                "bibliography",
                f"style {meta.csl!r} cannot be read: {error}",
                style_at,
                "a CSL 1.0 style file, as the Zotero style repository offers them",
            )
            return None
    return Library(source, style) if ok else None


#: biblatex's names of BibTeX's fields, which citeproc-py reads under BibTeX's names
_BIBLATEX_FIELDS = (("journaltitle", "journal"), ("location", "address"), ("institution", "school"))


def _bibtex(path: Path, report: Report) -> Any:
    """The works of a BibTeX file; each entry that cannot be read is an error at its
    line (citeproc-py reads BibTeX, not every biblatex macro)."""
    from citeproc.source.bibtex import BibTeX

    problems: list[tuple[str, Exception]] = []

    class Checked(BibTeX):  # type: ignore[misc]  # citeproc-py is untyped
        def create_reference(self, key: str, entry: Any) -> Any:
            for biblatex, bibtex in _BIBLATEX_FIELDS:
                if biblatex in entry and bibtex not in entry:
                    entry[bibtex] = entry[biblatex]
            date = str(entry.get("date", ""))
            if date[:4].isdigit() and "year" not in entry:  # biblatex's date = {1991-03}
                entry["year"] = date[:4]
                if date[5:7].isdigit() and "month" not in entry:
                    entry["month"] = str(int(date[5:7]))
            try:
                return super().create_reference(key, entry)
            except Exception as error:  # its LaTeX reader fails in many ways
                problems.append((key, error))
                return None

        def add(self, entry: Any) -> None:
            if entry is not None:
                super().add(entry)

    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # fields citeproc-py does not read
            works = Checked(str(path), encoding="utf-8")
    except Exception as error:  # the file's syntax
        report.error(
            "bibliography",
            f"{path.name} cannot be read as BibTeX: {error}",
            Location(path),
            "every entry is @type{key, field = {value}, …}",
        )
        return None
    for key, failure in problems:
        at = text.find("{" + key + ",")
        report.error(
            "bibliography",
            f"entry {key!r} cannot be read ({type(failure).__name__}: {failure})",
            Location(path, text.count("\n", 0, at) + 1 if at >= 0 else None),
            "a LaTeX macro citeproc-py does not know (biblatex's \\mkbibquote…): write the "
            "text plainly, or export the bibliography as CSL JSON (Zotero, Better BibTeX)",
        )
    return None if problems else works


def _csl_json(path: Path, report: Report) -> Any:
    """The works of a CSL JSON file (a list of items, as Zotero exports it)."""
    from citeproc.source.json import CiteProcJSON

    try:
        items = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(items, list):
            raise ValueError("the file holds no list of items")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CiteProcJSON(items)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        line = getattr(error, "lineno", None)
        report.error(
            "bibliography",
            f"{path.name} cannot be read as CSL JSON: {error}",
            Location(path, line),
            'a list of items, each with "id" and "type": [{"id": "doe2020", "type": "book", …}]',
        )
        return None


def citations(chapter: Chapter) -> Iterator[Citation]:
    for node in chapter_inlines(chapter):
        if isinstance(node, Citation):
            yield node


def check(book: Book, report: Report) -> None:
    """Every citation names a work of the bibliography: an error at its line (for one
    in the text, ``@name``, a warning: it may be no citation)."""
    library = load(book, report)
    if book.metadata.bibliography and library is None:
        return  # reported at book.yaml
    for chapter in book.chapters:
        for cite in citations(chapter):
            for item in cite.items:
                if library is None:
                    if not cite.in_text:
                        report.error(
                            "citation-unknown",
                            f"citation {cite.written} but book.yaml names no bibliography",
                            cite.location,
                            "add `bibliography: references.bib` to book.yaml",
                        )
                elif not library.has(item.key):
                    hint = did_you_mean(item.key, library.source.keys(), 0.6)
                    if cite.in_text:
                        report.warning(
                            "citation-unknown",
                            f"@{item.key} is not a key of the bibliography: shown as written",
                            cite.location,
                            hint or r"write \@ for an @ that is no citation",
                        )
                    else:
                        report.error(
                            "citation-unknown",
                            f"citation key {item.key!r} is not in the bibliography",
                            cite.location,
                            hint or "add the work to the bibliography, or correct the key",
                        )


@cache
def _locales() -> frozenset[str]:
    import citeproc

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    return frozenset(p.stem.removeprefix("locales-") for p in folder.glob("locales-*.xml"))


def csl_locale(lang: str) -> str:
    """The CSL locale for an edition's language: its own (``zh-TW`` for zh-Hant-TW, ``ja-JP``
    for ja), else one of its language, else en-US."""
    language, *rest = i18n.maximized(lang).split("-")
    script = next((p for p in rest if len(p) == 4), "")
    region = next((p for p in rest if len(p) != 4), "")
    known = _locales()
    for candidate in (f"{language}-{script}-{region}", f"{language}-{region}", language):
        if candidate in known:
            return candidate
    return next((k for k in sorted(known) if k.split("-")[0] == language), "en-US")


@cache
def _style(style: str, locale: str) -> Any:
    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(style, locale=locale, validate=False)


def cite(book: Book, lang: str, report: Report) -> Book:
    """Each citation of ``book`` (an edition in ``lang``) set by the style, linked to its
    entry; the reference list filled (added at the end of the last chapter if no
    ``::: {#refs}`` holds it). A citation whose key is unknown is shown as written."""
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem, CitationStylesBibliography, formatter
    from citeproc.source import Locator

    found = [c for chapter in book.chapters for c in citations(chapter)]
    library = load(book, Report()) if found or book.metadata.bibliography else None
    if library is None:
        return _as_written(book)
    style = _style(library.style, csl_locale(lang))
    works = CitationStylesBibliography(style, library.source, formatter.html)
    made: dict[int, Any] = {}
    for node in found:
        if all(library.has(item.key) for item in node.items):
            cited = CslCitation(
                [
                    CitationItem(
                        item.key,
                        **({"locator": Locator(item.label, item.locator)} if item.locator else {}),
                        **({"prefix": item.prefix + " "} if item.prefix else {}),
                        **({"suffix": " " + item.suffix} if item.suffix else {}),
                    )
                    for item in node.items
                ]
            )
            works.register(cited)
            made[id(node)] = cited
    works.sort()
    home, placed = _reference_list_home(book)
    anchors: dict[str, str] = {}
    for key in works.keys:  # one anchor per work, even where two keys slug alike
        base = anchor = "ref-" + (slugify(key) or "work")
        while anchor in anchors.values():
            anchor = f"{base}-{len(anchors)}"
        anchors[key] = anchor
    layout = style.root.citation.layout
    around = (layout.get("prefix", ""), layout.get("suffix", ""))

    def set_citation(node: Inline) -> tuple[Inline, ...]:
        if not isinstance(node, Citation):
            return (node,)
        cited = made.get(id(node))
        if cited is None:
            return (Text(node.written),)
        html = str(works.cite(cited, lambda item: None))
        if len(node.items) == 1:
            year = _year(library.source[node.items[0].key.lower()])
            if node.in_text:
                html = _narrative(html, around, year)
            elif node.items[0].suppress_author:
                html = _without_names(html, around, year)
        children = xhtml.parse_block(html, node.location, Report())
        anchor = anchors[node.items[0].key.lower()]
        return (replace(node, children=children, target=f"{home.id}.xhtml#{anchor}"),)

    entries = tuple(
        BibEntry(
            item.key,
            anchors[item.key],
            xhtml.parse_block(str(style.render_bibliography([item])[0]), home.location, Report()),
        )
        for item in works.items
    )
    chapters = []
    for chapter in book.chapters:
        chapter = map_chapter(chapter, set_citation)
        chapter = map_chapter_blocks(
            chapter,
            lambda b: replace(b, entries=entries) if isinstance(b, Bibliography) else b,
        )
        chapters.append(chapter)
    if not placed and entries:
        last = chapters[-1]
        added = Bibliography(last.location, entries, titled=True)
        chapters[-1] = replace(last, blocks=(*last.blocks, added))
    return replace(book, chapters=tuple(chapters))


def _reference_list_home(book: Book) -> tuple[Chapter, bool]:
    """The chapter that holds the reference list, and whether the author placed it
    there: the one with ``::: {#refs}`` (True), else the last (False)."""
    for chapter in book.chapters:
        if any(isinstance(b, Bibliography) for b, _ in chapter_blocks(chapter)):
            return chapter, True
    return book.chapters[-1], False


def _as_written(book: Book) -> Book:
    """``book`` with its citations as they are written (there is no bibliography)."""

    def written(node: Inline) -> tuple[Inline, ...]:
        return (Text(node.written),) if isinstance(node, Citation) else (node,)

    return replace(book, chapters=tuple(map_chapter(c, written) for c in book.chapters))


def _year(work: Any) -> str:
    issued = work.get("issued")
    year = getattr(issued, "year", None) if issued is not None else None
    return str(year) if year else ""


def _split(html: str, around: tuple[str, str], year: str) -> tuple[str, str] | None:
    """An author-date citation's names and what follows them (its date, locator…)."""
    opening, closing = around
    if not (year and opening and html.startswith(opening) and html.endswith(closing)):
        return None
    inner = html[len(opening) : len(html) - len(closing)] if closing else html[len(opening) :]
    at = inner.find(year)
    if at <= 0:
        return None
    names = inner[:at].rstrip().rstrip(",").rstrip()
    return (names, inner[at:]) if names else None


def _narrative(html: str, around: tuple[str, str], year: str) -> str:
    parts = _split(html, around, year)
    return f"{parts[0]} {around[0]}{parts[1]}{around[1]}" if parts else html


def _without_names(html: str, around: tuple[str, str], year: str) -> str:
    parts = _split(html, around, year)
    return f"{around[0]}{parts[1]}{around[1]}" if parts else html
