"""Captions on real parts: the Captioner Ray actor loads a tiny random-weight SmolVLM-class model through the
real transformers path, batches concurrent incidents, falls back on timeout, and captions land in the store
as later revisions of incidents that were stored first.

The model has random weights (no VLM weights can be downloaded here), so the caption text is nonsense; the
tests assert flow, batching, timeout, fallback and storage.
"""

from __future__ import annotations

import cv2
import pytest
import ray

from edge_workers.actors import CaptionerActor
from pipeline.camera import CameraPipeline
from citylens.bench.random_vlm import save_random_smolvlm
from pipeline.config import CaptionerConfig
from pipeline.types import Frame, IncidentState
from tests.factories import T0, make_camera, make_detections

pytestmark = pytest.mark.slow  # real Ray, real transformers model

PEOPLE = "samples/people_indoor_one_by_one_intel.mp4"


@pytest.fixture(scope="module")
def tiny_vlm(tmp_path_factory):
    return save_random_smolvlm(tmp_path_factory.mktemp("tiny-smolvlm"), small=True)


@pytest.fixture(scope="module")
def ray_local():
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _opened_incidents(n_cameras: int) -> list[tuple[CameraPipeline, object]]:
    """One loitering incident per camera, raised by the real processor on real lobby frames."""
    cap = cv2.VideoCapture(PEOPLE)
    cap.set(cv2.CAP_PROP_POS_FRAMES, 120)
    ok, img = cap.read()
    cap.release()
    assert ok
    zone = {"name": "table", "polygon": [[0.48, 0.80], [0.72, 0.80], [0.72, 0.965], [0.48, 0.965]]}
    out = []
    for c in range(n_cameras):
        cam = make_camera(id=f"cam-{c}", zones=[zone],
                          rules=[{"type": "loitering", "zone": "table", "dwell_s": 1, "classes": ["person"]}])
        proc = CameraPipeline(cam, box="box-a")
        opened = []
        for i in range(30):
            frame = Frame(camera_id=cam.id, frame_id=i, ts=T0 + i / 10, image=img)
            res = proc.step(frame, make_detections([[420, 170, 500, 390]], class_name="person"))
            opened += res.needs_caption
        assert len(opened) == 1
        out.append((proc, opened[0]))
    return out


def test_captioner_actor_batches_concurrent_incidents_and_captions_reach_the_store(tiny_vlm, ray_local, store):
    cfg = CaptionerConfig(backend="vlm", model=str(tiny_vlm), max_batch=8, timeout_s=120, max_new_tokens=8)
    actor = ray.remote(CaptionerActor).remote(cfg, None, {})
    pairs = _opened_incidents(4)
    for _, ev in pairs:
        assert store.upsert_incident(ev)  # stored first, uncaptioned
    results = ray.get([actor.caption.remote(ev) for _, ev in pairs])
    stats = ray.get(actor.stats.remote())
    assert stats["captions"] == 4 and stats["batches"] < 4  # concurrent incidents shared generate calls
    for (proc, ev), cap in zip(pairs, results):
        text = cap.text
        assert cap.source == "vlm" and cap.model == str(tiny_vlm) and isinstance(text, str)
        rev = proc.add_caption(ev.id, cap)
        assert rev.seq == ev.seq + 1
        assert store.upsert_incident(rev)
        row = store.get_incident(ev.id)
        assert row.caption == text and row.caption_source == "vlm" and row.caption_model == str(tiny_vlm)
        assert row.snapshot_path  # the caption revision carries no bytes; the stored evidence stays


def test_captioner_actor_falls_back_to_the_template_when_the_vlm_times_out(tiny_vlm, ray_local):
    cfg = CaptionerConfig(backend="vlm", model=str(tiny_vlm), timeout_s=0.001, max_new_tokens=8)
    actor = ray.remote(CaptionerActor).remote(cfg, None, {"cam-0": "Lobby reading table"})
    (_, ev), = _opened_incidents(1)
    cap = ray.get(actor.caption.remote(ev))
    assert cap.source == "template"
    assert "Lobby reading table" in cap.text and "table" in cap.text


def test_captioner_actor_with_unloadable_weights_captions_from_the_template(ray_local, tmp_path):
    cfg = CaptionerConfig(backend="vlm", model=str(tmp_path / "no-such-model"))
    actor = ray.remote(CaptionerActor).remote(cfg, None, {})
    (_, ev), = _opened_incidents(1)
    cap = ray.get(actor.caption.remote(ev))
    assert cap.source == "template" and cap.text.endswith(".")
    assert ev.state == IncidentState.OPENED
