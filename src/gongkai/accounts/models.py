"""What staff-account security keeps besides Django's user: used passwords and recovery codes.

The TOTP devices themselves are django-otp's (`otp_totp.TOTPDevice`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class PasswordHistory(models.Model):
    """历史密码: the hash of a password a user had, so that it is not chosen again (reuse rule)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = gettext_lazy("历史密码")
        verbose_name_plural = gettext_lazy("历史密码")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class RecoveryCode(models.Model):
    """恢复码: a one-time code for logging in without the authenticator, kept only as a keyed digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("恢复码")
        verbose_name_plural = gettext_lazy("恢复码")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="accounts_recovery_code_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"
