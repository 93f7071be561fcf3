"""The one orchestration path: reports → documents → extractions → RDF → the files of a build folder.

A build reads every report once, in worker processes (all cores by default), and keeps what each report gives
in the folder's cache under the report's content key; the outputs are then put together from the cache one
report at a time, so that memory does not grow with the corpus. Building into a folder that already holds a
build re-extracts only new or changed reports and drops the reports that are gone; the files are
byte-identical to those of a clean build of the same reports.

A build folder holds:

========================  ==========================================================================
``govkg.trig``            one named graph per report (sorted by IRI), then the reference graph
``govkg.graphml``         the property graph (:mod:`govkg.nxgraph`), for Gephi or NetworkX
``ontology.ttl``          the ontology and the SHACL shapes, copied
``shapes.ttl``
``index.html``            the interactive view (up to :data:`VIEW_MAX_NODES` nodes)
``store/``                an on-disk Oxigraph store of the same quads (named graphs, and their union as
                          the default graph), opened directly by ``govkg query`` and ``govkg serve``
``.govkg/``               the cache (one entry per report) and the state of the store; the build's lock
``.govkg-manifest.json``  hashes of the files govkg wrote (a file edited since is never overwritten)
========================  ==========================================================================
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .atomic import open_atomic, write_atomic
from .errors import GovKGError, ReportError
from .model import Extraction

__all__ = [
    "bundled_report",
    "extract_reports",
    "build",
    "build_report",
    "BuildResult",
    "ReportOutcome",
    "counts_by_type",
    "write_atomic",
    "OUTPUT_FILES",
    "STORE_DIR",
    "VIEW_MAX_NODES",
]

#: Files `build` writes into the output folder (besides the store and the cache).
OUTPUT_FILES = ("govkg.trig", "govkg.graphml", "ontology.ttl", "shapes.ttl", "index.html")
MANIFEST = ".govkg-manifest.json"
#: The on-disk Oxigraph store inside a build folder.
STORE_DIR = "store"
STATE_DIR = ".govkg"
#: Above this many nodes the build writes no index.html (the page would not be readable): view a
#: neighbourhood with ``govkg view --focus NAME`` instead.
VIEW_MAX_NODES = 5000
#: Reports per progress line when standard error is not a terminal.
PROGRESS_EVERY = 500
#: Statements per bulk load into the store (Oxigraph's bulk loader holds one batch in memory).
STORE_BATCH_QUADS = 200_000
#: The largest report a build reads (bytes). Reading takes about 6 s and 350 MB of memory per MB of text, so a
#: report past this would need several GB; split it. ``GOVKG_MAX_REPORT_MB`` in the environment changes it.
MAX_REPORT_BYTES = int(float(os.environ.get("GOVKG_MAX_REPORT_MB", "16")) * 1024 * 1024)


def bundled_report() -> Path:
    """Path of the report that ships with govkg (大鹏新区政法办公室 2020 summary and 2021 plan)."""
    return Path(str(resources.files("govkg") / "data" / "dapeng-zhengfa-2020.txt"))


def extract_reports(
    sources: Iterable[str | os.PathLike[str]], *, encoding: str | None = None
) -> tuple[list[Extraction], list[str]]:
    """Read and extract every report; a report that cannot be read is reported in the error list, not raised."""
    from .extract import extract
    from .reader import read_report

    out: list[Extraction] = []
    errors: list[str] = []
    for src in sources:
        try:
            doc = read_report(src, encoding=encoding)
            out.append(extract(doc))
        except GovKGError as exc:
            errors.append(str(exc))
    return out, errors


def counts_by_type(extractions: Sequence[Extraction]) -> Counter[str]:
    """How many entities of each type, and facts of each kind, the extractions hold."""
    c: Counter[str] = Counter()
    seen: set[str] = set()
    for ex in extractions:
        for key, kind in _entity_kinds(ex):
            if key not in seen:
                seen.add(key)
                c[kind] += 1
        c.update(_fact_counts(ex))
    return c


def _entity_kinds(ex: Extraction) -> list[tuple[str, str]]:
    return sorted((e.key, e.type) for e in ex.entities.values())


def _fact_counts(ex: Extraction) -> dict[str, int]:
    return {
        "Relation": len(ex.relations),
        "AwardConferral": len(ex.conferrals),
        "Observation": len(ex.observations),
        "Ranking": len(ex.rankings),
        "PlanItem": len(ex.plan_items),
        "Mention": len(ex.mentions()),
    }


# ------------------------------------------------------------------------------------------- one report
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


def build_report(data: bytes, name: str, encoding: str | None = None) -> tuple[dict, bytes, bytes]:
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
    trig = ox.serialize(rdf.quads, format=ox.RdfFormat.TRIG, prefixes=_prefix_map())
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
        "entities": _entity_kinds(ex),
        "facts": _fact_counts(ex),
        "reference": sorted({str(q) + " .\n" for q in rdf.reference}),
        "quads": 2 * len(rdf.quads),
        "nodes": sorted(nodes),
    }
    return meta, graph, trig[len(head) :]


def _graph_part(nodes: dict[str, dict], edges: list) -> bytes:
    """A report's part of the property graph, laid out so that assembling GraphML reads little.

    One line of JSON, ``{"nodes": [[iri, element start, element end, attributes end, [IRIs its facts
    point at]], …], "edges": [[source, target, key, predicate, label], …]}``, then a blob of bytes that holds,
    for each node, its GraphML element (as if this were the only graph) followed by its attributes as JSON.
    The element is copied as it is when no IRI its facts point at is a node elsewhere in the corpus; the
    attributes are parsed only for a node that other reports share.
    """
    from .nxgraph import node_xml, public_attrs

    index, blob, at = [], [], 0
    for n in sorted(nodes):
        a = nodes[n]
        xml = node_xml(n, public_attrs(a, ())).encode("utf-8")
        attrs = json.dumps(a, ensure_ascii=False).encode("utf-8")
        index.append([n, at, at + len(xml), at + len(xml) + len(attrs), sorted({f[2] for f in a["facts"] if f[2]})])
        blob += (xml, attrs)
        at += len(xml) + len(attrs)
    head = json.dumps({"nodes": index, "edges": edges}, ensure_ascii=False).encode("utf-8")
    return b"".join([head, b"\n", *blob])


class _GraphPart:
    """A report's part of the property graph as :func:`_graph_part` laid it out."""

    __slots__ = ("nodes", "edges", "blob")

    def __init__(self, data: bytes) -> None:
        cut = data.index(b"\n")
        head = json.loads(data[:cut])
        self.nodes, self.edges, self.blob = head["nodes"], [tuple(e) for e in head["edges"]], memoryview(data)[cut + 1 :]

    def element(self, row: list) -> bytes:
        return bytes(self.blob[row[1] : row[2]])

    def attrs(self, row: list) -> dict:
        return json.loads(bytes(self.blob[row[2] : row[3]]))


