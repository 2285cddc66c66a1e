"""Saddle-stitch booklets: which page goes where, on which sheet (pure functions; the
sheets themselves are written by ``pdffile``).

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
from typing import Literal

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


#: room around the trim of a spread for crop marks: a 2 mm gap, then 4 mm lines
MARK_ROOM = 7 * MM
