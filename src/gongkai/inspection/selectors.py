"""Reads of the website self-inspection (自查) that commands, views and other apps may use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import organisation_by_code

from .evaluate import Inspection, Status, inspect
from .indicators import months_before
from .models import InspectionRun, Probe


class BadInput(ValueError):
    """An unknown organisation code or an unusable date (the message says which, in Chinese)."""


def parse_at(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """The inspection date from YYYY-MM-DD (today when empty); refuses malformed and future dates."""
    today = today or timezone.localdate()
    if not text:
        return today
    try:
        at = dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(gettext("日期格式不正确：%(text)r，应为 YYYY-MM-DD。") % {"text": text}) from None
    if at > today:
        raise BadInput(gettext("检查日期 %(at)s 晚于今天（%(today)s），不能检查将来。") % {"at": at, "today": today})
    return at


def organisation_for(code: str) -> Organisation:
    org = organisation_by_code(code)
    if org is None:
        raise BadInput(gettext("没有机构代码为 %(code)r 的机构。") % {"code": code})
    return org


def inspection(org: Organisation, at: dt.date | None = None) -> Inspection:
    """The full inspection of `org` at `at` (today by default)."""
    return inspect(org, at or timezone.localdate())


def children_of(org: Organisation) -> QuerySet[Organisation]:
    """The organisations `org` supervises in the inspection: its direct children."""
    return Organisation.objects.filter(parent=org).order_by("sort_order", "path")


@dataclass
class RankedChild:
    organisation: Organisation
    inspection: Inspection
    trend: list[tuple[dt.date, int]]  # (date, indicators with findings) over the last year

    @property
    def rank_key(self) -> tuple[int, int, int, str]:
        i = self.inspection
        return (len(i.vetoes), len(i.problems), i.points_lost, self.organisation.path)


def trend_dates(at: dt.date, points: int = 12) -> list[dt.date]:
    """`points` dates a month apart ending at `at`, oldest first."""
    return [months_before(at, n) for n in range(points - 1, -1, -1)]


def supervision(org: Organisation, at: dt.date, *, points: int = 12) -> list[RankedChild]:
    """`org`'s children ranked worst first (vetoes failed, then indicators with findings, then points lost),
    each with its trend over the last year (one inspection a month)."""
    ranked: list[RankedChild] = []
    dates = trend_dates(at, points)
    for child in children_of(org):
        trend = [(d, len(inspect(child, d).problems)) for d in dates[:-1]]
        now = inspect(child, at)
        trend.append((at, len(now.problems)))
        ranked.append(RankedChild(child, now, trend))
    return sorted(ranked, key=lambda r: r.rank_key, reverse=True)


def recent_probes(org: Organisation | None = None, limit: int = 20) -> list[Probe]:
    qs = Probe.objects.all() if org is None else Probe.objects.filter(organisation=org)
    return list(qs.order_by("-probed_at", "-id")[:limit])


__all__ = [
    "BadInput", "Inspection", "RankedChild", "Status", "children_of", "inspection", "organisation_for", "parse_at",
    "recent_probes", "supervision", "trend_dates",
]


@dataclass(frozen=True)
class RunFigures:
    """The recorded self-inspections of a site in a period: how many, the distinct problems they found, and how
    many of those a later run in the period no longer found (fixed)."""

    runs: int
    problems_found: int
    problems_fixed: int


def run_figures(org: Organisation, start: dt.date, end: dt.date) -> RunFigures:
    runs = list(InspectionRun.objects.filter(organisation=org, at__gte=start, at__lte=end).order_by("at", "id"))
    found: set[str] = set()
    fixed: set[str] = set()
    for i, run in enumerate(runs):
        found |= set(run.problems)
        later = runs[i + 1:]
        fixed |= {p for p in run.problems if any(p not in r.problems for r in later)}
    return RunFigures(runs=len(runs), problems_found=len(found), problems_fixed=len(fixed))


def recent_runs(org: Organisation, limit: int = 10) -> list[InspectionRun]:
    return list(InspectionRun.objects.filter(organisation=org).order_by("-at", "-id")[:limit])
