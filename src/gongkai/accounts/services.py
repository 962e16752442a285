"""Writes of staff-account security: enrolling an authenticator (TOTP), recovery codes, checking a second factor.

An authenticator app holds a TOTP secret (RFC 6238, 30-second steps, six digits; django-otp's TOTPDevice, which
refuses a code used before and slows down repeated failures). Recovery codes are ten one-time codes shown once
at enrolment, in the shape of the site's tracking secrets (`XXXX-XXXX-XXXX`, so logs mask them too), and kept
only as keyed digests. Every change is audited.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.secrets import keyed_digest, new_tracking_secret, normalise_secret
from gongkai.core.services import record_event

from .models import RecoveryCode

RECOVERY_CODES = 10
DEVICE_NAME = gettext_noop("身份验证器")  # stored as the device's name


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user: Any) -> TOTPDevice:
    """The authenticator being set up for `user`: a new secret, or the one shown a moment ago (a reload of the
    page must not change the QR code the person is scanning)."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return pending or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def confirm_enrolment(user: Any, code: str) -> list[str] | None:
    """Confirm the authenticator being set up with a code it shows; the new recovery codes, or None when the
    code is wrong. Any earlier authenticator of the user is replaced."""
    device = pending_device(user)
    if device is None or not device.verify_token(normalise_secret(code or "")):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        record_event(actor=user, action="accounts.second_factor_enrolled", object_type="auth.user", object_id=user.pk,
                     summary=gettext("%(username)s 启用双因素认证") % {"username": user.get_username()})
    return codes


def new_recovery_codes(user: Any) -> list[str]:
    """Ten fresh recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        record_event(actor=user, action="accounts.recovery_codes_renewed", object_type="auth.user", object_id=user.pk,
                     summary=gettext("%(username)s 重新生成恢复码") % {"username": user.get_username()})
    return codes


def _replace_recovery_codes(user: Any) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [new_tracking_secret() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def verify_code(user: Any, code: str) -> str | None:
    """Check a second factor: six digits from the authenticator, or an unused recovery code (spent now).
    Returns "totp" or "recovery", or None when the code is wrong."""
    normalised = normalise_secret(code or "")
    if len(normalised) == 6 and normalised.isdigit():
        device = confirmed_device(user)
        return "totp" if device is not None and device.verify_token(normalised) else None
    if len(normalised) != 12:
        return None
    spent = RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at__isnull=True).update(
        used_at=timezone.now())
    if not spent:
        return None
    record_event(actor=user, action="accounts.recovery_code_used", object_type="auth.user", object_id=user.pk,
                 summary=gettext("%(username)s 使用恢复码登录（剩余 %(count)s 个）") % {
            "username": user.get_username(), "count": recovery_codes_left(user)})
    return "recovery"


def remove_second_factor(actor: Any, user: Any) -> None:
    """Remove the authenticator and recovery codes (the user's own choice where it is optional, or an
    operator's help for someone who lost their phone: they enrol again at their next login)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record_event(actor=actor, action="accounts.second_factor_removed", object_type="auth.user",
                     object_id=user.pk, summary=gettext("%(username)s 的双因素认证已解除") % {"username": user.get_username()})


def password_changed(user: Any) -> None:
    """Record a password change (修改密码) in the audit trail."""
    record_event(actor=user, action="accounts.password_changed", object_type="auth.user", object_id=user.pk,
                 summary=gettext("%(username)s 修改密码") % {"username": user.get_username()})


def _digest(code: str) -> str:
    return keyed_digest("accounts.recovery", normalise_secret(code))
