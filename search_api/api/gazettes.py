"""Gazette issue routes: years → issues, one issue's table of contents, its EPUB."""

from __future__ import annotations

import tempfile
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from gazette.errors import NotFound
from search_api import services
from search_api.deps import ArchiveDep
from search_api.schemas import (
    GazetteIndex,
    IssueDetail,
    IssueSummary,
    TocEntryOut,
    TocSectionOut,
    YearIssues,
    document_url,
)

router = APIRouter(prefix="/gazettes", tags=["gazettes"])

Year = Annotated[int, Path(ge=1900, le=2100, description="Year, e.g. 2022.")]
IssueNo = Annotated[int, Path(ge=1, le=999, description="Issue number within the year (期).")]


@router.get("", response_model=GazetteIndex, summary="Gazette issues by year (公报目录)")
def list_gazettes(archive: ArchiveDep) -> GazetteIndex:
    """Every gazette issue in the archive, grouped by year (newest year first)."""
    epub = services.epub_builder() is not None
    return GazetteIndex(
        years=[
            YearIssues(year=year, issues=[IssueSummary.from_issue(i, epub) for i in issues])
            for year, issues in services.gazette_years(archive).items()
        ]
    )


# Declared before "/{year}/{issue}" so that "3.epub" is never parsed as an issue number.
@router.get(
    "/{year}/{issue}.epub",
    response_class=FileResponse,
    summary="EPUB edition of an issue (电子书)",
    responses={200: {"content": {"application/epub+zip": {}}, "description": "The EPUB file."}},
)
def issue_epub(archive: ArchiveDep, year: Year, issue: IssueNo) -> Response:
    """The issue as an EPUB 3 for reading on a phone. Built by ``epub_builder`` (a 404
    with the error shape until that package is installed)."""
    found = services.get_issue(archive, year, issue)
    builder = services.epub_builder()
    if builder is None:
        raise NotFound("电子书版本暂未提供 (the EPUB edition is not available yet)")
    tmpdir = FsPath(tempfile.mkdtemp(prefix="gazette-epub-"))
    path = tmpdir / f"{found.id}.epub"
    builder.build_issue_epub(archive, found.id, path)
    return FileResponse(
        path,
        media_type="application/epub+zip",
        filename=f"{found.gazette_name}{year}年第{issue}期.epub",
        background=BackgroundTask(_remove_tree, tmpdir),
    )


def _remove_tree(path: FsPath) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


@router.get("/{year}/{issue}", response_model=IssueDetail, summary="Table of contents of an issue (本期目录)")
def get_issue(archive: ArchiveDep, year: Year, issue: IssueNo) -> IssueDetail:
    """The issue's 目录 by section; each article links to its public document."""
    found = services.get_issue(archive, year, issue)
    sections = [
        TocSectionOut(
            section=s.section,
            entries=[
                TocEntryOut(
                    title=line.title,
                    page=line.page,
                    document_id=line.doc.id if line.doc else None,
                    url=document_url(line.doc.id) if line.doc else None,
                    doc_number=(line.doc.doc_number.text if line.doc.doc_number else line.doc.doc_number_raw)
                    if line.doc
                    else None,
                    status=line.doc.status if line.doc else None,
                    status_label=line.doc.status_label if line.doc else None,
                )
                for line in s.lines
            ],
        )
        for s in services.issue_toc(archive, found)
    ]
    summary = IssueSummary.from_issue(found, services.epub_builder() is not None)
    return IssueDetail(**summary.model_dump(), sections=sections)
