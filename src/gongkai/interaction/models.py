"""Talking with the public (政民互动): the director's mailbox and consultations on draft policies.

Personal data of letter writers and commenters (name, e-mail, telephone) lives in its own fields and never
reaches public pages, logs or audit summaries; what the portal shows of a letter is the public version staff
wrote (`public_*`), checked free of personal data when it was published.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation

DEFAULT_REPLY_DAYS = 10
DEFAULT_REMINDER_DAYS = 2
MAJOR_DECISION_MIN_DAYS = 30


class MailboxSettings(models.Model):
    """局长信箱设置: one organisation's reply limit in working days and when staff are reminded."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="mailbox_settings")
    reply_days = models.PositiveSmallIntegerField(
        _("答复期限（工作日）"), default=DEFAULT_REPLY_DAYS, help_text=_("自收到来信次日起计算的工作日数")
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("提前提醒（工作日）"), default=DEFAULT_REMINDER_DAYS, help_text=_("到期前几个工作日向承办人发送提醒邮件")
    )
    accepts_letters = models.BooleanField(_("接收来信"), default=True)

    class Meta:
        verbose_name = _("局长信箱设置")
        verbose_name_plural = _("局长信箱设置")

    def __str__(self) -> str:
        return gettext("%(organisation)s：%(days)s个工作日") % {"organisation": self.organisation, "days": self.reply_days}


class Letter(models.Model):
    """局长信箱来信: one letter from the public, its handling and, once answered, its published version (选登)."""

    class Kind(models.TextChoices):
        CONSULT = "consult", _("咨询")
        SUGGEST = "suggest", _("建议")
        COMPLAIN = "complain", _("投诉")
        HELP = "help", _("求助")

    class Status(models.TextChoices):
        RECEIVED = "received", _("待分办")
        ASSIGNED = "assigned", _("办理中")
        ANSWERED = "answered", _("已答复")
        MERGED = "merged", _("已合并")
        CLOSED = "closed", _("已关闭")

    OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="letters")
    tracking_number = models.CharField(_("查询编号"), max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="HMAC of the writer's secret; the secret is never stored")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("主题"), max_length=100)
    body = models.TextField(_("内容"))
    # Personal data (个人信息): staff-only, masked by default.
    writer_name = models.CharField(_("姓名"), max_length=50)
    writer_email = models.EmailField(_("电子邮箱"), blank=True)
    writer_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True, help_text="HMAC of the sender's address")
    attachment = models.FileField(_("附件"), upload_to="interaction/letters/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_mime = models.CharField(max_length=100, blank=True)
    consent_to_publish = models.BooleanField(_("同意选登"), default=False)
    consent_note = models.CharField(
        _("选登同意记录"), max_length=200, blank=True, help_text=_("来信人同意公开的方式，如：来信时勾选同意")
    )

    received_at = models.DateTimeField(_("留言时间"), default=timezone.now, db_index=True)
    due_on = models.DateField(_("答复期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    closed_reason = models.CharField(_("关闭或合并理由"), max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # The public version (选登), written by staff from the masked letter and reply.
    public_subject = models.CharField(_("公开标题"), max_length=100, blank=True)
    public_question = models.TextField(_("公开留言内容"), blank=True)
    public_answer = models.TextField(_("公开答复内容"), blank=True)
    published_at = models.DateTimeField(_("选登时间"), null=True, blank=True, db_index=True)

    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("局长信箱来信")
        verbose_name_plural = _("局长信箱来信")
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.is_open:
            return self.due_on < today
        return False

    @property
    def answered_late(self) -> bool:
        return self.answered_at is not None and timezone.localdate(self.answered_at) > self.due_on

    def get_absolute_url(self) -> str:
        return reverse("interact:letter", kwargs={"pk": self.pk})


class Reply(models.Model):
    """答复: staff's answer to a letter. It goes to the writer only after the organisation's review (审核)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("答复内容"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("答复")
        verbose_name_plural = _("答复")

    def __str__(self) -> str:
        return gettext("答复 %(number)s：%(subject)s") % {
            "number": self.letter.tracking_number, "subject": self.letter.subject}


class Consultation(models.Model):
    """意见征集: a draft policy put out for public comment, with its explanation (起草说明) and period."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("草稿")
        UPCOMING = "upcoming", _("即将开始")
        OPEN = "open", _("征集中")
        CLOSED = "closed", _("已结束")
        REPORTED = "reported", _("已反馈")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(_("标题"), max_length=200)
    explanation = models.TextField(_("起草说明"), help_text=_("起草背景、依据和主要内容"))
    draft_text = models.TextField(_("征求意见稿"))
    is_major = models.BooleanField(_("重大行政决策"), default=False)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    short_period_reason = models.CharField(
        _("征集期少于30日的理由"), max_length=300, blank=True,
        help_text=_("重大行政决策征求意见期一般不少于30日；少于30日的须说明理由并公开"),
    )
    contact = models.CharField(_("联系方式（机关）"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")

    def __str__(self) -> str:
        return self.title

    @property
    def period_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def is_short_for_major(self) -> bool:
        return self.is_major and self.period_days < MAJOR_DECISION_MIN_DAYS

    def phase(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.published_at is None:
            return self.Phase.DRAFT
        if hasattr(self, "feedback") and self.feedback.published_at is not None:
            return self.Phase.REPORTED
        if self.closed_at is not None or today > self.ends_on:
            return self.Phase.CLOSED
        if today < self.starts_on:
            return self.Phase.UPCOMING
        return self.Phase.OPEN

    def phase_label(self) -> str:
        return str(self.Phase(self.phase()).label)

    def accepts_comments(self, today: dt.date | None = None) -> bool:
        return self.phase(today) == self.Phase.OPEN

    def get_absolute_url(self) -> str:
        return reverse("interact:consultation", kwargs={"pk": self.pk})


class Comment(models.Model):
    """征集意见: one comment from the public on a consultation, moderated by staff before it is shown."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已采用展示")
        REJECTED = "rejected", _("不予展示")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(_("姓名（可选）"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱（可选）"), blank=True)
    body = models.TextField(_("意见建议"))
    submitted_at = models.DateTimeField(default=timezone.now)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(_("审核说明"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("征集意见")
        verbose_name_plural = _("征集意见")

    def __str__(self) -> str:
        return gettext("意见 #%(number)s") % {"number": self.pk}


class FeedbackReport(models.Model):
    """采纳情况反馈: after a consultation closes, what was adopted and why, linked to the final policy document."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="feedback")
    summary = models.TextField(_("总体情况"), blank=True)
    final_item = models.ForeignKey(
        "catalog.Item", verbose_name=_("正式文件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("反馈发布时间"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("采纳情况反馈")
        verbose_name_plural = _("采纳情况反馈")

    def __str__(self) -> str:
        return gettext("%(consultation)s：采纳情况反馈") % {"consultation": self.consultation}


class FeedbackEntry(models.Model):
    """反馈条目: one opinion (or group of like opinions) and whether it was adopted, with the reason."""

    class Decision(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    report = models.ForeignKey(FeedbackReport, on_delete=models.CASCADE, related_name="entries")
    opinion = models.TextField(_("意见摘要"))
    comment_count = models.PositiveIntegerField(_("意见条数"), default=1)
    decision = models.CharField(_("采纳情况"), max_length=12, choices=Decision.choices)
    reason = models.TextField(_("理由说明"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["report", "order", "id"]
        verbose_name = _("反馈条目")
        verbose_name_plural = _("反馈条目")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}：{self.opinion[:20]}"
