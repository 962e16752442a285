"""Mail queued with the change it tells about, delivered by the worker, retried, masked when printed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from gongkai.core import mail
from gongkai.core.models import OutgoingMail
from gongkai.core.secrets import new_tracking_secret


def test_mail_waits_for_the_commit_and_is_delivered_once(db: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail.queue_mail(["a@example.test", "a@example.test", "", "b@example.test"], "主题", "正文",
                                 kind="test", organisation_id=7)
        assert queued is not None and django_mail.outbox == []  # nothing leaves before the commit
    assert len(django_mail.outbox) == 1 and django_mail.outbox[0].to == ["a@example.test", "b@example.test"]
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT and queued.attempts == 1 and queued.sent_at is not None
    assert mail.deliver(queued.pk) == "not due"  # a second worker finds nothing to do
    assert len(django_mail.outbox) == 1


def test_a_rolled_back_change_sends_nothing(db: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                mail.queue_mail(["a@example.test"], "主题", "正文")
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
    assert callbacks == [] and not OutgoingMail.objects.exists() and django_mail.outbox == []


def test_nobody_to_write_to_or_suppressed(db: None) -> None:
    assert mail.queue_mail(["", "  "], "主题", "正文") is None
    with mail.suppressed():
        assert mail.queue_mail(["a@example.test"], "主题", "正文") is None
    assert not OutgoingMail.objects.exists()


class _Broken:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[EmailMessage]) -> int:
        raise ConnectionRefusedError("smtp down for 13812345678")


def test_failures_are_retried_then_marked_failed(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    queued = mail.queue_mail(["a@example.test"], "主题", "正文")
    assert queued is not None
    monkeypatch.setattr(mail, "get_connection", lambda: _Broken())
    assert mail.deliver(queued.pk) == "retry"
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.QUEUED and queued.attempts == 1
    assert queued.next_attempt_at is not None and queued.next_attempt_at > timezone.now()
    assert "13812345678" not in queued.last_error and "ConnectionRefusedError" in queued.last_error
    assert mail.deliver(queued.pk) == "not due"  # waits for its retry time
    for _ in mail.RETRY_DELAYS:
        OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        outcome = mail.deliver(queued.pk)
    assert outcome == "failed"
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.FAILED and queued.attempts == len(mail.RETRY_DELAYS) + 1
    monkeypatch.undo()
    assert mail.retry_failed([queued.pk]) == 1
    assert mail.deliver_due() == "1 sent, 0 failed"


def test_a_claimed_mail_is_not_sent_twice(db: None) -> None:
    queued = mail.queue_mail(["a@example.test"], "主题", "正文")
    assert queued is not None
    now = timezone.now()
    assert mail._claim(queued.pk, now) is True
    assert mail._claim(queued.pk, now) is False  # another worker, during the lease
    assert mail._claim(queued.pk, now + mail.LEASE + dt.timedelta(seconds=1)) is True  # the first one died


def test_delivered_mail_keeps_no_secret(db: None) -> None:
    secret = new_tracking_secret()
    queued = mail.queue_mail(["a@example.test"], "申请已收到", f"查询密码：{secret}，电话 13812345678")
    assert queued is not None
    mail.deliver(queued.pk)
    queued.refresh_from_db()
    assert secret not in queued.body and "13812345678" not in queued.body
    assert secret in django_mail.outbox[0].body  # the recipient got it


def test_console_backend_masks_personal_data_and_secrets() -> None:
    secret = new_tracking_secret()
    out = io.StringIO()
    backend = mail.ConsoleBackend(stream=out)
    message = EmailMessage("来信已答复", f"密码 {secret}\n身份证 11010519491231002X\n手机 13812345678",
                           "gongkai@example.test", ["zhang.san@example.org"])
    assert backend.send_messages([message]) == 1
    printed = out.getvalue()
    for raw in (secret, "11010519491231002X", "13812345678", "zhang.san@example.org"):
        assert raw not in printed
    assert "来信已答复" in printed
