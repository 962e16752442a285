"""Writes of the review engine: revisions, submission, decisions, overrides and publishing.

Every function takes the acting user, checks permission, runs in one transaction and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from gongkai.core.concurrency import ConflictError, lock_version_of, save_version
from gongkai.core.services import record_event
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import can_edit, has_role, published_contact_numbers

from . import notify
from .models import Decision, Finding, Revision, StepKind, StepTask, Submission, Workflow, WorkflowStep
from .prechecks import run_prechecks as scan
from .registry import PrecheckInput, adapter_for
from .selectors import decision_refusal, open_findings, open_submission, sensitive_words_for
from .steps import behaviour_of

CHECK_LABELS = {
    "political_ok": gettext_lazy("政治关"), "policy_ok": gettext_lazy("政策关"), "secrecy_ok": gettext_lazy("保密关"),
    "format_ok": gettext_lazy("格式关"), "wording_ok": gettext_lazy("文字关"),
}

DEFAULT_STEPS = [
    ("初审", Role.FIRST_REVIEWER, StepKind.CONTENT),
    ("保密审查", Role.SECRECY_REVIEWER, StepKind.SECRECY),
    ("签发", Role.APPROVER, StepKind.SIGNOFF),
]


def _reviewed(submission: Submission) -> Model:
    obj = submission.content_object
    if obj is None:
        raise ValidationError(gettext("送审的对象已不存在。"))
    return obj


def workflow_for(org: Organisation) -> Workflow:
    """The organisation's workflow, created with the default 初审 → 保密审查 → 签发 when it has none."""
    with transaction.atomic():
        workflow, created = Workflow.objects.get_or_create(organisation=org)
        if created:
            for order, (name, role, kind) in enumerate(DEFAULT_STEPS, start=1):
                WorkflowStep.objects.create(workflow=workflow, order=order, name=name, role=role, kind=kind)
    return workflow


def create_revision(obj: Model, snapshot: dict[str, Any], *, user: Any, note: str = "") -> Revision:
    """Record one saved state of `obj`. Callers run this inside their own transaction."""
    ct = ContentType.objects.get_for_model(type(obj))
    last = Revision.objects.filter(content_type=ct, object_id=obj.pk).aggregate(m=Max("number"))["m"] or 0
    return Revision.objects.create(
        content_type=ct, object_id=obj.pk, number=last + 1, snapshot=snapshot, created_by=user, note=note[:200]
    )


def submit(
    user: Any,
    obj: Model,
    revision: Revision,
    *,
    organisation: Organisation,
    title: str,
    precheck: PrecheckInput,
    publish_at: dt.datetime | None = None,
    permission_checked: bool = False,
) -> Submission:
    """Send `revision` of `obj` into `organisation`'s workflow. The domain service says what it is about (its
    organisation, its title, the text to pre-check); the pre-checks run now, and the first step's deciders are
    mailed once the submission is stored.

    `permission_checked`: the domain service has checked who may send it (信息报送: another organisation's
    editor sends an item into the receiving organisation's workflow)."""
    adapter_for(obj)  # refuses a model nobody registered
    if not permission_checked and not can_edit(user, organisation):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以送审。"))
    if revision.object_id != obj.pk:
        raise ValidationError(gettext("版本不属于该信息。"))
    if publish_at is not None and publish_at <= timezone.now():
        raise ValidationError({"publish_at": gettext("定时发布时间必须晚于当前时间。")})
    workflow = workflow_for(organisation)
    steps = list(workflow.steps.order_by("order"))
    if not steps:
        raise ValidationError(gettext("本机构的审核流程没有任何步骤，请管理员先配置。"))
    with transaction.atomic():
        if open_submission(obj) is not None:
            raise ConflictError(gettext("该信息已在审核中，请勿重复送审。"))
        now = timezone.now()
        sub = Submission.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            revision=revision,
            organisation=organisation,
            title=title[:300],
            submitted_by=user,
            publish_at=publish_at,
        )
        tasks = [
            StepTask.objects.create(
                submission=sub,
                step=step,
                order=step.order,
                name=step.name,
                role=step.role,
                kind=step.kind,
                status=StepTask.Status.PENDING if i == 0 else StepTask.Status.WAITING,
                opened_at=now if i == 0 else None,
            )
            for i, step in enumerate(steps)
        ]
        run_prechecks(sub, precheck)
        record_event(
            actor=user, action="review.submitted", obj=obj, organisation_id=organisation.pk,
            summary=gettext("送审：%(title)s") % {"title": sub.title},
            data={"revision": revision.number, "submission": sub.pk},
        )
        notify.step_opened(tasks[0])
    return sub


