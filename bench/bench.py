"""The benchmark: how long pubtool takes, and Pandoc for the same outputs.

Run it with one command from the repository (after ./dev setup):

    .venv/bin/python bench/bench.py              # books of 1x, 10x and 50x the sample
    .venv/bin/python bench/bench.py --factors 1 10

For each size it prints wall time, CPU time and peak memory (RSS) of `pubtool epub`,
`pubtool pdf`, `pubtool pdf --booklet` and `pubtool build` (cold, then with nothing
changed), of Pandoc making the same outputs once each (where Pandoc is installed), and
of WeasyPrint rendering pubtool's own print HTML directly. Then it times
`pubtool i18n update` on a 10,000-paragraph book with one paragraph in ten edited.
It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import edit_one_paragraph, edit_tenth, paragraphs_book, scaled_book

BIN = Path(sys.executable).parent
PUBTOOL = [sys.executable, "-m", "pubtool"]


def measure(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one command (and its children)."""
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def row(name: str, figures: tuple[float, float, float], pages: int | None = None) -> str:
    wall, cpu, rss = figures
    per_page = f"{1000 * wall / pages:8.1f}" if pages else " " * 8
    return f"  {name:<38} {wall:8.2f} {cpu:8.2f} {rss:8.0f} {per_page}"


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pandoc_runs(root: Path, out: Path) -> list[tuple[str, list[str]]]:
    chapters = [str(p) for p in sorted((root / "manuscript").glob("*.md"))]
    meta = ["--metadata", "title=Bench", "--resource-path", str(root / "manuscript")]
    return [
        ("pandoc -t epub3", ["pandoc", *chapters, *meta, "-t", "epub3", "-o", str(out / "p.epub")]),
        (
            "pandoc --pdf-engine=weasyprint",
            ["pandoc", *chapters, *meta, "--pdf-engine=weasyprint", "-o", str(out / "p.pdf")],
        ),
    ]


def bench_size(factor: int, scratch: Path) -> None:
    root = scaled_book(scratch / f"book-{factor}x", factor)
    print(f"\n{factor}x the sample book ({len(list((root / 'manuscript').glob('*.md')))} chapters)")
    print(f"  {'command':<38} {'wall s':>8} {'cpu s':>8} {'rss MiB':>8} {'ms/page':>8}")
    epub = measure([*PUBTOOL, "epub"], root)
    print(row("pubtool epub", epub))
    print(row("pubtool epub --lang zh", measure([*PUBTOOL, "epub", "--lang", "zh"], root)))
    derived = measure([*PUBTOOL, "epub", "--lang", "zh-Hant-TW"], root)
    print(row("pubtool epub --lang zh-Hant-TW (OpenCC)", derived))
    pdf = measure([*PUBTOOL, "pdf"], root)
    pages = pdf_pages(next((root / "build").glob("*-en.pdf")))
    print(row(f"pubtool pdf ({pages} pages)", pdf, pages))
    print(row("pubtool pdf --booklet", measure([*PUBTOOL, "pdf", "--booklet"], root), pages))
    shutil.rmtree(root / "build")
    cold = measure([*PUBTOOL, "build"], root)
    editions = list((root / "build").glob("*.epub"))  # one per language
    print(row(f"pubtool build ({len(editions)} editions, cold)", cold))
    print(row("pubtool build (nothing changed)", measure([*PUBTOOL, "build"], root)))
    edit_one_paragraph(root)
    print(row("pubtool build (one paragraph edited)", measure([*PUBTOOL, "build"], root)))
    direct = root / "direct"
    direct.mkdir()
    subprocess.run(
        [sys.executable, str(Path(__file__).parent / "print_html.py"), str(root), str(direct)],
        check=True,
    )
    weasyprint = [
        str(BIN / "weasyprint"),
        "-s",
        str(direct / "print.css"),
        str(direct / "book.html"),
        str(direct / "book.pdf"),
    ]
    tagged = measure([*weasyprint, "--pdf-variant", "pdf/ua-1"], root)
    print(row("weasyprint on pubtool's HTML, pdf/ua-1", tagged, pages))
    print(
        row(
            "pubtool pdf --pdf-variant none",
            measure([*PUBTOOL, "pdf", "--pdf-variant", "none"], root),
            pages,
        )
    )
    print(row("weasyprint on pubtool's HTML, untagged", measure(weasyprint, root), pages))
    if shutil.which("pandoc"):
        runs: dict[str, tuple[float, float, float]] = {}
        for name, command in pandoc_runs(root, direct):
            figures = measure(command, root)
            print(row(name, figures))
            runs[name] = figures
        epub_run, pdf_run = runs["pandoc -t epub3"], runs["pandoc --pdf-engine=weasyprint"]
        # build makes an EPUB, a PDF and a booklet in each language. Pandoc cannot impose
        # a booklet: once per output counts a second PDF run for it.
        n = len(editions)
        per_output = n * (epub_run[0] + 2 * pdf_run[0])
        per_output_cpu = n * (epub_run[1] + 2 * pdf_run[1])
        no_booklet = n * (epub_run[0] + pdf_run[0])
        print(row(f"pandoc, once per output ({n} x 3)", (per_output, per_output_cpu, pdf_run[2])))
        print(f"  ratio pubtool build / pandoc once per output: {cold[0] / per_output:.2f}")
        print(f"  ratio pubtool build / pandoc without booklets: {cold[0] / no_booklet:.2f}")
    else:
        print("  (pandoc is not installed: apt-get install pandoc)")


def bench_update(scratch: Path) -> None:
    root = paragraphs_book(scratch / "paragraphs", 10_000)
    edit_tenth(root)
    figures = measure([*PUBTOOL, "i18n", "update"], root)
    print("\n10,000 paragraphs, one in ten edited")
    print(row("pubtool i18n update", figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--skip-update", action="store_true")
    args = parser.parse_args()
    print(
        f"pubtool benchmark, {dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    help_time = measure([*PUBTOOL, "--help"], Path.cwd())
    print(row("pubtool --help", help_time))
    with tempfile.TemporaryDirectory() as folder:
        for factor in args.factors:
            bench_size(factor, Path(folder))
        if not args.skip_update:
            bench_update(Path(folder))


if __name__ == "__main__":
    main()
