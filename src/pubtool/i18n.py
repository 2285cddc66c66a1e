"""Babel, in one place: gettext catalogs (PO, POT, MO) and CLDR locale data.

Everything else in pubtool speaks in the plain types defined here, never in Babel's.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gettext
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import babel
import babel.core
import babel.dates
import babel.lists
from babel.core import get_global
from babel.localedata import locale_identifiers
from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import python_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, PoFileParser, escape, unescape, write_po

from pubtool.errors import Location, Report

PROJECT = "pubtool book"
MAX_CATALOG_BYTES = 20_000_000  # a catalog of 10,000 paragraphs is about 3 MB

# ---------------------------------------------------------------- locale data


def _locale(lang: str) -> babel.Locale:
    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


def canonical_tag(tag: str) -> str:
    """``tag`` written as BCP 47 writes it: ``-`` between subtags, the language in lower
    case, the script in title case, the region in upper case ("ZH_hant_tw" -> "zh-Hant-TW").
    A tag that cannot be read is returned with only its separators changed."""
    text = tag.strip().replace("_", "-")
    try:
        language, territory, script, variant = babel.core.parse_locale(text, sep="-")[:4]
    except ValueError:
        return text
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if territory:
        parts.append(territory.upper())
    if variant:
        parts.append(variant)
    return "-".join(parts)


def is_known_language(lang: str) -> bool:
    """Whether CLDR has locale data for ``lang`` (``zh``, ``zh-Hans``, ``fr``; not ``cn``)."""
    try:
        babel.Locale.parse(canonical_tag(lang).replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class LocaleFacts:
    """What CLDR says of a language tag: its parts (the script from CLDR's likely
    subtags where the tag names none), its direction and its name in itself."""

    tag: str
    language: str
    script: str
    territory: str
    rtl: bool
    name: str
    script_is_distinct: bool  # CLDR has a locale for the language in this script (zh_Hans)


def locale_facts(tag: str) -> LocaleFacts | None:
    """The facts of ``tag``, or None if CLDR has no data for it."""
    canonical = canonical_tag(tag)
    if not is_known_language(canonical):
        return None
    locale = babel.Locale.parse(canonical.replace("-", "_"))
    language, territory, script = babel.core.parse_locale(canonical, sep="-")[:3]
    likely = maximized(canonical).split("-")
    script = script or (likely[1] if len(likely) > 1 and len(likely[1]) == 4 else "")
    distinct = bool(script) and f"{language}_{script}" in locale_identifiers()
    return LocaleFacts(
        canonical,
        language,
        script,
        territory or "",
        locale.character_order == "right-to-left",
        locale.get_language_name(locale) or canonical,
        distinct,
    )


def maximized(tag: str) -> str:
    """``tag`` with the script and region CLDR finds most likely ("zh" -> "zh-Hans-CN",
    "zh-TW" -> "zh-Hant-TW", "sr" -> "sr-Cyrl-RS"); the tag itself where CLDR says nothing."""
    canonical = canonical_tag(tag)
    likely: Mapping[str, str] = get_global("likely_subtags")
    key = canonical.replace("-", "_")
    parts = key.split("_")
    for candidate in (key, "_".join(parts[:2]), parts[0]):
        found = likely.get(candidate)
        if found:
            _, *rest = found.split("_")
            script = next((p for p in parts[1:] if len(p) == 4), "") or next(
                (p for p in rest if len(p) == 4), ""
            )
            region = next((p for p in parts[1:] if len(p) in (2, 3) and p != script), "") or next(
                (p for p in rest if len(p) in (2, 3)), ""
            )
            return "-".join(p for p in (parts[0], script, region) if p)
    return canonical


def suggest_languages(tag: str) -> list[str]:
    """Language tags CLDR knows that ``tag`` may have meant: the language of a country
    written as a language ("cn" -> "zh"), or tags spelled alike."""
    canonical = canonical_tag(tag)
    likely: Mapping[str, str] = get_global("likely_subtags")
    found: list[str] = []
    as_territory = likely.get(f"und_{canonical.upper()}")
    if as_territory:
        found.append(as_territory.split("_")[0])
    known = [i.replace("_", "-") for i in locale_identifiers() if "_" not in i]
    found += difflib.get_close_matches(canonical.lower(), known, n=2, cutoff=0.6)
    return list(dict.fromkeys(t for t in found if t != canonical))


def format_date(date: dt.date, lang: str) -> str:
    """``date`` in the long form of ``lang`` ("November 28, 2026", "2026年11月28日")."""
    return babel.dates.format_date(date, format="long", locale=_locale(lang))


def language_name(lang: str) -> str:
    """The name of ``lang`` in that language, with the script or region the tag names
    ("English", "中文", "中文 (繁體)" for zh-Hant, "português (Brasil)" for pt-BR)."""
    locale = _locale(lang)
    return locale.get_display_name(locale) or locale.get_language_name(locale) or lang


def numbering_system(lang: str) -> str:
    """The numbering system CLDR gives ``lang`` by default ("latn"; "arab" in Egyptian
    Arabic, "arabext" in Persian, "deva" in Marathi)."""
    return str(_locale(lang).default_numbering_system)


def territory_names(lang: str) -> dict[str, str]:
    """CLDR's names of countries and territories in ``lang``, by code (two letters)."""
    return {code: name for code, name in _locale(lang).territories.items() if len(code) == 2}


