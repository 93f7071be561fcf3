"""Deterministic, atomic RDF serialisation and loading; the format follows the file extension."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .atomic import write_atomic
from .vocab import PREFIXES

__all__ = ["FORMATS", "format_for", "dumps", "serialize", "load"]

#: File extension → rdflib format name.
FORMATS: dict[str, str] = {
    ".trig": "trig",
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}


def format_for(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The rdflib format for ``path`` (or the explicit ``format``); ValueError if unknown."""
    if format:
        alias = {"ttl": "turtle", "jsonld": "json-ld", "nquads": "nquads", "nq": "nquads"}.get(format, format)
        if alias not in set(FORMATS.values()):
            raise ValueError(f"unknown RDF format {format!r}; use one of {sorted(set(FORMATS.values()))}")
        return alias
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"cannot tell the RDF format of {str(path)!r}; use one of {sorted(FORMATS)}")
    return FORMATS[ext]


def _bind(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _named_graphs(data: Dataset | Graph) -> list[Graph]:
    if isinstance(data, Dataset):
        graphs = [g for g in data.graphs() if len(g)]
        return sorted(graphs, key=lambda g: (g.identifier != DATASET_DEFAULT_GRAPH_ID, str(g.identifier)))
    return [data]


def _ox_quads(data: Dataset | Graph, *, union: bool) -> list:
    """The statements of ``data`` as pyoxigraph quads in one canonical order (graph, subject, predicate,
    object, each by its N-Triples form); with ``union``, as triples of the default graph, without repeats."""
    import pyoxigraph as ox

    from .store import to_ox

    cache: dict[object, object] = {}

    def conv(t: object) -> object:
        r = cache.get(t)
        if r is None:
            r = cache[t] = to_ox(t)  # type: ignore[arg-type]
        return r

    rows: dict[tuple[str, str, str, str], object] = {}
    for g in _named_graphs(data):
        named = isinstance(data, Dataset) and g.identifier != DATASET_DEFAULT_GRAPH_ID and not union
        gname = ox.NamedNode(str(g.identifier)) if named else ox.DefaultGraph()
        gkey = str(g.identifier) if named else ""
        for s, p, o in g:
            q = ox.Quad(conv(s), conv(p), conv(o), gname)  # type: ignore[arg-type]
            rows[(gkey, str(q.subject), str(q.predicate), str(q.object))] = q
    return [rows[k] for k in sorted(rows)]


def _ox_dumps(data: Dataset | Graph, fmt: str, *, union: bool) -> str:
    import pyoxigraph as ox

    formats = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "nquads": ox.RdfFormat.N_QUADS}
    quads = _ox_quads(data, union=union)
    if fmt in ("turtle", "nt"):
        quads = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    prefixes = {k: str(v) for k, v in sorted(PREFIXES.items())} if fmt in ("trig", "turtle") else None
    return ox.serialize(quads, format=formats[fmt], prefixes=prefixes).decode("utf-8")


def _sort_json(obj: object) -> object:
    if isinstance(obj, dict):
        return {k: (v if k == "@list" else _sort_json(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        items = [_sort_json(v) for v in obj]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return obj


def dumps(data: Dataset | Graph, format: str) -> str:
    """Serialise deterministically: sorted statements, fixed prefixes, no timestamps.

    ``turtle`` and ``nt`` write the union of all graphs; ``trig``/``nquads``/``json-ld`` keep the named graphs.
    The first four are written by pyoxigraph (time linear in the size of the graph; every character escaped as
    the format requires).
    """
    if format in ("turtle", "nt"):
        return _ox_dumps(data, format, union=True)
    if format in ("trig", "nquads"):
        return _ox_dumps(data, format, union=False)
    if format == "json-ld":
        src: Graph
        if isinstance(data, Dataset):
            src = _bind(Dataset())
            for g in _named_graphs(data):
                target = src.graph(g.identifier)
                for t in g:
                    target.add(t)
        else:
            src = data
        raw = json.loads(src.serialize(format="json-ld"))
        return json.dumps(_sort_json(raw), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    raise ValueError(f"unknown RDF format {format!r}")


def serialize(data: Dataset | Graph, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same directory, then os.replace).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rdflib import Graph
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> serialize(Graph(), out).name
    'g.nt'
    """
    return write_atomic(path, dumps(data, format_for(path, format)))


def load(path: str | os.PathLike[str], format: str | None = None) -> Dataset:
    """Read a file into a Dataset (triple formats land in the default graph)."""
    fmt = format_for(path, format)
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    ds.parse(str(path), format=fmt)
    return ds
