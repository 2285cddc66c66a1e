"""Property: whatever happens to the source, `i18n update` never loses a translation."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from i18n_helpers import entries, fill

from pubtool.commands.translate import update
from pubtool.errors import Report
from pubtool.project import Project

WORDS = ["kiln", "glaze", "coal", "noodle", "shadow", "river", "city", "bowl", "fire", "lake"]

sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=8).map(
    lambda words: " ".join(words).capitalize() + "."
)
edit = st.tuples(st.sampled_from(["change", "move", "delete", "add"]), st.integers(0, 50), sentence)


def write_chapter(root: Path, paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs) if paragraphs else "Nothing yet."
    (root / "manuscript" / "01-first.md").write_text(f"---\ntitle: One\n---\n\n{body}\n")


def apply(paragraphs: list[str], edits: list[tuple[str, int, str]]) -> list[str]:
    out = list(paragraphs)
    for kind, index, text in edits:
        if kind == "add" or not out:
            out.insert(index % (len(out) + 1), text)
            continue
        i = index % len(out)
        if kind == "change":
            out[i] = out[i][:-1] + ", " + text.lower()
        elif kind == "move":
            out.insert(index % len(out), out.pop(i))
        else:
            del out[i]
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paragraphs=st.lists(sentence, min_size=1, max_size=6, unique=True),
    rounds=st.lists(st.lists(edit, min_size=1, max_size=4), min_size=1, max_size=3),
)
@pytest.mark.slow
def test_update_keeps_every_translation(paragraphs: list[str], rounds) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), {"manuscript/glossary.yaml": ""})
        write_chapter(root, paragraphs)
        assert update(Project.at(root), "zh", Report())
        po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
        written = {p: f"译文{n}" for n, p in enumerate(dict.fromkeys(paragraphs))}
        fill(po, written)
        for edits in rounds:
            paragraphs = apply(paragraphs, edits)
            write_chapter(root, paragraphs)
            update(Project.at(root), "zh", Report())
            kept = {msgstr for msgstr, _fuzzy, _obsolete in entries(po).values()}
            assert set(written.values()) <= kept
            # what is still in the source and was translated is still translated, not fuzzy
            found = entries(po)
            for msgid, msgstr in written.items():
                if msgid in paragraphs:
                    assert found[msgid] == (msgstr, False, False)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    definitions=st.lists(sentence, min_size=2, max_size=5, unique=True),
    edits=st.lists(edit, min_size=1, max_size=4),
)
def test_glossary_round_trip_keeps_every_translation(definitions: list[str], edits) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), {})
        write_chapter(root, ["A chapter without terms."])

        def write_glossary(texts: list[str]) -> None:
            entries = "".join(
                f"term-{n}:\n  term: Term {n}\n  hanzi: 词\n  pinyin: cí\n  definition: {text}\n"
                for n, text in enumerate(texts)
            )
            (root / "manuscript" / "glossary.yaml").write_text(entries, encoding="utf-8")

        write_glossary(definitions)
        update(Project.at(root), "zh", Report())
        po = root / "locales" / "zh" / "LC_MESSAGES" / "book.po"
        written = {d: f"释义{n}" for n, d in enumerate(definitions)}
        fill(po, written)
        changed = apply(definitions, edits)
        write_glossary(changed)
        update(Project.at(root), "zh", Report())
        kept = {msgstr for msgstr, _fuzzy, _obsolete in entries(po).values()}
        assert set(written.values()) <= kept


def test_fuzzy_matching_finds_each_edited_paragraph_among_many() -> None:
    words = ["kiln", "glaze", "coal", "noodle", "shadow", "river", "city", "bowl", "fire", "lake"]
    paragraphs = [
        " ".join(words[(n * 7 + k * 3) % len(words)] for k in range(12)).capitalize() + f" {n}."
        for n in range(300)
    ]
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), {"manuscript/glossary.yaml": ""})
        write_chapter(root, paragraphs)
        update(Project.at(root), "zh", Report())
        po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
        fill(po, {p: f"译{n}" for n, p in enumerate(paragraphs)})
        edited = [p[:-1] + " again." if n % 10 == 0 else p for n, p in enumerate(paragraphs)]
        write_chapter(root, edited)
        update(Project.at(root), "zh", Report())
        found = entries(po)
        for n in range(0, 300, 10):
            assert found[edited[n]] == (f"译{n}", True, False), n  # its own old translation


book_edit = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 1), st.lists(edit, min_size=1, max_size=2)),
    st.tuples(st.just("cross"), st.integers(0, 1), st.integers(0, 50)),  # to the other chapter
    st.tuples(st.just("rename"), st.integers(0, 1), st.integers(0, 50)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(sentence, min_size=1, max_size=4, unique=True),
    second=st.lists(sentence, min_size=1, max_size=4, unique=True),
    rounds=st.lists(st.lists(book_edit, min_size=1, max_size=3), min_size=1, max_size=3),
)
@pytest.mark.slow
def test_moves_between_chapters_and_renames_keep_every_translation(
    first: list[str], second: list[str], rounds
) -> None:
    """Paragraphs moved to another chapter and chapter files renamed: every translation
    is still in the language's catalogs, and a translated paragraph still in the book
    is translated (not fuzzy) in the catalog of the chapter it is in now."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), {"manuscript/glossary.yaml": ""})
        (root / "manuscript" / "01-first.md").unlink()
        chapters = {"01-first": list(first), "02-second": list(second)}

        def write(chapters: dict[str, list[str]]) -> None:
            for path in (root / "manuscript").glob("0*.md"):
                path.unlink()
            for stem, paragraphs in chapters.items():
                body = "\n\n".join(paragraphs) if paragraphs else "Nothing yet."
                title = f"Chapter {stem[:2]}"
                text = f"---\ntitle: {title}\n---\n\n{body}\n"
                (root / "manuscript" / f"{stem}.md").write_text(text, encoding="utf-8")

        write(chapters)
        update(Project.at(root), "zh", Report())
        folder_zh = root / "locales" / "zh" / "LC_MESSAGES"
        written: dict[str, str] = {}
        for stem, paragraphs in chapters.items():
            mine = {p: f"译文{len(written) + n}" for n, p in enumerate(dict.fromkeys(paragraphs))}
            mine = {p: t for p, t in mine.items() if p not in written}
            fill(folder_zh / f"ch-{stem}.po", mine)
            written.update(mine)
        for edits in rounds:
            for kind, which, detail in edits:
                stems = list(chapters)
                stem, other = stems[which % 2], stems[(which + 1) % 2]
                if kind == "edit":
                    chapters[stem] = apply(chapters[stem], detail)
                elif kind == "cross" and chapters[stem]:
                    moved = chapters[stem].pop(detail % len(chapters[stem]))
                    if moved not in chapters[other]:
                        chapters[other].insert(detail % (len(chapters[other]) + 1), moved)
                elif kind == "rename":
                    renamed = f"{stem[:2]}-renamed{detail}"
                    if renamed not in chapters:
                        chapters = {renamed if s == stem else s: p for s, p in chapters.items()}
            write(chapters)
            update(Project.at(root), "zh", Report())
            kept = {
                msgstr
                for po in folder_zh.glob("*.po")
                for msgstr, _fuzzy, _obsolete in entries(po).values()
            }
            assert set(written.values()) <= kept
            for stem, paragraphs in chapters.items():
                found = entries(folder_zh / f"ch-{stem}.po")
                for msgid in paragraphs:
                    if msgid in written:
                        assert found[msgid] == (written[msgid], False, False), (stem, msgid)
