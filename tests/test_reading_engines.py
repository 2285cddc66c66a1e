"""The sample book's EPUB editions as real reading engines draw them, and through Calibre.

Two reading engines run in Debian's chromium, driven by Playwright: epub.js 0.3.93 and
Readium's TypeScript navigator 2.4.0 (their harness pages are in tests/reading/, the engines
are installed by ``npm ci --prefix tests/node``). Each shows the cover, the first chapter
and the glossary of the English and the Chinese edition; the tests take screenshots, check
that text is drawn, and ask Chromium (DevTools protocol) which fonts drew each Chinese run:
a Simplified Chinese face, never the Japanese one Chromium falls back to for Han text
without a language it can read. Calibre's ``ebook-convert`` stands in for the Kindle
pipeline: EPUB to AZW3, and the AZW3 back to text, which must still hold the book's words.

Each group of tests is skipped only when its tool is not installed (CI installs them all).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import posixpath
import re
import shutil
import subprocess
import threading
import urllib.parse
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import NS, REPO, epub_documents
from lxml import etree
from PIL import Image

with contextlib.suppress(ImportError):  # the Calibre tests still run (the browser fixture skips)
    from playwright.sync_api import Browser, Page

EBOOK_CONVERT = shutil.which("ebook-convert")
HARNESS = REPO / "tests" / "reading"
NODE_MODULES = REPO / "tests" / "node" / "node_modules"
ENGINE_FILES = {
    "epubjs": ["epubjs/dist/epub.min.js", "jszip/dist/jszip.min.js"],
    "readium": ["@readium/navigator/dist/index.js", "@readium/shared/dist/index.js"],
}
TIMEOUT = 20_000  # ms; opening a book and drawing a page take well under a second here
VIEWPORT = {"width": 800, "height": 1000}

OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
CONTAINER_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container"}
# CJK Unified Ideographs, Extension A, compatibility ideographs, and the supplementary planes.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# The pages looked at, as files of the package folder (EPUB/ in pubtool's editions).
PAGES = {"cover": "cover.xhtml", "chapter": "ch-01-opening.xhtml", "glossary": "glossary.xhtml"}


# --- the editions, unzipped and served ------------------------------------------------------


@pytest.fixture(scope="module")
def editions(sample_epub: Path, sample_epub_zh: tuple[Path, str]) -> dict[str, Path]:
    return {"en": sample_epub, "zh": sample_epub_zh[0]}


def package_path(root: Path) -> str:
    """The package document's path in the unzipped EPUB at ``root`` (META-INF/container.xml)."""
    container = etree.parse(root / "META-INF" / "container.xml")
    return container.find(".//c:rootfile", CONTAINER_NS).get("full-path")


def nav_toc(root: Path, nav_path: str) -> list[dict]:
    """The navigation document's table of contents as Readium links (nested ``children``)."""
    folder = posixpath.dirname(nav_path)
    nav = etree.parse(root / nav_path).getroot()
    toc = nav.find(".//h:nav[@epub:type='toc']", NS)

    def entries(ol: etree._Element) -> list[dict]:
        links = []
        for li in ol.iterfind("h:li", NS):
            anchor = li.find("h:a", NS)
            link = {
                "href": posixpath.normpath(posixpath.join(folder, anchor.get("href"))),
                "title": " ".join("".join(anchor.itertext()).split()),
            }
            sub = li.find("h:ol", NS)
            if sub is not None:
                link["children"] = entries(sub)
            links.append(link)
        return links

    return entries(toc.find("h:ol", NS))


