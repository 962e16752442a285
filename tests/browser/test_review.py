"""Review as reviewers do it in a browser: the task page shows what is signed (attachments included), the next
reviewer is mailed and sees the count, one person with every role decides one step, and a revision of a
published item shows what changed."""

from __future__ import annotations

import re
from typing import Any

import pymupdf
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalog import services as catalog_services
from gongkai.catalog.forms import ItemForm
from gongkai.catalog.models import Column, Item
from gongkai.catalog.snapshots import ITEM_FIELDS
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import StepTask
from tests.accounts.factories import enrol
from tests.browser.login import log_in as log_in_with_second_factor

PASSWORD = "browser-test-password-1"
TITLE = "关于开展2026年度科技计划项目验收的通知"


def pdf_bytes(*pages: str) -> bytes:
    doc = pymupdf.open()
    for text in pages:
        doc.new_page().insert_text((72, 96), text, fontsize=18)
    data = doc.tobytes()
    doc.close()
    return bytes(data)


@pytest.fixture
def bureau(transactional_db: Any) -> Organisation:
    org = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="11999900MB0000102B")
    Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")
    User = get_user_model()
    for username, roles in [
        ("editor", [Role.EDITOR]), ("reviewer", [Role.FIRST_REVIEWER]), ("secrecy", [Role.SECRECY_REVIEWER]),
        ("approver", [Role.APPROVER]), ("allrounder", [Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER]),
    ]:
        user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.test")
        for role in roles:
            Membership.objects.create(user=user, organisation=org, role=role)
        if roles != [Role.EDITOR]:
            enrol(user)  # reviewers and signers log in with a second factor
    return org


def draft_with_pdf(org: Organisation, body: str = "<p>各有关单位：请做好项目验收准备。</p>") -> Item:
    editor = get_user_model().objects.get(username="editor")
    upload = SimpleUploadedFile("验收安排.pdf", pdf_bytes("Acceptance schedule, page one", "Page two"),
                                content_type="application/pdf")
    form = ItemForm({
        "column": Column.objects.get(organisation=org).pk, "title": TITLE, "summary": "项目验收", "body": body,
        "document_number": "明科发〔2026〕9号", "topic": "02", "genre": "notice", "disclosure": "proactive",
    }, organisation=org)
    assert form.is_valid(), form.errors
    return catalog_services.create_item(editor, org, form.service_data(), [upload])


def submit(item: Item) -> None:
    catalog_services.submit_item(get_user_model().objects.get(username="editor"), item)


def log_in(page: Any, username: str, *, then: str = "/workspace/") -> None:
    log_in_with_second_factor(page, username, PASSWORD, start=then)
    page.wait_for_load_state()


def todo_count(page: Any) -> str:
    link = page.get_by_role("link", name=re.compile("^待办"))
    return link.inner_text().replace("待办", "").strip()


def test_a_reviewer_opens_the_attachment_from_the_task_page(page: Any, bureau: Organisation, screenshot: Any) -> None:
    item = draft_with_pdf(bureau)
    submit(item)
    log_in(page, "reviewer")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("heading", name="附件").wait_for()
    # Every field is shown, the PDF's pages are pictures in the page itself.
    assert "明科发〔2026〕9号" in page.content() and "主动公开" in page.content()
    first_page = page.get_by_role("img", name="验收安排.pdf 第 1 页")
    first_page.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first_page.element_handle())
    assert page.get_by_role("img", name="验收安排.pdf 第 2 页").count() == 1
    screenshot("task-with-pdf")
    # The link opens the file itself, shown rather than saved.
    with page.expect_response(re.compile(r"/workspace/attachments/\d+/$")) as r:
        page.get_by_role("link", name="在新页面打开").click()
    response = r.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "inline" in response.headers["content-disposition"]


def test_the_next_reviewer_is_mailed_and_sees_the_count(page: Any, bureau: Organisation, screenshot: Any) -> None:
    item = draft_with_pdf(bureau)
    submit(item)
    mail.outbox.clear()
    log_in(page, "reviewer")
    assert todo_count(page) == "1"
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="五关均已通过，同意").click()
    page.get_by_text(f"已通过：{TITLE}").wait_for()
    to_secrecy = [m for m in mail.outbox if "secrecy@example.test" in m.to]
    assert len(to_secrecy) == 1 and TITLE in to_secrecy[0].subject
    link = re.search(r"http\S+/workspace/review/tasks/(\d+)/", to_secrecy[0].body)
    assert link is not None
    # The next reviewer follows the link in the mail: log in, land on the task, the header counts it.
    log_in(page, "secrecy", then=f"/workspace/review/tasks/{link.group(1)}/")
    page.get_by_role("heading", name=TITLE).wait_for()
    assert todo_count(page) == "1"
    screenshot("secrecy-task")
    page.get_by_role("button", name="五关均已通过，同意").click()
    page.get_by_text(f"已通过：{TITLE}").wait_for()
    assert todo_count(page) == ""  # nothing left for them


def test_one_person_holding_every_role_cannot_decide_two_steps(page: Any, bureau: Organisation, screenshot: Any) -> None:
    item = draft_with_pdf(bureau)
    submit(item)
    log_in(page, "allrounder")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="五关均已通过，同意").click()
    page.get_by_text(f"已通过：{TITLE}").wait_for()
    assert todo_count(page) == ""
    second = StepTask.objects.get(submission__object_id=item.pk, order=2)
    page.goto(f"/workspace/review/tasks/{second.pk}/")
    page.get_by_text("同一人只能审核其中一个环节").wait_for()
    assert page.get_by_role("button", name=re.compile("五关均已通过")).count() == 0
    screenshot("refused")
    # Posting anyway (an old tab, a crafted request) is refused by the service as well.
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(f"/workspace/review/tasks/{second.pk}/", form={
        "csrfmiddlewaretoken": csrf, "action": "approve", "all_checks": "on", "version": str(second.lock_version),
    }, headers={"Referer": page.url})
    assert "同一人只能审核其中一个环节" in response.text()
    second.refresh_from_db()
    assert second.status == StepTask.Status.PENDING


def test_a_revision_of_a_published_item_shows_the_words_that_changed(
    page: Any, bureau: Organisation, screenshot: Any
) -> None:
    from gongkai.review import services as review_services
    from gongkai.review.models import Decision

    item = draft_with_pdf(bureau, body="<p>验收材料于12月31日前报送科技局。</p>")
    submit(item)
    User = get_user_model()
    checks = dict.fromkeys(Decision.CHECK_FIELDS, True)
    for name in ("reviewer", "secrecy", "approver"):
        task = StepTask.objects.get(submission__object_id=item.pk, status=StepTask.Status.PENDING)
        review_services.decide(User.objects.get(username=name), task, action="approve", checks=checks)
    item.refresh_from_db()
    assert item.is_live
    editor = User.objects.get(username="editor")
    data = {f: getattr(item, f) for f in ITEM_FIELDS}
    data["body"] = "<p>验收材料于1月15日前报送市科技局。</p>"
    catalog_services.update_item(editor, item, data, expected_version=item.lock_version)
    submit(item)
    log_in(page, "reviewer")
    page.get_by_role("link", name=TITLE).first.click()
    diff = page.locator("section.diff")
    diff.get_by_role("heading", name="与已发布版本的差异").wait_for()
    deleted, inserted = "".join(diff.locator("del").all_inner_texts()), "".join(diff.locator("ins").all_inner_texts())
    assert "31" in deleted and "15" in inserted and "市" in inserted
    assert "科技局" not in deleted and "验收材料" not in deleted  # unchanged words stay plain
    screenshot("diff")
