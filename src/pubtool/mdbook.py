"""``pubtool import mdbook``: an mdBook made into a pubtool project that builds at once.

mdBook keeps its metadata in ``book.toml`` and its order in ``src/SUMMARY.md``: prefix
chapters, numbered chapters (nested), part titles, suffix chapters and drafts. Each maps
to pubtool's ``contents`` in book.yaml: prefix chapters are front matter, numbered ones
chapters (a nested one a sub-chapter; pubtool has one level of them), part titles parts,
suffix chapters back matter. Each chapter is copied with the ``#`` heading it opens with
as its front matter title; everything else under ``src/`` (images) is copied as it is, and
every file an include names, at the same place relative to the chapter, so includes keep
working. A link to a chapter that is not in SUMMARY.md points at the chapter online
(``--site-url``, book.toml's ``site-url``, or its source in ``git-repository-url``).
Whatever cannot be mapped is reported at its place. Nothing is written over: the project
is made in a temporary folder beside the destination and renamed into place.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from pubtool import includes
from pubtool.errors import Location, PubtoolError, Report
from pubtool.manuscript import SummaryItem, leading_title, link_targets, summary_items
from pubtool.textfiles import read_text
from pubtool.yamldoc import dump_yaml


@dataclass
class _Import:
    source: Path  # the mdBook's folder (book.toml)
    src: Path  # its src/
    staging: Path  # the project being made
    report: Report
    online: str  # where chapters outside the book are read ("" for nowhere)
    chapters: dict[Path, str] = field(default_factory=dict)  # source file -> title
    copied: set[Path] = field(default_factory=set)

    def destination(self, path: Path) -> Path:
        """Where a file of the mdBook goes: src/ is manuscript/, and a file beside src/
        that an include names (``../listings/…``) goes into manuscript/ too, at the same
        path from the mdBook's folder (``manuscript/listings/…``), where builds and the
        preview see its changes."""
        if path.is_relative_to(self.src):
            return self.staging / "manuscript" / path.relative_to(self.src)
        return self.staging / "manuscript" / path.relative_to(self.source)

    def rewritten_includes(self, path: Path, text: str) -> str:
        """``text`` of ``path`` with each include's path made to lead, from the file's
        new place, to where the file it names was copied."""

        def rewrite(match: re.Match[str]) -> str:
            if match.group("escape") or match.group("name") not in includes.INCLUDES:
                return match.group(0)
            target, colon, part = match.group("args").strip().partition(":")
            real = (path.parent / target).resolve()
            if not real.is_relative_to(self.source):
                return match.group(0)
            moved = os.path.relpath(self.destination(real), self.destination(path).parent)
            return "{{#" + match.group("name") + " " + Path(moved).as_posix() + colon + part + "}}"

        return includes.DIRECTIVE.sub(rewrite, text)


def import_mdbook(source: Path, target: Path, report: Report, site_url: str = "") -> list[Path]:
    """Make the pubtool project ``target`` from the mdBook at ``source``; the files written."""
    source = source.resolve()
    toml_path = source / "book.toml"
    if not toml_path.is_file():
        raise PubtoolError(
            f"{source} has no book.toml: it is not an mdBook",
            hint="give the folder that holds book.toml and src/SUMMARY.md",
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PubtoolError(
            f"{target} already exists; import writes over nothing, so nothing was written",
            hint="give a new folder (or an empty one) as the destination",
        )
    try:
        config = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PubtoolError(
            f"book.toml cannot be read: {exc}", location=Location(toml_path)
        ) from None
    book = config.get("book", {})
    src = (source / str(book.get("src", "src"))).resolve()
    summary = src / "SUMMARY.md"
    if not summary.is_file():
        raise PubtoolError(f"no {summary.relative_to(source)}: the mdBook has no table of contents")
    html = config.get("output", {}).get("html", {})
    online = site_url or str(html.get("site-url", ""))
    if not online and html.get("git-repository-url"):
        online = str(html["git-repository-url"]).rstrip("/") + "/blob/HEAD/" + src.name + "/"
    _report_toml(config, toml_path, report)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pubtool-import-", dir=target.parent))
    try:
        job = _Import(source, src, staging, report, online)
        text = read_text(summary, report) or ""
        contents = _contents(job, summary_items(text), summary)
        report.stop_if_failed()
        for path in list(job.chapters):
            _copy_chapter(job, path)
        _copy_assets(job)
        metadata: dict[str, Any] = {
            "title": str(book.get("title") or source.name),
            "language": str(book.get("language") or "en"),
        }
        if book.get("authors"):
            metadata["authors"] = [str(a) for a in book["authors"]]
        if book.get("description"):
            metadata["description"] = str(book["description"])
        metadata["contents"] = contents
        yaml_text = (
            f"# Made by `pubtool import mdbook` from {toml_path.name} and SUMMARY.md.\n"
            + dump_yaml(metadata)
        )
        (staging / "manuscript").mkdir(parents=True, exist_ok=True)
        (staging / "manuscript" / "book.yaml").write_text(yaml_text, encoding="utf-8")
        (staging / ".gitignore").write_text("build/\n*.mo\n", encoding="utf-8")
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        if target.exists():
            target.rmdir()  # empty: checked above
        staging.chmod(0o755)
        staging.rename(target)  # the whole project appears at once
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in written]


def _report_toml(config: dict[str, Any], path: Path, report: Report) -> None:
    where = Location(path)
    for name in config.get("preprocessor", {}):
        if name not in ("links", "index"):
            report.warning(
                "import-preprocessor",
                f"mdBook preprocessor {name!r} is not run: what it adds is not in the book",
                where,
                "pubtool reads includes itself; other preprocessors have no equivalent",
            )
    for name in config.get("output", {}):
        if name != "html":
            report.note("import-output", f"mdBook output {name!r} has no equivalent", where)


def _contents(job: _Import, items: list[SummaryItem], summary: Path) -> dict[str, Any]:
    """book.yaml's ``contents`` for SUMMARY.md's items; each chapter file noted in
    ``job.chapters``."""
    front: list[Any] = []
    body: list[Any] = []
    back: list[Any] = []
    part: dict[str, Any] | None = None
    parent: dict[str, Any] | None = None
    for item in items:
        where = Location(summary, item.line)
        if item.kind == "part":
            part = {"part": item.title, "chapters": []}
            body.append(part)
            parent = None
            continue
        if not item.href:
            job.report.note(
                "import-draft", f"draft chapter {item.title!r} (no file) is left out", where
            )
            continue
        path = (summary.parent / unquote(item.href)).resolve()
        if not path.is_file() or not path.is_relative_to(job.src):
            job.report.error(
                "import-missing",
                f"SUMMARY.md names {item.href!r}, which is not a file of {job.src.name}/",
                where,
            )
            continue
        job.chapters[path] = item.title
        name = path.relative_to(job.src).as_posix()
        if item.kind == "prefix":
            front.append(name)
        elif item.kind == "suffix":
            back.append({"file": name, "type": "afterword"})
        elif item.depth == 0 or parent is None:
            parent = {"file": name}
            (part["chapters"] if part is not None else body).append(parent)
        else:
            if item.depth > 1:
                job.report.warning(
                    "import-depth",
                    f"{item.title!r} is nested {item.depth + 1} levels deep: it becomes a "
                    "sub-chapter of the chapter above it (pubtool has one level of them)",
                    where,
                )
            parent.setdefault("chapters", []).append(name)
    contents: dict[str, Any] = {}
    if front:
        contents["front"] = front
    contents["chapters"] = body
    if back:
        contents["back"] = back
    return contents


def _copy_chapter(job: _Import, path: Path) -> None:
    """The chapter with its title as front matter, its links to chapters outside the
    book pointed online, and the files its includes name copied."""
    text = read_text(path, job.report)
    if text is None:
        return
    lines = text.splitlines(keepends=True)
    found = leading_title(text)
    title = job.chapters[path]
    if found is not None:
        title, start, end = found
        del lines[start:end]
    body = _outside_links(job, path, "".join(lines).lstrip("\n"), text)
    front = dump_yaml({"title": title.strip()})
    out = job.destination(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    body = job.rewritten_includes(path, body)
    out.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    job.copied.add(path)
    _copy_includes(job, path, text, ())


def _outside_links(job: _Import, path: Path, text: str, source: str) -> str:
    """Links to chapter files that are not in the book, pointed at the chapter online
    (or reported, when there is nowhere to point them); ``source`` is the chapter as
    written, where they are reported."""
    for href in dict.fromkeys(link_targets(text)):
        if urlsplit(href).scheme or href.startswith("#") or not href:
            continue
        page, _, fragment = href.partition("#")
        target = (path.parent / unquote(page)).resolve()
        stem = target.with_suffix(".md")
        if target.suffix.lower() not in (".md", ".html") or stem in job.chapters:
            continue
        at = source.find(href)
        where = Location(path, source.count("\n", 0, at) + 1 if at >= 0 else None)
        in_book = stem.is_relative_to(job.src)
        repository = "/blob/" in job.online
        if not job.online or (repository and not in_book):
            job.report.warning(
                "import-link",
                f"link {href!r} leads to a page that is not in SUMMARY.md",
                where,
                "give --site-url with the address of the book online, or remove the link",
            )
            continue
        if repository:  # the chapter's source in the book's repository
            address = job.online + stem.relative_to(job.src).as_posix()
        else:
            address = urljoin(job.online.rstrip("/") + "/", page)
        address += f"#{fragment}" if fragment else ""
        replaced = text.replace(f"]({href})", f"]({address})").replace(
            f"]: {href}", f"]: {address}"
        )
        replaced = replaced.replace(f"]({href} ", f"]({address} ")
        if replaced == text:
            job.report.warning("import-link", f"link {href!r} could not be pointed online", where)
        else:
            job.report.note(
                "import-link",
                f"link {href!r} leads outside the book: it now points at {address}",
                where,
            )
        text = replaced
    return text


def _copy_includes(job: _Import, path: Path, text: str, stack: tuple[Path, ...]) -> None:
    for match in includes.DIRECTIVE.finditer(text):
        if match.group("escape"):
            continue
        line = text.count("\n", 0, match.start()) + 1
        where = Location(path, line)
        if match.group("name") not in includes.INCLUDES:
            includes.unsupported(match.group("name"), where, job.report)
            continue
        target = (path.parent / match.group("args").strip().partition(":")[0]).resolve()
        if not target.is_relative_to(job.source):
            job.report.warning(
                "import-include",
                f"include {match.group('args').strip()!r} is outside the mdBook: not copied",
                where,
            )
            continue
        if target in job.copied or target in stack or not target.is_file():
            continue  # a missing file is reported when the book is built, at this line
        out = job.destination(target)
        out.parent.mkdir(parents=True, exist_ok=True)
        job.copied.add(target)
        if target.suffix.lower() == ".md":
            inner = read_text(target, job.report) or ""
            out.write_text(job.rewritten_includes(target, inner), encoding="utf-8")
            _copy_includes(job, target, inner, (*stack, path))
        else:
            shutil.copyfile(target, out)


def _copy_assets(job: _Import) -> None:
    """Every file of src/ that is not a chapter (images, data), as it is."""
    for path in sorted(job.src.rglob("*")):
        if not path.is_file() or path in job.copied:
            continue
        if path.suffix.lower() == ".md":
            if path.name != "SUMMARY.md":
                job.report.note(
                    "import-unlisted",
                    f"{path.relative_to(job.src)} is not in SUMMARY.md: left out, as mdBook does",
                    Location(path),
                )
            continue
        if any(part.startswith(".") for part in path.relative_to(job.src).parts):
            continue
        out = job.destination(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)
        job.copied.add(path)