def readium_manifest(root: Path) -> tuple[dict, dict]:
    """A Readium Web Publication Manifest for the unzipped EPUB at ``root``, and its position
    list, as a Readium streamer serves them beside the EPUB's files: metadata, the reading
    order from the spine, the other resources, the table of contents from the navigation
    document. @readium/shared 2.1.2 only reads manifests (it has no EPUB parser), so the
    test makes this one; hrefs are relative to the manifest, placed at the EPUB's root."""
    opf_path = package_path(root)
    folder = posixpath.dirname(opf_path)
    package = etree.parse(root / opf_path).getroot()
    meta = package.find("opf:metadata", OPF_NS)
    items = {item.get("id"): item for item in package.iterfind("opf:manifest/opf:item", OPF_NS)}
    spine = package.find("opf:spine", OPF_NS)
    order = [ref.get("idref") for ref in spine if ref.get("linear", "yes") != "no"]

    def link(item: etree._Element) -> dict:
        entry = {
            "href": posixpath.normpath(posixpath.join(folder, item.get("href"))),
            "type": item.get("media-type"),
        }
        properties = (item.get("properties") or "").split()
        rel = {"cover-image": "cover", "nav": "contents"}
        rels = [rel[p] for p in properties if p in rel]
        if rels:
            entry["rel"] = rels
        return entry

    reading_order = [link(items[idref]) for idref in order]
    nav_item = next(i for i in items.values() if "nav" in (i.get("properties") or "").split())
    manifest = {
        "@context": "https://readium.org/webpub-manifest/context.jsonld",
        "metadata": {
            "@type": "http://schema.org/Book",
            "conformsTo": "https://readium.org/webpub-manifest/profiles/epub",
            "identifier": meta.findtext("dc:identifier", namespaces=OPF_NS),
            "title": meta.findtext("dc:title", namespaces=OPF_NS),
            "author": [e.text for e in meta.iterfind("dc:creator", OPF_NS)],
            "language": [e.text for e in meta.iterfind("dc:language", OPF_NS)],
            "modified": meta.findtext("opf:meta[@property='dcterms:modified']", namespaces=OPF_NS),
            "readingProgression": spine.get("page-progression-direction", "ltr"),
            "layout": "reflowable",
        },
        "links": [
            {
                "rel": "http://readium.org/position-list",
                "href": "positions.json",
                "type": "application/vnd.readium.position-list+json",
            }
        ],
        "readingOrder": reading_order,
        "resources": [link(item) for key, item in items.items() if key not in order],
        "toc": nav_toc(root, posixpath.join(folder, nav_item.get("href"))),
    }
    # One position per resource is enough to open each one (a streamer counts 1024-byte
    # pages; the navigator only needs every resource of the reading order listed).
    total = len(reading_order)
    positions = {
        "total": total,
        "positions": [
            {
                "href": entry["href"],
                "type": entry["type"],
                "locations": {
                    "position": n + 1,
                    "progression": 0,
                    "totalProgression": n / total,
                },
            }
            for n, entry in enumerate(reading_order)
        ],
    }
    return manifest, positions


class Handler(SimpleHTTPRequestHandler):
    """Files of the harness, of tests/node/node_modules and of the unzipped editions."""

    extensions_map = {  # noqa: RUF012 (the stdlib's own attribute, extended)
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".xhtml": "application/xhtml+xml",
        ".opf": "application/oebps-package+xml",
        ".ncx": "application/x-dtbncx+xml",
        ".epub": "application/epub+zip",
    }

    def __init__(self, *args, mounts: dict[str, Path], **kwargs) -> None:
        self.mounts = mounts
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                target = (folder / path[len(prefix) :]).resolve()
                if target.is_relative_to(folder.resolve()):
                    return str(target)
        return str(Path(os.devnull) / "missing")  # answered with 404

    def log_message(self, format: str, *args) -> None:
        pass


@dataclass(frozen=True)
class Site:
    url: str  # http://127.0.0.1:PORT
    books: Path  # what /books/ serves


@contextlib.contextmanager
def serve(books: Path, editions: dict[str, Path]) -> Iterator[Site]:
    """A local HTTP server for the engines: ``/harness/``, ``/node_modules/`` and ``/books/``
    (each edition packed as ``LANG.epub``, and unzipped in ``LANG/`` with a Readium manifest
    ``LANG/manifest.json``)."""
    for lang, epub in editions.items():
        shutil.copy(epub, books / f"{lang}.epub")
        with zipfile.ZipFile(epub) as archive:
            archive.extractall(books / lang)
        manifest, positions = readium_manifest(books / lang)
        (books / lang / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
        (books / lang / "positions.json").write_text(json.dumps(positions, ensure_ascii=False))
    mounts = {"/harness/": HARNESS, "/node_modules/": NODE_MODULES, "/books/": books}
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, mounts=mounts))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_address[1]}", books)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, editions: dict[str, Path]) -> Iterator[Site]:
    """The sample book's editions, served."""
    with serve(tmp_path_factory.mktemp("books"), editions) as served:
        yield served


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


