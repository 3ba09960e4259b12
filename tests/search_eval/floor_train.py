"""Extra labelled questions to LEARN the "nothing matches" floor from (calibrate.py), besides the dev half.

Written apart from both the parser's tables (``services/search/vocab.py``) and the evaluation's own lists
(``phrasing.py``): ``test_search_eval_city.py`` checks that none of these is an evaluation question or shares its
undetectable thing. Answerable ones say what the system detects in words no table knows; unanswerable ones ask
for things no rule raises, some with an object class the detector does know ("a bus with a flat tyre").
"""

from __future__ import annotations

import random

# incident type -> operator wordings that leave words the parser does not know
ANSWERABLE: dict[str, list[str]] = {
    "loitering": ["a man who kept pacing up and down", "somebody hovering for a long time", "a person who would not leave",
                  "someone lurking", "a figure standing about for hours"],
    "intrusion": ["someone climbing over the fence", "a person sneaking in", "unauthorised access",
                  "somebody entering a restricted area", "a stranger inside the yard"],
    "crowding": ["lots of people packed together", "many pedestrians bunched up", "a mass of people",
                 "a throng at the entrance"],
    "stopped_vehicle": ["a car sitting motionless", "a lorry with its hazard lights on", "a vehicle that would not move",
                        "a van blocking the lane", "a breakdown"],
    "illegal_parking": ["a car left on the pavement", "a van on the double yellow lines", "a vehicle in a disabled space",
                        "a car parked without permission", "someone leaving their car in the bike lane"],
    "wrong_way": ["a car heading the opposite way", "a driver going against the flow", "a motorbike on the wrong side",
                  "a vehicle reversing up the exit"],
    "speeding": ["a car doing ninety", "someone driving too quickly", "a motorbike tearing down the road",
                 "vehicles well above the limit", "a lorry flying past"],
    "abandoned_object": ["a bag nobody came back for", "a suitcase sitting alone", "a rucksack without an owner",
                         "an unclaimed parcel"],
    "tripwire": ["someone stepping over the barrier line", "a person passing the boundary", "a cyclist over the marked line"],
    "congestion": ["cars backed up", "a long line of cars", "vehicles bumper to bumper", "stop-and-go on the carriageway",
                   "a build-up of vehicles"],
}
# things no rule raises (none of them is in phrasing.NO_ANSWER_EN)
UNANSWERABLE: list[str] = [
    "a fox", "hailstones", "a street lamp out", "a missing manhole cover", "fireworks", "a pigeon on the ledge",
    "ice on the pavement", "a blocked drain", "collapsed scaffolding", "a gas leak", "an earthquake", "a rainbow",
    "a leaking roof", "a bin smouldering", "a rat", "an overflowing bin", "a balloon", "a car with a smashed windscreen",
    "a bus with a flat tyre", "a man juggling", "a woman playing guitar", "a lorry spilling its load", "an oil spill",
    "a motorbike doing a wheelie", "a taxi with a dented bonnet", "a person taking photos", "someone feeding the ducks",
    "a sinkhole", "shattered glass on the pavement", "a toppled lamp post", "a lift out of order", "a punctured tyre", "a lightning strike",
    "a swarm of bees", "a goat", "a cow on the road", "a squirrel", "thick fog", "heavy rain", "a road sign knocked down",
    "a lost wallet", "a busker", "a wedding party", "a van with surfboards on the roof", "a child crying",
    "someone selling flowers", "a man with a megaphone", "a spilled coffee", "a flat battery", "an ice cream van jingle",
]
_PLACES = {"cam-tram": "at the tram stop", "cam-carpark": "in the car park", "cam-depot": "at the depot",
           "cam-ring": "on the ring road", "cam-school": "at the school crossing", "cam-station": "at the station",
           "cam-harbour": "at the harbour", "cam-market": "in the old town"}
_TIMES = ["", "", "yesterday", "this morning", "last night", "on Monday", "in the past 3 hours"]


def generate(cameras, seed: int = 7) -> list[tuple[str, bool]]:
    """(question, has an answer) pairs; answerable ones name a camera whose rules raise that type."""
    rng = random.Random(seed)
    out: list[tuple[str, bool]] = []
    for type_, phrases in ANSWERABLE.items():
        cams = [c.id for c in cameras if any(t == type_ for t, _ in c.rules) and c.id in _PLACES]
        for ph in phrases:
            out.append((ph, True))
            place = _PLACES[rng.choice(cams)] if cams else ""
            out.append((" ".join(x for x in (ph, place, rng.choice(_TIMES)) if x), True))
    for thing in UNANSWERABLE:
        out.append((thing, False))
        out.append((" ".join(x for x in (thing, _PLACES[rng.choice(list(_PLACES))], rng.choice(_TIMES)) if x), False))
    return out
