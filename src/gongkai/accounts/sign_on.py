"""Single sign-on (统一身份认证登录): the redirect to a provider and the account its answer names.

A sign-on only resolves the user; like the password form it then hands them to `login.complete_staff_login`,
which applies the lock-out and the second factor to every way in.

A sign-on never creates an account or a role: the provider's claim must name an existing, active account that is
not locked out; otherwise it is refused with a Chinese message and an audit row (`login.refused`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from gongkai.core.personal_data import mask_email, mask_value
from gongkai.core.services import record_event

from . import cas, lockout, oidc
from .providers import Identity, Provider, ProviderError
from .selectors import accounts_matching

logger = logging.getLogger(__name__)

REFUSED_ACTION = "login.refused"


class SignOnRefused(Exception):
    """A sign-on that did not log anyone in; `message` is for the person, `reason` for the audit trail."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def start_sign_on(request: HttpRequest, provider: Provider, callback_url: str) -> HttpResponse:
    """The redirect to the provider's login page (state, nonce and PKCE verifier kept in the session)."""
    try:
        if provider.protocol == "oidc":
            return oidc.login_redirect(request, provider, callback_url)
        return cas.login_redirect(request, provider, callback_url)
    except ProviderError as error:
        raise _refuse(request, provider, error.reason, _provider_error_message(provider, error), detail=error.detail) from error


def sign_on(request: HttpRequest, provider: Provider, callback_url: str) -> User:
    """The account a provider's callback names: its answer verified, its claim mapped to one active account that
    is not locked out. Logging in is `login.complete_staff_login`'s."""
    try:
        if provider.protocol == "oidc":
            identity = oidc.identity_from_callback(request, provider)
        else:
            identity = cas.identity_from_callback(request, provider, callback_url)
    except ProviderError as error:
        raise _refuse(request, provider, error.reason, _provider_error_message(provider, error), detail=error.detail) from error
    return _account_for(request, provider, identity)


def _account_for(request: HttpRequest, provider: Provider, identity: Identity) -> User:
    raw = identity.claims.get(provider.claim or "user")
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    if raw is None or raw == "" or isinstance(raw, list | dict):
        reason = "claim_missing" if raw in (None, "", []) else "claim_ambiguous"
        message = _(
            "%(provider)s没有提供可用于对应工作人员账号的信息（%(claim)s）。请联系系统管理员检查单点登录配置。"
        ) % {"provider": provider.label, "claim": provider.claim_label}
        raise _refuse(request, provider, reason, message, subject=identity.subject)
    value = str(raw).strip()
    matches = accounts_matching(provider.account_field, value)
    if not matches:
        message = _(
            "%(provider)s账号“%(value)s”没有对应的工作人员账号，不能登录工作台。请联系本机构管理员开通账号，"
            "或核对账号的%(field)s是否与统一身份认证平台一致。"
        ) % {"provider": provider.label, "value": value, "field": _field_label(provider.account_field)}
        raise _refuse(request, provider, "no_account", message, subject=identity.subject, value=value)
    if len(matches) > 1:
        message = _(
            "%(provider)s账号“%(value)s”对应多个工作人员账号，无法确定登录哪一个。请联系系统管理员。"
        ) % {"provider": provider.label, "value": value}
        raise _refuse(request, provider, "several_accounts", message, subject=identity.subject, value=value)
    user = matches[0]
    if not user.is_active:
        message = _("工作人员账号“%(username)s”已停用，不能登录。请联系本机构管理员。") % {
            "username": user.get_username()
        }
        raise _refuse(request, provider, "inactive", message, user=user, subject=identity.subject)
    if lockout.is_locked(request, user.get_username()):
        minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
        message = _(
            "工作人员账号“%(username)s”因连续多次登录失败已被暂时锁定，请%(minutes)s分钟后再试，或联系本机构管理员解锁。"
        ) % {"username": user.get_username(), "minutes": minutes}
        raise _refuse(request, provider, "locked", message, user=user, subject=identity.subject)
    return user


def _field_label(account_field: str) -> str:
    return _("电子邮箱") if account_field == "email" else _("用户名")


def _provider_error_message(provider: Provider, error: ProviderError) -> str:
    if error.reason == "access_denied":
        return _("您在%(provider)s取消了登录。") % {"provider": provider.label}
    if error.reason == "provider_unreachable":
        return _("暂时无法连接%(provider)s，请稍后再试，或使用账号密码登录。") % {"provider": provider.label}
    if error.reason == "mismatching_state":
        return _("登录请求已过期或不是从本页面发起的，请重新登录。")
    return _("%(provider)s的登录结果未能通过验证，请重新登录；如多次出现，请联系系统管理员。") % {
        "provider": provider.label
    }


def _masked(value: str) -> str:
    return mask_email(value) if "@" in value else mask_value(value, keep_start=2, keep_end=1)


def _refuse(
    request: HttpRequest,
    provider: Provider,
    reason: str,
    message: str,
    *,
    user: User | None = None,
    subject: str = "",
    value: str = "",
    detail: str = "",
) -> SignOnRefused:
    """Record the refusal (no personal data: the claim's value masked) and return the exception to raise."""
    if detail:
        logger.warning("sign-on through %s refused (%s): %s", provider.key, reason, detail)
    data: dict[str, Any] = {"method": provider.protocol, "provider": provider.key, "reason": reason}
    if provider.claim or provider.protocol == "cas":
        data["claim"] = provider.claim_label
    if value:
        data["value"] = _masked(value)
    if subject:
        data["subject"] = _masked(subject)
    record_event(
        actor=user,
        actor_label="" if user else f"sso:{provider.key}",
        action=REFUSED_ACTION,
        object_type="auth.user",
        object_id=str(user.pk) if user else "",
        summary=_("%(provider)s登录被拒绝：%(reason)s") % {"provider": provider.label, "reason": reason},
        data=data,
    )
    return SignOnRefused(message, reason)
