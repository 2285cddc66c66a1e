"""The print-on-demand cover (`pubtool pdf --cover`): its sheet read back from real PDFs
of books of several lengths, its barcode decoded from the rendered page by ZBar, its
spine's text found where the spine is, and its marks in the registration colour."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import ghostscript, run_pubtool
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode

from pubtool import cover

MM = 72 / 25.4
A5 = (419.528, 595.276)


def chapters(count: int) -> dict[str, str]:
    """``count`` chapters of a few paragraphs each: each opens on a recto."""
    text = "A line of text that fills the measure, more or less, in the sample's face. " * 12
    return {
        f"manuscript/{n:02d}-part.md": f"---\ntitle: Chapter {n}\n---\n\n" + (text + "\n\n") * 4
        for n in range(1, count + 1)
    }


def book_yaml(extra: str) -> str:
    return (
        "title: Cover Test\nsubtitle: A Book of Some Thickness\nlanguage: en\n"
        "authors: [Ada Author, Bo Writer]\ndate: 2026-01-15\n"
        "description: A book made to measure its own spine.\n"
        "identifier: urn:uuid:12345678-1234-5678-1234-567812345678\n" + extra
    )


def make_cover(project, count: int, extra: str = "") -> tuple[Path, Path, str]:
    root = project(
        {"manuscript/book.yaml": book_yaml(extra), "manuscript/01-first.md": "", **chapters(count)}
    )
    result = run_pubtool("pdf", "--cover", cwd=root)
    assert result.code == 0, result.stderr
    return (
        root / "build" / "cover-test-en.pdf",
        root / "build" / "cover-test-en-cover.pdf",
        result.stderr,
    )


def boxes(pdf: Path) -> dict[str, list[float]]:
    with pikepdf.open(pdf) as opened:
        page = opened.pages[0].obj
        return {
            name: [float(v) for v in page[f"/{name}"]]
            for name in ("MediaBox", "TrimBox", "BleedBox")
            if f"/{name}" in page
        }


def test_spine_widths_for_paper_and_page_counts() -> None:
    # KDP's own worked figure: 300 pages of white paper, 0.6756 in
    assert cover.spine_width(300, "white") / 72 == pytest.approx(0.6756, abs=0.0005)
    assert cover.spine_width(100, "cream") / MM == pytest.approx(6.35)
    assert cover.spine_width(100, "white", 0.1) / MM == pytest.approx(10.0)
    sheet = cover.geometry(200, *A5, "white")
    assert sheet.width == pytest.approx(2 * (sheet.slug + sheet.bleed + A5[0]) + sheet.spine)
    x0, y0, x1, y1 = sheet.trim
    assert (x1 - x0, y1 - y0) == pytest.approx((2 * A5[0] + 200 * 0.0572 * MM, A5[1]))
    assert sheet.spine_text and not cover.geometry(60, *A5, "white").spine_text


@pytest.mark.slow
@pytest.mark.parametrize("count", [1, 6])
def test_cover_sheet_follows_the_page_count(project, count: int) -> None:
    book, made, said = make_cover(project, count, "isbn:\n  en: {print: 978-1-4028-9462-6}\n")
    pages = len(PdfReader(book).pages)
    assert pages >= 2 * count
    spine = pages * 0.0572 * MM
    found = boxes(made)
    x0, y0, x1, y1 = found["TrimBox"]
    assert x1 - x0 == pytest.approx(2 * A5[0] + spine, abs=0.05)
    assert y1 - y0 == pytest.approx(A5[1], abs=0.05)
    bleed = 3.175 * MM
    assert found["BleedBox"] == pytest.approx(
        [x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed], abs=0.01
    )
    media = found["MediaBox"]
    assert media[0] < found["BleedBox"][0] and media[2] > found["BleedBox"][2]  # room for marks
    assert ghostscript(made) == ""
    if not cover.geometry(pages, *A5, "white").spine_text:
        assert "too narrow for its title" in said


@pytest.mark.slow
def test_barcode_spine_and_marks(project, tmp_path: Path) -> None:
    _, made, said = make_cover(
        project, 2, "isbn:\n  en: {print: 978-1-4028-9462-6}\npaper_thickness: 0.5mm\n"
    )
    # ZBar reads the bars off the rendered sheet: the print edition's ISBN
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(made), str(tmp_path / "c")], check=True)
    (png,) = tmp_path.glob("c*.png")
    read = decode(Image.open(png))
    assert [(r.type, r.data.decode()) for r in read] == [("EAN13", "9781402894626")]
    # the digits under the bars, and the ISBN above them, as printed
    text = subprocess.run(
        ["pdftotext", "-layout", str(made), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ISBN 978-1-4028-9462-6" in text
    # the spine (a page count times 0.5 mm) carries the title, between its fold marks
    with pikepdf.open(made) as opened:
        page = opened.pages[0]
        x0, y0, _, y1 = (float(v) for v in page.obj.TrimBox)
        pages = int(str(opened.docinfo.Subject).split(": ")[1].split(" pages")[0])
        registration = page.obj.Resources.ColorSpace.Reg
        assert list(registration)[:2] == [pikepdf.Name.Separation, pikepdf.Name.All]
        content = b"".join(i.read_bytes() for i in [page.obj.Contents])
        assert b"/Reg CS 1 SCN" in content
        assert str(opened.Root.Lang) == "en"
    spine_left = x0 + A5[0]
    spine = pages * 0.5 * MM
    height = y1 - y0
    crop = subprocess.run(
        [
            "pdftotext",
            "-x",
            str(round(spine_left)),
            "-y",
            "0",
            "-W",
            str(round(spine)),
            "-H",
            str(round(height + 2 * y0)),
            str(made),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Cover Test" in crop and "Ada Author and Bo Writer" in crop
    assert "too narrow" not in said and "no barcode" not in said


@pytest.mark.slow
def test_a_print_edition_without_isbn_has_no_barcode(project) -> None:
    _, made, said = make_cover(project, 1)
    assert "has no ISBN: its cover has no barcode [cover-barcode]" in said
    text = subprocess.run(
        ["pdftotext", str(made), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ISBN" not in text and "Cover Test" in text


def test_paper_thickness_is_checked_at_its_line(project) -> None:
    root = project({"manuscript/book.yaml": book_yaml("paper: glossy\npaper_thickness: 0.07\n")})
    result = run_pubtool("pdf", "--cover", cwd=root)
    assert result.code == 1
    assert (
        "manuscript/book.yaml:8: error: 'paper' must be one of white, cream, colour"
        in result.stderr
    )
    assert (
        "manuscript/book.yaml:9: error: 'paper_thickness' must be a length in mm or in"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_right_to_left_book_has_its_front_on_the_left(project) -> None:
    """Bound on the right, an Arabic book opens from the other side: its front is the
    cover's left panel, the back (and the barcode) on the right."""
    root = project(
        {
            "manuscript/book.yaml": (
                "title: كتاب الغلاف\nlanguage: ar\nauthors: [مؤلف]\ndate: 2026-01-15\n"
                "description: وصف قصير للكتاب.\n"
                "identifier: urn:uuid:12345678-1234-5678-1234-567812345678\n"
                "isbn:\n  ar: {print: 978-1-4028-9462-6}\n"
            ),
            "manuscript/glossary.yaml": "",
            "manuscript/01-first.md": "---\ntitle: الفصل الأول\n---\n\nنص قصير في الفصل.\n",
        }
    )
    result = run_pubtool("pdf", "--cover", cwd=root)
    assert result.code == 0, result.stderr
    made = next((root / "build").glob("*-cover.pdf"))
    (x0, _, x1, _) = boxes(made)["TrimBox"]
    middle = (x0 + x1) / 2
    words = subprocess.run(
        ["pdftotext", "-bbox", str(made), "-"], capture_output=True, text=True, check=True
    ).stdout
    placed = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]+)<', words)

    def x_of(word: str) -> float:
        # pdftotext gives Arabic in the order it is drawn: right to left, reversed
        return next(float(x) for x, w in placed if word in (w, w[::-1]))

    assert x_of("كتاب") < middle and x_of("مؤلف") < middle  # the title and author: the front
    assert x_of("978-1-4028-9462-6") > middle  # the ISBN, on the back
