"""Rule types as the config declares them: one model per type, with its search words; the rest derives from them.

``RULE_CONFIGS`` is the list of rule types. The config's ``RuleConfig`` union, the ``IncidentType`` enum
(``citylens.contracts.enums``) and the search words per type (``TYPE_WORDS``) are derived from it; the edge's
rule modules register their evaluator, default classes and caption phrase under the same ``type``
(``pipeline/rules/registry.py``, which a test keeps in step with this list). Adding a rule type: a model here,
a module there.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Class groups usable wherever a list of classes is configured (rules, lines): a vehicle the detector
# flickers between car / truck / bus keeps matching ``vehicle`` (and counts once: crossings are per object).
CLASS_GROUPS: dict[str, tuple[str, ...]] = {
    "vehicle": ("car", "truck", "bus", "motorcycle", "van"),
    "bag": ("backpack", "handbag", "suitcase"),
}


def expand_classes(names: list[str] | None) -> list[str] | None:
    """Class names with group names (``vehicle``, ``bag``) replaced by their members, order kept, no repeats."""
    if names is None:
        return None
    out: list[str] = []
    for n in names:
        for m in CLASS_GROUPS.get(n, (n,)):
            if m not in out:
                out.append(m)
    return out


class _RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)

    words: ClassVar[str] = ""  # search words written into each incident's indexed document

    name: str | None = Field(None, description="defaults to '<type>:<zone or line>'")
    classes: list[str] | None = Field(
        None, description="object classes this rule watches (groups allowed: 'vehicle', 'bag'); None = all"
    )
    severity: Literal["info", "warning", "critical"] = "warning"
    close_after_s: float = Field(2.0, ge=0, le=600, description="condition must be absent this long before closing; resists flicker")

    _groups = field_validator("classes")(classmethod(lambda cls, v: expand_classes(v)))


class ScheduleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)

    start: str = Field(pattern=r"^\d{2}:\d{2}$", description="HH:MM local time")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] | None = None


class IntrusionRule(_RuleBase):
    type: Literal["intrusion"]
    words: ClassVar[str] = "intrusion trespass intruder, someone entered a restricted or closed area without permission"
    zone: str
    schedule: ScheduleConfig | None = None
    severity: Literal["info", "warning", "critical"] = "critical"


class LoiteringRule(_RuleBase):
    type: Literal["loitering"]
    words: ClassVar[str] = "loitering person hanging around lingering, staying in one place for a long time"
    zone: str
    dwell_s: float = Field(gt=0, le=86400)


class CrowdingRule(_RuleBase):
    type: Literal["crowding"]
    words: ClassVar[str] = "crowding crowd gathering many people"
    zone: str
    max_count: int = Field(ge=1, le=10000)
    min_duration_s: float = Field(2.0, ge=0)


class CongestionRule(_RuleBase):
    type: Literal["congestion"]
    words: ClassVar[str] = "congestion traffic jam queue slow traffic, vehicles backed up bumper to bumper"
    zone: str
    max_count: int = Field(ge=1, le=10000)
    max_mean_speed_px_s: float = Field(20.0, gt=0, description="mean speed below which the zone counts as jammed")
    min_duration_s: float = Field(10.0, ge=0)


class StoppedVehicleRule(_RuleBase):
    type: Literal["stopped_vehicle"]
    words: ClassVar[str] = "stopped vehicle stationary broken down stalled"
    zone: str | None = Field(None, description="watch only inside this zone; None = whole frame")
    still_s: float = Field(gt=0, le=86400)
    max_motion: float = Field(0.02, gt=0, le=1, description="max drift of the box centre, in box diagonals, to count as still")


class IllegalParkingRule(_RuleBase):
    type: Literal["illegal_parking"]
    words: ClassVar[str] = "illegal parking parked illegally double parked"
    zone: str
    dwell_s: float = Field(gt=0, le=86400)
    max_motion: float = Field(0.02, gt=0, le=1)


class WrongWayRule(_RuleBase):
    type: Literal["wrong_way"]
    words: ClassVar[str] = "wrong way driving against traffic wrong direction, driver going the opposite way"
    zone: str
    min_travel: float = Field(0.05, gt=0, le=1, description="normalised distance travelled before judging direction")
    max_angle_deg: float = Field(100.0, gt=0, le=180, description="angle from allowed direction beyond which travel is wrong-way")


class SpeedingRule(_RuleBase):
    type: Literal["speeding"]
    words: ClassVar[str] = "speeding fast vehicle over the limit"
    zone: str | None = None
    limit_kmh: float = Field(gt=0, le=400)
    window_s: float = Field(1.0, gt=0, le=10, description="speed is measured over this window; longer is smoother")


class AbandonedObjectRule(_RuleBase):
    type: Literal["abandoned_object"]
    words: ClassVar[str] = "abandoned object unattended bag left luggage"
    zone: str | None = None
    still_s: float = Field(gt=0, le=86400)
    owner_radius: float = Field(0.1, gt=0, le=1, description="normalised radius: a person within it means attended")
    max_motion: float = Field(0.05, gt=0, le=1)
    left_objects: bool = Field(True, description="also watch objects the detector does not box: a new, still "
                               "patch of picture a person left (pipeline.left_objects), as class 'object'")


class TripwireRule(_RuleBase):
    type: Literal["tripwire"]
    words: ClassVar[str] = "tripwire line crossing crossed the line"
    line: str
    direction: Literal["in", "out", "both"] = "both"
    severity: Literal["info", "warning", "critical"] = "critical"


RULE_CONFIGS: tuple[type[_RuleBase], ...] = (
    IntrusionRule, LoiteringRule, CrowdingRule, StoppedVehicleRule, IllegalParkingRule, WrongWayRule, SpeedingRule,
    AbandonedObjectRule, TripwireRule, CongestionRule,
)


def rule_type(model: type[_RuleBase]) -> str:
    """The ``type`` tag of a rule model (its ``Literal``)."""
    return model.model_fields["type"].annotation.__args__[0]


RULE_TYPES: tuple[str, ...] = tuple(rule_type(m) for m in RULE_CONFIGS)
TYPE_WORDS: dict[str, str] = {rule_type(m): m.words for m in RULE_CONFIGS}

RuleConfig = Annotated[Union[RULE_CONFIGS], Field(discriminator="type")]  # noqa: UP007 - a runtime tuple

__all__ = [
    "RULE_CONFIGS", "RULE_TYPES", "TYPE_WORDS", "AbandonedObjectRule", "CongestionRule", "CrowdingRule",
    "IllegalParkingRule", "IntrusionRule", "LoiteringRule", "RuleConfig", "ScheduleConfig", "SpeedingRule",
    "StoppedVehicleRule", "TripwireRule", "WrongWayRule", "rule_type",
]
