"""Facts between entities: honour conferrals, stated relations and next year's plan items."""

from __future__ import annotations

import re

from ..model import Conferral, Mention, PlanItem, Relation
from .context import Context, Hit, is_han
from .entities import AREA_TYPES, LEVEL_TYPE
from .lexicon import HONOUR_HEADS, HONOUR_SUFFIXES, HONOUR_UNITS
from .names import anchored

_COMMA = re.compile("、")
_AREA_WORD = re.compile("社区|街道|村|镇")

__all__ = ["conferrals", "relations", "plan_items", "honour_level"]

AGENTS = {"PublicOrganisation", "LeadingGroup", "Company", "Person"}
#: Roles that head the body they follow: 党工委书记, 办事处主任, 司法所所长.
HEAD_ROLES = frozenset({"书记", "主任", "局长", "代局长", "代理局长", "代院长", "所长", "站长", "队长", "大队长", "中队长", "支队长", "镇长", "乡长", "县长", "区长", "市长", "院长", "庭长", "部长", "处长", "科长", "检察长", "组长", "指挥长", "主席", "会长", "理事长"})
RECIPIENTS = AGENTS | {"Community", "Subdistrict", "District", "City", "Province", "Initiative", "Place"}
#: 2020年, 2020年度, 2011-2015年 (the last year of a range)
_YEAR = re.compile(r"(?:\d{4}\s*[-—–~至]\s*)?(\d{4})年度?")
#: Where an unquoted honour's name may end: an honour suffix, or a head and a unit a few characters apart.
_HONOUR_END = re.compile(
    "(?:" + "|".join(HONOUR_HEADS) + ")[\u4e00-\u9fff]{0,4}(?:" + "|".join(sorted(HONOUR_UNITS, key=len, reverse=True)) + ")"
    + "|(?:" + "|".join(sorted(map(re.escape, HONOUR_SUFFIXES), key=len, reverse=True)) + ")"
)
_BATCH = re.compile(r"第[一二三四五六七八九十\d]+批(?:次)?")
_LEVEL_PREFIX = re.compile(r"全国|国家级|国家|全省|省级|省|全市|市级|市|全区|区级|区|新区|全县|县级|县")
_VERB = re.compile(r"被授予|授予|被评为|评为|获评|荣获|获得|被命名为|命名为|被确定为|确定为|入选|成功创建|创建成功|荣立|获")
_FILLER = re.compile(
    r"^(项目|成功|先后|分别|均|已|再次|又|还|同志|单位|连续(?:\d+|[一二三四五六七八九十两]+)年|共同|一举|在\d{4}年"
    r"|等(?:\d+|[一二三四五六七八九十两]+)?个?(?:社区|单位|街道|村|集体|个人|司法所|项目)?)*$"
)
_LEVEL_WORDS = [
    ("全国", "national"), ("国家级", "national"), ("国家", "national"), ("中央", "national"),
    ("省级", "provincial"), ("全省", "provincial"), ("省", "provincial"),
    ("市级", "municipal"), ("全市", "municipal"), ("市", "municipal"),
    ("区级", "district"), ("新区", "district"), ("全区", "district"), ("区", "district"), ("县级", "district"),
]
#: The last character an honour for an area of each level ends with (示范街道, 先进县 / 示范市, 先进社区).
_AREA_LEVEL_SUFFIX = {"subdistrict": "道镇乡", "district": "县区市", "city": "市", "community": "区村"}
_AREA_LEVEL = {"country": "national", "province": "provincial", "city": "municipal", "district": "district"}
_AREA_LEVEL_WORD = {"country": "全国", "province": "省级", "city": "市级", "district": "区级"}


def honour_level(ctx: Context, prefix: str, name: str) -> str | None:
    """national | provincial | municipal | district from the word before the honour or the honour's own name."""
    for word, level in _LEVEL_WORDS:
        if prefix.endswith(word) or (prefix == "" and name.startswith(word) and word not in ("区", "市", "省")):
            return level
    for s, _e, area in ctx.gaz.find_in_text(name):
        if s == 0:
            return _AREA_LEVEL.get(area.level)
    for n in (2, 3):
        for area in ctx.gaz.lookup(name[:n]):
            if area.level in ("province", "city") and area.short == name[:n]:
                return _AREA_LEVEL[area.level]
    return None


def _conferrer_level(ctx: Context, verb_start: int) -> str | None:
    """The level of the body that confers (被南阳市公安局命名为, 被县委县政府评为, 被公安部授予): the honour's level
    when the honour's own name does not say."""
    text = ctx.text
    cs, _ = ctx.clause(verb_start)
    bei = text.rfind("被", max(cs, verb_start - 24), verb_start)
    if bei < 0 or verb_start - bei < 3:
        return None
    body = re.sub("^(中共|中国共产党)", "", text[bei + 1 : verb_start])
    if body.startswith(("中央", "国务院", "全国")) or (body.endswith("部") and len(body) <= 8 and not ctx.gaz.find_in_text(body)):
        return "national"
    for s, _e, area in ctx.gaz.find_in_text(body, within=ctx.home):
        return _AREA_LEVEL.get(area.level) if s == 0 else None
    for word, level in (("省", "provincial"), ("市", "municipal"), ("县", "district"), ("区", "district")):
        if body.startswith(word) and ctx.home is not None and ctx.gaz.deixis("全" + word, ctx.home) is not None:
            return level
    return None


