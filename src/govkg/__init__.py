"""govkg: Chinese local-government work reports → knowledge graph with character-level provenance.

The public API follows the data flow: ``read_report`` (document) → ``extract`` (mentions, entities, facts)
→ ``extraction_to_dataset`` (RDF, one named graph per report) → ``to_networkx`` / ``query`` / ``validate``;
``build`` runs the whole chain and writes the files.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import GovKGError, ReportError  # noqa: E402
from .extract import extract  # noqa: E402
from .nxgraph import to_networkx, write_graphml  # noqa: E402
from .pipeline import build, bundled_report, extract_reports  # noqa: E402
from .query import query, run_query  # noqa: E402
from .rdfio import load, serialize  # noqa: E402
from .reader import read_report  # noqa: E402
from .triples import extraction_to_dataset  # noqa: E402
from .validate import validate  # noqa: E402

__all__ = [
    "__version__",
    "GovKGError",
    "ReportError",
    "read_report",
    "extract",
    "extract_reports",
    "extraction_to_dataset",
    "to_networkx",
    "write_graphml",
    "build",
    "bundled_report",
    "serialize",
    "load",
    "validate",
    "query",
    "run_query",
]
