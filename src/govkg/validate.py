"""SHACL validation of a govkg graph (pySHACL over the union of named graphs) plus the offset invariant."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .errors import OntologyError, ValidationError
from .vocab import GK, NIF, ONTOLOGY_PATH, SHAPES_PATH

__all__ = ["ValidationReport", "validate", "check_mentions"]


@dataclass
class ValidationReport:
    """Outcome of :func:`validate`: ``results`` are (focus node, path, message) triples, sorted."""

    conforms: bool
    text: str
    results: list[tuple[str, str, str]] = field(default_factory=list)


@lru_cache(maxsize=4)
def _parse(path: str, mtime: float) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, ValueError) as exc:
        raise OntologyError(f"cannot read {path}: {exc}") from exc


def _file_graph(path: str | os.PathLike[str]) -> Graph:
    p = Path(path)
    if not p.is_file():
        raise OntologyError(f"missing file {p}")
    return _parse(str(p), p.stat().st_mtime)


def _union(data: Dataset | Graph) -> Graph:
    out = Graph()
    if isinstance(data, Dataset):
        for s, p, o, _g in data.quads((None, None, None, None)):
            out.add((s, p, o))
    else:
        for t in data:
            out.add(t)
    return out


def check_mentions(graph: Graph) -> list[tuple[str, str, str]]:
    """Mentions whose nif:anchorOf differs from ``nif:isString[begin:end]`` of their context."""
    problems: list[tuple[str, str, str]] = []
    texts: dict[URIRef, str] = {}
    for m in sorted(set(graph.subjects(RDF.type, GK.Mention))):
        ctx = graph.value(m, NIF.referenceContext)
        begin, end, quote = (graph.value(m, p) for p in (NIF.beginIndex, NIF.endIndex, NIF.anchorOf))
        if ctx is None or begin is None or end is None or quote is None:
            continue  # the SHACL shape reports missing parts
        if ctx not in texts:
            s = graph.value(ctx, NIF.isString)
            texts[ctx] = str(s) if isinstance(s, Literal) else ""
        text = texts[ctx]
        try:
            b, e = int(begin), int(end)
        except (TypeError, ValueError):
            continue
        if not text:
            problems.append((str(m), str(NIF.referenceContext), f"context {ctx} has no nif:isString"))
        elif not (0 <= b < e <= len(text)) or text[b:e] != str(quote):
            found = text[b:e] if 0 <= b < e <= len(text) else "<out of range>"
            problems.append(
                (str(m), str(NIF.anchorOf), f"anchorOf {str(quote)!r} != text[{b}:{e}] {found!r}")
            )
    return problems


def validate(
    graph_or_path: Dataset | Graph | str | os.PathLike[str],
    *,
    shapes: Graph | str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Validate a graph (or an RDF file) against ontology/shapes.ttl and the mention invariant.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
    """
    import pyshacl  # imported lazily: it is slow to import

    if isinstance(graph_or_path, (Dataset, Graph)):
        data = _union(graph_or_path)
    else:
        from .rdfio import load

        try:
            data = _union(load(graph_or_path))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"cannot read graph {graph_or_path}: {exc}") from exc
    if shapes is None:
        shapes_graph = _file_graph(SHAPES_PATH)
    elif isinstance(shapes, Graph):
        shapes_graph = shapes
    else:
        shapes_graph = _file_graph(shapes)
    conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        ont_graph=_file_graph(ONTOLOGY_PATH),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    results: list[tuple[str, str, str]] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        msg = report.value(r, SH.resultMessage)
        results.append((str(focus), "" if path is None else str(path), "" if msg is None else str(msg)))
    results.extend(check_mentions(data))
    results = sorted(set(results))
    ok = bool(conforms) and not results
    lines = [f"Conforms: {ok}", f"Results ({len(results)}):"]
    lines += [f"  {focus} {path}: {msg}" for focus, path, msg in results]
    return ValidationReport(conforms=ok, text="\n".join(lines) + "\n", results=results)
