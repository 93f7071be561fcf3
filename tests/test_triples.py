"""Tests for govkg.triples: Extraction → Dataset."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from govkg import iri as I
from govkg.errors import ExtractionError
from govkg.model import (
    Conferral,
    Document,
    Entity,
    Extraction,
    Mention,
    Metadata,
    Observation,
    PlanItem,
    Ranking,
    Relation,
    Section,
)
from govkg.triples import extraction_to_dataset
from govkg.vocab import GK, ITSRDF, NIF, ORG, REFERENCE_GRAPH, SCHEMA

TEXT = (
    "深圳市大鹏新区政法办公室2020年工作总结\n"
    "一、工作成效\n"
    "葵涌街道溪涌社区获评2020年省“民主法治示范社区”。"
    "葵涌司法所被授予“全国公共法律服务工作先进集体”。"
    "全年走访房屋557966间次，收到锦旗80余份，政法工作满意度全市排名第1。\n"
    "二、2021年工作思路\n"
    "一是以坝光、鹏城等社区为试点，推进《中华人民共和国民法典》宣传。\n"
)
DOC_ID = "11440300MB2C1719XA/2021-00058"


def mention(text: str, quote: str, nth: int = 0, *, doc_id: str = DOC_ID, **kw: object) -> Mention:
    """The ``nth`` occurrence of ``quote`` in ``text`` as a Mention."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Mention(doc_id, start, start + len(quote), quote, **kw)  # type: ignore[arg-type]


