"""`pubtool build`: every edition in parallel, and only what changed is written again."""

from __future__ import annotations

import re

from conftest import run_pubtool
from i18n_helpers import fill

from pubtool.cli import PDF_VARIANTS, SHEET_NAMES


def written(output: str) -> set[str]:
    return set(re.findall(r"^wrote build/(\S+)", output, re.M))


def test_only_what_changed_is_built_again(project) -> None:
    root = project()
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
    fill(po, {"First Chapter": "第一章"})
    first = run_pubtool("build", cwd=root)
    assert first.code == 0, first.stderr
    assert written(first.stdout) == {
        f"a-test-book-{lang}{suffix}"
        for lang in ("en", "zh")
        for suffix in (".epub", ".pdf", "-booklet.pdf")
    }
    assert "building en, zh in 2 process(es)" in first.stderr
    again = run_pubtool("build", cwd=root)
    assert again.stdout.strip() == "pubtool: every edition is up to date"

    # reflowing a paragraph changes no edition
    chapter = root / "manuscript" / "01-first.md"
    chapter.write_text(chapter.read_text().replace(" on {term}", "\non {term}"))
    reflowed = run_pubtool("build", cwd=root)
    assert written(reflowed.stdout) == set() and reflowed.stdout.count("unchanged") == 6

    # a translation touches only the Chinese editions
    fill(po, {"First Chapter": "第一章：开篇"})
    translated = run_pubtool("build", cwd=root)
    assert written(translated.stdout) == {
        "a-test-book-zh.epub",
        "a-test-book-zh.pdf",
        "a-test-book-zh-booklet.pdf",
    }

    # the English title is a msgid: its change reaches both languages
    chapter.write_text(chapter.read_text().replace("title: First Chapter", "title: The First"))
    edited = run_pubtool("build", cwd=root)
    assert len(written(edited.stdout)) == 6


def test_build_reports_problems_and_fails(project) -> None:
    root = project({"manuscript/02-b.md": "---\ntitle: B\n---\n\n{term}`nope`\n"})
    result = run_pubtool("build", "--lang", "en", cwd=root)
    assert result.code == 1
    assert "manuscript/02-b.md:5: error: unknown term id 'nope'" in result.stderr


def test_option_lists_match_the_libraries() -> None:
    import weasyprint.pdf

    from pubtool.impose import SHEETS

    assert tuple(SHEETS) == SHEET_NAMES
    assert set(PDF_VARIANTS) - {"none"} <= set(weasyprint.pdf.VARIANTS)
