"""Extraction: scores against hand annotations, offsets, determinism, and the genre's patterns one by one."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest

import scoring
from govkg.export import extraction_records
from govkg.extract import extract
from govkg.pipeline import bundled_report
from govkg.reader import read_report

HERE = Path(__file__).parent
ANNOTATIONS = HERE / "annotations"
CORPUS = HERE / "corpus"
#: report file → minimum precision and recall, for every kind or per kind (the rest 0.85).
#: zhen-2019 and gonganju-2022 were written and annotated by a helper who never saw the extractor, and
#: scored before any rule was changed for them (first contact: entities 60/71 and 70/72, relations 86/42 and
#: 64/35, P/R %); rules were then generalised on them, so their floors guard today's scores, not a blind test.
#: The floors below 0.85 are regression guards a little under today's scores.
REPORTS = {
    "dapeng-zhengfa-2020.txt": (bundled_report(), 0.95),
    "jiedao-2021.txt": (CORPUS / "jiedao-2021.txt", 0.85),
    "sifaju-2022.html": (CORPUS / "sifaju-2022.html", 0.85),
    "zhen-2019.txt": (CORPUS / "zhen-2019.txt", {"entities": 0.80, "relations": 0.65}),
    "gonganju-2022.html": (CORPUS / "gonganju-2022.html", {"entities": 0.75, "relations": 0.60}),
    # A second blind set, scored after the first round of generalisation and before any change for it (first
    # contact, P/R %): fayuan entities 69/73 relations 62/46; jiedao-2022 65/73, 70/64; xinfang 60/73, 96/70.
    "fayuan-2021.txt": (CORPUS / "fayuan-2021.txt", {"entities": 0.70, "relations": 0.65}),
    "jiedao-2022.html": (CORPUS / "jiedao-2022.html", {"entities": 0.70, "relations": 0.80, "conferrals": 0.80}),
    "xinfang-2020.txt": (CORPUS / "xinfang-2020.txt", {"entities": 0.70, "relations": 0.75}),
}


def _annotation(name: str) -> Path:
    return ANNOTATIONS / (name.rsplit(".", 1)[0] + ".json")


@pytest.fixture(scope="module")
def extractions():
    return {name: extract(read_report(path)) for name, (path, _) in REPORTS.items()}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_scores_against_annotation(name, extractions, capsys):
    path, floor = REPORTS[name]
    gold = scoring.load(_annotation(name))
    assert gold["report"] == name
    scores = scoring.score(gold, extractions[name])
    with capsys.disabled():
        print("\n" + scoring.report(name, scores))
    floors = {k: floor if isinstance(floor, float) else floor.get(k, 0.85) for k in scores}
    low = {k: (round(s.precision, 3), round(s.recall, 3)) for k, s in scores.items() if min(s.precision, s.recall) < floors[k]}
    assert not low, f"below {floors}: {low}\n{scoring.diff(gold, extractions[name])}\n{scoring.fact_diff(gold, extractions[name])}"


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_mention_quotes_its_text(name, extractions):
    ex = extractions[name]
    mentions = ex.mentions()
    assert mentions
    for m in mentions:
        assert ex.document.text[m.start : m.end] == m.text, m


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_entity_and_fact_has_a_mention(name, extractions):
    ex = extractions[name]
    assert all(e.mentions for e in ex.entities.values())
    for group in (ex.relations, ex.conferrals, ex.observations, ex.rankings):
        assert all(f.mentions for f in group)
    keys = set(ex.entities)
    assert all(r.subject in keys and r.object in keys for r in ex.relations)
    assert all(c.recipient in keys and c.honour in keys for c in ex.conferrals)


def test_extraction_is_deterministic():
    a = json.dumps(extraction_records(extract(read_report(bundled_report()))), ensure_ascii=False)
    b = json.dumps(extraction_records(extract(read_report(bundled_report()))), ensure_ascii=False)
    assert a == b


def test_annotations_name_only_their_own_entities():
    for name in REPORTS:
        gold = scoring.load(_annotation(name))
        names = {scoring.norm(n) for e in gold["entities"] for n in (e["name"], *e.get("aliases", []))}
        for r in gold.get("relations", []):
            for end in (r["subject"], r["object"]):
                assert end.startswith("plan:") or scoring.norm(end) in names, (name, r)
        for c in gold.get("conferrals", []):
            assert scoring.norm(c["recipient"]) in names and scoring.norm(c["honour"]) in names, (name, c)


def _literals(path: Path) -> set[str]:
    """String constants in code, docstrings and comments excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs}


