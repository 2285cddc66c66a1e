"""Read ``manuscript/book.yaml`` into :class:`pubtool.model.Metadata`, reporting every bad key."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pubtool.errors import Location, Report
from pubtool.model import Metadata
from pubtool.sources import read_text
from pubtool.yamldoc import LinedDict, load_yaml


@dataclass(frozen=True, slots=True)
class Key:
    """One key of ``book.yaml``: its name, the kind of value, and what it means."""

    name: str
    kind: str  # "text", "list", "date" or "language"
    doc: str
    required: bool = False


SCHEMA: tuple[Key, ...] = (
    Key("title", "text", "The book's title.", required=True),
    Key("language", "language", "The source language, a BCP 47 tag such as `en`.", required=True),
    Key("languages", "list", "The languages of the other editions, e.g. `[zh]`."),
    Key("subtitle", "text", "A subtitle, shown on the cover and the title page."),
    Key("authors", "list", "The authors, in the order they are credited."),
    Key("publisher", "text", "The publisher's name."),
    Key(
        "identifier", "text", "ISBN, URN or UUID; by default a UUID derived from title and authors."
    ),
    Key("date", "date", "Publication date, YYYY-MM-DD."),
    Key("description", "text", "A short description for catalogues and reading apps."),
    Key("subjects", "list", "Subject headings."),
    Key("rights", "text", "The rights statement printed on the copyright page."),
    Key("slug", "text", "The base of output file names; by default derived from the title."),
    Key("min_translated", "percent", "`pubtool check` fails below this % translated (0-100)."),
    Key("page_size", "page", "The print page: A5 (the default), A4, B5, letter, or `140mm 210mm`."),
    Key(
        "fonts",
        "fonts",
        "Print font preferences: `latin` and `zh`, each with `body` and `heading` lists.",
    ),
    Key(
        "accessibility_summary",
        "text",
        "A sentence for readers on how accessible the book is; a sensible default is written.",
    ),
)

PAGE_SIZES = ("A3", "A4", "A5", "A6", "B4", "B5", "JIS-B4", "JIS-B5", "letter", "legal", "ledger")
_PAGE_DIMENSIONS = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt) \d+(\.\d+)?(mm|cm|in|pt)$")
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*$")


def book_yaml_path(root: Path) -> Path:
    return root / "manuscript" / "book.yaml"


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens ("Coal & Clay" -> "coal-clay")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def load_metadata(root: Path, report: Report) -> Metadata | None:
    """Read and check ``book.yaml``; None if it cannot be used (errors are in ``report``)."""
    path = book_yaml_path(root)
    if not path.is_file():
        report.error(
            "config-missing",
            "no book.yaml: this folder is not a book project",
            Location(path),
            "run pubtool in a book project's folder, or give one with --project DIR",
        )
        return None
    text = read_text(path, report)
    if text is None:
        return None
    data = load_yaml(text, path, report)
    if data is None and not report.errors:
        data = LinedDict()
        data.line, data.key_lines = 1, {}
    if not isinstance(data, LinedDict):
        if data is not None:
            report.error(
                "config-type", "book.yaml must be a mapping of keys to values", Location(path, 1)
            )
        return None
    return _validate(data, path, report)


def _validate(data: LinedDict, path: Path, report: Report) -> Metadata | None:
    known = {key.name: key for key in SCHEMA}
    values: dict[str, Any] = {}
    ok = True
    for name, value in data.items():
        where = Location(path, data.key_lines.get(name))
        key = known.get(str(name))
        if key is None:
            close = difflib.get_close_matches(str(name), known, n=1)
            report.warning(
                "config-unknown-key",
                f"unknown key {name!r}",
                where,
                f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}",
            )
            continue
        checked = _check_value(key, value, where, report)
        if checked is None:
            ok = False
        else:
            values[key.name] = checked
    for key in SCHEMA:
        if key.required and key.name not in values and key.name not in data:
            ok = False
            report.error(
                "config-missing-key",
                f"missing required key {key.name!r}",
                Location(path, data.line if data else 1),
                f"add a line such as `{key.name}: ...` ({key.doc})",
            )
    if not ok:
        return None
    title: str = values["title"]
    authors: tuple[str, ...] = values.get("authors", ())
    identifier = values.get("identifier") or (
        "urn:uuid:"
        + str(uuid.uuid5(uuid.NAMESPACE_URL, "pubtool:" + title + "|" + "|".join(authors)))
    )
    return Metadata(
        title=title,
        language=values["language"],
        languages=values.get("languages", ()),
        subtitle=values.get("subtitle", ""),
        authors=authors,
        publisher=values.get("publisher", ""),
        identifier=identifier,
        date=values.get("date"),
        description=values.get("description", ""),
        subjects=values.get("subjects", ()),
        rights=values.get("rights", ""),
        slug=values.get("slug") or slugify(title) or "book",
        accessibility_summary=values.get("accessibility_summary", ""),
        page_size=values.get("page_size", "A5"),
        min_translated=values.get("min_translated", 0.0),
        fonts=values.get("fonts", {}),
        key_lines=tuple((str(k), line) for k, line in data.key_lines.items()),
    )


def _check_value(key: Key, value: Any, where: Location, report: Report) -> Any:
    """The value converted to its kind, or None after reporting why it is wrong."""
    match key.kind:
        case "text":
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                text = str(value).strip()
                if text or not key.required:
                    return text
            report.error("config-type", f"{key.name!r} must be a non-empty text", where)
        case "language":
            if isinstance(value, str) and _BCP47.match(value):
                return value
            report.error(
                "config-language",
                f"{key.name!r} must be a BCP 47 language tag, not {value!r}",
                where,
                "for example en, zh, zh-Hans or fr",
            )
        case "list":
            items = [value] if isinstance(value, str) else value
            if isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items):
                if key.name == "languages":
                    bad = [i for i in items if not _BCP47.match(i)]
                    if bad:
                        report.error(
                            "config-language",
                            f"not a BCP 47 language tag: {', '.join(map(repr, bad))}",
                            where,
                        )
                        return None
                return tuple(i.strip() for i in items)
            report.error("config-type", f"{key.name!r} must be a list of texts", where)
        case "percent":
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
                return float(value)
            report.error("config-type", f"{key.name!r} must be a number from 0 to 100", where)
        case "page":
            text = str(value).strip()
            named = {size.lower(): size for size in PAGE_SIZES}
            if text.lower() in named:
                return named[text.lower()]
            if _PAGE_DIMENSIONS.match(text):
                return text
            close = difflib.get_close_matches(text, PAGE_SIZES, n=1)
            report.error(
                "config-page-size",
                f"unknown page size {text!r}",
                where,
                (f"did you mean {close[0]!r}? " if close else "")
                + f"known sizes: {', '.join(PAGE_SIZES)}, or a width and height like `140mm 210mm`",
            )
        case "fonts":
            ok = isinstance(value, dict) and all(
                group in {"latin", "zh"}
                and isinstance(roles, dict)
                and all(
                    role in {"body", "heading"}
                    and isinstance(names, list)
                    and all(isinstance(n, str) for n in names)
                    for role, names in roles.items()
                )
                for group, roles in value.items()
            )
            if ok:
                return {g: {r: list(n) for r, n in roles.items()} for g, roles in value.items()}
            report.error(
                "config-fonts",
                "'fonts' must map latin or zh to body and heading lists",
                where,
                "for example\n    fonts:\n      zh:\n        body: [Noto Serif CJK SC]",
            )
        case "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    pass
            report.error("config-date", f"{key.name!r} must be a date written YYYY-MM-DD", where)
    return None
