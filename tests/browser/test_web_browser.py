"""Real-browser tests in headless Chromium (Debian's, driven by Playwright): sign-in, the dashboard,
the side-by-side view, a planted hostile page, a licensee's restricted view, acting on a claim,
building evidence and the search results page. Screenshots go to
``test-artifacts/``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.web.support import make_app, password, seed_demo

pytestmark = pytest.mark.browser

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    """The seeded app served by uvicorn on 127.0.0.1, port 0, in a thread."""
    import uvicorn

    home = tmp_path_factory.mktemp("browser")
    app = make_app(f"sqlite:///{home / 'b.sqlite'}", home, login_burst=100)
    info = seed_demo(app)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", info
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        yield b
        b.close()


def sign_in(browser: Any, base: str, role: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("#username", f"{role}1")
    page.fill("#password", password(role))
    page.click("#sign-in")
    page.wait_for_load_state("networkidle")
    return page


def test_sign_in_and_dashboard(site, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base, info = site
    page = sign_in(browser, base, "admin")
    assert page.url.endswith("/dashboard")
    assert page.inner_text("#whoami") == "admin1"
    assert int(page.inner_text("#total-findings")) == sum(len(ids) for ids in info["findings"].values())
    assert page.locator("svg.chart").count() >= 4
    assert page.locator("#chart-by-verdict svg rect").count() >= 3
    page.screenshot(path=str(artifacts_dir / "web_dashboard_zh.png"), full_page=True)
    page.click("text=English")
    page.wait_for_load_state("networkidle")
    assert "Rights monitoring overview" in page.inner_text("h1")
    page.screenshot(path=str(artifacts_dir / "web_dashboard_en.png"), full_page=True)
    page.click("#logout")
    page.wait_for_load_state("networkidle")
    assert "/login" in page.url
    page.goto(base + "/dashboard")
    assert "/login" in page.url  # the session is gone
    page.context.close()


def test_wrong_password_is_refused(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#username", "admin1")
    page.fill("#password", "not-the-password")
    page.click("#sign-in")
    assert page.locator("#login-error").is_visible()
    context.close()


def test_side_by_side_view(site, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base, info = site
    page = sign_in(browser, base, "analyst")
    copycat = info["findings"]["http://copycat.example/article/889.html"][0]
    page.goto(f"{base}/findings/{copycat}")
    assert page.locator("#pane-article mark.reused").count() >= 1
    assert page.locator("#pane-copy mark.reused").count() >= 1
    assert page.locator("#credit-missing").is_visible()
    assert "来源:国际在线" in page.inner_text("#credit-missing")
    # the two panes are side by side
    a = page.locator("#pane-article").bounding_box()
    b = page.locator("#pane-copy").bounding_box()
    assert a and b and b["x"] > a["x"] + a["width"] - 1 and abs(a["y"] - b["y"]) < 5
    page.screenshot(path=str(artifacts_dir / "web_side_by_side.png"), full_page=True)
    page.context.close()


def test_planted_hostile_page_stays_inert(site, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base, info = site
    page = sign_in(browser, base, "legal")
    page.goto(f"{base}/findings/{info['hostile_id']}")
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []  # type: ignore[attr-defined]  # no alert() ran
    text = page.inner_text("#pane-copy")
    assert "<script>alert('pwned')</script>" in text  # shown as text
    assert page.locator("#pane-copy script, #pane-copy img, #pane-copy a").count() == 0
    assert '<img src=x onerror="alert(1)">' in page.inner_text("#pane-copy h2")
    page.screenshot(path=str(artifacts_dir / "web_hostile_page.png"), full_page=True)
    page.goto(f"{base}/dashboard")
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.context.close()


def test_licensee_restricted_view(site, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base, info = site
    page = sign_in(browser, base, "licensee")
    assert page.url.endswith("/portal")
    assert "合作伙伴新闻网" in page.inner_text("#party-name")
    findings_text = page.inner_text("#my-findings")
    assert "partner.example" in findings_text
    for other in ("copycat.example", "aggregator.example", "oldpartner.example", "digest.example"):
        assert other not in page.content()
    assert page.locator("nav a").count() == 2  # only the portal and the search (scoped to its own items)
    page.screenshot(path=str(artifacts_dir / "web_licensee_portal.png"), full_page=True)
    page.click("#my-findings a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert "/portal/findings/" in page.url and page.locator("mark.reused").count() >= 1
    resp = page.goto(f"{base}/dashboard")
    assert resp is not None and resp.status == 403
    resp = page.goto(f"{base}/portal/findings/{info['other_ids'][0]}")
    assert resp is not None and resp.status == 404
    page.context.close()


def test_act_on_a_claim(site, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page = sign_in(browser, base, "legal")
    page.goto(f"{base}/claims")
    page.click("#claims tbody a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert "/claims/" in page.url
    assert "某作者" in page.inner_text("#claimant")
    assert page.locator("#claim-deadline").inner_text().startswith("2026-02-09")  # 2026-01-10 + 30 days
    assert page.locator("#claim-late").is_visible()  # raised after the window: flagged, still handled
    assert page.inner_text("#claim-status") == "已收到"
    page.fill("#claim-ack input[name=note]", "已受理，核查中")
    page.click("#acknowledge")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#claim-status") == "审核中"
    assert page.locator("#acknowledge").count() == 0
    page.select_option("#decision", "upheld:credit_added")
    page.fill("#decision-note", "已在转载稿补充署名")
    page.click("#decide")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#claim-status") == "已办结"
    assert page.inner_text("#claim-resolution") == "已补充署名"
    assert "upheld: 已在转载稿补充署名" in page.inner_text("#claim-notes")
    assert page.locator("#claim-history li").count() == 3
    assert page.locator("#claim-decide").count() == 0
    page.screenshot(path=str(artifacts_dir / "web_claim_resolved.png"), full_page=True)
    page.context.close()


def test_build_evidence_from_the_side_by_side_view(site, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base, info = site
    page = sign_in(browser, base, "analyst")
    copycat = info["findings"]["http://copycat.example/article/889.html"][0]
    page.goto(f"{base}/findings/{copycat}")
    page.click("#build-evidence-button")
    page.wait_for_load_state("networkidle")
    assert "/evidence/" in page.url
    assert page.inner_text("#verify-status") == "校验通过"
    assert len(page.inner_text("#evidence-sha256")) == 64
    with page.expect_download() as dl:
        page.click("#evidence-download")
    assert dl.value.suggested_filename.endswith(".wacz")
    page.screenshot(path=str(artifacts_dir / "web_evidence_package.png"), full_page=True)
    page.context.close()


def test_search_results_page(site, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base, info = site
    page = sign_in(browser, base, "admin")
    page.click("nav >> text=搜索")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=q]", "partner")  # htmx asks for the results as you type
    page.wait_for_selector("#search-hits li.hit")
    kinds = set(page.locator("#search-hits li.hit .kind").all_inner_texts())
    assert {"转载发现", "授权"} <= kinds, kinds
    page.fill("input[name=q]", "evil.example")
    page.wait_for_selector(f'#search-hits a[href="/findings/{info["hostile_id"]}"]')
    assert "partner" not in page.inner_text("#search-hits")
    hit = page.locator(f'#search-hits a[href="/findings/{info["hostile_id"]}"]')
    assert hit.count() == 1
    assert '<img src=x onerror="alert(1)">' in hit.inner_text()  # the planted title, shown as text
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator("#search-hits img, #search-hits script").count() == 0
    page.fill("input[name=q]", "Hostile")  # only the case's title has it
    page.wait_for_selector("#search-hits li.hit-finding", state="detached")
    assert page.locator("#search-hits li.hit-case").count() == 1
    page.screenshot(path=str(artifacts_dir / "web_search_results.png"), full_page=True)
    page.context.close()
