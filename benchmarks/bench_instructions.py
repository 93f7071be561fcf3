"""Extraction cost in machine instructions per MB, which does not depend on the machine's load.

Run:  python benchmarks/bench_instructions.py [--source bundled|corpus] [--copies 10,40]

Needs valgrind (``apt-get install valgrind``); each run takes a few minutes. Runs reading + extraction under
``valgrind --tool=callgrind`` once with no sample text and once per number of copies of the text of
``bench_extract.py --source``, and prints the difference per MB: the same figure at every size means the
work is linear in the length of the text.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import sys
sys.path.insert(0, {bench!r})
from bench_extract import sample_text
from govkg.extract import extract
from govkg.gazetteer import Gazetteer
from govkg.pipeline import bundled_report
from govkg.reader import read_report
gaz = Gazetteer.default()
extract(read_report(bundled_report()), gazetteer=gaz)
header, body = sample_text({source!r})
copies = {copies}
if copies:
    data = (header + body * copies).encode("utf-8")
    extract(read_report(data), gazetteer=gaz)
    print("BYTES", len(data))
"""


def instructions(source: str, copies: int) -> tuple[int, int]:
    """(instructions executed, bytes of text) of one child process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        code = CHILD.format(bench=str(Path(__file__).parent), source=source, copies=copies)
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", code],
            capture_output=True, text=True, check=True,
        )
        total = max(int(n) for n in re.findall(r"^(?:summary|totals): (\d+)", out.read_text(), re.M))
    m = re.search(r"^BYTES (\d+)", run.stdout, re.M)
    return total, int(m.group(1)) if m else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", choices=("bundled", "corpus"), default="bundled")
    ap.add_argument("--copies", default="10,40", help="numbers of copies of the sample text to extract")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed: apt-get install valgrind")
    base, _ = instructions(args.source, 0)
    print(f"source: {args.source}; start-up and warm-up: {base / 1e9:.2f} G instructions (subtracted)")
    print(f"{'bytes':>12} {'G instr':>9} {'G instr/MB':>11}")
    for copies in (int(c) for c in args.copies.split(",")):
        total, size = instructions(args.source, copies)
        print(f"{size:>12,} {(total - base) / 1e9:9.2f} {(total - base) / size * 1e6 / 1e9:11.2f}")


if __name__ == "__main__":
    main()
