"""Text analysis shared by every search backend.

One analyser turns text into the tokens both backends index and query with, so the
embedded archive and Elasticsearch see the same words:

* :func:`normalize` — a length-preserving, per-character normal form used for
  matching: full-width ASCII → ASCII, lower case, Kangxi / CJK-supplement radicals →
  the unified ideographs they stand for. Because it maps one character to exactly one
  character, offsets found in the normal form are offsets in the original text, which
  is how highlights are placed on the original text.
* :func:`words` — jieba in search mode (long words plus their sub-words) over the
  normal form, with the project's user dictionary of legal and administrative terms.
* :func:`chars` — one token per Han character, ASCII runs kept whole: the basis of
  exact-substring phrase matching and of 1–2 character queries.
* :func:`query_terms` — how a user's query is split into terms; quoted parts stay
  phrases. User text is never passed to a backend as syntax.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jieba

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_extra_dicts: list[Path] = []

jieba.setLogLevel(logging.WARNING)


def _supplement_table() -> dict[int, str]:
    """CJK radicals supplement look-alikes NFKC leaves alone (data/radicals_supplement.tsv)."""
    table: dict[int, str] = {}
    text = resources.files("gazette.data").joinpath("radicals_supplement.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        src, dst = line.split("\t")[:2]
        table[int(src[2:], 16)] = chr(int(dst[2:], 16))
    return table


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "
    # Kangxi radicals and CJK radicals supplement → unified ideographs, via NFKC where
    # it gives a single ideograph (it does for all Kangxi radicals and most of 2E80).
    for cp in list(range(0x2F00, 0x2FD6)) + list(range(0x2E80, 0x2EFF)):
        ch = chr(cp)
        mapped = unicodedata.normalize("NFKC", ch)
        if len(mapped) == 1 and mapped != ch:
            table[cp] = mapped
    table.update(_supplement_table())
    return table


_TABLE = _build_table()
# normalize() replaces only the characters the table maps: one regular-expression scan
# finds them (most characters of a text are not in the table), which is several times
# faster than str.translate's per-character mapping lookup and gives the same string.
_TABLE_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TABLE)) + "]")
_TABLE_CHARS = {chr(cp): value for cp, value in _TABLE.items()}
_RADICAL_RE = re.compile("[\u2e80-\u2fd5]")


def _table_char(match: re.Match) -> str:
    return _TABLE_CHARS[match.group()]


def fold_lookalikes(text: str) -> str:
    """Map Kangxi / CJK-supplement radicals to unified ideographs; keep everything else.

    This is what ingest applies to extracted text: punctuation (full-width included)
    stays exactly as printed.
    """
    if not _RADICAL_RE.search(text):  # the usual case: nothing to fold
        return text
    return "".join(_TABLE.get(ord(c), c) if 0x2E80 <= ord(c) <= 0x2FD5 else c for c in text)


def normalize(text: str) -> str:
    """Length-preserving normal form for matching (see module docstring)."""
    return _TABLE_RE.sub(_table_char, text).lower()


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_HAN}]|[a-z0-9]+(?:\.[0-9]+)*")
_HAN_RE = re.compile(rf"[{_HAN}]")


def tokenizer() -> jieba.Tokenizer:
    """The shared jieba tokenizer, with the project's user dictionaries loaded."""
    return _get_tokenizer()


def add_user_dictionary(path: Path) -> None:
    """Register an extra jieba user dictionary (applies to the shared tokenizer)."""
    global _tokenizer
    with _lock:
        _extra_dicts.append(Path(path))
        _tokenizer = None


def _get_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = jieba.Tokenizer()
                tok.initialize()
                base = resources.files("gazette.data").joinpath("userdict.txt")
                with resources.as_file(base) as p:
                    tok.load_userdict(str(p))
                for extra in _extra_dicts:
                    tok.load_userdict(str(extra))
                _tokenizer = tok
    return _tokenizer


def chars(text: str) -> list[str]:
    """One token per Han character; ASCII letter/digit runs as one token each."""
    return _TOKEN_RE.findall(normalize(text))


def words(text: str) -> list[str]:
    """jieba search-mode words of the normal form, without punctuation or spaces."""
    tok = _get_tokenizer()
    out: list[str] = []
    for w in tok.cut_for_search(normalize(text), HMM=True):
        w = w.strip()
        if w and (_HAN_RE.search(w) or w.isalnum()):
            out.append(w)
    return out


def words_text(text: str) -> str:
    """:func:`words` joined by spaces — the content of every backend's word field."""
    return " ".join(words(text))


def chars_text(text: str) -> str:
    """:func:`chars` joined by spaces — the content of the embedded char field."""
    return " ".join(chars(text))


@dataclass(frozen=True)
class QueryTerm:
    """One term of a user query.

    ``chars`` is the sequence of character tokens that must appear consecutively (an
    exact substring, ignoring punctuation and spaces); ``words`` are the jieba words of
    the term, used for ranking; ``phrase`` says the user quoted it.
    """

    text: str
    chars: tuple[str, ...]
    phrase: bool = False

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        """The term's jieba words, distinct, in order: segmented when first asked for
        (only the Elasticsearch backend ranks by them)."""
        return tuple(dict.fromkeys(words(self.text)))


_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')


def query_terms(q: str) -> list[QueryTerm]:
    """Split a user's query into terms: quoted parts and whitespace-separated parts.

    Each unquoted part is a term whose characters must occur as a substring; its jieba
    words only rank. Terms without any indexable character are dropped, so a query of
    pure punctuation yields no terms (callers treat that as "match nothing"/"match all"
    as they document). Nothing here is ever interpreted as engine syntax.
    """
    terms: list[QueryTerm] = []
    pos = 0
    parts: list[tuple[str, bool]] = []
    for m in _QUOTED.finditer(q):
        parts.extend((p, False) for p in q[pos : m.start()].split())
        parts.append((next(g for g in m.groups() if g is not None), True))
        pos = m.end()
    parts.extend((p, False) for p in q[pos:].replace('"', " ").split())
    for text, phrase in parts:
        cs = tuple(chars(text))
        if not cs:
            continue
        terms.append(QueryTerm(text=text, chars=cs, phrase=phrase))
    return terms


