"""The demo city's reports: every organisation, 2024 and 2025, both editions, no identity fails.

A small equivalent of `gongkai demo` (the full one takes minutes): the demo's organisations and staff, a few
items per organisation, application figures drawn as real flows (each application received, then replied
or carried forward), then the reports stage itself.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from gongkai.demo import city as orgs_demo
from gongkai.demo import reports as reports_demo
from gongkai.orgs.models import Organisation
from gongkai.reports import selectors, sources
from gongkai.reports.check import check_identities, check_report
from gongkai.reports.compute import compute_report
from gongkai.reports.models import AnnualReport
from tests.reports.factories import at, make_column, make_item

TODAY = dt.date(2026, 11, 25)
RESULTS = ("disclosed", "partly_disclosed", "withheld_third_party", "unavailable_not_held",
           "not_processed_repeat", "other_no_correction", "other_misc")


def _flows(org: Organisation, year: int) -> sources.ApplicationFigures:
    """Figures as the applications app counts them: each application is new or carried over, then has one result
    or is carried forward; so table 三's identities hold by construction, as they must for real data."""
    rng = random.Random(f"{org.code}:{year}")
    t3 = {row: dict.fromkeys(sources.APPLICANT_COLUMNS, 0)
          for row in ("new", "carried_over", *RESULTS, "carried_forward")}
    for _ in range(rng.randint(0, 40)):
        column = rng.choice(sources.APPLICANT_COLUMNS)
        t3[rng.choice(["new", "new", "new", "carried_over"])][column] += 1
        t3[rng.choice([*RESULTS, "carried_forward"])][column] += 1
    t4 = {f"{k}_{o}": rng.randint(0, 2) for k in sources.APPEAL_KINDS for o in sources.APPEAL_OUTCOMES}
    return sources.ApplicationFigures(t3=t3, t4=t4)


@pytest.mark.django_db
def test_every_demo_organisation_reports_2024_and_2025_without_identity_failures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = orgs_demo.DemoContext(seed=2024, today=TODAY)
    orgs_demo.build(ctx)
    for org in ctx.orgs.values():
        policies = make_column(org, "zcwj", "政策文件")
        news = make_column(org, "gzdt", "工作动态")
        for year in (2024, 2025):
            doc = make_item(policies, f"{org.short_name}{year}年规范性文件", at(year, 4), is_normative=True,
                            is_policy=True, validity="valid")
            make_item(policies, f"{org.short_name}{year}年解读", at(year, 4, 2), interprets=doc,
                      interpretation_form="graphic")
            make_item(news, f"{org.short_name}{year}年动态", at(year, 5))
    monkeypatch.setattr(sources, "application_figures", _flows)
    reports_demo.build(ctx)

    stored = AnnualReport.objects.all()
    assert stored.filter(status="published").count() == 2 * len(ctx.orgs) - 1
    assert stored.filter(status="draft").get().organisation.code == reports_demo.DRAFT_2025
    for report in stored:  # what the demo stored passes every check, prose included
        assert check_report(selectors.document_of(report)) == [], report
    for org in ctx.orgs.values():
        for year in (2024, 2025):
            for edition in ("2021", "2019"):
                document = compute_report(org, year, edition, today=TODAY).document
                assert check_identities(document) == [], (org.code, year, edition)
                assert [f.section for f in check_report(document)] == ["五"]  # staff write 五
    board = selectors.dashboard(ctx.orgs[orgs_demo.SCIENCE_BUREAU], 2025, today=TODAY)
    states = {r.organisation.code: r.status for r in board.rows}
    assert states == {"dhqkjj": "published", reports_demo.DRAFT_2025: "draft", "nxxkjj": "published"}
    late = selectors.dashboard(ctx.orgs[orgs_demo.CITY], 2024, today=TODAY).late_rows
    assert [r.organisation.code for r in late] == [reports_demo.LATE_2024]
