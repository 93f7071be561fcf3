"""Segmentation into sections, subsections, items, bullets, paragraphs and sentences; summary vs plan."""

from __future__ import annotations

import pytest

from govkg.pipeline import bundled_report
from govkg.reader import read_report
from govkg.segment import chinese_ordinal, segment


@pytest.fixture(scope="module")
def doc():
    return read_report(bundled_report())


def test_every_span_is_stripped_and_inside_the_text(doc):
    for s in doc.sections:
        assert 0 <= s.start < s.end <= len(doc.text)
        piece = doc.text[s.start : s.end]
        assert piece == piece.strip(" \t\n\u3000\u00a0"), s


def test_bundled_sections_subsections_and_plan(doc):
    sections = doc.spans("section")
    assert [s.ordinal for s in sections] == [1, 2, 3]
    assert [s.part for s in sections] == ["summary", "summary", "plan"]
    assert sections[2].year == 2021 and sections[0].year == 2020
    assert [s.ordinal for s in doc.spans("subsection")] == [1, 2, 3, 4, 5, 6]
    plan_items = [s for s in doc.spans("item") if s.part == "plan"]
    assert [s.ordinal for s in plan_items] == [1, 2, 3, 4, 5, 6, 7]
    assert all(doc.text[s.start : s.end].startswith(("一是", "二是", "三是", "四是", "五是", "六是", "七是")) for s in plan_items)
    assert len(doc.spans("bullet")) == 6
    assert doc.spans("title") and doc.spans("header")


def test_sentences_do_not_cross_lines(doc):
    for s in doc.spans("sentence"):
        assert "\n" not in doc.text[s.start : s.end]


@pytest.mark.parametrize(
    "text, plan_heading",
    [
        ("一、工作成效\n完成。\n二、下一步工作计划\n1. 深化改革。\n2. 强化保障。", "二、下一步工作计划"),
        ("一、2021年工作回顾\n（一）经济\n完成。\n二、2022年工作思路\n（一）强化党建\n推进。", "二、2022年工作思路"),
        ("第一部分 总结\n完成。\n第二部分 明年工作打算\n推进。", "第二部分 明年工作打算"),
    ],
)
def test_plan_part_is_told_apart(text, plan_heading):
    secs = segment(text, title="某街道2021年工作总结和2022年工作思路")
    plan = [s for s in secs if s.kind == "section" and s.part == "plan"]
    assert [text[s.start : s.start + len(plan_heading)] for s in plan] == [plan_heading]
    assert all(s.part == "summary" for s in secs if s.end <= plan[0].start and s.kind != "header")
    numbered = [s for s in secs if s.kind == "item" and s.part == "plan"]
    if "1." in text:
        assert [s.ordinal for s in numbered] == [1, 2]


def test_inline_items_and_ordinals():
    secs = segment("（一）强化领导。一是突出统筹。二是突出制度。十二是突出落实。")
    assert [(s.ordinal, s.heading) for s in secs if s.kind == "item"] == [(1, "一是突出统筹"), (2, "二是突出制度"), (12, "十二是突出落实")]
    assert [chinese_ordinal(x) for x in ("一", "十", "十一", "二十", "三十五", "9")] == [1, 10, 11, 20, 35, 9]


def test_linear_time_on_a_large_text():
    """Not a timing test: a 2 MB input is segmented and every paragraph is found."""
    text = ("一、总体\n全年完成任务12项。一是强化。二是规范。\n" * 20000)
    secs = segment(text)
    assert sum(1 for s in secs if s.kind == "paragraph") == 40000
