"""The preview's HTTP server: the editions' pages with the preview's bar, and page reloads.

Routes: ``/`` leads to the source language (or ``--lang``); ``/<lang>/<file>`` is a page,
the stylesheet, the cover or an image of that language's edition; ``/_pubtool/`` holds the
preview's own script and stylesheet (``static/``) and the Server-Sent Events stream
(``events``), on which every page hears the generation of each new build.
"""

from __future__ import annotations

import contextlib
import html
import socket
from collections import Counter
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pubtool import i18n, render
from pubtool.errors import Diagnostic, PubtoolError, Severity
from pubtool.serve.preview import Live, Preview, Snapshot

EVENTS_URL = "/_pubtool/events"
SCRIPT_URL = "/_pubtool/live.js"
STYLE_URL = "/_pubtool/preview.css"
KEEPALIVE_SECONDS = 10.0
STATIC = Path(__file__).parent / "static"


#: The preview's own files: name in static/, content type.
OWN_FILES = {
    SCRIPT_URL: ("live.js", "text/javascript; charset=utf-8"),
    STYLE_URL: ("preview.css", "text/css; charset=utf-8"),
}


@cache
def _static(name: str) -> bytes:
    """A file of the preview's own (its script, its stylesheet), read once."""
    return (STATIC / name).read_bytes()


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
        address, port = self.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else str(address)
        shown = f"[{host}]" if ":" in host else host
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
        snapshot = self.server.live.snapshot
        own = OWN_FILES.get(path)
        if path == EVENTS_URL:
            self._events()
        elif own is not None:
            self._send(HTTPStatus.OK, own[1], _static(own[0]))
        elif not snapshot.previews:
            self._problems(snapshot, None, "", snapshot.problems)
        elif path == "/":
            languages = [p.lang for p in snapshot.previews]
            home = self.server.home if self.server.home in languages else snapshot.source_lang
            self._redirect(f"/{quote(home or languages[0])}/")
        else:
            lang, slash, name = path.lstrip("/").partition("/")
            preview = snapshot.preview(lang)
            if preview is None:
                self._not_found(snapshot, None, "", f"This book has no edition in {lang!r}.")
            elif not slash:
                self._redirect(f"/{quote(lang)}/")
            elif preview.rendition is None:
                self._problems(snapshot, preview, name, preview.diagnostics)
            else:
                self._edition_file(snapshot, preview, preview.rendition, name)

    def _edition_file(
        self, snapshot: Snapshot, preview: Preview, rendition: render.Rendition, name: str
    ) -> None:
        """A file of one language's edition: a page, its stylesheet, the cover, an image."""
        live = self.server.live
        if not name:
            chapters = [d for d in rendition.documents if d.role == "chapter"]
            first = chapters[0] if chapters else rendition.documents[0]
            self._redirect(f"/{quote(preview.lang)}/{quote(first.href)}")
            return
        document = preview.document(name)
        resource = next((r for r in rendition.resources if r.href == name), None)
        if document is not None:
            page = _with_chrome(document.content, snapshot, preview, name, live.project.root)
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
                data = resource.file.read_bytes()
            except OSError:
                self._not_found(snapshot, preview, name, f"{resource.file} cannot be read.")
                return
            self._send(HTTPStatus.OK, resource.media_type or "application/octet-stream", data)
        else:
            message = f"The {preview.lang} edition has no page {name!r}."
            self._not_found(snapshot, preview, name, message)

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
            + _diagnostics_html(diagnostics, self.server.live.project.root)
        )
        page = _page("pubtool: errors", body)
        status = HTTPStatus.INTERNAL_SERVER_ERROR
        chrome = _with_chrome(page, snapshot, preview, name, self.server.live.project.root)
        self._send(status, "application/xhtml+xml; charset=utf-8", chrome)

    def _not_found(
        self, snapshot: Snapshot, preview: Preview | None, name: str, message: str
    ) -> None:
        page = _page("pubtool: not found", f"<h1>Not found</h1>\n<p>{html.escape(message)}</p>")
        chrome = _with_chrome(page, snapshot, preview, name, self.server.live.project.root)
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
