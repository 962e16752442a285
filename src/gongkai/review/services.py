"""Writes of the review engine: revisions, submission, decisions, overrides and publishing.

Every function takes the acting user, checks permission, runs in one transaction and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from gongkai.core.concurrency import ConflictError
from gongkai.core.services import public_content_changed, record_event
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import can_edit, has_role

from .models import Decision, Finding, Revision, StepKind, StepTask, Submission, Workflow, WorkflowStep
from .prechecks import run_prechecks as scan
from .registry import adapter_for
from .selectors import open_findings, open_submission, sensitive_words_for

CHECK_LABELS = {
    "political_ok": "政治关", "policy_ok": "政策关", "secrecy_ok": "保密关", "format_ok": "格式关", "wording_ok": "文字关",
}

DEFAULT_STEPS = [
    ("初审", Role.FIRST_REVIEWER, StepKind.CONTENT),
    ("保密审查", Role.SECRECY_REVIEWER, StepKind.SECRECY),
    ("签发", Role.APPROVER, StepKind.SIGNOFF),
]


def _reviewed(submission: Submission) -> Model:
    obj = submission.content_object
    if obj is None:
        raise ValidationError("送审的对象已不存在。")
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
    user: Any, obj: Model, revision: Revision, *, publish_at: dt.datetime | None = None, permission_checked: bool = False
) -> Submission:
    """Send `revision` of `obj` into its organisation's workflow; the pre-checks run now.

    `permission_checked`: the domain service has checked who may send it (信息报送: another organisation's
    editor sends an item into the receiving organisation's workflow)."""
    adapter = adapter_for(obj)
    org = adapter.organisation(obj)
    if not permission_checked and not can_edit(user, org):
        raise PermissionDenied("只有本机构的信息员或管理员可以送审。")
    if revision.object_id != obj.pk:
        raise ValidationError("版本不属于该信息。")
    if publish_at is not None and publish_at <= timezone.now():
        raise ValidationError({"publish_at": "定时发布时间必须晚于当前时间。"})
    workflow = workflow_for(org)
    steps = list(workflow.steps.order_by("order"))
    if not steps:
        raise ValidationError("本机构的审核流程没有任何步骤，请管理员先配置。")
    with transaction.atomic():
        if open_submission(obj) is not None:
            raise ConflictError("该信息已在审核中，请勿重复送审。")
        sub = Submission.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            revision=revision,
            organisation=org,
            title=adapter.title(obj)[:300],
            submitted_by=user,
            publish_at=publish_at,
        )
        for i, step in enumerate(steps):
            StepTask.objects.create(
                submission=sub,
                step=step,
                order=step.order,
                name=step.name,
                role=step.role,
                kind=step.kind,
                status=StepTask.Status.PENDING if i == 0 else StepTask.Status.WAITING,
            )
        run_prechecks(sub)
        record_event(
            actor=user, action="review.submitted", obj=obj, organisation_id=org.pk,
            summary=f"送审：{sub.title}", data={"revision": revision.number, "submission": sub.pk},
        )
    return sub


def run_prechecks(submission: Submission) -> list[Finding]:
    """Scan the submitted revision and store the findings (replacing earlier ones not yet overridden)."""
    obj = _reviewed(submission)
    adapter = adapter_for(obj)
    data = adapter.precheck_input(obj, submission.revision)
    results = scan(
        title=data.title,
        body_html=data.body_html,
        attachments_text=data.attachments_text,
        sensitive_words=sensitive_words_for(submission.organisation_id),
        link_checker=adapter.link_checker,
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
        )
        for r in results
    ]


