"""Extraction speed on one core: bundled report text repeated to several sizes.

Run:  python benchmarks/bench_extract.py [--sizes 0.25,1,4]

Prints, per size, the bytes of UTF-8 text, the best of three wall times for reading + extraction,
the throughput in MB/s and the time per MB relative to the smallest size (≈1.0 means linear).
The one-time cost of loading the gazetteer is measured and printed separately.
"""

from __future__ import annotations

import argparse
import time

from govkg.extract import extract
from govkg.gazetteer import Gazetteer
from govkg.pipeline import bundled_report
from govkg.reader import read_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.25,1,4", help="sizes in MB of UTF-8 text")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    t0 = time.perf_counter()
    gaz = Gazetteer.default()
    extract(read_report(bundled_report()), gazetteer=gaz)  # warm the name indices
    print(f"gazetteer load + first extraction: {time.perf_counter() - t0:.2f} s (one-time)")
    base = bundled_report().read_bytes().decode("utf-8")
    header, body = base[: base.index("\n\n", 300)], base[base.index("\n\n", 300) :]
    rows = []
    for mb in (float(s) for s in args.sizes.split(",")):
        copies = max(1, round(mb * 1e6 / len(body.encode("utf-8"))))
        data = (header + body * copies).encode("utf-8")
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            ex = extract(read_report(data, name=f"{mb}MB"), gazetteer=gaz)
            best = min(best, time.perf_counter() - t)
        rows.append((len(data), best, len(ex.entities), len(ex.mentions())))
    first = rows[0][1] / rows[0][0]
    print(f"{'bytes':>12} {'seconds':>8} {'MB/s':>7} {'s/MB ratio':>10} {'entities':>9} {'mentions':>9}")
    for size, secs, ents, ments in rows:
        print(f"{size:>12,} {secs:8.2f} {size / secs / 1e6:7.2f} {secs / size / first:10.2f} {ents:>9} {ments:>9}")


if __name__ == "__main__":
    main()
