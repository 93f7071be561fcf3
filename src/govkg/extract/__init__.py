"""Extraction: Document → Extraction (entities with mentions, relations, conferrals, figures, rankings, plan items).

Entity extractors are plain functions registered in order; each reads the shared :class:`Context` and adds
hits. Fact extractors then read those hits. Everything is rule-based, offline and deterministic.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from contextlib import contextmanager

from ..errors import ExtractionError
from ..model import ENTITY_TYPES, Document, Entity, Extraction, Mention
from .context import Context, Hit
from .entities import (
    areas,
    canonical_org_name,
    deixis,
    documents,
    initiatives,
    organisations,
    persons,
    places,
    roads,
    short_names,
)
from .facts import conferrals, plan_items, relations
from .figures import figures, rankings

__all__ = ["extract", "EXTRACTORS", "extractor", "home_area"]

#: Entity extractors in the order they run (later ones see earlier hits).
EXTRACTORS: dict[str, Callable[[Context], None]] = {}


def extractor(name: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register an entity extractor under ``name`` (names are unique)."""

    def deco(fn: Callable[[Context], None]) -> Callable[[Context], None]:
        if name in EXTRACTORS:
            raise ValueError(f"extractor {name!r} is registered already")
        EXTRACTORS[name] = fn
        return fn

    return deco


for _name, _fn in (
    ("documents", documents),
    ("areas", areas),
    ("organisations", organisations),
    ("persons", persons),
    ("places", places),
    ("roads", roads),
    ("deixis", deixis),
    ("initiatives", initiatives),
    ("short_names", short_names),
):
    extractor(_name)(_fn)


def home_area(doc: Document, gazetteer):
    """The area a report is about: from its publisher, else its title; a name several places share (白杨街道)
    is the one whose district or city the page names; else the first district named."""
    md = doc.metadata
    names = [n for n in (md.publisher, md.title) if n]
    names += [v for k, v in md.supplied if k in ("publisher", "title") and v not in names]
    for name in names:
        area = gazetteer.locate(name)
        if area is not None:
            return area
    named = gazetteer.find_in_text(doc.text[:3000])
    around = {a.key for _s, _e, a in named}
    for name in names:
        for cand in _leading_area_candidates(name.strip("【】[] \u3000"), gazetteer):
            if len(cand) == 1:
                return cand[0]
            placed = [a for a in cand if any(p.key in around for p in gazetteer.ancestors(a))]
            if len(placed) == 1:
                return placed[0]
    for _s, _e, area in named:
        if area.level in ("district", "subdistrict"):
            return area
    return None


_AREA_END = re.compile(r"街道|镇|乡|区|县|市|旗")


def _leading_area_candidates(name: str, gazetteer) -> list[list]:
    """For each area name a name starts with (longest first), the areas it may be (白杨街道 → several)."""
    out = []
    for m in _AREA_END.finditer(name, 0, 12):
        cands = gazetteer.lookup(name[: m.end()])
        if cands:
            out.append(cands)
    return out[::-1]


def extract(doc: Document, *, gazetteer=None, only: list[str] | None = None) -> Extraction:
    """Read one document and return everything found in it, each fact with its mentions.

    Examples
    --------
    >>> from govkg import read_report
    >>> doc = read_report("葵涌司法所被授予“全国公共法律服务工作先进集体”荣誉称号。".encode())
    >>> ex = extract(doc)
    >>> sorted(e.name for e in ex.entities.values())
    ['全国公共法律服务工作先进集体', '葵涌司法所']
    """
    from ..gazetteer import Gazetteer

    gaz = gazetteer or Gazetteer.default()
    with _gc_paused():
        return _extract(doc, gaz, only)


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector while one document is read, and restore it after.

    Extraction allocates millions of small objects that form no reference cycles (hits, mentions, tuples);
    the collector's repeated passes over them cost a fifth of the time on a 4 MB report and free nothing.
    Reference counting still frees everything as usual; the collector runs again as soon as the call ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _extract(doc: Document, gaz, only: list[str] | None) -> Extraction:
    home = home_area(doc, gaz)
    ctx = Context(doc, gaz, home)
    _publisher(ctx)
    for name, fn in EXTRACTORS.items():
        if only is None or name in only:
            fn(ctx)
            ctx.flush()
    ranks, taken = rankings(ctx)
    confs = conferrals(ctx)
    ctx.flush()  # honours found by conferrals
    rels = relations(ctx)
    ctx.flush()  # areas found inside bodies' names
    obs = figures(ctx, taken)
    plans = plan_items(ctx)
    ex = Extraction(document=doc, relations=rels, conferrals=confs, observations=obs, rankings=ranks, plan_items=plans)
    ex.home = home.key if home is not None else None
    ex.entities = _resolve(ctx)
    _parents(ex)
    _check(ex)
    if home is None:
        ex.warnings.append(f"{doc.source}: no home area found from the publisher or title; 新区/全市/全省 left unresolved")
    return ex


