"""Fixtures for the API and page tests: an archive built in code, and clients.

:func:`build_archive` ingests three small PDFs through :meth:`Archive.save_source`, the
path real ingest takes, so repeal clauses, issues and stored files are exercised for
real. The documents (see :class:`Fixture`) cover every status, a repeal with a known
basis, a citation, a non-public document, and a title and text with ``<script>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gazette.archive import Archive
from gazette.model import Disclosure, Document, GazetteIssue, TocEntry
from gazette.settings import Settings
from search_api.app import create_app
from tests.factories import make_doc

GAZETTE = "静乐县人民政府公报"


@dataclass
class Clause:
    """A repeal clause as ingest reports it (see ``gazette.archive.RepealClause``)."""

    doc_number: str | None
    title: str | None
    kind: str
    sentence: str


@dataclass
class Fixture:
    archive: Archive
    old: Document  # 静政发〔2019〕3号, repealed on 2023-05-01 by `new`
    new: Document  # 静政发〔2023〕4号, the repealing decision, in gazette issue 2023-1
    expired: Document  # expired by its validity period on 2022-01-01
    private: Document  # 依申请公开, in gazette issue 2023-1
    private_only: Document  # 依申请公开, the only document of its PDF
    xss: Document  # title and text hold <script>
    citing: Document  # cites 静政发〔2019〕3号 and a number not in the archive
    fillers: list[Document]
    issue: GazetteIssue
    standalone_sha: str
    issue_sha: str
    private_sha: str


def write_pdf(path: Path, lines: list[str]) -> str:
    """A small real PDF (reportlab, CJK font) with ``lines``; returns its sha256."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = 780
    for line in lines:
        c.setFont("STSong-Light", 14)
        c.drawString(72, y, line)
        y -= 24
        if y < 72:
            c.showPage()
            y = 780
    c.showPage()
    c.save()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with(doc: Document, **update) -> Document:
    return doc.model_copy(update=update)


