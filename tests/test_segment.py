"""Segmentation into header, title, sections, subsections, items, bullets, paragraphs and sentences; summary vs plan."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from govkg.model import Metadata
from govkg.pipeline import bundled_report
from govkg.reader import read_report
from govkg.segment import (
    body_start,
    chinese_ordinal,
    is_plan_heading,
    report_years,
    segment,
)

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "reports"
INPUTS = [
    bundled_report(),
    *sorted(FIXTURES.iterdir()),
    *sorted((HERE / "corpus").glob("*")),
]


@pytest.fixture(scope="module")
def doc():
    return read_report(bundled_report())


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_every_span_is_stripped_non_empty_and_inside_the_text(path):
    d = read_report(path)
    assert d.sections
    for s in d.sections:
        assert 0 <= s.start < s.end <= len(d.text), s
        piece = d.text[s.start : s.end]
        assert piece == piece.strip() and piece, s
        assert s.part in ("front", "summary", "plan")
        if s.kind in ("header", "title"):
            assert s.part == "front"
        if s.kind == "sentence":
            assert "\n" not in piece and "\r" not in piece
        if s.kind == "paragraph":
            assert "\n" not in piece
    assert [s.start for s in d.sections] == sorted(s.start for s in d.sections)


def test_bundled_sections_subsections_and_plan(doc):
    sections = doc.spans("section")
    assert [s.ordinal for s in sections] == [1, 2, 3]
    assert [s.part for s in sections] == ["summary", "summary", "plan"]
    assert [s.year for s in sections] == [2020, 2020, 2021]
    assert (
        sections[2].heading == "2021年政法工作思路"
    )  # the heading clause, without the 三、 marker
    assert sections[0].end <= sections[1].start and sections[2].end == len(
        doc.text.rstrip()
    )
    subs = doc.spans("subsection")
    assert [s.ordinal for s in subs] == [1, 2, 3, 4, 5, 6]
    assert all(sections[1].start < s.start and s.end <= sections[1].end for s in subs)
    plan_items = [s for s in doc.spans("item") if s.part == "plan"]
    assert [s.ordinal for s in plan_items] == [1, 2, 3, 4, 5, 6, 7]
    assert all(s.year == 2021 for s in plan_items)
    numerals = "一二三四五六七"
    assert all(
        doc.text[s.start : s.end].startswith(numerals[k] + "是")
        for k, s in enumerate(plan_items)
    )
    assert all(
        s.part == "summary" and s.year == 2020
        for s in doc.spans("item")
        if s.end <= sections[2].start
    )
    bullets = doc.spans("bullet")
    assert len(bullets) == 6 and all(
        doc.text[b.start : b.start + 2] == "——" for b in bullets
    )
    assert (
        bullets[-1].end == sections[0].end
    )  # the last bullet runs to the end of its section
    assert all(b.end <= n.start for b, n in itertools.pairwise(bullets))


def test_bundled_front_matter(doc):
    (header,) = doc.spans("header")
    (title,) = doc.spans("title")
    assert doc.text[header.start : header.end].startswith("索引号")
    assert (
        doc.text[title.start : title.end] == doc.metadata.title
        and title.start > header.end
    )
    front_end = max(s.end for s in doc.sections if s.part == "front")
    first_body = min(s.start for s in doc.sections if s.part != "front")
    assert front_end < first_body
    # the page abstract in parentheses repeats the first paragraph and is page chrome
    abstract = doc.text.index("(" + doc.text[first_body : first_body + 10])
    assert abstract < front_end
    assert all(s.part == "front" for s in doc.sections if s.start < front_end)


def test_sentences_split_at_full_stops_and_semicolons():
    text = "一、成效\n全年完成“十件实事。”其中；两件提前完成！还有吗？有\n  尾句。  \n"
    secs = segment(text)
    sentences = [text[s.start : s.end] for s in secs if s.kind == "sentence"]
    assert sentences == [
        "一、成效",
        "全年完成“十件实事。”",
        "其中；",
        "两件提前完成！",
        "还有吗？",
        "有",
        "尾句。",
    ]
    paragraphs = [text[s.start : s.end] for s in secs if s.kind == "paragraph"]
    assert paragraphs == [
        "一、成效",
        "全年完成“十件实事。”其中；两件提前完成！还有吗？有",
        "尾句。",
    ]


@pytest.mark.parametrize(
    "text, plan_heading",
    [
        (
            "一、工作成效\n完成。\n二、下一步工作计划\n1. 深化改革。\n2. 强化保障。",
            "二、下一步工作计划",
        ),
        (
            "一、2021年工作回顾\n（一）经济\n完成。\n二、2022年工作思路\n（一）强化党建\n推进。",
            "二、2022年工作思路",
        ),
        (
            "第一部分 总结\n完成。\n第二部分 明年工作打算\n推进。",
            "第二部分 明年工作打算",
        ),
        ("一、主要做法\n完成。\n二、2022年重点工作\n推进。", "二、2022年重点工作"),
        ("一、主要做法\n完成。\n二、工作安排\n推进。", "二、工作安排"),
    ],
)
def test_plan_part_is_told_apart(text, plan_heading):
    secs = segment(text, title="某街道2021年工作总结和2022年工作思路")
    plan = [s for s in secs if s.kind == "section" and s.part == "plan"]
    assert [text[s.start : s.start + len(plan_heading)] for s in plan] == [plan_heading]
    assert plan[0].year == 2022
    assert all(
        s.part == "summary" and s.year == 2021 for s in secs if s.end <= plan[0].start
    )
    assert all(s.part == "plan" for s in secs if s.start >= plan[0].start)
    numbered = [s for s in secs if s.kind == "item" and s.part == "plan"]
    if "1." in text:
        assert [s.ordinal for s in numbered] == [1, 2]


def test_unnumbered_plan_heading_switches_the_part():
    text = "2021年工作总结\n一、成效\n完成。\n2022年工作计划\n一、强化党建\n推进。\n二、优化服务\n落实。"
    secs = segment(text)
    sections = [s for s in secs if s.kind == "section"]
    assert [(s.ordinal, s.part, s.year) for s in sections] == [
        (1, "summary", 2021),
        (1, "plan", 2022),
        (2, "plan", 2022),
    ]
    heading = next(
        s for s in secs if s.kind == "paragraph" and s.heading == "2022年工作计划"
    )
    assert heading.part == "plan"


def test_subsection_about_the_plan_inside_a_summary_section():
    text = "一、工作情况\n（一）主要成效\n完成。\n（二）下一步工作打算\n一是深化。二是巩固。\n（三）存在问题\n不足。"
    secs = segment(text, title="某局2021年工作总结")
    subs = [(s.ordinal, s.part, s.year) for s in secs if s.kind == "subsection"]
    assert subs == [(1, "summary", 2021), (2, "plan", 2022), (3, "summary", 2021)]
    assert [s.part for s in secs if s.kind == "item"] == ["plan", "plan"]


def test_items_nest_and_end_at_their_next_sibling_or_parent_end():
    text = "一、成效\n1. 甲项\n（1）细目\n（2）细目\n2. 乙项\n——要点\n——要点\n说明。\n二、问题\n不足。"
    secs = segment(text)
    items = [(text[s.start : s.end], s.ordinal) for s in secs if s.kind == "item"]
    assert items == [
        ("1. 甲项\n（1）细目\n（2）细目", 1),
        ("（1）细目", 1),
        ("（2）细目", 2),
        ("2. 乙项\n——要点\n——要点\n说明。", 2),
    ]
    bullets = [text[s.start : s.end] for s in secs if s.kind == "bullet"]
    assert bullets == ["——要点", "——要点\n说明。"]


def test_inline_items_are_consecutive_and_scoped_to_their_paragraph():
    secs = segment(
        "（一）强化领导。一是突出统筹；二是突出制度。五是不算。三是突出落实。\n其后一段。"
    )
    items = [(s.ordinal, s.heading) for s in secs if s.kind == "item"]
    assert items == [(1, "突出统筹"), (2, "突出制度"), (3, "突出落实")]
    assert max(s.end for s in secs if s.kind == "item") < secs[-1].start
    assert not [s for s in segment("统一是关键。这是一是非。") if s.kind == "item"]
    found = segment("重点有三，一是稳增长，二是保民生。")
    assert [s.ordinal for s in found if s.kind == "item"] == [1, 2]


def test_line_items_continue_across_lines_and_within_a_line():
    text = (
        "二、2022年工作计划\n一是深化改革。二是强化保障。\n三是优化服务。\n补充说明。"
    )
    secs = segment(text)
    items = [(s.ordinal, text[s.start : s.end]) for s in secs if s.kind == "item"]
    assert items == [
        (1, "一是深化改革。"),
        (2, "二是强化保障。"),
        (3, "三是优化服务。\n补充说明。"),
    ]


def test_ordinals_and_years():
    assert [
        chinese_ordinal(x)
        for x in ("一", "十", "十一", "十二", "二十", "三十五", "9", "12", "⑤", "百")
    ] == [
        1,
        10,
        11,
        12,
        20,
        35,
        9,
        12,
        5,
        None,
    ]
    assert report_years("大鹏新区某办2020年度工作总结及2021年工作计划") == (2020, 2021)
    assert report_years("某局2022年工作要点") == (2021, 2022)
    assert report_years("某局2019年工作总结") == (2019, 2020)
    assert report_years("某局工作总结") == (None, None)
    assert (
        is_plan_heading("下一步计划")
        and is_plan_heading("明年工作打算")
        and not is_plan_heading("总体成效")
    )


def test_body_start_skips_header_title_and_chrome():
    text = "网站 首页\n\n索引号：X/2021-1\n发布机构：某局\n\n某局2021年工作总结\n【打印】\n发布日期：2021-01-01 浏览次数：3\n\n2021年，我局完成各项任务。\n一、成效"
    i, p = text.index("X/2021-1"), text.index("某局\n")
    md = Metadata(
        index_number="X/2021-1",
        publisher="某局",
        spans=(("index_number", i, i + 8), ("publisher", p, p + 2)),
    )
    start = body_start(text, md)
    assert start == text.index("2021年，我局")
    assert body_start("一、成效\n完成。", Metadata()) == 0
    assert (
        body_start(
            "某局2021年工作总结\n\n2021年，我局完成了各项任务，成效明显。", Metadata()
        )
        > 0
    )
    secs = segment(text, body_start=start, metadata=md)
    kinds = [(s.kind, s.part) for s in secs if s.start < start]
    assert ("header", "front") in kinds and ("title", "front") in kinds
    assert all(part == "front" for _k, part in kinds)


def test_report_without_header_or_title():
    text = "全年完成任务。\n一、成效\n完成。"
    secs = segment(text)
    assert not [s for s in secs if s.kind in ("header", "title")]
    assert [s.kind for s in secs][:2] == ["paragraph", "sentence"]


def test_large_input_is_segmented_fully():
    """Not a timing test: a 2 MB input is segmented and every paragraph is found (the scan is linear)."""
    text = "一、总体\n全年完成任务12项。一是强化。二是规范。\n——要点。\n" * 20000
    secs = segment(text)
    assert sum(1 for s in secs if s.kind == "paragraph") == 60000
    assert sum(1 for s in secs if s.kind == "section") == 20000
