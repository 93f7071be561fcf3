"""The interactive graph view: NetworkX graph → view model → one self-contained, offline HTML page.

pyvis builds the network (nodes, edges, vis-network options); the page around it is govkg's own, because
pyvis's templates load Bootstrap and vis-network from CDNs even in "in_line" mode. The vis-network script
and stylesheet that pyvis ships are vendored in ``govkg/data/view/`` (see NOTICE there) and inlined into
the page, so it opens with no network at all; a Content-Security-Policy forbids any fetch besides.

Safety: every string that comes from a document travels as JSON inside ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, and the page builds its DOM with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from .atomic import write_atomic

__all__ = ["LAYOUT_THRESHOLD", "TYPE_STYLE", "render_html", "view_model", "write_view"]

#: Colour and shape per node type (the legend).
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "Country": ("#6b7280", "hexagon"),
    "Province": ("#6b7280", "hexagon"),
    "City": ("#4b5563", "hexagon"),
    "District": ("#374151", "hexagon"),
    "Subdistrict": ("#0e7490", "diamond"),
    "Community": ("#06b6d4", "diamond"),
    "Place": ("#14b8a6", "triangle"),
    "PublicOrganisation": ("#2563eb", "dot"),
    "LeadingGroup": ("#7c3aed", "dot"),
    "Company": ("#9333ea", "square"),
    "Person": ("#db2777", "star"),
    "Initiative": ("#f59e0b", "box"),
    "Honour": ("#dc2626", "star"),
    "NormativeDocument": ("#65a30d", "square"),
    "AwardConferral": ("#f87171", "dot"),
    "Observation": ("#a3a3a3", "dot"),
    "Ranking": ("#fb923c", "dot"),
    "PlanItem": ("#84cc16", "box"),
}
#: Above this many nodes, positions are computed in advance and physics is off.
LAYOUT_THRESHOLD = 1000


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _neighbourhood(G: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    seeds = sorted(n for n, d in G.nodes(data=True) if focus in _text(d.get("label")) or focus == n)
    if not seeds:
        raise ValueError(f"no node's label contains {focus!r}")
    U = G.to_undirected(as_view=True)
    keep: set[str] = set()
    for s in seeds:
        keep |= set(nx.ego_graph(U, s, radius=depth))
    return G.subgraph(sorted(keep)).copy()


def _radial(U: nx.Graph, comp: list[str]) -> tuple[dict[str, tuple[float, float]], float]:
    """A radial tree layout of one connected group around its best-connected node: the breadth-first tree
    gives each node a ring (its distance from the root) and an angular sector sized by its leaves, so
    linked nodes sit near each other. Returns positions around (0, 0) and the outer radius."""
    root = min(comp, key=lambda n: (-U.degree(n), n))
    children: dict[str, list[str]] = {n: [] for n in comp}
    level = {root: 0}
    for u, v in nx.bfs_edges(U, root, sort_neighbors=sorted):
        children[u].append(v)
        level[v] = level[u] + 1
    order = sorted(comp, key=lambda n: level[n])
    leaves = {n: 1 for n in comp}
    for n in reversed(order):  # children before parents
        if children[n]:
            leaves[n] = sum(leaves[c] for c in children[n])
    counts: dict[int, int] = {}
    for n in comp:
        counts[level[n]] = counts.get(level[n], 0) + 1
    ring = [0.0]
    for lv in range(1, max(counts) + 1):  # rings far enough apart, and long enough for their nodes
        ring.append(max(ring[-1] + _RING_GAP, counts[lv] * _NODE_GAP / (2 * math.pi)))
    pos = {root: (0.0, 0.0)}
    sector = {root: (0.0, 2 * math.pi)}
    for n in order:
        lo, width = sector[n]
        for c in children[n]:
            share = width * leaves[c] / leaves[n]
            sector[c] = (lo, share)
            angle, r = lo + share / 2, ring[level[c]]
            pos[c] = (r * math.cos(angle), r * math.sin(angle))
            lo += share
    return pos, ring[-1] + _NODE_GAP


_RING_GAP, _NODE_GAP = 150.0, 45.0


def _positions(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """A deterministic layout for large graphs, computed in linear time so the browser needs no physics:
    each connected group laid out radially (:func:`_radial`), groups packed in rows, biggest first."""
    U = nx.Graph(G.to_undirected(as_view=True))
    comps = sorted((sorted(c) for c in nx.connected_components(U)), key=lambda c: (-len(c), c[0]))
    laid = [_radial(U, comp) for comp in comps]
    row_width = max(2 * laid[0][1], math.sqrt(sum((2 * r) ** 2 for _, r in laid))) if laid else 0.0
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for local, r in laid:
        if x and x + 2 * r > row_width:  # next row
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + r, y + r
        for n, (px, py) in local.items():
            pos[n] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * r
        row_height = max(row_height, 2 * r)
    return pos


def view_model(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int | None = None) -> dict[str, Any]:
    """The data the page needs: nodes with their panel contents, edges, legend, documents and years.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("a", type="Person", label="张浩", mentions=[])
    >>> view_model(G)["nodes"][0]["label"]
    '张浩'
    """
    if focus:
        G = _neighbourhood(G, focus, 1 if depth is None else depth)
    large = G.number_of_nodes() > LAYOUT_THRESHOLD
    pos = _positions(G) if large else {}
    nodes = []
    for n in sorted(G.nodes):
        d = G.nodes[n]
        typ = _text(d.get("type")) or "Thing"
        nodes.append(
            {
                "id": n,
                "type": typ,
                "label": _text(d.get("label")) or n.rsplit("/", 1)[-1],
                "label_en": _text(d.get("label_en")),
                "facts": [[_text(k), _text(v)] for k, v in d.get("facts") or []],
                "mentions": [
                    {k: m.get(k) for k in ("doc", "doc_title", "start", "end", "quote", "sentence", "sentence_start")}
                    for m in d.get("mentions") or []
                ],
                "documents": [_text(x) for x in d.get("documents") or []],
                "years": [int(y) for y in d.get("years") or []],
                **({"x": pos[n][0], "y": pos[n][1]} if n in pos else {}),
            }
        )
    edges = []
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        edges.append({"from": u, "to": v, "label": _text(d.get("label") or k), "predicate": _text(d.get("predicate"))})
    types = sorted({x["type"] for x in nodes})
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": [{"type": t, "color": TYPE_STYLE.get(t, ("#999999", "dot"))[0], "shape": TYPE_STYLE.get(t, ("#999999", "dot"))[1]} for t in types],
        "documents": sorted({doc for x in nodes for doc in x["documents"]}),
        "years": sorted({y for x in nodes for y in x["years"]}),
        "physics": not large,
    }


def _network(model: dict[str, Any]) -> Any:
    """vis-network nodes, edges and options built with pyvis."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="local")
    for x in model["nodes"]:
        color, shape = TYPE_STYLE.get(x["type"], ("#999999", "dot"))
        label = x["label"] if len(x["label"]) <= 24 else x["label"][:23] + "…"
        if x["label_en"]:
            label += "\n" + x["label_en"]
        extra = {"x": x["x"], "y": x["y"], "physics": False} if "x" in x else {}
        net.add_node(x["id"], label=label, color=color, shape=shape, **extra)
    for e in model["edges"]:
        net.add_edge(e["from"], e["to"], label=e["label"], arrows="to")
    if model["physics"]:
        net.toggle_physics(True)
        net.options.physics.stabilization = {"enabled": True, "iterations": 300, "fit": True}
    else:
        net.toggle_physics(False)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    opts = json.loads(options) if isinstance(options, str) else json.loads(net.options.to_json())
    opts.setdefault("interaction", {}).update({"hover": True, "tooltipDelay": 3600000})
    opts.setdefault("edges", {}).update({"font": {"size": 9, "align": "middle"}, "smooth": False if not model["physics"] else {"enabled": True, "type": "dynamic"}})
    opts.setdefault("nodes", {}).update({"font": {"size": 14, "face": "Noto Sans CJK SC, Noto Sans SC, sans-serif"}})
    return nodes, edges, opts


