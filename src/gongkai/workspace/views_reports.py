"""Staff pages for the reports an office publishes each year: the disclosure annual report (政府信息公开工作年度报告)
and the website annual report (政府网站工作年度报表). Draft, edit, staff figures, checks, publish, downloads, the
supervisor's dashboard — the same pages for every report family, each reading its format's data.

The disclosure report keeps its addresses (/workspace/reports/<code>/<year>/…); another family's are under its
name (/workspace/reports/website/<code>/<year>/…), given to every view as `family`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.catalog.selectors import columns_of
from gongkai.core import documents
from gongkai.core.forms import add_service_errors, flash_outcome, refusal_text
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import can_administer, can_edit, staff_organisations
from gongkai.reports import selectors, services
from gongkai.reports.audit.findings import Finding
from gongkai.reports.audit.output import render_xlsx as render_audit_xlsx
from gongkai.reports.check import check_report
from gongkai.reports.compute import ComputeError, compute_report
from gongkai.reports.forms import (
    AuditBatchForm,
    PublishForm,
    QuarterlyForm,
    RecomputeForm,
    StaffFiguresForm,
    inputs_form_for,
    sections_form_for,
)
from gongkai.reports.models import AnnualReport, AuditBatch, statutory_deadline
from gongkai.reports.quarterly import ErrorReports
from gongkai.reports.render import OUTPUT_FORMATS
from gongkai.reports.render import render as render_report
from gongkai.reports.render.chart import ChartData, bar_chart_svg
from gongkai.reports.render.html import render_html_fragment
from gongkai.reports.spec import DISCLOSURE, ReportFormat, families, format_for_year

from .acting import acting_organisation, row_limits
from .templatetags.report_urls import report_url


def _year(year: int) -> int:
    if not 2008 <= year <= timezone.localdate().year:
        raise Http404
    return year


def _format(family: str, year: int) -> ReportFormat:
    if family not in families():
        raise Http404
    try:
        return format_for_year(year, family)
    except KeyError:
        raise Http404 from None


def _back(family: str, code: str, year: int) -> HttpResponse:
    return redirect(report_url("report", family, code, year))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The staff member's organisations with their reports of every family, and the dashboards they may open."""
    year = timezone.localdate().year - 1
    rows = []
    for org in staff_organisations(request.user):
        kinds = []
        for family in families():
            fmt = format_for_year(year, family)
            kinds.append({
                "family": family, "title": fmt.title, "reports": list(selectors.reports_of(org, family)),
                "deadline": statutory_deadline(org, year, family),
            })
        rows.append({
            "org": org, "kinds": kinds,
            "supervises": can_administer(request.user, org) and selectors.supervised_organisations(org).exists(),
            "audits": services.can_audit(request.user, org),
        })
    return render(request, "workspace/reports/ws_index.html", {"rows": rows, "year": year})


@login_required
def report_page(request: HttpRequest, code: str, year: int, family: str = DISCLOSURE) -> HttpResponse:
    """One organisation's report on one year: stored draft or published report, or a preview to start from."""
    org, year = acting_organisation(request, code), _year(year)
    fmt = _format(family, year)
    report = selectors.report_for(org, year, family)
    context: dict[str, object] = {
        "org": org, "year": year, "family": family, "format": fmt, "report": report,
        "can_edit": can_edit(request.user, org), "can_publish": services.can_publish(request.user, org),
        "deadline": statutory_deadline(org, year, family), "formats": OUTPUT_FORMATS,
        "figures": selectors.staff_figures(org, year) if family == DISCLOSURE else selectors.report_inputs(org, year, family),
    }
    if report is None:
        try:
            computed = compute_report(org, year, family=family)
        except ComputeError as exc:
            raise Http404(str(exc)) from exc
        document, context["warnings"] = computed.document, computed.warnings
    else:
        document = selectors.document_of(report)
        context["versions"] = selectors.versions_of(report)[:20]
        if not report.is_published:
            form_class = sections_form_for(document.format)
            context["sections_form"] = form_class(initial=form_class.initial_for(report.document, report.lock_version))
            context["publish_form"] = PublishForm(initial={"lock_version": report.lock_version})
            recompute_form = RecomputeForm(initial={"lock_version": report.lock_version})
            if family != DISCLOSURE:
                del recompute_form.fields["redraft_section_one"]  # only the disclosure report has a drafted 一
            context["recompute_form"] = recompute_form
    context["document"] = document
    context["failures"] = check_report(document)
    context["body"] = render_html_fragment(document)
    return render(request, "workspace/reports/ws_report.html", context)


@login_required
@require_POST
def create(request: HttpRequest, code: str, year: int, family: str = DISCLOSURE) -> HttpResponse:
    org, year = acting_organisation(request, code), _year(year)
    _format(family, year)
    try:
        _report, warnings = services.create_draft(request.user, org, year, family=family)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("已按平台数据生成草稿。"))
        for warning in warnings:
            messages.warning(request, warning)
    return _back(family, code, year)


def _stored(request: HttpRequest, code: str, year: int, family: str) -> AnnualReport:
    report = selectors.report_for(acting_organisation(request, code), _year(year), family)
    if report is None:
        raise Http404
    return report


