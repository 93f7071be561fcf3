"""Extraction → RDF: one named graph per document, reference facts apart, no blank nodes.

The writer makes pyoxigraph terms directly and returns each report's statements in one canonical order
(:func:`report_rdf`), so that a corpus build can write, cache and load every report on its own, in any
process, and get byte-identical output. :func:`extraction_to_dataset` gives the same statements as an
rdflib Dataset for use in Python.

Everything a report states lives in its own graph and under IRIs that depend on that report alone:
documents are keyed by 索引号 *and* content, and every fact node (conferral, observation, ranking, plan item,
relation statement) sits under the document's key, with the level of an honour on the conferral that states it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

import pyoxigraph as ox
from rdflib import Dataset, URIRef, namespace as _ns
from rdflib.namespace import ClosedNamespace, DefinedNamespace, Namespace

from . import iri as _iri, vocab as _vocab
from .errors import ExtractionError
from .model import Document, Entity, Extraction, Mention, innermost_sections
from .vocab import (
    CHANGE,
    ENTITY_CLASS,
    LEVEL,
    PART,
    PREDICATE,
    PREFIXES,
    QUALIFIER,
    RANK_KIND,
    REFERENCE_GRAPH,
    RESOLUTION,
    SCHEME,
)


class _Terms:
    """A namespace whose terms are plain str, each made once (rdflib makes and checks a URIRef per access)."""

    def __init__(self, ns: Namespace | ClosedNamespace | type[DefinedNamespace]) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        value = str(self._ns[name])  # not getattr: GK.count would be str.count
        setattr(self, name, value)
        return value

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


GK, NIF, ITSRDF, SCHEMA, TIME = (_Terms(n) for n in (_vocab.GK, _vocab.NIF, _vocab.ITSRDF, _vocab.SCHEMA, _vocab.TIME))
DCTERMS, RDF, RDFS, SKOS, XSD = (_Terms(n) for n in (_ns.DCTERMS, _ns.RDF, _ns.RDFS, _ns.SKOS, _ns.XSD))

__all__ = ["ReportRDF", "report_rdf", "extraction_to_dataset", "add_extraction", "new_dataset"]

_AREA_TYPES = {"Country", "Province", "City", "District", "Subdistrict", "Community"}
_ORG_TYPES = {"PublicOrganisation", "LeadingGroup", "Company"}

#: An object is an IRI (a str) or a literal.
Obj = str | ox.Literal

_NODES: dict[str, ox.NamedNode] = {}
_NODE_CACHE_MAX = 200_000


def _node(iri: str) -> ox.NamedNode:
    """The pyoxigraph NamedNode of ``iri`` (vocabulary and frequent IRIs are cached; the cache is bounded)."""
    node = _NODES.get(iri)
    if node is None:
        node = ox.NamedNode(iri)
        if len(_NODES) < _NODE_CACHE_MAX:
            _NODES[iri] = node
    return node


_DT: dict[str, ox.NamedNode] = {}


def _typed(text: str, datatype: str) -> ox.Literal:
    dt = _DT.get(datatype)
    if dt is None:
        dt = _DT[datatype] = ox.NamedNode(datatype)
    return ox.Literal(text, datatype=dt)


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def _plain(text: str) -> ox.Literal:
    return ox.Literal(text)


def _nni(n: int) -> ox.Literal:
    return _typed(str(int(n)), str(XSD.nonNegativeInteger))


def _bool(v: object) -> ox.Literal:
    return _typed("true" if v else "false", str(XSD.boolean))


def _decimal(value: Decimal | int | float | str) -> ox.Literal:
    """xsd:decimal in canonical lexical form (``80`` → ``80.0``), so files round-trip term-equal."""
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d != 0 else "0"
    if "." not in text:
        text += ".0"
    return _typed(text, str(XSD.decimal))


def _year_lit(year: int) -> ox.Literal:
    return _typed(f"{year:04d}", str(XSD.gYear))


def _closed(table: dict[str, URIRef], value: str, what: str, where: str) -> str:
    try:
        return str(table[value])
    except KeyError:
        raise ExtractionError(f"{where}: unknown {what} {value!r}; expected one of {sorted(table)}") from None


_BY_SUBJECT_PREDICATE = itemgetter(0, 1)


@dataclass(frozen=True)
class ReportRDF:
    """The statements of one report: its named graph and what it adds to the reference graph.

    Both lists are in one fixed order (by subject and predicate, then in the order the writer stated them,
    which depends on the extraction only), so the same report gives the same lists, and the same bytes when
    serialised, in whatever process and company it is built. ``triples`` are the document graph's
    statements as (subject, predicate, object) with IRIs as str, in the same order.
    """

    doc_iri: str
    graph_iri: str
    quads: list[ox.Quad]
    reference: list[ox.Quad]
    triples: list[tuple[str, str, str | ox.Literal]]


class _DocWriter:
    """Writes one extraction: its document graph and its reference-data statements."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.doc: Document = ex.document
        self.doc_iri = str(_iri.document_iri(self.doc))
        self.text_iri = str(_iri.text_iri(self.doc_iri))
        self.iris = {k: str(v) for k, v in _iri.mint_entity_iris(ex.entities, scope=_iri.scope_of(ex)).items()}
        self.where = f"{self.doc.source} ({self.doc.id})"
        # statements as dict keys: de-duplicated, in the order stated (a set's order would vary by process)
        self.g: dict[tuple[str, str, Obj], None] = {}
        self.ref: dict[tuple[str, str, Obj], None] = {}
        self._mentions: set[tuple[int, int]] = set()
        self._parts = innermost_sections(self.doc.sections)

    # ------------------------------------------------------------------ helpers
    def add(self, s: str, p: str, o: Obj, graph: dict[tuple[str, str, Obj], None] | None = None) -> None:
        """State (s, p, o) in the document graph (or ``graph``); vocabulary terms may be rdflib URIRefs."""
        (self.g if graph is None else graph)[(str(s), str(p), o if isinstance(o, ox.Literal) else str(o))] = None

    def ent(self, key: str | None, what: str) -> str:
        if key is None or key not in self.iris:
            raise ExtractionError(f"{self.where}: {what} refers to unknown entity key {key!r}")
        return self.iris[key]

    def period(self, year: int) -> str:
        p = str(_iri.period_iri(year))
        desc = f"{p}#description"
        add = self.add
        add(p, RDF.type, TIME.DateTimeInterval)
        add(p, RDFS.label, _plain(str(year)))
        add(p, GK.year, _year_lit(year))
        add(p, TIME.hasDateTimeDescription, desc)
        add(desc, RDF.type, TIME.DateTimeDescription)
        add(desc, TIME.unitType, TIME.unitYear)
        add(desc, TIME.year, _year_lit(year))
        return p

    def concept(self, scheme: str, value: str) -> str:
        """A concept of an open scheme, declared in the graph with the wording as its label."""
        c = str(_iri.concept_iri(scheme, value))
        self.add(c, RDF.type, SKOS.Concept)
        self.add(c, SKOS.inScheme, SCHEME[scheme])
        self.add(c, SKOS.prefLabel, ox.Literal(value, language="en" if value.isascii() else "zh"))
        return c

    def indicator(self, text: str) -> str:
        c = self.concept("indicator", text)
        self.add(c, RDF.type, GK.Indicator)
        return c

    def mention(self, m: Mention) -> str:
        node = str(_iri.mention_iri(self.doc_iri, m.start, m.end))
        span = (m.start, m.end)
        text = self.doc.text
        if m.doc_id != self.doc.id:
            raise ExtractionError(f"{self.where}: mention {m.text!r} belongs to document {m.doc_id!r}")
        if m.end > len(text) or text[m.start : m.end] != m.text:
            raise ExtractionError(
                f"{self.where}:{m.start}: mention quote {m.text!r} does not match the text "
                f"{text[m.start:m.end]!r} at [{m.start}, {m.end})"
            )
        add = self.add
        add(node, GK.resolution, _closed(RESOLUTION, m.resolution, "resolution", f"{self.where}:{m.start}"))
        if span in self._mentions:
            return node
        self._mentions.add(span)
        add(node, RDF.type, GK.Mention)  # nif:String and nif:RFC5147String follow (gk:Mention's superclasses)
        add(node, NIF.referenceContext, self.text_iri)
        add(node, NIF.beginIndex, _nni(m.start))
        add(node, NIF.endIndex, _nni(m.end))
        add(node, NIF.anchorOf, _plain(m.text))
        return node

    def evidence(self, node: str, mentions: Iterable[Mention], *, stated: bool = True) -> None:
        for m in sorted(set(mentions)):
            self.add(node, GK.evidence, self.mention(m))
        if stated:
            self.add(node, GK.statedIn, self.doc_iri)

    def year_at(self, offset: int) -> int | None:
        sec = self._parts(offset)
        return sec.year if sec is not None else None

    def fact_node(self, mint: Callable[[str, int, int], URIRef], first: Mention, used: set[str]) -> str:
        """The fact's IRI from its first evidence span (``mint``: an :mod:`govkg.iri` function); ``-2``… for a
        second fact at the same span."""
        base = str(mint(self.doc_iri, first.start, first.end))
        out, n = base, 1
        while out in used:
            n += 1
            out = f"{base}-{n}"
        used.add(out)
        return out

    # ------------------------------------------------------------------ parts
    def document(self) -> None:
        add, d, md = self.add, self.doc_iri, self.doc.metadata
        add(d, RDF.type, GK.Document)
        if md.title:
            add(d, DCTERMS.title, _zh(md.title))
        if md.index_number:
            add(d, GK.indexNumber, _plain(md.index_number))
        if md.doc_number:
            add(d, GK.docNumber, _plain(md.doc_number))
        if md.category:
            add(d, GK.category, _zh(md.category))
        if md.created:
            add(d, DCTERMS.created, _typed(md.created.isoformat(), str(XSD.date)))
        if md.issued:
            add(d, DCTERMS.issued, _typed(md.issued.isoformat(), str(XSD.date)))
        for kw in md.keywords:
            add(d, DCTERMS.subject, _zh(kw))
        if md.url:
            add(d, SCHEMA.url, md.url)
        for field, value in md.supplied:
            add(d, GK.suppliedMetadata, _plain(f"{field}={value}"))
        add(d, GK.sha256, _plain(self.doc.sha256))
        add(d, DCTERMS.format, _plain(self.doc.media_type))
        if md.publisher:
            for key, e in sorted(self.ex.entities.items()):
                if e.type in _ORG_TYPES and (e.name == md.publisher or md.publisher in e.aliases):
                    add(d, DCTERMS.publisher, self.iris[key])
                    break
        for year in sorted({s.year for s in self.doc.sections if s.year is not None}):
            add(d, DCTERMS.temporal, self.period(year))
        t = self.text_iri
        add(t, RDF.type, NIF.Context)
        add(t, RDF.type, NIF.RFC5147String)
        add(t, DCTERMS.isFormatOf, d)
        add(t, NIF.isString, _plain(self.doc.text))
        add(t, NIF.beginIndex, _nni(0))
        add(t, NIF.endIndex, _nni(len(self.doc.text)))

    def entity(self, key: str, e: Entity) -> None:
        if e.type not in ENTITY_CLASS:
            raise ExtractionError(f"{self.where}: entity {key!r} has unknown type {e.type!r}")
        node = self.iris[key]
        source = e.attrs.get("source")
        in_doc = bool(e.mentions) or not source
        targets = ([self.g] if in_doc else []) + ([self.ref] if source else [])
        cls, label = str(ENTITY_CLASS[e.type]), _zh(e.name)
        for g in targets:
            self.add(node, RDF.type, cls, g)
            self.add(node, SKOS.prefLabel, label, g)
        # reference attributes go to the reference graph when they come from reference data
        facts = self.ref if source else self.g
        if source:
            self.add(node, DCTERMS.source, _plain(str(source)), facts)
        attrs = e.attrs
        if attrs.get("name_en"):
            self.add(node, SKOS.prefLabel, ox.Literal(str(attrs["name_en"]), language="en"), facts)
        if attrs.get("uscc"):
            self.add(node, GK.uscc, _plain(str(attrs["uscc"]).strip().upper()), facts)
        if attrs.get("code") and e.type in _AREA_TYPES:
            self.add(node, GK.divisionCode, _plain(str(attrs["code"]).strip()), facts)
        level = attrs.get("level")
        if level and e.type != "Honour":  # an honour's level is stated by each conferral (see conferrals)
            self.add(node, GK.adminLevel, _closed(LEVEL, str(level), "level", f"{self.where}: entity {key!r}"), facts)
        kind = attrs.get("kind")
        if kind:
            if e.type == "Initiative":
                self.add(node, GK.initiativeType, self.concept("initiative-type", str(kind)))
            elif e.type in _ORG_TYPES:
                self.add(node, PREFIXES["org"].classification, self.concept("org-type", str(kind)))
            elif e.type == "NormativeDocument":
                self.add(node, DCTERMS.type, self.concept("doc-type", str(kind)))
        if source and e.parent and e.parent in self.ex.entities:
            parent = self.ex.entities[e.parent]
            if e.type in _AREA_TYPES | {"Place"} and parent.type in _AREA_TYPES:
                self.add(node, GK.withinArea, self.iris[e.parent], self.ref)
        for alias in sorted(e.aliases):
            if alias != e.name:
                self.add(node, SKOS.altLabel, _zh(alias))
        for m in sorted(set(e.mentions)):
            mn = self.mention(m)
            self.add(node, GK.evidence, mn)
            self.add(mn, ITSRDF.taIdentRef, node)

    def relations(self) -> None:
        add = self.add
        for r in self.ex.relations:
            if r.predicate not in PREDICATE:
                raise ExtractionError(f"{self.where}: unknown relation predicate {r.predicate!r}")
            s, p = self.ent(r.subject, f"relation {r.predicate}"), str(PREDICATE[r.predicate])
            o = self.ent(r.object, f"relation {r.predicate}")
            add(s, p, o)
            st = str(_iri.statement_iri(self.doc_iri, s, p, o))
            add(st, RDF.type, GK.Statement)
            add(st, RDF.subject, s)
            add(st, RDF.predicate, p)
            add(st, RDF.object, o)
            if r.open_list is not None:
                add(st, GK.openList, _bool(r.open_list))
            if r.role:
                add(st, GK.role, _zh(r.role))
            self.evidence(st, r.mentions)

    def conferrals(self) -> None:
        add = self.add
        for c in self.ex.conferrals:
            r, h = self.ent(c.recipient, "conferral recipient"), self.ent(c.honour, "conferral honour")
            node = str(_iri.conferral_iri(self.doc_iri, r, h, c.year))
            add(node, RDF.type, GK.AwardConferral)
            add(node, GK.recipient, r)
            add(node, GK.honour, h)
            if c.year is not None:
                add(node, GK.refPeriod, self.period(c.year))
            level = c.level or self.ex.entities[c.honour].attrs.get("level")
            if level:
                add(node, GK.honourLevel, _closed(LEVEL, str(level), "level", f"{self.where}: conferral"))
            if c.note:
                add(node, SKOS.note, _zh(c.note))
            self.evidence(node, c.mentions)

    def _first(self, mentions: list[Mention], what: str) -> Mention:
        if not mentions:
            raise ExtractionError(f"{self.where}: {what} has no mention (every fact needs evidence)")
        return min(mentions)

    def observations(self) -> None:
        used: set[str] = set()
        add = self.add
        for o in self.ex.observations:
            first = self._first(o.mentions, f"observation {o.as_stated!r}")
            node = self.fact_node(_iri.observation_iri, first, used)
            where = f"{self.where}:{first.start}"
            add(node, RDF.type, GK.Observation)
            add(node, SCHEMA.value, _decimal(o.value))
            add(node, GK.valueQualifier, _closed(QUALIFIER, o.qualifier, "qualifier", where))
            if o.qualifier in ("more-than", "at-least"):
                add(node, SCHEMA.minValue, _decimal(o.value))
            elif o.qualifier == "less-than":
                add(node, SCHEMA.maxValue, _decimal(o.value))
            if o.unit:
                add(node, SCHEMA.unitText, _zh(o.unit))
            add(node, GK.valueAsStated, _zh(o.as_stated))
            add(node, GK.cumulative, _bool(o.cumulative))
            if o.change:
                add(node, GK.change, _closed(CHANGE, o.change, "change", where))
            if o.counts:
                add(node, GK.indicator, self.indicator(o.counts))
            if o.about is not None:
                add(node, SCHEMA.observationAbout, self.ent(o.about, "observation about"))
            year = o.period if o.period is not None else self.year_at(first.start)
            if year is not None:
                add(node, GK.refPeriod, self.period(year))
            add(node, GK.part, _closed(PART, o.part, "part", where))
            self.evidence(node, o.mentions)

    def rankings(self) -> None:
        used: set[str] = set()
        add = self.add
        for r in self.ex.rankings:
            first = self._first(r.mentions, f"ranking {r.scope_word}{r.indicator}")
            node = self.fact_node(_iri.ranking_iri, first, used)
            where = f"{self.where}:{first.start}"
            add(node, RDF.type, GK.Ranking)
            add(node, GK.rankKind, _closed(RANK_KIND, r.kind, "ranking kind", where))
            if r.rank is not None:
                add(node, GK.rank, _typed(str(int(r.rank)), str(XSD.positiveInteger)))
            if r.scope_word:
                add(node, GK.scopeAsStated, _zh(r.scope_word))
            if r.scope is not None:
                add(node, GK.rankScope, self.ent(r.scope, "ranking scope"))
            if r.indicator:
                add(node, GK.indicator, self.indicator(r.indicator))
            if r.about is not None:
                add(node, SCHEMA.observationAbout, self.ent(r.about, "ranking about"))
            if r.count is not None:
                add(node, GK["count"], _nni(r.count))
            if r.of is not None:
                add(node, GK.outOf, _nni(r.of))
            year = r.period if r.period is not None else self.year_at(first.start)
            if year is not None:
                add(node, GK.refPeriod, self.period(year))
            self.evidence(node, r.mentions)

    def plan_items(self) -> None:
        add = self.add
        for p in self.ex.plan_items:
            node = str(_iri.plan_iri(self.doc_iri, p.ordinal))
            add(node, RDF.type, GK.PlanItem)
            add(node, SCHEMA.position, _typed(str(int(p.ordinal)), str(XSD.integer)))
            add(node, SKOS.prefLabel, _zh(p.summary))
            add(node, SCHEMA.actionStatus, SCHEMA.PotentialActionStatus)
            add(node, GK.part, PART["plan"])
            if p.year is not None:
                add(node, DCTERMS.temporal, self.period(p.year))
            for key in p.references:
                add(node, DCTERMS.references, self.ent(key, "plan item reference"))
            for key in p.initiatives:
                add(node, GK.initiative, self.ent(key, "plan item initiative"))
            mentions = list(p.mentions)
            if 0 <= p.start < p.end <= len(self.doc.text):
                mentions.append(Mention(self.doc.id, p.start, p.end, self.doc.text[p.start : p.end], "PlanItem"))
            self.evidence(node, mentions)

    def write(self) -> ReportRDF:
        self.document()
        for key, e in sorted(self.ex.entities.items()):
            self.entity(key, e)
        self.relations()
        self.conferrals()
        self.observations()
        self.rankings()
        self.plan_items()
        # every mention of the extraction is emitted, even those no fact points at
        for m in self.ex.mentions():
            self.mention(m)
        graph = str(_iri.graph_iri(self.doc_iri))
        triples = sorted(self.g, key=_BY_SUBJECT_PREDICATE)
        ref = sorted(self.ref, key=_BY_SUBJECT_PREDICATE)
        return ReportRDF(self.doc_iri, graph, _quads(triples, _node(graph)), _quads(ref, _node(str(REFERENCE_GRAPH))), triples)


