"""A staff member signs in through the 统一身份认证 (a real OpenID Connect provider on loopback) and lands in
the workspace; a person without a gongkai account is turned back with the reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership, Organisation, Role
from tests.identity_provider import identity_provider

pytestmark = pytest.mark.browser

IDP_PASSWORD = "idp-browser-password-1"


@pytest.fixture
def sso(live_server: Any, tmp_path: Path, transactional_db: Any) -> Iterator[None]:
    org = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="11999900MB0000102B")
    editor = get_user_model().objects.create_user(
        username="editor", email="zhangsan@mckjj.gov.test", last_name="张", first_name="三", password=None
    )
    Membership.objects.create(user=editor, organisation=org, role=Role.EDITOR)
    with identity_provider(
        tmp_path,
        users=[
            {"username": "zhangsan", "password": IDP_PASSWORD, "email": "zhangsan@mckjj.gov.test"},
            {"username": "lisi", "password": IDP_PASSWORD, "email": "lisi@mckjj.gov.test"},
        ],
        clients=[{"client_id": "gongkai", "client_secret": "browser-test-secret",
                  "redirect_uris": [f"{live_server.url}/workspace/sso/oidc/callback/"]}],
    ) as idp, override_settings(SSO_PROVIDERS={"oidc": {
        "protocol": "oidc", "label": "明川市统一身份认证", "issuer": idp.issuer, "discovery_url": "",
        "client_id": "gongkai", "client_secret": "browser-test-secret", "scopes": "openid profile email",
        "claim": "email", "account_field": "email",
    }}):
        yield


def _sign_in_at_provider(page: Any, username: str) -> None:
    page.get_by_role("link", name="明川市统一身份认证").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/accounts/login/"))
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(IDP_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_staff_signs_in_through_the_provider_and_lands_in_the_workspace(page: Any, sso: None, screenshot: Any) -> None:
    page.goto("/workspace/items/")
    page.wait_for_url(re.compile(r"/workspace/login/\?next="))
    assert page.get_by_role("link", name="明川市统一身份认证").is_visible()
    screenshot("login-page")

    _sign_in_at_provider(page, "lisi")
    page.wait_for_url(re.compile(r"/workspace/login/"))
    alert = page.locator(".messages").inner_text()
    assert "明川市统一身份认证账号“lisi@mckjj.gov.test”没有对应的工作人员账号" in alert
    screenshot("refused")

    page.context.clear_cookies()
    page.goto("/workspace/items/")
    _sign_in_at_provider(page, "zhangsan")
    page.wait_for_url(re.compile(r"/workspace/items/$"))
    assert "张三" in page.locator(".ws-user").inner_text()
    screenshot("workspace")
    assert AuditEvent.objects.filter(action="login", actor__username="editor", data__method="oidc").count() == 1
    assert AuditEvent.objects.filter(action="login.refused", data__reason="no_account").count() == 1
