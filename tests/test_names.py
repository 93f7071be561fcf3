"""Name finding helpers: the anchored scan gives the same matches as a full scan, and the Context's hit
queries agree with brute force."""

from __future__ import annotations

import random
import re

import pytest

from govkg.extract.context import Context, Hit
from govkg.extract.names import anchored
from govkg.reader import read_report

sys_modules = __import__("sys").modules
figures_mod = sys_modules["govkg.extract.figures"]
entities_mod = sys_modules["govkg.extract.entities"]

#: Fragments of the genre's prose, shuffled into texts where matches touch, nest and fail near each other.
FRAGMENTS = [
    "全市", "全省首个", "全区前三", "排名第1", "全市排名第12位", "率先在全省", "居全国前5", "8项指标中有7项", "约", "近", "达到",
    "1.2万", "7506人次", "100%", "3", ",", ".", "5家", "30余个", "2,300份", "以上", "左右", "年", "2020年", "第", "、", "，", "。",
    "葵涌办事处", "溪涌社区", "街道", "镇", "南澳", "丰潭路", "沿线", "大道", "两侧", "等", "4个", "社区", "村", "三溪", "葵新",
    "首批", "“", "”", "全国唯一", "首家", "x", "A1", "首位", "居", "派出所", "榜首", "基层法院", "第2位", "第3名", "12345", "123456", "市民", "热线", "诉讼服务", "12345市民热线", "12368诉讼服务热线", "311国道", "G15", "沈海高速", "老灌河", "丁河段", "段", "江",
]


def _texts(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(5, 60))) for _ in range(n)]


CASES = [
    ("figure", figures_mod._FIGURE, figures_mod._DIGITS, 3, figures_mod._FIGURE_AHEAD),
    ("rank", figures_mod._RANK, figures_mod._SCOPE, 0, 24),
    ("top", figures_mod._TOP, figures_mod._SCOPE, 2, 12),
    ("first", figures_mod._FIRST, figures_mod._SCOPE, 3, 6),
    ("head-of", figures_mod._HEAD_OF, figures_mod._SCOPE, 2, 12),
    ("rank-among", figures_mod._RANK_AMONG, figures_mod._SCOPE, 0, 24),
    ("office-area", entities_mod._OFFICE_AREA, entities_mod._OFFICE_ANCHOR, 5, 60),
    ("road", entities_mod._ROAD, entities_mod._ROAD_ANCHOR, 5, 60),
    ("stretch", entities_mod._STRETCH, entities_mod._STRETCH_ANCHOR, 10, 6),
    ("hotline", entities_mod._HOTLINE, entities_mod._HOTLINE_ANCHOR, 16, 0),
]


@pytest.mark.parametrize("name, pattern, anchor, back, ahead", CASES, ids=[c[0] for c in CASES])
def test_anchored_scan_equals_full_scan(name, pattern, anchor, back, ahead):
    found = 0
    for text in _texts(400):
        for start in (0, 3):
            full = [m.span() for m in pattern.finditer(text, start)]
            fast = [m.span() for m in anchored(pattern, anchor, text, start, back=back, ahead=ahead)]
            assert fast == full, text
            found += len(full)
    assert found > 20  # the fragments do make matches


def test_anchored_with_until_reads_lists_up_to_their_area_word():
    lst = entities_mod._LIST
    text = "以三溪、葵新、官湖、土洋等首批4个社区为试点，在南澳、东涌开展"
    got = [m.group() for m in anchored(lst, re.compile("、"), text, 0, back=4, ahead=120, until=entities_mod._AREA_WORD)]
    assert got == ["以三溪、葵新、官湖、土洋等首批4个社区"]  # the caller cuts the first item with name_start


def _context(text: str) -> Context:
    return Context(read_report(text.encode("utf-8")), None, None)


def test_hit_queries_agree_with_brute_force():
    rnd = random.Random(3)
    text = "测" * 400
    ctx = _context(text)
    hits = []
    for k in range(300):
        s = rnd.randrange(0, 380)
        h = Hit(s, s + rnd.choice((1, 2, 3, 5, 8, 40)), "Place", f"p{k}")
        hits.append(h)
        ctx.add(h)
        if k % 50 == 49:
            ctx.flush()
    for k in range(0, 300, 7):  # drop some, as conferrals do when an honour replaces a programme
        ctx.discard(hits[k].start, hits[k].end)
    live = [h for h in hits if not any(h.start == hits[k].start and h.end == hits[k].end for k in range(0, 300, 7))]
    for _ in range(500):
        a = rnd.randrange(0, 400)
        b = a + rnd.randrange(0, 30)
        around = {id(h) for h in ctx.hits_around(a, b)}
        assert around == {id(h) for h in live if h.start < b and h.end > a}
        inside = ctx.hits_in(a, b)
        assert {id(h) for h in inside} == {id(h) for h in live if a <= h.start and h.end <= b}
        assert [h.start for h in inside] == sorted(h.start for h in inside)
        assert ctx.covered(a, b) == any(h.start <= a and b <= h.end for h in live)
        at = ctx.hits_at(a)
        assert {id(h) for h in at} == {id(h) for h in live if h.start == a}
    ordered = ctx.hits
    assert [(h.start, -h.end) for h in ordered] == sorted((h.start, -h.end) for h in ordered)


def test_innermost_section_by_sweep_equals_a_backward_walk():
    from collections import namedtuple

    from govkg.model import innermost as _innermost

    Block = namedtuple("Block", "start end part year")
    rnd = random.Random(11)
    for _ in range(200):
        blocks = []
        for _k in range(rnd.randint(0, 25)):
            a = rnd.randrange(0, 200)
            blocks.append(Block(a, a + rnd.randint(1, 80), rnd.choice(("summary", "plan")), rnd.randint(2019, 2023)))
        blocks.sort(key=lambda b: (b.start, -b.end))
        starts, holders = _innermost(blocks)
        for pos in range(0, 300, 3):
            want = next((b for b in reversed([b for b in blocks if b.start <= pos]) if pos < b.end), None)
            k = __import__("bisect").bisect_right(starts, pos) - 1
            got = holders[k] if k >= 0 else None
            assert got is want, (pos, blocks)


def test_suffix_trie_matches_the_longest_first_alternation():
    from govkg.extract.lexicon import COMPANY_SUFFIXES, GROUP_SUFFIXES, ORG_SUFFIXES
    from govkg.extract.names import _trie_pattern

    words = sorted(set(ORG_SUFFIXES + GROUP_SUFFIXES + COMPANY_SUFFIXES), key=lambda s: (-len(s), s))
    plain = re.compile("|".join(re.escape(w) for w in words))
    trie = re.compile(_trie_pattern(words))
    rnd = random.Random(5)
    chars = "".join(sorted(set("".join(words)))) + "的和在"
    for _ in range(1500):
        t = "".join(rnd.choice(chars) for _ in range(30))
        assert [m.span() for m in trie.finditer(t)] == [m.span() for m in plain.finditer(t)], t
        for p in range(0, 30, 4):
            a, b = plain.match(t, p), trie.match(t, p)
            assert (a and a.span()) == (b and b.span()), (t, p)
