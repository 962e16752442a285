"""Staff login to the 等保 level-2 baseline: a second factor for roles that review, sign or administer, idle and
absolute session time-outs, password rules, and one lock-out for every way in (form, admin, second factor, API)."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.accounts import login as account_login
from gongkai.accounts import services
from gongkai.accounts.models import RecoveryCode
from gongkai.api.models import ApiToken
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership, Organisation, Role
from tests.accounts.factories import current_code, enrol

PASSWORD = "Mingchuan-2024-pass"


@pytest.fixture(autouse=True)
def _no_throttle_between_codes(settings: Any) -> None:
    """django-otp makes a device wait 1, 2, 4… seconds after each wrong code; these tests type the right code
    straight after a wrong one (the lock-out after repeated failures is tested below)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def office(db: None) -> dict[str, Any]:
    org = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="A1")
    people = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(role, password=PASSWORD, is_staff=role == Role.ADMIN)
        Membership.objects.create(user=user, organisation=org, role=role)
        people[role] = user
    return {"org": org, **people}


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = "") -> Any:
    return client.post("/workspace/login/" + (f"?next={next_url}" if next_url else ""),
                       {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return client.get("/workspace/").status_code == 200


def test_editor_logs_in_with_a_password_alone(office: dict[str, Any]) -> None:
    client = Client()
    assert password_step(client, "editor")["Location"] == "/workspace/"
    assert logged_in(client)


@pytest.mark.parametrize("role", [Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER, Role.ADMIN])
def test_reviewers_signers_and_administrators_cannot_log_in_without_a_second_factor(
    office: dict[str, Any], role: str,
) -> None:
    client = Client()
    response = password_step(client, role)
    assert response["Location"] == "/workspace/login/enrol/"  # must enrol first
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302
    page = client.get("/workspace/login/enrol/").content.decode()
    assert "启用双因素认证" in page and 'src="/workspace/login/enrol/qr.svg"' in page
    qr = client.get("/workspace/login/enrol/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"]
    wrong = client.post("/workspace/login/enrol/", {"code": "000000"})
    assert wrong.status_code == 400 and not logged_in(client)
    device = services.pending_device(office[role])
    assert device is not None
    done = client.post("/workspace/login/enrol/", {"code": current_code(device)})
    codes = re.findall(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", done.content.decode())
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=office[role]).count() == 10
    assert logged_in(client)

    # Next time: password, then the code the authenticator shows; a recovery code works once instead.
    again = Client()
    assert password_step(again, role)["Location"] == "/workspace/login/verify/"
    assert not logged_in(again)
    assert again.post("/workspace/login/verify/", {"code": current_code(device, steps_ahead=1)})["Location"] == "/workspace/"
    assert logged_in(again)
    spare = Client()
    password_step(spare, role)
    assert spare.post("/workspace/login/verify/", {"code": codes[0].lower()})["Location"] == "/workspace/"
    reused = Client()
    password_step(reused, role)
    assert reused.post("/workspace/login/verify/", {"code": codes[0]}).status_code == 400
    assert not logged_in(reused)
    assert AuditEvent.objects.filter(action="accounts.recovery_code_used").count() == 1


def test_admin_site_login_goes_through_the_second_factor(office: dict[str, Any]) -> None:
    device = enrol(office[Role.ADMIN])
    client = Client()
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/workspace/login/?next=/admin/"
    assert client.post("/admin/login/", {"username": "admin", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 302  # still not logged in
    password_step(client, "admin", next_url="/admin/")
    assert client.post("/workspace/login/verify/", {"code": current_code(device)})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_role_given_during_a_session_asks_for_the_second_factor(office: dict[str, Any]) -> None:
    client, api = Client(), Client()
    password_step(client, "editor")
    password_step(api, "editor")
    assert logged_in(client)
    Membership.objects.create(user=office[Role.EDITOR], organisation=office["org"], role=Role.APPROVER)
    response = client.get("/workspace/items/")
    assert response.status_code == 302 and response["Location"].startswith("/workspace/login/?next=")
    assert not logged_in(client)
    refused = api.post("/api/v1/staff/items", data="{}", content_type="application/json")
    assert refused.status_code == 401 and "双因素" in refused.json()["detail"]


def test_sessions_end_when_idle_and_when_too_old(office: dict[str, Any], settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = 30 * 60
    settings.SESSION_ABSOLUTE_SECONDS = 10 * 3600
    client = Client()
    password_step(client, "editor")
    session = client.session
    session[account_login.LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get("/workspace/")
    assert response.status_code == 302 and "/workspace/login/" in response["Location"]
    assert "长时间未操作" in client.get(response["Location"]).content.decode()
    assert not logged_in(client)

    password_step(client, "editor")
    session = client.session
    session[account_login.LOGIN_AT] = time.time() - 10 * 3600 - 1  # busy all along, but logged in too long
    session.save()
    assert client.get("/workspace/").status_code == 302
    assert not logged_in(client)


def test_password_composition_and_reuse(office: dict[str, Any]) -> None:
    user = office[Role.EDITOR]
    for weak in ("mingchuanpassword", "MINGCHUAN2024", "12345678901"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("Mingchuan2024", user)  # three kinds of character
    with pytest.raises(ValidationError, match="最近5次"):
        validate_password(PASSWORD, user)  # the current one
    client = Client()
    password_step(client, "editor")
    passwords = [f"Xinmima-{n}-2025" for n in range(6)]
    for new in passwords:
        response = client.post("/workspace/account/password/", {
            "old_password": user.password and (passwords[passwords.index(new) - 1] if new != passwords[0] else PASSWORD),
            "new_password1": new, "new_password2": new})
        assert response.status_code == 302, response.content.decode()[:500]
    refused = client.post("/workspace/account/password/", {
        "old_password": passwords[-1], "new_password1": passwords[-3], "new_password2": passwords[-3]})
    assert refused.status_code == 200 and "最近5次" in refused.content.decode()
    validate_password(PASSWORD, get_user_model().objects.get(pk=user.pk))  # six changes ago: allowed again


def test_lock_out_covers_form_second_factor_and_api_token(office: dict[str, Any], settings: Any) -> None:
    """A locked account kept working through its API token; the lock was per name and address only."""
    settings.AXES_FAILURE_LIMIT = 3
    approver = office[Role.APPROVER]
    device = enrol(approver)
    _token, key = ApiToken.issue(approver, "脚本")

    def api_call() -> int:
        return Client().post("/api/v1/staff/items", data=json.dumps({}), content_type="application/json",
                             headers={"Authorization": f"Token {key}"}).status_code

    assert api_call() == 400  # the token works (the empty body is refused on its merits)
    # Two wrong passwords from two addresses and one wrong code: one account, one count.
    for address in ("192.0.2.1", "198.51.100.7"):
        Client(REMOTE_ADDR=address).post("/workspace/login/", {"username": "approver", "password": "wrong"})
    client = Client(REMOTE_ADDR="203.0.113.5")
    password_step(client, "approver")
    locked = client.post("/workspace/login/verify/", {"code": "000000"})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    # Now nothing lets the account in: not the right password, not the right code, not its token.
    fresh = Client(REMOTE_ADDR="203.0.113.99")
    assert password_step(fresh, "approver").status_code == 429
    assert fresh.post("/workspace/login/verify/", {"code": current_code(device)}).status_code == 302  # no pending login
    assert not logged_in(fresh)
    assert api_call() == 403
    assert "锁定" in Client().post("/api/v1/staff/items", data="{}", content_type="application/json",
                                   headers={"Authorization": f"Token {key}"}).json()["title"]


def test_sso_and_any_other_first_factor_use_the_same_hook(office: dict[str, Any], rf: Any) -> None:
    """Single sign-on hands its resolved user to complete_staff_login, which asks for the second factor."""
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/sso/callback")
    request.session = SessionStore()
    request.user = None
    response = account_login.complete_staff_login(
        request, office[Role.APPROVER], backend="django.contrib.auth.backends.ModelBackend", method="sso")
    assert response["Location"] == "/workspace/login/enrol/"
    assert request.session[account_login.PENDING]["method"] == "sso"
    assert "_auth_user_id" not in request.session


def test_reset_second_factor_command(office: dict[str, Any]) -> None:
    from django.core.management import call_command

    enrol(office[Role.APPROVER])
    call_command("reset-second-factor", "approver", stdout=__import__("io").StringIO())
    assert not services.has_second_factor(office[Role.APPROVER])
    assert password_step(Client(), "approver")["Location"] == "/workspace/login/enrol/"
    assert AuditEvent.objects.filter(action="accounts.second_factor_removed").exists()
