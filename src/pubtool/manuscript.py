"""Read Markdown chapters (markdown-it-py) and the term syntax into the document model.

A chapter is CommonMark with GFM tables and footnotes, YAML front matter holding its
``title``, and MyST-style term references: {term}`yao-bian` or {term}`label <yao-bian>`.
Every block keeps the line it came from, so later stages can point the author at it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from pubtool import images, xhtml
from pubtool.config import slugify
from pubtool.errors import Location, Report
from pubtool.model import (
    Block,
    BlockQuote,
    Chapter,
    Code,
    CodeBlock,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    HtmlBlock,
    HtmlElement,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Strong,
    Table,
    TableCell,
    TermRef,
    Text,
    ThematicBreak,
    plain_text,
)
from pubtool.sources import read_text
from pubtool.yamldoc import LinedDict, load_yaml

_TERM_WITH_LABEL = re.compile(r"^(?P<label>.*?)\s*<(?P<id>[^<>]+)>\s*$", re.DOTALL)
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


def chapter_paths(root: Path) -> list[Path]:
    """Every chapter of the project, in file-name order."""
    return sorted((root / "manuscript").glob("*.md"), key=lambda p: p.name)


def chapter_id(path: Path) -> str:
    """The name a chapter's document gets in every edition: its file stem, made safe."""
    return "ch-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-").lower() or "chapter")


@dataclass
class _Context:
    """What converting one file needs: where it is, where problems go, what was seen so far."""

    path: Path
    report: Report
    root: Path
    images: dict[Path, str]
    footnote_numbers: dict[int, int] = field(default_factory=dict)  # markdown-it's id -> ours
    anchors: set[str] = field(default_factory=set)


