"""Writes of disclosure on request (依申请公开): intake, every processing step, replies, fees, appeals.

Every function takes the acting user (or, for the public, the client address), checks permission, runs in one
transaction, records the audit event (never with personal data) and tells the applicant by e-mail after the
commit. The rules themselves are in `rules` (pure); here they meet the database.

Who may do what: the editors and administrators of the organisation an application is addressed to handle it
(经办); an extension names the head of the disclosure office who approved it — a member holding the approver
(签发) or administrator role there (条例 art. 33).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from gongkai.core import files as core_files
from gongkai.core import ratelimit
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.calendar_services import CalendarChange
from gongkai.core.concurrency import lock_version_of, save_version
from gongkai.core.people import display_name
from gongkai.core.personal_data import (
    email_problem,
    identity_number_problem,
    mask_name,
    mask_text,
    normalise_identity_number,
    phone_problem,
)
from gongkai.core.ratelimit import Limit
from gongkai.core.secrets import keyed_digest, new_tracking_secret, secret_digest, secret_matches
from gongkai.core.services import next_counter_value, record_event
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.orgs.selectors import can_edit, has_role

from . import letters, notify, rules
from .models import (
    Appeal,
    Applicant,
    ApplicantKind,
    Application,
    ApplicationEvent,
    Channel,
    Delivery,
    EventKind,
    Fee,
    FormWanted,
    Reply,
    ReplyKind,
    SupportingDocument,
)
from .rules import EventFact, RuleError

# Public submissions per client address: 5 an hour, 20 a day. Tracking look-ups: 30 an hour.
SUBMIT_LIMITS = (Limit(5, 3600), Limit(20, 86400))
TRACK_LIMITS = (Limit(30, 3600),)
MAX_DOCUMENTS = 5


# Identity document types are stored as written here; forms show them translated (gettext_noop marks them).
ID_RESIDENT = gettext_noop("居民身份证")
ID_CREDIT_CODE = gettext_noop("统一社会信用代码")
ID_TYPES = (ID_RESIDENT, gettext_noop("护照"), gettext_noop("港澳居民来往内地通行证"),
            gettext_noop("台湾居民来往大陆通行证"), gettext_noop("外国人永久居留身份证"), ID_CREDIT_CODE,
            gettext_noop("其他证照"))


def today() -> datetime.date:
    return timezone.localdate()


# -- input ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ApplicationInput:
    """What an applicant states (条例 art. 29): who they are, how to reach them, what and in which form."""

    applicant_kind: str
    name: str
    id_type: str
    id_number: str
    phone: str
    subject: str
    description: str
    form_wanted: str
    delivery: str
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_person: str = ""
    document_number: str = ""
    fee_waiver_requested: bool = False


def normalise_identity(id_number: str) -> str:
    return normalise_identity_number(id_number)


def identity_digest(id_type: str, id_number: str) -> str:
    value = f"{id_type}|{normalise_identity(id_number)}"
    return keyed_digest("applications.identity", value)


DESCRIPTION_MAX = 5000
# The kinds of identity document whose numbers have a national check rule (core.personal_data).
_ID_RULES = {ID_RESIDENT: "resident_id", ID_CREDIT_CODE: "credit_code"}


def input_problems(data: ApplicationInput, *, on: datetime.date | None = None) -> dict[str, str]:
    """What is incomplete or malformed in the applicant's data, per field, in plain words (empty: acceptable).

    The public form shows these beside its own checks; `validate_input` refuses with them.
    """
    errors: dict[str, str] = {}
    if data.applicant_kind not in ApplicantKind.values:
        errors["applicant_kind"] = gettext("请选择申请人类型。")
    for name, label, limit in (("name", gettext("姓名或名称"), 100), ("phone", gettext("联系电话"), 30),
                               ("subject", gettext("所需信息名称"), 200)):
        value = getattr(data, name).strip()
        if not value:
            errors[name] = gettext("请填写%(label)s。") % {"label": label}
        elif len(value) > limit:
            errors[name] = gettext("%(label)s最多%(n)d个字，您填写了%(m)d个字，请精简后提交。") % {
                "label": label, "n": limit, "m": len(value)}
    if data.phone.strip() and "phone" not in errors and (problem := phone_problem(data.phone)):
        errors["phone"] = problem
    if not data.description.strip():
        errors["description"] = gettext("请描述所需信息的内容（名称、文号或便于查询的其他特征）。")
    elif len(data.description) > DESCRIPTION_MAX:
        errors["description"] = gettext("所需信息的内容描述最多%(n)d个字，您填写了%(m)d个字，请精简后提交。") % {
            "n": DESCRIPTION_MAX, "m": len(data.description)}
    if data.id_type not in ID_TYPES:
        errors["id_type"] = gettext("请选择证件类型。")
    if problem := identity_number_problem(_ID_RULES.get(data.id_type, "other"), data.id_number, today=on):
        errors["id_number"] = problem
    if data.applicant_kind == ApplicantKind.NATURAL_PERSON and data.id_type == ID_CREDIT_CODE:
        errors["id_type"] = gettext("自然人请使用个人身份证件。")
    is_org = data.applicant_kind in ApplicantKind.values and data.applicant_kind != ApplicantKind.NATURAL_PERSON
    if is_org and not data.contact_person.strip():
        errors["contact_person"] = gettext("法人或其他组织请填写联系人。")
    if data.form_wanted not in FormWanted.values:
        errors["form_wanted"] = gettext("请选择信息的形式。")
    if data.delivery not in Delivery.values:
        errors["delivery"] = gettext("请选择获取信息的方式。")
    if data.email.strip() and (problem := email_problem(data.email)):
        errors["email"] = problem
    elif data.delivery == Delivery.EMAIL and not data.email.strip():
        errors["email"] = gettext("选择电子邮件方式获取信息时须填写电子邮箱。")
    if data.delivery == Delivery.POST and not data.address.strip():
        errors["address"] = gettext("选择邮寄方式获取信息时须填写通信地址。")
    return errors


def validate_input(data: ApplicationInput, *, on: datetime.date | None = None) -> None:
    """Refuse incomplete or malformed applicant data with per-field messages (nothing is stored)."""
    if errors := input_problems(data, on=on):
        raise ValidationError(errors)


def _store_documents(application: Application, event: ApplicationEvent | None,
                     uploads: Sequence[UploadedFile]) -> int:
    if len(uploads) > MAX_DOCUMENTS:
        raise ValidationError({"documents": gettext("最多上传%(n)d个文件") % {"n": MAX_DOCUMENTS}})
    for upload in uploads:
        try:
            detected = core_files.validate_upload(upload, max_bytes=settings.MAX_UPLOAD_BYTES)
        except ValidationError as exc:
            raise ValidationError({"documents": exc.messages}) from None
        upload.seek(0)
        doc = SupportingDocument(
            application=application, event=event, original_name=(upload.name or gettext("材料"))[:200],
            mime_type=detected.mime, size=upload.size or 0,
        )
        doc.file.save(f"{secrets.token_hex(8)}.{detected.extension}", upload, save=False)
        doc.save()
    return len(uploads)


# -- intake -----------------------------------------------------------------------------------------------

def _create(
    org: Organisation, data: ApplicationInput, *, channel: str, arrived_on: datetime.date,
    confirmed_on: datetime.date | None, registered_letter: bool, actor: Any, actor_label: str,
    documents: Sequence[UploadedFile],
) -> tuple[Application, str]:
    now = today()
    validate_input(data, on=now)
    for label, value in ((gettext("送达日期"), arrived_on), (gettext("确认日期"), confirmed_on)):
        if value is not None and value > now:
            raise ValidationError(gettext("%(label)s %(date)s 晚于今天") % {"label": label, "date": value.isoformat()})
    try:
        received_on = rules.receipt_date(channel, arrived_on, confirmed_on, registered_letter=registered_letter)
    except RuleError as exc:
        raise ValidationError(str(exc)) from None
    secret = new_tracking_secret()
    with transaction.atomic():
        year = received_on.year
        serial = next_counter_value(f"applications:{org.pk}:{year}")
        applicant = Applicant.objects.create(
            kind=data.applicant_kind, name=data.name.strip(), id_type=data.id_type,
            id_number=normalise_identity(data.id_number),
            identity_digest=identity_digest(data.id_type, data.id_number),
            contact_person=data.contact_person.strip(), phone=data.phone.strip(), email=data.email.strip(),
            address=data.address.strip(), postcode=data.postcode.strip(),
        )
        app = Application.objects.create(
            organisation=org, number=f"YSQ-{org.code}-{year}-{serial:05d}", year=year, serial=serial,
            secret_hash=secret_digest("applications.secret", secret), applicant=applicant,
            applicant_kind=data.applicant_kind, channel=channel, registered_letter=registered_letter,
            arrived_on=arrived_on, confirmed_on=confirmed_on, received_on=received_on,
            subject=data.subject.strip(), description=data.description.strip(),
            document_number=data.document_number.strip(), form_wanted=data.form_wanted, delivery=data.delivery,
            fee_waiver_requested=data.fee_waiver_requested,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        event = ApplicationEvent.objects.create(
            application=app, kind=EventKind.RECEIVED, on=received_on,
            actor=app.created_by, actor_label=actor_label,
            note=rules.receipt_rule_text(channel, registered_letter=registered_letter),
            data={"channel": channel, "arrived_on": arrived_on.isoformat()},
        )
        _store_documents(app, event, documents)
        _refresh(app, working_calendar())
        record_event(
            actor=actor, actor_label=actor_label, action="applications.received", obj=app,
            organisation_id=org.pk,
            summary=gettext("收到政府信息公开申请 %(number)s（%(channel)s）") % {
                "number": app.number, "channel": Channel(channel).label},
            data={"number": app.number, "channel": channel, "received_on": received_on.isoformat()},
        )
        subject, body = notify.applicant_message(
            app.number, org, gettext("已收到申请"),
            gettext("收到申请之日为 %(date)s，答复期限为 %(due)s（%(rule)s）。") % {
                "date": received_on.isoformat(), "due": app.due_on.isoformat() if app.due_on else "—",
                "rule": rules.receipt_rule_text(channel, registered_letter=registered_letter)},
            secret=secret,
        )
        notify.mail(subject, body, [applicant.email], kind="received", organisation_id=org.pk)
    return app, secret


def submit_online(org: Organisation, data: ApplicationInput, *, address: str | None,
                  documents: Sequence[UploadedFile] = ()) -> tuple[Application, str]:
    """An application filed through the portal; returns it and its secret (shown once, e-mailed once).

    Refused with `ratelimit.RateLimited` when the address has submitted too often.
    """
    validate_input(data, on=today())  # bad input is answered before it counts against the address
    ratelimit.hit("apply-submit", address, SUBMIT_LIMITS)
    now = today()
    return _create(org, data, channel=Channel.ONLINE, arrived_on=now, confirmed_on=now, registered_letter=False,
                   actor=None, actor_label=gettext("申请人（网上）"), documents=documents)


def register_application(
    user: Any, org: Organisation, data: ApplicationInput, *, channel: str, arrived_on: datetime.date,
    confirmed_on: datetime.date | None = None, registered_letter: bool = True,
    documents: Sequence[UploadedFile] = (),
) -> tuple[Application, str]:
    """Staff register an application received by letter, in person, fax or e-mail (登记)."""
    _require_handler(user, org)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError({"channel": gettext("请选择信函、当面、传真或电子邮件")})
    return _create(org, data, channel=channel, arrived_on=arrived_on, confirmed_on=confirmed_on,
                   registered_letter=registered_letter, actor=user, actor_label="", documents=documents)


# -- permission and bookkeeping ---------------------------------------------------------------------------

def can_handle(user: Any, org: Organisation) -> bool:
    return can_edit(user, org)


def _require_handler(user: Any, org: Organisation) -> None:
    if not can_handle(user, org):
        raise PermissionDenied(gettext("该申请由%(org)s办理，您没有该机构的经办岗位（信息员或管理员）") % {"org": org.name})


def _facts(app: Application) -> list[EventFact]:
    return [EventFact(e.kind, e.on, e.data) for e in app.events.order_by("id")]


def _refresh(app: Application, calendar: Any) -> rules.Status:
    status = rules.derive_status(app.received_on, _facts(app), calendar)
    app.state = status.state
    app.due_on = status.due_on
    app.due_kind = status.due_kind
    app.due_explanation = status.explanation_dict()
    app.due_provisional = bool(status.reply and status.reply.provisional)
    app.replied_on = status.replied_on
    app.reply_kind = status.reply_kind
    save_version(app, "state", "due_on", "due_kind", "due_explanation", "due_provisional", "replied_on", "reply_kind")
    return status


def _locked(app: Application, expected_version: int | None) -> Application:
    return lock_version_of(
        app, expected_version, queryset=Application.objects.select_related("organisation", "applicant"),
        message=gettext("该申请已被他人更新（如另一位经办人刚记录了办理环节），您的操作未保存。请刷新页面查看最新情况后再操作。"))


def _step(
    user: Any, app: Application, kind: str, on: datetime.date, *, data: dict[str, Any] | None = None,
    note: str = "", expected_version: int | None, notify_step: str = "", notify_detail: str = "",
    visible: bool = True,
) -> tuple[Application, ApplicationEvent]:
    """Check and record one step inside the caller's transaction; return the refreshed application."""
    locked = _locked(app, expected_version)
    _require_handler(user, locked.organisation)
    calendar = working_calendar()
    new = EventFact(kind, on, data or {})
    try:
        rules.check_event(locked.received_on, _facts(locked), new, calendar, today())
    except RuleError as exc:
        raise ValidationError(str(exc)) from None
    event = ApplicationEvent.objects.create(
        application=locked, kind=kind, on=on, actor=user, note=note.strip()[:2000], data=data or {},
        visible_to_applicant=visible,
    )
    _refresh(locked, calendar)
    record_event(
        actor=user, action=f"applications.{kind}", obj=locked, organisation_id=locked.organisation_id,
        summary=f"{locked.number}：{EventKind(kind).label}",
        data={"number": locked.number, "on": on.isoformat(), **(data or {})},
    )
    if notify_step:
        subject, body = notify.applicant_message(locked.number, locked.organisation, notify_step, notify_detail)
        notify.mail(subject, body, [locked.applicant.email], kind="step", organisation_id=locked.organisation_id)
    return locked, event


