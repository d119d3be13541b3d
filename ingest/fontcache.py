"""System fonts that pdfium loads once per process, not once per file.

A PDF that names a font without embedding it (STSong-Light, 宋体, 仿宋… — common in
gazettes) is read with a system font in its place. pdfium keeps a loaded system font in
a cache only while an open document uses it, and a TrueType collection (``.ttc``: most
CJK system fonts, 16–21 MB each) it reads in full before even looking in that cache. So
each file paid for reading the whole collection again and building its FreeType face: a
third of pdfium's time per page on the bench files (``bench/ingest_bench.py``).

Two parts, both only about *when* pdfium reads a font, never *which* font it reads:

* :func:`install` puts a thin layer over pdfium's system-font lookup (its own default
  implementation does all the work) that offers a collection as a plain font file of the
  same bytes. pdfium looks plain files up in its cache before reading them, and reads
  face 0 of a collection as it did (on Linux pdfium always took face 0: its default
  lookup reports no offset for the faces inside a collection).
* :class:`PageKeeper` keeps open, for the life of the process, each page whose loading
  read a system font (with its document), so that font's cache entry stays alive for
  the files that follow. At most :data:`KEEP_PAGES` pages are kept; past that, pdfium
  reads fonts per file as before.

Characters, boxes and sizes come out identical (``tests/ingest/test_fontcache.py``).
"""

from __future__ import annotations

import ctypes
import threading

from ingest.chars import _unchecked

__all__ = ["install", "installed", "font_reads", "PageKeeper", "KEEP_PAGES"]

#: Pages (with their documents) kept open so that their system fonts stay cached.
KEEP_PAGES = 8

_TTCF = 0x74746366  # the table tag pdfium asks for a whole collection with
_WHOLE_FILE = 0  # the table tag for a whole plain font file

_lock = threading.Lock()
_state: dict = {"installed": None, "reads": 0, "kept": []}


def font_reads() -> int:
    """How many times pdfium has read a whole system font file through :func:`install`'s
    layer in this process (a cache miss)."""
    return _state["reads"]


def installed() -> bool:
    """Whether :func:`install` has put its layer in place in this process."""
    return bool(_state["installed"])


def install() -> bool:
    """Put the layer over pdfium's system-font lookup (see the module docstring), once
    per process (forked workers inherit it). Returns whether it is in place: not on a
    platform where pdfium has no default lookup to wrap."""
    with _lock:
        if _state["installed"] is not None:
            return bool(_state["installed"])
        _state["installed"] = _install()
        return bool(_state["installed"])


def _install():
    import pypdfium2.raw as raw

    default_ptr = raw.FPDF_GetDefaultSystemFontInfo()
    if not default_ptr:
        return False
    default = default_ptr.contents
    this = ctypes.byref(default)

    def get_font_data(_, handle, table, buffer, size):
        if table == _TTCF or table == _WHOLE_FILE:
            collection = default.GetFontData(this, handle, _TTCF, None, 0)
            # a collection whose faces pdfium finds no offset for (it then reads face 0)
            # is offered as a plain file of the same bytes; anything else passes through
            if collection and not default.GetFontData(this, handle, _WHOLE_FILE, None, 0):
                if table == _TTCF:
                    return 0
                if buffer and size >= collection:
                    _state["reads"] += 1
                    return default.GetFontData(this, handle, _TTCF, buffer, size)
                return collection
            if table == _WHOLE_FILE and buffer and size:
                _state["reads"] += 1
        return default.GetFontData(this, handle, table, buffer, size)

    def forward(name):
        call = getattr(default, name)
        return lambda _, *args: call(this, *args)

    info = raw.FPDF_SYSFONTINFO()
    info.version = default.version
    callbacks = []
    for name, kind in raw.FPDF_SYSFONTINFO._fields_:
        if name == "version":
            continue
        if name == "GetFontData":
            fn = get_font_data
        elif name == "Release":
            fn = _release_nothing  # the default lookup lives as long as the process
        else:
            fn = forward(name)
        callback = kind(fn)
        callbacks.append(callback)
        setattr(info, name, callback)
    raw.FPDF_SetSystemFontInfo(ctypes.byref(info))
    # pdfium calls back into these objects for the rest of the process
    return (info, default_ptr, callbacks)


def _release_nothing(_) -> None:
    return None


class PageKeeper:
    """Opens and closes one document's pages for an extractor, keeping open each page
    whose loading read a system font (see the module docstring).

    Use :meth:`open` / :meth:`close` for every page and :meth:`close_document` instead
    of closing the document: a document with a kept page stays open. Pages are pdfium
    handles (ints: :func:`ingest.chars.page_chars_at` reads them), loaded and closed
    through pdfium's functions directly; a page kept is held as a pypdfium2 page of its
    document, so that pypdfium2 closes it before the document.
    """

    def __init__(self, doc) -> None:
        self.doc = doc
        self._handle = ctypes.c_void_p(ctypes.cast(doc.raw, ctypes.c_void_p).value)
        #: handle of each open page -> (its index, whether loading it read a system font)
        self._open: dict[int, tuple[int, bool]] = {}
        self._kept = False

    def open(self, index: int) -> int:
        """Page ``index`` (0-based) of the document, loaded: its pdfium handle."""
        before = _state["reads"]
        handle = _unchecked("FPDF_LoadPage", ctypes.c_void_p)(self._handle, index)
        if not handle:
            import pypdfium2 as pdfium

            raise pdfium.PdfiumError("Failed to load page.")
        self._open[handle] = (index, _state["reads"] != before)
        return handle

    def close(self, handle: int) -> None:
        """Close page ``handle`` — unless loading it read a system font and fewer than
        :data:`KEEP_PAGES` pages are kept: then the page stays open for good (loaded
        again as a pypdfium2 page, with the font now in pdfium's cache)."""
        entry = self._open.pop(handle, None)
        if entry is None:  # not open here (closed already): pdfium must not close it twice
            return
        index, fresh = entry
        if fresh and len(_state["kept"]) < KEEP_PAGES:
            _state["kept"].append((self.doc, self.doc[index]))
            self._kept = True
        _unchecked("FPDF_ClosePage", None)(ctypes.c_void_p(handle))

    def close_document(self) -> None:
        """Close the document, unless one of its pages is kept."""
        if not self._kept:
            self.doc.close()
