"""Find where a name ends and where it starts in unsegmented Chinese: suffix matching plus left cutting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .context import Context, is_han
from .lexicon import BOUNDARY_WORDS, KEEP_WORDS, NAME_PHRASES, NOT_ORG_WORDS

__all__ = ["suffix_regex", "name_start", "iter_suffix_names", "not_word_at", "anchored"]

_BOUNDARY = frozenset(BOUNDARY_WORDS)
#: For each boundary word, the name phrases holding it and where: (示范创建, 2) for 创建.
_PHRASES_WITH = {w: tuple((p, p.find(w)) for p in NAME_PHRASES if w in p) for w in _BOUNDARY}
#: Conjunctions that also occur inside official names (政法和社会工作局, 发展和改革局).
_SOFT_CONJ = frozenset({"和", "与", "及"})
MAX_NAME = 24
#: Level words that begin a body's name (镇派出所, 县司法局): after 和/与 they start a second body.
_LEVEL_STARTS = ("镇", "县", "区", "市", "省", "乡", "街道")
_NUMERALS = frozenset("一二三四五六七八九十两几多百千万")
_CLASSIFIER_CHARS = frozenset("个家所份场批项处次栋幢起宗人名位户件条类间座支")
#: Stems that make a generic noun rather than a name: 街道司法所, 社区警务室, 各级党委.
GENERIC_STEMS = frozenset(
    "街道 社区 各街道 各社区 基层 区级 市级 省级 县级 各级 镇 村 乡镇 各部门 各单位 相关 有关 上级 下级 本级 属地 "
    "专项工作 专项 工作 各 全 该 本 其 职能 主管 行业主管 成员 重点成员 驻区 区直 市直 各区 各镇 村居 居村 辖区 "
    "区属 市属 县属 镇属 全镇 全县 全区 全市 全省 公办 民办 中小 各级各类 县直 镇直 村级 "
    "农民专业 股份经济 经济 专业 农村集体经济 集体经济 农民".split()
)


def suffix_regex(suffixes: Iterable[str]) -> re.Pattern[str]:
    """One alternation of ``suffixes``, longest first."""
    words = sorted(set(suffixes), key=lambda s: (-len(s), s))
    pattern = re.compile(_trie_pattern(words))
    if pattern.pattern not in _OVERLAPS:
        _OVERLAPS[pattern.pattern] = _overlaps(words)
    return pattern


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching the longest of ``words`` at a position, as a trie (办(?:公室|事处)?):
    the same matches as the alternation of the words longest first, with one comparison per character
    instead of one attempt per word."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        kids = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not kids:
            return ""
        body = kids[0] if len(kids) == 1 and len(kids[0]) == 1 else "(?:" + "|".join(kids) + ")"
        return body + "?" if "" in node else body  # children first: the longest word wins

    return "|".join(re.escape(ch) + emit(trie[ch]) for ch in sorted(trie))


#: Boundary words, the longest at a position first.
_BOUNDARY_RE = re.compile(_trie_pattern(_BOUNDARY))


#: For the patterns :func:`suffix_regex` made, by their source: where inside each suffix a longer one can start.
_OVERLAPS: dict[str, dict[str, tuple[int, ...]]] = {}


def _overlaps(words: list[str]) -> dict[str, tuple[int, ...]]:
    """For each word, the offsets ``k`` at which another word can start and run past its end (its text
    from ``k`` is a proper prefix of that word): 政法办公室 → (3,) for 公室…, 办公室 → () when no word starts
    with 公室 or 室 and is longer."""
    longest: dict[str, int] = {}  # every prefix of a word → the longest word it begins
    for w in words:
        for n in range(1, len(w) + 1):
            if longest.get(w[:n], 0) < len(w):
                longest[w[:n]] = len(w)
    return {w: tuple(k for k in range(1, len(w)) if longest.get(w[k:], 0) > len(w) - k) for w in words}


@lru_cache(maxsize=4096)
def _containing(suffix: str, words: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    out = []
    for w in words:
        p = w.find(suffix)
        while p >= 0:
            out.append((w, p))
            p = w.find(suffix, p + 1)
    return tuple(out)


def not_word_at(text: str, start: int, end: int, words: Iterable[str] = NOT_ORG_WORDS) -> bool:
    """True when the suffix at ``[start, end)`` is part of one of ``words`` (格局, 中心城市, 部署 …)."""
    return _in_word(text, start, _containing(text[start:end], tuple(words)))


def _in_word(text: str, start: int, found: tuple[tuple[str, int], ...]) -> bool:
    """True when one of the words that hold a suffix (word, offset) is written around ``start``."""
    for w, p in found:
        if text.startswith(w, start - p) and start - p >= 0:
            return True
    return False


def name_start(ctx: Context, end_of_stem: int, *, limit: int = MAX_NAME, quotes: bool = False) -> int:
    """Where a name whose stem ends at ``end_of_stem`` starts: the run of Han characters to the left,
    cut after the rightmost boundary word (a verb, preposition or particle that cannot be in a name)."""
    text = ctx.text
    floor = end_of_stem - limit if end_of_stem > limit else 0
    s = ctx.han_run_start(end_of_stem, floor)
    # a quoted word inside a name: 江汉区“八五”普法工作领导小组 (the run goes on before the opening quote)
    while quotes and floor + 2 < s < end_of_stem and text[s - 1] == "”" and is_han(text[s - 2]):
        q = text.rfind("“", max(floor, s - 12), s - 1)
        if not (q > floor and is_han(text[q - 1]) and all(is_han(c) for c in text[q + 1 : s - 1])):
            break
        s = ctx.han_run_start(q, floor)
    # a classifier right after a figure is not part of a name: 300栋|城中村, 四个|方面
    if s < end_of_stem and text[s - 1 : s].isdigit() and text[s] in _CLASSIFIER_CHARS:
        s += 1
    elif s + 2 <= end_of_stem and text[s] in _NUMERALS and text[s + 1] in _CLASSIFIER_CHARS:
        s += 2
    # a figure that belongs to a name: 15分钟品质生活圈, 500米服务圈
    if text.startswith(("分钟", "米", "公里", "小时"), s) and s > 0 and text[s - 1].isdigit():
        while s > floor and text[s - 1].isdigit():
            s -= 1
    run_start = s
    cut = run_start
    for m in _BOUNDARY_RE.finditer(text, run_start, end_of_stem):
        i, w = m.start(), m.group()
        phrases = _PHRASES_WITH[w]
        if phrases and any(text.startswith(p, i - k) for p, k in phrases):
            continue
        if len(w) == 1 and (text[i : i + 2] in KEEP_WORDS or text[i - 1 : i + 1] in KEEP_WORDS):
            continue
        if w in _SOFT_CONJ and _starts_with_area(ctx, cut, i) and not text.startswith(_LEVEL_STARTS, i + len(w)):
            continue
        if w == "新区":
            continue
        cut = m.end()
    return cut


def _starts_with_area(ctx: Context, start: int, end: int) -> bool:
    """True when ``text[start:end]`` begins with an administrative-area name or a context word."""
    frag = ctx.text[start:end]
    if any(frag.startswith(d) for d in ("新区", "本区", "本市")):
        return True
    for s, _e, _a in ctx.gaz.find_in_text(frag, within=ctx.home):
        return s == 0
    return False


def iter_suffix_names(
    ctx: Context,
    pattern: re.Pattern[str],
    *,
    min_stem: int = 2,
    standalone: frozenset[str] = frozenset(),
    not_words: Iterable[str] = NOT_ORG_WORDS,
    start: int | None = None,
    quotes: bool = False,
) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, suffix) for names ending in one of ``pattern``'s suffixes.

    ``standalone`` suffixes may form a name on their own (管委会); the others need ``min_stem``
    Han characters before them.
    """
    text = ctx.text
    nw = tuple(not_words)
    nw_set = frozenset(nw)
    overlaps = _OVERLAPS.get(pattern.pattern)  # None for other patterns: every offset is tried
    containing: dict[str, tuple[tuple[str, int], ...]] = {}  # per suffix, the not-words holding it
    for m in pattern.finditer(text, ctx.body_start if start is None else start):
        s, e = m.span()
        suffix = m.group()
        # a longer suffix overlapping this one wins: 政法办|公室 → 办公室
        for k in overlaps[suffix] if overlaps is not None else range(1, e - s):
            m2 = pattern.match(text, s + k)
            if m2 and m2.end() > e:
                s, e, suffix = s + k, m2.end(), m2.group()
                break
        found = containing.get(suffix)
        if found is None:
            found = containing[suffix] = _containing(suffix, nw)
        if _in_word(text, s, found) or text[e - 1 : e + 1] in nw_set or text[e - 1 : e + 2] in nw_set:
            continue
        start = name_start(ctx, s, quotes=quotes)
        stem = s - start
        if stem < min_stem and not (stem == 0 and suffix in standalone) and not (stem >= 1 and len(suffix) >= 3):
            continue
        if text[start:s] in GENERIC_STEMS:
            continue
        yield start, e, suffix


