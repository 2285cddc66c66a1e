"""PDF/X-4 and PDF/A editions are what they claim: read back with pikepdf and drawn by
Ghostscript. (veraPDF, the reference validator, cannot be installed here: what the
standards require is checked one clause at a time.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO, ghostscript, run_pubtool

#: an output profile (class prtr, CMYK) that Debian's Ghostscript ships
PRESS = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book, in a copy whose book.yaml this module may change."""
    root = tmp_path_factory.mktemp("variants")
    for name in ("manuscript", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    return root


def with_profile(book: Path, name: str | None) -> None:
    yaml = book / "manuscript" / "book.yaml"
    lines = [ln for ln in yaml.read_text().splitlines() if not ln.startswith("output_profile:")]
    if name is not None:
        lines.append(f"output_profile: {name}")
    yaml.write_text("\n".join(lines) + "\n")


def images(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    return [
        o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
    ]


def test_pdf_x_4_without_a_profile_is_an_error_at_book_yaml(book: Path) -> None:
    with_profile(book, None)
    result = run_pubtool("pdf", "--project", str(book), "--pdf-variant", "pdf/x-4")
    assert result.code == 1
    assert "manuscript/book.yaml: error: PDF/X-4 needs the ICC profile" in result.stderr
    assert "output_profile:" in result.stderr  # the hint says what to write


def test_a_display_profile_is_no_output_intent(book: Path) -> None:
    import weasyprint

    screen = Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc"
    shutil.copy(screen, book / "manuscript" / "screen.icc")
    with_profile(book, "screen.icc")
    result = run_pubtool("pdf", "--project", str(book), "--pdf-variant", "pdf/x-4")
    assert result.code == 1
    line = next(
        n
        for n, text in enumerate((book / "manuscript/book.yaml").read_text().splitlines(), 1)
        if text.startswith("output_profile:")
    )
    assert f"book.yaml:{line}: error: screen.icc is a 'mntr' profile (sRGB2014)" in result.stderr
    with_profile(book, "missing.icc")
    result = run_pubtool("pdf", "--project", str(book), "--pdf-variant", "pdf/x-4")
    assert "output profile 'missing.icc' not found" in result.stderr


@pytest.mark.skipif(not PRESS.exists(), reason="Ghostscript's profiles are not installed")
def test_pdf_x_4_has_its_output_intent_trim_and_device_colours_tied(book: Path) -> None:
    shutil.copy(PRESS, book / "manuscript" / "press.icc")
    with_profile(book, "press.icc")
    made = []
    for run in (1, 2):
        out = book / f"x4-{run}.pdf"
        result = run_pubtool(
            "pdf", "--project", str(book), "--pdf-variant", "pdf/x-4", "-o", str(out)
        )
        assert result.code == 0, result.stderr
        made.append(out)
    assert made[0].read_bytes() == made[1].read_bytes()  # no random document id
    assert ghostscript(made[0]) == ""
    with pikepdf.open(made[0]) as pdf:
        assert pdf.pdf_version >= "1.6"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "Artifex CMYK SWOP Profile"
        assert intent.DestOutputProfile.N == 4
        assert intent.DestOutputProfile.read_bytes() == PRESS.read_bytes()
        assert str(pdf.docinfo.Trapped) == "/False"
        with pdf.open_metadata() as xmp:
            assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        for page in pdf.pages:
            assert "/TrimBox" in page.obj
            assert page.Resources.ColorSpace.DefaultRGB[0] == "/ICCBased"
        assert images(pdf) and not [i for i in images(pdf) if "/Interpolate" in i]


def test_pdf_a_2b_has_no_interpolated_image(book: Path) -> None:
    out = book / "a2b.pdf"
    result = run_pubtool("pdf", "--project", str(book), "--pdf-variant", "pdf/a-2b", "-o", str(out))
    assert result.code == 0, result.stderr
    assert ghostscript(out) == ""
    with pikepdf.open(out) as pdf:
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert images(pdf) and not [i for i in images(pdf) if "/Interpolate" in i]
