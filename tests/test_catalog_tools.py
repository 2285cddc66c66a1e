"""Catalogs as translators' tools leave them: a byte order mark, the header fields
Poedit and Weblate write, the `.mo` that carries the header, `#|` across edits as GNU
msgmerge keeps it, and `extract` telling what it removed."""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import NS, epub_documents, run_pubtool
from i18n_helpers import entries, fill

CHAPTER = """\
---
title: First Chapter
---

The glaze shows {term}`yao-bian` on {term}`jun-ci`, and {term}`yao-bian` again.

Kilns fire for days on end.
"""

#: The header Poedit 3.4 writes into a catalog it saved (its own fields after gettext's).
POEDIT_FIELDS = (
    '"X-Generator: Poedit 3.4.2\\n"\n'
    '"X-Poedit-Bookmarks: -1,-1,-1,-1,-1,-1,-1,-1,-1,-1\\n"\n'
    '"X-Poedit-SourceCharset: UTF-8\\n"\n'
)


def catalog(root: Path, domain: str, lang: str = "zh") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def updated(project) -> Path:
    root = project({"manuscript/01-first.md": CHAPTER})
    result = run_pubtool("i18n", "update", cwd=root)
    assert result.code == 0, result.stderr
    return root


def as_poedit_saves(po: Path) -> None:
    """Add Poedit's header fields and write the file as Poedit on Windows may: CRLF."""
    text = po.read_text(encoding="utf-8")
    text = text.replace('"Generated-By:', POEDIT_FIELDS + '"Generated-By:', 1)
    po.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))


def test_a_catalog_with_a_byte_order_mark_is_read_and_written_without_it(project) -> None:
    root = updated(project)
    po = catalog(root, "ch-01-first")
    fill(po, {"First Chapter": "第一章的标题", "Kilns fire for days on end.": "窑火一烧数日。"})
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes())
    stats = run_pubtool("i18n", "stats", cwd=root)
    assert stats.code == 0, stats.stderr
    assert "locales/zh/LC_MESSAGES/ch-01-first.po:1: warning: the catalog starts with a byte" in (
        stats.stderr
    )
    assert "po-syntax" not in stats.stderr
    row = next(line for line in stats.stdout.splitlines() if "ch-01-first" in line)
    assert row.split()[1:4] == ["2", "0", "1"]  # not 0 %: the entries were read
    epub = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert epub.code == 0 and "Traceback" not in epub.stderr
    doc = epub_documents(root / "build" / "a-test-book-zh.epub")["EPUB/ch-01-first.xhtml"]
    assert "窑火一烧数日。" in "".join(doc.find(".//h:body", NS).itertext())
    update = run_pubtool("i18n", "update", cwd=root)
    assert update.code == 0, update.stderr
    assert "Traceback" not in update.stderr and "[po-bom]" in update.stderr
    assert not po.read_bytes().startswith(b"\xef\xbb\xbf")
    assert entries(po)["Kilns fire for days on end."] == ("窑火一烧数日。", False, False)


def test_update_keeps_the_header_a_tool_wrote_and_compile_carries_it(project) -> None:
    root = updated(project)
    po = catalog(root, "ch-01-first")
    fill(po, {"First Chapter": "第一章的标题"})
    as_poedit_saves(po)
    (root / "manuscript" / "01-first.md").write_text(CHAPTER + "\nA new paragraph.\n")
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    text = po.read_text(encoding="utf-8")
    assert POEDIT_FIELDS in text.replace("\r\n", "\n")
    assert "A new paragraph." in text
    assert entries(po)["First Chapter"] == ("第一章的标题", False, False)
    assert run_pubtool("i18n", "compile", cwd=root).code == 0
    with po.with_suffix(".mo").open("rb") as mo:
        info = gettext.GNUTranslations(mo).info()
    assert info["x-generator"] == "Poedit 3.4.2"
    assert info["x-poedit-sourcecharset"] == "UTF-8"
    assert info["pot-creation-date"] == header_field(po, "POT-Creation-Date")  # not "now"
    assert info["project-id-version"] == header_field(po, "Project-Id-Version")


