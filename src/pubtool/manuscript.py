"""Read Markdown chapters (markdown-it-py) and the term syntax into the document model.

A chapter is CommonMark with GFM tables and footnotes, YAML front matter holding its
``title``, and MyST-style term references: {term}`yao-bian` or {term}`label <yao-bian>`.
Every block keeps the line it came from, so later stages can point the author at it.
"""

from __future__ import annotations

import copy
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import assert_never
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attributes
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin
from mdit_py_plugins.texmath.index import make_block_func, make_inline_func
from mdit_py_plugins.texmath.index import rules as texmath_rules

from pubtool import bookindex, formulas, images, includes, xhtml, xref
from pubtool.config import slugify
from pubtool.errors import Location, Report, did_you_mean
from pubtool.languages import Language
from pubtool.model import (
    ADMONITIONS,
    Align,
    Bibliography,
    Block,
    BlockQuote,
    Chapter,
    Citation,
    CiteItem,
    Code,
    CodeBlock,
    Definition,
    DefinitionList,
    Division,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    HtmlBlock,
    HtmlElement,
    Image,
    IndexMark,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Math,
    MathBlock,
    Paragraph,
    Strong,
    Table,
    TableCell,
    TermRef,
    Text,
    ThematicBreak,
    inline_children,
    map_inlines,
    plain_text,
)
from pubtool.textfiles import read_text
from pubtool.yamldoc import LinedDict, load_yaml

#: attributes after a fence's language: ``rust {caption="…" file="src/main.rs"}``
_FENCE_ATTRIBUTES = re.compile(r"\{[^{}]*\}\s*$")
#: a fence's classes that ask for what pubtool does not draw (Pandoc's line numbers)
_UNDRAWN_CODE_CLASSES = frozenset({"numberLines", "number-lines", "numberlines"})
#: mdBook's listing wrapper (the Rust book's ``<Listing number="4-1" caption="…">``),
#: each tag alone in its HTML block
_LISTING = re.compile(r"\s*<listing\b[^<>]*>\s*", re.IGNORECASE)
_LISTING_END = re.compile(r"\s*</listing\s*>\s*", re.IGNORECASE)
#: Pandoc's and MyST's attributes after a heading's words: ``## Summary {#summary}``
_HEADING_ATTRIBUTES = re.compile(r"\s*(\{[^{}]*[#.=][^{}]*\}|\{\s*-\s*\})\s*$")
#: MyST's directive: ``{note}`` (in a fence's info string, or after ``:::``)
_DIRECTIVE = re.compile(r"\{([A-Za-z][\w-]*)\}")
_DIRECTIVE_OPTION = re.compile(r":([A-Za-z][\w-]*):(.*)")
_TERM_WITH_LABEL = re.compile(r"^(?P<label>.*?)\s*<(?P<id>[^<>]+)>\s*$", re.DOTALL)
#: an index mark's words and, in angle brackets, its entry (which may be written empty)
_INDEX_WITH_ENTRY = re.compile(r"^(?P<label>.*?)\s*<(?P<id>[^<>]*)>\s*$", re.DOTALL)
_ALIGNS: dict[str, Align] = {"left": "left", "center": "center", "right": "right"}
_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def image_media_type(path: Path) -> str | None:
    return _IMAGE_TYPES.get(path.suffix.lower())


def chapter_id(path: Path, manuscript: Path | None = None) -> str:
    """The name a chapter's document gets in every edition: its path from ``manuscript``
    (its folders, then its file stem), made safe: ``ch-03-kilns``, ``ch-ch04-ownership``."""
    absolute = Path(os.path.normpath(path.absolute()))  # other/../03-x.md is 03-x.md
    base = Path(os.path.normpath(manuscript.absolute())) if manuscript is not None else None
    if base is not None and absolute.is_relative_to(base):
        relative = absolute.with_suffix("").relative_to(base)
    else:
        relative = Path(path.stem)
    name = "-".join(relative.parts)
    return "ch-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower() or "chapter")


@dataclass
class _Context:
    """What converting one file needs: where it is, where problems go, what was seen so far."""

    path: Path
    report: Report
    root: Path
    images: dict[Path, str]
    footnote_numbers: dict[int, int] = field(default_factory=dict)  # markdown-it's id -> ours
    anchors: set[str] = field(default_factory=set)
    #: the ids written in this chapter -> their anchors (see pubtool.xref)
    targets: dict[str, str] = field(default_factory=dict)
    #: the files included on the way to this one, and the line of ``path`` its text starts at
    included: tuple[Path, ...] = ()
    first_line: int = 1
    figures: int = 0  # the captioned figures so far
    tables: int = 0  # the captioned tables so far
    source: tuple[str, ...] = ()  # the lines of the text read (from ``first_line``)
    listings: int = 0  # the captioned code listings so far
    #: the file problems are reported in, when it is not ``path``: a translation's catalog
    shown: Path | None = None


