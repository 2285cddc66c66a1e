"""``pubtool serve``: a live preview of every edition in the browser, rebuilt on each change.

Each language's edition is rendered with the EPUB's templates (:func:`render.render_book`)
and kept in memory under its own prefix (``/en/``, ``/zh/``): the preview writes no file.
A thread watches the manuscript, the catalogs and the templates (watchfiles) and builds
again; every page listens to ``/_pubtool/events`` (Server-Sent Events) and reloads itself
when the build's generation changes. A build that fails shows its diagnostics in the page.
The translator view shades the blocks a translated edition shows in the source language.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import socket
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pubtool import catalogs, i18n, pipeline, raster, render
from pubtool.catalogs import Translations
from pubtool.config import load_metadata
from pubtool.errors import BuildFailed, Diagnostic, Location, PubtoolError, Report, Severity
from pubtool.localize import Fallback
from pubtool.model import (
    Block,
    BlockQuote,
    Book,
    Heading,
    HtmlElement,
    Inline,
    ListBlock,
    Paragraph,
    Text,
)

EVENTS_URL = "/_pubtool/events"
SCRIPT_URL = "/_pubtool/live.js"
STYLE_URL = "/_pubtool/preview.css"
KEEPALIVE_SECONDS = 10.0
PACKAGE_TEMPLATES = Path(render.__file__).parent / "templates"
# Not sources of an edition: compiled catalogs, catalog templates, editors' backups and the
# temporary files pubtool and editors write before renaming them into place.
IGNORED_SUFFIXES = (".mo", ".pot", ".tmp", ".swp", ".swx", "~")

# ---------------------------------------------------------------- building


@dataclass(frozen=True, slots=True)
class Preview:
    """One language's edition as the preview shows it, or the diagnostics that stop it."""

    lang: str
    rendition: render.Rendition | None
    diagnostics: tuple[Diagnostic, ...]
    fallbacks: tuple[Fallback, ...] = ()

    def document(self, href: str) -> render.Document | None:
        documents = self.rendition.documents if self.rendition else ()
        return next((d for d in documents if d.href == href), None)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Every edition after one build; ``generation`` grows whenever a page would change."""

    generation: int
    source_lang: str
    previews: tuple[Preview, ...]  # in the book's order of languages
    problems: tuple[Diagnostic, ...]  # when no language is known: book.yaml never read
    fingerprint: str

    def preview(self, lang: str) -> Preview | None:
        return next((p for p in self.previews if p.lang == lang), None)


def build_snapshot(root: Path, before: Snapshot) -> Snapshot:
    """Build every edition of the book at ``root`` in memory; a broken book.yaml keeps the
    languages ``before`` knew, so that each of their pages shows the errors."""
    metadata = load_metadata(root, Report())
    if metadata is not None:
        source, languages = metadata.language, metadata.editions
    else:
        source, languages = before.source_lang, tuple(p.lang for p in before.previews)
    previews = tuple(build_preview(root, lang) for lang in languages)
    problems: tuple[Diagnostic, ...] = ()
    if not languages:
        report = Report()
        try:
            pipeline.read_sources(root, report)
        except PubtoolError as exc:
            report.diagnostics.append(exc.diagnostic)
        problems = tuple(report.diagnostics)
    fingerprint = _fingerprint(source, previews, problems)
    generation = before.generation + (fingerprint != before.fingerprint)
    return Snapshot(generation, source, previews, problems, fingerprint)


def build_preview(root: Path, lang: str) -> Preview:
    """The edition of ``lang``, rendered as for the EPUB, with the fallbacks marked."""
    report = Report()
    try:
        record: list[Fallback] = []
        edition = pipeline.prepare_edition(root, lang, report, write_mo=False, fallbacks=record)
        book, translations = edition.book, edition.translations
        if translations is not None:
            book = mark_fallbacks(book, record, translations)
        rendition = render.render_book(book, lang, translations, report)
    except BuildFailed as failed:
        return Preview(lang, None, tuple(failed.report.diagnostics))
    except PubtoolError as exc:
        return Preview(lang, None, (*report.diagnostics, exc.diagnostic))
    except Exception as exc:  # a bug must not stop the server; the page and terminal say so
        bug = Diagnostic(
            "internal",
            Severity.ERROR,
            f"pubtool failed: {type(exc).__name__}: {exc}",
            None,
            "this is a bug in pubtool; please report it with this traceback:\n"
            + traceback.format_exc(),
        )
        return Preview(lang, None, (*report.diagnostics, bug))
    return Preview(lang, rendition, tuple(report.diagnostics), tuple(record))


def mark_fallbacks(book: Book, record: list[Fallback], translations: Translations) -> Book:
    """``book`` with each block that fell back wrapped in a span naming why (class
    ``pubtool-untranslated``, ``pubtool-fuzzy`` or ``pubtool-unusable``) and, for a fuzzy
    paragraph, its previous source text beside it (class ``pubtool-previous``)."""
    found = {f.location: f for f in record}
    entries = {domain: po.translations() for domain, po in translations.files.items()}

    def marked(
        children: tuple[Inline, ...], place: Location, paragraph: bool
    ) -> tuple[Inline, ...]:
        fallback = found.get(place)
        if fallback is None:
            return children
        entry = entries.get(fallback.domain, {}).get(fallback.msgid)
        path = catalogs.po_path(book.root, translations.lang, fallback.domain)
        where = Location(path, entry.line if entry else None).display(book.root)
        previous = ""
        if fallback.status == "fuzzy":
            previous = translations.previous(fallback.domain, fallback.msgid)
        tip = f"{fallback.status}: {where}" + (f"\nprevious source: {previous}" if previous else "")
        span = HtmlElement(
            "span", (("class", f"pubtool-{fallback.status}"), ("title", tip)), children
        )
        if previous and paragraph:  # not in titles and headings: they are also the contents
            return (span, HtmlElement("span", (("class", "pubtool-previous"),), (Text(previous),)))
        return (span,)

    def block(b: Block) -> Block:
        match b:
            case Paragraph():
                return replace(b, children=marked(b.children, b.location, True))
            case Heading():
                return replace(b, children=marked(b.children, b.location, False))
            case BlockQuote():
                return replace(b, blocks=tuple(block(x) for x in b.blocks))
            case ListBlock():
                return replace(b, items=tuple(tuple(block(x) for x in item) for item in b.items))
            case _:
                return b

    chapters = tuple(
        replace(
            chapter,
            title=marked(chapter.title, chapter.location, False),
            blocks=tuple(block(b) for b in chapter.blocks),
            footnotes=tuple(
                replace(note, blocks=tuple(block(b) for b in note.blocks))
                for note in chapter.footnotes
            ),
        )
        for chapter in book.chapters
    )
    return replace(book, chapters=chapters)


def _fingerprint(
    source: str, previews: tuple[Preview, ...], problems: tuple[Diagnostic, ...]
) -> str:
    """A digest of everything a page shows, so that a save that changes nothing reloads
    nothing."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else part.encode())
            digest.update(b"\0")

    add(source, *(d.format() for d in problems))
    for preview in previews:
        add(preview.lang, *(d.format() for d in preview.diagnostics))
        rendition = preview.rendition
        if rendition is None:
            continue
        add(rendition.stylesheet, rendition.cover_svg)
        for document in rendition.documents:
            add(document.href, document.content)
        for resource in rendition.resources:
            try:
                stat = resource.source.stat()
                add(f"{resource.href} {stat.st_mtime_ns} {stat.st_size}")
            except OSError:
                add(resource.href)
    return digest.hexdigest()


