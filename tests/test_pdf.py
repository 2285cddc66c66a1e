"""The print edition: read the PDF back (pdftotext, pypdf) and compare with the book."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import ghostscript, run_pubtool
from pypdf import PdfReader

from pubtool import languages
from pubtool.errors import Report
from pubtool.model import book_texts
from pubtool.pipeline import prepare_edition
from pubtool.project import Project

A5 = (419.53, 595.28)


def page_texts(pdf: Path) -> list[str]:
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout,
        ).group(1)
    )
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


@pytest.fixture(scope="session")
def pages_en(sample_pdfs) -> list[str]:
    return page_texts(sample_pdfs["en"])


@pytest.fixture(scope="session")
def pages_zh(sample_pdfs) -> list[str]:
    return page_texts(sample_pdfs["zh"])


def chapter_starts(pages: list[str], label: str) -> dict[int, int]:
    """Chapter number -> the page where its label (Chapter 3, 第三章) stands first on a page;
    ``label`` has N where the number goes, written as the edition's language writes it."""
    language = languages.profile("zh" if "章" in label else "en")
    wanted = {label.replace("N", language.chapter_number(n)): n for n in range(1, 40)}
    starts: dict[int, int] = {}
    for number, text in enumerate(pages, start=1):
        # pdftotext spaces out letter-spaced small caps ("C hapte r 1") and mixed scripts
        lines = [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]
        for line in lines[:2]:
            if line in wanted:
                starts.setdefault(wanted[line], number)
    return starts


def test_page_size_count_and_metadata(sample_pdfs) -> None:
    for lang, pdf in sample_pdfs.items():
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 20
        for page in reader.pages:
            box = page.mediabox
            assert (round(float(box.width), 2), round(float(box.height), 2)) == A5
        assert reader.metadata.title in {"Coal, Clay and Shadows", "煤、瓷与影"}
        # the author's name as each edition prints it (the zh catalog translates it)
        assert reader.metadata.author == {"en": "The pubtool Authors", "zh": "pubtool作者"}[lang]
        root = reader.trailer["/Root"]
        assert root["/Lang"] == {"en": "en", "zh": "zh-Hans"}[lang]
        assert root["/MarkInfo"]["/Marked"]  # a tagged PDF (PDF/UA-1)
        assert "/StructTreeRoot" in root
        assert len(reader.outline) >= 8  # bookmarks: chapters, glossary, subjects


def test_contents_page_numbers_are_where_chapters_start(pages_en, pages_zh) -> None:
    for pages, label, toc_word in ((pages_en, "ChapterN", "Contents"), (pages_zh, "第N章", "目录")):
        toc = next(text for text in pages if text.strip().startswith(toc_word))
        listed = [int(n) for n in re.findall(r"\.{3,}\s*(\d+)\s*$", toc, re.M)]
        starts = chapter_starts(pages, label)
        assert len(starts) == 7
        assert listed[:7] == [starts[n] for n in range(1, 8)]
        assert all(n % 2 == 1 for n in listed)  # every chapter opens on a recto
        glossary_page = listed[7]
        assert pages[glossary_page - 1].split("\n", 3)[0:3]  # the page exists


def test_running_heads_and_folios(pages_en) -> None:
    starts = set(chapter_starts(pages_en, "ChapterN").values())
    body = range(min(starts), len(pages_en) + 1)
    checked = 0
    for number in body:
        lines = [line.strip() for line in pages_en[number - 1].splitlines() if line.strip()]
        if not lines or number in starts:
            continue
        assert lines[-1] == str(number), (number, lines[-1])  # the folio
        if number % 2 == 0:
            assert lines[0] == "Coal, Clay and Shadows"
        else:
            assert lines[0] not in {"Coal, Clay and Shadows", str(number)}  # a chapter title
        checked += 1
    assert checked >= 10
    chapter_one = min(starts)
    opening = [line.strip() for line in pages_en[chapter_one - 1].splitlines() if line.strip()]
    assert opening[0].replace(" ", "") == "Chapter1"  # no running head on an opening page
    blank = [n for n, text in enumerate(pages_en, 1) if not text.strip()]
    assert blank and all(n % 2 == 0 for n in blank)  # only versos are left blank


