"""Annual reports kept by the platform (年度报告), their versions, and the figures staff enter (人工填报数据).

A report row holds the report's JSON form (``document.py``); every save adds an `AnnualReportVersion`, so
nothing an editor wrote is ever lost. Publishing freezes the row: the public pages, downloads and
``gongkai report --org --year`` serve exactly that JSON from then on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation

from .document import MIN_YEAR


class AnnualReport(models.Model):
    """年度报告: one organisation's statutory report on one year, in the edition (格式) it was written in."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("报告机关")
    )
    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(2100)]
    )
    family = models.CharField(
        _("报告种类"), max_length=20, default="disclosure",
        help_text=_("disclosure：政府信息公开工作年度报告；website：政府网站工作年度报表。"),
    )
    edition = models.CharField(_("报告格式"), max_length=20)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    document = models.JSONField(_("报告内容"), default=dict)
    lock_version = models.PositiveIntegerField(default=0, help_text="optimistic lock: refused if it moved under you")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("发布人"),
    )
    override_reason = models.TextField(
        _("带问题发布的理由"), blank=True, help_text=_("检查未通过仍发布时，签发人记录的理由。")
    )
    failures_at_publish = models.JSONField(_("发布时未通过的检查"), default=list, blank=True)
    # What the supervisor's dashboard shows of this report (key figures, failed identities, other failures), kept
    # by the services whenever the document is written so that a dashboard over 2,000 reports reads, not checks.
    dashboard_summary = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["organisation__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "family"], name="reports_one_report_per_org_year_family"),
        ]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")

    def __str__(self) -> str:
        from .spec import load_format

        try:
            return load_format(self.edition).title_for(self.organisation.name, self.year)
        except KeyError:
            return f"{self.organisation.name} {self.year} {self.edition}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class AnnualReportVersion(models.Model):
    """年度报告版本: the report's JSON form as one save left it, with who saved it and why."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    document = models.JSONField(_("报告内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("保存人")
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_number_unique"),
        ]
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


def _count(label: Any) -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(label, default=0)


def _change(label: Any) -> models.IntegerField[int, int]:
    return models.IntegerField(label, default=0, help_text=_("增加为正数，减少为负数。"))


class StaffFigures(models.Model):
    """人工填报数据: what one organisation reports for one year that the platform cannot know.

    F2021 uses the 规章 counts, the decision counts and the fee amount (万元); F2019 also uses the stock and
    change figures (上一年项目数量 / 本年增减) and procurement. In F2019 the 规章 row reads 本年新制作 =
    本年新公开 = ``rules_issued`` and 对外公开总数量 = ``rules_in_force``. Amounts are kept in 万元 as
    the report prints them, to four decimal places (one 元).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="report_figures", verbose_name=_("机构")
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(2100)]
    )
    # 第二十条第（一）项 规章 (normative documents are counted from the catalog)
    rules_issued = _count(_("规章：本年制发件数"))
    rules_repealed = _count(_("规章：本年废止件数"))
    rules_in_force = _count(_("规章：现行有效件数"))
    # 第二十条第（五）（六）项 decisions
    licensing_decisions = _count(_("行政许可：本年处理决定数量"))
    penalty_decisions = _count(_("行政处罚：本年处理决定数量"))
    enforcement_decisions = _count(_("行政强制：本年处理决定数量"))
    # 第二十条第（八）项
    fees_amount_wan = models.DecimalField(
        _("行政事业性收费：本年收费金额（万元）"), max_digits=16, decimal_places=4, default=0,
        validators=[MinValueValidator(0)],
    )
    # F2019 only: stock and change of items, other services, fee items, procurement
    licensing_prior_items = _count(_("行政许可：上一年项目数量（2019版）"))
    licensing_change = _change(_("行政许可：本年增/减（2019版）"))
    other_services_prior_items = _count(_("其他对外管理服务事项：上一年项目数量（2019版）"))
    other_services_change = _change(_("其他对外管理服务事项：本年增/减（2019版）"))
    other_services_decisions = _count(_("其他对外管理服务事项：处理决定数量（2019版）"))
    penalty_prior_items = _count(_("行政处罚：上一年项目数量（2019版）"))
    penalty_change = _change(_("行政处罚：本年增/减（2019版）"))
    enforcement_prior_items = _count(_("行政强制：上一年项目数量（2019版）"))
    enforcement_change = _change(_("行政强制：本年增/减（2019版）"))
    fee_items_prior = _count(_("行政事业性收费：上一年项目数量（2019版）"))
    fee_items_change = _change(_("行政事业性收费：本年增/减（2019版）"))
    procurement_projects = _count(_("政府集中采购：采购项目数量（2019版）"))
    procurement_amount_wan = models.DecimalField(
        _("政府集中采购：采购总金额（万元，2019版）"), max_digits=16, decimal_places=4, default=0,
        validators=[MinValueValidator(0)],
    )
    lock_version = models.PositiveIntegerField(default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    entered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="reports_one_figures_per_org_year"),
        ]
        verbose_name = _("人工填报数据")
        verbose_name_plural = _("人工填报数据")

    def __str__(self) -> str:
        return gettext("%(org)s %(year)s 人工填报数据") % {"org": self.organisation.name, "year": self.year}


