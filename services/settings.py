"""Environment settings of the center (``CITYLENS_…``), built in the app factory, never at import time."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_TOKENS = {"changeme", "change-me", "secret", "token", "xxx", "test"}


def _default_consumer() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Settings(BaseSettings):
    """Process settings; each field reads ``CITYLENS_<NAME>`` (e.g. ``CITYLENS_REDIS_URL``).

    Values set here override the YAML config (``config``); unset ones fall back to it, then to defaults.

    Example:
        >>> Settings(open_mode=True, api_host="127.0.0.1").api_port
        8000
    """

    model_config = SettingsConfigDict(env_prefix="CITYLENS_", extra="ignore")

    config: Path | None = Field(None, description="YAML deployment config; None = defaults only")
    redis_url: str | None = Field(None, description="redis:// URL; None = embedded redis-server under data_dir")
    model_dir: str | None = Field(None, description="where model names resolve (embeddings, detector)")
    store_url: str | None = Field(None, description="SQLAlchemy URL overriding the config's store.url")
    media_dir: str | None = Field(None, description="evidence folder overriding the config's store.media_dir")
    data_dir: Path = Field(Path("./.citylens"), description="embedded Redis data and default store live here")
    api_host: str = Field("127.0.0.1", description="bind address; open_mode requires a loopback address")
    api_port: int = Field(8000, ge=0, le=65535)
    open_mode: bool = Field(True, description="dev: no token, loopback only; False requires api_token")
    api_token: SecretStr | None = Field(None, description="bearer token required on every route but /health when set")
    run_ingest: bool = Field(True, description="run the Redis→store ingestor inside the API process")
    consumer_group: str | None = Field(None, description="overrides the config's redis.consumer_group")
    consumer_name: str = Field(default_factory=_default_consumer, description="unique per ingest process")
    claim_idle_ms: int | None = Field(None, ge=100, description="overrides the config's redis.claim_idle_ms")

    @model_validator(mode="after")
    def _safe_exposure(self) -> "Settings":
        if self.open_mode:
            if not _is_loopback(self.api_host):
                raise ValueError(f"api_host: open_mode serves without a token and only on loopback, got {self.api_host!r}")
        else:
            token = self.api_token.get_secret_value() if self.api_token else ""
            if not token:
                raise ValueError("api_token: required when open_mode is off (set CITYLENS_API_TOKEN)")
            if token.lower() in _PLACEHOLDER_TOKENS or len(token) < 16:
                raise ValueError("api_token: refusing a placeholder or short (<16 chars) token outside open_mode")
        return self


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


__all__ = ["Settings"]
