"""The statutory rules as pure functions: receipt dates, fees, deadlines across holidays, impossible orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications import rules
from gongkai.applications.models import Channel, EventKind, ReplyKind, State
from gongkai.applications.rules import EventFact, RuleError
from gongkai.core.calendar import DEFAULT_CALENDAR as CAL

D = dt.date
TODAY = D(2026, 6, 30)
dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 5, 31))


def ev(kind: str, on: dt.date, **data: object) -> EventFact:
    return EventFact(kind, on, dict(data))


# -- receipt date (art. 31) -------------------------------------------------------------------------------

def test_receipt_date_per_channel() -> None:
    arrived, confirmed = D(2025, 3, 7), D(2025, 3, 10)
    assert rules.receipt_date(Channel.IN_PERSON, arrived, None) == arrived
    assert rules.receipt_date(Channel.LETTER, arrived, None, registered_letter=True) == arrived
    assert rules.receipt_date(Channel.LETTER, arrived, confirmed, registered_letter=False) == confirmed
    assert rules.receipt_date(Channel.FAX, arrived, confirmed) == confirmed
    assert rules.receipt_date(Channel.EMAIL, arrived, confirmed) == confirmed
    assert rules.receipt_date(Channel.ONLINE, arrived, None) == arrived
    with pytest.raises(RuleError, match="确认"):
        rules.receipt_date(Channel.FAX, arrived, None)
    with pytest.raises(RuleError, match="不能早于"):
        rules.receipt_date(Channel.EMAIL, arrived, D(2025, 3, 6))


# -- fees (109号) -------------------------------------------------------------------------------------------

def test_fee_worked_examples_from_the_spec() -> None:
    assert rules.per_item_unit_price(10) == 0
    assert rules.per_item_unit_price(11) == 100
    assert rules.per_item_unit_price(30) == 100
    assert rules.per_item_unit_price(31) == 200
    assert rules.per_item_unit_price(35) == 200
    assert rules.per_item_unit_price(41) == 300
    assert rules.per_item_fee(10, 25) == Decimal(3000)  # applications 11–35: 20 × 100 + 5 × 200
    assert rules.per_item_fee(0, 10) == 0
    assert rules.per_page_fee(30) == 0
    assert rules.per_page_fee(31) == 10
    # The spec prints 1,200元 here; its own terms 70 × 10 + 50 × 20 make 1,700元 (an arithmetic slip in the spec).
    assert rules.per_page_fee(150) == Decimal(1700)
    assert rules.per_page_fee(250) == Decimal(4700)  # 700 + 2,000 + 50 × 40


@given(st.integers(0, 300), st.integers(1, 60), st.integers(1, 60))
def test_per_item_fee_is_additive(prior: int, a: int, b: int) -> None:
    assert rules.per_item_fee(prior, a + b) == rules.per_item_fee(prior, a) + rules.per_item_fee(prior + a, b)


@given(st.integers(0, 2000))
def test_per_page_fee_marginal_price_is_the_band_price(pages: int) -> None:
    step = rules.per_page_fee(pages + 1) - rules.per_page_fee(pages)
    expected = 0 if pages + 1 <= 30 else 10 if pages + 1 <= 100 else 20 if pages + 1 <= 200 else 40
    assert step == expected


def test_bad_fee_input_is_refused() -> None:
    with pytest.raises(RuleError):
        rules.per_page_fee(-1)
    with pytest.raises(RuleError):
        rules.per_item_fee(0, 0)


# -- deadlines --------------------------------------------------------------------------------------------

def test_reply_deadline_across_national_day_2025() -> None:
    # Counted by hand from the State Council's 2025 schedule: 10-01…10-08 off, Saturday 10-11 worked.
    status = rules.derive_status(D(2025, 9, 30), [ev(EventKind.RECEIVED, D(2025, 9, 30))], CAL)
    assert status.state == State.PROCESSING
    assert status.due_on == D(2025, 11, 4)
    assert status.reply is not None and "国庆节" in status.reply.render()


def test_reply_deadline_across_spring_festival_2026() -> None:
    # 2-15…2-23 off; Saturdays 2-14 and 2-28 worked.
    status = rules.derive_status(D(2026, 2, 6), [], CAL)
    assert status.due_on == D(2026, 3, 12)
    # 2-9…2-13 are days 1–5, Saturday 2-14 day 6, and after the holiday 2-24 is day 7.
    assert status.correction_notice_by == D(2026, 2, 24)
    assert CAL.count_working_days(D(2026, 2, 6), status.correction_notice_by) == 7


@given(dates)
def test_plain_deadline_is_the_twentieth_working_day(received: dt.date) -> None:
    status = rules.derive_status(received, [ev(EventKind.RECEIVED, received)], CAL)
    assert status.due_on is not None
    assert CAL.is_working_day(status.due_on)
    assert CAL.count_working_days(received, status.due_on) == 20


@given(dates, st.integers(1, 20), st.integers(1, 19))
def test_extension_adds_exactly_its_working_days(received: dt.date, days: int, after: int) -> None:
    on = CAL.add_working_days(received, after)
    status = rules.derive_status(received, [ev(EventKind.RECEIVED, received),
                                            ev(EventKind.EXTENSION, on, days=days)], CAL)
    assert status.due_on is not None
    assert CAL.count_working_days(received, status.due_on) == 20 + days
    assert status.reply is not None and status.reply.original_due_on == CAL.add_working_days(received, 20)


@given(dates, st.integers(1, 10), st.integers(0, 25))
def test_consultation_time_is_not_counted(received: dt.date, after: int, length: int) -> None:
    started = CAL.add_working_days(received, after)
    ended = CAL.add_working_days(started, length)
    events = [ev(EventKind.RECEIVED, received), ev(EventKind.CONSULTATION_STARTED, started, party="third_party"),
              ev(EventKind.CONSULTATION_ENDED, ended, opinion="agree")]
    status = rules.derive_status(received, events, CAL)
    assert status.state == State.PROCESSING and status.due_on is not None
    # The party's time (at most 15 working days) is off the clock; the rest counts.
    excluded = min(length, 15)
    assert CAL.count_working_days(received, status.due_on) == 20 + excluded


@given(dates, st.integers(1, 7), st.integers(1, 30))
def test_correction_restarts_the_clock(received: dt.date, asked_after: int, corrected_after: int) -> None:
    asked = CAL.add_working_days(received, asked_after)
    corrected = CAL.add_working_days(asked, corrected_after)
    by = CAL.add_working_days(asked, 15)
    waiting = rules.derive_status(received, [ev(EventKind.CORRECTION_REQUESTED, asked, correct_by=by.isoformat())], CAL)
    assert waiting.state == State.AWAITING_CORRECTION and waiting.due_on == by and waiting.due_kind == "correction"
    status = rules.derive_status(received, [ev(EventKind.CORRECTION_REQUESTED, asked, correct_by=by.isoformat()),
                                            ev(EventKind.CORRECTED, corrected)], CAL)
    assert status.due_on == CAL.add_working_days(corrected, 20)


@given(dates, st.integers(1, 10), st.integers(1, 25))
def test_fee_window_is_not_counted(received: dt.date, after: int, paid_after: int) -> None:
    notice = CAL.add_working_days(received, after)
    pay_by = CAL.add_working_days(notice, 20)
    paid = CAL.add_working_days(notice, min(paid_after, 20))
    events = [ev(EventKind.FEE_NOTICE, notice, pay_by=pay_by.isoformat())]
    waiting = rules.derive_status(received, events, CAL)
    assert waiting.state == State.AWAITING_FEE and waiting.due_on == pay_by
    status = rules.derive_status(received, [*events, ev(EventKind.FEE_PAID, paid)], CAL)
    assert status.due_on is not None
    assert CAL.count_working_days(received, status.due_on) == 20 + min(paid_after, 20)


def test_provisional_years_are_flagged() -> None:
    status = rules.derive_status(D(2027, 12, 20), [], CAL)  # beyond chinesecalendar, nothing entered
    assert status.reply is not None and status.reply.provisional
    assert "临时" in status.explanation_dict()["text"]


# -- impossible orders ------------------------------------------------------------------------------------

R = D(2025, 3, 3)  # a Monday with no holiday for weeks


def check(events: list[EventFact], new: EventFact, today: dt.date = TODAY) -> rules.Status:
    return rules.check_event(R, [ev(EventKind.RECEIVED, R), *events], new, CAL, today)


def test_event_dates_in_the_future_or_before_receipt_are_refused() -> None:
    with pytest.raises(RuleError, match="晚于今天"):
        check([], ev(EventKind.REPLIED, D(2026, 7, 1), reply_kind=ReplyKind.DISCLOSED))
    with pytest.raises(RuleError, match="早于收到申请之日"):
        check([], ev(EventKind.REPLIED, D(2025, 3, 2), reply_kind=ReplyKind.DISCLOSED))


def test_events_must_be_in_date_order() -> None:
    consult = ev(EventKind.CONSULTATION_STARTED, D(2025, 3, 10), party="agency")
    with pytest.raises(RuleError, match="时间顺序"):
        check([consult], ev(EventKind.CONSULTATION_ENDED, D(2025, 3, 7), opinion="agree"))


def test_correction_once_and_within_seven_working_days() -> None:
    by = D(2025, 4, 1).isoformat()
    check([], ev(EventKind.CORRECTION_REQUESTED, D(2025, 3, 12), correct_by=by))  # 7th working day: allowed
    with pytest.raises(RuleError, match="7个工作日"):
        check([], ev(EventKind.CORRECTION_REQUESTED, D(2025, 3, 13), correct_by=by))
    asked = ev(EventKind.CORRECTION_REQUESTED, D(2025, 3, 5), correct_by=by)
    corrected = ev(EventKind.CORRECTED, D(2025, 3, 6))
    with pytest.raises(RuleError, match="一次性"):
        check([asked, corrected], ev(EventKind.CORRECTION_REQUESTED, D(2025, 3, 7), correct_by=by))


def test_lapse_only_after_the_correction_deadline() -> None:
    asked = ev(EventKind.CORRECTION_REQUESTED, D(2025, 3, 5), correct_by="2025-03-26")
    with pytest.raises(RuleError, match="尚未届满"):
        check([asked], ev(EventKind.CORRECTION_LAPSED, D(2025, 3, 26), reply_kind=ReplyKind.OTHER_NO_CORRECTION))
    status = check([asked], ev(EventKind.CORRECTION_LAPSED, D(2025, 3, 27), reply_kind=ReplyKind.OTHER_NO_CORRECTION))
    assert status.state == State.AWAITING_CORRECTION


def test_one_extension_of_at_most_twenty_days_before_the_period_ends() -> None:
    with pytest.raises(RuleError, match="1至20"):
        check([], ev(EventKind.EXTENSION, D(2025, 3, 20), days=21))
    first = ev(EventKind.EXTENSION, D(2025, 3, 20), days=10)
    with pytest.raises(RuleError, match="只能延长一次"):
        check([first], ev(EventKind.EXTENSION, D(2025, 3, 21), days=5))
    with pytest.raises(RuleError, match="已过"):
        check([], ev(EventKind.EXTENSION, D(2025, 4, 1), days=5))  # period ended 2025-03-31


def test_reply_needs_the_open_steps_settled_first() -> None:
    asked = ev(EventKind.CORRECTION_REQUESTED, D(2025, 3, 5), correct_by="2025-03-26")
    with pytest.raises(RuleError, match="待补正"):
        check([asked], ev(EventKind.REPLIED, D(2025, 3, 10), reply_kind=ReplyKind.DISCLOSED))
    consult = ev(EventKind.CONSULTATION_STARTED, D(2025, 3, 5), party="third_party")
    with pytest.raises(RuleError, match="征求意见"):
        check([consult], ev(EventKind.REPLIED, D(2025, 3, 10), reply_kind=ReplyKind.DISCLOSED))
    with pytest.raises(RuleError, match="补正后"):
        check([], ev(EventKind.REPLIED, D(2025, 3, 10), reply_kind=ReplyKind.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION))


def test_nothing_after_closing_and_only_closing_after_a_reply() -> None:
    replied = ev(EventKind.REPLIED, D(2025, 3, 10), reply_kind=ReplyKind.DISCLOSED)
    with pytest.raises(RuleError, match="已作出答复"):
        check([replied], ev(EventKind.EXTENSION, D(2025, 3, 11), days=5))
    with pytest.raises(RuleError, match="尚未答复"):
        check([], ev(EventKind.CLOSED, D(2025, 3, 11)))
    closed = ev(EventKind.CLOSED, D(2025, 3, 11))
    with pytest.raises(RuleError, match="已办结"):
        check([replied, closed], ev(EventKind.CLOSED, D(2025, 3, 12)))


@settings(max_examples=60)
@given(st.lists(st.sampled_from([EventKind.CORRECTION_REQUESTED, EventKind.CORRECTED, EventKind.CONSULTATION_STARTED,
                                 EventKind.CONSULTATION_ENDED, EventKind.EXTENSION, EventKind.REPLIED,
                                 EventKind.CLOSED]), max_size=8),
       st.lists(st.integers(0, 6), min_size=8, max_size=8))
def test_accepted_histories_never_reply_before_receipt_or_extend_twice(kinds: list[str], gaps: list[int]) -> None:
    """Whatever order staff try, what the rules accept is a history the statute allows."""
    events = [ev(EventKind.RECEIVED, R)]
    day = R
    for kind, gap in zip(kinds, gaps, strict=False):
        day = CAL.add_working_days(day, gap)
        data: dict[str, object] = {"correct_by": CAL.add_working_days(day, 10).isoformat(), "days": 10,
                                   "party": "third_party", "opinion": "agree", "reply_kind": ReplyKind.DISCLOSED}
        new = EventFact(kind, day, data)
        try:
            rules.check_event(R, events, new, CAL, TODAY)
        except RuleError:
            continue
        events.append(new)
    assert sum(e.kind == EventKind.EXTENSION for e in events) <= 1
    assert sum(e.kind == EventKind.CORRECTION_REQUESTED for e in events) <= 1
    assert sum(e.kind == EventKind.REPLIED for e in events) <= 1
    assert all(e.on >= R for e in events)
    assert [e.on for e in events] == sorted(e.on for e in events)
    final = rules.derive_status(R, events, CAL)
    if any(e.kind == EventKind.CLOSED for e in events):
        assert final.state == State.CLOSED and final.replied_on is not None
