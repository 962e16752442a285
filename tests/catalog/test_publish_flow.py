"""The publish flow through the three review steps, and what the public can reach meanwhile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from gongkai.catalog import selectors, services
from gongkai.catalog.models import Item
from gongkai.core.concurrency import ConflictError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review import services as review
from gongkai.review.models import StepTask
from gongkai.review.selectors import current_task, review_state
from tests.catalog.factories import ALL_CHECKS, approve_all, item_data


def test_item_goes_public_only_after_all_three_steps(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    client = Client()
    assert client.get(item.get_absolute_url()).status_code == 404
    services.submit_item(staff["editor"], item)
    assert client.get(item.get_absolute_url()).status_code == 404
    sub = review_state(item).submission
    review.decide(staff["first_reviewer"], current_task(sub), action="approve", checks=ALL_CHECKS)
    review.decide(staff["secrecy_reviewer"], current_task(sub), action="approve", checks=ALL_CHECKS)
    item.refresh_from_db()
    assert not item.is_live
    review.decide(staff["approver"], current_task(sub), action="approve", checks=ALL_CHECKS)
    item.refresh_from_db()
    assert item.is_live
    assert item.index_number == f"11640100MB1234567X/{timezone.localdate().year}-00001"
    assert client.get(item.get_absolute_url()).status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"catalog.item_created", "review.submitted", "review.approved_step", "review.published"} <= actions


def test_approval_requires_five_checks_and_the_right_role(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    sub = services.submit_item(staff["editor"], item)
    task = current_task(sub)
    with pytest.raises(ValidationError, match="五关"):
        review.decide(staff["first_reviewer"], task, action="approve", checks={**ALL_CHECKS, "wording_ok": False})
    with pytest.raises(PermissionDenied):
        review.decide(staff["approver"], task, action="approve", checks=ALL_CHECKS)
    with pytest.raises(PermissionDenied):
        review.decide(staff["editor"], task, action="approve", checks=ALL_CHECKS)
    with pytest.raises(ValidationError, match="修改意见"):
        review.decide(staff["first_reviewer"], task, action="return", checks={})
    review.decide(staff["first_reviewer"], task, action="return", checks={}, comment="标题不规范")
    assert review_state(item).code == "returned"
    task.refresh_from_db()
    with pytest.raises(ValidationError, match="已被他人处理"):
        review.decide(staff["first_reviewer"], task, action="approve", checks=ALL_CHECKS)


def test_personal_data_blocks_secrecy_step_until_overridden(staff, column):
    body = "<p>联系人手机 13812345678。</p>"
    item = services.create_item(staff["editor"], column.organisation, item_data(column, body=body))
    sub = services.submit_item(staff["editor"], item)
    finding = sub.findings.get()
    assert finding.code == "mobile" and "13812345678" not in finding.excerpt
    review.decide(staff["first_reviewer"], current_task(sub), action="approve", checks=ALL_CHECKS)
    with pytest.raises(ValidationError, match="预检"):
        review.decide(staff["secrecy_reviewer"], current_task(sub), action="approve", checks=ALL_CHECKS)
    with pytest.raises(ValidationError):
        review.override_finding(staff["secrecy_reviewer"], finding, "")
    review.override_finding(staff["secrecy_reviewer"], finding, "办事联系电话，依规公开")
    review.decide(staff["secrecy_reviewer"], current_task(sub), action="approve", checks=ALL_CHECKS)
    assert current_task(sub).role == "approver"


def test_normative_document_needs_interpretation_or_reason(staff, column):
    org = column.organisation
    policy = services.create_item(
        staff["editor"], org, item_data(column, is_policy=True, is_normative=True, validity="valid")
    )
    services.submit_item(staff["editor"], policy)
    sub = review_state(policy).submission
    review.decide(staff["first_reviewer"], current_task(sub), action="approve", checks=ALL_CHECKS)
    review.decide(staff["secrecy_reviewer"], current_task(sub), action="approve", checks=ALL_CHECKS)
    with pytest.raises(ValidationError, match="政策解读"):
        review.decide(staff["approver"], current_task(sub), action="approve", checks=ALL_CHECKS)
    review.cancel(staff["editor"], sub)
    interp = services.create_item(
        staff["editor"], org,
        item_data(column, title="一图读懂：科技项目申报通知", interprets_id=policy.pk, interpretation_form="graphic",
                  document_number=""),
    )
    services.submit_item(staff["editor"], interp)
    approve_all(staff, interp)
    assert interp.live_revision_id is not None and not interp.is_live  # waits for its policy document
    services.submit_item(staff["editor"], policy)
    approve_all(staff, policy)
    interp.refresh_from_db()
    assert policy.is_live and interp.is_live and interp.go_live_at == policy.go_live_at


def test_editing_a_published_item_does_not_change_the_public_page(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    services.submit_item(staff["editor"], item)
    approve_all(staff, item)
    services.update_item(staff["editor"], item, item_data(column, title="改后的标题"), expected_version=item.lock_version)
    item.refresh_from_db()
    assert item.title == "关于开展2024年度科技项目申报工作的通知"
    page = Client().get(item.get_absolute_url()).content.decode()
    assert "改后的标题" not in page
    services.submit_item(staff["editor"], item)
    approve_all(staff, item)
    assert item.title == "改后的标题"


def test_second_save_of_the_same_version_is_refused(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    version = item.lock_version
    services.update_item(staff["editor"], item, item_data(column, title="第一人"), expected_version=version)
    with pytest.raises(ConflictError, match="已被他人修改"):
        services.update_item(staff["admin"], item, item_data(column, title="第二人"), expected_version=version)
    item.refresh_from_db()
    assert item.title == "第一人"


def test_withdrawn_item_disappears(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    services.submit_item(staff["editor"], item)
    approve_all(staff, item)
    with pytest.raises(ValidationError):
        services.withdraw_item(staff["editor"], item, "")
    services.withdraw_item(staff["editor"], item, "内容已过时，撤回")
    assert Client().get(item.get_absolute_url()).status_code == 404


def test_scheduled_publication_is_invisible_until_its_time(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    services.submit_item(staff["editor"], item, publish_at=timezone.now() + dt.timedelta(days=1))
    approve_all(staff, item)
    assert item.live_revision_id is not None and not item.is_live
    assert not Item.objects.live().filter(pk=item.pk).exists()
    assert Item.objects.live(timezone.now() + dt.timedelta(days=2)).filter(pk=item.pk).exists()


def test_duplicate_index_number_is_refused(staff, column):
    org = column.organisation
    services.create_item(staff["editor"], org, item_data(column, index_number="11640100MB1234567X/2024-00099"))
    with pytest.raises(ValidationError, match="已被其他信息使用"):
        services.create_item(staff["editor"], org, item_data(column, index_number="11640100MB1234567X/2024-00099"))
    assert Item.objects.count() == 1


def test_other_organisation_cannot_edit_or_review(staff, column):
    other = Organisation.objects.create(name="永宁县科技局", code="yn", index_code="X1")
    outsider = get_user_model().objects.create_user("outsider", password="correct-horse-battery")
    for role in Role.values:
        Membership.objects.create(user=outsider, organisation=other, role=role)
    with pytest.raises(PermissionDenied):
        services.create_item(outsider, column.organisation, item_data(column))
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    sub = services.submit_item(staff["editor"], item)
    with pytest.raises(PermissionDenied):
        review.decide(outsider, current_task(sub), action="approve", checks=ALL_CHECKS)
    assert StepTask.objects.filter(submission=sub, status="pending").count() == 1


def test_index_number_survives_later_edits(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    services.submit_item(staff["editor"], item)
    approve_all(staff, item)
    number = item.index_number
    assert number
    edited = selectors.working_copy(item)
    assert edited["index_number"] == number
    services.update_item(staff["editor"], item, item_data(column, title="修订后的通知"), expected_version=item.lock_version)
    services.submit_item(staff["editor"], item)
    approve_all(staff, item)
    assert item.index_number == number and item.title == "修订后的通知"


def test_scheduled_change_of_a_live_item_waits_for_the_worker(staff, column):
    item = services.create_item(staff["editor"], column.organisation, item_data(column))
    services.submit_item(staff["editor"], item)
    approve_all(staff, item)
    services.update_item(staff["editor"], item, item_data(column, title="定时生效的新标题"), expected_version=item.lock_version)
    when = timezone.now() + dt.timedelta(hours=2)
    services.submit_item(staff["editor"], item, publish_at=when)
    approve_all(staff, item)
    assert item.title != "定时生效的新标题" and item.is_live
    assert review.publish_due(when - dt.timedelta(minutes=1)) == 0
    assert review.publish_due(when + dt.timedelta(minutes=1)) == 1
    item.refresh_from_db()
    assert item.title == "定时生效的新标题" and item.is_live
