"""Motion gate: still scenes skip the detector, motion in the region or on a track does not, rechecks happen."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import CameraConfig, MotionConfig
from pipeline.motion import GateReason, MotionGate, percentile_u8

W, H = 320, 180


def camera(**extra) -> CameraConfig:
    return CameraConfig.model_validate({"id": "c", "box": "b", "source": {"url": "x.mp4"}, **extra})


def scene(square_at: tuple[int, int] | None = None, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.full((H, W, 3), 90, np.uint8)
    img += rng.integers(0, 3, img.shape, dtype=np.uint8)  # sensor noise well under the threshold
    if square_at is not None:
        x, y = square_at
        img[y : y + 20, x : x + 20] = 240
    return img


def run(gate: MotionGate, images: list[np.ndarray], fps: float = 10.0) -> list:
    return [gate.decide(img, i / fps) for i, img in enumerate(images)]


def test_still_scene_is_skipped_except_for_the_slow_recheck() -> None:
    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=1.0), (W, H))
    decisions = run(gate, [scene(seed=i) for i in range(31)])
    assert decisions[0].reason is GateReason.WARMUP
    analysed = [i for i, d in enumerate(decisions) if d.analyse]
    assert analysed == [0, 10, 20, 30]  # once a second at 10 fps
    assert all(d.reason is GateReason.RECHECK for d in decisions[1:] if d.analyse)
    assert gate.skipped == 27


@pytest.mark.parametrize("dark", [0.0, 0.8])
def test_a_person_moving_in_a_dark_picture_is_motion_as_by_day(dark) -> None:
    """A person (a 40 px square, 200 on a 90 background) walks by day, and in the same scene at 20 % light
    (the picture's brightest 1 % is then 40): 22 grey levels, under the 25-level threshold, but as large a
    change relative to the picture as by day, so the gate does not skip the frames a night person is on."""
    def frame(x: int) -> np.ndarray:
        img = scene()
        img[60:100, x:x + 40] = 200
        return (img * (1.0 - dark)).round().astype(np.uint8)
    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=10), (W, H))
    decisions = run(gate, [frame(20)] + [frame(20 + 12 * i) for i in range(1, 6)])
    assert all(d.analyse and d.reason is GateReason.MOTION for d in decisions[1:])


def test_motion_anywhere_is_analysed_when_the_camera_has_no_region() -> None:
    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=10), (W, H))
    images = [scene()] + [scene((10 + 8 * i, 20)) for i in range(10)]
    decisions = run(gate, images)
    assert all(d.analyse and d.reason is GateReason.MOTION for d in decisions[1:])


def test_motion_outside_the_lines_and_zones_is_skipped_and_inside_is_analysed() -> None:
    cam = camera(lines=[{"name": "l", "start": [0.8, 0.0], "end": [0.8, 1.0]}])
    gate = MotionGate(cam, MotionConfig(enabled=True, recheck_s=10, region_margin=0.05), (W, H))
    far = [scene((10 + 4 * i, 80)) for i in range(10)]  # x 10..66, line at x 256 (margin 16 px)
    near = [scene((200 + 4 * i, 80)) for i in range(10)]  # reaches the widened line
    decisions = run(gate, [scene()] + far + near)
    assert not any(d.analyse for d in decisions[1:11])
    assert decisions[-1].analyse and decisions[-1].reason is GateReason.MOTION


def test_motion_on_a_tracked_object_is_analysed_even_outside_the_region() -> None:
    cam = camera(lines=[{"name": "l", "start": [0.9, 0.0], "end": [0.9, 1.0]}])
    gate = MotionGate(cam, MotionConfig(enabled=True, recheck_s=10, region_margin=0.02), (W, H))
    run(gate, [scene((40, 80))] * 3)
    gate.observe(np.array([[40, 80, 60, 100]], np.float32))
    d = gate.decide(scene((46, 80)), 1.0)
    assert d.analyse and d.reason is GateReason.MOTION


def test_a_sudden_change_of_the_whole_frame_is_analysed_and_relearned() -> None:
    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=10), (W, H))
    run(gate, [scene()] * 3)
    bright = np.full((H, W, 3), 200, np.uint8)
    assert gate.decide(bright, 1.0).reason is GateReason.SCENE_CHANGE
    assert gate.decide(bright, 1.1).reason is GateReason.WARMUP  # background rebuilt from the new scene
    assert not gate.decide(bright, 1.2).analyse


# ---------------------------------------------------------------------------------- stationary tracks
BOX = np.array([[100, 60, 120, 80]], np.float32)  # the tracked square of scene((100, 60))


def fidget(i: int, square_at: tuple[int, int] = (100, 60), other: tuple[int, int] | None = None) -> np.ndarray:
    """The square with a small patch of its middle flickering (a reader turning pages): motion inside its box
    only, on well under half of it (on the 100 px motion frame, blurred and dilated, a third of the box)."""
    img = scene(square_at)
    x, y = square_at
    img[y + 7 : y + 13, x + 7 : x + 13] = 150 if i % 2 else 40
    if other is not None:
        img[other[1] : other[1] + 20, other[0] : other[0] + 20] = 200
    return img


def stationary_gate(iou: float = 0.85) -> MotionGate:
    """A gate that has seen the square's track on two analysed frames where it stood: it is stationary."""
    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=1.0, stationary_iou=iou), (W, H))
    assert gate.decide(scene((100, 60)), 0.0).reason is GateReason.WARMUP
    gate.observe(BOX)  # first sighting: its anchor
    assert gate.decide(fidget(1), 0.1).analyse
    gate.observe(BOX)  # the same place again: stationary
    return gate


