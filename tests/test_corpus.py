"""Every bad book of tests/corpus/ ends in its expected message, or in a correct book."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest
from conftest import epub_documents, run_pubtool, write_project

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.txt").exists())


def _png_header_only(width: int, height: int) -> bytes:
    """A small PNG that claims to be ``width`` × ``height``: black, 1 bit a pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\0" + b"\0" * ((width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def generate(name: str, root: Path, outside: Path) -> None:
    manuscript = root / "manuscript"
    if name == "big-chapter":  # about 5 MB in one chapter
        text = "The kiln glaze shows a river of colour over the bowl. " * 15
        body = "\n\n".join(f"{n}. {text}" for n in range(6000))
        (manuscript / "02-big.md").write_text(f"---\ntitle: Big\n---\n\n{body}\n")
    elif name == "many-paragraphs":
        body = "\n\n".join(f"Paragraph {n} of a long book." for n in range(10_000))
        (manuscript / "02-many.md").write_text(f"---\ntitle: Many\n---\n\n{body}\n")
    elif name == "decompression-bomb":
        (manuscript / "huge.png").write_bytes(_png_header_only(20_000, 20_000))
    elif name == "symlink-outside":
        (outside / "secret.png").write_bytes(_png_header_only(4, 4))
        (manuscript / "pic.png").symlink_to(outside / "secret.png")
    elif name == "symlink-loop":
        (manuscript / "02-loop.md").symlink_to("02-loop.md")
    elif name == "huge-catalog":  # 50 MB; only its size is read, so a sparse file will do
        folder = root / "locales" / "zh" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "ch-01-first.po").open("wb") as po:
            po.truncate(50_000_000)
    elif name == "build-file":
        (root / "build").write_text("a file where the folder should be")
    else:
        raise AssertionError(f"unknown generator {name!r}")


def read_case(name: str) -> dict[str, list[str]]:
    case: dict[str, list[str]] = {}
    for line in (CORPUS / name / "case.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        case.setdefault(key, []).append(value)
    return case


#: Cases of large books (megabytes of chapter): out of the fast tier.
LARGE = {"chapter-of-5-mb", "ten-thousand-paragraphs"}


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in LARGE else n for n in CASES]
)
def test_case(name: str, tmp_path: Path) -> None:
    case = read_case(name)
    root = write_project(tmp_path / "book", {})
    shutil.copytree(
        CORPUS / name, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("case.txt")
    )
    for generator in case.get("generate", []):
        generate(generator, root, tmp_path)
    command = case.get("command", ["epub"])[0].split()
    result = run_pubtool(*command, cwd=root)
    printed = result.stderr + result.stdout
    assert result.code == int(case["exit"][0]), printed
    assert "Traceback" not in printed
    for line in case.get("expect", []):
        assert line.replace("BOOK", str(root)) in printed.splitlines(), printed
    if result.code == 0:
        outputs = case.get("output", []) or [
            str(p.relative_to(root)) for p in (root / "build").glob("*.epub")
        ]
        for output in outputs:
            documents = epub_documents(root / output)  # every document parses as XHTML
            assert len(documents) >= 5
    else:
        assert not list((root / "build").glob("*.epub")) if (root / "build").is_dir() else True
