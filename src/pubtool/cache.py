"""What was built from what: keys over a build's inputs, kept in ``build/.pubtool-cache.json``.

Two levels. The quick key hashes the bytes of every file that can reach an edition
(the manuscript, the language's catalogs, the project's and the package's templates)
and pubtool's version; when it has not changed and the outputs are there, a build has
nothing to do, and finds that out without importing any of the libraries that render.
Otherwise each output is keyed on what its writer receives (the rendered documents),
so an edit that changes nothing in an edition (a reflowed paragraph, a line of the
other language) does not rewrite it. Standard library only: it runs before anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from pubtool import __version__, files

CACHE_NAME = ".pubtool-cache.json"
PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def cache_path(root: Path) -> Path:
    return root / "build" / CACHE_NAME


def load(root: Path) -> dict[str, str]:
    try:
        data = json.loads(cache_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def save(root: Path, keys: dict[str, str]) -> None:
    files.write_bytes(cache_path(root), json.dumps(keys, indent=1, sort_keys=True).encode())


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".mo")


def quick_key(root: Path, lang: str, source: bool) -> str:
    """A hash of every file that can reach the editions of ``lang``."""
    digest = hashlib.sha256(__version__.encode())
    folders = [root / "manuscript", root / "templates", PACKAGE_TEMPLATES]
    if not source:
        folders.append(root / "locales" / lang)
    for folder in folders:
        for path in _files(folder):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"unreadable")
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return digest.hexdigest()


def content_key(*parts: bytes | str) -> str:
    """A hash of what a writer receives."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
