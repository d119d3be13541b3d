"""Stable identifiers.

A document's id must not change when the same document is ingested again, from the
same file or from another printing of it (a standalone PDF and its reprint in a
gazette issue are the same document). So the id is derived from what identifies a
document legally: its 发文字号 when it has one, else its title and 成文日期.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from gazette.analysis import normalize


def document_id(title: str, doc_number: str | None = None, written_date: dt.date | None = None) -> str:
    """A short, stable, URL-safe id such as ``d3f9a0c41b2e7d8a``."""
    if doc_number:
        key = "n:" + normalize(doc_number)
    else:
        key = "t:" + normalize("".join(title.split())) + "|" + (written_date.isoformat() if written_date else "")
    return "d" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:15]


def issue_id(year: int, issue: int) -> str:
    """Id of a gazette issue within the archive, e.g. ``2022-3``."""
    return f"{year}-{issue}"
