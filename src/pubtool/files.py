"""Files written whole: into a temporary file beside the target, then renamed over it.

A reader (or a build running at the same time) sees the old file or the new one, never
half of one; a failure leaves the old file as it was and no temporary behind.
Standard library only: the cache uses it before anything else is imported.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from pubtool.errors import PubtoolError


def temporary_beside(target: Path) -> Path:
    """A new empty file in ``target``'s folder (made if needed), named after it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


def put_in_place(temporary: Path, target: Path) -> None:
    temporary.chmod(0o644)
    temporary.replace(target)


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole; raises OSError if it cannot."""
    temporary = temporary_beside(target)
    try:
        temporary.write_bytes(data)
        put_in_place(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``target``, then rename it into place.

    If anything fails, the previous ``target`` is left as it was. For outputs: a folder
    that cannot be written is a :class:`PubtoolError` that says so.
    """
    try:
        temporary = temporary_beside(target)
    except OSError as exc:
        raise PubtoolError(
            f"cannot write {target}: {exc.strerror}",
            hint=f"check that {target.parent} is a folder you may write to, or use -o PATH",
        ) from exc
    try:
        write(temporary)
        put_in_place(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