def test_no_name_from_an_annotated_report_is_written_into_the_code():
    """The extractor must hold for reports nobody has seen: no entity name of a test report in its code.

    Reference data may be named: well-known laws, national events and generic body names such as 管委会
    (lexicon.py)."""
    from govkg.extract.entities import _STANDALONE
    from govkg.extract.lexicon import COMPANY_SUFFIXES, GROUP_SUFFIXES, NATIONAL_EVENTS, ORG_SUFFIXES, WELL_KNOWN_LAWS

    generic = set(WELL_KNOWN_LAWS) | set(ORG_SUFFIXES) | set(GROUP_SUFFIXES) | set(COMPANY_SUFFIXES) | set(_STANDALONE)
    generic |= set(NATIONAL_EVENTS)
    # genre words the annotators of the real pages wrote as names (a publisher written only by its kind, the
    # party, a grade of prize, the party's nationwide campaign): vocabulary of the genre, not one report's names
    generic |= {"街道办事处", "中国共产党", "优秀奖", "主题教育"}

    src = Path(extract.__code__.co_filename).parent
    literals = set().union(*(_literals(p) for p in src.glob("*.py")))
    code = "\n".join(literals)
    golds = [(name, scoring.load(_annotation(name))) for name in REPORTS]
    golds += [(f"real/{p.name}", scoring.load(p)) for p in sorted((ANNOTATIONS / "real").glob("*.json"))]
    for name, gold in golds:
        for e in gold["entities"]:
            n = scoring.norm(e["name"])
            if len(n) >= 3 and n not in generic:
                assert n not in code, f"{n!r} from {name} appears in the extractor's code"


# -- the genre's patterns, one at a time, on sentences written for these tests -------------------------

HEADER = "索引号: 11330106002489265K/2022-00017\n发布机构: 杭州市西湖区司法局\n名称: 西湖区司法局2021年工作总结\n\n"


def _ex(body: str):
    return extract(read_report((HEADER + body).encode("utf-8"), name="t.txt"))


def _names(ex, typ):
    return sorted(e.name for e in ex.entities.values() if e.type == typ)


@pytest.mark.parametrize(
    "sentence, value, unit, qualifier, cumulative",
    [
        ("签订承诺书1.2万份。", Decimal(12000), "份", "rounded", False),
        ("完成约300栋出租屋分级。", Decimal(300), "栋", "approx", False),
        ("收到锦旗80余份。", Decimal(80), "份", "more-than", False),
        ("累计开展排查7506人次。", Decimal(7506), "人次", "exact", True),
        ("上报率100%。", Decimal(100), "%", "exact", False),
        ("全年未发生1起安全事故。", Decimal(0), "起", "exact", False),
        ("完成投资3.5亿元。", Decimal(350000000), "元", "rounded", False),
    ],
)
def test_figures(sentence, value, unit, qualifier, cumulative):
    obs = _ex(sentence).observations
    assert len(obs) == 1
    o = obs[0]
    assert (o.value, o.unit, o.qualifier, o.cumulative) == (value, unit, qualifier, cumulative)


def test_years_ordinals_and_numbers_in_names_are_not_figures():
    ex = _ex("2021年，打造“500米法律服务圈”，一是强化保障，排名第2。")
    assert [o.as_stated for o in ex.observations] == []


def test_rankings_and_claims_resolve_their_scope_from_the_publisher():
    ex = _ex("群众满意度全区排名第1，8项指标有7项排在全市前三。建成全省首个社区矫正中心，在全区率先实行分类管理。")
    got = sorted((r.kind, r.scope_word, r.rank, r.count, r.of) for r in ex.rankings)
    assert ("rank", "全区", 1, None, None) in got
    assert ("top", "全市", 3, 7, 8) in got
    assert ("first", "全省", None, None, None) in got
    assert ("first", "全区", None, None, None) in got
    scopes = {r.scope_word: ex.entities[r.scope].name for r in ex.rankings if r.scope in ex.entities}
    assert scopes.get("全区") == "西湖区" and scopes.get("全市") == "杭州市" and scopes.get("全省") == "浙江省"


