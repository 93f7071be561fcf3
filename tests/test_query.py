"""Tests for govkg.query: named queries, safe parameters, both engines, formats and DataFrames."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from govkg.errors import QueryError
from govkg.query import (
    PARAM_KINDS,
    QuerySyntaxError,
    Result,
    bind_values,
    format_result,
    is_update,
    list_queries,
    load_query,
    query,
    run_query,
    to_term,
)
from govkg.rdfio import load
from govkg.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "query" / "small.trig"
ID = "https://w3id.org/govkg/id/"

def _fixture_doc_iris() -> tuple[str, str]:
    """The two documents of the fixture, keyed by 索引号 and content as govkg.iri mints them."""
    from govkg.iri import document_iri

    spec = importlib.util.spec_from_file_location("build_fixture", FIXTURE.with_name("build_fixture.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return str(document_iri(mod.extraction_a().document)), str(document_iri(mod.extraction_b().document))


DOC_A, DOC_B = _fixture_doc_iris()
assert DOC_A.startswith(ID + "doc/TESTUSCC000000001X/2021-00001/") and DOC_B.startswith(ID + "doc/TESTUSCC000000001X/2022-00002/")
EVIL = 'x" } ; DELETE WHERE { ?s ?p ?o } #'
ENGINES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module")
def ds():
    return load(FIXTURE)


@pytest.fixture(scope="module")
def store():
    return open_store(FIXTURE)


def src(engine, store, ds):
    return store if engine == "oxigraph" else ds


def _norm(t):
    """Engine-neutral key: Oxigraph canonicalises numeric literals (12345.0 → 12345, nonNegativeInteger → integer)."""
    if isinstance(t, Literal) and t.datatype is not None and str(t.datatype).startswith(str(XSD)):
        try:
            return ("num", Decimal(str(t))) if t.datatype != XSD.date and t.datatype != XSD.gYear else t.n3()
        except ArithmeticError:
            return t.n3()
    return None if t is None else t.n3()


def _rows(result: Result) -> list[tuple]:
    return sorted((tuple(_norm(t) for t in r) for r in result.rows), key=repr)


def _col(result: Result, name: str) -> list:
    i = result.columns.index(name)
    return [None if r[i] is None else str(r[i]) for r in result.rows]


def _dicts(result: Result) -> list[dict]:
    return [{c: (None if t is None else str(t)) for c, t in zip(result.columns, r)} for r in result.rows]


# ------------------------------------------------------------------ the named queries themselves

REQUIRED = {"provenance": {"entity": "北岭司法所"}, "entity": {"entity": "南湾社区"}}


def test_named_queries_have_questions_and_valid_params():
    qs = list_queries()
    assert len(qs) >= 12
    names = {q.name for q in qs}
    assert {
        "organisations", "communities-by-subdistrict", "honours", "programme-areas", "indicators", "rankings",
        "plan-items", "provenance", "summary-and-plan", "entity", "counts-by-type",
    } <= names
    for q in qs:
        assert re.search(r"[\u4e00-\u9fff]", q.zh), q.name
        assert q.en and q.en.isascii() is False or q.en, q.name
        for p in q.params:
            assert p.kind in PARAM_KINDS and p.description
            # a parameter is bound by VALUES at the top of WHERE, so it must never be a BIND target
            assert not re.search(rf"AS\s+\?{p.name}\b", q.text), (q.name, p.name)
        assert (q.name in REQUIRED) == any(p.required for p in q.params)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_named_query_same_rows_on_oxigraph_and_rdflib(name, store, ds):
    params = REQUIRED.get(name, {})
    a = run_query(store, name, params)
    b = run_query(ds, name, params, engine="rdflib")
    assert a.columns == b.columns
    assert a.rows, f"{name} returned nothing on the fixture"
    assert _rows(a) == _rows(b)


@pytest.mark.parametrize(
    "name,params",
    [
        ("honours", {"level": "national"}),
        ("honours", {"year": 2021}),
        ("honours", {"level": "provincial", "year": "2020"}),
        ("communities-by-subdistrict", {"subdistrict": "北岭街道"}),
        ("indicators", {"about": "东岭新区政法办公室"}),
        ("plan-items", {"year": 2021}),
        ("programme-areas", {"initiative": "一核同心圆"}),
        ("organisations", {"organisation": "北岭司法所"}),
        ("summary-and-plan", {"type": "Community"}),
        ("provenance", {"entity": ID + "org/990100/dong-ling-xin-qu/bei-ling-jie-dao/si-fa-suo"}),
        ("entity", {"entity": "id:area/990100/dong-ling-xin-qu/dong-ling-jie-dao/nan-wan-she-qu"}),
    ],
)
def test_parameterised_queries_agree(name, params, store, ds):
    a = run_query(store, name, params)
    b = run_query(ds, name, params, engine="rdflib")
    assert a.rows
    assert _rows(a) == _rows(b)


def test_organisations(store):
    rows = _dicts(run_query(store, "organisations"))
    rel = {(r["name"], r["relation"], r["targetName"]) for r in rows}
    assert ("北岭司法所", "subOrganizationOf", "东岭新区政法办公室") in rel
    assert ("北岭司法所", "jurisdiction", "北岭街道") in rel
    assert ("东岭新区政法办公室", "memberOf", "平安东岭建设领导小组") in rel
    assert ("平安东岭建设领导小组", None, None) in rel
    one = _dicts(run_query(store, "organisations", {"organisation": "北岭司法所"}))
    assert {r["name"] for r in one} == {"北岭司法所"}


def test_communities_by_subdistrict(store):
    rows = {(r["subdistrictName"], r["communityName"], r["reports"]) for r in _dicts(run_query(store, "communities-by-subdistrict"))}
    assert rows == {("东岭街道", "南湾社区", "2"), ("东岭街道", "石桥社区", "1"), ("北岭街道", "河口社区", "0")}
    only = _dicts(run_query(store, "communities-by-subdistrict", {"subdistrict": "北岭街道"}))
    assert [r["communityName"] for r in only] == ["河口社区"]


def test_honours_by_level_and_year(store):
    rows = {(r["honourLevel"], r["honourYear"], r["honourName"], r["recipientName"], r["recipientType"])
            for r in _dicts(run_query(store, "honours"))}
    assert rows == {
        ("national", "2021", "全国民主法治示范社区", "南湾社区", "Community"),
        ("national", "2020", "全国公共法律服务工作先进集体", "北岭司法所", "PublicOrganisation"),
        ("national", "2020", "全国法律援助先进个人", "李明", "Person"),
        ("provincial", "2020", "民主法治示范社区", "南湾社区", "Community"),
    }
    assert len(run_query(store, "honours", {"level": "national"})) == 3
    assert _col(run_query(store, "honours", {"year": 2021}), "recipientName") == ["南湾社区"]
    assert _col(run_query(store, "honours", {"level": "provincial"}), "document") == [DOC_A]


def test_programme_pilot_areas(store):
    rows = _dicts(run_query(store, "programme-areas"))
    assert {(r["initiativeName"], r["role"], r["areaName"], r["openList"]) for r in rows} == {
        ("一核同心圆", "pilot", "南湾社区", "true"),
        ("一核同心圆", "pilot", "石桥社区", "true"),
    }


def test_indicators_with_unit_and_qualifier(store):
    rows = {(r["indicatorName"], r["value"], r["unit"], r["qualifier"], r["year"], r["subjectName"])
            for r in _dicts(run_query(store, "indicators"))}
    assert rows == {
        ("走访房屋", "12345", "间次", "exact", "2020", "东岭新区"),
        ("走访房屋", "20000", "间次", "approx", "2021", "东岭新区"),
        ("锦旗", "80", "份", "more-than", "2020", "东岭新区政法办公室"),
    }
    assert _col(run_query(store, "indicators", {"about": "东岭新区政法办公室"}), "asStated") == ["80余份"]


def test_rankings(store):
    (r,) = _dicts(run_query(store, "rankings"))
    assert (r["kind"], r["rank"], r["indicatorName"], r["scopeAsStated"], r["scopeName"], r["aboutName"]) == (
        "rank", "1", "政法工作满意度", "全市", "海州市", "东岭新区")
    assert r["quote"] == "政法工作满意度全市排名第1"


def test_plan_items_and_references(store):
    rows = {(r["position"], r["relation"], r["targetName"]) for r in _dicts(run_query(store, "plan-items"))}
    assert rows == {("1", "initiative", "一核同心圆"), ("1", "references", "中国共产党政法工作条例"), ("2", None, None)}
    assert len(run_query(store, "plan-items", {"year": 2022})) == 0


def test_provenance_returns_source_sentences(store, ds):
    res = run_query(store, "provenance", {"entity": "北岭司法所"})
    rows = _dicts(res)
    conf = [r for r in rows if r["factType"] == "AwardConferral"]
    assert len(conf) == 1 and conf[0]["role"] == "recipient"
    assert conf[0]["sentence"] == "北岭司法所被授予“全国公共法律服务工作先进集体”。"
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    text_a = run_query(store, f"SELECT ?t WHERE {{ <{DOC_A}/text> <{nif}isString> ?t }}").rows[0][0]
    for r in rows:
        assert str(text_a)[int(r["begin"]):int(r["end"])] == r["quote"]
        assert r["quote"] in r["sentence"] and r["sentence"] in str(text_a)
    assert {r["sentence"] for r in rows if r["factType"] == "PublicOrganisation"} >= {"二是支持北岭司法所和南湾社区开展调解。"}
    by_iri = run_query(store, "provenance", {"entity": conf[0]["fact"]})
    assert {r["quote"] for r in _dicts(by_iri)} == {"北岭司法所被授予“全国公共法律服务工作先进集体”"}


def test_entities_in_summary_and_plan(store):
    rows = _dicts(run_query(store, "summary-and-plan"))
    assert {r["name"] for r in rows} == {"南湾社区", "北岭司法所", "一核同心圆"}
    assert all(r["document"] == DOC_A for r in rows)
    assert _col(run_query(store, "summary-and-plan", {"type": "Community"}), "name") == ["南湾社区"]


def test_everything_about_one_entity(store):
    rows = {(r["direction"], r["property"], r["valueLabel"] or r["value"])
            for r in _dicts(run_query(store, "entity", {"entity": "南湾社区"}))}
    assert ("out", "withinArea", "东岭街道") in rows
    assert ("in", "pilotArea", "一核同心圆") in rows
    assert ("in", "recipient", "全国民主法治示范社区") in rows
    assert ("out", "prefLabel", "南湾社区") in rows


def test_counts_by_type_per_document(store):
    counts = {(r["document"], r["type"]): int(r["count"]) for r in _dicts(run_query(store, "counts-by-type"))}
    assert counts[(DOC_A, "AwardConferral")] == 3
    assert counts[(DOC_B, "AwardConferral")] == 1
    assert counts[(DOC_A, "Observation")] == 2
    assert counts[(DOC_A, "Community")] == 2
    assert counts[(DOC_A, "PlanItem")] == 2
    assert (DOC_B, "PlanItem") not in counts


def test_documents_context_words_continuity(store):
    docs = _dicts(run_query(store, "documents"))
    assert [(d["document"], d["issued"], d["firstYear"], d["lastYear"]) for d in docs] == [
        (DOC_A, "2021-06-22", "2020", "2021"), (DOC_B, "2022-03-01", "2021", "2021")]
    (cw,) = _dicts(run_query(store, "context-words"))
    assert (cw["surface"], cw["targetName"], cw["mentions"]) == ("全市", "海州市", "1")
    (c,) = _dicts(run_query(store, "continuity"))
    assert (c["name"], c["resultYear"], c["planYear"]) == ("一核同心圆", "2020", "2021")


def test_queries_run_on_a_dataset_built_by_triples():
    spec = importlib.util.spec_from_file_location("build_fixture", FIXTURE.with_name("build_fixture.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    live = mod.build()
    fixed = open_store(FIXTURE)
    for q in list_queries():
        params = REQUIRED.get(q.name, {})
        assert len(run_query(live, q.name, params)) == len(run_query(fixed, q.name, params)), q.name


# ------------------------------------------------------------------ safe parameters


@pytest.mark.parametrize("engine", ENGINES)
def test_injection_attempt_stays_a_plain_literal(engine, store, ds):
    before = len(store), len(ds)
    res = run_query(src(engine, store, ds), "SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": EVIL}, engine=engine)
    assert res.rows == []
    res = run_query(src(engine, store, ds), "provenance", {"entity": EVIL}, engine=engine)
    assert res.rows == [] and "no entity is named" in res.notes[0]
    res = run_query(src(engine, store, ds), "honours", {"level": EVIL}, engine=engine)
    assert res.rows == []
    assert (len(store), len(ds)) == before


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "value",
    [EVIL, '"""', "'''", "a\\b", "\\u0022", "\\\\u0022x", "\\U0001F600", "行1\n行2\r\t", "# }", "?s", "<http://x>", "\x01"],
)
def test_parameter_values_round_trip_exactly(engine, value, store, ds):
    res = run_query(src(engine, store, ds), "SELECT ?v WHERE { }", {"v": Literal(value)}, engine=engine)
    assert res.rows == [(Literal(value),)]


