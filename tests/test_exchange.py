"""Exchange with CAT tools: `pubtool i18n export --format tmx|xliff` and `pubtool i18n
import`. A round trip through either format gives every entry back as it was (msgid,
context, translation and plural forms, fuzzy state, translator comments), compared entry
by entry; units the catalogs lack are reported at their line; a TMX serves as a
compendium for another book."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import BOOK_YAML, run_pubtool
from i18n_helpers import fill
from lxml import etree
from test_plurals import ARABIC, SINGULAR, set_plural, template_with_plurals

XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"

PARAGRAPHS = (
    "The kiln at {term}`jun-ci` fires for three days.",
    "Glazes of copper and iron turn red and blue.",
    "A third paragraph, left untranslated.",
    "A fourth one, translated but needing review.",
)


def book(project) -> Path:
    chapter = "---\ntitle: First Chapter\n---\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML.replace("languages: [zh]", "languages: [ar]"),
            "manuscript/01-first.md": chapter,
            "templates/copyright.xhtml": template_with_plurals(),
        }
    )
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    folder = root / "locales" / "ar" / "LC_MESSAGES"
    po = folder / "ch-01-first.po"
    fill(
        po,
        {
            "First Chapter": "الفصل الأول",
            PARAGRAPHS[0]: "يعمل فرن {term}`jun-ci` ثلاثة أيام.",
            PARAGRAPHS[1]: "تتحول طلاءات النحاس والحديد إلى الأحمر والأزرق.",
            PARAGRAPHS[3]: "فقرة رابعة تحتاج إلى مراجعة.",
        },
        fuzzy=(PARAGRAPHS[3],),
    )
    text = po.read_text("utf-8")
    at = f'msgid "{PARAGRAPHS[1]}"'
    po.write_text(text.replace(at, f"# checked with the potter\n{at}"), "utf-8")
    set_plural(folder / "ui.po", ARABIC)
    return root


def catalog_entries(folder: Path) -> dict[tuple[str, str], tuple[object, ...]]:
    """(domain, msgid) -> (context, translation or forms, fuzzy, translator comments)."""
    out = {}
    for po in sorted(folder.glob("*.po")):
        for message in read_po(io.BytesIO(po.read_bytes())):
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            string = message.string if isinstance(message.string, str) else tuple(message.string)
            comments = tuple(c for c in message.user_comments if not c.startswith("|"))
            out[(po.stem, msgid)] = (message.context, string, message.fuzzy, comments)
    return out


def wipe(folder: Path) -> None:
    """Every translation, flag and translator comment removed (as a fresh catalog)."""
    for po in folder.glob("*.po"):
        lines = po.read_text("utf-8").splitlines()
        kept = [line for line in lines if not line.startswith(("# checked", "#, fuzzy", "#| "))]
        text = "\n".join(kept) + "\n"
        # (the translations here are short: each on its msgstr line)
        text = re.sub(r'^(msgstr(\[\d+\])?) "(?!").*"$', r'\1 ""', text, flags=re.M)
        po.write_text(text, "utf-8")


@pytest.mark.parametrize("form", ["xliff", "tmx"])
def test_a_round_trip_gives_every_entry_back(project, form: str) -> None:
    root = book(project)
    folder = root / "locales" / "ar" / "LC_MESSAGES"
    before = catalog_entries(folder)
    assert before[("ch-01-first", PARAGRAPHS[3])][2] is True  # fuzzy
    assert before[("ch-01-first", PARAGRAPHS[1])][3] == ("checked with the potter",)
    assert before[("ui", SINGULAR)][1] == ARABIC
    out = root / f"ar.{form}"
    result = run_pubtool("i18n", "export", "--format", form, "-o", str(out), cwd=root)
    assert result.code == 0, result.stderr
    assert run_pubtool("i18n", "import", str(out), cwd=root).stdout == "nothing changed\n"
    wipe(folder)
    wiped = catalog_entries(folder)
    assert wiped != before and all(not v[1] or v[1] == ("",) * 6 for v in wiped.values())
    result = run_pubtool("i18n", "import", str(out), cwd=root)
    assert result.code == 0, result.stderr
    assert "wrote locales/ar/LC_MESSAGES/ch-01-first.po" in result.stdout
    after = catalog_entries(folder)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key


def test_the_xliff_is_xliff_2(project) -> None:
    root = book(project)
    out = root / "ar.xlf"
    assert run_pubtool("i18n", "export", "--format", "xliff", "-o", str(out), cwd=root).code == 0
    document = etree.parse(str(out)).getroot()
    assert document.tag == f"{XLIFF}xliff" and document.get("version") == "2.0"
    assert (document.get("srcLang"), document.get("trgLang")) == ("en", "ar")
    files = {f.get("id"): f for f in document.iter(f"{XLIFF}file")}
    assert {"book", "ch-01-first", "ui"} <= files.keys()
    units = list(files["ch-01-first"].iter(f"{XLIFF}unit"))
    for unit in units:  # XLIFF 2.0: notes, then segments
        tags = [child.tag for child in unit]
        assert tags[0] in (f"{XLIFF}notes", f"{XLIFF}segment")
        assert all(tag == f"{XLIFF}segment" for tag in tags[1:]), tags
    states = {
        unit.find(f"{XLIFF}segment/{XLIFF}source").text: unit.find(f"{XLIFF}segment").get("state")
        for unit in units
    }
    assert states[PARAGRAPHS[0]] == "translated"
    assert states[PARAGRAPHS[2]] == "initial"  # no target
    assert states[PARAGRAPHS[3]] == "initial"  # a target that needs review
    plural = next(
        u
        for u in files["ui"].iter(f"{XLIFF}unit")
        if u.find(f"{XLIFF}segment/{XLIFF}source").text == SINGULAR
    )
    targets = [t.text for t in plural.iter(f"{XLIFF}target")]
    assert targets == list(ARABIC)  # one segment per form
    notes = {n.get("category") for n in units[1].iter(f"{XLIFF}note")}
    assert {"location", "developer"} <= notes


def test_an_unknown_unit_is_reported_at_its_line(project) -> None:
    root = book(project)
    out = root / "ar.xlf"
    assert run_pubtool("i18n", "export", "--format", "xliff", "-o", str(out), cwd=root).code == 0
    text = out.read_text("utf-8").replace(PARAGRAPHS[1], "A sentence the book no longer has.")
    out.write_text(text, "utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "no longer has" in s)
    result = run_pubtool("i18n", "import", str(out), cwd=root)
    assert result.code == 0
    segment = line - 1  # the unit is located at its segment, the line before its source
    expected = f"ar.xlf:{segment}: warning: 'A sentence the book no longer has.' is not in"
    assert expected in result.stderr and "[exchange-unknown]" in result.stderr
    broken = root / "broken.tmx"
    broken.write_text("<tmx><body><tu>", "utf-8")
    failed = run_pubtool("i18n", "import", str(broken), cwd=root)
    assert failed.code == 1 and "broken.tmx" in failed.stderr and "Traceback" not in failed.stderr


def test_a_tmx_is_a_compendium_for_another_book(project, tmp_path: Path) -> None:
    first = book(project)
    memory = tmp_path / "memory.tmx"
    run = run_pubtool("i18n", "export", "--format", "tmx", "-o", str(memory), cwd=first)
    assert run.code == 0
    other = tmp_path / "other"
    (other / "manuscript").mkdir(parents=True)
    for name in ("book.yaml", "glossary.yaml"):
        (other / "manuscript" / name).write_text(
            (first / "manuscript" / name).read_text("utf-8"), "utf-8"
        )
    chapter = "---\ntitle: Another\n---\n\n" + PARAGRAPHS[1] + "\n"
    (other / "manuscript" / "01-another.md").write_text(chapter, "utf-8")
    result = run_pubtool("i18n", "update", "--compendium", str(memory), cwd=other)
    assert result.code == 0, result.stderr
    entries = catalog_entries(other / "locales" / "ar" / "LC_MESSAGES")
    translated = "تتحول طلاءات النحاس والحديد إلى الأحمر والأزرق."
    assert entries[("ch-01-another", PARAGRAPHS[1])][1] == translated
    assert "reused from other catalogs" in result.stderr


#: A memory as OmegaT writes one (TMX 1.4, upper-case regional tags, its own header).
OMEGAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
    creationtoolversion="6.0.1" segtype="paragraph" srclang="EN-US"/>
  <body>
    <tu>
      <tuv xml:lang="EN-US">
        <seg>Glazes of copper and iron turn red and blue.</seg>
      </tuv>
      <tuv xml:lang="ZH-CN" changeid="li" changedate="20260301T101500Z">
        <seg>铜釉与铁釉烧成红色和蓝色。</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"""


def test_a_memory_from_omegat_serves_as_compendium(project, tmp_path: Path) -> None:
    chapter = "---\ntitle: First Chapter\n---\n\n" + PARAGRAPHS[1] + "\n"
    root = project({"manuscript/01-first.md": chapter})
    memory = tmp_path / "project_save.tmx"
    memory.write_text(OMEGAT_TMX, "utf-8")
    result = run_pubtool("i18n", "update", "--compendium", str(memory), cwd=root)
    assert result.code == 0, result.stderr
    entries = catalog_entries(root / "locales" / "zh" / "LC_MESSAGES")
    assert entries[("ch-01-first", PARAGRAPHS[1])][1] == "铜釉与铁釉烧成红色和蓝色。"
