"""The organisation a staff request acts for (当前机构): named by the URL or the `org` parameter, checked once.

An organisation the user may not act for answers exactly like one that does not exist (404), so staff pages
never tell another office's organisations apart from missing ones.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import VIEW, organisation_for


def acting_organisation(request: HttpRequest, code: str | None = None, *, need: str = VIEW) -> Organisation:
    """The organisation `code` (default: the request's `org` parameter) names, if the user may `need` there."""
    if code is None:
        code = request.POST.get("org") or request.GET.get("org") or ""
    org = organisation_for(request.user, code, need)
    if org is None:
        raise Http404
    return org


def organisation_filter(request: HttpRequest, *, need: str = VIEW) -> Organisation | None:
    """A list's optional organisation filter: None when no `org` is given, 404 when it names one the user may
    not see."""
    if not (request.GET.get("org") or request.POST.get("org")):
        return None
    return acting_organisation(request, need=need)


ROW_LIMIT = 200  # rows a level of a supervisor's page tables before "全部列出"


def row_limits(request: HttpRequest) -> dict[str, object]:
    """How many rows each level of a supervisor's page lists: ROW_LIMIT, or all with `?all=1` (kept with the
    page's other parameters)."""
    show_all = request.GET.get("all") == "1"
    query = request.GET.copy()
    query["all"] = "1"
    return {"show_all": show_all, "row_limit": ROW_LIMIT, "row_slice": ":" if show_all else f":{ROW_LIMIT}",
            "all_query": query.urlencode()}
