"""govkg RDF → networkx.MultiDiGraph of entities and fact nodes (the browser view's contract).

The projection works one named graph at a time (:func:`fragment`), on pyoxigraph quads, so that a corpus
build can make each report's part in a worker and merge the parts (:func:`merge_fragments`); a shared node
(an area named by many reports) gets the union of its parts' documents, mentions, facts and years.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .atomic import write_atomic
from .vocab import ENTITY_CLASS, GK, ITSRDF, NIF, ONTOLOGY_PATH, TIME

__all__ = [
    "NODE_CLASSES",
    "NODE_ATTRS",
    "SENTENCE_END",
    "fragment",
    "merge_fragments",
    "NodeMerger",
    "public_attrs",
    "to_networkx",
    "sentence_around",
    "Sentences",
    "write_graphml",
    "GraphMLWriter",
    "node_xml",
]

#: Classes whose instances become nodes.
NODE_CLASSES: frozenset[str] = frozenset(
    str(c) for c in (*ENTITY_CLASS.values(), GK.AwardConferral, GK.Observation, GK.Ranking, GK.PlanItem)
)
#: The attributes of every node, in order.
NODE_ATTRS = ("type", "label", "label_en", "facts", "mentions", "documents", "years")
#: Characters that end a sentence for :func:`sentence_around`.
SENTENCE_END = "。！？；\n"

_TYPE, _LABEL = str(RDF.type), str(SKOS.prefLabel)
_NOT_FACTS = {_TYPE, _LABEL, str(GK.evidence), str(GK.statedIn)}
_EVIDENCE, _STATED, _TA = str(GK.evidence), str(GK.statedIn), str(ITSRDF.taIdentRef)
_CTX, _BEGIN, _END, _ANCHOR, _STRING = (
    str(NIF.referenceContext),
    str(NIF.beginIndex),
    str(NIF.endIndex),
    str(NIF.anchorOf),
    str(NIF.isString),
)
_FORMAT_OF, _TITLE, _TEMPORAL = str(DCTERMS.isFormatOf), str(DCTERMS.title), str(DCTERMS.temporal)
_ISSUED, _CREATED, _REF_PERIOD = str(DCTERMS.issued), str(DCTERMS.created), str(GK.refPeriod)
_YEAR_PROPS = (str(GK.year), str(TIME.year), str(RDFS.label))
_DECIMAL, _BOOLEAN = str(XSD.decimal), str(XSD.boolean)

#: A term: an IRI as a str, or a pyoxigraph Literal.
Term = str | ox.Literal
#: One graph's part of the projection: nodes (IRI → attributes) and edges (source, target, key, predicate, label).
Fragment = tuple[dict[str, dict[str, Any]], list[tuple[str, str, str, str, str]]]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if ("#" in iri or "/" in iri) else iri


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[tuple[str, str], str]:
    """(IRI, language) → the smallest rdfs:label / skos:prefLabel in the ontology."""
    out: dict[tuple[str, str], str] = {}
    g = Graph().parse(ONTOLOGY_PATH, format="turtle")
    for prop in (RDFS.label, SKOS.prefLabel):
        for s, o in g.subject_objects(prop):
            lang = getattr(o, "language", None) or ""
            key = (str(s), lang)
            if prop == RDFS.label or key not in out:
                if key not in out or str(o) < out[key]:
                    out[key] = str(o)
    return out


def _prop_label(p: str) -> str:
    return _ontology_labels().get((p, "en")) or _local(p)


def _fmt(lit: ox.Literal) -> str:
    dt = lit.datatype.value
    if dt == _BOOLEAN:
        return "true" if lit.value in ("true", "1") else "false"
    if dt == _DECIMAL:
        try:
            v = Decimal(lit.value)
        except InvalidOperation:
            return lit.value
        return str(int(v)) if v == v.to_integral_value() else format(v.normalize(), "f")
    return lit.value


def sentence_around(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence containing ``text[start:end]`` and its start offset.

    It runs from just after the previous 。！？；or newline to the next one (inclusive); surrounding
    whitespace is trimmed, so ``text[s:s + len(sentence)] == sentence`` always holds. For many spans of one
    text, :class:`Sentences` finds each in time independent of the text's length.

    Examples
    --------
    >>> sentence_around("第一句。葵涌司法所获奖。第三句", 4, 9)
    ('葵涌司法所获奖。', 4)
    """
    return Sentences(text).around(start, end)


