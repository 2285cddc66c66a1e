"""book.yaml: required keys, defaults, and every problem reported at its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write_project

from pubtool.config import load_metadata, slugify
from pubtool.errors import Report
from pubtool.project import Project


def load(tmp_path: Path, text: str) -> tuple[object, Report]:
    root = write_project(tmp_path, {"manuscript/book.yaml": text})
    report = Report()
    return load_metadata(Project.at(root), report), report


def test_minimal_book_gets_defaults(tmp_path: Path) -> None:
    meta, report = load(tmp_path, "title: 'Coal & Clay: A Study'\nlanguage: en\n")
    assert not report.diagnostics
    assert meta.slug == "coal-clay-a-study"
    assert meta.authors == () and meta.languages == () and meta.date is None
    assert meta.identifier.startswith("urn:uuid:")
    again, _ = load(tmp_path, "title: 'Coal & Clay: A Study'\nlanguage: en\n")
    assert again.identifier == meta.identifier  # derived, never random


def test_full_book(tmp_path: Path) -> None:
    meta, report = load(
        tmp_path,
        "title: T\nlanguage: en\nlanguages: [zh, fr]\nauthors: Solo Author\n"
        "date: '2026-02-03'\nsubjects: [a, b]\nslug: my-book\nidentifier: 978-3-16-148410-0\n",
    )
    assert not report.diagnostics
    assert meta.languages == ("zh", "fr") and meta.authors == ("Solo Author",)
    assert meta.date == dt.date(2026, 2, 3) and meta.slug == "my-book"
    assert meta.identifier == "978-3-16-148410-0"


def test_every_bad_key_is_reported_at_once(tmp_path: Path) -> None:
    meta, report = load(
        tmp_path, "languages: [zh, 'not a tag']\ntitel: T\nauthors: {a: 1}\ndate: soon\n"
    )
    assert meta is None
    found = [(d.severity.value, d.location.line, d.code) for d in report.diagnostics]
    assert ("error", 1, "config-language") in found
    assert ("warning", 2, "config-unknown-key") in found
    assert ("error", 3, "config-type") in found
    assert ("error", 4, "config-date") in found
    missing = {d.message for d in report.diagnostics if d.code == "config-missing-key"}
    assert missing == {"missing required key 'title'", "missing required key 'language'"}
    hint = next(d.hint for d in report.diagnostics if d.code == "config-unknown-key")
    assert hint == "did you mean 'title'?"


def test_slugify() -> None:
    assert slugify("Ünïcode — Café 2") == "unicode-cafe-2"
    assert slugify("平顶山") == ""


def test_readme_points_to_the_generated_reference() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "(docs/configuration.md)" in readme  # every key is there (tests/test_docs.py)
