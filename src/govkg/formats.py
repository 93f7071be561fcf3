"""The one table of formats govkg reads and writes: name, media type, file suffix, kind and serialiser."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

__all__ = ["RDF_KINDS", "Format", "Kind"]


class Kind(StrEnum):
    """What a format holds."""

    SELECT = "select"  #: SPARQL SELECT (and ASK) results
    GRAPH = "graph"  #: triples; a dataset written in it is the union of its graphs
    DATASET = "dataset"  #: quads: named graphs are kept


#: The kinds of RDF formats: triples and quads.
RDF_KINDS = (Kind.GRAPH, Kind.DATASET)
_RDF = RDF_KINDS


class Format(Enum):
    """A file and HTTP format: the CLI's ``--format`` names, file suffixes and media types all come from here.

    Each member has ``value`` (the canonical name), ``media_type``, ``suffix``, ``kind``, ``rdflib`` (the
    rdflib parser/serialiser name, "" for result formats) and the aliases accepted for each. Names, suffixes
    and media types are unique within a kind, and within the RDF kinds together; ``json`` and ``xml`` mean
    SPARQL results or JSON-LD / RDF/XML depending on the kinds asked for.

    Examples
    --------
    >>> Format.from_suffix("graph/govkg.trig")
    <Format.TRIG: 'trig'>
    >>> Format.from_name("ttl").media_type, Format.from_name("json", Kind.SELECT).media_type
    ('text/turtle', 'application/sparql-results+json')
    >>> Format.from_media_type("application/json", *RDF_KINDS).value
    'jsonld'
    >>> Format.names(Kind.SELECT)
    ['table', 'csv', 'tsv', 'json', 'xml']
    """

    _value_: str
    media_type: str
    suffix: str
    kind: Kind
    rdflib: str
    aliases: tuple[str, ...]
    media_types: tuple[str, ...]
    suffixes: tuple[str, ...]

    # name, media type, suffix, kind, rdflib name, other names, other media types, other suffixes
    TABLE = ("table", "text/plain", ".txt", Kind.SELECT, "", (), (), ())
    CSV = ("csv", "text/csv", ".csv", Kind.SELECT, "", (), (), ())
    TSV = ("tsv", "text/tab-separated-values", ".tsv", Kind.SELECT, "", (), (), ())
    JSON = ("json", "application/sparql-results+json", ".srj", Kind.SELECT, "", (),
            ("application/json", "text/javascript", "application/javascript"), ())
    XML = ("xml", "application/sparql-results+xml", ".srx", Kind.SELECT, "", (), ("application/xml", "text/xml"), ())
    TURTLE = ("turtle", "text/turtle", ".ttl", Kind.GRAPH, "turtle", ("ttl", "n3"),
              ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"), ())
    N_TRIPLES = ("nt", "application/n-triples", ".nt", Kind.GRAPH, "nt", ("ntriples", "n-triples"), ("text/plain",), ())
    RDF_XML = ("rdfxml", "application/rdf+xml", ".rdf", Kind.GRAPH, "xml", ("rdf/xml", "xml"), (), (".owl",))
    TRIG = ("trig", "application/trig", ".trig", Kind.DATASET, "trig", (), (), ())
    N_QUADS = ("nquads", "application/n-quads", ".nq", Kind.DATASET, "nquads", ("nq", "n-quads"), (), ())
    JSON_LD = ("jsonld", "application/ld+json", ".jsonld", Kind.DATASET, "json-ld", ("json-ld", "json"),
               ("application/x-json+ld", "application/json"), (".json",))

    def __new__(
        cls,
        name: str,
        media_type: str,
        suffix: str,
        kind: Kind,
        rdflib: str,
        aliases: tuple[str, ...],
        media_types: tuple[str, ...],
        suffixes: tuple[str, ...],
    ) -> Format:
        obj = object.__new__(cls)
        obj._value_ = name
        obj.media_type, obj.suffix, obj.kind, obj.rdflib = media_type, suffix, kind, rdflib
        obj.aliases = (name, *aliases)
        obj.media_types = (media_type, *media_types)
        obj.suffixes = (suffix, *suffixes)
        return obj

    @property
    def oxigraph(self) -> pyoxigraph.RdfFormat:
        """The pyoxigraph format of an RDF format.

        Examples
        --------
        >>> Format.N_QUADS.oxigraph
        <RdfFormat N-Quads>
        """
        import pyoxigraph

        if self.kind == Kind.SELECT:
            raise ValueError(f"{self.value} is not an RDF format")
        fmt: pyoxigraph.RdfFormat = getattr(pyoxigraph.RdfFormat, self.name)
        return fmt

    @classmethod
    def of_kind(cls, *kinds: Kind) -> list[Format]:
        """The formats of these kinds (every format if none is given), in table order."""
        return [f for f in cls if not kinds or f.kind in kinds]

    @classmethod
    def names(cls, *kinds: Kind) -> list[str]:
        """The canonical names of these kinds, e.g. for a ``click.Choice``."""
        return [f.value for f in cls.of_kind(*kinds)]

    @classmethod
    def from_name(cls, name: str | Format, *kinds: Kind) -> Format:
        """The format called ``name`` (or one of its aliases) among ``kinds`` (default: RDF formats).

        Raises ValueError for an unknown name.
        """
        if isinstance(name, Format):
            return name
        found = _lookup(cls.of_kind(*(kinds or _RDF)), lambda f: f.aliases, name.strip().lower())
        if found is None:
            what = "format" if kinds and Kind.SELECT in kinds else "RDF format"
            raise ValueError(f"unknown {what} {name!r}; use one of {cls.names(*(kinds or _RDF))}")
        return found

    @classmethod
    def from_suffix(cls, path: str | os.PathLike[str], *kinds: Kind) -> Format:
        """The format of a file name by its suffix among ``kinds`` (default: RDF formats); ValueError if unknown."""
        fmts = cls.of_kind(*(kinds or _RDF))
        found = _lookup(fmts, lambda f: f.suffixes, Path(path).suffix.lower())
        if found is None:
            known = sorted(s for f in fmts for s in f.suffixes)
            what = "format" if kinds and Kind.SELECT in kinds else "RDF format"
            raise ValueError(f"cannot tell the {what} of {str(path)!r}; use a file name ending in one of {known}")
        return found

    @classmethod
    def from_media_type(cls, media_type: str, *kinds: Kind) -> Format:
        """The format of a media type (parameters such as ``; charset=utf-8`` ignored); ValueError if unknown."""
        found = _lookup(cls.of_kind(*(kinds or _RDF)), lambda f: f.media_types, media_type.split(";")[0].strip().lower())
        if found is None:
            raise ValueError(f"unsupported media type {media_type!r}")
        return found


def _lookup(formats: Iterable[Format], keys: Callable[[Format], tuple[str, ...]], key: str) -> Format | None:
    return next((f for f in formats if key in keys(f)), None)
