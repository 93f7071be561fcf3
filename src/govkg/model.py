"""Plain data objects that flow through the pipeline: document → mentions → entities → facts."""

from __future__ import annotations

import datetime as _dt
import heapq
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

__all__ = [
    "ENTITY_TYPES",
    "RELATION_PREDICATES",
    "Metadata",
    "Section",
    "Document",
    "Mention",
    "Entity",
    "Relation",
    "Conferral",
    "Observation",
    "Ranking",
    "PlanItem",
    "Extraction",
]

#: Entity types, named as the ontology classes they become (see ontology/govkg.ttl).
ENTITY_TYPES = (
    "Country",  # 中国
    "Province",  # 广东省
    "City",  # 深圳市
    "District",  # 区, 县, and functional areas such as 大鹏新区
    "Subdistrict",  # 街道 / 镇 (the area)
    "Community",  # 社区 / 村
    "Place",  # named places and facilities: parks, old towns, stations' premises
    "PublicOrganisation",  # party and government bodies, offices, courts, centres
    "LeadingGroup",  # 领导小组, 工作专班, 指挥部
    "Company",  # 有限公司 and other registered enterprises
    "Person",
    "Initiative",  # programmes, campaigns, mechanisms, named slogans, projects
    "Honour",  # an honorary title or distinction
    "NormativeDocument",  # laws, regulations, normative documents, forms (《…》)
)

#: Relation predicates between entities (local names of ontology properties).
RELATION_PREDICATES = (
    "withinArea",  # area/place → area
    "jurisdiction",  # organisation → area it serves
    "subOrganizationOf",  # organisation → parent organisation
    "memberOf",  # person or organisation → organisation / leading group
    "headedBy",  # leading group → post holder (organisation or person) that leads it
    "leadBy",  # initiative → organisation that leads (牵头) it
    "pilotArea",  # initiative → community/area/place chosen as pilot (试点)
    "site",  # initiative → area where one of its sites is (驿站, 示范点)
    "participant",  # initiative → agent taking part
    "approvedBy",  # organisation/initiative → approving body (经…批复)
    "references",  # initiative/document/plan item → normative document
    "location",  # initiative/event → place where it happened
    "partOfInitiative",  # initiative → broader initiative
)


@dataclass(frozen=True)
class Metadata:
    """The disclosure header of a report; absent fields are None."""

    index_number: str | None = None  # 索引号
    category: str | None = None  # 分类
    publisher: str | None = None  # 发布机构
    created: _dt.date | None = None  # 成文日期
    title: str | None = None  # 名称 (or the first title line)
    doc_number: str | None = None  # 文号
    issued: _dt.date | None = None  # 发布日期
    keywords: tuple[str, ...] = ()  # 主题词
    uscc: str | None = None  # unified social credit code from 索引号, when valid
    #: (field name, start, end) spans of each value present in the text
    spans: tuple[tuple[str, int, int], ...] = ()
    url: str | None = None  # the page's address, as the caller gives it (never read from the text)
    #: (field, value) of metadata the caller supplied (a corpus manifest); fields the text does not state are
    #: filled from them, and the home area is looked for in them too
    supplied: tuple[tuple[str, str], ...] = ()


class Section(NamedTuple):
    """A structural span of the body: section, subsection, item, bullet, paragraph or sentence.

    An immutable record (a named tuple: segmenting creates tens of thousands per megabyte of text).
    """

    kind: str  # "header" | "title" | "section" | "subsection" | "item" | "bullet" | "paragraph" | "sentence"
    start: int
    end: int
    ordinal: int | None = None  # 一、→1, (二)→2, 三是→3, 4.→4
    heading: str = ""  # heading text of sections/subsections, "" otherwise
    part: str = "summary"  # "front" | "summary" | "plan"
    year: int | None = None  # year the part is about (2020 summary, 2021 plan)


@dataclass
class Document:
    """A report as read: the verbatim text that every offset refers to, plus metadata and structure."""

    id: str  # stable key: 索引号 when present, else sha256 prefix
    text: str
    source: str  # path, or "<stdin>"
    sha256: str  # of text encoded as UTF-8
    metadata: Metadata = field(default_factory=Metadata)
    sections: tuple[Section, ...] = ()
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    media_type: str = "text/plain"  # or "text/html" when the visible text of a page was taken

    def spans(self, kind: str) -> list[Section]:
        """Sections of one kind, in text order."""
        return [s for s in self.sections if s.kind == kind]

    def part_at(self, offset: int) -> Section | None:
        """The innermost section (not sentence) containing ``offset``.

        One call sweeps the sections (n log n); to ask about many offsets, use :func:`innermost_sections`.
        """
        return innermost_sections(self.sections)(offset)


class _MentionFields(NamedTuple):
    doc_id: str
    start: int
    end: int
    text: str
    label: str = ""  # entity type or fact kind this mention is evidence for
    resolution: str = "exact-name"  # exact-name | alias | contextual-deixis | inferred


class Mention(_MentionFields):
    """A half-open span ``[start, end)`` of ``Document.text`` with the exact characters it covers.

    Immutable, hashable and ordered by its fields in order (doc_id, start, end, text, label, resolution).
    A named tuple rather than a frozen dataclass: extraction creates and hashes hundreds of thousands.
    """

    __slots__ = ()

    def __new__(
        cls, doc_id: str, start: int, end: int, text: str, label: str = "", resolution: str = "exact-name"
    ) -> Mention:
        if not (0 <= start < end):
            raise ValueError(f"bad span [{start}, {end}) for {text!r}")
        if len(text) != end - start:
            raise ValueError(f"span [{start}, {end}) does not fit quote {text!r}")
        return tuple.__new__(cls, (doc_id, start, end, text, label, resolution))


