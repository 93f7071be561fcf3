"""One report's share of a build, made from its bytes alone (in a worker process) and kept under its content key.

A build folder's cache (``.govkg/reports/``) holds, per report, its named graph as TriG, its part of the
property graph laid out for cheap assembly, and a small head (IRIs, counts, warnings): building into the folder
again reads only the reports whose bytes, encoding or govkg's code changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import GovKGError
from .model import Extraction

__all__ = ["code_fingerprint", "content_key", "build_report", "entity_kinds", "fact_counts", "trig_prefixes", "prefix_map", "Cache", "GraphPart", "work"]


def entity_kinds(ex: Extraction) -> list[tuple[str, str]]:
    return sorted((e.key, e.type) for e in ex.entities.values())


def fact_counts(ex: Extraction) -> dict[str, int]:
    return {
        "Relation": len(ex.relations),
        "AwardConferral": len(ex.conferrals),
        "Observation": len(ex.observations),
        "Ranking": len(ex.rankings),
        "PlanItem": len(ex.plan_items),
        "Mention": len(ex.mentions()),
    }


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of govkg's code and data: a cache entry made by other code is never reused."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".csv", ".gz", ".ttl", ".rq", ".json", ".txt") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode("utf-8") + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def content_key(data: bytes, encoding: str | None) -> str:
    """The cache key of a report: its bytes, the encoding asked for, and govkg's code."""
    h = hashlib.sha256()
    h.update(f"{code_fingerprint()}|{encoding or ''}|".encode())
    h.update(data)
    return h.hexdigest()


def build_report(data: bytes, name: str, encoding: str | None = None) -> tuple[dict[str, Any], bytes, bytes]:
    """Everything a build needs of one report, made from its bytes alone: ``(head, graph, trig)``.

    ``trig`` is the report's named graph as TriG without prefix lines (they are the same for every report:
    :func:`trig_prefixes`). ``head`` (JSON-able, small) has the document and graph IRIs, 索引号, warnings,
    entity keys and fact counts, the reference statements as sorted N-Quads lines and the ids of the graph's
    nodes; ``graph`` has the nodes and edges of the projection (:func:`govkg.nxgraph.fragment`) as JSON
    part (see :func:`_graph_part`). A report that
    cannot be read gives ``{"error": …}``. Never raises for a bad report: one report never stops a corpus.
    """
    import pyoxigraph as ox

    from .extract import extract
    from .nxgraph import fragment
    from .reader import read_report
    from .triples import report_rdf

    try:
        doc = read_report(data, encoding=encoding, name=name)
        ex = extract(doc)
        rdf = report_rdf(ex)
    except GovKGError as exc:
        return {"error": str(exc), "name": name}, b"", b""
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other reports of a corpus
        msg = f"{name}: internal error while reading the report ({type(exc).__name__}: {exc}); please report it with the file"
        return {"error": msg, "name": name}, b"", b""
    trig = ox.serialize(rdf.quads, format=ox.RdfFormat.TRIG, prefixes=prefix_map()) or b""
    head = trig_prefixes()
    if not trig.startswith(head):  # pragma: no cover - pyoxigraph writes every prefix given, first
        raise GovKGError("unexpected TriG prefix block from pyoxigraph")
    nodes, edges = fragment(rdf.triples)
    graph = _graph_part(nodes, edges)
    meta = {
        "name": name,
        "doc": rdf.doc_iri,
        "graph": rdf.graph_iri,
        "index": doc.metadata.index_number or "",
        "sha256": doc.sha256,
        "warnings": [*doc.warnings, *ex.warnings],
        "entities": entity_kinds(ex),
        "facts": fact_counts(ex),
        "reference": sorted({str(q) + " .\n" for q in rdf.reference}),
        "quads": 2 * len(rdf.quads),
        "nodes": sorted(nodes),
    }
    return meta, graph, trig[len(head) :]


def _graph_part(nodes: dict[str, dict[str, Any]], edges: list[Any]) -> bytes:
    """A report's part of the property graph, laid out so that assembling GraphML reads little.

    One line of JSON, ``{"nodes": [[iri, element start, element end, attributes end, [IRIs its facts
    point at]], …], "edges": [[source, target, key, predicate, label], …]}``, then a blob of bytes that holds,
    for each node, its GraphML element (as if this were the only graph) followed by its attributes as JSON.
    The element is copied as it is when no IRI its facts point at is a node elsewhere in the corpus; the
    attributes are parsed only for a node that other reports share.
    """
    from .nxgraph import node_xml, public_attrs

    index: list[list[Any]] = []
    blob: list[bytes] = []
    at = 0
    for n in sorted(nodes):
        a = nodes[n]
        xml = node_xml(n, public_attrs(a, ())).encode("utf-8")
        attrs = json.dumps(a, ensure_ascii=False).encode("utf-8")
        index.append([n, at, at + len(xml), at + len(xml) + len(attrs), sorted({f[2] for f in a["facts"] if f[2]})])
        blob += (xml, attrs)
        at += len(xml) + len(attrs)
    head = json.dumps({"nodes": index, "edges": edges}, ensure_ascii=False).encode("utf-8")
    return b"".join([head, b"\n", *blob])


