"""Citations as Pandoc writes them, set by a CSL style (citeproc-py) in each edition's
language, linked to a reference list; a bibliography of real biblatex data; every
problem at its line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BOOK_YAML, NS, epub_documents, run_pubtool
from i18n_helpers import fill

AVERROES = Path(__file__).parent / "fixtures" / "bibliography" / "averroes.bib"

REFS = """@book{doe2020,
  author = {Doe, Jane and Roe, Richard},
  title = {Kilns of Henan},
  publisher = {Clay Press},
  address = {Zhengzhou},
  year = {2020}
}
@article{li2018,
  author = {Li, Hua},
  title = {Copper red and the {Jun} glaze},
  journal = {Ceramics Review},
  volume = {12},
  number = {3},
  pages = {33--47},
  year = {2018}
}
"""

CHAPTER = """---
title: Sources
---

The kilns are described at length [see @doe2020, p. 33].
As @li2018 shows, copper reds need reduction [-@li2018, pp. 40-42].
Both agree [@li2018; @doe2020]. Write to team@example.org.
So says @doe2020 [p. 12].

## Works cited

::: {#refs}
:::
"""


def _book(project, chapter: str = CHAPTER, yaml: str = "bibliography: references.bib\n") -> Path:
    return project(
        {
            "manuscript/book.yaml": BOOK_YAML + yaml,
            "manuscript/references.bib": REFS,
            "manuscript/02-sources.md": chapter,
        }
    )


def _citations(doc) -> list[tuple[str, str]]:
    return [
        ("".join(a.itertext()), a.get("href"))
        for a in doc.iterfind(".//h:a[@role='doc-biblioref']", NS)
    ]


def test_citations_link_to_the_reference_list_where_refs_stands(project) -> None:
    root = _book(project)
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0 and "warning" not in result.stderr, result.stderr
    doc = epub_documents(root / "build" / "a-test-book-en.epub")["EPUB/ch-02-sources.xhtml"]
    assert _citations(doc) == [
        ("(see Doe and Roe, 2020, p. 33)", "ch-02-sources.xhtml#ref-doe2020"),
        ("Li (2018)", "ch-02-sources.xhtml#ref-li2018"),  # @li2018 in the text
        ("(2018, pp. 40–42)", "ch-02-sources.xhtml#ref-li2018"),  # -@: no names
        ("(Li, 2018; Doe and Roe, 2020)", "ch-02-sources.xhtml#ref-li2018"),
        ("Doe and Roe (2020, p. 12)", "ch-02-sources.xhtml#ref-doe2020"),  # @key [locator]
    ]
    text = "".join(doc.find(".//h:section[@class='chapter']/h:p", NS).itertext())
    assert "Write to team@example.org. So says" in text  # an address is no citation
    (section,) = doc.iterfind(".//h:section[@role='doc-bibliography']", NS)
    assert section.getprevious().text == "Works cited"  # where ::: {#refs} stands
    entries = [(li.get("id"), "".join(li.itertext())) for li in section.iterfind(".//h:li", NS)]
    assert entries == [
        ("ref-doe2020", "Doe, J. and Roe, R. (2020) Kilns of Henan. Zhengzhou: Clay Press."),
        (
            "ref-li2018",
            "Li, H. (2018) “Copper red and the Jun glaze”, Ceramics Review, 12(3), pp. 33–47.",
        ),
    ]
    assert section.find(".//h:i", NS).text == "Kilns of Henan"

    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0 and "warning" not in result.stderr, result.stderr
    (pdf,) = (root / "build").glob("*.pdf")
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(printed.split())
    assert "length (see Doe and Roe, 2020, p. 33)." in flat
    assert "Doe, J. and Roe, R. (2020) Kilns of Henan. Zhengzhou: Clay Press." in flat


def test_without_refs_the_list_closes_the_book_under_its_heading(project) -> None:
    chapter = (
        "---\ntitle: Sources\n---\n\nThe kilns are described at length [see @doe2020, p. 33].\n"
    )
    root = _book(project, chapter)
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-02-sources.po"
    fill(
        po,
        {
            "The kilns are described at length [see @doe2020, p. 33].": (
                "关于这些窑有详细的记述[参见 @doe2020, p. 33]。"
            )
        },
    )
    for lang, heading, cited in (
        ("en", "References", "(see Doe and Roe, 2020, p. 33)"),
        ("zh", "参考文献", "(参见 Doe 和 Roe, 2020, 页 33)"),  # CSL's zh-CN terms
    ):
        result = run_pubtool("epub", "--lang", lang, cwd=root)
        assert result.code == 0, result.stderr
        assert "translation-markup" not in result.stderr
        docs = epub_documents(root / "build" / f"a-test-book-{lang}.epub")
        doc = docs["EPUB/ch-02-sources.xhtml"]
        (section,) = doc.iterfind(".//h:section[@role='doc-bibliography']", NS)
        assert section.find("h:h2", NS).text == heading
        assert _citations(doc)[0][0] == cited
        assert section is doc.find(".//h:section[@class='chapter']", NS)[-1]


def test_a_csl_json_bibliography_and_a_style_of_the_project(project) -> None:
    items = [
        {
            "id": "doe2020",
            "type": "book",
            "title": "Kilns of Henan",
            "author": [{"family": "Doe", "given": "Jane"}],
            "issued": {"date-parts": [[2020]]},
            "publisher": "Clay Press",
        }
    ]
    import citeproc

    shipped = Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"
    style = shipped.read_text(encoding="utf-8")
    assert '<layout prefix="(" suffix=")" delimiter="; ">' in style
    style = style.replace(
        '<layout prefix="(" suffix=")" delimiter="; ">',
        '<layout prefix="[" suffix="]" delimiter="; ">',
    )
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML + "bibliography: [works.json]\ncsl: brackets.csl\n",
            "manuscript/works.json": json.dumps(items),
            "manuscript/brackets.csl": style,
            "manuscript/02-sources.md": "---\ntitle: S\n---\n\nAs written [@doe2020].\n",
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    doc = epub_documents(root / "build" / "a-test-book-en.epub")["EPUB/ch-02-sources.xhtml"]
    assert _citations(doc) == [("[Doe, 2020]", "ch-02-sources.xhtml#ref-doe2020")]


def test_real_biblatex_data_is_read_or_named_at_its_entry(project) -> None:
    chapter = "---\ntitle: S\n---\n\nOn conjunction [@averroes/bland; @cicero, chap. 2].\n"
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML + "bibliography: averroes.bib\n",
            "manuscript/02-sources.md": chapter,
        }
    )
    bib = root / "manuscript" / "averroes.bib"
    shutil.copy(AVERROES, bib)
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert (
        "manuscript/averroes.bib:32: error: entry 'averroes/hannes' cannot be read" in result.stderr
    ), result.stderr
    # the author writes the quotation plainly, as the hint says
    bib.write_text(bib.read_text(encoding="utf-8").replace("\\mkbibquote{", "{"), "utf-8")
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    doc = epub_documents(root / "build" / "a-test-book-en.epub")["EPUB/ch-02-sources.xhtml"]
    assert _citations(doc)[0][0] == "(Averroes, 1982; Cicero, 1995, chap. 2)"  # biblatex date
    entries = ["".join(li.itertext()) for li in doc.iterfind(".//h:li", NS)]
    assert entries[0].startswith("Averroes (1982) The Epistle on the Possibility")
    assert entries[1] == (
        "Cicero, M.T. (1995) De natura deorum. Über das Wesen der Götter. "
        "Edited by U. Blank-Sangmeister. Stuttgart: Reclam."
    )


PROBLEMS = [
    ("Cited [@doe2021].\n", "", "manuscript/02-x.md:5: error: citation key 'doe2021'"),
    ("See @doe2021 here.\n", "", "manuscript/02-x.md:5: warning: @doe2021 is not a key"),
    ("Cited [@doe2020].\n", "none", "manuscript/02-x.md:5: error: citation [@doe2020] but"),
    ("x\n", "missing.bib", "manuscript/book.yaml:7: error: bibliography 'missing.bib' not found"),
    ("x\n", "refs.txt", "manuscript/book.yaml:7: error: bibliography 'refs.txt' is neither"),
    ("::: {#refs}\nText.\n:::\n", "", "manuscript/02-x.md:5: warning: the text inside"),
]


@pytest.mark.parametrize(("markdown", "bibliography", "message"), PROBLEMS)
def test_each_problem_is_named_at_its_line(project, markdown, bibliography, message) -> None:
    yaml = {"": "bibliography: references.bib\n", "none": ""}.get(
        bibliography, f"bibliography: {bibliography}\n"
    )
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML + yaml,
            "manuscript/references.bib": REFS,
            "manuscript/refs.txt": "x",
            "manuscript/02-x.md": f"---\ntitle: X\n---\n\n{markdown}",
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr
    assert result.code == (1 if ": error:" in message else 0)
    if "doe2021" in message and "error" in message:
        assert "did you mean doe2020?" in result.stderr


@pytest.mark.epubcheck
@pytest.mark.ace
@pytest.mark.slow
def test_citations_pass_epubcheck_and_ace(project) -> None:
    root = _book(project)
    result = run_pubtool("check", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    assert "EPUB0" not in result.stdout and "ACE" not in result.stdout, result.stdout
