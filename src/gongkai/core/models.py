"""Shared kernel models: the audit trail and gap-free counters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit trail is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only")


class AuditEvent(models.Model):
    """One state change (审计记录): who did what to which object, when, and from which address.

    Append-only: rows are never updated or deleted through the ORM.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="who acted when no user did (public, system)")
    address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only")


class Counter(models.Model):
    """A gap-free counter (索引号, tracking numbers), one row per scope, locked while it is advanced."""

    scope = models.CharField(max_length=200, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("计数器")
        verbose_name_plural = _("计数器")

    def __str__(self) -> str:
        return f"{self.scope}={self.value}"


class CalendarOverride(models.Model):
    """An administrator's entry for one date of the working-day calendar (日历调整).

    It wins over chinesecalendar and the weekend rule: a holiday (放假) makes the date a rest day, a workday
    (调休上班) makes it a working day. Written only through `core.calendar_services`, which records the audit
    event and lets other apps recompute open deadlines.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假（休息日）")
        WORKDAY = "workday", _("调休上班（工作日）")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节假日名称"), max_length=100, blank=True, help_text=_("如：春节、国庆节"))
    note = models.CharField(
        _("备注"), max_length=300, blank=True, help_text=_("依据，如国务院办公厅通知文号")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarYearSchedule(models.Model):
    """An administrator's declaration that a year's whole holiday schedule is entered (年度节假日安排已录入).

    Years that chinesecalendar does not cover are provisional (weekend rule only, staff warned) until an
    administrator has entered that year's overrides from the State Council's notice and declared it here.
    Declaring is a separate act, not inferred from "the year has some override", because a half-entered
    year must still warn.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据"), max_length=300, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")

    def __str__(self) -> str:
        return f"{self.year}"


class PeriodicRun(models.Model):
    """When a periodic job (定时任务: scheduled publishing, reminders, digests) last ran, shared by all workers."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self) -> str:
        return self.name


class RateCounter(models.Model):
    """Attempts of one scope by one client in one fixed window (限流计数), advanced atomically by
    `core.ratelimit`; rows of ended windows are purged by a periodic job. The client is a keyed digest."""

    key = models.CharField(max_length=200, unique=True)
    expires_at = models.BigIntegerField(db_index=True, help_text="end of the window, in Unix seconds")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class OutgoingMail(models.Model):
    """One e-mail waiting for, or past, delivery (待发邮件): written in the transaction of the change it tells
    about, delivered by the background worker after that transaction commits, retried when the mail server
    fails, and visible to administrators. Once delivered, the stored body keeps personal data and tracking
    secrets masked; until then it holds what must be sent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(_("类型"), max_length=64, blank=True, help_text="what the mail is about, e.g. applications.step")
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    recipients = models.JSONField(_("收件人"), default=list)
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True, db_index=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("邮件")
        verbose_name_plural = _("邮件")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.subject}"