@lru_cache(maxsize=1)
def _prefix_map() -> dict[str, str]:
    from .vocab import PREFIXES

    return {k: str(v) for k, v in sorted(PREFIXES.items())}


@lru_cache(maxsize=1)
def trig_prefixes() -> bytes:
    """The prefix lines at the head of govkg.trig (and of every report's TriG as pyoxigraph writes it)."""
    import pyoxigraph as ox

    return ox.serialize([], format=ox.RdfFormat.TRIG, prefixes=_prefix_map())


def _work(task: tuple[str, bytes | str, str | None, str, str]) -> tuple[str, dict]:
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
        _Cache(Path(cache_root)).put(key, head, graph, trig)
    return key, head


# ------------------------------------------------------------------------------------------- the cache
class _Cache:
    """One entry per report content key, in ``{key[:2]}/``: ``{key}.trig`` (its named graph), ``{key}.json``
    (the head, see :func:`build_report`) and ``{key}.graph`` (its part of the property graph). The head
    is written last: an entry is complete when it is there."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str, ext: str) -> Path:
        return self.root / key[:2] / f"{key}{ext}"

    def has(self, key: str) -> bool:
        return self._path(key, ".json").is_file()

    def put(self, key: str, head: dict, graph: bytes, trig: bytes) -> None:
        self._path(key, "").parent.mkdir(parents=True, exist_ok=True)
        _write_replace(self._path(key, ".trig"), trig)
        _write_replace(self._path(key, ".graph"), graph)
        _write_replace(self._path(key, ".json"), json.dumps(head, ensure_ascii=False).encode("utf-8"))

    def head(self, key: str) -> dict:
        return json.loads(self._path(key, ".json").read_bytes())

    def graph(self, key: str) -> _GraphPart:
        """The report's part of the property graph (see :func:`_graph_part`)."""
        return _GraphPart(self._path(key, ".graph").read_bytes())

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


