"""Plural forms: ``ngettext`` in a template is one entry with ``msgid_plural``, kept by
``update`` (active or obsolete), compiled, and shown in the form the catalog's own
``Plural-Forms`` header picks: Arabic's six forms, French with gettext's usual header."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from conftest import BOOK_YAML, NS, epub_documents, run_pubtool

from pubtool import render

SINGULAR, PLURAL = "%(num)d chapter", "%(num)d chapters"
NUMBERS = (0, 1, 2, 5, 11, 100)
#: Arabic's six forms (CLDR: zero, one, two, few, many, other), each written so that the
#: test can tell which one is shown; msgstr[3] serves 3-10, msgstr[4] 11-99.
ARABIC = (
    "لا فصول %(num)d",
    "فصل واحد %(num)d",
    "فصلان %(num)d",
    "%(num)d فصول",
    "%(num)d فصلًا",
    "%(num)d فصل",
)
FRENCH = ("%(num)d chapitre", "%(num)d chapitres")


def template_with_plurals() -> str:
    """The package's copyright page with one plural message per number of NUMBERS."""
    package = Path(render.__file__).parent / "templates" / "copyright.xhtml"
    shown = "".join(
        f'<span class="n{n}">{{{{ ngettext("{SINGULAR}", "{PLURAL}", {n}) }}}}</span>'
        for n in NUMBERS
    )
    return package.read_text(encoding="utf-8").replace(
        "</section>", f'<p id="plurals">{shown}</p>\n</section>', 1
    )


def set_plural(po: Path, forms: tuple[str, ...], header: str | None = None) -> None:
    """Translate the plural entry as a translator's tool would (and set its header)."""
    catalog = read_po(io.BytesIO(po.read_bytes()))
    message = catalog.get(SINGULAR)
    assert message is not None and message.pluralizable, "no plural entry"
    message.string = forms
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    text = buffer.getvalue().decode("utf-8")
    if header is not None:  # as the tool writes it: that many forms under that header
        start = text.index('"Plural-Forms:')
        end = text.index("\n", start)
        text = text[:start] + f'"Plural-Forms: {header}\\n"' + text[end:]
        for extra in range(len(forms), 6):
            text = text.replace(f'msgstr[{extra}] ""\n', "")
    po.write_text(text, encoding="utf-8")


def shown(root: Path, lang: str) -> dict[int, str]:
    epub = root / "build" / f"a-test-book-{lang}.epub"
    page = epub_documents(epub)["EPUB/copyright.xhtml"]
    return {n: "".join(page.find(f".//h:span[@class='n{n}']", NS).itertext()) for n in NUMBERS}


def plural_book(project) -> Path:
    root = project(
        {
            "manuscript/book.yaml": BOOK_YAML.replace("languages: [zh]", "languages: [ar, fr]"),
            "templates/copyright.xhtml": template_with_plurals(),
        }
    )
    result = run_pubtool("i18n", "update", cwd=root)
    assert result.code == 0, result.stderr
    return root


def test_ngettext_is_one_entry_with_its_plural(project) -> None:
    root = plural_book(project)
    template = (root / "locales" / "ui.pot").read_text(encoding="utf-8")
    assert f'msgid "{SINGULAR}"\nmsgid_plural "{PLURAL}"' in template
    assert f'msgid "{PLURAL}"' not in template  # not a second message
    ar = (root / "locales" / "ar" / "LC_MESSAGES" / "ui.po").read_text(encoding="utf-8")
    assert "nplurals=6;" in ar and 'msgstr[5] ""' in ar


def test_arabic_shows_the_form_its_header_picks_for_each_number(project) -> None:
    root = plural_book(project)
    po = root / "locales" / "ar" / "LC_MESSAGES" / "ui.po"
    set_plural(po, ARABIC)
    result = run_pubtool("epub", "--lang", "ar", cwd=root)
    assert result.code == 0, result.stderr
    assert "po-plural" not in result.stderr
    assert shown(root, "ar") == {
        0: "لا فصول 0",
        1: "فصل واحد 1",
        2: "فصلان 2",
        5: "5 فصول",
        11: "11 فصلًا",
        100: "100 فصل",
    }
    # compiled: GNU gettext's own reading of the .mo picks the same forms
    assert run_pubtool("i18n", "compile", cwd=root).code == 0
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert [compiled.ngettext(SINGULAR, PLURAL, n) for n in NUMBERS] == list(ARABIC)


def test_a_french_header_from_gettext_is_respected(project) -> None:
    """gettext's usual ``nplurals=2; plural=(n > 1);`` (CLDR now says three forms): the
    translator's header is used, and nothing is warned."""
    root = plural_book(project)
    po = root / "locales" / "fr" / "LC_MESSAGES" / "ui.po"
    set_plural(po, FRENCH, header="nplurals=2; plural=(n > 1);")
    result = run_pubtool("epub", "--lang", "fr", cwd=root)
    assert result.code == 0, result.stderr
    assert "po-plural" not in result.stderr
    assert shown(root, "fr") == {
        0: "0 chapitre",
        1: "1 chapitre",
        2: "2 chapitres",
        5: "5 chapitres",
        11: "11 chapitres",
        100: "100 chapitres",
    }
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    text = po.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text  # kept by update
    assert 'msgstr[0] "%(num)d chapitre"\nmsgstr[1] "%(num)d chapitres"' in text


def test_update_keeps_every_form_also_when_the_entry_is_obsolete(project) -> None:
    root = plural_book(project)
    po = root / "locales" / "ar" / "LC_MESSAGES" / "ui.po"
    set_plural(po, ARABIC)
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    catalog = read_po(io.BytesIO(po.read_bytes()))
    assert tuple(catalog.get(SINGULAR).string) == ARABIC
    (root / "templates" / "copyright.xhtml").unlink()  # the template no longer asks for it
    assert run_pubtool("i18n", "update", cwd=root).code == 0
    catalog = read_po(io.BytesIO(po.read_bytes()))
    assert catalog.get(SINGULAR) is None
    (obsolete,) = [m for m in catalog.obsolete.values() if m.id[0] == SINGULAR]
    assert tuple(obsolete.string) == ARABIC and obsolete.id[1] == PLURAL
    (root / "templates" / "copyright.xhtml").write_text(template_with_plurals())
    assert run_pubtool("i18n", "update", cwd=root).code == 0  # and it comes back
    assert tuple(read_po(io.BytesIO(po.read_bytes())).get(SINGULAR).string) == ARABIC


def test_an_entry_that_disagrees_with_its_header_is_reported_at_its_line(project) -> None:
    root = plural_book(project)
    po = root / "locales" / "ar" / "LC_MESSAGES" / "ui.po"
    set_plural(po, ARABIC[:3])  # three forms where the header says six
    line = po.read_text(encoding="utf-8").splitlines().index(f'msgid "{SINGULAR}"') + 1
    result = run_pubtool("epub", "--lang", "ar", cwd=root)
    assert result.code == 0, result.stderr
    assert f"locales/ar/LC_MESSAGES/ui.po:{line}: warning: the plural entry" in result.stderr
    assert "has 3 forms, but the catalog's Plural-Forms header says nplurals=6" in result.stderr
