"""Real records of ../shared/corpus turned into :class:`DocSpec` objects for fidelity tests,
or straight into archive documents (:func:`record_to_document`) for benchmarks and reports.

The corpus (read-only, never written to) holds scraped government texts with metadata;
see its README. :func:`record_to_spec` places each element where GB/T 9704 puts it, so
that it is printed once:

* leading title lines (the scraped text repeats the title, often broken over lines), the
  document's own 发文字号 line and page furniture (发布日期, 浏览次数, 来源…) are removed
  from the body; the title is printed from the record's ``title`` (《》 wrappers removed);
* a first body line ending in "：" becomes the 主送机关;
* the signature block — an issuer line, then a date line (2019年1月27日 or
  一九九六年六月二十九日), then an optional note such as （此件公开发布） — becomes
  signature / 成文日期 / 附注. When text follows the block (a 方案 or 办法 issued by the
  notice), that text becomes an unlabelled attachment printed from a new page, its first
  line as the title;
* body text is otherwise kept as it is (full-width and ASCII punctuation alike); runs of
  whitespace (incl. U+00A0, U+3000) collapse to one space, since comparisons ignore
  whitespace; characters the CID font cannot render are removed and listed in
  ``DocSpec.dropped_chars``.

The 发文字号 printed is the record's own number only when it stands alone on a line of
the opening text (``doc_number_origin = text_first_400_chars`` is sometimes a cited
document); the 成文日期 printed is the one in the text's signature block, else the
record's metadata date. The resulting spec — not the raw record — is the ground truth
the ingest tests compare against.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

from gazette.dates import parse_cn_date
from gazette.docnumber import parse_doc_number
from gazette.ids import document_id
from gazette.model import Document

from .fonts import unsupported_chars
from .spec import AttachmentSpec, DocSpec, IssueSpec, SectionSpec

KINDS = ("state_council", "local_policies", "laws")
MIN_BODY_CHARS = 80
MAX_BODY_CHARS = 20_000
MAX_TITLE_CHARS = 90

_WS = re.compile(r"[\s\u00a0\u3000\u200b]+")
_CN_NUM = "〇○零一二三四五六七八九十"
_DATE_AR = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_DATE_CN = re.compile(rf"^([{_CN_NUM}]{{4}})年([{_CN_NUM}]{{1,2}})月([{_CN_NUM}]{{1,3}})日$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?$")
_FURNITURE = re.compile(
    r"发布日期|发布时间|浏览次数|访问次数|点击数|阅读次数|阅读量|信息来源|文章来源|来源[:：]|【?字体|打印本页|"
    r"【打印】|关闭窗口|分享到|索引号|主题分类|发布机构|公开方式[:：]|责任编辑"
)
_NOTE = re.compile(r"^[（(](此件|本文|联系人|此文|此件不)[^）)]{0,40}[）)]$")


def corpus_dir(directory: str | Path | None = None) -> Path | None:
    """The corpus directory if it exists: ``directory`` if given, else ../shared/corpus beside the repo."""
    path = Path(directory) if directory else Path(os.environ.get("GAZETTE_CORPUS_DIR") or Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    return path if (path / "state_council.jsonl").is_file() else None


def load_records(kind: str, limit: int | None = None, directory: str | Path | None = None) -> list[dict]:
    """Records of ``<kind>.jsonl`` (state_council, local_policies or laws), in file order."""
    if kind not in KINDS:
        raise ValueError(f"unknown corpus kind {kind!r}; expected one of {KINDS}")
    root = corpus_dir(directory)
    if root is None:
        raise FileNotFoundError(f"corpus not found (looked in {directory or '../shared/corpus'})")
    return list(_iter_jsonl(root / f"{kind}.jsonl", limit))


def _iter_jsonl(path: Path, limit: int | None) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            if line.strip():
                yield json.loads(line)


# ------------------------------------------------------------ as documents
#: Per corpus kind: the record field holding the document's date, and how to find its issuer.
_DATE_FIELD = {"state_council": "written_date", "local_policies": "issuance_date", "laws": "version_date"}
_ISSUER = {
    "state_council": lambda rec: rec.get("issuer"),
    "local_policies": lambda rec: rec.get("geography"),
    "laws": lambda rec: (rec.get("category") or "").split("/")[-1],
}
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s*")


def record_to_document(record: dict, kind: str, *, key: str | None = None) -> Document | None:
    """The corpus record as an archive :class:`~gazette.model.Document`, text as it is.

    No rendering and no ingest: the title is the record's (outer spaces and 《》 removed),
    the paragraphs are its text's non-blank lines, stripped (``##`` Markdown heading
    marks of ``laws`` removed). Metadata as the kind has it:

    * date (成文, 发布 and, unless the record has its own, 施行日期): ``written_date``
      (state_council), ``issuance_date`` (local_policies), ``version_date`` (laws);
    * issuer: ``issuer``; for local_policies the ``geography`` (a place, the nearest
      field), for laws the last part of ``category`` (e.g. 上海地方法规);
    * 发文字号: the record's ``doc_number`` when it parses (for local_policies it is
      sometimes a cited document's number, see the corpus README);
    * ``source_file`` is ``<kind>.jsonl#<record_id>``.

    The id is the archive's own (:func:`gazette.ids.document_id`: 发文字号, else title and
    date), so records that are the same document share one. With ``key`` the id is made
    from ``key`` instead, so every record (or every copy of one, e.g. ``"lp-1#2"``) is a
    document of its own, as benchmarks want; then a record without title or text still
    gives one (titled by its record id, its title as text). Without ``key`` such a record
    gives ``None``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown corpus kind {kind!r}; expected one of {KINDS}")
    title = (record.get("title") or "").strip().strip("《》")
    text = record.get("text") or ""
    if key is None and (not title or not text):
        return None
    title = title or record["record_id"]
    lines = (line.strip() for line in text.split("\n"))
    if kind == "laws":
        lines = (_MARKDOWN_HEADING.sub("", line) for line in lines)
    paragraphs = [line for line in lines if line]
    date = parse_cn_date(record.get(_DATE_FIELD[kind]) or "")
    number = parse_doc_number(record["doc_number"]) if record.get("doc_number") else None
    issuer = _ISSUER[kind](record)
    return Document(
        id=document_id(title, key if key is not None else number.text if number else None, date),
        title=title,
        issuers=[issuer] if issuer else [],
        doc_number=number,
        written_date=date,
        published_date=date,
        effective_date=parse_cn_date(record.get("effective_date") or "") or date,
        expiry_date=parse_cn_date(record.get("expiry_date") or ""),
        paragraphs=paragraphs or [title],
        source_file=f"{kind}.jsonl#{record['record_id']}",
    )