@dataclass(frozen=True)
class ReportOutcome:
    """What became of one input: its name, content key, document IRI (or error) and whether it was
    extracted in this build (``new``) or taken from the folder's cache (``reused``)."""

    name: str
    key: str
    status: str  # "new" | "reused" | "failed" | "duplicate"
    doc: str = ""
    error: str = ""


@dataclass
class BuildResult:
    """The outcome of :func:`build`: what became of each input, and counts per type (entities counted once
    per key across reports). The graph itself is in ``out_dir``; :meth:`load_dataset` reads it into rdflib."""

    out_dir: Path | None = None
    reports: list[ReportOutcome] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    removed: int = 0
    seconds: float = 0.0
    #: Wall seconds per step of the build (read, extract, …), for benchmarks.
    timings: dict[str, float] = field(default_factory=dict)

    def lap(self, step: str, since: list[float]) -> None:
        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + now - since[0]
        since[0] = now

    @property
    def built(self) -> list[ReportOutcome]:
        return [r for r in self.reports if r.status in ("new", "reused")]

    def load_dataset(self):  # -> rdflib.Dataset | None
        """The built graph (govkg.trig) as an rdflib Dataset: handy for a few reports, costly for a corpus
        (query a corpus through its store: ``govkg.query``, ``govkg query -g FOLDER``)."""
        from .rdfio import load

        if self.out_dir is None or not (self.out_dir / "govkg.trig").exists():
            return None
        return load(self.out_dir / "govkg.trig")

    def summary(self) -> str:
        """Lines for the end of a build: reports by outcome, then entities and facts by type."""
        by = Counter(r.status for r in self.reports)
        parts = [f"{by[s]} {s}" for s in ("new", "reused", "duplicate", "failed") if by[s]]
        if self.removed:
            parts.append(f"{self.removed} removed")
        where = f" → {self.out_dir}/" if self.out_dir is not None else ""
        lines = [f"{len(self.built)} report(s){where} ({', '.join(parts) or 'none'}) in {self.seconds:.1f} s"]
        for name, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {name:<20} {n:>8}")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------- the folder
def _guard(out_dir: Path, names: Iterable[str], force: bool) -> dict[str, str]:
    """Refuse to overwrite a file govkg did not write, or one edited since it wrote it."""
    manifest_path = out_dir / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if force:
        return manifest
    for name in names:
        p = out_dir / name
        if not p.exists():
            continue
        if p.is_dir():
            raise ReportError(f"{p}: is a folder, where govkg writes a file; move it away or choose another -o folder")
        if manifest.get(name) != _file_sha256(p):
            raise ReportError(
                f"{p}: exists and was not written by govkg (or was edited since); "
                "move it away, choose another -o folder, or pass --force"
            )
    store = out_dir / STORE_DIR
    if store.exists() and not (out_dir / STATE_DIR / "store.json").exists() and any(store.iterdir()):
        raise ReportError(f"{store}: exists and was not made by govkg; move it away or pass --force")
    return manifest


