"""govkg: Chinese local-government work reports → knowledge graph with character-level provenance.

The public API follows the data flow: ``read_report`` (document) → ``extract`` (mentions, entities, facts)
→ ``extraction_to_dataset`` (RDF, one named graph per report) → ``to_networkx`` / ``query`` / ``validate``;
``build`` runs the whole chain and writes the files.

The names are imported when first used, so that ``import govkg`` stays fast (no pyoxigraph, networkx or
pypinyin). ``extract``, ``query`` and ``validate`` are imported at once: each is also the name of a module,
which would otherwise take the function's place once something imports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# the functions, not the modules of the same names (imported first, so that the functions win)
from .extract import extract
from .query import query
from .validate import validate

if TYPE_CHECKING:  # pragma: no cover
    from .errors import GovKGError, QueryError, ReportError
    from .formats import Format
    from .nxgraph import to_networkx, write_graphml
    from .pipeline import build, bundled_report, extract_reports
    from .rdfio import load, serialize
    from .reader import read_report
    from .sparql import describe_queries, format_result, list_queries, parse_param_args, run_query
    from .store import open_store
    from .triples import extraction_to_dataset
    from .validate import validate_file
    from .view import write_view

#: Public name → the module that defines it.
_WHERE = {
    "GovKGError": "errors",
    "QueryError": "errors",
    "ReportError": "errors",
    "Format": "formats",
    "to_networkx": "nxgraph",
    "write_graphml": "nxgraph",
    "build": "pipeline",
    "bundled_report": "pipeline",
    "extract_reports": "pipeline",
    "load": "rdfio",
    "serialize": "rdfio",
    "read_report": "reader",
    "describe_queries": "sparql",
    "format_result": "sparql",
    "list_queries": "sparql",
    "parse_param_args": "sparql",
    "run_query": "sparql",
    "open_store": "store",
    "extraction_to_dataset": "triples",
    "validate_file": "validate",
    "write_view": "view",
}

__all__ = [
    "Format",
    "GovKGError",
    "QueryError",
    "ReportError",
    "__version__",
    "build",
    "bundled_report",
    "describe_queries",
    "extract",
    "extract_reports",
    "extraction_to_dataset",
    "format_result",
    "list_queries",
    "load",
    "open_store",
    "parse_param_args",
    "query",
    "read_report",
    "run_query",
    "serialize",
    "to_networkx",
    "validate",
    "validate_file",
    "write_graphml",
    "write_view",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'govkg' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
