"""Writes of the reports app: drafting, editing, staff figures, publishing (年度报告的编制、修改、发布).

Every function takes the acting user, checks the permission, runs in one transaction and records an audit
event. Permissions: editors and administrators of the organisation draft and edit its report and enter its
figures; its approvers (签发) and administrators publish it. A report that fails any check is published only
when such an approver records a reason. A published report is frozen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Column, Item
from gongkai.core import public_changes
from gongkai.core.concurrency import lock_version_of, save_version
from gongkai.core.people import display_name
from gongkai.core.services import public_content_changed, record_event
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import can_administer, can_edit, has_role, subtree

from . import quarterly
from .audit.findings import AuditResult, Finding, unreadable
from .audit.isolation import DEFAULT_TIMEOUT, BoundedAuditor
from .audit.layout import ReadError
from .audit.run import chain_findings, detect_kind, same_organisation
from .audit.sources import SourceError, fetch_report, is_address
from .check import Failure, check_report
from .compute import ComputedReport, ComputeError, compute_report
from .document import ReportValidationError, parse_report
from .models import (
    FIGURE_FIELDS,
    AnnualReport,
    AnnualReportVersion,
    AuditBatch,
    AuditedReport,
    ReportInputs,
    StaffFigures,
)
from .quarterly import ErrorReports
from .selectors import dashboard_summary
from .spec import DISCLOSURE, InputField, format_for_year, load_format


def editable_sections(edition: str) -> tuple[str, ...]:
    """The sections staff may write in reports of `edition` (its prose sections)."""
    return tuple(s.key for s in load_format(edition).sections if s.editable)


def can_publish(user: Any, org: Organisation) -> bool:
    """Approvers (签发) and administrators publish their organisation's report."""
    return has_role(user, org, Role.APPROVER) or has_role(user, org, Role.ADMIN)


def _require_edit(user: Any, org: Organisation) -> None:
    if not can_edit(user, org):
        raise PermissionDenied(gettext("只有本机关的信息员或管理员可以编辑年度报告。"))




def _add_version(report: AnnualReport, user: Any, note: str) -> AnnualReportVersion:
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return AnnualReportVersion.objects.create(
        report=report, number=last + 1, document=report.document, created_by=user, note=note[:300]
    )


def _compute(org: Organisation, year: int, edition: str | None, family: str = DISCLOSURE) -> ComputedReport:
    try:
        return compute_report(org, year, edition, family=family)
    except ComputeError as exc:
        raise ValidationError({exc.field: str(exc)}) from exc


@transaction.atomic
def create_draft(
    user: Any, org: Organisation, year: int, edition: str | None = None, *, family: str = DISCLOSURE
) -> tuple[AnnualReport, list[str]]:
    """Compute the report of `family` (default the disclosure annual report) of `org` on `year` and keep it as a
    draft (version 1); (report, warnings)."""
    _require_edit(user, org)
    computed = _compute(org, year, edition, family)
    fmt = computed.document.format
    if AnnualReport.objects.filter(organisation=org, year=year, family=fmt.family).exists():
        raise ValidationError({"year": gettext("%(org)s %(year)s 年的%(title)s已存在。") % {
            "org": org.name, "year": year, "title": fmt.title}})
    report = AnnualReport.objects.create(
        organisation=org, year=year, family=fmt.family, edition=fmt.edition,
        document=computed.document.to_dict(), dashboard_summary=dashboard_summary(computed.document), created_by=user,
    )
    _add_version(report, user, gettext("按平台数据生成草稿"))
    record_event(actor=user, action="report.create", obj=report, organisation_id=org.pk,
                 summary=gettext("生成 %(year)s 年度%(title)s草稿（%(edition)s 版格式）") % {
                     "year": year, "title": fmt.title, "edition": report.edition})
    return report, computed.warnings


def _locked(report: AnnualReport, lock_version: int | None) -> AnnualReport:
    locked = lock_version_of(report, lock_version, queryset=AnnualReport.objects.select_related("organisation"))
    if locked.is_published:
        raise ValidationError(gettext("年度报告已发布，不能再修改。"), code="frozen")
    return locked


