"""Figures: captions numbered per chapter and translated, raw HTML images and figures
kept whatever blank lines they hold, images drawn at the size written for them and never
wider than the text."""

from __future__ import annotations

import io

import pikepdf
from conftest import NS, epub_documents, run_pubtool
from i18n_helpers import fill
from PIL import Image as PilImage


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PilImage.new("RGB", (width, height), "#4a7ab5").save(buffer, "PNG")
    return buffer.getvalue()


CHAPTER = """\
---
title: Figures
---

![A wide picture](images/wide.png "A *wide* picture"){width=40% #fig-wide}

Text with an icon <img src="images/wide.png" alt="icon" width="30"> in it.

<figure>

<img src="images/wide.png" alt="raw figure" style="width: 70%">

<figcaption>Figure 4-1: a raw figure</figcaption>

</figure>

![A huge picture](images/huge.png)

As [the wide figure](#fig-wide) shows.
"""


def image_widths(pdf_path) -> list[float]:
    """The width each image is drawn at on the pages, in CSS pixels, in drawing order."""
    widths = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            matrix = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix = [float(x) for x in operands]
                elif str(operator) == "Do" and matrix is not None:
                    widths.append(matrix[0])
    return widths


def test_images_are_drawn_at_the_size_written_and_never_wider_than_the_text(project) -> None:
    root = project(
        {
            "manuscript/01-first.md": CHAPTER,
            "manuscript/images/wide.png": png(600, 300),
            "manuscript/images/huge.png": png(4000, 400),
        }
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    wide, icon, raw, huge = image_widths(root / "build" / "a-test-book-en.pdf")
    text_width = wide / 0.40
    assert abs(raw / text_width - 0.70) < 0.01  # style="width: 70%" on a raw <img>
    assert abs(icon - 30) < 0.5  # width="30": pixels, as in HTML
    assert abs(huge - text_width) < 1  # 4000 px wide, held to the text's width
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    chapter = epub_documents(root / "build" / "a-test-book-en.epub")["EPUB/ch-01-first.xhtml"]
    figures = chapter.findall(".//h:figure", NS)
    assert [f.find("h:img", NS).get("alt") for f in figures] == [
        "A wide picture",
        "raw figure",
        "A huge picture",
    ]
    assert "".join(figures[0].find("h:figcaption", NS).itertext()) == "Figure 1.1 A wide picture"
    assert figures[0].get("id") == "fig-wide"


def test_a_caption_is_translated_and_its_label_is_the_editions(project) -> None:
    root = project(
        {
            "manuscript/01-first.md": CHAPTER,
            "manuscript/images/wide.png": png(600, 300),
            "manuscript/images/huge.png": png(4000, 400),
        }
    )
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
    assert '#. figure caption\n#: manuscript/01-first.md:5\nmsgid "A *wide* picture"' in (
        po.read_text(encoding="utf-8")
    )
    fill(po, {"A *wide* picture": "一幅*宽*图"})
    result = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert result.code == 0, result.stderr
    chapter = epub_documents(root / "build" / "a-test-book-zh.epub")["EPUB/ch-01-first.xhtml"]
    caption = chapter.find(".//h:figure/h:figcaption", NS)
    assert "".join(caption.itertext()) == "图 1.1 一幅宽图"
    assert caption.find("h:em", NS).text == "宽"


def test_an_image_size_that_is_not_a_length_is_named(project) -> None:
    chapter = "---\ntitle: One\n---\n\n![A dot](images/wide.png){width=wide}\n"
    root = project({"manuscript/01-first.md": chapter, "manuscript/images/wide.png": png(6, 3)})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    assert (
        "manuscript/01-first.md:5: warning: image width 'wide' is not a length: the image "
        "keeps its own size [image-size]"
    ) in result.stderr


def test_a_raw_image_is_checked_as_a_markdown_image(project) -> None:
    chapter = "---\ntitle: One\n---\n\nSee <img src='images/gone.png' alt='gone'>.\n"
    root = project({"manuscript/01-first.md": chapter})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    assert "manuscript/01-first.md:5: error: image 'images/gone.png' not found" in result.stderr
