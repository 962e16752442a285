"""Annual-report counts: 一 + 二 = 三（七）总计 + 四 per column, over random event histories, and T4."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications import rules, selectors
from gongkai.applications.models import Appeal, ApplicantKind, EventKind, ReplyKind
from gongkai.applications.rules import EventFact, RuleError
from gongkai.applications.selectors import T3_COLUMNS, T3_RESULT_ROWS, CountRecord, count_t3, count_t4
from gongkai.core.calendar import DEFAULT_CALENDAR as CAL

TODAY = dt.date(2026, 11, 20)
STEP_KINDS = [EventKind.CORRECTION_REQUESTED, EventKind.CORRECTED, EventKind.CORRECTION_LAPSED,
              EventKind.CONSULTATION_STARTED, EventKind.CONSULTATION_ENDED, EventKind.EXTENSION,
              EventKind.FEE_NOTICE, EventKind.FEE_PAID, EventKind.FEE_LAPSED, EventKind.REPLIED]


@st.composite
def histories(draw: st.DrawFn) -> CountRecord:
    """One application: a receipt day and a random sequence of attempted steps, kept where the rules allow."""
    received = draw(st.dates(min_value=dt.date(2023, 10, 1), max_value=dt.date(2026, 10, 1)))
    events: list[EventFact] = [EventFact(EventKind.RECEIVED, received)]
    day = received
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(STEP_KINDS))
        day = CAL.add_working_days(day, draw(st.integers(0, 30)))
        data = {"correct_by": CAL.add_working_days(day, 10).isoformat(), "pay_by": CAL.add_working_days(day, 20).isoformat(),
                "days": 10, "party": "third_party", "opinion": "agree",
                "reply_kind": draw(st.sampled_from([k for k in ReplyKind.values
                                                    if k not in ("other_no_correction", "other_fee_unpaid")]))}
        if kind == EventKind.CORRECTION_LAPSED:
            data["reply_kind"] = ReplyKind.OTHER_NO_CORRECTION
        if kind == EventKind.FEE_LAPSED:
            data["reply_kind"] = ReplyKind.OTHER_FEE_UNPAID
        new = EventFact(kind, day, data)
        try:
            rules.check_event(received, events, new, CAL, TODAY)
        except RuleError:
            continue
        events.append(new)
    status = rules.derive_status(received, events, CAL)
    return CountRecord(draw(st.sampled_from(ApplicantKind.values)), received, status.replied_on, status.reply_kind)


def assert_identities(table: dict[str, dict[str, int]]) -> None:
    for column in T3_COLUMNS:
        assert table["new"][column] + table["carried_over"][column] == (
            table["results_total"][column] + table["carried_forward"][column])
        assert table["results_total"][column] == sum(table[row][column] for row in T3_RESULT_ROWS)
    for row, cells in table.items():
        assert cells["total"] == sum(cells[c] for c in ApplicantKind.values), row


@settings(max_examples=150, deadline=None)
@given(st.lists(histories(), max_size=25), st.integers(2023, 2027))
def test_t3_identity_holds_per_column_over_random_histories(records: list[CountRecord], year: int) -> None:
    table = count_t3(records, year)
    assert_identities(table)


@settings(max_examples=60, deadline=None)
@given(st.lists(histories(), max_size=25), st.integers(2024, 2026))
def test_carried_forward_is_next_years_carried_over(records: list[CountRecord], year: int) -> None:
    assert count_t3(records, year)["carried_forward"] == count_t3(records, year + 1)["carried_over"]


def test_an_application_open_across_the_year_end_counts_in_both_years() -> None:
    record = CountRecord(ApplicantKind.RESEARCH, dt.date(2024, 12, 20), dt.date(2025, 1, 15), ReplyKind.DISCLOSED)
    y2024, y2025 = count_t3([record], 2024), count_t3([record], 2025)
    assert y2024["new"]["research"] == 1 and y2024["carried_forward"]["research"] == 1
    assert y2024["results_total"]["total"] == 0
    assert y2025["carried_over"]["research"] == 1 and y2025["disclosed"]["research"] == 1
    assert y2025["new"]["total"] == 0


def test_t4_counts_by_kind_and_outcome_known_at_year_end() -> None:
    rows = [
        (Appeal.Kind.RECONSIDERATION, dt.date(2025, 3, 1), dt.date(2025, 5, 1), Appeal.Outcome.UPHELD),
        (Appeal.Kind.RECONSIDERATION, dt.date(2025, 11, 1), dt.date(2026, 2, 1), Appeal.Outcome.CORRECTED),
        (Appeal.Kind.LITIGATION_DIRECT, dt.date(2025, 6, 1), None, Appeal.Outcome.PENDING),
        (Appeal.Kind.LITIGATION_AFTER, dt.date(2025, 7, 1), dt.date(2025, 9, 1), Appeal.Outcome.OTHER),
    ]
    y2025 = count_t4(rows, 2025)
    assert (y2025["review_upheld"], y2025["review_pending"], y2025["review_total"]) == (1, 1, 2)
    assert (y2025["direct_pending"], y2025["direct_total"]) == (1, 1)
    assert (y2025["after_review_other"], y2025["after_review_total"]) == (1, 1)
    y2026 = count_t4(rows, 2026)
    assert (y2026["review_corrected"], y2026["review_total"], y2026["direct_pending"]) == (1, 1, 1)
    for group in ("review", "direct", "after_review"):
        assert y2026[f"{group}_total"] == sum(y2026[f"{group}_{o}"] for o in ("upheld", "corrected", "other", "pending"))


@pytest.mark.django_db
def test_selectors_read_the_database(org: object) -> None:
    from gongkai.applications.models import Applicant, Application

    for i, (received, replied, kind) in enumerate([
        (dt.date(2024, 12, 30), dt.date(2025, 1, 20), ReplyKind.PARTLY_DISCLOSED),
        (dt.date(2025, 3, 3), None, ""),
        (dt.date(2025, 4, 1), dt.date(2025, 4, 10), ReplyKind.OTHER_FEE_UNPAID),
    ]):
        applicant = Applicant.objects.create(kind=ApplicantKind.COMMERCIAL, name="示例公司", id_type="统一社会信用代码",
                                             id_number=f"91999900MA0000000{i}", identity_digest=str(i), phone="0000-1")
        Application.objects.create(organisation=org, number=f"YSQ-t-{i}", year=received.year, serial=i, applicant=applicant,
                                   applicant_kind=ApplicantKind.COMMERCIAL, channel="online", arrived_on=received,
                                   received_on=received, subject="s", description="d", form_wanted="paper",
                                   delivery="post", replied_on=replied, reply_kind=kind)
    table = selectors.t3_counts(org, 2025)  # type: ignore[arg-type]
    assert table["carried_over"]["commercial"] == 1 and table["new"]["commercial"] == 2
    assert table["partly_disclosed"]["commercial"] == 1 and table["other_fee_unpaid"]["commercial"] == 1
    assert table["carried_forward"]["total"] == 1
    assert_identities(table)
