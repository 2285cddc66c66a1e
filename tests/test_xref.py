"""Cross-references: heading ids as GitHub and mdBook make them, ids written as {#id},
links to chapters and their headings resolved in the EPUB and the PDF, and every link
that leads nowhere reported at its line with the closest ids."""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest
from conftest import NS, epub_documents, outputs, run_pubtool
from lxml import etree

from pubtool.xref import anchor_for, heading_id

ONE = """\
---
title: One
---

## Summary

See [the other summary](02-two.md#summary), [its own id](02-two.md#the-end),
[the Chinese section](02-two.md#安装与配置) and [this chapter's](#summary).
"""

TWO = """\
---
title: Two
---

## Summary

## The last part {#the-end}

## 安装与配置

Back to [one](01-one.md#summary) and [one again](01-one.html).
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Accessing Values in a Hash Map", "accessing-values-in-a-hash-map"),
        ("Fire & Copper", "fire--copper"),
        ("`Vec<T>` and snake_case", "vect-and-snake_case"),
        ("Ünïcode Straße", "ünïcode-straße"),
        ("安装与配置（一）", "安装与配置一"),
        ("हिन्दी पाठ", "हिन्दी-पाठ"),  # the vowel signs (marks) are kept
    ],
)
def test_heading_ids_are_made_as_github_makes_them(text: str, expected: str) -> None:
    assert heading_id(text) == expected


def test_an_anchor_is_an_xml_name_free_in_the_book() -> None:
    taken: set[str] = set()
    assert anchor_for("summary", taken) == "summary"
    assert anchor_for("summary", taken) == "sec-summary"
    assert anchor_for("summary", taken) == "sec-summary-2"
    assert anchor_for("21-notes", taken) == "sec-21-notes"  # a name cannot start with a digit
    assert anchor_for("fn-1", taken) == "sec-fn-1"  # pubtool's own note ids stay its own
    assert anchor_for("安装", taken) == "安装"


def test_links_reach_the_headings_they_name_in_epub_and_pdf(project) -> None:
    root = project({"manuscript/01-one.md": ONE, "manuscript/02-two.md": TWO})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    documents = epub_documents(root / "build" / "a-test-book-en.epub")
    one, two = documents["EPUB/ch-01-one.xhtml"], documents["EPUB/ch-02-two.xhtml"]
    ids = {"".join(h.itertext()): h.get("id") for h in two.iterfind(".//h:h2", NS)}
    # the first chapter's "Summary" took "summary"; the id in the print document is unique
    assert ids == {"Summary": "sec-summary", "The last part": "the-end", "安装与配置": "安装与配置"}
    hrefs = [a.get("href") for a in one.iterfind(".//h:p//h:a", NS)]
    assert hrefs == [
        "ch-02-two.xhtml#sec-summary",
        "ch-02-two.xhtml#the-end",
        "ch-02-two.xhtml#安装与配置",
        "#summary",
    ]
    back = [a.get("href") for a in two.iterfind(".//h:p//h:a", NS)]
    assert back == ["ch-01-one.xhtml#summary", "ch-01-one.xhtml"]
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    with pikepdf.open(root / "build" / "a-test-book-en.pdf") as pdf:
        names = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
        targets = [
            str(annot.Dest)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot
        ]
    for anchor in ("sec-summary", "the-end", "安装与配置", "summary", "ch-01-one"):
        assert anchor in names
        assert anchor in targets, (anchor, targets)


@pytest.mark.parametrize(
    ("link", "message", "hint"),
    [
        (
            "[x](02-two.md#the-ned)",
            "manuscript/01-one.md:7: error: link '02-two.md#the-ned': no heading or id "
            "#the-ned in 02-two.md [link-anchor]",
            "the closest ids: #the-end",
        ),
        (
            "[x](#sumary)",
            "manuscript/01-one.md:7: error: link '#sumary': no heading or id #sumary in this "
            "chapter [link-anchor]",
            "the closest ids: #summary",
        ),
        (
            "[x](02-tow.md)",
            "manuscript/01-one.md:7: error: link to missing chapter '02-tow.md' [link-broken]",
            "did you mean 02-two.md?",
        ),
        (
            "[x](notes/draft.md)",
            "manuscript/01-one.md:7: error: link 'notes/draft.md' leads to draft.md, which is "
            "not a chapter of the book [link-chapter]",
            "add this file to the book",
        ),
    ],
)
def test_a_link_that_leads_nowhere_is_an_error_at_its_line(
    project, link: str, message: str, hint: str
) -> None:
    chapter = "---\ntitle: One\n---\n\n## Summary\n\nSee " + link + ".\n"
    root = project(
        {
            "manuscript/01-one.md": chapter,
            "manuscript/02-two.md": TWO,
            "manuscript/notes/draft.md": "---\ntitle: Draft\n---\n",
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "build").exists() or outputs(root / "build") == []


def test_an_id_written_twice_is_an_error(project) -> None:
    chapter = "---\ntitle: One\n---\n\n## A {#same}\n\n## B {#same}\n"
    root = project({"manuscript/01-one.md": chapter})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    assert "manuscript/01-one.md:7: error: id #same is given twice in this chapter" in (
        result.stderr
    )
    assert not (root / "build").exists() or outputs(root / "build") == []


def test_heading_classes_unlisted_and_unread_attributes(project) -> None:
    chapter = (
        "---\ntitle: One\n---\n\n## Preface {#preface .unlisted .wide}\n\n"
        "## Kilns {-}\n\n## Glazes {lang=fr}\n"
    )
    root = project({"manuscript/01-one.md": chapter})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    assert "manuscript/01-one.md:9: warning: heading attribute lang='fr' ignored" in (result.stderr)
    assert result.stderr.count("warning:") == 1
    documents = epub_documents(root / "build" / "a-test-book-en.epub")
    preface, kilns, _glazes = documents["EPUB/ch-01-one.xhtml"].iterfind(".//h:h2", NS)
    assert (preface.get("id"), preface.text, preface.get("class")) == (
        "preface",
        "Preface",
        "unlisted wide",
    )
    assert kilns.text == "Kilns" and kilns.get("class") is None  # {-}: Pandoc's .unnumbered
    nav = etree.tostring(documents["EPUB/nav.xhtml"], encoding="unicode")
    assert "Kilns" in nav and "Glazes" in nav and "Preface" not in nav


def test_print_says_the_page_of_a_place_a_link_leads_to(project) -> None:
    two = TWO.replace(
        "## The last part {#the-end}", "## The last part {#the-end}\n\n" + "Text.\n\n" * 3
    )
    one = ONE + "\nThe end is on [its own page](02-two.md#the-end).\n"
    root = project({"manuscript/01-one.md": one, "manuscript/02-two.md": two})
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    pdf = root / "build" / "a-test-book-en.pdf"
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = done.stdout.split("\f")
    text = " ".join(done.stdout.split())
    found = re.search(r"its own id \(see page (\d+)\)", text)
    assert found is not None, text
    target = int(found.group(1))
    assert "The last part" in pages[target - 1]
    assert re.search(r"this chapter’s \(see page \d+\)", text)
    # a link whose text already speaks of a page gets no second one
    assert "its own page (see page" not in text
