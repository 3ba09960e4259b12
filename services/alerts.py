"""Alerts out: webhooks (HMAC-signed JSON) and MQTT (``citylens/<camera>/incidents``) when an incident opens.

Every alert is first written to an outbox table in the same transaction as the incident, so nothing is lost
when the API stops between the commit and the delivery: the next start delivers what is still pending. A
dispatcher thread sends due rows; each send is retried a few times at once (tenacity, exponential backoff),
then the row is rescheduled with a growing persisted delay until ``max_attempts``. The rows are the delivery
log (``GET /alerts/deliveries``).

Webhook body: the IncidentPublic JSON. Headers: ``X-Citylens-Timestamp`` (unix seconds) and
``X-Citylens-Signature: sha256=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"`` with the hook's secret;
receivers recompute it and refuse stale timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from citylens.contracts import utcnow
from services.store import Base, IncidentRow, Store, UTCDateTime

log = logging.getLogger(__name__)
_SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


class WebhookConfig(BaseModel):
    """One receiver; ``types``/``min_severity`` choose which openings it gets."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    url: str = Field(description="http(s) URL receiving POSTed JSON")
    secret: SecretStr = Field(description="HMAC-SHA256 key; the receiver checks X-Citylens-Signature with it")
    types: list[str] | None = Field(None, description="incident types to send; None = all")
    min_severity: Literal["info", "warning", "critical"] = "info"
    timeout_s: float = Field(5.0, gt=0, le=60)

    def wants(self, row: IncidentRow) -> bool:
        return (self.types is None or row.type in self.types) and \
            _SEVERITY_RANK.get(row.severity, 0) >= _SEVERITY_RANK[self.min_severity]


