"""信息报送: a department submits a published item to the city portal's column, the portal's staff accept or
refuse it through their own review steps, the copy names its source, withdrawing the source takes every copy
down, and the adoption rate and the annual report's channel counts follow from these rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Column
from gongkai.core.models import AuditEvent
from gongkai.review import services as review
from gongkai.review.models import Submission
from gongkai.review.selectors import current_task, open_submission, submissions_of
from gongkai.syndication import selectors, services
from gongkai.syndication.selectors import Status
from tests.catalog.factories import ALL_CHECKS
from tests.syndication.conftest import BUREAU, PORTAL, approve, publish

YEAR = dt.date.today().year
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


def page(path: str, host: str) -> Any:
    return Client().get(path, HTTP_HOST=host)


def test_accepted_copy_names_its_source_on_the_portal(city: dict[str, Any]) -> None:
    source = publish(city["bureau_staff"], city["bureau_column"], "市科技局召开科技创新工作推进会")
    syndication = services.submit(city["bureau_staff"]["editor"], source, city["portal_column"], note="请采用")
    assert selectors.status_of(syndication) == Status.WAITING
    # The portal's own steps decide; the bureau's staff have no say there.
    task = current_task(open_submission(syndication))
    with pytest.raises(PermissionDenied):
        review.decide(city["bureau_staff"]["first_reviewer"], task, action="approve", checks=ALL_CHECKS)
    approve(city["gov_staff"], syndication)
    syndication.refresh_from_db()
    assert selectors.status_of(syndication) == Status.ACCEPTED and syndication.copy is not None
    copy = syndication.copy
    assert copy.column == city["portal_column"] and copy.organisation == city["gov"] and copy.index_number is None

    html = page(copy.get_absolute_url(), PORTAL).content.decode()
    assert "市科技局召开科技创新工作推进会" in html and "本信息由明川市科学技术局报送。" in html
    assert source.index_number and source.index_number in html
    source_url = f"https://{BUREAU}{source.get_absolute_url()}"
    assert f'<link rel="canonical" href="{source_url}">' in html and f'class="source-link" href="{source_url}"' in html
    assert "市科技局召开科技创新工作推进会" in page("/org/mcs/bmdt/", PORTAL).content.decode()
    assert page(source.get_absolute_url(), BUREAU).status_code == 200
    assert copy.get_absolute_url() not in page("/sitemap.xml", PORTAL).content.decode()  # the source is canonical
    assert source.get_absolute_url() in page("/sitemap.xml", BUREAU).content.decode()

    # The annual report's channel counts follow from the row; the adoption rate too.
    assert catalog_selectors.channel_counts(city["bureau"], YEAR) == {"city_portal": 1}
    adoption = selectors.adoption(city["bureau"], START, END)
    assert (adoption.submitted, adoption.accepted, adoption.rate) == (1, 1, 100)
    assert {"syndication.submitted", "syndication.accepted", "catalog.copy_published"} <= set(
        AuditEvent.objects.values_list("action", flat=True))


def test_withdrawing_the_source_takes_every_copy_down(city: dict[str, Any]) -> None:
    source = publish(city["bureau_staff"], city["bureau_column"], "市科技局开展科技活动周")
    second = Column.objects.create(organisation=city["gov"], name="今日明川", slug="jrmc", update_class="news")
    accepted = [services.submit(city["bureau_staff"]["editor"], source, col) for col in (city["portal_column"], second)]
    for syndication in accepted:
        approve(city["gov_staff"], syndication)
        syndication.refresh_from_db()
    copies = [s.copy for s in accepted]
    assert all(c is not None and page(c.get_absolute_url(), PORTAL).status_code == 200 for c in copies)

    catalog_services.withdraw_item(city["bureau_staff"]["editor"], source, "内容需要更正")
    for copy in copies:
        assert copy is not None and page(copy.get_absolute_url(), PORTAL).status_code == 404
    assert page(source.get_absolute_url(), BUREAU).status_code == 404
    assert [row.status for row in selectors.of_item(source)] == [Status.WITHDRAWN, Status.WITHDRAWN]
    assert catalog_selectors.channel_counts(city["bureau"], YEAR) == {}
    assert AuditEvent.objects.filter(action="syndication.withdrawn").count() == 2


def test_submitted_twice_to_one_column_is_refused_saying_when(city: dict[str, Any]) -> None:
    source = publish(city["bureau_staff"], city["bureau_column"], "市科技局召开项目评审会")
    services.submit(city["bureau_staff"]["editor"], source, city["portal_column"])
    with pytest.raises(ValidationError, match="不能重复报送") as refused:
        services.submit(city["bureau_staff"]["admin"], source, city["portal_column"])
    assert "部门动态" in str(refused.value) and "待采用" in str(refused.value)
    assert AuditEvent.objects.filter(action="syndication.refused_again").count() == 1


def test_only_published_items_of_ones_own_go_to_a_site_above(city: dict[str, Any]) -> None:
    source = publish(city["bureau_staff"], city["bureau_column"], "市科技局召开座谈会")
    with pytest.raises(PermissionDenied):
        services.submit(city["edu_staff"]["editor"], source, city["portal_column"])
    with pytest.raises(ValidationError, match="上级机构"):
        services.submit(city["bureau_staff"]["editor"], source, city["edu_column"])  # a sibling, not above
    with pytest.raises(ValidationError, match="上级机构"):
        services.submit(city["bureau_staff"]["editor"], source, city["bureau_column"])  # its own
    catalog_services.withdraw_item(city["bureau_staff"]["editor"], source, "内容需要更正")
    source.refresh_from_db()
    with pytest.raises(ValidationError, match="已发布"):
        services.submit(city["bureau_staff"]["editor"], source, city["portal_column"])
    assert not selectors.of_item(source)


def test_refused_through_the_review_and_ranked_by_adoption_rate(city: dict[str, Any]) -> None:
    refused = services.submit(city["bureau_staff"]["editor"], publish(
        city["bureau_staff"], city["bureau_column"], "市科技局内部会议"), city["portal_column"])
    review.decide(city["gov_staff"]["first_reviewer"], current_task(open_submission(refused)), action="return",
                  checks={}, comment="内部事务，不宜在门户发布")
    assert selectors.status_of(refused) == Status.REFUSED
    taken = services.submit(city["edu_staff"]["editor"], publish(
        city["edu_staff"], city["edu_column"], "市教育局召开校园安全工作会议"), city["portal_column"])
    approve(city["gov_staff"], taken)
    ranking = selectors.ranking(city["gov"], START, END)
    assert [(a.organisation.code, a.submitted, a.accepted, a.rate) for a in ranking] == [
        ("mcjyj", 1, 1, 100), ("mckjj", 1, 0, 0)]
    assert [r.status for r in selectors.received_by(city["gov"])] == [Status.ACCEPTED, Status.REFUSED]


def test_source_withdrawn_while_its_review_runs(city: dict[str, Any]) -> None:
    source = publish(city["bureau_staff"], city["bureau_column"], "市科技局召开推进会")
    syndication = services.submit(city["bureau_staff"]["editor"], source, city["portal_column"])
    task = current_task(open_submission(syndication))
    catalog_services.withdraw_item(city["bureau_staff"]["editor"], source, "内容需要更正")
    assert submissions_of(syndication).get().status == Submission.Status.CANCELLED
    syndication.refresh_from_db()
    assert selectors.status_of(syndication) == Status.WITHDRAWN
    with pytest.raises(ValidationError, match="撤回"):
        review.decide(city["gov_staff"]["first_reviewer"], task, action="approve", checks=ALL_CHECKS)
    assert AuditEvent.objects.get(action="syndication.withdrawn").data["review_cancelled"] is True


def test_workspace_pages(city: dict[str, Any], client: Client) -> None:
    source = publish(city["bureau_staff"], city["bureau_column"], "市科技局召开推进会")
    client.force_login(city["bureau_staff"]["editor"])
    html = client.get(f"/workspace/syndication/items/{source.pk}/").content.decode()
    assert f'<option value="{city["portal_column"].pk}">明川市人民政府 · 部门动态</option>' in html
    assert "明川市教育局" not in html
    response = client.post(f"/workspace/syndication/items/{source.pk}/", {"column": city["portal_column"].pk})
    assert response.status_code == 302
    response = client.post(f"/workspace/syndication/items/{source.pk}/", {"column": city["portal_column"].pk})
    assert response.status_code == 400 and "不能重复报送" in response.content.decode()
    html = client.get("/workspace/syndication/mckjj/").content.decode()
    assert "报送 1 条，被采用 0 条。" in html and "待采用" in html
    assert client.get("/workspace/syndication/mcs/").status_code == 404  # not the bureau's to see
    client.force_login(city["gov_staff"]["approver"])
    html = client.get("/workspace/syndication/mcs/").content.decode()
    assert "市科技局召开推进会" in html and "下级单位信息采用率排名" in html
