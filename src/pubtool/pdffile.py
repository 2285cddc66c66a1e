"""PDF files after layout, with pikepdf: the book PDF finished for the standard it claims
(output intent, images, structure), and booklet sheets imposed from it.

WeasyPrint writes the book; what it leaves undone for PDF/X, PDF/A and PDF/UA is done
here, on the written file, and read back by the tests.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from pubtool.cover import CoverGeometry
from pubtool.errors import PubtoolError
from pubtool.images import ColourProfile
from pubtool.impose import MARK_ROOM, MM, SHEETS, Imposition, sheet_sides


def finish(
    path: Path, variant: str, intent: ColourProfile | None, srgb: bytes, identifier: str
) -> None:
    """Make the book PDF at ``path`` what ``variant`` says it is, in place, and write the
    print edition's ``identifier`` (``urn:isbn:…`` when it has an ISBN) into its XMP.

    PDF/A and PDF/X forbid interpolated images (WeasyPrint asks for interpolation of
    every image it does not draw pixelated). PDF/X-4 needs an output intent with the
    print condition's profile (``intent``), a TrimBox on every page, and device colours
    tied to a profile: WeasyPrint writes its colours as DeviceRGB, so every page and
    form gets a DefaultRGB of ``srgb``, which is what CSS colours are.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for stream in pdf.objects if variant.startswith(("pdf/a", "pdf/x")) else ():
            image = isinstance(stream, pikepdf.Stream) and stream.get("/Subtype") == "/Image"
            if image and "/Interpolate" in stream:
                del stream["/Interpolate"]
        _own_resources(pdf)
        if "/StructTreeRoot" in pdf.Root:
            _mend_structure(pdf)
        if variant == "pdf/x-4" and intent is not None:
            _output_intent(pdf, intent, srgb)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:identifier"] = identifier
            if variant.startswith("pdf/x"):
                # WeasyPrint gives PDF/X a random document id: made from the PDF's /ID
                # instead (itself made from the edition's identifier and language), the
                # same sources give the same bytes
                document = uuid.UUID(bytes=bytes(pdf.trailer.ID[0])[:16].ljust(16, b"\0"))
                xmp["xmpMM:DocumentID"] = f"xmp.did:{document}"
        pdf.save(path, deterministic_id=True)


def _own_resources(pdf: pikepdf.Pdf) -> None:
    """Give each page the images and forms it draws, not every one of the book's.

    WeasyPrint gives all pages one resource dictionary, which names every image and form
    of the book; a RIP reads it again for each page (Ghostscript, looking for
    transparency, took 1.7 s a page on a 39-page book with 290 of them, 0.1 s after).
    A page keeps the rest of the shared dictionary (fonts, colour spaces, states)."""
    for page in pdf.pages:
        resources: Any = page.obj.get("/Resources")
        forms: Any = resources.get("/XObject") if resources is not None else None
        if forms is None:
            continue
        drawn = {
            str(instruction.operands[0])
            for instruction in pikepdf.parse_content_stream(page, "Do")
            if isinstance(instruction, pikepdf.ContentStreamInstruction)
        }
        if any(
            name in forms
            and forms[name].get("/Subtype") == "/Form"
            and "/Resources" not in forms[name]
            for name in drawn
        ):
            continue  # a form that borrows the page's resources: left as it is
        own = pikepdf.Dictionary({key: value for key, value in resources.items()})
        own.XObject = pikepdf.Dictionary({name: forms[name] for name in drawn if name in forms})
        page.obj.Resources = own


