"""The working-day calendar's rules (core.calendar), without the database."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.core.calendar import (
    DEFAULT_CALENDAR,
    LIBRARY_LAST_YEAR,
    CalendarError,
    DaySource,
    Override,
    OverrideKind,
    WorkingCalendar,
    parse_date,
)

D = datetime.date
FIRST = D(2004, 1, 1)
LAST = D(2032, 12, 31)

dates = st.dates(min_value=FIRST, max_value=LAST)
counts = st.integers(min_value=1, max_value=60)
overrides = st.dictionaries(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    st.builds(Override, st.sampled_from(list(OverrideKind)), st.sampled_from(["", "春节", "国庆节"])),
    max_size=30,
)
calendars = st.one_of(st.just(DEFAULT_CALENDAR), overrides.map(WorkingCalendar))


# -- properties --------------------------------------------------------------------------------------


@given(calendars, dates, counts)
def test_counting_the_days_added_gives_n(cal: WorkingCalendar, start: D, n: int) -> None:
    assert cal.count_working_days(start, cal.add_working_days(start, n)) == n


@given(calendars, dates, counts)
def test_due_date_is_a_working_day_after_the_start(cal: WorkingCalendar, start: D, n: int) -> None:
    due = cal.add_working_days(start, n)
    assert due > start
    assert cal.is_working_day(due)
    # and it is the first date at which n working days have passed
    assert cal.count_working_days(start, due - datetime.timedelta(days=1)) == n - 1


@given(calendars, dates, counts, st.sampled_from(list(OverrideKind)))
def test_the_start_day_never_counts(cal: WorkingCalendar, start: D, n: int, kind: OverrideKind) -> None:
    flipped = WorkingCalendar({**cal.overrides, start: Override(kind)})
    assert flipped.add_working_days(start, n) == cal.add_working_days(start, n)
    assert cal.count_working_days(start, start) == 0


@given(calendars, dates, counts, counts)
def test_monotonic_in_n(cal: WorkingCalendar, start: D, n: int, m: int) -> None:
    assume(n != m)
    low, high = sorted((n, m))
    assert cal.add_working_days(start, low) < cal.add_working_days(start, high)


@given(calendars, dates, dates, counts)
def test_monotonic_in_start(cal: WorkingCalendar, a: D, b: D, n: int) -> None:
    early, late = sorted((a, b))
    assert cal.add_working_days(early, n) <= cal.add_working_days(late, n)



@given(calendars, dates, st.integers(0, 400), st.integers(0, 400))
def test_count_is_additive_and_antisymmetric(cal: WorkingCalendar, x: D, gap1: int, gap2: int) -> None:
    y = x + datetime.timedelta(days=gap1)
    z = y + datetime.timedelta(days=gap2)
    assert cal.count_working_days(x, z) == cal.count_working_days(x, y) + cal.count_working_days(y, z)
    assert cal.count_working_days(z, x) == -cal.count_working_days(x, z)


@given(calendars, dates, counts, st.integers(0, 40), st.integers(0, 30))
def test_a_pause_adds_exactly_its_working_days(
    cal: WorkingCalendar, start: D, n: int, offset: int, length: int
) -> None:
    unpaused_due = cal.add_working_days(start, n)
    first = start + datetime.timedelta(days=1 + offset)
    assume(first <= unpaused_due)  # a pause that begins before the deadline is reached
    last = first + datetime.timedelta(days=length)
    in_pause = cal.count_working_days(first - datetime.timedelta(days=1), last)
    paused_due = cal.add_working_days(start, n, paused=[(first, last)])
    assert paused_due == cal.add_working_days(start, n + in_pause)
    assert not first <= paused_due <= last
    assert cal.count_working_days(start, paused_due, paused=[(first, last)]) == n


@given(calendars, dates, counts, counts)
def test_pauses_entirely_after_the_due_date_change_nothing(
    cal: WorkingCalendar, start: D, n: int, gap: int
) -> None:
    due = cal.add_working_days(start, n)
    later = due + datetime.timedelta(days=gap)
    assert cal.add_working_days(start, n, paused=[(later, later + datetime.timedelta(days=9))]) == due


@given(calendars, dates, counts, st.integers(0, 20))
def test_explanation_agrees_with_the_arithmetic(cal: WorkingCalendar, start: D, n: int, ext: int) -> None:
    e = cal.explain_due_date(start, n, extension_days=ext)
    assert e.due_on == cal.add_working_days(start, n + ext)
    assert e.original_due_on == cal.add_working_days(start, n)
    assert len(e.counted_days) == n + ext
    assert list(e.counted_days) == sorted(set(e.counted_days))
    assert all(cal.is_working_day(d) and d > start for d in e.counted_days)
    assert all(d.date.weekday() >= 5 and d.date in e.counted_days for d in e.makeup_workdays)
    for span in e.holidays:
        assert start < span.first <= span.last < e.due_on
        assert not any(span.first <= d <= span.last for d in e.counted_days)
    # Counting starts the day after receipt: receipt on 31 December draws nothing from its own year.
    first = start + datetime.timedelta(days=1)
    provisional = {y for y in range(first.year, e.due_on.year + 1) if y > LIBRARY_LAST_YEAR}
    assert set(e.provisional_years) == provisional
    assert e.render().endswith("。")


@given(st.dates(min_value=FIRST, max_value=D(LIBRARY_LAST_YEAR, 8, 31)), counts)
def test_without_overrides_it_follows_chinesecalendar(start: D, n: int) -> None:
    workdays: list[D] = []
    d = start
    while len(workdays) < n:
        d += datetime.timedelta(days=1)
        if chinese_calendar.is_workday(d):
            workdays.append(d)
    assert DEFAULT_CALENDAR.add_working_days(start, n) == workdays[-1]


@given(st.dates(min_value=D(LIBRARY_LAST_YEAR + 1, 1, 1), max_value=D(2100, 12, 31)))
def test_uncovered_years_fall_back_to_weekends_and_are_provisional(d: D) -> None:
    info = DEFAULT_CALENDAR.day(d)
    assert info.is_working == (d.weekday() < 5)
    assert info.source == DaySource.WEEKEND_RULE
    assert info.provisional
    assert not WorkingCalendar(complete_years=[d.year]).day(d).provisional


@given(st.dates(min_value=FIRST, max_value=D(2040, 12, 31)), st.sampled_from(list(OverrideKind)))
def test_overrides_beat_the_library_and_the_weekend_rule(d: D, kind: OverrideKind) -> None:
    cal = WorkingCalendar({d: Override(kind, "测试")})
    info = cal.day(d)
    assert info.is_working == (kind == OverrideKind.WORKDAY)
    assert info.source == DaySource.OVERRIDE
    assert info.name == "测试"
    assert not info.provisional


# -- real schedules (hand-counted from the State Council's notices) ------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # 国庆 2024: 10-01..10-07 off, 10-12 (Sat) worked; 09-29 (Sun) worked but before receipt.
        ("2024-09-30", 20, "2024-11-01"),
        ("2024-09-30", 7, "2024-10-15"),  # 补正 notice: 10-08..10-11, 10-12, 10-14, 10-15
        # 春节 2025: 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked.
        ("2025-01-20", 20, "2025-02-21"),
        ("2025-01-20", 10, "2025-02-08"),  # a mailbox reply due on the make-up Saturday
        # 国庆/中秋 2025: 10-01..10-08 off, 09-28 (Sun, the receipt day) and 10-11 (Sat) worked.
        ("2025-09-28", 20, "2025-10-31"),
        # 中秋 2026 (09-25..09-27) and 国庆 2026 (10-01..10-07), 09-20 (Sun) and 10-10 (Sat) worked.
        ("2026-09-28", 20, "2026-10-30"),
        ("2026-09-18", 20, "2026-10-22"),
        # Across a year end into 2026: 元旦 01-01..01-03 off (01-02 a Friday), 01-04 (Sun) worked:
        # 12-22..12-26 (5), 12-29..12-31 (8), 01-04 (9), 01-05..01-09 (14), 01-12..01-16 (19), 01-19 (20).
        ("2025-12-19", 20, "2026-01-19"),
    ],
)
def test_known_due_dates(received: str, days: int, due: str) -> None:
    assert DEFAULT_CALENDAR.add_working_days(parse_date(received), days) == parse_date(due)


def test_explanation_of_national_day_2024() -> None:
    e = DEFAULT_CALENDAR.explain_due_date(D(2024, 9, 30))
    assert e.due_on == D(2024, 11, 1)
    assert [(h.name, h.first, h.last) for h in e.holidays] == [("国庆节", D(2024, 10, 1), D(2024, 10, 7))]
    assert [d.date for d in e.makeup_workdays] == [D(2024, 10, 12)]
    assert not e.provisional
    text = e.render()
    assert text.startswith("收到申请日（2024-09-30）不计入")
    assert "遇国庆节假期 10月1日—10月7日 不计" in text
    assert "10月12日（星期六）调休上班计入" in text
    assert "第20个工作日为 2024-11-01" in text


def test_explanation_of_spring_festival_2025_in_order() -> None:
    text = DEFAULT_CALENDAR.explain_due_date(D(2025, 1, 20)).render()
    first = text.index("1月26日（星期日）调休上班计入")
    holiday = text.index("遇春节假期 1月28日—2月4日 不计")
    second = text.index("2月8日（星期六）调休上班计入")
    assert first < holiday < second
    assert "第20个工作日为 2025-02-21" in text


def test_adjacent_holidays_are_one_span() -> None:
    e = DEFAULT_CALENDAR.explain_due_date(D(2025, 9, 28))
    assert [(h.name, h.first, h.last) for h in e.holidays] == [
        ("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8))
    ]


def test_explanation_with_pause_and_extension() -> None:
    pause = (D(2024, 10, 14), D(2024, 10, 18))
    e = DEFAULT_CALENDAR.explain_due_date(D(2024, 9, 30), paused=[pause], extension_days=20)
    assert e.original_due_on == D(2024, 11, 8)  # five working days later than without the pause
    assert e.due_on == DEFAULT_CALENDAR.add_working_days(D(2024, 9, 30), 40, paused=[pause])
    assert e.paused[0].working_days_excluded == 5
    text = e.render()
    assert "征求意见期间 2024-10-14—2024-10-18 不计（其中工作日5天）" in text
    assert "第20个工作日为 2024-11-08（原答复期限）" in text
    assert f"延长20个工作日，第40个工作日为 {e.due_on.isoformat()}" in text
    assert e.as_dict()["paused"] == [{"first": "2024-10-14", "last": "2024-10-18", "working_days": 5}]


def test_provisional_years_are_named() -> None:
    e = DEFAULT_CALENDAR.explain_due_date(D(2030, 3, 1))
    assert e.provisional and e.provisional_years == (2030,)
    assert "2030年的节假日安排尚未录入" in e.render()
    assert e.due_on == D(2030, 3, 29)  # 20 weekdays: March 4..29
    across = DEFAULT_CALENDAR.explain_due_date(D(2026, 12, 20))
    assert across.provisional_years == (2027,)
    declared = WorkingCalendar(complete_years=[2027]).explain_due_date(D(2026, 12, 20))
    assert not declared.provisional and "尚未录入" not in declared.render()


def test_an_override_moves_a_real_deadline_and_is_explained() -> None:
    cal = WorkingCalendar({D(2024, 10, 8): Override(OverrideKind.HOLIDAY, "国庆节")})
    e = cal.explain_due_date(D(2024, 9, 30))
    assert e.due_on == D(2024, 11, 4)
    assert [(h.name, h.first, h.last) for h in e.holidays] == [("国庆节", D(2024, 10, 1), D(2024, 10, 8))]
    future = WorkingCalendar({D(2030, 1, 1): Override(OverrideKind.HOLIDAY, "元旦"),
                              D(2030, 1, 5): Override(OverrideKind.WORKDAY, "元旦")})
    text = future.explain_due_date(D(2029, 12, 31), 5).render()
    assert "遇元旦假期 2030年1月1日 不计" in text
    assert "2030年1月5日（星期六）调休上班计入（元旦调休）" in text


def test_special_days_of_a_year() -> None:
    days = {d.date: d for d in DEFAULT_CALENDAR.special_days(2024)}
    assert days[D(2024, 9, 29)].is_working and days[D(2024, 9, 29)].name == "国庆节"
    assert not days[D(2024, 10, 7)].is_working
    assert D(2024, 10, 5) not in days  # a holiday Saturday is no weekday off
    assert all(d.source == DaySource.LIBRARY for d in days.values())
    assert DEFAULT_CALENDAR.special_days(2030) == []


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2024-02-30", "2024-13-01", "20240101", "2024/01/01", "", "abc", "2024-1-1"]
)
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(CalendarError):
        parse_date(text)


def test_parse_date_accepts_surrounding_spaces() -> None:
    assert parse_date(" 2024-09-30 ") == D(2024, 9, 30)


@pytest.mark.parametrize("n", [-1, -20, True, 1.5, "20", 100000])
def test_bad_day_counts_are_refused(n: object) -> None:
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.add_working_days(D(2024, 9, 30), n)  # type: ignore[arg-type]


def test_zero_days_is_the_start_but_an_explanation_needs_one() -> None:
    assert DEFAULT_CALENDAR.add_working_days(D(2024, 9, 30), 0) == D(2024, 9, 30)
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.explain_due_date(D(2024, 9, 30), 0)
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.explain_due_date(D(2024, 9, 30), 20, extension_days=-1)


def test_datetimes_and_strings_are_not_dates() -> None:
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.add_working_days(datetime.datetime(2024, 9, 30, 12), 5)
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.is_working_day("2024-09-30")  # type: ignore[arg-type]


def test_bad_pauses_are_refused() -> None:
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.add_working_days(D(2024, 9, 30), 5, paused=[(D(2024, 10, 9), D(2024, 10, 8))])
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.add_working_days(D(2024, 9, 30), 5, paused=[(D(2024, 10, 9),)])  # type: ignore[list-item]


def test_a_pause_that_never_ends_is_refused_not_looped() -> None:
    with pytest.raises(CalendarError):
        DEFAULT_CALENDAR.add_working_days(D(2024, 9, 30), 5, paused=[(D(2024, 10, 1), D(9999, 12, 31))])


def test_receipt_on_new_years_eve_draws_nothing_from_its_own_year() -> None:
    start = D(LIBRARY_LAST_YEAR + 1, 12, 31)
    e = DEFAULT_CALENDAR.explain_due_date(start, 1)
    assert e.provisional_years == (LIBRARY_LAST_YEAR + 2,)