# --- what Chromium drew -------------------------------------------------------------------


def han_runs_and_fonts(page: Page) -> list[dict]:
    """Every element of the page's frames whose own text has hanzi, with the fonts Chromium
    drew its text with and how many glyphs each drew (DevTools protocol: the DOM pierced
    into the iframes, then ``CSS.getPlatformFontsForNode``, which reports the fonts of an
    element's text, its ruby annotation included). Elements not drawn have no fonts."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        runs: dict[int, dict] = {}

        def walk(node: dict, parent: dict | None, frame: str | None) -> None:
            if node["nodeType"] == 3 and frame and parent and HAN.search(node["nodeValue"]):
                run = runs.setdefault(
                    parent["nodeId"],
                    {"frame": frame, "element": parent["localName"], "text": ""},
                )
                run["text"] += node["nodeValue"]
            for child in node.get("children", []):
                walk(child, node, frame)
            document = node.get("contentDocument")
            if document:  # an iframe: the book's documents are in them
                walk(document, None, document.get("documentURL") or "about:srcdoc")

        walk(root, None, None)
        for node_id, run in runs.items():
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
            run["fonts"] = {}
            for font in fonts:
                family = font["familyName"]
                run["fonts"][family] = run["fonts"].get(family, 0) + font["glyphCount"]
        return list(runs.values())
    finally:
        cdp.detach()


def ink(png: Path) -> tuple[float, float]:
    """How much of a screenshot is drawn on: the share of pixels that are not near-white,
    and the share of pixel rows that have any."""
    with Image.open(png) as image:
        gray = image.convert("L")
    mask = gray.point(lambda v: 255 if v < 200 else 0)
    histogram = mask.histogram()
    inked = histogram[255] / (gray.width * gray.height)
    rows = mask.resize((1, gray.height), Image.Resampling.BOX).histogram()
    return inked, (gray.height - rows[0]) / gray.height


def assert_drawn_in_sc(run: dict) -> None:
    """Every hanzi of ``run`` was drawn with a Simplified Chinese face, none with a Japanese
    one (the other glyphs, Latin letters, punctuation or pinyin, may come from any face)."""
    sc = sum(glyphs for family, glyphs in run["fonts"].items() if family.endswith(" SC"))
    assert sc >= len(HAN.findall(run["text"])), run
    assert not [family for family in run["fonts"] if " JP" in family], run


def test_font_check_tells_the_sc_faces_from_the_jp_fallback(browser: Browser) -> None:
    """The check above is not vacuous: in this Chromium, hanzi without ``lang`` (or with
    ``xml:lang`` only, in a document read as HTML) are drawn with the Japanese face."""
    page = browser.new_page()
    try:
        frame = '<p>平顶山</p><p xml:lang="zh-Hans">窑变</p><p lang="zh-Hans">钧瓷</p>'
        page.set_content(f"<iframe srcdoc='{frame}'></iframe>")
        page.frame_locator("iframe").locator("p").first.wait_for()
        fonts = {run["text"]: run["fonts"] for run in han_runs_and_fonts(page)}
    finally:
        page.close()
    assert set(fonts) == {"平顶山", "窑变", "钧瓷"}
    for text in ("平顶山", "窑变"):
        assert [family for family in fonts[text] if " JP" in family], fonts
    assert_drawn_in_sc({"text": "钧瓷", "fonts": fonts["钧瓷"]})


# --- the engines ----------------------------------------------------------------------------


def open_book(
    browser: Browser,
    site: Site,
    engine: str,
    lang: str,
    pages: dict[str, str] = PAGES,
    viewport: dict[str, int] = VIEWPORT,
) -> tuple[Page, dict[str, str]]:
    """A page of the engine's harness with the edition open; and the href of each of
    ``pages`` as the engine names it."""
    missing = [name for name in ENGINE_FILES[engine] if not (NODE_MODULES / name).is_file()]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: run `npm ci --prefix tests/node`")
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.on("pageerror", lambda error: print(f"{engine} {lang}: page error: {error}"))
    page.goto(f"{site.url}/harness/{engine}.html")
    page.wait_for_function("typeof window.openBook === 'function'")
    if engine == "epubjs":  # the packed EPUB; hrefs relative to the package document
        book, hrefs = f"{site.url}/books/{lang}.epub", dict(pages)
    else:  # the manifest; hrefs relative to it
        book = f"{site.url}/books/{lang}/manifest.json"
        folder = posixpath.dirname(package_path(site.books / lang))
        hrefs = {key: posixpath.join(folder, name) for key, name in pages.items()}
    page.evaluate("url => window.openBook(url)", book)
    return page, hrefs


def expected_texts(epub: Path) -> dict[str, dict[str, str]]:
    """Per page of text, words it must show, read from the EPUB: its title, the start of its
    first paragraph or term, and the hanzi of its first term (a ``.hanzi`` run, or the base
    of a ruby)."""
    docs = epub_documents(epub)
    out = {}
    for key in ("chapter", "glossary"):
        doc = docs[f"EPUB/{PAGES[key]}"]
        first = doc.find(".//h:section/h:p" if key == "chapter" else ".//h:dt", NS)
        hanzi = doc.xpath(".//*[@class='hanzi' or local-name()='ruby']")[0]
        out[key] = {
            "title": "".join(doc.find(".//h:h1", NS).itertext()).strip(),
            "start": " ".join("".join(first.itertext()).split())[:30],
            "hanzi": hanzi.text,
        }
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("engine", ["epubjs", "readium"])
def test_engine_draws_cover_chapter_and_glossary_in_sc_fonts(
    browser: Browser, site: Site, editions: dict[str, Path], screenshots: Path, engine, lang
) -> None:
    """The engine shows each page of PAGES: the cover's picture; the chapter's and the
    glossary's text, drawn down the page, with the hanzi of terms (ruby in Chinese) in a
    Simplified Chinese face. Screenshots: run with ``-s`` to see where they are."""
    page, hrefs = open_book(browser, site, engine, lang)
    expected = expected_texts(editions[lang])
    try:
        for key, href in hrefs.items():
            shown = page.evaluate("href => window.show(href)", href)
            png = screenshots / f"{engine}-{lang}-{key}.png"
            page.screenshot(path=png)
            print(f"{engine} {lang} {key}: {png} (the frame's document is {shown['type']})")
            inked, rows = ink(png)
            assert shown["url"], key
            if key == "cover":
                # The cover is a picture: it must be loaded and fill much of the page.
                assert [image["width"] > 0 for image in shown["images"]] == [True]
                assert inked > 0.2, (key, inked)
                continue
            # A page of text: long, with the words of the page, drawn down the page.
            text = " ".join(shown["text"].split())
            assert len(text) > 400, (key, text[:200])
            assert expected[key]["title"] in text, key
            assert expected[key]["start"] in text, key
            assert inked > 0.01, (key, inked)
            assert rows > 0.3, (key, rows)
            if lang == "zh" and key == "chapter":
                assert shown["rubies"] > 0  # pinyin over the terms' hanzi
            runs = [run for run in han_runs_and_fonts(page) if run["fonts"]]
            assert runs, key
            families = sorted({family for run in runs for family in run["fonts"]})
            print(f"  {len(runs)} elements with hanzi, drawn with: {', '.join(families)}")
            for run in runs:
                assert_drawn_in_sc(run)
            assert any(expected[key]["hanzi"] in run["text"] for run in runs), (key, runs)
    finally:
        page.context.close()


# --- editions in other scripts ----------------------------------------------------------

LANGUAGES_BOOK = "the-kilns-of-shenhou"
LANGUAGES_CHAPTER = {"chapter": "ch-01-kilns.xhtml"}
#: the cut each edition's own hanzi must be drawn in (the glossary term's hanzi, tagged
#: zh-Hans, in SC; the Korean edition has no hanzi but the term's)
CUTS = {"ja": " JP", "zh-Hant": " TC"}


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory: pytest.TempPathFactory, test_books) -> Iterator[Site]:
    """The EPUBs of tests/books/languages in right-to-left and CJK scripts, served."""
    built = test_books("languages") / "build"
    editions = {
        lang: built / f"{LANGUAGES_BOOK}-{lang}.epub"
        for lang in ("ar", "he", "ja", "ko", "zh-Hant")
    }
    with serve(tmp_path_factory.mktemp("language-books"), editions) as served:
        yield served


@pytest.mark.parametrize("lang", ["ar", "he"])
@pytest.mark.parametrize("engine", ["epubjs", "readium"])
def test_engine_reads_right_to_left(
    browser: Browser, languages_site: Site, screenshots: Path, engine, lang
) -> None:
    """The engine turns the pages of an Arabic or Hebrew edition from right to left, and
    draws its paragraphs right to left: each one's last line (not justified) begins at the
    right edge and ends short of the left."""
    narrow = {"width": 520, "height": 900}  # so that paragraphs have two lines and more
    page, hrefs = open_book(browser, languages_site, engine, lang, LANGUAGES_CHAPTER, narrow)
    try:
        assert page.evaluate("window.progression()") == "rtl"
        shown = page.evaluate("href => window.show(href)", hrefs["chapter"])
        png = screenshots / f"{engine}-{lang}-rtl.png"
        page.screenshot(path=png)
        print(f"{engine} {lang}: {png}")
        assert shown["dir"] == "rtl" and shown["direction"] == "rtl", shown
        paragraphs = shown["paragraphs"]
        assert paragraphs, shown["text"][:200]
        for paragraph in paragraphs:
            assert abs(paragraph["lastRight"] - paragraph["right"]) < 2, paragraph
            assert paragraph["lastLeft"] - paragraph["left"] > 10, paragraph
        inked, rows = ink(png)
        assert inked > 0.01 and rows > 0.2, (inked, rows)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", list(CUTS))
@pytest.mark.parametrize("engine", ["epubjs", "readium"])
def test_engine_draws_each_cjk_edition_in_its_own_cut(
    browser: Browser, languages_site: Site, engine, lang
) -> None:
    """Japanese kanji in the JP face and Traditional Chinese in TC; the glossary term's
    hanzi, in the Japanese edition, in SC (the Traditional edition names the term in its
    own characters)."""
    page, hrefs = open_book(browser, languages_site, engine, lang, LANGUAGES_CHAPTER)
    try:
        page.evaluate("href => window.show(href)", hrefs["chapter"])
        runs = [run for run in han_runs_and_fonts(page) if run["fonts"]]
    finally:
        page.context.close()
    assert runs
    own = [run for run in runs if "钧瓷" not in run["text"]]
    assert len(own) >= 3, runs
    for run in own:
        cut = sum(glyphs for family, glyphs in run["fonts"].items() if family.endswith(CUTS[lang]))
        assert cut >= len(HAN.findall(run["text"])), run
    gloss = [run for run in runs if run["text"].startswith("钧瓷")]
    assert gloss or lang == "zh-Hant", runs
    for run in gloss:
        assert_drawn_in_sc(run)


# --- a book set vertically ------------------------------------------------------------------


@pytest.fixture(scope="module")
def vertical_site(tmp_path_factory: pytest.TempPathFactory, sample_epub_tw) -> Iterator[Site]:
    """The sample book's Taiwan edition (set vertically), served."""
    with serve(tmp_path_factory.mktemp("vertical"), {"zh-Hant-TW": sample_epub_tw[0]}) as served:
        yield served


