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
