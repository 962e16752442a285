"""Probes as an attacker would send them, against the demo city.

- Isolation: for every URL pattern of the workspace, the staff API and the admin site that names an object or an
  organisation, and every role of another office (and the administrators of offices above, who only read), a
  request for a real object of the bureau answers exactly as one for an object that does not exist: same
  status, same redirect, same page. Writes by a read-only supervisor on the offices below change nothing.
- Unpublished content: every draft, item in review, returned, scheduled or withdrawn item, every unpublished duty
  list version, letter and consultation answers nothing at its public address, in feeds, the sitemap, search and
  the API.

The URL patterns are read from the resolver, so a new pattern without a probe fails `test_every_pattern_is_probed`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from gongkai.applications.models import Appeal, Application
from gongkai.catalog.models import Attachment, DutyListVersion, Item
from gongkai.core.models import AuditEvent
from gongkai.interaction.models import Comment, Consultation, FeedbackEntry, Letter
from gongkai.orgs.models import Organisation
from gongkai.reports.models import AuditBatch
from gongkai.review.models import Finding, StepTask
from tests.applications.factories import fake_resident_id
from tests.core.factories import minimal_pdf
from tests.security.conftest import count

pytestmark = [pytest.mark.xdist_group("security-demo-city"), pytest.mark.usefixtures("demo_city")]

TARGET = "mckjj"  # the bureau whose objects are probed
MISSING = 999_999_999
# Who probes: every role of a sibling office, of an office below the bureau and of the city government (whose
# non-administrators see nothing below), and the bureau's own administrator probing a sibling's objects.
OUTSIDERS = [f"{code}-{role}" for code in ("mcjyj", "dhqkjj", "mcs")
             for role in ("editor", "reviewer", "secrecy", "approver")]
SUPERVISORS = ["cityadmin"]  # reads the bureau, may change nothing there


def _first(qs: Any) -> Any:
    obj = qs.order_by("pk").first()
    assert obj is not None, qs.model
    return obj


def _probe_attachment(item: Item) -> Attachment:
    """A PDF attached to a draft, for an office the demo gave none."""
    pdf = minimal_pdf("probe")
    return Attachment.objects.create(
        item=item, organisation=item.organisation, file=ContentFile(pdf, name="probe.pdf"), original_name="探测.pdf",
        mime_type="application/pdf", extension="pdf", size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
    )


def targets(org: Organisation) -> dict[str, list[dict[str, Any]]]:
    """URL pattern name -> keyword arguments naming real objects of `org` (several states where they differ)."""
    items = [
        _first(Item.objects.filter(organisation=org, live_revision__isnull=False)),
        _first(Item.objects.filter(organisation=org, live_revision__isnull=True)),
    ]
    tasks = [_first(StepTask.objects.filter(submission__organisation=org, status=s)) for s in ("pending", "approved")]
    app = _first(Application.objects.filter(organisation=org))
    letter = _first(Letter.objects.filter(organisation=org))
    consultation = _first(Consultation.objects.filter(organisation=org, comments__isnull=False).distinct())
    comment = _first(Comment.objects.filter(consultation=consultation))
    entry = FeedbackEntry.objects.filter(report__consultation__organisation=org).order_by("pk").first()
    code = {"code": org.code}
    report = {"code": org.code, "year": timezone.localdate().year - 1}
    found: dict[str, list[dict[str, Any]]] = {
        "api:staff_submit_item": [{"pk": str(i.pk)} for i in items],
        "api:staff_decide": [{"pk": str(t.pk)} for t in tasks],
        "workspace:review_task": [{"pk": t.pk} for t in tasks],
        "workspace:finding_override": [{"pk": _first(Finding.objects.filter(submission__organisation=org)).pk}],
        "workspace:item_revision": [{"pk": i.pk, "number": 1} for i in items],
        "ws_applications:act": [{"pk": app.pk, "action": "extend"}],
        "ws_applications:letter": [{"pk": app.pk, "fmt": "pdf"}],
        "ws_interaction:comment_moderate": [{"pk": consultation.pk, "comment_pk": comment.pk}],
        "ws_reports:version": [{**report, "number": 1}],
        "ws_reports:download": [{**report, "fmt": "pdf"}],
    }
    if entry is not None:
        found["ws_interaction:feedback_entry_remove"] = [{"pk": entry.report.consultation_id, "entry_pk": entry.pk}]
    appeal = Appeal.objects.filter(application__organisation=org).order_by("pk").first()
    if appeal is not None:
        found["ws_applications:appeal_decide"] = [{"pk": appeal.pk}]
    versions = DutyListVersion.objects.filter(duty_list__organisation=org).order_by("pk")
    for name in ("item", "item_edit", "item_submit", "item_cancel", "item_withdraw", "item_delete", "item_channel"):
        found[f"workspace:{name}"] = [{"pk": i.pk} for i in items]
    found["ws_syndication:item"] = [{"pk": i.pk} for i in items]
    for name in ("duty_version", "duty_version_submit"):
        found[f"workspace:{name}"] = [{"pk": v.pk} for v in versions[:2]]
    for name in ("detail", "reveal", "appeal_create"):
        found[f"ws_applications:{name}"] = [{"pk": app.pk}]
    for name in ("letter", "letter_assign", "letter_reply", "letter_consent", "letter_publish", "letter_unpublish",
                 "letter_merge", "letter_close"):
        found[f"ws_interaction:{name}"] = [{"pk": letter.pk}]
    for name in ("consultation", "consultation_edit", "consultation_open", "consultation_close", "feedback_save",
                 "feedback_entry_add"):
        found[f"ws_interaction:{name}"] = [{"pk": consultation.pk}]
    for name in ("report", "create", "recompute", "edit", "publish", "figures", "dashboard"):
        found[f"ws_reports:{name}"] = [report]
    website = {"family": "website", **report}
    for name in ("report", "create", "recompute", "edit", "publish", "figures", "dashboard"):
        found[f"ws_reports:family_{name}"] = [website]
    found["ws_reports:family_version"] = [{**website, "number": 1}]
    found["ws_reports:family_download"] = [{**website, "fmt": "pdf"}]
    for name in ("ws_inspection:dashboard", "ws_inspection:children", "ws_visits:site", "ws_reports:audits",
                 "ws_reports:quarterly", "ws_syndication:organisation"):
        found[name] = [code]
    attachment = Attachment.objects.filter(organisation=org).order_by("pk").first() or _probe_attachment(items[1])
    found["workspace:attachment"] = [{"pk": attachment.pk}]
    found["workspace:attachment_page"] = [{"pk": attachment.pk, "page": 1}]
    batch = AuditBatch.objects.filter(organisation=org).order_by("pk").first() or AuditBatch.objects.create(
        organisation=org, title="探测用审查批次", status=AuditBatch.Status.DONE)
    for name in ("audit_batch", "audit_batch_xlsx"):
        found[f"ws_reports:{name}"] = [{"code": org.code, "pk": batch.pk}]
    return found


# Patterns with parameters that name nothing of an office: public reads (probed as unpublished content below),
# the sign-on provider's pages, and the ledgers (their office filter is probed with the lists).
PUBLIC = {"api:organisation", "api:columns", "api:item", "api:report", "api:None", "workspace:sign_on",
          "workspace:sign_on_callback", "workspace:ledger"}
KEPT = {"action", "fmt", "year", "number", "family", "page"}  # arguments that name no object


def staff_patterns() -> Iterator[tuple[str, str, list[str]]]:
    """(name, route, parameter names) of every workspace and API pattern that takes parameters."""
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str, list[str]]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                params = re.findall(r"<(?:\w+:)?(\w+)>", route)
                if params and route.startswith(("workspace/", "api/")):
                    yield f"{namespace}:{p.name}", route, params
    yield from walk(get_resolver().url_patterns, "", "")


def url_for(route: str, kwargs: dict[str, Any]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)


def missing_like(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same arguments naming nothing: ids that do not exist, a code no office has."""
    out = {}
    for key, value in kwargs.items():
        if key in {"code"}:
            out[key] = "no-such-office"
        elif key in KEPT:
            out[key] = value
        else:
            out[key] = str(MISSING) if isinstance(value, str) else MISSING
    return out


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def answer(client: Client, method: str, url: str, api: bool, ids: tuple[str, ...] = ()) -> tuple[int, str, bytes]:
    """Status, redirect and page of one request, with the address itself (which pages repeat in links) and the
    form tokens taken out, so that the answers for a real and a missing object can be compared whole."""
    if method == "GET":
        response = client.get(url)
    elif api:
        response = client.post(url, data=json.dumps({"action": "approve", "comment": "probe"}),
                               content_type="application/json")
    else:
        response = client.post(url, {"reason": "探测", "comment": "探测", "action": "approve"})
    body = b"" if response.streaming else CSRF.sub(b"", response.content)
    location = response.get("Location", "")
    for form in {url, quote(url), quote(url, safe="")}:
        body = body.replace(form.encode(), b"<URL>")
        location = location.replace(form, "<URL>")
    for value in ids:  # the id the prober typed, echoed in a redirect or a link: no news to them
        body = body.replace(f"/{value}/".encode(), b"/<ID>/")
        location = location.replace(f"/{value}/", "/<ID>/")
    return response.status_code, location, body


