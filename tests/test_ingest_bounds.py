"""Issue 11 item 6: every field of a stream entry is bounded at ingest; what is over (or not a JPEG) becomes a
dead letter with a reason and is kept whole; evidence is served with nosniff and Cache-Control."""

from __future__ import annotations

import base64
import json

import cv2
import httpx
import numpy as np
import pytest
import redis
from sqlalchemy import select

from citylens.contracts import STREAM_INCIDENTS
from edge_workers.bus import Publisher
from services.api import create_app
from services.auth import Role, create_key
from services.ingest import Ingestor
from services.settings import Settings
from services.store import DeadLetterRow
from tests.factories import make_incident
from tests.http_helpers import serve_in_thread


def real_jpeg(w: int = 32, h: int = 24) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.full((h, w, 3), 127, np.uint8))
    assert ok
    return buf.tobytes()


def raw_incident(i: int, **over) -> dict:
    """The wire form of a valid incident with fields overridden *after* validation, as a hostile writer would."""
    ev = make_incident(i)
    body = json.loads(ev.model_dump_json())
    evidence = {k: over.pop(k) for k in ("snapshot", "crop") if k in over}
    body.update(over)
    return {"kind": "incident", "v": "1", "json": json.dumps(body), **evidence}


@pytest.fixture
def ingest(redis_server, store):
    ing = Ingestor(redis_server.url, store, consumer_name="bounds", claim_idle_ms=60_000, batch=16, block_ms=50)
    ing.ensure_groups()
    yield ing
    ing.close()


def drain(ing: Ingestor) -> None:
    for _ in range(100):
        if ing.run_once() == 0:
            return


def dead_letters(store) -> dict[str, DeadLetterRow]:
    with store.session() as s:
        return {json.loads(d.fields["json"])["id"] if "json" in d.fields else d.entry_id: d
                for d in s.scalars(select(DeadLetterRow))}


def test_oversized_and_malformed_fields_are_dead_lettered_whole_with_a_reason(redis_server, store, ingest):
    r = redis.Redis.from_url(redis_server.url)
    huge_caption = "c" * (5 << 20)
    entries = {
        "ok-1": raw_incident(1, id="ok-1", snapshot=real_jpeg()),
        "big-caption": raw_incident(2, id="big-caption", caption=huge_caption),
        "big-facts": raw_incident(3, id="big-facts", facts={"k": "v" * 100_000}),
        "a/b": raw_incident(4, id="a/b"),
        "x" * 65: raw_incident(5, id="x" * 65),
        "..": raw_incident(6, id=".."),
        "cam-slash": raw_incident(7, id="cam-slash", camera_id="../../etc"),
        "html": raw_incident(8, id="html", snapshot=b"<html><script>alert(1)</script></html>"),
        "fake-jpeg": raw_incident(9, id="fake-jpeg", snapshot=b"\xff\xd8\xff\xe0not really a jpeg\xff\xd9"),
        "truncated": raw_incident(10, id="truncated", crop=real_jpeg()[:-40]),
        "big-jpeg": raw_incident(11, id="big-jpeg", snapshot=real_jpeg()[:-2] + b"\x00" * (3 << 20) + b"\xff\xd9"),
        "big-rule": raw_incident(12, id="big-rule", rule="r" * 10_000),
        "ok-2": raw_incident(13, id="ok-2", caption="a person by the gate", crop=real_jpeg(16, 16)),
    }
    for fields in entries.values():
        r.xadd(STREAM_INCIDENTS, fields)
    drain(ingest)
    assert store.get_incident("ok-1").snapshot_path and store.get_incident("ok-2").crop_path
    dead = dead_letters(store)
    assert sorted(dead) == sorted(k for k in entries if not k.startswith("ok-"))
    reasons = {k: d.error for k, d in dead.items()}
    assert "caption" in reasons["big-caption"] and "facts" in reasons["big-facts"]
    assert all("id" in reasons[k] for k in ("a/b", "x" * 65, ".."))
    assert "camera_id" in reasons["cam-slash"] and "rule" in reasons["big-rule"]
    assert all("JPEG" in reasons[k] for k in ("html", "fake-jpeg", "truncated", "big-jpeg")), reasons
    # Nothing lost: the dead letter keeps the whole entry, binary fields base64-encoded.
    kept = dead["big-caption"].fields
    assert json.loads(kept["json"])["caption"] == huge_caption
    assert base64.b64decode(dead["html"].fields["snapshot.b64"]) == entries["html"]["snapshot"]
    assert ingest.pending() == 0 and ingest.stats()["dead_letters"] == len(dead)
    r.close()


