"""Camera sources: files (fast, paced, capped, looped), bad files, buffer policies, reconnects, redaction."""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from fault_helpers import MjpegServer  # the real MJPEG camera, shared with the fault tests

from pipeline.config import SourceConfig
from pipeline.exceptions import EndOfStream, IllegalStateTransition, SourceConnectionError, UnsupportedSourceError
from pipeline.sources import (
    BufferPolicy,
    FpsGate,
    FrameSource,
    SourceState,
    StateMachine,
    backoff_delays,
    default_policy,
    redact_url,
)
from tests.paths import TRAFFIC


# ------------------------------------------------------------------------------------------------ helpers
def write_clip(path: Path, n: int, fps: float, size: tuple[int, int] = (64, 48), fourcc: str = "mp4v") -> Path:
    """A synthetic clip whose frame i is filled with grey level 4*i (so order is checkable)."""
    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
    assert writer.isOpened(), f"cannot write {path}"
    for i in range(n):
        writer.write(np.full((h, w, 3), (4 * i) % 256, np.uint8))
    writer.release()
    return path


def drain(src: FrameSource, timeout: float = 5.0) -> list:
    frames = []
    while True:
        try:
            frame = src.read(timeout)
        except EndOfStream:
            return frames
        assert frame is not None, f"no frame within {timeout}s; stats={src.stats()}"
        frames.append(frame)


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", n=40, fps=10.0)


# ---------------------------------------------------------------------------------------------- unit bits
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rtsp://admin:hunter2@10.0.0.5:554/live", "rtsp://***@10.0.0.5:554/live"),
        ("http://user@cam.local/mjpg", "http://***@cam.local/mjpg"),
        ("https://cam.local/s.m3u8?token=abc&ch=1", "https://cam.local/s.m3u8?token=***&ch=1"),
        ("error opening rtsp://a:b@h/x: refused", "error opening rtsp://***@h/x: refused"),
        ("/data/street.mp4", "/data/street.mp4"),
        ("webcam:0", "webcam:0"),
    ],
)
def test_redact_url_hides_credentials_and_keeps_the_rest(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_state_machine_refuses_illegal_transitions_with_a_clear_message() -> None:
    sm = StateMachine("cam-x")
    with pytest.raises(IllegalStateTransition, match="cam-x: illegal source transition CREATED -> STREAMING"):
        sm.to(SourceState.STREAMING)
    sm.to(SourceState.CONNECTING)
    sm.to(SourceState.STREAMING)
    sm.to(SourceState.ENDED)
    with pytest.raises(IllegalStateTransition):
        sm.to(SourceState.STREAMING)


def test_backoff_grows_exponentially_is_capped_and_jittered() -> None:
    delays = backoff_delays(0.5, 4.0, random.Random(1))
    got = [next(delays) for _ in range(8)]
    nominal = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0]
    assert all(0.5 * n <= d <= n for d, n in zip(got, nominal)), got
    assert len({round(d, 6) for d in got[3:]}) > 1  # jitter: capped delays are not all equal


def test_fps_gate_keeps_a_variable_frame_rate_stream_at_its_cap() -> None:
    gate = FpsGate(10.0)
    pts = [0.0, 0.119, 0.198, 0.316, 0.395, 0.51, 0.59, 0.7]  # ~10 fps with jitter, as the traffic video
    assert all(gate.keep(t) for t in pts)
    gate = FpsGate(10.0)
    dense = [i / 30 for i in range(300)]  # 30 fps for 10 s
    assert sum(gate.keep(t) for t in dense) == 100


def test_fps_gate_changes_rate_from_the_next_frame_on() -> None:
    """The active rate: 10 fps, then 30 while an object is near a line, then 10 again, on a 30 fps stream."""
    gate = FpsGate(10.0)
    kept = []
    for i in range(30):
        gate.set_fps(30.0 if 6 <= i < 15 else 10.0)
        if gate.keep(i / 30):
            kept.append(i)
    assert kept == [0, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 20, 23, 26, 29]


@pytest.mark.parametrize(
    ("cfg", "policy"),
    [
        (SourceConfig(url="a.mp4", realtime=False), BufferPolicy.WAIT),
        (SourceConfig(url="a.mp4", realtime=True), BufferPolicy.DROP_OLDEST),
        (SourceConfig(url="rtsp://h/x"), BufferPolicy.DROP_OLDEST),
        (SourceConfig(url="webcam:0"), BufferPolicy.DROP_OLDEST),
    ],
)
def test_default_policy_keeps_every_frame_only_for_fast_files(cfg: SourceConfig, policy: BufferPolicy) -> None:
    assert default_policy(cfg) is policy


