"""rdflib graph → networkx.MultiDiGraph of entities and fact nodes (the browser view's contract)."""

from __future__ import annotations

import io
import json
import os
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .atomic import write_atomic
from .vocab import ENTITY_CLASS, GK, ITSRDF, NIF, ONTOLOGY_PATH, TIME

__all__ = ["NODE_CLASSES", "SENTENCE_END", "to_networkx", "sentence_around", "write_graphml"]

#: Classes whose instances become nodes.
NODE_CLASSES: frozenset[URIRef] = frozenset(
    {*ENTITY_CLASS.values(), GK.AwardConferral, GK.Observation, GK.Ranking, GK.PlanItem}
)
#: Characters that end a sentence for :func:`sentence_around`.
SENTENCE_END = "。！？；\n"
_NOT_FACTS = {RDF.type, SKOS.prefLabel, GK.evidence, GK.statedIn}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if ("#" in iri or "/" in iri) else iri


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def _label(g: Graph, node: URIRef, lang: str, *, fallback: bool = False) -> str:
    vals = sorted(str(o) for o in g.objects(node, SKOS.prefLabel) if isinstance(o, Literal) and o.language == lang)
    if vals:
        return vals[0]
    if fallback:
        anyl = sorted(str(o) for o in g.objects(node, SKOS.prefLabel) if isinstance(o, Literal))
        return anyl[0] if anyl else ""
    return ""


def _prop_label(p: URIRef) -> str:
    ont = _ontology()
    vals = sorted(str(o) for o in ont.objects(p, RDFS.label) if isinstance(o, Literal) and o.language == "en")
    return vals[0] if vals else _local(str(p))


def _fmt(lit: Literal) -> str:
    v = lit.toPython()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else format(v.normalize(), "f")
    return str(lit)


def _year(g: Graph, period: URIRef) -> int | None:
    for p in (GK.year, TIME.year, RDFS.label):
        v = g.value(period, p)
        if v is not None:
            try:
                return int(str(v)[:4])
            except ValueError:
                pass
    tail = _local(str(period))
    return int(tail) if str(period).rsplit("/", 2)[-2:-1] == ["period"] and tail.isdigit() else None


def _value_text(g: Graph, o: URIRef) -> str:
    y = _year(g, o) if "/period/" in str(o) else None
    if y is not None:
        return str(y)
    ont = _ontology()
    for src in (ont, g):
        v = _label(src, o, "en") or _label(src, o, "zh", fallback=True)
        if v:
            return v
    return str(o)


