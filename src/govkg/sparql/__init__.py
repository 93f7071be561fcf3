"""SPARQL over the knowledge graph: named queries, safe parameter binding, engines and result formats.

``named`` (the ``.rq`` files and their parameters) → ``binding`` (values → escaped RDF terms) →
``engine`` (Oxigraph or rdflib) → ``results`` (tables, SPARQL result formats, DataFrames).
"""

from __future__ import annotations

from ..errors import QuerySyntaxError
from .binding import DISPLAY_PREFIXES, bind_values, sparql_term, to_term
from .engine import ENGINES, execute, is_update, query, run_query
from .named import (
    PARAM_KINDS,
    QUERY_DIR,
    NamedQuery,
    Param,
    apply_if_bound,
    describe_queries,
    list_queries,
    load_query,
    parse_param_args,
)
from .results import Result, format_result, result_to_dataframe, results_json, results_xml

__all__ = [
    "DISPLAY_PREFIXES",
    "ENGINES",
    "PARAM_KINDS",
    "QUERY_DIR",
    "NamedQuery",
    "Param",
    "QuerySyntaxError",
    "Result",
    "apply_if_bound",
    "bind_values",
    "describe_queries",
    "execute",
    "format_result",
    "is_update",
    "list_queries",
    "load_query",
    "parse_param_args",
    "query",
    "result_to_dataframe",
    "results_json",
    "results_xml",
    "run_query",
    "sparql_term",
    "to_term",
]
