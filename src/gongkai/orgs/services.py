"""Writes about staff people that are theirs to make (个人设置)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from gongkai.core.services import record_event

from .models import StaffPreference


def set_receives_mail(user: Any, receives_mail: bool) -> StaffPreference:
    """A staff user turns the platform's mail to them on or off (their own setting only)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(gettext("请先登录。"))
    with transaction.atomic():
        preference, _ = StaffPreference.objects.select_for_update().get_or_create(user=user)
        preference.receives_mail = bool(receives_mail)
        preference.save(update_fields=["receives_mail", "updated_at"])
        record_event(
            actor=user, action="orgs.mail_preference", obj=preference,
            summary=gettext("开启邮件提醒") if receives_mail else gettext("关闭邮件提醒"),
        )
    return preference