def build_archive(home: Path) -> Fixture:
    """A fresh archive under ``home`` populated as described in the module docstring."""
    archive = Archive(Settings(home=home / "archive"))
    pdfs = home / "pdfs"
    pdfs.mkdir(parents=True, exist_ok=True)

    old = make_doc(
        "静乐县城市规划管理办法",
        "为加强城市规划管理，制定本办法。\n一、总则\n（一）适用范围\n本办法适用于本县城市规划区内的建设活动。\n"
        "1. 规划许可\n（二）职责分工。县自然资源局负责城市规划的实施和监督检查工作，各乡镇人民政府配合做好相关工作。\n"
        "二、附则\n本办法自2019年4月1日起施行。",
        number=("静政发", 2019, 3),
        doc_type="办法",
        normative=True,
        written=dt.date(2019, 3, 1),
        effective=dt.date(2019, 4, 1),
    )
    expired = make_doc(
        "静乐县农村危房改造补助办法",
        "为做好农村危房改造工作，制定本办法。\n本办法有效期至2021年12月31日。",
        number=("静政办发", 2019, 12),
        doc_type="办法",
        normative=True,
        written=dt.date(2019, 1, 10),
        expiry=dt.date(2021, 12, 31),
    )
    xss = make_doc(
        "关于<script>alert(1)</script>城市规划宣传的通知",
        "<script>alert('x')</script>请各单位做好城市规划宣传工作。<b>粗体</b>",
        number=("静政发", 2022, 8),
        written=dt.date(2022, 6, 10),
    )
    fillers = [
        make_doc(
            f"静乐县城市规划第{i}号工作通知",
            f"现将城市规划第{i}项工作安排通知如下。",
            number=("静政办函", 2021, 100 + i),
            issuer="静乐县自然资源局",
            written=dt.date(2021, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(1, 13)
    ]
    standalone = pdfs / "standalone.pdf"
    standalone_sha = write_pdf(standalone, ["静乐县城市规划管理办法", "静政发〔2019〕3号"])
    docs = [_with(d, sha256=standalone_sha, source_file=standalone.name) for d in [old, expired, xss, *fillers]]
    archive.save_source(path=standalone, sha256=standalone_sha, kind="document", page_count=1, documents=docs)

    new = make_doc(
        "静乐县人民政府关于废止部分行政规范性文件的决定",
        "经县人民政府研究，决定废止下列文件：\n《静乐县城市规划管理办法》（静政发〔2019〕3号）同时废止。\n"
        "本决定自2023年5月1日起施行。",
        number=("静政发", 2023, 4),
        doc_type="决定",
        written=dt.date(2023, 4, 20),
        effective=dt.date(2023, 5, 1),
    )
    citing = make_doc(
        "静乐县规划执法检查方案",
        "根据静政发〔2019〕3号和国办发〔2018〕99号文件精神，制定本方案。\n一、检查范围\n全县城市规划区。",
        number=("静政办发", 2023, 5),
        doc_type="方案",
        written=dt.date(2023, 3, 1),
    )
    private = make_doc(
        "静乐县内部工作安排",
        "保密词：城市规划内部安排。",
        number=("静政办发", 2023, 20),
        written=dt.date(2023, 3, 2),
        disclosure=Disclosure.on_request,
    )
    issue_pdf = pdfs / "gazette-2023-1.pdf"
    issue_sha = write_pdf(issue_pdf, ["静乐县人民政府公报", "2023年第1期", "目录"])
    issue = GazetteIssue(
        id="2023-1",
        gazette_name=GAZETTE,
        year=2023,
        issue=1,
        overall_number=5,
        published_date=dt.date(2023, 4, 30),
        page_count=4,
        sha256=issue_sha,
        toc=[
            TocEntry(title="县政府文件", section="县政府文件"),
            TocEntry(title=new.title, section="县政府文件", page=1, document_id=new.id),
            TocEntry(title="县政府办公室文件", section="县政府办公室文件"),
            TocEntry(title=citing.title, section="县政府办公室文件", page=2, document_id=citing.id),
            TocEntry(title=private.title, section="县政府办公室文件", page=3, document_id=private.id),
        ],
    )
    placed = [
        _with(d, sha256=issue_sha, gazette_issue=issue.id, section=s, pages=p)
        for d, s, p in [(new, "县政府文件", (1, 1)), (citing, "县政府办公室文件", (2, 2)), (private, "县政府办公室文件", (3, 4))]
    ]
    clause = Clause("静政发〔2019〕3号", "静乐县城市规划管理办法", "repealed", "《静乐县城市规划管理办法》（静政发〔2019〕3号）同时废止。")
    archive.save_source(
        path=issue_pdf,
        sha256=issue_sha,
        kind="gazette",
        page_count=4,
        documents=placed,
        issue=issue,
        repeals={new.id: [clause]},
    )

    private_only = make_doc(
        "静乐县不公开的请示",
        "不公开的内容。",
        number=("静政办发", 2023, 21),
        written=dt.date(2023, 3, 3),
        disclosure=Disclosure.withheld,
    )
    private_pdf = pdfs / "private.pdf"
    private_sha = write_pdf(private_pdf, ["不公开的请示"])
    archive.save_source(
        path=private_pdf,
        sha256=private_sha,
        kind="document",
        page_count=1,
        documents=[_with(private_only, sha256=private_sha)],
    )

    get = archive.get
    return Fixture(
        archive=archive,
        old=get(old.id),
        new=get(new.id),
        expired=get(expired.id),
        private=get(private.id),
        private_only=get(private_only.id),
        xss=get(xss.id),
        citing=get(citing.id),
        fillers=[get(f.id) for f in fillers],
        issue=issue,
        standalone_sha=standalone_sha,
        issue_sha=issue_sha,
        private_sha=private_sha,
    )


@pytest.fixture(scope="package")
def fx(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    """One populated archive shared by the read-only tests of this package."""
    fixture = build_archive(tmp_path_factory.mktemp("api"))
    yield fixture
    fixture.archive.close()


@pytest.fixture(scope="package")
def app(fx: Fixture):
    return create_app(archive=fx.archive)


@pytest.fixture
def client(app) -> TestClient:
    with TestClient(app) as c:
        yield c


# -- the legal office ------------------------------------------------------------------

#: Write tokens of the apps built by :func:`legal_office_app`: name → token.
TOKENS = {"县司法局": "token-of-the-justice-bureau", "县政府办": "token-of-the-general-office"}
ACTOR = "县司法局"


def auth(name: str = ACTOR) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[name]}"}


def legal_office_app(archive: Archive, **settings):
    """An app over ``archive`` that accepts :data:`TOKENS` (hashed, as configured in
    production); ``settings`` override other fields, e.g. ``write_rate_per_minute``."""
    from gazette.auth import hash_token

    tokens = {name: hash_token(token) for name, token in TOKENS.items()}
    return create_app(archive.settings.model_copy(update={"write_tokens": tokens, **settings}), archive)


@pytest.fixture(scope="module")
def wfx(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    """An archive of the module's own, for tests that write."""
    fixture = build_archive(tmp_path_factory.mktemp("writes"))
    yield fixture
    fixture.archive.close()


@pytest.fixture(scope="module")
def wclient(wfx: Fixture) -> TestClient:
    """A client of an app over :func:`wfx` that accepts :data:`TOKENS`."""
    with TestClient(legal_office_app(wfx.archive)) as c:
        yield c
