"""Extraction → rdflib Dataset: one named graph per document, reference facts apart, no blank nodes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from . import iri as _iri
from .errors import ExtractionError
from .model import Document, Entity, Extraction, Mention
from .vocab import (
    ENTITY_CLASS,
    GK,
    ITSRDF,
    LEVEL,
    NIF,
    PART,
    PREDICATE,
    PREFIXES,
    QUALIFIER,
    RANK_KIND,
    REFERENCE_GRAPH,
    RESOLUTION,
    SCHEMA,
    SCHEME,
    TIME,
)

__all__ = ["extraction_to_dataset", "add_extraction", "new_dataset"]

_AREA_TYPES = {"Country", "Province", "City", "District", "Subdistrict", "Community"}
_ORG_TYPES = {"PublicOrganisation", "LeadingGroup", "Company"}
_NNI = XSD.nonNegativeInteger


def new_dataset() -> Dataset:
    """An empty Dataset with govkg's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def _decimal(value: Decimal | int | float | str) -> Literal:
    """xsd:decimal in canonical lexical form (``80`` → ``80.0``), so files round-trip term-equal."""
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d != 0 else "0"
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _closed(table: dict[str, URIRef], value: str, what: str, where: str) -> URIRef:
    try:
        return table[value]
    except KeyError:
        raise ExtractionError(f"{where}: unknown {what} {value!r}; expected one of {sorted(table)}") from None


def _period(g: Graph, year: int) -> URIRef:
    p = _iri.period_iri(year)
    desc = URIRef(f"{p}#description")
    g.add((p, RDF.type, TIME.DateTimeInterval))
    g.add((p, RDFS.label, Literal(str(year))))
    g.add((p, GK.year, Literal(f"{year:04d}", datatype=XSD.gYear)))
    g.add((p, TIME.hasDateTimeDescription, desc))
    g.add((desc, RDF.type, TIME.DateTimeDescription))
    g.add((desc, TIME.unitType, TIME.unitYear))
    g.add((desc, TIME.year, Literal(f"{year:04d}", datatype=XSD.gYear)))
    return p


def _concept(g: Graph, scheme: str, value: str) -> URIRef:
    """A concept of an open scheme, declared in the graph with the wording as its label."""
    c = _iri.concept_iri(scheme, value)
    g.add((c, RDF.type, SKOS.Concept))
    g.add((c, SKOS.inScheme, SCHEME[scheme]))
    g.add((c, SKOS.prefLabel, Literal(value, lang="en" if value.isascii() else "zh")))
    return c


def _indicator(g: Graph, text: str) -> URIRef:
    c = _concept(g, "indicator", text)
    g.add((c, RDF.type, GK.Indicator))
    return c


