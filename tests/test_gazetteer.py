"""Tests for govkg.gazetteer: nationwide divisions, the Dapeng functional area, matching and deixis."""

from __future__ import annotations

import gzip

import pytest

from govkg.gazetteer import BASE_IRI, DEIXIS_WORDS, Area, Gazetteer, normalise_key

DAPENG = "440300/dapeng-xinqu"


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


# ---------------------------------------------------------------- data and tree
def test_default_is_cached(g):
    assert Gazetteer.default() is g


def test_level_counts(g):
    counts: dict[str, int] = {}
    for a in g:
        counts[a.level] = counts.get(a.level, 0) + 1
    assert counts["country"] == 1
    assert counts["province"] == 34  # 31 NBS units + 台湾省, 香港, 澳门
    assert counts["city"] >= 330
    assert counts["district"] >= 2900
    assert counts["subdistrict"] >= 40000
    assert counts["community"] == 25  # the Dapeng communities only


def test_every_parent_resolves_and_codes_nest(g):
    for a in g:
        if a.level == "country":
            assert a.parent is None
            continue
        p = g.parent(a)
        assert p is not None, a
        assert list(map(lambda x: x.level, g.ancestors(a)))[-1] == "country"
        sp = g.statutory_parent(a)
        if a.code and sp is not None and sp.code and sp.level != "country":
            # NBS codes extend their parent's code (prefecture cities without counties,
            # e.g. 东莞市 441900, hold their townships directly)
            assert a.code.startswith(sp.code.rstrip("0")), a


def test_longgang_chain(g):
    lg = g.get("440307")
    assert (lg.name, lg.short, lg.level, lg.code) == ("龙岗区", "龙岗", "district", "440307")
    sz = g.parent(lg)
    assert (sz.key, sz.name, sz.level) == ("440300", "深圳市", "city")
    gd = g.parent(sz)
    assert (gd.name, gd.level) == ("广东省", "province")
    assert [a.name for a in g.ancestors(lg)] == ["深圳市", "广东省", "中华人民共和国"]
    assert g.ancestors(lg)[-1].short == "中国"
    assert lg.iri == BASE_IRI + "440307"


def test_nbs_short_codes_accepted(g):
    assert normalise_key("44") == "440000"
    assert g.get("44") is g.get("440000")
    assert g.get("44").name == "广东省"
    assert g.get("4403") is g.get("440300")
    assert g.get("999999") is None


def test_dapeng_functional_area(g):
    dp = g.get(DAPENG)
    assert dp.name == "大鹏新区" and dp.code is None and dp.level == "district"
    assert dp.parent == "440300" and dp.statutory_parent is None
    assert dp.iri == "https://w3id.org/govkg/id/area/440300/dapeng-xinqu"
    kc = g.lookup("葵涌街道")[0]
    assert kc.code == "440307009"
    assert kc.parent == DAPENG and g.parent(kc) is dp
    assert kc.statutory_parent == "440307" and g.statutory_parent(kc).name == "龙岗区"
    assert kc.name_en == "Kuichong Subdistrict"
    assert kc.iri == "https://w3id.org/govkg/id/area/440307/kuichong"
    assert "葵涌办事处" in kc.aliases
    assert [a.name for a in g.ancestors(kc)] == ["大鹏新区", "深圳市", "广东省", "中华人民共和国"]
    assert [a.name for a in g.children(dp)] == ["葵涌街道", "大鹏街道", "南澳街道"]
    assert "葵涌街道" not in {a.name for a in g.children(g.get("440307"))}
    assert "平湖街道" in {a.name for a in g.children(g.get("440307"))}
    assert dp in g.children(g.get("440300"))


def test_dapeng_communities(g):
    dp = g.get(DAPENG)
    comms = [c for s in g.children(dp) for c in g.children(s)]
    assert len(comms) == 25
    assert all(c.level == "community" and c.code and len(c.code) == 12 for c in comms)
    assert all(c.source for c in comms)
    xi1 = g.lookup("溪涌社区")[0]
    xi2 = g.lookup("西涌社区")[0]
    assert xi1.name_en == xi2.name_en == "Xichong Community"
    assert xi1.iri != xi2.iri
    assert (xi1.code, g.parent(xi1).name) == ("440307009006", "葵涌街道")
    assert (xi2.code, g.parent(xi2).name) == ("440307011009", "南澳街道")
    assert g.is_within(xi1, dp) and g.is_within(xi1, g.get("440307"))


