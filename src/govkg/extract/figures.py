"""Figures: indicators with normalised values, units and qualifiers; rankings and first/only claims."""

from __future__ import annotations

import bisect
import re
from decimal import Decimal

from ..model import Mention, Observation, Ranking
from .context import Context
from .lexicon import CLASSIFIERS
from .names import anchored

__all__ = ["figures", "rankings", "chinese_number", "SCOPES"]

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SCOPES = "全国|全省|全市|全区|全县|全新区|全街道|全州|全盟|全镇|国内|省内|市内|区内"


def chinese_number(s: str) -> int | None:
    """Arabic or Chinese numerals up to 99: "3" → 3, "十二" → 12, "二十" → 20."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN and c != "十" for c in s):
        return None
    if "十" in s:
        a, _, b = s.partition("十")
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
    doc_id = ctx.doc.id
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
        part, year = ctx.part(ns)
        clause = clauses.get(cs)
        if clause is None:
            clause = clauses[cs] = _clause_facts(text, cs, ce)
        quote = text[start:end]
        out.append(
            Observation(
                value=value,
                unit=unit,
                as_stated=quote,
                qualifier=qualifier,
                cumulative=clause[1] <= ns or ns > cs and text[cs] == "共",
                counts=_counts(text, clause[0], ns),
                about=_about(ctx, cs, ns),
                period=year if year else ctx.summary_year(),
                part=part,
                mentions=[Mention(doc_id, start, end, quote, "Observation")],
            )
        )
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

    def scope_of(word: str):
        if ctx.home is None:
            return None
        area = ctx.gaz.deixis(word, ctx.home)
        return f"{_type(area)}:{area.key}" if area is not None else None

    scopes = list(_SCOPE.finditer(text, ctx.body_start))  # one scan for the four patterns
    for pattern in (_RANK, _RANK_AMONG):  # 全市排名第1, then 全市基层法院第2位 where no rank was read
        for m in anchored(pattern, scopes, text, ctx.body_start, back=0, ahead=24):
            if any(a <= m.start() < b for a, b in taken):
                continue
            cs, _ = ctx.clause(m.start())
            indicator = text[cs : m.start()].strip()
            out.append(_ranking(ctx, "rank", m, m.start(), m.end(), scope_of, indicator, rank=chinese_number(m.group("n"))))
            taken.append(m.span())
    for m in anchored(_HEAD_OF, scopes, text, ctx.body_start, back=2, ahead=12, lead=_HEAD_OF_LEAD):
        cs, _ = ctx.clause(m.start())
        indicator = text[cs : m.start()].strip()
        out.append(_ranking(ctx, "rank", m, m.start(), m.end(), scope_of, indicator, rank=1))
        taken.append(m.span())
    for m in anchored(_TOP, scopes, text, ctx.body_start, back=2, ahead=12, lead=_TOP_LEAD):
        cs, _ = ctx.clause(m.start())
        before = text[cs : m.start()]
        of = _OF.search(before)
        start = m.start()
        count = total = None
        indicator = before.strip()
        if of:
            start = cs + of.start()
            count, total = chinese_number(of.group("count")), chinese_number(of.group("of"))
            indicator = before[: of.start()].strip() or before[of.start() :].strip()
        out.append(
            _ranking(ctx, "top", m, start, m.end(), scope_of, indicator, rank=chinese_number(m.group("n")), count=count, of=total)
        )
        taken.append((start, m.end()))
    for m in anchored(_FIRST, scopes, text, ctx.body_start, back=3, ahead=6, lead=_FIRST_LEAD):
        word = m.group("kind") or "率先"
        kind = "only" if word == "唯一" else "first"
        scope = m.group("scope") or m.group("scope2")
        _cs, ce = ctx.clause(m.end())
        indicator = text[m.end() : ce].strip()
        r = _ranking(ctx, kind, m, m.start(), m.end(), scope_of, indicator, scope_word=scope)
        out.append(r)
        taken.append(m.span())
    out.sort(key=lambda r: (r.mentions[0].start, r.mentions[0].end))
    return out, taken


def _type(area) -> str:
    from .entities import LEVEL_TYPE

    return LEVEL_TYPE[area.level]


def _ranking(ctx, kind, m, start, end, scope_of, indicator, *, rank=None, count=None, of=None, scope_word=None) -> Ranking:
    word = scope_word or m.group("scope")
    part, year = ctx.part(start)
    about = None
    if kind in ("first", "only"):
        # about the noun phrase the claim heads: 全省首个经最高院批复的…法庭 → the court (after the last 的)
        cs, ce = ctx.clause(end)
        de = ctx.text.rfind("的", end, ce)
        after = [h for h in ctx.hits_in(de + 1 if de >= 0 else end, ce) if h.resolution != "contextual-deixis" and h.type != "Honour"]
        ss, _se = ctx.sentence(start)
        before = [h for h in ctx.hits_in(ss, start) if h.resolution != "contextual-deixis" and h.type != "Honour"]
        pick = max(after, key=lambda h: (h.end, -h.start)) if after else (before[0] if before else None)
        about = pick.key if pick else (f"{_type(ctx.home)}:{ctx.home.key}" if ctx.home is not None else None)
    elif ctx.home is not None:
        about = f"{_type(ctx.home)}:{ctx.home.key}"
    quote = ctx.text[start:end]
    return Ranking(
        kind=kind,
        scope_word=word,
        scope=scope_of(word),
        rank=rank,
        indicator=indicator.strip("，,。 ")[:60],
        about=about,
        count=count,
        of=of,
        period=year or ctx.summary_year(),
        mentions=[Mention(ctx.doc.id, start, end, quote, "Ranking")],
    )