class MarkdownReader:
    """Reads the chapters of one project; shares image names across chapters."""

    def __init__(self, root: Path, report: Report, language: Language | None = None) -> None:
        """``language``: the language of the text it reads (its quotation marks, its
        typography); None for English's defaults."""
        self.root = root.resolve()
        self.manuscript = self.root / "manuscript"  # chapter ids are paths from here
        self.report = report
        self.language = language
        self.md = _markdown(language)
        #: source image -> name inside the edition, for every image of the book
        self.images: dict[Path, str] = {}
        #: section anchors: unique in the whole book, so one print document can hold it
        self.anchors: set[str] = set()
        #: every link into the book, to be checked once every chapter is read
        self.links: list[xref.LinkTarget] = []

    def for_language(self, language: Language) -> MarkdownReader:
        """A reader of text in ``language`` (a translation) that shares this one's images
        and anchors."""
        other = copy.copy(self)
        other.language, other.md = language, _markdown(language)
        return other

    # ------------------------------------------------------------ chapters

    def read_chapter(self, path: Path) -> Chapter | None:
        text = read_text(path, self.report)
        if text is None:
            return None
        ctx = _Context(path, self.report, self.root, self.images, anchors=self.anchors)
        ctx.source = tuple(text.splitlines())
        tree = SyntaxTreeNode(self.md.parse(text))
        nodes = list(tree.children)
        location = Location(path, 1)
        title: tuple[Inline, ...] | None = None
        title_msgid = ""
        if nodes and nodes[0].type == "front_matter":
            title, title_msgid, title_line = self._front_matter(nodes.pop(0), ctx)
            location = Location(path, title_line)
        else:
            self.report.error(
                "chapter-title",
                "chapter has no title",
                location,
                "start the file with front matter:\n    ---\n    title: The Coal City\n    ---",
            )
        body = [node for node in nodes if node.type != "footnote_block"]
        notes = [note for node in nodes if node.type == "footnote_block" for note in node.children]
        blocks = self._blocks(body, ctx)
        footnotes = self._footnotes(notes, ctx)
        if title is None:
            return None
        chapter = Chapter(
            chapter_id(path, self.manuscript),
            path,
            title,
            tuple(blocks),
            footnotes,
            location,
            title_msgid,
        )
        for raw in xref.raw_ids(chapter):
            ctx.targets.setdefault(raw, raw)
        return replace(chapter, targets=ctx.targets)

    def _front_matter(
        self, node: SyntaxTreeNode, ctx: _Context
    ) -> tuple[tuple[Inline, ...] | None, str, int]:
        data = load_yaml(node.content, ctx.path, ctx.report, first_line=2)
        where = Location(ctx.path, 1)
        if data is None:
            if not node.content.strip():
                ctx.report.error(
                    "chapter-title",
                    "chapter has no title",
                    where,
                    "add `title: ...` to the front matter",
                )
            return None, "", 1
        if not isinstance(data, LinedDict):
            ctx.report.error(
                "front-matter", "front matter must be a mapping of keys to values", where
            )
            return None, "", 1
        title = data.get("title")
        if not isinstance(title, str | int | float) or not str(title).strip():
            ctx.report.error(
                "chapter-title",
                "chapter has no title"
                if title is None or isinstance(title, str)
                else "chapter title must be a text",
                Location(ctx.path, data.key_lines.get("title", 1)),
                "add `title: ...` to the front matter",
            )
            return None, "", 1
        for key in data:
            if key != "title":
                ctx.report.warning(
                    "front-matter-key",
                    f"unknown front matter key {key!r}",
                    Location(ctx.path, data.key_lines[key]),
                    "only `title` is read",
                )
        text = str(title).strip()
        where = Location(ctx.path, data.key_lines["title"])
        return self.parse_inline(text, where, ctx), text, where.line or 1

    # ------------------------------------------------------------ blocks

    def _blocks(self, nodes: list[SyntaxTreeNode], ctx: _Context) -> list[Block]:
        blocks: list[Block] = []
        nodes = _joined_html(nodes)
        wrapper: dict[str, str] | None = None  # mdBook's <Listing> before a code block
        wrapper_at = Location(ctx.path)
        captions = _table_captions(nodes)
        wrapping = _wrapping_html(nodes)
        inside: set[int] = {i for start, end in wrapping.items() for i in range(start + 1, end + 1)}
        for index, node in enumerate([*nodes, None]):
            if wrapper is not None and (node is None or node.type not in ("fence", "code_block")):
                blocks.extend(self._lone_listing(wrapper, ctx, wrapper_at))
                wrapper = None
            if node is None:
                break
            where = Location(ctx.path, node.map[0] + ctx.first_line if node.map else None)
            inline = next((c for c in node.children if c.type == "inline"), None)
            if index in inside:
                continue  # read with the raw HTML element that wraps it
            match node.type:
                case _ if index in captions.values():
                    pass  # a table's caption: read with its table
                case "html_block" if index in wrapping:
                    inner = nodes[index + 1 : wrapping[index]]
                    blocks.extend(self._wrapper(node, inner, ctx, where))
                case "paragraph" if inline and self._is_include(inline.content, ctx, where):
                    blocks.extend(self._included(inline.content, ctx, where))
                case "paragraph" if inline and _GRID_TABLE.match(inline.content):
                    blocks.append(_unsupported_table("grid", inline.content, ctx, where))
                case "paragraph" if inline and _RAW_LATEX.fullmatch(inline.content.strip()):
                    ctx.report.warning(
                        "latex-unsupported",
                        f"raw LaTeX `{inline.content.strip()}` is not read: shown as written",
                        where,
                        "pubtool reads TeX only in formulas ($…$); a chapter starts a new page "
                        "in print, and print.css in templates/ can break pages elsewhere",
                    )
                    blocks.append(Paragraph(self._inlines(inline, ctx), where, inline.content))
                case "paragraph":
                    children = self._inlines(inline, ctx) if inline else ()
                    if len(children) == 1 and isinstance(children[0], Image) and inline:
                        blocks.append(self._figure(children[0], inline, ctx, where))
                    elif children and inline:
                        blocks.append(Paragraph(children, where, msgid(inline.content)))
                case "line_block":
                    children = self._inlines(inline, ctx) if inline else ()
                    if children and inline:
                        blocks.append(Paragraph(children, where, msgid(inline.content), True))
                case "heading":
                    blocks.append(self._heading(node, inline, ctx, where))
                case "blockquote":
                    blocks.append(BlockQuote(tuple(self._blocks(node.children, ctx)), where))
                case "bullet_list" | "ordered_list":
                    blocks.append(self._list(node, ctx, where))
                case "math_block" | "math_block_label" | "math_block_eqno" | "amsmath":
                    labelled = node.type in ("math_block_label", "math_block_eqno")
                    blocks.append(
                        self._math_block(node.content, node.info if labelled else "", ctx, where)
                    )
                case "fence" if _MATH_FENCE.fullmatch(node.info.strip()) and wrapper is None:
                    blocks.append(self._math_fence(node, ctx, where))
                case "fence" if _admonition_directive(node.info) and wrapper is None:
                    blocks.extend(self._directive(node, ctx, where))
                case "fence" | "code_block":
                    blocks.append(self._code(node, ctx, where, wrapper))
                    wrapper = None
                case "div" if _REFS.fullmatch(node.info.strip()):
                    blocks.append(Bibliography(where))  # Pandoc's ::: {#refs}: filled later
                    if node.children:
                        ctx.report.warning(
                            "refs-content",
                            "the text inside ::: {#refs} is not shown",
                            where,
                            "the reference list takes its place; write text before or after it",
                        )
                case "div":
                    blocks.append(self._division(node, ctx, where))
                case "alert":
                    kind = node.info.lower()  # GitHub's > [!NOTE]: its title is its label
                    inner = [c for c in node.children if c.type != "alert_title"]
                    admonition = kind if kind in ADMONITIONS else "note"
                    blocks.append(Division(tuple(self._blocks(inner, ctx)), where, admonition))
                case "dl":
                    blocks.append(self._definitions(node, ctx, where))
                case "html_block" if _LISTING_END.fullmatch(node.content):
                    pass  # the end of mdBook's <Listing>: read with its opening tag
                case "html_block" if _LISTING.fullmatch(node.content):
                    tag = xhtml.parse_tag(node.content)
                    wrapper, wrapper_at = (dict(tag.attrs) if tag else {}), where
                case "table":
                    caption = captions.get(index)
                    blocks.append(
                        self._table(
                            node, ctx, where, nodes[caption] if caption is not None else None
                        )
                    )
                case "hr" if node.map and _DASH_COLUMNS.fullmatch(
                    (ctx.source[node.map[0] :] or ("",))[0]
                ):
                    ctx.report.warning(
                        "table-unsupported",
                        "this line of dashes in columns looks like a Pandoc simple or multiline "
                        "table, which pubtool does not read: its rows are shown as text",
                        where,
                        _PIPE_TABLE_HINT,
                    )
                    blocks.append(ThematicBreak(where))
                case "hr":
                    blocks.append(ThematicBreak(where))
                case "html_block":
                    children = xhtml.parse_block(
                        node.content,
                        where,
                        ctx.report,
                        partial(self.raw_image, where=where, ctx=ctx),
                    )
                    if children:
                        blocks.append(HtmlBlock(children, where))
                case _:
                    pass  # no other block comes from the rules MarkdownReader enables
        return blocks

    def _figure(
        self, image: Image, inline: SyntaxTreeNode, ctx: _Context, where: Location
    ) -> Figure:
        """An image on its own: a figure; its title is its caption, which numbers it."""
        # the id of a Markdown image ({#fig-x}); a raw <img> has none here
        images = [c for c in inline.children if c.type == "image"]
        written = str(images[0].attrs.get("id", "")) if images else ""
        anchor = _claim_id(written, ctx, where) if written else ""
        if not image.title:
            return Figure(image, where, anchor=anchor)
        ctx.figures += 1
        caption = self.parse_inline(image.title, where, ctx)
        return Figure(image, where, caption, msgid(image.title), str(ctx.figures), anchor)

    def _code(
        self,
        node: SyntaxTreeNode,
        ctx: _Context,
        where: Location,
        wrapper: dict[str, str] | None = None,
    ) -> CodeBlock:
        """A code block, its includes read (mdBook's ``{{#include}}``); rust code
        without the lines rustdoc hides, as mdBook shows it. A listing's caption, file
        name and id come from attributes after the fence's language (``{caption="…"
        file="src/main.rs" #id}``) or from mdBook's ``<Listing>`` around it (``wrapper``)."""
        info = node.info.strip()
        attributes = dict(wrapper or {})
        code_classes: tuple[str, ...] = ()
        braces = _FENCE_ATTRIBUTES.search(info) if node.type == "fence" else None
        if braces:
            written = _attributes(braces.group(0), "code block", where, ctx.report)
            classes = written.pop("class", "").split()
            attributes |= {key.lower(): value for key, value in written.items()}
            kept = [c for c in classes if c != fence_language(info)]
            attributes |= {"." + c: "" for c in kept if c in _UNDRAWN_CODE_CLASSES}
            code_classes = tuple(c for c in kept if c not in _UNDRAWN_CODE_CLASSES)
        caption_text = attributes.pop("caption", "").strip()
        file = next(
            (attributes.pop(k) for k in ("file", "file-name", "filename") if k in attributes), ""
        )
        written_number = attributes.pop("number", "").strip()
        written_id = attributes.pop("id", "")
        for key, value in attributes.items():
            ctx.report.warning(
                "code-attribute",
                f"code block attribute {key + ('=' + repr(value) if value else '')} ignored",
                where,
                'a code block reads caption="…", file="…", an id (#listing-id) and classes '
                "for the project's stylesheet; line numbers are not drawn",
            )
        anchor = _claim_id(written_id, ctx, where) if written_id else ""
        caption: tuple[Inline, ...] = ()
        number = ""
        if caption_text:
            caption = self.parse_inline(caption_text, where, ctx)
            if not written_number:
                ctx.listings += 1
                number = str(ctx.listings)
        first = (where.line or 1) + (1 if node.type == "fence" else 0)
        code = includes.expand_code(
            node.content,
            ctx.path,
            self.root,
            lambda i: Location(ctx.path, first + i),
            ctx.report,
            (*ctx.included, ctx.path.resolve()),
        )
        language = fence_language(info)
        if language == "rust":
            code = includes.without_hidden_lines(code)
        return CodeBlock(
            code,
            language,
            where,
            info,
            caption=caption,
            caption_msgid=msgid(caption_text) if caption_text else "",
            file=file,
            number=written_number or number,
            fixed=bool(written_number),
            anchor=anchor,
            classes=code_classes,
        )

    def _math_block(self, tex: str, label: str, ctx: _Context, where: Location) -> MathBlock:
        """A displayed formula, checked; its label (``$$…$$ (eq-energy)``) an id to link to."""
        self.check_formula(tex, True, where, ctx)
        anchor = _claim_id(label.strip(), ctx, where) if label.strip() else ""
        return MathBlock(tex.strip(), where, anchor)

    def _math_fence(self, node: SyntaxTreeNode, ctx: _Context, where: Location) -> MathBlock:
        """GitHub's ```` ```math ```` and MyST's ```` ```{math} ```` (with ``:label:``)."""
        lines = node.content.splitlines()
        options: dict[str, str] = {}
        while lines and (option := _DIRECTIVE_OPTION.fullmatch(lines[0])):
            options[option.group(1)] = option.group(2).strip()
            lines.pop(0)
        for key in options:
            if key != "label":
                ctx.report.warning(
                    "attribute-ignored",
                    f"math option :{key}: ignored",
                    where,
                    "a formula reads :label: (an id to link to)",
                )
        return self._math_block("\n".join(lines), options.get("label", ""), ctx, where)

    def math(self, tex: str, display: bool, where: Location, ctx: _Context) -> Math:
        """A formula within text, checked."""
        self.check_formula(tex, display, where, ctx)
        return Math(tex.strip(), display)

    def check_formula(self, tex: str, display: bool, where: Location, ctx: _Context) -> None:
        problem = formulas.problem(tex, display)
        if problem:
            ctx.report.error(
                "math",
                f"formula `{_shortened(tex)}` cannot be converted: {problem}",
                where,
                "write it in the LaTeX that MathJax and Pandoc read; a dollar sign that is "
                "no formula is written \\$",
            )

    def _lone_listing(self, wrapper: dict[str, str], ctx: _Context, where: Location) -> list[Block]:
        """mdBook's ``<Listing>`` with no code block next: its caption as a paragraph."""
        caption = wrapper.get("caption", "").strip()
        ctx.report.warning(
            "listing-empty",
            "<Listing> holds no code block"
            + (f": its caption {caption!r} is shown as a paragraph" if caption else ""),
            where,
            "put the code block right after <Listing …> and a blank line",
        )
        inline = self.parse_inline(caption, where, ctx) if caption else ()
        return [Paragraph(inline, where, msgid(caption))] if inline else []

    def _is_include(self, content: str, ctx: _Context, where: Location) -> bool:
        """Whether a paragraph is one include and nothing else; the directives in the
        text of any other paragraph are reported."""
        if "{{" not in content:
            return False
        match = includes.DIRECTIVE.fullmatch(content.strip())
        if match and not match.group("escape") and match.group("name") in includes.INCLUDES:
            return True
        for directive in includes.DIRECTIVE.finditer(content):
            if directive.group("escape"):
                continue
            if directive.group("name") in includes.INCLUDES:
                ctx.report.warning(
                    "include-inline",
                    f"{directive.group(0)} is in a paragraph's text: shown as written",
                    where,
                    "write an include on a line of its own, or inside a code block",
                )
            else:
                includes.unsupported(directive.group("name"), where, ctx.report)
        return False

    def _included(self, content: str, ctx: _Context, where: Location) -> list[Block]:
        """The blocks of the file a paragraph includes, each at its place in that file."""
        match = includes.DIRECTIVE.fullmatch(content.strip())
        assert match is not None  # _is_include said so
        stack = (*ctx.included, ctx.path.resolve())
        found = includes.read_include(
            match.group("args"), ctx.path, self.root, where, ctx.report, stack
        )
        if found is None:
            return []
        tree = SyntaxTreeNode(self.md.parse(found.text + "\n"))
        inner = replace(
            ctx,
            path=found.path,
            included=stack,
            first_line=found.first_line,
            source=tuple(found.text.splitlines()),
        )
        return self._blocks([n for n in tree.children if n.type != "footnote_block"], inner)

    def _heading(
        self, node: SyntaxTreeNode, inline: SyntaxTreeNode | None, ctx: _Context, where: Location
    ) -> Heading:
        """A heading, its id (written after it as ``{#id}``, or made from its words as
        GitHub and mdBook make it) and the anchor that id stands for."""
        content = inline.content if inline else ""
        explicit = ""
        classes: list[str] = []
        braces = _HEADING_ATTRIBUTES.search(content)
        if braces:
            content = content[: braces.start()]
            written = (
                {"class": "unnumbered"}  # Pandoc's shorthand {-}
                if braces.group(1).replace(" ", "") == "{-}"
                else _attributes(braces.group(1), "heading", where, ctx.report)
            )
            explicit = written.pop("id", "")
            classes = written.pop("class", "").split()
            for key, value in written.items():
                ctx.report.warning(
                    "heading-attribute",
                    f"heading attribute {key}={value!r} ignored",
                    where,
                    "a heading reads an id ({#an-id}), classes ({.a-class}), .unlisted "
                    "and .unnumbered",
                )
            children = self.parse_inline(content, where, ctx)
        else:
            children = self._inlines(inline, ctx) if inline else ()
        if explicit:
            anchor = _claim_id(explicit, ctx, where)
        else:
            made = xref.heading_id(plain_text(children)) or "section"
            anchor = _claim_id(xref.unique_in_chapter(made, ctx.targets), ctx, where)
        listed = "unlisted" not in classes
        # the headings of a chapter are not numbered: .unnumbered asks for what they are
        shown = tuple(c for c in classes if c not in ("unlisted", "unnumbered"))
        return Heading(int(node.tag[1]), children, anchor, where, msgid(content), shown, listed)

    def _division(self, node: SyntaxTreeNode, ctx: _Context, where: Location) -> Division:
        """A fenced div: Pandoc's ``::: note``, ``::: {#id .class title="…"}``, MyST's
        ``:::{note}`` or ``:::{admonition} A title``; an admonition if its first class
        (or MyST's name) is one pubtool knows."""
        info = node.info.strip()
        options = {str(k): str(v) for k, v in node.meta.get("options", {}).items()}
        return self._boxed(info, options, self._blocks(node.children, ctx), ctx, where)

    def _directive(self, node: SyntaxTreeNode, ctx: _Context, where: Location) -> list[Block]:
        """MyST's directive in a backtick fence (```` ```{note} ````): its body read as
        Markdown, its ``:option: value`` lines first."""
        lines = node.content.splitlines()
        options: dict[str, str] = {}
        while lines and (option := _DIRECTIVE_OPTION.fullmatch(lines[0])):
            options[option.group(1)] = option.group(2).strip()
            lines.pop(0)
        skipped = len(node.content.splitlines()) - len(lines)
        tree = SyntaxTreeNode(self.md.parse("\n".join(lines) + "\n"))
        inner = replace(ctx, first_line=(where.line or 1) + 1 + skipped, source=tuple(lines))
        body = self._blocks([n for n in tree.children if n.type != "footnote_block"], inner)
        return [self._boxed(node.info.strip(), options, body, ctx, where)]

    def _boxed(
        self,
        info: str,
        options: dict[str, str],
        body: list[Block],
        ctx: _Context,
        where: Location,
    ) -> Division:
        written: dict[str, str] = {}
        title_text = ""
        myst = _DIRECTIVE.match(info)
        if myst:  # {note}, {admonition} A title, {warning} A title
            name, title_text = myst.group(1), info[myst.end() :].strip()
            written = {"class": " ".join([name, options.pop("class", "")]).strip()}
            if "name" in options:
                written["id"] = options.pop("name")
            for key in options:
                ctx.report.warning(
                    "div-attribute",
                    f"option :{key}: of {{{name}}} ignored",
                    where,
                    "an admonition reads :class: and :name: (its id)",
                )
            if name not in (*ADMONITIONS, "admonition"):
                ctx.report.warning(
                    "directive-unknown",
                    f"MyST directive {{{name}}} is not known: its content is shown as a box",
                    where,
                    f"the admonitions are {', '.join(ADMONITIONS)}, and "
                    "{admonition} with a title",
                )
        elif info.startswith("{"):
            written = _attributes(info, "div", where, ctx.report)
        elif info:
            word, _, rest = info.partition(" ")  # Pandoc's ::: name, or ::: name {attrs}
            written = _attributes(rest, "div", where, ctx.report) if rest.strip() else {}
            written["class"] = " ".join([word, written.get("class", "")]).strip()
        classes = written.pop("class", "").split()
        title_text = written.pop("title", title_text)
        written_id = written.pop("id", "")
        for key, value in written.items():
            ctx.report.warning(
                "div-attribute",
                f"div attribute {key}={value!r} ignored",
                where,
                'a div reads an id (#an-id), classes (.a-class) and title="…"',
            )
        kinds = [c.removeprefix("callout-") for c in classes]  # Quarto's .callout-note
        admonition = next((k for k in kinds if k in ADMONITIONS), "")
        if not admonition and "admonition" in kinds and title_text:
            admonition = "note"
        shown = tuple(
            c for c, k in zip(classes, kinds, strict=True) if k not in (admonition, "admonition")
        )
        anchor = _claim_id(written_id, ctx, where) if written_id else ""
        title = self.parse_inline(title_text, where, ctx) if title_text else ()
        msg = msgid(title_text) if title_text else ""
        return Division(tuple(body), where, admonition, title, msg, shown, anchor)

    def _wrapper(
        self, opening: SyntaxTreeNode, inner: list[SyntaxTreeNode], ctx: _Context, where: Location
    ) -> list[Block]:
        """Raw HTML that wraps Markdown (``<details>``, a blank line, Markdown, a blank
        line, ``</details>``): one element holding the Markdown's blocks, and what
        follows its opening tag in the same HTML block (``<summary>``) first."""
        markup = opening.content.lstrip()
        first = re.match(r"<[^<>]*>", markup)
        tag = xhtml.parse_tag(first.group(0)) if first else None
        body = self._blocks(inner, ctx)
        if tag is None or first is None:
            return body
        action, attrs = xhtml.clean_element(tag.name, tag.attrs, where, ctx.report)
        rest = markup[first.end() :]
        if rest.strip():
            image = partial(self.raw_image, where=where, ctx=ctx)
            children = xhtml.parse_block(rest, where, ctx.report, image)
            if children:
                body.insert(0, HtmlBlock(children, where))
        if action != "keep":
            return body if action == "unwrap" else []
        kept = dict(attrs)
        classes = tuple(kept.pop("class", "").split())
        written = kept.pop("id", "")
        anchor = _claim_id(written, ctx, where) if written else ""
        return [
            Division(
                tuple(body),
                where,
                classes=classes,
                anchor=anchor,
                tag=tag.name,
                attrs=tuple(kept.items()),
            )
        ]

    def _definitions(self, node: SyntaxTreeNode, ctx: _Context, where: Location) -> DefinitionList:
        """A definition list: each term (``dt``) and the definitions (``dd``) after it."""
        items: list[Definition] = []
        for child in node.children:
            if child.type == "dt":
                inline = next((c for c in child.children if c.type == "inline"), None)
                term = self._inlines(inline, ctx) if inline else ()
                items.append(Definition(term, msgid(inline.content) if inline else "", ()))
            elif child.type == "dd" and items:
                definition = tuple(self._blocks(child.children, ctx))
                last = items[-1]
                items[-1] = replace(last, definitions=(*last.definitions, definition))
        return DefinitionList(tuple(items), where)

    def _list(self, node: SyntaxTreeNode, ctx: _Context, where: Location) -> ListBlock:
        items = [item for item in node.children if item.type == "list_item"]
        # A list is tight when no paragraph directly in an item is shown as one (markdown-it
        # hides them); the paragraphs of nested lists do not count.
        tight = all(p.hidden for item in items for p in item.children if p.type == "paragraph")
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        blocks = tuple(tuple(self._blocks(item.children, ctx)) for item in items)
        tasks = tuple(item.meta.get("checked") for item in items)  # GFM's - [x] and - [ ]
        has_tasks = any(task is not None for task in tasks)
        return ListBlock(ordered, start, blocks, tight, where, tasks if has_tasks else ())

    def _table(
        self,
        node: SyntaxTreeNode,
        ctx: _Context,
        where: Location,
        caption_node: SyntaxTreeNode | None = None,
    ) -> Table:
        sections: dict[str, list[tuple[TableCell, ...]]] = {"thead": [], "tbody": []}
        for section in node.children:
            rows = sections.get(section.type)
            if rows is None:
                continue
            for row in section.children:
                cells = []
                for cell in row.children:
                    inline = next((c for c in cell.children if c.type == "inline"), None)
                    if inline is None:
                        continue
                    style = str(cell.attrs.get("style", ""))
                    align = _ALIGNS.get(style.removeprefix("text-align:"), "")
                    text = msgid(inline.content)
                    cells.append(TableCell(self._inlines(inline, ctx), align, text))
                rows.append(tuple(cells))
        table = Table(tuple(sections["thead"]), tuple(sections["tbody"]), where)
        inline = caption_node.children[0] if caption_node and caption_node.children else None
        if inline is None:
            return table
        # Pandoc's caption: Table: The kilns {#tbl-kilns}
        text = _CAPTION.sub("", inline.content, count=1)
        written_id = ""
        braces = _HEADING_ATTRIBUTES.search(text)
        if braces:
            text = text[: braces.start()]
            written = _attributes(braces.group(1), "table", where, ctx.report)
            written_id = written.pop("id", "")
        anchor = _claim_id(written_id, ctx, where) if written_id else ""
        caption = self.parse_inline(text, where, ctx)
        ctx.tables += 1
        return replace(
            table, caption=caption, caption_msgid=msgid(text), number=str(ctx.tables), anchor=anchor
        )

    def _footnotes(self, nodes: list[SyntaxTreeNode], ctx: _Context) -> tuple[Footnote, ...]:
        found: list[Footnote] = []
        for node in nodes:
            if node.type != "footnote":
                continue
            index = int(node.meta["id"])
            number = ctx.footnote_numbers.get(index)
            first = next((c.map for c in node.children if c.map), None)
            where = Location(ctx.path, first[0] + ctx.first_line if first else None)
            if number is None:
                ctx.report.warning(
                    "footnote-unused",
                    f"footnote [^{node.meta['label']}] is never referenced",
                    where,
                )
            else:
                label = str(node.meta["label"])
                blocks = tuple(self._blocks(node.children, ctx))
                found.append(Footnote(number, label, blocks, where))
        return tuple(sorted(found, key=lambda n: n.number))

    # ------------------------------------------------------------ inlines

    def parse_inline(
        self,
        text: str,
        where: Location,
        ctx: _Context | None = None,
        *,
        footnotes: dict[str, int] | None = None,
        base: Path | None = None,
    ) -> tuple[Inline, ...]:
        """Inline Markdown (a title, a label, a definition, a translation) as model nodes.

        ``footnotes`` maps the labels of the chapter's footnotes to their numbers, so that
        a translation can call them; ``base`` is the file that relative paths start from.
        """
        env: dict[str, object] = {}
        if ctx is None:
            ctx = _Context(base or where.path, self.report, self.root, self.images)
            ctx.shown = where.path
            labels = footnotes or {}
            ctx.footnote_numbers.update({n - 1: n for n in labels.values()})
            env["footnotes"] = {
                "refs": {f":{label}": n - 1 for label, n in labels.items()},
                "list": {n - 1: {"label": label, "count": 0} for label, n in labels.items()},
            }
        tokens = self.md.parseInline(text, env)
        if not tokens:
            return ()
        # the first token is the inline one; the footnote plugin may add its notes after it
        inline = tokens[0]
        inline.map = [where.line - 1, where.line] if where.line else None
        return self._inlines(SyntaxTreeNode([inline], create_root=False), ctx)

    def _inlines(self, node: SyntaxTreeNode, ctx: _Context) -> tuple[Inline, ...]:
        """The inlines of an ``inline`` node (or an image's alt text)."""
        line = node.map[0] + ctx.first_line if node.map else None
        builder = _InlineBuilder(self, ctx, line)
        builder.feed_all(node.children)
        return builder.finish()

    def term_ref(self, content: str, where: Location, ctx: _Context) -> TermRef:
        match = _TERM_WITH_LABEL.match(content)
        if match:
            label = self.parse_inline(match.group("label"), where, ctx)
            return TermRef(match.group("id").strip(), label or None, where)
        return TermRef(content.strip(), None, where)

    def index_mark(self, content: str, where: Location, ctx: _Context) -> Inline:
        """An index mark: {index}`words` (shown and filed under themselves),
        {index}`words <entry; sub-entry>`, {index}`<entry>` (filed, nothing shown),
        {index}`<see: entry; other>` and {index}`<seealso: entry; other>`. A problem is
        reported at the mark, which then shows its words and files nothing."""
        match = _INDEX_WITH_ENTRY.match(content)
        written = match.group("id") if match else content
        shown = self.parse_inline(match.group("label"), where, ctx) if match else ()
        if not match:
            shown = self.parse_inline(content, where, ctx)
        parsed = bookindex.parse_entry(written)
        if isinstance(parsed, bookindex.Problem):
            ctx.report.error(
                "index-entry", f"index mark `{content}`: {parsed.message}", where, parsed.hint
            )
            return HtmlElement("span", (), shown) if shown else Text("")
        return IndexMark(parsed.levels, shown, where, parsed.see, parsed.target)

    def image(self, node: SyntaxTreeNode, where: Location, ctx: _Context) -> Image | None:
        """A Markdown image: ``![alt](src "title"){.decorative width=40%}``."""
        alt = plain_text(self._inlines(node, ctx)) if node.children else node.content
        attrs = {str(k): str(v) for k, v in node.attrs.items()}
        return self._image(attrs, alt, where, ctx)

    def raw_image(
        self, attrs: tuple[tuple[str, str], ...], where: Location, ctx: _Context
    ) -> Image | None:
        """A raw HTML ``<img>``: its file checked as a Markdown image's, its size kept
        from ``width`` and ``height`` or a ``style`` that sets them."""
        found = {k.lower(): v for k, v in attrs}
        for prop, value in re.findall(r"(width|height)\s*:\s*([^;]+)", found.get("style", "")):
            found.setdefault(prop, value.strip())
        if not found.get("src"):
            ctx.report.warning("html-dropped", "raw HTML <img> without src removed", where)
            return None
        return self._image(found, found.get("alt", ""), where, ctx)

    def _image(
        self, attrs: dict[str, str], alt: str, where: Location, ctx: _Context
    ) -> Image | None:
        src = attrs.get("src", "")
        if urlsplit(src).scheme:
            ctx.report.error(
                "image-remote",
                f"image {src!r} is not a file of the project",
                where,
                "download it into the project (e.g. manuscript/images/) and link to that file",
            )
            return None
        linked = (ctx.path.parent / unquote(src)).absolute()
        real = linked.resolve()
        if not real.is_relative_to(self.root):
            ctx.report.error(
                "image-outside",
                f"image {src!r} leads outside the book project",
                where,
                "copy the image into the project; links and symlinks must stay inside it",
            )
            return None
        if not real.is_file():
            ctx.report.error(
                "image-missing",
                f"image {src!r} not found",
                where,
                f"no file at {real.relative_to(self.root)}",
            )
            return None
        if image_media_type(real) is None:
            ctx.report.error(
                "image-type", f"image {src!r} is not PNG, JPEG, GIF, SVG or WebP", where
            )
            return None
        if real.suffix.lower() == ".svg":
            problem = xhtml.svg_problem(real.read_bytes()) if real.stat().st_size else "is empty"
        else:
            problem = images.raster_problem(real)
        if problem:
            ctx.report.error(
                "image-bad",
                f"image {src!r} {problem}",
                where,
                "replace it with a self-contained PNG, JPEG or SVG of sensible size",
            )
            return None
        decorative = "decorative" in attrs.get("class", "").split()
        if decorative:
            alt = ""  # screen readers pass over it
        elif not alt.strip():
            ctx.report.warning(
                "image-alt",
                f"image {src!r} has no alt text",
                where,
                "describe it for readers who cannot see it: ![a bowl with a blue glaze](...); "
                "an ornament that says nothing is marked ![](ornament.png){.decorative}",
            )
        href = self.images.get(real)
        if href is None:
            taken = set(self.images.values())
            href = _unique(taken, f"images/{slugify(real.stem) or 'image'}", real.suffix.lower())
            self.images[real] = href
        size = {key: _css_length(attrs.get(key, ""), key, where, ctx.report) for key in _SIZES}
        title = attrs.get("title", "") or ""
        classes = tuple(c for c in attrs.get("class", "").split() if c != "decorative")
        return Image(
            href, alt.strip(), real, title, decorative, size["width"], size["height"], classes
        )


