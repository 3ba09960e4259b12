"""Alerts out, against real receivers: an HTTP server in the test (signature checked, failures retried,
nothing lost across an API restart) and a real mosquitto broker (``citylens/<camera>/incidents``)."""

from __future__ import annotations

import json
import queue
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from services.alerts import sign
from services.api import create_app
from services.auth import Role, create_key
from services.settings import Settings
from tests.factories import make_incident as incident

SECRET = "s3cret-for-tests-only"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def receiver(port: int = 0, fail_first: int = 0):
    """A real HTTP server; answers 500 to the first ``fail_first`` posts, then 204. Yields (url, received)."""
    received: list[dict] = []
    seen = [0]

    class H(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen[0] += 1
            if seen[0] <= fail_first:
                self.send_response(500)
                self.end_headers()
                return
            received.append({"headers": dict(self.headers), "body": body})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", port), H)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/hook", received
    finally:
        srv.shutdown()
        srv.server_close()


def hooks_env(url: str, **kw) -> str:
    return json.dumps([{"name": "ops", "url": url, "secret": SECRET, **kw}])


def wait_for(cond, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def test_an_opening_is_posted_signed_retried_after_failures_and_logged(store, tmp_path):
    _, admin = create_key(store, "admin", Role.ADMIN)
    with receiver(fail_first=2) as (url, got):
        settings = Settings(run_ingest=False, data_dir=tmp_path, webhooks=hooks_env(url, min_severity="warning"))
        with TestClient(create_app(settings, store=store), headers={"X-API-Key": admin}) as c:
            store.upsert_incident(incident(1, severity="critical"))
            store.upsert_incident(incident(1, seq=1, severity="critical", state="updated"))  # no second alert
            store.upsert_incident(incident(2, severity="info"))  # below min_severity
            assert wait_for(lambda: len(got) == 1)
            time.sleep(0.5)
            log = c.get("/alerts/deliveries").json()["data"]
    assert len(got) == 1
    h, body = got[0]["headers"], got[0]["body"]
    assert json.loads(body)["id"] == "inc-00001"
    assert h["X-Citylens-Signature"] == sign(SECRET, h["X-Citylens-Timestamp"], body)
    assert [(d["incident_id"], d["status"], d["attempts"]) for d in log] == [("inc-00001", "delivered", 1)]


def test_alerts_survive_an_api_restart_while_the_receiver_is_down(store, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    settings = Settings(run_ingest=False, data_dir=tmp_path, webhooks=hooks_env(url))
    with TestClient(create_app(settings, store=store)):
        store.upsert_incident(incident(1))  # the receiver is down: the send fails and stays pending
        assert wait_for(lambda: (lambda r: r and r[0].attempts >= 1)(__import__("services.alerts").alerts.deliveries(store)))
    # The API is gone; the receiver comes up; a new API on the same store delivers what was pending.
    from services.alerts import OutboxRow

    with store.session() as s:  # skip the persisted backoff wait
        for row in s.query(OutboxRow):
            row.next_at = row.created_at
    with receiver(port=port) as (_, got), TestClient(create_app(settings, store=store)):
        assert wait_for(lambda: len(got) == 1)
    assert json.loads(got[0]["body"])["id"] == "inc-00001"


@pytest.fixture
def mosquitto(tmp_path):
    """A real mosquitto broker on a free loopback port."""
    exe = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if shutil.os.path.exists("/usr/sbin/mosquitto") else None)
    assert exe, "mosquitto is required (apt-get install mosquitto; .ci/run installs it)"
    port = free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 10), "mosquitto did not start"
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def test_openings_are_published_to_the_camera_topic_on_a_real_broker(store, tmp_path, mosquitto):
    import paho.mqtt.client as mqtt

    got: queue.Queue = queue.Queue()
    sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="test-sub")
    sub.on_message = lambda c, u, m: got.put((m.topic, m.payload))
    subscribed = threading.Event()
    sub.on_subscribe = lambda *a: subscribed.set()
    sub.connect("127.0.0.1", mosquitto)
    sub.subscribe("citylens/+/incidents", qos=1)
    sub.loop_start()
    try:
        assert subscribed.wait(10)
        settings = Settings(run_ingest=False, data_dir=tmp_path, mqtt_url=f"mqtt://127.0.0.1:{mosquitto}")
        with TestClient(create_app(settings, store=store)):
            store.upsert_incident(incident(7, camera_id="gate-cam"))
            topic, payload = got.get(timeout=15)
    finally:
        sub.loop_stop()
        sub.disconnect()
    assert topic == "citylens/gate-cam/incidents" and json.loads(payload)["id"] == "inc-00007"
