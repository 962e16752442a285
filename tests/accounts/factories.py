"""Staff with an enrolled authenticator, and the codes it would show."""

from __future__ import annotations

import time
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol(user: Any, *, key: str | None = None) -> TOTPDevice:
    fields = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True, **fields)


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code for the first time step the device has not accepted yet, from now on (or `steps_ahead` steps
    later): a code is good once, so a second login within 30 seconds takes the next step's code, which the
    device still accepts (one step of tolerance)."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step)
    ahead = max(steps_ahead, device.last_t + 1 - now_t, 0)
    shifted_t0 = device.t0 - ahead * device.step
    return f"{totp(device.bin_key, step=device.step, t0=shifted_t0, digits=device.digits, drift=device.drift):06d}"
