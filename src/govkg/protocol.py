"""SPARQL 1.1 Protocol pieces: content negotiation, answer bodies, the service description, SERVICE detection.

:func:`answer` is what a query worker (:mod:`govkg.workers`) runs for each job of :mod:`govkg.server`.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from . import run_query
from .errors import QueryError
from .formats import Format, Kind
from .query import QuerySyntaxError, Result, execute, format_result, is_update, results_json, results_xml
from .workers import Reply

__all__ = ["READ_ONLY", "NO_SERVICE", "uses_service", "negotiate", "formats", "text_reply", "answer", "description"]

_LOG = logging.getLogger("govkg.server")

# format name → media type, Accept media type → name, ?format= name → name; all from govkg.formats
_SELECT = [f for f in Format.of_kind(Kind.SELECT) if f is not Format.TABLE]
_GRAPH = [Format.TURTLE, Format.N_TRIPLES, Format.JSON_LD, Format.RDF_XML]
_SELECT_TYPES = {f.value: f.media_type for f in _SELECT}
_GRAPH_TYPES = {f.value: f.media_type for f in _GRAPH}
_ACCEPT_SELECT = {m: f.value for f in _SELECT for m in f.media_types}
# a graph asked for as generic XML is RDF/XML
_ACCEPT_GRAPH = {m: f.value for f in _GRAPH for m in f.media_types} | {m: Format.RDF_XML.value for m in Format.XML.media_types[1:]}
_FORMAT_SELECT = {a: f.value for f in _SELECT for a in f.aliases}
_FORMAT_GRAPH = {a: f.value for f in _GRAPH for a in f.aliases} | {"rdf": Format.RDF_XML.value}
_RDFLIB_FORMAT = {f.value: f.rdflib for f in _GRAPH}
_TEXT = "text/plain; charset=utf-8"
READ_ONLY = "this endpoint is read-only: SPARQL Update requests are refused"
NO_SERVICE = "SERVICE (federated query) is refused: this endpoint sends no requests to other servers"

# the words of a query outside comments, strings, IRIs, variables, language tags and prefixed names (whose local
# part may hold escaped quotes, ex:a\'b, which must not open a string here)
_SKIP_OR_WORD = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|[?$]\w+|@[A-Za-z]+(?:-[A-Za-z0-9]+)*'
    r"|[\w.\-\u00B7\u0300-\u036F\u203F-\u2040]*:(?:[^\s<>\"'{}()\[\],;#\\^|`]|\\[\s\S])*|(?P<word>[A-Za-z_]\w*)"
)


def _service_in_tree(node: object) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_service_in_tree(v) for v in node.values())
    if isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        return any(_service_in_tree(v) for v in node)  # type: ignore[attr-defined]
    return False


def uses_service(text: str) -> bool:
    """True if SPARQL ``text`` has the ``SERVICE`` keyword (not counting strings, IRIs, comments or names).

    A query that holds the word only where the scan skips (in a string, an IRI, a comment, a name) is parsed
    with rdflib's SPARQL parser to make sure, since a ``<`` can be an IRI or "less than"; a query that then does
    not parse counts as using SERVICE. (Query workers also cannot open network connections; see
    :mod:`govkg.workers`.)

    Examples
    --------
    >>> uses_service("SELECT * WHERE { service <http://127.0.0.1:9/> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?x WHERE { BIND("SERVICE <http://e/> {}" AS ?x) } # SERVICE')
    False
    """
    if "service" not in text.lower():
        return False
    if any((m.group("word") or "").upper() == "SERVICE" for m in _SKIP_OR_WORD.finditer(text)):
        return True
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - cannot tell where the word is: refuse
        return True
    return _service_in_tree(tree)


def text_reply(status: int, message: str) -> Reply:
    """A plain-text answer of one line (the lines of ``message`` joined with ``|``)."""
    line = " | ".join(ln.strip() for ln in str(message).splitlines() if ln.strip()) or "error"
    return status, _TEXT, (line + "\n").encode("utf-8"), []


def negotiate(accept: str, table: dict[str, str], default: str) -> str:
    """The best format for an Accept header (q-values honoured); wildcards and no match give ``default``."""
    choices = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, i, media))
    for _, _, media in sorted(choices):
        if media in table:
            return table[media]
        if media.endswith("/*"):
            return default
    return default


def formats(accept: str, fmt: str = "") -> dict[str, str]:
    """The answer formats for an Accept header, or for a ``format``/``output`` parameter ``fmt`` that overrides it:
    ``{"select": …, "graph": …}``, for SELECT/ASK results and for CONSTRUCT/DESCRIBE graphs.

    Examples
    --------
    >>> formats("application/rdf+xml, application/sparql-results+xml;q=0.9")
    {'select': 'xml', 'graph': 'rdfxml'}
    """
    fmt = fmt.lower()
    return {
        "select": _FORMAT_SELECT.get(fmt) or negotiate(accept, _ACCEPT_SELECT, "json"),
        "graph": _FORMAT_GRAPH.get(fmt) or negotiate(accept, _ACCEPT_GRAPH, "turtle"),
    }


def _graph_bytes(g: Graph, fmt: str, note: str | None = None) -> bytes:
    if fmt == "nt":
        lines = sorted({ln for ln in g.serialize(format="nt").splitlines() if ln.strip()})
        return "".join(ln + "\n" for ln in lines).encode("utf-8")
    text = g.serialize(format=_RDFLIB_FORMAT[fmt])
    if note and fmt == "turtle":
        text = f"# {note}\n" + text
    return text.encode("utf-8")


def _result_reply(result: Result, job: dict[str, Any]) -> Reply:
    """The HTTP answer for ``result`` in the format the request negotiated."""
    limit = job["row_limit"]
    headers: list[tuple[str, str]] = []
    note = None
    if result.truncated:
        note = f"results truncated to the first {limit} rows (row limit of this endpoint)"
        headers += [("X-Govkg-Truncated", str(limit)), ("X-Govkg-Note", note)]
    if result.kind == "graph":
        fmt = job["graph"]
        return 200, f"{_GRAPH_TYPES[fmt]}; charset=utf-8", _graph_bytes(result.graph(), fmt, note), headers
    fmt = job["select"]
    if fmt == "json":
        obj = results_json(result)
        if note or result.notes:
            obj["govkg"] = {"truncated": result.truncated, "rowLimit": limit, "notes": [*result.notes]}
            if note:
                obj["govkg"]["note"] = note
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    elif fmt == "xml":
        text = results_xml(result)
        if note:
            text = text.replace("<head", f"<!-- {note} -->\n  <head", 1)
        body = text.encode("utf-8")
    else:
        body = format_result(result, fmt).encode("utf-8")
    return 200, f"{_SELECT_TYPES[fmt]}; charset=utf-8", body, headers


def answer(store: ox.Store, job: dict[str, Any]) -> Reply:
    """Run one job (in a worker) and return the HTTP answer; every error is a one-line 4xx/5xx.

    A job is ``{"op": "sparql", "query", "default_graph", "named_graphs", …}`` or ``{"op": "named", "name",
    "params", …}``, with ``row_limit`` and the ``select``/``graph`` formats of :func:`formats`.
    """
    try:
        if job["op"] == "named":
            result = run_query(store, job["name"], job["params"], limit=job["row_limit"])
        else:
            result = execute(store, job["query"], limit=job["row_limit"], default_graph=job["default_graph"],
                             named_graphs=job["named_graphs"])
        return _result_reply(result, job)
    except QuerySyntaxError as exc:
        if job["op"] == "sparql" and is_update(job["query"]):
            return text_reply(403, READ_ONLY)
        return text_reply(400, str(exc))
    except QueryError as exc:
        return text_reply(400, str(exc))
    except Exception as exc:  # noqa: BLE001 - one line for the client, the details in the log
        _LOG.error("query failed: %r", exc)
        return text_reply(500, f"query failed: {type(exc).__name__}: {exc}")


_SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def description(endpoint: str, comment: str, fmt: str = "turtle") -> Reply:
    """The SPARQL 1.1 service description of the endpoint at ``endpoint``, as an answer in graph format ``fmt``.

    Examples
    --------
    >>> status, ctype, body, _ = description("http://127.0.0.1:8000/sparql", "read-only")
    >>> status, ctype, b"sd:SPARQL11Query" in body
    (200, 'text/turtle; charset=utf-8', True)
    """
    g = Graph()
    g.bind("sd", _SD)
    g.bind("formats", _FORMATS)
    service, dataset, default = URIRef(endpoint), BNode("dataset"), BNode("defaultGraph")
    g.add((service, RDF.type, _SD.Service))
    g.add((service, _SD.endpoint, service))
    g.add((service, _SD.supportedLanguage, _SD.SPARQL11Query))
    for f in _RESULT_FORMATS:
        g.add((service, _SD.resultFormat, _FORMATS[f]))
    g.add((service, _SD.feature, _SD.UnionDefaultGraph))
    g.add((service, _SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    g.add((service, _SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, _SD.Dataset))
    g.add((dataset, _SD.defaultGraph, default))
    g.add((default, RDF.type, _SD.Graph))
    g.add((default, RDFS.comment, Literal("the union of every named graph (one per report)", lang="en")))
    g.add((service, RDFS.comment, Literal(f"govkg SPARQL endpoint: {comment}", lang="en")))
    return 200, f"{_GRAPH_TYPES[fmt]}; charset=utf-8", _graph_bytes(g, fmt), []
