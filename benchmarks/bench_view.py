"""Graph view at scale: a synthetic 5,000-node graph rendered and loaded in Debian's headless Chromium.

Run:  python benchmarks/bench_view.py [--nodes 5000] [--screenshot docs/view.png]

Prints the node and edge counts, the HTML size, the time to render the page in Python, and the time from
navigation until vis-network has drawn the graph (the "afterDrawing" event), best of three loads.
Target: under 3 s for 5,000 nodes. With --screenshot, the bundled report's view is photographed instead.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from govkg.view import render_html

TYPES = ["PublicOrganisation", "Community", "Initiative", "Honour", "Observation", "Person", "Place"]


def synthetic(n: int, seed: int = 7) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()
    for i in range(n):
        t = TYPES[i % len(TYPES)]
        G.add_node(f"https://w3id.org/govkg/id/x/{i}", type=t, label=f"{t[:3]}节点{i}", label_en="", facts=[["n", str(i)]],
                   mentions=[{"doc": "d", "doc_title": "报告", "start": 0, "end": 2, "quote": "节点", "sentence": "节点。", "sentence_start": 0}],
                   documents=["d"], years=[2020 + i % 3])
    for i in range(1, n):
        j = rnd.randrange(max(0, i - 50), i)
        G.add_edge(f"https://w3id.org/govkg/id/x/{i}", f"https://w3id.org/govkg/id/x/{j}", key="rel", label="rel", predicate="p")
    return G


def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
              "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9", "--window-size=1400,900",
              f"--user-data-dir={tempfile.mkdtemp()}"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def load_time(d, page: Path) -> float:
    t = time.perf_counter()
    d.get(page.as_uri())
    while not d.execute_script("return !!(window.govkgView && window.govkgView.state.drawn && window.govkgView.state.stabilized)"):
        time.sleep(0.02)
        if time.perf_counter() - t > 60:
            raise RuntimeError("not drawn within 60 s")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--screenshot", default=None)
    args = ap.parse_args()
    d = driver()
    try:
        if args.screenshot:
            from govkg import build, bundled_report

            out = Path(tempfile.mkdtemp())
            build([bundled_report()], out)
            load_time(d, out / "index.html")
            d.execute_script("window.govkgView.find('葵涌司法所')")
            time.sleep(0.5)
            d.save_screenshot(args.screenshot)
            print("wrote", args.screenshot)
            return
        G = synthetic(args.nodes)
        t = time.perf_counter()
        page = render_html(G, title="bench")
        render_s = time.perf_counter() - t
        path = Path(tempfile.mkdtemp()) / "bench.html"
        path.write_text(page, encoding="utf-8")
        times = [load_time(d, path) for _ in range(3)]
        print(f"nodes {G.number_of_nodes():,}  edges {G.number_of_edges():,}  html {len(page.encode()) / 1e6:.1f} MB")
        print(f"render in Python {render_s:.2f} s;  load until drawn in Chromium: best {min(times):.2f} s, all {', '.join(f'{x:.2f}' for x in times)} s")
    finally:
        d.quit()


if __name__ == "__main__":
    main()
