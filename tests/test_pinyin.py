"""The glossary's pinyin as authors write it: syllable by syllable, or by the word as
GB/T 16159 prescribes (Píngdǐngshān, yáobiàn), checked against the readings pypinyin
lists for each character."""

from __future__ import annotations

import pytest

from pubtool import checks, readings
from pubtool.errors import Report
from pubtool.pipeline import read_book
from pubtool.project import Project


@pytest.mark.parametrize(
    ("hanzi", "written", "syllables"),
    [
        ("平顶山", "píng dǐng shān", ["píng", "dǐng", "shān"]),
        ("平顶山", "Píngdǐngshān", ["Píng", "dǐng", "shān"]),  # by the word, capitalized
        ("马街书会", "Mǎjiē Shūhuì", ["Mǎ", "jiē", "Shū", "huì"]),
        ("西安", "Xī'ān", ["Xī", "ān"]),  # the apostrophe is a boundary
        ("玫瑰紫", "méiguizǐ", ["méi", "gui", "zǐ"]),  # a neutral tone
        ("银行", "yínháng", ["yín", "háng"]),  # 行 read háng, one of its readings
        ("窑变", "yáo bián", None),  # bián is no reading of 变
        ("窑变", "yáo", None),  # a syllable short
    ],
)
def test_pinyin_is_split_into_the_syllables_of_the_characters(hanzi, written, syllables) -> None:
    assert readings.split(hanzi, written) == syllables


def test_a_written_boundary_is_kept() -> None:
    """xian could be one syllable; written xi'an it is two, and 先 would not do."""
    assert readings.split("先", "xi'an") is None
    assert readings.split("先", "xiān") == ["xiān"]


def test_zhuyin_from_pinyin_written_by_the_word() -> None:
    assert readings.zhuyin("Píngdǐngshān", "平顶山") == "ㄆㄧㄥˊ ㄉㄧㄥˇ ㄕㄢ"
    assert readings.zhuyin("jūn cí") == "ㄐㄩㄣ ㄘˊ"


GLOSSARY = """\
city:
  term: Pingdingshan
  hanzi: 平顶山
  pinyin: Píngdǐngshān
  definition: A city.
bank:
  term: Bank
  hanzi: 银行
  pinyin: yínháng
  definition: A bank.
rose:
  term: Rose purple
  hanzi: 玫瑰紫
  pinyin: méiguizǐ
  definition: A glaze.
wrong-tone:
  term: Yao Bian
  hanzi: 窑变
  pinyin: yáo bián
  definition: Kiln transmutation.
no-tones:
  term: Jun Ci
  hanzi: 钧瓷
  pinyin: jun ci
  definition: Jun porcelain.
short:
  term: Shenhou
  hanzi: 神垕镇
  pinyin: shén hòu
  definition: A town.
"""

CHAPTER = """\
---
title: One
---

{term}`city` {term}`bank` {term}`rose` {term}`wrong-tone` {term}`no-tones` {term}`short`
"""


def test_the_glossary_check_accepts_word_forms_and_names_the_expected_reading(project) -> None:
    root = project({"manuscript/glossary.yaml": GLOSSARY, "manuscript/01-first.md": CHAPTER})
    book = read_book(Project.at(root), Report())
    report = Report()
    checks.glossary(book, report)
    found = {d.message.split(":")[0].strip("'"): (d.code, d.message) for d in report.diagnostics}
    assert set(found) == {"wrong-tone", "no-tones", "short"}, found
    assert found["wrong-tone"] == (
        "GLOS005",
        "'wrong-tone': pinyin 'yáo bián'; pypinyin reads 'yáo biàn'",
    )
    assert found["no-tones"][0] == "GLOS005" and "has no tone marks" in found["no-tones"][1]
    assert found["short"][0] == "GLOS004" and "pypinyin reads 'shén hòu zhèn'" in found["short"][1]
    lines = {d.message.split(":")[0].strip("'"): d.location.line for d in report.diagnostics}
    assert lines == {"wrong-tone": 16, "no-tones": 21, "short": 26}