# -- processing steps -------------------------------------------------------------------------------------

def request_correction(user: Any, app: Application, *, on: datetime.date, items: str,
                       correct_by: datetime.date | None = None, requires_document: bool = False,
                       expected_version: int | None) -> Application:
    """告知补正 (art. 30): once, within 7 working days of receipt, saying what to correct and by when."""
    items = items.strip()
    if len(items) < 4:
        raise ValidationError({"items": gettext("请具体说明需要补正的事项（至少4个字）")})
    if correct_by is None:
        correct_by = working_calendar().add_working_days(on, rules.DEFAULT_CORRECTION_DAYS)
    with transaction.atomic():
        locked, _ = _step(
            user, app, EventKind.CORRECTION_REQUESTED, on, expected_version=expected_version, note=items,
            data={"correct_by": correct_by.isoformat(), "requires_document": requires_document},
            notify_step=gettext("请补正申请"),
            notify_detail=gettext("需要补正的事项：%(items)s\n请于 %(date)s 前补正%(doc)s；逾期无正当理由不补正的，视为放弃申请。") % {
                "items": items, "date": correct_by.isoformat(),
                "doc": gettext("并提交相关材料") if requires_document else ""},
        )
    return locked


def record_correction(user: Any, app: Application, *, on: datetime.date, note: str = "",
                      documents: Sequence[UploadedFile] = (), expected_version: int | None) -> Application:
    """收到补正: the reply period counts again from this day (art. 30)."""
    with transaction.atomic():
        request = app.events.filter(kind=EventKind.CORRECTION_REQUESTED).order_by("-id").first()
        if request is not None and request.data.get("requires_document") and not documents:
            raise ValidationError({"documents": gettext("补正告知要求提交材料，请上传申请人补正的材料")})
        locked, event = _step(
            user, app, EventKind.CORRECTED, on, note=note, expected_version=expected_version,
            notify_step=gettext("已收到补正"),
        )
        _store_documents(locked, event, documents)
        _tell_due(locked)
    return locked


