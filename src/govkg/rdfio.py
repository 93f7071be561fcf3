"""Deterministic, atomic RDF serialisation and loading; the format follows the file extension."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .atomic import write_atomic
from .formats import RDF_KINDS, Format, Kind
from .vocab import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

__all__ = ["FORMATS", "format_for", "dumps", "serialize", "load"]

#: File suffix → rdflib format name, from :class:`~govkg.formats.Format`.
FORMATS: dict[str, str] = {sfx: f.rdflib for f in Format.of_kind(*RDF_KINDS) for sfx in f.suffixes}


def _format(path: str | os.PathLike[str], format: str | Format | None) -> Format:
    return Format.from_name(format) if format else Format.from_suffix(path)


def format_for(path: str | os.PathLike[str], format: str | Format | None = None) -> str:
    """The rdflib format for ``path`` (or the explicit ``format``); ValueError if unknown.

    Examples
    --------
    >>> format_for("graph/govkg.trig"), format_for("x.bin", "ttl")
    ('trig', 'turtle')
    """
    return _format(path, format).rdflib


def _bind(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _named_graphs(data: Dataset | Graph) -> list[Graph]:
    if isinstance(data, Dataset):
        graphs = [g for g in data.graphs() if len(g)]
        return sorted(graphs, key=lambda g: (g.identifier != DATASET_DEFAULT_GRAPH_ID, str(g.identifier)))
    return [data]


def _ox_quads(data: Dataset | Graph, *, union: bool) -> list[ox.Quad]:
    """The statements of ``data`` as pyoxigraph quads in one canonical order (graph, subject, predicate,
    object, each by its N-Triples form); with ``union``, as triples of the default graph, without repeats."""
    import pyoxigraph as ox

    from .store import to_ox

    cache: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def conv(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        r = cache.get(t)
        if r is None:
            r = cache[t] = to_ox(t)
        return r

    rows: dict[tuple[str, str, str, str], ox.Quad] = {}
    for g in _named_graphs(data):
        named = isinstance(data, Dataset) and g.identifier != DATASET_DEFAULT_GRAPH_ID and not union
        gname = ox.NamedNode(str(g.identifier)) if named else ox.DefaultGraph()
        gkey = str(g.identifier) if named else ""
        for s, p, o in g:
            q = ox.Quad(conv(s), conv(p), conv(o), gname)  # type: ignore[arg-type]  # a literal subject or predicate: to_ox raises first
            rows[(gkey, str(q.subject), str(q.predicate), str(q.object))] = q
    return [rows[k] for k in sorted(rows)]


def _ox_dumps(data: Dataset | Graph, fmt: Format) -> str:
    import pyoxigraph as ox

    quads = _ox_quads(data, union=fmt.kind == Kind.GRAPH)
    statements = [ox.Triple(q.subject, q.predicate, q.object) for q in quads] if fmt.kind == Kind.GRAPH else quads
    prefixes = {k: str(v) for k, v in sorted(PREFIXES.items())} if fmt in (Format.TRIG, Format.TURTLE, Format.RDF_XML) else None
    out = ox.serialize(statements, format=fmt.oxigraph, prefixes=prefixes)
    assert out is not None  # no output file given: the bytes are returned
    return out.decode("utf-8")


def _sort_json(obj: object) -> object:
    if isinstance(obj, dict):
        return {k: (v if k == "@list" else _sort_json(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        items = [_sort_json(v) for v in obj]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return obj


def dumps(data: Dataset | Graph, format: str | Format) -> str:
    """Serialise deterministically: sorted statements, fixed prefixes, no timestamps.

    ``format`` is a :class:`~govkg.formats.Format` or its name. Graph formats (``turtle``, ``nt``, ``rdfxml``)
    write the union of all graphs; dataset formats (``trig``, ``nquads``, ``jsonld``) keep the named graphs.
    All but JSON-LD are written by pyoxigraph (time linear in the size of the graph; every character escaped as
    the format requires).

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("http://e/司法所"), URIRef("http://e/name"), Literal("葵涌")))
    >>> print(dumps(g, "nt"), end="")
    <http://e/司法所> <http://e/name> "葵涌" .
    """
    fmt = Format.from_name(format)
    if fmt != Format.JSON_LD:
        return _ox_dumps(data, fmt)
    src: Graph
    if isinstance(data, Dataset):
        ds = Dataset()
        src = _bind(ds)
        for g in _named_graphs(data):
            target = ds.graph(g.identifier)
            for t in g:
                target.add(t)
    else:
        src = data
    raw = json.loads(src.serialize(format="json-ld"))
    return json.dumps(_sort_json(raw), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def serialize(data: Dataset | Graph, path: str | os.PathLike[str], format: str | Format | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same directory, then os.replace).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rdflib import Graph
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> serialize(Graph(), out).name
    'g.nt'
    """
    return write_atomic(path, dumps(data, _format(path, format)))


def load(path: str | os.PathLike[str], format: str | Format | None = None) -> Dataset:
    """Read a file into a Dataset (triple formats land in the default graph)."""
    fmt = format_for(path, format)
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    ds.parse(str(path), format=fmt)
    return ds
