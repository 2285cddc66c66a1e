"""mdBook's includes: whole files, line ranges and anchors in code blocks, Markdown files
included as blocks, rustdoc's hidden lines, and every include that cannot be read
reported at its line."""

from __future__ import annotations

import pytest
from conftest import run_pubtool

from pubtool.errors import Report
from pubtool.model import CodeBlock, Heading, Paragraph, plain_text
from pubtool.pipeline import read_book
from pubtool.project import Project

MAIN_RS = """\
use std::io;

// ANCHOR: here
fn main() {
    let x = 5;
    // ANCHOR: inner
    println!("{x}");
    // ANCHOR_END: inner
}
// ANCHOR_END: here
"""

CHAPTER = """\
---
title: Includes
---

```rust
{{#include listings/main.rs}}
```

```rust
{{#include listings/main.rs:4:5}}
```

```rust
{{#include listings/main.rs:here}}
```

```rust,ignore
    {{#rustdoc_include listings/main.rs:inner}}
# fn hidden() {}
#
## [derive(Debug)] shown with one #
#[derive(Clone)]
```

```text
\\{{#include listings/main.rs}}
```

{{#include parts/shared.md}}
"""

SHARED = """\
## Shared section

Shared *text*.
"""


def test_includes_bring_the_parts_mdbook_brings(project) -> None:
    root = project(
        {
            "manuscript/01-first.md": CHAPTER,
            "manuscript/listings/main.rs": MAIN_RS,
            "manuscript/parts/shared.md": SHARED,
        }
    )
    report = Report()
    book = read_book(Project.at(root), report)
    assert [d for d in report.diagnostics if d.code != "term-unused"] == []
    (chapter,) = book.chapters
    codes = [b.text for b in chapter.blocks if isinstance(b, CodeBlock)]
    whole = "".join(line + "\n" for line in MAIN_RS.splitlines() if "ANCHOR" not in line)
    assert codes == [
        whole,
        "fn main() {\n    let x = 5;\n",
        'fn main() {\n    let x = 5;\n    println!("{x}");\n}\n',
        '        println!("{x}");\n# [derive(Debug)] shown with one #\n#[derive(Clone)]\n',
        "{{#include listings/main.rs}}\n",
    ]
    heading, paragraph = chapter.blocks[-2:]
    assert isinstance(heading, Heading) and plain_text(heading.children) == "Shared section"
    assert isinstance(paragraph, Paragraph) and plain_text(paragraph.children) == "Shared text."
    # an included block is where it was written: in its own file, at its own line
    assert paragraph.location.path.name == "shared.md" and paragraph.location.line == 3


@pytest.mark.parametrize(
    ("include", "files", "message"),
    [
        (
            "```rust\n{{#include ../../outside.rs}}\n```",
            {},
            "manuscript/01-first.md:6: error: include '../../outside.rs' leads outside the "
            "book project [include-outside]",
        ),
        (
            "```rust\n{{#include listings/mian.rs}}\n```",
            {"manuscript/listings/main.rs": MAIN_RS},
            "manuscript/01-first.md:6: error: include 'listings/mian.rs' not found "
            "[include-missing]\n  hint: did you mean main.rs?",
        ),
        (
            "```rust\n{{#include listings/main.rs:hree}}\n```",
            {"manuscript/listings/main.rs": MAIN_RS},
            "manuscript/01-first.md:6: error: include listings/main.rs:hree: listings/main.rs "
            "has no line ANCHOR: hree [include-anchor]\n  hint: its anchors: here",
        ),
        (
            "Before.\n\n{{#include parts/a.md}}",
            {
                "manuscript/parts/a.md": "A.\n\n{{#include b.md}}\n",
                "manuscript/parts/b.md": ("B.\n\n{{#include a.md}}\n"),
            },
            "manuscript/parts/b.md:3: error: include 'a.md' includes itself: "
            "01-first.md -> a.md -> b.md -> a.md [include-cycle]",
        ),
        (
            "```rust\n{{#include listings/main.rs:40:50}}\n```",
            {"manuscript/listings/main.rs": MAIN_RS},
            "manuscript/01-first.md:6: error: include 'listings/main.rs:40:50': lines 40 to 50 "
            "are not in listings/main.rs (10 lines) [include-range]",
        ),
    ],
    ids=["outside", "missing", "anchor", "cycle", "range"],
)
def test_an_include_that_cannot_be_read_is_an_error_at_its_line(
    project, include: str, files: dict[str, str], message: str
) -> None:
    chapter = "---\ntitle: Includes\n---\n\n" + include + "\n"
    root = project({"manuscript/01-first.md": chapter, **files})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "build").exists() or not list((root / "build").glob("*.epub"))


def test_other_mdbook_helpers_are_named_not_dropped(project) -> None:
    chapter = "---\ntitle: Helpers\n---\n\n{{#playground example.rs}}\n\nSee {{#include x.rs}}.\n"
    root = project({"manuscript/01-first.md": chapter})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    assert "manuscript/01-first.md:5: warning: mdBook's {{#playground}} is not read" in (
        result.stderr
    )
    assert "manuscript/01-first.md:7: warning: {{#include x.rs}} is in a paragraph's text" in (
        result.stderr
    )
