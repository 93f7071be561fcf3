"""The scans that stand in for Context queries in the fact and figure extractors give the same answers."""

from __future__ import annotations

import importlib
import random

from govkg.extract import context as cx
from govkg.model import Document

fg = importlib.import_module("govkg.extract.figures")  # the module, not the function of that name

_TYPES = ["Initiative", "Place", "Community", "Person", "PublicOrganisation", "Honour"]


def _context(rng: random.Random, n: int, flush: bool = True) -> cx.Context:
    ctx = cx.Context(Document(id="d", text="甲" * 80, source="t", sha256=""), None, None)
    for i in range(n):
        s = rng.randrange(0, 70)
        e = s + rng.choice([1, 2, 2, 3, 5, 9, 30])
        res = "contextual-deixis" if rng.random() < 0.2 else "exact-name"
        ctx.add(cx.Hit(s, e, rng.choice(_TYPES), f"n{i % 7}", resolution=res))
    if flush:
        ctx.flush()
    return ctx


def test_last_named_in_is_last_named_of_hits_in():
    rng = random.Random(7)
    for trial in range(200):
        ctx = _context(rng, rng.randint(0, 40), flush=trial % 5 != 0)
        for lo in range(0, 85, 3):
            for pos in range(lo, 86, 2):
                want = _last_named(ctx.hits_in(lo, pos, fg._ABOUT))
                assert ctx.last_named_in(lo, pos, fg._ABOUT) is want, (lo, pos)


def _last_named(hits: list) :
    """The hit ending last, the longest of those, the first of equals; contextual words (新区) do not count."""
    best = None
    for h in hits:
        if h.resolution != "contextual-deixis" and (
            best is None or h.end > best.end or h.end == best.end and h.start < best.start
        ):
            best = h
    return best
