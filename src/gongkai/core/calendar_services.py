"""Writes of the working-day calendar (工作日历调整), and the hook other apps use to follow its changes.

Only calendar administrators may change it: superusers, or users holding the Django permission
`core.change_calendaroverride` (core cannot ask the `orgs` app about roles; grant the permission to the
organisations' administrators there).

Every change runs in a transaction, is recorded in the audit trail, and calls the listeners registered with
`on_calendar_changed` inside the same transaction: a listener (e.g. `applications` recomputing open
deadlines) sees the new calendar, and if it fails the change is rolled back with it, so the calendar and
the deadlines computed from it never disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from .calendar import CalendarError, OverrideKind
from .models import CalendarOverride, CalendarYearSchedule
from .services import record_event

CALENDAR_PERMISSION = "core.change_calendaroverride"


@dataclass(frozen=True)
class CalendarChange:
    """What changed: the dates whose status may differ, and the years touched (a declaration has no dates)."""

    dates: frozenset[datetime.date]
    years: frozenset[int]
    actor: Any
    action: str


CalendarListener = Callable[[CalendarChange], None]
_listeners: list[CalendarListener] = []


def on_calendar_changed(callback: CalendarListener) -> CalendarListener:
    """Register `callback` to be called with a `CalendarChange` after each calendar change.

    Register in your AppConfig.ready(); usable as a decorator. Registering the same callable twice is a no-op.
    """
    if callback not in _listeners:
        _listeners.append(callback)
    return callback


def remove_calendar_listener(callback: CalendarListener) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


def calendar_changed(dates: Iterable[datetime.date], *, years: Iterable[int] = (), actor: Any = None,
                     action: str = "") -> CalendarChange:
    """Tell every listener that the calendar changed on `dates` (and in `years`)."""
    date_set = frozenset(dates)
    change = CalendarChange(date_set, frozenset(years) | {d.year for d in date_set}, actor, action)
    for listener in list(_listeners):
        listener(change)
    return change


def can_change_calendar(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or user.has_perm(CALENDAR_PERMISSION))


def _require_admin(user: Any) -> None:
    if not can_change_calendar(user):
        raise PermissionDenied(gettext("只有日历管理员可以调整工作日历"))


def _check_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise CalendarError(gettext("日期必须是日期（date）"))
    return value


def _check_year(year: Any) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
        raise CalendarError(gettext("年份无效：%(year)s") % {"year": year})
    return year


def set_override(
    user: Any, date: datetime.date, kind: str, name: str = "", note: str = ""
) -> CalendarOverride:
    """Enter (or replace) the administrator's status for `date`: a holiday or a make-up workday."""
    _require_admin(user)
    date = _check_date(date)
    try:
        kind = OverrideKind(kind)
    except ValueError:
        raise CalendarError(gettext("类型无效：%(kind)s，应为 holiday 或 workday") % {"kind": kind}) from None
    name, note = name.strip(), note.strip()
    if len(name) > 100 or len(note) > 300:
        raise CalendarError(gettext("名称或备注过长"))
    with transaction.atomic():
        previous = CalendarOverride.objects.select_for_update().filter(date=date).first()
        before = {"kind": previous.kind, "name": previous.name} if previous else None
        row, _ = CalendarOverride.objects.update_or_create(
            date=date, defaults={"kind": str(kind), "name": name, "note": note, "entered_by": user}
        )
        record_event(
            actor=user,
            action="calendar.override_set",
            obj=row,
            summary=gettext("日历调整：%(date)s 设为%(kind)s %(name)s")
            % {"date": date.isoformat(), "kind": row.get_kind_display(), "name": name},
            data={"date": date.isoformat(), "kind": str(kind), "name": name, "note": note,
                  "previous": before},
        )
        calendar_changed([date], actor=user, action="calendar.override_set")
    return row


def remove_override(user: Any, date: datetime.date) -> None:
    """Remove the administrator's entry for `date`, so chinesecalendar or the weekend rule decide it again."""
    _require_admin(user)
    date = _check_date(date)
    with transaction.atomic():
        row = CalendarOverride.objects.select_for_update().filter(date=date).first()
        if row is None:
            raise CalendarError(gettext("%(date)s 没有日历调整") % {"date": date.isoformat()})
        before = {"kind": row.kind, "name": row.name, "note": row.note}
        row_id = row.pk
        row.delete()
        record_event(
            actor=user,
            action="calendar.override_removed",
            object_type="core.calendaroverride",
            object_id=row_id,
            summary=gettext("删除日历调整：%(date)s") % {"date": date.isoformat()},
            data={"date": date.isoformat(), "previous": before},
        )
        calendar_changed([date], actor=user, action="calendar.override_removed")


def declare_year_complete(user: Any, year: int, source: str = "") -> CalendarYearSchedule:
    """Declare that `year`'s whole holiday schedule is entered, so its deadlines stop being provisional."""
    _require_admin(user)
    year = _check_year(year)
    source = source.strip()
    if len(source) > 300:
        raise CalendarError(gettext("依据过长"))
    with transaction.atomic():
        row, created = CalendarYearSchedule.objects.update_or_create(
            year=year, defaults={"source": source, "entered_by": user}
        )
        record_event(
            actor=user,
            action="calendar.year_declared",
            obj=row,
            summary=gettext("%(year)d年节假日安排已录入") % {"year": year},
            data={"year": year, "source": source, "created": created},
        )
        calendar_changed([], years=[year], actor=user, action="calendar.year_declared")
    return row


def withdraw_year_declaration(user: Any, year: int) -> None:
    """Undo `declare_year_complete`: the year's weekend-rule days are provisional again."""
    _require_admin(user)
    year = _check_year(year)
    with transaction.atomic():
        row = CalendarYearSchedule.objects.select_for_update().filter(year=year).first()
        if row is None:
            raise CalendarError(gettext("%(year)d年没有已录入的声明") % {"year": year})
        row_id = row.pk
        row.delete()
        record_event(
            actor=user,
            action="calendar.year_withdrawn",
            object_type="core.calendaryearschedule",
            object_id=row_id,
            summary=gettext("撤回%(year)d年节假日安排已录入的声明") % {"year": year},
            data={"year": year},
        )
        calendar_changed([], years=[year], actor=user, action="calendar.year_withdrawn")