class Live:
    """The latest build of the book, shared by the watching thread and the page requests."""

    def __init__(self, root: Path, say: Callable[[str], None]) -> None:
        self.root = root
        self.say = say
        self.stopping = False
        self._snapshot = Snapshot(0, "", (), (), "")
        self._changed = threading.Condition()
        self._building = threading.Lock()
        self._covers: dict[str, bytes] = {}
        self._drawing = threading.Lock()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def rebuild(self) -> None:
        """Build every edition again; if anything a page shows changed, publish it."""
        with self._building:
            after = build_snapshot(self.root, self._snapshot)
            if after.generation == self._snapshot.generation:
                return
            with self._changed:
                self._snapshot = after
                self._changed.notify_all()
        self._tell(after)

    def wait(self, seen: int, timeout: float) -> int:
        """The generation, once it is not ``seen`` (or after ``timeout`` seconds)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._snapshot.generation != seen or self.stopping, timeout
            )
            return self._snapshot.generation

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def cover_png(self, svg: str) -> bytes:
        """The cover drawn from ``svg``, kept in memory (no cache in build/)."""
        with self._drawing:
            if svg not in self._covers:
                self._covers = {svg: raster.cover_png(svg)}  # only the latest cover
            return self._covers[svg]

    def _tell(self, snapshot: Snapshot) -> None:
        """Print the build's diagnostics and a summary line on the terminal."""
        base = Path.cwd()
        found = list(
            dict.fromkeys(
                [*snapshot.problems, *(d for p in snapshot.previews for d in p.diagnostics)]
            )
        )
        for diagnostic in found:
            self.say(diagnostic.format(base))
        errors = sum(d.severity is Severity.ERROR for d in found)
        built = ", ".join(p.lang + ("" if p.rendition else " (failed)") for p in snapshot.previews)
        self.say(
            f"pubtool: built {built or 'nothing'} (generation {snapshot.generation}): "
            f"{errors} error(s), {len(found) - errors} warning(s)"
        )


