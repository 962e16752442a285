"""Reads of the website self-inspection (自查) that commands, views and other apps may use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import Level, descendants_by_level, organisation_by_code

from .evaluate import Inspection, Status, inspect
from .indicators import BY_KEY, INDICATORS, Indicator, months_before
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
    """The organisations directly below `org` (whether it has any to rank)."""
    return Organisation.objects.filter(parent=org).order_by("sort_order", "path")


def trend_dates(at: dt.date, points: int = 12) -> list[dt.date]:
    """`points` dates a month apart ending at `at`, oldest first."""
    return [months_before(at, n) for n in range(points - 1, -1, -1)]


# ---- the supervisor's ranking (下级机构自查排名), read from the recorded runs ------------------------------------

STALE_DAYS = 14  # a run older than two weekly rounds is shown as out of date
TREND_LINES = 8  # the chart draws the worst organisations only: 2,000 lines would say nothing
TREND_LOOKBACK_DAYS = 92  # a trend point takes the latest run at most a quarter before it


def problem_indicators(run: InspectionRun) -> list[Indicator]:
    """The indicators a run found anything under, in the checklist's order."""
    keys = {p.split(":", 1)[0] for p in run.problems}
    return [i for i in INDICATORS if i.key in keys]


@dataclass
class RankedRun:
    """One organisation below a supervisor with its latest recorded self-inspection (None: none recorded yet)."""

    organisation: Organisation
    level: Level
    run: InspectionRun | None
    stale: bool = False  # the run is older than STALE_DAYS before the date looked at
    rank: int | None = None  # within its level, worst first; None without a run

    @cached_property
    def vetoes(self) -> list[Indicator]:
        return [BY_KEY[k] for k in self.run.vetoes if k in BY_KEY] if self.run else []

    @cached_property
    def problems(self) -> list[Indicator]:
        return problem_indicators(self.run) if self.run else []

    @property
    def points_lost(self) -> int:
        return self.run.points_lost if self.run else 0

    @property
    def rank_key(self) -> tuple[int, int, int]:
        return (len(self.vetoes), len(self.problems), self.points_lost)


FULL_LEVEL_ROWS = 100  # a larger level lists in full only the organisations that need attention


@dataclass
class LevelRanking:
    """One level's organisations, worst first; those never inspected last."""

    level: Level
    rows: list[RankedRun]

    @property
    def listed(self) -> list[RankedRun]:
        """The rows a page shows in full: all of a small level; of a large one, those with problems, without a
        run or with an old one (the others are named in `compact`)."""
        if len(self.rows) <= FULL_LEVEL_ROWS:
            return self.rows
        return [r for r in self.rows if r.problems or r.run is None or r.stale]

    @property
    def compact(self) -> list[RankedRun]:
        """The rows of a large level that passed with nothing found, current: named, not tabled."""
        if len(self.rows) <= FULL_LEVEL_ROWS:
            return []
        return [r for r in self.rows if not (r.problems or r.run is None or r.stale)]

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if r.vetoes)

    @property
    def with_problems(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    @property
    def unrecorded(self) -> int:
        return sum(1 for r in self.rows if r.run is None)

    @property
    def stale(self) -> int:
        return sum(1 for r in self.rows if r.stale)


@dataclass
class TrendLine:
    organisation: Organisation
    points: list[tuple[dt.date, int | None]]  # indicators with findings at each date; None: no run recorded


@dataclass
class SubtreeRanking:
    organisation: Organisation
    at: dt.date
    levels: list[LevelRanking]
    trend: list[TrendLine] = field(default_factory=list)

    @property
    def rows(self) -> list[RankedRun]:
        return [r for level in self.levels for r in level.rows]

    @property
    def worst(self) -> list[RankedRun]:
        """Every organisation whose run found anything, worst first, across all levels."""
        return sorted((r for r in self.rows if r.problems), key=lambda r: r.rank_key, reverse=True)


def _latest_runs(org: Organisation, at: dt.date) -> dict[int, InspectionRun]:
    """The latest run on or before `at` of each organisation below `org`: one query, led by the index on
    (organisation, at) whatever the length of the history."""
    latest = (
        Organisation.objects.filter(path__startswith=org.path).exclude(pk=org.pk)
        .annotate(run_id=Subquery(
            InspectionRun.objects.filter(organisation=OuterRef("pk"), at__lte=at).order_by("-at", "-id").values("id")[:1]
        ))
        .values("run_id")
    )
    runs = InspectionRun.objects.filter(pk__in=latest).defer("ran_at")
    return {r.organisation_id: r for r in runs}


def _trend(rows: list[RankedRun], at: dt.date, points: int) -> list[TrendLine]:
    dates = trend_dates(at, points)
    ids = [r.organisation.pk for r in rows]
    history: dict[int, list[InspectionRun]] = {}
    for run in InspectionRun.objects.filter(
        organisation_id__in=ids, at__lte=at, at__gt=dates[0] - dt.timedelta(days=TREND_LOOKBACK_DAYS),
    ).only("organisation_id", "at", "problems").order_by("at", "id"):
        history.setdefault(run.organisation_id, []).append(run)
    lines = []
    for row in rows:
        runs = history.get(row.organisation.pk, [])
        values: list[tuple[dt.date, int | None]] = []
        for day in dates:
            before = [r for r in runs if day - dt.timedelta(days=TREND_LOOKBACK_DAYS) < r.at <= day]
            values.append((day, len(problem_indicators(before[-1])) if before else None))
        lines.append(TrendLine(row.organisation, values))
    return lines


def subtree_ranking(
    org: Organisation, at: dt.date, *, visible: set[int] | None = None, points: int = 12
) -> SubtreeRanking:
    """Every organisation below `org` (those in `visible`, None: all) ranked worst first within its level (vetoes
    failed, then indicators with findings, then points lost), from the runs the weekly self-inspection recorded;
    with a year's trend of the worst few. A fixed number of queries at any size of tree."""
    runs = _latest_runs(org, at)
    stale_before = at - dt.timedelta(days=STALE_DAYS)
    levels = []
    for level, members in descendants_by_level(org, visible=visible):
        rows = [RankedRun(o, level, runs.get(o.pk), stale=o.pk in runs and runs[o.pk].at < stale_before)
                for o in members]
        rows.sort(key=lambda r: (r.run is not None, r.rank_key), reverse=True)  # stable: tree order among equals
        for position, row in enumerate(rows, start=1):
            row.rank = position if row.run is not None else None
        levels.append(LevelRanking(level, rows))
    ranking = SubtreeRanking(org, at, levels)
    ranking.trend = _trend(ranking.worst[:TREND_LINES], at, points)
    return ranking


def recent_probes(org: Organisation | None = None, limit: int = 20) -> list[Probe]:
    qs = Probe.objects.all() if org is None else Probe.objects.filter(organisation=org)
    return list(qs.order_by("-probed_at", "-id")[:limit])


__all__ = [
    "BadInput", "Inspection", "LevelRanking", "RankedRun", "Status", "SubtreeRanking", "children_of", "inspection",
    "organisation_for", "parse_at", "recent_probes", "subtree_ranking", "trend_dates",
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
