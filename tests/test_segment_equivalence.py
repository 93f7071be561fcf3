"""The fast scans of segment.py find exactly what the plain formulations they replace would find."""

from __future__ import annotations

import random
import re

from govkg import segment as seg
from govkg.model import Section

_ALPHABET = "一二三十是。；;！？!?：:，,、”’」』）) \u3000\t\u00a0甲乙丙abc1"

#: the original formulation: lookbehinds for the clause end (and one space) before 一是
_INLINE_LOOKBEHIND = re.compile(
    rf"(?:(?<=[。；;！？!?：:，,])|(?<=[。；;！？!?：:，,][ \u3000]))([{seg._NUMS}]{{1,3}})是"
)
_SENT_END = re.compile(r"[。！？；!?;]+[”’」』）)]*")


def _random_lines(n: int, seed: int = 7):
    rng = random.Random(seed)
    for _ in range(n):
        raw = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30)))
        text = "\n" + raw + "\n"
        for s, e in seg._lines(text):
            yield text, s, e


def _reference_sentences(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut after each run of end marks (and closers), strip each piece, drop empty ones."""
    out, pos = [], s
    for m in [*_SENT_END.finditer(text, s, e), None]:
        b = e if m is None else m.end()
        piece = text[pos:b]
        if piece.strip():
            a = pos + len(piece) - len(piece.lstrip())
            out.append((a, a + len(piece.strip())))
        pos = b
    return out


def test_inline_marks_match_the_lookbehind_formulation():
    for text, s, e in _random_lines(20000):
        old = [(m.start(), m.end(), m.group(1)) for m in _INLINE_LOOKBEHIND.finditer(text, s, e)]
        new = [(m.start(1), m.end(), m.group(1)) for m in seg._INLINE.finditer(text, s, e)]
        assert new == old, text


def test_sentences_match_cutting_and_stripping():
    for text, s, e in _random_lines(20000, seed=11):
        out: list[Section] = []
        seg._sentences(text, s, e, "summary", 2021, out)
        assert [(x.start, x.end) for x in out] == _reference_sentences(text, s, e), text
        assert all(x.kind == "sentence" and x.part == "summary" and x.year == 2021 for x in out)


def test_sections_sorted_by_start_kind_and_length():
    text = "一、总体成效\n全年调解12件。一是强化。二是规范。\n二、2022年工作计划\n一是深化改革；二是提质。\n"
    secs = seg.segment(text)
    assert list(secs) == sorted(secs, key=lambda x: (x.start, seg._ORDER[x.kind], -x.end))
