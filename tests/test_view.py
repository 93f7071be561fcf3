"""The view model and the page: self-contained, deterministic, escaped."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from govkg.view import LAYOUT_THRESHOLD, render_html, view_model

EVIL = '<script>alert(1)</script>'
EVIL2 = '" onmouseover="alert(2)'


def small_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    sentence = "葵涌司法所被授予“全国公共法律服务工作先进集体”荣誉称号。"
    G.add_node("https://w3id.org/govkg/id/org/a", type="PublicOrganisation", label="葵涌司法所", label_en="Kuichong Judicial Office",
               facts=[["code", "x"]], mentions=[{"doc": "d", "doc_title": "报告", "start": 10, "end": 15, "quote": "葵涌司法所",
                                                 "sentence": sentence, "sentence_start": 10}], documents=["d"], years=[2020])
    G.add_node("https://w3id.org/govkg/id/honour/h", type="Honour", label="全国公共法律服务工作先进集体", label_en="", facts=[["level", "national"]],
               mentions=[], documents=["d"], years=[2020])
    G.add_node("https://w3id.org/govkg/id/org/evil", type="PublicOrganisation", label=EVIL + EVIL2, label_en="", facts=[["note", EVIL]],
               mentions=[{"doc": "d", "doc_title": EVIL, "start": 0, "end": 3, "quote": EVIL[:3], "sentence": EVIL, "sentence_start": 0}],
               documents=["d"], years=[2021])
    G.add_edge("https://w3id.org/govkg/id/org/a", "https://w3id.org/govkg/id/honour/h", key="recipient", label="recipient", predicate="p")
    return G


def payload(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="govkg-data">(.*?)</script>', page, re.DOTALL)
    assert m
    return json.loads(m.group(1))


def test_page_is_self_contained():
    page = render_html(small_graph())
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"""(?:@import|url\()\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert "vis.Network" in page and "Content-Security-Policy" in page


def test_document_strings_are_inert():
    page = render_html(small_graph())
    # the only <script> tags are the page's own three
    assert page.count("</script>") == 3  # the page's own three script elements, none from data
    assert EVIL not in page and 'onmouseover="alert' not in page
    data = payload(page)
    labels = {n["label"] for n in data["model"]["nodes"]}
    assert EVIL + EVIL2 in labels  # kept as data, decoded only by JSON.parse


def test_title_is_escaped():
    assert "<b>x</b>" not in render_html(small_graph(), title="<b>x</b>")


def test_deterministic():
    assert render_html(small_graph()) == render_html(small_graph())


def test_model_has_legend_documents_years_and_panel_data():
    m = view_model(small_graph())
    assert [x["type"] for x in m["legend"]] == ["Honour", "PublicOrganisation"]
    assert m["documents"] == ["d"] and m["years"] == [2020, 2021]
    node = next(n for n in m["nodes"] if n["label"] == "葵涌司法所")
    mention = node["mentions"][0]
    assert mention["sentence"][mention["start"] - mention["sentence_start"] : mention["end"] - mention["sentence_start"]] == mention["quote"]
    assert m["physics"] is True


def test_focus_keeps_a_neighbourhood():
    m = view_model(small_graph(), focus="葵涌司法所", depth=1)
    assert {n["label"] for n in m["nodes"]} == {"葵涌司法所", "全国公共法律服务工作先进集体"}
    with pytest.raises(ValueError, match="no node"):
        view_model(small_graph(), focus="不存在")


def test_large_graphs_are_laid_out_in_advance():
    G = nx.MultiDiGraph()
    for i in range(LAYOUT_THRESHOLD + 50):
        G.add_node(f"n{i}", type="Initiative", label=f"项目{i}")
        if i:
            G.add_edge(f"n{i}", f"n{i // 2}", key="partOfInitiative", label="part of")
    m = view_model(G)
    assert m["physics"] is False
    assert all("x" in n and "y" in n for n in m["nodes"])
    assert len({(n["x"], n["y"]) for n in m["nodes"]}) == len(m["nodes"])


def test_depth_defaults_to_one_and_write_view_is_atomic(tmp_path):
    from govkg.view import write_view

    assert view_model(small_graph(), focus="葵涌") == view_model(small_graph(), focus="葵涌", depth=1)
    assert len(view_model(small_graph(), focus="葵涌", depth=0)["nodes"]) == 1
    out = write_view(small_graph(), tmp_path / "sub" / "v.html", title="t")
    assert out.read_text(encoding="utf-8") == render_html(small_graph(), title="t")
    assert [p.name for p in out.parent.iterdir()] == ["v.html"]  # no temporary file left behind


def test_node_titles_are_not_html_and_assets_are_vendored():
    data = payload(render_html(small_graph()))
    assert all("title" not in n for n in data["nodes"])  # no vis-network HTML tooltips
    assert all(not isinstance(e.get("title"), str) for e in data["edges"])
    from importlib import resources

    folder = resources.files("govkg") / "data" / "view"
    for name in ("vis-network.min.js", "vis-network.css", "NOTICE", "page.html", "view.js"):
        assert (folder / name).is_file(), name
    assert "Apache" in (folder / "NOTICE").read_text(encoding="utf-8")