def run_prechecks(submission: Submission, precheck: PrecheckInput) -> list[Finding]:
    """Scan what was submitted and store the findings (replacing earlier ones not yet overridden)."""
    results = scan(
        title=precheck.title,
        summary=precheck.summary,
        body_html=precheck.body_html,
        attachments=precheck.attachments,
        sensitive_words=sensitive_words_for(submission.organisation_id),
        link_checker=precheck.link_checker,
        published_numbers=published_contact_numbers(submission.organisation),
    )
    submission.findings.filter(overridden_at__isnull=True).delete()
    return [
        Finding.objects.create(
            submission=submission,
            kind=r.kind,
            code=r.code,
            message=r.message[:300],
            excerpt=r.excerpt[:300],
            location=r.location[:50],
            area=r.area,
            start=r.start,
            end=r.end,
            attachment_ref=r.attachment_ref,
            attachment_name=r.attachment_name[:200],
            place=r.place[:100],
        )
        for r in results
    ]


def override_finding(user: Any, finding: Finding, reason: str) -> Finding:
    """A reviewer of a step that may override findings (保密审查), or an administrator, accepts a finding with a
    written reason, so it no longer blocks that step."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": gettext("请填写忽略该预检发现的理由（至少4个字）。")})
    org = finding.submission.organisation
    overriding_roles = {
        task.role for task in finding.submission.tasks.all() if behaviour_of(task.kind).overrides_findings
    }
    if not (any(has_role(user, org, role) for role in overriding_roles) or has_role(user, org, Role.ADMIN)):
        raise PermissionDenied(gettext("只有保密审查人员或管理员可以忽略预检发现。"))
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.overridden_at is not None:
            raise ConflictError(gettext("该预检发现已被处理。"))
        locked.overridden_by = user
        locked.overridden_at = timezone.now()
        locked.override_reason = reason
        locked.save(update_fields=["overridden_by", "overridden_at", "override_reason"])
        record_event(
            actor=user, action="review.finding_overridden", obj=locked.submission.content_object,
            organisation_id=org.pk, summary=gettext("忽略预检发现：%(message)s") % {"message": locked.message},
            data={"finding": locked.pk},
        )
    return locked


def decide(
    user: Any,
    task: StepTask,
    *,
    action: str,
    checks: dict[str, bool],
    comment: str = "",
    signoff_reason: str = "",
    publish_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Approve or return one step. Approval asserts all five checks; a return needs a comment.

    What else approving needs is the step kind's (review.steps). Who may decide is `decision_refusal`'s: the
    step's role, never the submitter, and (the workflow's separation of duties, on by default) nobody who
    decided another step of the same submission. The last step may set when the approved revision goes public
    (`publish_at`; None keeps what was asked on submission, else now). `expected_version` is the task's
    `lock_version` the reviewer saw: if someone decided or changed it meanwhile, ConflictError, nothing stored.
    """
    comment = (comment or "").strip()
    signoff_reason = (signoff_reason or "").strip()
    if action not in Decision.Action.values:
        raise ValidationError({"action": gettext("未知的审核结论。")})
    with transaction.atomic():
        lock_version_of(
            task, expected_version, queryset=StepTask.objects.select_related("submission", "submission__organisation"),
            message=gettext("该审核环节已由他人处理，您的审核意见未保存。请刷新页面查看最新结果。"),
        )
        sub = task.submission
        org = sub.organisation
        if task.status != StepTask.Status.PENDING or sub.status != Submission.Status.IN_REVIEW:
            raise ConflictError(gettext("该审核环节已被他人处理或已撤回，请刷新页面。"))
        refusal = decision_refusal(user, task)
        if refusal is not None:
            raise PermissionDenied(refusal)
        flags = {f: bool(checks.get(f)) for f in Decision.CHECK_FIELDS}
        obj = _reviewed(sub)
        following = sub.tasks.filter(status=StepTask.Status.WAITING).order_by("order").first()
        if publish_at is not None:
            if action != Decision.Action.APPROVE or following is not None:
                raise ValidationError({"publish_at": gettext("只有最后一个审核环节通过时可以设定发布时间。")})
            if publish_at <= timezone.now():
                raise ValidationError({"publish_at": gettext("定时发布时间必须晚于当前时间。")})
        if action == Decision.Action.APPROVE:
            missing = [str(CHECK_LABELS[f]) for f in Decision.CHECK_FIELDS if not flags[f]]
            if missing:
                raise ValidationError({"checks": gettext("通过前须确认五关：%(missing)s 未勾选。")
                                       % {"missing": "、".join(missing)}})
            approval = behaviour_of(task.kind).approval(task, obj, open_findings(sub).count())
            if approval.blocking:
                raise ValidationError("；".join(approval.blocking))
            if approval.waivable:
                if len(signoff_reason) < 4:
                    raise ValidationError({"signoff_reason": "；".join(approval.waivable)
                                           + gettext("。如仍要签发，请填写理由。")})
                comment = (comment + "\n" if comment else "") + gettext("签发说明：") + signoff_reason
        elif not comment:
            raise ValidationError({"comment": gettext("退回时请填写修改意见。")})
        decision = Decision.objects.create(task=task, reviewer=user, action=action, comment=comment, **flags)
        now = timezone.now()
        task.decided_at = now
        if action == Decision.Action.RETURN:
            task.status = StepTask.Status.RETURNED
            save_version(task, "status", "decided_at")
            sub.tasks.filter(status=StepTask.Status.WAITING).update(status=StepTask.Status.CANCELLED)
            sub.status = Submission.Status.RETURNED
            sub.finished_at = now
            sub.save(update_fields=["status", "finished_at"])
            record_event(
                actor=user, action="review.returned", obj=obj, organisation_id=org.pk,
                summary=gettext("%(step)s退回：%(title)s") % {"step": task.name, "title": sub.title},
                data={"submission": sub.pk, "step": task.name},
            )
            notify.returned(task, comment)
            return decision
        task.status = StepTask.Status.APPROVED
        save_version(task, "status", "decided_at")
        record_event(
            actor=user, action="review.approved_step", obj=obj, organisation_id=org.pk,
            summary=gettext("%(step)s通过：%(title)s") % {"step": task.name, "title": sub.title},
            data={"submission": sub.pk, "step": task.name},
        )
        if following is not None:
            following.status = StepTask.Status.PENDING
            following.opened_at = now
            save_version(following, "status", "opened_at")
            notify.step_opened(following)
            return decision
        sub.status = Submission.Status.APPROVED
        sub.finished_at = now
        fields = ["status", "finished_at"]
        if publish_at is not None:
            sub.publish_at = publish_at
            fields.append("publish_at")
        sub.save(update_fields=fields)
        _publish(sub, actor=user)
    return decision


