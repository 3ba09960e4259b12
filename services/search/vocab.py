"""Search vocabulary: incident-type phrases, object-class synonyms and colour names, in one place."""

from __future__ import annotations

import re

from citylens.contracts.rules import TYPE_WORDS as RULE_TYPE_WORDS

# Phrase -> incident type. Multi-word phrases are matched before single words (longest first), so
# "hanging around" wins over "around" and "double parked" over "parked".
TYPE_PHRASES: dict[str, str] = {
    "loitering": "loitering", "loiter": "loitering", "loitered": "loitering", "loiterer": "loitering",
    "hanging around": "loitering", "hanging about": "loitering", "lingering": "loitering",
    "wrong way": "wrong_way", "wrong-way": "wrong_way", "wrong direction": "wrong_way",
    "against traffic": "wrong_way", "ghost driver": "wrong_way",
    "stopped": "stopped_vehicle", "stopping": "stopped_vehicle", "broken down": "stopped_vehicle",
    "broke down": "stopped_vehicle", "stalled": "stopped_vehicle", "stationary": "stopped_vehicle",
    "parked illegally": "illegal_parking", "illegally parked": "illegal_parking", "double parked": "illegal_parking",
    "double-parked": "illegal_parking", "illegal parking": "illegal_parking", "parking violation": "illegal_parking",
    "speeding": "speeding", "fast": "speeding", "too fast": "speeding", "speeder": "speeding", "racing": "speeding",
    "crowd": "crowding", "crowding": "crowding", "crowded": "crowding", "gathering": "crowding",
    "jam": "congestion", "traffic jam": "congestion", "traffic": "congestion", "congestion": "congestion",
    "congested": "congestion", "gridlock": "congestion", "queue": "congestion",
    "intrusion": "intrusion", "intruder": "intrusion", "trespass": "intrusion", "trespassing": "intrusion",
    "trespasser": "intrusion", "break in": "intrusion", "broke in": "intrusion",
    "abandoned bag": "abandoned_object", "abandoned object": "abandoned_object", "left luggage": "abandoned_object",
    "unattended bag": "abandoned_object", "abandoned luggage": "abandoned_object", "abandoned": "abandoned_object",
    "unattended": "abandoned_object", "left behind": "abandoned_object", "suspicious package": "abandoned_object",
    "crossed the tripwire": "tripwire", "tripwire": "tripwire", "crossed the line": "tripwire",
    "line crossing": "tripwire", "crossed the tripwire line": "tripwire",
}

# Words spoken for each incident type, written into the indexed document so keyword and semantic
# search can hit the type even when the caption does not name it: declared with each rule type's model.
TYPE_WORDS: dict[str, str] = dict(RULE_TYPE_WORDS)

# Spoken word -> COCO classes it may mean: the one synonym table (the captioner's old class -> words table,
# which said a van is only a truck, is folded in). A van is a car or a truck to YOLO; a bike is either kind.
# Lower-case, singular. Ordinary words that are synonyms only in a caption's context ("case", "auto") stay out.
CLASS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "person": ("person",), "people": ("person",), "pedestrian": ("person",), "man": ("person",),
    "woman": ("person",), "men": ("person",), "women": ("person",), "child": ("person",), "kid": ("person",),
    "someone": ("person",), "somebody": ("person",), "individual": ("person",), "guy": ("person",),
    "human": ("person",),
    "car": ("car",), "sedan": ("car",), "suv": ("car",), "taxi": ("car",), "cab": ("car",), "hatchback": ("car",),
    "automobile": ("car",),
    "van": ("car", "truck"), "minivan": ("car", "truck"), "pickup": ("truck",),
    "truck": ("truck",), "lorry": ("truck",), "hgv": ("truck",),
    "bus": ("bus",), "coach": ("bus",), "minibus": ("bus",),
    "bike": ("bicycle", "motorcycle"), "bicycle": ("bicycle",), "cyclist": ("bicycle",), "cycle": ("bicycle",),
    "motorcycle": ("motorcycle",), "motorbike": ("motorcycle",), "scooter": ("motorcycle",), "moped": ("motorcycle",),
    "vehicle": ("car", "truck", "bus", "motorcycle"),
    "bag": ("backpack", "handbag", "suitcase"), "backpack": ("backpack",), "rucksack": ("backpack",),
    "handbag": ("handbag",), "purse": ("handbag",), "suitcase": ("suitcase",),
    "luggage": ("suitcase", "backpack", "handbag"),
}

# Class -> extra words for the indexed document (the reverse of CLASS_SYNONYMS, plus the class itself).
CLASS_WORDS: dict[str, str] = {
    "person": "person pedestrian people someone",
    "car": "car vehicle sedan van",
    "truck": "truck lorry van vehicle",
    "bus": "bus coach vehicle",
    "bicycle": "bicycle bike cyclist",
    "motorcycle": "motorcycle motorbike bike scooter",
    "backpack": "backpack bag",
    "handbag": "handbag bag",
    "suitcase": "suitcase luggage bag",
}

# Spoken colour -> canonical colour as stored (facts.colour is normalised the same way at index time).
COLOURS: dict[str, str] = {
    "white": "white", "black": "black",
    "grey": "grey", "gray": "grey", "silver": "grey",
    "red": "red", "maroon": "red", "orange": "orange", "yellow": "yellow", "gold": "yellow",
    "green": "green", "blue": "blue", "navy": "blue", "brown": "brown", "beige": "beige", "tan": "beige",
    "cream": "beige", "purple": "purple", "violet": "purple", "pink": "pink",
}

STOP_WORDS: frozenset[str] = frozenset(
    """a an the in on at of to for from by with and or but is are was were be been being it its this that these
    those there here any some all show me find list get give search look looking for incidents incident events
    event what which who where when did do does has have had near around into onto over under about camera cam
    please can you i we any anything something seen see saw spotted happened happen one ones s""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits, inner apostrophes and hyphens kept)."""
    return [t.lower() for t in _WORD.findall(text)]


def singular(word: str) -> str:
    """Crude English singular for vocabulary look-ups ("vans" -> "van", "buses" -> "bus")."""
    if len(word) > 4 and word.endswith("ses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def canonical_colour(value: object) -> str | None:
    """Map a stored or spoken colour ("Gray", "silver") onto the canonical name, or None."""
    if not isinstance(value, str):
        return None
    return COLOURS.get(value.strip().lower())
