"""Editions in every script: language tags, direction, typography, labels and fonts.

Most tests read the editions of two test books, built once per session: the languages book
(tests/books/languages: one English chapter with a glossary term, a table, a footnote and
a code block, translated into nine languages by people who write them) and a real book
written in Chinese (tests/books/bash-tutorial, three chapters of wangdoc's Bash tutorial;
see its SOURCE.md). What each edition must show is written here from the languages'
own conventions, not read from pubtool.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import BOOK_YAML, NS, epub_documents, outputs, run_pubtool
from lxml import etree

from pubtool import i18n, languages

TRANSLATED = ["zh", "zh-Hant", "ja", "ko", "ar", "he", "fr", "de", "ru"]
SLUG = "the-kilns-of-shenhou"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: what each edition declares (html lang, dc:language) and its direction
DECLARED = {
    "en": ("en", "ltr"),
    "zh": ("zh-Hans", "ltr"),
    "zh-Hant": ("zh-Hant", "ltr"),
    "ja": ("ja", "ltr"),
    "ko": ("ko", "ltr"),
    "ar": ("ar", "rtl"),
    "he": ("he", "rtl"),
    "fr": ("fr", "ltr"),
    "de": ("de", "ltr"),
    "ru": ("ru", "ltr"),
}

#: "a gift of the fire", as each translator wrote it with straight quotes, in the
#: quotation marks of the language
QUOTED = {
    "zh": "“火的馈赠”",
    "zh-Hant": "「火的贈禮」",
    "ja": "「火の贈り物」",
    "ko": "“불의 선물”",
    "ar": "”هبة النار“",
    "he": "”מתנת האש”",
    "fr": "«\u202fun don du feu\u202f»",
    "de": "„ein Geschenk des Feuers“",
    "ru": "«даром огня»",
}

#: the label of chapter 1 and the title of the contents
LABELS = {
    "en": ("Chapter 1", "Contents"),
    "zh": ("第一章", "目录"),
    "zh-Hant": ("第一章", "目錄"),
    "ja": ("第1章", "目次"),
    "ko": ("제1장", "차례"),
    "ar": ("الفصل 1", "المحتويات"),
    "he": ("פרק 1", "תוכן העניינים"),
    "fr": ("Chapitre 1", "Table des matières"),
    "de": ("Kapitel 1", "Inhalt"),
    "ru": ("Глава 1", "Оглавление"),
}

#: the faces (PostScript names, as pdffonts lists them) each print edition must use for
#: its own text, and the CJK cuts it must not use (the glossary's hanzi are in SC in every
#: edition: they are Simplified Chinese)
OWN_FACES = {
    "en": ("Gentium-Plus", ["CJK-JP", "CJK-KR", "CJK-TC"]),
    "zh": ("Noto-Serif-CJK-SC", ["CJK-JP", "CJK-KR", "CJK-TC"]),
    "zh-Hant": ("Noto-Serif-CJK-TC", ["CJK-JP", "CJK-KR"]),
    "ja": ("Noto-Serif-CJK-JP", ["CJK-KR", "CJK-TC"]),
    "ko": ("Noto-Serif-CJK-KR", ["CJK-JP", "CJK-TC"]),
    "ar": ("Amiri", ["CJK-JP", "CJK-KR", "CJK-TC"]),
    "he": ("Noto-Serif-Hebrew", ["CJK-JP", "CJK-KR", "CJK-TC"]),
    "fr": ("Gentium-Plus", ["CJK-JP", "CJK-KR", "CJK-TC"]),
    "de": ("Gentium-Plus", ["CJK-JP", "CJK-KR", "CJK-TC"]),
    "ru": ("Gentium-Plus", ["CJK-JP", "CJK-KR", "CJK-TC"]),
}


def epub(root: Path, lang: str) -> Path:
    return root / "build" / f"{SLUG}-{lang}.epub"


def pdf(root: Path, lang: str) -> Path:
    return root / "build" / f"{SLUG}-{lang}.pdf"


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def chapter(root: Path, lang: str) -> etree._Element:
    return epub_documents(epub(root, lang))["EPUB/ch-01-kilns.xhtml"]


def pdffonts(path: Path) -> list[tuple[str, str, str]]:
    """(name without subset tag, embedded, subset) of every font of a PDF."""
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        name, *rest = line.split()
        fonts.append((name.partition("+")[2] or name, rest[-5], rest[-4]))
    return fonts


# ---------------------------------------------------------------- tags


def test_tags_are_written_as_bcp47_writes_them() -> None:
    assert i18n.canonical_tag("ZH_hant_tw") == "zh-Hant-TW"
    assert i18n.canonical_tag("pt_br") == "pt-BR"
    assert i18n.canonical_tag(" ja ") == "ja"
    same = [("zh", "zh-Hans"), ("zh", "zh-CN"), ("zh-Hant", "zh-TW"), ("ZH", "zh"), ("he", "HE")]
    for a, b in same:
        assert languages.same_language(a, b), (a, b)
    for a, b in [("zh", "zh-Hant"), ("zh-TW", "zh-HK"), ("pt", "pt-PT"), ("ar", "fa")]:
        assert not languages.same_language(a, b), (a, b)


def test_profiles_come_from_cldr() -> None:
    """Script (likely subtags where the tag names none), direction, font group."""
    expected = {
        "zh": ("Hans", "ltr", "han-sc"),
        "zh-TW": ("Hant", "ltr", "han-tc"),
        "zh-HK": ("Hant", "ltr", "han-hk"),
        "ja": ("Jpan", "ltr", "japanese"),
        "ko": ("Kore", "ltr", "korean"),
        "ar": ("Arab", "rtl", "arabic"),
        "fa": ("Arab", "rtl", "arabic"),
        "ur": ("Arab", "rtl", "arabic"),
        "he": ("Hebr", "rtl", "hebrew"),
        "ru": ("Cyrl", "ltr", "cyrillic"),
        "el": ("Grek", "ltr", "greek"),
        "hi": ("Deva", "ltr", "devanagari"),
        "th": ("Thai", "ltr", "thai"),
        "sr-Latn": ("Latn", "ltr", "latin"),
    }
    for tag, facts in expected.items():
        found = languages.profile(tag)
        assert (found.script, found.direction, found.fonts) == facts, tag
    assert languages.find("cn") is None


def test_the_languages_page_tells_what_the_profiles_say() -> None:
    """docs/languages.md's table of languages is what pubtool does."""
    page = (Path(__file__).parent.parent / "docs" / "languages.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `([\w-]+)` \| `([\w-]+)` \| (\w+) \| (\w+) \| (.+?) \| ([\w-]+) \| (\S+) \|$",
        page,
        re.M,
    )
    assert len(rows) >= 15
    for tag, declared, script, direction, quotes, fonts, third in rows:
        found = languages.profile(tag)
        assert (found.declared, found.script, found.direction, found.fonts) == (
            declared,
            script,
            direction,
            fonts,
        ), tag
        assert quotes.split() == list(found.quotes), tag
        assert found.chapter_number(3) == third, tag