@pytest.mark.parametrize("engine", ["epubjs", "readium"])
def test_engine_sets_the_vertical_edition_in_columns_from_the_right(
    browser: Browser, vertical_site: Site, screenshots: Path, engine
) -> None:
    """The engine turns the pages of the vertical edition from right to left and draws it
    in columns: each paragraph's box is taller than wide (once it has several columns),
    and its columns follow one another from right to left; the terms' hanzi are in a TC
    face, with their ruby."""
    viewport = {"width": 600, "height": 800}
    pages = {**PAGES, "titlepage": "titlepage.xhtml"}
    page, hrefs = open_book(browser, vertical_site, engine, "zh-Hant-TW", pages, viewport)
    try:
        assert page.evaluate("window.progression()") == "rtl"
        shown = page.evaluate("href => window.show(href)", hrefs["chapter"])
        png = screenshots / f"{engine}-zh-Hant-TW-vertical.png"
        page.screenshot(path=png)
        print(f"{engine} zh-Hant-TW: {png}")
        assert shown["writingMode"] == "vertical-rl", shown["writingMode"]
        # paragraphs of several columns on one page (one that runs on to the next page
        # goes on in the next page's first column: epub.js sets pages below one another)
        long = [
            p
            for p in shown["columns"]
            if len(p["lefts"]) >= 3 and p["height"] <= viewport["height"]
        ]
        assert len(long) >= 2, shown["columns"]
        for paragraph in long:
            assert paragraph["height"] > paragraph["width"], paragraph
            lefts = paragraph["lefts"]
            assert lefts == sorted(lefts, reverse=True), paragraph  # right to left
        assert shown["rubies"] > 0
        runs = [run for run in han_runs_and_fonts(page) if run["fonts"]]
        assert runs
        for run in runs:
            tc = sum(glyphs for family, glyphs in run["fonts"].items() if family.endswith(" TC"))
            assert tc >= len(HAN.findall(run["text"])), run
        inked, _ = ink(png)
        assert inked > 0.01, inked
        for key in ("cover", "titlepage", "glossary"):  # drawn, and looked at
            page.evaluate("href => window.show(href)", hrefs[key])
            other = screenshots / f"{engine}-zh-Hant-TW-vertical-{key}.png"
            page.screenshot(path=other)
            print(f"{engine} zh-Hant-TW {key}: {other}")
            assert ink(other)[0] > 0.005, key
    finally:
        page.context.close()


