"""XHTML with lxml: raw HTML from the manuscript made safe, and rendered documents checked.

Markdown lets an author write HTML. An EPUB is XHTML and is opened by readers that
run scripts, so raw HTML is parsed, never copied: elements that can run code or
embed other documents are dropped with a warning, as are event-handler attributes
and ``javascript:`` URLs; elements an EPUB does not allow are unwrapped.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
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


def parse_tag(source: str) -> Tag | None:
    """Read one inline tag like ``<span class="x">`` or ``</span>``; None for comments."""
    text = source.strip()
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


def clean_element(
    name: str, attrs: tuple[tuple[str, str], ...], location: Location, report: Report
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Decide what becomes of one element: ``("drop"|"unwrap"|"keep", kept attributes)``."""
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
        report.warning(
            "html-unwrapped",
            f"raw HTML <{name}> is not allowed in an EPUB; its content is kept without it",
            location,
            "use Markdown for images and headings, and CSS classes for looks",
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
    return "keep", tuple(kept)


def parse_block(source: str, location: Location, report: Report) -> tuple[Inline, ...]:
    """Parse an HTML block into model nodes, sanitised."""
    try:
        fragments = lxml.html.fragments_fromstring(source)
    except etree.ParserError:
        return ()
    out: list[Inline] = []
    for fragment in fragments:
        if isinstance(fragment, str):
            if fragment.strip():
                out.append(Text(fragment))
        else:
            out.extend(_convert(fragment, location, report))
    return tuple(out)


def _convert(element: lxml.html.HtmlElement, location: Location, report: Report) -> list[Inline]:
    out: list[Inline] = []
    if isinstance(element.tag, str):
        name = element.tag.lower()
        action, attrs = clean_element(
            name, tuple((str(k), str(v)) for k, v in element.attrib.items()), location, report
        )
        if action != "drop":
            children: list[Inline] = [Text(element.text)] if element.text else []
            for child in element:
                children.extend(_convert(child, location, report))
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
