"""Corpus build: wall time, CPU time and memory of `govkg.pipeline.build` over thousands of generated reports.

Run by hand (never in CI; 10,000 files take minutes):

    python benchmarks/bench_corpus.py [--sizes 1000,10000] [--jobs N] [--workdir DIR] [--keep]
                                      [--no-incremental] [--[no-]check-identical]

Corpus: N files made in a temporary folder (or --workdir) from the test reports in tests/corpus (their visible
text, read with govkg.reader.read_report), the bundled report, and the real pages in $GOVKG_REAL_CORPUS or
../shared/corpus/real/*.txt (read at run time only, never copied into the repository; skipped with a note when
absent). File i is a variant of one source, chosen and changed by random.Random(i): every year 20xx shifted by a
small delta, the 索引号 made distinct (its trailing digits replaced by the file number), a few name stems of
社区/街道/镇/村 swapped for invented ones. Long reports are cut at a line break into 1,000–3,000-character
prefixes and mixed with the ~750-character real pages so that a file averages ~1,000 characters
(10,000 files ≈ 10 M characters). File i is the same at every size, so a smaller corpus is a prefix of a larger one.

Each build is `build(sources, out_dir, jobs=--jobs, view=False)` (jobs= only if build accepts it; the HTML view
is not part of the corpus benchmark) in a fresh child process. Printed per size:
  wall s       wall time of the build() call, measured inside the child (process start-up and imports excluded)
  CPU s        user+sys of the child and every worker it waited for (from os.wait4), minus its start-up CPU
  peak RSS MB  largest single process (ru_maxrss of os.wait4: with worker processes this is the biggest one)
  tree RSS MB  peak of the summed RSS of the child and its workers, sampled every 0.2 s (psutil or /proc)
  MB/s         MB of UTF-8 input per second of wall time;  ms/report: wall time per file
  jieba s      jieba.lcut over the same texts, one process, after jieba.initialize(); ratio = wall s / jieba s
               (govkg may use --jobs processes, jieba one)
Incremental (largest size, and every size with the identity check): one new file added, build into the same
folder, then one file removed, build again; each wall time printed. With the identity check (default on for
sizes ≤ 1000) the incremental govkg.trig is compared byte for byte with a clean build of the same sources into
a fresh folder: OK or FAIL.
Growth ratios, smallest → largest size: time ratio / size ratio ≈ 1 means linear; RSS ratio ≈ 1 means flat.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: invented two-character name stems (no real place intended)
STEMS = (
    "青禾", "云栖", "松岚", "柏溪", "桐湾", "枫汀", "槐岭", "澜川",
    "霁川", "芷兰", "苇塘", "棠梨", "栖霞", "榆林", "杉溪", "莲浦",
)
_PLACE = re.compile(r"([\u4e00-\u9fff]{2})(社区|街道|镇|村)")
# characters that show a two-character run before 社区/街道/镇/村 is not a name stem ("推进农村", "城乡社区")
_NOT_STEM = set("的了和与及在对为各全本该每个乡城进推农市县区省府委党工作年月日是有到等把将以从于向所各其")
_YEAR = re.compile(r"(?<![0-9])20([0-9]{2})(?![0-9])")
_INDEX_LABEL = re.compile(r"索[ \u3000]*引[ \u3000]*号[ \u3000]*[:：|｜】]?[ \u3000|｜]*([^\s|｜【]+)")
TARGET_CHARS = 1000


# --------------------------------------------------------------------------- corpus


def load_sources() -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
    """(long reports, real pages, note): (name, visible text) of every source."""
    from govkg.pipeline import bundled_report
    from govkg.reader import read_report

    longs = [(p.name, read_report(p).text) for p in sorted((ROOT / "tests" / "corpus").iterdir()) if p.is_file()]
    longs.append((bundled_report().name, read_report(bundled_report()).text))
    env = os.environ.get("GOVKG_REAL_CORPUS")
    real_dir = Path(env) if env else ROOT.parent / "shared" / "corpus" / "real"
    files = sorted(real_dir.glob("*.txt")) if real_dir.is_dir() else []
    if not files:
        return longs, [], f"real pages: none in {real_dir} (skipped; set $GOVKG_REAL_CORPUS)"
    real = [(p.name, read_report(p).text) for p in files]
    return longs, real, f"real pages: {len(real)} from {real_dir}"


def index_span(text: str) -> tuple[int, int] | None:
    """Where the 索引号 value is, by the reader's own header parser (regex fallback)."""
    try:
        from govkg.reader import parse_header

        md, _ = parse_header(text)
        for attr, s, e in md.spans:
            if attr == "index_number":
                return s, e
    except Exception:  # the reader is not under test here
        pass
    m = _INDEX_LABEL.search(text, 0, 3000)
    return (m.start(1), m.end(1)) if m else None


