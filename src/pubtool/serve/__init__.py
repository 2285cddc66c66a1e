"""``pubtool serve``: a live preview of every edition in the browser, rebuilt on each change.

- :mod:`.preview`: each language's edition made by the spine (:func:`pipeline.prepare_edition`,
  with the translator view's marks) and rendered with the EPUB's templates, in memory;
- :mod:`.watch`: a thread that watches the sources (watchfiles) and builds again;
- :mod:`.server`: the HTTP server: the editions' pages under ``/en/``, ``/zh/``…, the
  preview's bar, its script and stylesheet (``static/``), and Server-Sent Events that
  make every page reload itself when the build's generation changes.

The preview writes no file into the project.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from pubtool.config import load_metadata
from pubtool.errors import Report
from pubtool.pipeline import edition_language
from pubtool.project import Project
from pubtool.serve.preview import Live
from pubtool.serve.server import listen
from pubtool.serve.watch import watch


def serve(folder: Path, lang: str | None, host: str, port: int, say: Callable[[str], None]) -> None:
    """Serve the live preview of the book in ``folder`` until Ctrl-C."""
    project = Project.at(folder)
    metadata = load_metadata(project, Report())
    if metadata is not None and lang is not None:
        lang = edition_language(metadata, lang)  # refuses a language the book does not have
    live = Live(project, say)
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
