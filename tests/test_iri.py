"""Tests for govkg.iri: slugs and deterministic IRIs."""

from __future__ import annotations

import pytest

from govkg import iri as I
from govkg.errors import ExtractionError
from govkg.model import Document, Entity, Metadata

ID = "https://w3id.org/govkg/id/"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("葵涌街道", "kui-chong-jie-dao"),  # override: pypinyin says kui-yong
        ("溪涌社区", "xi-chong-she-qu"),
        ("新涌社区", "xin-chong-she-qu"),  # 涌 before a place suffix
        ("涌现", "yong-xian"),  # ordinary word keeps pypinyin's reading
        ("“三调联动”工作机制", "san-tiao-lian-dong-gong-zuo-ji-zhi"),
        ("南澳", "nan-ao"),
        ("绿色GDP", "lv-se-gdp"),
        ("《民法典》", "min-fa-dian"),
        ("第1名", "di-1-ming"),
    ],
)
def test_slug(name, expected):
    assert I.slug(name) == expected


def test_slug_long_names_are_cut_with_hash():
    name = "中华人民共和国" * 6
    s = I.slug(name)
    assert len(s) <= 60
    assert s.rsplit("--", 1)[1] == I.hashlib.sha1(name.encode()).hexdigest()[:6]
    assert I.slug(name + "一") != s


def test_slug_is_never_empty():
    assert I.slug("“”") and I.slug("“”") != I.slug("《》")


def _ents(*es: Entity) -> dict[str, Entity]:
    return {e.key: e for e in es}


def test_entity_iri_precedence():
    city = Entity("c", "City", "深圳市", attrs={"code": "440300"})
    assert I.entity_iri(city, _ents(city)) == I.ID["area/440300"]
    org = Entity("o", "PublicOrganisation", "某局", parent="c", attrs={"uscc": "11440300mb2c1719xa"})
    assert str(I.entity_iri(org, _ents(city, org))) == ID + "org/uscc/11440300MB2C1719XA"
    fixed = Entity("f", "Subdistrict", "葵涌街道", attrs={"iri": "area/440307/kuichong", "code": "440307009"})
    assert str(I.entity_iri(fixed, _ents(fixed))) == ID + "area/440307/kuichong"
    cn = Entity("cn", "Country", "中国")
    assert str(I.entity_iri(cn, _ents(cn))) == ID + "area/cn"
    # a 9-digit code is an attribute, not the IRI key
    sub = Entity("s", "Subdistrict", "葵涌街道", parent="c", attrs={"code": "440307009"})
    assert str(I.entity_iri(sub, _ents(city, sub))) == ID + "area/440300/kui-chong-jie-dao"


def test_entity_iri_paths_and_prefix_stripping():
    city = Entity("c", "City", "深圳市", attrs={"code": "440300"})
    sub = Entity("s", "Subdistrict", "葵涌街道", parent="c")
    office = Entity("o", "PublicOrganisation", "深圳市葵涌街道办事处", parent="s")
    station = Entity("j", "PublicOrganisation", "葵涌司法所", parent="s")
    place = Entity("p", "Place", "葵涌生态法治公园", parent="s")
    comm = Entity("k", "Community", "葵涌社区", parent="s")  # areas keep their own names
    ents = _ents(city, sub, office, station, place, comm)
    assert str(I.entity_iri(office, ents)) == ID + "org/440300/kui-chong-jie-dao/ban-shi-chu"
    assert str(I.entity_iri(station, ents)) == ID + "org/440300/kui-chong-jie-dao/si-fa-suo"
    assert str(I.entity_iri(place, ents)) == ID + "place/440300/kui-chong-jie-dao/sheng-tai-fa-zhi-gong-yuan"
    assert str(I.entity_iri(comm, ents)) == ID + "area/440300/kui-chong-jie-dao/kui-chong-she-qu"
    company = Entity("x", "Company", "华侨城鹏城发展有限公司")
    assert str(I.entity_iri(company, _ents(company))) == ID + "org/ent/hua-qiao-cheng-peng-cheng-fa-zhan-you-xian-gong-si"
    init = Entity("i", "Initiative", "扫黑除恶专项斗争")
    assert str(I.entity_iri(init, _ents(init))) == ID + "initiative/sao-hei-chu-e-zhuan-xiang-dou-zheng"


