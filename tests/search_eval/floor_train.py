"""Extra labelled questions to LEARN the "nothing matches" floor from (calibrate.py), besides the dev half: the
example wordings of ``services/search/floor_examples.py`` (kept apart from the parser's tables and the evaluation's
lists; ``test_search_eval_city.py`` checks that) alone and with a place and a time added.
"""

from __future__ import annotations

import random

# the labelled wordings live with the floor that reads them (services/search/floor_examples.py)
from services.search.floor_examples import ANSWERABLE, BROWSE, UNANSWERABLE

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
    for ask in BROWSE:  # a request to go through a place's or a time's incidents: with a place, a time or both
        place, when = _PLACES[rng.choice(list(_PLACES))], rng.choice(_TIMES[2:])
        out.append((" ".join(x for x in rng.choice([(ask, place), (ask, when), (ask, place, when)]) if x), True))
    for thing in UNANSWERABLE:
        out.append((thing, False))
        out.append((" ".join(x for x in (thing, _PLACES[rng.choice(list(_PLACES))], rng.choice(_TIMES)) if x), False))
    return out
