"""A supervisor sees every organisation below it, grouped by level: the self-inspection ranking (from the recorded
runs), the annual-report dashboard, and what waits below on the home page; each in a number of queries that does
not grow with the number of organisations."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.applications.models import Applicant, Application
from gongkai.inspection import selectors as inspection_selectors
from gongkai.inspection.models import InspectionRun
from gongkai.interaction.models import Letter
from gongkai.orgs.models import Organisation, Role
from gongkai.reports import selectors as report_selectors
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport
from tests.portal.factories import make_org
from tests.reports.factories import member

GOV, DEPT = Organisation.Kind.GOVERNMENT, Organisation.Kind.DEPARTMENT
TODAY = timezone.localdate()
YEAR = TODAY.year - 1  # the reports due early this year
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _today() -> None:
    """Today as the code under test sees it, read when each test starts: a value read when the module was
    collected is yesterday's for a test that runs after midnight in Beijing (16:00 UTC)."""
    global TODAY, YEAR
    TODAY = timezone.localdate()
    YEAR = TODAY.year - 1


@pytest.fixture
def tree(db: None, make_user: Any) -> dict[str, Any]:
    city = make_org("city", "明川市人民政府", kind=GOV)
    kjj = make_org("kjj", "明川市科学技术局", city, kind=DEPT)
    county = make_org("xlx", "西岭县人民政府", city, kind=GOV)
    return {
        "city": city, "kjj": kjj, "county": county,
        "bureau": make_org("xlxkjj", "西岭县科学技术局", kjj, kind=DEPT),
        "county_dept": make_org("xljyj", "西岭县教育局", county, kind=DEPT),
        "admin": member(make_user("cityadmin"), city, Role.ADMIN),
        "editor": member(make_user("cityeditor"), city, Role.EDITOR),
        "kjj_editor": member(make_user("kjjeditor"), kjj, Role.EDITOR),
    }


def record(org: Organisation, at: dt.date, *, vetoes: tuple[str, ...] = (), problems: tuple[str, ...] = (),
           points: int = 0) -> InspectionRun:
    """A run as the weekly job stores it (the ranking reads these; it never inspects)."""
    return InspectionRun.objects.create(organisation=org, at=at, passed=not vetoes, vetoes=list(vetoes),
                                        problems=list(problems), points_lost=points)


def overdue_application(org: Organisation) -> Application:
    n = next(_serial)
    applicant = Applicant.objects.create(kind="natural_person", name="申请人", id_type="居民身份证",
                                         id_number=f"ID{n}", identity_digest=f"d{n}", phone="0000-1")
    received = TODAY - dt.timedelta(days=60)
    return Application.objects.create(
        organisation=org, number=f"YSQ-sub-{n}", year=received.year, serial=n, applicant=applicant,
        applicant_kind="natural_person", channel="online", arrived_on=received, received_on=received,
        subject=f"逾期申请{n}", description="d", form_wanted="paper", delivery="post",
        due_on=TODAY - dt.timedelta(days=10),
    )


def overdue_letter(org: Organisation) -> Letter:
    n = next(_serial)
    return Letter.objects.create(
        organisation=org, tracking_number=f"XX-sub-{n}", secret_hash="x", kind=Letter.Kind.CONSULT,
        subject=f"逾期来信{n}", body="b", writer_name="某", due_on=TODAY - dt.timedelta(days=3),
    )


def stored_report(org: Organisation, template: AnnualReport, *, published: bool) -> AnnualReport:
    return AnnualReport.objects.create(
        organisation=org, year=YEAR, family=template.family, edition=template.edition, document=template.document,
        dashboard_summary=template.dashboard_summary,
        status=AnnualReport.Status.PUBLISHED if published else AnnualReport.Status.DRAFT,
        published_at=timezone.make_aware(dt.datetime(YEAR + 1, 1, 10, 9)) if published else None,
    )