def conferrals(ctx: Context) -> list[Conferral]:
    """X被授予“Y”称号, X获评Y, X成功创建2020年省“Y”, X项目入选Y … → conferrals with level and year."""
    text = ctx.text
    out: list[Conferral] = []
    for m in _VERB.finditer(text, ctx.body_start):
        vs, ve = m.span()
        if ctx.in_quotes(vs, ve):
            continue
        pos = ve
        year = None
        ym = _YEAR.match(text, pos)
        if ym:
            year, pos = int(ym.group(1)), ym.end()
        bm = _BATCH.match(text, pos)  # 获评第九批“…”
        if bm:
            pos = bm.end()
        lm = _LEVEL_PREFIX.match(text, pos)
        prefix = ""
        if lm and text[lm.end() : lm.end() + 1] == "“":
            prefix, pos = lm.group(), lm.end()
            if _quote_inside_name(text, pos):  # 全国“八五”普法先进单位: the level word is part of the name
                prefix, pos = "", lm.start()
        else:
            q = text.find("“", pos, pos + 12)
            if q > pos and all(is_han(c) for c in text[pos:q]):
                found = [a for a0, a1, a in ctx.gaz.find_in_text(text[pos:q], within=ctx.home) if a0 == 0 and a1 == q - pos]
                if found:
                    prefix, pos = _AREA_LEVEL_WORD.get(found[0].level, ""), q
        names = _honour_names(text, pos)
        if not names:
            continue
        hs, he = names[0]
        name = text[hs:he]
        if len(name) < 3 or m.group() == "获" and not text[he : he + 4].startswith(("荣誉称号", "称号", "表彰")):
            continue
        if not _honour_like(name) and not text[he : he + 4].startswith(("”荣誉称号", "”称号", "荣誉称号", "称号")):
            if m.group() not in ("授予", "被授予", "评为", "被评为", "获评", "成功创建", "入选", "命名为", "被命名为", "确定为", "被确定为"):
                continue
        recips = _recipients(ctx, vs) or _implicit_recipient(ctx, vs, name)
        part, pyear = ctx.part(vs)
        ss, se = ctx.sentence(vs)
        for i, (hs, he) in enumerate(names):
            name = text[hs:he]
            if i and (len(name) < 3 or not _honour_like(name)):
                break
            level = honour_level(ctx, prefix if i == 0 else "", name) or _conferrer_level(ctx, vs)
            # an Honour hit replaces any Initiative hit on the same quoted text
            ctx.discard(hs, he)
            honour = ctx.add(Hit(hs, he, "Honour", name, (), attrs={"level": level} if level else {}))
            if not recips:
                continue
            note = None
            nm = re.search(r"[^，,。；;”]*(唯一|首个|首家)[^，,。；;]*", text[he:se])
            if nm:
                note = nm.group().strip("，。 ")
            for r in recips:
                q0, q1 = min(r.start, vs), max(he, ve)
                out.append(
                    Conferral(
                        recipient=r.key,
                        honour=honour.key,
                        level=level,
                        year=year or pyear or ctx.summary_year(),
                        mentions=[Mention(ctx.doc.id, q0, q1, text[q0:q1], "AwardConferral")],
                        note=note,
                    )
                )
    return out


def _honour_like(name: str) -> bool:
    """True when ``name`` ends as an honour does (an honour suffix, or a head and a unit: 先进县, 突出单位)."""
    return any(m.end() == len(name) for m in _HONOUR_END.finditer(name)) or name.endswith(HONOUR_SUFFIXES)


def _quote_inside_name(text: str, pos: int) -> bool:
    """True when the quotation opening at ``pos`` is only part of a name that goes on after it (“八五”普法先进单位),
    not the whole name (“民主法治示范社区”称号)."""
    close = text.find("”", pos + 1, pos + 42)
    if close < 0:
        return False
    after = text[close + 1 : close + 3]
    return bool(after) and is_han(after[0]) and not after.startswith(("称号", "荣誉", "等", "和", "及", "奖", "表彰", "。"))


def _honour_names(text: str, pos: int) -> list[tuple[int, int]]:
    """The spans of the honours a verb confers, from ``pos`` just after it: one quoted name, or several written
    one after another (荣获“A”“B”, “A”、“B”); else an unquoted name up to where an honour's name can end,
    quoted parts inside included (全省“八五”普法中期成绩突出单位)."""
    if text[pos : pos + 1] == "“" and not _quote_inside_name(text, pos):
        spans = []
        while text[pos : pos + 1] == "“":
            close = text.find("”", pos + 1, pos + 42)
            if close < 0:
                break
            spans.append((pos + 1, close))
            pos = close + 1
            if text[pos : pos + 2] == "、“":
                pos += 1
        return spans
    he = pos
    while he < len(text) and he - pos < 48 and (is_han(text[he]) or text[he].isdigit() or text[he] in "“”"):
        he += 1
    ends = [m.end() for m in _HONOUR_END.finditer(text, pos, he)]
    if not ends:
        return []
    end = max(ends)
    if text.count("“", pos, end) != text.count("”", pos, end):
        return []
    # two honours joined by 和/及 (三等奖和优秀奖): each its own, when the first ends as an honour does
    for k in ends:
        if k < end and text[k : k + 1] in ("和", "及") and _honour_like(text[k + 1 : end]):
            return [(pos, k), (k + 1, end)]
    return [(pos, end)]


