"""Footnotes in print: the blocks a note holds (paragraphs, code, lists, tables) at the
foot of the page, a note called from a heading set as a note, and the numbers the EPUB
gives (from 1 in each chapter, or across the book)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
from conftest import BOOK_YAML, NS, epub_documents, run_pubtool
from lxml import etree

FIRST = """---
title: First
---

A first note.[^a]

## A heading with a note[^h]

Text.[^b]

[^a]: Only a sentence.
[^h]: The heading's note is small.
[^b]: Two paragraphs and code.

    The second paragraph.

    ```python
    def fire(kiln):
        return kiln.heat(1300)
    ```

    - one item
    - two items

    | Kiln | Glaze |
    |------|------:|
    | Jun  | blue  |
"""

SECOND = """---
title: Second
---

Numbered again.[^x] And again.[^y]

[^x]: The first note of chapter two.
[^y]: The second note of chapter two.
"""


def _pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def _book(project, book_yaml: str = BOOK_YAML) -> Path:
    return project(
        {
            "manuscript/book.yaml": book_yaml,
            "manuscript/01-first.md": FIRST,
            "manuscript/02-second.md": SECOND,
        }
    )


def test_a_note_keeps_its_blocks_at_the_foot_of_the_page(project) -> None:
    root = _book(project)
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0 and "error" not in result.stderr, result.stderr
    (pdf,) = (root / "build").glob("*.pdf")
    text = _pdf_text(pdf)
    notes = text[text.index("1. Only a sentence.") :]
    lines = [line.strip() for line in notes.splitlines() if line.strip()]
    at = lines.index("3. Two paragraphs and code.")
    assert lines[at : at + 6] == [
        "3. Two paragraphs and code.",
        "The second paragraph.",
        "def fire(kiln):",
        "return kiln.heat(1300)",
        "• one item",
        "• two items",
    ]
    assert " ".join(lines[at + 6 :]).startswith("Kiln Glaze Jun blue")  # the table's cells
    # the body's paragraph is whole: the note's blocks did not end it
    assert "Text.3" in text
    # numbered from 1 in each chapter, as the EPUB numbers them
    assert "1. The first note of chapter two." in text
    assert "2. The second note of chapter two." in text


def _word_heights(pdf: Path, words: tuple[str, ...]) -> dict[str, float]:
    done = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    page = etree.fromstring(done, etree.XMLParser(recover=True))
    heights: dict[str, float] = {}
    for word in page.iter("{*}word"):
        if word.text in words:
            heights.setdefault(word.text, float(word.get("yMax")) - float(word.get("yMin")))
    return heights


def test_a_note_called_from_a_heading_is_set_as_a_note(project) -> None:
    root = _book(project)
    assert run_pubtool("pdf", cwd=root).code == 0
    (pdf,) = (root / "build").glob("*.pdf")
    heights = _word_heights(pdf, ("heading’s", "sentence.", "heading"))
    assert heights["heading’s"] == heights["sentence."]  # the notes' size
    assert heights["heading"] > heights["heading’s"] * 1.2  # the heading's, larger
    with pikepdf.open(pdf) as opened, opened.open_outline() as outline:
        titles = [item.title for top in outline.root for item in top.children]
    assert "A heading with a note" in titles  # its call is no part of the bookmark


def test_notes_can_be_numbered_across_the_book_in_both_editions(project) -> None:
    root = _book(project, BOOK_YAML + "footnote_numbering: book\n")
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    documents = epub_documents(root / "build" / "a-test-book-en.epub")
    second = documents["EPUB/ch-02-second.xhtml"]
    calls = [a.text for a in second.iterfind(".//h:a[@class='noteref']", NS)]
    assert calls == ["4", "5"]
    assert [a.get("id") for a in second.iterfind(".//h:aside", NS)] == ["fn-4", "fn-5"]
    first = documents["EPUB/ch-01-first.xhtml"]
    assert [a.text for a in first.iterfind(".//h:a[@class='noteref']", NS)] == ["1", "2", "3"]

    assert run_pubtool("pdf", cwd=root).code == 0
    text = _pdf_text(next((root / "build").glob("*.pdf")))
    assert "Numbered again.4 And again.5" in text
    assert "4. The first note of chapter two." in text


def test_an_unknown_numbering_is_an_error_at_its_line(project) -> None:
    root = _book(project, BOOK_YAML + "footnote_numbering: page\n")
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert (
        "manuscript/book.yaml:7: error: 'footnote_numbering' must be one of chapter, book, "
        "not 'page'" in result.stderr
    )
