"""Reading reports: bytes → verbatim text (UTF-8/GB18030/UTF-16, or a page's visible text) + header metadata."""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import ReportError
from .model import Document, Metadata
from .segment import body_start, segment

__all__ = [
    "LARGE_INPUT",
    "read_source",
    "REPORT_FIELDS",
    "decode_bytes",
    "html_to_text",
    "parse_date",
    "parse_header",
    "read_report",
    "uscc_valid",
]

#: Header labels (as written, without the spaces that pad them) → Metadata attribute.
REPORT_FIELDS: dict[str, str] = {
    "索引号": "index_number",
    "分类": "category",
    "主题分类": "category",
    "信息分类": "category",
    "公开目录": "category",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "发布单位": "publisher",
    "发文单位": "publisher",
    "来源": "publisher",
    "信息来源": "publisher",
    "成文日期": "created",
    "发文日期": "created",
    "印发日期": "created",
    "生成日期": "created",
    "名称": "title",
    "标题": "title",
    "文件名称": "title",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发布日期": "issued",
    "发布时间": "issued",
    "公开日期": "issued",
    "主题词": "keywords",
    "关键词": "keywords",
}
#: Other labels of disclosure pages: recognised so that a value does not run into them, and not kept.
_OTHER_LABELS = (
    "有效性",
    "有效期",
    "时效",
    "浏览次数",
    "访问次数",
    "点击数",
    "公开方式",
    "公开范围",
    "公开时限",
    "公开形式",
    "组配分类",
    "体裁分类",
    "服务对象分类",
    "字体",
    "字号",
    "作者",
    "责任编辑",
    "摘要",
)
#: Inputs larger than this (bytes) are read, with a warning (a build refuses reports past
#: ``govkg.pipeline.MAX_REPORT_BYTES``).
LARGE_INPUT = 4 * 1024 * 1024
_CANONICAL_LABEL = {"created": "成文日期", "issued": "发布日期"}
_HEADER_LINES = 60
_HEADER_CHARS = 3000
_WS = " \t\u3000\u00a0\r"


# -- decoding --------------------------------------------------------------------------------------------------------


def decode_bytes(
    data: bytes, *, encoding: str | None = None, name: str = "<bytes>"
) -> tuple[str, str, str]:
    """Decode a report: ``(text, encoding, media_type)``, the fields a :class:`Document` gets.

    UTF-8 (a BOM is dropped), UTF-16 with a BOM, then GB18030 (which covers GBK and GB2312); an explicit
    ``encoding`` wins. A web page (by content, or a ``.htm``/``.html`` ``name``) becomes its visible text
    and ``media_type`` is ``"text/html"``.

    Raises
    ------
    ReportError
        Empty, binary or undecodable input, with one line naming ``name`` and what to do.

    Examples
    --------
    >>> decode_bytes("工作总结".encode("gb18030"))
    ('工作总结', 'gb18030', 'text/plain')
    >>> decode_bytes(b"<p>a&nbsp;b</p><script>x()</script>", name="x.html")
    ('a\\xa0b', 'utf-8', 'text/html')
    """
    text, enc, media, _warnings = _decode_all(data, encoding, name)
    return text, enc, media


def _decode_all(
    data: bytes, encoding: str | None, name: str
) -> tuple[str, str, str, list[str]]:
    warnings: list[str] = []
    if not data.strip():
        raise ReportError(f"{name}: the file is empty; give a report with text in it")
    text, enc = _decode(data, encoding, name, warnings)
    _check_controls(text, name, warnings)
    media = "text/plain"
    if _looks_like_html(text, name):
        text, media = html_to_text(text), "text/html"
        if not text.strip():
            raise ReportError(
                f"{name}: no visible text in the page; save the page with its text, or give the text"
            )
    elif not text.strip():
        raise ReportError(
            f"{name}: the file is empty (whitespace only); give a report with text in it"
        )
    bad = text.count("\ufffd")
    if bad:
        warnings.append(
            f"{name}: {bad} undecodable character(s) shown as U+FFFD, first at offset {text.index(chr(0xFFFD))}; "
            "check the encoding"
        )
    return text, enc, media, warnings