def ids(kwargs: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(v) for k, v in kwargs.items() if k not in KEPT)


def same_as_missing(real: tuple[int, str, bytes], missing: tuple[int, str, bytes]) -> bool:
    return real == missing and real[0] not in (200, 201)


@pytest.fixture(scope="module")
def bureau(demo_city: None, django_db_blocker: Any) -> Organisation:
    with django_db_blocker.unblock():
        return Organisation.objects.get(code=TARGET)


def test_every_pattern_is_probed(db: None, bureau: Organisation) -> None:
    probed = set(targets(bureau)) | PUBLIC
    unprobed = {name for name, _route, _params in staff_patterns()} - probed
    assert unprobed == set(), "new staff URL patterns need a probe in targets()"


@pytest.mark.parametrize("actor", [*OUTSIDERS, "admin-of-sibling"])
def test_another_offices_objects_answer_like_missing_ones(db: None, bureau: Organisation, actor: str) -> None:
    org = bureau
    if actor == "admin-of-sibling":  # the bureau's administrator probing the education bureau's objects
        actor, org = "admin", Organisation.objects.get(code="mcjyj")
        found = targets_or_partial(org)
    else:
        found = targets(org)
    client = client_for(actor)
    routes = {name: route for name, route, _params in staff_patterns()}
    leaks = []
    for name, kwarg_list in found.items():
        route = routes[name]
        for kwargs in kwarg_list:
            for method in ("GET", "POST"):
                api = route.startswith("api/")
                if api and method == "GET":
                    continue
                real = answer(client, method, url_for(route, kwargs), api, ids(kwargs))
                missing = answer(client, method, url_for(route, missing_like(kwargs)), api, ids(missing_like(kwargs)))
                count("isolation")
                if not same_as_missing(real, missing):
                    leaks.append((actor, method, url_for(route, kwargs), real[0], missing[0]))
    count("answered-with-data", len(leaks))
    assert leaks == []