class ReportInputs(models.Model):
    """人工填报数据 of a format other than the disclosure report's: the figures its ``inputs`` list, for one year.

    ``values`` holds them by key as the format types them (numbers, yes/no, text); ``entered`` records, for each
    key, who last entered it and when (``{"key": {"by": user id, "name": "…", "at": ISO time}}``).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(2100)])
    family = models.CharField(_("报告种类"), max_length=20)
    values = models.JSONField(_("填报数据"), default=dict)
    entered = models.JSONField(_("填报记录"), default=dict)
    lock_version = models.PositiveIntegerField(default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("最后填报人")
    )
    entered_at = models.DateTimeField(_("最后填报时间"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "family"], name="reports_one_inputs_per_org_year_family"),
        ]
        verbose_name = _("人工填报数据（其他报表）")
        verbose_name_plural = _("人工填报数据（其他报表）")

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.year} {self.family}"


# The fields staff edit, in form order.
FIGURE_FIELDS: tuple[str, ...] = (
    "rules_issued", "rules_repealed", "rules_in_force",
    "licensing_decisions", "penalty_decisions", "enforcement_decisions", "fees_amount_wan",
    "licensing_prior_items", "licensing_change",
    "other_services_prior_items", "other_services_change", "other_services_decisions",
    "penalty_prior_items", "penalty_change", "enforcement_prior_items", "enforcement_change",
    "fee_items_prior", "fee_items_change", "procurement_projects", "procurement_amount_wan",
)


def statutory_deadline(organisation: Organisation, year: int, family: str = "disclosure") -> dt.date:
    """The date by which the report on `year` must be public, as the format in force says.

    Disclosure report (条例 art. 49): governments (人民政府) 31 March of the next year, departments and other
    offices 31 January; website report (国办函〔2018〕12号): 31 January.
    """
    from .spec import available_editions, format_for_year, load_format

    try:
        fmt = format_for_year(year, family)
    except KeyError:  # a year before the family's first format: the earliest one's rule
        fmt = load_format(available_editions(family)[0])
    deadline = fmt.deadline_for(year, organisation.kind)
    if deadline is None:
        raise ValueError(f"the {family} format for {year} names no statutory date")
    return deadline


def _audit_upload_to(instance: AuditedReport, filename: str) -> str:
    # The uploaded name is kept in `source`; the stored name says nothing about it (no path tricks).
    suffix = filename.rpartition(".")[2].lower()[:8] if "." in filename else "bin"
    return f"audits/{instance.batch_id}/{instance.position:04d}.{suffix}"


class AuditBatch(models.Model):
    """审查批次: published annual reports that a supervising office gave the auditor together.

    Created whole (every file and address at once, or none); audited afterwards by the background worker,
    report by report, so the page shows progress.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("等待审查")
        RUNNING = "running", _("审查中")
        DONE = "done", _("已完成")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="audit_batches", verbose_name=_("督查机关")
    )
    title = models.CharField(_("名称"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("年度报告审查批次")
        verbose_name_plural = _("年度报告审查批次")

    def __str__(self) -> str:
        return self.title or gettext("审查批次 %(number)s") % {"number": self.pk}


class AuditedReport(models.Model):
    """已审查的年度报告: one source of a batch (an uploaded file or an address) and what the auditor found."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待审查")
        DONE = "done", _("已审查")

    batch = models.ForeignKey(AuditBatch, on_delete=models.CASCADE, related_name="reports")
    position = models.PositiveIntegerField(_("序号"))
    source = models.CharField(_("来源"), max_length=500, help_text=_("上传的文件名或网址。"))
    upload = models.FileField(_("文件"), upload_to=_audit_upload_to, blank=True, max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    readable = models.BooleanField(_("可审查"), default=True)
    input_kind = models.CharField(_("输入类型"), max_length=10, blank=True)
    organisation_name = models.CharField(_("报告机关"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("报告年度"), null=True, blank=True)
    edition = models.CharField(_("报告格式"), max_length=10, blank=True)
    errors = models.PositiveIntegerField(_("错误"), default=0)
    warnings = models.PositiveIntegerField(_("警告"), default=0)
    uncertain = models.PositiveIntegerField(_("存疑"), default=0)
    findings = models.JSONField(_("审查发现"), default=list, blank=True)
    document = models.JSONField(_("重建的报告"), null=True, blank=True)
    matched_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("对应的下级单位"),
    )
    audited_at = models.DateTimeField(_("审查时间"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="reports_audited_position_unique"),
        ]
        verbose_name = _("已审查的年度报告")
        verbose_name_plural = _("已审查的年度报告")

    def __str__(self) -> str:
        return self.source