def test_motion_inside_a_stationary_track_is_still_and_rechecked_at_the_slow_cadence() -> None:
    gate = stationary_gate()
    assert gate.stationary == 1
    decisions = [gate.decide(fidget(i), 0.1 + i / 10) for i in range(2, 12)]
    assert [d.reason for d in decisions[:8]] == [GateReason.STILL] * 8
    assert decisions[8].reason is GateReason.RECHECK  # 1 s after the last analysed frame
    # off (0): the same fidgeting is motion on a tracked object on every frame
    gate = stationary_gate(iou=0.0)
    assert all(gate.decide(fidget(i), 0.1 + i / 10).reason is GateReason.MOTION for i in range(2, 12))


def test_a_stationary_track_that_starts_to_move_is_analysed() -> None:
    gate = stationary_gate()
    assert gate.decide(fidget(2), 0.2).reason is GateReason.STILL
    d = gate.decide(fidget(3, square_at=(108, 60)), 0.3)  # 8 px to the right: motion beyond its padded box
    assert d.analyse and d.reason is GateReason.MOTION


def test_a_new_object_entering_beside_a_stationary_track_is_analysed() -> None:
    gate = stationary_gate()
    assert gate.decide(fidget(2), 0.2).reason is GateReason.STILL
    d = gate.decide(fidget(3, other=(200, 100)), 0.3)
    assert d.analyse and d.reason is GateReason.MOTION


def test_motion_where_a_moving_track_overlaps_a_stationary_one_is_analysed() -> None:
    """A car driving past parked cars moves mostly over their boxes: its own box is always watched."""
    gate = stationary_gate()
    gate.observe(np.vstack([BOX, [[108, 55, 150, 85]]]).astype(np.float32))  # the parked one, and a car passing
    assert gate.stationary == 1
    d = gate.decide(fidget(2), 0.2)
    assert d.analyse and d.reason is GateReason.MOTION


