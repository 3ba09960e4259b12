"""Where the demo config and the sample clips live, for a source checkout and an installed wheel alike.

A wheel carries them as package data under ``citylens/_assets/{configs,samples}`` (``setup.py`` copies the
repository's ``configs/`` and ``samples/`` there at build time); an editable install or a checkout on
``PYTHONPATH`` reads them from the repository root beside the ``citylens`` package. Either way the layout is
the same, so ``demo.yaml``'s ``../samples/…`` source paths resolve.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pipeline.exceptions import ConfigError

DEMO_CONFIG = "configs/demo.yaml"


def asset_root() -> Path:
    """The folder holding ``configs/`` and ``samples/``: the installed package data, else the repository."""
    packaged = Path(str(resources.files("citylens"))) / "_assets"
    if (packaged / DEMO_CONFIG).is_file():
        return packaged
    repo = Path(__file__).resolve().parents[1]
    if (repo / DEMO_CONFIG).is_file():
        return repo
    raise ConfigError(f"the demo config is neither in the installed package ({packaged}) nor in a checkout ({repo}); "
                      "reinstall citylens or pass --config")


def demo_config() -> Path:
    """The demo YAML shipped with citylens (two sample clips on two simulated boxes)."""
    return asset_root() / DEMO_CONFIG


def sample(name: str) -> Path:
    """A shipped sample clip by file name."""
    p = asset_root() / "samples" / name
    if not p.is_file():
        raise ConfigError(f"no sample clip {name!r} in {p.parent}")
    return p


__all__ = ["asset_root", "demo_config", "sample"]
