"""Pictures in an item's body: uploaded through the attachments' content checks, bound to the item on save, shown to
the public only once an approved revision lists them, and to the office's staff before that."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gongkai.catalog import selectors, services
from gongkai.catalog.forms import ItemForm
from gongkai.catalog.models import Attachment, Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review import services as review_services
from gongkai.review.models import Decision
from gongkai.review.selectors import review_state

PNG = (Path(__file__).parents[1] / "browser" / "clipboard" / "picture.png").read_bytes()
ALL_CHECKS = {f: True for f in Decision.CHECK_FIELDS}


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="11999900MB0000102B")


@pytest.fixture
def column(org: Organisation) -> Column:
    return Column.objects.create(organisation=org, name="通知公告", slug="tzgg")


@pytest.fixture
def staff(org: Organisation) -> dict[str, Any]:
    users = {}
    for role in (Role.EDITOR, Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER):
        user = get_user_model().objects.create_user(username=role, password="correct-horse-battery")
        Membership.objects.create(user=user, organisation=org, role=role)
        users[role] = user
    return users


def data(column: Column, body: str) -> dict[str, Any]:
    return {
        "column_id": column.pk, "title": "关于申报科技创新券的通知", "summary": "", "body": body,
        "document_number": "", "written_on": dt.date(2026, 11, 20), "topic": "11", "genre": "notice",
        "keywords": "", "source": "", "is_policy": False, "is_normative": False, "validity": "",
        "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
        "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "", "index_number": "",
    }


def picture(user: Any, org: Organisation, item: Item | None = None) -> Attachment:
    return services.upload_body_image(user, org, SimpleUploadedFile("图片1.png", PNG), item=item)


def publish(staff: dict[str, Any], item: Item) -> None:
    services.submit_item(staff[Role.EDITOR], item)
    submission = review_state(item).submission
    assert submission is not None
    for role in (Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER):
        review_services.decide(staff[role], submission.tasks.get(status="pending"), action="approve", checks=ALL_CHECKS)


def test_a_pasted_picture_is_bound_on_save_and_public_only_once_published(
    org: Organisation, column: Column, staff: dict[str, Any]
) -> None:
    editor = staff[Role.EDITOR]
    image = picture(editor, org)
    assert image.item is None and image.purpose == Attachment.Purpose.BODY_IMAGE
    item = services.create_item(editor, org, data(column, f'<p>图示：</p><p><img src="/attachments/{image.pk}/"></p>'))
    image.refresh_from_db()
    assert image.item_id == item.pk
    assert services.working_copy(item)["image_ids"] == [image.pk]
    assert services.working_copy(item)["attachment_ids"] == []  # not listed among the files to download

    assert selectors.live_attachment(image.pk) is None
    assert Client().get(f"/attachments/{image.pk}/").status_code == 404
    reader = Client()
    reader.force_login(staff[Role.SECRECY_REVIEWER])  # staff of the office see the draft's picture
    response = reader.get(f"/attachments/{image.pk}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"

    publish(staff, item)
    response = Client().get(f"/attachments/{image.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_a_picture_removed_from_the_body_leaves_the_public_page_with_the_next_revision(
    org: Organisation, column: Column, staff: dict[str, Any]
) -> None:
    editor = staff[Role.EDITOR]
    image = picture(editor, org)
    item = services.create_item(editor, org, data(column, f'<p><img src="/attachments/{image.pk}/"></p>'))
    publish(staff, item)
    item.refresh_from_db()
    services.update_item(editor, item, data(column, "<p>没有图片了</p>"), expected_version=item.lock_version)
    assert selectors.live_attachment(image.pk) is not None  # the public page has not changed yet
    publish(staff, item)
    assert selectors.live_attachment(image.pk) is None


def test_only_pictures_pass_and_only_for_the_own_office(org: Organisation, staff: dict[str, Any]) -> None:
    editor = staff[Role.EDITOR]
    with pytest.raises(ValidationError, match="只能插入"):
        services.upload_body_image(editor, org, SimpleUploadedFile("说明.txt", "纯文本".encode()))
    with pytest.raises(ValidationError, match="可执行程序"):
        services.upload_body_image(editor, org, SimpleUploadedFile("图片.png", b"MZ\x90\x00" + bytes(100)))
    other = Organisation.objects.create(name="西岭县科学技术局", code="xlxkjj", index_code="11999900MB0000103B")
    with pytest.raises(PermissionDenied):
        services.upload_body_image(editor, other, SimpleUploadedFile("图片1.png", PNG))
    assert not Attachment.objects.exists()


def test_a_picture_of_another_item_or_office_is_refused_on_save(
    org: Organisation, column: Column, staff: dict[str, Any]
) -> None:
    editor = staff[Role.EDITOR]
    first = services.create_item(editor, org, data(column, "<p>甲</p>"))
    theirs = picture(editor, org, first)
    with pytest.raises(ValidationError, match="第1张图片"):
        services.create_item(editor, org, data(column, f'<p><img src="/attachments/{theirs.pk}/"></p>'))
    assert Item.objects.count() == 1  # nothing stored half


def test_unused_pictures_are_deleted_after_two_days(org: Organisation, staff: dict[str, Any]) -> None:
    old = picture(staff[Role.EDITOR], org)
    Attachment.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - dt.timedelta(days=3))
    fresh = picture(staff[Role.EDITOR], org)
    assert services.delete_unused_body_images() == 1
    assert list(Attachment.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_the_upload_endpoint_answers_as_the_editor_expects(org: Organisation, staff: dict[str, Any]) -> None:
    client = Client()
    client.force_login(staff[Role.EDITOR])
    ok = client.post("/workspace/items/images/?org=mckjj", {"upload": SimpleUploadedFile("a.png", PNG)})
    assert ok.status_code == 200 and ok.json()["url"].startswith("/attachments/")
    refused = client.post("/workspace/items/images/?org=mckjj", {"upload": SimpleUploadedFile("a.gif", PNG)})
    assert refused.status_code == 400 and "扩展名" in refused.json()["error"]["message"]
    stranger = Client()
    stranger.force_login(staff[Role.APPROVER])  # no editor role: may not upload
    assert stranger.post("/workspace/items/images/?org=mckjj", {"upload": SimpleUploadedFile("a.png", PNG)}).status_code == 400


@pytest.mark.parametrize("src", ["data:image/png;base64,iVBORw0KGgo=", "file:///C:/Users/kjj/clip_image002.png",
                                 "blob:http://127.0.0.1/1234"])
def test_the_form_refuses_pictures_that_saving_would_lose(org: Organisation, column: Column, src: str) -> None:
    form = ItemForm({"column": column.pk, "title": "标题", "body": f'<p>图：<img src="{src}"></p>', "topic": "11",
                     "genre": "notice", "disclosure": "proactive"}, organisation=org)
    assert not form.is_valid()
    assert "还没有上传到本站" in form.errors["body"][0]


def test_the_form_says_what_the_sanitiser_takes_out(org: Organisation, column: Column) -> None:
    body = ('<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a>'
            '<marquee>滚动</marquee></p>')
    form = ItemForm({"column": column.pk, "title": "标题", "body": body, "topic": "11", "genre": "notice",
                     "disclosure": "proactive"}, organisation=org)
    assert form.is_valid()
    notes = "".join(form.body_notes)
    assert "脚本" in notes and "事件属性" in notes and "javascript:" in notes and "<marquee>" in notes


def test_preview_shows_the_public_page_of_a_draft_to_staff_only(
    org: Organisation, column: Column, staff: dict[str, Any]
) -> None:
    editor = staff[Role.EDITOR]
    image = picture(editor, org)
    item = services.create_item(editor, org, data(column, f'<table><tr><td rowspan="2">类别</td></tr></table>'
                                                          f'<p><img src="/attachments/{image.pk}/"></p>'))
    client = Client()
    client.force_login(staff[Role.FIRST_REVIEWER])
    page = client.get(f"/items/{item.pk}/preview/").content.decode()
    assert "尚未发布" in page and 'rowspan="2"' in page and f'src="/attachments/{image.pk}/"' in page
    assert Client().get(f"/items/{item.pk}/preview/").status_code == 302  # to the login page

    editing = client.post("/items/preview/", {
        "org": "mckjj", "column": column.pk, "title": "未保存的标题", "body": "<p>未保存的正文</p>", "topic": "11",
        "genre": "notice", "disclosure": "proactive",
    })
    assert editing.status_code == 404  # a first reviewer may read drafts but not write new ones
    editor_client = Client()
    editor_client.force_login(editor)
    editing = editor_client.post("/items/preview/", {
        "org": "mckjj", "column": column.pk, "title": "未保存的标题", "body": "<p>未保存的正文</p>", "topic": "11",
        "genre": "notice", "disclosure": "proactive",
    })
    assert editing.status_code == 200 and "未保存的正文" in editing.content.decode()
    assert not Item.objects.filter(title="未保存的标题").exists()
