"""Tests for govkg.validate: good graphs conform, each kind of bad graph fails."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from govkg import iri as I
from govkg.errors import OntologyError
from govkg.rdfio import serialize
from govkg.triples import extraction_to_dataset
from govkg.validate import validate
from govkg.vocab import GK, NIF, SCHEMA
from test_triples import make_extraction


@pytest.fixture()
def ds():
    return extraction_to_dataset([make_extraction()])


def _g(ds):
    return ds.graph(I.graph_iri(I.document_iri(make_extraction().document)))


def _one(g, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


def test_good_graph_conforms(ds):
    report = validate(ds)
    assert report.conforms, report.text
    assert report.results == []


def test_validate_a_file(ds, tmp_path):
    path = serialize(ds, tmp_path / "g.trig")
    assert validate(path).conforms


def _assert_fails(ds, needle: str):
    report = validate(ds)
    assert not report.conforms
    assert any(needle in " ".join(r) for r in report.results), report.text


def test_mention_begin_not_less_than_end(ds):
    g = _g(ds)
    m = _one(g, GK.Mention)
    g.set((m, NIF.beginIndex, Literal(10**6, datatype=XSD.nonNegativeInteger)))
    _assert_fails(ds, str(NIF.beginIndex))


def test_mention_quote_must_match_text(ds):
    g = _g(ds)
    m = _one(g, GK.Mention)
    g.set((m, NIF.anchorOf, Literal("不对")))
    _assert_fails(ds, "anchorOf '不对' != text")


def test_mention_needs_one_context(ds):
    g = _g(ds)
    m = _one(g, GK.Mention)
    g.remove((m, NIF.referenceContext, None))
    _assert_fails(ds, "exactly one nif:referenceContext")


def test_conferral_needs_honour(ds):
    g = _g(ds)
    c = _one(g, GK.AwardConferral)
    g.remove((c, GK.honour, None))
    _assert_fails(ds, "exactly one gk:Honour")


def test_observation_value_must_be_decimal_with_unit(ds):
    g = _g(ds)
    o = _one(g, GK.Observation)
    g.set((o, SCHEMA.value, Literal("many")))
    g.remove((o, SCHEMA.unitText, None))
    _assert_fails(ds, "xsd:decimal schema:value")
    _assert_fails(ds, "schema:unitText")


def test_observation_needs_period_and_evidence(ds):
    g = _g(ds)
    o = _one(g, GK.Observation)
    g.remove((o, GK.refPeriod, None))
    g.remove((o, GK.evidence, None))
    _assert_fails(ds, "gk:refPeriod")
    _assert_fails(ds, "evidence")


def test_ranking_needs_scope(ds):
    g = _g(ds)
    r = _one(g, GK.Ranking)
    g.remove((r, GK.rankScope, None))
    g.remove((r, GK.scopeAsStated, None))
    _assert_fails(ds, "scope")


def test_entity_needs_zh_label_and_evidence(ds):
    g = _g(ds)
    e = _one(g, GK.Honour)
    g.remove((e, SKOS.prefLabel, None))
    g.remove((e, GK.evidence, None))
    _assert_fails(ds, "zh skos:prefLabel")
    _assert_fails(ds, "gk:evidence")


def test_identifier_patterns_apply_to_subclasses(ds):
    g = _g(ds)
    comm = _one(g, GK.Community)
    g.add((comm, GK.divisionCode, Literal("4403")))
    org = _one(g, GK.PublicOrganisation)
    g.add((org, GK.uscc, Literal("TOO-SHORT")))
    _assert_fails(ds, "6, 9 or 12 digits")
    _assert_fails(ds, "18-character")


def test_document_needs_title_or_sha256(ds):
    g = _g(ds)
    d = _one(g, GK.Document)
    g.remove((d, DCTERMS.title, None))
    g.remove((d, GK.sha256, None))
    _assert_fails(ds, str(d))


def test_missing_shapes_file_raises(ds, tmp_path):
    with pytest.raises(OntologyError):
        validate(ds, shapes=tmp_path / "nope.ttl")


def test_unrelated_iri_not_flagged(ds):
    g = _g(ds)
    g.add((URIRef("https://example.org/x"), SKOS.note, Literal("x")))
    assert validate(ds).conforms
