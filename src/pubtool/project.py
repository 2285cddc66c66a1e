"""The layout of a book project: where its sources are and where its outputs go.

Every path pubtool reads or writes in a project is named here and nowhere else::

    manuscript/book.yaml        the book's metadata
    manuscript/glossary.yaml    the glossary
    manuscript/*.md             the chapters, in file-name order
    templates/                  the project's own templates (they win over pubtool's)
    locales/<domain>.pot        catalog templates
    locales/<lang>/LC_MESSAGES/ a language's catalogs
    build/                      outputs, and pubtool's caches (build/.pubtool-*)

Standard library only: ``pubtool build`` reads the layout before anything is imported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: pubtool's own templates; a file of the same name in a project's templates/ wins.
PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
#: pubtool's own catalogs of its templates' words, one folder per language
#: (``locales/<tag>/LC_MESSAGES/ui.po``); a project's ``ui.po`` wins, message by message.
PACKAGE_LOCALES = Path(__file__).parent / "locales"


@dataclass(frozen=True, slots=True)
class Project:
    """A book project on disk, by its folder (always absolute)."""

    root: Path

    @classmethod
    def at(cls, folder: Path) -> Project:
        return cls(folder.absolute())

    # ------------------------------------------------------------ sources

    @property
    def manuscript(self) -> Path:
        return self.root / "manuscript"

    @property
    def book_yaml(self) -> Path:
        return self.manuscript / "book.yaml"

    @property
    def glossary_yaml(self) -> Path:
        return self.manuscript / "glossary.yaml"

    def chapter_paths(self) -> list[Path]:
        """Every chapter of the project, in the natural order of the file names: their
        numbers by value (``2-x.md`` before ``10-x.md``), the rest by letters."""
        return sorted(self.manuscript.glob("*.md"), key=lambda p: natural_key(p.name))

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def template_folders(self) -> tuple[Path, Path]:
        """Where templates are looked for: the project's folder first, then pubtool's."""
        return (self.templates, PACKAGE_TEMPLATES)

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    def catalog_template(self, domain: str) -> Path:
        return self.locales / f"{domain}.pot"

    def catalog_folder(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES"

    def catalog(self, lang: str, domain: str) -> Path:
        return self.catalog_folder(lang) / f"{domain}.po"

    def catalog_templates(self) -> list[Path]:
        """The chapters' catalog templates (``ch-*.pot``) there are now."""
        return sorted(self.locales.glob("ch-*.pot"))

    @staticmethod
    def package_catalog(tag: str, domain: str) -> Path:
        """One of pubtool's own catalogs (for ``ui``: the words of its templates)."""
        return PACKAGE_LOCALES / tag / "LC_MESSAGES" / f"{domain}.po"

    def catalogs(self, lang: str) -> list[Path]:
        """Every catalog of ``lang`` there is now, by name."""
        return sorted(self.catalog_folder(lang).glob("*.po"))

    def edition_inputs(self, catalog_languages: Sequence[str] = ()) -> list[Path]:
        """The folders whose files can reach an edition: the manuscript, the templates
        and the catalogs of ``catalog_languages`` (a translated edition's language; for
        a derived edition, also those of the editions it is made from)."""
        folders = [self.manuscript, *self.template_folders, PACKAGE_LOCALES]
        folders += [self.locales / lang for lang in catalog_languages]
        return folders

    def watched(self) -> list[Path]:
        """The folders the preview watches: those of every edition, that exist."""
        folders = (self.manuscript, self.locales, *self.template_folders)
        return [folder for folder in folders if folder.is_dir()]

    def shown(self, path: Path) -> str:
        """``path`` as a catalog's location comment writes it: relative to the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name

    # ------------------------------------------------------------ outputs

    @property
    def build(self) -> Path:
        return self.root / "build"

    def output(self, slug: str, lang: str, suffix: str) -> Path:
        """An edition's file: ``build/<slug>-<lang><suffix>``."""
        return self.build / f"{slug}-{lang}{suffix}"

    @property
    def cache_file(self) -> Path:
        """What was built from what (see :mod:`pubtool.cache`)."""
        return self.build / ".pubtool-cache.json"

    @property
    def drawings(self) -> Path:
        """SVG drawn as PNG, kept between builds (see :mod:`pubtool.raster`)."""
        return self.build / ".pubtool-raster"

    def page_map(self, lang: str) -> Path:
        """Where each printed page of ``lang`` begins (see :mod:`pubtool.pagelist`)."""
        return self.build / f".pubtool-pages-{lang}.json"

    # ------------------------------------------------------------ the editions' date

    def modified(self, date: dt.date | None, chapters: Iterable[Path]) -> dt.datetime:
        """The editions' date, the same from build to build and machine to machine.

        SOURCE_DATE_EPOCH when set, else the book's ``date``, else the last commit of the
        manuscript, else (outside version control) the newest chapter.
        """
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not epoch.isdigit() and date is not None:
            return dt.datetime(date.year, date.month, date.day)
        if not epoch.isdigit() and shutil.which("git"):
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct", "--", "manuscript"],
                cwd=self.root,
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
        if not epoch.isdigit():
            epoch = str(int(max((p.stat().st_mtime for p in chapters), default=0.0)))
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)


def natural_key(name: str) -> tuple[tuple[int, str], ...]:
    """A sort key for ``name`` that reads each run of digits as a number (natural order):
    ``2-b`` before ``10-a``, and ``01-a`` beside ``1-a``."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part.casefold())
        for part in re.split(r"(\d+)", name)
    )
