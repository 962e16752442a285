"""Disclosure on request (依申请公开): applications, their applicants, events, replies, fees and appeals.

The lifecycle is kept as explicit rows (Froide-style): an `Application` holds what was asked and the
numbers derived from its `ApplicationEvent`s (state, due date), which `services` recompute on every event.
Personal data lives only in `Applicant` and is masked wherever it is shown by default.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation


class ApplicantKind(models.TextChoices):
    """申请人类型 — exactly the columns of the annual report's table T3 (keys as in reports/formats)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


class Channel(models.TextChoices):
    """申请方式 (条例 art. 29, 31)."""

    ONLINE = "online", _("网上申请")
    LETTER = "letter", _("信函")
    IN_PERSON = "in_person", _("当面提交")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


class FormWanted(models.TextChoices):
    """申请公开的政府信息的形式要求 (条例 art. 29(三))."""

    PAPER = "paper", _("纸质文本")
    ELECTRONIC = "electronic", _("电子文本")
    INSPECTION = "inspection", _("当场查阅、抄录")


class Delivery(models.TextChoices):
    """获取信息的方式、途径."""

    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    COLLECT = "collect", _("当面领取")
    ONLINE = "online", _("网上获取")


class State(models.TextChoices):
    """办理状态, derived from the events."""

    PROCESSING = "processing", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class ReplyKind(models.TextChoices):
    """答复类型 — exactly the leaf result rows of the F2021 table T3 (keys as in reports/formats/f2021.json)."""

    DISCLOSED = "disclosed", _("予以公开")
    PARTLY_DISCLOSED = "partly_disclosed", _("部分公开")
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("不予公开：属于国家秘密")
    WITHHELD_PROHIBITED_BY_LAW = "withheld_prohibited_by_law", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_THREE_SECURITIES = "withheld_three_securities", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL_AFFAIRS = "withheld_internal_affairs", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS_INFORMATION = "withheld_process_information", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT_FILES = "withheld_enforcement_files", _("不予公开：属于行政执法案卷")
    WITHHELD_QUERY_MATTERS = "withheld_query_matters", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR_AFTER_CORRECTION = (
        "unavailable_unclear_after_correction", _("无法提供：补正后申请内容仍不明确")
    )
    NOT_PROCESSED_PETITION = "not_processed_petition", _("不予处理：信访举报投诉类申请")
    NOT_PROCESSED_REPEAT = "not_processed_repeat", _("不予处理：重复申请")
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", _("不予处理：要求提供公开出版物")
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", _("不予处理：无正当理由大量反复申请")
    NOT_PROCESSED_CONFIRMATION = "not_processed_confirmation", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_CORRECTION = "other_no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_FEE_UNPAID = "other_fee_unpaid", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER_MISC = "other_misc", _("其他处理：其他")


# Reply kinds staff choose in the reply form; the two abandonment rows are recorded by their own events.
ABANDONMENT_KINDS = frozenset({ReplyKind.OTHER_NO_CORRECTION, ReplyKind.OTHER_FEE_UNPAID})


class EventKind(models.TextChoices):
    """办理环节."""

    RECEIVED = "received", _("收到申请")
    CORRECTION_REQUESTED = "correction_requested", _("告知补正")
    CORRECTED = "corrected", _("收到补正")
    CORRECTION_LAPSED = "correction_lapsed", _("逾期未补正，视为放弃申请")
    CONSULTATION_STARTED = "consultation_started", _("征求意见")
    CONSULTATION_ENDED = "consultation_ended", _("征求意见结束")
    EXTENSION = "extension", _("延长答复期限")
    FEE_NOTICE = "fee_notice", _("发出收费通知")
    FEE_PAID = "fee_paid", _("收到缴费")
    FEE_LAPSED = "fee_lapsed", _("逾期未缴费，视为放弃申请")
    REPLIED = "replied", _("作出答复")
    CLOSED = "closed", _("办结归档")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("工作日历调整，重新计算期限")
    REMINDER_SENT = "reminder_sent", _("发送期限提醒")
    APPEAL_FILED = "appeal_filed", _("行政复议/行政诉讼")
    APPEAL_DECIDED = "appeal_decided", _("复议/诉讼结果")


DUE_KIND_LABELS = {"reply": _("答复期限"), "correction": _("补正期限"), "fee": _("缴费期限")}


class Applicant(models.Model):
    """申请人 — the personal data of one application, kept apart and masked wherever shown by default.

    `identity_digest` (a keyed hash of the normalised identity or credit-code number) lets the fee rules count
    one applicant's applications in a month without comparing the numbers themselves.
    """

    kind = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantKind.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=30)
    id_number = models.CharField(_("证件号码"), max_length=40)
    identity_digest = models.CharField(max_length=64, db_index=True, editable=False)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")

    def __str__(self) -> str:
        from gongkai.core.personal_data import mask_name

        return mask_name(self.name)