def test_the_ranking_covers_every_level_from_the_recorded_runs(tree: dict[str, Any]) -> None:
    record(tree["kjj"], TODAY)
    record(tree["county"], TODAY - dt.timedelta(days=30))  # out of date
    record(tree["bureau"], TODAY - dt.timedelta(days=7), problems=("dead_links:x",), points=1)
    record(tree["bureau"], TODAY, vetoes=("columns_not_updated", "empty_columns"),
           problems=("columns_not_updated:a", "columns_not_updated:b", "empty_columns:c", "dead_links:x"), points=1)
    ranking = inspection_selectors.subtree_ranking(tree["city"], TODAY)
    assert [(g.level.label, [r.organisation.code for r in g.rows]) for g in ranking.levels] == [
        ("市级部门", ["kjj"]), ("区县", ["xlx"]), ("区县部门", ["xlxkjj", "xljyj"]),  # never inspected: last
    ]
    bureau = ranking.levels[2].rows[0]
    assert [i.key for i in bureau.vetoes] == ["columns_not_updated", "empty_columns"]
    assert [i.key for i in bureau.problems] == ["columns_not_updated", "empty_columns", "dead_links"]
    assert ranking.levels[2].rows[1].run is None and ranking.levels[2].unrecorded == 1
    assert ranking.levels[1].rows[0].stale and not ranking.levels[0].rows[0].stale
    assert [r.organisation.code for r in ranking.worst] == ["xlxkjj"]
    assert [n for _d, n in ranking.trend[0].points][-1] == 3
    # As of a week ago, the bureau's earlier run counts.
    earlier = inspection_selectors.subtree_ranking(tree["city"], TODAY - dt.timedelta(days=7))
    assert earlier.levels[2].rows[0].vetoes == [] and earlier.levels[2].rows[0].points_lost == 1

    client = Client()
    client.force_login(tree["admin"])
    page = client.get("/workspace/inspection/city/children/").content.decode()
    assert "西岭县科学技术局" in page and "区县部门" in page and "最需关注" in page and "栏目不更新" in page
    assert "记录较旧" in page and "尚无自查记录" in page
    assert page.index("西岭县科学技术局") < page.index("西岭县教育局")
    assert client.get("/workspace/inspection/city/children/?at=2999-01-01").status_code == 400


def test_a_member_who_does_not_administer_sees_no_one_below(tree: dict[str, Any]) -> None:
    record(tree["bureau"], TODAY, vetoes=("empty_columns",), problems=("empty_columns:c",))
    client = Client()
    client.force_login(tree["editor"])
    page = client.get("/workspace/inspection/city/children/").content.decode()
    assert "西岭县科学技术局" not in page and "没有下级机构" in page


def test_the_dashboard_covers_every_level(tree: dict[str, Any]) -> None:
    draft, _w = report_services.create_draft(tree["kjj_editor"], tree["kjj"], YEAR)
    AnnualReport.objects.filter(pk=draft.pk).update(
        status=AnnualReport.Status.PUBLISHED, published_at=timezone.make_aware(dt.datetime(YEAR + 1, 1, 10, 9)))
    stored_report(tree["bureau"], draft, published=False)
    board = report_selectors.dashboard(tree["city"], YEAR, today=TODAY)
    assert [(g.level.label, [r.organisation.code for r in g.rows]) for g in board.levels] == [
        ("市级部门", ["kjj"]), ("区县", ["xlx"]), ("区县部门", ["xlxkjj", "xljyj"]),
    ]
    counts = {g.level.label: (g.published, g.missing, g.late) for g in board.levels}
    assert counts == {"市级部门": (1, 0, 0), "区县": (0, 1, 1), "区县部门": (0, 2, 2)}
    in_march = report_selectors.dashboard(tree["city"], YEAR, today=dt.date(YEAR + 1, 3, 1))
    assert [g.late for g in in_march.levels] == [0, 0, 2]  # a government's is due 31 March, a bureau's 31 January
    assert board.rows[0].figures and board.rows[1].values == [None] * len(board.labels)
    client = Client()
    client.force_login(tree["admin"])
    page = client.get(f"/workspace/reports/city/{YEAR}/dashboard/").content.decode()
    assert "各层级概况" in page and "西岭县科学技术局" in page and "区县部门（2）" in page
    website = client.get(f"/workspace/reports/website/city/{YEAR}/dashboard/")
    assert website.status_code == 200 and "西岭县教育局" in website.content.decode()