def targets_or_partial(org: Organisation) -> dict[str, list[dict[str, Any]]]:
    """targets() for an office with fewer kinds of object: the kinds it has."""
    try:
        return targets(org)
    except AssertionError:
        items = Item.objects.filter(organisation=org).order_by("pk")[:2]
        return {
            **{f"workspace:{n}": [{"pk": i.pk} for i in items] for n in ("item", "item_edit", "item_submit",
                                                                         "item_withdraw", "item_delete")},
            "ws_reports:report": [{"code": org.code, "year": timezone.localdate().year - 1}],
            "ws_inspection:dashboard": [{"code": org.code}], "ws_visits:site": [{"code": org.code}],
        }


ORG_LISTS = ["/workspace/items/", "/workspace/applications/", "/workspace/interaction/",
             "/workspace/interaction/consultations/", "/workspace/applications/stats/", "/workspace/items/new/",
             "/workspace/duties/new/", "/workspace/applications/register/", "/workspace/interaction/consultations/new/",
             "/workspace/ledgers/items/", "/workspace/ledgers/applications/", "/workspace/ledgers/letters/"]


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_lists_filtered_by_another_office_answer_like_an_unknown_office(
    db: None, bureau: Organisation, actor: str,
) -> None:
    client = client_for(actor)
    leaks = []
    for path in ORG_LISTS:
        real = answer(client, "GET", f"{path}?org={TARGET}", False)
        missing = answer(client, "GET", f"{path}?org=no-such-office", False)
        count("isolation")
        # A list that ignores a filter it may not apply answers the same page either way: no leak either.
        if real[:2] != missing[:2] or real[2].replace(TARGET.encode(), b"<ORG>") != missing[2].replace(
                b"no-such-office", b"<ORG>"):
            leaks.append((actor, path, real[0], missing[0]))
    count("answered-with-data", len(leaks))
    assert leaks == []


