"""The staff workspace end to end through HTTP: draft, submit, review with the five checks, publish."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import StepTask

PASSWORD = "correct-horse-battery"


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="11640100MB0000001X")


@pytest.fixture
def column(org):
    return Column.objects.create(organisation=org, name="通知公告", slug="tzgg")


@pytest.fixture
def users(org):
    out = {}
    for role in Role.values:
        u = get_user_model().objects.create_user(username=role, password=PASSWORD)
        Membership.objects.create(user=u, organisation=org, role=role)
        out[role] = u
    return out


def login(username: str) -> Client:
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    return c


def form_data(column, **extra):
    data = {
        "org": column.organisation.code, "column": column.pk, "title": "关于开展科技特派员选派工作的通知",
        "summary": "选派科技特派员", "body": "<p>各县区科技局：</p><script>alert(1)</script><p onclick='x()'>正文</p>",
        "topic": "11", "genre": "notice", "disclosure": "proactive", "written_on": "2026-11-02",
    }
    data.update(extra)
    return data


def test_publish_through_the_workspace(users, column):
    editor = login("editor")
    resp = editor.post(reverse("workspace:item_create"), form_data(column))
    assert resp.status_code == 302, resp.content.decode()[:2000]
    item = Item.objects.get()
    assert "<script>" not in item.body and "onclick" not in item.body and "正文" in item.body
    assert editor.post(reverse("workspace:item_submit", args=[item.pk]), {}).status_code == 302
    for role in ("first_reviewer", "secrecy_reviewer", "approver"):
        reviewer = login(role)
        task = StepTask.objects.get(status="pending")
        page = reviewer.get(reverse("workspace:review_task", args=[task.pk]))
        assert "政治关" in page.content.decode()
        resp = reviewer.post(reverse("workspace:review_task", args=[task.pk]), {
            "action": "approve", "political_ok": "on", "policy_ok": "on", "secrecy_ok": "on",
            "format_ok": "on", "wording_ok": "on",
        })
        assert resp.status_code == 302
    item.refresh_from_db()
    assert item.is_live
    assert Client().get(item.get_absolute_url()).status_code == 200


def test_invalid_metadata_is_answered_and_nothing_stored(users, column):
    editor = login("editor")
    resp = editor.post(reverse("workspace:item_create"), form_data(
        column, title="", written_on="2026-13-45", is_policy="on", validity="", disclosure="not_disclosed",
    ))
    assert resp.status_code == 200
    text = resp.content.decode()
    assert "政策文件须填写有效性" in text and "不予公开的信息须说明理由" in text
    assert Item.objects.count() == 0


def test_attachment_checked_by_content(users, column):
    editor = login("editor")
    fake_pdf = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    resp = editor.post(reverse("workspace:item_create"), {**form_data(column), "attachments": fake_pdf})
    assert resp.status_code == 200
    assert Item.objects.count() == 0
    assert "附件" in resp.content.decode()


def test_attachment_too_large(users, column, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    editor = login("editor")
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096, content_type="application/pdf")
    resp = editor.post(reverse("workspace:item_create"), {**form_data(column), "attachments": big})
    assert resp.status_code == 200 and Item.objects.count() == 0


def test_forged_form_without_csrf_token_is_refused(users, column):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["editor"])
    resp = c.post(reverse("workspace:item_create"), form_data(column))
    assert resp.status_code == 403
    assert Item.objects.count() == 0


def test_staff_pages_need_login(column):
    resp = Client().get(reverse("workspace:items"))
    assert resp.status_code == 302 and reverse("workspace:login") in resp["Location"]


def test_concurrent_edit_refused_with_message(users, column):
    editor = login("editor")
    editor.post(reverse("workspace:item_create"), form_data(column))
    item = Item.objects.get()
    stale = item.lock_version
    url = reverse("workspace:item_edit", args=[item.pk])
    assert editor.post(url, {**form_data(column, title="甲的修改"), "lock_version": stale}).status_code == 302
    admin = login("admin")
    resp = admin.post(url, {**form_data(column, title="乙的修改"), "lock_version": stale}, follow=True)
    assert "已被他人修改" in resp.content.decode()
    item.refresh_from_db()
    assert item.title == "甲的修改"


def test_login_locks_after_repeated_failures(users):
    c = Client()
    url = reverse("workspace:login")
    for _ in range(5):
        c.post(url, {"username": "editor", "password": "wrong"})
    resp = c.post(url, {"username": "editor", "password": PASSWORD})
    assert resp.status_code == 429
    assert "锁定" in resp.content.decode()


def test_other_organisation_cannot_open_unpublished(users, column):
    editor = login("editor")
    editor.post(reverse("workspace:item_create"), form_data(column))
    item = Item.objects.get()
    other = Organisation.objects.create(name="南溪县科学技术局", code="nxkjj", index_code="X2")
    outsider = get_user_model().objects.create_user("outsider", password=PASSWORD)
    Membership.objects.create(user=outsider, organisation=other, role=Role.ADMIN)
    c = login("outsider")
    assert c.get(reverse("workspace:item", args=[item.pk])).status_code == 404
    assert item.title not in c.get(reverse("workspace:items")).content.decode()


def test_pages_render(users, column):
    editor = login("editor")
    editor.post(reverse("workspace:item_create"), form_data(column))
    item = Item.objects.get()
    for name, args in [("home", []), ("items", []), ("item", [item.pk]), ("item_edit", [item.pk]),
                       ("review_queue", []), ("duty_lists", []), ("duty_version_create", []), ("audit", [])]:
        assert editor.get(reverse(f"workspace:{name}", args=args)).status_code == 200, name


def test_duty_list_version_through_review(users, org):
    editor = login("editor")
    entries = "KJ-001\t高新技术企业认定\t行政确认\t《中华人民共和国科学技术进步法》\t高新科\n" \
              "KJ-002\t科学技术奖励\t行政奖励\t《国家科学技术奖励条例》\t成果科"
    resp = editor.post(reverse("workspace:duty_version_create"), {
        "org": org.code, "kind": "power", "label": "2026.11.10", "effective_on": "2026-11-10", "entries": entries,
    })
    assert resp.status_code == 302
    bad = editor.post(reverse("workspace:duty_version_create"), {
        "org": org.code, "kind": "power", "label": "x", "effective_on": "2026-11-10", "entries": "only-one-cell",
    })
    assert "至少需要" in bad.content.decode()
