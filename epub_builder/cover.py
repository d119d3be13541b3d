"""The generated JPEG cover: gazette name, year and issue, overall number, publisher.

Drawn with Pillow in a CJK font found on the system (no font is embedded in the
book): :func:`find_cjk_font` tries well-known paths, then asks fontconfig for any
font covering Chinese, and raises :class:`CoverFontUnavailable` with a hint when
there is none. The same inputs and font give the same JPEG bytes.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .errors import CoverFontUnavailable
from .xhtml import esc

WIDTH, HEIGHT = 1600, 2400
_RED = (190, 20, 30)
_INK = (30, 30, 30)

#: Fonts known to carry Chinese, serif faces first, as installed by common packages.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


@lru_cache(maxsize=1)
def find_cjk_font() -> Path:
    """A font file able to draw Chinese text (see module docstring)."""
    for candidate in KNOWN_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run(
                [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=20, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
        for f in files:
            if Path(f).is_file() and f.lower().endswith((".ttf", ".ttc", ".otf", ".otc")):
                return Path(f)
    raise CoverFontUnavailable(
        "no font with Chinese characters found for the EPUB cover; "
        "install one (e.g. apt-get install fonts-wqy-zenhei or fonts-noto-cjk)"
    )


def _fit(draw: ImageDraw.ImageDraw, text: str, font_path: Path, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    while True:
        font = ImageFont.truetype(str(font_path), size)
        if draw.textlength(text, font=font) <= max_width or size <= 24:
            return font
        size -= 4


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, font: ImageFont.FreeTypeFont, fill) -> int:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((WIDTH - (right - left)) // 2 - left, y - top), text, font=font, fill=fill)
    return y + (bottom - top)


def cover_jpeg(title: str, lines: list[str], footer: list[str], *, font_path: Path | None = None) -> bytes:
    """A JPEG cover: ``title`` as masthead, ``lines`` under a rule, ``footer`` at the bottom."""
    font_path = font_path or find_cjk_font()
    img = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    margin = 140
    head = _fit(draw, title, font_path, 150, WIDTH - 2 * margin)
    y = _centered(draw, 420, title, head, _RED)
    y += 90
    draw.rectangle((margin, y, WIDTH - margin, y + 14), fill=_RED)
    draw.rectangle((margin, y + 30, WIDTH - margin, y + 34), fill=_RED)
    y += 150
    for i, line in enumerate(lines):
        font = _fit(draw, line, font_path, 96 if i == 0 else 64, WIDTH - 2 * margin)
        y = _centered(draw, y, line, font, _INK) + 60
    y = HEIGHT - 260 - 100 * len(footer)
    for line in footer:
        font = _fit(draw, line, font_path, 60, WIDTH - 2 * margin)
        y = _centered(draw, y, line, font, _INK) + 40
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, optimize=True)
    return buf.getvalue()


def cover_alt(title: str, lines: list[str], footer: list[str]) -> str:
    """Alt text for the cover image: everything printed on it."""
    return "封面：" + "，".join([title, *lines, *footer])


def cover_body(image_href: str, alt: str) -> str:
    return (
        '<section class="cover" epub:type="cover">\n'
        f'<img role="doc-cover" src="{esc(image_href)}" alt="{esc(alt)}"/>\n</section>'
    )
