"""The working-day calendar (工作日历): the one place where statutory deadlines are counted.

Pure functions over `chinesecalendar` (the State Council's yearly holiday schedules, 2004–2026 in
version 1.11) plus the administrator's overrides (日历调整). No database access here:
`calendar_selectors.working_calendar()` loads the overrides and builds a `WorkingCalendar`.

Which rule decides a day, strongest first:
1. an administrator's override (holiday or make-up workday 调休上班);
2. chinesecalendar, for the years it covers;
3. the weekend rule: Monday–Friday work, Saturday and Sunday rest.

A year decided by the weekend rule alone is *provisional* (临时) unless an administrator has declared its
schedule complete (`CalendarYearSchedule`): deadlines are still computed, but flagged so staff are warned.

Counting follows the regulation (《政府信息公开条例》 arts. 30–33): the start day (收到申请之日) is
not counted; the n-th working day after it is the due date; days inside paused intervals
(征求第三方或其他机关意见, art. 33 ¶3) are not counted; an extension (延期) adds working days after the
original due date.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import chinese_calendar
from django.utils.translation import gettext

Pause = tuple[datetime.date, datetime.date]

# Guards against runaway loops on absurd input; no statutory period comes near them.
MAX_WORKING_DAYS = 1000
MAX_SPAN_DAYS = 366 * 30

_LIBRARY_YEARS = sorted({d.year for d in [*chinese_calendar.holidays, *chinese_calendar.workdays]})
LIBRARY_FIRST_YEAR: int = _LIBRARY_YEARS[0]
LIBRARY_LAST_YEAR: int = _LIBRARY_YEARS[-1]

# The library names 清明/端午/中秋 without 节; the State Council's notices use the full names.
_FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
# Holiday names are the State Council's, as its notices print them (and as administrators enter them).
__i18n_exempt__ = ("_FULL_NAMES",)


class CalendarError(ValueError):
    """Bad input to the calendar (a malformed date, a negative day count, an inverted interval)."""


class OverrideKind(StrEnum):
    """What an administrator says a date is: a rest day (放假) or a make-up workday (调休上班)."""

    HOLIDAY = "holiday"
    WORKDAY = "workday"


class DaySource(StrEnum):
    """Which rule decided a day."""

    OVERRIDE = "override"  # 管理员调整
    LIBRARY = "library"  # 国务院节假日安排（chinesecalendar）
    WEEKEND_RULE = "weekend"  # 周末规则


@dataclass(frozen=True)
class Override:
    """An administrator's entry for one date (日历调整)."""

    kind: OverrideKind
    name: str = ""


@dataclass(frozen=True)
class DayInfo:
    """One calendar day as the calendar sees it."""

    date: datetime.date
    is_working: bool
    source: DaySource
    name: str = ""  # the holiday's Chinese name (春节, 国庆节 …) where known
    provisional: bool = False  # decided by the weekend rule in a year nobody has entered

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_special(self) -> bool:
        """A weekday off (节假日) or a weekend day worked (调休上班)."""
        return self.is_working == self.is_weekend


@dataclass(frozen=True)
class HolidaySpan:
    """Consecutive non-working days of named holidays met while counting (e.g. 国庆节 10-01 — 10-07)."""

    name: str
    first: datetime.date
    last: datetime.date
    source: DaySource


@dataclass(frozen=True)
class PausedInterval:
    """A paused interval as requested, and how many working days it kept off the clock."""

    first: datetime.date
    last: datetime.date
    working_days_excluded: int


