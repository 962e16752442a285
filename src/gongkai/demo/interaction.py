"""Demo letters and consultations (演示数据：政民互动) for `gongkai demo`.

Letters from 2024 to today for every organisation, most answered through the review workflow, some published
(选登) with the writer's consent, a few merged or closed, a few recent ones still open (one of them overdue).
Exactly one letter anywhere is left unanswered for more than three months: in 西岭县科学技术局 (xlxkjj), the
neglected county bureau the website self-inspection (issue 7) should catch.

Consultations: the science bureau has one open (a major decision, 35 days) and one closed whose feedback report
is published and linked to a live policy document of the catalog.

Writers, phone numbers and addresses are invented (numbers 1390000xxxx, e-mail at example.com).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from gongkai.catalog import selectors as catalog_selectors
from gongkai.core.mail import suppressed
from gongkai.demo.city import SCIENCE_BUREAU, DemoContext
from gongkai.interaction import services
from gongkai.interaction.models import Comment, Consultation, FeedbackEntry, Letter, Reply
from gongkai.orgs.models import Organisation, Role
from gongkai.review import services as review_services
from gongkai.review.models import Decision, StepTask

NEGLECTED_COUNTY = "xlxkjj"
START = dt.date(2024, 1, 2)
_CHECKS = {f: True for f in Decision.CHECK_FIELDS}

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]

# (kind, subject, letter, reply) — {org} is the organisation's name.
SCIENCE_TOPICS: list[tuple[str, str, str, str]] = [
    ("consult", "高新技术企业认定申报时间咨询",
     "您好，我公司是一家从事新材料研发的小微企业，想了解今年高新技术企业认定的申报时间和需要准备的材料。",
     "您好！高新技术企业认定每年分批受理，具体时间以我局网站发布的申报通知为准。申报材料主要包括企业知识产权、"
     "研发费用专项审计报告、高新技术产品收入说明等，详见《高新技术企业认定管理工作指引》。如有疑问，可拨打我局高新技术科电话咨询。"),
    ("consult", "科技型中小企业评价入库流程",
     "请问科技型中小企业评价入库是否需要到现场提交材料？入库后有哪些优惠政策？",
     "您好！科技型中小企业评价实行网上自主评价，企业登录全国科技型中小企业信息服务平台填报即可，无需现场提交材料。"
     "入库企业可享受研发费用加计扣除等政策，具体以税务部门规定为准。"),
    ("suggest", "建议增加科技创新券适用范围",
     "建议将科技创新券的适用范围扩大到检验检测和知识产权服务，方便小微企业使用。",
     "感谢您的建议！我局正在修订科技创新券管理办法，已将检验检测、知识产权服务纳入研究范围，修订稿将公开征求意见，欢迎继续关注。"),
    ("consult", "技术合同认定登记办理地点",
     "我单位签订了一份技术开发合同，请问技术合同认定登记在哪里办理？需要多长时间？",
     "您好！技术合同认定登记可通过技术合同网上登记系统在线办理，也可到市政务服务中心科技局窗口办理。材料齐全的，一般在5个工作日内完成认定登记。"),
    ("help", "科技特派员补助发放进度",
     "我是去年选派的科技特派员，想了解年度工作补助什么时候发放。",
     "您好！经核实，去年科技特派员工作补助已完成考核，资金正在按程序拨付，预计本月底前发放到位。如有疑问请与农村科技科联系。"),
    ("complain", "项目验收通知发布不及时",
     "我单位承担的市级科技计划项目已到期，但一直没有看到验收通知，希望尽快安排。",
     "您好！经核查，因部分项目材料审核延后，验收通知发布较晚，我们对此深表歉意。验收通知已于近日在我局网站发布，请按要求准备验收材料。"),
    ("consult", "研发费用后补助申报条件",
     "请问企业研发费用后补助的申报条件是什么？去年研发投入增长不大的企业能否申报？",
     "您好！研发费用后补助面向在我市注册、按规定进行研发费用归集的企业，补助额度按研发投入及增量核定。"
     "研发投入未增长的企业可按存量部分申报，具体以当年申报通知为准。"),
    ("suggest", "建议开展面向中小学生的科普活动",
     "希望科技局在暑期组织更多面向中小学生的科普活动，比如科技馆开放日、机器人体验等。",
     "感谢您的建议！今年暑期我局将联合市科协、市教育局开展“科技活动周”系列活动，包括科技场馆开放日和青少年机器人体验营，具体安排将在网站公布。"),
]
GENERIC_TOPICS: list[tuple[str, str, str, str]] = [
    ("consult", "政策文件查询", "请问{org}近期出台的政策文件在哪里可以查到全文？",
     "您好！我单位公开的政策文件可在本网站“政府信息公开目录—政策文件”栏目查询全文，并可按文号和发布日期检索。"),
    ("suggest", "建议优化办事指南", "{org}网站上的办事指南有些内容较旧，建议及时更新。",
     "感谢您的建议！我们已组织对网站办事指南进行全面核查，更新过期内容，并建立定期检查机制。"),
    ("help", "办事咨询电话无人接听", "连续几天拨打{org}的咨询电话都无人接听，请问还有其他联系方式吗？",
     "您好！因近期办公场所调整，咨询电话曾短暂中断，现已恢复。您也可以通过本信箱或到办公地点现场咨询。"),
    ("consult", "信息公开申请方式", "请问向{org}申请政府信息公开可以通过网上提交吗？",
     "您好！可以。您可以通过本网站“依申请公开”栏目在线提交申请，也可以通过信函、当面等方式提交。"),
]


def _writer(rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    serial = rng.randint(1000, 9999)
    phone = f"1390000{serial}"
    email = f"writer{serial}@example.com" if rng.random() < 0.8 else ""
    return name, email, phone


def _moment(rng: random.Random, d: dt.date) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(d, dt.time(rng.randint(8, 21), rng.randint(0, 59)), tzinfo=tz)


def _approve(ctx: DemoContext, code: str, submission: Any) -> None:
    for role in (Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER):
        task = StepTask.objects.get(submission=submission, status=StepTask.Status.PENDING)
        review_services.decide(ctx.staff[code][role], task, action=Decision.Action.APPROVE, checks=_CHECKS)


def _letter(
    ctx: DemoContext, org: Organisation, rng: random.Random, topic: tuple[str, str, str, str], received: dt.datetime,
    *, consent: bool,
) -> Letter:
    kind, subject, body, _ = topic
    name, email, phone = _writer(rng)
    letter, _secret = services.submit_letter(
        org,
        services.LetterInput(kind=kind, subject=subject, body=body.format(org=org.name), name=name, email=email,
                             phone=phone, consent_to_publish=consent),
        now=received,
    )
    return letter


def _answer(ctx: DemoContext, code: str, letter: Letter, text: str, answered: dt.datetime) -> None:
    editor = ctx.staff[code][Role.EDITOR]
    reply = services.save_reply(editor, letter, text, expected_version=None)
    # Old letters were answered long ago: no "your letter was answered" e-mail today (restored afterwards).
    Letter.objects.filter(pk=letter.pk).update(writer_email="")
    _approve(ctx, code, services.submit_reply(editor, reply))
    # The review ran today; the demo's history says when the reply really went out.
    Reply.objects.filter(pk=reply.pk).update(sent_at=answered)
    Letter.objects.filter(pk=letter.pk).update(answered_at=answered, writer_email=letter.writer_email)


def _publish(ctx: DemoContext, code: str, letter: Letter) -> None:
    letter.refresh_from_db()
    services.publish_letter(ctx.staff[code][Role.EDITOR], letter, expected_version=letter.lock_version,
                            **services.suggested_public_version(letter))


def build_letters(ctx: DemoContext) -> None:
    rng = ctx.rng("interaction.letters")
    cal_today = ctx.today
    counts = {"letters": 0, "answered": 0, "published": 0, "open": 0}
    for code, org in ctx.orgs.items():
        science = code == SCIENCE_BUREAU
        topics = SCIENCE_TOPICS + GENERIC_TOPICS if science else GENERIC_TOPICS + SCIENCE_TOPICS[:3]
        n = 22 if science else 5
        span = max(1, (cal_today - dt.timedelta(days=100) - START).days)
        days = sorted(START + dt.timedelta(days=rng.randint(0, span)) for _ in range(n))
        for i, day in enumerate(days):
            topic = topics[i % len(topics)]
            received = _moment(rng, day)
            letter = _letter(ctx, org, rng, topic, received, consent=rng.random() < 0.7)
            counts["letters"] += 1
            if science and i % 11 == 5:  # a duplicate of the previous letter, merged
                prev = Letter.objects.filter(organisation=org, received_at__lt=received).exclude(pk=letter.pk).order_by(
                    "-received_at").first()
                if prev is not None and prev.status == Letter.Status.ANSWERED:
                    services.merge_letter(ctx.staff[code][Role.EDITOR], letter, prev, "与前信内容相同，合并办理",
                                          expected_version=letter.lock_version)
                    continue
            if science and i == 9:
                services.close_letter(ctx.staff[code][Role.EDITOR], letter, "来信内容含有辱骂性语言，且无具体诉求",
                                      expected_version=letter.lock_version)
                continue
            cal_days = rng.randint(2, 16)
            answered = _moment(rng, min(day + dt.timedelta(days=cal_days), cal_today - dt.timedelta(days=1)))
            _answer(ctx, code, letter, topic[3].format(org=org.name), max(answered, received + dt.timedelta(hours=20)))
            counts["answered"] += 1
            if letter.consent_to_publish and (science or rng.random() < 0.3):
                _publish(ctx, code, letter)
                counts["published"] += 1
        # Recent letters still being handled (the science bureau's first is overdue, but not by three months).
        recent = [20, 3] if science else [2]
        for ago in recent:
            letter = _letter(ctx, org, rng, rng.choice(topics), _moment(rng, cal_today - dt.timedelta(days=ago)),
                             consent=True)
            services.assign_letter(ctx.staff[code][Role.EDITOR], letter, ctx.staff[code][Role.EDITOR],
                                   expected_version=letter.lock_version)
            counts["letters"] += 1
            counts["open"] += 1
    if NEGLECTED_COUNTY in ctx.orgs:
        org = ctx.orgs[NEGLECTED_COUNTY]
        received = _moment(rng, _months_ago(cal_today, 4) - dt.timedelta(days=3))
        neglected = _letter(ctx, org, rng, ("help", "农业科技特派员服务申请无人回复",
                                             "我村今年春季申请科技特派员到村指导大棚种植，至今没有任何回复，请尽快安排。", ""),
                            received, consent=False)
        counts["letters"] += 1
        ctx.report(f"政民互动：来信 {counts['letters']} 封（已答复 {counts['answered']}，选登 {counts['published']}，"
                   f"办理中 {counts['open']}）；{org.name}有1封来信超过三个月未答复（{neglected.tracking_number}）。")


def _months_ago(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in range(day.day, 0, -1):
        try:
            return dt.date(y, m + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


CONSULTATION_OPEN = {
    "title": "关于公开征求《明川市科技创新券管理办法（修订征求意见稿）》意见的公告",
    "explanation": (
        "<p>为进一步降低中小微企业创新成本，提高科技创新券使用效率，我局起草了《明川市科技创新券管理办法（修订征求意见稿）》。"
        "现将起草有关情况说明如下：</p><ol><li>起草背景：原办法实施三年来，共发放创新券2100余万元，但存在适用范围窄、兑付周期长等问题。</li>"
        "<li>主要修订内容：将检验检测、知识产权服务纳入适用范围；兑付时限由60日缩短为30日；单家企业年度额度提高至30万元。</li></ol>"
    ),
    "draft_text": (
        "<p><strong>第一条</strong> 为深入实施创新驱动发展战略，降低企业创新成本，根据有关规定，制定本办法。</p>"
        "<p><strong>第二条</strong> 本办法所称科技创新券，是指市财政安排资金，支持企业购买科技服务的电子凭证。</p>"
        "<p><strong>第三条</strong> 创新券适用于研究开发、检验检测、技术转移、知识产权等科技服务。</p>"
        "<p><strong>第四条</strong> 单家企业每年度使用创新券额度不超过30万元。</p>"
    ),
    "contact": "明川市科学技术局政策法规科，电话0000-6088732，邮箱mckjj@mingchuan.example",
}


def build_consultations(ctx: DemoContext) -> None:
    if SCIENCE_BUREAU not in ctx.orgs:
        return
    rng = ctx.rng("interaction.consultations")
    org = ctx.orgs[SCIENCE_BUREAU]
    editor = ctx.staff[SCIENCE_BUREAU][Role.EDITOR]
    today = ctx.today
    open_c = services.create_consultation(editor, org, {
        **CONSULTATION_OPEN, "is_major": True, "starts_on": today - dt.timedelta(days=10),
        "ends_on": today + dt.timedelta(days=24), "short_period_reason": "",
    })
    services.open_consultation(editor, open_c, expected_version=open_c.lock_version)
    Consultation.objects.filter(pk=open_c.pk).update(published_at=_moment(rng, today - dt.timedelta(days=10)))
    opinions = [
        "建议明确创新券兑付的具体流程和时限，避免企业垫资时间过长。",
        "希望将软件测评服务纳入创新券适用范围。",
        "建议对首次申领的小微企业给予更高的补助比例。",
    ]
    for i, text in enumerate(opinions):
        c = services.submit_comment(open_c, services.CommentInput(body=text, name=rng.choice(SURNAMES) + rng.choice(GIVEN)),
                                    now=_moment(rng, today - dt.timedelta(days=8 - i * 2)))
        if i < 2:
            services.moderate_comment(editor, c, Comment.Status.APPROVED)

    closed_start = max(START, today - dt.timedelta(days=300))
    closed = services.create_consultation(editor, org, {
        "title": "关于公开征求《明川市科技特派员管理办法（征求意见稿）》意见的公告",
        "explanation": "<p>为规范科技特派员选派、管理和考核，我局起草了《明川市科技特派员管理办法（征求意见稿）》，现公开征求意见。</p>",
        "draft_text": "<p><strong>第一条</strong> 为加强科技特派员队伍建设，服务乡村振兴，制定本办法。</p>"
                      "<p><strong>第二条</strong> 科技特派员实行双向选择、动态管理。</p>",
        "is_major": True, "starts_on": closed_start, "ends_on": closed_start + dt.timedelta(days=30),
        "short_period_reason": "", "contact": "明川市科学技术局农村科技科",
    })
    Consultation.objects.filter(pk=closed.pk).update(
        published_at=_moment(rng, closed_start), closed_at=_moment(rng, closed_start + dt.timedelta(days=31))
    )
    closed.refresh_from_db()
    for text in ("建议提高科技特派员工作补助标准。", "建议对服务成效突出的科技特派员在职称评审中给予倾斜。",
                 "希望增加特派员到村服务的频次。"):
        Comment.objects.create(consultation=closed, body=text, status=Comment.Status.APPROVED,
                               submitted_at=_moment(rng, closed_start + dt.timedelta(days=rng.randint(1, 28))))
    entries = [
        ("提高科技特派员工作补助标准", 1, FeedbackEntry.Decision.PARTLY, "补助标准与考核结果挂钩，考核优秀的提高20%。"),
        ("职称评审中对服务成效突出的特派员给予倾斜", 1, FeedbackEntry.Decision.ADOPTED, "已在第十五条中增加相关规定。"),
        ("增加到村服务频次", 1, FeedbackEntry.Decision.NOT_ADOPTED, "服务频次由派驻单位根据产业需求确定，办法不作统一规定。"),
    ]
    for opinion, count, decision, reason in entries:
        services.add_feedback_entry(editor, closed, opinion=opinion, comment_count=count, decision=decision, reason=reason)
    policy = catalog_selectors.live_items().filter(organisation=org, is_policy=True).order_by("-published_at").first()
    report = services.save_feedback(
        editor, closed, summary="征求意见期间共收到意见建议3条，经认真研究，采纳1条、部分采纳1条、未采纳1条。",
        final_item_id=policy.pk if policy else None, expected_version=0,
    )
    if policy is not None:
        services.publish_feedback(editor, closed, expected_version=report.lock_version)
    ctx.report(f"意见征集：征集中1项（{open_c.title[:20]}…），已结束并发布采纳情况反馈1项"
               f"{'（关联正式文件：' + policy.title + '）' if policy else '（未找到可关联的政策文件，反馈未发布）'}。")


def build(ctx: DemoContext) -> None:
    """The interaction stage of `gongkai demo`. Its writers' addresses are made up: no receipt or
    notification is queued for them."""
    with suppressed():
        build_letters(ctx)
        build_consultations(ctx)
