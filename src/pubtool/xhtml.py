"""XHTML with lxml: raw HTML from the manuscript made safe, and rendered documents checked.

Markdown lets an author write HTML. An EPUB is XHTML and is opened by readers that
run scripts, so raw HTML is parsed, never copied: elements that can run code or
embed other documents are dropped with a warning, as are event-handler attributes
and ``javascript:`` URLs; elements an EPUB does not allow are unwrapped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

import lxml.html
import lxml.html.defs
from lxml import etree

from pubtool.errors import Location, Report
from pubtool.model import HtmlElement, Inline, Text

DANGEROUS = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "button",
        "select",
        "textarea",
        "style",
        "link",
        "meta",
        "base",
        "frame",
        "frameset",
        "applet",
        "noscript",
        "template",
    }
)
ALLOWED = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
        "div",
        "p",
        "section",
        "aside",
        "figure",
        "figcaption",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "ol",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "hr",
        "pre",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "details",
        "summary",
        "address",
    }
)
VOID = frozenset({"br", "hr", "wbr"})
#: attributes whose value a reader would read: named when their element is unwrapped
_TEXT_ATTRIBUTES = frozenset(
    {"caption", "title", "number", "label", "alt", "summary", "name", "file-name", "filename"}
)
_ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "title",
        "lang",
        "dir",
        "href",
        "cite",
        "datetime",
        "colspan",
        "rowspan",
        "role",
        "start",
        "reversed",
        "value",
        "abbr",
        "scope",
    }
)


@dataclass(frozen=True, slots=True)
class Tag:
    """One HTML tag as written inline: an opening (or void) tag, or a closing one."""

    name: str
    attrs: tuple[tuple[str, str], ...]
    closing: bool
    void: bool


def parse_tag(markup: str) -> Tag | None:
    """Read one inline tag like ``<span class="x">`` or ``</span>``; None for comments."""
    text = markup.strip()
    if text.startswith("<!--") or text.startswith("<?") or text.startswith("<!"):
        return None
    if text.startswith("</"):
        return Tag(text[2:-1].strip().lower(), (), closing=True, void=False)
    element = lxml.html.fragment_fromstring(text, create_parent="div")
    if not len(element):
        return None
    child = element[0]
    attrs = tuple((str(k), str(v)) for k, v in child.attrib.items())
    name = str(child.tag).lower()
    return Tag(name, attrs, closing=False, void=name in VOID or text.endswith("/>"))


#: What becomes of an element of raw HTML: removed with its content, replaced by its
#: content, or kept (with the attributes that are safe).
Action = Literal["drop", "unwrap", "keep"]


def clean_element(
    name: str, attrs: tuple[tuple[str, str], ...], location: Location, report: Report
) -> tuple[Action, tuple[tuple[str, str], ...]]:
    """Decide what becomes of one element: its :data:`Action` and the attributes kept."""
    if name in DANGEROUS:
        report.warning(
            "html-dropped",
            f"raw HTML <{name}> removed: e-books must not run or embed code",
            location,
        )
        return "drop", ()
    if name in {"img", "picture", "video", "audio", "source", "svg", "math"}:
        report.warning(
            "html-dropped",
            f"raw HTML <{name}> removed: media must be files of the project",
            location,
            "write images in Markdown: ![what the image shows](images/name.png)",
        )
        return "drop", ()
    if name not in ALLOWED:
        texts = [f"{k}={v!r}" for k, v in attrs if k.lower() in _TEXT_ATTRIBUTES and v.strip()]
        report.warning(
            "html-unwrapped",
            f"raw HTML <{name}> is not allowed in an EPUB; its content is kept without it"
            + (f", and the text of its attributes is lost: {', '.join(texts)}" if texts else ""),
            location,
            "use Markdown for images and headings, and CSS classes for looks"
            + ("; write that text in the chapter" if texts else ""),
        )
        return "unwrap", ()
    kept: list[tuple[str, str]] = []
    for key, value in attrs:
        key = key.lower()
        if key.startswith("on"):
            report.warning("html-dropped", f"event handler attribute {key!r} removed", location)
        elif key in {"href", "cite"} and value.strip().lower().replace(" ", "").startswith(
            ("javascript:", "vbscript:", "data:")
        ):
            report.warning("html-dropped", f"script URL in {key!r} removed", location)
        elif key in _ATTRIBUTES or key.startswith("aria-"):
            kept.append((key, value))
        else:
            report.warning(
                "html-attribute",
                f"attribute {key}={value!r} of raw HTML <{name}> removed",
                location,
                'style elements with classes (class="…") and the project\'s stylesheet'
                if key == "style"
                else None,
            )
    return "keep", tuple(kept)


#: What becomes of a raw ``<img>``: an image of the project, or None (reported)
ImageMaker = Callable[[tuple[tuple[str, str], ...]], Inline | None]


def parse_block(
    markup: str, location: Location, report: Report, image: ImageMaker | None = None
) -> tuple[Inline, ...]:
    """Parse an HTML block into model nodes, sanitised; each ``<img>`` made by ``image``."""
    try:
        # text before the first element comes as a str (lxml-stubs 0.5 say elements only)
        fragments: list[object] = list(lxml.html.fragments_fromstring(markup))
    except etree.ParserError:
        return ()
    out: list[Inline] = []
    for fragment in fragments:
        if isinstance(fragment, str):
            if fragment.strip():
                out.append(Text(fragment))
        elif isinstance(fragment, etree._Element):  # an element, or a comment with its tail
            out.extend(_convert(fragment, location, report, image))
    return tuple(out)


def unclosed(markup: str) -> list[str]:
    """The elements ``markup`` opens and does not close (``<figure>`` before a blank
    line that ends the HTML block), outermost first."""
    open_tags: list[str] = []

    class Counter(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in _NEVER_OPEN:
                open_tags.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if tag in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(tag) :]

    counter = Counter()
    counter.feed(markup)
    counter.close()
    return open_tags


#: elements an HTML block leaves open without saying so: void ones (lxml's list) and
#: those whose end tag may be left out
_NEVER_OPEN = lxml.html.defs.empty_tags | {"p", "li"}


def _convert(
    element: etree._Element, location: Location, report: Report, image: ImageMaker | None
) -> list[Inline]:
    out: list[Inline] = []
    tag: object = element.tag  # a comment's tag is a function (lxml-stubs say str)
    name = tag.lower() if isinstance(tag, str) else ""
    if name == "img" and image is not None:
        made = image(tuple((str(k), str(v)) for k, v in element.attrib.items()))
        if made is not None:
            out.append(made)
    elif name:
        action, attrs = clean_element(
            name, tuple((str(k), str(v)) for k, v in element.attrib.items()), location, report
        )
        if action != "drop":
            children: list[Inline] = [Text(element.text)] if element.text else []
            for child in element:
                children.extend(_convert(child, location, report, image))
            if action == "keep":
                out.append(HtmlElement(name, attrs, () if name in VOID else tuple(children)))
            else:
                out.extend(children)
    if element.tail:
        out.append(Text(element.tail))
    return out


def check_well_formed(content: bytes) -> str | None:
    """None if ``content`` is well-formed XML, else the parser's message with its line."""
    try:
        etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    return None


