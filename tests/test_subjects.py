"""Subjects naming a country or territory: CLDR codes, aliases, misspellings, localized names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pubtool.errors import Location, Report
from pubtool.subjects import ALIASES, localized, normalize, resolve

SHARED = Path(__file__).resolve().parents[2] / "shared" / "subjects.txt"
HERE = Location(Path("book.yaml"), 10)
ZH = {
    "%(place)s culture": "%(place)s文化",
    "Serbia,Montenegro culture": "塞尔维亚和黑山文化",
    "Netherlands Antilles culture": "荷属安的列斯文化",
}


def chinese(msgid: str) -> str:
    return ZH.get(msgid, msgid)


def test_cldr_names_resolve_whatever_the_spelling() -> None:
    report = Report()
    found = resolve(
        (
            "Cote d'Ivoire culture",
            "St.Kitts and Nevis culture",
            "Cocos(Keeling)Islands culture",
            "Sao Tome\xa0and Principe culture",
            "Bosnia and Herzegovina",
            "Jun ware",
        ),
        HERE,
        report,
    )
    assert [s.code for s in found] == ["CI", "KN", "CC", "ST", "BA", ""]
    assert [s.msgid for s in found] == ["%(place)s culture"] * 4 + ["%(place)s", "Jun ware"]
    assert not report.diagnostics  # "Jun ware" is no place: no warning


def test_misspelled_place_is_a_warning_with_the_closest_names() -> None:
    report = Report()
    found = resolve(
        ("China culture", "Frech Polynesia culture", "Aland lslands culture"), HERE, report
    )
    assert [s.code for s in found] == ["CN", "", ""]
    assert [(d.code, d.location.line) for d in report.warnings] == [
        ("subject-place", 12),
        ("subject-place", 13),
    ]
    assert report.warnings[0].hint == "did you mean 'French Polynesia'?"
    assert "'Åland Islands'" in report.warnings[1].hint


def test_localized_names() -> None:
    found = resolve(
        (
            "Albania culture",
            "White Russia culture",
            "Serbia,Montenegro culture",
            "Netherlands Antilles culture",
            "Frech Polynesia culture",
            "Hungary",
        ),
        HERE,
        Report(),
    )
    shown = [localized(s, "zh", chinese) for s in found]
    assert shown[:2] == ["阿尔巴尼亚文化", "白俄罗斯文化"]
    # places of the past are the translator's to name, never replaced by their successors
    assert [s.historical for s in found] == [False, False, True, True, False, False]
    assert shown[2:4] == ["塞尔维亚和黑山文化", "荷属安的列斯文化"]
    assert shown[4] == "Frech Polynesia culture"  # unresolved: the catalog's word, or as written
    assert shown[5] == "匈牙利"
    assert localized(
        found[0], "fr", lambda m: {"%(place)s culture": "culture de %(place)s"}.get(m, m)
    ) == ("culture de Albanie")


def test_every_alias_names_a_code_cldr_knows_or_retired() -> None:
    report = Report()
    found = resolve(tuple(ALIASES), HERE, report)
    assert all(s.code for s in found) and not report.diagnostics
    for subject in found:
        assert localized(subject, "zh", chinese) != subject.text


def sample_subjects() -> list[str]:
    book_yaml = Path(__file__).parents[1] / "manuscript" / "book.yaml"
    return yaml.safe_load(book_yaml.read_text("utf-8"))["subjects"]


def test_the_cataloguing_list_of_the_sample_book() -> None:
    subjects = tuple(sample_subjects())
    assert len(subjects) == 204
    report = Report()
    found = resolve(subjects, HERE, report)
    unresolved = [s.text for s in found if not s.code and not s.historical]
    assert unresolved == ["Aland lslands culture", "Frech\xa0Polynesia culture"]
    assert len(report.warnings) == 2


@pytest.mark.skipif(
    not SHARED.exists(), reason="the shared cataloguing list is not beside the clone"
)
def test_sample_book_lists_them_exactly_as_given() -> None:
    assert sample_subjects() == SHARED.read_text(encoding="utf-8").splitlines()


def test_normalize() -> None:
    assert normalize("St. Vincent & Grenadines") == normalize("St.Vincent and the Grenadines")
    assert normalize("Côte d’Ivoire") == normalize("Cote d'Ivoire")
