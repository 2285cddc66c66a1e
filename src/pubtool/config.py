"""Read ``manuscript/book.yaml`` into :class:`pubtool.model.Metadata`, reporting every bad key."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pubtool import i18n, icudata, isbn, languages
from pubtool.cover import PAPERS
from pubtool.errors import Location, Report
from pubtool.fonts import ALIASES as FONT_ALIASES
from pubtool.fonts import DEFAULTS as DEFAULT_FONTS
from pubtool.fonts import GROUPS as FONT_GROUPS
from pubtool.fonts import ROLES as FONT_ROLES
from pubtool.model import (
    EDITION_KINDS,
    ContentsEntry,
    Derivation,
    EditionId,
    Layout,
    Matter,
    Metadata,
    Ruby,
)
from pubtool.project import Project
from pubtool.textfiles import read_text
from pubtool.yamldoc import LinedDict, LinedList, load_yaml

PAGE_SIZES = ("A3", "A4", "A5", "A6", "B4", "B5", "JIS-B4", "JIS-B5", "letter", "legal", "ledger")

#: What each kind of value is called in the configuration reference.
KINDS = {
    "text": "text",
    "language": "language tag",
    "list": "list of texts",
    "editions": "list of language tags or derived editions",
    "date": "date",
    "percent": "number, 0 to 100",
    "page": "page size",
    "choice": "one of the values named",
    "fonts": "font lists",
    "contents": "front matter, chapters (in parts) and back matter",
    "level": "number, 1 to 6",
    "identifier": "text, or texts by language and format",
    "isbns": "ISBN-13s by language and format",
    "length": "length in mm or in",
    "switch": "true or false",
    "collations": "collation types by language",
}

#: What a chapter can be (its epub:type, from EPUB 3 Structural Semantics, and its
#: DPUB-ARIA role), where it may stand; the first of each is the default.
SEMANTICS: dict[str, tuple[str, ...]] = {
    "front": ("preface", "foreword", "introduction", "prologue", "dedication", "acknowledgments"),
    "body": ("chapter", "introduction", "prologue", "epilogue", "conclusion"),
    "back": (
        "appendix",
        "afterword",
        "bibliography",
        "epilogue",
        "conclusion",
        "acknowledgments",
        "colophon",
    ),
}


@dataclass(frozen=True, slots=True)
class Key:
    """One key of ``book.yaml``: its name, the kind of value, and what it means.

    This is the single source of the configuration reference (``python -m
    pubtool.config`` writes docs/configuration.md): ``doc`` is the one-line summary (also
    used in the hint for a missing key), ``details`` says more, ``default`` is what a
    book without the key gets, and ``example`` is the key as written in book.yaml.
    """

    name: str
    kind: str  # one of KINDS
    doc: str
    required: bool = False
    details: str = ""
    default: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()  # the values of a "choice"


def _font_lists(group: str) -> str:
    roles = DEFAULT_FONTS[group]
    return "; ".join(f"{role}: {', '.join(families)}" for role, families in roles.items())


SCHEMA: tuple[Key, ...] = (
    Key(
        "title",
        "text",
        "The book's title.",
        required=True,
        details="It appears on the cover, the title page, the copyright page, the running "
        "heads of left-hand pages in print, and in the metadata of every edition. A "
        "translated edition takes its title from the `book` catalog.",
        example="title: Coal, Clay and Shadows",
    ),
    Key(
        "language",
        "language",
        "The source language, a BCP 47 tag such as `en`.",
        required=True,
        details="The language the chapters are written in. Its edition is made from the "
        "manuscript itself; `pubtool epub` and `pubtool pdf` make it when no `--lang` is given.",
        example="language: en",
    ),
    Key(
        "languages",
        "editions",
        "The languages of the other editions, e.g. `[zh]`.",
        details="Each language is a BCP 47 tag and gets its catalogs in "
        "`locales/<lang>/LC_MESSAGES/` from `pubtool i18n update`. A single language "
        "may be written without brackets. An entry may instead be a *derived edition*, "
        "made from another edition by OpenCC: `{lang: zh-Hant-TW, from: zh, convert: "
        "s2twp, layout: vertical, ruby: zhuyin}`. `convert` is an OpenCC configuration "
        "(`s2t`, `s2tw`, `s2twp`, `s2hk`, `t2s`, …; by default the one the two tags call "
        "for: `s2tw` when the likely region is Taiwan, as for `zh-Hant`; `s2hk` for Hong "
        "Kong and Macau; `t2s` to Simplified); `layout: vertical` sets the EPUB in "
        "columns from the right (the PDF stays horizontal); `ruby: zhuyin` annotates "
        "terms in zhuyin (Bopomofo) instead of pinyin. Its catalogs in "
        "`locales/<lang>/`, if any, override the conversion "
        "message by message. See [Translating](translating.md#derived-editions).",
        default="none: only the source language's edition",
        example="languages: [zh, fr]",
    ),
    Key(
        "subtitle",
        "text",
        "A subtitle, shown on the cover and the title page.",
        details="Also on the copyright page; translated through the `book` catalog.",
        default="none",
        example="subtitle: A Short Book about Pingdingshan, Henan",
    ),
    Key(
        "authors",
        "list",
        "The authors, in the order they are credited.",
        details="Shown on the cover, the title page and the copyright page, and written "
        "into the metadata. A single author may be written without brackets.",
        default="none",
        example="authors: [Li Hua, Jane Doe]",
    ),
    Key(
        "publisher",
        "text",
        "The publisher's name.",
        details="Shown on the title page and the copyright page, and written into the "
        "EPUB's metadata.",
        default="none",
        example="publisher: Sample Press",
    ),
    Key(
        "identifier",
        "identifier",
        "The book's URN or UUID, or one for each edition; by default a UUID derived from "
        "title and authors.",
        details="Reading systems and stores tell editions apart by it, so each edition (a "
        "language, as EPUB or in print) has its own. A single text is the book's: it is "
        "the source language's EPUB's identifier, and every other edition's is a "
        "`urn:uuid:` derived from it and the edition, the same from build to build. A "
        "mapping gives editions their own: `en: {epub: …, print: …}`; an edition with an "
        "`isbn` is identified by it (`urn:isbn:…`). The default changes with the title or "
        "the authors: set it once the book is published.",
        default="`urn:uuid:` and a UUID derived from the title and the authors",
        example="identifier: urn:uuid:6f1c3a52-8e0b-4d6a-9c3e-2a7d5b9e4f10",
    ),
    Key(
        "isbn",
        "isbns",
        "The ISBN-13 of each edition that has one, by language and format.",
        details="An ISBN belongs to one edition: write them as `language: {epub: …, "
        "print: …}` (the booklet is the print edition). Hyphens and spaces may be "
        "written; the check digit is checked. The edition's identifier becomes "
        "`urn:isbn:` and the digits; the copyright page prints the language's ISBNs with "
        "their agency's hyphens, and the PDF's XMP carries its own as `dc:identifier`.",
        default="none",
        example="isbn:\n  en: {epub: 978-0-306-40615-7, print: 978-1-4028-9462-6}",
    ),
    Key(
        "date",
        "date",
        "Publication date, YYYY-MM-DD.",
        details="Printed on the copyright page in the way of each edition's language "
        "(November 28, 2026; 2026年11月28日). It is also the date recorded in the "
        "editions, so that the same sources give the same bytes; the environment variable "
        "`SOURCE_DATE_EPOCH` takes precedence.",
        default="none: the copyright page gives no date, and the editions record the time "
        "of the last commit of `manuscript/` (outside Git, of the newest chapter)",
        example="date: 2026-11-28",
    ),
    Key(
        "description",
        "text",
        "A short description for catalogues and reading apps.",
        details="Written into the EPUB's and the PDF's metadata; translated through the "
        "`book` catalog.",
        default="none",
        example="description: >-\n  A short illustrated book about Pingdingshan in Henan.",
    ),
    Key(
        "subjects",
        "list",
        "Subject headings.",
        details="Written into the metadata and listed on the copyright page. A subject that "
        "names a country or territory (`Hungary culture`) is shown in each edition's "
        "language from CLDR data; a name close to a known one gets a warning. Names that "
        "changed follow one policy: a territory that still exists is shown by CLDR's current "
        "name, whatever name the subject uses (`Swaziland culture` is Eswatini, 斯威士兰), as "
        "library catalogues update their headings; a place that no longer exists, or that "
        "CLDR has no territory for (`Netherlands Antilles`, `Serbia and Montenegro`, "
        "`Palestinian Authority`), keeps its own name, is never replaced by its successors, "
        "and its whole subject is a message for the translator (荷属安的列斯文化).",
        default="none",
        example="subjects: [Chinese ceramics, Hungary culture]",
    ),
    Key(
        "rights",
        "text",
        "The rights statement printed on the copyright page.",
        details="Also written into the EPUB's metadata; translated through the `book` catalog.",
        default="none",
        example="rights: © 2026 Li Hua. Licensed under CC BY-SA 4.0.",
    ),
    Key(
        "slug",
        "text",
        "The base of output file names; by default derived from the title.",
        details="Outputs are written as `build/<slug>-<lang>.epub`, `.pdf` and `-booklet.pdf`.",
        default="the title in lowercase ASCII words joined by hyphens (`coal-clay-and-"
        "shadows`), or `book` for a title without Latin letters",
        example="slug: coal-clay",
    ),
    Key(
        "min_translated",
        "percent",
        "`pubtool check` fails below this % translated (0-100).",
        details="A translated language with a smaller share of translated messages (the "
        "total of `pubtool i18n stats`) is an error `I18N001` of `pubtool check`. Builds are "
        "not affected: an untranslated text is shown in the source language.",
        default="0",
        example="min_translated: 95",
    ),
    Key(
        "page_size",
        "page",
        "The print page: A5 (the default), A4, B5, letter, or `140mm 210mm`.",
        details="For the PDF edition; the booklet places two of these pages on each side of "
        f"a sheet. Known sizes (in any case): {', '.join(PAGE_SIZES)}; or a width and a "
        "height in `mm`, `cm`, `in` or `pt`.",
        default="A5",
        example="page_size: 140mm 210mm",
    ),
    Key(
        "paper",
        "choice",
        "The paper of the print edition, for the cover's spine: `white` (the default), "
        "`cream` or `colour`.",
        details="`pubtool pdf --cover` makes the spine as wide as the pages are thick: the "
        "page count times the thickness of one page, which is "
        + ", ".join(f"{mm} mm on `{name}`" for name, mm in PAPERS.items())
        + " paper (the figures Amazon KDP "
        "publishes; IngramSpark and Lulu are within a few hundredths of a millimetre). "
        "Another paper: `paper_thickness`. See [A print-on-demand cover](print.md#cover).",
        default="white",
        example="paper: cream",
        choices=tuple(PAPERS),
    ),
    Key(
        "paper_thickness",
        "length",
        "The thickness of one page (half a leaf) of the print shop's paper, for the cover's spine.",
        details="Overrides the thickness `paper` gives, for a paper the print shop names "
        "by its caliper: `0.1mm`, or `0.0042in`. A print shop that quotes pages per inch "
        "(PPI) means 1/PPI inches.",
        example="paper_thickness: 0.07mm",
    ),
    Key(
        "print_urls",
        "choice",
        "Where print shows a link's address: `footnote` (the default), `after`, or `none`.",
        details="On paper a link is only its text, so the print edition shows the address of "
        "each web link: as a footnote lettered a, b… in each chapter, so that the notes keep "
        "their numbers (`footnote`), in brackets after "
        "the text (`after`), or not at all (`none`). A link whose text is its address "
        "(`<https://example.org>`) is shown once; a link inside a footnote has its address "
        "after it. The EPUB is not affected.",
        default="footnote",
        example="print_urls: after",
        choices=("footnote", "after", "none"),
    ),
    Key(
        "bibliography",
        "list",
        "The bibliography the citations (`[@doe2020, p. 33]`) name: BibTeX or CSL JSON.",
        details="A file (or a list of files) relative to `manuscript/`, as Pandoc names it: "
        "`.bib` (BibTeX, UTF-8) or `.json` (CSL JSON, as Zotero exports it). Every key a "
        "citation names must be in it. The reference list is set where the text has "
        "`::: {#refs}` and `:::`, else at the end of the book's last chapter. See "
        "[Citations](writing.md#citations).",
        example="bibliography: references.bib",
    ),
    Key(
        "output_profile",
        "text",
        "The ICC profile of the print condition, for `--pdf-variant pdf/x-4`: a file "
        "relative to `manuscript/`.",
        details="PDF/X names the press and paper the PDF was prepared for by an output "
        "intent, which holds the printer's ICC profile (an output profile: class `prtr`, "
        "in CMYK, RGB or grey); ask the print shop for it (FOGRA39 for coated paper in "
        "Europe, GRACoL or SWOP in America, Japan Color 2011 in Japan). The book's colours "
        "stay sRGB and are declared so, for the RIP to convert. `pdf/x-4` without this key "
        "is an error, since no profile fits every press. "
        "See [PDF standards](print.md#pdf-standards).",
        example="output_profile: ISOcoated_v2_eci.icc",
    ),
    Key(
        "csl",
        "text",
        "The citation style: a `.csl` file relative to `manuscript/`.",
        details="Any CSL 1.0 style (the Zotero style repository has thousands). Without it, "
        "citations are author-date in the style Harvard: Cite Them Right, which ships with "
        "citeproc-py. Each edition's terms and dates (and, p., pp.) come from CSL's locale "
        "of its language.",
        default="harvard-cite-them-right",
        example="csl: chicago-author-date.csl",
    ),
    Key(
        "footnote_numbering",
        "choice",
        "How footnotes are numbered: from 1 in each `chapter` (the default), or across the `book`.",
        details="The EPUB and the print edition number alike: a note is 3 in both. With "
        "`book`, the first note of a chapter follows the last of the chapter before it.",
        default="chapter",
        example="footnote_numbering: book",
        choices=("chapter", "book"),
    ),
    Key(
        "contents",
        "contents",
        "The book's chapters in order: front matter, chapters in parts, back matter.",
        details="Without it every `manuscript/*.md` file is a numbered chapter, in the natural "
        "order of the file names. With it, only the files it names are in the book, in its "
        "order (paths from `manuscript/`). `front` lists unnumbered front matter (a preface "
        "by default); `chapters` lists the numbered chapters, each a file or a mapping with "
        "`file`, `type` and its own `chapters` (sub-chapters, numbered 3.1, 3.2…), and a "
        "`part` (its title) with the `chapters` it holds; `back` lists the back matter, "
        "appendices (lettered A, B…) by default. `type` is what a chapter is, its EPUB "
        "`epub:type`: in `front` "
        + ", ".join(f"`{s}`" for s in SEMANTICS["front"])
        + "; in `chapters` "
        + ", ".join(f"`{s}`" for s in SEMANTICS["body"])
        + "; in `back` "
        + ", ".join(f"`{s}`" for s in SEMANTICS["back"])
        + ". A file named as a type (`foreword.md`, `bibliography.md`) is that type. Only "
        "chapters and appendices are numbered. See "
        "[Writing chapters](writing.md#the-books-structure).",
        default="every chapter file, numbered, in the natural order of the names",
        example="contents:\n  front: [foreword.md, preface.md]\n  chapters:\n"
        "    - part: Getting started\n      chapters:\n        - 01-install.md\n"
        "        - file: 02-first-book.md\n          chapters: [02a-images.md]\n"
        "    - part: Translating\n      chapters: [03-catalogs.md]\n"
        "  back:\n    - appendix-a.md\n    - {file: reading.md, type: bibliography}",
    ),
    Key(
        "chapter_start",
        "choice",
        "Where a chapter starts in print: `recto` (a right-hand page, the default) or `any`.",
        details="`recto` opens each chapter, part and appendix on a right-hand page (in a "
        "right-to-left book, a left-hand one), leaving the page before it blank when needed, "
        "as printed books do; `any` starts it on the next page, for a book with many short "
        "chapters. The EPUB is not affected.",
        default="recto",
        example="chapter_start: any",
        choices=("recto", "any"),
    ),
    Key(
        "toc_depth",
        "level",
        "The deepest heading level in the contents and the PDF's bookmarks (default 2).",
        details="1 lists chapter titles only; 2 (the default) their `##` sections too; 3 "
        "the `###` headings under them, and so on to 6. The EPUB's navigation and the "
        "PDF's outline list the same headings.",
        default="2",
        example="toc_depth: 3",
    ),
    Key(
        "index",
        "switch",
        "Whether the back-of-book index lists every use of each glossary term (default true).",
        details="With `false`, the index holds only the places marked with "
        "{index}`…` in the chapters. A single glossary entry can leave the index with "
        "`index: false` in glossary.yaml, or be filed under another entry with "
        "`index: Jun porcelain; glazes`. See [Writing chapters](writing.md#the-index).",
        default="true",
        example="index: false",
    ),
    Key(
        "collation",
        "collations",
        "How an edition's index is sorted, by language: a collation type of CLDR.",
        details="Each edition's index is sorted and grouped as CLDR's collation of its "
        "language says (through ICU): English ignoring case and accents, Chinese by pinyin "
        "(grouped A–Z), Traditional Chinese by strokes, Japanese by the kana of each "
        "entry's reading, German by its dictionary rule. This key picks another of the "
        "language's types: `stroke`, `pinyin` or `zhuyin` for Chinese, `phonebook` for "
        "German (ä as ae). `pubtool` names the types a language has if one is unknown.",
        default="the language's own (CLDR's default)",
        example="collation:\n  zh: stroke\n  de: phonebook",
    ),
    Key(
        "fonts",
        "fonts",
        "Print font preferences by script group, each with `body` and `heading` lists.",
        details="Families as fontconfig names them (`fc-list : family`), best first. A list "
        "given here replaces the default list of its role; the first installed family is "
        "used. An edition's text is set in the group of its own script first, then "
        "`latin`, then the group of the glossary's hanzi (`han-sc`); code in `mono`; pinyin "
        "in the `latin` body family. A character none of them has is drawn by any "
        "installed font that has it. The groups and their defaults: "
        + "; ".join(f"{group} ({_font_lists(group)})" for group in DEFAULT_FONTS)
        + ". `zh` is another name for `han-sc`. See [Languages](languages.md).",
        default="the default lists below",
        example="fonts:\n  latin:\n    body: [Noto Serif]\n  han-sc:\n"
        "    heading: [Noto Serif CJK SC]",
    ),
    Key(
        "accessibility_summary",
        "text",
        "A sentence for readers on how accessible the book is; a sensible default is written.",
        details="Written into the EPUB's accessibility metadata "
        "(`schema:accessibilitySummary`); translated through the `book` catalog. The print "
        "edition's copyright page has a summary of its own (a PDF's type size cannot be "
        "changed by its reader): its tags, bookmarks and image descriptions.",
        default="a summary made from what the book has (contents, image descriptions, "
        "glossary), in the edition's language",
        example="accessibility_summary: >-\n  Every image is described in the text.",
    ),
    Key(
        "certified_by",
        "text",
        "Who checked the book's accessibility (a person or an organization).",
        details="Written into the EPUB as `a11y:certifiedBy` beside the conformance claim "
        "(`dcterms:conformsTo` EPUB Accessibility 1.1 - WCAG 2.2 Level AA), which an "
        "edition makes only when its own checks pass: every image has a description or "
        "is marked decorative, and no chapter skips a heading level. Run `pubtool check` "
        "(EPUBCheck and Ace by DAISY) before you name a certifier.",
        default="none: no certifier is named",
        example="certified_by: Pingdingshan Accessible Books",
    ),
)

_LENGTH = re.compile(r"^(\d+(?:\.\d+)?|\.\d+) ?(mm|in)$")
_PAGE_DIMENSIONS = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt) \d+(\.\d+)?(mm|cm|in|pt)$")
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*$")


def reference() -> str:
    """The configuration reference (docs/configuration.md) in Markdown, made from SCHEMA."""
    lines = [
        "<!-- Made from SCHEMA in src/pubtool/config.py by `python -m pubtool.config >"
        " docs/configuration.md`; change the schema, not this page. -->",
        "",
        "# Configuration reference",
        "",
        "A book's metadata and settings are in `manuscript/book.yaml`, a YAML mapping of the",
        "keys below. Only `title` and `language` are required. Every problem is reported at",
        "its line, all at once: a value of the wrong kind is an error, an unknown key is a",
        "warning that names the closest known key, and a key written twice is an error.",
        "Comments (`# ...`) are welcome. A chapter's title is in the chapter itself (see",
        "[Writing chapters](writing.md#front-matter)).",
        "",
        "| key | type | required or default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for key in SCHEMA:
        needed = "**required**" if key.required else (key.default or "none")
        lines.append(f"| [`{key.name}`](#{key.name}) | {KINDS[key.kind]} | {needed} | {key.doc} |")
    for key in SCHEMA:
        lines += ["", f"## `{key.name}`", "", key.doc]
        if key.details:
            lines += ["", key.details]
        kind = KINDS[key.kind]
        if key.choices:
            kind += ": " + ", ".join(f"`{choice}`" for choice in key.choices)
        lines += ["", f"- Type: {kind}."]
        lines.append("- Required." if key.required else f"- Default: {key.default or 'none'}.")
        if key.example:
            lines += ["", "```yaml", key.example, "```"]
    return "\n".join(lines) + "\n"


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens ("Coal & Clay" -> "coal-clay")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def load_metadata(project: Project, report: Report) -> Metadata | None:
    """Read and check ``book.yaml``; None if it cannot be used (errors are in ``report``)."""
    path = project.book_yaml
    if not path.is_file():
        report.error(
            "config-missing",
            "no book.yaml: this folder is not a book project",
            Location(path),
            "run pubtool in a book project's folder, or give one with --project DIR",
        )
        return None
    text = read_text(path, report)
    if text is None:
        return None
    data = load_yaml(text, path, report)
    if data is None and not report.errors:
        data = LinedDict()
        data.line, data.key_lines = 1, {}
    if not isinstance(data, LinedDict):
        if data is not None:
            report.error(
                "config-type", "book.yaml must be a mapping of keys to values", Location(path, 1)
            )
        return None
    return _validate(data, path, report)


def _validate(data: LinedDict, path: Path, report: Report) -> Metadata | None:
    known = {key.name: key for key in SCHEMA}
    values: dict[str, Any] = {}
    ok = True
    for name, value in data.items():
        where = Location(path, data.key_lines.get(name))
        key = known.get(str(name))
        if key is None:
            close = difflib.get_close_matches(str(name), known, n=1)
            report.warning(
                "config-unknown-key",
                f"unknown key {name!r}",
                where,
                f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}",
            )
            continue
        checked = _check_value(key, value, where, report)
        if checked is None:
            ok = False
        else:
            values[key.name] = checked
    for key in SCHEMA:
        if key.required and key.name not in values and key.name not in data:
            ok = False
            report.error(
                "config-missing-key",
                f"missing required key {key.name!r}",
                Location(path, data.line if data else 1),
                f"add a line such as `{key.name}: ...` ({key.doc})",
            )
    source, editions = values.get("language"), values.get("languages", Editions((), ()))
    others = editions.tags
    if source and any(languages.same_language(source, other) for other in others):
        ok = False
        report.error(
            "config-language",
            f"{source!r}, the source language, is also in 'languages'",
            Location(path, data.key_lines.get("languages")),
            "'languages' lists the other editions: remove it from there",
        )
    derived = _derivations(editions, source, path, report) if source and ok else ()
    if not ok or derived is None:
        return None
    title: str = values["title"]
    authors: tuple[str, ...] = values.get("authors", ())
    written: dict[str, Any] = {n: values[n] for n in ("identifier", "isbn") if n in values}
    language: str = values["language"]
    identifier = written.pop("identifier") if isinstance(values.get("identifier"), str) else ""
    if not identifier:  # the source EPUB's, if book.yaml gives editions theirs
        own = written.get("identifier", {}).get(language, {})
        identifier = str(own.get("epub", "")).strip() or (
            "urn:uuid:"
            + str(uuid.uuid5(uuid.NAMESPACE_URL, "pubtool:" + title + "|" + "|".join(authors)))
        )
    edition_ids = _edition_ids(identifier, language, (language, *others), written, path, report)
    if edition_ids is None:
        return None
    return Metadata(
        title=title,
        language=values["language"],
        languages=others,
        derived=derived,
        subtitle=values.get("subtitle", ""),
        authors=authors,
        publisher=values.get("publisher", ""),
        identifier=identifier,
        edition_ids=edition_ids,
        date=values.get("date"),
        description=values.get("description", ""),
        subjects=values.get("subjects", ()),
        rights=values.get("rights", ""),
        slug=values.get("slug") or slugify(title) or "book",
        accessibility_summary=values.get("accessibility_summary", ""),
        certified_by=values.get("certified_by", ""),
        page_size=values.get("page_size", "A5"),
        min_translated=values.get("min_translated", 0.0),
        fonts=values.get("fonts", {}),
        print_urls=values.get("print_urls", "footnote"),
        paper=values.get("paper", "white"),
        paper_thickness=values.get("paper_thickness"),
        contents=values["contents"][0] if "contents" in values else (),
        parts=values["contents"][1] if "contents" in values else (),
        chapter_start=values.get("chapter_start", "recto"),
        footnote_numbering=values.get("footnote_numbering", "chapter"),
        bibliography=values.get("bibliography", ()),
        csl=values.get("csl", ""),
        output_profile=values.get("output_profile", ""),
        toc_depth=values.get("toc_depth", 2),
        index_terms=values.get("index", True),
        collations=values.get("collation", ()),
        key_lines=tuple((str(k), line) for k, line in data.key_lines.items()),
    )


def _collations(
    value: dict[str, str], where: Location, report: Report
) -> tuple[tuple[str, str], ...] | None:
    """``collation``'s languages and types, each type one CLDR has for its language."""
    found: list[tuple[str, str]] = []
    ok = True
    for written, collation in value.items():
        tag = _language_tag("collation", written, where, report)
        if tag is None:
            ok = False
            continue
        known = icudata.collations(tag)
        if collation.strip() not in known:
            ok = False
            report.error(
                "config-collation",
                f"CLDR has no collation {collation!r} for {written!r}",
                where,
                f"the collations of {written!r} are {', '.join(known)}",
            )
            continue
        found.append((tag, collation.strip()))
    return tuple(found) if ok else None


