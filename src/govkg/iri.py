"""Deterministic IRI minting from canonical keys (type + name + parent chain, never the document)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote

from pypinyin import Style, lazy_pinyin
from rdflib import URIRef

from .errors import ExtractionError
from .model import Document, Entity, Extraction
from .vocab import CONCEPT, ID

__all__ = [
    "OVERRIDES",
    "slug",
    "entity_iri",
    "mint_entity_iris",
    "scope_of",
    "document_iri",
    "doc_path",
    "text_iri",
    "graph_iri",
    "mention_iri",
    "conferral_iri",
    "observation_iri",
    "ranking_iri",
    "plan_iri",
    "statement_iri",
    "period_iri",
    "concept_iri",
]

#: Readings pypinyin gets wrong in names, as phrase → syllables. Reference data, each with its source.
OVERRIDES: dict[str, tuple[str, ...]] = {
    # 涌 is read chōng in Lingnan place names (现代汉语词典 第7版, 涌 chōng〈方〉河汊, 多用于地名);
    # official romanisation "Kuichong" (Kuichong Subdistrict, Dapeng New District, Shenzhen; GB 17733 place-name
    # signage; see design/ONTOLOGY.md §c [S8] and https://www.knowpia.com/knowpedia/Dapeng_Subdistrict).
    "葵涌": ("kui", "chong"),
    # 溪涌 Xichong (Kuichong) and 西涌 Xichong (Nan'ao): Shenzhen place names, official "Xichong"
    # (西涌海滩 "Xichong Beach" on Shenzhen tourism signage; gazetteer design/ONTOLOGY.md §c [S5]).
    "溪涌": ("xi", "chong"),
    "西涌": ("xi", "chong"),
    # 东涌 Dongchong (Nan'ao Subdistrict; design/ONTOLOGY.md §c [S7]).
    "东涌": ("dong", "chong"),
    # 三调联动 = 人民调解、行政调解、司法调解 联动: 调 as in 调解 tiáojiě (现代汉语词典), not diào.
    "三调": ("san", "tiao"),
}
# 涌 directly before a place-type suffix is the place-name reading chōng (same dictionary entry).
_CHONG_BEFORE = ("社区", "街道", "村", "镇", "口")

_MAX = 60
_OVERRIDE_ORDER = sorted(OVERRIDES, key=len, reverse=True)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SAFE = "/-._~!$&'()*+,;=:@"


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _syllables(name: str) -> list[str]:
    """Tokens of ``name``: pinyin syllables for Han runs, lowercased ASCII alphanumeric runs."""
    out: list[str] = []
    han: list[str] = []

    def flush() -> None:
        if han:
            out.extend(s.lower() for s in lazy_pinyin("".join(han), style=Style.NORMAL) if s.isascii())
            han.clear()

    i = 0
    while i < len(name):
        for phrase in _OVERRIDE_ORDER:
            if name.startswith(phrase, i):
                flush()
                out.extend(OVERRIDES[phrase])
                i += len(phrase)
                break
        else:
            ch = name[i]
            if ch == "涌" and i > 0 and _HAN.match(name[i - 1]) and name.startswith(_CHONG_BEFORE, i + 1):
                flush()
                out.append("chong")
            elif _HAN.match(ch):
                han.append(ch)
            elif ch.isascii() and ch.isalnum():
                flush()
                j = i
                while j < len(name) and name[j].isascii() and name[j].isalnum():
                    j += 1
                out.append(name[i:j].lower())
                i = j
                continue
            else:  # punctuation, quotes, brackets, spaces: a separator
                flush()
            i += 1
    flush()
    return [s.replace("ü", "v") for s in out if s]


@lru_cache(maxsize=1 << 16)
def slug(name: str) -> str:
    """Pinyin slug of a Chinese name: syllables joined by ``-``, ASCII kept (lowercased).

    Names longer than 60 characters are cut on a syllable boundary and get a ``--{sha1[:6]}`` suffix;
    readings in :data:`OVERRIDES` win over pypinyin's.

    Examples
    --------
    >>> slug("葵涌司法所")
    'kui-chong-si-fa-suo'
    >>> slug("“三调联动”工作机制")
    'san-tiao-lian-dong-gong-zuo-ji-zhi'
    >>> slug("绿色GDP")
    'lv-se-gdp'
    """
    norm = unicodedata.normalize("NFKC", name)
    parts = _syllables(norm)
    if not parts:
        return "x" + _sha1(name)[:8]
    text = "-".join(parts)
    if len(text) <= _MAX:
        return text
    suffix = "--" + _sha1(name)[:6]
    kept: list[str] = []
    for p in parts:
        if len("-".join([*kept, p])) + len(suffix) > _MAX:
            break
        kept.append(p)
    return "-".join(kept)[: _MAX - len(suffix)] + suffix


def _enc(part: str) -> str:
    return quote(part, safe=_SAFE)


_AREA = ("Country", "Province", "City", "District", "Subdistrict", "Community")
_ORG = ("PublicOrganisation", "LeadingGroup", "Company")
_PREFIX = {
    **{t: "area" for t in _AREA},
    **{t: "org" for t in _ORG},
    "Place": "place",
    "Person": "person",
    "Initiative": "initiative",
    "Honour": "honour",
    "NormativeDocument": "norm",
}
# Area-type suffixes (GB/T 2260 unit names) removed from an ancestor's name to get its stem
# (葵涌街道 → 葵涌), so that 葵涌司法所 under 葵涌街道 slugs as si-fa-suo.
_AREA_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "新区", "街道", "社区", "省", "市", "区", "县", "镇", "乡", "村")


def _local(iri: str) -> str:
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri


def _path_of(iri: str) -> str:
    """The parent path contributed by an IRI: its local part minus the type segment."""
    local = _local(iri)
    return local.split("/", 1)[1] if "/" in local else local


def _strip_ancestors(name: str, ancestors: list[Entity], *, stems: bool) -> str:
    """Remove leading ancestor names (and, if ``stems``, area stems such as 葵涌 of 葵涌街道)."""
    prefixes: set[str] = set()
    for a in ancestors:
        prefixes.add(a.name)
        if stems and a.type in _AREA and a.type != "Country":
            for suf in _AREA_SUFFIXES:
                if a.name.endswith(suf) and len(a.name) - len(suf) >= 2:
                    prefixes.add(a.name[: -len(suf)])
                    break
    changed = True
    while changed:
        changed = False
        for p in sorted(prefixes, key=lambda s: (-len(s), s)):
            if name.startswith(p) and len(name) - len(p) >= 2:
                name = name[len(p) :]
                changed = True
                break
    return name


#: Types whose names repeat across the country (江苏路社区 in 南京 and in 徐州, two 王建国): without a code or a
#: parent they are scoped by the report's area (see :func:`scope_of`), never merged across places.
SCOPED_TYPES = frozenset({"Subdistrict", "Community", "Place", "Person"})


def scope_of(extraction: Extraction) -> str:
    """The path that scopes a report's uncoded, parentless places and people.

    The key of the report's home area (its division code, or a path for a functional area) when one was
    found; else ``by/{slug of the publisher}``; else ``doc/{sha256 prefix}`` (the report alone). It depends on
    the report only, so its IRIs are the same whatever else is built with it.

    Examples
    --------
    >>> from govkg.model import Document, Extraction, Metadata
    >>> scope_of(Extraction(Document("d", "x", "-", "ab" * 32), home="440307"))
    '440307'
    >>> scope_of(Extraction(Document("d", "x", "-", "ab" * 32, metadata=Metadata(publisher="某某街道办事处"))))
    'by/mou-mou-jie-dao-ban-shi-chu'
    >>> scope_of(Extraction(Document("d", "x", "-", "ab" * 32)))
    'doc/abababababab'
    """
    if extraction.home:
        return extraction.home
    publisher = (extraction.document.metadata.publisher or "").strip()
    if publisher:
        return "by/" + slug(publisher)
    return "doc/" + extraction.document.sha256[:12]


def entity_iri(
    entity: Entity, entities: Mapping[str, Entity], *, scope: str = "", _seen: frozenset[str] = frozenset()
) -> URIRef:
    """The IRI of an entity, from its type, canonical name and parent chain.

    Precedence: ``attrs["iri"]``; ``attrs["uscc"]`` → ``org/uscc/{USCC}``; a 6-digit ``attrs["code"]`` of an
    area → ``area/{code}`` (9/12-digit codes are stored as gk:divisionCode, not put in the IRI, so IRIs do not
    change when such codes are found later); Country → ``area/cn``; otherwise type prefix + parent path + slug.
    Subdistricts, communities, places and people with neither a code nor a parent take ``scope`` (the report's
    area, :func:`scope_of`) as their parent path.

    Examples
    --------
    >>> from govkg.model import Entity
    >>> city = Entity("City:/深圳市", "City", "深圳市", attrs={"code": "440300"})
    >>> org = Entity("PublicOrganisation:深圳市/深圳市网格管理中心", "PublicOrganisation", "深圳市网格管理中心",
    ...              parent=city.key)
    >>> str(entity_iri(org, {city.key: city, org.key: org}))
    'https://w3id.org/govkg/id/org/440300/wang-ge-guan-li-zhong-xin'
    """
    attrs = entity.attrs
    if attrs.get("iri"):
        iri = str(attrs["iri"])
        return URIRef(iri if "://" in iri else str(ID) + iri.lstrip("/"))
    if attrs.get("uscc"):
        return ID["org/uscc/" + _enc(str(attrs["uscc"]).strip().upper())]
    code = str(attrs.get("code") or "").strip()
    if entity.type in _AREA and re.fullmatch(r"\d{6}", code):
        return ID["area/" + code]
    if entity.type == "Country":
        return ID["area/cn"]
    if entity.type not in _PREFIX:
        raise ExtractionError(f"entity {entity.key!r} has unknown type {entity.type!r}")

    ancestors: list[Entity] = []
    parent_iri = ""
    if entity.parent is not None:
        if entity.parent not in entities:
            raise ExtractionError(f"entity {entity.key!r} has unknown parent {entity.parent!r}")
        if entity.key in _seen or entity.parent == entity.key:
            raise ExtractionError(f"entity {entity.key!r} is its own ancestor")
        parent = entities[entity.parent]
        parent_iri = str(entity_iri(parent, entities, scope=scope, _seen=_seen | {entity.key}))
        p: Entity | None = parent
        while p is not None and p.key not in {a.key for a in ancestors}:
            ancestors.append(p)
            p = entities.get(p.parent) if p.parent else None

    elif scope and entity.type in SCOPED_TYPES and not code:
        parent_iri = str(ID[f"scope/{_enc(scope)}"])

    prefix = _PREFIX[entity.type]
    if entity.type == "Person":
        digest = _sha1(f"{entity.name}|{parent_iri}")[:8]
        return ID[f"person/{slug(entity.name)}--{digest}"]
    # areas keep their own stem (葵涌社区 under 葵涌街道 is not 社区); other types drop it
    name = _strip_ancestors(entity.name, ancestors, stems=entity.type not in _AREA)
    if parent_iri:
        return ID[f"{prefix}/{_enc(_path_of(parent_iri))}/{slug(name)}"]
    if entity.type == "Company":
        return ID[f"org/ent/{slug(name)}"]
    return ID[f"{prefix}/{slug(name)}"]


def mint_entity_iris(entities: Mapping[str, Entity], *, scope: str = "") -> dict[str, URIRef]:
    """IRIs for every entity of an extraction, keyed by entity key (``scope``: see :func:`entity_iri`).

    Entities that get the same IRI and have the same name once their ancestors' names are taken off
    (北京市西城区人民政府 and 西城区人民政府 under 西城区) are one body written two ways, and share it.
    Different names that read alike (溪涌社区, 西涌社区) each get a ``--{sha1(name)[:6]}`` suffix: it depends on
    the name alone, so such an entity has the same IRI in every report that has the other one too; alone,
    it keeps the plain slug (the one way a report's IRIs can depend on what else the same report names).
    Entities with an explicit ``attrs["iri"]`` keep theirs and must not collide. Only one report is looked
    at, so a report's IRIs never depend on the other reports of a corpus.
    """
    out = {key: entity_iri(e, entities, scope=scope) for key, e in sorted(entities.items())}
    by_iri: dict[URIRef, list[str]] = {}
    for key, iri in out.items():
        by_iri.setdefault(iri, []).append(key)
    for iri, keys in by_iri.items():
        if len(keys) < 2:
            continue
        if any(entities[key].attrs.get("iri") for key in keys):
            raise ExtractionError(f"entities {keys} share the explicit IRI {iri}")
        names = {key: _own_name(entities[key], entities) for key in keys}
        if len(set(names.values())) == 1:
            continue
        for key in keys:
            out[key] = URIRef(f"{iri}--{_sha1(names[key])[:6]}")
    return out


def _own_name(entity: Entity, entities: Mapping[str, Entity]) -> str:
    """The name an IRI slugs: the entity's name without its ancestors' names (see :func:`entity_iri`)."""
    ancestors: list[Entity] = []
    p = entities.get(entity.parent) if entity.parent else None
    while p is not None and p.key not in {a.key for a in ancestors}:
        ancestors.append(p)
        p = entities.get(p.parent) if p.parent else None
    if entity.type == "Person":
        return entity.name
    return f"{_PREFIX.get(entity.type, entity.type)}:{_strip_ancestors(entity.name, ancestors, stems=entity.type not in _AREA)}"


def document_iri(doc: Document) -> URIRef:
    """``doc/{索引号}/{first 12 hex of the text's sha256}`` when the header has one, else ``doc/sha256-{16 hex}``.

    A document is keyed by its content: two pages that share a 索引号 (a portal's copy-paste, a revised
    version) stay two documents, and a report's IRI never depends on what else is built with it.

    Examples
    --------
    >>> from govkg.model import Document, Metadata
    >>> d = Document("x", "正文。", "<stdin>", "ab" * 32, metadata=Metadata(index_number="1144/2021-00058"))
    >>> str(document_iri(d))
    'https://w3id.org/govkg/id/doc/1144/2021-00058/abababababab'
    """
    index = (doc.metadata.index_number or "").strip()
    if index:
        return ID[f"doc/{_enc(index)}/{doc.sha256[:12]}"]
    return ID["doc/sha256-" + doc.sha256[:16]]


def doc_path(doc_iri: str) -> str:
    """The document key part of a document IRI (``doc/A/B`` → ``A/B``)."""
    return _path_of(str(doc_iri))


def text_iri(doc_iri: str) -> URIRef:
    """The nif:Context holding the document text."""
    return URIRef(f"{doc_iri}/text")


def graph_iri(doc_iri: str) -> URIRef:
    """The named graph of everything a document states."""
    return URIRef(f"{doc_iri}/graph")


def mention_iri(doc_iri: str, start: int, end: int) -> URIRef:
    """RFC 5147 span IRI ``{doc}/text#char={start},{end}``."""
    return URIRef(f"{doc_iri}/text#char={start},{end}")


def conferral_iri(doc_iri: str, recipient: str, honour: str, year: int | None) -> URIRef:
    """``conferral/{doc key}/{sha1(recipient|honour|year)[:10]}``: a conferral belongs to the report stating it."""
    y = "" if year is None else str(year)
    return ID[f"conferral/{doc_path(doc_iri)}/{_sha1(f'{recipient}|{honour}|{y}')[:10]}"]


def observation_iri(doc_iri: str, start: int, end: int) -> URIRef:
    """``obs/{doc key}/{start}-{end}`` from the observation's first evidence span."""
    return ID[f"obs/{doc_path(doc_iri)}/{start}-{end}"]


def ranking_iri(doc_iri: str, start: int, end: int) -> URIRef:
    """``rank/{doc key}/{start}-{end}`` from the ranking's first evidence span."""
    return ID[f"rank/{doc_path(doc_iri)}/{start}-{end}"]


def plan_iri(doc_iri: str, ordinal: int) -> URIRef:
    """``plan/{doc key}/{ordinal}``."""
    return ID[f"plan/{doc_path(doc_iri)}/{ordinal}"]


def statement_iri(doc_iri: str, s: str, p: str, o: str) -> URIRef:
    """``stmt/{doc key}/{sha1(s|p|o)[:12]}``: the evidence of a relation, as one report states it."""
    return ID[f"stmt/{doc_path(doc_iri)}/{_sha1(f'{s}|{p}|{o}')[:12]}"]


def period_iri(year: int) -> URIRef:
    """``period/{yyyy}``."""
    return ID[f"period/{int(year):04d}"]


def concept_iri(scheme: str, value: str) -> URIRef:
    """``concept/{scheme}/{notation}``; values that are not ASCII slugs are slugged."""
    notation = value if re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) else slug(value)
    return CONCEPT[f"{scheme}/{notation}"]