@pytest.mark.parametrize("engine", ENGINES)
def test_typed_parameters_match_data(engine, store, ds):
    s = src(engine, store, ds)
    q = "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?d WHERE { ?d dct:issued ?issued }"
    import datetime as dt
    assert [r[0] for r in run_query(s, q, {"issued": dt.date(2022, 3, 1)}, engine=engine).rows] == [URIRef(DOC_B)]
    lang = run_query(s, "SELECT ?x WHERE { ?x ?p ?name }", {"name": Literal("南湾社区", lang="zh")}, engine=engine)
    assert len(lang) >= 1
    iri = run_query(s, "SELECT ?p WHERE { ?d ?p ?o }", {"d": f"<{DOC_B}>"}, engine=engine)
    assert len(iri) > 5


def test_bind_values_finds_the_top_level_where():
    q = (
        'PREFIX ex: <http://e/#x>\n# WHERE { not this one\n'
        'CONSTRUCT { ?s ex:p "}{" } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } FILTER(?o != \'\'\'{\'\'\') }'
    )
    out = bind_values(q, {"o": [Literal("v")]})
    assert out.index('VALUES ?o { "v" }') > out.index("} WHERE {")
    assert out.index('VALUES ?o') < out.index("SELECT ?s")
    assert bind_values("SELECT * { ?s ?p ?o }", {"s": [URIRef("http://e/a")]}).startswith(
        "SELECT * {\n  VALUES ?s { <http://e/a> }")
    assert bind_values("ASK WHERE { ?s ?p ?o }", {"s": []}).count("VALUES ?s {  }") == 1


