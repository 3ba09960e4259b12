"""Enumerations shared by the edge, the wire and the center (values are what travels and what is stored)."""

from __future__ import annotations

from enum import Enum

from citylens.contracts.rules import RULE_TYPES


# What kind of rule raised an incident: one value per rule type, derived from the rule models
# (``citylens.contracts.rules.RULE_CONFIGS``) so that adding a rule type cannot forget the enum.
IncidentType = Enum("IncidentType", [(t.upper(), t) for t in RULE_TYPES], type=str, module=__name__,
                    qualname="IncidentType")
IncidentType.__doc__ = "What kind of rule raised an incident; one value per rule type of the config."


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
    # No health for a while (its box or worker is gone): set by the edge supervisor when a box's Ray node
    # dies, and by the API for a camera whose last report is older than ``camera_stale_s``.
    DOWN = "down"


class EventKind(str, Enum):
    """The ``kind`` field of a stream entry: which event model decodes its ``json`` field."""

    INCIDENT = "incident"
    COUNT = "count"
    HEALTH = "health"


__all__ = ["EventKind", "HealthState", "IncidentState", "IncidentType", "Severity"]
