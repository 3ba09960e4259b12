"""The wire contract between the edge and the center: events, enums, stream names, errors, deployment config.

Imports pydantic (and, lazily, PyYAML to read a config file) only, so the center needs no numpy, OpenCV or
supervision to decode what the edge sends. Both sides import these names from here; nothing here imports
``pipeline``, ``edge_workers`` or ``services``.

Example:
    >>> from citylens.contracts import IncidentFacts
    >>> IncidentFacts(dwell_s=4.0).dwell_s
    4.0
"""

from citylens.contracts.bounds import (MAX_CAPTION_CHARS, MAX_ERROR_CHARS, MAX_FACTS_BYTES, MAX_ID_CHARS, MAX_JPEG_BYTES,
                                       MAX_JPEG_SIDE, MAX_NAME_CHARS, MAX_SEQ_STEP, SAFE_ID_PATTERN, Jpeg, Name, SafeId, check_jpeg)
from citylens.contracts.config import CityConfig, load_config, parse_config, rule_name
from citylens.contracts.enums import EventKind, HealthState, IncidentState, IncidentType, Severity
from citylens.contracts.errors import (CitylensError, ConfigError, ContractError, EndOfStream, IllegalStateTransition,
                                       ModelLoadError, SourceConnectionError, SourceError, TransportError,
                                       UnsupportedSourceError)
from citylens.contracts.events import (ACCEPTED_ENVELOPE_VERSIONS, ENVELOPE_VERSION, CountEvent, Event, HealthEvent,
                                       IncidentBase, IncidentEvent, IncidentFacts, event_from_fields, stream_for, ts_to_dt, utcnow)
from citylens.contracts.filters import FILTER_COLUMNS, IncidentFilter
from citylens.contracts.streams import (CONSUMER_GROUP, DATA_STREAMS, SOURCE_FIELD, STREAM_CONTROL, STREAM_COUNTS,
                                        STREAM_HEALTH, STREAM_INCIDENTS)

__all__ = [
    "MAX_CAPTION_CHARS", "MAX_ERROR_CHARS", "MAX_FACTS_BYTES", "MAX_ID_CHARS", "MAX_JPEG_BYTES", "MAX_JPEG_SIDE",
    "MAX_NAME_CHARS", "MAX_SEQ_STEP", "SAFE_ID_PATTERN", "Jpeg", "Name", "SafeId", "check_jpeg",
    "ACCEPTED_ENVELOPE_VERSIONS", "CONSUMER_GROUP", "DATA_STREAMS", "ENVELOPE_VERSION", "SOURCE_FIELD", "STREAM_CONTROL",
    "STREAM_COUNTS", "STREAM_HEALTH", "STREAM_INCIDENTS", "CitylensError", "CityConfig", "ConfigError", "ContractError",
    "CountEvent", "EndOfStream", "Event", "EventKind", "FILTER_COLUMNS", "HealthEvent", "HealthState", "IllegalStateTransition",
    "IncidentBase", "IncidentFilter", "IncidentEvent", "IncidentFacts", "IncidentState", "IncidentType", "ModelLoadError", "Severity", "SourceConnectionError",
    "SourceError", "TransportError", "UnsupportedSourceError", "event_from_fields", "load_config", "parse_config",
    "rule_name", "stream_for", "ts_to_dt", "utcnow",
]
