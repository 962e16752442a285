"""Demo applications (演示数据：依申请公开) for `gongkai demo`: January 2024 to today, every organisation.

Every step goes through the services, so the demo has the events, letters, fees, appeals and audit records
real use leaves. The one exception: an online application of the past is created through `services._create`
with its historic submission day, because `submit_online` stamps today (and counts against the rate limit).

Personal data is plainly fictitious: names of the form 张某某, identity numbers of people "born" on
1 January 1900 (valid check digit, impossible person), telephone numbers in area code 0000 (no exchange uses
it) and e-mail addresses at mingchuan.example. Mail sent while building goes nowhere.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.applications import rules, services
from gongkai.applications.models import (
    ABANDONMENT_KINDS,
    Appeal,
    ApplicantKind,
    Application,
    Channel,
    Delivery,
    Fee,
    FormWanted,
    ReplyKind,
)
from gongkai.applications.services import ApplicationInput
from gongkai.core.calendar import WorkingCalendar
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.mail import suppressed
from gongkai.core.personal_data import credit_code_check_char, resident_id_check_char
from gongkai.demo.city import SCIENCE_BUREAU, DemoContext
from gongkai.orgs.models import Organisation, Role

START = dt.date(2024, 1, 1)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
ORG_NAMES = {
    ApplicantKind.COMMERCIAL: ["明川示例科技有限公司", "明川演示新材料股份有限公司", "西岭示例农业发展有限公司",
                               "南溪演示电子有限公司", "东湖示例生物医药有限公司"],
    ApplicantKind.RESEARCH: ["明川示例大学科研处", "明川演示农业科学研究所", "东湖示例新材料研究院"],
    ApplicantKind.PUBLIC_INTEREST: ["明川示例环保公益协会", "明川演示助学基金会", "明川示例科普志愿者协会"],
    ApplicantKind.LEGAL_SERVICES: ["明川示例律师事务所", "明川演示公证处", "金川示例法律服务所"],
    ApplicantKind.OTHER_ORG: ["明川示例社区居民委员会", "西岭演示村民委员会", "明川示例行业商会"],
}
SUBJECTS = [
    ("{year}年度市级科技计划项目立项清单", "请公开{year}年度市级科技计划项目立项清单，包括项目名称、承担单位和资助金额。"),
    ("{year}年部门预算、决算及“三公”经费", "请公开本机关{year}年部门预算、决算及“三公”经费支出情况。"),
    ("高新技术企业认定结果及评审依据", "请提供{year}年本地区高新技术企业认定结果名单及评审办法。"),
    ("科技型中小企业评价入库名单", "申请公开{year}年第二批科技型中小企业评价入库名单。"),
    ("某专项资金分配方案", "请公开{year}年专项资金的分配方案、分配结果及绩效评价报告。"),
    ("建设项目环境影响评价文件", "请公开东湖工业园某建设项目的环境影响评价报告书全本及批复文件。"),
    ("学校布局调整规划", "请公开{year}年中小学校布局调整规划及征求意见情况。"),
    ("行政处罚决定书", "申请公开本机关对某企业作出的行政处罚决定书（文号不详，{year}年作出）。"),
    ("会议纪要", "请公开{year}年局长办公会议纪要中关于专项资金安排的部分。"),
    ("信访事项办理情况", "要求对本人反映的问题进行调查并答复处理结果。"),
    ("政府采购合同", "请公开{year}年本机关信息化建设项目的政府采购合同及验收报告。"),
    ("统计年鉴", "请提供{year}年统计年鉴纸质版一本。"),
    ("项目评审专家名单", "请公开{year}年科技项目评审专家名单及评审意见。"),
    ("人员招录情况", "请公开{year}年事业单位公开招聘的报名人数、笔试面试成绩及录用名单。"),
]
# Content written into each kind's letter, after the template's decision sentence.
REPLY_TEXTS = {
    ReplyKind.DISCLOSED: "所申请信息已通过电子邮件发送至您预留的邮箱，请查收。",
    ReplyKind.PARTLY_DISCLOSED: "其中涉及企业银行账户、个人联系方式的内容已作区分处理，其余内容随本告知书提供。",
    ReplyKind.OTHER_MISC: "申请人于答复前书面撤回申请，本机关终止办理。",
}


def _fake_id(n: int) -> str:
    first17 = f"11010119000101{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def _credit_code(rng: random.Random) -> str:
    body = "91" + "999900" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + credit_code_check_char(body)


def _applicant(rng: random.Random, kind: str, n: int) -> ApplicationInput:
    person = rng.choice(SURNAMES) + "某某"
    if kind == ApplicantKind.NATURAL_PERSON:
        name, id_type, number, contact = person, services.ID_RESIDENT, _fake_id(n), ""
    else:
        name, id_type, number, contact = rng.choice(ORG_NAMES[ApplicantKind(kind)]), services.ID_CREDIT_CODE, \
            _credit_code(rng), person
    subject, description = rng.choice(SUBJECTS)
    year = rng.choice([2023, 2024, 2025])
    delivery = rng.choice([Delivery.EMAIL, Delivery.EMAIL, Delivery.POST, Delivery.COLLECT])
    return ApplicationInput(
        applicant_kind=kind, name=name, id_type=id_type, id_number=number, contact_person=contact,
        phone=f"0000-6{rng.randrange(100000, 999999)}", email=f"applicant{n:03d}@mingchuan.example",
        address=f"明川市金川区示例路{rng.randrange(1, 300)}号", postcode="999001",
        subject=subject.format(year=year), description=description.format(year=year),
        form_wanted=rng.choice([FormWanted.ELECTRONIC, FormWanted.PAPER, FormWanted.INSPECTION]), delivery=delivery,
    )


class _Builder:
    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.cal: WorkingCalendar = working_calendar()
        self.today = ctx.today
        self.count = 0
        self.kinds_seen: set[str] = set()

    def wd(self, d: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(d, n)

    def create(self, org: Organisation, received: dt.date, kind: str) -> Application:
        self.count += 1
        data = _applicant(self.rng, kind, self.count)
        channel = self.rng.choice([Channel.ONLINE, Channel.ONLINE, Channel.ONLINE, Channel.LETTER,
                                   Channel.IN_PERSON, Channel.EMAIL, Channel.FAX])
        handler = self.handler(org)
        if channel == Channel.ONLINE:
            app, _ = services._create(org, data, channel=channel, arrived_on=received, confirmed_on=received,
                                      registered_letter=False, actor=None, actor_label="申请人（网上）", documents=())
        else:
            registered = channel == Channel.LETTER and self.rng.random() < 0.7
            confirmed = None if channel == Channel.IN_PERSON or registered else received
            arrived = received if confirmed is None else received - dt.timedelta(days=self.rng.choice([0, 0, 1]))
            app, _ = services.register_application(handler, org, data, channel=channel, arrived_on=arrived,
                                                   confirmed_on=confirmed, registered_letter=registered)
        return app

    def handler(self, org: Organisation) -> Any:
        staff = self.ctx.staff.get(org.code, {})
        return staff.get(Role.EDITOR) or staff.get(Role.ADMIN)

    def head(self, org: Organisation) -> Any:
        staff = self.ctx.staff.get(org.code, {})
        return staff.get(Role.APPROVER) or staff.get(Role.ADMIN)

    def fresh(self, app: Application) -> Application:
        return Application.objects.get(pk=app.pk)

    def step(self, fn: Callable[..., Any], app: Application, **kwargs: Any) -> Application:
        app = self.fresh(app)
        fn(self.handler(app.organisation), app, expected_version=app.lock_version, **kwargs)
        return self.fresh(app)

    def reply_day(self, app: Application, start: dt.date) -> dt.date | None:
        """A working day on which the reply went out: usually well inside the period, now and then on its last day."""
        last_step = app.events.exclude(kind__in=list(rules.SYSTEM_EVENTS)).order_by("-on").values_list("on", flat=True).first()
        start = max(start, last_step or start)
        due = max(app.due_on or self.wd(start, 20), self.wd(start, 1))
        span = max(1, self.cal.count_working_days(start, due))
        day = self.wd(start, self.rng.randint(1, span) if self.rng.random() < 0.85 else span)
        return day if day <= self.today else None

    def reply(self, app: Application, start: dt.date, kind: str) -> Application:
        on = self.reply_day(app, start)
        if on is None:
            return app  # still open today
        content = REPLY_TEXTS.get(ReplyKind(kind), "具体理由：" + str(ReplyKind(kind).label) + "。")
        self.step(services.reply, app, on=on, kind=kind, content=content)
        self.kinds_seen.add(kind)
        if self.rng.random() < 0.5 and self.wd(on, 3) <= self.today:
            self.step(services.close, app, on=self.wd(on, 3))
        return self.fresh(app)

    def scenario(self, org: Organisation, received: dt.date, applicant_kind: str, reply_kind: str,
                 path: str) -> Application:
        app = self.create(org, received, applicant_kind)
        start = received
        if path == "correction" and self.wd(received, 3) <= self.today:
            asked = self.wd(received, self.rng.randint(1, 5))
            if asked > self.today:
                return app
            correct_by = self.wd(asked, 15)
            app = self.step(services.request_correction, app, on=asked, correct_by=correct_by,
                            items="请明确所需信息的具体名称、文号或形成时间，以便检索。")
            if reply_kind == "lapse":
                if correct_by + dt.timedelta(days=1) <= self.today:
                    lapse_on = self.wd(correct_by, 1)
                    if lapse_on <= self.today:
                        app = self.step(services.record_correction_lapsed, app, on=lapse_on)
                        self.kinds_seen.add(ReplyKind.OTHER_NO_CORRECTION)
                return app
            corrected = self.wd(asked, self.rng.randint(2, 10))
            if corrected > self.today:
                return app
            app = self.step(services.record_correction, app, on=corrected, note="申请人补充了信息名称和形成时间。")
            start = corrected
        elif path == "consult":
            begun = self.wd(received, self.rng.randint(2, 6))
            if begun > self.today:
                return app
            app = self.step(services.start_consultation, app, on=begun,
                            party=self.rng.choice(["third_party", "third_party", "agency"]),
                            note="就涉及的商业信息书面征求意见。")
            ended = self.wd(begun, self.rng.randint(5, 15))
            if ended > self.today:
                return app
            app = self.step(services.end_consultation, app, on=ended,
                            opinion=self.rng.choice(["agree", "disagree", "no_answer"]))
        elif path == "extension":
            ext_on = self.wd(start, self.rng.randint(12, 19))
            if ext_on > self.today:
                return app
            app = self.fresh(app)
            services.extend_deadline(self.handler(org), app, on=ext_on, days=self.rng.choice([10, 15, 20]),
                                     approved_by=self.head(org), reason="所申请信息涉及多个年度档案，检索整理需要时间。",
                                     expected_version=app.lock_version)
            app = self.fresh(app)
        elif path in ("fee", "fee_lapse"):
            notice = self.wd(received, self.rng.randint(3, 8))
            if notice > self.today:
                return app
            app = self.fresh(app)
            services.issue_fee_notice(self.handler(org), app, on=notice, basis=Fee.Basis.PER_PAGE,
                                      quantity=self.rng.randint(45, 260), expected_version=app.lock_version)
            app = self.fresh(app)
            if path == "fee_lapse":
                lapse_on = self.wd(app.due_on or notice, 1)
                if lapse_on <= self.today:
                    app = self.step(services.record_fee_lapsed, app, on=lapse_on)
                    self.kinds_seen.add(ReplyKind.OTHER_FEE_UNPAID)
                return app
            paid = self.wd(notice, self.rng.randint(2, 12))
            if paid > self.today:
                return app
            app = self.step(services.record_fee_paid, app, on=paid)
        return self.reply(app, start, reply_kind)

    def appeal(self, app: Application) -> None:
        app = self.fresh(app)
        if app.replied_on is None:
            return
        filed = app.replied_on + dt.timedelta(days=self.rng.randint(10, 55))
        if filed > self.today:
            return
        kind = self.rng.choice([Appeal.Kind.RECONSIDERATION, Appeal.Kind.RECONSIDERATION, Appeal.Kind.LITIGATION_DIRECT])
        handler = self.handler(app.organisation)
        body = "明川市人民政府" if kind == Appeal.Kind.RECONSIDERATION else "明川市金川区人民法院"
        appeal = services.record_appeal(handler, app, kind=kind, filed_on=filed, body=body,
                                        case_number=f"明{'复' if kind == Appeal.Kind.RECONSIDERATION else '行初'}〔{filed.year}〕{self.rng.randint(1, 300)}号")
        decided = filed + dt.timedelta(days=self.rng.randint(40, 150))
        if decided <= self.today:
            outcome = self.rng.choice([Appeal.Outcome.UPHELD, Appeal.Outcome.UPHELD, Appeal.Outcome.CORRECTED,
                                       Appeal.Outcome.OTHER])
            appeal = services.decide_appeal(handler, appeal, outcome=outcome, decided_on=decided,
                                            expected_version=appeal.lock_version)
            if kind == Appeal.Kind.RECONSIDERATION and outcome == Appeal.Outcome.UPHELD and self.rng.random() < 0.5:
                sued = decided + dt.timedelta(days=self.rng.randint(5, 14))
                if sued <= self.today:
                    services.record_appeal(handler, app, kind=Appeal.Kind.LITIGATION_AFTER, filed_on=sued,
                                           body="明川市金川区人民法院", case_number=f"明行初〔{sued.year}〕{self.rng.randint(1, 300)}号")


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


PATHS = ["plain"] * 6 + ["correction", "correction", "consult", "extension", "fee"]


def build(ctx: DemoContext) -> None:
    """The applications stage of `gongkai demo`."""
    rng = ctx.rng("applications")
    with suppressed():
        _build(ctx, rng)


def _build(ctx: DemoContext, rng: random.Random) -> None:
    b = _Builder(ctx, rng)
    today = ctx.today
    chosen_kinds = [k for k in ReplyKind.values if k not in ABANDONMENT_KINDS]
    applicant_kinds = list(ApplicantKind.values)
    per_org = {code: (36 if code == SCIENCE_BUREAU else 14) for code in ctx.orgs}
    apps: list[Application] = []
    for code, org in ctx.orgs.items():
        if b.handler(org) is None:
            continue
        for i in range(per_org[code]):
            received = _random_day(rng, START, today - dt.timedelta(days=1))
            # Every applicant kind and every reply kind appears in the science bureau; elsewhere mostly 予以公开.
            if code == SCIENCE_BUREAU:
                applicant_kind = applicant_kinds[i % len(applicant_kinds)]
                reply_kind = chosen_kinds[i % len(chosen_kinds)]
            else:
                applicant_kind = rng.choice(applicant_kinds[:1] * 4 + applicant_kinds)
                reply_kind = rng.choice([ReplyKind.DISCLOSED] * 4 + chosen_kinds)
            path = rng.choice(PATHS)
            if reply_kind == ReplyKind.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION:
                path = "correction"
            if reply_kind == ReplyKind.WITHHELD_THIRD_PARTY:
                path = "consult"
            apps.append(b.scenario(org, received, applicant_kind, reply_kind, path))
        # Abandonments, open across a year end, and still open now.
        apps.append(b.scenario(org, _random_day(rng, START, today - dt.timedelta(days=60)),
                               rng.choice(applicant_kinds), "lapse", "correction"))
        apps.append(b.scenario(org, _random_day(rng, START, today - dt.timedelta(days=60)),
                               rng.choice(applicant_kinds), ReplyKind.DISCLOSED, "fee_lapse"))
        for year in range(START.year, today.year):
            for _ in range(2):
                received = dt.date(year, 12, rng.randint(15, 29))
                path = rng.choice(["plain", "extension", "consult"])
                apps.append(b.scenario(org, received, rng.choice(applicant_kinds), ReplyKind.DISCLOSED, path))
        if code == SCIENCE_BUREAU:  # open ones in every state, for the staff to work on
            for path in ("correction", "consult", "fee", "extension"):
                received = today - dt.timedelta(days=rng.randint(9, 14))
                apps.append(b.scenario(org, received, rng.choice(applicant_kinds), ReplyKind.DISCLOSED, path))
        for _ in range(3 if code == SCIENCE_BUREAU else 1):
            received = b.cal.add_working_days(today - dt.timedelta(days=40), rng.randint(0, 25))
            if received < today:
                apps.append(b.create(org, received, rng.choice(applicant_kinds)))
    for app in rng.sample(apps, k=max(1, len(apps) // 18)):
        try:
            b.appeal(app)
        except ValidationError:
            continue
    total = Application.objects.count()
    open_now = Application.objects.filter(replied_on__isnull=True).count()
    ctx.report(f"依申请公开：{total} 件申请（在办 {open_now} 件），答复类型 {len(b.kinds_seen)} 种，"
               f"复议诉讼 {Appeal.objects.count()} 件，收费通知 {Fee.objects.count()} 件")
    sample = Application.objects.filter(organisation__code=SCIENCE_BUREAU, replied_on__isnull=True).first()
    if sample is not None:
        ctx.report(f"  在办示例：{sample.number}（工作台 /workspace/applications/{sample.pk}/）")
