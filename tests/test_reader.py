"""Reading reports: encodings, HTML pages, headers, bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import sys
from pathlib import Path

import pytest

from govkg import reader
from govkg.errors import ReportError
from govkg.model import Metadata
from govkg.pipeline import bundled_report
from govkg.reader import (
    REPORT_FIELDS,
    decode_bytes,
    html_to_text,
    parse_date,
    parse_header,
    read_report,
    uscc_valid,
)

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
BODY = (
    "一、总体成效\n全年调解纠纷1200件，同比增长5%。\n二、2022年工作计划\n一是深化改革。"
)


# -- encodings -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, encoding",
    [
        (BODY.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + BODY.encode("utf-8"), "utf-8-sig"),
        (BODY.encode("gb18030"), "gb18030"),
        (BODY.encode("gbk"), "gb18030"),
        (BODY.encode("gb2312"), "gb18030"),
        (b"\xff\xfe" + BODY.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + BODY.encode("utf-16-be"), "utf-16"),
    ],
)
def test_encodings_give_the_same_text(data, encoding):
    doc = read_report(data, name="r.txt")
    assert (
        doc.text == BODY
    )  # BOM dropped: offsets count from the first character after it
    assert doc.encoding == encoding and doc.media_type == "text/plain"
    assert doc.sha256 == hashlib.sha256(BODY.encode("utf-8")).hexdigest()
    assert doc.warnings == []


def test_gb18030_file_with_crlf_is_kept_verbatim():
    doc = read_report(FIXTURES / "no-header-gb18030-crlf.txt")
    assert doc.encoding == "gb18030"
    assert doc.text.count("\r\n") == 9 and doc.text.startswith(
        "某街道2021年工作总结\r\n"
    )
    assert doc.source == str(FIXTURES / "no-header-gb18030-crlf.txt")


def test_text_is_not_normalised():
    raw = "２０２１年，“全角”　空格\t和\u00a0不换行。\r\n一、成效\n"
    assert read_report(raw.encode(), name="r.txt").text == raw


def test_explicit_encoding_wins_and_bad_one_is_explained():
    assert read_report(BODY.encode("gb18030"), encoding="gb18030").text == BODY
    assert read_report(BODY.encode("utf-8"), encoding="latin-1").text == BODY.encode(
        "utf-8"
    ).decode("latin-1")
    assert read_report(b"\xef\xbb\xbf" + BODY.encode(), encoding="utf-8").text == BODY
    with pytest.raises(ReportError, match="^r.txt: not valid utf-8"):
        read_report(BODY.encode("gb18030"), encoding="utf-8", name="r.txt")
    with pytest.raises(ReportError, match="^r.txt: unknown encoding 'klingon'"):
        read_report(BODY.encode(), encoding="klingon", name="r.txt")


def test_broken_bytes_are_replaced_and_warned_about_not_fatal():
    # a damaged byte in long UTF-8 text, and a last character cut in half
    data = BODY.encode() * 5
    damaged = data[:10] + b"\xff" + data[11:]
    doc = read_report(damaged, name="d.txt")
    assert doc.encoding == "utf-8" and "\ufffd" in doc.text
    assert any("U+FFFD" in w and w.startswith("d.txt: ") for w in doc.warnings)
    cut = read_report(BODY.encode()[:-2], name="c.txt")
    assert (
        cut.text.startswith(BODY[:-1]) and cut.text.endswith("\ufffd") and cut.warnings
    )


def test_lone_surrogate_in_utf16_becomes_a_warning():
    data = (
        b"\xff\xfe"
        + "一、成效\n完成".encode("utf-16-le")
        + b"\x00\xd8"
        + "。".encode("utf-16-le")
    )
    doc = read_report(data, name="s.txt")
    assert "\ufffd" in doc.text and doc.text.encode(
        "utf-8"
    )  # encodable: the sha256 could be computed
    assert any("U+FFFD" in w or "surrogate" in w for w in doc.warnings)


def test_large_input_is_read_with_a_warning(monkeypatch):
    monkeypatch.setattr(reader, "LARGE_INPUT", 100)
    doc = read_report((BODY * 10).encode(), name="big.txt")
    assert any("big.txt" in w and "large" in w for w in doc.warnings)


# -- bad input -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\t \r\n", "empty"),
        ("\u3000\u3000\n".encode(), "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("一、成效".encode("utf-16-le"), "utf-16-le"),
        (
            b"<html><head><script>x()</script></head><body>   </body></html>",
            "no visible text",
        ),
        (
            "总结".encode()[:-1] + b"\x80\x80\xff\xff\x81" * 3,
            "not UTF-8, GB18030 or UTF-16 text; pass --encoding",
        ),
    ],
)
def test_bad_input_gets_one_clear_error_naming_the_file(data, message):
    with pytest.raises(ReportError) as err:
        read_report(data, name="bad.txt")
    text = str(err.value)
    assert text.startswith("bad.txt: ") and message in text and "\n" not in text


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReportError, match=r"nope\.txt: no such file"):
        read_report(tmp_path / "nope.txt")
    with pytest.raises(ReportError, match="is a folder"):
        read_report(tmp_path)
    with pytest.raises(ReportError, match="^shown.txt: no such file"):
        read_report(str(tmp_path / "nope.txt"), name="shown.txt")


def test_binary_file_on_disk(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(ReportError, match="image.txt: looks like a binary file"):
        read_report(path)


# -- HTML ------------------------------------------------------------------------------------------------------------


def test_html_page_gives_visible_text_and_metadata():
    doc = read_report(FIXTURES / "page.html")
    text = doc.text
    assert doc.media_type == "text/html"
    for hidden in (
        "脚本里的标题",
        "不可见",
        "text-indent",
        "_某区人民政府",
        "隐藏的文字",
        "请启用脚本",
        "注释里的文字",
    ):
        assert hidden not in text
    assert (
        "索引号： 11440300MB2C1719XA/2023-00001 分类：\n" in text
    )  # cells of one row joined by a space
    assert (
        "法治政府建设“提质”。全年审查文件11件\u00a0次。" in text
    )  # entities unescaped, &nbsp; kept
    assert "\n\n\n" not in text and text == text.strip()
    md = doc.metadata
    assert md.index_number == "11440300MB2C1719XA/2023-00001" and md.category is None
    assert md.publisher == "某区司法局" and md.created == dt.date(2023, 1, 16)
    assert md.title == "某区司法局2022年工作总结和2023年工作计划"
    for _f, s, e in md.spans:
        assert text[s:e] == text[s:e].strip() and e > s
    plan = [s for s in doc.spans("section") if s.part == "plan"]
    assert len(plan) == 1 and plan[0].year == 2023
    assert [s.ordinal for s in doc.spans("item")] == [1, 2]


def test_html_detected_by_content_or_suffix():
    page = b"<!doctype html><html><body><p>one</p><p>two</p></body></html>"
    assert decode_bytes(page, name="x.txt") == ("one\n\ntwo", "utf-8", "text/html")
    assert decode_bytes(b"<b>bold</b> text", name="x.htm")[2] == "text/html"
    assert decode_bytes(b"a < b and c > d", name="x.txt")[2] == "text/plain"


def test_html_to_text_blocks_cells_and_blank_lines():
    html = (
        "<div>一、总体</div><div>第二行<br>第三行</div><br><br><br>"
        "<table><tr><td>a</td><td> b </td><th>c</th></tr><tr><td>d</td></tr></table>"
        "<ul><li>x</li><li>y</li></ul><pre>  keep\n  lines</pre><span hidden>no</span>"
    )
    out = html_to_text(html)
    assert out == html_to_text(html)  # deterministic
    assert out == "一、总体\n第二行\n第三行\n\na b c\nd\nx\ny\n\n  keep\n  lines"


# -- header ----------------------------------------------------------------------------------------------------------


def test_bundled_header_is_parsed_and_typed():
    doc = read_report(bundled_report())
    md = doc.metadata
    assert doc.id == md.index_number == "11440300MB2C1719XA/2021-00058"
    assert md.uscc == "11440300MB2C1719XA"
    assert md.created == dt.date(2021, 6, 21) and md.issued == dt.date(2021, 6, 22)
    assert md.doc_number is None and md.category is None  # empty fields are omitted
    assert md.keywords == ("2020年度", "工作总结", "工作计划")
    assert md.publisher and md.title and "\n" not in md.title
    fields = {f for f, _s, _e in md.spans}
    assert fields == {
        "index_number",
        "uscc",
        "publisher",
        "created",
        "title",
        "issued",
        "keywords",
    }
    values = {
        "index_number": md.index_number,
        "uscc": md.uscc,
        "publisher": md.publisher,
        "title": md.title,
    }
    for field, s, e in md.spans:
        assert doc.text[s:e].strip() == doc.text[s:e] and e > s
        if field in values:
            assert doc.text[s:e] == values[field]
        if field == "keywords":
            assert doc.text[s:e] in md.keywords
    assert doc.warnings == []


def test_header_one_field_per_line_with_spaced_labels_and_full_width_colons():
    doc = read_report(FIXTURES / "header-variants.txt")
    md = doc.metadata
    assert (
        md.index_number == "11440300MB2C1719XA/2021-00001"
        and md.uscc == "11440300MB2C1719XA"
    )
    assert md.category == "综合政务" and md.publisher == "某区某局"
    assert md.created == dt.date(2021, 6, 1) and md.issued == dt.date(2021, 6, 3)
    assert md.title == "某局2020年工作总结及2021年工作安排" and md.doc_number is None
    assert md.keywords == ("工作总结", "工作安排", "2021年")


@pytest.mark.parametrize(
    "header, publisher, created, doc_number",
    [
        (
            "索引号: X/2021-1 分类:\n发布机构: 某区司法局 成文日期: 2021/6/1\n",
            "某区司法局",
            dt.date(2021, 6, 1),
            None,
        ),
        (
            "索 引 号：X/2021-1\n发文机关：某街道办事处\n成文日期：2022年01月18日\n标　　题：某报告\n",
            "某街道办事处",
            dt.date(2022, 1, 18),
            None,
        ),
        (
            "索引号 X/2021-1 发布机构 某局\n成文日期 2021-06-01 文号\n",
            "某局",
            dt.date(2021, 6, 1),
            None,
        ),
        (
            "发布单位：某局　文号：某发〔2021〕3号　成文日期：2021.06.01\n",
            "某局",
            dt.date(2021, 6, 1),
            "某发〔2021〕3号",
        ),
        (
            "发布机构：某局  浏览次数：12\n成文日期：2021-06-01 10:30:00\n",
            "某局",
            dt.date(2021, 6, 1),
            None,
        ),
    ],
)
def test_header_variants(header, publisher, created, doc_number):
    text = header + "\n正文。"
    md, warnings = parse_header(text)
    assert (
        md.publisher == publisher
        and md.created == created
        and md.doc_number == doc_number
    )
    assert warnings == []
    for _f, s, e in md.spans:
        assert text[s:e] == text[s:e].strip() and e > s


def test_header_is_only_read_before_the_body():
    text = "一、成效\n全年完成任务，发布机构：某局。\n成文日期：2021-06-01\n"
    md, _ = parse_header(text)
    assert md.publisher is None and md.created is None


def test_malformed_date_and_bad_credit_code_are_warned_about():
    md, warnings = parse_header(
        "索引号: 11440300MB2C1719XB/2021-00058\n成文日期: 2021-13-45\n\n正文",
        name="w.txt",
    )
    assert (
        md.created is None
        and md.uscc is None
        and md.index_number == "11440300MB2C1719XB/2021-00058"
    )
    assert "w.txt: 成文日期 '2021-13-45' is not a date; left out" in warnings
    assert any("credit code" in w for w in warnings)
    assert "created" not in {f for f, _s, _e in md.spans}


def test_credit_code_check_character():
    assert uscc_valid("11440300MB2C1719XA")
    assert not uscc_valid("11440300MB2C1719XB")  # mutated check character
    assert not uscc_valid("11440300MB2C1718XA")  # mutated body
    assert not uscc_valid("short") and not uscc_valid(
        "11440300MB2C1719XI"
    )  # I is not in the charset
    md, warnings = parse_header(
        "索引号：000014349/2021-00058\n"
    )  # a 9-character organisation code is not a USCC
    assert md.uscc is None and warnings == []


@pytest.mark.parametrize(
    "value, date",
    [
        ("2021-06-21", dt.date(2021, 6, 21)),
        ("2021/6/21", dt.date(2021, 6, 21)),
        ("2021年6月21日", dt.date(2021, 6, 21)),
        ("2021.06.21", dt.date(2021, 6, 21)),
        ("2021-02-30", None),
        ("六月", None),
    ],
)
def test_parse_date(value, date):
    assert parse_date(value) == date


def test_report_without_header_uses_title_line_and_content_hash():
    doc = read_report("某街道2021年工作总结\n\n一、成效\n全年完成任务。".encode())
    assert doc.metadata.title == "某街道2021年工作总结"
    assert doc.id == "sha256-" + doc.sha256[:16] and doc.metadata.publisher is None
    assert not doc.spans("header") and doc.spans("title")
    bare = read_report("全年完成任务。".encode(), name="bare.txt")
    assert bare.metadata == Metadata() and bare.source == "bare.txt"
    assert [s.kind for s in bare.sections] == ["paragraph", "sentence"]


def test_stdin(monkeypatch):
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(BODY.encode("gb18030")))
    )
    doc = read_report("-")
    assert doc.text == BODY and doc.source == "<stdin>" and doc.encoding == "gb18030"


def test_decode_bytes_reports_what_it_did():
    assert decode_bytes(BODY.encode("utf-16"), name="x") == (
        BODY,
        "utf-16",
        "text/plain",
    )
    with pytest.raises(ReportError, match="^x: the file is empty"):
        decode_bytes(b"", name="x")


def test_report_fields_name_metadata_attributes():
    attrs = {f.name for f in dataclasses.fields(Metadata)}
    assert set(REPORT_FIELDS.values()) <= attrs
    assert (
        REPORT_FIELDS["索引号"] == "index_number"
        and REPORT_FIELDS["发文字号"] == "doc_number"
    )


def test_bracketed_labels_on_one_line_and_a_breadcrumb_above_them():
    text = (
        "某县人民政府网 >> 政务公开 >> 乡镇政务公开 >> 计划总结\n\n"
        "【索引号】000000000/2020-00001　　【信息分类】计划总结　　【发布机构】某县某镇人民政府\n"
        "【生成日期】2020年01月13日　　【文　　号】　　【主 题 词】\n"
        "【信息来源】某镇党政办公室　　【公开方式】主动公开\n\n"
        "某镇2019年工作总结和2020年工作计划\n\n"
        "一、2019年工作\n全年完成任务。\n"
    )
    doc = reader.read_report(text.encode("utf-8"), name="bracket.txt")
    md = doc.metadata
    assert md.index_number == "000000000/2020-00001" and md.category == "计划总结"
    assert md.publisher == "某县某镇人民政府"  # 信息来源 comes later: the first publisher label wins
    assert md.created == dt.date(2020, 1, 13) and md.doc_number is None and md.keywords == ()
    assert md.title == "某镇2019年工作总结和2020年工作计划"  # not the navigation trail that says 计划总结
    for _field, s, e in md.spans:
        assert "【" not in text[s:e] and "】" not in text[s:e]


@pytest.mark.parametrize(
    "header",
    [
        # a table with bars, as saved from a portal
        "某区人民政府 | 政府信息公开 | 工作报告\n\n| 索 引 号 | 000000000/2022-00004 | 主题分类 | 公检法司 |\n"
        "| 发布机构 | 某市某区人民法院 | 成文日期 | 2022-01-12 |\n| 发文字号 | | 发布日期 | 2022-01-25 |\n\n",
        # a <dl>: each label on its line, its value on the next
        "当前位置：首页 » 政务公开 » 计划总结\n索 引 号：\n000000000/2022-00004\n发布机构：\n某市某区人民法院\n"
        "公开目录：\n计划总结\n成文日期：\n2022-01-12\n文　　号：\n公开形式：\n主动公开\n\n",
    ],
    ids=["bars", "dl"],
)
def test_table_and_definition_list_headers(header):
    text = header + "某区人民法院2021年工作报告\n\n一、2021年工作回顾\n全年受理案件100件。\n"
    md = reader.read_report(text.encode("utf-8"), name="h.txt").metadata
    assert md.index_number == "000000000/2022-00004" and md.publisher == "某市某区人民法院"
    assert md.created == dt.date(2022, 1, 12) and md.doc_number is None
    assert md.title == "某区人民法院2021年工作报告"
    for _field, s, e in md.spans:
        assert text[s:e].strip() == text[s:e] and "|" not in text[s:e]