def test_languages_are_checked_where_they_are_written(project) -> None:
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML.replace(
                "languages: [zh]", "languages: [cn, zh, zh-CN, en]"
            )
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    err = result.stderr
    assert "manuscript/book.yaml:3: error: unknown language 'cn': CLDR has no data for it" in err
    assert "hint: did you mean 'zh'" in err
    assert "'zh-CN' is the same language as 'zh', listed before it" in err
    assert "Traceback" not in err
    assert not (root / "build").exists() or not outputs(root / "build")


def test_lang_finds_the_edition_however_it_is_spelt(project) -> None:
    root = project()
    target = root / "build" / "a-test-book-zh.epub"
    for spelling in ("ZH", "zh-Hans", "zh_CN", "zh-hans-cn"):
        result = run_pubtool("epub", "--lang", spelling, cwd=root)
        assert result.code == 0, (spelling, result.stderr)
        assert target.exists()
        assert outputs(root / "build") == ["a-test-book-zh.epub"], spelling
    refused = run_pubtool("epub", "--lang", "zh-Hant", cwd=root)
    assert refused.code == 1
    assert "'zh-Hant' is not a language of this book" in refused.stderr
    assert "Traceback" not in refused.stderr


# ---------------------------------------------------------------- the EPUBs


@pytest.mark.parametrize("lang", list(DECLARED))
def test_every_document_declares_the_language_and_its_direction(test_books, lang) -> None:
    root = test_books("languages")
    declared, direction = DECLARED[lang]
    documents = epub_documents(epub(root, lang))
    assert len(documents) >= 6
    for name, doc in documents.items():
        assert doc.get("lang") == declared and doc.get(XML_LANG) == declared, name
        assert doc.get("dir", "ltr") == direction, name
    with zipfile.ZipFile(epub(root, lang)) as archive:
        package = etree.fromstring(archive.read("EPUB/content.opf"))
    opf = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    assert package.findtext(".//dc:language", namespaces=opf) == declared
    spine = package.find(".//opf:spine", opf)
    assert spine.get("page-progression-direction", "ltr") == direction


