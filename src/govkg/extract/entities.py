"""Entity extractors: each reads the context and adds hits (areas, bodies, people, places, documents, programmes)."""

from __future__ import annotations

import re
from bisect import bisect_left

from .context import Context, Hit, is_han
from .lexicon import (
    BOUNDARY_WORDS,
    COMPANY_SUFFIXES,
    COURT_DIVISIONS,
    GROUP_SUFFIXES,
    HONOUR_SUFFIXES,
    INITIATIVE_SUFFIXES,
    NOT_NAMES,
    ORG_SUFFIXES,
    PERSON_POSTS_AFTER,
    PERSON_ROLES,
    PLACE_SUFFIXES,
    SURNAMES,
    WELL_KNOWN_LAWS,
)
from .names import anchored, iter_suffix_names, name_start, suffix_regex

__all__ = [
    "LEVEL_TYPE",
    "areas",
    "deixis",
    "organisations",
    "persons",
    "places",
    "roads",
    "documents",
    "initiatives",
    "canonical_org_name",
    "short_names",
]

LEVEL_TYPE = {
    "country": "Country",
    "province": "Province",
    "city": "City",
    "district": "District",
    "subdistrict": "Subdistrict",
    "community": "Community",
}
AREA_TYPES = frozenset(LEVEL_TYPE.values())
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
#: Adjectives and generic words that precede 社区/街道 without naming one.
_NOT_AREA_STEMS = frozenset(
    "示范 文明 和谐 平安 智慧 绿色 美丽 幸福 安全 法治 无毒 模范 先进 星级 城中村 辖区 所在 试点 各个 全部 相关 重点 "
    "周边 老旧 农村 城市 基层 民主法治示范 民主法治 无邪教 五星 红色 数字 未来 儿童友好 宜居 消防安全 特色 所辖 其他 "
    "个别 少数 多个 部分 全体 新建 涉及 覆盖 有关 各类 全区 全市 全省 全街道 首批 本 该 各 全 小区 居民 "
    "和谐 社区 服务 矫正 治理 网格 党建 平安服务 城中 城郊 城乡 农村 行政 自然 中心".split()
)
#: Words after 社区/街道 that make it a modifier of a generic term (社区矫正 = community corrections).
_MODIFIED = ("矫正", "戒毒", "康复", "民警", "干部", "工作者", "居民", "群众", "建设", "治理", "服务", "层面", "一级")


#: Common nouns ending in 社区/街道/镇/村 that name no particular area (农村, 驻村, 贫困村, 城中村).
_AREA_NOUNS = (
    "城镇", "乡镇", "村镇", "集镇", "小镇", "重镇", "名镇", "特色小镇", "城中村", "乡村", "农村", "驻村", "通村", "进村", "入村",
    "到村", "下村", "回村", "全村", "各村", "每村", "本村", "该村", "村村", "镇村", "县乡村", "贫困村", "示范村", "重点村", "空壳村",
    "薄弱村", "涣散村", "出列村", "行政村", "自然村", "中心村", "新村", "山村", "渔村", "边村", "穷村", "强村", "富村", "一村",
)
#: What follows 村 when it is a common noun's first character (村级组织, 村民, 村集体).
_VILLAGE_NOUN_HEADS = ("级", "民", "组", "干部", "务", "集体", "庄", "容", "貌", "道", "规", "内", "里", "情", "居", "委会委员", "两委", "社区")
#: Last characters of a body's name: a stem ending in one is no place name (县交通运输局|村…).
_BODY_ENDS = frozenset("局委办部厅")

#: Characters that never occur in a two-character place name's stem.
_STOP_CHARS = frozenset("的在和与及对为被等了个各该其所是将把从向由以于即并或")


def _modifier_use(text: str, end: int) -> bool:
    return text.startswith(_MODIFIED, end) and not text.startswith(("服务中心", "服务站", "工作站"), end
)


def _area_hit(area, start: int, end: int, resolution: str = "exact-name", alias: str | None = None) -> Hit:
    aliases = {a for a in (area.short, alias) if a and a != area.name}
    return Hit(start, end, LEVEL_TYPE[area.level], area.name, tuple(sorted(aliases)), resolution, area=area)


def _home_district(ctx: Context):
    home = ctx.home
    if home is None:
        return None
    if home.level in ("subdistrict", "community"):
        for a in ctx.gaz.ancestors(home):
            if a.level == "district":
                return a
    return home


