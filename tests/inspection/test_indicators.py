"""Each indicator at its threshold: one day (or one column, one probe) either side."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog.models import ChannelRecord, Column
from gongkai.core.calendar_selectors import working_calendar
from gongkai.inspection import evaluate
from gongkai.inspection.evaluate import Status
from gongkai.inspection.indicators import BY_KEY, INDICATORS, Kind, months_before
from gongkai.inspection.models import Probe
from gongkai.orgs.models import Organisation
from tests.inspection.factories import AT, make_column, noon, publish

NEWS = Column.UpdateClass.NEWS
NOTICE = Column.UpdateClass.NOTICE_POLICY


def result(org: Organisation, key: str, at: dt.date = AT) -> evaluate.Result:
    return next(r for r in evaluate.inspect(org, at).results if r.indicator.key == key)


def test_indicators_are_data_with_name_rule_threshold_kind_and_source() -> None:
    assert len({i.key for i in INDICATORS}) == len(INDICATORS) == 13
    for i in INDICATORS:
        assert i.name and i.rule and i.source and i.threshold > 0
    assert {i.key for i in INDICATORS if i.kind == Kind.VETO} == {
        "availability", "home_not_updated", "columns_not_updated", "columns_long_stale", "empty_columns",
        "letters_unanswered", "new_media_not_updated"}
    assert BY_KEY["columns_not_updated"].threshold == 5 and BY_KEY["columns_long_stale"].threshold == 10
    assert BY_KEY["empty_columns"].threshold == 5 and BY_KEY["availability"].threshold == 0.05


@pytest.mark.parametrize(("days_ago", "status"), [(13, Status.PASS), (14, Status.PASS), (15, Status.FAIL)])
def test_home_page_two_weeks(org: Organisation, days_ago: int, status: Status) -> None:
    col = make_column(org, "jggk", "机构概况")
    publish(col, AT - dt.timedelta(days=days_ago))
    assert result(org, "home_not_updated").status == status


def test_home_page_counts_the_subtree_and_nothing_after_the_date(org: Organisation) -> None:
    from tests.inspection.factories import make_org

    child = make_org("tstc", "下级", parent=org)
    publish(make_column(child, "gzdt", "工作动态"), AT - dt.timedelta(days=3))
    publish(make_column(org, "x", "其他"), AT + dt.timedelta(days=1))  # after `at`: not seen at `at`
    assert result(org, "home_not_updated").status == Status.PASS
    assert result(child, "home_not_updated", AT - dt.timedelta(days=18)).status == Status.FAIL  # nothing yet


@pytest.mark.parametrize(("days_ago", "stale"), [(14, False), (15, True)])
def test_news_column_two_weeks(org: Organisation, days_ago: int, stale: bool) -> None:
    publish(make_column(org, "gzdt", "工作动态", update_class=NEWS), AT - dt.timedelta(days=days_ago))
    r = result(org, "columns_not_updated")
    assert (r.figure, r.status) == ((1, Status.WARN) if stale else (0, Status.PASS))


@pytest.mark.parametrize(("offset", "stale"), [(0, False), (1, True)])
def test_notice_column_six_months(org: Organisation, offset: int, stale: bool) -> None:
    last = months_before(AT, 6) - dt.timedelta(days=offset)
    publish(make_column(org, "tzgg", "通知公告", update_class=NOTICE), last)
    assert result(org, "columns_not_updated").figure == (1 if stale else 0)
    deadline = next(d for d in evaluate.column_deadlines(org, AT) if d.column.slug == "tzgg")
    assert (deadline.stale_on <= AT) == stale  # type: ignore[operator]


@pytest.mark.parametrize(("stale_columns", "status"), [(4, Status.WARN), (5, Status.FAIL)])
def test_four_stale_columns_warn_five_veto(org: Organisation, stale_columns: int, status: Status) -> None:
    for n in range(stale_columns):
        kind = NEWS if n % 2 else NOTICE
        publish(make_column(org, f"c{n}", f"栏目{n}", update_class=kind), AT - dt.timedelta(days=200))
    publish(make_column(org, "fresh", "新栏目", update_class=NEWS), AT)
    assert result(org, "columns_not_updated").status == status


@pytest.mark.parametrize(("empty", "status"), [(0, Status.PASS), (4, Status.WARN), (5, Status.FAIL)])
def test_empty_columns(org: Organisation, empty: int, status: Status) -> None:
    for n in range(empty):
        make_column(org, f"e{n}", f"空栏目{n}")
    parent = make_column(org, "p", "有子栏目")
    publish(make_column(org, "kid", "子栏目", parent=parent), AT)  # the parent shows its child's items
    r = result(org, "empty_columns")
    assert (r.figure, r.status) == (empty, status)
    assert result(org, "columns_not_updated").figure == 0  # empty columns are counted once, here


@pytest.mark.parametrize(("columns", "days_ago", "status"), [
    (10, 30, Status.PASS), (10, 31, Status.FAIL), (9, 31, Status.WARN)])
def test_columns_with_an_update_period(org: Organisation, columns: int, days_ago: int, status: Status) -> None:
    for n in range(columns):
        publish(make_column(org, f"c{n}", f"栏目{n}", expected_update_days=30), AT - dt.timedelta(days=days_ago))
    assert result(org, "columns_long_stale").status == status


@pytest.mark.parametrize(("days_ago", "status"), [(None, Status.PASS), (14, Status.PASS), (15, Status.FAIL)])
def test_new_media_two_weeks(org: Organisation, days_ago: int | None, status: Status) -> None:
    item = publish(make_column(org, "gzdt", "工作动态", update_class=NEWS), AT)
    if days_ago is not None:
        ChannelRecord.objects.create(item=item, channel="wechat", published_on=AT - dt.timedelta(days=days_ago))
    ChannelRecord.objects.create(item=item, channel="city_portal", published_on=AT - dt.timedelta(days=300))
    assert result(org, "new_media_not_updated").status == status


@pytest.mark.parametrize(("extra", "status"), [(0, Status.PASS), (1, Status.DEDUCT)])
def test_art26_twenty_working_days(org: Organisation, extra: int, status: Status) -> None:
    written = dt.date(2025, 3, 3)
    published = working_calendar().add_working_days(written, 20 + extra)
    publish(make_column(org, "tzgg", "通知公告"), published, written_on=written)
    r = result(org, "late_publication", published)
    assert r.status == status
    if extra:
        assert "21 个工作日" in r.findings[0].detail


def test_normative_documents_need_an_interpretation_or_a_reason(org: Organisation) -> None:
    col = make_column(org, "zcwj", "政策文件")
    bare = publish(col, AT - dt.timedelta(days=10), "办法甲", is_normative=True, validity="valid")
    explained = publish(col, AT - dt.timedelta(days=10), "办法乙", is_normative=True, no_interpretation_reason="内容简单")
    interpreted = publish(col, AT - dt.timedelta(days=10), "办法丙", is_normative=True)
    publish(make_column(org, "zcjd", "政策解读"), AT - dt.timedelta(days=9), "解读丙", interprets=interpreted)
    r = result(org, "normative_uninterpreted")
    assert [f.label for f in r.findings] == [bare.title] and r.status == Status.DEDUCT
    assert explained.title not in {f.label for f in r.findings}


@pytest.mark.parametrize(("expires", "lapsed"), [(AT, False), (AT - dt.timedelta(days=1), True)])
def test_validity_past_its_date_still_valid(org: Organisation, expires: dt.date, lapsed: bool) -> None:
    col = make_column(org, "zcwj", "政策文件")
    publish(col, AT - dt.timedelta(days=400), "办法", validity="valid", expires_on=expires)
    publish(col, AT - dt.timedelta(days=400), "旧办法", validity="expired", expires_on=AT - dt.timedelta(days=30))
    assert result(org, "validity_lapsed").figure == (1 if lapsed else 0)


def _probes(org: Organisation, total: int, failed: int, *, slow: float | None = None) -> None:
    """`failed` of `total` probes answer 500 quickly, or (with `slow`) 200 after `slow` seconds."""
    for n in range(total):
        bad = n < failed
        status = 500 if bad and slow is None else 200
        Probe.objects.create(organisation=org, url="http://127.0.0.1/org/tstj/", probed_at=noon(AT) - dt.timedelta(hours=n),
                             status=status, duration=slow if bad and slow is not None else 0.2)


@pytest.mark.parametrize(("failed", "status"), [(0, Status.PASS), (4, Status.WARN), (5, Status.FAIL)])
def test_availability_five_percent(org: Organisation, failed: int, status: Status) -> None:
    _probes(org, 100, failed)
    assert result(org, "availability").status == status


@pytest.mark.parametrize(("seconds", "status"), [(14.99, Status.PASS), (15.0, Status.FAIL)])
def test_availability_slow_is_fifteen_seconds(org: Organisation, seconds: float, status: Status) -> None:
    _probes(org, 20, 1, slow=seconds)
    assert result(org, "availability").status == status


def test_availability_window_is_seven_days_and_no_probes_is_no_data(org: Organisation) -> None:
    assert result(org, "availability").status == Status.NO_DATA
    Probe.objects.create(organisation=org, url="u", probed_at=noon(AT - dt.timedelta(days=7)), status=None, duration=1)
    assert result(org, "availability").status == Status.NO_DATA  # eight days back: outside the window
    Probe.objects.create(organisation=org, url="u", probed_at=noon(AT - dt.timedelta(days=6)), status=200, duration=1)
    assert result(org, "availability").status == Status.PASS


def test_early_warning_dates_and_due_this_week(org: Organisation) -> None:
    news = make_column(org, "gzdt", "工作动态", update_class=NEWS, expected_update_days=7)
    publish(news, AT - dt.timedelta(days=3))
    deadline = next(d for d in evaluate.column_deadlines(org, AT) if d.column == news)
    assert deadline.stale_on == AT - dt.timedelta(days=3) + dt.timedelta(days=8)
    due = evaluate.inspect(org, AT).due
    assert any(d.on == AT + dt.timedelta(days=5) and "工作动态" in d.what for d in due)
    assert not evaluate.inspect(org, AT - dt.timedelta(days=3)).vetoes