_TOKEN_CHARS = re.compile(rf"[{_HAN}a-z0-9.]")
#: What may lie between two of a term's tokens in a text it matches: anything no token
#: is made of (spaces, line breaks, punctuation), as the index skips it.
_BETWEEN = rf"[^{_HAN}a-z0-9]*"


def _matters(ch: str) -> bool:
    """Whether a term's pattern (:func:`_term_pattern`) can tell ``ch`` apart from
    anything between tokens: whether it is a character tokens are made of."""
    return bool(_TOKEN_CHARS.match(ch))


# The table entries highlighting needs: those whose source or image (lower-cased) is a
# token character. The others (full-width punctuation, mostly: the commas and brackets
# of every Chinese text) map a character a pattern can only skip to another it can only
# skip, so leaving them out finds the same matches, without a replacement call for each
# of them.
_MATCH_TABLE_RE = re.compile(
    "["
    + "".join(
        re.escape(chr(cp))
        for cp, value in sorted(_TABLE.items())
        if _matters(value.lower()) or _matters(chr(cp).lower())
    )
    + "]"
)


def _match_form(text: str) -> str:
    """A length-preserving form of ``text`` in which every term matches where it
    matches in :func:`normalize`'s: the same characters at every position that can
    take part in a match."""
    return _MATCH_TABLE_RE.sub(_table_char, text).lower()


@functools.lru_cache(maxsize=256)
def _term_pattern(chars: tuple[str, ...]) -> re.Pattern | None:
    """The pattern of a term's tokens in normalised text, anything no token is made of
    allowed between them (as the index skips it)."""
    if not chars:
        return None
    return re.compile(_BETWEEN.join(re.escape(c) for c in chars))


def _spans(form: str, terms: list[QueryTerm]) -> Iterator[tuple[int, int]]:
    """The spans of ``form`` (:func:`_match_form`) where any term occurs, merged and in
    order, found as they are asked for: a caller that stops early leaves the rest of a
    long text unsearched."""
    found = [
        ((m.start(), m.end()) for m in pattern.finditer(form))
        for pattern in map(_term_pattern, (term.chars for term in terms))
        if pattern is not None
    ]
    current: tuple[int, int] | None = None
    for s, e in found[0] if len(found) == 1 else heapq.merge(*found):
        if current is not None and s <= current[1]:
            current = (current[0], max(e, current[1]))
            continue
        if current is not None:
            yield current
        current = (s, e)
    if current is not None:
        yield current


def highlight_spans(text: str, terms: list[QueryTerm]) -> list[tuple[int, int]]:
    """Character spans of ``text`` where any term occurs, merged and sorted.

    Matching is on the normal form and skips what lies between the term's tokens
    (spaces, line breaks, punctuation) exactly as the index does, so every search hit
    can be highlighted on the original text.
    """
    if not terms:
        return []
    return list(_spans(_match_form(text), terms))


def mark_all(text: str, terms: list[QueryTerm]) -> str | None:
    """The whole ``text`` HTML-escaped with every match in ``<mark>``; None if no match."""
    from html import escape

    spans = highlight_spans(text, terms)
    if not spans:
        return None
    out, cur = [], 0
    for s, e in spans:
        out.append(escape(text[cur:s], quote=False))
        out.append("<mark>" + escape(text[s:e], quote=False) + "</mark>")
        cur = e
    out.append(escape(text[cur:], quote=False))
    return "".join(out)


def snippets(text: str, terms: list[QueryTerm], *, width: int = 60, limit: int = 3) -> list[str]:
    """Up to ``limit`` snippets of the original text around matches.

    Returned snippets are HTML-escaped with matches wrapped in ``<mark>…</mark>``;
    the text itself can never inject markup. Matches are looked for only as far as the
    last snippet reaches, so a long text with many matches costs no more than a short
    one.
    """
    from html import escape

    if not terms:
        return []
    found = _spans(_match_form(text), terms)
    spans: list[tuple[int, int]] = []  # the matches found so far, in order
    ends: list[int] = []  # their ends (increasing: merged spans do not overlap)

    def find_more() -> bool:
        span = next(found, None)
        if span is None:
            return False
        spans.append(span)
        ends.append(span[1])
        return True

    out: list[str] = []
    used_until = -1
    i = 0
    while len(out) < limit and (i < len(spans) or find_more()):
        s, e = spans[i]
        i += 1
        if s < used_until:
            continue
        start = max(0, s - width // 3)
        # start at a line boundary when one is near
        nl = text.rfind("\n", start, s)
        if nl != -1:
            start = nl + 1
        end = min(len(text), start + width)
        if end < e:
            end = e
        nl = text.find("\n", e, end)
        if nl != -1:
            end = nl
        while spans[-1][0] < end and find_more():
            pass  # every match that starts inside the snippet
        pieces: list[str] = []
        cur = start
        for s2, e2 in spans[bisect.bisect_right(ends, start) :]:
            if s2 >= end:
                break
            s2, e2 = max(s2, start), min(e2, end)
            pieces.append(escape(text[cur:s2], quote=False))
            pieces.append("<mark>" + escape(text[s2:e2], quote=False) + "</mark>")
            cur = e2
        pieces.append(escape(text[cur:end], quote=False))
        out.append("".join(pieces).strip())
        used_until = end
    return out
