"""Public pages of the website annual report (政府网站工作年度报表): every site's published reports gathered in one
column (集中发布, as a portal over other sites must), one site's reports, one report, its downloads."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gongkai.reports import selectors
from gongkai.reports.render.html import render_html_fragment
from gongkai.visits.attribution import count_as

from . import fragments
from .views_reports import public_downloads, report_download

WEBSITE = "website"


@require_safe
def report_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Published website annual reports, grouped by site (all sites, or one)."""
    reports = selectors.published_reports(WEBSITE)
    org = None
    if code is not None:
        org = fragments.organisation(code)
        if org is None:
            raise Http404("unknown organisation")
        reports = reports.filter(organisation=org)
    groups = [(o, list(rs)) for o, rs in groupby(reports, key=lambda r: r.organisation)]
    count_as(request, "website_report", organisation=org)
    return render(request, "portal/reports/portal_website_list.html", {
        "site_org": org, "org": org, "groups": groups, "crumbs": [(_("政府网站工作年度报表"), None)],
    })


@require_safe
def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = selectors.published_report(code, year, WEBSITE)
    if report is None:
        raise Http404("no such published report")
    document = selectors.document_of(report)
    count_as(request, "website_report", organisation=report.organisation)
    return render(request, "portal/reports/portal_website_report.html", {
        "site_org": report.organisation, "report": report, "document": document,
        "body": render_html_fragment(document), "downloads": public_downloads(),
        "crumbs": [(_("政府网站工作年度报表"), None), (document.title, None)],
    })


@require_safe
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    return report_download(selectors.published_report(code, year, WEBSITE), fmt)
