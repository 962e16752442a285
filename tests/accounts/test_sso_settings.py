"""Operators configure single sign-on from the environment (settings._sso_providers)."""

from __future__ import annotations

import pytest

from gongkai import settings as gongkai_settings

VARIABLES = [
    "GONGKAI_OIDC_ISSUER", "GONGKAI_OIDC_CLIENT_ID", "GONGKAI_OIDC_CLIENT_SECRET", "GONGKAI_OIDC_CLAIM",
    "GONGKAI_OIDC_ACCOUNT_FIELD", "GONGKAI_OIDC_LABEL", "GONGKAI_OIDC_SCOPES", "GONGKAI_OIDC_DISCOVERY_URL",
    "GONGKAI_CAS_SERVER_URL", "GONGKAI_CAS_VERSION", "GONGKAI_CAS_ATTRIBUTE", "GONGKAI_CAS_ACCOUNT_FIELD",
    "GONGKAI_CAS_LABEL",
]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_nothing_configured_means_no_providers() -> None:
    assert gongkai_settings._sso_providers() == {}


def test_both_providers_with_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_OIDC_ISSUER", "https://sso.example.gov.cn/realms/gov")
    monkeypatch.setenv("GONGKAI_OIDC_CLIENT_ID", "gongkai")
    monkeypatch.setenv("GONGKAI_OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("GONGKAI_CAS_SERVER_URL", "https://sso.example.gov.cn/cas")
    monkeypatch.setenv("GONGKAI_CAS_ATTRIBUTE", "employeeNumber")
    providers = gongkai_settings._sso_providers()
    assert providers["oidc"] == {
        "protocol": "oidc", "label": "统一身份认证", "issuer": "https://sso.example.gov.cn/realms/gov",
        "discovery_url": "", "client_id": "gongkai", "client_secret": "s3cret", "scopes": "openid profile email",
        "claim": "preferred_username", "account_field": "username",
    }
    assert providers["cas"] == {
        "protocol": "cas", "label": "CAS统一身份认证", "server_url": "https://sso.example.gov.cn/cas/",
        "version": "3", "claim": "employeeNumber", "account_field": "username",
    }


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        ({"GONGKAI_OIDC_ISSUER": "https://sso.example.gov.cn"}, "GONGKAI_OIDC_CLIENT_ID must be set"),
        ({"GONGKAI_CAS_SERVER_URL": "https://sso.example.gov.cn/cas/", "GONGKAI_CAS_ACCOUNT_FIELD": "mobile"},
         "GONGKAI_CAS_ACCOUNT_FIELD must be 'username' or 'email'"),
        ({"GONGKAI_CAS_SERVER_URL": "https://sso.example.gov.cn/cas/", "GONGKAI_CAS_VERSION": "1"},
         "GONGKAI_CAS_VERSION must be 2 or 3"),
    ],
)
def test_a_wrong_configuration_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], error: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=error):
        gongkai_settings._sso_providers()
