"""Standalone documents: valid PDFs whose extracted text is exactly what the spec prints."""

from __future__ import annotations

import io

import pytest

from gazette.errors import ConfigError
from renderer import FontUnavailable, RenderOptions, find_ttf, render_document
from renderer.samples import sample_documents

from tests.renderer.pdf_text import content_text, page_texts, spec_strings, squash

DOCS = sample_documents()


def render(spec, options=None) -> tuple[bytes, object]:
    buf = io.BytesIO()
    info = render_document(spec, buf, options)
    return buf.getvalue(), info


@pytest.mark.parametrize("spec", DOCS, ids=[d.doc_number for d in DOCS])
def test_sample_document_text_is_extractable(spec):
    data, info = render(spec)
    assert data.startswith(b"%PDF-")
    pages = page_texts(data)
    assert len(pages) == info.page_count
    assert [p.strip().split("\n")[-1] for p in pages] == info.page_labels
    text = squash(content_text(pages, set(info.page_labels)))
    for s in spec_strings(spec):
        assert squash(s) in text, s
    for s in (spec.issuer_mark, spec.registration_number, spec.cc, spec.printed_by):
        if s:
            assert squash(s) in text
    assert "(cid:" not in text


def test_signer_shares_the_doc_number_line():
    spec = next(d for d in DOCS if d.signer)
    data, _ = render(spec)
    first = page_texts(data)[0].split("\n")
    assert f"{spec.doc_number} 签发人：{spec.signer}" in first


def test_title_and_doc_number_come_first():
    spec = DOCS[3]
    data, _ = render(spec)
    lines = page_texts(data)[0].split("\n")
    assert lines[:3] == [f"统一登记号：{spec.registration_number}", spec.issuer_mark, spec.doc_number]
    assert squash("".join(lines[3:5])) == squash(spec.title)


def test_rendering_is_deterministic():
    for spec in DOCS[:3]:
        assert render(spec)[0] == render(spec)[0]


@pytest.mark.skipif(find_ttf() is None, reason="no TrueType CJK font installed (fonts-wqy-zenhei)")
def test_ttf_variant_is_deterministic_and_extractable():
    spec = DOCS[6]
    options = RenderOptions(font="ttf")
    data, info = render(spec, options)
    assert data == render(spec, options)[0]
    assert b"FontFile2" in data  # embedded TrueType subset
    text = squash(content_text(page_texts(data), set(info.page_labels)))
    for s in spec_strings(spec):
        assert squash(s) in text


def test_missing_ttf_font_is_a_clear_error(tmp_path):
    with pytest.raises(FontUnavailable, match="TrueType"):
        render(DOCS[0], RenderOptions(font="ttf", ttf_path=tmp_path / "none.ttf"))


def test_unknown_layout_is_rejected():
    with pytest.raises(ConfigError, match="unknown layout"):
        render(DOCS[0], RenderOptions(layout="no_such_layout"))
