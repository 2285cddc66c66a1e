"""Links on paper: a web link's address is printed (`print_urls`: a footnote numbered
with the notes, in brackets after the text, or not at all), once for a link whose text
is its address, after the text for a link inside a footnote; the EPUB is unchanged."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import BOOK_YAML, run_pubtool

CHAPTER = """\
---
title: Links
---

Read [the Rust book](https://doc.rust-lang.org/book/) or <https://www.rust-lang.org>,
or write to [the team](mailto:team@example.org).[^1]

[^1]: See also [the reference](https://doc.rust-lang.org/reference/).
"""


def printed(project, setting: str | None) -> str:
    book = BOOK_YAML + (f"print_urls: {setting}\n" if setting else "")
    root = project({"manuscript/book.yaml": book, "manuscript/01-first.md": CHAPTER})
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    pdf = root / "build" / "a-test-book-en.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())


def test_by_default_each_address_is_a_lettered_footnote(project) -> None:
    text = printed(project, None)
    # the addresses lettered, so that the note keeps its number (1, as in the EPUB)
    assert "Read the Rust booka or https://www.rust-lang.org, or write to the teamb.1" in text
    assert "a. https://doc.rust-lang.org/book/" in text
    assert "b. team@example.org" in text
    # a link inside a footnote: its address after it, in the note
    assert "1. See also the reference (https://doc.rust-lang.org/reference/)." in text
    assert text.count("https://www.rust-lang.org") == 1  # its text is its address


def test_after_the_text_or_not_at_all(project) -> None:
    after = printed(project, "after")
    assert "the Rust book (https://doc.rust-lang.org/book/) or" in after
    assert "the team (team@example.org).1" in after
    plain = printed(project, "none")
    assert "doc.rust-lang.org/book" not in plain and "team@example.org" not in plain
    assert "Read the Rust book or https://www.rust-lang.org" in plain


def test_an_unknown_setting_is_an_error_at_its_line(project) -> None:
    root = project({"manuscript/book.yaml": BOOK_YAML + "print_urls: foot\n"})
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert (
        "manuscript/book.yaml:7: error: 'print_urls' must be one of footnote, after, none, "
        "not 'foot' [config-type]" in result.stderr
    )
    assert "did you mean 'footnote'?" in result.stderr
    assert not (root / "build").exists() or not list((root / "build").glob("*.pdf"))


@pytest.mark.slow
def test_the_sample_prints_its_addresses(sample_pdfs: dict[str, Path]) -> None:
    for lang, pdf in sample_pdfs.items():
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "https://en.wikipedia.org/wiki/Ru_ware" in " ".join(text.split()), lang
