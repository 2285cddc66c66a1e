"""Read ``manuscript/glossary.yaml`` and link every term reference of the book to its entry."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from pubtool import bookindex, i18n
from pubtool.errors import Location, Report
from pubtool.manuscript import MarkdownReader
from pubtool.model import (
    Block,
    Book,
    Chapter,
    FootnoteRef,
    Glossary,
    GlossaryEntry,
    Heading,
    Inline,
    InlineFn,
    TermRef,
    TermUse,
    Text,
    chapter_inlines,
    map_chapter_blocks,
    map_inlines,
    map_own_inlines,
)
from pubtool.project import Project
from pubtool.textfiles import read_text
from pubtool.yamldoc import LinedDict, load_yaml

FIELDS = ("term", "hanzi", "pinyin", "definition")
#: The optional fields: the hanzi of derived (converted) editions where the converter is
#: wrong: ``hanzi_hant`` for every Traditional edition, ``forms`` by language tag.
FORM_FIELDS = ("hanzi_hant", "forms")
#: where a term's uses go in the back-of-book index (see :func:`_index_entry`)
INDEX_FIELD = "index"
TERM_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def load_glossary(project: Project, reader: MarkdownReader, report: Report) -> Glossary:
    """Every entry of the glossary; a project without one has an empty glossary."""
    path = project.glossary_yaml
    if not path.exists():
        return Glossary()
    text = read_text(path, report)
    data = load_yaml(text, path, report) if text is not None else None
    if data is None:
        return Glossary()
    if not isinstance(data, LinedDict):
        report.error(
            "glossary-type", "glossary.yaml must map term ids to entries", Location(path, 1)
        )
        return Glossary()
    entries: dict[str, GlossaryEntry] = {}
    for term_id, fields in data.items():
        where = Location(path, data.key_lines[term_id])
        if not isinstance(term_id, str) or not TERM_ID.fullmatch(term_id):
            report.error(
                "glossary-id",
                f"term id {term_id!r} is not lowercase ASCII letters, digits and hyphens",
                where,
                "for example yao-bian; the id appears in links and anchors",
            )
            continue
        if not isinstance(fields, LinedDict):
            report.error(
                "glossary-entry",
                f"entry {term_id!r} must be a mapping with {', '.join(FIELDS)}",
                where,
            )
            continue
        values: dict[str, str] = {}
        for name in FIELDS:
            value = fields.get(name)
            if isinstance(value, str) and value.strip():
                values[name] = " ".join(value.split())
            else:
                report.error(
                    "glossary-field",
                    f"entry {term_id!r} has no {name}"
                    if value is None
                    else f"entry {term_id!r}: {name} must be a text",
                    Location(path, fields.key_lines.get(name, where.line)),
                    "every entry needs term, hanzi, pinyin (with tone marks) and definition",
                )
        for name in fields:
            if name not in FIELDS and name not in FORM_FIELDS and name != INDEX_FIELD:
                report.warning(
                    "glossary-unknown-field",
                    f"entry {term_id!r}: unknown field {name!r}",
                    Location(path, fields.key_lines[name]),
                    f"the fields are {', '.join(FIELDS)}, and optionally {', '.join(FORM_FIELDS)}",
                )
        forms = _forms(term_id, fields, path, report)
        filed = _index_entry(term_id, fields, path, report)
        # An entry with errors is kept, so that its uses are not reported as unknown too.
        definition_where = Location(path, fields.key_lines.get("definition", where.line))
        entries[str(term_id)] = GlossaryEntry(
            str(term_id),
            values.get("term", str(term_id)),
            values.get("hanzi", ""),
            values.get("pinyin", ""),
            reader.parse_inline(values.get("definition", ""), definition_where),
            where,
            definition_msgid=values.get("definition", ""),
            forms=forms,
            index=filed,
        )
    return Glossary(entries)


def _index_entry(
    term_id: str, fields: LinedDict, path: Path, report: Report
) -> tuple[str, ...] | None:
    """Where the term's uses go in the index: under its own name (no ``index`` field:
    ``()``), under the entry ``index`` names (``index: Jun porcelain; glazes``), or
    nowhere (``index: false``: None)."""
    value = fields.get(INDEX_FIELD, True)
    if value is True:
        return ()
    if value is False:
        return None
    where = Location(path, fields.key_lines.get(INDEX_FIELD))
    parsed = bookindex.parse_entry(value) if isinstance(value, str) else None
    if isinstance(parsed, bookindex.Written) and not parsed.see:
        return parsed.levels
    report.error(
        "glossary-field",
        f"entry {term_id!r}: index must be false or the entry its uses are filed under"
        + (f" ({parsed.message})" if isinstance(parsed, bookindex.Problem) else ""),
        where,
        "for example `index: Jun porcelain; glazes`, or `index: false`",
    )
    return ()


def _forms(
    term_id: str, fields: LinedDict, path: Path, report: Report
) -> tuple[tuple[str, str], ...]:
    """An entry's hanzi for derived editions: ``hanzi_hant`` (every Traditional edition)
    and ``forms`` (by language tag: ``zh-HK: 鈞瓷``), each a text."""
    found: list[tuple[str, str]] = []
    hant = fields.get("hanzi_hant")
    if hant is not None:
        if isinstance(hant, str) and hant.strip():
            found.append(("zh-Hant", hant.strip()))
        else:
            report.error(
                "glossary-field",
                f"entry {term_id!r}: hanzi_hant must be a text",
                Location(path, fields.key_lines["hanzi_hant"]),
                "the term's hanzi in Traditional characters, e.g. hanzi_hant: 鈞瓷",
            )
    forms = fields.get("forms")
    if forms is None:
        return tuple(found)
    where = Location(path, fields.key_lines["forms"])
    if not isinstance(forms, dict) or not all(
        isinstance(tag, str) and isinstance(text, str) and text.strip()
        for tag, text in forms.items()
    ):
        report.error(
            "glossary-field",
            f"entry {term_id!r}: forms must map language tags to hanzi",
            where,
            "for example `forms: {zh-Hant-TW: 鈞瓷, zh-HK: 鈞瓷}`",
        )
        return tuple(found)
    found += [(i18n.canonical_tag(tag), text.strip()) for tag, text in forms.items()]
    return tuple(found)


def check_terms(book: Book, report: Report) -> None:
    """Report references to unknown ids (with the closest ids) and entries no chapter uses."""
    entries = book.glossary.entries
    used: set[str] = set()
    for chapter in book.chapters:
        for node in chapter_inlines(chapter):
            if isinstance(node, TermRef):
                used.add(node.term_id)
                if node.term_id not in entries:
                    report.error(
                        "term-unknown",
                        f"unknown term id {node.term_id!r}",
                        node.location,
                        suggest(node.term_id, entries),
                    )
    for term_id, entry in entries.items():
        if term_id not in used:
            report.warning(
                "term-unused",
                f"glossary entry {term_id!r} is never used",
                entry.location,
                "use it in a chapter with {term}`" + term_id + "`, or remove it",
            )


def suggest(term_id: str, entries: Iterable[str]) -> str:
    close = difflib.get_close_matches(term_id, list(entries), n=3, cutoff=0.5)
    if close:
        return f"did you mean {' or '.join(map(repr, close))}?"
    return "add it to manuscript/glossary.yaml"


def link_references(book: Book) -> Book:
    """Give every term and footnote call its anchor, and record each term's uses.

    A term's anchors are unique in the whole book (``ch-03-jun-porcelain-yao-bian-2``),
    so that one print document can hold every chapter.

    A term reference without a label gets the term's name in the edition's language;
    its first use in each chapter's text is marked (the one annotated with pinyin, or
    followed by hanzi): a use in a title or heading never is, so that titles, the
    contents and bookmarks stay free of ruby and glosses. The n-th call of footnote k gets
    ``fnref-k`` for n = 1 and ``fnref-k-n`` after. Unknown ids are left as text.
    """
    entries = book.glossary.entries
    uses: dict[str, list[TermUse]] = {term_id: [] for term_id in entries}
    chapters: list[Chapter] = []
    for chapter in book.chapters:
        seen: dict[str, int] = {}
        annotated: set[str] = set()

        def link(
            node: Inline,
            chapter: Chapter = chapter,
            seen: dict[str, int] = seen,
            annotated: set[str] = annotated,
            heading: bool = False,
        ) -> tuple[Inline, ...]:
            if isinstance(node, FootnoteRef):
                count = seen[f"[^{node.number}]"] = seen.get(f"[^{node.number}]", 0) + 1
                suffix = f"-{count}" if count > 1 else ""
                return (replace(node, anchor=f"fnref-{node.number}{suffix}"),)
            if not isinstance(node, TermRef):
                return (node,)
            entry = entries.get(node.term_id)
            if entry is None:
                return node.label or (Text(node.term_id),)
            count = seen[node.term_id] = seen.get(node.term_id, 0) + 1
            anchor = f"{chapter.id}-{node.term_id}-{count}"  # unique in the whole book
            uses[node.term_id].append(TermUse(chapter.id, anchor))
            used = replace(
                node,
                label=node.label or (Text(entry.term),),
                labelled=node.label is not None,
                anchor=anchor,
                first=not heading and node.term_id not in annotated,
            )
            if not heading:
                annotated.add(node.term_id)
            return (used,)

        def in_heading(
            node: Inline, link: Callable[..., tuple[Inline, ...]] = link
        ) -> tuple[Inline, ...]:
            return link(node, heading=True)

        def in_block(block: Block, link: InlineFn = link) -> Block:
            fn = in_heading if isinstance(block, Heading) else link
            return map_own_inlines(block, lambda inlines: map_inlines(inlines, fn))

        # in reading order: the title, the body, then the footnotes
        title = map_inlines(chapter.title, in_heading)
        chapters.append(replace(map_chapter_blocks(chapter, in_block), title=title))
    glossary = Glossary({k: replace(e, uses=tuple(uses[k])) for k, e in entries.items()})
    return replace(book, chapters=tuple(chapters), glossary=glossary)
