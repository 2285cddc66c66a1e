"""Each kind of bad input stops the build with ``path:line: error:``, exit 1, and no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NS, epub_documents, run_pubtool

CASES = {
    "yaml-syntax": (
        {"manuscript/book.yaml": "title: [unclosed\nlanguage: en\n"},
        "manuscript/book.yaml:2: error: YAML syntax error",
    ),
    "missing-key": (
        {"manuscript/book.yaml": "title: No Language\n"},
        "manuscript/book.yaml:1: error: missing required key 'language'",
    ),
    "chapter-title": (
        {"manuscript/02-second.md": "Just text, no front matter.\n"},
        "manuscript/02-second.md:1: error: chapter has no title",
    ),
    "empty-title": (
        {"manuscript/02-second.md": "---\nauthor: me\ntitle: ''\n---\n\nText.\n"},
        "manuscript/02-second.md:3: error: chapter has no title",
    ),
    "unknown-term": (
        {"manuscript/02-second.md": "---\ntitle: Two\n---\n\nLine one\nand {term}`yao-bain`.\n"},
        "manuscript/02-second.md:6: error: unknown term id 'yao-bain'",
    ),
    "duplicate-term": (
        {
            "manuscript/glossary.yaml": (
                "yao-bian:\n  term: A\n  hanzi: 窑变\n  pinyin: yáo biàn\n  definition: a\n"
                "jun-ci:\n  term: B\n  hanzi: 钧瓷\n  pinyin: jūn cí\n  definition: b\n"
                "yao-bian:\n  term: C\n  hanzi: 窑变\n  pinyin: yáo biàn\n  definition: c\n"
            )
        },
        "manuscript/glossary.yaml:11: error: duplicate key 'yao-bian' (first defined on line 1)",
    ),
    "invalid-utf8": (
        {"manuscript/02-second.md": b"---\ntitle: Two\n---\n\nCaf\xe9 au lait.\n"},
        "manuscript/02-second.md:5: error: invalid UTF-8 at byte offset 23",
    ),
    "xml-forbidden-char": (
        {"manuscript/02-second.md": "---\ntitle: Two\n---\n\nA bell \x07 rings.\n"},
        "manuscript/02-second.md:5: error: character U+0007 is not allowed in XML",
    ),
    "missing-image": (
        {"manuscript/02-second.md": "---\ntitle: Two\n---\n\n![A bowl](images/bowl.png)\n"},
        "manuscript/02-second.md:5: error: image 'images/bowl.png' not found",
    ),
    "image-outside": (
        {"manuscript/02-second.md": "---\ntitle: Two\n---\n\n![A bowl](../../bowl.png)\n"},
        "manuscript/02-second.md:5: error: image '../../bowl.png' leads outside the book project",
    ),
    "glossary-no-hanzi": (
        {
            "manuscript/glossary.yaml": (
                "yao-bian:\n  term: A\n  pinyin: yáo biàn\n  definition: a\n"
                "jun-ci:\n  term: B\n  hanzi: 钧瓷\n  definition: b\n"
            )
        },
        "manuscript/glossary.yaml:1: error: entry 'yao-bian' has no hanzi",
    ),
    "bad-date": (
        {"manuscript/book.yaml": "title: T\nlanguage: en\ndate: 2026-13-01\n"},
        "manuscript/book.yaml:3: error: 'date' must be a date written YYYY-MM-DD",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_at_its_place(case: str, project) -> None:
    files, expected = CASES[case]
    root = project(files)
    result = run_pubtool("epub", "--project", str(root), cwd=root)
    assert result.code == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (root / "build").exists()


def test_all_problems_are_reported_before_stopping(project) -> None:
    root = project(
        {
            "manuscript/book.yaml": "title: T\n",
            "manuscript/02-a.md": "no title\n",
            "manuscript/03-b.md": "---\ntitle: B\n---\n\n{term}`nope` ![x](none.png)\n",
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    errors = re.findall(r"^(\S+?):(\d+): error: .*\[([a-z-]+)\]$", result.stderr, re.M)
    codes = {code for _, _, code in errors}
    assert {"config-missing-key", "chapter-title", "term-unknown", "image-missing"} <= codes
    assert "hint: did you mean" not in result.stderr.split("nope")[1].splitlines()[0]


def test_unknown_term_suggests_the_closest_ids(project) -> None:
    root = project({"manuscript/02-b.md": "---\ntitle: B\n---\n\n{term}`jun-cii`\n"})
    result = run_pubtool("epub", cwd=root)
    assert "hint: did you mean 'jun-ci'?" in result.stderr


def test_symlink_leading_outside_the_project_is_refused(project, tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    root = project({"manuscript/02-b.md": "---\ntitle: B\n---\n\n![A picture](pic.png)\n"})
    (root / "manuscript" / "pic.png").symlink_to(outside)
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    assert "manuscript/02-b.md:5: error: image 'pic.png' leads outside the book project" in (
        result.stderr
    )


def test_failed_build_leaves_the_last_good_edition(project) -> None:
    root = project()
    assert run_pubtool("epub", cwd=root).code == 0
    (epub,) = (root / "build").glob("*.epub")
    before = epub.read_bytes()
    (root / "manuscript" / "02-b.md").write_text("---\ntitle: B\n---\n\n{term}`nope`\n")
    assert run_pubtool("epub", cwd=root).code == 1
    assert epub.read_bytes() == before
    left = [p.relative_to(root / "build") for p in (root / "build").rglob("*")]
    assert [p for p in left if p.suffix == ".tmp"] == []
    assert [p.name for p in (root / "build").iterdir() if p.name != ".pubtool-raster"] == [
        epub.name
    ]


def test_warnings_pass_but_fail_with_strict(project) -> None:
    root = project(
        {
            "manuscript/02-b.md": "---\ntitle: B\n---\n\n![](pic.svg)\n",
            "manuscript/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
        }
    )
    loose = run_pubtool("epub", cwd=root)
    assert loose.code == 0
    assert "manuscript/02-b.md:5: warning: image 'pic.svg' has no alt text" in loose.stderr
    (root / "build").rename(root / "old-build")
    strict = run_pubtool("epub", "--strict", cwd=root)
    assert strict.code == 1
    assert "warnings are errors with --strict" in strict.stderr
    assert not (root / "build").exists()


def test_unused_glossary_entry_is_a_warning_with_its_line(project) -> None:
    root = project({"manuscript/01-first.md": "---\ntitle: One\n---\n\n{term}`jun-ci` only.\n"})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0
    assert "manuscript/glossary.yaml:1: warning: glossary entry 'yao-bian' is never used" in (
        result.stderr
    )


def test_dangerous_raw_html_is_dropped_with_a_warning(project) -> None:
    chapter = (
        "---\ntitle: B\n---\n\n"
        'Safe <span class="x" onclick="evil()">text</span> and '
        '<a href="javascript:alert(1)">a link</a>.<br>\n\n'
        "<script>alert(1)</script>\n\n"
        '<div><iframe src="https://example.org"></iframe><p>kept<img onerror=y></p></div>\n'
    )
    root = project({"manuscript/02-b.md": chapter})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    assert "onclick" in result.stderr and "<script>" in result.stderr
    assert "<iframe>" in result.stderr and "script URL in 'href' removed" in result.stderr
    assert "<img> without src removed" in result.stderr
    (epub,) = (root / "build").glob("*.epub")
    doc = epub_documents(epub)["EPUB/ch-02-b.xhtml"]
    markup = "".join(doc.itertext()) + str([(e.tag, dict(e.attrib)) for e in doc.iter()])
    for bad in ("script", "iframe", "onclick", "onerror", "javascript", "alert"):
        assert bad not in markup
    assert "kept" in markup and "text" in markup


def test_usage_error_exits_2(project) -> None:
    root = project()
    result = run_pubtool("epub", "--no-such-option", cwd=root)
    assert result.code == 2
    assert "No such option" in result.stderr


def test_language_without_catalog_is_refused(project) -> None:
    root = project()
    result = run_pubtool("epub", "--lang", "fr", cwd=root)
    assert result.code == 1
    assert "error: 'fr' is not a language of this book" in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_project(tmp_path: Path) -> None:
    result = run_pubtool("epub", cwd=tmp_path)
    assert result.code == 1
    assert "error: no book.yaml: this folder is not a book project" in result.stderr


def test_broken_project_template_is_reported_with_its_line(project) -> None:
    root = project(
        {"templates/chapter.xhtml": "{% extends 'layout.xhtml' %}\n{% block body %}\n{% if %}\n"}
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    assert "templates/chapter.xhtml:3: error: template syntax" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_template_overrides_the_package_one(project) -> None:
    root = project(
        {
            "templates/labels.xhtml": (
                "{% macro contents_title() %}Table of Contents{% endmacro %}\n"
                "{% macro glossary_title() %}Words{% endmacro %}\n"
                "{% macro copyright_title() %}Rights{% endmacro %}\n"
                "{% macro landmarks_title() %}Marks{% endmacro %}\n"
                "{% macro cover_label() %}Front{% endmacro %}\n"
                "{% macro start_label() %}Begin{% endmacro %}\n"
                "{% macro chapter_label(n) %}Part {{ n }}{% endmacro %}\n"
                "{% macro used_in() %}Seen in:{% endmacro %}\n"
                "{% macro back_to_text() %}Back{% endmacro %}\n"
                "{% macro footnotes_title() %}Notes{% endmacro %}\n"
                "{% macro accessibility_summary(a, b) %}Readable.{% endmacro %}\n"
            )
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    (epub,) = (root / "build").glob("*.epub")
    documents = epub_documents(epub)
    nav = documents["EPUB/nav.xhtml"]
    assert nav.find(".//h:nav[@id='toc']/h:h1", NS).text == "Table of Contents"
    assert "Part 1" in "".join(documents["EPUB/ch-01-first.xhtml"].itertext())
    # an override written before the page list still builds: its missing label falls back
    built = run_pubtool("build", "--lang", "en", cwd=root)
    assert built.code == 0, built.stderr
    nav = epub_documents(epub)["EPUB/nav.xhtml"]
    assert nav.find(".//h:nav[@id='page-list']/h:h2", NS).text == "Pages"
