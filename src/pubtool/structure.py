"""The book's structure: which chapter files are in it, in what order, and what each is.

Without ``contents`` in book.yaml, every ``manuscript/*.md`` file is a numbered chapter,
in the natural order of the names. With it, the book is what ``contents`` lists (see
:func:`pubtool.config._contents` for its syntax): front matter, chapters (in parts,
with sub-chapters), back matter. This module finds the files, reports the entries that
name none, and numbers the chapters: chapters 1, 2, 3 through the parts, sub-chapters
3.1, 3.2, appendices A, B; front matter and the other kinds are not numbered.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pubtool.errors import Location, Report, did_you_mean
from pubtool.model import Chapter, ContentsEntry, Inline, Metadata, Part
from pubtool.project import Project


def chapter_files(
    project: Project, metadata: Metadata, report: Report
) -> list[tuple[Path, ContentsEntry]]:
    """Each chapter file of the book, in order, with where it stands; every entry of
    ``contents`` that names no usable file reported at its line."""
    if not metadata.contents:
        return [
            (path, ContentsEntry(path.name, "body", "chapter")) for path in project.chapter_paths()
        ]
    manuscript = project.manuscript.resolve()
    found: list[tuple[Path, ContentsEntry]] = []
    seen: dict[Path, int | None] = {}
    for entry in metadata.contents:
        where = Location(project.book_yaml, entry.line)
        path = (project.manuscript / entry.file).absolute()
        real = path.resolve()
        if not real.is_relative_to(manuscript):
            report.error(
                "contents-outside",
                f"contents entry {entry.file!r} is not in manuscript/",
                where,
                "chapters are files of manuscript/ (or of folders in it)",
            )
        elif real.suffix.lower() != ".md":
            report.error(
                "contents-type", f"contents entry {entry.file!r} is not a Markdown file", where
            )
        elif not real.is_file():
            report.error(
                "contents-missing",
                f"contents entry {entry.file!r}: no such file in manuscript/",
                where,
                _closest(path, manuscript),
            )
        elif real in seen:
            report.error(
                "contents-duplicate",
                f"contents entry {entry.file!r} is listed twice (first on line {seen[real]})",
                where,
            )
        else:
            seen[real] = entry.line
            found.append((path, entry))
    for path in project.chapter_paths():
        if path.resolve() not in seen:
            report.warning(
                "contents-unlisted",
                f"{path.name} is not in the book's contents: it is left out",
                Location(project.book_yaml, metadata.line_of("contents")),
                "add it to `contents`, or move it out of manuscript/ if it is a draft",
            )
    return found


def _closest(missing: Path, manuscript: Path) -> str:
    names = sorted(
        p.relative_to(manuscript).as_posix() for p in manuscript.rglob("*.md") if p.is_file()
    )
    wanted = (
        missing.relative_to(manuscript).as_posix()
        if missing.is_relative_to(manuscript)
        else missing.name
    )
    return did_you_mean(wanted, names) or (
        "the chapter files: " + ", ".join(names[:8]) if names else "manuscript/ has no .md files"
    )


def placed(chapter: Chapter, entry: ContentsEntry) -> Chapter:
    """``chapter`` where ``entry`` puts it in the book."""
    return replace(
        chapter,
        matter=entry.matter,
        semantic=entry.semantic,
        depth=entry.depth,
        part=entry.part,
    )


def numbered(chapters: list[Chapter]) -> list[Chapter]:
    """The chapters with their numbers: chapters 1, 2, 3 across the parts, their
    sub-chapters 3.1, 3.2, appendices A, B (and A.1); "" for every other kind."""
    out: list[Chapter] = []
    counts = {"chapter": 0, "appendix": 0}
    parent, subs = "", 0
    for chapter in chapters:
        number = ""
        kind = chapter.semantic if chapter.semantic in counts else ""
        if chapter.depth == 0:
            parent, subs = "", 0
            if kind:
                counts[kind] += 1
                n = counts[kind]
                parent = str(n) if kind == "chapter" else _letters(n)
                number = parent
        elif kind and parent:
            subs += 1
            number = f"{parent}.{subs}"
        out.append(replace(chapter, number=number))
    return out


def _letters(n: int) -> str:
    """A, B, … Z, AA, AB…: an appendix's letter."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def parts(
    metadata: Metadata, project: Project, parse: Callable[[str, Location], tuple[Inline, ...]]
) -> tuple[Part, ...]:
    """The book's parts, their titles read as inline Markdown by ``parse``."""
    made = []
    for number, (title, line) in enumerate(metadata.parts, 1):
        where = Location(project.book_yaml, line)
        made.append(Part(number, parse(title, where), title, where))
    return tuple(made)
