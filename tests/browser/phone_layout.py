"""What a page must look like on a phone (390 × 844): nothing wider than the screen, the menu folded until it is
opened, every control at least 44 px tall. Shared by the browser tests (tests.browser.phone_layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Controls (not links inside sentences) whose boxes must be a finger's size.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, input:not([type=hidden]):not([tabindex="-1"]), select, textarea, .nav-toggle, .display-mode, .pager a,'
    + ' .main-nav a, .button, .choice')]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.outerHTML.slice(0, 80), Math.round(e.getBoundingClientRect().height)])
  .filter(([, h]) => h < 44)"""

# What a strict Content-Security-Policy would block: inline scripts and styles, event-handler attributes.
INLINE_CODE = """() => [...document.querySelectorAll('*')].flatMap(e => [
   ...(e.tagName === 'SCRIPT' && !e.src ? ['<script> without src'] : []),
   ...(e.tagName === 'STYLE' ? ['<style>'] : []),
   ...[...e.attributes].filter(a => a.name === 'style' || a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)])"""


def layout_problems(page: Any, *, menu_open: bool = False) -> list[str]:
    """The ways the page as shown breaks the phone layout (empty when it is right)."""
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"scrolls sideways: {width}px wide")
    printable = page.evaluate("document.body.classList.contains('print-mode')")  # the page for printing: no menu
    if not printable and page.locator("#site-nav .nav-panel").is_visible() != menu_open:
        problems.append("menu open" if not menu_open else "menu closed")
    if not printable and not page.locator(".nav-toggle").is_visible():
        problems.append("no 菜单 button")
    problems += [f"small target {h}px: {html}" for html, h in page.evaluate(SMALL_TARGETS)]
    return problems


def check_layout(page: Any, name: str, *, menu_open: bool = False) -> None:
    """Photograph the page into test-artifacts/phone-<name>.png and assert the phone layout."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    assert layout_problems(page, menu_open=menu_open) == [], name
