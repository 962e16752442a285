"""Who must use a second factor, and the session limits (settings read in one place).

Roles that review, sign or administer must log in with two factors: 初审, 保密审查, 签发 and 管理员 in any
organisation, and every account with the staff flag or superuser status (they reach the admin site). Editors
may enrol, and are then asked for it too. `GONGKAI_TWO_FACTOR=optional` lifts the requirement (a test
installation without authenticator apps), never the check of an enrolled factor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from gongkai.orgs.models import Membership, Role

ROLES_NEEDING_A_SECOND_FACTOR = (Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER, Role.ADMIN)


def second_factor_required() -> bool:
    return bool(getattr(settings, "TWO_FACTOR_REQUIRED", True))


def requires_second_factor(user: Any) -> bool:
    """Whether `user` may not log in (or stay logged in) without a second factor."""
    if not second_factor_required() or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, role__in=ROLES_NEEDING_A_SECOND_FACTOR).exists()


def idle_timeout() -> int:
    """Seconds without a request after which a staff session ends (GONGKAI_SESSION_IDLE_MINUTES, default 30)."""
    return int(getattr(settings, "SESSION_IDLE_SECONDS", 1800))


def absolute_timeout() -> int:
    """Seconds after login at which a staff session ends however busy (GONGKAI_SESSION_MAX_HOURS, default 10)."""
    return int(getattr(settings, "SESSION_ABSOLUTE_SECONDS", 36000))
