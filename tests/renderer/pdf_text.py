"""Helpers for renderer tests: text extraction with pdfplumber and whitespace-blind comparison."""

from __future__ import annotations

import io
import re

import pdfplumber

_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text with all whitespace removed (comparisons ignore whitespace)."""
    return _WS.sub("", text)


def page_texts(pdf_bytes: bytes) -> list[str]:
    """pdfplumber's extract_text() of every page."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def content_text(pages: list[str], furniture: set[str]) -> str:
    """All pages joined with running headers and page numbers (lines in ``furniture``) removed."""
    kept = [line for text in pages for line in text.split("\n") if line.strip() not in furniture]
    return "\n".join(kept)


def spec_strings(spec) -> list[str]:
    """Every string a DocSpec prints in a gazette reprint or a standalone document body."""
    out = [spec.title, *spec.paragraphs]
    out += [x for x in (spec.doc_number, spec.addressee, spec.signature, spec.note, spec.written_date_text) if x]
    for att in spec.attachments:
        out += [x for x in (att.label, att.title, *att.paragraphs) if x]
    out += [f"附件：{spec.attachment_notes[0]}", *spec.attachment_notes[1:]] if spec.attachment_notes else []
    return out
