"""What waits below a supervisor (下级待办): overdue applications and letters and reports not published by their
statutory date in every organisation below the one a user administers, counted by level, with the oldest listed.

Put together from each app's reads, a fixed number of queries however many organisations there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gongkai.applications import selectors as application_selectors
from gongkai.interaction import selectors as interaction_selectors
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import Level, descendants_by_level, supervising_organisations
from gongkai.reports import selectors as report_selectors

LISTED = 10  # the oldest of each kind listed on the home page; the counts cover all


@dataclass
class LevelWaiting:
    level: Level
    organisations: int
    applications: int = 0
    letters: int = 0
    reports: int = 0

    @property
    def total(self) -> int:
        return self.applications + self.letters + self.reports


@dataclass
class WaitingBelow:
    organisation: Organisation
    today: dt.date
    levels: list[LevelWaiting] = field(default_factory=list)
    applications: list[Any] = field(default_factory=list)  # the oldest LISTED overdue applications
    letters: list[Any] = field(default_factory=list)
    reports: list[report_selectors.LateReport] = field(default_factory=list)
    level_of: dict[int, Level] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(level.total for level in self.levels)

    def counts(self, kind: str) -> int:
        return sum(getattr(level, kind) for level in self.levels)

    @property
    def application_count(self) -> int:
        return self.counts("applications")

    @property
    def letter_count(self) -> int:
        return self.counts("letters")

    @property
    def report_count(self) -> int:
        return self.counts("reports")


def waiting_below(org: Organisation, today: dt.date) -> WaitingBelow:
    waiting = WaitingBelow(org, today)
    by_level: dict[Level, LevelWaiting] = {}
    levels = descendants_by_level(org)
    for level, members in levels:
        by_level[level] = LevelWaiting(level, len(members))
        waiting.level_of.update((m.pk, level) for m in members)
    for org_id, n in application_selectors.overdue_counts_below(org, today).items():
        if org_id in waiting.level_of:
            by_level[waiting.level_of[org_id]].applications += n
    for org_id, n in interaction_selectors.overdue_letter_counts_below(org, today).items():
        if org_id in waiting.level_of:
            by_level[waiting.level_of[org_id]].letters += n
    late = report_selectors.late_reports_below(org, today, levels=levels)
    for report in late:
        by_level[waiting.level_of[report.organisation.pk]].reports += 1
    waiting.levels = list(by_level.values())
    waiting.applications = list(application_selectors.overdue_below(org, today)[:LISTED])
    waiting.letters = list(interaction_selectors.overdue_letters_below(org, today)[:LISTED])
    waiting.reports = late[:LISTED]
    return waiting


def waiting_below_for(user: Any, today: dt.date) -> list[WaitingBelow]:
    """One overview for each organisation `user` supervises from (none for most staff)."""
    return [waiting_below(org, today) for org in supervising_organisations(user)]
