"""Make large books for the benchmark: the sample book's chapters repeated, with a
generated Chinese catalog that translates every message."""

from __future__ import annotations

import io
import random
import shutil
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from pubtool.commands.translate import update  # noqa: E402
from pubtool.errors import Report  # noqa: E402
from pubtool.project import Project  # noqa: E402


def scaled_book(target: Path, factor: int) -> Path:
    """The sample book with every chapter ``factor`` times (chapters 01a, 01b...)."""
    if target.exists():
        shutil.rmtree(target)
    (target / "manuscript").mkdir(parents=True)
    shutil.copytree(REPO / "manuscript" / "images", target / "manuscript" / "images")
    for name in ("book.yaml", "glossary.yaml"):
        shutil.copy(REPO / "manuscript" / name, target / "manuscript" / name)
    for chapter in sorted((REPO / "manuscript").glob("*.md")):
        for copy in range(factor):
            text = chapter.read_text(encoding="utf-8")
            if factor > 1:
                text = text.replace("title: ", f"title: ({copy + 1}) ", 1)
            (target / "manuscript" / f"{chapter.stem}-{copy:03d}.md").write_text(text, "utf-8")
    translate_everything(target)
    return target


def paragraphs_book(target: Path, paragraphs: int, chapters: int = 10) -> Path:
    """A book of ``paragraphs`` distinct generated paragraphs, fully translated."""
    if target.exists():
        shutil.rmtree(target)
    (target / "manuscript").mkdir(parents=True)
    (target / "manuscript" / "book.yaml").write_text("title: Long\nlanguage: en\nlanguages: [zh]\n")
    words = [
        "kiln",
        "glaze",
        "coal",
        "noodle",
        "shadow",
        "river",
        "city",
        "bowl",
        "fire",
        "lake",
        "miner",
        "lamp",
    ]
    rng = random.Random(7)
    per = paragraphs // chapters
    for c in range(chapters):
        body = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(25)).capitalize() + f" {c}.{n}."
            for n in range(per)
        )
        (target / "manuscript" / f"{c:02d}.md").write_text(f"---\ntitle: Part {c}\n---\n\n{body}\n")
    translate_everything(target)
    return target


def translate_everything(root: Path) -> None:
    update(Project.at(root), "zh", Report())
    for po in (root / "locales" / "zh" / "LC_MESSAGES").glob("*.po"):
        catalog = read_po(io.BytesIO(po.read_bytes()))
        for message in catalog:
            if message.id and not message.string:
                message.string = "译" + message.id if isinstance(message.id, str) else ""
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=76)
        po.write_bytes(buffer.getvalue())


def edit_tenth(root: Path) -> None:
    """Change one paragraph in ten (a word appended), as an author's revision would."""
    for chapter in sorted((root / "manuscript").glob("*.md")):
        head, _, body = chapter.read_text().partition("---\n\n")
        parts = body.split("\n\n")
        for n in range(0, len(parts), 10):
            parts[n] = parts[n].rstrip(".") + " again."
        chapter.write_text(head + "---\n\n" + "\n\n".join(parts))


def edit_one_paragraph(root: Path) -> None:
    """Change the last paragraph of the first chapter: an author saving one edit."""
    chapter = sorted((root / "manuscript").glob("*.md"))[0]
    text = chapter.read_text(encoding="utf-8").rstrip()
    chapter.write_text(text.rstrip(".") + ", once more.\n", encoding="utf-8")
