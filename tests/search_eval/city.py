"""A generated city deployment (cameras, zones, aliases, descriptions, rules) and ~2,000 incidents over the
last four weeks relative to the real clock, with the facts the rule engine writes and template captions
written when each incident opened (so a closed one still reads its opening duration, as on the edge)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from pipeline.caption.template import template_caption
from pipeline.types import IncidentEvent, IncidentState, IncidentType

TZ = "Europe/Madrid"
DAYS = 28


@dataclass(frozen=True)
class Zone:
    name: str
    description: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Camera:
    id: str
    name: str
    description: str
    aliases: tuple[str, ...]
    zones: tuple[Zone, ...]
    rules: tuple[tuple[str, str | None], ...]  # (incident type, zone or None for the whole frame)
    weight: float = 1.0


# Place names carry class words on purpose ("tram stop", "car park entrance", "bus depot gate", "bike lane",
# "taxi rank"): a search must read them as places, not as object classes.
CAMERAS: tuple[Camera, ...] = (
    Camera("cam-tram", "Market Square Tram Stop", "tram platform and shelters on the east side of Market Square",
           ("market square", "tram stop", "电车站", "parada del tranvía"),
           (Zone("tram platform", "raised platform where passengers board the trams", ("andén del tranvía",)),
            Zone("shelter", "glass shelter beside the newspaper kiosk", ()),
            Zone("tram tracks", "rails crossing the square", ())),
           (("loitering", "shelter"), ("crowding", "tram platform"), ("intrusion", "tram tracks"),
            ("abandoned_object", "shelter"), ("stopped_vehicle", "tram tracks")), 1.2),
    Camera("cam-carpark", "Riverside Car Park", "multi-storey car park by the river, entrance ramp and pay machines",
           ("car park", "parking garage", "停车场", "aparcamiento"),
           (Zone("car park entrance", "barrier and ticket machine at the foot of the ramp", ("entrada del aparcamiento",)),
            Zone("disabled bays", "accessible parking spaces next to the lift", ()),
            Zone("level 2 ramp", "ramp between the first and second floors", ())),
           (("illegal_parking", "disabled bays"), ("stopped_vehicle", "car park entrance"), ("loitering", "level 2 ramp"),
            ("wrong_way", "level 2 ramp"), ("intrusion", "car park entrance")), 1.0),
    Camera("cam-depot", "North Bus Depot", "depot yard where the city buses are parked and washed overnight",
           ("bus depot", "depot", "公交车场", "cochera de autobuses"),
           (Zone("bus depot gate", "staff entrance gate on Foundry Lane", ()),
            Zone("fuel bay", "diesel pumps at the back of the yard", ()),
            Zone("wash line", "bus wash next to the workshop", ())),
           (("intrusion", "bus depot gate"), ("loitering", "bus depot gate"), ("intrusion", "fuel bay"),
            ("tripwire", None), ("stopped_vehicle", "wash line")), 0.8),
    Camera("cam-ring", "Ring Road Km 12", "four-lane ring road with a slip road towards the airport",
           ("ring road", "motorway", "环路", "circunvalación"),
           (Zone("hard shoulder", "emergency lane on the northbound side", ("arcén", "应急车道")),
            Zone("northbound lanes", "main carriageway towards the airport", ()),
            Zone("slip road", "exit ramp to the airport road", ())),
           (("speeding", None), ("stopped_vehicle", "hard shoulder"), ("wrong_way", "slip road"),
            ("congestion", "northbound lanes")), 1.6),
    Camera("cam-school", "Linden School Crossing", "pedestrian crossing in front of Linden primary school",
           ("linden school", "school crossing", "学校", "colegio"),
           (Zone("zebra crossing", "striped crossing outside the school", ("paso de cebra",)),
            Zone("school gate", "main gate of the school yard", ()),
            Zone("bike lane", "painted cycle lane along the school side", ("carril bici",))),
           (("speeding", None), ("illegal_parking", "bike lane"), ("crowding", "school gate"),
            ("stopped_vehicle", "zebra crossing"), ("tripwire", None)), 1.0),
    Camera("cam-station", "Central Station Concourse", "main hall of the central railway station with ticket machines",
           ("central station", "train station", "火车站", "estación central"),
           (Zone("ticket hall", "ticket machines and the information desk", ()),
            Zone("platform 3", "platform for regional trains", ()),
            Zone("lockers", "left-luggage lockers by the west exit", ())),
           (("crowding", "ticket hall"), ("abandoned_object", "lockers"), ("loitering", "lockers"),
            ("intrusion", "platform 3"), ("crowding", "platform 3")), 1.4),
    Camera("cam-harbour", "Harbour Quay", "ferry quay and the container yard fence at the harbour",
           ("harbour", "port", "港口", "puerto"),
           (Zone("quay", "edge of the ferry quay", ()),
            Zone("container yard", "fenced yard with stacked containers", ()),
            Zone("ferry ramp", "vehicle ramp onto the ferry", ())),
           (("intrusion", "container yard"), ("loitering", "quay"), ("congestion", "ferry ramp"),
            ("illegal_parking", "ferry ramp"), ("abandoned_object", "quay")), 0.8),
    Camera("cam-market", "Old Town Market Street", "narrow shopping street with a loading bay and a taxi rank",
           ("market street", "old town", "老城", "casco antiguo"),
           (Zone("loading bay", "delivery bay in front of the supermarket", ("zona de carga",)),
            Zone("taxi rank", "waiting spaces for taxis by the fountain", ()),
            Zone("pedestrian zone", "car-free section between the church and the fountain", ())),
           (("illegal_parking", "loading bay"), ("stopped_vehicle", "taxi rank"), ("intrusion", "pedestrian zone"),
            ("wrong_way", "pedestrian zone"), ("crowding", "pedestrian zone")), 1.2),
)

VEHICLE_TYPES = {"stopped_vehicle", "illegal_parking", "speeding", "wrong_way", "congestion"}
COLOURS = ["white", "black", "grey", "red", "blue", "beige", "green", "yellow", "orange", "brown"]
_COLOUR_W = [20, 18, 14, 9, 9, 10, 5, 4, 3, 3]
_VEH_CLASSES = (["car"] * 12 + ["truck"] * 4 + ["bus"] * 2 + ["motorcycle"] * 2)
_BAGS = ["backpack", "suitcase", "handbag"]
# Hourly activity profile (local): quiet nights, two traffic peaks.
_HOURLY = [1, 1, 1, 1, 1, 2, 4, 8, 10, 7, 6, 6, 7, 6, 6, 7, 9, 10, 8, 6, 5, 4, 3, 2]


@dataclass
class Incident:
    """One generated incident: its revisions as published, and the truth the queries are labelled with."""

    id: str
    camera: Camera
    type: str
    zone: str | None
    cls: str | None
    colour: str | None
    started_at: datetime  # UTC
    facts: dict = field(default_factory=dict)
    revisions: list[IncidentEvent] = field(default_factory=list)

    @property
    def local(self) -> datetime:
        return self.started_at.astimezone(ZoneInfo(TZ))

    @property
    def duration_s(self) -> float:
        return float(self.facts.get("duration_s") or 0.0)


def _class_for(type_: str, rng: random.Random) -> str:
    if type_ in VEHICLE_TYPES:
        return rng.choice(_VEH_CLASSES)
    if type_ == "abandoned_object":
        return rng.choice(_BAGS)
    if type_ == "tripwire":
        return rng.choice(["person"] * 3 + ["bicycle"])
    if type_ == "intrusion":
        return rng.choice(["person"] * 5 + ["car"])
    return "person"


def _facts(type_: str, cam: Camera, rng: random.Random) -> dict:
    """Final (closing) facts, shaped like the rule engine's."""
    f: dict = {}
    if type_ in ("loitering", "stopped_vehicle", "illegal_parking", "abandoned_object"):
        lo, hi = {"loitering": (60, 2400), "stopped_vehicle": (20, 3000), "illegal_parking": (120, 5400),
                  "abandoned_object": (60, 1800)}[type_]
        d = round(rng.triangular(lo, hi, lo * 2), 1)
        f.update(dwell_s=d, duration_s=d)
    elif type_ in ("crowding", "congestion"):
        n = rng.randint(8, 45) if type_ == "crowding" else rng.randint(10, 60)
        d = round(rng.uniform(60, 2700), 1)
        f.update(count=n, max_count=7 if type_ == "crowding" else 9, dwell_s=d, duration_s=d)
    elif type_ == "speeding":
        limit = 50 if cam.id == "cam-school" else rng.choice([80, 100])
        f.update(speed_kmh=round(rng.uniform(limit + 5, limit + 75), 1), limit_kmh=limit,
                 direction=rng.choice(["northbound", "southbound"]), duration_s=round(rng.uniform(1, 4), 1))
    elif type_ == "wrong_way":
        f.update(direction=rng.choice(["northbound", "southbound"]), duration_s=round(rng.uniform(3, 40), 1))
    elif type_ == "tripwire":
        f.update(direction=rng.choice(["in", "out"]), duration_s=0.0)
    else:  # intrusion
        f.update(duration_s=round(rng.uniform(5, 900), 1))
    return f


