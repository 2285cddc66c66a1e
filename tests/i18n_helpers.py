"""Test helpers for catalogs: fill in translations as a translator would."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(po: Path, translations: dict[str, str], *, fuzzy: tuple[str, ...] = ()) -> None:
    """Set the msgstr of the given msgids in ``po`` (and mark some fuzzy)."""
    catalog = read_po(io.BytesIO(po.read_bytes()))
    for msgid, msgstr in translations.items():
        message = catalog.get(msgid)
        assert message is not None, f"no msgid {msgid!r} in {po}"
        message.string = msgstr
        if msgid in fuzzy:
            message.flags.add("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=True)
    po.write_bytes(buffer.getvalue())


def entries(po: Path) -> dict[str, tuple[str, bool, bool]]:
    """msgid -> (msgstr, fuzzy, obsolete) for every entry of ``po``."""
    catalog = read_po(io.BytesIO(po.read_bytes()))
    out = {}
    for message in catalog:
        if message.id:
            out[message.id] = (message.string, message.fuzzy, False)
    for key, message in catalog.obsolete.items():
        out[key] = (message.string, message.fuzzy, True)
    return out
