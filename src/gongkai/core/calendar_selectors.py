"""Reads of the working-day calendar (工作日历): the calendar with the administrator's overrides loaded."""

from __future__ import annotations

from .calendar import Override, OverrideKind, WorkingCalendar
from .models import CalendarOverride, CalendarYearSchedule


def working_calendar() -> WorkingCalendar:
    """The calendar as it stands now: chinesecalendar, every override, the years declared complete.

    Loaded afresh on each call (two small queries) rather than cached, so that a change made in another
    process (the admin site, a worker) is seen at once. Callers computing many deadlines in one go should
    call it once and reuse the result.
    """
    overrides = {
        row.date: Override(OverrideKind(row.kind), row.name)
        for row in CalendarOverride.objects.only("date", "kind", "name")
    }
    years = CalendarYearSchedule.objects.values_list("year", flat=True)
    return WorkingCalendar(overrides, complete_years=years)


def calendar_overrides(year: int | None = None) -> list[CalendarOverride]:
    """The overrides, in date order; of one year when `year` is given."""
    rows = CalendarOverride.objects.select_related("entered_by").order_by("date")
    if year is not None:
        rows = rows.filter(date__year=year)
    return list(rows)


def year_schedule(year: int) -> CalendarYearSchedule | None:
    """The administrator's declaration that `year` is completely entered, if there is one."""
    return CalendarYearSchedule.objects.filter(year=year).first()
