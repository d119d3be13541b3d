"""The text-layer verdict (ingest/quality.py) on text built in code."""

from __future__ import annotations

from ingest.quality import MIN_SCORE, judge, language_score

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
