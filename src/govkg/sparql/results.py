"""Query results: the :class:`Result` type, SPARQL result formats (table, CSV, TSV, JSON, XML) and DataFrames."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as _xml_escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import QueryError
from ..formats import Format, Kind
from .binding import DISPLAY_PREFIXES, sparql_term

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["Result", "format_result", "result_to_dataframe", "results_json", "results_xml"]

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
            if s is not None and p is not None and o is not None:
                g.add((s, p, o))
        return g


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
    return sparql_term(t)


def _json_term(t: Identifier) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    assert isinstance(t, Literal)
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
            elif not isinstance(t, Literal):
                raise QueryError(f"cannot write {t!r} in SPARQL results")
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


def format_result(result: Result, fmt: str | Format = "table") -> str:
    """Render results in a :class:`~govkg.formats.Format` of kind ``select`` or its name: ``table`` (aligned,
    CJK-aware), ``csv``/``tsv`` (SPARQL 1.1 CSV/TSV), ``json``, ``xml`` (SPARQL 1.1 results).

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(format_result(Result(["名称", "n"], [(Literal("葵涌司法所"), Literal(3))])), end="")
    名称        n
    ----------  -
    葵涌司法所  3
    (1 row)
    """
    try:
        fmt = Format.from_name(fmt, Kind.SELECT)
    except ValueError:
        raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(Format.names(Kind.SELECT))}") from None
    if fmt == Format.TABLE:
        return _table(result)
    if fmt == Format.JSON:
        return json.dumps(results_json(result), ensure_ascii=False, indent=2) + "\n"
    if fmt == Format.XML:
        return results_xml(result)
    if fmt == Format.CSV:
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
    if result.kind == "ask":  # TSV
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_nt(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- DataFrames


def _py(t: Identifier | None) -> tuple[str, Any]:
    """(category, value) for a DataFrame cell."""
    if t is None:
        return ("none", None)
    if not isinstance(t, Literal):
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
