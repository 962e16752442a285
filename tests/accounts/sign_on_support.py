"""What the sign-on tests share: the provider's users and client, gongkai's settings for it, and a person's
browser at the provider."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import requests

from tests.identity_provider import IdentityProvider

CLIENT_ID = "gongkai-test"
CLIENT_SECRET = "idp-client-secret-for-tests"
PASSWORD = "idp-password-123"
GONGKAI = "http://testserver"

IDP_USERS = [
    {"username": "zhangsan", "email": "ZhangSan@MC.gov.test", "last_name": "张", "first_name": "三"},
    {"username": "lisi", "email": "lisi@mc.gov.test", "last_name": "李", "first_name": "四"},
    {"username": "wangwu", "email": "wangwu@mc.gov.test", "last_name": "王", "first_name": "五"},
    {"username": "zhaoliu", "email": "zhaoliu@mc.gov.test", "last_name": "赵", "first_name": "六"},
]


def oidc_settings(idp: IdentityProvider, **overrides: str) -> dict[str, dict[str, str]]:
    return {"oidc": {
        "protocol": "oidc", "label": "统一身份认证", "issuer": idp.issuer, "discovery_url": "",
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "scopes": "openid profile email",
        "claim": "preferred_username", "account_field": "username", **overrides,
    }}


def cas_settings(idp: IdentityProvider, **overrides: str) -> dict[str, dict[str, str]]:
    return {"cas": {
        "protocol": "cas", "label": "CAS统一认证", "server_url": idp.cas_url, "version": "3",
        "claim": "", "account_field": "username", **overrides,
    }}


def _form(html: str) -> tuple[str, dict[str, str]]:
    """The login form's action and its fields (hidden ones with their values)."""
    form = re.search(r"<form[^>]*>(.*?)</form>", html, re.S)
    assert form, html[:500]
    action = re.search(r'action="([^"]*)"', form.group(0).split(">", 1)[0])
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(1)):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return unescape(action.group(1)) if action else "", fields


class PersonAtProvider:
    """A person's browser at the identity provider: follows its redirects, fills its login form, and stops
    at the first redirect back to gongkai (which the Django test client then follows)."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def visit(self, url: str, *, username: str = "", password: str = PASSWORD) -> str:
        """Open `url` (at the provider); sign in when asked; return the address it sends the person back to."""
        for _ in range(10):
            if url.startswith(GONGKAI):
                return url
            response = self.session.get(url, allow_redirects=False, timeout=300)
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                continue
            assert response.status_code == 200, (response.status_code, response.text[:500])
            assert username, f"the provider asks for a login at {url}"
            action, fields = _form(response.text)
            fields.update(username=username, password=password)
            posted = self.session.post(urljoin(url, action or urlsplit(url).path), data=fields,
                                       headers={"Referer": url}, allow_redirects=False, timeout=300)
            assert posted.is_redirect, (posted.status_code, posted.text[:800])
            url = urljoin(url, posted.headers["Location"])
            username = ""
        raise AssertionError("too many redirects at the provider")