def _mend_structure(pdf: pikepdf.Pdf) -> None:
    """What WeasyPrint's tag builder leaves against PDF/UA-1, mended: marked content
    the structure tree does not reach becomes an artifact (running heads and folios:
    Kozea/WeasyPrint#1836, pagination; decorative images, which the tag builder leaves
    out of the tree, layout); the element holding a link annotation is a ``Link``;
    table headers get a ``Scope``; the ids that ``TD /Headers`` and notes name are in
    an ``IDTree``; a figure's ``BBox`` is in PDF coordinates, not CSS pixels from the
    top; elements with nothing in them are removed; annotation rectangles are
    normalised (lower left, upper right)."""
    root: Any = pdf.Root.StructTreeRoot
    pages: dict[Any, int] = {page.objgen: n for n, page in enumerate(pdf.pages)}
    reached: set[tuple[int, int]] = set()
    with_ids: dict[str, pikepdf.Dictionary] = {}
    for element, on in _elements(root, pages):
        kind = element.get("/S")
        kids: Any = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int) and on is not None:
                reached.add((on, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                reached.add((pages[kid.Pg.objgen], int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                annotation = kid.Obj
                if annotation.get("/Subtype") == "/Link" and kind != "/Link":
                    element.S = pikepdf.Name.Link
        if kind == "/TH":
            attributes = element.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary):
                attributes = element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
            if "/Scope" not in attributes:
                attributes.Scope = pikepdf.Name.Column  # WeasyPrint tags a thead's cells
        if kind == "/Figure" and on is not None:
            _figure_box(element, pdf.pages[on])
        if "/ID" in element:
            with_ids[str(element.ID)] = element
    parents = pikepdf.NumberTree(root.ParentTree) if "/ParentTree" in root else None
    for number, page in enumerate(pdf.pages):
        key = page.obj.get("/StructParents")
        held = (
            parents[int(key)]
            if parents is not None and key is not None and int(key) in parents
            else None
        )
        _artifacts(pdf, page, number, reached, held)
        for annotation in page.obj.get("/Annots", ()):
            if "/Rect" in annotation:
                x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
                annotation.Rect = pikepdf.Array(
                    [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]
                )
    _prune(root)
    if with_ids:
        names = pikepdf.Array()
        for name in sorted(with_ids):
            names.extend([pikepdf.String(name), with_ids[name]])
        root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))


def _figure_box(element: pikepdf.Dictionary, page: pikepdf.Page) -> None:
    """WeasyPrint writes a figure's ``BBox`` in CSS pixels from the page's top left;
    PDF wants points from the bottom left of the page (WeasyPrint draws the page box's
    top at the TrimBox's top)."""
    attributes = element.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary) or "/BBox" not in attributes:
        return
    x1, y1, x2, y2 = (float(v) * 0.75 for v in attributes.BBox)  # 96 px to 72 pt
    top = float((page.obj.get("/TrimBox") or page.mediabox)[3])
    attributes.BBox = pikepdf.Array([x1, top - y2, x2, top - y1])


def _prune(node: pikepdf.Dictionary) -> bool:
    """Remove the structure elements under ``node`` that hold nothing (WeasyPrint
    leaves an empty element for a box with no content: an empty list item); return
    whether ``node`` itself is empty."""
    kids: Any = node.get("/K")
    if kids is None:
        return True
    listed = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    kept = [
        kid
        for kid in listed
        if not (
            isinstance(kid, pikepdf.Dictionary)
            and kid.get("/Type") not in ("/MCR", "/OBJR")
            and "/S" in kid
            and _prune(kid)
        )
    ]
    if len(kept) != len(listed):
        node.K = pikepdf.Array(kept)
    return not kept


def _elements(
    node: pikepdf.Object, pages: dict[Any, int], page: int | None = None
) -> list[tuple[pikepdf.Dictionary, int | None]]:
    """Every structure element under ``node``, with the page its MCIDs are on."""
    found: list[tuple[pikepdf.Dictionary, int | None]] = []
    stack: list[tuple[pikepdf.Object, int | None]] = [(node, page)]
    while stack:
        current, on = stack.pop()
        if not isinstance(current, pikepdf.Dictionary):
            continue
        if "/Pg" in current:
            on = pages.get(current.Pg.objgen, on)
        if "/S" in current:
            found.append((current, on))
        kids: Any = current.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                stack.append((kid, on))
    return found