# ------------------------------------------------------------------- cleaning
def _norm(line: str) -> str:
    return _WS.sub(" ", line).strip()


def _squash(text: str) -> str:
    return _WS.sub("", text)


def clean_title(title: str) -> str:
    """The record title without 《》 wrappers and whitespace runs."""
    title = _norm(title)
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    return title


def parse_date(text: str) -> tuple[dt.date, bool] | None:
    """A printed date (2019年1月27日, 一九九六年六月二十九日, 2019-01-27) and whether it was in Chinese numerals."""
    s = _squash(text)
    if m := _DATE_AR.match(s) or _DATE_ISO.match(s):
        chinese = False
        y, mo, d = (int(g) for g in m.groups())
    elif m := _DATE_CN.match(s):
        chinese = True
        digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
        y = int("".join(str(digits[c]) for c in m.group(1)))
        mo, d = _cn_small(m.group(2)), _cn_small(m.group(3))
    else:
        return None
    try:
        return dt.date(y, mo, d), chinese
    except ValueError:
        return None


def _cn_small(s: str) -> int:
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" not in s:
        return digits[s]
    tens, _, ones = s.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _is_signature(line: str) -> bool:
    return 2 <= len(line) <= 40 and not re.search(r"[。；;，,：:！？]", line)


def record_to_spec(record: dict) -> DocSpec:
    """Build the DocSpec for one corpus record (any of the three kinds); see the module docstring."""
    title = clean_title(record.get("title") or "")
    lines = [_norm(x) for x in (record.get("text") or "").replace("\r", "\n").split("\n")]
    is_law = "events" in record
    if is_law:
        lines = [x.lstrip("#").strip() for x in lines]
    lines = [x for x in lines if x and not _TIMESTAMP.match(x) and not (len(x) < 100 and _FURNITURE.search(x))]

    doc_number = None
    head = 0
    squashed_title = _squash(title)
    own_number = _norm(record.get("doc_number") or "")
    acc = ""
    while head < len(lines) and head < 8:
        line, sq = lines[head], _squash(lines[head])
        if squashed_title and (acc + sq) and squashed_title.startswith(acc + sq):
            acc += sq
        elif len(sq) >= 6 and squashed_title and (squashed_title in sq or sq in squashed_title):
            acc = ""
        elif own_number and sq == _squash(own_number):
            doc_number = line
        else:
            break
        head += 1
    if acc and acc != squashed_title and head == len(lines):
        head = 0  # the "title prefix" was the whole text: keep it
    body = lines[head:]

    addressee = None
    if body and re.search(r"[：:]$", body[0]) and len(body[0]) <= 80 and not body[0].startswith(("一", "第")):
        addressee, body = body[0], body[1:]

    signature = note = None
    date = None
    chinese = False
    appendix: list[str] = []
    for i, line in enumerate(body):
        parsed = parse_date(line)
        if parsed is None or i == 0:
            continue
        if i < len(body) - 1 and not (_NOTE.match(body[i + 1]) or len(body) - i > 3):
            continue
        date, chinese = parsed
        sig_line = body[i - 1] if _is_signature(body[i - 1]) else None
        rest = body[i + 1 :]
        if rest and _NOTE.match(rest[0]):
            note, rest = rest[0], rest[1:]
        signature = sig_line
        body, appendix = body[: i - 1 if sig_line else i], rest
        break
    if note is None and body and _NOTE.match(body[-1]):
        note, body = body[-1], body[:-1]

    if date is None:
        date, chinese = _metadata_date(record), False

    attachments = []
    if appendix:
        first = appendix[0]
        if len(first) <= 40 and not re.search(r"[。；;]", first) and len(appendix) > 1:
            attachments.append(AttachmentSpec(label="", title=first, paragraphs=appendix[1:]))
        else:
            attachments.append(AttachmentSpec(label="", title="", paragraphs=appendix))

    spec = DocSpec(
        issuer=record.get("issuer") or (signature if signature else None),
        issuer_mark=f"{record['issuer']}文件" if record.get("issuer") else None,
        doc_number=doc_number,
        title=title,
        addressee=addressee,
        paragraphs=body,
        signature=signature,
        written_date=date,
        chinese_numerals_date=chinese,
        note=note,
        attachments=attachments,
        source_id=record.get("record_id"),
    )
    return _drop_unsupported(spec)