def make_extraction(text: str = TEXT, doc_id: str = DOC_ID, index: str | None = DOC_ID) -> Extraction:
    """A small hand-made extraction exercising every kind of node."""
    M = lambda q, n=0, **kw: mention(text, q, n, doc_id=doc_id, **kw)  # noqa: E731
    plan_at = text.index("二、")
    item_at = text.index("一是")
    sections = (
        Section("section", text.index("一、"), plan_at, ordinal=1, heading="工作成效", part="summary", year=2020),
        Section("section", plan_at, len(text), ordinal=2, heading="2021年工作思路", part="plan", year=2021),
        Section("item", item_at, len(text), ordinal=1, part="plan", year=2021),
    )
    doc = Document(
        id=doc_id,
        text=text,
        source="report.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        metadata=Metadata(
            index_number=index,
            title="深圳市大鹏新区政法办公室2020年工作总结",
            publisher="深圳市大鹏新区政法办公室",
            created=dt.date(2021, 6, 21),
            issued=dt.date(2021, 6, 22),
            keywords=("工作总结",),
            uscc="11440300MB2C1719XA",
        ),
        sections=sections,
    )
    ents = [
        Entity("City:/深圳市", "City", "深圳市", attrs={"code": "440300", "level": "municipal", "source": "GB/T 2260"},
               mentions=[M("深圳市")]),
        Entity("District:深圳市/大鹏新区", "District", "大鹏新区", parent="City:/深圳市",
               attrs={"level": "functional-area", "name_en": "Dapeng New District"}, mentions=[M("大鹏新区")]),
        Entity("Subdistrict:大鹏新区/葵涌街道", "Subdistrict", "葵涌街道", parent="District:深圳市/大鹏新区",
               aliases={"葵涌办事处"}, attrs={"code": "440307009", "name_en": "Kuichong Subdistrict",
                                          "source": "NBS 统计用区划代码 2023", "level": "subdistrict"},
               mentions=[M("葵涌街道")]),
        Entity("Community:葵涌街道/溪涌社区", "Community", "溪涌社区", parent="Subdistrict:大鹏新区/葵涌街道",
               mentions=[M("溪涌社区")]),
        Entity("Community:葵涌街道/坝光社区", "Community", "坝光社区", parent="Subdistrict:大鹏新区/葵涌街道",
               mentions=[M("坝光", resolution="alias")]),
        Entity("PublicOrganisation:/政法办", "PublicOrganisation", "深圳市大鹏新区政法办公室",
               attrs={"uscc": "11440300MB2C1719XA"}, mentions=[M("深圳市大鹏新区政法办公室")]),
        Entity("PublicOrganisation:葵涌街道/葵涌司法所", "PublicOrganisation", "葵涌司法所",
               parent="Subdistrict:大鹏新区/葵涌街道", attrs={"kind": "judicial-office"}, mentions=[M("葵涌司法所")]),
        Entity("Honour:/示范社区", "Honour", "民主法治示范社区", mentions=[M("民主法治示范社区")]),
        Entity("Honour:/先进集体", "Honour", "全国公共法律服务工作先进集体", attrs={"level": "national"},
               mentions=[M("全国公共法律服务工作先进集体")]),
        Entity("Initiative:/试点", "Initiative", "社区试点", attrs={"kind": "pilot"}, mentions=[M("试点")]),
        Entity("NormativeDocument:/民法典", "NormativeDocument", "中华人民共和国民法典",
               mentions=[M("中华人民共和国民法典")]),
    ]
    entities = {e.key: e for e in ents}
    return Extraction(
        document=doc,
        entities=entities,
        relations=[
            Relation("Community:葵涌街道/溪涌社区", "withinArea", "Subdistrict:大鹏新区/葵涌街道",
                     mentions=[M("葵涌街道溪涌社区")]),
            Relation("Initiative:/试点", "pilotArea", "Community:葵涌街道/坝光社区",
                     mentions=[M("以坝光、鹏城等社区为试点")], open_list=True),
            Relation("PublicOrganisation:葵涌街道/葵涌司法所", "subOrganizationOf", "PublicOrganisation:/政法办",
                     mentions=[M("葵涌司法所")]),
        ],
        conferrals=[
            Conferral("Community:葵涌街道/溪涌社区", "Honour:/示范社区", "provincial", 2020,
                      mentions=[M("葵涌街道溪涌社区获评2020年省“民主法治示范社区”")]),
            Conferral("PublicOrganisation:葵涌街道/葵涌司法所", "Honour:/先进集体", "national", 2020,
                      mentions=[M("葵涌司法所被授予“全国公共法律服务工作先进集体”")]),
        ],
        observations=[
            Observation(Decimal("557966"), "间次", "557966间次", counts="走访房屋",
                        about="District:深圳市/大鹏新区", mentions=[M("走访房屋557966间次")]),
            Observation(Decimal("80"), "份", "80余份", qualifier="more-than", counts="锦旗",
                        mentions=[M("80余份")], period=2020),
        ],
        rankings=[
            Ranking("rank", "全市", "City:/深圳市", rank=1, indicator="政法工作满意度",
                    about="District:深圳市/大鹏新区", mentions=[M("政法工作满意度全市排名第1")]),
        ],
        plan_items=[
            PlanItem(1, item_at, len(text) - 1, "以坝光、鹏城等社区为试点", 2021,
                     references=["NormativeDocument:/民法典"], initiatives=["Initiative:/试点"],
                     mentions=[M("以坝光、鹏城等社区为试点")]),
        ],
    )


@pytest.fixture()
def ds():
    return extraction_to_dataset([make_extraction()])


def _graph(ds, ex=None):
    ex = ex or make_extraction()
    return ds.graph(I.graph_iri(I.document_iri(ex.document)))


def test_named_graphs_and_document(ds):
    ex = make_extraction()
    d = I.document_iri(ex.document)
    assert str(d) == "https://w3id.org/govkg/id/doc/11440300MB2C1719XA/2021-00058/" + ex.document.sha256[:12]
    g = _graph(ds)
    assert (d, RDF.type, GK.Document) in g
    assert g.value(d, DCTERMS.created) == Literal("2021-06-21", datatype=XSD.date)
    assert g.value(d, GK.indexNumber) == Literal(DOC_ID)
    assert g.value(d, DCTERMS.publisher) == I.ID["org/uscc/11440300MB2C1719XA"]
    assert Literal("工作总结", lang="zh") in set(g.objects(d, DCTERMS.subject))
    assert set(g.objects(d, DCTERMS.temporal)) == {I.period_iri(2020), I.period_iri(2021)}
    ctx = I.text_iri(d)
    assert g.value(ctx, NIF.isString) == Literal(TEXT)
    assert g.value(ctx, DCTERMS.isFormatOf) == d
    idents = {str(x.identifier) for x in ds.graphs() if len(x)}
    assert idents == {f"{d}/graph", str(REFERENCE_GRAPH)}


