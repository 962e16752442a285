"""Evaluating the indicators (指标评估) for one organisation's site at one date.

Each function reads other apps only through their selectors and returns a `Result`: a status, the figure the
rule compares with its threshold, and the items, columns or letters behind it. Nothing here writes anything:
external links are judged from the cache that `services.check_external_links` fills.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog.models import Column, Item
from gongkai.core.calendar_selectors import working_calendar
from gongkai.interaction import selectors as interaction_selectors
from gongkai.orgs.models import Organisation
from gongkai.reports import selectors as report_selectors

from . import indicators as ind
from .indicators import BY_KEY, Indicator
from .links import is_external, links_in, site_path
from .models import LinkCheck, Probe


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 - a status, not a password; 通过
    WARN = "warn"  # 预警: a veto indicator has findings, below its threshold
    DEDUCT = "deduct"  # 扣分: a points indicator has findings
    FAIL = "fail"  # 否决: a veto indicator reached its threshold
    NO_DATA = "no_data"  # 无数据 (no probes yet)

    @property
    def label(self) -> str:
        return {
            "pass": _("通过"), "warn": _("预警"), "deduct": _("扣分"), "fail": _("单项否决"), "no_data": _("无监测数据"),
        }[self.value]


@dataclass(frozen=True)
class Finding:
    """One thing behind a figure: a column, an item, a letter, a link, a channel."""

    label: str
    detail: str = ""
    url: str = ""
    on: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "detail": self.detail, "url": self.url, "date": self.on.isoformat() if self.on else None}


@dataclass
class Result:
    indicator: Indicator
    status: Status
    figure: float
    summary: str
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        i = self.indicator
        return {
            "key": i.key, "name": str(i.name), "rule": str(i.rule), "kind": i.kind.value, "threshold": i.threshold,
            "source": str(i.source), "status": self.status.value, "figure": self.figure, "summary": self.summary,
            "findings": [f.as_dict() for f in self.findings],
        }


def _status(indicator: Indicator, count: float) -> Status:
    if count <= 0:
        return Status.PASS
    if not indicator.is_veto:
        return Status.DEDUCT
    return Status.FAIL if count >= indicator.threshold else Status.WARN


def _counted(key: str, findings: list[Finding], summary: str) -> Result:
    indicator = BY_KEY[key]
    return Result(indicator, _status(indicator, len(findings)), len(findings), summary, findings)


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


# ---- freshness: home page, columns, new media ---------------------------------------------------------------

@dataclass(frozen=True)
class ColumnDeadline:
    """Early warning (预警) for one column: when it goes stale under each rule that applies, and the first."""

    column: Column
    last_published_on: dt.date | None
    rules: tuple[tuple[str, dt.date], ...]  # (rule label, first day it counts as not updated)

    @property
    def stale_on(self) -> dt.date | None:
        return min((d for _label, d in self.rules), default=None)

    @property
    def is_empty(self) -> bool:
        return self.last_published_on is None


def window_rule(column: Column) -> tuple[str, int, str] | None:
    """The 2019 checklist's update window of a column by its update class: (label, length, "days"|"months")."""
    if column.update_class == Column.UpdateClass.NEWS:
        return (_("动态、要闻类2周"), ind.NEWS_WINDOW_DAYS, "days")
    if column.update_class == Column.UpdateClass.NOTICE_POLICY:
        return (_("通知公告、政策文件类6个月"), ind.NOTICE_POLICY_WINDOW_MONTHS, "months")
    return None


def _fresh_until(last: dt.date, length: int, unit: str) -> dt.date:
    """The last day on which an update made on `last` still counts as within the window."""
    return last + dt.timedelta(days=length) if unit == "days" else ind.months_after(last, length)


def column_deadlines(org: Organisation, at: dt.date) -> list[ColumnDeadline]:
    """Every active column of `org` with the day it goes (or went) stale under its rules, as of `at`."""
    result: list[ColumnDeadline] = []
    for update in catalog_selectors.column_updates(org, at):
        col, last = update.column, update.last_published_on
        rules: list[tuple[str, dt.date]] = []
        if last is not None:
            window = window_rule(col)
            if window is not None:
                rules.append((window[0], _fresh_until(last, window[1], window[2]) + dt.timedelta(days=1)))
            if col.expected_update_days:
                label = _("更新周期%(n)s天") % {"n": col.expected_update_days}
                rules.append((label, last + dt.timedelta(days=col.expected_update_days + 1)))
        result.append(ColumnDeadline(col, last, tuple(rules)))
    return result