def test_conferral_with_recipient_level_and_year():
    ex = _ex("北山司法所被授予“全国模范司法所”荣誉称号。调解员李明获评省级“金牌调解员”称号。")
    confs = {(ex.entities[c.recipient].name, ex.entities[c.honour].name, c.level) for c in ex.conferrals}
    assert ("北山司法所", "全国模范司法所", "national") in confs
    assert ("李明", "金牌调解员", "provincial") in confs


def test_pilot_list_is_open_and_communities_are_named():
    ex = _ex("以古荡、嘉绿等社区为试点，探索“邻里帮帮团”模式。")
    assert {"古荡社区", "嘉绿社区"} <= set(_names(ex, "Community"))
    pilots = [r for r in ex.relations if r.predicate == "pilotArea"]
    assert {ex.entities[r.object].name for r in pilots} == {"古荡社区", "嘉绿社区"}
    assert all(r.open_list for r in pilots)
    subjects = {r.subject for r in pilots}
    assert len(subjects) == 1
    e = ex.entities[subjects.pop()]
    assert "邻里帮帮团" in {e.name, *e.aliases}


def test_subdistrict_community_and_office_senses():
    ex = _ex("文新街道益乐社区成功创建省级“民主法治示范社区”。文新街道办事处综治中心的工作人员王芳获评“优秀网格员”。")
    rel = _relation_names(ex)
    assert ("益乐社区", "withinArea", "文新街道") in rel
    assert any(r[:2] == ("王芳", "memberOf") and r[2].endswith("文新街道办事处综治中心") for r in rel)
    assert "文新街道" in _names(ex, "Subdistrict")


def test_documents_and_well_known_laws():
    ex = _ex("深入贯彻《中华人民共和国法律援助法》，结合民法典宣传月，印发《关于加强调解工作的意见》。")
    assert set(_names(ex, "NormativeDocument")) >= {"中华人民共和国法律援助法", "民法典", "关于加强调解工作的意见"}


def test_leading_group_and_company():
    ex = _ex("成立由区长任组长的西湖区平安建设领导小组，引导浙江绿城物业服务集团有限公司参与“平安小区”创建。")
    assert "西湖区平安建设领导小组" in " ".join(_names(ex, "LeadingGroup"))
    assert "浙江绿城物业服务集团有限公司" in _names(ex, "Company")


def test_report_without_header_still_works():
    ex = extract(read_report("葵涌司法所被授予“全国公共法律服务工作先进集体”荣誉称号。".encode(), name="bare.txt"))
    assert any(e.type == "Honour" for e in ex.entities.values())
    assert ex.conferrals


def _report(header: str, body: str, name: str):
    return extract(read_report((header + body).encode("utf-8"), name=name))


def _relation_names(ex) -> set[tuple[str, str, str]]:
    """(subject name, predicate, object name) of every relation."""
    return {(ex.entities[r.subject].name, r.predicate, ex.entities[r.object].name) for r in ex.relations}


def _town_report(body: str):
    header = "【发布机构】西峡县丁河镇人民政府\n\n丁河镇2019年工作总结\n\n"
    return _report(header, body, "town.txt")


def test_village_common_nouns_are_not_villages():
    ex = _town_report("一、工作\n推进农村人居环境整治，选派驻村干部，培养村级后备干部，建成通村公路，力争木寨村、奎文村脱贫出列，贫困村全部出列。\n")
    villages = sorted(e.name for e in ex.entities.values() if e.type == "Community")
    assert villages == ["奎文村", "木寨村"]


def test_level_word_bodies_are_the_home_areas():
    ex = _town_report("一、工作\n丁河镇在县委、县政府的领导下，镇党委、镇人大、镇纪委和县交通运输局共同推进。大鹏新区党工委印发通知。\n")
    orgs = {e.name: e for e in ex.entities.values() if e.type == "PublicOrganisation"}
    for short, full in (("县委", "西峡县委"), ("镇党委", "丁河镇党委"), ("镇人大", "丁河镇人大"), ("镇纪委", "丁河镇纪委"), ("县交通运输局", "西峡县交通运输局")):
        found = [e for e in orgs.values() if e.name.endswith(full)]
        assert found and short in found[0].aliases, (short, sorted(orgs))
    assert any(e.name.endswith("大鹏新区党工委") for e in orgs.values())  # 区 ends the area's name here
    juris = {(ex.entities[r.subject].name, ex.entities[r.object].name) for r in ex.relations if r.predicate == "jurisdiction"}
    assert any(s.endswith("丁河镇党委") and o == "丁河镇" for s, o in juris)


