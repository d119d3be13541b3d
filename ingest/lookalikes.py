"""Look-alike code points in a text layer → the unified ideographs they stand for.

Some PDF producers map a glyph shared by an ideograph and a radical to the radical's code
point: the page shows 行 but the text says ⾏ (U+2F8F, Kangxi) or 长 shows as ⻓ (U+2ED3,
CJK radicals supplement). :func:`fold` is the core's
:func:`gazette.analysis.fold_lookalikes` (Kangxi radicals via NFKC, and the supplement
table ``gazette/data/radicals_supplement.tsv`` where NFKC has no mapping). Everything
else — full-width punctuation and digits included — is
returned as printed; full-width digits are understood by the 发文字号 and date parsers.
"""

from __future__ import annotations

from gazette.analysis import fold_lookalikes

__all__ = ["fold"]


#: ``fold(text)``: ``text`` with Kangxi and radicals-supplement look-alikes replaced by
#: ideographs (the core's function itself: extract calls it for every line).
fold = fold_lookalikes
