"""Image files of the manuscript: readable, of a known type, and of a sane size (Pillow).

A small file can claim to be 20,000 × 20,000 pixels and unpack into gigabytes (a
decompression bomb): its header is read, never its pixels, and an image above the
limit is refused with the limit in the message.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageColor, ImageDraw, ImageFont, UnidentifiedImageError

from pubtool.xhtml import SvgText

MAX_PIXELS = 50_000_000  # 50 megapixels: 7,000 × 7,000, far above any printed page's need


@dataclass(frozen=True, slots=True)
class ColourProfile:
    """An ICC profile read with LittleCMS: what it is for, and its bytes."""

    description: str
    device_class: str  # prtr (output), mntr (display), scnr, ...
    components: int  # 1 (grey), 3 (RGB), 4 (CMYK)
    data: bytes


_COMPONENTS = {"GRAY": 1, "RGB": 3, "CMYK": 4}


def colour_profile(path: Path) -> ColourProfile:
    """The ICC profile in ``path``; ValueError saying why it is not one."""
    data = path.read_bytes()
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ImageCms.PyCMSError) as problem:
        raise ValueError(f"not an ICC profile ({problem})") from problem
    space = profile.xcolor_space.strip()
    if space not in _COMPONENTS:
        raise ValueError(f"a profile of {space!r} colours, not grey, RGB or CMYK")
    return ColourProfile(
        profile.profile_description or path.stem, profile.device_class, _COMPONENTS[space], data
    )


def raster_problem(path: Path) -> str | None:
    """What is wrong with a PNG, JPEG, GIF or WebP file, or None."""
    size = path.stat().st_size
    if size == 0:
        return "is empty (0 bytes)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
            try:
                with Image.open(path) as image:  # reads the header only
                    width, height = image.size
            finally:
                Image.MAX_IMAGE_PIXELS = previous
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return f"cannot be read as an image ({exc.__class__.__name__})"
    if width * height > MAX_PIXELS:
        return f"is {width:,} × {height:,} pixels, above the limit of {MAX_PIXELS:,} pixels"
    try:
        with Image.open(path) as image:
            image.verify()  # checks the file's structure (PNG checksums), without its pixels
    except Exception as exc:  # Pillow raises many kinds for damaged files
        return f"is damaged ({exc.__class__.__name__}: {str(exc)[:60]})"
    return None


_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # Pillow: horizontal, then baseline


def draw_texts(png: bytes, texts: Iterable[tuple[SvgText, Path, int]]) -> bytes:
    """``png`` with each text drawn over it from its font file (and face index), laid out
    by libraqm: shaped, and in its own direction (Arabic joined and right to left), which
    CairoSVG's text does not do."""
    with Image.open(io.BytesIO(png)) as opened:
        image = opened.convert("RGBA")
    draw = ImageDraw.Draw(image)
    for text, file, index in texts:
        font = ImageFont.truetype(
            str(file), round(text.size), index=index, layout_engine=ImageFont.Layout.RAQM
        )
        try:
            fill = ImageColor.getrgb(text.fill)
        except ValueError:
            fill = (0, 0, 0)
        draw.text(
            (text.x, text.y),
            text.text,
            font=font,
            fill=fill,
            anchor=_ANCHORS.get(text.anchor, "ls"),
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