def test_short_form_of_the_publisher_and_a_body_leading_its_programme():
    header = "发布机构：常州市公安局武进分局\n\n2022年工作总结\n\n"
    body = "一、工作\n武进分局反诈中心荣立集体二等功。网安大队开展“净网2022”专项行动。武进分局成立工作专班。\n"
    ex = _report(header, body, "short.txt")
    orgs = {e.name: e for e in ex.entities.values() if e.type == "PublicOrganisation"}
    assert not any(n.endswith("分局") and n != "常州市公安局武进分局" for n in orgs), sorted(orgs)
    assert "武进分局" in orgs["常州市公安局武进分局"].aliases
    leads = {(ex.entities[r.subject].name, ex.entities[r.object].name) for r in ex.relations if r.predicate == "leadBy"}
    assert any(s.startswith("净网2022") and o.endswith("网安大队") for s, o in leads), leads
    honours = {ex.entities[c.honour].name for c in ex.conferrals}
    assert honours == {"集体二等功"}


def test_zones_branches_and_the_publishers_own_posts():
    header = "发布机构：常州市公安局武进分局\n\n2022年工作总结\n\n"
    body = (
        "一、工作\n武进区各派出所为武进国家高新技术产业开发区企业提供上门服务。成立由分局政委刘卫东任组长的专项打击工作领导小组。"
        "以湖塘派出所、礼嘉派出所为试点，推行“一村一警务助理”。为世界级滨海生态旅游度假区建设护航。\n"
    )
    ex = _report(header, body, "zones.txt")
    names = {e.name: e for e in ex.entities.values()}
    rel = _relation_names(ex)
    assert names["武进国家高新技术产业开发区"].type == "District"
    assert ("武进国家高新技术产业开发区", "withinArea", "武进区") in rel
    assert not any("世界级" in n for n in names)  # a goal, not a zone
    assert ("常州市公安局武进分局", "jurisdiction", "武进区") in rel  # the sub-bureau serves its district
    assert ("刘卫东", "memberOf", "常州市公安局武进分局") in rel  # 分局 before a post is the publisher
    assert {(s, p) for s, p, o in rel if o.endswith("湖塘派出所")} == {("一村一警务助理", "participant")}


def test_passive_subjects_series_and_ranks_among_a_group():
    ex = _ex(
        "一、工作\n刁镇人民法庭在旧军村设立“法官驿站”，全年调处纠纷209件，被山东省高级人民法院授予“全省优秀人民法庭”称号。"
        "学府社区被应急管理部等部门命名为“全国综合减灾示范社区”。推行“网上信、掌上访、视频约”，审判质效综合指数位居全市基层法院第2位。"
        "核桃箐社区党委书记杨春梅带头参加。\n"
    )
    confs = {(ex.entities[c.recipient].name, ex.entities[c.honour].name, c.level) for c in ex.conferrals}
    assert any(r.endswith("刁镇人民法庭") and h == "全省优秀人民法庭" and lv == "provincial" for r, h, lv in confs), confs
    assert any(r.endswith("学府社区") and h == "全国综合减灾示范社区" and lv == "national" for r, h, lv in confs)
    assert "网上信、掌上访、视频约" in _names(ex, "Initiative")
    assert [(r.scope_word, r.rank) for r in ex.rankings if r.kind == "rank"] == [("全市", 2)]
    orgs = _names(ex, "PublicOrganisation")
    assert any(o.endswith("核桃箐社区党委") for o in orgs) and not any(o.endswith("区党委") and "社区" not in o for o in orgs)


def test_court_reports_hotlines_and_systems():
    header = "发布机构：济南市章丘区人民法院\n\n济南市章丘区人民法院工作报告\n\n济南市章丘区人民法院代院长　刘志强\n\n"
    body = (
        "一、工作回顾\n章丘法院执行局局长李国栋带队开展执行攻坚。刁镇人民法庭设立“法官驿站”。"
        "开通12368诉讼服务热线，落实认罪认罚从宽制度，扎实开展党史学习教育。\n"
    )
    ex = _report(header, body, "court.txt")
    names = {e.name: e for e in ex.entities.values()}
    rel = _relation_names(ex)
    court = "济南市章丘区人民法院"
    assert "章丘法院" in names[court].aliases  # a district's short name before 法院
    assert ("章丘法院执行局", "subOrganizationOf", court) in rel
    assert ("刁镇人民法庭", "subOrganizationOf", court) in rel
    assert (court, "headedBy", "刘志强") in rel  # a post and a name on the report's signature line
    inits = _names(ex, "Initiative")
    assert {"12368诉讼服务热线", "认罪认罚从宽制度", "党史学习教育"} <= set(inits), inits


