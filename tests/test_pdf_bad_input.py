"""Bad input for the print edition: one clear error, exit status 1, the last PDF kept."""

from __future__ import annotations

import io
from pathlib import Path

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


def test_missing_chinese_font_names_the_character_and_its_place(project) -> None:
    root, pdf, before = build_once(project)
    (root / "manuscript" / "book.yaml").write_text(
        BOOK_YAML + "fonts:\n  zh:\n    body: [No Such Font]\n    heading: [No Such Font]\n"
    )
    (root / "manuscript" / "02-b.md").write_text("---\ntitle: B\n---\n\nThe city of 平顶山.\n")
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert "manuscript/02-b.md:5: error: no font can draw U+5E73 平" in result.stderr
    assert "manuscript/glossary.yaml:1: error: no font can draw U+7A91 窑" in result.stderr
    assert "apt-get install fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr
    assert pdf.read_bytes() == before


def test_emoji_without_a_font(project) -> None:
    root, _, _ = build_once(project)
    (root / "manuscript" / "02-b.md").write_text(
        "---\ntitle: B\n---\n\nA bowl \U0001f35c of noodles.\n"
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1
    assert "manuscript/02-b.md:5: error: no font can draw U+1F35C" in result.stderr


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
