"""Booklet imposition: the page order as sheet maps, read back from real imposed PDFs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import ghostscript, run_pubtool
from pypdf import PdfReader

from pubtool.impose import Imposition, sheet_sides
from pubtool.pdffile import write_booklet

# Sheet maps: each line is one sheet, "front | back", each side "left right"; "-" is blank.
MAPS = {
    1: ["- 1 | - -"],
    4: ["4 1 | 2 3"],
    5: ["- 1 | 2 -", "- 3 | 4 5"],
    12: ["12 1 | 2 11", "10 3 | 4 9", "8 5 | 6 7"],
    13: ["- 1 | 2 -", "- 3 | 4 13", "12 5 | 6 11", "10 7 | 8 9"],
}


def as_maps(sides: list[tuple[int | None, int | None]]) -> list[str]:
    def side(pair: tuple[int | None, int | None]) -> str:
        return " ".join("-" if p is None else str(p) for p in pair)

    return [f"{side(sides[i])} | {side(sides[i + 1])}" for i in range(0, len(sides), 2)]


@pytest.mark.parametrize("pages", sorted(MAPS))
def test_sheet_order(pages: int) -> None:
    assert as_maps(sheet_sides(pages)) == MAPS[pages]


def test_signatures_are_folded_separately() -> None:
    assert as_maps(sheet_sides(8, signature=1)) == ["4 1 | 2 3", "8 5 | 6 7"]
    assert as_maps(sheet_sides(8)) == ["8 1 | 2 7", "6 3 | 4 5"]


def numbered_pdf(path: Path, pages: int) -> None:
    """A PDF of A5 pages that each say P<n> in Helvetica."""
    with pikepdf.new() as pdf:
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        for n in range(1, pages + 1):
            pdf.add_blank_page(page_size=(419.53, 595.28))
            page = pdf.pages[-1]
            page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
            page.Contents = pdf.make_stream(f"BT /F1 40 Tf 150 300 Td (P{n}) Tj ET".encode())
        pdf.save(path)


def read_halves(pdf: Path) -> list[str]:
    """Each printed side read back as "left right", from the text of each half."""
    reader = PdfReader(pdf)
    out = []
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        halves = []
        for x in (0, width / 2):
            text = subprocess.run(
                [
                    "pdftotext",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-x",
                    str(int(x)),
                    "-y",
                    "0",
                    "-W",
                    str(int(width / 2)),
                    "-H",
                    str(int(height)),
                    str(pdf),
                    "-",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            halves.append(text.removeprefix("P") or "-")
        out.append(" ".join(halves))
    return out


@pytest.mark.parametrize("pages", sorted(MAPS))
def test_imposed_pdf_reads_back_in_order(pages: int, tmp_path: Path) -> None:
    source, booklet = tmp_path / "book.pdf", tmp_path / "booklet.pdf"
    numbered_pdf(source, pages)
    write_booklet(source, booklet, Imposition())
    sides = read_halves(booklet)
    assert [f"{sides[i]} | {sides[i + 1]}" for i in range(0, len(sides), 2)] == MAPS[pages]
    for page in PdfReader(booklet).pages:  # A4 landscape, to the point
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == (
            841.89,
            595.28,
        )


def test_a_right_to_left_book_is_bound_on_the_right(tmp_path: Path) -> None:
    """Each spread mirrored: page 1 on the left half of the first sheet's front, so that
    the folded stack opens from the right as an Arabic or Hebrew book does."""
    source, booklet = tmp_path / "book.pdf", tmp_path / "booklet.pdf"
    numbered_pdf(source, 12)
    write_booklet(source, booklet, Imposition(binding="right"))
    sides = read_halves(booklet)
    assert [f"{sides[i]} | {sides[i + 1]}" for i in range(0, len(sides), 2)] == [
        "1 12 | 11 2",
        "3 10 | 9 4",
        "5 8 | 7 6",
    ]


def test_marks_creep_and_letter_sheets(tmp_path: Path) -> None:
    source = tmp_path / "book.pdf"
    numbered_pdf(source, 8)
    plain, marked = tmp_path / "plain.pdf", tmp_path / "marked.pdf"
    write_booklet(source, plain, Imposition(sheet="letter"))
    write_booklet(source, marked, Imposition(sheet="letter", creep=2, marks=True))
    for pdf in (plain, marked):
        box = PdfReader(pdf).pages[0].mediabox
        assert (float(box.width), float(box.height)) == (792.0, 612.0)
    with pikepdf.open(marked) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
        assert b"[2 2] 0 d" in content  # the dashed fold line
    assert read_halves(marked)[:2] == read_halves(plain)[:2]  # marks and creep keep the order


@pytest.mark.slow
def test_booklet_is_imposed_from_the_book_pdf(sample_project: Path) -> None:
    book = sample_project / "build" / "coal-clay-and-shadows-en.pdf"
    result = run_pubtool("pdf", "--booklet", "--sheet", "A4", "--project", str(sample_project))
    assert result.code == 0, result.stderr
    booklet = book.with_name("coal-clay-and-shadows-en-booklet.pdf")
    pages = len(PdfReader(book).pages)
    assert len(PdfReader(booklet).pages) == 2 * (-(-pages // 4))


def sheet_report(booklet: Path) -> list[str]:
    """Every sheet as a RIP's preflight sees it: its content streams (one, with bytes),
    its boxes, and the colour its marks are drawn in."""
    found = []
    with pikepdf.open(booklet) as pdf:
        for number, sheet in enumerate(pdf.pages, start=1):
            contents = sheet.obj.Contents
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            sizes = [len(s.read_bytes()) for s in streams]
            if len(sizes) != 1 or 0 in sizes:
                found.append(f"sheet {number}: streams of {sizes} bytes")
    return found


def test_sheets_are_drawn_by_ghostscript_with_the_books_metadata(tmp_path: Path) -> None:
    source = tmp_path / "book.pdf"
    numbered_pdf(source, 6)
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        pdf.docinfo.Title = "Tiny"
        pdf.Root.Lang = pikepdf.String("fr")
        pdf.save(source, min_version="1.6")
    for marks in (False, True):
        booklet = tmp_path / f"booklet-{marks}.pdf"
        write_booklet(source, booklet, Imposition(marks=marks))
        assert ghostscript(booklet) == ""
        assert sheet_report(booklet) == []
        with pikepdf.open(booklet) as pdf:
            assert pdf.pdf_version == "1.6"  # the book's, not pikepdf's 1.3
            assert str(pdf.docinfo.Title) == "Tiny"
            assert str(pdf.docinfo.Subject).startswith("Booklet of Tiny: 6 pages on A4")
            assert str(pdf.Root.Lang) == "fr"
            with pdf.open_metadata() as xmp:
                assert xmp["dc:title"] == "Tiny"
                assert set(xmp["dc:language"]) == {"fr"}


def test_marks_set_the_trim_and_use_the_registration_colour(tmp_path: Path) -> None:
    source = tmp_path / "book.pdf"
    numbered_pdf(source, 4)
    scaled, full = tmp_path / "a4.pdf", tmp_path / "sra4.pdf"
    on_a4 = write_booklet(source, scaled, Imposition(marks=True))
    on_sra4 = write_booklet(source, full, Imposition(sheet="SRA4", marks=True))
    mm = 72 / 25.4
    assert on_a4.scale == pytest.approx((210 - 14) / 210, abs=1e-3)  # 7 mm each side for marks
    assert on_sra4.scale == 1.0
    with pikepdf.open(full) as pdf:
        sheet = pdf.pages[0]
        trim = [float(v) for v in sheet.TrimBox]
        assert trim[2] - trim[0] == pytest.approx(2 * 148 * mm, abs=0.01)  # the spread, unscaled
        assert trim[3] - trim[1] == pytest.approx(210 * mm, abs=0.01)
        assert [float(v) for v in sheet.BleedBox] == trim  # the book has no bleed
        space = sheet.Resources.ColorSpace.Reg
        assert (space[0], space[1], space[2]) == ("/Separation", "/All", "/DeviceCMYK")
        content = sheet.Contents.read_bytes()
        assert content.count(b"/Reg CS 1 SCN") == 2  # crop marks and fold marks
    without = tmp_path / "plain.pdf"
    write_booklet(source, without, Imposition())
    with pikepdf.open(without) as pdf:
        assert "/TrimBox" not in pdf.pages[0].obj and "/ColorSpace" not in pdf.pages[0].Resources


def test_the_command_says_when_it_scales_pages(sample_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "book.pdf"
    args = ("pdf", "--booklet", "--marks", "--project", str(sample_project), "-o", str(out))
    result = run_pubtool(*args)
    assert result.code == 0, result.stderr
    assert "set at 93.3% of their size" in result.stderr
    assert "--sheet SRA4 holds them at full size" in result.stderr
    result = run_pubtool(*args, "--sheet", "SRA4")
    assert result.code == 0, result.stderr
    assert "booklet-scaled" not in result.stderr
    assert ghostscript(out.with_name("book-booklet.pdf")) == ""
