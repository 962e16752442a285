"""Reads of the review engine: queues, states, histories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core.calendar import WorkingCalendar
from gongkai.orgs.models import Membership
from gongkai.orgs.selectors import has_role, members_with_role, visible_organisation_ids

from .models import Decision, Finding, Revision, SensitiveWord, StepTask, Submission, Workflow, WorkflowStep


def _ct(obj: Model) -> ContentType:
    return ContentType.objects.get_for_model(type(obj))


def revisions_of(obj: Model) -> QuerySet[Revision]:
    return Revision.objects.filter(content_type=_ct(obj), object_id=obj.pk).order_by("-number")


def revision_of(obj: Model, number: int) -> Revision | None:
    return revisions_of(obj).filter(number=number).first()


def latest_revision(obj: Model) -> Revision | None:
    return revisions_of(obj).first()


def submissions_of(obj: Model) -> QuerySet[Submission]:
    return Submission.objects.filter(content_type=_ct(obj), object_id=obj.pk).order_by("-submitted_at", "-id")


def open_submission(obj: Model) -> Submission | None:
    return submissions_of(obj).filter(status=Submission.Status.IN_REVIEW).first()


def current_task(submission: Submission) -> StepTask | None:
    return submission.tasks.filter(status=StepTask.Status.PENDING).first()


def open_findings(submission: Submission) -> QuerySet[Finding]:
    return submission.findings.filter(overridden_at__isnull=True)


def decisions_of(submission: Submission) -> QuerySet[Decision]:
    return Decision.objects.filter(task__submission=submission).select_related("task", "reviewer")


def steps_of(workflow: Workflow) -> QuerySet[WorkflowStep]:
    return workflow.steps.order_by("order")


@dataclass(frozen=True)
class ReviewState:
    """What stage an object is at, read from its submissions."""

    code: str  # draft | in_review | returned | approved | scheduled
    label: str
    submission: Submission | None
    task: StepTask | None


def review_state(obj: Model) -> ReviewState:
    sub = submissions_of(obj).first()
    if sub is None or sub.status == Submission.Status.CANCELLED:
        return ReviewState("draft", "草稿", sub, None)
    if sub.status == Submission.Status.IN_REVIEW:
        task = current_task(sub)
        label = f"待{task.name}" if task else "审核中"
        return ReviewState("in_review", label, sub, task)
    if sub.status == Submission.Status.RETURNED:
        return ReviewState("returned", "已退回修改", sub, None)
    if not sub.published:
        return ReviewState("scheduled", "已通过，定时发布", sub, None)
    return ReviewState("approved", "已通过", sub, None)


def decision_refusal(user: Any, task: StepTask) -> str | None:
    """Why `user` may not decide `task`, or None when they may (the one rule every path asks: workspace, API,
    batch). Holds for superusers and for roles granted in the admin alike:

    - the step's role in the submission's organisation (superusers hold every role);
    - never on a submission of one's own;
    - with the workflow's separation of duties (on by default), not after deciding another step of the same
      submission: one person decides at most one step, whatever roles they hold.
    """
    sub = task.submission
    org = sub.organisation
    if not has_role(user, org, task.role):
        return gettext("您没有“%(role)s”岗位，不能处理此环节。") % {"role": task.get_role_display()}
    if sub.submitted_by_id == user.pk:
        return gettext("不能审核自己送审的信息。")
    if separates_duties(org.pk) and (
        Decision.objects.filter(task__submission=sub, reviewer=user).exclude(task=task).exists()
    ):
        return gettext("您已审核过本次送审的另一个环节；按本机构的审核规则，同一人只能审核其中一个环节。")
    return None


def separates_duties(organisation_id: int) -> bool:
    """Whether the organisation's workflow lets one person decide at most one step of a submission (default)."""
    value = Workflow.objects.filter(organisation_id=organisation_id).values_list("separate_duties", flat=True).first()
    return True if value is None else bool(value)


def _pending(qs: QuerySet[StepTask], user: Any) -> QuerySet[StepTask]:
    """Of the pending tasks `qs`, those `user` may decide (role, not their own, duties kept apart)."""
    qs = qs.filter(status=StepTask.Status.PENDING).exclude(submission__submitted_by=user)
    if not getattr(user, "is_superuser", False):
        pairs = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        if not pairs:
            return qs.none()
        q = Q()
        for org_id, role in pairs:
            q |= Q(submission__organisation_id=org_id, role=role)
        qs = qs.filter(q)
    decided_elsewhere = Decision.objects.filter(task__submission=OuterRef("submission"), reviewer=user)
    separate = Workflow.objects.filter(organisation=OuterRef("submission__organisation"), separate_duties=False)
    return qs.exclude(Exists(decided_elsewhere) & ~Exists(separate))


