"""Named SPARQL queries, safe parameter binding, Oxigraph/rdflib execution, tables and DataFrames."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as _xml_escape

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import QueryError
from .store import from_ox, is_build_dir, is_store_dir, open_build, open_store, query_options, store_to_dataset

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "QUERY_DIR",
    "PARAM_KINDS",
    "DISPLAY_PREFIXES",
    "Param",
    "NamedQuery",
    "Result",
    "QuerySyntaxError",
    "list_queries",
    "load_query",
    "bind_values",
    "apply_if_bound",
    "to_term",
    "run_query",
    "execute",
    "format_result",
    "results_json",
    "results_xml",
    "result_to_dataframe",
    "query",
    "is_update",
    "parse_param_args",
    "describe_queries",
]

#: Where the shipped named queries live (``NAME.rq``).
QUERY_DIR = Path(__file__).resolve().parent / "queries"

#: Parameter kinds a ``# param:`` line may declare, e.g. ``# param: entity (entity, required) — …``.
PARAM_KINDS = ("term", "iri", "entity", "string", "integer", "decimal", "date", "boolean")

_ID = "https://w3id.org/govkg/id/"

#: Prefixes used to abbreviate IRIs in tables and to expand ``prefix:local`` parameter values.
DISPLAY_PREFIXES: dict[str, str] = {
    "id": _ID,
    "gk": "https://w3id.org/govkg/ontology#",
    "level": "https://w3id.org/govkg/concept/level/",
    "qual": "https://w3id.org/govkg/concept/qualifier/",
    "res": "https://w3id.org/govkg/concept/resolution/",
    "rkind": "https://w3id.org/govkg/concept/rank-kind/",
    "part": "https://w3id.org/govkg/concept/part/",
    "itype": "https://w3id.org/govkg/concept/initiative-type/",
    "otype": "https://w3id.org/govkg/concept/org-type/",
    "dtype": "https://w3id.org/govkg/concept/doc-type/",
    "ind": "https://w3id.org/govkg/concept/indicator/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
}

_XSD = str(XSD)
_INT_TYPES = {
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOAT_TYPES = {_XSD + t for t in ("decimal", "double", "float")}
_DATE_TYPES = {_XSD + t for t in ("date", "dateTime", "dateTimeStamp")}
_GYEAR = _XSD + "gYear"
_BOOL = _XSD + "boolean"


# --------------------------------------------------------------------------- named queries


@dataclass(frozen=True)
class Param:
    """A parameter a named query declares with ``# param: name (kind[, required]) — description``."""

    name: str
    kind: str = "term"
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its questions (``# zh:`` / ``# en:``) and declared parameters."""

    name: str
    text: str
    zh: str = ""
    en: str = ""
    params: tuple[Param, ...] = ()
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        """The declared parameter called ``name``, if any."""
        return next((p for p in self.params if p.name == name), None)


_HEADER = re.compile(r"^#\s*(zh|en|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*(?:(?:—|--|-|:)\s*(.*))?$")


def _parse_header(name: str, text: str, path: Path | None) -> NamedQuery:
    zh = en = ""
    params: list[Param] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        m = _HEADER.match(s)
        if not m:
            continue
        key, val = m.group(1), m.group(2)
        if key == "zh":
            zh = f"{zh} {val}".strip()
        elif key == "en":
            en = f"{en} {val}".strip()
        else:
            pm = _PARAM.match(val)
            if not pm:
                raise QueryError(f"{path or name}: bad parameter line {s!r}; write '# param: name (kind) — description'")
            opts = [o.strip() for o in (pm.group(2) or "").split(",") if o.strip()]
            kind = next((o for o in opts if o in PARAM_KINDS), "term")
            unknown = [o for o in opts if o not in PARAM_KINDS and o not in ("required", "optional")]
            if unknown:
                raise QueryError(f"{path or name}: unknown parameter option(s) {unknown}; kinds are {list(PARAM_KINDS)}")
            params.append(Param(pm.group(1), kind, "required" in opts, (pm.group(3) or "").strip()))
    return NamedQuery(name, text, zh, en, tuple(params), path)


def list_queries() -> list[NamedQuery]:
    """Every shipped named query, sorted by name.

    Examples
    --------
    >>> len(list_queries()) >= 12
    True
    """
    return [_parse_header(p.stem, p.read_text(encoding="utf-8"), p) for p in sorted(QUERY_DIR.glob("*.rq"))]


def load_query(name_or_path_or_text: str | NamedQuery) -> NamedQuery:
    """A named query by name, a ``.rq`` file by path, or SPARQL text (name ``"<text>"``).

    Raises QueryError for a name that is neither shipped nor a file and does not look like SPARQL.
    """
    if isinstance(name_or_path_or_text, NamedQuery):
        return name_or_path_or_text
    s = str(name_or_path_or_text)
    if re.fullmatch(r"[A-Za-z0-9_-]+", s):
        p = QUERY_DIR / f"{s}.rq"
        if p.is_file():
            return _parse_header(s, p.read_text(encoding="utf-8"), p)
    if "\n" not in s and len(s) < 4096:
        p = Path(s)
        if p.is_file():
            try:
                text = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"cannot read query file {s!r}: {exc}") from None
            return _parse_header(p.stem, text, p)
    if "{" in s or re.search(r"(?i)\b(select|ask|construct|describe)\b", s):
        return _parse_header("<text>", s, None)
    known = ", ".join(q.name for q in list_queries())
    raise QueryError(f"unknown query {s!r}: not a named query, a file or SPARQL text (named queries: {known})")


