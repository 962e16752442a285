"""Writes of the visit statistics: flushing the in-memory counts, closing finished days (日终汇总).

These are the platform's own bookkeeping, not staff actions: no acting user, no audit event. Every write runs in
one transaction; a failed flush puts its counts back into the buffer.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter, defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import organisations_in_order

from .buffer import BUFFER, Mark, Taken, TargetKey, visitor_hash
from .models import DailySalt, DailyVisits, Scope, VisitorMark

# A day is closed (its visitors counted, its marks and salt deleted) this long after it ends, so that every
# server's last flush of the day (every few seconds) has arrived first.
CLOSE_GRACE = dt.timedelta(minutes=10)


def first_open_day(now: dt.datetime | None = None) -> dt.date:
    """The oldest day whose visitors are still being counted; every earlier day is closed."""
    return (timezone.localtime(now) - CLOSE_GRACE).date()


def _salts(now: dt.datetime) -> dict[dt.date, str]:
    """The salts of the open days and of tomorrow, created where missing (by whichever process asks first)."""
    first = first_open_day(now)
    days = [first + dt.timedelta(days=n) for n in range((timezone.localdate(now) - first).days + 2)]
    known = dict(DailySalt.objects.filter(day__in=days).values_list("day", "salt"))
    for day in days:
        if day not in known:
            try:
                with transaction.atomic():
                    known[day] = DailySalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
            except IntegrityError:  # another process made it a moment ago
                known[day] = DailySalt.objects.get(day=day).salt
    return known


def _rows(views: Counter[TargetKey], root_id: int) -> Counter[tuple[dt.date, int, str, str]]:
    """Per-target counts rolled up into the four scopes: the site, the page kind, the column, the item."""
    rows: Counter[tuple[dt.date, int, str, str]] = Counter()
    for (day, org_id, kind, column_id, item_id), n in views.items():
        org = org_id or root_id
        rows[(day, org, Scope.SITE, "")] += n
        rows[(day, org, Scope.KIND, kind)] += n
        if column_id:
            rows[(day, org, Scope.COLUMN, str(column_id))] += n
        if item_id:
            rows[(day, org, Scope.ITEM, str(item_id))] += n
    return rows


def _add_views(day: dt.date, org_id: int, scope: str, key: str, n: int) -> None:
    lookup = {"day": day, "organisation_id": org_id, "scope": scope, "key": key}
    if DailyVisits.objects.filter(**lookup).update(views=F("views") + n):
        return
    try:
        with transaction.atomic():
            DailyVisits.objects.create(**lookup, views=n)
    except IntegrityError:  # created by another process's flush in between
        DailyVisits.objects.filter(**lookup).update(views=F("views") + n)


def store(taken: Taken, *, now: dt.datetime | None = None) -> int:
    """Write one flush: add the views, insert the open days' visitor marks. Returns the views written."""
    now = now or timezone.now()
    root = organisations_in_order().filter(parent__isnull=True).values_list("pk", flat=True).first()
    if root is None:
        return 0  # no organisation yet: nothing to count against
    marks: set[Mark] = set(taken.marks)
    if taken.waiting:
        salts = _salts(now)
        for target, address, user_agent in taken.waiting:
            if target[0] in salts:
                marks.add((*target, visitor_hash(salts[target[0]], target[1], address, user_agent)))
    marks = BUFFER.unwritten(marks)
    rows = _rows(taken.views, root)
    org_ids = {org for _day, org, _scope, _key in rows} | {m[1] or root for m in marks}
    existing = set(Organisation.objects.filter(pk__in=org_ids).values_list("pk", flat=True))
    first_open = first_open_day(now)
    with transaction.atomic():
        for (day, org, scope, key), n in sorted(rows.items()):
            if org in existing:
                _add_views(day, org, scope, key, n)
        VisitorMark.objects.bulk_create(
            [VisitorMark(day=day, organisation_id=org or root, kind=kind, column_id=column, item_id=item, visitor=v)
             for day, org, kind, column, item, v in marks if day >= first_open and (org or root) in existing],
            ignore_conflicts=True, batch_size=500,
        )
    BUFFER.written(marks, first_open)
    return sum(n for (_d, org, scope, _k), n in rows.items() if scope == Scope.SITE and org in existing)


def flush(*, now: dt.datetime | None = None) -> int:
    """Write this process's buffered counts and learn the open days' salts. Returns the views written."""
    now = now or timezone.now()
    taken = BUFFER.take()
    try:
        written = store(taken, now=now) if taken else 0
        BUFFER.know_salts(_salts(now))
    except Exception:
        BUFFER.put_back(taken)
        raise
    return written


def close_days(*, now: dt.datetime | None = None) -> int:
    """Count the unique visitors of every finished day still open, then delete its marks and its salt.

    Returns the number of days closed. Runs hourly in the worker (periodic job `visits.close_days`).
    """
    first_open = first_open_day(now)
    days = sorted(set(VisitorMark.objects.filter(day__lt=first_open).values_list("day", flat=True)))
    for day in days:
        with transaction.atomic():
            marks = VisitorMark.objects.filter(day=day)
            counted: dict[tuple[int, str, str], int] = defaultdict(int)
            for org, n in marks.values_list("organisation_id").annotate(n=Count("visitor", distinct=True)):
                counted[(org, Scope.SITE, "")] = n
            for org, kind, n in marks.values_list("organisation_id", "kind").annotate(n=Count("visitor", distinct=True)):
                counted[(org, Scope.KIND, kind)] = n
            for org, column, n in (marks.filter(column_id__gt=0).values_list("organisation_id", "column_id")
                                   .annotate(n=Count("visitor", distinct=True))):
                counted[(org, Scope.COLUMN, str(column))] = n
            for org, item, n in (marks.filter(item_id__gt=0).values_list("organisation_id", "item_id")
                                 .annotate(n=Count("visitor", distinct=True))):
                counted[(org, Scope.ITEM, str(item))] = n
            rows = list(DailyVisits.objects.filter(day=day, organisation_id__in={org for org, _s, _k in counted}))
            for row in rows:
                row.visitors = counted.pop((row.organisation_id, row.scope, row.key), row.visitors)
            DailyVisits.objects.bulk_update(rows, ["visitors"], batch_size=500)
            existing = set(Organisation.objects.filter(pk__in={org for org, _s, _k in counted}).values_list("pk", flat=True))
            DailyVisits.objects.bulk_create([
                DailyVisits(day=day, organisation_id=org, scope=scope, key=key, visitors=n)
                for (org, scope, key), n in counted.items() if org in existing
            ], batch_size=500)
            marks.delete()
    DailySalt.objects.filter(day__lt=first_open).delete()
    return len(days)
