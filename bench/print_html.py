"""Write pubtool's print HTML and CSS for a book, to time WeasyPrint on them directly."""

from __future__ import annotations

import sys
from pathlib import Path

from pubtool import fonts, raster, render
from pubtool.errors import Report
from pubtool.model import footnotes_at_calls
from pubtool.pipeline import prepare_edition

root, out = Path(sys.argv[1]), Path(sys.argv[2])
edition = prepare_edition(root, None, Report())
book = edition.book
chosen = fonts.choose(edition.lang, book.metadata.fonts)
images = {
    i.source: raster.svg_as_png_uri(i.source)
    for i in render.book_images(book)
    if i.source.suffix == ".svg"
}
document = render.render_print(
    footnotes_at_calls(book), edition.lang, None, chosen.as_css(), book.metadata.page_size, images
)
(out / "book.html").write_text(document.html, encoding="utf-8")
(out / "print.css").write_text(document.css, encoding="utf-8")
