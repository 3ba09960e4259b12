"""Issue 11 item 12: configuration mistakes are reported, all at once, before anything starts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from citylens.contracts.errors import ConfigError
from citylens.contracts.config import load_config
from tests.http_helpers import PY, REPO

DEMO = REPO / "configs" / "demo.yaml"


def demo_data() -> dict:
    return yaml.safe_load(DEMO.read_text())


def write(tmp_path: Path, data: dict, name: str = "city.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data))
    return p


def check(path: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "citylens", "check", str(path)], cwd=cwd or REPO, capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ, "PYTHONPATH": str(REPO)})


def with_samples(data: dict) -> dict:
    for cam in data["cameras"]:
        cam["source"]["url"] = str((DEMO.parent / cam["source"]["url"]).resolve())
    return data


def test_every_validation_error_is_listed_not_only_the_first(tmp_path):
    data = demo_data()
    rule = data["cameras"][0]["rules"][0]
    rule["dwel_s"] = rule.pop("dwell_s")  # a typo: the field is missing and an unknown one appears
    data["cameras"][1]["source"]["fps_cap"] = -1
    with pytest.raises(ConfigError) as e:
        load_config(write(tmp_path, with_samples(data)))
    text = str(e.value)
    assert "dwell_s" in text and "dwel_s" in text and "fps_cap" in text and "more)" not in text, text


def test_check_refuses_unknown_class_names_and_missing_files_listing_each(tmp_path):
    data = with_samples(demo_data())
    data["cameras"][0]["rules"][0]["classes"] = ["persn"]
    data["cameras"][1]["source"]["url"] = str(tmp_path / "missing.mp4")
    r = check(write(tmp_path, data))
    assert r.returncode != 0, r.stdout + r.stderr
    out = r.stdout + r.stderr
    assert "persn" in out and "person" in out and "cameras.0.rules.0.classes" in out, out
    assert "missing.mp4" in out and "cameras.1" in out, out


def test_check_passes_a_good_config_copied_elsewhere_and_run_from_another_folder(tmp_path):
    folder = tmp_path / "site" / "conf"
    folder.mkdir(parents=True)
    shutil.copytree(REPO / "samples", tmp_path / "site" / "samples")
    copied = folder / "demo.yaml"
    shutil.copy(DEMO, copied)  # relative source paths ("../samples/…") resolve against the file, not the cwd
    r = check(copied, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ok" in r.stdout.lower()
