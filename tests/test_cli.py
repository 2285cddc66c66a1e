"""The command line: project folder, output path, help and version."""

from __future__ import annotations

import zipfile

from conftest import run_pubtool


def test_project_option_and_default_output(project, tmp_path) -> None:
    root = project()
    result = run_pubtool("epub", "--project", str(root), cwd=tmp_path)
    assert result.code == 0, result.stderr
    target = root / "build" / "a-test-book-en.epub"
    assert zipfile.is_zipfile(target)
    assert "a-test-book-en.epub" in result.stdout


def test_output_option(project, tmp_path) -> None:
    root = project()
    out = tmp_path / "elsewhere" / "mine.epub"
    result = run_pubtool("epub", "-o", str(out), cwd=root)
    assert result.code == 0, result.stderr
    assert zipfile.is_zipfile(out) and not (root / "build").exists()


def test_same_sources_give_the_same_bytes(project, tmp_path) -> None:
    root = project()
    first, second = tmp_path / "1.epub", tmp_path / "2.epub"
    assert run_pubtool("epub", "-o", str(first), cwd=root).code == 0
    assert run_pubtool("epub", "-o", str(second), cwd=root).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_help_and_version() -> None:
    assert "epub" in run_pubtool("--help").stdout
    assert run_pubtool("--version").stdout.startswith("pubtool, version ")
