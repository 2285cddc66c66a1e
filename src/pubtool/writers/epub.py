"""Write a rendition as an EPUB 3 file with ebooklib: package document, NCX, zip.

ebooklib 0.20 writes the OPF and NCX; pubtool supplies every content document
itself (ebooklib's own nav and chapter wrappers re-parse XHTML as HTML and lose
``epub:type``). Three things ebooklib does not do are done here, as of 0.20:
``xml:lang`` on the OPF ``<package>``, fixed zip timestamps (it writes the wall
clock), and a page list it would build from every element with ``epub:type`` and
``id`` (footnotes), which is switched off.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from ebooklib import epub

from pubtool.render import (
    COVER_IMAGE_HREF,
    NAV_HREF,
    STYLESHEET_HREF,
    Rendition,
    TocEntry,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


MATHML_NAMESPACE = b'xmlns="http://www.w3.org/1998/Math/MathML"'


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer with a fixed date for every zip entry and the package's language."""

    def __init__(
        self, name: str, book: epub.EpubBook, options: dict[str, Any], when: dt.datetime
    ) -> None:
        super().__init__(name, book, options)
        self.when = when

    def _write_opf_file(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)

    def write(self) -> None:
        stamp = self.when.timetuple()[:6]
        if stamp[0] < 1980:  # the zip format cannot store earlier dates
            stamp = (1980, 1, 1, 0, 0, 0)
        with zipfile.ZipFile(self.file_name, "w", zipfile.ZIP_DEFLATED) as archive:

            def writestr(name: str, data: bytes | str, compress_type: int | None = None) -> None:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = (
                    zipfile.ZIP_DEFLATED if compress_type is None else compress_type
                )
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

            self.out = _ZipShim(writestr)
            writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()


class _ZipShim:
    """What ebooklib calls on ``self.out``: only ``writestr``."""

    def __init__(self, writestr: Any) -> None:
        self.writestr = writestr


def write_epub(rendition: Rendition, cover_png: bytes, path: Path) -> None:
    """Write the EPUB of ``rendition`` to ``path`` (the caller makes it atomic)."""
    meta = rendition.metadata
    book = epub.EpubBook()
    book.FOLDER_NAME = "EPUB"
    book.set_identifier(rendition.identifier.identifier)  # ebooklib's id: "id"
    if rendition.identifier.isbn:  # ONIX code list 5: 15 is ISBN-13
        book.add_metadata(
            None,
            "meta",
            "15",
            {"refines": "#id", "property": "identifier-type", "scheme": "onix:codelist5"},
        )
    book.set_title(meta.title)
    book.set_language(rendition.lang)
    if rendition.progression == "rtl":  # the spine's page-progression-direction
        book.set_direction("rtl")
    if rendition.vertical:  # Kindle's name for a book set in columns from the right
        book.add_metadata(
            None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"}
        )
    for number, author in enumerate(meta.authors, start=1):
        book.add_author(author, uid=f"creator-{number}")
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.date:
        book.add_metadata("DC", "date", meta.date.isoformat())
    if meta.description:
        book.add_metadata("DC", "description", meta.description)
    for subject in meta.subjects:
        book.add_metadata("DC", "subject", subject)
    if meta.rights:
        book.add_metadata("DC", "rights", meta.rights)
    _accessibility(book, rendition)

    book.set_cover(COVER_IMAGE_HREF, cover_png, create_page=False)
    style = epub.EpubItem(
        uid="style", file_name=STYLESHEET_HREF, media_type="text/css", content=rendition.stylesheet
    )
    book.add_item(style)
    for number, resource in enumerate(rendition.resources, start=1):
        book.add_item(
            epub.EpubItem(
                uid=f"img-{number}",
                file_name=resource.href,
                media_type=resource.media_type,
                content=resource.file.read_bytes(),
            )
        )
    spine = []
    for document in rendition.documents:
        item = epub.EpubItem(
            uid=document.id,
            file_name=document.href,
            media_type="application/xhtml+xml",
            content=document.content,
        )
        item.properties = ["nav"] if document.href == NAV_HREF else []
        if MATHML_NAMESPACE in document.content:  # EPUB 3 requires the manifest to say so
            item.properties.append("mathml")
        book.add_item(item)
        spine.append(item)
    book.add_item(epub.EpubNcx())
    book.toc = [_toc_item(entry, n) for n, entry in enumerate(rendition.toc, start=1)]
    book.spine = spine

    options = {
        "package_direction": rendition.direction == "rtl",
        "epub3_pages": False,
        "epub3_landmark": False,
        "epub2_guide": False,
        "mtime": rendition.modified,
    }
    writer = _Writer(str(path), book, options, rendition.modified)
    writer.process()
    writer.write()


def _accessibility(book: epub.EpubBook, rendition: Rendition) -> None:
    """EPUB Accessibility 1.1 discovery metadata (schema.org), true of what was rendered."""

    def meta(prop: str, value: str) -> None:
        book.add_metadata(None, "meta", value, {"property": prop})

    meta("schema:accessMode", "textual")
    if rendition.has_images:
        meta("schema:accessMode", "visual")
    meta("schema:accessModeSufficient", "textual")
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if rendition.has_images and rendition.images_described:
        features.append("alternativeText")
    if rendition.page_source:
        features += ["pageNavigation", "printPageNumbers"]
    if rendition.has_ruby:
        features.append("rubyAnnotations")
    for feature in features:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", rendition.accessibility_summary)
    if rendition.page_source:
        meta("pageBreakSource", rendition.page_source)
    if rendition.conforms:
        meta("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")
        if rendition.metadata.certified_by:
            meta("a11y:certifiedBy", rendition.metadata.certified_by)


def _toc_item(entry: TocEntry, number: int | str) -> Any:
    """An entry of the NCX's contents (EPUB 2 reading systems), nested as the nav is."""
    if not entry.children:
        return epub.Link(entry.href, entry.title, f"nav-{number}")
    section = epub.Section(entry.title, entry.href)
    return (section, [_toc_item(sub, f"{number}-{i}") for i, sub in enumerate(entry.children, 1)])
