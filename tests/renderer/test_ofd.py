"""OFD output (GB/T 33190): a well-formed package whose TextCode elements carry the text."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from gazette.errors import ConfigError
from renderer import RenderOptions, render_document, render_issue
from renderer.ofd import NS
from renderer.samples import sample_documents, sample_issues

from tests.renderer.pdf_text import spec_strings, squash

OFD = {"ofd": NS}


def render(spec, **options) -> tuple[bytes, object]:
    buf = io.BytesIO()
    info = render_document(spec, buf, RenderOptions(format="ofd", **options))
    return buf.getvalue(), info


def page_texts(data: bytes) -> list[str]:
    """Text of each page, TextCode by TextCode, in the order the Document.xml lists pages."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read("OFD.xml"))
        doc_root = root.find("ofd:DocBody/ofd:DocRoot", OFD).text
        base = doc_root.rsplit("/", 1)[0]
        document = ET.fromstring(zf.read(doc_root))
        out = []
        for page in document.findall("ofd:Pages/ofd:Page", OFD):
            content = ET.fromstring(zf.read(f"{base}/{page.get('BaseLoc')}"))
            out.append("\n".join(tc.text or "" for tc in content.iter(f"{{{NS}}}TextCode")))
        return out


def test_ofd_package_is_well_formed():
    spec = sample_documents()[3]
    data, info = render(spec)
    assert info.format == "ofd"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert names[:3] == ["OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml"]
        assert [n for n in names if n.startswith("Doc_0/Pages/")] == [
            f"Doc_0/Pages/Page_{i}/Content.xml" for i in range(info.page_count)
        ]
        for name in names:
            ET.fromstring(zf.read(name))  # every member parses
        document = ET.fromstring(zf.read("Doc_0/Document.xml"))
        assert document.find("ofd:CommonData/ofd:PageArea/ofd:PhysicalBox", OFD).text == "0 0 210 297"
        res = ET.fromstring(zf.read("Doc_0/PublicRes.xml"))
        assert res.find("ofd:Fonts/ofd:Font", OFD).get("ID") == "1"
        content = ET.fromstring(zf.read("Doc_0/Pages/Page_0/Content.xml"))
        text_object = next(content.iter(f"{{{NS}}}TextObject"))
        assert text_object.get("Font") == "1" and len(text_object.get("Boundary").split()) == 4
        ids = [int(e.get("ID")) for n in names if "/Pages/" in n for e in ET.fromstring(zf.read(n)).iter() if e.get("ID")]
        assert len(ids) == len(set(ids)) and max(ids) <= int(document.find("ofd:CommonData/ofd:MaxUnitID", OFD).text)


def test_ofd_text_is_the_spec_text_and_deterministic():
    spec = sample_documents()[3]
    data, info = render(spec)
    text = squash("".join(page_texts(data)))
    for s in spec_strings(spec):
        assert squash(s) in text, s
    assert data == render(spec)[0]
    assert page_texts(data)[0].split("\n")[-1] == info.page_labels[0]


def test_ofd_issue_and_variants():
    issue = sample_issues()[0]
    buf = io.BytesIO()
    info = render_issue(issue, buf, RenderOptions(format="ofd", layout="two_column"))
    texts = page_texts(buf.getvalue())
    assert len(texts) == info.page_count
    assert issue.gazette_name in texts[0]
    assert squash(issue.documents[0].title) in squash("".join(texts[info.front_pages :]))


def test_post_processing_layouts_cannot_be_written_as_ofd():
    with pytest.raises(ConfigError, match="OFD"):
        render(sample_documents()[0], layout="scanned")
