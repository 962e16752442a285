"""Reads of the reports app: stored reports, what the portal may show, and the supervisor's dashboard.

Public reads (`published_reports`, `published_report`) never return a draft. The dashboard (督查看板) is for
a supervising organisation's administrator: it sets the reports of every organisation below it side by side,
grouped by level, and adds them up, which no statutory report does (each of those counts its own organisation only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core.db import prepared
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import Level, descendants_by_level

from .audit.findings import AuditResult, Finding
from .check import Failure, check_report
from .compute import ComputedReport, compute_report
from .document import ReportDocument, ReportValidationError, Value, parse_report
from .models import (
    AnnualReport,
    AnnualReportVersion,
    AuditBatch,
    AuditedReport,
    ReportInputs,
    StaffFigures,
    statutory_deadline,
)
from .spec import DISCLOSURE, ReportFormat, families, format_for_year


def report_for(org: Organisation, year: int, family: str = DISCLOSURE) -> AnnualReport | None:
    return AnnualReport.objects.select_related("organisation", "published_by").filter(
        organisation=org, year=year, family=family
    ).first()


def reports_of(org: Organisation, family: str = DISCLOSURE) -> QuerySet[AnnualReport]:
    """All stored reports of one family of one organisation, newest year first (workspace)."""
    return AnnualReport.objects.filter(organisation=org, family=family).order_by("-year")


def versions_of(report: AnnualReport) -> QuerySet[AnnualReportVersion]:
    return report.versions.select_related("created_by").order_by("-number")


def version_of(report: AnnualReport, number: int) -> AnnualReportVersion | None:
    return report.versions.filter(number=number).first()


def staff_figures(org: Organisation, year: int) -> StaffFigures | None:
    return StaffFigures.objects.select_related("entered_by").filter(organisation=org, year=year).first()


def report_inputs(org: Organisation, year: int, family: str) -> ReportInputs | None:
    """What staff entered for a format that lists its own inputs (the website report), with who entered it."""
    return ReportInputs.objects.select_related("entered_by").filter(organisation=org, year=year, family=family).first()


def document_of(report: AnnualReport | AnnualReportVersion) -> ReportDocument:
    return parse_report(report.document)


def published_reports(family: str = DISCLOSURE) -> QuerySet[AnnualReport]:
    """Every published report of a family, by organisation (tree order) then newest year (portal list)."""
    return (
        AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED, family=family)
        .select_related("organisation").order_by("organisation__path", "-year")
    )


def published_report(code: str, year: int, family: str = DISCLOSURE) -> AnnualReport | None:
    return published_reports(family).filter(organisation__code=code, year=year).first()


def latest_published(org: Organisation, family: str) -> AnnualReport | None:
    """The newest published report of `family` of `org` (the website report shown on the site's home page)."""
    found = prepared(AnnualReport, ("latest_published", family), lambda pk: published_reports(family).filter(
        organisation_id=pk).order_by("-year")[:1], org.pk)
    return found[0] if found else None


def report_or_computed(
    org: Organisation, year: int, edition: str | None = None, *, family: str = DISCLOSURE
) -> tuple[ReportDocument, list[str]]:
    """The published report of `org` on `year` if there is one (in the edition asked for), else a fresh one.

    Raises compute.ComputeError for a year or edition that cannot be computed.
    """
    stored = report_for(org, year, family)
    if stored is not None and stored.is_published and edition in (None, stored.edition):
        return parse_report(stored.document), [gettext("已发布的报告（%(date)s）") % {
            "date": f"{timezone.localtime(stored.published_at):%Y-%m-%d}"}]
    computed: ComputedReport = compute_report(org, year, edition, family=family)
    return computed.document, computed.warnings


# --- the supervisor's dashboard --------------------------------------------------------------------------


def key_figures(document: ReportDocument) -> dict[str, Value]:
    """The dashboard's figures of one report, as its format names them (a cell the report lacks counts 0)."""
    result: dict[str, Value] = {}
    for figure in document.format.dashboard:
        total: Value = 0
        for cell in figure.cells:
            total += document.value(cell.table, cell.row, cell.column) or 0
        result[figure.key] = total
    return result


def dashboard_summary(document: ReportDocument) -> dict[str, Any]:
    """What the dashboard shows of one report, as JSON (`AnnualReport.dashboard_summary`): its key figures (as
    text: some are decimals), the identities (勾稽关系) it fails and how many other checks fail."""
    failures = check_report(document)
    identity = [f for f in failures if f.kind == "identity"]
    return {
        "edition": document.format.edition,
        "figures": {key: str(value) for key, value in key_figures(document).items()},
        "identity_failures": [{"identity": f.identity, "message": f.message} for f in identity],
        "other_failures": len(failures) - len(identity),
    }


def _number(text: str) -> Value:
    return Decimal(text) if "." in text else int(text)


def _summary_of(report: AnnualReport) -> tuple[dict[str, Value], list[Failure], int]:
    """The report's kept summary; computed here only for a report written without the services."""
    summary = report.dashboard_summary
    if not summary or summary.get("edition") != report.edition:
        summary = dashboard_summary(parse_report(report.document))
    identity = [Failure(kind="identity", message=f["message"], identity=f["identity"])
                for f in summary["identity_failures"]]
    figures = {key: _number(value) for key, value in summary["figures"].items()}
    return figures, identity, summary["other_failures"]


FULL_LEVEL_ROWS = 100  # a larger level of the dashboard tables only the reports that need attention
CHART_BARS = 20  # the dashboard's chart shows the largest few: a chart of 2,000 bars says nothing


@dataclass
class DashboardRow:
    organisation: Organisation
    deadline: dt.date
    report: AnnualReport | None
    figures: dict[str, Value]
    identity_failures: list[Failure]
    other_failures: int
    level: Level | None = None
    keys: tuple[str, ...] = ()
    late: bool = False  # set by `dashboard` from is_late(today)
    audited: AuditedRow | None = None  # the latest audit of the report it published (年度报告审查)

    @property
    def values(self) -> list[Value | None]:
        """The key figures in the dashboard's order (for tables); None for an organisation with no stored report."""
        if self.report is None:
            return [None for _key in self.keys]
        return [self.figures.get(key, 0) for key in self.keys]

    @property
    def status(self) -> str:
        if self.report is None:
            return "missing"
        return self.report.status

    @property
    def published_on(self) -> dt.date | None:
        if self.report is None or self.report.published_at is None:
            return None
        return timezone.localtime(self.report.published_at).date()

    def is_late(self, today: dt.date) -> bool:
        """Published after its statutory date, or still unpublished once that date has passed."""
        published = self.published_on
        return published > self.deadline if published else today > self.deadline


@dataclass
class Dashboard:
    organisation: Organisation
    year: int
    today: dt.date
    format: ReportFormat
    rows: list[DashboardRow] = field(default_factory=list)  # every organisation below, level by level
    external: list[AuditedRow] = field(default_factory=list)  # audited reports of agencies not in the rows

    @property
    def levels(self) -> list[LevelBoard]:
        groups: dict[Level | None, list[DashboardRow]] = {}
        for row in self.rows:
            groups.setdefault(row.level, []).append(row)
        return [LevelBoard(level, rows, self.format) for level, rows in groups.items() if level is not None]

    @property
    def labels(self) -> list[tuple[str, str]]:
        return [(k.key, k.label) for k in self.format.dashboard]

    @property
    def totals(self) -> dict[str, Value]:
        totals: dict[str, Value] = {k.key: 0 for k in self.format.dashboard}
        for row in self.rows:
            for key in totals:
                totals[key] += row.figures.get(key, 0)
        return totals

    @property
    def total_values(self) -> list[Value]:
        totals = self.totals
        return [totals[k.key] for k in self.format.dashboard]

    @property
    def missing(self) -> list[DashboardRow]:
        """Not published here, and no published report of theirs audited either."""
        return [r for r in self.rows if r.status != AnnualReport.Status.PUBLISHED and r.audited is None]

    @property
    def late_rows(self) -> list[DashboardRow]:
        return [r for r in self.rows if r.late]

    @property
    def failing(self) -> list[DashboardRow]:
        return [r for r in self.rows if r.identity_failures]

    def chart_bars(self, key: str | None = None, limit: int = CHART_BARS) -> list[tuple[str, Value]]:
        """The `limit` largest values of `key` among the stored reports."""
        key = key or self.format.dashboard[0].key
        stored = [r for r in self.rows if r.report is not None]
        largest = sorted(stored, key=lambda r: r.figures.get(key, 0), reverse=True)[:limit]
        return [(r.organisation.short_name or r.organisation.name, r.figures.get(key, 0)) for r in largest]


@dataclass
class LevelBoard:
    """One level's rows of the dashboard (市级部门, 区县, 区县部门, …) and what stands out in them."""

    level: Level
    rows: list[DashboardRow]
    format: ReportFormat

    @staticmethod
    def _needs_attention(row: DashboardRow) -> bool:
        return row.status != AnnualReport.Status.PUBLISHED or row.late or bool(row.identity_failures) or bool(
            row.other_failures) or row.audited is not None

    @property
    def listed(self) -> list[DashboardRow]:
        """The rows a page shows in full: all of a small level; of a large one, those unpublished, late, failing a
        check or audited (the others are named in `compact`; their figures count in the totals)."""
        if len(self.rows) <= FULL_LEVEL_ROWS:
            return self.rows
        return [r for r in self.rows if self._needs_attention(r)]

    @property
    def compact(self) -> list[DashboardRow]:
        if len(self.rows) <= FULL_LEVEL_ROWS:
            return []
        return [r for r in self.rows if not self._needs_attention(r)]

    @property
    def published(self) -> int:
        return sum(1 for r in self.rows if r.status == AnnualReport.Status.PUBLISHED)

    @property
    def missing(self) -> int:
        return sum(1 for r in self.rows if r.status != AnnualReport.Status.PUBLISHED and r.audited is None)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.late)

    @property
    def failing(self) -> int:
        return sum(1 for r in self.rows if r.identity_failures)

    @property
    def total_values(self) -> list[Value]:
        return [sum((r.figures.get(k.key, 0) for r in self.rows), start=0) for k in self.format.dashboard]


