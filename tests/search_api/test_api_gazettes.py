"""Gazette routes: years → issues, table of contents, the EPUB hook."""

from __future__ import annotations

import types
import zipfile

from search_api import services
from tests.search_api.conftest import Fixture


def test_gazette_index(client, fx: Fixture):
    body = client.get("/api/v1/gazettes").json()
    assert [y["year"] for y in body["years"]] == [2023]
    issue = body["years"][0]["issues"][0]
    assert issue["id"] == "2023-1" and issue["overall_number"] == 5
    assert issue["pdf_url"] == f"/api/v1/files/{fx.issue_sha}.pdf"


def test_issue_toc_by_section_without_private_entries(client, fx: Fixture):
    r = client.get("/api/v1/gazettes/2023/1")
    assert r.status_code == 200
    sections = r.json()["sections"]
    assert [s["section"] for s in sections] == ["县政府文件", "县政府办公室文件"]
    assert [e["document_id"] for e in sections[0]["entries"]] == [fx.new.id]
    assert [e["document_id"] for e in sections[1]["entries"]] == [fx.citing.id]
    assert fx.private.title not in r.text


def test_unknown_issue_is_404(client):
    for url in ("/api/v1/gazettes/2023/2", "/api/v1/gazettes/1999/1", "/api/v1/gazettes/2023/2.epub"):
        r = client.get(url)
        assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_epub_absent_is_404_with_error_shape(client, monkeypatch):
    monkeypatch.setattr(services, "epub_builder", lambda: None)
    r = client.get("/api/v1/gazettes/2023/1.epub")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/gazettes").json()["years"][0]["issues"][0]["epub_url"] is None


def test_epub_served_through_the_builder_hook(client, fx: Fixture, monkeypatch):
    calls = []

    def build_issue_epub(archive, issue_id, path):
        calls.append(issue_id)
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("mimetype", "application/epub+zip")

    monkeypatch.setattr(services, "epub_builder", lambda: types.SimpleNamespace(build_issue_epub=build_issue_epub))
    r = client.get("/api/v1/gazettes/2023/1.epub")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/epub+zip"
    assert calls == ["2023-1"]