def test_motion_of_a_stationary_track_near_a_line_is_analysed() -> None:
    """A parked car that creeps or pulls out across a counting line must be tracked on every frame: in the band
    around a line (widened like the region) a stationary track's motion still counts; far from it, it does not."""
    def gate_with_line(x: float) -> MotionGate:
        cam = camera(lines=[{"name": "l", "start": [x, 0.0], "end": [x, 1.0]}])
        gate = MotionGate(cam, MotionConfig(enabled=True, recheck_s=1.0, stationary_iou=0.85), (W, H))
        gate.decide(scene((100, 60)), 0.0)
        gate.observe(BOX)
        gate.observe(BOX)
        assert gate.stationary == 1
        return gate

    assert gate_with_line(110 / W).decide(fidget(2), 0.2).reason is GateReason.MOTION  # the line through the box
    assert gate_with_line(0.95).decide(fidget(2), 0.2).reason is GateReason.STILL  # the line far away


def test_a_box_cut_by_the_frame_edge_is_never_stationary() -> None:
    """A car driving in keeps the same clipped box while its front is still outside the frame."""
    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=1.0, stationary_iou=0.85), (W, H))
    edge = np.array([[0, 60, 30, 90]], np.float32)
    gate.observe(edge)
    gate.observe(edge)
    assert gate.stationary == 0


def test_a_slow_creep_adds_up_against_where_the_track_stood_and_ends_its_stationary_state() -> None:
    """Every step overlaps the previous box with IoU > 0.85, but the anchor stays where it stopped: after a few
    steps the box has left it and the track is moving again."""
    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=1.0, stationary_iou=0.85), (W, H))
    states = []
    for i in range(6):
        gate.observe(BOX + np.array([i, 0, i, 0], np.float32))  # 1 px per analysed frame
        states.append(gate.stationary)
    assert states[1] == 1 and 0 in states[2:]


def test_a_stationary_track_whose_whole_body_shifts_inside_its_box_is_analysed() -> None:
    """A vehicle pulling away from a queue: its box still overlaps where it stopped (IoU >= 0.85), so its motion
    lies inside its own stationary box, but the whole body differs from the background (not a patch of it, as
    a fidget does): the box wakes and the frame is analysed."""
    def body(rolled: bool) -> np.ndarray:  # a 2x2 checker of 10 px cells in the box; rolled on: one cell on
        img = scene()
        cells = np.kron(np.array([[240, 40], [40, 240]], np.uint8), np.ones((10, 10), np.uint8))
        img[60:80, 100:120] = (255 - cells if rolled else cells)[..., None]
        return img

    gate = MotionGate(camera(), MotionConfig(enabled=True, recheck_s=1.0, stationary_iou=0.85), (W, H))
    for i in range(3):
        gate.decide(body(False), i / 10)
        gate.observe(BOX)
    assert gate.stationary == 1
    assert gate.decide(body(False), 0.3).reason is GateReason.STILL
    d = gate.decide(body(True), 0.4)  # panels where the background learned gaps, all over the box
    assert d.analyse and d.reason is GateReason.MOTION


def test_motion_that_runs_across_a_stationary_box_edge_is_analysed() -> None:
    """Something untracked moving outside the region (a bus nosing out of a side street, far from the line)
    runs into a stationary track's box: the motion inside the box continues across its edge, so the box wakes
    (without it the frame would be still: the bus is untracked and away from the line, the box stationary).
    The same bus away from the box, and the box's own fidget, stay still."""
    cam = camera(lines=[{"name": "l", "start": [0.95, 0.0], "end": [0.95, 1.0]}])

    def gate_and_frames(bus_x: int) -> tuple[MotionGate, np.ndarray]:
        gate = MotionGate(cam, MotionConfig(enabled=True, recheck_s=1.0, stationary_iou=0.85,
                                            region_margin=0.02), (W, H))
        gate.decide(scene((100, 60)), 0.0)
        gate.observe(BOX)
        gate.observe(BOX)
        assert gate.stationary == 1
        img = fidget(2)
        img[62:78, bus_x : bus_x + 40] = 200
        return gate, img

    gate, img = gate_and_frames(66)  # x 66-106: over the box's left edge
    d = gate.decide(img, 0.2)
    assert d.analyse and d.reason is GateReason.MOTION
    gate, img = gate_and_frames(20)  # x 20-60: beside it, not touching
    assert gate.decide(img, 0.2).reason is GateReason.STILL