# --------------------------------------------------------------------------- safe binding

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_ABS_IRI = re.compile(r"^(https?|urn|file|mailto|tag):\S+$")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check_iri(value: str) -> URIRef:
    if not value or _IRI_BAD.search(value) or ":" not in value:
        raise QueryError(f"not a valid absolute IRI: {value!r}")
    return URIRef(value)


def _as_iri(value: str) -> URIRef | None:
    """``<iri>``, an absolute IRI, or ``prefix:local`` with a known prefix; None otherwise."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return _check_iri(v[1:-1])
    if _ABS_IRI.match(v):
        return _check_iri(v)
    m = re.match(r"^([A-Za-z][\w-]*):([^\s]*)$", v)
    if m and m.group(1) in DISPLAY_PREFIXES and not m.group(2).startswith("//"):
        return _check_iri(DISPLAY_PREFIXES[m.group(1)] + m.group(2))
    return None


def to_term(value: object, kind: str = "term") -> Identifier:
    """Turn a Python value into the RDF term a parameter binds.

    ``term`` (default): rdflib terms as given; bool, int, float/Decimal, date/datetime as typed
    literals; strings that are ``<iri>``, ``http(s)://…``/``urn:…`` or ``prefix:local`` with a
    govkg prefix as IRIs; any other string as a plain literal. Other kinds force the type.
    """
    if kind not in PARAM_KINDS:
        raise QueryError(f"unknown parameter kind {kind!r}")
    if isinstance(value, Identifier):
        if isinstance(value, BNode):
            raise QueryError("blank nodes cannot be bound as parameters")
        if isinstance(value, URIRef):
            _check_iri(str(value))
        return value
    try:
        if kind == "iri":
            iri = _as_iri(str(value))
            if iri is None:
                raise QueryError(f"not an IRI: {value!r} (write <…>, http(s)://… or a govkg prefix such as id:…)")
            return iri
        if kind == "string":
            return Literal(str(value))
        if kind == "integer":
            if isinstance(value, bool):
                raise ValueError
            return Literal(int(str(value).strip()) if not isinstance(value, int) else value, datatype=XSD.integer)
        if kind == "decimal":
            return Literal(Decimal(str(value).strip()), datatype=XSD.decimal)
        if kind == "boolean":
            if isinstance(value, bool):
                return Literal(value)
            v = str(value).strip().lower()
            if v not in ("true", "false", "1", "0"):
                raise ValueError
            return Literal(v in ("true", "1"))
        if kind == "date":
            d = value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value).strip())
            if isinstance(d, _dt.datetime):
                return Literal(d.isoformat(), datatype=XSD.dateTime)
            return Literal(d.isoformat(), datatype=XSD.date)
    except (ValueError, InvalidOperation, TypeError):
        raise QueryError(f"parameter value {value!r} is not a valid {kind}") from None
    # term / entity: infer from the Python type
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, (float, Decimal)):
        return Literal(Decimal(str(value)), datatype=XSD.decimal)
    if isinstance(value, _dt.datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if isinstance(value, _dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, str):
        iri = _as_iri(value)
        return iri if iri is not None else Literal(value)
    raise QueryError(f"cannot bind a {type(value).__name__} as a query parameter")


def _escape_string(s: str, dialect: str = "standard") -> str:
    """Escape a string for a SPARQL "…" literal.

    ``dialect="rdflib"``: rdflib expands ``\\uXXXX`` anywhere in the query text before parsing
    (even after an escaped backslash), so backslashes and control characters are written as
    8-digit ``\\U`` escapes that its pre-pass turns into exactly the characters the parser needs.
    """
    rd = dialect == "rdflib"
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\U0000005C\\U0000005C" if rd else "\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\U{o:08X}" if rd else f"\\u{o:04X}")
        else:
            out.append(ch)
    return "".join(out)


def _sparql_term(t: Identifier, dialect: str = "standard") -> str:
    """A term in SPARQL syntax, escaped so that no value can change the query's structure."""
    if isinstance(t, URIRef):
        return f"<{_check_iri(str(t))}>"
    if isinstance(t, Literal):
        body = '"' + _escape_string(str(t), dialect) + '"'
        if t.language:
            if not _LANG.match(t.language):
                raise QueryError(f"bad language tag {t.language!r}")
            return f"{body}@{t.language}"
        if t.datatype is not None and str(t.datatype) != _XSD + "string":
            return f"{body}^^<{_check_iri(str(t.datatype))}>"
        return body
    raise QueryError(f"cannot bind {t!r} as a query parameter")