@transaction.atomic
def recompute(
    user: Any, report: AnnualReport, *, lock_version: int | None = None, redraft_section_one: bool = False
) -> tuple[AnnualReport, list[str]]:
    """Refresh the tables (and 一 and 六 when asked or still empty) from the platform; staff prose is kept."""
    _require_edit(user, report.organisation)
    report = _locked(report, lock_version)
    computed = _compute(report.organisation, report.year, report.edition, report.family)
    fresh = computed.document.to_dict()
    old_sections = dict(report.document.get("sections", {}))
    sections = dict(old_sections)
    for key, body in fresh["sections"].items():
        if key not in sections or not sections[key].get("text", "").strip() or (key == "一" and redraft_section_one):
            sections[key] = body
    fresh["sections"] = _in_format_order(report.edition, sections)
    if report.document.get("preamble"):
        fresh["preamble"] = report.document["preamble"]
    report.document = fresh
    report.dashboard_summary = dashboard_summary(parse_report(fresh))
    save_version(report, "document", "dashboard_summary", "updated_at")
    _add_version(report, user, gettext("重新计算表格数据并重新起草第一部分") if redraft_section_one
                 else gettext("重新计算表格数据"))
    record_event(actor=user, action="report.recompute", obj=report, organisation_id=report.organisation_id,
                 summary=gettext("重新计算 %(year)s 年度报告") % {"year": report.year})
    return report, computed.warnings


@transaction.atomic
def edit_sections(
    user: Any, report: AnnualReport, texts: dict[str, str], *, lock_version: int | None, note: str = "",
    preamble: str | None = None,
) -> AnnualReport:
    """Save staff's text of sections 一, 五 and 六 (and the preamble) as a new version."""
    _require_edit(user, report.organisation)
    report = _locked(report, lock_version)
    editable = editable_sections(report.edition)
    unknown = sorted(set(texts) - set(editable))
    if unknown:
        raise ValidationError({"sections": gettext("只能编辑第%(editable)s部分，不能编辑：%(unknown)s") % {
            "editable": "、".join(editable), "unknown": "、".join(unknown)}})
    data = dict(report.document)
    sections = dict(data.get("sections", {}))
    changed = []
    for key, text in texts.items():
        text = text.replace("\r\n", "\n").strip()
        if sections.get(key, {}).get("text", "") != text:
            changed.append(key)
        if text:
            sections[key] = {"text": text}
        else:
            sections.pop(key, None)
    data["sections"] = _in_format_order(report.edition, sections)
    if preamble is not None and preamble.strip() != data.get("preamble", ""):
        changed.append("preamble")
        data["preamble"] = preamble.strip()
    try:
        parsed = parse_report(data)
    except ReportValidationError as exc:
        raise ValidationError({"sections": str(exc)}) from exc
    report.document = data
    report.dashboard_summary = dashboard_summary(parsed)
    save_version(report, "document", "dashboard_summary", "updated_at")
    _add_version(report, user, note or (gettext("修改%(parts)s") % {"parts": "、".join(changed)} if changed
                                        else gettext("修改（无变化）")))
    record_event(actor=user, action="report.edit", obj=report, organisation_id=report.organisation_id,
                 summary=gettext("修改 %(year)s 年度报告") % {"year": report.year}, data={"changed": changed})
    return report


def _in_format_order(edition: str, sections: dict[str, Any]) -> dict[str, Any]:
    order = [s.key for s in load_format(edition).sections]
    return {k: sections[k] for k in sorted(sections, key=order.index)}


@transaction.atomic
def publish(user: Any, report: AnnualReport, *, lock_version: int | None = None, reason: str = "") -> AnnualReport:
    """Publish the report: checks must pass, or an approver records why it goes out anyway. Then frozen."""
    if not can_publish(user, report.organisation):
        raise PermissionDenied(gettext("只有本机关的签发人或管理员可以发布年度报告。"))
    report = _locked(report, lock_version)
    failures: list[Failure] = check_report(parse_report(report.document))
    reason = reason.strip()
    if failures and not reason:
        raise ValidationError(
            {"reason": gettext("报告有 %(count)s 项检查未通过（如：%(example)s），须填写发布理由。") % {
                "count": len(failures), "example": failures[0].message}},
            code="checks_failed",
        )
    report.status = AnnualReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = user
    report.override_reason = reason if failures else ""
    report.failures_at_publish = [f.as_dict() for f in failures]
    save_version(report)
    public_changes.touched("report", report.organisation_id)
    public_content_changed()  # same transaction: cached public pages are obsolete from its commit
    record_event(
        actor=user, action="report.publish", obj=report, organisation_id=report.organisation_id,
        summary=(gettext("发布 %(year)s 年度报告（%(count)s 项检查未通过，理由：%(reason)s）") % {
            "year": report.year, "count": len(failures), "reason": reason} if failures
            else gettext("发布 %(year)s 年度报告") % {"year": report.year}),
        data={"failures": len(failures)},
    )
    return report


