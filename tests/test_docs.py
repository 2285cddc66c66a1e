"""The user guide (docs/*.md): every command example runs, and the generated pages are current.

How a page is run (one test per page, in a fresh temporary folder, in document order):

- A ```console block holds commands, each on a line starting with ``$ `` (a line ending
  in ``\\`` continues on the next). Each runs in bash, in the folder the previous one
  left (so ``$ cd mybook`` carries over), with ``.venv/bin`` first on PATH and HOME in
  the temporary folder.
- The lines after a command, up to the next one, are output that must appear in what
  the command prints (stdout and stderr together): in that order, each shown line
  right after the one before it, except that a line ``...`` skips any number of
  lines; inside a line, ``...`` stands for any text.
- A command must exit with status 0, unless its line ends with ``# exits N``.
  One that ends with ``# runs until Ctrl-C`` (``pubtool serve``) is started, its
  ``serving http://...`` line awaited and the page it serves fetched, then it gets
  Ctrl-C (SIGINT) and must stop.
- A fenced block whose info string holds ``file=PATH`` (```` ```yaml file=manuscript/x.yaml
  ````) is written to PATH before the commands after it run; ``append=PATH`` adds its
  text to the end of PATH. Forges show only the language word of an info string.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import signal
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pubtool.config import SCHEMA, load_metadata, reference
from pubtool.errors import Report
from pubtool.project import Project

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("*.md"))
REGENERATE = ".venv/bin/python -m pubtool.config > docs/configuration.md"

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")
_SERVES = re.compile(r"#\s*runs until Ctrl-C\s*$")


@dataclass
class Block:
    info: str
    text: str
    line: int  # where the block's opening fence is, for messages

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    def option(self, name: str) -> str | None:
        for word in self.info.split()[1:]:
            if word.startswith(name + "="):
                return word.removeprefix(name + "=")
        return None


@dataclass
class Command:
    text: str
    line: int
    expected: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        match = _EXITS.search(self.text)
        return int(match.group(1)) if match else 0

    @property
    def serves(self) -> bool:
        return bool(_SERVES.search(self.text))


def fenced_blocks(page: Path) -> list[Block]:
    """Every fenced code block of a Markdown page, in order."""
    blocks: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i].lstrip())
        if not match:
            i += 1
            continue
        fence, start = match.group("fence"), i
        body: list[str] = []
        i += 1
        while i < len(lines) and not _closes(lines[i], fence):
            body.append(lines[i])
            i += 1
        blocks.append(Block(match.group("info").strip(), "\n".join(body) + "\n", start + 1))
        i += 1
    return blocks


def _closes(line: str, fence: str) -> bool:
    closing = line.strip()
    return len(closing) >= len(fence) and set(closing) == {fence[0]}


def commands(block: Block) -> list[Command]:
    """The commands of a console block, each with the output lines shown after it."""
    found: list[Command] = []
    continued = False
    for offset, line in enumerate(block.text.splitlines(), start=1):
        if continued:
            found[-1].text += "\n" + line
        elif line.startswith("$ "):
            found.append(Command(line[2:], block.line + offset))
        elif found:
            found[-1].expected.append(line.rstrip())
        elif line.strip():
            raise AssertionError(f"line {block.line + offset}: output before any command")
        continued = (line.startswith("$ ") or continued) and line.endswith("\\")
    for command in found:
        while command.expected and not command.expected[-1]:
            command.expected.pop()
    return found


def _line_pattern(shown: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in shown.split("...")]
    return re.compile(".*".join(parts) + r"\s*")


def missing_output(expected: list[str], output: str) -> str | None:
    """None if the shown lines are in the output as the conventions say, else what is not."""
    actual = [line.rstrip() for line in output.splitlines()]
    position = 0
    adjacent = False  # whether the next shown line must come right after the last match
    for shown in expected:
        if shown.strip() == "...":
            adjacent = False
            continue
        pattern = _line_pattern(shown)
        if adjacent:
            if position < len(actual) and pattern.fullmatch(actual[position]):
                position += 1
                continue
            return shown
        for index in range(position, len(actual)):
            if pattern.fullmatch(actual[index]):
                position, adjacent = index + 1, True
                break
        else:
            return shown
    return None


class Shell:
    """Runs a page's commands one after the other, keeping the current folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cwd = root / "work"
        self.cwd.mkdir()
        self.state = root / "cwd"
        home = root / "home"
        home.mkdir()
        self.env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        self.env.update(
            PATH=os.pathsep.join([str(REPO / ".venv" / "bin"), os.environ.get("PATH", "")]),
            HOME=str(home),
            LC_ALL="C.UTF-8",
            NO_COLOR="1",
        )

    def script(self, command: Command) -> str:
        return (
            f"cd {shlex.quote(str(self.cwd))} || exit 99\n"
            f"{command.text}\n"
            f"__status=$?\npwd > {shlex.quote(str(self.state))}\nexit $__status\n"
        )

    def run(self, command: Command) -> tuple[int, str]:
        done = subprocess.run(
            ["bash", "-c", self.script(command)],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
            check=False,
        )
        if self.state.exists():
            self.cwd = Path(self.state.read_text(encoding="utf-8").strip())
        return done.returncode, done.stdout

    def serve(self, command: Command) -> tuple[int, str]:
        """Start a command that serves until Ctrl-C; fetch what it serves; press Ctrl-C."""
        process = subprocess.Popen(
            ["bash", "-c", f"cd {shlex.quote(str(self.cwd))} || exit 99\n{command.text}\n"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's job would be
        )
        lines: queue.Queue[str | None] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def read() -> None:
            for line in stream:
                lines.put(line)
            lines.put(None)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        output: list[str] = []
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            output.append(line)
            found = re.search(r"serving (http://\S+)", line)
            url = found.group(1) if found else None
        try:
            assert url, f"no 'serving http://...' line:\n{''.join(output)}"
            with urllib.request.urlopen(url, timeout=60) as response:
                assert response.status == 200, f"{url} answered {response.status}"
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
            try:
                status = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError(f"{command.text!r} did not stop on Ctrl-C") from None
            reader.join(timeout=10)
        while not lines.empty():
            line = lines.get()
            if line is not None:
                output.append(line)
        return status, "".join(output)


def write_file(shell: Shell, block: Block, page: Path) -> bool:
    """Write (or append to) the file a block names; False if it names none."""
    target, append = block.option("file"), block.option("append")
    name = target or append
    if name is None:
        return False
    path = shell.cwd / name
    assert path.resolve().is_relative_to(shell.root.resolve()), f"{page.name}: {name}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if append:
        assert path.exists(), f"{page.name}:{block.line}: append to missing {name}"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(block.text)
    else:
        path.write_text(block.text, encoding="utf-8")
    return True


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_command_examples_run(page: Path, tmp_path: Path) -> None:
    shell = Shell(tmp_path)
    for block in fenced_blocks(page):
        if write_file(shell, block, page) or block.language != "console":
            continue
        for command in commands(block):
            where = f"docs/{page.name}:{command.line}: $ {command.text}"
            status, output = shell.serve(command) if command.serves else shell.run(command)
            if not command.serves:
                assert status == command.status, (
                    f"{where}\nexit status {status}, expected {command.status}:\n{output}"
                )
            missing = missing_output(command.expected, output)
            assert missing is None, (
                f"{where}\nthe shown line {missing!r} is not in the output (in its place):\n"
                f"{output}"
            )


def test_the_conventions(tmp_path: Path) -> None:
    """The rules above, on a made-up page and output, so that the page tests mean something."""
    page = tmp_path / "page.md"
    page.write_text(
        "Text\n\n```console\n$ pubtool epub   # exits 1\nerror: x\n\n"
        "$ pubtool serve   # runs until Ctrl-C\n$ echo a \\\n  b\n```\n\n"
        "```yaml file=manuscript/x.yaml\nkey: value\n```\n",
        encoding="utf-8",
    )
    console, yaml = fenced_blocks(page)
    epub, serve, echo = commands(console)
    assert (epub.status, epub.expected, epub.line) == (1, ["error: x"], 4)
    assert serve.serves and not epub.serves and serve.status == 0
    assert echo.text == "echo a \\\n  b"
    assert (yaml.language, yaml.option("file"), yaml.text) == (
        "yaml",
        "manuscript/x.yaml",
        "key: value\n",
    )
    output = "pubtool: building en\nwrote a.epub (12 KiB)\nwrote a.pdf (3 KiB)\ndone\n"
    assert missing_output(["wrote a.epub (... KiB)", "wrote a.pdf (... KiB)"], output) is None
    assert missing_output(["pubtool: building en", "...", "done"], output) is None
    assert missing_output(["pubtool: building en", "done"], output) == "done"  # not next
    assert missing_output(["done", "wrote a.pdf (3 KiB)"], output) == "wrote a.pdf (3 KiB)"
    assert missing_output(["wrote b.epub (... KiB)"], output) == "wrote b.epub (... KiB)"


def test_every_page_has_examples_or_is_generated() -> None:
    for page in PAGES:
        if page.name == "configuration.md":
            continue
        assert any(b.language == "console" for b in fenced_blocks(page)), page.name


def test_commands_are_shown_only_in_console_blocks() -> None:
    """A `$ ` prompt or a pubtool command elsewhere would be an example no test runs."""
    for page in PAGES:
        for block in fenced_blocks(page):
            if block.language == "console":
                continue
            for number, line in enumerate(block.text.splitlines(), start=block.line + 1):
                shown = line.strip()
                assert not shown.startswith("$ "), f"{page.name}:{number}: {line}"
                if block.language in {"sh", "shell", "bash", ""}:
                    assert not re.match(r"pubtool\s+[a-z]", shown), f"{page.name}:{number}: {line}"


def test_configuration_page_is_generated_from_the_schema() -> None:
    page = DOCS / "configuration.md"
    assert page.exists() and page.read_text(encoding="utf-8") == reference(), (
        f"docs/configuration.md is not what SCHEMA in src/pubtool/config.py gives; "
        f"regenerate it with `{REGENERATE}`"
    )


def test_configuration_reference_has_every_key() -> None:
    text = reference()
    for key in SCHEMA:
        assert f"\n## `{key.name}`\n" in text, key.name
        assert f"| [`{key.name}`](#{key.name}) |" in text, key.name
        assert key.doc and key.example.startswith(f"{key.name}:"), key.name


def test_configuration_examples_are_valid(tmp_path: Path) -> None:
    """A book.yaml made of every example of the reference reads without a diagnostic."""
    book_yaml = tmp_path / "manuscript" / "book.yaml"
    book_yaml.parent.mkdir()
    book_yaml.write_text("\n".join(key.example for key in SCHEMA) + "\n", encoding="utf-8")
    report = Report()
    assert load_metadata(Project.at(tmp_path), report) is not None
    assert not report.diagnostics, [d.format() for d in report.diagnostics]


def prose(page: Path, *, code: bool = False) -> list[tuple[int, str]]:
    """The lines of a page outside fenced blocks, numbered, without inline code (or with)."""
    lines: list[tuple[int, str]] = []
    fence = ""
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if fence:
            fence = "" if _closes(line, fence) else fence
            continue
        match = _FENCE.match(line.lstrip())
        if match:
            fence = match.group("fence")
            continue
        lines.append((number, line if code else re.sub(r"(`+).*?\1", "", line)))
    return lines


def _anchors(page: Path) -> set[str]:
    """The anchors forges give a page's headings (GitHub's and Forgejo's rule)."""
    anchors: set[str] = set()
    for _, line in prose(page, code=True):
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
            anchor, n = slug, 1
            while anchor in anchors:
                anchor, n = f"{slug}-{n}", n + 1
            anchors.add(anchor)
    return anchors


def test_links_between_pages_resolve() -> None:
    link = re.compile(r"\]\((?P<target>[^)\s]+)\)")
    for page in PAGES:
        text = "\n".join(line for _, line in prose(page))
        for match in link.finditer(text):  # a link's text may span two lines
            target = match.group("target")
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            goal = (page.parent / path).resolve() if path else page
            assert goal.exists(), f"{page.name}: no file {path}"
            if anchor and goal.suffix == ".md":
                assert anchor in _anchors(goal), f"{page.name}: {target}: no such heading"


def _codes_in_source() -> set[str]:
    """Every diagnostic code pubtool can report (report.error/warning, error classes)."""
    codes: set[str] = set()
    for path in (REPO / "src" / "pubtool").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes.update(re.findall(r"\.(?:error|warning)\(\s*\"([A-Za-z0-9-]+)\"", text))
        codes.update(re.findall(r"\bcode = \"([a-z-]+)\"", text))
        codes.update(re.findall(r"\"([A-Z]+[0-9]{3})\"", text))
    return codes - {"build-failed"}  # the summary line, never shown with its code


def test_troubleshooting_names_every_code() -> None:
    page = (DOCS / "troubleshooting.md").read_text(encoding="utf-8")
    missing = sorted(code for code in _codes_in_source() if f"`{code}`" not in page)
    assert not missing, f"codes not explained in docs/troubleshooting.md: {missing}"