@login_required
@require_POST
def recompute(request: HttpRequest, code: str, year: int, family: str = DISCLOSURE) -> HttpResponse:
    report = _stored(request, code, year, family)
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新后重试。"))
        return _back(family, code, year)
    try:
        _report, warnings = services.recompute(
            request.user, report, lock_version=form.cleaned_data["lock_version"],
            redraft_section_one=bool(form.cleaned_data.get("redraft_section_one")),
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("已按最新数据重新计算。"))
        for warning in warnings:
            messages.warning(request, warning)
    return _back(family, code, year)


@login_required
@require_POST
def edit(request: HttpRequest, code: str, year: int, family: str = DISCLOSURE) -> HttpResponse:
    report = _stored(request, code, year, family)
    form = sections_form_for(selectors.document_of(report).format)(request.POST)
    if form.is_valid():
        flash_outcome(request, lambda: services.edit_sections(
            request.user, report, form.texts(), lock_version=form.cleaned_data["lock_version"],
            note=form.cleaned_data["note"], preamble=form.cleaned_data["preamble"],
        ), _("已保存为新版本。"))
    else:
        messages.error(request, _("请求无效，请刷新后重试。"))
    return _back(family, code, year)


@login_required
@require_POST
def publish(request: HttpRequest, code: str, year: int, family: str = DISCLOSURE) -> HttpResponse:
    report = _stored(request, code, year, family)
    form = PublishForm(request.POST)
    if form.is_valid():
        flash_outcome(request, lambda: services.publish(
            request.user, report, lock_version=form.cleaned_data["lock_version"], reason=form.cleaned_data["reason"]
        ), _("已发布。"))
    else:
        messages.error(request, _("请求无效，请刷新后重试。"))
    return _back(family, code, year)


@login_required
def figures(request: HttpRequest, code: str, year: int, family: str = DISCLOSURE) -> HttpResponse:
    """Enter the figures the platform cannot know (人工填报数据), each change audited by the service."""
    org, year = acting_organisation(request, code), _year(year)
    fmt = _format(family, year)
    if family != DISCLOSURE:
        return _inputs(request, org, year, fmt)
    current = selectors.staff_figures(org, year)
    if request.method == "POST":
        if not can_edit(request.user, org):
            raise PermissionDenied
        form = StaffFiguresForm(request.POST, instance=current)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.save_staff_figures(
                    request.user, org, year, values, lock_version=form.cleaned_data.get("lock_version")
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("人工填报数据已保存。"))
                return _back(family, code, year)
    else:
        form = StaffFiguresForm(
            instance=current, initial={"lock_version": current.lock_version if current else None}
        )
    return render(request, "workspace/reports/ws_figures.html", {
        "org": org, "year": year, "form": form, "current": current, "can_edit": can_edit(request.user, org),
        "family": family, "format": fmt,
    })


def _inputs(request: HttpRequest, org: Organisation, year: int, fmt: ReportFormat) -> HttpResponse:
    """The figures a format lists in its ``inputs``, each shown with who entered it last."""
    current = selectors.report_inputs(org, year, fmt.family)
    form_class = inputs_form_for(fmt)
    if request.method == "POST":
        if not can_edit(request.user, org):
            raise PermissionDenied
        form = form_class(request.POST)
        if form.is_valid():
            values = {key: value for key, value in form.cleaned_data.items() if key != "lock_version"}
            try:
                services.save_report_inputs(
                    request.user, org, year, fmt.family, values, lock_version=form.cleaned_data.get("lock_version")
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("人工填报数据已保存。"))
                return _back(fmt.family, org.code, year)
    else:
        initial = dict(current.values) if current else {}
        initial["lock_version"] = current.lock_version if current else None
        form = form_class(initial=initial)
    if not can_edit(request.user, org):
        for field in form.fields.values():
            field.disabled = True  # a supervisor reads what the office entered
    entered = current.entered if current else {}
    return render(request, "workspace/reports/ws_inputs.html", {
        "org": org, "year": year, "family": fmt.family, "format": fmt, "form": form, "current": current,
        "can_edit": can_edit(request.user, org),
        "rows": [(form[entry.key], entered.get(entry.key)) for entry in (fmt.inputs.fields if fmt.inputs else ())],
    })


@login_required
def version(request: HttpRequest, code: str, year: int, number: int, family: str = DISCLOSURE) -> HttpResponse:
    report = _stored(request, code, year, family)
    saved = selectors.version_of(report, number)
    if saved is None:
        raise Http404
    document = selectors.document_of(saved)
    return render(request, "workspace/reports/ws_version.html", {
        "report": report, "version": saved, "body": render_html_fragment(document), "family": family,
        "failures": check_report(document),
    })


