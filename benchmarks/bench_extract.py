"""Extraction speed on one core: bundled report text repeated to several sizes.

Run:  python benchmarks/bench_extract.py [--sizes 0.25,1,4] [--source bundled|corpus]

Prints, per size, the bytes of UTF-8 text, the best of --repeat (5) wall and CPU times for reading + extraction
(one process, one core), the throughput in MB/s of CPU time (wall time is noisy on shared machines) and
the time per MB relative to the smallest size (≈1.0 means linear; memory effects push it up at 4 MB, while the
instruction count per MB, measured with callgrind, stays flat).
The one-time cost of loading the gazetteer is measured and printed separately.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from govkg.extract import extract
from govkg.gazetteer import Gazetteer
from govkg.pipeline import bundled_report
from govkg.reader import read_report


def sample_text(source: str) -> tuple[str, str]:
    """(header, body) to repeat: the bundled report's, plus for "corpus" the visible text of every test report."""
    base = bundled_report().read_bytes().decode("utf-8")
    header, body = base[: base.index("\n\n", 300)], base[base.index("\n\n", 300) :]
    if source == "corpus":  # headers of the other reports included
        corpus = sorted((Path(__file__).parent.parent / "tests" / "corpus").iterdir())
        body += "".join("\n\n" + read_report(p).text for p in corpus if p.is_file())
    return header, body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.25,1,4", help="sizes in MB of UTF-8 text")
    ap.add_argument("--repeat", type=int, default=5, help="runs per size; the fastest counts (shared machines are noisy)")
    ap.add_argument(
        "--source",
        choices=("bundled", "corpus"),
        default="bundled",
        help="text to repeat: the bundled report's body, or the bodies of every report in tests/corpus and the bundled one",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    gaz = Gazetteer.default()
    extract(read_report(bundled_report()), gazetteer=gaz)  # warm the name indices
    print(f"gazetteer load + first extraction: {time.perf_counter() - t0:.2f} s (one-time)")
    header, body = sample_text(args.source)
    print(f"source: {args.source}, {len(body):,} characters of body text repeated")
    rows = []
    for mb in (float(s) for s in args.sizes.split(",")):
        copies = max(1, round(mb * 1e6 / len(body.encode("utf-8"))))
        data = (header + body * copies).encode("utf-8")
        best = cpu = float("inf")
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            ex = extract(read_report(data, name=f"{mb}MB"), gazetteer=gaz)
            best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
        rows.append((len(data), best, cpu, len(ex.entities), len(ex.mentions())))
    first = rows[0][2] / rows[0][0]
    print(f"{'bytes':>12} {'wall s':>7} {'cpu s':>7} {'MB/s (cpu)':>10} {'s/MB ratio':>10} {'entities':>9} {'mentions':>9}")
    for size, secs, cpu, ents, ments in rows:
        print(f"{size:>12,} {secs:7.2f} {cpu:7.2f} {size / cpu / 1e6:10.2f} {cpu / size / first:10.2f} {ents:>9} {ments:>9}")


if __name__ == "__main__":
    main()