# -------------------------------------------------------------------------------------------------- files
@pytest.mark.slow
def test_fast_file_read_yields_exactly_every_decoded_frame_of_the_traffic_video() -> None:
    cap = cv2.VideoCapture(str(TRAFFIC))
    expected = 0
    while cap.read()[0]:
        expected += 1
    cap.release()
    src = FrameSource("traffic", SourceConfig(url=str(TRAFFIC), realtime=False, fps_cap=120))
    assert src.policy is BufferPolicy.WAIT
    src.start()
    frames = drain(src)
    src.stop()
    assert len(frames) == expected == 734
    assert [f.frame_id for f in frames] == list(range(expected))
    ts = np.array([f.ts for f in frames])
    assert np.all(np.diff(ts) > 0)
    assert ts[-1] - ts[0] == pytest.approx(75.007 - 1.860, abs=0.01)  # source seconds, not read time
    assert frames[0].shape == (360, 640)
    stats = src.stats()
    assert (stats.frames_in, stats.frames_processed, stats.frames_dropped) == (734, 734, 0)


def test_fps_cap_halves_a_10fps_file_deterministically(clip: Path) -> None:
    runs = []
    for _ in range(2):
        src = FrameSource("c", SourceConfig(url=str(clip), realtime=False, fps_cap=5))
        src.start()
        runs.append([f.frame_id for f in drain(src)])
        assert src.stats().frames_skipped == 20
    assert runs[0] == runs[1] == list(range(0, 40, 2))


def test_fps_cap_decodes_only_the_kept_frames_with_their_own_content_and_time(clip: Path) -> None:
    # Frame i of the clip is grey 4*i: a kept frame must carry its own picture (retrieve() after grab()
    # of the skipped ones), its own index and its own pts, and skipped frames are never retrieved.
    src = FrameSource("c", SourceConfig(url=str(clip), realtime=False, fps_cap=5))
    src.start()
    frames = drain(src)
    stats = src.stats()
    assert (stats.frames_in, stats.frames_decoded, stats.frames_skipped) == (40, 20, 20)
    assert [f.frame_id for f in frames] == list(range(0, 40, 2))
    cap = cv2.VideoCapture(str(clip))
    full = [cap.read()[1] for _ in range(40)]
    cap.release()
    for f in frames:
        assert np.array_equal(f.image, full[f.frame_id]), f.frame_id
    assert np.allclose(np.diff([f.ts for f in frames]), 0.2, atol=1e-3)


@pytest.mark.slow
def test_capped_traffic_video_keeps_the_timestamps_of_a_full_decode() -> None:
    # Variable frame rate: the kept frames' ts must be the pts a full decode gives at the same index.
    path = Path("samples/traffic_residential_street_cvTrafficCam.mp4")
    cap = cv2.VideoCapture(str(path))
    pts, images = [], {}
    while True:
        ok, img = cap.read()
        if not ok:
            break
        pts.append(cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0)
        if len(pts) in (1, 301, 601):
            images[len(pts) - 1] = img
    cap.release()
    src = FrameSource("traffic", SourceConfig(url=str(path), realtime=False, fps_cap=3))
    src.start()
    frames = drain(src)
    stats = src.stats()
    assert stats.frames_in == len(pts) == 734
    assert stats.frames_decoded == len(frames) == stats.frames_in - stats.frames_skipped
    assert 3 * 72 <= len(frames) <= 3 * 75  # 73 s of pts at 3 fps
    t0 = frames[0].ts - (pts[frames[0].frame_id] - pts[0])
    for f in frames:
        assert f.ts - t0 == pytest.approx(pts[f.frame_id] - pts[0], abs=1e-6)
        if f.frame_id in images:
            assert np.array_equal(f.image, images[f.frame_id])


def test_realtime_file_is_paced_to_its_own_timestamps(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "rt.mp4", n=20, fps=20.0)
    src = FrameSource("rt", SourceConfig(url=str(path), realtime=True, fps_cap=120, buffer_size=32))
    t0 = time.monotonic()
    src.start()
    frames = drain(src)
    elapsed = time.monotonic() - t0
    assert len(frames) == 20
    assert 0.9 <= elapsed <= 3.0  # 19 intervals of 50 ms ≈ 0.95 s (+ start-up on a loaded box)
    assert np.allclose(np.diff([f.ts for f in frames]), 0.05, atol=0.005)


def test_looping_file_restarts_with_increasing_timestamps(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "loop.mp4", n=10, fps=10.0)
    src = FrameSource("loop", SourceConfig(url=str(path), realtime=False, loop=True, fps_cap=120))
    src.start()
    frames = [src.read(5.0) for _ in range(25)]
    src.stop()
    assert all(f is not None for f in frames)
    ts = np.array([f.ts for f in frames])
    assert np.allclose(np.diff(ts), 0.1, atol=0.01)
    assert src.state is SourceState.STOPPED


def test_unusual_frame_sizes_are_read_unchanged(tmp_path: Path) -> None:
    # Encoders round to even sizes; 98x62 is still no multiple of 8, 16 or 32.
    path = write_clip(tmp_path / "odd.avi", n=5, fps=10.0, size=(98, 62), fourcc="MJPG")
    src = FrameSource("odd", SourceConfig(url=str(path), realtime=False))
    src.start()
    frames = drain(src)
    assert len(frames) == 5 and all(f.shape == (62, 98) for f in frames)


