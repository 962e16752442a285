"""`gongkai calendar due` and `gongkai calendar year`."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from gongkai.core.calendar_services import set_override

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_due_defaults_to_twenty_working_days() -> None:
    out = run("due", "2024-09-30")
    assert "收到申请日：2024-09-30（星期一）" in out
    assert "期限：20个工作日" in out
    assert "答复期限：2024-11-01（星期五）" in out
    assert "遇国庆节假期 10月1日—10月7日 不计" in out
    assert "10月12日（星期六）调休上班计入" in out
    assert "临时结果" not in out


def test_due_with_days_extension_and_pause() -> None:
    assert "答复期限：2024-10-15（星期二）" in run("due", "2024-09-30", "--days", "7")
    out = run("due", "2024-09-30", "--pause", "2024-10-14:2024-10-18", "--extension", "20")
    assert "期限：40个工作日" in out
    assert "征求意见期间 2024-10-14—2024-10-18 不计（其中工作日5天）" in out


def test_due_in_an_uncovered_year_is_provisional() -> None:
    out = run("due", "2030-03-01")
    assert "答复期限：2030-03-29（星期五）" in out
    assert "临时结果：是（2030年未录入节假日安排）" in out


@pytest.mark.parametrize(
    "args",
    [
        ["due", "2024-02-30"],
        ["due", "30/09/2024"],
        ["due", "2024-09-30", "--days", "0"],
        ["due", "2024-09-30", "--days", "-3"],
        ["due", "2024-09-30", "--days", "twenty"],
        ["due", "2024-09-30", "--extension", "-1"],
        ["due", "2024-09-30", "--pause", "2024-10-14"],
        ["due", "2024-09-30", "--pause", "2024-10-18:2024-10-14"],
        ["year", "20x4"],
        ["year", "0"],
    ],
)
def test_bad_input_exits_with_status_2(args: list[str]) -> None:
    with pytest.raises(CommandError) as info:
        run(*args)
    assert info.value.returncode == 2
    assert str(info.value)  # a message, not a traceback


def test_year_lists_library_days_with_their_source() -> None:
    lines = run("year", "2025").splitlines()
    assert "chinesecalendar" in lines[0]
    assert "2025-01-26\t星期日\t调休上班\t春节\t国务院安排（chinesecalendar）" in lines
    assert "2025-01-28\t星期二\t放假\t春节\t国务院安排（chinesecalendar）" in lines
    assert not any(line.startswith("2025-02-01") for line in lines)  # a holiday Saturday is not listed


def test_year_shows_overrides_and_the_provisional_state() -> None:
    assert "未录入" in run("year", "2030")
    admin = User.objects.create_superuser("cal-admin", "a@example.org", "x-long-password-1")
    set_override(admin, datetime.date(2030, 1, 1), "holiday", "元旦")
    set_override(admin, datetime.date(2024, 10, 8), "holiday", "国庆节")
    assert "2030-01-01\t星期二\t放假\t元旦\t管理员调整" in run("year", "2030").splitlines()
    assert "2024-10-08\t星期二\t放假\t国庆节\t管理员调整" in run("year", "2024").splitlines()
    assert "答复期限：2024-11-04" in run("due", "2024-09-30")


def test_the_console_script_exits_2_on_a_malformed_date(tmp_path: object) -> None:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", "calendar", "due", "2024-13-01"],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert result.returncode == 2
    assert "2024-13-01" in result.stderr