def _random_time(rng: random.Random, now: datetime) -> datetime:
    local_now = now.astimezone(ZoneInfo(TZ))
    while True:
        day = local_now.date() - timedelta(days=rng.randint(0, DAYS - 1))
        hour = rng.choices(range(24), weights=_HOURLY)[0]
        t = datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=ZoneInfo(TZ))
        if t < local_now - timedelta(minutes=20):
            return t.astimezone(timezone.utc)


def build_city(now: datetime, n: int = 2000, seed: int = 9) -> list[Incident]:
    """``n`` incidents over the ``DAYS`` days before ``now`` (real clock at load time), deterministic per seed
    up to that clock. Every incident has an opened revision (caption written then) and a closed one (final facts,
    caption carried over), like ``pipeline.camera``; the newest few stay open."""
    rng = random.Random(seed)
    cams = list(CAMERAS)
    out: list[Incident] = []
    for i in range(n):
        cam = rng.choices(cams, weights=[c.weight for c in cams])[0]
        type_, zone = rng.choice(cam.rules)
        cls = _class_for(type_, rng)
        colour = rng.choices(COLOURS, weights=_COLOUR_W)[0] if type_ not in ("crowding", "congestion") else None
        at = _random_time(rng, now)
        facts = _facts(type_, cam, rng)
        if colour:
            facts["colour"] = colour
        inc = Incident(str(uuid.UUID(int=rng.getrandbits(128))), cam, type_, zone, cls, colour, at, facts)
        out.append(inc)
    # A few on the last hours so recency and "past 90 minutes" have something to find.
    for inc in rng.sample(out, 12):
        inc.started_at = now - timedelta(minutes=rng.randint(25, 170))
    for inc in out:
        _revisions(inc, rng, now)
    return out


