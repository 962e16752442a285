"""Services against the database: the whole path, refusals that leave nothing behind, personal data, mail."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfReader

from gongkai.applications import letters, selectors, services
from gongkai.applications.models import Application, ApplicationEvent, EventKind, Fee, Reply, ReplyKind, State
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.calendar_services import set_override
from gongkai.core.concurrency import ConflictError
from gongkai.core.models import AuditEvent
from gongkai.core.ratelimit import RateLimited
from gongkai.orgs.models import Membership, Role
from tests.applications.factories import applicant_input

pytestmark = pytest.mark.django_db


def registered(handler: Any, org: Any, days_ago: int = 30, **overrides: Any) -> Application:
    arrived = services.today() - dt.timedelta(days=days_ago)
    app, _ = services.register_application(handler, org, applicant_input(**overrides), channel="in_person",
                                           arrived_on=arrived)
    return app


def fresh(app: Application) -> Application:
    return Application.objects.get(pk=app.pk)


def test_full_path_with_correction_extension_and_reply(org: Any, handler: Any, head: Any, mailoutbox: list[Any],
                                                        django_capture_on_commit_callbacks: Any) -> None:
    cal = working_calendar()
    with django_capture_on_commit_callbacks(execute=True):
        app, secret = services.submit_online(org, applicant_input(), address="192.0.2.1")
    assert app.number == f"YSQ-mckjj-{app.received_on.year}-00001"
    assert services.authenticate_tracking(app.number, secret.lower(), address="192.0.2.1") == app
    assert services.authenticate_tracking(app.number, "WRONG-SECRET", address="192.0.2.1") is None
    # Online applications are confirmed at once: received today. Move the story into the past for the steps.
    received = services.today() - dt.timedelta(days=40)
    Application.objects.filter(pk=app.pk).update(received_on=received, arrived_on=received)
    ApplicationEvent.objects.filter(application=app).update(on=received)
    app = fresh(app)
    asked = cal.add_working_days(received, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_correction(handler, app, on=asked, items="请写明文件的文号", requires_document=True,
                                    expected_version=app.lock_version)
    app = fresh(app)
    assert app.state == State.AWAITING_CORRECTION and app.due_kind == "correction"
    corrected_on = cal.add_working_days(asked, 3)
    with pytest.raises(ValidationError, match="上传"):
        services.record_correction(handler, app, on=corrected_on, expected_version=app.lock_version)
    upload = SimpleUploadedFile("补正.txt", "文号：明科发〔2024〕3号".encode(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_correction(handler, app, on=corrected_on, documents=[upload], expected_version=app.lock_version)
    app = fresh(app)
    assert app.state == State.PROCESSING and app.due_on == cal.add_working_days(corrected_on, 20)
    assert app.documents.count() == 1
    ext_on = cal.add_working_days(corrected_on, 5)
    with pytest.raises(ValidationError):  # the handler is not the head of the office
        services.extend_deadline(handler, app, on=ext_on, days=10, approved_by=handler, reason="材料较多需要检索",
                                 expected_version=app.lock_version)
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_deadline(handler, app, on=ext_on, days=10, approved_by=head, reason="材料较多需要检索",
                                 expected_version=app.lock_version)
    app = fresh(app)
    assert app.due_on == cal.add_working_days(corrected_on, 30)
    assert app.due_explanation["reply"]["extension_days"] == 10
    reply_on = min(services.today(), cal.add_working_days(ext_on, 2))
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply(handler, app, on=reply_on, kind=ReplyKind.PARTLY_DISCLOSED,
                               content="涉及个人信息的部分已作区分处理。", expected_version=app.lock_version)
    app = fresh(app)
    assert app.state == State.REPLIED and app.replied_on == reply_on and app.reply_kind == ReplyKind.PARTLY_DISCLOSED
    assert "第三十七条" in reply.legal_basis
    # The applicant heard of every step, and never saw their identity number in a mail.
    subjects = [m.subject for m in mailoutbox]
    assert len(subjects) >= 5 and any("补正" in s for s in subjects) and any("延长" in s for s in subjects)
    assert any("已作出答复" in s for s in subjects)
    assert all(applicant_input().id_number not in m.body for m in mailoutbox)
    assert secret in mailoutbox[0].body  # sent once, with the receipt
    # Letters: DOCX and PDF carry the decision, the legal basis and the appeal rights.
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(letters.render_docx(reply.letter))).paragraphs)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letters.render_pdf(reply.letter))).pages)
    for text in (docx_text, pdf_text.replace("\n", "")):
        assert "部分公开" in text and "第三十七条" in text and "60日" in text and "6个月" in text
        assert app.number in text
    services.close(handler, app, on=reply_on, expected_version=fresh(app).lock_version)
    with pytest.raises(ValidationError, match="已办结"):
        services.close(handler, app, on=reply_on, expected_version=fresh(app).lock_version)


def test_refused_step_leaves_nothing_behind(org: Any, handler: Any) -> None:
    app = registered(handler, org)
    before = (ApplicationEvent.objects.count(), AuditEvent.objects.count(), Reply.objects.count())
    with pytest.raises(ValidationError, match="晚于今天"):
        services.reply(handler, app, on=services.today() + dt.timedelta(days=1), kind=ReplyKind.DISCLOSED,
                       expected_version=app.lock_version)
    with pytest.raises(ValidationError, match="早于收到申请之日"):
        services.reply(handler, app, on=app.received_on - dt.timedelta(days=1), kind=ReplyKind.DISCLOSED,
                       expected_version=app.lock_version)
    assert (ApplicationEvent.objects.count(), AuditEvent.objects.count(), Reply.objects.count()) == before
    assert fresh(app).lock_version == app.lock_version


def test_second_save_on_a_stale_page_is_refused(org: Any, handler: Any) -> None:
    app = registered(handler, org)
    stale = app.lock_version
    services.start_consultation(handler, app, on=services.today(), party="third_party", expected_version=stale)
    with pytest.raises(ConflictError, match="已被他人更新"):
        services.reply(handler, app, on=services.today(), kind=ReplyKind.DISCLOSED, expected_version=stale)
    assert not Reply.objects.exists()


def test_another_organisations_staff_are_refused(org: Any, other_org: Any, handler: Any, make_user: Any) -> None:
    app = registered(handler, org)
    outsider = make_user("outsider")
    Membership.objects.create(user=outsider, organisation=other_org, role=Role.EDITOR)
    with pytest.raises(PermissionDenied, match="明川市科学技术局"):
        services.reply(outsider, app, on=services.today(), kind=ReplyKind.DISCLOSED, expected_version=app.lock_version)
    with pytest.raises(PermissionDenied):
        services.register_application(outsider, org, applicant_input(), channel="letter", arrived_on=services.today())
    assert selectors.application_for_staff(outsider, app.pk) is None


def test_bad_applicant_data_is_refused_field_by_field(org: Any, handler: Any) -> None:
    bad = applicant_input(id_number="990105198503070001", phone="", delivery="post", address="")
    with pytest.raises(ValidationError) as info:
        services.register_application(handler, org, bad, channel="in_person", arrived_on=services.today())
    assert {"id_number", "phone", "address"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError, match="确认"):
        services.register_application(handler, org, applicant_input(), channel="fax", arrived_on=services.today())
    assert not Application.objects.exists()


def test_fee_notice_payment_window_and_lapse(org: Any, handler: Any) -> None:
    cal = working_calendar()
    app = registered(handler, org, days_ago=60)
    notice_on = cal.add_working_days(app.received_on, 2)
    fee = services.issue_fee_notice(handler, app, on=notice_on, basis=Fee.Basis.PER_PAGE, quantity=150,
                                    expected_version=app.lock_version)
    assert fee.amount == 1700 and fee.pay_by == cal.add_working_days(notice_on, 20)
    app = fresh(app)
    assert app.state == State.AWAITING_FEE and app.due_on == fee.pay_by
    with pytest.raises(ValidationError, match="尚未届满"):
        services.record_fee_lapsed(handler, app, on=fee.pay_by, expected_version=app.lock_version)
    services.record_fee_lapsed(handler, app, on=cal.add_working_days(fee.pay_by, 1), expected_version=app.lock_version)
    app = fresh(app)
    assert app.reply_kind == ReplyKind.OTHER_FEE_UNPAID and app.reply.letter["paragraphs"]
    assert Fee.objects.get().lapsed_on is not None


def test_calendar_change_recomputes_open_deadlines(org: Any, handler: Any, make_user: Any) -> None:
    app = registered(handler, org, days_ago=2)
    before = app.due_on
    assert before is not None
    admin = make_user("caladmin", is_superuser=True)
    # Declare a working day inside the period a holiday: the deadline moves one working day on.
    day = working_calendar().add_working_days(app.received_on, 5)
    set_override(admin, day, "holiday", name="测试假日")
    app = fresh(app)
    assert app.due_on == working_calendar().add_working_days(app.received_on, 20) and app.due_on > before
    event = app.events.get(kind=EventKind.DEADLINE_RECOMPUTED)
    assert event.data["before"] == before.isoformat()
    assert "测试假日" in app.due_explanation["text"]


def test_personal_data_stays_out_of_audit_and_logs(org: Any, handler: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    data = applicant_input(name="欧阳测试", phone="13800138000")
    app, _ = services.register_application(handler, org, data, channel="in_person", arrived_on=services.today())
    services.reveal_applicant(handler, app)
    texts = [f"{e.summary} {e.data}" for e in AuditEvent.objects.all()] + [r.getMessage() for r in caplog.records]
    for secret_value in (data.id_number, "13800138000", "欧阳测试", "applicant@example.test"):
        assert all(secret_value not in t for t in texts), secret_value
    assert AuditEvent.objects.filter(action="applications.personal_data_viewed").exists()
    masked = selectors.masked_applicant(app.applicant)
    assert masked["name"] == "欧***" and data.id_number not in masked["id_number"]


def test_public_submissions_are_rate_limited_per_address(org: Any) -> None:
    for _ in range(services.SUBMIT_LIMITS[0].count):
        services.submit_online(org, applicant_input(), address="198.51.100.7")
    with pytest.raises(RateLimited, match="频繁"):
        services.submit_online(org, applicant_input(), address="198.51.100.7")
    services.submit_online(org, applicant_input(), address="198.51.100.8")  # another address is not affected
    assert Application.objects.count() == services.SUBMIT_LIMITS[0].count + 1


def test_reminders_go_to_handlers_once_a_day(org: Any, handler: Any, mailoutbox: list[Any],
                                             django_capture_on_commit_callbacks: Any) -> None:
    overdue = registered(handler, org, days_ago=45)
    registered(handler, org, days_ago=0)  # due in four weeks: no reminder
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["handler@example.test"]
    assert overdue.number in mailoutbox[0].body and "已超期" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 0


def test_appeals_need_a_reconsideration_before_litigation_after_it(org: Any, handler: Any) -> None:
    app = registered(handler, org)
    with pytest.raises(ValidationError, match="复议"):
        services.record_appeal(handler, app, kind="litigation_after_reconsideration", filed_on=services.today())
    appeal = services.record_appeal(handler, app, kind="reconsideration", filed_on=services.today())
    with pytest.raises(ValidationError, match="审结日期"):
        services.decide_appeal(handler, appeal, outcome="upheld", decided_on=None, expected_version=appeal.lock_version)
    services.decide_appeal(handler, appeal, outcome="upheld", decided_on=services.today(),
                           expected_version=appeal.lock_version)
    counts = selectors.t4_counts(org, services.today().year)
    assert counts["review_upheld"] == 1 and counts["review_total"] == 1
