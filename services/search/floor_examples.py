"""Labelled example questions of the "nothing matches" floor (services/search/floor.py), shipped with search.

The floor reads a query's nearest answerable and nearest unanswerable example by meaning (``example_margin``), and
``tests/search_eval/calibrate.py`` learns the floor's constants from the same questions (with place and time words
added, each row's own example held out). Written apart from both the parser's tables (``vocab.py``) and the
evaluation's lists (``tests/search_eval/phrasing.py``, ``blind.py``, ``blind2.py``):
``test_the_floor_training_questions_are_not_evaluation_questions`` checks that none of these is an evaluation question
or shares its undetectable thing. Answerable ones say what the system detects in words no table knows; unanswerable
ones ask for things no rule raises, some with an object class the detector does know ("a bus with a flat tyre").
"""

from __future__ import annotations

# incident type -> operator wordings that leave words the parser does not know
ANSWERABLE: dict[str, list[str]] = {
    "loitering": ["a man who kept pacing up and down", "somebody hovering for a long time",
                  "a person who would not leave", "someone lurking", "a figure standing about for hours",
                  "a suspicious person skulking", "somebody dawdling by the entrance",
                  "a person standing around doing nothing", "a man who stayed far too long",
                  "a youth killing time on the corner"],
    "intrusion": ["someone climbing over the fence", "a person sneaking in", "unauthorised access",
                  "somebody entering a restricted area", "a stranger inside the yard", "someone jumping the gate",
                  "an unauthorised person in the compound", "someone forcing the door",
                  "a person where they should not be", "somebody slipping past security"],
    "crowding": ["lots of people packed together", "many pedestrians bunched up", "a mass of people",
                 "a throng at the entrance", "a horde of people", "people massing", "a large assembly of people",
                 "too many people in one place", "a packed concourse"],
    "stopped_vehicle": ["a car sitting motionless", "a lorry with its hazard lights on",
                        "a vehicle that would not move", "a van blocking the lane", "a breakdown",
                        "a car stuck in the road", "an immobile van", "a car that came to a halt",
                        "a vehicle not moving for minutes", "a lorry that conked out"],
    "illegal_parking": ["a car left on the pavement", "a van on the double yellow lines",
                        "a vehicle in a disabled space", "a car parked without permission",
                        "someone leaving their car in the bike lane", "a parking infringement",
                        "a van left half on the kerb", "a vehicle parked in a no-parking zone",
                        "a vehicle blocking a driveway", "an unlawfully parked van"],
    "wrong_way": ["a car heading the opposite way", "a driver going against the flow",
                  "a motorbike on the wrong side", "a vehicle reversing up the exit",
                  "a driver entering through the exit", "a car travelling the reverse direction",
                  "a motorist going the opposite direction", "a vehicle driving into oncoming cars"],
    "speeding": ["a car doing ninety", "someone driving too quickly", "a motorbike tearing down the road",
                 "vehicles well above the limit", "a lorry flying past", "a driver breaking the limit",
                 "a car zooming past", "a vehicle at excessive speed", "a motorist putting their foot down",
                 "a boy racer"],
    "abandoned_object": ["a bag nobody came back for", "a suitcase sitting alone", "a rucksack without an owner",
                         "an unclaimed parcel", "a holdall on its own", "a package left on a bench",
                         "a briefcase nobody claimed", "a bag forgotten on the platform", "a lone case with no owner"],
    "tripwire": ["someone stepping over the barrier line", "a person passing the boundary",
                 "a cyclist over the marked line", "somebody stepping across the boundary",
                 "a person stepping past the barrier", "a breach of the perimeter line"],
    "congestion": ["cars backed up", "a long line of cars", "vehicles bumper to bumper",
                   "stop-and-go on the carriageway", "a build-up of vehicles", "slow-moving cars", "a snarl-up",
                   "cars crawling along", "a long line of vehicles waiting", "rush hour hold-ups"],
}
# Requests to go through what the cameras recorded, in report and radio words no table knows ("a rundown", "the
# log"): the question asks what happened at a place or in a time, names no thing, and always has an answer when
# something happened there then. ``floor_train`` adds a place and a time to each.
BROWSE: list[str] = [
    "a rundown", "a quick recap", "an overview please", "the history", "a timeline", "a status update", "a briefing",
    "a roundup", "the goings-on", "whatever was filmed", "review the cameras", "the feed", "what the cameras recorded",
    "any developments", "what kicked off", "the situation", "catch me up", "a playback",
    "anything out of the ordinary", "the tally", "a synopsis", "occurrences", "an account", "what the cameras spotted",
    "notable moments", "a wrap-up", "the day's record", "the highlights", "the readout", "the daily sheet",
]
# things no rule raises (none of them is in phrasing.NO_ANSWER_EN)
UNANSWERABLE: list[str] = [
    "a fox", "hailstones", "fireworks", "a pigeon on the ledge",
    "ice on the pavement", "a clogged gutter", "a wobbly scaffolding tower", "a gas leak", "an earthquake", "a rainbow",
    "a leaking roof", "a bin smouldering", "a rat", "an overflowing bin", "a balloon", "a car with a smashed windscreen",
    "a bus with a flat tyre", "a man juggling", "a woman playing guitar", "a lorry shedding its cargo", "an oil spill",
    "a motorbike popping a wheelie", "a taxi with a dented bonnet", "a person taking photos", "someone feeding the ducks",
    "a sinkhole", "shattered glass on the pavement", "a toppled lamp post", "an elevator out of service", "a punctured tyre",
    "a lightning strike",
    "a swarm of bees", "a goat", "a cow on the tarmac", "a squirrel", "thick fog", "heavy rain", "a signpost knocked flat",
    "a lost wallet", "a busker", "a wedding party", "a van with surfboards on the roof", "a child crying",
    "someone selling flowers", "a man with a megaphone", "a spilled coffee", "a flat battery", "an ice cream van jingle",
    "a hedgehog", "a bonfire", "a purse snatcher", "a vandalised bench", "litter on the pavement", "a dead badger",
    "a tractor ploughing", "a helicopter landing", "a seagull", "frost on the windscreen", "a heatwave",
    "a marathon runner", "a skateboarder performing stunts", "a person on stilts", "a parade float", "a sandstorm",
    "a car with one headlight", "a bus plastered with posters", "a van painted with flowers", "a man in a clown costume",
    "a cyclist with no headgear", "a taxi with its boot up", "a person carrying a surfboard", "a mural",
    "a mobile phone dropped", "a hot air balloon", "a wasp nest", "a billboard blown over", "a leaking hydrant",
    "a faulty vending machine", "a woman knitting", "a choir singing", "a chalk drawing", "a cracked kerb",
    "someone jogging with a pram", "a lorry with a crane arm", "a motorbike with a sidecar", "a car horn blaring",
    "a man asleep on a bench",
]