_MAGIC = (
    (b"%PDF", "a PDF file; extract its text first (e.g. pdftotext)"),
    (b"PK\x03\x04", "a ZIP or Office file; save the report as text or HTML first"),
    (b"\xd0\xcf\x11\xe0", "an old Office file; save the report as text or HTML first"),
    (b"{\\rtf", "an RTF file; save the report as plain text first"),
)


def _binary(name: str, why: str) -> ReportError:
    return ReportError(f"{name}: {why}")


def _decode(
    data: bytes, encoding: str | None, name: str, warnings: list[str]
) -> tuple[str, str]:
    if encoding:
        try:
            codec = codecs.lookup(encoding)
        except LookupError:
            raise ReportError(
                f"{name}: unknown encoding {encoding!r}; try utf-8, gb18030 or utf-16"
            ) from None
        if b"\x00" in data and not codec.name.startswith(("utf-16", "utf-32")):
            raise _binary(
                name,
                "looks like a binary file (NUL bytes), not a report; give a text (.txt) or saved web page (.html)",
            )
        try:
            text = data.decode(codec.name)
        except UnicodeDecodeError as exc:
            raise ReportError(
                f"{name}: not valid {encoding} text (byte {exc.start}); try another --encoding or leave it out"
            ) from None
        return _fix_surrogates(text.removeprefix("\ufeff"), name, warnings), encoding
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _binary(name, f"looks like {what}")
    if data.startswith(codecs.BOM_UTF8):
        return _lenient(data[3:], "utf-8", name, warnings), "utf-8-sig"
    for bom, enc in (
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            if len(data) % 2:
                warnings.append(
                    f"{name}: odd number of bytes for UTF-16; the last byte is dropped"
                )
                data = data[:-1]
            return _lenient(data[2:], enc, name, warnings), "utf-16"
    if b"\x00" in data:
        guess = _utf16_guess(data)
        hint = (
            f" (UTF-16 without a byte-order mark? pass --encoding {guess})"
            if guess
            else ""
        )
        raise _binary(
            name,
            f"looks like a binary file, not a report{hint}; give a text (.txt) or saved web page (.html)",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc
    # a few broken sequences in otherwise good UTF-8 (a cut-off last character, a damaged byte): keep UTF-8;
    # GB18030 text read as UTF-8 has next to no valid multi-byte sequences
    lenient = data.decode("utf-8", "replace")
    broken = lenient.count("\ufffd")
    good = sum(1 for c in lenient if c > "\x7f") - broken
    cut_off = first_error.reason == "unexpected end of data" and first_error.end == len(
        data
    )
    if cut_off or good >= 20 * broken:
        return _lenient(data, "utf-8", name, warnings), "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    lenient = data.decode("gb18030", "replace")
    if lenient.count("\ufffd") * 200 <= len(lenient):
        return _lenient(data, "gb18030", name, warnings), "gb18030"
    raise ReportError(f"{name}: not UTF-8, GB18030 or UTF-16 text; pass --encoding")


_TEXTY = re.compile(
    "[\t\n\r\x20-\x7e\u00a0\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2010-\u2027]"
)


def _utf16_guess(data: bytes) -> str | None:
    """The UTF-16 byte order under which ``data`` reads as Chinese or ASCII text, if one does."""
    if len(data) % 2:
        return None
    best, best_score = None, 0.9
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:8192].decode(enc)
        except UnicodeDecodeError:
            continue
        score = len(_TEXTY.findall(text)) / max(len(text), 1)
        if score > best_score:
            best, best_score = enc, score
    return best


def _lenient(data: bytes, enc: str, name: str, warnings: list[str]) -> str:
    """Decode, replacing broken sequences with U+FFFD (the caller warns about them)."""
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        text = data.decode(enc, "replace")
    return _fix_surrogates(text, name, warnings)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(text: str, name: str, warnings: list[str]) -> str:
    """Replace lone surrogates (which cannot be written as UTF-8) by U+FFFD, one for one, so offsets hold."""
    m = _SURROGATE.search(text)
    if m is None:
        return text
    count = len(_SURROGATE.findall(text))
    warnings.append(
        f"{name}: {count} lone surrogate(s) replaced by U+FFFD, first at offset {m.start()}"
    )
    return _SURROGATE.sub("\ufffd", text)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f]")


