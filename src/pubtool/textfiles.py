"""Read the text files an author writes: strict UTF-8, an optional BOM, LF or CRLF line ends.

Every problem is reported with the file and line where it sits, so the author can
find it: bytes that are not UTF-8 (with their byte offset), and characters XML forbids.
"""

from __future__ import annotations

import re
from pathlib import Path

from pubtool.errors import Location, Report

# Characters that XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets), and the
# C1 controls and non-characters it discourages, which EPUBCheck rejects too.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def read_text(path: Path, report: Report) -> str | None:
    """The text of ``path`` with line ends folded to LF, or None (and errors) if unusable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error("read", f"cannot read file: {exc.strerror}", Location(path))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.error(
            "encoding",
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x})",
            Location(path, line),
            "save the file as UTF-8 in your editor",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ok = True
    for lineno, line_text in enumerate(text.split("\n"), start=1):
        for match in _FORBIDDEN.finditer(line_text):
            ok = False
            report.error(
                "xml-char",
                f"character U+{ord(match.group()):04X} is not allowed in XML "
                f"(column {match.start() + 1})",
                Location(path, lineno),
                "delete it; it is usually left by a copy and paste",
            )
    return text if ok else None


def line_of(path: Path, start: int | None, text: str) -> int | None:
    """The first line of ``path``, from line ``start`` on, that holds ``text`` (for a
    diagnostic about a character, at its own line rather than its block's first); else
    ``start``."""
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return start
    first = max((start or 1) - 1, 0)
    for number, line in enumerate(lines[first:], start=first + 1):
        if text in line:
            return number
    return start