def _tell_due(app: Application) -> None:
    if app.due_on is None:
        return
    subject, body = notify.applicant_message(
        app.number, app.organisation, gettext("答复期限已确定"),
        gettext("答复期限为 %(date)s。%(text)s") % {"date": app.due_on.isoformat(),
                                                   "text": app.due_explanation.get("text", "")})
    notify.mail(subject, body, [app.applicant.email], kind="due", organisation_id=app.organisation_id)


def _abandon(user: Any, app: Application, kind: str, reply_kind: str, on: datetime.date,
             expected_version: int | None, step: str) -> Application:
    with transaction.atomic():
        locked, _ = _step(user, app, kind, on, data={"reply_kind": reply_kind}, expected_version=expected_version,
                          notify_step=step)
        _create_reply(user, locked, reply_kind, on, content="")
    return locked


def record_correction_lapsed(user: Any, app: Application, *, on: datetime.date,
                             expected_version: int | None) -> Application:
    """逾期未补正: the application is abandoned (T3 其他处理-1) and the applicant told so in a letter."""
    return _abandon(user, app, EventKind.CORRECTION_LAPSED, ReplyKind.OTHER_NO_CORRECTION, on, expected_version,
                    gettext("逾期未补正，视为放弃申请"))


CONSULTED_PARTIES = {"third_party": gettext_lazy("第三方"), "agency": gettext_lazy("共同制作机关")}
OPINIONS = {"agree": gettext_lazy("同意公开"), "disagree": gettext_lazy("不同意公开"),
            "no_answer": gettext_lazy("逾期未提出意见")}


