"""Wire names: Redis stream keys, the center's consumer group and the envelope's extra fields."""

from __future__ import annotations

STREAM_INCIDENTS = "citylens:incidents"
STREAM_COUNTS = "citylens:counts"
STREAM_HEALTH = "citylens:health"
STREAM_CONTROL = "citylens:control"
DATA_STREAMS = (STREAM_INCIDENTS, STREAM_COUNTS, STREAM_HEALTH)
CONSUMER_GROUP = "citylens-center"
SOURCE_FIELD = "src"  # extra entry field naming the publishing box; decoders ignore it

__all__ = ["CONSUMER_GROUP", "DATA_STREAMS", "SOURCE_FIELD", "STREAM_CONTROL", "STREAM_COUNTS", "STREAM_HEALTH",
           "STREAM_INCIDENTS"]