class Sentences:
    """The sentence ends of one text, found once, so that each :meth:`around` is a bisection."""

    __slots__ = ("text", "ends")

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.start() for m in _SENTENCE_END_RE.finditer(text)]

    def around(self, start: int, end: int) -> tuple[str, int]:
        text, ends = self.text, self.ends
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        k = bisect_left(ends, start)  # ends before start: ends[:k]
        s = ends[k - 1] + 1 if k else 0
        probe = max(start, end - 1)
        j = bisect_left(ends, probe)
        e = ends[j] + 1 if j < len(ends) else len(text)
        while s < start and text[s].isspace():
            s += 1
        while e > end and text[e - 1].isspace():
            e -= 1
        return text[s:e], s


_SENTENCE_END_RE = re.compile("[" + re.escape(SENTENCE_END) + "]")


class _Index:
    """One graph's statements by subject, and the reverse of itsrdf:taIdentRef."""

    def __init__(self, triples: Iterable[tuple[str, str, Term]]) -> None:
        self.out: dict[str, list[tuple[str, Term]]] = {}
        self.tagged: dict[str, list[str]] = {}
        for s, p, o in triples:
            self.out.setdefault(s, []).append((p, o))
            if p == _TA and isinstance(o, str):
                self.tagged.setdefault(o, []).append(s)

    def values(self, s: str, p: str) -> list[Term]:
        return [o for q, o in self.out.get(s, ()) if q == p]

    def value(self, s: str, p: str) -> Term | None:
        vals = self.values(s, p)
        if not vals:
            return None
        return min(vals, key=lambda v: (isinstance(v, ox.Literal), str(v)))

    def label(self, node: str, lang: str, *, fallback: bool = False) -> str:
        lits = [o for o in self.values(node, _LABEL) if isinstance(o, ox.Literal)]
        vals = sorted(o.value for o in lits if (o.language or "") == lang)
        if vals:
            return vals[0]
        if fallback and lits:
            return sorted(o.value for o in lits)[0]
        return ""

    def year(self, period: str) -> int | None:
        for p in _YEAR_PROPS:
            v = self.value(period, p)
            if isinstance(v, ox.Literal):
                try:
                    return int(v.value[:4])
                except ValueError:
                    pass
        parts = period.rsplit("/", 2)
        return int(parts[-1]) if len(parts) == 3 and parts[-2] == "period" and parts[-1].isdigit() else None


def _triples(quads: Iterable[ox.Quad | ox.Triple]) -> Iterator[tuple[str, str, Term]]:
    for q in quads:
        o = q.object
        yield (
            q.subject.value,  # type: ignore[union-attr]  # no RDF 1.2 triple terms in govkg graphs
            q.predicate.value,
            o if isinstance(o, ox.Literal) else o.value,  # type: ignore[union-attr]
        )


