"""Property: any chapter text builds an EPUB of well-formed, well-linked XHTML, or fails
with a user error (never a crash). Bounded examples; a failure's seed is printed by
hypothesis and belongs in tests/corpus/ as a case of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import run_pubtool, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubtool import xhtml
from pubtool.errors import PubtoolError, Report
from pubtool.pipeline import Options, build_epub
from pubtool.project import Project

MARKDOWN_BITS = [
    "*",
    "**",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&",
    "#",
    "-",
    "1.",
    "|",
    "\\",
    "~~",
    "{term}`yao-bian`",
    "{term}`x <jun-ci>`",
    "[^1]",
    "\n",
    "\n\n",
    "  \n",
    "> ",
    "    ",
    "<span>",
    "</span>",
    "<b>",
    "<script>",
    "&amp;",
    "&#0;",
    "窑变",
    "\u200f",
    "\ufffe",
    "![a](b.png)",
    "https://example.org",
    "<!-- -->",
    "---",
    "\r\n",
    "\t",
    "\x0b",
]
chapter_text = st.lists(
    st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=8)), max_size=40
).map("".join)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=chapter_text)
def test_any_chapter_builds_or_fails_cleanly(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), {})
        (root / "manuscript" / "02-fuzz.md").write_text(
            f"---\ntitle: Fuzz\n---\n\n{body}\n", encoding="utf-8", errors="surrogatepass"
        )
        target = root / "out.epub"
        try:
            build_epub(Options(Project.at(root), output=target), Report())
        except PubtoolError:
            assert not target.exists()
            return
        with zipfile.ZipFile(target) as archive:
            documents = {
                n.removeprefix("EPUB/"): archive.read(n)
                for n in archive.namelist()
                if n.endswith(".xhtml")
            }
        for content in documents.values():
            assert xhtml.check_well_formed(content) is None
        assert xhtml.broken_links(documents) == []


def test_two_builds_at_once_do_not_corrupt_each_other(project) -> None:
    root = project()
    command = [sys.executable, "-m", "pubtool", "epub"]
    runs = [
        subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    assert [run.wait() for run in runs] == [0, 0, 0]
    files = [p for p in (root / "build").rglob("*") if p.is_file()]
    assert [p for p in files if p.suffix == ".tmp"] == []  # no temporary files left
    assert len(list((root / "build" / ".pubtool-raster").glob("*.png"))) == 1  # one cover
    (epub,) = (root / "build").glob("*.epub")
    with zipfile.ZipFile(epub) as archive:
        assert archive.testzip() is None


@pytest.mark.slow
def test_interrupted_build_keeps_the_previous_edition(project) -> None:
    root = project()
    assert run_pubtool("build", "--lang", "en", "-q", cwd=root).code == 0
    build = root / "build"
    before = {p.name: p.read_bytes() for p in build.iterdir() if p.is_file()}
    (root / "manuscript" / "02-b.md").write_text("---\ntitle: B\n---\n\n" + "Text. " * 60000)
    run = subprocess.Popen(
        [sys.executable, "-m", "pubtool", "build", "--lang", "en", "-v"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's job is
    )
    assert run.stderr is not None
    for line in run.stderr:  # the build's own progress: the long chapter is laid out now
        if line.startswith("pubtool: en: PDF working"):
            break
    else:
        raise AssertionError("the build never began its PDF")
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C, as a terminal sends it to the whole job
    _, stderr = run.communicate()
    assert run.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    after = {p.name: p.read_bytes() for p in build.iterdir() if p.is_file()}
    assert after == before  # every edition as it was, and no temporary file left