@cache
def deadline_by_kind(kind: str, year: int, family: str) -> dt.date:
    """`statutory_deadline` for any organisation of `kind` (it depends on nothing else): the same few dates for
    the thousands of organisations of a tree."""
    return statutory_deadline(Organisation(kind=kind), year, family)


def supervised_organisations(org: Organisation) -> QuerySet[Organisation]:
    """Whether `org` supervises anyone's reports: the organisations directly below it."""
    return Organisation.objects.filter(parent=org).order_by("sort_order", "path")


def dashboard(org: Organisation, year: int, *, today: dt.date | None = None, family: str = DISCLOSURE) -> Dashboard:
    """The reports of `family` on `year` of every organisation below `org`, level by level, side by side, from
    what is stored (an organisation with no stored report is listed with no figures; its report page shows a
    preview). A fixed number of queries at any size of tree."""
    today = today or timezone.localdate()
    board = Dashboard(organisation=org, year=year, today=today, format=format_for_year(year, family))
    keys = tuple(k.key for k in board.format.dashboard)
    stored = {r.organisation_id: r for r in AnnualReport.objects.filter(
        organisation__path__startswith=org.path, year=year, family=family,
    ).exclude(organisation=org).defer("document")}  # the kept summary says what the page shows
    for level, members in descendants_by_level(org):
        for member in members:
            report = stored.get(member.pk)
            figures: dict[str, Value] = {}
            identity: list[Failure] = []
            other = 0
            if report is not None:
                report.organisation = member  # already at hand: no query per row for its name
                figures, identity, other = _summary_of(report)
            row = DashboardRow(
                organisation=member, deadline=deadline_by_kind(member.kind, year, family), report=report,
                figures=figures, identity_failures=identity, other_failures=other, level=level, keys=keys,
            )
            row.late = row.is_late(today)
            board.rows.append(row)
    if family == DISCLOSURE:  # the auditor reads published disclosure reports only
        audited, board.external = audited_for_dashboard(org, year, keys)
        for row in board.rows:
            row.audited = audited.get(row.organisation.pk)
            if row.audited is not None and row.status != AnnualReport.Status.PUBLISHED:
                row.late = False  # published elsewhere, on a date this platform does not know
    return board


