"""Config validation: shipped configs load; every bad input is one line naming file, key path and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.config import load_config
from pipeline.exceptions import ConfigError

REPO = Path(__file__).resolve().parents[1]


def _base() -> dict:
    return {
        "boxes": [{"name": "box-a"}],
        "cameras": [{
            "id": "cam-1", "box": "box-a", "source": {"url": "clip.mp4"},
            "zones": [{"name": "gate", "polygon": [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]]}],
            "lines": [{"name": "l1", "start": [0.0, 0.5], "end": [1.0, 0.5]}],
            "rules": [{"type": "loitering", "zone": "gate", "dwell_s": 10}],
        }],
    }


def _write(tmp_path: Path, data) -> Path:
    p = tmp_path / "city.yaml"
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return p


@pytest.mark.parametrize("name", ["demo.yaml", "example-city.yaml"])
def test_shipped_configs_validate(name, monkeypatch):
    import re

    # example-city.yaml takes its secrets from ${...} environment variables (tests/test_secrets.py)
    for var in set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", (REPO / "configs" / name).read_text())):
        monkeypatch.setenv(var, f"test-{var.lower()}")
    cfg = load_config(REPO / "configs" / name)
    assert cfg.cameras and cfg.boxes


def test_demo_config_resolves_sample_paths_relative_to_the_file():
    cfg = load_config(REPO / "configs" / "demo.yaml")
    for cam in cfg.cameras:
        assert Path(cam.source.url).is_file(), cam.source.url


def _mutate(path: str, value):
    def f(d):
        keys = path.split(".")
        cur = d
        for k in keys[:-1]:
            cur = cur[int(k)] if k.isdigit() else cur[k]
        last = keys[-1]
        if value is _DELETE:
            del cur[last]
        elif last.isdigit():
            cur[int(last)] = value
        else:
            cur[last] = value
        return d
    return f


_DELETE = object()


@pytest.mark.parametrize("mutate, key, reason", [
    (_mutate("cameras.0.rules.0.dwell_s", -5), "cameras.0.rules.0.dwell_s", "greater than 0"),
    (_mutate("cameras.0.zones.0.polygon", [[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]]), "cameras.0.zones.0", "self-intersecting"),
    (_mutate("cameras.0.rules.0.zone", "nowhere"), "cameras.0.rules.0.zone", "unknown zone 'nowhere'"),
    (_mutate("cameras.0.box", "box-z"), "cameras.0.box", "unknown box 'box-z'"),
    (_mutate("cameras.0.source.url", "ftp://cam/stream"), "cameras.0.source.url", "unsupported source scheme 'ftp'"),
    (_mutate("cameras.0.zones.0.polygon", [[0.1, 0.1], [1.5, 0.1], [0.5, 0.5]]), "cameras.0.zones.0.polygon.1.0",
     "x=1.5 is outside 0..1: zone and line coordinates are fractions of the frame (x of its width"),
    (_mutate("cameras.0.lines.0.end", [0.0, 0.5]), "cameras.0.lines.0", "same point"),
    (_mutate("cameras.0.rules.0.type", "teleport"), "cameras.0.rules.0", "does not match any of the expected tags"),
    (_mutate("boxes", []), "boxes", "at least 1 item"),
    (_mutate("cameras.0.colour", "red"), "cameras.0.colour", "Extra inputs are not permitted"),
    (_mutate("timezone", "Mars/Olympus"), "timezone", "unknown time zone"),
])
def test_invalid_config_names_file_key_and_reason(tmp_path, mutate, key, reason):
    p = _write(tmp_path, mutate(_base()))
    with pytest.raises(ConfigError) as e:
        load_config(p)
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith(f"{p}: {key}: "), msg
    assert reason in msg, msg


def test_speeding_without_calibration_is_refused(tmp_path):
    d = _base()
    d["cameras"][0]["rules"].append({"type": "speeding", "limit_kmh": 50})
    with pytest.raises(ConfigError, match="speeding needs 'calibration'"):
        load_config(_write(tmp_path, d))


def test_malformed_yaml_names_line_and_column(tmp_path):
    p = _write(tmp_path, "boxes: [\n  - name: a\ncameras: {")
    with pytest.raises(ConfigError) as e:
        load_config(p)
    assert str(e.value).startswith(f"{p}: line ")
    assert "invalid YAML" in str(e.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_top_level_must_be_a_mapping(tmp_path):
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(_write(tmp_path, "- just\n- a list\n"))


def test_plate_blur_needs_a_plate_detector_in_the_config(tmp_path):
    d = _base()
    d["cameras"][0]["privacy_blur"] = ["plates"]
    with pytest.raises(ConfigError, match=r"cameras\.0\.privacy_blur: 'plates' needs models.plate_detector"):
        load_config(_write(tmp_path, d))
    d["models"] = {"plate_detector": {"model": "plates.onnx", "backend": "onnx", "classes": None}}
    assert load_config(_write(tmp_path, d)).models.plate_detector.backend == "onnx"
