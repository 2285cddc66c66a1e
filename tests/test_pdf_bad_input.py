"""Bad input for the print edition: one clear error, exit status 1, the last PDF kept."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import BOOK_YAML, outputs, run_pubtool
from PIL import Image


def build_once(project) -> tuple[Path, Path, bytes]:
    root = project()
    assert run_pubtool("pdf", cwd=root).code == 0
    pdf = root / "build" / "a-test-book-en.pdf"
    return root, pdf, pdf.read_bytes()


def test_unknown_paper_size(project) -> None:
    root, pdf, before = build_once(project)
    (root / "manuscript" / "book.yaml").write_text(BOOK_YAML + "page_size: A55\n")
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert "manuscript/book.yaml:7: error: unknown page size 'A55'" in result.stderr
    assert "hint: did you mean 'A5'?" in result.stderr
    assert pdf.read_bytes() == before


@pytest.mark.slow
def test_a_font_that_is_not_named_is_found(project) -> None:
    """The hanzi need no named font: an installed one that has them draws them (here the
    Simplified Chinese cut, the one pubtool prefers), and nothing is refused."""
    root, pdf, _ = build_once(project)
    (root / "manuscript" / "book.yaml").write_text(
        BOOK_YAML + "fonts:\n  han-sc:\n    body: [No Such Font]\n    heading: [No Such Font]\n"
    )
    (root / "manuscript" / "02-b.md").write_text("---\ntitle: B\n---\n\nThe city of 平顶山.\n")
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Noto-Serif-CJK-SC" in fonts and "CJK-JP" not in fonts


def test_a_character_no_font_has_is_reported_at_its_own_line(project) -> None:
    root, pdf, before = build_once(project)
    (root / "manuscript" / "02-b.md").write_text(
        "---\ntitle: B\n---\n\nThe first line of a paragraph,\nand a private sign \ue000 on its"
        " second.\n"
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert "manuscript/02-b.md:6: error: no installed font can draw U+E000" in result.stderr, (
        result.stderr
    )
    assert "a private-use character is only in the font made for it" in result.stderr
    assert "Traceback" not in result.stderr
    assert pdf.read_bytes() == before


def test_a_character_of_a_code_block_is_checked_too(project) -> None:
    root = project(
        {
            "manuscript/02-b.md": (
                "---\ntitle: B\n---\n\nText.\n\n```text\nline one\nsign \ue000 here\n```\n"
            )
        }
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert "manuscript/02-b.md:9: error: no installed font can draw U+E000" in result.stderr, (
        result.stderr
    )


@pytest.mark.slow
def test_a_character_of_a_translation_is_reported_at_its_catalog_line(project) -> None:
    root, _, _ = build_once(project)
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
    text = po.read_text(encoding="utf-8")
    msgid = (
        'msgid "The glaze shows {term}`yao-bian` on {term}`jun-ci`, and {term}`yao-bian` again."'
    )
    assert msgid in text
    po.write_text(
        text.replace(
            msgid + '\nmsgstr ""',
            msgid + '\nmsgstr ""\n"{term}`jun-ci`上的釉呈现{term}`yao-bian`，"\n'
            '"又见{term}`yao-bian`\ue001。"',
        ),
        encoding="utf-8",
    )
    line = po.read_text(encoding="utf-8").splitlines().index('"又见{term}`yao-bian`\ue001。"') + 1
    result = run_pubtool("pdf", "--lang", "zh", cwd=root)
    assert result.code == 1
    assert (
        f"locales/zh/LC_MESSAGES/ch-01-first.po:{line}: error: no installed font can draw U+E001"
        in result.stderr
    ), result.stderr


@pytest.mark.slow
def test_emoji_are_drawn_inside_the_text_block(project) -> None:
    """A colour emoji face draws only the emoji (it also has digits and punctuation, which
    it would draw too, wider, if it were named in the font lists): every word stays inside
    the text block, read off pdftotext's word boxes."""
    if (
        "Noto Color Emoji"
        not in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    ):
        pytest.skip("fonts-noto-color-emoji is not installed (./dev test installs it)")
    root, _, _ = build_once(project)
    words = "A bowl \U0001f35c of noodles, 123 and 456 \U0001f44d, at 10:30; " * 12
    (root / "manuscript" / "02-b.md").write_text(f"---\ntitle: B\n---\n\n{words}\n")
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    assert "CRITICAL" not in result.stderr
    pdf = root / "build" / "a-test-book-en.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Noto-Color-Emoji" in fonts
    layout = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))
    boxes = [
        (float(a), float(b))
        for a, b in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', layout)
    ]
    assert len(boxes) > 100
    margin = 14 * 72 / 25.4 - 1  # the narrower of the two side margins, in points
    assert all(a >= margin and b <= width - margin for a, b in boxes), [
        box for box in boxes if box[0] < margin or box[1] > width - margin
    ]


def test_image_that_cannot_be_decoded(project) -> None:
    root, pdf, before = build_once(project)
    chapter = "---\ntitle: B\n---\n\n![A broken picture](bad.png)\n"
    (root / "manuscript" / "02-b.md").write_text(chapter)
    (root / "manuscript" / "bad.png").write_bytes(b"not a png at all")
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert (
        "manuscript/02-b.md:5: error: image 'bad.png' cannot be read as an image" in result.stderr
    )
    # a header that reads well, over data cut short
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, "PNG")
    (root / "manuscript" / "bad.png").write_bytes(buffer.getvalue()[:60])
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert "manuscript/02-b.md:5: error: image 'bad.png' is damaged" in result.stderr
    assert pdf.read_bytes() == before
    assert outputs(pdf.parent) == [pdf.name]


def test_unknown_language(project) -> None:
    root, pdf, before = build_once(project)
    result = run_pubtool("pdf", "--lang", "xx", cwd=root)
    assert result.code == 1
    assert "error: 'xx' is not a language of this book (languages: en, zh)" in result.stderr
    assert pdf.read_bytes() == before


def test_unwritable_build_folder(project) -> None:
    root = project()
    (root / "build").write_text("a file where the folder should be")
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert "error: cannot write" in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.stderr
