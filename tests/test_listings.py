"""Code listings: a caption, a file name and an id on a fence or from mdBook's
<Listing>, numbered per chapter, translated, and nothing an author wrote dropped
without a word."""

from __future__ import annotations

from conftest import NS, epub_documents, run_pubtool
from i18n_helpers import fill

CHAPTER = """\
---
title: Listings
---

```rust {caption="A variable and its scope" file="src/main.rs"}
let s = "hello";
```

<Listing number="4-2" caption="The Rust book's own number">

```rust
let t = s;
```

</Listing>

```python {caption="Second listing" .numberLines startFrom=10}
x = 1
```

<Listing caption="A wrapper with no code">

Only text.

</Listing>

<Callout title="Read this first" class="x">Kept text.</Callout>
"""


def test_listings_are_numbered_captioned_and_translated(project) -> None:
    root = project({"manuscript/01-first.md": CHAPTER})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    chapter = epub_documents(root / "build" / "a-test-book-en.epub")["EPUB/ch-01-first.xhtml"]
    listings = chapter.findall(".//h:figure[@class='listing']", NS)
    captions = ["".join(f.find("h:figcaption", NS).itertext()) for f in listings]
    assert captions == [
        "Listing 1.1 A variable and its scope",
        "Listing 4-2 The Rust book’s own number",
        "Listing 1.2 Second listing",
    ]
    assert listings[0].find("h:p[@class='listing-file']/h:code", NS).text == "src/main.rs"
    assert "".join(listings[1].find("h:pre", NS).itertext()) == "let t = s;\n"
    # nothing dropped without a word: the attributes pubtool does not read are named
    stderr = result.stderr
    assert "manuscript/01-first.md:17: warning: code block attribute .numberLines ignored" in stderr
    assert "code block attribute startfrom='10' ignored" in stderr
    assert (
        "manuscript/01-first.md:21: warning: <Listing> holds no code block: its caption "
        "'A wrapper with no code' is shown as a paragraph [listing-empty]"
    ) in stderr
    paragraphs = ["".join(p.itertext()) for p in chapter.iterfind(".//h:section/h:p", NS)]
    assert "A wrapper with no code" in paragraphs and "Only text." in paragraphs
    assert "the text of its attributes is lost: title='Read this first'" in stderr
    assert "Kept text." in "".join(chapter.itertext())

    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-01-first.po"
    assert (
        '#. code listing caption\n#: manuscript/01-first.md:5\nmsgid "A variable and its scope"'
        in (po.read_text(encoding="utf-8"))
    )
    fill(po, {"A variable and its scope": "变量及其作用域"})
    result = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert result.code == 0, result.stderr
    chapter = epub_documents(root / "build" / "a-test-book-zh.epub")["EPUB/ch-01-first.xhtml"]
    first = chapter.find(".//h:figure[@class='listing']/h:figcaption", NS)
    assert "".join(first.itertext()) == "代码清单 1.1 变量及其作用域"
