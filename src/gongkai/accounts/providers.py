"""Single sign-on providers (统一身份认证) as the operator configured them (settings.SSO_PROVIDERS).

Each provider names the claim (OpenID Connect) or attribute (CAS; empty: the CAS user itself) whose value
identifies a gongkai account, and the account field it is compared with (`username` or `email`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

PROTOCOLS = ("oidc", "cas")
ACCOUNT_FIELDS = ("username", "email")


@dataclass(frozen=True)
class Provider:
    key: str
    protocol: str
    label: str
    claim: str
    account_field: str
    options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def claim_label(self) -> str:
        return self.claim or "user"


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in: its subject and the claims (or CAS attributes) it released."""

    subject: str
    claims: dict[str, Any]


class ProviderError(Exception):
    """The provider's answer could not be used (an error it returned, a bad state or ticket, a bad signature).

    `reason` is a short code for the audit trail; `detail` is for the log only and may name the provider's host.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def configured_providers() -> list[Provider]:
    providers = []
    for key, config in getattr(settings, "SSO_PROVIDERS", {}).items():
        options = {k: v for k, v in config.items() if k not in {"protocol", "label", "claim", "account_field"}}
        providers.append(
            Provider(
                key=key,
                protocol=config["protocol"],
                label=gettext(config["label"]),  # the default labels are in the catalogue (gettext_noop)
                claim=config.get("claim", ""),
                account_field=config.get("account_field", "username"),
                options=options,
            )
        )
    return providers


def provider_named(key: str) -> Provider | None:
    return next((p for p in configured_providers() if p.key == key), None)
