"""OCR (ingest/ocr.py and its use by ingest/recover.py) on pages rendered by the project's renderer.

Pure tests cover the text repairs and the line grouping; the tests that run Tesseract
(skipped when it or its chi_sim data is missing, like the rest of tests/ingest) render
small documents and issues in the ``broken_tounicode``, ``garbage_tounicode`` and
``scanned`` cases and check what a reader would: the title, the 发文字号, the body, and
a scanned gazette issue split into its articles by its OCR'd 目录.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest

from ingest import ocr
from ingest.ocr import _merge_same_baseline, _OcrLine, _Word, tidy
from ingest.pipeline import parse_file
from renderer import render_document, render_issue
from renderer.cases import CASES
from renderer.spec import IssueSpec, SectionSpec
from tests.ingest.conftest import small_spec

needs_tesseract = pytest.mark.skipif(ocr.available() is not None, reason="tesseract with chi_sim is not installed")

BODY = [
    "为进一步规范全县行政规范性文件管理工作，提高政府依法行政水平，根据有关法律法规规定，结合本县实际，制定本办法。",
    "各乡镇人民政府、县直各有关单位要高度重视，明确责任分工，加强组织领导，认真抓好贯彻落实，确保各项工作取得实效。",
    "本办法自2022年7月1日起施行，有效期5年。",
]


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def accuracy(expected: str, actual: str) -> float:
    sm = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / max(len(expected), len(actual), 1)


# ------------------------------------------------------------------ text repairs


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("国办发【2019j 6号", "国办发〔2019〕6号"),
        ("国发(2015]j 43号", "国发〔2015〕43号"),
        ("国发（2019]5号", "国发〔2019〕5号"),
        ("静政发[2022]8号", "静政发〔2022〕8号"),
        ("推行\"双随机、一公开\"监管", "推行“双随机、一公开”监管"),
        ("企业和“三农\"发展", "企业和“三农”发展"),
        ("企业和'三农“发展的指导意见", "企业和“三农”发展的指导意见"),
        ("现提出如下意见.", "现提出如下意见。"),
        ("第1.2条", "第1.2条"),
        ("各直属机构:", "各直属机构："),
    ],
)
def test_tidy_restores_the_printed_punctuation(raw: str, printed: str) -> None:
    assert tidy(raw) == printed


def test_tidy_leaves_years_that_are_not_a_doc_number_alone() -> None:
    assert tidy("（2019年修订）") == "（2019年修订）"


def test_quotation_continued_from_the_line_before_is_closed() -> None:
    assert tidy('随机、一公开"监管的意见', inside_quote=True) == "随机、一公开”监管的意见"


def test_what_tesseract_read_off_a_leader_is_cut() -> None:
    """"…和0 9": low boxes (the dots) and digits after the title's last character."""
    words = [_Word(1010, 860, 1076, 903, 97.0, "指导"), _Word(1096, 860, 1179, 903, 93.0, "意见"),
             _Word(1187, 890, 1208, 896, 85.0, "…"), _Word(1217, 890, 1268, 896, 0.0, "和"),
             _Word(1277, 890, 1386, 896, 6.0, "0"), _Word(1392, 870, 1415, 901, 97.0, "9")]
    cut = _OcrLine(words, 44).without_leader()
    assert cut is not None and cut.text() == "指导意见"
    # junk Tesseract is not sure of ("症ee et") goes too; a title's last characters boxed
    # with the dots ("意见" on a dot-high box) stay when Tesseract is fairly sure of them
    junk = [_Word(715, 860, 758, 903, 96.0, "的"), _Word(845, 895, 999, 901, 0.0, "症"),
            _Word(1008, 895, 1177, 902, 26.0, "ee"), _Word(1183, 862, 1399, 902, 0.0, "et")]
    assert _OcrLine(junk, 44).without_leader().text() == "的"
    boxed = [_Word(1068, 860, 1134, 901, 85.0, "指导"), _Word(1231, 895, 1399, 901, 39.0, "意见")]
    assert _OcrLine(boxed, 44).without_leader().text() == "指导意见"
    # nothing low at the end: no leader to cut (a flat 一 ending a line is only cut when
    # ocr_page then finds a leader and its number in the image)
    assert _OcrLine(words[:2], 44).without_leader() is None


