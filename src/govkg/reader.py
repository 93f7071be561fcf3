"""Reading reports: bytes → verbatim text (UTF-8/GB18030/UTF-16, or a page's visible text) + header metadata."""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from .errors import ReportError
from .model import Document, Metadata
from .segment import body_start, segment

__all__ = ["read_report", "decode_bytes", "parse_header", "html_to_text", "uscc_valid", "REPORT_FIELDS"]

#: Header labels (spaces and U+3000 removed) → Metadata attribute.
REPORT_FIELDS = {
    "索引号": "index_number",
    "分类": "category",
    "主题分类": "category",
    "信息分类": "category",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "发布单位": "publisher",
    "发文单位": "publisher",
    "成文日期": "created",
    "名称": "title",
    "标题": "title",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发布日期": "issued",
    "主题词": "keywords",
    "关键词": "keywords",
    "发文日期": "created",
    "印发日期": "created",
    "生成日期": "issued",
    # recognised so that their values do not run into a neighbour's; not kept
    "有效性": "",
    "有效期": "",
    "来源": "",
    "浏览次数": "",
    "公开方式": "",
    "公开范围": "",
    "公开时限": "",
    "时效": "",
    "组配分类": "",
    "体裁分类": "",
}
LARGE = 20 * 1024 * 1024
_HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|table|script)\b", re.I)


def decode_bytes(data: bytes, *, encoding: str | None = None, name: str = "<bytes>") -> tuple[str, str, str]:
    """Decode ``data``: (text, encoding, media_type). HTML pages become their visible text.

    Examples
    --------
    >>> decode_bytes("工作总结".encode("gb18030"))[:2]
    ('工作总结', 'gb18030')
    """
    if not data.strip():
        raise ReportError(f"{name}: the file is empty; give a report with text in it")
    text, enc = _decode(data, encoding, name)
    if "\x00" in text or sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r\f") > 0.05 * min(len(text), 4096):
        raise ReportError(f"{name}: looks like a binary file, not a report; give a text (.txt) or saved web page (.html)")
    media = "text/plain"
    head = data[:4096].lstrip()
    if name.lower().endswith((".htm", ".html")) or _HTML_HINT.match(head) or len(_HTML_HINT.findall(data[:4096])) >= 3:
        text, media = html_to_text(text), "text/html"
    if not text.strip():
        raise ReportError(f"{name}: no visible text in the file; give the report's text")
    return text, enc, media


def _decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ReportError(f"{name}: unknown encoding {encoding!r}; try utf-8, gb18030 or utf-16") from None
        except UnicodeDecodeError as exc:
            raise ReportError(f"{name}: not valid {encoding} at byte {exc.start}; try another --encoding") from None
        return text.lstrip("\ufeff"), encoding
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ReportError(f"{name}: broken UTF-8 at byte {exc.start + 3}; repair the file or pass --encoding") from None
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(enc), "utf-16"
            except UnicodeDecodeError:
                raise ReportError(f"{name}: broken UTF-16; repair the file or pass --encoding") from None
    if b"\x00" in data[:4096]:
        raise ReportError(f"{name}: looks like a binary file, not a report; give a text (.txt) or saved web page (.html)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ReportError(f"{name}: not UTF-8, GB18030 or UTF-16 text; pass --encoding") from None


_BLOCK = {"p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
          "header", "footer", "nav", "dd", "dt", "dl", "blockquote", "pre", "hr", "form", "title", "tbody", "thead"}
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.cell = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            if self.cell:
                self.parts.append(" ")
            self.cell = True
        if tag == "tr":
            self.cell = False

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data.replace("\r", "").replace("\n", " ") if data.strip() else " " if data else "")