def areas(ctx: Context) -> None:
    """Administrative areas by name (reference data), 街道/社区 by pattern, and lists of bare community names."""
    text, gaz = ctx.text, ctx.gaz
    within = _home_district(ctx)
    for s, e, area in gaz.find_in_text(text, within=within):
        if area.level == "community" and _modifier_use(text, e):
            continue
        if s >= ctx.body_start or area.level in ("district", "city", "province"):
            ctx.add(_area_hit(area, s, e))
    # X办事处 / X街道 / X镇 used as an area, followed by a community: 葵涌办事处溪涌社区
    for m in anchored(_OFFICE_AREA, _OFFICE_ANCHOR, text, 0):
        if m.start() < ctx.body_start or ctx.in_quotes(m.start(), m.end()):
            continue
        stem = m.group(1)
        s = name_start(ctx, m.start(1) + len(stem))
        stem = text[s : m.end(1)]
        if len(stem) < 2:
            continue
        sub = _subdistrict(ctx, stem, within)
        if ctx.covered(s, m.end(2), {"Subdistrict"}):
            continue
        if sub is not None:
            ctx.add(_area_hit(sub, s, m.end(2), "alias", alias=text[s : m.end(2)]))
        else:
            name = stem + ("镇" if m.group(2) == "镇" else "街道")
            ctx.add(Hit(s, m.end(2), "Subdistrict", name, (text[s : m.end(2)], stem), "alias"))
    # Y社区 / Y街道 / Y镇 / Y村 not in the reference data
    for m in re.finditer(r"社区|街道|镇|村", text):
        e = m.end()
        if e <= ctx.body_start or ctx.covered(m.start(), e, AREA_TYPES) or ctx.in_quotes(m.start(), e):
            continue
        if _modifier_use(text, e) or text.endswith(_AREA_NOUNS, 0, e):
            continue
        if m.group() == "村" and text.startswith(_VILLAGE_NOUN_HEADS, e):
            continue  # 村级, 村民, 村干部: 村 as a common noun
        if m.group() == "街道" and text[e : e + 3] in ("办事处", "政法委", "综治办") or text[e : e + 1] in "办委":
            continue
        s = _area_stem_start(ctx, m.start())
        if s is None:
            continue
        stem = text[s : m.start()]
        level = "Community" if m.group() in ("社区", "村") else "Subdistrict"
        ctx.add(Hit(s, e, level, stem + m.group(), (stem,) if len(stem) >= 2 else ()))
    _bare_lists(ctx, within)
    _zones(ctx, within)


#: Functional areas (the guide counts them as districts): 武进国家高新技术产业开发区, 太湖湾旅游度假区.
_ZONE = re.compile("高新技术产业开发区|经济技术开发区|经济开发区|旅游度假区|度假区|综合保税区|保税区|高新区|开发区|经开区")
_NOT_ZONE_STEMS = ("国家级", "省级", "市级", "各类", "各级", "国家", "重点", "全市", "全省", "全区", "各", "省", "市")


def _zones(ctx: Context, within) -> None:
    text = ctx.text
    city = ctx.gaz.deixis("全市", ctx.home) if ctx.home is not None else None
    for m in _ZONE.finditer(text, ctx.body_start):
        s, e = m.span()
        if ctx.covered(s, e) or ctx.in_quotes(s, e):
            continue
        start = name_start(ctx, s, limit=12)
        stem = text[start:s]
        if not 2 <= len(stem) <= 5 or stem in _NOT_ZONE_STEMS or "级" in stem or "类" in stem or not all(is_han(c) for c in stem):
            continue  # 世界级滨海生态旅游度假区 describes a goal
        ctx.add(Hit(start, e, "District", text[start:e]))
        for n in (2, 3):  # a district's short name heading the zone's name: 武进|国家高新技术产业开发区
            found = [
                a for a in ctx.gaz.lookup(stem[:n], within=within)
                if a.short == stem[:n] and a.level == "district" and city is not None and ctx.gaz.is_within(a, city)
            ]
            if found and len(stem) > n:
                ctx.add(_area_hit(found[0], start, start + n, "alias", alias=stem[:n]))
                break


_OFFICE_AREA = re.compile(rf"({_HAN}{{2,4}}?)(办事处|街道办事处|街道|镇)(?=({_HAN}{{2,4}}?)(社区|村))")
_OFFICE_ANCHOR = re.compile("办事处|街道|镇")


def _subdistrict(ctx: Context, stem: str, within):
    for cand in (stem + "街道", stem + "镇", stem + "乡"):
        found = [a for a in ctx.gaz.lookup(cand, within=within) if a.level == "subdistrict"]
        if found and (within is None or within in ctx.gaz.ancestors(found[0])):
            return found[0]
    return None


_AREAS_AND_BODIES = AREA_TYPES | {"PublicOrganisation"}
_NOT_AREA_ENDS = tuple(sorted(w for w in _NOT_AREA_STEMS if len(w) >= 2))
_BOUNDARY_SET = frozenset(BOUNDARY_WORDS)


def _area_stem_start(ctx: Context, suffix_start: int) -> int | None:
    """Start of a 2–4 character place-name stem before 社区/街道, or None when the stem is generic."""
    text = ctx.text
    prev = ctx.hits_in(max(0, suffix_start - 12), suffix_start, _AREAS_AND_BODIES)
    floor = max((h.end for h in prev if h.end <= suffix_start), default=0)
    s = max(name_start(ctx, suffix_start, limit=6), floor)
    if suffix_start - s < 2 and suffix_start - 2 >= floor:
        two = text[suffix_start - 2 : suffix_start]
        if all(is_han(c) for c in two) and not set(two) & _STOP_CHARS and two not in _BOUNDARY_SET:
            s = suffix_start - 2
    stem = text[s:suffix_start]
    if len(stem) > 4 and floor < s:
        return None
    if _COUNT_END.search(stem):
        return None  # a count: 益乐、丰潭两个社区 (the list itself is read by _bare_lists)
    if len(stem) < 2 or stem in _NOT_AREA_STEMS or stem.endswith(_NOT_AREA_ENDS):
        return None
    if not all(is_han(c) for c in stem) or stem[-1] in _BODY_ENDS:
        return None
    return s


