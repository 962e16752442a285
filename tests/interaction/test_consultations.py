"""Consultations (意见征集): drafting, the 30-day rule for major decisions, comments, moderation, feedback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.catalog.models import Column, Item
from gongkai.core.concurrency import ConflictError
from gongkai.core.ratelimit import RateLimited
from gongkai.interaction import selectors, services
from gongkai.interaction.models import Comment, Consultation, FeedbackEntry
from tests.interaction.factories import Staff

pytestmark = pytest.mark.django_db


def draft_data(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "title": "《明川市科技创新券管理办法（征求意见稿）》公开征求意见",
        "explanation": "<p>为落实创新驱动发展战略，起草了本办法。</p><script>alert(1)</script>",
        "draft_text": "<p>第一条 为规范科技创新券管理……</p>",
        "is_major": True,
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=29),
        "short_period_reason": "",
        "contact": "市科技局政策法规科",
    }
    data.update(overrides)
    return data


def live_policy(org: Any, user: Any) -> Item:
    column = Column.objects.create(organisation=org, name="政策文件", slug="zcwj")
    now = timezone.now()
    return Item.objects.create(organisation=org, column=column, title="明川市科技创新券管理办法", is_policy=True,
                               created_by=user, published_at=now, go_live_at=now,
                               live_revision=_revision(user))


def _revision(user: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from gongkai.review.models import Revision

    return Revision.objects.create(content_type=ContentType.objects.get_for_model(Item), object_id=0, number=1,
                                   snapshot={}, created_by=user)


def test_major_decision_shorter_than_30_days_needs_a_reason(staff: Staff) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_consultation(staff.editor, staff.org, draft_data(ends_on=timezone.localdate() + dt.timedelta(days=14)))
    assert "30" in exc.value.message_dict["short_period_reason"][0]
    c = services.create_consultation(staff.editor, staff.org, draft_data(
        ends_on=timezone.localdate() + dt.timedelta(days=14), short_period_reason="上级要求限期出台"))
    assert c.is_short_for_major
    full = services.create_consultation(staff.editor, staff.org, draft_data())
    assert full.period_days == 30 and not full.is_short_for_major
    assert "<script>" not in full.explanation
    minor = services.create_consultation(staff.editor, staff.org, draft_data(
        is_major=False, ends_on=timezone.localdate() + dt.timedelta(days=6)))
    assert not minor.is_short_for_major


def test_dates_must_be_in_order(staff: Staff) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_consultation(staff.editor, staff.org, draft_data(ends_on=timezone.localdate() - dt.timedelta(days=1)))
    assert "ends_on" in exc.value.message_dict


def test_full_run_from_draft_to_published_feedback(staff: Staff) -> None:
    c = services.create_consultation(staff.editor, staff.org, draft_data())
    assert c.phase() == Consultation.Phase.DRAFT
    assert selectors.public_consultation(c.pk) is None
    with pytest.raises(ValidationError, match="尚未发布"):
        services.submit_comment(c, services.CommentInput(body="意见"))
    services.open_consultation(staff.editor, c, expected_version=c.lock_version)
    assert selectors.public_consultation(c.pk) == c
    comment = services.submit_comment(c, services.CommentInput(body="建议提高创新券额度，电话13812345678", name="赵六"),
                                      address="10.2.2.2")
    spam = services.submit_comment(c, services.CommentInput(body="广告广告"), address="10.2.2.3")
    services.moderate_comment(staff.editor, comment, Comment.Status.APPROVED)
    with pytest.raises(ValidationError):
        services.moderate_comment(staff.editor, spam, Comment.Status.REJECTED, "")
    services.moderate_comment(staff.editor, spam, Comment.Status.REJECTED, "广告")
    assert list(selectors.approved_comments(c)) == [comment]

    with pytest.raises(ValidationError, match="征集结束后"):
        services.publish_feedback(staff.editor, c, expected_version=0)
    c.refresh_from_db()
    services.close_consultation(staff.editor, c, expected_version=c.lock_version)
    with pytest.raises(ValidationError, match="已于"):
        services.submit_comment(c, services.CommentInput(body="迟到的意见"))

    report = services.save_feedback(staff.editor, c, summary="共收到意见2条。", final_item_id=None, expected_version=0)
    with pytest.raises(ValidationError, match="反馈条目"):
        services.publish_feedback(staff.editor, c, expected_version=report.lock_version)
    services.add_feedback_entry(staff.editor, c, opinion="建议提高额度，联系13812345678", comment_count=1,
                                decision=FeedbackEntry.Decision.PARTLY, reason="单家企业年度上限提高至30万元。")
    report.refresh_from_db()
    assert "13812345678" not in report.entries.get().opinion
    with pytest.raises(ValidationError) as exc:
        services.publish_feedback(staff.editor, c, expected_version=report.lock_version)
    assert "final_item" in exc.value.message_dict
    item = live_policy(staff.org, staff.editor)
    report = services.save_feedback(staff.editor, c, summary="共收到意见2条。", final_item_id=item.pk,
                                    expected_version=report.lock_version)
    with pytest.raises(ConflictError):
        services.publish_feedback(staff.editor, c, expected_version=report.lock_version - 1)
    services.publish_feedback(staff.editor, c, expected_version=report.lock_version)
    c.refresh_from_db()
    assert c.phase() == Consultation.Phase.REPORTED
    published = selectors.published_feedback(c)
    assert published is not None and selectors.final_item_of(published) == item
    with pytest.raises(ValidationError):
        services.add_feedback_entry(staff.editor, c, opinion="再加一条", comment_count=1,
                                    decision=FeedbackEntry.Decision.ADOPTED, reason="理由")


def test_final_document_must_be_a_live_item_of_the_organisation(staff: Staff, make_org: Callable[..., Staff]) -> None:
    other = make_org("other", "其他局")
    c = services.create_consultation(staff.editor, staff.org, draft_data())
    item = live_policy(other.org, other.editor)
    with pytest.raises(ValidationError) as exc:
        services.save_feedback(staff.editor, c, summary="", final_item_id=item.pk, expected_version=0)
    assert "final_item" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.save_feedback(staff.editor, c, summary="", final_item_id=999_999, expected_version=0)


def test_comment_before_start_and_oversized_comment(staff: Staff) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    c = services.create_consultation(staff.editor, staff.org, draft_data(starts_on=tomorrow, ends_on=tomorrow + dt.timedelta(days=30)))
    services.open_consultation(staff.editor, c, expected_version=c.lock_version)
    assert c.phase() == Consultation.Phase.UPCOMING
    with pytest.raises(ValidationError, match="开始"):
        services.submit_comment(c, services.CommentInput(body="提前的意见"))
    now = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.submit_comment(c, services.CommentInput(body="长" * 5001), now=now)
    assert "5001" in exc.value.message_dict["body"][0]
    assert Comment.objects.count() == 0


def test_comment_rate_limit(staff: Staff, settings: Any) -> None:
    settings.GONGKAI_COMMENTS_PER_HOUR = 2
    c = services.create_consultation(staff.editor, staff.org, draft_data())
    services.open_consultation(staff.editor, c, expected_version=c.lock_version)
    for _ in range(2):
        services.submit_comment(c, services.CommentInput(body="意见"), address="198.51.100.1")
    with pytest.raises(RateLimited):
        services.submit_comment(c, services.CommentInput(body="意见"), address="198.51.100.1")


def test_concurrent_edits_and_permissions(staff: Staff, make_org: Callable[..., Staff]) -> None:
    c = services.create_consultation(staff.editor, staff.org, draft_data())
    seen = c.lock_version
    services.update_consultation(staff.editor, c, draft_data(title="第一次修改"), expected_version=seen)
    with pytest.raises(ConflictError):
        services.update_consultation(staff.admin, c, draft_data(title="第二次修改"), expected_version=seen)
    c.refresh_from_db()
    assert c.title == "第一次修改"
    other = make_org("other", "其他局")
    with pytest.raises(PermissionDenied):
        services.open_consultation(other.editor, c, expected_version=c.lock_version)


def test_consultation_figures(staff: Staff) -> None:
    c = services.create_consultation(staff.editor, staff.org, draft_data(
        ends_on=timezone.localdate() + dt.timedelta(days=9), short_period_reason="时间紧"))
    services.open_consultation(staff.editor, c, expected_version=c.lock_version)
    services.submit_comment(c, services.CommentInput(body="意见"), address="10.3.3.3")
    services.create_consultation(staff.editor, staff.org, draft_data())  # a draft: not counted
    today = timezone.localdate()
    figures = selectors.consultation_figures([staff.org.pk], today.replace(month=1, day=1), today.replace(month=12, day=31))
    assert (figures.consultations, figures.major, figures.short_major, figures.comments, figures.feedback_published) == (1, 1, 1, 1, 0)
