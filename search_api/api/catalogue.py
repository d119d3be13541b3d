"""``GET /api/v1/catalogue`` — the published validity catalogue (规范性文件目录).

The catalogue is built by :func:`gazette.catalogue.build_catalogue` (public normative
documents only, grouped 继续有效 / 废止 / 失效, as of a date) and rendered by its
``to_*`` functions; this route chooses the format and names the download.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from gazette import catalogue as cat_mod
from gazette.model import Status
from search_api.deps import ArchiveDep
from search_api.schemas import CatalogueOut

router = APIRouter(tags=["catalogue"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX,
    "html": "text/html; charset=utf-8",
}
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def content_disposition(filename: str, fallback: str, disposition: str = "attachment") -> str:
    """A Content-Disposition header naming a file in any script (RFC 6266 / RFC 5987):
    an ASCII ``filename`` for old clients and the UTF-8 ``filename*`` for the rest."""
    name = _UNSAFE_IN_NAME.sub("_", filename).strip(" .") or fallback
    ascii_name = _UNSAFE_IN_NAME.sub("_", fallback)
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def inline_style_csp(page: str) -> str:
    """A Content-Security-Policy for a standalone page whose only style is its one
    inline ``<style>`` element: that element is allowed by its hash, nothing else."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode("ascii") + "'"
        for m in _STYLE.finditer(page)
    )
    style = hashes or "'none'"
    return f"default-src 'none'; style-src {style}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@router.get(
    "/catalogue",
    response_model=CatalogueOut,
    summary="Validity catalogue (规范性文件目录)",
    responses={
        200: {
            "description": "The catalogue; the format follows `format`.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    },
)
def catalogue(
    archive: ArchiveDep,
    issuer: Annotated[str | None, Query(max_length=100, description="发文机关, exact.")] = None,
    status: Annotated[Status | None, Query(description="Only one group: valid (继续有效), repealed, expired.")] = None,
    as_of: Annotated[dt.date | None, Query(description="Status at this date (default today).")] = None,
    format: Annotated[Literal["json", "csv", "xlsx", "html"], Query(description="json, csv (UTF-8 with BOM), xlsx or html (print-ready).")] = "json",
) -> CatalogueOut | Response:
    """Public normative documents grouped 继续有效 / 废止 / 失效 as of `as_of`, with the
    columns 序号, 文件名称, 发文字号, 统一登记号, 发文机关, 成文日期, 施行日期, 有效期至,
    状态, 废止或失效依据, 备注. CSV and XLSX are downloads named after the catalogue's
    title; HTML is a standalone page ready to print or paste into a website."""
    cat = cat_mod.build_catalogue(archive.store, as_of=as_of, issuer=issuer or None, status=status)
    if format == "json":
        return CatalogueOut.model_validate(cat_mod.to_json(cat))
    fallback = f"catalogue-{cat.as_of.isoformat()}.{format}"
    filename = f"{cat.title}.{format}"
    if format == "csv":
        body: bytes | str = cat_mod.to_csv(cat)
        headers = {"Content-Disposition": content_disposition(filename, fallback)}
    elif format == "xlsx":
        body = cat_mod.to_xlsx(cat)
        headers = {"Content-Disposition": content_disposition(filename, fallback)}
    else:
        body = cat_mod.to_html(cat)
        headers = {
            "Content-Disposition": content_disposition(filename, fallback, "inline"),
            "Content-Security-Policy": inline_style_csp(body),
        }
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
