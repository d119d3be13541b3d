"""``GET /api/v1/files/{sha256}.pdf`` — an original source file by its hash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from search_api import services
from search_api.deps import ArchiveDep

router = APIRouter(prefix="/files", tags=["files"])


@router.get(
    "/{sha256}.pdf",
    response_class=FileResponse,
    summary="Original PDF by sha256 (原始文件)",
    responses={200: {"content": {"application/pdf": {}}, "description": "The PDF file."}},
)
def get_file(archive: ArchiveDep, sha256: Annotated[str, Path(max_length=64)]) -> FileResponse:
    """A stored original PDF that a public document or a gazette issue comes from.
    Files only non-public documents come from are a 404."""
    path = services.public_file(archive, sha256)
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=f"{sha256[:12]}.pdf",
        content_disposition_type="inline",
        headers={"Cache-Control": "public, max-age=86400, immutable"},
    )
