"""The JSON API, versioned under ``/api/v1``.

Every route declares the error responses of :mod:`search_api.errors`. The public
routes answer only with public (主动公开) documents, through :mod:`search_api.services`;
the legal office's routes (:mod:`search_api.api.legal_office`) need a token.
"""

from __future__ import annotations

from fastapi import APIRouter

from search_api.api import catalogue, documents, files, gazettes, legal_office, search
from search_api.errors import ERROR_RESPONSES
from search_api.schemas import API_PREFIX

router = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)
router.include_router(search.router)
router.include_router(documents.router)
router.include_router(gazettes.router)
router.include_router(files.router)
router.include_router(catalogue.router)
router.include_router(legal_office.writes)
router.include_router(legal_office.reads)

__all__ = ["router"]
