"""`pubtool serve`: the live preview, run as a user runs it and read in a real browser.

The browser tests drive Debian's chromium through Playwright; they are skipped only when
one of the two is not installed (CI installs both).
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BOOK_YAML, run_pubtool

with contextlib.suppress(
    ImportError
):  # the tests that need no browser still run (the browser fixture skips)
    from playwright.sync_api import Browser, Locator, Page, expect

TIMEOUT = 15_000  # ms; a rebuild and reload take about a second
TRANSPARENT = "rgba(0, 0, 0, 0)"

CHAPTER = """\
---
title: First Chapter
---

The glaze shows {term}`yao-bian` on {term}`jun-ci`, and {term}`yao-bian` again.

Kilns burned coal from the hills.

Potters sold bowls at the market.
"""

# One paragraph translated, one fuzzy (its source changed from "wood" to "coal"), one left out.
ZH_PO = """\
msgid ""
msgstr ""
"Language: zh\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "First Chapter"
msgstr "第一章"

msgid "The glaze shows {term}`yao-bian` on {term}`jun-ci`, and {term}`yao-bian` again."
msgstr "{term}`jun-ci`上的釉呈现{term}`yao-bian`，又见{term}`yao-bian`。"

#, fuzzy
#| msgid "Kilns burned wood from the hills."
msgid "Kilns burned coal from the hills."
msgstr "窑里烧山上的木柴。"
"""
ZH_PO_PATH = "locales/zh/LC_MESSAGES/ch-01-first.po"


def _sigint_as_keyboard_interrupt() -> None:
    # A shell without job control starts background jobs with SIGINT ignored, and Python
    # then never raises KeyboardInterrupt: give the server the Ctrl-C a terminal gives.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Server:
    """`pubtool serve --port 0` in a new process, its stderr read as it comes."""

    def __init__(self, root: Path, *args: str) -> None:
        command = [sys.executable, "-m", "pubtool", "serve", "--project", str(root), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            preexec_fn=_sigint_as_keyboard_interrupt,
        )
        self.lines: list[str] = []
        self.url = ""
        self._announced = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            found = re.fullmatch(r"pubtool: serving (http://\S+/) \(Ctrl-C to stop\)\n", line)
            if found:
                self.url = found[1]
                self._announced.set()
        self._announced.set()  # it ended without serving

    @property
    def stderr(self) -> str:
        return "".join(self.lines)

    def wait_for_url(self) -> str:
        self._announced.wait(60)
        assert self.url, f"no URL on stderr:\n{self.stderr}"
        return self.url

    def stop(self) -> int | None:
        """Ctrl-C, as a user stops it (killed if it does not stop); the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        return self.process.returncode


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    """A factory: ``serve(root)`` starts the preview of ``root``; it is stopped afterwards."""
    servers: list[Server] = []

    def start(root: Path, *args: str) -> Server:
        server = Server(root, *args)
        servers.append(server)
        server.wait_for_url()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    expect.set_options(timeout=TIMEOUT)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def translated_project(project: Callable[..., Path]) -> Path:
    return project({"manuscript/01-first.md": CHAPTER, ZH_PO_PATH: ZH_PO})