@dataclass(frozen=True)
class BatchOutcome:
    """One task of a batch decision: decided, or why not (nothing of it stored then)."""

    task_id: int
    title: str
    decision: Decision | None = None
    refusal: str = ""


def approve_many(user: Any, task_ids: Iterable[int], *, comment: str = "") -> list[BatchOutcome]:
    """批量通过: approve several pending tasks with the five checks passed, each in its own transaction and
    recorded as its own decision. A task with open pre-check findings, or that needs a written reason or its own
    publication time, is left for its own page; one refusal does not undo the others."""
    outcomes: list[BatchOutcome] = []
    all_passed = dict.fromkeys(Decision.CHECK_FIELDS, True)
    for task in StepTask.objects.filter(pk__in=list(task_ids)).select_related("submission").order_by(
        "submission__submitted_at", "pk"
    ):
        title = task.submission.title
        if open_findings(task.submission).exists():
            outcomes.append(BatchOutcome(task.pk, title, refusal=gettext("有未处理的预检发现，请逐条处理后单独审核。")))
            continue
        try:
            decision = decide(user, task, action=Decision.Action.APPROVE, checks=all_passed, comment=comment)
        except ValidationError as exc:
            outcomes.append(BatchOutcome(task.pk, title, refusal="；".join(exc.messages)))
        except PermissionDenied as exc:
            outcomes.append(BatchOutcome(task.pk, title, refusal=str(exc)))
        else:
            outcomes.append(BatchOutcome(task.pk, title, decision=decision))
    return outcomes