def _language_tag(name: str, value: Any, where: Location, report: Report) -> str | None:
    """``value`` as a canonical language tag that CLDR knows ("ZH_hant" -> "zh-Hant"), or
    None after reporting why it is not one."""
    tag = i18n.canonical_tag(value) if isinstance(value, str) else ""
    if not _BCP47.match(tag):
        report.error(
            "config-language",
            f"{name!r} must be a BCP 47 language tag, not {value!r}",
            where,
            "for example en, zh, zh-Hant, ja, ar or fr",
        )
        return None
    if not i18n.is_known_language(tag):
        close = i18n.suggest_languages(tag)
        report.error(
            "config-language",
            f"unknown language {value!r}: CLDR has no data for it",
            where,
            f"did you mean {' or '.join(map(repr, close))}?"
            if close
            else "use a BCP 47 tag such as en, zh, zh-Hant, ja, ar or fr",
        )
        return None
    return tag


#: The keys of a derived edition in ``languages``.
DERIVED_KEYS = ("lang", "from", "convert", "layout", "ruby")
LAYOUTS: tuple[Layout, ...] = ("horizontal", "vertical")
RUBIES: tuple[Ruby, ...] = ("pinyin", "zhuyin")


@dataclass(frozen=True, slots=True)
class Editions:
    """What ``languages`` lists: the tags of the other editions, and how those that are
    made from another edition are made."""

    tags: tuple[str, ...]
    derived: tuple[tuple[str, dict[str, Any], int], ...]  # tag, mapping, line: checked later


