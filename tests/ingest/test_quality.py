"""The text-layer verdict (ingest/quality.py) on text built in code."""

from __future__ import annotations

import json
import random
import re
import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import chars as chars_module
from ingest import quality
from ingest.quality import (
    MIN_HAN,
    MIN_SCORE,
    SAMPLE_HAN,
    SURE_SCORE,
    judge,
    language_score,
    language_score_compiled,
    language_score_python,
)

REPO = Path(__file__).resolve().parents[2]

TOC_ENTRY = "静乐县人民政府关于印发静乐县测试管理办法的通知"


def test_dotted_leader_mapped_to_one_ideograph_is_not_language() -> None:
    """A wrong ToUnicode map that turns a 目录's leader dots into 家 must not lift the
    score of a page of shuffled characters: 家家 is a dictionary word, 家家家… is not text."""
    shuffled = "".join(sorted(TOC_ENTRY, key=lambda c: (ord(c) * 7919) % 101))
    page = f"录目{shuffled}…{'家' * 14}1{shuffled[::-1]}…{'家' * 16}17"
    assert language_score(page) < MIN_SCORE
    assert judge(page).reason == "implausible"


def test_real_toc_with_its_leaders_stays_text() -> None:
    page = f"目录县政府文件{TOC_ENTRY}……………………1县政府办公室文件静乐县人民政府办公室关于做好春季防火工作的通知……………2"
    assert judge(page).ok


def test_shipped_pairs_are_those_of_the_installed_dictionary() -> None:
    """ingest/data/bigrams.txt is what scripts/build_bigrams.py makes of jieba's
    dictionary and the user dictionary (rebuild it after changing either)."""
    import importlib.util

    from ingest import quality

    spec = importlib.util.spec_from_file_location("build_bigrams", REPO / "scripts" / "build_bigrams.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert quality._PAIRS.read_text("utf-8") == module.build()


@pytest.mark.corpus
def test_score_tells_real_text_from_a_wrong_map_on_the_corpus(corpus_dir: Path) -> None:
    """Windows of real documents score at least MIN_SCORE; the same windows after every
    ideograph of the document is mapped to another of its ideographs (what a wrong
    ToUnicode map does) score below it — with at most 1 % exceptions either way."""
    rng = random.Random(11)
    records = []
    for name in ("laws.jsonl", "local_policies.jsonl", "state_council.jsonl"):
        with (corpus_dir / name).open(encoding="utf-8") as f:
            records.extend(json.loads(line)["text"] for line in f)
    real, wrong = [], []
    for text in rng.sample(records, 600):
        text = re.sub(r"\s+", "", text)
        if len(text) < 400:
            continue
        start = rng.randrange(len(text) - 300)
        real.append(language_score(text[start : start + 300]))
        wrong.append(language_score(_wrong_map(text)[start : start + 300]))
    real = [s for s in real if s is not None]
    wrong = [s for s in wrong if s is not None]
    assert len(real) > 300 and len(wrong) > 300
    assert sum(s < MIN_SCORE for s in real) <= len(real) // 100
    assert sum(s >= MIN_SCORE for s in wrong) <= len(wrong) // 100
    assert statistics.median(real) > SURE_SCORE > statistics.median(wrong)


def _wrong_map(text: str) -> str:
    """Every ideograph replaced by the next new one in order of first use (the renderer's
    garbage ToUnicode case does the same within each font subset)."""
    order = list(dict.fromkeys(c for c in text if "\u4e00" <= c <= "\u9fff"))
    mapping = {a: order[(i + 1) % len(order)] for i, a in enumerate(order)}
    return "".join(mapping.get(c, c) for c in text)


# -- the compiled language score ----------------------------------------------------
needs_compiled = pytest.mark.skipif(chars_module._compiled is None, reason="ingest._chars was not built (no C compiler)")

#: Characters of generated pages: ideographs that form known pairs (a few words), the
#: ideograph ranges' bounds and their neighbours outside, punctuation, ASCII, a blank,
#: and a character beyond the BMP.
_WORDS = "公共租赁住房管理办法人民政府家"
_ALPHABET = _WORDS + "\u3400\u4dbf\u4dc0\u4e00\u9fff\ua000\u33ff，。、（）〔〕 a1\n\U00020000"


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=_ALPHABET, max_size=12),
            st.sampled_from(["家家家", "房房", "住房", "管理办法", "公公公公"]),  # repeated blocks at every length
        ),
        max_size=200,
    ).map("".join)
)
def test_compiled_score_equals_python_score(text: str) -> None:
    assert language_score_compiled(text) == language_score_python(text)