def test_municipality(g):
    bj = g.get("110000")
    assert (bj.name, bj.level) == ("北京市", "province")
    cy = g.lookup("朝阳区", within=bj)[0]
    assert cy.code == "110105" and cy.parent == "110000"
    assert [a.level for a in g.ancestors(cy)] == ["province", "country"]


def test_city_without_counties(g):
    dg = g.get("441900")
    assert (dg.name, dg.level) == ("东莞市", "city")
    assert any(c.name == "虎门镇" for c in g.children(dg))


def test_short_names_strip_suffixes(g):
    assert g.get("450000").short == "广西"
    assert g.get("150000").short == "内蒙古"
    assert g.get("632800").short == "海西"  # 海西蒙古族藏族自治州
    assert g.get("310115").short == "浦东"  # 浦东新区


def test_constructor_rejects_duplicates():
    a = Area("1", None, "甲市", "甲", "city", None, None, None, None, "test")
    with pytest.raises(ValueError):
        Gazetteer([a, a])


def test_from_csv_gz_roundtrip():
    blob = gzip.compress(
        "key,code,name,short,level,parent,statutory_parent,name_en,iri,source,aliases\n"
        "cn,,中华人民共和国,中国,country,,,,,t,\n"
        "440000,440000,广东省,广东,province,cn,cn,,,,粤\n".encode()
    )
    small = Gazetteer.from_csv_gz(blob)
    gd = small.get("44")
    assert gd.aliases == ("粤",) and gd.iri == BASE_IRI + "440000" and gd.source
    assert small.lookup("粤") == [gd]


# ---------------------------------------------------------------- lookup
def test_lookup_repeated_district(g):
    keys = {a.code for a in g.lookup("西湖区")}
    assert keys == {"330106", "360103"}  # 杭州市, 南昌市
    assert g.lookup("西湖区", within=g.get("330100"))[0].code == "330106"
    assert g.lookup("西湖区", within=g.get("360100"))[0].code == "360103"


def test_lookup_repeated_township_within(g):
    all_cg = g.lookup("城关镇")
    assert len(all_cg) > 20
    county = g.get(all_cg[-1].parent)
    best = g.lookup("城关镇", within=county)
    assert best[0] is all_cg[-1]
    assert len(best) == len(all_cg)
    # inside first, then the rest
    prov = g.ancestors(county)[-2]
    ranked = g.lookup("城关镇", within=prov)
    inside = [g.is_within(a, prov) for a in ranked]
    assert inside == sorted(inside, reverse=True) and inside[0]


def test_lookup_short_and_level(g):
    assert [a.code for a in g.lookup("深圳")] == ["440300"]
    assert g.lookup("大鹏", level="district")[0].key == DAPENG
    assert {a.level for a in g.lookup("大鹏")} == {"district", "subdistrict", "community"}
    assert g.lookup("葵涌办事处")[0].code == "440307009"
    assert g.lookup("不存在的地方") == []


# ---------------------------------------------------------------- find_in_text
def test_find_in_text_offsets_and_chains(g):
    text = "我们与杭州市西湖区、北京市朝阳区和广西壮族自治区百色市田林县开展对口合作。"
    found = g.find_in_text(text)
    assert all(text[s:e] == a.name for s, e, a in found)
    assert [(a.name, a.code) for _, _, a in found] == [
        ("杭州市", "330100"), ("西湖区", "330106"), ("北京市", "110000"),
        ("朝阳区", "110105"), ("广西壮族自治区", "450000"), ("百色市", "451000"),
        ("田林县", "451029"),
    ]
    assert found[0][:2] == (3, 6)


def test_find_in_text_longest_first_non_overlapping(g):
    text = "江苏省苏州市昆山市千灯镇，深圳市大鹏新区葵涌街道溪涌社区"
    found = g.find_in_text(text)
    names = [a.name for _, _, a in found]
    assert names == ["江苏省", "苏州市", "昆山市", "千灯镇", "深圳市", "大鹏新区", "葵涌街道", "溪涌社区"]
    ends = [e for _, e, _ in found]
    starts = [s for s, _, _ in found]
    assert all(e <= s for e, s in zip(ends, starts[1:]))
    assert found[5][2].key == DAPENG