def start_consultation(user: Any, app: Application, *, on: datetime.date, party: str, note: str = "",
                       expected_version: int | None) -> Application:
    """征求意见 (arts. 32, 34): the party has 15 working days; that time is not counted."""
    if party not in CONSULTED_PARTIES:
        raise ValidationError({"party": gettext("请选择征求意见的对象")})
    due = rules.consultation_due(working_calendar(), on)
    with transaction.atomic():
        locked, _ = _step(
            user, app, EventKind.CONSULTATION_STARTED, on, note=note, expected_version=expected_version,
            data={"party": party, "answer_by": due.isoformat()},
            notify_step=gettext("正在征求%(party)s意见") % {"party": CONSULTED_PARTIES[party]},
            notify_detail=gettext("依照条例第三十三条，征求意见所需时间不计算在答复期限内；被征求意见方应于 %(date)s 前提出意见。") % {
                "date": due.isoformat()},
        )
    return locked


def end_consultation(user: Any, app: Application, *, on: datetime.date, opinion: str, note: str = "",
                     expected_version: int | None) -> Application:
    if opinion not in OPINIONS:
        raise ValidationError({"opinion": gettext("请选择意见结果")})
    with transaction.atomic():
        locked, _ = _step(user, app, EventKind.CONSULTATION_ENDED, on, note=note, expected_version=expected_version,
                          data={"opinion": opinion}, notify_step=gettext("征求意见结束"))
        _tell_due(locked)
    return locked


