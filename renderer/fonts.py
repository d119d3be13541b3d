"""Font registration for the renderer and checks of which characters a font can carry.

Two font modes (see :class:`renderer.spec.RenderOptions`):

* ``cid`` — reportlab's built-in ``STSong-Light`` (Adobe-GB1, encoding UniGB-UCS2-H). No
  file is needed and none is embedded; PDF readers and pdfminer map the codes back to
  Unicode through the standard Adobe CMaps. A character outside Adobe-GB1 (e.g. U+2022 •,
  zero-width joiners) would come back as ``(cid:0)``; :func:`unsupported_chars` finds them.
* ``ttf`` — a TrueType CJK font embedded as subsets with a ToUnicode map, as real gazettes
  made with Word/WPS are. :func:`find_ttf` looks for a font file; a request for ``ttf``
  with none installed raises :class:`FontUnavailable` with a hint.

Only one face exists in each mode, so the heading styles (黑体 for 一、, 楷体 for （一）)
use the same face; the :class:`FontSet` keeps them as separate roles so a variant with
real bold or kai faces only has to fill the roles differently.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont, TTFError

from gazette.errors import ConfigError

from .spec import RenderOptions

CID_FONT = "STSong-Light"

#: Characters the UniGB-UCS2-H CMap lacks but whose Adobe-GB1 glyph is reachable through
#: another code point that maps back to the original character on extraction (U+00B7 ·
#: is CID 99, reached via U+30FB). Applied when painting with the CID font only.
CID_ALIASES: dict[str, str] = {"\u00b7": "\u30fb"}

#: TrueType CJK fonts tried in order for ``font="ttf"`` (Debian package paths).
TTF_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
)


class FontUnavailable(ConfigError):
    """The requested font cannot be used (e.g. ``ttf`` asked for, no CJK TrueType font installed)."""

    code = "font_unavailable"


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names for each typographic role of a document."""

    body: str  # 仿宋 role: body text, 主送机关, signature, dates
    title: str  # 小标宋 role: 发文机关标志 and titles
    heading1: str  # 黑体 role: 一、 headings, 附件N labels
    heading2: str  # 楷体 role: （一） headings
    mode: str  # "cid" or "ttf"
    ttf_path: Path | None = None

    def encode(self, text: str) -> str:
        """The string to hand to drawString so that ``text`` is what a reader extracts."""
        if self.mode != "cid" or not any(c in CID_ALIASES for c in text):
            return text
        return "".join(CID_ALIASES.get(c, c) for c in text)

    def unsupported(self, text: str) -> str:
        """Characters of ``text`` this font set cannot print faithfully, in first-seen order."""
        if self.mode == "cid":
            return unsupported_chars(text)
        return _ttf_unsupported(self.body, text)


def find_ttf() -> Path | None:
    """The first installed TrueType CJK font among :data:`TTF_CANDIDATES`, or None."""
    return next((p for p in TTF_CANDIDATES if p.is_file()), None)


def fonts_for(options: RenderOptions) -> FontSet:
    """Register (once per process) and return the fonts selected by ``options``.

    Raises :class:`FontUnavailable` when ``font="ttf"`` cannot be satisfied.
    """
    if options.font == "cid":
        _register_cid()
        return FontSet(CID_FONT, CID_FONT, CID_FONT, CID_FONT, mode="cid")
    path = options.ttf_path or find_ttf()
    if path is None or not Path(path).is_file():
        raise FontUnavailable(
            "font='ttf' needs a TrueType CJK font; none found "
            f"(tried {', '.join(str(p) for p in ((path,) if path else TTF_CANDIDATES))}). "
            "Install fonts-wqy-zenhei or pass ttf_path."
        )
    name = _register_ttf(str(path))
    return FontSet(name, name, name, name, mode="ttf", ttf_path=Path(path))


@functools.cache
def _register_cid() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))


@functools.cache
def _register_ttf(path: str) -> str:
    name = "CJK-" + Path(path).stem
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError) as exc:
        raise FontUnavailable(f"cannot load TrueType font {path}: {exc}") from exc
    return name


@functools.cache
def _gb1_maps():
    from pdfminer.cmapdb import CMapDB

    return CMapDB.get_cmap("UniGB-UCS2-H"), CMapDB.get_unicode_map("Adobe-GB1")


@functools.cache
def cid_supports(char: str) -> bool:
    """Whether ``char`` survives STSong-Light: encodable in UniGB-UCS2-H and mapped back to itself."""
    if char.isspace():
        return True
    if char in CID_ALIASES:
        return _cid_code_maps_to(CID_ALIASES[char], char)
    return _cid_code_maps_to(char, char)


def _cid_code_maps_to(code_char: str, char: str) -> bool:
    code = ord(code_char)
    if code > 0xFFFF:
        return False
    cmap, umap = _gb1_maps()
    cids = list(cmap.decode(code.to_bytes(2, "big")))
    if len(cids) != 1 or not cids[0]:
        return False
    try:
        return umap.get_unichr(cids[0]) == char
    except KeyError:
        return False


def unsupported_chars(text: str) -> str:
    """Characters of ``text`` that the CID font cannot round-trip, each once, in order."""
    return "".join(dict.fromkeys(c for c in text if not cid_supports(c)))


def _ttf_unsupported(font_name: str, text: str) -> str:
    face = pdfmetrics.getFont(font_name).face
    return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in face.charToGlyph))
