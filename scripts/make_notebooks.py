"""Write notebooks/01-tour.ipynb and notebooks/02-network.ipynb (without outputs) from the cells below.

Run: python scripts/make_notebooks.py   — the notebooks are committed; CI executes them (tests/test_notebooks.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

TOUR = [
    ("md", "# govkg tour: from a work report to a knowledge graph\n\n"
           "This notebook builds the graph of the bundled report (大鹏新区政法办公室, 2020 summary and 2021 plan), "
           "then looks at it the way a researcher would: what is in it, who was honoured, which programmes ran "
           "where, which figures the report gives, and where each fact comes from in the text. It uses only govkg's public API."),
    ("code", "import tempfile\nimport pandas as pd\nimport govkg\n\n"
             "out = tempfile.mkdtemp(prefix='govkg-tour-')\n"
             "result = govkg.build([govkg.bundled_report()], out)\n"
             "ds = result.load_dataset()\n"
             "print(result.summary().splitlines()[0])\n"
             "print(len(ds), 'quads')"),
    ("md", "## Counts by type"),
    ("code", "govkg.query(ds, 'counts-by-type')"),
    ("md", "## Honours: who received what, at which level"),
    ("code", "honours = govkg.query(ds, 'honours')\nhonours"),
    ("md", "## Programmes and the communities where they were piloted or sited"),
    ("code", "govkg.query(ds, 'programme-areas')"),
    ("md", "## Figures: value, unit and qualifier as the report states them"),
    ("code", "figures = govkg.query(ds, 'indicators')\nfigures.head(30)"),
    ("md", "## Provenance: the source sentence of a fact, with the mention marked\n\n"
           "Every entity and fact points to character offsets in the stored text; here we print the sentence "
           "around each mention of an honour recipient, with the mention in 【】."),
    ("code", "ex = govkg.extract(govkg.read_report(govkg.bundled_report()))\ntext = ex.document.text\n\n"
             "def sentence_with_mark(start, end):\n"
             "    s = max(text.rfind(c, 0, start) for c in '。；\\n') + 1\n"
             "    e = min([i for i in (text.find(c, end) for c in '。；\\n') if i >= 0] + [len(text)])\n"
             "    return text[s:start] + '【' + text[start:end] + '】' + text[end:e + 1]\n\n"
             "for c in ex.conferrals:\n"
             "    m = c.mentions[0]\n"
             "    assert text[m.start:m.end] == m.text\n"
             "    print(ex.entities[c.recipient].name, '→', ex.entities[c.honour].name, f'[{m.start},{m.end})')\n"
             "    print('   ', sentence_with_mark(m.start, m.end))"),
    ("md", "The same through SPARQL, for any entity by name:"),
    ("code", "govkg.query(ds, 'provenance', entity=ex.entities[ex.conferrals[0].recipient].name)"),
]

NETWORK = [
    ("md", "# govkg network analysis\n\nThe knowledge graph as a NetworkX MultiDiGraph: centrality of organisations, "
           "groups of related entities, a drawn subgraph, and GraphML for Gephi. Public API only."),
    ("code", "import tempfile\nfrom collections import Counter\nimport networkx as nx\nimport matplotlib\n"
             "matplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport govkg\n\n"
             "out = tempfile.mkdtemp(prefix='govkg-net-')\n"
             "ds = govkg.build([govkg.bundled_report()], out, view=False).load_dataset()\n"
             "G = govkg.to_networkx(ds)\n"
             "print(G.number_of_nodes(), 'nodes,', G.number_of_edges(), 'edges')\n"
             "Counter(nx.get_node_attributes(G, 'type').values()).most_common()"),
    ("md", "## Centrality of organisations\n\nDegree centrality on the undirected view: which bodies the report ties to most things."),
    ("code", "U = nx.Graph(G)\ncentrality = nx.degree_centrality(U)\n"
             "orgs = [n for n, t in G.nodes(data='type') if t in ('PublicOrganisation', 'LeadingGroup', 'Company')]\n"
             "top = sorted(orgs, key=lambda n: (-centrality[n], G.nodes[n]['label']))[:10]\n"
             "[(G.nodes[n]['label'], round(centrality[n], 3)) for n in top]"),
    ("md", "## Communities of related entities (greedy modularity)"),
    ("code", "groups = nx.community.greedy_modularity_communities(U, seed=1) if 'seed' in nx.community.greedy_modularity_communities.__code__.co_varnames else nx.community.greedy_modularity_communities(U)\n"
             "for i, g in enumerate(groups[:5]):\n"
             "    print(i, sorted(G.nodes[n]['label'] for n in g)[:8])"),
    ("md", "## A drawn subgraph: the neighbourhood of the most central organisation"),
    ("code", "centre = top[0]\nH = nx.ego_graph(U, centre, radius=1)\n"
             "pos = nx.spring_layout(H, seed=7)\n"
             "plt.rcParams['font.sans-serif'] = ['Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'DejaVu Sans']\n"
             "fig, ax = plt.subplots(figsize=(8, 6))\n"
             "nx.draw_networkx(H, pos, ax=ax, labels={n: G.nodes[n]['label'][:8] for n in H}, node_size=300, font_size=7)\n"
             "ax.set_axis_off()\nprint(H.number_of_nodes(), 'nodes drawn')"),
    ("md", "## GraphML for Gephi\n\n`govkg build` already writes graph/govkg.graphml; any graph can be written again:"),
    ("code", "path = govkg.write_graphml(G, f'{out}/network.graphml')\nback = nx.read_graphml(path)\n"
             "assert back.number_of_nodes() == G.number_of_nodes()\nprint(path)"),
]


def notebook(cells) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i}"
    return nb


def main() -> None:
    root = Path(__file__).resolve().parent.parent / "notebooks"
    root.mkdir(exist_ok=True)
    for name, cells in (("01-tour.ipynb", TOUR), ("02-network.ipynb", NETWORK)):
        nbformat.write(notebook(cells), root / name)
        print("wrote", root / name)


if __name__ == "__main__":
    main()
