"""The shortcuts of anchored() and iter_suffix_names() are pure filters: the same matches with and without them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from govkg.extract.names import _OVERLAPS, _overlaps, anchored, suffix_regex
from govkg.pipeline import bundled_report
from govkg.reader import read_report

figures = importlib.import_module("govkg.extract.figures")  # the module: the package exports a function of that name
facts = importlib.import_module("govkg.extract.facts")
CORPUS = Path(__file__).parent / "corpus"


def _texts() -> list[str]:
    texts = [read_report(bundled_report()).text]
    texts += [read_report(p).text for p in sorted(CORPUS.iterdir()) if p.is_file()]
    # edge cases: figures after qualifiers and digits, comma groups, scope words close together
    texts.append("约3,000人，超过1.5万元，12、3个，全市全区前三，位居全省首位，率先在全市建成，1,234,567个")
    texts.append("溪涌、葵涌、大鹏等3个社区，甲乙、丙丁村，A、B、C社区。")
    return texts


def _spans(ms) -> list[tuple[tuple[int, int], tuple]]:
    return [(m.span(), m.groups()) for m in ms]


@pytest.mark.parametrize("text", _texts())
def test_lead_and_rest_change_nothing(text: str) -> None:
    f = figures
    cases = [
        (f._FIGURE, f._DIGITS, dict(back=3, ahead=f._FIGURE_AHEAD), dict(lead=f._FIGURE_LEAD)),
        (f._HEAD_OF, f._SCOPE, dict(back=2, ahead=12), dict(lead=f._HEAD_OF_LEAD)),
        (f._TOP, f._SCOPE, dict(back=2, ahead=12), dict(lead=f._TOP_LEAD)),
        (f._FIRST, f._SCOPE, dict(back=3, ahead=6), dict(lead=f._FIRST_LEAD)),
        (facts._SITE_LIST, facts._COMMA, dict(back=4, ahead=120, until=facts._AREA_WORD), dict(rest=facts._SITE_LIST_REST)),
    ]
    for pattern, anchor, kw, shortcut in cases:
        plain = _spans(anchored(pattern, anchor, text, 0, **kw))
        assert _spans(anchored(pattern, anchor, text, 0, **kw, **shortcut)) == plain
        assert _spans(anchored(pattern, list(anchor.finditer(text)), text, 0, **kw, **shortcut)) == plain


def test_digits_pattern_finds_the_same_runs() -> None:
    for text in _texts():
        assert [m.span() for m in figures._DIGITS.finditer(text)] == [m.span() for m in re.finditer(r"\d+", text)]


def test_overlaps_list_every_offset_where_a_longer_suffix_starts() -> None:
    words = ["办公室", "政法办", "公室主任", "中心", "心理站", "站", "所"]
    got = _overlaps(words)
    for w in words:
        want = tuple(k for k in range(1, len(w)) if any(v.startswith(w[k:]) and len(v) > len(w) - k for v in words))
        assert got[w] == want
    assert got["办公室"] == (1,) and got["中心"] == (1,) and got["政法办"] == (2,) and got["站"] == ()
    p = suffix_regex(words)
    assert _OVERLAPS[p.pattern] == got
