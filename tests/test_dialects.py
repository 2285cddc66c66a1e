"""What Pandoc, MyST and GitHub authors write: admonitions, fenced divs, definition lists,
task lists, spans, table captions; in both editions, translated, and every construct that
is not read named at its line."""

from __future__ import annotations

import pytest
from conftest import BOOK_YAML, NS, epub_documents, run_pubtool
from i18n_helpers import fill
from pypdf import PdfReader

DIALECTS = r"""---
title: Dialects
---

::: warning
Mind the *kiln*.
:::

:::{admonition} Kiln safety
Stand back.
:::

> [!TIP]
> Wear gloves.

Jun ware
: A porcelain of Yuzhou.

    Fired since the Song.

- [x] fired
- [ ] glazed

| Kiln | Glaze |
|:-----|------:|
| Jun  | blue  |

Table: The kilns {#tbl-kilns}

See [the kilns](#tbl-kilns) and [Jun]{.smallcaps}, H~2~O, the '90s.

A glaze fired at $T = 1300\,^{\circ}\mathrm{C}$ cools as

$$
T(t) = T_0 \, e^{-kt}
$$

| The kiln is cold,
|   the glaze is set.

The glazes are described at length [see @doe2020, p. 33].[^long]

[^long]: A note with more than a paragraph.

    ```python
    fire(1300)
    ```

::: {#refs}
:::
"""

BIBLIOGRAPHY = """@book{doe2020,
  author = {Doe, Jane},
  title = {Kilns of Henan},
  publisher = {Clay Press},
  year = {2020}
}
"""


def _dialects(project):
    return project(
        {
            "manuscript/02-dialects.md": DIALECTS,
            "manuscript/book.yaml": BOOK_YAML + "bibliography: refs.bib\n",
            "manuscript/refs.bib": BIBLIOGRAPHY,
        }
    )


