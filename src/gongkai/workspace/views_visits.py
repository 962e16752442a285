"""Staff pages of the visit statistics (访问统计): a site's views and visitors over a period, its trend, and what
was read most (columns, items, page kinds)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import can_view_unpublished, organisation_by_code, staff_organisations
from gongkai.visits import selectors
from gongkai.visits.chart import trend_svg

PERIODS = (7, 30, 90, 365)


def _org(request: HttpRequest, code: str) -> Organisation:
    org = organisation_by_code(code)
    if org is None or not can_view_unpublished(request.user, org):
        raise Http404
    return org


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The statistics of the first of the staff member's organisations (the page offers the others)."""
    first = staff_organisations(request.user).first()
    if first is None:
        return render(request, "workspace/visits/site.html", {"organisations": []})
    return redirect("ws_visits:site", code=first.code)


@login_required
def site(request: HttpRequest, code: str) -> HttpResponse:
    org = _org(request, code)
    context: dict[str, object] = {
        "organisation": org, "organisations": staff_organisations(request.user), "periods": PERIODS,
        "days_param": request.GET.get("days", "" if request.GET.get("start") else "30"),
        "start_param": request.GET.get("start", ""), "end_param": request.GET.get("end", ""),
    }
    try:
        start, end = selectors.parse_period(request.GET)
    except selectors.BadPeriod as exc:
        context["error"] = str(exc)
        return render(request, "workspace/visits/site.html", context, status=400)
    stats = selectors.site_statistics(org, start, end)
    context.update(stats=stats, chart=mark_safe(trend_svg(stats.days)))  # noqa: S308 - numbers and dates only
    return render(request, "workspace/visits/site.html", context)