def fragment(quads: Iterable[ox.Quad | ox.Triple] | Iterable[tuple[str, str, Term]]) -> Fragment:
    """The nodes and edges one graph (a report's, or the reference graph) contributes to the projection.

    Nodes are the instances of :data:`NODE_CLASSES`, with the attributes of :data:`NODE_ATTRS` (facts as
    (label, value, object IRI or "") triples); edges are the object properties from a node, as (source,
    target, key, predicate, label). Which targets are nodes is known only once every graph is read:
    :func:`merge_fragments` keeps the edges to nodes and, as facts, the rest.
    """
    items = iter(quads)
    first = next(items, None)
    if first is None:
        return {}, []
    chained = itertools.chain([first], items)
    g = _Index(chained if isinstance(first, tuple) else _triples(chained))  # type: ignore[arg-type]
    typed: dict[str, list[str]] = {}
    for s, pos in g.out.items():
        for p, o in pos:
            if p == _TYPE and isinstance(o, str) and o in NODE_CLASSES:
                typed.setdefault(s, []).append(_local(o))
    node_set = set(typed)
    labels = _ontology_labels()
    texts: dict[str, Sentences] = {}
    doc_info: dict[str, tuple[str, list[int]]] = {}

    def info(doc: str) -> tuple[str, list[int]]:
        if doc not in doc_info:
            title = g.value(doc, _TITLE)
            years = sorted({y for p in g.values(doc, _TEMPORAL) if isinstance(p, str) and (y := g.year(p)) is not None})
            if not years:
                for prop in (_ISSUED, _CREATED):
                    v = g.value(doc, prop)
                    if isinstance(v, ox.Literal) and v.value[:4].isdigit():
                        years = [int(v.value[:4])]
                        break
            doc_info[doc] = (title.value if isinstance(title, ox.Literal) else "", years)
        return doc_info[doc]

    def value_text(o: str) -> str:
        y = g.year(o) if "/period/" in o else None
        if y is not None:
            return str(y)
        v = labels.get((o, "en")) or labels.get((o, "zh")) or g.label(o, "en") or g.label(o, "zh", fallback=True)
        return v or o

    nodes: dict[str, dict[str, Any]] = {}
    for n in sorted(typed):
        ntype = sorted(typed[n])[0]
        mention_nodes = {m for m in g.values(n, _EVIDENCE) if isinstance(m, str)} | set(g.tagged.get(n, ()))
        docs = {d for d in g.values(n, _STATED) if isinstance(d, str)}
        mentions = []
        for m in mention_nodes:
            ctx, b, e = g.value(m, _CTX), g.value(m, _BEGIN), g.value(m, _END)
            if not isinstance(ctx, str) or not isinstance(b, ox.Literal) or not isinstance(e, ox.Literal):
                continue
            d = g.value(ctx, _FORMAT_OF)
            doc = d if isinstance(d, str) else None
            if ctx not in texts:
                t = g.value(ctx, _STRING)
                texts[ctx] = Sentences(t.value if isinstance(t, ox.Literal) else "")
            start, end = int(b.value), int(e.value)
            quote = g.value(m, _ANCHOR)
            sentence, s_start = texts[ctx].around(start, end) if texts[ctx].text else ("", start)
            mentions.append(
                {
                    "doc": doc or "",
                    "doc_title": info(doc)[0] if doc else "",
                    "start": start,
                    "end": end,
                    "quote": quote.value if isinstance(quote, ox.Literal) else "",
                    "sentence": sentence,
                    "sentence_start": s_start,
                }
            )
            if doc is not None:
                docs.add(doc)
        mentions.sort(key=lambda d: (d["doc"], d["start"], d["end"]))

        facts: set[tuple[str, str, str]] = set()  # (property label, value text, object IRI or "")
        for p, o in g.out.get(n, ()):
            if p in _NOT_FACTS:
                continue
            if isinstance(o, ox.Literal):
                facts.add((_prop_label(p), _fmt(o), ""))
            elif o not in node_set:  # an IRI that may still be a node of another graph: see merge_fragments
                facts.add((_prop_label(p), value_text(o), o))

        own_years = {
            y
            for p in (_REF_PERIOD, _TEMPORAL)
            for period in g.values(n, p)
            if isinstance(period, str) and (y := g.year(period)) is not None
        }
        if not own_years:
            own_years = {y for d in docs for y in info(d)[1]}

        if ntype == "Observation":
            v = g.value(n, str(GK.valueAsStated))
            label = v.value if isinstance(v, ox.Literal) else g.label(n, "zh")
        elif ntype == "AwardConferral":
            r, h = g.value(n, str(GK.recipient)), g.value(n, str(GK.honour))
            rl = g.label(r, "zh", fallback=True) if isinstance(r, str) else ""
            hl = g.label(h, "zh", fallback=True) if isinstance(h, str) else ""
            label = f"{rl} — {hl}"
        elif ntype == "Ranking":
            label = g.label(n, "zh") or (mentions[0]["quote"] if mentions else "")  # type: ignore[assignment]
        else:
            label = g.label(n, "zh")
        nodes[n] = {
            "type": ntype,
            "label": label or _local(n),
            "label_en": g.label(n, "en"),
            "facts": sorted(facts),
            "mentions": mentions,
            "documents": sorted(docs),
            "years": sorted(own_years),
            "_types": sorted(typed[n]),
            "_labels": (g.label(n, "zh"), ntype not in ("Observation", "AwardConferral", "Ranking")),
        }
    edges = sorted(
        (s, o, _local(p), p, _prop_label(p))
        for s in nodes
        for p, o in g.out.get(s, ())
        if isinstance(o, str) and p not in _NOT_FACTS
    )
    return nodes, edges