ADMIN_MODELS = ["catalog/column", "review/workflow", "review/sensitiveword", "orgs/membership", "orgs/organisation",
                "core/outgoingmail"]


def admin_rows(org: Organisation) -> list[tuple[str, int]]:
    from django.apps import apps

    rows = []
    for label in ADMIN_MODELS:
        model = apps.get_model(*label.split("/"))
        lookup = "pk" if label == "orgs/organisation" else "organisation_id"
        obj = model.objects.filter(**{lookup: org.pk}).order_by("pk").first()
        if obj is not None:
            rows.append((label, obj.pk))
    return rows


@pytest.mark.parametrize("actor", ["admin", "mcjyj-editor", "mcjyj-approver", "dhqkjj-reviewer"])
def test_admin_rows_of_another_office_answer_like_missing_ones(db: None, actor: str) -> None:
    other = Organisation.objects.get(code="mcjyj" if actor == "admin" else TARGET)
    client = client_for(actor)
    leaks = []
    for label, pk in admin_rows(other):
        for suffix in ("change/", "delete/", "history/"):
            for method in ("GET", "POST"):
                real = answer(client, method, f"/admin/{label}/{pk}/{suffix}", False, (str(pk),))
                missing = answer(client, method, f"/admin/{label}/{MISSING}/{suffix}", False, (str(MISSING),))
                count("isolation")
                if not same_as_missing(real, missing):
                    leaks.append((actor, method, label, suffix, real[0], missing[0]))
    count("answered-with-data", len(leaks))
    assert leaks == []


@pytest.mark.parametrize("actor", SUPERVISORS)
def test_read_only_supervisor_changes_nothing_below(db: None, bureau: Organisation, actor: str) -> None:
    client = client_for(actor)
    routes = {name: route for name, route, _params in staff_patterns()}
    before = AuditEvent.objects.count()
    changed = []
    for name, kwarg_list in targets(bureau).items():
        for kwargs in kwarg_list:
            route = routes[name]
            status, _location, _body = answer(client, "POST", url_for(route, kwargs), route.startswith("api/"))
            count("isolation")
            if AuditEvent.objects.count() != before or (status in (200, 201) and route.startswith("api/")):
                changed.append((name, status))
                before = AuditEvent.objects.count()
    for label, pk in admin_rows(bureau):
        status, _location, _body = answer(client, "POST", f"/admin/{label}/{pk}/delete/", False)
        count("isolation")
        if AuditEvent.objects.count() != before:
            changed.append((label, status))
    count("answered-with-data", len(changed))
    assert changed == []


# ---- unpublished content ---------------------------------------------------------------------------------------

