"""Addresses without resolving the URL patterns each time.

`reverse()` walks the URL patterns on every call (~30 µs); a public page names forty addresses or more (its menu,
its lists). An address is reversed once per shape (name, which arguments, URL configuration, script prefix) with
stand-ins for its arguments, and then formatted with each call's values. Only values that `reverse()` writes
unchanged take the shortcut (non-negative ints, slug-like strings); anything else goes through `reverse()`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Hashable, Sequence
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_SAMPLE = 7_340_032_000_000_001  # appears nowhere in an address but where an argument goes
_SLUG = re.compile(r"[A-Za-z0-9_-]+\Z")
_MAX_SHAPES = 2_000  # past it, further shapes are reversed on every call (never wrong)

# shape key -> (the address's constant pieces, the argument each gap takes), or None: no shortcut for this shape
_shapes: dict[tuple[Hashable, ...], tuple[tuple[str, ...], tuple[int, ...]] | None] = {}
_lock = threading.Lock()


def _stand_in(index: int, value: Any) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _SAMPLE + index if value >= 0 else None
    if isinstance(value, str) and _SLUG.match(value) and index < 26:
        return f"zqstandin{chr(ord('a') + index)}qz"  # letters only: never inside another's digits
    return None


def _shape(
    view_name: str, positional: int, names: Sequence[str], stand_ins: list[Any], current_app: str | None
) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    try:
        address = reverse(view_name, args=stand_ins[:positional], kwargs=dict(zip(names, stand_ins[positional:],
                                                                                  strict=True)),
                          current_app=current_app)
    except NoReverseMatch:  # e.g. a string stand-in where the pattern wants digits
        return None
    found = []
    for index, stand_in in enumerate(stand_ins):
        text = str(stand_in)
        if address.count(text) != 1:  # the pattern transformed or repeated it: no shortcut
            return None
        found.append((address.index(text), len(text), index))
    found.sort()
    pieces, order, start = [], [], 0
    for position, length, index in found:
        pieces.append(address[start:position])
        order.append(index)
        start = position + length
    pieces.append(address[start:])
    return tuple(pieces), tuple(order)


def reverse_cached(
    view_name: str, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None, current_app: str | None = None
) -> str:
    """What `reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)` returns (and raises)."""
    kwargs = kwargs or {}
    values = [*args, *kwargs.values()]
    stand_ins = [_stand_in(index, value) for index, value in enumerate(values)]
    if any(stand_in is None for stand_in in stand_ins):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    key = (view_name, len(args), tuple(kwargs), tuple(isinstance(value, int) for value in values), current_app,
           get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    if key in _shapes:
        shape = _shapes[key]
    else:
        shape = _shape(view_name, len(args), list(kwargs), stand_ins, current_app)
        with _lock:
            if len(_shapes) < _MAX_SHAPES:
                _shapes[key] = shape
    if shape is None:
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    pieces, order = shape
    parts = [pieces[0]]
    for index, piece in zip(order, pieces[1:], strict=True):
        parts.append(str(values[index]))
        parts.append(piece)
    return "".join(parts)

