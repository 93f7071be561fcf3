"""Command line: parse, call the library, format. Exit codes: 0 ok, 1 failure or violations, 2 usage."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import GovKGError
from .formats import Format, Kind
from .sparql import ENGINES

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _message(exc: Exception) -> str:
    """One line for an error: ``file: reason`` for OS errors, else the message."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    return " ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__


class _Group(click.Group):
    """The one place where library errors become ``Error: …`` on standard error and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (GovKGError, OSError, ValueError) as exc:
            raise click.ClickException(_message(exc)) from exc


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
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
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: every core).")
@click.option("--progress/--no-progress", default=None, help="Show progress on standard error (default: for more than one report).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, not warnings or the summary.")
def build(
    reports: tuple[str, ...],
    out_dir: str,
    encoding: str | None,
    force: bool,
    no_view: bool,
    jobs: int | None,
    progress: bool | None,
    quiet: bool,
) -> None:
    """Build the knowledge graph of REPORTS (default: the bundled report) into a folder.

    Writes govkg.trig (one named graph per report), govkg.graphml, ontology.ttl, shapes.ttl, index.html
    and an Oxigraph store (store/) that `govkg query` and `govkg serve` open directly. Reports are read in
    parallel; building into a folder that holds an earlier build reads only new or changed reports and
    removes those no longer given. Same reports → byte-identical files. REPORT may be a text file (UTF-8,
    GB18030, UTF-16), a saved HTML page, or - for standard input.

    \b
    Example:
        govkg build
        govkg build reports/*.txt -o out/
        govkg build reports/*.txt -o out/ -j 2      # again after adding a report: only it is read
    """
    from . import build as run_build

    result = run_build(
        list(reports) or None, out_dir, encoding=encoding, force=force, view=not no_view, jobs=jobs, progress=progress
    )
    if not quiet:
        for w in result.warnings:
            click.echo(f"Warning: {w}", err=True)
    for e in result.errors:
        click.echo(f"Error: {e}", err=True)
    if result.built and not quiet:
        click.echo(result.summary())
    if result.errors:
        sys.exit(1)


@cli.command()
@click.argument("reports", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "tsv"]), default="json", show_default=True)
@click.option("-o", "--output", default=None, help="Write to this file instead of standard output.")
@click.option("--encoding", default=None, help="Text encoding of the reports.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, not warnings.")
def extract(reports: tuple[str, ...], fmt: str, output: str | None, encoding: str | None, quiet: bool) -> None:
    """Print the entities, relations, facts and mentions found in REPORTS (default: the bundled report).

    \b
    Example:
        govkg extract report.txt
        cat report.txt | govkg extract - --format csv
    """
    from . import bundled_report, extract_reports
    from .atomic import write_atomic
    from .export import to_csv, to_json

    if output and Path(output).is_dir():
        raise click.ClickException(f"{output}: is a folder; -o names the file to write")
    extractions, errors = extract_reports(reports or [bundled_report()], encoding=encoding)
    if not quiet:
        for ex in extractions:
            for w in [*ex.document.warnings, *ex.warnings]:
                click.echo(f"Warning: {w}", err=True)
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
@click.argument("graph", default="graph")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: every core).")
def validate(graph: str, jobs: int | None) -> None:
    """Check GRAPH (a build folder or an RDF file) against the SHACL shapes, that every mention quotes its
    text exactly and that every stored text still has its sha256.

    A build folder, a TriG or an N-Quads file is checked one report's graph at a time, in parallel.
    Exits 1 and prints the violations when the graph does not conform.

    \b
    Example:
        govkg validate graph/
        govkg validate graph/govkg.trig
    """
    from . import validate as run_validate, validate_file

    p = Path(graph)
    if not p.exists():
        raise click.ClickException(f"{graph}: no such file; run `govkg build` first or name a graph file")
    if p.is_dir() or p.suffix.lower() in (*Format.TRIG.suffixes, *Format.N_QUADS.suffixes):
        report = validate_file(p, jobs=jobs)
    else:
        report = run_validate(graph)
    click.echo(report.text, nl=False)
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.argument("name", required=False)
@click.option("-g", "--graph", "graphs", multiple=True,
              help="A build folder (its store is opened directly) or graph file(s) to query (default: graph/).")
@click.option("--store", "store_dir", default=None, help="On-disk Oxigraph store folder (loaded from --graph if given).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(Format.names(Kind.SELECT)), default="table", show_default=True)
@click.option("--engine", type=click.Choice(ENGINES), default="oxigraph", show_default=True)
@click.option("--list", "list_", is_flag=True, help="List the named queries with the question each answers.")
def query(
    name: str | None,
    graphs: tuple[str, ...],
    store_dir: str | None,
    params: tuple[str, ...],
    fmt: str,
    engine: str,
    list_: bool,
) -> None:
    """Run a named query, a .rq FILE or SPARQL from standard input (-) over the graph.

    Parameters are bound as RDF terms, never pasted into the query text.

    \b
    Example:
        govkg query --list
        govkg query honours --param level=national
        govkg query provenance -p entity=葵涌司法所 --format csv
        echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | govkg query -
    """
    from . import describe_queries, format_result, open_store, parse_param_args, run_query

    if list_:
        click.echo(describe_queries(), nl=False)
        return
    if not name:
        raise click.UsageError("name a query (see --list), a .rq file, or - for standard input")
    text = sys.stdin.read() if name == "-" else name
    sources = list(graphs) or ([] if store_dir else [_default_graph()])
    for g in sources:
        if not Path(g).exists():
            raise click.ClickException(f"{g}: no such graph file; run `govkg build` first or pass --graph")
    files = [_graph_file(g) for g in sources]
    source: object = files[0] if len(files) == 1 else files
    if store_dir is not None:
        source = open_store(files or None, path=store_dir)
    result = run_query(source, text, parse_param_args(params), engine=engine)
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(format_result(result, fmt), nl=False)


@cli.command()
@click.argument("graph", required=False)
@click.option("--store", "store_dir", default=None, help="Serve an on-disk Oxigraph store folder.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps the endpoint private to this machine.")
@click.option("-p", "--port", default=8000, show_default=True, help="Port (0 picks a free one).")
@click.option("--timeout", default=10.0, show_default=True, help="Per-query time limit in seconds.")
@click.option("--row-limit", default=10000, show_default=True, help="Most rows a SELECT returns.")
@click.option("--workers", default=2, show_default=True, help="Worker processes, hence queries run at once.")
@click.option("--memory-limit", default=1024, show_default=True,
              help="MB a worker may use while it runs a query; a query past it is stopped.")
def serve(
    graph: str | None, store_dir: str | None, host: str, port: int, timeout: float, row_limit: int, workers: int, memory_limit: int
) -> None:
    """Serve GRAPH (a build folder, whose store is opened directly, or a graph file) as a read-only SPARQL 1.1
    endpoint at /sparql, with a query page at / and the view at /view. Queries run in worker processes, which
    are stopped at the time limit or memory limit; SERVICE (federated query) is refused.

    \b
    Example:
        govkg serve graph/ -p 8000
        curl 'http://127.0.0.1:8000/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D'
    """
    from . import open_store
    from .server import make_server
    from .store import is_build_dir

    graph = graph or (None if store_dir else _default_graph())
    if graph and not Path(graph).exists():
        raise click.ClickException(f"{graph}: no such graph file; run `govkg build` first")
    view_html = None
    if graph:
        page = Path(graph) / "index.html" if Path(graph).is_dir() else Path(graph).with_name("index.html")
        view_html = page.read_text(encoding="utf-8") if page.exists() else None
    try:
        if graph and store_dir is None and is_build_dir(graph):
            source: object = graph  # each worker opens its store read-only
        elif store_dir is not None:
            del_store = open_store(_graph_file(graph) if graph else None, path=store_dir)
            del del_store  # closed, so that the workers can open it
            source = store_dir
        else:
            source = _graph_file(graph or _default_graph())  # copied to a temporary on-disk store
        server = make_server(source, host, port, timeout=timeout, row_limit=row_limit, view_html=view_html,
                             max_running=workers, memory_limit=memory_limit)
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
    click.echo(f"govkg SPARQL endpoint: http://{host}:{server.server_port}/sparql (Ctrl-C stops)", err=True)
    import signal

    def stop(signum: int, frame: object) -> None:  # pragma: no cover - SIGTERM ends the server as Ctrl-C does
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # pragma: no cover
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()  # ends the query workers and removes a temporary store


@cli.command()
@click.argument("graph", default="graph/govkg.trig")
@click.option("-o", "--output", default="graph/index.html", show_default=True, help="The HTML file to write.")
@click.option("--focus", default=None, help="Only the neighbourhood of nodes whose label contains this text.")
@click.option("--depth", default=1, show_default=True, help="How many steps around --focus to keep.")
@click.option("--title", default="govkg", show_default=True, help="Page title.")
def view(graph: str, output: str, focus: str | None, depth: int, title: str) -> None:
    """Write the interactive view of GRAPH: one self-contained HTML file that works offline.

    \b
    Example:
        govkg view graph/govkg.trig -o graph/index.html
        govkg view --focus 葵涌司法所 --depth 2 -o kuichong.html
    """
    from . import load, to_networkx, write_view

    if not Path(graph).exists():
        raise click.ClickException(f"{graph}: no such graph file; run `govkg build` first")
    G = to_networkx(load(graph))
    path = write_view(G, output, focus=focus, depth=depth, title=title)
    click.echo(f"wrote {path}", err=True)


def _default_graph() -> str:
    """graph/ when it holds a build with a store, else graph/govkg.trig."""
    from .store import is_build_dir

    return "graph" if is_build_dir("graph") else "graph/govkg.trig"


def _graph_file(path: str) -> str:
    """A build folder without a store stands for its govkg.trig."""
    from .store import is_build_dir

    p = Path(path)
    if p.is_dir() and not is_build_dir(p) and (p / "govkg.trig").is_file():
        return str(p / "govkg.trig")
    return path


def main() -> None:  # pragma: no cover
    cli()
