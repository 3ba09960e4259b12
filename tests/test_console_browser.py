"""The operator console in a real headless Chromium while the real pipeline runs on the sample clips.

`citylens demo` (Ray edge actors, yolov8n, embedded Redis, ingest, API) runs on the first 20 s of both clips
with keys on; Selenium drives Debian's chromium: sign in, incidents arrive live over SSE, search finds the
table visit, acknowledge it, read the counts chart, then /docs and /redoc render offline. Screenshots go to
$CITYLENS_ARTIFACTS_DIR (default: this test's tmp dir) and, with CITYLENS_UPDATE_SCREENSHOTS=1, to
docs/screenshots/.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import httpx
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CLIP_S = 20  # first 20 s: one table visit (frames 74-186) and three street-line crossings (~f45, f119, f140)
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1600,1000"]


def _cut(src: Path, dst: Path, seconds: float) -> None:
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS) or 10.0
    w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    out = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for _ in range(int(fps * seconds)):
        ok, frame = cap.read()
        if not ok:
            break
        out.write(frame)
    cap.release()
    out.release()


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_bin = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    assert Path(chromium).exists() and Path(driver_bin).exists(), \
        "Debian's chromium and chromium-driver are required (.ci/run installs them: apt-get install chromium chromium-driver)"
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for f in CHROME_FLAGS:
        opts.add_argument(f)
    return webdriver.Chrome(service=Service(driver_bin), options=opts)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    d = Path(os.environ.get("CITYLENS_ARTIFACTS_DIR") or tmp_path_factory.mktemp("screenshots"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def live_demo(tmp_path_factory):
    """`citylens demo --fast` on 20 s clips, with keys on; yields (base_url, admin_key, proc)."""
    tmp = tmp_path_factory.mktemp("console-demo")
    cfg = yaml.safe_load((REPO / "configs" / "demo.yaml").read_text())
    for cam in cfg["cameras"]:
        src = (REPO / "configs" / cam["source"]["url"]).resolve()
        clip = tmp / f"{cam['id']}.mp4"
        _cut(src, clip, CLIP_S)
        cam["source"]["url"] = str(clip)
        cam["source"]["realtime"] = False
    cfg_path = tmp / "demo.yaml"
    cfg_path.write_text(yaml.safe_dump(cfg))
    key = secrets.token_urlsafe(32)
    env = dict(os.environ, CITYLENS_ADMIN_KEY=key)
    env.pop("CITYLENS_REDIS_URL", None)
    cmd = [str(Path(sys.executable).parent / "citylens"), "demo", "--config", str(cfg_path), "--fast", "--port", "0",
           "--data-dir", str(tmp / "data"), "--edge-metrics-port", "0"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    log: list[str] = []
    port: list[int] = []
    edge_port: list[int] = []

    def read() -> None:
        for line in proc.stdout:
            log.append(line)
            m = re.search(r"demo API at http://127\.0\.0\.1:(\d+)", line)
            if m:
                port.append(int(m.group(1)))
            m = re.search(r"edge metrics at http://127\.0\.0\.1:(\d+)", line)
            if m:
                edge_port.append(int(m.group(1)))

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 120
    while not port:
        assert proc.poll() is None, "demo exited:\n" + "".join(log[-60:])
        assert time.monotonic() < deadline, "demo API did not start:\n" + "".join(log[-60:])
        time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port[0]}", key, edge_port
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
            raise AssertionError("Ctrl-C did not stop `citylens demo` within 60 s:\n" + "".join(log[-30:])) from None
        assert proc.returncode == 130, (proc.returncode, "".join(log[-30:]))  # stopped in order, not killed


def _wait(driver, cond, timeout=60.0, what="condition"):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # a page that reloads (sign-out) or re-renders a list can swap an element between find and read: poll again
    return WebDriverWait(
        driver, timeout, poll_frequency=0.25, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(cond, message=f"timed out waiting for {what}")


def _shot(driver, artifacts: Path, name: str) -> Path:
    path = artifacts / f"{name}.png"
    driver.save_screenshot(str(path))
    if os.environ.get("CITYLENS_UPDATE_SCREENSHOTS") == "1":
        dst = REPO / "docs" / "screenshots"
        dst.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dst / path.name)
    return path


def _cameras_done(base: str, key: str) -> bool:
    r = httpx.get(f"{base}/cameras", headers={"X-API-Key": key}, timeout=10)
    data = r.json()["data"]
    return len(data) == 2 and all(c["state"] in ("ended", "failed", "stopped") for c in data)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_operator_signs_in_sees_live_incidents_searches_acknowledges_and_reads_counts(live_demo, artifacts):
    from selenium.webdriver.common.by import By

    base, key, edge_port = live_demo
    viewer = httpx.post(f"{base}/keys", json={"name": "wall-screen", "role": "viewer"},
                        headers={"X-API-Key": key}, timeout=10).json()["key"]
    driver = _browser()
    try:
        # ---- sign in: the page asks for a key, the key becomes an HttpOnly session cookie
        driver.get(base + "/")
        _wait(driver, lambda d: d.find_element(By.ID, "signin").is_displayed(), 30, "sign-in form")
        _shot(driver, artifacts, "console-signin")
        driver.find_element(By.ID, "key").send_keys("clk_wrong")
        driver.find_element(By.ID, "signin-button").click()
        _wait(driver, lambda d: "unknown or revoked" in d.find_element(By.ID, "signin-error").text, 10, "sign-in error")
        driver.find_element(By.ID, "key").clear()
        driver.find_element(By.ID, "key").send_keys(key)
        driver.find_element(By.ID, "signin-button").click()
        _wait(driver, lambda d: d.find_element(By.ID, "app").is_displayed(), 15, "console after sign-in")
        cookie = driver.get_cookie("citylens_session")
        assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert driver.execute_script("return document.cookie") == ""  # not readable by scripts
        assert driver.find_element(By.ID, "role").text.lower() == "admin"

        # ---- incidents arrive live over SSE (rows the event stream inserted carry the 'fresh' flash)
        _wait(driver, lambda d: "live" == d.find_element(By.CSS_SELECTOR, "#live-status span").text, 30, "event stream")
        _wait(driver, lambda d: d.execute_script("return window.__citylensLive || 0") >= 1, 400,
              "an incident pushed over /events")
        _wait(driver, lambda d: _cameras_done(base, key), 600, "both cameras to reach the end of their clips")
        time.sleep(2)  # last ingest batch
        rows = driver.find_elements(By.CSS_SELECTOR, "#feed tbody tr")
        assert rows, "feed is empty"
        _shot(driver, artifacts, "console-live")

        # ---- Prometheus metrics on the API and on the edge actors, scraped while the demo runs
        api = httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=30)
        api_metrics = api.get("/metrics").text
        assert 'route="/incidents"' in api_metrics and "citylens_sse_clients 1.0" in api_metrics
        assert "citylens_ingest_lag_entries" in api_metrics
        assert edge_port, "the demo did not report its edge metrics port"
        edge = httpx.get(f"http://127.0.0.1:{edge_port[0]}/metrics", timeout=30).text
        for name in ('citylens_edge_camera_fps_in{box="box-a",camera="lobby"}', "citylens_edge_camera_dropped_frames_total",
                     'citylens_edge_detect_latency_seconds_count{box="box-b"}', "citylens_edge_detect_queue_depth",
                     "citylens_edge_caption_latency_seconds_sum", 'citylens_edge_spool_bytes{box="box-a",camera="lobby"}',
                     'citylens_edge_camera_stride{box="box-a",camera="lobby"}', "citylens_edge_camera_shed_level",
                     'citylens_edge_camera_degraded{box="box-b",camera="street"}'):
            assert name in edge, name
        (artifacts / "edge-metrics.txt").write_text(edge)

        # ---- search: parsed filters as chips; the table visit is found
        visits = api.get("/incidents", params={"camera": "lobby", "type": "loitering"}).json()["data"]
        assert visits, "the 20 s lobby clip must give one loitering incident"
        driver.find_element(By.CSS_SELECTOR, '#tabs button[data-view="search"]').click()
        q = driver.find_element(By.ID, "search-q")
        q.send_keys("person standing at the table")
        driver.find_element(By.CSS_SELECTOR, "#search-form button").click()
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results tbody tr"), 120, "search results")
        chips = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#search-chips .chip")]
        assert any("person" in c for c in chips), chips
        ids = [r.get_attribute("data-id") for r in driver.find_elements(By.CSS_SELECTOR, "#search-results tbody tr")]
        assert visits[0]["id"] in ids[:3], (ids, visits[0]["id"])

        # ---- incident detail: evidence drawn on canvas, facts, caption; acknowledge it
        driver.find_element(By.CSS_SELECTOR, f'#search-results tr[data-id="{visits[0]["id"]}"]').click()
        _wait(driver, lambda d: d.execute_script(
            "const c=document.getElementById('evidence-canvas'); return c && c.width > 100"), 30, "evidence canvas")
        assert "loitering" in driver.find_element(By.ID, "detail-title").text
        assert "dwell" in driver.find_element(By.ID, "facts").text
        assert driver.find_element(By.ID, "caption").text
        _wait(driver, lambda d: "rev" in d.find_element(By.ID, "revisions").text, 10, "revisions")
        _shot(driver, artifacts, "console-search-detail")
        driver.find_element(By.ID, "ack").click()
        _wait(driver, lambda d: "Acknowledged by" in d.find_element(By.ID, "ack").text, 10, "acknowledged")
        assert api.get(f"/incidents/{visits[0]['id']}").json()["acked_by"] == "bootstrap-admin"
        driver.find_element(By.ID, "note-text").send_keys("checked on the wall screen")
        driver.find_element(By.ID, "note-add").click()
        _wait(driver, lambda d: "checked on the wall screen" in d.find_element(By.ID, "notes-list").text, 10, "note")

        # removing a chip re-runs the search without that filter
        driver.find_element(By.CSS_SELECTOR, '#search-chips .chip[data-field="classes"] button').click()
        _wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, '#search-chips .chip[data-field="classes"]'), 30,
              "chip removed")
        # a query that matches nothing says so
        q = driver.find_element(By.ID, "search-q")
        q.clear()
        q.send_keys("bus on the lobby camera")
        driver.find_element(By.CSS_SELECTOR, "#search-form button").click()
        _wait(driver, lambda d: "Nothing matches" in d.find_element(By.ID, "search-summary").text, 60, "no-match message")

        # ---- camera health
        driver.find_element(By.CSS_SELECTOR, '#tabs button[data-view="cameras"]').click()
        _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#cameras .cam")) == 2, 20, "camera cards")
        assert "ended" in driver.find_element(By.ID, "cameras").text.lower()
        time.sleep(1)
        _shot(driver, artifacts, "console-cameras")

        # ---- counts chart per direction, matching the API
        driver.find_element(By.CSS_SELECTOR, '#tabs button[data-view="counts"]').click()
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#counts-svg polyline"), 20, "counts chart")
        shown = {r.get_attribute("data-direction"): int(r.find_element(By.CSS_SELECTOR, ".total").text)
                 for r in driver.find_elements(By.CSS_SELECTOR, "#counts-table tbody tr")}
        want: dict[str, int] = {}
        for row in api.get("/counts", params={"kind": "line", "bucket": "hour"}).json()["data"]:
            want[row["direction"]] = want.get(row["direction"], 0) + row["count"]
        assert shown == want and sum(want.values()) >= 2, (shown, want)
        _shot(driver, artifacts, "console-counts")
        csv = api.get("/counts", params={"kind": "line", "format": "csv"})
        assert csv.headers["content-type"].startswith("text/csv") and "eastbound" in csv.text + "westbound"

        # ---- offline API docs render (no CDN reachable from the test: every asset is local)
        driver.get(base + "/docs")
        _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= 10, 30, "swagger operations")
        _shot(driver, artifacts, "docs-swagger")
        driver.get(base + "/redoc")
        _wait(driver, lambda d: "incidents" in d.find_element(By.TAG_NAME, "body").text.lower(), 30, "redoc content")
        _shot(driver, artifacts, "docs-redoc")

        # ---- a viewer sees the same page with operator actions disabled
        driver.get(base + "/")
        _wait(driver, lambda d: d.find_element(By.ID, "signout").is_displayed(), 15, "console")
        driver.find_element(By.ID, "signout").click()
        _wait(driver, lambda d: d.find_element(By.ID, "signin").is_displayed(), 15, "signed out")
        driver.find_element(By.ID, "key").send_keys(viewer)
        driver.find_element(By.ID, "signin-button").click()
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#feed tbody tr"), 20, "viewer feed")
        # the live feed may re-render between find and click: the wait retries on a stale row
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#feed tbody tr")[0].click() or True, 15, "open a row")
        _wait(driver, lambda d: d.find_elements(By.ID, "ack"), 15, "viewer detail")
        assert not driver.find_element(By.ID, "ack").is_enabled()
        assert not driver.find_element(By.ID, "note-add").is_enabled()
        _shot(driver, artifacts, "console-viewer")
    finally:
        driver.quit()
