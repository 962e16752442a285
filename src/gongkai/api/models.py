"""API tokens: a staff member's key for scripts, acting with that member's own roles."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """Only the key's SHA-256 is stored; the key itself is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(gettext_lazy("用途"), max_length=100)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(gettext_lazy("已吊销"), default=False)

    class Meta:
        verbose_name = gettext_lazy("API 令牌")
        verbose_name_plural = gettext_lazy("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        key = "gk_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_digest=digest(key)), key