def _editions(items: list[Any], where: Location, report: Report) -> Editions | None:
    """The tags of ``languages`` (and the derived editions among them), each checked at
    its own line; one language written twice (``zh-Hant`` and ``ZH_hant``, or ``zh``
    and ``zh-CN``) is an error."""
    lines = items.item_lines if isinstance(items, LinedList) else [where.line] * len(items)
    tags: list[str] = []
    derived: list[tuple[str, dict[str, Any], int]] = []
    ok = True
    for item, line in zip(items, lines, strict=True):
        here = Location(where.path, line)
        written = item.get("lang") if isinstance(item, dict) else item.strip()
        if isinstance(item, dict) and not isinstance(written, str):
            report.error(
                "config-derived",
                "a derived edition needs `lang`, its language tag",
                here,
                "write it as `- {lang: zh-Hant-TW, from: zh}`",
            )
            ok = False
            continue
        tag = _language_tag("languages", written, here, report)
        if tag is None:
            ok = False
            continue
        same = next((t for t in tags if languages.same_language(t, tag)), None)
        if same is not None:
            ok = False
            report.error(
                "config-language",
                f"{written!r} is the same language as {same!r}, listed before it: one language "
                "makes one edition",
                here,
                f"keep one of {same!r} and {written!r}",
            )
            continue
        tags.append(tag)
        if isinstance(item, dict):
            derived.append((tag, item, line or 1))
    return Editions(tuple(tags), tuple(derived)) if ok else None


