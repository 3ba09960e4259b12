"""Zones in pixels (supervision PolygonZone on each zone's triggering anchors) and intrusion schedules."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import supervision as sv

from pipeline.config import ScheduleConfig, ZoneConfig
from pipeline.rules.geometry import to_pixels

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ZoneSet:
    """The camera's zones converted to pixels once; ``masks`` says which boxes stand in which zone.

    "In the zone" means every one of the zone's ``anchors`` is inside the polygon; the default bottom-centre
    (where a person or vehicle touches the ground) keeps a tall person in front of a zone from counting as
    inside it, ``center`` suits top-down cameras.

    Example:
        >>> z = ZoneConfig(name="a", polygon=[(0, 0), (0.5, 0), (0.5, 1), (0, 1)])
        >>> ZoneSet([z], (100, 100)).masks(np.array([[10.0, 10, 20, 50], [60, 10, 70, 50]]))["a"].tolist()
        [True, False]
    """

    def __init__(self, zones: list[ZoneConfig], frame_size: tuple[int, int]) -> None:
        self.configs = {z.name: z for z in zones}
        self._zones = {
            z.name: sv.PolygonZone(
                polygon=np.round(to_pixels(z.polygon, frame_size)).astype(np.int64),
                triggering_anchors=tuple(sv.Position[a.upper()] for a in z.anchors),
            )
            for z in zones
        }

    def names(self, kind: str) -> list[str]:
        return [n for n, z in self.configs.items() if z.kind == kind]

    def masks(self, xyxy: np.ndarray) -> dict[str, np.ndarray]:
        if len(xyxy) == 0:
            return {name: np.zeros(0, dtype=bool) for name in self._zones}
        det = sv.Detections(xyxy=np.asarray(xyxy, dtype=np.float32))
        return {name: np.asarray(zone.trigger(det), dtype=bool) for name, zone in self._zones.items()}


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def in_schedule(schedule: ScheduleConfig | None, ts: float, tz: ZoneInfo) -> bool:
    """Whether local time at ``ts`` falls in the schedule; None = always.

    ``start == end`` means the whole day. A window that wraps midnight (22:00-06:00) belongs to the day it
    starts on, so ``days: [fri]`` covers Friday 22:00 to Saturday 06:00.

    Example:
        >>> from datetime import timezone
        >>> s = ScheduleConfig(start="22:00", end="06:00", days=["fri"])
        >>> sat_3am = datetime(2024, 6, 1, 3, 0, tzinfo=timezone.utc).timestamp()  # a Saturday
        >>> in_schedule(s, sat_3am, ZoneInfo("UTC"))
        True
    """
    if schedule is None:
        return True
    local = datetime.fromtimestamp(ts, tz)
    now = local.hour * 60 + local.minute
    start, end = _minutes(schedule.start), _minutes(schedule.end)
    day = local
    if start == end:
        inside = True
    elif start < end:
        inside = start <= now < end
    elif now >= start:
        inside = True
    elif now < end:
        inside = True
        day = local - timedelta(days=1)  # early-morning part of yesterday's overnight window
    else:
        inside = False
    if not inside:
        return False
    return schedule.days is None or _DAYS[day.weekday()] in schedule.days