def publication_status(org: Organisation, year: int, family: str = DISCLOSURE) -> tuple[dt.date, dt.date | None]:
    """For the website self-inspection (自查): the statutory date of `org`'s report of `family` on `year` and the
    local date it was published, or None while it is unpublished."""
    report = report_for(org, year, family)
    published = (
        timezone.localtime(report.published_at).date()
        if report is not None and report.status == AnnualReport.Status.PUBLISHED and report.published_at
        else None
    )
    return statutory_deadline(org, year, family), published


@dataclass(frozen=True)
class LateReport:
    """A report not published by its statutory date (未按期公布): whose, which family and year, and the draft if any."""

    organisation: Organisation
    family: str
    year: int
    deadline: dt.date
    report: AnnualReport | None

    @property
    def title(self) -> str:
        return format_for_year(self.year, self.family).title


def late_reports_below(
    org: Organisation, today: dt.date, *, levels: list[tuple[Level, list[Organisation]]] | None = None
) -> list[LateReport]:
    """For each organisation below `org` and each report family: the latest year whose statutory date has passed,
    when its report is still unpublished. Level by level, in tree order (`levels`: the tree, when the caller has
    read it already); one query beside the tree's."""
    levels = descendants_by_level(org) if levels is None else levels
    years = (today.year - 1, today.year - 2)  # a report on year Y falls due early in Y + 1
    stored: dict[tuple[int, str, int], AnnualReport] = {}
    for report in AnnualReport.objects.filter(
        organisation__path__startswith=org.path, year__in=years,
    ).exclude(organisation=org).defer("document"):
        stored[(report.organisation_id, report.family, report.year)] = report
    late: list[LateReport] = []
    for _level, members in levels:
        for member in members:
            for family in families():
                for year in years:
                    deadline = deadline_by_kind(member.kind, year, family)
                    if deadline < today:
                        draft = stored.get((member.pk, family, year))
                        if draft is None or draft.status != AnnualReport.Status.PUBLISHED:
                            late.append(LateReport(member, family, year, deadline, draft))
                        break
    return late


