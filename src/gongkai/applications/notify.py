"""E-mail to applicants (each step) and to staff (deadline reminders), sent after the transaction commits.

Mail never carries the applicant's identity number or phone; it names the application by its number.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


def track_url() -> str:
    return settings.SITE_URL + reverse("apply:track")


def _send(subject: str, body: str, recipients: list[str], connection: Any) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False, connection=connection)
    except Exception:  # a mail server being down must not undo a recorded step
        logger.exception("mail about an application could not be sent")


def mail_after_commit(subject: str, body: str, recipients: Iterable[str]) -> None:
    to = sorted({r for r in recipients if r})
    if not to:
        return
    # The back end is chosen now, not at commit: whoever scheduled the mail (the demo muting it) decides.
    connection = get_connection()
    transaction.on_commit(lambda: _send(subject, body, to, connection))


def applicant_message(number: str, organisation: str, step: str, detail: str, *, secret: str = "") -> tuple[str, str]:
    """Subject and body of the mail telling an applicant about one step of application `number`."""
    subject = gettext("【%(org)s】政府信息公开申请 %(number)s：%(step)s") % {
        "org": organisation, "number": number, "step": step}
    lines = [
        gettext("您好："),
        "",
        gettext("您向%(org)s提出的政府信息公开申请（编号 %(number)s）有新的办理进展：%(step)s。") % {
            "org": organisation, "number": number, "step": step},
    ]
    if detail:
        lines += ["", detail]
    lines += ["", gettext("查询办理进度：%(url)s") % {"url": track_url()}, gettext("申请编号：%(number)s") % {"number": number}]
    if secret:
        lines.append(gettext("查询密码：%(secret)s（请妥善保管，本机关不会再次发送）") % {"secret": secret})
    lines += ["", gettext("此邮件由系统自动发送，请勿直接回复。")]
    return subject, "\n".join(lines)
