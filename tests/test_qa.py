"""`pubtool i18n check`: a catalog with one planted defect per check, and clean
translations beside them: exactly those findings, each at the line of its msgstr, none
at the clean ones; a translator's comment silences one; JSON for tools."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_pubtool
from i18n_helpers import fill

PARAGRAPHS = {
    "clean": "The kiln at {term}`jun-ci` fires for 3 days.[^a]",
    "footnote": "A glaze of copper and iron.[^b]",
    "term": "Only {term}`yao-bian` explains it.",
    "link": "Read [the article](https://en.wikipedia.org/wiki/Jun_ware) first.",
    "localized": "See [the page](https://en.wikipedia.org/wiki/Ru_ware) too.",
    "emphasis": "The potters say *one colour in, ten thousand out*.",
    "unbalanced": "Its taste is **numbing** and hot.",
    "number": "The city was founded in 1957 by miners.",
    "spelled": "It has 12 old kilns.",
    "punct": "Lushan, Ruzhou and Jiaxian have kilns of their own.",
    "bracket": "The town (Shenhou) lies to the north.",
    "identical": "Jun ware glazes run thick and blue.",
    "ignored": "Production doubled in the 1980s after the reforms.",
}
TRANSLATED = {
    "clean": "{term}`jun-ci`的窑要烧3天。[^a]",
    "footnote": "铜与铁的釉。",  # the call [^b] is dropped
    "term": "只有{term}`jun-ci`能解释它。",  # another term
    "link": "先读[这篇文章](https://example.org/other)。",
    "localized": "另见[该页](https://zh.wikipedia.org/wiki/Ru_ware)。",
    "emphasis": "陶工们说，入窑一色，出窑万彩。",  # the emphasis is gone
    "unbalanced": "它的味道**麻*而辣。",
    "number": "这座城市由矿工建立。",
    "spelled": "它有十二座老窑。",  # 12 in words (CLDR): fine
    "punct": "鲁山,汝州和郏县都有自己的窑口。",  # an ASCII comma between hanzi
    "bracket": "神垕镇（在北边。",
    "identical": "Jun ware glazes run thick and blue.",
    "ignored": "改革之后，八十年代产量翻了一番。",
}
EXPECTED = {
    "footnote": ("qa-footnote", "error"),
    "term": ("qa-term", "warning"),
    "link": ("qa-link", "warning"),
    "emphasis": ("qa-markup", "warning"),
    "unbalanced": ("qa-markup", "warning"),
    "number": ("qa-number", "warning"),
    "punct": ("qa-punct", "warning"),
    "bracket": ("qa-punct", "warning"),
    "identical": ("qa-identical", "warning"),
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
    assert len(rows) == len(EXPECTED)  # one each: the clean, spelled, localized, ignored none


def test_the_text_report_and_pubtool_check(project) -> None:
    root, po = planted(project)
    result = run_pubtool("i18n", "check", cwd=root)
    assert result.code == 1
    line = msgstr_line(po, "footnote")
    assert (
        f"locales/zh/LC_MESSAGES/ch-01-first.po:{line}: error: the translation's footnote "
        "calls differ from the source: drops [^2] [qa-footnote]" in result.stderr
    )
    assert "pubtool i18n check: 1 error(s), 8 warning(s)" in result.stdout
    check = run_pubtool("check", cwd=root)
    assert "[qa-footnote]" in check.stdout and check.code == 1


def test_a_clean_catalog_passes_strict(project) -> None:
    root, po = planted(project)
    fill(po, {PARAGRAPHS[key]: "" for key in EXPECTED})  # only the clean ones are left
    result = run_pubtool("i18n", "check", "--strict", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    assert "pubtool i18n check: 0 error(s), 0 warning(s)" in result.stdout