def _implicit_recipient(ctx: Context, verb_start: int, honour: str = "") -> list[Hit]:
    """When the sentence names no recipient (…，获得“全国群众体育先进单位”), the report's publisher, or else the
    area the report is about, as the hits that name it; the area first when the honour is one an area receives
    (示范街道, 先进县)."""
    text = ctx.text
    cs, _ = ctx.clause(verb_start)
    before = text[cs:verb_start].strip(" \u3000\t“”")
    if before not in ("", "先后", "共", "还", "并", "均", "再次", "分别", "连续", "相继") and not _FILLER.match(before):
        return []
    home = ctx.home

    def home_hit() -> list[Hit]:
        if home is None:
            return []
        for h in ctx.hits:
            if h.area is not None and h.area.key == home.key and h.resolution != "contextual-deixis":
                return [h]
        # named only inside the publisher's name (杭州市西湖区北山街道办事处): that mention
        for field, s, e in ctx.doc.metadata.spans:
            k = text.find(home.name, s, e) if field in ("publisher", "title") else -1
            if k >= 0:
                return [ctx.add(Hit(k, k + len(home.name), LEVEL_TYPE[home.level], home.name, (), "exact-name", area=home))]
        return []

    if home is not None and honour[-1:] and honour[-1] in _AREA_LEVEL_SUFFIX.get(home.level, ""):
        found = home_hit()
        if found:
            return found
    md = ctx.doc.metadata
    for field, s, e in md.spans:
        if field == "publisher":
            for h in ctx.hits_around(s, e):
                if h.start == s and h.end == e and h.type in AGENTS:
                    return [h]
    return home_hit()


def _recipients(ctx: Context, verb_start: int) -> list[Hit]:
    ss, _se = ctx.sentence(verb_start)
    cs = ss
    # 被司法部授予 / 被中共杭州市委授予: the conferrer stands between 被 and the verb
    pos = verb_start
    while True:
        by = [h for h in ctx.hits_around(pos - 1, pos) if h.end == pos and h.type in AGENTS]
        if not by:
            break
        b = min(by, key=lambda h: h.start)
        if ctx.text[b.start - 1 : b.start] == "被":
            verb_start = b.start - 1
            break
        if ctx.text[b.start - 1 : b.start] not in ("、", "和"):
            break
        pos = b.start - 1  # 被司法部、人力资源社会保障部授予
    bei = ctx.text.rfind("被", max(cs, verb_start - 20), verb_start)
    if bei >= 0 and not any(h.start <= bei < h.end for h in ctx.hits_around(bei, bei + 1)):
        verb_start = bei  # 学府社区被应急管理部等部门命名为: the recipient stands before 被
    # a context word names the recipient when it is the subject (街道荣获…, 我区被评为…), not a scope (全市…)
    hits = [
        h for h in ctx.hits_in(cs, verb_start, RECIPIENTS)
        if h.resolution != "contextual-deixis" or (h.area is not None and not ctx.text.startswith("全", h.start))
    ]
    if not hits:
        return []
    text = ctx.text
    chosen: list[Hit] = []
    pos = verb_start
    while True:
        cands = [h for h in hits if h.end <= pos and _FILLER.match(text[h.end : pos].replace("“", "").replace("”", ""))]
        if not cands:
            break
        best = max(cands, key=lambda h: (h.end, h.end - h.start))
        # prefer the outermost hit with the same end (大鹏办事处法律援助工作站 over 工作站)
        outer = [h for h in hits if h.end == best.end and h.start <= best.start]
        best = min(outer, key=lambda h: h.start) if outer else best
        chosen.append(best)
        # skip an area written right before a community: 葵涌办事处溪涌社区
        left = best.start
        prefix = [h for h in hits if h.end == left and h.type in AREA_TYPES | {"PublicOrganisation"} and best.type in AREA_TYPES]
        if prefix:
            left = prefix[0].start
        if left > 0 and text[left - 1] in "、和与及":
            pos = left - 1
            continue
        break
    if not chosen and text[verb_start : verb_start + 1] == "被":
        # the subject the sentence opens with: 刁镇人民法庭在…设立“法官驿站”，…，被省高院授予“…”称号
        first = hits[0]
        if text[ss : first.start].strip(" \u3000\t") == "" and first.type in AGENTS | {"Community", "Subdistrict"}:
            chosen.append(first)
    return chosen