def home_not_updated(org: Organisation, at: dt.date) -> Result:
    latest = catalog_selectors.latest_live_in_subtree(org, at)
    last = timezone.localdate(latest.published_at) if latest is not None and latest.published_at else None
    stale = last is None or last + dt.timedelta(days=ind.HOME_WINDOW_DAYS) < at
    findings = [Finding(_("首页最近一次更新"), latest.title if latest else _("无任何已发布信息"),
                        latest.get_absolute_url() if latest else "", last)] if stale else []
    summary = _("首页最近更新于 %(d)s") % {"d": _d(last)}
    return _counted("home_not_updated", findings, summary)


def columns_not_updated(org: Organisation, at: dt.date, deadlines: list[ColumnDeadline]) -> Result:
    findings: list[Finding] = []
    for cd in deadlines:
        window = window_rule(cd.column)
        if window is None or cd.is_empty:
            continue  # empty columns are counted by their own indicator
        assert cd.last_published_on is not None
        if _fresh_until(cd.last_published_on, window[1], window[2]) < at:
            findings.append(Finding(cd.column.name, _("%(rule)s内未更新，最近更新于 %(d)s") % {
                "rule": window[0], "d": _d(cd.last_published_on)}, cd.column.get_absolute_url(), cd.last_published_on))
    return _counted("columns_not_updated", findings, _("%(n)s 个动态要闻、通知公告、政策文件类栏目未按时更新") % {"n": len(findings)})


def columns_long_stale(org: Organisation, at: dt.date, deadlines: list[ColumnDeadline]) -> Result:
    findings: list[Finding] = []
    for cd in deadlines:
        days = cd.column.expected_update_days
        if not days or cd.last_published_on is None:
            continue
        if cd.last_published_on + dt.timedelta(days=days) < at:
            findings.append(Finding(cd.column.name, _("更新周期%(n)s天，最近更新于 %(d)s") % {
                "n": days, "d": _d(cd.last_published_on)}, cd.column.get_absolute_url(), cd.last_published_on))
    return _counted("columns_long_stale", findings, _("%(n)s 个设有更新周期的栏目超期未更新") % {"n": len(findings)})


def empty_columns(org: Organisation, at: dt.date, deadlines: list[ColumnDeadline]) -> Result:
    findings = [Finding(cd.column.name, _("没有已发布的信息"), cd.column.get_absolute_url())
                for cd in deadlines if cd.is_empty]
    return _counted("empty_columns", findings, _("%(n)s 个空白栏目") % {"n": len(findings)})


CHANNEL_NAMES = {"wechat": gettext_lazy("政务微信"), "weibo": gettext_lazy("政务微博")}


def new_media_not_updated(org: Organisation, at: dt.date) -> Result:
    last = catalog_selectors.channel_last_recorded(org, at)
    findings: list[Finding] = []
    for channel in ind.NEW_MEDIA_CHANNELS:
        day = last.get(channel)
        if day is not None and day + dt.timedelta(days=ind.NEW_MEDIA_WINDOW_DAYS) < at:
            findings.append(Finding(str(CHANNEL_NAMES[channel]), _("2周内无更新，最近发布于 %(d)s") % {"d": _d(day)}, on=day))
    used = [str(CHANNEL_NAMES[c]) for c in ind.NEW_MEDIA_CHANNELS if c in last]
    summary = _("开设渠道：%(c)s") % {"c": "、".join(used) or _("无")}
    return _counted("new_media_not_updated", findings, summary)


# ---- interaction, availability, annual report ---------------------------------------------------------------

def letters_unanswered(org: Organisation, at: dt.date) -> Result:
    letters = interaction_selectors.long_unanswered_letters([org.pk], today=at, months=ind.LETTER_UNANSWERED_MONTHS)
    findings = [Finding(letter.tracking_number, _("收到于 %(d)s，尚未答复") % {"d": _d(timezone.localdate(letter.received_at))},
                        on=timezone.localdate(letter.received_at)) for letter in letters]
    return _counted("letters_unanswered", findings, _("%(n)s 件有效留言超过3个月未答复") % {"n": len(findings)})


