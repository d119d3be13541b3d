"""The text-layer verdict (ingest/quality.py) on text built in code."""

from __future__ import annotations

import json
import random
import re
import statistics
from pathlib import Path

import pytest

from ingest.quality import MIN_SCORE, SURE_SCORE, judge, language_score

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
