"""The ``pubtool`` command: parse arguments, call the pipeline, turn problems into exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

import click
from click.decorators import FC

from pubtool import __version__
from pubtool.errors import BuildFailed, Diagnostic, PubtoolError, Report, Severity
from pubtool.project import Project

# The pipeline is imported inside each command that runs it: importing it pulls in every
# library (0.4 s), and `pubtool --help` and completion need none of them.

# Written here, not imported, so that `pubtool --help` need not import WeasyPrint or
# pikepdf; tests/test_build.py checks them against writers/pdf.py and impose.py.
PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/x-4", "none")
SHEET_NAMES = ("A4", "A3", "SRA4", "SRA3", "letter", "legal", "tabloid")

T = TypeVar("T")


def _shown(path: Path) -> str:
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _wrote(path: Path) -> None:
    click.echo(f"wrote {_shown(path)} ({path.stat().st_size / 1024:.0f} KiB)")


def _run(action: Callable[[Report], T]) -> T:
    """Run ``action``; print its diagnostics; exit 1 (or 2) with a message if it fails."""
    report = Report()
    base = Path.cwd()
    try:
        result = action(report)
    except KeyboardInterrupt:
        click.echo("pubtool: interrupted; the previous outputs are as they were", err=True)
        sys.exit(130)
    except BuildFailed as failed:
        for diagnostic in failed.report.diagnostics:
            click.echo(diagnostic.format(base), err=True)
        counts = f"{len(failed.report.errors)} error(s), {len(failed.report.warnings)} warning(s)"
        reason = "nothing written" if failed.report.errors else "warnings are errors with --strict"
        click.echo(f"pubtool: failed: {counts}; {reason}", err=True)
        sys.exit(failed.exit_code)
    except PubtoolError as exc:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.format(base), err=True)
        click.echo(exc.diagnostic.format(base), err=True)
        sys.exit(exc.exit_code)
    for diagnostic in report.diagnostics:
        click.echo(diagnostic.format(base), err=True)
    return result


project_option = click.option(
    "--project",
    "-C",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="The book project's folder.",
)


edition_lang_option = click.option(
    "--lang", "-l", metavar="LANG", help="The edition's language (default: the source)."
)


def all_languages_option(verb: str) -> Callable[[FC], FC]:
    return click.option(
        "--lang",
        "-l",
        metavar="LANG|all",
        default="all",
        show_default=True,
        help=f"{verb} one language's editions, or all.",
    )


strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def output_option(kind: str, default: str) -> Callable[[FC], FC]:
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Where to write the {kind} (default: {default}).",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pubtool")
def main() -> None:
    """Publish one book in several languages, for e-readers and for print."""


@main.command()
@project_option
@edition_lang_option
@output_option("EPUB", "build/<slug>-<lang>.epub")
@strict_option
def epub(project: Path, lang: str | None, output: Path | None, strict: bool) -> None:
    """Build the EPUB 3 edition."""
    from pubtool import pipeline

    options = pipeline.Options(Project.at(project), lang, output, strict)
    target = _run(lambda report: pipeline.build_epub(options, report))
    _wrote(target)


@main.command()
@project_option
@edition_lang_option
@output_option("PDF", "build/<slug>-<lang>.pdf")
@strict_option
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default="pdf/ua-1",
    show_default=True,
    help="PDF standard to follow; pdf/ua-1 is a tagged, accessible PDF.",
)
@click.option("--booklet", is_flag=True, help="Also impose a saddle-stitched booklet.")
@click.option(
    "--sheet",
    type=click.Choice(SHEET_NAMES),
    default="A4",
    show_default=True,
    help="The booklet's sheet (landscape, two pages a side).",
)
@click.option(
    "--signature",
    type=click.IntRange(0),
    default=0,
    metavar="N",
    help="Sheets per signature, for thick books (default: one signature).",
)
@click.option(
    "--creep",
    type=click.FloatRange(0),
    default=0.0,
    metavar="MM",
    help="Move the innermost sheet's pages this far toward the fold.",
)
@click.option("--marks", is_flag=True, help="Fold and crop marks outside the trim.")
@click.option(
    "--cover",
    "cover",
    is_flag=True,
    help="Also make the print-on-demand cover: back, spine and front with bleed and marks.",
)
def pdf(
    project: Path,
    lang: str | None,
    output: Path | None,
    strict: bool,
    pdf_variant: str,
    booklet: bool,
    sheet: str,
    signature: int,
    creep: float,
    marks: bool,
    cover: bool,
) -> None:
    """Build the print edition: an A5 book PDF, with --booklet a booklet to fold, and with
    --cover its cover (<name>-cover.pdf), the spine as wide as its pages are thick."""
    from pubtool import impose, pipeline

    options = pipeline.PdfOptions(
        Project.at(project),
        lang,
        output,
        strict,
        pdf_variant,
        booklet,
        impose.Imposition(sheet, signature, creep, marks),
        cover,
    )
    for target in _run(lambda report: pipeline.build_pdf(options, report)):
        _wrote(target)


@main.command()
@project_option
@all_languages_option("Build")
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="Also print every step with its time.")
def build(project: Path, lang: str, strict: bool, quiet: bool, verbose: bool) -> None:
    """Build every edition: EPUB, PDF and booklet in every language, in parallel.

    On a terminal a table shows each edition's progress; in a log, one line per step.
    Outputs whose inputs have not changed are left as they are.
    """
    book = Project.at(project)
    if _up_to_date(book, lang):
        if not quiet:
            click.echo("pubtool: every edition is up to date")
        return
    from pubtool import progress
    from pubtool.commands.build import build_all
    from pubtool.config import load_metadata
    from pubtool.pipeline import edition_languages

    settings = progress.Settings(quiet=quiet, verbose=verbose)
    metadata = load_metadata(book, Report())
    try:
        languages = edition_languages(metadata, lang) if metadata else [lang]
    except PubtoolError:
        languages = [lang]  # build_all reports it
    display = progress.BuildProgress(languages, settings)
    with display:
        results = _run(lambda report: build_all(book, lang, strict, display.step))
    base = Path.cwd()
    found = Report(list(dict.fromkeys(d for built in results for d in built.diagnostics)))
    for diagnostic in found.diagnostics:  # each language's process read the sources
        click.echo(diagnostic.format(base), err=True)
    display.summary(results)
    if bool(found.errors) or (strict and bool(found.warnings)):
        sys.exit(1)


def _up_to_date(project: Project, lang: str) -> bool:
    """Whether no file that reaches an edition changed since the last build (fast: no
    library that renders is imported)."""
    from pubtool import cache
    from pubtool.config import load_metadata

    metadata = load_metadata(project, Report())
    if metadata is None:
        return False
    languages = metadata.editions if lang == "all" else (lang,)
    return cache.up_to_date(project, {tag: metadata.catalog_languages(tag) for tag in languages})


def _line(diagnostic: Diagnostic) -> int:
    return (diagnostic.location.line or 0) if diagnostic.location else 0


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Untitled Book", show_default=True, help="The book's title.")
@click.option("--author", default="Anonymous", show_default=True, help="The author's name.")
@click.option(
    "--language", default="en", show_default=True, metavar="LANG", help="The source language."
)
@click.option(
    "--languages",
    default="",
    metavar="LANG,LANG",
    help="The languages of the other editions, e.g. zh,fr (each gets catalogs).",
)
def init(folder: Path, title: str, author: str, language: str, languages: str) -> None:
    """Start a new book project in FOLDER that builds at once.

    Writes book.yaml, a first chapter, a glossary entry and, for each other language,
    its catalogs. Refuses if a book project is already there.
    """
    from pubtool import scaffold

    others = [lang.strip() for lang in languages.split(",") if lang.strip()]
    written = _run(lambda report: scaffold.new_project(folder, title, author, language, others))
    if others:
        from pubtool.commands.translate import update

        written += _run(lambda report: update(Project.at(folder), None, report))
    for path in written:
        click.echo(f"wrote {_shown(path)}")
    click.echo(
        f"\nNext: cd {_shown(folder)}, then `pubtool build` for every edition, "
        "or `pubtool serve` to preview while you write."
    )


@main.group(name="import")
def import_group() -> None:
    """Make a pubtool project from a book written for another tool."""


@import_group.command(name="mdbook")
@click.argument(
    "source", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="SRC"
)
@click.argument("destination", type=click.Path(path_type=Path), required=False, metavar="[DEST]")
@click.option(
    "--site-url",
    default="",
    metavar="URL",
    help="Where the book is read online: links to chapters left out point there.",
)
def import_mdbook(source: Path, destination: Path | None, site_url: str) -> None:
    """Make a pubtool project in DEST (default: SRC-pubtool) from the mdBook in SRC.

    Reads book.toml and src/SUMMARY.md; copies the chapters (their # title as front
    matter), their images and every file their includes name; writes book.yaml with the
    book's contents. Writes over nothing.
    """
    from pubtool import mdbook

    target = destination or source.resolve().parent / f"{source.resolve().name}-pubtool"
    written = _run(lambda report: mdbook.import_mdbook(source, target, report, site_url))
    click.echo(f"wrote {_shown(target)} ({len(written)} files)")
    click.echo(f"\nNext: cd {_shown(target)}, then `pubtool build`.")


@main.command(name="check")
@project_option
@all_languages_option("Check")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--reproducible", is_flag=True, help="Also build every edition twice and compare the bytes."
)
def check_(project: Path, lang: str, strict: bool, reproducible: bool) -> None:
    """Build every edition, check it, and print one report grouped by source file."""
    from pubtool.commands.check import check

    report = Report()
    base = Path.cwd()
    try:
        check(
            Project.at(project),
            lang,
            report,
            reproducible=reproducible,
            progress=lambda line: click.echo(f"pubtool: {line}", err=True),
        )
    except BuildFailed as failed:
        report = failed.report
    except PubtoolError as exc:
        report.diagnostics.append(exc.diagnostic)
    unique = Report(list(dict.fromkeys(report.diagnostics)))  # every build reads the sources
    groups: dict[str, list[Diagnostic]] = {}
    for diagnostic in unique.diagnostics:
        key = str(diagnostic.location.path) if diagnostic.location else "(the book)"
        groups.setdefault(key, []).append(diagnostic)
    for key in sorted(groups):
        click.echo(f"\n{_shown(Path(key)) if key != '(the book)' else key}")
        for diagnostic in sorted(groups[key], key=_line):
            click.echo("  " + diagnostic.format(base).replace("\n", "\n  "))
    errors, warnings = len(unique.errors), len(unique.warnings)
    click.echo(f"\npubtool check: {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@project_option
@edition_lang_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on; 0 picks a free one.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (0.0.0.0: every network interface).",
)
def serve(project: Path, lang: str | None, port: int, host: str) -> None:
    """Preview the book in the browser, built again and reloaded on every change.

    Each language's pages are under /LANG/; nothing is written into the project.
    """
    from pubtool import serve as preview  # the HTTP server and the file watcher

    def say(line: str) -> None:
        click.echo(line, err=True)

    _run(lambda report: preview.serve(project, lang, host, port, say))


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    bash:  eval "$(pubtool completion bash)"     in ~/.bashrc
    zsh:   eval "$(pubtool completion zsh)"      in ~/.zshrc
    fish:  pubtool completion fish > ~/.config/fish/completions/pubtool.fish
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None  # the three shells click knows
    click.echo(completer(main, {}, "pubtool", "_PUBTOOL_COMPLETE").source(), nl=False)


@main.group()
def i18n() -> None:
    """Translation catalogs: extract, update, stats, compile."""


lang_option = click.option(
    "--lang", "-l", metavar="LANG", help="One language (default: every language of book.yaml)."
)


def _report_files(paths: list[Path], verb: str) -> None:
    """Each file a command changed: written (``verb``), or removed (no longer there)."""
    for path in paths:
        click.echo(f"{verb if path.exists() else 'removed'} {_shown(path)}")
    if not paths:
        click.echo("nothing changed")


@i18n.command()
@project_option
def extract(project: Path) -> None:
    """Write the message templates, locales/<domain>.pot."""
    from pubtool.commands import translate

    _report_files(_run(lambda report: translate.extract(Project.at(project), report)), "wrote")


@i18n.command()
@project_option
@lang_option
@click.option(
    "--compendium",
    "compendia",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A PO catalog or TMX memory of translations to reuse (another book's); repeatable.",
)
def update(project: Path, lang: str | None, compendia: tuple[Path, ...]) -> None:
    """Create or merge the catalogs of each language; no translation is ever dropped."""
    from pubtool.commands import translate

    book = Project.at(project)
    _report_files(_run(lambda report: translate.update(book, lang, report, compendia)), "wrote")


@i18n.command(name="export")
@project_option
@lang_option
@click.option(
    "--format",
    "form",
    type=click.Choice(["tmx", "xliff"]),
    required=True,
    help="tmx: TMX 1.4b, a translation memory; xliff: XLIFF 2.0, a file to translate.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write.",
)
def export_catalogs(project: Path, lang: str | None, form: str, output: Path) -> None:
    """Write a language's catalogs as TMX or XLIFF, for CAT tools (Trados, memoQ, OmegaT)."""
    from pubtool.commands import translate

    chosen: Literal["tmx", "xliff"] = "tmx" if form == "tmx" else "xliff"
    book = Project.at(project)
    done = _run(lambda report: translate.export(book, lang, chosen, output, report))
    _report_files(done, "wrote")


