"""Pre-checks at submission read each attachment and name it; the office's own published numbers are not findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalog import services
from gongkai.catalog.models import Column
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Finding
from tests.core.factories import pdf_pages


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(
        name="明川市科学技术局", code="mckjj", index_code="11999900MB0000102B", phone="0951-1234567",
        published_numbers="科技创新券咨询 0951-7654321\n值班手机 13912345678",
    )


@pytest.fixture
def editor(org: Organisation) -> object:
    user = get_user_model().objects.create_user(username="editor", password="correct-horse-battery")
    Membership.objects.create(user=user, organisation=org, role=Role.EDITOR)
    return user


def draft(org: Organisation, editor: object, body: str, *files: tuple[str, bytes]) -> object:
    column = Column.objects.create(organisation=org, name="通知公告", slug="tzgg")
    data = {
        "column_id": column.pk, "title": "关于申报科技创新券的通知", "summary": "", "body": body,
        "document_number": "", "written_on": dt.date(2026, 11, 20), "topic": "11", "genre": "notice",
        "keywords": "", "source": "", "is_policy": False, "is_normative": False, "validity": "",
        "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
        "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "", "index_number": "",
    }
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    return services.create_item(editor, org, data, uploads)


def test_an_id_number_in_a_pdf_attachment_is_found_at_its_page(org: Organisation, editor: object) -> None:
    item = draft(org, editor, "<p>详见附件。</p>", ("申报名单.pdf", pdf_pages("Applicants", "Zhang San 110105 19491231 002X")))
    services.submit_item(editor, item)
    [finding] = Finding.objects.all()
    attachment = item.attachments.get()
    assert (finding.kind, finding.code, finding.area) == ("personal_data", "resident_id", "attachment")
    assert (finding.attachment_ref, finding.attachment_name, finding.place) == (attachment.pk, "申报名单.pdf", "第2页")
    assert finding.location == "附件“申报名单.pdf”"
    assert attachment.text[finding.start : finding.end] == "110105 19491231 002X"
    assert "19491231" not in finding.excerpt


def test_a_scanned_pdf_is_a_finding_for_the_secrecy_reviewer(org: Organisation, editor: object) -> None:
    item = draft(org, editor, "<p>详见附件。</p>", ("扫描件.pdf", pdf_pages("", "")))
    services.submit_item(editor, item)
    [finding] = Finding.objects.all()
    assert (finding.kind, finding.code, finding.attachment_name) == ("unchecked_attachment", "no_text", "扫描件.pdf")
    assert "人工查看" in finding.message


def test_the_offices_published_numbers_are_not_findings(org: Organisation, editor: object) -> None:
    body = ("<p>咨询电话：0951-1234567，0951-7654321；值班手机 139 1234 5678。</p>"
            "<p>联系人：张三 13812345678</p>")
    item = draft(org, editor, body)
    services.submit_item(editor, item)
    assert [(f.code, f.area) for f in Finding.objects.all()] == [("mobile", "body")]