def test_the_garbage_collector_is_paused_only_during_extraction(monkeypatch):
    import gc

    gx = __import__("sys").modules["govkg.extract"]
    doc = read_report("葵涌司法所被授予“全国公共法律服务工作先进集体”荣誉称号。".encode())
    seen = []
    real = gx._publisher
    monkeypatch.setattr(gx, "_publisher", lambda ctx: (seen.append(gc.isenabled()), real(ctx)))
    assert gc.isenabled()
    extract(doc)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        extract(doc)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()

    def boom(ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(gx, "_publisher", boom)
    with pytest.raises(RuntimeError):
        extract(doc)
    assert gc.isenabled()


def test_both_sides_of_with_take_part_in_what_they_set_up():
    ex = _ex("一、工作\n前黄派出所与前黄镇人民政府共同建立“反诈进村”积分制度，全年积分兑换300次。\n")
    part = {(ex.entities[r.subject].name, ex.entities[r.object].name) for r in ex.relations if r.predicate == "participant"}
    assert any(s == "反诈进村" and o.endswith("前黄派出所") for s, o in part), part
    assert any(s == "反诈进村" and o.endswith("前黄镇人民政府") for s, o in part), part


# -- honours in the forms real pages use (sentences written for these tests) --------------------------------


def _conferrals(ex):
    E = ex.entities
    return sorted((E[c.recipient].name, E[c.honour].name, c.level) for c in ex.conferrals)


def test_honours_named_without_quotes_end_in_a_head_and_a_unit():
    ex = _ex("一、工作成效\n西湖区被市委市政府评为全市人民调解工作先进区，区司法局被评为全省“七五”普法中期成绩突出单位。\n")
    got = _conferrals(ex)
    assert ("西湖区", "全市人民调解工作先进区", "municipal") in got
    assert any(h == "全省“七五”普法中期成绩突出单位" and lvl == "provincial" for _r, h, lvl in got)


def test_a_person_with_a_role_receives_a_quoted_honour_whose_name_ends_in_a_unit():
    ex = _ex("一、工作成效\n调解员林小青荣获“全国模范人民调解员”荣誉称号。\n")
    assert ("林小青", "全国模范人民调解员", "national") in _conferrals(ex)


def test_honours_in_a_row_with_no_recipient_written_go_to_the_publisher():
    ex = _ex("一、工作成效\n全年完成实事项目49项，获得“全国群众体育先进单位”“浙江省法治建设示范单位”等荣誉。\n")
    got = _conferrals(ex)
    assert [h for _r, h, _l in got] == ["全国群众体育先进单位", "浙江省法治建设示范单位"]
    assert {r for r, _h, _l in got} == {"杭州市西湖区司法局"}


def test_two_honours_joined_by_he_are_two():
    ex = _ex("一、工作成效\n区司法局两个视频分别被评为2022年度浙江优秀法治微视频三等奖和优秀奖。\n")
    assert sorted(h for _r, h, _l in _conferrals(ex)) == ["优秀奖", "浙江优秀法治微视频三等奖"]


def test_a_numbered_heading_is_never_the_title_of_a_page_without_one():
    doc = read_report(("2023年，县司法局各项工作取得了新进展新成效，全年调解纠纷120件。\n一、2023年工作总结\n1.完成。\n").encode(), name="t.txt")
    assert doc.metadata.title is None


def test_a_subdistrict_name_several_places_share_is_the_one_whose_district_the_page_names():
    page = "白杨街道2022年工作总结\n\n一、工作成效\n街道在钱塘区委的领导下，全年调解纠纷12件。\n"
    ex = extract(read_report(page.encode(), name="t.txt"))
    assert ex.home == "330114002"
    alone = extract(read_report("白杨街道2022年工作总结\n\n一、工作成效\n全年调解纠纷12件。\n".encode(), name="t.txt"))
    assert alone.home is None  # two 白杨街道 and nothing to tell them apart: no guess


def test_people_named_before_a_post_or_tongzhi():
    ex = _ex("一、工作成效\n认真学习周明远同志的讲话精神，落实程建华书记的部署，全体同志和党支部书记积极参与。\n")
    assert _names(ex, "Person") == ["周明远", "程建华"]


def test_a_level_word_before_a_quote_that_is_only_part_of_the_name_stays_in_the_name():
    ex = _ex("一、工作成效\n区司法局获评全国“八五”普法中期先进单位。\n")
    assert ("杭州市西湖区司法局", "全国“八五”普法中期先进单位", "national") in _conferrals(ex)


def test_a_year_range_and_a_count_of_years_between_recipient_verb_and_honour():
    ex = _ex("一、工作成效\n区司法局连续三年获评“浙江省信访工作示范单位”，区司法局荣获2016-2020年“全国普法工作先进单位”称号。\n")
    got = _conferrals(ex)
    assert ("杭州市西湖区司法局", "浙江省信访工作示范单位", "provincial") in got
    assert ("杭州市西湖区司法局", "全国普法工作先进单位", "national") in got
    assert {c.year for c in ex.conferrals} >= {2020}


def test_a_city_receives_an_honour_and_a_unit_after_a_longer_middle_is_found():
    ex = _ex("一、工作成效\n杭州市成功获评第二批“全国法治政府建设示范市”。区司法局获评全国科普日优秀组织单位。\n")
    got = _conferrals(ex)
    assert ("杭州市", "全国法治政府建设示范市", "national") in got
    assert ("杭州市西湖区司法局", "全国科普日优秀组织单位", "national") in got


def test_the_reports_own_area_named_by_a_bare_context_word_receives_an_honour():
    page = "名称: 北山街道2022年工作总结\n发布机构: 杭州市西湖区北山街道办事处\n\n一、工作成效\n街道荣获“全国科普日优秀组织单位”等荣誉。\n"
    ex = extract(read_report(page.encode(), name="t.txt"))
    assert ex.home is not None
    E = ex.entities
    assert [(E[c.recipient].type, E[c.recipient].name) for c in ex.conferrals] == [("Subdistrict", "北山街道")]


def test_an_honour_for_an_area_goes_to_the_area_when_no_recipient_is_written():
    page = "名称: 北山街道2022年工作总结\n发布机构: 杭州市西湖区北山街道办事处\n\n一、工作成效\n化解信访积案，连续两年被评为全省“信访工作示范街道”。\n"
    ex = extract(read_report(page.encode(), name="t.txt"))
    E = ex.entities
    assert [(E[c.recipient].type, E[c.honour].name) for c in ex.conferrals] == [("Subdistrict", "信访工作示范街道")]


@pytest.mark.parametrize(
    "sentence, value, unit, qualifier",
    [
        ("投入资金2300余万元。", Decimal(23000000), "元", "more-than"),
        ("投入资金2300万元。", Decimal(23000000), "元", "exact"),
        ("排查隐患三千余处。", Decimal(3000), "处", "more-than"),
        ("培训两万余人次。", Decimal(20000), "人次", "more-than"),
        ("占比百分之十二点五。", Decimal("12.5"), "%", "exact"),
        ("开展十余项活动。", Decimal(10), "项", "more-than"),
        ("历时七个多月。", Decimal(7), "个月", "more-than"),
    ],
)
def test_money_on_one_scale_and_figures_in_chinese_numerals(sentence, value, unit, qualifier):
    ex = _ex("一、工作成效\n" + sentence + "\n")
    assert [(o.value, o.unit, o.qualifier) for o in ex.observations] == [(value, unit, qualifier)]
    for o in ex.observations:
        m = o.mentions[0]
        assert ex.document.text[m.start : m.end] == m.text == o.as_stated


@pytest.mark.parametrize(
    "sentence",
    ["落实一次性告知。", "做到一户一档。", "走进千家万户。", "二〇二三年。", "落实三项制度。", "问题一项项解决。", "党的十九届五中全会。", "排名第三个。"],
)
def test_chinese_numerals_that_are_no_figures(sentence):
    assert _ex("一、工作成效\n" + sentence + "\n").observations == []


@pytest.mark.parametrize(
    "sentence, change",
    [("发案率同比下降0.1个百分点。", "decrease"), ("收入同比增长12.5%。", "increase"), ("较上年减少3起。", "decrease"), ("调解纠纷120件。", None)],
)
def test_the_direction_of_a_stated_change(sentence, change):
    ex = _ex("一、工作成效\n" + sentence + "\n")
    assert [o.change for o in ex.observations] == [change]
