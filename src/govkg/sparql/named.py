"""Named SPARQL queries: the ``.rq`` files shipped in ``govkg/queries``, their headers and parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import QueryError

__all__ = [
    "PARAM_KINDS",
    "QUERY_DIR",
    "NamedQuery",
    "Param",
    "apply_if_bound",
    "describe_queries",
    "list_queries",
    "load_query",
    "parse_param_args",
]

#: Where the shipped named queries live (``NAME.rq``).
QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"

#: Parameter kinds a ``# param:`` line may declare, e.g. ``# param: entity (entity, required) — …``.
PARAM_KINDS = ("term", "iri", "entity", "string", "integer", "decimal", "date", "boolean")

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
        """The declared parameter called ``name``, if any.

        Examples
        --------
        >>> load_query("honours").param("year")
        Param(name='year', kind='integer', required=False, description='only conferrals of this year')
        """
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

    Examples
    --------
    >>> [p.name for p in load_query("honours").params]
    ['level', 'year']
    >>> load_query("SELECT * WHERE { ?s ?p ?o }").name
    '<text>'
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


#: ``#[if bound ?name …] pattern`` — a line that stays a comment unless every named parameter is bound.
#: Named queries use it to start from a bound parameter (Oxigraph joins a VALUES-bound variable early only
#: when it appears in a pattern); the uncommented text must only restrict to rows the query keeps anyway.
_IF_BOUND = re.compile(r"^([ \t]*)#\[if bound((?:[ \t]+\?[A-Za-z_][A-Za-z0-9_]*)+)\][ \t]?(.*)$", re.MULTILINE)


def apply_if_bound(text: str, bound: set[str] | Mapping[str, object]) -> str:
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


def parse_param_args(pairs: Sequence[str]) -> dict[str, object]:
    """``["key=value", …]`` (from repeated ``--param``) → the parameter mapping of :func:`~govkg.run_query`.

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
            out[key] = [*(prev if isinstance(prev, list) else [prev]), value]
        else:
            out[key] = value
    return out


def describe_queries(queries: Sequence[NamedQuery] | None = None) -> str:
    """Text for ``govkg query --list``: each named query with its questions and parameters.

    Examples
    --------
    >>> print(describe_queries([load_query("honours")]).splitlines()[-1])
        --param year=… (integer, optional) only conferrals of this year
    """
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
