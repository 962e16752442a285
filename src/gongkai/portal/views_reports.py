"""Public annual-report pages (政府信息公开工作年度报告): the list, one report, its downloads. Published only."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from gongkai.core import documents
from gongkai.reports import selectors
from gongkai.reports.models import AnnualReport
from gongkai.reports.render import OUTPUT_FORMATS
from gongkai.reports.render import render as render_report
from gongkai.reports.render.html import render_html_fragment
from gongkai.visits.attribution import count_as

from . import fragments


@require_safe
def report_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Published reports, grouped by organisation (all, or one organisation's)."""
    reports = selectors.published_reports()
    org = None
    if code is not None:
        org = fragments.organisation(code)
        if org is None:
            raise Http404("unknown organisation")
        reports = reports.filter(organisation=org)
    groups = [(o, list(rs)) for o, rs in groupby(reports, key=lambda r: r.organisation)]
    crumbs: list[tuple[str, str | None]] = [(_("政府信息公开工作年度报告"), reverse("portal_reports:list") if org else None)]
    if org is not None:
        crumbs.append((org.name, None))
    return render(request, "portal/reports/portal_list.html", {"site_org": org, "org": org, "groups": groups, "crumbs": crumbs})


# What a member of the public downloads, in this order, with the words they know; machine formats (JSON, and
# Markdown for those who edit the text) are offered through the API and the 数据 page instead.
PUBLIC_DOWNLOADS = (("pdf", _lazy("PDF 文件")), ("docx", _lazy("Word 文件")), ("xlsx", _lazy("Excel 表格")))


def public_downloads() -> list[tuple[str, str]]:
    return [(fmt, str(label)) for fmt, label in PUBLIC_DOWNLOADS if fmt in OUTPUT_FORMATS]


@require_safe
def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = selectors.published_report(code, year)
    if report is None:
        raise Http404
    document = selectors.document_of(report)
    count_as(request, "report", organisation=report.organisation)
    return render(request, "portal/reports/portal_report.html", {
        "site_org": report.organisation, "report": report, "document": document,
        "body": render_html_fragment(document), "downloads": public_downloads(),
        "crumbs": [(_("政府信息公开工作年度报告"), reverse("portal_reports:list")), (document.title, None)],
    })


def report_download(report: AnnualReport | None, fmt: str) -> HttpResponse:
    """A published report (of any family) rendered as `fmt`, saved under its own title."""
    if report is None or fmt not in OUTPUT_FORMATS:
        raise Http404
    document = selectors.document_of(report)
    # Saved under the report's own title, not a code a person cannot read.
    return documents.download(render_report(document, fmt), f"{document.title}.{fmt}")


@require_safe
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    return report_download(selectors.published_report(code, year), fmt)


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """数据: what machines may read here (the open API and its description, the annual reports' data)."""
    return render(request, "portal/reports/open_data.html", {
        "reports": selectors.published_reports(), "crumbs": [(_("数据"), None)],
    })