def test_no_blank_nodes(ds):
    for s, p, o, _g in ds.quads((None, None, None, None)):
        assert isinstance(s, URIRef) and isinstance(p, URIRef)
        assert isinstance(o, (URIRef, Literal))


def test_entity_triples_and_evidence(ds):
    g = _graph(ds)
    org = I.ID["org/440300/da-peng-xin-qu/kui-chong-jie-dao/si-fa-suo"]
    assert (org, RDF.type, GK.PublicOrganisation) in g
    assert g.value(org, SKOS.prefLabel) == Literal("葵涌司法所", lang="zh")
    ev = list(g.objects(org, GK.evidence))
    assert len(ev) == 1
    start = TEXT.index("葵涌司法所")
    assert ev[0] == URIRef(f"{I.document_iri(make_extraction().document)}/text#char={start},{start + 5}")
    assert g.value(ev[0], NIF.anchorOf) == Literal("葵涌司法所")
    assert g.value(ev[0], NIF.beginIndex) == Literal(start, datatype=XSD.nonNegativeInteger)
    assert (ev[0], ITSRDF.taIdentRef, org) in g
    assert g.value(ev[0], GK.resolution) == URIRef("https://w3id.org/govkg/concept/resolution/exact-name")


def test_reference_attrs_go_to_reference_graph(ds):
    ref = ds.graph(REFERENCE_GRAPH)
    g = _graph(ds)
    sub = I.ID["area/440300/da-peng-xin-qu/kui-chong-jie-dao"]
    assert ref.value(sub, GK.divisionCode) == Literal("440307009")
    assert ref.value(sub, DCTERMS.source) == Literal("NBS 统计用区划代码 2023")
    assert (sub, GK.withinArea, I.ID["area/440300/da-peng-xin-qu"]) in ref
    assert Literal("Kuichong Subdistrict", lang="en") in set(ref.objects(sub, SKOS.prefLabel))
    assert g.value(sub, GK.divisionCode) is None
    assert (sub, SKOS.altLabel, Literal("葵涌办事处", lang="zh")) in g
    # no source: attributes stay with the document
    dp = I.ID["area/440300/da-peng-xin-qu"]
    assert Literal("Dapeng New District", lang="en") in set(g.objects(dp, SKOS.prefLabel))


def test_relation_direct_and_reified(ds):
    g = _graph(ds)
    s = I.ID["area/440300/da-peng-xin-qu/kui-chong-jie-dao/xi-chong-she-qu"]
    o = I.ID["area/440300/da-peng-xin-qu/kui-chong-jie-dao"]
    assert (s, GK.withinArea, o) in g
    st = I.statement_iri(I.document_iri(make_extraction().document), s, GK.withinArea, o)
    assert (st, RDF.type, GK.Statement) in g
    assert g.value(st, RDF.subject) == s and g.value(st, RDF.object) == o
    assert g.value(st, GK.evidence) is not None
    org = I.ID["org/440300/da-peng-xin-qu/kui-chong-jie-dao/si-fa-suo"]
    assert (org, ORG.subOrganizationOf, I.ID["org/uscc/11440300MB2C1719XA"]) in g
    pilots = [x for x in g.subjects(RDF.predicate, GK.pilotArea)]
    assert g.value(pilots[0], GK.openList) == Literal(True)


