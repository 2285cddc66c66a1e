"""Write pubtool's print HTML and CSS for a book, to time WeasyPrint on them directly."""

from __future__ import annotations

import sys
from pathlib import Path

from pubtool import fonts, formats, languages
from pubtool.errors import Report
from pubtool.pipeline import prepare_edition
from pubtool.project import Project

root, out = Path(sys.argv[1]), Path(sys.argv[2])
edition = prepare_edition(Project.at(root), None, Report())
language, terms = languages.profile(edition.lang), languages.profile(languages.TERMS)
chosen = fonts.choose(language, terms, edition.book.metadata.fonts)
document = formats.print_document(edition, chosen, None)
(out / "book.html").write_text(document.html, encoding="utf-8")
(out / "print.css").write_text(document.css, encoding="utf-8")
