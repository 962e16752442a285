"""Review in the workspace (审核): the queue, the task page that shows what is signed, batch approval, the inbox
of what waits on me (待办), personal settings, and attachments shown to staff before they are public."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog.models import Item
from gongkai.core import files as core_files
from gongkai.core.concurrency import ConflictError
from gongkai.core.forms import add_service_errors, flash_outcome
from gongkai.core.text import html_to_text
from gongkai.orgs import services as org_services
from gongkai.orgs.selectors import receives_mail
from gongkai.review import selectors as review_selectors
from gongkai.review import services as review_services
from gongkai.review.marking import mark_attachment_text, mark_body
from gongkai.review.models import Decision, StepTask
from gongkai.review.steps import behaviour_of

from .diff import field_changes, word_diff
from .forms import BatchForm, DecisionForm, MailPreferenceForm, OverrideForm
from .todo import inbox_for

# PDFs longer than this show their first pages inline and say how many more there are.
PDF_PAGES_SHOWN = 30


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    tasks = list(review_selectors.pending_tasks_for(request.user))
    return render(request, "workspace/review_queue.html", {
        "tasks": tasks, "batchable": [t for t in tasks if not t.open_findings],  # type: ignore[attr-defined]
    })


@login_required
@require_POST
def review_batch(request: HttpRequest) -> HttpResponse:
    pending = [t.pk for t in review_selectors.pending_tasks_for(request.user)]
    form = BatchForm(request.POST, task_ids=pending)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("workspace:review_queue")
    outcomes = review_services.approve_many(request.user, form.cleaned_data["tasks"],
                                            comment=form.cleaned_data["comment"])
    done = [o for o in outcomes if o.decision is not None]
    if done:
        messages.success(request, gettext("已通过 %(n)d 项：%(titles)s") % {
            "n": len(done), "titles": "；".join(o.title for o in done)})
    for o in outcomes:
        if o.decision is None:
            messages.error(request, gettext("未通过“%(title)s”：%(why)s") % {"title": o.title, "why": o.refusal})
    return redirect("workspace:review_queue")


def _task_or_404(request: HttpRequest, pk: int) -> StepTask:
    task = review_selectors.task_for(request.user, pk)
    if task is None:
        raise Http404
    return task


def _item_review(item: Item, revision: Any, findings: list[Any]) -> dict[str, Any]:
    """What the task page shows of an item: every field, the body with findings marked, the attachments with how
    to view each, the links to interpretations, the channels, and the differences from the live version."""
    snapshot = revision.snapshot
    fields = catalog_selectors.shown_fields(item, snapshot)
    body, body_marks = mark_body(snapshot.get("body") or "", findings)
    attachments: list[dict[str, Any]] = []
    for att in catalog_selectors.attachments_listed(snapshot):
        text, marks = mark_attachment_text(att.text or "", findings, att.pk)
        viewer = "image" if att.mime_type.startswith("image/") else "pdf" if att.mime_type == "application/pdf" else ""
        pages = 0
        if viewer == "pdf":
            with att.file.open("rb") as handle:
                pages = core_files.pdf_page_count(handle)
        attachments.append({
            "attachment": att, "viewer": viewer, "pages": range(1, min(pages, PDF_PAGES_SHOWN) + 1),
            "page_count": pages, "more_pages": max(0, pages - PDF_PAGES_SHOWN), "text": text, "marks": marks,
        })
    changes, body_diff = [], []
    live = item.live_revision if item.live_revision_id not in (None, revision.pk) else None
    if live is not None:
        old_fields = catalog_selectors.shown_fields(item, live.snapshot)
        changes = field_changes([(f.name, f.label, f.value) for f in old_fields],
                                [(f.name, f.label, f.value) for f in fields])
        old_body, new_body = html_to_text(live.snapshot.get("body") or ""), html_to_text(snapshot.get("body") or "")
        if old_body != new_body:
            body_diff = word_diff(old_body, new_body)
        old_atts = {a.pk: a.original_name for a in catalog_selectors.attachments_listed(live.snapshot)}
        new_atts = {a["attachment"].pk: a["attachment"].original_name for a in attachments}
        attachment_changes = {
            "added": [n for pk, n in new_atts.items() if pk not in old_atts],
            "removed": [n for pk, n in old_atts.items() if pk not in new_atts],
        }
    else:
        attachment_changes = {"added": [], "removed": []}
    policy, interpretations = catalog_selectors.item_links(item)
    return {
        "fields": fields, "body": body, "body_marks": body_marks, "attachments": attachments,
        "is_revision": live is not None, "changes": changes, "body_diff": body_diff,
        "attachment_changes": attachment_changes, "policy": policy, "interpretations": interpretations,
        "channels": catalog_selectors.channel_records(item),
    }


@login_required
def review_task(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    sub = task.submission
    obj = sub.content_object
    if obj is None:
        raise Http404
    last = review_selectors.is_last_step(task)
    form = DecisionForm(request.POST or None, initial={"version": task.lock_version, "publish_at": sub.publish_at})
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            review_services.decide(
                request.user, task, action=action, checks=form.checks(),
                comment=form.cleaned_data["comment"], signoff_reason=form.cleaned_data["signoff_reason"],
                publish_at=form.cleaned_data["publish_at"] if last and action == Decision.Action.APPROVE else None,
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("workspace:review_task", pk=task.pk)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("已%(action)s：%(title)s") % {
                "action": Decision.Action(action).label, "title": sub.title})
            return redirect("workspace:review_queue")
    findings = review_selectors.findings_of(sub)
    snapshot = sub.revision.snapshot
    approval_notes = []
    if task.status == StepTask.Status.PENDING:
        approval = behaviour_of(task.kind).approval(task, obj, sum(1 for f in findings if f.is_open))
        approval_notes = list(approval.waivable)
    refusal = review_selectors.decision_refusal(request.user, task) if task.status == StepTask.Status.PENDING else None
    context: dict[str, Any] = {
        "task": task, "submission": sub, "form": form, "snapshot": snapshot, "obj": obj,
        "is_item": isinstance(obj, Item), "findings": findings,
        "open_findings": sum(1 for f in findings if f.is_open),
        "decisions": review_selectors.decisions_of(sub), "tasks": review_selectors.tasks_of(sub),
        "override_form": OverrideForm(), "waivable": approval_notes, "is_last": last, "refusal": refusal,
        "may_override": behaviour_of(task.kind).overrides_findings,
    }
    if isinstance(obj, Item):
        context["review"] = _item_review(obj, sub.revision, findings)
    return render(request, "workspace/review_task.html", context)


@login_required
@require_POST
def finding_override(request: HttpRequest, pk: int) -> HttpResponse:
    finding = review_selectors.finding_for(request.user, pk)
    if finding is None:
        raise Http404
    form = OverrideForm(request.POST)
    task = review_selectors.current_task(finding.submission)
    back = redirect("workspace:review_task", pk=task.pk) if task else redirect("workspace:review_queue")
    if not form.is_valid():
        messages.error(request, gettext("请填写忽略理由（至少4个字）。"))
        return back
    flash_outcome(
        request, lambda: review_services.override_finding(request.user, finding, form.cleaned_data["reason"]),
        gettext("已记录忽略理由。"),
    )
    return back


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/inbox.html", {"inbox": inbox_for(request.user)})


@login_required
def personal_settings(request: HttpRequest) -> HttpResponse:
    bound = request.POST if request.method == "POST" else None  # an unticked box posts nothing
    form = MailPreferenceForm(bound, initial={"receives_mail": receives_mail(request.user)})
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["receives_mail"]
        org_services.set_receives_mail(request.user, on)
        messages.success(request, gettext("已开启邮件提醒。") if on else gettext("已关闭邮件提醒，待办仍会显示在工作台。"))
        return redirect("workspace:settings")
    return render(request, "workspace/settings.html", {"form": form})


def _staff_attachment(request: HttpRequest, pk: int) -> Any:
    att = catalog_selectors.staff_attachment(request.user, pk)
    if att is None:
        raise Http404
    return att


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment for staff, whatever its item's state: shown in the browser when it is a PDF or an image
    (?download=1 saves it), saved otherwise. Never cached by shared caches."""
    att = _staff_attachment(request, pk)
    inline = request.GET.get("download") != "1" and (
        att.mime_type == "application/pdf" or att.mime_type.startswith("image/")
    )
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=not inline, filename=att.original_name, content_type=att.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if att.mime_type.startswith("image/"):
        # An image opened on its own runs nothing (an SVG could; it is not an accepted type, but keep it so).
        # Not for PDFs: browsers refuse to show a PDF in a sandboxed document.
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@require_safe
def attachment_page(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """Page `page` of a PDF attachment as a picture, so reviewers read it in the task page without a plug-in."""
    att = _staff_attachment(request, pk)
    if att.mime_type != "application/pdf":
        raise Http404
    with att.file.open("rb") as handle:
        png = core_files.pdf_page_png(handle, page)
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