_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<lstr>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\')'
    r'|(?P<str>"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)'
    r'|(?P<word>[A-Za-z_][\w.-]*(?::[^\s{}()<>"\',;]*)?|:[^\s{}()<>"\',;]*)'
    r'|(?P<open>\{)|(?P<close>\})'
    r'|(?P<other>[\s\S])',
)


def _injection_point(text: str) -> int:
    """Offset just after the ``{`` that opens the top-level WHERE group."""
    depth = 0
    form: str | None = None
    seen_where = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word" and depth == 0 and ":" not in m.group():
            w = m.group().upper()
            if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and form is None:
                form = w
            elif w == "WHERE":
                seen_where = True
        elif kind == "open":
            if depth == 0 and form is not None and (seen_where or form in ("SELECT", "ASK", "DESCRIBE")):
                if form == "CONSTRUCT" and _construct_short_form(text, m.start()):
                    raise QueryError("parameters cannot be bound in the CONSTRUCT WHERE { … } short form")
                return m.end()
            depth += 1
        elif kind == "close":
            depth -= 1
    raise QueryError("cannot bind parameters: no top-level WHERE { … } group found (is this a SPARQL query?)")


def _construct_short_form(text: str, brace: int) -> bool:
    before = re.sub(r"#[^\n]*", "", text[:brace])
    return bool(re.search(r"(?is)\bCONSTRUCT\s+WHERE\s*$", before))


#: ``#[if bound ?name …] pattern`` — a line that stays a comment unless every named parameter is bound.
#: Named queries use it to start from a bound parameter (Oxigraph joins a VALUES-bound variable early only
#: when it appears in a pattern); the uncommented text must only restrict to rows the query keeps anyway.
_IF_BOUND = re.compile(r"^([ \t]*)#\[if bound((?:[ \t]+\?[A-Za-z_][A-Za-z0-9_]*)+)\][ \t]?(.*)$", re.M)


