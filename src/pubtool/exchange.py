"""Exchange with the CAT tools professional translators use (Trados, memoQ, Phrase,
OmegaT): a language's catalogs written as TMX 1.4b or XLIFF 2.0, and read back.

translate-toolkit reads and writes both formats; this module is its only importer. What
a PO entry holds and neither format has a place for travels in the formats' own
extension points, so that a round trip loses nothing:

- XLIFF 2.0: one ``<file>`` per catalog (its id is the domain), one ``<unit>`` per entry,
  one ``<segment>`` per plural form (the first with the msgid as source, the others with
  the msgid_plural); ``state="initial"`` with a target is a fuzzy entry; unit notes carry
  the msgctxt (``category="context"``), the locations (``location``), the extracted
  comments (``developer``) and the translator's comments (``translator``).
- TMX 1.4b: one ``<tu>`` per translated entry (or per plural form), ``<note>`` for the
  translator's comments, and ``<prop>`` for the rest: ``x-context`` (translate-toolkit's
  own), ``x-domain``, ``x-fuzzy``, ``x-location``, ``x-developer``, ``x-plural`` (the
  msgid_plural) and ``x-form`` (the plural form's index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from translate.misc.xml_helpers import getXMLlang
from translate.storage.tmx import tmxfile, tmxunit
from translate.storage.xliff2 import Xliff2File, Xliff2Unit

from pubtool.errors import Location, PubtoolError
from pubtool.i18n import Entry, PoFile

Format = Literal["tmx", "xliff"]
FORMATS: tuple[Format, ...] = ("tmx", "xliff")
_XML = "{http://www.w3.org/XML/1998/namespace}"


@dataclass(frozen=True, slots=True)
class Exchanged:
    """What an exchange file holds for one language: its entries by domain, each with
    its line in the file, and the languages it names."""

    source_lang: str
    target_lang: str
    entries: tuple[tuple[str, Entry], ...]


def format_of(path: Path) -> Format | None:
    suffix = path.suffix.lower()
    return "tmx" if suffix == ".tmx" else "xliff" if suffix in (".xlf", ".xliff") else None


def export_bytes(
    catalogs: Mapping[str, PoFile], form: Format, source_lang: str, target_lang: str
) -> bytes:
    """The active entries of ``catalogs`` (by domain) as a TMX or XLIFF document."""
    if form == "tmx":
        return _tmx(catalogs, source_lang, target_lang)
    return _xliff(catalogs, source_lang, target_lang)


def read(path: Path, form: Format, wanted: Callable[[str], bool] | None = None) -> Exchanged:
    """The entries of the exchange file at ``path``; in a TMX holding several languages,
    those of the first language that ``wanted`` accepts."""
    try:
        data = path.read_bytes()
        if form == "tmx":
            return _read_tmx(data, wanted)
        return _read_xliff(data)
    except OSError as exc:
        raise PubtoolError(
            f"cannot read {path.name}: {exc.strerror}", location=Location(path)
        ) from None
    except (ValueError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        line = getattr(exc, "lineno", None)
        raise PubtoolError(
            f"{path.name} is not a {'TMX' if form == 'tmx' else 'XLIFF 2.0'} file: {exc}",
            location=Location(path, line if isinstance(line, int) else None),
            hint="export it again from the CAT tool as TMX 1.4b or XLIFF 2.0",
        ) from None


# ---------------------------------------------------------------- XLIFF 2.0


def _xliff(catalogs: Mapping[str, PoFile], source_lang: str, target_lang: str) -> bytes:
    store = Xliff2File(sourcelanguage=source_lang, targetlanguage=target_lang)
    first = True
    for domain, po in catalogs.items():
        if first:
            store.setfilename(store.body, domain)
            first = False
        else:
            node = store.createfilenode(domain)
            store.document.getroot().append(node)
            store.body = node
        for number, entry in enumerate(po.active(), 1):
            _xliff_unit(store, f"m{number}", entry)
    return bytes(store)


def _xliff_unit(store: Xliff2File, unit_id: str, entry: Entry) -> None:
    sources = (
        [entry.msgid]
        if not entry.plural
        else [entry.msgid] + [entry.plural] * max(len(entry.forms) - 1, 1)
    )
    targets = list(entry.forms) if entry.plural else [entry.msgstr]
    head: Xliff2Unit | None = None
    for index, source in enumerate(sources):
        segment = Xliff2Unit(source)
        target = targets[index] if index < len(targets) else ""
        if target:
            segment.target = target
        segment.xmlelement.attrib.pop(f"{_XML}space", "")  # xml:space belongs on the unit
        if head is None:
            store.addunit(segment)
            head = segment
        else:
            head.getunitelement().append(segment.xmlelement)
        segment.setid(f"{unit_id}::form-{index}" if entry.plural else unit_id)
        if target:
            segment.markfuzzy(entry.fuzzy)
        else:
            segment.xmlelement.set("state", "initial")
    assert head is not None
    unit = head.getunitelement()
    unit.set(f"{_XML}space", "preserve")
    notes = [
        *(("context", entry.context) for _ in [1] if entry.context),
        *(("location", where) for where in entry.locations),
        *(("developer", note) for note in entry.notes),
        *(("translator", comment) for comment in entry.comments),
    ]
    if notes:
        container = unit.makeelement(head.namespaced("notes"), {})
        for category, text in notes:
            note = container.makeelement(head.namespaced("note"), {"category": category})
            note.text = text
            container.append(note)
        unit.insert(0, container)


def _read_xliff(data: bytes) -> Exchanged:
    store = Xliff2File.parsestring(data)
    entries: list[tuple[str, Entry]] = []
    units: dict[int, tuple[str, Any, list[Xliff2Unit]]] = {}
    for segment in store.units:
        unit = segment.xmlelement.getparent()
        key = id(unit)
        if key not in units:
            units[key] = (str(Xliff2File.getfilename(unit.getparent())), unit, [])
        units[key][2].append(segment)
    for domain, unit, segments in units.values():
        notes: dict[str, list[str]] = {}
        container = unit.find(segments[0].namespaced("notes"))
        for note in container if container is not None else ():
            notes.setdefault(note.get("category", ""), []).append(note.text or "")
        first = segments[0]
        plural = str(segments[1].source) if len(segments) > 1 else ""
        forms = tuple(str(s.target or "") for s in segments)
        entries.append(
            (
                domain,
                Entry(
                    str(first.source),
                    forms[0] if not plural or all(forms) else "",
                    _line(first.xmlelement),
                    fuzzy=any(s.isfuzzy() for s in segments),
                    plural=plural,
                    forms=forms if plural else (),
                    comments=tuple(notes.get("translator", ())),
                    context=(notes.get("context") or [""])[0],
                    locations=tuple(notes.get("location", ())),
                    notes=tuple(notes.get("developer", ())),
                ),
            )
        )
    return Exchanged(store.sourcelanguage, store.targetlanguage or "", tuple(entries))


# ---------------------------------------------------------------- TMX 1.4b


def _tmx(catalogs: Mapping[str, PoFile], source_lang: str, target_lang: str) -> bytes:
    store = tmxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
    store.addheader()
    for domain, po in catalogs.items():
        for entry in po.active():
            forms = entry.forms if entry.plural else (entry.msgstr,)
            for index, form in enumerate(forms):
                if not form:
                    continue  # a memory holds translations
                unit = store.addsourceunit(entry.plural if index else entry.msgid)
                unit.settarget(form, target_lang)
                for comment in entry.comments:
                    unit.addnote(comment)
                if entry.context:
                    unit.setcontext(entry.context)
                props = [("x-domain", domain)]
                props += [("x-fuzzy", "yes")] if entry.fuzzy else []
                props += (
                    [("x-plural", entry.plural), ("x-form", str(index))] if entry.plural else []
                )
                props += [("x-location", where) for where in entry.locations]
                props += [("x-developer", note) for note in entry.notes]
                if entry.plural and index:
                    props.append(("x-msgid", entry.msgid))
                _add_props(unit, props)
    return bytes(store)


def _add_props(unit: tmxunit, props: Iterable[tuple[str, str]]) -> None:
    element = unit.xmlelement
    first_tuv = element.find(unit.namespaced("tuv"))
    at = element.index(first_tuv) if first_tuv is not None else len(element)
    for offset, (kind, text) in enumerate(props):
        prop = element.makeelement(unit.namespaced("prop"), {"type": kind})
        prop.text = text
        element.insert(at + offset, prop)


def _read_tmx(data: bytes, wanted: Callable[[str], bool] | None) -> Exchanged:
    store = tmxfile.parsestring(data)
    source_lang = store.sourcelanguage or "en"
    target_lang = ""
    grouped: dict[tuple[str, str, str], Entry] = {}
    for unit in store.units:
        texts = {getXMLlang(node): unit.getNodeText(node) or "" for node in unit.getlanguageNodes()}
        tag = next((t for t in texts if _same_or_narrower(t, source_lang)), None)
        source = texts.pop(tag) if tag is not None else None
        if source is None:
            continue
        if not target_lang:
            target_lang = next((tag for tag in texts if wanted is None or wanted(tag)), "")
        target = texts.get(target_lang, "")
        if not target:
            continue
        props: dict[str, list[str]] = {}
        for prop in unit.xmlelement.iterchildren(unit.namespaced("prop")):
            props.setdefault(prop.get("type", ""), []).append(prop.text or "")
        one = {kind: values[0] for kind, values in props.items()}
        plural = one.get("x-plural", "")
        index = int(one.get("x-form", "0") or 0)
        msgid = one.get("x-msgid", source) if plural and index else source
        key = (one.get("x-domain", ""), msgid, unit.getcontext())
        entry = grouped.get(key) or Entry(
            msgid,
            "",
            _line(unit.xmlelement),
            fuzzy=one.get("x-fuzzy") == "yes",
            plural=plural,
            comments=tuple(n for n in unit.getnotes().split("\n") if n),
            context=unit.getcontext(),
            locations=tuple(props.get("x-location", ())),
            notes=tuple(props.get("x-developer", ())),
        )
        if plural:
            forms = list(entry.forms) + [""] * (index + 1 - len(entry.forms))
            forms[index] = target
            entry = replace(entry, forms=tuple(forms), msgstr=forms[0] if all(forms) else "")
        else:
            entry = replace(entry, msgstr=target)
        grouped[key] = entry
    entries = tuple((domain, entry) for (domain, _, _), entry in grouped.items())
    return Exchanged(source_lang, target_lang, entries)


def _line(element: Any) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def _same_or_narrower(tag: str, wanted: str) -> bool:
    """Whether ``tag`` is ``wanted`` or one of its regional forms (en-US for en)."""
    tag, wanted = tag.lower(), wanted.lower()
    return tag == wanted or tag.startswith(wanted + "-")
