"""Segmenting a report into offset spans: header, title, sections, subsections, items, bullets, paragraphs, sentences."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .model import Metadata, Section

__all__ = [
    "PLAN_HEADING",
    "body_start",
    "chinese_ordinal",
    "is_plan_heading",
    "report_years",
    "segment",
]

_NUMS = "一二三四五六七八九十"
_CN = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

#: Headings of the part about next year: 2021年工作思路, 工作计划, 下一步工作, 明年工作打算, 2022年重点工作 …
PLAN_HEADING = re.compile(
    r"工作(?:思路|计划|打算|安排|要点|设想|目标)"
    r"|下一?步(?:工作|计划|打算|安排|重点|思路|举措|措施)?"
    r"|明年|今后(?:一个时期|一段时期)?(?:的)?(?:工作|打算|计划|努力方向)|努力方向"
    r"|20\d\d年(?:度)?[^。\n]{0,10}?(?:重点工作|工作重点|主要任务|目标任务|重点任务|计划|思路|打算|安排|要点|设想)"
)
#: Headings that look back on the year (used to keep mixed headings such as 2020年工作总结及2021年工作计划 out of the plan).
_SUMMARY_HEADING = re.compile(
    r"总结|回顾|完成情况|落实情况|主要成效|工作成效|总体成效|主要成绩|取得的成效|主要做法|存在(?:的)?问题"
)

# line-start markers; every pattern is anchored with .match at the first non-space character of a line
_PART = re.compile(rf"第([{_NUMS}]{{1,3}}|\d{{1,2}})部分")
_SECTION = re.compile(rf"([{_NUMS}]{{1,3}})[ \u3000]*(?:、|[.．](?![\d０-９]))")
_SUBSECTION = re.compile(rf"[（(]([{_NUMS}]{{1,3}})[)）]")
_ITEM_STYLES = (
    ("num", re.compile(r"(\d{1,2})[ \u3000]*(?:、|[.．](?![\d０-９]))")),
    ("pnum", re.compile(r"[（(](\d{1,2})[)）]")),
    ("circled", re.compile(f"([{_CIRCLED}])")),
    ("di", re.compile(rf"第([{_NUMS}]{{1,3}})[，,、：:]")),
    ("shi", re.compile(rf"([{_NUMS}]{{1,3}})是")),
)
_BULLET = re.compile(r"(?:[—―─]{1,2}|-{2}|[•●◆■▪◇□○★▲·])")
#: 一是…二是… after a clause end (and at most one space): the item starts at group 1. Matching the
#: punctuation rather than looking behind for it lets the regex engine skip ahead to candidate marks.
_INLINE = re.compile(rf"[。；;！？!?：:，,][ \u3000]?([{_NUMS}]{{1,3}})是")
#: A sentence of a line, leading white space skipped (group 1): up to and including a run of sentence-end
#: marks and the closing quotes or brackets after it, or the rest of the line when no mark follows.
_SENTENCE = re.compile(r"\s*([^。！？；!?;]*[。！？；!?;]+[”’」』）)]*|[^。！？；!?;]+)")
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")
_YEAR = re.compile(r"(20\d\d)[ \u3000]*年")
_TITLE_WORDS = re.compile(
    r"工作总结|工作计划|工作报告|报告|总结|工作要点|工作思路|工作打算"
)
_LABEL_LINE = re.compile(
    r"[^\n。]{0,40}?[\u4e00-\u9fff](?:[ \u3000]*[\u4e00-\u9fff]){1,5}[ \u3000]*[:：]"
)
_CLAUSE_PUNCT = re.compile(r"[。！？；!?;，,]")
_HEAD_END = re.compile(r"[。！？!?]")

_FIXED_LEVEL = {"part": 0, "section": 1, "sub": 2}
_KIND = {
    "part": "section",
    "section": "section",
    "sub": "subsection",
    "bullet": "bullet",
}
_ORDER = {
    "header": 0,
    "title": 1,
    "section": 2,
    "subsection": 3,
    "item": 4,
    "bullet": 4,
    "paragraph": 5,
    "sentence": 6,
}
_FRONT_LINES = 60
_FRONT_CHARS = 3000


def chinese_ordinal(s: str) -> int | None:
    """An ordinal written in Chinese numerals, digits or a circled digit: 一 → 1, 十二 → 12, "3" → 3, ③ → 3.

    Examples
    --------
    >>> [chinese_ordinal(x) for x in ("一", "十", "十二", "二十一", "7", "③", "是")]
    [1, 10, 12, 21, 7, 3, None]
    """
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if len(s) == 1 and s in _CIRCLED:
        return _CIRCLED.index(s) + 1
    if any(c not in _CN and c != "十" for c in s):
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        if "十" in b or len(a) > 1 or len(b) > 1:
            return None
        return (_CN[a] if a else 1) * 10 + (_CN[b] if b else 0)
    return _CN[s] if len(s) == 1 else None


def is_plan_heading(heading: str) -> bool:
    """True when a heading announces next year's plan (工作思路, 工作计划, 下一步工作 …) and does not also look back.

    Examples
    --------
    >>> [is_plan_heading(h) for h in ("2021年政法工作思路", "下一步工作打算", "主要举措", "2020年工作总结及2021年工作计划")]
    [True, True, False, False]
    """
    return bool(PLAN_HEADING.search(heading)) and not _SUMMARY_HEADING.search(heading)


def report_years(title: str | None) -> tuple[int | None, int | None]:
    """(summary year, plan year) from a report title.

    Examples
    --------
    >>> report_years("某办2020年度工作总结及2021年工作计划"), report_years("某局2022年工作要点"), report_years("某局2019年工作总结")
    ((2020, 2021), (2021, 2022), (2019, 2020))
    """
    if not title:
        return None, None
    found = list(_YEAR.finditer(title))
    summary = plan = None
    for k, m in enumerate(found):
        tail = title[
            m.end() : found[k + 1].start() if k + 1 < len(found) else len(title)
        ]
        year = int(m.group(1))
        if summary is None and _SUMMARY_HEADING.search(tail):
            summary = year
        elif plan is None and PLAN_HEADING.search(
            title[m.start() : m.end() + len(tail)]
        ):
            plan = year
    if summary is None and plan is None and found:
        summary = int(found[0].group(1))
    if summary is None and plan is not None:
        summary = plan - 1
    if plan is None and summary is not None:
        plan = summary + 1
    return summary, plan


def _lines(
    text: str, start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int]]:
    """Non-blank lines of ``text[start:end]`` as stripped ``(start, end)`` spans."""
    for m in _LINE.finditer(text, start, len(text) if end is None else end):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        if lead == len(raw):
            continue
        yield m.start() + lead, m.end() - (len(raw) - len(raw.rstrip()))


def _marker(text: str, s: int) -> tuple[str, int | None, int] | None:
    """(style, ordinal, end of marker) when the line starting at ``s`` opens a numbered or bulleted block."""
    m = _PART.match(text, s)
    if m:
        return "part", chinese_ordinal(m.group(1)), m.end()
    m = _SECTION.match(text, s)
    if m and chinese_ordinal(m.group(1)) is not None:
        return "section", chinese_ordinal(m.group(1)), m.end()
    m = _SUBSECTION.match(text, s)
    if m and chinese_ordinal(m.group(1)) is not None:
        return "sub", chinese_ordinal(m.group(1)), m.end()
    for style, rx in _ITEM_STYLES:
        m = rx.match(text, s)
        if m and chinese_ordinal(m.group(1)) is not None:
            return style, chinese_ordinal(m.group(1)), m.end()
    m = _BULLET.match(text, s)
    if m:
        return "bullet", None, m.end()
    return None


def _heading(text: str, a: int, e: int) -> str:
    """The heading clause after a marker: up to the first 。 (or ！？) or the line end, stripped."""
    m = _HEAD_END.search(text, a, e)
    return text[a : m.start() if m else e].strip(" \t\u3000\u00a0:：；;，,、")


def _heading_like(line: str) -> bool:
    """A short unnumbered line without sentence punctuation that contains Chinese text."""
    return (
        len(line) <= 40
        and not _CLAUSE_PUNCT.search(line.rstrip("：:"))
        and bool(re.search("[\u4e00-\u9fff]", line))
    )


def _is_front_line(text: str, s: int, e: int, title: str | None) -> bool:
    """Page chrome, a title or a site banner: lines that come before a report's body."""
    line = text[s:e]
    if _marker(text, s) is not None:
        return False
    if title and line == title.strip():
        return True
    n = len(line)
    if "【" in line and "】" in line and n <= 80 and "。" not in line:
        return True  # 【打印】【关闭】 buttons
    if n <= 120 and "。" not in line and _LABEL_LINE.match(line):
        return True  # 发布日期：… 浏览次数：… 来源：…
    if n < 80 and "。" not in line and _TITLE_WORDS.search(line):
        return True
    if n <= 30 and not _CLAUSE_PUNCT.search(line):
        return True
    if n > 12 and line[0] in "(（" and line[-1] in ")）":
        inner = line[1:-1].strip().rstrip("…. ")[:40]
        if len(inner) >= 10 and text.find(inner, e) >= 0:
            return True  # a page abstract that repeats the first paragraph
    return False


