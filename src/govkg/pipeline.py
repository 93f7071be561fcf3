"""The one orchestration path: reports → documents → extractions → dataset → files in an output folder."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .atomic import write_atomic
from .errors import GovKGError, ReportError
from .model import Extraction

__all__ = [
    "bundled_report",
    "extract_reports",
    "build",
    "BuildResult",
    "counts_by_type",
    "write_atomic",
    "OUTPUT_FILES",
]

#: Files `build` writes into the output folder (and nothing else).
OUTPUT_FILES = ("govkg.trig", "govkg.graphml", "ontology.ttl", "shapes.ttl", "index.html")
MANIFEST = ".govkg-manifest.json"


def bundled_report() -> Path:
    """Path of the report that ships with govkg (大鹏新区政法办公室 2020 summary and 2021 plan)."""
    return Path(str(resources.files("govkg") / "data" / "dapeng-zhengfa-2020.txt"))


@dataclass
class BuildResult:
    extractions: list[Extraction] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    dataset: object | None = None


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
        for e in ex.entities.values():
            if e.key not in seen:
                seen.add(e.key)
                c[e.type] += 1
        c["Relation"] += len(ex.relations)
        c["AwardConferral"] += len(ex.conferrals)
        c["Observation"] += len(ex.observations)
        c["Ranking"] += len(ex.rankings)
        c["PlanItem"] += len(ex.plan_items)
        c["Mention"] += len(ex.mentions())
    return c


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
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        if manifest.get(name) != digest:
            raise ReportError(
                f"{p}: exists and was not written by govkg (or was edited since); "
                "move it away, choose another -o folder, or pass --force"
            )
    return manifest


def build(
    sources: Sequence[str | os.PathLike[str]] | None = None,
    out_dir: str | os.PathLike[str] = "graph",
    *,
    encoding: str | None = None,
    force: bool = False,
    view: bool = True,
) -> BuildResult:
    """Build the knowledge graph of ``sources`` (default: the bundled report) into ``out_dir``.

    Writes govkg.trig (one named graph per report, with the verbatim text), govkg.graphml, the ontology
    and shapes alongside, and (with ``view``) index.html. Same input → byte-identical files.
    """
    from . import rdfio
    from .nxgraph import to_networkx, write_graphml
    from .triples import extraction_to_dataset

    out = Path(out_dir)
    result = BuildResult()
    result.extractions, result.errors = extract_reports(sources or [bundled_report()], encoding=encoding)
    for ex in result.extractions:
        result.warnings.extend(ex.document.warnings)
        result.warnings.extend(ex.warnings)
    if not result.extractions:
        return result
    names = [n for n in OUTPUT_FILES if view or n != "index.html"]
    manifest = _guard(out, names, force)
    ds = extraction_to_dataset(result.extractions)
    result.dataset = ds
    written = {}
    written["govkg.trig"] = rdfio.dumps(ds, "trig").encode("utf-8")
    graph = to_networkx(ds)
    with tempfile.TemporaryDirectory() as tmp:
        gml = Path(tmp) / "g.graphml"
        write_graphml(graph, gml)
        written["govkg.graphml"] = gml.read_bytes()
    onto = Path(str(resources.files("govkg") / "ontology"))
    written["ontology.ttl"] = (onto / "govkg.ttl").read_bytes()
    written["shapes.ttl"] = (onto / "shapes.ttl").read_bytes()
    if view:
        try:
            from .view import render_html

            written["index.html"] = render_html(graph, title="govkg").encode("utf-8")
        except ImportError:  # the view module is optional
            pass
    for name, data in written.items():
        result.files.append(write_atomic(out / name, data))
        manifest[name] = hashlib.sha256(data).hexdigest()
    write_atomic(out / MANIFEST, json.dumps(manifest, sort_keys=True, indent=1) + "\n")
    return result