def format_list(items: list[str], lang: str) -> str:
    """Items joined as ``lang`` joins them ("A, B and C", "A、B和C")."""
    return babel.lists.format_list(items, locale=_locale(lang))


def list_separator(lang: str) -> str:
    """What CLDR's list pattern of ``lang`` puts between the middle items of a list
    (", " in English, "、" in Chinese, "، " in Urdu); "" where it is a word ("و" in
    Arabic, whose lists join with "and")."""
    middle = str(babel.Locale.parse(_locale(lang)).list_patterns["standard"]["middle"])
    between = middle.replace("{0}", "", 1).replace("{1}", "", 1)
    return "" if any(c.isalpha() for c in between) else between


def sort_key(text: str) -> str:
    """A key that sorts Latin text (pinyin included) by letters, then tone marks."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold() + "\0" + text


# ---------------------------------------------------------------- catalogs


@dataclass(frozen=True, slots=True)
class SourceMessage:
    """A message for the templates: its msgid, where it comes from, and a note."""

    msgid: str
    locations: tuple[tuple[str, int], ...]
    comment: str = ""
    python_format: bool = False  # it holds %(name)s placeholders, filled in by pubtool
    plural: str = ""  # the msgid_plural of an ngettext message


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a PO file as pubtool reads it."""

    msgid: str
    msgstr: str
    line: int | None
    fuzzy: bool = False
    obsolete: bool = False
    previous: str = ""  # a fuzzy entry's msgid before the source changed (its #| lines)
    plural: str = ""  # a plural entry's msgid_plural; its forms are ``forms``
    forms: tuple[str, ...] = ()  # msgstr[0], msgstr[1]… of a plural entry (msgstr is [0])
    comments: tuple[str, ...] = ()  # the translator's comments (# …)
    context: str = ""  # its msgctxt, where a tool wrote one
    locations: tuple[str, ...] = ()  # "manuscript/01-first.md:12", as #: writes them
    notes: tuple[str, ...] = ()  # the comments extracted with it (#. paragraph)
    path: Path | None = None  # the catalog it was read from, where that is not its own
    # for a derived edition: the OpenCC configurations ("s2tw", "s2t+t2tw") its text goes
    # through once parsed (it is the text of the edition the derived one is made from)
    convert: str = ""


@dataclass(frozen=True, slots=True)
class PoFile:
    """A PO file read from disk: its active and obsolete entries, and the active ones by
    msgid (indexed once: a book's lookups go through it for every block)."""

    path: Path
    entries: tuple[Entry, ...]
    headers: tuple[tuple[str, str], ...] = ()  # the header's fields, as the file has them
    by_msgid: Mapping[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        active = {e.msgid: e for e in self.entries if not e.obsolete}
        object.__setattr__(self, "by_msgid", active)

    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]