def _parse_figure(name: str, raw: Any) -> int | Decimal:
    field = StaffFigures._meta.get_field(name)
    assert isinstance(field, models.Field)
    label = str(field.verbose_name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError({name: gettext("%(label)s：不能为空") % {"label": label}})
    if field.get_internal_type() == "DecimalField":
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation as exc:
            raise ValidationError({name: gettext("%(label)s：应为数字，不是 %(raw)r") % {"label": label, "raw": raw}}) from exc
        if not value.is_finite() or value < 0:
            raise ValidationError({name: gettext("%(label)s：应为非负数，不是 %(raw)s") % {"label": label, "raw": raw}})
        if value != value.quantize(Decimal("0.0001")):
            raise ValidationError({name: gettext("%(label)s：最多保留四位小数（精确到元）") % {"label": label}})
        return value
    try:
        number = int(str(raw).strip())
    except ValueError as exc:
        raise ValidationError({name: gettext("%(label)s：应为整数，不是 %(raw)r") % {"label": label, "raw": raw}}) from exc
    if field.get_internal_type() == "PositiveIntegerField" and number < 0:
        raise ValidationError({name: gettext("%(label)s：不能为负数（%(number)s）") % {"label": label, "number": number}})
    return number


@transaction.atomic
def save_staff_figures(
    user: Any, org: Organisation, year: int, values: dict[str, Any], *, lock_version: int | None = None
) -> StaffFigures:
    """Enter or change the figures staff report for `org` and `year`; the audit event lists each change."""
    _require_edit(user, org)
    unknown = sorted(set(values) - set(FIGURE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: gettext("未知字段：%(fields)s") % {"fields": "、".join(unknown)}})
    parsed = {name: _parse_figure(name, raw) for name, raw in values.items()}
    figures, created = StaffFigures.objects.get_or_create(organisation=org, year=year)
    if not created:
        figures = lock_version_of(figures, lock_version)
    changes = {}
    for name, value in parsed.items():
        old = getattr(figures, name)
        if Decimal(old) != Decimal(value):
            changes[name] = [str(old), str(value)]
            setattr(figures, name, value)
    figures.entered_by = user
    figures.entered_at = timezone.now()
    figures.full_clean()
    save_version(figures)
    record_event(actor=user, action="report.figures", obj=figures, organisation_id=org.pk,
                 summary=gettext("填报 %(year)s 年度报告人工数据（%(count)s 项变更）") % {
                     "year": year, "count": len(changes)}, data={"changes": changes})
    return figures


# --- auditing reports that others published (年度报告审查) ------------------------------------------------

MAX_AUDIT_SOURCES = 200
MAX_AUDIT_BATCH_BYTES = 200 * 1024 * 1024
AUDIT_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": ("pdf",), "docx": ("docx",), "html": ("html", "htm", "shtml", "xhtml"), "text": ("txt", "text"),
}


def can_audit(user: Any, org: Organisation) -> bool:
    """A supervisor audits for an organisation it administers (and so reads everything below it)."""
    return can_administer(user, org)


