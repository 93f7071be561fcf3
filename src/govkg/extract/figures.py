"""Figures: indicators with normalised values, units and qualifiers; rankings and first/only claims."""

from __future__ import annotations

import bisect
import re
from decimal import Decimal

from ..model import Mention, Observation, Ranking
from .context import Context, Hit
from .lexicon import CLASSIFIERS
from .names import anchored

__all__ = ["figures", "rankings", "chinese_number", "SCOPES"]

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SCOPES = "全国|全省|全市|全区|全县|全新区|全街道|全州|全盟|全镇|国内|省内|市内|区内"


def chinese_number(s: str) -> int | None:
    """Arabic or Chinese numerals up to 99: "3" → 3, "十二" → 12, "二十" → 20; None for others ("十十", "三三十")."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN and c != "十" for c in s):
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        if len(a) > 1 or len(b) > 1 or b == "十":
            return None  # not a number up to 99 (a run of numerals in a ranking: 全市第三三十名)
        return (_CN[a] if a else 1) * 10 + (_CN[b] if b else 0)
    return _CN[s[0]] if len(s) == 1 else None


_UNITS = "|".join(re.escape(u) for u in sorted(set(CLASSIFIERS), key=lambda u: (-len(u), u)))
_FIGURE = re.compile(
    r"(?P<pre>约|近|超过|逾|不少于|至少|不到|不足|达到|达)?"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?P<mult>万|亿|千)?(?P<more>余|多)?"
    rf"(?P<unit>{_UNITS})"
    r"(?P<post>以上|左右|多)?"
)
#: Where a figure can be: its first digits (a figure's match starts at most 3 characters before them).
#: Written ``\d\d*`` rather than ``\d+``: a pattern that opens with a character class lets the regex engine
#: skip the other characters in a tight loop (``\d+`` is tried as a match at every position).
_DIGITS = re.compile(r"\d\d*")
#: Where a figure that starts before its digits can start: at a qualifier (约, 超过 …) or a digit.
_FIGURE_LEAD = re.compile(r"[约近超逾不至达]|\d")
_FIGURE_AHEAD = 40 + max(len(u) for u in CLASSIFIERS)
_NAMED = frozenset({"Initiative", "PublicOrganisation", "LeadingGroup", "Honour", "Place", "NormativeDocument"})
_MULT = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}
_MULT_INT = {"万": 10000, "亿": 100000000, "千": 1000}
_CUMULATIVE = re.compile(r"累计|共计|总计|合计|一共|^共|，共|共[走完开举办处受调化解排提接签发组培服收]")
_NEGATED = re.compile(r"(未|没有|无)(发生|出现)$")
_LEADING_WORDS = re.compile(r"(其中|同时|并|共|累计|共计|此外|另外|全年|年内)+")
#: The most characters _NEGATED can match (没有发生): it is searched in that many before a figure.
_NEGATED_LEN = 4
#: What a figure's counted words are stripped of: blanks on both sides, then qualifiers on the right.
_BLANKS = frozenset(" 　\u00a0")
_QUALIFIER_CHARS = frozenset("约近达到超过逾不少于至少")
#: The words before a figure that belong to its quote (约100人), and those after it (100人以上).
_QUOTED_PRE = frozenset({"约", "近", "超过", "逾", "不少于", "至少", "不到", "不足"})
_QUOTED_POST = frozenset({"以上", "左右", "多"})
#: Whom or what a figure can be about.
_ABOUT = frozenset({"PublicOrganisation", "LeadingGroup", "Company", "Initiative", "Community", "Subdistrict", "Place"})
#: Integers with at most this many digits are exact in plain ``int`` arithmetic and well inside the
#: decimal context's precision, so they skip the Decimal arithmetic (same values, same exponents).
_SHORT_INT = 18


def figures(ctx: Context, taken: list[tuple[int, int]]) -> list[Observation]:
    """Every Arabic-numeral figure with a unit or %, outside names, dates, ordinals and rankings."""
    text = ctx.text
    out: list[Observation] = []
    taken = sorted(taken)
    tstarts = [a for a, _ in taken]
    clauses: dict[int, tuple[int, int | float]] = {}  # clause start → _clause_facts
    for m in anchored(_FIGURE, _DIGITS, text, ctx.body_start, back=3, ahead=_FIGURE_AHEAD, lead=_FIGURE_LEAD):
        ns = m.start(2)  # the number
        if ns > 0:
            c = text[ns - 1]
            if c.isdigit() or c in "第.-/:" or c.isascii() and c.isalpha():
                continue
        ue = m.end(5)  # the unit
        if ctx.covered(ns, ue, _NAMED):
            continue  # a figure inside a name: 15分钟品质生活圈
        k = bisect.bisect_right(tstarts, ns) - 1
        s, e = m.span()
        if k >= 0 and ns < taken[k][1] or ctx.in_quotes(ns, e):
            continue
        pre, num, mult, more, unit, post = m.groups()
        if unit == "％":
            unit = "%"
        qualifier = "exact"
        if mult and "." in num:
            qualifier = "rounded"
        if pre in ("约", "近") or post == "左右":
            qualifier = "approx"
        elif more or post in ("以上", "多") or pre in ("超过", "逾"):
            qualifier = "more-than"
        elif pre in ("不少于", "至少"):
            qualifier = "at-least"
        elif pre in ("不到", "不足"):
            qualifier = "less-than"
        start = s if pre in _QUOTED_PRE else ns
        end = e if post in _QUOTED_POST else ue
        cs, ce = ctx.clause(ns)
        # The clause before the figure is read through bounded windows and per-clause facts, never copied
        # whole: a clause without punctuation can hold thousands of figures.
        tail = text[ns - _NEGATED_LEN if ns - _NEGATED_LEN > cs else cs : ns]  # enough for _NEGATED
        digits = num.replace(",", "") if "," in num else num
        if "." not in digits and len(digits) <= _SHORT_INT:
            n = int(digits) * _MULT_INT[mult] if mult else int(digits)
            value = Decimal(0) if n == 1 and _NEGATED.search(tail) else Decimal(n)
        else:
            value = _decimal_value(digits, mult, tail)
        if not mult and unit[:1] in _MONEY_MULT and len(unit) > 1:  # 2300余万元: the same scale as 2300万元
            value = _scaled(value, unit[0])
            unit = unit[1:]
        out.append(_observation(ctx, clauses, value, unit, qualifier, start, end, ns, cs, ce))
    out.extend(_chinese_figures(ctx, clauses, taken, tstarts))
    out.sort(key=lambda o: o.mentions[0].start)
    return out


#: Multipliers written inside a unit (万元, 亿元) when 余/多 stands between number and unit (2300余万元).
_MONEY_MULT = {"万": Decimal(10000), "亿": Decimal(100000000)}
#: The direction of a stated change, from the verb just before the figure (同比增长12.5%, 较上年减少3起).
_CHANGE = re.compile(
    r"(?:增长|增加|上升|提高|提升|增幅为?|多)(?:了)?(?:约|近|超过|达到|达)?$"
    r"|(?:下降|减少|降低|回落|下滑|降幅为?|少)(?:了)?(?:约|近|超过|达到|达)?$"
)
_CHANGE_UP = re.compile(r"增长|增加|上升|提高|提升|增幅|多")


def _scaled(value: Decimal, mult: str) -> Decimal:
    v = value * _MONEY_MULT[mult]
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v.normalize()


def _change(text: str, cs: int, ns: int) -> str | None:
    """increase | decrease when a verb of change stands right before the figure at ``ns`` in its clause."""
    m = _CHANGE.search(text, max(cs, ns - 8), ns)
    if m is None:
        return None
    return "increase" if _CHANGE_UP.match(m.group()) else "decrease"


def _observation(
    ctx: Context, clauses: dict, value: Decimal, unit: str, qualifier: str, start: int, end: int, ns: int, cs: int, ce: int
) -> Observation:
    text = ctx.text
    part, year = ctx.part(ns)
    clause = clauses.get(cs)
    if clause is None:
        clause = clauses[cs] = _clause_facts(text, cs, ce)
    quote = text[start:end]
    return Observation(
        value=value,
        unit=unit,
        as_stated=quote,
        qualifier=qualifier,
        cumulative=clause[1] <= ns or ns > cs and text[cs] == "共",
        counts=_counts(text, clause[0], ns),
        about=_about(ctx, cs, ns),
        period=year if year else ctx.summary_year(),
        part=part,
        change=_change(text, cs, start),
        mentions=[Mention(ctx.doc.id, start, end, quote, "Observation")],
    )


_CN_DIGITS = "零〇一二两三四五六七八九"
#: Figures in Chinese numerals (三千余处, 两万余人次, 百分之十二点五): at most 10 numeral characters, so that a
#: long run of numerals costs a bounded amount per position.
_CN_FIGURE = re.compile(
    r"(?P<pre>约|近|超过|逾|不少于|至少|不到|不足)?(?P<pct>百分之)?"
    rf"(?P<num>[{_CN_DIGITS}十百千万亿]{{1,10}}(?:点[{_CN_DIGITS}]{{1,6}})?)"
    rf"(?P<more>余|多)?(?P<unit>{_UNITS})?(?P<post>以上|左右)?"
)
_CN_LEAD = re.compile(rf"[约近超逾不至百{_CN_DIGITS}十千万亿]")
#: Two plain digits in a row (一一, 二三) are a list or a name (“一三五”), not a number; 〇 writes years.
_CN_NOT_NUMBER = re.compile(rf"[{_CN_DIGITS[2:]}]{{2}}|〇")
#: What may not follow a figure's unit: the unit is then part of a word (一次性, 一体化, 一户一档).
_CN_WORD_AFTER = frozenset("性化一")
#: Units that after a Chinese numeral mostly write a name or a session (十九届, 三门县, 三棵松), never a figure.
_CN_NAME_UNITS = frozenset({"届", "门", "棵", "批"})
_CN_NOT_FIGURES = frozenset({"周年", "次会", "次全", "次党", "个一"})
_CN_EVENT = ("会议", "全会", "党代会", "代表大会")
_CN_PACKAGE = ("制度", "举措", "措施", "机制", "原则", "要求", "规定")


def _chinese_value(num: str) -> Decimal | None:
    """The value of a Chinese numeral (cn2an, checked on the genre: 三千五百, 两万, 十二点五, 一千零一)."""
    import cn2an

    if _CN_NOT_NUMBER.search(num):
        return None
    if num[0] in "百千万亿":
        num = "一" + num
    try:
        v = Decimal(str(cn2an.cn2an(num, "normal")))
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v.normalize()


def _chinese_figures(ctx: Context, clauses: dict, taken: list[tuple[int, int]], tstarts: list[int]) -> list[Observation]:
    """Figures written in Chinese numerals with a unit, or as 百分之…; the same rules as Arabic ones apply."""
    text = ctx.text
    out: list[Observation] = []
    pos = ctx.body_start
    n = len(text)
    while pos < n:
        lead = _CN_LEAD.search(text, pos)
        if lead is None:
            break
        m = _CN_FIGURE.match(text, lead.start())
        if m is None or not (m.group("unit") or m.group("pct")) or m.group("unit") and m.group("pct"):
            pos = lead.start() + 1
            continue
        pos = m.end()
        s, e = m.span()
        ns = m.start("num")
        num, unit = m.group("num"), m.group("unit") or "%"
        if s > 0 and (text[s - 1] in _CN_DIGITS + "十百千万亿第周初" or text[s - 1].isdigit()):
            continue  # inside a longer run, an ordinal (第三个) or a date
        if text[e : e + 1] in _CN_WORD_AFTER or num[0] in "百千万亿" and not m.group("more") and not m.group("pct"):
            continue  # 一次性; a bare 千家万户
        if unit in _CN_NAME_UNITS or unit + text[e : e + 1] in _CN_NOT_FIGURES or text.startswith(_CN_EVENT, e):
            continue  # 十九届, 三门, 一批; 第五次全会, 二十周年
        if text.startswith(unit, e) or text.startswith(_CN_PACKAGE, e):
            continue  # 一项项 (one by one); 三项制度, 十二条举措: the name of a set of rules
        if ctx.covered(s, e, _NAMED) or ctx.in_quotes(s, e):
            continue
        k = bisect.bisect_right(tstarts, ns) - 1
        if k >= 0 and ns < taken[k][1]:
            continue
        months = unit == "个" and text.startswith("多月", e)  # 七个多月
        value = _chinese_value(num)
        if value is None or value < 10 and not (m.group("more") or m.group("pct") or months):
            continue  # 三个, 两项: single numerals count as often in slogans and set phrases as in figures
        pre, more, post = m.group("pre"), m.group("more"), m.group("post")
        qualifier = "exact"
        if pre in ("约", "近") or post == "左右":
            qualifier = "approx"
        elif more or post == "以上" or pre in ("超过", "逾"):
            qualifier = "more-than"
        elif pre in ("不少于", "至少"):
            qualifier = "at-least"
        elif pre in ("不到", "不足"):
            qualifier = "less-than"
        if months:
            unit, qualifier, e = "个月", "more-than", e + 2
        if unit[:1] in _MONEY_MULT and len(unit) > 1:
            value, unit = _scaled(value, unit[0]), unit[1:]
        start = s if pre else (m.start("pct") if m.group("pct") else ns)
        cs, ce = ctx.clause(ns)
        out.append(_observation(ctx, clauses, value, unit, qualifier, start, e, ns, cs, ce))
    return out


def _clause_facts(text: str, cs: int, ce: int) -> tuple[int, int | float]:
    """For the clause ``[cs, ce)``: where a figure's counted words can start (after the leading words and
    blanks that ``_LEADING_WORDS`` and ``strip`` drop), and where the first cumulative word (累计, 共计 …)
    ends (infinity when there is none).

    A figure's number is a digit, which neither run can cross, so both hold for every figure in the
    clause: a word of ``_CUMULATIVE`` lies in the clause before a figure exactly when the first one ends
    by then (they are all two characters long, but for a 共 opening the clause, which the caller checks).
    """
    m = _LEADING_WORDS.match(text, cs, ce)
    a = m.end() if m else cs
    while a < ce and text[a] in _BLANKS:
        a += 1
    c = _CUMULATIVE.search(text, cs, ce)
    return a, (c.end() if c else float("inf"))


def _counts(text: str, a: int, ns: int) -> str:
    """What a figure at ``ns`` counts: ``_LEADING_WORDS.sub("", before).strip(blanks).rstrip(qualifiers)``
    of the clause text ``before`` it, to its last 30 characters; ``a`` is where the leading run ends
    (:func:`_clause_facts`). Computed by offsets, so its cost does not grow with the clause."""
    b = ns
    while b > a and text[b - 1] in _BLANKS:
        b -= 1
    while b > a and text[b - 1] in _QUALIFIER_CHARS:
        b -= 1
    return text[b - 30 if b - 30 > a else a : b]


def _decimal_value(digits: str, mult: str | None, before: str) -> Decimal:
    """A figure's value by Decimal arithmetic: integral values without an exponent, others normalised;
    "未发生1起" counts none."""
    value = Decimal(digits)
    if mult:
        value *= _MULT[mult]
    if value == 1 and _NEGATED.search(before):
        value = Decimal(0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _about(ctx: Context, cs: int, pos: int) -> str | None:
    """The entity a figure at ``pos`` is about: the last named before it in its clause, else its sentence."""
    best = ctx.last_named_in(cs, pos, _ABOUT)
    if best is None:
        ss, _ = ctx.sentence(pos)
        if ss < cs:  # the sentence holds no more hits before ``pos`` than the clause when it starts there
            best = ctx.last_named_in(ss, pos, _ABOUT)
    return best.key if best is not None else None


#: Every ranking and claim names its scope (全市, 全省 …): the patterns below are tried only around one.
_SCOPE = re.compile(SCOPES)
_RANK = re.compile(rf"(?P<scope>{SCOPES})(?:综合)?(?:排名|排行|排序)?(?:位列|位居|排在|排)?第(?P<n>\d+|[一二三四五六七八九十]+)(?:名|位)?")
#: A place among a narrower group: 全市基层法院第2位, 全省县区第3名 (名 or 位 required).
_RANK_AMONG = re.compile(rf"(?P<scope>{SCOPES})[\u4e00-\u9fff]{{2,6}}?第(?P<n>\d+|[一二三四五六七八九十]+)(?:名|位)")
#: First place without a number: 居全区派出所首位, 位居全省榜首.
_HEAD_OF = re.compile(rf"(?:位居|稳居|位列|排在|居)?(?P<scope>{SCOPES})[\u4e00-\u9fff]{{0,6}}?(?:首位|榜首|第一位)")
_TOP = re.compile(rf"(?:排在|位居|位列|进入|跻身|均居|居)?(?P<scope>{SCOPES})(?:排名)?前(?P<n>\d+|[一二三四五六七八九十]+)(?:名|位)?")
_OF = re.compile(r"(?P<of>\d+|[一二三四五六七八九十]+)(?:项|个)(?:指标|考核指标|评价指标)?(?:中)?(?:有)?(?P<count>\d+|[一二三四五六七八九十]+)(?:项|个)$")
#: Where a ranking or claim that starts before its scope word can start: at a verb (位居, 排在, 进入, 率先在 …)
#: or at another scope word.
_SCOPE_FIRST = "".join(sorted({w[0] for w in SCOPES.split("|")}))
_HEAD_OF_LEAD = re.compile(f"[位稳排居{_SCOPE_FIRST}]")
_TOP_LEAD = re.compile(f"[排位进跻均居{_SCOPE_FIRST}]")
_FIRST_LEAD = re.compile(f"[率{_SCOPE_FIRST}]")
_FIRST = re.compile(
    rf"(?P<scope>{SCOPES})(?P<kind>首个|首家|首批|第一个|第一家|首创|首次|首例|率先|唯一)"
    rf"|率先在(?P<scope2>{SCOPES})"
)


def rankings(ctx: Context) -> tuple[list[Ranking], list[tuple[int, int]]]:
    """Rankings (全市排名第1, 排在全市前三) and claims (全省首个, 全市率先, 全省唯一), with the spans they use."""
    text = ctx.text
    out: list[Ranking] = []
    taken: list[tuple[int, int]] = []
    near = _Near(ctx)

    def scope_of(word: str):
        if ctx.home is None:
            return None
        area = ctx.gaz.deixis(word, ctx.home)
        return f"{_type(area)}:{area.key}" if area is not None else None

    scopes = list(_SCOPE.finditer(text, ctx.body_start))  # one scan for the four patterns
    for pattern in (_RANK, _RANK_AMONG):  # 全市排名第1, then 全市基层法院第2位 where no rank was read
        # skip a match starting inside a span taken already: those of the earlier pattern (by start) and this
        # one's (each starting before the next match); ``reach`` is the furthest end of those starting by then
        earlier, i, reach = taken[:], 0, -1
        for m in anchored(pattern, scopes, text, ctx.body_start, back=0, ahead=24):
            at = m.start()
            while i < len(earlier) and earlier[i][0] <= at:
                if earlier[i][1] > reach:
                    reach = earlier[i][1]
                i += 1
            if reach > at:
                continue
            cs, _ = ctx.clause(at)
            indicator = near.indicator(cs, at)
            out.append(_ranking(ctx, near, "rank", m, at, m.end(), scope_of, indicator, rank=chinese_number(m.group("n"))))
            taken.append(m.span())
            if m.end() > reach:
                reach = m.end()
    for m in anchored(_HEAD_OF, scopes, text, ctx.body_start, back=2, ahead=12, lead=_HEAD_OF_LEAD):
        cs, _ = ctx.clause(m.start())
        indicator = near.indicator(cs, m.start())
        out.append(_ranking(ctx, near, "rank", m, m.start(), m.end(), scope_of, indicator, rank=1))
        taken.append(m.span())
    for m in anchored(_TOP, scopes, text, ctx.body_start, back=2, ahead=12, lead=_TOP_LEAD):
        cs, _ = ctx.clause(m.start())
        of = near.of_before(cs, m.start())
        start = m.start()
        count = total = None
        if of:
            start, count, total = of
            indicator = near.indicator(cs, start) if near.any_text(cs, start) else near.indicator(start, m.start())
        else:
            indicator = near.indicator(cs, start)
        out.append(
            _ranking(ctx, near, "top", m, start, m.end(), scope_of, indicator, rank=chinese_number(m.group("n")), count=count, of=total)
        )
        taken.append((start, m.end()))
    for m in anchored(_FIRST, scopes, text, ctx.body_start, back=3, ahead=6, lead=_FIRST_LEAD):
        word = m.group("kind") or "率先"
        kind = "only" if word == "唯一" else "first"
        scope = m.group("scope") or m.group("scope2")
        _cs, ce = ctx.clause(m.end())
        indicator = near.indicator(m.end(), ce)
        r = _ranking(ctx, near, kind, m, m.start(), m.end(), scope_of, indicator, scope_word=scope)
        out.append(r)
        taken.append(m.span())
    out.sort(key=lambda r: (r.mentions[0].start, r.mentions[0].end))
    return out, taken


#: What a ranking's indicator is stripped of after its white space (``str.strip``), on both sides.
_INDICATOR_STRIP = frozenset("，,。 ")
#: _OF read backwards from its end (it is anchored there): a match of the reversed text at the end of the
#: text before a ranking, in time proportional to its length (a search of the text before is quadratic).
#: Each part has one way to match, so the match found is the longest: the leftmost start of _OF's.
_OF_REVERSED = re.compile(
    r"(?:项|个)(?P<count>\d+|[一二三四五六七八九十]+)(?:有)?(?:中)?(?:标指|标指核考|标指价评)?(?:项|个)(?P<of>\d+|[一二三四五六七八九十]+)"
)


class _Near:
    """What rankings read around a match (indicators, 的, the hits after or before a claim), with the scans
    shared between the matches of one clause or sentence remembered: a clause without punctuation can hold
    thousands of rankings, and copying or scanning it for each is quadratic."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self._reversed: str | None = None
        self._fwd: dict[int, tuple[int, int]] = {}
        self._back: dict[int, int] = {}
        self._last_de: dict[int, int] = {}  # by clause start
        self._after: dict[int, tuple[list[int], list[Hit | None]]] = {}  # by clause start
        self._before: dict[tuple[int, int], tuple[list[Hit], list[int]]] = {}  # by sentence

    def _forward(self, lo: int) -> tuple[int, int]:
        """From ``lo``: the first non-space, and the first character after it not in _INDICATOR_STRIP."""
        got = self._fwd.get(lo)
        if got is None:
            text, n = self.text, len(self.text)
            a = lo
            while a < n and text[a].isspace():
                a += 1
            a1 = a
            while a < n and text[a] in _INDICATOR_STRIP:
                a += 1
            got = self._fwd[lo] = (a1, a)
        return got

    def _backward(self, hi: int) -> int:
        """Back from ``hi``: past white space, then past characters of _INDICATOR_STRIP."""
        got = self._back.get(hi)
        if got is None:
            text = self.text
            b = hi
            while b > 0 and text[b - 1].isspace():
                b -= 1
            while b > 0 and text[b - 1] in _INDICATOR_STRIP:
                b -= 1
            got = self._back[hi] = b
        return got

    def any_text(self, lo: int, hi: int) -> bool:
        """``text[lo:hi].strip() != ""``."""
        return self._forward(lo)[0] < hi

    def indicator(self, lo: int, hi: int) -> str:
        """``text[lo:hi].strip().strip("，,。 ")[:60]``, by offsets."""
        a = min(self._forward(lo)[1], hi)
        b = self._backward(hi)
        return self.text[a : min(b, a + 60)] if b > a else ""

    def of_before(self, cs: int, pos: int) -> tuple[int, int | None, int | None] | None:
        """``_OF.search(text[cs:pos])`` as (start in the text, count, of), or None."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        n = len(self.text)
        m = _OF_REVERSED.match(self._reversed, n - pos, n - cs)
        if m is None:
            return None
        return n - m.end(), chinese_number(m.group("count")[::-1]), chinese_number(m.group("of")[::-1])

    def last_de(self, end: int, cs: int, ce: int) -> int:
        """``text.rfind("的", end, ce)`` for ``end`` in the clause ``[cs, ce)``."""
        de = self._last_de.get(cs)
        if de is None:
            de = self._last_de[cs] = self.text.rfind("的", cs, ce)
        return de if de >= end else -1

    def last_after(self, lo: int, cs: int, ce: int) -> Hit | None:
        """Of the hits in ``[lo, ce)`` (``lo`` in the clause ``[cs, ce)``) that are not deixis or honours, the
        one ending last, then the leftmost, the first of equals (``max(…, key=lambda h: (h.end, -h.start))``),
        by a suffix maximum over the clause."""
        got = self._after.get(cs)
        if got is None:
            hits = [h for h in self.ctx.hits_in(cs, ce) if h.resolution != "contextual-deixis" and h.type != "Honour"]
            best: list[Hit | None] = [None] * (len(hits) + 1)
            for k in range(len(hits) - 1, -1, -1):
                h, b = hits[k], best[k + 1]
                best[k] = h if b is None or (h.end, -h.start) >= (b.end, -b.start) else b
            got = self._after[cs] = ([h.start for h in hits], best)
        starts, best = got
        return best[bisect.bisect_left(starts, lo)]

    def first_before(self, ss: int, se: int, pos: int) -> Hit | None:
        """The first of the hits in ``[ss, pos)`` (``pos`` in the sentence ``[ss, se)``) that are not deixis or
        honours, by start, longest first: the first ending by ``pos``, found by bisecting the running minimum
        of the ends of those starting in the sentence."""
        got = self._before.get((ss, se))
        if got is None:
            hits = [h for h in self.ctx.starting(ss, se) if h.resolution != "contextual-deixis" and h.type != "Honour"]
            low, least = [], None
            for h in hits:
                least = h.end if least is None or h.end < least else least
                low.append(-least)  # non-decreasing, for bisection
            got = self._before[(ss, se)] = (hits, low)
        hits, low = got
        k = bisect.bisect_left(low, -pos)
        return hits[k] if k < len(hits) and hits[k].start < pos else None


def _type(area) -> str:
    from .entities import LEVEL_TYPE

    return LEVEL_TYPE[area.level]


def _ranking(ctx, near, kind, m, start, end, scope_of, indicator, *, rank=None, count=None, of=None, scope_word=None) -> Ranking:
    word = scope_word or m.group("scope")
    part, year = ctx.part(start)
    about = None
    if kind in ("first", "only"):
        # about the noun phrase the claim heads: 全省首个经最高院批复的…法庭 → the court (after the last 的)
        cs, ce = ctx.clause(end)
        de = near.last_de(end, cs, ce)
        pick = near.last_after(de + 1 if de >= 0 else end, cs, ce)
        if pick is None:  # else the first named before it in its sentence
            ss, se = ctx.sentence(start)
            pick = near.first_before(ss, se, start)
        about = pick.key if pick else (f"{_type(ctx.home)}:{ctx.home.key}" if ctx.home is not None else None)
    elif ctx.home is not None:
        about = f"{_type(ctx.home)}:{ctx.home.key}"
    quote = ctx.text[start:end]
    return Ranking(
        kind=kind,
        scope_word=word,
        scope=scope_of(word),
        rank=rank,
        indicator=indicator,
        about=about,
        count=count,
        of=of,
        period=year or ctx.summary_year(),
        mentions=[Mention(ctx.doc.id, start, end, quote, "Ranking")],
    )

