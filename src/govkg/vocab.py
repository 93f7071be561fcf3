"""RDF namespaces and one term mapping per model concept, mirroring ontology/govkg.ttl (test-enforced)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace, DefinedNamespace

from .model import ENTITY_TYPES, RELATION_PREDICATES

__all__ = [
    "BASE",
    "ID",
    "CONCEPT",
    "GK",
    "NIF",
    "ITSRDF",
    "ORG",
    "SCHEMA",
    "TIME",
    "DCTERMS",
    "FOAF",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "LEVEL_NS",
    "QUALIFIER_NS",
    "RESOLUTION_NS",
    "RANK_KIND_NS",
    "PART_NS",
    "ITYPE_NS",
    "OTYPE_NS",
    "DTYPE_NS",
    "INDICATOR_NS",
    "CLASS",
    "ENTITY_CLASS",
    "PREDICATE",
    "PROPERTY",
    "LEVEL",
    "QUALIFIER",
    "RESOLUTION",
    "RANK_KIND",
    "CHANGE",
    "CHANGE_NS",
    "PART",
    "SCHEME",
    "REUSED",
    "PREFIXES",
    "ONTOLOGY_PATH",
    "SHAPES_PATH",
    "REFERENCE_GRAPH",
    "EXEMPT",
]

BASE = "https://w3id.org/govkg/"
#: Instances.
ID = Namespace(BASE + "id/")
#: Concepts: ``CONCEPT[f"{scheme}/{notation}"]``.
CONCEPT = Namespace(BASE + "concept/")
#: Named graph for facts taken from reference data rather than from a report.
REFERENCE_GRAPH = ID["graph/reference"]

_GK_CLASSES = (
    *ENTITY_TYPES,
    "Document",
    "Mention",
    "Statement",
    "AdminArea",
    "AwardConferral",
    "Claim",
    "Observation",
    "Ranking",
    "PlanItem",
    "Indicator",
)
_GK_PROPERTIES = (
    "change",
    "suppliedMetadata",
    "uscc",
    "divisionCode",
    "indexNumber",
    "docNumber",
    "sha256",
    "category",
    "withinArea",
    "statutoryParent",
    "jurisdiction",
    "headedBy",
    "leadBy",
    "pilotArea",
    "site",
    "participant",
    "approvedBy",
    "location",
    "partOfInitiative",
    "adminLevel",
    "initiativeType",
    "initiative",
    "recipient",
    "honour",
    "honourLevel",
    "conferredBy",
    "indicator",
    "valueQualifier",
    "valueAsStated",
    "refPeriod",
    "cumulative",
    "part",
    "rank",
    "rankKind",
    "rankScope",
    "scopeAsStated",
    "count",
    "outOf",
    "statedIn",
    "evidence",
    "resolution",
    "openList",
    "role",
    "year",
)

#: The project's own terms; unknown local names raise at import/attribute time.
GK = ClosedNamespace(BASE + "ontology#", list(_GK_CLASSES) + list(_GK_PROPERTIES))
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")

LEVEL_NS = Namespace(CONCEPT + "level/")
QUALIFIER_NS = Namespace(CONCEPT + "qualifier/")
RESOLUTION_NS = Namespace(CONCEPT + "resolution/")
RANK_KIND_NS = Namespace(CONCEPT + "rank-kind/")
PART_NS = Namespace(CONCEPT + "part/")
CHANGE_NS = Namespace(CONCEPT + "change/")
ITYPE_NS = Namespace(CONCEPT + "initiative-type/")
OTYPE_NS = Namespace(CONCEPT + "org-type/")
DTYPE_NS = Namespace(CONCEPT + "doc-type/")
INDICATOR_NS = Namespace(CONCEPT + "indicator/")

#: Every gk: class by local name.
CLASS: dict[str, URIRef] = {name: GK[name] for name in _GK_CLASSES}
#: model.ENTITY_TYPES → class IRI.
ENTITY_CLASS: dict[str, URIRef] = {t: GK[t] for t in ENTITY_TYPES}

#: model.RELATION_PREDICATES → property IRI. Three reuse W3C ORG / DCTERMS terms directly,
#: since their meaning is exactly the standard one; the rest are minted sub-properties.
PREDICATE: dict[str, URIRef] = {
    p: {
        "subOrganizationOf": ORG.subOrganizationOf,
        "memberOf": ORG.memberOf,
        "references": DCTERMS.references,
    }.get(p, GK[p] if p in _GK_PROPERTIES else URIRef(""))
    for p in RELATION_PREDICATES
}

#: Every gk: property by local name.
PROPERTY: dict[str, URIRef] = {name: GK[name] for name in _GK_PROPERTIES}

#: Closed concept schemes: model value → concept IRI.
LEVEL: dict[str, URIRef] = {
    v: LEVEL_NS[v]
    for v in ("national", "provincial", "municipal", "district", "functional-area", "subdistrict", "community")
}
QUALIFIER: dict[str, URIRef] = {
    v: QUALIFIER_NS[v] for v in ("exact", "approx", "more-than", "at-least", "less-than", "rounded")
}
RESOLUTION: dict[str, URIRef] = {
    v: RESOLUTION_NS[v] for v in ("exact-name", "alias", "contextual-deixis", "inferred")
}
RANK_KIND: dict[str, URIRef] = {v: RANK_KIND_NS[v] for v in ("rank", "top", "first", "only")}
PART: dict[str, URIRef] = {v: PART_NS[v] for v in ("summary", "plan")}
CHANGE: dict[str, URIRef] = {v: CHANGE_NS[v] for v in ("increase", "decrease")}

#: Concept schemes; the open ones get concepts minted from extractor output.
SCHEME: dict[str, URIRef] = {
    "level": LEVEL_NS.scheme,
    "qualifier": QUALIFIER_NS.scheme,
    "resolution": RESOLUTION_NS.scheme,
    "rank-kind": RANK_KIND_NS.scheme,
    "part": PART_NS.scheme,
    "change": CHANGE_NS.scheme,
    "initiative-type": ITYPE_NS.scheme,
    "org-type": OTYPE_NS.scheme,
    "doc-type": DTYPE_NS.scheme,
    "indicator": INDICATOR_NS.scheme,
}

#: Standard terms govkg writes whose labels ontology/govkg.ttl annotates (used for display).
REUSED: dict[str, URIRef] = {
    "subOrganizationOf": ORG.subOrganizationOf,
    "memberOf": ORG.memberOf,
    "classification": ORG.classification,
    "references": DCTERMS.references,
    "title": DCTERMS.title,
    "publisher": DCTERMS.publisher,
    "created": DCTERMS.created,
    "issued": DCTERMS.issued,
    "subject": DCTERMS.subject,
    "temporal": DCTERMS.temporal,
    "format": DCTERMS.format,
    "source": DCTERMS.source,
    "isFormatOf": DCTERMS.isFormatOf,
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "note": SKOS.note,
    "value": SCHEMA.value,
    "url": SCHEMA.url,
    "minValue": SCHEMA.minValue,
    "maxValue": SCHEMA.maxValue,
    "unitText": SCHEMA.unitText,
    "observationAbout": SCHEMA.observationAbout,
    "position": SCHEMA.position,
    "actionStatus": SCHEMA.actionStatus,
    "isString": NIF.isString,
    "referenceContext": NIF.referenceContext,
    "beginIndex": NIF.beginIndex,
    "endIndex": NIF.endIndex,
    "anchorOf": NIF.anchorOf,
    "taIdentRef": ITSRDF.taIdentRef,
}

#: gk: terms declared in the ontology that triples.py does not emit, with the reason (test-enforced).
EXEMPT: dict[str, str] = {
    "AdminArea": "abstract superclass of the six area classes; instances get the specific class",
    "Claim": "abstract superclass of Observation and Ranking; instances get the specific class",
    "statutoryParent": "GB/T 2260 code hierarchy; for reference-data loaders, the model has no field for it yet",
    "conferredBy": "model.Conferral has no conferring body yet; kept for the design's CQ2/CQ7",
}

#: Prefixes bound on every graph govkg writes.
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "gk": Namespace(str(GK)),
    "dct": DCTERMS,
    "foaf": FOAF,
    "itsrdf": ITSRDF,
    "nif": NIF,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "time": TIME,
    "xsd": XSD,
    "level": LEVEL_NS,
    "qual": QUALIFIER_NS,
    "res": RESOLUTION_NS,
    "rkind": RANK_KIND_NS,
    "part": PART_NS,
    "chg": CHANGE_NS,
    "itype": ITYPE_NS,
    "otype": OTYPE_NS,
    "dtype": DTYPE_NS,
    "ind": INDICATOR_NS,
}

_ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"
#: The OWL ontology file.
ONTOLOGY_PATH = _ONTOLOGY_DIR / "govkg.ttl"
#: The SHACL shapes file.
SHAPES_PATH = _ONTOLOGY_DIR / "shapes.ttl"

if any(str(v) == "" for v in PREDICATE.values()):  # pragma: no cover - guards model/vocab drift
    missing = sorted(k for k, v in PREDICATE.items() if str(v) == "")
    raise ImportError(f"govkg.vocab has no ontology property for relation predicate(s) {missing}")
