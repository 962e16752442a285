"""Granting a role is itself a permission: nobody grants a role they could not exercise, a read-only supervisor
grants nothing below, and every grant and revocation is audited and told to the organisation's administrators."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.orgs import services
from gongkai.orgs.models import Membership, Organisation, Role

REVIEW_ROLES = [Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER]


@pytest.fixture
def city(db: None) -> dict[str, Any]:
    User = get_user_model()
    gov = Organisation.objects.create(name="明川市人民政府", code="mcs", index_code="A1", kind="government")
    kjj = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="A2", parent=gov)
    people = {name: User.objects.create_user(name, email=f"{name}@mingchuan.example", is_staff=True)
              for name in ("cityadmin", "admin", "admin2", "approver", "newcomer")}
    Membership.objects.create(user=people["cityadmin"], organisation=gov, role=Role.ADMIN)
    for name in ("admin", "admin2"):
        Membership.objects.create(user=people[name], organisation=kjj, role=Role.ADMIN)
    Membership.objects.create(user=people["approver"], organisation=kjj, role=Role.APPROVER)
    Membership.objects.create(user=people["admin2"], organisation=kjj, role=Role.APPROVER)
    return {"gov": gov, "kjj": kjj, **people}


def admin_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_read_only_supervisor_grants_itself_nothing_below(city: dict[str, Any]) -> None:
    """The attack as reported: cityadmin adds memberships for itself in a child office through /admin/."""
    client = admin_client(city["cityadmin"])
    for role in [Role.EDITOR, *REVIEW_ROLES, Role.ADMIN]:
        response = client.post("/admin/orgs/membership/add/",
                               {"user": city["cityadmin"].pk, "organisation": city["kjj"].pk, "role": role})
        assert response.status_code == 200, role  # the form again: the child office is not a choice
        with pytest.raises(PermissionDenied):
            services.grant_role(city["cityadmin"], city["cityadmin"], city["kjj"], role)
    assert not Membership.objects.filter(user=city["cityadmin"], organisation=city["kjj"]).exists()
    assert not AuditEvent.objects.filter(action="orgs.role_granted").exists()


def test_administrator_cannot_grant_itself_review_roles(city: dict[str, Any]) -> None:
    client = admin_client(city["admin"])
    for role in REVIEW_ROLES:
        response = client.post("/admin/orgs/membership/add/",
                               {"user": city["admin"].pk, "organisation": city["kjj"].pk, "role": role})
        assert response.status_code == 200
        assert "只能授予本人在本机构可以行使的岗位" in response.content.decode()
        with pytest.raises(PermissionDenied):
            services.grant_role(city["admin"], city["newcomer"], city["kjj"], role)
    assert set(Membership.objects.filter(user=city["admin"]).values_list("role", flat=True)) == {Role.ADMIN}


def test_roles_granted_are_those_the_grantor_exercises(city: dict[str, Any]) -> None:
    client = admin_client(city["admin"])
    for role in (Role.EDITOR, Role.ADMIN):
        response = client.post("/admin/orgs/membership/add/",
                               {"user": city["newcomer"].pk, "organisation": city["kjj"].pk, "role": role})
        assert response.status_code == 302, role
    # An administrator who signs (签发) may make someone else a signer; one who does not may not.
    services.grant_role(city["admin2"], city["newcomer"], city["kjj"], Role.APPROVER)
    with pytest.raises(PermissionDenied):
        services.grant_role(city["approver"], city["newcomer"], city["kjj"], Role.FIRST_REVIEWER)
    assert set(Membership.objects.filter(user=city["newcomer"]).values_list("role", flat=True)) == {
        Role.EDITOR, Role.ADMIN, Role.APPROVER,
    }


def test_grants_and_revocations_are_audited_and_told_to_administrators(
    city: dict[str, Any], django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.grant_role(city["admin"], city["newcomer"], city["kjj"], Role.EDITOR)
    granted = AuditEvent.objects.get(action="orgs.role_granted")
    assert granted.organisation_id == city["kjj"].pk and granted.actor == city["admin"]
    assert "newcomer" in granted.summary and "信息员" in granted.summary
    notice = mail.outbox[-1]
    assert sorted(notice.to) == ["admin2@mingchuan.example", "admin@mingchuan.example"]
    assert "newcomer" in notice.body and "信息员" in notice.body

    client = admin_client(city["admin2"])
    response = client.post(f"/admin/orgs/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    revoked = AuditEvent.objects.get(action="orgs.role_revoked")
    assert revoked.actor == city["admin2"] and revoked.organisation_id == city["kjj"].pk
    assert not Membership.objects.filter(pk=membership.pk).exists()

    page = admin_client(city["admin"]).get("/workspace/roles/").content.decode()
    assert granted.summary in page and revoked.summary in page
    supervisor_page = admin_client(city["cityadmin"]).get("/workspace/roles/").content.decode()
    assert revoked.summary in supervisor_page  # reads below
    assert admin_client(city["approver"]).get("/workspace/roles/").status_code == 403


def test_supervisor_cannot_revoke_below_and_nobody_edits_a_membership_in_place(city: dict[str, Any]) -> None:
    signer = Membership.objects.get(user=city["approver"])
    client = admin_client(city["cityadmin"])
    assert client.post(f"/admin/orgs/membership/{signer.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post("/admin/orgs/membership/", {"action": "delete_selected", "_selected_action": [signer.pk],
                                                         "post": "yes"})
    assert response.status_code == 403
    own = admin_client(city["admin"])
    response = own.post(f"/admin/orgs/membership/{signer.pk}/change/",
                        {"user": city["admin"].pk, "organisation": city["kjj"].pk, "role": Role.APPROVER})
    assert response.status_code == 403
    assert Membership.objects.get(pk=signer.pk).user == city["approver"]
