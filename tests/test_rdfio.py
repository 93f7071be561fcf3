"""Tests for govkg.rdfio: byte-stable, atomic serialisation and loading."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from govkg.rdfio import dumps, format_for, load, serialize
from govkg.triples import extraction_to_dataset
from test_triples import make_extraction

EXTS = [".trig", ".ttl", ".nt", ".nq", ".jsonld"]


def _build():
    a = make_extraction()
    b = make_extraction(text="第二份\n" + a.document.text, doc_id="b", index="X/2022-1")
    return extraction_to_dataset([a, b])


@pytest.mark.parametrize("ext", EXTS)
def test_byte_identical_when_built_twice(tmp_path, ext):
    p1 = serialize(_build(), tmp_path / f"one{ext}")
    p2 = serialize(_build(), tmp_path / f"two{ext}")
    assert p1.read_bytes() == p2.read_bytes()
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


@pytest.mark.parametrize("ext", EXTS)
def test_roundtrip(tmp_path, ext):
    ds = _build()
    back = load(serialize(ds, tmp_path / f"g{ext}"))
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    got = Graph()
    for s, p, o, _ in back.quads((None, None, None, None)):
        got.add((s, p, o))
    assert isomorphic(union, got)
    if ext in (".trig", ".nq", ".jsonld"):
        names = {str(g.identifier) for g in back.graphs() if len(g)}
        assert any("2021-00058/" in n and n.endswith("/graph") for n in names)
        assert any(n.endswith("/graph/reference") for n in names)


def test_stable_across_hash_seeds(tmp_path):
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
        "from test_triples import make_extraction;"
        "from govkg.triples import extraction_to_dataset; from govkg.rdfio import dumps;"
        "ds = extraction_to_dataset([make_extraction()]);"
        "sys.stdout.write(dumps(ds, 'trig') + dumps(ds, 'json-ld') + dumps(ds, 'nquads'))"
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True).stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 1000


def test_format_for():
    assert format_for("x.ttl") == "turtle" and format_for("x.NQ") == "nquads"
    assert format_for("x.bin", "ttl") == "turtle"
    with pytest.raises(ValueError, match="format"):
        format_for("x.bin")
    with pytest.raises(ValueError):
        dumps(_build(), "rdfxml-ish")