def relations(ctx: Context) -> list[Relation]:
    """Relations the text states, by composition of names or by pattern."""
    text = ctx.text
    out: list[Relation] = []
    seen: dict[tuple[str, str, str], Relation] = {}
    quoted: dict[tuple[str, str, str], set[Mention]] = {}  # the mentions of each relation in seen
    doc_id = ctx.doc.id

    def add(subj: Hit | str, pred: str, obj: Hit | str, s: int, e: int, **kw) -> None:
        sk = subj if type(subj) is str else subj.key
        ok = obj if type(obj) is str else obj.key
        if sk == ok:
            return
        # the quote reaches out to the hits it relates, when they are near
        if type(subj) is not str and abs(subj.start - s) < 200:
            if subj.start < s:
                s = subj.start
            if subj.end > e:
                e = subj.end
        if type(obj) is not str and abs(obj.start - s) < 200:
            if obj.start < s:
                s = obj.start
            if obj.end > e:
                e = obj.end
        mention = Mention(doc_id, s, e, text[s:e], pred)
        key = (sk, pred, ok)
        r = seen.get(key)
        if r is not None:
            q = quoted[key]
            if mention not in q:
                q.add(mention)
                r.mentions.append(mention)
            return
        r = seen[key] = Relation(sk, pred, ok, [mention], **kw)
        quoted[key] = {mention}
        out.append(r)

    hits = list(ctx.sorted_hits())
    starting_at = ctx.hits_at  # the hits starting at a position (those added meanwhile included)
    rank = {t: i for i, t in enumerate(("Country", "Province", "City", "District", "Subdistrict", "Community"))}
    for h in hits:
        if h.resolution == "contextual-deixis":
            continue
        # area followed by a lower area: 葵涌办事处溪涌社区, 深圳市大鹏新区
        if h.type in rank:
            if h.area is None:  # a zone named after the district it lies in: 武进国家高新技术产业开发区
                for g in starting_at(h.start):
                    if g is not h and g.end < h.end and g.type in rank and rank[g.type] <= rank[h.type] and g.area is not None:
                        add(h, "withinArea", g, h.start, h.end)
            for nxt in starting_at(h.end):
                if nxt.type in rank and rank[nxt.type] > rank[h.type]:
                    add(nxt, "withinArea", h, h.start, nxt.end)
                if nxt.type == "Place":
                    add(nxt, "withinArea", h, h.start, nxt.end)
        if h.type in ("PublicOrganisation", "LeadingGroup", "Company", "Place"):
            inner = [g for g in starting_at(h.start) if g is not h and g.end < h.end]
            bodies = [g for g in inner if g.type in ("PublicOrganisation", "LeadingGroup") and h.type != "Place"]
            for g in bodies:
                add(h, "subOrganizationOf", g, h.start, h.end)
            if bodies:
                # a unit's area is its parent body's, unless its own full name starts with an area
                area = _full_name_area(ctx, h) or _deepest_area(ctx, h, rank)
            else:
                area = _full_name_area(ctx, h) or _deepest_area(ctx, h, rank) or _name_area(ctx, h)
            if area is not None and h.type not in ("LeadingGroup", "Company"):  # companies serve no area
                add(h, "withinArea" if h.type == "Place" else "jurisdiction", area, h.start, h.end)
    # the bodies ending at each position, by start: what ``hits_around(k - 1, k)`` ending at ``k`` gives of
    # these types (the hits added meanwhile are areas)
    bodies_ending: dict[int, list[Hit]] = {}
    for h in hits:
        if h.type in _BODIES:
            at = bodies_ending.get(h.end)
            if at is None:
                bodies_ending[h.end] = [h]
            else:
                at.append(h)
    # the report's own office, as written in its header
    pub_name = ctx.doc.metadata.publisher
    publisher = next((h for h in hits if h.type == "PublicOrganisation" and pub_name and text[h.start : h.end] == pub_name), None)
    # a people's tribunal belongs to the court that publishes the report (人民法庭 are its detached benches)
    if publisher is not None and pub_name.endswith("人民法院"):
        for h in hits:
            if h.type == "PublicOrganisation" and h.name.endswith("人民法庭"):
                add(h, "subOrganizationOf", publisher, h.start, h.end)
    # coordinated bodies share the area of the first: 新区党工委、管委会
    areas_of: dict[str, set[str]] = {}
    for k in seen:
        if k[1] == "jurisdiction":
            areas_of.setdefault(k[0], set()).add(k[2])
    for h in hits:
        if h.type == "PublicOrganisation" and h.start > 0 and text[h.start - 1] == "、":
            prev = [g for g in bodies_ending.get(h.start - 1, ()) if g.type == "PublicOrganisation"]
            if prev and h.key not in areas_of:
                for area in sorted(areas_of.get(prev[0].key, ())):
                    add(h, "jurisdiction", area, prev[0].start, h.end)
    # a leading group named after a programme leads it: 平安大鹏建设领导小组
    programmes: dict[str, Hit] = {}
    for h in hits:
        if h.type == "Initiative" and len(h.name) >= 3:
            programmes.setdefault(h.name, h)
    order = {n: i for i, n in enumerate(programmes)}
    longest = max(map(len, programmes), default=0)
    for h in hits:
        if h.type != "LeadingGroup":
            continue
        for g in ctx.hits_in(h.start, h.end, _INITIATIVE):
            add(g, "leadBy", h, h.start, h.end)
        for g in _named_inside(ctx, h, programmes, order, longest):
            add(g, "leadBy", h, h.start, h.end)
    # a programme whose name contains a document's name refers to it: 把民法典请回家
    for h in hits:
        if h.type == "Initiative":
            for g in ctx.hits_in(h.start, h.end, _DOCUMENT):
                add(h, "references", g, h.start, h.end)
    # person of an organisation: 工作站的工作人员张浩, 党工委书记周立群 (a head)
    for h in hits:
        if h.type != "Person":
            continue
        role = str(h.attrs.get("role", ""))
        k = h.start
        while k > 0 and text[k - 1] in " \u3000":
            k -= 1  # 院长　刘志强: a space between post and name on a signature line
        k -= len(role)
        if text[k : k + len(role)] != role:
            continue
        k2 = k - 1 if text[k - 1 : k] == "的" else k
        orgs = bodies_ending.get(k2, ())
        if not orgs and publisher is not None and _publisher_word(text, k, pub_name):
            orgs = [publisher]  # 局党组书记、局长王建新, 由分局政委刘卫东: the report's own office
        if orgs:
            org = min(orgs, key=lambda g: g.start)
            if role in HEAD_ROLES:
                add(org, "headedBy", h, org.start, h.end, role=role)
            add(h, "memberOf", org, org.start, h.end, role=role or None)
        # 镇长刘俊峰 in a report of the town's government: the head of the publisher
        if not orgs and publisher is not None and role in _GOVERNMENT_HEADS and pub_name and pub_name.endswith(_GOVERNMENT_HEADS[role]):
            add(publisher, "headedBy", h, h.start, h.end, role=role)
            add(h, "memberOf", publisher, h.start, h.end, role=role)
        # 由…周立群任组长的…专班; 由马国强任指挥长、刘俊峰任常务副指挥长的…指挥部 (deputies are members)
        m = _TAKES_POST.match(text, h.end, h.end + 12)
        if m:
            _ss, se = ctx.sentence(h.end)
            de = text.find("的", m.end() - 1, min(se, m.end() + 40))
            after = de + 1 if de >= 0 and text[m.end() - 1] != "的" else m.end()
            group = [g for g in ctx.hits_in(after, se, {"LeadingGroup", "PublicOrganisation"}) if g.start == after]
            for g in group[:1]:
                post = m.group(1)
                if post.startswith(("副", "常务副")):
                    add(h, "memberOf", g, h.start, g.end, role=post)
                else:
                    add(g, "headedBy", h, h.start, g.end, role=post)
    _pattern_relations(ctx, hits, add, bodies_ending)
    # an area read from the start of a body's name may be one the text never names (大鹏计法院 → 大鹏新区 in a
    # fragment without the district): only relations between entities of the text are kept
    keys = {h.key for h in ctx.hits}
    return [r for r in out if r.subject in keys and r.object in keys]