_LIST = re.compile(
    rf"((?:{_HAN}{{2,4}}、)+{_HAN}{{2,4}})(?:等|这)?(?:首批|第一批|第二批|全部|共)?(?:(\d+|[一二三四五六七八九十两]+)个)?(社区|街道|村)"
)


_COMMA = re.compile("、")
#: What must follow a 、 of such a list: more items, then 社区/街道/村 (a necessary condition, checked first).
_LIST_REST = re.compile(r"[\u4e00-\u9fff、\d]*?(?:社区|街道|村)")
_AREA_WORD = re.compile("社区|街道|村")


def _bare_lists(ctx: Context, within) -> None:
    """三溪、葵新、官湖、土洋等首批4个社区 → four communities named by their bare stems."""
    text = ctx.text
    for m in anchored(_LIST, _COMMA, text, ctx.body_start, back=4, ahead=120, until=_AREA_WORD, rest=_LIST_REST):
        suffix = m.group(3)
        level = "Community" if suffix in ("社区", "村") else "Subdistrict"
        pos = m.start(1)
        if _modifier_use(text, m.end()) or text.endswith(_AREA_NOUNS, 0, m.end()) or text[m.end() : m.end() + 1] in _BODY_ENDS:
            continue  # 县农业农村局: 农村 inside a body's name
        items = m.group(1).split("、")
        if len(items) < 2:
            continue
        for k, item in enumerate(items):
            s = pos
            pos += len(item) + 1
            item = re.sub(r"(等|[一二三四五六七八九十两]+个|\d+个)+$", "", item)
            if item.endswith(("社区", "街道", "村", "镇")):
                continue  # a full name (木寨村、奎文村): the area rules read it
            if k == 0:  # the first item may start with words that are no part of it (力争|三溪)
                cut = max(s, name_start(ctx, s + len(item), limit=len(item) + 3))
                s, item = cut, text[cut : s + len(item)]
            if len(item) < 2 or item in _NOT_AREA_STEMS:
                continue
            full = item + suffix
            if ctx.covered(s, s + len(item), AREA_TYPES):
                continue
            found = [a for a in ctx.gaz.lookup(full, within=within) if LEVEL_TYPE.get(a.level) == level]
            if found:
                ctx.add(_area_hit(found[0], s, s + len(item), "alias", alias=item))
            else:
                ctx.add(Hit(s, s + len(item), level, full, (item,), "alias"))


_DEIXIS = re.compile(
    "全国|全省|全市|全区|全县|全镇|全乡|全新区|新区|本区|本市|本县|本镇|本乡|我省|我市|我区|我县|我镇|我乡"
    "|全街道|本街道|我街道|省级|市级|区级|街道|镇|乡"
)
_CLAUSE_OPEN = "。；;，,：:！？\n\r \u3000\t"


def deixis(ctx: Context) -> None:
    """Context words (新区, 全市, 全省, 全国 …) as mentions of the area they stand for in this document."""
    if ctx.home is None:
        return
    text = ctx.text
    for m in _DEIXIS.finditer(text, ctx.body_start):
        s, e = m.span()
        if ctx.covered(s, e):
            continue
        word = m.group()
        if word in ("街道", "镇", "乡") and not (s == 0 or text[s - 1] in _CLAUSE_OPEN):
            continue  # a bare 街道/镇 is the report's own area only as a clause's subject (街道荣获…)
        if word == "新区" and s > 0 and is_han(text[s - 1]) and text[s - 1] != "全":
            continue  # part of a name such as 大鹏新区, or 创新区
        area = ctx.gaz.deixis(word, ctx.home)
        if area is None:
            continue
        ctx.add(_area_hit(area, s, e, "contextual-deixis"))


#: Bodies named by a level word and a body (区委, 县政府, 镇党委, 乡人大): the level word stands for the
#: area of that level the report is about, unless an area's name stands before it.
_LEVEL_BODIES = frozenset(
    level + body
    for level in ("省", "市", "区", "县", "镇", "乡")
    for body in ("委", "党委", "党工委", "政府", "人民政府", "人大", "人大常委会", "纪委", "纪工委", "监委", "政协", "武装部")
)
_ORG = suffix_regex(ORG_SUFFIXES + GROUP_SUFFIXES + COMPANY_SUFFIXES + ("党中央", "中央", "国务院", *_LEVEL_BODIES))
_STANDALONE = frozenset({
    "党工委", "管委会", "最高院", "政法委", "政法办", "综治办", "信访办", "纪工委", "人大", "政协", "中央", "党中央", "国务院",
    *COURT_DIVISIONS,
    *_LEVEL_BODIES,
    *(x for x in ORG_SUFFIXES if x.endswith("部") and len(x) >= 3),
})


def canonical_org_name(ctx: Context, name: str) -> tuple[str, tuple[str, ...]]:
    cache = ctx.cache.setdefault("org_name", {})
    if name not in cache:
        cache[name] = _canonical_org_name(ctx, name)
    return cache[name]


_SHORT_COURT = re.compile(rf"({_HAN}{{2,3}})(法院|检察院)")


