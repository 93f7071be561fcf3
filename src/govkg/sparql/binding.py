"""Safe binding of query parameters: Python values → RDF terms → escaped ``VALUES`` clauses."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import QueryError
from .named import PARAM_KINDS

__all__ = ["DISPLAY_PREFIXES", "bind_values", "sparql_term", "to_term"]

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


_XSD_STRING = str(XSD.string)

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


def sparql_term(t: Identifier, dialect: str = "standard") -> str:
    """A term in SPARQL syntax, escaped so that no value can change the query's structure."""
    if isinstance(t, URIRef):
        return f"<{_check_iri(str(t))}>"
    if isinstance(t, Literal):
        body = '"' + _escape_string(str(t), dialect) + '"'
        if t.language:
            if not _LANG.match(t.language):
                raise QueryError(f"bad language tag {t.language!r}")
            return f"{body}@{t.language}"
        if t.datatype is not None and str(t.datatype) != _XSD_STRING:
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
        terms = " ".join(sparql_term(v, dialect) for v in values)
        clauses.append(f"VALUES ?{name} {{ {terms} }}")
    at = _injection_point(text)
    return text[:at] + "\n  " + "\n  ".join(clauses) + "\n" + text[at:]