InlineFactory = Callable[[tuple[Inline, ...]], Inline | None]


@dataclass(eq=False)
class _Frame:
    """An element being built: what makes it from its children (None: the children go
    to the parent as they are), and, for raw HTML, the tag that closes it."""

    make: InlineFactory | None
    html_tag: str = ""
    children: list[Inline] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Role:
    """An inline role, written {name}`content`: how it is written, and what it makes."""

    example: str
    make: Callable[[MarkdownReader, str, Location, _Context], Inline]


#: Every role the term syntax knows; a new role is one entry.
ROLES: dict[str, Role] = {
    "term": Role("{term}`id`", lambda reader, text, where, ctx: reader.term_ref(text, where, ctx)),
    "math": Role(
        "{math}`E=mc^2`", lambda reader, text, where, ctx: reader.math(text, False, where, ctx)
    ),
    "index": Role(
        "{index}`entry`", lambda reader, text, where, ctx: reader.index_mark(text, where, ctx)
    ),
}


def _strikethrough(children: tuple[Inline, ...]) -> Inline:
    return HtmlElement("s", (), children)


#: Markdown's own inline elements, nested by markdown-it; links are made in ``_link``.
_NESTED: dict[str, InlineFactory] = {
    "em": Emphasis,
    "strong": Strong,
    "s": _strikethrough,
    "sub": partial(HtmlElement, "sub", ()),  # H~2~O
    "sup": partial(HtmlElement, "sup", ()),  # x^2^
}