def probe_failed(probe: Probe) -> bool:
    return probe.status is None or probe.status >= 400 or probe.duration >= ind.AVAILABILITY_SLOW_SECONDS


def availability(org: Organisation, at: dt.date) -> Result:
    indicator = BY_KEY["availability"]
    start = timezone.make_aware(dt.datetime.combine(at - dt.timedelta(days=ind.AVAILABILITY_WINDOW_DAYS - 1), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(at + dt.timedelta(days=1), dt.time.min))
    probes = list(Probe.objects.filter(organisation=org, probed_at__gte=start, probed_at__lt=end).order_by("probed_at"))
    if not probes:
        return Result(indicator, Status.NO_DATA, 0, _("近7天没有监测记录（请运行 gongkai probe）"))
    failed = [p for p in probes if probe_failed(p)]
    share = len(failed) / len(probes)
    status = Status.FAIL if share >= indicator.threshold else Status.WARN if failed else Status.PASS
    per_day = len(probes) / ind.AVAILABILITY_WINDOW_DAYS
    summary = _("近7天监测 %(n)s 次，失败或超过15秒 %(f)s 次，占比 %(p).1f%%") % {
        "n": len(probes), "f": len(failed), "p": share * 100}
    if per_day < ind.AVAILABILITY_MIN_PROBES_PER_DAY:
        summary += _("（日均 %(d).1f 次，少于检查要求的20次）") % {"d": per_day}
    findings = [Finding(p.url, p.error or (f"HTTP {p.status}" if p.status and p.status >= 400 else _("%(seconds).1f 秒") % {"seconds": p.duration}),
                        on=timezone.localdate(p.probed_at)) for p in failed[:50]]
    return Result(indicator, status, round(share, 4), summary, findings)


def report_year(org: Organisation, at: dt.date) -> int:
    """The latest year whose annual report's statutory date has passed by `at`."""
    deadline, _published = report_selectors.publication_status(org, at.year - 1)
    return at.year - 1 if at > deadline else at.year - 2


def annual_report_late(org: Organisation, at: dt.date) -> Result:
    year = report_year(org, at)
    deadline, published = report_selectors.publication_status(org, year)
    findings: list[Finding] = []
    if published is None or published > at:
        findings.append(Finding(_("%(y)s年年度报告") % {"y": year}, _("法定期限 %(d)s，至今未公布") % {"d": _d(deadline)}, on=deadline))
    elif published > deadline:
        findings.append(Finding(_("%(y)s年年度报告") % {"y": year},
                                _("法定期限 %(d)s，于 %(p)s 公布") % {"d": _d(deadline), "p": _d(published)}, on=published))
    summary = _("%(y)s年年度报告：法定期限 %(d)s，公布日期 %(p)s") % {"y": year, "d": _d(deadline), "p": _d(published)}
    return _counted("annual_report_late", findings, summary)


WEBSITE = "website"  # the report family of the 政府网站工作年度报表 (reports/formats/website/)


def website_report_late(org: Organisation, at: dt.date) -> Result:
    """The latest 政府网站工作年度报表 whose date (31 January) has passed by `at`: missing, or published late."""
    deadline, _published = report_selectors.publication_status(org, at.year - 1, WEBSITE)
    year = at.year - 1 if at > deadline else at.year - 2
    deadline, published = report_selectors.publication_status(org, year, WEBSITE)
    what = _("%(y)s年度政府网站工作年度报表") % {"y": year}
    findings: list[Finding] = []
    if published is None or published > at:
        findings.append(Finding(what, _("应于 %(d)s 前在网站首页发布，至今未发布") % {"d": _d(deadline)}, on=deadline))
    elif published > deadline:
        findings.append(Finding(what, _("应于 %(d)s 前发布，于 %(p)s 发布") % {"d": _d(deadline), "p": _d(published)},
                                on=published))
    summary = _("%(w)s：发布期限 %(d)s，发布日期 %(p)s") % {"w": what, "d": _d(deadline), "p": _d(published)}
    return _counted("website_report_late", findings, summary)


# ---- published items: links, timeliness, interpretation, validity ------------------------------------------

def _recent(org: Organisation, at: dt.date) -> Any:
    since = timezone.make_aware(dt.datetime.combine(at - dt.timedelta(days=ind.REVIEWED_PUBLICATIONS_DAYS), dt.time.min))
    return catalog_selectors.live_items_published_by(org, at).filter(published_at__gte=since)


def item_links(org: Organisation, at: dt.date) -> list[tuple[Item, str]]:
    """(item, address) for every link in `org`'s live items published by `at`."""
    rows: list[tuple[Item, str]] = []
    qs = catalog_selectors.live_items_published_by(org, at).filter(Q(body__icontains="href") | Q(body__icontains="src="))
    for item in qs.order_by("published_at", "id"):
        rows.extend((item, url) for url in links_in(item.body))
    return rows


def dead_links(org: Organisation, at: dt.date) -> Result:
    rows = item_links(org, at)
    external = [url for _item, url in rows if is_external(url)]
    cache = {c.url: c for c in LinkCheck.objects.filter(url__in=set(external))}
    findings: list[Finding] = []
    unchecked = 0
    for item, url in rows:
        path = site_path(url)
        if path is not None:
            if not catalog_selectors.is_public_url(path):
                findings.append(Finding(item.title, _("站内链接无法访问：%(u)s") % {"u": url}, item.get_absolute_url()))
        elif is_external(url):
            check = cache.get(url)
            if check is None:
                unchecked += 1
            elif not check.ok:
                findings.append(Finding(item.title, _("站外链接无法访问：%(u)s（%(e)s）") % {
                    "u": url, "e": check.error or check.status}, item.get_absolute_url()))
    summary = _("共检查链接 %(n)s 个，其中站外 %(e)s 个（未检测 %(u)s 个）") % {"n": len(rows), "e": len(external), "u": unchecked}
    return _counted("dead_links", findings, summary)


def late_publication(org: Organisation, at: dt.date) -> Result:
    cal = working_calendar()
    findings: list[Finding] = []
    for item in _recent(org, at).filter(written_on__isnull=False).order_by("published_at", "id"):
        published = timezone.localdate(item.published_at)
        if item.written_on > published:
            continue
        days = cal.count_working_days(item.written_on, published)
        if days > ind.PUBLISH_WITHIN_WORKING_DAYS:
            findings.append(Finding(item.title, _("成文 %(w)s，发布 %(p)s，相隔 %(n)s 个工作日") % {
                "w": _d(item.written_on), "p": _d(published), "n": days}, item.get_absolute_url(), published))
    return _counted("late_publication", findings, _("近一年 %(n)s 条信息超过20个工作日公开") % {"n": len(findings)})


def normative_uninterpreted(org: Organisation, at: dt.date) -> Result:
    items = catalog_selectors.normative_without_interpretation(org, at)
    findings = [Finding(i.title, i.document_number, i.get_absolute_url(), timezone.localdate(i.published_at)) for i in items]
    return _counted("normative_uninterpreted", findings, _("%(n)s 件规范性文件没有政策解读") % {"n": len(findings)})


def validity_lapsed(org: Organisation, at: dt.date) -> Result:
    items = catalog_selectors.lapsed_but_shown_valid(org, at)
    findings = [Finding(i.title, _("失效日期 %(e)s，废止日期 %(a)s，仍标注“有效”") % {
        "e": _d(i.expires_on), "a": _d(i.abolished_on)}, i.get_absolute_url()) for i in items]
    return _counted("validity_lapsed", findings, _("%(n)s 件文件有效性标注错误") % {"n": len(findings)})


# ---- the whole inspection -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    """Something that falls due in the coming week (本周到期)."""

    on: dt.date
    what: str
    url: str = ""


@dataclass
class Inspection:
    organisation: Organisation
    at: dt.date
    results: list[Result]
    deadlines: list[ColumnDeadline]
    due: list[Due]

    @property
    def vetoes(self) -> list[Result]:
        return [r for r in self.results if r.status == Status.FAIL]

    @property
    def problems(self) -> list[Result]:
        return [r for r in self.results if r.status in {Status.FAIL, Status.WARN, Status.DEDUCT}]

    @property
    def passed(self) -> bool:
        return not self.vetoes

    @property
    def points_lost(self) -> int:
        return sum(r.indicator.points for r in self.results if r.status == Status.DEDUCT)

    @property
    def verdict(self) -> str:
        return _("不合格（单项否决）") if self.vetoes else _("合格")

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": {"code": self.organisation.code, "name": self.organisation.name},
            "at": self.at.isoformat(), "verdict": self.verdict, "passed": self.passed,
            "points_lost": self.points_lost,
            "indicators": [r.as_dict() for r in self.results],
            "columns": [{
                "name": d.column.name, "slug": d.column.slug, "last_published_on": _d(d.last_published_on),
                "stale_on": d.stale_on.isoformat() if d.stale_on else None, "empty": d.is_empty,
                "rules": [{"rule": label, "stale_on": day.isoformat()} for label, day in d.rules],
            } for d in self.deadlines],
            "due_this_week": [{"date": d.on.isoformat(), "what": d.what, "url": d.url} for d in self.due],
        }


