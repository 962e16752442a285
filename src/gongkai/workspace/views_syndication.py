"""Staff pages of 信息报送: submit a published item to a column of a site above; each organisation's
submissions with its adoption rate (信息采用率); what it received; the ranking a supervising organisation sees.
Accepting or refusing happens in the receiving organisation's review steps (审核任务)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog.models import Item
from gongkai.core.forms import add_service_errors
from gongkai.orgs.selectors import can_edit, staff_organisations
from gongkai.syndication import selectors, services
from gongkai.syndication.forms import SyndicationForm
from gongkai.workspace.acting import acting_organisation


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    today = timezone.localdate()
    return int(text) if text.isdigit() and 2000 <= int(text) <= today.year else today.year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/syndication/index.html", {"organisations": staff_organisations(request.user)})


@login_required
def organisation(request: HttpRequest, code: str) -> HttpResponse:
    org = acting_organisation(request, code)
    year = _year(request)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    # The figures of the organisations below (counts of published items): the supervisor's to rank.
    ranking = selectors.ranking(org, start, end)
    return render(request, "workspace/syndication/organisation.html", {
        "organisation": org, "year": year, "years": range(timezone.localdate().year, 2018, -1), "ranking": ranking,
        "adoption": selectors.adoption(org, start, end), "sent": selectors.sent_by(org),
        "received": selectors.received_by(org),
    })


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    entry: Item | None = catalog_selectors.staff_item(request.user, pk)
    if entry is None:
        raise Http404
    form = SyndicationForm(request.POST or None, columns=selectors.target_columns(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(request.user, entry, form.chosen_column(), note=form.cleaned_data["note"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已报送，等待%(org)s审核采用。") % {"org": form.chosen_column().organisation.name})
            return redirect("ws_syndication:item", pk=entry.pk)
    return render(request, "workspace/syndication/item.html", {
        "item": entry, "form": form, "rows": selectors.of_item(entry), "may_submit": can_edit(request.user, entry.organisation),
    }, status=400 if form.errors else 200)
