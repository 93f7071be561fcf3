"""Score an Extraction against a hand annotation (docs/ANNOTATION.md): precision, recall, F1 per kind."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from govkg.model import Extraction

AREA = {"Country", "Province", "City", "District", "Subdistrict", "Community"}
ORG = {"PublicOrganisation", "LeadingGroup", "Company"}
KINDS = ("entities", "relations", "conferrals", "indicators", "rankings")


def group(t: str) -> str:
    return "area" if t in AREA else "org" if t in ORG else t


def norm(name: str) -> str:
    return "".join(c for c in str(name) if c not in "“”\"《》「」 \u3000\u00a0")


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def scored_entities(ex: Extraction) -> list:
    """Entities a reader would find by name: those named at least once (not only through 新区/全市 words)."""
    return [
        e for e in ex.entities.values() if any(m.resolution != "contextual-deixis" for m in e.mentions)
    ]


def _unit(value, unit: str) -> tuple[Decimal, str]:
    v = Decimal(str(value))
    unit = unit.replace("％", "%")
    for prefix, mult in (("万", 10000), ("亿", 100000000), ("千", 1000)):
        if unit.startswith(prefix) and len(unit) > 1:
            return (v * mult).normalize(), unit[1:]
    return v.normalize(), unit


def match_entities(gold: dict, ex: Extraction) -> tuple[list, dict[int, int]]:
    """One-to-one matching of predicted to gold entities: same type group and a shared name or alias."""
    golds = gold.get("entities", [])
    g_names = [{norm(g["name"]), *map(norm, g.get("aliases", []))} for g in golds]
    preds = scored_entities(ex)
    p_names = [{norm(e.name), *map(norm, e.aliases)} for e in preds]
    match: dict[int, int] = {}  # pred index → gold index
    used: set[int] = set()
    # exact canonical names first, then any shared alias
    for exact in (True, False):
        for j, e in enumerate(preds):
            if j in match:
                continue
            for i, g in enumerate(golds):
                if i in used or group(g["type"]) != group(e.type):
                    continue
                ok = norm(g["name"]) == norm(e.name) if exact else bool(g_names[i] & p_names[j])
                if ok:
                    match[j] = i
                    used.add(i)
                    break
    return preds, match


def keyed_facts(gold: dict, ex: Extraction) -> dict[str, tuple[Counter, Counter]]:
    """(gold, predicted) multisets per kind, with entities replaced by their matched gold entity."""
    golds = gold.get("entities", [])
    preds, match = match_entities(gold, ex)
    by_key = {e.key: j for j, e in enumerate(preds)}
    gold_index: dict[str, int] = {}
    for i, g in enumerate(golds):  # names before aliases: 大鹏办事处 the office before the alias of 大鹏街道
        gold_index.setdefault(norm(g["name"]), i)
    for i, g in enumerate(golds):
        for n in g.get("aliases", []):
            gold_index.setdefault(norm(n), i)

    def pid(key: str) -> object:
        if key.startswith("plan:"):
            return key
        j = by_key.get(key)
        if j is not None:
            return golds[match[j]]["name"] if j in match else ("?", key)
        # an entity named only by a context word (街道荣获…: the report's own subdistrict) is not scored as an
        # entity, but a fact about it is right when the gold names the same entity
        e = ex.entities.get(key)
        if e is not None:
            for n in (e.name, *e.aliases):
                i = gold_index.get(norm(n))
                if i is not None and group(golds[i]["type"]) == group(e.type):
                    return golds[i]["name"]
        return ("?", key)

    def gid(name: str) -> object:
        if str(name).startswith("plan:"):
            return name
        i = gold_index.get(norm(name))
        return ("gold?", name) if i is None else golds[i]["name"]

    pred_rel = {(pid(r.subject), r.predicate, pid(r.object)) for r in ex.relations}
    pred_rel |= {(f"plan:{p.ordinal}", "references", pid(ref)) for p in ex.plan_items for ref in p.references}
    gold_rel = {(gid(r["subject"]), r["predicate"], gid(r["object"])) for r in gold.get("relations", [])}
    pred_conf = {(pid(c.recipient), pid(c.honour), c.level) for c in ex.conferrals}
    gold_conf = {(gid(c["recipient"]), gid(c["honour"]), c.get("level")) for c in gold.get("conferrals", [])}
    pred_ind = Counter(_unit(o.value, o.unit) for o in ex.observations)
    gold_ind = Counter(_unit(i["value"], i["unit"]) for i in gold.get("indicators", []))
    pred_rank = Counter((r.kind, r.scope_word, r.rank if r.kind in ("rank", "top") else None) for r in ex.rankings)
    gold_rank = Counter(
        (r["kind"], r["scope_word"], r.get("rank") if r["kind"] in ("rank", "top") else None) for r in gold.get("rankings", [])
    )
    return {
        "relations": (Counter(gold_rel), Counter(pred_rel)),
        "conferrals": (Counter(gold_conf), Counter(pred_conf)),
        "indicators": (gold_ind, pred_ind),
        "rankings": (gold_rank, pred_rank),
    }


def score(gold: dict, ex: Extraction) -> dict[str, Score]:
    """Precision and recall per kind (entities, relations, conferrals, indicators, rankings)."""
    golds = gold.get("entities", [])
    preds, match = match_entities(gold, ex)
    out = {"entities": Score(len(match), len(preds) - len(match), len(golds) - len(match))}
    for kind, (g, p) in keyed_facts(gold, ex).items():
        out[kind] = _multiset(g, p)
    return out


def _multiset(gold: Counter, pred: Counter) -> Score:
    tp = sum((gold & pred).values())
    return Score(tp, sum(pred.values()) - tp, sum(gold.values()) - tp)


def report(name: str, scores: dict[str, Score]) -> str:
    lines = [f"{name}: {'kind':<11} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for k in KINDS:
        s = scores[k]
        lines.append(f"{' ' * len(name)}  {k:<11} {s.precision:6.1%} {s.recall:6.1%} {s.f1:6.1%} {s.tp:4} {s.fp:3} {s.fn:3}")
    return "\n".join(lines)


def diff(gold: dict, ex: Extraction) -> str:
    """What a reviewer needs to see: unmatched gold and predicted items per kind (for debugging)."""
    lines = []
    golds = gold.get("entities", [])
    preds = scored_entities(ex)
    g_names = [{norm(g["name"]), *map(norm, g.get("aliases", []))} for g in golds]
    for i, g in enumerate(golds):
        if not any(group(e.type) == group(g["type"]) and g_names[i] & {norm(e.name), *map(norm, e.aliases)} for e in preds):
            lines.append(f"  missed entity  {g['type']:<18} {g['name']}")
    for e in preds:
        names = {norm(e.name), *map(norm, e.aliases)}
        if not any(group(e.type) == group(g["type"]) and g_names[i] & names for i, g in enumerate(golds)):
            lines.append(f"  extra entity   {e.type:<18} {e.name}")
    return "\n".join(lines)


def fact_diff(gold: dict, ex: Extraction) -> str:
    """Facts only in the gold and facts only predicted, per kind (entities shown by gold name)."""
    lines = []
    for kind, (g, p) in keyed_facts(gold, ex).items():
        lines += [f"  {kind} gold only  {t}" for t in sorted(map(str, (g - p).elements()))]
        lines += [f"  {kind} pred only  {t}" for t in sorted(map(str, (p - g).elements()))]
    return "\n".join(lines)