@needs_compiled
@pytest.mark.parametrize("han", [MIN_HAN - 1, MIN_HAN, SAMPLE_HAN - 1, SAMPLE_HAN, SAMPLE_HAN + 1])
def test_compiled_score_at_the_sample_bounds(han: int) -> None:
    """Around MIN_HAN (None below it) and SAMPLE_HAN (where the runs stop), with runs
    that straddle the sample's end and a repeated block among them."""
    words = ("管理办法", "住房", "家家家", "公共")
    runs, count, k = [], 0, 0
    while count < han:
        run = words[k % len(words)][: han - count]
        runs.append(run)
        count += len(run)
        k += 1
    text = "，".join(runs)
    assert language_score_compiled(text) == language_score_python(text)
    assert (language_score_compiled(text) is None) == (han < MIN_HAN)
    text += "。附件：公共租赁住房"
    assert language_score_compiled(text) == language_score_python(text)


@needs_compiled
def test_language_score_uses_the_compiled_score() -> None:
    page = "静乐县人民政府关于公共租赁住房管理办法的通知" * 3
    assert language_score(page) == language_score_python(page) > 0.75
    assert quality._compiled is chars_module._compiled


@needs_compiled
@pytest.mark.corpus
def test_compiled_score_equals_python_score_on_the_corpus(corpus_dir: Path) -> None:
    """Windows of real documents, the same with a wrong map, and shuffled."""
    rng = random.Random(5)
    records = []
    for name in ("laws.jsonl", "local_policies.jsonl", "state_council.jsonl"):
        with (corpus_dir / name).open(encoding="utf-8") as f:
            records.extend(json.loads(line)["text"] for line in f)
    compared = 0
    for text in rng.sample(records, 800):
        start = rng.randrange(max(1, len(text) - 300))
        window = text[start : start + rng.choice([60, 300, 1200])]
        for variant in (window, _wrong_map(window), "".join(rng.sample(window, len(window)))):
            assert language_score_compiled(variant) == language_score_python(variant)
            compared += 1
    assert compared == 2400


@needs_compiled
def test_compiled_score_takes_only_an_index_that_fits() -> None:
    """An index of the wrong length is refused; offsets past the keys are clamped to
    them (wrong answers for a wrong index, never a read outside the keys)."""
    keys, index = quality._pair_table()
    page = "静乐县人民政府关于公共租赁住房管理办法的通知" * 3
    with pytest.raises(ValueError, match="one offset per ideograph"):
        chars_module._compiled.language_score(page, keys, index[:-4], MIN_HAN, SAMPLE_HAN)
    far = (0xFFFFFFFF).to_bytes(4, "little") * (len(index) // 4)
    assert chars_module._compiled.language_score(page, keys, far, MIN_HAN, SAMPLE_HAN) == 0.0
    assert chars_module._compiled.language_score(page, b"", index, MIN_HAN, SAMPLE_HAN) == 0.0


def _judge_counting_every_page(text: str) -> quality.TextQuality:
    """The verdict as it was computed before: blanks removed by a regular expression,
    the ideographs counted on every page."""
    if "(cid:" in text:
        return quality.TextQuality(False, "cid")
    visible = re.sub(r"\s+", "", text)
    if not visible:
        return quality.TextQuality(True)
    han = len(visible) - sum(map(len, quality._NOT_HAN_RUN.findall(visible)))
    latin = len(quality._LATIN_EXT.findall(visible))
    if latin > 0.2 * len(visible) and han < 0.3 * len(visible):
        return quality.TextQuality(False, "not_chinese")
    score = language_score(visible)
    if score is not None and score < MIN_SCORE:
        return quality.TextQuality(False, "implausible", round(score, 3))
    return quality.TextQuality(True, score=None if score is None else round(score, 3))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=TOC_ENTRY + "abcXYZ éüß“”–…\u2003\u3000\t\n\x85\xa0①(cid:1)0", max_size=120))
def test_the_verdict_counts_ideographs_only_where_they_decide_it(text: str) -> None:
    assert judge(text) == _judge_counting_every_page(text)
