"""E-mail to applicants (each step) and to staff (deadline reminders), queued in the step's transaction.

Mail never carries the applicant's identity number or phone; it names the application by its number.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext

from gongkai.core.mail import queue_mail
from gongkai.orgs.models import Organisation
from gongkai.sites.selectors import site_of


def track_url(organisation: Organisation) -> str:
    """The tracking page on the site of the organisation applied to (its address, as the applicant knows it)."""
    return site_of(organisation).absolute(reverse("apply:track"))


def mail(subject: str, body: str, recipients: Iterable[str], *, kind: str, organisation_id: int | None) -> None:
    queue_mail(recipients, subject, body, kind=f"applications.{kind}", organisation_id=organisation_id)


def applicant_message(
    number: str, organisation: Organisation, step: str, detail: str, *, secret: str = "") -> tuple[str, str]:
    """Subject and body of the mail telling an applicant about one step of application `number`."""
    name = organisation.name
    subject = gettext("【%(org)s】政府信息公开申请 %(number)s：%(step)s") % {
        "org": name, "number": number, "step": step}
    lines = [
        gettext("您好："),
        "",
        gettext("您向%(org)s提出的政府信息公开申请（编号 %(number)s）有新的办理进展：%(step)s。") % {
            "org": name, "number": number, "step": step},
    ]
    if detail:
        lines += ["", detail]
    lines += ["", gettext("查询办理进度：%(url)s") % {"url": track_url(organisation)}, gettext("申请编号：%(number)s") % {"number": number}]
    if secret:
        lines.append(gettext("查询密码：%(secret)s（请妥善保管，本机关不会再次发送）") % {"secret": secret})
    lines += ["", gettext("此邮件由系统自动发送，请勿直接回复。")]
    return subject, "\n".join(lines)
