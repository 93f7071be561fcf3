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


def _union(data: Dataset | Graph) -> Graph:
    out = _bind(Graph())
    for g in _named_graphs(data):
        for t in g:
            out.add(t)
    return out


def _turtle_body(g: Graph) -> tuple[list[str], str]:
    copy = _bind(Graph())
    for t in g:
        copy.add(t)
    text = copy.serialize(format="turtle")
    head = [ln for ln in text.splitlines() if ln.startswith("@prefix")]
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("@prefix")).strip("\n")
    return head, body


def _trig(data: Dataset | Graph) -> str:
    prefixes: set[str] = set()
    blocks: list[str] = []
    for g in _named_graphs(data):
        head, body = _turtle_body(g)
        prefixes.update(head)
        ident = g.identifier
        if isinstance(data, Dataset) and ident != DATASET_DEFAULT_GRAPH_ID:
            # no re-indentation: long literals (the full text) span lines and must stay verbatim
            blocks.append(f"<{ident}> {{\n{body}\n}}\n")
        else:
            blocks.append(f"{{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _sort_json(obj: object) -> object:
    if isinstance(obj, dict):
        return {k: (v if k == "@list" else _sort_json(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        items = [_sort_json(v) for v in obj]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return obj


def dumps(data: Dataset | Graph, format: str) -> str:
    """Serialise deterministically: sorted statements, fixed prefixes, no timestamps.

    ``turtle`` writes the union of all graphs; ``trig``/``nquads``/``json-ld`` keep the named graphs.
    """
    if format == "turtle":
        return _union(data).serialize(format="turtle")
    if format == "trig":
        return _trig(data)
    if format == "nt":
        lines = _union(data).serialize(format="nt").splitlines()
        return "".join(ln + "\n" for ln in sorted(set(ln for ln in lines if ln.strip())))
    if format == "nquads":
        ds = data if isinstance(data, Dataset) else None
        if ds is None:
            lines = data.serialize(format="nt").splitlines()
        else:
            lines = ds.serialize(format="nquads").splitlines()
        return "".join(ln + "\n" for ln in sorted(set(ln for ln in lines if ln.strip())))
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