def _publish(sub: Submission, *, actor: Any, now: dt.datetime | None = None) -> None:
    """Apply an approved submission: the object's public version becomes the approved revision.

    A first publication with a future time goes live by itself at that time (the portal filters on it);
    a later change of something already public is applied by `publish_due` when its time comes. The adapter's
    `publish` advances the public generation, once, in this transaction.
    """
    obj = _reviewed(sub)
    adapter = adapter_for(obj)
    now = now or timezone.now()
    go_live = sub.publish_at or now
    if sub.publish_at and sub.publish_at > now and getattr(obj, "is_live", False):
        return  # applied later by publish_due(), so the public page does not change before its time
    adapter.publish(obj, sub.revision, actor, go_live)
    sub.published = True
    sub.save(update_fields=["published"])
    record_event(
        actor=actor, action="review.published", obj=obj, organisation_id=sub.organisation_id,
        summary=gettext("发布：%(title)s") % {"title": sub.title},
        data={"submission": sub.pk, "go_live_at": go_live.isoformat()},
    )


def publish_due(now: dt.datetime | None = None) -> int:
    """Apply approved submissions whose scheduled time has come (run by the worker)."""
    now = now or timezone.now()
    count = 0
    for sub_id in Submission.objects.filter(
        status=Submission.Status.APPROVED, published=False, publish_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            sub = Submission.objects.select_for_update().get(pk=sub_id)
            if sub.published:
                continue
            _publish(sub, actor=None, now=now)
            count += 1
    return count


def cancel(user: Any, submission: Submission, *, permission_checked: bool = False) -> Submission:
    """The editor takes a submission back out of review (撤回送审). `permission_checked`: the domain service has
    checked who may (信息报送: the source is withdrawn by its own organisation's editor)."""
    org = submission.organisation
    if not permission_checked and not can_edit(user, org):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以撤回送审。"))
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        if sub.status != Submission.Status.IN_REVIEW:
            raise ConflictError(gettext("只有审核中的送审可以撤回。"))
        sub.status = Submission.Status.CANCELLED
        sub.finished_at = timezone.now()
        sub.save(update_fields=["status", "finished_at"])
        sub.tasks.filter(status__in=[StepTask.Status.PENDING, StepTask.Status.WAITING]).update(
            status=StepTask.Status.CANCELLED
        )
        record_event(
            actor=user, action="review.cancelled", obj=sub.content_object, organisation_id=org.pk,
            summary=gettext("撤回送审：%(title)s") % {"title": sub.title}, data={"submission": sub.pk},
        )
    return sub