def _mention_key(m: dict[str, Any]) -> tuple[Any, ...]:
    return (m["doc"], m["start"], m["end"], m["quote"], m["sentence_start"])


class NodeMerger:
    """One node's parts from several graphs, united in time linear in their size: types, facts, mentions,
    documents and years are gathered in sets and sorted once, by :meth:`attrs`.

    The label of an entity is the smallest Chinese label any graph gives it; fact nodes (observations,
    conferrals, rankings) keep the label of their one graph.
    """

    __slots__ = ("first", "types", "labels", "labels_en", "facts", "mentions", "documents", "years")

    def __init__(self, attrs: dict[str, Any]) -> None:
        self.first = attrs
        self.types: set[str] = set()
        self.labels: set[str] = set()
        self.labels_en: set[str] = set()
        self.facts: set[tuple[Any, ...]] = set()
        self.mentions: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.documents: set[str] = set()
        self.years: set[int] = set()
        self.add(attrs)

    def add(self, a: dict[str, Any]) -> None:
        self.types.update(a["_types"])
        if a["_labels"][1] and a["_labels"][0]:
            self.labels.add(a["_labels"][0])
        if a["label_en"]:
            self.labels_en.add(a["label_en"])
        self.facts.update(map(tuple, a["facts"]))
        for m in a["mentions"]:
            self.mentions.setdefault(_mention_key(m), m)
        self.documents.update(a["documents"])
        self.years.update(a["years"])

    def attrs(self) -> dict[str, Any]:
        out = dict(self.first)
        types = sorted(self.types)
        out["_types"], out["type"] = types, types[0]
        if self.first["_labels"][1] and self.labels:
            out["label"] = min(self.labels)
        out["label_en"] = min(self.labels_en, default="")
        out["facts"] = sorted(self.facts)
        out["mentions"] = sorted(self.mentions.values(), key=lambda d: (d["doc"], d["start"], d["end"]))
        out["documents"] = sorted(self.documents)
        out["years"] = sorted(self.years)
        return out


def merge_fragments(fragments: Iterable[Fragment]) -> nx.MultiDiGraph:
    """One MultiDiGraph from the fragments of several graphs (nodes sorted by IRI, edges de-duplicated)."""
    merged: dict[str, NodeMerger] = {}
    edges: set[tuple[str, str, str, str, str]] = set()
    for frag_nodes, frag_edges in fragments:
        for n, a in frag_nodes.items():
            if n in merged:
                merged[n].add(a)
            else:
                merged[n] = NodeMerger(a)
        edges.update(frag_edges)
    nodes = {n: m.attrs() for n, m in merged.items()}
    G = nx.MultiDiGraph()
    for n in sorted(nodes):
        G.add_node(n, **public_attrs(nodes[n], nodes))
    for s, o, key, p, label in sorted(edges):
        if s in nodes and o in nodes and not G.has_edge(s, o, key=key):
            G.add_edge(s, o, key=key, predicate=p, label=label)
    return G


def public_attrs(attrs: dict[str, Any], is_node: Container[str]) -> dict[str, Any]:
    """The attributes of :data:`NODE_ATTRS`, facts as [label, value] pairs without those that point at nodes
    (``is_node``: anything supporting ``in``), which are edges instead."""
    out = {k: attrs[k] for k in NODE_ATTRS}
    out["facts"] = sorted({(f[0], f[1]) for f in attrs["facts"] if not (len(f) > 2 and f[2] and f[2] in is_node)})
    out["facts"] = [list(f) for f in out["facts"]]
    return out


def _graph_quads(graph: Dataset | Graph) -> Iterator[list[ox.Quad]]:
    """An rdflib graph's statements as pyoxigraph quads, one list per named graph."""
    from .store import to_ox

    graphs = [g for g in graph.graphs() if len(g)] if isinstance(graph, Dataset) else [graph]
    for g in sorted(graphs, key=lambda g: str(g.identifier)):
        dg = ox.DefaultGraph()
        yield [ox.Quad(to_ox(s), to_ox(p), to_ox(o), dg) for s, p, o in g]  # type: ignore[arg-type]