def test_an_id_accepted_at_ingest_is_one_its_evidence_url_serves(redis_server, store, ingest, tmp_path):
    pub = Publisher(redis_server.url, maxlen=1000, spool_dir=tmp_path / "spool", spool_max_bytes=1 << 20, source="b")
    longest = "i" * 64
    pub.publish(make_incident(1, id=longest, camera_id="c" * 64, snapshot=real_jpeg()))
    pub.close()
    drain(ingest)
    _, key = create_key(store, "viewer", Role.VIEWER)
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path), store=store)
    with serve_in_thread(app) as base:
        r = httpx.get(f"{base}/incidents/{longest}/snapshot.jpg", headers={"X-API-Key": key}, timeout=10)
        assert r.status_code == 200 and r.content.startswith(b"\xff\xd8")
        assert r.headers["content-type"] == "image/jpeg"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "private" in r.headers["cache-control"] and "max-age" in r.headers["cache-control"]
        for bad in ("i" * 65, ".hidden", "a%2Fb"):
            r = httpx.get(f"{base}/incidents/{bad}/snapshot.jpg", headers={"X-API-Key": key}, timeout=10)
            assert r.status_code in (404, 422) and "detail" in r.json(), (bad, r.status_code)
        assert httpx.get(f"{base}/incidents/{'i' * 65}", headers={"X-API-Key": key}, timeout=10).status_code == 422


def test_the_edge_cannot_build_an_event_over_the_bounds():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="caption"):
        make_incident(1, caption="c" * 5000)
    with pytest.raises(ValidationError, match="id"):
        make_incident(1, id="a/b")


def test_revisions_cannot_move_an_incident_to_another_camera_or_type_nor_jump_seq(redis_server, store, ingest):
    r = redis.Redis.from_url(redis_server.url)
    r.xadd(STREAM_INCIDENTS, raw_incident(1, id="inc-a", seq=0))
    for name, over in (("camera", {"camera_id": "cam-9"}), ("type", {"type": "loitering"}),
                       ("freeze", {"seq": 2**63 - 1}), ("jump", {"seq": 5_000_000})):
        r.xadd(STREAM_INCIDENTS, raw_incident(1, id="inc-a", caption=name, **{"seq": 1, **over}))
    r.xadd(STREAM_INCIDENTS, raw_incident(2, id="inc-b", seq=2**62))  # a new incident cannot start frozen either
    r.xadd(STREAM_INCIDENTS, raw_incident(1, id="inc-a", seq=3, state="updated", caption="legit"))
    drain(ingest)
    row = store.get_incident("inc-a")
    assert (row.seq, row.camera_id, row.type, row.caption) == (3, "cam-1", "intrusion", "legit")
    assert store.get_incident("inc-b") is None
    with store.session() as s:
        errors = sorted(d.error for d in s.scalars(select(DeadLetterRow)))
    assert len(errors) == 5, errors
    assert sum("camera" in e for e in errors) >= 1 and sum("type" in e for e in errors) >= 1
    assert sum("seq" in e for e in errors) == 3
    r.close()


def test_an_edge_box_acl_user_can_only_append_to_the_data_streams(redis_server, store, ingest, tmp_path):
    from urllib.parse import urlsplit

    admin = redis.Redis.from_url(redis_server.url)
    # What docs/security.md tells operators to run for each edge box (real Redis ACL, no mock):
    admin.execute_command("ACL", "SETUSER", "box-1", "on", ">box-1-secret-0123456789", "resetkeys",
                          "~citylens:incidents", "~citylens:counts", "~citylens:health", "resetchannels",
                          "-@all", "+xadd", "+ping")
    port = urlsplit(redis_server.url).port
    box_url = f"redis://box-1:box-1-secret-0123456789@127.0.0.1:{port}/0"
    pub = Publisher(box_url, maxlen=1000, spool_dir=tmp_path / "spool", spool_max_bytes=1 << 20, source="box-1")
    pub.publish(make_incident(1, snapshot=real_jpeg()))
    assert pub.stats()["published"] == 1 and pub.stats()["spooled"] == 0
    pub.close()
    drain(ingest)
    assert store.get_incident("inc-00001") is not None
    box = redis.Redis.from_url(box_url)
    refused = [
        ("XRANGE", STREAM_INCIDENTS, "-", "+"),  # reading evidence of other boxes
        ("XREADGROUP", "GROUP", "citylens-center", "x", "STREAMS", STREAM_INCIDENTS, ">"),
        ("XTRIM", STREAM_INCIDENTS, "MAXLEN", "0"),
        ("DEL", STREAM_INCIDENTS),
        ("XACK", STREAM_INCIDENTS, "citylens-center", "0-1"),
        ("XGROUP", "DESTROY", STREAM_INCIDENTS, "citylens-center"),
        ("XADD", "citylens:control", "*", "k", "v"),
        ("XADD", "elsewhere", "*", "k", "v"),
        ("FLUSHALL",),
        ("CONFIG", "SET", "appendonly", "no"),
    ]
    for cmd in refused:
        with pytest.raises(redis.exceptions.NoPermissionError):
            box.execute_command(*cmd)
    box.close()
    admin.close()


