"""Markdown and the term syntax, read and rendered: cases in fixtures/markdown.txt.

Each case is a title line, then ``.``, the Markdown body of a chapter, ``.``, the XHTML
expected inside the chapter's section (after its header), ``.``.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from conftest import NS, write_project
from lxml import etree

from pubtool import highlight, langtag, render
from pubtool.errors import Report
from pubtool.manuscript import MarkdownReader
from pubtool.model import Paragraph, TermRef, Text
from pubtool.pipeline import read_book
from pubtool.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "markdown.txt"
# A 1 x 1 PNG, the image of the cases that show one.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def load_cases() -> list[tuple[str, str, str]]:
    text = FIXTURES.read_text(encoding="utf-8")
    cases = []
    for chunk in re.split(r"\n\.\n\n(?=\S)", text.strip() + "\n"):
        title, markdown, expected = re.split(r"\n\.\n", chunk.removesuffix("\n.\n").strip("\n"))[:3]
        cases.append((title.strip(), markdown + "\n", expected.removesuffix("\n.").strip()))
    return cases


def rendered_body(root: Path, chapter_file: str) -> str:
    report = Report()
    book = langtag.tag_foreign_runs(read_book(Project.at(root), report), "en")
    book = highlight.highlight(book)
    assert not report.errors, report.diagnostics
    rendition = render.render_book(book, "en", None, report)
    (doc,) = [d for d in rendition.documents if d.href == chapter_file]
    section = etree.fromstring(doc.content).find(".//h:section[@class='chapter']", NS)
    parts = []
    for child in section:
        if child.tag.endswith("header"):
            continue
        child.tail = None
        parts.append(etree.tostring(child, encoding="unicode"))
    markup = "".join(parts)
    markup = re.sub(r' xmlns(:epub)?="[^"]+"', "", markup)
    return re.sub(r">\n\s*<", "><", markup)


@pytest.mark.parametrize(("title", "markdown", "expected"), load_cases(), ids=lambda x: x)
def test_markdown_case(title: str, markdown: str, expected: str, project) -> None:
    chapter = f"---\ntitle: Case\n---\n\n{markdown}"
    root = project({"manuscript/02-case.md": chapter, "manuscript/images/dot.png": PNG})
    assert rendered_body(root, "ch-02-case.xhtml") == expected


def test_fixture_file_has_cases() -> None:
    assert len(load_cases()) >= 14


def test_bom_and_crlf_are_accepted_and_lines_are_counted(tmp_path: Path) -> None:
    source = "\ufeff---\r\ntitle: Win\r\n---\r\n\r\nOne\r\ntwo {term}`x`\r\n"
    root = write_project(tmp_path, {"manuscript/01-first.md": source})
    report = Report()
    reader = MarkdownReader(root, report)
    chapter = reader.read_chapter(root / "manuscript" / "01-first.md")
    assert chapter is not None and not report.errors
    assert chapter.title == (Text("Win"),)
    (paragraph,) = chapter.blocks
    assert isinstance(paragraph, Paragraph) and paragraph.location.line == 5
    term = paragraph.children[-1]
    assert isinstance(term, TermRef) and term.term_id == "x" and term.location.line == 6


def test_term_reference_in_a_title(project) -> None:
    root = project(
        {
            "manuscript/01-first.md": '---\ntitle: "Colours of {term}`jun-ci`"\n---\n\n'
            "More {term}`jun-ci` and {term}`yao-bian`.\n"
        }
    )
    report = Report()
    book = read_book(Project.at(root), report)
    assert not report.errors
    (chapter,) = book.chapters
    title_term = chapter.title[1]
    # a title carries no annotation: the first use in the body does
    assert (
        isinstance(title_term, TermRef)
        and not title_term.first
        and title_term.anchor == "ch-01-first-jun-ci-1"
    )
    body_terms = [n for n in chapter.blocks[0].children if isinstance(n, TermRef)]
    assert [(t.term_id, t.first) for t in body_terms] == [("jun-ci", True), ("yao-bian", True)]
    rendition = render.render_book(book, "en", None, report)
    nav = next(d for d in rendition.documents if d.role == "toc")
    assert b">Colours of Jun Ci</a>" in nav.content