def _check_controls(text: str, name: str, warnings: list[str]) -> None:
    sample = text[:65536]
    count = len(_CONTROL.findall(sample))
    if count and count > 0.05 * len(sample):
        raise _binary(
            name,
            "looks like a binary file (control characters), not a report; give a text (.txt) or saved web page (.html)",
        )
    if count:
        warnings.append(
            f"{name}: {count} control character(s) in the text; kept as they are"
        )


_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|meta|title|div|p|br|span|table|tr|td|th|ul|ol|li|a|h[1-6]|script|style|section|article)\b[^<>]*>",
    re.IGNORECASE,
)


def _looks_like_html(text: str, name: str) -> bool:
    if name.lower().endswith((".htm", ".html", ".xhtml", ".shtml")):
        return True
    head = text[:8192]
    return (
        bool(_HTML_START.match(head))
        or re.search(r"<html[\s>]", head, re.IGNORECASE) is not None
        or len(_HTML_TAG.findall(head)) >= 8
    )


# -- HTML ------------------------------------------------------------------------------------------------------------

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "iframe",
    "object",
    "select",
}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
_BLOCK = {
    "div",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "form",
    "hr",
    "caption",
    "figure",
    "figcaption",
    "address",
    "fieldset",
    "center",
    "tbody",
    "thead",
    "tfoot",
    "details",
    "summary",
    "legend",
}
_PARA = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")


