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