def _template(messages: Iterable[SourceMessage], domain: str, created: dt.datetime) -> Catalog:
    catalog = Catalog(
        domain=domain, project=PROJECT, creation_date=created, revision_date=created, fuzzy=False
    )
    for message in messages:
        existing = catalog.get(message.msgid)
        if existing is not None:
            existing.locations.extend(message.locations)
            continue
        added = catalog.add(
            (message.msgid, message.plural) if message.plural else message.msgid,
            locations=list(message.locations),
            auto_comments=[message.comment] if message.comment else [],
        )
        # Babel guesses formats from the text; a paragraph's {term}`x` is no format.
        added.flags -= {"python-format", "python-brace-format"}
        if message.python_format:
            added.flags.add("python-format")
    return catalog


def _dump(catalog: Catalog, *, template: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=False, omit_header=False, sort_output=False)
    text = _with_previous(buffer.getvalue().decode("utf-8"), catalog).encode("utf-8")
    if template:  # a template names no language
        text = re.sub(rb'"Language: [^"\\]*\\n"\n', b"", text)
    return text


def _with_previous(text: str, catalog: Catalog) -> str:
    """``text`` with each fuzzy entry's previous msgid as gettext writes it: ``#| msgid "…"``,
    and an obsolete entry's flags (``#, fuzzy``) before it.

    Babel 2.19 wraps the ``#|`` comment at 76 columns, quotes and all, into lines no PO
    reader (Babel's included) reads back, so a long paragraph lost its previous msgid at
    the next update; and it writes no flags for obsolete entries, so an obsolete fuzzy
    translation came back as a finished one when its msgid returned. Each message writes
    exactly one ``msgid`` line, in catalog order.
    """
    messages = [m for m in catalog if m.id] + list(catalog.obsolete.values())
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(("msgid ", "#~ msgid "))]
    if len(starts) != len(messages) + 1:  # the header's msgid comes first
        raise AssertionError("write_po wrote an unexpected number of messages")
    inserts: dict[int, list[str]] = {}
    obsolete = {id(m) for m in catalog.obsolete.values()}
    for message, index in zip(messages, starts[1:], strict=True):
        previous = [p for p in (message.previous_id or []) if p]
        flags = sorted(message.flags) if id(message) in obsolete else []
        if not previous and not flags:
            continue
        at = index - 1 if lines[index - 1].lstrip("#~ ").startswith("msgctxt ") else index
        keywords = ["msgid", "msgid_plural"]
        # "#| " for obsolete entries too: Babel reads "#~| " as a broken message line
        inserts[at] = ([f"#, {', '.join(flags)}"] if flags else []) + [
            f"#| {k} {escape(p)}" for k, p in zip(keywords, previous, strict=False)
        ]
    for at in sorted(inserts, reverse=True):
        lines[at:at] = inserts[at]
    return "\n".join(lines)


def pot_bytes(messages: Iterable[SourceMessage], domain: str, created: dt.datetime) -> bytes:
    """The text of a template (``.pot``) holding ``messages``."""
    return _dump(_template(messages, domain, created), template=True)


