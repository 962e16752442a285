"""Staff pages for annual reports (年度报告): draft, edit, staff figures, checks, publish, downloads, dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core import documents
from gongkai.core.forms import add_service_errors, flash_outcome, refusal_text
from gongkai.orgs.selectors import can_administer, can_edit, staff_organisations
from gongkai.reports import selectors, services
from gongkai.reports.check import check_report
from gongkai.reports.compute import ComputeError, compute_report
from gongkai.reports.forms import PublishForm, RecomputeForm, SectionsForm, StaffFiguresForm
from gongkai.reports.models import AnnualReport, statutory_deadline
from gongkai.reports.render import OUTPUT_FORMATS
from gongkai.reports.render import render as render_report
from gongkai.reports.render.chart import ChartData, bar_chart_svg
from gongkai.reports.render.html import render_html_fragment
from gongkai.workspace.acting import acting_organisation


def _year(year: int) -> int:
    if not 2008 <= year <= timezone.localdate().year:
        raise Http404
    return year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The staff member's organisations with their reports, and the dashboards they may open."""
    year = timezone.localdate().year - 1
    rows = []
    for org in staff_organisations(request.user):
        rows.append({
            "org": org, "reports": list(selectors.reports_of(org)), "deadline": statutory_deadline(org, year),
            "supervises": can_administer(request.user, org) and selectors.supervised_organisations(org).exists(),
        })
    return render(request, "reports/ws_index.html", {"rows": rows, "year": year})


@login_required
def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """One organisation's report on one year: stored draft or published report, or a preview to start from."""
    org, year = acting_organisation(request, code), _year(year)
    report = selectors.report_for(org, year)
    context: dict[str, object] = {
        "org": org, "year": year, "report": report, "can_edit": can_edit(request.user, org),
        "can_publish": services.can_publish(request.user, org), "deadline": statutory_deadline(org, year),
        "figures": selectors.staff_figures(org, year), "formats": OUTPUT_FORMATS,
    }
    if report is None:
        try:
            computed = compute_report(org, year)
        except ComputeError as exc:
            raise Http404(str(exc)) from exc
        document, context["warnings"] = computed.document, computed.warnings
    else:
        document = selectors.document_of(report)
        context["versions"] = selectors.versions_of(report)[:20]
        if not report.is_published:
            context["sections_form"] = SectionsForm(initial=SectionsForm.initial_for(report.document, report.lock_version))
            context["publish_form"] = PublishForm(initial={"lock_version": report.lock_version})
            context["recompute_form"] = RecomputeForm(initial={"lock_version": report.lock_version})
    context["document"] = document
    context["failures"] = check_report(document)
    context["body"] = render_html_fragment(document)
    return render(request, "reports/ws_report.html", context)


@login_required
@require_POST
def create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org, year = acting_organisation(request, code), _year(year)
    try:
        _report, warnings = services.create_draft(request.user, org, year)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("已按平台数据生成报告草稿。"))
        for warning in warnings:
            messages.warning(request, warning)
    return redirect("ws_reports:report", code=code, year=year)


def _stored(request: HttpRequest, code: str, year: int) -> AnnualReport:
    report = selectors.report_for(acting_organisation(request, code), _year(year))
    if report is None:
        raise Http404
    return report


@login_required
@require_POST
def recompute(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = _stored(request, code, year)
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新后重试。"))
        return redirect("ws_reports:report", code=code, year=year)
    try:
        _report, warnings = services.recompute(
            request.user, report, lock_version=form.cleaned_data["lock_version"],
            redraft_section_one=form.cleaned_data["redraft_section_one"],
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("已按最新数据重新计算。"))
        for warning in warnings:
            messages.warning(request, warning)
    return redirect("ws_reports:report", code=code, year=year)


@login_required
@require_POST
def edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = _stored(request, code, year)
    form = SectionsForm(request.POST)
    if form.is_valid():
        flash_outcome(request, lambda: services.edit_sections(
            request.user, report, form.texts(), lock_version=form.cleaned_data["lock_version"],
            note=form.cleaned_data["note"], preamble=form.cleaned_data["preamble"],
        ), _("已保存为新版本。"))
    else:
        messages.error(request, _("请求无效，请刷新后重试。"))
    return redirect("ws_reports:report", code=code, year=year)


@login_required
@require_POST
def publish(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = _stored(request, code, year)
    form = PublishForm(request.POST)
    if form.is_valid():
        flash_outcome(request, lambda: services.publish(
            request.user, report, lock_version=form.cleaned_data["lock_version"], reason=form.cleaned_data["reason"]
        ), _("年度报告已发布。"))
    else:
        messages.error(request, _("请求无效，请刷新后重试。"))
    return redirect("ws_reports:report", code=code, year=year)


@login_required
def figures(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Enter the figures the platform cannot know (人工填报数据), each change audited by the service."""
    org, year = acting_organisation(request, code), _year(year)
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
                return redirect("ws_reports:report", code=code, year=year)
    else:
        form = StaffFiguresForm(
            instance=current, initial={"lock_version": current.lock_version if current else None}
        )
    return render(request, "reports/ws_figures.html", {
        "org": org, "year": year, "form": form, "current": current, "can_edit": can_edit(request.user, org),
    })


@login_required
def version(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    report = _stored(request, code, year)
    saved = selectors.version_of(report, number)
    if saved is None:
        raise Http404
    document = selectors.document_of(saved)
    return render(request, "reports/ws_version.html", {
        "report": report, "version": saved, "body": render_html_fragment(document),
        "failures": check_report(document),
    })


@login_required
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The stored report (draft or published), or a preview computed now when there is none."""
    org, year = acting_organisation(request, code), _year(year)
    report = selectors.report_for(org, year)
    if report is not None:
        document = selectors.document_of(report)
    else:
        try:
            document = compute_report(org, year).document
        except ComputeError as exc:
            raise Http404(str(exc)) from exc
    if fmt not in OUTPUT_FORMATS:
        raise Http404
    return documents.download(render_report(document, fmt), f"{org.code}-{year}.{fmt}", inline=False, private=True)


@login_required
def dashboard(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """督查看板: an administrator's view of the reports of the organisations directly below theirs."""
    org, year = acting_organisation(request, code), _year(year)
    if not can_administer(request.user, org):
        raise PermissionDenied
    board = selectors.dashboard(org, year)
    chart = ChartData(key="applications", title=_("各单位本年新收政府信息公开申请"), bars=board.chart_bars("applications"))
    return render(request, "reports/ws_dashboard.html", {
        "board": board, "org": org, "year": year, "chart": bar_chart_svg(chart) if board.rows else "",
        "years": range(timezone.localdate().year, 2020, -1),
    })
