"""The query workers of the endpoint: replies, limits, and no network."""

from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest

from govkg.protocol import answer
from govkg.workers import LimitExceeded, WorkerPool


def _job(query):
    return {"op": "sparql", "query": query, "default_graph": None, "named_graphs": None, "row_limit": 10,
            "select": "json", "graph": "turtle"}


@pytest.fixture()
def pool(tmp_path):
    st = ox.Store(str(tmp_path / "store"))
    for i in range(200):
        st.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i))))
    st.flush()
    del st
    p = WorkerPool(str(tmp_path / "store"), answer, size=1, memory_limit=200 << 20, wait=20)
    yield p
    p.close()


def test_a_worker_answers_and_is_replaced_after_its_time_limit(pool):
    status, ctype, body, _ = pool.run(_job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), timeout=10)
    assert status == 200 and ctype.startswith("application/sparql-results+json") and b'"200"' in body
    first = pool.pids()
    with pytest.raises(LimitExceeded, match="0.3 s limit"):
        pool.run(_job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"), timeout=0.3)
    assert pool.run(_job("ASK {}"), timeout=10)[0] == 200
    assert pool.pids() != first


def test_workers_cannot_open_connections(pool):
    """Even a SERVICE query that got past the server's check sends nothing: the workers may not connect."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
        status, _, body, _ = pool.run(_job(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"), timeout=10)
        assert status >= 400 and body.count(b"\n") == 1
        with pytest.raises(socket.timeout):
            listener.accept()
