"""The model's passes: term linking, language tagging, and the transformation helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pubtool.errors import Location, Report
from pubtool.glossary import check_terms, link_references
from pubtool.langtag import split_han, tag_foreign_runs
from pubtool.model import (
    Book,
    Chapter,
    Emphasis,
    FootnoteRef,
    Foreign,
    Glossary,
    GlossaryEntry,
    Metadata,
    Paragraph,
    TermRef,
    Text,
    map_inlines,
    plain_text,
)
from pubtool.project import Project

HERE = Location(Path("ch.md"), 1)


def entry(term_id: str, term: str) -> GlossaryEntry:
    return GlossaryEntry(term_id, term, "窑变", "yáo biàn", (Text("def"),), HERE)


def chapter(chapter_id: str, *inlines) -> Chapter:
    return Chapter(
        chapter_id,
        Path(f"{chapter_id}.md"),
        (Text(chapter_id),),
        (Paragraph(tuple(inlines), HERE),),
        (),
        HERE,
    )


def book(*chapters: Chapter) -> Book:
    glossary = Glossary(
        {"a": entry("a", "Alpha"), "b": entry("b", "Beta"), "c": entry("c", "Gamma")}
    )
    project = Project.at(Path())
    return Book(project, Metadata("T", "en"), chapters, glossary, dt.datetime(2026, 1, 1))


def test_first_use_is_per_chapter_and_uses_are_recorded_in_order() -> None:
    ref = lambda term_id: TermRef(term_id, None, HERE)  # noqa: E731
    source = book(chapter("one", ref("a"), ref("b"), ref("a")), chapter("two", ref("a")))
    report = Report()
    check_terms(source, report)
    assert [d.code for d in report.diagnostics] == ["term-unused"]  # "c" is never used
    assert report.diagnostics[0].message == "glossary entry 'c' is never used"
    linked = link_references(source)
    one, two = linked.chapters
    terms = [n for n in one.blocks[0].children if isinstance(n, TermRef)]
    assert [(t.term_id, t.first, t.anchor) for t in terms] == [
        ("a", True, "one-a-1"),
        ("b", True, "one-b-1"),
        ("a", False, "one-a-2"),
    ]
    assert terms[0].label == (Text("Alpha"),) and not terms[0].labelled
    assert two.blocks[0].children[0].first
    uses = linked.glossary.entries["a"].uses
    assert [(u.chapter_id, u.anchor) for u in uses] == [
        ("one", "one-a-1"),
        ("one", "one-a-2"),
        ("two", "two-a-1"),
    ]


def test_footnote_calls_get_numbered_anchors() -> None:
    source = book(chapter("one", FootnoteRef(1), FootnoteRef(2), FootnoteRef(1)))
    linked = link_references(source)
    anchors = [n.anchor for n in linked.chapters[0].blocks[0].children]
    assert anchors == ["fnref-1", "fnref-2", "fnref-1-2"]


def test_unknown_term_is_reported_with_the_closest_ids() -> None:
    report = Report()
    source = book(chapter("one", TermRef("aa", (Text("label"),), HERE)))
    check_terms(source, report)
    error = report.errors[0]
    assert error.code == "term-unknown" and error.hint == "did you mean 'a'?"
    linked = link_references(source)
    assert linked.chapters[0].blocks[0].children == (Text("label"),)


def test_split_han_leaves_latin_alone() -> None:
    assert split_han("Jun 钧瓷 ware, 「平顶山」!") == (
        Text("Jun "),
        Foreign("钧瓷", "zh-Hans"),
        Text(" ware, "),
        Foreign("「平顶山」", "zh-Hans"),
        Text("!"),
    )
    assert split_han("no hanzi 「」") == (Text("no hanzi 「」"),)


def test_chinese_edition_is_not_tagged_again() -> None:
    source = book(chapter("one", Text("钧瓷")))
    assert tag_foreign_runs(source, "zh") is source
    english = tag_foreign_runs(source, "en")
    assert english.chapters[0].blocks[0].children == (Foreign("钧瓷", "zh-Hans"),)


def test_map_inlines_reaches_nested_nodes_in_reading_order() -> None:
    seen: list[str] = []

    def visit(node):
        if isinstance(node, Text):
            seen.append(node.text)
            return (Text(node.text.upper()),)
        return (node,)

    out = map_inlines((Text("a"), Emphasis((Text("b"), Emphasis((Text("c"),)))), Text("d")), visit)
    assert seen == ["a", "b", "c", "d"]
    assert plain_text(out) == "ABCD"