def _artifacts(
    pdf: pikepdf.Pdf,
    page: pikepdf.Page,
    number: int,
    reached: set[tuple[int, int]],
    held: Any,
) -> None:
    """Mark the marked content of ``page`` that no structure element reaches as an
    artifact: a decorative figure's as layout, the rest (running heads, folios) as
    pagination; and take it out of the page's entry of the parent tree (``held``)."""
    instructions: list[Any] = list(pikepdf.parse_content_stream(page))
    changed = False
    for index, instruction in enumerate(instructions):
        operands = instruction.operands
        if str(instruction.operator) != "BDC" or len(operands) < 2:
            continue
        properties = operands[1]
        if not isinstance(properties, pikepdf.Dictionary) or "/MCID" not in properties:
            continue
        mcid = int(properties.MCID)
        if (number, mcid) in reached:
            continue
        parent = held[mcid] if held is not None and mcid < len(held) else None
        figure = isinstance(parent, pikepdf.Dictionary) and parent.get("/S") == "/Figure"
        kind = pikepdf.Name.Layout if figure else pikepdf.Name.Pagination
        instructions[index] = pikepdf.ContentStreamInstruction(
            [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=kind)], pikepdf.Operator("BDC")
        )
        if held is not None and mcid < len(held):
            held[mcid] = None
        changed = True
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _output_intent(pdf: pikepdf.Pdf, intent: ColourProfile, srgb: bytes) -> None:
    profile = pdf.make_stream(intent.data, N=intent.components)
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFX,
                OutputConditionIdentifier=pikepdf.String(intent.description),
                Info=pikepdf.String(intent.description),
                RegistryName=pikepdf.String("http://www.color.org"),
                DestOutputProfile=profile,
            )
        ]
    )
    rgb = pdf.make_indirect(pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_stream(srgb, N=3)]))
    resources = [page.obj.get("/Resources") for page in pdf.pages]
    resources += [
        form.get("/Resources")
        for form in pdf.objects
        if isinstance(form, pikepdf.Stream) and form.get("/Subtype") == "/Form"
    ]
    for held in resources:
        if held is None:
            continue
        if "/ColorSpace" not in held:
            held.ColorSpace = pikepdf.Dictionary()
        held.ColorSpace.DefaultRGB = rgb
    for page in pdf.pages:
        if "/TrimBox" not in page.obj:
            page.obj.TrimBox = page.obj.MediaBox


@dataclass(frozen=True, slots=True)
class Booklet:
    """What imposing did: the sheets written, and the scale the pages were set at
    (1.0: full size; less when two pages, and the room for marks, are wider than a side)."""

    sheets: int
    scale: float


def page_count_and_size(pdf: Path) -> tuple[int, tuple[float, float]]:
    """The number of pages of ``pdf``, and the width and height of its first, in points."""
    with pikepdf.open(pdf) as book:
        box = [float(v) for v in book.pages[0].mediabox]
        return len(book.pages), (box[2] - box[0], box[3] - box[1])


@dataclass(frozen=True, slots=True)
class LinkAnnotation:
    """A link of a laid-out PDF to a place in it: the page it is on (from 1), its
    rectangle (left, bottom, right, top, in points from the page's lower left), the
    named destination it goes to and that destination's page."""

    page: int
    rect: tuple[float, float, float, float]
    name: str
    target_page: int


def named_links(pdf: Path) -> tuple[list[LinkAnnotation], dict[str, int], float]:
    """Every link of ``pdf`` to a named destination, the page of each destination, and
    the height of the first page (to turn its rectangles top down)."""
    found: list[LinkAnnotation] = []
    with pikepdf.open(pdf) as book:
        numbers = {page.objgen: n for n, page in enumerate(book.pages, start=1)}
        names: dict[str, int] = {}
        tree: Any = book.Root.get("/Names")
        dests: Any = tree.get("/Dests") if tree is not None else None
        if dests is not None:
            for name, value in pikepdf.NameTree(dests).items():
                target: Any = value[0] if isinstance(value, pikepdf.Array) else value.D[0]
                names[str(name)] = numbers.get(target.objgen, 0)
        for n, page in enumerate(book.pages, start=1):
            for annotation in page.get("/Annots", []):
                dest = annotation.get("/Dest")
                if annotation.get("/Subtype") != "/Link" or dest is None:
                    continue
                name = str(dest)
                left, bottom, right, top = (float(v) for v in annotation.Rect)
                found.append(
                    LinkAnnotation(n, (left, bottom, right, top), name, names.get(name, 0))
                )
        box = [float(v) for v in book.pages[0].mediabox]
    return found, names, box[3] - box[1]


def page_size(pdf: Path) -> tuple[float, float]:
    """The width and height of the first page of ``pdf``, in points."""
    return page_count_and_size(pdf)[1]


