"""The output formats: what each makes of an edition, from what, and where it goes.

Every command that writes outputs loops over :data:`FORMATS` (``build`` and ``check
--reproducible`` over all of them, ``pdf`` and ``epub`` over theirs), so that a new
format is one more entry here. Each format plans its output before writing it: the
plan's ``key`` says what the output is made from (``build`` leaves an output whose key
has not changed as it is), and its ``write`` writes it to a temporary file. A format may
use what an earlier one made: the booklet is imposed from the PDF, and the EPUB's page
list comes from the print layout, kept in ``build/`` (see :mod:`pubtool.pagelist`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal, Protocol

from pubtool import (
    barcodes,
    bookindex,
    cache,
    cover,
    fonts,
    images,
    impose,
    languages,
    pagelist,
    pdffile,
    raster,
    render,
)
from pubtool.catalogs import BOOK_DOMAIN, UI_DOMAIN, Translations
from pubtool.errors import Location, Report
from pubtool.localize import Fallback
from pubtool.model import Book, book_images, book_texts, footnotes_at_calls, without_places
from pubtool.project import Project
from pubtool.writers.epub import write_epub

FormatName = Literal["PDF", "booklet", "cover", "EPUB"]


@dataclass(frozen=True, slots=True)
class Edition:
    """A book made ready for one language (localized, linked, language-tagged), with its
    catalogs; for the preview, the texts left in the source language too."""

    book: Book
    lang: str
    translations: Translations | None
    fallbacks: tuple[Fallback, ...] = ()


@dataclass(frozen=True)  # no slots: pages_key is cached on the instance
class Job:
    """An edition to write, and what the command asks of it.

    ``own_build`` false (``-o FILE``) writes nothing into the project's ``build/``: no
    drawing cache and no page map.
    """

    edition: Edition
    project: Project
    report: Report
    strict: bool = False
    own_build: bool = True
    variant: str = "pdf/ua-1"
    imposition: impose.Imposition = field(default_factory=impose.Imposition)

    @property
    def drawings(self) -> Path | None:
        return self.project.drawings if self.own_build else None

    @cached_property
    def pages_key(self) -> str:
        """The key the page map of this edition is kept under (:func:`print_inputs_key`),
        found once for all the formats of the job."""
        return print_inputs_key(self.edition)

    @cached_property
    def print_fonts(self) -> fonts.FontSet:
        """The print families of the edition, with the installed ones that draw what
        they lack (a character no font has is reported once): for the book and its
        cover alike."""
        edition = self.edition
        language = languages.profile(edition.lang)
        terms = languages.profile(languages.TERMS)
        chosen = fonts.choose(language, terms, edition.book.metadata.fonts)
        translated = edition.translations
        metadata_at = Location(translated.folder / f"{BOOK_DOMAIN}.po") if translated else None
        texts = book_texts(edition.book, languages.terms_native(language), metadata_at)
        return fonts.cover(chosen, texts, self.report)


def _nothing() -> None:
    pass


@dataclass(frozen=True, slots=True)
class Plan:
    """One output, ready to write to ``target``: what it is made from (``key``), how to
    write it (to a temporary file, renamed into place after), and what to do once it is
    in place. ``current`` false asks for it to be written even if its key is unchanged."""

    target: Path
    key: str
    write: Callable[[Path], None]
    current: bool = True
    finish: Callable[[], None] = _nothing


class Format(Protocol):
    """An output format: its name (shown by ``build``), the end of its default file name
    (``build/<slug>-<lang><suffix>``), the formats it is made from, and how it plans an
    output."""

    @property
    def name(self) -> FormatName: ...

    @property
    def suffix(self) -> str: ...

    @property
    def needs(self) -> tuple[FormatName, ...]: ...

    def plan(self, job: Job, target: Path, earlier: Mapping[FormatName, Plan]) -> Plan: ...


def default_target(job: Job, fmt: Format) -> Path:
    meta = job.edition.book.metadata
    return job.project.output(meta.slug, job.edition.lang, fmt.suffix)


# ---------------------------------------------------------------- print


def print_document(
    edition: Edition, chosen: fonts.FontSet, drawings: Path | None
) -> render.PrintDocument:
    """The edition as one HTML document for print, its SVG images drawn as PNG."""
    book = edition.book
    svg_images = {
        image.file: raster.svg_as_png_uri(image.file, cache=drawings)
        for image, _ in book_images(book)
        if image.file.suffix.lower() == ".svg"
    }
    return render.render_print(
        footnotes_at_calls(book),
        edition.lang,
        edition.translations,
        chosen.as_css(),
        chosen.face_rules(),
        book.metadata.page_size,
        svg_images,
    )


def print_inputs_key(edition: Edition) -> str:
    """What the print layout of ``edition`` is made from, found without making it: the
    book's text (not the lines it stands at), the language, the words of the ``ui``
    catalog, the templates and the images.

    The page map is kept under this key. It leaves out the fonts fontconfig finds (so an
    EPUB can be built where there is no fontconfig): the page map belongs to the PDF that
    was made on this machine from this text.
    """
    book = edition.book
    words: list[tuple[str, str]] = []
    if edition.translations is not None:
        po = edition.translations.catalogs.get(UI_DOMAIN)
        words = [(e.msgid, e.msgstr) for e in po.active() if e.msgstr and not e.fuzzy] if po else []
    images = [image.file.read_bytes() for image, _ in book_images(book)]
    return cache.content_key(
        repr(without_places(book, book.project.root)),
        edition.lang,
        repr(words),
        cache.files_key(book.project.template_folders),
        *images,
    )


def print_pages(job: Job) -> pagelist.PrintPages | None:
    """The page starts of the print edition, if it was made from this very text."""
    book = job.edition.book
    found = pagelist.load(job.project.page_map(job.edition.lang), job.pages_key)
    if found is None:
        return None
    pdf_name, starts, anchors = found
    meta = book.metadata
    print_id = meta.edition_id(job.edition.lang, "print").identifier
    page_source = f"{print_id}: the print edition ({meta.page_size}, {pdf_name})"
    return pagelist.PrintPages(page_source, tuple(starts), anchors)


@dataclass(frozen=True, slots=True)
class PrintFormat:
    """The print edition: an A5 (or ``page_size``) PDF laid out by WeasyPrint."""

    name: FormatName = "PDF"
    suffix: str = ".pdf"
    needs: tuple[FormatName, ...] = ()

    def plan(self, job: Job, target: Path, earlier: Mapping[FormatName, Plan]) -> Plan:
        edition, report = job.edition, job.report
        book = edition.book
        derivation = book.metadata.derivation(edition.lang)
        if derivation is not None and derivation.layout == "vertical":
            report.note(
                "pdf-horizontal",
                f"the print edition of {edition.lang!r} is set horizontally: only its EPUB "
                "is vertical (WeasyPrint has no writing-mode: Kozea/WeasyPrint#577)",
                Location(job.project.book_yaml, derivation.line),
            )
        chosen = job.print_fonts
        intent = output_intent(job) if job.variant == "pdf/x-4" else None
        report.stop_if_failed(strict=job.strict)
        document = print_document(edition, chosen, job.drawings)
        key = cache.content_key(
            document.html,
            document.css,
            repr(sorted(chosen.files.items())),
            job.variant,
            intent.data.hex() if intent else "",
        )
        map_file = job.project.page_map(edition.lang)
        starts: list[pagelist.PageStart] = []
        # the pages of the index's places, for the EPUB's index
        places = {p.anchor for e in bookindex.entries(book.index) for p in e.locators}
        anchors: dict[str, int] = {}

        def write(temporary: Path) -> None:
            # WeasyPrint takes half a second to import: only commands that lay out pay for it.
            from pubtool.writers import pdf

            images_at = {image.file: where for image, where in book_images(book)}
            laid_out, pages = pdf.write_pdf(
                document, temporary, job.project.root, job.variant, images_at, report
            )
            starts.extend(laid_out)
            anchors.update((name, page) for name, page in pages.items() if name in places)
            report.stop_if_failed(strict=job.strict)  # leaves the last good PDF in place
            identifier = document.identifier.identifier
            pdffile.finish(temporary, job.variant, intent, pdf.srgb_profile(), identifier)

        def finish() -> None:
            if job.own_build:
                pagelist.save(map_file, job.pages_key, target.name, starts, anchors)

        current = not job.own_build or pagelist.load(map_file, job.pages_key) is not None
        return Plan(target, key, write, current, finish)


def output_intent(job: Job) -> images.ColourProfile | None:
    """The print condition's profile book.yaml names for PDF/X (``output_profile``),
    checked: an output profile (class ``prtr``) LittleCMS can read. None, with an error
    at book.yaml's line, when it is missing or unfit."""
    meta = job.edition.book.metadata
    where = Location(job.project.book_yaml, meta.line_of("output_profile"))
    if not meta.output_profile:
        job.report.error(
            "output-profile",
            "PDF/X-4 needs the ICC profile of the print condition its output intent names",
            Location(job.project.book_yaml),
            "ask the print shop for its profile (FOGRA39, GRACoL, Japan Color…) and name it "
            "in book.yaml: output_profile: ISOcoated_v2_eci.icc",
        )
        return None
    path = job.project.manuscript / meta.output_profile
    if not path.is_file():
        job.report.error(
            "output-profile",
            f"output profile {meta.output_profile!r} not found",
            where,
            f"no file at {path}",
        )
        return None
    try:
        profile = images.colour_profile(path)
    except ValueError as problem:
        job.report.error("output-profile", f"{meta.output_profile}: {problem}", where)
        return None
    if profile.device_class != "prtr":
        job.report.error(
            "output-profile",
            f"{meta.output_profile} is a {profile.device_class!r} profile ({profile.description}),"
            " not the output profile of a print condition",
            where,
            "PDF/X wants a printer profile (class prtr), such as FOGRA39; sRGB and other "
            "display profiles are for PDF/A",
        )
        return None
    return profile


