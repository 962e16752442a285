"""Staff pages of the website self-inspection (网站自查): a dashboard per organisation and, for a supervising
organisation, every organisation below it ranked by level from the recorded runs, with the worst ones' trend."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongkai.inspection import selectors
from gongkai.inspection.chart import trend_svg
from gongkai.orgs.selectors import staff_organisations, visible_organisation_ids
from gongkai.workspace.acting import acting_organisation, row_limits


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/inspection/index.html", {"organisations": staff_organisations(request.user)})


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    org = acting_organisation(request, code)
    try:
        at = selectors.parse_at(request.GET.get("at"))
    except selectors.BadInput as exc:
        return render(request, "workspace/inspection/dashboard.html", {"organisation": org, "error": str(exc)}, status=400)
    result = selectors.inspection(org, at)
    return render(request, "workspace/inspection/dashboard.html", {
        "organisation": org, "inspection": result, "has_children": selectors.children_of(org).exists(),
        "probes": selectors.recent_probes(org, 10),
    })


@login_required
def children(request: HttpRequest, code: str) -> HttpResponse:
    org = acting_organisation(request, code)
    try:
        at = selectors.parse_at(request.GET.get("at"))
    except selectors.BadInput as exc:
        return render(request, "workspace/inspection/children.html", {"organisation": org, "error": str(exc)}, status=400)
    ranking = selectors.subtree_ranking(org, at, visible=visible_organisation_ids(request.user))
    return render(request, "workspace/inspection/children.html", {
        "organisation": org, "at": at, "ranking": ranking, "stale_days": selectors.STALE_DAYS,
        # Words and addresses repeated on thousands of rows, resolved once.
        **row_limits(request),
        "prefix": reverse("ws_inspection:index"), "at_text": at.isoformat(), "stale_word": _("记录较旧"),
        "pass_word": _("合格"), "fail_word": _("不合格（单项否决）"), "unrecorded_word": _("尚无自查记录（每周自查运行后显示）"),
        "chart": mark_safe(trend_svg(ranking.trend)),  # noqa: S308 - built from escaped names and numbers only
    })