class OutboxRow(Base):
    """One alert to deliver, and its delivery log."""

    __tablename__ = "alert_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))  # webhook | mqtt
    target: Mapped[str] = mapped_column(String(128))  # webhook name | MQTT topic
    incident_id: Mapped[str] = mapped_column(String(64), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class AlertRouter:
    """Turns committed incident openings into outbox rows (a store hook) and delivers them (a thread).

    Args:
        store: the center's store; the outbox table is created in it.
        webhooks: receivers; each gets the openings it ``wants``.
        mqtt_url: ``mqtt://host:port`` of a broker, or None; topics are ``<prefix>/<camera>/incidents``.
        max_attempts: give up (status ``failed``) after this many sends; raising it rides out longer outages.
        backoff_max_s: the persisted delay between sends doubles up to this.
    """

    def __init__(self, store: Store, *, webhooks: list[WebhookConfig] = (), mqtt_url: str | None = None,
                 mqtt_prefix: str = "citylens", max_attempts: int = 10, backoff_max_s: float = 300.0,
                 poll_s: float = 0.5) -> None:
        self.store = store
        self.webhooks = {w.name: w for w in webhooks}
        self.mqtt_url, self.mqtt_prefix = mqtt_url, mqtt_prefix
        self.max_attempts, self.backoff_max_s, self.poll_s = max_attempts, backoff_max_s, poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._mqtt = None  # the outbox table comes with the store's migrations (0004_alert_outbox)

    # --------------------------------------------------------------------------------------- enqueue
    def on_incident_changed(self, session: Session, row: IncidentRow, body: str) -> None:
        """Store hook: queue an alert per receiver when an incident *opens* (its first ingested revision)."""
        if row.state != "opened" or session.scalar(
                select(OutboxRow.id).where(OutboxRow.incident_id == row.id).limit(1)) is not None:
            return
        now = utcnow()
        for hook in self.webhooks.values():
            if hook.wants(row):
                session.add(OutboxRow(channel="webhook", target=hook.name, incident_id=row.id, body=body,
                                      status="pending", attempts=0, next_at=now, created_at=now))
        if self.mqtt_url:
            session.add(OutboxRow(channel="mqtt", target=f"{self.mqtt_prefix}/{row.camera_id}/incidents",
                                  incident_id=row.id, body=body, status="pending", attempts=0, next_at=now,
                                  created_at=now))
        self._wake.set()

    # -------------------------------------------------------------------------------------- delivery
    def start(self) -> "AlertRouter":
        self._thread = threading.Thread(target=self._run, name="citylens-alerts", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        if self._mqtt is not None:
            self._mqtt.loop_stop()
            self._mqtt.disconnect()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                while self.deliver_due() and not self._stop.is_set():
                    pass
            except Exception:  # noqa: BLE001 - the dispatcher must outlive a bad row or a store hiccup
                log.exception("alerts: dispatcher error")
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def deliver_due(self, limit: int = 50) -> int:
        """Send every due pending row once (with quick retries); returns how many were tried."""
        with self.store.session() as s:
            rows = list(s.scalars(select(OutboxRow).where(OutboxRow.status == "pending", OutboxRow.next_at <= utcnow())
                                  .order_by(OutboxRow.id).limit(limit)))
        for row in rows:
            error = None
            try:
                for attempt in Retrying(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.2, max=2),
                                        retry=retry_if_exception_type(Exception), reraise=True):
                    with attempt:
                        self._send(row)
            except Exception as e:  # noqa: BLE001 - recorded in the delivery log
                error = f"{type(e).__name__}: {e}"[:2000]
            self._record(row.id, error)
        return len(rows)

    def _record(self, row_id: int, error: str | None) -> None:
        with self.store.session() as s:
            row = s.get(OutboxRow, row_id)
            row.attempts += 1
            if error is None:
                row.status, row.delivered_at, row.last_error = "delivered", utcnow(), None
                return
            row.last_error = error
            if row.attempts >= self.max_attempts:
                row.status = "failed"
                log.error("alerts: giving up on %s %s for incident %s after %d sends: %s", row.channel, row.target,
                          row.incident_id, row.attempts, error)
            else:
                row.next_at = utcnow() + timedelta(seconds=min(self.backoff_max_s, 2.0 ** row.attempts))
                log.warning("alerts: %s %s failed (send %d), retrying later: %s", row.channel, row.target,
                            row.attempts, error)

    def _send(self, row: OutboxRow) -> None:
        if row.channel == "webhook":
            hook = self.webhooks.get(row.target)
            if hook is None:
                raise LookupError(f"webhook {row.target!r} is no longer configured")
            body = row.body.encode()
            ts = str(int(time.time()))
            r = httpx.post(hook.url, content=body, timeout=hook.timeout_s, headers={
                "Content-Type": "application/json", "User-Agent": "citylens-alerts",
                "X-Citylens-Timestamp": ts, "X-Citylens-Signature": sign(hook.secret.get_secret_value(), ts, body),
                "X-Citylens-Delivery": str(row.id)})
            r.raise_for_status()
        else:
            info = self._mqtt_client().publish(row.target, row.body, qos=1)
            info.wait_for_publish(timeout=10)
            if not info.is_published():
                raise TimeoutError(f"MQTT broker did not acknowledge {row.target} within 10 s")

    def _mqtt_client(self):
        if self._mqtt is None:
            import paho.mqtt.client as mqtt

            u = urlsplit(self.mqtt_url)
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"citylens-api-{id(self):x}")
            if u.username:
                client.username_pw_set(u.username, u.password)
            if u.scheme == "mqtts":
                client.tls_set()
            client.connect(u.hostname or "127.0.0.1", u.port or (8883 if u.scheme == "mqtts" else 1883), keepalive=30)
            client.loop_start()
            self._mqtt = client
        return self._mqtt


def deliveries(store: Store, *, status: str | None = None, limit: int = 100) -> list[OutboxRow]:
    stmt = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(OutboxRow.status == status)
    with store.session() as s:
        return list(s.scalars(stmt))


def parse_webhooks(raw: str | None) -> list[WebhookConfig]:
    """CITYLENS_WEBHOOKS: a JSON list of WebhookConfig objects."""
    return [WebhookConfig.model_validate(w) for w in json.loads(raw)] if raw else []


__all__ = ["AlertRouter", "OutboxRow", "WebhookConfig", "deliveries", "parse_webhooks", "sign"]
