"""Tests for govkg.server against live servers on 127.0.0.1, with SPARQLWrapper and urllib."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from govkg.server import make_app, make_server
from govkg.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "query" / "small.trig"
GK = "https://w3id.org/govkg/ontology#"
DOCS = f"SELECT ?d WHERE {{ ?d a <{GK}Document> }} ORDER BY ?d"


def _start(store, **kw):
    server = make_server(store, "127.0.0.1", 0, **kw)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def store():
    return open_store(FIXTURE)


@pytest.fixture(scope="module")
def base(store):
    server, url = _start(store, timeout=5, row_limit=50, view_html="<html><body>graph view</body></html>")
    yield url
    server.shutdown()
    server.server_close()


def http(url, *, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def get(base, query, accept=None, **extra):
    qs = urllib.parse.urlencode({"query": query, **extra})
    return http(f"{base}/sparql?{qs}", headers={"Accept": accept} if accept else {})


def _docs(body):
    return [b["d"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_json_by_default(base):
    status, headers, body = get(base, DOCS)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert len(_docs(body)) == 2
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_post_form_and_direct(base):
    form = urllib.parse.urlencode({"query": DOCS}).encode()
    s1, _, b1 = http(f"{base}/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    s2, _, b2 = http(f"{base}/sparql", data=DOCS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert s1 == s2 == 200
    assert _docs(b1) == _docs(b2) and len(_docs(b1)) == 2
    s3, _, b3 = http(f"{base}/sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert s3 == 415


@pytest.mark.parametrize(
    "accept,ctype,check",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "d\r\nhttps://w3id.org/govkg/id/doc/"),
        ("text/tab-separated-values", "text/tab-separated-values", "?d\n<https://w3id.org/govkg/id/doc/"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json", '"vars"'),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
    ],
)
def test_select_formats_by_accept(base, accept, ctype, check):
    status, headers, body = get(base, DOCS, accept)
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    assert check in body


@pytest.mark.parametrize(
    "accept,ctype,fmt",
    [("text/turtle", "text/turtle", "turtle"), ("application/n-triples", "application/n-triples", "nt"),
     ("application/ld+json", "application/ld+json", "json-ld"), (None, "text/turtle", "turtle")],
)
def test_construct_formats_by_accept(base, accept, ctype, fmt):
    q = f"CONSTRUCT {{ ?d a <{GK}Document> }} WHERE {{ ?d a <{GK}Document> }}"
    status, headers, body = get(base, q, accept)
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    assert len(Graph().parse(data=body, format=fmt)) == 2


def test_sparqlwrapper_select_ask_construct(base):
    sw = SPARQLWrapper(f"{base}/sparql")
    sw.setQuery(DOCS)
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == 2
    sw.setReturnFormat(XML)
    assert len(sw.query().convert().getElementsByTagName("result")) == 2
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode().count("\r\n") == 3
    sw.setReturnFormat(TSV)
    assert sw.query().convert().decode().startswith("?d\n")
    sw.setMethod(POST)
    sw.setRequestMethod(POSTDIRECTLY)
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == 2
    sw.setQuery(f"ASK {{ ?d a <{GK}Document> }}")
    assert sw.query().convert()["boolean"] is True
    sw.setQuery(f"CONSTRUCT {{ ?d a <{GK}Document> }} WHERE {{ ?d a <{GK}Document> }}")
    sw.setReturnFormat(TURTLE)
    assert len(Graph().parse(data=sw.query().convert(), format="turtle")) == 2
    sw.setReturnFormat(N3)
    assert len(Graph().parse(data=sw.query().convert(), format="turtle")) == 2
    sw.setReturnFormat(JSONLD)
    assert len(sw.query().convert()) == 2


def test_updates_are_refused(base, store):
    n = len(store)
    upd = "DELETE WHERE { ?s ?p ?o }"
    cases = [
        http(f"{base}/sparql", data=urllib.parse.urlencode({"update": upd}).encode(),
             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        http(f"{base}/sparql", data=upd.encode(), headers={"Content-Type": "application/sparql-update"}),
        get(base, upd),
        get(base, "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"),
        http(f"{base}/sparql?" + urllib.parse.urlencode({"update": upd})),
    ]
    for status, _, body in cases:
        assert status == 403 and "read-only" in body
    sw = SPARQLWrapper(f"{base}/sparql")
    sw.setMethod(POST)
    sw.setQuery(upd)
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    assert len(store) == n


def test_bad_query_is_400_with_parser_message(base):
    status, headers, body = get(base, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400 and "syntax error" in body.lower() and "error at" in body
    assert headers["Content-Type"].startswith("text/plain")
    assert get(base, "")[0] == 400
    assert http(f"{base}/sparql")[0] == 400


def test_row_cap_is_reported(base):
    status, headers, body = get(base, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert headers["X-Govkg-Truncated"] == "50"
    data = json.loads(body)
    assert len(data["results"]["bindings"]) == 50 and data["govkg"]["truncated"] is True
    status, headers, body = get(base, DOCS)
    assert "X-Govkg-Truncated" not in headers


def test_default_graph_uri_restricts_the_dataset(base):
    from test_query import DOC_B

    g = DOC_B + "/graph"
    status, _, body = get(base, DOCS, **{"default-graph-uri": g})
    assert status == 200 and _docs(body) == [DOC_B]


def test_cors_preflight(base):
    status, headers, _ = http(f"{base}/sparql", method="OPTIONS",
                              headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST",
                                       "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_index_page_and_view(base):
    status, headers, body = http(f"{base}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'data-name="provenance"' in body and "原文依据" in body
    assert "&lt;https://w3id.org/govkg/ontology#&gt;" in body  # query text escaped
    # works offline: no external scripts, styles or fonts
    assert "<script src" not in body and 'src="http' not in body and "<link" not in body
    assert 'href="view"' in body
    assert http(f"{base}/view")[2] == "<html><body>graph view</body></html>"
    assert http(f"{base}/nope")[0] == 404
    assert http(f"{base}/sparql", method="PUT", data=b"")[0] == 405


def test_no_view_without_view_html(store):
    app = make_app(store)
    statuses = []
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/view"}, lambda s, h: statuses.append(s)))
    assert statuses == ["404 Not Found"] and b"no graph view" in body
    page = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda s, h: None))
    assert b'href="view"' not in page


def test_time_limit_is_reported():
    slow = ox.Store()
    for i in range(200):
        slow.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i))))
    server, url = _start(slow, timeout=0.1)
    try:
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(STR(?c) < STR(?f)) }"
        status, headers, body = get(url, q)
        assert status == 503
        assert "query exceeded the 0.1 s limit" in body
        assert headers["Access-Control-Allow-Origin"] == "*"
    finally:
        server.shutdown()
        server.server_close()
