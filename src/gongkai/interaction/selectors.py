"""Reads of 政民互动 that views, the annual report and the website self-inspection may use.

Public reads return only what may be public: published letters (their `public_*` fields and timestamps),
opened consultations, approved comments, published feedback. Figures are computed, never stored.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog.models import Item
from gongkai.core.calendar_selectors import working_calendar
from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.selectors import visible_organisation_ids
from gongkai.review.selectors import open_submission

from .models import (
    DEFAULT_REMINDER_DAYS,
    DEFAULT_REPLY_DAYS,
    Comment,
    Consultation,
    FeedbackEntry,
    FeedbackReport,
    Letter,
    MailboxSettings,
    Reply,
)

# ---- public ------------------------------------------------------------------------------------------------

def published_letters(org: Organisation | None = None) -> QuerySet[Letter]:
    """选登的来信, newest first."""
    qs = Letter.objects.filter(published_at__isnull=False, status=Letter.Status.ANSWERED).select_related("organisation")
    if org is not None:
        qs = qs.filter(organisation=org)
    return qs.order_by("-received_at", "-id")


def published_letter(pk: int) -> Letter | None:
    return published_letters().filter(pk=pk).first()


def letter_for_tracking(tracking_number: str) -> Letter | None:
    """Any organisation's letter by its tracking number (the writer's look-up; the caller checks the secret)."""
    return Letter.objects.select_related("organisation", "merged_into").filter(
        tracking_number=(tracking_number or "").strip().upper()
    ).first()


def sent_reply(letter: Letter) -> Reply | None:
    """The reply the writer may read: this letter's, or that of the letter it was merged into."""
    target = letter.merged_into if letter.status == Letter.Status.MERGED and letter.merged_into else letter
    return target.replies.filter(sent_at__isnull=False).order_by("-sent_at").first()


def public_consultations(org: Organisation | None = None) -> QuerySet[Consultation]:
    qs = Consultation.objects.filter(published_at__isnull=False).select_related("organisation", "feedback")
    if org is not None:
        qs = qs.filter(organisation=org)
    return qs.order_by("-starts_on", "-id")


def public_consultation(pk: int) -> Consultation | None:
    return public_consultations().filter(pk=pk).first()


def approved_comments(c: Consultation) -> QuerySet[Comment]:
    return c.comments.filter(status=Comment.Status.APPROVED).order_by("submitted_at", "id")


def published_feedback(c: Consultation) -> FeedbackReport | None:
    report = FeedbackReport.objects.filter(consultation=c, published_at__isnull=False).first()
    return report


def final_item_of(report: FeedbackReport) -> Item | None:
    """The final policy document, if it is (still) public."""
    return catalog_selectors.live_item(report.final_item_id) if report.final_item_id else None


def mailbox_organisations() -> QuerySet[Organisation]:
    """Organisations that take letters (all, unless their settings say otherwise)."""
    closed = MailboxSettings.objects.filter(accepts_letters=False).values_list("organisation_id", flat=True)
    return Organisation.objects.exclude(pk__in=closed).order_by("path")


# ---- staff -------------------------------------------------------------------------------------------------

