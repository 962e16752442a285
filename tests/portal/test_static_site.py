"""Static publishing (静态发布): files appear, change and disappear with publish, edit and withdraw; each file
holds what the application answers at its address; a rebuild writes every page and removes stale files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import services
from gongkai.catalog.models import Column, Item
from gongkai.core import public_changes
from gongkai.orgs.models import Organisation
from gongkai.portal import page_cache, static_site
from gongkai.portal.static_site import Address
from gongkai.review import services as review
from gongkai.review.models import Decision
from gongkai.review.selectors import current_task, review_state
from gongkai.sites import services as sites_services
from gongkai.sites.models import Site, host_of
from gongkai.syndication import services as syndication_services
from tests.portal.factories import bureau_with_staff, make_item
from tests.syndication import conftest as two_sites
from tests.syndication.conftest import BUREAU, PORTAL, publish
from tests.syndication.conftest import approve as approve_every_step

# Committed for real: the pages are written after commit, as in production (the test settings' task backend
# runs the task at once).
pytestmark = pytest.mark.django_db(transaction=True)
ALL_CHECKS = {f: True for f in Decision.CHECK_FIELDS}


@pytest.fixture
def static_dir(settings: Any, tmp_path: Path) -> Path:
    settings.STATIC_SITE_DIR = str(tmp_path / "site")
    settings.STATIC_SITE_LIST_PAGES = 2
    settings.PAGE_CACHE_SECONDS = 0
    page_cache.clear()
    return tmp_path / "site"


@pytest.fixture
def root(static_dir: Path, settings: Any) -> Path:
    """The main site's directory (no site rows: the platform is one site, on GONGKAI_SITE_URL's host)."""
    return static_dir / host_of(settings.SITE_URL)


@pytest.fixture
def setup() -> tuple[Organisation, Column, dict[str, Any]]:
    return bureau_with_staff()


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
    out = root.parent.parent / "log.txt"  # outside the directory the rebuild tidies
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
        call_command("static-site", "--out", str(root.parent), stdout=handle)
    assert " 0 written" in out.read_text()


def test_rebuild_needs_a_directory(settings: Any) -> None:
    settings.STATIC_SITE_DIR = None
    with pytest.raises(Exception, match="GONGKAI_STATIC_SITE_DIR"):
        call_command("static-site")


def test_pages_that_differ_per_visitor_are_never_files(root: Path, site: dict[str, Any]) -> None:
    host = root.name
    for address in (Address(host, "/interact/write/"), Address(host, "/interact/track/"),
                    Address(host, "/apply/track/")):
        assert static_site.render(address) is None, address  # forms carry the visitor's CSRF token
    assert static_site.render(Address(host, "/items/999999/")) is None
    assert static_site.render(Address("no-such-site.example", "/")) is None


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


# ---- several sites (gongkai.sites): one directory per site, changes only where they show ----------------

city = two_sites.city  # the fixture: a city portal (the main site) and its science bureau's site

def files(folder: Path) -> dict[str, int]:
    """name -> modification time of each page file under `folder`."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.*")
            if p.is_file() and not p.name.startswith(".")}


def test_each_site_has_its_own_directory_named_by_its_host(static_dir: Path, city: dict[str, Any]) -> None:
    edu_item = publish(city["edu_staff"], city["edu_column"], "市教育局召开校园安全工作会议")
    bureau_item = publish(city["bureau_staff"], city["bureau_column"], "市科技局召开科技创新工作推进会")
    call_command("static-site", stdout=open("/dev/null", "w"))  # noqa: SIM115
    portal, bureau = static_dir / PORTAL, static_dir / BUREAU
    # An organisation's pages are on its own site's directory, as that site answers them.
    assert (bureau / f"items/{bureau_item.pk}/index.html").read_bytes() == Client().get(
        bureau_item.get_absolute_url(), HTTP_HOST=BUREAU).content
    assert (portal / f"items/{edu_item.pk}/index.html").read_bytes() == Client().get(
        edu_item.get_absolute_url(), HTTP_HOST=PORTAL).content
    assert not (portal / f"items/{bureau_item.pk}/index.html").exists()  # the portal's copy of the address: the app's
    assert not (bureau / f"items/{edu_item.pk}/index.html").exists()
    for folder, host in ((portal, PORTAL), (bureau, BUREAU)):
        for name, path in (("index.html", "/"), ("sitemap.xml", "/sitemap.xml"), ("robots.txt", "/robots.txt")):
            assert (folder / name).read_bytes() == Client().get(path, HTTP_HOST=host).content, (host, name)
    assert f"https://{BUREAU}{bureau_item.get_absolute_url()}" in (bureau / "sitemap.xml").read_text()
    assert bureau_item.get_absolute_url() not in (portal / "sitemap.xml").read_text()
    # The main site's other names (GONGKAI_SITE_URL's, the loopback names) lead to its directory.
    assert (static_dir / "gk.mc.example").is_symlink() and os.readlink(static_dir / "gk.mc.example") == PORTAL
    assert (static_dir / "gk.mc.example" / "index.html").read_bytes() == (portal / "index.html").read_bytes()


