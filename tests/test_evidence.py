"""Evidence: keyframe and crop decode, the object is boxed, and privacy blur happens before bytes leave."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.evidence import EvidenceBuilder, decode_jpeg
from pipeline.types import Frame, IncidentEvent, IncidentState, IncidentType
from tests.factories import T0, make_detections

PEOPLE = "samples/people_indoor_one_by_one_intel.mp4"


def _incident(track_ids=(7,), bbox=None) -> IncidentEvent:
    from pipeline.types import ts_to_dt

    return IncidentEvent(id="0190-test", state=IncidentState.OPENED, type=IncidentType.LOITERING,
                         camera_id="lobby", rule="loitering:table", zone="table", track_ids=list(track_ids),
                         started_at=ts_to_dt(T0), updated_at=ts_to_dt(T0), bbox=bbox, facts={"dwell_s": 6.0})


def _textured_frame() -> Frame:
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)
    return Frame(camera_id="lobby", frame_id=1, ts=T0, image=img)


def test_snapshot_and_crop_decode_and_carry_colour_and_time_of_day():
    frame = _textured_frame()
    frame.image[100:300, 200:280] = (40, 40, 220)  # red person-sized block
    tracks = make_detections([[200, 100, 280, 300]], tracker_id=7, class_name="person")
    ev = EvidenceBuilder().attach(_incident(), frame, tracks)
    assert decode_jpeg(ev.snapshot).shape == (360, 640, 3)
    assert decode_jpeg(ev.crop).shape[:2] == (200, 80)
    assert ev.facts.colour == "red"
    assert ev.facts.dwell_s == 6.0
    assert ev.facts.time_of_day in ("day", "night")


def test_input_incident_is_not_mutated():
    inc = _incident()
    EvidenceBuilder().attach(inc, _textured_frame(), make_detections([[10, 10, 50, 90]], tracker_id=7))
    assert inc.snapshot is None and inc.facts.colour is None


def test_bbox_is_used_when_the_track_is_gone():
    ev = EvidenceBuilder().attach(_incident(track_ids=(99,), bbox=[0.1, 0.1, 0.3, 0.5]), _textured_frame(),
                                  make_detections([[10, 10, 50, 90]], tracker_id=7))
    assert decode_jpeg(ev.crop).shape[:2] == (144, 128)


def _sharpness(img: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())


@pytest.mark.parametrize("blur, head_blurred, body_blurred", [
    ((), False, False),
    (("faces",), True, False),
    (("persons",), True, True),
])
def test_privacy_blur_is_applied_before_the_evidence_leaves_the_box(blur, head_blurred, body_blurred):
    frame = _textured_frame()
    tracks = make_detections([[200, 40, 320, 340]], tracker_id=7, class_name="person")
    ev = EvidenceBuilder(blur=blur, jpeg_quality=95).attach(_incident(), frame, tracks)
    snap = decode_jpeg(ev.snapshot)
    head, body = (slice(50, 100), slice(210, 310)), (slice(250, 330), slice(210, 310))
    sharp_head, sharp_body = _sharpness(frame.image[head]), _sharpness(frame.image[body])
    assert (_sharpness(snap[head]) < 0.2 * sharp_head) == head_blurred
    assert (_sharpness(snap[body]) < 0.2 * sharp_body) == body_blurred
    crop = decode_jpeg(ev.crop)
    assert (_sharpness(crop[10:60, 10:110]) < 0.2 * sharp_head) == head_blurred


def test_a_real_frame_from_the_lobby_gives_a_decodable_keyframe():
    cap = cv2.VideoCapture(PEOPLE)
    cap.set(cv2.CAP_PROP_POS_FRAMES, 120)
    ok, img = cap.read()
    cap.release()
    assert ok
    frame = Frame(camera_id="lobby", frame_id=120, ts=T0, image=img)
    ev = EvidenceBuilder().attach(_incident(bbox=[0.5, 0.3, 0.7, 0.95]), frame, make_detections([], tracker_id=[]))
    assert decode_jpeg(ev.snapshot).shape == img.shape
    assert ev.facts.time_of_day == "day"


def test_given_blur_boxes_are_blurred_on_snapshot_and_crop():
    frame = _textured_frame()
    tracks = make_detections([[200, 40, 320, 340]], tracker_id=7, class_name="car")
    plate = np.array([[230, 280, 290, 310]], np.float32)
    ev = EvidenceBuilder(jpeg_quality=95).attach(_incident(), frame, tracks, blur_boxes=plate)
    snap = decode_jpeg(ev.snapshot)
    inside, outside = (slice(283, 307), slice(233, 287)), (slice(60, 200), slice(210, 310))
    assert _sharpness(snap[inside]) < 0.2 * _sharpness(frame.image[inside])
    assert _sharpness(snap[outside]) > 0.5 * _sharpness(frame.image[outside])


@pytest.mark.slow
def test_camera_that_blurs_plates_runs_the_plate_detector_on_evidence_frames_only(monkeypatch):
    """Stand-in, named as such: no licence-plate weights can be had here, so the real yolov8n plays the plate
    detector with 'car' as its plate class; what is tested is the wiring, not plate accuracy."""
    from pipeline.camera import CameraDeps, CameraPipeline
    from pipeline.config import DetectorConfig
    from pipeline.detect import build_detector
    from tests.factories import make_camera

    stand_in = build_detector(DetectorConfig(model="yolov8n.pt", classes=["car"]))
    calls = []

    def plate_detect(frame):
        calls.append(frame.frame_id)
        return stand_in.detect([frame])[0]

    cap = cv2.VideoCapture("samples/traffic_residential_street_cvTrafficCam.mp4")
    ok, img = cap.read()
    cap.release()
    assert ok
    found = plate_detect(Frame(camera_id="street", frame_id=-1, ts=T0, image=img))
    assert len(found) >= 3  # parked cars in the first frame
    calls.clear()
    cam = make_camera(id="street", privacy_blur=["plates"],
                      zones=[{"name": "all", "polygon": [[0, 0], [1, 0], [1, 1], [0, 1]]}],
                      rules=[{"type": "loitering", "zone": "all", "dwell_s": 1, "classes": ["person"]}])
    proc = CameraPipeline(cam, CameraDeps(plate_detect=plate_detect))
    opened = []
    for i in range(25):
        out = proc.step(Frame(camera_id="street", frame_id=i, ts=T0 + i / 10, image=img),
                           make_detections([[10, 10, 40, 90]], class_name="person"))
        opened += out.needs_caption
    assert len(opened) == 1 and len(calls) == 1  # once, on the evidence frame
    snap = decode_jpeg(opened[0].snapshot)
    x1, y1, x2, y2 = found.xyxy[np.argmax((found.xyxy[:, 2] - found.xyxy[:, 0]))].astype(int)
    region = (slice(y1 + 2, y2 - 2), slice(x1 + 2, x2 - 2))
    assert _sharpness(snap[region]) < 0.3 * _sharpness(img[region])


def test_plates_blur_without_a_plate_detector_is_refused():
    from pipeline.camera import CameraPipeline
    from tests.factories import make_camera

    with pytest.raises(ValueError, match="plate detector"):
        CameraPipeline(make_camera(privacy_blur=["plates"]))


def test_the_zone_that_fired_and_a_timestamp_are_drawn_on_the_keyframe():
    frame = Frame(camera_id="lobby", frame_id=1, ts=T0, image=np.full((360, 640, 3), 90, np.uint8))
    tracks = make_detections([[300, 150, 340, 250]], tracker_id=7, class_name="person")
    zone = [(0.05, 0.5), (0.3, 0.5), (0.3, 0.8), (0.05, 0.8)]  # left, away from the box; 'table' fired
    plain = decode_jpeg(EvidenceBuilder().attach(_incident(), frame, tracks).snapshot).astype(int)
    drawn = decode_jpeg(EvidenceBuilder(zones={"table": zone}).attach(_incident(), frame, tracks).snapshot).astype(int)
    edge = np.abs(drawn[180:181, 40:180] - plain[180:181, 40:180]).sum(axis=2)  # the zone's top edge, y=0.5
    inside = np.abs(drawn[230:270, 60:170] - plain[230:270, 60:170]).mean()
    assert edge.mean() > 60 and inside > 5  # outline and a translucent fill
    stamp = np.abs(plain[340:356, 8:200] - 90).mean()  # the timestamp at the bottom left, on both
    assert stamp > 10