class Application(models.Model):
    """政府信息公开申请: what was asked of which organisation, and where it stands.

    `state`, `due_on` and `due_explanation` are derived from the events by `rules.derive_status` and kept here
    for lists and urgency queries; `services` recompute them on every event and on calendar changes.
    `lock_version` refuses the second of two concurrent edits.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    number = models.CharField(_("申请编号"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("编号年份"))
    serial = models.PositiveIntegerField(_("流水号"))
    secret_hash = models.CharField(max_length=200, editable=False)
    applicant = models.OneToOneField(Applicant, on_delete=models.PROTECT, related_name="application")
    applicant_kind = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantKind.choices)
    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    registered_letter = models.BooleanField(_("需签收的邮寄方式"), default=True)
    arrived_on = models.DateField(_("送达或提交日期"))
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    received_on = models.DateField(_("收到申请之日"), db_index=True)
    subject = models.CharField(_("所需信息名称"), max_length=200)
    description = models.TextField(_("所需信息的内容描述"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    form_wanted = models.CharField(_("信息形式"), max_length=20, choices=FormWanted.choices)
    delivery = models.CharField(_("获取方式"), max_length=20, choices=Delivery.choices)
    fee_waiver_requested = models.BooleanField(_("申请减免费用"), default=False)

    state = models.CharField(_("状态"), max_length=30, choices=State.choices, default=State.PROCESSING,
                             db_index=True)
    due_on = models.DateField(_("当前期限"), null=True, blank=True, db_index=True)
    due_kind = models.CharField(_("期限类型"), max_length=30, blank=True)
    due_explanation = models.JSONField(default=dict, blank=True)
    due_provisional = models.BooleanField(_("期限为临时结果"), default=False)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    reply_kind = models.CharField(_("答复类型"), max_length=50, choices=ReplyKind.choices, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        unique_together = [("organisation", "year", "serial")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(replied_on__isnull=True) | models.Q(replied_on__gte=models.F("received_on")),
                name="applications_reply_not_before_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.replied_on is None

    @property
    def due_kind_label(self) -> str:
        return str(DUE_KIND_LABELS.get(self.due_kind, ""))


class ApplicationEvent(models.Model):
    """办理环节: one step of an application, with its statutory date (`on`) and when it was recorded (`at`).

    `data` holds the step's facts (days, deadlines, amounts, the reply kind) and never personal data.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=30, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    visible_to_applicant = models.BooleanField(default=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")

    def __str__(self) -> str:
        return f"{self.application_id} {self.on} {self.kind}"


class SupportingDocument(models.Model):
    """申请人提交的材料 (身份证明、补正材料), kept with the step that brought it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    event = models.ForeignKey(ApplicationEvent, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="documents")
    file = models.FileField(upload_to="applications/%Y/%m/")
    original_name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.original_name


class Reply(models.Model):
    """答复: the outcome of an application, one of the statutory kinds, with its frozen decision letter."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="reply")
    kind = models.CharField(_("答复类型"), max_length=50, choices=ReplyKind.choices)
    legal_basis = models.CharField(_("法律依据"), max_length=300)
    content = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"))
    letter_number = models.CharField(_("告知书编号"), max_length=80)
    letter = models.JSONField(_("告知书正文"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_kind_display()}"


class Fee(models.Model):
    """信息处理费: one fee notice for an application (按件 or 按量), and whether it was paid."""

    class Basis(models.TextChoices):
        PER_ITEM = "per_item", _("按件计收")
        PER_PAGE = "per_page", _("按量计收")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="fees")
    basis = models.CharField(_("计收方式"), max_length=20, choices=Basis.choices)
    quantity = models.PositiveIntegerField(_("件数或页数"))
    prior_items = models.PositiveIntegerField(_("本月此前已申请件数"), default=0)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    notified_on = models.DateField(_("收费通知日期"))
    pay_by = models.DateField(_("缴费期限"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    lapsed_on = models.DateField(_("逾期日期"), null=True, blank=True)

    class Meta:
        ordering = ["notified_on", "id"]
        verbose_name = _("信息处理费")
        verbose_name_plural = _("信息处理费")

    def __str__(self) -> str:
        return _("%(number)s %(amount)s元") % {"number": self.application.number, "amount": self.amount}

    @property
    def amount_decimal(self) -> Decimal:
        return Decimal(self.amount)


class Appeal(models.Model):
    """行政复议或行政诉讼 against the handling of an application, with its outcome (for table T4)."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
        LITIGATION_AFTER = "litigation_after_reconsideration", _("行政诉讼（复议后起诉）")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("尚未审结")
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    filed_on = models.DateField(_("立案或收到日期"))
    body = models.CharField(_("复议机关或法院"), max_length=100, blank=True)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["filed_on", "id"]
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_kind_display()}"