def test_another_host_name_of_a_site_is_a_link_and_follows_the_site_table(
        static_dir: Path, city: dict[str, Any]) -> None:
    call_command("static-site", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site = Site.objects.get(organisation=city["bureau"])
    site.aliases = "kjj-old.mc.example"
    sites_services.save_site(None, site)
    # A change of the site table rebuilds: the new name is linked, at once (the worker's task).
    assert os.readlink(static_dir / "kjj-old.mc.example") == BUREAU
    site.aliases, site.name = "", "明川市科技局门户"
    sites_services.save_site(None, site)
    assert not os.path.lexists(static_dir / "kjj-old.mc.example")
    assert "明川市科技局门户" in (static_dir / BUREAU / "index.html").read_text()


def test_a_change_touches_only_the_sites_that_show_it(static_dir: Path, city: dict[str, Any]) -> None:
    publish(city["edu_staff"], city["edu_column"], "市教育局召开校园安全工作会议")
    call_command("static-site", stdout=open("/dev/null", "w"))  # noqa: SIM115
    portal, bureau = static_dir / PORTAL, static_dir / BUREAU
    portal_before, bureau_before = files(portal), files(bureau)

    item = publish(city["bureau_staff"], city["bureau_column"], "市科技局发布科技型企业名单")
    page = f"items/{item.pk}/index.html"
    assert "市科技局发布科技型企业名单" in (bureau / page).read_text()
    for name in ("index.html", "org/mckjj/index.html", "org/mckjj/gzdt/index.html", "org/mckjj/gzdt/rss.xml"):
        assert "市科技局发布科技型企业名单" in (bureau / name).read_text(), name
    assert item.get_absolute_url() in (bureau / "sitemap.xml").read_text()
    # The portal above lists it on its home page (newest news of the whole city), and nowhere else.
    assert "市科技局发布科技型企业名单" in (portal / "index.html").read_text()
    portal_after = files(portal)
    assert {n for n in portal_after if portal_after[n] != portal_before.get(n)} == {"index.html"}
    assert not (portal / page).exists()

    services.withdraw_item(city["bureau_staff"]["editor"], item, "内容需要更正")
    assert not (bureau / page).exists()
    for folder, name in ((bureau, "index.html"), (bureau, "org/mckjj/gzdt/index.html"), (portal, "index.html")):
        assert "市科技局发布科技型企业名单" not in (folder / name).read_text(), name
    assert item.get_absolute_url() not in (bureau / "sitemap.xml").read_text()
    assert files(bureau).keys() == bureau_before.keys()


def test_an_accepted_copy_is_a_file_of_the_receiving_site_and_goes_with_its_source(
        static_dir: Path, city: dict[str, Any]) -> None:
    call_command("static-site", stdout=open("/dev/null", "w"))  # noqa: SIM115
    portal, bureau = static_dir / PORTAL, static_dir / BUREAU
    source = publish(city["bureau_staff"], city["bureau_column"], "市科技局开展科技活动周")
    syndication = syndication_services.submit(city["bureau_staff"]["editor"], source, city["portal_column"])
    approve_every_step(city["gov_staff"], syndication)
    syndication.refresh_from_db()
    copy = syndication.copy
    assert copy is not None
    copy_page = portal / f"items/{copy.pk}/index.html"
    assert copy_page.read_bytes() == Client().get(copy.get_absolute_url(), HTTP_HOST=PORTAL).content
    assert "市科技局开展科技活动周" in (portal / "org/mcs/bmdt/index.html").read_text()
    assert not (bureau / f"items/{copy.pk}/index.html").exists()

    services.withdraw_item(city["bureau_staff"]["editor"], source, "内容需要更正")
    assert not copy_page.exists() and not (bureau / f"items/{source.pk}/index.html").exists()
    assert "市科技局开展科技活动周" not in (portal / "org/mcs/bmdt/index.html").read_text()