def _json(data: object) -> str:
    """JSON that is inert inside a <script> element: no <, >, & or line separators as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _asset(name: str) -> str:
    return (resources.files("govkg") / "data" / "view" / name).read_text(encoding="utf-8")


def render_html(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int | None = None, title: str = "govkg") -> str:
    """The whole page as a string: deterministic for a given graph, with no external resource.

    ``focus``: keep only the neighbourhood (radius ``depth``, default 1, ignoring edge direction) of the
    nodes whose label contains ``focus``; ValueError if none does.
    """
    model = view_model(G, focus=focus, depth=depth)
    nodes, edges, options = _network(model)
    payload = {"model": model, "nodes": nodes, "edges": edges, "options": options}
    page = _asset("page.html")
    script = _asset("view.js")
    vis_js = re.sub(r"</(script)", r"<\\/\1", _asset("vis-network.min.js"), flags=re.IGNORECASE)
    vis_css = re.sub(r"</(style)", r"<\\/\1", _asset("vis-network.css"), flags=re.IGNORECASE)
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": vis_css,
        "DATA": _json(payload),
        "VIEW_JS": script,
        "VIS_JS": vis_js,
    }
    # one pass over the template: text inserted here is never scanned again for placeholders
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], page)


def write_view(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    focus: str | None = None,
    depth: int | None = None,
    title: str = "govkg",
) -> Path:
    """Render (keywords as :func:`render_html`) and write atomically; returns the path."""
    return write_atomic(path, render_html(G, focus=focus, depth=depth, title=title))