class _Visible(HTMLParser):
    """Collects the text a browser shows, line by line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.blank = False  # a paragraph break is due before the next text
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.pre = 0
        self._open_comment: tuple[str, int] | None = None  # see parse_comment
        self._open_sections: dict[str, tuple[str, int]] = {}  # see parse_marked_section

    def parse_comment(self, i: int, report: bool = True) -> int:
        """html.parser's, remembering where no comment end follows: once ``<!--`` at ``i`` has none after it,
        no later ``<!--`` has one (html.parser looks through the rest of the page for each: quadratic)."""
        raw = self.rawdata
        seen = self._open_comment
        if seen is not None and seen[0] is raw and i >= seen[1]:
            return -1
        k = super().parse_comment(i, report)
        if k < 0:
            self._open_comment = (raw, i)
        return k

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """html.parser's, remembering where no end of a marked section of each kind follows (``]]>`` after
        ``<![CDATA[``, ``]>`` after ``<![if …``), for the same reason as :meth:`parse_comment`."""
        raw = self.rawdata
        name, _j = self._scan_name(i + 3, i)  # type: ignore[attr-defined]  # _markupbase's, not in typeshed
        kind = "ms" if name in ("if", "else", "endif") else "sgml" if name in ("temp", "cdata", "ignore", "include", "rcdata") else None
        if kind is None:
            return super().parse_marked_section(i, report)
        seen = self._open_sections.get(kind)
        if seen is not None and seen[0] is raw and i >= seen[1]:
            return -1
        k = super().parse_marked_section(i, report)
        if k < 0:
            self._open_sections[kind] = (raw, i)
        return k

    # output
    def _flush(self, hard: bool = False) -> None:
        if self.cur or hard:
            self.lines.append("".join(self.cur).rstrip(" "))
            self.cur = []

    def _text(self, s: str) -> None:
        if not s:
            return
        if not self.cur:
            s = s if self.pre else s.lstrip(" ")
            if not s:
                return
            if self.blank and self.lines:
                self.lines.append("")
            self.blank = False
        elif not self.pre and self.cur[-1].endswith(" ") and s.startswith(" "):
            s = s[1:]
        if s:
            self.cur.append(s)

    # parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth += 1
            elif self.skip_tag == "head" and tag == "body":
                self.skip_tag, self.skip_depth = None, 0
            return
        hidden = any(
            k == "hidden" or (k == "style" and v and _HIDDEN_STYLE.search(v))
            for k, v in attrs
        )
        if (tag in _SKIP or hidden) and tag not in _VOID:
            self.skip_tag, self.skip_depth = tag, 1
            return
        self._open(tag)

    def _open(self, tag: str) -> None:
        if tag == "br":
            self._flush(hard=True)
        elif tag in _PARA:
            self._flush()
            self.blank = True
            if tag == "pre":
                self.pre += 1
        elif tag in _BLOCK:
            self._flush()
        elif tag in ("td", "th") and self.cur and not self.cur[-1].endswith(" "):
            self.cur.append(" ")  # cells of one row are joined by a space

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if (
            self.skip_tag is None
            and tag in ("br", "hr")
            or tag in _BLOCK
            and self.skip_tag is None
        ):
            self._open(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth <= 0:
                    self.skip_tag, self.skip_depth = None, 0
            return
        if tag == "br":
            self._flush(hard=True)
        elif tag in _PARA:
            self._flush()
            self.blank = True
            if tag == "pre" and self.pre:
                self.pre -= 1
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip_tag is not None:
            return
        if self.pre:
            parts = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for k, part in enumerate(parts):
                if k:
                    self._flush(hard=True)
                self._text(part)
            return
        self._text(_COLLAPSE.sub(" ", data))

    def result(self) -> str:
        self._flush()
        out: list[str] = []
        for line in self.lines:
            if line.strip(" \t"):
                out.append(line)
            elif out and out[-1] != "":
                out.append("")
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out)


def _tail_as_text(html: str) -> str:
    """The page with every ``<`` after its last ``>`` written ``&lt;``.

    No tag, comment or declaration can end there, and html.parser reads each of them as text once the input
    ends, but only after looking for its end through the rest of the page: a page cut short after many
    ``<a`` or ``<!--`` costs the square of its length. Written as an entity, the same text comes out at once.
    """
    last = html.rfind(">")
    if html.find("<", last + 1) < 0:
        return html
    return html[: last + 1] + html[last + 1 :].replace("<", "&lt;")


def html_to_text(html: str) -> str:
    """The visible text of a page, deterministically.

    Scripts, styles, ``<head>`` (title included), hidden elements and comments are dropped; block elements
    end lines, paragraphs and headings are set off by one blank line, cells of a table row are joined by a
    space, entities are unescaped (``&nbsp;`` stays U+00A0) and runs of blank lines become one.

    Examples
    --------
    >>> html_to_text("<html><head><title>t</title><script>x()</script></head><body><p>一、总体</p><p>二&nbsp;b</p></body></html>")
    '一、总体\\n\\n二\\xa0b'
    >>> html_to_text("<table><tr><td>索引号：</td><td>X/2021-1</td></tr></table><div hidden>不可见</div>")
    '索引号： X/2021-1'
    """
    p = _Visible()
    try:
        p.feed(_tail_as_text(html))
        p.close()
    except (
        AssertionError,
        ValueError,
    ) as exc:  # html.parser is lenient; a guard against its rare asserts
        raise ReportError(
            f"<html>: the page could not be parsed ({exc}); save it again or give its text"
        ) from None
    return p.result()


# -- header ----------------------------------------------------------------------------------------------------------


def uscc_valid(code: str) -> bool:
    """Check character of an 18-character unified social credit code (GB 32100-2015, mod 31).

    Examples
    --------
    >>> uscc_valid("11440300MB2C1719XA"), uscc_valid("11440300MB2C1719XB")
    (True, False)
    """
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    if len(code) != 18 or any(c not in chars for c in code):
        return False
    total = sum(chars.index(c) * w for c, w in zip(code[:17], weights))
    return chars[(31 - total % 31) % 31] == code[17]


def _spaced(label: str) -> str:
    return "[ \u3000]*".join(map(re.escape, label))


_ALL_LABELS = sorted([*REPORT_FIELDS, *_OTHER_LABELS], key=len, reverse=True)
_LABEL_ALT = "|".join(_spaced(lab) for lab in _ALL_LABELS)
# a label starts a line or follows a space or a separator (so 文件名称 is not read as 名称), and ends with a colon
# or a closing bracket (【索引号】);
# "索引号 X" without a colon (a table row of a saved page) counts at a line start or after a space
_LONG_LABEL_ALT = "|".join(_spaced(lab) for lab in _ALL_LABELS if len(lab) >= 4)
_LABEL = re.compile(
    rf"(?:^|(?<=[\s|｜│,，;；【\[])|(?=(?:{_LONG_LABEL_ALT})[:：]))(?P<label>{_LABEL_ALT})(?:[ \u3000\u00a0\t]*(?P<colon>[:：]|[】\]][:：]?)|(?=[ \u3000\u00a0\t]+\S|[ \u3000\u00a0\t]*$))",
    re.MULTILINE,
)
# an unknown "label:" after a space ends a value too (looked for with :func:`_other_label`)
_OTHER_LABEL = re.compile(
    r"[ \u3000\u00a0\t]++[\u4e00-\u9fff](?:[ \u3000]*+[\u4e00-\u9fff]){1,5}[ \u3000]*+[:：]"
)
_BLANK_RUN = re.compile(r"[ \u3000\u00a0\t]+")
_DATE = re.compile(
    r"(\d{4})[ \u3000]*(?:[-/.．]|年)[ \u3000]*(\d{1,2})[ \u3000]*(?:[-/.．]|月)[ \u3000]*(\d{1,2})[ \u3000]*日?"
    r"(?:[ T\u3000]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
_TITLE_HINT = re.compile(r"工作总结|工作计划|报告|总结")
#: A portal's navigation trail (首页 > 信息公开 > 计划总结): never the title, though it may say 总结.
_BREADCRUMB = re.compile(r">|＞|»|→|当前位置|您的位置|您现在的位置|[|｜│][^|｜│]*[|｜│]")
_BODY_LINE = re.compile(
    r"(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
)


def parse_date(value: str) -> _dt.date | None:
    """2021-06-21, 2021/6/21, 2021年6月21日 or 2021.06.21 (a time may follow) → date; None otherwise.

    Examples
    --------
    >>> parse_date("2021年6月21日"), parse_date("2021.06.21 10:30"), parse_date("2021-13-45")
    (datetime.date(2021, 6, 21), datetime.date(2021, 6, 21), None)
    """
    m = _DATE.fullmatch(value.strip())
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _header_region(text: str) -> int:
    """End of the region a header may occupy: 60 lines or 3000 characters, and never past the body's start."""
    limit = min(len(text), _HEADER_CHARS)
    pos = 0
    for _k in range(_HEADER_LINES):
        if pos >= limit:
            break
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end].strip()
        body_like = _BODY_LINE.match(line) or (
            len(line) > 80 and ("。" in line or "，" in line)
        )
        if line and body_like and not _LABEL.search(line):
            return pos
        pos = end + 1
    return min(max(pos, 0), limit) if pos < len(text) else len(text)