def _canonical_org_name(ctx: Context, name: str) -> tuple[str, tuple[str, ...]]:
    """The full name of a body: a leading context word becomes the area it stands for (新区网格管理中心 →
    大鹏新区网格管理中心), and a district-level name gets its city (大鹏新区政法办公室 → 深圳市大鹏新区政法办公室),
    so that the same body gets one key however the report writes it."""
    aliases: list[str] = []
    home = ctx.home
    if home is not None:
        for word in ("新区", "本区", "本市", "本县", "本镇", "区", "市", "省", "县", "镇", "乡"):
            if not name.startswith(word) or len(name) <= len(word):
                continue
            rest = name[len(word) :]
            single = len(word) == 1
            if single and not (
                rest.startswith(("委", "政府", "人民", "公安", "司法", "法院", "检察院", "纪委", "纪工委", "监委", "人大", "政协", "党委", "党工委", "武装部", "综治"))
                or (len(rest) <= 8 and rest.endswith(("局", "厅", "委", "办", "中心")))
            ):
                continue
            area = ctx.gaz.deixis("全" + word if single else word, home)
            if area is not None and not name.startswith(area.name):
                aliases.append(name)
                name = area.name + rest
            break
    court = _SHORT_COURT.fullmatch(name)
    if court and home is not None:
        for area in ctx.gaz.lookup(court.group(1), within=home):
            if area.short == court.group(1) and area.level == "district" and (ctx.gaz.is_within(home, area) or ctx.gaz.is_within(area, home)):
                aliases.append(name)
                name = area.name + "人民" + court.group(2)  # 章丘法院 is 章丘区人民法院
                break
    if name.endswith("政府") and not name.endswith("人民政府"):
        for _s, e, area in ctx.gaz.find_in_text(name, within=ctx.home):
            if e == len(name) - 2 and area.level in ("province", "city", "district", "subdistrict"):
                aliases.append(name)
                name = name[:-2] + "人民政府"  # 区政府 is short for 区人民政府
            break
    for s, e, area in ctx.gaz.find_in_text(name, within=ctx.home):
        if s == 0 and area.level in ("district", "subdistrict") and e < len(name):
            chain = [a for a in ctx.gaz.ancestors(area) if a.level in ("city", "district")]
            prefix = "".join(a.name for a in reversed(chain))
            if prefix and not name.startswith(prefix):
                aliases.append(name)
                name = prefix + name
        break
    return name, tuple(dict.fromkeys(a for a in aliases if a != name))


def organisations(ctx: Context) -> None:
    """Bodies named by a suffix (…司法所, …办事处, …领导小组, …有限公司), with their full name to the left."""
    text = ctx.text
    for s, e, suffix in iter_suffix_names(ctx, _ORG, standalone=_STANDALONE, start=0, quotes=True):
        if ctx.in_quotes(e - 1, e) or _fully_quoted_name(ctx, s, e):
            continue  # a quoted name (“共享法庭”) names a programme, not a body
        if ctx.covered(s, e, {"NormativeDocument"}):
            continue  # 中央八项规定: the body's word is part of a document's name
        if text.startswith(_FACILITY_HEADS, e):
            continue  # 丁河镇中心|学校, 人民|医院: the facility's name goes on
        if suffix in COMPANY_SUFFIXES and (text.startswith(COMPANY_SUFFIXES, e) or _BRANCH.match(text, e)):
            continue  # …集团 of …集团有限公司, 中国工商银行 of 中国工商银行常州武进支行: the longer name follows
        if suffix in _DEIXIS_BODIES and text[e - len(suffix) - 1 : e - len(suffix) + 1] in ("乡镇", "城镇", "城市", "省市", "市县", "区县", "县区"):
            continue  # 乡镇党委, 市县政府: bodies of a kind, not one body
        if suffix in _DEIXIS_BODIES and s < e - len(suffix):
            if text[e - len(suffix) - 1 : e - len(suffix) + 1] in _LEVEL_CHAR_WORDS or _area_before(ctx, s, e - len(suffix) + 1):
                suffix = suffix[1:]  # 大鹏新区|党工委: the level character ends an area's name
            elif not _area_before(ctx, s, e - len(suffix)):
                s = e - len(suffix)  # 确保区政府 → 区政府: only an area name may stand before 区政府/市委
        if _generic_head(text[s : e - len(suffix)]):
            continue  # 社区公共法律服务工作室, 街道公共法律服务工作站: kinds of body, not names
        raw = text[s:e].replace("“", "").replace("”", "")
        typ = "LeadingGroup" if suffix in GROUP_SUFFIXES else "Company" if suffix in COMPANY_SUFFIXES else "PublicOrganisation"
        if typ == "PublicOrganisation" and raw.endswith("办事处") and _followed_by_community(ctx, e):
            continue  # area sense, handled by areas()
        name, aliases = canonical_org_name(ctx, raw)
        # a quoted qualifier directly before the name: “三审合一”环境资源法庭
        q = _quote_before(ctx, s)
        if q:
            aliases = aliases + (q + raw,)
        ctx.add(Hit(s, e, typ, name, aliases))


#: Facilities named after a centre or a town's body: 中心学校, 中心卫生院.
_FACILITY_HEADS = ("学校", "小学", "中学", "卫生院", "医院", "幼儿园")
#: A branch's name after its bank's or company's: 中国工商银行|常州武进支行, …公司|深圳分公司.
_BRANCH = re.compile(rf"{_HAN}{{0,8}}?(?:支行|分行|分公司|营业部)")
_GENERIC_HEADS = ("社区", "街道", "各级", "各类", "基层", "村级", "镇级", "乡镇", "区级", "市级", "省级", "全区", "全市", "相关", "有关", "行业")


