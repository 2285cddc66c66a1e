"""`pubtool init`: a new book project that builds at once.

The project gets ``book.yaml``, a first chapter that uses a glossary term and a
footnote, a glossary of one entry, a ``.gitignore`` for ``build/``, and (through the
same code as ``pubtool i18n update``) a catalog for each further language. Nothing is
written over: if any of these files exists, nothing is written at all. The files are
first written into a hidden folder and checked with the ``book.yaml`` reader, so a bad
``--language`` leaves no half-made project behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from pubtool import i18n
from pubtool.config import load_metadata
from pubtool.errors import Location, PubtoolError, Report
from pubtool.project import Project

CHAPTER = """\
---
title: First Chapter
---

This is the first chapter of *{title}*. Write in Markdown: paragraphs, *emphasis*,
lists, tables, images and footnotes[^1] all work as you would expect.

A Chinese term from the glossary is written as {{term}}`cha`: the first time it is used
in a chapter, the edition shows its hanzi and pinyin, and the glossary links back here.
Later uses, like {{term}}`cha` here, show only the term.

## A section

Each level-two heading is a section in the table of contents.

[^1]: Footnotes appear at the foot of the printed page and as pop-up notes in the EPUB.
"""

GLOSSARY = """\
# One entry per term: the key is what {term}`...` refers to in the chapters.
cha:
  term: Cha
  hanzi: 茶
  pinyin: chá
  definition: Tea; in Chinese the word names the drink and the leaf alike.
"""

BOOK_YAML = """\
# The book's metadata. Every key is described in the configuration reference.
title: {title}
authors: [{author}]
language: {language}
languages: [{languages}]
identifier: urn:uuid:{uuid}
date: {date}
description: >-
  What this book is about, in a sentence or two, for catalogues and reading apps.
"""

GITIGNORE = "build/\n*.mo\n"  # builds compile the catalogs beside them


def new_project(
    target: Path, title: str, author: str, language: str, languages: list[str]
) -> list[Path]:
    """Write a new book project into ``target`` (made if needed); return the files."""
    layout = Project.at(target)
    contents = {
        layout.book_yaml: BOOK_YAML.format(
            title=json.dumps(title, ensure_ascii=False),
            author=json.dumps(author, ensure_ascii=False),
            language=json.dumps(language),
            languages=", ".join(json.dumps(lang) for lang in languages),
            uuid=uuid.uuid4(),
            date=dt.date.today().isoformat(),
        ),
        layout.manuscript / "01-first-chapter.md": CHAPTER.format(title=title),
        layout.glossary_yaml: GLOSSARY,
        layout.root / ".gitignore": GITIGNORE,
    }
    files = {path.relative_to(layout.root).as_posix(): text for path, text in contents.items()}
    taken = [target / name for name in files if (target / name).exists()]
    if taken:
        report = Report()
        for path in taken:
            report.error(
                "init-exists",
                "this file already exists; init writes over nothing, so nothing was written",
                Location(path),
                "choose a new folder, or edit the existing project",
            )
        report.stop_if_failed()
    fresh = not target.exists()
    holder = target.parent if fresh else target
    holder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pubtool-init-", dir=holder))
    try:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        report = Report()
        load_metadata(Project.at(staging), report)
        problems = [d.message for d in report.errors] + [
            f"CLDR has no data for the language {lang!r}"
            for lang in [language, *languages]
            if not i18n.is_known_language(lang)
        ]
        if problems:
            raise PubtoolError(
                "; ".join(problems) + "; nothing was written",
                hint="give --language and --languages as language tags such as en, zh, fr",
            )
        if fresh:
            staging.chmod(0o755)
            staging.rename(target)  # the whole project appears at once
        else:
            _link_into(staging, target, list(files))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in files]


def _link_into(staging: Path, target: Path, names: list[str]) -> None:
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:  # a link, unlike a rename, never replaces a file that appeared meanwhile
            os.link(staging / name, destination)
        except FileExistsError:
            raise PubtoolError(
                "this file appeared while the project was written; it was left as it was",
                location=Location(destination),
            ) from None