def extend_deadline(user: Any, app: Application, *, on: datetime.date, days: int, approved_by: Any,
                    reason: str, expected_version: int | None) -> Application:
    """延期 (art. 33): at most 20 working days, once, approved by the head of the disclosure office."""
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationError({"reason": gettext("请说明延期理由（至少4个字）")})
    if approved_by is None or not (has_role(approved_by, app.organisation, Role.APPROVER)
                                   or has_role(approved_by, app.organisation, Role.ADMIN)):
        raise ValidationError({"approved_by": gettext("延期须经政府信息公开工作机构负责人（本机构签发人或管理员）同意")})
    with transaction.atomic():
        locked, _ = _step(
            user, app, EventKind.EXTENSION, on, note=reason, expected_version=expected_version,
            data={"days": days, "approved_by": display_name(approved_by), "approved_by_id": approved_by.pk},
            notify_step=gettext("答复期限延长%(n)d个工作日") % {"n": days} if isinstance(days, int) else "",
            notify_detail=gettext("延期理由：%(reason)s") % {"reason": reason},
        )
        _tell_due(locked)
    return locked


def applicant_month_count(app: Application) -> int:
    """The applicant's applications to this organisation earlier in the same natural month (按件计收)."""
    first = app.received_on.replace(day=1)
    return Application.objects.filter(
        organisation=app.organisation, applicant__identity_digest=app.applicant.identity_digest,
        received_on__gte=first, received_on__lte=app.received_on,
    ).exclude(pk=app.pk).exclude(received_on=app.received_on, pk__gt=app.pk).count()