def _derivations(
    editions: Editions, source: str, path: Path, report: Report
) -> tuple[Derivation, ...] | None:
    """How each derived edition of ``languages`` is made, checked: ``from`` another
    edition of the book (no cycle), an OpenCC configuration that exists (by default the
    one the two tags call for), a layout and a ruby pubtool knows."""
    from pubtool import convert

    every = (source, *editions.tags)
    made: list[Derivation] = []
    ok = True
    for tag, item, line in editions.derived:
        lines = item.key_lines if isinstance(item, LinedDict) else {}

        def at(key: str) -> Location:
            return Location(path, lines.get(key, line))  # noqa: B023 (used at once)

        for key in item:
            if key not in DERIVED_KEYS:
                close = difflib.get_close_matches(str(key), DERIVED_KEYS, n=1)
                report.warning(
                    "config-unknown-key",
                    f"unknown key {key!r} of the derived edition {tag!r}",
                    at(str(key)),
                    f"did you mean {close[0]!r}?" if close else f"known: {', '.join(DERIVED_KEYS)}",
                )
        parent = item.get("from")
        found = [
            t
            for t in every
            if isinstance(parent, str) and t != tag and languages.same_language(t, parent)
        ]
        if not found:
            ok = False
            report.error(
                "config-derived",
                f"the derived edition {tag!r} is made `from` {parent!r}, which is not "
                "another edition of the book",
                at("from"),
                f"`from` names one of: {', '.join(t for t in every if t != tag)}",
            )
            continue
        configuration = item.get("convert") or convert.default_configuration(tag, found[0])
        known = convert.configurations()
        if not isinstance(configuration, str) or configuration not in known:
            ok = False
            close = difflib.get_close_matches(str(configuration), known, n=1)
            report.error(
                "config-derived",
                f"unknown OpenCC configuration {configuration!r} for {tag!r}"
                if configuration
                else f"no OpenCC configuration turns {found[0]!r} into {tag!r}",
                at("convert" if "convert" in item else "lang"),
                (f"did you mean {close[0]!r}? " if close else "")
                + f"OpenCC's configurations: {', '.join(known)}",
            )
            continue
        layout, ruby = item.get("layout", "horizontal"), item.get("ruby", "pinyin")
        if layout not in LAYOUTS:
            ok = False
            report.error(
                "config-derived",
                f"unknown layout {layout!r}",
                at("layout"),
                f"write one of: {', '.join(LAYOUTS)}",
            )
        elif layout == "vertical" and languages.profile(tag).rtl:
            ok = False
            report.error(
                "config-derived",
                f"{tag!r} is written right to left: it cannot be set vertically",
                at("layout"),
                "vertical layout is for Chinese, Japanese and Korean; remove `layout`",
            )
        if ruby not in RUBIES:
            ok = False
            report.error(
                "config-derived",
                f"unknown ruby {ruby!r}",
                at("ruby"),
                f"write one of: {', '.join(RUBIES)}",
            )
        if ok:
            made.append(Derivation(tag, found[0], configuration, layout, ruby, line))
    by_tag = {d.lang: d for d in made}
    for derivation in made:
        seen = [derivation.lang]
        step = by_tag.get(derivation.source)
        while step is not None and step.lang not in seen:
            seen.append(step.lang)
            step = by_tag.get(step.source)
        if step is not None:
            ok = False
            report.error(
                "config-derived",
                f"the derived editions make a cycle: {' <- '.join([*seen, step.lang])}",
                Location(path, derivation.line),
                "one edition of the cycle must be made from its own catalogs, not `from` another",
            )
            break
    return tuple(made) if ok else None


