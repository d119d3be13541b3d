"""Citizens' web pages: server-rendered Jinja2, Chinese, mobile first, no JavaScript.

Pages call the same :mod:`search_api.services` as the JSON API, so both give the same
answers. Form input is read leniently (a browser sends empty fields for unused
filters; a bad value is dropped with a notice instead of failing the whole page).
Templates autoescape everything; only search snippets, which the analyser has already
HTML-escaped and marked with ``<mark>``, are rendered ``|safe``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FsPath
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from gazette.archive import Archive
from gazette.backends.base import SearchQuery
from gazette.catalogue import COLUMNS, GROUPS, build_catalogue
from gazette.model import STATUS_LABELS, Status
from gazette.status import effective_expiry
from search_api import presentation, services
from search_api.api.search import page_count
from search_api.deps import ArchiveDep, run_blocking
from search_api.errors import validation_message
from search_api.schemas import file_url

TEMPLATES = Jinja2Templates(directory=str(FsPath(__file__).parent / "templates"))
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True
TEMPLATES.env.globals.update(
    zh_date=presentation.zh_date,
    title_markup=presentation.title_markup,
    status_labels={s.value: l for s, l in STATUS_LABELS.items()})

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

#: Query parameters of the search page, in the order they appear in links.
SEARCH_FIELDS = ("q", "status", "issuer", "year", "doc_type", "normative_only", "as_of", "sort", "page")
#: Query parameters of the catalogue page.
CATALOGUE_FIELDS = ("issuer", "status", "as_of")
SORT_LABELS = {"relevance": "按相关度", "date": "按日期（新→旧）"}
_TRUE = {"1", "on", "true", "yes"}
MIN_YEAR, MAX_YEAR = 1900, 2100


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return TEMPLATES.TemplateResponse(request, template, {**context, "settings": request.app.state.settings}, status_code=status_code)


def render_error(request: Request, status: int, code: str, message: str) -> Response:
    """The HTML form of the error shape (used by :mod:`search_api.errors` for pages)."""
    title = "未找到" if status == 404 else "出错了"
    context = {"title": title, "status": status, "code": code, "message": message}
    return render(request, "error.html", context, status_code=status)


def search_url(params: dict[str, str], **changes: Any) -> str:
    """A search-page link: the current filters with ``changes`` applied (``None``
    removes a filter); any change other than the page goes back to page 1."""
    merged = dict(params)
    if "page" not in changes:
        merged.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    ordered = [(k, merged[k]) for k in SEARCH_FIELDS if merged.get(k)]
    return "/" + ("?" + urlencode(ordered) if ordered else "")


def _read_search_form(request: Request) -> tuple[SearchQuery, dict[str, str], str | None]:
    """The search form as a :class:`SearchQuery`, the non-empty raw fields, and a
    notice when some field was invalid (that field is then ignored)."""
    raw = {k: request.query_params.get(k, "").strip() for k in SEARCH_FIELDS}
    params = {k: v for k, v in raw.items() if v}
    values: dict[str, Any] = {k: v for k, v in params.items() if k != "normative_only"}
    values["normative_only"] = params.get("normative_only", "").lower() in _TRUE
    notice = None
    year = values.get("year", "")
    if year and not (year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
        # SearchQuery does not bound the year; an out-of-range one must not reach SQL.
        notice = f"参数 year 无效：应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份 (invalid parameter year)"
        values.pop("year")
        params.pop("year")
    for _ in range(len(values) + 1):
        try:
            return SearchQuery(**values), params, notice
        except ValidationError as exc:
            errors = exc.errors()
            notice = notice or validation_message(errors)
            bad = {e["loc"][0] for e in errors if e.get("loc")}
            for key in bad:
                values.pop(key, None)
                params.pop(str(key), None)
            if not bad:
                break
    return SearchQuery(), {}, notice


@router.get("/", name="search_page")
async def search_page(request: Request, archive: ArchiveDep) -> Response:
    return await run_blocking(request, _search_page, request, archive)


def _search_page(request: Request, archive: Archive) -> Response:
    query, params, notice = _read_search_form(request)
    result = archive.search(query)
    pages = page_count(result.total, query.size)
    facets = result.facets or {}
    years = sorted(facets.get("year", {}).items(), key=lambda kv: kv[0], reverse=True)
    context = {
        "title": f"“{query.q}”的检索结果" if query.q else "文件检索",
        "query": query,
        "params": params,
        "notice": notice,
        "result": result,
        "pages": pages,
        "facet_status": [(k, STATUS_LABELS[Status(k)], n) for k, n in facets.get("status", {}).items()],
        "facet_issuer": [(k, k, n) for k, n in list(facets.get("issuer", {}).items())[:10]],
        "facet_year": [(k, f"{k}年", n) for k, n in years[:12]],
        "facet_doc_type": [(k, k, n) for k, n in list(facets.get("doc_type", {}).items())[:12]],
        "sort_labels": SORT_LABELS,
        "search_url": lambda **changes: search_url(params, **changes),
    }
    return render(request, "search.html", context, status_code=400 if notice else 200)


@router.get("/documents/{doc_id}", name="document_page")
def document_page(
    request: Request,
    archive: ArchiveDep,
    doc_id: Annotated[str, Path(max_length=64)],
    as_of: dt.date | None = None,
) -> Response:
    """A document with its status today, or on ``as_of``, and its whole history."""
    view = services.document_view(archive, doc_id, as_of)
    doc = view.doc
    today = dt.date.today()
    banner = presentation.status_banner(doc, view.status, view.as_of, view.basis_id, today)
    issue = None
    if doc.gazette_issue:
        try:
            issue = archive.store.get_issue(doc.gazette_issue)
        except Exception:  # a dangling placement must not hide the document
            issue = None
    pdf = f"/api/v1/documents/{doc.id}/pdf" if doc.sha256 else None
    context = {
        "title": doc.title,
        "doc": doc,
        "view": view,
        "banner": banner,
        "blocks": presentation.blocks(doc.paragraphs),
        "attachments": [(a, presentation.blocks(a.paragraphs)) for a in doc.attachments],
        "issue": issue,
        "pdf_url": pdf,
        "pdf_page_url": f"{file_url(doc.sha256)}#page={doc.pages[0]}" if doc.sha256 and doc.pages else None,
        "relations": view.relations,
        "as_of_given": as_of is not None,
        "expiry": effective_expiry(doc, view.as_of),
        "history": sorted(doc.events, key=lambda ev: (ev.date or dt.date.min, ev.id or 0)),
    }
    return render(request, "document.html", context)


def _read_catalogue_form(request: Request) -> tuple[dict[str, Any], dict[str, str], str | None]:
    """The catalogue filters as arguments of :func:`build_catalogue`, the valid raw
    fields (for links), and a notice naming a field that was invalid and ignored."""
    params = {k: v for k in CATALOGUE_FIELDS if (v := request.query_params.get(k, "").strip())}
    args: dict[str, Any] = {}
    bad: list[str] = []
    if "issuer" in params:
        if len(params["issuer"]) <= 100:
            args["issuer"] = params["issuer"]
        else:
            bad.append("issuer")
    if "status" in params:
        try:
            args["status"] = Status(params["status"])
        except ValueError:
            bad.append("status")
    if "as_of" in params:
        try:
            day = dt.date.fromisoformat(params["as_of"])
            if not MIN_YEAR <= day.year <= MAX_YEAR:
                raise ValueError(day)
            args["as_of"] = day
        except ValueError:
            bad.append("as_of")
    for key in bad:
        params.pop(key)
    notice = f"参数 {'、'.join(bad)} 无效，已忽略 (invalid parameter ignored: {', '.join(bad)})" if bad else None
    return args, params, notice


@router.get("/catalogue", name="catalogue_page")
def catalogue_page(request: Request, archive: ArchiveDep) -> Response:
    """The validity catalogue in the site's layout, with its downloads."""
    args, params, notice = _read_catalogue_form(request)
    catalogue = build_catalogue(archive.store, **args)

    def download(fmt: str) -> str:
        return "/api/v1/catalogue?" + urlencode([*params.items(), ("format", fmt)])

    context = {
        "title": catalogue.title,
        "catalogue": catalogue,
        "columns": COLUMNS,
        "groups": {s.value: label for s, label in GROUPS.items()},
        "params": params,
        "notice": notice,
        "download": download,
    }
    return render(request, "catalogue.html", context, status_code=400 if notice else 200)


@router.get("/gazettes", name="gazettes_page")
def gazettes_page(request: Request, archive: ArchiveDep) -> Response:
    return render(request, "gazettes.html", {"title": "政府公报", "years": services.gazette_years(archive)})


@router.get("/gazettes/{year}/{issue}", name="issue_page")
def issue_page(request: Request, archive: ArchiveDep, year: int, issue: int) -> Response:
    found = services.get_issue(archive, year, issue)
    return render(
        request,
        "issue.html",
        {
            "title": f"{found.gazette_name} {year}年第{issue}期",
            "issue": found,
            "sections": services.issue_toc(archive, found),
            "pdf_url": file_url(found.sha256) if found.sha256 else None,
            "epub_url": f"/api/v1/gazettes/{year}/{issue}.epub" if services.epub_builder() else None,
        },
    )