# ---------------------------------------------------------------- watching


def watched_folders(root: Path) -> list[Path]:
    """The folders whose files make the editions: manuscript, catalogs, templates (the
    project's and pubtool's own)."""
    folders = (root / "manuscript", root / "locales", root / "templates", PACKAGE_TEMPLATES)
    return [folder for folder in folders if folder.is_dir()]


def _relevant(_change: object, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(IGNORED_SUFFIXES))


def watch(live: Live, stop: threading.Event) -> None:
    """Build again after every change to the sources, until ``stop`` is set."""
    import watchfiles  # only the preview watches files

    polling = False
    while not stop.is_set():
        folders = watched_folders(live.root)
        try:
            for changes in watchfiles.watch(
                *folders,
                watch_filter=_relevant,
                stop_event=stop,
                rust_timeout=500,  # how often to look for a folder that came or went
                yield_on_timeout=True,
                raise_interrupt=False,
                force_polling=polling or None,
            ):
                moved = watched_folders(live.root) != folders
                if changes or moved:
                    live.rebuild()
                if moved:
                    break  # watch the folders there are now
        except Exception as exc:  # a folder removed under the watcher, no inotify watch left
            if not polling:
                live.say(f"pubtool: watching {live.root} failed ({exc}); polling instead")
            polling = True
            stop.wait(1.0)


