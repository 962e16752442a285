"""Staff with an enrolled authenticator, and the codes it would show."""

from __future__ import annotations

from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the authenticator shows now, or `steps_ahead` 30-second steps later (a code is good once: the next
    login in a test takes the next step's code, which the device still accepts)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, digits=device.digits, drift=device.drift):06d}"