def apply_if_bound(text: str, bound: "set[str] | Mapping[str, object]") -> str:
    """Uncomment the ``#[if bound ?a ?b] …`` lines whose parameters are all in ``bound``.

    Examples
    --------
    >>> apply_if_bound("  #[if bound ?x] ?s ?p ?x .", {"x"})
    '  ?s ?p ?x .'
    >>> apply_if_bound("  #[if bound ?x] ?s ?p ?x .", set())
    '  #[if bound ?x] ?s ?p ?x .'
    """

    def sub(m: re.Match[str]) -> str:
        names = [v.lstrip("?") for v in m.group(2).split()]
        return m.group(1) + m.group(3) if all(n in bound for n in names) else m.group(0)

    return _IF_BOUND.sub(sub, text)


def bind_values(text: str, bindings: Mapping[str, Sequence[Identifier]], *, dialect: str = "standard") -> str:
    """Insert one ``VALUES ?name { … }`` per binding at the start of the top-level WHERE group.

    Values are written as escaped RDF terms, never pasted as text, so a value such as
    ``x" } ; DELETE WHERE { ?s ?p ?o } #`` stays one plain literal. An empty sequence binds
    no rows (the query then returns nothing). ``dialect="rdflib"`` works around rdflib's
    escape pre-pass (see :func:`_escape_string`).
    """
    if not bindings:
        return text
    clauses = []
    for name, values in bindings.items():
        if not _VARNAME.match(name):
            raise QueryError(f"bad parameter name {name!r}: use letters, digits and _")
        terms = " ".join(_sparql_term(v, dialect) for v in values)
        clauses.append(f"VALUES ?{name} {{ {terms} }}")
    at = _injection_point(text)
    return text[:at] + "\n  " + "\n  ".join(clauses) + "\n" + text[at:]


# --------------------------------------------------------------------------- results


@dataclass
class Result:
    """Query results as rdflib terms: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples."""

    columns: list[str]
    rows: list[tuple[Identifier | None, ...]]
    kind: str = "select"  # "select" | "ask" | "graph"
    boolean: bool | None = None
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Identifier | None, ...]]:
        return iter(self.rows)

    def graph(self) -> Graph:
        """CONSTRUCT/DESCRIBE results as an rdflib Graph."""
        g = Graph()
        for prefix, ns in DISPLAY_PREFIXES.items():
            g.bind(prefix, ns, override=True, replace=True)
        for s, p, o in self.rows:
            g.add((s, p, o))
        return g


# --------------------------------------------------------------------------- engines


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse; the message is the parser's."""



def _rdflib_source(source: object) -> Graph:
    if isinstance(source, Dataset):
        ds = Dataset(store=source.store, default_union=True)
        return ds
    if isinstance(source, Graph):
        if source.context_aware:
            return Dataset(store=source.store, default_union=True)
        return source
    if isinstance(source, ox.Store):
        ds = store_to_dataset(source)
        ds.default_union = True
        return ds
    if isinstance(source, (str, os.PathLike)):
        if is_build_dir(source):
            source = Path(source) / "govkg.trig"
        if is_store_dir(source):
            ds = store_to_dataset(open_store(source))
            ds.default_union = True
            return ds
        from .rdfio import load  # lazy: rdfio is optional for oxigraph-only use

        try:
            ds = load(source)
        except (ValueError, OSError) as exc:
            raise QueryError(str(exc)) from None
        ds.default_union = True
        return ds
    raise QueryError(f"cannot query a {type(source).__name__}; give a graph, a dataset, a store or a file")


def _store(source: object) -> ox.Store:
    if isinstance(source, (str, os.PathLike)) and is_build_dir(source):
        return open_build(source)  # a build folder: its store, read-only
    return open_store(source)


def _ox_query(store: ox.Store, text: str, default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None):
    kw: dict[str, Any] = {}
    if default_graph:
        kw["default_graph"] = [ox.NamedNode(g) for g in default_graph]
    else:
        kw.update(query_options(store))
    if named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        return store.query(text, **kw)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