def _line(text: str, left: int, top: int, height: int = 40) -> _OcrLine:
    return _OcrLine([_Word(left, top, left + height * len(text), top + height, 90.0, text)], height)


def test_letter_spaced_heading_split_by_tesseract_is_one_line() -> None:
    lines = _merge_same_baseline([_line("目", 780, 280, 56), _line("录", 840, 282, 56), _line("政府文件", 200, 450)])
    assert [ln.text() for ln in lines] == ["目录", "政府文件"]


def test_lines_on_different_baselines_stay_apart() -> None:
    lines = _merge_same_baseline([_line("第一行文字", 200, 300), _line("第二行文字", 200, 350)])
    assert [ln.text() for ln in lines] == ["第一行文字", "第二行文字"]


# ------------------------------------------------------------------ Tesseract


@needs_tesseract
@pytest.mark.parametrize("case", ["broken_tounicode", "garbage_tounicode"])
def test_unusable_text_layer_is_read_by_ocr_with_its_head(case: str, tmp_path: Path) -> None:
    """The whole page goes through OCR: the large 发文机关标志 must not come back as a
    second garbled line taken for the title, and the 发文字号 keeps its 〔〕."""
    spec = small_spec(paragraphs=BODY)
    path = tmp_path / f"{case}.pdf"
    render_document(spec, path, CASES[case].options_for(0))
    source = parse_file(path)
    doc = source.documents[0]
    assert "ocr" in doc.flags
    assert any("text read by OCR" in w for w in source.warnings)
    assert squash(doc.title) == squash(spec.title)
    assert doc.doc_number is not None and doc.doc_number.text == spec.doc_number
    assert doc.written_date == spec.written_date
    assert accuracy(squash("".join(spec.paragraphs)), squash("".join(doc.paragraphs))) >= 0.95


@needs_tesseract
def test_scanned_issue_is_split_by_its_ocr_read_toc(tmp_path: Path) -> None:
    """Cover, 目录 (dotted leaders and page numbers, which Tesseract drops and
    :func:`ingest.ocr._leader_number` reads back), two articles with footers — 1 —, all
    scanned and tilted (the title's last line and the 发文字号 under it must stay apart)."""
    first = small_spec(title="静乐县人民政府关于印发静乐县测试管理办法的通知", doc_number="静政发〔2022〕8号", paragraphs=BODY)
    second = small_spec(
        issuer_mark="静乐县人民政府办公室文件",
        issuer="静乐县人民政府办公室",
        title="静乐县人民政府办公室关于做好春季防火工作的通知",
        doc_number="静政办发〔2022〕3号",
        signature="静乐县人民政府办公室",
        written_date=dt.date(2022, 3, 2),
        paragraphs=BODY[:2],
    )
    issue = IssueSpec(
        year=2022,
        issue=3,
        overall_number=41,
        published_date=dt.date(2022, 3, 28),
        sections=[SectionSpec(name="县政府文件", documents=[first]), SectionSpec(name="县政府办公室文件", documents=[second])],
    )
    path = tmp_path / "issue.pdf"
    render_issue(issue, path, CASES["scanned"].options_for(0))
    source = parse_file(path)
    assert source.kind == "issue", source.warnings
    assert (source.issue.year, source.issue.issue) == (2022, 3)
    # the cover's large gazette name, read again at body size (ingest.ocr._reread_large)
    assert source.issue.gazette_name == issue.gazette_name
    # the 目录's page numbers were read back and mapped through the OCR'd footers (— 1 —)
    assert [e.page for e in source.issue.toc] == [1, 2]
    assert not any("目录" in w for w in source.warnings), source.warnings
    assert len(source.documents) == 2
    for want, got in zip(issue.documents, source.documents, strict=True):
        assert difflib.SequenceMatcher(None, squash(want.title), squash(got.title)).ratio() >= 0.9, got.title
        assert accuracy(squash("".join(want.paragraphs)), squash("".join(got.paragraphs))) >= 0.9
        assert "ocr" in got.flags