def _check_value(key: Key, value: Any, where: Location, report: Report) -> Any:
    """The value converted to its kind, or None after reporting why it is wrong."""
    match key.kind:
        case "text":
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                text = str(value).strip()
                if text or not key.required:
                    return text
            report.error("config-type", f"{key.name!r} must be a non-empty text", where)
        case "language":
            return _language_tag(key.name, value, where, report)
        case "editions":
            items = [value] if isinstance(value, str) else value
            if isinstance(items, list) and all(
                (isinstance(i, str) and i.strip()) or isinstance(i, dict) for i in items
            ):
                return _editions(items, where, report)
            report.error(
                "config-type",
                f"{key.name!r} must be a list of language tags or derived editions",
                where,
                "for example `languages: [zh, fr]`; a derived edition is a mapping "
                "`{lang: zh-Hant-TW, from: zh}`",
            )
        case "list":
            items = [value] if isinstance(value, str) else value
            if isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items):
                return tuple(i.strip() for i in items)
            report.error("config-type", f"{key.name!r} must be a list of texts", where)
        case "percent":
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
                return float(value)
            report.error("config-type", f"{key.name!r} must be a number from 0 to 100", where)
        case "page":
            text = str(value).strip()
            named = {size.lower(): size for size in PAGE_SIZES}
            if text.lower() in named:
                return named[text.lower()]
            if _PAGE_DIMENSIONS.match(text):
                return text
            close = difflib.get_close_matches(text, PAGE_SIZES, n=1)
            report.error(
                "config-page-size",
                f"unknown page size {text!r}",
                where,
                (f"did you mean {close[0]!r}? " if close else "")
                + f"known sizes: {', '.join(PAGE_SIZES)}, or a width and height like `140mm 210mm`",
            )
        case "choice":
            text = str(value).strip()
            if text in key.choices:
                return text
            close = difflib.get_close_matches(text, key.choices, n=1)
            report.error(
                "config-type",
                f"{key.name!r} must be one of {', '.join(key.choices)}, not {text!r}",
                where,
                f"did you mean {close[0]!r}?" if close else None,
            )
        case "fonts":
            ok = isinstance(value, dict) and all(
                (group in FONT_GROUPS or group in FONT_ALIASES)
                and isinstance(roles, dict)
                and all(
                    role in FONT_ROLES
                    and isinstance(names, list)
                    and all(isinstance(n, str) for n in names)
                    for role, names in roles.items()
                )
                for group, roles in value.items()
            )
            if ok:
                return {g: {r: list(n) for r, n in roles.items()} for g, roles in value.items()}
            report.error(
                "config-fonts",
                "'fonts' must map script groups to body and heading lists",
                where,
                f"the groups are {', '.join(FONT_GROUPS)}; for example\n    fonts:\n"
                "      han-sc:\n        body: [Noto Serif CJK SC]",
            )
        case "switch":
            if isinstance(value, bool):
                return value
            report.error("config-type", f"{key.name!r} must be true or false", where)
        case "collations":
            if isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                return _collations(value, where, report)
            report.error(
                "config-type",
                f"{key.name!r} must map languages to collation types",
                where,
                "for example `collation: {zh: stroke}`",
            )
        case "level":
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
                return value
            report.error("config-type", f"{key.name!r} must be a whole number from 1 to 6", where)
        case "identifier":
            if isinstance(value, str) and value.strip():
                return value.strip()
            return _per_edition_shape(key.name, value, where, report)
        case "isbns":
            return _per_edition_shape(key.name, value, where, report)
        case "length":
            found = _LENGTH.match(str(value).strip()) if isinstance(value, str) else None
            if found and float(found[1]) > 0:
                return float(found[1]) * (25.4 if found[2] == "in" else 1.0)
            report.error(
                "config-type",
                f"{key.name!r} must be a length in mm or in, not {value!r}",
                where,
                "for example 0.07mm or 0.0028in",
            )
        case "contents":
            return _contents(value, where, report)
        case "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    pass
            report.error("config-date", f"{key.name!r} must be a date written YYYY-MM-DD", where)
    return None


