"""How people are named on every page (姓名): family name first, no space between, as Chinese names are written.

Django's own `get_full_name()` puts the given name first ("晓明 张"); nothing here uses it.
"""

from __future__ import annotations

from typing import Any


def display_name(user: Any, default: str = "") -> str:
    """`user`'s name (姓 + 名), else the user name; `default` for nobody (a system action)."""
    if user is None:
        return default
    name = f"{getattr(user, 'last_name', '') or ''}{getattr(user, 'first_name', '') or ''}".strip()
    return name or str(user.get_username())
