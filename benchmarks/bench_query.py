"""Benchmark every named query on Oxigraph and rdflib over a synthetic corpus in govkg's graph shape.

Usage: python benchmarks/bench_query.py [--docs 780] [--rdflib-docs 10] [--repeat 5]

The corpus (about 1 280 quads per document, so ~1M for the default 780 documents) is generated
deterministically: areas and organisations in a reference graph, and per document a named graph with
the report text, mentions (NIF spans), entities, honours, figures, rankings, plan items and reified
relations, exactly as govkg.triples writes them. rdflib is much slower, so it runs on the first
``--rdflib-docs`` documents; Oxigraph is timed on that subset too, and the ratio compares like with like.
Not run in CI.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings

from rdflib import Dataset

from govkg.query import list_queries, run_query
from govkg.store import materialise_union

ID = "https://w3id.org/govkg/id/"
GK = "https://w3id.org/govkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITS = "http://www.w3.org/2005/11/its/rdf#"
TIME = "http://www.w3.org/2006/time#"
C = "https://w3id.org/govkg/concept/"

SYL = "东南西北中海山河湖岭湾桥林石金银安平和兴华新龙凤云泉田沙港"


def _name(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.choice(SYL) for _ in range(n))


def _lit(s: str, lang: str | None = None, dt: str | None = None) -> str:
    e = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{e}"@{lang}'
    if dt:
        return f'"{e}"^^<{XSD}{dt}>'
    return f'"{e}"'


class Corpus:
    """Generates N-Quads lines for the reference graph and each document graph."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.ref: list[str] = []
        self.areas: list[tuple[str, str]] = []
        self.subdistricts: list[tuple[str, str]] = []
        g = f"<{ID}graph/reference>"
        city = f"<{ID}area/990100>"
        self._q(self.ref, city, f"<{RDF}type>", f"<{GK}City>", g)
        self._q(self.ref, city, f"<{SKOS}prefLabel>", _lit("海州市", "zh"), g)
        self.city = (city, "海州市")
        for s in range(50):
            sname = f"{_name(rng)}{s}街道"
            si = f"<{ID}area/990100/s{s}>"
            self.subdistricts.append((si, sname))
            for t, o in ((f"<{RDF}type>", f"<{GK}Subdistrict>"), (f"<{SKOS}prefLabel>", _lit(sname, "zh")),
                         (f"<{GK}withinArea>", city), (f"<{GK}adminLevel>", f"<{C}level/subdistrict>")):
                self._q(self.ref, si, t, o, g)
            for c in range(20):
                cname = f"{_name(rng)}{s}-{c}社区"
                ci = f"<{ID}area/990100/s{s}/c{c}>"
                self.areas.append((ci, cname))
                for t, o in ((f"<{RDF}type>", f"<{GK}Community>"), (f"<{SKOS}prefLabel>", _lit(cname, "zh")),
                             (f"<{GK}withinArea>", si), (f"<{GK}adminLevel>", f"<{C}level/community>"),
                             (f"<{DCT}source>", _lit("synthetic gazetteer"))):
                    self._q(self.ref, ci, t, o, g)
        self.orgs = [(f"<{ID}org/o{i}>", f"{_name(rng, 3)}{i}司法所") for i in range(2000)]
        self.groups = [(f"<{ID}org/lg{i}>", f"{_name(rng)}{i}领导小组") for i in range(50)]
        self.persons = [(f"<{ID}person/p{i}>", f"{_name(rng)}{i}") for i in range(5000)]
        self.inits = [(f"<{ID}initiative/i{i}>", f"{_name(rng, 4)}{i}工程") for i in range(500)]
        self.honours = [(f"<{ID}honour/h{i}>", f"{_name(rng, 3)}{i}先进集体",
                         rng.choice(["national", "provincial", "municipal", "district"])) for i in range(300)]
        self.norms = [(f"<{ID}norm/n{i}>", f"{_name(rng, 4)}{i}条例") for i in range(200)]
        self.indicators = [(f"<{C}indicator/ind{i}>", f"{_name(rng, 3)}{i}人次") for i in range(100)]

    @staticmethod
    def _q(out: list[str], s: str, p: str, o: str, g: str) -> None:
        out.append(f"{s} {p} {o} {g} .")

    def document(self, k: int) -> list[str]:
        rng = self.rng
        out: list[str] = []
        year = 2015 + k % 8
        doc = f"<{ID}doc/SYN/{k:05d}>"
        g = f"<{ID}doc/SYN/{k:05d}/graph>"
        ctx_iri = f"{ID}doc/SYN/{k:05d}/text"
        ctx = f"<{ctx_iri}>"
        q = lambda s, p, o: self._q(out, s, p, o, g)  # noqa: E731
        text: list[str] = []
        pos = 0

        def add(s: str) -> int:
            nonlocal pos
            start = pos
            text.append(s)
            pos += len(s)
            return start

        def mention(start: int, quote: str, ent: str | None, res: str = "exact-name") -> str:
            m = f"<{ctx_iri}#char={start},{start + len(quote)}>"
            for t in (f"<{GK}Mention>", f"<{NIF}String>", f"<{NIF}RFC5147String>"):
                q(m, f"<{RDF}type>", t)
            q(m, f"<{NIF}referenceContext>", ctx)
            q(m, f"<{NIF}beginIndex>", _lit(str(start), dt="nonNegativeInteger"))
            q(m, f"<{NIF}endIndex>", _lit(str(start + len(quote)), dt="nonNegativeInteger"))
            q(m, f"<{NIF}anchorOf>", _lit(quote))
            q(m, f"<{GK}resolution>", f"<{C}resolution/{res}>")
            if ent:
                q(m, f"<{ITS}taIdentRef>", ent)
                q(ent, f"<{GK}evidence>", m)
            return m

        def entity(iri: str, cls: str, name: str) -> None:
            q(iri, f"<{RDF}type>", f"<{GK}{cls}>")
            q(iri, f"<{SKOS}prefLabel>", _lit(name, "zh"))

        def period(y: int) -> str:
            p = f"<{ID}period/{y}>"
            q(p, f"<{RDF}type>", f"<{TIME}DateTimeInterval>")
            q(p, f"<{RDFS}label>", _lit(str(y)))
            q(p, f"<{GK}year>", _lit(str(y), dt="gYear"))
            return p

        def fact(node: str, start: int, quote: str) -> None:
            q(node, f"<{GK}evidence>", mention(start, quote, None))
            q(node, f"<{GK}statedIn>", doc)

        # header
        title = f"{self.orgs[k % len(self.orgs)][1]}{year}年工作总结和{year + 1}年工作计划"
        add(title + "\n")
        q(doc, f"<{RDF}type>", f"<{GK}Document>")
        q(doc, f"<{DCT}title>", _lit(title, "zh"))
        q(doc, f"<{GK}indexNumber>", _lit(f"SYN/{k:05d}"))
        q(doc, f"<{DCT}created>", _lit(f"{year + 1}-0{1 + k % 9}-1{k % 9}", dt="date"))
        q(doc, f"<{DCT}issued>", _lit(f"{year + 1}-0{1 + k % 9}-2{k % 9}", dt="date"))
        q(doc, f"<{DCT}publisher>", self.orgs[k % len(self.orgs)][0])
        entity(self.orgs[k % len(self.orgs)][0], "PublicOrganisation", self.orgs[k % len(self.orgs)][1])
        q(doc, f"<{DCT}temporal>", period(year))
        q(doc, f"<{DCT}temporal>", period(year + 1))
        q(ctx, f"<{RDF}type>", f"<{NIF}Context>")
        q(ctx, f"<{DCT}isFormatOf>", doc)
        add(f"一、{year}年工作成效\n")
        mentioned: dict[str, tuple[str, str]] = {}

        # honours (5)
        for _ in range(5):
            kind = rng.random()
            rec, cls = ((rng.choice(self.areas), "Community") if kind < 0.4 else
                        (rng.choice(self.orgs), "PublicOrganisation") if kind < 0.8 else
                        (rng.choice(self.persons), "Person"))
            hon = rng.choice(self.honours)
            sent = f"{rec[1]}获评“{hon[1]}”。"
            st = add(sent)
            entity(rec[0], cls, rec[1])
            entity(hon[0], "Honour", hon[1])
            q(hon[0], f"<{GK}honourLevel>", f"<{C}level/{hon[2]}>")
            mention(st, rec[1], rec[0])
            mention(st + len(rec[1]) + 3, hon[1], hon[0])
            node = f"<{ID}conferral/{year}/{k}-{st}>"
            q(node, f"<{RDF}type>", f"<{GK}AwardConferral>")
            q(node, f"<{GK}recipient>", rec[0])
            q(node, f"<{GK}honour>", hon[0])
            q(node, f"<{GK}refPeriod>", period(year))
            fact(node, st, sent[:-1])
            mentioned[rec[0]] = (rec[1], cls)
            if k == 0 and not hasattr(self, "sample"):
                self.sample = rec[1]  # an entity of the first document, for the entity parameters

        # organisations and relations (8 reified statements)
        for _ in range(8):
            o1 = rng.choice(self.orgs)
            area = rng.choice(self.subdistricts)
            grp = rng.choice(self.groups)
            sent = f"{o1[1]}作为{grp[1]}成员单位服务{area[1]}。"
            st = add(sent)
            entity(o1[0], "PublicOrganisation", o1[1])
            entity(grp[0], "LeadingGroup", grp[1])
            mention(st, o1[1], o1[0])
            for p, o in ((f"<{ORG}memberOf>", grp[0]), (f"<{GK}jurisdiction>", area[0])):
                q(o1[0], p, o)
                stmt = f"<{ID}stmt/{k}-{st}-{len(p)}>"
                q(stmt, f"<{RDF}type>", f"<{GK}Statement>")
                q(stmt, f"<{RDF}subject>", o1[0])
                q(stmt, f"<{RDF}predicate>", p)
                q(stmt, f"<{RDF}object>", o)
                fact(stmt, st, sent[:-1])
            q(o1[0], f"<{ORG}subOrganizationOf>", self.orgs[0][0])
            mentioned[o1[0]] = (o1[1], "PublicOrganisation")

        # programmes with pilot communities (3)
        for _ in range(3):
            ini = rng.choice(self.inits)
            pilots = rng.sample(self.areas, 3)
            sent = f"“{ini[1]}”以{'、'.join(a[1] for a in pilots)}等社区为试点。"
            st = add(sent)
            entity(ini[0], "Initiative", ini[1])
            mention(st + 1, ini[1], ini[0])
            for a in pilots:
                entity(a[0], "Community", a[1])
                q(ini[0], f"<{GK}pilotArea>", a[0])
                stmt = f"<{ID}stmt/{k}-{st}-{a[0][-8:-1]}>"
                q(stmt, f"<{RDF}type>", f"<{GK}Statement>")
                q(stmt, f"<{RDF}subject>", ini[0])
                q(stmt, f"<{RDF}predicate>", f"<{GK}pilotArea>")
                q(stmt, f"<{RDF}object>", a[0])
                q(stmt, f"<{GK}openList>", _lit("true", dt="boolean"))
                fact(stmt, st, sent[:-1])
            mentioned[ini[0]] = (ini[1], "Initiative")

        # figures (10) and rankings (2)
        for j in range(10):
            ind = rng.choice(self.indicators)
            val = rng.randint(10, 900000)
            about = rng.choice(self.orgs)
            sent = f"{about[1]}全年{ind[1]}{val}人次。"
            st = add(sent)
            node = f"<{ID}obs/SYN/{k:05d}/{j}>"
            q(node, f"<{RDF}type>", f"<{GK}Observation>")
            q(node, f"<{SCHEMA}value>", _lit(str(val), dt="decimal"))
            q(node, f"<{GK}valueQualifier>", f"<{C}qualifier/{rng.choice(['exact', 'approx', 'more-than'])}>")
            q(node, f"<{SCHEMA}unitText>", _lit("人次", "zh"))
            q(node, f"<{GK}valueAsStated>", _lit(f"{val}人次", "zh"))
            q(node, f"<{GK}cumulative>", _lit("false", dt="boolean"))
            q(node, f"<{GK}indicator>", ind[0])
            q(ind[0], f"<{RDF}type>", f"<{GK}Indicator>")
            q(ind[0], f"<{SKOS}prefLabel>", _lit(ind[1], "zh"))
            q(node, f"<{SCHEMA}observationAbout>", about[0])
            q(node, f"<{GK}initiative>", rng.choice(self.inits)[0])
            q(node, f"<{GK}refPeriod>", period(year))
            q(node, f"<{GK}part>", f"<{C}part/summary>")
            fact(node, st, sent[:-1])
        for j in range(2):
            ind = rng.choice(self.indicators)
            sent = f"{ind[1]}全市排名第{j + 1}。"
            st = add(sent)
            node = f"<{ID}rank/SYN/{k:05d}/{j}>"
            q(node, f"<{RDF}type>", f"<{GK}Ranking>")
            q(node, f"<{GK}rankKind>", f"<{C}rank-kind/rank>")
            q(node, f"<{GK}rank>", _lit(str(j + 1), dt="positiveInteger"))
            q(node, f"<{GK}scopeAsStated>", _lit("全市", "zh"))
            q(node, f"<{GK}rankScope>", self.city[0])
            q(node, f"<{GK}indicator>", ind[0])
            q(node, f"<{GK}refPeriod>", period(year))
            mention(st + len(ind[1]), "全市", self.city[0], "contextual-deixis")
            fact(node, st, sent[:-1])

        # plan (5 items, each mentioning something from the summary)
        add(f"二、{year + 1}年工作思路\n")
        for j in range(5):
            ent_iri, (ent_name, ent_cls) = rng.choice(list(mentioned.items()))
            ini = rng.choice(self.inits)
            norm = rng.choice(self.norms)
            sent = f"{'一二三四五'[j]}是支持{ent_name}推进{ini[1]}，落实《{norm[1]}》。"
            st = add(sent)
            node = f"<{ID}plan/SYN/{k:05d}/{j + 1}>"
            q(node, f"<{RDF}type>", f"<{GK}PlanItem>")
            q(node, f"<{SCHEMA}position>", _lit(str(j + 1), dt="integer"))
            q(node, f"<{SKOS}prefLabel>", _lit(sent[:12], "zh"))
            q(node, f"<{GK}part>", f"<{C}part/plan>")
            q(node, f"<{DCT}temporal>", period(year + 1))
            q(node, f"<{GK}initiative>", ini[0])
            q(node, f"<{DCT}references>", norm[0])
            entity(ini[0], "Initiative", ini[1])
            entity(norm[0], "NormativeDocument", norm[1])
            mention(st + 4, ent_name, ent_iri)
            fact(node, st, sent)
        full = "".join(text)
        q(ctx, f"<{NIF}isString>", _lit(full))
        q(ctx, f"<{NIF}beginIndex>", _lit("0", dt="nonNegativeInteger"))
        q(ctx, f"<{NIF}endIndex>", _lit(str(len(full)), dt="nonNegativeInteger"))
        return out


