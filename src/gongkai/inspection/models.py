"""What the inspection stores: availability probes (可用性监测) and the external-link check cache.

The inspection never writes to the catalog; these rows are its own observations.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from gongkai.orgs.models import Organisation


class Probe(models.Model):
    """One request gongkai made to one of its own public pages (站点可用性监测)."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="the organisation whose site page was probed; empty for the platform home page",
    )
    url = models.CharField(gettext_lazy("地址"), max_length=500)
    probed_at = models.DateTimeField(gettext_lazy("时间"), db_index=True)
    status = models.PositiveIntegerField(gettext_lazy("状态码"), null=True, blank=True, help_text="empty when no answer came")
    duration = models.FloatField(gettext_lazy("用时（秒）"))
    error = models.CharField(gettext_lazy("错误"), max_length=300, blank=True)

    class Meta:
        ordering = ["-probed_at", "-id"]
        verbose_name = gettext_lazy("可用性监测记录")
        verbose_name_plural = gettext_lazy("可用性监测记录")

    def __str__(self) -> str:
        return f"{self.url} {self.status or self.error} {self.duration:.2f}s"


class LinkCheck(models.Model):
    """The latest answer of one external address (站外链接检测缓存), reused until it is older than the cache age."""

    url = models.CharField(gettext_lazy("地址"), max_length=1000, unique=True)
    checked_at = models.DateTimeField(gettext_lazy("检测时间"))
    status = models.PositiveIntegerField(gettext_lazy("状态码"), null=True, blank=True)
    ok = models.BooleanField(gettext_lazy("可访问"))
    error = models.CharField(gettext_lazy("错误"), max_length=300, blank=True)

    class Meta:
        ordering = ["url"]
        verbose_name = gettext_lazy("站外链接检测")
        verbose_name_plural = gettext_lazy("站外链接检测")

    def __str__(self) -> str:
        return f"{self.url} {'ok' if self.ok else 'dead'}"


class InspectionRun(models.Model):
    """一次网站自查: one evaluation of a site that the platform ran (the weekly self-inspection), kept so that a
    period's runs, the problems they found and those a later run no longer found can be counted (政府网站工作年度报表
    › 安全防护, 季度自查报告).

    ``problems`` holds one key per finding (indicator and what it was about), not the findings' text; ``vetoes``
    the single-veto indicators that failed and ``points_lost`` the points deducted, so a supervisor's ranking reads
    the stored run instead of inspecting again.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    at = models.DateField(gettext_lazy("检查日期"), db_index=True)
    ran_at = models.DateTimeField(gettext_lazy("运行时间"), auto_now_add=True)
    passed = models.BooleanField(gettext_lazy("合格"))
    problems = models.JSONField(gettext_lazy("发现的问题"), default=list)
    vetoes = models.JSONField(gettext_lazy("单项否决指标"), default=list)
    points_lost = models.PositiveIntegerField(gettext_lazy("扣分"), default=0)

    class Meta:
        ordering = ["organisation", "-at", "-id"]
        indexes = [models.Index(fields=["organisation", "at"], name="inspection_run_org_at")]
        verbose_name = gettext_lazy("自查记录")
        verbose_name_plural = gettext_lazy("自查记录")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.at} {len(self.problems)}"