def test_bind_values_rejects_what_cannot_be_bound():
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"bad name": [Literal("x")]})
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": [URIRef("http://e/a> } DELETE {")]})
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": [BNode()]})
    with pytest.raises(QueryError):
        bind_values("INSERT DATA { <a> <b> <c> }", {"s": [Literal("x")]})
    with pytest.raises(QueryError):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": [Literal("x")]})


def test_to_term_kinds():
    assert to_term("2020", "integer") == Literal(2020, datatype=XSD.integer)
    assert to_term("x", "string") == Literal("x")
    assert to_term("id:doc/a", "iri") == URIRef(ID + "doc/a")
    assert to_term("http://e/a") == URIRef("http://e/a")
    assert to_term("南湾社区") == Literal("南湾社区")
    assert to_term("foo:bar") == Literal("foo:bar")
    assert to_term(True) == Literal(True)
    assert to_term("2021-06-22", "date") == Literal("2021-06-22", datatype=XSD.date)
    for value, kind in [("abc", "integer"), ("not an iri", "iri"), ("2021-13-01", "date"), ("maybe", "boolean")]:
        with pytest.raises(QueryError):
            to_term(value, kind)


def test_unknown_and_missing_parameters(store):
    with pytest.raises(QueryError, match="has no parameter"):
        run_query(store, "honours", {"colour": "red"})
    with pytest.raises(QueryError, match="needs parameter"):
        run_query(store, "provenance")
    with pytest.raises(QueryError, match="unknown query"):
        load_query("no-such-query")
    with pytest.raises(QueryError, match="unknown engine"):
        run_query(store, "honours", engine="jena")