def issue_fee_notice(user: Any, app: Application, *, on: datetime.date, basis: str, quantity: int,
                     expected_version: int | None) -> Fee:
    """收费通知 (109号): the amount by item or by pages; the applicant pays within 20 working days."""
    if basis not in Fee.Basis.values:
        raise ValidationError({"basis": gettext("请选择计收方式")})
    if quantity < 1:
        raise ValidationError({"quantity": gettext("件数或页数须为正整数")})
    with transaction.atomic():
        prior = applicant_month_count(app) if basis == Fee.Basis.PER_ITEM else 0
        amount = (rules.per_item_fee(prior, quantity) if basis == Fee.Basis.PER_ITEM
                  else rules.per_page_fee(quantity))
        if amount <= 0:
            raise ValidationError(gettext("按所选方式计算的费用为0元（未超过免费限额），无需收费"))
        pay_by = working_calendar().add_working_days(on, rules.FEE_PAYMENT_DAYS)
        locked, _ = _step(
            user, app, EventKind.FEE_NOTICE, on, expected_version=expected_version,
            data={"basis": basis, "quantity": quantity, "prior_items": prior, "amount": str(amount),
                  "pay_by": pay_by.isoformat()},
            notify_step=gettext("信息处理费收费通知"),
            notify_detail=gettext("依据《政府信息公开信息处理费管理办法》，应缴信息处理费 %(amount)s 元，请于 %(date)s 前缴纳；逾期未缴纳的视为放弃申请。") % {
                "amount": amount, "date": pay_by.isoformat()},
        )
        fee = Fee.objects.create(application=locked, basis=basis, quantity=quantity, prior_items=prior,
                                 amount=amount, notified_on=on, pay_by=pay_by)
    return fee


def _open_fee(app: Application) -> Fee:
    fee = app.fees.filter(paid_on__isnull=True, lapsed_on__isnull=True).order_by("-id").first()
    if fee is None:
        raise ValidationError(gettext("该申请没有待缴的信息处理费"))
    return fee


def record_fee_paid(user: Any, app: Application, *, on: datetime.date, expected_version: int | None) -> Application:
    with transaction.atomic():
        locked, _ = _step(user, app, EventKind.FEE_PAID, on, expected_version=expected_version,
                          notify_step=gettext("已收到信息处理费"))
        fee = _open_fee(locked)
        fee.paid_on = on
        fee.save(update_fields=["paid_on"])
        _tell_due(locked)
    return locked


def record_fee_lapsed(user: Any, app: Application, *, on: datetime.date, expected_version: int | None) -> Application:
    """逾期未缴费: the application is abandoned (T3 其他处理-2)."""
    with transaction.atomic():
        locked = _abandon(user, app, EventKind.FEE_LAPSED, ReplyKind.OTHER_FEE_UNPAID, on, expected_version,
                          gettext("逾期未缴纳信息处理费，视为放弃申请"))
        fee = _open_fee(locked)
        fee.lapsed_on = on
        fee.save(update_fields=["lapsed_on"])
    return locked


def _create_reply(user: Any, app: Application, kind: str, on: datetime.date, *, content: str,
                  legal_basis: str = "") -> Reply:
    org = app.organisation
    serial = next_counter_value(f"applications-letter:{org.pk}:{on.year}")
    letter_number = gettext("%(org)s依申公开〔%(year)d〕%(serial)d号") % {
        "org": org.short_name or org.name, "year": on.year, "serial": serial}
    basis = legal_basis.strip() or letters.LEGAL_BASIS[kind]
    facts = letters.LetterFacts(
        organisation_name=org.name, office_name=org.office_name, office_phone=org.phone,
        letter_number=letter_number, application_number=app.number, applicant_name=app.applicant.name,
        received_on=app.received_on, subject=app.subject, reply_kind=kind, legal_basis=basis,
        content=content, replied_on=on,
    )
    return Reply.objects.create(application=app, kind=kind, legal_basis=basis[:300], content=content,
                                replied_on=on, letter_number=letter_number, letter=letters.compose(facts),
                                created_by=user)