def body_start(text: str, metadata: Metadata) -> int:
    """Offset where the body starts: after the header, the title and page chrome (0 when there are none).

    Examples
    --------
    >>> t = "索引号: X/2021-1\\n某局2021年工作总结\\n【打印】\\n\\n一、成效\\n完成。"
    >>> body_start(t, Metadata(index_number="X/2021-1", spans=(("index_number", 5, 13),))) == t.index("一、")
    True
    """
    header_end = max((e for _f, _s, e in metadata.spans), default=0)
    limit = max(_FRONT_CHARS, header_end)
    title = metadata.title
    for k, (s, e) in enumerate(_lines(text)):
        if s < header_end:
            continue
        if k >= _FRONT_LINES or s >= limit:
            return _line_start(text, s)
        if not _is_front_line(text, s, e, title):
            return _line_start(text, s)
    # nothing but front matter: let the lines after the header be the body
    if header_end == 0:
        return 0
    nl = _next_line(text, header_end)
    return nl


def _line_start(text: str, pos: int) -> int:
    k = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos))
    return k + 1


def _next_line(text: str, pos: int) -> int:
    m = re.compile(r"[\n\r]").search(text, pos)
    return len(text) if m is None else m.end()


@dataclass
class _Node:
    kind: str
    style: str
    level: int
    start: int
    ordinal: int | None
    heading: str
    part: str
    year: int | None