#: Heads of a government by its level: 镇长 heads a 镇人民政府.
_GOVERNMENT_HEADS = {"镇长": "镇人民政府", "乡长": "乡人民政府", "县长": "县人民政府", "区长": "区人民政府", "市长": "市人民政府"}
_TAKES_POST = re.compile(r"任((?:常务)?副?(?:组长|指挥长|主任|召集人|总指挥|队长|站长|负责人))的?")


def _publisher_word(text: str, k: int, pub_name: str | None) -> bool:
    """True when the words before a role at ``k`` name the report's own office by the end of its name
    (局, 分局, 中心) or by 本局/我局, after a separator: 局党组书记、局长…, 由分局政委…."""
    m = re.search(r"(?:^|[，。；、\s由的和与及])(本|我)?([\u4e00-\u9fff]{1,3}?)(党组书记、|党委书记、)?$", text[max(0, k - 12) : k])
    if m is None:
        return False
    word = m.group(2)
    return word in ("局", "委", "办", "所", "院", "中心") or bool(pub_name and len(word) >= 2 and pub_name.endswith(word))


def _named_inside(ctx: Context, h: Hit, programmes: dict[str, Hit], order: dict[str, int], longest: int) -> list[Hit]:
    """Initiatives mentioned elsewhere whose name occurs inside ``h``'s name, in the order of ``programmes``
    (``order``: each name's place there; ``longest``: the longest name). The name's substrings are looked
    up rather than every programme tried: linear in the number of programmes."""
    name = ctx.text[h.start : h.end].replace("“", "").replace("”", "")
    found = {
        name[i:j]
        for i in range(len(name) - 2)
        for j in range(i + 3, min(len(name), i + longest) + 1)
        if name[i:j] in order
    }
    return [g for g in (programmes[n] for n in sorted(found, key=order.__getitem__)) if not (h.start <= g.start < h.end)]


def _deepest_area(ctx: Context, h: Hit, rank: dict[str, int]) -> str | None:
    """The innermost of the areas a name starts with: 深圳市大鹏新区政法办公室 → 大鹏新区."""
    best = None
    pos = h.start
    while True:
        nxt = [g for g in ctx.hits_at(pos) if g.type in rank and g.end < h.end and g is not h]
        if not nxt:
            break
        best = max(nxt, key=lambda g: g.end)
        pos = best.end
    if best is None or best.resolution == "contextual-deixis" and not _named(ctx, best):
        return None
    return best.key


def _named(ctx: Context, area_hit: Hit) -> bool:
    """True when the area is also written by name somewhere in the document."""
    return ctx.named(area_hit.key)


def _full_name_area(ctx: Context, h: Hit) -> str | None:
    """The innermost area whose full name (or a child's short name after it) begins the canonical name."""
    cache = ctx.cache.setdefault("full_name_area", {})
    if h.name not in cache:
        cache[h.name] = _full_name_area_uncached(ctx, h)
    key = cache[h.name]
    return key if key is not None and ctx.named(key) else None


def _full_name_area_uncached(ctx: Context, h: Hit) -> str | None:
    name = re.sub("^(中共|中国共产党)", "", h.name)
    best, pos = None, 0
    for s, e, area in ctx.gaz.find_in_text(name, within=ctx.home):
        if s != pos or e >= len(name):
            break
        best, pos = area, e
    if best is None:
        return None
    for n in (4, 3, 2):  # 武汉市江汉公证处: 江汉 is 江汉区 inside 武汉市
        stem = name[pos : pos + n]
        if len(stem) == n and len(name) > pos + n + 1:
            kids = [a for a in ctx.gaz.lookup(stem) if a.short == stem and a.parent == best.key]
            if len(kids) == 1:
                best = kids[0]
                break
    else:
        # 常州市公安局武进分局: a sub-bureau named by a district's short name serves that district
        suffix = next((x for x in _BRANCH_SUFFIXES if name.endswith(x)), None)
        for n in (2, 3, 4) if suffix else ():
            stem = name[-len(suffix) - n : -len(suffix)]
            kids = [a for a in ctx.gaz.lookup(stem) if a.short == stem and a.parent == best.key] if len(name) - len(suffix) - n >= pos else []
            if len(kids) == 1:
                best = kids[0]
                break
    return f"{LEVEL_TYPE[best.level]}:{best.key}"


_BRANCH_SUFFIXES = ("分局", "分院", "支局")
#: What follows a 街道/镇's short name in its bodies' names: 葵涌司法所, 葵涌办事处.
_TOWN_BODIES = ("办事处", "司法所", "派出所", "街道", "镇")


