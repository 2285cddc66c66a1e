"""Rasterise SVG with CairoSVG: the cover drawn by ``cover.svg``, and SVG images for print."""

from __future__ import annotations

import base64
from pathlib import Path

import cairosvg

from pubtool.errors import Location, PubtoolError


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


def svg_as_png_uri(path: Path, width_px: int = 1800) -> str:
    """An SVG file drawn as a PNG ``data:`` URI, ``width_px`` wide (300 dpi over 150 mm).

    WeasyPrint 70 leaves out SVG paths filled with objectBoundingBox gradients (the
    default gradient units), which CairoSVG draws correctly; checked 2026-11.
    """
    try:
        png = cairosvg.svg2png(url=str(path), output_width=width_px, unsafe=False)
    except Exception as exc:  # CairoSVG raises anything from XML, CSS and Cairo errors
        raise PubtoolError(
            f"image cannot be drawn: {exc}",
            location=Location(path),
            hint="check that the SVG is well formed and self-contained",
        ) from exc
    assert isinstance(png, bytes)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
