"""Tests for govkg.nxgraph: the node/edge attribute contract and GraphML output."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from govkg import iri as I
from govkg.nxgraph import sentence_around, to_networkx, write_graphml
from govkg.triples import extraction_to_dataset
from test_triples import TEXT, make_extraction

ORG = str(I.ID["org/440300/da-peng-xin-qu/kui-chong-jie-dao/si-fa-suo"])


@pytest.fixture(scope="module")
def G():
    return to_networkx(extraction_to_dataset([make_extraction()]))


def test_nodes_and_types(G):
    types = {a["type"] for _, a in G.nodes(data=True)}
    assert {"City", "Community", "PublicOrganisation", "AwardConferral", "Observation", "Ranking", "PlanItem"} <= types
    assert not any("/text#char=" in n or "/stmt/" in n or "/period/" in n for n in G)
    assert list(G.nodes) == sorted(G.nodes)
    for _, a in G.nodes(data=True):
        assert set(a) == {"type", "label", "label_en", "facts", "mentions", "documents", "years"}
        assert isinstance(a["label"], str) and a["label"]
        assert all(isinstance(f, list) and len(f) == 2 for f in a["facts"])


def test_entity_node_contract(G):
    a = G.nodes[ORG]
    assert a["type"] == "PublicOrganisation" and a["label"] == "葵涌司法所" and a["label_en"] == ""
    doc = str(I.document_iri(make_extraction().document))
    assert a["documents"] == [doc]
    assert a["years"] == [2020, 2021]  # document years
    (m,) = a["mentions"]
    start = TEXT.index("葵涌司法所")
    assert m == {
        "doc": doc,
        "doc_title": "深圳市大鹏新区政法办公室2020年工作总结",
        "start": start,
        "end": start + 5,
        "quote": "葵涌司法所",
        "sentence": "葵涌司法所被授予“全国公共法律服务工作先进集体”。",
        "sentence_start": start,
    }
    assert TEXT[m["sentence_start"] : m["sentence_start"] + len(m["sentence"])] == m["sentence"]
    sub = G.nodes[str(I.ID["area/440300/da-peng-xin-qu/kui-chong-jie-dao"])]
    assert sub["label_en"] == "Kuichong Subdistrict"
    assert ["division code", "440307009"] in sub["facts"]


def test_fact_node_labels_and_facts(G):
    obs = [a for _, a in G.nodes(data=True) if a["type"] == "Observation"]
    o = next(a for a in obs if a["label"] == "557966间次")
    assert ["value", "557966"] in o["facts"] and ["unit", "间次"] in o["facts"]
    assert ["value qualifier", "exact"] in o["facts"] and ["reference period", "2020"] in o["facts"]
    assert o["years"] == [2020]
    conf = [a for _, a in G.nodes(data=True) if a["type"] == "AwardConferral"]
    assert "葵涌司法所 — 全国公共法律服务工作先进集体" in {a["label"] for a in conf}
    (plan,) = [a for _, a in G.nodes(data=True) if a["type"] == "PlanItem"]
    assert plan["years"] == [2021] and ["action status", "planned"] in plan["facts"]


def test_edges(G):
    keys = {(k, d["label"]) for _, _, k, d in G.edges(keys=True, data=True)}
    assert ("withinArea", "within area") in keys
    assert ("subOrganizationOf", "sub-organisation of") in keys
    assert ("recipient", "recipient") in keys
    u, v, k, d = next((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if k == "subOrganizationOf")
    assert u == ORG and d["predicate"] == "http://www.w3.org/ns/org#subOrganizationOf"


def test_deterministic_and_same_for_file_roundtrip(G, tmp_path):
    from govkg.rdfio import load, serialize

    p = serialize(extraction_to_dataset([make_extraction()]), tmp_path / "g.trig")
    H = to_networkx(load(p))
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))


def test_sentence_around():
    assert sentence_around("甲。乙丙丁。戊", 2, 4) == ("乙丙丁。", 2)
    assert sentence_around("甲\n  乙丙\n戊", 4, 5) == ("乙丙", 4)
    assert sentence_around("甲乙。", 0, 3) == ("甲乙。", 0)  # a span ending on the terminator
    assert sentence_around("无标点", 1, 2) == ("无标点", 0)


def test_write_graphml(G, tmp_path):
    path = write_graphml(G, tmp_path / "g.graphml")
    H = nx.read_graphml(path, force_multigraph=True)
    a = H.nodes[ORG]
    assert a["label"] == "葵涌司法所"
    assert json.loads(a["mentions"])[0]["quote"] == "葵涌司法所"
    assert H.number_of_edges() == G.number_of_edges()
    assert path.read_bytes() == write_graphml(G, tmp_path / "g2.graphml").read_bytes()


def test_sentences_index_equals_the_plain_search():
    """Sentences.around (a bisection over the ends found once) gives what a search from each span gives."""
    import random

    from govkg.nxgraph import SENTENCE_END, Sentences

    def plain(text, start, end):
        s = max((text.rfind(c, 0, start) for c in SENTENCE_END), default=-1) + 1
        ends = [i for i in (text.find(c, max(start, end - 1)) for c in SENTENCE_END) if i != -1]
        e = (min(ends) + 1) if ends else len(text)
        while s < start and text[s].isspace():
            s += 1
        while e > end and text[e - 1].isspace():
            e -= 1
        return text[s:e], s

    r = random.Random(7)
    for _ in range(20000):
        text = "".join(r.choice("甲乙 。！？；\nx") for _ in range(r.randint(0, 14)))
        a = r.randint(0, len(text))
        b = r.randint(a, len(text))
        assert Sentences(text).around(a, b) == plain(text, a, b), (text, a, b)
