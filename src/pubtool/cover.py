"""Rasterise the cover drawn by the ``cover.svg`` template into a PNG (CairoSVG)."""

from __future__ import annotations

import cairosvg

from pubtool.errors import PubtoolError


class CoverError(PubtoolError):
    """The cover template did not produce a drawable SVG."""

    code = "cover"


def cover_png(svg: str) -> bytes:
    """The PNG of ``svg`` at its own size (the default template draws 1600 x 2400 px)."""
    try:
        png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), unsafe=False)
    except Exception as exc:  # CairoSVG raises anything from XML, CSS and Cairo errors
        raise CoverError(f"the cover template cannot be drawn: {exc}") from exc
    if not isinstance(png, bytes):
        raise CoverError("the cover template produced no image")
    return png
