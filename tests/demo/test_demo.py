"""`gongkai demo`: the demo city is built through the services, in every review state, and only once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from gongkai.catalog.models import Attachment, Column, DutyList, Item
from gongkai.catalog.selectors import STAFF_STATES, live_attachment, live_items, staff_items_in_state
from gongkai.demo.catalog import compose_plans
from gongkai.demo.city import DEMO_PASSWORD, DemoContext
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Decision, Finding, StepTask, Submission
from gongkai.review.selectors import current_task, submissions_of

CODES = {"mcs", "mckjj", "mcjyj", "mcsthjj", "dhqkjj", "xlxkjj", "nxxkjj"}


@pytest.fixture(scope="module")
def demo_output(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """Run the command once for the module, inside a transaction rolled back afterwards so other modules
    start from an empty database."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def root(demo_output: str, db: None) -> Any:
    return get_user_model().objects.get(username="root")


def test_organisations_and_columns(root: Any, demo_output: str) -> None:
    orgs = {o.code: o for o in Organisation.objects.all()}
    assert set(orgs) == CODES
    assert all(re.fullmatch(r"[0-9A-Z]{18}", o.index_code) for o in orgs.values())
    assert len({o.index_code for o in orgs.values()}) == len(orgs)
    assert {o.code for o in orgs["mckjj"].children.all()} == {"dhqkjj", "xlxkjj", "nxxkjj"}
    assert orgs["mckjj"].parent == orgs["mcs"]
    assert all(o.address and o.phone and o.email.endswith("@mingchuan.example") for o in orgs.values())
    science = set(Column.objects.filter(organisation=orgs["mckjj"]).values_list("slug", flat=True))
    assert {"jggk", "gzdt", "tzgg", "zcwj", "zcjd", "xqdt", "czyjs", "rsxx", "qtxx", "xxgc"} == science
    assert Column.objects.get(organisation=orgs["mckjj"], slug="xxgc").is_special_topic  # a 专题专栏
    assert not Column.objects.filter(slug="xqdt").exclude(organisation=orgs["mckjj"]).exists()
    assert Column.objects.get(organisation=orgs["mckjj"], slug="gzdt").expected_update_days == 7
    for code in CODES:
        assert code in demo_output
    assert DEMO_PASSWORD in demo_output and "http://127.0.0.1:8000/" in demo_output


def test_items_in_every_review_state(root: Any) -> None:
    for state, label in STAFF_STATES:
        assert staff_items_in_state(root, state).exists(), label
    pending_roles = set(
        StepTask.objects.filter(status=StepTask.Status.PENDING, submission__status=Submission.Status.IN_REVIEW)
        .values_list("role", flat=True)
    )
    assert pending_roles == {Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER}
    returns = Decision.objects.filter(action=Decision.Action.RETURN)
    assert returns.count() >= 2 and all(d.comment for d in returns)
    overridden = Finding.objects.filter(overridden_at__isnull=False, code="mobile")
    assert overridden.exists() and all(len(f.override_reason) >= 4 for f in overridden)
    assert Item.objects.live().filter(pk__in=[f.submission.object_id for f in overridden]).exists()
    blocked = Finding.objects.filter(overridden_at__isnull=True, submission__status=Submission.Status.IN_REVIEW)
    assert blocked.exists()
    assert all(current_task(f.submission).role == Role.SECRECY_REVIEWER for f in blocked)  # type: ignore[union-attr]
    withdrawn = Item.objects.filter(withdrawn_at__isnull=False)
    assert withdrawn.exists() and all(i.withdrawal_reason for i in withdrawn)
    scheduled = staff_items_in_state(root, "scheduled")
    assert all(i.go_live_at is not None and i.go_live_at > timezone.now() for i in scheduled)


def test_live_items_have_index_numbers_and_full_review(root: Any) -> None:
    # Copies the portal took from departments (信息报送) show their source's index number and went through the
    # portal's review as submissions (tests/syndication); every other live item is its own.
    items = list(live_items().filter(copy_of__isnull=True))
    copies = list(live_items().filter(copy_of__isnull=False))
    assert copies and all(c.index_number is None and c.copy_of is not None and c.copy_of.is_live for c in copies)
    assert len(items) > 300
    today = timezone.localdate()
    for item in items:
        assert item.index_number, item
        year = timezone.localtime(item.published_at).year
        assert item.index_number == f"{item.organisation.index_code}/{year}-{item.index_number[-5:]}", item
        approved = submissions_of(item).filter(revision=item.live_revision, status=Submission.Status.APPROVED).get()
        decisions = list(Decision.objects.filter(task__submission=approved).order_by("task__order"))
        assert [d.task.role for d in decisions] == [Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER]
        assert all(d.action == Decision.Action.APPROVE and d.all_checks_passed for d in decisions)
        assert item.published_at is not None and timezone.localtime(item.published_at).date() <= today
    assert min(timezone.localtime(i.published_at).date() for i in items).year == 2024  # type: ignore[arg-type]
    news = sum(1 for i in items if i.genre == "news")
    assert news > sum(1 for i in items if i.is_policy) * 5


