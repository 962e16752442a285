"""Addresses by number without resolving the URL patterns each time.

`reverse()` walks the URL patterns on every call (~30 µs); a public list page names twenty items or more. An
address whose only variable part is one number is reversed once per URL configuration and script prefix, then
formatted.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_SAMPLE = 7_340_032_000_000_001  # appears nowhere in an address but where the number goes
_shapes: dict[tuple[str, str, str, str], tuple[str, str]] = {}


def reverse_number(name: str, keyword: str, number: int | None) -> str:
    """`reverse(name, kwargs={keyword: number})`, for a pattern whose only argument is that number."""
    if number is None:  # an unsaved object: what reverse() says about it
        return reverse(name, kwargs={keyword: number})
    key = (name, keyword, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    shape = _shapes.get(key)
    if shape is None:
        head, found, tail = reverse(name, kwargs={keyword: _SAMPLE}).partition(str(_SAMPLE))
        if not found:  # a pattern that transforms its argument: no shortcut
            return reverse(name, kwargs={keyword: number})
        shape = _shapes[key] = (head, tail)
    return f"{shape[0]}{int(number)}{shape[1]}"