def _revisions(inc: Incident, rng: random.Random, now: datetime) -> None:
    line = "fence line" if inc.type == "tripwire" else None
    base = dict(id=inc.id, type=IncidentType(inc.type), camera_id=inc.camera.id, box="box-" + inc.camera.id[4:],
                rule=f"{inc.type}:{inc.zone or line or 'frame'}", zone=inc.zone, line=line, object_class=inc.cls,
                started_at=inc.started_at)
    opened_facts = {k: v for k, v in inc.facts.items()}
    for key in ("dwell_s", "duration_s"):  # the opening revision knows only the first seconds
        if key in opened_facts:
            opened_facts[key] = min(float(opened_facts[key]), 5.0)
    cap_facts = {**opened_facts, "type": inc.type, "object_class": inc.cls, "zone": inc.zone, "camera": inc.camera.name,
                 "line": line}
    caption = template_caption(cap_facts)
    opened = IncidentEvent(seq=0, state=IncidentState.OPENED, updated_at=inc.started_at, facts=opened_facts,
                           caption=caption, caption_source="template", caption_model="template", **base)
    end = inc.started_at + timedelta(seconds=max(1.0, inc.duration_s))
    if end >= now:
        inc.revisions = [opened]
        return
    closed = IncidentEvent(seq=2, state=IncidentState.CLOSED, updated_at=end, ended_at=end, facts=dict(inc.facts),
                           caption=caption, caption_source="template", caption_model="template", **base)
    inc.revisions = [opened, closed]


def place_vocabulary() -> list[dict]:
    """The deployment's places as the search index is told about them (what a YAML config would carry)."""
    out = []
    for c in CAMERAS:
        out.append({"kind": "camera", "id": c.id, "name": c.name, "aliases": list(c.aliases), "description": c.description})
        for z in c.zones:
            out.append({"kind": "zone", "id": z.name, "name": z.name, "aliases": list(z.aliases), "description": z.description,
                        "camera_id": c.id})
    return out
