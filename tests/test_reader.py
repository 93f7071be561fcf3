"""Reading reports: encodings, HTML pages, headers, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from govkg.errors import ReportError
from govkg.pipeline import bundled_report
from govkg.reader import decode_bytes, html_to_text, parse_header, read_report, uscc_valid

BODY = "一、总体成效\n全年调解纠纷1200件，同比增长5%。\n二、2022年工作计划\n一是深化改革。"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (BODY.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + BODY.encode("utf-8"), "utf-8-sig"),
        (BODY.encode("gb18030"), "gb18030"),
        (BODY.encode("gbk"), "gb18030"),
        (b"\xff\xfe" + BODY.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + BODY.encode("utf-16-be"), "utf-16"),
    ],
)
def test_encodings_give_the_same_text(data, encoding):
    doc = read_report(data, name="r.txt")
    assert doc.text == BODY
    assert doc.encoding == encoding


def test_explicit_encoding_wins_and_bad_one_is_explained():
    assert read_report(BODY.encode("gb18030"), encoding="gb18030").text == BODY
    with pytest.raises(ReportError, match="r.txt: not valid utf-8"):
        read_report(BODY.encode("gb18030"), encoding="utf-8", name="r.txt")
    with pytest.raises(ReportError, match="unknown encoding"):
        read_report(BODY.encode(), encoding="klingon", name="r.txt")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"<html><head><script>x()</script></head><body>   </body></html>", "no visible text"),
    ],
)
def test_bad_input_gets_one_clear_error_naming_the_file(data, message):
    with pytest.raises(ReportError) as err:
        read_report(data, name="bad.txt")
    text = str(err.value)
    assert text.startswith("bad.txt: ") and message in text and "\n" not in text


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReportError, match="no such file"):
        read_report(tmp_path / "nope.txt")
    with pytest.raises(ReportError, match="is a folder"):
        read_report(tmp_path)


def test_undecodable_bytes_in_gb18030_are_an_error_not_a_crash():
    with pytest.raises(ReportError, match="not UTF-8, GB18030 or UTF-16"):
        read_report("总结".encode("utf-8")[:-1] + b"\x80\x80\xff\xff\x81" * 3, name="x.txt")


def test_html_page_gives_visible_text_only():
    page = (
        "<!DOCTYPE html><html><head><title>标题</title><style>p{color:red}</style>"
        "<script>var a='<p>不可见</p>';</script></head><body><nav><a href='/'>首页</a></nav>"
        "<table><tr><td>索引号</td><td>11440300MB2C1719XA/2021-00058</td></tr>"
        "<tr><td>文号</td><td></td></tr></table>"
        "<p>&ldquo;一核同心圆&rdquo;试点&nbsp;运行。</p><p>二、计划</p></body></html>"
    )
    doc = read_report(page.encode("utf-8"), name="p.html")
    assert doc.media_type == "text/html"
    assert "不可见" not in doc.text and "color" not in doc.text and "标题" not in doc.text
    assert "“一核同心圆”试点\u00a0运行。" in doc.text
    assert "索引号 11440300MB2C1719XA/2021-00058" in doc.text


def test_html_to_text_is_deterministic_and_keeps_lines():
    html = "<div>一、总体</div><div>第二行<br>第三行</div>"
    assert html_to_text(html) == html_to_text(html) == "一、总体\n第二行\n第三行"


def test_bundled_header_is_parsed_and_typed():
    doc = read_report(bundled_report())
    md = doc.metadata
    assert doc.id == md.index_number == "11440300MB2C1719XA/2021-00058"
    assert md.uscc == "11440300MB2C1719XA"
    assert md.created == dt.date(2021, 6, 21) and md.issued == dt.date(2021, 6, 22)
    assert md.doc_number is None and md.category is None  # empty fields are omitted
    assert md.keywords == ("2020年度", "工作总结", "工作计划")
    for field, s, e in md.spans:
        assert doc.text[s:e].strip() == doc.text[s:e] and e > s
    assert len(doc.sha256) == 64


@pytest.mark.parametrize(
    "header, publisher, created",
    [
        ("索引号: X/2021-1 分类:\n发布机构: 某区司法局 成文日期: 2021/6/1\n", "某区司法局", dt.date(2021, 6, 1)),
        ("索 引 号：X/2021-1\n发文机关：某街道办事处\n成文日期：2022年01月18日\n标　　题：某报告\n", "某街道办事处", dt.date(2022, 1, 18)),
        ("索引号 X/2021-1 发布机构 某局\n成文日期 2021-06-01 文号\n", "某局", dt.date(2021, 6, 1)),
    ],
)
def test_header_variants(header, publisher, created):
    md, warnings = parse_header(header + "\n正文。")
    assert md.publisher == publisher and md.created == created
    assert warnings == []


def test_malformed_date_and_bad_credit_code_are_warned_about():
    md, warnings = parse_header("索引号: 11440300MB2C1719XB/2021-00058\n成文日期: 2021-13-45\n\n正文")
    assert md.created is None and md.uscc is None
    assert any("成文日期" in w for w in warnings) and any("credit code" in w for w in warnings)


def test_credit_code_check_character():
    assert uscc_valid("11440300MB2C1719XA")
    assert not uscc_valid("11440300MB2C1719XB")
    assert not uscc_valid("short")


def test_report_without_header_uses_title_line_and_content_hash():
    doc = read_report("某街道2021年工作总结\n\n一、成效\n全年完成任务。".encode())
    assert doc.metadata.title == "某街道2021年工作总结"
    assert doc.id.startswith("sha256-") and doc.metadata.publisher is None


def test_stdin(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BODY.encode("gb18030"))))
    doc = read_report("-")
    assert doc.text == BODY and doc.source == "<stdin>"


def test_decode_bytes_reports_what_it_did():
    assert decode_bytes(BODY.encode("utf-16"), name="x") == (BODY, "utf-16", "text/plain")