def child_counts(markup: str) -> list[tuple[str, int]]:
    """Each element of well-formed ``markup`` (local name) with the number of elements it
    holds, in document order."""
    root = etree.fromstring(markup.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    return [
        (etree.QName(node).localname, len(node))
        for node in root.iter()
        if isinstance(node.tag, str)
    ]


def block_at_line(content: bytes, line: int) -> tuple[str, int] | None:
    """Which rendered block of a chapter holds ``line``: ("block", i) or ("footnote", i).

    Chapter documents put each block of the chapter as one child of the chapter's
    section, in order, and each footnote as one aside of the notes section.
    """
    try:
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    found: tuple[str, int] | None = None
    for section in root.iter("{http://www.w3.org/1999/xhtml}section"):
        kind = {"chapter": "block", "footnotes": "footnote"}.get(section.get("class", ""))
        if kind is None:
            continue
        children = [
            c
            for c in section
            if isinstance(c.tag, str)
            and not c.tag.endswith("header")
            and c.get("{http://www.idpf.org/2007/ops}type") != "pagebreak"
        ]
        for index, child in enumerate(children):
            at = _line(child)
            if at is not None and at <= line:
                found = (kind, index)
    return found


def broken_links(documents: dict[str, bytes]) -> list[tuple[str, int | None, str]]:
    """Links between the documents of an EPUB whose target does not exist.

    ``documents`` maps names (as links write them) to XHTML. Returns (document, line,
    problem) for each broken link, and for each glossary back-link that does not land on
    a use of a term.
    """
    ids: dict[str, dict[str, etree._Element]] = {}
    trees = {}
    for name, content in documents.items():
        tree = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        trees[name] = tree
        ids[name] = {
            str(e.get("id")): e for e in tree.iter() if _tag(e) and e.get("id") is not None
        }
    problems: list[tuple[str, int | None, str]] = []
    for name, tree in trees.items():
        for link in tree.iter("{http://www.w3.org/1999/xhtml}a"):
            href = link.get("href")
            if not href or ":" in href.split("#")[0].split("/")[0]:
                continue
            document, _, fragment = href.partition("#")
            target = document or name
            if target not in ids:
                problems.append((name, _line(link), f"link to missing document {target!r}"))
            elif fragment and fragment not in ids[target]:
                problems.append((name, _line(link), f"link to missing anchor {href!r}"))
            elif link.get("role") == "doc-backlink" and name.startswith("glossary"):
                landed = ids[target].get(fragment)
                if landed is None or landed.get("class") != "term":
                    problems.append((name, _line(link), f"back-link {href!r} lands on no term"))
            elif "index-locator" in (link.get(_EPUB_TYPE) or "").split():
                landed = ids[target].get(fragment)
                if landed is None or landed.get("class") not in ("term", "index-mark"):
                    problems.append(
                        (name, _line(link), f"index locator {href!r} lands on no marked place")
                    )
    return problems


_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def direction_problems(
    documents: dict[str, bytes], package: bytes, direction: str, progression: str = ""
) -> list[tuple[str, str]]:
    """Where an EPUB does not run in ``direction`` ("ltr" or "rtl"): a document whose
    ``<html>`` says otherwise, or a spine whose page progression is not ``progression``
    (by default ``direction``; "rtl" for a book set vertically)."""
    expected = progression or direction
    problems: list[tuple[str, str]] = []
    for name, content in documents.items():
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        found = root.get("dir", "ltr")
        if found != direction:
            problems.append((name, f"{name} runs {found}, not {direction}"))
    if package:
        opf = etree.fromstring(package, etree.XMLParser(resolve_entities=False, no_network=True))
        spine = next(opf.iter("{http://www.idpf.org/2007/opf}spine"), None)
        found = spine.get("page-progression-direction", "ltr") if spine is not None else "ltr"
        if found not in {expected, "default"}:
            problems.append(
                ("content.opf", f"the spine's page progression is {found}, not {expected}")
            )
    return problems


def svg_problem(data: bytes) -> str | None:
    """What makes an SVG file unsafe or not self-contained, or None.

    Scripts, event handlers and references to anything outside the file (other files,
    the network) are refused: readers would run or fetch them.
    """
    try:
        root = etree.fromstring(
            data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        )
    except etree.XMLSyntaxError as exc:
        return f"is not well-formed XML (line {exc.lineno}: {exc.msg})"
    if not str(root.tag).endswith("svg"):
        return "is not an SVG image"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in {"script", "foreignObject", "iframe"}:
            return f"contains a <{name}> element"
        for key, value in element.attrib.items():
            local = etree.QName(key).localname
            target = str(value).strip()
            if local.startswith("on"):
                return f"has an event handler ({local})"
            if local == "href" and target and not target.startswith("#"):
                return f"refers to something outside the file ({target[:60]})"
        if (
            name == "style"
            and element.text
            and ("url(" in element.text and "url(#" not in element.text)
        ):
            return "refers to something outside the file (a url() in a style)"
    return None


# ---------------------------------------------------------------- texts of an SVG


@dataclass(frozen=True, slots=True)
class SvgText:
    """A ``<text>`` of an SVG drawing, as another renderer needs it (user units)."""

    text: str
    x: float
    y: float  # of the baseline
    anchor: str  # start, middle or end
    family: str
    size: float
    bold: bool
    italic: bool
    fill: str


SVG = "http://www.w3.org/2000/svg"


def take_texts(svg: str, wanted: Callable[[str], bool]) -> tuple[str, list[SvgText]]:
    """``svg`` without its ``<text>`` elements whose text is ``wanted``, and those texts
    (plain ``x``/``y`` positions only; a text with children or transforms stays)."""
    try:
        root = etree.fromstring(svg.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return svg, []  # the renderer will say what is wrong
    taken: list[SvgText] = []
    for element in list(root.iter(f"{{{SVG}}}text")):
        text = element.text or ""
        if len(element) or element.get("transform") or not text.strip() or not wanted(text):
            continue
        try:
            x, y = float(element.get("x", "0")), float(element.get("y", "0"))
            size = float(str(element.get("font-size", "16")).removesuffix("px"))
        except ValueError:
            continue
        taken.append(
            SvgText(
                text,
                x,
                y,
                element.get("text-anchor", "start"),
                element.get("font-family", "serif").split(",")[0].strip().strip("'\""),
                size,
                element.get("font-weight", "normal") in {"bold", "700", "800", "900"},
                element.get("font-style", "normal") == "italic",
                element.get("fill", "#000000"),
            )
        )
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return (etree.tostring(root, encoding="unicode"), taken) if taken else (svg, [])


# ---------------------------------------------------------------- page-break markers

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
_INSIDE = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "li", "dt", "dd"}


def insert_page_breaks(content: bytes, breaks: list[tuple[str, str, int, str]]) -> bytes:
    """``content`` with an EPUB ``pagebreak`` marker for each (label, shown, block, text):
    ``label`` names the marker (``page-7``), ``shown`` is the page number as printed (٧).

    ``block`` counts the blocks of the document's chapter (the elements after its
    header) or of its glossary (the entries of its list); -1 is the section's start.
    ``text`` is where in the block the page begins (the start of its first printed
    line); it is looked for in the block's text, ruby annotations left out.
    """
    root = etree.fromstring(content)
    section = root.find(f".//{{{XHTML}}}section")
    if section is None:
        return content
    glossary = section.find(f"{{{XHTML}}}dl")
    if glossary is not None:
        blocks = list(glossary)
    else:
        children = list(section)
        header = next((i for i, c in enumerate(children) if _tag(c) == "header"), -1)
        blocks = children[header + 1 :]
    for label, shown, block, text in breaks:
        marker = etree.Element(
            f"{{{XHTML}}}span",
            {
                f"{{{OPS}}}type": "pagebreak",
                "role": "doc-pagebreak",
                "id": f"page-{label}",
                "aria-label": shown,
            },
        )
        if block < 0 or block >= len(blocks):
            _put_first(section, marker)
        elif text and _put_in_text(blocks[block], text, marker):
            continue
        else:
            _put_at_start(blocks[block], marker)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8")


def _tag(element: etree._Element) -> str:
    """The local name of an element; "" for a comment or a processing instruction (whose
    ``tag`` is a function, which lxml-stubs 0.5 do not say)."""
    tag: object = element.tag
    return etree.QName(element).localname if isinstance(tag, str) else ""


def _line(element: etree._Element) -> int | None:
    line: object = element.sourceline
    return line if isinstance(line, int) else None


def _put_first(parent: etree._Element, marker: etree._Element) -> None:
    marker.tail, parent.text = parent.text, None
    parent.insert(0, marker)


def _put_at_start(block: etree._Element, marker: etree._Element) -> None:
    tag = _tag(block)
    if tag in {"ul", "ol"} and len(block):
        block = block[0]
        tag = "li"
    if tag in _INSIDE:
        _put_first(block, marker)
        return
    parent = block.getparent()
    assert parent is not None
    parent.insert(parent.index(block), marker)  # before a table, a rule, a list of nothing
    marker.tail = "\n"


def _put_in_text(block: etree._Element, text: str, marker: etree._Element) -> bool:
    """Put ``marker`` where ``text`` (whitespace aside) begins in ``block``'s text."""
    pieces: list[tuple[etree._Element, str, str]] = []  # (element, "text"/"tail", string)

    def walk(element: etree._Element) -> None:
        if element.text:
            pieces.append((element, "text", element.text))
        for child in element:
            if _tag(child) not in {"rt", "rp"}:
                walk(child)
            if child.tail:
                pieces.append((child, "tail", child.tail))

    walk(block)
    flat: list[tuple[int, int]] = []  # each non-space character: (piece, offset)
    chars = []
    for number, (_, _, string) in enumerate(pieces):
        for offset, char in enumerate(string):
            if not char.isspace():
                flat.append((number, offset))
                chars.append(char)
    joined = "".join(chars)
    wanted = "".join(text.split())
    for length in (len(wanted), 24, 12):
        found = joined.find(wanted[:length]) if wanted[:length] else -1
        if found >= 0:
            number, offset = flat[found]
            element, where, string = pieces[number]
            if where == "text":
                element.text = string[:offset]
                marker.tail = string[offset:]
                element.insert(0, marker)
            else:
                element.tail = string[:offset]
                marker.tail = string[offset:]
                parent = element.getparent()
                assert parent is not None
                parent.insert(parent.index(element) + 1, marker)
            return True
    return False
