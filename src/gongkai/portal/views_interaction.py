"""Public pages of 政民互动: write to the director's mailbox, follow a letter, read published letters,
comment on consultations and read their feedback reports.

Views parse input, call one service or selector, render. A refused submission re-renders the form with
everything the person typed and a fresh challenge question; nothing is lost.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from gongkai.core.forms import add_service_errors
from gongkai.core.middleware import client_address
from gongkai.core.ratelimit import RateLimited
from gongkai.interaction import challenge, services
from gongkai.interaction import selectors as sel
from gongkai.interaction.forms import CommentForm, LetterForm, TrackForm
from gongkai.interaction.models import Consultation
from gongkai.orgs.models import Organisation
from gongkai.visits.attribution import count_as

from . import fragments

RECEIPT_SESSION_KEY = "interaction_new_letter"


def _site_org(request: HttpRequest) -> Organisation | None:
    """The organisation the page is written to, if the address names one; else the frame shows the site's."""
    code = request.GET.get("org") or request.POST.get("organisation") or ""
    return fragments.organisation(code) if code and len(code) <= 40 else None


def _org_filter(request: HttpRequest) -> Organisation | None:
    code = request.GET.get("org", "")
    if not code:
        return None
    org = fragments.organisation(code) if len(code) <= 40 else None
    if org is None:
        raise Http404("unknown organisation")
    return org

@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """政民互动 home: the mailbox, the latest published letters and consultations."""
    org = _org_filter(request)
    return render(request, "portal/interaction/index.html", {
        "site_org": org or _site_org(request),
        "org": org,
        "crumbs": [(gettext("政民互动"), None)],
        "letters": sel.published_letters(org)[:10],
        "consultations": sel.public_consultations(org)[:8],
    })


@never_cache
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """写信 to an organisation's mailbox."""
    orgs = sel.mailbox_organisations()
    status = 200
    if request.method == "POST":
        form = LetterForm(request.POST, request.FILES, organisations=orgs)
        if form.is_valid():
            try:
                letter, secret = services.submit_letter(
                    form.cleaned_data["organisation"], form.letter_input(),
                    address=client_address(request), attachment=form.cleaned_data.get("attachment"),
                )
            except RateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[RECEIPT_SESSION_KEY] = {"tracking": letter.tracking_number, "secret": secret,
                                                       "emailed": bool(letter.writer_email)}
                return redirect("interact:written")
    else:
        initial = {"organisation": request.GET.get("org") or (orgs.first().code if orgs.exists() else "")}  # type: ignore[union-attr]
        form = LetterForm(initial=initial, organisations=orgs)
    return render(request, "portal/interaction/write.html", {
        "form": form,
        "challenge": challenge.new_challenge(),
        "site_org": _site_org(request),
        "crumbs": [(gettext("政民互动"), reverse("interact:index")), (gettext("我要写信"), None)],
    }, status=status if status != 200 else 400 if form.errors else 200)


@never_cache
@require_safe
def written(request: HttpRequest) -> HttpResponse:
    """The receipt: tracking number and secret, shown once (the secret is not stored anywhere)."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not receipt:
        return redirect("interact:track")
    return render(request, "portal/interaction/written.html", {
        "receipt": receipt,
        "site_org": _site_org(request),
        "crumbs": [(gettext("政民互动"), reverse("interact:index")), (gettext("来信已提交"), None)],
    })


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """查询: the writer reads the state of their letter and the reply with the tracking number and secret."""
    form = TrackForm(request.POST or None)
    letter = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.authenticate_letter(form.cleaned_data["tracking_number"], form.cleaned_data["secret"],
                                                  address=client_address(request))
        except RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            if letter is None:
                form.add_error(None, _("查询编号或查询密码不正确，请核对后重新输入。"))
    return render(request, "portal/interaction/track.html", {
        "form": form,
        "letter": letter,
        "reply": sel.sent_reply(letter) if letter else None,
        "site_org": letter.organisation if letter else _site_org(request),
        "crumbs": [(gettext("政民互动"), reverse("interact:index")), (gettext("来信查询"), None)],
    }, status=status if status != 200 else 400 if form.errors else 200)


@require_safe
def letters(request: HttpRequest) -> HttpResponse:
    """选登: published letters with both timestamps."""
    org = _org_filter(request)
    page = Paginator(sel.published_letters(org), 20).get_page(request.GET.get("page"))
    return render(request, "portal/interaction/letters.html", {
        "page": page, "org": org, "site_org": org or _site_org(request),
        "crumbs": [(gettext("政民互动"), reverse("interact:index")), (gettext("来信选登"), None)],
    })


@require_safe
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.published_letter(pk)
    if found is None:
        raise Http404("no such published letter")
    count_as(request, "letter", organisation=found.organisation)
    return render(request, "portal/interaction/letter.html", {
        "letter": found, "site_org": found.organisation,
        "crumbs": [(gettext("政民互动"), reverse("interact:index")), (gettext("来信选登"), reverse("interact:letters")),
                   (found.public_subject, None)],
    })


@require_safe
def consultations(request: HttpRequest) -> HttpResponse:
    org = _org_filter(request)
    page = Paginator(sel.public_consultations(org), 20).get_page(request.GET.get("page"))
    return render(request, "portal/interaction/consultations.html", {
        "page": page, "org": org, "site_org": org or _site_org(request),
        "crumbs": [(gettext("政民互动"), reverse("interact:index")), (gettext("意见征集"), None)],
    })


@never_cache
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultation: the draft, its explanation, the comment form while it is open, and the feedback report."""
    c: Consultation | None = sel.public_consultation(pk)
    if c is None:
        raise Http404("no such consultation")
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.submit_comment(
                c, services.CommentInput(body=d["body"], name=d["name"], email=d["email"]),
                address=client_address(request),
            )
        except RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(reverse("interact:consultation", kwargs={"pk": c.pk}) + "?sent=1#comment")
    report = sel.published_feedback(c)
    count_as(request, "consultation", organisation=c.organisation)
    return render(request, "portal/interaction/consultation.html", {
        "c": c,
        "form": form,
        "challenge": challenge.new_challenge(),
        "sent": request.GET.get("sent") == "1",
        "comments": sel.approved_comments(c),
        "report": report,
        "final_item": sel.final_item_of(report) if report else None,
        "site_org": c.organisation,
        "crumbs": [(gettext("政民互动"), reverse("interact:index")), (gettext("意见征集"), reverse("interact:consultations")),
                   (c.title, None)],
    }, status=status if status != 200 else 400 if form.errors else 200)
