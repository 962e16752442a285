"""Demo annual reports (演示数据：年度报告) for `gongkai demo`.

For every organisation of the demo city: the figures staff enter for 2024 and 2025, and reports computed
from the platform through the services. 2024 reports are all published (one of them after its statutory
date); for 2025, the county bureau the demo neglects on purpose (see inspection/demo.py) has only a draft, so
the supervisor's dashboard and the self-inspection have something to show while every other office passes.
"""

from __future__ import annotations

import datetime as dt
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
