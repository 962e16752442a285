"""Official typography of generated documents (GB/T 9704-2012《党政机关公文格式》), in one place.

The fonts come as ordered lists an operator can change (settings.DOCUMENT_FONTS, from GONGKAI_FONTS_<ROLE>): the
official ones first (方正小标宋, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体), so that a machine where they are installed uses
them, then the free fonts of Debian's packages (Noto CJK from fonts-noto-cjk, AR PL KaitiM GB from
fonts-arphic-gkai00mp). Debian has no free 仿宋 with simplified glyphs (cwTeX's lacks most of them), so the body falls
back to Noto Serif CJK SC.

The page: A4 with the standard margins (top 37 mm, binding side 28 mm; type area 156 × 225 mm), 28 lines of 28
characters of 3号 (16 pt) type; page numbers "— 1 —" in 4号 (14 pt) 宋体 7 mm below the type area, on the outer side
(odd pages right, even pages left), one character in from the edge.
"""

from __future__ import annotations

import re

from django.conf import settings

# Font family names are names, not text.
__i18n_exempt__ = ("DEFAULT_FONTS",)

ROLES = ("title", "body", "heading", "kai", "song")
DEFAULT_FONTS: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "小标宋", "Noto Serif CJK SC"),
    "body": ("仿宋_GB2312", "仿宋", "FangSong", "方正仿宋_GBK", "FZFangSong-Z02S", "Noto Serif CJK SC"),
    "heading": ("黑体", "SimHei", "方正黑体_GBK", "FZHei-B01S", "Noto Sans CJK SC"),
    "kai": ("楷体_GB2312", "楷体", "KaiTi", "方正楷体_GBK", "FZKai-Z03S", "AR PL KaitiM GB", "Noto Serif CJK SC"),
    "song": ("宋体", "SimSun", "方正书宋_GBK", "Noto Serif CJK SC"),
}

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # type area 156 × 225 mm
LINES_PER_PAGE = 28
CHARS_PER_LINE = 28
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
PAGE_NUMBER_GAP_MM = 7  # from the bottom of the type area to the page number's rule


def fonts(role: str) -> tuple[str, ...]:
    """The ordered font list of one role (title, body, heading, kai, song), as configured."""
    configured = getattr(settings, "DOCUMENT_FONTS", {}).get(role)
    return tuple(configured) if configured else DEFAULT_FONTS[role]


def css_family(role: str) -> str:
    generic = "sans-serif" if role == "heading" else "serif"
    return ", ".join(f'"{name}"' for name in fonts(role)) + f", {generic}"


def css_context() -> dict[str, str]:
    """What the document page's CSS needs (reports/report_page.html)."""
    width_mm = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
    height_mm = PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]
    return {
        **{f"font_{role}": css_family(role) for role in ROLES},
        "margin_top": f"{MARGINS_MM['top']}mm", "margin_bottom": f"{MARGINS_MM['bottom']}mm",
        "margin_inner": f"{MARGINS_MM['left']}mm", "margin_outer": f"{MARGINS_MM['right']}mm",
        "line_height": f"{height_mm / LINES_PER_PAGE:.4f}mm",
        # 28 characters fill the 156 mm line: each advances 156/28 mm, so the spacing is that less the type size.
        "letter_spacing": f"{width_mm / CHARS_PER_LINE * 72 / 25.4 - BODY_PT:.3f}pt",
        "body_pt": f"{BODY_PT}pt", "title_pt": f"{TITLE_PT}pt", "page_number_pt": f"{PAGE_NUMBER_PT}pt",
        "page_number_gap": f"{MARGINS_MM['bottom'] - PAGE_NUMBER_GAP_MM}mm",
    }


_RUN_IN = re.compile(r"^(（[一二三四五六七八九十]+）[^。]{1,30}。)(.*)$", re.S)


def run_in(paragraph: str) -> tuple[str, str]:
    """A second-level heading set run-in, as the official style does: "（一）主动公开情况。……" → (lead, rest)."""
    match = _RUN_IN.match(paragraph)
    return (match.group(1), match.group(2)) if match else ("", paragraph)
