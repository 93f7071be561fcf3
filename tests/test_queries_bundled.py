"""Every named query on the bundled report's graph (graph/govkg.trig) returns the rows it must."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.query import list_queries, run_query
from govkg.store import open_store

GRAPH = Path(__file__).parent.parent / "graph" / "govkg.trig"


@pytest.fixture(scope="module")
def store():
    return open_store(GRAPH)


def rows(store, name, **params):
    r = run_query(store, name, params)
    return [{c: (None if v is None else str(v)) for c, v in zip(r.columns, row)} for row in r.rows]


def test_at_least_twelve_named_queries_each_with_a_question_in_both_languages():
    qs = list_queries()
    assert len(qs) >= 12
    assert all(q.zh and q.en for q in qs)


def test_organisations_and_what_they_belong_to(store):
    got = {(r["name"], r["relation"], r["targetName"]) for r in rows(store, "organisations")}
    assert ("葵涌司法所", "jurisdiction", "葵涌街道") in got
    assert ("大鹏办事处法律援助工作站", "subOrganizationOf", "大鹏办事处") in got


def test_communities_by_subdistrict(store):
    got = {(r["subdistrictName"], r["communityName"]) for r in rows(store, "communities-by-subdistrict")}
    assert {("葵涌街道", "溪涌社区"), ("大鹏街道", "水头社区"), ("大鹏街道", "鹏城社区")} <= got


def test_honours_by_level_and_year_with_recipients(store):
    national = {(r["recipientName"], r["honourName"], r["honourYear"]) for r in rows(store, "honours", level="national")}
    assert national == {("葵涌司法所", "全国公共法律服务工作先进集体", "2020"), ("张浩", "全国法律援助先进个人", "2020")}
    provincial = {r["recipientName"] for r in rows(store, "honours", level="provincial")}
    assert provincial == {"溪涌社区", "水头社区"}


def test_programmes_with_pilot_and_site_communities(store):
    got = {(r["initiativeName"], r["role"], r["areaName"]) for r in rows(store, "programme-areas")}
    assert {("一核同心圆", "pilot", n) for n in ("坝光社区", "鹏城社区", "下沙社区", "新大社区")} <= got
    assert any(name == "社区平安服务驿站" and role == "site" and area == "三溪社区" for name, role, area in got)


def test_indicators_with_unit_and_qualifier(store):
    found = rows(store, "indicators")
    assert len(found) == 23
    got = {(r["asStated"], r["value"], r["unit"], r["qualifier"]) for r in found}
    assert ("1.2万份", "12000", "份", "rounded") in got
    assert ("约300栋", "300", "栋", "approx") in got
    assert ("80余份", "80", "份", "more-than") in got


def test_rankings(store):
    got = {(r["kind"], r["rank"], r["scopeName"], r["quote"]) for r in rows(store, "rankings")}
    assert ("rank", "1", "深圳市", "全市排名第1") in got
    assert ("top", "3", "深圳市", "8项指标有7项排在全市前三") in got
    assert ("only", None, "广东省", "全省唯一") in got


def test_plan_items_and_what_they_reference(store):
    got = rows(store, "plan-items")
    positions = {int(r["position"]) for r in got}
    assert positions == set(range(1, 8))
    assert any(r["position"] == "1" and r["targetName"] == "中国共产党政法工作条例" for r in got)


def test_provenance_gives_the_source_sentence(store):
    got = rows(store, "provenance", entity="葵涌司法所")
    assert got
    text = " ".join(" ".join(v for v in r.values() if v) for r in got)
    assert "葵涌司法所被授予" in text


def test_entities_in_both_summary_and_plan(store):
    got = {r["name"] for r in rows(store, "summary-and-plan")}
    assert "扫黑除恶专项斗争" in got


def test_everything_about_one_entity(store):
    got = rows(store, "entity", entity="张浩")
    assert got and any("大鹏办事处法律援助工作站" in (v or "") for r in got for v in r.values())


def test_counts_by_type_per_document(store):
    got = {r["type"]: int(r["count"]) for r in rows(store, "counts-by-type")}
    assert got["Community"] == 10 and got["AwardConferral"] == 6 and got["PlanItem"] == 7


@pytest.mark.parametrize("name", [q.name for q in list_queries() if not any(p.required for p in q.params)])
def test_oxigraph_and_rdflib_agree_on_the_bundled_graph(name, store):
    a = run_query(store, name)
    b = run_query(GRAPH, name, engine="rdflib")
    assert a.columns == b.columns
    assert _norm(a) == _norm(b)


def _norm(result):
    """Rows as comparable strings; numbers by value (Oxigraph writes 12000.0 as 12000)."""

    def value(v):
        if v is None:
            return ""
        py = v.toPython() if hasattr(v, "toPython") else v
        if isinstance(py, (int, float)) or type(py).__name__ == "Decimal":
            return repr(float(py))
        return str(v)

    return sorted(tuple(value(v) for v in row) for row in result.rows)