@i18n.command(name="import")
@project_option
@lang_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_catalogs(project: Path, lang: str | None, file: Path) -> None:
    """Write the translations of a TMX or XLIFF file into its language's catalogs."""
    from pubtool.commands import translate

    book = Project.at(project)
    _report_files(_run(lambda report: translate.import_file(book, file, lang, report)), "wrote")


@i18n.command()
@project_option
@lang_option
@click.option(
    "--min",
    "minimum",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Exit with status 1 if a language is less translated than this.",
)
def stats(project: Path, lang: str | None, minimum: float | None) -> None:
    """How much of each language is translated, per chapter."""
    from pubtool.commands import translate

    table = _run(lambda report: translate.statistics(Project.at(project), lang, report))
    below = []
    for language, coverage in table.items():
        rows = coverage.rows
        derivation = coverage.derivation
        if derivation is None:
            click.echo(f"{language}:")
        else:
            overridden = coverage.overridden
            click.echo(
                f"{language}: derived from {derivation.source} by OpenCC {derivation.convert}, "
                f"{overridden} message{'' if overridden == 1 else 's'} overridden"
            )
        click.echo(
            f"  {'domain':<32} {'translated':>10} {'fuzzy':>6} {'untranslated':>12} {'%':>6}"
        )
        for row in rows:
            click.echo(
                f"  {row.domain:<32} {row.translated:>10} {row.fuzzy:>6} "
                f"{row.untranslated:>12} {row.percent:>6.1f}"
            )
        translated = sum(r.translated for r in rows)
        total = sum(r.total for r in rows)
        percent = 100.0 * translated / total if total else 100.0
        fuzzy = sum(r.fuzzy for r in rows)
        click.echo(
            f"  {'total':<32} {translated:>10} {fuzzy:>6} {total - translated - fuzzy:>12} "
            f"{percent:>6.1f}"
        )
        if minimum is not None and percent < minimum:
            below.append(f"{language} ({percent:.1f}%)")
    if below:
        click.echo(f"error: below {minimum:g}% translated: {', '.join(below)}", err=True)
        sys.exit(1)


