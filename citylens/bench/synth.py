"""Synthetic, realistic incidents (cameras, zones, template captions) for the search evaluation and benchmark."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from citylens.contracts import IncidentEvent

TZ = "Europe/Berlin"

# (camera id, name, [(incident type, zone or None)]) — what each camera's rules can raise.
CAMERAS: list[tuple[str, str, list[tuple[str, str | None]]]] = [
    ("cam-main5", "Main St / 5th Ave", [("stopped_vehicle", "bus lane"), ("illegal_parking", "bus lane"), ("speeding", None),
                                        ("wrong_way", "bus lane"), ("congestion", "crossing"), ("tripwire", "crossing"),
                                        ("stopped_vehicle", "crossing")]),
    ("cam-oak5", "Oak Rd / 5th Ave", [("stopped_vehicle", "bus lane"), ("illegal_parking", "loading bay"), ("speeding", None),
                                      ("congestion", "bus lane"), ("wrong_way", "bus lane")]),
    ("cam-station", "Central Station Hall", [("crowding", "platform"), ("abandoned_object", "platform"), ("loitering", "gate"),
                                             ("intrusion", "gate"), ("tripwire", "gate")]),
    ("cam-cafe", "Riverside Cafe", [("loitering", "table"), ("abandoned_object", "table"), ("crowding", "entrance"),
                                    ("intrusion", "entrance")]),
    ("cam-harbour", "Harbour Gate", [("intrusion", "quay"), ("loitering", "quay"), ("tripwire", "quay"),
                                     ("illegal_parking", "quay")]),
    ("cam-park", "Elm Park Playground", [("loitering", "playground"), ("loitering", "bench"), ("intrusion", "playground"),
                                         ("crowding", "playground"), ("abandoned_object", "bench")]),
]
CAMERA_NAMES = [(cid, name) for cid, name, _ in CAMERAS]
ZONES = sorted({z for _, _, combos in CAMERAS for _, z in combos if z})

VEHICLE_TYPES = {"stopped_vehicle", "illegal_parking", "speeding", "wrong_way", "congestion"}
PERSON_TYPES = {"loitering", "crowding", "intrusion", "tripwire"}
VEHICLE_CLASSES = ["car"] * 6 + ["truck"] * 2 + ["bus", "motorcycle", "bicycle"]
OBJECT_CLASSES = ["backpack", "handbag", "suitcase"]
COLOURS = ["white", "black", "grey", "red", "orange", "yellow", "green", "blue", "brown", "beige", "purple", "pink"]
NOUNS = {
    "car": ["car", "sedan", "hatchback", "estate car"], "truck": ["truck", "lorry", "pickup", "box truck"],
    "bus": ["bus", "coach"], "motorcycle": ["motorbike", "motorcycle"], "bicycle": ["bicycle", "bike"],
    "backpack": ["backpack", "rucksack"], "handbag": ["handbag", "shoulder bag"], "suitcase": ["suitcase", "trolley case"],
    "person": ["person", "man", "woman", "pedestrian"],
}
TEMPLATES = {
    "stopped_vehicle": ["A {colour} {noun} stopped in the {zone}.", "{Colour} {noun} standing still in the {zone} with hazards on.",
                        "A {colour} {noun} has been stationary in the {zone} for several minutes."],
    "illegal_parking": ["A {colour} {noun} parked in the {zone}.", "{Colour} {noun} left parked across the {zone}.",
                        "A {colour} {noun} is parked where parking is not allowed, in the {zone}."],
    "speeding": ["A {colour} {noun} driving fast through the junction.", "{Colour} {noun} well over the speed limit.",
                 "A {colour} {noun} racing past the camera."],
    "wrong_way": ["A {colour} {noun} travelling against the flow in the {zone}.", "{Colour} {noun} driving the wrong direction.",
                  "A {colour} {noun} heading the opposite way to traffic."],
    "congestion": ["Slow queue of vehicles backing up at the {zone}.", "Heavy traffic, cars bumper to bumper at the {zone}.",
                   "Vehicles crawling through the {zone}."],
    "loitering": ["A {noun} in a {colour} jacket lingering near the {zone}.", "Someone in {colour} clothes waiting by the {zone} a long time.",
                  "A {noun} wearing {colour} staying at the {zone} for over ten minutes."],
    "crowding": ["A large group of people gathered on the {zone}.", "Dense crowd forming near the {zone}.",
                 "Many people packed together at the {zone}."],
    "intrusion": ["A {noun} in {colour} entered the restricted {zone} area.", "Someone in a {colour} coat walked into the closed {zone}.",
                  "A {noun} went into the {zone} out of hours."],
    "abandoned_object": ["A {colour} {noun} left alone near the {zone}.", "An unattended {colour} {noun} on the floor by the {zone}.",
                         "A {colour} {noun} nobody has claimed, next to the {zone}."],
    "tripwire": ["A {noun} in {colour} crossed the line at the {zone}.", "Someone wearing {colour} stepped over the {zone} line.",
                 "A {noun} passed the virtual fence at the {zone}."],
}


def class_for(type_: str, rng: random.Random) -> str:
    if type_ in VEHICLE_TYPES:
        return rng.choice(VEHICLE_CLASSES)
    if type_ == "abandoned_object":
        return rng.choice(OBJECT_CLASSES)
    return "person"


def caption_for(type_: str, cls: str, colour: str, zone: str | None, rng: random.Random) -> str:
    t = rng.choice(TEMPLATES[type_])
    noun = rng.choice(NOUNS.get(cls, [cls]))
    return t.format(colour=colour, Colour=colour.capitalize(), noun=noun, zone=zone or "road")


def make_incident(
    iid: str, *, camera_id: str, type_: str, zone: str | None, cls: str | None, colour: str | None, at: datetime,
    caption: str, seq: int = 0,
) -> IncidentEvent:
    facts = {"colour": colour} if colour else {}
    return IncidentEvent(
        id=iid, seq=seq, state="closed", type=type_, camera_id=camera_id, rule=f"{type_}:{zone or 'frame'}", zone=zone,
        object_class=cls, started_at=at, updated_at=at + timedelta(seconds=30), ended_at=at + timedelta(seconds=30),
        facts=facts, caption=caption, caption_source="template",
    )


def random_incident(iid: str, rng: random.Random, start: datetime, end: datetime) -> IncidentEvent:
    """One plausible incident at a random time in [start, end), from a random camera's rules."""
    cam, _, combos = rng.choice(CAMERAS)
    type_, zone = rng.choice(combos)
    cls = class_for(type_, rng)
    colour = rng.choice(COLOURS)
    at = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
    return make_incident(iid, camera_id=cam, type_=type_, zone=zone, cls=cls, colour=colour, at=at,
                         caption=caption_for(type_, cls, colour, zone, rng))
