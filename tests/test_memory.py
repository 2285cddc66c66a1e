"""Translation memory in `pubtool i18n update`, as `msgmerge -C` gives it: a paragraph
moved to another chapter keeps its translation, a renamed chapter's catalog is carried
over (and said so), an orphan catalog is reported, another book's catalog is reused with
`--compendium`, and a close match comes as fuzzy with its `#|`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_pubtool
from i18n_helpers import entries, fill

MOVED = "Kilns fire for days on end, and the potters wait."
FIRST = f"""\
---
title: First Chapter
---

The glaze shows {{term}}`yao-bian` on {{term}}`jun-ci`, and {{term}}`yao-bian` again.

{MOVED}
"""
SECOND = """\
---
title: Second Chapter
---

The second chapter has a paragraph of its own.
"""


def catalog(root: Path, domain: str) -> Path:
    return root / "locales" / "zh" / "LC_MESSAGES" / f"{domain}.po"


def two_chapters(project) -> Path:
    root = project({"manuscript/01-first.md": FIRST, "manuscript/02-second.md": SECOND})
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    fill(catalog(root, "ch-01-first"), {MOVED: "窑火一烧数日，陶工们等待着。"})
    fill(catalog(root, "ch-02-second"), {"Second Chapter": "第二章"})
    return root


def test_a_paragraph_moved_to_another_chapter_keeps_its_translation(project) -> None:
    root = two_chapters(project)
    (root / "manuscript" / "01-first.md").write_text(FIRST.replace(MOVED, ""))
    (root / "manuscript" / "02-second.md").write_text(SECOND + f"\n{MOVED}\n")
    result = run_pubtool("i18n", "update", cwd=root)
    assert result.code == 0, result.stderr
    assert entries(catalog(root, "ch-02-second"))[MOVED] == (
        "窑火一烧数日，陶工们等待着。",
        False,
        False,
    )
    assert entries(catalog(root, "ch-01-first"))[MOVED][2] is True  # obsolete there, kept
    # the moved paragraph; and, as msgmerge -C would, "First Chapter" gets "Second
    # Chapter"'s translation as a fuzzy one (a translator sees it, no edition shows it)
    assert "note: 1 translation(s) of 'zh' reused from other catalogs, and 1 close" in (
        result.stderr
    )
    assert entries(catalog(root, "ch-01-first"))["First Chapter"] == ("第二章", True, False)


def test_an_exact_match_elsewhere_beats_a_close_one_here(project) -> None:
    """A paragraph moved into a chapter from which a similar one was just removed takes
    its own translation from the other chapter (exact), as msgmerge prefers an exact
    match anywhere to a close one; the removed one's translation stays, obsolete."""
    similar = "Kilns fire for days on end, and the potters wait for rain."
    root = project(
        {"manuscript/01-first.md": FIRST, "manuscript/02-second.md": SECOND + f"\n{similar}\n"}
    )
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    fill(catalog(root, "ch-01-first"), {MOVED: "窑火一烧数日，陶工们等待着。"})
    fill(catalog(root, "ch-02-second"), {similar: "窑火一烧数日，陶工们等着下雨。"})
    (root / "manuscript" / "01-first.md").write_text(FIRST.replace(MOVED, similar))
    (root / "manuscript" / "02-second.md").write_text(SECOND)
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    found = entries(catalog(root, "ch-01-first"))
    assert found[similar] == ("窑火一烧数日，陶工们等着下雨。", False, False)
    assert found[MOVED] == ("窑火一烧数日，陶工们等待着。", False, True)


def test_a_returning_message_leaves_no_obsolete_twin(project) -> None:
    """An untranslated paragraph that goes, then comes back translated elsewhere, is one
    active entry, not an active one and an empty obsolete one of the same msgid."""
    root = two_chapters(project)
    (root / "manuscript" / "02-second.md").write_text(SECOND + f"\n{MOVED}\n")
    assert run_pubtool("i18n", "update", cwd=root).code == 0  # translated from the first
    po = catalog(root, "ch-02-second")
    fill(po, {MOVED: ""})  # say the translator cleared it here
    (root / "manuscript" / "02-second.md").write_text(SECOND)
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    assert entries(po)[MOVED] == ("", False, True)
    (root / "manuscript" / "02-second.md").write_text(SECOND + f"\n{MOVED}\n")
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    assert po.read_text("utf-8").count(f'msgid "{MOVED}"') == 1
    assert entries(po)[MOVED] == ("窑火一烧数日，陶工们等待着。", False, False)


