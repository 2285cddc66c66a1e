"""Shared fixtures: small book projects written on the fly, the sample book, and the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
NODE_BIN = REPO / "tests" / "node" / "node_modules" / ".bin"  # Ace, installed by ./dev


def pytest_configure(config: pytest.Config) -> None:
    """Put the pinned Ace by DAISY on PATH, where `pubtool check` looks for it."""
    if NODE_BIN.is_dir():
        os.environ["PATH"] = f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Out of the fast tier: every test that uses the browser (``browser``), and every test
    that reads the sample book's print editions or builds a test book of tests/books, which
    take seconds to lay out (``slow``)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        if "sample_pdfs" in fixtures or "test_books" in fixtures:
            item.add_marker(pytest.mark.slow)


BOOK_YAML = """\
title: A Test Book
language: en
languages: [zh]
authors: [Ada Author]
date: 2026-01-15
identifier: urn:uuid:12345678-1234-5678-1234-567812345678
"""

GLOSSARY_YAML = """\
yao-bian:
  term: Yao Bian
  hanzi: 窑变
  pinyin: yáo biàn
  definition: Kiln *transmutation*.
jun-ci:
  term: Jun Ci
  hanzi: 钧瓷
  pinyin: jūn cí
  definition: Jun porcelain.
"""

CHAPTER = """\
---
title: First Chapter
---

The glaze shows {term}`yao-bian` on {term}`jun-ci`, and {term}`yao-bian` again.
"""


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a book project: the default files, overridden (or removed, with "") by ``files``."""
    defaults: dict[str, str | bytes] = {
        "manuscript/book.yaml": BOOK_YAML,
        "manuscript/glossary.yaml": GLOSSARY_YAML,
        "manuscript/01-first.md": CHAPTER,
    }
    for name, content in {**defaults, **files}.items():
        path = root / name
        if content == "":
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path):
    """A factory: ``project({"manuscript/x.md": "..."})`` writes a small valid project."""

    def make(files: dict[str, str | bytes] | None = None) -> Path:
        return write_project(tmp_path / "book", files or {})

    return make


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_pubtool(*args: str, cwd: Path | None = None) -> Run:
    """Run the real command in a new process, as a user would."""
    done = subprocess.run(
        [sys.executable, "-m", "pubtool", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser is downloaded); skips the test
    where either is missing. The preview and the reading-engine tests share it."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        pytest.skip("this test needs Playwright (Python) and chromium; CI installs both")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's own book project (the sample book)."""
    root = tmp_path_factory.mktemp("sample")
    for name in ("manuscript", "templates", "locales"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    return root


@pytest.fixture(scope="session")
def sample_epub(sample_project: Path) -> Path:
    """The sample book's English EPUB."""
    result = run_pubtool("epub", "--project", str(sample_project))
    assert result.code == 0, result.stderr
    return sample_project / "build" / "coal-clay-and-shadows-en.epub"


@pytest.fixture(scope="session")
def sample_epub_zh(sample_project: Path) -> tuple[Path, str]:
    """The sample book's Chinese EPUB, and what the build printed."""
    result = run_pubtool("epub", "--lang", "zh", "--project", str(sample_project))
    assert result.code == 0, result.stderr
    return sample_project / "build" / "coal-clay-and-shadows-zh.epub", result.stderr


@pytest.fixture(scope="session")
def sample_epub_tw(sample_project: Path) -> tuple[Path, str]:
    """The sample book's Traditional Chinese EPUB for Taiwan (derived from its Simplified
    translation, set vertically), and what the build printed."""
    result = run_pubtool("epub", "--lang", "zh-Hant-TW", "--project", str(sample_project))
    assert result.code == 0, result.stderr
    return sample_project / "build" / "coal-clay-and-shadows-zh-Hant-TW.epub", result.stderr


@pytest.fixture(scope="session")
def sample_pdfs(sample_project: Path) -> dict[str, Path]:
    """The sample book's print editions (and booklets and covers), by language."""
    out = {}
    for lang in ("en", "zh"):
        result = run_pubtool(
            "pdf", "--booklet", "--cover", "--lang", lang, "--project", str(sample_project)
        )
        assert result.code == 0, result.stderr
        out[lang] = sample_project / "build" / f"coal-clay-and-shadows-{lang}.pdf"
    return out


TEST_BOOKS = REPO / "tests" / "books"


@pytest.fixture(scope="session")
def test_books(tmp_path_factory: pytest.TempPathFactory):
    """A factory: ``test_books("languages")`` is a copy of tests/books/languages with
    every edition built (once per session), its build folder holding them."""
    built: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in built:
            root = tmp_path_factory.mktemp(name) / name
            shutil.copytree(TEST_BOOKS / name, root, ignore=shutil.ignore_patterns("build", "*.mo"))
            result = run_pubtool("build", cwd=root)
            assert result.code == 0, result.stderr
            built[name] = root
        return built[name]

    return build


XHTML_NS = "http://www.w3.org/1999/xhtml"
NS = {"h": XHTML_NS, "epub": "http://www.idpf.org/2007/ops"}


def epub_documents(epub: Path) -> dict[str, etree._Element]:
    """Every XHTML document of ``epub``, parsed, by its name in the zip."""
    with zipfile.ZipFile(epub) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }


def epub_file(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name)


def outputs(folder: Path) -> list[str]:
    """The files of a build folder, without pubtool's own caches (.pubtool-*)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".pubtool-"))


GHOSTSCRIPT = (
    "gs",
    "-q",
    "-dNOPAUSE",
    "-dBATCH",
    "-dSAFER",
    "-dPDFSTOPONERROR",
    "-sDEVICE=nullpage",
)


def ghostscript(pdf: Path) -> str:
    """What Ghostscript says when it draws every page of ``pdf`` and stops at the first
    error, as a RIP would: "" for a PDF it draws without a word."""
    done = subprocess.run(
        [*GHOSTSCRIPT, str(pdf)],
        capture_output=True,
        text=True,
        check=False,
    )
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else " (failed)")
