"""Reads of the review engine: queues, states, histories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from gongkai.orgs.models import Membership
from gongkai.orgs.selectors import visible_organisation_ids

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


def task_for(user: Any, pk: int | None) -> StepTask | None:
    """The review task `pk` if `user` may see its organisation's unpublished work; None for another office's
    task exactly as for one that does not exist, so that neither its id nor its state can be told apart."""
    if pk is None:
        return None
    qs = StepTask.objects.select_related("submission", "submission__organisation", "submission__revision")
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
    """The steps waiting for `user`: pending tasks whose role the user holds in the submission's organisation."""
    qs = StepTask.objects.filter(status=StepTask.Status.PENDING).select_related("submission", "submission__organisation")
    if getattr(user, "is_superuser", False):
        return qs.order_by("submission__submitted_at")
    pairs = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    if not pairs:
        return qs.none()
    q = Q()
    for org_id, role in pairs:
        q |= Q(submission__organisation_id=org_id, role=role)
    return qs.filter(q).order_by("submission__submitted_at")


def sensitive_words_for(organisation_id: int) -> list[str]:
    return list(
        SensitiveWord.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id)).values_list(
            "word", flat=True
        )
    )


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
