"""Segmenting a report body into offset spans: sections (一、), subsections ((一)), items (一是, 1.), bullets (——),
paragraphs and sentences; the part about next year's plan is told apart from the year's summary."""

from __future__ import annotations

import bisect
import re

from .model import Metadata, Section

__all__ = ["segment", "body_start", "chinese_ordinal", "PLAN_HEADING"]

_CN = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "两": 2}
_NUMS = "一二三四五六七八九十"
_WS = " \t\u3000\u00a0\r"
#: Headings of the plan part: 2021年工作思路, 下一步工作计划, 明年工作打算, 2022年重点工作 …
PLAN_HEADING = re.compile(
    r"(20\d\d年)?[^\n。]{0,12}(工作思路|工作计划|工作打算|工作安排|工作要点|重点工作|工作重点|下一步工作|下一步计划|下步工作|明年工作|工作设想|努力方向)"
)
_SECTION = re.compile(rf"^(?:第([{_NUMS}]+)部分|([{_NUMS}]+)[、．.])")
_SUBSECTION = re.compile(rf"^[（(]([{_NUMS}]+)[)）]")
_NUMBERED = re.compile(r"^(?:(\d{1,2})[.、．](?!\d)|[（(](\d{1,2})[)）])")
_BULLET = re.compile(r"^(——|—|■|●|◆|▲|★|·)")
_INLINE_ITEM = re.compile(rf"(?:\A|(?<=[。；;！？\n \t\u3000\u00a0]))([{_NUMS}]+)是")
_SENT_END = re.compile(r"[。！？；!?;]+[”’」』)）]*")