def task_for(user: Any, pk: int | None) -> StepTask | None:
    """The review task `pk` if `user` may see its organisation's unpublished work; None for another office's
    task exactly as for one that does not exist, so that neither its id nor its state can be told apart."""
    if pk is None:
        return None
    qs = StepTask.objects.select_related(
        "submission", "submission__organisation", "submission__revision", "submission__submitted_by"
    )
    visible = visible_organisation_ids(user)
    if visible is not None:
        qs = qs.filter(submission__organisation_id__in=visible)
    return qs.filter(pk=pk).first()


def finding_for(user: Any, pk: int) -> Finding | None:
    """A pre-check finding, on the same terms as `task_for`."""
    qs = Finding.objects.select_related("submission", "submission__organisation")
    visible = visible_organisation_ids(user)
    if visible is not None:
        qs = qs.filter(submission__organisation_id__in=visible)
    return qs.filter(pk=pk).first()


def submission_of(decision: Decision) -> Submission:
    """The submission a decision belongs to, as it stands now (after the decision)."""
    return Submission.objects.select_related("content_type").get(pk=decision.task.submission_id)


def pending_tasks_for(user: Any) -> QuerySet[StepTask]:
    """The steps waiting for `user`, oldest first: pending tasks they may decide (see `decision_refusal`)."""
    qs = StepTask.objects.select_related("submission", "submission__organisation", "submission__submitted_by")
    return _pending(qs, user).annotate(
        open_findings=Count("submission__findings", filter=Q(submission__findings__overridden_at__isnull=True)),
    ).order_by("opened_at", "submission__submitted_at", "pk")


def deciders_of(task: StepTask) -> list[Any]:
    """The people who may decide `task` now: holders of its role in the organisation, less those
    `decision_refusal` turns away (the submitter; with separation of duties, those who decided another step)."""
    return [u for u in members_with_role(task.submission.organisation, task.role) if decision_refusal(u, task) is None]


def returned_to(user: Any) -> QuerySet[Submission]:
    """Submissions `user` sent that came back (已退回) and have not been sent again or taken back since."""
    newer = Submission.objects.filter(
        content_type=OuterRef("content_type"), object_id=OuterRef("object_id"), submitted_at__gt=OuterRef("submitted_at")
    )
    return (
        Submission.objects.filter(submitted_by=user, status=Submission.Status.RETURNED)
        .exclude(Exists(newer))
        .select_related("organisation")
        .order_by("-finished_at", "-id")
    )


def returning_decision(submission: Submission) -> Decision | None:
    return (
        Decision.objects.filter(task__submission=submission, action=Decision.Action.RETURN)
        .select_related("task", "reviewer").order_by("-at").first()
    )


def overdue_tasks(now: dt.datetime, working_days: int, calendar: WorkingCalendar) -> list[StepTask]:
    """Pending tasks open for more than `working_days` working days (逾期审核任务), oldest first."""
    today = timezone.localdate(now)
    tasks = StepTask.objects.filter(status=StepTask.Status.PENDING, opened_at__isnull=False).select_related(
        "submission", "submission__organisation", "submission__submitted_by"
    ).order_by("opened_at", "pk")
    return [t for t in tasks if calendar.count_working_days(timezone.localdate(t.opened_at), today) > working_days]


def sensitive_words_for(organisation_id: int) -> list[str]:
    return list(
        SensitiveWord.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id)).values_list(
            "word", flat=True
        )
    )


def tasks_of(submission: Submission) -> list[StepTask]:
    return list(submission.tasks.order_by("order"))


def findings_of(submission: Submission) -> list[Finding]:
    return list(submission.findings.select_related("overridden_by").order_by("id"))


def is_last_step(task: StepTask) -> bool:
    return not task.submission.tasks.filter(order__gt=task.order).exists()


def approvals_of_revisions(revision_ids: list[int]) -> dict[int, list[tuple[str, Any]]]:
    """For each revision, the approving decisions of its approved submission, in step order: (step name,
    reviewer). The item ledger's 审核人 column."""
    found: dict[int, list[tuple[str, Any]]] = {}
    decisions = (
        Decision.objects.filter(task__submission__revision_id__in=revision_ids,
                                task__submission__status=Submission.Status.APPROVED,
                                action=Decision.Action.APPROVE)
        .select_related("task", "reviewer", "task__submission").order_by("task__order", "at")
    )
    for decision in decisions:
        found.setdefault(decision.task.submission.revision_id, []).append((decision.task.name, decision.reviewer))
    return found
