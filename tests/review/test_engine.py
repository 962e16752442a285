"""The review engine's decisions, tested on the engine itself: a stand-in reviewable (an Organisation row under
a test adapter) goes through submit, decide, batch approval and publication, without the catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core.concurrency import ConflictError
from gongkai.core.models import OutgoingMail
from gongkai.core.services import public_generation
from gongkai.orgs.models import Membership, Organisation, Role, StaffPreference
from gongkai.review import notify, registry, selectors, services
from gongkai.review.models import Decision, StepTask, Submission, Workflow
from gongkai.review.registry import PrecheckInput, ReviewableAdapter

ALL = dict.fromkeys(Decision.CHECK_FIELDS, True)


@dataclass
class Published:
    calls: list[tuple[int, dt.datetime]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def published() -> Iterator[Published]:
    """Registers Organisation as a reviewable whose publish callback records what it was asked."""
    seen = Published()

    def publish(obj: Any, revision: Any, actor: Any, go_live_at: dt.datetime) -> None:
        from gongkai.core.services import public_content_changed

        seen.calls.append((obj.pk, go_live_at))
        public_content_changed()

    registry.register(Organisation, ReviewableAdapter(publish=publish, signoff_problems=lambda o, r: seen.problems))
    yield seen
    registry._adapters.pop(Organisation, None)


@dataclass
class Office:
    org: Organisation
    editor: Any
    first: Any
    secrecy: Any
    approver: Any
    allrounder: Any


@pytest.fixture
def office(db: None) -> Office:
    org = Organisation.objects.create(name="测试局", code="csj", index_code="TEST")
    User = get_user_model()

    def person(name: str, *roles: str) -> Any:
        user = User.objects.create_user(username=name, email=f"{name}@example.test", password="x")
        for role in roles:
            Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return Office(
        org=org,
        editor=person("editor", Role.EDITOR),
        first=person("first", Role.FIRST_REVIEWER),
        secrecy=person("secrecy", Role.SECRECY_REVIEWER),
        approver=person("approver", Role.APPROVER),
        allrounder=person("all", Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER),
    )


def submit(office: Office, body: str = "<p>普通通知。</p>", **kwargs: Any) -> Submission:
    target = office.org
    revision = services.create_revision(target, {"body": body}, user=office.editor)
    return services.submit(
        office.editor, target, revision, organisation=office.org, title="测试通知",
        precheck=PrecheckInput(title="测试通知", body_html=body), **kwargs,
    )


def pending(sub: Submission) -> StepTask:
    task = selectors.current_task(sub)
    assert task is not None
    return task


def approve(user: Any, sub: Submission, **kwargs: Any) -> Decision:
    return services.decide(user, pending(sub), action="approve", checks=ALL, **kwargs)


def test_three_steps_publish_once_and_advance_the_public_generation_once(
    office: Office, published: Published
) -> None:
    sub = submit(office)
    approve(office.first, sub)
    approve(office.secrecy, sub)
    before = public_generation()
    approve(office.approver, sub)
    sub.refresh_from_db()
    assert sub.status == Submission.Status.APPROVED and sub.published
    assert [pk for pk, _ in published.calls] == [office.org.pk]
    assert public_generation() == before + 1


def test_each_check_is_stored_when_all_pass_at_once(office: Office, published: Published) -> None:
    sub = submit(office)
    decision = approve(office.first, sub)
    assert all(getattr(decision, f) for f in Decision.CHECK_FIELDS)
    with pytest.raises(ValidationError, match="格式关"):
        services.decide(office.secrecy, pending(sub), action="approve", checks={**ALL, "format_ok": False})


def test_one_person_holding_every_role_decides_one_step_only(office: Office, published: Published) -> None:
    sub = submit(office)
    approve(office.allrounder, sub)
    task = pending(sub)
    assert selectors.decision_refusal(office.allrounder, task) is not None
    with pytest.raises(PermissionDenied, match="同一人只能审核其中一个环节"):
        approve(office.allrounder, sub)
    assert task not in selectors.pending_tasks_for(office.allrounder)
    assert office.allrounder not in selectors.deciders_of(task)
    approve(office.secrecy, sub)  # somebody else may
    with pytest.raises(PermissionDenied):
        approve(office.allrounder, sub)


def test_superusers_are_bound_by_separation_of_duties_too(office: Office, published: Published) -> None:
    root = get_user_model().objects.create_superuser("root", "root@example.test", "x")
    sub = submit(office)
    approve(root, sub)
    with pytest.raises(PermissionDenied):
        approve(root, sub)


def test_separation_of_duties_is_a_workflow_setting(office: Office, published: Published) -> None:
    services.workflow_for(office.org)
    Workflow.objects.filter(organisation=office.org).update(separate_duties=False)
    sub = submit(office)
    for _ in range(3):
        approve(office.allrounder, sub)
    sub.refresh_from_db()
    assert sub.published


def test_the_submitter_never_decides(office: Office, published: Published) -> None:
    Membership.objects.create(user=office.editor, organisation=office.org, role=Role.FIRST_REVIEWER)
    sub = submit(office)
    with pytest.raises(PermissionDenied, match="自己送审"):
        approve(office.editor, sub)
    assert not selectors.pending_tasks_for(office.editor).exists()


def test_a_role_is_needed(office: Office, published: Published) -> None:
    sub = submit(office)
    with pytest.raises(PermissionDenied, match="初审"):
        approve(office.approver, sub)


def test_two_reviewers_at_the_same_moment_one_decision_is_kept(office: Office, published: Published) -> None:
    second = get_user_model().objects.create_user(username="first2", password="x")
    Membership.objects.create(user=second, organisation=office.org, role=Role.FIRST_REVIEWER)
    sub = submit(office)
    task = pending(sub)
    seen = task.lock_version  # both pages showed this version
    services.decide(office.first, task, action="approve", checks=ALL, expected_version=seen)
    stale = StepTask.objects.get(pk=task.pk)
    stale.lock_version = seen  # the second reviewer's page, still open
    with pytest.raises(ConflictError, match="已由他人处理"):
        services.decide(second, stale, action="return", checks={}, comment="请修改", expected_version=seen)
    assert Decision.objects.filter(task=task).count() == 1
    assert Decision.objects.get(task=task).reviewer == office.first


def test_a_decided_task_refuses_a_late_decision_without_a_version(office: Office, published: Published) -> None:
    sub = submit(office)
    task = pending(sub)
    approve(office.first, sub)
    with pytest.raises(ConflictError):
        services.decide(office.first, task, action="approve", checks=ALL)


def test_secrecy_step_is_blocked_by_open_findings_until_overridden(office: Office, published: Published) -> None:
    sub = submit(office, body="<p>联系人手机 13812345678。</p>")
    assert sub.findings.count() == 1
    approve(office.first, sub)  # a content step is not blocked by findings
    with pytest.raises(ValidationError, match="预检发现"):
        approve(office.secrecy, sub)
    with pytest.raises(PermissionDenied):
        services.override_finding(office.first, sub.findings.get(), "已征得本人同意公开")
    services.override_finding(office.secrecy, sub.findings.get(), "已征得本人同意公开")
    approve(office.secrecy, sub)


def test_signoff_problems_need_a_written_reason(office: Office, published: Published) -> None:
    published.problems.append("尚无政策解读")
    sub = submit(office)
    approve(office.first, sub)
    approve(office.secrecy, sub)
    with pytest.raises(ValidationError, match="尚无政策解读"):
        approve(office.approver, sub)
    decision = approve(office.approver, sub, signoff_reason="解读随后单独发布")
    assert "解读随后单独发布" in decision.comment


def test_the_last_step_chooses_the_publication_time(office: Office, published: Published) -> None:
    sub = submit(office)
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError, match="最后一个审核环节"):
        approve(office.first, sub, publish_at=later)
    approve(office.first, sub)
    approve(office.secrecy, sub)
    with pytest.raises(ValidationError, match="晚于当前时间"):
        approve(office.approver, sub, publish_at=timezone.now() - dt.timedelta(minutes=1))
    approve(office.approver, sub, publish_at=later)
    sub.refresh_from_db()
    assert sub.publish_at == later
    assert published.calls == [(office.org.pk, later)]  # not live before: it goes live by itself then


def test_a_return_needs_a_comment_and_ends_the_submission(office: Office, published: Published) -> None:
    sub = submit(office)
    with pytest.raises(ValidationError, match="修改意见"):
        services.decide(office.first, pending(sub), action="return", checks={})
    services.decide(office.first, pending(sub), action="return", checks={"policy_ok": True}, comment="标题有误")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.RETURNED
    assert set(sub.tasks.values_list("status", flat=True)) == {StepTask.Status.RETURNED, StepTask.Status.CANCELLED}
    assert list(selectors.returned_to(office.editor)) == [sub]


def test_batch_approval_records_one_decision_each_and_skips_findings(office: Office, published: Published) -> None:
    clean = submit(office)
    other = Organisation.objects.create(name="另一局", code="lyj", index_code="OTHER", parent=office.org)
    for user in (office.editor, office.first):
        Membership.objects.create(user=user, organisation=other, role=Role.EDITOR if user == office.editor
                                  else Role.FIRST_REVIEWER)
    editor = get_user_model().objects.get(pk=office.editor.pk)  # roles are cached per user object
    first = get_user_model().objects.get(pk=office.first.pk)
    revision = services.create_revision(other, {"body": "x"}, user=editor)
    flagged = services.submit(
        editor, other, revision, organisation=other, title="有发现",
        precheck=PrecheckInput(title="有发现", body_html="<p>电话 13812345678</p>"),
    )
    outcomes = services.approve_many(first, [pending(clean).pk, pending(flagged).pk], comment="同意")
    by_title = {o.title: o for o in outcomes}
    assert by_title["测试通知"].decision is not None and by_title["有发现"].decision is None
    assert "预检发现" in by_title["有发现"].refusal
    assert Decision.objects.filter(reviewer=office.first).count() == 1


def test_the_next_steps_deciders_are_mailed_when_it_opens(
    office: Office, published: Published, django_capture_on_commit_callbacks: Any
) -> None:
    StaffPreference.objects.create(user=office.approver, receives_mail=False)
    with django_capture_on_commit_callbacks(execute=True):
        sub = submit(office)
    first_mail = OutgoingMail.objects.get(kind="review.step_opened")
    assert sorted(first_mail.recipients) == ["all@example.test", "first@example.test"]
    with django_capture_on_commit_callbacks(execute=True):
        approve(office.allrounder, sub)
    second = OutgoingMail.objects.filter(kind="review.step_opened").order_by("-id").first()
    assert second is not None and second.recipients == ["secrecy@example.test"]  # not the one who decided step 1
    assert "测试通知" in second.subject and "/workspace/review/tasks/" in second.body
    with django_capture_on_commit_callbacks(execute=True):
        approve(office.secrecy, sub)
    # The approver turned mail off; the all-rounder decided a step already: nobody to mail for 签发.
    assert OutgoingMail.objects.filter(kind="review.step_opened").count() == 2
    assert any("secrecy@example.test" in m.to for m in mail.outbox)


def test_a_return_mails_the_submitter(office: Office, published: Published) -> None:
    sub = submit(office)
    services.decide(office.first, pending(sub), action="return", checks={}, comment="请补充文号")
    returned = OutgoingMail.objects.get(kind="review.returned")
    assert returned.recipients == ["editor@example.test"] and "请补充文号" in returned.body


def test_the_daily_digest_lists_overdue_tasks_per_person(office: Office, published: Published) -> None:
    sub = submit(office)
    task = pending(sub)
    StepTask.objects.filter(pk=task.pk).update(opened_at=timezone.now() - dt.timedelta(days=10))
    OutgoingMail.objects.all().delete()
    assert notify.overdue_digest() == "2 digests"
    digests = OutgoingMail.objects.filter(kind="review.overdue_digest")
    assert sorted(r for m in digests for r in m.recipients) == ["all@example.test", "first@example.test"]
    assert all("测试通知" in m.body for m in digests)
    assert StepTask.objects.get(pk=task.pk).status == StepTask.Status.PENDING


def test_nothing_is_overdue_within_the_allowed_working_days(office: Office, published: Published) -> None:
    submit(office)
    OutgoingMail.objects.all().delete()
    assert notify.overdue_digest() == "0 digests"
    assert not OutgoingMail.objects.exists()