def due_this_week(org: Organisation, at: dt.date, deadlines: list[ColumnDeadline]) -> list[Due]:
    """What goes stale or falls due after `at` and within the next 7 days (early warning)."""
    week_end = at + dt.timedelta(days=7)
    due: list[Due] = []
    for cd in deadlines:
        for label, day in cd.rules:
            if at < day <= week_end:
                due.append(Due(day, _("栏目“%(c)s”需更新（%(r)s）") % {"c": cd.column.name, "r": label},
                               cd.column.get_absolute_url()))
    latest = catalog_selectors.latest_live_in_subtree(org, at)
    if latest is not None and latest.published_at:
        day = timezone.localdate(latest.published_at) + dt.timedelta(days=ind.HOME_WINDOW_DAYS + 1)
        if at < day <= week_end:
            due.append(Due(day, _("首页需更新")))
    for channel, last in catalog_selectors.channel_last_recorded(org, at).items():
        day = last + dt.timedelta(days=ind.NEW_MEDIA_WINDOW_DAYS + 1)
        if channel in CHANNEL_NAMES and at < day <= week_end:
            due.append(Due(day, _("%(c)s需更新") % {"c": CHANNEL_NAMES[channel]}))
    now_late = set(interaction_selectors.long_unanswered_letters([org.pk], today=at).values_list("pk", flat=True))
    for letter in interaction_selectors.long_unanswered_letters([org.pk], today=week_end):
        if letter.pk not in now_late:
            day = ind.months_after(timezone.localdate(letter.received_at), ind.LETTER_UNANSWERED_MONTHS) + dt.timedelta(days=1)
            due.append(Due(max(day, at + dt.timedelta(days=1)), _("留言 %(t)s 即将超过3个月未答复") % {"t": letter.tracking_number}))
    for year in (at.year - 1,):
        deadline, published = report_selectors.publication_status(org, year)
        if published is None and at <= deadline <= week_end:
            due.append(Due(deadline, _("%(y)s年政府信息公开工作年度报告公布期限") % {"y": year}))
        deadline, published = report_selectors.publication_status(org, year, WEBSITE)
        if published is None and at <= deadline <= week_end:
            due.append(Due(deadline, _("%(y)s年度政府网站工作年度报表发布期限") % {"y": year}))
    return sorted(due, key=lambda d: (d.on, d.what))


def inspect(org: Organisation, at: dt.date) -> Inspection:
    """Every indicator for `org`'s site as of `at` (a date not in the future), with early warnings."""
    deadlines = column_deadlines(org, at)
    results = [
        availability(org, at),
        home_not_updated(org, at),
        columns_not_updated(org, at, deadlines),
        columns_long_stale(org, at, deadlines),
        empty_columns(org, at, deadlines),
        letters_unanswered(org, at),
        new_media_not_updated(org, at),
        dead_links(org, at),
        late_publication(org, at),
        normative_uninterpreted(org, at),
        validity_lapsed(org, at),
        annual_report_late(org, at),
        website_report_late(org, at),
    ]
    assert [r.indicator.key for r in results] == [i.key for i in ind.INDICATORS]
    return Inspection(org, at, results, deadlines, due_this_week(org, at, deadlines))