def validate_audit_upload(uploaded: Any, *, max_bytes: int) -> str:
    """What an uploaded report is (pdf, docx, html, text), decided by its content as ``core.files`` does;
    its name's extension must agree. ValidationError (in Chinese, naming the file) otherwise."""
    name = uploaded.name or ""
    size = uploaded.size
    if not size:
        raise ValidationError(gettext("「%(name)s」是空文件。") % {"name": name}, code="file_empty")
    if size > max_bytes:
        raise ValidationError(
            gettext("「%(name)s」大小为 %(size).1f MB，超过了 %(limit).0f MB 的上限。") % {
                "name": name, "size": size / 1048576, "limit": max_bytes / 1048576}, code="file_too_large"
        )
    try:
        kind = detect_kind(_read_all(uploaded))
    except ReadError as exc:
        raise ValidationError(gettext("「%(name)s」：%(reason)s") % {"name": name, "reason": exc.message},
                              code="file_type_not_allowed") from exc
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in AUDIT_EXTENSIONS[kind]:
        wanted = "、".join(f".{e}" for e in AUDIT_EXTENSIONS[kind])
        raise ValidationError(
            gettext("「%(name)s」的内容是%(kind)s，扩展名应为 %(wanted)s，两者不符，已拒绝。") % {
                "name": name, "kind": _KIND_LABELS[kind], "wanted": wanted}, code="file_type_mismatch"
        )
    return kind


_KIND_LABELS = {"pdf": "PDF", "docx": gettext_lazy("Word 文档（DOCX）"), "html": gettext_lazy("网页（HTML）"),
                "text": gettext_lazy("纯文本")}


def _read_all(uploaded: Any) -> bytes:
    uploaded.seek(0)
    data: bytes = uploaded.read()
    uploaded.seek(0)
    return data


def _clean_addresses(addresses: list[str]) -> list[str]:
    cleaned = []
    for raw in addresses:
        address = raw.strip()
        if not address:
            continue
        if not is_address(address) or len(address) > 500 or any(ch.isspace() for ch in address):
            raise ValidationError(gettext("「%(address)s」不是 http:// 或 https:// 开头的网址。") % {
                "address": address[:80]}, code="bad_address")
        cleaned.append(address)
    return cleaned


def create_audit_batch(
    user: Any, org: Organisation, *, files: list[Any], addresses: list[str], title: str = ""
) -> AuditBatch:
    """A batch of reports to audit: every file and address is checked first, then all are stored in one
    transaction (or none), and the background worker is asked to audit them once that has committed."""
    if not can_audit(user, org):
        raise PermissionDenied(gettext("只有本机关的管理员可以审查下级单位的年度报告。"))
    cleaned = _clean_addresses(addresses)
    if not files and not cleaned:
        raise ValidationError(gettext("请上传报告文件或填写报告网址。"), code="empty_batch")
    if len(files) + len(cleaned) > MAX_AUDIT_SOURCES:
        raise ValidationError(gettext("一批最多审查 %(count)s 份报告。") % {"count": MAX_AUDIT_SOURCES}, code="too_many")
    if sum(f.size or 0 for f in files) > MAX_AUDIT_BATCH_BYTES:
        raise ValidationError(
            gettext("一批文件合计不能超过 %(limit)s MB，请分批提交。") % {"limit": MAX_AUDIT_BATCH_BYTES // 1048576},
            code="batch_too_large"
        )
    errors = []
    for uploaded in files:
        try:
            validate_audit_upload(uploaded, max_bytes=settings.MAX_UPLOAD_BYTES)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors, code="bad_files")
    stored: list[AuditedReport] = []
    try:
        with transaction.atomic():
            batch = AuditBatch.objects.create(organisation=org, title=title.strip()[:200], created_by=user)
            position = 0
            for uploaded in files:
                position += 1
                report = AuditedReport(batch=batch, position=position, source=(uploaded.name or "")[:500])
                report.upload.save(uploaded.name or "report", uploaded, save=False)
                stored.append(report)
                report.save()
            for address in cleaned:
                position += 1
                AuditedReport.objects.create(batch=batch, position=position, source=address)
            record_event(
                actor=user, action="report.audit_batch", obj=batch, organisation_id=org.pk,
                summary=gettext("提交 %(count)s 份年度报告审查（%(files)s 个文件，%(addresses)s 个网址）") % {
                    "count": position, "files": len(files), "addresses": len(cleaned)},
                data={"files": len(files), "addresses": len(cleaned)},
            )
            transaction.on_commit(lambda: _enqueue_audit(batch.pk))
    except Exception:
        for report in stored:  # the rows are gone with the transaction; their files must go too
            if report.upload:
                report.upload.delete(save=False)
        raise
    return batch


def _enqueue_audit(batch_id: int) -> None:
    from .tasks import audit_batch

    audit_batch.enqueue(batch_id)


