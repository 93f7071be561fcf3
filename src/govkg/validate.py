"""SHACL validation of a govkg graph (pySHACL over the union of named graphs) plus the offset invariant."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import OntologyError, ValidationError
from .vocab import GK, NIF, ONTOLOGY_PATH, SHAPES_PATH

__all__ = ["ValidationReport", "validate", "validate_file", "check_mentions", "check_texts"]


@dataclass
class ValidationReport:
    """Outcome of :func:`validate`: ``results`` are (focus node, path, message) triples, sorted."""

    conforms: bool
    text: str
    results: list[tuple[str, str, str]] = field(default_factory=list)


@lru_cache(maxsize=4)

def _one_line(exc: BaseException) -> str:
    """A parser's message on one line (rdflib's quote the input over several)."""
    return " ".join(str(exc).split())

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
    texts: dict[Node, str] = {}
    for m in sorted(set(graph.subjects(RDF.type, GK.Mention)), key=str):
        ctx = graph.value(m, NIF.referenceContext)
        begin, end, quote = (graph.value(m, p) for p in (NIF.beginIndex, NIF.endIndex, NIF.anchorOf))
        if ctx is None or begin is None or end is None or quote is None:
            continue  # the SHACL shape reports missing parts
        if ctx not in texts:
            s = graph.value(ctx, NIF.isString)
            texts[ctx] = str(s) if isinstance(s, Literal) else ""
        text = texts[ctx]
        try:
            b, e = int(str(begin)), int(str(end))
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


def check_texts(graph: Graph) -> list[tuple[str, str, str]]:
    """Documents whose stored text no longer hashes to their gk:sha256 (the text stored must be the text read)."""
    import hashlib

    from rdflib.namespace import DCTERMS

    problems: list[tuple[str, str, str]] = []
    for ctx, doc in sorted(graph.subject_objects(DCTERMS.isFormatOf)):
        text, digest = graph.value(ctx, NIF.isString), graph.value(doc, GK.sha256)
        if text is None or digest is None:
            continue
        got = hashlib.sha256(str(text).encode("utf-8")).hexdigest()
        if got != str(digest):
            problems.append((str(doc), str(GK.sha256), f"the stored text hashes to {got[:16]}…, not {str(digest)[:16]}…"))
    return problems


def _shacl(data: Graph, shapes_graph: Graph) -> list[tuple[str, str, str]]:
    import pyshacl  # imported lazily: it is slow to import

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
    if not conforms and not results:  # pragma: no cover - pySHACL always reports why
        results.append(("", "", "does not conform"))
    results.extend(check_mentions(data))
    results.extend(check_texts(data))
    return results


def _report(results: list[tuple[str, str, str]], graphs: int | None = None) -> ValidationReport:
    results = sorted(set(results))
    ok = not results
    lines = [f"Conforms: {ok}"]
    if graphs is not None:
        lines.append(f"Graphs: {graphs} (each report's graph validated with the reference graph)")
    lines.append(f"Results ({len(results)}):")
    lines += [f"  {focus} {path}: {msg}" for focus, path, msg in results]
    return ValidationReport(conforms=ok, text="\n".join(lines) + "\n", results=results)


def _graph_runs(path: Path) -> Iterator[tuple[str, bytes]]:
    """(graph name, its statements as N-Triples) for each run of one graph in an N-Quads or TriG file, streamed."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_QUADS if path.suffix.lower() == ".nq" else ox.RdfFormat.TRIG
    current: str | None = None
    run: list[ox.Triple] = []
    try:
        for q in ox.parse(path=str(path), format=fmt):
            g = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            if g != current and run:
                yield current or "", (ox.serialize(run, format=ox.RdfFormat.N_TRIPLES) or b"")
                run = []
            current = g
            run.append(ox.Triple(q.subject, q.predicate, q.object))
    except (SyntaxError, ValueError) as exc:
        raise ValidationError(f"cannot read graph {path}: {_one_line(exc)}") from None
    if run:
        yield current or "", (ox.serialize(run, format=ox.RdfFormat.N_TRIPLES) or b"")


_REFERENCE: list[bytes] = []  # a worker's copy of the reference graph (set by _init_worker)


def _init_worker(reference: list[bytes]) -> None:
    _REFERENCE[:] = reference


def _validate_run(task: tuple[str, bytes, str | None]) -> list[tuple[str, str, str]]:
    _name, ntriples, shapes = task
    data = Graph()
    data.parse(data=ntriples, format="nt")
    for ref in _REFERENCE:
        data.parse(data=ref, format="nt")
    shapes_graph = _file_graph(shapes or SHAPES_PATH)
    return _shacl(data, shapes_graph)


def validate_file(
    path: str | os.PathLike[str], *, shapes: str | os.PathLike[str] | None = None, jobs: int | None = None
) -> ValidationReport:
    """Validate a TriG or N-Quads file (or a build folder's govkg.trig) one named graph at a time.

    Each report's graph is checked with the reference graph beside it (its areas' types and codes), in
    ``jobs`` worker processes (default: every core), so memory stays that of one report whatever the corpus.
    """
    import multiprocessing as mp

    p = Path(path)
    if p.is_dir():
        p = p / "govkg.trig"
    if not p.is_file():
        raise ValidationError(f"{p}: no such graph file; run `govkg build` first or name a graph file")
    from .vocab import REFERENCE_GRAPH

    # the reference graph first (it is the last graph of govkg.trig), then every other graph
    reference = [nt for g, nt in _graph_runs(p) if g == str(REFERENCE_GRAPH)]
    _init_worker(reference)
    shapes_str = None if shapes is None else str(shapes)
    tasks = ((g, nt, shapes_str) for g, nt in _graph_runs(p) if g != str(REFERENCE_GRAPH))
    results: list[tuple[str, str, str]] = []
    n = 0
    jobs = jobs or os.cpu_count() or 1
    try:
        if jobs <= 1:
            for t in tasks:
                results.extend(_validate_run(t))
                n += 1
        else:
            _file_graph(ONTOLOGY_PATH), _file_graph(shapes_str or SHAPES_PATH)  # parsed once, shared by fork
            import pyshacl  # noqa: F401 - imported once before the workers fork

            method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
            with mp.get_context(method).Pool(jobs, initializer=_init_worker, initargs=(reference,)) as pool:
                for found in pool.imap(_validate_run, tasks, chunksize=4):
                    results.extend(found)
                    n += 1
        if n == 0 and _REFERENCE:
            results.extend(_validate_run(("", b"", shapes_str)))
    finally:
        _REFERENCE.clear()
    return _report(results, graphs=n)


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
    if isinstance(graph_or_path, (Dataset, Graph)):
        data = _union(graph_or_path)
    else:
        from .rdfio import load

        try:
            data = _union(load(graph_or_path))
        except (OSError, ValueError, SyntaxError) as exc:
            raise ValidationError(f"cannot read graph {graph_or_path}: {_one_line(exc)}") from exc
    if shapes is None:
        shapes_graph = _file_graph(SHAPES_PATH)
    elif isinstance(shapes, Graph):
        shapes_graph = shapes
    else:
        shapes_graph = _file_graph(shapes)
    return _report(_shacl(data, shapes_graph))