def test_japanese_text_is_never_tagged_chinese(test_books) -> None:
    """Only the glossary term's hanzi (钧瓷, Simplified Chinese) and its pinyin carry a
    Chinese tag in the Japanese edition; its own kanji are Japanese."""
    root = test_books("languages")
    for name, doc in epub_documents(epub(root, "ja")).items():
        for element in doc.iter():
            tag = element.get("lang") or ""
            if tag.startswith("zh"):
                assert element.get("class") in {"hanzi", "pinyin"}, (name, text_of(element))
                if element.get("class") == "hanzi":
                    assert text_of(element).startswith("钧瓷"), (name, text_of(element))
    body = chapter(root, "ja").find(".//h:section", NS)
    assert "神垕" in text_of(body)  # Japanese kanji, in an element of no other language
    assert all(not (e.get("lang") or "").startswith("zh") for e in body.iterfind("h:p", NS))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_quotes_are_the_languages_own(test_books, lang) -> None:
    text = text_of(chapter(test_books("languages"), lang).find(".//h:section/h:p", NS))
    assert QUOTED[lang] in text, text
    assert '"' not in text


def test_french_spacing(test_books) -> None:
    text = text_of(chapter(test_books("languages"), "fr").find(".//h:section/h:p", NS))
    assert "prévues\u202f:" in text  # the translator wrote "prévues:"
    assert " :" not in text and " ;" not in text
    code = text_of(chapter(test_books("languages"), "fr").find(".//h:pre", NS))
    assert "\u202f" not in code


@pytest.mark.parametrize("lang", list(LABELS))
def test_labels_are_in_the_edition_language(test_books, lang) -> None:
    root = test_books("languages")
    label, contents = LABELS[lang]
    documents = epub_documents(epub(root, lang))
    number = chapter(root, lang).find(".//h:p[@class='chapter-number']", NS)
    assert text_of(number) == label
    nav = documents["EPUB/nav.xhtml"]
    assert text_of(nav.find(".//h:nav[@epub:type='toc']/h:h1", NS)).strip() == contents
    if lang != "en":
        every = " ".join(text_of(doc) for doc in documents.values())
        for english in ("Contents", "Chapter", "Glossary", "Notes", "edition"):
            assert english not in every, (lang, english)


def test_the_cover_and_copyright_page_speak_the_language(test_books) -> None:
    """The cover's description joins title, subtitle and author as the language does; the
    edition line names the script where the tag does (繁體); a right-to-left edition's
    table columns keep their sides relative to its direction."""
    root = test_books("languages")
    alts = {}
    for lang in ("en", "ja", "zh-Hant", "ar", "fr"):
        cover = epub_documents(epub(root, lang))["EPUB/cover.xhtml"]
        alts[lang] = cover.find(".//h:img", NS).get("alt")
    assert alts["en"] == "The Kilns of Shenhou: A Test Book in Many Languages, Ada Author"
    assert "：" in alts["ja"] and alts["ja"].endswith("Ada Author 著"), alts["ja"]
    assert "：" in alts["zh-Hant"] and "," not in alts["zh-Hant"], alts["zh-Hant"]
    assert "، تأليف Ada Author" in alts["ar"] and ", " not in alts["ar"], alts["ar"]
    assert "\u202f: " in alts["fr"] and alts["fr"].endswith(", par Ada Author"), alts["fr"]
    copyright_page = text_of(epub_documents(epub(root, "zh-Hant"))["EPUB/copyright.xhtml"])
    assert "中文 (繁體)" in copyright_page
    with zipfile.ZipFile(epub(root, "ar")) as archive:
        css = archive.read("EPUB/style.css").decode()
    assert ".align-left { text-align: right; }" in css
    assert ".align-right { text-align: left; }" in css