def test_nothing_unpublished_is_public(root: Any) -> None:
    live_ids = set(live_items().values_list("pk", flat=True))
    for state in ("draft", "returned", "scheduled", "withdrawn"):
        hidden = set(staff_items_in_state(root, state).values_list("pk", flat=True))
        assert hidden and not hidden & live_ids, state
    for item in live_items():
        assert item.live_revision_id is not None and item.withdrawn_at is None
        assert item.go_live_at is not None and item.go_live_at <= timezone.now()


def test_policy_documents_interpretations_and_channels(root: Any) -> None:
    normative = list(live_items().filter(is_normative=True))
    assert len(normative) >= 7
    for doc in normative:
        forms = set(live_items().filter(interprets=doc).values_list("interpretation_form", flat=True))
        assert {"text", "graphic"} <= forms, doc
        assert doc.document_number and doc.written_on and doc.validity and doc.effective_on
        assert doc.written_on < timezone.localtime(doc.published_at).date()  # type: ignore[arg-type]
    assert live_items().filter(interpretation_form="press_conference").count() == 1
    assert live_items().filter(validity="abolished", abolished_on__isnull=False).exists()
    assert live_items().filter(validity="expired", expires_on__isnull=False).exists()
    channels = set(Item.objects.filter(channel_records__isnull=False).values_list("channel_records__channel", flat=True))
    assert channels == {"city_portal", "wechat", "weibo"}
    attachments = list(Attachment.objects.all())
    assert attachments and all(a.mime_type == "application/pdf" and "名单" in a.text for a in attachments)
    assert all(live_attachment(a.pk) is not None for a in attachments)


def test_duty_lists_keep_the_old_version_and_publish_the_new(root: Any) -> None:
    science = Organisation.objects.get(code="mckjj")
    for kind in (DutyList.Kind.POWER, DutyList.Kind.RESPONSIBILITY):
        duty_list = DutyList.objects.get(organisation=science, kind=kind)
        versions = list(duty_list.versions.order_by("effective_on"))
        assert [v.label for v in versions] == ["2024.03.15", "2025.11.10"]
        assert duty_list.live_version == versions[-1]
        assert all(v.is_live for v in versions)
        assert versions[-1].entries.count() > versions[0].entries.count() >= 10
        assert versions[0].entries.filter(basis__contains="《中华人民共和国科学技术进步法》").exists()
        for version in versions:
            approved = submissions_of(version).get(status=Submission.Status.APPROVED)
            decisions = Decision.objects.filter(task__submission=approved)
            assert decisions.count() == 3 and all(d.all_checks_passed for d in decisions)


def test_users_hold_their_roles(root: Any) -> None:
    science = Organisation.objects.get(code="mckjj")
    expected = {"editor": Role.EDITOR, "reviewer": Role.FIRST_REVIEWER, "secrecy": Role.SECRECY_REVIEWER,
                "approver": Role.APPROVER, "admin": Role.ADMIN}
    User = get_user_model()
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [(science.pk, role)]
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_staff
    cityadmin = User.objects.get(username="cityadmin")
    assert Membership.objects.filter(user=cityadmin, organisation__code="mcs", role=Role.ADMIN).exists()
    assert root.is_superuser and root.check_password(DEMO_PASSWORD)


def test_running_again_is_refused(root: Any) -> None:
    before = Item.objects.count()
    with pytest.raises(CommandError, match="GONGKAI_DATA_DIR"):
        call_command("demo", stdout=StringIO())
    assert Item.objects.count() == before


def test_same_seed_same_plans(root: Any) -> None:
    import random

    orgs = {o.code: o for o in Organisation.objects.all()}
    today = timezone.localdate()

    def titles(seed: int) -> list[tuple[str, str]]:
        ctx = DemoContext(seed=seed, today=today, orgs=orgs)
        return [(p.when.isoformat(), p.data["title"]) for p in compose_plans(ctx, random.Random(seed))]

    assert titles(7) == titles(7)
    assert titles(7) != titles(8)


