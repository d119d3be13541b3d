"""Is a page's extracted text real text? Detects fonts without a usable ToUnicode map.

Reads: the text of one page as an extractor returned it.
Writes: a :class:`TextQuality` verdict — ``ok`` or the reason it is not:

* ``cid`` — pdfminer's ``(cid:N)`` placeholders: the font has no ToUnicode map;
* ``not_chinese`` — mostly Latin-1 / symbol characters where a Chinese page is expected
  (pypdfium2's rendering of such fonts: "Ä ÅÇÉÑÖ…");
* ``implausible`` — real ideographs in an order no Chinese text has (a ToUnicode map
  pointing at the wrong characters): the share of ideographs that form words of two or
  more characters in the jieba dictionary (the *language score*) is far below that of
  real text (≈ 0.75–0.95 for prose; shuffled characters score ≈ 0.1–0.55). A character
  repeated three or more times in a row counts as outside any word (a wrong map can
  turn a 目录's dotted leaders into 家家家…, and 家家 is in the dictionary).

Pages with too few characters to judge (< :data:`MIN_HAN` ideographs) are ``ok``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["TextQuality", "judge", "language_score", "MIN_HAN", "MIN_SCORE", "SAMPLE_HAN"]

#: Fewest ideographs on a page for the language score to be trusted.
MIN_HAN = 40
#: Ideographs a language score is measured on (the first runs of the page).
SAMPLE_HAN = 400
#: Language score below which a page counts as implausible.
MIN_SCORE = 0.6

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_REPEATED = re.compile(r"(.)\1{2,}")
_LATIN_EXT = re.compile(r"[\u0080-\u024f\u2000-\u206f\u2100-\u22ff]")


@dataclass(frozen=True)
class TextQuality:
    ok: bool
    reason: str | None = None  # "cid" | "not_chinese" | "implausible"
    score: float | None = None


@functools.cache
def _tokenizer():
    from gazette.analysis import tokenizer  # the shared jieba instance with the project dictionary

    return tokenizer()


def language_score(text: str) -> float | None:
    """Share of ideographs in ``text`` inside dictionary words of ≥ 2 characters
    (``None`` when there are fewer than :data:`MIN_HAN` ideographs), measured on the
    runs of ideographs up to the first :data:`SAMPLE_HAN` — segmenting a whole page
    would cost more than reading it."""
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
    tok = _tokenizer()
    freq = tok.FREQ
    in_words = 0
    # a character repeated three times or more is no language, though 家家 is a word: a
    # wrong map can turn a 目录's dotted leaders into 家家家家…
    pieces = [p for run in runs for p in _REPEATED.sub(" ", run).split()]
    for run in pieces:
        for word in tok.cut(run, HMM=False):
            if len(word) >= 2 and freq.get(word):
                in_words += len(word)
    return in_words / total


def judge(text: str) -> TextQuality:
    """The verdict for one page's text (see the module docstring)."""
    if "(cid:" in text:
        return TextQuality(False, "cid")
    visible = re.sub(r"\s+", "", text)
    if not visible:
        return TextQuality(True)
    han = len(_HAN.findall(visible))
    latin = len(_LATIN_EXT.findall(visible))
    if latin > 0.2 * len(visible) and han < 0.3 * len(visible):
        return TextQuality(False, "not_chinese")
    score = language_score(visible)
    if score is not None and score < MIN_SCORE:
        return TextQuality(False, "implausible", round(score, 3))
    return TextQuality(True, score=None if score is None else round(score, 3))
