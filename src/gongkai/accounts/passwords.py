"""Password rules (口令复杂度与重用) for staff accounts, as Django password validators.

- `CharacterClassesValidator`: at least `min_classes` of four kinds of character (lower case, upper case, digits,
  other), besides Django's minimum length, common-password and similarity checks.
- `ReuseValidator`: none of the last `history` passwords again. `password_changed` (Django calls it on every
  change through `set_password` + validators, e.g. the password-change page) keeps the new hash in history.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CLASSES = (
    (gettext_lazy("小写字母"), str.islower),
    (gettext_lazy("大写字母"), str.isupper),
    (gettext_lazy("数字"), str.isdigit),
    (gettext_lazy("其他符号"), lambda ch: not ch.isalnum()),
)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        used = sum(1 for _name, test in CLASSES if any(test(ch) for ch in password))
        if used < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、其他符号中的至少%(n)d类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("至少包含小写字母、大写字母、数字、其他符号中的%(n)d类。") % {"n": self.min_classes}


def history_length() -> int:
    return int(getattr(settings, "PASSWORD_HISTORY", 5))


class ReuseValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        earlier = [user.password] if user.password else []
        earlier += list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:history_length()])
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                _("不能使用最近%(n)d次用过的密码。") % {"n": history_length()}, code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None) or not user.password:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:history_length()]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return _("不能与最近%(n)d次用过的密码相同。") % {"n": history_length()}
