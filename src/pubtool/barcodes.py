"""The ISBN as an EAN-13 barcode for the back cover, drawn by python-barcode as SVG."""

from __future__ import annotations

import io

import barcode
from barcode.writer import SVGWriter

#: Bars 0.33 mm a module (the EAN-13 nominal size: 37.29 mm across its 113 modules with
#: the quiet zones) and 22.85 mm high, the digits under them in 2.75 mm type.
_OPTIONS = {
    "module_width": 0.33,
    "module_height": 22.85,
    "quiet_zone": 3.63,
    "font_size": 9,
    "text_distance": 4.0,
    "background": "white",
    "foreground": "black",
}


def ean13_svg(digits: str) -> str:
    """The EAN-13 barcode of the ISBN-13 ``digits`` (already checked), as an SVG document,
    its digits printed under the bars."""
    code = barcode.get("isbn13", digits, writer=SVGWriter())
    out = io.BytesIO()
    code.write(out, options=_OPTIONS)
    return out.getvalue().decode("utf-8")
