"""The control-room HTTP API."""

from services.api.app import create_app

__all__ = ["create_app"]
