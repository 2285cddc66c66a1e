"""Lines of the print edition, measured in WeasyPrint's layout: how many lines of body
paragraphs end short of the measure (not counting a paragraph's last line), how many of
those come right before an annotated term (ruby), and how many paragraphs end on a line
of one character (its punctuation aside).

    .venv/bin/python bench/lines.py [PROJECT] [--lang zh]

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import unicodedata
from pathlib import Path

import weasyprint
import weasyprint.css.counters
from weasyprint.formatting_structure import boxes

from pubtool import fonts, formats, languages
from pubtool.errors import Report
from pubtool.pipeline import prepare_edition
from pubtool.project import Project


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", nargs="?", default=".")
    parser.add_argument("--lang")
    args = parser.parse_args()
    root = Path(args.project).resolve()
    edition = prepare_edition(Project.at(root), args.lang, Report())
    language, terms = languages.profile(edition.lang), languages.profile(languages.TERMS)
    chosen = fonts.choose(language, terms, edition.book.metadata.fonts)
    document = formats.print_document(edition, chosen, None)
    counters = weasyprint.css.counters.CounterStyle()
    css = weasyprint.CSS(string=document.css, counter_style=counters)
    html = weasyprint.HTML(string=document.html, base_url=root.as_uri() + "/")
    laid_out = html.render(stylesheets=[css], counter_style=counters)
    lines = short = before_ruby = paragraphs = one = 0
    for page in laid_out.pages:
        for box in page._page_box.descendants():
            if not (isinstance(box, boxes.BlockBox) and box.element_tag == "p"):
                continue
            rows = [c for c in box.children if isinstance(c, boxes.LineBox)]
            if not rows:
                continue
            paragraphs += 1
            em = box.style["font_size"]
            for row, after in itertools.pairwise(rows):
                lines += 1
                end = max((c.position_x + c.margin_width() for c in row.children), default=0)
                if box.content_box_x() + box.width - end > 1.5 * em:
                    short += 1
                    first = after.children[0] if after.children else None
                    if first is not None and "ruby" in {d.element_tag for d in first.descendants()}:
                        before_ruby += 1
            last = "".join(
                t.text
                for t in rows[-1].descendants()
                if isinstance(t, boxes.TextBox) and t.element_tag != "rt"
            )
            letters = [ch for ch in last if not unicodedata.category(ch).startswith(("P", "Z"))]
            if len(rows) > 1 and len(letters) == 1:
                one += 1
    print(
        f"{edition.lang}: {paragraphs} paragraphs, {lines} lines before their last; "
        f"{short} end 1.5 em or more short ({before_ruby} before an annotated term); "
        f"{one} paragraphs end on a line of one character"
    )


if __name__ == "__main__":
    main()