def parse_header(text: str, *, name: str = "<text>") -> tuple[Metadata, list[str]]:
    """Metadata from the disclosure header near the top of ``text`` (索引号, 发布机构, 成文日期 …), and warnings.

    Labels may be padded with spaces or U+3000, colons may be ASCII or full-width, several fields may share
    a line, empty values are left out. Only the first 60 lines / 3000 characters before the body are read.

    Examples
    --------
    >>> md, warnings = parse_header("索 引 号：11440300MB2C1719XA/2021-1 分类:\\n成文日期：2021年6月1日\\n\\n正文。")
    >>> md.index_number, md.uscc, md.created, md.category, warnings
    ('11440300MB2C1719XA/2021-1', '11440300MB2C1719XA', datetime.date(2021, 6, 1), None, [])
    """
    warnings: list[str] = []
    region = _header_region(text)
    hits = list(_LABEL.finditer(text, 0, region))
    # colon-less labels only count in a header that has at least two labels in all
    if sum(1 for m in hits if m.group("colon")) < 2 and len(hits) < 3:
        hits = [m for m in hits if m.group("colon")]
    values: dict[str, tuple[str, int]] = {}
    taken: list[tuple[int, int]] = []  # value lines under their labels (never the title)
    from_pos = line_end = -1  # the end of the line from ``from_pos`` on, when known
    for k, m in enumerate(hits):
        attr = REPORT_FIELDS.get(re.sub("[ \u3000]", "", m.group("label")), "")
        if not from_pos <= m.end() <= line_end:  # labels sharing a line share its end: found once
            from_pos, line_end = m.end(), _line_end(text, m.end())
        stop = hits[k + 1].start() if k + 1 < len(hits) else line_end
        stop = min(stop, line_end)
        other = _other_label(text, m.end(), stop)
        if other:
            stop = other.start()
        raw = text[m.end() : stop]
        # 【索引号】X　【发布机构】Y: the next label's bracket; | 发布机构 | Y | 成文日期 |: the table's bars
        value = raw.strip(_WS + "|｜│").rstrip("【[").strip(_WS + "|｜│")
        base = m.end()
        if not value and m.group("colon") and stop == line_end and line_end < region:
            # a label alone on its line, its value on the next (a <dl> of <dt>/<dd> pairs)
            nxt_end = _line_end(text, line_end + 1)
            nxt = text[line_end + 1 : nxt_end]
            if nxt.strip(_WS) and not _LABEL.match(nxt.strip(_WS)) and not (k + 1 < len(hits) and hits[k + 1].start() < nxt_end):
                raw, base = nxt, line_end + 1
                value = nxt.strip(_WS)
                taken.append((base, nxt_end))
        if not value or not attr or attr in values:
            continue
        values[attr] = (value, base + raw.index(value))
    fields: dict[str, Any] = {}
    spans: list[tuple[str, int, int]] = []
    for attr, (value, start) in values.items():
        if attr in ("created", "issued"):
            date = parse_date(value)
            if date is None:
                warnings.append(
                    f"{name}: {_CANONICAL_LABEL[attr]} {value!r} is not a date; left out"
                )
                continue
            fields[attr] = date
            spans.append((attr, start, start + len(value)))
        elif attr == "keywords":
            words = []
            for w in re.finditer(r"[^;；,，、\s]+", value):
                words.append(w.group())
                spans.append(("keywords", start + w.start(), start + w.end()))
            fields[attr] = tuple(words)
        else:
            fields[attr] = value
            spans.append((attr, start, start + len(value)))
    if "index_number" in values:
        value, start = values["index_number"]
        code = value.split("/")[0].strip()
        if re.fullmatch(r"[0-9A-Z]{18}", code):
            if uscc_valid(code):
                fields["uscc"] = code
                spans.append(("uscc", start, start + 18))
            else:
                warnings.append(
                    f"{name}: 索引号 {value!r} does not start with a valid unified social credit code "
                    "(GB 32100-2015 check character); uscc left out"
                )
    if "title" not in fields:
        found = _title_line(text, region, spans + [("", a, b) for a, b in taken])
        if found:
            s, e = found
            fields["title"] = text[s:e]
            spans.append(("title", s, e))
    spans.sort(key=lambda x: (x[1], x[2], x[0]))
    return Metadata(spans=tuple(spans), **fields), warnings


