"""Lay out the print document into a PDF with WeasyPrint.

WeasyPrint's own warnings (an image it cannot decode, a CSS rule it ignores) are
caught and turned into pubtool diagnostics, so that nothing silently goes missing.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
import weasyprint.pdf.tags

from pubtool.errors import Location, Report
from pubtool.render import PrintDocument


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(
    document: PrintDocument,
    path: Path,
    root: Path,
    variant: str,
    images: dict[Path, Location],
    report: Report,
) -> None:
    """Render ``document`` to ``path``; files may only come from ``root``.

    ``images`` says where each image is used, to report one that cannot be drawn there.
    """
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    with _fewer_collections(), _languages_tagged(report):
        try:
            html = weasyprint.HTML(
                string=document.html,
                base_url=root.as_uri() + "/",
                url_fetcher=weasyprint.URLFetcher(allowed_protocols={"file", "data"}),
            )
            stylesheet = weasyprint.CSS(string=document.css)
            identifier = hashlib.md5(f"{document.identifier}|{document.lang}".encode()).hexdigest()
            html.write_pdf(
                path,
                stylesheets=[stylesheet],
                pdf_variant=None if variant == "none" else variant,
                pdf_identifier=identifier.encode(),
                pdf_tags=variant != "none",
                custom_metadata=True,
            )
        finally:
            logger.removeHandler(collect)
    for message in collect.messages:
        url = re.search(r"'(file://[^']+)'", message)
        if url and "image" in message.lower():
            source = Path(unquote(urlsplit(url.group(1)).path))
            report.error(
                "pdf-image",
                f"image {source.name!r} cannot be drawn",
                images.get(source, Location(source)),
                "check that the file is a valid PNG, JPEG, GIF, SVG or WebP",
            )
        else:
            report.warning("pdf-layout", f"WeasyPrint: {message}", None)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often while WeasyPrint lays out the book.

    Layout makes millions of small objects that live until the PDF is written, and
    Python's default thresholds (700, 10, 10) scan them again and again. With the
    objects made before layout frozen and a first threshold of 10,000, layout of 195
    pages took 7.3 s instead of 8.1 s, for 5% more memory (2026-11).
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def _languages_tagged(report: Report) -> Iterator[None]:
    """Give each tagged element with a ``lang`` its /Lang, for the time of one render.

    WeasyPrint 70 sets /Lang on the document only, so a screen reader would read the
    hanzi of an English edition as English. Its tag tree is built by one recursive
    function of ``weasyprint.pdf.tags``, which yields each box's structure element; the
    wrapper adds the language of the box's element to it (checked 2026-11).
    """
    tags = weasyprint.pdf.tags
    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        report.warning(
            "pdf-lang",
            "this WeasyPrint builds its tags differently: Chinese spans carry no /Lang",
            None,
            "use the WeasyPrint version pubtool names in its dependencies",
        )
        yield
        return

    def with_lang(box: Any, *args: Any) -> Iterator[Any]:
        lang = box.element.get("lang") if getattr(box, "element", None) is not None else None
        for element in build(box, *args):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = with_lang
    try:
        yield
    finally:
        tags._build_box_tree = build
