"""Reads of disclosure on request: staff lists by urgency, the applicant's view, and the annual-report counts.

The report engine reads `t3_counts`, `t4_counts` and `fees_collected` (keys as in reports/formats/f2021.json).
How an application is counted in year Y (its receipt day `received_on`, its reply day `replied_on`):

- 一 new: received in Y;
- 二 carried over: received before Y and not replied before Y;
- 三 results: replied in Y, in the row of its reply kind (abandonments are replies of the 其他处理 kinds);
- 四 carried forward: received by the end of Y and not replied by then.

Every application received by the end of Y and not replied before Y is in exactly one of 一/二 and exactly one
of 三/四, so 一 + 二 = 三（七）总计 + 四 holds per column by construction (tested with hypothesis).
F2019 has one 其他处理 row: the sum of the three F2021 其他处理 rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from gongkai.core.calendar import WorkingCalendar
from gongkai.core.personal_data import mask_email, mask_name, mask_value
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.orgs.selectors import visible_organisation_ids

from .models import (
    Appeal,
    Applicant,
    ApplicantKind,
    Application,
    ApplicationEvent,
    EventKind,
    Fee,
    ReplyKind,
    State,
)

T3_COLUMNS: tuple[str, ...] = (*ApplicantKind.values, "total")
T3_RESULT_ROWS: tuple[str, ...] = tuple(ReplyKind.values)
T3_ROWS: tuple[str, ...] = ("new", "carried_over", *T3_RESULT_ROWS, "results_total", "carried_forward")
T4_GROUPS = {Appeal.Kind.RECONSIDERATION: "review", Appeal.Kind.LITIGATION_DIRECT: "direct",
             Appeal.Kind.LITIGATION_AFTER: "after_review"}
T4_OUTCOMES = {Appeal.Outcome.UPHELD: "upheld", Appeal.Outcome.CORRECTED: "corrected",
               Appeal.Outcome.OTHER: "other", Appeal.Outcome.PENDING: "pending"}

URGENCY_BUCKETS = (
    ("overdue", gettext_lazy("已超期")), ("today", gettext_lazy("今日到期")), ("soon", gettext_lazy("3个工作日内到期")),
    ("later", gettext_lazy("其他在办")),
)


# -- the annual report ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CountRecord:
    """What T3 needs of one application."""

    applicant_kind: str
    received_on: datetime.date
    replied_on: datetime.date | None
    reply_kind: str


def count_t3(records: Iterable[CountRecord], year: int) -> dict[str, dict[str, int]]:
    """Table T3 for `year`: rows × columns of counts (a pure function; `t3_counts` feeds it the database)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    table = {row: dict.fromkeys(T3_COLUMNS, 0) for row in T3_ROWS}

    def add(row: str, column: str) -> None:
        table[row][column] += 1
        table[row]["total"] += 1

    for r in records:
        if r.received_on > end or (r.replied_on is not None and r.replied_on < start):
            continue
        column = r.applicant_kind
        add("new" if r.received_on >= start else "carried_over", column)
        if r.replied_on is not None and r.replied_on <= end:
            add(r.reply_kind, column)
            add("results_total", column)
        else:
            add("carried_forward", column)
    return table


def _records(org: Organisation) -> Iterable[CountRecord]:
    for kind, received, replied, reply_kind in Application.objects.filter(organisation=org).values_list(
            "applicant_kind", "received_on", "replied_on", "reply_kind").iterator():
        yield CountRecord(kind, received, replied, reply_kind)


def t3_counts(org: Organisation, year: int) -> dict[str, dict[str, int]]:
    """T3 (收到和处理政府信息公开申请情况) of `org` for `year`: {row key: {column key: count}}."""
    return count_t3(_records(org), year)