#: what ``identifier`` and ``isbn`` give by edition: (language, kind, text, line)
PerEdition = tuple[tuple[str, str, str, int], ...]


def _per_edition_shape(name: str, value: Any, where: Location, report: Report) -> Any:
    """``value`` if it is ``{language: {format: text}}``, else None after saying so; its
    languages, formats and ISBNs are checked with the editions (:func:`_per_edition`)."""
    if isinstance(value, LinedDict) and all(isinstance(v, LinedDict) for v in value.values()):
        return value
    example = "978-0-306-40615-7" if name == "isbn" else "urn:uuid:…"
    shape = "a mapping of languages" if name == "isbn" else "a text, or a mapping of languages"
    report.error(
        "config-type",
        f"{name!r} must be {shape} to {{epub: …, print: …}}",
        where,
        f"for example\n    {name}:\n      en: {{epub: {example}, print: …}}",
    )
    return None


def _per_edition(
    name: str, value: LinedDict, path: Path, editions: tuple[str, ...], report: Report
) -> tuple[PerEdition, bool]:
    """``{language: {epub: …, print: …}}`` as (language, kind, text, line), each language,
    format and ISBN checked at its line; and whether all were right."""
    found: list[tuple[str, str, str, int]] = []
    ok = True
    for written_lang, kinds in value.items():
        lang = i18n.canonical_tag(str(written_lang)) or str(written_lang)
        if lang not in editions:  # zh-Hans for an edition written zh
            lang = next((e for e in editions if languages.same_language(lang, e)), lang)
        if lang not in editions:
            close = difflib.get_close_matches(lang, editions, n=1)
            report.error(
                "config-identifier",
                f"{name}: {str(written_lang)!r} is not an edition of this book",
                Location(path, value.key_lines.get(written_lang, value.line)),
                (f"did you mean {close[0]!r}? " if close else "")
                + f"the editions are {', '.join(editions)}",
            )
            ok = False
        for kind, text in kinds.items():
            at = Location(path, kinds.key_lines.get(kind, kinds.line))
            if kind not in EDITION_KINDS:
                close = difflib.get_close_matches(str(kind), EDITION_KINDS, n=1)
                report.error(
                    "config-identifier",
                    f"{name} of {lang!r}: {kind!r} is no edition format",
                    at,
                    f"did you mean {close[0]!r}?" if close else "the formats are epub and print",
                )
                ok = False
                continue
            if not isinstance(text, str | int) or isinstance(text, bool) or not str(text).strip():
                report.error("config-type", f"{name} of {lang!r} {kind}: must be a text", at)
                ok = False
                continue
            written = str(text).strip()
            if name == "isbn":
                checked = isbn.check(written)
                if not checked.digits:
                    report.error("config-isbn", checked.problem, at, checked.hint or None)
                    ok = False
                    continue
                written = checked.digits
            found.append((lang, str(kind), written, at.line or 1))
    return tuple(found), ok