def write_booklet(book_pdf: Path, target: Path, imposition: Imposition) -> Booklet:
    """Impose the PDF ``book_pdf`` on sheets written to ``target``.

    Each sheet has one content stream (the pages placed as forms, then the marks), the
    book's PDF version, title, language and dates, and XMP that says what it is. With
    marks, the TrimBox of a sheet is the folded spread's trim and its BleedBox the
    spread's bleed, and the marks are drawn in the registration colour (every plate).
    """
    if imposition.sheet not in SHEETS:
        raise PubtoolError(
            f"unknown sheet size {imposition.sheet!r}",
            hint=f"known sheets: {', '.join(SHEETS)}",
        )
    height, width = SHEETS[imposition.sheet]  # landscape: the long side across
    margin = MARK_ROOM if imposition.marks else 0.0  # room for crop marks outside the trim
    scale = 1.0
    with pikepdf.open(book_pdf) as book, pikepdf.new() as out:
        pages = list(book.pages)
        sides = sheet_sides(len(pages), imposition.signature)
        if imposition.binding == "right":  # the spread mirrored: page 1 on the left half
            sides = [(right, left) for left, right in sides]
        sheets = len(sides) // 2
        first = [float(v) for v in pages[0].mediabox] if pages else [0, 0, 1, 1]
        w, h = first[2] - first[0], first[3] - first[1]
        scale = min(1.0, (width / 2 - margin) / w, (height - 2 * margin) / h)
        pw, ph = w * scale, h * scale
        registration = out.make_indirect(_registration(out))
        for number, (left, right) in enumerate(sides):
            sheet_index = number // 2  # 0 = outermost sheet of the stack
            signature_sheets = imposition.signature or sheets
            depth = sheet_index % signature_sheets
            shift = (
                imposition.creep * MM * depth / (signature_sheets - 1)
                if signature_sheets > 1
                else 0
            )
            forms = pikepdf.Dictionary()
            drawing: list[str] = []
            y = (height - ph) / 2
            slots = [(width / 2 - pw + shift, left), (width / 2 - shift, right)]
            for x, page_number in slots:
                if page_number is None:
                    continue
                source_page = pages[page_number - 1]
                box = [float(v) for v in source_page.mediabox]
                # Named by hand (add_overlay picks random names): same input, same bytes.
                name = f"/Page{page_number}"
                forms[name] = out.copy_foreign(source_page.as_form_xobject())
                drawing.append(
                    f"q {scale:.6f} 0 0 {scale:.6f} {x - box[0] * scale:.4f} "
                    f"{y - box[1] * scale:.4f} cm {name} Do Q"
                )
            resources = pikepdf.Dictionary(XObject=forms)
            sheet = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=pikepdf.Array([0, 0, round(width, 3), round(height, 3)]),
            )
            if imposition.marks:
                trim = [slots[0][0], y, slots[1][0] + pw, y + ph]
                drawing.append(_crop_marks(slots, y, pw, ph) + _fold_marks(width, height))
                resources.ColorSpace = pikepdf.Dictionary(Reg=registration)
                sheet.TrimBox = pikepdf.Array([round(v, 3) for v in trim])
                sheet.BleedBox = pikepdf.Array([round(v, 3) for v in trim])
            sheet.Resources = resources
            sheet.Contents = out.make_stream(" ".join(drawing).encode())
            out.pages.append(pikepdf.Page(sheet))
        _describe(book, out, imposition, len(pages))
        out.save(target, deterministic_id=True, min_version=book.pdf_version)
    return Booklet(len(sides) // 2, scale)


def mark_cover(path: Path, sheet: CoverGeometry, lang: str, subject: str, identifier: str) -> None:
    """Finish the cover laid out at ``path``, in place: its TrimBox (back, spine and
    front as cut) and BleedBox, crop marks at the trim's corners and fold marks at the
    spine's edges in the slug, in the registration colour; its language, and a subject
    and identifier that say whose cover it is."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        page.obj.TrimBox = pikepdf.Array([round(v, 3) for v in sheet.trim])
        page.obj.BleedBox = pikepdf.Array([round(v, 3) for v in sheet.bleed_box])
        x0, y0, x1, y1 = sheet.trim
        # from 1 mm outside the bleed to 1 mm inside the sheet's edge
        near, far = sheet.bleed + 1 * MM, sheet.bleed + sheet.slug - 1 * MM
        lines = _corner_lines((x0, y0, x1, y1), near, far)
        for x in sheet.spine_edges:
            for cy, dy in ((y0, -1), (y1, 1)):
                lines.append((x, cy + dy * near, x, cy + dy * far))
        resources = page.obj.get("/Resources")
        if resources is None:
            resources = page.obj.Resources = pikepdf.Dictionary()
        spaces = resources.get("/ColorSpace")
        if spaces is None:
            spaces = resources.ColorSpace = pikepdf.Dictionary()
        spaces.Reg = pdf.make_indirect(_registration(pdf))
        page.contents_add(pdf.make_stream(_stroked(lines).encode()))
        page.contents_coalesce()
        pdf.Root.Lang = pikepdf.String(lang)
        info = pdf.trailer.get("/Info")
        if info is not None:
            info.Subject = pikepdf.String(subject)
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:description"] = subject
            xmp["dc:identifier"] = identifier
            xmp["dc:language"] = [lang]
        pdf.save(path, deterministic_id=True)


def _registration(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """The registration colour: a Separation named /All, which prints on every plate."""
    tint = pikepdf.Dictionary(
        FunctionType=2,
        Domain=pikepdf.Array([0, 1]),
        C0=pikepdf.Array([0, 0, 0, 0]),
        C1=pikepdf.Array([1, 1, 1, 1]),
        N=1,
    )
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint])


def _crop_marks(slots: list[tuple[float, int | None]], y: float, w: float, h: float) -> str:
    """Short lines outside each corner of the spread's trim, along its edges, and at the
    fold, in the registration colour."""
    gap, length = 2 * MM, MARK_ROOM - 3 * MM
    left, right = slots[0][0], slots[1][0] + w
    return _stroked(_corner_lines((left, y, right, y + h), gap, gap + length)) + " "


Line = tuple[float, float, float, float]


def _corner_lines(trim: tuple[float, float, float, float], near: float, far: float) -> list[Line]:
    """Crop marks: at each corner of ``trim``, a line along each of its edges, from
    ``near`` to ``far`` points outside it."""
    x0, y0, x1, y1 = trim
    lines: list[Line] = []
    for cx, dx in ((x0, -1), (x1, 1)):
        for cy, dy in ((y0, -1), (y1, 1)):
            lines.append((cx + dx * near, cy, cx + dx * far, cy))
            lines.append((cx, cy + dy * near, cx, cy + dy * far))
    return lines


def _stroked(lines: list[Line]) -> str:
    """``lines`` drawn in the registration colour (named /Reg in the page's resources)."""
    ops = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l S" for a, b, c, d in lines)
    return f"q /Reg CS 1 SCN 0.25 w {ops} Q"


def _fold_marks(width: float, height: float) -> str:
    """A dashed fold line at the middle, at the top and bottom edges of the sheet."""
    length = 5 * MM
    middle = width / 2
    return (
        f"q /Reg CS 1 SCN 0.3 w [2 2] 0 d {middle:.2f} {height:.2f} m "
        f"{middle:.2f} {height - length:.2f} l S {middle:.2f} 0 m {middle:.2f} {length:.2f} l S Q"
    )


def _describe(book: pikepdf.Pdf, out: pikepdf.Pdf, imposition: Imposition, pages: int) -> None:
    """The booklet's Info and XMP: the book's title, authors, language and dates, and a
    subject that says it is the booklet of that book."""
    info = book.trailer.get("/Info") or pikepdf.Dictionary()
    title = str(info.get("/Title", ""))
    subject = f"Booklet of {title}: {pages} pages on {imposition.sheet} sheets, folded"
    described = pikepdf.Dictionary(Title=title, Subject=subject)
    for key in ("/Author", "/Creator", "/Producer", "/CreationDate", "/ModDate"):
        if key in info:
            described[key] = info[key]
    out.trailer.Info = out.make_indirect(described)
    lang = book.Root.get("/Lang")
    if lang is not None:
        out.Root.Lang = pikepdf.String(str(lang))
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    with out.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = title
        xmp["dc:description"] = subject
        if lang is not None:
            xmp["dc:language"] = [str(lang)]
        authors = str(info.get("/Author", ""))
        if authors:
            xmp["dc:creator"] = [authors]