class MarkdownReader:
    """Reads the chapters of one project; shares image names across chapters."""

    def __init__(self, root: Path, report: Report) -> None:
        self.root = root.resolve()
        self.report = report
        self.md = (
            MarkdownIt("commonmark", {"html": True, "typographer": True})
            .enable(["table", "replacements", "smartquotes"])
            .enable("strikethrough")
            .use(front_matter_plugin)
            .use(footnote_plugin)
            .use(myst_role_plugin)
            .use(attrs_plugin, after=("image",), allowed=("class",))  # ![](x.png){.decorative}
        )
        #: source image -> name inside the edition, for every image of the book
        self.images: dict[Path, str] = {}
        #: section anchors: unique in the whole book, so one print document can hold it
        self.anchors: set[str] = set()

    # ------------------------------------------------------------ chapters

    def read_chapter(self, path: Path) -> Chapter | None:
        text = read_text(path, self.report)
        if text is None:
            return None
        ctx = _Context(path, self.report, self.root, self.images, anchors=self.anchors)
        tokens = self.md.parse(text)
        location = Location(path, 1)
        title: tuple[Inline, ...] | None = None
        title_source = ""
        if tokens and tokens[0].type == "front_matter":
            title, title_source, title_line = self._front_matter(tokens[0], ctx)
            location = Location(path, title_line)
            tokens = tokens[1:]
        else:
            self.report.error(
                "chapter-title",
                "chapter has no title",
                location,
                "start the file with front matter:\n    ---\n    title: The Coal City\n    ---",
            )
        body, footnote_tokens = _split_footnotes(tokens)
        blocks = self._blocks(body, ctx)
        footnotes = self._footnotes(footnote_tokens, ctx)
        if title is None:
            return None
        return Chapter(
            chapter_id(path), path, title, tuple(blocks), footnotes, location, title_source
        )

    def _front_matter(
        self, token: Token, ctx: _Context
    ) -> tuple[tuple[Inline, ...] | None, str, int]:
        data = load_yaml(token.content, ctx.path, ctx.report, first_line=2)
        where = Location(ctx.path, 1)
        if data is None:
            if not token.content.strip():
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
        source = str(title).strip()
        where = Location(ctx.path, data.key_lines["title"])
        return self.parse_inline(source, where, ctx), source, where.line or 1

    # ------------------------------------------------------------ blocks

    def _blocks(self, tokens: list[Token], ctx: _Context) -> list[Block]:
        blocks: list[Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            where = Location(ctx.path, token.map[0] + 1 if token.map else None)
            end = _close_index(tokens, i)
            inner = tokens[i + 1 : end]
            match token.type:
                case "paragraph_open":
                    children = self._inlines(inner[0], ctx) if inner else ()
                    if len(children) == 1 and isinstance(children[0], Image):
                        blocks.append(Figure(children[0], where))
                    elif children:
                        blocks.append(Paragraph(children, where, msgid(inner[0].content)))
                case "heading_open":
                    children = self._inlines(inner[0], ctx)
                    anchor = _unique(
                        ctx.anchors, "sec-" + (slugify(plain_text(children)) or "section")
                    )
                    source = msgid(inner[0].content)
                    blocks.append(Heading(int(token.tag[1]), children, anchor, where, source))
                case "blockquote_open":
                    blocks.append(BlockQuote(tuple(self._blocks(inner, ctx)), where))
                case "bullet_list_open" | "ordered_list_open":
                    blocks.append(self._list(token, inner, ctx, where))
                case "fence" | "code_block":
                    blocks.append(CodeBlock(token.content, token.info.strip(), where))
                case "table_open":
                    blocks.append(self._table(inner, ctx, where))
                case "hr":
                    blocks.append(ThematicBreak(where))
                case "html_block":
                    children = xhtml.parse_block(token.content, where, ctx.report)
                    if children:
                        blocks.append(HtmlBlock(children, where))
                case _:
                    pass
            i = end + 1
        return blocks

    def _list(self, token: Token, inner: list[Token], ctx: _Context, where: Location) -> ListBlock:
        items: list[tuple[Block, ...]] = []
        tight = True
        i = 0
        while i < len(inner):
            end = _close_index(inner, i)
            if inner[i].type == "list_item_open":
                item_tokens = inner[i + 1 : end]
                own_level = inner[i].level + 1  # paragraphs of nested lists do not count
                tight = tight and all(
                    t.hidden
                    for t in item_tokens
                    if t.type == "paragraph_open" and t.level == own_level
                )
                items.append(tuple(self._blocks(item_tokens, ctx)))
            i = end + 1
        start = int(token.attrs.get("start", 1)) if token.type == "ordered_list_open" else 1
        return ListBlock(token.type == "ordered_list_open", start, tuple(items), tight, where)

    def _table(self, inner: list[Token], ctx: _Context, where: Location) -> Table:
        head: list[tuple[TableCell, ...]] = []
        body: list[tuple[TableCell, ...]] = []
        section = head
        row: list[TableCell] = []
        align = ""
        for token in inner:
            match token.type:
                case "thead_open":
                    section = head
                case "tbody_open":
                    section = body
                case "tr_open":
                    row = []
                case "th_open" | "td_open":
                    style = str(token.attrs.get("style", ""))
                    align = style.removeprefix("text-align:") if style else ""
                case "inline":
                    row.append(TableCell(self._inlines(token, ctx), align, msgid(token.content)))
                case "tr_close":
                    section.append(tuple(row))
        return Table(tuple(head), tuple(body), where)

    def _footnotes(self, tokens: list[Token], ctx: _Context) -> tuple[Footnote, ...]:
        notes: list[Footnote] = []
        i = 0
        while i < len(tokens):
            end = _close_index(tokens, i)
            token = tokens[i]
            if token.type == "footnote_open":
                index = int(token.meta["id"])
                number = ctx.footnote_numbers.get(index)
                inner = [t for t in tokens[i + 1 : end] if t.type != "footnote_anchor"]
                first = next((t for t in inner if t.map), None)
                where = Location(ctx.path, first.map[0] + 1 if first and first.map else None)
                if number is None:
                    ctx.report.warning(
                        "footnote-unused",
                        f"footnote [^{token.meta['label']}] is never referenced",
                        where,
                    )
                else:
                    label = str(token.meta["label"])
                    notes.append(Footnote(number, label, tuple(self._blocks(inner, ctx)), where))
            i = end + 1
        return tuple(sorted(notes, key=lambda n: n.number))

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
            labels = footnotes or {}
            ctx.footnote_numbers.update({n - 1: n for n in labels.values()})
            env["footnotes"] = {
                "refs": {f":{label}": n - 1 for label, n in labels.items()},
                "list": {n - 1: {"label": label, "count": 0} for label, n in labels.items()},
            }
        tokens = self.md.parseInline(text, env)
        if not tokens:
            return ()
        tokens[0].map = [where.line - 1, where.line] if where.line else None
        return self._inlines(tokens[0], ctx)

    def _inlines(self, token: Token, ctx: _Context) -> tuple[Inline, ...]:
        line = token.map[0] + 1 if token.map else None
        builder = _InlineBuilder(self, ctx, line)
        for child in token.children or []:
            builder.feed(child)
        return builder.finish()

    def term_ref(self, content: str, where: Location, ctx: _Context) -> TermRef:
        match = _TERM_WITH_LABEL.match(content)
        if match:
            label = self.parse_inline(match.group("label"), where, ctx)
            return TermRef(match.group("id").strip(), label or None, where)
        return TermRef(content.strip(), None, where)

    def image(self, token: Token, where: Location, ctx: _Context) -> Image | None:
        src = str(token.attrs.get("src", ""))
        alt = plain_text(self._inlines(token, ctx)) if token.children else token.content
        if urlsplit(src).scheme:
            ctx.report.error(
                "image-remote",
                f"image {src!r} is not a file of the project",
                where,
                "download it into the project (e.g. manuscript/images/) and link to that file",
            )
            return None
        source = (ctx.path.parent / unquote(src)).absolute()
        real = source.resolve()
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
        decorative = "decorative" in str(token.attrs.get("class", "")).split()
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
        title = str(token.attrs.get("title", "") or "")
        return Image(href, alt.strip(), real, title, decorative)


class _InlineBuilder:
    """Builds nested inlines from markdown-it's flat open/close token stream."""

    def __init__(self, reader: MarkdownReader, ctx: _Context, line: int | None) -> None:
        self.reader, self.ctx, self.line = reader, ctx, line
        # each frame: (token type that closes it, factory, children so far)
        self.stack: list[tuple[str, object, list[Inline]]] = [("", None, [])]

    @property
    def where(self) -> Location:
        return Location(self.ctx.path, self.line)

    def add(self, node: Inline) -> None:
        self.stack[-1][2].append(node)

    def open(self, closer: str, factory: object) -> None:
        self.stack.append((closer, factory, []))

    def close(self, closer: str) -> None:
        if not any(frame[0] == closer for frame in self.stack[1:]):
            return
        while self.stack[-1][0] != closer:
            self._pop()
        self._pop()

    def _pop(self) -> None:
        _, factory, children = self.stack.pop()
        made = factory(tuple(children)) if callable(factory) else None
        if made is None:
            self.stack[-1][2].extend(children)
        else:
            self.add(made)

    def feed(self, token: Token) -> None:
        match token.type:
            case "text":
                self.add(Text(token.content))
            case "softbreak":
                self.add(Text(" "))
                self.line = self.line + 1 if self.line else None
            case "hardbreak":
                self.add(LineBreak())
                self.line = self.line + 1 if self.line else None
            case "code_inline":
                self.add(Code(token.content))
            case "em_open":
                self.open("em_close", Emphasis)
            case "strong_open":
                self.open("strong_close", Strong)
            case "s_open":
                self.open("s_close", lambda c: HtmlElement("s", (), c))
            case "link_open":
                self.open("link_close", self._link_factory(token))
            case "em_close" | "strong_close" | "link_close" | "s_close":
                self.close(token.type)
            case "image":
                image = self.reader.image(token, self.where, self.ctx)
                if image is not None:
                    self.add(image)
            case "myst_role":
                self._role(token)
            case "footnote_ref":
                self._footnote_ref(token)
            case "html_inline":
                self._html(token.content)
            case _:
                if token.content:
                    self.add(Text(token.content))

    def _link_factory(self, token: Token) -> object:
        href = str(token.attrs.get("href", ""))
        title = str(token.attrs.get("title", "") or "")
        scheme = urlsplit(href).scheme.lower()
        where = self.where
        if scheme in {"javascript", "vbscript", "data"}:
            self.ctx.report.warning("html-dropped", f"{scheme}: link removed", where)
            return None
        if not scheme and not href.startswith("#"):
            path, _, fragment = href.partition("#")
            if path.endswith(".md"):
                target = self.ctx.path.parent / unquote(path)
                if not target.is_file():
                    self.ctx.report.warning(
                        "link-broken", f"link to missing chapter {path!r}", where
                    )
                    return None
                href = f"{chapter_id(target)}.xhtml" + (f"#{fragment}" if fragment else "")
            else:
                self.ctx.report.warning(
                    "link-local",
                    f"link to local file {href!r} removed: only chapters can be linked",
                    where,
                    "link to a chapter (other.md) or to a web address",
                )
                return None
        return lambda children: Link(href, children, title)

    def _role(self, token: Token) -> None:
        name = token.meta.get("name", "")
        if name == "term":
            self.add(self.reader.term_ref(token.content, self.where, self.ctx))
        else:
            self.ctx.report.warning(
                "role-unknown",
                f"unknown role {{{name}}}; shown as plain text",
                self.where,
                "the known role is {term}`id`",
            )
            self.add(Text(token.content))

    def _footnote_ref(self, token: Token) -> None:
        numbers = self.ctx.footnote_numbers
        number = numbers.setdefault(int(token.meta["id"]), len(numbers) + 1)
        self.add(FootnoteRef(number))

    def _html(self, source: str) -> None:
        tag = xhtml.parse_tag(source)
        if tag is None:
            return
        if tag.closing:
            self.close(f"html:{tag.name}")
            return
        action, attrs = xhtml.clean_element(tag.name, tag.attrs, self.where, self.ctx.report)
        if action == "keep" and tag.void:
            self.add(HtmlElement(tag.name, attrs, ()))
        elif action == "keep":
            self.open(f"html:{tag.name}", lambda c, n=tag.name, a=attrs: HtmlElement(n, a, c))
        elif action == "drop" and not tag.void:
            self.open(f"html:{tag.name}", lambda c: Text(""))
        elif not tag.void:
            self.open(f"html:{tag.name}", None)

    def finish(self) -> tuple[Inline, ...]:
        while len(self.stack) > 1:
            self._pop()
        return _merge_text(tuple(self.stack[0][2]))


def msgid(content: str) -> str:
    """The catalog msgid of inline Markdown: soft line breaks folded into single spaces.

    Hard breaks (a backslash or two spaces at the end of a line) stay line breaks.
    """
    raw = content.split("\n")
    out = raw[0].strip()
    for previous, line in itertools.pairwise(raw):
        if previous.endswith("\\"):
            out += "\n"
        elif previous.endswith("  "):
            out += "\\\n"  # the same break, written so that it survives stripping
        else:
            out += " "
        out += line.strip()
    return out.strip()


def _merge_text(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def _close_index(tokens: list[Token], i: int) -> int:
    """The index of the token that closes ``tokens[i]`` (itself if it opens nothing)."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            end = _close_index(tokens, i)
            return tokens[:i] + tokens[end + 1 :], tokens[i + 1 : end]
    return tokens, []


def _unique(taken: set[str], base: str, suffix: str = "") -> str:
    name, n = base + suffix, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{suffix}"
    taken.add(name)
    return name