def test_unpublished_content_answers_nothing_anywhere(db: None, bureau: Organisation) -> None:
    from gongkai.catalog.selectors import live_items

    public = Client()
    live = set(live_items().values_list("pk", flat=True))
    hidden = list(Item.objects.exclude(pk__in=live).select_related("organisation", "column"))
    assert len(hidden) >= 10
    sitemap = "".join(public.get(path).content.decode() for path in _sitemap_paths(public))
    leaks = []

    def probe(kind: str, ok: bool, what: Any) -> None:
        count("unpublished")
        if not ok:
            leaks.append((kind, what))

    for item in hidden:
        url = f"/items/{item.pk}/"
        probe("page", public.get(url).status_code == 404, url)
        probe("api", public.get(f"/api/v1/items/{item.pk}").status_code == 404, item.pk)
        probe("sitemap", f"/items/{item.pk}/" not in sitemap, item.pk)
        for attachment in item.attachments.all():
            probe("attachment", public.get(f"/attachments/{attachment.pk}/").status_code == 404, attachment.pk)
        probe("search", f"/items/{item.pk}/" not in public.get("/search/", {"q": item.title[:20]}).content.decode(),
              item.pk)
        api_hits = public.get("/api/v1/search", {"q": item.title[:20]}).json()["results"]
        probe("api-search", all(hit["id"] != item.pk for hit in api_hits), item.pk)
        for feed in ("rss.xml", "atom.xml"):
            body = public.get(f"/org/{item.organisation.code}/{item.column.slug}/{feed}").content.decode()
            probe("feed", f"/items/{item.pk}/" not in body, (item.pk, feed))
        catalog = public.get("/api/v1/items", {"organisation": item.organisation.code, "limit": 100}).json()
        probe("api-list", all(row["id"] != item.pk for row in catalog["results"]), item.pk)
    for version in DutyListVersion.objects.filter(live_revision__isnull=True).select_related("duty_list__organisation"):
        url = f"/org/{version.duty_list.organisation.code}/duties/{version.duty_list.kind}/{version.pk}/"
        probe("duty-version", public.get(url).status_code == 404, url)
    for letter in Letter.objects.filter(published_at__isnull=True):
        probe("letter", public.get(f"/interact/letters/{letter.pk}/").status_code == 404, letter.pk)
    for consultation in Consultation.objects.filter(published_at__isnull=True):
        probe("consultation", public.get(f"/interact/consultations/{consultation.pk}/").status_code == 404,
              consultation.pk)
    count("answered-with-data", len(leaks))
    assert leaks == []


