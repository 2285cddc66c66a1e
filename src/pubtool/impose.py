"""Saddle-stitch booklets: which page goes where (a pure function), and the sheets (pikepdf).

Pages are placed two by two on landscape sheets, in duplex order, so that the printed
stack folds into the book: for 12 pages the sides read 12|1, 2|11, 10|3, 4|9, 8|5, 6|7
(and 1|12, 11|2, ... for a right-to-left book, bound on the right).
A book whose page count is not a multiple of four gets blank pages at its end (after
the last page, so the back cover, if the last page is one, moves inside: add a blank
page before it in the book if that matters). Each page of the book is placed as a Form
XObject of the already rendered PDF: the book is never rendered twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pikepdf

from pubtool.errors import PubtoolError

MM = 72 / 25.4
#: portrait sheet sizes in points
SHEETS: dict[str, tuple[float, float]] = {
    "A4": (595.276, 841.89),
    "A3": (841.89, 1190.551),
    "SRA4": (637.795, 907.087),  # A4 with room for bleed and marks, as print shops cut
    "SRA3": (907.087, 1275.591),
    "letter": (612.0, 792.0),
    "legal": (612.0, 1008.0),
    "tabloid": (792.0, 1224.0),
}


@dataclass(frozen=True, slots=True)
class Imposition:
    sheet: str = "A4"
    signature: int = 0  # sheets per signature; 0: the whole book is one signature
    creep: float = 0.0  # mm the innermost sheet's pages move toward the fold
    marks: bool = False  # fold and crop marks outside the trim
    binding: Literal["left", "right"] = "left"  # right: a right-to-left book, bound on the right


Side = tuple[int | None, int | None]


def sheet_sides(pages: int, signature: int = 0) -> list[Side]:
    """The pages on each printed side, left then right, 1-based; None is a blank.

    Sides come in duplex order: front of sheet 1, back of sheet 1, front of sheet 2...
    With ``signature`` sheets per signature, each group of ``4 * signature`` pages is
    folded on its own and the signatures are stacked in order.
    """
    if pages < 1:
        return []
    total = -(-pages // 4) * 4
    size = total if signature <= 0 else 4 * signature
    sides: list[tuple[int, int]] = []
    for start in range(1, total + 1, size):
        count = min(size, total - start + 1)
        last = start + count - 1
        for i in range(count // 4):
            sides.append((last - 2 * i, start + 2 * i))
            sides.append((start + 2 * i + 1, last - 2 * i - 1))

    def real(page: int) -> int | None:
        return page if page <= pages else None

    return [(real(left), real(right)) for left, right in sides]


@dataclass(frozen=True, slots=True)
class Booklet:
    """What imposing did: the sheets written, and the scale the pages were set at
    (1.0: full size; less when two pages, and the room for marks, are wider than a side)."""

    sheets: int
    scale: float


def page_size(pdf: Path) -> tuple[float, float]:
    """The width and height of the first page of ``pdf``, in points."""
    with pikepdf.open(pdf) as book:
        box = [float(v) for v in book.pages[0].mediabox]
    return box[2] - box[0], box[3] - box[1]


def fitting_sheet(page_width: float, page_height: float, marks: bool) -> str | None:
    """The smallest known sheet that holds two pages of this size side by side at full
    size (and their marks), or None."""
    room = 2 * MARK_ROOM if marks else 0.0
    fits = [
        name
        for name, (short, long) in SHEETS.items()
        if 2 * page_width + room <= long + 0.01 and page_height + room <= short + 0.01
    ]
    return min(fits, key=lambda name: SHEETS[name][0] * SHEETS[name][1], default=None)


def write_booklet(book_pdf: Path, target: Path, imposition: Imposition) -> Booklet:
    """Impose the PDF ``book_pdf`` on sheets written to ``target``.

    Each sheet has one content stream (the pages placed as forms, then the marks), the
    book's PDF version, title, language and dates, and XMP that says what it is. With
    marks, the TrimBox of a sheet is the folded spread's trim and its BleedBox the
    spread's bleed, and the marks are drawn in the registration colour (every plate).
    """
    if imposition.sheet not in SHEETS:
        raise PubtoolError(
            f"unknown sheet size {imposition.sheet!r}",
            hint=f"known sheets: {', '.join(SHEETS)}",
        )
    height, width = SHEETS[imposition.sheet]  # landscape: the long side across
    margin = MARK_ROOM if imposition.marks else 0.0  # room for crop marks outside the trim
    scale = 1.0
    with pikepdf.open(book_pdf) as book, pikepdf.new() as out:
        pages = list(book.pages)
        sides = sheet_sides(len(pages), imposition.signature)
        if imposition.binding == "right":  # the spread mirrored: page 1 on the left half
            sides = [(right, left) for left, right in sides]
        sheets = len(sides) // 2
        first = [float(v) for v in pages[0].mediabox] if pages else [0, 0, 1, 1]
        w, h = first[2] - first[0], first[3] - first[1]
        scale = min(1.0, (width / 2 - margin) / w, (height - 2 * margin) / h)
        pw, ph = w * scale, h * scale
        registration = out.make_indirect(_registration(out))
        for number, (left, right) in enumerate(sides):
            sheet_index = number // 2  # 0 = outermost sheet of the stack
            signature_sheets = imposition.signature or sheets
            depth = sheet_index % signature_sheets
            shift = (
                imposition.creep * MM * depth / (signature_sheets - 1)
                if signature_sheets > 1
                else 0
            )
            forms = pikepdf.Dictionary()
            drawing: list[str] = []
            y = (height - ph) / 2
            slots = [(width / 2 - pw + shift, left), (width / 2 - shift, right)]
            for x, page_number in slots:
                if page_number is None:
                    continue
                source_page = pages[page_number - 1]
                box = [float(v) for v in source_page.mediabox]
                # Named by hand (add_overlay picks random names): same input, same bytes.
                name = f"/Page{page_number}"
                forms[name] = out.copy_foreign(source_page.as_form_xobject())
                drawing.append(
                    f"q {scale:.6f} 0 0 {scale:.6f} {x - box[0] * scale:.4f} "
                    f"{y - box[1] * scale:.4f} cm {name} Do Q"
                )
            resources = pikepdf.Dictionary(XObject=forms)
            sheet = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=pikepdf.Array([0, 0, round(width, 3), round(height, 3)]),
            )
            if imposition.marks:
                trim = [slots[0][0], y, slots[1][0] + pw, y + ph]
                drawing.append(_crop_marks(slots, y, pw, ph) + _fold_marks(width, height))
                resources.ColorSpace = pikepdf.Dictionary(Reg=registration)
                sheet.TrimBox = pikepdf.Array([round(v, 3) for v in trim])
                sheet.BleedBox = pikepdf.Array([round(v, 3) for v in trim])
            sheet.Resources = resources
            sheet.Contents = out.make_stream(" ".join(drawing).encode())
            out.pages.append(pikepdf.Page(sheet))
        _describe(book, out, imposition, len(pages))
        out.save(target, deterministic_id=True, min_version=book.pdf_version)
    return Booklet(len(sides) // 2, scale)


#: room around the trim of a spread for crop marks: a 2 mm gap, then 4 mm lines
MARK_ROOM = 7 * MM


def _registration(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """The registration colour: a Separation named /All, which prints on every plate."""
    tint = pikepdf.Dictionary(
        FunctionType=2,
        Domain=pikepdf.Array([0, 1]),
        C0=pikepdf.Array([0, 0, 0, 0]),
        C1=pikepdf.Array([1, 1, 1, 1]),
        N=1,
    )
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint])


def _crop_marks(slots: list[tuple[float, int | None]], y: float, w: float, h: float) -> str:
    """Short lines outside each corner of the spread's trim, along its edges, and at the
    fold, in the registration colour."""
    gap, length = 2 * MM, MARK_ROOM - 3 * MM
    left, right = slots[0][0], slots[1][0] + w
    lines = []
    for cx, dx in ((left, -1), (right, 1)):
        for cy, dy in ((y, -1), (y + h, 1)):
            lines.append((cx + dx * gap, cy, cx + dx * (gap + length), cy))
            lines.append((cx, cy + dy * gap, cx, cy + dy * (gap + length)))
    ops = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l S" for a, b, c, d in lines)
    return f"q /Reg CS 1 SCN 0.25 w {ops} Q "


def _fold_marks(width: float, height: float) -> str:
    """A dashed fold line at the middle, at the top and bottom edges of the sheet."""
    length = 5 * MM
    middle = width / 2
    return (
        f"q /Reg CS 1 SCN 0.3 w [2 2] 0 d {middle:.2f} {height:.2f} m "
        f"{middle:.2f} {height - length:.2f} l S {middle:.2f} 0 m {middle:.2f} {length:.2f} l S Q"
    )


def _describe(book: pikepdf.Pdf, out: pikepdf.Pdf, imposition: Imposition, pages: int) -> None:
    """The booklet's Info and XMP: the book's title, authors, language and dates, and a
    subject that says it is the booklet of that book."""
    info = book.trailer.get("/Info") or pikepdf.Dictionary()
    title = str(info.get("/Title", ""))
    subject = f"Booklet of {title}: {pages} pages on {imposition.sheet} sheets, folded"
    described = pikepdf.Dictionary(Title=title, Subject=subject)
    for key in ("/Author", "/Creator", "/Producer", "/CreationDate", "/ModDate"):
        if key in info:
            described[key] = info[key]
    out.trailer.Info = out.make_indirect(described)
    lang = book.Root.get("/Lang")
    if lang is not None:
        out.Root.Lang = pikepdf.String(str(lang))
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    with out.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = title
        xmp["dc:description"] = subject
        if lang is not None:
            xmp["dc:language"] = [str(lang)]
        authors = str(info.get("/Author", ""))
        if authors:
            xmp["dc:creator"] = [authors]