def sentence_around(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence containing ``text[start:end]`` and its start offset.

    It runs from just after the previous 。！？；or newline to the next one (inclusive); surrounding
    whitespace is trimmed, so ``text[s:s + len(sentence)] == sentence`` always holds.

    Examples
    --------
    >>> sentence_around("第一句。葵涌司法所获奖。第三句", 4, 9)
    ('葵涌司法所获奖。', 4)
    """
    s = max((text.rfind(c, 0, start) for c in SENTENCE_END), default=-1) + 1
    probe = max(start, end - 1)
    ends = [i for i in (text.find(c, probe) for c in SENTENCE_END) if i != -1]
    e = (min(ends) + 1) if ends else len(text)
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return text[s:e], s


def _union(data: Dataset | Graph) -> Graph:
    if isinstance(data, Dataset):
        out = Graph()
        for s, p, o, _c in data.quads((None, None, None, None)):
            out.add((s, p, o))
        return out
    return data


def to_networkx(graph: Dataset | Graph) -> nx.MultiDiGraph:
    """Project a govkg graph onto a MultiDiGraph.

    Nodes (keyed by IRI) are entities, conferrals, observations, rankings and plan items, with attributes
    ``type``, ``label``, ``label_en``, ``facts`` ([property label, value] pairs), ``mentions`` (dicts with doc,
    doc_title, start, end, quote, sentence, sentence_start), ``documents`` and ``years``. Edges are the
    object properties between two nodes, keyed by the property's local name, with ``predicate`` and ``label``.

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> from govkg.vocab import GK, ID, SKOS, RDF
    >>> g = Graph()
    >>> _ = g.add((ID["area/cn"], RDF.type, GK.Country)).add((ID["area/cn"], SKOS.prefLabel, Literal("中国", lang="zh")))
    >>> to_networkx(g).nodes[str(ID["area/cn"])]["label"]
    '中国'
    """
    g = _union(graph)
    typed: dict[URIRef, list[str]] = {}
    for s, o in g.subject_objects(RDF.type):
        if o in NODE_CLASSES and isinstance(s, URIRef):
            typed.setdefault(s, []).append(_local(str(o)))
    nodes = sorted(typed)
    node_set = set(nodes)
    texts: dict[URIRef, str] = {}
    doc_info: dict[URIRef, tuple[str, list[int]]] = {}

    def doc_of(ctx: URIRef) -> URIRef | None:
        d = g.value(ctx, DCTERMS.isFormatOf)
        return d if isinstance(d, URIRef) else None

    def info(doc: URIRef) -> tuple[str, list[int]]:
        if doc not in doc_info:
            title = g.value(doc, DCTERMS.title)
            years = sorted({y for p in g.objects(doc, DCTERMS.temporal) if (y := _year(g, p)) is not None})
            if not years:
                for prop in (DCTERMS.issued, DCTERMS.created):
                    v = g.value(doc, prop)
                    if v is not None and str(v)[:4].isdigit():
                        years = [int(str(v)[:4])]
                        break
            doc_info[doc] = ("" if title is None else str(title), years)
        return doc_info[doc]

    G = nx.MultiDiGraph()
    for n in nodes:
        ntype = sorted(typed[n])[0]
        mention_nodes = set(g.objects(n, GK.evidence)) | set(g.subjects(ITSRDF.taIdentRef, n))
        mentions = []
        docs: set[str] = {str(d) for d in g.objects(n, GK.statedIn)}
        for m in mention_nodes:
            ctx, b, e = g.value(m, NIF.referenceContext), g.value(m, NIF.beginIndex), g.value(m, NIF.endIndex)
            if not isinstance(ctx, URIRef) or b is None or e is None:
                continue
            doc = doc_of(ctx)
            if ctx not in texts:
                t = g.value(ctx, NIF.isString)
                texts[ctx] = "" if t is None else str(t)
            start, end = int(b), int(e)
            quote = g.value(m, NIF.anchorOf)
            sentence, s_start = sentence_around(texts[ctx], start, end) if texts[ctx] else ("", start)
            mentions.append(
                {
                    "doc": "" if doc is None else str(doc),
                    "doc_title": "" if doc is None else info(doc)[0],
                    "start": start,
                    "end": end,
                    "quote": "" if quote is None else str(quote),
                    "sentence": sentence,
                    "sentence_start": s_start,
                }
            )
            if doc is not None:
                docs.add(str(doc))
        mentions.sort(key=lambda d: (d["doc"], d["start"], d["end"]))

        facts: set[tuple[str, str]] = set()
        for p, o in g.predicate_objects(n):
            if p in _NOT_FACTS or o in node_set:
                continue
            if isinstance(o, Literal):
                facts.add((_prop_label(p), _fmt(o)))
            elif isinstance(o, URIRef) and p not in (GK.evidence,):
                facts.add((_prop_label(p), _value_text(g, o)))

        own_years = {
            y
            for p in (GK.refPeriod, DCTERMS.temporal)
            for period in g.objects(n, p)
            if isinstance(period, URIRef) and (y := _year(g, period)) is not None
        }
        if not own_years:
            own_years = {y for d in docs for y in info(URIRef(d))[1]}

        if ntype == "Observation":
            v = g.value(n, GK.valueAsStated)
            label = str(v) if v is not None else _label(g, n, "zh")
        elif ntype == "AwardConferral":
            r, h = g.value(n, GK.recipient), g.value(n, GK.honour)
            rl = _label(g, r, "zh", fallback=True) if isinstance(r, URIRef) else ""
            hl = _label(g, h, "zh", fallback=True) if isinstance(h, URIRef) else ""
            label = f"{rl} — {hl}"
        elif ntype == "Ranking":
            label = _label(g, n, "zh") or (mentions[0]["quote"] if mentions else "")
        else:
            label = _label(g, n, "zh")
        G.add_node(
            str(n),
            type=ntype,
            label=label or _local(str(n)),
            label_en=_label(g, n, "en"),
            facts=[list(f) for f in sorted(facts)],
            mentions=mentions,
            documents=sorted(docs),
            years=sorted(own_years),
        )

    edges = sorted(
        (str(s), str(p), str(o))
        for s in nodes
        for p, o in g.predicate_objects(s)
        if o in node_set and p != RDF.type
    )
    for s, p, o in edges:
        G.add_edge(s, o, key=_local(p), predicate=p, label=_prop_label(URIRef(p)))
    return G


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` as GraphML atomically; list and dict attributes are JSON-encoded strings."""

    def enc(attrs: dict[str, object]) -> dict[str, object]:
        return {
            k: (json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict, tuple)) else v)
            for k, v in attrs.items()
            if v is not None
        }

    H = nx.MultiDiGraph()
    for n, a in G.nodes(data=True):
        H.add_node(n, **enc(a))
    for u, v, k, a in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **enc(a))
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8")
    return write_atomic(path, buf.getvalue())
