"""The table of contents as a tree, written both as the EPUB 3 navigation document
and (through ebooklib) as the EPUB 2 NCX, so the two always agree.

Every node links to a page: sections and issues link to their title page. Titles are
never empty (the book assembly supplies a fallback).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ebooklib import epub

from .xhtml import esc, page


@dataclass
class NavNode:
    """One entry of the table of contents; ``href`` is relative to the package root."""

    title: str
    href: str
    uid: str
    children: list[NavNode] = field(default_factory=list)


def _ol(nodes: list[NavNode], indent: str = "") -> str:
    out = [f"{indent}<ol>"]
    for n in nodes:
        link = f'<a href="{esc(n.href)}">{esc(n.title)}</a>'
        if n.children:
            out.append(f"{indent}<li>{link}\n{_ol(n.children, indent + '  ')}\n{indent}</li>")
        else:
            out.append(f"{indent}<li>{link}</li>")
    out.append(f"{indent}</ol>")
    return "\n".join(out)


def nav_document(
    nodes: list[NavNode], *, heading: str, landmarks: list[tuple[str, str, str]]
) -> bytes:
    """The navigation document (``nav.xhtml`` at the package root).

    ``landmarks`` are ``(epub:type, href, label)`` triples (cover, toc, bodymatter).
    The toc ``nav`` is also shown as the book's 目录 page in the reading order.
    """
    body = [
        '<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">',
        f'<h1 id="toc-title">{esc(heading)}</h1>',
        _ol(nodes),
        "</nav>",
    ]
    if landmarks:
        body.append('<nav epub:type="landmarks" id="landmarks" aria-label="导览" hidden="hidden">')
        body.append("<ol>")
        body.extend(f'<li><a epub:type="{t}" href="{esc(h)}">{esc(label)}</a></li>' for t, h, label in landmarks)
        body.append("</ol>\n</nav>")
    return page(heading, "\n".join(body), depth=0, body_class="toc")


def ncx_toc(nodes: list[NavNode]) -> list:
    """The same tree in the shape ebooklib's NCX writer takes (``book.toc``)."""
    out: list = []
    for n in nodes:
        if n.children:
            out.append((epub.Section(n.title, n.href), ncx_toc(n.children)))
        else:
            out.append(epub.Link(n.href, n.title, f"ncx-{n.uid}"))
    return out


def flatten(nodes: list[NavNode]) -> list[NavNode]:
    """Depth-first, document order."""
    out: list[NavNode] = []
    for n in nodes:
        out.append(n)
        out.extend(flatten(n.children))
    return out