def test_load_query_from_file_and_text(tmp_path, store):
    f = tmp_path / "mine.rq"
    f.write_text("# zh: 几个？\n# en: How many?\n# param: p (iri) — a property\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n",
                 encoding="utf-8")
    nq = load_query(str(f))
    assert (nq.name, nq.zh, nq.en, nq.params[0].kind) == ("mine", "几个？", "How many?", "iri")
    n_all = int(run_query(store, str(f)).rows[0][0])
    n_label = int(run_query(store, str(f), {"p": "http://www.w3.org/2004/02/skos/core#prefLabel"}).rows[0][0])
    assert 0 < n_label < n_all
    assert load_query("SELECT * WHERE { ?s ?p ?o }").name == "<text>"


def test_syntax_errors_and_updates(store, ds):
    with pytest.raises(QuerySyntaxError):
        run_query(store, "SELECT ?s WHERE { ?s ")
    with pytest.raises(QuerySyntaxError):
        run_query(ds, "SELECT ?s WHERE { ?s ", engine="rdflib")
    assert is_update("DELETE WHERE { ?s ?p ?o }")
    assert not is_update("SELECT * WHERE { ?s ?p ?o }")


# ------------------------------------------------------------------ formats and DataFrames


def _display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def test_table_aligns_cjk_columns():
    res = Result(["名称", "n", "iri"], [
        (Literal("葵涌司法所"), Literal(3), URIRef(ID + "org/x")),
        (Literal("ab"), Literal(12345), URIRef("http://example.org/y")),
    ])
    lines = format_result(res).splitlines()
    assert lines[-1] == "(2 rows)"
    # the third column starts at the same display column on every line
    starts = {_display_width(line[: line.index(t)]) for line, t in zip(lines[2:4], ["id:org/x", "http://example.org/y"])}
    assert len(starts) == 1
    assert lines[2].split("  ")[0] == "葵涌司法所"
    ends = {_display_width(line[: line.index(n) + len(n)]) for line, n in zip(lines[2:4], ["3", "12345"])}
    assert len(ends) == 1  # numbers right-aligned


