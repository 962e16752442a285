"""The review pages through HTTP: what the task page shows, attachments for staff only, the one approval control,
the answer to a stale page, batch approval, the 待办 count and inbox, and turning mail off."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.catalog import services as catalog_services
from gongkai.catalog.forms import ItemForm
from gongkai.catalog.models import Column, Item
from gongkai.core.models import OutgoingMail
from gongkai.orgs.models import Membership, Organisation, Role, StaffPreference
from gongkai.review.models import Decision, StepTask

ROLES = {"editor": Role.EDITOR, "first": Role.FIRST_REVIEWER, "secrecy": Role.SECRECY_REVIEWER,
         "approver": Role.APPROVER}


@pytest.fixture
def org(db: None) -> Organisation:
    org = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="11640100MB0000001X")
    Column.objects.create(organisation=org, name="通知公告", slug="tzgg")
    for name, role in ROLES.items():
        user = get_user_model().objects.create_user(username=name, password="x", email=f"{name}@example.test")
        Membership.objects.create(user=user, organisation=org, role=role)
    return org


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def client(name: str) -> Client:
    c = Client()
    c.force_login(user(name))
    return c


def pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "page one")
    data = bytes(doc.tobytes())
    doc.close()
    return data


def item(org: Organisation, title: str = "关于科技项目验收的通知", body: str = "<p>请按时报送材料。</p>",
         uploads: list[Any] | None = None) -> Item:
    form = ItemForm({
        "column": Column.objects.get(organisation=org).pk, "title": title, "body": body,
        "document_number": "明科发〔2026〕3号", "topic": "02", "genre": "notice", "disclosure": "proactive",
    }, organisation=org)
    assert form.is_valid(), form.errors
    return catalog_services.create_item(user("editor"), org, form.service_data(), uploads or [])


def task_of(it: Item) -> StepTask:
    return StepTask.objects.get(submission__object_id=it.pk, status=StepTask.Status.PENDING)


def test_the_task_page_shows_every_field_the_attachments_and_marks_findings(org: Organisation) -> None:
    it = item(org, body="<p>联系人手机 13812345678，请核对。</p>",
              uploads=[SimpleUploadedFile("安排.pdf", pdf(), content_type="application/pdf")])
    catalog_services.submit_item(user("editor"), it)
    page = client("first").get(reverse("workspace:review_task", args=[task_of(it).pk])).content.decode()
    for text in ["明科发〔2026〕3号", "通知公告", "主动公开", "公开属性", "签发后立即发布", "安排.pdf"]:
        assert text in page
    assert '<mark class="finding" data-finding=' in page and "13812345678</mark>" in page  # lit where it is
    att = it.attachments.get()
    assert reverse("workspace:attachment_page", args=[att.pk, 1]) in page
    png = client("first").get(reverse("workspace:attachment_page", args=[att.pk, 1]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    assert client("first").get(reverse("workspace:attachment_page", args=[att.pk, 2])).status_code == 404
    shown = client("first").get(reverse("workspace:attachment", args=[att.pk]))
    assert shown.status_code == 200 and shown["Content-Disposition"].startswith("inline")
    assert shown["X-Content-Type-Options"] == "nosniff" and "no-store" in shown["Cache-Control"]
    saved = client("first").get(reverse("workspace:attachment", args=[att.pk]) + "?download=1")
    assert saved["Content-Disposition"].startswith("attachment")


def test_attachments_of_unpublished_items_are_for_their_office_only(org: Organisation) -> None:
    it = item(org, uploads=[SimpleUploadedFile("安排.pdf", pdf(), content_type="application/pdf")])
    att = it.attachments.get()
    other = Organisation.objects.create(name="别的局", code="bdj", index_code="X")
    outsider = get_user_model().objects.create_user(username="outsider", password="x")
    Membership.objects.create(user=outsider, organisation=other, role=Role.FIRST_REVIEWER)
    c = Client()
    c.force_login(outsider)
    assert c.get(reverse("workspace:attachment", args=[att.pk])).status_code == 404
    assert c.get(reverse("workspace:attachment_page", args=[att.pk, 1])).status_code == 404
    assert Client().get(reverse("workspace:attachment", args=[att.pk])).status_code == 302  # to the login page
    assert c.get(reverse("portal:attachment", args=[att.pk])).status_code == 404  # not public before publication


def test_one_control_approves_with_each_check_stored(org: Organisation) -> None:
    it = item(org)
    catalog_services.submit_item(user("editor"), it)
    task = task_of(it)
    resp = client("first").post(reverse("workspace:review_task", args=[task.pk]), {
        "action": "approve", "all_checks": "on", "version": task.lock_version,
    })
    assert resp.status_code == 302
    decision = Decision.objects.get(task=task)
    assert all(getattr(decision, f) for f in Decision.CHECK_FIELDS)


def test_a_stale_page_is_told_and_nothing_is_stored(org: Organisation) -> None:
    second = get_user_model().objects.create_user(username="first2", password="x")
    Membership.objects.create(user=second, organisation=org, role=Role.FIRST_REVIEWER)
    it = item(org)
    catalog_services.submit_item(user("editor"), it)
    task = task_of(it)
    seen = task.lock_version
    client("first").post(reverse("workspace:review_task", args=[task.pk]),
                         {"action": "approve", "all_checks": "on", "version": seen})
    late = Client()
    late.force_login(second)
    resp = late.post(reverse("workspace:review_task", args=[task.pk]),
                     {"action": "return", "comment": "请修改标题", "version": seen}, follow=True)
    assert "已由他人处理" in resp.content.decode()
    assert Decision.objects.filter(task=task).count() == 1


def test_batch_approval_from_the_queue(org: Organisation) -> None:
    a, b = item(org, title="通知甲"), item(org, title="通知乙")
    flagged = item(org, title="通知丙", body="<p>电话 13812345678</p>")
    for it in (a, b, flagged):
        catalog_services.submit_item(user("editor"), it)
    queue = client("first").get(reverse("workspace:review_queue")).content.decode()
    assert f'value="{task_of(a).pk}"' in queue and f'value="{task_of(flagged).pk}"' not in queue
    resp = client("first").post(reverse("workspace:review_batch"),
                                {"tasks": [task_of(a).pk, task_of(b).pk]}, follow=True)
    assert "已通过 2 项" in resp.content.decode()
    assert Decision.objects.filter(reviewer=user("first")).count() == 2
    # A task that is not the user's to decide is refused as a whole form error, nothing decided.
    resp = client("first").post(reverse("workspace:review_batch"), {"tasks": [task_of(a).pk]}, follow=True)
    assert "已不在您的待审列表中" in resp.content.decode()


def test_the_header_counts_what_waits_and_the_inbox_lists_it(org: Organisation) -> None:
    it = item(org)
    catalog_services.submit_item(user("editor"), it)
    page = client("first").get(reverse("workspace:home")).content.decode()
    assert 'class="todo-count"' in page and ">1</span>" in page
    assert 'class="todo-count"' not in client("approver").get(reverse("workspace:home")).content.decode()
    task = task_of(it)
    client("first").post(reverse("workspace:review_task", args=[task.pk]),
                         {"action": "return", "comment": "请补充文号", "version": task.lock_version})
    inbox = client("editor").get(reverse("workspace:inbox")).content.decode()
    assert "退回给我修改" in inbox and "请补充文号" in inbox and it.title in inbox
    assert f'href="{reverse("workspace:item", args=[it.pk])}"' in inbox  # straight to where it is edited


def test_each_person_turns_their_mail_off(org: Organisation) -> None:
    c = client("first")
    assert c.get(reverse("workspace:settings")).status_code == 200
    c.post(reverse("workspace:settings"), {})
    assert StaffPreference.objects.get(user=user("first")).receives_mail is False
    it = item(org)
    OutgoingMail.objects.all().delete()
    catalog_services.submit_item(user("editor"), it)
    assert not OutgoingMail.objects.filter(kind="review.step_opened").exists()  # first was the only 初审
    c.post(reverse("workspace:settings"), {"receives_mail": "on"})
    assert StaffPreference.objects.get(user=user("first")).receives_mail is True
