"""One settings loader, one precedence: arguments > CITYLENS_* environment > the deployment YAML > defaults."""

from __future__ import annotations

from pathlib import Path

from services.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "configs" / "demo.yaml"  # sets store.url and api.port, leaves redis.url null


def test_the_yaml_beats_the_defaults_and_a_key_it_leaves_out_keeps_the_default(monkeypatch):
    monkeypatch.delenv("CITYLENS_STORE_URL", raising=False)
    monkeypatch.delenv("CITYLENS_REDIS_URL", raising=False)
    s = Settings(config=CONFIG)
    assert s.store_url == "sqlite:///./.citylens/demo.db" and s.redis_url is None


def test_the_environment_beats_the_yaml_for_every_setting_the_yaml_declares(monkeypatch):
    monkeypatch.setenv("CITYLENS_STORE_URL", "sqlite:///env.db")
    monkeypatch.setenv("CITYLENS_API_PORT", "9001")
    s = Settings(config=CONFIG)
    assert (s.store_url, s.api_port) == ("sqlite:///env.db", 9001)


def test_arguments_beat_the_environment_and_the_config_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CITYLENS_CONFIG", str(CONFIG))
    monkeypatch.setenv("CITYLENS_API_PORT", "9001")
    monkeypatch.delenv("CITYLENS_STORE_URL", raising=False)
    s = Settings(api_port=9002)
    assert s.api_port == 9002 and s.store_url == "sqlite:///./.citylens/demo.db"


def test_model_dir_follows_the_same_precedence_environment_over_the_yaml(monkeypatch, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(CONFIG.read_text().replace("models:\n", "models:\n  model_dir: /from/yaml\n", 1))
    monkeypatch.delenv("CITYLENS_MODEL_DIR", raising=False)
    assert Settings(config=cfg).model_dir == "/from/yaml"
    monkeypatch.setenv("CITYLENS_MODEL_DIR", "/from/env")
    assert Settings(config=cfg).model_dir == "/from/env"  # the config's own docs promise the env overrides it


def test_a_run_scoped_command_reads_the_environment_but_not_the_center_yaml(monkeypatch):
    from services.settings import RunSettings

    monkeypatch.setenv("CITYLENS_CONFIG", str(CONFIG))  # names the center's store: a demo run must not write there
    monkeypatch.delenv("CITYLENS_STORE_URL", raising=False)
    assert RunSettings().store_url is None
    monkeypatch.setenv("CITYLENS_STORE_URL", "sqlite:///env.db")
    assert RunSettings().store_url == "sqlite:///env.db"
    assert RunSettings(store_url="sqlite:///flag.db").store_url == "sqlite:///flag.db"


def test_no_command_reads_citylens_settings_from_os_environ_directly():
    """The CLI, demo, process and edge supervisor take CITYLENS_* settings from the one loader."""
    import re

    pattern = re.compile(r"os\.environ(?:\.get)?\(?\[?[\"']CITYLENS_(?:STORE_URL|REDIS_URL|MEDIA_DIR|ADMIN_KEY|MODEL_DIR)")
    offenders = [str(p.relative_to(REPO)) for d in ("citylens", "edge_workers", "services")
                 for p in (REPO / d).rglob("*.py") if "bench" not in p.parts and pattern.search(p.read_text())]
    assert offenders == [], offenders