@pytest.mark.parametrize("bad", [{"stationary_iou": 1.5}, {"recheck_s": 0}, {"threshold": 0}, {"frame_height": 4}])
def test_motion_config_rejects_nonsense(bad: dict) -> None:
    with pytest.raises(ValueError):
        MotionConfig(**bad)


# ------------------------------------------------------------------------ gated frames in the camera pipeline
def test_a_still_loiterer_seen_on_one_analysed_frame_keeps_its_dwell_clock_on_gated_frames() -> None:
    import cv2

    from pipeline.camera import CameraPipeline
    from pipeline.types import Frame, IncidentState
    from tests.factories import T0, make_camera, make_detections

    cam = make_camera(zones=[{"name": "table", "polygon": [[0.2, 0.2], [0.8, 0.2], [0.8, 0.9], [0.2, 0.9]]}],
                      rules=[{"type": "loitering", "zone": "table", "dwell_s": 2, "classes": ["person"]}])
    proc = CameraPipeline(cam, box="b")
    img = np.full((360, 640, 3), 90, np.uint8)
    cv2.rectangle(img, (300, 150), (340, 250), (0, 0, 200), -1)
    events = []
    for i in range(40):  # analysed for 0.5 s (track confirmed), then only gated frames for 3.5 s
        frame = Frame(camera_id="cam-1", frame_id=i, ts=T0 + i / 10, image=img)
        if i < 5:
            out = proc.step(frame, make_detections([[300, 150, 340, 250]], class_name="person", confidence=0.9))
        else:
            out = proc.step_still(frame)
        events += out.events
    opened = [e for e in events if getattr(e, "state", None) == IncidentState.OPENED]
    assert len(opened) == 1 and opened[0].snapshot is not None
    assert proc.step_still(Frame(camera_id="cam-1", frame_id=99, ts=T0 + 9, image=img)).tracks is not None


def test_the_camera_loop_calls_the_detector_only_on_motion_and_rechecks(tmp_path) -> None:
    import cv2

    from pipeline.camera import CameraDeps, CameraPipeline
    from pipeline.types import empty_detections

    path = tmp_path / "still.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (W, H))
    for i in range(50):  # 5 s: still, then a square moves for 1 s (frames 20-29), then still again
        writer.write(scene((20 + 10 * (i - 20), 60)) if 20 <= i < 30 else scene())
    writer.release()
    cam = camera(source={"url": str(path), "realtime": False, "fps_cap": 10},
                 motion={"enabled": True, "recheck_s": 1.0})
    calls = []
    deps = CameraDeps(detect=lambda f: calls.append(f.frame_id) or empty_detections(), publish=lambda ev: None,
                    caption_wait_s=0)
    stats = CameraPipeline(cam, deps, box="b").run()
    assert set(range(20, 30)) <= set(calls)  # every moving frame (and the one after) is analysed
    still = [i for i in calls if not 20 <= i <= 31]
    assert len(still) <= 6  # warm-up + about one recheck a second over 4 still seconds
    assert stats.frames_gated == 50 - len(calls) >= 30