# a glossary entry's page references, as each language writes them: each page once
GLOSSARY_PAGES = {
    "en": (r"See pages? ((?:\d+(?:, | and |, and ))*\d+)\.", "Glossary"),
    "zh": (r"见第((?:\d+[、和])*\d+)页。", "术语表"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_glossary_page_numbers_point_at_uses(lang, sample_pdfs, sample_project) -> None:
    pages = page_texts(sample_pdfs[lang])
    report = Report()
    book = prepare_edition(Project.at(sample_project), None, report).book
    pattern, title = GLOSSARY_PAGES[lang]
    start = next(i for i, t in enumerate(pages) if t.strip().startswith(title))
    glossary = "\n".join(pages[start : start + 5])
    assert "→" not in glossary
    checked = 0
    for entry in book.glossary.entries.values():
        match = re.search(re.escape(entry.hanzi) + r".*?" + pattern, glossary, re.S)
        assert match, entry.term
        cited = [int(n) for n in re.findall(r"\d+", match.group(1))]
        assert cited == sorted(set(cited)), (entry.term, cited)  # in order, none twice
        for page in cited:
            text = pages[page - 1]
            # a term may break across lines in print, its pinyin on the line between
            han = re.sub(r"[^\u3400-\u9fff]", "", text)
            assert entry.hanzi in han or entry.term in text.replace("\n", " ")
            checked += 1
    assert checked >= 24
    # never a reference alone at the start of a line, away from its entry's last word
    assert not re.search(r"\n(See|见第)", glossary)


def test_fonts_are_embedded_subset_and_simplified_chinese(sample_pdfs) -> None:
    for pdf in sample_pdfs.values():
        listing = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listing
        for line in listing:
            name = line.split()[0]
            assert re.search(r"\byes\s+yes\s+yes\b", line), line  # embedded, subset, unicode
            assert "JP" not in name and "KR" not in name and "TC" not in name, name
        assert any("CJK-SC" in line for line in listing)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_character_of_the_book_is_missing(lang, sample_pdfs, sample_project) -> None:
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", str(sample_pdfs[lang]), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    book = prepare_edition(
        Project.at(sample_project), None if lang == "en" else lang, Report()
    ).book
    terms_native = languages.terms_native(languages.profile(lang))
    wanted = {c for source, _ in book_texts(book, terms_native) for c in source if not c.isspace()}
    missing = {c for c in wanted if c not in text}
    # soft hyphens and the like are not drawn; everything else must be there
    assert not {c for c in missing if c.isprintable()}, sorted(missing)


def test_chinese_terms_have_ruby_pinyin(pages_zh) -> None:
    everything = "\n".join(pages_zh)
    assert "yáobiàn" in everything and "窑变" in everything
    assert "2026年11月28日" in everything and "第一章" in everything.replace(" ", "")


def test_chinese_line_breaking_rules(sample_pdfs) -> None:
    text = subprocess.run(
        ["pdftotext", str(sample_pdfs["zh"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    chinese = [line for line in lines if re.search("[\u4e00-\u9fff]", line)]
    assert len(chinese) > 200
    assert not [line for line in chinese if line[0] in "。，、；：！？）”"]
    assert not [line for line in chinese if line[-1] in "（“"]


def test_copyright_page_has_a_print_accessibility_summary(pages_en, pages_zh) -> None:
    """Paper cannot change its type size: the PDF says what it has (tags, bookmarks), not
    what the EPUB's summary promises."""
    en = re.sub(r"\s+", " ", "\n".join(pages_en[:6]))
    zh = re.sub(r"\s+", "", "\n".join(pages_zh[:6]))
    assert "This PDF is tagged for screen readers" in en
    assert "adjust" not in en.lower()
    assert "本PDF文件带有结构标签" in zh
    assert "调整" not in zh


def test_every_pdf_of_the_sample_draws_in_ghostscript(sample_pdfs) -> None:
    """As a RIP would: every page of the books, booklets and covers drawn by Ghostscript,
    which stops at the first error (-dPDFSTOPONERROR)."""
    folder = next(iter(sample_pdfs.values())).parent
    made = sorted(folder.glob("*.pdf"))
    assert {p.name.removeprefix("coal-clay-and-shadows-") for p in made} >= {
        "en.pdf",
        "en-booklet.pdf",
        "en-cover.pdf",
        "zh.pdf",
        "zh-booklet.pdf",
        "zh-cover.pdf",
    }
    assert {p.name: ghostscript(p) for p in made} == {p.name: "" for p in made}


@pytest.mark.parametrize("name", ["languages", "written-in-chinese", "bash-tutorial"])
def test_every_pdf_of_the_test_books_draws_in_ghostscript(test_books, name: str) -> None:
    made = sorted((test_books(name) / "build").glob("*.pdf"))
    assert len(made) >= 2
    assert {p.name: ghostscript(p) for p in made} == {p.name: "" for p in made}


def test_the_sample_footnote_is_on_the_page_of_its_call(sample_pdfs) -> None:
    """The English sample's note on Sichuan pepper: WeasyPrint set it on the page after
    its call, to keep the orphans of the paragraph at the foot of the page; pubtool lays
    that paragraph out again from the next page."""
    pages = page_texts(sample_pdfs["en"])
    (call,) = [
        n
        for n, text in enumerate(pages)
        if re.search(r"pep[-\u2010]?\s*\u2060?per\u2060?1\.", text)
    ]
    (note,) = [n for n, text in enumerate(pages) if "1. Sichuan pepper is not a true" in text]
    assert call == note


@pytest.mark.slow
def test_no_chinese_paragraph_ends_on_a_line_of_one_character(project) -> None:
    """Paragraphs of every length from two lines to three: without the word joiner
    between its last two characters, some would end on a line of 水。 alone."""
    paragraphs = "\n\n".join("山" * n + "水。" for n in range(20, 90))
    root = project(
        {
            "manuscript/book.yaml": "title: 山水\nlanguage: zh\nauthors: [作者]\n"
            "date: 2026-01-15\nidentifier: urn:uuid:12345678-1234-5678-1234-567812345678\n",
            "manuscript/01-first.md": f"---\ntitle: 第一\n---\n\n{paragraphs}\n",
        }
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    lines = [
        line.strip().replace("\u2060", "")
        for text in page_texts(root / "build" / "book-zh.pdf")
        for line in text.splitlines()
    ]
    endings = [line for line in lines if line.endswith("水。")]
    assert len(endings) == 70
    assert [line for line in endings if len(line) < 3] == []


def test_chinese_titles_carry_no_pinyin_and_are_set_in_one_face(sample_pdfs) -> None:
    """Chapter 3's title names Jun porcelain (钧瓷): no ruby over it (its pinyin stands
    over the first use in the text, below the title), one face for the whole title, and
    bookmarks of hanzi only."""
    pdf = sample_pdfs["zh"]
    reader = PdfReader(pdf)

    def titles(items) -> list[str]:
        out = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out

    outline = titles(reader.outline)
    assert "钧瓷的色彩" in outline
    assert [t for t in outline if re.search(r"[a-zA-Zāáǎàūúǔù]", t)] == []
    pages = page_texts(pdf)
    (number,) = [n for n, t in enumerate(pages) if re.search(r"第\s*三章\s+钧瓷的色彩", t)]
    words = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(number + 1), "-l", str(number + 1), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    placed = [
        (float(y0), float(y1), w)
        for y0, y1, w in re.findall(r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)">([^<]+)<', words)
    ]
    title_top = min(y0 for y0, _, w in placed if "钧瓷的色彩" in w)
    pinyin = [
        (y0, w) for y0, _, w in placed if re.fullmatch(r"[A-Za-zāáǎàūúǔùīíǐìēéěèōóǒòĀÁǍÀ]+", w)
    ]
    assert pinyin and all(y0 > title_top for y0, _ in pinyin), pinyin
    faces: set[str] = set()

    def visit(text, cm, tm, font, size) -> None:
        # the title's runs: its size, 22.4 (the body's 14, in WeasyPrint's px)
        if text and set(text) <= set("钧瓷的色彩") and size > 20 and font is not None:
            faces.add(str(font.get("/BaseFont")))

    reader.pages[number].extract_text(visitor_text=visit)
    assert len(faces) == 1, faces