def segment(
    text: str,
    *,
    body_start: int = 0,
    title: str | None = None,
    metadata: Metadata | None = None,
) -> tuple[Section, ...]:
    """Structure of ``text`` as half-open code-point spans, sorted by start (outer spans first).

    Parameters
    ----------
    text : str
        The report text every offset refers to.
    body_start : int
        Where the body starts (see :func:`body_start`); lines before it are front matter.
    title : str, optional
        The report title (default ``metadata.title``); gives the summary and plan years.
    metadata : Metadata, optional
        Header metadata; its spans give the ``header`` section.

    Examples
    --------
    >>> secs = segment("一、总体成效\\n全年调解12件。一是强化。二是规范。\\n二、2022年工作计划\\n一是深化改革。")
    >>> [(s.kind, s.part, s.ordinal, s.year) for s in secs if s.kind in ("section", "item")]
    [('section', 'summary', 1, 2021), ('item', 'summary', 1, 2021), ('item', 'summary', 2, 2021), ('section', 'plan', 2, 2022), ('item', 'plan', 1, 2022)]
    """
    n = len(text)
    body_start = max(0, min(body_start, n))
    if title is None and metadata is not None:
        title = metadata.title
    out: list[Section] = []
    title = _front(text, body_start, title, metadata, out)
    summary_year, plan_year = report_years(title)
    if summary_year is None:
        summary_year, plan_year = _body_years(text, body_start)
    ambient = ("summary", summary_year)
    stack: list[_Node] = []

    def close(node: _Node, pos: int) -> None:
        end = pos
        while end > node.start + 1 and text[end - 1].isspace():
            end -= 1
        out.append(
            Section(
                _kind(node.style),
                node.start,
                end,
                node.ordinal,
                node.heading,
                node.part,
                node.year,
            )
        )

    def open_(style: str, start: int, ordinal: int | None, heading: str) -> _Node:
        parent_part, parent_year = (
            (stack[-1].part, stack[-1].year) if stack else ambient
        )
        part, year = parent_part, parent_year
        if style in _FIXED_LEVEL:
            ym = _YEAR.search(heading)
            if is_plan_heading(heading):
                part, year = "plan", int(ym.group(1)) if ym else plan_year
            elif _SUMMARY_HEADING.search(heading):
                part, year = "summary", int(ym.group(1)) if ym else summary_year
        level = _FIXED_LEVEL.get(style, 3)
        node = _Node(_kind(style), style, level, start, ordinal, heading, part, year)
        stack.append(node)
        return node

    def close_from(k: int, pos: int) -> None:
        while len(stack) > k:
            close(stack.pop(), pos)

    for s, e in _lines(text, body_start):
        mk = _marker(text, s)
        para_heading = ""
        if mk is not None:
            style, ordinal, mend = mk
            heading = _heading(text, mend, e)
            if style in _FIXED_LEVEL:
                level = _FIXED_LEVEL[style]
                close_from(
                    next(
                        (k for k, x in enumerate(stack) if x.level >= level), len(stack)
                    ),
                    s,
                )
            else:
                if style != "bullet":
                    while stack and stack[-1].style == "bullet":
                        close(stack.pop(), s)
                k = next((k for k, x in enumerate(stack) if x.style == style), None)
                if k is not None:
                    close_from(k, s)
            open_(style, s, ordinal, heading)
            if (
                style in ("part", "section", "sub")
                and heading
                and len(heading) == len(text[mend:e].strip(" \t\u3000\u00a0:：。"))
            ):
                para_heading = heading
        else:
            line = text[s:e]
            if _heading_like(line) and (
                is_plan_heading(line) or _SUMMARY_HEADING.search(line)
            ):
                close_from(0, s)
                ym = _YEAR.search(line)
                if is_plan_heading(line):
                    ambient = ("plan", int(ym.group(1)) if ym else plan_year)
                else:
                    ambient = ("summary", int(ym.group(1)) if ym else summary_year)
                para_heading = line.rstrip("：:")
        part, year = (stack[-1].part, stack[-1].year) if stack else ambient
        out.append(
            Section("paragraph", s, e, heading=para_heading, part=part, year=year)
        )
        _inline_items(text, s, e, mk, stack, close, open_, out, part, year)
        _sentences(text, s, e, part, year, out)
    close_from(0, n)
    return tuple(sorted(out, key=lambda x: (x.start, _ORDER[x.kind], -x.end)))