@dataclass(frozen=True)
class DueDateExplanation:
    """How a due date was reached: everything a status page or a staff view needs to show."""

    received_on: datetime.date
    working_days: int
    extension_days: int
    due_on: datetime.date
    original_due_on: datetime.date  # the due date before the extension (equal to due_on without one)
    counted_days: tuple[datetime.date, ...]
    holidays: tuple[HolidaySpan, ...]
    makeup_workdays: tuple[DayInfo, ...]
    paused: tuple[PausedInterval, ...]
    provisional_years: tuple[int, ...]

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (ISO dates), for the API and for storing with an application's events."""
        return {
            "received_on": self.received_on.isoformat(),
            "working_days": self.working_days,
            "extension_days": self.extension_days,
            "due_on": self.due_on.isoformat(),
            "original_due_on": self.original_due_on.isoformat(),
            "counted_days": [d.isoformat() for d in self.counted_days],
            "holidays": [
                {"name": h.name, "first": h.first.isoformat(), "last": h.last.isoformat(),
                 "source": str(h.source)}
                for h in self.holidays
            ],
            "makeup_workdays": [
                {"date": d.date.isoformat(), "name": d.name, "source": str(d.source)}
                for d in self.makeup_workdays
            ],
            "paused": [
                {"first": p.first.isoformat(), "last": p.last.isoformat(),
                 "working_days": p.working_days_excluded}
                for p in self.paused
            ],
            "provisional": self.provisional,
            "provisional_years": list(self.provisional_years),
            "text": self.render(),
        }

    def render(self) -> str:
        """The explanation in Chinese, one sentence per fact, for applicants and staff."""
        year = self.received_on.year
        parts = [
            gettext("收到申请日（%(date)s）不计入，自次日起计算%(n)d个工作日")
            % {"date": self.received_on.isoformat(), "n": self.working_days}
        ]
        # Holidays and make-up workdays in the order they were met.
        met: list[tuple[datetime.date, str]] = []
        for span in self.holidays:
            if span.first == span.last:
                when = format_day(span.first, year)
            else:
                when = f"{format_day(span.first, year)}—{format_day(span.last, year)}"
            text = gettext("遇%(name)s假期 %(when)s 不计") % {"name": span.name, "when": when}
            met.append((span.first, text))
        for day in self.makeup_workdays:
            label = gettext("%(date)s（%(weekday)s）调休上班计入") % {
                "date": format_day(day.date, year),
                "weekday": weekday_name(day.date),
            }
            if day.name:
                label += gettext("（%(name)s调休）") % {"name": day.name}
            met.append((day.date, label))
        parts.extend(text for _, text in sorted(met))
        for pause in self.paused:
            parts.append(
                gettext("征求意见期间 %(first)s—%(last)s 不计（其中工作日%(n)d天）")
                % {"first": pause.first.isoformat(), "last": pause.last.isoformat(),
                   "n": pause.working_days_excluded}
            )
        if self.extension_days:
            parts.append(
                gettext("第%(n)d个工作日为 %(date)s（原答复期限）")
                % {"n": self.working_days, "date": self.original_due_on.isoformat()}
            )
            parts.append(
                gettext("延长%(ext)d个工作日，第%(n)d个工作日为 %(date)s")
                % {"ext": self.extension_days, "n": self.working_days + self.extension_days,
                   "date": self.due_on.isoformat()}
            )
        else:
            parts.append(
                gettext("第%(n)d个工作日为 %(date)s")
                % {"n": self.working_days, "date": self.due_on.isoformat()}
            )
        text = "；".join(parts) + "。"
        if self.provisional:
            years = "、".join(gettext("%(year)d年") % {"year": y} for y in self.provisional_years)
            text += gettext(
                "注意：%(years)s的节假日安排尚未录入，暂按周末规则计算，此期限为临时结果，安排公布后可能变动。"
            ) % {"years": years}
        return text


def weekday_name(d: datetime.date) -> str:
    names = (
        gettext("星期一"), gettext("星期二"), gettext("星期三"), gettext("星期四"),
        gettext("星期五"), gettext("星期六"), gettext("星期日"),
    )
    return names[d.weekday()]


def format_day(d: datetime.date, reference_year: int) -> str:
    """'10月12日', or '2025年1月2日' when the day lies in another year than the reference."""
    if d.year == reference_year:
        return gettext("%(month)d月%(day)d日") % {"month": d.month, "day": d.day}
    return gettext("%(year)d年%(month)d月%(day)d日") % {"year": d.year, "month": d.month, "day": d.day}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> datetime.date:
    """A YYYY-MM-DD date, or a CalendarError saying what is wrong with it."""
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        raise CalendarError(gettext("日期格式错误：“%(text)s”，应为 YYYY-MM-DD") % {"text": text})
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CalendarError(gettext("日期不存在：“%(text)s”") % {"text": text}) from None


def _check_date(value: object, what: str) -> datetime.date:
    # A datetime would silently compare wrong (and carries a time zone question the caller must settle):
    # statutory dates are dates in Asia/Shanghai.
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise CalendarError(
            gettext("%(what)s必须是日期（date），而不是 %(type)s")
            % {"what": what, "type": type(value).__name__}
        )
    return value


