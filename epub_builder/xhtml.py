"""The XHTML skeleton every page of the book shares, and text escaping.

All text that comes from the archive passes through :func:`esc`: it escapes markup
characters and drops characters XML 1.0 forbids (form feeds and other control codes
that PDF extraction can leave behind), so every page is well-formed whatever the
source text holds.
"""

from __future__ import annotations

import datetime as dt
import html
import re

LANG = "zh-CN"
STYLESHEET = "styles/gazette.css"

_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow."""
    return _XML_ILLEGAL.sub("", text)


def esc(text: str) -> str:
    """Escape ``text`` for XHTML element content and attribute values."""
    return html.escape(clean(text), quote=True)


def cn_date(day: dt.date) -> str:
    """2022年6月10日."""
    return f"{day.year}年{day.month}月{day.day}日"


def page(title: str, body: str, *, depth: int = 1, body_class: str = "") -> bytes:
    """A complete XHTML content document.

    ``depth`` is how many folders the page sits below the package root (EPUB/), so
    the stylesheet link resolves; ``body`` is already-escaped markup.
    """
    css = "../" * depth + STYLESHEET
    cls = f' class="{body_class}"' if body_class else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<!DOCTYPE html>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{LANG}" xml:lang="{LANG}">\n'
        f"<head>\n<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{css}"/>\n</head>\n'
        f"<body{cls}>\n{body}\n</body>\n</html>\n"
    ).encode("utf-8")