def _name_area(ctx: Context, h: Hit) -> str | None:
    """The area an organisation's name begins with: 新区… → the home district, 葵涌司法所 → 葵涌街道."""
    cache = ctx.cache.setdefault("name_area", {})
    ck = (h.name, ctx.text[h.start : h.end])
    if ck in cache:
        found = cache[ck]
        if found is not None and found[1] is not None:
            ctx.add(Hit(h.start, h.start + found[1], "Subdistrict", found[2].name, (found[3],), "alias", area=found[2]))
        return found[0] if found is not None else None
    cache[ck] = None
    key = _name_area_uncached(ctx, h, cache, ck)
    if ck not in cache or cache[ck] is None:
        cache[ck] = (key, None, None, None)
    return key


def _name_area_uncached(ctx: Context, h: Hit, cache: dict, ck: tuple[str, str]) -> str | None:
    if ctx.gaz.find_in_text(re.sub("^(中共|中国共产党)", "", h.name))[:1]:
        return _full_name_area(ctx, h)
    raw = ctx.text[h.start : h.end]
    for n in (4, 3, 2):
        stem = raw[:n]
        if len(raw) <= n + 1:
            continue
        named = [a for a in ctx.gaz.lookup(stem, within=ctx.home) if a.short == stem and a.level in ("district", "city", "province")]
        if named:
            if (
                h.type in ("PublicOrganisation", "LeadingGroup")
                and named[0].level == "district"
                and not raw[n:].startswith((*_TOWN_BODIES, "律师", "公证"))
                and ctx.home is not None
                and (ctx.gaz.is_within(ctx.home, named[0]) or ctx.gaz.is_within(named[0], ctx.home))
            ):
                return f"{LEVEL_TYPE[named[0].level]}:{named[0].key}"  # 武进交警大队 in a report of 武进区
            if not raw[n:].startswith(_TOWN_BODIES):
                continue  # 大鹏所城: 大鹏 is also 大鹏新区
        for cand in (stem + "街道", stem + "镇"):
            for area in ctx.gaz.lookup(cand, within=_district(ctx)):
                if area.level == "subdistrict" and _district(ctx) in ctx.gaz.ancestors(area):
                    ctx.add(Hit(h.start, h.start + n, "Subdistrict", area.name, (stem,), "alias", area=area))
                    cache[ck] = (f"Subdistrict:{area.key}", n, area, stem)
                    return f"Subdistrict:{area.key}"
    return None


def _district(ctx: Context):
    home = ctx.home
    if home is not None and home.level in ("subdistrict", "community"):
        for a in ctx.gaz.ancestors(home):
            if a.level == "district":
                return a
    return home


_PILOT = re.compile(r"以([^，。；]{2,60}?)为(?:试点|示范点|示范|重点|突破口)")
_SITE_LIST = re.compile(r"((?:[\u4e00-\u9fff]{2,4}、)+[\u4e00-\u9fff]{2,4})(等)?(?:首批|第一批|第二批)?(?:(\d+|[一二三四五六七八九十两]+)个)?(社区|街道|村)")
#: What follows a 、 inside a :data:`_SITE_LIST` match: Han characters, 、 and digits up to the area word.
_SITE_LIST_REST = re.compile(r"[\u4e00-\u9fff、\d]*?(?:社区|街道|村)")
_PARTICIPANT = re.compile(r"(?:引导|组织|动员|发动|鼓励|支持|吸纳|邀请|带动|联合|会同)(.{2,30}?)(?:深度|积极|全面|广泛|主动|定期)?(?:参与|开展|参加|坐班|入驻|进驻|共同)")
_WITH = re.compile(r"与([^，。；]{2,40}?)(?:共同|联合)?(?:建立|签订|共建|搭建|构建)")
_SITE_AT = re.compile(r"在([^，。；]{2,40}?)(?:建成|建设|设立|打造|开设|启用|设置|挂牌|揭牌|新建|成立)")
_COVERS = re.compile(r"(?:涉及|覆盖|包括|惠及)([^，。；]{2,40}?)(?:等)?(?:\d+|[一二三四五六七八九十两]+)?个?(?:社区|街道|村|镇)")
_APPROVED = re.compile(r"经(.{2,20}?)(?:批复|批准|同意|认定|授权)")
_LEAD = re.compile(r"由(.{2,24}?)(?:牵头|负责|主导|统筹)")
#: Verbs by which a body runs a programme (开展, 推出, 打造 …), directly after the body's name.
_RUNS = re.compile("开展|推出|打造|开设|实施|启动|推行|创建|举办")
_RUN_ADVERB = re.compile("(?:持续|深入|创新|率先|全面|牵头|部署|组织|联合)$")
_MEMBERS_LEAD = re.compile(r"等\d*个?(?:部门|单位)$")
_VENUE = re.compile(r"在(.{2,20}?)(?:举行|举办|召开|开展|启动)")


_LEADERS = frozenset({"PublicOrganisation", "LeadingGroup"})
_BODIES = frozenset({"PublicOrganisation", "LeadingGroup", "Company"})
_INITIATIVE = frozenset({"Initiative"})
_PLACE = frozenset({"Place"})
_DOCUMENT = frozenset({"NormativeDocument"})