def test_the_camera_loop_asks_its_source_for_the_active_rate_while_a_vehicle_is_near_a_line(tmp_path) -> None:
    """A 30 fps file, fps_cap 10, active_fps 20: the detector sees a car on the line from frame 30 to 59 only.
    The source keeps 10 fps before, about 20 fps while the car is there (frames it drops are never decoded),
    and 10 fps again after."""
    import cv2

    from pipeline.adapters import from_arrays
    from pipeline.camera import CameraDeps, CameraPipeline
    from pipeline.types import empty_detections

    path = tmp_path / "road.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (W, H))
    for i in range(90):
        writer.write(scene(seed=i))
    writer.release()
    cam = camera(source={"url": str(path), "realtime": False, "fps_cap": 10, "active_fps": 20, "buffer_size": 1},
                 motion={"enabled": False}, lines=[{"name": "l", "start": [0.5, 0.0], "end": [0.5, 1.0]}])
    car = from_arrays(np.array([[150, 60, 175, 80]], np.float32), np.array([0.8]), np.array([2]), {2: "car"})
    calls: list[int] = []
    deps = CameraDeps(detect=lambda f: calls.append(f.frame_id) or (car if 30 <= f.frame_id < 60 else empty_detections()),
                      publish=lambda ev: None, caption_wait_s=0)
    CameraPipeline(cam, deps, box="b").run()
    before, near, after = ([i for i in calls if lo <= i < hi] for lo, hi in ((0, 30), (33, 60), (63, 90)))
    assert len(before) == 10 and len(after) <= 10, calls
    assert len(near) >= 16, calls  # 27 frames at 20 fps: 18 (the switch lags the source's read-ahead)


# ----------------------------------------------------------------------------- adaptive stride and shedding
def test_idle_cameras_stride_and_active_ones_keep_every_frame_until_shedding_goes_deep() -> None:
    cam = camera(lines=[{"name": "l", "start": [0.5, 0.0], "end": [0.5, 1.0]}])
    gate = MotionGate(cam, MotionConfig(enabled=False, idle_stride=2, max_idle_shed=1), (W, H))
    img = scene()
    idle = [gate.decide(img, i / 10).analyse for i in range(8)]
    assert idle == [True, False] * 4  # no object near the line: one frame in idle_stride
    gate.observe(np.array([[150, 60, 170, 80]], np.float32))  # on the line
    assert gate.active and gate.stride == 1 and not gate.degraded
    assert all(gate.decide(img, 1 + i / 10).analyse for i in range(4))
    gate.shed_level = 1  # the box is overloaded: idle cameras pay first
    assert gate.stride == 1 and not gate.degraded
    gate.shed_level = 2  # beyond max_idle_shed: active cameras shed too, and say so
    assert gate.stride == 2 and gate.degraded
    gate.observe(np.zeros((0, 4)))
    assert not gate.active and gate.stride == 2 * 3 and not gate.degraded


def test_an_object_near_a_line_asks_the_source_for_the_active_rate_until_the_box_sheds() -> None:
    """source.active_fps while a tracked object, or a detection not (yet) on a track, is near a line;
    fps_cap when nothing is there, when active_fps is off, or when the box is behind (shedding)."""
    cam = camera(lines=[{"name": "l", "start": [0.5, 0.0], "end": [0.5, 1.0]}])
    gate = MotionGate(cam, cam.motion, (W, H))
    none = np.zeros((0, 4))
    assert (cam.source.fps_cap, cam.source.active_fps) == (10.0, 20.0) and gate.source_fps == 10.0
    gate.observe(none, np.array([[150, 60, 170, 80]], np.float32))  # an untracked box on the line
    assert gate.active and gate.source_fps == 20.0
    gate.observe(np.array([[150, 60, 170, 80]], np.float32))  # a track there
    assert gate.source_fps == 20.0
    gate.shed_level = 1
    assert gate.source_fps == 10.0
    gate.shed_level = 0
    gate.observe(none, np.array([[0, 0, 20, 20]], np.float32))  # far from the line
    assert not gate.active and gate.source_fps == 10.0
    off = camera(lines=cam.model_dump()["lines"], source={"url": "x.mp4", "active_fps": None})
    gate = MotionGate(off, off.motion, (W, H))
    gate.observe(none, np.array([[150, 60, 170, 80]], np.float32))
    assert gate.active and gate.source_fps == 10.0


