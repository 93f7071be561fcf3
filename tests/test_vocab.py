"""Tests for govkg.vocab: the term mappings and ontology/govkg.ttl agree, both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from govkg import vocab as V
from govkg.model import ENTITY_TYPES, RELATION_PREDICATES

SRC = Path(V.__file__).resolve().parent


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(V.ONTOLOGY_PATH)


def _langs(g: Graph, term: URIRef, prop: URIRef) -> set[str]:
    return {o.language for o in g.objects(term, prop) if getattr(o, "language", None)}


def _vocab_terms() -> dict[URIRef, str]:
    out: dict[URIRef, str] = {}
    for name in ("CLASS", "ENTITY_CLASS", "PREDICATE", "PROPERTY", "REUSED"):
        out.update({v: "term" for v in getattr(V, name).values()})
    for name in ("LEVEL", "QUALIFIER", "RESOLUTION", "RANK_KIND", "PART", "CHANGE", "SCHEME"):
        out.update({v: "concept" for v in getattr(V, name).values()})
    return out


def test_mappings_cover_the_model():
    assert set(V.ENTITY_CLASS) == set(ENTITY_TYPES)
    assert set(V.PREDICATE) == set(RELATION_PREDICATES)
    assert all(str(v) for v in V.PREDICATE.values())
    assert V.PREDICATE["withinArea"] == V.GK.withinArea
    assert V.PREDICATE["subOrganizationOf"] == V.ORG.subOrganizationOf


def test_every_vocab_term_is_declared_with_labels_and_definition(onto):
    problems = []
    for term, kind in sorted(_vocab_terms().items()):
        label = RDFS.label if kind == "term" else SKOS.prefLabel
        if not {"zh", "en"} <= _langs(onto, term, label):
            problems.append(f"{term}: needs zh and en {label}")
        defs = list(onto.objects(term, SKOS.definition)) + list(onto.objects(term, RDFS.comment))
        if not any(getattr(d, "language", None) == "en" for d in defs):
            problems.append(f"{term}: needs an en skos:definition or rdfs:comment")
    assert problems == []


def test_every_english_definition_has_one_chinese_definition(onto):
    problems = []
    subjects = {s for s, d in onto.subject_objects(SKOS.definition) if getattr(d, "language", None) == "en"}
    assert subjects
    for term in sorted(subjects):
        zh = [d for d in onto.objects(term, SKOS.definition) if getattr(d, "language", None) == "zh"]
        if len(zh) != 1:
            problems.append(f"{term}: {len(zh)} zh skos:definition, want exactly 1")
    assert problems == []


def test_minted_terms_are_typed_and_aligned(onto):
    for term in sorted({*V.CLASS.values(), *V.PROPERTY.values()}):
        types = set(onto.objects(term, RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
        aligned = (
            set(onto.objects(term, RDFS.subClassOf))
            | set(onto.objects(term, RDFS.subPropertyOf))
            | set(onto.objects(term, SKOS.closeMatch))
            | set(onto.objects(term, RDFS.domain))
        )
        assert aligned, f"{term} has no alignment"


def test_every_declared_gk_term_is_in_vocab(onto):
    gk = str(V.GK)
    declared = {
        s
        for s in onto.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(gk)
    }
    assert declared == set(V.CLASS.values()) | set(V.PROPERTY.values())


def test_every_declared_concept_is_in_vocab(onto):
    concepts = set(onto.subjects(RDF.type, SKOS.Concept)) | set(onto.subjects(RDF.type, SKOS.ConceptScheme))
    assert concepts == {t for t, kind in _vocab_terms().items() if kind == "concept"}


def test_every_gk_term_is_emitted_or_exempt():
    code = (SRC / "triples.py").read_text(encoding="utf-8")
    emitted = set(re.findall(r"\bGK\.(\w+)", code)) | set(re.findall(r"\bGK\[\"(\w+)\"\]", code)) | set(ENTITY_TYPES)
    emitted |= {p for p, iri in V.PREDICATE.items() if iri.startswith(str(V.GK))}
    names = set(V.CLASS) | set(V.PROPERTY)
    assert names - emitted == set(V.EXEMPT)
    assert all(reason for reason in V.EXEMPT.values())


def test_closed_namespace_rejects_unknown_terms():
    with pytest.raises(AttributeError):
        V.GK.notATerm  # noqa: B018