def reply(user: Any, app: Application, *, on: datetime.date, kind: str, content: str = "",
          legal_basis: str = "", expected_version: int | None) -> Reply:
    """答复 (art. 36): one of the statutory kinds, with its decision letter frozen on the reply."""
    content = content.strip()
    if kind not in ReplyKind.values:
        raise ValidationError({"kind": gettext("请选择答复类型")})
    if kind not in (ReplyKind.DISCLOSED,) and len(content) < 4:
        raise ValidationError({"content": gettext("请填写答复内容或理由（至少4个字）")})
    with transaction.atomic():
        locked, _ = _step(
            user, app, EventKind.REPLIED, on, data={"reply_kind": kind}, expected_version=expected_version,
            notify_step=gettext("已作出答复：%(kind)s") % {"kind": ReplyKind(kind).label},
            notify_detail=gettext("答复告知书可在查询页面下载（PDF、Word）。"),
        )
        return _create_reply(user, locked, kind, on, content=content, legal_basis=legal_basis)


def close(user: Any, app: Application, *, on: datetime.date, expected_version: int | None) -> Application:
    """办结归档: after the reply has been delivered."""
    with transaction.atomic():
        locked, _ = _step(user, app, EventKind.CLOSED, on, expected_version=expected_version,
                          notify_step=gettext("已办结"))
    return locked


# -- appeals ----------------------------------------------------------------------------------------------

def record_appeal(user: Any, app: Application, *, kind: str, filed_on: datetime.date, body: str = "",
                  case_number: str = "") -> Appeal:
    """行政复议 / 行政诉讼 brought against the handling of an application."""
    with transaction.atomic():
        locked = _locked(app, None)
        _require_handler(user, locked.organisation)
        try:
            rules.check_appeal(kind, filed_on, locked.received_on, today(),
                               locked.appeals.filter(kind=Appeal.Kind.RECONSIDERATION).exists())
        except RuleError as exc:
            raise ValidationError(str(exc)) from None
        appeal = Appeal.objects.create(application=locked, kind=kind, filed_on=filed_on, body=body.strip()[:100],
                                       case_number=case_number.strip()[:100])
        ApplicationEvent.objects.create(application=locked, kind=EventKind.APPEAL_FILED, on=filed_on, actor=user,
                                        data={"appeal": appeal.pk, "kind": kind}, visible_to_applicant=False)
        record_event(actor=user, action="applications.appeal_filed", obj=appeal, organisation_id=locked.organisation_id,
                     summary=f"{locked.number}：{appeal.get_kind_display()}",
                     data={"number": locked.number, "kind": kind, "filed_on": filed_on.isoformat()})
    return appeal


def decide_appeal(user: Any, appeal: Appeal, *, outcome: str, decided_on: datetime.date | None,
                  expected_version: int | None) -> Appeal:
    with transaction.atomic():
        locked = lock_version_of(appeal, expected_version, queryset=Appeal.objects.select_related("application"),
                                 message=gettext("该复议或诉讼记录已被他人更新，您的操作未保存。请刷新后再操作。"))
        _require_handler(user, locked.application.organisation)
        try:
            rules.check_appeal_decision(outcome, decided_on, locked.filed_on, today())
        except RuleError as exc:
            raise ValidationError(str(exc)) from None
        locked.outcome = outcome
        locked.decided_on = decided_on
        save_version(locked, "outcome", "decided_on")
        ApplicationEvent.objects.create(application=locked.application, kind=EventKind.APPEAL_DECIDED,
                                        on=decided_on or today(), actor=user,
                                        data={"appeal": locked.pk, "outcome": outcome}, visible_to_applicant=False)
        record_event(actor=user, action="applications.appeal_decided", obj=locked,
                     organisation_id=locked.application.organisation_id,
                     summary=f"{locked.application.number}：{locked.get_kind_display()} {locked.get_outcome_display()}",
                     data={"outcome": outcome})
    return locked


# -- personal data, tracking ------------------------------------------------------------------------------

def reveal_applicant(user: Any, app: Application) -> Applicant:
    """The applicant's unmasked data for a handler who needs it (to send the letter); the access is audited."""
    _require_handler(user, app.organisation)
    record_event(actor=user, action="applications.personal_data_viewed", obj=app,
                 organisation_id=app.organisation_id,
                 summary=gettext("查看申请 %(number)s 的申请人完整信息（%(name)s）") % {
                     "number": app.number, "name": mask_name(app.applicant.name)})
    return app.applicant