# ---------------------------------------------------------------- serving


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: every request thread reads :attr:`live`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], live: Live, home: str | None) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.live = live
        self.home = home  # the language ``/`` opens
        super().__init__(address, PreviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"


def listen(host: str, port: int, live: Live, home: str | None) -> PreviewServer:
    try:
        return PreviewServer((host, port), live, home)
    except OSError as exc:
        raise PubtoolError(
            f"cannot serve on {host}:{port}: {exc.strerror or exc}",
            hint="another program may use this port: choose one with --port N "
            "(--port 0 picks a free one)",
        ) from exc


def serve(
    project: Path, lang: str | None, host: str, port: int, say: Callable[[str], None]
) -> None:
    """Serve the live preview of the book in ``project`` until Ctrl-C."""
    root = project.absolute()
    metadata = load_metadata(root, Report())
    if metadata is not None and lang is not None:
        pipeline.edition_language(metadata, lang)  # a language the book does not have
    live = Live(root, say)
    server = listen(host, port, live, lang)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(live, stop), name="pubtool-watch", daemon=True)
    try:
        watcher.start()
        live.rebuild()
        say(f"pubtool: serving {server.url} (Ctrl-C to stop)")
        server.serve_forever()
    except KeyboardInterrupt:
        say("pubtool: stopped")
    finally:
        stop.set()
        live.stop()
        server.server_close()
        watcher.join(timeout=2.0)


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers one request: a page of an edition, its files, or the preview's own."""

    server: PreviewServer
    server_version = "pubtool"

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal is for the book's diagnostics."""

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page went away
            self._get()

    def _get(self) -> None:
        path = unquote(urlsplit(self.path).path)
        live = self.server.live
        snapshot = live.snapshot
        if path == EVENTS_URL:
            self._events()
            return
        if path == SCRIPT_URL:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_JS.encode())
            return
        if path == STYLE_URL:
            self._send(HTTPStatus.OK, "text/css; charset=utf-8", PREVIEW_CSS.encode())
            return
        if not snapshot.previews:
            self._problems(snapshot, None, "", snapshot.problems)
            return
        if path == "/":
            languages = [p.lang for p in snapshot.previews]
            home = self.server.home if self.server.home in languages else snapshot.source_lang
            self._redirect(f"/{quote(home or languages[0])}/")
            return
        lang, slash, name = path.lstrip("/").partition("/")
        preview = snapshot.preview(lang)
        if preview is None:
            self._not_found(snapshot, None, "", f"This book has no edition in {lang!r}.")
            return
        if not slash:
            self._redirect(f"/{quote(lang)}/")
            return
        rendition = preview.rendition
        if rendition is None:
            self._problems(snapshot, preview, name, preview.diagnostics)
            return
        if not name:
            chapters = [d for d in rendition.documents if d.role == "chapter"]
            first = chapters[0] if chapters else rendition.documents[0]
            self._redirect(f"/{quote(lang)}/{quote(first.href)}")
            return
        document = preview.document(name)
        resource = next((r for r in rendition.resources if r.href == name), None)
        if document is not None:
            page = _with_chrome(document.content, snapshot, preview, name, live.root)
            self._send(HTTPStatus.OK, "application/xhtml+xml; charset=utf-8", page)
        elif name == render.STYLESHEET_HREF:
            self._send(HTTPStatus.OK, "text/css; charset=utf-8", rendition.stylesheet)
        elif name == render.COVER_IMAGE_HREF:
            try:
                png = live.cover_png(rendition.cover_svg)
            except PubtoolError as exc:
                self._problems(snapshot, preview, name, (exc.diagnostic,))
                return
            self._send(HTTPStatus.OK, "image/png", png)
        elif resource is not None:
            try:
                data = resource.source.read_bytes()
            except OSError:
                self._not_found(snapshot, preview, name, f"{resource.source} cannot be read.")
                return
            self._send(HTTPStatus.OK, resource.media_type or "application/octet-stream", data)
        else:
            self._not_found(snapshot, preview, name, f"The {lang} edition has no page {name!r}.")

    def _events(self) -> None:
        """Server-Sent Events: the generation now, then each new one as it is built."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        live = self.server.live
        self.wfile.write(b"retry: 500\n\n")  # reconnect soon after a restart of the server
        seen = -1
        while not live.stopping:
            generation = live.wait(seen, KEEPALIVE_SECONDS)
            if generation != seen:
                self.wfile.write(f"data: {generation}\n\n".encode())
                seen = generation
            else:
                self.wfile.write(b": still building on changes\n\n")  # finds closed pages
            self.wfile.flush()

    def _problems(
        self,
        snapshot: Snapshot,
        preview: Preview | None,
        name: str,
        diagnostics: tuple[Diagnostic, ...],
    ) -> None:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        where = f"the {preview.lang} edition" if preview else "the book"
        body = (
            f"<h1>{len(errors)} error(s) stop {where}</h1>\n"
            "<p>Fix them and save: this page comes back by itself.</p>\n"
            + _diagnostics_html(diagnostics, self.server.live.root)
        )
        page = _page("pubtool: errors", body)
        status = HTTPStatus.INTERNAL_SERVER_ERROR
        chrome = _with_chrome(page, snapshot, preview, name, self.server.live.root)
        self._send(status, "application/xhtml+xml; charset=utf-8", chrome)

    def _not_found(
        self, snapshot: Snapshot, preview: Preview | None, name: str, message: str
    ) -> None:
        page = _page("pubtool: not found", f"<h1>Not found</h1>\n<p>{html.escape(message)}</p>")
        chrome = _with_chrome(page, snapshot, preview, name, self.server.live.root)
        self._send(HTTPStatus.NOT_FOUND, "application/xhtml+xml; charset=utf-8", chrome)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # every reload shows the latest build
        self.end_headers()
        self.wfile.write(body)


# ---------------------------------------------------------------- pages


def _page(title: str, body: str) -> bytes:
    """A page of the preview itself (errors, not found), as XHTML like the editions' pages."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{html.escape(title)}</title>\n</head>\n'
        f'<body class="pubtool-page">\n{body}\n</body>\n</html>\n'
    ).encode()