#: Bodies named by a level word alone (区委, 市政府): only an area name or a context word may stand before them.
_DEIXIS_BODIES = _LEVEL_BODIES
#: Words whose last character is a level word but which name no level: 社区|党委 is no 区党委.
_LEVEL_CHAR_WORDS = frozenset(
    "社区 小区 景区 园区 片区 城区 辖区 街区 校区 商区 市区 郊区 营区 矿区 林区 牧区 山区 灾区 "
    "城市 都市 超市 门市 集市 夜市 城镇 集镇 村镇 乡镇 小镇 县乡 城乡 家乡 老乡".split()
)


def _generic_head(stem: str) -> bool:
    return stem.startswith(_GENERIC_HEADS)


def _area_before(ctx: Context, s: int, e: int) -> bool:
    """True when ``text[s:e]`` is or ends with an area name or a context word (大鹏新区, 新区, 区, 江汉)."""
    frag = ctx.text[s:e]
    cache = ctx.cache.setdefault("area_before", {})
    if frag not in cache:
        cache[frag] = _area_before_uncached(ctx, frag)
    return cache[frag]


def _area_before_uncached(ctx: Context, frag: str) -> bool:
    if not frag or frag.endswith(("新区", "全区", "本区", "本市", "中共")) or frag in ("区", "市", "省", "县"):
        return True
    found = ctx.gaz.find_in_text(frag, within=ctx.home)
    if found and found[-1][1] == len(frag):
        return True
    return any(a.short == frag[-len(a.short):] for a in ctx.gaz.lookup(frag[-2:], within=ctx.home) if a.short)


def _fully_quoted_name(ctx: Context, s: int, e: int) -> bool:
    return s > 0 and ctx.text[s - 1] == "“" and ctx.text[e : e + 1] == "”"


def _quote_before(ctx: Context, s: int) -> str:
    if s > 0 and ctx.text[s - 1] == "”":
        j = ctx.text.rfind("“", max(0, s - 30), s - 1)
        if j >= 0:
            return ctx.text[j + 1 : s - 1]
    return ""


def _followed_by_community(ctx: Context, e: int) -> bool:
    return any(h.type in ("Community", "Subdistrict") for h in ctx.hits_at(e)) or bool(
        re.match(rf"{_HAN}{{2,4}}?(社区|村)", ctx.text[e : e + 6])
    )


_PERSON = re.compile(
    "(" + "|".join(sorted(PERSON_ROLES, key=len, reverse=True)) + ")"
    + rf"[ \u3000]?([{SURNAMES}]{_HAN}{{1,2}}?)(?=同志|获|荣|被|等|、|，|。|；|（|\(|任|为|作|在|和|与|带领|带头|牵头|主持|讲授|出席|参加|指出|强调|率队|深入|说|表示|先后|多次|\n|$)"
)


#: A name right before a post or 同志 (王云龙书记, 李明同志); not one ending as a body's or an area's name does.
_NAME_BEFORE_POST = re.compile(
    rf"([{SURNAMES}]{_HAN}{{1,2}}?)(?=" + "|".join(sorted(PERSON_POSTS_AFTER, key=len, reverse=True)) + ")"
)
_NOT_NAME_END = frozenset("委部局组会处所院站队室办区市县镇乡村厅团社司校府长员总")


def persons(ctx: Context) -> None:
    """People named after a role noun (工作站的工作人员张浩获评…, 党支部书记李明同志) or before a post (王云龙书记,
    李明同志)."""
    text = ctx.text
    for m in _NAME_BEFORE_POST.finditer(text, ctx.body_start):
        s, e = m.span(1)
        name = m.group(1)
        if name[-1] in _NOT_NAME_END or name.startswith(NOT_NAMES) or ctx.covered(s, e) or ctx.in_quotes(s, e):
            continue
        ctx.add(Hit(s, e, "Person", name, (), attrs={}))
    for m in _PERSON.finditer(text):  # the signature line under the title too: 某某法院院长　张三
        s, e = m.span(2)
        name = m.group(2)
        if len(name) == 3 and text[e - 1 : e + 1] in ("获评", "荣获"):
            name, e = name[:2], e - 1
        ctx.add(Hit(s, e, "Person", name, (), attrs={"role": m.group(1)}))
    # lists after a role: 民警张三、李四
    for h in [h for h in ctx.hits if h.type == "Person"]:
        pos = h.end
        while text[pos : pos + 1] == "、":
            m = re.match(rf"[{SURNAMES}]{_HAN}{{1,2}}?(?=、|等|，|。|同志)", text[pos + 1 : pos + 5])
            if not m:
                break
            ctx.add(Hit(pos + 1, pos + 1 + m.end(), "Person", m.group(), (), attrs=dict(h.attrs)))
            pos = pos + 1 + m.end()


_PLACE = suffix_regex(PLACE_SUFFIXES)
_BODIES = frozenset({"PublicOrganisation", "Company", "LeadingGroup"})
_VENUE = re.compile(rf"在({_HAN}{{2,12}}?)(?=举行|举办|召开|开展|启动|设立|揭牌|成立)")