@dataclass(frozen=True, slots=True)
class BookletFormat:
    """A saddle-stitched booklet imposed from the PDF made just before it."""

    name: FormatName = "booklet"
    suffix: str = "-booklet.pdf"
    needs: tuple[FormatName, ...] = ("PDF",)

    def plan(self, job: Job, target: Path, earlier: Mapping[FormatName, Plan]) -> Plan:
        book_pdf = earlier["PDF"]
        imposition = job.imposition
        if languages.profile(job.edition.lang).rtl:
            imposition = replace(imposition, binding="right")

        def write(temporary: Path) -> None:
            made = pdffile.write_booklet(book_pdf.target, temporary, imposition)
            if made.scale < 0.9995:
                size = pdffile.page_size(book_pdf.target)
                larger = impose.fitting_sheet(*size, imposition.marks)
                room = " and their marks" if imposition.marks else ""
                job.report.note(
                    "booklet-scaled",
                    f"the booklet's pages are set at {made.scale:.1%} of their size, "
                    f"for two pages{room} to fit a side of an {imposition.sheet} sheet",
                    None,
                    f"--sheet {larger} holds them at full size, to be trimmed after printing"
                    if larger
                    else "no sheet pubtool knows holds them at full size",
                )

        return Plan(target, cache.content_key(book_pdf.key, repr(imposition)), write)


