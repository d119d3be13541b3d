"""Recovery of pages without usable text: a second extractor, then OCR.

Reads: the pages of a first extraction (:mod:`ingest.extract`) and the open pypdfium2
document. Writes: the same pages, with text re-read where the first extractor's was
garbage (:func:`ingest.quality.judge`) and OCR'd (:mod:`ingest.ocr`) where no
extractor gives usable text or the page holds only images; pages that needed OCR but
got none are flagged ``ocr_unavailable``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.extract import Line, PageText

__all__ = ["recover_pages"]


def recover_pages(doc, pages: list[PageText], warnings: list[str], *, ocr: bool, reread: Callable[[int], list[Line]]) -> None:
    """Second extractor, then OCR, for pages without usable text.

    ``doc`` is the open pypdfium2 document (OCR renders its pages); ``reread(number)``
    reads page ``number`` (1-based) with the second extractor. Pages are changed in
    place: their lines, ``source``, ``ocr_confidence`` and ``flags``; what happened is
    appended to ``warnings`` (one line per page).
    """
    from ingest.quality import SURE_SCORE, judge

    verdicts = {p.number: judge("".join(ln.text for ln in p.lines)) for p in pages}
    bad_font = any(not v.ok for v in verdicts.values())
    need_ocr: dict[int, str] = {}
    for page in pages:
        verdict = verdicts[page.number]
        if not verdict.ok:
            try:
                retry = reread(page.number)
            except Exception:  # pragma: no cover - the fallback itself failed
                retry = []
            second = judge("".join(ln.text for ln in retry))
            if retry and second.ok and (second.score is None or second.score >= SURE_SCORE):
                page.lines, page.source = retry, "reread"
                warnings.append(f"page {page.number}: unusable text layer ({verdict.reason}); read by the second extractor")
                continue
            need_ocr[page.number] = f"unusable text layer ({verdict.reason})"
        elif not page.has_text and page.image_count:
            need_ocr[page.number] = "image-only page"
        elif bad_font and page.has_text and (verdict.score is None or verdict.score < SURE_SCORE):
            # same file as pages with a wrong ToUnicode map: a middling score is suspect too,
            # and so is a page too short to judge (a last page with the 署名 and date)
            need_ocr[page.number] = "doubtful text layer"
    if not need_ocr:
        return
    from ingest.ocr import OcrUnavailable, available, ocr_page

    reason = "disabled" if not ocr else available()
    for page in pages:
        why = need_ocr.get(page.number)
        if why is None:
            continue
        if why.startswith(("unusable", "doubtful")):
            page.lines = []  # wrong text is worse than none
        if reason is None:
            try:
                pdf_page = doc[page.number - 1]
                try:
                    # a page with images may be a scan (dust, tilt); vector glyphs are OCR'd as drawn
                    result = ocr_page(pdf_page, page.number, scanned=page.image_count > 0)
                finally:
                    pdf_page.close()
            except OcrUnavailable as exc:
                reason = str(exc)
            else:
                page.lines, page.source, page.ocr_confidence = result.lines, "ocr", result.confidence
                page.flags.append("ocr")
                warnings.append(f"page {page.number}: {why}; text read by OCR (confidence {result.confidence:.2f})")
                continue
        page.flags.append("ocr_unavailable")
        page.source = "none"
        warnings.append(f"page {page.number}: {why}; OCR unavailable ({reason}), nothing extracted")