class _InlineBuilder:
    """Builds model inlines from markdown-it's inline tree.

    Markdown's elements come nested; raw HTML tags do not (``<span>`` and ``</span>`` are
    two separate tokens, maybe in different Markdown elements), so every element being
    built is a frame on one stack: a closing tag closes its frame and those opened after
    it, and leaving a Markdown element closes what is still open inside it.
    """

    def __init__(self, reader: MarkdownReader, ctx: _Context, line: int | None) -> None:
        self.reader, self.ctx, self.line = reader, ctx, line
        self.stack: list[_Frame] = [_Frame(None)]

    @property
    def where(self) -> Location:
        return Location(self.ctx.shown or self.ctx.path, self.line)

    def add(self, node: Inline) -> None:
        self.stack[-1].children.append(node)

    def feed_all(self, nodes: list[SyntaxTreeNode]) -> None:
        for node in nodes:
            self.feed(node)

    def _nested(self, make: InlineFactory | None, children: list[SyntaxTreeNode]) -> None:
        frame = _Frame(make)
        self.stack.append(frame)
        self.feed_all(children)
        self._close(frame)

    def _close(self, frame: _Frame) -> None:
        """Close ``frame`` and every frame opened after it; nothing if it is closed."""
        if frame not in self.stack[1:]:
            return
        while self.stack[-1] is not frame:
            self._pop()
        self._pop()

    def _pop(self) -> None:
        frame = self.stack.pop()
        made = frame.make(tuple(frame.children)) if frame.make is not None else None
        if made is None:
            self.stack[-1].children.extend(frame.children)
        else:
            self.add(made)

    def feed(self, node: SyntaxTreeNode) -> None:
        match node.type:
            case "text":
                self.add(Text(node.content))
            case "softbreak":
                self.add(Text(_SOFT_BREAK))
                self.line = self.line + 1 if self.line else None
            case "hardbreak":
                self.add(LineBreak())
                self.line = self.line + 1 if self.line else None
            case "code_inline":
                self._unread_attributes(node, "inline code", ())
                self.add(Code(node.content))
            case "em" | "strong" | "s" | "sub" | "sup":
                self._nested(_NESTED[node.type], node.children)
            case "span":  # [text]{.smallcaps lang=zh}
                self._nested(self._span(node), node.children)
            case "link":
                self._nested(self._link(node), node.children)
            case "image":
                self._unread_attributes(node, "image", ("class", "id", "width", "height", "title"))
                image = self.reader.image(node, self.where, self.ctx)
                if image is not None:
                    self.add(image)
            case "math_inline" | "math_inline_double":  # $x$, \\(x\\), $$x$$ in a paragraph
                display = node.type == "math_inline_double"
                self.add(self.reader.math(node.content, display, self.where, self.ctx))
            case "citation":
                self.add(
                    Citation(node.meta["items"], self.where, node.content, node.meta["in_text"])
                )
            case "myst_role":
                self._role(node)
            case "footnote_ref":
                self._footnote_ref(node)
            case "html_inline":
                self._html(node.content)
            case _ if node.is_nested:  # a container of a kind not known here: its content
                self.feed_all(node.children)
            case _:
                if node.content:
                    self.add(Text(node.content))

    def _unread_attributes(self, node: SyntaxTreeNode, what: str, read: tuple[str, ...]) -> None:
        """Report the attributes written after ``node`` that it does not read (and those
        the attributes plugin removed: ``style``, ``onclick``…)."""
        unread = [k for k in node.attrs if k not in read and k not in ("href", "src", "alt")]
        unread += list(node.meta.get("insecure_attrs", {}) if node.meta else {})
        for key in unread:
            self.ctx.report.warning(
                "attribute-ignored",
                f"{what} attribute {key!r} ignored",
                self.where,
                f"{what} reads {', '.join(read)}" if read else f"{what} takes no attributes",
            )

    def _span(self, node: SyntaxTreeNode) -> InlineFactory:
        """A bracketed span's element: its classes (``.smallcaps``), language, direction
        and id kept for the stylesheet and for links."""
        self._unread_attributes(node, "span", ("class", "id", "lang", "dir", "title"))
        attrs = []
        for key in ("class", "lang", "dir", "title"):
            if node.attrs.get(key):
                attrs.append((key, str(node.attrs[key])))
        written = str(node.attrs.get("id", ""))
        if written:
            attrs.insert(0, ("id", _claim_id(written, self.ctx, self.where)))
        return partial(HtmlElement, "span", tuple(attrs))

    def _link(self, node: SyntaxTreeNode) -> InlineFactory | None:
        self._unread_attributes(node, "link", ("class", "title"))
        classes = tuple(str(node.attrs.get("class", "")).split())
        href = str(node.attrs.get("href", ""))
        title = str(node.attrs.get("title", "") or "")
        scheme = urlsplit(href).scheme.lower()
        where = self.where
        if scheme in {"javascript", "vbscript", "data"}:
            self.ctx.report.warning("html-dropped", f"{scheme}: link removed", where)
            return None
        if not scheme and href.startswith("#"):
            if self.ctx.path.suffix.lower() == ".md":  # in a chapter (not the glossary)
                self.reader.links.append(xref.LinkTarget(where, self.ctx.path, href[1:], href))
        elif not scheme:
            path, _, fragment = href.partition("#")
            target = _chapter_file(self.ctx.path.parent / unquote(path))
            if target is None:
                self.ctx.report.warning(
                    "link-local",
                    f"link to local file {href!r} removed: only chapters can be linked",
                    where,
                    "link to a chapter (other.md) or to a web address",
                )
                return None
            if not target.is_file():
                self.ctx.report.error(
                    "link-broken",
                    f"link to missing chapter {path!r}",
                    where,
                    _closest_file(target),
                )
                return None
            self.reader.links.append(xref.LinkTarget(where, target, fragment, href))
            chapter = chapter_id(target, self.reader.manuscript)
            href = f"{chapter}.xhtml" + (f"#{fragment}" if fragment else "")

        def link(children: tuple[Inline, ...]) -> Inline:
            return Link(href, children, title, classes)

        return link

    def _role(self, node: SyntaxTreeNode) -> None:
        name = str(node.meta.get("name", ""))
        role = ROLES.get(name)
        if role is not None:
            self.add(role.make(self.reader, node.content, self.where, self.ctx))
            return
        examples = [known.example for known in ROLES.values()]
        self.ctx.report.warning(
            "role-unknown",
            f"unknown role {{{name}}}; shown as plain text",
            self.where,
            f"the known role is {examples[0]}"
            if len(examples) == 1
            else f"the known roles are {', '.join(examples)}",
        )
        self.add(Text(node.content))

    def _footnote_ref(self, node: SyntaxTreeNode) -> None:
        numbers = self.ctx.footnote_numbers
        number = numbers.setdefault(int(node.meta["id"]), len(numbers) + 1)
        self.add(FootnoteRef(number))

    def _html(self, markup: str) -> None:
        """One raw HTML tag: an opening tag opens a frame, a closing tag closes the
        nearest open frame of its name (and those opened inside it)."""
        tag = xhtml.parse_tag(markup)
        if tag is None:
            return
        if tag.closing:
            frame = next((f for f in reversed(self.stack[1:]) if f.html_tag == tag.name), None)
            if frame is not None:
                self._close(frame)
            return
        if tag.name == "img":
            image = self.reader.raw_image(tag.attrs, self.where, self.ctx)
            if image is not None:
                self.add(image)
            return
        action, attrs = xhtml.clean_element(tag.name, tag.attrs, self.where, self.ctx.report)
        if tag.void:
            if action == "keep":
                self.add(HtmlElement(tag.name, attrs, ()))
            return
        make: InlineFactory | None
        match action:
            case "keep":
                make = partial(HtmlElement, tag.name, attrs)
            case "drop":
                make = _dropped
            case "unwrap":
                make = None
            case _:
                assert_never(action)
        self.stack.append(_Frame(make, tag.name))

    def finish(self) -> tuple[Inline, ...]:
        while len(self.stack) > 1:
            self._pop()
        return _typeset(_merge_text(tuple(self.stack[0].children)), self.reader.language)


