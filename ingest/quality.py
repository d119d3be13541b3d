"""Is a page's extracted text real text? Detects fonts without a usable ToUnicode map.

Reads: the text of one page as an extractor returned it.
Writes: a :class:`TextQuality` verdict — ``ok`` or the reason it is not:

* ``cid`` — pdfminer's ``(cid:N)`` placeholders: the font has no ToUnicode map;
* ``not_chinese`` — mostly Latin-1 / symbol characters where a Chinese page is expected
  (pypdfium2's rendering of such fonts: "Ä ÅÇÉÑÖ…");
* ``implausible`` — real ideographs in an order no Chinese text has (a ToUnicode map
  pointing at the wrong characters): the share of ideographs that form a known pair
  with a neighbour (the *language score*) is below that of real text. The pairs are
  the adjacent characters of common words of jieba's dictionary, shipped as
  ``ingest/data/bigrams.txt`` (``scripts/build_bigrams.py``), so judging a page needs
  no segmenter. On 300-character windows of ../shared/corpus (three samples of about
  1,450): real text scores ≥ 0.66 (1 % below 0.76); the same windows with every
  character of their document mapped to another one of it (the wrong-map case) ≤ 0.67
  (1 % above 0.56); shuffled ≤ 0.53. The segmenter's word score separated them
  somewhat better, at the cost of loading jieba's dictionary into every ingest process
  (0.6 s) and about 1.5 ms a page. A character repeated three or more times in a row
  counts as unpaired (a wrong map can turn a 目录's dotted leaders into 家家家…, and
  家家 is a word).

Pages with too few characters to judge (< :data:`MIN_HAN` ideographs) are ``ok``.
"""

from __future__ import annotations

import functools
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from ingest.chars import _compiled

__all__ = [
    "TextQuality", "judge", "language_score", "language_score_compiled", "language_score_python",
    "MIN_HAN", "MIN_SCORE", "SAMPLE_HAN", "SURE_SCORE",
]

#: Fewest ideographs on a page for the language score to be trusted.
MIN_HAN = 40
#: Ideographs a language score is measured on (the first runs of the page).
SAMPLE_HAN = 400
#: Language score below which a page counts as implausible.
MIN_SCORE = 0.66
#: Language score above which a page is trusted even in a file whose other pages are
#: implausible (below it, such a page is doubtful: :mod:`ingest.recover`).
SURE_SCORE = 0.74

#: Runs of anything but ideographs: a page's ideographs are what is left once they are
#: removed (no list of every ideograph to build).
_NOT_HAN_RUN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_REPEATED = re.compile(r"(.)\1{2,}")
_LATIN_EXT = re.compile(r"[\u0080-\u024f\u2000-\u206f\u2100-\u22ff]")
_PAIRS = Path(__file__).with_name("data") / "bigrams.txt"


@dataclass(frozen=True)
class TextQuality:
    ok: bool
    reason: str | None = None  # "cid" | "not_chinese" | "implausible"
    score: float | None = None


@functools.cache
def _follows() -> dict[str, str]:
    """First character of a known pair → the characters that may follow it."""
    lines = _PAIRS.read_text("utf-8").splitlines()
    return {line[0]: line[1:] for line in lines if line}


def language_score(text: str) -> float | None:
    """Share of ideographs in ``text`` that form a known pair with a neighbour
    (``None`` when there are fewer than :data:`MIN_HAN` ideographs), measured on the
    runs of ideographs up to the first :data:`SAMPLE_HAN`: :func:`language_score_compiled`
    when :mod:`ingest._chars` was built (about 0.075 ms a page in Python, 0.015 compiled), else
    :func:`language_score_python` — the same score either way."""
    if _compiled is not None:
        return language_score_compiled(text)
    return language_score_python(text)


def language_score_compiled(text: str) -> float | None:
    """:func:`language_score_python` in C (:mod:`ingest._chars`); raises ``ImportError``
    when the extension was not built."""
    if _compiled is None:
        raise ImportError("ingest._chars was not built")
    return _compiled.language_score(text, *_pair_table(), MIN_HAN, SAMPLE_HAN)


#: The first characters :func:`_pair_table` indexes: every ideograph the score reads.
_INDEXED = range(0x3400, 0xA000)


@functools.cache
def _pair_table() -> tuple[bytes, bytes]:
    """The known pairs of :func:`_follows` as :mod:`ingest._chars` looks them up: sorted
    64-bit keys (first << 32 | second), and for each first character of
    :data:`_INDEXED` and one past them, the offset of its first key (32 bits)."""
    keys = sorted({ord(a) << 32 | ord(b) for a, following in _follows().items() for b in following})
    index = [bisect_left(keys, c << 32) for c in range(_INDEXED.start, _INDEXED.stop + 1)]
    return array("Q", keys).tobytes(), array("I", index).tobytes()


def language_score_python(text: str) -> float | None:
    """:func:`language_score` in Python — the reference for the compiled one."""
    runs = _HAN_RUN.findall(text)
    total = sum(len(r) for r in runs)
    if total < MIN_HAN:
        return None
    if total > SAMPLE_HAN:  # enough to tell prose from shuffled characters
        sample, total = [], 0
        for run in runs:
            sample.append(run)
            total += len(run)
            if total >= SAMPLE_HAN:
                break
        runs = sample
    follows = _follows()
    paired = 0
    # a repeated character stays in ``total``, as unpaired; one substitution for all runs
    for piece in _REPEATED.sub(" ", " ".join(runs)).split():
        before = False  # the character before this one paired with it
        for a, b in zip(piece, piece[1:]):
            after = b in follows.get(a, "")
            if before or after:
                paired += 1
            before = after
        if before:
            paired += 1  # the last character, paired with the one before it
    return paired / total


def judge(text: str) -> TextQuality:
    """The verdict for one page's text (see the module docstring)."""
    if "(cid:" in text:
        return TextQuality(False, "cid")
    visible = "".join(text.split())  # without blanks (str.split's are regex \s)
    if not visible:
        return TextQuality(True)
    latin = len(_LATIN_EXT.findall(visible))
    # the ideographs are counted only for a page that may not be Chinese (few are)
    if latin > 0.2 * len(visible) and len(_NOT_HAN_RUN.sub("", visible)) < 0.3 * len(visible):
        return TextQuality(False, "not_chinese")
    score = language_score(visible)
    if score is not None and score < MIN_SCORE:
        return TextQuality(False, "implausible", round(score, 3))
    return TextQuality(True, score=None if score is None else round(score, 3))
