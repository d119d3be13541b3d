"""Personal data is masked before publishing; official numbers are kept."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from gazette import privacy
from gazette.store import Store
from tests.core.privacy_corpus import generate, id_number, score
from tests.factories import make_doc


def test_id_card_checksum():
    import random

    good = id_number(random.Random(1))
    assert privacy.valid_id_number(good)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert not privacy.valid_id_number(bad)
    assert privacy.mask(f"身份证{bad}")[1] == []


def test_each_kind_is_masked():
    text = "住址：鹅城镇东街12号，手机13912345678，车牌晋H·12345，新能源车晋HD12345。"
    masked, spans = privacy.mask(text)
    assert {s.kind for s in spans} == {"address", "mobile", "car_plate"}
    assert "13912345678" not in masked and "139****5678" in masked
    assert "晋H·12345" not in masked and "晋HD12345" not in masked


def test_official_numbers_are_kept():
    text = "根据静政发〔2022〕8号，统一社会信用代码91140926MA0K12345X，统一登记号JLDR-2022-0010001，服务热线：0350-1234567，2022年6月10日。"
    assert privacy.mask(text) == (text, [])
    assert privacy.mask("请拨打0350-7654321咨询", official_numbers=frozenset({"0350-7654321"}))[1] == []


def test_recall_and_false_positives_on_planted_set():
    figures = score(generate(300))
    print("\nprivacy:", json.dumps(figures))
    assert figures["recall"] >= 0.99
    assert figures["false_positive_rate"] <= 0.01


@given(st.text(max_size=300))
def test_mask_never_raises_and_is_idempotent(text):
    masked, _ = privacy.mask(text)
    assert privacy.mask(masked)[0] == masked


#: Pieces of generated texts for the first check of ``find``: digits (ASCII and
#: full-width) with every separator the patterns allow, plate provinces and letters,
#: the keywords, and plain text.
_PIECES = st.sampled_from(
    ["1", "3", "0", "9", "１", "X", " ", "-", "－", "·", "晋", "京", "H", "D", "I", "住址", "居住地", "户籍地址", "：",
     "身份证", "号码", "热线", "电话", "，", "。", "办法", "鹅城镇东街", "2022年"]
)


@given(st.lists(_PIECES, max_size=60).map("".join))
def test_the_first_check_skips_only_text_no_pattern_matches(text):
    assert privacy.find(text) == privacy.find_every_pattern(text)


def test_the_first_check_skips_only_text_no_pattern_matches_on_the_corpus(corpus_dir):
    paragraphs = 0
    for name in ("local_policies.jsonl", "state_council.jsonl"):
        with open(corpus_dir / name, encoding="utf-8") as fh:
            for line in fh:
                for paragraph in (json.loads(line).get("text") or "").split("\n"):
                    assert privacy.find(paragraph) == privacy.find_every_pattern(paragraph)
                    paragraphs += 1
    assert paragraphs > 10_000
    samples = [s.text for s in generate(50)] + [
        "家庭住址：鹅城镇东街十二号",
        "现居住地：鹅城镇东街",
        "手机139 1234 5678",
        "手机139-1234-5678",
        "身份证号码：110101900307451",
        "户籍地址：鹅城镇东街十二号",
        "车牌晋H·12345",
        "新能源车晋HD12345",
        "车牌晋HD一二",  # last: no match, and no mask
    ]
    assert all(privacy.find(t) == privacy.find_every_pattern(t) != [] for t in samples[:-1])


def test_store_masks_public_text_and_keeps_original(tmp_path):
    store = Store(tmp_path / "a")
    doc = make_doc("关于对违规停车行为处理情况的通报", "当事人手机13912345678，车牌晋H·12345。")
    stored = store.put_document(doc)
    assert "13912345678" not in stored.text and "晋H·12345" not in stored.text
    assert "13912345678" in store.original_text(doc.id)["paragraphs"][0]
    assert [m["kind"] for m in store.masks(doc.id)] == ["mobile", "car_plate"]
    # storing again keeps the first original
    store.put_document(stored)
    assert "13912345678" in store.original_text(doc.id)["paragraphs"][0]
    store.close()


def test_storing_leaves_the_callers_document_as_it_was(tmp_path):
    from gazette.model import Attachment

    store = Store(tmp_path / "a")
    doc = make_doc("关于违规停车处理情况的通报", "当事人手机13912345678。")
    doc.attachments = [Attachment(label="附件1", paragraphs=["联系人手机13812345678"])]
    before = doc.model_dump()
    stored = store.put_document(doc)
    assert "13812345678" not in stored.attachments[0].paragraphs[0]
    assert doc.model_dump() == before
    stored.flags.append("edited")
    stored.issuers.append("另一机关")
    assert doc.flags == before["flags"] and doc.issuers == before["issuers"]
    store.close()


def test_event_causes_and_titles_are_masked(tmp_path):
    import datetime as dt

    from gazette.model import StatusEvent

    store = Store(tmp_path / "a")
    doc = make_doc("关于张某（手机13912345678）违规问题的通报", "正文。")
    stored = store.put_document(doc)
    assert "13912345678" not in stored.title
    assert store.original_text(doc.id)["title"] == "关于张某（手机13912345678）违规问题的通报"
    store.add_event(StatusEvent(document_id=doc.id, kind="repealed", date=dt.date(2024, 1, 1), cause="经举报人13812345678反映"))
    assert "13812345678" not in store.get_document(doc.id).events[-1].cause
    store.close()


def test_expiry_set_clears_the_review_flag(tmp_path):
    import datetime as dt

    from gazette.model import StatusEvent

    store = Store(tmp_path / "a")
    doc = make_doc("静乐县某管理办法", "正文。", normative=True).model_copy(update={"flags": ["no_validity_period"]})
    store.put_document(doc)
    store.add_event(StatusEvent(document_id=doc.id, kind="expiry_set", date=dt.date(2024, 1, 1),
                                data={"expiry_date": "2028-12-31"}))
    updated = store.get_document(doc.id)
    assert updated.flags == [] and updated.status.value == "valid"
    store.close()
