"""Context.clause and Context.sentence agree with bisecting the full list of marks, near marks or far."""

from __future__ import annotations

import random

import pytest

from govkg.extract import context as cx
from govkg.model import Document


def _listed(text: str, chars: set[str], pos: int) -> tuple[int, int]:
    marks = [i for i, c in enumerate(text) if c in chars]
    before = [m for m in marks if m < pos]
    after = [m for m in marks if m >= pos]
    return (before[-1] + 1 if before else 0), (after[0] if after else len(text))


@pytest.mark.parametrize("near", [1, 3, 256])
def test_clauses_and_sentences_between_marks(monkeypatch, near):
    monkeypatch.setattr(cx, "_NEAR", near)
    rng = random.Random(near)
    clause_chars = cx.CLAUSE_END - {"、"}
    for _ in range(300):
        text = "".join(rng.choice("甲乙丙丁，。；、\n()a" if rng.random() < 0.5 else "甲乙丙丁戊己") for _ in range(rng.randint(0, 40)))
        ctx = cx.Context(Document(id="d", text=text, source="t", sha256=""), None, None)
        for pos in range(-2, len(text) + 3):
            assert ctx.clause(pos) == _listed(text, clause_chars, pos), (text, pos)
            assert ctx._between(cx._SENTENCE_MARK, pos) == _listed(text, cx.SENTENCE_END, pos), (text, pos)
