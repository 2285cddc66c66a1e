"""Rasterise SVG with CairoSVG: the cover drawn by ``cover.svg``, and SVG images for print.

Drawings are kept in a folder (the project's ``build/.pubtool-raster/``) under a hash of
the SVG and the size, so a rebuild after an edit elsewhere neither draws them again nor
imports CairoSVG (a third of a second).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pubtool import files, fonts, images, xhtml
from pubtool.errors import Location, PubtoolError


class CoverError(PubtoolError):
    """The cover template did not produce a drawable SVG."""

    code = "cover"


def needs_layout(text: str) -> bool:
    """Whether CairoSVG would draw ``text`` wrong: it neither shapes nor reorders text,
    so right-to-left scripts come out reversed and unjoined, and scripts whose letters
    combine (Devanagari, Thai...) come out broken (CairoSVG 2.9)."""
    return any(
        unicodedata.bidirectional(c) in {"R", "AL"} or unicodedata.category(c) in {"Mn", "Mc"}
        for c in text
    )


def cover_png(svg: str, cache: Path | None = None) -> bytes:
    """The PNG of ``svg`` at its own size (the default template draws 1600 x 2400 px),
    kept in the folder ``cache`` if one is given. Texts CairoSVG cannot lay out (see
    :func:`needs_layout`) are drawn over its image by Pillow and libraqm, in the font
    fontconfig finds; without fontconfig, CairoSVG draws them as it can."""
    data = svg.encode("utf-8")

    def draw() -> bytes:
        import cairosvg

        plain, texts = xhtml.take_texts(svg, needs_layout)
        faces = [fonts.face_file(t.family, t.bold, t.italic) for t in texts]
        if any(face is None for face in faces):
            plain, texts = svg, []
        try:
            png = cairosvg.svg2png(bytestring=plain.encode("utf-8"), unsafe=False)
        except Exception as exc:  # CairoSVG raises anything from XML, CSS and Cairo errors
            raise CoverError(f"the cover template cannot be drawn: {exc}") from exc
        if not isinstance(png, bytes):
            raise CoverError("the cover template produced no image")
        if texts:
            placed = [(t, *face) for t, face in zip(texts, faces, strict=True) if face]
            png = images.draw_texts(png, placed)
        return png

    return _cached(cache, data, "cover", draw)


def svg_as_png_uri(path: Path, width_px: int = 1800, cache: Path | None = None) -> str:
    """An SVG file drawn as a PNG ``data:`` URI, ``width_px`` wide (300 dpi over 150 mm).

    WeasyPrint 70 leaves out SVG paths filled with objectBoundingBox gradients (the
    default gradient units), which CairoSVG draws correctly; checked 2026-11.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PubtoolError(
            f"image cannot be read: {exc.strerror}", location=Location(path)
        ) from exc

    def draw() -> bytes:
        import cairosvg

        try:
            png = cairosvg.svg2png(bytestring=data, output_width=width_px, unsafe=False)
        except Exception as exc:  # CairoSVG raises anything from XML, CSS and Cairo errors
            raise PubtoolError(
                f"image cannot be drawn: {exc}",
                location=Location(path),
                hint="check that the SVG is well formed and self-contained",
            ) from exc
        assert isinstance(png, bytes)
        return png

    png = _cached(cache, data, f"width={width_px}", draw)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _cached(cache: Path | None, data: bytes, how: str, draw: Callable[[], bytes]) -> bytes:
    if cache is None:
        return draw()
    key = hashlib.sha256(data + b"\0" + how.encode()).hexdigest()
    stored = cache / f"{key}.png"
    try:
        return stored.read_bytes()
    except OSError:
        pass
    png = draw()
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        files.write_bytes(stored, png)  # whole: parallel builds may draw the same image
    return png