def test_demo_accounts_that_need_a_second_factor_share_the_published_authenticator(root: Any) -> None:
    """The tour in README: editor logs in with the password alone; reviewer needs the code of the demo's
    published secret (what `gongkai demo-code` prints)."""
    import base64

    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongkai.demo.city import DEMO_TOTP_SECRET

    enrolled = set(TOTPDevice.objects.values_list("user__username", flat=True))
    assert {"reviewer", "secrecy", "approver", "admin", "cityadmin", "root", "mcs-approver"} <= enrolled
    assert "editor" not in enrolled and "mcs-editor" not in enrolled
    editor = Client()
    assert editor.post("/workspace/login/", {"username": "editor", "password": DEMO_PASSWORD})["Location"] == "/workspace/"
    reviewer = Client()
    step = reviewer.post("/workspace/login/", {"username": "reviewer", "password": DEMO_PASSWORD})
    assert step["Location"] == "/workspace/login/verify/"
    code = f"{totp(base64.b32decode(DEMO_TOTP_SECRET), step=30, t0=0, digits=6):06d}"
    assert reviewer.post("/workspace/login/verify/", {"code": code})["Location"] == "/workspace/"
    assert reviewer.get("/workspace/review/").status_code == 200
def test_every_demo_site_has_last_years_website_report_on_its_home_page(root: Any, demo_output: str) -> None:
    from django.test import Client

    from gongkai.reports.check import check_report
    from gongkai.reports.compute import compute_report
    from gongkai.reports.render import render
    from gongkai.reports.selectors import document_of, report_for

    year = timezone.localdate().year - 1
    client = Client()
    for org in Organisation.objects.all():
        computed = compute_report(org, year, family="website")
        assert check_report(computed.document) == [], org.code
        for fmt in ("html", "docx", "pdf", "xlsx"):
            assert render(computed.document, fmt), (org.code, fmt)
        stored = report_for(org, year, "website")
        home = client.get("/" if org.parent_id is None else f"/org/{org.code}/").content.decode()
        banner = f"政府网站工作年度报表（{year}年度）"
        if org.code == "xlxkjj":  # the neglected county bureau has not published it (the self-inspection says so)
            assert stored is None and banner not in home
            continue
        assert stored is not None and stored.is_published and check_report(document_of(stored)) == []
        assert timezone.localtime(stored.published_at).date() <= dt.date(year + 1, 1, 31)
        assert banner in home, org.code
        assert client.get(f"/reports/website/{org.code}/{year}/").status_code == 200


def test_browsing_the_demo_portal_shows_in_this_years_website_report(root: Any, demo_output: str) -> None:
    from django.test import Client

    from gongkai.reports.compute import compute_report
    from gongkai.visits import services as visits

    org = Organisation.objects.get(code="mckjj")
    year = timezone.localdate().year

    def counted() -> tuple[int, int]:
        table = compute_report(org, year, family="website").document.tables["w1"]
        return table["views"]["value"], table["visitors"]["value"]

    visits.flush()
    views, visitors = counted()
    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
    item = live_items().filter(organisation=org).first()
    assert item is not None
    pages = ["/org/mckjj/", "/org/mckjj/gzdt/", item.get_absolute_url(), "/org/mckjj/guide/"]
    for address in ("198.51.100.21", "198.51.100.22"):
        client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
        for page in pages:
            assert client.get(page).status_code == 200, page
    Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)").get("/org/mckjj/")  # not a visitor
    visits.flush()
    assert counted() == (views + 2 * len(pages), visitors + 2)


def test_a_quarterly_self_inspection_report_drafts_for_the_fourth_quarter_of_last_year(root: Any, demo_output: str) -> None:
    from gongkai.catalog.services import working_copy
    from gongkai.reports import services

    org = Organisation.objects.get(code="mckjj")
    editor = get_user_model().objects.get(username="editor")
    year = timezone.localdate().year - 1
    item = services.draft_quarterly_report(editor, org, year, 4, column=Column.objects.get(organisation=org, slug="qtxx"))
    body = working_copy(item)["body"]
    assert item.title == f"明川市科学技术局{year}年第四季度政府网站与政务新媒体自查报告"
    assert f"统计期间为{year}年10月1日至{year}年12月31日" in body
    views = re.search(r"总浏览量（PV）为(\d+)次", body)
    assert views and int(views.group(1)) > 0  # the demo's visit history
    assert re.search(r"开展自查1次，发现问题\d+个", body)  # the run at the end of the quarter