def test_drop_oldest_with_a_slow_consumer_drops_and_counts(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "many.mp4", n=60, fps=30.0)
    cfg = SourceConfig(url=str(path), realtime=False, fps_cap=120, buffer_size=2)
    src = FrameSource("slow", cfg, policy=BufferPolicy.DROP_OLDEST)
    src.start()
    got = []
    while True:
        try:
            frame = src.read(5.0)
        except EndOfStream:
            break
        got.append(frame.frame_id)
        time.sleep(0.03)  # slower than decoding
    stats = src.stats()
    assert stats.frames_dropped > 0
    assert stats.frames_processed == len(got)
    assert stats.frames_processed + stats.frames_dropped == stats.frames_in == 60
    assert got == sorted(got) and got[-1] == 59  # the newest frame always survives


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda p: p.write_bytes(b""), UnsupportedSourceError, "empty"),
        (lambda p: p.write_bytes(random.Random(0).randbytes(50_000)), UnsupportedSourceError, "corrupt"),
        (lambda p: None, SourceConnectionError, "not found"),
    ],
    ids=["zero-byte", "corrupt", "missing"],
)
def test_bad_file_fails_fast_with_a_clear_error(tmp_path: Path, make, error, match) -> None:
    path = tmp_path / "bad.mp4"
    make(path)
    src = FrameSource("cam-bad", SourceConfig(url=str(path), realtime=False))
    src.start()
    t0 = time.monotonic()
    with pytest.raises(error, match=match) as info:
        while True:
            src.read(5.0)
    assert time.monotonic() - t0 < 5.0
    assert "cam-bad" in str(info.value) and str(path) in str(info.value)
    assert src.state is SourceState.FAILED
    assert src.stats().error == str(info.value)


def test_start_twice_is_an_illegal_transition(clip: Path) -> None:
    src = FrameSource("c", SourceConfig(url=str(clip), realtime=False))
    src.start()
    with pytest.raises(IllegalStateTransition):
        src.start()
    src.stop()
    with pytest.raises(EndOfStream):  # stop() discards what was buffered
        src.read(1.0)


# --------------------------------------------------------------------------------------------- live / net
def test_credentials_never_appear_in_logs_errors_or_describe(caplog: pytest.LogCaptureFixture) -> None:
    url = f"rtsp://admin:s3cr3t-pw@127.0.0.1:{free_port()}/live"
    cfg = SourceConfig(url=url, reconnect_initial_s=0.05, reconnect_max_s=0.1)
    src = FrameSource("cam-pw", cfg)
    with caplog.at_level(logging.DEBUG, logger="pipeline.sources"):
        src.start()
        wait_until(lambda: src.stats().reconnects >= 2, 10, "two reconnect attempts")
        src.stop()
    texts = [caplog.text, src.describe(), str(src.error), repr(src.stats())]
    assert "RECONNECTING" not in caplog.text and "reconnecting in" in caplog.text
    assert all("s3cr3t-pw" not in t and "admin" not in t for t in texts), texts
    assert "rtsp://***@127.0.0.1" in src.describe()


def test_injected_should_stop_ends_the_reconnect_loop() -> None:
    stop = threading.Event()
    cfg = SourceConfig(url=f"http://127.0.0.1:{free_port()}/x.mjpg", reconnect_initial_s=5, reconnect_max_s=5)
    src = FrameSource("cam-stop", cfg, should_stop=stop.is_set)
    src.start()
    wait_until(lambda: src.state is SourceState.RECONNECTING, 10, "RECONNECTING")
    stop.set()
    with pytest.raises(EndOfStream):
        src.read(3.0)  # wakes from a 2.5-5 s backoff sleep within its 50 ms poll
    assert src.state is SourceState.STOPPED


@pytest.mark.slow
def test_http_mjpeg_stream_is_read_and_reconnects_after_the_server_restarts() -> None:
    server = MjpegServer(free_port())
    server.start()
    cfg = SourceConfig(url=server.url, fps_cap=120, reconnect_initial_s=0.1, reconnect_max_s=0.4)
    src = FrameSource("cam-http", cfg)
    src.start()
    try:
        first = [src.read(10.0) for _ in range(5)]
        assert all(f is not None and f.shape == (72, 96) for f in first)
        assert src.state is SourceState.STREAMING

        server.stop()
        wait_until(lambda: src.state in (SourceState.RECONNECTING, SourceState.CONNECTING), 15, "reconnecting")
        assert src.error is not None and "127.0.0.1" in str(src.error)
        time.sleep(0.5)  # let it fail a few backoff rounds against a closed port

        server.start()  # same port
        wait_until(lambda: src.state is SourceState.STREAMING, 15, "streaming again")
        while src.read(0.0) is not None:  # discard frames buffered before the outage
            pass
        again = src.read(10.0)
        assert again is not None and again.ts > first[-1].ts
        stats = src.stats()
        assert stats.reconnects >= 1 and stats.error is None and stats.state is SourceState.STREAMING
    finally:
        src.stop()
        server.stop()