def to_networkx(graph: Dataset | Graph) -> nx.MultiDiGraph:
    """Project a govkg graph onto a MultiDiGraph.

    Nodes (keyed by IRI) are entities, conferrals, observations, rankings and plan items, with attributes
    ``type``, ``label``, ``label_en``, ``facts`` ([property label, value] pairs), ``mentions`` (dicts with doc,
    doc_title, start, end, quote, sentence, sentence_start), ``documents`` and ``years``. Edges are the
    object properties between two nodes, keyed by the property's local name, with ``predicate`` and ``label``.
    Each named graph is projected on its own and the parts merged (:func:`merge_fragments`).

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> from govkg.vocab import GK, ID, SKOS, RDF
    >>> g = Graph()
    >>> _ = g.add((ID["area/cn"], RDF.type, GK.Country)).add((ID["area/cn"], SKOS.prefLabel, Literal("中国", lang="zh")))
    >>> to_networkx(g).nodes[str(ID["area/cn"])]["label"]
    '中国'
    """
    return merge_fragments(fragment(q) for q in _graph_quads(graph))


# --------------------------------------------------------------------------------------------- GraphML
_NODE_KEYS = [(k, "string") for k in NODE_ATTRS]
_EDGE_KEYS = [("key", "string"), ("predicate", "string"), ("label", "string")]


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def node_xml(n: str, attrs: dict[str, Any]) -> str:
    """The GraphML element of one node: its attributes of :data:`NODE_ATTRS`, lists as JSON strings."""
    parts = [f"    <node id={quoteattr(n)}>\n"]
    for name, _kind in _NODE_KEYS:
        v = attrs.get(name)
        if v is None:
            continue
        text = json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict, tuple)) else str(v)
        parts.append(f'      <data key="n_{name}">{_xml(text)}</data>\n')
    parts.append("    </node>\n")
    return "".join(parts)


class GraphMLWriter:
    """Writes GraphML node by node and edge by edge, so that a corpus's graph never has to be in memory.

    List attributes are JSON-encoded strings; edge ids are unique (``e0``, ``e1``, …).
    """

    def __init__(self, fh: IO[bytes]) -> None:  # a binary file
        self.fh = fh
        self.n_edges = 0
        head = [
            '<?xml version=\'1.0\' encoding=\'utf-8\'?>\n',
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
        ]
        for name, kind in _NODE_KEYS:
            head.append(f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}" />\n')
        for name, kind in _EDGE_KEYS:
            head.append(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}" />\n')
        head.append('  <graph edgedefault="directed">\n')
        fh.write("".join(head).encode("utf-8"))

    def node(self, n: str, attrs: dict[str, Any]) -> None:
        self.fh.write(node_xml(n, attrs).encode("utf-8"))

    def raw(self, xml: bytes) -> None:
        """A node element made earlier by :func:`node_xml`, encoded."""
        self.fh.write(xml)

    def edge(self, s: str, o: str, key: str, predicate: str, label: str) -> None:
        eid = f"e{self.n_edges}"
        self.n_edges += 1
        self.fh.write(
            (
                f"    <edge id=\"{eid}\" source={quoteattr(s)} target={quoteattr(o)}>\n"
                f'      <data key="e_key">{_xml(key)}</data>\n'
                f'      <data key="e_predicate">{_xml(predicate)}</data>\n'
                f'      <data key="e_label">{_xml(label)}</data>\n'
                "    </edge>\n"
            ).encode()
        )

    def close(self) -> None:
        self.fh.write(b"  </graph>\n</graphml>\n")


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` as GraphML atomically; list and dict attributes are JSON-encoded strings, edge ids unique."""
    import io

    buf = io.BytesIO()
    w = GraphMLWriter(buf)
    for n, a in G.nodes(data=True):
        w.node(n, a)
    for u, v, k, a in G.edges(keys=True, data=True):
        w.edge(u, v, k, str(a.get("predicate", "")), str(a.get("label", "")))
    w.close()
    return write_atomic(path, buf.getvalue())
