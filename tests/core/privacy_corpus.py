"""A generated set of texts with planted personal data, and official numbers that
must survive. Used by the privacy tests and by ``bench/privacy.py``."""

from __future__ import annotations

import random
from dataclasses import dataclass

from gazette.privacy import _ID_CHECK, _ID_WEIGHTS

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def id_number(rng: random.Random) -> str:
    body = f"{rng.randint(110000, 659999)}{rng.randint(1950, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + _ID_CHECK[total % 11]


def luhn_number(rng: random.Random, length: int) -> str:
    digits = [rng.randint(0, 9) for _ in range(length - 1)]
    digits[0] = 6
    for check in range(10):
        cand = digits + [check]
        total = 0
        for i, d in enumerate(reversed(cand)):
            if i % 2 == 1:
                d *= 2
                d = d - 9 if d > 9 else d
            total += d
        if total % 10 == 0:
            return "".join(map(str, cand))
    raise AssertionError


def plate(rng: random.Random, new_energy: bool) -> str:
    p = rng.choice(PROVINCES) + rng.choice(LETTERS)
    sep = rng.choice(["·", "", "·"])
    tail = (rng.choice("DF") + "".join(str(rng.randint(0, 9)) for _ in range(5))) if new_energy else "".join(
        rng.choice(LETTERS + "0123456789") for _ in range(5)
    )
    return p + sep + tail


@dataclass
class Sample:
    text: str
    planted: list[tuple[str, str]]  # (kind, value)
    official: list[str]


def generate(n: int = 300, seed: int = 7) -> list[Sample]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        idn = id_number(rng)
        mob = f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
        land = f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}"
        pl = plate(rng, new_energy=i % 3 == 0)
        card = luhn_number(rng, rng.choice([16, 19]))
        addr = f"静乐县{rng.choice(['鹅城镇', '丰润镇', '杜家村镇'])}{rng.randint(1, 99)}号院{rng.randint(1, 9)}单元"
        docno = f"静政发〔{rng.randint(2015, 2025)}〕{rng.randint(1, 99)}号"
        credit = f"91140926MA0{rng.randint(10000, 99999)}X{rng.randint(0, 9)}"
        reg = f"JLDR-{rng.randint(2015, 2025)}-{rng.randint(1, 9999999):07d}"
        hotline = f"0350-{rng.randint(2000000, 8999999)}"
        text = (
            f"经查，当事人张某（身份证号码：{idn}，联系电话：{mob}，家庭住址：{addr}）"
            f"驾驶车牌号为{pl}的小型汽车，于2022年3月{rng.randint(1, 28)}日违规停放。"
            f"其银行账户{card}已冻结，另留有座机{land}。"
            f"依据《静乐县停车管理办法》（{docno}）第十条，对其处以罚款{rng.randint(1, 20) * 100}元。"
            f"涉事企业统一社会信用代码{credit}，本文件统一登记号{reg}。"
            f"如有疑问请拨打县交通运输局服务热线：{hotline}或12345。"
        )
        out.append(
            Sample(
                text,
                [("id_card", idn), ("mobile", mob), ("address", addr), ("car_plate", pl), ("bank_card", card), ("landline", land)],
                [docno, credit, reg, hotline, "12345", "2022年3月"],
            )
        )
    return out


def score(samples: list[Sample]) -> dict:
    from gazette.privacy import mask

    planted = found = fp = officials = 0
    for s in samples:
        masked, spans = mask(s.text)
        for _, value in s.planted:
            planted += 1
            if value not in masked:
                found += 1
        originals = [sp.original for sp in spans]
        for off in s.official:
            officials += 1
            if off not in masked:
                fp += 1
        planted_values = {v for _, v in s.planted}
        fp += sum(1 for o in originals if not any(o in v or v in o for v in planted_values))
    return {
        "texts": len(samples),
        "planted": planted,
        "recall": found / planted,
        "official_numbers": officials,
        "false_positives": fp,
        "false_positive_rate": fp / officials,
    }
