"""Motion rules: speeding on a known ground-plane homography, wrong-way travel, direction words."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.rules import RuleEngine
from pipeline.rules.geometry import direction_word
from pipeline.types import IncidentType
from tests.factories import Scene, box_at, make_camera, path

W, H = 640, 360
# A road seen in perspective: a trapezoid in the image is an 8 m x 30 m rectangle on the ground.
IMAGE_PTS = [(0.3, 0.4), (0.7, 0.4), (0.9, 0.9), (0.1, 0.9)]
WORLD_PTS = [(0.0, 0.0), (8.0, 0.0), (8.0, 30.0), (0.0, 30.0)]
CALIBRATION = {"image_points": IMAGE_PTS, "world_points": WORLD_PTS}


def world_to_image(points_m: np.ndarray) -> np.ndarray:
    src = np.asarray(WORLD_PTS, np.float32)
    dst = (np.asarray(IMAGE_PTS) * [W, H]).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.perspectiveTransform(points_m.reshape(-1, 1, 2).astype(np.float64), m).reshape(-1, 2)


def drive(kmh: float, fps: float = 10.0, towards_camera: bool = True) -> list[np.ndarray]:
    """Boxes of a car driving down the middle lane at ``kmh`` from 1 m to 29 m along the road."""
    v = kmh / 3.6
    t = np.arange(0.0, 28.0 / v, 1.0 / fps)
    y = 1.0 + v * t if towards_camera else 29.0 - v * t
    anchors = world_to_image(np.stack([np.full_like(y, 4.0), y], axis=1))
    return [box_at(a, (60, 40)) for a in anchors]


def speeding_engine(limit: float = 50.0) -> RuleEngine:
    cam = make_camera(calibration=CALIBRATION, rules=[{"type": "speeding", "limit_kmh": limit, "window_s": 1.0}])
    return RuleEngine(cam, (W, H))


@pytest.mark.parametrize("kmh", [60.0, 90.0, 120.0])
def test_speeding_reports_ground_speed_within_five_percent(kmh):
    got = Scene().add(1, "car", drive(kmh)).run(speeding_engine(), flush=True)
    assert got.states() == ["opened", "closed"]
    opened = got.incidents[0]
    assert opened.type == IncidentType.SPEEDING
    assert opened.facts.speed_kmh == pytest.approx(kmh, rel=0.05)
    assert opened.facts.limit_kmh == 50.0
    assert got.incidents[-1].facts.max_speed_kmh == pytest.approx(kmh, rel=0.05)


@pytest.mark.parametrize("kmh", [20.0, 45.0])
def test_driving_below_the_limit_is_not_speeding(kmh):
    assert Scene().add(1, "car", drive(kmh)).run(speeding_engine(), flush=True).incidents == []


def test_speeding_is_judged_in_both_directions_of_travel():
    got = Scene().add(1, "car", drive(80.0, towards_camera=False)).run(speeding_engine(), flush=True)
    assert got.opened()[0].facts.speed_kmh == pytest.approx(80.0, rel=0.05)


def test_speed_is_robust_to_box_jitter():
    rng = np.random.default_rng(0)
    boxes = [b + rng.uniform(-1.5, 1.5, 4) for b in drive(70.0)]
    got = Scene().add(1, "car", boxes).run(speeding_engine(), flush=True)
    speeds = [e.facts.speed_kmh for e in got.incidents]
    assert speeds and all(s == pytest.approx(70.0, rel=0.1) for s in speeds)


ROAD = {"name": "road", "polygon": [(0, 0.3), (1, 0.3), (1, 1), (0, 1)], "allowed_direction": (1.0, 0.0)}


@pytest.mark.parametrize(
    "start,end,expected,direction",
    [
        ((50, 250), (550, 250), [], None),  # with the traffic
        ((550, 250), (50, 250), ["opened", "closed"], "left"),  # against it
        ((300, 140), (300, 340), [], None),  # crossing the road at 90 degrees (< max_angle 100)
        ((550, 330), (50, 130), ["opened", "closed"], "left"),  # against it, diagonally
        ((320, 250), (310, 250), [], None),  # jitter-sized motion is never judged
    ],
)
def test_wrong_way_is_travel_against_the_zone_direction(start, end, expected, direction):
    cam = make_camera(zones=[ROAD], rules=[{"type": "wrong_way", "zone": "road"}])
    got = Scene().add(1, "car", path(start, end, 50, size=(60, 40))).run(RuleEngine(cam, (W, H)), flush=True)
    assert got.states() == expected
    if expected:
        assert got.incidents[0].facts.direction == direction
        assert got.incidents[0].type == IncidentType.WRONG_WAY


def test_wrong_way_ignores_travel_outside_its_zone():
    cam = make_camera(zones=[ROAD], rules=[{"type": "wrong_way", "zone": "road"}])
    got = Scene().add(1, "car", path((550, 80), (50, 80), 50, size=(60, 40))).run(RuleEngine(cam, (W, H)), flush=True)
    assert got.incidents == []


@pytest.mark.parametrize(
    "dx,dy,word",
    [(1, 0, "right"), (-1, 0, "left"), (0, -1, "up/away"), (0, 1, "down/toward"), (1, -0.5, "right"),
     (-0.2, 1, "down/toward")],
)
def test_direction_words_use_image_axes(dx, dy, word):
    assert direction_word(dx, dy) == word