def places(ctx: Context) -> None:
    """Named places and facilities: …公园, …广场, …所城, and the venue of 在X举行."""
    text = ctx.text
    for s, e, _suffix in iter_suffix_names(ctx, _PLACE, not_words=()):
        if ctx.in_quotes(s, e) or ctx.covered(s, e) or _descriptive(ctx, s):
            continue
        owner = [h.end for h in ctx.hits_in(s, e, _BODIES) if h.end < e - len(_suffix)]
        if owner:
            s = max(owner)  # 某某有限公司木寨峡谷景区: the place's name starts after its owner's
            if e - s - len(_suffix) < 2:
                continue
        ctx.add(Hit(s, e, "Place", text[s:e]))
    # a named place followed by generic place words is the named place: 大鹏所城片区景区 → 大鹏所城
    generic = set()
    for h in [h for h in ctx.hits if h.type == "Place"]:
        for g in ctx.hits_at(h.start):
            if g is not h and g.type == "Place" and g.end < h.end:
                if re.fullmatch("(片区|景区|周边|一带|区域|范围|附近)+", text[g.end : h.end]):
                    generic.add(id(h))
    ctx.remove(lambda h: id(h) not in generic)
    for m in _VENUE.finditer(text, ctx.body_start):
        s, e = m.span(1)
        if ctx.covered(s, e):
            continue
        if ctx.hits_around(s, e):
            continue
        ctx.add(Hit(s, e, "Place", m.group(1)))


_ROAD = re.compile(rf"({_HAN}{{2,4}}?)(路|大道|大街)(?=沿线|两侧|周边|一带|沿街|路口|段|改造|整治|提升|、)")


_ROAD_ANCHOR = re.compile("路|大道|大街")


#: Numbered highways and stretches of a road or river: 311国道, G15沈海高速, 老灌河丁河段.
_STRETCH = re.compile(
    rf"(?:[GS]?\d{{1,4}}(?:国道|省道|县道)|[GS]\d{{1,4}}{_HAN}{{2,4}}高速)(?:{_HAN}{{2,3}}段)?"
    rf"|{_HAN}{{1,4}}(?:河|江|溪)(?:{_HAN}{{2,3}}段)"
)


_STRETCH_ANCHOR = re.compile("国道|省道|县道|高速|段")


def roads(ctx: Context) -> None:
    """Roads and streets named where the text treats them as places: 丰潭路沿线, 文三路两侧, 311国道丁河段."""
    text = ctx.text
    for m in anchored(_STRETCH, _STRETCH_ANCHOR, text, ctx.body_start, back=10, ahead=6):
        s = m.start()
        if not text[s].isascii():
            s = max(s, name_start(ctx, m.end(), limit=m.end() - s))
        if m.end() - s >= 4 and not ctx.hits_around(s, m.end()):
            ctx.add(Hit(s, m.end(), "Place", text[s : m.end()]))
    for m in anchored(_ROAD, _ROAD_ANCHOR, text, ctx.body_start):
        s = name_start(ctx, m.end(1), limit=4)
        if m.end(1) - s < 2 or ctx.hits_around(s, m.end()):
            continue
        ctx.add(Hit(s, m.end(), "Place", text[s : m.end()]))


def documents(ctx: Context) -> None:
    """Laws and normative documents: every 《…》, and well-known laws named without brackets (民法典)."""
    text = ctx.text
    for m in re.finditer(r"《([^《》\n]{2,80})》", text):
        if m.start() < ctx.body_start:
            continue
        title = m.group(1).strip()
        ctx.add(Hit(m.start(1), m.end(1), "NormativeDocument", title, ()))
    laws = suffix_regex(WELL_KNOWN_LAWS)
    found = list(laws.finditer(text, ctx.body_start))
    free = {m.group() for m in found if not ctx.in_quotes(m.start(), m.end())}
    for m in found:
        if m.group() not in free:
            continue  # named only inside a programme's quoted name: “美好生活·民法典相伴”
        s, e = m.span()
        if ctx.in_quotes(s, e) and text[s - 1 : s] == "《":
            continue
        if e < len(text) and is_han(text[e]) and text[e] not in "等颁实宣施的和与及、规请进精":
            continue
        if s > 0 and is_han(text[s - 1]) and name_start(ctx, e, limit=len(m.group()) + 4) != s:
            continue
        ctx.add(Hit(s, e, "NormativeDocument", m.group(), ()))


#: Suffixes that name a programme on their own (with the minimum stem length they need).
_STRONG_INIT = {
    "专项斗争": 2, "专项行动": 2, "专项整治": 2, "专项治理": 2, "攻坚战": 2, "攻坚行动": 2, "百日行动": 2, "服务圈": 2,
    "工程": 2, "大会战": 2, "工作法": 2, "生活圈": 2, "全会": 3, "测评": 4, "试点": 4, "改革": 4, "示范点": 4, "模式": 4, "新模式": 4,
    "三年行动": 2, "大练兵": 2, "主题教育": 2, "学习教育": 2, "教育整顿": 2, "斗争": 4, "制度": 4, "长制": 1, "票决制": 2, "责任制": 2, "承诺制": 2, "采摘节": 2, "文化节": 2,
    "旅游节": 2, "艺术节": 2,
}
#: Every programme suffix: the lexicon's and the strong ones.
_INIT = suffix_regex((*INITIATIVE_SUFFIXES, *_STRONG_INIT))
_STRONG_RE = suffix_regex(_STRONG_INIT)
#: What may follow a quoted series to make it one programme's name: “净化、绿化”城市品质提升行动.
_SERIES_TAIL = re.compile(rf"(?:{_HAN}{{0,10}}?)(?:{_STRONG_RE.pattern})")
_NUM = "一二三四五六七八九十两百千万"
_COUNT_END = re.compile(f"[{_NUM}\\d]+个$")
#: Verbs whose quoted object is a goal, a category or a metaphor rather than a programme (实现“党管政法”).
_GOAL_VERBS = ("实现", "纳入", "筑牢", "守牢", "织密", "破解", "做到", "达到", "树立", "增强", "提高", "主动", "坚持做好")
_GOAL_HEADS = (
    "难题", "问题", "目标", "要求", "理念", "意识", "难点", "短板", "发展定位", "定位", "格局", "企业", "人员", "对象", "群体", "案件",
)
#: Words after a quoted name that belong to it: “12348”热线, “三调联动”工作机制 keeps only 三调联动.
_QUOTE_TAILS = ("热线", "专线", "平台", "小程序", "公众号")