def html_to_text(html: str) -> str:
    """The visible text of a page: scripts, styles and the head dropped, blocks on their own lines.

    Examples
    --------
    >>> html_to_text("<html><head><title>t</title><script>x()</script></head><body><p>一、总体</p><p>二&nbsp;b</p></body></html>")
    '一、总体\\n二\\xa0b'
    """
    p = _Visible()
    p.feed(html)
    p.close()
    lines = [ln.strip(" \t") for ln in "".join(p.parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def uscc_valid(code: str) -> bool:
    """Check character of an 18-character unified social credit code (GB 32100-2015).

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


def _label_re() -> re.Pattern[str]:
    labels = sorted(REPORT_FIELDS, key=len, reverse=True)
    spaced = ["[ \u3000]*".join(map(re.escape, lab)) for lab in labels]
    # "索引号：X" anywhere in a line, or "索引号 X" (a table row of a saved page) after a line start or a space
    return re.compile(
        r"(?:(?P<label>" + "|".join(spaced) + r")[ \u3000]*[:：]"
        r"|(?:^|(?<=[ \u3000\u00a0\t]))(?P<label2>" + "|".join(spaced) + r")(?:[ \u3000\u00a0]+(?=\S)|[ \u3000\u00a0]*$))[ \u3000\u00a0]*",
        re.M,
    )


_LABEL = _label_re()
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value: str, field: str, warnings: list[str], name: str) -> _dt.date | None:
    m = _DATE.match(value.strip())
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    warnings.append(f"{name}: {field} {value!r} is not a date; left out")
    return None


def parse_header(text: str, *, name: str = "<text>") -> tuple[Metadata, list[str]]:
    """Metadata from a disclosure header (索引号, 发布机构, 成文日期 …) near the top of ``text``."""
    warnings: list[str] = []
    values: dict[str, str] = {}
    spans: list[tuple[str, int, int]] = []
    limit = min(len(text), 3000)
    found = list(_LABEL.finditer(text, 0, limit))
    for k, m in enumerate(found):
        attr = REPORT_FIELDS[re.sub("[ \u3000]", "", m.group("label") or m.group("label2"))]
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        nxt = found[k + 1].start() if k + 1 < len(found) else line_end
        end = min(line_end, nxt)
        raw = text[m.end() : end]
        value = raw.strip(" \u3000\u00a0\t\r")
        if not value or not attr or attr in values:
            continue
        start = m.end() + raw.index(value)
        values[attr] = value
        spans.append((attr, start, start + len(value)))
    fields: dict[str, object] = {}
    for attr, value in values.items():
        if attr in ("created", "issued"):
            label = "成文日期" if attr == "created" else "发布日期"
            fields[attr] = _date(value, label, warnings, name)
        elif attr == "keywords":
            fields[attr] = tuple(k for k in re.split(r"[;；,，、\s]+", value) if k)
        else:
            fields[attr] = value
    index = values.get("index_number")
    if index:
        code = index.split("/")[0].strip()
        if re.fullmatch(r"[0-9A-Z]{18}", code):
            if uscc_valid(code):
                fields["uscc"] = code
            else:
                warnings.append(f"{name}: 索引号 {index!r} does not start with a valid unified social credit code")
    if "title" not in fields:
        for m in re.finditer(r"^[^\n]{4,80}$", text[:limit], re.M):
            line = m.group().strip()
            if re.search("工作总结|工作计划|工作报告|总结|工作要点|工作思路", line) and not _LABEL.match(line):
                fields["title"] = line
                break
    return Metadata(spans=tuple(spans), **fields), warnings


def read_report(
    source: str | os.PathLike[str] | bytes, *, encoding: str | None = None, name: str | None = None
) -> Document:
    """Read a report from a path, ``"-"`` (standard input) or bytes into a :class:`Document`.

    The text is kept verbatim (a UTF-8 BOM is dropped); every offset in govkg refers to it.

    Examples
    --------
    >>> doc = read_report("索引号: 11440300MB2C1719XA/2021-00058\\n发布机构: 某区司法局\\n\\n一、总体成效\\n全年调解纠纷12件。".encode())
    >>> doc.id, doc.metadata.publisher, doc.metadata.uscc
    ('11440300MB2C1719XA/2021-00058', '某区司法局', '11440300MB2C1719XA')
    """
    if isinstance(source, (bytes, bytearray)):
        data, label = bytes(source), name or "<bytes>"
    elif str(source) == "-":
        data, label = sys.stdin.buffer.read(), name or "<stdin>"
    else:
        path = Path(source)
        label = name or str(path)
        if path.is_dir():
            raise ReportError(f"{label}: is a folder; name a report file")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReportError(f"{label}: no such file; check the path") from None
        except OSError as exc:
            raise ReportError(f"{label}: cannot be read ({exc.strerror}); check its permissions") from None
    text, enc, media = decode_bytes(data, encoding=encoding, name=label)
    warnings: list[str] = []
    if len(data) > LARGE:
        warnings.append(f"{label}: {len(data) / 1e6:.0f} MB is unusually large for a report; extraction may take a while")
    bad = text.count("\ufffd") + len(re.findall("[\ud800-\udfff]", text))
    if bad:
        warnings.append(f"{label}: {bad} undecodable character(s) kept as they are; check the encoding")
    metadata, more = parse_header(text, name=label)
    warnings.extend(more)
    start = body_start(text, metadata)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    doc_id = metadata.index_number or f"sha256-{digest[:16]}"
    return Document(
        id=doc_id,
        text=text,
        source=label,
        sha256=digest,
        metadata=metadata,
        sections=segment(text, body_start=start, title=metadata.title),
        warnings=warnings,
        encoding=enc,
        media_type=media,
    )