def _matching_organisation(org: Organisation, name: str) -> Organisation | None:
    """The organisation below `org` a report's printed name denotes ("洪泽区人民政府" for 淮安市洪泽区人民政府)."""
    if not name:
        return None
    below = [o for o in subtree(org) if o.pk != org.pk]
    for candidate in below:
        if name in (candidate.name, candidate.short_name):
            return candidate
    matches = [o for o in below if same_organisation(name, o.name)]
    return matches[0] if len(matches) == 1 else None


def run_audit_batch(batch_id: int, *, timeout: float = DEFAULT_TIMEOUT) -> AuditBatch:
    """Audit every report of the batch still waiting (the worker's job; safe to run again after a crash),
    then the cross-year chains among all of them. Each report is saved as soon as it is judged."""
    batch = AuditBatch.objects.select_related("organisation").get(pk=batch_id)
    if batch.status == AuditBatch.Status.DONE:
        return batch
    AuditBatch.objects.filter(pk=batch.pk).update(status=AuditBatch.Status.RUNNING)
    with BoundedAuditor(timeout=timeout) as auditor:
        for report in batch.reports.filter(status=AuditedReport.Status.PENDING).order_by("position"):
            result = _audit_one(report, auditor)
            _store_result(batch, report, result, result.findings)
    reports = list(batch.reports.order_by("position"))
    results = [_as_result(r) for r in reports]
    extra = chain_findings(results)
    with transaction.atomic():
        for index, report in enumerate(reports):
            if extra.get(index):
                report.findings = [*report.findings, *(f.as_dict() for f in extra[index])]
                _count_findings(report)
                report.save(update_fields=["findings", "errors", "warnings", "uncertain"])
        batch.status = AuditBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        record_event(
            actor=None, actor_label="worker", action="report.audit_done", obj=batch,
            organisation_id=batch.organisation_id,
            summary=gettext("年度报告审查完成（%(count)s 份）") % {"count": len(results)},
        )
    return batch


def _audit_one(report: AuditedReport, auditor: BoundedAuditor) -> AuditResult:
    try:
        if report.upload:
            with report.upload.open("rb") as fh:
                data = fh.read()
        else:
            data, read_from = fetch_report(report.source, allow_private=False)
            if read_from != report.source:
                return auditor(data, f"{report.source} → {read_from}")
    except (SourceError, OSError) as exc:
        return unreadable(report.source, str(exc) if isinstance(exc, SourceError) else gettext("文件已丢失，无法读取。"))
    return auditor(data, report.source)


def _store_result(batch: AuditBatch, report: AuditedReport, result: AuditResult, findings: list[Finding]) -> None:
    report.status = AuditedReport.Status.DONE
    report.readable = result.readable
    report.input_kind = result.input_kind or ""
    report.organisation_name = (result.organisation or "")[:200]
    report.year = result.year if result.year and 2008 <= result.year <= 2100 else None
    report.edition = result.format or ""
    report.findings = [f.as_dict() for f in findings]
    report.document = result.document
    report.matched_organisation = _matching_organisation(batch.organisation, report.organisation_name)
    report.audited_at = timezone.now()
    _count_findings(report)
    report.save()


def _count_findings(report: AuditedReport) -> None:
    severities = [f.get("severity") for f in report.findings]
    report.errors = severities.count("error")
    report.warnings = severities.count("warning")
    report.uncertain = severities.count("uncertain")


def _as_result(report: AuditedReport) -> AuditResult:
    return AuditResult(
        source=report.source, format=report.edition or None, year=report.year,
        organisation=report.organisation_name or None, readable=report.readable, document=report.document,
    )
# --- figures staff enter for other formats (人工填报：政府网站工作年度报表等) ------------------------------------------


