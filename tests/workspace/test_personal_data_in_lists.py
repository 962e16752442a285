"""Personal data typed by the public into free text (an application's subject, a letter's subject) is masked in
staff lists, in review titles and in the audit trail; the full text is for the detail page of whoever handles it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.applications import services as applications
from gongkai.core.models import AuditEvent
from gongkai.interaction import services as mailbox
from gongkai.orgs.models import Membership, Organisation, Role
from tests.applications.factories import applicant_input, fake_resident_id
from tests.interaction.factories import letter_input

ID_NUMBER = fake_resident_id(7)
PHONE = "13912345678"
EMAIL = "zhang.san@example.test"
TYPED = [ID_NUMBER, PHONE, EMAIL]


@pytest.fixture
def office(db: None) -> dict[str, Any]:
    org = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="A1")
    people = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(role)
        Membership.objects.create(user=user, organisation=org, role=role)
        people[role] = user
    app, _secret = applications.submit_online(
        org, applicant_input(subject=f"本人（身份证{ID_NUMBER}，电话{PHONE}）的补贴发放记录"), address="10.1.1.1")
    letter, _secret = mailbox.submit_letter(
        org, letter_input(subject=f"请回电{PHONE}或回信{EMAIL}"), address="10.1.1.2")
    return {"org": org, "people": people, "app": app, "letter": letter}


def page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_staff_lists_mask_personal_data_typed_into_subjects(office: dict[str, Any]) -> None:
    editor = office["people"][Role.EDITOR]
    for url in ("/workspace/applications/", "/workspace/interaction/", "/workspace/", "/workspace/audit/"):
        text = page(editor, url)
        for value in TYPED:
            assert value not in text, (url, value)
    assert "本人（身份证" in page(editor, "/workspace/applications/")
    assert "139****5678" in page(editor, "/workspace/interaction/")


def test_reply_in_review_is_listed_with_the_subject_masked(office: dict[str, Any]) -> None:
    people, letter = office["people"], office["letter"]
    reply = mailbox.save_reply(people[Role.EDITOR], letter, "您好，已收到。", expected_version=None)
    mailbox.submit_reply(people[Role.EDITOR], reply)
    queue = page(people[Role.FIRST_REVIEWER], "/workspace/review/")
    assert letter.tracking_number in queue
    for value in TYPED:
        assert value not in queue
    assert not any(value in summary for summary in AuditEvent.objects.values_list("summary", flat=True)
                   for value in TYPED)


def test_application_detail_shows_the_subject_in_full_only_when_revealed(office: dict[str, Any]) -> None:
    editor, app = office["people"][Role.EDITOR], office["app"]
    assert ID_NUMBER not in page(editor, f"/workspace/applications/{app.pk}/")
    client = Client()
    client.force_login(editor)
    revealed = client.post(f"/workspace/applications/{app.pk}/reveal/")
    assert ID_NUMBER in revealed.content.decode()
