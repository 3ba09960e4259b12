"""CameraProcessor: evidence on the opened revision, sequenced revisions, captions as later revisions."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.camera import CameraProcessor
from pipeline.types import Frame, IncidentState
from tests.factories import T0, make_camera, make_detections

ZONE = {"name": "table", "polygon": [[0.2, 0.2], [0.8, 0.2], [0.8, 0.9], [0.2, 0.9]]}


def _frame(i: int, ts: float) -> Frame:
    img = np.full((360, 640, 3), 90, np.uint8)
    cv2.rectangle(img, (300, 150), (340, 250), (0, 0, 200), -1)  # a red "person"
    return Frame(camera_id="cam-1", frame_id=i, ts=ts, image=img)


def _run(proc: CameraProcessor, seconds: float, fps: float = 10.0):
    events, captions = [], []
    for i in range(int(seconds * fps)):
        dets = make_detections([[300, 150, 340, 250]], class_name="person", confidence=0.9)
        out = proc.process(_frame(i, T0 + i / fps), dets)
        events += out.events
        captions += out.needs_caption
    return events, captions


def _processor():
    cam = make_camera(zones=[ZONE], rules=[{"type": "loitering", "zone": "table", "dwell_s": 2, "classes": ["person"]}])
    return CameraProcessor(cam, fps=10.0, box="box-a", models={"detector": "yolov8n.pt"})


def test_a_loiterer_opens_one_incident_with_snapshot_crop_and_colour():
    proc = _processor()
    events, captions = _run(proc, 5)
    opened = [e for e in events if getattr(e, "state", None) == IncidentState.OPENED]
    assert len(opened) == 1 and captions == opened
    ev = opened[0]
    assert ev.seq == 0 and ev.box == "box-a" and ev.models["detector"] == "yolov8n.pt"
    assert cv2.imdecode(np.frombuffer(ev.snapshot, np.uint8), cv2.IMREAD_COLOR).shape == (360, 640, 3)
    assert cv2.imdecode(np.frombuffer(ev.crop, np.uint8), cv2.IMREAD_COLOR) is not None
    assert ev.facts["colour"] == "red"
    assert ev.facts["time_of_day"] in ("day", "night")


def test_revisions_of_one_incident_have_increasing_seq_and_a_late_caption_is_the_next_one():
    proc = _processor()
    events, captions = _run(proc, 3)
    closing = proc.finish(T0 + 3).events
    incident_id = captions[0].id
    revs = [e for e in events + closing if getattr(e, "id", None) == incident_id]
    assert [e.seq for e in revs] == list(range(len(revs)))
    assert revs[-1].state == IncidentState.CLOSED
    cap = proc.add_caption(incident_id, "A person stands at the table.", "template", "template")
    assert cap.seq == revs[-1].seq + 1
    assert cap.state == IncidentState.CLOSED and cap.caption_source == "template"
    assert cap.snapshot is None  # caption revisions carry no evidence bytes; the store keeps the first ones


def test_a_caption_for_an_unknown_incident_is_ignored():
    assert _processor().add_caption("nope", "x", "template", "template") is None