def _typeset(nodes: tuple[Inline, ...], language: Language | None) -> tuple[Inline, ...]:
    """The text of ``nodes`` with the typography of its language, across nodes and in
    reading order: soft line breaks as spaces (none between two wide characters); in a
    CJK language, the straight double quotes smartquotes could not pair (there are no
    spaces around them) paired in the language's marks; in French, narrow no-break spaces
    before ; : ! ? and inside « ». Code is left as it is, and link texts (URLs) keep
    their punctuation."""
    leaves: list[tuple[Inline, bool]] = []  # every leaf, and whether it is in a link

    def collect(items: tuple[Inline, ...], in_link: bool) -> None:
        for node in items:
            children = inline_children(node)
            if children:
                collect(children, in_link or isinstance(node, Link))
            else:
                leaves.append((node, in_link))

    collect(nodes, False)
    texts = [n.text if isinstance(n, Text | Code) else "" for n, _ in leaves]
    prose = [isinstance(n, Text) and not in_link for n, in_link in leaves]
    soft = [isinstance(n, Text) and _SOFT_BREAK in n.text for n, _ in leaves]
    if not any(soft) and not any(prose):
        return nodes
    for i, text in enumerate(texts):
        if soft[i]:
            out: list[str] = []
            for k, char in enumerate(text):
                if char != _SOFT_BREAK:
                    out.append(char)
                    continue
                before = ("".join(texts[:i]) + "".join(out))[-1:]
                after = (text[k + 1 :] + "".join(texts[i + 1 :]))[:1]
                out.append(_joined(before, after))
            texts[i] = "".join(out)
    if language is not None and language.cjk:
        opening, closing = language.quotes[0], language.quotes[1]
        count = 0
        for i, text in enumerate(texts):
            if prose[i] and '"' in text:
                first, *rest = text.split('"')
                for piece in rest:
                    first += (opening if count % 2 == 0 else closing) + piece
                    count += 1
                texts[i] = first
    inner_opening = language.quotes[2] if language is not None else "‘"
    for i, text in enumerate(texts):
        if prose[i]:
            texts[i] = _apostrophes(text, inner_opening)
    if language is not None and language.french_spacing:
        for i, text in enumerate(texts):
            if prose[i]:
                texts[i] = _french_spacing(text, "".join(texts[:i])[-1:])
    changed = iter(texts[i] for i, (n, _) in enumerate(leaves) if isinstance(n, Text))

    def retext(node: Inline) -> tuple[Inline, ...]:
        return (Text(next(changed)),) if isinstance(node, Text) else (node,)

    return map_inlines(nodes, retext)


