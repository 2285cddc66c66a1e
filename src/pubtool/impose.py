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


def write_booklet(book_pdf: Path, target: Path, imposition: Imposition) -> None:
    """Impose the PDF ``book_pdf`` on sheets written to ``target``."""
    if imposition.sheet not in SHEETS:
        raise PubtoolError(
            f"unknown sheet size {imposition.sheet!r}",
            hint=f"known sheets: {', '.join(SHEETS)}",
        )
    height, width = SHEETS[imposition.sheet]  # landscape: the long side across
    margin = 8 * MM if imposition.marks else 0.0  # room for crop marks outside the trim
    with pikepdf.open(book_pdf) as book, pikepdf.new() as out:
        pages = list(book.pages)
        sides = sheet_sides(len(pages), imposition.signature)
        if imposition.binding == "right":  # the spread mirrored: page 1 on the left half
            sides = [(right, left) for left, right in sides]
        sheets = len(sides) // 2
        for number, (left, right) in enumerate(sides):
            sheet_index = number // 2  # 0 = outermost sheet of the stack
            signature_sheets = imposition.signature or sheets
            depth = sheet_index % signature_sheets
            shift = (
                imposition.creep * MM * depth / (signature_sheets - 1)
                if signature_sheets > 1
                else 0
            )
            out.add_blank_page(page_size=(width, height))
            sheet = out.pages[-1]
            sheet.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary())
            drawing = []
            for slot, page_number in enumerate((left, right)):
                if page_number is None:
                    continue
                source_page = pages[page_number - 1]
                box = [float(v) for v in source_page.mediabox]
                w, h = box[2] - box[0], box[3] - box[1]
                scale = min((width / 2 - margin) / w, (height - 2 * margin) / h)
                pw, ph = w * scale, h * scale
                toward_fold = shift if slot == 0 else -shift
                x = (width / 2 - pw if slot == 0 else width / 2) + toward_fold
                y = (height - ph) / 2
                # Named by hand (add_overlay picks random names): same input, same bytes.
                name = f"/Page{page_number}"
                sheet.Resources.XObject[name] = out.copy_foreign(source_page.as_form_xobject())
                drawing.append(
                    f"q {scale:.6f} 0 0 {scale:.6f} {x - box[0] * scale:.4f} "
                    f"{y - box[1] * scale:.4f} cm {name} Do Q"
                )
                if imposition.marks:
                    _crop_marks(out, sheet, x, y, pw, ph, margin)
            sheet.contents_add(pikepdf.Stream(out, " ".join(drawing).encode()), prepend=True)
            if imposition.marks:
                _marks(out, sheet, width, height)
        out.save(target, deterministic_id=True)


def _crop_marks(
    pdf: pikepdf.Pdf, sheet: pikepdf.Page, x: float, y: float, w: float, h: float, room: float
) -> None:
    """Short lines outside each corner of a page's trim box, along its edges."""
    gap, length = 2 * MM, room - 3 * MM
    lines = []
    for cx, dx in ((x, -1), (x + w, 1)):
        for cy, dy in ((y, -1), (y + h, 1)):
            lines.append((cx + dx * gap, cy, cx + dx * (gap + length), cy))
            lines.append((cx, cy + dy * gap, cx, cy + dy * (gap + length)))
    ops = "q 0.25 w " + " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l S" for a, b, c, d in lines)
    sheet.contents_add(pikepdf.Stream(pdf, (ops + " Q").encode()), prepend=False)


def _marks(pdf: pikepdf.Pdf, sheet: pikepdf.Page, width: float, height: float) -> None:
    """A dashed fold line at the middle, at the top and bottom edges of the sheet."""
    length = 8 * MM
    middle = width / 2
    ops = (
        f"q 0.3 w [2 2] 0 d {middle:.2f} {height:.2f} m {middle:.2f} {height - length:.2f} l S "
        f"{middle:.2f} 0 m {middle:.2f} {length:.2f} l S Q"
    )
    sheet.contents_add(pikepdf.Stream(pdf, ops.encode()), prepend=False)