def _metadata_date(record: dict) -> dt.date | None:
    for key in ("written_date", "issuance_date", "version_date"):
        value = record.get(key)
        if value and (parsed := parse_date(value.replace("年0", "年").replace("月0", "月"))):
            return parsed[0]
    return None


def _drop_unsupported(spec: DocSpec) -> DocSpec:
    """Remove characters the CID font cannot round-trip, recording them in ``dropped_chars``."""
    texts = [spec.title, spec.addressee or "", spec.signature or "", spec.note or "", *spec.paragraphs]
    texts += [t for a in spec.attachments for t in (a.title, *a.paragraphs)]
    bad = unsupported_chars("".join(texts))
    if not bad:
        return spec
    table = str.maketrans("", "", bad)

    def fix(s: str | None) -> str | None:
        return None if s is None else _norm(s.translate(table))

    return spec.model_copy(
        update={
            "title": fix(spec.title),
            "addressee": fix(spec.addressee),
            "signature": fix(spec.signature),
            "note": fix(spec.note),
            "paragraphs": [p for p in (fix(x) for x in spec.paragraphs) if p],
            "attachments": [
                a.model_copy(update={"title": fix(a.title), "paragraphs": [p for p in map(fix, a.paragraphs) if p]})
                for a in spec.attachments
            ],
            "dropped_chars": bad,
        }
    )


