"""Look-alike code points in a text layer → the unified ideographs they stand for.

Some PDF producers map a glyph shared by an ideograph and a radical to the radical's code
point: the page shows 行 but the text says ⾏ (U+2F8F, Kangxi) or 长 shows as ⻓ (U+2ED3,
CJK radicals supplement). :func:`fold` applies the core's
:func:`gazette.analysis.fold_lookalikes` (Kangxi radicals, via NFKC) and then the
supplement table ``ingest/data/radicals_supplement.tsv`` (NFKC has no mapping for most of
U+2E80–U+2EFF). Everything else — full-width punctuation and digits included — is
returned as printed; full-width digits are understood by the 发文字号 and date parsers.
"""

from __future__ import annotations

import functools
from pathlib import Path

from gazette.analysis import fold_lookalikes

__all__ = ["fold", "supplement_table"]

DATA = Path(__file__).resolve().parent / "data" / "radicals_supplement.tsv"


@functools.cache
def supplement_table() -> dict[int, str]:
    """Code point → ideograph, from ``radicals_supplement.tsv``."""
    table: dict[int, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        src, dst = line.split("\t")[:2]
        table[int(src[2:], 16)] = chr(int(dst[2:], 16))
    return table


def fold(text: str) -> str:
    """``text`` with Kangxi and radicals-supplement look-alikes replaced by ideographs."""
    return fold_lookalikes(text).translate(supplement_table())
