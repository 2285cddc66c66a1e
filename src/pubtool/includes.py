"""mdBook's includes: ``{{#include path}}`` and ``{{#rustdoc_include path}}``, with a
part of the file chosen as mdBook chooses it.

``path:10:20`` is lines 10 to 20, ``path:10`` line 10 only, ``path::20`` up to line 20,
``path:10:`` from line 10 on; ``path:name`` the lines between ``ANCHOR: name`` and
``ANCHOR_END: name``. The lines that mark anchors are left out of whatever is included.
``{{#rustdoc_include}}`` includes the same part (mdBook would add the rest of the file as
lines hidden from readers). A path starts at the file that holds the include and must
stay inside the project; an included file may include others, but not itself.
``\\{{#include x}}`` is the directive's text, not an include.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pubtool.errors import Location, Report, did_you_mean
from pubtool.textfiles import read_text

#: ``{{#include path:part}}``, and mdBook's other helpers, which are reported
DIRECTIVE = re.compile(r"(?P<escape>\\)?\{\{\s*#(?P<name>[a-z_]+)\s*(?P<args>[^{}]*?)\s*\}\}")
INCLUDES = ("include", "rustdoc_include")
_ANCHOR = re.compile(r"ANCHOR(?P<end>_END)?:\s*(?P<name>[\w-]+)")
_RANGE = re.compile(r"(?P<start>\d*)(?::(?P<end>\d*))?")
_MAX_DEPTH = 10


@dataclass(frozen=True, slots=True)
class Included:
    """What an include brings: the file, the text of the part chosen, and the line of
    the file that text starts on."""

    path: Path
    text: str
    first_line: int


def read_include(
    args: str, base: Path, root: Path, where: Location, report: Report, stack: tuple[Path, ...]
) -> Included | None:
    """The part of a file that ``{{#include args}}`` in ``base`` names; None, reported,
    if it cannot be had."""
    target, _, part = args.strip().partition(":")
    file = (base.parent / target).absolute()
    real = file.resolve()
    if not target:
        report.error("include-path", "an include without a file", where, "{{#include file.rs}}")
        return None
    if not real.is_relative_to(root):
        report.error(
            "include-outside",
            f"include {target!r} leads outside the book project",
            where,
            "copy the file into the project; includes and symbolic links must stay inside it",
        )
        return None
    if real in stack or len(stack) >= _MAX_DEPTH:
        chain = " -> ".join(p.name for p in (*stack, real))
        report.error("include-cycle", f"include {target!r} includes itself: {chain}", where)
        return None
    if not real.is_file():
        report.error(
            "include-missing", f"include {target!r} not found", where, _closest(real, root)
        )
        return None
    text = read_text(real, report)
    if text is None:
        return None
    lines = text.splitlines()
    if not part:
        return Included(real, _without_anchors(lines), 1)
    if not part[0].isdigit() and not part.startswith(":"):
        return _anchored(part, lines, real, target, where, report)
    match = _RANGE.fullmatch(part)
    if match is None:
        report.error(
            "include-range",
            f"include {args.strip()!r}: {part!r} is neither lines nor an anchor",
            where,
            "write path:10:20 (lines 10 to 20), path:10, path::20, path:10: or path:anchor",
        )
        return None
    start = int(match.group("start") or 1)
    end_text = match.group("end")
    end = start if end_text is None else int(end_text) if end_text else len(lines)
    if start > len(lines) or end < start:
        report.error(
            "include-range",
            f"include {args.strip()!r}: lines {start} to {end} are not in {target} "
            f"({len(lines)} lines)",
            where,
        )
        return None
    return Included(real, _without_anchors(lines[start - 1 : end]), start)


def _anchored(
    name: str, lines: list[str], real: Path, target: str, where: Location, report: Report
) -> Included | None:
    inside, first, taken = False, 0, list[str]()
    for number, line in enumerate(lines, 1):
        marker = _ANCHOR.search(line)
        if marker and marker.group("name") == name:
            if marker.group("end"):
                if inside:
                    return Included(real, "\n".join(taken), first)
            else:
                inside, first = True, number + 1
            continue
        if inside and not marker:
            taken.append(line)
    if inside:  # mdBook takes an anchor that is never ended to the end of the file
        return Included(real, "\n".join(taken), first)
    known = sorted({m.group("name") for line in lines for m in [_ANCHOR.search(line)] if m})
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    report.error(
        "include-anchor",
        f"include {target}:{name}: {target} has no line ANCHOR: {name}",
        where,
        f"its anchors: {', '.join(close or known)}" if known else f"{target} marks no anchors",
    )
    return None


def _without_anchors(lines: list[str]) -> str:
    return "\n".join(line for line in lines if not _ANCHOR.search(line))


def _closest(missing: Path, root: Path) -> str:
    folder = missing.parent
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    return (
        did_you_mean(missing.name, names, cutoff=0.6)
        or f"no file at {missing.relative_to(root) if missing.is_relative_to(root) else missing}"
    )


def expand_code(
    text: str,
    base: Path,
    root: Path,
    where: Callable[[int], Location],
    report: Report,
    stack: tuple[Path, ...] = (),
) -> str:
    """The text of a code block with each include replaced by what it names (includes in
    the included text too); ``where(i)`` is the place of the text's line ``i`` (from 0)."""
    if "{{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group("escape"):
            return match.group(0)[1:]
        line = text.count("\n", 0, match.start())
        if match.group("name") not in INCLUDES:
            unsupported(match.group("name"), where(line), report)
            return match.group(0)
        found = read_include(match.group("args"), base, root, where(line), report, stack)
        if found is None:
            return ""
        return expand_code(
            found.text,
            found.path,
            root,
            lambda i: Location(found.path, found.first_line + i),
            report,
            (*stack, found.path),
        )

    return DIRECTIVE.sub(replace, text)


def unsupported(name: str, where: Location, report: Report) -> None:
    report.warning(
        "include-unsupported",
        f"mdBook's {{{{#{name}}}}} is not read: it is shown as written",
        where,
        "pubtool reads {{#include path}} and {{#rustdoc_include path}}, in a code block "
        "or on a line of their own",
    )


_HIDDEN = re.compile(r"^\s*#(?: |$)")


def without_hidden_lines(code: str) -> str:
    """Rust code as mdBook shows it: the lines rustdoc hides (``# use std::io;``, a lone
    ``#``) left out, and ``##`` at the start of a line, its escape, shown as ``#``."""
    kept = []
    for line in code.split("\n"):
        if _HIDDEN.match(line):
            continue
        stripped = line.lstrip()
        if stripped.startswith("##"):
            line = line[: len(line) - len(stripped)] + stripped[1:]
        kept.append(line)
    return "\n".join(kept)