@pytest.mark.slow
def test_numbers_pubtool_writes_are_in_the_language_digits(project) -> None:
    """A Persian edition (CLDR: the digits ۰۱۲…): its chapter, note and page numbers and
    its date; the translator's own numbers stay as written."""
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML.replace("languages: [zh]", "languages: [fa]"),
            "manuscript/02-b.md": "---\ntitle: B\n---\n\nIn 2025 a note.[^1]\n\n[^1]: A note.\n",
        }
    )
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    assert run_pubtool("epub", "--lang", "fa", cwd=root).code == 0
    assert run_pubtool("pdf", "--lang", "fa", cwd=root).code == 0
    documents = epub_documents(root / "build" / "a-test-book-fa.epub")
    second = documents["EPUB/ch-02-b.xhtml"]
    assert text_of(second.find(".//h:p[@class='chapter-number']", NS)).endswith("۲")
    assert text_of(second.find(".//h:a[@class='noteref']", NS)) == "۱"
    assert "2025" in text_of(second.find(".//h:section/h:p", NS))  # as written
    assert "۲۰۲۶" in text_of(documents["EPUB/copyright.xhtml"])  # 2026-01-15
    text = subprocess.run(
        ["pdftotext", str(root / "build" / "a-test-book-fa.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folios = [line.strip() for line in text.splitlines() if re.fullmatch(r"\s*[۰-۹]+\s*", line)]
    assert len(folios) >= 3, text[-500:]
    assert not re.search(r"^\s*[0-9]+\s*$", text, re.M)  # no folio in 0-9


@pytest.mark.parametrize("lang", ["zh", "zh-Hant", "ja", "ko"])
def test_cjk_editions_gloss_the_term_with_ruby(test_books, lang) -> None:
    """In a CJK edition the term's pinyin stands over its hanzi, in full-width brackets."""
    paragraph = chapter(test_books("languages"), lang).find(".//h:section/h:p", NS)
    ruby = paragraph.find(".//h:ruby", NS)
    assert ruby is not None
    assert ruby.find("h:rt", NS).text == "jūn cí"
    if lang in {"zh", "zh-Hant"}:
        # Chinese: the term is named by its hanzi (the translator's, in Traditional
        # characters), with the pinyin over them
        assert ruby.text == {"zh": "钧瓷", "zh-Hant": "鈞瓷"}[lang]
        return
    # the term's name in the edition's words, then its hanzi with pinyin, in brackets
    gloss = {"ja": "鈞窯（钧瓷", "ko": "(钧瓷"}[lang]
    assert gloss in text_of(paragraph), text_of(paragraph)
    assert ruby.text == "钧瓷" and ruby.get("lang") == "zh-Hans"


def test_code_is_monospaced_in_every_edition(test_books) -> None:
    """The EPUB's stylesheet names monospace faces for code after the :lang() font rules,
    with a selector that outranks them, for the highlighted runs inside code too (a
    :lang() rule matches each span); the PDFs draw code in a monospace face."""
    root = test_books("languages")
    for lang in DECLARED:
        with zipfile.ZipFile(epub(root, lang)) as archive:
            css = archive.read("EPUB/style.css").decode()
        spans = r"(, :root pre \*, :root code \*)?"
        pattern = r"(?::root )?code, (?::root )?pre" + spans + r" \{ font-family: ([^;]+);"
        rules = list(re.finditer(pattern, css))
        assert rules and rules[-1].group(2).endswith("monospace"), lang
        last_lang_rule = max((m.start() for m in re.finditer(r":lang\(", css)), default=0)
        # a :lang() rule of the edition's own language would match code: outrank it
        own = f":lang({DECLARED[lang][0]})" in css
        assert not own or ":root" in rules[-1].group(0) or rules[-1].start() > last_lang_rule, lang
        assert not own or rules[-1].group(1), lang  # the spans inside code as well
        faces = [name for name, _, _ in pdffonts(pdf(root, lang))]
        assert any("Mono" in face for face in faces), (lang, faces)


# ---------------------------------------------------------------- the PDFs


@pytest.mark.parametrize("lang", list(OWN_FACES))
def test_print_faces_are_the_edition_cut(test_books, lang) -> None:
    root = test_books("languages")
    own, foreign = OWN_FACES[lang]
    fonts = pdffonts(pdf(root, lang))
    names = [name for name, _, _ in fonts]
    assert any(name.startswith(own) for name in names), (lang, names)
    assert not [n for n in names for cut in foreign if cut in n], (lang, names)
    assert all(emb == "yes" and sub == "yes" for _, emb, sub in fonts), fonts


def line_boxes(path: Path, page: int) -> list[list[tuple[float, float]]]:
    """The (xMin, xMax) of each line of each text block of a page (pdftotext -bbox-layout)."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        [
            (float(a), float(b))
            for a, b in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', block)
        ]
        for block in re.findall(r"<block (.*?)</block>", layout, re.DOTALL)
    ]


def chapter_page(path: Path, word: str) -> int:
    for number in range(1, 20):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if word in text:
            return number
    raise AssertionError(f"{word} is on no page of {path.name}")


@pytest.mark.parametrize("lang", ["ar", "he", "en"])
def test_right_to_left_lines_meet_the_right_margin(test_books, lang) -> None:
    """On the chapter's first page, the lines shorter than the text block (the last lines
    of paragraphs, headings, the footnote) begin at its right edge in Arabic and Hebrew,
    and end short of its left; in English the other way round. (The code block, left to
    right in every edition, and the centred chapter title are neither.)"""
    root = test_books("languages")
    path = pdf(root, lang)
    page = chapter_page(path, {"ar": "الفصل", "he": "פרק", "en": "potters"}[lang])
    lines = [box for block in line_boxes(path, page) for box in block]
    right = max(b for _, b in lines)
    left = min(a for a, _ in lines)
    full = [(a, b) for a, b in lines if b - a > 0.95 * (right - left)]
    # (not the folio, at the page's outer corner)
    short = [(a, b) for a, b in lines if 10 < b - a < 0.9 * (right - left)]
    flush_right = [(a, b) for a, b in short if abs(b - right) < 2 and a - left > 5]
    flush_left = [(a, b) for a, b in short if abs(a - left) < 2 and right - b > 5]
    assert len(full) >= 2, lines  # the justified lines of the paragraphs
    wanted, other = (flush_left, flush_right) if lang == "en" else (flush_right, flush_left)
    assert len(wanted) >= 4, (wanted, other)
    assert len(other) <= 1, (wanted, other)  # the code block


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_books_are_bound_on_the_right(test_books, lang) -> None:
    """The gutter (the wider margin) of a recto is on its right, and the booklet's first
    sheet has page 1 on its left half."""
    root = test_books("languages")
    path = pdf(root, lang)
    width = 419.53  # A5
    page = chapter_page(path, {"ar": "الفصل", "he": "פרק"}[lang])
    assert page % 2 == 1  # a recto
    boxes = [box for lines in line_boxes(path, page) for box in lines]
    left_margin = min(a for a, _ in boxes)
    right_margin = width - max(b for _, b in boxes)
    assert right_margin > left_margin + 10, (left_margin, right_margin)
    booklet = root / "build" / f"{SLUG}-{lang}-booklet.pdf"
    sheet = subprocess.run(
        [
            "pdftotext",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "420",
            "-H",
            "600",
            str(booklet),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    title = {"ar": "أفران شنهو", "he": "הכבשנים של שנחואו"}[lang]
    assert title.split()[0] in sheet, sheet


# ---------------------------------------------------------------- check, per edition


@pytest.mark.epubcheck
@pytest.mark.ace
def test_pubtool_check_passes_every_edition(test_books) -> None:
    """EPUBCheck (no message), Ace (no violation), the links, the PDF's fonts and
    characters and its direction: for all ten editions, nothing skipped."""
    root = test_books("languages")
    result = run_pubtool("check", cwd=root)
    assert result.code == 0, result.stdout[-3000:]
    assert "pubtool check: 0 error(s), 0 warning(s)" in result.stdout, result.stdout[-3000:]
    for lang in DECLARED:
        for step in ("EPUBCheck", "Ace", "links", "PDF"):
            assert f"done: {step} {lang}" in result.stderr, (step, lang)


def test_check_finds_a_right_to_left_epub_that_runs_left_to_right(test_books, tmp_path) -> None:
    """DIR001 is not vacuous: an Arabic EPUB whose chapter lost its dir is an error."""
    from pubtool import checks
    from pubtool.errors import Report
    from pubtool.pipeline import prepare_edition
    from pubtool.project import Project

    root = test_books("languages")
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub(root, "ar")) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "EPUB/ch-01-kilns.xhtml":
                data = data.replace(b' dir="rtl"', b"", 1)
            if item.filename == "EPUB/content.opf":
                data = data.replace(b' page-progression-direction="rtl"', b"")
            target.writestr(item, data)
    report = Report()
    book = prepare_edition(Project.at(root), "ar", Report()).book
    checks.epub_package(broken, book, report)
    found = [d for d in report.diagnostics if d.code == "DIR001"]
    assert len(found) == 2, [d.message for d in report.diagnostics]
    assert any("ch-01-kilns.xhtml runs ltr, not rtl" in d.message for d in found)


# ---------------------------------------------------------------- written in Chinese


def test_a_book_written_in_chinese_is_chinese_throughout(test_books) -> None:
    root = test_books("bash-tutorial")
    built = root / "build" / "bash-zh.epub"
    documents = epub_documents(built)
    chapters = [
        documents[f"EPUB/ch-0{n}-{name}.xhtml"]
        for n, name in ((1, "intro"), (2, "quotation"), (3, "variable"))
    ]
    labels = [text_of(doc.find(".//h:p[@class='chapter-number']", NS)) for doc in chapters]
    assert labels == ["第一章", "第二章", "第三章"]
    nav = documents["EPUB/nav.xhtml"]
    assert text_of(nav.find(".//h:nav[@epub:type='toc']/h:h1", NS)).strip() == "目录"
    every = " ".join(text_of(doc) for doc in documents.values())
    for english in ("Contents", "Chapter", "edition", "Cover"):
        assert english not in every, english
    # section ids in the heading's own words, never a position
    ids = [h.get("id") for doc in chapters for h in doc.iterfind(".//h:h2", NS)]
    assert "转义" in ids and "单引号" in ids
    assert not [i for i in ids if re.fullmatch(r"(sec-)?section(-\d+)?", i)]
    assert len(set(ids)) == len(ids)


def test_hard_wrapped_chinese_gains_no_spaces(test_books) -> None:
    """The written-in-Chinese book's paragraphs are hard-wrapped between hanzi: the
    joined lines have no space there, in the EPUB and in the PDF; a line break between a
    hanzi and a Latin word is still a space."""
    root = test_books("written-in-chinese")
    doc = epub_documents(root / "build" / "book-zh.epub")["EPUB/ch-01-huo.xhtml"]
    paragraphs = [text_of(p) for p in doc.iterfind(".//h:section/h:p", NS)]
    joined = "\n".join(paragraphs)
    assert "来判断温度。火色发白" in joined
    assert not re.search(r"[\u4e00-\u9fff，。；：] [\u4e00-\u9fff，。；：]", joined), joined
    text = subprocess.run(
        ["pdftotext", str(root / "build" / "book-zh.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "判断温度。火色发白" in re.sub(r"\s+", "", text)
    # (the chapter's label, 第一章, is letter-spaced: pdftotext spaces it out)
    label = re.compile(r"第\s*\S\s*章")
    lines = [line for line in text.splitlines() if not label.fullmatch(line.strip())]
    assert not re.search(r"[\u4e00-\u9fff，。] [\u4e00-\u9fff，。]", "\n".join(lines))


def test_code_of_a_chinese_book_is_monospaced(test_books) -> None:
    """Code blocks (with hanzi in them) are drawn in monospace faces in print: DejaVu Sans
    Mono for the Latin letters, Noto Sans Mono CJK SC for the hanzi."""
    root = test_books("written-in-chinese")
    faces = [name for name, _, _ in pdffonts(root / "build" / "book-zh.pdf")]
    assert any(face.startswith("DejaVu-Sans-Mono") for face in faces), faces
    assert any(face.startswith("Noto-Sans-Mono-CJK-SC") for face in faces), faces
    code = epub_documents(root / "build" / "book-zh.epub")["EPUB/ch-01-huo.xhtml"].find(
        ".//h:pre/h:code", NS
    )
    assert "第{hour}小时" in text_of(code)


# ---------------------------------------------------------------- build keeps going


@pytest.mark.slow
def test_build_makes_the_other_outputs_when_one_fails(project) -> None:
    """A character no font has, in the Chinese translation only: the Chinese PDF (and so
    its booklet) fail, each reported; the Chinese EPUB and the English edition are made."""
    root = project()
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace(
        'msgid "First Chapter"\nmsgstr ""', 'msgid "First Chapter"\nmsgstr "第一章\ue000"'
    )
    po.write_text(text, encoding="utf-8")
    line = text.splitlines().index('msgstr "第一章\ue000"') + 1
    result = run_pubtool("build", cwd=root)
    assert result.code == 1
    assert (
        f"locales/zh/LC_MESSAGES/ch-01-first.po:{line}: error: no installed font can draw U+E000"
        in result.stderr
    )
    assert "the booklet of 'zh' was not made: its PDF failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert outputs(root / "build") == [
        "a-test-book-en-booklet.pdf",
        "a-test-book-en.epub",
        "a-test-book-en.pdf",
        "a-test-book-zh.epub",
    ]


# ---------------------------------------------------------------- fonts found for any script


@pytest.mark.slow
def test_any_installed_font_draws_what_the_named_ones_lack(project) -> None:
    """Devanagari, Thai, a tetragram sign and an emoji in an English book: drawn by the
    installed fonts that have them, each used for its characters only."""
    root = project(
        {
            "manuscript/02-b.md": (
                "---\ntitle: B\n---\n\nनमस्ते means hello; สวัสดี too.\n\n"
                "The sign 𝌆 and a bowl 🍜 of noodles.\n"
            )
        }
    )
    result = run_pubtool("pdf", "--lang", "en", cwd=root)
    assert result.code == 0, result.stderr
    path = root / "build" / "a-test-book-en.pdf"
    faces = [name for name, _, _ in pdffonts(path)]
    assert any("Devanagari" in face for face in faces), faces
    assert any("Thai" in face for face in faces), faces
    assert any("Emoji" in face for face in faces), faces
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    for word in ("नमस्ते", "สวัสดี", "𝌆"):
        assert word in text, word


# ---------------------------------------------------------------- PDF003, per cut


def pdf_findings(root: Path, lang: str | None) -> list[str]:
    from pubtool import checks
    from pubtool.errors import Report
    from pubtool.pipeline import prepare_edition
    from pubtool.project import Project

    book = prepare_edition(Project.at(root), lang, Report()).book
    report = Report()
    slug = "a-test-book"
    checks.pdf(root / "build" / f"{slug}-{lang or 'en'}.pdf", book, report)
    return [f"{d.code}: {d.message}" for d in report.diagnostics]


@pytest.mark.slow
@pytest.mark.parametrize("cut", ["SC", "TC"])
def test_a_japanese_edition_in_chinese_faces_is_found(project, cut) -> None:
    """Set in Simplified Chinese faces (those of the glossary's hanzi), the Japanese
    edition has no Japanese face; set in Traditional ones, it has a face of another cut."""
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML.replace("languages: [zh]", "languages: [ja]")
            + f"fonts:\n  japanese:\n    body: [Noto Serif CJK {cut}]\n"
            f"    heading: [Noto Sans CJK {cut}]\n"
        }
    )
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    assert run_pubtool("pdf", "--lang", "ja", cwd=root).code == 0
    findings = pdf_findings(root, "ja")
    assert "PDF003: no japanese face in a-test-book-ja.pdf: the 日本語 text is set in another" in (
        findings
    )
    other = [f for f in findings if f.startswith("PDF003: 日本語 text is set in")]
    if cut == "TC":
        assert other and all("CJK-TC" in f for f in other), findings
    else:
        assert not other, findings


@pytest.mark.slow
def test_japanese_code_in_an_english_edition_is_rightly_japanese(project) -> None:
    """A CJK face is a fallback in an English edition: a Japanese string in a code block
    is drawn in the JP monospace face, and that is no error."""
    root = project(
        {
            "manuscript/02-b.md": (
                "---\ntitle: B\n---\n\nA log line:\n\n```text\nエラー: ファイルがありません\n```\n"
            )
        }
    )
    assert run_pubtool("pdf", "--lang", "en", cwd=root).code == 0
    faces = [name for name, _, _ in pdffonts(root / "build" / "a-test-book-en.pdf")]
    assert any("Mono-CJK" in face for face in faces), faces
    assert not [f for f in pdf_findings(root, None) if f.startswith("PDF003")]