#: an opening quote that is an apostrophe: of an elided start (’90s, rock ’n’ roll, ’em)
_ELIDED = re.compile(r"‘(?=\d\d|n’|em\b|tis\b|til\b|twas\b|cause\b)")


def _apostrophes(text: str, inner_opening: str) -> str:
    """Apostrophes as ’: where smart quotes left a straight one (``'90s``), and where
    they paired an elision as quotes (``'n'`` → ‘n’), in a language whose inner
    quotes open with ‘."""
    text = text.replace("'", "’")
    return _ELIDED.sub("’", text) if inner_opening == "‘" else text


_FRENCH_PUNCTUATION = ";:!?"
_SPACES = " \u00a0\u202f"


def _french_spacing(text: str, before: str) -> str:
    """A narrow no-break space before ; : ! ? (not in 10:30 or http://) and inside « »,
    in place of a plain space or where there was none."""
    out: list[str] = []
    for k, char in enumerate(text):
        after = text[k + 1 : k + 2]
        word = "".join(out).rpartition(" ")[2]
        if char in _FRENCH_PUNCTUATION and ("://" in word or word.startswith("www.")):
            pass  # inside a web address
        elif char in _FRENCH_PUNCTUATION:
            previous = (before + "".join(out))[-1:]
            time_or_url = char == ":" and ((previous.isdigit() and after.isdigit()) or after == "/")
            if not time_or_url:
                while out and out[-1] in _SPACES:
                    out.pop()
                previous = (before + "".join(out))[-1:]
                if previous and previous not in _FRENCH_PUNCTUATION and not previous.isspace():
                    out.append("\u202f")
        elif char == "»":
            while out and out[-1] in _SPACES:
                out.pop()
            out.append("\u202f")
        out.append(char)
        if char == "«":
            out.append("\u202f")
    return re.sub("«\u202f[ \u00a0\u202f]+", "«\u202f", "".join(out))


def _joined_html(nodes: list[SyntaxTreeNode]) -> list[SyntaxTreeNode]:
    """The blocks with each HTML block that leaves an element open (``<figure>`` then a
    blank line) joined with the HTML blocks after it, up to the one that closes it."""
    out: list[SyntaxTreeNode] = []
    for node in nodes:
        previous = out[-1] if out else None
        if (
            node.type == "html_block"
            and previous is not None
            and previous.type == "html_block"
            and xhtml.unclosed(previous.content)
        ):
            joined = copy.copy(previous)
            joined.token = copy.copy(previous.token)
            assert joined.token is not None
            joined.token.content = previous.content + "\n" + node.content
            out[-1] = joined
        else:
            out.append(node)
    return out


#: Pandoc's table caption, a paragraph beside its table: ``Table: The kilns`` or ``: The kilns``
_CAPTION = re.compile(r"^(?:Table)?:\s+")


#: the first line of a Pandoc grid table, and a simple table's dashes under its columns
_GRID_TABLE = re.compile(r"\+[-=:]+\+")
_DASH_COLUMNS = re.compile(r"\s*-{3,}(?:[ \t]+-{3,})+\s*")
_PIPE_TABLE_HINT = (
    "write it as a pipe table:\n    | Kiln | Glaze |\n    |------|-------|\n    | Jun  | blue  |"
)


def _unsupported_table(kind: str, text: str, ctx: _Context, where: Location) -> CodeBlock:
    """A Pandoc grid table, reported and shown as it is written (its columns kept)."""
    ctx.report.warning(
        "table-unsupported",
        f"Pandoc {kind} tables are not read: shown as written, in a fixed-width face",
        where,
        _PIPE_TABLE_HINT,
    )
    return CodeBlock(text, "", where)


#: raw HTML elements that may wrap Markdown blocks
_WRAPPERS = frozenset({"details", "div", "section", "aside", "article", "figure", "blockquote"})


def _wrapping_html(nodes: list[SyntaxTreeNode]) -> dict[int, int]:
    """Each HTML block that opens an element around Markdown (``<details>`` then a blank
    line) -> the HTML block that closes it (``</details>``), nested ones inside."""
    found: dict[int, int] = {}
    open_at: list[tuple[int, str]] = []
    for index, node in enumerate(nodes):
        if node.type != "html_block":
            continue
        left_open = xhtml.unclosed(node.content)
        closing = re.match(r"\s*</([A-Za-z][\w-]*)\s*>", node.content)
        if closing and open_at and open_at[-1][1] == closing.group(1).lower():
            start, _ = open_at.pop()
            found[start] = index
        elif (
            left_open
            and left_open[0] in _WRAPPERS
            and index + 1 < len(nodes)
            and nodes[index + 1].type != "html_block"
        ):
            open_at.append((index, left_open[0]))
    # a wrapper inside another is read with the blocks of the outer one
    return {
        start: end
        for start, end in found.items()
        if not any(outer < start and end < outer_end for outer, outer_end in found.items())
    }


def _admonition_directive(info: str) -> bool:
    """Whether a fence's info string is MyST's admonition directive (``{note}``), not
    code (R Markdown's ``{r}`` chunks are code)."""
    match = _DIRECTIVE.match(info.strip())
    return match is not None and match.group(1) in (*ADMONITIONS, "admonition")


def _table_captions(nodes: list[SyntaxTreeNode]) -> dict[int, int]:
    """Each table that has a caption paragraph right after (or else right before) it:
    the table's index among ``nodes`` -> the caption's."""
    found: dict[int, int] = {}
    for index, node in enumerate(nodes):
        if node.type != "table":
            continue
        for beside in (index + 1, index - 1):
            if 0 <= beside < len(nodes) and beside not in found.values():
                other = nodes[beside]
                inline = other.children[0] if other.children else None
                if other.type == "paragraph" and inline and _CAPTION.match(inline.content):
                    found[index] = beside
                    break
    return found


def _claim_id(written: str, ctx: _Context, where: Location) -> str:
    """The anchor of an id written in the chapter (a heading's, a figure's, a listing's),
    now taken; an id the chapter already has is reported."""
    if written in ctx.targets:
        ctx.report.error(
            "id-duplicate",
            f"id #{written} is given twice in this chapter",
            where,
            "give each heading, figure and listing of a chapter its own id",
        )
    anchor = ctx.targets[written] = xref.anchor_for(written, ctx.anchors)
    return anchor


def _attributes(braces: str, what: str, where: Location, report: Report) -> dict[str, str]:
    """Pandoc's and MyST's attributes, ``{#id .class key="value"}``, read by the
    attributes plugin's own parser; none, reported, when they cannot be read."""
    try:
        _, found = parse_attributes(braces)
    except ParseError as exc:
        report.warning(
            f"{'code' if what == 'code block' else what}-attribute",
            f"{what} attributes {braces} ignored: {exc}",
            where,
            'write them as {#an-id .a-class key="a value"}',
        )
        return {}
    return {str(k): str(v) for k, v in found.items()}


_SIZES = ("width", "height")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(%|px|em|rem|ex|ch|cm|mm|in|pt|pc|vw|vh)?")


def _css_length(value: str, name: str, where: Location, report: Report) -> str:
    """An image's width or height as a CSS length (a bare number counts pixels, as in
    HTML); "" for none, and for one that is not a length, reported."""
    value = value.strip().strip("\"'")
    if not value or value == "auto":
        return ""
    match = _LENGTH.fullmatch(value)
    if match is None:
        report.warning(
            "image-size",
            f"image {name} {value!r} is not a length: the image keeps its own size",
            where,
            "write a percentage of the text's width (width=40%) or a length (width=6cm, 120px)",
        )
        return ""
    return match.group(1) + (match.group(2) or "px")


def _chapter_file(linked: Path) -> Path | None:
    """The chapter a local link names: ``other.md``, or mdBook's ``other.html`` (and
    ``index.html`` for ``README.md``) when the Markdown file is there; None for a file
    that is no chapter."""
    if linked.suffix.lower() == ".md":
        return linked
    if linked.suffix.lower() in (".html", ".htm"):
        beside = linked.with_suffix(".md")
        if linked.stem == "index" and not beside.is_file():
            beside = linked.with_name("README.md")
        return beside if beside.is_file() or not linked.is_file() else None
    return None