def test_person_iri_depends_on_name_and_anchor_only():
    org = Entity("o", "PublicOrganisation", "法律援助工作站")
    p = Entity("p", "Person", "张浩", parent="o")
    iri = str(I.entity_iri(p, _ents(org, p)))
    digest = I.hashlib.sha1(("张浩|" + ID + "org/fa-lv-yuan-zhu-gong-zuo-zhan").encode()).hexdigest()[:8]
    assert iri == ID + f"person/zhang-hao--{digest}"
    alone = Entity("p", "Person", "张浩")
    assert str(I.entity_iri(alone, _ents(alone))) != iri


def test_same_key_same_iri_regardless_of_other_entities():
    city = Entity("c", "City", "深圳市", attrs={"code": "440300"})
    org = Entity("o", "PublicOrganisation", "深圳市网格管理中心", parent="c")
    other = Entity("z", "Honour", "先进集体")
    assert I.entity_iri(org, _ents(city, org)) == I.entity_iri(org, _ents(other, city, org))


def test_bad_parents_raise():
    a = Entity("a", "Place", "甲地", parent="missing")
    with pytest.raises(ExtractionError, match="unknown parent"):
        I.entity_iri(a, _ents(a))
    b = Entity("b", "Place", "乙地", parent="c")
    c = Entity("c", "Place", "丙地", parent="b")
    with pytest.raises(ExtractionError, match="ancestor"):
        I.entity_iri(b, _ents(b, c))


def test_names_that_read_alike_get_a_suffix_of_their_own_name():
    a = Entity("Community:x/溪涌社区", "Community", "溪涌社区")
    b = Entity("Community:y/西涌社区", "Community", "西涌社区")
    iris = I.mint_entity_iris(_ents(a, b))
    assert iris[a.key] != iris[b.key]
    assert all(str(v).startswith(ID + "area/xi-chong-she-qu--") for v in iris.values())
    # the suffix is the name's, not the key's: the same in another report with other keys
    c = Entity("Community:z/溪涌社区", "Community", "溪涌社区")
    assert I.mint_entity_iris(_ents(c, b))[c.key] == iris[a.key]


def test_one_body_written_two_ways_shares_its_iri():
    city = Entity("City:/北京市", "City", "北京市", attrs={"code": "110100"})
    area = Entity("District:北京市/西城区", "District", "西城区", parent=city.key, attrs={"code": "110102"})
    a = Entity("PublicOrganisation:北京市西城区人民政府", "PublicOrganisation", "北京市西城区人民政府", parent=area.key)
    b = Entity("PublicOrganisation:西城区人民政府", "PublicOrganisation", "西城区人民政府", parent=area.key)
    iris = I.mint_entity_iris(_ents(city, area, a, b))
    assert iris[a.key] == iris[b.key] == I.entity_iri(b, _ents(city, area, b))
    assert str(iris[a.key]) == ID + "org/110102/ren-min-zheng-fu"


def test_document_and_fact_iris():
    d = Document("x", "正文。", "<stdin>", "ab" * 32, metadata=Metadata(index_number="1144 0300/2021-00058"))
    doc = I.document_iri(d)
    key = "1144%200300/2021-00058/" + "ab" * 6
    assert str(doc) == ID + "doc/" + key
    # the same 索引号 with another text is another document
    other = Document("x", "正文二。", "<stdin>", "cd" * 32, metadata=d.metadata)
    assert I.document_iri(other) != doc
    plain = Document("x", "正文。", "<stdin>", "ab" * 32)
    assert str(I.document_iri(plain)) == ID + "doc/sha256-" + "ab" * 8
    assert str(I.mention_iri(doc, 3, 7)) == str(doc) + "/text#char=3,7"
    assert str(I.observation_iri(doc, 3, 7)) == ID + f"obs/{key}/3-7"
    assert str(I.ranking_iri(doc, 3, 7)) == ID + f"rank/{key}/3-7"
    assert str(I.plan_iri(doc, 2)) == ID + f"plan/{key}/2"
    assert str(I.period_iri(2020)) == ID + "period/2020"
    # conferrals and relation statements belong to the report that states them
    c = I.conferral_iri(doc, "r", "h", 2020)
    assert str(c) == ID + f"conferral/{key}/" + I.hashlib.sha1(b"r|h|2020").hexdigest()[:10]
    assert I.conferral_iri(doc, "r", "h", None) != c
    assert I.conferral_iri(I.document_iri(plain), "r", "h", 2020) != c
    s = I.statement_iri(doc, "s", "p", "o")
    assert str(s) == ID + f"stmt/{key}/" + I.hashlib.sha1(b"s|p|o").hexdigest()[:12]
    assert str(I.concept_iri("indicator", "走访房屋")) == "https://w3id.org/govkg/concept/indicator/zou-fang-fang-wu"
