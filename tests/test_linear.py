"""Extraction is crash-free on truncated text and linear in its input.

The pathological inputs below are sized so that the quadratic code they guard against took from half a
minute to several minutes on them, while the linear code reads them in well under a second: a regression
shows as a test that hangs, not as a flaky timing assertion.
"""

from __future__ import annotations

import pytest

from govkg.extract import extract
from govkg.extract.figures import chinese_number
from govkg.reader import parse_header, read_report

#: A short report of our own, with the things truncation can cut through: header labels, quotes, book
#: titles, figures with multipliers and qualifiers, rankings, claims, numbered headings and 一是 items.
REPORT = (
    "索引号：11440300MB2C1719XA/2021-00058\n"
    "发布机构：某区司法局\n"
    "\n"
    "某区司法局2021年工作总结\n"
    "\n"
    "一、总体情况\n"
    "全年开展“八五”普法宣传活动12场，覆盖群众约1.2万人次，累计调解纠纷305件，未发生1起民转刑案件。"
    "葵涌司法所被授予“全国模范司法所”荣誉称号。法治指数全市排名第2，位居全省前三，"
    "11项考核指标中有9项排在全区前3名，建成全省首个“枫桥式”司法所。\n"
    "二、2022年工作计划\n"
    "（一）深化《中华人民共和国民法典》宣传。一是抓好“谁执法谁普法”责任制；二是推进“一村一法律顾问”。\n"
)


def _extract(text: str):
    doc = read_report(text.encode("utf-8"), name="x")
    ex = extract(doc)
    for m in ex.iter_mentions():
        assert doc.text[m.start : m.end] == m.text, (text, m)
    return ex


# -- truncated text ---------------------------------------------------------------------------------------------


def test_quote_at_the_end_of_a_truncated_report():
    """A numeral quote with fewer than two characters after it (开展“八五”普): no look-up past the end."""
    for text in ("开展“八五”普", "开展“八五”", "“八五”普", "开展“八五”普法", "全年开展“一十百千万”行", "“三”"):
        _extract(text)
    names = {e.name for e in _extract("全年开展“八五”普法宣传。").entities.values()}
    assert "八五普法" in names  # the whole word still names the programme


@pytest.mark.parametrize("cut", range(1, len(REPORT) + 1, 1))
def test_every_prefix_of_a_report(cut):
    text = REPORT[:cut]
    if not text.strip():
        return
    _extract(text)


def test_every_suffix_of_a_report():
    for cut in range(len(REPORT) - 1):
        text = REPORT[cut:]
        if text.strip():
            _extract(text)


def test_a_body_named_by_an_area_the_text_never_names():
    """大鹏计法院: its area read from its first characters, but 大鹏新区 is written nowhere: no relation to it."""
    ex = _extract("大鹏街道\n大鹏计法院")
    keys = set(ex.entities)
    assert all(r.subject in keys and r.object in keys for r in ex.relations)


def test_chinese_number_of_a_run_of_numerals():
    assert [chinese_number(s) for s in ("十", "十二", "二十", "二十一", "3")] == [10, 12, 20, 21, 3]
    assert [chinese_number(s) for s in ("十十", "三三十", "十三一", "三三", "")] == [None] * 5
    _extract("全市第三三十名，全市前十十，11项指标中有三十十项排名全市前3。")


# -- linear in the input ----------------------------------------------------------------------------------------


def test_a_line_of_mixed_white_space():
    """16 K characters of alternating U+3000 and spaces (a report without a title: the body's plan heading is
    looked for): the plan-year pattern split the run between its two white-space runs every way."""
    ex = _extract("情况通报\n" + "\u3000 " * 8000)
    assert ex.document.text.startswith("情况通报")


def test_figures_in_one_clause_without_punctuation():
    """210 KB of 1万份: each figure copied and searched the whole clause before it."""
    ex = _extract("1万份" * 30000)
    assert len(ex.observations) == 30000
    assert ex.observations[-1].counts == "1万份" * 10  # the last 30 characters of the clause before it
    assert ex.observations[-1].value == 10000


def test_figures_in_chinese_numerals_in_one_clause_without_punctuation():
    """A run of numeral characters and of numeral figures: each position is tried once, over a bounded span."""
    ex = _extract("三" * 60000)
    assert ex.observations == []
    ex = _extract("三千余处" * 20000 + "同比增长" * 20000 + "百分之十二点五")
    assert len(ex.observations) == 20001
    assert ex.observations[-1].change == "increase" and ex.observations[-1].unit == "%"


def test_figures_after_leading_words_and_qualifiers():
    ex = _extract("其中" * 20000 + "累计" + "约" * 20000 + "1人" + "1人" * 10000)
    assert len(ex.observations) == 10001
    assert ex.observations[0].cumulative and ex.observations[0].counts == ""


def test_rankings_in_one_clause_without_punctuation():
    ex = _extract("全市前1" * 16000)
    assert len(ex.rankings) == 16000
    ex = _extract("11项1项全市前1" * 8000)
    assert [(r.count, r.of) for r in ex.rankings[:2]] == [(1, 11), (1, 111)]  # 111项: the 1 of 全市前1 before it
    assert len(ex.rankings) == 8000
    ex = _extract("全市第1名" * 20000)
    assert len(ex.rankings) == 20000


def test_claims_in_one_clause_without_punctuation():
    ex = _extract("全省首个" * 24000)
    assert len(ex.rankings) == 24000 and ex.rankings[0].kind == "first"


def test_a_header_value_of_white_space():
    """A label followed by 64 K blanks: an unknown label was looked for from every blank."""
    md, _ = parse_header("索引号：1" + "\u3000 " * 32000)
    assert md.index_number == "1"


def test_a_long_header_value():
    """A publisher of 30 K characters: every suffix of every body's name was listed."""
    ex = _extract("发布机构：甲" + " 甲\u3000" * 10000)
    assert ex.document.metadata.publisher.startswith("甲")


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p>工作</p>" + "<a " * 30000,  # unclosed tags after the last >: each read to the end
        "<html><body>" + "<!--" * 30000,  # unclosed comments
        "<html><body>" + "<!--x>" * 60000 + "</body></html>",  # comments never closed, with > after them
        "<html><body>" + "<![CDATA[x>" * 100000 + "</body></html>",  # marked sections never closed
    ],
    ids=["open-tags", "open-comments", "comments-never-closed", "sections-never-closed"],
)
def test_a_web_page_cut_short(page):
    from govkg.reader import html_to_text

    text = html_to_text(page)
    assert len(text) < len(page)


def test_text_after_the_last_tag_is_kept():
    from govkg.reader import html_to_text

    assert html_to_text("<html><body><p>一、总体</p>二<a b<!--c &lt;d") == "一、总体\n\n二<a b<!--c <d"
