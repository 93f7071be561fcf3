"""Flat records of an Extraction (entities, relations, facts and mentions) for JSON and CSV inspection."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .model import Extraction, Mention

__all__ = ["extraction_records", "to_json", "to_csv"]


def _mentions(ms: Iterable[Mention]) -> list[dict[str, Any]]:
    return [{"start": m.start, "end": m.end, "quote": m.text, "resolution": m.resolution} for m in ms]


def extraction_records(ex: Extraction) -> dict[str, Any]:
    """A JSON-ready dict: document metadata, then every entity and fact with its mentions."""
    doc, md = ex.document, ex.document.metadata
    return {
        "document": {
            "id": doc.id,
            "source": doc.source,
            "sha256": doc.sha256,
            "encoding": doc.encoding,
            "media_type": doc.media_type,
            "title": md.title,
            "publisher": md.publisher,
            "index_number": md.index_number,
            "uscc": md.uscc,
            "created": md.created.isoformat() if md.created else None,
            "issued": md.issued.isoformat() if md.issued else None,
            "keywords": list(md.keywords),
            "warnings": list(doc.warnings) + list(ex.warnings),
        },
        "entities": [
            {
                "key": e.key,
                "type": e.type,
                "name": e.name,
                "aliases": sorted(e.aliases),
                "parent": e.parent,
                "attrs": {k: v for k, v in sorted(e.attrs.items()) if isinstance(v, (str, int, float, bool))},
                "mentions": _mentions(e.mentions),
            }
            for e in sorted(ex.entities.values(), key=lambda e: (e.type, e.key))
        ],
        "relations": [
            {"subject": r.subject, "predicate": r.predicate, "object": r.object, "open_list": r.open_list,
             "role": r.role, "mentions": _mentions(r.mentions)}
            for r in ex.relations
        ],
        "conferrals": [
            {"recipient": c.recipient, "honour": c.honour, "level": c.level, "year": c.year, "note": c.note,
             "mentions": _mentions(c.mentions)}
            for c in ex.conferrals
        ],
        "observations": [
            {"value": _num(o.value), "unit": o.unit, "as_stated": o.as_stated, "qualifier": o.qualifier,
             "cumulative": o.cumulative, "counts": o.counts, "about": o.about, "period": o.period, "part": o.part, "change": o.change,
             "mentions": _mentions(o.mentions)}
            for o in ex.observations
        ],
        "rankings": [
            {"kind": r.kind, "scope_word": r.scope_word, "scope": r.scope, "rank": r.rank, "indicator": r.indicator,
             "about": r.about, "count": r.count, "of": r.of, "period": r.period, "mentions": _mentions(r.mentions)}
            for r in ex.rankings
        ],
        "plan_items": [
            {"ordinal": p.ordinal, "year": p.year, "summary": p.summary, "start": p.start, "end": p.end,
             "references": p.references, "initiatives": p.initiatives}
            for p in ex.plan_items
        ],
    }


def _num(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


def to_json(extractions: list[Extraction]) -> str:
    """All extractions as one JSON array, keys in a fixed order."""
    return json.dumps([extraction_records(ex) for ex in extractions], ensure_ascii=False, indent=1) + "\n"


CSV_COLUMNS = ("document", "kind", "type", "key", "label", "start", "end", "quote", "detail")


def to_csv(extractions: list[Extraction], *, delimiter: str = ",") -> str:
    """One row per mention: which document, what kind of thing, its key and label, offsets and quote."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for ex in extractions:
        rec = extraction_records(ex)
        doc = rec["document"]["id"]
        for e in rec["entities"]:
            for m in e["mentions"]:
                w.writerow((doc, "entity", e["type"], e["key"], e["name"], m["start"], m["end"], m["quote"], m["resolution"]))
        for r in rec["relations"]:
            for m in r["mentions"]:
                w.writerow((doc, "relation", r["predicate"], r["subject"], r["object"], m["start"], m["end"], m["quote"], ""))
        for c in rec["conferrals"]:
            for m in c["mentions"]:
                w.writerow((doc, "conferral", c["level"] or "", c["recipient"], c["honour"], m["start"], m["end"], m["quote"], c["year"] or ""))
        for o in rec["observations"]:
            for m in o["mentions"]:
                w.writerow((doc, "observation", o["unit"], o["about"] or "", o["value"], m["start"], m["end"], m["quote"], o["qualifier"]))
        for r in rec["rankings"]:
            for m in r["mentions"]:
                w.writerow((doc, "ranking", r["kind"], r["scope"] or "", r["rank"] or "", m["start"], m["end"], m["quote"], r["indicator"]))
    return buf.getvalue()