@login_required
def download(request: HttpRequest, code: str, year: int, fmt: str, family: str = DISCLOSURE) -> HttpResponse:
    """The stored report (draft or published), or a preview computed now when there is none."""
    org, year = acting_organisation(request, code), _year(year)
    _format(family, year)
    report = selectors.report_for(org, year, family)
    if report is not None:
        document = selectors.document_of(report)
    else:
        try:
            document = compute_report(org, year, family=family).document
        except ComputeError as exc:
            raise Http404(str(exc)) from exc
    if fmt not in OUTPUT_FORMATS:
        raise Http404
    name = f"{org.code}-{year}.{fmt}" if family == DISCLOSURE else f"{org.code}-{family}-{year}.{fmt}"
    return documents.download(render_report(document, fmt), name, inline=False, private=True)


@login_required
def dashboard(request: HttpRequest, code: str, year: int, family: str = DISCLOSURE) -> HttpResponse:
    """督查看板: an administrator's view of the reports of every organisation below theirs, level by level."""
    org, year = acting_organisation(request, code), _year(year)
    fmt = _format(family, year)
    if not can_administer(request.user, org):
        raise PermissionDenied
    board = selectors.dashboard(org, year, family=family)
    key = board.labels[0][0] if family != DISCLOSURE else "applications"
    label = dict(board.labels)[key]
    chart = ChartData(key=key, title=_("%(label)s最多的单位（前%(n)s名）") % {"label": label, "n": selectors.CHART_BARS},
                      bars=board.chart_bars(key))
    return render(request, "workspace/reports/ws_dashboard.html", {
        "board": board, "org": org, "year": year, "family": family, "format": fmt,
        **row_limits(request),
        "report_prefix": reverse("ws_reports:index") + ("" if family == DISCLOSURE else f"{family}/"),  # per row
        "chart": bar_chart_svg(chart) if chart.bars else "", "years": range(timezone.localdate().year, 2020, -1),
    })


# --- auditing published reports (年度报告审查) ---------------------------------------------------------------


def _auditing_org(request: HttpRequest, code: str) -> Organisation:
    org = acting_organisation(request, code)
    if not services.can_audit(request.user, org):
        raise PermissionDenied
    return org


@login_required
def audits(request: HttpRequest, code: str) -> HttpResponse:
    """审查已发布的年度报告: submit a batch (files and/or addresses) and see the batches submitted."""
    org = _auditing_org(request, code)
    form = AuditBatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_audit_batch(
                request.user, org, files=form.cleaned_data["reports"], addresses=form.address_list(),
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("报告已提交，正在后台逐份审查。"))
            return redirect("ws_reports:audit_batch", code=code, pk=batch.pk)
    return render(request, "workspace/reports/ws_audits.html", {
        "org": org, "form": form, "batches": selectors.audit_batches_of(org),
        "max_sources": services.MAX_AUDIT_SOURCES,
    })


def _audited_batch(request: HttpRequest, code: str, pk: int) -> tuple[Organisation, AuditBatch]:
    org = _auditing_org(request, code)
    batch = selectors.audit_batch_of(org, pk)
    if batch is None:
        raise Http404
    return org, batch


@login_required
def audit_batch(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One batch: each report with what was recognised and what was found."""
    org, batch = _audited_batch(request, code, pk)
    reports = selectors.audited_reports_of(batch)
    shown = [(r, [Finding.from_dict(f) for f in r.findings]) for r in reports]
    return render(request, "workspace/reports/ws_audit_batch.html", {
        "org": org, "batch": batch, "reports": reports, "shown": shown,
        "pending": batch.status != batch.Status.DONE,
        "done": sum(1 for r in reports if r.status == r.Status.DONE),
    })


@login_required
def audit_batch_xlsx(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The batch's findings as one workbook: a summary sheet and one row per finding."""
    _org_checked, batch = _audited_batch(request, code, pk)
    data = render_audit_xlsx(selectors.audit_results_of(batch))
    stamp = timezone.localtime(batch.created_at).strftime("%Y%m%d-%H%M")
    return documents.download(data, gettext("年度报告审查结果-%(batch)s-%(stamp)s.xlsx") % {"batch": batch.title or batch.pk, "stamp": stamp}, private=True)
@login_required
def quarterly(request: HttpRequest, code: str) -> HttpResponse:
    """Draft the site's 季度自查报告 for a quarter (the last one ended, by default) as an item to edit and submit."""
    org = acting_organisation(request, code)
    today = timezone.localdate()
    last = (today.month - 1) // 3  # the quarter that ended last (0: the fourth of last year)
    initial: dict[str, object] = {"year": today.year if last else today.year - 1, "quarter": last or 4}
    columns = columns_of(org)
    initial["column"] = next((c for c in columns if c.slug == "qtxx"), columns.first())
    form = QuarterlyForm(request.POST or None, initial=initial, columns=columns)
    if request.method == "POST":
        if not can_edit(request.user, org):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.draft_quarterly_report(
                    request.user, org, data["year"], data["quarter"], column=data["column"],
                    errors=ErrorReports(received=data["errors_received"], handled=data["errors_handled"]),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已按平台数据起草季度自查报告，请核对修改后送审。"))
                return redirect("workspace:item_edit", pk=item.pk)
    return render(request, "workspace/reports/ws_quarterly.html", {"org": org, "form": form, "can_edit": can_edit(request.user, org)})
