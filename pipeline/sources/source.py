"""``FrameSource``: one capture thread per camera (file, RTSP/HTTP stream, webcam) feeding a bounded buffer."""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import cv2

from pipeline.config import SourceConfig
from pipeline.exceptions import EndOfStream, SourceConnectionError, SourceError, UnsupportedSourceError
from citylens.contracts.redact import redact_url
from pipeline.sources._internal import FpsGate, RateMeter, SourceKind, backoff_delays, classify, file_path
from pipeline.sources.buffer import FrameBuffer
from pipeline.sources.state import BufferPolicy, SourceState, SourceStats, StateMachine
from pipeline.types import Frame, ts_to_dt

log = logging.getLogger(__name__)

# FFmpeg waits this long to open / between packets before giving up; bounds how long a dead camera can
# block the capture thread (and therefore stop()), at the price of spurious reconnects on very laggy links.
OPEN_TIMEOUT_MS = 10_000
READ_TIMEOUT_MS = 10_000
_FFMPEG_OPTIONS_ENV = "OPENCV_FFMPEG_CAPTURE_OPTIONS"


def default_policy(cfg: SourceConfig) -> BufferPolicy:
    """Live sources and real-time files keep the newest frame; fast file reads lose nothing."""
    if classify(cfg.url) is SourceKind.FILE and not cfg.realtime:
        return BufferPolicy.WAIT
    return BufferPolicy.DROP_OLDEST


