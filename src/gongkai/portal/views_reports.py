"""Public annual-report pages (政府信息公开工作年度报告): the list, one report, its downloads. Published only."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.reports import selectors
from gongkai.reports.render import CONTENT_TYPES, OUTPUT_FORMATS
from gongkai.reports.render import render as render_report
from gongkai.reports.render.html import render_html_fragment
from gongkai.visits.attribution import count_as


def _site_org() -> Organisation | None:
    return org_sel.organisations_in_order().filter(parent__isnull=True).first()


@require_safe
def report_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Published reports, grouped by organisation (all, or one organisation's)."""
    reports = selectors.published_reports()
    org = None
    if code is not None:
        org = get_object_or_404(Organisation, code=code)
        reports = reports.filter(organisation=org)
    groups = [(o, list(rs)) for o, rs in groupby(reports, key=lambda r: r.organisation)]
    crumbs: list[tuple[str, str | None]] = [(_("政府信息公开工作年度报告"), None)]
    return render(request, "reports/portal_list.html", {
        "site_org": org or _site_org(), "org": org, "groups": groups, "crumbs": crumbs, "current": "reports",
    })


@require_safe
def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = selectors.published_report(code, year)
    if report is None:
        raise Http404
    document = selectors.document_of(report)
    count_as(request, "report", organisation=report.organisation)
    return render(request, "reports/portal_report.html", {
        "site_org": report.organisation, "report": report, "document": document,
        "body": render_html_fragment(document), "formats": OUTPUT_FORMATS, "current": "reports",
        "crumbs": [(_("政府信息公开工作年度报告"), None), (document.title, None)],
    })


@require_safe
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    report = selectors.published_report(code, year)
    if report is None or fmt not in OUTPUT_FORMATS:
        raise Http404
    data = render_report(selectors.document_of(report), fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt in ("pdf", "html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{code}-{year}.{fmt}"'
    return response