def _quads(triples: list[tuple[str, str, Obj]], graph: ox.NamedNode) -> list[ox.Quad]:
    node = _node
    return [ox.Quad(node(s), node(p), o if isinstance(o, ox.Literal) else node(o), graph) for s, p, o in triples]


def report_rdf(extraction: Extraction) -> ReportRDF:
    """The statements of one extraction in canonical order; raises ExtractionError on a broken contract.

    Examples
    --------
    >>> from govkg.model import Document, Entity, Extraction, Mention
    >>> doc = Document("d1", "葵涌司法所获评先进。", "<stdin>", "0" * 64)
    >>> e = Entity("PublicOrganisation:/葵涌司法所", "PublicOrganisation", "葵涌司法所",
    ...            mentions=[Mention("d1", 0, 5, "葵涌司法所")])
    >>> rdf = report_rdf(Extraction(doc, {e.key: e}))
    >>> rdf.graph_iri
    'https://w3id.org/govkg/id/doc/sha256-0000000000000000/graph'
    >>> rdf.reference
    []
    """
    return _DocWriter(extraction).write()


def new_dataset() -> Dataset:
    """An empty Dataset with govkg's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def add_extraction(ds: Dataset, extraction: Extraction) -> URIRef:
    """Add one extraction to ``ds``; returns the document IRI. Raises ExtractionError on a broken contract."""
    from .store import store_to_dataset

    rdf = report_rdf(extraction)
    store_to_dataset(itertools.chain(rdf.quads, rdf.reference), ds)
    return URIRef(rdf.doc_iri)


def extraction_to_dataset(extractions: Iterable[Extraction]) -> Dataset:
    """Build a Dataset: named graph ``{doc}/graph`` per document plus ``id/graph/reference``.

    Examples
    --------
    >>> from govkg.model import Document, Entity, Extraction, Mention
    >>> text = "葵涌司法所获评先进。"
    >>> doc = Document("d1", text, "<stdin>", "0" * 64)
    >>> e = Entity("PublicOrganisation:/葵涌司法所", "PublicOrganisation", "葵涌司法所",
    ...            mentions=[Mention("d1", 0, 5, "葵涌司法所")])
    >>> ds = extraction_to_dataset([Extraction(doc, {e.key: e})])
    >>> sorted(str(g.identifier).rsplit("/", 2)[-2] for g in ds.graphs() if len(g))
    ['sha256-0000000000000000']
    """
    ds = new_dataset()
    for ex in extractions:
        add_extraction(ds, ex)
    return ds