def _edition_ids(
    book_id: str,
    source: str,
    editions: tuple[str, ...],
    written: dict[str, LinedDict],
    path: Path,
    report: Report,
) -> tuple[EditionId, ...] | None:
    """The identifier of every edition (language x format): its ISBN as a URN, the one
    book.yaml gives it, the book's own for the source EPUB, else a UUID derived from the
    book's identifier and the edition (the same from build to build). None after
    reporting every wrong language, format or ISBN, and every identifier two editions
    share."""
    given: dict[str, PerEdition] = {}
    ok = True
    for name, value in written.items():
        given[name], right = _per_edition(name, value, path, editions, report)
        ok = ok and right
    isbns = {(lang, kind): digits for lang, kind, digits, _ in given.get("isbn", ())}
    named = {(lang, kind): text for lang, kind, text, _ in given.get("identifier", ())}
    ids: list[EditionId] = []
    for lang in editions:
        for kind in EDITION_KINDS:
            number = isbns.get((lang, kind), "")
            if number:
                identifier = "urn:isbn:" + number
            elif (lang, kind) in named:
                identifier = named[lang, kind]
            elif (lang, kind) == (source, "epub"):
                identifier = book_id
            else:
                derived = uuid.uuid5(uuid.NAMESPACE_URL, f"pubtool:{book_id}#{lang}/{kind}")
                identifier = f"urn:uuid:{derived}"
            ids.append(EditionId(lang, kind, identifier, number))
    seen: dict[str, EditionId] = {}
    lines = {(lang, kind): line for e in given.values() for lang, kind, _, line in e}
    for edition in ids:
        first = seen.setdefault(edition.identifier, edition)
        if first is not edition:
            what = "ISBN" if edition.isbn else "identifier"
            report.error(
                "config-identifier",
                f"the {edition.lang} {edition.kind} edition has the same {what} as the "
                f"{first.lang} {first.kind} edition",
                Location(path, lines.get((edition.lang, edition.kind), 1)),
                "each edition (a language, as EPUB or in print) needs its own",
            )
            ok = False
    return tuple(ids) if ok else None


