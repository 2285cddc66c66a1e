"""Render a book into XHTML documents, navigation, stylesheet and cover with Jinja2 templates.

Templates live in ``pubtool/templates``; a file of the same name in a project's own
``templates/`` folder wins. The result, a :class:`Rendition`, is everything a writer
needs and nothing it must compute again.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import itertools
import re
import textwrap
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal, NoReturn
from urllib.parse import quote

import jinja2
import jinja2.ext
from markupsafe import Markup

from pubtool import (
    catalogs,
    cover,
    fonts,
    formulas,
    highlight,
    i18n,
    icudata,
    isbn,
    languages,
    readings,
    vertical,
    xhtml,
    xref,
)
from pubtool.catalogs import Translations
from pubtool.errors import Location, PubtoolError, Report
from pubtool.i18n import SourceMessage
from pubtool.languages import Direction
from pubtool.manuscript import image_media_type
from pubtool.model import (
    Book,
    Chapter,
    EditionId,
    Heading,
    IndexEntry,
    IndexLocator,
    Inline,
    Link,
    Metadata,
    TermUse,
    Text,
    book_images,
    plain_text,
    skipped_heading_levels,
)
from pubtool.pagelist import GLOSSARY, PrintPages
from pubtool.project import Project

GLOSSARY_HREF = "glossary.xhtml"
SUBJECTS_HREF = "subjects.xhtml"
INDEX_HREF = "bookindex.xhtml"
NAV_HREF = "nav.xhtml"
COVER_HREF = "cover.xhtml"
COVER_IMAGE_HREF = "cover.png"
STYLESHEET_HREF = "style.css"


Role = Literal[
    "cover", "titlepage", "copyright", "toc", "part", "chapter", "glossary", "subjects", "index"
]


@dataclass(frozen=True, slots=True)
class Document:
    """One XHTML document of an edition, in reading order."""

    href: str
    title: str
    role: Role
    content: bytes

    @property
    def id(self) -> str:
        return "doc-" + self.href.removesuffix(".xhtml")


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    href: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Resource:
    """A file copied into the edition as it is (an image)."""

    href: str
    media_type: str
    file: Path


@dataclass(frozen=True, slots=True)
class Rendition:
    lang: str
    metadata: Metadata
    identifier: EditionId  # this EPUB's (each edition has its own)
    modified: dt.datetime
    documents: tuple[Document, ...]
    toc: tuple[TocEntry, ...]
    stylesheet: bytes
    cover_svg: str
    resources: tuple[Resource, ...]
    accessibility_summary: str
    has_images: bool
    images_described: bool
    page_source: str  # the print edition its page-break markers come from, or ""
    has_ruby: bool
    conforms: bool  # pubtool's own checks found nothing against EPUB Accessibility 1.1
    direction: Direction  # of the edition's language: the package's direction
    vertical: bool = False  # set in columns from the right (pages progress right to left)

    @property
    def progression(self) -> Direction:
        """The spine's page-progression-direction: right to left for a right-to-left
        language, and for a book set vertically."""
        return "rtl" if self.vertical or self.direction == "rtl" else "ltr"


class TemplateError(PubtoolError):
    """A template (the package's or the project's) cannot be loaded or rendered."""

    code = "template"


def make_environment(project: Project) -> jinja2.Environment:
    env = jinja2.Environment(
        # the project's templates first: a file of the same name wins over pubtool's
        loader=jinja2.FileSystemLoader(project.template_folders),
        autoescape=jinja2.select_autoescape(["xhtml", "svg", "html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        extensions=[jinja2.ext.i18n],
    )
    env.filters["wrap"] = lambda text, width: textwrap.wrap(str(text), int(width)) or [""]
    env.filters["plain"] = plain_text
    env.filters["groupby_run"] = lambda items, name: [
        (key, list(group)) for key, group in itertools.groupby(items, key=attrgetter(name))
    ]
    env.filters["by_character"] = _by_character
    # How links and images are written: files of the EPUB, or places in one print document.
    env.filters["href"] = lambda href: href
    env.filters["image_src"] = lambda image: image.href
    # a formula: MathML in the EPUB, a drawing in print
    env.filters["formula"] = lambda tex, display: Markup(formulas.mathml(tex, display))
    env.globals["print"] = False
    env.globals["unknown_node"] = _unknown_node
    return env


def _by_character(word: str, reading: str) -> list[tuple[str, str]]:
    """A word and its reading as (character, syllable) pairs, where there is one syllable
    per character (zhuyin stands beside each character); else the whole word, once."""
    syllables = reading.split()
    if len(word) == len(syllables) > 1:
        return list(zip(word, syllables, strict=True))
    return [(word, reading)]


def _unknown_node(node: object) -> NoReturn:
    """What ``content.xhtml`` calls for a node kind it has no markup for."""
    kind = getattr(node, "kind", type(node).__name__)
    raise TemplateError(f"template content.xhtml has no markup for a node of kind {kind!r}")


def _print_environment(project: Project, images: dict[Path, str]) -> jinja2.Environment:
    env = make_environment(project)
    env.filters["href"] = lambda href: (
        "#" + (href.partition("#")[2] or href.removesuffix(".xhtml"))
        if not _is_external(href)
        else href
    )
    env.filters["image_src"] = lambda image: images.get(image.file) or image.file.as_uri()
    env.globals["print"] = True
    env.filters["formula"] = _drawn_formula
    env.filters["held_end"] = held_end
    env.filters["mono_ruby"] = mono_ruby
    env.filters["printed_url"] = printed_url
    # a link to a place of the book (not a web address): print says its page
    env.filters["cross_reference"] = lambda link: xref.is_internal(link.href)
    env.globals["page_number"] = lambda href: Markup('<a class="page-ref" href="{}"></a>').format(
        href
    )
    env.filters["css_string"] = lambda text: (
        '"' + " ".join(str(text).replace("\\", "\\\\").replace('"', '\\"').split()) + '"'
    )
    return env


def mono_ruby(term: str, pinyin: str) -> list[tuple[str, str, float]]:
    """A term of Han characters and its pinyin as (character, syllable, width in ems of
    the text) for print's mono ruby: each cell as wide as its syllable at half the
    size (a letter of the pinyin faces is about 0.45 of their em, so 0.225 of the
    text's, and a tenth of an em between syllables), at least one em. Empty where the pinyin cannot
    be split one syllable to a character, or the term is one character."""
    syllables = readings.split(term, pinyin)
    if syllables is None or len(syllables) != len(term) or len(term) < 2:
        return []
    return [
        (character, syllable, max(1.0, 0.225 * len(syllable) + 0.1))
        for character, syllable in zip(term, syllables, strict=True)
    ]


def held_end(children: Sequence[Inline]) -> list[Inline]:
    """A paragraph's inlines with a word joiner (U+2060) between the last two letters of
    its last text, where that text ends the paragraph: a line may then begin with
    neither, so the paragraph never ends on a line of one character and its punctuation
    (丝。). A paragraph that ends with a term, a link or a note is left as it is."""
    if not children or not isinstance(children[-1], Text):
        return list(children)
    text = children[-1].text
    letters = [i for i, c in enumerate(text) if not unicodedata.category(c).startswith(("P", "Z"))]
    if len(letters) < 2 or letters[-1] != letters[-2] + 1:
        return list(children)
    at = letters[-1]
    return [*children[:-1], replace(children[-1], text=text[:at] + "\u2060" + text[at:])]


def _drawn_formula(tex: str, display: bool) -> Markup:
    """A formula for print: its drawing as an image the size of the text around it,
    sitting on the baseline, with the TeX as its alt text."""
    drawn = formulas.drawing(tex, display)
    data = base64.b64encode(drawn.svg.encode("utf-8")).decode("ascii")
    style = (
        f"width: {drawn.width:.3f}em; height: {drawn.height:.3f}em; "
        f"vertical-align: {-drawn.depth:.3f}em"
    )
    return Markup(
        '<img class="{}" alt="{}" src="data:image/svg+xml;base64,{}" style="{}"/>'
    ).format("formula display" if display else "formula", " ".join(tex.split()), data, style)


def _is_external(href: str) -> bool:
    return href.startswith("#") or ":" in href.split("/")[0]


def _context(
    env: jinja2.Environment, book: Book, lang: str, translations: Translations | None
) -> dict[str, object]:
    """What every template of an edition sees."""
    language = languages.profile(lang)
    tag = language.declared
    install = env.install_gettext_translations  # type: ignore[attr-defined]  # jinja2.ext.i18n
    install(catalogs.labels(translations, tag), newstyle=True)
    meta = book.metadata
    chapters = book.chapters
    terms = languages.profile(languages.TERMS)
    terms_native = language.language == terms.language
    entries = book.glossary.sorted_entries()
    if terms_native:  # a glossary in the terms' own language is in pinyin order
        entries = sorted(entries, key=lambda e: (i18n.sort_key(e.pinyin), e.hanzi))
    derivation = meta.derivation(lang)
    zhuyin = derivation is not None and derivation.ruby == "zhuyin"
    vertical_layout = derivation is not None and derivation.layout == "vertical"
    date_text = language.in_digits(i18n.format_date(meta.date, lang)) if meta.date else ""
    group = language.fonts
    mono = [*fonts.reader_faces("mono", "body"), *fonts.reader_faces(group, "mono")]
    if not language.cjk:
        mono += fonts.reader_faces(terms.fonts, "mono")
    return {
        "meta": meta,
        "lang": tag,
        "language": language,
        "terms_native": terms_native,  # the edition is in the glossary's language
        "terms_lang": terms.declared,
        "terms_group": terms.fonts,
        # the ruby of terms: pinyin, or zhuyin (Bopomofo) for a derived edition asking it
        "pinyin_lang": languages.ZHUYIN if zhuyin else languages.PINYIN,
        "zhuyin": zhuyin,
        # set in columns from the right (the EPUB of a derived edition that asks for it)
        "vertical": vertical_layout,
        # where lines begin and end, and which pages are versos: mirrored right to left
        "start": "right" if language.rtl else "left",
        "end": "left" if language.rtl else "right",
        "verso": "right" if language.rtl else "left",
        # the faces reading systems may have, named in the EPUB's stylesheet
        "reader": {
            "body": fonts.reader_faces(group, "body"),
            "heading": fonts.reader_faces(group, "heading"),
            "terms": fonts.reader_faces(terms.fonts, "body"),
            "mono": mono,
        },
        "own_is_terms": group == terms.fonts,
        "code_style_name": highlight.SCREEN_STYLE,
        "code_style": highlight.stylesheet(highlight.SCREEN_STYLE, "pre.code"),
        "cover_font": fonts.cover_face(language),
        "cover_face": lambda text: fonts.cover_face(language, str(text)),
        "language_name": i18n.language_name(language.tag),  # as the book writes the tag
        "subjects_text": i18n.format_list(list(meta.subjects), tag) if meta.subjects else "",
        # the numbered uses of a term in one chapter, linked, in the language's list
        "use_links": lambda group, chapter_id: _use_links(group, chapter_id, tag),
        # the ISBNs of the language's editions, as printed (the copyright page lists them)
        "isbns": [(e.kind, isbn.hyphenated(e.isbn)) for e in meta.isbns(lang)],
        "glossary": book.glossary,
        "glossary_entries": entries,
        "chapters": chapters,
        "parts": {part.number: part for part in book.parts},
        "chapter_titles": {c.id: plain_text(c.title) for c in chapters},
        "date_text": date_text,
        # the date as the EPUB's copyright page shows it: numbers upright when vertical
        "date_shown": Markup(vertical.upright_markup(date_text)) if vertical_layout else date_text,
        "authors_text": i18n.format_list(list(meta.authors), tag) if meta.authors else "",
        "stylesheet": STYLESHEET_HREF,
        "glossary_href": GLOSSARY_HREF,
        "cover_image": COVER_IMAGE_HREF,
        "first_chapter": _first_of_body(book) or GLOSSARY_HREF,
        # the first foreword, preface, introduction, appendix, bibliography… of the book
        "landmark_chapters": list(_landmark_chapters(chapters).items()),
        "has_glossary": bool(book.glossary.entries),
        "book_index": book.index,
        "index_href": INDEX_HREF,
        "index_comma": list_comma(tag),  # between an index entry's pages
        # an index entry's places in the EPUB: by chapter, numbered, as the glossary's
        "index_places": lambda entry: _index_places(entry, chapters, tag, None),
    }


@dataclass(frozen=True, slots=True)
class PrintDocument:
    """The whole book as one HTML document with its print stylesheet, ready for layout."""

    html: str
    css: str
    lang: str
    title: str
    modified: dt.datetime
    identifier: EditionId  # the print edition's
    #: how a link's description joins a section and a place in it ("%(place)s: %(item)s")
    place: str = "%(place)s: %(item)s"
    #: the document again with its glossary's page references written out, given the
    #: page each id is on (None: the document has none)
    with_pages: Callable[[Mapping[str, int]], str] | None = None


def printed_url(link: Link) -> str:
    """The address print shows for ``link``: a web or mail address its text does not
    already show, else ""."""
    href = link.href
    if not href.startswith(("http://", "https://", "ftp://", "mailto:")):
        return ""
    shown = plain_text(link.children).strip()
    address = href.removeprefix("mailto:")
    bare = address.split("://", 1)[-1].rstrip("/")
    return "" if shown in (href, address, bare, bare + "/") else address


#: The line height of code in print, in ems of its font: the continuation marks are
#: drawn this far apart.
CODE_LINE_HEIGHT = 1.35


@functools.cache
def _continuation_marks(count: int = 60) -> str:
    """A data URI of an SVG column of ↪ marks one code line apart, from the second line
    on: the background of a wrapped code line (1em wide, so 10 units to the em)."""
    pitch = CODE_LINE_HEIGHT * 10
    marks = "".join(
        f'<path d="M2 {y - 7:.2f}v2.6a1.6 1.6 0 0 0 1.6 1.6h4.2m-1.8-1.8 1.8 1.8-1.8 1.8"/>'
        for y in (pitch * k + pitch * 0.75 for k in range(1, count))
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 {pitch * count:.2f}" '
        f'fill="none" stroke="#000" stroke-width="0.7">{marks}</svg>'
    )
    return "data:image/svg+xml," + quote(svg)


def render_print(
    book: Book,
    lang: str,
    translations: Translations | None,
    families: dict[str, list[str]],
    face_rules: list[str],
    page_size: str,
    images: dict[Path, str],
) -> PrintDocument:
    """The book as one HTML document for print: footnotes at their calls, page references.

    ``images`` gives, for some image files, the URI to use in print instead of the file.
    """
    env = _print_environment(book.project, images)
    context = _context(env, book, lang, translations)
    edition = book.metadata.edition_id(lang, "print")
    context |= {
        "vertical": False,  # WeasyPrint has no writing-mode: print stays horizontal
        "glossary_href": "",
        "fonts": families,
        "face_rules": face_rules,
        "page_size": page_size,
        "modified": book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "code_style_name": highlight.PRINT_STYLE,
        "code_style": highlight.stylesheet(highlight.PRINT_STYLE, "pre.code"),
        "code_line_height": CODE_LINE_HEIGHT,
        "continuation_marks": _continuation_marks(),
        "edition": edition,
    }
    labels = _labels(env, context)
    context["index_labels"] = _index_labels(labels)
    # book.yaml's accessibility_summary speaks of the EPUB; paper has one of its own
    context["summary"] = labels(
        "print_accessibility_summary", bool(book_images(book)), bool(book.glossary.entries)
    )
    css = _render(env, "print.css", context).decode()
    context["title"] = book.metadata.title
    html = _render(env, "print.html", context).decode()
    language = languages.profile(lang)

    def with_pages(pages: Mapping[str, int]) -> str:
        references = functools.partial(_page_references, labels, language, pages)
        numbers = {name: language.numeral(n) for name, n in pages.items()}
        return _render(
            env,
            "print.html",
            {
                **context,
                "page_references": references,
                "index_pages": lambda entry: _index_pages(entry, numbers, language.tag, "#"),
            },
        ).decode()

    meta = book.metadata
    uses = bool(book.index) or any(entry.uses for entry in book.glossary.entries.values())
    return PrintDocument(
        html,
        css,
        str(context["lang"]),
        meta.title,
        book.modified,
        edition,
        str(Markup(labels("link_place")).unescape()),
        with_pages if uses else None,
    )


@dataclass(frozen=True, slots=True)
class CoverDocument:
    """The print-on-demand cover as one HTML page the size of the cover sheet."""

    html: str
    lang: str
    title: str
    modified: dt.datetime
    spine_text: bool  # whether the spine was wide enough for its title
    barcode: bool  # whether the back carries the ISBN's barcode


#: How far inside the trim a cover's text keeps (the cutter may wander), in points.
COVER_SAFE = 12 * cover.MM


def render_cover(
    book: Book,
    lang: str,
    translations: Translations | None,
    families: dict[str, list[str]],
    face_rules: list[str],
    sheet: cover.CoverGeometry,
    barcode_svg: str,
) -> CoverDocument:
    """The cover of the print edition ``lang``: the back (the description, the ISBN and
    its barcode ``barcode_svg``, if any), the spine (the title, where it is wide enough)
    and the front (title, subtitle, authors), on ``sheet``."""
    env = _print_environment(book.project, {})
    context = _context(env, book, lang, translations)
    edition = book.metadata.edition_id(lang, "print")
    meta = book.metadata
    outer = sheet.slug  # the bleed's outer edge
    top = sheet.slug
    full = sheet.page_height + 2 * sheet.bleed
    spine_left, spine_right = sheet.spine_edges
    left_panel = (outer, top, spine_left - outer, full)
    right_panel = (spine_right, top, sheet.width - outer - spine_right, full)
    front, back = (
        (right_panel, left_panel) if sheet.binding == "left" else (left_panel, right_panel)
    )
    # inside a panel: its trim starts a bleed in from the top, and from its outer side
    front_in = sheet.bleed if front is left_panel else 0.0
    back_in = sheet.bleed if back is left_panel else 0.0
    safe = COVER_SAFE
    barcode_size = (37.29 * cover.MM, 27.0 * cover.MM)
    plate = (barcode_size[0] + 6 * cover.MM, barcode_size[1] + 8 * cover.MM)
    height = sheet.page_height
    boxes = {
        "bleed": (outer, top, sheet.width - 2 * outer, full),
        "front": front,
        "frame": (
            front_in + 6 * cover.MM,
            sheet.bleed + 6 * cover.MM,
            sheet.page_width - 12 * cover.MM,
            height - 12 * cover.MM,
        ),
        "front_words": (
            front_in + safe,
            sheet.bleed + safe,
            sheet.page_width - 2 * safe,
            height - 2 * safe,
        ),
        "back": back,
        "back_words": (
            back_in + safe,
            sheet.bleed + safe,
            sheet.page_width - 2 * safe,
            height - 3 * safe - plate[1],
        ),
        "barcode": (
            back_in + sheet.page_width - safe - plate[0],
            sheet.bleed + height - safe - plate[1],
            plate[0],
            plate[1],
        ),
        "spine": (spine_left, top + sheet.bleed, sheet.spine, height),
        "spine_across": (
            (sheet.spine - (height - 2 * safe)) / 2,
            (height - sheet.spine) / 2,
            height - 2 * safe,
            sheet.spine,
        ),
        "spine_upright": (0.0, safe, sheet.spine, height - 2 * safe),
    }
    print_isbn = edition.isbn
    barcode = (
        "data:image/svg+xml;base64," + base64.b64encode(barcode_svg.encode()).decode()
        if barcode_svg
        else ""
    )
    context |= {
        "fonts": families,
        "face_rules": face_rules,
        "sheet": (sheet.width, sheet.height),
        "boxes": boxes,
        "description": meta.description,
        "description_paragraphs": [p for p in meta.description.split("\n\n") if p.strip()],
        "barcode": barcode,
        "barcode_size": barcode_size,
        "isbn_text": isbn.hyphenated(print_isbn) if print_isbn else "",
        "spine_text": sheet.spine_text,
        "spine_size": min(10.0, sheet.spine * 0.45),
    }
    html = _render(env, "print-cover.html", context).decode()
    return CoverDocument(
        html, str(context["lang"]), meta.title, book.modified, sheet.spine_text, bool(barcode)
    )


#: a numbered place in a list made by :func:`_listed_places`; ``split`` yields its number
_PLACE = re.compile("\x00(\\d+)\x00")


def _listed_places(count: int, lang: str) -> str:
    """``count`` numbered places joined as ``lang`` joins a list ("0, 1 and 2", "0、1和2"),
    for markup to be put in each (split by :data:`_PLACE`)."""
    return i18n.format_list([f"\x00{n}\x00" for n in range(count)], lang)


def _use_links(uses: Sequence[TermUse], chapter_id: str, lang: str) -> Markup:
    """The uses of a term in one chapter as links numbered 1, 2…, joined as ``lang``
    joins a list ("1, 2 and 3", "1、2和3")."""
    links = [
        Markup('<a href="{}.xhtml#{}" role="doc-backlink">{}</a>').format(chapter_id, use.anchor, n)
        for n, use in enumerate(uses, start=1)
    ]
    parts = _PLACE.split(_listed_places(len(links), lang))
    return Markup("").join(
        links[int(part)] if n % 2 else Markup.escape(part) for n, part in enumerate(parts)
    )


def _index_places(
    entry: IndexEntry, chapters: Sequence[Chapter], lang: str, pages: Mapping[str, str] | None
) -> Markup:
    """An index entry's places in the EPUB: with the print edition's pages known, those
    pages (see :func:`_index_pages`); else each chapter's title, its places numbered
    after it when there are more than one, as the glossary lists a term's uses."""
    if pages is not None:
        return _index_pages(entry, pages, lang, "")
    titles = {c.id: plain_text(c.title) for c in chapters}
    pieces: list[Markup] = []
    by_chapter: dict[str, list[TermUse]] = {}
    for place in entry.locators:
        by_chapter.setdefault(place.chapter_id, []).append(TermUse(place.chapter_id, place.anchor))
    language = languages.profile(lang)
    for chapter_id, uses in by_chapter.items():
        if len(uses) == 1:
            pieces.append(
                Markup('<a epub:type="index-locator" href="{}.xhtml#{}">{}</a>').format(
                    chapter_id, uses[0].anchor, titles[chapter_id]
                )
            )
        else:
            links = Markup(
                str(_use_links(uses, chapter_id, lang)).replace(
                    'role="doc-backlink"', 'epub:type="index-locator"'
                )
            )
            marks = language.gloss_marks
            pieces.append(Markup("{}{}{}{}").format(titles[chapter_id], marks[0], links, marks[1]))
    joiner = "；" if language.cjk and not language.word_spaces else "; "
    return Markup(joiner).join(pieces)


def _index_pages(entry: IndexEntry, pages: Mapping[str, str], lang: str, prefix: str) -> Markup:
    """An index entry's pages: each page once, linked to the entry's first place there,
    runs of consecutive pages of one chapter as ranges (12–14, with the range mark of
    CLDR), joined as the language joins a list's items (:func:`list_comma`).
    ``prefix`` is what a link's address starts with ("#" in print, the chapter's file
    in the EPUB), ``pages`` each anchor's page as shown."""
    first: dict[int, tuple[str, IndexLocator]] = {}
    for place in entry.locators:
        shown = pages.get(place.anchor)
        number = _page_number(shown)
        if shown is not None and number is not None:
            first.setdefault(number, (shown, place))
    numbers = sorted(first)
    runs: list[list[int]] = []
    for number in numbers:
        # a range is one passage: the pages run on in one chapter (a mention at the end
        # of a chapter and another at the start of the next are two pages, 18, 19)
        chapter = first[number][1].chapter_id
        if runs and number == runs[-1][-1] + 1 and first[runs[-1][-1]][1].chapter_id == chapter:
            runs[-1].append(number)
        else:
            runs.append([number])
    dash = icudata.range_separator(lang)

    def link(number: int) -> Markup:
        shown, place = first[number]
        href = f"#{place.anchor}" if prefix == "#" else f"{place.chapter_id}.xhtml#{place.anchor}"
        kind = "" if prefix == "#" else ' epub:type="index-locator"'
        return Markup('<a class="index-page" href="{}"{}>{}</a>').format(href, Markup(kind), shown)

    pieces: list[Markup] = []
    for run in runs:
        if len(run) == 1:
            pieces.append(link(run[0]))
        else:  # a range of two or more pages
            kind = "" if prefix == "#" else ' epub:type="index-locator-range"'
            pieces.append(
                Markup('<span class="index-range"{}>{}{}{}</span>').format(
                    Markup(kind), link(run[0]), dash, link(run[-1])
                )
            )
    return Markup(list_comma(lang)).join(pieces)


@functools.cache
def list_comma(lang: str) -> str:
    """What joins an index entry's pages: the separator of CLDR's lists in ``lang``
    (", " in English, "、" in Chinese and Japanese); in a language whose lists join with
    a word (Arabic's و), its script's comma ("، ")."""
    return i18n.list_separator(lang) or ("، " if languages.profile(lang).script == "Arab" else ", ")


def _page_number(shown: str | None) -> int | None:
    """The number of a page as shown in any digits (١٢ is 12), or None (a roman
    numeral of the front matter)."""
    if not shown:
        return None
    try:
        return int("".join(str(unicodedata.digit(c)) for c in shown))
    except ValueError:
        return None


def _page_references(
    labels: Callable[..., str],
    language: languages.Language,
    pages: Mapping[str, int],
    uses: Sequence[TermUse],
) -> Markup:
    """A glossary entry's page references in print: each page with a use once, linked to
    its first use there, in the language's words and list ("See pages 11, 13 and 20.",
    "见第11、13和20页。"), held to the end of the definition and never broken before its
    first page nor after its last."""
    first: dict[int, str] = {}
    for use in uses:
        if use.anchor in pages:
            first.setdefault(pages[use.anchor], use.anchor)
    if not first:
        return Markup("")
    sentence = Markup(labels("page_references", len(first))).unescape()
    parts = _PLACE.split(sentence % {"pages": _listed_places(len(first), language.tag)})
    links = [
        Markup('<a class="glossary-page" href="#{}">{}</a>').format(anchor, language.numeral(n))
        for n, anchor in sorted(first.items())
    ]
    held = Markup('<span class="nowrap">{}</span>')
    pieces: list[Markup] = []
    texts, places = parts[0::2], [int(n) for n in parts[1::2]]
    for n, place in enumerate(places):
        link = links[place]
        before = texts[n]
        after = texts[n + 1] if n == len(places) - 1 else ""
        if n == 0:
            pieces.append(held.format(Markup("{}{}{}").format(before, link, after)))
        else:
            pieces.append(Markup("{}").format(before))
            pieces.append(held.format(Markup("{}{}").format(link, after)))
    joiner = "\u00a0" if language.word_spaces else "\u2060"
    return Markup('{}<span class="uses">{}</span>').format(joiner, Markup("").join(pieces))


def render_book(
    book: Book,
    lang: str,
    translations: Translations | None,
    report: Report,
    pages: PrintPages | None = None,
) -> Rendition:
    """Every document of the edition of ``book`` in ``lang``, its template words translated.

    With ``pages`` (where each page of the print edition begins), the chapters and the
    glossary carry page-break markers and the navigation a page list.
    """
    env = make_environment(book.project)
    context = _context(env, book, lang, translations)
    meta = book.metadata
    chapters = book.chapters
    tag = str(context["lang"])
    edition = context["edition"] = meta.edition_id(lang, "epub")
    labels = _labels(env, context)
    context["index_labels"] = _index_labels(labels)
    images = [image for image, _ in book_images(book)]
    hrefs = {c.id: f"{c.id}.xhtml" for c in chapters}
    hrefs |= {part.id: f"{part.id}.xhtml" for part in book.parts}
    if book.glossary.entries:
        hrefs[GLOSSARY] = GLOSSARY_HREF
    starts = [s for s in pages.starts if s.section in hrefs] if pages else []
    summary = meta.accessibility_summary or labels(
        "accessibility_summary", bool(images), bool(book.glossary.entries), bool(starts)
    )
    toc = _toc(book, {p.number: plain_text(p.title) for p in book.parts})
    if book.glossary.entries:
        toc += (TocEntry(labels("glossary_title"), GLOSSARY_HREF),)
    if meta.subjects:  # a page of their own at the back, as in print
        toc += (TocEntry(labels("subjects_title"), SUBJECTS_HREF),)
    if book.index:
        toc += (TocEntry(labels("index_title"), INDEX_HREF),)
    language = languages.profile(tag)
    # ids keep the page's number in ASCII digits; what is shown is in the edition's own
    shown = {
        s.label: language.numeral(int(s.label)) if s.label.isdigit() else s.label for s in starts
    }
    context["page_list"] = [(shown[s.label], f"{hrefs[s.section]}#page-{s.label}") for s in starts]
    if starts and pages and pages.anchors:  # the index shows the print edition's pages
        numbers = {name: language.numeral(n) for name, n in pages.anchors.items()}
        context["index_places"] = lambda entry: _index_places(entry, chapters, tag, numbers)

    def document(template: str, href: str, role: Role, title: str, **extra: object) -> Document:
        content = _render(env, template, {**context, **extra, "title": title, "toc": toc})
        marks = [
            (s.label, shown[s.label], s.block, s.text) for s in starts if hrefs[s.section] == href
        ]
        if marks:
            content = xhtml.insert_page_breaks(content, marks)
        problem = xhtml.check_well_formed(content)
        if problem:
            raise TemplateError(
                f"template {template} made {href}, which is not well-formed XHTML: {problem}"
            )
        return Document(href, title, role, content)

    documents = [
        document("cover.xhtml", COVER_HREF, "cover", meta.title),
        document("titlepage.xhtml", "titlepage.xhtml", "titlepage", meta.title),
        document(
            "copyright.xhtml",
            "copyright.xhtml",
            "copyright",
            labels("copyright_title"),
        ),
        document("nav.xhtml", NAV_HREF, "toc", labels("contents_title")),
    ]
    parts = {part.number: part for part in book.parts}
    for chapter in chapters:
        part = parts.pop(chapter.part, None)  # a part's page comes before its first chapter
        if part is not None:
            documents.append(
                document(
                    "part.xhtml", f"{part.id}.xhtml", "part", plain_text(part.title), part=part
                )
            )
        documents.append(
            document(
                "chapter.xhtml",
                f"{chapter.id}.xhtml",
                "chapter",
                plain_text(chapter.title),
                chapter=chapter,
                number=int(chapter.number) if chapter.number.isdigit() else 0,
            )
        )
    if book.glossary.entries:
        documents.append(
            document("glossary.xhtml", GLOSSARY_HREF, "glossary", labels("glossary_title"))
        )
    if meta.subjects:
        documents.append(
            document("subjects.xhtml", SUBJECTS_HREF, "subjects", labels("subjects_title"))
        )
    if book.index:
        documents.append(document("bookindex.xhtml", INDEX_HREF, "index", labels("index_title")))
    described = all(image.alt or image.decorative for image in images)
    return Rendition(
        lang=tag,
        metadata=meta,
        identifier=edition,
        modified=book.modified,
        documents=tuple(documents),
        toc=toc,
        stylesheet=_render(env, "style.css", context),
        cover_svg=_render(env, "cover.svg", context).decode(),
        resources=tuple(
            Resource(image.href, image_media_type(image.file) or "", image.file) for image in images
        ),
        accessibility_summary=summary,
        has_images=bool(images),
        images_described=described,
        page_source=pages.source if starts and pages else "",
        has_ruby=any(b"<ruby" in d.content for d in documents),
        conforms=described
        and not any(skip for chapter in chapters for skip in skipped_heading_levels(chapter)),
        direction=languages.profile(lang).direction,
        vertical=bool(context["vertical"]),
    )


TEMPLATE_SUFFIXES = (".xhtml", ".svg", ".html", ".xml")


def template_messages(project: Project) -> list[SourceMessage]:
    """Every translatable string of the templates an edition of this project uses.

    A project's own template replaces the package's one of the same name, here too.
    """
    own, package = project.template_folders
    chosen: dict[str, tuple[Path, str]] = {}
    for folder, shown in ((package, "pubtool/templates"), (own, project.shown(own))):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in TEMPLATE_SUFFIXES:
                    chosen[path.name] = (path, f"{shown}/{path.name}")
    messages: list[SourceMessage] = []
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    for path, shown in chosen.values():
        with path.open("rb") as handle:
            found = jinja2.ext.babel_extract(handle, ("_", "gettext", "ngettext"), [], options)
            for line, function, message, _comments in found:
                strings = message if isinstance(message, tuple) else (message,)
                texts = [text for text in strings if isinstance(text, str) and text]
                where = ((shown, line),)
                if function == "ngettext" and len(texts) == 2:  # msgid and msgid_plural
                    singular, plural = texts
                    messages.append(
                        SourceMessage(singular, where, "template text", True, plural=plural)
                    )
                    continue
                for text in texts:
                    messages.append(
                        SourceMessage(text, where, "template text", python_format="%(" in text)
                    )
    return messages


def _render(env: jinja2.Environment, name: str, context: dict[str, object]) -> bytes:
    try:
        return env.get_template(name).render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax: {exc.message}",
            location=Location(Path(exc.filename or name), exc.lineno),
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {name}: {exc}") from exc


def _index_labels(labels: Callable[..., str]) -> dict[str, Markup]:
    """The index's words (labels.xhtml's, or pubtool's own where a project's older
    labels.xhtml lacks them): its title, the heading of the group of symbols and others,
    and "see" and "see also" with the place of the entry they send readers to."""
    return {
        "title": Markup(labels("index_title")),
        "other": Markup(labels("index_other")),
        "see": Markup(labels("index_see")),
        "see_also": Markup(labels("index_see_also")),
    }


def _labels(env: jinja2.Environment, context: dict[str, object]) -> Callable[..., str]:
    """Short texts, defined as macros in ``labels.xhtml`` so that projects can reword them."""
    try:
        module = env.get_template("labels.xhtml").make_module(context)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template labels.xhtml: {exc}") from exc

    @functools.cache
    def package_module() -> Any:
        """pubtool's own labels.xhtml (the last template folder), for the labels a
        project's older one lacks."""
        loader = env.loader
        assert isinstance(loader, jinja2.FileSystemLoader)
        package = env.overlay(loader=jinja2.FileSystemLoader(loader.searchpath[-1]))
        return package.get_template("labels.xhtml").make_module(context)

    def package_macro(name: str) -> Any:
        return getattr(package_module(), name)

    def label(name: str, *args: object) -> str:
        macro = getattr(module, name, None) or package_macro(name)
        if not macro.catch_varargs:  # a project's older labels.xhtml may take fewer
            args = args[: len(macro.arguments)]
        try:
            return str(macro(*args)).strip()
        except (TypeError, jinja2.TemplateError) as exc:
            raise TemplateError(f"template labels.xhtml, macro {name}: {exc}") from exc

    return label


#: the kinds of chapter the EPUB's landmarks lead to (the first of each)
_LANDMARKS = frozenset(
    {"foreword", "preface", "introduction", "appendix", "bibliography", "afterword", "epilogue"}
)


def _landmark_chapters(chapters: tuple[Chapter, ...]) -> dict[str, Chapter]:
    """The first chapter of each kind the landmarks lead to, in the book's order."""
    firsts: dict[str, Chapter] = {}
    for chapter in chapters:
        if chapter.semantic in _LANDMARKS and not chapter.depth:
            firsts.setdefault(chapter.semantic, chapter)
    return firsts


def _first_of_body(book: Book) -> str:
    """Where the body of the book begins (the landmark): its first chapter that is not
    front matter, or the page of that chapter's part."""
    first = next((c for c in book.chapters if c.matter != "front"), None)
    if first is None:
        return f"{book.chapters[0].id}.xhtml" if book.chapters else ""
    part = next((p for p in book.parts if p.number == first.part), None)
    return f"{part.id}.xhtml" if part else f"{first.id}.xhtml"


def _toc(book: Book, part_titles: dict[int, str]) -> tuple[TocEntry, ...]:
    """The contents: parts, their chapters, each chapter's sub-chapters and its headings
    down to the book's ``toc_depth`` (a ``#`` heading in the text counts as ``##``)."""
    depth = book.metadata.toc_depth
    top: list[tuple[int, TocEntry]] = []  # (part, entry) of each top-level chapter
    for chapter in book.chapters:
        entry = _toc_entry(chapter, depth)
        if chapter.depth and top:
            part, parent = top[-1]
            top[-1] = (part, replace(parent, children=(*parent.children, entry)))
        else:
            top.append((chapter.part, entry))
    out: list[TocEntry] = []
    for part, group in itertools.groupby(top, key=lambda item: item[0]):
        entries = tuple(entry for _, entry in group)
        if part and part in part_titles:
            out.append(TocEntry(part_titles[part], f"part-{part}.xhtml", entries))
        else:
            out.extend(entries)
    return tuple(out)


def _toc_entry(chapter: Chapter, depth: int) -> TocEntry:
    """A chapter in the contents, with its headings down to level ``depth``, nested."""
    href = f"{chapter.id}.xhtml"
    # (level, title, href, children) of each heading; the stack holds the open ones
    root: list[_TocNode] = []
    stack: list[tuple[int, list[_TocNode]]] = [(1, root)]
    for block in chapter.blocks:
        level = max(block.level, 2) if isinstance(block, Heading) else 0
        if not isinstance(block, Heading) or level > depth or not block.listed:
            continue
        while stack[-1][0] >= level:
            stack.pop()
        node = _TocNode(plain_text(block.children), f"{href}#{block.anchor}", [])
        stack[-1][1].append(node)
        stack.append((level, node.children))
    return TocEntry(plain_text(chapter.title), href, tuple(n.frozen() for n in root))


@dataclass
class _TocNode:
    """A heading in the contents while they are made."""

    title: str
    href: str
    children: list[_TocNode]

    def frozen(self) -> TocEntry:
        return TocEntry(self.title, self.href, tuple(c.frozen() for c in self.children))