@dataclass(frozen=True, slots=True)
class CoverFormat:
    """The print-on-demand cover of the PDF made just before it: its spine is as wide as
    that PDF's pages are thick."""

    name: FormatName = "cover"
    suffix: str = "-cover.pdf"
    needs: tuple[FormatName, ...] = ("PDF",)

    def plan(self, job: Job, target: Path, earlier: Mapping[FormatName, Plan]) -> Plan:
        book_pdf = earlier["PDF"]
        edition, report = job.edition, job.report
        book = edition.book
        meta = book.metadata
        chosen = job.print_fonts
        print_id = meta.edition_id(edition.lang, "print")
        if not print_id.isbn:
            report.note(
                "cover-barcode",
                f"the print edition of {edition.lang!r} has no ISBN: its cover has no barcode",
                Location(job.project.book_yaml, dict(meta.key_lines).get("isbn")),
                "give it one in book.yaml (isbn: {" + edition.lang + ": {print: …}}); a "
                "print-on-demand service that assigns its own ISBN adds its barcode",
            )
        barcode = barcodes.ean13_svg(print_id.isbn) if print_id.isbn else ""
        binding: Literal["left", "right"] = (
            "right" if languages.profile(edition.lang).rtl else "left"
        )

        def write(temporary: Path) -> None:
            from pubtool.writers import pdf

            pages, (width, height) = pdffile.page_count_and_size(book_pdf.target)
            sheet = cover.geometry(pages, width, height, meta.paper, meta.paper_thickness, binding)
            if not sheet.spine_text:
                report.note(
                    "cover-spine",
                    f"the spine of {pages} pages is {sheet.spine / cover.MM:.1f} mm wide: "
                    "too narrow for its title, which is left off",
                    None,
                    f"print-on-demand services print a spine's text from "
                    f"{cover.SPINE_TEXT_MIN / cover.MM:g} mm (about 80 pages)",
                )
            document = render.render_cover(
                book,
                edition.lang,
                edition.translations,
                chosen.as_css(),
                chosen.face_rules(),
                sheet,
                barcode,
            )
            pdf.write_cover(document, temporary, job.project.root, report)
            subject = (
                f"Cover of {meta.title}: {pages} pages, a spine of {sheet.spine / cover.MM:.2f} mm "
                f"on {meta.paper if meta.paper_thickness is None else f'{meta.paper_thickness} mm'}"
                " paper"
            )
            pdffile.mark_cover(temporary, sheet, edition.lang, subject, print_id.identifier)

        key = cache.content_key(
            book_pdf.key, repr(meta), barcode, cache.files_key(job.project.template_folders)
        )
        return Plan(target, key, write)