def header_field(po: Path, name: str) -> str:
    line = next(line for line in po.read_text(encoding="utf-8").splitlines() if f'"{name}:' in line)
    return line.split(":", 1)[1].strip().removesuffix('\\n"').strip()


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed")
def test_a_fuzzy_entry_edited_again_keeps_the_text_it_was_translated_from(project) -> None:
    """As ``msgmerge --previous`` does: after two edits, ``#|`` is still the text the
    translation was made from, not the one in between."""
    root = updated(project)
    po = catalog(root, "ch-01-first")
    fill(po, {"Kilns fire for days on end.": "窑火一烧数日。"})
    chapter = root / "manuscript" / "01-first.md"
    reference = po.with_name("reference.po")
    shutil.copy(po, reference)
    for edited in ("Kilns fire for days and days on end.", "Kilns fire for many days on end."):
        chapter.write_text(CHAPTER.replace("Kilns fire for days on end.", edited))
        assert run_pubtool("i18n", "update", cwd=root).code == 0
        subprocess.run(
            [
                "msgmerge",
                "-q",
                "--previous",
                "-U",
                "--backup=off",
                str(reference),
                str(root / "locales" / "ch-01-first.pot"),
            ],
            check=True,
        )
    ours = entries(po)["Kilns fire for many days on end."]
    assert ours == ("窑火一烧数日。", True, False)
    expected = '#| msgid "Kilns fire for days on end."\nmsgid "Kilns fire for many days on end."'
    assert expected in po.read_text(encoding="utf-8")
    assert expected in reference.read_text(encoding="utf-8")  # what msgmerge keeps
    reference.unlink()


def test_extract_says_which_template_it_removed(project) -> None:
    root = project(
        {
            "manuscript/01-first.md": CHAPTER,
            "manuscript/02-second.md": CHAPTER.replace("First", "Second"),
        }
    )
    assert run_pubtool("i18n", "extract", cwd=root).code == 0
    (root / "manuscript" / "02-second.md").unlink()
    result = run_pubtool("i18n", "extract", cwd=root)
    assert result.code == 0, result.stderr
    assert "removed locales/ch-02-second.pot" in result.stdout
    assert "wrote locales/ch-02-second.pot" not in result.stdout
    assert not (root / "locales" / "ch-02-second.pot").exists()


LONG = (
    "Kilns fire for days on end, and the potters wait beside them through the night, "
    "feeding the fire with wood and watching the colour of the flame."
)


def saved_by_poedit(po: Path) -> None:
    """As Poedit 3.4 saves a catalog: long strings wrapped at 79 columns after an empty
    first line, its header fields, CRLF line ends."""
    catalog = read_po(io.BytesIO(po.read_bytes()))
    message = catalog.get(LONG)
    assert message is not None
    message.string = "窑火一烧就是好几天，陶工们整夜守在窑旁，添柴看火，留心火焰的颜色。"
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79)
    po.write_bytes(buffer.getvalue())
    as_poedit_saves(po)


def saved_by_translate_toolkit(po: Path) -> None:
    """Loaded and saved by translate-toolkit's own PO store, as its tools (pomerge,
    pofilter, po2po) write catalogs: its wrapping, its header order."""
    from translate.storage import pypo

    store = pypo.pofile.parsefile(str(po))
    for unit in store.units:
        if unit.source == LONG:
            unit.target = "窑火一烧就是好几天，陶工们整夜守在窑旁，添柴看火，留心火焰的颜色。"
    po.write_bytes(bytes(store))


@pytest.mark.parametrize("tool", [saved_by_poedit, saved_by_translate_toolkit])
def test_a_catalog_a_tool_saved_goes_through_stats_update_and_a_build(project, tool) -> None:
    root = project({"manuscript/01-first.md": CHAPTER + f"\n{LONG}\n"})
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = catalog(root, "ch-01-first")
    fill(po, {"First Chapter": "第一章的标题", "Kilns fire for days on end.": "窑火一烧数日。"})
    tool(po)
    before = entries(po)
    assert before[LONG][0].startswith("窑火一烧就是好几天")
    stats = run_pubtool("i18n", "stats", "--lang", "zh", cwd=root)
    assert stats.code == 0, stats.stderr
    row = next(line for line in stats.stdout.splitlines() if "ch-01-first" in line)
    assert row.split()[1:4] == ["3", "0", "1"]  # the glaze paragraph is left
    epub = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert epub.code == 0 and "Traceback" not in epub.stderr, epub.stderr
    doc = epub_documents(root / "build" / "a-test-book-zh.epub")["EPUB/ch-01-first.xhtml"]
    body = "".join(doc.find(".//h:body", NS).itertext())
    assert "窑火一烧就是好几天" in body and "窑火一烧数日。" in body
    update = run_pubtool("i18n", "update", cwd=root)
    assert update.code == 0 and "Traceback" not in update.stderr, update.stderr
    assert entries(po) == before  # every translation and flag as the tool left them
