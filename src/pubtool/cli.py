"""The ``pubtool`` command: parse arguments, call the pipeline, turn problems into exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pubtool import __version__, pipeline
from pubtool.errors import BuildFailed, PubtoolError, Report


def _print_report(report: Report, base: Path) -> None:
    for diagnostic in report.diagnostics:
        click.echo(diagnostic.format(base), err=True)


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.0f} KiB"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pubtool")
def main() -> None:
    """Publish one book in several languages, for e-readers and for print."""


@main.command()
@click.option(
    "--project",
    "-C",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="The book project's folder.",
)
@click.option(
    "--lang", "-l", metavar="LANG", help="The edition's language (default: the source language)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the EPUB (default: build/<slug>-<lang>.epub).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def epub(project: Path, lang: str | None, output: Path | None, strict: bool) -> None:
    """Build the EPUB 3 edition."""
    report = Report()
    base = Path.cwd()
    try:
        target = pipeline.build_epub(pipeline.Options(project, lang, output, strict), report)
    except BuildFailed as failed:
        _print_report(failed.report, base)
        counts = f"{len(failed.report.errors)} error(s), {len(failed.report.warnings)} warning(s)"
        reason = (
            "warnings are errors with --strict" if not failed.report.errors else "nothing written"
        )
        click.echo(f"pubtool: build failed: {counts}; {reason}", err=True)
        sys.exit(failed.exit_code)
    except PubtoolError as exc:
        _print_report(report, base)
        click.echo(exc.diagnostic.format(base), err=True)
        sys.exit(exc.exit_code)
    _print_report(report, base)
    try:
        shown = target.absolute().relative_to(base)
    except ValueError:
        shown = target
    click.echo(f"wrote {shown} ({_size(target)})")