Parts = tuple[tuple[str, int | None], ...]


def _contents(
    value: Any, where: Location, report: Report
) -> tuple[tuple[ContentsEntry, ...], Parts] | None:
    """The ``contents`` key as entries and part titles; None after reporting what is wrong
    (every problem, each at its line)."""
    entries: list[ContentsEntry] = []
    parts: list[tuple[str, int | None]] = []
    ok = True

    def fail(message: str, line: int | None, hint: str | None = None) -> None:
        nonlocal ok
        ok = False
        report.error("config-contents", message, Location(where.path, line), hint)

    def line_of(items: Any, index: int) -> int | None:
        lines = getattr(items, "item_lines", None)
        return lines[index] if lines and index < len(lines) else getattr(items, "line", None)

    def chapter(item: Any, matter: Matter, depth: int, part: int, line: int | None) -> None:
        semantics = SEMANTICS[matter]
        if isinstance(item, str) and item.strip():
            item = {"file": item}
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            fail(
                "a chapter of 'contents' must be a file name, or a mapping with `file`",
                line,
                "for example `- 01-intro.md` or `- {file: 02-install.md, type: chapter}`",
            )
            return
        file = item["file"].strip()
        for key in item:
            if key not in ("file", "type", "chapters"):
                fail(
                    f"unknown key {key!r} in a chapter of 'contents'",
                    line,
                    "a chapter has `file`, `type` and `chapters` (its sub-chapters)",
                )
        stem = Path(file).stem.lower().lstrip("0123456789-_ ")
        semantic = item.get("type") or (stem if stem in semantics else semantics[0])
        if semantic not in semantics:
            fail(
                f"{semantic!r} is not a type of chapter in "
                + ("chapters" if matter == "body" else matter),
                line,
                "the types here: " + ", ".join(semantics),
            )
        entries.append(ContentsEntry(file, matter, str(semantic), depth, part, line))
        subs = item.get("chapters", [])
        if depth or not isinstance(subs, list):
            if subs:
                fail("sub-chapters cannot have sub-chapters of their own", line)
            return
        for i, sub in enumerate(subs):
            chapter(sub, matter, depth + 1, part, line_of(subs, i))

    def chapter_list(items: Any, matter: Matter, part: int, line: int | None) -> None:
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list):
            fail(f"the {matter} chapters of 'contents' must be a list", line)
            return
        for i, item in enumerate(items):
            at = line_of(items, i)
            if matter == "body" and isinstance(item, dict) and "part" in item:
                title = item.get("part")
                if part or not isinstance(title, str | int) or not str(title).strip():
                    fail("a part needs a title, and cannot be inside another part", at)
                    continue
                for key in item:
                    if key not in ("part", "chapters"):
                        fail(
                            f"unknown key {key!r} in a part of 'contents'",
                            at,
                            "a part has `part` (its title) and `chapters`",
                        )
                parts.append((str(title).strip(), at))
                chapter_list(item.get("chapters", []), "body", len(parts), at)
            else:
                chapter(item, matter, 0, part, at)

    if isinstance(value, list):
        value = {"chapters": value}
    if not isinstance(value, dict):
        fail("'contents' must be a mapping of `front`, `chapters` and `back`", where.line)
        return None
    lines = getattr(value, "key_lines", {})
    for name in value:
        if name not in ("front", "chapters", "back"):
            fail(
                f"unknown key {name!r} in 'contents'",
                lines.get(name),
                "'contents' has `front`, `chapters` and `back`",
            )
    for name, matter in (("front", "front"), ("chapters", "body"), ("back", "back")):
        if name in value:
            chapter_list(value[name], matter, 0, lines.get(name))  # type: ignore[arg-type]
    return (tuple(entries), tuple(parts)) if ok else None


if __name__ == "__main__":
    print(reference(), end="")
