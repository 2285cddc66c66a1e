"""`pubtool i18n check`: a catalog with one planted defect per check, and clean
translations beside them: exactly those findings, each at the line of its msgstr, none
at the clean ones; a translator's comment silences one; JSON for tools."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BOOK_YAML, run_pubtool
from i18n_helpers import fill

PARAGRAPHS = {
    "clean": "The kiln at {term}`jun-ci` fires for 3 days.[^a]",
    "footnote": "A glaze of copper and iron.[^b]",
    "term": "Only {term}`yao-bian` explains it.",
    "link": "Read [the article](https://en.wikipedia.org/wiki/Jun_ware) first.",
    "localized": "See [the page](https://en.wikipedia.org/wiki/Ru_ware) too.",
    "emphasis": "The potters say **one colour in, ten thousand out**.",
    "italics": "The word *ma* means numbing.",
    "mention": "Yao Bian is the glaze's change in the fire.",
    "named": "The Jun Ci of Shenhou is fired twice.",
    "label": "Only {term}`Jun Ci <jun-ci>` is fired twice.",
    "paraphrase": "It shows {term}`the changing glaze <yao-bian>` at its best.",
    "spacing": "The app is TikTok and the year 1957.",
    "unbalanced": "Its taste is **numbing** and hot.",
    "number": "The city was founded in 1957 by miners.",
    "spelled": "It has 12 old kilns.",
    "decade": "The mines opened in the 1950s.",
    "decade-words": "Coal came in the 1950s.",
    "decade-lost": "It grew in the 1960s.",
    "punct": "Lushan, Ruzhou and Jiaxian have kilns of their own.",
    "bracket": "The town (Shenhou) lies to the north.",
    "identical": "Jun ware glazes run thick and blue.",
    "ignored": "The kiln holds 1,000 bowls.",
}
TRANSLATED = {
    "clean": "{term}`jun-ci`的窑要烧3天。[^a]",
    "footnote": "铜与铁的釉。",  # the call [^b] is dropped
    "term": "只有{term}`jun-ci`能解释它。",  # another term
    "link": "先读[这篇文章](https://example.org/other)。",
    "localized": "另见[该页](https://zh.wikipedia.org/wiki/Ru_ware)。",
    "emphasis": "陶工们说，入窑一色，出窑万彩。",  # the strong span is gone
    "italics": "“麻”的意思是麻木。",  # italics dropped in Chinese: right
    "mention": "这是釉在火中的变化。",  # no 窑变
    "named": "神垕的钧瓷要烧两次。",  # the glossary's hanzi
    "label": "只有{term}`汝窑 <jun-ci>`要烧两次。",  # not the glossary's 钧瓷
    "paraphrase": "它把{term}`变幻的釉色 <yao-bian>`烧到了极致。",  # the source paraphrases too
    "spacing": "这个应用是 TikTok，年份是1957年。",
    "unbalanced": "它的味道**麻*而辣。",
    "number": "这座城市由矿工建立。",
    "spelled": "它有十二座老窑。",  # 12 in words (CLDR): fine
    "decade": "煤矿在20世纪50年代开采。",  # GB/T 15835's way: fine
    "decade-words": "煤在二十世纪五十年代来到这里。",  # in words: fine
    "decade-lost": "它后来发展起来了。",
    "punct": "鲁山,汝州和郏县都有自己的窑口。",  # an ASCII comma between hanzi
    "bracket": "神垕镇（在北边。",
    "identical": "Jun ware glazes run thick and blue.",
    "ignored": "这座窑能装上千只碗。",  # a round number, as Chinese says it
}
EXPECTED = {
    "footnote": ("qa-footnote", "error"),
    "term": ("qa-term", "warning"),
    "link": ("qa-link", "warning"),
    "emphasis": ("qa-markup", "warning"),
    "unbalanced": ("qa-markup", "warning"),
    "number": ("qa-number", "warning"),
    "decade-lost": ("qa-number", "warning"),
    "punct": ("qa-punct", "warning"),
    "bracket": ("qa-punct", "warning"),
    "identical": ("qa-identical", "warning"),
    "mention": ("qa-termbase", "warning"),
    "label": ("qa-termbase", "warning"),
    "spacing": ("qa-spacing", "warning"),
}


def planted(project) -> tuple[Path, Path]:
    body = "\n\n".join(PARAGRAPHS.values())
    chapter = f"---\ntitle: First Chapter\n---\n\n{body}\n\n[^a]: A note.\n\n[^b]: Another note.\n"
    root = project({"manuscript/01-first.md": chapter})
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
    fill(po, {PARAGRAPHS[key]: TRANSLATED[key] for key in PARAGRAPHS})
    text = po.read_text(encoding="utf-8")
    ignored = f'msgid "{PARAGRAPHS["ignored"]}"'
    po.write_text(text.replace(ignored, f"# pubtool: ignore qa-number\n{ignored}"), "utf-8")
    return root, po


def msgstr_line(po: Path, key: str) -> int:
    lines = po.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgid "{PARAGRAPHS[key]}"')
    return next(n for n in range(start, len(lines)) if lines[n].startswith("msgstr")) + 1


def test_each_planted_defect_is_found_at_its_msgstr_and_nothing_else(project) -> None:
    root, po = planted(project)
    result = run_pubtool("i18n", "check", "--format", "json", cwd=root)
    assert result.code == 1, result.stderr  # the dropped footnote is an error
    rows = json.loads(result.stdout)
    by_msgid = {PARAGRAPHS[key]: key for key in PARAGRAPHS}
    found = {by_msgid[row["msgid"]]: row for row in rows}
    assert {key: (row["code"], row["severity"]) for key, row in found.items()} == EXPECTED
    for key, row in found.items():
        assert row["file"] == "locales/zh/LC_MESSAGES/ch-01-first.po"
        assert row["line"] == msgstr_line(po, key), key
    assert len(rows) == len(EXPECTED)  # one each; the clean ones (spelled, italics…) none


def test_the_text_report_and_pubtool_check(project) -> None:
    root, po = planted(project)
    result = run_pubtool("i18n", "check", cwd=root)
    assert result.code == 1
    line = msgstr_line(po, "footnote")
    assert (
        f"locales/zh/LC_MESSAGES/ch-01-first.po:{line}: error: the translation's footnote "
        "calls differ from the source: drops [^2] [qa-footnote]" in result.stderr
    )
    assert "pubtool i18n check: 1 error(s), 12 warning(s)" in result.stdout
    check = run_pubtool("check", cwd=root)
    assert "[qa-footnote]" in check.stdout and check.code == 1


def test_a_clean_catalog_passes_strict(project) -> None:
    root, po = planted(project)
    fill(po, {PARAGRAPHS[key]: "" for key in EXPECTED})  # only the clean ones are left
    result = run_pubtool("i18n", "check", "--strict", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    assert "pubtool i18n check: 0 error(s), 0 warning(s)" in result.stdout


def test_a_translation_far_from_the_usual_length_is_an_outlier(project) -> None:
    sentences = [
        f"The potters of Shenhou fired batch number {n} of their blue glazes in the old kiln."
        for n in range(1, 11)
    ]
    root = project(
        {"manuscript/01-first.md": "---\ntitle: Kilns\n---\n\n" + "\n\n".join(sentences) + "\n"}
    )
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
    usual = {s: f"神垕的陶工在老窑里烧成了第{n}批青蓝色的釉。" for n, s in enumerate(sentences, 1)}
    usual[sentences[6]] = "神垕的陶工第7批。"  # most of the sentence left out
    fill(po, usual)
    rows = json.loads(run_pubtool("i18n", "check", "--format", "json", cwd=root).stdout)
    assert [(row["code"], row["msgid"]) for row in rows] == [("qa-length", sentences[6])]
    ratio = len(usual[sentences[6]]) / len(sentences[6].replace(" ", ""))  # letters
    assert f"is {ratio:.2f} times as long as the source" in rows[0]["message"]


def test_the_termbase_of_a_language_without_hanzi_is_its_book_catalog(project) -> None:
    """In French the approved rendering of a term is its translation in `book.po`."""
    paragraphs = {
        "kept": "Jun Ci is fired twice.",
        "lost": "The best Jun Ci comes from Shenhou.",
        "label": "Only {term}`Jun Ci <jun-ci>` shows it.",
    }
    translated = {
        "kept": "La porcelaine de Jun est cuite deux fois.",  # case does not matter
        "lost": "La meilleure vient de Shenhou.",
        "label": "Seule la {term}`céramique <jun-ci>` le montre.",
    }
    chapter = "---\ntitle: First Chapter\n---\n\n" + "\n\n".join(paragraphs.values()) + "\n"
    book = BOOK_YAML.replace("languages: [zh]", "languages: [fr]")
    root = project({"manuscript/book.yaml": book, "manuscript/01-first.md": chapter})
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    folder = root / "locales" / "fr" / "LC_MESSAGES"
    fill(folder / "book.po", {"Jun Ci": "Porcelaine de Jun"})
    fill(folder / "ch-01-first.po", {paragraphs[k]: translated[k] for k in paragraphs})
    rows = json.loads(run_pubtool("i18n", "check", "--format", "json", cwd=root).stdout)
    found = {(row["code"], row["msgid"]) for row in rows}
    assert found == {("qa-termbase", paragraphs["lost"]), ("qa-termbase", paragraphs["label"])}
    assert any("'Porcelaine de Jun'" in row["message"] for row in rows)
