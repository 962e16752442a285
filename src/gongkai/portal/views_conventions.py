"""The display switches of every public page: 长者模式 (适老化) and 无障碍 (accessibility), kept in cookies.

A plain link sets or clears the cookie and sends the reader back, so the switches work without JavaScript;
conventions.js only saves the round trip.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

DISPLAY_MODES = {"elder": "gk_elder", "a11y": "gk_a11y"}  # mode -> cookie name
COOKIE_AGE = 365 * 24 * 3600


def active_modes(request: HttpRequest) -> list[str]:
    return [mode for mode, cookie in DISPLAY_MODES.items() if request.COOKIES.get(cookie) == "1"]


def display_mode(request: HttpRequest) -> HttpResponse:
    """GET ?mode=elder|a11y&on=1|0&next=/path: remember the choice, then return to `next` (this site only)."""
    target = request.GET.get("next", "/")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    cookie = DISPLAY_MODES.get(request.GET.get("mode", ""))
    if cookie is not None:
        if request.GET.get("on") == "1":
            response.set_cookie(cookie, "1", max_age=COOKIE_AGE, samesite="Lax", httponly=False)
        else:
            response.delete_cookie(cookie, samesite="Lax")
    return response


def _darker(colour: str, factor: float = 0.75) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02x}" for c in (red, green, blue))


def site_css(request: HttpRequest) -> HttpResponse:
    """The colours of the site being served, as a stylesheet (a strict CSP allows no inline style)."""
    from .fragments import site

    colour = site().colour
    rules = f":root {{ --red: {colour}; --red-dark: {_darker(colour)}; }}\n" if colour else ""
    response = HttpResponse(rules, content_type="text/css; charset=utf-8")
    # The address carries the colour (?c=…), so a changed colour is a new address.
    response["Cache-Control"] = "public, max-age=86400"
    return response
