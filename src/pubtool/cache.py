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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pubtool import __version__, files
from pubtool.project import Project


def load(project: Project) -> dict[str, str]:
    try:
        data = json.loads(project.cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def save(project: Project, keys: dict[str, str]) -> None:
    files.write_bytes(project.cache_file, json.dumps(keys, indent=1, sort_keys=True).encode())


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".mo")


def files_key(folders: Iterable[Path]) -> str:
    """A hash of the names and bytes of every file in ``folders`` (compiled catalogs aside)."""
    digest = hashlib.sha256(__version__.encode())
    for folder in folders:
        for path in _files(folder):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"unreadable")
    return digest.hexdigest()


def quick_key(project: Project, catalog_languages: Sequence[str]) -> str:
    """A hash of every file that can reach an edition whose catalogs are those of
    ``catalog_languages`` (none for the source language; a derived edition's own, then
    those of the editions it is made from)."""
    inputs = project.edition_inputs(catalog_languages)
    return content_key(files_key(inputs), os.environ.get("SOURCE_DATE_EPOCH", ""))


def content_key(*parts: bytes | str) -> str:
    """A hash of what a writer receives."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def up_to_date(project: Project, languages: Mapping[str, Sequence[str]]) -> bool:
    """Whether no file that reaches the editions of ``languages`` (each with the
    languages whose catalogs reach it) changed since the last build, and every output of
    it is still there."""
    keys = load(project)
    outputs = [Path(k) for k in keys if not k.startswith("quick:")]
    if not outputs or not all(p.exists() for p in outputs):
        return False
    return all(
        keys.get(f"quick:{lang}") == quick_key(project, chain) for lang, chain in languages.items()
    )