def _pattern_relations(ctx: Context, hits: list[Hit], add, bodies_ending: dict[int, list[Hit]]) -> None:
    """Relations stated by patterns; ``bodies_ending``: the :data:`_BODIES` hits ending at each position."""
    text = ctx.text
    from .figures import chinese_number

    def first_after(pos: int, end: int, types: set[str]) -> Hit | None:
        # the first by (start, -end): hits come by start, longest first
        for h in ctx.starting(pos, end):
            if h.end <= end + 200 and h.type in types and h.resolution != "contextual-deixis":
                return h
        return None

    def inside(s: int, e: int, types: set[str]) -> list[Hit]:
        # hits by start, longest first: one nested in an earlier one ends before that one's end
        out, reach = [], -1
        for h in ctx.hits_in(s, e, types):
            if h.resolution != "contextual-deixis" and h.end > reach:
                out.append(h)
                reach = h.end
        return out

    for m in _PILOT.finditer(text, ctx.body_start):
        ss, se = ctx.sentence(m.start())
        pilots = inside(m.start(1), m.end(1), AREA_TYPES | {"Place", "PublicOrganisation"})
        init = first_after(m.end(), se, {"Initiative"})
        if init is None:
            before = ctx.hits_in(ss, m.start(), {"Initiative"})
            init = before[-1] if before else None
        if init is None:
            continue
        open_list = "等" in m.group(1)
        for p in pilots:
            if p.type == "PublicOrganisation":  # bodies chosen as pilots take part; pilot areas are places
                add(init, "participant", p, m.start(), m.end())
            else:
                add(init, "pilotArea", p, m.start(), m.end(), open_list=open_list)
    for m in anchored(_SITE_LIST, _COMMA, text, ctx.body_start, back=4, ahead=120, until=_AREA_WORD, rest=_SITE_LIST_REST):
        e = m.end()
        facility = [h for h in ctx.hits_at(m.start(4)) + ctx.hits_at(e) if h.end > e and h.type in ("Place", "Initiative")]
        if not facility:
            continue
        items = inside(m.start(1), m.end(1), AREA_TYPES)
        n = chinese_number(m.group(3)) if m.group(3) else None
        open_list = bool(m.group(2)) and not (n is not None and n == len(items))
        fac = max(facility, key=lambda h: h.end)
        for it in items:
            add(fac, "site", it, m.start(), fac.end, open_list=open_list)
    # 前黄派出所与前黄镇人民政府共同建立“反诈进村”积分制度: both sides of 与 take part in what they set up
    for m in _WITH.finditer(text, ctx.body_start):
        _cs, ce = ctx.clause(m.end())
        obj = first_after(m.end(), ce, _INITIATIVE)
        if obj is None:
            continue
        sides = inside(m.start(1), m.end(1), AGENTS)
        sides += [h for h in ctx.hits_around(m.start() - 1, m.start()) if h.end == m.start() and h.type in AGENTS and h.resolution != "contextual-deixis"][:1]
        for a in sides:
            add(obj, "participant", a, min(a.start, m.start()), obj.end)
    for m in _PARTICIPANT.finditer(text, ctx.body_start):
        agents = inside(m.start(1), m.end(1), AGENTS)
        ss, se = ctx.sentence(m.end())
        _cs, ce = ctx.clause(m.end())
        obj = first_after(m.end(), ce, {"Initiative"})
        if obj is None:
            before = ctx.hits_in(ss, m.start(), {"Initiative"})
            obj = before[-1] if before else None
        for a in agents:
            if obj is not None:
                add(obj, "participant", a, m.start(), obj.end)
    for m in _SITE_AT.finditer(text, ctx.body_start):
        where = inside(m.start(1), m.end(1), AREA_TYPES | {"Place"})
        # 民权街道大兴社区: the community, not the subdistrict written before it
        where = [a for a in where if not any(b.start == a.end and b.type in AREA_TYPES for b in where)]
        _cs, ce = ctx.clause(m.end())
        cands = [h for h in ctx.hits_in(m.end(), ce) if h.type in ("Initiative", "Place", "PublicOrganisation") and h.resolution != "contextual-deixis"]
        if not cands:
            continue
        first = min(h.start for h in cands)
        obj = max((h for h in cands if h.start <= first + 1), key=lambda h: (h.end - h.start, h.type == "PublicOrganisation"))
        for a in where:
            if obj.type == "PublicOrganisation" and a.type in AREA_TYPES:
                add(obj, "jurisdiction", a, m.start(), obj.end)
            elif obj.type == "Place" and a.type in AREA_TYPES:
                add(obj, "withinArea", a, m.start(), obj.end)
            elif a.type == "Place":
                add(obj, "location", a, m.start(), obj.end)
            else:
                add(obj, "site", a, m.start(), obj.end)
    # 在汉兴街道先行试点“智慧矫正”…: the area is the programme's pilot
    for m in re.finditer(r"在([^，。；]{2,20}?)(?:先行|率先)?(?:开展)?试点", text):
        areas = inside(m.start(1), m.end(1), AREA_TYPES)
        _cs, ce = ctx.clause(m.end())
        init = first_after(m.end(), ce, {"Initiative"})
        for a in areas:
            if init is not None:
                add(init, "pilotArea", a, m.start(), init.end, open_list=False)
    # X、Y等N个部门为成员单位: members of the leading group named just before
    for m in re.finditer("为成员单位", text):
        lead = _MEMBERS_LEAD.search(text, max(0, m.start() - 12), m.start())
        start = lead.start() if lead else m.start()
        ss, _se = ctx.sentence(start)
        groups = ctx.hits_in(ss, start, {"LeadingGroup"})
        if not groups:
            continue
        cs, _ce = ctx.clause(start)
        for b in inside(cs, start, {"PublicOrganisation", "Company"}):
            add(b, "memberOf", groups[-1], b.start, m.end())
    for m in _COVERS.finditer(text, ctx.body_start):
        areas = inside(m.start(1), m.end(), AREA_TYPES)
        ss, _se = ctx.sentence(m.start())
        before = ctx.hits_in(ss, m.start(), {"Initiative"})
        for a in areas:
            if before:
                add(before[-1], "site", a, before[-1].start, m.end())
    for m in _APPROVED.finditer(text, ctx.body_start):
        bodies = inside(m.start(1), m.end(1), AGENTS)
        _cs, ce = ctx.clause(m.end())
        _ss, se = ctx.sentence(m.end())
        obj = first_after(m.end(), se, {"PublicOrganisation"}) or first_after(m.end(), ce, {"Initiative", "Place", "NormativeDocument"})
        if obj is None:
            prev = [h for h in ctx.hits_around(m.start() - 2, m.start()) if m.start() - 2 <= h.end <= m.start() and h.type in ("Initiative", "Place", "PublicOrganisation")]
            obj = prev[0] if prev else None
        for b in bodies:
            if obj is not None:
                add(obj, "approvedBy", b, m.start(), obj.end)
    for m in _LEAD.finditer(text, ctx.body_start):
        people = inside(m.start(1), m.end(1), {"Person"})
        if people:
            ss, _se = ctx.sentence(m.start())
            set_up = [h for h in ctx.hits_in(ss, m.start(), {"PublicOrganisation", "LeadingGroup"}) if h.resolution != "contextual-deixis"]
            if set_up:
                body = max(set_up, key=lambda h: (h.end, h.end - h.start))
                add(body, "headedBy", people[-1], body.start, m.end())
        bodies = inside(m.start(1), m.end(1), {"PublicOrganisation", "LeadingGroup", "Company"})
        _ss, se = ctx.sentence(m.end())
        obj = first_after(m.end(), se, {"Initiative", "LeadingGroup"})
        for b in bodies:
            if obj is not None:
                add(obj, "leadBy", b, m.start(), obj.end)
    # a body at the head of a clause that runs a programme leads it: 文新司法所联合…开展“法律进网格”活动
    for m in re.finditer(r"(?:联合|牵头|组织|会同)[^，。；]{0,30}?开展", text):
        lead = [h for h in bodies_ending.get(m.start(), ()) if h.type in _LEADERS]
        if not lead:
            continue
        cs, ce = ctx.clause(m.start())
        lead = [h for h in lead if h.start >= cs]
        obj = first_after(m.end(), ce, _INITIATIVE)
        if lead and obj is not None:
            add(obj, "leadBy", min(lead, key=lambda h: h.start), lead[0].start, obj.end)
    # a body that opens its clause and runs a programme leads it: 网安大队开展“净网2022”专项行动
    for m in _RUNS.finditer(text, ctx.body_start):
        adverb = _RUN_ADVERB.search(text, max(0, m.start() - 2), m.start())
        at = adverb.start() if adverb else m.start()
        lead = [h for h in bodies_ending.get(at, ()) if h.type in _LEADERS and h.resolution != "contextual-deixis"]
        if not lead:
            continue
        cs, ce = ctx.clause(at)
        lead = [h for h in lead if h.start >= cs]
        if not lead:
            continue
        body = min(lead, key=lambda h: h.start)
        if text[cs : body.start].strip(" 　\u3000") not in ("", "同时", "此外", "其中", "全年"):  # noqa: B005 - a set of spaces
            continue  # the body must head the clause
        obj = first_after(m.end(), ce, _INITIATIVE)
        if obj is not None:
            add(obj, "leadBy", body, body.start, obj.end)
    # a place named inside a programme's name: 丰潭路沿线环境综合整治工程
    for h in hits:
        if h.type == "Initiative":
            for g in ctx.hits_in(h.start, h.end, _PLACE):
                add(h, "location", g, h.start, h.end)
    for m in _VENUE.finditer(text, ctx.body_start):
        places = inside(m.start(1), m.end(1), {"Place"} | AREA_TYPES)
        _cs, ce = ctx.clause(m.end())
        obj = first_after(m.end(), ce, {"Initiative"})
        for p in places:
            if obj is not None:
                add(obj, "location", p, m.start(), obj.end)