@dataclass(frozen=True, slots=True)
class EpubFormat:
    """The EPUB 3 edition, with the print edition's page list when there is one."""

    name: FormatName = "EPUB"
    suffix: str = ".epub"
    needs: tuple[FormatName, ...] = ()  # the page list, where the PDF made one

    def plan(self, job: Job, target: Path, earlier: Mapping[FormatName, Plan]) -> Plan:
        edition = job.edition
        pages = print_pages(job)
        rendition = render.render_book(
            edition.book, edition.lang, edition.translations, job.report, pages
        )
        key = cache.content_key(
            *(d.content for d in rendition.documents),
            rendition.stylesheet,
            rendition.cover_svg,
            *(r.file.read_bytes() for r in rendition.resources),
            rendition.accessibility_summary,
            repr(rendition.metadata),
            str(rendition.modified),
            rendition.page_source,
        )
        drawings = job.drawings

        def write(temporary: Path) -> None:
            write_epub(rendition, raster.cover_png(rendition.cover_svg, drawings), temporary)

        return Plan(target, key, write)


PDF = PrintFormat()
BOOKLET = BookletFormat()
COVER = CoverFormat()
EPUB = EpubFormat()

#: Every output format, in the order they are made: the EPUB takes its page list from
#: the PDF's layout, and the booklet is imposed from the PDF.
FORMATS: tuple[Format, ...] = (PDF, BOOKLET, EPUB)


def cover_beside(book_pdf: Path) -> Path:
    """Where the cover of ``book_pdf`` goes: ``<name>-cover.pdf`` beside it."""
    return book_pdf.with_name(book_pdf.stem + COVER.suffix)


def booklet_beside(book_pdf: Path) -> Path:
    """Where the booklet of ``book_pdf`` goes: ``<name>-booklet.pdf`` beside it."""
    return book_pdf.with_name(book_pdf.stem + BOOKLET.suffix)