def _other_label(text: str, pos: int, stop: int) -> re.Match[str] | None:
    """``_OTHER_LABEL.search(text, pos, stop)``, tried only where a run of blanks starts.

    A match from inside a run is one from the run's start (its first blanks take the whole run), so the
    leftmost match starts at a run's start; trying every position of a long run is quadratic in its length.
    """
    for r in _BLANK_RUN.finditer(text, pos, stop):
        m = _OTHER_LABEL.match(text, r.start(), stop)
        if m is not None:
            return m
    return None


def _line_end(text: str, pos: int) -> int:
    m = re.compile(r"[\n\r]").search(text, pos)
    return len(text) if m is None else m.start()


#: A numbered section heading: 一、 （二） 3. 4、
_SECTION_MARK = re.compile(r"[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、．.]")


def _title_line(
    text: str, region: int, spans: list[tuple[str, int, int]]
) -> tuple[int, int] | None:
    """The first line near the top that reads like a title (工作总结, 工作计划, 报告 … under 80 characters).

    Never a numbered section heading (一、2023年工作总结), and nothing after the body has begun (a paragraph of
    sentences): a page without a title line has none.
    """
    limit = max(region, min(len(text), _HEADER_CHARS))
    pos = 0
    for _k in range(_HEADER_LINES):
        if pos >= limit:
            break
        end = _line_end(text, pos)
        raw = text[pos:end]
        line = raw.strip()
        s = pos + len(raw) - len(raw.lstrip())
        if len(line) >= 40 and line.count("。") >= 1 and not any(a <= s < b for _f, a, b in spans):
            break  # the body has begun
        if (
            line
            and not _SECTION_MARK.match(line)
            and len(line) < 80
            and "。" not in line
            and not _BREADCRUMB.search(line)
            and _TITLE_HINT.search(line)
            and not _LABEL.search(line)
            and not any(a <= s < b for _f, a, b in spans)
        ):
            return s, s + len(line)
        nxt = text.find("\n", end)
        if nxt < 0:
            break
        pos = nxt + 1
    return None