def _sitemap_paths(client: Client) -> list[str]:
    index = client.get("/sitemap.xml").content.decode()
    return [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", index)] or ["/sitemap.xml"]


def probe_counts_callable() -> Callable[..., None]:
    return count


# ---- personal data in public pages, logs and mail output, after a scripted demo -------------------------------

TYPED_ID = fake_resident_id(42)  # what the scripted applicant and letter writer type
TYPED_PHONE = "13987654321"
TYPED_EMAIL = "wang.xiaoming@example.test"


def _office_contacts() -> set[str]:
    """What may be published: offices' own phone, fax and e-mail (公开指南), and numbers in items whose secrecy
    review accepted them with a written reason (a pre-check finding overridden, e.g. a public hotline)."""
    from gongkai.core.personal_data import find_personal_data

    values: set[str] = set()
    for org in Organisation.objects.all():
        values |= {v for v in (org.phone, org.fax, org.email) if v}
    accepted = Finding.objects.filter(overridden_at__isnull=False).values_list("submission__object_id", flat=True)
    for item in Item.objects.filter(pk__in=list(accepted)):
        text = " ".join((item.title, item.summary, item.body))
        values |= {text[f.start:f.end] for f in find_personal_data(text)}
    return values


def _personal_data_in(text: str, allowed: set[str]) -> list[str]:
    from gongkai.core.personal_data import find_personal_data
    from gongkai.core.secrets import SECRET_RE

    found = [text[f.start:f.end] for f in find_personal_data(text)]
    found = [value for value in found if not any(value in contact or contact in value for contact in allowed)]
    return found + SECRET_RE.findall(text)


def test_public_pages_show_no_personal_data(db: None, bureau: Organisation) -> None:
    from gongkai.catalog.selectors import live_items

    public = Client()
    pages = ["/", "/orgs/", "/catalog/", "/catalog/?page=2", "/search/?q=科技", "/apply/", "/interact/",
             "/interact/letters/", "/interact/consultations/", "/reports/", "/sitemap.xml"]
    for org in Organisation.objects.all():
        pages += [f"/org/{org.code}/", f"/org/{org.code}/guide/", f"/org/{org.code}/duties/", f"/reports/{org.code}/"]
    pages += [f"/items/{pk}/" for pk in live_items().order_by("-published_at").values_list("pk", flat=True)[:150]]
    pages += [f"/interact/letters/{pk}/" for pk in Letter.objects.filter(published_at__isnull=False)
              .values_list("pk", flat=True)]
    pages += [f"/interact/consultations/{pk}/" for pk in Consultation.objects.filter(published_at__isnull=False)
              .values_list("pk", flat=True)]
    allowed = _office_contacts()
    found = []
    for path in pages:
        response = public.get(path)
        count("personal-data")
        if response.status_code == 200 and not response.streaming:
            leaked = _personal_data_in(response.content.decode(), allowed)
            if leaked:
                found.append((path, leaked[:3]))
    count("answered-with-data", len(found))
    assert found == []


def test_logs_and_mail_of_a_scripted_demo_are_masked(
    db: None, bureau: Organisation, settings: Any, capsys: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    """An applicant and a letter writer type identity number, phone and e-mail; both get mail with their tracking
    secret; staff answer; people mistype and probe. Neither the mail printed by the console back end nor the log
    holds any of it unmasked."""
    import io
    import logging

    from gongkai.applications import services as applications
    from gongkai.core.masking import PersonalDataLogFilter
    from gongkai.interaction import services as mailbox
    from tests.applications.factories import applicant_input
    from tests.interaction.factories import Staff, answer, letter_input

    assert "mask_personal_data" in settings.LOGGING["handlers"]["console"]["filters"]
    settings.EMAIL_BACKEND = "gongkai.core.mail.ConsoleBackend"
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.addFilter(PersonalDataLogFilter())  # as settings.LOGGING's console handler
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    secrets = []
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _app, secret = applications.submit_online(bureau, applicant_input(
                id_number=TYPED_ID, phone=TYPED_PHONE, email=TYPED_EMAIL,
                subject=f"本人（电话{TYPED_PHONE}）的补贴发放记录"), address="198.51.100.20")
            secrets.append(secret)
        with django_capture_on_commit_callbacks(execute=True):
            letter, secret = mailbox.submit_letter(bureau, letter_input(
                email=TYPED_EMAIL, phone=TYPED_PHONE, subject="关于科技补贴发放的咨询",
                body=f"我的身份证号{TYPED_ID}，电话{TYPED_PHONE}，邮箱{TYPED_EMAIL}。"), address="198.51.100.21")
            secrets.append(secret)
        roles = {m.role: m.user for m in bureau.memberships.select_related("user")}
        with django_capture_on_commit_callbacks(execute=True):
            answer(Staff(bureau, roles), letter, "您好，材料已收到。")
        client = Client()
        client.post("/workspace/login/", {"username": TYPED_EMAIL, "password": TYPED_PHONE})
        client.get(f"/apply/track/{TYPED_PHONE}/")
        client.get(f"/interact/letters/{TYPED_ID}/")
        client.post("/apply/track/", {"number": "YSQ-mckjj-2026-99999", "secret": secrets[0]})
        logging.getLogger("gongkai.probe").warning("查询 %s %s %s %s", TYPED_EMAIL, TYPED_PHONE, TYPED_ID, secrets[1])
    finally:
        root.removeHandler(handler)
    mail_output = capsys.readouterr().out
    assert mail_output.count("Subject:") >= 2  # the application received, the letter answered
    allowed = _office_contacts()
    for text in (mail_output, log.getvalue()):
        count("personal-data-texts")
        for value in (TYPED_ID, TYPED_PHONE, TYPED_EMAIL, *secrets):
            assert value not in text
        assert _personal_data_in(text, allowed) == []