# --- Calibre: the Kindle pipeline's stand-in ------------------------------------------------


def calibre(source: Path, target: Path) -> None:
    if EBOOK_CONVERT is None:
        pytest.skip("Calibre's ebook-convert is not installed (apt-get install calibre)")
    # Calibre renders with QtWebEngine (Chromium), whose sandbox refuses to run as root.
    env = {**os.environ, "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}
    done = subprocess.run(
        [EBOOK_CONVERT, str(source), str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert target.stat().st_size > 0


@pytest.mark.calibre
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_calibre_azw3_keeps_text_terms_pinyin_and_glossary(
    tmp_path: Path, editions: dict[str, Path], lang
) -> None:
    epub = editions[lang]
    azw3 = tmp_path / f"{lang}.azw3"
    calibre(epub, azw3)
    assert azw3.read_bytes()[60:68] == b"BOOKMOBI"  # a Mobipocket / KF8 container
    txt = tmp_path / f"{lang}.txt"
    calibre(azw3, txt)
    text = " ".join(txt.read_text(encoding="utf-8").split())

    docs = epub_documents(epub)
    chapter = docs[f"EPUB/{PAGES['chapter']}"]
    for paragraph in chapter.iterfind(".//h:section/h:p", NS):
        assert " ".join("".join(paragraph.itertext()).split()) in text
    glossary = docs[f"EPUB/{PAGES['glossary']}"]
    assert "".join(glossary.find(".//h:h1", NS).itertext()) in text
    terms = glossary.findall(".//h:dt", NS)
    assert len(terms) > 10
    for term in terms:  # name (English), hanzi, pinyin with its tone marks
        assert " ".join("".join(term.itertext()).split()) in text
        for definition in term.getnext().iterfind("h:p", NS):
            if "uses" not in (definition.get("class") or ""):
                assert " ".join("".join(definition.itertext()).split()) in text
    for word in ("平顶山", "窑变", "Píngdǐngshān", "yáobiàn"):
        assert word in text


# --- small screens, large type ------------------------------------------------------------

SCREENS = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 820, "height": 1180}}
#: the pages a phone reader complained of: the table and the web address (chapter 3), a
#: footnote (chapter 5), the copyright page, the glossary's links back
SMALL_SCREEN_PAGES = {
    "table": "ch-03-jun-porcelain.xhtml",
    "note": "ch-05-noodles.xhtml",
    "copyright": "copyright.xhtml",
    "glossary": "glossary.xhtml",
}


#: a subject of the sample, in each edition's words: on a page of their own, not the
#: copyright page
SUBJECT_WORDS = {"en": "Hungary", "zh": "匈牙利"}


@pytest.mark.parametrize("size", [100, 200])
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("engine", ["epubjs", "readium"])
def test_engine_on_small_screens_and_large_type(
    browser: Browser, site: Site, screenshots: Path, engine, lang, screen, size
) -> None:
    """At a phone's and a tablet's size, at the book's type size and at twice it, measured
    in the page (frames.js, ``complaints``): nothing drawn wider than its column outside a
    scrolling box; no ruby or term split across lines, none letter-spaced by
    justification (wider than 1.05 of its natural width); no pinyin over the line above;
    pinyin at least 0.6 of the text and 10 px at the book's size; every note reference
    and back link a target of 24 x 24 px or more; the subjects not on the copyright page."""
    page, hrefs = open_book(
        browser, site, engine, lang, pages=SMALL_SCREEN_PAGES, viewport=SCREENS[screen]
    )
    try:
        problems = complaints_on(page, hrefs, screenshots, f"{engine}-{lang}-{screen}", size, lang)
        assert problems == []
    finally:
        page.context.close()


def complaints_on(
    page: Page, hrefs: dict[str, str], screenshots: Path, name: str, size: int, lang: str
) -> list[tuple]:
    """What frames.js finds wrong on each page of ``hrefs`` at type ``size`` (percent of
    the book's), each page's screenshot saved: (page, kind, the first offenders)."""
    problems: list[tuple] = []
    page.evaluate("size => window.setFontSize(size)", size)
    for key, href in hrefs.items():
        shown = page.evaluate("href => window.show(href)", href)
        png = screenshots / f"{name}-{size}-{key}.png"
        page.screenshot(path=png)
        print(f"{name} {size}% {key}: {png}")
        found = shown["complaints"]
        for kind in ("overflowing", "splitRubies", "stretched", "overlapping", "smallTargets"):
            if found[kind]:
                problems.append((key, kind, found[kind][:3]))
        small = [
            r for r in found["rubySizes"] if r["ratio"] < 0.6 or (size == 100 and r["px"] < 10)
        ]
        if small:
            problems.append((key, "smallRuby", small[:1]))
        if key == "copyright" and SUBJECT_WORDS.get(lang, "\0") in shown["text"]:
            problems.append((key, "subjects", SUBJECT_WORDS[lang]))
    for problem in problems:
        print("  ", problem)
    return problems


@pytest.mark.parametrize("size", [100, 200])
@pytest.mark.parametrize("lang", ["ar", "he", "ja", "ko", "zh-Hant"])
@pytest.mark.parametrize("engine", ["epubjs", "readium"])
def test_engine_on_a_phone_in_every_script(
    browser: Browser, languages_site: Site, screenshots: Path, engine, lang, size
) -> None:
    """The multi-script test book on a phone, at the book's type size and twice it: the
    same measures as the sample's, on its chapter (a table, a footnote, a term glossed
    with ruby in the CJK editions) and its glossary."""
    pages = {**LANGUAGES_CHAPTER, "glossary": "glossary.xhtml"}
    page, hrefs = open_book(browser, languages_site, engine, lang, pages, SCREENS["phone"])
    try:
        assert complaints_on(page, hrefs, screenshots, f"{engine}-{lang}-phone", size, lang) == []
    finally:
        page.context.close()