def _parse_input(field: InputField, raw: Any) -> Any:
    label = field.label
    if field.type == "boolean":
        if isinstance(raw, bool):
            return raw
        if str(raw).strip().lower() in ("1", "true", "yes", "on", "是"):
            return True
        if str(raw).strip().lower() in ("", "0", "false", "no", "off", "否"):
            return False
        raise ValidationError({field.key: gettext("%(label)s：应为“是”或“否”") % {"label": label}})
    if field.type == "text":
        text = "" if raw is None else str(raw).strip()
        if len(text) > 200:
            raise ValidationError({field.key: gettext("%(label)s：不能超过 200 个字") % {"label": label}})
        return text
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 0
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValidationError({field.key: gettext("%(label)s：应为数字，不是 %(raw)r") % {
            "label": label, "raw": raw}}) from exc
    if not number.is_finite() or (number < 0 and field.type != "signed_integer"):
        raise ValidationError({field.key: gettext("%(label)s：应为非负数，不是 %(raw)s") % {"label": label, "raw": raw}})
    if field.type == "decimal":
        return str(number.normalize())
    if number != number.to_integral_value():
        raise ValidationError({field.key: gettext("%(label)s：应为整数，不是 %(raw)s") % {"label": label, "raw": raw}})
    return int(number)


@transaction.atomic
def save_report_inputs(
    user: Any, org: Organisation, year: int, family: str, values: dict[str, Any], *, lock_version: int | None = None
) -> ReportInputs:
    """Enter or change the figures staff report for `org`, `year` and a report `family` whose format lists them;
    each changed figure records who entered it and when, and the audit event lists the changes."""
    _require_edit(user, org)
    try:
        fmt = format_for_year(year, family)
    except KeyError as exc:
        raise ValidationError({"year": gettext("没有适用于 %(year)s 年的报告格式") % {"year": year}}) from exc
    if fmt.inputs is None or fmt.inputs.store != "entered":
        raise ValidationError({"family": gettext("%(title)s没有需要人工填报的数据") % {"title": fmt.title}})
    unknown = sorted(set(values) - {f.key for f in fmt.inputs.fields})
    if unknown:
        raise ValidationError({unknown[0]: gettext("未知字段：%(fields)s") % {"fields": "、".join(unknown)}})
    parsed = {key: _parse_input(fmt.inputs.field(key), raw) for key, raw in values.items()}
    inputs, created = ReportInputs.objects.get_or_create(organisation=org, year=year, family=family)
    if not created:
        inputs = lock_version_of(inputs, lock_version)
    now = timezone.now()
    changes = {}
    stored, entered = dict(inputs.values), dict(inputs.entered)
    for key, value in parsed.items():
        if key not in stored or stored[key] != value:
            changes[key] = [stored.get(key), value]
            stored[key] = value
            entered[key] = {"by": user.pk, "name": display_name(user),
                          "at": timezone.localtime(now).isoformat()}
    inputs.values, inputs.entered = stored, entered
    inputs.entered_by, inputs.entered_at = user, now
    save_version(inputs)
    record_event(actor=user, action="report.inputs", obj=inputs, organisation_id=org.pk,
                 summary=gettext("填报 %(year)s 年度%(title)s人工数据（%(count)s 项变更）") % {
                     "year": year, "title": fmt.title, "count": len(changes)}, data={"changes": changes})
    return inputs


# --- 季度自查报告 (quarterly self-inspection report) -------------------------------------------------------------


def draft_quarterly_report(
    user: Any, org: Organisation, year: int, quarter: int, *, column: Column, errors: ErrorReports | None = None,
    today: dt.date | None = None,
) -> Item:
    """Draft the site's quarterly self-inspection report as a new item in `column`, to be edited and sent through
    review like any other item; the catalog service records its creation."""
    _require_edit(user, org)
    today = today or timezone.localdate()
    try:
        start, _end = quarterly.quarter_bounds(year, quarter)
    except ValueError as exc:
        raise ValidationError({"quarter": gettext("季度应为 1 至 4。")}) from exc
    if start > today:
        raise ValidationError({"quarter": gettext("%(year)s 年第 %(quarter)s 季度尚未开始。") % {
            "year": year, "quarter": quarter}})
    if column.organisation_id != org.pk:
        raise ValidationError({"column": gettext("请选择本机关的栏目。")})
    drafted = quarterly.draft(org, year, quarter, errors or quarterly.ErrorReports(), today=today)
    return catalog_services.create_item(user, org, {
        "column_id": column.pk, "title": drafted.title, "summary": drafted.summary, "body": drafted.body,
        "written_on": today, "topic": "02", "genre": "report", "keywords": quarterly.KEYWORDS, "source": org.name,
        "document_number": "", "is_policy": False, "is_normative": False, "disclosure": "proactive",
        "non_disclosure_reason": "", "validity": "", "interpretation_form": "", "index_number": None,
    })
