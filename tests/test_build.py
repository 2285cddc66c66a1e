"""`pubtool build`: every edition in parallel, and only what changed is written again."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest
from conftest import run_pubtool
from i18n_helpers import fill

from pubtool.cli import PDF_VARIANTS, SHEET_NAMES


def written(output: str) -> set[str]:
    return set(re.findall(r"^wrote build/(\S+)", output, re.M))


@pytest.mark.slow
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
    assert "pubtool: building en, zh" in first.stderr
    again = run_pubtool("build", cwd=root)
    assert again.stdout.strip() == "pubtool: every edition is up to date"

    # reflowing a paragraph changes no edition
    chapter = root / "manuscript" / "01-first.md"
    chapter.write_text(chapter.read_text().replace(" on {term}", "\non {term}"))
    reflowed = run_pubtool("build", cwd=root)
    assert written(reflowed.stdout) == set()
    assert len(re.findall(r"^unchanged build/", reflowed.stdout, re.M)) == 6

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


def test_progress_in_a_log_is_plain_lines_and_a_summary(project) -> None:
    root = project()
    result = run_pubtool("build", "--lang", "en", cwd=root)
    assert result.code == 0, result.stderr
    assert "\x1b[" not in result.stdout + result.stderr  # no colour or cursor codes in a log
    steps = re.findall(r"^pubtool: en: (\S+) (\w+) \((\d+\.\d) s\)$", result.stderr, re.M)
    assert [(output, state) for output, state, _ in steps] == [
        ("sources", "written"),
        ("PDF", "written"),
        ("booklet", "written"),
        ("EPUB", "written"),
    ]
    sizes = re.findall(r"^wrote build/(\S+) \((\d+) KiB\)$", result.stdout, re.M)
    for name, kib in sizes:
        assert abs((root / "build" / name).stat().st_size / 1024 - int(kib)) <= 1
    assert len(sizes) == 3
    assert re.search(r"^pubtool: 3 written, 0 unchanged in \d+\.\d s$", result.stdout, re.M)


@pytest.mark.slow
def test_quiet_prints_nothing_and_verbose_prints_every_step(project) -> None:
    root = project()
    quiet = run_pubtool("build", "-q", "--lang", "en", cwd=root)
    assert quiet.code == 0 and quiet.stdout == "" and quiet.stderr == ""
    (root / "manuscript" / "01-first.md").write_text(CHANGED)
    verbose = run_pubtool("build", "-v", "--lang", "en", cwd=root)
    assert "pubtool: en: PDF working" in verbose.stderr
    assert "pubtool: en: PDF written" in verbose.stderr


CHANGED = "---\ntitle: First\n---\n\nOther words about {term}`yao-bian`.\n"


def _on_a_terminal(root, env_extra: dict[str, str]) -> str:
    """Run `pubtool build` with stdout and stderr on a pseudo-terminal; return what it drew."""
    main, side = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"TERM": "xterm-256color", "COLUMNS": "100", **env_extra})
    process = subprocess.Popen(
        [sys.executable, "-m", "pubtool", "build", "--lang", "en"],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=side,
        stderr=side,
        env=env,
    )
    os.close(side)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait() == 0
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def _plain(drawn: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn)


def test_progress_on_a_terminal_is_a_live_table_in_colour(project) -> None:
    root = project()
    drawn = _on_a_terminal(root, {})
    assert re.search(r"edition\s+sources\s+PDF\s+booklet\s+EPUB", _plain(drawn))
    assert re.search(r"\x1b\[[0-9;]*3[0-9]m", drawn)  # a foreground colour
    assert "wrote build/a-test-book-en.epub" in drawn


def test_no_color_is_honoured_on_a_terminal(project) -> None:
    root = project()
    drawn = _on_a_terminal(root, {"NO_COLOR": "1"})
    assert re.search(r"edition\s+sources\s+PDF\s+booklet\s+EPUB", _plain(drawn))
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", drawn)
