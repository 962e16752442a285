"""Writes of consultations on draft policies (意见征集): the consultation, public comments and their moderation,
and the feedback report (采纳情况反馈) that links the final policy document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from gongkai.catalog import selectors as catalog_selectors
from gongkai.core import ratelimit
from gongkai.core.concurrency import lock_version_of, save_version
from gongkai.core.personal_data import email_problem, mask_text
from gongkai.core.services import public_content_changed, record_event
from gongkai.orgs.models import Organisation

from ..models import (
    MAJOR_DECISION_MIN_DAYS,
    Comment,
    Consultation,
    FeedbackEntry,
    FeedbackReport,
)
from .common import NAME_MAX, address_hash, clean_text, hourly_limit, require_editor

COMMENT_MAX = 5000
_CONSULTATION_CONFLICT = gettext_lazy("该意见征集已被他人修改，您的修改未保存。请刷新页面后再编辑。")


CONSULTATION_FIELDS = ("title", "explanation", "draft_text", "is_major", "starts_on", "ends_on",
                       "short_period_reason", "contact")


def _clean_consultation(data: dict[str, Any]) -> dict[str, Any]:
    from gongkai.core.rich_text import sanitize_html

    clean: dict[str, Any] = {k: data.get(k) for k in CONSULTATION_FIELDS}
    clean["title"] = clean_text(clean["title"])
    clean["explanation"] = sanitize_html(clean["explanation"] or "")
    clean["draft_text"] = sanitize_html(clean["draft_text"] or "")
    clean["short_period_reason"] = clean_text(clean["short_period_reason"])
    clean["contact"] = clean_text(clean["contact"])
    clean["is_major"] = bool(clean["is_major"])
    errors: dict[str, str] = {}
    if not clean["title"]:
        errors["title"] = gettext("请填写标题。")
    elif len(clean["title"]) > 200:
        errors["title"] = gettext("标题最多200个字。")
    if not clean["explanation"].strip():
        errors["explanation"] = gettext("请填写起草说明。")
    if not clean["draft_text"].strip():
        errors["draft_text"] = gettext("请填写征求意见稿正文。")
    starts, ends = clean["starts_on"], clean["ends_on"]
    if not isinstance(starts, dt.date):
        errors["starts_on"] = gettext("请填写开始日期。")
    if not isinstance(ends, dt.date):
        errors["ends_on"] = gettext("请填写截止日期。")
    if isinstance(starts, dt.date) and isinstance(ends, dt.date):
        if ends < starts:
            errors["ends_on"] = gettext("截止日期不能早于开始日期。")
        elif clean["is_major"] and (ends - starts).days + 1 < MAJOR_DECISION_MIN_DAYS and not clean["short_period_reason"]:
            errors["short_period_reason"] = (
                gettext("重大行政决策征求意见期一般不少于%(minimum)s日，当前为%(days)s日。如确需缩短，请填写理由（将向社会公开）。") % {
                    "minimum": MAJOR_DECISION_MIN_DAYS, "days": (ends - starts).days + 1}
            )
    if errors:
        raise ValidationError(errors)
    return clean


def create_consultation(user: Any, org: Organisation, data: dict[str, Any]) -> Consultation:
    """起草意见征集 (not public until opened)."""
    require_editor(user, org)
    clean = _clean_consultation(data)
    with transaction.atomic():
        c = Consultation.objects.create(organisation=org, created_by=user, **clean)
        record_event(actor=user, action="interaction.consultation_created", obj=c, organisation_id=org.pk,
                     summary=gettext("起草意见征集：%(title)s") % {"title": c.title})
    return c


def update_consultation(user: Any, c: Consultation, data: dict[str, Any], *, expected_version: int) -> Consultation:
    require_editor(user, c.organisation)
    clean = _clean_consultation(data)
    with transaction.atomic():
        c = lock_version_of(c, expected_version, message=_CONSULTATION_CONFLICT)
        phase = c.phase()
        if phase not in (Consultation.Phase.DRAFT, Consultation.Phase.UPCOMING, Consultation.Phase.OPEN):
            raise ValidationError(gettext("征集已结束，不能再修改。"))
        if phase == Consultation.Phase.OPEN and clean["starts_on"] != c.starts_on:
            raise ValidationError({"starts_on": gettext("征集已开始，不能修改开始日期。")})
        for k, v in clean.items():
            setattr(c, k, v)
        save_version(c)
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(actor=user, action="interaction.consultation_updated", obj=c, organisation_id=c.organisation_id,
                     summary=gettext("修改意见征集：%(title)s") % {"title": c.title})
    return c


def open_consultation(user: Any, c: Consultation, *, expected_version: int) -> Consultation:
    """发布征集: the consultation appears on the portal and takes comments from its start date to its end date."""
    require_editor(user, c.organisation)
    with transaction.atomic():
        c = lock_version_of(c, expected_version, message=_CONSULTATION_CONFLICT)
        if c.published_at is not None:
            raise ValidationError(gettext("该意见征集已发布。"))
        if c.ends_on < timezone.localdate():
            raise ValidationError({"ends_on": gettext("截止日期已过，请先修改征集期限。")})
        if c.is_short_for_major and not c.short_period_reason:
            raise ValidationError({"short_period_reason": gettext("重大行政决策征求意见期少于30日，须填写理由。")})
        c.published_at = timezone.now()
        save_version(c, "published_at")
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(actor=user, action="interaction.consultation_opened", obj=c, organisation_id=c.organisation_id,
                     summary=gettext("发布意见征集：%(title)s") % {"title": c.title}, data={"starts_on": c.starts_on.isoformat(),
                                                              "ends_on": c.ends_on.isoformat()})
    return c


def close_consultation(user: Any, c: Consultation, *, expected_version: int) -> Consultation:
    """结束征集 (early, or to record the end of a period that has run out)."""
    require_editor(user, c.organisation)
    with transaction.atomic():
        c = lock_version_of(c, expected_version, message=_CONSULTATION_CONFLICT)
        if c.published_at is None:
            raise ValidationError(gettext("征集尚未发布。"))
        if c.closed_at is not None:
            raise ValidationError(gettext("征集已结束。"))
        c.closed_at = timezone.now()
        save_version(c, "closed_at")
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(actor=user, action="interaction.consultation_closed", obj=c, organisation_id=c.organisation_id,
                     summary=gettext("结束意见征集：%(title)s") % {"title": c.title})
    return c


@dataclass(frozen=True)
class CommentInput:
    body: str
    name: str = ""
    email: str = ""


def submit_comment(
    c: Consultation, data: CommentInput, *, address: str | None = None, now: dt.datetime | None = None
) -> Comment:
    """A member of the public comments. Refused, with the reason, outside the consultation period."""
    now = now or timezone.now()
    body, name, email = clean_text(data.body), clean_text(data.name), clean_text(data.email)
    today = timezone.localdate(now)
    phase = c.phase(today)
    if phase != Consultation.Phase.OPEN:
        if phase == Consultation.Phase.UPCOMING:
            raise ValidationError(gettext("该意见征集将于%(date)s开始，届时方可提交意见。您填写的内容仍保留在表单中。") % {
                "date": date_format(c.starts_on, "DATE_FORMAT")})
        if phase == Consultation.Phase.DRAFT:
            raise ValidationError(gettext("该意见征集尚未发布。"))
        ended = timezone.localdate(c.closed_at) if c.closed_at else c.ends_on
        raise ValidationError(
            gettext("该意见征集已于%(date)s结束，不再接收意见。您填写的内容仍保留在表单中；"
                    "如有意见建议，可通过局长信箱来信反映。") % {"date": date_format(ended, "DATE_FORMAT")}
        )
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = gettext("请填写意见建议。")
    elif len(body) > COMMENT_MAX:
        errors["body"] = gettext("意见最多%(limit)s个字，当前%(count)s个字，请精简后提交。") % {"limit": COMMENT_MAX, "count": len(body)}
    if len(name) > NAME_MAX:
        errors["name"] = gettext("姓名最多%(limit)s个字。") % {"limit": NAME_MAX}
    if email and (problem := email_problem(email)):
        errors["email"] = problem
    if errors:
        raise ValidationError(errors)
    ratelimit.hit("consultation-comment", address, hourly_limit("GONGKAI_COMMENTS_PER_HOUR", 10))
    digest = address_hash(address)
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation=c, body=body, name=name, email=email, submitted_at=now, address_hash=digest
        )
        record_event(actor=None, actor_label="public", action="interaction.comment_received", obj=comment,
                     organisation_id=c.organisation_id, summary=gettext("收到征集意见：%(title)s") % {"title": c.title})
    return comment


def moderate_comment(user: Any, comment: Comment, status: str, reason: str = "") -> Comment:
    """审核意见: show an approved comment publicly (personal data masked) or keep it off the page with a reason."""
    c = comment.consultation
    require_editor(user, c.organisation)
    reason = clean_text(reason)
    if status not in (Comment.Status.APPROVED, Comment.Status.REJECTED):
        raise ValidationError({"status": gettext("未知的审核结果。")})
    if status == Comment.Status.REJECTED and len(reason) < 2:
        raise ValidationError({"reason": gettext("不予展示时请填写理由。")})
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        locked.status = status
        locked.moderation_reason = reason[:300]
        locked.moderated_by = user
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(actor=user, action="interaction.comment_moderated", obj=locked, organisation_id=c.organisation_id,
                     summary=gettext("审核征集意见：%(status)s") % {"status": locked.get_status_display()}, data={"status": status})
    return locked


def _report_for(c: Consultation) -> FeedbackReport:
    report, _ = FeedbackReport.objects.get_or_create(consultation=c)
    return report


def save_feedback(
    user: Any, c: Consultation, *, summary: str, final_item_id: int | None, expected_version: int
) -> FeedbackReport:
    """起草采纳情况反馈: the overall account and the final policy document (a live catalog item) it leads to."""
    require_editor(user, c.organisation)
    summary = clean_text(summary)
    if final_item_id is not None:
        item = catalog_selectors.live_item(final_item_id)
        if item is None:
            raise ValidationError({"final_item": gettext("所选正式文件不存在或尚未发布。")})
        if item.organisation_id != c.organisation_id:
            raise ValidationError({"final_item": gettext("正式文件须为本机构发布的信息。")})
    with transaction.atomic():
        report = _report_for(c)
        report = lock_version_of(report, expected_version, message=gettext("采纳情况反馈已被他人修改，您的修改未保存。请刷新页面后再编辑。"))
        report.summary = summary
        report.final_item_id = final_item_id
        save_version(report, "summary", "final_item")
        record_event(actor=user, action="interaction.feedback_saved", obj=report, organisation_id=c.organisation_id,
                     summary=gettext("起草采纳情况反馈：%(title)s") % {"title": c.title}, data={"final_item": final_item_id})
    return report


def add_feedback_entry(
    user: Any, c: Consultation, *, opinion: str, comment_count: int, decision: str, reason: str
) -> FeedbackEntry:
    require_editor(user, c.organisation)
    opinion, reason = clean_text(opinion), clean_text(reason)
    errors: dict[str, str] = {}
    if not opinion:
        errors["opinion"] = gettext("请填写意见摘要。")
    if decision not in FeedbackEntry.Decision.values:
        errors["decision"] = gettext("请选择采纳情况。")
    if not reason:
        errors["reason"] = gettext("请说明采纳或不采纳的理由。")
    if comment_count < 1:
        errors["comment_count"] = gettext("意见条数至少为1。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = _report_for(c)
        if report.published_at is not None:
            raise ValidationError(gettext("采纳情况反馈已发布，不能再修改。"))
        entry = FeedbackEntry.objects.create(
            report=report, opinion=mask_text(opinion), comment_count=comment_count, decision=decision,
            reason=reason, order=report.entries.count() + 1,
        )
        record_event(actor=user, action="interaction.feedback_entry_added", obj=entry, organisation_id=c.organisation_id,
                     summary=gettext("反馈条目（%(decision)s）：%(title)s") % {"decision": entry.get_decision_display(), "title": c.title})
    return entry


def remove_feedback_entry(user: Any, entry: FeedbackEntry) -> None:
    c = entry.report.consultation
    require_editor(user, c.organisation)
    with transaction.atomic():
        if entry.report.published_at is not None:
            raise ValidationError(gettext("采纳情况反馈已发布，不能再修改。"))
        pk = entry.pk
        entry.delete()
        record_event(actor=user, action="interaction.feedback_entry_removed", object_type="interaction.feedbackentry",
                     object_id=pk, organisation_id=c.organisation_id, summary=gettext("删除反馈条目：%(title)s") % {"title": c.title})


def publish_feedback(user: Any, c: Consultation, *, expected_version: int) -> FeedbackReport:
    """发布采纳情况反馈: after the period, with at least one entry and the final policy document linked."""
    require_editor(user, c.organisation)
    with transaction.atomic():
        report = _report_for(c)
        report = lock_version_of(report, expected_version, message=gettext("采纳情况反馈已被他人修改，请刷新页面后再发布。"))
        c.refresh_from_db()
        if c.phase() not in (Consultation.Phase.CLOSED,):
            raise ValidationError(gettext("征集结束后才能发布采纳情况反馈。") if report.published_at is None else gettext("采纳情况反馈已发布。"))
        if not report.entries.exists():
            raise ValidationError(gettext("请至少填写一条反馈条目（采纳、部分采纳或未采纳及理由）。"))
        if report.final_item_id is None or catalog_selectors.live_item(report.final_item_id) is None:
            raise ValidationError({"final_item": gettext("请先关联已发布的正式政策文件。")})
        report.published_at = timezone.now()
        save_version(report, "published_at")
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(actor=user, action="interaction.feedback_published", obj=report,
                     organisation_id=c.organisation_id, summary=gettext("发布采纳情况反馈：%(title)s") % {"title": c.title},
                     data={"final_item": report.final_item_id})
    return report

