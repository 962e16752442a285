"""Staff pages of disclosure on request (依申请公开): urgency lists, registration, processing, letters, figures.

Each view parses input, calls one service or selector and renders; every rule is enforced in the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.applications import letters, selectors, services
from gongkai.applications.forms import (
    AppealDecisionForm,
    AppealForm,
    ConsultationEndForm,
    ConsultationStartForm,
    CorrectedForm,
    CorrectionRequestForm,
    ExtensionForm,
    FeeForm,
    RegisterForm,
    ReplyForm,
    StatsForm,
    StepForm,
)
from gongkai.applications.models import Application, ReplyKind, State
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.documents import download
from gongkai.core.forms import add_service_errors
from gongkai.orgs.selectors import staff_organisations
from gongkai.workspace.acting import organisation_filter


def _app(request: HttpRequest, pk: int) -> Application:
    app = selectors.application_for_staff(request.user, pk)
    if app is None:
        raise Http404
    return app


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    org = organisation_filter(request)
    state = request.GET.get("state", "")
    query = request.GET.get("q", "").strip()[:60]
    today = services.today()
    calendar = working_calendar()
    lists = selectors.urgency_lists(request.user, today, calendar, org)
    page = Paginator(selectors.staff_applications(request.user, org=org, state=state, query=query), 30).get_page(
        request.GET.get("page"))
    return render(request, "workspace/applications/ws_list.html", {
        "buckets": [(key, label, lists[key]) for key, label in selectors.URGENCY_BUCKETS],
        "page": page, "org": org, "state": state, "query": query, "states": State.choices,
        "organisations": staff_organisations(request.user), "today": today,
        "provisional": [a for items in lists.values() for a in items if a.due_provisional],
    })


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    orgs = [o for o in staff_organisations(request.user) if services.can_handle(request.user, o)]
    if not orgs:
        raise PermissionDenied(_("您没有任何机构的经办岗位（信息员或管理员）。"))
    code = request.POST.get("org") or request.GET.get("org") or orgs[0].code
    org = next((o for o in orgs if o.code == code), None)
    if org is None:
        raise PermissionDenied(_("您不能为该机构登记申请。"))
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            app, secret = services.register_application(
                request.user, org, form.application_input(), channel=d["channel"], arrived_on=d["arrived_on"],
                confirmed_on=d.get("confirmed_on"), registered_letter=bool(d.get("registered_letter")),
                documents=d.get("documents") or [],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记申请 %(number)s。查询密码：%(secret)s（只显示这一次，请写入受理回执告知申请人）") % {
                "number": app.number, "secret": secret})
            return redirect("ws_applications:detail", pk=app.pk)
    return render(request, "workspace/applications/ws_register.html", {"form": form, "org": org, "orgs": orgs},
                  status=400 if form.errors else 200)


def _step_forms(app: Application, data: Any = None, files: Any = None, only: str = "") -> dict[str, forms.Form]:
    initial = {"lock_version": app.lock_version}
    builders: dict[str, Callable[[], forms.Form]] = {
        "correction": lambda: CorrectionRequestForm(data, initial=initial, prefix="correction"),
        "corrected": lambda: CorrectedForm(data, files, initial=initial, prefix="corrected"),
        "correction_lapsed": lambda: StepForm(data, initial=initial, prefix="correction_lapsed"),
        "consult": lambda: ConsultationStartForm(data, initial=initial, prefix="consult"),
        "consult_end": lambda: ConsultationEndForm(data, initial=initial, prefix="consult_end"),
        "extend": lambda: ExtensionForm(data, initial=initial, prefix="extend",
                                        approvers=selectors.approvers_of(app.organisation)),
        "fee": lambda: FeeForm(data, initial=initial, prefix="fee"),
        "fee_paid": lambda: StepForm(data, initial=initial, prefix="fee_paid"),
        "fee_lapsed": lambda: StepForm(data, initial=initial, prefix="fee_lapsed"),
        "reply": lambda: ReplyForm(data, initial=initial, prefix="reply"),
        "close": lambda: StepForm(data, initial=initial, prefix="close"),
    }
    if only:
        return {only: builders[only]()}
    return {name: build() for name, build in builders.items()}


def _perform(user: Any, app: Application, action: str, form: forms.Form) -> str:
    d = form.cleaned_data
    on, version = d["on"], d["lock_version"]
    if action == "correction":
        services.request_correction(user, app, on=on, items=d["items"], correct_by=d.get("correct_by"),
                                    requires_document=bool(d.get("requires_document")), expected_version=version)
        return _("已告知补正。")
    if action == "corrected":
        services.record_correction(user, app, on=on, note=d.get("note") or "", documents=d.get("documents") or [],
                                   expected_version=version)
        return _("已记录收到补正，答复期限重新计算。")
    if action == "correction_lapsed":
        services.record_correction_lapsed(user, app, on=on, expected_version=version)
        return _("已记录逾期未补正，视为放弃申请。")
    if action == "consult":
        services.start_consultation(user, app, on=on, party=d["party"], note=d.get("note") or "",
                                    expected_version=version)
        return _("已记录征求意见。")
    if action == "consult_end":
        services.end_consultation(user, app, on=on, opinion=d["opinion"], note=d.get("note") or "",
                                  expected_version=version)
        return _("已记录征求意见结果。")
    if action == "extend":
        services.extend_deadline(user, app, on=on, days=d["days"], approved_by=d["approved_by"], reason=d["reason"],
                                 expected_version=version)
        return _("已延长答复期限并告知申请人。")
    if action == "fee":
        fee = services.issue_fee_notice(user, app, on=on, basis=d["basis"], quantity=d["quantity"],
                                        expected_version=version)
        return _("已发出收费通知：%(amount)s元。") % {"amount": fee.amount}
    if action == "fee_paid":
        services.record_fee_paid(user, app, on=on, expected_version=version)
        return _("已记录缴费。")
    if action == "fee_lapsed":
        services.record_fee_lapsed(user, app, on=on, expected_version=version)
        return _("已记录逾期未缴费，视为放弃申请。")
    if action == "reply":
        services.reply(user, app, on=on, kind=d["kind"], content=d.get("content") or "",
                       legal_basis=d.get("legal_basis") or "", expected_version=version)
        return _("已作出答复，答复告知书已生成。")
    if action == "close":
        services.close(user, app, on=on, expected_version=version)
        return _("已办结。")
    raise Http404


def _detail_context(request: HttpRequest, app: Application, step_forms: dict[str, forms.Form],
                    revealed: Any = None) -> dict[str, Any]:
    return {
        "app": app, "events": selectors.events_of(app), "applicant": selectors.masked_applicant(app.applicant),
        "revealed": revealed, "explanation": app.due_explanation, "reply": getattr(app, "reply", None),
        "fees": app.fees.all(), "appeals": app.appeals.all(), "documents": app.documents.all(),
        "forms": step_forms, "can_handle": services.can_handle(request.user, app.organisation),
        "appeal_form": AppealForm(prefix="appeal"),
        "appeal_forms": [(a, AppealDecisionForm(initial={"lock_version": a.lock_version, "outcome": a.outcome,
                                                         "decided_on": a.decided_on}, prefix=f"appeal{a.pk}"))
                         for a in app.appeals.all()],
        "reply_kinds": ReplyKind,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk)
    return render(request, "workspace/applications/ws_detail.html", _detail_context(request, app, _step_forms(app)))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    app = _app(request, pk)
    if action not in _step_forms(app):
        raise Http404
    step_forms = _step_forms(app)
    form = _step_forms(app, request.POST, request.FILES, only=action)[action]
    if form.is_valid():
        try:
            message = _perform(request.user, app, action, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("ws_applications:detail", pk=app.pk)
    step_forms[action] = form
    app.refresh_from_db()
    context = _detail_context(request, app, step_forms)
    context["failed_action"] = action
    return render(request, "workspace/applications/ws_detail.html", context, status=400)


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk)
    applicant = services.reveal_applicant(request.user, app)
    return render(request, "workspace/applications/ws_detail.html",
                  _detail_context(request, app, _step_forms(app), revealed=applicant))


@login_required
@require_POST
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk)
    form = AppealForm(request.POST, prefix="appeal")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_appeal(request.user, app, kind=d["kind"], filed_on=d["filed_on"], body=d["body"],
                                   case_number=d["case_number"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录。"))
            return redirect("ws_applications:detail", pk=app.pk)
    context = _detail_context(request, app, _step_forms(app))
    context["appeal_form"] = form
    return render(request, "workspace/applications/ws_detail.html", context, status=400)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_for_staff(request.user, pk)
    if appeal is None:
        raise Http404
    app = _app(request, appeal.application_id)
    form = AppealDecisionForm(request.POST, prefix=f"appeal{appeal.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.decide_appeal(request.user, appeal, outcome=d["outcome"], decided_on=d.get("decided_on"),
                                   expected_version=d["lock_version"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录结果。"))
            return redirect("ws_applications:detail", pk=app.pk)
    context = _detail_context(request, app, _step_forms(app))
    context["appeal_forms"] = [(a, form if a.pk == appeal.pk else f) for a, f in context["appeal_forms"]]
    return render(request, "workspace/applications/ws_detail.html", context, status=400)


@login_required
def letter(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    app = _app(request, pk)
    reply = getattr(app, "reply", None)
    if reply is None or fmt not in letters.LETTER_FORMATS:
        raise Http404
    return download(letters.render(reply.letter, fmt), f"{app.number}-reply.{fmt}", inline=False, private=True)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    orgs = list(staff_organisations(request.user))
    org = organisation_filter(request) or (orgs[0] if orgs else None)
    form = StatsForm(request.GET or None)
    year = form.cleaned_data["year"] if form.is_valid() else StatsForm.default_year()
    context: dict[str, Any] = {"organisations": orgs, "org": org, "year": year, "form": form}
    if org is not None:
        t3 = selectors.t3_counts(org, year)
        context.update({
            "t3_rows": [(key, _t3_label(key), [t3[key][c] for c in selectors.T3_COLUMNS])
                        for key in selectors.T3_ROWS],
            "t4": selectors.t4_counts(org, year), "fees": selectors.fees_collected(org, year),
            "fee_notices": selectors.fee_notices(org, year),
        })
    return render(request, "workspace/applications/ws_stats.html", context)


def _t3_label(key: str) -> str:
    labels = {"new": _("一、本年新收政府信息公开申请数量"), "carried_over": _("二、上年结转政府信息公开申请数量"),
              "results_total": _("（七）总计"), "carried_forward": _("四、结转下年度继续办理")}
    return labels.get(key) or str(ReplyKind(key).label)
