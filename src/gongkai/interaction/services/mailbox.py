"""Writes of the director's mailbox (局长信箱): letters, their replies, 选登, merging, closing and reminders.

Every staff write takes the acting user, checks permission, runs in one transaction and records an audit event
whose summary never holds the writer's personal data. Public writes are recorded with actor_label "public".
Where a letter's reply reaches its writer: `send_reply`, called by the review engine when the last review step
approves the reply.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from gongkai.core import files as core_files
from gongkai.core import ratelimit
from gongkai.core.calendar import WorkingCalendar
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.calendar_services import CalendarChange
from gongkai.core.concurrency import ConflictError, lock_version_of, save_version
from gongkai.core.mail import queue_mail
from gongkai.core.personal_data import email_problem, find_personal_data, mask_name, mask_text, phone_problem
from gongkai.core.ratelimit import Limit
from gongkai.core.secrets import new_tracking_secret, secret_digest
from gongkai.core.secrets import secret_matches as secret_matches_digest
from gongkai.core.services import next_counter_value, public_content_changed, record_event
from gongkai.core.text import display_html, html_to_text
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.orgs.selectors import can_administer
from gongkai.review import services as review_services
from gongkai.review.models import Revision, Submission
from gongkai.review.registry import PrecheckInput
from gongkai.review.selectors import latest_revision, open_submission
from gongkai.sites.selectors import site_of

from .. import selectors
from ..models import (
    DEFAULT_REMINDER_DAYS,
    DEFAULT_REPLY_DAYS,
    Letter,
    MailboxSettings,
    Reply,
)
from .common import NAME_MAX, address_hash, clean_text, hourly_limit, require_editor

logger = logging.getLogger(__name__)

SUBJECT_MAX = 100
BODY_MAX = 5000
REPLY_MAX = 20000
TRACK_LIMITS = (Limit(30, 3600),)
_LETTER_CONFLICT = gettext_lazy("该来信已被他人处理或修改，您的操作未保存。请刷新页面查看最新情况后再操作。")


def secret_matches(letter: Letter, secret: str) -> bool:
    return secret_matches_digest("interaction.secret", secret, letter.secret_hash)


def authenticate_letter(tracking_number: str, secret: str, *, address: str | None) -> Letter | None:
    """The letter whose tracking number and secret both match, else None (the caller cannot tell which was
    wrong); look-ups are rate limited per address."""
    ratelimit.hit("mailbox-track", address, TRACK_LIMITS)
    letter = selectors.letter_for_tracking(tracking_number)
    if letter is None or not secret_matches(letter, secret):
        return None
    return letter


# ---- mailbox settings and deadlines -----------------------------------------------------------------------

def reveal_contact(user: Any, letter: Letter) -> None:
    """`user` is shown the writer's contact details (查看来信人联系方式): an audited read."""
    record_event(actor=user, action="interaction.contact_viewed", obj=letter, organisation_id=letter.organisation_id,
                 summary=gettext("查看来信人联系方式 %(number)s") % {"number": letter.tracking_number})


def set_mailbox_settings(
    user: Any, org: Organisation, *, reply_days: int, reminder_days: int, accepts_letters: bool = True
) -> MailboxSettings:
    """An organisation's administrator sets its reply limit (答复期限) and reminder lead time."""
    if not can_administer(user, org):
        raise PermissionDenied("只有本机构管理员可以设置局长信箱。")
    if not 1 <= int(reply_days) <= 60:
        raise ValidationError({"reply_days": "答复期限须在1至60个工作日之间。"})
    if not 0 <= int(reminder_days) < int(reply_days):
        raise ValidationError({"reminder_days": "提前提醒的工作日数须小于答复期限。"})
    with transaction.atomic():
        row, _ = MailboxSettings.objects.select_for_update().get_or_create(organisation=org)
        row.reply_days, row.reminder_days, row.accepts_letters = int(reply_days), int(reminder_days), accepts_letters
        row.save()
        cal = working_calendar()
        for letter in Letter.objects.filter(organisation=org, status__in=Letter.OPEN_STATUSES):
            letter.due_on = due_date(letter.received_at, row.reply_days, cal)
            letter.save(update_fields=["due_on"])
        record_event(
            actor=user, action="interaction.settings_changed", obj=row, organisation_id=org.pk,
            summary=f"局长信箱答复期限：{row.reply_days}个工作日", data={"reply_days": row.reply_days},
        )
    return row


