"""Enumerations shared by the edge, the wire and the center (values are what travels and what is stored)."""

from __future__ import annotations

from enum import Enum


class IncidentType(str, Enum):
    """What kind of rule raised an incident; one value per rule type of the config."""

    INTRUSION = "intrusion"
    LOITERING = "loitering"
    CROWDING = "crowding"
    STOPPED_VEHICLE = "stopped_vehicle"
    ILLEGAL_PARKING = "illegal_parking"
    WRONG_WAY = "wrong_way"
    SPEEDING = "speeding"
    ABANDONED_OBJECT = "abandoned_object"
    TRIPWIRE = "tripwire"
    CONGESTION = "congestion"


class IncidentState(str, Enum):
    """Lifecycle of one incident: opened → updated … → closed."""

    OPENED = "opened"
    UPDATED = "updated"
    CLOSED = "closed"


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class HealthState(str, Enum):
    """A camera's state as its health events report it."""

    STARTING = "starting"
    STREAMING = "streaming"
    RECONNECTING = "reconnecting"
    ENDED = "ended"
    FAILED = "failed"
    STOPPED = "stopped"
    UNREACHABLE = "unreachable"  # the edge supervisor could not ask the camera's worker (dead or restarting)


class EventKind(str, Enum):
    """The ``kind`` field of a stream entry: which event model decodes its ``json`` field."""

    INCIDENT = "incident"
    COUNT = "count"
    HEALTH = "health"


__all__ = ["EventKind", "HealthState", "IncidentState", "IncidentType", "Severity"]