def merged_po_bytes(
    existing: bytes | None,
    messages: list[SourceMessage],
    lang: str,
    domain: str,
    created: dt.datetime,
    memory: Memory | None = None,
    filled: list[tuple[int, int]] | None = None,
) -> bytes:
    """A language's catalog brought up to date with the source messages.

    A changed msgid keeps its old translation, marked fuzzy with the previous msgid; a
    removed one becomes obsolete; an obsolete one whose msgid returns is active again.
    Nothing a translator wrote is dropped. A message still untranslated then is looked
    up in ``memory`` (the exact and close matches are counted in ``filled``).
    """
    template = _template(messages, domain, created)
    if existing is None:
        catalog = _Catalog(
            locale=lang.replace("-", "_"),
            domain=domain,
            project=PROJECT,
            creation_date=created,
            revision_date=created,
            fuzzy=False,
        )
    else:
        catalog = _read(existing, lang, domain)
        for key, message in list(catalog.obsolete.items()):
            if message.string and key not in catalog:
                catalog[key] = message  # a candidate again, for exact and fuzzy matches
                del catalog.obsolete[key]
    _match_changed_messages(catalog, template, memory.entries if memory is not None else {})
    previous = {
        message.id: message.previous_id for message in catalog if message.id and message.fuzzy
    }
    # Babel's own fuzzy matching compares every new msgid with every old one (difflib):
    # minutes for a long book. The matching is done above, bounded; Babel merges exactly.
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    formats = {"python-format", "python-brace-format"}
    for message in [*catalog, *catalog.obsolete.values()]:
        # an entry still fuzzy keeps the previous msgid it had
        if message.fuzzy and not message.previous_id and previous.get(message.id):
            message.previous_id = previous[message.id]
        # Babel guesses formats again on reading; the template's flags are the truth
        wanted = template.get(message.id)
        message.flags = (message.flags - formats) | (wanted.flags & formats if wanted else set())
    if memory is not None and memory.entries:
        counts = _fill_from_memory(catalog, memory)
        if filled is not None:
            filled.append(counts)
    for key, gone in list(catalog.obsolete.items()):
        # an obsolete twin of an active entry (Babel keeps both when an untranslated
        # message returns) is dropped when it holds nothing the active one lacks
        active = catalog.get(gone.id, context=gone.context)
        if active is not None and _forms(gone.string) in (_forms(active.string), _forms("")):
            del catalog.obsolete[key]
    return _dump(catalog)


#: The header fields Babel writes from a catalog's own attributes; any other field a
#: translator's tool wrote (Poedit's X-Generator, X-Poedit-Bookmarks…) is kept as it is.
_BABEL_HEADERS = frozenset(
    {
        "project-id-version",
        "report-msgid-bugs-to",
        "pot-creation-date",
        "po-revision-date",
        "last-translator",
        "language",
        "language-team",
        "plural-forms",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "generated-by",
    }
)

#: A UTF-8 byte order mark, which some Windows tools write at the start of a file.
BOM = b"\xef\xbb\xbf"


class _Catalog(Catalog):
    """Babel's catalog, keeping the header fields it does not know itself (Babel 2.19
    drops them on reading, so an update would lose what Poedit or Weblate wrote)."""

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        pairs = list(headers)
        super()._set_mime_headers(pairs)
        self.__dict__["_other_headers"] = [
            (str(name), str(value)) for name, value in pairs if name.lower() not in _BABEL_HEADERS
        ]

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        others = [pair for pair in self.__dict__.get("_other_headers", ()) if pair]
        return [*headers[:-1], *others, headers[-1]]  # before Generated-By


def _read(data: bytes, lang: str, domain: str | None = None) -> _Catalog:
    """A catalog read with Babel's parser into a catalog that keeps every header field
    (a byte order mark before it is skipped; read_po_file warns of it)."""
    catalog = _Catalog(locale=lang.replace("-", "_"), domain=domain)
    parser = PoFileParser(catalog, ignore_obsolete=False, abort_invalid=True)
    parser.parse(io.BytesIO(data.removeprefix(BOM)))
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog


def _restore_previous(message: Message) -> None:
    """Read ``#| msgid "..."`` back as the previous msgid (Babel 2.x keeps it as a comment).

    Without this, a fuzzy entry would lose its previous msgid at the next update.
    """
    comments = list(message.user_comments)
    previous = [c for c in comments if c.startswith("| ") or c == "|"]
    if not previous:
        return
    texts = [comment[1:].strip() for comment in previous]
    if all(t.removeprefix("msgid").strip()[:1] == '"' for t in texts):
        strings = []
        for text in texts:
            if text.startswith("msgid_plural"):
                break
            text = text.removeprefix("msgid").strip()
            if text.startswith('"') and text.endswith('"'):
                strings.append(unescape(text))
        previous_id = "".join(strings)
    else:  # wrapped like prose by Babel up to 2.19: one quoted string over several lines
        joined = re.match(r'msgid\s+("(?:[^"\\]|\\.)*")', " ".join(texts))
        previous_id = unescape(joined.group(1)) if joined else ""
    message.previous_id = [previous_id]
    message.user_comments = [c for c in comments if c not in previous]


