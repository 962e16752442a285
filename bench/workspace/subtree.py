"""What a supervisor's pages cost over a whole tree: the self-inspection ranking, the annual-report dashboards and
the home page of the administrator of the top of a 2,000-organisation province.

    export GONGKAI_DATA_DIR=/tmp/gk-subtree        # an empty data directory
    .venv/bin/gongkai migrate
    .venv/bin/python bench/workspace/subtree.py --orgs 2000 [--runs 15]

On first use it builds the province (`gongkai seed-scale --items 0 --orgs N`) and gives it a year of history in
bulk: a recorded self-inspection run per organisation per week (52 each; a quarter of the organisations failing
a veto), a stored disclosure and website report on last year for two thirds of them (half of those published),
one overdue application and one overdue letter for every tenth. Then, for each page, the median wall time of
`--runs` requests through Django's test client (in process: the full view, template and middleware, no
network), and the number of SQL queries. For scale, the cost of what the ranking did before: inspecting one
organisation once (it inspected every direct child 12 times per request).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.accounts.login import mark_second_factor  # noqa: E402
from gongkai.applications.models import Applicant, Application  # noqa: E402
from gongkai.inspection.evaluate import inspect  # noqa: E402
from gongkai.inspection.models import InspectionRun  # noqa: E402
from gongkai.interaction.models import Letter  # noqa: E402
from gongkai.orgs.models import Membership, Organisation, Role  # noqa: E402
from gongkai.reports import services as report_services  # noqa: E402
from gongkai.reports.models import AnnualReport  # noqa: E402
from gongkai.reports.spec import families  # noqa: E402

TODAY = timezone.localdate()
YEAR = TODAY.year - 1


def build(orgs: int) -> None:
    call_command("seed-scale", items=0, orgs=orgs, workers=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    every = list(Organisation.objects.order_by("path"))
    root = every[0]
    user_model = get_user_model()
    admin = user_model.objects.create_user("bench-supervisor", password="x")  # noqa: S106 - a throwaway database
    Membership.objects.create(user=admin, organisation=root, role=Role.ADMIN)
    editor = user_model.objects.create_user("bench-editor", password="x")  # noqa: S106
    Membership.objects.create(user=editor, organisation=every[1], role=Role.EDITOR)
    with transaction.atomic():
        runs = []
        for k, org in enumerate(every):
            failing = k % 4 == 0
            for week in range(52):
                runs.append(InspectionRun(
                    organisation=org, at=TODAY - dt.timedelta(days=7 * week), passed=not failing,
                    vetoes=["columns_not_updated"] if failing else [],
                    problems=[f"columns_not_updated:c{i}" for i in range(5)] + ["dead_links:x"] if failing else [],
                    points_lost=1 if failing else 0,
                ))
        InspectionRun.objects.bulk_create(runs, batch_size=5000)
        templates = {f: report_services.create_draft(editor, every[1], YEAR, family=f)[0] for f in families()}
        AnnualReport.objects.filter(pk__in=[t.pk for t in templates.values()]).delete()
        published_at = timezone.make_aware(dt.datetime(YEAR + 1, 1, 10, 9))
        AnnualReport.objects.bulk_create([
            AnnualReport(organisation=org, year=YEAR, family=f, edition=t.edition, document=t.document,
                         dashboard_summary=t.dashboard_summary,
                         status="published" if k % 2 else "draft", published_at=published_at if k % 2 else None)
            for k, org in enumerate(every[1:]) if k % 3 for f, t in templates.items()
        ], batch_size=500)
        received = TODAY - dt.timedelta(days=60)
        for k, org in enumerate(every[1::10]):
            applicant = Applicant.objects.create(kind="natural_person", name="申请人", id_type="居民身份证",
                                                 id_number=f"B{k}", identity_digest=f"b{k}", phone="0000-1")
            Application.objects.create(
                organisation=org, number=f"YSQ-bench-{k}", year=received.year, serial=k, applicant=applicant,
                applicant_kind="natural_person", channel="online", arrived_on=received, received_on=received,
                subject="逾期申请", description="d", form_wanted="paper", delivery="post",
                due_on=TODAY - dt.timedelta(days=5),
            )
            Letter.objects.create(organisation=org, tracking_number=f"BENCH-{k}", secret_hash="x", kind="consult",  # noqa: S106
                                  subject="逾期来信", body="b", writer_name="某", due_on=TODAY - dt.timedelta(days=3))


def timed(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: the database's pages in memory, as on a server that has been running
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    if not Organisation.objects.filter(code="sc").exists():
        started = time.perf_counter()
        build(options.orgs)
        print(f"built in {time.perf_counter() - started:.0f} s")
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name their static files
    settings.ALLOWED_HOSTS = ["*"]
    root = Organisation.objects.get(code="sc")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-supervisor"))
    session = client.session
    mark_second_factor(session, "bench")  # type: ignore[arg-type]
    session.save()
    below = Organisation.objects.filter(path__startswith=root.path).count() - 1
    print(f"{connection.vendor}; {below:,} organisations below {root.code}; {InspectionRun.objects.count():,} runs; "
          f"{AnnualReport.objects.count():,} reports; median of {options.runs}, ms")
    print("| page | median ms | queries | bytes |")
    print("|---|---:|---:|---:|")
    for name, url in [
        ("ranking (网站自查排名)", f"/workspace/inspection/{root.code}/children/"),
        ("disclosure dashboard (督查看板)", f"/workspace/reports/{root.code}/{YEAR}/dashboard/"),
        ("website dashboard", f"/workspace/reports/website/{root.code}/{YEAR}/dashboard/"),
        ("home with what waits below", "/workspace/"),
    ]:
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        ms = timed(lambda url=url: client.get(url), options.runs)
        print(f"| {name} | {ms:.0f} | {len(queries)} | {len(response.content):,} |")
    leaf = Organisation.objects.filter(parent=root).first()
    assert leaf is not None
    ms = timed(lambda: inspect(leaf, TODAY), max(3, options.runs // 3))
    print(f"| before: one inspection of one organisation | {ms:.0f} | | |")


if __name__ == "__main__":
    main()