class GraphPart:
    """A report's part of the property graph as :func:`_graph_part` laid it out."""

    __slots__ = ("nodes", "edges", "blob")

    def __init__(self, data: bytes) -> None:
        cut = data.index(b"\n")
        head = json.loads(data[:cut])
        self.nodes, self.edges, self.blob = head["nodes"], [tuple(e) for e in head["edges"]], memoryview(data)[cut + 1 :]

    def element(self, row: list[Any]) -> bytes:
        return bytes(self.blob[row[1] : row[2]])

    def attrs(self, row: list[Any]) -> dict[str, Any]:
        attrs: dict[str, Any] = json.loads(bytes(self.blob[row[2] : row[3]]))
        return attrs


@lru_cache(maxsize=1)
def prefix_map() -> dict[str, str]:
    from .vocab import PREFIXES

    return {k: str(v) for k, v in sorted(PREFIXES.items())}


@lru_cache(maxsize=1)
def trig_prefixes() -> bytes:
    """The prefix lines at the head of govkg.trig (and of every report's TriG as pyoxigraph writes it)."""
    import pyoxigraph as ox

    return ox.serialize([], format=ox.RdfFormat.TRIG, prefixes=prefix_map()) or b""


def work(task: tuple[str, bytes | str, str | None, str, str]) -> tuple[str, dict[str, Any]]:
    """In a worker: build one report and put it in the cache; only the small head goes back.

    The report comes as its bytes (standard input) or as its path, read again here, so that the main process
    never holds the corpus; a file that changed since it was keyed is reported, not cached under the old key.
    """
    key, source, encoding, name, cache_root = task
    if isinstance(source, str):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            return key, {"error": f"{name}: cannot be read ({exc.strerror or exc}); check the path", "name": name}
        if content_key(data, encoding) != key:
            return key, {"error": f"{name}: changed while the build was reading it; build again", "name": name}
    else:
        data = source
    head, graph, trig = build_report(data, name, encoding)
    if "error" not in head:
        Cache(Path(cache_root)).put(key, head, graph, trig)
    return key, head


# ------------------------------------------------------------------------------------------- the cache
class Cache:
    """One entry per report content key, in ``{key[:2]}/``: ``{key}.trig`` (its named graph), ``{key}.json``
    (the head, see :func:`build_report`) and ``{key}.graph`` (its part of the property graph). The head
    is written last: an entry is complete when it is there."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str, ext: str) -> Path:
        return self.root / key[:2] / f"{key}{ext}"

    def has(self, key: str) -> bool:
        return self._path(key, ".json").is_file()

    def put(self, key: str, head: dict[str, Any], graph: bytes, trig: bytes) -> None:
        self._path(key, "").parent.mkdir(parents=True, exist_ok=True)
        _write_replace(self._path(key, ".trig"), trig)
        _write_replace(self._path(key, ".graph"), graph)
        _write_replace(self._path(key, ".json"), json.dumps(head, ensure_ascii=False).encode("utf-8"))

    def head(self, key: str) -> dict[str, Any]:
        head: dict[str, Any] = json.loads(self._path(key, ".json").read_bytes())
        return head

    def graph(self, key: str) -> GraphPart:
        """The report's part of the property graph (see :func:`_graph_part`)."""
        return GraphPart(self._path(key, ".graph").read_bytes())

    def trig(self, key: str) -> bytes:
        return self._path(key, ".trig").read_bytes()

    def keep_only(self, keys: set[str]) -> None:
        """Remove the entries of reports no longer built (the cache never grows past the corpus)."""
        if not self.root.is_dir():
            return
        for sub in self.root.iterdir():
            if not sub.is_dir():
                continue
            for p in sub.iterdir():
                if p.name.split(".", 1)[0] not in keys:
                    p.unlink(missing_ok=True)


def _write_replace(path: Path, data: bytes) -> None:
    """Write through ``{path}.{pid}.tmp`` and a rename: a cache file is whole or absent (cheaper than
    :func:`write_atomic`'s random temporary names, for thousands of small files)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