def _time(fn, repeat: int, budget: float) -> tuple[float, int, int]:
    """Median seconds of ``fn`` over up to ``repeat`` runs (fewer if one run exceeds ``budget``), rows, runs."""
    times = []
    rows = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = len(fn())
        times.append(time.perf_counter() - t0)
        if times[-1] > budget:
            break
    return statistics.median(times), rows, len(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=780, help="documents in the Oxigraph corpus (~1 280 quads each)")
    ap.add_argument("--rdflib-docs", type=int, default=10, help="documents in the subset also run on rdflib")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=20.0, help="stop repeating a query after one run this long (s)")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")

    t0 = time.perf_counter()
    corpus = Corpus()
    docs = [corpus.document(k) for k in range(args.docs)]
    full = "\n".join(corpus.ref + [ln for d in docs for ln in d]) + "\n"
    sub = "\n".join(corpus.ref + [ln for d in docs[: args.rdflib_docs] for ln in d]) + "\n"
    print(f"generated {args.docs} documents in {time.perf_counter() - t0:.1f} s")

    import pyoxigraph as ox

    t0 = time.perf_counter()
    big = ox.Store()
    big.bulk_load(full.encode("utf-8"), ox.RdfFormat.N_QUADS)
    materialise_union(big)
    n_quads = full.count("\n")
    print(f"oxigraph: loaded {n_quads:,} quads ({len(big):,} with the union default graph) "
          f"in {time.perf_counter() - t0:.1f} s")
    small_ox = ox.Store()
    small_ox.load(sub.encode("utf-8"), ox.RdfFormat.N_QUADS)
    materialise_union(small_ox)
    t0 = time.perf_counter()
    ds = Dataset()
    ds.parse(data=sub, format="nquads")
    print(f"rdflib subset: {args.rdflib_docs} documents, {sub.count(chr(10)):,} quads, parsed in "
          f"{time.perf_counter() - t0:.1f} s")
    del full, sub

    params = {"provenance": {"entity": corpus.sample}, "entity": {"entity": corpus.orgs[0][1]}}
    head = f"{'query':28} {'ox full (s)':>11} {'rows':>7} {'ox sub (s)':>10} {'rdflib sub (s)':>14} {'rows':>6} {'rdflib/ox':>9}"
    print()
    print(head)
    print("-" * len(head))
    for nq in list_queries():
        p = params.get(nq.name, {})
        t_big, rows_big, _ = _time(lambda: run_query(big, nq, p), args.repeat, args.budget)
        t_sub, rows_sub, _ = _time(lambda: run_query(small_ox, nq, p), args.repeat, args.budget)
        t_rd, rows_rd, runs = _time(lambda: run_query(ds, nq, p, engine="rdflib"), min(args.repeat, 3), args.budget)
        flag = "" if rows_rd == rows_sub else " (row counts differ!)"
        print(f"{nq.name:28} {t_big:11.4f} {rows_big:7d} {t_sub:10.4f} {t_rd:14.4f} {rows_rd:6d} "
              f"{t_rd / max(t_sub, 1e-6):8.0f}x{flag}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
