"""Shared state of one extraction run: the text, its clauses, the home area and the entity hits found so far."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import attrgetter

from ..model import Document, innermost

__all__ = ["Hit", "Context", "is_han", "QUOTE_PAIRS", "CLAUSE_END", "SENTENCE_END"]

QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", "\"": "\""}
CLAUSE_END = set("，。；：！？、,;:!?\n()（）")
SENTENCE_END = set("。；！？!?;\n")


_CLAUSE_MARK = re.compile(f"[{re.escape(''.join(sorted(CLAUSE_END - {'、'})))}]")
_SENTENCE_MARK = re.compile(f"[{re.escape(''.join(sorted(SENTENCE_END)))}]")
#: The characters :func:`is_han` accepts, as a regex.
_HAN_RUN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002a6df]*")
#: How far :meth:`Context.clause` and :meth:`Context.sentence` look for a mark before listing them all.
_NEAR = 256


def is_han(ch: str) -> bool:
    """True for a CJK unified ideograph (the characters names are made of)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2A6DF


_START = attrgetter("start")
_END = attrgetter("end")


def _by_start(hits: list[Hit]) -> list[Hit]:
    """Sort ``hits`` in place by start, longest first at one start, keeping the order of equal spans.

    The order of ``key=lambda h: (h.start, -h.end)``, from two stable sorts whose keys are computed in C.
    """
    hits.sort(key=_END, reverse=True)  # reverse=True keeps equal ends in their order
    hits.sort(key=_START)
    return hits


@dataclass(eq=False, slots=True)
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
    key: str = field(init=False)

    def __post_init__(self) -> None:
        #: the entity this hit names: type plus reference-data key, or type plus canonical name
        self.key = f"{self.type}:{self.area.key}" if self.area is not None else f"{self.type}:{self.name}"


