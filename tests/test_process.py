"""`citylens process` and per-run reporting: run ids on events, summaries and CSV of one run only, the demo
config found from any folder (checkout and built wheel), and the real command on both sample clips (the lobby's first 740 frames: 3 of its 6 visits).

Ground truth of the clips: docs/hand_counts.md (6 table visits; 4 eastbound + 4 westbound vehicles).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.types import CountEvent, HealthEvent, new_run_id
from tests.factories import STORE_T0, make_incident

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
LOBBY = SAMPLES / "people_indoor_one_by_one_intel.mp4"
STREET = SAMPLES / "traffic_residential_street_cvTrafficCam.mp4"
HAND_TABLE_VISITS = 6
HAND_STREET = {"eastbound": 4, "westbound": 4}
# `citylens process` runs on the lobby clip's first 74 s (frames 0-739: visits 1-3 of docs/hand_counts.md, at
# frames 74-186, 242-438 and 520-688; the detector sees nobody from 700 to 744) and the whole street clip. The whole
# lobby clip (6 visits) through the same camera pipeline is tests/test_pipeline_e2e.py's demo run.
LOBBY_SEGMENT_FRAMES = 740
HAND_TABLE_VISITS_SEGMENT = 3


def _count(run_id: str | None, n: int, direction: str = "eastbound") -> CountEvent:
    return CountEvent(camera_id="street", kind="line", name="street-line", object_class="car", direction=direction,
                      bucket_start=STORE_T0, count=n, run_id=run_id)


def test_two_runs_over_the_same_minute_keep_separate_counts_and_summaries(store, tmp_path):
    from citylens.process import export_counts_csv, run_summary

    a, b = new_run_id(), new_run_id()
    for i in range(3):
        store.upsert_incident(make_incident(i, camera_id="lobby", type="loitering", run_id=a))
    store.upsert_incident(make_incident(10, camera_id="lobby", type="loitering", run_id=b))
    store.upsert_count(_count(a, 4))
    store.upsert_count(_count(b, 2))  # same camera/line/class/direction/minute as run a: must not merge into max(4, 2)
    store.upsert_count(_count(b, 3, "westbound"))

    sa, sb = run_summary(store, a), run_summary(store, b)
    assert sa.incidents == {"lobby": {"loitering": 3}} and sa.counts == {"street/street-line": {"eastbound": 4}}
    assert sb.incidents == {"lobby": {"loitering": 1}}
    assert sb.counts == {"street/street-line": {"eastbound": 2, "westbound": 3}}

    out = tmp_path / "b.csv"
    assert export_counts_csv(store, b, out) == 2
    rows = list(csv.DictReader(out.open()))
    assert {(r["run_id"], r["direction"], r["count"]) for r in rows} == {(b, "eastbound", "2"), (b, "westbound", "3")}


def test_demo_summary_reports_its_own_run_not_the_whole_store(store):
    from citylens.demo import summary

    first, second = new_run_id(), new_run_id()
    for run in (first, second):  # the same footage twice into one store
        for i in range(HAND_TABLE_VISITS):
            store.upsert_incident(make_incident(i + (0 if run == first else 100), type="loitering", run_id=run))
    got = summary(store, {}, second)
    assert got["run_id"] == second
    assert got["incidents_total"] == HAND_TABLE_VISITS
    assert got["incidents_by_type"] == {"loitering": HAND_TABLE_VISITS}


def test_run_id_travels_on_the_wire_and_lands_on_rows(store):
    from citylens.contracts import IncidentFilter
    from services.store import CameraHealthRow

    run = new_run_id()
    ev = make_incident(1, run_id=run)
    from pipeline.types import IncidentEvent, event_from_fields

    back = event_from_fields(ev.to_fields())
    assert isinstance(back, IncidentEvent) and back.run_id == run
    store.upsert_incident(back)
    store.upsert_incident(make_incident(2))
    rows, _ = store.list_incidents(IncidentFilter(run_id=run))
    assert [r.id for r in rows] == [ev.id]
    store.upsert_health(HealthEvent(camera_id="cam-1", state="streaming", ts=STORE_T0, run_id=run))
    with store.session() as s:
        assert s.get(CameraHealthRow, "cam-1").run_id == run


def test_store_made_before_run_ids_gains_the_columns(tmp_path):
    import sqlalchemy as sa

    from services.store import Store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    eng = sa.create_engine(url)
    with eng.begin() as c:  # the counts table as it was before run ids
        c.exec_driver_sql("CREATE TABLE counts (key VARCHAR(512) PRIMARY KEY, camera_id VARCHAR(128), kind VARCHAR(16), "
                          "name VARCHAR(128), object_class VARCHAR(64), direction VARCHAR(64), bucket_start DATETIME, "
                          "count INTEGER)")
        c.exec_driver_sql("INSERT INTO counts VALUES ('k', 'street', 'line', 'l', 'car', 'in', '2024-06-03 12:00:00', 5)")
    eng.dispose()
    s = Store(url, tmp_path / "media")
    try:
        assert sum(b.count for b in s.counts()) == 5
        s.upsert_count(_count("r1", 2))
        assert [b.count for b in s.counts(run_id="r1")] == [2]
    finally:
        s.close()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ([str(LOBBY), str(STREET)], None),
        ([f"street={LOBBY}"], None),
        ([str(SAMPLES / "README.md")], "no camera in the config reads a file named"),
        ([f"street={SAMPLES / 'missing.mp4'}"], "no such video file"),
        ([str(LOBBY), f"lobby={LOBBY}"], "already has a file in this run"),
    ],
)
def test_videos_are_matched_to_config_cameras(args, error):
    from citylens.assets import demo_config
    from citylens.process import match_videos
    from pipeline.config import load_config
    from pipeline.exceptions import ConfigError

    cfg = load_config(demo_config())
    if error is not None:
        with pytest.raises(ConfigError, match=error):
            match_videos(cfg, args)
        return
    pairs = match_videos(cfg, args)
    for cam, path in pairs:
        assert cam.source.url == str(path.resolve()) and cam.source.realtime is False and cam.source.loop is False
    assert cfg.camera("lobby").source.realtime is True  # the config itself is left as it was


def test_demo_config_and_clips_are_found_from_any_folder(tmp_path):
    """A checkout on PYTHONPATH (the editable layout): cwd elsewhere, the demo config still resolves its clips."""
    code = ("from citylens.assets import demo_config; from pipeline.config import load_config; import os, json; "
            "cfg = load_config(demo_config()); print(json.dumps([os.path.isfile(c.source.url) for c in cfg.cameras]))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [True, True]


@pytest.mark.slow
def test_built_wheel_ships_the_demo_config_and_clips_and_finds_them(tmp_path):
    """A non-editable install: build the wheel, unpack it away from the checkout, resolve the demo from it."""
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(wheels), str(REPO)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-3000:]
    (whl,) = wheels.glob("citylens-*.whl")
    names = set(zipfile.ZipFile(whl).namelist())
    for name in ("citylens/_assets/configs/demo.yaml", f"citylens/_assets/samples/{LOBBY.name}",
                 f"citylens/_assets/samples/{STREET.name}"):
        assert name in names
    site = tmp_path / "site"
    zipfile.ZipFile(whl).extractall(site)
    code = ("import citylens.assets as a, os, json; from pipeline.config import load_config; p = a.demo_config(); "
            "cfg = load_config(p); print(json.dumps([str(p)] + [os.path.isfile(c.source.url) for c in cfg.cameras]))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    where, *found = json.loads(out.stdout)
    assert where.startswith(str(site)) and found == [True, True]


def _first_frames(src: Path, dst: Path, n: int) -> None:
    """The first ``n`` frames of ``src`` re-encoded (mp4v, same size and rate) into ``dst``."""
    import cv2

    dst.parent.mkdir(parents=True, exist_ok=True)
    cap = cv2.VideoCapture(str(src))
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    out = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), cap.get(cv2.CAP_PROP_FPS), size)
    written = 0
    while written < n:
        ok, frame = cap.read()
        assert ok, f"{src} ended after {written} frames"
        out.write(frame)
        written += 1
    cap.release()
    out.release()


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """`citylens process` on both sample clips (the lobby's first 740 frames), run from a folder that is not the
    checkout."""
    work = tmp_path_factory.mktemp("process")
    lobby = work / "clips" / LOBBY.name  # the same file name: the demo config's lobby camera claims it
    _first_frames(LOBBY, lobby, LOBBY_SEGMENT_FRAMES)
    env = {k: v for k, v in os.environ.items() if k not in ("CITYLENS_STORE_URL", "CITYLENS_MEDIA_DIR")}
    env["PYTHONPATH"] = str(REPO)
    env["COLUMNS"] = "120"
    cmd = [str(Path(sys.executable).parent / "citylens"), "process", str(lobby), str(STREET), "--json",
           "--csv", str(work / "counts.csv"), "--data-dir", str(work / "data")]
    proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"process failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
    return work, json.loads(proc.stdout), proc


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_process_counts_both_clips_as_the_hand_counts(processed):
    _, summary, _ = processed
    assert summary["incidents"]["lobby"].get("loitering") == HAND_TABLE_VISITS_SEGMENT
    assert "intrusion" not in summary["incidents"]["lobby"]
    got = summary["counts"]["street/street-line"]
    for direction, expected in HAND_STREET.items():
        assert abs(got.get(direction, 0) - expected) <= 1, (direction, got)
    for cam in ("lobby", "street"):
        assert summary["cameras"][cam]["state"] == "ended" and summary["cameras"][cam]["frames_dropped"] == 0


@pytest.mark.slow
def test_process_shows_a_progress_bar_per_file_and_exports_this_runs_counts(processed):
    work, summary, proc = processed
    lines = proc.stderr.splitlines()
    for cam, video, frames in (("lobby", LOBBY, LOBBY_SEGMENT_FRAMES), ("street", STREET, 734)):
        bar = [ln for ln in lines if ln.startswith(f"{cam} ({video.name})")]
        assert bar and f"{frames}/{frames}" in bar[-1], proc.stderr[-2000:]
    rows = list(csv.DictReader((work / "counts.csv").open()))
    assert rows and {r["run_id"] for r in rows} == {summary["run_id"]}
    line_total = sum(int(r["count"]) for r in rows if r["camera_id"] == "street" and r["name"] == "street-line")
    assert line_total == sum(summary["counts"]["street/street-line"].values())


def test_process_captions_inline_so_the_pipeline_publishes_them_at_its_next_poll():
    from citylens.process import _caption_now, _poll_done
    from pipeline.caption import TemplateCaptioner
    from tests.factories import make_camera

    start = _caption_now(TemplateCaptioner(), make_camera(id="lobby", name="Lobby"))
    job = start(make_incident(1, camera_id="lobby", type="loitering", zone="table", object_class="person"))
    ((got_job, caption),) = _poll_done([job], 0.0)
    assert got_job is job and caption.source == "template" and caption.text