class _Cancelled(Exception):
    pass


def execute(
    source: object,
    text: str,
    *,
    engine: str = "oxigraph",
    limit: int | None = None,
    cancel: threading.Event | None = None,
    default_graph: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> Result:
    """Run SPARQL ``text`` as given (no parameters) and collect at most ``limit`` rows.

    ``cancel`` (an Event) is checked between rows; when set, QueryError is raised. The default graph
    is the union of all graphs unless ``default_graph`` names graphs (Oxigraph only).
    """
    if engine == "oxigraph":
        res = _ox_query(_store(source), text, default_graph, named_graphs)
        try:
            if isinstance(res, ox.QueryBoolean):
                return Result(["ASK"], [], "ask", bool(res))
            if isinstance(res, ox.QuerySolutions):
                cols = [v.value for v in res.variables]
                rows: list[tuple[Identifier | None, ...]] = []
                truncated = False
                for sol in res:
                    if cancel is not None and cancel.is_set():
                        raise _Cancelled
                    if limit is not None and len(rows) >= limit:
                        truncated = True
                        break
                    rows.append(tuple(from_ox(t) for t in sol))
                return Result(cols, rows, "select", truncated=truncated)
            triples = []
            truncated = False
            for t in res:
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
                if limit is not None and len(triples) >= limit:
                    truncated = True
                    break
                triples.append((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return Result(["subject", "predicate", "object"], triples, "graph", truncated=truncated)
        except _Cancelled:
            raise QueryError("query cancelled") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None
    if engine == "rdflib":
        if default_graph or named_graphs:
            raise QueryError("default_graph/named_graphs are only supported on the oxigraph engine")
        g = _rdflib_source(source)
        from pyparsing import ParseException

        try:
            res = g.query(text)
        except ParseException as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
        except Exception as exc:  # rdflib raises assorted errors for bad queries
            raise QueryError(f"SPARQL error: {exc}") from None
        if res.type == "ASK":
            return Result(["ASK"], [], "ask", bool(res.askAnswer))
        if res.type == "SELECT":
            cols = [str(v) for v in (res.vars or [])]
            rows = []
            truncated = False
            try:
                for r in res:
                    if cancel is not None and cancel.is_set():
                        raise _Cancelled
                    if limit is not None and len(rows) >= limit:
                        truncated = True
                        break
                    rows.append(tuple(_plain(v) for v in r))
            except _Cancelled:
                raise QueryError("query cancelled") from None
            except Exception as exc:  # evaluation errors surface while iterating
                raise QueryError(f"SPARQL error: {exc}") from None
            return Result(cols, rows, "select", truncated=truncated)
        triples = list(res.graph) if res.graph is not None else []
        truncated = limit is not None and len(triples) > limit
        return Result(["subject", "predicate", "object"], triples[:limit] if limit else triples, "graph", truncated=truncated)
    raise QueryError(f"unknown engine {engine!r}; use 'oxigraph' or 'rdflib'")


def _plain(t: Identifier | None) -> Identifier | None:
    """xsd:string-typed literals as plain literals (rdflib treats them as different terms)."""
    if isinstance(t, Literal) and t.datatype is not None and str(t.datatype) == _XSD + "string":
        return Literal(str(t))
    return t


_LOOKUP = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e WHERE {
  ?e skos:prefLabel|skos:altLabel|skos:hiddenLabel|foaf:name|dct:title|rdfs:label ?l .
  FILTER(STR(?l) = STR(?label))
} ORDER BY ?e"""


_NO_MATCH = URIRef("urn:govkg:no-such-entity")


def _dialect(engine: str) -> str:
    return "rdflib" if engine == "rdflib" else "standard"


def _resolve_entity(source: object, engine: str, value: object, name: str) -> tuple[list[Identifier], list[str]]:
    """An ``entity`` parameter: an IRI as is, or every entity with that name (label lookup, bound safely)."""
    if isinstance(value, URIRef):
        return [to_term(value)], []
    if isinstance(value, str):
        iri = _as_iri(value)
        if iri is not None:
            return [iri], []
    label = str(value).strip()
    text = bind_values(_LOOKUP, {"label": [Literal(label)]}, dialect=_dialect(engine))
    res = execute(source, text, engine=engine)
    iris = [r[0] for r in res.rows if isinstance(r[0], URIRef)]
    if iris:
        return iris, []
    # bind an IRI no graph uses rather than an empty VALUES block, which rdflib cannot evaluate
    return [_NO_MATCH], [f"no entity is named {label!r} (parameter {name})"]


def run_query(
    source: object,
    name_or_sparql: str | NamedQuery,
    *,
    engine: str = "oxigraph",
    limit: int | None = None,
    **params: object,
) -> Result:
    """Run a named query, a ``.rq`` file or SPARQL text over ``source`` with parameters bound safely.

    Parameters
    ----------
    source
        rdflib Dataset/Graph, pyoxigraph Store, RDF file or store directory. Queries see the union
        of all named graphs.
    name_or_sparql
        Named query (see :func:`list_queries`), path to a ``.rq`` file, or SPARQL text.
    engine
        ``"oxigraph"`` (default) or ``"rdflib"``.
    limit
        Stop after this many rows (``Result.truncated`` tells whether more were available).
    **params
        Values for the query's parameters, bound as RDF terms through a ``VALUES`` clause at the top
        of the WHERE group (see :func:`to_term`). ``entity`` parameters accept an IRI or a name;
        a name is looked up among labels and binds every entity that carries it. Parameters left
        out stay unbound, which the named queries read as "any".

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal("x")))
    >>> r = run_query(g, "SELECT ?s WHERE { ?s ?p ?o }", o='x" } ; DELETE WHERE { ?s ?p ?o } #')
    >>> len(r.rows)
    0
    """
    nq = load_query(name_or_sparql)
    if engine not in ("oxigraph", "rdflib"):
        raise QueryError(f"unknown engine {engine!r}; use 'oxigraph' or 'rdflib'")
    if engine == "oxigraph" and not isinstance(source, ox.Store):
        source = _store(source)
    elif engine == "rdflib":
        source = _rdflib_source(source)
    declared = {p.name: p for p in nq.params}
    if nq.path is not None:
        unknown = sorted(set(params) - set(declared))
        if unknown:
            have = ", ".join(declared) or "none"
            raise QueryError(f"query {nq.name!r} has no parameter(s) {', '.join(unknown)} (it takes: {have})")
    missing = [p.name for p in nq.params if p.required and params.get(p.name) is None]
    if missing:
        raise QueryError(f"query {nq.name!r} needs parameter(s): {', '.join(missing)}")
    bindings: dict[str, list[Identifier]] = {}
    notes: list[str] = []
    for name, value in params.items():
        if value is None:
            continue
        p = declared.get(name, Param(name))
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        terms: list[Identifier] = []
        for v in values:
            if p.kind == "entity":
                found, why = _resolve_entity(source, engine, v, name)
                terms.extend(found)
                notes.extend(why)
            else:
                terms.append(to_term(v, p.kind))
        bindings[name] = list(dict.fromkeys(terms))
    text = bind_values(apply_if_bound(nq.text, bindings), bindings, dialect=_dialect(engine))
    res = execute(source, text, engine=engine, limit=limit)
    res.notes.extend(notes)
    return res


def is_update(text: str) -> bool:
    """True if ``text`` parses as a SPARQL 1.1 Update (used to refuse updates on read-only endpoints)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - any parse failure means "not an update"
        return False
    return True


# --------------------------------------------------------------------------- formatting


def _compact(iri: str) -> str:
    best = ""
    for prefix, ns in DISPLAY_PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best = ns
            name = prefix
    if best:
        local = iri[len(best) :]
        if local and not re.search(r"[\s<>\"{}|^`\\]", local):
            return f"{name}:{local}"
    return iri


def _display(t: Identifier | None) -> str:
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return _compact(str(t))
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t).replace("\r", "").replace("\n", "⏎")


