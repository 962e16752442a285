"""Demo catalog (演示数据：栏目、公开信息、政策解读、权责清单) for `gongkai demo`.

Everything goes in through the catalog and review services, so each demo item has the revisions, submissions,
decisions with the five checks and audit events that real use leaves behind. The one exception is
`_backdate`: the review engine stamps a publication with the current moment, and a demo city whose whole
history was published "today" would not look like a real agency's site, so after approval the publication
moment is moved to the intended historic date there, and only there.

The texts are composed from templates and word lists below; the city (明川市) and everything about it is
fictional.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.html import escape

from gongkai.catalog import search_documents, selectors, services
from gongkai.catalog.models import Channel, Column, DutyListVersion, Item
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.services import next_counter_value, record_event
from gongkai.demo.city import CITY, SCIENCE_BUREAU, DemoContext
from gongkai.orgs.models import Organisation, Role
from gongkai.review import services as review
from gongkai.review.models import Decision, Submission
from gongkai.review.selectors import current_task, open_findings

ALL_CHECKS = {name: True for name in Decision.CHECK_FIELDS}
APPROVE_COMMENTS = ["", "", "同意。", "同意发布。", "经审核，内容符合要求。", "经审查不涉及国家秘密和工作秘密。", "同意，按程序发布。"]
START = dt.date(2024, 1, 1)


# ---- columns ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnSpec:
    slug: str
    name: str
    description: str
    statutory_category: str
    update_class: str
    expected_update_days: int | None
    parent: str = ""


COLUMNS: list[ColumnSpec] = [
    ColumnSpec("jggk", "机构概况", "机关职能、领导信息、内设机构和联系方式", "art20_2", Column.UpdateClass.OTHER, None),
    ColumnSpec("gzdt", "工作动态", "本机关重要会议、活动和工作进展", "art20_15", Column.UpdateClass.NEWS, 7),
    ColumnSpec("tzgg", "通知公告", "项目申报、评审公示和各类通知公告", "art20_15", Column.UpdateClass.NOTICE_POLICY, 30),
    ColumnSpec("zcwj", "政策文件", "本机关制发的规范性文件和其他政策文件", "art20_1", Column.UpdateClass.NOTICE_POLICY, 30),
    ColumnSpec("zcjd", "政策解读", "文字解读、图文解读（一图读懂）和新闻发布会", "art20_1",
               Column.UpdateClass.NOTICE_POLICY, 30),
    ColumnSpec("xqdt", "县区动态", "各县（区）科技局工作动态", "art20_15", Column.UpdateClass.NEWS, 7, parent="gzdt"),
    ColumnSpec("czyjs", "财政预决算", "部门预算、决算及“三公”经费说明", "art20_7", Column.UpdateClass.OTHER, 365),
    ColumnSpec("rsxx", "人事信息", "公开招聘、任前公示等人事信息", "art20_14", Column.UpdateClass.OTHER, None),
    ColumnSpec("qtxx", "其他信息", "政府信息公开年度报告等其他应当主动公开的信息", "art20_15", Column.UpdateClass.OTHER, None),
]


def build_columns(ctx: DemoContext) -> dict[str, dict[str, Column]]:
    """The same column set for every organisation; 县区动态 only for the science bureau."""
    made: dict[str, dict[str, Column]] = {}
    for code, org in ctx.orgs.items():
        editor = ctx.staff[code][Role.EDITOR]
        made[code] = {}
        for order, spec in enumerate(COLUMNS, start=1):
            if spec.slug == "xqdt" and code != SCIENCE_BUREAU:
                continue
            made[code][spec.slug] = services.create_column(
                editor, org, name=spec.name, slug=spec.slug, description=spec.description,
                statutory_category=spec.statutory_category, update_class=spec.update_class,
                expected_update_days=spec.expected_update_days, sort_order=order * 10,
                parent=made[code][spec.parent] if spec.parent else None,
            )
    return made


# ---- vocabularies for composing texts ---------------------------------------------------------------

@dataclass(frozen=True)
class Domain:
    """The words one kind of organisation writes about."""

    topic: str
    doc_prefix: str
    counterparts: str
    subjects: list[str]
    activities: list[str]
    programs: list[str]
    results: list[str]  # 公示 / 名单
    stats: list[Callable[[random.Random], str]]
    emphases: list[str]
    policies: list[tuple[str, str]]  # (rule title, what it governs)
    departments: list[str]
    system: str
    law: str


SCIENCE = Domain(
    topic="11", doc_prefix="明科", counterparts="科技局",
    subjects=["高新技术企业培育", "科技成果转化", "科技型中小企业评价", "科技特派员服务", "创新平台建设", "科研诚信建设",
              "科学技术普及", "技术合同认定登记", "企业研发投入", "东西部科技合作", "科技金融", "农业科技创新",
              "科技计划项目管理", "科技人才引进培养"],
    activities=["科技活动周系列活动", "科技特派员“进村入企”服务活动", "“科技服务企业行”活动", "高新技术企业认定政策宣讲",
                "全国科普日主题活动", "科技计划项目中期检查", "研发费用加计扣除政策培训", "技术合同登记业务培训",
                "科技成果路演对接活动", "“专精特新”企业走访服务", "科研诚信专项检查", "实验动物许可现场核查"],
    programs=["市级科技计划项目", "高新技术企业认定", "科技型中小企业评价入库", "科技创新券兑付", "科技特派员选派",
              "市级重点实验室认定", "新型研发机构认定", "科技企业孵化器和众创空间认定", "市级科技进步奖推荐",
              "企业研发费用后补助"],
    results=["科技计划拟立项项目", "高新技术企业培育库入库企业", "市级重点实验室拟认定名单", "科技计划项目验收结果",
             "科技特派员考核优秀名单", "新型研发机构拟认定名单", "科技创新券兑付企业名单"],
    stats=[
        lambda r: f"全市有效期内高新技术企业达到{r.randint(180, 320)}家，同比增长{r.randint(8, 25)}%",
        lambda r: f"入库科技型中小企业{r.randint(600, 1100)}家",
        lambda r: f"登记技术合同{r.randint(300, 900)}项，成交额{r.randint(12, 48)}.{r.randint(1, 9)}亿元",
        lambda r: f"全市R&D经费投入强度达到{r.randint(1, 2)}.{r.randint(10, 95)}%",
        lambda r: f"选派科技特派员{r.randint(120, 260)}名，服务企业和合作社{r.randint(200, 480)}家",
        lambda r: f"新建市级以上创新平台{r.randint(12, 40)}个",
    ],
    emphases=["要坚持创新在现代化建设全局中的核心地位，强化企业科技创新主体地位",
              "要聚焦主导产业关键核心技术攻关，集中资金支持大项目、好项目",
              "要持续优化科研管理，落实“放管服”改革要求，为科研人员松绑减负",
              "要加快科技成果转化落地，打通科技服务企业“最后一公里”",
              "要严格科技计划项目和资金监管，坚守科研诚信底线",
              "要加大科技创新政策宣传解读力度，推动政策应享尽享"],
    # In date order: the trial voucher rule comes first so it has lapsed by now, the project rule second
    # so its 2026 revision can abolish it.
    policies=[("明川市科技创新券实施细则（试行）", "科技创新券的申领、使用和兑付"),
              ("明川市科技计划项目管理办法", "市级科技计划项目的立项、实施、验收和监督管理"),
              ("明川市科技特派员管理办法", "科技特派员的选派、服务、考核和激励"),
              ("明川市高新技术企业培育库管理办法", "高新技术企业培育库的入库、培育和出库管理"),
              ("明川市科研诚信管理实施细则", "科研诚信建设、科研失信行为调查处理"),
              ("明川市新型研发机构认定管理办法（试行）", "新型研发机构的认定、绩效评价和支持措施")],
    departments=["办公室", "政策法规科", "高新技术科", "农村与社会发展科", "成果转化与区域合作科", "科技人才与科普科"],
    system="明川市科技项目管理系统",
    law="《中华人民共和国科学技术进步法》",
)

EDUCATION = Domain(
    topic="11", doc_prefix="明教", counterparts="教育局",
    subjects=["义务教育优质均衡发展", "学前教育普及普惠", "“双减”工作", "教师队伍建设", "校园安全", "职业教育产教融合",
              "教育信息化", "学生体质健康", "招生入学"],
    activities=["中小学校园安全专项检查", "义务教育阶段招生入学政策宣传", "教师业务能力提升培训", "“书香校园”读书活动",
                "中小学生科技创新大赛", "秋季学期开学工作督导"],
    programs=["中小学教师职称评审", "市级优秀教学成果奖评选", "义务教育阶段学校招生入学", "学前教育普惠性幼儿园认定"],
    results=["市级优秀教学成果奖拟获奖名单", "普惠性幼儿园认定名单", "市级骨干教师拟认定名单"],
    stats=[lambda r: f"全市新建改扩建中小学和幼儿园{r.randint(8, 22)}所，新增学位{r.randint(5, 15)}千余个",
           lambda r: f"义务教育巩固率达到{r.randint(97, 99)}.{r.randint(1, 9)}%"],
    emphases=["要坚持立德树人根本任务，办好人民满意的教育", "要扎实推进义务教育优质均衡发展和城乡一体化",
              "要压紧压实校园安全责任，守牢安全底线"],
    policies=[("明川市中小学校校外培训监管办法", "校外培训机构的审批、监管和处罚")],
    departments=["办公室", "基础教育科", "职业教育与成人教育科", "教师工作科", "督导室"],
    system="明川市教育管理服务平台",
    law="《中华人民共和国教育法》《中华人民共和国民办教育促进法》",
)

ENVIRONMENT = Domain(
    topic="10", doc_prefix="明环", counterparts="生态环境分局",
    subjects=["大气污染防治", "水污染防治", "土壤污染防治", "生态环境执法", "环境影响评价", "固体废物管理", "生态环境监测"],
    activities=["“六五”环境日宣传活动", "重点排污单位执法检查", "黄河流域入河排污口排查整治", "秋冬季大气污染防治督导",
                "危险废物规范化管理评估"],
    programs=["建设项目环境影响评价审批", "排污许可证核发", "生态环境保护专项资金项目"],
    results=["建设项目环境影响评价文件拟审批", "重点排污单位名录", "生态环境保护专项资金拟支持项目"],
    stats=[lambda r: f"全市空气质量优良天数比例达到{r.randint(78, 88)}.{r.randint(1, 9)}%",
           lambda r: f"地表水国控断面水质优良比例保持在{r.randint(85, 100)}%"],
    emphases=["要坚持精准治污、科学治污、依法治污", "要持续深入打好蓝天、碧水、净土保卫战",
              "要严格落实生态环境保护责任清单"],
    policies=[("明川市生态环境违法行为有奖举报办法", "生态环境违法行为举报的受理、核查和奖励")],
    departments=["办公室", "大气环境科", "水生态环境科", "环境影响评价与排放管理科", "执法监督科"],
    system="明川市生态环境政务服务平台",
    law="《中华人民共和国环境保护法》",
)

GOVERNMENT = Domain(
    topic="02", doc_prefix="明政办", counterparts="人民政府",
    subjects=["优化营商环境", "政务服务“一网通办”", "政务公开", "安全生产", "重点项目建设", "民生实事"],
    activities=["市政府常务会议", "全市优化营商环境大会", "重点项目集中开工活动", "政务公开工作培训"],
    programs=["优化营商环境典型案例", "市级民生实事项目建议征集"],
    results=["民生实事项目"],
    stats=[lambda r: f"全市地区生产总值同比增长{r.randint(4, 7)}.{r.randint(1, 9)}%",
           lambda r: f"政务服务事项网上可办率达到{r.randint(95, 99)}%"],
    emphases=["要坚持稳中求进工作总基调，推动高质量发展", "要持续优化营商环境，提升政务服务效能",
              "要全面推进政务公开，以公开促落实、促规范、促服务"],
    policies=[("明川市政务公开工作管理办法", "政务公开的主体、内容、程序和监督保障")],
    departments=["秘书科", "政务公开办", "政务服务管理办", "督查室"],
    system="明川市政务服务网",
    law="《中华人民共和国政府信息公开条例》",
)

DOMAINS = {CITY: GOVERNMENT, SCIENCE_BUREAU: SCIENCE, "mcjyj": EDUCATION, "mcsthjj": ENVIRONMENT}
PLACES = ["明川高新技术产业开发区", "东湖区", "西岭县", "南溪县", "金川区", "明川经济技术开发区"]
UNIVERSITIES = ["明川大学", "明川职业技术学院", "明川农业科学院"]
COUNTY_CODES = ["dhqkjj", "xlxkjj", "nxxkjj"]
COUNTY_CODES_NAMES = ["东湖区", "西岭县", "南溪县", "金川区", "明川高新区"]


def _domain(code: str) -> Domain:
    return DOMAINS.get(code, SCIENCE)


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _leader(org: Organisation, rng: random.Random) -> str:
    # "党组书记、局长：王建华；…" -> "党组书记、局长王建华"
    first = org.leader_names.split("；")[rng.randrange(len(org.leader_names.split("；")))]
    return first.replace("：", "")


# ---- plans: what to make, decided before anything is written ----------------------------------------

@dataclass
class Plan:
    """One item to publish in the past: where, when, what, and on which other channels."""

    org: str
    column: str
    when: dt.datetime
    data: dict[str, Any]
    channels: list[str] = field(default_factory=list)
    interpretations: list[Plan] = field(default_factory=list)
    change: dict[str, Any] | None = None  # a later revision (e.g. 废止), with "when"
    override: str = ""  # written reason for accepting the pre-check findings this text is known to raise
    attachment: tuple[str, list[list[str]]] | None = None  # (file title, table rows) rendered as a PDF
    index_number: str = ""
    item: Item | None = None


class Composer:
    """Turns the vocabularies into plans for one organisation, between START and yesterday."""

    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.calendar = working_calendar()
        self.end = ctx.today - dt.timedelta(days=1)
        self.doc_serials: dict[tuple[str, int], int] = {}

    # -- dates --
    def workday(self, start: dt.date, end: dt.date) -> dt.date:
        for _ in range(50):
            d = start + dt.timedelta(days=self.rng.randrange(max((end - start).days, 0) + 1))
            if self.calendar.is_working_day(d):
                return d
        return start

    def moment(self, d: dt.date) -> dt.datetime:
        minutes = self.rng.randrange(8 * 60 + 40, 17 * 60 + 50)
        return timezone.make_aware(dt.datetime.combine(d, dt.time(minutes // 60, minutes % 60)))

    def spread(self, n: int) -> list[dt.date]:
        return sorted(self.workday(START, self.end) for _ in range(n))

    def doc_number(self, prefix: str, year: int) -> str:
        key = (prefix, year)
        self.doc_serials[key] = self.doc_serials.get(key, 0) + self.rng.randint(1, 4)
        return f"{prefix}〔{year}〕{self.doc_serials[key]}号"

    def channels(self, *, portal: float, wechat: float, weibo: float) -> list[str]:
        out: list[str] = []
        for channel, share in ((Channel.CITY_PORTAL, portal), (Channel.WECHAT, wechat), (Channel.WEIBO, weibo)):
            if self.rng.random() < share:
                out.append(str(channel))
        return out

    # -- kinds of item --
    def news(self, code: str, d: dt.date, *, column: str = "gzdt", about: Organisation | None = None) -> Plan:
        rng, dom = self.rng, _domain(code)
        org = about or self.ctx.orgs[code]
        name = org.short_name
        subject, activity = rng.choice(dom.subjects), rng.choice(dom.activities)
        year = d.year
        # A county bureau's news happens in its own county; the city's anywhere in the city.
        in_county = org.code in COUNTY_CODES
        places = [org.short_name.removesuffix("科技局")] if in_county else PLACES
        place = rng.choice(["在机关会议室", "在" + rng.choice(places)] + ([] if in_county else ["在市行政中心"]))
        # (what follows the organisation's name in the title, what follows the date in the first sentence)
        suffix, lead = rng.choice([
            (f"召开{year}年{subject}工作推进会", f"{name}{place}召开{year}年{subject}工作推进会"),
            (f"组织开展{activity}", f"{name}组织开展{activity}"),
            ("召开党组理论学习中心组（扩大）学习会议", f"{name}{place}召开党组理论学习中心组（扩大）学习会议"),
            (f"主要负责同志带队赴{(where := rng.choice(places))}调研{subject}工作",
             f"{name}主要负责同志带队赴{where}调研{subject}工作"),
            (f"举办{year}年{subject}业务培训班", f"{name}{place}举办{year}年{subject}业务培训班"),
            (f"召开{subject}工作座谈会", f"{name}{place}召开{subject}工作座谈会"),
            (f"与{(uni := rng.choice(UNIVERSITIES))}签署{subject}合作协议", f"{name}与{uni}{place}签署{subject}合作协议"),
            (f"召开{year}年第{'一二三四'[(d.month - 1) // 3]}季度工作调度会", f"{name}{place}召开季度工作调度会"),
        ])
        title = name + suffix
        stats = "，".join(f(rng) for f in rng.sample(dom.stats, min(2, len(dom.stats))))
        month = max(d.month - 1, 1)
        body = _p(
            f"{_cn_date(d)}，{lead}。{_leader(org, rng)}出席并讲话，"
            f"{rng.choice(['机关各科室负责同志', '各县（区）相关部门负责同志', '相关企业和高校代表'])}参加。",
            f"会上通报了{year}年以来{subject}工作进展情况。截至{month}月底，{stats}。"
            f"{rng.choice(['各项工作总体进展顺利，部分指标提前完成年度目标。', '工作取得阶段性成效，但仍存在发展不平衡、服务不够精准等问题。'])}",
            "会议强调，" + "；".join(rng.sample(dom.emphases, min(2, len(dom.emphases)))) + "。",
            "会议要求，" + rng.choice([
                "各科室要对照年度目标任务，倒排工期、挂图作战，确保各项任务按时保质完成。",
                "要加强统筹协调和跟踪问效，及时总结推广好经验好做法，以实干实绩推动工作落地见效。",
                "要坚持问题导向，深入一线摸清情况，切实帮助服务对象解决实际困难。",
            ]),
        )
        return Plan(code, column, self.moment(d), {
            "title": title, "summary": title, "body": body, "written_on": d, "topic": dom.topic, "genre": "news",
            "keywords": f"{subject} 工作动态", "source": org.name,
        }, channels=self.channels(portal=0.1, wechat=0.45, weibo=0.25))

    def county_news(self, d: dt.date) -> Plan:
        county = self.ctx.orgs[self.rng.choice(COUNTY_CODES)]
        plan = self.news(SCIENCE_BUREAU, d, column="xqdt", about=county)
        plan.data["keywords"] = f"县区动态 {county.short_name}"
        return plan

    def notice(self, code: str, d: dt.date) -> Plan:
        rng, dom = self.rng, _domain(code)
        org = self.ctx.orgs[code]
        year = d.year
        written = d - dt.timedelta(days=rng.randint(1, 5))
        attachment: tuple[str, list[list[str]]] | None = None
        if rng.random() < 0.6:
            program = rng.choice(dom.programs)
            title = f"关于开展{year}年度{program}申报工作的通知"
            start = d + dt.timedelta(days=rng.randint(3, 10))
            finish = start + dt.timedelta(days=rng.randint(20, 40))
            body = _p(
                f"各县（区）{dom.counterparts}，各有关单位：",
                f"为深入贯彻落实创新驱动发展战略，做好{year}年度{program}工作，根据有关规定，现将有关事项通知如下。",
                "一、申报范围。在明川市行政区域内注册登记、具有独立法人资格的企业、高等院校、科研院所及其他相关单位。",
                "二、申报条件。（一）申报单位运营管理规范，财务制度健全；（二）申报内容符合本年度申报指南支持方向；"
                "（三）申报单位近三年内无严重失信行为记录，未被列入经营异常名录。",
                f"三、申报程序。申报单位登录{dom.system}在线填报，经所在县（区）主管部门审核推荐后报送{org.short_name}。"
                "各推荐单位要切实履行审核职责，对申报材料的真实性进行把关。",
                f"四、时间安排。网上申报时间为{_cn_date(start)}至{_cn_date(finish)}，逾期系统自动关闭，不再受理。",
                f"五、联系方式。{org.short_name}{rng.choice(dom.departments)}，联系电话：{org.phone}。",
            )
            genre = "notice"
        elif rng.random() < 0.75:
            result = rng.choice(dom.results)
            roster = result if result.endswith("名单") else result + "名单"
            title = f"关于{year}年度{result}的公示"
            body = _p(
                f"根据{year}年度有关工作安排，经单位申报、县（区）推荐、形式审查、专家评审等程序，"
                f"现将{year}年度{result}予以公示。",
                f"公示期为{_cn_date(d)}至{_cn_date(d + dt.timedelta(days=7))}。公示期内，任何单位和个人对公示内容有异议的，"
                f"请以书面形式向{org.short_name}反映。单位提出异议的须加盖公章，个人提出异议的须签署真实姓名。",
                f"附件：{year}年度{roster}",
            )
            genre = "announcement"
            attachment = (f"{year}年度{roster}", self.roster(code, rng.randint(8, 16)))
        else:
            subject = rng.choice(dom.subjects)
            title = f"关于做好{year}年{subject}有关工作的通知"
            body = _p(
                f"各县（区）{dom.counterparts}，局机关各科室：",
                f"为进一步做好{subject}工作，现就有关事项通知如下：",
                "一、提高思想认识。各单位要充分认识做好此项工作的重要意义，切实加强组织领导，明确责任分工。",
                "二、抓好工作落实。要结合实际制定具体工作方案，细化工作措施，确保各项任务落地见效。",
                f"三、按时报送材料。请于{_cn_date(d + dt.timedelta(days=rng.randint(10, 30)))}前将工作进展情况报送{org.short_name}。",
            )
            genre = "notice"
        return Plan(code, "tzgg", self.moment(d), {
            "title": title, "summary": title, "body": body, "written_on": written, "topic": dom.topic, "genre": genre,
            "document_number": self.doc_number(dom.doc_prefix + "发", year) if genre == "notice" else "",
            "keywords": title[2:10], "source": org.name,
        }, channels=self.channels(portal=0.5, wechat=0.4, weibo=0.15), attachment=attachment)

    def roster(self, code: str, n: int) -> list[list[str]]:
        """Rows of a 公示 list: organisations and projects, never people's contact details."""
        rng = self.rng
        firms = ["明川", "东湖", "西岭", "南溪", "金川", "北辰"]
        trades = ["新材料科技", "智能装备", "生物医药", "数字科技", "现代农业科技", "新能源科技", "精细化工"]
        subjects = _domain(code).subjects
        return [[str(i), f"{rng.choice(firms)}{rng.choice(trades)}有限公司", f"{rng.choice(subjects)}示范项目",
                 rng.choice(COUNTY_CODES_NAMES)] for i in range(1, n + 1)]

    def rules(self, code: str, d: dt.date, rule: str, scope: str) -> Plan:
        """A normative document (规范性文件) with a text and a graphic interpretation."""
        rng, dom = self.rng, _domain(code)
        org = self.ctx.orgs[code]
        written = d - dt.timedelta(days=rng.randint(3, 10))
        effective = d + dt.timedelta(days=30)
        articles = [
            f"第一条 为规范{scope}，根据{dom.law}等法律法规和有关规定，结合本市实际，制定本办法。",
            f"第二条 本办法适用于本市行政区域内{scope}相关活动。",
            f"第三条 {org.name}负责{scope}的统筹管理和监督检查，各县（区）主管部门负责本辖区内的组织推荐和日常管理。",
            "第四条 相关工作遵循公开公平、择优支持、分类管理、绩效导向的原则。",
            "第五条 申报单位应当具备健全的管理制度和必要的工作条件，近三年内无严重失信行为记录。",
            "第六条 主管部门应当建立专家评审和公示制度，评审结果在门户网站公示，公示期不少于五个工作日。",
            "第七条 支持资金实行绩效管理，对执行不力、弄虚作假的，依法依规追回资金并纳入科研诚信记录。",
            "第八条 有关工作人员在管理工作中滥用职权、玩忽职守、徇私舞弊的，依法依规追究责任。",
            f"第九条 本办法由{org.name}负责解释。",
            f"第十条 本办法自{_cn_date(effective)}起施行" + ("，有效期两年。" if "试行" in rule else "，有效期五年。"),
        ]
        title = f"关于印发《{rule}》的通知"
        body = _p(f"各县（区）{dom.counterparts}，各有关单位：",
                  f"现将《{rule}》印发给你们，请结合实际认真贯彻落实。", org.name, _cn_date(written)) + \
            f"<h3>{escape(rule)}</h3>" + _p(*articles)
        plan = Plan(code, "zcwj", self.moment(d), {
            "title": title, "summary": f"规范{scope}", "body": body, "written_on": written, "topic": dom.topic,
            "genre": "rules", "document_number": self.doc_number(dom.doc_prefix + "规发", d.year),
            "keywords": rule.replace("明川市", "")[:20], "source": org.name, "is_policy": True, "is_normative": True,
            "validity": "valid", "effective_on": effective,
            "expires_on": effective + dt.timedelta(days=730 if "试行" in rule else 1826),
        }, channels=[Channel.CITY_PORTAL, *self.channels(portal=0, wechat=0.8, weibo=0.5)])
        plan.interpretations.append(self._interpretation(code, d, rule, scope, "text"))
        # The graphic version often follows a day or two later, but never after the last day of the history.
        graphic_on = max(d, min(d + dt.timedelta(days=rng.randint(0, 2)), self.end))
        plan.interpretations.append(self._interpretation(code, graphic_on, rule, scope, "graphic"))
        return plan

    def _interpretation(self, code: str, d: dt.date, rule: str, scope: str, form: str) -> Plan:
        dom, org = _domain(code), self.ctx.orgs[code]
        if form == "text":
            title = f"《{rule}》政策解读"
            body = _p(
                f"一、制定背景。为进一步规范{scope}，{org.short_name}在深入调研、"
                "广泛征求意见的基础上，起草了本办法。",
                f"二、制定依据。{dom.law}及国家、自治区有关规定。",
                "三、主要内容。办法共十条，明确了适用范围、职责分工、申报条件、评审公示、资金绩效管理和责任追究等内容。",
                "四、主要创新点。一是简化申报材料，推行“一网通办”；二是建立评审结果公示制度；三是强化绩效导向和信用管理。",
                f"五、解读机关及联系方式。{org.name}{dom.departments[1]}，联系电话：{org.phone}。",
            )
        elif form == "graphic":
            title = f"一图读懂《{rule}》"
            body = "<h3>一图读懂</h3>" + f"<p><strong>{escape(rule)}</strong></p>" + "<ol>" + "".join(
                f"<li>{escape(point)}</li>" for point in [
                    f"为什么制定？规范{scope}，提升管理效能。", "适用于谁？本市行政区域内相关单位和个人。",
                    "怎么申报？登录网上平台在线填报，县（区）审核推荐。", "怎么评审？专家评审、结果公示不少于五个工作日。",
                    "怎么监管？绩效管理、信用管理，违规追回资金。",
                ]) + "</ol>" + _p(f"{org.name} 编制")
        else:
            title = f"明川市{rule.replace('明川市', '').split('（')[0].replace('管理办法', '')}政策新闻发布会"
            body = _p(
                f"{_cn_date(d)}上午，明川市人民政府新闻办公室在市行政中心召开新闻发布会，{_leader(org, self.rng)}"
                f"介绍《{rule}》有关情况，并回答记者提问。",
                f"发布内容：《{rule}》的制定背景、政策特点、主要内容和落实举措。",
                "记者问：办法出台后，企业申报流程有哪些变化？",
                "答：办法推行全程网上申报，申报材料压减三分之一以上，审核推荐时限压缩至十个工作日，企业“最多跑一次”。",
                "记者问：如何确保政策落地见效？",
                "答：我们将组织政策宣讲进园区、进企业，建立跟踪问效机制，定期公开政策兑现情况，接受社会监督。",
            )
        return Plan(code, "zcjd", self.moment(d), {
            "title": title, "summary": title, "body": body, "written_on": d, "topic": dom.topic,
            "genre": "interpretation", "keywords": "政策解读 " + rule.replace("明川市", "")[:16], "source": org.name,
            "interpretation_form": form,
        }, channels=self.channels(portal=0.9, wechat=0.6, weibo=0.3))

    def work_plan(self, code: str, year: int) -> Plan:
        """年度工作要点: a policy document that is not normative."""
        rng, dom, org = self.rng, _domain(code), self.ctx.orgs[code]
        d = self.workday(dt.date(year, 2, 20), dt.date(year, 3, 20))
        subjects = rng.sample(dom.subjects, min(5, len(dom.subjects)))
        body = _p(f"{year}年{org.short_name}工作的总体要求是：以习近平新时代中国特色社会主义思想为指导，"
                  "全面贯彻党的二十大和二十届历次全会精神，坚持稳中求进工作总基调，扎实推动高质量发展。") + "".join(
            f"<h3>{'一二三四五'[i]}、聚焦{escape(s)}</h3>" + _p(f"{rng.choice(dom.emphases)}。细化年度目标任务，明确责任科室和完成时限。")
            for i, s in enumerate(subjects))
        return Plan(code, "zcwj", self.moment(d), {
            "title": f"{org.name}{year}年工作要点", "summary": f"{year}年重点工作安排", "body": body,
            "written_on": d - dt.timedelta(days=5), "topic": dom.topic, "genre": "plan",
            "document_number": self.doc_number(dom.doc_prefix + "发", year), "keywords": "工作要点",
            "source": org.name, "is_policy": True, "validity": "valid", "effective_on": d,
            "expires_on": dt.date(year, 12, 31),
        }, channels=[Channel.CITY_PORTAL])

    def overview(self, code: str) -> list[Plan]:
        org, dom = self.ctx.orgs[code], _domain(code)
        d = self.workday(dt.date(2024, 1, 2), dt.date(2024, 1, 12))
        texts = [
            ("机关职能", _p(org.functions)),
            ("领导信息", _p(*org.leader_names.split("；"))),
            ("内设机构", "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in dom.departments) + "</ul>"),
            ("联系方式", _p(f"办公地址：{org.address}", f"邮政编码：{org.postcode}", f"办公时间：{org.office_hours}",
                           f"联系电话：{org.phone}", f"传真：{org.fax}", f"电子邮箱：{org.email}")),
        ]
        return [Plan(code, "jggk", self.moment(d), {
            "title": f"{org.name}{label}", "summary": label, "body": body, "written_on": d, "topic": "02",
            "genre": "other", "keywords": f"机构概况 {label}", "source": org.name,
        }, override="机关公开的公务联系邮箱，依规主动公开。" if label == "联系方式" else "") for label, body in texts]

    def budget(self, code: str, year: int, final: bool) -> Plan | None:
        org, rng = self.ctx.orgs[code], self.rng
        d = (self.workday(dt.date(year + 1, 8, 1), dt.date(year + 1, 8, 30)) if final
             else self.workday(dt.date(year, 2, 5), dt.date(year, 2, 28)))
        if d > self.end:
            return None
        kind = "决算" if final else "预算"
        basic, project = rng.randint(900, 2400) + rng.random(), rng.randint(1500, 9000) + rng.random()
        body = _p(f"根据《中华人民共和国预算法》和财政部门有关要求，现将{org.name}{year}年部门{kind}公开如下。") + (
            "<table><caption>收支总表（单位：万元）</caption><thead><tr><th scope=\"col\">项目</th>"
            f"<th scope=\"col\">{kind}数</th></tr></thead><tbody>"
            f"<tr><td>基本支出</td><td>{basic:,.2f}</td></tr><tr><td>项目支出</td><td>{project:,.2f}</td></tr>"
            f"<tr><td>合计</td><td>{basic + project:,.2f}</td></tr></tbody></table>"
        ) + _p(f"“三公”经费{kind}{rng.randint(3, 20)}.{rng.randint(10, 99)}万元，其中因公出国（境）费0万元，"
               "公务接待费和公务用车运行维护费均较上年有所下降。")
        return Plan(code, "czyjs", self.moment(d), {
            "title": f"{org.name}{year}年部门{kind}", "summary": f"{year}年部门{kind}公开", "body": body,
            "written_on": d - dt.timedelta(days=3), "topic": "04", "genre": "report", "keywords": f"部门{kind} 三公经费",
            "source": org.name,
        }, channels=[Channel.CITY_PORTAL])

    def annual_report(self, code: str, year: int) -> Plan | None:
        org = self.ctx.orgs[code]
        d = self.workday(dt.date(year + 1, 1, 10), dt.date(year + 1, 1, 28))
        if d > self.end:
            return None
        n = self.rng.randint(180, 360)
        body = _p(
            f"本报告由{org.name}根据《中华人民共和国政府信息公开条例》规定编制而成，统计期限自{year}年1月1日起至{year}年12月31日止。",
            f"一、总体情况。{year}年，{org.short_name}全面推进政务公开，共主动公开政府信息{n}条。",
            "二、主动公开政府信息情况。详见附表。", "三、收到和处理政府信息公开申请情况。详见附表。",
            "四、政府信息公开行政复议、行政诉讼情况。本年度未发生因政府信息公开引起的行政复议和行政诉讼。",
            "五、存在的主要问题及改进情况。政策解读形式还不够丰富，下一步将加强图文、视频解读。",
            "六、其他需要报告的事项。无。",
        )
        return Plan(code, "qtxx", self.moment(d), {
            "title": f"{org.name}{year}年政府信息公开工作年度报告", "summary": "政府信息公开工作年度报告", "body": body,
            "written_on": d - dt.timedelta(days=4), "topic": "02", "genre": "report", "keywords": "年度报告 政务公开",
            "source": org.name,
        }, channels=[Channel.CITY_PORTAL])

    def personnel(self, code: str, year: int) -> Plan | None:
        org, rng = self.ctx.orgs[code], self.rng
        d = self.workday(dt.date(year, 4, 1), dt.date(year, 10, 30))
        if d > self.end:
            return None
        if rng.random() < 0.5:
            title = f"{org.name}{year}年公开招聘事业单位工作人员公告"
            body = _p(f"根据工作需要，经市人力资源和社会保障局审核同意，{org.name}所属事业单位面向社会公开招聘工作人员"
                      f"{rng.randint(2, 6)}名。", "一、招聘岗位及条件：详见招聘岗位表。",
                      "二、报名方式：网上报名，不收取报名费。", "三、考试考察、体检和聘用按有关规定执行。")
        else:
            title = f"{org.name}干部任前公示"
            body = _p(f"根据干部选拔任用有关规定，经{org.short_name}党组研究，拟对以下同志进行任前公示：",
                      f"{rng.choice('赵钱孙李周吴郑冯陈')}{rng.choice(['志远', '海燕', '建新', '晓军', '丽萍'])}，"
                      f"拟任{rng.choice(_domain(code).departments)}科长。",
                      "公示期为五个工作日。对公示对象有异议的，可通过来信、来访等方式向市委组织部反映。")
        return Plan(code, "rsxx", self.moment(d), {
            "title": title, "summary": title, "body": body, "written_on": d - dt.timedelta(days=2), "topic": "15",
            "genre": "announcement", "keywords": "人事信息", "source": org.name,
        })


def compose_plans(ctx: DemoContext, rng: random.Random) -> list[Plan]:
    """Every past publication of the demo city, newest last."""
    c = Composer(ctx, rng)
    plans: list[Plan] = []
    years = list(range(START.year, ctx.today.year + 1))
    for code in ctx.orgs:
        science = code == SCIENCE_BUREAU
        county = code in COUNTY_CODES
        plans += c.overview(code)
        plans += [c.news(code, d) for d in c.spread(100 if science else 14 if county else 10)]
        plans += [c.notice(code, d) for d in c.spread(40 if science else 5 if county else 3)]
        for year in years:
            plans += [p for p in (c.budget(code, year, False), c.budget(code, year - 1, True),
                                  c.annual_report(code, year - 1)) if p is not None]
            if science or year == years[-1]:
                person = c.personnel(code, year)
                plans += [person] if person is not None else []
            if not county and dt.date(year, 3, 20) <= c.end:
                plans.append(c.work_plan(code, year))
    plans += [c.county_news(d) for d in c.spread(45)]
    # Normative documents: the science bureau's six, spread over the period, and one per other department.
    span = (c.end - START).days
    for n, (rule, scope) in enumerate(SCIENCE.policies):
        d = c.workday(START + dt.timedelta(days=span * n // 7 + 40), START + dt.timedelta(days=span * n // 7 + 80))
        plans.append(c.rules(SCIENCE_BUREAU, d, rule, scope))
    for code in (CITY, "mcjyj", "mcsthjj"):
        rule, scope = _domain(code).policies[0]
        plans.append(c.rules(code, c.workday(dt.date(2024, 5, 1), dt.date(2025, 6, 30)), rule, scope))
    _policy_history(c, plans)
    return sorted(plans, key=lambda p: p.when)


def _policy_history(c: Composer, plans: list[Plan]) -> None:
    """Make the policy documents' validity realistic: a press conference, a trial rule that lapsed, a rule
    abolished when its revised version came out (those two through a second, reviewed revision)."""
    science = [p for p in plans if p.org == SCIENCE_BUREAU and p.data.get("is_normative")]
    by_rule = {p.data["title"]: p for p in science}
    incubator = by_rule["关于印发《明川市高新技术企业培育库管理办法》的通知"]
    incubator.interpretations.append(c._interpretation(
        SCIENCE_BUREAU, incubator.when.date() + dt.timedelta(days=6), "明川市高新技术企业培育库管理办法",
        "高新技术企业培育库的入库、培育和出库管理", "press_conference"))
    voucher = by_rule["关于印发《明川市科技创新券实施细则（试行）》的通知"]
    expires = voucher.data["expires_on"]
    if expires < c.end:
        voucher.change = {"validity": "expired", "when": c.moment(c.workday(expires, min(expires + dt.timedelta(days=10), c.end)))}
    old = by_rule["关于印发《明川市科技计划项目管理办法》的通知"]
    revised_on = c.workday(min(dt.date(2026, 3, 2), c.end - dt.timedelta(days=30)), min(dt.date(2026, 3, 31), c.end))
    revised = c.rules(SCIENCE_BUREAU, revised_on, "明川市科技计划项目管理办法（2026年修订）",
                      "市级科技计划项目的立项、实施、验收和监督管理")
    plans.append(revised)
    old.change = {"validity": "abolished", "abolished_on": revised.data["effective_on"],
                  "when": c.moment(min(revised.data["effective_on"], c.end))}


# ---- driving items through review -------------------------------------------------------------------

def _item_data(column: Column, data: dict[str, Any], index_number: str = "", interprets: Item | None = None) -> dict[str, Any]:
    base: dict[str, Any] = {
        "summary": "", "body": "", "document_number": "", "written_on": None, "topic": "02", "genre": "other",
        "keywords": "", "source": "", "is_policy": False, "is_normative": False, "validity": "",
        "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": Item.Disclosure.PROACTIVE,
        "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "",
    }
    base.update({k: v for k, v in data.items() if k != "when"})
    base["column_id"] = column.pk
    base["index_number"] = index_number
    if interprets is not None:
        base["interprets_id"] = interprets.pk
    return base


class Driver:
    """Acts as one organisation's staff: drafts, submits and reviews through the services."""

    def __init__(self, ctx: DemoContext, columns: dict[str, dict[str, Column]], rng: random.Random) -> None:
        self.ctx, self.columns, self.rng = ctx, columns, rng
        # Rendering a PDF takes a noticeable fraction of a second, so only the first few lists get one.
        self.attachments_left = MAX_PDF_ATTACHMENTS

    def staff(self, code: str, role: str) -> Any:
        return self.ctx.staff[code][role]

    def draft(self, plan: Plan, interprets: Item | None = None) -> Item:
        org = self.ctx.orgs[plan.org]
        column = self.columns[plan.org][plan.column]
        uploads: list[UploadedFile] = []
        if plan.attachment is not None and self.attachments_left > 0:
            self.attachments_left -= 1
            name, rows = plan.attachment
            uploads.append(SimpleUploadedFile(f"{name}.pdf", _pdf(name, rows), content_type="application/pdf"))
        item = services.create_item(self.staff(plan.org, Role.EDITOR), org,
                                    _item_data(column, plan.data, plan.index_number, interprets), uploads)
        plan.item = item
        return item

    def review(self, code: str, sub: Submission, *, steps: int = 3, override: str = "") -> None:
        """Approve `steps` of the three steps, overriding open pre-check findings at the secrecy step."""
        for role in (Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER)[:steps]:
            task = current_task(sub)
            assert task is not None and task.role == role, (sub, task)
            if role == Role.SECRECY_REVIEWER and override:
                for finding in open_findings(sub):
                    review.override_finding(self.staff(code, role), finding, override)
            review.decide(self.staff(code, role), task, action="approve", checks=ALL_CHECKS,
                          comment=self.rng.choice(APPROVE_COMMENTS))

    def publish(self, plan: Plan) -> Item:
        item = self.draft(plan)
        for interp in plan.interpretations:
            # Interpretations are approved first and wait for their policy document (同步审签、同步发布).
            self.review(plan.org, services.submit_item(self.staff(plan.org, Role.EDITOR), self.draft(interp, item)))
        sub = services.submit_item(self.staff(plan.org, Role.EDITOR), item)
        self.review(plan.org, sub, override=plan.override)
        _backdate(item, plan.when)
        for interp in plan.interpretations:
            assert interp.item is not None
            _backdate(interp.item, max(interp.when, plan.when))
        for p in (plan, *plan.interpretations):
            self.record_channels(p)
        return item

    def record_channels(self, plan: Plan) -> None:
        assert plan.item is not None
        plan.item.refresh_from_db()
        for channel in plan.channels:
            day = plan.when.date() + dt.timedelta(days=self.rng.choice([0, 0, 0, 1]))
            services.record_channel(
                self.staff(plan.org, Role.EDITOR), plan.item, channel=channel, published_on=day,
                address=f"https://{channel.replace('_', '')}.mingchuan.example/{plan.org}/{plan.item.pk}.html",
            )

    def change(self, plan: Plan) -> None:
        """A later reviewed revision of a published item (here: it lapsed or was abolished)."""
        assert plan.item is not None and plan.change is not None
        item = plan.item
        item.refresh_from_db()
        data = selectors.working_copy(item)
        data.update({k: v for k, v in plan.change.items() if k != "when"})
        services.update_item(self.staff(plan.org, Role.EDITOR), item, data, expected_version=item.lock_version)
        self.review(plan.org, services.submit_item(self.staff(plan.org, Role.EDITOR), item))
        _backdate(item, plan.change["when"], keep_published_at=True)


MAX_PDF_ATTACHMENTS = 4


def _pdf(title: str, rows: list[list[str]]) -> bytes:
    """A small, valid PDF of a 公示 list, as offices attach them (WeasyPrint, with the system's CJK fonts)."""
    # Its per-step progress messages are noise in the demo's summary.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # imported here: loading it costs a second the rest of the demo does not need

    head = "".join(f"<th>{escape(h)}</th>" for h in ("序号", "单位名称", "项目名称", "所在县（区）"))
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    html = (
        "<html><head><meta charset='utf-8'><style>body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;"
        "font-size:11pt} table{border-collapse:collapse;width:100%} td,th{border:1px solid #333;padding:3pt}"
        f"h1{{font-size:16pt;text-align:center}}</style></head><body><h1>{escape(title)}</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def _backdate(item: Item, when: dt.datetime, *, keep_published_at: bool = False) -> None:
    """DEMO ONLY: move an approved publication to its intended historic moment.

    The review engine publishes "now"; the demo city has a history since 2024. This writes the two time
    fields directly (a queryset update, on purpose outside the services, which would refuse past times) and
    says so in the audit trail, which itself keeps the true moments of every review action.
    """
    fields: dict[str, Any] = {"go_live_at": when}
    if not keep_published_at:
        fields["published_at"] = when
    Item.objects.filter(pk=item.pk).update(**fields)
    item.refresh_from_db()
    # publish_revision indexed the item with the engine's "now"; the search index must carry the real dates.
    search_documents.index_item(item)
    record_event(actor=None, actor_label="gongkai demo", action="demo.backdated", obj=item,
                 organisation_id=item.organisation_id, summary=f"演示数据回溯发布时间：{when:%Y-%m-%d %H:%M}")


def reserve_index_numbers(ctx: DemoContext, plans: list[Plan]) -> None:
    """Give past publications their index numbers in date order, from the same counters the engine uses,
    so numbers match their years and later real publications continue the sequence without gaps."""
    everything = [q for p in plans for q in (p, *p.interpretations)]
    for plan in sorted(everything, key=lambda q: q.when):
        org = ctx.orgs[plan.org]
        local = timezone.localtime(plan.when)
        serial = next_counter_value(f"index:{org.pk}:{local.year}")
        plan.index_number = org.format_index_number(local.year, local.month, serial)


# ---- items in every review state (the science bureau's workspace) ------------------------------------

def build_states(ctx: DemoContext, driver: Driver, rng: random.Random) -> None:
    """Unfinished work so the staff workspace has something in every queue."""
    code = SCIENCE_BUREAU
    editor = driver.staff(code, Role.EDITOR)
    c = Composer(ctx, rng)
    recent = ctx.today - dt.timedelta(days=3)

    def fresh(kind: str) -> Plan:
        plan = c.news(code, recent) if kind == "news" else c.notice(code, recent)
        plan.channels = []
        return plan

    # 草稿: one never submitted, one taken back out of review.
    driver.draft(fresh("news"))
    draft = driver.draft(fresh("notice"))
    review.cancel(editor, services.submit_item(editor, draft))
    # 审核中, at each of the three steps.
    for steps in (0, 0, 1, 2):
        item = driver.draft(fresh("news" if steps != 2 else "notice"))
        driver.review(code, services.submit_item(editor, item), steps=steps)
    # 已退回: at 初审 and at 签发, each with the reviewer's comment.
    item = driver.draft(fresh("news"))
    sub = services.submit_item(editor, item)
    review.decide(driver.staff(code, Role.FIRST_REVIEWER), current_task(sub), action="return", checks={},  # type: ignore[arg-type]
                  comment="标题表述不够规范，请按“单位+事由+文种”格式修改；第二段数据请核实后补充来源。")
    item = driver.draft(fresh("notice"))
    sub = services.submit_item(editor, item)
    driver.review(code, sub, steps=2)
    review.decide(driver.staff(code, Role.APPROVER), current_task(sub), action="return", checks={},  # type: ignore[arg-type]
                  comment="申报时间与年度工作安排不一致，请与高新技术科核实后重新送审。")
    # 定时发布: approved, going live in the coming days.
    for days in (2, 5):
        item = driver.draft(fresh("notice"))
        when = timezone.make_aware(dt.datetime.combine(ctx.today + dt.timedelta(days=days), dt.time(9, 0)))
        driver.review(code, services.submit_item(editor, item, publish_at=when))
    # 已撤稿: published in the past, then taken down with a reason.
    for reason in ("活动因故延期举办，原通知内容已不适用，予以撤稿。", "文中统计数据有误，撤稿后更正重发。"):
        plan = fresh("news")
        plan.when = c.moment(c.workday(ctx.today - dt.timedelta(days=60), ctx.today - dt.timedelta(days=20)))
        reserve_index_numbers(ctx, [plan])
        item = driver.publish(plan)
        services.withdraw_item(editor, item, reason)
    # A pre-check finding (a telephone number) overridden in writing, and one still blocking.
    plan = fresh("notice")
    plan.when = c.moment(c.workday(ctx.today - dt.timedelta(days=15), ctx.today - dt.timedelta(days=8)))
    plan.data["title"] = f"关于开通{plan.when.year}年度科技项目申报咨询专线的通告"
    plan.data["body"] += _p("申报咨询专线：13900000000（工作日8:30—18:00）。")
    reserve_index_numbers(ctx, [plan])
    plan.override = "该号码为本局项目申报咨询专线公务号码，已核实可公开，便于企业咨询办理。"
    driver.publish(plan)
    plan = fresh("notice")
    plan.data["title"] = "关于科技特派员考核优秀人员名单的公示"
    plan.data["body"] += _p("如有异议，请联系考核组工作人员（手机13800000000）。")
    item = driver.draft(plan)
    driver.review(code, services.submit_item(editor, item), steps=1)
    # A published item with an edit in review: the public still sees the approved version.
    published = Item.objects.filter(organisation=ctx.orgs[code], column__slug="gzdt", live_revision__isnull=False,
                                    withdrawn_at__isnull=True).order_by("-published_at").first()
    if published is not None:
        data = selectors.working_copy(published)
        data["body"] = data["body"] + _p("（本文已补充活动现场图片说明。）")
        services.update_item(editor, published, data, expected_version=published.lock_version)
        services.submit_item(editor, published)


# ---- duty lists (权责清单) --------------------------------------------------------------------------

_POWER_ENTRIES: list[dict[str, str]] = [
    {"category": "行政许可", "name": "实验动物生产许可证核发",
     "basis": "《实验动物管理条例》第三条；《实验动物许可证管理办法（试行）》第三条"},
    {"category": "行政许可", "name": "实验动物使用许可证核发",
     "basis": "《实验动物管理条例》第三条；《实验动物许可证管理办法（试行）》第三条"},
    {"category": "行政处罚", "name": "对骗取、套取科技计划项目资金行为的处罚",
     "basis": "《中华人民共和国科学技术进步法》第一百一十二条"},
    {"category": "行政处罚", "name": "对科学技术奖励推荐、评审中弄虚作假行为的处罚",
     "basis": "《国家科学技术奖励条例》第三十一条"},
    {"category": "行政检查", "name": "对科技计划项目实施情况和资金使用情况的监督检查",
     "basis": "《中华人民共和国科学技术进步法》第一百零三条"},
    {"category": "行政检查", "name": "对实验动物生产和使用单位的监督检查",
     "basis": "《实验动物管理条例》第五条"},
    {"category": "行政确认", "name": "技术合同认定登记",
     "basis": "《中华人民共和国促进科技成果转化法》第三十六条；《技术合同认定登记管理办法》第四条"},
    {"category": "行政确认", "name": "科技型中小企业评价入库",
     "basis": "《科技型中小企业评价办法》第十条"},
    {"category": "行政奖励", "name": "市级科学技术奖评审",
     "basis": "《中华人民共和国科学技术进步法》第十八条；《国家科学技术奖励条例》"},
    {"category": "行政奖励", "name": "对优秀科技特派员的表彰奖励",
     "basis": "《国务院办公厅关于深入推行科技特派员制度的若干意见》"},
    {"category": "其他行政权力", "name": "高新技术企业认定申报推荐",
     "basis": "《高新技术企业认定管理办法》第九条"},
    {"category": "其他行政权力", "name": "市级科技计划项目立项",
     "basis": "《中华人民共和国科学技术进步法》第九十四条"},
]
_NEW_POWER_ENTRIES: list[dict[str, str]] = [
    {"category": "行政确认", "name": "新型研发机构认定",
     "basis": "《中华人民共和国科学技术进步法》第五十三条；《明川市新型研发机构认定管理办法（试行）》"},
    {"category": "行政检查", "name": "对科研失信行为的调查处理",
     "basis": "《科研失信行为调查处理规则》第五条"},
]


def _unit(entry: dict[str, str]) -> str:
    """Which office handles an entry, by what it is about (as a real bureau's list assigns them)."""
    for word, unit in (("实验动物", "农村与社会发展科"), ("技术合同", "成果转化与区域合作科"),
                       ("高新技术", "高新技术科"), ("科技型中小企业", "高新技术科"), ("新型研发机构", "高新技术科"),
                       ("科技特派员", "农村与社会发展科"), ("科学技术奖", "科技人才与科普科")):
        if word in entry["name"]:
            return unit
    return "政策法规科"


def _power_entries(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**e, "code": f"MCKJJ-QL-{n:03d}", "responsible_unit": _unit(e)} for n, e in enumerate(entries, start=1)]


def _responsibility_entries(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{
        **e, "code": f"MCKJJ-ZR-{n:03d}", "responsible_unit": _unit(e),
        "duties": "1.受理责任：公示依法应当提交的材料，一次性告知补正材料。2.审查责任：对申请材料进行审查，"
                  "提出处理意见。3.决定责任：作出决定并按时办结。4.送达责任：制作并送达文书，信息公开。"
                  "5.事后监管责任：加强监督检查。6.其他法律法规规章文件规定应履行的责任。",
        "accountability": "因不履行或不正确履行行政职责，有下列情形的，行政机关及其工作人员应承担相应责任："
                          "1.对符合条件的申请不予受理、不予办理的；2.未严格审查，致使不符合条件的事项获得通过的；"
                          "3.在工作中玩忽职守、滥用职权、徇私舞弊的；4.其他违反法律法规规章文件规定的行为。",
    } for n, e in enumerate(entries, start=1)]


def build_duty_lists(ctx: DemoContext) -> None:
    """The science bureau's power and responsibility lists: the 2024.03.15 version kept, 2025.11.10 live."""
    code = SCIENCE_BUREAU
    org = ctx.orgs[code]
    driver = Driver(ctx, {}, ctx.rng("duty"))
    editor = driver.staff(code, Role.EDITOR)
    versions = [
        (dt.date(2024, 3, 15), "2024.03.15", "根据机构改革后职能调整情况，全面梳理权责事项。", _POWER_ENTRIES),
        (dt.date(2025, 11, 10), "2025.11.10", "根据《中华人民共和国科学技术进步法》等法律法规修订情况动态调整，新增2项。",
         _POWER_ENTRIES + _NEW_POWER_ENTRIES),
    ]
    count = 0
    for kind, entries_of in (("power", _power_entries), ("responsibility", _responsibility_entries)):
        for effective_on, label, note, entries in versions:
            if effective_on > ctx.today:
                continue
            version = services.create_duty_list_version(
                editor, org, kind=kind, label=label, effective_on=effective_on, note=note, entries=entries_of(entries)
            )
            driver.review(code, services.submit_duty_version(editor, version))
            # DEMO ONLY back-dating, as for items (see `_backdate`).
            DutyListVersion.objects.filter(pk=version.pk).update(
                go_live_at=timezone.make_aware(dt.datetime.combine(effective_on, dt.time(10, 0)))
            )
            count += 1
    ctx.report(f"权责清单版本 {count} 个（权力清单、责任清单各两版，旧版保留，新版生效）")


# ---- the stage functions the command calls ----------------------------------------------------------

def build(ctx: DemoContext) -> None:
    """Columns, past publications with interpretations and channels, and unfinished work in every state."""
    rng = ctx.rng("catalog")
    columns = build_columns(ctx)
    plans = compose_plans(ctx, rng)
    reserve_index_numbers(ctx, plans)
    driver = Driver(ctx, columns, rng)
    for plan in plans:
        driver.publish(plan)
    for plan in plans:
        if plan.change is not None:
            driver.change(plan)
    build_states(ctx, driver, ctx.rng("catalog-states"))
    ctx.report(f"栏目 {sum(len(c) for c in columns.values())} 个；历史发布计划 {len(plans)} 条"
               f"（另含解读 {sum(len(p.interpretations) for p in plans)} 条）")
