"""Demo stage of the website self-inspection (网站自查) for `gongkai demo`.

Keeps every organisation but one current (the sites and their conventions are demo/sites.py's), and leaves
西岭县科学技术局 (the county bureau whose mailbox letter has gone unanswered for four months, see
interaction/demo.py) neglected on purpose: five columns not updated in time,
an empty column, and a dead link, so the monitor has real findings to show while the others pass.

Everything here is published through the catalog's services and review steps (the demo Driver), back-dated
the way the catalog demo does; the inspection itself never writes to the catalog.
"""

from __future__ import annotations

import datetime as dt

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Channel, Column
from gongkai.demo.catalog import Composer, Driver, Plan, _domain, _p, reserve_index_numbers
from gongkai.demo.city import DemoContext
from gongkai.demo.interaction import NEGLECTED_COUNTY
from gongkai.inspection.evaluate import column_deadlines
from gongkai.orgs.models import Role

NEGLECTED = NEGLECTED_COUNTY

# (slug, name, update class, expected days, days since the last update): planted stale columns.
STALE_COLUMNS = [
    ("kjyw", "科技要闻", Column.UpdateClass.NEWS, 7, 45),
    ("nykj", "农业科技推广", Column.UpdateClass.NEWS, 7, 70),
    ("kphd", "科普活动", Column.UpdateClass.NEWS, 14, 100),
    ("xmsb", "项目申报", Column.UpdateClass.NOTICE_POLICY, 30, 240),
    ("gsgg", "公示公告", Column.UpdateClass.NOTICE_POLICY, 30, 300),
]
EMPTY_COLUMN = ("ztzl", "专题专栏")
DEAD_LINK = "/org/xlxkjj/kjxm/"  # a column that was never created: the link leads nowhere
DEAD_LINK_DAYS = 150


def _workday_before(c: Composer, day: dt.date) -> dt.date:
    d = day
    while not c.calendar.is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def _columns(ctx: DemoContext) -> dict[str, dict[str, Column]]:
    return {code: {col.slug: col for col in catalog_selectors.columns_of(org)} for code, org in ctx.orgs.items()}


def keep_current(ctx: DemoContext, driver: Driver, c: Composer, code: str) -> int:
    """Publish what a diligent office would have by now: every column that is empty or goes stale within a
    week gets a fresh entry (news on WeChat and Weibo too); work plans past their year are marked 失效."""
    org = ctx.orgs[code]
    yesterday = _workday_before(c, ctx.today - dt.timedelta(days=1))
    week = ctx.today + dt.timedelta(days=7)
    published = 0
    plans: list[Plan] = []
    done: set[str] = set()
    for cd in column_deadlines(org, ctx.today):
        slug = cd.column.slug
        if not (cd.is_empty or (cd.stale_on is not None and cd.stale_on <= week)) or slug in done:
            continue
        if cd.column.update_class == Column.UpdateClass.NEWS:
            plan = c.county_news(yesterday) if slug == "xqdt" else c.news(code, yesterday, column=slug)
        elif slug in {"zcwj", "zcjd"}:
            rule, scope = c.rng.choice(_domain(code).policies)
            plan = c.rules(code, yesterday, rule, scope)  # with its interpretations in 政策解读
            done |= {"zcwj", "zcjd"}
        else:
            plan = c.notice(code, yesterday)
            plan.column = slug
        plans.append(plan)
    if not any(p.column in {"gzdt", "xqdt"} for p in plans):  # the new-media channels want news this fortnight
        plans.append(c.news(code, yesterday))
    for plan in plans:
        if plan.column in {"gzdt", "xqdt"}:
            plan.channels = [str(Channel.WECHAT), str(Channel.WEIBO)]
        reserve_index_numbers(ctx, [plan])
        driver.publish(plan)
        published += 1 + len(plan.interpretations)
    for item in catalog_selectors.lapsed_but_shown_valid(org, ctx.today):
        change = Plan(code, item.column.slug, c.moment(yesterday), {}, item=item,
                      change={"validity": "expired", "when": c.moment(yesterday)})
        driver.change(change)
    return published


def neglect(ctx: DemoContext, driver: Driver, c: Composer) -> None:
    """The neglected county bureau: columns left stale, one never filled, a link to a page that never existed."""
    org = ctx.orgs[NEGLECTED]
    editor = ctx.staff[NEGLECTED][Role.EDITOR]
    base_order = 200
    for n, (slug, name, update_class, days, ago) in enumerate(STALE_COLUMNS):
        column = catalog_services.create_column(
            editor, org, name=name, slug=slug, description=name, update_class=update_class,
            expected_update_days=days, sort_order=base_order + n * 10,
        )
        driver.columns[NEGLECTED][slug] = column
        d = _workday_before(c, ctx.today - dt.timedelta(days=ago))
        plan = c.news(NEGLECTED, d, column=slug) if update_class == Column.UpdateClass.NEWS else c.notice(NEGLECTED, d)
        plan.column, plan.channels = slug, []
        reserve_index_numbers(ctx, [plan])
        driver.publish(plan)
    slug, name = EMPTY_COLUMN
    catalog_services.create_column(editor, org, name=name, slug=slug, description=name,
                                   update_class=Column.UpdateClass.OTHER, sort_order=base_order + 90)
    d = _workday_before(c, ctx.today - dt.timedelta(days=DEAD_LINK_DAYS))
    plan = c.notice(NEGLECTED, d)
    plan.column, plan.channels = "qtxx", []
    plan.data["title"] = f"关于{d.year}年度县级科技项目申报结果查询的说明"
    plan.data["body"] = _p(f"{d.year}年度县级科技项目申报评审工作已经结束。") + (
        f'<p>申报结果请在本局网站<a href="{DEAD_LINK}">科技项目专栏</a>查询。</p>'
    )
    plan.override = "专栏正在建设，链接保留。"  # what a careless office writes when the pre-check flags the link
    reserve_index_numbers(ctx, [plan])
    driver.publish(plan)


def build(ctx: DemoContext) -> None:
    """The inspection stage of `gongkai demo`."""
    rng = ctx.rng("inspection")
    c = Composer(ctx, rng)
    driver = Driver(ctx, _columns(ctx), rng)
    published = sum(keep_current(ctx, driver, c, code) for code in ctx.orgs if code != NEGLECTED)
    neglect(ctx, driver, c)
    ctx.report(f"网站自查：其余机构补发 {published} 条使栏目保持更新；{ctx.orgs[NEGLECTED].name}"
               f"（{NEGLECTED}）故意疏于维护：{len(STALE_COLUMNS)} 个栏目超期未更新、1 个空白栏目、1 个失效链接。")
