"""Highlights: where a query's terms are marked in a hit's title and body.

The index matches a term's tokens across anything between them (spaces, line breaks,
punctuation) and on the normal form (full-width letters, radicals, upper case), so
highlighting must find the same places on the original text. Snippets look for matches
only as far as they need; they must come out exactly as if every match had been found
first, which the reference below does.
"""

from __future__ import annotations

import re
from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from gazette import analysis

# A little of everything the analyser treats specially: Han characters (one a Kangxi
# radical's ideograph, 长), full-width letters and digits, upper case, full-width and
# ASCII punctuation, ideographic and ASCII spaces, line breaks.
_ALPHABET = "住房公积金长⻓⾧办法abcABCＡＢｃ１2．.，。、（）() \u3000\n"


def _reference_spans(text: str, terms: list[analysis.QueryTerm]) -> list[tuple[int, int]]:
    """Every match on the full normal form, merged: what highlights must mark."""
    norm = analysis.normalize(text)
    between = f"[^{analysis._HAN}a-z0-9]*"
    spans = sorted(
        (m.start(), m.end())
        for term in terms
        for m in re.finditer(between.join(map(re.escape, term.chars)), norm)
    )
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _reference_snippets(text: str, terms, width: int = 60, limit: int = 3) -> list[str]:
    """Snippets cut with every match known in advance."""
    spans = _reference_spans(text, terms)
    out: list[str] = []
    used_until = -1
    for s, e in spans:
        if s < used_until:
            continue
        start = max(0, s - width // 3)
        nl = text.rfind("\n", start, s)
        if nl != -1:
            start = nl + 1
        end = max(min(len(text), start + width), e)
        nl = text.find("\n", e, end)
        if nl != -1:
            end = nl
        pieces, cur = [], start
        for s2, e2 in spans:
            if e2 <= start or s2 >= end:
                continue
            s2, e2 = max(s2, start), min(e2, end)
            pieces += [escape(text[cur:s2], quote=False), f"<mark>{escape(text[s2:e2], quote=False)}</mark>"]
            cur = e2
        pieces.append(escape(text[cur:end], quote=False))
        out.append("".join(pieces).strip())
        used_until = end
        if len(out) >= limit:
            break
    return out


def test_a_match_across_punctuation_is_highlighted():
    terms = analysis.query_terms("住房公积金")
    assert analysis.snippets("关于住房，公积金的通知", terms) == ["关于<mark>住房，公积金</mark>的通知"]


def test_the_normal_form_is_highlighted_on_the_original_characters():
    text = "ＡＢＣ、Abc 与 ⻓期"
    assert analysis.mark_all(text, analysis.query_terms("abc 长期")) == (
        "<mark>ＡＢＣ</mark>、<mark>Abc</mark> 与 <mark>⻓期</mark>"
    )


def test_full_width_punctuation_inside_a_number_still_matches():
    terms = analysis.query_terms("2.5")
    assert analysis.highlight_spans("比例为２．５倍", terms) == [(3, 6)]


def test_snippets_of_a_long_text_stop_at_the_limit_in_order():
    text = "\n".join(f"第{n}条 住房公积金缴存比例。" for n in range(2000))
    got = analysis.snippets(text, analysis.query_terms("公积金"), limit=3)
    assert got == _reference_snippets(text, analysis.query_terms("公积金"), limit=3)
    assert [g.split(" ")[0] for g in got] == ["第0条", "第1条", "第2条"]


def test_overlapping_windows_mark_every_match_inside():
    # The second snippet starts before the first one ends (its window reaches back a
    # third of its width): the matches in the overlap are marked again.
    text = "房" + "甲" * 58 + "房乙房" + "丙" * 100
    terms = analysis.query_terms("房")
    assert analysis.snippets(text, terms) == _reference_snippets(text, terms)
    assert len(analysis.snippets(text, terms)) == 2


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=_ALPHABET, max_size=300),
    queries=st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=6), min_size=1, max_size=3),
    width=st.integers(min_value=4, max_value=80),
    limit=st.integers(min_value=1, max_value=4),
)
def test_snippets_and_spans_equal_the_reference(text, queries, width, limit):
    terms = analysis.query_terms(" ".join(queries))
    assert analysis.highlight_spans(text, terms) == (_reference_spans(text, terms) if terms else [])
    got = analysis.snippets(text, terms, width=width, limit=limit)
    assert got == (_reference_snippets(text, terms, width, limit) if terms else [])


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=200), data=st.data())
def test_snippets_of_queries_cut_from_the_text(text, data):
    """Queries taken from the text itself, so that most of them match."""
    if not text:
        return
    a = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    b = data.draw(st.integers(min_value=a + 1, max_value=min(len(text), a + 8)))
    terms = analysis.query_terms(text[a:b].replace('"', ""))
    assert analysis.snippets(text, terms) == (_reference_snippets(text, terms) if terms else [])