#: A plan heading's line with its year. The white space runs are possessive (``*+``): giving back part of a
#: run cannot help a match (a year never starts at a space or a marker), and without them a long line of
#: white space is retried at every split between the two runs (quadratic in its length).
_PLAN_YEAR_LINE = re.compile(
    rf"^[ \t\u3000]*+(?:第[{_NUMS}]{{1,3}}部分|[{_NUMS}]{{1,3}}[、.．]|[（(][{_NUMS}]{{1,3}}[)）])?[ \u3000]*+"
    r"[^\n。，,]{0,20}?(20\d\d)年(?:度)?[^\n。，,]{0,12}?(?:思路|计划|打算|安排|要点|重点|任务)[^\n。，,]{0,10}$",
    re.MULTILINE,
)


def _body_years(text: str, start: int) -> tuple[int | None, int | None]:
    """(summary, plan) years without a title: from a plan heading's year, else the first year in the body."""
    m = _PLAN_YEAR_LINE.search(text, start)
    if m:
        return int(m.group(1)) - 1, int(m.group(1))
    m = _YEAR.search(text, start, start + 600)
    if m:
        return int(m.group(1)), int(m.group(1)) + 1
    return None, None


def _labelled(text: str, start: int) -> bool:
    """True when ``start`` is not the first non-blank character of its line (a value after a label)."""
    k = start
    while k > 0 and text[k - 1] not in "\n\r":
        k -= 1
        if not text[k].isspace():
            return True
    return False