def _diagnostics_html(diagnostics: tuple[Diagnostic, ...], root: Path) -> str:
    ordered = sorted(diagnostics, key=lambda d: d.severity is not Severity.ERROR)
    return "\n".join(
        f'<pre class="pubtool-diagnostic pubtool-{d.severity.value}">'
        f"{html.escape(d.format(root))}</pre>"
        for d in ordered
    )


def _with_chrome(
    content: bytes, snapshot: Snapshot, preview: Preview | None, href: str, root: Path
) -> bytes:
    """A page with the preview's stylesheet, bar and reloading script added.

    They are inserted as text before ``</head>`` and ``</body>``, which a rendered
    document (well-formed XHTML, text escaped) holds once each; the document itself is
    left as the EPUB has it.
    """
    text = content.decode("utf-8")
    head = (
        f'<meta name="pubtool-generation" content="{snapshot.generation}"/>\n'
        f'<link rel="stylesheet" type="text/css" href="{STYLE_URL}"/>\n'
    )
    body = _bar(snapshot, preview, href, root) + f'<script src="{SCRIPT_URL}"></script>\n'
    head_end, body_end = text.find("</head>"), text.rfind("</body>")
    if head_end < 0 or body_end < head_end:  # a project's template of another shape
        return content
    return (text[:head_end] + head + text[head_end:body_end] + body + text[body_end:]).encode()


def _bar(snapshot: Snapshot, preview: Preview | None, href: str, root: Path) -> str:
    """The preview's bar: languages, previous and next page, translator view, warnings."""
    e = html.escape
    lang = preview.lang if preview else ""
    parts = ['<span class="pubtool-name">pubtool preview</span>']
    languages = []
    for other in snapshot.previews:
        current = ' aria-current="page"' if other.lang == lang else ""
        label = f"{i18n.language_name(other.lang)} ({other.lang})"
        languages.append(
            f'<a href="/{e(quote(other.lang))}/{e(quote(href))}" hreflang="{e(other.lang)}"'
            f"{current}>{e(label)}</a>"
        )
    parts.append(f'<span class="pubtool-languages">{" ".join(languages)}</span>')
    rendition = preview.rendition if preview else None
    if rendition is not None:
        hrefs = [d.href for d in rendition.documents]
        at = hrefs.index(href) if href in hrefs else -1
        pages = []
        if at > 0:
            pages.append(f'<a href="{e(quote(hrefs[at - 1]))}" rel="prev">← previous</a>')
        pages.append(f'<a href="{e(render.NAV_HREF)}">contents</a>')
        if 0 <= at < len(hrefs) - 1:
            pages.append(f'<a href="{e(quote(hrefs[at + 1]))}" rel="next">next →</a>')
        parts.append(f'<span class="pubtool-pages">{" · ".join(pages)}</span>')
    if preview is not None and preview.lang != snapshot.source_lang:
        counts = Counter(f.status for f in preview.fallbacks)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        parts.append(
            '<a id="pubtool-translator" href="?translator=1" role="button" '
            'aria-pressed="false">translator view</a>'
            f'<span class="pubtool-translator-only">{e(summary or "all translated")}</span>'
        )
    warnings = [d for d in preview.diagnostics if d.severity is Severity.WARNING] if preview else []
    if warnings and rendition is not None:
        parts.append(
            f'<details class="pubtool-warnings"><summary>{len(warnings)} warning(s)</summary>'
            + "".join(f"<pre>{e(d.format(root))}</pre>" for d in warnings)
            + "</details>"
        )
    return f'<div id="pubtool-bar" lang="en" xml:lang="en">{" ".join(parts)}</div>\n'