def test_conferral_observation_ranking_plan(ds):
    g = _graph(ds)
    confs = sorted(g.subjects(RDF.type, GK.AwardConferral))
    key = I.doc_path(I.document_iri(make_extraction().document))
    assert len(confs) == 2 and all(f"/conferral/{key}/" in c for c in confs)
    # the level is stated by the conferral, never on the honour (which many reports share)
    levels = {str(g.value(c, GK.honour)).rsplit("/", 1)[-1]: g.value(c, GK.honourLevel) for c in confs}
    assert sorted(str(v).rsplit("/", 1)[-1] for v in levels.values()) == ["national", "provincial"]
    assert not list(ds.quads((None, GK.honourLevel, None, None))) or all(
        (h, RDF.type, GK.AwardConferral) in g for h, _p, _o, _g in ds.quads((None, GK.honourLevel, None, None))
    )
    for c in confs:
        assert g.value(c, GK.refPeriod) == I.period_iri(2020)
        assert g.value(c, GK.statedIn) == I.document_iri(make_extraction().document)
    obs = {str(g.value(o, GK.valueAsStated)): o for o in g.subjects(RDF.type, GK.Observation)}
    o = obs["557966间次"]
    assert g.value(o, SCHEMA.value) == Literal("557966.0", datatype=XSD.decimal)
    assert g.value(o, GK.refPeriod) == I.period_iri(2020)  # from the section year
    assert g.value(o, GK.cumulative) == Literal(False)
    assert g.value(obs["80余份"], SCHEMA.minValue) == Literal("80.0", datatype=XSD.decimal)
    start = TEXT.index("走访房屋")
    assert str(o).endswith(f"/obs/{key}/{start}-{start + len('走访房屋557966间次')}")
    (r,) = g.subjects(RDF.type, GK.Ranking)
    assert g.value(r, GK.rank) == Literal(1, datatype=XSD.positiveInteger)
    assert g.value(r, GK.rankScope) == I.ID["area/440300"]
    (p,) = g.subjects(RDF.type, GK.PlanItem)
    assert str(p).endswith(f"/plan/{key}/1")
    assert g.value(p, DCTERMS.temporal) == I.period_iri(2021)
    assert g.value(p, DCTERMS.references) is not None
    assert len(list(g.objects(p, GK.evidence))) == 2


def test_same_entity_same_iri_across_documents():
    a = make_extraction()
    text_b = "报告二\n" + TEXT
    b = make_extraction(text=text_b, doc_id="doc-b", index="11440300MB2C1719XA/2022-00001")
    ds = extraction_to_dataset([a, b])
    ga, gb = _graph(ds, a), _graph(ds, b)
    org = I.ID["org/440300/da-peng-xin-qu/kui-chong-jie-dao/si-fa-suo"]
    assert (org, RDF.type, GK.PublicOrganisation) in ga and (org, RDF.type, GK.PublicOrganisation) in gb
    ev_b = {str(x) for x in gb.objects(org, GK.evidence)}
    assert ev_b and all("/2022-00001/" in x and "/text#char=" in x for x in ev_b)


def test_bad_offsets_raise():
    ex = make_extraction()
    bad = Mention(DOC_ID, 0, 3, "葵涌街")  # right length, wrong characters
    ex.entities["Community:葵涌街道/溪涌社区"].mentions.append(bad)
    with pytest.raises(ExtractionError, match="does not match"):
        extraction_to_dataset([ex])


def test_unknown_key_and_value_raise():
    ex = make_extraction()
    ex.relations.append(Relation("nobody", "withinArea", "City:/深圳市"))
    with pytest.raises(ExtractionError, match="unknown entity key"):
        extraction_to_dataset([ex])
    ex = make_extraction()
    ex.observations[0].qualifier = "roughly"
    with pytest.raises(ExtractionError, match="qualifier"):
        extraction_to_dataset([ex])


def test_no_index_number_uses_sha256():
    ex = make_extraction(index=None)
    d = I.document_iri(ex.document)
    assert str(d).startswith("https://w3id.org/govkg/id/doc/sha256-")
    ds = extraction_to_dataset([ex])
    assert len(_graph(ds, ex)) > 50