def due_date(received_at: dt.datetime, reply_days: int, calendar: WorkingCalendar | None = None) -> dt.date:
    """The reply limit: `reply_days` working days after the (Asia/Shanghai) day the letter arrived."""
    cal = calendar or working_calendar()
    return cal.add_working_days(timezone.localdate(received_at), reply_days)


def recompute_due_dates(change: CalendarChange) -> None:
    """Listener of `core.calendar_services.on_calendar_changed`: open letters follow the new calendar."""
    cal = working_calendar()
    days = {s.organisation_id: s.reply_days for s in MailboxSettings.objects.all()}
    for letter in Letter.objects.filter(status__in=Letter.OPEN_STATUSES):
        new = due_date(letter.received_at, days.get(letter.organisation_id, DEFAULT_REPLY_DAYS), cal)
        if new != letter.due_on:
            Letter.objects.filter(pk=letter.pk).update(due_on=new)


# ---- public: writing a letter ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LetterInput:
    kind: str
    subject: str
    body: str
    name: str
    email: str = ""
    phone: str = ""
    consent_to_publish: bool = False


def validate_letter(data: LetterInput) -> dict[str, str]:
    """Field errors in plain words (empty when the letter is acceptable)."""
    errors: dict[str, str] = {}
    if data.kind not in Letter.Kind.values:
        errors["kind"] = "请选择来信类型：咨询、建议、投诉或求助。"
    subject, body, name = clean_text(data.subject), clean_text(data.body), clean_text(data.name)
    if not subject:
        errors["subject"] = "请填写主题。"
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = f"主题最多{SUBJECT_MAX}个字，当前{len(subject)}个字。"
    if not body:
        errors["body"] = "请填写来信内容。"
    elif len(body) > BODY_MAX:
        errors["body"] = f"来信内容最多{BODY_MAX}个字，当前{len(body)}个字，请精简后提交；内容较多的可作为附件上传。"
    if not name:
        errors["name"] = "请填写姓名。"
    elif len(name) > NAME_MAX:
        errors["name"] = f"姓名最多{NAME_MAX}个字。"
    email, phone = clean_text(data.email), clean_text(data.phone)
    if not email and not phone:
        errors["email"] = "请至少填写电子邮箱或联系电话中的一项，以便接收答复。"
    if email and (problem := email_problem(email)):
        errors["email"] = problem
    if phone and (problem := phone_problem(phone)):
        errors["phone"] = problem
    return errors


