"""`gongkai demo` then `gongkai inspect` on every organisation: the neglected county bureau shows every planted
defect, the others pass every indicator the demo controls (slow: builds the whole demo city once)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from gongkai.demo.inspection import EMPTY_COLUMN, NEGLECTED, STALE_COLUMNS
from gongkai.inspection.evaluate import Status, inspect
from gongkai.orgs.models import Organisation
from gongkai.sites.selectors import site_of

# The annual reports are the reports stage's business; the demo publishes none by its statutory date.
OUTSIDE_THE_INSPECTION_DEMO: set[str] = set()


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def inspections(demo: None, db: None) -> dict[str, Any]:
    from django.utils import timezone

    return {org.code: inspect(org, timezone.localdate()) for org in Organisation.objects.all()}


def test_the_neglected_bureau_shows_every_planted_defect(inspections: dict[str, Any]) -> None:
    result = {r.indicator.key: r for r in inspections[NEGLECTED].results}
    assert result["columns_not_updated"].status == Status.FAIL
    stale = {f.label for f in result["columns_not_updated"].findings}
    assert {name for _slug, name, *_rest in STALE_COLUMNS} <= stale
    assert EMPTY_COLUMN[1] in {f.label for f in result["empty_columns"].findings}
    assert result["letters_unanswered"].status == Status.FAIL and len(result["letters_unanswered"].findings) == 1
    assert result["dead_links"].status == Status.DEDUCT
    assert any("/org/xlxkjj/kjxm/" in f.detail for f in result["dead_links"].findings)
    assert result["annual_report_late"].status != Status.PASS  # its 2025 report is still a draft
    assert result["website_report_late"].status != Status.PASS  # and its 2025 website report missing
    assert not inspections[NEGLECTED].passed


def test_the_other_organisations_pass(inspections: dict[str, Any]) -> None:
    for code, inspection in inspections.items():
        if code == NEGLECTED:
            continue
        problems = [(r.indicator.key, r.summary) for r in inspection.problems
                    if r.indicator.key not in OUTSIDE_THE_INSPECTION_DEMO]
        assert problems == [], code
        assert inspection.passed, code


def test_sites_of_the_demo_city(demo: None, db: None) -> None:
    education = site_of(Organisation.objects.get(code="mcjyj"))
    assert education.is_main and education.hosts[0] == "www.mc.localhost"  # hosted by the city portal
    assert education.convention("site_code") == "9999000001"
    bureau = site_of(Organisation.objects.get(code="mckjj"))
    assert bureau.hosts == ("kjj.mc.localhost",) and bureau.convention("site_code") == "9999000002"
    assert site_of(Organisation.objects.get(code="nxxkjj")) == bureau  # a county bureau below it, no site of its own
    assert site_of(Organisation.objects.get(code=NEGLECTED)).convention("site_code") == "9999000102"


def test_the_city_ranks_the_neglected_bureau_first_from_this_weeks_runs(
    demo: None, db: None, inspections: dict[str, Any],
) -> None:
    from django.utils import timezone

    from gongkai.inspection.selectors import subtree_ranking

    city = Organisation.objects.get(parent__isnull=True)
    ranking = subtree_ranking(city, timezone.localdate())
    assert [g.level.label for g in ranking.levels] == ["市级部门", "区县部门"]
    worst = ranking.worst[0]
    assert worst.organisation.code == NEGLECTED and worst.run is not None and worst.run.at == timezone.localdate()
    # The stored run says what inspecting now says.
    assert [i.key for i in worst.vetoes] == [r.indicator.key for r in inspections[NEGLECTED].vetoes]
    assert worst.points_lost == inspections[NEGLECTED].points_lost
    assert [r.organisation.code for r in ranking.worst] == [NEGLECTED]
