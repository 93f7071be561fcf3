"""Exceptions raised by govkg; the CLI turns them into one-line messages."""

from __future__ import annotations

__all__ = [
    "GovKGError",
    "ReportError",
    "ExtractionError",
    "OntologyError",
    "ValidationError",
    "QueryError",
    "QuerySyntaxError",
]


class GovKGError(Exception):
    """Base class of every error govkg raises on purpose."""


class ReportError(GovKGError):
    """A report could not be read: missing, unreadable, undecodable, empty or binary."""


class ExtractionError(GovKGError):
    """An extractor broke its contract (bad offsets, unknown label)."""


class OntologyError(GovKGError):
    """The ontology or shapes files are missing or inconsistent with the code."""


class ValidationError(GovKGError):
    """A graph could not be validated (not a graph, unreadable shapes)."""


class QueryError(GovKGError):
    """A SPARQL query is unknown, malformed or was given bad parameters."""


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse; the message is the parser's."""
