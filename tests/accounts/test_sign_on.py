"""Single sign-on for staff against a real OpenID Connect provider and a real CAS server on loopback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.messages import get_messages
from django.test import Client
from django.test.utils import override_settings

from gongkai.accounts import login
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Organisation
from tests.accounts.sign_on_support import PASSWORD, PersonAtProvider, cas_settings, oidc_settings
from tests.identity_provider import IdentityProvider

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., AbstractBaseUser]


def _sign_on(client: Client, provider: str, username: str, *, next_url: str = "/workspace/items/") -> Any:
    """The whole round trip; returns gongkai's answer to the provider's callback."""
    start = client.get(f"/workspace/sso/{provider}/", {"next": next_url})
    assert start.status_code == 302, start.content
    callback = PersonAtProvider().visit(start["Location"], username=username)
    return client.get(callback.removeprefix("http://testserver"))


def _messages(client: Client, response: Any) -> list[str]:
    assert response.status_code == 302
    page = client.get(response["Location"])
    return [str(m) for m in get_messages(page.wsgi_request)] or [page.content.decode()]


def _last_event(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, f"no {action} event"
    return event


def test_oidc_sign_on_logs_the_mapped_account_in(client: Client, idp: IdentityProvider, make_user: MakeUser) -> None:
    user = make_user("zhangsan", first_name="三", last_name="张")
    with override_settings(SSO_PROVIDERS=oidc_settings(idp)):
        login_page = client.get("/workspace/login/?next=/workspace/items/")
        assert "统一身份认证" in login_page.content.decode()
        assert "/workspace/sso/oidc/?next=%2Fworkspace%2Fitems%2F" in login_page.content.decode()
        response = _sign_on(client, "oidc", "zhangsan")
    assert response.status_code == 302 and response["Location"] == "/workspace/items/"
    assert client.get("/workspace/").context["user"] == user
    event = _last_event("login")
    assert event.actor == user
    assert event.data == {"method": "oidc", "provider": "oidc"}
    assert client.session[login.SESSION_METHOD_KEY] == {"method": "oidc", "provider": "oidc"}


def test_oidc_maps_by_email_ignoring_case(client: Client, idp: IdentityProvider, make_user: MakeUser) -> None:
    user = make_user("zs-local", email="zhangsan@mc.gov.test")
    with override_settings(SSO_PROVIDERS=oidc_settings(idp, claim="email", account_field="email")):
        response = _sign_on(client, "oidc", "zhangsan", next_url="")
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").context["user"] == user


def test_a_claim_that_names_no_account_is_refused_and_audited(client: Client, idp: IdentityProvider) -> None:
    with override_settings(SSO_PROVIDERS=oidc_settings(idp)):
        response = _sign_on(client, "oidc", "lisi")
        assert response["Location"] == "/workspace/login/?next=%2Fworkspace%2Fitems%2F"
        [message] = _messages(client, response)
    assert "统一身份认证账号“lisi”没有对应的工作人员账号" in message
    assert "_auth_user_id" not in client.session
    event = _last_event("login.refused")
    assert event.actor is None and event.actor_label == "sso:oidc"
    assert event.data["reason"] == "no_account"
    assert event.data["claim"] == "preferred_username"
    assert "lisi" not in str(event.data) and "lisi" not in event.summary  # masked: li*i
    assert not AuditEvent.objects.filter(action="login").exists()


def test_an_inactive_account_is_refused(client: Client, idp: IdentityProvider, make_user: MakeUser) -> None:
    user = make_user("wangwu", is_active=False)
    with override_settings(SSO_PROVIDERS=oidc_settings(idp)):
        [message] = _messages(client, _sign_on(client, "oidc", "wangwu"))
    assert message == "工作人员账号“wangwu”已停用，不能登录。请联系本机构管理员。"
    event = _last_event("login.refused")
    assert event.actor == user and event.data["reason"] == "inactive"


def test_a_locked_out_account_is_refused(client: Client, idp: IdentityProvider, make_user: MakeUser) -> None:
    user = make_user("zhaoliu")
    for _ in range(5):
        client.post("/workspace/login/", {"username": "zhaoliu", "password": "wrong-password"})
    with override_settings(SSO_PROVIDERS=oidc_settings(idp)):
        [message] = _messages(client, _sign_on(client, "oidc", "zhaoliu"))
    assert "因连续多次登录失败已被暂时锁定" in message and "30分钟" in message
    assert _last_event("login.refused").actor == user
    assert "_auth_user_id" not in client.session


def test_a_callback_is_used_once_and_only_by_the_session_that_started_it(
    client: Client, idp: IdentityProvider, make_user: MakeUser
) -> None:
    make_user("zhangsan")
    with override_settings(SSO_PROVIDERS=oidc_settings(idp)):
        start = client.get("/workspace/sso/oidc/")
        callback = PersonAtProvider().visit(start["Location"], username="zhangsan").removeprefix("http://testserver")
        # Another browser (login CSRF: the attacker's code in the victim's browser) has no such state.
        stranger = Client()
        [message] = _messages(stranger, stranger.get(callback))
        assert "登录请求已过期或不是从本页面发起的" in message
        assert _last_event("login.refused").data["reason"] == "mismatching_state"
        assert client.get(callback)["Location"] == "/workspace/"
        client.logout()
        replay = client.get(callback)
    assert replay["Location"].startswith("/workspace/login/")
    assert "_auth_user_id" not in client.session


def test_the_person_cancelling_at_the_provider_is_told_so(client: Client, idp: IdentityProvider) -> None:
    with override_settings(SSO_PROVIDERS=oidc_settings(idp)):
        start = client.get("/workspace/sso/oidc/")
        state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
        response = client.get("/workspace/sso/oidc/callback/", {"error": "access_denied", "state": state})
        [message] = _messages(client, response)
    assert message == "您在统一身份认证取消了登录。"
    assert _last_event("login.refused").data["reason"] == "access_denied"


def test_an_id_token_from_another_issuer_is_refused(client: Client, idp: IdentityProvider, make_user: MakeUser) -> None:
    make_user("zhangsan")
    # The discovery document is the real one, but gongkai was told to trust another issuer.
    misconfigured = oidc_settings(idp, issuer="http://127.0.0.1:9/other",
                                  discovery_url=f"{idp.issuer}/.well-known/openid-configuration")
    with override_settings(SSO_PROVIDERS=misconfigured):
        [message] = _messages(client, _sign_on(client, "oidc", "zhangsan"))
    assert "登录结果未能通过验证" in message
    assert _last_event("login.refused").data["reason"] == "invalid_id_token"
    assert "_auth_user_id" not in client.session


def test_an_unreachable_provider_is_refused_clearly(client: Client, idp: IdentityProvider) -> None:
    with override_settings(SSO_PROVIDERS=oidc_settings(idp, issuer="http://127.0.0.1:9")):
        response = client.get("/workspace/sso/oidc/", {"next": "/workspace/items/"})
        [message] = _messages(client, response)
    assert message == "暂时无法连接统一身份认证，请稍后再试，或使用账号密码登录。"
    assert _last_event("login.refused").data["reason"] == "provider_unreachable"


def test_cas_sign_on_by_user_and_by_attribute(client: Client, idp: IdentityProvider, make_user: MakeUser) -> None:
    user = make_user("zhangsan")
    with override_settings(SSO_PROVIDERS=cas_settings(idp)):
        assert "CAS统一认证" in client.get("/workspace/login/").content.decode()
        response = _sign_on(client, "cas", "zhangsan")
    assert response["Location"] == "/workspace/items/"
    assert client.get("/workspace/").context["user"] == user
    assert _last_event("login").data == {"method": "cas", "provider": "cas"}

    client.logout()
    other = make_user("zs-by-mail", email="zhangsan@mc.gov.test")
    with override_settings(SSO_PROVIDERS=cas_settings(idp, claim="email", account_field="email")):
        _sign_on(client, "cas", "zhangsan")
    assert client.get("/workspace/").context["user"] == other


def test_cas_refuses_a_forged_ticket_and_an_unknown_account(client: Client, idp: IdentityProvider) -> None:
    with override_settings(SSO_PROVIDERS=cas_settings(idp)):
        start = client.get("/workspace/sso/cas/")
        service = parse_qs(urlsplit(start["Location"]).query)["service"][0]
        state = parse_qs(urlsplit(service).query)["state"][0]
        forged = client.get("/workspace/sso/cas/callback/", {"state": state, "ticket": "ST-1-forged"})
        [message] = _messages(client, forged)
        assert "CAS统一认证的登录结果未能通过验证" in message
        assert _last_event("login.refused").data["reason"] == "invalid_ticket"
        [message] = _messages(client, _sign_on(client, "cas", "lisi"))
    assert "CAS统一认证账号“lisi”没有对应的工作人员账号" in message
    assert _last_event("login.refused").data == {
        "method": "cas", "provider": "cas", "reason": "no_account", "claim": "user", "value": "li*i", "subject": "li*i",
    }


def test_every_way_in_passes_through_complete_staff_login(
    client: Client, idp: IdentityProvider, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user("zhangsan", password=PASSWORD)
    seen: list[tuple[str, str]] = []
    original = login.complete_staff_login

    def spy(request: Any, user: Any, **kwargs: Any) -> Any:
        seen.append((user.get_username(), kwargs.get("method", "password")))
        return original(request, user, **kwargs)

    monkeypatch.setattr(login, "complete_staff_login", spy)
    response = client.post("/workspace/login/", {"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 302
    assert _last_event("login").data == {"method": "password", "provider": ""}
    providers = {**oidc_settings(idp), **cas_settings(idp)}
    with override_settings(SSO_PROVIDERS=providers):
        for provider in ("oidc", "cas"):
            client.logout()
            _sign_on(client, provider, "zhangsan")
    assert seen == [("zhangsan", "password"), ("zhangsan", "oidc"), ("zhangsan", "cas")]


def test_unknown_providers_are_not_found(client: Client) -> None:
    # The portal's 404 page needs an organisation for its footer.
    Organisation.objects.create(name="明川市人民政府", code="mcs", index_code="11999900MB0000001A")
    assert client.get("/workspace/sso/oidc/").status_code == 404
    assert "统一身份认证" not in client.get("/workspace/login/").content.decode()
