"""Lay out the print document into a PDF with WeasyPrint.

WeasyPrint's own warnings (an image it cannot decode, a CSS rule it ignores) are
caught and turned into pubtool diagnostics, so that nothing silently goes missing.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.resources
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
import weasyprint.css.counters
import weasyprint.pdf.tags
from weasyprint.formatting_structure import boxes

from pubtool.errors import Location, Report
from pubtool.pagelist import PageStart
from pubtool.render import CoverDocument, PrintDocument


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(
    document: PrintDocument,
    path: Path,
    root: Path,
    variant: str,
    images: dict[Path, Location],
    report: Report,
) -> tuple[list[PageStart], dict[str, int]]:
    """Render ``document`` to ``path``; files may only come from ``root``. Return where
    each page begins (for the EPUB's page list) and the page of each id.

    ``images`` says where each image is used, to report one that cannot be drawn there.
    """
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        html = _parsed(document.html, root)
        descriptions = link_descriptions(html.etree_element, document.place)
        with _fewer_collections(), _tags_completed(report, descriptions):
            # the stylesheet's @counter-style rules (the language's digits) go into a
            # CounterStyle given to the layout: WeasyPrint reads them from there only
            counters = weasyprint.css.counters.CounterStyle()
            stylesheet = weasyprint.CSS(string=document.css, counter_style=counters)
            edition = document.identifier.identifier
            identifier = hashlib.md5(f"{edition}|{document.lang}".encode()).hexdigest()
            options = {
                "stylesheets": [stylesheet],
                "pdf_variant": None if variant == "none" else variant,
                "pdf_identifier": identifier.encode(),
                "pdf_tags": variant != "none",
                "custom_metadata": True,
            }
            laid_out = html.render(**options, counter_style=counters)
            # a footnote WeasyPrint moved to the page after its call, to give the
            # paragraph at the foot of the call's page its orphans (a note once moved
            # never comes back, even if the paragraph then goes): that paragraph is laid
            # out again from the top of the next page, and the note stays on its call's
            # page, the lines before it flowing on (a few rounds, as each can move others)
            broken: set[int] = set()
            late = list(_note_pages(laid_out.pages))
            for _ in range(3):
                more = _displaced_notes(html.etree_element, laid_out.pages, late) - broken
                if not more:
                    break
                broken |= more
                html = _broken_before(_parsed(document.html, root), broken)
                laid_out = html.render(**options, counter_style=counters)
                late = list(_note_pages(laid_out.pages))
            if document.with_pages is not None:
                # the glossary's page references, written out once the pages of the
                # terms' uses are known (they come before it, so they stay where they
                # are): each page once, in the language's list (见第11、13页)
                pages: dict[str, int] = {}
                for number, page in enumerate(laid_out.pages, start=1):
                    for name in page.anchors:
                        pages.setdefault(name, number)
                html = _broken_before(_parsed(document.with_pages(pages), root), broken)
                laid_out = html.render(**options, counter_style=counters)
                late = list(_note_pages(laid_out.pages))
            for call, note in late:
                report.warning(
                    "pdf-footnote-page",
                    f"a footnote called on page {call} is set on page {note}",
                    None,
                    "WeasyPrint found no way to keep it with its call: a shorter note, or "
                    "a break before the paragraph that calls it, keeps them together",
                )
            starts = page_starts(html.etree_element, laid_out.pages)
            anchors: dict[str, int] = {}
            for number, page in enumerate(laid_out.pages, start=1):
                for name in page.anchors:
                    anchors.setdefault(name, number)
            laid_out.write_pdf(path, **{k: v for k, v in options.items() if k != "stylesheets"})
    finally:
        logger.removeHandler(collect)
    for message in collect.messages:
        if "has no required alt description" in message:
            continue  # reported at its line before layout (image-alt), or marked decorative
        url = re.search(r"'(file://[^']+)'", message)
        if url and "image" in message.lower():
            file = Path(unquote(urlsplit(url.group(1)).path))
            report.error(
                "pdf-image",
                f"image {file.name!r} cannot be drawn",
                images.get(file, Location(file)),
                "check that the file is a valid PNG, JPEG, GIF, SVG or WebP",
            )
        else:
            report.warning("pdf-layout", f"WeasyPrint: {message}", None)
    return starts, anchors


def write_cover(document: CoverDocument, path: Path, root: Path, report: Report) -> None:
    """Lay out the cover ``document`` (one page the size of the cover sheet) to ``path``."""
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        identifier = hashlib.md5(f"cover|{document.title}|{document.lang}".encode()).hexdigest()
        _parsed(document.html, root).write_pdf(
            path, pdf_identifier=identifier.encode(), custom_metadata=True
        )
    finally:
        logger.removeHandler(collect)
    for message in collect.messages:
        report.warning("pdf-layout", f"WeasyPrint (cover): {message}", None)


def _note_pages(pages: list[Any]) -> Iterator[tuple[int, int]]:
    """(the page of its call, its page) for each footnote set on a page after its call."""
    called: dict[int, int] = {}
    for number, page in enumerate(pages, start=1):
        for box in page._page_box.descendants():
            note = getattr(box, "footnote", None)
            if note is not None and str(box.element_tag).endswith("::footnote-call"):
                called.setdefault(id(note.element), number)
            elif isinstance(box, boxes.FootnoteAreaBox):
                for placed in box.children:
                    at = called.get(id(placed.element))
                    if at is not None and at < number:
                        yield at, number


def _displaced_notes(root: Any, pages: list[Any], late: list[tuple[int, int]]) -> set[int]:
    """The elements (by their place in ``root``'s document order) of the blocks that end
    the pages of the calls of the ``late`` footnotes (:func:`_note_pages`)."""
    order = {id(element): n for n, element in enumerate(root.iter())}
    found: set[int] = set()
    for call, _ in late:
        last = None
        stack = [c for c in reversed(pages[call - 1]._page_box.children) if _in_flow(c)]
        while stack:  # depth first, in order: the last line's block wins
            box = stack.pop()
            if isinstance(box, boxes.LineBox):
                last = box.element
                continue
            stack.extend(c for c in reversed(getattr(box, "children", ())) if _in_flow(c))
        if last is not None and id(last) in order:
            found.add(order[id(last)])
    return found


def _in_flow(box: Any) -> bool:
    return not isinstance(box, boxes.MarginBox | boxes.FootnoteAreaBox)


def _broken_before(html: Any, places: set[int]) -> Any:
    """``html`` with the elements at ``places`` (document order) starting a page."""
    for n, element in enumerate(html.etree_element.iter()):
        if n in places:
            style = element.get("style")
            element.set("style", f"{style}; break-before: page" if style else "break-before: page")
    return html


def _parsed(text: str, root: Path) -> Any:
    return weasyprint.HTML(
        string=text,
        base_url=root.as_uri() + "/",
        url_fetcher=weasyprint.URLFetcher(allowed_protocols={"file", "data"}),
    )


def srgb_profile() -> bytes:
    """The sRGB ICC profile WeasyPrint ships (and gives PDF/A documents): what the
    colours of CSS are."""
    return (importlib.resources.files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def _blocks(root: Any) -> dict[int, tuple[str, int]]:
    """The elements the page starts point at, by ``id()``: each chapter and the glossary
    (block -1), the blocks after a chapter's title, and the glossary's entries."""
    found: dict[int, tuple[str, int]] = {}
    for section in root.iter():
        classes = set((section.get("class") or "").split())
        name = section.get("id")
        if (
            _local(section.tag) != "section"
            or not name
            or not {"chapter", "glossary", "part"} & classes
        ):
            continue
        found[id(section)] = (name, -1)
        if "glossary" in classes:
            entries = [entry for dl in section if _local(dl.tag) == "dl" for entry in dl]
        else:
            children = list(section)
            title = next(
                (i for i, c in enumerate(children) if "chapter-title" in (c.get("class") or "")),
                None,
            )
            entries = children[title + 1 :] if title is not None else []
        for number, element in enumerate(entries):
            found[id(element)] = (name, number)
    return found


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def page_starts(root: Any, pages: list[Any]) -> list[PageStart]:
    """Where each page begins, read off the laid-out boxes: the first chapter, block or
    glossary entry met on the page that has not begun on an earlier one; or, when the
    page goes on with a block begun before, the start of its first line there."""
    blocks = _blocks(root)
    seen: set[int] = set()
    starts: list[PageStart] = []
    for number, page in enumerate(pages, start=1):
        start: PageStart | None = None
        for box in _down_to_lines(page._page_box):
            element = getattr(box, "element", None)
            key = id(element) if element is not None else 0
            if key not in blocks:
                continue
            section, block = blocks[key]
            if start is None and not (key in seen and block == -1):
                text = _first_line(box) if key in seen else ""
                start = PageStart(str(number), section, block, text)
            seen.add(key)
        if start is not None:
            starts.append(start)
    return starts


def _down_to_lines(box: Any) -> Iterator[Any]:
    """``box`` and the boxes in it, in order, without going into lines: the blocks the
    page starts point at are never inside one, and lines hold most of a page's boxes."""
    yield box
    if not isinstance(box, boxes.LineBox):
        for child in getattr(box, "children", ()):
            yield from _down_to_lines(child)


def _first_line(box: Any) -> str:
    """The text of the first line of ``box`` on this page, ruby annotations left out."""
    for line in box.descendants():
        if not isinstance(line, boxes.LineBox):
            continue
        words = [
            text.text
            for text in line.descendants()
            if isinstance(text, boxes.TextBox) and text.element_tag not in {"rt", "rp"}
        ]
        return " ".join("".join(words).split())[:40]
    return ""


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often while WeasyPrint lays out the book.

    Layout makes millions of small objects that live until the PDF is written, and
    Python's default thresholds (700, 10, 10) scan them again and again. With the
    objects made before layout frozen and a first threshold of 10,000, layout of 195
    pages took 7.3 s instead of 8.1 s, for 5% more memory (2026-11).
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def _tags_completed(report: Report, descriptions: dict[str, str]) -> Iterator[None]:
    """Complete the structure elements WeasyPrint 70 builds, for the time of one render.

    Its tag tree is built by one recursive function of ``weasyprint.pdf.tags``, which
    yields each box's structure element; the wrapper completes that element (checked
    2026-12):

    - each tagged element with a ``lang`` gets its /Lang (WeasyPrint sets it on the
      document only, so a screen reader would read the hanzi of an English edition as
      English);
    - a footnote is a ``Note`` with an /ID, its call a ``Reference`` and its number a
      ``Lbl`` (WeasyPrint makes them a Span and NonStruct);
    - a link annotation is described by where it leads (``descriptions``, by target id:
      "Glossary: Jun porcelain"), not by the target's id;
    - a decorative image (``role="presentation"``) is left out of the tree, so that
      :func:`pubtool.pdffile.finish` marks its drawing as an artifact.
    """
    tags = weasyprint.pdf.tags
    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        report.warning(
            "pdf-lang",
            "this WeasyPrint builds its tags differently: Chinese spans carry no /Lang",
            None,
            "use the WeasyPrint version pubtool names in its dependencies",
        )
        yield
        return
    notes: dict[str, int] = {}

    def completed(box: Any, *args: Any) -> Iterator[Any]:
        html = getattr(box, "element", None)
        attributes: Mapping[str, str] = html.attrib if html is not None else {}
        lang = attributes.get("lang")
        tag = getattr(box, "element_tag", "") or ""
        classes = set((attributes.get("class") or "").split())
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None:
            annotation["Contents"] = pydyf.String(_description(annotation, descriptions))
        for element in build(box, *args):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            if tag == "span" and "footnote" in classes and element["S"] == "/Span":
                number = attributes.get("data-n") or str(len(notes) + 1)
                notes[number] = notes.get(number, 0) + 1
                element["S"] = "/Note"
                suffix = f"-{notes[number]}" if notes[number] > 1 else ""
                element["ID"] = pydyf.String(f"note-{len(notes)}{suffix}")
            elif tag.endswith("::footnote-call"):
                element["S"] = "/Reference"
            elif tag.endswith("::footnote-marker"):
                element["S"] = "/Lbl"
            elif element["S"] == "/Figure" and attributes.get("role") == "presentation":
                continue
            yield element

    tags._build_box_tree = completed
    try:
        yield
    finally:
        tags._build_box_tree = build


def _description(annotation: Any, descriptions: dict[str, str]) -> str:
    """What a link annotation leads to, in words: the place of the book, or the web
    address."""
    target = annotation.get("Dest")
    if target is not None:
        name = str(getattr(target, "string", target))
        return descriptions.get(name, name)
    action = annotation.get("A")
    uri = action.get("URI") if action is not None else None
    return str(getattr(uri, "string", uri or ""))


def link_descriptions(root: Any, place: str) -> dict[str, str]:
    """What each id of the print document is, in words, for the links that lead there:
    a chapter by its number and title ("Chapter 3 The Colours of Jun Porcelain"), a
    heading by its text, anything else by the title of its section and its own text
    ("Glossary: Jun porcelain"), as the language's ``place`` pattern joins them."""
    found: dict[str, str] = {}

    def walk(element: Any, section: str) -> None:
        name = element.get("id")
        tag = _local(element.tag)
        if tag == "section":
            heading = next((e for e in element.iter() if _local(e.tag) in _HEADINGS), None)
            number = next((e for e in element if "chapter-number" in (e.get("class") or "")), None)
            words = [_text(e) for e in (number, heading) if e is not None]
            section = " ".join(w for w in words if w) or section
            if name:
                found[name] = section
        elif name and tag in _HEADINGS:
            found[name] = _text(element)
        elif name:
            text = _text(element)
            if len(text) > 60:
                text = text[:59] + "…"
            found[name] = place % {"place": section, "item": text} if section else text
        for child in element:
            if isinstance(child.tag, str):
                walk(child, section)

    walk(root, "")
    return found


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _text(element: Any) -> str:
    """The text of ``element`` as read aloud: ruby readings and footnotes left out."""
    parts: list[str] = []

    def gather(node: Any) -> None:
        tag = _local(node.tag) if isinstance(node.tag, str) else ""
        if tag in {"rt", "rp"} or "footnote" in (node.get("class") or "").split():
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            gather(child)
        if node.tail and node is not element:
            parts.append(node.tail)

    gather(element)
    return " ".join("".join(parts).replace("\u2060", "").split())