def count_t4(appeals: Iterable[tuple[str, datetime.date, datetime.date | None, str]], year: int) -> dict[str, int]:
    """Table T4 for `year` from (kind, filed_on, decided_on, outcome) tuples.

    A case counts in Y when it was filed by the end of Y and not decided before Y; its outcome is the one
    known at the end of Y (尚未审结 if decided later). A case pending across a year end is counted in both years,
    as pending and then with its outcome.
    """
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    counts = {f"{g}_{o}": 0 for g in T4_GROUPS.values() for o in (*T4_OUTCOMES.values(), "total")}
    for kind, filed, decided, outcome in appeals:
        if filed > end or (decided is not None and decided < start):
            continue
        group = T4_GROUPS[Appeal.Kind(kind)]
        known = outcome if decided is not None and decided <= end else Appeal.Outcome.PENDING
        counts[f"{group}_{T4_OUTCOMES[Appeal.Outcome(known)]}"] += 1
        counts[f"{group}_total"] += 1
    return counts


def t4_counts(org: Organisation, year: int) -> dict[str, int]:
    """T4 (行政复议、行政诉讼情况) of `org` for `year`: {"review_upheld": n, …, "after_review_total": n}."""
    rows = Appeal.objects.filter(application__organisation=org).values_list("kind", "filed_on", "decided_on", "outcome")
    return count_t4(rows, year)


def fees_collected(org: Organisation, year: int) -> Decimal:
    """信息处理费 paid to `org` in `year`, in 元 (reported in section 六)."""
    total = Fee.objects.filter(application__organisation=org, paid_on__year=year).aggregate(s=Sum("amount"))["s"]
    return Decimal(total or 0)


def fee_notices(org: Organisation, year: int) -> int:
    return Fee.objects.filter(application__organisation=org, notified_on__year=year).count()


# -- staff ------------------------------------------------------------------------------------------------

def urgency_of(due_on: datetime.date, today: datetime.date, calendar: WorkingCalendar) -> str:
    """overdue | today | soon (within 3 working days) | later."""
    if due_on < today:
        return "overdue"
    if due_on == today:
        return "today"
    if calendar.count_working_days(today, due_on) <= 3:
        return "soon"
    return "later"


def staff_applications(user: Any, *, org: Organisation | None = None, state: str = "",
                       query: str = "") -> QuerySet[Application]:
    """Applications of the organisations the user may see, soonest deadline first, open before done."""
    ids = visible_organisation_ids(user)
    qs = Application.objects.select_related("organisation", "applicant")
    if ids is not None:
        qs = qs.filter(organisation_id__in=ids)
    if org is not None:
        qs = qs.filter(organisation=org)
    if state == "open":
        qs = qs.filter(replied_on__isnull=True)
    elif state in State.values:
        qs = qs.filter(state=state)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(subject__icontains=query))
    return qs.order_by("replied_on", "due_on", "-received_on", "-id")


def urgency_lists(user: Any, today: datetime.date, calendar: WorkingCalendar,
                  org: Organisation | None = None) -> dict[str, list[Application]]:
    """Open applications grouped by urgency (overdue first)."""
    lists: dict[str, list[Application]] = {key: [] for key, _ in URGENCY_BUCKETS}
    for app in staff_applications(user, org=org, state="open"):
        if app.due_on is None:
            lists["later"].append(app)
        else:
            lists[urgency_of(app.due_on, today, calendar)].append(app)
    return lists


def application_for_staff(user: Any, pk: int) -> Application | None:
    ids = visible_organisation_ids(user)
    qs = Application.objects.select_related("organisation", "applicant")
    if ids is not None:
        qs = qs.filter(organisation_id__in=ids)
    return qs.filter(pk=pk).first()


def appeal_for_staff(user: Any, pk: int) -> Appeal | None:
    """An appeal (复议、诉讼) on an application `user` may see; None for another office's, as for a missing one."""
    ids = visible_organisation_ids(user)
    qs = Appeal.objects.select_related("application")
    if ids is not None:
        qs = qs.filter(application__organisation_id__in=ids)
    return qs.filter(pk=pk).first()