@dataclass
class Entity:
    """A thing the report talks about, with every mention of it."""

    key: str  # unique within an extraction, stable across documents: f"{type}:{parent-path}/{name}"
    type: str  # one of ENTITY_TYPES
    name: str  # canonical Chinese name
    aliases: set[str] = field(default_factory=set)
    parent: str | None = None  # key of the enclosing area or organisation, used for IRIs
    mentions: list[Mention] = field(default_factory=list)
    attrs: dict[str, object] = field(default_factory=dict)  # code, uscc, level, kind, name_en, iri, …


@dataclass
class Relation:
    subject: str  # entity key
    predicate: str  # one of RELATION_PREDICATES
    object: str  # entity key
    mentions: list[Mention] = field(default_factory=list)
    open_list: bool | None = None  # "…等" lists are open; a stated count that matches makes them closed
    role: str | None = None  # e.g. "组长", "工作人员"


@dataclass
class Conferral:
    recipient: str  # entity key (organisation, person, area or initiative)
    honour: str  # entity key of the Honour
    level: str | None  # national | provincial | municipal | district | None
    year: int | None
    mentions: list[Mention] = field(default_factory=list)
    note: str | None = None  # e.g. 全省唯一获此殊荣


@dataclass
class Observation:
    value: Decimal
    unit: str  # as written: 人次, 间次, 份, 家, %, …
    as_stated: str  # the figure as written, e.g. "1.2万份", "80余份"
    qualifier: str = "exact"  # exact | approx | more-than | at-least | less-than | rounded
    cumulative: bool = False
    counts: str = ""  # what is counted, as the sentence says (走访房屋)
    about: str | None = None  # entity key the figure is about, where the sentence says
    period: int | None = None  # year
    part: str = "summary"  # "summary" (achieved) or "plan" (target)
    change: str | None = None  # "increase" | "decrease": the figure states a change (同比增长, 较上年减少)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Ranking:
    kind: str  # "rank" (第N), "top" (前N), "first" (首个/率先/首创), "only" (唯一)
    scope_word: str  # 全市 | 全省 | 全国 | 全区 …
    scope: str | None  # entity key of the resolved scope area
    rank: int | None = None
    indicator: str = ""  # what is ranked or claimed, as written
    about: str | None = None  # entity key of who ranks / who is first
    count: int | None = None  # "8项指标有7项排在全市前三": count=7
    of: int | None = None  # … of=8
    period: int | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class PlanItem:
    ordinal: int
    start: int
    end: int
    summary: str  # the item's lead clause, verbatim
    year: int | None
    references: list[str] = field(default_factory=list)  # entity keys of documents
    initiatives: list[str] = field(default_factory=list)  # entity keys of initiatives
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document: Document
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    conferrals: list[Conferral] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    rankings: list[Ranking] = field(default_factory=list)
    plan_items: list[PlanItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    home: str | None = None  # key of the area the report is about (its publisher's), when one was found

    def mentions(self) -> list[Mention]:
        """Every mention of every entity and fact, sorted and de-duplicated."""
        return sorted(set(self.iter_mentions()), key=_MENTION_ORDER)

    def iter_mentions(self) -> Iterator[Mention]:
        """Every mention of every entity and fact, entities first, duplicates included."""
        for e in self.entities.values():
            yield from e.mentions
        for group in (self.relations, self.conferrals, self.observations, self.rankings, self.plan_items):
            for f in group:
                yield from f.mentions


#: Sort key of :meth:`Extraction.mentions`: by span, then label, text, resolution and document.
_MENTION_ORDER = attrgetter("start", "end", "label", "text", "resolution", "doc_id")


def innermost(blocks: Sequence[Section]) -> tuple[list[int], list[Section | None]]:
    """For sections sorted by (start, -end): the points where the innermost holder changes, and that holder
    (the latest-starting section holding the point, or None). A sweep with a heap: O(n log n) once, so that
    each look-up afterwards is one bisection."""
    starting: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        starting.setdefault(b.start, []).append(i)
    points = sorted({b.start for b in blocks} | {b.end for b in blocks})
    heap: list[int] = []  # -index of open sections; ended ones are dropped when they surface
    starts: list[int] = []
    holders: list[Section | None] = []
    for p in points:
        for i in starting.get(p, ()):
            heapq.heappush(heap, -i)
        while heap and blocks[-heap[0]].end <= p:
            heapq.heappop(heap)
        starts.append(p)
        holders.append(blocks[-heap[0]] if heap else None)
    return starts, holders


def innermost_sections(
    sections: Iterable[Section], skip: tuple[str, ...] = ("sentence",)
) -> Callable[[int], Section | None]:
    """A look-up ``offset → innermost section holding it`` (sections of the ``skip`` kinds left out).

    Examples
    --------
    >>> at = innermost_sections([Section("section", 0, 10, year=2020), Section("item", 2, 5, year=2021)])
    >>> at(3).kind, at(7).kind, at(12)
    ('item', 'section', None)
    """
    blocks = sorted((s for s in sections if s.kind not in skip), key=lambda s: (s.start, -s.end))
    starts, holders = innermost(blocks)

    def at(offset: int) -> Section | None:
        k = bisect_right(starts, offset) - 1
        return holders[k] if k >= 0 else None

    return at
