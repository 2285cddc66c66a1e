"""Where each printed page begins, so that the EPUB can carry the print edition's pages.

The PDF writer reads the page starts off WeasyPrint's layout (:func:`writers.pdf`); they
are kept beside the outputs, in ``build/.pubtool-pages-<lang>.json``, under the key of
the print document they came from. An EPUB built from the same text uses them for its
``pagebreak`` markers and ``page-list``; after an edit, until the PDF is built again, the
EPUB has no page list rather than a wrong one. Standard library only.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pubtool import files

GLOSSARY = "glossary"


@dataclass(frozen=True, slots=True)
class PageStart:
    """Where printed page ``label`` begins: in ``section`` (a chapter's id, or "glossary"),
    at block ``block`` (-1: the section's own start), ``text`` into it ("" at its start).

    A chapter's blocks are the elements after its title; the glossary's are its entries
    (``dt`` and ``dd``). ``text`` is the start of the page's first line when the page
    begins inside a block.
    """

    label: str
    section: str
    block: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class PrintPages:
    """The pages of a print edition, for an EPUB of the same text."""

    source: str  # names the print edition, for the EPUB's pageBreakSource
    starts: tuple[PageStart, ...]
    #: the printed page of each place the index points at (its anchor)
    anchors: Mapping[str, int] = field(default_factory=dict)


def save(
    file: Path, key: str, pdf_name: str, starts: list[PageStart], anchors: Mapping[str, int]
) -> None:
    data = {
        "key": key,
        "pdf": pdf_name,
        "pages": [asdict(s) for s in starts],
        "anchors": dict(anchors),
    }
    with contextlib.suppress(OSError):  # the EPUB then has no page list; the PDF is fine
        files.write_bytes(file, json.dumps(data, ensure_ascii=False, indent=0).encode())


def load(file: Path, key: str) -> tuple[str, list[PageStart], dict[str, int]] | None:
    """The print edition's name, its page starts and the pages of the index's places, if
    made from the print document with ``key``; otherwise None."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        anchors = {str(k): int(v) for k, v in data.get("anchors", {}).items()}
        return str(data["pdf"]), [PageStart(**page) for page in data["pages"]], anchors
    except (OSError, ValueError, TypeError, KeyError):
        return None