def _closest_file(missing: Path) -> str:
    names = [p.name for p in missing.parent.glob("*.md")] if missing.parent.is_dir() else []
    return (
        did_you_mean(missing.name, names)
        or f"no file {missing.name} in {missing.parent.name or '.'}/"
    )


def _dropped(children: tuple[Inline, ...]) -> Inline:
    """What an element removed with its content leaves: nothing."""
    return Text("")


def fence_language(info: str) -> str:
    """The language a fence names: its info string's first word (``rust`` of
    ``rust,ignore,does_not_compile``, ``python`` of ``python {caption="…"}``, and of
    Pandoc's ``{.python}``)."""
    match = re.match(r"\{?\s*\.?([^\s,{}]+)", info)
    return match.group(1) if match else ""


#: Raw HTML elements whose text is code: no smart quotes or dashes inside them.
_RAW_CODE = re.compile(r"<(/?)(code|kbd|samp|tt|var)\b", re.IGNORECASE)


def _raw_code_text(state: StateCore) -> None:
    """Mark the text inside raw ``<code>`` (``<kbd>``, ``<samp>``…) so that the
    typographer's rules, which read only "text" tokens, leave it as written."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        depth = 0
        for child in token.children:
            if child.type == "html_inline":
                match = _RAW_CODE.match(child.content)
                if match:
                    depth = max(depth + (-1 if match.group(1) else 1), 0)
            elif child.type == "text" and depth:
                child.type = "text_raw"  # read as text (feed's default), not smartened


#: ``{width=40%}`` right after an image: Pandoc reads the percentage unquoted
_PERCENTAGE = re.compile(r"(\)\{[^{}\n]*?\b(?:width|height)=)(\d+(?:\.\d+)?%)")


def _quoted_percentages(state: StateCore) -> None:
    """Quote an unquoted percentage in an image's attributes, which the attributes
    plugin reads only quoted (``{width="40%"}``)."""
    for token in state.tokens:
        if token.type == "inline" and "%" in token.content:
            token.content = _PERCENTAGE.sub(r'\1"\2"', token.content)


#: the attributes read after an image, a link, a span or inline code; others are reported
_INLINE_ATTRIBUTES = ("class", "id", "width", "height", "lang", "dir", "title")
#: a fenced div's fence: three colons or more, then its name or attributes (to open it),
#: or nothing (to close the innermost open one), as Pandoc reads them
_DIV_FENCE = re.compile(r"(:{3,})\s*(.*?)[\s:]*")
_CODE_FENCE = re.compile(r"(`{3,}|~{3,})")


def _fenced_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Pandoc's fenced divs (and MyST's colon fences): ``::: note`` or ``::: {#id
    .class}`` opens one, a line of colons alone closes the innermost open one, so divs
    nest with fences of any length; fences inside code blocks do not count. MyST's
    ``:option: value`` lines right after ``:::{name}`` are the div's options."""

    def line_text(line: int) -> str:
        return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]

    if state.sCount[start] - state.blkIndent >= 4:
        return False
    opening = _DIV_FENCE.fullmatch(line_text(start))
    if opening is None or not opening.group(2):
        return False
    if silent:
        return True
    depth, line, closed, code = 1, start, False, ""
    while True:
        line += 1
        if line >= end:
            break
        text = line_text(line)
        if text and state.sCount[line] < state.blkIndent:
            break  # the end of the list or quotation the div is in
        fence = _CODE_FENCE.match(text)
        if code:
            if fence and fence.group(1)[0] == code[0] and len(fence.group(1)) >= len(code):
                code = "" if not text[fence.end() :].strip() else code
            continue
        if fence:
            code = fence.group(1)
            continue
        match = _DIV_FENCE.fullmatch(text)
        if match is not None:
            depth += 1 if match.group(2) else -1
            if depth == 0:
                closed = True
                break
    info = opening.group(2)
    options: dict[str, str] = {}
    first = start + 1
    if info.startswith("{"):
        while first < line and (option := _DIRECTIVE_OPTION.fullmatch(line_text(first))):
            options[option.group(1)] = option.group(2).strip()
            first += 1
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = line  # lazy continuation lines stop at the closing fence
    token = state.push("div_open", "div", 1)
    token.info, token.map, token.meta, token.block = info, [start, line], {"options": options}, True
    state.md.block.tokenize(state, first, line)
    state.push("div_close", "div", -1).block = True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = line + (1 if closed else 0)
    return True


#: a paragraph of LaTeX commands alone, as Pandoc passes them to LaTeX (``\newpage``)
_RAW_LATEX = re.compile(r"(?:\\[A-Za-z]+\*?(?:\[[^\]]*\])?(?:\{[^{}]*\})*\s*)+")
#: Pandoc's place for the reference list: ``::: {#refs}``
_REFS = re.compile(r"\{\s*#refs\s*\}")
#: a fence whose body is a formula: GitHub's ```` ```math ````, MyST's ```` ```{math} ````
_MATH_FENCE = re.compile(r"math|\{math\}")


