"""Watch the sources of a book (watchfiles) and build the preview again on each change."""

from __future__ import annotations

import threading
from pathlib import Path

from pubtool.serve.preview import Live

# Not sources of an edition: compiled catalogs, catalog templates, editors' backups and the
# temporary files pubtool and editors write before renaming them into place.
IGNORED_SUFFIXES = (".mo", ".pot", ".tmp", ".swp", ".swx", "~")


def _relevant(_change: object, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(IGNORED_SUFFIXES))


def watch(live: Live, stop: threading.Event) -> None:
    """Build again after every change to the sources, until ``stop`` is set."""
    import watchfiles  # only the preview watches files

    polling = False
    while not stop.is_set():
        folders = live.project.watched()
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
                moved = live.project.watched() != folders
                if changes or moved:
                    live.rebuild()
                if moved:
                    break  # watch the folders there are now
        except Exception as exc:  # a folder removed under the watcher, no inotify watch left
            if not polling:
                live.say(f"pubtool: watching {live.project.root} failed ({exc}); polling instead")
            polling = True
            stop.wait(1.0)
