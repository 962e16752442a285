"""Template filters for 政民互动 pages: personal data masked on the way out."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.personal_data import mask_name, mask_text
from gongkai.core.text import display_html

register = template.Library()


@register.filter
def masked(text: str) -> str:
    """Free text with identity numbers, phones, cards and e-mail addresses masked."""
    return mask_text(str(text or ""))


@register.filter
def masked_name(name: str) -> str:
    """张三 → 张*; empty stays empty."""
    return mask_name(str(name or ""))


@register.filter
def rich_text(value: str | None) -> SafeString:
    """A reply written in the rich-text editor (or, before it, as plain text), as sanitised HTML."""
    return mark_safe(display_html(value))  # noqa: S308 - display_html sanitises (core.text is the one gate)
