"""Running SPARQL on Oxigraph (default) or rdflib: :func:`execute` as given, :func:`run_query` with parameters."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from ..errors import QueryError, QuerySyntaxError
from .binding import _as_iri, bind_values, to_term
from .named import NamedQuery, Param, apply_if_bound, load_query
from .results import Result, result_to_dataframe

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyoxigraph as ox

__all__ = ["ENGINES", "execute", "is_update", "query", "run_query"]

#: The SPARQL engines :func:`run_query` and :func:`execute` can use.
ENGINES = ("oxigraph", "rdflib")

_TRIPLE_COLUMNS = ("subject", "predicate", "object")
_XSD_STRING = str(XSD.string)
Row = tuple[Identifier | None, ...]


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; use 'oxigraph' or 'rdflib'")


def _rdflib_source(source: object) -> Graph:
    """``source`` as an rdflib graph whose default graph is the union of all graphs."""
    import pyoxigraph as ox

    from ..store import is_build_dir, is_store_dir, open_store, store_to_dataset

    if isinstance(source, (list, tuple)):
        if len(source) != 1:
            raise QueryError("the rdflib engine reads one graph: give one file or folder, or use the oxigraph engine")
        source = source[0]
    if isinstance(source, Dataset):
        return Dataset(store=source.store, default_union=True)
    if isinstance(source, Graph):
        return Dataset(store=source.store, default_union=True) if source.context_aware else source
    if isinstance(source, (str, os.PathLike)) and is_build_dir(source):
        source = Path(source) / "govkg.trig"
    if isinstance(source, (str, os.PathLike)) and is_store_dir(source):
        source = open_store(source)
    if isinstance(source, ox.Store):
        ds = store_to_dataset(source)
    elif isinstance(source, (str, os.PathLike)):
        from ..rdfio import load

        try:
            ds = load(source)
        except (ValueError, OSError) as exc:
            raise QueryError(str(exc)) from None
    else:
        raise QueryError(f"cannot query a {type(source).__name__}; give a graph, a dataset, a store or a file")
    ds.default_union = True
    return ds


def _store(source: object) -> ox.Store:
    from ..store import is_build_dir, open_build, open_store

    if isinstance(source, (str, os.PathLike)) and is_build_dir(source):
        return open_build(source)  # a build folder: its store, read-only
    return open_store(source)


def _ox_query(
    store: ox.Store, text: str, default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    import pyoxigraph as ox

    from ..store import query_options

    kw: dict[str, Any] = {}
    if default_graph:
        kw["default_graph"] = [ox.NamedNode(g) for g in default_graph]
    else:
        kw.update(query_options(store))
    if named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        return store.query(text, **kw)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def _plain(t: Node | None) -> Identifier | None:
    """xsd:string-typed literals as plain literals (rdflib treats them as different terms)."""
    if isinstance(t, Literal) and t.datatype is not None and str(t.datatype) == _XSD_STRING:
        return Literal(str(t))
    return t if isinstance(t, Identifier) else None


def _collect(
    rows: Iterable[Row],
    limit: int | None,
    cancel: threading.Event | None,
    errors: tuple[type[Exception], ...],
    message: str,
) -> tuple[list[Row], bool]:
    """At most ``limit`` rows and whether more were available; ``errors`` raised while iterating (evaluation
    errors surface there) become QueryError with ``message``."""
    out: list[Row] = []
    try:
        for row in rows:
            if cancel is not None and cancel.is_set():
                raise QueryError("query cancelled")
            if limit is not None and len(out) >= limit:
                return out, True
            out.append(row)
    except QueryError:
        raise
    except errors as exc:
        raise QueryError(f"{message}: {exc}") from None
    return out, False


def execute(
    source: object,
    text: str,
    *,
    engine: str = "oxigraph",
    limit: int | None = None,
    cancel: threading.Event | None = None,
    default_graph: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> Result:
    """Run SPARQL ``text`` as given (no parameters) and collect at most ``limit`` rows.

    ``cancel`` (an Event) is checked between rows; when set, QueryError is raised. The default graph
    is the union of all graphs unless ``default_graph`` names graphs (Oxigraph only).

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal("葵涌")))
    >>> execute(g, "SELECT ?o WHERE { ?s ?p ?o }").rows
    [(rdflib.term.Literal('葵涌'),)]
    >>> execute(g, "ASK { ?s ?p 1 }", engine="rdflib").boolean
    False
    """
    _check_engine(engine)
    rows: Iterable[Row]
    errors: tuple[type[Exception], ...]
    if engine == "oxigraph":
        import pyoxigraph as ox

        from ..store import from_ox

        res = _ox_query(_store(source), text, default_graph, named_graphs)
        if isinstance(res, ox.QueryBoolean):
            return Result(["ASK"], [], "ask", bool(res))
        if isinstance(res, ox.QuerySolutions):
            columns, kind = [v.value for v in res.variables], "select"
            rows = (tuple(from_ox(t) for t in sol) for sol in res)
        else:
            columns, kind = list(_TRIPLE_COLUMNS), "graph"
            rows = ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in res)
        errors, message = (OSError, ValueError, RuntimeError), "query failed"
    else:
        if default_graph or named_graphs:
            raise QueryError("default_graph/named_graphs are only supported on the oxigraph engine")
        from pyparsing import ParseException

        try:
            answer = _rdflib_source(source).query(text)
        except ParseException as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - rdflib raises assorted errors for bad queries
            raise QueryError(f"SPARQL error: {exc}") from None
        if answer.type == "ASK":
            return Result(["ASK"], [], "ask", bool(answer.askAnswer))
        if answer.type == "SELECT":
            columns, kind = [str(v) for v in answer.vars or []], "select"
            rows = (tuple(_plain(v) for v in r) for r in cast("Iterable[ResultRow]", answer))
        else:
            columns, kind = list(_TRIPLE_COLUMNS), "graph"
            rows = (tuple(_plain(v) for v in t) for t in (answer.graph if answer.graph is not None else ()))
        errors, message = (Exception,), "SPARQL error"
    collected, truncated = _collect(rows, limit, cancel, errors, message)
    return Result(columns, collected, kind, truncated=truncated)


_LOOKUP = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e WHERE {
  ?e skos:prefLabel|skos:altLabel|skos:hiddenLabel|foaf:name|dct:title|rdfs:label ?l .
  FILTER(STR(?l) = STR(?label))
} ORDER BY ?e"""

