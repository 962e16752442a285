"""Public pages of disclosure on request (依申请公开): apply online, track an application, get the letter.

The applicant proves who they are with the application number and its secret; the application ids they have
proved are kept in their session. Nothing here shows personal data: the status page names the applicant masked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from gongkai.applications import letters, selectors, services
from gongkai.applications.forms import PublicApplicationForm, TrackForm
from gongkai.applications.models import Application
from gongkai.core.documents import download
from gongkai.core.forms import add_service_errors
from gongkai.core.middleware import client_address
from gongkai.core.ratelimit import RateLimited
from gongkai.orgs import selectors as org_sel

SESSION_KEY = "gk_tracked_applications"
NEW_SECRET_KEY = "gk_new_application_secret"  # noqa: S105 — a session key, not a secret



def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("依申请公开"), reverse("apply:index") if more else None), *more]


def _remember(request: HttpRequest, app: Application) -> None:
    tracked = list(request.session.get(SESSION_KEY, []))
    if app.pk not in tracked:
        tracked = [*tracked[-19:], app.pk]
    request.session[SESSION_KEY] = tracked


def _tracked(request: HttpRequest, number: str) -> Application:
    app = selectors.application_by_number(number)
    if app is None or app.pk not in request.session.get(SESSION_KEY, []):
        raise Http404
    return app


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/applications/apply_index.html", {
        "organisations": selectors.organisations_accepting(), "crumbs": _crumbs()})


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    org = org_sel.organisation_by_code(code)
    if org is None:
        raise Http404
    form = PublicApplicationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                app, secret = services.submit_online(
                    org, form.application_input(), address=client_address(request),
                    documents=form.cleaned_data.get("documents") or [],
                )
            except RateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                _remember(request, app)
                request.session[NEW_SECRET_KEY] = {"number": app.number, "secret": secret}
                return redirect("apply:submitted", number=app.number)
        else:
            status = 400
    return render(request, "portal/applications/apply_form.html", {
        "form": form, "org": org, "site_org": org, "crumbs": _crumbs((_("在线申请"), None))}, status=status)


@require_safe
def submitted(request: HttpRequest, number: str) -> HttpResponse:
    app = _tracked(request, number)
    shown = request.session.pop(NEW_SECRET_KEY, None)
    secret = shown["secret"] if shown and shown.get("number") == app.number else ""
    return render(request, "portal/applications/apply_submitted.html", {
        "app": app, "secret": secret, "site_org": app.organisation, "crumbs": _crumbs((_("申请已提交"), None))})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        try:
            app = services.authenticate_tracking(form.cleaned_data["number"], form.cleaned_data["secret"],
                                                 address=client_address(request))
        except RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            if app is not None:
                _remember(request, app)
                return redirect("apply:status", number=app.number)
            form.add_error(None, _("申请编号或查询密码不正确"))
            status = 400
    return render(request, "portal/applications/apply_track.html", {
        "form": form, "crumbs": _crumbs((_("办理进度查询"), None))}, status=status)


@require_safe
def status(request: HttpRequest, number: str) -> HttpResponse:
    app = _tracked(request, number)
    reply = getattr(app, "reply", None) if app.replied_on else None
    return render(request, "portal/applications/apply_status.html", {
        "app": app, "site_org": app.organisation, "events": selectors.events_of(app, for_applicant=True),
        "applicant": selectors.masked_applicant(app.applicant), "reply": reply,
        "explanation": app.due_explanation,
        "crumbs": _crumbs((_("办理进度查询"), reverse("apply:track")), (app.number, None)),
    })


@require_safe
def letter(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    app = _tracked(request, number)
    reply = getattr(app, "reply", None)
    if reply is None or fmt not in letters.LETTER_FORMATS:
        raise Http404
    return download(letters.render(reply.letter, fmt), f"{app.number}-reply.{fmt}", inline=False, private=True)
