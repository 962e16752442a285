"""The review engine (审核): per-organisation workflows of ordered steps, generic over what it reviews.

Shape: a Workflow has ordered WorkflowSteps; each save of a reviewable object is a Revision (a JSON snapshot);
submitting a revision creates a Submission with one StepTask per step; each reviewer action is a Decision that
records the five checks (五关). The review state of an object is read from these rows, never from a flag on it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from gongkai.orgs.models import Organisation, Role


class Workflow(models.Model):
    """审核流程: the ordered review steps one organisation applies before anything is published."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="workflow")
    name = models.CharField("名称", max_length=100, default="三级审查")
    separate_duties = models.BooleanField(
        "一人只审一个环节", default=True,
        help_text="开启时，同一次送审中一个人至多审核一个环节（即使同时拥有多个审核岗位）。",
    )

    class Meta:
        verbose_name = "审核流程"
        verbose_name_plural = "审核流程"

    def __str__(self) -> str:
        return f"{self.organisation}：{self.name}"


class StepKind(models.TextChoices):
    CONTENT = "content", "内容审核"
    SECRECY = "secrecy", "保密审查"
    SIGNOFF = "signoff", "签发"


class WorkflowStep(models.Model):
    """审核步骤: one step of a workflow, taken by users holding `role` in the organisation.

    A secrecy step cannot be approved while automatic pre-check findings stand; a sign-off step is where
    the rules on publishing (e.g. a normative document's interpretation) are enforced.
    """

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("名称", max_length=50)
    role = models.CharField("审核角色", max_length=30, choices=Role.choices)
    kind = models.CharField("类型", max_length=20, choices=StepKind.choices, default=StepKind.CONTENT)

    class Meta:
        ordering = ["workflow", "order"]
        unique_together = [("workflow", "order")]
        verbose_name = "审核步骤"
        verbose_name_plural = "审核步骤"

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Revision(models.Model):
    """版本: one saved state of a reviewable object, as a JSON snapshot. Never changed once written."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField("版本号")
    snapshot = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["content_type", "object_id", "-number"]
        unique_together = [("content_type", "object_id", "number")]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "版本"
        verbose_name_plural = "版本"

    def __str__(self) -> str:
        return f"v{self.number}"


class Submission(models.Model):
    """送审: one revision sent through the organisation's workflow."""

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", "审核中"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已通过"
        CANCELLED = "cancelled", "已撤回"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="submissions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions")
    title = models.CharField("标题", max_length=300)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.IN_REVIEW)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField("定时发布", null=True, blank=True)
    published = models.BooleanField(default=False, help_text="the approved revision has been applied")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["organisation", "status"]),
        ]
        verbose_name = "送审记录"
        verbose_name_plural = "送审记录"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"


class StepTask(models.Model):
    """审核任务: one step of one submission."""

    class Status(models.TextChoices):
        WAITING = "waiting", "待前序步骤"
        PENDING = "pending", "待审核"
        APPROVED = "approved", "通过"
        RETURNED = "returned", "退回"
        CANCELLED = "cancelled", "已撤回"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="tasks")
    step = models.ForeignKey(WorkflowStep, on_delete=models.PROTECT, related_name="tasks")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=50)
    role = models.CharField(max_length=30, choices=Role.choices)
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    opened_at = models.DateTimeField(null=True, blank=True, help_text="when it became pending (待审核)")
    decided_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0, help_text="optimistic lock: two decisions, one kept")

    class Meta:
        ordering = ["submission", "order"]
        unique_together = [("submission", "order")]
        indexes = [models.Index(fields=["status", "role"])]
        verbose_name = "审核任务"
        verbose_name_plural = "审核任务"

    def __str__(self) -> str:
        return f"{self.submission.title} / {self.name}"


class Decision(models.Model):
    """审核意见: one reviewer's action on a step, with the five checks (五关)."""

    class Action(models.TextChoices):
        APPROVE = "approve", "通过"
        RETURN = "return", "退回修改"

    task = models.ForeignKey(StepTask, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("结论", max_length=10, choices=Action.choices)
    political_ok = models.BooleanField("政治关", default=False)
    policy_ok = models.BooleanField("政策关", default=False)
    secrecy_ok = models.BooleanField("保密关", default=False)
    format_ok = models.BooleanField("格式关", default=False)
    wording_ok = models.BooleanField("文字关", default=False)
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    CHECK_FIELDS = ("political_ok", "policy_ok", "secrecy_ok", "format_ok", "wording_ok")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"

    def __str__(self) -> str:
        return f"{self.task} — {self.get_action_display()}"

    @property
    def all_checks_passed(self) -> bool:
        return all(getattr(self, f) for f in self.CHECK_FIELDS)


class Finding(models.Model):
    """预检发现: something the automatic pre-checks found in a submission (personal data, a sensitive word,
    a dead link, an attachment whose text could not be read). It blocks the secrecy step until the content is
    fixed or a reviewer overrides it in writing.

    Where it is: `area` (title, summary, body or attachment) and, in that area's plain text, the characters
    `start`–`end` (the body's plain text is `core.text.html_to_text(body)`; `core.text.mark_spans` marks them
    in the body's HTML). An attachment's finding names it (`attachment_ref`: its id in the reviewed object's
    app, `attachment_name`) and the place in it (`place`: 第3页, 第12段, 工作表“名单” B3). `location` is the label
    shown to people (标题 / 正文 / 附件“名单.pdf”). See `review.prechecks.PrecheckFinding`.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=30)
    code = models.CharField(max_length=30)
    message = models.CharField(max_length=300)
    excerpt = models.CharField(max_length=300, blank=True, help_text="masked: never the personal data itself")
    location = models.CharField(max_length=50, blank=True)
    area = models.CharField(max_length=20, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    attachment_ref = models.BigIntegerField(null=True, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=100, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField("忽略理由", blank=True)

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = "预检发现"
        verbose_name_plural = "预检发现"

    def __str__(self) -> str:
        return self.message

    @property
    def is_open(self) -> bool:
        return self.overridden_at is None


class SensitiveWord(models.Model):
    """敏感词: configured per organisation, or for all organisations when `organisation` is empty."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="sensitive_words"
    )
    word = models.CharField("词语", max_length=100)

    class Meta:
        unique_together = [("organisation", "word")]
        verbose_name = "敏感词"
        verbose_name_plural = "敏感词"

    def __str__(self) -> str:
        return self.word
