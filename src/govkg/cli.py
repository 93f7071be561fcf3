"""Command line: parse, call the library, format. Exit codes: 0 ok, 1 failure or violations, 2 usage."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import GovKGError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="govkg")
def cli() -> None:
    """govkg: turn Chinese local-government work reports into a knowledge graph.

    \b
    Exit codes: 0 success; 1 failure (an unreadable input, SHACL violations); 2 usage error.
    """


@cli.command()
@click.argument("reports", nargs=-1)
@click.option("-o", "--output", "out_dir", default="graph", show_default=True, help="Folder for the graph files.")
@click.option("--encoding", default=None, help="Text encoding of the reports (default: detect UTF-8/GB18030/UTF-16).")
@click.option("--force", is_flag=True, help="Overwrite files in the folder that govkg did not write.")
@click.option("--no-view", is_flag=True, help="Do not write the HTML view.")
def build(reports: tuple[str, ...], out_dir: str, encoding: str | None, force: bool, no_view: bool) -> None:
    """Build the knowledge graph of REPORTS (default: the bundled report) into a folder.

    Writes govkg.trig (one named graph per report), govkg.graphml, ontology.ttl, shapes.ttl and
    index.html, atomically; rebuilding from the same input gives byte-identical files. REPORT may be
    a text file (UTF-8, GB18030, UTF-16), a saved HTML page, or - for standard input.

    \b
    Example:
        govkg build
        govkg build reports/*.txt -o out/
    """
    from .pipeline import build as run_build, counts_by_type

    try:
        result = run_build(list(reports) or None, out_dir, encoding=encoding, force=force, view=not no_view)
    except GovKGError as exc:
        raise _fail(exc) from exc
    for w in result.warnings:
        click.echo(f"Warning: {w}", err=True)
    for e in result.errors:
        click.echo(f"Error: {e}", err=True)
    if result.extractions:
        counts = counts_by_type(result.extractions)
        click.echo(f"{len(result.extractions)} report(s) → {Path(out_dir)}/")
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {name:<20} {n:>6}")
    if result.errors:
        sys.exit(1)


@cli.command()
@click.argument("reports", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "tsv"]), default="json", show_default=True)
@click.option("-o", "--output", default=None, help="Write to this file instead of standard output.")
@click.option("--encoding", default=None, help="Text encoding of the reports.")
def extract(reports: tuple[str, ...], fmt: str, output: str | None, encoding: str | None) -> None:
    """Print the entities, relations, facts and mentions found in REPORTS, for inspection.

    \b
    Example:
        govkg extract report.txt
        cat report.txt | govkg extract - --format csv
    """
    from .export import to_csv, to_json
    from .pipeline import extract_reports, write_atomic

    extractions, errors = extract_reports(reports, encoding=encoding)
    for e in errors:
        click.echo(f"Error: {e}", err=True)
    if extractions:
        text = to_json(extractions) if fmt == "json" else to_csv(extractions, delimiter="," if fmt == "csv" else "\t")
        if output:
            write_atomic(output, text)
        else:
            click.echo(text, nl=False)
    if errors:
        sys.exit(1)


@cli.command()
@click.argument("graph", default="graph/govkg.trig")
def validate(graph: str) -> None:
    """Check GRAPH against the SHACL shapes and that every mention quotes its text exactly.

    Exits 1 and prints the violations when the graph does not conform.

    \b
    Example:
        govkg validate graph/govkg.trig
    """
    from .validate import validate as run_validate

    if not Path(graph).exists():
        raise click.ClickException(f"{graph}: no such file; run `govkg build` first or name a graph file")
    try:
        report = run_validate(graph)
    except GovKGError as exc:
        raise _fail(exc) from exc
    click.echo(report.text, nl=False)
    if not report.conforms:
        sys.exit(1)


def main() -> None:  # pragma: no cover
    cli()