def chinese_ordinal(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, "3" → 3.

    Examples
    --------
    >>> [chinese_ordinal(x) for x in ("一", "十", "十二", "二十一", "7")]
    [1, 10, 12, 21, 7]
    """
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN and c != "十" for c in s):
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN[a] if a else 1) * 10 + (_CN[b] if b else 0)
    return _CN[s] if len(s) == 1 else None


def body_start(text: str, metadata: Metadata) -> int:
    """Where the body starts: after the line holding the last header field, or 0 without a header."""
    if not metadata.spans:
        return 0
    end = max(e for _f, _s, e in metadata.spans)
    nl = text.find("\n", end)
    return len(text) if nl < 0 else nl + 1


def _lines(text: str, start: int):
    pos = start
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        e = n if nl < 0 else nl
        s, t = pos, e
        while s < t and text[s] in _WS:
            s += 1
        while t > s and text[t - 1] in _WS:
            t -= 1
        if t > s:
            yield s, t
        pos = e + 1


def _years(title: str | None, text: str) -> tuple[int | None, int | None]:
    src = title or text[:600]
    ys = [int(y) for y in re.findall(r"(20\d\d)年", src)]
    summary = ys[0] if ys else None
    plan = ys[1] if len(ys) > 1 and ys[1] != summary else (summary + 1 if summary else None)
    return summary, plan


def _heading(text: str, s: int, e: int) -> str:
    line = text[s:e]
    m = re.search(r"[。；]", line)
    return line[: m.start()] if m else line


def segment(text: str, *, body_start: int = 0, title: str | None = None) -> tuple[Section, ...]:
    """Structure of ``text`` as offset spans (half-open code-point indices), in text order.

    Examples
    --------
    >>> secs = segment("一、总体成效\\n全年调解12件。一是强化。二是规范。\\n二、2022年工作计划\\n一是深化改革。")
    >>> [(s.kind, s.part, s.ordinal) for s in secs if s.kind in ("section", "item")]
    [('section', 'summary', 1), ('item', 'summary', 1), ('item', 'summary', 2), ('section', 'plan', 2), ('item', 'plan', 1)]
    """
    summary_year, plan_year = _years(title, text)
    out: list[Section] = []
    if body_start > 0:
        s = 0
        while s < body_start and text[s] in _WS + "\n":
            s += 1
        e = body_start
        while e > s and text[e - 1] in _WS + "\n":
            e -= 1
        if e > s:
            out.append(Section("header", s, e, part="front"))
    lines = list(_lines(text, body_start))
    heads: list[tuple[str, int, int, int | None, str]] = []  # kind, line start, line end, ordinal, heading
    title_done = False
    for s, e in lines:
        line = text[s:e]
        if not title_done and title and line == title.strip():
            out.append(Section("title", s, e, heading=line, part="front"))
            title_done = True
            continue
        m = _SECTION.match(line)
        if m:
            heads.append(("section", s, e, chinese_ordinal(m.group(1) or m.group(2)), _heading(text, s, e)))
            continue
        m = _SUBSECTION.match(line)
        if m:
            heads.append(("subsection", s, e, chinese_ordinal(m.group(1)), _heading(text, s, e)))
            continue
        m = _NUMBERED.match(line)
        if m:
            heads.append(("item", s, e, int(m.group(1) or m.group(2)), _heading(text, s, e)))
            continue
        if _BULLET.match(line):
            heads.append(("bullet", s, e, None, _heading(text, s, e)))
            continue
        if e - s <= 30 and PLAN_HEADING.fullmatch(line.rstrip("：:")):
            heads.append(("section", s, e, None, line))
    end_of_text = lines[-1][1] if lines else len(text)
    level = {"section": 0, "subsection": 1, "item": 2, "bullet": 2}
    spans: list[Section] = []
    for k, (kind, s, e, ordinal, heading) in enumerate(heads):
        end = end_of_text
        for kind2, s2, _e2, _o2, _h2 in heads[k + 1 :]:
            if level[kind2] <= level[kind]:
                end = _trim(text, s, s2)
                break
        if kind == "bullet":
            end = e
        spans.append(Section(kind, s, end, ordinal, heading))
    # the plan part: sections (or subsections) whose heading speaks of next year's plan
    plan_ranges: list[tuple[int, int, str]] = []
    for x in sorted(spans, key=lambda x: (x.start, -x.end)):
        if x.kind in ("section", "subsection") and PLAN_HEADING.search(x.heading):
            if not plan_ranges or x.start >= plan_ranges[-1][1]:  # outermost only
                plan_ranges.append((x.start, x.end, x.heading))
    plan_starts = [r[0] for r in plan_ranges]

    def part_year(pos: int) -> tuple[str, int | None]:
        k = bisect.bisect_right(plan_starts, pos) - 1
        if k >= 0 and pos < plan_ranges[k][1]:
            ym = re.search(r"(20\d\d)年", plan_ranges[k][2])
            return "plan", int(ym.group(1)) if ym else plan_year
        return "summary", summary_year

    for x in spans:
        part, year = part_year(x.start)
        out.append(Section(x.kind, x.start, x.end, x.ordinal, x.heading, part, year))
    # paragraphs, inline items (一是…二是…) and sentences
    title_starts = {x.start for x in out if x.kind == "title"}
    for s, e in lines:
        if s in title_starts:
            continue
        part, year = part_year(s)
        out.append(Section("paragraph", s, e, part=part, year=year))
        items = list(_INLINE_ITEM.finditer(text, s, e))
        for k, m in enumerate(items):
            a = m.start(1)
            b = _trim(text, a, items[k + 1].start(1)) if k + 1 < len(items) else e
            out.append(Section("item", a, b, chinese_ordinal(m.group(1)), _heading(text, a, b), part, year))
        pos = s
        for m in _SENT_END.finditer(text, s, e):
            a, b = pos, m.end()
            a, b = _strip(text, a, b)
            if b > a:
                out.append(Section("sentence", a, b, part=part, year=year))
            pos = m.end()
        a, b = _strip(text, pos, e)
        if b > a:
            out.append(Section("sentence", a, b, part=part, year=year))
    order = {"header": 0, "title": 1, "section": 2, "subsection": 3, "item": 4, "bullet": 4, "paragraph": 5, "sentence": 6}
    return tuple(sorted(out, key=lambda x: (x.start, order[x.kind], -x.end)))


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _WS + "\n":
        end -= 1
    return end


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _WS + "\n":
        a += 1
    while b > a and text[b - 1] in _WS + "\n":
        b -= 1
    return a, b
