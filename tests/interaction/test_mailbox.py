"""The director's mailbox: writing, deadlines, review, reply, 选登, merge and close, reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.concurrency import ConflictError
from gongkai.core.models import AuditEvent, OutgoingMail
from gongkai.core.ratelimit import RateLimited
from gongkai.interaction import selectors, services
from gongkai.interaction.models import Letter
from gongkai.review.models import Submission
from tests.interaction.factories import Staff, answer, approve_all, letter_input

pytestmark = pytest.mark.django_db

Writer = Callable[..., tuple[Letter, str]]


def test_letter_gets_tracking_number_secret_and_working_day_limit(staff: Staff, write_letter: Writer) -> None:
    received = dt.datetime(2024, 9, 27, 10, 0, tzinfo=dt.UTC)  # Friday before the National Day holiday
    letter, secret = write_letter(staff.org, now=received)
    assert letter.tracking_number == "KJJ-2024-00001"
    assert secret and secret not in letter.secret_hash
    # 10 working days after 2024-09-27 across 国庆 (10-01..10-07 off, 09-29 and 10-12 worked): 2024-10-16.
    assert letter.due_on == working_calendar().add_working_days(dt.date(2024, 9, 27), 10)
    assert letter.due_on == dt.date(2024, 10, 16)
    second, _ = write_letter(staff.org, now=received)
    assert second.tracking_number == "KJJ-2024-00002"
    assert services.authenticate_letter(letter.tracking_number.lower(), secret, address="192.0.2.1") == letter
    assert services.authenticate_letter(letter.tracking_number, secret.lower().replace("-", " "),
                                        address="192.0.2.1") == letter
    assert services.authenticate_letter(letter.tracking_number, secret + "x", address="192.0.2.1") is None


def test_reply_limit_is_configurable_per_organisation(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org, now=dt.datetime(2024, 3, 4, 2, 0, tzinfo=dt.UTC))  # Monday
    services.set_mailbox_settings(staff.admin, staff.org, reply_days=5, reminder_days=1)
    letter.refresh_from_db()
    assert letter.due_on == dt.date(2024, 3, 11)
    with pytest.raises(PermissionDenied):
        services.set_mailbox_settings(staff.editor, staff.org, reply_days=7, reminder_days=1)
    with pytest.raises(ValidationError):
        services.set_mailbox_settings(staff.admin, staff.org, reply_days=3, reminder_days=3)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "题" * 101}, "subject"),
        ({"body": "字" * 5001}, "body"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"kind": "praise"}, "kind"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_bad_letters_are_refused_field_by_field(staff: Staff, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.submit_letter(staff.org, letter_input(**overrides), address="10.1.1.1")
    assert field in exc.value.message_dict
    assert Letter.objects.count() == 0


def test_oversized_text_error_says_how_long_it_is(staff: Staff) -> None:
    with pytest.raises(ValidationError) as exc:
        services.submit_letter(staff.org, letter_input(body="长" * 6000), address="10.1.1.1")
    assert "6000" in exc.value.message_dict["body"][0]


def test_rate_limit_per_address(staff: Staff, settings: Any) -> None:
    settings.GONGKAI_LETTERS_PER_HOUR = 3
    now = timezone.now()
    for _ in range(3):
        services.submit_letter(staff.org, letter_input(), address="192.0.2.7", now=now)
    with pytest.raises(RateLimited):
        services.submit_letter(staff.org, letter_input(), address="192.0.2.7", now=now)
    services.submit_letter(staff.org, letter_input(), address="192.0.2.8", now=now)  # another address
    assert Letter.objects.count() == 4
    assert not Letter.objects.filter(address_hash__contains="192.0.2").exists()


def test_audit_trail_holds_no_personal_data(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org)
    answer(staff, letter)
    for event in AuditEvent.objects.all():
        text = event.summary + str(event.data)
        assert "王小明" not in text
        assert "13812345678" not in text
        assert "xiaoming@example.test" not in text


def test_reply_goes_through_review_then_reaches_the_writer(
    staff: Staff, write_letter: Writer, django_capture_on_commit_callbacks: Any
) -> None:
    letter, _ = write_letter(staff.org)
    reply = services.save_reply(staff.editor, letter, "您好！请关注我局通知。", expected_version=None)
    submission = services.submit_reply(staff.editor, reply)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ASSIGNED and letter.answered_at is None
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(staff, submission)
    letter.refresh_from_db()
    reply.refresh_from_db()
    assert letter.status == Letter.Status.ANSWERED
    assert reply.sent_at is not None and letter.answered_at == reply.sent_at
    to_writer = [m for m in mail.outbox if "xiaoming@example.test" in m.to]  # staff get review mail too
    assert len(to_writer) == 1
    message = to_writer[0]
    assert message.to == ["xiaoming@example.test"]
    assert letter.tracking_number in message.subject
    assert "请关注我局通知" not in message.body  # the reply itself is read with the secret, not by e-mail


def test_personal_data_in_reply_blocks_secrecy_review(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org)
    reply = services.save_reply(staff.editor, letter, "已电话联系您（13812345678）。", expected_version=None)
    submission = services.submit_reply(staff.editor, reply)
    assert submission.findings.filter(kind="personal_data").exists() or submission.findings.exists()
    with pytest.raises(ValidationError):
        approve_all(staff, submission)
    letter.refresh_from_db()
    assert letter.status != Letter.Status.ANSWERED


def test_second_of_two_concurrent_reply_edits_is_refused(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org)
    reply = services.save_reply(staff.editor, letter, "初稿", expected_version=None)
    seen = reply.lock_version
    services.save_reply(staff.editor, letter, "修改一", expected_version=seen)
    with pytest.raises(ConflictError):
        services.save_reply(staff.admin, letter, "修改二", expected_version=seen)
    reply.refresh_from_db()
    assert reply.body == "<p>修改一</p>"  # stored as the editor writes it: rich text
    with pytest.raises(ConflictError):  # somebody else drafted meanwhile
        services.save_reply(staff.admin, letter, "另起一稿", expected_version=None)


def test_editing_a_reply_in_review_is_refused(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org)
    reply = services.save_reply(staff.editor, letter, "初稿", expected_version=None)
    services.submit_reply(staff.editor, reply)
    reply.refresh_from_db()
    with pytest.raises(ValidationError, match="审核中"):
        services.save_reply(staff.editor, letter, "改", expected_version=reply.lock_version)


def test_publish_needs_consent_and_refuses_personal_data(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org, consent_to_publish=False)
    answer(staff, letter, "王小明您好！申报时间为每年5月。")
    letter.refresh_from_db()
    suggestion = services.suggested_public_version(letter)
    assert "王小明" not in suggestion["public_question"] and "王**" in suggestion["public_question"]
    assert "13812345678" not in suggestion["public_question"]
    assert "王小明" not in suggestion["public_answer"]
    with pytest.raises(ValidationError, match="未同意"):
        services.publish_letter(staff.editor, letter, expected_version=letter.lock_version, **suggestion)
    letter.refresh_from_db()
    services.record_consent(staff.editor, letter, "2024年5月6日电话征得同意", expected_version=letter.lock_version)
    letter.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.publish_letter(
            staff.editor, letter, expected_version=letter.lock_version,
            public_subject="咨询", public_question="王小明问：联系电话13900001111", public_answer="答复",
        )
    assert "public_question" in exc.value.message_dict
    assert "13900001111" not in exc.value.message_dict["public_question"][0]
    services.publish_letter(staff.editor, letter, expected_version=letter.lock_version, **suggestion)
    assert selectors.published_letter(letter.pk) == letter


def test_only_answered_letters_are_published(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org)
    with pytest.raises(ValidationError, match="已答复"):
        services.publish_letter(staff.editor, letter, expected_version=letter.lock_version,
                                public_subject="题", public_question="问", public_answer="答")
    assert selectors.published_letters().count() == 0


def test_merge_duplicates_and_notify_both_writers(
    staff: Staff, write_letter: Writer, django_capture_on_commit_callbacks: Any
) -> None:
    main, _ = write_letter(staff.org)
    dup, dup_secret = write_letter(staff.org, email="other@example.test", name="李四")
    services.merge_letter(staff.editor, dup, main, "内容与主办来信相同", expected_version=dup.lock_version)
    dup.refresh_from_db()
    assert dup.status == Letter.Status.MERGED and dup.merged_into == main
    with pytest.raises(ValidationError):
        services.merge_letter(staff.editor, main, dup, "反向合并", expected_version=main.lock_version)
    with django_capture_on_commit_callbacks(execute=True):
        reply = answer(staff, main)
    writers = [m.to[0] for m in mail.outbox if not m.subject.startswith("【")]  # not the review mail to staff
    assert sorted(writers) == ["other@example.test", "xiaoming@example.test"]
    found = services.authenticate_letter(dup.tracking_number, dup_secret, address="192.0.2.1")
    assert found is not None and selectors.sent_reply(found) == reply


def test_close_abusive_letter_with_reason(staff: Staff, write_letter: Writer) -> None:
    letter, secret = write_letter(staff.org)
    with pytest.raises(ValidationError):
        services.close_letter(staff.editor, letter, "", expected_version=letter.lock_version)
    services.close_letter(staff.editor, letter, "含有辱骂内容", expected_version=letter.lock_version)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CLOSED and letter.closed_reason == "含有辱骂内容"
    with pytest.raises(ConflictError):  # a stale page
        services.close_letter(staff.editor, letter, "再次关闭", expected_version=letter.lock_version - 1)


def test_outsiders_cannot_handle_letters(staff: Staff, make_org: Callable[..., Staff], write_letter: Writer) -> None:
    other = make_org("other", "其他局")
    letter, _ = write_letter(staff.org)
    with pytest.raises(PermissionDenied):
        services.save_reply(other.editor, letter, "答复", expected_version=None)
    with pytest.raises(PermissionDenied):
        services.close_letter(other.editor, letter, "无理由关闭", expected_version=letter.lock_version)
    with pytest.raises(ValidationError):
        services.assign_letter(staff.editor, letter, other.editor, expected_version=letter.lock_version)
    services.assign_letter(staff.editor, letter, staff.admin, expected_version=letter.lock_version)
    letter.refresh_from_db()
    assert letter.assigned_to == staff.admin and letter.status == Letter.Status.ASSIGNED


def test_reminders_before_the_limit_once(staff: Staff, write_letter: Writer,
                                         django_capture_on_commit_callbacks: Any) -> None:
    letter, _ = write_letter(staff.org, now=dt.datetime(2024, 3, 4, 2, 0, tzinfo=dt.UTC))  # due 2024-03-18
    services.assign_letter(staff.editor, letter, staff.editor, expected_version=letter.lock_version)
    assert letter.due_on == dt.date(2024, 3, 18)
    assert services.send_due_reminders(today=dt.date(2024, 3, 13)) == 0  # 3 working days left
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(today=dt.date(2024, 3, 14)) == 1  # 2 working days left
    assert mail.outbox[-1].to == [staff.editor.email]
    assert letter.tracking_number in mail.outbox[-1].subject
    assert services.send_due_reminders(today=dt.date(2024, 3, 15)) == 0


def test_calendar_change_moves_open_deadlines(staff: Staff, write_letter: Writer, make_user: Callable[..., Any]) -> None:
    from gongkai.core import calendar_services
    from gongkai.core.calendar import OverrideKind

    letter, _ = write_letter(staff.org, now=dt.datetime(2024, 3, 4, 2, 0, tzinfo=dt.UTC))
    assert letter.due_on == dt.date(2024, 3, 18)
    root = make_user("calroot", is_superuser=True)
    calendar_services.set_override(root, dt.date(2024, 3, 12), OverrideKind.HOLIDAY, name="测试放假")
    letter.refresh_from_db()
    assert letter.due_on == dt.date(2024, 3, 19)


def test_figures_for_the_report(staff: Staff, write_letter: Writer) -> None:
    cal_start = dt.datetime(2024, 3, 4, 2, 0, tzinfo=dt.UTC)
    in_time, _ = write_letter(staff.org, now=cal_start)
    late, _ = write_letter(staff.org, now=cal_start)
    unanswered, _ = write_letter(staff.org, now=cal_start)
    closed, _ = write_letter(staff.org, now=cal_start)
    write_letter(staff.org, now=dt.datetime(2025, 1, 6, 2, 0, tzinfo=dt.UTC))  # another year
    services.close_letter(staff.editor, closed, "无实质内容", expected_version=closed.lock_version)
    Letter.objects.filter(pk=in_time.pk).update(status=Letter.Status.ANSWERED,
                                                answered_at=dt.datetime(2024, 3, 8, 2, 0, tzinfo=dt.UTC))
    Letter.objects.filter(pk=late.pk).update(status=Letter.Status.ANSWERED, published_at=timezone.now(),
                                             answered_at=dt.datetime(2024, 3, 22, 2, 0, tzinfo=dt.UTC))
    figures = selectors.mailbox_figures([staff.org.pk], dt.date(2024, 1, 1), dt.date(2024, 12, 31),
                                        today=dt.date(2024, 12, 31))
    assert figures.received == 4
    assert figures.valid == 3
    assert figures.answered == 2
    assert figures.answered_in_time == 1
    assert figures.median_reply_days == 9.0  # 4 (Mon→Fri) and 14 (Mon→Fri two weeks later) working days
    assert figures.published == 1
    assert figures.closed == 1
    assert figures.long_unanswered == 1  # the unanswered March letter; the 2025 one is not yet written
    assert list(selectors.long_unanswered_letters([staff.org.pk], today=dt.date(2024, 6, 5))) == [unanswered]
    assert list(selectors.long_unanswered_letters([staff.org.pk], today=dt.date(2024, 6, 4))) == []  # exactly three months is not more


def test_inbox_orders_by_urgency(staff: Staff, write_letter: Writer) -> None:
    old, _ = write_letter(staff.org, now=dt.datetime(2024, 3, 4, 2, 0, tzinfo=dt.UTC))
    new, _ = write_letter(staff.org, now=dt.datetime(2024, 3, 11, 2, 0, tzinfo=dt.UTC))
    done, _ = write_letter(staff.org, now=dt.datetime(2024, 2, 1, 2, 0, tzinfo=dt.UTC))
    services.close_letter(staff.editor, done, "无实质内容", expected_version=done.lock_version)
    assert list(selectors.inbox(staff.editor, state="all")) == [old, new, done]
    assert list(selectors.inbox(staff.editor, state="overdue", today=dt.date(2024, 3, 19))) == [old]
    assert old.is_overdue(dt.date(2024, 3, 19)) and not new.is_overdue(dt.date(2024, 3, 19))


def test_submission_title_names_the_letter_not_the_writer(staff: Staff, write_letter: Writer) -> None:
    letter, _ = write_letter(staff.org)
    reply = services.save_reply(staff.editor, letter, "答复", expected_version=None)
    services.submit_reply(staff.editor, reply)
    sub = Submission.objects.get()
    assert letter.tracking_number in sub.title and "王小明" not in sub.title


def test_reminder_command(staff: Staff, write_letter: Writer, django_capture_on_commit_callbacks: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    letter, _ = write_letter(staff.org, now=timezone.now() - dt.timedelta(days=30))  # long overdue
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mailbox-reminders", stdout=out)
    assert "1" in out.getvalue()
    assert letter.tracking_number in mail.outbox[0].subject and "已超期" in mail.outbox[0].subject
    assert sorted(mail.outbox[0].to) == sorted([staff.editor.email, staff.admin.email])


def test_the_old_command_name_still_works(staff: Staff) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("mailbox_reminders", stdout=out)
    assert "已发送到期提醒 0 封" in out.getvalue()


def test_writer_with_an_email_gets_number_and_secret_after_commit(
    staff: Staff, django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter, secret = services.submit_letter(staff.org, letter_input(email="xiaoming@example.test"))
    assert mail.outbox == []  # queued with the letter, delivered only once it is stored
    queued = OutgoingMail.objects.get()
    assert queued.recipients == ["xiaoming@example.test"] and queued.organisation_id == staff.org.pk
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == ["xiaoming@example.test"]
    assert letter.tracking_number in receipt.subject
    assert letter.tracking_number in receipt.body and secret in receipt.body
    assert "/interact/track/" in receipt.body
    queued.refresh_from_db()
    assert secret not in queued.body  # what is kept after delivery is masked


def test_writer_without_an_email_gets_no_mail(staff: Staff, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_letter(staff.org, letter_input(email="", phone="13812345678"))
    assert mail.outbox == [] and not OutgoingMail.objects.exists()