def plan_items(ctx: Context) -> list[PlanItem]:
    """Next year's plan items (一是…, 1.…) with the documents they reference and the programmes they name."""
    doc = ctx.doc
    items = [s for s in doc.sections if s.part == "plan" and s.kind in ("item", "subsection")]
    top = []
    for s in sorted(items, key=lambda s: (s.start, -s.end)):
        if not top or s.start >= top[-1].end:
            top.append(s)  # not nested in the previous top-level item
    if not top:
        top = [s for s in doc.sections if s.part == "plan" and s.kind == "paragraph" and not s.heading]
    out: list[PlanItem] = []
    for k, s in enumerate(sorted(top, key=lambda s: s.start), 1):
        text = ctx.text[s.start : s.end]
        lead = re.split(r"[。；]", text, maxsplit=1)[0].strip()
        refs = [h for h in ctx.hits_in(s.start, s.end, {"NormativeDocument"})]
        inits = [h for h in ctx.hits_in(s.start, s.end, {"Initiative"})]
        out.append(
            PlanItem(
                ordinal=k,
                start=s.start,
                end=s.end,
                summary=lead[:120],
                year=s.year,
                references=sorted({h.key for h in refs}),
                initiatives=sorted({h.key for h in inits}),
                mentions=[Mention(doc.id, s.start + text.find(lead), s.start + text.find(lead) + len(lead), lead, "PlanItem")]
                if lead
                else [],
            )
        )
    return out
