"""Formulas: MathML in the EPUB, drawings with the TeX as alt text in print, checked where
they are written (a chapter's line, a translation's line), translated with their text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import NS, epub_documents, run_pubtool
from i18n_helpers import fill
from lxml import etree
from test_pdf_tags import Tags

MATHML = "{http://www.w3.org/1998/Math/MathML}math"

CHAPTER = r"""---
title: Formulas
---

The energy is $E=mc^2$ and a half is \(\frac{1}{2}\).

$$
\sum_{i=1}^{n} i = \frac{n(n+1)}{2}
$$ (eq-sum)

By [the sum](#eq-sum), it costs $5 and $10.
"""


def test_formulas_are_mathml_in_the_epub_and_drawings_in_print(project) -> None:
    root = project({"manuscript/02-math.md": CHAPTER})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 0 and "warning" not in result.stderr, result.stderr
    epub = root / "build" / "a-test-book-en.epub"
    doc = epub_documents(epub)["EPUB/ch-02-math.xhtml"]
    formulas = list(doc.iter(MATHML))
    assert [(m.get("display"), m.get("alttext")) for m in formulas] == [
        ("inline", "E=mc^2"),
        ("inline", r"\frac{1}{2}"),
        ("block", r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}"),
    ]
    assert formulas[2].getparent().get("id") == "eq-sum"
    assert doc.find(".//h:a[@href='#eq-sum']", NS) is not None
    assert "it costs $5 and $10." in "".join(doc.find(".//h:p[h:a]", NS).itertext())
    with zipfile.ZipFile(epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    properties = {
        item.get("href"): item.get("properties", "")
        for item in opf.iter("{http://www.idpf.org/2007/opf}item")
    }
    assert properties["ch-02-math.xhtml"] == "mathml"
    assert "mathml" not in properties["ch-01-first.xhtml"]

    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0 and "warning" not in result.stderr, result.stderr
    (pdf,) = (root / "build").glob("*.pdf")
    tags = Tags(pdf)  # kept open while its elements are read
    alts = [str(f.get("/Alt", "")) for f in tags.of_type("/Figure")]
    assert alts == ["E=mc^2", r"\frac{1}{2}", r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}"]
    with pikepdf.open(pdf) as opened:  # drawn as vector paths, not as bitmaps
        subtypes = [o.get("/Subtype") for o in opened.objects if isinstance(o, pikepdf.Dictionary)]
        assert "/Image" not in subtypes


BROKEN = [
    (r"Broken $\frac{1}{$ here.", 5, "a brace or argument is missing"),
    (r"Unknown $\foo x$ here.", 5, r"unknown TeX command \foo"),
    ("Two lines\nthen $x^$ here.", 6, "^ or _ has nothing after it"),
    ("$$\nx & y\n$$\n", 5, "(& or #) stands outside an environment"),
    (r"Words $\text{速度}$ here.", 5, "the math font has no glyph for 度 速"),
    ("```math\n\\frac{1}\n```\n", 5, "has no denominator"),
]


@pytest.mark.parametrize(("markdown", "line", "message"), BROKEN, ids=[b[2][:24] for b in BROKEN])
def test_a_formula_that_does_not_convert_is_an_error_at_its_line(
    markdown: str, line: int, message: str, project
) -> None:
    root = project({"manuscript/02-x.md": f"---\ntitle: X\n---\n\n{markdown}\n"})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1, result.stderr
    found = [e for e in result.stderr.splitlines() if message in e]
    assert found and found[0].startswith(f"manuscript/02-x.md:{line}: error: formula "), (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not list((root / "build").glob("*.epub"))


def test_a_translation_keeps_its_formulas(project) -> None:
    root = project({"manuscript/02-math.md": CHAPTER})
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    po = root / "locales" / "zh" / "LC_MESSAGES" / "ch-02-math.po"
    source = r"The energy is $E=mc^2$ and a half is \(\frac{1}{2}\)."
    fill(
        po,
        {
            source: r"能量是 $E=mc^2$，一半是 \(\frac{1}{2}\)。",
            "By [the sum](#eq-sum), it costs $5 and $10.": "由[求和](#eq-sum)得，价 $5 和 $10。",
        },
    )
    result = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert result.code == 0 and "translation-markup" not in result.stderr, result.stderr
    doc = epub_documents(root / "build" / "a-test-book-zh.epub")["EPUB/ch-02-math.xhtml"]
    assert [m.get("alttext") for m in doc.iter(MATHML)][:2] == ["E=mc^2", r"\frac{1}{2}"]

    fill(po, {source: r"能量是 $E=mc^3$，一半是 $\frac{1}{$。"})
    lines = po.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines, 1) if line.startswith("msgstr") and "mc^3" in line)
    result = run_pubtool("epub", "--lang", "zh", cwd=root)
    assert result.code == 1, result.stderr
    errors = [e for e in result.stderr.splitlines() if ": error: formula " in e]
    assert errors and errors[0].startswith("locales/zh/LC_MESSAGES/ch-02-math.po:"), errors
    assert int(errors[0].split(":")[1]) in (at - 1, at), (errors, at)


def test_a_formula_leaves_the_layout_warnings_in_pubtool_s_words(project) -> None:
    """ziafont logs through the root logger; WeasyPrint's warnings still come once, as
    pubtool's diagnostics, not also raw from a handler that logging installed."""
    import pubtool

    css = (Path(pubtool.__file__).parent / "templates" / "print.css").read_text("utf-8")
    root = project(
        {
            "manuscript/02-math.md": CHAPTER,
            "templates/print.css": css + "\ndiv { overflow-x: auto; }\n",
        }
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    assert "warning: WeasyPrint: Ignored `overflow-x: auto`" in result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("WARNING:")]