class Context:
    """Everything the extractors share while reading one document."""

    def __init__(self, doc: Document, gazetteer, home) -> None:
        self.doc = doc
        self.text = doc.text
        self.gaz = gazetteer
        self.home = home  # gazetteer Area of the publisher's district, or None
        self._main = _Run()  # settled hits, sorted by start
        self._new = _Run()  # hits added since the last flush
        self._named: dict[str, set[str]] = {}
        self.cache: dict[str, dict] = {}  # per-document memo of reference-data look-ups
        self.body_start = max((s.end for s in doc.sections if s.part == "front"), default=0)
        self._quoted = self._quoted_spans()
        self._qstarts = [s for s, _ in self._quoted]
        self._reversed = doc.text[::-1]  # searched for the nearest mark before a position
        self._marks: dict[re.Pattern[str], list[int]] = {}  # every mark's offset, listed on first need
        self._summary_year: list[int | None] = []  # computed on first need
        self._sent = sorted((s.start, s.end) for s in doc.sections if s.kind == "sentence")
        self._sstarts = [s for s, _ in self._sent]
        self._blocks = sorted(
            (s for s in doc.sections if s.kind not in ("sentence", "paragraph")), key=lambda s: (s.start, -s.end)
        )
        self._parts: tuple[list[int], list] | None = None  # see part()

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
        i = bisect_right(self._qstarts, start) - 1
        if i < 0:
            return False
        qs, qe = self._quoted[i]
        return qs + 1 <= start and end <= qe - 1

    # -- runs of Han characters ---------------------------------------------------------------
    def han_run_start(self, end: int, floor: int = 0) -> int:
        """Where the run of Han characters (:func:`is_han`) that ends at ``end`` starts, not before ``floor``.

        One regex match in the reversed text instead of a step per character.
        """
        n = len(self.text)
        m = _HAN_RUN.match(self._reversed, n - end, n - floor)
        return end - (m.end() - m.start())

    # -- sentences and clauses ----------------------------------------------------------------
    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence span containing ``pos`` (falls back to the text between sentence marks)."""
        i = bisect_right(self._sstarts, pos) - 1
        if i >= 0 and self._sent[i][0] <= pos < self._sent[i][1]:
            return self._sent[i]
        return self._between(_SENTENCE_MARK, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause (between ，。； …, not 、) containing ``pos``."""
        return self._between(_CLAUSE_MARK, pos)

    def _between(self, mark: re.Pattern[str], pos: int) -> tuple[int, int]:
        """From after the last ``mark`` before ``pos`` to the first one at or after it (or the text's ends).

        Both marks are looked for within :data:`_NEAR` characters (forwards in the text, backwards in its
        reversed copy); only when one is further away are all marks listed, once, and bisected.
        """
        n = len(self.text)
        after = mark.search(self.text, pos, pos + _NEAR)
        if after is None and pos + _NEAR < n:
            return self._between_listed(mark, pos)
        back = n - pos  # offset in the reversed text of the character just before pos
        before = mark.search(self._reversed, back, back + _NEAR)
        if before is None and back + _NEAR < n:
            return self._between_listed(mark, pos)
        return (n - before.start() if before else 0), (after.start() if after else n)

    def _between_listed(self, mark: re.Pattern[str], pos: int) -> tuple[int, int]:
        marks = self._marks.get(mark)
        if marks is None:
            marks = self._marks[mark] = [m.start() for m in mark.finditer(self.text)]
        i = bisect_left(marks, pos)
        start = marks[i - 1] + 1 if i > 0 else 0
        end = marks[i] if i < len(marks) else len(self.text)
        return start, end

    def part(self, pos: int) -> tuple[str, int | None]:
        """("summary"|"plan"|"front", year) of the innermost section holding ``pos``: the one starting last."""
        if self._parts is None:
            self._parts = innermost(self._blocks)
        starts, blocks = self._parts
        k = bisect_right(starts, pos) - 1
        best = blocks[k] if k >= 0 else None
        if best is None:
            return "summary", self.summary_year()
        return best.part, best.year

    def summary_year(self) -> int | None:
        """The year of the first summary section with one, else the first year in the title or opening."""
        if not self._summary_year:
            self._summary_year.append(self._find_summary_year())
        return self._summary_year[0]

    def _find_summary_year(self) -> int | None:
        years = [s.year for s in self.doc.sections if s.part == "summary" and s.year]
        if years:
            return years[0]
        m = re.search(r"(20\d\d)年", self.doc.metadata.title or self.text[:400])
        return int(m.group(1)) if m else None

    # -- hits -----------------------------------------------------------------------------------
    # Hits live in two sorted runs (:class:`_Run`): the settled ones and a buffer of those added since the
    # last flush. Each run keeps a parallel list of starts for bisection and the running maximum of ends,
    # so every query below is a bisection plus a scan of the hits that can actually overlap: extraction
    # stays linear in the length of the text, whatever the longest name.

    @property
    def hits(self) -> list[Hit]:
        """All hits by start (read-only view; use add/discard/remove to change them)."""
        self.flush()
        return self._main.hits

    def add(self, hit: Hit) -> Hit:
        """Record a hit (ignored when empty). New hits wait in a small sorted buffer until :meth:`flush`."""
        if hit.end <= hit.start:
            return hit
        self._new.insert(hit)
        named = self._named.get(hit.key)
        if named is None:
            self._named[hit.key] = {hit.resolution}
        else:
            named.add(hit.resolution)
        return hit

    def flush(self) -> None:
        """Merge the buffer of new hits into the settled run (one sort of two sorted runs: linear)."""
        if self._new.hits:
            self._main = _Run(self._main.merged(self._new))
            self._new = _Run()

    def discard(self, start: int, end: int) -> None:
        """Drop the hits spanning exactly ``[start, end)``."""
        self._main.discard(start, end)
        self._new.discard(start, end)

    def remove(self, keep_if) -> None:
        """Drop every hit for which ``keep_if(hit)`` is false."""
        self.flush()
        self._main = _Run([h for h in self._main.hits if keep_if(h)])

    def sorted_hits(self) -> list[Hit]:
        """All hits by start."""
        return self.hits

    # The queries below read the settled run directly (a bisection or two and a slice) and only touch the
    # buffer of new hits when it holds any: during the fact extractors it is empty, and each query is then
    # one Python call.

    def _slices(self, lo: int, hi: int, right: bool = False) -> list[Hit]:
        """Hits starting in ``[lo, hi)`` (``[lo, hi]`` when ``right``), by start."""
        main = self._main
        starts = main.starts
        out = main.hits[bisect_left(starts, lo) : (bisect_right if right else bisect_left)(starts, hi)]
        if self._new.hits:
            more = self._new.starting(lo, hi, right)
            if more:
                out = _by_start(out + more) if out else more
        return out

    def hits_in(self, start: int, end: int, types: set[str] | frozenset[str] | None = None) -> list[Hit]:
        """Hits lying inside ``[start, end)``, by start."""
        main = self._main
        starts = main.starts
        hits = main.hits[bisect_left(starts, start) : bisect_left(starts, end)]
        if self._new.hits:
            hits = self._slices(start, end)
        if types is None:
            return [h for h in hits if h.end <= end]
        return [h for h in hits if h.end <= end and h.type in types]

    def hits_at(self, start: int) -> list[Hit]:
        """Hits starting at ``start``, longest first."""
        main = self._main
        starts = main.starts
        i = bisect_left(starts, start)
        out = main.hits[i : bisect_right(starts, start, i)]
        if self._new.hits:
            more = self._new.starting(start, start, True)
            if more:
                out = _by_start(out + more) if out else more
        return out

    def starting(self, lo: int, hi: int) -> list[Hit]:
        """Hits starting in ``[lo, hi)``, by start (wherever they end)."""
        return self._slices(lo, hi)

    def hits_around(self, start: int, end: int) -> list[Hit]:
        """Hits overlapping ``[start, end)``, by start."""
        main = self._main
        j = bisect_left(main.starts, end)
        out = [h for h in main.hits[bisect_right(main.reach, start, 0, j) : j] if h.end > start]
        if self._new.hits:
            more = self._new.around(start, end)
            if more:
                out = _by_start(out + more) if out else more
        return out

    def last_named_in(self, lo: int, pos: int, types: set[str] | frozenset[str]) -> Hit | None:
        """Of the hits of ``types`` lying in ``[lo, pos)`` and written by name (not 新区/全市 words), the one
        ending last; the longest of those; the first of equals. A scan back from ``pos`` that stops once no
        earlier hit can end as late as the best so far (``reach``), so a long clause costs a few reads."""
        if self._new.hits:  # hits added since the last flush: the plain query
            best = None
            for h in self.hits_in(lo, pos, types):
                if h.resolution != "contextual-deixis" and (
                    best is None or h.end > best.end or h.end == best.end and h.start < best.start
                ):
                    best = h
            return best
        run = self._main
        hits, starts, reach = run.hits, run.starts, run.reach
        first = bisect_left(starts, lo)
        best = None
        for i in range(bisect_left(starts, pos, first) - 1, first - 1, -1):
            if best is not None and reach[i] < best.end:
                break
            h = hits[i]
            if h.end <= pos and h.type in types and h.resolution != "contextual-deixis":
                # scanning back, an equal (end, start) replaces the best: the first of equals wins
                if best is None or h.end > best.end or h.end == best.end and h.start <= best.start:
                    best = h
        return best

    def covered(self, start: int, end: int, types: set[str] | frozenset[str] | None = None) -> bool:
        """True when a hit already covers ``[start, end)``."""
        for run in (self._main, self._new) if self._new.hits else (self._main,):
            j = bisect_right(run.starts, start)  # the hits starting at or before ``start``
            for h in run.hits[bisect_right(run.reach, start, 0, j) : j]:
                if end <= h.end and start < h.end and (types is None or h.type in types):
                    return True
        return False

    def named(self, key: str) -> bool:
        """True when the entity ``key`` is written by name (not only through 新区/全市 words)."""
        return bool(self._named.get(key, set()) - {"contextual-deixis"})


