"""A sample issue built in code: sections, headings, a table, attachments, a repealed
and an expired document, a 目录 heading line and an article not in the archive."""

from __future__ import annotations

import datetime as dt

import pytest

from gazette.model import Attachment, GazetteIssue, TocEntry
from tests.factories import make_doc, repeal_event

AS_OF = dt.date(2024, 1, 1)

GUIDANCE = """各乡镇人民政府，县直各有关单位：
为规范行政规范性文件管理，现提出如下意见。
一、总体要求
坚持依法行政，做到权责法定、程序正当。“公开透明”是基本原则，<不得>例外 & 无一遗漏。
（一）明确职责分工
县司法局负责审核，各起草单位对文件内容负责。
（二）加强协调配合。各部门要密切配合，形成工作合力，确保按时完成各项任务，不得推诿扯皮。
1.建立台账
各单位要建立文件台账，每季度更新一次。
2.定期清理
每两年全面清理一次。
二、保障措施
项目\t责任单位\t完成时限
文件审核\t县司法局\t2022年12月31日
台账建立\t各起草单位\t
本意见自印发之日起施行，有效期5年。"""


def sample_documents() -> list:
    guidance = make_doc(
        "静乐县人民政府关于加强行政规范性文件管理的意见",
        GUIDANCE,
        number=("静政发", 2022, 8),
        normative=True,
        expiry=dt.date(2027, 6, 9),
    )
    guidance.attachments = [
        Attachment(label="附件1", title="行政规范性文件审核流程", paragraphs=["一、起草", "起草单位提交草案。"]),
        Attachment(label="附件2", paragraphs=["单位\t联系人\t电话", "县司法局\t张三\t0350-1234567"]),
    ]
    repealed = make_doc(
        "静乐县人民政府办公室关于印发静乐县城区停车管理办法的通知",
        "各乡镇人民政府，县直各单位：\n现将《静乐县城区停车管理办法》印发给你们，请认真贯彻执行。",
        number=("静政办发", 2022, 15),
        events=[repeal_event(dt.date(2023, 5, 1))],
    )
    expired = make_doc(
        "关于开展2022年春季植树造林工作的通知",
        "一、时间安排\n3月至4月。\n二、工作要求\n各乡镇要高度重视。\f",
        issuer="静乐县林业局",
        written=dt.date(2022, 3, 1),
        expiry=dt.date(2022, 12, 31),
    )
    return [guidance, repealed, expired]


def sample_issue(docs: list, *, number: int = 3) -> GazetteIssue:
    guidance, repealed, expired = docs
    return GazetteIssue(
        id=f"2022-{number}",
        gazette_name="静乐县人民政府公报",
        year=2022,
        issue=number,
        overall_number=42 + number,
        published_date=dt.date(2022, 6, 30),
        page_count=12,
        toc=[
            TocEntry(title="县政府文件"),
            TocEntry(title=guidance.title, page=1, document_id=guidance.id),
            TocEntry(title=repealed.title, section="县政府办公室文件", page=6, document_id=repealed.id),
            TocEntry(title=expired.title, section="部门文件", page=8, document_id=expired.id),
            TocEntry(title="静乐县交通运输局关于春节期间客运安排的公告", section="部门文件", page=11),
        ],
    )


def expected_nav_titles(issue: GazetteIssue) -> list[str]:
    """The 目录 read as printed: section headings (once per run) and article titles."""
    out: list[str] = []
    current = None
    for e in issue.toc:
        if e.document_id is None and e.page is None:
            current = e.title
            out.append(e.title)
            continue
        section = e.section or current
        if section != current:
            current = section
            out.append(section)
        out.append(e.title)
    return out


@pytest.fixture
def docs() -> list:
    return sample_documents()


@pytest.fixture
def issue(docs) -> GazetteIssue:
    return sample_issue(docs)