def test_with_box_keys_only_entries_signed_by_the_cameras_own_box_are_stored(redis_server, store, tmp_path):
    from citylens.contracts.streams import SIG_FIELD, SOURCE_FIELD

    keys = {"box-1": b"k1-0123456789abcdef0123456789abcdef", "box-2": b"k2-0123456789abcdef0123456789abcdef"}
    ing = Ingestor(redis_server.url, store, consumer_name="signed", batch=16, block_ms=50, box_keys=keys,
                   camera_boxes={"cam-1": "box-1", "cam-2": "box-2"})
    ing.ensure_groups()

    def publisher(source: str, key: bytes | None) -> Publisher:
        return Publisher(redis_server.url, maxlen=1000, spool_dir=tmp_path / source.replace("/", "_"),
                         spool_max_bytes=1 << 20, source=source, signing_key=key)

    with_key = publisher("box-1/cam-1", keys["box-1"])
    with_key.publish(make_incident(1, box="box-1", snapshot=real_jpeg()))  # signed by its own box: stored
    publisher("box-1/cam-1", None).publish(make_incident(2, box="box-1"))  # unsigned
    publisher("box-1/cam-1", keys["box-2"]).publish(make_incident(3, box="box-1"))  # someone else's key
    with_key.publish(make_incident(4, box="box-2"))  # box-1 speaking for box-2
    publisher("box-1/cam-2", keys["box-1"]).publish(make_incident(5, box="box-1", camera_id="cam-2"))  # not its camera
    r = redis.Redis.from_url(redis_server.url)
    (_, fields), = r.xrange(STREAM_INCIDENTS, count=1)
    body = json.loads(fields[b"json"])
    body.update(id="inc-00006", caption="tampered")
    r.xadd(STREAM_INCIDENTS, {**fields, b"json": json.dumps(body)})  # signature no longer matches
    with_key.close()
    drain(ing)
    assert store.get_incident("inc-00001") is not None
    assert all(store.get_incident(f"inc-{i:05d}") is None for i in range(2, 7))
    with store.session() as s:
        errors = [d.error for d in s.scalars(select(DeadLetterRow).order_by(DeadLetterRow.id))]
    assert len(errors) == 5 and all("UntrustedEntry" in e for e in errors), errors
    assert SIG_FIELD and SOURCE_FIELD
    ing.close()
    r.close()


def test_citylens_edge_keys_reach_the_ingestor_and_a_bad_value_fails_at_startup(monkeypatch):
    from services.api.app import ingest_trust, resolve_runtime

    monkeypatch.setenv("CITYLENS_EDGE_KEYS", json.dumps({"box-1": "k" * 32}))
    settings = Settings(config="configs/demo.yaml")
    trust = ingest_trust(settings, resolve_runtime(settings))
    assert trust["box_keys"] == {"box-1": b"k" * 32}
    assert trust["camera_boxes"] and set(trust["camera_boxes"].values()) <= {c.box for c in resolve_runtime(settings).config.cameras}
    monkeypatch.setenv("CITYLENS_EDGE_KEYS", json.dumps({"box-1": "short"}))
    with pytest.raises(ValueError, match="edge_keys"):
        Settings()
    monkeypatch.delenv("CITYLENS_EDGE_KEYS")
    assert ingest_trust(Settings(), resolve_runtime(Settings())) == {}
