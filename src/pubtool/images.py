"""Image files of the manuscript: readable, of a known type, and of a sane size (Pillow).

A small file can claim to be 20,000 × 20,000 pixels and unpack into gigabytes (a
decompression bomb): its header is read, never its pixels, and an image above the
limit is refused with the limit in the message.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 50_000_000  # 50 megapixels: 7,000 × 7,000, far above any printed page's need


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
