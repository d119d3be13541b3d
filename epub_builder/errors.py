"""Errors raised by the EPUB builder, placed in the project's tree (:mod:`gazette.errors`)::

    GazetteError
    ├── ConfigError
    │   └── CoverFontUnavailable   no CJK font found to draw the cover
    └── EpubWriteError             the EPUB could not be written (disk full, bad folder…)
"""

from __future__ import annotations

from gazette.errors import ConfigError, GazetteError


class CoverFontUnavailable(ConfigError):
    """No font able to draw Chinese text was found for the generated cover."""

    code = "cover_font_unavailable"


class EpubWriteError(GazetteError):
    """Writing the EPUB file failed; the target file is left untouched."""

    code = "epub_write_error"
