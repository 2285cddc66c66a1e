"""The print-on-demand cover's geometry: back, spine and front on one sheet, with bleed
all round and room outside it for the crop marks (pure functions; the sheet is laid out
by :mod:`pubtool.render` and :mod:`pubtool.writers.pdf`, its boxes and marks set by
:mod:`pubtool.pdffile`).

Lengths are in PDF points, from the bottom left of the sheet, as PDF boxes are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MM = 72 / 25.4

#: The thickness of one page (half a leaf: a 200-page book has 100 leaves) by paper, in
#: mm: the figures Amazon KDP publishes for its papers (white 0.002252 in, cream
#: 0.0025 in, premium colour 0.002347 in); IngramSpark and Lulu quote within a few
#: hundredths of a millimetre of them. ``paper_thickness`` in book.yaml overrides them.
PAPERS: dict[str, float] = {"white": 0.0572, "cream": 0.0635, "colour": 0.0596}

#: Bleed on every side of the cover: 1/8 inch, what KDP, IngramSpark and Lulu ask (and
#: more than the 3 mm of most European printers).
BLEED = 3.175 * MM

#: Room outside the bleed for the crop marks and the spine's fold marks.
SLUG = 10 * MM

#: A spine narrower than this carries no text (KDP sets it at 80 pages on white paper).
SPINE_TEXT_MIN = 4.5 * MM


@dataclass(frozen=True, slots=True)
class CoverGeometry:
    """One cover sheet: two panels the size of a book page and the spine between them."""

    page_width: float
    page_height: float
    spine: float
    pages: int
    binding: Literal["left", "right"] = "left"  # right: the front is the left panel
    bleed: float = BLEED
    slug: float = SLUG

    @property
    def width(self) -> float:
        return 2 * (self.slug + self.bleed + self.page_width) + self.spine

    @property
    def height(self) -> float:
        return 2 * (self.slug + self.bleed) + self.page_height

    @property
    def trim(self) -> tuple[float, float, float, float]:
        """The cover as cut: back, spine and front (x0, y0, x1, y1)."""
        edge = self.slug + self.bleed
        return (edge, edge, self.width - edge, self.height - edge)

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.trim
        return (x0 - self.bleed, y0 - self.bleed, x1 + self.bleed, y1 + self.bleed)

    @property
    def spine_edges(self) -> tuple[float, float]:
        """Where the cover folds round the spine: the spine's left and right edges."""
        left = self.slug + self.bleed + self.page_width
        return (left, left + self.spine)

    @property
    def spine_text(self) -> bool:
        """Whether the spine is wide enough to carry the title."""
        return self.spine >= SPINE_TEXT_MIN


def spine_width(pages: int, paper: str, thickness_mm: float | None = None) -> float:
    """The spine of a book of ``pages`` pages, in points: the pages' count times the
    thickness of one page (``thickness_mm``, or the paper's from :data:`PAPERS`).
    A page count is of pages, not leaves, as print-on-demand services count."""
    per_page = thickness_mm if thickness_mm is not None else PAPERS[paper]
    return pages * per_page * MM


def geometry(
    pages: int,
    page_width: float,
    page_height: float,
    paper: str,
    thickness_mm: float | None = None,
    binding: Literal["left", "right"] = "left",
) -> CoverGeometry:
    """The cover of a book of ``pages`` pages of ``page_width`` × ``page_height`` points."""
    spine = spine_width(pages, paper, thickness_mm)
    return CoverGeometry(page_width, page_height, spine, pages, binding)