def test_csv_tsv_json_xml_formats(store):
    res = run_query(store, "honours", {"year": 2021})
    csv_text = format_result(res, "csv")
    assert csv_text.startswith("honourLevel,honourYear,honour,") and "\r\n" in csv_text
    assert "南湾社区" in csv_text
    tsv = format_result(res, "tsv").splitlines()
    assert tsv[0].startswith("?honourLevel\t?honourYear")
    assert f"<{DOC_B}>" in tsv[1]
    data = json.loads(format_result(res, "json"))
    assert data["head"]["vars"] == res.columns
    b = data["results"]["bindings"][0]
    assert b["document"] == {"type": "uri", "value": DOC_B}
    assert b["honourName"] == {"type": "literal", "value": "全国民主法治示范社区", "xml:lang": "zh"}
    assert b["honourYear"]["datatype"] == str(XSD.gYear)
    assert "<uri>" + DOC_B + "</uri>" in format_result(res, "xml")
    ask = run_query(store, "ASK { ?s ?p ?o }")
    assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": True}
    assert format_result(ask) == "true\n"
    with pytest.raises(QueryError):
        format_result(res, "yaml")


def test_construct_results(store):
    res = run_query(store, "PREFIX gk: <https://w3id.org/govkg/ontology#> CONSTRUCT { ?d a gk:Document } WHERE { ?d a gk:Document }")
    assert res.kind == "graph" and len(res) == 2
    assert len(res.graph()) == 2


def test_dataframe_column_types(store):
    docs = query(store, "documents")
    assert str(docs["issued"].dtype).startswith("datetime64")
    assert docs["issued"].iloc[0] == pd.Timestamp("2021-06-22")
    assert str(docs["firstYear"].dtype) == "Int64" and docs["firstYear"].iloc[0] == 2020
    assert docs["document"].iloc[0] == DOC_A
    ind = query(store, "indicators")
    assert ind["value"].dtype == "float64" and sorted(ind["value"]) == [80.0, 12345.0, 20000.0]
    pa = query(store, "programme-areas")
    assert str(pa["openList"].dtype) == "boolean"
    prov = query(store, "provenance", entity="北岭司法所")
    assert str(prov["begin"].dtype) == "Int64"
    assert query(store, "ASK { ?s ?p ?o }")["ASK"].tolist() == [True]
    assert query(load(FIXTURE), "counts-by-type").shape == query(store, "counts-by-type").shape


def test_cli_helpers():
    from govkg.query import describe_queries, parse_param_args

    assert parse_param_args(["year=2020", "e=a=b", "e=c"]) == {"year": "2020", "e": ["a=b", "c"]}
    with pytest.raises(QueryError):
        parse_param_args(["novalue"])
    text = describe_queries()
    assert "provenance\n" in text and "--param entity=… (entity, required)" in text
    assert all(q.zh in text and q.en in text for q in list_queries())


@pytest.mark.parametrize("engine", ENGINES)
def test_parameters_named_like_options_are_bound(engine, store, ds):
    """Parameters are one mapping, apart from the options: ``engine``, ``limit`` … are ordinary variables."""
    text = "SELECT ?engine ?limit ?source ?params WHERE { }"
    params = {"engine": "x", "limit": 2, "source": "s", "params": "p"}
    res = run_query(src(engine, store, ds), text, params, engine=engine, limit=5)
    assert res.rows == [(Literal("x"), Literal(2, datatype=XSD.integer), Literal("s"), Literal("p"))]
    df = query(src(engine, store, ds), text, engine="x", limit=2, source="s", params="p")
    assert df.to_dict("records") == [{"engine": "x", "limit": 2, "source": "s", "params": "p"}]