def authenticate_tracking(number: str, secret: str, *, address: str | None) -> Application | None:
    """The application with this number if the secret matches (rate limited per address)."""
    ratelimit.hit("apply-track", address, TRACK_LIMITS)
    app = Application.objects.filter(number__iexact=number.strip()).first()
    if app is None or not secret_matches("applications.secret", secret, app.secret_hash):
        return None
    return app


# -- deadlines: calendar changes and reminders ------------------------------------------------------------

def recompute_open_deadlines(change: CalendarChange) -> int:
    """The `on_calendar_changed` listener: recompute every open application's deadline and record changes.

    Runs inside the calendar change's transaction, so a failure here rolls the calendar change back too.
    """
    calendar = working_calendar()
    changed = 0
    for app in Application.objects.select_for_update().filter(replied_on__isnull=True).select_related("organisation"):
        before = (app.due_on, app.due_provisional)
        status = rules.derive_status(app.received_on, _facts(app), calendar)
        after_provisional = bool(status.reply and status.reply.provisional)
        if (status.due_on, after_provisional) == before and app.due_explanation == status.explanation_dict():
            continue
        ApplicationEvent.objects.create(
            application=app, kind=EventKind.DEADLINE_RECOMPUTED, on=today(), actor_label=gettext("系统"),
            data={"before": before[0].isoformat() if before[0] else None,
                  "after": status.due_on.isoformat() if status.due_on else None,
                  "calendar_action": change.action},
            note=gettext("工作日历调整后重新计算期限"), visible_to_applicant=before[0] != status.due_on,
        )
        _refresh(app, calendar)
        record_event(actor=change.actor, action="applications.deadline_recomputed", obj=app,
                     organisation_id=app.organisation_id,
                     summary=gettext("%(number)s 期限因工作日历调整由 %(before)s 变为 %(after)s") % {
                         "number": app.number, "before": before[0] or "—", "after": status.due_on or "—"},
                     data={"calendar_action": change.action})
        if before[0] != status.due_on:
            _tell_due(app)
        changed += 1
    return changed


def send_reminders(*, within: int = 3, on: datetime.date | None = None) -> int:
    """E-mail each organisation's handlers about open applications overdue or due within `within` working
    days; one mail per organisation per day, recorded on each application it names."""
    from .selectors import urgency_of

    on = on or today()
    calendar = working_calendar()
    sent = 0
    by_org: dict[int, list[tuple[Application, str]]] = {}
    already = set(ApplicationEvent.objects.filter(kind=EventKind.REMINDER_SENT, on=on).values_list(
        "application_id", flat=True))
    for app in Application.objects.filter(replied_on__isnull=True, due_on__isnull=False).exclude(
            pk__in=already).select_related("organisation").order_by("due_on"):
        assert app.due_on is not None
        bucket = urgency_of(app.due_on, on, calendar)
        if bucket in ("overdue", "today", "soon") and calendar.count_working_days(on, app.due_on) <= within:
            by_org.setdefault(app.organisation_id, []).append((app, bucket))
    labels = {"overdue": gettext("已超期"), "today": gettext("今日到期"), "soon": gettext("即将到期")}
    for items in by_org.values():
        org = items[0][0].organisation
        handlers = Membership.objects.filter(organisation=org, role__in=[Role.EDITOR, Role.ADMIN]).select_related("user")
        recipients = [m.user.email for m in handlers if m.user.is_active and m.user.email]
        lines = [gettext("以下政府信息公开申请已超期或即将到期，请及时办理："), ""]
        for app, bucket in items:
            lines.append(f"{app.number}  {labels[bucket]}  {app.due_kind_label}  {app.due_on}  {mask_text(app.subject[:40])}")
        lines += ["", settings.SITE_URL + "/workspace/applications/"]
        with transaction.atomic():
            for app, bucket in items:
                ApplicationEvent.objects.create(application=app, kind=EventKind.REMINDER_SENT, on=on,
                                                actor_label=gettext("系统"), data={"bucket": bucket},
                                                visible_to_applicant=False)
            notify.mail(
                gettext("【期限提醒】%(org)s 有%(n)d件政府信息公开申请需要办理") % {"org": org.name, "n": len(items)},
                "\n".join(lines), recipients, kind="reminder", organisation_id=org.pk)
        sent += 1
    return sent


