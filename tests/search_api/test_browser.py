"""Browser tests: Playwright driving Debian's Chromium against a live uvicorn server.

They search, filter by status, open a result, see the status banner and the
highlight, download the original PDF, and keep a phone-sized screenshot of the search
page under ``test-artifacts/`` (gitignored; CI keeps it as an artifact). Skipped with a
reason when /usr/bin/chromium is absent — except under CI, where that is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.search_api.conftest import Fixture

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def _require_chromium() -> None:
    if CHROMIUM.is_file():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason + " — required in CI")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(app):
    """The fixture app served by uvicorn on a free loopback port, in a thread."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, accept_downloads=True, java_script_enabled=False, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


def test_search_filter_open_banner_and_download(page, server, fx: Fixture, tmp_path):
    page.goto(server + "/")
    page.get_by_label("检索词").fill("城市规划管理办法")
    page.get_by_role("button", name="检索", exact=True).click()
    page.wait_for_url("**/?q=*")
    results = page.locator("ol.hits > li")
    assert results.count() >= 1
    assert page.locator("ol.hits mark").first.is_visible()

    # filter by status through the form (no JavaScript: a plain GET submit)
    filters = page.locator("details.filters")
    assert filters.get_attribute("open") is None  # closed while no filter is set
    filters.locator("summary").click()
    page.get_by_label("效力状态", exact=True).select_option("repealed")
    page.get_by_role("button", name="应用").click()
    page.wait_for_url("**status=repealed*")
    badges = page.locator("ol.hits .badge").all_inner_texts()
    assert badges and set(badges) == {"废止"}

    # open the result and read its banner
    page.locator("ol.hits h2 a").first.click()
    page.wait_for_url(f"**/documents/{fx.old.id}")
    banner = page.get_by_role("note", name="效力状态")
    assert "本文件已于2023年5月1日废止，废止依据：静政发〔2023〕4号" in banner.inner_text()
    assert banner.get_by_role("link", name="静政发〔2023〕4号").get_attribute("href") == f"/documents/{fx.new.id}"
    assert page.locator("h2", has_text="一、总则").is_visible()

    # download the original PDF
    with page.expect_download() as info:
        page.get_by_role("link", name="下载原件（PDF）").click()
    target = tmp_path / "original.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")


def test_facet_link_filters_by_status(page, server):
    page.goto(server + "/?q=城市规划")
    page.get_by_role("navigation", name="按效力状态筛选").get_by_role("link", name="有效").click()
    page.wait_for_url("**status=valid*")
    assert set(page.locator("ol.hits .badge").all_inner_texts()) == {"有效"}


def test_phone_screenshot_of_search_page(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/?q=城市规划")
    path = ARTIFACTS / "search-phone-390x844.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 5_000
    full = ARTIFACTS / "search-phone-390x844-full.png"
    page.screenshot(path=str(full), full_page=True)


def test_document_page_screenshot(page, server, fx: Fixture):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + f"/documents/{fx.old.id}")
    page.screenshot(path=str(ARTIFACTS / "document-phone-390x844.png"), full_page=True)