def _publisher(ctx: Context) -> None:
    md = ctx.doc.metadata
    for field, s, e in md.spans:
        if field == "publisher" and e > s:
            name, aliases = canonical_org_name(ctx, ctx.text[s:e])  # the same body as in the text
            ctx.add(Hit(s, e, "PublicOrganisation", name, aliases))


_ENTITY_TYPES = frozenset(ENTITY_TYPES)
#: Gazetteer levels → the ontology's level concepts (concept/level/…).
_LEVEL = {"country": "national", "province": "provincial", "city": "municipal"}


def _resolve(ctx: Context) -> dict[str, Entity]:
    """Merge hits into entities by key; keep every mention."""
    entities: dict[str, Entity] = {}
    # a mention is told apart by its entity, span, label and resolution (its document and quote are fixed)
    seen: set[tuple[str, int, int, str, str]] = set()
    text, doc_id = ctx.text, ctx.doc.id
    for h in ctx.hits:  # sorted by start, longest first, in a fixed order
        if h.type not in _ENTITY_TYPES:
            raise ExtractionError(f"hit {h.name!r} has unknown type {h.type!r}")
        ent = entities.get(h.key)
        if ent is None:
            ent = entities[h.key] = Entity(key=h.key, type=h.type, name=h.name)
            if h.area is not None:
                a = h.area
                ent.attrs.update(
                    {k: v for k, v in (("code", a.code), ("name_en", a.name_en), ("iri", a.iri), ("source", a.source), ("level", _LEVEL.get(a.level, a.level))) if v}
                )
                if a.name.endswith("街街道") and len(a.name) > 4:
                    ent.aliases.add(a.name[:-3] + "街道")  # NBS 万松街街道, written 万松街道
                parent = ctx.gaz.parent(a)
                if parent is not None:
                    from .entities import LEVEL_TYPE

                    ent.parent = f"{LEVEL_TYPE[parent.level]}:{parent.key}"
        surface = text[h.start : h.end]
        if h.resolution != "contextual-deixis":
            for alias in (*h.aliases, surface):
                if alias and alias != ent.name:
                    ent.aliases.add(alias)
        if h.attrs:
            for k, v in h.attrs.items():
                ent.attrs.setdefault(k, v)
        key = (ent.key, h.start, h.end, h.type, h.resolution)
        if key not in seen:
            seen.add(key)
            ent.mentions.append(Mention(doc_id, h.start, h.end, surface, h.type, h.resolution))
    return entities


def _parents(ex: Extraction) -> None:
    """Nest organisations under their parent body or jurisdiction, for readable IRIs."""
    for r in ex.relations:
        ent = ex.entities.get(r.subject)
        if ent is None or ent.parent:
            continue
        if r.predicate in ("subOrganizationOf", "jurisdiction", "withinArea") and r.object in ex.entities:
            ent.parent = r.object


def _check(ex: Extraction) -> None:
    text = ex.document.text
    for m in ex.iter_mentions():
        if text[m.start : m.end] != m.text:
            raise ExtractionError(f"{ex.document.source}:{m.start}: mention {m.text!r} does not match the text")
    keys = set(ex.entities)
    for r in ex.relations:
        if r.subject not in keys or r.object not in keys:
            raise ExtractionError(f"relation {r.subject} {r.predicate} {r.object} names an unknown entity")
