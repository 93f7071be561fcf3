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
``.govkg/``               the cache (one entry per report) and the state of the store
``.govkg-manifest.json``  hashes of the files govkg wrote (a file edited since is never overwritten)
========================  ==========================================================================

A folder never holds the files of two builds (:class:`govkg.atomic.FolderSwap`). A build of ``FOLDER`` takes the
lock ``.FOLDER.lock`` beside it (``flock``: a second build is refused in one line; the kernel drops the lock with
the process, and the worker processes close their copy), and makes the new version in ``FOLDER.new-PID`` beside
it, on the same file system: the cache entries it keeps are hard links to the old ones (an entry never changes once
written), the store starts as a checkpoint of the old one (:func:`govkg.store.checkpoint_store`: hard links to
RocksDB's immutable files) and gets the changes, the outputs are written anew. Then the new folder is swapped in
whole, by ``renameat2(RENAME_EXCHANGE)`` on Linux, or elsewhere by renaming ``FOLDER`` to ``FOLDER.old-PID`` and
the new folder to ``FOLDER``; the old version is removed. Nothing of the old folder is changed before the swap, so
a build stopped at any step (kill -9 included) leaves the old set or the new set; the next build removes a
leftover ``FOLDER.new-*``/``FOLDER.old-*``, or renames ``FOLDER.old-*`` back when ``FOLDER`` is missing, with a
one-line warning. A build that builds no report leaves the folder as it was.

Files in the folder that govkg does not write (notes, sub-folders) are carried over into the new version by hard
links (:func:`govkg.atomic.FolderSwap.commit`), just before the swap and again just after it, so none is lost; a
file named like one govkg writes, that it did not write or that was edited since, makes the build refuse the
folder (``force`` overwrites it). A reader that holds the old store open (``govkg serve``) keeps reading it: its
files live until it closes them. The folder's path is followed through symbolic links; the folder may not be the
working folder (it would be swapped from under the shell), a mount point or read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import FolderSwap, forget_locks, open_atomic, reached, write_atomic
from .errors import GovKGError, ReportError
from .model import Extraction
from .reportcache import (
    Cache,
    build_report,
    content_key,
    entity_kinds,
    fact_counts,
    prefix_map,
    trig_prefixes,
    work,
)
from .store import BuildStore, checkpoint_store

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Dataset

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
        for key, kind in entity_kinds(ex):
            if key not in seen:
                seen.add(key)
                c[kind] += 1
        c.update(fact_counts(ex))
    return c


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

    def load_dataset(self) -> Dataset | None:
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
        manifest: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
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


def _run(tasks: list[tuple[str, bytes | str, str | None, str, str]], jobs: int, on_result: Callable[[str, dict[str, Any]], None],
         progress: _Progress) -> None:
    """Build every task's report, in ``jobs`` worker processes when there is more than one report."""
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            on_result(*work(t))
            progress.step()
        return
    import multiprocessing as mp

    from .gazetteer import Gazetteer

    Gazetteer.default()  # loaded once here, shared with forked workers
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    chunk = max(1, min(16, len(tasks) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=forget_locks) as pool:
        for key, head in pool.imap(work, tasks, chunksize=chunk):
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
        Overwrite files in the folder named like those govkg writes that govkg did not write, or that were edited
        since (other files in the folder are always kept).
    view
        Write index.html (when the graph has at most :data:`VIEW_MAX_NODES` nodes).
    jobs
        Worker processes (default: every core).
    progress
        Report progress on standard error: a bar on a terminal, a line per batch otherwise
        (``None``: when there is more than one report).

    Same reports → byte-identical files, whatever the order of ``sources``, ``jobs`` or earlier builds. The folder
    is replaced whole, under a lock (see the module's docstring): stopped at any point, a build leaves the old
    folder or the new one.

    Raises
    ------
    ReportError
        In one line, when the folder cannot be built into: another build holds it, it is a file, it cannot be
        written, or it holds a file govkg would overwrite that govkg did not write.
    """
    t0 = time.perf_counter()
    out = _build_folder(out_dir)
    result = BuildResult(out_dir=Path(out_dir))
    names = [n for n in OUTPUT_FILES if view or n != "index.html"]
    try:
        with FolderSwap(out) as swap:
            result.warnings.extend(swap.warnings)
            manifest = _guard(out, names, force) if out.is_dir() else {}
            if _assemble(sources, out, swap.new, result, manifest, encoding=encoding, names=names, view=view, jobs=jobs,
                         progress=progress, t0=t0):
                reached("manifest")
                owned = {*names, MANIFEST, STORE_DIR, STATE_DIR}
                clock = [time.perf_counter()]
                said = len(swap.warnings)
                swap.commit(keep=lambda name: name not in owned and not _owned_temporary(name, owned))
                result.warnings.extend(swap.warnings[said:])
                result.lap("swap", clock)
    except OSError as exc:
        raise ReportError(f"{exc.filename or out}: {exc.strerror or exc}; the folder was left as it was") from None
    result.files = [Path(out_dir) / f.name for f in result.files]
    result.seconds = time.perf_counter() - t0
    return result


def _build_folder(out_dir: str | os.PathLike[str]) -> Path:
    """The folder a build replaces (symbolic links followed), or a one-line error why it cannot."""
    out = Path(os.path.realpath(out_dir))
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out_dir}: is a file; -o names the folder to build into")
    if out.parent == out:
        raise ReportError(f"{out_dir}: is the root folder; a build replaces its folder as a whole, so choose one below it")
    try:
        here = Path.cwd().resolve()
    except OSError:
        here = None
    if here is not None and (here == out or out in here.parents):
        raise ReportError(
            f"{out_dir}: is the working folder or holds it; a build replaces its folder as a whole, "
            "so build into a folder beside or below it"
        )
    if out.is_dir():
        if out.stat().st_dev != out.parent.stat().st_dev:
            raise ReportError(f"{out_dir}: is a mount point; a build is made beside it and swapped in, so build into a folder inside it")
        if not os.access(out, os.W_OK):
            raise ReportError(f"{out_dir}: permission denied (the folder is read-only); choose a folder you can write")
    return out


def _owned_temporary(name: str, owned: set[str]) -> bool:
    """A temporary file of :func:`open_atomic` for one of the build's files (left by an older govkg)."""
    return name.startswith(".") and name.endswith(".tmp") and name[1:].split(".tmp")[0].rsplit(".", 1)[0] in owned


def _link_entry(old: Cache, new: Cache, key: str, made: set[str]) -> bool:
    """Put the old folder's cache entry of ``key`` into the new folder by hard links (an entry never changes once
    written; see :class:`Cache`); False when the old cache has no complete entry. ``made``: sub-folders made."""
    sub = key[:2]
    src, dst = os.path.join(old.root, sub), os.path.join(new.root, sub)
    if sub not in made:
        os.makedirs(dst, exist_ok=True)
        made.add(sub)
    done: list[str] = []
    try:
        for ext in (".trig", ".graph", ".json"):  # the head last: an entry is complete when it is there
            name = f"{key}{ext}"
            os.link(os.path.join(src, name), os.path.join(dst, name))
            done.append(name)
    except OSError:
        for name in done:
            os.unlink(os.path.join(dst, name))
        return False
    return True


def _assemble(
    sources: Sequence[str | os.PathLike[str]] | None,
    out: Path,
    new: Path,
    result: BuildResult,
    manifest: dict[str, str],
    *,
    encoding: str | None,
    names: list[str],
    view: bool,
    jobs: int | None,
    progress: bool | None,
    t0: float,
) -> bool:
    """Build into the empty folder ``new`` what ``out`` will hold, reusing the cache and the store of ``out``;
    False when no report could be built (``out`` is then left as it was)."""
    old_cache = Cache(out / STATE_DIR / "reports")
    cache = Cache(new / STATE_DIR / "reports")
    cache.root.mkdir(parents=True)
    # 1. read and key every input (a small read each; the text is decoded in the workers)
    from .reader import read_source

    tasks: list[tuple[str, bytes | str, str | None, str, str]] = []
    order: list[tuple[str, str]] = []  # (key, name) in input order; key "" for an input that cannot be read
    queued: set[str] = set()
    linked: set[str] = set()  # kept from the old folder's cache
    made: set[str] = set()
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
        if key in queued or key in linked:
            pass
        elif _link_entry(old_cache, cache, key, made):
            linked.add(key)
        else:
            queued.add(key)
            path = None if str(src) == "-" or isinstance(src, (bytes, bytearray)) else os.fspath(src)
            tasks.append((key, data if path is None else path, encoding, name, str(cache.root)))
        del data
    reached("cache")
    clock = [t0]
    result.lap("read", clock)  # with the links to the cache entries kept
    checkpoint_store(out / STORE_DIR, out / STATE_DIR, new / STORE_DIR, new / STATE_DIR)
    reached("store-copied")
    result.lap("store-copy", clock)
    # 2. extract what is new, in workers, which put each report in the cache; only heads come back,
    #    and the new graphs go into the store in batches meanwhile
    heads: dict[str, dict[str, Any]] = {}
    store = BuildStore(new / STORE_DIR, new / STATE_DIR, cache)

    def arrived(key: str, head: dict[str, Any]) -> None:
        heads[key] = head
        if "error" not in head:
            store.offer(key, head)

    bar = _Progress(len(tasks), progress)
    try:
        _run(tasks, jobs or os.cpu_count() or 1, arrived, bar)
    finally:
        bar.close()
    del tasks
    reached("extracted")
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
        return False
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
    written["govkg.trig"] = _write_trig(new / "govkg.trig", cache, ordered, ref_quads)
    reached("trig")
    result.lap("trig", clock)
    n_nodes = _write_graphml(new / "govkg.graphml", cache, heads, ordered, ref_fragment)
    written["govkg.graphml"] = _file_sha256(new / "govkg.graphml")
    reached("graphml")
    result.lap("graphml", clock)
    onto = Path(str(resources.files("govkg") / "ontology"))
    for name, src_name in (("ontology.ttl", "govkg.ttl"), ("shapes.ttl", "shapes.ttl")):
        data = (onto / src_name).read_bytes()
        write_atomic(new / name, data)
        written[name] = hashlib.sha256(data).hexdigest()
    if view:
        if n_nodes <= VIEW_MAX_NODES:
            from .nxgraph import merge_fragments
            from .view import render_html

            G = merge_fragments(_fragments(cache, ordered, ref_fragment))
            data = render_html(G, title="govkg").encode("utf-8")
            write_atomic(new / "index.html", data)
            written["index.html"] = hashlib.sha256(data).hexdigest()
        else:
            result.warnings.append(
                f"{out}/index.html: not written: the graph has {n_nodes:,} nodes, more than the view shows "
                f"({VIEW_MAX_NODES:,}); use `govkg view --focus NAME` for a neighbourhood"
            )
            manifest.pop("index.html", None)
    reached("view")
    result.lap("view", clock)
    # 5. the store: only the graphs that changed (those of reused reports were loaded before, unless the
    #    store was lost or made by other code: then they go in now)
    for key in ordered:
        store.offer(key, heads[key])
    result.removed = store.finish({heads[k]["graph"]: k for k in ordered}, ref_quads)
    reached("store")
    result.lap("store", clock)
    for name, digest in sorted(written.items()):
        manifest[name] = digest
        result.files.append(out / name)
    write_atomic(new / MANIFEST, json.dumps(manifest, sort_keys=True, indent=1) + "\n")
    return True


def _parse_nquads(text: str) -> list[Any]:
    import pyoxigraph as ox

    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)) if text else []


def _write_trig(path: Path, cache: Cache, ordered: list[str], ref_quads: list[Any]) -> str:
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
            ref = ox.serialize(ref_quads, format=ox.RdfFormat.TRIG, prefixes=prefix_map()) or b""
            put(ref[len(trig_prefixes()) :])
    return h.hexdigest()


def _fragments(cache: Cache, ordered: list[str], ref_fragment: tuple[dict[str, Any], list[Any]]) -> Iterator[tuple[dict[str, Any], list[Any]]]:
    """Each report's part of the property graph (from the cache), then the reference graph's."""
    for key in ordered:
        part = cache.graph(key)
        yield {row[0]: part.attrs(row) for row in part.nodes}, part.edges
    yield ref_fragment


def _write_graphml(
    path: Path, cache: Cache, heads: dict[str, dict[str, Any]], ordered: list[str], ref_fragment: tuple[dict[str, Any], list[Any]]
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
    shared_edges: set[tuple[Any, ...]] = set()

    def share(n: str, a: dict[str, Any]) -> None:
        if n in shared:
            shared[n].add(a)
        else:
            shared[n] = NodeMerger(a)

    def edges_of(edges: Iterable[tuple[Any, ...]]) -> None:
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