_NOT_BODIES = frozenset(ENTITY_TYPE for ENTITY_TYPE in (
    "Country", "Province", "City", "District", "Subdistrict", "Community", "Place", "Person", "Initiative", "Honour",
    "NormativeDocument",
))


def _common_end(items: list[str]) -> int:
    """Length of the ending all ``items`` share, when each is longer than it."""
    n = 0
    while all(len(i) > n + 1 for i in items) and len({i[-1 - n] for i in items}) == 1:
        n += 1
    return n


_MECHANISM_AFTER = re.compile(rf"{_HAN}{{0,4}}?(?:机制|工作法|模式|平台|联动)")
_STRONG_ENDS = tuple(_STRONG_INIT)
_HONOUR_ENDS = tuple(HONOUR_SUFFIXES)
_GOAL_VERB = re.compile("|".join(_GOAL_VERBS))
_COUNT_START = re.compile(f"[{_NUM}]+个")


def _slogan(ctx: Context, qs: int, qe: int, inner: str) -> bool:
    """True for quoted words that describe rather than name: 变“被动”为“主动”, “六清”“六建”, “四个突出”."""
    text = ctx.text
    if inner.endswith(_STRONG_ENDS):
        return False
    # two characters after the quote, when the text has them (a report cut short can end right after it)
    if all(c in _NUM for c in inner) and qe + 2 <= len(text) and is_han(text[qe]) and is_han(text[qe + 1]):
        return text.startswith(_GOAL_HEADS, qe + 2)  # “八五”普法 names; “一十百千万”行动目标 describes
    if all(c in _NUM for c in inner) or _COUNT_START.match(inner) or (len(inner) <= 2 and inner[0] in _NUM):
        return True
    if "+" in inner or "＋" in inner:
        return not _MECHANISM_AFTER.match(text, qe)  # “网格+警格”联动, “冷静期+回访”工作法 name mechanisms
    if text[qe : qe + 2] in ("为“", "向“") or text[max(0, qs - 1) : qs] == "变":
        return True
    if text[max(0, qs - 1) : qs] == "为" and text[max(0, qs - 8) : qs].rfind("变") >= 0 and "”" in text[max(0, qs - 8) : qs]:
        return True
    if text[qe : qe + 1] == "“" or text[max(0, qs - 1) : qs] == "”":
        return True  # a run of quoted words: “零距离”“一站式”
    if _GOAL_VERB.search(text, max(0, qs - 6), qs) or text.startswith(_GOAL_HEADS, qe):
        return True
    return False


#: First characters of the items of a routine written as a series (日巡查、周研判; 户分类、村收集).
_CADENCE = frozenset("日周月季年户组村镇县区市省")


