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
    # a GET without a query is the service description (issue 11); a POST without one is still an error
    assert http(f"{base}/sparql", data=b"", headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 400


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


# ---------------------------------------------------------------------------------------------------------------
# issue 11 part 1, "An endpoint that stays up": each failure reported against `govkg serve`, as a test

RUNAWAY_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RUNAWAY_SORT = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


def _numbers(n=200):
    st = ox.Store()
    for i in range(n):
        st.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i))))
    return st


def _tree_memory_mb(pid=None):
    """Memory of a process and all its descendants in MB (PSS where the kernel gives it, else RSS), via /proc."""
    import os

    root = pid or os.getpid()
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0.0, [root]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += next(int(ln.split()[1]) for ln in rollup.splitlines() if ln.startswith("Pss:")) / 1024
        except (OSError, StopIteration):
            try:
                total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * 4096 / 2**20
            except OSError:
                pass
    return total


@pytest.fixture()
def numbers_server():
    servers = []

    def start(**kw):
        server, url = _start(_numbers(), **kw)
        servers.append(server)
        return url

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def test_issue_11_runaway_queries_give_their_workers_back(numbers_server):
    """Two queries past the time limit are stopped: the next query gets an answer, not "server busy"."""
    url = numbers_server(timeout=0.5, max_running=2)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(get(url, RUNAWAY_COUNT))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [a[0] for a in answers] == [503, 503]
    assert all("query exceeded the 0.5 s limit" in a[2] for a in answers)
    status, _, body = get(url, "ASK {}")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_issue_11_memory_cap_stops_a_query(numbers_server):
    """A query that grows past the memory cap is stopped with a one-line 503; the endpoint goes on answering."""
    before = _tree_memory_mb()
    url = numbers_server(timeout=60, memory_limit=150)
    status, _, body = get(url, RUNAWAY_SORT)
    assert status == 503 and "memory" in body and body.count("\n") == 1
    assert _tree_memory_mb() - before < 600
    assert get(url, "ASK { ?s ?p ?o }")[0] == 200


def test_issue_11_service_is_refused_and_nothing_is_sent(base):
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
        for q in (
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ BIND(<{target}> AS ?u) SeRvIcE ?u {{ ?s ?p ?o }} }}",
            f"# SERVICE in a comment\nSELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{target}> {{ ?s ?p ?x }} }} }}",
        ):
            status, _, body = get(base, q)
            assert status == 400 and "SERVICE" in body, q
        with pytest.raises(socket.timeout):
            listener.accept()
    # the word in a string, an IRI, a comment or a name is not the keyword
    for q in (
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/x> { }" AS ?x) }',
        "SELECT ?x WHERE { BIND(<http://e/SERVICE> AS ?x) } # SERVICE <http://127.0.0.1:9/>",
        "PREFIX service: <http://e/> SELECT ?service WHERE { BIND(service:SERVICE AS ?service) }",
    ):
        assert get(base, q)[0] == 200, q


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_issue_11_bad_graph_uri_is_400(base, param):
    status, _, body = get(base, DOCS, **{param: "not an iri <>"})
    assert status == 400 and param in body and body.count("\n") == 1


def test_issue_11_short_body_times_out(store):
    import socket
    import time

    server, url = _start(store, request_timeout=0.5)
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as s:
            s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: 100\r\n\r\nASK {}")
            t = time.time()
            reply = b""
            while chunk := s.recv(4096):
                reply += chunk
            assert time.time() - t < 4
        assert reply.startswith(b"HTTP/1.0 408") and b"Traceback" not in reply
        assert get(url, "ASK {}")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_issue_11_rdf_xml_on_request(base):
    q = f"CONSTRUCT {{ ?d a <{GK}Document> }} WHERE {{ ?d a <{GK}Document> }}"
    status, headers, body = get(base, q, "application/rdf+xml")
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=body, format="xml")) == 2
    status, headers, body = get(base, f"DESCRIBE <{GK}Document>", format="rdfxml")
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")


