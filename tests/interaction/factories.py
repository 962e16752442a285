"""Factories shared by the 政民互动 tests: staff of an organisation, letters and their answers."""

from __future__ import annotations

from typing import Any

from gongkai.interaction import services
from gongkai.interaction.models import Letter, Reply
from gongkai.orgs.models import Organisation, Role
from gongkai.review import services as review_services
from gongkai.review.models import Decision, StepTask, Submission

ALL_CHECKS = {f: True for f in Decision.CHECK_FIELDS}


class Staff:
    def __init__(self, org: Organisation, users: dict[str, Any]) -> None:
        self.org = org
        self.editor = users[Role.EDITOR]
        self.reviewer = users[Role.FIRST_REVIEWER]
        self.secrecy = users[Role.SECRECY_REVIEWER]
        self.approver = users[Role.APPROVER]
        self.admin = users[Role.ADMIN]


def letter_input(**overrides: Any) -> services.LetterInput:
    fields: dict[str, Any] = {
        "kind": Letter.Kind.CONSULT,
        "subject": "关于高新技术企业认定的咨询",
        "body": "我叫王小明，手机13812345678，想咨询高新技术企业认定的申报时间。",
        "name": "王小明",
        "email": "xiaoming@example.test",
        "phone": "13812345678",
        "consent_to_publish": True,
    }
    fields.update(overrides)
    return services.LetterInput(**fields)


def approve_all(staff: Staff, submission: Submission) -> None:
    """Take a submission through 初审 → 保密审查 → 签发."""
    for user in (staff.reviewer, staff.secrecy, staff.approver):
        task = StepTask.objects.get(submission=submission, status=StepTask.Status.PENDING)
        review_services.decide(user, task, action=Decision.Action.APPROVE, checks=ALL_CHECKS)


def answer(staff: Staff, letter: Letter, body: str = "您好！高新技术企业认定每年受理两批，具体时间以通知为准。") -> Reply:
    reply = services.save_reply(staff.editor, letter, body, expected_version=None)
    approve_all(staff, services.submit_reply(staff.editor, reply))
    reply.refresh_from_db()
    return reply