def _shortened(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _mapped(
    rule: Callable[[StateBlock, int, int, bool], bool],
) -> Callable[[StateBlock, int, int, bool], bool]:
    """A block rule whose tokens say the lines they come from (texmath's do not)."""

    def mapped(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first = len(state.tokens)
        found = rule(state, start, end, silent)
        if found and not silent:
            for token in state.tokens[first:]:
                token.map = token.map or [start, state.line]
        return found

    return mapped


def _line_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Pandoc's line block: lines that start with ``| `` (a poem, an address), each kept
    as a line, its indent kept as no-break spaces; a line that starts with a space
    continues the one before. It does not interrupt a paragraph, and a pipe table (tried
    first) wins over it."""

    def line_text(line: int) -> str:
        return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]

    def is_line(text: str) -> bool:
        return text == "|" or text.startswith("| ")

    if state.sCount[start] - state.blkIndent >= 4 or not is_line(line_text(start)):
        return False
    if silent:
        return True
    lines: list[str] = []
    line = start
    while line < end and not state.isEmpty(line):
        text = line_text(line)
        if is_line(text) and state.sCount[line] - state.blkIndent < 4:
            written = text[2:]
            indent = len(written) - len(written.lstrip(" "))
            lines.append("\u00a0" * indent + written.strip())
        elif state.sCount[line] > state.blkIndent and lines:
            lines[-1] += " " + text.strip()
        else:
            break
        line += 1
    state.push("line_block_open", "div", 1).map = [start, line]
    token = state.push("inline", "", 0)
    token.content = "\\\n".join(text or "\u00a0" for text in lines)
    token.map, token.children = [start, line], []
    state.push("line_block_close", "div", -1)
    state.line = line
    return True


#: a citation key as Pandoc reads it: a letter, digit or _ first, inner punctuation
_CITE_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
#: one item of a bracketed citation: a prefix ending in a space (an address such as
#: ``a@b.org`` is none), the key, then a locator and a suffix
_CITE_ITEM = re.compile(
    rf"(?P<prefix>(?:.*?\s)?)(?P<suppress>-?)@(?P<key>{_CITE_KEY})(?P<rest>.*)", re.DOTALL
)
#: a locator after a key: ``, p. 33``, ``, chap. 2``, ``, 33-35``; the labels as CSL
#: names them, in the abbreviations Pandoc reads (English)
_LOCATOR_LABELS = {
    "p": "page",
    "pp": "page",
    "page": "page",
    "pages": "page",
    "chap": "chapter",
    "chapter": "chapter",
    "chapters": "chapter",
    "ch": "chapter",
    "sec": "section",
    "section": "section",
    "sections": "section",
    "§": "section",
    "fig": "figure",
    "figure": "figure",
    "figures": "figure",
    "vol": "volume",
    "volume": "volume",
    "volumes": "volume",
    "para": "paragraph",
    "paragraph": "paragraph",
    "paragraphs": "paragraph",
    "¶": "paragraph",
    "l": "line",
    "line": "line",
    "lines": "line",
    "n": "note",
    "note": "note",
    "notes": "note",
    "col": "column",
    "column": "column",
    "no": "issue",
    "fol": "folio",
    "op": "opus",
    "part": "part",
    "pt": "part",
    "bk": "book",
    "book": "book",
    "v": "verse",
    "verse": "verse",
}
_LOCATOR = re.compile(
    r"(?:(?P<label>[A-Za-z]+|§|¶)\.?\s*)?(?P<locator>[\dIVXLCDMivxlcdm]+(?:\s*[-–,]\s*\d+)*)"
    r"(?P<suffix>.*)",
    re.DOTALL,
)


def _cite_item(text: str) -> CiteItem | None:
    """One item of a bracketed citation (``see @doe2020, p. 33 and elsewhere``)."""
    match = _CITE_ITEM.fullmatch(text.strip())
    if match is None:
        return None
    prefix, rest = match.group("prefix").strip(), match.group("rest").strip()
    label = locator = ""
    if rest.startswith(","):
        rest = rest[1:].strip()
        found = _LOCATOR.match(rest)
        if found and (not found.group("label") or found.group("label").lower() in _LOCATOR_LABELS):
            written = (found.group("label") or "p").lower()
            label, locator = _LOCATOR_LABELS[written], found.group("locator")
            rest = found.group("suffix").strip()
    return CiteItem(match.group("key"), prefix, label, locator, rest, bool(match.group("suppress")))


def _bracketed_citation(state: StateInline, silent: bool) -> bool:
    """Pandoc's ``[@doe2020]``, ``[see @doe2020, p. 33; @li2018]``, ``[-@doe2020]``: in
    brackets that no link follows, items separated by semicolons."""
    if state.src[state.pos] != "[" or "@" not in state.src[state.pos : state.pos + 200]:
        return False
    end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if end < 0 or state.src[end + 1 : end + 2] in ("(", "[", ":"):
        return False
    inner = state.src[state.pos + 1 : end]
    items = [_cite_item(part) for part in inner.split(";")]
    if not items or any(item is None for item in items):
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": tuple(items), "in_text": False}
        token.content = state.src[state.pos : end + 1]
    state.pos = end + 1
    return True


def _text_citation(state: StateInline, silent: bool) -> bool:
    """Pandoc's ``@doe2020`` in the text ("Doe and Roe (2020)"), an @ that starts a word,
    with a locator in brackets after it if the author gives one (``@doe2020 [p. 33]``)."""
    pos = state.pos
    if state.src[pos] != "@" or (
        pos and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_\\")
    ):
        return False
    match = re.compile(_CITE_KEY).match(state.src, pos + 1)
    if match is None:
        return False
    item, end = CiteItem(match.group(0)), match.end()
    # Pandoc's locator after it in brackets: @doe2020 [p. 33]
    after = re.compile(r" \[([^\[\]@]*)\](?![(\[:])").match(state.src, end)
    if after is not None:
        located = _cite_item(f"@{item.key}, {after.group(1)}")
        if located is not None and located.locator:
            item, end = located, after.end()
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": (item,), "in_text": True}
        token.content = state.src[pos:end]
    state.pos = end
    return True


def _escaped_space(state: StateInline, silent: bool) -> bool:
    """Pandoc's ``\\ ``: a backslash before a space is a no-break space (``10\\ km``)."""
    if state.src[state.pos] != "\\" or state.src[state.pos + 1 : state.pos + 2] != " ":
        return False
    if not silent:
        state.push("text", "", 0).content = "\u00a0"
    state.pos += 2
    return True


def _markdown(language: Language | None) -> MarkdownIt:
    options: dict[str, object] = {
        "html": True,
        "typographer": True,
        "tasklists": True,  # GFM's - [x]
        "alerts": True,  # GitHub's > [!NOTE]
        "linkify": True,  # a bare https://… address is a link, as on GitHub
    }
    if language is not None:
        options["quotes"] = list(language.quotes)  # CLDR's, for smartquotes
    md = (
        MarkdownIt("commonmark", options)
        .enable(["table", "replacements", "smartquotes"])
        .enable("strikethrough")
        .enable("linkify")
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(myst_role_plugin)
        # ![](x.png){.decorative}, ![](x.png){width=40%}, ![](x.png "Caption"){#fig-x},
        # [a link](x.md){.more}, [a span]{.smallcaps lang=zh}
        .use(
            attrs_plugin,
            after=("image", "link_close", "span_close", "code_inline"),
            spans=True,
            allowed=_INLINE_ATTRIBUTES,
        )
        .use(deflist_plugin)
        .use(sub_plugin)  # H~2~O
        .use(superscript_plugin)  # x^2^
        # $E=mc^2$ and $$…$$ as Pandoc reads them: no space inside the dollars, no digit
        # after the closing one ($5 and $10 are no formula); $$…$$ (label) a labelled one
        .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
        .use(amsmath_plugin)  # \begin{align} … \end{align}
    )
    # LaTeX's \(…\) within text, and \[…\] (with an (eq-label) after it) on lines of
    # its own: texmath's rules, named apart from dollarmath's
    for rule in texmath_rules["brackets"]["inline"]:
        md.inline.ruler.before("escape", "tex_" + rule["name"], make_inline_func(rule))
    for rule in texmath_rules["brackets"]["block"]:
        md.block.ruler.before(
            "fence",
            "tex_" + rule["name"],
            _mapped(make_block_func(rule)),
            {"alt": ["paragraph", "reference", "blockquote", "list"]},
        )
    md.block.ruler.before(
        "fence",
        "fenced_div",
        _fenced_div,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    # only addresses with their scheme: "setup.py" and "a@b.org" stay text (.py is a
    # country's domain, and an address in prose is not always meant to be mailed)
    linkify = md.linkify  # linkify-it-py's matcher, which the "linkify" option loads
    if linkify is None:
        raise RuntimeError("linkify-it-py is missing: reinstall pubtool")
    linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    md.block.ruler.after("table", "line_block", _line_block)
    md.inline.ruler.before("escape", "escaped_space", _escaped_space)
    md.inline.ruler.before("link", "bracketed_citation", _bracketed_citation)
    md.inline.ruler.before("text", "text_citation", _text_citation)
    md.core.ruler.before("replacements", "raw_code_text", _raw_code_text)
    md.core.ruler.before("inline", "quoted_percentages", _quoted_percentages)
    return md


#: Characters as wide as a hanzi (Han, kana, CJK punctuation, full-width forms): a soft
#: line break between two of them is no space (Pandoc's east_asian_line_breaks). Hangul
#: is left out: Korean puts spaces between words.
_WIDE = re.compile(
    "[\u2e80-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]"
)
_SOFT_BREAK = "\n"  # what a soft line break is until its neighbours are known


def _joined(previous: str, following: str) -> str:
    """What a soft line break between ``previous`` and ``following`` becomes."""
    return "" if _WIDE.match(previous[-1:]) and _WIDE.match(following[:1]) else " "


def msgid(content: str) -> str:
    """The catalog msgid of inline Markdown: soft line breaks folded into single spaces.

    Hard breaks (a backslash or two spaces at the end of a line) stay line breaks.
    """
    raw = content.split("\n")
    out = raw[0].strip(_LINE_END_SPACES)
    for previous, line in itertools.pairwise(raw):
        if previous.endswith("\\"):
            out += "\n"
        elif previous.endswith("  "):
            out += "\\\n"  # the same break, written so that it survives stripping
        else:
            out += _joined(out, line.strip(_LINE_END_SPACES))
        out += line.strip(_LINE_END_SPACES)
    return out.strip(_LINE_END_SPACES)


#: what Markdown strips at the ends of lines: spaces and tabs, not the no-break spaces
#: that keep a line block's indent
_LINE_END_SPACES = " \t\r\f\v"


def _merge_text(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def _unique(taken: set[str], base: str, suffix: str = "") -> str:
    name, n = base + suffix, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{suffix}"
    taken.add(name)
    return name


# ---------------------------------------------------------------- mdBook's files


@dataclass(frozen=True, slots=True)
class SummaryItem:
    """One line of an mdBook SUMMARY.md: a chapter (``prefix``, ``numbered`` at its
    ``depth`` from 0, ``suffix``; a draft has no ``href``) or a part's title."""

    kind: str  # prefix | numbered | suffix | part
    title: str  # as written, inline Markdown
    href: str
    depth: int
    line: int


def summary_items(text: str) -> list[SummaryItem]:
    """The chapters and part titles of an mdBook SUMMARY.md, in order (its first heading,
    the book's title, and its separators left out)."""
    tree = SyntaxTreeNode(MarkdownIt("commonmark").parse(text))
    items: list[SummaryItem] = []
    seen_list = False

    def links(inline: SyntaxTreeNode, kind: str, depth: int, line: int) -> None:
        for child in inline.children:
            if child.type == "link":
                title = "".join(_source_of(c) for c in child.children)
                href = str(child.attrs.get("href", ""))
                items.append(SummaryItem(kind, title, href, depth, line))

    def walk_list(node: SyntaxTreeNode, depth: int) -> None:
        for item in node.children:
            for child in item.children:
                line = (child.map[0] + 1) if child.map else 0
                if child.type == "paragraph":
                    inline = next((c for c in child.children if c.type == "inline"), None)
                    if inline is not None:
                        links(inline, "numbered", depth, line)
                elif child.type in ("bullet_list", "ordered_list"):
                    walk_list(child, depth + 1)

    for index, node in enumerate(tree.children):
        line = (node.map[0] + 1) if node.map else 0
        if node.type == "heading" and (index > 0 or seen_list):
            inline = next((c for c in node.children if c.type == "inline"), None)
            items.append(SummaryItem("part", inline.content if inline else "", "", 0, line))
        elif node.type in ("bullet_list", "ordered_list"):
            seen_list = True
            walk_list(node, 0)
        elif node.type == "paragraph":
            inline = next((c for c in node.children if c.type == "inline"), None)
            if inline is not None:
                links(inline, "suffix" if seen_list else "prefix", 0, line)
    return items


def _source_of(node: SyntaxTreeNode) -> str:
    """The Markdown a link text's node was written as (close enough for a title)."""
    if node.type == "code_inline":
        return f"`{node.content}`"
    if node.type in ("em", "strong"):
        mark = "*" if node.type == "em" else "**"
        return mark + "".join(_source_of(c) for c in node.children) + mark
    if node.children:
        return "".join(_source_of(c) for c in node.children)
    return node.content


def leading_title(text: str) -> tuple[str, int, int] | None:
    """A chapter's title when it opens with a heading, as mdBook chapters do (``#``, or
    ``##`` in a nested chapter): its Markdown, and the lines it takes (from 0, end
    excluded); None otherwise."""
    tree = SyntaxTreeNode(MarkdownIt("commonmark").parse(text))
    first = next((n for n in tree.children if n.type != "html_block"), None)
    if first is None or first.type != "heading" or not first.map:
        return None
    inline = next((c for c in first.children if c.type == "inline"), None)
    return (inline.content if inline else "", first.map[0], first.map[1])


def link_targets(text: str) -> list[str]:
    """Every link destination of a Markdown text, inline and reference definitions, as
    markdown-it reads them."""
    env: dict[str, object] = {}
    tokens = MarkdownIt("commonmark", {"html": True}).parse(text, env)
    found: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrs.get("href", "")))
    references = env.get("references", {})
    if isinstance(references, dict):
        found += [str(ref.get("href", "")) for ref in references.values() if isinstance(ref, dict)]
    return found
