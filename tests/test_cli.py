"""The command line, in process: exit codes, messages, formats, and that the README documents it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govkg.cli import cli
from govkg.pipeline import bundled_report

ROOT = Path(__file__).parent.parent


@pytest.fixture()
def runner():
    return CliRunner()


def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, name
        assert f"govkg {name}" in readme, f"`govkg {name}` is not in the README"


def test_version(runner):
    assert runner.invoke(cli, ["--version"]).output.startswith("govkg, version")


def test_build_prints_counts(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(bundled_report()), "-o", str(tmp_path), "--no-view"])
    assert result.exit_code == 0, result.output
    assert "Community" in result.output and "AwardConferral" in result.output
    assert (tmp_path / "govkg.trig").exists()


def test_build_with_a_bad_input_exits_1_without_traceback(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(cli, ["build", str(bad), str(bundled_report()), "-o", str(tmp_path / "o"), "--no-view"])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "Traceback" not in result.output
    assert (tmp_path / "o" / "govkg.trig").exists()


def test_extract_json_and_csv(runner):
    result = runner.invoke(cli, ["extract", str(bundled_report())])
    assert result.exit_code == 0
    data = json.loads(result.output)
    text = bundled_report().read_text(encoding="utf-8")
    for e in data[0]["entities"]:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["quote"]
    result = runner.invoke(cli, ["extract", str(bundled_report()), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {r["kind"] for r in rows} >= {"entity", "relation", "conferral", "observation", "ranking"}


def test_extract_from_stdin(runner):
    result = runner.invoke(cli, ["extract", "-"], input="葵涌司法所被授予“全国公共法律服务工作先进集体”荣誉称号。".encode())
    assert result.exit_code == 0
    assert "全国公共法律服务工作先进集体" in result.output


def test_extract_missing_file(runner):
    result = runner.invoke(cli, ["extract", "nope.txt"])
    assert result.exit_code == 1 and "nope.txt: no such file" in result.output


def test_validate_exit_codes(runner, tmp_path):
    runner.invoke(cli, ["build", "-o", str(tmp_path), "--no-view"])
    ok = runner.invoke(cli, ["validate", str(tmp_path / "govkg.trig")])
    assert ok.exit_code == 0 and "Conforms: True" in ok.output
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix gk: <https://w3id.org/govkg/ontology#> .\n<https://w3id.org/govkg/id/conferral/x> a gk:AwardConferral .\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1 and "Conforms: False" in result.output
    assert runner.invoke(cli, ["validate", str(tmp_path / "none.trig")]).exit_code == 1


def test_query_list_and_run(runner, tmp_path):
    runner.invoke(cli, ["build", "-o", str(tmp_path), "--no-view"])
    listing = runner.invoke(cli, ["query", "--list"])
    assert listing.exit_code == 0 and "honours" in listing.output
    result = runner.invoke(cli, ["query", "honours", "-g", str(tmp_path / "govkg.trig"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "全国公共法律服务工作先进集体" in result.output


def test_query_parameter_is_never_pasted_into_the_query(runner, tmp_path):
    runner.invoke(cli, ["build", "-o", str(tmp_path), "--no-view"])
    evil = 'x" } ; DELETE WHERE { ?s ?p ?o } #'
    result = runner.invoke(cli, ["query", "entity", "-g", str(tmp_path / "govkg.trig"), "-p", f"entity={evil}", "--format", "csv"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["query", "counts-by-type", "-g", str(tmp_path / "govkg.trig"), "--format", "csv"])
    assert again.exit_code == 0 and len(again.output.splitlines()) > 2


def test_extract_defaults_to_the_bundled_report_and_prints_warnings(runner, tmp_path):
    result = runner.invoke(cli, ["extract", "--format", "csv"])
    assert result.exit_code == 0 and "葵涌司法所" in result.stdout
    bare = tmp_path / "bare.txt"
    bare.write_text("一、成效\n全年调解纠纷12件。\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(bare)])
    assert result.exit_code == 0 and "Warning:" in result.stderr and "no home area" in result.stderr
    quiet = runner.invoke(cli, ["extract", str(bare), "-q"])
    assert quiet.exit_code == 0 and "Warning:" not in quiet.stderr


def test_extract_output_that_is_a_folder_is_one_line(runner, tmp_path):
    result = runner.invoke(cli, ["extract", str(bundled_report()), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "is a folder" in result.stderr and "Traceback" not in result.output


def test_build_into_a_file_is_one_line(runner, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(bundled_report()), "-o", str(f)])
    assert result.exit_code == 1 and "is a file" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("param", ["limit=2", "engine=rdflib", "fmt=csv", "source=x"])
def test_query_parameter_named_like_an_option_is_a_parameter(runner, tmp_path, param):
    """``-p limit=2`` / ``-p engine=rdflib`` once reached run_query's keyword options and gave a traceback."""
    runner.invoke(cli, ["build", "-o", str(tmp_path), "--no-view"])
    result = runner.invoke(cli, ["query", "honours", "-g", str(tmp_path), "-p", param])
    name = param.partition("=")[0]
    assert result.exit_code == 1, result.output
    assert f"has no parameter(s) {name}" in result.stderr and "Traceback" not in result.output
    sparql = f"SELECT ?{name} WHERE {{ }}"
    result = runner.invoke(cli, ["query", "-", "-g", str(tmp_path), "-p", param, "--format", "csv"], input=sparql)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [name, param.partition("=")[2]]


def test_issue_11_serve_on_a_port_in_use_is_a_one_line_error(runner):
    """issue 11: `govkg serve` on a busy port prints one `Error:` line, not a traceback."""
    import socket

    graph = Path(__file__).parent / "fixtures" / "query" / "small.trig"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = runner.invoke(cli, ["serve", str(graph), "-p", str(busy.getsockname()[1])])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ") and "in use" in result.output and result.output.count("\n") == 1