def test_load_shedder_steps_up_when_behind_and_down_after_keeping_up() -> None:
    from pipeline.motion import LoadShedder

    shed = LoadShedder(fps=5.0, up_every_s=2.0, down_after_s=10.0, max_level=3)
    assert shed.update(0.0, lag_s=0.1, dropped_total=0) == 0
    assert shed.update(1.0, lag_s=0.1, dropped_total=3) == 1  # frames dropped
    assert shed.update(1.5, lag_s=2.0, dropped_total=3) == 1  # still behind, but at most a step per 2 s
    assert shed.update(3.1, lag_s=2.0, dropped_total=3) == 2  # lag of 10 frame intervals
    assert shed.update(5.2, lag_s=0.1, dropped_total=9) == 3
    assert shed.update(7.3, lag_s=0.1, dropped_total=20) == 3  # capped
    assert shed.update(16.0, lag_s=0.1, dropped_total=20) == 3  # keeping up for < 10 s
    assert shed.update(17.4, lag_s=0.1, dropped_total=20) == 2
    assert shed.update(27.5, lag_s=0.1, dropped_total=20) == 1


def test_an_overloaded_real_time_camera_sheds_frames_before_the_detector_and_reports_it(tmp_path) -> None:
    import time

    import cv2

    from pipeline.camera import CameraDeps, CameraPipeline
    from pipeline.types import HealthEvent, empty_detections

    path = tmp_path / "busy.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20.0, (W, H))
    for i in range(80):  # 4 s at 20 fps
        writer.write(scene(seed=i))
    writer.release()
    cam = camera(source={"url": str(path), "realtime": True, "fps_cap": 20, "buffer_size": 2},
                 motion={"enabled": False})  # every frame is "motion": only shedding can spare the detector
    calls, health = [], []

    def slow_detect(frame):  # 80 ms a frame: a 20-fps camera needs 50 ms, so it falls behind
        calls.append(frame.frame_id)
        time.sleep(0.08)
        return empty_detections()

    deps = CameraDeps(detect=slow_detect, caption_wait_s=0, health_every_s=0.2,
                    publish=lambda ev: health.append(ev) if isinstance(ev, HealthEvent) else None)
    loop = CameraPipeline(cam, deps, box="b")
    loop.scheduler.shedder.up_every_s = 0.5
    stats = loop.run()
    assert max(h.shed_level for h in health) >= 1
    assert stats.frames_gated > 0 and len(calls) + stats.frames_gated == stats.frames_processed
    assert not any(h.degraded for h in health)  # no object near a line or zone: only idle frames were shed


def test_an_incident_that_opens_on_a_still_frame_is_sent_for_captioning() -> None:
    import cv2

    from pipeline.camera import CameraDeps, CameraPipeline
    from pipeline.types import Frame, IncidentState
    from tests.factories import T0, make_camera, make_detections

    cam = make_camera(zones=[{"name": "table", "polygon": [[0.2, 0.2], [0.8, 0.2], [0.8, 0.9], [0.2, 0.9]]}],
                      rules=[{"type": "loitering", "zone": "table", "dwell_s": 2, "classes": ["person"]}],
                      motion={"enabled": True, "recheck_s": 0.3})
    img = np.full((360, 640, 3), 90, np.uint8)
    cv2.rectangle(img, (300, 150), (340, 250), (0, 0, 200), -1)
    started = []
    deps = CameraDeps(detect=lambda f: make_detections([[300, 150, 340, 250]], class_name="person", confidence=0.9),
                      publish=lambda ev: None, caption_start=lambda ev: started.append(ev) or object())
    pipe = CameraPipeline(cam, deps, box="b")
    for i in range(40):  # the person stands still: after the first frames every frame is gated as still
        pipe._frame(Frame(camera_id=cam.id, frame_id=i, ts=T0 + i / 10, image=img))
    assert pipe.scheduler.gate.skipped > 20
    assert [ev.state for ev in started] == [IncidentState.OPENED]


def test_percentile_from_the_histogram_equals_numpys() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        a = rng.integers(0, rng.integers(1, 257), tuple(rng.integers(1, 40, 2))).astype(np.uint8)
        for q in (0, 37.5, 50, 99, 100):
            assert percentile_u8(a, q) == float(np.percentile(a, q))