# --- audited reports (年度报告审查) ----------------------------------------------------------------------


def audit_batches_of(org: Organisation) -> QuerySet[AuditBatch]:
    """The batches an organisation's supervisors submitted, newest first, with their reports counted."""
    return AuditBatch.objects.filter(organisation=org).select_related("created_by").annotate(
        n_reports=Count("reports"), n_errors=Sum("reports__errors"), n_warnings=Sum("reports__warnings"),
    ).order_by("-created_at", "-id")


def audit_batch_of(org: Organisation, pk: int) -> AuditBatch | None:
    return AuditBatch.objects.filter(organisation=org, pk=pk).select_related("created_by").first()


def audited_reports_of(batch: AuditBatch) -> list[AuditedReport]:
    return list(batch.reports.select_related("matched_organisation").order_by("position"))


def audit_results_of(batch: AuditBatch) -> list[AuditResult]:
    """The batch's reports as the auditor's results (for the xlsx download)."""
    results = []
    for report in audited_reports_of(batch):
        result = AuditResult(
            source=report.source, format=report.edition or None, year=report.year,
            organisation=report.organisation_name or None, readable=report.readable, input_kind=report.input_kind,
            findings=[Finding.from_dict(f) for f in report.findings],
        )
        results.append(result)
    return results


@dataclass
class AuditedRow:
    """An audited published report on the dashboard, with its key figures when its tables were read."""

    report: AuditedReport
    figures: dict[str, Value]
    keys: tuple[str, ...] = ()  # the dashboard's figures, in its order

    @property
    def values(self) -> list[Value | None]:
        return [self.figures.get(key) for key in self.keys]


def _audited_row(report: AuditedReport, keys: tuple[str, ...]) -> AuditedRow:
    figures: dict[str, Value] = {}
    if report.document:
        try:
            figures = key_figures(parse_report(report.document))
        except ReportValidationError:
            figures = {}
    return AuditedRow(report=report, figures=figures, keys=keys)


def audited_for_dashboard(org: Organisation, year: int,
                          keys: tuple[str, ...] = ()) -> tuple[dict[int, AuditedRow], list[AuditedRow]]:
    """The latest audit of each report on `year` from `org`'s batches: those of organisations below it by
    organisation, and the others (agencies that do not publish through gongkai) in name order."""
    latest: dict[str, AuditedReport] = {}
    done = (
        AuditedReport.objects.filter(batch__organisation=org, year=year, status=AuditedReport.Status.DONE, readable=True)
        .select_related("matched_organisation", "batch").order_by("audited_at", "id")
    )
    for report in done:
        key = f"org:{report.matched_organisation_id}" if report.matched_organisation_id else f"name:{report.organisation_name}"
        latest[key] = report  # later audits replace earlier ones
    by_child: dict[int, AuditedRow] = {}
    others: list[AuditedRow] = []
    for report in latest.values():
        matched = report.matched_organisation
        if matched is not None and matched.pk != org.pk and matched.path.startswith(org.path):
            by_child[matched.pk] = _audited_row(report, keys)
        else:
            others.append(_audited_row(report, keys))
    others.sort(key=lambda row: (row.report.organisation_name, row.report.source))
    return by_child, others
