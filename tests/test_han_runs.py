"""Context.han_run_start and name_start's walk left agree with stepping one character at a time."""

from __future__ import annotations

import random

from govkg.extract import names
from govkg.extract.context import Context, is_han
from govkg.model import Document


def _walk(text: str, end: int, floor: int, quotes: bool) -> int:
    """The walk left of name_start as first written: a step per character."""
    s = end
    while s > floor and is_han(text[s - 1]):
        s -= 1
        if quotes and s > floor + 2 and text[s - 1] == "”" and is_han(text[s - 2]):
            q = text.rfind("“", max(floor, s - 12), s - 1)
            if q > floor and is_han(text[q - 1]) and all(is_han(c) for c in text[q + 1 : s - 1]):
                s = q
    return s


def test_walk_left_matches_stepping(monkeypatch):
    monkeypatch.setattr(names, "_BOUNDARY_RE", _NoMatch())  # compare the walk alone: cut at no boundary word
    rng = random.Random(5)
    alphabet = "江汉区八五普法“”，a1 \U00020001\u3400"
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        ctx = Context(Document(id="d", text=text, source="t", sha256=""), None, None)
        for end in range(len(text) + 1):
            for limit in (0, 1, 3, 6, 24):
                floor = max(0, end - limit)
                assert ctx.han_run_start(end, floor) == _walk(text, end, floor, False)
                got = names.name_start(ctx, end, limit=limit, quotes=True)
                want = _walk(text, end, floor, True)
                if want < end and text[want - 1 : want].isdigit() and text[want] in names._CLASSIFIER_CHARS:
                    continue  # the classifier and figure rules after the walk move the start; compared elsewhere
                if want + 2 <= end and text[want] in names._NUMERALS:
                    continue  # 四个|方面
                assert got == want, (text, end, limit)


class _NoMatch:
    def finditer(self, *_a):
        return iter(())