def test_an_obsolete_fuzzy_entry_stays_fuzzy(project) -> None:
    """Babel writes no flags for obsolete entries: a fuzzy translation whose paragraph
    goes away, then comes back, must come back fuzzy, not as a finished translation."""
    root = two_chapters(project)
    po = catalog(root, "ch-01-first")
    edited = MOVED.replace("wait", "sleep")
    translated = "窑火一烧数日，陶工们等待着。"

    def update_with(paragraph: str) -> None:
        (root / "manuscript" / "01-first.md").write_text(FIRST.replace(MOVED, paragraph))
        assert run_pubtool("i18n", "update", cwd=root).code == 0

    update_with(edited)
    assert entries(po)[edited] == (translated, True, False)
    update_with("")
    assert f'#, fuzzy\n#| msgid "{MOVED}"\n#~ msgid "{edited}"' in po.read_text("utf-8")
    assert entries(po)[edited] == (translated, True, True)
    update_with(edited)
    assert entries(po)[edited] == (translated, True, False)


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed")
def test_the_same_as_msgmerge_with_a_compendium(project, tmp_path: Path) -> None:
    """The moved paragraph, merged by GNU msgmerge with the old catalog as compendium,
    gets the same translation."""
    root = two_chapters(project)
    old = tmp_path / "old.po"
    shutil.copy(catalog(root, "ch-01-first"), old)
    (root / "manuscript" / "02-second.md").write_text(SECOND + f"\n{MOVED}\n")
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    reference = tmp_path / "reference.po"
    shutil.copy(catalog(root, "ch-02-second"), reference)
    fill(reference, {MOVED: ""})
    subprocess.run(
        [
            "msgmerge",
            "-q",
            "-C",
            str(old),
            "-o",
            str(reference),
            str(reference),
            str(root / "locales" / "ch-02-second.pot"),
        ],
        check=True,
    )
    assert entries(reference)[MOVED] == entries(catalog(root, "ch-02-second"))[MOVED]


def test_a_renamed_chapter_is_carried_over_and_said_so(project) -> None:
    root = two_chapters(project)
    (root / "manuscript" / "02-second.md").rename(root / "manuscript" / "02-the-second.md")
    result = run_pubtool("i18n", "update", cwd=root)
    assert result.code == 0, result.stderr
    assert entries(catalog(root, "ch-02-the-second"))["Second Chapter"] == ("第二章", False, False)
    assert (
        "locales/zh/LC_MESSAGES/ch-02-second.po: warning: locales/zh/LC_MESSAGES/ch-02-second.po "
        "belongs to no chapter: its chapter seems renamed to 'ch-02-the-second'" in result.stderr
    )
    assert catalog(root, "ch-02-second").exists()  # never deleted


def test_an_orphan_catalog_is_reported(project) -> None:
    root = two_chapters(project)
    (root / "manuscript" / "02-second.md").unlink()
    result = run_pubtool("i18n", "update", cwd=root)
    assert result.code == 0, result.stderr
    assert "ch-02-second.po belongs to no chapter of the book (1 translations)" in result.stderr
    assert "[catalog-orphan]" in result.stderr


def test_another_book_is_a_compendium_and_a_close_text_comes_fuzzy(project, tmp_path) -> None:
    other = two_chapters(project)
    compendium = tmp_path / "other-book.po"
    shutil.copy(catalog(other, "ch-01-first"), compendium)
    shutil.rmtree(other / "locales")
    changed = MOVED.replace("the potters wait", "the potters wait patiently")
    (other / "manuscript" / "01-first.md").write_text(FIRST.replace(MOVED, changed))
    result = run_pubtool("i18n", "update", "--compendium", str(compendium), cwd=other)
    assert result.code == 0, result.stderr
    po = catalog(other, "ch-01-first")
    assert entries(po)[changed] == ("窑火一烧数日，陶工们等待着。", True, False)
    assert f'#| msgid "{MOVED}"\nmsgid "{changed}"' in po.read_text(encoding="utf-8")
    assert "and 1 close one(s) marked fuzzy" in result.stderr