def prefix(text: str, rng: random.Random, lo: int, hi: int) -> str:
    """A prefix of lo..hi characters ending at a line break (the whole text when shorter)."""
    n = rng.randint(lo, hi)
    if len(text) <= n:
        return text
    cut = text.rfind("\n", n // 2, n)
    if cut < 0:
        cut = text.find("\n", n)
    return text if cut < 0 else text[:cut]


class Maker:
    """File i of the corpus, deterministic from i (and the sources)."""

    def __init__(self, longs: list[tuple[str, str]], real: list[tuple[str, str]]) -> None:
        self.longs, self.real = longs, real
        self.lo, self.hi = (1000, 3000) if real else (600, 1400)
        if real:  # share of real pages so that a file averages TARGET_CHARS characters
            r = random.Random(0)
            mean_long = sum(len(prefix(r.choice(longs)[1], r, self.lo, self.hi)) for _ in range(2000)) / 2000
            mean_real = sum(len(t) for _, t in real) / len(real)
            self.p_real = min(0.95, max(0.0, (mean_long - TARGET_CHARS) / max(1.0, mean_long - mean_real)))
        else:
            self.p_real = 0.0
        self.seen: set[str] = set()  # digests of files 0..i-1 of the corpus being written (see reset)

    def reset(self) -> None:
        """Start a corpus: file i then depends only on files 0..i-1, the same at every size."""
        self.seen.clear()

    def describe(self) -> str:
        return (
            f"mix: {self.p_real:.0%} real pages (whole), {1 - self.p_real:.0%} prefixes of "
            f"{len(self.longs)} long reports ({self.lo:,}–{self.hi:,} characters, cut at a line break)"
        )

    def text(self, i: int) -> str:
        rng = random.Random(i)
        if self.real and rng.random() < self.p_real:
            text = rng.choice(self.real)[1]
        else:
            text = prefix(rng.choice(self.longs)[1], rng, self.lo, self.hi)
        delta = rng.choice((-3, -2, -1, 1, 2, 3))
        text = _YEAR.sub(lambda m: str(min(2099, max(2000, 2000 + int(m.group(1)) + delta))), text)
        span = index_span(text)
        if span:
            s, e = span
            value = text[s:e]
            m = re.search(r"[0-9]+$", value)
            value = value[: m.start()] + f"{i:0{len(m.group())}d}" if m else f"{value}-{i}"
            text = text[:s] + value + text[e:]
        stems = sorted({m.group() for m in _PLACE.finditer(text) if not _NOT_STEM & set(m.group(1))})
        for old in rng.sample(stems, min(len(stems), rng.randint(1, 3))):
            text = text.replace(old, rng.choice(STEMS) + old[2:])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in self.seen:  # no 索引号 and nothing else changed: keep every file distinct
            text += f"\n（样本{i}）\n"
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.seen.add(digest)
        return text

    def write(self, folder: Path, i: int) -> tuple[Path, str]:
        p = folder / f"r{i:06d}.txt"
        t = self.text(i)
        p.write_text(t, encoding="utf-8")
        return p, t


# --------------------------------------------------------------------------- child build


def _count(x: object) -> int | None:
    """How many: an int as is, a collection's length, else None (BuildResult fields differ between versions)."""
    if isinstance(x, int):
        return x
    try:
        return len(x)  # type: ignore[arg-type]
    except TypeError:
        return None


def child(list_file: str, out_dir: str, jobs: int) -> None:
    """Run one build() and print its measurements as JSON on the last line of stdout."""
    import resource

    pre = resource.getrusage(resource.RUSAGE_SELF)
    from govkg.pipeline import build

    params = inspect.signature(build).parameters
    kw: dict[str, object] = {"view": False}
    if "jobs" in params:
        kw["jobs"] = jobs
    sources = Path(list_file).read_text(encoding="utf-8").splitlines()
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    res = build(sources, out_dir, **kw)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": wall,
                "startup_cpu": r0.ru_utime + r0.ru_stime,
                "import_cpu": r0.ru_utime + r0.ru_stime - pre.ru_utime - pre.ru_stime,
                "self_cpu": r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime,
                "children_cpu": c1.ru_utime + c1.ru_stime,
                "jobs": kw.get("jobs"),
                "reports": _count(getattr(res, "built", None)),
                "errors": _count(getattr(res, "errors", None)),
                "warnings": _count(getattr(res, "warnings", None)),
                "timings": {k: round(v, 2) for k, v in getattr(res, "timings", {}).items()},
            }
        ),
        flush=True,
    )