_NO_MATCH = URIRef("urn:govkg:no-such-entity")


def _dialect(engine: str) -> str:
    return "rdflib" if engine == "rdflib" else "standard"


def _resolve_entity(source: object, engine: str, value: object, name: str) -> tuple[list[Identifier], list[str]]:
    """An ``entity`` parameter: an IRI as is, or every entity with that name (label lookup, bound safely)."""
    if isinstance(value, URIRef):
        return [to_term(value)], []
    if isinstance(value, str):
        iri = _as_iri(value)
        if iri is not None:
            return [iri], []
    label = str(value).strip()
    text = bind_values(_LOOKUP, {"label": [Literal(label)]}, dialect=_dialect(engine))
    res = execute(source, text, engine=engine)
    iris: list[Identifier] = [r[0] for r in res.rows if isinstance(r[0], URIRef)]
    if iris:
        return iris, []
    # bind an IRI no graph uses rather than an empty VALUES block, which rdflib cannot evaluate
    return [_NO_MATCH], [f"no entity is named {label!r} (parameter {name})"]


def run_query(
    source: object,
    name_or_sparql: str | NamedQuery,
    params: Mapping[str, object] | None = None,
    *,
    engine: str = "oxigraph",
    limit: int | None = None,
) -> Result:
    """Run a named query, a ``.rq`` file or SPARQL text over ``source`` with parameters bound safely.

    Parameters
    ----------
    source
        rdflib Dataset/Graph, pyoxigraph Store, RDF file, store directory or build folder. Queries see
        the union of all named graphs.
    name_or_sparql
        Named query (see :func:`list_queries`), path to a ``.rq`` file, or SPARQL text.
    params
        Values for the query's parameters, by name (any name: ``limit`` or ``engine`` too), bound as RDF
        terms through a ``VALUES`` clause at the top of the WHERE group (see :func:`to_term`). A list binds
        several values. ``entity`` parameters accept an IRI or a name; a name is looked up among labels and
        binds every entity that carries it. Parameters left out (or None) stay unbound, which the named
        queries read as "any".
    engine
        ``"oxigraph"`` (default) or ``"rdflib"``.
    limit
        Stop after this many rows (``Result.truncated`` tells whether more were available).

    Raises
    ------
    QueryError
        An unknown query, engine or parameter, a missing required parameter, a bad value or a failed query
        (:class:`~govkg.errors.QuerySyntaxError` if the SPARQL does not parse).

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal("x")))
    >>> r = run_query(g, "SELECT ?s WHERE { ?s ?p ?o }", {"o": 'x" } ; DELETE WHERE { ?s ?p ?o } #'})
    >>> len(r.rows)
    0
    >>> run_query(g, "SELECT ?s WHERE { ?s ?p ?o }", {"o": "x"}, engine="rdflib").rows
    [(rdflib.term.URIRef('http://e/a'),)]
    """
    import pyoxigraph as ox

    params = dict(params or {})
    nq = load_query(name_or_sparql)
    _check_engine(engine)
    if engine == "oxigraph" and not isinstance(source, ox.Store):
        source = _store(source)
    elif engine == "rdflib":
        source = _rdflib_source(source)
    declared = {p.name: p for p in nq.params}
    if nq.path is not None:
        unknown = sorted(set(params) - set(declared))
        if unknown:
            have = ", ".join(declared) or "none"
            raise QueryError(f"query {nq.name!r} has no parameter(s) {', '.join(unknown)} (it takes: {have})")
    missing = [p.name for p in nq.params if p.required and params.get(p.name) is None]
    if missing:
        raise QueryError(f"query {nq.name!r} needs parameter(s): {', '.join(missing)}")
    bindings: dict[str, list[Identifier]] = {}
    notes: list[str] = []
    for name, value in params.items():
        if value is None:
            continue
        p = declared.get(name, Param(name))
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        terms: list[Identifier] = []
        for v in values:
            if p.kind == "entity":
                found, why = _resolve_entity(source, engine, v, name)
                terms.extend(found)
                notes.extend(why)
            else:
                terms.append(to_term(v, p.kind))
        bindings[name] = list(dict.fromkeys(terms))
    text = bind_values(apply_if_bound(nq.text, bindings), bindings, dialect=_dialect(engine))
    res = execute(source, text, engine=engine, limit=limit)
    res.notes.extend(notes)
    return res


