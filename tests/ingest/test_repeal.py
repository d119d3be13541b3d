"""Repeal clauses: targets by 发文字号 and title; nothing for self-expiry or partial repeal."""

from __future__ import annotations

import pytest

from ingest.repeal import find_repeals


def test_same_time_repeal() -> None:
    [t] = find_repeals("本办法自2022年7月1日起施行。《静乐县某办法》（静政发〔2019〕3号）同时废止。")
    assert (t.doc_number, t.title, t.kind) == ("静政发〔2019〕3号", "静乐县某办法", "repealed")
    assert t.sentence.startswith("《静乐县某办法》")


def test_list_of_targets_and_verb_first() -> None:
    ts = find_repeals("决定废止《甲办法》（静政发〔2019〕3号）和《乙规定》（静政办发〔2018〕7号）。")
    assert [(t.doc_number, t.title) for t in ts] == [("静政发〔2019〕3号", "甲办法"), ("静政办发〔2018〕7号", "乙规定")]
    ts = find_repeals("《甲》（静政发〔2019〕3号）、《乙》（静政发〔2019〕4号）予以废止。")
    assert [t.doc_number for t in ts] == ["静政发〔2019〕3号", "静政发〔2019〕4号"]


def test_expired_and_not_executed() -> None:
    [t] = find_repeals("静政发〔2018〕5号文件宣布失效。")
    assert (t.doc_number, t.kind) == ("静政发〔2018〕5号", "expired")
    [t] = find_repeals("《静乐县丙办法》不再执行。")
    assert (t.title, t.kind) == ("静乐县丙办法", "repealed")


@pytest.mark.parametrize(
    "text",
    [
        "本通知自2026年7月1日起施行，2027年6月30日废止。",
        "有效期满后自行废止。",
        "不再执行《某通知》（融政办〔2017〕90号）中的限转售政策。",
        "停止执行容积率不得低于1.0的供地标准。",
        "根据《中华人民共和国某法》，制定本办法。",
        "",
    ],
)
def test_no_targets(text: str) -> None:
    assert find_repeals(text) == []


@pytest.mark.corpus
def test_real_repeal_clauses(corpus_dir) -> None:
    """Every target found in the real corpus names a document by 发文字号 or title."""
    import json

    found = docs = 0
    with (corpus_dir / "local_policies.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            ts = find_repeals(json.loads(line).get("text") or "")
            docs += bool(ts)
            found += len(ts)
            assert all(t.doc_number or t.title for t in ts)
    print(f"\nrepeal: {found} targets in {docs} documents of local_policies")
    assert found >= 25


def test_listed_targets_in_a_table_after_a_decision():
    text = (
        "经县政府常务会议研究，决定废止下列行政规范性文件：\n"
        "序号\t文件名称\t发文字号\n"
        "1\t静乐县城区临时占道经营管理办法\t静政发〔2019〕3号\n"
        "2\t关于加强农村公路养护的通知\t静政办发〔2018〕12号\n"
        "本决定自印发之日起施行。"
    )
    targets = find_repeals(text)
    assert [(t.doc_number, t.title, t.kind) for t in targets] == [
        ("静政发〔2019〕3号", "静乐县城区临时占道经营管理办法", "repealed"),
        ("静政办发〔2018〕12号", "关于加强农村公路养护的通知", "repealed"),
    ]


def test_listed_targets_on_numbered_lines_declared_invalid():
    text = "以下文件宣布失效：\n1.《静乐县某某办法》（静政发〔2015〕2号）\n2.《关于某某的通知》（静政办发〔2016〕4号）\n各单位要认真执行。"
    assert [(t.doc_number, t.kind) for t in find_repeals(text)] == [
        ("静政发〔2015〕2号", "expired"),
        ("静政办发〔2016〕4号", "expired"),
    ]


def test_the_first_scan_knows_every_repeal_verb() -> None:
    """find_repeals skips texts without any repeal verb (:data:`_ANY_VERB`): every verb
    the sentence and list patterns know must be one it looks for."""
    import re

    from ingest import repeal

    core = re.search(r"\(\?:([^()]*)\)\Z", repeal._VERB.pattern).group(1).split("|")
    for verb in core + repeal._LIST_VERB.pattern.split("|"):
        assert repeal._ANY_VERB.fullmatch(verb), verb


@pytest.mark.corpus
def test_skipping_texts_without_a_verb_loses_nothing(corpus_dir, monkeypatch) -> None:
    """On every real document: the same targets with the first scan as without it."""
    import json
    import re

    from ingest import repeal

    texts = []
    for name in ("local_policies.jsonl", "state_council.jsonl"):
        with (corpus_dir / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line).get("text") or "" for line in fh]
    with_scan = [find_repeals(t) for t in texts]
    monkeypatch.setattr(repeal, "_ANY_VERB", re.compile(""))
    assert [find_repeals(t) for t in texts] == with_scan
    assert sum(map(bool, with_scan)) > 10