@pytest.mark.parametrize("accept,fmt", [(None, "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_issue_11_service_description(base, accept, fmt):
    from rdflib import URIRef
    from rdflib.namespace import RDF, Namespace

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    status, headers, body = http(f"{base}/sparql", headers={"Accept": accept} if accept else {})
    assert status == 200
    g = Graph().parse(data=body, format=fmt)
    service = g.value(predicate=RDF.type, object=sd.Service)
    assert service is not None
    assert g.value(service, sd.endpoint) == URIRef(f"{base}/sparql")
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    formats = set(g.objects(service, sd.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/RDF_XML") in formats
    assert (service, sd.feature, sd.UnionDefaultGraph) in g
    assert g.value(g.value(service, sd.defaultDataset), sd.defaultGraph) is not None


def test_issue_11_named_query_with_parameters(base, store):
    from govkg.query import run_query

    everything = json.loads(get(base, "ASK {}")[2])  # warm up
    assert everything["boolean"] is True
    want = run_query(store, "provenance", {"entity": "北岭司法所"})
    qs = urllib.parse.urlencode({"entity": "北岭司法所"})
    status, headers, body = http(f"{base}/queries/provenance?{qs}")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert len(rows) == len(want.rows) > 0
    assert {r["quote"]["value"] for r in rows} == {str(r[want.columns.index("quote")]) for r in want.rows}
    form = urllib.parse.urlencode({"entity": "北岭司法所", "format": "csv"}).encode()
    status, headers, body = http(f"{base}/queries/provenance", data=form,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.count("\r\n") == len(want.rows) + 1
    assert http(f"{base}/queries/provenance")[0] == 400  # a required parameter is missing
    assert http(f"{base}/queries/provenance?nope=1&entity=x")[0] == 400
    assert http(f"{base}/queries/no-such-query")[0] == 404
    assert http(f"{base}/queries/..%2F..%2Fetc%2Fpasswd")[0] == 404
    listing = json.loads(http(f"{base}/queries")[2])
    prov = next(q for q in listing if q["name"] == "provenance")
    assert prov["params"] == [{"name": "entity", "kind": "entity", "required": True,
                                "description": "the entity (name or IRI) or the IRI of one fact node"}]


def test_issue_11_page_has_a_form_for_parameters(base):
    body = http(f"{base}/")[2]
    form = body.split('id="params-provenance"', 1)[1].split("</fieldset>", 1)[0]
    assert 'name="entity"' in form and "required" in form
    assert 'action="queries/provenance"' in body or "queries/" in body


def test_issue_11_errors_are_one_line(base):
    cases = [
        http(f"{base}/sparql", data=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}),
        http(f"{base}/sparql", data=b"x", headers={"Content-Type": "text/plain"}),
        get(base, "SELECT ?s WHERE { ?s ?p }"),
        get(base, DOCS, **{"default-graph-uri": ""}),
        http(f"{base}/queries/provenance?entity=%3Cnot%20an%20iri%3E"),
        http(f"{base}/nope"),
    ]
    for status, headers, body in cases:
        assert status >= 400 and headers["Content-Type"].startswith("text/plain")
        assert body.endswith("\n") and body.count("\n") == 1 and "Traceback" not in body, body


def test_issue_11_load_two_runaways_and_a_thousand_queries(capsys):
    """Two runaway queries and 1,000 ordinary ones from 20 client threads, all on loopback: every ordinary query
    is answered correctly (none gets 503 because of the runaways) and memory stays bounded."""
    import time

    server, url = _start(_numbers(), timeout=2.0, memory_limit=300, max_running=2)
    try:
        assert get(url, "ASK {}")[0] == 200
        before = _tree_memory_mb()
        peak, stop = [before], threading.Event()

        def monitor():
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_memory_mb())
                stop.wait(0.05)

        runaways, answers, latencies = [], [], []

        def runaway(q):
            runaways.append(get(url, q))

        def client(k):
            for j in range(50):
                i = (k * 50 + j) % 200
                t = time.perf_counter()
                status, _, body = get(url, f"SELECT ?o WHERE {{ <http://e/{i}> <http://e/p> ?o }}")
                latencies.append(time.perf_counter() - t)
                answers.append((i, status, body))

        watcher = threading.Thread(target=monitor, daemon=True)
        watcher.start()
        started = time.perf_counter()
        bad = [threading.Thread(target=runaway, args=(q,)) for q in (RUNAWAY_COUNT, RUNAWAY_SORT)]
        for t in bad:
            t.start()
        time.sleep(0.3)  # both workers are now busy with the runaways
        clients = [threading.Thread(target=client, args=(k,)) for k in range(20)]
        for t in clients:
            t.start()
        for t in clients + bad:
            t.join(120)
        elapsed = time.perf_counter() - started
        stop.set()
        watcher.join()
        assert sorted(s for s, _, _ in runaways) == [503, 503]
        assert any("memory" in b for _, _, b in runaways) and any("limit" in b for _, _, b in runaways)
        assert len(answers) == 1000
        wrong = [(i, s, b) for i, s, b in answers
                 if s != 200 or [r["o"]["value"] for r in json.loads(b)["results"]["bindings"]] != [str(i)]]
        assert wrong == []
        latencies.sort()
        p99 = latencies[int(0.99 * len(latencies)) - 1]
        growth = peak[0] - before
        with capsys.disabled():
            print(f"\nload: 1000 queries + 2 runaways in {elapsed:.1f} s; p50 {latencies[500] * 1000:.0f} ms, "
                  f"p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; memory {before:.0f} MB before, "
                  f"peak growth {growth:.0f} MB (server and workers, PSS)")
        assert growth < 1500
        assert elapsed < 60
    finally:
        server.shutdown()
        server.server_close()


def test_issue_11_page_runs_a_named_query_with_its_parameters(base, store, tmp_path):
    """In headless Chromium (network blocked but loopback): pick `provenance`, fill in the entity, run: only its rows."""
    import shutil
    import time

    from govkg.query import run_query

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium and chromedriver from Debian are needed: bash scripts/setup-browser.sh")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--proxy-server=127.0.0.1:9",
                f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)

    def rows_shown():
        deadline = time.time() + 20
        while time.time() < deadline:
            status = driver.find_element(By.ID, "status").text
            if status and status != "running…":
                return status, len(driver.find_elements(By.CSS_SELECTOR, "#out tr")) - 1
            time.sleep(0.1)
        raise AssertionError("no answer on the page")

    try:
        driver.get(f"{base}/")
        driver.find_element(By.CSS_SELECTOR, 'button.q[data-name="provenance"]').click()
        field = driver.find_element(By.CSS_SELECTOR, '#params-provenance input[name="entity"]')
        assert field.is_displayed() and field.get_attribute("required") is not None
        field.send_keys("北岭司法所")
        driver.find_element(By.CSS_SELECTOR, '#f button[type="submit"]').click()
        want = len(run_query(store, "provenance", {"entity": "北岭司法所"}).rows)
        assert rows_shown() == (f"{want} rows", want) and want > 0
        # an edited text runs as plain SPARQL, without the form
        box = driver.find_element(By.ID, "query")
        box.clear()
        box.send_keys(DOCS)
        assert not field.is_displayed()
        driver.find_element(By.CSS_SELECTOR, '#f button[type="submit"]').click()
        assert rows_shown() == ("2 rows", 2)
    finally:
        driver.quit()
