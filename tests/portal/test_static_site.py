"""Static publishing (静态发布): files appear, change and disappear with publish, edit and withdraw; each file
holds what the application answers at its address; a rebuild writes every page and removes stale files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import services
from gongkai.catalog.models import Column, Item
from gongkai.core import public_changes
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.portal import page_cache, static_site
from gongkai.portal.static_site import Address
from gongkai.review import services as review
from gongkai.review.models import Decision
from gongkai.review.selectors import current_task, review_state
from tests.portal.factories import make_item

# Committed for real: the pages are written after commit, as in production (the test settings' task backend
# runs the task at once).
pytestmark = pytest.mark.django_db(transaction=True)
ALL_CHECKS = {f: True for f in Decision.CHECK_FIELDS}


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    settings.STATIC_SITE_DIR = str(tmp_path / "site")
    settings.STATIC_SITE_LIST_PAGES = 2
    settings.PAGE_CACHE_SECONDS = 0
    page_cache.clear()
    return tmp_path / "site"


@pytest.fixture
def setup() -> tuple[Organisation, Column, dict[str, Any]]:
    org = Organisation.objects.create(name="银川市科学技术局", code="yckjj", index_code="11640100MB1234567X")
    column = Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")
    staff = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(username=role, password="correct-horse-battery")
        Membership.objects.create(user=user, organisation=org, role=role)
        staff[role] = user
    return org, column, staff


def item_data(column: Column, title: str) -> dict[str, Any]:
    return {
        "column_id": column.pk, "title": title, "summary": "", "body": "<p>各有关单位：</p>",
        "document_number": "", "written_on": dt.date(2025, 3, 1), "topic": "11", "genre": "notice",
        "keywords": "", "source": "", "is_policy": False, "is_normative": False, "validity": "",
        "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
        "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "", "index_number": "",
    }


def approve(staff: dict[str, Any], item: Item, **submit: Any) -> None:
    services.submit_item(staff["editor"], item, **submit)
    submission = review_state(item).submission
    for role in ("first_reviewer", "secrecy_reviewer", "approver"):
        review.decide(staff[role], current_task(submission), action="approve", checks=ALL_CHECKS)


def text(root: Path, name: str) -> str:
    return (root / name).read_text(encoding="utf-8")


def test_files_appear_change_and_disappear_with_publish_edit_and_withdraw(
    root: Path, setup: Any, client: Client) -> None:
    org, column, staff = setup
    item = services.create_item(staff["editor"], org, item_data(column, "关于征集重点研发计划项目的通知"))
    approve(staff, item)
    page = f"items/{item.pk}/index.html"
    listing, home, sitemap, feed = "org/yckjj/tzgg/index.html", "index.html", "sitemap.xml", "org/yckjj/tzgg/rss.xml"
    for name in (page, listing, home, feed, "org/yckjj/index.html"):
        assert "关于征集重点研发计划项目的通知" in text(root, name), name
    assert item.get_absolute_url() in text(root, sitemap)
    # Each file is what the application answers an anonymous visitor at that address.
    for name, url in ((page, item.get_absolute_url()), (listing, column.get_absolute_url()), (home, "/"),
                      (feed, reverse("portal:column_rss", kwargs={"code": "yckjj", "slug": "tzgg"}))):
        assert (root / name).read_bytes() == client.get(url).content, name

    item = Item.objects.get(pk=item.pk)
    services.update_item(staff["editor"], item, item_data(column, "关于征集重点研发计划项目的补充通知"),
                         expected_version=item.lock_version)
    approve(staff, Item.objects.get(pk=item.pk))
    for name in (page, listing, home, feed):
        assert "关于征集重点研发计划项目的补充通知" in text(root, name), name
    assert (root / page).read_bytes() == client.get(item.get_absolute_url()).content

    services.withdraw_item(staff["editor"], Item.objects.get(pk=item.pk), "内容需要更正")
    assert not (root / page).exists()
    for name in (listing, home, feed):
        assert "重点研发计划项目" not in text(root, name), name
    assert item.get_absolute_url() not in text(root, sitemap)


def test_a_publication_writes_only_the_files_whose_pages_changed(
    root: Path, setup: Any) -> None:
    org, column, staff = setup
    other = Column.objects.create(organisation=org, name="工作动态", slug="gzdt", update_class="news")
    make_item(other, "工作动态一则")
    call_command("static-site", stdout=open("/dev/null", "w"))  # noqa: SIM115 — closed with the process
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*.*") if p.is_file() and not p.name.startswith(".")}
    item = services.create_item(staff["editor"], org, item_data(column, "新的通知"))
    approve(staff, item)
    changed = {p.relative_to(root).as_posix() for p in root.rglob("*.*")
               if p.is_file() and not p.name.startswith(".") and before.get(p) != p.stat().st_mtime_ns}
    assert f"items/{item.pk}/index.html" in changed and "org/yckjj/tzgg/index.html" in changed
    # Another column's pages, its items and the organisation list do not show it: left alone.
    assert not changed & {"org/yckjj/gzdt/index.html", "org/yckjj/gzdt/rss.xml", "orgs/index.html"}
    assert not any(name.startswith("items/") and name != f"items/{item.pk}/index.html" for name in changed)


def test_a_column_writes_its_first_pages_and_drops_pages_it_no_longer_leads_to(
    root: Path, setup: Any) -> None:
    org, column, staff = setup
    now = timezone.now()
    for n in range(45):
        make_item(column, f"旧通知{n}", published_at=now - dt.timedelta(days=n + 1))
    call_command("static-site", stdout=open("/dev/null", "w"))  # noqa: SIM115
    folder = root / "org/yckjj/tzgg"
    first_after = sorted(p.name for p in folder.glob("after-*.html"))
    assert len(first_after) == 1  # two pages of the column (STATIC_SITE_LIST_PAGES), the third is the app's
    item = services.create_item(staff["editor"], org, item_data(column, "最新通知"))
    approve(staff, item)
    after = sorted(p.name for p in folder.glob("after-*.html"))
    assert len(after) == 1 and after != first_after  # page 2 now starts one item later
    cursor = after[0].removeprefix("after-").removesuffix(".html")
    assert (folder / after[0]).read_bytes() == Client().get(column.get_absolute_url(), {"after": cursor}).content
    assert "最新通知" in (folder / "index.html").read_text(encoding="utf-8")


def test_rebuild_writes_every_page_and_removes_stale_files_only(root: Path, site: dict[str, Any]) -> None:
    stale = root / "items/999999/index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    (root / "README.operator").write_text("kept")
    out = Path(root.parent / "log.txt")
    with out.open("w") as handle:
        call_command("static-site", stdout=handle)
    report = out.read_text()
    assert "static-site [" in report and "written" in report
    assert not stale.exists() and (root / "README.operator").exists()
    client = Client()
    for item in Item.objects.live():
        assert (root / f"items/{item.pk}/index.html").read_bytes() == client.get(item.get_absolute_url()).content
    for name in ("index.html", "orgs/index.html", "robots.txt", "sitemap.xml", "org/yckjj/index.html",
                 "org/yckjj/guide/index.html", "org/yckjj/duties/index.html", "reports/index.html"):
        assert (root / name).is_file(), name
    for withdrawn in Item.objects.exclude(pk__in=Item.objects.live()):
        assert not (root / f"items/{withdrawn.pk}/index.html").exists()
    # Run again: nothing to write.
    with out.open("w") as handle:
        call_command("static-site", "--out", str(root), stdout=handle)
    assert " 0 written" in out.read_text()


def test_rebuild_needs_a_directory(settings: Any) -> None:
    settings.STATIC_SITE_DIR = None
    with pytest.raises(Exception, match="GONGKAI_STATIC_SITE_DIR"):
        call_command("static-site")


def test_pages_that_differ_per_visitor_are_never_files(root: Path, site: dict[str, Any]) -> None:
    for address in (Address("/interact/write/"), Address("/interact/track/"), Address("/apply/track/")):
        assert static_site.render(address) is None, address  # forms carry the visitor's CSRF token
    assert static_site.render(Address("/items/999999/")) is None


def test_changes_reach_the_listener_once_after_commit_and_never_for_a_rollback() -> None:
    told: list[list[public_changes.Change]] = []
    public_changes.listen(told.append)
    try:
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                public_changes.touched("item", 3)
                raise RuntimeError
            public_changes.touched("item", 1)
            public_changes.touched("item", 2)
            public_changes.touched("item", 1)
            assert told == []
        assert told == [[public_changes.Change("item", 1), public_changes.Change("item", 2)]]
    finally:
        public_changes._listeners.remove(told.append)