def submit_letter(
    organisation: Organisation,
    data: LetterInput,
    *,
    address: str | None = None,
    attachment: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> tuple[Letter, str]:
    """A member of the public writes to the mailbox. Returns the letter and its secret (shown once, never stored).

    Refused with a ValidationError (field errors) for bad input and `core.ratelimit.RateLimited` for floods;
    nothing is saved then, and the caller keeps what was typed.
    """
    now = now or timezone.now()
    settings_row = selectors.mailbox_settings(organisation)
    if not settings_row.accepts_letters:
        raise ValidationError("该机构的局长信箱暂停接收来信，请选择其他机构或通过其他渠道联系。")
    errors = validate_letter(data)
    if errors:
        raise ValidationError(errors)
    detected = None
    if attachment is not None:
        try:
            detected = core_files.validate_upload(attachment, max_bytes=settings.MAX_UPLOAD_BYTES)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    ratelimit.hit("mailbox-write", address, hourly_limit("GONGKAI_LETTERS_PER_HOUR", 5))
    digest = address_hash(address)
    secret = new_tracking_secret()
    with transaction.atomic():
        year = timezone.localtime(now).year
        serial = next_counter_value(f"letter:{organisation.pk}:{year}")
        letter = Letter(
            organisation=organisation,
            tracking_number=f"{organisation.code.upper()}-{year}-{serial:05d}",
            secret_hash=secret_digest("interaction.secret", secret),
            kind=data.kind,
            subject=clean_text(data.subject),
            body=clean_text(data.body),
            writer_name=clean_text(data.name),
            writer_email=clean_text(data.email),
            writer_phone=clean_text(data.phone),
            address_hash=digest,
            consent_to_publish=data.consent_to_publish,
            consent_note="来信时勾选同意选登" if data.consent_to_publish else "",
            received_at=now,
            due_on=due_date(now, settings_row.reply_days),
        )
        if attachment is not None and detected is not None:
            letter.attachment_name = str(attachment.name)[-200:]
            letter.attachment_mime = detected.mime
            letter.attachment.save(f"letter{detected.extension}", attachment, save=False)
        letter.save()
        record_event(
            actor=None, actor_label="public", action="interaction.letter_received", obj=letter,
            organisation_id=organisation.pk, summary=f"收到来信 {letter.tracking_number}（{letter.get_kind_display()}）",
            data={"kind": letter.kind, "due_on": letter.due_on.isoformat()},
        )
        if letter.writer_email:
            _acknowledge_writer(letter, secret)
    return letter, secret


def _acknowledge_writer(letter: Letter, secret: str) -> None:
    """The receipt (回执): the tracking number and the secret, which the page shows only once and the system keeps
    only as a digest. Queued with the letter; core.mail masks the secret in what it keeps and logs."""
    url = site_of(letter.organisation).absolute(reverse("interact:track"))
    queue_mail(
        [letter.writer_email],
        gettext("【%(org)s】已收到您的来信（查询编号 %(number)s）") % {
            "org": letter.organisation.name, "number": letter.tracking_number},
        gettext(
            "您好！\n\n%(org)s已于%(at)s收到您的来信《%(subject)s》，将于%(due)s前答复。\n\n"
            "查询编号：%(number)s\n查询密码：%(secret)s\n\n"
            "请妥善保存查询密码：系统只保存它的摘要，遗失后无法找回。凭查询编号和查询密码在以下页面查看办理情况和答复：\n"
            "%(url)s\n\n%(org)s\n（本邮件由系统自动发送，请勿直接回复。如您没有写过这封信，请忽略本邮件。）"
        ) % {"org": letter.organisation.name, "at": f"{timezone.localtime(letter.received_at):%Y-%m-%d %H:%M}",
             "subject": letter.subject, "due": f"{letter.due_on:%Y-%m-%d}", "number": letter.tracking_number,
             "secret": secret, "url": url},
        kind="interaction.letter_received", organisation_id=letter.organisation_id,
    )


# ---- staff: handling letters -------------------------------------------------------------------------------

def assign_letter(user: Any, letter: Letter, assignee: Any, *, expected_version: int) -> Letter:
    """分办: give the letter to a member of staff of its organisation."""
    org = letter.organisation
    require_editor(user, org)
    if assignee is None or not Membership.objects.filter(user=assignee, organisation=org).exists():
        raise ValidationError({"assignee": "承办人须是本机构的工作人员。"})
    with transaction.atomic():
        letter = lock_version_of(letter, expected_version, message=_LETTER_CONFLICT)
        if not letter.is_open:
            raise ValidationError("该来信已办结，不能再分办。")
        letter.assigned_to = assignee
        letter.status = Letter.Status.ASSIGNED
        save_version(letter, "assigned_to", "status")
        record_event(
            actor=user, action="interaction.letter_assigned", obj=letter, organisation_id=org.pk,
            summary=f"分办来信 {letter.tracking_number}", data={"assignee": assignee.pk},
        )
    return letter


def save_reply(user: Any, letter: Letter, body: str, *, expected_version: int | None) -> Reply:
    """Draft or edit the reply (起草答复). Each save is a revision; refused while it is in review or sent.

    `expected_version` is the reply's lock_version the editor read (None when drafting the first one).
    """
    org = letter.organisation
    require_editor(user, org)
    body = display_html(body)  # the editor's HTML through the one gate; older plain text becomes paragraphs
    length = len(html_to_text(body))
    if not length:
        raise ValidationError({"body": "请填写答复内容。"})
    if length > REPLY_MAX:
        raise ValidationError({"body": f"答复内容最多{REPLY_MAX}个字，当前{length}个字。"})
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if not letter.is_open:
            raise ValidationError("该来信已办结，不能再起草答复。")
        reply = selectors.current_reply(letter)
        if reply is None:
            if expected_version is not None:
                raise ConflictError(gettext("答复已被他人删除或尚未创建，请刷新页面。"))
            reply = Reply.objects.create(letter=letter, body=body, author=user)
        else:
            if expected_version is None:
                raise ConflictError(gettext("他人已为该来信起草了答复，您的内容未保存。请刷新页面，在其基础上修改。"))
            if open_submission(reply) is not None:
                raise ValidationError("答复正在审核中，请先撤回送审再修改。")
            reply = lock_version_of(reply, expected_version, message=gettext("该答复已被他人修改并保存，您的修改未保存。请刷新页面后再编辑。"))
            reply.body = body
            save_version(reply, "body", "updated_at")
        if letter.status == Letter.Status.RECEIVED:
            letter.status = Letter.Status.ASSIGNED
            letter.assigned_to = letter.assigned_to or user
            letter.save(update_fields=["status", "assigned_to"])
        review_services.create_revision(reply, {"body": body}, user=user, note="起草答复")
        record_event(
            actor=user, action="interaction.reply_saved", obj=reply, organisation_id=org.pk,
            summary=f"起草答复 {letter.tracking_number}",
        )
    return reply


def submit_reply(user: Any, reply: Reply) -> Submission:
    """送审: the reply goes through the organisation's 初审 → 保密审查 → 签发 before the writer sees it."""
    if reply.sent_at is not None:
        raise ValidationError("该答复已发出。")
    rev = latest_revision(reply)
    if rev is None:
        raise ValidationError("答复尚未保存。")
    letter = reply.letter
    return review_services.submit(
        user, reply, rev, organisation=letter.organisation,
        title=f"答复来信 {letter.tracking_number}：{mask_text(letter.subject)}",
        precheck=PrecheckInput(title=letter.subject, body_html=display_html(rev.snapshot.get("body") or "")),
    )


def send_reply(reply: Reply, revision: Revision, actor: Any, go_live_at: dt.datetime) -> None:
    """The review engine's publish callback: the approved reply is sent and the letter is answered.

    The writer (and the writers of letters merged into this one) are told by e-mail once the transaction
    commits; the e-mail says where to read the reply, never the reply's text or the secret.
    """
    letter = Letter.objects.select_for_update().get(pk=reply.letter_id)
    reply.body = revision.snapshot.get("body", reply.body)
    reply.sent_at = go_live_at
    reply.save(update_fields=["body", "sent_at"])
    letter.status = Letter.Status.ANSWERED
    letter.answered_at = go_live_at
    save_version(letter, "status", "answered_at")
    public_content_changed()  # same transaction: cached public pages are obsolete from its commit
    record_event(
        actor=actor, action="interaction.letter_answered", obj=letter, organisation_id=letter.organisation_id,
        summary=f"答复来信 {letter.tracking_number}",
        data={"in_time": not letter.answered_late, "due_on": letter.due_on.isoformat()},
    )
    for each in [letter, *letter.duplicates.all()]:
        if each.writer_email:
            _notify_writer(each)


def _notify_writer(letter: Letter) -> None:
    url = site_of(letter.organisation).absolute(reverse("interact:track"))
    queue_mail(
        [letter.writer_email],
        gettext("您的来信已答复（查询编号 %(number)s）") % {"number": letter.tracking_number},
        gettext(
            "您好！\n\n您于%(at)s写给%(org)s的来信（查询编号 %(number)s）已答复。\n"
            "请凭查询编号和查询密码在以下页面查看答复：\n%(url)s\n\n%(org)s\n（本邮件由系统自动发送，请勿直接回复。）"
        ) % {"at": f"{timezone.localtime(letter.received_at):%Y-%m-%d %H:%M}", "org": letter.organisation.name,
             "number": letter.tracking_number, "url": url},
        kind="interaction.letter_answered", organisation_id=letter.organisation_id,
    )


def record_consent(user: Any, letter: Letter, note: str, *, expected_version: int) -> Letter:
    """Record that the writer agreed to publication (选登同意) when it was obtained after writing."""
    require_editor(user, letter.organisation)
    note = clean_text(note)
    if len(note) < 4:
        raise ValidationError({"consent_note": "请写明来信人同意选登的方式和时间（至少4个字）。"})
    with transaction.atomic():
        letter = lock_version_of(letter, expected_version, message=_LETTER_CONFLICT)
        letter.consent_to_publish = True
        letter.consent_note = note[:200]
        save_version(letter, "consent_to_publish", "consent_note")
        record_event(
            actor=user, action="interaction.consent_recorded", obj=letter, organisation_id=letter.organisation_id,
            summary=f"记录选登同意 {letter.tracking_number}",
        )
    return letter


def _scrub_writer(text: str, letter: Letter) -> str:
    """Mask the writer's own name, e-mail and phone where they appear, then every other piece of personal data."""
    name = letter.writer_name.strip()
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    for value in (letter.writer_email, letter.writer_phone):
        if value and len(value) >= 5:
            text = text.replace(value, "***")
    return mask_text(text)


def suggested_public_version(letter: Letter) -> dict[str, str]:
    """The starting point for 选登: subject, letter and reply with the personal data masked."""
    reply = selectors.current_reply(letter)
    return {
        "public_subject": letter.public_subject or _scrub_writer(letter.subject, letter),
        "public_question": letter.public_question or _scrub_writer(letter.body, letter),
        "public_answer": letter.public_answer or (
            _scrub_writer(html_to_text(display_html(reply.body)), letter) if reply and reply.sent_at else ""
        ),
    }


def personal_data_problems(letter: Letter, texts: dict[str, str]) -> dict[str, str]:
    """Personal data still present in the public texts, by field, described without the values themselves."""
    problems: dict[str, str] = {}
    name = letter.writer_name.strip()
    for field, text in texts.items():
        kinds = sorted({f.label for f in find_personal_data(text)})
        if len(name) >= 2 and name in text:
            kinds.append("来信人姓名")
        for value, label in ((letter.writer_email, "来信人邮箱"), (letter.writer_phone, "来信人电话")):
            if value and len(value) >= 5 and value in text:
                kinds.append(label)
        if kinds:
            problems[field] = "公开内容中仍含有个人信息（" + "、".join(dict.fromkeys(kinds)) + "），请删除或打码后再选登。"
    return problems


def publish_letter(
    user: Any,
    letter: Letter,
    *,
    public_subject: str,
    public_question: str,
    public_answer: str,
    expected_version: int,
) -> Letter:
    """选登: put an answered letter and its reply on the portal, with both timestamps.

    Needs the writer's recorded consent and a public version free of personal data: the writer's own name,
    e-mail and phone and whatever `core.personal_data` finds are refused, field by field.
    """
    require_editor(user, letter.organisation)
    texts = {
        "public_subject": clean_text(public_subject),
        "public_question": clean_text(public_question),
        "public_answer": clean_text(public_answer),
    }
    errors = {f: "请填写公开内容。" for f, v in texts.items() if not v}
    if len(texts["public_subject"]) > SUBJECT_MAX:
        errors["public_subject"] = f"公开标题最多{SUBJECT_MAX}个字。"
    errors.update({k: v for k, v in personal_data_problems(letter, texts).items() if k not in errors})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        letter = lock_version_of(letter, expected_version, message=_LETTER_CONFLICT)
        if letter.status != Letter.Status.ANSWERED:
            raise ValidationError("只有已答复的来信可以选登。")
        if not letter.consent_to_publish:
            raise ValidationError("来信人未同意公开，不能选登。如已取得同意，请先记录同意情况。")
        letter.public_subject = texts["public_subject"]
        letter.public_question = texts["public_question"]
        letter.public_answer = texts["public_answer"]
        first = letter.published_at is None
        letter.published_at = letter.published_at or timezone.now()
        save_version(letter, "public_subject", "public_question", "public_answer", "published_at")
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(
            actor=user, action="interaction.letter_published" if first else "interaction.letter_public_edited",
            obj=letter, organisation_id=letter.organisation_id, summary=f"选登来信 {letter.tracking_number}",
        )
    return letter


def unpublish_letter(user: Any, letter: Letter, reason: str, *, expected_version: int) -> Letter:
    """撤下: take a published letter off the portal, with a reason."""
    require_editor(user, letter.organisation)
    reason = clean_text(reason)
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写撤下理由（至少4个字）。"})
    with transaction.atomic():
        letter = lock_version_of(letter, expected_version, message=_LETTER_CONFLICT)
        if letter.published_at is None:
            raise ValidationError("该来信未选登。")
        letter.published_at = None
        save_version(letter, "published_at")
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(
            actor=user, action="interaction.letter_unpublished", obj=letter, organisation_id=letter.organisation_id,
            summary=f"撤下选登 {letter.tracking_number}", data={"reason": mask_text(reason)[:200]},
        )
    return letter


def merge_letter(user: Any, letter: Letter, into: Letter, reason: str, *, expected_version: int) -> Letter:
    """合并重复来信: the letter is answered with `into`; its writer is notified when `into` is answered."""
    require_editor(user, letter.organisation)
    reason = clean_text(reason)
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写合并理由（至少4个字）。"})
    if into.pk == letter.pk:
        raise ValidationError({"into": "不能合并到来信本身。"})
    if into.organisation_id != letter.organisation_id:
        raise ValidationError({"into": "只能合并到本机构的来信。"})
    if into.status in (Letter.Status.MERGED, Letter.Status.CLOSED):
        raise ValidationError({"into": f"来信 {into.tracking_number} 已合并或关闭，请合并到主办来信。"})
    with transaction.atomic():
        letter = lock_version_of(letter, expected_version, message=_LETTER_CONFLICT)
        if not letter.is_open:
            raise ValidationError("该来信已办结，不能合并。")
        if letter.duplicates.exists():
            raise ValidationError("已有其他来信合并到本件，请将本件作为主办来信。")
        letter.status = Letter.Status.MERGED
        letter.merged_into = into
        letter.closed_reason = reason[:300]
        letter.closed_at = timezone.now()
        save_version(letter, "status", "merged_into", "closed_reason", "closed_at")
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(
            actor=user, action="interaction.letter_merged", obj=letter, organisation_id=letter.organisation_id,
            summary=f"来信 {letter.tracking_number} 合并至 {into.tracking_number}", data={"into": into.pk},
        )
    return letter


def close_letter(user: Any, letter: Letter, reason: str, *, expected_version: int) -> Letter:
    """关闭: an abusive, empty or misdirected letter is closed without a reply, with a reason the writer sees."""
    require_editor(user, letter.organisation)
    reason = clean_text(reason)
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写关闭理由（至少4个字），来信人查询时可以看到。"})
    with transaction.atomic():
        letter = lock_version_of(letter, expected_version, message=_LETTER_CONFLICT)
        if not letter.is_open:
            raise ValidationError("该来信已办结，不能关闭。")
        if selectors.reply_in_review(letter):
            raise ValidationError("该来信的答复正在审核中，请先撤回送审。")
        letter.status = Letter.Status.CLOSED
        letter.closed_reason = reason[:300]
        letter.closed_at = timezone.now()
        save_version(letter, "status", "closed_reason", "closed_at")
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(
            actor=user, action="interaction.letter_closed", obj=letter, organisation_id=letter.organisation_id,
            summary=f"关闭来信 {letter.tracking_number}", data={"reason": mask_text(reason)[:200]},
        )
    return letter


def send_due_reminders(*, today: dt.date | None = None) -> int:
    """提醒: e-mail the handler (or, when unassigned, the organisation's editors) of each open letter whose limit
    is within its organisation's reminder lead time. Each letter is reminded once. Returns the e-mails sent."""
    today = today or timezone.localdate()
    cal = working_calendar()
    lead = {s.organisation_id: s.reminder_days for s in MailboxSettings.objects.all()}
    sent = 0
    for letter in Letter.objects.filter(status__in=Letter.OPEN_STATUSES, reminded_on__isnull=True).select_related(
        "organisation", "assigned_to"
    ):
        days = lead.get(letter.organisation_id, DEFAULT_REMINDER_DAYS)
        if cal.add_working_days(today, days) < letter.due_on:
            continue
        if letter.assigned_to is not None and letter.assigned_to.email:
            to = [letter.assigned_to.email]
        else:
            to = sorted({
                m.user.email for m in Membership.objects.filter(
                    organisation=letter.organisation, role__in=[Role.EDITOR, Role.ADMIN]
                ).select_related("user") if m.user.email
            })
        if not to:
            continue
        url = settings.SITE_URL + reverse("ws_interaction:letter", kwargs={"pk": letter.pk})
        with transaction.atomic():
            if not Letter.objects.filter(pk=letter.pk, reminded_on__isnull=True).update(reminded_on=today):
                continue
            overdue = letter.due_on < today
            record_event(
                actor=None, action="interaction.reminder_sent", obj=letter, organisation_id=letter.organisation_id,
                summary=f"{'超期' if overdue else '到期'}提醒 {letter.tracking_number}",
            )
            state = gettext("已超期") if overdue else gettext("即将到期")
            queue_mail(
                to,
                gettext("[局长信箱] 来信%(state)s：%(number)s") % {"state": state, "number": letter.tracking_number},
                gettext("来信 %(number)s（%(subject)s）的答复期限为 %(due)s，%(state)s，请及时办理：\n%(url)s\n") % {
                    "number": letter.tracking_number, "subject": mask_text(letter.subject), "due": f"{letter.due_on:%Y-%m-%d}",
                    "state": state, "url": url},
                kind="interaction.reminder", organisation_id=letter.organisation_id,
            )
        sent += 1
    return sent


