"""The staff workspace (工作台): thin views over the catalog and review services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog import services as catalog_services
from gongkai.catalog.forms import ChannelForm, DutyVersionForm, ItemForm, WithdrawForm
from gongkai.catalog.models import DutyListVersion, Item
from gongkai.catalog.vocabularies import GENRE_LABELS, TOPIC_LABELS
from gongkai.core.concurrency import ConflictError
from gongkai.core.forms import add_service_errors, flash_outcome, refusal_text
from gongkai.core.selectors import audit_events
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import (
    EDIT,
    administered_organisation_ids,
    can_edit,
    editable_organisations,
    memberships_in,
    organisation_for,
    staff_organisations,
    visible_organisation_ids,
)
from gongkai.review import selectors as review_selectors
from gongkai.review import services as review_services
from gongkai.workspace.acting import acting_organisation
from gongkai.workspace.below import waiting_below_for

from .forms import SubmitForm, item_filters


def _item_for_staff(request: HttpRequest, pk: int) -> Item:
    item = catalog_selectors.staff_item(request.user, pk)
    if item is None:
        raise Http404
    return item


def _duty_version_for_staff(request: HttpRequest, pk: int) -> DutyListVersion:
    version = catalog_selectors.staff_duty_version(request.user, pk)
    if version is None:
        raise Http404
    return version




@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = catalog_selectors.stage_counts(user)
    return render(request, "workspace/home.html", {
        "counts": counts,
        "states": catalog_selectors.STAFF_STATES,
        "tasks": review_selectors.pending_tasks_for(user)[:10],
        "returned": catalog_selectors.staff_items_in_state(user, "returned")[:10],
        "organisations": staff_organisations(user),
        "below": waiting_below_for(user, timezone.localdate()),
    })


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    form, filters = item_filters(request)
    page = Paginator(catalog_selectors.staff_item_list(request.user, filters), 30).get_page(request.GET.get("page"))
    return render(request, "workspace/item_list.html", {
        "page": page, "form": form, "filters": filters, "state_labels": catalog_selectors.STATE_LABELS,
        "states": catalog_selectors.STAFF_STATES, "organisations": staff_organisations(request.user),
        "columns": catalog_selectors.staff_columns(request.user, filters.org),
        "query": request.GET.urlencode(),
    })


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    orgs = editable_organisations(request.user)
    if not orgs:
        raise PermissionDenied("您没有任何机构的信息员岗位。")
    org = acting_organisation(request, request.POST.get("org") or request.GET.get("org") or orgs[0].code, need=EDIT)
    form = ItemForm(request.POST or None, request.FILES or None, organisation=org,
                    image_upload_url=_image_upload_url(org))
    if request.method == "POST" and form.is_valid():
        try:
            item = catalog_services.create_item(
                request.user, org, form.service_data(), form.cleaned_data.get("attachments") or []
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "草稿已保存。")
            _tell_what_was_removed(request, form)
            return redirect("workspace:item", pk=item.pk)
    return render(request, "workspace/item_form.html", {"form": form, "org": org, "orgs": orgs})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_staff(request, pk)
    state = review_selectors.review_state(item)
    working = catalog_selectors.working_copy(item)
    submission = state.submission
    latest = review_selectors.latest_revision(item)
    stage = catalog_selectors.item_stage(item)
    return render(request, "workspace/item_detail.html", {
        "item": item,
        "stage": stage,
        "stage_label": catalog_selectors.STATE_LABELS[stage],
        "can_submit": state.code != "in_review" and latest is not None and latest.pk != item.live_revision_id,
        "labels": {
            "topic": TOPIC_LABELS.get(working["topic"], working["topic"]),
            "genre": GENRE_LABELS.get(working["genre"], working["genre"]),
            "validity": dict(Item.Validity.choices).get(working["validity"] or "", "—"),
            "disclosure": dict(Item.Disclosure.choices).get(working["disclosure"], working["disclosure"]),
        },
        "state": state,
        "working": working,
        "attachments": item.attachments.filter(pk__in=working["attachment_ids"]),
        "revisions": review_selectors.revisions_of(item)[:20],
        "submissions": review_selectors.submissions_of(item).prefetch_related("tasks", "findings")[:10],
        "decisions": review_selectors.decisions_of(submission) if submission else [],
        "findings": submission.findings.all() if submission else [],
        "can_edit": can_edit(request.user, item.organisation),
        "submit_form": SubmitForm(),
        "withdraw_form": WithdrawForm(),
        "channel_form": ChannelForm(),
        "events": audit_events(None, object_type="catalog.item", object_id=str(item.pk))[:30],
        "interpretations": catalog_selectors.interpretations_of(item),
    })


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_staff(request, pk)
    if not can_edit(request.user, item.organisation):
        raise PermissionDenied("您不能修改该机构的信息。")
    working = catalog_selectors.working_copy(item)
    initial = dict(working)
    initial["column"] = working["column_id"]
    initial["interprets"] = working["interprets_id"]
    form = ItemForm(request.POST or None, request.FILES or None, organisation=item.organisation, item=item,
                    initial=initial, image_upload_url=_image_upload_url(item.organisation, item))
    if request.method == "POST" and form.is_valid():
        try:
            expected = int(request.POST.get("lock_version", "-1"))
            remove = [int(x) for x in request.POST.getlist("remove_attachment") if x.isdigit()]
            catalog_services.update_item(
                request.user, item, form.service_data(), expected_version=expected,
                uploads=form.cleaned_data.get("attachments") or [], remove_attachment_ids=remove,
            )
        except ConflictError as exc:
            messages.error(request, refusal_text(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "修改已保存为新版本。" + ("已发布的页面在审核通过前不变。" if item.is_live else ""))
            _tell_what_was_removed(request, form)
            return redirect("workspace:item", pk=item.pk)
    return render(request, "workspace/item_form.html", {
        "form": form, "org": item.organisation, "item": item,
        "attachments": item.attachments.filter(pk__in=working["attachment_ids"]),
    })


def _image_upload_url(org: Organisation, item: Item | None = None) -> str:
    query = {"org": org.code} | ({"item": str(item.pk)} if item is not None else {})
    return reverse("workspace:body_image_upload") + "?" + urlencode(query)


def _tell_what_was_removed(request: HttpRequest, form: ItemForm) -> None:
    if form.body_notes:
        messages.warning(request, "正文中有不能发布的内容，保存时已去掉：" + "".join(form.body_notes))


@login_required
@require_POST
def body_image_upload(request: HttpRequest) -> JsonResponse:
    """The editor's picture upload (pasted or inserted): {"url": …} or {"error": {"message": …}} (CKEditor's shape)."""
    org = organisation_for(request.user, request.GET.get("org", ""), EDIT)
    upload = request.FILES.get("upload")
    item = None
    if org is not None and (item_pk := request.GET.get("item", "")).isdigit():
        item = catalog_selectors.item_of(org, int(item_pk))
    if org is None or upload is None:
        return JsonResponse({"error": {"message": "不能上传：没有选定可编辑的机构或文件。"}}, status=400)
    try:
        att = catalog_services.upload_body_image(request.user, org, upload, item=item)
    except (ValidationError, PermissionDenied) as exc:
        return JsonResponse({"error": {"message": refusal_text(exc)}}, status=400)
    return JsonResponse({"url": att.get_absolute_url()})


def _act(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    item = _item_for_staff(request, pk)
    flash_outcome(request, lambda: action(item), success)
    return redirect("workspace:item", pk=item.pk)


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("workspace:item", pk=pk)
    return _act(request, pk, lambda item: catalog_services.submit_item(
        request.user, item, publish_at=form.cleaned_data.get("publish_at")), "已送审。")


@login_required
@require_POST
def item_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def cancel(item: Item) -> None:
        sub = review_selectors.open_submission(item)
        if sub is None:
            raise ValidationError("没有审核中的送审。")
        review_services.cancel(request.user, sub)
    return _act(request, pk, cancel, "已撤回送审。")


@login_required
@require_POST
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤稿理由（至少4个字）。")
        return redirect("workspace:item", pk=pk)
    return _act(request, pk, lambda item: catalog_services.withdraw_item(
        request.user, item, form.cleaned_data["reason"]), "已撤稿，门户不再显示该信息。")


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_staff(request, pk)
    if not flash_outcome(request, lambda: catalog_services.delete_draft(request.user, item), "草稿已删除。"):
        return redirect("workspace:item", pk=pk)
    return redirect("workspace:items")


@login_required
@require_POST
def item_channel(request: HttpRequest, pk: int) -> HttpResponse:
    form = ChannelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "渠道登记信息有误：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("workspace:item", pk=pk)
    return _act(request, pk, lambda item: catalog_services.record_channel(request.user, item, **form.cleaned_data),
                "渠道发布已登记。")


@login_required
def item_revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = _item_for_staff(request, pk)
    revision = review_selectors.revision_of(item, number)
    if revision is None:
        raise Http404
    return render(request, "workspace/revision.html", {"item": item, "revision": revision})


@login_required
def duty_lists(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/duty_lists.html", {
        "versions": catalog_selectors.staff_duty_versions(request.user)[:100],
    })


@login_required
def duty_version_create(request: HttpRequest) -> HttpResponse:
    orgs = editable_organisations(request.user)
    if not orgs:
        raise PermissionDenied("您没有任何机构的信息员岗位。")
    code = request.POST.get("org") or request.GET.get("org") or orgs[0].code
    org = next((o for o in orgs if o.code == code), None)
    if org is None:
        raise PermissionDenied("您不能为该机构编制清单。")
    form = DutyVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = catalog_services.create_duty_list_version(request.user, org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "清单版本已保存为草稿。")
            return redirect("workspace:duty_version", pk=version.pk)
    return render(request, "workspace/duty_form.html", {"form": form, "org": org, "orgs": orgs})


@login_required
def duty_version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _duty_version_for_staff(request, pk)
    return render(request, "workspace/duty_version.html", {
        "version": version, "entries": version.entries.all(), "state": review_selectors.review_state(version),
        "can_edit": can_edit(request.user, version.duty_list.organisation),
    })


@login_required
@require_POST
def duty_version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _duty_version_for_staff(request, pk)
    flash_outcome(request, lambda: catalog_services.submit_duty_version(request.user, version), "已送审。")
    return redirect("workspace:duty_version", pk=pk)


@login_required
def roles(request: HttpRequest) -> HttpResponse:
    """岗位与授权: who holds which role in the organisations the user administers (and those below), and every
    grant and revocation there, whoever made it."""
    ids = administered_organisation_ids(request.user)
    if ids is not None and not ids:
        raise PermissionDenied("只有机构管理员可以查看岗位与授权。")
    changes = audit_events(ids, actions=("orgs.role_granted", "orgs.role_revoked"))
    return render(request, "workspace/roles.html", {
        "memberships": memberships_in(ids),
        "page": Paginator(changes, 50).get_page(request.GET.get("page")),
    })


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    events = audit_events(visible_organisation_ids(request.user))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "workspace/audit.html", {"page": page})