def _file_sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One build at a time in a folder: a second one is refused with one line."""
    import fcntl

    state = out / STATE_DIR
    try:
        state.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ReportError(f"{out}: is not a folder; choose another -o") from None
    except PermissionError:
        raise ReportError(f"{out}: permission denied; choose a folder you can write") from None
    fh = open(state / "lock", "a+b")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportError(f"{out}: another govkg build is writing this folder; wait for it or choose another -o") from None
        yield
    finally:
        fh.close()


# ------------------------------------------------------------------------------------------- progress
class _Progress:
    """A tqdm bar on a terminal; otherwise a line every :data:`PROGRESS_EVERY` reports; or nothing."""

    def __init__(self, total: int, enabled: bool | None) -> None:
        self.total, self.done, self.bar = total, 0, None
        self.enabled = (total > 1) if enabled is None else enabled
        self.tty = sys.stderr.isatty()
        self.t0 = time.perf_counter()
        if self.enabled and self.tty and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", file=sys.stderr, leave=False, dynamic_ncols=True)

    def step(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.enabled and (self.done % PROGRESS_EVERY == 0 or self.done == self.total):
            rate = self.done / max(time.perf_counter() - self.t0, 1e-9)
            print(f"govkg: {self.done}/{self.total} reports read ({rate:.0f}/s)", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run(tasks: list[tuple[str, bytes | str, str | None, str, str]], jobs: int, on_result: Callable[[str, dict], None],
         progress: _Progress) -> None:
    """Build every task's report, in ``jobs`` worker processes when there is more than one report."""
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            on_result(*_work(t))
            progress.step()
        return
    import multiprocessing as mp

    from .gazetteer import Gazetteer

    Gazetteer.default()  # loaded once here, shared with forked workers
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    chunk = max(1, min(16, len(tasks) // (jobs * 8)))
    with ctx.Pool(jobs) as pool:
        for key, head in pool.imap(_work, tasks, chunksize=chunk):
            on_result(key, head)
            progress.step()


# ------------------------------------------------------------------------------------------- build
def build(
    sources: Sequence[str | os.PathLike[str]] | None = None,
    out_dir: str | os.PathLike[str] = "graph",
    *,
    encoding: str | None = None,
    force: bool = False,
    view: bool = True,
    jobs: int | None = None,
    progress: bool | None = False,
) -> BuildResult:
    """Build the knowledge graph of ``sources`` (default: the bundled report) into ``out_dir``.

    Parameters
    ----------
    sources
        Report files (text in UTF-8, GB18030 or UTF-16, or saved HTML pages), ``"-"`` for standard input.
    out_dir
        The build folder (see the module's docstring for what it holds). A folder that holds an earlier
        build is updated: only new or changed reports are read, reports no longer given are removed.
    force
        Overwrite files in the folder that govkg did not write, or that were edited since.
    view
        Write index.html (when the graph has at most :data:`VIEW_MAX_NODES` nodes).
    jobs
        Worker processes (default: every core).
    progress
        Report progress on standard error: a bar on a terminal, a line per batch otherwise
        (``None``: when there is more than one report).

    Same reports → byte-identical files, whatever the order of ``sources``, ``jobs`` or earlier builds.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: is a file; -o names the folder to build into")
    result = BuildResult(out_dir=out)
    names = [n for n in OUTPUT_FILES if view or n != "index.html"]
    with _locked(out):
        manifest = _guard(out, names, force)
        cache = _Cache(out / STATE_DIR / "reports")
        # 1. read and key every input (a small read each; the text is decoded in the workers)
        from .reader import read_source

        tasks: list[tuple[str, bytes | str, str | None, str, str]] = []
        order: list[tuple[str, str]] = []  # (key, name) in input order; key "" for an input that cannot be read
        queued: set[str] = set()
        unread: dict[str, str] = {}
        for src in sources or [bundled_report()]:
            try:
                data, name = read_source(src)
            except GovKGError as exc:
                unread[str(src)] = str(exc)
                order.append(("", str(src)))
                continue
            if len(data) > MAX_REPORT_BYTES:
                unread[str(src)] = (
                    f"{name}: {len(data) / 1048576:.1f} MB is over govkg's limit of {MAX_REPORT_BYTES / 1048576:.0f} MB "
                    "for one report (reading takes about 350 MB of memory per MB); split it, or raise GOVKG_MAX_REPORT_MB"
                )
                order.append(("", str(src)))
                continue
            key = content_key(data, encoding)
            order.append((key, name))
            if key not in queued and not cache.has(key):
                queued.add(key)
                path = None if str(src) == "-" or isinstance(src, (bytes, bytearray)) else os.fspath(src)
                tasks.append((key, data if path is None else path, encoding, name, str(cache.root)))
            del data
        clock = [t0]
        result.lap("read", clock)
        # 2. extract what is new, in workers, which put each report in the cache; only heads come back,
        #    and the new graphs go into the store in batches meanwhile
        heads: dict[str, dict] = {}
        store = _StoreWriter(out, cache)

        def arrived(key: str, head: dict) -> None:
            heads[key] = head
            if "error" not in head:
                store.offer(key, head)

        bar = _Progress(len(tasks), progress)
        try:
            _run(tasks, jobs or os.cpu_count() or 1, arrived, bar)
        finally:
            bar.close()
        del tasks
        result.lap("extract+store", clock)
        # 3. the documents of this build, de-duplicated by IRI; warnings of shared 索引号
        docs: dict[str, tuple[str, str]] = {}  # graph IRI → (key, name)
        by_index: dict[str, str] = {}
        for key, name in order:
            if not key:
                result.errors.append(unread[name])
                result.reports.append(ReportOutcome(name, "", "failed", error=unread[name]))
                continue
            head = heads.get(key)
            if head is None:
                head = heads[key] = cache.head(key)
            if "error" in head:
                err = head["error"].replace(head["name"], name, 1)
                result.errors.append(err)
                result.reports.append(ReportOutcome(name, key, "failed", error=err))
                continue
            # the same warnings whether the report was read now or taken from the cache
            result.warnings.extend(w.replace(head["name"], name) for w in head["warnings"])
            graph = head["graph"]
            if graph in docs:
                result.warnings.append(f"{name}: the same text as {docs[graph][1]}; built once")
                result.reports.append(ReportOutcome(name, key, "duplicate", doc=head["doc"]))
                continue
            if head["index"]:
                other = by_index.setdefault(head["index"], name)
                if other != name:
                    result.warnings.append(
                        f"{name}: 索引号 {head['index']} is also that of {other}, with another text; "
                        "both are kept, as two documents"
                    )
            docs[graph] = (key, name)
            result.reports.append(ReportOutcome(name, key, "new" if key in queued else "reused", doc=head["doc"]))
        if not docs:
            store.finish({}, [])
            result.seconds = time.perf_counter() - t0
            return result
        ordered = [docs[g][0] for g in sorted(docs)]
        # 4. the outputs, one report at a time
        from .nxgraph import fragment

        written: dict[str, str] = {}
        ref_lines: set[str] = set()
        entity_seen: set[str] = set()
        for key in ordered:
            head = heads[key]
            ref_lines.update(head["reference"])
            for ekey, kind in head["entities"]:
                if ekey not in entity_seen:
                    entity_seen.add(ekey)
                    result.counts[kind] += 1
            result.counts.update(head["facts"])
        del entity_seen
        ref_quads = _parse_nquads("".join(sorted(ref_lines)))
        ref_fragment = fragment(ref_quads) if ref_quads else ({}, [])
        result.lap("heads", clock)
        written["govkg.trig"] = _write_trig(out / "govkg.trig", cache, ordered, ref_quads)
        result.lap("trig", clock)
        n_nodes = _write_graphml(out / "govkg.graphml", cache, heads, ordered, ref_fragment)
        written["govkg.graphml"] = _file_sha256(out / "govkg.graphml")
        result.lap("graphml", clock)
        onto = Path(str(resources.files("govkg") / "ontology"))
        for name, src_name in (("ontology.ttl", "govkg.ttl"), ("shapes.ttl", "shapes.ttl")):
            data = (onto / src_name).read_bytes()
            write_atomic(out / name, data)
            written[name] = hashlib.sha256(data).hexdigest()
        if view:
            if n_nodes <= VIEW_MAX_NODES:
                from .nxgraph import merge_fragments
                from .view import render_html

                G = merge_fragments(_fragments(cache, ordered, ref_fragment))
                data = render_html(G, title="govkg").encode("utf-8")
                write_atomic(out / "index.html", data)
                written["index.html"] = hashlib.sha256(data).hexdigest()
            else:
                result.warnings.append(
                    f"{out}/index.html: not written: the graph has {n_nodes:,} nodes, more than the view shows "
                    f"({VIEW_MAX_NODES:,}); use `govkg view --focus NAME` for a neighbourhood"
                )
                if (out / "index.html").exists() and "index.html" in manifest:
                    (out / "index.html").unlink()
                    manifest.pop("index.html", None)
        result.lap("view", clock)
        # 5. the store: only the graphs that changed (those of reused reports were loaded before, unless the
        #    store was lost or made by other code: then they go in now)
        for key in ordered:
            store.offer(key, heads[key])
        result.removed = store.finish({heads[k]["graph"]: k for k in ordered}, ref_quads)
        result.lap("store", clock)
        cache.keep_only({key for key, _name in order if key})
        for name, digest in sorted(written.items()):
            manifest[name] = digest
            result.files.append(out / name)
        write_atomic(out / MANIFEST, json.dumps(manifest, sort_keys=True, indent=1) + "\n")
    result.seconds = time.perf_counter() - t0
    return result


def _parse_nquads(text: str) -> list:
    import pyoxigraph as ox

    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)) if text else []


def _write_trig(path: Path, cache: _Cache, ordered: list[str], ref_quads: list) -> str:
    """govkg.trig: the prefixes, each report's graph (cached, in IRI order), the reference graph."""
    import pyoxigraph as ox

    h = hashlib.sha256()
    with open_atomic(path) as fh:

        def put(b: bytes) -> None:
            fh.write(b)
            h.update(b)

        put(trig_prefixes())
        for key in ordered:
            put(cache.trig(key))
        if ref_quads:
            ref = ox.serialize(ref_quads, format=ox.RdfFormat.TRIG, prefixes=_prefix_map())
            put(ref[len(trig_prefixes()) :])
    return h.hexdigest()


def _fragments(cache: _Cache, ordered: list[str], ref_fragment: tuple[dict, list]) -> Iterator[tuple[dict, list]]:
    """Each report's part of the property graph (from the cache), then the reference graph's."""
    for key in ordered:
        part = cache.graph(key)
        yield {row[0]: part.attrs(row) for row in part.nodes}, part.edges
    yield ref_fragment


def _write_graphml(
    path: Path, cache: _Cache, heads: dict[str, dict], ordered: list[str], ref_fragment: tuple[dict, list]
) -> int:
    """govkg.graphml in two passes, holding only the nodes that several graphs share.

    Pass 1 counts, for every node, the graphs that have it (from the heads, in memory). Pass 2 reads each
    report's graph lines: a node that one graph has is written at once (its ready element, unless a fact of it
    points at a node of another graph), the others are merged in memory and written at the end; an edge is
    written once, when both its ends are nodes. Returns the number of nodes.
    """
    from .nxgraph import GraphMLWriter, NodeMerger, public_attrs

    seen: Counter[str] = Counter()
    for key in ordered:
        seen.update(heads[key]["nodes"])
    seen.update(ref_fragment[0].keys())
    shared: dict[str, NodeMerger] = {}
    shared_edges: set[tuple] = set()

    def share(n: str, a: dict) -> None:
        if n in shared:
            shared[n].add(a)
        else:
            shared[n] = NodeMerger(a)

    def edges_of(edges: Iterable[tuple]) -> None:
        for e in edges:
            s, o = e[0], e[1]
            if s not in seen or o not in seen:
                continue
            if seen[s] > 1 and seen[o] > 1:
                shared_edges.add(tuple(e))
            else:
                w.edge(*e)

    with open_atomic(path) as fh:
        w = GraphMLWriter(fh)
        for key in ordered:
            part = cache.graph(key)
            for row in part.nodes:
                n = row[0]
                if seen[n] > 1:
                    share(n, part.attrs(row))
                elif any(o in seen for o in row[4]):
                    w.node(n, public_attrs(part.attrs(row), seen))
                else:
                    w.raw(part.element(row))
            edges_of(part.edges)
        ref_nodes, ref_edges = ref_fragment
        for n in sorted(ref_nodes):
            if seen[n] > 1:
                share(n, ref_nodes[n])
            else:
                w.node(n, public_attrs(ref_nodes[n], seen))
        edges_of(ref_edges)
        for n in sorted(shared):
            w.node(n, public_attrs(shared[n].attrs(), seen))
        for e in sorted(shared_edges):
            w.edge(*e)
        w.close()
    return len(seen)


class _StoreWriter:
    """Keeps ``out/store`` equal to the build: each report's named graph, the reference graph, and their union
    (a set) as the default graph.

    New graphs are bulk-loaded in batches of about :data:`STORE_BATCH_QUADS` statements while the workers go
    on extracting (Oxigraph's bulk loader holds a batch in memory, so memory stays flat); graphs of reports
    that are gone are dropped at the end, and their statements leave the union where no other graph states
    them. ``.govkg/store.json`` records the graphs loaded; a build that stopped half-way leaves it marked
    incomplete, and the next build loads the store anew.
    """

    def __init__(self, out: Path, cache: _Cache) -> None:
        import pyoxigraph as ox

        self.ox, self.cache, self.out = ox, cache, out
        self.state_path = out / STATE_DIR / "store.json"
        path = out / STORE_DIR
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

    def offer(self, key: str, head: dict) -> None:
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
        with tempfile.NamedTemporaryFile(dir=self.out / STATE_DIR, suffix=".trig", delete=False) as tmp:
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

    def _drop(self, graph) -> None:
        """Remove a named graph, and its statements from the union unless another graph states them."""
        ox = self.ox
        dg = ox.DefaultGraph()
        triples = [(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None, graph)]
        self.store.remove_graph(graph)
        for s, p, o in triples:
            if not any(True for q in self.store.quads_for_pattern(s, p, o) if q.graph_name != dg):
                self.store.remove(ox.Quad(s, p, o, dg))

    def finish(self, want: dict[str, str], ref_quads: list) -> int:
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
                block = ox.serialize(ref_quads, format=ox.RdfFormat.TRIG, prefixes=_prefix_map())[len(trig_prefixes()) :]
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