class _DocWriter:
    """Writes one extraction into its document graph (and the shared reference graph)."""

    def __init__(self, ds: Dataset, ex: Extraction) -> None:
        self.ex = ex
        self.doc: Document = ex.document
        self.doc_iri = _iri.document_iri(self.doc)
        self.text_iri = _iri.text_iri(self.doc_iri)
        self.g = ds.graph(_iri.graph_iri(self.doc_iri))
        self.ref = ds.graph(REFERENCE_GRAPH)
        self.iris = _iri.mint_entity_iris(ex.entities)
        self.where = f"{self.doc.source} ({self.doc.id})"

    # ------------------------------------------------------------------ helpers
    def ent(self, key: str | None, what: str) -> URIRef:
        if key is None or key not in self.iris:
            raise ExtractionError(f"{self.where}: {what} refers to unknown entity key {key!r}")
        return self.iris[key]

    def mention(self, m: Mention) -> URIRef:
        text = self.doc.text
        if m.doc_id != self.doc.id:
            raise ExtractionError(f"{self.where}: mention {m.text!r} belongs to document {m.doc_id!r}")
        if m.end > len(text) or text[m.start : m.end] != m.text:
            raise ExtractionError(
                f"{self.where}:{m.start}: mention quote {m.text!r} does not match the text "
                f"{text[m.start:m.end]!r} at [{m.start}, {m.end})"
            )
        node = _iri.mention_iri(self.doc_iri, m.start, m.end)
        g = self.g
        g.add((node, RDF.type, GK.Mention))
        g.add((node, RDF.type, NIF.String))
        g.add((node, RDF.type, NIF.RFC5147String))
        g.add((node, NIF.referenceContext, self.text_iri))
        g.add((node, NIF.beginIndex, Literal(m.start, datatype=_NNI)))
        g.add((node, NIF.endIndex, Literal(m.end, datatype=_NNI)))
        g.add((node, NIF.anchorOf, Literal(m.text)))
        g.add((node, GK.resolution, _closed(RESOLUTION, m.resolution, "resolution", f"{self.where}:{m.start}")))
        return node

    def evidence(self, node: URIRef, mentions: Iterable[Mention], *, stated: bool = True) -> None:
        for m in sorted(set(mentions)):
            self.g.add((node, GK.evidence, self.mention(m)))
        if stated:
            self.g.add((node, GK.statedIn, self.doc_iri))

    def year_at(self, offset: int) -> int | None:
        sec = self.doc.part_at(offset)
        return sec.year if sec is not None else None

    # ------------------------------------------------------------------ parts
    def document(self) -> None:
        g, d, md = self.g, self.doc_iri, self.doc.metadata
        g.add((d, RDF.type, GK.Document))
        if md.title:
            g.add((d, DCTERMS.title, Literal(md.title, lang="zh")))
        if md.index_number:
            g.add((d, GK.indexNumber, Literal(md.index_number)))
        if md.doc_number:
            g.add((d, GK.docNumber, Literal(md.doc_number)))
        if md.category:
            g.add((d, GK.category, Literal(md.category, lang="zh")))
        if md.created:
            g.add((d, DCTERMS.created, Literal(md.created.isoformat(), datatype=XSD.date)))
        if md.issued:
            g.add((d, DCTERMS.issued, Literal(md.issued.isoformat(), datatype=XSD.date)))
        for kw in md.keywords:
            g.add((d, DCTERMS.subject, Literal(kw, lang="zh")))
        g.add((d, GK.sha256, Literal(self.doc.sha256)))
        g.add((d, DCTERMS.format, Literal(self.doc.media_type)))
        if md.publisher:
            for key, e in sorted(self.ex.entities.items()):
                if e.type in _ORG_TYPES and (e.name == md.publisher or md.publisher in e.aliases):
                    g.add((d, DCTERMS.publisher, self.iris[key]))
                    break
        for year in sorted({s.year for s in self.doc.sections if s.year is not None}):
            g.add((d, DCTERMS.temporal, _period(g, year)))
        t = self.text_iri
        g.add((t, RDF.type, NIF.Context))
        g.add((t, RDF.type, NIF.RFC5147String))
        g.add((t, DCTERMS.isFormatOf, d))
        g.add((t, NIF.isString, Literal(self.doc.text)))
        g.add((t, NIF.beginIndex, Literal(0, datatype=_NNI)))
        g.add((t, NIF.endIndex, Literal(len(self.doc.text), datatype=_NNI)))

    def entity(self, key: str, e: Entity) -> None:
        if e.type not in ENTITY_CLASS:
            raise ExtractionError(f"{self.where}: entity {key!r} has unknown type {e.type!r}")
        node = self.iris[key]
        source = e.attrs.get("source")
        in_doc = bool(e.mentions) or not source
        targets = ([self.g] if in_doc else []) + ([self.ref] if source else [])
        for g in targets:
            g.add((node, RDF.type, ENTITY_CLASS[e.type]))
            g.add((node, SKOS.prefLabel, Literal(e.name, lang="zh")))
        # reference attributes go to the reference graph when they come from reference data
        facts = self.ref if source else self.g
        if source:
            facts.add((node, DCTERMS.source, Literal(str(source))))
        attrs = e.attrs
        if attrs.get("name_en"):
            facts.add((node, SKOS.prefLabel, Literal(str(attrs["name_en"]), lang="en")))
        if attrs.get("uscc"):
            facts.add((node, GK.uscc, Literal(str(attrs["uscc"]).strip().upper())))
        if attrs.get("code") and e.type in _AREA_TYPES:
            facts.add((node, GK.divisionCode, Literal(str(attrs["code"]).strip())))
        level = attrs.get("level")
        if level:
            prop = GK.honourLevel if e.type == "Honour" else GK.adminLevel
            facts.add((node, prop, _closed(LEVEL, str(level), "level", f"{self.where}: entity {key!r}")))
        kind = attrs.get("kind")
        if kind:
            if e.type == "Initiative":
                g = self.g
                g.add((node, GK.initiativeType, _concept(g, "initiative-type", str(kind))))
            elif e.type in _ORG_TYPES:
                self.g.add((node, PREFIXES["org"].classification, _concept(self.g, "org-type", str(kind))))
            elif e.type == "NormativeDocument":
                self.g.add((node, DCTERMS.type, _concept(self.g, "doc-type", str(kind))))
        if source and e.parent and e.parent in self.ex.entities:
            parent = self.ex.entities[e.parent]
            if e.type in _AREA_TYPES | {"Place"} and parent.type in _AREA_TYPES:
                self.ref.add((node, GK.withinArea, self.iris[e.parent]))
        for alias in sorted(e.aliases):
            if alias != e.name:
                self.g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        for m in sorted(set(e.mentions)):
            mn = self.mention(m)
            self.g.add((node, GK.evidence, mn))
            self.g.add((mn, ITSRDF.taIdentRef, node))

    def relations(self) -> None:
        for r in self.ex.relations:
            if r.predicate not in PREDICATE:
                raise ExtractionError(f"{self.where}: unknown relation predicate {r.predicate!r}")
            s, p = self.ent(r.subject, f"relation {r.predicate}"), PREDICATE[r.predicate]
            o = self.ent(r.object, f"relation {r.predicate}")
            self.g.add((s, p, o))
            st = _iri.statement_iri(s, p, o)
            self.g.add((st, RDF.type, GK.Statement))
            self.g.add((st, RDF.subject, s))
            self.g.add((st, RDF.predicate, p))
            self.g.add((st, RDF.object, o))
            if r.open_list is not None:
                self.g.add((st, GK.openList, Literal(bool(r.open_list))))
            if r.role:
                self.g.add((st, GK.role, Literal(r.role, lang="zh")))
            self.evidence(st, r.mentions)

    def conferrals(self) -> None:
        for c in self.ex.conferrals:
            r, h = self.ent(c.recipient, "conferral recipient"), self.ent(c.honour, "conferral honour")
            node = _iri.conferral_iri(r, h, c.year)
            g = self.g
            g.add((node, RDF.type, GK.AwardConferral))
            g.add((node, GK.recipient, r))
            g.add((node, GK.honour, h))
            if c.year is not None:
                g.add((node, GK.refPeriod, _period(g, c.year)))
            if c.level:
                g.add((h, GK.honourLevel, _closed(LEVEL, c.level, "level", f"{self.where}: conferral")))
            if c.note:
                g.add((node, SKOS.note, Literal(c.note, lang="zh")))
            self.evidence(node, c.mentions)

    def _first(self, mentions: list[Mention], what: str) -> Mention:
        if not mentions:
            raise ExtractionError(f"{self.where}: {what} has no mention (every fact needs evidence)")
        return min(mentions)

    def _unique(self, node: URIRef, used: set[URIRef]) -> URIRef:
        out, n = node, 1
        while out in used:
            n += 1
            out = URIRef(f"{node}-{n}")
        used.add(out)
        return out

    def observations(self) -> None:
        used: set[URIRef] = set()
        for o in self.ex.observations:
            first = self._first(o.mentions, f"observation {o.as_stated!r}")
            node = self._unique(_iri.observation_iri(self.doc_iri, first.start, first.end), used)
            g, where = self.g, f"{self.where}:{first.start}"
            g.add((node, RDF.type, GK.Observation))
            g.add((node, SCHEMA.value, _decimal(o.value)))
            qual = _closed(QUALIFIER, o.qualifier, "qualifier", where)
            g.add((node, GK.valueQualifier, qual))
            if o.qualifier in ("more-than", "at-least"):
                g.add((node, SCHEMA.minValue, _decimal(o.value)))
            elif o.qualifier == "less-than":
                g.add((node, SCHEMA.maxValue, _decimal(o.value)))
            if o.unit:
                g.add((node, SCHEMA.unitText, Literal(o.unit, lang="zh")))
            g.add((node, GK.valueAsStated, Literal(o.as_stated, lang="zh")))
            g.add((node, GK.cumulative, Literal(bool(o.cumulative))))
            if o.counts:
                g.add((node, GK.indicator, _indicator(g, o.counts)))
            if o.about is not None:
                g.add((node, SCHEMA.observationAbout, self.ent(o.about, "observation about")))
            year = o.period if o.period is not None else self.year_at(first.start)
            if year is not None:
                g.add((node, GK.refPeriod, _period(g, year)))
            g.add((node, GK.part, _closed(PART, o.part, "part", where)))
            self.evidence(node, o.mentions)

    def rankings(self) -> None:
        used: set[URIRef] = set()
        for r in self.ex.rankings:
            first = self._first(r.mentions, f"ranking {r.scope_word}{r.indicator}")
            node = self._unique(_iri.ranking_iri(self.doc_iri, first.start, first.end), used)
            g, where = self.g, f"{self.where}:{first.start}"
            g.add((node, RDF.type, GK.Ranking))
            g.add((node, GK.rankKind, _closed(RANK_KIND, r.kind, "ranking kind", where)))
            if r.rank is not None:
                g.add((node, GK.rank, Literal(int(r.rank), datatype=XSD.positiveInteger)))
            if r.scope_word:
                g.add((node, GK.scopeAsStated, Literal(r.scope_word, lang="zh")))
            if r.scope is not None:
                g.add((node, GK.rankScope, self.ent(r.scope, "ranking scope")))
            if r.indicator:
                g.add((node, GK.indicator, _indicator(g, r.indicator)))
            if r.about is not None:
                g.add((node, SCHEMA.observationAbout, self.ent(r.about, "ranking about")))
            if r.count is not None:
                g.add((node, GK["count"], Literal(int(r.count), datatype=_NNI)))
            if r.of is not None:
                g.add((node, GK.outOf, Literal(int(r.of), datatype=_NNI)))
            year = r.period if r.period is not None else self.year_at(first.start)
            if year is not None:
                g.add((node, GK.refPeriod, _period(g, year)))
            self.evidence(node, r.mentions)

    def plan_items(self) -> None:
        for p in self.ex.plan_items:
            node = _iri.plan_iri(self.doc_iri, p.ordinal)
            g = self.g
            g.add((node, RDF.type, GK.PlanItem))
            g.add((node, SCHEMA.position, Literal(int(p.ordinal))))
            g.add((node, SKOS.prefLabel, Literal(p.summary, lang="zh")))
            g.add((node, SCHEMA.actionStatus, SCHEMA.PotentialActionStatus))
            g.add((node, GK.part, PART["plan"]))
            if p.year is not None:
                g.add((node, DCTERMS.temporal, _period(g, p.year)))
            for key in p.references:
                g.add((node, DCTERMS.references, self.ent(key, "plan item reference")))
            for key in p.initiatives:
                g.add((node, GK.initiative, self.ent(key, "plan item initiative")))
            mentions = list(p.mentions)
            if 0 <= p.start < p.end <= len(self.doc.text):
                mentions.append(Mention(self.doc.id, p.start, p.end, self.doc.text[p.start : p.end], "PlanItem"))
            self.evidence(node, mentions)

    def write(self) -> None:
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


def add_extraction(ds: Dataset, extraction: Extraction) -> URIRef:
    """Add one extraction to ``ds``; returns the document IRI. Raises ExtractionError on a broken contract."""
    w = _DocWriter(ds, extraction)
    w.write()
    return w.doc_iri


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
