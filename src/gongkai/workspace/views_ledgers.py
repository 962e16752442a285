"""台账下载: the staff lists as Excel ledgers, with the lists' own filters (and an optional period)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from gongkai.core.spreadsheets import xlsx_response

from . import ledgers
from .acting import organisation_filter
from .forms import item_filters


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("从"), required=False)
    date_to = forms.DateField(label=_("至"), required=False)
    state = forms.CharField(required=False, max_length=30)
    q = forms.CharField(required=False, max_length=60)


@login_required
@require_safe
def ledger(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ledgers.KINDS:
        raise Http404
    org = organisation_filter(request)
    form = PeriodForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    period = ledgers.Period(data.get("date_from"), data.get("date_to"))
    if kind == "items":
        _form, filters = item_filters(request)
        sheet = ledgers.items_sheet(request.user, filters)
        period = ledgers.Period(filters.date_from, filters.date_to)
    elif kind == "applications":
        sheet = ledgers.applications_sheet(request.user, org=org, state=data.get("state") or "",
                                           query=data.get("q") or "", period=period)
    else:
        sheet = ledgers.letters_sheet(request.user, org=org, state=data.get("state") or "all", period=period)
    return xlsx_response([sheet], ledgers.filename(kind, org, period))