def _tree_rss_proc(pid: int) -> int:
    """Summed RSS in bytes of pid and its descendants, from /proc."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
                parent[int(d)] = int(stat[stat.rindex(")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier.extend(kids)
    total = 0
    for p in tree:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def tree_rss(pid: int) -> int:
    try:
        import psutil
    except ImportError:
        return _tree_rss_proc(pid)
    try:
        proc = psutil.Process(pid)
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_build(sources: list[Path], out_dir: Path, jobs: int, tag: str) -> dict:
    """build() in a fresh child process; its measurements plus CPU and peak RSS of the process tree."""
    logs = out_dir.parent / "logs"
    logs.mkdir(exist_ok=True)
    list_file = logs / f"{out_dir.name}.{tag}.sources"
    list_file.write_text("".join(f"{p}\n" for p in sources), encoding="utf-8")
    log = logs / f"{out_dir.name}.{tag}.log"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(list_file), str(out_dir), "--jobs", str(jobs)]
    t0 = time.perf_counter()
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        peak_tree = 0
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, tree_rss(proc.pid))
            time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    process_wall = time.perf_counter() - t0
    out = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"build failed (exit {proc.returncode}), log {log}:\n{out[-3000:]}")
    data = json.loads(out.strip().splitlines()[-1])
    data["process_wall"] = process_wall
    data["cpu"] = ru.ru_utime + ru.ru_stime - data["startup_cpu"]
    data["peak_rss"] = ru.ru_maxrss * 1024  # KB on Linux
    data["tree_rss"] = peak_tree
    return data


# --------------------------------------------------------------------------- main


def mb(n: int) -> float:
    return n / 1e6


def show(label: str, r: dict, nbytes: int, files: int) -> None:
    print(
        f"  {label}: wall {r['wall']:.2f} s (process {r['process_wall']:.2f} s), CPU {r['cpu']:.2f} s, "
        f"peak RSS {mb(r['peak_rss']):.0f} MB (largest process), tree RSS {mb(r['tree_rss']):.0f} MB (sampled), "
        f"{mb(nbytes) / r['wall']:.3f} MB/s, {1000 * r['wall'] / files:.1f} ms/report; "
        + ", ".join(f"{r[k]} {k}" for k in ("reports", "errors", "warnings") if r[k] is not None)
    )
    if r.get("timings"):
        print("    steps (wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in r["timings"].items()))


def trig(folder: Path) -> bytes:
    return (folder / "govkg.trig").read_bytes()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        ap = argparse.ArgumentParser()
        ap.add_argument("--child", nargs=2)
        ap.add_argument("--jobs", type=int)
        a = ap.parse_args()
        child(a.child[0], a.child[1], a.jobs)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes in files, comma-separated")
    ap.add_argument("--jobs", type=int, default=os.cpu_count(), help="build(jobs=…) when build accepts it")
    ap.add_argument("--workdir", type=Path, help="folder for corpora and outputs (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and output folders")
    ap.add_argument("--no-incremental", action="store_true", help="skip the add/remove incremental builds")
    ap.add_argument(
        "--check-identical",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="compare incremental govkg.trig with a clean build (default: for sizes ≤ 1000)",
    )
    args = ap.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    jobs = max(1, args.jobs or 1)

    from govkg.pipeline import build

    has_jobs = "jobs" in inspect.signature(build).parameters
    print(
        f"build(): {'jobs=' + str(jobs) if has_jobs else 'no jobs= argument (one process)'}, view=False "
        f"(the HTML view is not part of the corpus benchmark); {os.cpu_count()} CPUs"
    )
    try:
        import jieba
    except ImportError:
        jieba = None
        print("jieba not installed (pip install 'govkg[bench]'): the jieba ratio is skipped")
    else:
        import logging

        jieba.setLogLevel(logging.WARNING)
        t = time.perf_counter()
        jieba.initialize()
        print(f"jieba {jieba.__version__}: initialize {time.perf_counter() - t:.2f} s (not counted)")

    longs, real, note = load_sources()
    print(f"sources: {len(longs)} long reports (tests/corpus + bundled); {note}")
    maker = Maker(longs, real)
    print(maker.describe())

    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="govkg-bench-corpus-"))
    print(f"workdir: {work}")
    rows = []
    try:
        for n in sizes:
            src = work / f"corpus-{n}"
            if src.exists():
                shutil.rmtree(src)
            src.mkdir()
            maker.reset()
            paths, texts = [], []
            for i in range(n):
                p, t = maker.write(src, i)
                paths.append(p)
                texts.append(t)
            chars = sum(len(t) for t in texts)
            nbytes = sum(len(t.encode("utf-8")) for t in texts)
            print(f"\n== {n:,} files: {chars:,} characters, {mb(nbytes):.2f} MB UTF-8 ({chars / n:,.0f} characters/file)")
            out = work / f"out-{n}"
            if out.exists():
                shutil.rmtree(out)
            r = run_build(paths, out, jobs, "clean")
            show("clean build", r, nbytes, n)
            jieba_s = None
            if jieba is not None:
                t = time.perf_counter()
                for text in texts:
                    jieba.lcut(text)
                jieba_s = time.perf_counter() - t
                print(
                    f"  jieba.lcut (one process): {jieba_s:.2f} s, {mb(nbytes) / jieba_s:.3f} MB/s; "
                    f"govkg wall / jieba = {r['wall'] / jieba_s:.2f}"
                )
            rows.append((n, chars, nbytes, r, jieba_s))

            check = args.check_identical if args.check_identical is not None else n <= 1000
            if args.no_incremental or not (n == sizes[-1] or check):
                continue
            new, t = maker.write(src, n)  # file n: not in the corpus of size n
            added = paths + [new]
            ra = run_build(added, out, jobs, "add")
            show("incremental +1 file", ra, nbytes + len(t.encode("utf-8")), n + 1)
            if check:
                fresh = work / f"out-{n}-clean-add"
                run_build(added, fresh, jobs, "clean-add")
                print(f"  identical govkg.trig after add: {'OK' if trig(out) == trig(fresh) else 'FAIL'}")
                shutil.rmtree(fresh)
            removed = added[1:]
            gone_bytes = len(texts[0].encode("utf-8"))
            paths[0].unlink()
            rr = run_build(removed, out, jobs, "remove")
            show("incremental -1 file", rr, nbytes + len(t.encode("utf-8")) - gone_bytes, n)
            if check:
                fresh = work / f"out-{n}-clean-remove"
                run_build(removed, fresh, jobs, "clean-remove")
                print(f"  identical govkg.trig after remove: {'OK' if trig(out) == trig(fresh) else 'FAIL'}")
                shutil.rmtree(fresh)
            # put the corpus back as it was (file 0 in, file n out) for --keep
            paths[0].write_text(texts[0], encoding="utf-8")
            new.unlink()
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        elif not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for n in sizes:
                for name in (f"corpus-{n}", f"out-{n}", f"out-{n}-clean-add", f"out-{n}-clean-remove"):
                    shutil.rmtree(work / name, ignore_errors=True)
            shutil.rmtree(work / "logs", ignore_errors=True)

    print(f"\nview=False; jobs={jobs if has_jobs else 'n/a (one process)'}; wall = build() call in a fresh child process")
    head = (
        f"{'size':>6} {'files':>6} {'chars':>11} {'MB':>7} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>11} "
        f"{'tree RSS MB':>11} {'MB/s':>7} {'ms/report':>9} {'jieba s':>8} {'ratio':>6}"
    )
    print(head)
    for n, chars, nbytes, r, js in rows:
        js_s, ratio_s = (f"{js:.2f}", f"{r['wall'] / js:.2f}") if js else ("-", "-")
        print(
            f"{n:>6} {n:>6} {chars:>11,} {mb(nbytes):>7.2f} {r['wall']:>8.2f} "
            f"{r['cpu']:>8.2f} {mb(r['peak_rss']):>11.0f} {mb(r['tree_rss']):>11.0f} "
            f"{mb(nbytes) / r['wall']:>7.3f} {1000 * r['wall'] / n:>9.1f} "
            f"{js_s:>8} {ratio_s:>6}"
        )
    if len(rows) > 1:
        (n0, _c0, b0, r0, _), (n1, _c1, b1, r1, _) = rows[0], rows[-1]
        size_ratio = b1 / b0
        time_ratio = r1["wall"] / r0["wall"]
        cpu_ratio = r1["cpu"] / r0["cpu"] if r0["cpu"] else float("nan")
        print(
            f"\ngrowth {n0:,} → {n1:,} files: size ×{size_ratio:.2f} (bytes), wall ×{time_ratio:.2f} "
            f"(time/size {time_ratio / size_ratio:.2f}; ≈1 linear), CPU ×{cpu_ratio:.2f} "
            f"(CPU/size {cpu_ratio / size_ratio:.2f}), peak RSS ×{r1['peak_rss'] / r0['peak_rss']:.2f}, "
            f"tree RSS ×{(r1['tree_rss'] / r0['tree_rss']) if r0['tree_rss'] else float('nan'):.2f} (≈1 flat)"
        )


if __name__ == "__main__":
    main()