# -- reading ---------------------------------------------------------------------------------------------------------


def _read_source(
    source: str | os.PathLike[str] | bytes, name: str | None
) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), name or "<bytes>"
    if isinstance(source, str) and source == "-":
        label = name or "<stdin>"
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise ReportError(f"{label}: no standard input to read; give a file path")
        try:
            return stream.read(), label
        except (OSError, ValueError) as exc:
            raise ReportError(
                f"{label}: cannot be read ({exc}); give a file path"
            ) from None
    path = Path(source)
    label = name or os.fspath(source)
    try:
        if path.is_dir():
            raise ReportError(f"{label}: is a folder; name a report file")
        return path.read_bytes(), label
    except FileNotFoundError:
        raise ReportError(f"{label}: no such file; check the path") from None
    except PermissionError:
        raise ReportError(
            f"{label}: permission denied; check the file's permissions"
        ) from None
    except OSError as exc:
        raise ReportError(
            f"{label}: cannot be read ({exc.strerror or exc}); check the path"
        ) from None


def read_source(source: str | os.PathLike[str] | bytes, name: str | None = None) -> tuple[bytes, str]:
    """The raw bytes of a report (a path, ``"-"`` for standard input, or bytes) and its label for messages.

    Raises ReportError (one line naming the file) for a missing, unreadable or folder path.
    """
    return _read_source(source, name)


