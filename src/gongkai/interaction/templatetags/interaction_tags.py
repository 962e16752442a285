"""Template filters for 政民互动 pages: personal data masked on the way out."""

from __future__ import annotations

from django import template

from gongkai.core.personal_data import mask_name, mask_text

register = template.Library()


@register.filter
def masked(text: str) -> str:
    """Free text with identity numbers, phones, cards and e-mail addresses masked."""
    return mask_text(str(text or ""))


@register.filter
def masked_name(name: str) -> str:
    """张三 → 张*; empty stays empty."""
    return mask_name(str(name or ""))
