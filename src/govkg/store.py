"""Embedded Oxigraph store: load rdflib graphs or RDF files (keeping named graphs) for fast SPARQL."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Identifier, Node

from .atomic import write_atomic
from .errors import QueryError
from .formats import Format
from .reportcache import Cache, code_fingerprint, prefix_map, trig_prefixes

__all__ = [
    "open_store",
    "add_to_store",
    "is_store_dir",
    "is_build_dir",
    "open_build",
    "to_ox",
    "from_ox",
    "store_to_dataset",
    "materialise_union",
    "query_options",
    "BuildStore",
    "checkpoint_store",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot store RDF term {term!r} of type {type(term).__name__}")


def from_ox(term: object) -> Identifier | None:
    """A pyoxigraph term as an rdflib term (plain literals for xsd:string, as rdflib writes them)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise QueryError(f"unsupported RDF term {term!r} (RDF 1.2 triple terms are not used by govkg)")


def _graph_name(ident: Identifier) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    if ident == DATASET_DEFAULT_GRAPH_ID or ident is None:
        return ox.DefaultGraph()
    if isinstance(ident, BNode):
        return ox.BlankNode(str(ident))
    return ox.NamedNode(str(ident))


def _quads(data: Graph) -> Iterator[ox.Quad]:
    """Every statement of ``data`` as a pyoxigraph quad, named graphs kept."""
    cache: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def conv(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        o = cache.get(t)
        if o is None:
            o = to_ox(t)
            if len(cache) < 500_000:
                cache[t] = o
        return o

    if isinstance(data, Dataset):
        for g in data.graphs():
            gname = _graph_name(g.identifier)
            for s, p, o in g:
                yield ox.Quad(conv(s), conv(p), conv(o), gname)  # type: ignore[arg-type]  # RDF: no literal subjects
    else:
        for s, p, o in data:
            yield ox.Quad(conv(s), conv(p), conv(o), ox.DefaultGraph())  # type: ignore[arg-type]  # as above


def is_store_dir(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a directory holding an on-disk Oxigraph store (RocksDB files)."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").exists()


def is_build_dir(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a folder written by ``govkg build`` that holds a store (``store/``)."""
    p = Path(path)
    return p.is_dir() and is_store_dir(p / "store") and (p / ".govkg" / "store.json").is_file()


def open_build(path: str | os.PathLike[str]) -> ox.Store:
    """The store of a build folder, opened read-only (a build may go on writing it meanwhile).

    Examples
    --------
    >>> import tempfile
    >>> open_build(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    govkg.errors.QueryError: ... holds no govkg build with a store; run `govkg build -o ...` first
    """
    p = Path(path)
    if not is_build_dir(p):
        raise QueryError(f"{p} holds no govkg build with a store; run `govkg build -o {p}` first")
    try:
        return ox.Store.read_only(str(p / "store"))
    except OSError as exc:
        raise QueryError(f"cannot open the store of {p}: {exc}") from None


def add_to_store(store: ox.Store, source: object, *, format: str | None = None) -> ox.Store:
    """Add ``source`` (rdflib Dataset/Graph, file path, or pyoxigraph Store) to ``store``; returns it.

    Files are parsed by Oxigraph: TriG and N-Quads keep their named graphs; Turtle and N-Triples
    land in the default graph. ``format`` overrides the file extension (``trig``, ``turtle``,
    ``nquads``, ``ntriples``, ``json-ld``).
    """
    if isinstance(source, ox.Store):
        store.extend(list(source))
    elif isinstance(source, Graph):
        batch: list[ox.Quad] = []
        for q in _quads(source):
            batch.append(q)
            if len(batch) >= 200_000:
                store.extend(batch)
                batch = []
        if batch:
            store.extend(batch)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise QueryError(f"no such RDF file: {str(path)!r}")
        fmt = _format(path, format)
        try:
            with open(path, "rb") as fh:
                store.bulk_load(fh, fmt) if path.stat().st_size > 50_000_000 else store.load(fh, fmt)
        except SyntaxError as exc:
            raise QueryError(f"{path}: cannot parse as {fmt}: {exc}") from None
    elif isinstance(source, (bytes, io.IOBase)):
        if format is None:
            raise QueryError("give the format of RDF bytes or streams")
        try:
            store.load(cast("bytes | IO[bytes]", source), _format(Path("x"), format))
        except SyntaxError as exc:
            raise QueryError(f"cannot parse RDF input: {exc}") from None
    else:
        raise QueryError(f"cannot load {type(source).__name__} into a store; give a graph, a dataset or a file")
    return store


def _format(path: Path, format: str | None) -> ox.RdfFormat:
    try:
        return (Format.from_name(format) if format else Format.from_suffix(path)).oxigraph
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def open_store(
    source: object = None,
    *,
    path: str | os.PathLike[str] | None = None,
    format: str | None = None,
) -> ox.Store:
    """Open a pyoxigraph Store, in memory or on disk at ``path``, and load ``source`` into it.

    Parameters
    ----------
    source
        ``None``; a pyoxigraph Store (returned as is when ``path`` is None); an rdflib Dataset or
        Graph; a file (TriG, Turtle, N-Quads, N-Triples, JSON-LD); an on-disk store directory; or
        a list of those. Named graphs are kept, and the default graph receives their union (see
        :func:`materialise_union`), so plain queries see every graph at once with set semantics.
    path
        Directory of an on-disk store; created if missing, reopened (and added to) if present.
    format
        RDF format of ``source`` files when the extension does not tell.

    Examples
    --------
    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph(); _ = g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal("x")))
    >>> len(open_store(g))
    1
    """
    if isinstance(source, ox.Store) and path is None:
        return source
    if isinstance(source, (str, os.PathLike)) and path is None and is_store_dir(source):
        try:
            return ox.Store(str(source))
        except OSError as exc:
            raise QueryError(f"cannot open store {str(source)!r}: {exc}") from None
    try:
        store = ox.Store(str(path)) if path is not None else ox.Store()
    except OSError as exc:
        raise QueryError(f"cannot open store {str(path)!r}: {exc}") from None
    if source is None:
        return store
    sources: Iterable[object]
    if isinstance(source, (list, tuple)):
        sources = source
    else:
        sources = [source]
    for src in sources:
        if isinstance(src, (str, os.PathLike)) and is_store_dir(src):
            add_to_store(store, ox.Store(str(src)))
        else:
            add_to_store(store, src, format=format)
    materialise_union(store)
    if path is not None:
        store.flush()
    return store


def materialise_union(store: ox.Store) -> ox.Store:
    """Copy every named-graph triple into the default graph, which then holds the RDF merge (a set).

    Oxigraph's ``use_default_graph_as_union`` joins the graphs as a bag: a triple stated in two
    documents' graphs (a shared period or label) matches twice, so answers would differ from
    rdflib and from SPARQL's merge semantics. Stores built by :func:`open_store` therefore keep the
    union in the default graph; named graphs stay available to ``GRAPH ?g { … }``.
    """
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def query_options(store: ox.Store) -> dict[str, object]:
    """Keyword arguments for ``Store.query`` so that the default graph is the union of all graphs.

    A store whose default graph has data is taken to hold the union (see :func:`materialise_union`);
    a store with named graphs only (built elsewhere) is queried with ``use_default_graph_as_union``.
    """
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return {"default_graph": ox.DefaultGraph()}
    return {"use_default_graph_as_union": True}


def _default_graph(ds: Dataset) -> Graph:
    """The default graph of a Dataset (``default_graph`` in rdflib ≥ 7.2, ``default_context`` before)."""
    graph: Graph = ds.default_graph if hasattr(type(ds), "default_graph") else ds.default_context
    return graph


def store_to_dataset(store: ox.Store | Iterable[ox.Quad], ds: Dataset | None = None) -> Dataset:
    """Copy a pyoxigraph Store, or any pyoxigraph quads, into an rdflib Dataset (a new one unless ``ds`` is
    given); named graphs are kept."""
    ds = Dataset() if ds is None else ds
    cache: dict[tuple[type, str], Identifier] = {}

    def conv(t: object) -> Identifier:
        key = (type(t), str(t))
        r = cache.get(key)
        if r is None:
            r = from_ox(t)
            assert r is not None  # only None gives None
            cache[key] = r
        return r

    graphs: dict[str, Graph] = {}
    for q in store:
        gn = q.graph_name
        if isinstance(gn, ox.DefaultGraph):
            g = _default_graph(ds)
            key = ""
        else:
            key = str(gn)
            if key not in graphs:
                graphs[key] = ds.graph(from_ox(gn))
            g = graphs[key]
        g.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return ds


def checkpoint_store(path: Path, state_dir: Path, to_path: Path, to_state_dir: Path) -> bool:
    """Copy the store of a build folder (``path``, its state in ``state_dir``) for the next build to update.

    The copy is a RocksDB checkpoint (:meth:`pyoxigraph.Store.backup`): hard links to the store's immutable files,
    so it costs little whatever the store's size, and the store copied is opened read-only and never changed.
    Returns False, copying nothing, when there is no complete store to copy (the next build then loads one anew).
    """
    state = state_dir / "store.json"
    try:
        complete = json.loads(state.read_text(encoding="utf-8")).get("complete") is True
    except (OSError, ValueError, AttributeError):
        complete = False
    if not complete or not is_store_dir(path):
        return False
    try:
        ox.Store.read_only(str(path)).backup(str(to_path))
    except OSError:
        shutil.rmtree(to_path, ignore_errors=True)
        return False
    to_state_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(state, to_state_dir / "store.json")
    return True


#: Statements per bulk load into a build's store (Oxigraph's bulk loader holds one batch in memory).
STORE_BATCH_QUADS = 200_000


class BuildStore:
    """Keeps ``out/store`` equal to the build: each report's named graph, the reference graph, and their union
    (a set) as the default graph.

    New graphs are bulk-loaded in batches of about :data:`STORE_BATCH_QUADS` statements while the workers go
    on extracting (Oxigraph's bulk loader holds a batch in memory, so memory stays flat); graphs of reports
    that are gone are dropped at the end, and their statements leave the union where no other graph states
    them. ``.govkg/store.json`` records the graphs loaded; a store that a build left half-way is marked
    incomplete, and the next build loads it anew (a build writes a copy of the folder's store, made by
    :func:`checkpoint_store`, and swaps it in whole with the rest of the folder).
    """

    def __init__(self, path: Path, state_dir: Path, cache: Cache) -> None:
        self.ox, self.cache, self.state_dir = ox, cache, state_dir
        self.state_path = state_dir / "store.json"
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = None
        fresh = (
            state is None
            or not state.get("complete")
            or state.get("fingerprint") != code_fingerprint()
            or not path.is_dir()
        )
        if fresh:
            if path.exists():
                shutil.rmtree(path)
            state = {"fingerprint": code_fingerprint(), "graphs": {}}
        self.had: dict[str, str] = dict(state["graphs"])  # graph IRI → cache key, loaded before this build
        self.loaded: dict[str, str] = {}  # loaded by this build
        self.batch: list[tuple[str, str]] = []
        self.batch_quads = 0
        state["complete"] = False
        write_atomic(self.state_path, json.dumps(state, sort_keys=True))
        self.store = ox.Store(str(path))

    def offer(self, key: str, head: dict[str, Any]) -> None:
        """A report just built (or found in the cache): load its graph unless the store has it."""
        g = head.get("graph")
        if g is None or self.had.get(g) == key or g in self.loaded:
            return
        self.loaded[g] = key
        quads = head.get("quads", 500)
        if quads >= STORE_BATCH_QUADS:  # a very large report: on its own, in slices
            self._flush()
            self._load_large(key)
            return
        self.batch.append((g, key))
        self.batch_quads += quads
        if self.batch_quads >= STORE_BATCH_QUADS:
            self._flush()

    def _load_large(self, key: str) -> None:
        ox = self.ox
        quads = list(ox.parse(trig_prefixes() + self.cache.trig(key), format=ox.RdfFormat.TRIG))
        dg = ox.DefaultGraph()
        step = STORE_BATCH_QUADS // 2
        for i in range(0, len(quads), step):
            part = quads[i : i + step]
            part += [ox.Quad(q.subject, q.predicate, q.object, dg) for q in part]
            self.store.bulk_load(ox.serialize(part, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)

    def _flush(self, extra: bytes = b"") -> None:
        if not self.batch and not extra:
            return
        # one TriG file: each graph, then the same statements in the default graph (an IRI never holds "{")
        with tempfile.NamedTemporaryFile(dir=self.state_dir, suffix=".trig", delete=False) as tmp:
            try:
                tmp.write(trig_prefixes())
                for _g, key in self.batch:
                    block = self.cache.trig(key)
                    tmp.write(block)
                    tmp.write(block[block.index(b"{") :])
                tmp.write(extra)
                tmp.close()
                self.store.bulk_load(path=tmp.name, format=self.ox.RdfFormat.TRIG)
            finally:
                Path(tmp.name).unlink(missing_ok=True)
        self.batch, self.batch_quads = [], 0

    def _drop(self, graph: ox.NamedNode) -> None:
        """Remove a named graph, and its statements from the union unless another graph states them."""
        ox = self.ox
        dg = ox.DefaultGraph()
        triples = [(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None, graph)]
        self.store.remove_graph(graph)
        for s, p, o in triples:
            if not any(True for q in self.store.quads_for_pattern(s, p, o) if q.graph_name != dg):
                self.store.remove(ox.Quad(s, p, o, dg))

    def finish(self, want: dict[str, str], ref_quads: list[Any]) -> int:
        """Bring the store to exactly ``want`` (graph IRI → key, every one offered) and ``ref_quads``; returns
        how many graphs of earlier builds were dropped."""
        from .vocab import REFERENCE_GRAPH

        ox = self.ox
        # a graph loaded in this build for a report that then failed or was a duplicate is dropped too
        gone = sorted(g for g in {**self.had, **self.loaded} if g not in want or want[g] != self.loaded.get(g, self.had.get(g)))
        ref = ox.NamedNode(str(REFERENCE_GRAPH))
        old_ref = {(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None, ref)}
        new_ref = {(q.subject, q.predicate, q.object) for q in ref_quads}
        extra = b""
        if old_ref != new_ref:
            self._drop(ref)
            if ref_quads:
                block = ox.serialize(ref_quads, format=ox.RdfFormat.TRIG, prefixes=prefix_map())[len(trig_prefixes()) :]
                extra = block + block[block.index(b"{") :]
        self._flush(extra)
        for g in gone:
            self._drop(ox.NamedNode(g))
        self.store.flush()
        graphs = {**self.had, **self.loaded}
        state = {"fingerprint": code_fingerprint(), "graphs": {g: k for g, k in sorted(graphs.items()) if g in want}, "complete": True}
        write_atomic(self.state_path, json.dumps(state, sort_keys=True))
        del self.store
        return len([g for g in gone if g in self.had and g not in want])