_PO_LINE = re.compile(
    r'^(|#.*|((msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+)?"([^"\\]|\\.)*")$'
)


def _check_lines(text: str) -> tuple[int, str] | None:
    """The first line that is no comment, keyword or complete string (Babel lets them by)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.match(line.strip()):
            return number, line
    return None


FUZZY_CUTOFF = 0.6  # the similarity Babel and msgmerge ask of a fuzzy match
FUZZY_CANDIDATES = 8  # old messages compared in full with each new one


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


class _Candidates:
    """Texts to find the most similar of, for a new msgid: an index of their words
    (those sharing the most words with it), and only the best few compared with difflib
    (linear in practice, where comparing everything with everything is quadratic)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = list(dict.fromkeys(texts))
        self.index: dict[str, list[str]] = {}
        for text in self.texts:
            for word in _words(text):
                self.index.setdefault(word, []).append(text)

    def closest(self, new_id: str, taken: set[str]) -> str | None:
        shared: Counter[str] = Counter()
        limit = max(50, len(self.texts) // 10)  # skip words found in everything
        for word in _words(new_id):
            if len(self.index.get(word, ())) <= limit:
                shared.update(self.index.get(word, ()))
        best, best_ratio = None, FUZZY_CUTOFF
        for old_id, _ in shared.most_common(FUZZY_CANDIDATES):
            if old_id in taken:
                continue
            matcher = difflib.SequenceMatcher(None, new_id.lower(), old_id.lower())
            if matcher.real_quick_ratio() >= best_ratio and matcher.quick_ratio() >= best_ratio:
                ratio = matcher.ratio()
                if ratio >= best_ratio:
                    best, best_ratio = old_id, ratio
        return best


def _match_changed_messages(catalog: Catalog, template: Catalog, exact: Mapping[str, str]) -> None:
    """Give each new msgid the translation of the most similar msgid that went away.

    A match is marked fuzzy, with the previous msgid, and the old entry gives way to it
    (it does not become obsolete). A new msgid the memory translates ``exact``ly takes
    that translation instead, as msgmerge prefers an exact match anywhere to a close one
    (a paragraph moved here from another chapter), and leaves the old entries alone.
    """
    new_ids = [
        m.id
        for m in template
        if m.id and isinstance(m.id, str) and m.id not in catalog and m.id not in exact
    ]
    old = {
        m.id: m
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string and m.id not in template
    }
    if not new_ids or not old:
        return
    candidates = _Candidates(old)
    taken: set[str] = set()
    for new_id in new_ids:
        best = candidates.closest(new_id, taken)
        if best is None:
            continue
        taken.add(best)
        gone = old[best]
        # still fuzzy: its translation was made from its previous msgid, which it keeps
        made_from = gone.previous_id if gone.fuzzy and gone.previous_id else [best]
        catalog.add(
            new_id,
            gone.string,
            locations=list(gone.locations),
            flags={"fuzzy"},
            auto_comments=list(gone.auto_comments),
            user_comments=list(gone.user_comments),
            previous_id=list(made_from),
        )
        del catalog[best]


class Memory:
    """Translations to reuse, as ``msgmerge -C`` does: every translated, not fuzzy
    entry (active or obsolete) of the language's other catalogs, and of compendia."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        self.entries = dict(entries)  # msgid -> msgstr
        self._candidates = _Candidates(self.entries)

    def closest(self, msgid: str) -> str | None:
        return self._candidates.closest(msgid, set())


def memory_of(files: Iterable[PoFile]) -> Memory:
    """The translation memory of ``files``: their usable entries (the first file that
    translates a msgid wins)."""
    entries: dict[str, str] = {}
    for po in files:
        for entry in po.entries:
            if entry.msgstr and not entry.fuzzy and not entry.plural:
                entries.setdefault(entry.msgid, entry.msgstr)
    return Memory(entries)


def _fill_from_memory(catalog: Catalog, memory: Memory) -> tuple[int, int]:
    """Untranslated messages of ``catalog`` filled from ``memory``: an exact match as a
    translation, a close one as a fuzzy translation with its msgid as ``#|``. Returns how
    many of each."""
    exact = close = 0
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or message.string:
            continue
        found = memory.entries.get(message.id)
        if found:
            message.string = found
            message.flags.discard("fuzzy")
            exact += 1
            continue
        near = memory.closest(message.id)
        if near is not None:
            message.string = memory.entries[near]
            message.flags.add("fuzzy")
            message.previous_id = [near]
            close += 1
    return exact, close


def read_po_file(path: Path, lang: str, report: Report) -> PoFile | None:
    """Read a PO file; syntax errors and a wrong plural header are reported at their line."""
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            report.error(
                "po-size",
                f"catalog is {size / 1e6:.1f} MB, above the limit of "
                f"{MAX_CATALOG_BYTES / 1e6:.0f} MB",
                Location(path),
                "a book's catalog is far smaller: is this the right file?",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error("po-read", f"cannot read catalog: {exc.strerror}", Location(path))
        return None
    if data.startswith(BOM):
        report.warning(
            "po-bom",
            "the catalog starts with a byte order mark (U+FEFF), which gettext's tools refuse",
            Location(path, 1),
            "it is read without it; save the file as UTF-8 without BOM (the next "
            "`pubtool i18n update` writes it so)",
        )
        data = data.removeprefix(BOM)
    bad = _check_lines(data.decode("utf-8", "replace"))
    if bad is not None:
        report.error(
            "po-syntax",
            f"catalog syntax error: {bad[1].strip()[:60]!r} is not a complete line",
            Location(path, bad[0]),
            'every line is a comment, a keyword with a quoted string, or a "quoted" string',
        )
        return None
    try:
        catalog = _read(data, lang)
    except PoFileError as exc:
        plurals = "num_plurals" in str(exc)
        report.error(
            "po-syntax",
            f"catalog syntax error: {exc}".rsplit(" on ", 1)[0],
            Location(path, exc.lineno + 1),
            "the entry has more msgstr[n] forms than the Plural-Forms header's nplurals: "
            "remove the extra forms or correct the header"
            if plurals
            else "check the quotes and keywords (msgid, msgstr) around this line",
        )
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        report.error("po-syntax", f"catalog cannot be read: {exc}", Location(path))
        return None
    _check_plural_forms(catalog, path, report)
    active = [_entry(message) for message in catalog if message.id]
    obsolete = [_entry(message, obsolete=True) for message in catalog.obsolete.values()]
    return PoFile(path, (*active, *obsolete), tuple(catalog.mime_headers))


def _entry(message: Message, obsolete: bool = False) -> Entry:
    """A Babel message as pubtool reads it: a plural entry by its singular, its first
    form as its msgstr, and every form in ``forms``."""
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    plural = "" if isinstance(message.id, str) else str(message.id[1])
    string = message.string
    forms = () if isinstance(string, str) else tuple(s or "" for s in string or ())
    msgstr = string if isinstance(string, str) else (forms[0] if forms else "")
    if plural and not all(forms):  # a plural entry is translated when every form is
        msgstr = ""
    previous = message.previous_id or [""]  # Babel keeps it as a list
    return Entry(
        msgid,
        msgstr or "",
        message.lineno,
        message.fuzzy,
        obsolete,
        previous[0],
        plural=plural,
        forms=forms,
        comments=tuple(c for c in message.user_comments if not c.startswith("|")),
        context=message.context or "",
        locations=tuple(f"{path}:{line}" if line else path for path, line in message.locations),
        notes=tuple(message.auto_comments),
    )


def _check_plural_forms(catalog: Catalog, path: Path, report: Report) -> None:
    """A plural entry with another number of forms than its catalog's ``Plural-Forms``
    header says, at the entry's line. The header itself is the translator's (or their
    tool's): gettext's usual ``nplurals=2; plural=(n > 1);`` for French is respected,
    though CLDR now counts three forms."""
    expected = catalog.num_plurals
    for message in catalog:
        if not message.id or isinstance(message.id, str) or not message.pluralizable:
            continue
        forms = message.string if isinstance(message.string, (list, tuple)) else ()
        written = len([form for form in forms if form])  # Babel pads the missing ones
        if 0 < written < expected or len(forms) > expected:
            report.warning(
                "po-plural",
                f"the plural entry {message.id[0]!r} has {written} forms, but the "
                f"catalog's Plural-Forms header says nplurals={expected}",
                Location(path, message.lineno),
                f"write msgstr[0] to msgstr[{expected - 1}], one per form of "
                f"`{catalog.plural_forms}`, or correct the header",
            )


def format_errors(entry: Entry, lang: str) -> list[str]:
    """What Babel's format checker finds wrong with the ``%(name)s`` placeholders of an
    entry's translation (a placeholder dropped, renamed or added)."""
    if "%(" not in entry.msgid:
        return []
    ids = (entry.msgid, entry.plural) if entry.plural else entry.msgid
    strings = entry.forms if entry.plural else entry.msgstr
    message = Message(ids, strings, flags={"python-format"})
    try:
        python_format(Catalog(locale=lang.replace("-", "_")), message)
    except TranslationError as exc:
        return [str(exc)]
    return []


def plural_index(po: PoFile, n: int, lang: str) -> int:
    """Which form of a plural entry of ``po`` serves the number ``n``: by the catalog's
    own ``Plural-Forms`` header (evaluated as GNU gettext does, by Python's ``gettext``),
    or CLDR's plural forms for ``lang`` (Babel's) where the catalog has no header."""
    header = next((value for name, value in po.headers if name.lower() == "plural-forms"), "")
    expression = ""
    for part in header.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "plural":
            expression = value.strip()
    if not expression:
        expression = Catalog(locale=lang.replace("-", "_")).plural_expr
    try:
        return int(gettext.c2py(expression)(n))
    except (ValueError, SyntaxError):  # a header no gettext could use: the first form
        return 0


def mo_bytes(po: PoFile, lang: str) -> bytes:
    """The compiled ``.mo`` of a catalog: its translated, non-fuzzy entries, under the
    header the catalog has (every field of it, as ``msgfmt`` carries it)."""
    catalog = _Catalog(locale=lang.replace("-", "_"), fuzzy=False)
    if po.headers:
        catalog.mime_headers = po.headers
    for entry in po.active():
        if entry.msgstr and not entry.fuzzy:
            if entry.plural:
                catalog.add((entry.msgid, entry.plural), entry.forms)
            else:
                catalog.add(entry.msgid, entry.msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def imported_po_bytes(
    existing: bytes, lang: str, domain: str, entries: Iterable[Entry]
) -> tuple[bytes | None, list[Entry]]:
    """A catalog with the translations of ``entries`` (from a CAT tool) written in: each
    one's forms, fuzzy state and new translator comments; the bytes (None when nothing
    changed) and the entries the catalog does not have.

    Nothing is lost: an empty translation leaves the catalog's as it is, and a comment
    the catalog has stays, whether the tool kept it or not.
    """
    catalog = _read(existing, lang, domain)
    unknown: list[Entry] = []
    changed = False
    for entry in entries:
        message = catalog.get(entry.msgid, context=entry.context or None)
        if message is None:
            unknown.append(entry)
            continue
        forms = entry.forms or (entry.msgstr,)
        if not any(forms):
            continue
        string: str | tuple[str, ...] = (
            forms[0] if isinstance(message.id, str) else tuple(forms[: catalog.num_plurals])
        )
        comments = [*message.user_comments]
        comments += [c for c in entry.comments if c not in comments]
        flags = (message.flags | {"fuzzy"}) if entry.fuzzy else (message.flags - {"fuzzy"})
        before = (_forms(message.string), set(message.flags), list(message.user_comments))
        message.string, message.flags, message.user_comments = string, flags, comments
        if not entry.fuzzy:
            message.previous_id = []  # the translation is made from this msgid now
        changed |= (_forms(string), flags, comments) != before
    return (_dump(catalog) if changed else None), unknown


def _forms(string: str | Iterable[str] | None) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(str(s or "") for s in string or ())