@i18n.command(name="check")
@project_option
@lang_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    help="json: every finding on stdout (file, line, code, severity, message, msgid).",
)
@click.option("--strict", is_flag=True, help="Warnings are errors too.")
def check_catalogs(project: Path, lang: str | None, output: str, strict: bool) -> None:
    """Check the translations: markup, footnotes, terms, links, numbers, punctuation."""
    import json

    from pubtool.commands import translate

    if output == "text":
        found = _run(lambda report: translate.check(Project.at(project), lang, report))
    else:
        report = Report()
        try:
            found = translate.check(Project.at(project), lang, report)
        except PubtoolError as exc:
            click.echo(exc.diagnostic.format(Path.cwd()), err=True)
            sys.exit(exc.exit_code)
        rows = [
            {
                "file": _shown(f.diagnostic.location.path) if f.diagnostic.location else "",
                "line": f.diagnostic.location.line if f.diagnostic.location else None,
                "code": f.diagnostic.code,
                "severity": f.diagnostic.severity.value,
                "message": f.diagnostic.message,
                "msgid": f.msgid,
            }
            for f in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    errors = [f for f in found if f.diagnostic.severity is Severity.ERROR]
    warnings = [f for f in found if f.diagnostic.severity is Severity.WARNING]
    if output == "text":
        click.echo(f"pubtool i18n check: {len(errors)} error(s), {len(warnings)} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


@i18n.command(name="compile")
@project_option
@lang_option
def compile_(project: Path, lang: str | None) -> None:
    """Compile the catalogs into .mo files (builds do this on their own)."""
    from pubtool.commands import translate

    book = Project.at(project)
    _report_files(_run(lambda report: translate.compile_catalogs(book, lang, report)), "wrote")