@pytest.mark.epubcheck
@pytest.mark.ace
@pytest.mark.slow
def test_dialects_pass_epubcheck_and_ace_in_both_languages(project) -> None:
    root = _dialects(project)
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-02-dialects.po"
    text = po.read_text(encoding="utf-8")
    assert '#. note title\n#: manuscript/02-dialects.md:9\nmsgid "Kiln safety"' in text
    assert '#. defined term\n#: manuscript/02-dialects.md:16\nmsgid "Jun ware"' in text
    assert '#. table caption\n#: manuscript/02-dialects.md:24\nmsgid "The kilns"' in text
    assert '#. warning\n#: manuscript/02-dialects.md:6\nmsgid "Mind the *kiln*."' in text
    assert "#. line block (a backslash ends each line)\n#: manuscript/02-dialects.md:38" in text
    fill(
        po,
        {
            "Kiln safety": "窑炉安全",
            "Jun ware": "钧瓷",
            "The kilns": "各窑",
            "Mind the *kiln*.": "小心*窑炉*。",
            "The kiln is cold,\\\n\u00a0\u00a0the glaze is set.": (
                "窑已冷，\\\n\u00a0\u00a0釉已定。"
            ),
            "The glazes are described at length [see @doe2020, p. 33].[^long]": (
                "关于釉色有详细的记述[参见 @doe2020, p. 33]。[^long]"
            ),
            "A glaze fired at $T = 1300\\,^{\\circ}\\mathrm{C}$ cools as": (
                "在 $T = 1300\\,^{\\circ}\\mathrm{C}$ 烧成的釉按下式冷却："
            ),
        },
    )
    result = run_pubtool("check", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    assert "pubtool: done: Ace zh" in result.stderr and "ACE" not in result.stdout
    assert "EPUB0" not in result.stdout, result.stdout
    zh = epub_documents(root / "build" / "a-test-book-zh.epub")["EPUB/ch-02-dialects.xhtml"]
    asides = zh.xpath("//*[@role='doc-notice' or @role='doc-tip']")
    titles = ["".join(a.find("h:p", NS).itertext()) for a in asides]
    assert titles == ["警告", "窑炉安全", "小技巧"]  # pubtool's labels, and the translated title
    assert "".join(asides[0].find("h:p[2]", NS).itertext()) == "小心窑炉。"
    assert zh.find(".//h:dl/h:dt", NS).text == "钧瓷"
    assert "".join(zh.find(".//h:table/h:caption", NS).itertext()) == "表 2.1 各窑"
    cite = zh.find(".//h:a[@role='doc-biblioref']", NS)
    assert "".join(cite.itertext()) == "(参见 Doe, 2020, 页 33)"
    assert zh.find(".//h:li[@id='ref-doe2020']", NS) is not None
    (lines,) = zh.iterfind(".//h:p[@class='line-block']", NS)
    assert ["".join(lines.itertext()), len(lines)] == ["窑已冷，\u00a0\u00a0釉已定。", 1]
    formulas = [m.get("alttext") for m in zh.iter("{http://www.w3.org/1998/Math/MathML}math")]
    assert formulas == [r"T = 1300\,^{\circ}\mathrm{C}", r"T(t) = T_0 \, e^{-kt}"]


def test_the_editions_carry_each_construct(project) -> None:
    root = _dialects(project)
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0 and "warning" not in result.stderr, result.stderr
    doc = epub_documents(root / "build" / "a-test-book-en.epub")["EPUB/ch-02-dialects.xhtml"]
    kinds = [
        (a.get("class"), a.get(f"{{{NS['epub']}}}type"), a.get("role"))
        for a in doc.xpath("//*[@role='doc-notice' or @role='doc-tip']")
    ]
    assert kinds == [
        ("admonition warning", "notice", "doc-notice"),
        ("admonition note", "notice", "doc-notice"),
        ("admonition tip", "tip", "doc-tip"),
    ]
    (dd,) = doc.iterfind(".//h:dd", NS)
    assert [p.text for p in dd.iterfind("h:p", NS)] == [
        "A porcelain of Yuzhou.",
        "Fired since the Song.",
    ]
    boxes = [s.get("aria-label") for s in doc.iterfind(".//h:li/h:span[@role='img']", NS)]
    assert boxes == ["done", "not done"]
    assert doc.find(".//h:a[@href='#tbl-kilns']", NS) is not None
    assert doc.find(".//h:span[@class='smallcaps']", NS).text == "Jun"
    assert doc.find(".//h:sub", NS).text == "2"
    assert "the ’90s." in "".join(doc.find(".//h:p[h:sub]", NS).itertext())
    (lines,) = doc.iterfind(".//h:p[@class='line-block']", NS)
    assert [lines.text, lines[0].tail] == ["The kiln is cold,", "\u00a0\u00a0the glaze is set."]

    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    (pdf,) = (root / "build").glob("*.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for shown in (
        "Warning",
        "Mind the kiln.",
        "Kiln safety",
        "Tip",
        "Wear gloves.",
        "Jun ware",
        "Fired since the Song.",
        "Table 2.1 The kilns",
        "(see page",
        "The kiln is cold,\n\u00a0\u00a0the glaze is set.",
        "(see Doe, 2020, p. 33)",
        "Doe, J. (2020) Kilns of Henan. Clay Press.",
        "fire(1300)",
    ):
        assert shown in text, shown


UNREAD = [
    ("+---+---+\n| a | b |\n+---+---+\n", 5, "Pandoc grid tables are not read: shown as written"),
    ("  Kiln   Glaze\n------   -----\n  Jun    blue\n", 6, "looks like a Pandoc simple"),
    ("Some `x`{.py}.\n", 5, "inline code attribute 'class' ignored"),
    ('[x](https://a.org){style="c"}\n', 5, "link attribute 'style' ignored"),
    (":::{figure} a.png\nx\n:::\n", 5, "MyST directive {figure} is not known"),
    ("::: {.note key=1}\nx\n:::\n", 5, "div attribute key='1' ignored"),
    ("Text.\n\n\\newpage\n", 7, "raw LaTeX `\\newpage` is not read"),
    ("```python {.numberLines startFrom=10}\nx\n```\n", 5, "code block attribute"),
    (
        '<div style="color: red">\n\nx\n\n</div>\n',
        5,
        "attribute style='color: red' of raw HTML <div> removed",
    ),
]


@pytest.mark.parametrize(("markdown", "line", "message"), UNREAD, ids=[u[2][:30] for u in UNREAD])
def test_what_is_not_read_is_named_at_its_line(
    markdown: str, line: int, message: str, project
) -> None:
    root = project({"manuscript/02-x.md": f"---\ntitle: X\n---\n\n{markdown}"})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0, result.stderr
    found = [w for w in result.stderr.splitlines() if message in w]
    assert found and found[0].startswith(f"manuscript/02-x.md:{line}: warning: "), result.stderr