def anchored(
    pattern: re.Pattern[str],
    anchor: re.Pattern[str] | list[re.Match[str]],
    text: str,
    start: int = 0,
    *,
    back: int = 5,
    ahead: int = 60,
    until: re.Pattern[str] | None = None,
    lead: re.Pattern[str] | None = None,
    rest: re.Pattern[str] | None = None,
):
    """``pattern.finditer(text, start)`` restricted to matches that contain an ``anchor`` match.

    The same matches, in the same order, for a pattern whose every match contains the anchor, starts at
    most ``back`` characters before it and ends within ``ahead`` after it (at a match of ``until`` when
    given); far faster than trying the pattern at every character. ``anchor`` may also be the list of its
    matches from ``start``, to share one scan between several patterns. ``lead``, when given, matches where a
    match can start before its anchor (a necessary condition, such as its possible first characters):
    the positions before the first such place are not tried. ``rest``, when given, must match at the
    anchor's end (up to where a match may end) for a match holding the anchor to be possible: a necessary
    condition checked once per anchor, which spares the pattern's attempts where it fails.
    """
    last = start
    match = pattern.match
    for a in anchor.finditer(text, start) if isinstance(anchor, re.Pattern) else anchor:
        at = a.start()
        if at < last:
            continue
        end = a.end() + ahead
        if until is not None:
            u = until.search(text, a.end(), end)
            if u is None:
                continue
            end = u.end() + 8
        if rest is not None and rest.match(text, a.end(), end) is None:
            continue
        # the leftmost match holding the anchor starts at most ``back`` characters before it
        lo = max(last, at - back)
        if lead is not None and lo < at:
            first = lead.search(text, lo, at)
            lo = first.start() if first is not None else at
        for p in range(lo, at + 1):
            m = match(text, p, end)
            if m is not None and m.end() > at:
                last = m.end()
                yield m
                break