def _check_count(value: object, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CalendarError(gettext("%(what)s必须是整数") % {"what": what})
    if value < minimum:
        raise CalendarError(gettext("%(what)s不能小于%(min)d：%(value)d") % {"what": what, "min": minimum,
                                                                         "value": value})
    if value > MAX_WORKING_DAYS:
        raise CalendarError(gettext("%(what)s过大：%(value)d") % {"what": what, "value": value})
    return value


def _check_pauses(paused: Iterable[Pause]) -> tuple[Pause, ...]:
    checked = []
    for item in paused:
        try:
            first, last = item
        except (TypeError, ValueError):
            raise CalendarError(gettext("暂停区间必须是（开始日期，结束日期）")) from None
        first = _check_date(first, gettext("暂停开始日期"))
        last = _check_date(last, gettext("暂停结束日期"))
        if last < first:
            raise CalendarError(
                gettext("暂停区间结束日期 %(last)s 早于开始日期 %(first)s")
                % {"first": first.isoformat(), "last": last.isoformat()}
            )
        checked.append((first, last))
    return tuple(sorted(checked))


def _in_pause(d: datetime.date, pauses: Sequence[Pause]) -> bool:
    return any(first <= d <= last for first, last in pauses)


def _library_name(english: str | None) -> str:
    if not english:
        return ""
    try:
        chinese = str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return english
    return _FULL_NAMES.get(chinese, chinese)


class WorkingCalendar:
    """Working days under chinesecalendar, the administrator's overrides and the weekend rule.

    `overrides` maps dates to `Override`s; `complete_years` are years whose whole schedule an administrator
    has entered (so the weekend rule there is not provisional).
    """

    def __init__(
        self,
        overrides: Mapping[datetime.date, Override] | None = None,
        complete_years: Iterable[int] = (),
    ) -> None:
        self.overrides: Mapping[datetime.date, Override] = MappingProxyType(dict(overrides or {}))
        self.complete_years: frozenset[int] = frozenset(complete_years)
        # The calendar is immutable once built, so each day's answer can be kept: long counts and the
        # hypothesis tests ask for the same days many times.
        self._days: dict[datetime.date, DayInfo] = {}

    # -- single days -------------------------------------------------------------------------------

    def library_covers(self, year: int) -> bool:
        return LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR

    def is_provisional_year(self, year: int) -> bool:
        """True when neither chinesecalendar nor a complete administrator entry covers the year."""
        return not self.library_covers(year) and year not in self.complete_years

    def day(self, d: datetime.date) -> DayInfo:
        d = _check_date(d, gettext("日期"))
        info = self._days.get(d)
        if info is None:
            info = self._days[d] = self._decide(d)
        return info

    def _decide(self, d: datetime.date) -> DayInfo:
        override = self.overrides.get(d)
        if override is not None:
            return DayInfo(d, override.kind == OverrideKind.WORKDAY, DaySource.OVERRIDE, override.name)
        if self.library_covers(d.year):
            working = bool(chinese_calendar.is_workday(d))
            _, english = chinese_calendar.get_holiday_detail(d)
            if working != (d.weekday() < 5) or english:
                return DayInfo(d, working, DaySource.LIBRARY, _library_name(english))
            return DayInfo(d, working, DaySource.WEEKEND_RULE)
        provisional = self.is_provisional_year(d.year)
        return DayInfo(d, d.weekday() < 5, DaySource.WEEKEND_RULE, provisional=provisional)

    def is_working_day(self, d: datetime.date) -> bool:
        return self.day(d).is_working

    def special_days(self, year: int) -> list[DayInfo]:
        """A year's weekdays off and weekend days worked, and every override (even one changing nothing)."""
        if not 1 <= year <= 9998:
            raise CalendarError(gettext("年份超出范围：%(year)d") % {"year": year})
        result = []
        d = datetime.date(year, 1, 1)
        while d.year == year:
            info = self.day(d)
            if info.is_special or info.source == DaySource.OVERRIDE:
                result.append(info)
            d += datetime.timedelta(days=1)
        return result

    # -- counting ----------------------------------------------------------------------------------

    def _walk(self, start: datetime.date, pauses: Sequence[Pause]) -> Iterator[tuple[DayInfo, bool]]:
        """Each day after `start` with whether it counts (a working day outside every pause)."""
        d = start
        for _ in range(MAX_SPAN_DAYS):
            try:
                d += datetime.timedelta(days=1)
            except OverflowError:
                break
            info = self.day(d)
            yield info, info.is_working and not _in_pause(d, pauses)
        raise CalendarError(gettext("计算范围过大，请检查暂停区间和日期"))

    def add_working_days(
        self, start: datetime.date, n: int, *, paused: Iterable[Pause] = ()
    ) -> datetime.date:
        """The n-th counted working day after `start` (start itself never counts); `start` when n is 0."""
        start = _check_date(start, gettext("起算日期"))
        n = _check_count(n, gettext("工作日数"))
        if n == 0:
            return start
        counted = 0
        for info, counts in self._walk(start, _check_pauses(paused)):
            if counts:
                counted += 1
                if counted == n:
                    return info.date
        raise AssertionError("unreachable: _walk raises when it runs out")  # pragma: no cover

    def count_working_days(
        self, a: datetime.date, b: datetime.date, *, paused: Iterable[Pause] = ()
    ) -> int:
        """Working days d with a < d <= b outside the pauses; negative (the same count) when b is before a.

        So `count_working_days(s, add_working_days(s, n)) == n`, and a deadline `due` is overdue by
        `count_working_days(due, today)` working days when that is positive.
        """
        a = _check_date(a, gettext("开始日期"))
        b = _check_date(b, gettext("结束日期"))
        pauses = _check_pauses(paused)
        if b < a:
            return -self.count_working_days(b, a, paused=pauses)
        if (b - a).days > MAX_SPAN_DAYS:
            raise CalendarError(gettext("计算范围过大，请检查日期"))
        total = 0
        d = a
        while d < b:
            d += datetime.timedelta(days=1)
            if self.is_working_day(d) and not _in_pause(d, pauses):
                total += 1
        return total

    def explain_due_date(
        self,
        received_on: datetime.date,
        working_days: int = 20,
        *,
        paused: Iterable[Pause] = (),
        extension_days: int = 0,
    ) -> DueDateExplanation:
        """The due date `working_days` (+ `extension_days`) after `received_on`, with how it was reached."""
        received_on = _check_date(received_on, gettext("收到申请日"))
        working_days = _check_count(working_days, gettext("工作日数"), minimum=1)
        extension_days = _check_count(extension_days, gettext("延长工作日数"))
        pauses = _check_pauses(paused)
        total = working_days + extension_days

        days: list[tuple[DayInfo, bool]] = []
        counted: list[datetime.date] = []
        for info, counts in self._walk(received_on, pauses):
            days.append((info, counts))
            if counts:
                counted.append(info.date)
                if len(counted) == total:
                    break
        due_on = counted[-1]

        holidays: list[HolidaySpan] = []
        open_names: list[str] = []
        for info, _ in days:
            named_rest = not info.is_working and (info.name or info.source == DaySource.OVERRIDE)
            if named_rest:
                name = info.name or gettext("休息日（管理员调整）")
                last = holidays[-1] if holidays else None
                if last is not None and last.last == info.date - datetime.timedelta(days=1):
                    if name not in open_names:
                        open_names.append(name)
                    holidays[-1] = HolidaySpan("、".join(open_names), last.first, info.date, last.source)
                else:
                    open_names = [name]
                    holidays.append(HolidaySpan(name, info.date, info.date, info.source))

        return DueDateExplanation(
            received_on=received_on,
            working_days=working_days,
            extension_days=extension_days,
            due_on=due_on,
            original_due_on=counted[working_days - 1],
            counted_days=tuple(counted),
            holidays=tuple(holidays),
            makeup_workdays=tuple(info for info, _ in days if info.is_working and info.is_weekend),
            paused=tuple(
                PausedInterval(first, last, sum(1 for info, _ in days
                                                if first <= info.date <= last and info.is_working))
                for first, last in pauses
                if last > received_on and first <= due_on
            ),
            provisional_years=tuple(sorted({info.date.year for info, _ in days if info.provisional})),
        )


# A calendar without overrides: chinesecalendar plus the weekend rule. Useful where no database is at hand.
DEFAULT_CALENDAR = WorkingCalendar()
