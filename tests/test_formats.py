"""Tests for govkg.formats: one table drives files, the CLI and HTTP."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic

from govkg.cli import cli
from govkg.formats import RDF_KINDS, Format, Kind
from govkg.rdfio import dumps, load, serialize
from govkg.store import open_store


@pytest.mark.parametrize("kinds", [(Kind.SELECT,), RDF_KINDS])
def test_names_suffixes_and_media_types_are_unique_within_kinds(kinds):
    fmts = Format.of_kind(*kinds)
    for attr in ("aliases", "suffixes", "media_types"):
        keys = [k for f in fmts for k in getattr(f, attr)]
        assert len(keys) == len(set(keys)), attr
    for f in fmts:
        assert Format.from_name(f.value.upper(), *kinds) is f
        assert Format.from_suffix(f"x{f.suffix.upper()}", *kinds) is f
        assert Format.from_media_type(f"{f.media_type}; charset=utf-8", *kinds) is f


def test_unknown_names_suffixes_and_media_types_raise_value_error():
    with pytest.raises(ValueError, match="unknown RDF format 'csv'"):
        Format.from_name("csv")
    with pytest.raises(ValueError, match="cannot tell the RDF format of 'x.txt'"):
        Format.from_suffix("x.txt")
    with pytest.raises(ValueError, match="unsupported media type"):
        Format.from_media_type("text/html", Kind.SELECT)
    with pytest.raises(ValueError):
        _ = Format.CSV.oxigraph


@pytest.mark.parametrize("fmt", Format.of_kind(*RDF_KINDS), ids=lambda f: f.value)
def test_every_rdf_format_is_written_and_read_back(fmt, tmp_path):
    ds = Dataset()
    g = ds.graph(URIRef("http://e/g"))
    g.add((URIRef("http://e/葵涌"), URIRef("http://e/name"), Literal("葵涌司法所", lang="zh")))
    g.add((URIRef("http://e/葵涌"), URIRef("http://e/n"), Literal(3)))
    path = serialize(ds, tmp_path / f"g{fmt.suffix}")
    assert path.read_text(encoding="utf-8") == dumps(ds, fmt)
    back = load(path)
    assert isomorphic(back.graph(URIRef("http://e/g")) if fmt.kind == Kind.DATASET else back.default_graph, g)
    assert len(open_store(path)) == (4 if fmt.kind == Kind.DATASET else 2)  # named graph + default-graph union


def test_cli_and_server_take_their_formats_from_the_table():
    from govkg import protocol as server

    query = next(c for c in cli.commands["query"].params if c.name == "fmt")
    assert list(query.type.choices) == Format.names(Kind.SELECT)
    assert server._SELECT_TYPES == {"csv": "text/csv", "tsv": "text/tab-separated-values",
                                    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml"}
    assert server._ACCEPT_GRAPH["application/json"] == "jsonld" and server._ACCEPT_SELECT["application/json"] == "json"


def test_import_govkg_does_not_import_pyoxigraph_networkx_or_pandas():
    code = "import sys, govkg; print(sorted(m for m in ('pyoxigraph', 'networkx', 'pandas', 'pypinyin') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    code = "import govkg, govkg.query, govkg.extract, govkg.validate; print(govkg.query, govkg.extract, govkg.validate)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.count("<function") == 3


def test_cli_turns_library_errors_into_one_line(tmp_path):
    bad = tmp_path / "g.txt"
    bad.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["view", str(bad), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: cannot tell the RDF format of") and result.stderr.count("\n") == 1
    result = CliRunner().invoke(cli, ["query", "honours", "-g", str(bad), "--engine", "rdflib"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: cannot tell the RDF format")