def _visible(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    ids = visible_organisation_ids(user)
    return qs if ids is None else qs.filter(organisation_id__in=ids)


INBOX_FILTERS = [
    ("open", "待办"),
    ("overdue", "已超期"),
    ("answered", "已答复"),
    ("published", "已选登"),
    ("done", "已合并或关闭"),
    ("all", "全部"),
]


def inbox(user: Any, *, state: str = "open", org: Organisation | None = None, today: dt.date | None = None) -> QuerySet[Letter]:
    """The staff inbox by urgency: open letters first, soonest limit first (overdue ones at the top)."""
    today = today or timezone.localdate()
    qs = _visible(Letter.objects.select_related("organisation", "assigned_to"), user)
    if org is not None:
        qs = qs.filter(organisation=org)
    if state == "open":
        qs = qs.filter(status__in=Letter.OPEN_STATUSES)
    elif state == "overdue":
        qs = qs.filter(status__in=Letter.OPEN_STATUSES, due_on__lt=today)
    elif state == "answered":
        qs = qs.filter(status=Letter.Status.ANSWERED)
    elif state == "published":
        qs = qs.filter(published_at__isnull=False)
    elif state == "done":
        qs = qs.filter(status__in=[Letter.Status.MERGED, Letter.Status.CLOSED])
    open_first = Case(When(status__in=Letter.OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(open_first=open_first).order_by("open_first", "due_on", "received_at", "id")


def staff_letter(user: Any, pk: int) -> Letter | None:
    return _visible(Letter.objects.select_related("organisation", "assigned_to", "merged_into"), user).filter(pk=pk).first()


def letter_by_tracking_number(org: Organisation, tracking_number: str) -> Letter | None:
    return Letter.objects.filter(organisation=org, tracking_number=(tracking_number or "").strip().upper()).first()


def replies_of(letter: Letter) -> QuerySet[Reply]:
    return letter.replies.select_related("author").order_by("-created_at", "-id")


def staff_users_of(org: Organisation) -> list[Any]:
    """Staff who may be assigned a letter: the organisation's members."""
    ids = Membership.objects.filter(organisation=org).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username"))


def staff_consultations(user: Any, org: Organisation | None = None) -> QuerySet[Consultation]:
    qs = _visible(Consultation.objects.select_related("organisation", "feedback"), user)
    if org is not None:
        qs = qs.filter(organisation=org)
    return qs.order_by("-created_at", "-id")


def staff_consultation(user: Any, pk: int) -> Consultation | None:
    return staff_consultations(user).filter(pk=pk).first()


def comments_for_moderation(c: Consultation) -> QuerySet[Comment]:
    return c.comments.order_by(
        Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "submitted_at", "id",
    )


def comment_of(c: Consultation, pk: int) -> Comment | None:
    return Comment.objects.filter(consultation=c, pk=pk).first()


def feedback_entry_of(c: Consultation, pk: int) -> FeedbackEntry | None:
    return FeedbackEntry.objects.filter(report__consultation=c, pk=pk).select_related("report").first()


def feedback_report(c: Consultation) -> FeedbackReport | None:
    return FeedbackReport.objects.filter(consultation=c).prefetch_related("entries").first()


def policy_items_for_feedback(org: Organisation, limit: int = 200) -> list[Item]:
    """The organisation's live items a feedback report may link to, policy documents first, newest first."""
    qs = catalog_selectors.live_items().filter(organisation=org)
    return list(qs.order_by("-is_policy", "-published_at", "-id")[:limit])


# ---- figures for the annual report and the website self-inspection ----------------------------------------

@dataclass(frozen=True)
class MailboxFigures:
    """局长信箱 figures for letters received in [start, end] (dates in Asia/Shanghai).

    received: every letter; valid: not merged into another and not closed as abusive or misdirected;
    answered / answered_in_time: valid letters answered (by now) / by their limit;
    median_reply_days, mean_reply_days: median and mean working days from arrival to answer (None when nothing
    was answered);
    published: letters published (选登); long_unanswered: valid letters still unanswered more than three
    months after arrival, as of `today`.
    """

    received: int
    valid: int
    answered: int
    answered_in_time: int
    median_reply_days: float | None
    published: int
    merged: int
    closed: int
    long_unanswered: int
    mean_reply_days: float | None = None

    @property
    def in_time_rate(self) -> float | None:
        return self.answered_in_time / self.answered if self.answered else None


def _in_orgs(qs: QuerySet[Any], organisation_ids: Iterable[int] | None) -> QuerySet[Any]:
    return qs if organisation_ids is None else qs.filter(organisation_id__in=list(organisation_ids))


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lo, hi


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the last day of the month when it has no such day)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = m + 1
    for d in range(day.day, 0, -1):
        try:
            return dt.date(y, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def long_unanswered_letters(
    organisation_ids: Iterable[int] | None = None, *, today: dt.date | None = None, months: int = 3
) -> QuerySet[Letter]:
    """Valid letters still unanswered more than `months` months after they arrived (as of `today`)."""
    today = today or timezone.localdate()
    cutoff, _ = _local_bounds(months_before(today, months), today)
    qs = Letter.objects.filter(status__in=Letter.OPEN_STATUSES, received_at__lt=cutoff).select_related("organisation")
    return _in_orgs(qs, organisation_ids).order_by("received_at")


def mailbox_figures(
    organisation_ids: Iterable[int] | None, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> MailboxFigures:
    """The figures of the letters received from `start` to `end` inclusive, for the given organisations
    (None: all)."""
    ids = None if organisation_ids is None else list(organisation_ids)
    lo, hi = _local_bounds(start, end)
    letters = _in_orgs(Letter.objects.filter(received_at__gte=lo, received_at__lt=hi), ids)
    valid = letters.exclude(status__in=[Letter.Status.MERGED, Letter.Status.CLOSED])
    answered = list(valid.filter(status=Letter.Status.ANSWERED).values_list("received_at", "answered_at", "due_on"))
    cal = working_calendar()
    durations: list[int] = []
    in_time = 0
    for received_at, answered_at, due_on in answered:
        answered_on = timezone.localdate(answered_at)
        durations.append(max(0, cal.count_working_days(timezone.localdate(received_at), answered_on)))
        if answered_on <= due_on:
            in_time += 1
    return MailboxFigures(
        received=letters.count(),
        valid=valid.count(),
        answered=len(answered),
        answered_in_time=in_time,
        median_reply_days=float(statistics.median(durations)) if durations else None,
        published=letters.filter(published_at__isnull=False).count(),
        merged=letters.filter(status=Letter.Status.MERGED).count(),
        closed=letters.filter(status=Letter.Status.CLOSED).count(),
        long_unanswered=long_unanswered_letters(ids, today=today).count(),
        mean_reply_days=statistics.fmean(durations) if durations else None,
    )


@dataclass(frozen=True)
class ConsultationFigures:
    """意见征集 figures for consultations opened (starting) in [start, end]."""

    consultations: int
    major: int
    short_major: int
    comments: int
    feedback_published: int


def consultation_figures(organisation_ids: Iterable[int] | None, start: dt.date, end: dt.date) -> ConsultationFigures:
    ids = None if organisation_ids is None else list(organisation_ids)
    qs = _in_orgs(
        Consultation.objects.filter(published_at__isnull=False, starts_on__gte=start, starts_on__lte=end), ids
    )
    rows = list(qs)
    return ConsultationFigures(
        consultations=len(rows),
        major=sum(1 for c in rows if c.is_major),
        short_major=sum(1 for c in rows if c.is_short_for_major),
        comments=Comment.objects.filter(consultation__in=qs).count(),
        feedback_published=qs.filter(feedback__published_at__isnull=False).count(),
    )


def overdue_count(user: Any, today: dt.date | None = None) -> int:
    return inbox(user, state="overdue", today=today).count()


def mailbox_settings(org: Organisation) -> MailboxSettings:
    """The organisation's mailbox settings, or the defaults (unsaved) when none were configured."""
    found = MailboxSettings.objects.filter(organisation=org).first()
    return found or MailboxSettings(organisation=org, reply_days=DEFAULT_REPLY_DAYS, reminder_days=DEFAULT_REMINDER_DAYS)


def current_reply(letter: Letter) -> Reply | None:
    """The letter's latest reply, drafted, in review or sent."""
    return letter.replies.order_by("-created_at", "-id").first()


def reply_in_review(letter: Letter) -> bool:
    reply = current_reply(letter)
    return reply is not None and open_submission(reply) is not None


def letters_due_for(user: Any, by: dt.date) -> QuerySet[Letter]:
    """Open letters due on or before `by` (overdue included) that wait on `user`: assigned to them, or not yet
    assigned in an organisation where they handle letters (信息员 or 管理员). Soonest deadline first."""
    from django.db.models import Q

    from gongkai.orgs.selectors import editable_organisations

    qs = Letter.objects.select_related("organisation").filter(status__in=Letter.OPEN_STATUSES, due_on__lte=by)
    editable = [o.pk for o in editable_organisations(user)]
    return qs.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True, organisation_id__in=editable)).order_by(
        "due_on", "received_at", "id"
    )


@dataclass(frozen=True)
class LetterLedgerRow:
    """One line of the ledger of letters (来信办理台账)."""

    letter: Letter
    working_days_taken: int | None


def letter_ledger(user: Any, *, state: str = "all", org: Organisation | None = None,
                  received_from: dt.date | None = None, received_to: dt.date | None = None) -> list[LetterLedgerRow]:
    """The letters of the inbox (same filters), received in the period, oldest first, with the working days from
    arrival to answer (the limit counts from the Asia/Shanghai day the letter arrived)."""
    qs = inbox(user, state=state, org=org)
    if received_from or received_to:
        start, end = _local_bounds(received_from or dt.date(2000, 1, 1), received_to or dt.date(2999, 12, 31))
        qs = qs.filter(received_at__gte=start, received_at__lt=end)
    letters = list(qs.order_by("received_at", "id"))
    calendar = working_calendar()
    return [
        LetterLedgerRow(letter, calendar.count_working_days(timezone.localdate(letter.received_at),
                                                            timezone.localdate(letter.answered_at))
                        if letter.answered_at else None)
        for letter in letters
    ]


def overdue_letters_below(org: Organisation, today: dt.date) -> QuerySet[Letter]:
    """Open letters past their reply date in the organisations below `org` (what a supervisor sees waiting below
    it), the longest overdue first."""
    return Letter.objects.select_related("organisation").filter(
        organisation__path__startswith=org.path, status__in=Letter.OPEN_STATUSES, due_on__lt=today,
    ).exclude(organisation=org).order_by("due_on", "id")


def overdue_letter_counts_below(org: Organisation, today: dt.date) -> dict[int, int]:
    """How many `overdue_letters_below` each organisation has (one query)."""
    rows = overdue_letters_below(org, today).order_by().values("organisation_id").annotate(n=Count("id"))
    return {r["organisation_id"]: r["n"] for r in rows}