def masked_applicant(applicant: Applicant) -> dict[str, str]:
    """The applicant as lists and pages show them by default: every personal field masked."""
    return {
        "name": mask_name(applicant.name),
        "kind": str(ApplicantKind(applicant.kind).label),
        "id_type": applicant.id_type,
        "id_number": mask_value(applicant.id_number, 3, 2),
        "contact_person": mask_name(applicant.contact_person),
        "phone": mask_value(applicant.phone.replace("-", ""), 3, 2) if applicant.phone else "",
        "email": mask_email(applicant.email) if applicant.email else "",
        "address": (applicant.address[:6] + "……") if applicant.address else "",
    }


def events_of(app: Application, *, for_applicant: bool = False) -> QuerySet[ApplicationEvent]:
    qs = app.events.select_related("actor").order_by("on", "id")
    if for_applicant:
        qs = qs.filter(visible_to_applicant=True).exclude(kind__in=[EventKind.REMINDER_SENT])
    return qs


def application_by_number(number: str) -> Application | None:
    return Application.objects.select_related("organisation").filter(number__iexact=number.strip()).first()


def organisations_accepting() -> QuerySet[Organisation]:
    """Every organisation takes applications (条例 art. 27); in tree order."""
    return Organisation.objects.order_by("path")


def approvers_of(org: Organisation) -> list[Any]:
    """Who may approve an extension (延期审批): the organisation's active approvers (签发) and administrators."""
    ids = Membership.objects.filter(organisation=org, role__in=[Role.APPROVER, Role.ADMIN]).values_list(
        "user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username"))


def due_for(user: Any, by: datetime.date) -> QuerySet[Application]:
    """Open applications due on or before `by` (overdue ones included) in the organisations where `user` drafts
    replies (信息员 or 管理员 there): what waits on them in the workspace's 待办. Soonest deadline first."""
    from gongkai.orgs.selectors import editable_organisations

    qs = Application.objects.select_related("organisation").filter(replied_on__isnull=True, due_on__lte=by)
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(organisation_id__in=[o.pk for o in editable_organisations(user)])
    return qs.order_by("due_on", "received_on", "id")


@dataclass(frozen=True)
class ApplicationLedgerRow:
    """One line of the ledger of applications (依申请公开台账)."""

    application: Application
    working_days_taken: int | None
    fees_paid: Decimal


def application_ledger(user: Any, *, org: Organisation | None = None, state: str = "", query: str = "",
                       received_from: datetime.date | None = None, received_to: datetime.date | None = None,
                       calendar: WorkingCalendar) -> list[ApplicationLedgerRow]:
    """The applications of the staff list (same filters), received in the period, oldest first, with the working
    days from receipt to reply and the fees paid."""
    qs = staff_applications(user, org=org, state=state, query=query)
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    apps = list(qs.order_by("received_on", "number"))
    paid = dict(Fee.objects.filter(application__in=apps, paid_on__isnull=False).values("application_id")
                .annotate(total=Sum("amount")).values_list("application_id", "total"))
    return [
        ApplicationLedgerRow(
            app, calendar.count_working_days(app.received_on, app.replied_on) if app.replied_on else None,
            Decimal(paid.get(app.pk) or 0),
        )
        for app in apps
    ]


def overdue_below(org: Organisation, today: datetime.date) -> QuerySet[Application]:
    """Open applications past their deadline in the organisations below `org` (what a supervisor sees waiting
    below it), the longest overdue first."""
    return Application.objects.select_related("organisation").filter(
        organisation__path__startswith=org.path, replied_on__isnull=True, due_on__lt=today,
    ).exclude(organisation=org).order_by("due_on", "id")


def overdue_counts_below(org: Organisation, today: datetime.date) -> dict[int, int]:
    """How many `overdue_below` each organisation has (one query)."""
    rows = overdue_below(org, today).order_by().values("organisation_id").annotate(n=Count("id"))
    return {r["organisation_id"]: r["n"] for r in rows}
