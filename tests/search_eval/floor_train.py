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


# Questions that name an object class the detector knows beside words no table reads (2026-11-28, helper `floor`):
# the floor used not to judge them at all. Answerable ones qualify the class with what a rule raises, in idiom
# ("for donkey's years", "going like the clappers"); unanswerable ones pair the class with a thing or act no rule
# raises. Written apart from every evaluation set (test_the_floor_training_questions_are_not_evaluation_questions).
CLASS_ANSWERABLE: dict[str, list[str]] = {
    "loitering": ["a bloke mooching about for donkey's years", "a lad leaning on the bollard forever",
                  "a pedestrian dillydallying by the doors"],
    "stopped_vehicle": ["a taxi sat there for yonks", "a lorry conked out in the lane", "a bus marooned mid-carriageway",
                        "a car that just sat there unmoving"],
    "illegal_parking": ["a car slung over the dropped kerb", "a van plonked on the hatching",
                        "a motorbike propped where it should not be"],
    "speeding": ["a motorbike going like the clappers", "a car belting along", "a van hurtling through"],
    "wrong_way": ["a car barrelling up the one-way the other way", "a cyclist riding contraflow"],
    "congestion": ["buses nose to tail", "lorries crawling nose to tail"],
    "crowding": ["pedestrians squashed shoulder to shoulder", "a scrum of pedestrians"],
    "intrusion": ["a pedestrian nipping through the gap in the hoarding", "a bloke hopping over the railings"],
    "abandoned_object": ["a suitcase nobody owned up to"],
}
CLASS_UNANSWERABLE: list[str] = [
    "a van towing a caravan", "a car being winched onto a recovery truck", "a lorry tipping gravel",
    "a person exercising a spaniel", "a man painting a mural", "a woman pushing a wheelchair", "a cyclist balancing a stepladder",
    "a motorbike doing doughnuts", "a person launching a paraglider", "a car with a roof box", "a bus with a dangling wiper",
    "a man fishing off the quay", "a woman handing out leaflets", "a lorry dripping diesel", "people having a picnic",
    "kids with conkers", "a man hauling a rickshaw", "a car caked in mud", "a bus with a cracked mirror",
    "a pedestrian sneezing", "a truck laden with straw", "a car with a learner plate",
]


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
    # class-named questions, each with a place (a camera raising that type for the answerable ones) and a time or none
    crng = random.Random(seed + 1)  # their own stream: the rows above stay as they were
    for type_, phrases in CLASS_ANSWERABLE.items():
        cams = [c.id for c in cameras if any(t == type_ for t, _ in c.rules) and c.id in _PLACES]
        for ph in phrases:
            place = _PLACES[crng.choice(cams)] if cams else ""
            out.append((" ".join(x for x in (ph, place, crng.choice(_TIMES)) if x), True))
    for thing in CLASS_UNANSWERABLE:
        out.append((" ".join(x for x in (thing, _PLACES[crng.choice(list(_PLACES))], crng.choice(_TIMES)) if x), False))
    return out


# ---- Chinese and Spanish questions for the cross-lingual floor (floor.foreign_input), written for it: things no
# rule raises and answerable wordings the tables do not read (a type in other words, a request for a report), each
# with one of the city's Chinese / Spanish place aliases and a time or none. Kept apart from every evaluation set
# (test_search_eval_city.py::test_the_foreign_floor_questions_are_not_evaluation_questions).
_ZH_PLACES = ["电车站", "停车场", "公交车场", "环路", "学校", "火车站", "港口", "老城", "应急车道"]
_ES_PLACES = ["la parada del tranvía", "el aparcamiento", "la cochera de autobuses", "la circunvalación", "el colegio",
              "la estación central", "el puerto", "el casco antiguo", "el arcén", "el paso de cebra"]
_ZH_WHEN = ["", "昨天", "今天早上", "昨晚", "上周"]
_ES_WHEN = ["", "ayer", "esta mañana", "anoche", "la semana pasada"]
ZH_THINGS = ["老鼠", "漏油", "乞丐", "坑洞", "鸽子", "碎玻璃", "漏水", "鹿", "有人晕倒", "贩毒", "冰雹", "积雪", "蛇", "小偷",
             "停电", "噪音", "垃圾", "抢劫", "蚊子", "烟花"]
ZH_ANSWERABLE = ["有人转来转去", "排起长龙", "的概况", "的简报", "的动态", "的回顾", "的监控摘要", "怎么了", "咋样"]
ES_THINGS = ["ratas", "un bache", "palomas", "cristales rotos", "una fuga de agua", "alguien mendigando", "un ciervo",
             "alguien desmayado", "venta de droga", "nieve", "un robo", "mucho ruido", "basura", "un apagón", "mosquitos",
             "una gotera"]
ES_ANSWERABLE = ["novedades", "balance", "informe", "un repaso", "lo ocurrido", "resumen"]


def foreign(seed: int = 3) -> list[tuple[str, bool]]:
    """(question, has an answer) pairs in Chinese and Spanish for the cross-lingual floor."""
    rng = random.Random(seed)
    out: list[tuple[str, bool]] = []
    for t in ZH_THINGS:
        p, w = rng.choice(_ZH_PLACES), rng.choice(_ZH_WHEN)
        out += [(f"{w}{p}有{t}吗", False), (f"{p}的{t}", False)]
    for t in ZH_ANSWERABLE:
        p, w = rng.choice(_ZH_PLACES), rng.choice(_ZH_WHEN[1:])
        out.append((f"{w}{p}{t}" if t[0] not in "的怎咋" else f"{p}{w}{t}", True))
    for t in ES_THINGS:
        p, w = rng.choice(_ES_PLACES), rng.choice(_ES_WHEN)
        out += [(f"¿hay {t} en {p} {w}".strip() + "?", False), (f"{t} en {p}", False)]
    for t in ES_ANSWERABLE:
        p, w = rng.choice(_ES_PLACES), rng.choice(_ES_WHEN[1:])
        out.append((f"{t} de {p} {w}", True))
    return out
