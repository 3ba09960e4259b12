"""Environment settings of the center (``CITYLENS_…``), built in the app factory, never at import time."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from pathlib import Path

from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

_PLACEHOLDER_TOKENS = {"changeme", "change-me", "secret", "token", "xxx", "test"}


def _default_consumer() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


# Settings that the deployment YAML also declares: (section, key) in the config -> Settings field.
YAML_FIELDS = {
    "api_host": ("api", "host"), "api_port": ("api", "port"),
    "store_url": ("store", "url"), "media_dir": ("store", "media_dir"), "retention_days": ("store", "retention_days"),
    "redis_url": ("redis", "url"), "model_dir": ("models", "model_dir"), "consumer_group": ("redis", "consumer_group"), "claim_idle_ms": ("redis", "claim_idle_ms"),
}


class YamlConfigSource(PydanticBaseSettingsSource):
    """The deployment YAML's values for :data:`YAML_FIELDS`, read from the file named by ``config`` (an argument
    or ``CITYLENS_CONFIG``). Only keys the file sets count, so a setting the file leaves out keeps its default."""

    def __init__(self, settings_cls: type[BaseSettings], init_kwargs: dict[str, Any]) -> None:
        super().__init__(settings_cls)
        self.path = init_kwargs.get("config") or os.environ.get("CITYLENS_CONFIG") or None

    def get_field_value(self, field, field_name):  # pragma: no cover - __call__ does the work
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        if not self.path:
            return {}
        from citylens.contracts.config import load_config

        cfg = load_config(self.path)
        out: dict[str, Any] = {}
        for name, (section, key) in YAML_FIELDS.items():
            part = getattr(cfg, section)
            if key in part.model_fields_set and getattr(part, key) is not None:
                out[name] = getattr(part, key)
        return out


class Settings(BaseSettings):
    """Process settings: the one loader of the API, ingest, edge and demo.

    Precedence, highest first: explicit arguments (CLI flags), the environment (``CITYLENS_<NAME>``, e.g.
    ``CITYLENS_REDIS_URL``), the deployment YAML named by ``config`` (its api, store and redis sections,
    :data:`YAML_FIELDS`), then the defaults here.

    Example:
        >>> Settings(open_mode=True, api_host="127.0.0.1").api_port
        8000
    """

    model_config = SettingsConfigDict(env_prefix="CITYLENS_", extra="ignore")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (init_settings, env_settings, YamlConfigSource(settings_cls, init_settings.init_kwargs),
                dotenv_settings, file_secret_settings)

    config: Path | None = Field(None, description="YAML deployment config; None = defaults only")
    redis_url: str | None = Field(None, description="redis:// URL; None = embedded redis-server under data_dir")
    model_dir: str | None = Field(None, description="where model names resolve (embeddings, detector)")
    embedding_model: Literal["all-MiniLM-L6-v2", "multilingual-e5-small"] = Field(
        "all-MiniLM-L6-v2", description="search's sentence embeddings: English MiniLM, or multilingual-e5-small "
        "(Chinese/Spanish queries ranked by meaning too; citylens[multilingual]). Changing it re-embeds the index")
    warm_search_reader: bool = Field(True, description="load search's cross-lingual reader (multilingual-e5-small, "
                                     "for Chinese/Spanish 'nothing matches') in the background at API start, so the first "
                                     "zh/es query does not wait ~3 s for it; GET /health reports search_reader")
    store_url: str | None = Field(None, description="SQLAlchemy URL overriding the config's store.url")
    media_dir: str | None = Field(None, description="evidence folder overriding the config's store.media_dir")
    data_dir: Path = Field(Path("./.citylens"), description="embedded Redis data and default store live here")
    api_host: str = Field("127.0.0.1", description="bind address; open_mode requires a loopback address")
    api_port: int = Field(8000, ge=0, le=65535)
    open_mode: bool = Field(False, description="demo only: serve every route without an API key, as admin; refused "
                                               "unless api_host is loopback")
    admin_key: SecretStr | None = Field(None, description="CITYLENS_ADMIN_KEY: stored as an admin key at startup when the "
                                                         "store has no keys yet (bootstrap); >= 32 chars")
    rate_limit_per_s: float = Field(20.0, ge=0, description="sustained requests/s per key (per process); higher lets "
                                                           "dashboards poll faster, lower caps what a leaked key can pull; 0 = off")
    rate_limit_burst: int = Field(60, ge=1, le=100_000, description="requests a key may fire at once before the rate "
                                                                   "applies; raise for UIs that load many images per page")
    auth_fail_rate_per_s: float = Field(1.0, ge=0, description="requests/s a client address may make without a valid "
                                        "key (missing, unknown, revoked) once its burst is spent; bounds key guessing and "
                                        "the store lookups it costs; 0 = off")
    auth_fail_burst: int = Field(30, ge=1, le=100_000, description="requests without a valid key an address may make at "
                                                                  "once before auth_fail_rate_per_s applies")
    max_body_bytes: int = Field(1 << 20, ge=1024, le=64 << 20, description="larger request bodies get 413; lower "
                                                                           "limits memory per request")
    edge_keys: SecretStr | None = Field(None, description="CITYLENS_EDGE_KEYS: JSON object box name -> that box's signing "
                                        "key (each box sets its own as CITYLENS_EDGE_KEY); when set, ingest stores only "
                                        "entries signed by the box that owns the camera")
    max_header_bytes: int = Field(32 << 10, ge=4096, le=1 << 20, description="request line + headers larger than this "
                                  "get 400 and the connection closes (the server parses nothing more); raise only for "
                                  "clients that send very large cookies or tokens")
    retention_days: float | None = Field(None, gt=0, description="overrides the config's store.retention_days; None = "
                                                                 "the config's (None there = keep forever)")
    retention_interval_s: float = Field(3600.0, ge=1, description="how often the API's retention job runs; lower "
                                                                  "deletes closer to the deadline, costs more scans")
    session_ttl_s: float = Field(12 * 3600.0, ge=60, le=30 * 86400, description="browser sign-in lifetime; longer means "
                                                                             "fewer sign-ins, a stolen cookie lasts longer")
    docs_public: bool = Field(False, description="serve /docs, /redoc and /openapi.json without a key (they list routes, "
                                                 "not data)")
    sse_max_streams_per_key: int = Field(8, ge=1, le=1000, description="open /events streams allowed per key; more "
                                                                       "serves more tabs, fewer bounds a leaked key")
    sse_heartbeat_s: float = Field(15.0, ge=0.5, le=300, description="comment ping interval keeping proxies from "
                                                                     "closing idle streams")
    sse_recheck_s: float = Field(5.0, ge=0.1, le=300, description="how often a stream re-checks that its key is still "
                                                                  "active; lower closes revoked streams sooner")
    webhooks: str | None = Field(None, description='CITYLENS_WEBHOOKS: JSON list of {"name", "url", "secret", "types", '
                                                   '"min_severity"}; each gets the incident openings it asks for')
    mqtt_url: str | None = Field(None, description="mqtt://[user:pass@]host:port of a broker; incident openings are "
                                                   "published to <mqtt_topic_prefix>/<camera>/incidents (QoS 1)")
    mqtt_topic_prefix: str = Field("citylens", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_./-]+$")
    alert_max_attempts: int = Field(10, ge=1, le=1000, description="sends per alert before it is marked failed; "
                                                                   "higher rides out longer receiver outages")
    metrics_public: bool = Field(False, description="serve /metrics without a key (scrapers on a private network); "
                                                    "otherwise Prometheus sends a key as a bearer token")
    json_logs: bool = Field(False, description="log one JSON object per line (for log shippers)")
    run_ingest: bool = Field(True, description="run the Redis→store ingestor inside the API process")
    consumer_group: str | None = Field(None, description="overrides the config's redis.consumer_group")
    consumer_name: str = Field(default_factory=_default_consumer, description="unique per ingest process")
    claim_idle_ms: int | None = Field(None, ge=100, description="overrides the config's redis.claim_idle_ms")
    camera_stale_s: float = Field(6.0, gt=0, le=3600, description="GET /cameras reports a camera 'down' when its last "
                                  "health report is older than this; lower notices a lost box sooner, higher "
                                  "tolerates slow links (edges report every 2 s)")

    def box_keys(self) -> dict[str, bytes]:
        """Box name -> signing key from ``edge_keys`` (empty when unset: entries are not checked)."""
        return _box_keys(self.edge_keys.get_secret_value()) if self.edge_keys else {}

    @model_validator(mode="after")
    def _safe_exposure(self) -> "Settings":
        if self.open_mode and not is_loopback(self.api_host):
            raise ValueError(f"open_mode: refused on non-loopback api_host {self.api_host!r}: open mode serves every "
                             "route without a key; bind 127.0.0.1, or turn open_mode off and use API keys")
        self.box_keys()  # a malformed CITYLENS_EDGE_KEYS fails at startup, not at the first entry
        key = self.admin_key.get_secret_value() if self.admin_key else None
        if key is not None and (key.lower() in _PLACEHOLDER_TOKENS or len(key) < 32):
            raise ValueError("admin_key: refusing a placeholder or short (< 32 chars) CITYLENS_ADMIN_KEY; "
                             "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(32))'`")
        return self


class RunSettings(Settings):
    """The settings of a run-scoped command (``citylens demo`` / ``process``): flags > environment > defaults.

    The deployment YAML is not a source here: its store and api sections describe the center, while a demo or
    a ``process`` run keeps its Redis, store and media under its own ``--data-dir`` unless the environment
    (``CITYLENS_STORE_URL``, ``CITYLENS_REDIS_URL``, ...) or a flag names them. The models section still applies
    through :meth:`Settings` built with ``config=`` (see ``citylens.cli``).
    """

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (init_settings, env_settings)


def _box_keys(raw: str) -> dict[str, bytes]:
    try:
        keys = json.loads(raw)
    except ValueError:
        raise ValueError("edge_keys: CITYLENS_EDGE_KEYS must be a JSON object {\"box\": \"key\"}") from None
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) and len(v) >= 32
                                             for k, v in keys.items()):
        raise ValueError("edge_keys: each box needs a key of at least 32 characters")
    return {k: v.encode() for k, v in keys.items()}


def is_loopback(host: str | None) -> bool:
    """True for ``localhost`` and loopback addresses (IPv4-mapped IPv6 included); False for anything else."""
    if host == "localhost":
        return True
    try:
        addr = ipaddress.ip_address((host or "").split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(addr, "ipv4_mapped", None)
    return (mapped or addr).is_loopback


__all__ = ["RunSettings", "Settings", "is_loopback"]
