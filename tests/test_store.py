"""Tests for govkg.store: loading graphs and files into Oxigraph with named graphs kept."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from govkg.errors import QueryError
from govkg.rdfio import load
from govkg.store import from_ox, is_store_dir, open_store, query_options, store_to_dataset, to_ox

FIXTURE = Path(__file__).parent / "fixtures" / "query" / "small.trig"
E = "http://example.org/"


def _named(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs()}


def _count(store: ox.Store, graph: object = None) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def test_open_store_from_dataset_keeps_named_graphs():
    ds = load(FIXTURE)
    store = open_store(ds)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert _named(store) == graphs
    assert len(graphs) == 3  # two documents + reference graph
    for g in ds.graphs():
        if len(g):
            assert _count(store, ox.NamedNode(str(g.identifier))) == len(g)


def test_default_graph_holds_the_union_as_a_set():
    ds = Dataset()
    s, p, o = URIRef(E + "a"), URIRef(E + "p"), Literal("x")
    ds.graph(URIRef(E + "g1")).add((s, p, o))
    ds.graph(URIRef(E + "g2")).add((s, p, o))
    store = open_store(ds)
    rows = list(store.query("SELECT * WHERE { ?s ?p ?o }", **query_options(store)))
    assert len(rows) == 1  # Oxigraph's union-as-bag would give 2
    rows = list(store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert len(rows) == 2


def test_query_options_for_foreign_store_with_named_graphs_only():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(E + "a"), ox.NamedNode(E + "p"), ox.Literal("x"), ox.NamedNode(E + "g")))
    assert query_options(store) == {"use_default_graph_as_union": True}
    assert open_store(store) is store


def test_open_store_from_files(tmp_path):
    store = open_store(FIXTURE)
    assert len(_named(store)) == 3
    ttl = tmp_path / "g.ttl"
    ttl.write_text(f"<{E}a> <{E}p> \"甲\"@zh .\n", encoding="utf-8")
    nq = tmp_path / "g.nq"
    nq.write_text(f"<{E}a> <{E}p> \"1\"^^<{XSD}integer> <{E}g> .\n", encoding="utf-8")
    both = open_store([ttl, nq])
    assert _named(both) == {E + "g"}
    assert _count(both, ox.DefaultGraph()) == 2


def test_open_store_errors(tmp_path):
    with pytest.raises(QueryError, match="no such RDF file"):
        open_store(tmp_path / "missing.trig")
    bad = tmp_path / "g.xyz"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(QueryError, match="cannot tell the RDF format"):
        open_store(bad)
    broken = tmp_path / "g.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(QueryError, match="cannot parse"):
        open_store(broken)
    with pytest.raises(QueryError):
        open_store(42)


def test_on_disk_store_persists_and_reopens(tmp_path):
    d = tmp_path / "store"
    store = open_store(FIXTURE, path=d)
    n = len(store)
    del store
    assert is_store_dir(d)
    again = open_store(d)
    assert len(again) == n
    assert len(_named(again)) == 3


def test_store_to_dataset_round_trip():
    store = open_store(FIXTURE)
    ds = store_to_dataset(store)
    named = {str(g.identifier) for g in ds.graphs() if len(g) and str(g.identifier) in _named(store)}
    assert named == _named(store)
    assert len(ds) == _count(store, ox.DefaultGraph())


def test_term_conversion_round_trip():
    terms = [
        URIRef(E + "葵"),
        Literal("葵涌", lang="zh"),
        Literal("plain"),
        Literal("2021-06-22", datatype=XSD.date),
        Literal("12000", datatype=XSD.decimal),
    ]
    for t in terms:
        assert from_ox(to_ox(t)) == t
    assert from_ox(ox.Literal("x", datatype=ox.NamedNode(str(XSD.string)))) == Literal("x")
    g = Graph()
    g.add((URIRef(E + "a"), URIRef(E + "p"), Literal("x")))
    assert len(open_store(g)) == 1  # a plain graph lands in the default graph only
