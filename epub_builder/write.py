"""Writing a built book: to a file (atomically) or to bytes.

ebooklib's ``write_epub`` returns False on an OSError unless told to raise
(``options={"raise_exceptions": True}``, ebooklib 0.20 ``epub.write_epub``); we always
tell it to, and turn the error into :class:`EpubWriteError`. The file is written to a
temporary name in the target folder and renamed over the target, so readers (and
the API's cache) never see a half-written file.

The ZIP is then normalised — fixed timestamps (``dcterms:modified``), fixed
permissions, ``mimetype`` first and stored — so the same data always yields the same
bytes and a hash of them can serve as an ETag.
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings
import zipfile
from pathlib import Path

from ebooklib import epub

from .book import GazetteBook
from .errors import EpubWriteError


def _options(book: GazetteBook) -> dict:
    # mtime sets dcterms:modified; no EPUB 2 guide (the nav's landmarks replace it).
    return {"raise_exceptions": True, "mtime": book.modified, "epub2_guide": False, "epub3_landmark": False}


def _normalised(raw: bytes, book: GazetteBook) -> bytes:
    stamp = book.modified.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        names.sort(key=lambda n: n != "mimetype")  # stable: keeps ebooklib's order otherwise
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, src.read(name))
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


def _write_epub(target, book: GazetteBook) -> None:
    with warnings.catch_warnings():
        # ebooklib warns about its own default even when told to raise.
        warnings.filterwarnings("ignore", message="In the future throwing exceptions", category=UserWarning)
        epub.write_epub(target, book.book, _options(book))


def epub_bytes(book: GazetteBook) -> bytes:
    """The EPUB file's bytes (deterministic for the same data)."""
    buf = io.BytesIO()
    _write_epub(buf, book)
    return _normalised(buf.getvalue(), book)


def write_book(book: GazetteBook, path: Path) -> Path:
    """Write ``book`` to ``path`` atomically; raise :class:`EpubWriteError` on failure."""
    path = Path(path)
    folder = path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        _write_epub(tmp_name, book)
        data = _normalised(Path(tmp_name).read_bytes(), book)
        with open(tmp_name, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise EpubWriteError(f"cannot write EPUB to {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return path
