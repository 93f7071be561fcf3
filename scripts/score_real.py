"""Score the extractor on the real pages: per page, and pooled over the development and the test split.

Run:  python scripts/score_real.py [--pages 001,002] [--record docs/real-first-contact.json] [--diff NNN] [--supplied]

The pages are read from $GOVKG_REAL_CORPUS or ../shared/corpus/real (never copied into the repository); the
annotations from tests/annotations/real/NNN.json (docs/ANNOTATION.md). The split is the guide's rule, fixed
before any scoring: every third page (003, 006, …) is the test split, the others the development split.

Printed per kind (entities, relations, conferrals, indicators, rankings): precision and recall pooled over the
pages of each split (micro average: true positives, false positives and misses summed over pages), the
share of pages whose home area was resolved, and the share of entity nodes linked to another entity by a
relation (connectivity). ``--record FILE`` adds the per-page scores of pages not yet in FILE, marked with
today's date and the current commit: a page's first-contact score is written once and never replaced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from govkg import extract, read_report  # noqa: E402
from scoring import KINDS, Score, score  # noqa: E402


def real_dir() -> Path:
    return Path(os.environ.get("GOVKG_REAL_CORPUS") or ROOT.parent / "shared" / "corpus" / "real")


def split_of(page: str) -> str:
    """The guide's rule: every third page is in the test split."""
    return "test" if int(page) % 3 == 0 else "dev"


def supplied_metadata(corpus: Path) -> dict[str, dict[str, str]]:
    """Per page, the metadata the corpus manifest gives (publisher, title, url) as a reader would supply it."""
    try:
        entries = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        Path(e["file"]).stem: {k: e[k] for k in ("publisher", "title", "url") if e.get(k)}
        for e in entries
        if isinstance(e, dict) and e.get("file")
    }


def score_page(page: str, corpus: Path, supplied: dict[str, str] | None = None) -> dict:
    gold = json.loads((ROOT / "tests" / "annotations" / "real" / f"{page}.json").read_text(encoding="utf-8"))
    ex = extract(read_report(corpus / f"{page}.txt", supplied=supplied))
    s = score(gold, ex)
    linked = {r.subject for r in ex.relations} | {r.object for r in ex.relations}
    named = [k for k, e in ex.entities.items() if any(m.resolution != "contextual-deixis" for m in e.mentions)]
    return {
        "page": page,
        "split": split_of(page),
        "scores": {k: [s[k].tp, s[k].fp, s[k].fn] for k in KINDS},
        "home": ex.home is not None,
        "entities": len(named),
        "linked": sum(1 for k in named if k in linked),
    }


def pooled(rows: list[dict]) -> dict[str, Score]:
    out = {}
    for k in KINDS:
        tp = sum(r["scores"][k][0] for r in rows)
        fp = sum(r["scores"][k][1] for r in rows)
        fn = sum(r["scores"][k][2] for r in rows)
        out[k] = Score(tp, fp, fn)
    return out


def table(rows: list[dict]) -> str:
    lines = [f"{'split':<6} {'pages':>5}  " + "  ".join(f"{k:>17}" for k in KINDS) + "   home  linked"]
    lines.append(" " * 13 + "  ".join(f"{'P':>8} {'R':>8}" for _ in KINDS))
    for split in ("dev", "test", "all"):
        part = [r for r in rows if split in ("all", r["split"])]
        if not part:
            continue
        p = pooled(part)
        cells = "  ".join(f"{p[k].precision:8.1%} {p[k].recall:8.1%}" for k in KINDS)
        home = sum(r["home"] for r in part) / len(part)
        ents = sum(r["entities"] for r in part)
        linked = sum(r["linked"] for r in part) / ents if ents else 0.0
        lines.append(f"{split:<6} {len(part):>5}  {cells}  {home:6.0%}  {linked:6.0%}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="", help="comma-separated page numbers (default: every annotated page)")
    ap.add_argument("--record", default="", help="JSON file of first-contact scores to add new pages to")
    ap.add_argument("--diff", default="", help="print what one page's extraction misses and adds")
    ap.add_argument(
        "--supplied",
        action="store_true",
        help="read each page with the manifest's publisher, title and url as supplied metadata (as `govkg build "
        "--manifest` does); the default reads the text alone, as the first contact did",
    )
    args = ap.parse_args()
    corpus = real_dir()
    if not corpus.is_dir():
        print(f"score_real: the real pages are not at {corpus}; set GOVKG_REAL_CORPUS", file=sys.stderr)
        sys.exit(2)
    annotated = sorted(p.stem for p in (ROOT / "tests" / "annotations" / "real").glob("*.json"))
    pages = [p.zfill(3) for p in args.pages.split(",") if p] or annotated
    meta = supplied_metadata(corpus) if args.supplied else {}
    if args.supplied and args.record:
        ap.error("first contact is recorded from the text alone; drop --supplied")
    rows = [score_page(p, corpus, meta.get(p)) for p in pages if p in annotated]
    if args.diff:
        from scoring import diff

        gold = json.loads((ROOT / "tests" / "annotations" / "real" / f"{args.diff}.json").read_text(encoding="utf-8"))
        print(diff(gold, extract(read_report(corpus / f"{args.diff}.txt"))))
    print(table(rows))
    if args.record:
        path = Path(args.record)
        known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"pages": {}}
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        added = 0
        for r in rows:
            if r["page"] not in known["pages"]:
                known["pages"][r["page"]] = {**r, "date": dt.date.today().isoformat(), "commit": commit}
                added += 1
        path.write_text(json.dumps(known, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded the first contact of {added} page(s) in {path}")


if __name__ == "__main__":
    main()
