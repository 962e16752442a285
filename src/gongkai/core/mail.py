"""Mail (邮件): queued in the transaction of the change it tells about, delivered by the background worker.

`queue_mail` writes an `OutgoingMail` row inside the caller's transaction, so a change and its mail are stored
together or not at all, and asks the task queue to deliver it once that transaction commits. No web request
ever waits for a mail server. A failed delivery is retried with growing delays (`RETRY_DELAYS`), then marked
failed; administrators see both in the admin. The periodic job `core.mail` delivers whatever the queue did
not (a worker that was down, a retry that is due).

Delivery claims a row with a lease (one conditional UPDATE), sends outside any transaction, then records the
outcome: a mail is sent at least once, and only once unless a worker dies between sending and recording.
Once delivered, the stored body is masked (`core.masking.mask_output`): tracking secrets and personal data are
kept only as long as they are needed.

`ConsoleBackend`, the default back end, prints mail for operators with personal data and secrets masked.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .masking import mask_output
from .models import OutgoingMail

logger = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, … failed attempt; after the last one the mail is marked failed.
RETRY_DELAYS: Sequence[int] = (60, 300, 1800, 7200, 43200)
# How long a worker may take to deliver a claimed mail before another worker may try it again.
LEASE = dt.timedelta(minutes=10)
BATCH = 200

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar("gongkai_mail_suppressed", default=False)


@contextmanager
def suppressed() -> Iterator[None]:
    """No mail is queued inside this block (the demo's made-up history must not mail anyone)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def queue_mail(
    recipients: Iterable[str], subject: str, body: str, *, kind: str = "", organisation_id: int | None = None,
) -> OutgoingMail | None:
    """Queue one mail to `recipients` (blank addresses dropped, duplicates merged); None when nobody is left."""
    to = sorted({r.strip() for r in recipients if r and r.strip()})
    if not to or _suppressed.get():
        return None
    mail = OutgoingMail.objects.create(
        kind=kind[:64], organisation_id=organisation_id, recipients=to, subject=subject[:300], body=body,
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int) -> None:
    try:
        deliver_mail.enqueue(mail_id)
    except Exception:  # the periodic job delivers it instead
        logger.exception("could not queue the delivery of mail %s", mail_id)


@task()
def deliver_mail(mail_id: int) -> str:
    """The task the worker runs for one queued mail."""
    return deliver(mail_id)


def _claim(mail_id: int, now: dt.datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = OutgoingMail.objects.filter(due, pk=mail_id, status=OutgoingMail.Status.QUEUED).update(
        next_attempt_at=now + LEASE
    )
    return bool(claimed)


def deliver(mail_id: int) -> str:
    """Send one queued mail if it is due and nobody else is sending it; record the outcome."""
    now = timezone.now()
    if not _claim(mail_id, now):
        return "not due"
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, mail.recipients)
    attempts = mail.attempts + 1
    try:
        get_connection().send_messages([message])
    except Exception as exc:
        failed = attempts > len(RETRY_DELAYS)
        OutgoingMail.objects.filter(pk=mail_id).update(
            attempts=attempts,
            status=OutgoingMail.Status.FAILED if failed else OutgoingMail.Status.QUEUED,
            next_attempt_at=None if failed else timezone.now() + dt.timedelta(seconds=RETRY_DELAYS[attempts - 1]),
            last_error=mask_output(f"{type(exc).__name__}: {exc}")[:500],
        )
        logger.warning("mail %s (%s) not delivered, attempt %d: %s", mail_id, mail.kind, attempts, type(exc).__name__)
        return "failed" if failed else "retry"
    OutgoingMail.objects.filter(pk=mail_id).update(
        attempts=attempts, status=OutgoingMail.Status.SENT, sent_at=timezone.now(), next_attempt_at=None,
        last_error="", body=mask_output(mail.body),
    )
    return "sent"


def deliver_due(now: dt.datetime | None = None) -> str:
    """The periodic job: deliver queued mail that is due (in creation order, at most BATCH a run)."""
    now = now or timezone.now()
    due = (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)) & Q(status=OutgoingMail.Status.QUEUED)
    ids = list(OutgoingMail.objects.filter(due).order_by("created_at", "id").values_list("pk", flat=True)[:BATCH])
    outcomes = [deliver(pk) for pk in ids]
    return f"{outcomes.count('sent')} sent, {outcomes.count('retry') + outcomes.count('failed')} failed"


def retry_failed(mail_ids: Iterable[int]) -> int:
    """Put failed mails back in the queue (an administrator's action after fixing the mail server)."""
    return OutgoingMail.objects.filter(pk__in=list(mail_ids), status=OutgoingMail.Status.FAILED).update(
        status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=None, last_error=""
    )


class ConsoleBackend(BaseEmailBackend):
    """Prints each mail (sender, recipients, subject, text) with personal data and tracking secrets masked:
    for development and for operators who have no mail server yet. Never a copy of what the recipient got."""

    def __init__(self, *args: Any, stream: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            text = "\n".join([
                f"From: {message.from_email}",
                f"To: {', '.join(message.to)}",
                f"Subject: {message.subject}",
                "",
                str(message.body),
                "-" * 79,
                "",
            ])
            self.stream.write(mask_output(text))
        self.stream.flush()
        return len(email_messages)
