"""Demo annual reports (演示数据：年度报告) for `gongkai demo`.

For every organisation of the demo city: the figures staff enter for 2024 and 2025, and reports computed
from the platform through the services. 2024 reports are all published (one of them after its statutory
date); for 2025, the county bureau the demo neglects on purpose (see inspection/demo.py) has only a draft, so
the supervisor's dashboard and the self-inspection have something to show while every other office passes.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone

from gongkai.demo.city import DemoContext
from gongkai.orgs.models import Organisation, Role
from gongkai.reports import services
from gongkai.reports.models import AnnualReport, statutory_deadline

YEARS = (2024, 2025)
LATE_2024 = "mcsthjj"  # published its 2024 report a week late
DRAFT_2025 = "xlxkjj"  # the neglected county bureau: its 2025 report is still a draft

SECTION_FIVE = (
    "对照《条例》要求和公众期待，本机关政府信息公开工作仍存在一些不足：一是政策解读形式还不够丰富，"
    "图解、视频等解读产品较少；二是部分栏目更新频率不够均衡；三是工作人员业务培训有待加强。\n"
    "下一步，本机关将丰富政策解读形式，落实文件与解读材料同步起草、同步审签、同步发布；"
    "加强栏目日常巡查，确保信息及时更新；定期组织业务培训，提升政府信息公开工作水平。"
)


def _figures(ctx: DemoContext, org: Organisation, year: int) -> dict[str, object]:
    rng = ctx.rng(f"reports:{org.code}:{year}")
    government = org.kind == Organisation.Kind.GOVERNMENT
    licensing_prior = rng.randint(20, 60)
    return {
        "rules_issued": rng.randint(1, 3) if government else 0,
        "rules_repealed": rng.randint(0, 1) if government else 0,
        "rules_in_force": rng.randint(10, 20) if government else 0,
        "licensing_decisions": rng.randint(200, 2000),
        "penalty_decisions": rng.randint(0, 120),
        "enforcement_decisions": rng.randint(0, 15),
        "fees_amount_wan": Decimal(rng.randint(0, 500000)) / 100,
        "licensing_prior_items": licensing_prior,
        "licensing_change": rng.randint(-3, 3),
        "other_services_prior_items": rng.randint(5, 20),
        "other_services_change": rng.randint(-2, 2),
        "other_services_decisions": rng.randint(50, 400),
        "penalty_prior_items": rng.randint(30, 120),
        "penalty_change": rng.randint(-5, 5),
        "enforcement_prior_items": rng.randint(0, 10),
        "enforcement_change": rng.randint(-1, 1),
        "fee_items_prior": rng.randint(0, 5),
        "fee_items_change": 0,
        "procurement_projects": rng.randint(2, 30),
        "procurement_amount_wan": Decimal(rng.randint(1000, 900000)) / 100,
    }


def build(ctx: DemoContext) -> None:
    """The reports stage of `gongkai demo` (runs after applications and the mailbox)."""
    published = drafts = 0
    for code, org in ctx.orgs.items():
        staff = ctx.staff[code]
        editor = staff.get(Role.EDITOR) or staff[Role.ADMIN]
        approver = staff.get(Role.APPROVER) or staff[Role.ADMIN]
        for year in YEARS:
            if year >= ctx.today.year:
                continue
            services.save_staff_figures(editor, org, year, _figures(ctx, org, year))
            report, _warnings = services.create_draft(editor, org, year)
            report = services.edit_sections(
                editor, report, {"五": SECTION_FIVE}, lock_version=report.lock_version, note="撰写第五部分"
            )
            if year == 2025 and code == DRAFT_2025:
                drafts += 1
                continue
            report = services.publish(approver, report, lock_version=report.lock_version)
            deadline = statutory_deadline(org, year)
            day = deadline + dt.timedelta(days=7) if (year, code) == (2024, LATE_2024) else deadline - dt.timedelta(
                days=ctx.rng(f"reports:published:{code}:{year}").randint(1, 20)
            )
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
            AnnualReport.objects.filter(pk=report.pk).update(published_at=when)
            published += 1
    ctx.report(f"年度报告：已发布 {published} 份，草稿 {drafts} 份（{', '.join(map(str, YEARS))} 年度）。")


# --- the website annual report (政府网站工作年度报表) ----------------------------------------------------------------

WEBSITE = "website"
# (slug, name, opened on): one special topic column (专题专栏) per site, opened in the year before last or last year.
SPECIAL_TOPICS = [("yshj", "优化营商环境专栏", (3, 1)), ("xxgc", "学习贯彻党的二十届四中全会精神专栏", (11, 3))]


def _special_topics(ctx: DemoContext) -> int:
    """Each site but the neglected one opens a 专题专栏 and keeps it current with a few entries."""
    from gongkai.catalog import services as catalog_services
    from gongkai.catalog.models import Column
    from gongkai.demo.catalog import Composer, Driver, reserve_index_numbers
    from gongkai.demo.inspection import NEGLECTED

    columns = {code: {c.slug: c for c in Column.objects.filter(organisation=org)} for code, org in ctx.orgs.items()}
    rng = ctx.rng("website:topics")
    driver, composer = Driver(ctx, columns, rng), Composer(ctx, rng)
    made = 0
    for n, (code, org) in enumerate(ctx.orgs.items()):
        if code == NEGLECTED:
            continue
        slug, name, (month, day) = SPECIAL_TOPICS[n % len(SPECIAL_TOPICS)]
        opened = dt.date(ctx.today.year - 1 - (n % 2), month, day)
        editor = ctx.staff[code].get(Role.EDITOR) or ctx.staff[code][Role.ADMIN]
        columns[code][slug] = catalog_services.create_column(
            editor, org, name=name, slug=slug, description=f"{name}：政策文件、工作动态和解读",
            statutory_category="art20_15", update_class=Column.UpdateClass.OTHER, sort_order=95,
            is_special_topic=True, opened_on=opened,
        )
        plans = []
        for k in range(3):
            when = min(opened + dt.timedelta(days=40 * k + 5), ctx.today - dt.timedelta(days=3))
            plan = composer.news(code, composer.workday(when, when + dt.timedelta(days=6)), column=slug)
            plans.append(plan)
        reserve_index_numbers(ctx, plans)
        for plan in plans:
            driver.publish(plan)
        made += 1
    return made


def _website_inputs(ctx: DemoContext, org: Organisation, year: int) -> dict[str, object]:
    """What the office enters for the year: services, interviews, outside security checks, new media followers."""
    rng = ctx.rng(f"website:inputs:{org.code}:{year}")
    government = org.kind == Organisation.Kind.GOVERNMENT
    items = rng.randint(40, 120) if government else rng.randint(8, 40)
    natural = rng.randint(200, 3000)
    found = rng.randint(0, 4)
    short = org.short_name or org.name
    return {
        "media_comments": rng.randint(0, 6), "responses": rng.randint(0, 5),
        "service_catalog": True, "service_users": rng.randint(500, 20000), "service_items": items,
        "service_online": items - rng.randint(0, items // 4), "cases_natural": natural,
        "cases_legal": rng.randint(50, max(60, natural // 3)),
        "unified_platform": True, "interviews_held": rng.randint(0, 4), "interviews_messages": rng.randint(0, 60),
        "interviews_answered": rng.randint(0, 40), "smart_qa": government,
        "security_assessments": rng.randint(1, 4), "security_found": found, "security_fixed": found,
        "security_monitoring": True, "security_drills": True, "security_owner": True,
        "weibo_name": f"{short}发布" if government else "", "weibo_followers": rng.randint(2000, 90000) if government else 0,
        "wechat_name": f"{short}", "wechat_subscribers": rng.randint(1000, 60000),
        "head": "张建国", "reviewer": "李文华", "filler": "王晓明", "phone": "0000-6888000",
    }


def _publish_on(report: AnnualReport, day: dt.date) -> None:
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    AnnualReport.objects.filter(pk=report.pk).update(published_at=when)


def build_website(ctx: DemoContext) -> None:
    """The website stage of `gongkai demo` (after the visit statistics): 专题专栏, what staff enter, the
    self-inspection's quarterly runs of last year, and every site's website annual report for the two years before
    this one, published in January — but the neglected county bureau has not published last year's; then this
    week's self-inspection run of every site (what the supervisor's ranking reads)."""
    from gongkai.demo.inspection import NEGLECTED
    from gongkai.inspection.services import record_run

    topics = _special_topics(ctx)
    last = ctx.today.year - 1
    published = 0
    for year in (last - 1, last):
        if year == last:  # the self-inspection ran every quarter of last year (after the year before was reported)
            for month in (3, 6, 9, 12):
                for org in ctx.orgs.values():
                    record_run(org, dt.date(year, month, 28))
        for code, org in ctx.orgs.items():
            staff = ctx.staff[code]
            editor = staff.get(Role.EDITOR) or staff[Role.ADMIN]
            approver = staff.get(Role.APPROVER) or staff[Role.ADMIN]
            services.save_report_inputs(editor, org, year, WEBSITE, _website_inputs(ctx, org, year))
            if year == last and code == DRAFT_2025:
                continue  # not even a draft: the self-inspection flags it
            report, _warnings = services.create_draft(editor, org, year, family=WEBSITE)
            day = dt.date(year + 1, 1, 10 + ctx.rng(f"website:published:{code}:{year}").randint(0, 15))
            signed = re.sub(r"填报日期：.*$", f"填报日期：{day.year}年{day.month}月{day.day}日",
                            report.document["sections"]["二"]["text"])  # filled in when it went out, back then
            report = services.edit_sections(editor, report, {"二": signed}, lock_version=report.lock_version)
            report = services.publish(approver, report, lock_version=report.lock_version)
            _publish_on(report, day)
            published += 1
    for org in ctx.orgs.values():  # this week's self-inspection, once everything above is in place
        record_run(org, ctx.today)
    ctx.report(f"政府网站工作年度报表：已发布 {published} 份（{last - 1}、{last} 年度）；{NEGLECTED} 未发布 {last} 年度报表；"
               f"专题专栏 {topics} 个；本周自查已记录。")