class FrameSource:
    """Decodes one camera on its own thread; ``read()`` hands out ``Frame``s from a bounded buffer.

    Files (``realtime=False``) are read as fast as the consumer takes them and lose no frame; files with
    ``realtime=True`` and live sources keep only the newest frames. ``Frame.ts`` is the start wall time
    plus the frame's pts for files (rules see real seconds even when reading faster than real time) and the
    wall clock for live sources. Live sources reconnect forever with capped exponential backoff and
    jitter until ``stop()`` or ``should_stop()``; a bad file fails at once (state ``FAILED``).

    Args:
        camera_id: id used in frames, logs and errors.
        cfg: the camera's source config (url, realtime, loop, fps_cap, reconnect delays, buffer size).
        policy: override the buffer policy chosen by ``default_policy``.
        clock: wall clock for ``Frame.ts`` and rates (inject a fake one in tests).
        should_stop: polled by the capture and reconnect loops; True ends the source (state ``STOPPED``).
        rng: random source for backoff jitter.

    Example:
        >>> src = FrameSource("cam-1", SourceConfig(url="street.mp4", realtime=False))  # doctest: +SKIP
        >>> src.start(); frame = src.read(timeout=1.0)                                    # doctest: +SKIP
    """

    def __init__(
        self,
        camera_id: str,
        cfg: SourceConfig,
        *,
        policy: BufferPolicy | None = None,
        clock: Callable[[], float] = time.time,
        should_stop: Callable[[], bool] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.camera_id = camera_id
        self.cfg = cfg
        self.kind = classify(cfg.url)
        self.policy = policy or default_policy(cfg)
        self._clock = clock
        self._should_stop = should_stop or (lambda: False)
        self._rng = rng or random.Random()
        self._sm = StateMachine(camera_id)
        self._buffer = FrameBuffer(cfg.buffer_size, self.policy)
        self._stop_event = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: SourceError | None = None
        self._frames_in = 0
        self._frames_out = 0
        self._frames_skipped = 0
        self._frames_decoded = 0
        self._decode_s = 0.0  # time in grab()/retrieve(), skipped frames' grabs included
        self._reconnects = 0
        self._last_frame_ts: float | None = None
        self._meter_in = RateMeter()
        self._meter_out = RateMeter()
        self._fps = cfg.fps_cap  # the rate frames are kept at now: fps_cap, or active_fps (set_fps)

    # ------------------------------------------------------------------------------------------ public
    @property
    def state(self) -> SourceState:
        return self._sm.state

    @property
    def error(self) -> SourceError | None:
        """The last connection/decoding problem (credentials redacted), or None."""
        return self._error

    def describe(self) -> str:
        """The source URL with credentials redacted (``rtsp://***@host/...``)."""
        return redact_url(self.cfg.url)

    def start(self) -> None:
        """Start the capture thread; raises ``IllegalStateTransition`` when already started."""
        self._sm.to(SourceState.CONNECTING)
        self._thread = threading.Thread(target=self._run, name=f"source-{self.camera_id}", daemon=True)
        self._thread.start()

    def read(self, timeout: float | None = 1.0) -> Frame | None:
        """Next frame, or None when none arrived within ``timeout`` seconds.

        Raises:
            EndOfStream: the file ended or the source was stopped, and the buffer is drained.
            SourceConnectionError | UnsupportedSourceError: the source failed for good (state ``FAILED``).
        """
        if self.state is SourceState.CREATED:
            raise SourceError(f"{self.camera_id}: read() before start() on {self.describe()}")
        if self.state is SourceState.STOPPED:
            raise EndOfStream(f"{self.camera_id}: {self.describe()} stopped")
        frame = self._buffer.get(timeout)
        if frame is not None:
            self._frames_out += 1
            self._meter_out.tick(self._clock())
            return frame
        if self._buffer.closed and len(self._buffer) == 0:
            if self.state is SourceState.FAILED and self._error is not None:
                raise self._error
            raise EndOfStream(f"{self.camera_id}: {self.describe()} {self.state.value}")
        return None

    def frames(self, timeout: float | None = 1.0) -> Iterator[Frame]:
        """Iterate frames until the source ends or is stopped (failures still raise)."""
        while True:
            try:
                frame = self.read(timeout)
            except EndOfStream:
                return
            if frame is not None:
                yield frame

    def stop(self, join_timeout_s: float = 2.0) -> None:
        """Stop capturing and release the device; idempotent. Buffered frames are discarded: ``read()`` raises ``EndOfStream``."""
        self._stop_event.set()
        self._buffer.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(join_timeout_s)
        self._sm.try_to(SourceState.STOPPED)

    def set_fps(self, fps: float) -> None:
        """Keep frames at ``fps`` from the next one on (the camera's active rate while an object is near a line
        or zone, ``MotionGate.source_fps``); frames the rate drops are grabbed but never decoded."""
        self._fps = fps

    @property
    def frames_dropped(self) -> int:
        """Frames the buffer dropped because the consumer fell behind (cheap: read on every frame by shedding)."""
        return self._buffer.dropped

    def stats(self) -> SourceStats:
        """Counters and rates so far, under the names the control room shows (``GET /cameras``)."""
        now = self._clock()
        return SourceStats(
            state=self.state,
            frames_in=self._frames_in,
            frames_processed=self._frames_out,
            frames_dropped=self._buffer.dropped,
            frames_skipped=self._frames_skipped,
            frames_decoded=self._frames_decoded,
            decode_s=round(self._decode_s, 4),
            fps_in=round(self._meter_in.rate(now), 2),
            fps_out=round(self._meter_out.rate(now), 2),
            last_frame_at=ts_to_dt(self._last_frame_ts) if self._last_frame_ts is not None else None,
            reconnects=self._reconnects,
            error=str(self._error) if self._error else None,
        )

    def __enter__(self) -> "FrameSource":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------------------------------- capture
    def _stopping(self) -> bool:
        return self._stop_event.is_set() or bool(self._should_stop())

    def _sleep(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, waking early on stop; return False when stopping."""
        deadline = time.monotonic() + seconds
        while not self._stopping():
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            self._stop_event.wait(min(left, 0.05))
        return False

    def _run(self) -> None:
        # Top level of the thread: whatever happens, record it with the camera id, end in a terminal state
        # and close the buffer so the consumer never hangs.
        try:
            if self.kind is SourceKind.FILE:
                self._run_file()
            else:
                self._run_live()
        except SourceError as e:
            self._fail(e)
        except Exception as e:  # noqa: BLE001 - an unexpected decoder error must still end the source
            self._fail(SourceConnectionError(redact_url(f"{self.camera_id}: capture of {self.describe()} crashed: {e!r}")))
        finally:
            if self._stopping():
                self._sm.try_to(SourceState.STOPPED)
            self._buffer.close()

    def _fail(self, error: SourceError) -> None:
        self._error = error
        if self._sm.try_to(SourceState.FAILED):
            log.error("source failed: %s", error)

    def _open(self) -> cv2.VideoCapture:
        if self.kind is SourceKind.WEBCAM:
            index = self.cfg.url.removeprefix("webcam:")
            if not index.isdigit():
                raise UnsupportedSourceError(f"{self.camera_id}: webcam index must be a number, got {self.describe()!r}")
            return cv2.VideoCapture(int(index))
        if self.kind is SourceKind.FILE:
            return cv2.VideoCapture(file_path(self.cfg.url), cv2.CAP_FFMPEG)
        if self.cfg.url.lower().startswith(("rtsp://", "rtsps://")) and _FFMPEG_OPTIONS_ENV not in os.environ:
            # UDP loses packets (grey smears) behind NAT and on Wi-Fi; TCP is the robust default for RTSP.
            os.environ[_FFMPEG_OPTIONS_ENV] = "rtsp_transport;tcp"
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, OPEN_TIMEOUT_MS, cv2.CAP_PROP_READ_TIMEOUT_MSEC, READ_TIMEOUT_MS]
        return cv2.VideoCapture(self.cfg.url, cv2.CAP_FFMPEG, params)

    def _emit(self, image: Any, index: int, ts: float) -> bool:
        self._last_frame_ts = ts
        return self._buffer.put(Frame(camera_id=self.camera_id, frame_id=index, ts=ts, image=image))

    def _run_file(self) -> None:
        path = file_path(self.cfg.url)
        where = f"{self.camera_id}: {self.describe()}"
        if not os.path.exists(path):
            raise SourceConnectionError(f"{where}: file not found")
        if os.path.isdir(path):
            raise UnsupportedSourceError(f"{where}: is a directory, not a video file")
        if os.path.getsize(path) == 0:
            raise UnsupportedSourceError(f"{where}: file is empty (0 bytes)")
        cap = self._open()
        if not cap.isOpened():
            cap.release()
            raise UnsupportedSourceError(f"{where}: OpenCV cannot open it as a video (corrupt or unsupported format)")
        self._read_file(cap, where)

    def _read_file(self, cap: cv2.VideoCapture, where: str) -> None:
        try:
            self._read_file_frames(cap, where)
        finally:
            self._file_cap.release()

    def _read_file_frames(self, cap: cv2.VideoCapture, where: str) -> None:
        self._file_cap = cap  # replaced on every loop, released by _read_file
        fps = cap.get(cv2.CAP_PROP_FPS)
        step = 1.0 / fps if fps and 0 < fps < 1000 else 0.04
        gate = FpsGate(self.cfg.fps_cap)
        start_wall, start_mono = self._clock(), time.monotonic()
        pts0: float | None = None
        offset = 0.0  # source time added by previous loops
        last_rel = -step
        index = 0
        pass_frames = 0
        while not self._stopping():
            # grab() demuxes (and, for inter-coded streams, feeds the decoder) but leaves the picture in the
            # decoder: only frames the fps gate keeps are retrieve()d, so dropped frames cost no colour
            # conversion or copy (style 19; Frigate applies fps in ffmpeg instead).
            t0 = time.perf_counter()
            ok = cap.grab()
            self._decode_s += time.perf_counter() - t0
            if not ok:
                if index == 0:
                    raise UnsupportedSourceError(f"{where}: no decodable frames (corrupt or unsupported video)")
                if self.cfg.loop and pass_frames > 0:
                    cap.release()
                    cap = self._file_cap = self._open()  # seeking back is unreliable across containers; reopening is not
                    if not cap.isOpened():
                        raise SourceConnectionError(f"{where}: could not reopen for looping")
                    offset, pts0, pass_frames = last_rel + step, None, 0
                    continue
                self._sm.try_to(SourceState.ENDED)
                log.info("camera %s: %s ended after %d frames", self.camera_id, self.describe(), index)
                return
            pts = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            if pts0 is None:
                pts0 = pts
            rel = offset + pts - pts0
            if rel <= last_rel:  # containers without usable pts: fall back to the nominal frame rate
                rel = last_rel + step
            last_rel = rel
            self._frames_in += 1
            self._meter_in.tick(self._clock())
            index += 1
            pass_frames += 1
            gate.set_fps(self._fps)
            if not gate.keep(rel):
                self._frames_skipped += 1
                continue
            t0 = time.perf_counter()
            ok, image = cap.retrieve()
            self._decode_s += time.perf_counter() - t0
            if not ok or image is None:
                if index == 1:
                    raise UnsupportedSourceError(f"{where}: no decodable frames (corrupt or unsupported video)")
                continue  # one undecodable picture in a good stream: skip it, keep its slot in the index
            self._frames_decoded += 1
            if self._frames_decoded == 1:
                self._sm.try_to(SourceState.STREAMING)
            if self.cfg.realtime and not self._sleep(start_mono + rel - time.monotonic()):
                return
            if not self._emit(image, index - 1, start_wall + rel):
                return

    def _run_live(self) -> None:
        delays = backoff_delays(self.cfg.reconnect_initial_s, self.cfg.reconnect_max_s, self._rng)
        gate = FpsGate(self.cfg.fps_cap)
        index = 0
        while not self._stopping():
            cap = self._open()
            try:
                streaming = False
                while not self._stopping():
                    t0 = time.perf_counter()
                    ok = cap.grab() if cap.isOpened() else False
                    self._decode_s += time.perf_counter() - t0
                    if not ok:
                        break
                    if not streaming:
                        streaming = True
                        self._error = None
                        self._sm.try_to(SourceState.STREAMING)
                        delays = backoff_delays(self.cfg.reconnect_initial_s, self.cfg.reconnect_max_s, self._rng)
                        gate.reset()
                        log.info("camera %s: streaming from %s", self.camera_id, self.describe())
                    now = self._clock()
                    self._frames_in += 1
                    self._meter_in.tick(now)
                    index += 1
                    gate.set_fps(self._fps)
                    if not gate.keep(time.monotonic()):
                        self._frames_skipped += 1
                        continue
                    t0 = time.perf_counter()
                    ok, image = cap.retrieve()  # only kept frames are converted out of the decoder
                    self._decode_s += time.perf_counter() - t0
                    if not ok or image is None:
                        break
                    self._frames_decoded += 1
                    if not self._emit(image, index - 1, now):
                        return
            finally:
                cap.release()
            if self._stopping():
                return
            what = "stopped delivering frames" if streaming else "cannot be opened"
            self._error = SourceConnectionError(f"{self.camera_id}: {self.describe()} {what}")
            delay = next(delays)
            self._sm.try_to(SourceState.RECONNECTING)
            log.warning("%s; reconnecting in %.2fs (attempt %d)", self._error, delay, self._reconnects + 1)
            if not self._sleep(delay):
                return
            self._reconnects += 1
            self._sm.try_to(SourceState.CONNECTING)