# ------------------------------------------------------------------ selection
def unusable_reason(record: dict, spec: DocSpec | None = None) -> str | None:
    """Why a record is not used in fidelity tests (None when it is usable)."""
    title = clean_title(record.get("title") or "")
    if not title:
        return "no title"
    if len(title) > MAX_TITLE_CHARS:
        return f"title longer than {MAX_TITLE_CHARS} characters"
    spec = spec or record_to_spec(record)
    size = sum(len(p) for p in spec.paragraphs) + sum(len(p) for a in spec.attachments for p in a.paragraphs)
    if size < MIN_BODY_CHARS:
        return f"body shorter than {MIN_BODY_CHARS} characters after cleaning"
    if size > MAX_BODY_CHARS:
        return f"body longer than {MAX_BODY_CHARS} characters (slow to render in tests)"
    if len(spec.dropped_chars) > 3:
        return f"too many characters the font cannot render: {spec.dropped_chars!r}"
    return None


def usable_specs(kind: str, directory: str | Path | None = None) -> tuple[list[DocSpec], dict[str, str]]:
    """All usable specs of one corpus file, and the skipped record ids with their reasons."""
    specs, skipped = [], {}
    for record in load_records(kind, directory=directory):
        spec = record_to_spec(record) if (record.get("title") or "").strip() else None
        reason = unusable_reason(record, spec)
        if reason:
            skipped[str(record.get("record_id"))] = reason
        else:
            specs.append(spec)
    return specs, skipped


def select_documents(n: int = 200, seed: int = 0, directory: str | Path | None = None) -> list[DocSpec]:
    """A deterministic mix of ``n`` usable records: every usable state_council record, then local_policies.

    local_policies records are drawn with ``random.Random(seed)``; fewer than ``n`` specs are
    returned only when the corpus has fewer usable records.
    """
    state, _ = usable_specs("state_council", directory)
    local, _ = usable_specs("local_policies", directory)
    picked = state[:n]
    rest = n - len(picked)
    if rest > 0:
        picked += random.Random(seed).sample(local, min(rest, len(local)))
    return picked


def build_issue_from_records(
    specs: list[DocSpec], year: int, issue: int, overall_number: int | None = None
) -> IssueSpec:
    """A gazette issue reprinting ``specs``, split into three sections in order.

    Specs issued by a general office (办公厅/办公室) go to the second section, those with a
    组成部门-like issuer or none to the third, the rest to the first — enough realism for
    ingest to see several sections; order within a section follows ``specs``.
    """
    sections = {"政府文件": [], "政府办公厅文件": [], "部门文件": []}
    for spec in specs:
        issuer = spec.issuer or ""
        if "办公厅" in issuer or "办公室" in issuer:
            sections["政府办公厅文件"].append(spec)
        elif issuer.endswith(("国务院", "人民政府")):
            sections["政府文件"].append(spec)
        else:
            sections["部门文件"].append(spec)
    return IssueSpec(
        gazette_name="静乐县人民政府公报",
        year=year,
        issue=issue,
        overall_number=overall_number,
        published_date=dt.date(year, min(12, issue * 3), 28),
        sections=[SectionSpec(name=name, documents=docs) for name, docs in sections.items() if docs],
    )
