"""`gongkai calendar`: check the working-day calendar by hand (due dates, a year's schedule)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.core.calendar import (
    LIBRARY_FIRST_YEAR,
    LIBRARY_LAST_YEAR,
    CalendarError,
    DaySource,
    Pause,
    parse_date,
    weekday_name,
)
from gongkai.core.calendar_selectors import working_calendar, year_schedule

# Exit status for bad input, as argparse uses for usage errors.
USAGE_ERROR = 2


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def _positive_int(text: str, what: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _usage_error(gettext("%(what)s必须是整数：“%(text)s”") % {"what": what, "text": text}) from None
    if value < minimum:
        raise _usage_error(gettext("%(what)s不能小于%(min)d：%(value)d") % {"what": what, "min": minimum,
                                                                          "value": value})
    return value


def _date(text: str) -> Any:
    try:
        return parse_date(text)
    except CalendarError as exc:
        raise _usage_error(str(exc)) from None


def _pause(text: str) -> Pause:
    first, sep, last = text.partition(":")
    if not sep:
        message = gettext("暂停区间格式错误：“%(text)s”，应为 YYYY-MM-DD:YYYY-MM-DD") % {"text": text}
        raise _usage_error(message)
    return _date(first), _date(last)


SOURCE_LABELS = {
    DaySource.OVERRIDE: gettext_lazy("管理员调整"),
    DaySource.LIBRARY: gettext_lazy("国务院安排（chinesecalendar）"),
    DaySource.WEEKEND_RULE: gettext_lazy("周末规则"),
}


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "工作日历：calendar due YYYY-MM-DD [--days N] 计算收到申请日起N个工作日的答复期限并说明；"
        "calendar year YYYY 列出该年的放假工作日和调休上班日及其来源。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help=gettext("答复期限：收到申请日起N个工作日（收到当日不计）"))
        due.add_argument("received_on", help=gettext("收到申请日 YYYY-MM-DD"))
        due.add_argument("--days", default="20", help=gettext("工作日数（默认20）"))
        due.add_argument("--extension", default="0", help=gettext("延长的工作日数（默认0）"))
        due.add_argument(
            "--pause", action="append", default=[], metavar="FROM:TO",
            help=gettext("不计算在期限内的区间（含首尾），如征求第三方意见期间；可重复"),
        )
        year = sub.add_parser("year", help=gettext("列出一年中的放假工作日和调休上班日"))
        year.add_argument("year", help=gettext("年份 YYYY"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "due":
            self._due(options)
        else:
            self._year(options["year"])

    def _due(self, options: dict[str, Any]) -> None:
        received_on = _date(options["received_on"])
        days = _positive_int(options["days"], gettext("工作日数"), 1)
        extension = _positive_int(options["extension"], gettext("延长工作日数"), 0)
        pauses = [_pause(p) for p in options["pause"]]
        try:
            explanation = working_calendar().explain_due_date(
                received_on, days, paused=pauses, extension_days=extension
            )
        except CalendarError as exc:
            raise _usage_error(str(exc)) from None
        due = explanation.due_on
        self.stdout.write(gettext("收到申请日：%(date)s（%(weekday)s）")
                          % {"date": received_on.isoformat(), "weekday": weekday_name(received_on)})
        self.stdout.write(gettext("期限：%(n)d个工作日") % {"n": days + extension})
        self.stdout.write(gettext("答复期限：%(date)s（%(weekday)s）")
                          % {"date": due.isoformat(), "weekday": weekday_name(due)})
        if explanation.provisional:
            self.stdout.write(gettext("临时结果：是（%(years)s年未录入节假日安排）")
                              % {"years": "、".join(str(y) for y in explanation.provisional_years)})
        self.stdout.write(gettext("说明：%(text)s") % {"text": explanation.render()})

    def _year(self, text: str) -> None:
        year = _positive_int(text, gettext("年份"), 1)
        if year > 9998:
            raise _usage_error(gettext("年份超出范围：%(year)d") % {"year": year})
        calendar = working_calendar()
        if calendar.library_covers(year):
            status = gettext("国务院安排见 chinesecalendar（%(first)d—%(last)d年）") % {
                "first": LIBRARY_FIRST_YEAR, "last": LIBRARY_LAST_YEAR}
        elif (schedule := year_schedule(year)) is not None:
            status = gettext("管理员已声明录入完整：%(source)s") % {"source": schedule.source or "—"}
        else:
            status = gettext("未录入：除管理员调整外按周末规则计算，期限为临时结果")
        self.stdout.write(gettext("%(year)d年工作日历：%(status)s") % {"year": year, "status": status})
        days = calendar.special_days(year)
        if not days:
            self.stdout.write(gettext("（没有放假工作日或调休上班日）"))
        for day in days:
            kind = gettext("调休上班") if day.is_working else gettext("放假")
            self.stdout.write("\t".join([
                day.date.isoformat(), weekday_name(day.date), kind, day.name or "—",
                str(SOURCE_LABELS[day.source]),
            ]))
