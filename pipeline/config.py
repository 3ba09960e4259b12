"""The deployment config; declared once in :mod:`citylens.contracts.config`, re-exported here for edge code."""

from citylens.contracts import config as _contract
from citylens.contracts.config import *  # noqa: F401,F403 - exactly the contract's public names

__all__ = list(_contract.__all__)