def query(
    graph_or_store: object, name_or_sparql: str | NamedQuery, params: Mapping[str, object] | None = None, /,
    **kwparams: object,
) -> pandas.DataFrame:
    """Run a named query or SPARQL on Oxigraph and return a pandas DataFrame.

    Parameters come as a mapping, as keywords, or both (a name in both is an error); every keyword is a
    query parameter, whatever its name. They are bound safely (see :func:`run_query`). Numbers become
    numbers, ``xsd:date`` and ``xsd:dateTime`` become datetime64, ``xsd:gYear`` becomes an integer year,
    IRIs and labels strings.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("http://e/a"), URIRef("http://e/n"), Literal(7)))
    >>> int(query(g, "SELECT ?n WHERE { ?s ?p ?n }")["n"][0])
    7
    >>> query(g, "SELECT ?s WHERE { ?s ?p ?limit }", limit=7)["s"].tolist()
    ['http://e/a']
    """
    both = sorted(set(params or {}) & set(kwparams))
    if both:
        raise QueryError(f"parameter(s) {', '.join(both)} given both in the mapping and as keywords")
    return result_to_dataframe(run_query(graph_or_store, name_or_sparql, {**(params or {}), **kwparams}))


def is_update(text: str) -> bool:
    """True if ``text`` parses as a SPARQL 1.1 Update (used to refuse updates on read-only endpoints).

    Examples
    --------
    >>> is_update("DELETE WHERE { ?s ?p ?o }"), is_update("SELECT * WHERE { ?s ?p ?o }")
    (True, False)
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - any parse failure means "not an update"
        return False
    return True