def background(locator: Locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def test_page_shows_the_chapter_and_follows_edits(project, serve, page: Page) -> None:
    root = project({"manuscript/01-first.md": CHAPTER})
    server = serve(root)
    assert server.url.startswith("http://127.0.0.1:")
    page.goto(server.url)
    assert page.url == server.url + "en/ch-01-first.xhtml"
    expect(page.locator("h1")).to_have_text("First Chapter")
    chapter = page.locator("section.chapter")
    expect(chapter).to_contain_text("Kilns burned coal from the hills.")
    expect(chapter.locator("a.term").first).to_have_text("Yao Bian")
    page.evaluate("window.openedByTheTest = true")

    (root / "manuscript" / "01-first.md").write_text(
        CHAPTER + "\nSaggars kept the ash off the bowls.\n", encoding="utf-8"
    )
    expect(chapter).to_contain_text("Saggars kept the ash off the bowls.")
    assert page.evaluate("window.openedByTheTest") is None  # a new page: it reloaded itself
    assert page.url == server.url + "en/ch-01-first.xhtml"
    assert not (root / "build").exists()


def test_errors_show_in_the_page_with_their_place_until_fixed(project, serve, page: Page) -> None:
    root = project({"manuscript/01-first.md": CHAPTER})
    chapter_file = root / "manuscript" / "01-first.md"
    server = serve(root)
    page.goto(server.url + "en/ch-01-first.xhtml")
    error = page.locator(".pubtool-diagnostic.pubtool-error")
    title = page.locator("section.chapter h1")
    expect(title).to_have_text("First Chapter")

    chapter_file.write_text(CHAPTER.replace("{term}`jun-ci`", "{term}`jun-cy`"), encoding="utf-8")
    expect(error).to_contain_text("manuscript/01-first.md:5: error: unknown term id 'jun-cy'")
    expect(error).to_contain_text("did you mean 'jun-ci'?")
    expect(title).to_have_count(0)

    chapter_file.write_text(CHAPTER.replace("title: First", "title: [First"), encoding="utf-8")
    expect(error).to_contain_text("manuscript/01-first.md:2: error: YAML syntax error")

    chapter_file.write_text(CHAPTER, encoding="utf-8")
    expect(title).to_have_text("First Chapter")
    expect(error).to_have_count(0)

    book_yaml = root / "manuscript" / "book.yaml"
    book_yaml.write_text(BOOK_YAML + "title: Another Title\n", encoding="utf-8")
    expect(error).to_contain_text("manuscript/book.yaml:7: error: duplicate key 'title'")
    book_yaml.write_text(BOOK_YAML, encoding="utf-8")
    expect(title).to_have_text("First Chapter")
    assert server.process.poll() is None
    assert "Traceback" not in server.stderr


def test_language_switcher_reaches_the_other_edition(project, serve, page: Page) -> None:
    server = serve(translated_project(project))
    page.goto(server.url + "en/ch-01-first.xhtml")
    page.locator('#pubtool-bar a[hreflang="zh"]').click()
    expect(page).to_have_url(server.url + "zh/ch-01-first.xhtml")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("section.chapter h1")).to_have_text("第一章")
    expect(page.locator("section.chapter > p").first).to_contain_text("上的釉呈现")

    page.locator('#pubtool-bar a[hreflang="en"]').click()
    expect(page).to_have_url(server.url + "en/ch-01-first.xhtml")
    expect(page.locator("section.chapter h1")).to_have_text("First Chapter")


def test_translator_view_marks_untranslated_and_fuzzy_paragraphs(
    project, serve, page: Page
) -> None:
    root = translated_project(project)
    server = serve(root)
    page.goto(server.url + "zh/ch-01-first.xhtml?translator=1")
    paragraphs = page.locator("section.chapter > p")
    translated, fuzzy, untranslated = paragraphs.nth(0), paragraphs.nth(1), paragraphs.nth(2)
    expect(translated).to_contain_text("上的釉呈现")
    expect(fuzzy.locator(".pubtool-fuzzy")).to_have_text("Kilns burned coal from the hills.")
    expect(untranslated.locator(".pubtool-untranslated")).to_have_text(
        "Potters sold bowls at the market."
    )
    previous = fuzzy.locator(".pubtool-previous")
    expect(previous).to_be_visible()
    expect(previous).to_have_text("Kilns burned wood from the hills.")
    shades = [background(p) for p in (translated, fuzzy, untranslated)]
    assert shades[0] == TRANSPARENT
    assert TRANSPARENT not in shades[1:] and shades[1] != shades[2], shades
    assert page.locator(".pubtool-previous").count() == 1

    page.locator("#pubtool-translator").click()  # the toggle turns the view off
    expect(previous).to_be_hidden()
    assert background(fuzzy) == TRANSPARENT == background(untranslated)
    page.locator("#pubtool-translator").click()
    expect(previous).to_be_visible()

    po = root / ZH_PO_PATH
    po.write_text(ZH_PO.replace('msgid "First Chapter"', 'msgid "First Chapter'), encoding="utf-8")
    error = page.locator(".pubtool-diagnostic.pubtool-error")
    expect(error).to_contain_text(f"{ZH_PO_PATH}:8: error: catalog syntax error")
    po.write_text(ZH_PO, encoding="utf-8")
    expect(previous).to_have_text("Kilns burned wood from the hills.")
    # the preview writes nothing: no compiled catalog, no build folder
    assert list(root.rglob("*.mo")) == [] and not (root / "build").exists()


def test_ctrl_c_stops_the_server_cleanly(project, serve) -> None:
    server = serve(project({"manuscript/01-first.md": CHAPTER}))
    with urllib.request.urlopen(server.url, timeout=10) as response:  # follows the redirects
        assert response.url == server.url + "en/ch-01-first.xhtml"
        assert response.headers["Content-Type"].startswith("application/xhtml+xml")
        assert "Kilns burned coal from the hills." in response.read().decode("utf-8")
    assert server.stop() in (0, 130)
    assert "pubtool: stopped" in server.stderr
    assert "Traceback" not in server.stderr


def test_a_language_the_book_lacks_is_refused(project) -> None:
    result = run_pubtool("serve", "--lang", "fr", "--port", "0", cwd=project())
    assert result.code == 1
    assert "'fr' is not a language of this book" in result.stderr
    assert "Traceback" not in result.stderr and "serving" not in result.stderr
