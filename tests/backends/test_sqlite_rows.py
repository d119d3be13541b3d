"""The embedded index's token streams (gazette.backends.sqlite.chars_and_grams): the
compiled version (gazette.backends._rows) gives exactly what the Python one gives, on
real texts and on generated ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazette import analysis
from gazette.backends import sqlite as sqlite_backend
from gazette.backends.sqlite import chars_and_grams, chars_and_grams_python

compiled = sqlite_backend._chars_and_grams_compiled
needs_compiled = pytest.mark.skipif(compiled is None, reason="gazette.backends._rows was not built (no C compiler)")


def test_streams_of_a_mixed_text():
    chars, grams = chars_and_grams_python("《住房公积金》2022年第3.1.2版，ABC-d.e 号")
    assert chars == "住 房 公 积 金 2022 年 第 3.1.2 版 abc d e 号"
    assert grams == "住房 房公 公积 积金 金 2022 年第 第 3.1.2 版 abc d e 号"
    assert chars_and_grams("") == ("", "")


#: Characters of generated texts: the ideograph ranges' bounds and their neighbours
#: outside, full-width forms and radicals that normal form folds, ASCII letters of both
#: cases, digits and dots (version numbers), punctuation, blanks and a character beyond
#: the BMP.
_ALPHABET = (
    "住房公积金法"
    "\u3400\u4dbf\u4dc0\u33ff\u4e00\u9fff\ua000\uf900\ufaff\ufb00\u4dff"
    "０１Ａａ\u2f00\u2ee8"
    "aZz09.. -，。、（）\n\t\u3000"
    "\U00020000"
)


@needs_compiled
@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_compiled_streams_equal_python_streams(text: str) -> None:
    assert compiled(analysis.normalize(text)) == chars_and_grams_python(text)


@needs_compiled
def test_compiled_streams_equal_python_streams_on_the_corpus(corpus_dir: Path) -> None:
    n = 0
    for name in ("local_policies.jsonl", "state_council.jsonl"):
        with open(corpus_dir / name, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                for text in (record.get("title") or "", record.get("text") or ""):
                    assert compiled(analysis.normalize(text)) == chars_and_grams_python(text)
                n += 1
    assert n > 1000