def test_find_in_text_within_filters_townships(g):
    dp = g.get(DAPENG)
    text = "城关镇和葵涌街道、南澳街道西涌社区，以及朝阳区、西湖区。"
    with_home = {a.name: a for _, _, a in g.find_in_text(text, within=dp)}
    assert "城关镇" not in with_home  # repeated nationwide and not inside 大鹏新区
    assert with_home["葵涌街道"].code == "440307009"
    assert with_home["西涌社区"].code == "440307011009"
    assert "朝阳区" not in with_home  # ambiguous, nothing in context decides
    bj = {a.name: a for _, _, a in g.find_in_text(text, within=g.get("110105"))}
    assert bj["朝阳区"].code == "110105"
    assert "葵涌街道" not in bj  # township outside the home area
    hz = {a.name: a for _, _, a in g.find_in_text(text, within=g.get("330100"))}
    assert hz["西湖区"].code == "330106"


def test_find_in_text_skips_common_words(g):
    text = "推进老城区改造，壮大湖南县域经济，提高县级统筹水平，主城区。"
    assert g.find_in_text(text) == []
    assert g.find_in_text(text, within=g.get(DAPENG)) == []


def test_find_in_text_keeps_far_counties_with_home(g):
    text = "对口帮扶田林县。"
    found = g.find_in_text(text, within=g.get(DAPENG))
    assert [(s, e, a.code) for s, e, a in found] == [(4, 7, "451029")]


# ---------------------------------------------------------------- locate
@pytest.mark.parametrize("org, key", [
    ("深圳市大鹏新区政法办公室", DAPENG),
    ("大鹏新区政法办公室", DAPENG),
    ("深圳大鹏新区管理委员会", DAPENG),
    ("杭州市西湖区司法局", "330106"),
    ("南昌市西湖区人民政府", "360103"),
    ("广东省司法厅", "440000"),
    ("北京市朝阳区人民政府", "110105"),
    ("中共深圳市委政法委员会", "440300"),
    ("四川省成都市武侯区教育局", "510107"),
    ("新疆维吾尔自治区公安厅", "650000"),
    ("江苏省苏州市昆山市千灯镇人民政府", "320583108"),
    ("深圳市大鹏新区葵涌街道办事处", "440307009"),
    ("上海市浦东新区人民政府", "310115"),
])
def test_locate(g, org, key):
    assert g.locate(org).key == key


def test_locate_ambiguous_or_absent(g):
    assert g.locate("朝阳区司法局") is None  # 北京 or 长春
    assert g.locate("北京大学") is None  # a short name alone is no area
    assert g.locate("某某有限公司") is None


# ---------------------------------------------------------------- deixis
def test_deixis_dapeng(g):
    kc = g.get("440307009")
    dp = g.get(DAPENG)
    for home in (kc, dp):
        assert g.deixis("全国", home).key == "cn"
        assert g.deixis("国家", home).key == "cn"
        for w in ("全省", "省", "省级"):
            assert g.deixis(w, home).code == "440000"
        for w in ("全市", "市", "市级"):
            assert g.deixis(w, home).code == "440300"
        for w in ("全区", "区", "区级", "新区", "本区"):
            assert g.deixis(w, home) is dp
    for w in ("全街道", "街道", "本街道"):
        assert g.deixis(w, kc) is kc
        assert g.deixis(w, dp) is None
    assert g.deixis("哈哈", dp) is None


def test_deixis_municipality(g):
    cy = g.get("110105")
    bj = g.get("110000")
    assert g.deixis("全市", cy) is bj
    assert g.deixis("全省", cy) is bj
    assert g.deixis("全区", cy) is cy
    assert g.deixis("新区", cy) is None  # 朝阳区 is no 新区
    street = g.children(cy)[0]
    assert g.deixis("本街道", street) is street
    assert g.deixis("全市", street) is bj


def test_deixis_county_level_city_and_region(g):
    ks = g.get("320583")  # 昆山市, county-level city of 苏州市
    assert g.deixis("全市", ks) is ks
    assert g.deixis("全县", ks) is None
    tl = g.get("451029")  # 田林县, 广西
    assert g.deixis("全县", tl) is tl
    assert g.deixis("全区", tl).code == "450000"  # the autonomous region
    assert g.deixis("全市", tl).code == "451000"
    assert g.deixis("全区", g.get("440300")) is None


def test_deixis_words_cover_levels():
    assert {lv for lv, _ in DEIXIS_WORDS.values()} == {
        "country", "province", "city", "district", "subdistrict"}
