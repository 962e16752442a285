"""Staff pages of 政民互动: the mailbox inbox and letters, consultations, comments and feedback reports.

Thin views over `gongkai.interaction` services and selectors: parse, call one, render or redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gongkai.core.forms import add_service_errors, run_form_action
from gongkai.core.personal_data import mask_name, mask_value
from gongkai.interaction import selectors as sel
from gongkai.interaction import services
from gongkai.interaction.forms import (
    AssignForm,
    ConsentForm,
    ConsultationForm,
    FeedbackEntryForm,
    FeedbackForm,
    LockedForm,
    MergeForm,
    ModerateForm,
    PublishForm,
    ReasonForm,
    ReplyForm,
    SettingsForm,
)
from gongkai.interaction.models import Consultation, Letter
from gongkai.orgs.selectors import can_administer, can_edit, editable_organisations, staff_organisations
from gongkai.review import selectors as review_selectors
from gongkai.workspace.acting import organisation_filter


def _letter(request: HttpRequest, pk: int) -> Letter:
    letter = sel.staff_letter(request.user, pk)
    if letter is None:
        raise Http404
    return letter


def _consultation(request: HttpRequest, pk: int) -> Consultation:
    c = sel.staff_consultation(request.user, pk)
    if c is None:
        raise Http404
    return c


# ---- mailbox -----------------------------------------------------------------------------------------------

@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """来信办理: open letters by urgency, overdue ones flagged."""
    state = request.GET.get("state", "open")
    if state not in dict(sel.INBOX_FILTERS):
        state = "open"
    org = organisation_filter(request)
    page = Paginator(sel.inbox(request.user, state=state, org=org), 30).get_page(request.GET.get("page"))
    return render(request, "workspace/interaction/inbox.html", {
        "page": page, "state": state, "filters": sel.INBOX_FILTERS, "org": org, "today": timezone.localdate(),
        "organisations": staff_organisations(request.user), "overdue": sel.overdue_count(request.user),
    })


def _letter_context(request: HttpRequest, letter: Letter, **forms: Any) -> dict[str, Any]:
    reply = sel.current_reply(letter)
    submission = review_selectors.submissions_of(reply).first() if reply else None
    reveal = request.GET.get("reveal") == "1"
    lock = {"lock_version": letter.lock_version}
    ctx: dict[str, Any] = {
        "letter": letter,
        "today": timezone.localdate(),
        "can_edit": can_edit(request.user, letter.organisation),
        "reveal": reveal,
        "writer_name": letter.writer_name if reveal else mask_name(letter.writer_name),
        "writer_email": letter.writer_email if reveal else (mask_value(letter.writer_email, 1, 0) if letter.writer_email else ""),
        "writer_phone": letter.writer_phone if reveal else (mask_value(letter.writer_phone, 3, 2) if letter.writer_phone else ""),
        "reply": reply,
        "submission": submission,
        "review_state": review_selectors.review_state(reply) if reply else None,
        "current_task": review_selectors.current_task(submission) if submission else None,
        "replies": sel.replies_of(letter),
        "duplicates": letter.duplicates.all(),
        "assign_form": AssignForm(initial={**lock, "assignee": letter.assigned_to_id}, users=sel.staff_users_of(letter.organisation)),
        "reply_form": ReplyForm(initial={"body": reply.body if reply else "", "lock_version": reply.lock_version if reply else None}),
        "publish_form": PublishForm(initial={**lock, **services.suggested_public_version(letter)}),
        "consent_form": ConsentForm(initial=lock),
        "merge_form": MergeForm(initial=lock),
        "close_form": ReasonForm(initial=lock),
        "unpublish_form": ReasonForm(initial=lock),
    }
    ctx.update(forms)
    return ctx


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    if request.GET.get("reveal") == "1":
        services.reveal_contact(request.user, letter)
    return render(request, "workspace/interaction/letter_detail.html", _letter_context(request, letter))


def _letter_action(
    request: HttpRequest, pk: int, form_class: Any, form_name: str, action: Callable[[Letter, dict[str, Any]], Any],
    success: str, **form_kwargs: Any,
) -> HttpResponse:
    letter = _letter(request, pk)
    form = form_class(request.POST, **form_kwargs)
    if run_form_action(form, lambda data: action(letter, data)):
        messages.success(request, success)
        return redirect("ws_interaction:letter", pk=letter.pk)
    letter.refresh_from_db()
    ctx = _letter_context(request, letter, **{form_name: form, "failed_form": form})
    return render(request, "workspace/interaction/letter_detail.html", ctx, status=400)


@login_required
@require_POST
def letter_assign(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    return _letter_action(
        request, pk, AssignForm, "assign_form",
        lambda lt, d: services.assign_letter(request.user, lt, d["assignee"], expected_version=d["lock_version"]),
        gettext("已分办。"), users=sel.staff_users_of(letter.organisation),
    )


@login_required
@require_POST
def letter_reply(request: HttpRequest, pk: int) -> HttpResponse:
    def act(letter: Letter, d: dict[str, Any]) -> None:
        reply = services.save_reply(request.user, letter, d["body"], expected_version=d["lock_version"])
        if request.POST.get("submit") == "1":
            services.submit_reply(request.user, reply)

    sent = request.POST.get("submit") == "1"
    return _letter_action(request, pk, ReplyForm, "reply_form", act, gettext("答复已保存并送审。") if sent else gettext("答复草稿已保存。"))


@login_required
@require_POST
def letter_consent(request: HttpRequest, pk: int) -> HttpResponse:
    return _letter_action(
        request, pk, ConsentForm, "consent_form",
        lambda lt, d: services.record_consent(request.user, lt, d["consent_note"], expected_version=d["lock_version"]),
        gettext("已记录来信人同意选登。"),
    )


@login_required
@require_POST
def letter_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _letter_action(
        request, pk, PublishForm, "publish_form",
        lambda lt, d: services.publish_letter(
            request.user, lt, public_subject=d["public_subject"], public_question=d["public_question"],
            public_answer=d["public_answer"], expected_version=d["lock_version"],
        ),
        gettext("已选登，来信及答复已在门户网站公开。"),
    )


@login_required
@require_POST
def letter_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _letter_action(
        request, pk, ReasonForm, "unpublish_form",
        lambda lt, d: services.unpublish_letter(request.user, lt, d["reason"], expected_version=d["lock_version"]),
        gettext("已从门户网站撤下。"),
    )


@login_required
@require_POST
def letter_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def act(letter: Letter, d: dict[str, Any]) -> None:
        into = sel.letter_by_tracking_number(letter.organisation, d["into"])
        if into is None:
            raise ValidationError({"into": gettext("本机构没有该查询编号的来信。")})
        services.merge_letter(request.user, letter, into, d["reason"], expected_version=d["lock_version"])

    return _letter_action(request, pk, MergeForm, "merge_form", act, gettext("已合并为重复来信。"))


@login_required
@require_POST
def letter_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _letter_action(
        request, pk, ReasonForm, "close_form",
        lambda lt, d: services.close_letter(request.user, lt, d["reason"], expected_version=d["lock_version"]),
        gettext("来信已关闭。"),
    )


@login_required
def mailbox_settings(request: HttpRequest) -> HttpResponse:
    """局长信箱设置: the reply limit of each organisation the user administers."""
    orgs = [o for o in staff_organisations(request.user) if can_administer(request.user, o)]
    if not orgs:
        raise PermissionDenied(gettext("只有机构管理员可以设置局长信箱。"))
    org = next((o for o in orgs if o.code == (request.POST.get("org") or request.GET.get("org"))), orgs[0])
    current = sel.mailbox_settings(org)
    form = SettingsForm(request.POST or None, initial={
        "reply_days": current.reply_days, "reminder_days": current.reminder_days, "accepts_letters": current.accepts_letters,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mailbox_settings(request.user, org, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                add_service_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("%(name)s的局长信箱设置已保存。") % {"name": org.name})
            return redirect(f"{request.path}?org={org.code}")
    return render(request, "workspace/interaction/settings.html", {"form": form, "org": org, "orgs": orgs})


# ---- consultations -----------------------------------------------------------------------------------------



@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/interaction/consultation_list.html", {
        "consultations": sel.staff_consultations(request.user), "today": timezone.localdate(),
        "can_create": bool(editable_organisations(request.user)),
    })


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    orgs = editable_organisations(request.user)
    if not orgs:
        raise PermissionDenied(gettext("您没有任何机构的信息员岗位。"))
    org = next((o for o in orgs if o.code == (request.POST.get("org") or request.GET.get("org"))), orgs[0])
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create_consultation(request.user, org, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("意见征集草稿已保存。"))
            return redirect("ws_interaction:consultation", pk=c.pk)
    return render(request, "workspace/interaction/consultation_form.html", {"form": form, "org": org, "orgs": orgs})


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    fields = {f: getattr(c, f) for f in services.CONSULTATION_FIELDS}
    form = ConsultationForm(request.POST or None, initial={**fields, "lock_version": c.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_consultation(request.user, c, form.cleaned_data, expected_version=form.cleaned_data["lock_version"] or 0)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("意见征集已保存。"))
            return redirect("ws_interaction:consultation", pk=c.pk)
    return render(request, "workspace/interaction/consultation_form.html", {"form": form, "org": c.organisation, "c": c})


def _consultation_context(request: HttpRequest, c: Consultation, **forms: Any) -> dict[str, Any]:
    report = sel.feedback_report(c)
    ctx: dict[str, Any] = {
        "c": c,
        "phase": c.phase(),
        "can_edit": can_edit(request.user, c.organisation),
        "comments": sel.comments_for_moderation(c),
        "report": report,
        "moderate_form": ModerateForm(),
        "feedback_form": FeedbackForm(
            initial={"summary": report.summary if report else "", "final_item": report.final_item_id if report else None,
                     "lock_version": report.lock_version if report else 0},
            items=sel.policy_items_for_feedback(c.organisation),
        ),
        "entry_form": FeedbackEntryForm(),
    }
    ctx.update(forms)
    return ctx


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    return render(request, "workspace/interaction/consultation_detail.html", _consultation_context(request, c))


def _consultation_action(
    request: HttpRequest, c: Consultation, form: Any, form_name: str, action: Callable[[dict[str, Any]], Any], success: str,
) -> HttpResponse:
    if run_form_action(form, action):
        messages.success(request, success)
        return redirect("ws_interaction:consultation", pk=c.pk)
    c.refresh_from_db()
    ctx = _consultation_context(request, c, **{form_name: form, "failed_form": form})
    return render(request, "workspace/interaction/consultation_detail.html", ctx, status=400)


@login_required
@require_POST
def consultation_open(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    return _consultation_action(
        request, c, LockedForm(request.POST), "lock_form",
        lambda d: services.open_consultation(request.user, c, expected_version=d["lock_version"]), gettext("意见征集已发布。"),
    )


@login_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    return _consultation_action(
        request, c, LockedForm(request.POST), "lock_form",
        lambda d: services.close_consultation(request.user, c, expected_version=d["lock_version"]), gettext("意见征集已结束。"),
    )


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    comment = sel.comment_of(c, comment_pk)
    if comment is None:
        raise Http404
    return _consultation_action(
        request, c, ModerateForm(request.POST), "moderate_form",
        lambda d: services.moderate_comment(request.user, comment, d["status"], d["reason"]), gettext("意见审核结果已保存。"),
    )


@login_required
@require_POST
def feedback_save(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    form = FeedbackForm(request.POST, items=sel.policy_items_for_feedback(c.organisation))

    def act(d: dict[str, Any]) -> None:
        report = services.save_feedback(
            request.user, c, summary=d["summary"], final_item_id=d["final_item"], expected_version=d["lock_version"]
        )
        if request.POST.get("publish") == "1":
            services.publish_feedback(request.user, c, expected_version=report.lock_version)

    return _consultation_action(
        request, c, form, "feedback_form", act,
        gettext("采纳情况反馈已发布。") if request.POST.get("publish") == "1" else gettext("采纳情况反馈已保存。"),
    )


@login_required
@require_POST
def feedback_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    return _consultation_action(
        request, c, FeedbackEntryForm(request.POST), "entry_form",
        lambda d: services.add_feedback_entry(request.user, c, **d), gettext("反馈条目已添加。"),
    )


@login_required
@require_POST
def feedback_entry_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    entry = sel.feedback_entry_of(c, entry_pk)
    if entry is None:
        raise Http404
    try:
        services.remove_feedback_entry(request.user, entry)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, gettext("反馈条目已删除。"))
    return redirect("ws_interaction:consultation", pk=c.pk)
