"""Calendar overrides: services, permission, audit trail, change hook, selector and admin site."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.test import Client

from gongkai.core.calendar import CalendarError
from gongkai.core.calendar_selectors import calendar_overrides, working_calendar, year_schedule
from gongkai.core.calendar_services import (
    CalendarChange,
    declare_year_complete,
    on_calendar_changed,
    remove_calendar_listener,
    remove_override,
    set_override,
    withdraw_year_declaration,
)
from gongkai.core.models import AuditEvent, CalendarOverride, CalendarYearSchedule

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser("cal-admin", "a@example.org", "x-long-password-1")


@pytest.fixture
def clerk() -> User:
    return User.objects.create_user("clerk", "c@example.org", "x-long-password-2")


@pytest.fixture
def changes() -> Iterator[list[CalendarChange]]:
    seen: list[CalendarChange] = []

    def listener(change: CalendarChange) -> None:
        seen.append(change)

    on_calendar_changed(listener)
    yield seen
    remove_calendar_listener(listener)


def test_an_override_changes_deadlines_and_is_recorded(
    admin_user: User, changes: list[CalendarChange]
) -> None:
    assert working_calendar().add_working_days(D(2024, 9, 30), 20) == D(2024, 11, 1)
    set_override(admin_user, D(2024, 10, 8), "holiday", "国庆节", "测试")
    assert working_calendar().add_working_days(D(2024, 9, 30), 20) == D(2024, 11, 4)
    event = AuditEvent.objects.get(action="calendar.override_set")
    assert event.actor == admin_user
    assert event.data["date"] == "2024-10-08" and event.data["previous"] is None
    assert changes[-1].dates == {D(2024, 10, 8)} and changes[-1].years == {2024}
    assert changes[-1].actor == admin_user


def test_replacing_and_removing_an_override(admin_user: User, changes: list[CalendarChange]) -> None:
    set_override(admin_user, D(2030, 2, 4), "holiday", "春节")
    set_override(admin_user, D(2030, 2, 4), "workday", "春节")
    assert CalendarOverride.objects.count() == 1
    assert working_calendar().is_working_day(D(2030, 2, 4))
    replaced = AuditEvent.objects.filter(action="calendar.override_set").order_by("id").last()
    assert replaced is not None and replaced.data["previous"] == {"kind": "holiday", "name": "春节"}
    remove_override(admin_user, D(2030, 2, 4))
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.override_removed").count() == 1
    assert len(changes) == 3
    with pytest.raises(CalendarError):
        remove_override(admin_user, D(2030, 2, 4))


def test_only_calendar_administrators_may_change_it(clerk: User, changes: list[CalendarChange]) -> None:
    with pytest.raises(PermissionDenied):
        set_override(clerk, D(2030, 1, 1), "holiday", "元旦")
    with pytest.raises(PermissionDenied):
        declare_year_complete(clerk, 2030)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        set_override(AnonymousUser(), D(2030, 1, 1), "holiday", "元旦")
    assert not CalendarOverride.objects.exists() and not changes and not AuditEvent.objects.exists()
    clerk.user_permissions.add(Permission.objects.get(codename="change_calendaroverride"))
    clerk = User.objects.get(pk=clerk.pk)  # drop the cached permissions
    set_override(clerk, D(2030, 1, 1), "holiday", "元旦")
    assert working_calendar().day(D(2030, 1, 1)).name == "元旦"


@pytest.mark.parametrize(
    ("date", "kind"),
    [(D(2030, 1, 1), "rest"), ("2030-01-01", "holiday"), (datetime.datetime(2030, 1, 1, 8), "holiday")],
)
def test_bad_overrides_are_refused_and_nothing_is_written(admin_user: User, date: Any, kind: str) -> None:
    with pytest.raises(CalendarError):
        set_override(admin_user, date, kind, "元旦")
    assert not CalendarOverride.objects.exists() and not AuditEvent.objects.exists()


def test_a_failing_listener_rolls_the_change_back(admin_user: User) -> None:
    def broken(change: CalendarChange) -> None:
        raise RuntimeError("recompute failed")

    on_calendar_changed(broken)
    try:
        with pytest.raises(RuntimeError):
            set_override(admin_user, D(2030, 1, 1), "holiday", "元旦")
    finally:
        remove_calendar_listener(broken)
    assert not CalendarOverride.objects.exists() and not AuditEvent.objects.exists()


def test_listeners_see_the_new_calendar(admin_user: User) -> None:
    seen: list[bool] = []

    def listener(change: CalendarChange) -> None:
        seen.append(working_calendar().is_working_day(D(2030, 1, 1)))

    on_calendar_changed(listener)
    try:
        set_override(admin_user, D(2030, 1, 1), "holiday", "元旦")
    finally:
        remove_calendar_listener(listener)
    assert seen == [False]


def test_declaring_a_year_complete_ends_the_provisional_flag(
    admin_user: User, changes: list[CalendarChange]
) -> None:
    assert working_calendar().explain_due_date(D(2030, 3, 1)).provisional
    declare_year_complete(admin_user, 2030, "国务院办公厅关于2030年部分节假日安排的通知")
    assert not working_calendar().explain_due_date(D(2030, 3, 1)).provisional
    schedule = year_schedule(2030)
    assert schedule is not None and schedule.entered_by == admin_user
    assert changes[-1].years == {2030} and changes[-1].dates == frozenset()
    withdraw_year_declaration(admin_user, 2030)
    assert working_calendar().explain_due_date(D(2030, 3, 1)).provisional
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "calendar.year_declared", "calendar.year_withdrawn"
    ]
    with pytest.raises(CalendarError):
        withdraw_year_declaration(admin_user, 2030)
    with pytest.raises(CalendarError):
        declare_year_complete(admin_user, -5)


def test_calendar_overrides_selector_filters_by_year(admin_user: User) -> None:
    set_override(admin_user, D(2030, 1, 1), "holiday", "元旦")
    set_override(admin_user, D(2031, 1, 1), "holiday", "元旦")
    assert [o.date for o in calendar_overrides(2031)] == [D(2031, 1, 1)]
    assert len(calendar_overrides()) == 2


def test_admin_site_writes_through_the_services(admin_user: User, changes: list[CalendarChange]) -> None:
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/core/calendaroverride/add/",
        {"date": "2030-10-01", "kind": "holiday", "name": "国庆节", "note": ""},
    )
    assert response.status_code == 302, response.content[:500]
    row = CalendarOverride.objects.get(date=D(2030, 10, 1))
    assert row.entered_by == admin_user
    assert AuditEvent.objects.filter(action="calendar.override_set").count() == 1
    response = client.post(f"/admin/core/calendaroverride/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.override_removed").count() == 1
    response = client.post("/admin/core/calendaryearschedule/add/", {"year": "2030", "source": "通知"})
    assert response.status_code == 302
    assert CalendarYearSchedule.objects.filter(year=2030).exists()
    assert len(changes) == 3