def override_finding(user: Any, finding: Finding, reason: str) -> Finding:
    """A secrecy reviewer accepts a finding with a written reason, so it no longer blocks the secrecy step."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写忽略该预检发现的理由（至少4个字）。"})
    org = finding.submission.organisation
    if not (has_role(user, org, Role.SECRECY_REVIEWER) or has_role(user, org, Role.ADMIN)):
        raise PermissionDenied("只有保密审查人员或管理员可以忽略预检发现。")
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.overridden_at is not None:
            raise ConflictError("该预检发现已被处理。")
        locked.overridden_by = user
        locked.overridden_at = timezone.now()
        locked.override_reason = reason
        locked.save(update_fields=["overridden_by", "overridden_at", "override_reason"])
        record_event(
            actor=user, action="review.finding_overridden", obj=locked.submission.content_object,
            organisation_id=org.pk, summary=f"忽略预检发现：{locked.message}", data={"finding": locked.pk},
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
) -> Decision:
    """Approve or return one step. Approval asserts all five checks; a return needs a comment."""
    comment = (comment or "").strip()
    signoff_reason = (signoff_reason or "").strip()
    if action not in Decision.Action.values:
        raise ValidationError({"action": "未知的审核结论。"})
    with transaction.atomic():
        task = StepTask.objects.select_for_update().select_related("submission").get(pk=task.pk)
        sub = task.submission
        org = sub.organisation
        if task.status != StepTask.Status.PENDING or sub.status != Submission.Status.IN_REVIEW:
            raise ConflictError("该审核环节已被他人处理或已撤回，请刷新页面。")
        if not has_role(user, org, task.role):
            raise PermissionDenied(f"您没有“{task.get_role_display()}”岗位，不能处理此环节。")
        if sub.submitted_by_id == user.pk and not user.is_superuser:
            raise PermissionDenied("不能审核自己送审的信息。")
        flags = {f: bool(checks.get(f)) for f in Decision.CHECK_FIELDS}
        obj = _reviewed(sub)
        adapter = adapter_for(obj)
        if action == Decision.Action.APPROVE:
            missing = [CHECK_LABELS[f] for f in Decision.CHECK_FIELDS if not flags[f]]
            if missing:
                raise ValidationError({"checks": "通过前须确认五关：" + "、".join(missing) + " 未勾选。"})
            if task.kind == StepKind.SECRECY and open_findings(sub).exists():
                raise ValidationError("存在未处理的预检发现，须修改内容或书面说明理由后方可通过保密审查。")
            if task.kind == StepKind.SIGNOFF:
                problems = adapter.signoff_problems(obj, sub.revision)
                if problems and len(signoff_reason) < 4:
                    raise ValidationError({"signoff_reason": "；".join(problems) + "。如仍要签发，请填写理由。"})
                if problems:
                    comment = (comment + "\n" if comment else "") + "签发说明：" + signoff_reason
        elif not comment:
            raise ValidationError({"comment": "退回时请填写修改意见。"})
        decision = Decision.objects.create(task=task, reviewer=user, action=action, comment=comment, **flags)
        now = timezone.now()
        task.decided_at = now
        if action == Decision.Action.RETURN:
            task.status = StepTask.Status.RETURNED
            task.save(update_fields=["status", "decided_at"])
            sub.tasks.filter(status=StepTask.Status.WAITING).update(status=StepTask.Status.CANCELLED)
            sub.status = Submission.Status.RETURNED
            sub.finished_at = now
            sub.save(update_fields=["status", "finished_at"])
            record_event(
                actor=user, action="review.returned", obj=obj, organisation_id=org.pk,
                summary=f"{task.name}退回：{sub.title}", data={"submission": sub.pk, "step": task.name},
            )
            return decision
        task.status = StepTask.Status.APPROVED
        task.save(update_fields=["status", "decided_at"])
        record_event(
            actor=user, action="review.approved_step", obj=obj, organisation_id=org.pk,
            summary=f"{task.name}通过：{sub.title}", data={"submission": sub.pk, "step": task.name},
        )
        following = sub.tasks.filter(status=StepTask.Status.WAITING).order_by("order").first()
        if following is not None:
            following.status = StepTask.Status.PENDING
            following.save(update_fields=["status"])
            return decision
        sub.status = Submission.Status.APPROVED
        sub.finished_at = now
        sub.save(update_fields=["status", "finished_at"])
        _publish(sub, actor=user)
    return decision


def _publish(sub: Submission, *, actor: Any, now: dt.datetime | None = None) -> None:
    """Apply an approved submission: the object's public version becomes the approved revision.

    A first publication with a future time goes live by itself at that time (the portal filters on it);
    a later change of something already public is applied by `publish_due` when its time comes.
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
    public_content_changed()  # same transaction: cached public pages are obsolete from its commit
    record_event(
        actor=actor, action="review.published", obj=obj, organisation_id=sub.organisation_id,
        summary=f"发布：{sub.title}", data={"submission": sub.pk, "go_live_at": go_live.isoformat()},
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
        raise PermissionDenied("只有本机构的信息员或管理员可以撤回送审。")
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        if sub.status != Submission.Status.IN_REVIEW:
            raise ConflictError("只有审核中的送审可以撤回。")
        sub.status = Submission.Status.CANCELLED
        sub.finished_at = timezone.now()
        sub.save(update_fields=["status", "finished_at"])
        sub.tasks.filter(status__in=[StepTask.Status.PENDING, StepTask.Status.WAITING]).update(
            status=StepTask.Status.CANCELLED
        )
        record_event(
            actor=user, action="review.cancelled", obj=sub.content_object, organisation_id=org.pk,
            summary=f"撤回送审：{sub.title}", data={"submission": sub.pk},
        )
    return sub