def test_the_supervisors_home_shows_what_waits_below(tree: dict[str, Any]) -> None:
    app = overdue_application(tree["bureau"])
    letter = overdue_letter(tree["county_dept"])
    overdue_application(tree["city"])  # the city's own: its own lists, not "below"
    client = Client()
    client.force_login(tree["admin"])
    page = client.get("/workspace/").content.decode()
    assert "明川市人民政府以下各单位待办" in page
    assert f"/workspace/applications/{app.pk}/" in page and f"/workspace/interaction/letters/{letter.pk}/" in page
    assert "逾期未答复的申请（共 1 件" in page and "逾期未答复的来信（共 1 件" in page
    assert f"/workspace/reports/xlxkjj/{YEAR}/" in page  # no report on last year, past 31 January
    assert f"/workspace/reports/website/xlxkjj/{YEAR}/" in page
    assert client.get(f"/workspace/applications/{app.pk}/").status_code == 200  # the link opens for them
    client.force_login(tree["editor"])
    assert "以下各单位待办" not in client.get("/workspace/").content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_tree(tree: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    template, _w = report_services.create_draft(tree["kjj_editor"], tree["kjj"], YEAR)
    pages = ["/workspace/inspection/city/children/", f"/workspace/reports/city/{YEAR}/dashboard/", "/workspace/"]

    def grow(n: int) -> None:
        for i in range(n):
            parent = [tree["city"], tree["kjj"], tree["county"]][i % 3]
            org = make_org(f"g{next(_serial)}", f"第{i}单位", parent, kind=GOV if i % 5 == 0 else DEPT)
            record(org, TODAY - dt.timedelta(days=i), vetoes=("empty_columns",) if i % 4 == 0 else (),
                   problems=("empty_columns:c",) if i % 4 == 0 else (), points=i % 3)
            stored_report(org, template, published=i % 2 == 0)
            overdue_application(org)
            overdue_letter(org)

    grow(3)
    client = Client()
    client.force_login(tree["admin"])
    baseline = {url: _queries(client, url) for url in pages}
    grow(30)
    assert Organisation.objects.count() > 35
    for url in pages:
        with django_assert_max_num_queries(baseline[url]):
            client.get(url)


def test_a_large_level_tables_what_needs_attention_and_names_the_rest(
    tree: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inspection_selectors, "FULL_LEVEL_ROWS", 1)
    monkeypatch.setattr("gongkai.workspace.acting.ROW_LIMIT", 1)
    record(tree["bureau"], TODAY, vetoes=("empty_columns",), problems=("empty_columns:c",))
    record(tree["county_dept"], TODAY, problems=("dead_links:x",), points=1)
    quiet = make_org("xlwjj", "西岭县文旅局", tree["county"], kind=DEPT)
    record(quiet, TODAY)
    client = Client()
    client.force_login(tree["admin"])
    page = client.get("/workspace/inspection/city/children/").content.decode()
    assert "其余 1 个机构最近一次自查合格、未发现问题" in page and "西岭县文旅局" in page  # named, not tabled
    assert "本层级共 2 个需关注的单位，上表列出前 1 个" in page and "西岭县科学技术局" in page
    row_link = f"/workspace/inspection/xljyj/?at={TODAY.isoformat()}"  # the table's link (the other lists have none)
    assert row_link not in page
    everything = client.get("/workspace/inspection/city/children/?all=1").content.decode()
    assert row_link in everything and "上表列出前" not in everything
