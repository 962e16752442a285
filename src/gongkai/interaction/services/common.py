"""What the mailbox's and the consultations' services share: staff permission, limits on what the public
sends, and the clean-up of typed text."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from gongkai.core.ratelimit import Limit
from gongkai.core.secrets import keyed_digest
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import can_edit

NAME_MAX = 50


def hourly_limit(name: str, default: int) -> tuple[Limit, ...]:
    """Submissions an address may make in an hour (operators may change them in settings)."""
    return (Limit(int(getattr(settings, name, default)), 3600),)


def address_hash(address: str | None) -> str:
    """A keyed digest of the sender's address: enough to see a flood from one address, useless to identify anyone."""
    return keyed_digest("interaction.address", address) if address else ""


def require_editor(user: Any, org: Organisation) -> None:
    if not can_edit(user, org):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以办理政民互动事项。"))


def clean_text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()