LIVE_JS = """\
// pubtool serve: reload the page when the book is built again; the translator view.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="pubtool-generation"]');
  var generation = meta ? meta.getAttribute("content") : null;
  var key = "pubtool-translator";
  var asked = new URLSearchParams(location.search).get("translator");
  if (asked !== null) {
    localStorage.setItem(key, asked === "1" ? "1" : "0");
  }
  var toggle = document.getElementById("pubtool-translator");
  function show() {
    var on = localStorage.getItem(key) === "1";
    document.documentElement.classList.toggle("pubtool-translator", on);
    if (toggle) {
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.setAttribute("href", "?translator=" + (on ? "0" : "1"));
    }
  }
  show();
  if (toggle) {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      localStorage.setItem(key, localStorage.getItem(key) === "1" ? "0" : "1");
      show();
    });
  }
  var events = new EventSource("/_pubtool/events");
  events.onmessage = function (event) {
    if (generation !== null && event.data !== generation) {
      events.close();
      location.reload();
    }
  };
})();
"""

PREVIEW_CSS = """\
/* pubtool serve: the preview's bar, its own pages and the translator view. */
html { scroll-padding-top: 3em; }
body { padding-top: 2.8em; }
#pubtool-bar {
  position: fixed; top: 0; left: 0; right: 0; z-index: 1000;
  display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; align-items: baseline;
  padding: 0.4em 1em; background: #23272e; color: #e8e8e8;
  font: 14px/1.4 system-ui, sans-serif; text-align: left; text-indent: 0;
}
#pubtool-bar a { color: #9cd0ff; text-decoration: none; }
#pubtool-bar a[aria-current] { color: #fff; font-weight: bold; }
#pubtool-bar a[aria-pressed="true"] { color: #ffd166; font-weight: bold; }
#pubtool-bar .pubtool-name { font-weight: bold; }
#pubtool-bar details { position: relative; cursor: pointer; }
#pubtool-bar details pre {
  position: absolute; right: 0; width: min(50em, 90vw); max-height: 60vh; overflow: auto;
  margin: 0.3em 0 0; padding: 0.5em; background: #fffbe6; color: #222; white-space: pre-wrap;
}
.pubtool-page { max-width: 60em; margin: 0 auto; padding: 3.5em 1em 1em; font: 16px/1.5 system-ui; }
.pubtool-diagnostic {
  white-space: pre-wrap; padding: 0.5em 0.8em; border-left: 4px solid #c0392b;
  background: #fdecea; font: 14px/1.45 ui-monospace, monospace;
}
.pubtool-diagnostic.pubtool-warning { border-color: #c9a100; background: #fffbe6; }
.pubtool-translator-only, .pubtool-previous { display: none; }
html.pubtool-translator .pubtool-translator-only { display: inline; }
html.pubtool-translator .pubtool-untranslated,
html.pubtool-translator :has(> .pubtool-untranslated) { background: #ffd9d6; }
html.pubtool-translator .pubtool-fuzzy,
html.pubtool-translator :has(> .pubtool-fuzzy) { background: #fff0b3; }
html.pubtool-translator .pubtool-unusable,
html.pubtool-translator :has(> .pubtool-unusable) { background: #e8dcff; }
html.pubtool-translator .pubtool-previous {
  display: block; margin: 0.3em 0 0.5em; padding: 0.2em 0.6em; border-left: 3px solid #c9a100;
  background: #fffbe6; color: #444; font-size: 0.85em; font-style: normal;
  text-indent: 0; text-align: left;
}
html.pubtool-translator .pubtool-previous::before {
  content: "previous source: "; font-weight: bold;
}
"""