def _width(s: str) -> int:
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _is_number(t: Identifier | None) -> bool:
    return isinstance(t, Literal) and t.datatype is not None and str(t.datatype) in (_INT_TYPES | _FLOAT_TYPES)


def _table(result: Result) -> str:
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    cols = list(result.columns)
    cells = [[_display(t) for t in row] for row in result.rows]
    numeric = [
        all(row[i] is None or _is_number(row[i]) for row in result.rows) and any(row[i] is not None for row in result.rows)
        for i in range(len(cols))
    ]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(cols)]

    def line(values: list[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - _width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    out = [line(cols), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    n = len(result.rows)
    tail = f"({n} row{'s' if n != 1 else ''}{', truncated' if result.truncated else ''})"
    out.append(tail)
    out.extend(f"note: {x}" for x in result.notes)
    return "\n".join(out) + "\n"


def _csv_value(t: Identifier | None) -> str:
    if t is None:
        return ""
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t)


def _nt(t: Identifier | None) -> str:
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    return _sparql_term(t)


def _json_term(t: Identifier) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype is not None and str(t.datatype) != _XSD + "string":
        d["datatype"] = str(t.datatype)
    return d


def results_json(result: Result) -> dict[str, Any]:
    """SPARQL 1.1 Query Results JSON as a dict (graph results as subject/predicate/object rows)."""
    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings = []
    for row in result.rows:
        bindings.append({c: _json_term(t) for c, t in zip(result.columns, row) if t is not None})
    return {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}


def results_xml(result: Result) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("  <head>")
    out += [f'    <variable name="{_xml_escape(c, {chr(34): "&quot;"})}"/>' for c in result.columns]
    out += ["  </head>", "  <results>"]
    for row in result.rows:
        out.append("    <result>")
        for c, t in zip(result.columns, row):
            if t is None:
                continue
            if isinstance(t, URIRef):
                v = f"<uri>{_xml_escape(str(t))}</uri>"
            elif isinstance(t, BNode):
                v = f"<bnode>{_xml_escape(str(t))}</bnode>"
            elif t.language:
                v = f'<literal xml:lang="{_xml_escape(t.language)}">{_xml_escape(_xml_text(str(t)))}</literal>'
            elif t.datatype is not None and str(t.datatype) != _XSD + "string":
                dt = _xml_escape(str(t.datatype), {'"': "&quot;"})
                v = f'<literal datatype="{dt}">{_xml_escape(_xml_text(str(t)))}</literal>'
            else:
                v = f"<literal>{_xml_escape(_xml_text(str(t)))}</literal>"
            out.append(f'      <binding name="{_xml_escape(c, {chr(34): "&quot;"})}">{v}</binding>')
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _xml_text(s: str) -> str:
    """Drop characters XML 1.0 cannot carry."""
    return "".join(ch for ch in s if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF)))