#: Metadata a caller may supply for a report whose text does not state it (a page without a disclosure header).
SUPPLIED_FIELDS = ("publisher", "title", "issued", "url")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def supply_metadata(md: Metadata, given: Mapping[str, object], label: str, warnings: list[str]) -> Metadata:
    """``md`` with the fields of ``given`` (publisher, title, issued, url) that the text does not state, and all of
    ``given`` in ``supplied``; a field the text states keeps the text's value (with a warning when the two
    disagree, that is when neither contains the other).

    >>> w = []
    >>> md = supply_metadata(Metadata(title="甲街道2022年工作总结"), {"publisher": "乙市甲街道", "title": "别的"}, "x", w)
    >>> md.publisher, md.title, md.supplied
    ('乙市甲街道', '甲街道2022年工作总结', (('publisher', '乙市甲街道'), ('title', '别的')))
    >>> w
    ['x: the text states title 甲街道2022年工作总结; the supplied 别的 is not used']
    """
    unknown = sorted(set(given) - set(SUPPLIED_FIELDS))
    if unknown:
        raise ReportError(f"{label}: cannot supply metadata field(s) {', '.join(unknown)}; use {', '.join(SUPPLIED_FIELDS)}")
    changes: dict[str, Any] = {}
    kept: list[tuple[str, str]] = []
    for key in SUPPLIED_FIELDS:
        raw = given.get(key)
        if raw is None or str(raw).strip() == "":
            continue
        value: Any
        if key == "issued":
            try:
                value = raw if isinstance(raw, _dt.date) else _dt.date.fromisoformat(str(raw).strip())
            except ValueError:
                raise ReportError(f"{label}: supplied issued date {raw!r} is not YYYY-MM-DD") from None
        elif key == "url":
            value = str(raw).strip()
            if not _URL.fullmatch(value):
                raise ReportError(f"{label}: supplied url {raw!r} is not an http(s) address")
        else:
            value = " ".join(str(raw).split())
        kept.append((key, str(value)))
        stated = getattr(md, key)
        if stated is None:
            changes[key] = value
        elif stated != value and not (isinstance(value, str) and (str(stated) in value or value in str(stated))):
            warnings.append(f"{label}: the text states {key} {stated}; the supplied {value} is not used")
    return replace(md, **changes, supplied=tuple(kept))


def read_report(
    source: str | os.PathLike[str] | bytes,
    *,
    encoding: str | None = None,
    name: str | None = None,
    supplied: Mapping[str, object] | None = None,
) -> Document:
    """Read a report from a path, ``"-"`` (standard input) or bytes into a :class:`Document`.

    The text is kept verbatim (only a BOM is dropped; a web page gives its visible text); every offset
    in govkg counts code points of ``Document.text``.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A file path, ``"-"`` for standard input, or the report's bytes.
    encoding : str, optional
        Decode with this codec instead of detecting UTF-8 / UTF-16 / GB18030.
    name : str, optional
        Name used in messages and as ``Document.source`` (default: the path, ``<stdin>`` or ``<bytes>``).
    supplied : mapping, optional
        Metadata known from outside the text (a corpus manifest: ``publisher``, ``title``, ``issued``, ``url``),
        used where the text does not state the field; ``Metadata.supplied`` names the fields taken.

    Raises
    ------
    ReportError
        Missing, unreadable, empty, binary or undecodable input (one line naming the file and what to do).

    Examples
    --------
    >>> doc = read_report("索引号: 11440300MB2C1719XA/2021-00058\\n发布机构: 某区司法局\\n\\n一、总体成效\\n全年调解纠纷12件。".encode())
    >>> doc.id, doc.metadata.publisher, doc.metadata.uscc
    ('11440300MB2C1719XA/2021-00058', '某区司法局', '11440300MB2C1719XA')
    >>> [s.kind for s in doc.sections]
    ['header', 'section', 'paragraph', 'sentence', 'paragraph', 'sentence']
    """
    data, label = _read_source(source, name)
    text, enc, media, warnings = _decode_all(data, encoding, label)
    if len(data) > LARGE_INPUT:
        warnings.append(
            f"{label}: {len(data) / 1048576:.1f} MB is unusually large for a report; reading takes about 6 s and "
            "350 MB of memory per MB"
        )
    metadata, more = parse_header(text, name=label)
    warnings.extend(more)
    if supplied:
        metadata = supply_metadata(metadata, supplied, label, warnings)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(
        id=metadata.index_number or f"sha256-{digest[:16]}",
        text=text,
        source=label,
        sha256=digest,
        metadata=metadata,
        sections=segment(
            text, body_start=body_start(text, metadata), metadata=metadata
        ),
        warnings=warnings,
        encoding=enc,
        media_type=media,
    )