class _Run:
    """Hits sorted by start (longest first at one start), with their starts and the running maximum of
    their ends (``reach[i]``: the furthest any of the first ``i + 1`` hits gets). ``reach`` is
    non-decreasing, so the first hit that can overlap a position is one bisection away."""

    __slots__ = ("hits", "starts", "reach")

    def __init__(self, hits: list[Hit] | None = None) -> None:
        self.hits = hits = hits or []
        self.starts = [h.start for h in hits]
        self.reach = reach = []
        furthest = -1
        for h in hits:  # a plain loop: accumulate(..., max) calls the slow builtin max per hit
            if h.end > furthest:
                furthest = h.end
            reach.append(furthest)

    def insert(self, hit: Hit) -> None:
        starts, reach, hits = self.starts, self.reach, self.hits
        if not starts or hit.start > starts[-1]:
            k = len(starts)
        else:  # after the hits starting earlier, and after those at the same start that are as long
            k = bisect_left(starts, hit.start)
            while k < len(starts) and starts[k] == hit.start and hits[k].end >= hit.end:
                k += 1
        if k == len(starts):
            hits.append(hit)
            starts.append(hit.start)
            reach.append(reach[-1] if reach and reach[-1] > hit.end else hit.end)
            return
        hits.insert(k, hit)
        starts.insert(k, hit.start)
        reach.insert(k, reach[k - 1] if k and reach[k - 1] > hit.end else hit.end)
        for i in range(k + 1, len(reach)):  # later maxima grow to cover the new end
            if reach[i] >= hit.end:
                break
            reach[i] = hit.end

    def merged(self, other: _Run) -> list[Hit]:
        """The hits of both runs by start, longest first at one start; at equal spans ours come first.

        The order of a stable sort of ``self.hits + other.hits``, in time linear in the size of this run
        plus a bisection per hit of ``other`` (the smaller run: the buffer of new hits).
        """
        hits, starts = self.hits, self.starts
        n = len(hits)
        out: list[Hit] = []
        i = 0
        for h in other.hits:
            j = bisect_left(starts, h.start, i)
            while j < n and starts[j] == h.start and hits[j].end >= h.end:
                j += 1
            out += hits[i:j]
            out.append(h)
            i = j
        out += hits[i:]
        return out

    def discard(self, start: int, end: int) -> None:
        # reach stays an upper bound of the ends before each index, which is all the queries need
        starts = self.starts
        i, j = bisect_left(starts, start), bisect_right(starts, start)
        for k in reversed([k for k in range(i, j) if self.hits[k].end == end]):
            del self.hits[k], starts[k], self.reach[k]

    def starting(self, lo: int, hi: int, right: bool = False) -> list[Hit]:
        """Hits starting in ``[lo, hi)`` (``[lo, hi]`` when ``right``)."""
        cut = bisect_right if right else bisect_left
        return self.hits[bisect_left(self.starts, lo) : cut(self.starts, hi)]

    def around(self, start: int, end: int) -> list[Hit]:
        """Hits overlapping ``[start, end)``."""
        j = bisect_left(self.starts, end)
        i = bisect_right(self.reach, start, 0, j)
        return [h for h in self.hits[i:j] if h.end > start]