def initiatives(ctx: Context) -> None:
    """Programmes, campaigns and mechanisms: quoted names (“一核同心圆”) and names with a strong suffix."""
    text = ctx.text
    for qs, qe in ctx.quoted():
        if text[qs] != "“" or qs < ctx.body_start:
            continue
        inner_s, inner_e = qs + 1, qe - 1
        inner = text[inner_s:inner_e]
        if len(inner.strip()) < 2 or not any(is_han(c) for c in inner) and not text.startswith(_QUOTE_TAILS, qe):
            continue
        if ctx.covered(inner_s, inner_e, _NOT_BODIES) or _is_honour_context(ctx, qs, qe) or _slogan(ctx, qs, qe, inner):
            continue
        if inner.endswith(_HONOUR_ENDS):
            continue
        if "、" in inner or "，" in inner:
            items = re.split("[、，]", inner)
            if all(len(i) == 3 and i[0] in _CADENCE for i in items):
                continue  # a routine, not programmes: “周研判、月观摩、季考评”, “户分类、村收集、镇转运”
            tail = _SERIES_TAIL.match(text, qe)
            if tail:
                # a quoted series that names one programme: “不忘初心、牢记使命”主题教育
                ctx.add(Hit(inner_s, tail.end(), "Initiative", inner + tail.group(), (inner,), attrs={"quoted": True}))
                continue
            if all(2 <= len(i) <= 6 and not re.search("[在的是了]", i) for i in items):
                if _common_end(items) >= 2:
                    # programmes sharing a place's name: “平安大鹏、法治大鹏、美丽大鹏”
                    pos = inner_s
                    for i in items:
                        ctx.add(Hit(pos, pos + len(i), "Initiative", i, (), attrs={"quoted": True}))
                        pos += len(i) + 1
                else:  # one programme named by a series: “网上信、掌上访、视频约”, “一案一策、一案一专班”
                    ctx.add(Hit(inner_s, inner_e, "Initiative", inner, (), attrs={"quoted": True}))
            continue
        # a quoted name followed by a suffix: “三调联动”工作机制, “一十百千万”行动
        m = _INIT.match(text, qe)
        tail = m.group() if m and not _ORG.match(text, qe) and m.group() in _STRONG_INIT else ""
        if not tail and text.startswith(_QUOTE_TAILS, qe):
            tail = next(t for t in _QUOTE_TAILS if text.startswith(t, qe))
        if not tail and all(c in _NUM for c in inner):
            tail = text[qe : qe + 2]  # “八五”普法
        ctx.add(Hit(inner_s, inner_e, "Initiative", inner + tail, (inner,) if tail else (), attrs={"quoted": True}))
    for s, e, suffix in iter_suffix_names(ctx, _STRONG_RE, not_words=("行动目标", "工程师")):
        need = _STRONG_INIT.get(suffix)
        if need is None or e - len(suffix) - s < need or ctx.in_quotes(s, e) or ctx.covered(s, e):
            continue
        if text.startswith(_STRONG_ENDS, e):
            continue  # 农村集体产权制度|改革: the programme's name goes on
        if text[max(0, s - 2) : s] == "党的":
            s -= 2  # 党的十九届五中全会
        if suffix == "试点" and (text[s - 1 : s] == "在" or re.search("(先行|率先|开展)$", text[s:e - 2])):
            continue  # 在汉兴街道先行试点: a verb phrase, not a programme
        if _descriptive(ctx, s):
            continue
        raw = text[s:e]
        name = re.sub("^(新区|全市|全区|全省|全县|本区|本市)", "", raw)
        ctx.add(Hit(s, e, "Initiative", name, (raw,) if name != raw else ()))
    # numbered public hotlines: 12345市民热线, 12368诉讼服务热线
    for m in anchored(_HOTLINE, _HOTLINE_ANCHOR, text, ctx.body_start, back=16, ahead=0):
        if not ctx.covered(m.start(), m.end()) and not ctx.in_quotes(m.start(), m.end()):
            ctx.add(Hit(m.start(), m.end(), "Initiative", m.group()))
    # party congresses: 党的十九大, 党的二十大
    for m in _CONGRESS.finditer(text, ctx.body_start):
        if not ctx.covered(m.start(), m.end()):
            ctx.add(Hit(m.start(), m.end(), "Initiative", m.group()))
    # creation campaigns counted by their results: 成功创建安全文明小区109个
    for m in re.finditer(rf"创建({_HAN}{{2,10}}?)(?=\d+[个所家])", text):
        s, e = m.span(1)
        if not ctx.covered(s, e):
            ctx.add(Hit(s, e, "Initiative", m.group(1)))


_HOTLINE = re.compile(rf"(?<!\d)\d{{5,6}}{_HAN}{{0,10}}?热线")
_HOTLINE_ANCHOR = re.compile("热线")
_CONGRESS = re.compile(r"党的[一二三四五六七八九十]{1,3}大(?!会|力|量|型|批|项|部|幅|于)")


def short_names(ctx: Context) -> None:
    """A body written by the end of its full name (武进分局 for 常州市公安局武进分局) is that body, when exactly
    one body of the document has a full name ending so."""
    hits = [h for h in ctx.hits if h.type == "PublicOrganisation" and h.resolution != "contextual-deixis"]
    names = {h.name for h in hits}
    # the names ending with a name, found among all names written backwards and sorted: they follow it
    # (a name's own suffixes listed instead cost the square of its length, and a header value can be long)
    backwards = sorted(n[::-1] for n in names)
    renamed = {}
    for n in names:
        if len(n) < 3:
            continue
        r = n[::-1]
        i = bisect_left(backwards, r) + 1  # after the name itself
        if i < len(backwards) and backwards[i].startswith(r) and not (
            i + 1 < len(backwards) and backwards[i + 1].startswith(r)
        ):
            renamed[n] = backwards[i][::-1]
    if not renamed:
        return
    new = [h for h in hits if h.name in renamed]
    ctx.remove(lambda h: not (h.type == "PublicOrganisation" and h.name in renamed and h.resolution != "contextual-deixis"))
    for h in new:
        ctx.add(Hit(h.start, h.end, h.type, renamed[h.name], (*h.aliases, h.name), "alias", dict(h.attrs), h.area, h.parent))


def _descriptive(ctx: Context, s: int) -> bool:
    """A noun phrase right after a claim word (全省首个生态法治公园) describes; it does not name."""
    return ctx.text[max(0, s - 2) : s] in ("首个", "首家", "一个", "唯一", "一批", "首批")


_HONOUR_BEFORE = re.compile(
    rf"(授予|评为|获评|荣获|获得|创建|命名为|确定为|入选|获)(\d{{4}}年度?)?(第[{_NUM}\d]+批)?(全国|国家级?|省级?|市级?|区级?|{_HAN}{{2,4}}[省市区])?$"
)


def _is_honour_context(ctx: Context, qs: int, qe: int) -> bool:
    """True when the quoted text is an honour's title: 被授予“…”荣誉称号, 获评省级“…”."""
    after = ctx.text[qe : qe + 4]
    return after.startswith(("荣誉称号", "称号", "奖")) or bool(_HONOUR_BEFORE.search(ctx.text, max(0, qs - 12), qs))
