"""Shared state of one extraction run: the text, its clauses, the home area and the entity hits found so far."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..model import Document

__all__ = ["Hit", "Context", "is_han", "QUOTE_PAIRS", "CLAUSE_END", "SENTENCE_END"]

QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", "\"": "\""}
CLAUSE_END = set("，。；：！？、,;:!?\n()（）")
SENTENCE_END = set("。；！？!?;\n")


def is_han(ch: str) -> bool:
    """True for a CJK unified ideograph (the characters names are made of)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2A6DF


@dataclass
class Hit:
    """An entity mention candidate before resolution: ``text[start:end]`` names an entity of ``type``."""

    start: int
    end: int
    type: str
    name: str  # canonical name
    aliases: tuple[str, ...] = ()
    resolution: str = "exact-name"
    attrs: dict[str, object] = field(default_factory=dict)
    area: object | None = None  # gazetteer Area for administrative areas
    parent: str | None = None  # canonical key of the enclosing entity, if known

    @property
    def key(self) -> str:
        if self.area is not None:
            return f"{self.type}:{self.area.key}"
        return f"{self.type}:{self.name}"


class Context:
    """Everything the extractors share while reading one document."""

    def __init__(self, doc: Document, gazetteer, home) -> None:
        self.doc = doc
        self.text = doc.text
        self.gaz = gazetteer
        self.home = home  # gazetteer Area of the publisher's district, or None
        self.hits: list[Hit] = []
        self.cache: dict[str, dict] = {}  # per-document memo of reference-data look-ups
        self.body_start = max((s.end for s in doc.sections if s.part == "front"), default=0)
        self._quoted = self._quoted_spans()
        self._qstarts = [s for s, _ in self._quoted]
        self._sent = sorted((s.start, s.end) for s in doc.sections if s.kind == "sentence")
        self._sstarts = [s for s, _ in self._sent]
        self._blocks = sorted(
            (s for s in doc.sections if s.kind not in ("sentence", "paragraph")), key=lambda s: (s.start, -s.end)
        )
        self._bstarts = [s.start for s in self._blocks]

    # -- quotes -------------------------------------------------------------------------------
    def _quoted_spans(self) -> list[tuple[int, int]]:
        spans = []
        for m in re.finditer(r"“([^“”\n]{1,40})”|《([^《》\n]{1,80})》|「([^「」\n]{1,40})」", self.text):
            spans.append((m.start(), m.end()))
        return spans

    def quoted(self) -> list[tuple[int, int]]:
        """Spans of quoted text, quote marks included."""
        return self._quoted

    def in_quotes(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside a quoted span (not counting the marks)."""
        i = bisect.bisect_right(self._qstarts, start) - 1
        if i < 0:
            return False
        qs, qe = self._quoted[i]
        return qs + 1 <= start and end <= qe - 1

    # -- sentences and clauses ----------------------------------------------------------------
    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence span containing ``pos`` (falls back to the line)."""
        i = bisect.bisect_right(self._sstarts, pos) - 1
        if i >= 0 and self._sent[i][0] <= pos < self._sent[i][1]:
            return self._sent[i]
        return self.bounds(pos, SENTENCE_END)

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause (between ，。；、 …) containing ``pos``."""
        return self.bounds(pos, CLAUSE_END - {"、"})

    def bounds(self, pos: int, stops: set[str]) -> tuple[int, int]:
        t = self.text
        s = pos
        while s > 0 and t[s - 1] not in stops:
            s -= 1
        e = pos
        while e < len(t) and t[e] not in stops:
            e += 1
        return s, e

    def part(self, pos: int) -> tuple[str, int | None]:
        """("summary"|"plan"|"front", year) of the innermost section holding ``pos``."""
        best = None
        i = bisect.bisect_right(self._bstarts, pos) - 1
        while i >= 0:
            s = self._blocks[i]
            if s.start <= pos < s.end:
                best = s  # the innermost: the latest start that still contains pos
                break
            i -= 1
        if best is None:
            return "summary", self.summary_year()
        return best.part, best.year

    def summary_year(self) -> int | None:
        years = [s.year for s in self.doc.sections if s.part == "summary" and s.year]
        if years:
            return years[0]
        m = re.search(r"(20\d\d)年", self.doc.metadata.title or self.text[:400])
        return int(m.group(1)) if m else None

    # -- hits -----------------------------------------------------------------------------------
    def add(self, hit: Hit) -> Hit:
        """Record a hit (ignored when empty)."""
        if hit.end <= hit.start:
            return hit
        self.hits.append(hit)
        if self._index is not None:
            hs, starts, longest, named = self._index
            k = bisect.bisect_right(starts, hit.start)
            hs.insert(k, hit)
            starts.insert(k, hit.start)
            named.setdefault(hit.key, set()).add(hit.resolution)
            self._index = (hs, starts, max(longest, hit.end - hit.start), named)
        return hit

    def discard(self, start: int, end: int) -> None:
        """Drop the hits spanning exactly ``[start, end)``."""
        gone = [h for h in self.hits_at(start) if h.end == end]
        if not gone:
            return
        self.hits[:] = [h for h in self.hits if not any(h is g for g in gone)]
        if self._index is not None:
            hs, starts, longest, named = self._index
            keep = [h for h in hs if not any(h is g for g in gone)]
            self._index = None
            self._index = (keep, [h.start for h in keep], longest, named)

    def remove(self, keep_if) -> None:
        """Drop every hit for which ``keep_if(hit)`` is false."""
        self.hits[:] = [h for h in self.hits if keep_if(h)]
        self._index = None

    _index: tuple[list[Hit], list[int], int, dict[str, set[str]]] | None = None

    def _idx(self) -> tuple[list[Hit], list[int], int, dict[str, set[str]]]:
        if self._index is None:
            hs = sorted(self.hits, key=lambda h: (h.start, -h.end, h.type, h.name))
            named: dict[str, set[str]] = {}
            for h in hs:
                named.setdefault(h.key, set()).add(h.resolution)
            self._index = (hs, [h.start for h in hs], max((h.end - h.start for h in hs), default=0), named)
        return self._index

    def sorted_hits(self) -> list[Hit]:
        """All hits by start, longest first."""
        return self._idx()[0]

    def hits_in(self, start: int, end: int, types: set[str] | frozenset[str] | None = None) -> list[Hit]:
        """Hits lying inside ``[start, end)``, by start."""
        hs, starts, _m, _n = self._idx()
        i, j = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return [h for h in hs[i:j] if h.end <= end and (types is None or h.type in types)]

    def hits_at(self, start: int) -> list[Hit]:
        """Hits starting at ``start``, longest first."""
        hs, starts, _m, _n = self._idx()
        i, j = bisect.bisect_left(starts, start), bisect.bisect_right(starts, start)
        return hs[i:j]

    def hits_around(self, start: int, end: int) -> list[Hit]:
        """Hits overlapping ``[start, end)``."""
        hs, starts, longest, _n = self._idx()
        i, j = bisect.bisect_left(starts, start - longest), bisect.bisect_left(starts, end)
        return [h for h in hs[i:j] if h.end > start]

    def covered(self, start: int, end: int, types: set[str] | frozenset[str] | None = None) -> bool:
        """True when a hit already covers ``[start, end)``."""
        return any(h.start <= start and end <= h.end and (types is None or h.type in types) for h in self.hits_around(start, end))

    def named(self, key: str) -> bool:
        """True when the entity ``key`` is written by name (not only through 新区/全市 words)."""
        return bool(self._idx()[3].get(key, set()) - {"contextual-deixis"})
