"""What each kind of review step does (审核环节类型): the behaviour lives on the step kind, not in `decide`.

A workflow is made of steps of a few kinds. Each kind says what stands in the way of approving it and what a
reviewer may do there; the engine (`services.decide`) asks the kind and never tests for one by name. A new kind
of step is a new `StepBehaviour` registered here, with no change to the engine.

- 内容审核 (content): the five checks, nothing more.
- 保密审查 (secrecy): cannot pass while an automatic pre-check finding stands (fixed or overridden in writing);
  its reviewers may override findings.
- 签发 (signoff): the reviewed object's own publishing rules (the adapter's `signoff_problems`, e.g. a normative
  document without an interpretation) block it unless the approver writes why it goes out anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from .models import StepKind
from .registry import adapter_for

if TYPE_CHECKING:
    from .models import StepTask, Submission


@dataclass(frozen=True)
class Approval:
    """What approving a step needs, as its kind sees it.

    blocking: reasons approval is refused whatever the reviewer writes;
    waivable: reasons that need the reviewer's written reason (签发说明) to approve anyway.
    """

    blocking: tuple[str, ...] = ()
    waivable: tuple[str, ...] = ()


class StepBehaviour:
    """The default step: approved on the five checks alone."""

    kind: str = StepKind.CONTENT
    # Whether its reviewers may accept a pre-check finding with a written reason.
    overrides_findings: bool = False

    def approval(self, task: StepTask, obj: Any, open_findings: int) -> Approval:
        return Approval()


class SecrecyStep(StepBehaviour):
    kind = StepKind.SECRECY
    overrides_findings = True

    def approval(self, task: StepTask, obj: Any, open_findings: int) -> Approval:
        if open_findings:
            return Approval(blocking=(
                gettext("存在未处理的预检发现，须修改内容或书面说明理由后方可通过保密审查。"),
            ))
        return Approval()


class SignoffStep(StepBehaviour):
    kind = StepKind.SIGNOFF

    def approval(self, task: StepTask, obj: Any, open_findings: int) -> Approval:
        submission: Submission = task.submission
        return Approval(waivable=tuple(adapter_for(obj).signoff_problems(obj, submission.revision)))


_BEHAVIOURS: dict[str, StepBehaviour] = {}


def register_step(behaviour: StepBehaviour) -> None:
    _BEHAVIOURS[behaviour.kind] = behaviour


def behaviour_of(kind: str) -> StepBehaviour:
    try:
        return _BEHAVIOURS[kind]
    except KeyError:
        raise LookupError(f"no behaviour registered for step kind {kind!r}") from None


for _behaviour in (StepBehaviour(), SecrecyStep(), SignoffStep()):
    register_step(_behaviour)
