"""The error hierarchy; declared once in :mod:`citylens.contracts.errors` and re-exported for pipeline code."""

from citylens.contracts.errors import (CitylensError, ConfigError, ContractError, EndOfStream, IllegalStateTransition,
                                       ModelLoadError, SourceConnectionError, SourceError, TransportError,
                                       UnsupportedSourceError)

__all__ = ["CitylensError", "ConfigError", "ContractError", "EndOfStream", "IllegalStateTransition", "ModelLoadError",
           "SourceConnectionError", "SourceError", "TransportError", "UnsupportedSourceError"]