def format_result(result: Result, fmt: str = "table") -> str:
    """Render results: ``table`` (aligned, CJK-aware), ``csv``/``tsv`` (SPARQL 1.1 CSV/TSV), ``json``, ``xml``.

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(format_result(Result(["名称", "n"], [(Literal("葵涌司法所"), Literal(3))])), end="")
    名称        n
    ----------  -
    葵涌司法所  3
    (1 row)
    """
    if fmt == "table":
        return _table(result)
    if fmt == "json":
        return json.dumps(results_json(result), ensure_ascii=False, indent=2) + "\n"
    if fmt == "xml":
        return results_xml(result)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        if result.kind == "ask":
            w.writerow(["_askResult"])
            w.writerow(["true" if result.boolean else "false"])
        else:
            w.writerow(result.columns)
            for row in result.rows:
                w.writerow([_csv_value(t) for t in row])
        return buf.getvalue()
    if fmt == "tsv":
        if result.kind == "ask":
            return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
        lines = ["\t".join(f"?{c}" for c in result.columns)]
        lines += ["\t".join(_nt(t) for t in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    raise QueryError(f"unknown output format {fmt!r}; use table, csv, tsv, json or xml")


# --------------------------------------------------------------------------- DataFrames


def _py(t: Identifier | None) -> tuple[str, object]:
    """(category, value) for a DataFrame cell."""
    if t is None:
        return ("none", None)
    if isinstance(t, (URIRef, BNode)):
        return ("str", str(t))
    dt = str(t.datatype) if t.datatype is not None else ""
    lex = str(t)
    try:
        if dt in _INT_TYPES:
            return ("int", int(lex))
        if dt in _FLOAT_TYPES:
            return ("float", float(lex))
        if dt == _GYEAR and re.fullmatch(r"-?\d{4,}", lex):
            return ("int", int(lex))
        if dt == _BOOL:
            return ("bool", lex in ("true", "1"))
        if dt in _DATE_TYPES:
            return ("date", lex)
    except ValueError:
        pass
    return ("str", lex)


def result_to_dataframe(result: Result) -> pandas.DataFrame:
    """Results as a DataFrame: numbers as numbers, dates as datetime64, IRIs and labels as strings."""
    import pandas as pd

    if result.kind == "ask":
        return pd.DataFrame({"ASK": [bool(result.boolean)]})
    data: dict[str, Any] = {}
    for i, col in enumerate(result.columns):
        cells = [_py(row[i]) for row in result.rows]
        cats = {c for c, _ in cells if c != "none"}
        values = [v for _, v in cells]
        if cats == {"int"}:
            data[col] = pd.array(values, dtype="Int64")
        elif cats and cats <= {"int", "float"}:
            data[col] = pd.array([float(v) if v is not None else None for v in values], dtype="Float64").astype("float64")
        elif cats == {"bool"}:
            data[col] = pd.array(values, dtype="boolean")
        elif cats == {"date"}:
            data[col] = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", format="ISO8601", utc=False)
        else:
            data[col] = pd.Series([None if v is None else str(v) for v in values], dtype=object)
    return pd.DataFrame(data, columns=list(result.columns))


def query(graph_or_store: object, name_or_sparql: str | NamedQuery, **params: object) -> pandas.DataFrame:
    """Run a named query or SPARQL on Oxigraph and return a pandas DataFrame.

    Parameters are bound safely (see :func:`run_query`). Numbers become numbers, ``xsd:date`` and
    ``xsd:dateTime`` become datetime64, ``xsd:gYear`` becomes an integer year, IRIs and labels strings.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("http://e/a"), URIRef("http://e/n"), Literal(7)))
    >>> int(query(g, "SELECT ?n WHERE { ?s ?p ?n }")["n"][0])
    7
    """
    return result_to_dataframe(run_query(graph_or_store, name_or_sparql, **params))



# --------------------------------------------------------------------------- CLI helpers


def parse_param_args(pairs: Sequence[str]) -> dict[str, object]:
    """``["key=value", …]`` (from repeated ``--param``) → keyword parameters for :func:`run_query`.

    A key given twice binds several values (e.g. two entities). Values stay strings: the query's
    ``# param:`` kinds decide how they become RDF terms.

    Examples
    --------
    >>> parse_param_args(["year=2020", "entity=南湾社区", "entity=<http://e/a>"])
    {'year': '2020', 'entity': ['南湾社区', '<http://e/a>']}
    """
    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not _VARNAME.match(key):
            raise QueryError(f"bad --param {pair!r}: write key=value with a key of letters, digits and _")
        if key in out:
            prev = out[key]
            out[key] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            out[key] = value
    return out


def describe_queries(queries: Sequence[NamedQuery] | None = None) -> str:
    """Text for ``govkg query --list``: each named query with its questions and parameters."""
    lines = []
    for q in queries if queries is not None else list_queries():
        lines.append(q.name)
        if q.zh:
            lines.append(f"    {q.zh}")
        if q.en:
            lines.append(f"    {q.en}")
        for p in q.params:
            need = "required" if p.required else "optional"
            lines.append(f"    --param {p.name}=… ({p.kind}, {need}) {p.description}".rstrip())
    return "\n".join(lines) + "\n"