def _kind(style: str) -> str:
    return _KIND.get(style, "item")


def _inline_items(
    text: str,
    s: int,
    e: int,
    mk: tuple[str, int | None, int] | None,
    stack: list[_Node],
    close: Callable[[_Node, int], None],
    open_: Callable[[str, int, int | None, str], _Node],
    out: list[Section],
    part: str,
    year: int | None,
) -> None:
    """一是…二是… inside a line: siblings of a line-level 一是 item, or items of the paragraph itself."""
    matches = list(_INLINE.finditer(text, s, e))  # the item starts at m.start(1)
    if not matches:
        return
    if mk is not None and mk[0] == "shi":
        expected = (mk[1] or 0) + 1
        for m in matches:
            ordinal = chinese_ordinal(m.group(1))
            if ordinal != expected:
                continue
            while stack and stack[-1].style != "shi":
                close(stack.pop(), m.start(1))
            if stack:
                close(stack.pop(), m.start(1))
            open_("shi", m.start(1), ordinal, _heading(text, m.end(), e))
            expected += 1
        return
    seq: list[
        tuple[int, int, int]
    ] = []  # (start, marker end, ordinal) of a 一是, 二是 … run
    for m in matches:
        ordinal = chinese_ordinal(m.group(1))
        if ordinal == len(seq) + 1:
            seq.append((m.start(1), m.end(), ordinal))
    for k, (a, mend, ordinal) in enumerate(seq):
        b = seq[k + 1][0] if k + 1 < len(seq) else e
        while b > a + 1 and text[b - 1].isspace():
            b -= 1
        out.append(Section("item", a, b, ordinal, _heading(text, mend, b), part, year))


def _sentences(
    text: str, s: int, e: int, part: str, year: int | None, out: list[Section]
) -> None:
    """Sentences of the stripped line ``[s, e)``: pieces cut after each run of end marks, without leading
    white space (a piece cannot end in white space: it ends at a mark, a closer or the stripped line end)."""
    for m in _SENTENCE.finditer(text, s, e):
        out.append(Section("sentence", m.start(1), m.end(1), None, "", part, year))


def _front(
    text: str,
    body_start: int,
    title: str | None,
    metadata: Metadata | None,
    out: list[Section],
) -> str | None:
    """Sections of the front matter (header block, title line, page chrome); returns the title used for years."""
    lines = list(_lines(text, 0, body_start))
    header: tuple[int, int] | None = None
    # header fields; a title counts only as a labelled value (名称：…), not as a title line found by its look
    fields = [
        (s, e)
        for f, s, e in (metadata.spans if metadata is not None else ())
        if f != "title" or _labelled(text, s)
    ]
    if fields:
        first = min(s for s, _e in fields)
        last = max(e for _s, e in fields)
        covered = [(s, e) for s, e in lines if e > first and s < last] or [
            (first, last)
        ]
        header = (min(covered[0][0], first), max(covered[-1][1], last))
        out.append(Section("header", header[0], header[1], part="front"))
    title_span = None
    want = title.strip() if title else None
    for s, e in lines:
        if header and header[0] <= s < header[1]:
            continue
        line = text[s:e]
        if title_span is None and (
            line == want
            or (
                want is None
                and len(line) < 80
                and _TITLE_WORDS.search(line)
                and "。" not in line
            )
        ):
            title_span = (s, e)
            continue
        out.append(Section("paragraph", s, e, part="front"))
    if title_span is None and want and metadata is not None:
        span = next(((s, e) for f, s, e in metadata.spans if f == "title"), None)
        title_span = span
    if title_span is not None:
        out.append(
            Section(
                "title",
                title_span[0],
                title_span[1],
                heading=text[title_span[0] : title_span[1]],
                part="front",
            )
        )
        return title or text[title_span[0] : title_span[1]]
    return title
