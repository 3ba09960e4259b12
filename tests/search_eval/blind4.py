"""A fourth held-out operator set (issue 9, item 5): the dev halves of ``blind.py``, ``blind2.py`` and ``blind3.py``
have been tuned on and their scores flatter the search, so this one measures wording nobody has tuned for.

Written by a fourth blind author who did not read ``services/search`` (parser, vocabulary, floor), ``phrasing.py``,
the query lists of ``queries.py`` / ``blind.py`` / ``blind2.py`` / ``blind3.py``, the examples of
``docs/search.md`` nor the search tests; only ``city.py`` (what an operator of this deployment knows: cameras,
zones, aliases, descriptions, incident types and facts), the labelling machinery of ``queries.py``
(:class:`Intent`, :func:`label`) and ``harness.py`` / ``report.py`` for the shape a set must have.

The machinery here is self-contained (it does not reuse ``blind.py``'s time readings): every query is a
:class:`B4` carrying the operator's meaning (place, type, class, colour, negations, a fact comparison, newest /
earliest) and a time key read by :func:`window` as a function of the load-time clock, with don't-care bands at
fuzzy edges ("evening", "overnight", "after 10pm"). Labels come from the generated city through
:func:`queries.label`, never from a search result. Absolute dates are written as placeholders (``{o5}`` is the
ordinal day five days ago, ``{iso3}``, ``{dm8}``, ``{us12}``, ``{es6}``, ``{zh5}``, ``{dd4}``) and filled from the
clock, so the set stays answerable whenever it is run.

The voice is deliberately mixed: terse log searches, shift handover notes, a supervisor's e-mail, police footage
requests with a reference number, radio shorthand, typos, British and American spellings, relative and absolute
dates and ranges; Chinese (simplified and traditional) and Spanish are written natively (about a quarter).

The split is a salted hash of each query's template wording (before dates are filled in); the salt was chosen
only so that every category splits evenly. The test half was committed, with its digest pinned in
``tests/test_search_eval_blind4.py``, before the search first ran on any of these queries. Run it with
``python -m tests.search_eval.report --set blind4 --split dev|test``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tests.search_eval.city import CAMERAS, COLOURS, Incident
from tests.search_eval.queries import Z, Intent, Query, label

Interval = tuple[datetime, datetime]
Window = tuple[list[Interval], list[Interval]]  # (relevant start times, don't-care start times)

_ZONES = {z.name for c in CAMERAS for z in c.zones}
_CAMS = {c.id for c in CAMERAS}
_VEHICLE_TYPES = frozenset({"stopped_vehicle", "illegal_parking", "speeding", "wrong_way", "congestion"})
_MPH = 1.609344


# ------------------------------------------------------------------------------------------------------ the clock
def _day(now: datetime, n: int) -> date:
    """The local date ``n`` days before the clock's local date."""
    return now.astimezone(Z).date() - timedelta(days=n)


def _h(d: date, hours: float) -> datetime:
    """Local wall time ``hours`` after midnight of ``d`` (hours past 24 roll into the next day)."""
    return datetime(d.year, d.month, d.day, tzinfo=Z) + timedelta(hours=hours)


def _last_weekday(now: datetime, wd: int) -> date:
    """The most recent ``wd`` (0 = Monday) strictly before today: "on Tuesday" said on a Tuesday is a week ago."""
    today = _day(now, 0)
    return today - timedelta(days=(today.weekday() - wd) % 7 or 7)


def _monday(now: datetime) -> date:
    today = _day(now, 0)
    return today - timedelta(days=today.weekday())


# Parts of a day: (core start, core end, don't-care hours before, don't-care hours after), hours from midnight.
PARTS: dict[str, tuple[float, float, float, float]] = {
    "morning": (6, 12, 1, 1),
    "afternoon": (12, 18, 1, 1),
    "evening": (18, 23, 1, 1),
    "night": (21, 30, 1.5, 1.5),  # overnight into the next morning
    "early": (0, 6, 0, 1),  # the small hours
    "lunch": (12, 14.5, 0.5, 0.5),
    "amrush": (7, 9.5, 0.5, 0.5),
    "pmrush": (17, 19.5, 0.5, 0.5),
    "after22": (22, 24, 0.25, 4),  # "after 10pm": past midnight is don't-care, not a miss
}


def _part(d: date, part: str) -> Window:
    if m := re.fullmatch(r"h(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)", part):  # explicit hours, a quarter hour of slack
        a, b, fa, fb = float(m[1]), float(m[2]), 0.25, 0.25
    else:
        a, b, fa, fb = PARTS[part]
    fuzzy = [(_h(d, a - fa), _h(d, a))] if fa else []
    fuzzy += [(_h(d, b), _h(d, b + fb))] if fb else []
    return [(_h(d, a), _h(d, b))], fuzzy


def window(key: str, now: datetime) -> Window:
    """The evaluation's own reading of a time key at this clock.

    ``past90m`` / ``past3h`` / ``past7d``: a span back from now; ``today``; ``d3``: the whole local day three days
    ago; ``d2:lunch`` / ``wd1:pmrush`` / ``d1:h13-17``: a part of that day (``wd1`` = the last Tuesday before
    today); ``range9-7``: from the day nine days ago through the day seven days ago; ``this_week`` (since Monday),
    ``last_week`` (the calendar week before), ``last_weekend``; ``mar2024`` and ``next_tue`` are times with
    nothing (before the deployment, in the future)."""
    soon = now + timedelta(minutes=1)
    if m := re.fullmatch(r"past(\d+)([mhd])", key):
        span = timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[m[2]]: int(m[1])})
        slack = {"m": timedelta(minutes=10), "h": timedelta(minutes=15), "d": timedelta(hours=12)}[m[2]]
        return [(now - span, soon)], [(now - span - slack, now - span)]
    if key == "today":
        return [(_h(_day(now, 0), 0), soon)], []
    if m := re.fullmatch(r"(d|wd)(\d+)(?::(.+))?", key):
        d = _day(now, int(m[2])) if m[1] == "d" else _last_weekday(now, int(m[2]))
        return _part(d, m[3]) if m[3] else ([(_h(d, 0), _h(d, 24))], [])
    if m := re.fullmatch(r"range(\d+)-(\d+)", key):
        return [(_h(_day(now, int(m[1])), 0), _h(_day(now, int(m[2])), 24))], []
    mon = _monday(now)
    if key == "this_week":
        return [(_h(mon, 0), soon)], []
    if key == "last_week":
        return [(_h(mon - timedelta(days=7), 0), _h(mon, 0))], [(_h(mon, 0), soon)]  # "past 7 days" is don't-care
    if key == "last_weekend":
        return [(_h(mon - timedelta(days=2), 0), _h(mon, 0))], []
    if key == "mar2024":
        return [(datetime(2024, 3, 1, tzinfo=Z), datetime(2024, 4, 1, tzinfo=Z))], []
    if key == "next_tue":
        d = _day(now, 0) + timedelta(days=(1 - _day(now, 0).weekday()) % 7 or 7)
        return [(_h(d, 0), _h(d, 24))], []
    raise KeyError(key)


# --------------------------------------------------------------------------------------------------- the dates
_MON_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_MON_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


FILL: dict[str, object] = {
    "o": lambda d: _ordinal(d.day),  # 23rd
    "iso": lambda d: d.isoformat(),  # 2026-11-23
    "dm": lambda d: f"{d.day:02d}/{d.month:02d}",  # 23/11 (British day/month)
    "us": lambda d: f"{_MON_EN[d.month - 1][:3]} {d.day}",  # Nov 23
    "es": lambda d: f"{d.day} de {_MON_ES[d.month - 1]}",  # 23 de noviembre
    "zh": lambda d: f"{d.month}月{d.day}日",  # 11月23日
    "dd": lambda d: str(d.day),  # 23
}


def fill(text: str, now: datetime) -> str:
    """The wording an operator types at this clock: ``{kindN}`` is the date ``N`` days ago written as ``kind``."""
    return re.sub(r"\{([a-z]+)(\d+)\}", lambda m: FILL[m[1]](_day(now, int(m[2]))), text)


# ------------------------------------------------------------------------------------------------- the queries
@dataclass(frozen=True)
class B4:
    """One operator question and what the operator means by it."""

    text: str  # template wording: the split key
    category: str
    lang: str = "en"
    when: str | None = None  # a key of :func:`window`
    places: frozenset[str] | None = None  # camera ids and "zone:<name>"
    types: frozenset[str] | None = None
    classes: frozenset[str] | None = None
    colours: frozenset[str] | None = None
    not_types: frozenset[str] = frozenset()
    not_classes: frozenset[str] = frozenset()
    fact: tuple[str, str, float] | None = None  # (duration_min|count|vehicles|speed, gt|lt, value)
    newest: bool = False
    oldest: bool = False
    answer: bool = True  # False: nothing in the city can be this


def _set(x) -> frozenset[str] | None:
    if x is None:
        return None
    return frozenset([x] if isinstance(x, str) else x)


def q(text: str, category: str, *, lang: str = "en", when: str | None = None, at=None, t=None, c=None, col=None,
      nt=(), nc=(), fact=None, newest: bool = False, oldest: bool = False, answer: bool = True) -> B4:
    places = _set(at)
    for p in places or ():
        assert p in _CAMS or (p.startswith("zone:") and p[5:] in _ZONES), p
    return B4(text, category if lang == "en" else lang, lang, when, places, _set(t), _set(c), _set(col),
              frozenset(_set(nt) or ()), frozenset(_set(nc) or ()), fact, newest, oldest, answer)


def zone(name: str) -> str:
    assert name in _ZONES, name
    return f"zone:{name}"


NA = dict(answer=False)
DUR, CNT, VEH, SPD = "duration_min", "count", "vehicles", "speed"
VEHICLE = _VEHICLE_TYPES

TIME = [
    q("all alerts past 90 minutes", "time", when="past90m"),
    q("what came in over the last 3 hrs?", "time", when="past3h"),
    q("depot intrusions yesterday", "time", when="d1", at="cam-depot", t="intrusion"),
    q("overnight incidents, all cameras", "time", when="d1:night"),
    q("school crossing speeders last Tuesday", "time", when="wd1", at="cam-school", t="speeding"),
    q("carpark events 3 days ago", "time", when="d3", at="cam-carpark"),
    q("illegal parking on the {o6}", "time", when="d6", t="illegal_parking"),
    q("harbour activity between the {o9} and the {o7}", "time", when="range9-7", at="cam-harbour"),
    q("wrong-way drivers since Monday", "time", when="this_week", t="wrong_way"),
    q("evening peak on monday, all cameras", "time", when="wd0:pmrush"),
    q("morning rush hour yesterday - anything at Linden school?", "time", when="d1:amrush", at="cam-school"),
    q("anything around lunchtime the day before yesterday", "time", when="d2:lunch"),
    q("pull everything from the small hours of {iso4}", "time", when="d4:early"),
    q("Friday after 10pm, full list please", "time", when="wd4:after22"),
    q("harbour quay, last weekend", "time", when="last_weekend", at="cam-harbour"),
    q("this week's stopped vehicles at the taxi rank", "time", when="this_week", t="stopped_vehicle",
      at=zone("taxi rank")),
    q("{us12} old town log", "time", when="d12", at="cam-market"),
    q("{dm8} tram stop, all events", "time", when="d8", at="cam-tram"),
    q("past week, abandoned items at the lockers", "time", when="past7d", t="abandoned_object", at=zone("lockers")),
    q("yesterday between 1 and 5pm on the ring road", "time", when="d1:h13-17", at="cam-ring"),
    q("anything at the car park on the evening of the {o3}?", "time", when="d3:evening", at="cam-carpark"),
    q("earlier today at Central Station", "time", when="today", at="cam-station"),
]

PLACE = [
    q("tram stop incidents", "place", at="cam-tram"),
    q("car park entrance", "place", at=zone("car park entrance")),
    q("bus depot gate alerts", "place", at=zone("bus depot gate")),
    q("fuel bay - anything?", "place", at=zone("fuel bay")),
    q("whats been happening near the newspaper kiosk", "place", at=zone("shelter")),
    q("accessible bays by the lift", "place", at=zone("disabled bays")),
    q("Foundry Lane gate", "place", at=zone("bus depot gate")),
    q("vehicles held up next to the workshop at the depot", "place", at=zone("wash line"), t="stopped_vehicle"),
    q("platform 3 events", "place", at=zone("platform 3")),
    q("west exit lockers", "place", at=zone("lockers")),
    q("cycle lane outside Linden primary", "place", at=zone("bike lane")),
    q("airport slip road", "place", at=zone("slip road")),
    q("container yard fence at the port", "place", at=zone("container yard")),
    q("ferry ramp log", "place", at=zone("ferry ramp")),
    q("supermarket delivery bay", "place", at=zone("loading bay")),
    q("church end of the pedestrianised street", "place", at=zone("pedestrian zone")),
    q("Riverside multi-storey", "place", at="cam-carpark"),
    q("Km 12 camera", "place", at="cam-ring"),
    q("cam-harbour", "place", at="cam-harbour"),
    q("emergency lane northbound", "place", at=zone("hard shoulder")),
    q("the level two ramp in the parking garage", "place", at=zone("level 2 ramp")),
]

SOFT = [
    q("bloke hanging around the ramp in the car park", "soft", t="loitering", at=zone("level 2 ramp")),
    q("lorry broken down on the hard shoulder", "soft", t="stopped_vehicle", c="truck", at=zone("hard shoulder")),
    q("unattended rucksack at the station", "soft", t="abandoned_object", c="backpack", at="cam-station"),
    q("suitcase left on the quay", "soft", t="abandoned_object", c="suitcase", at=zone("quay")),
    q("white van parked in the cycle lane", "soft", t="illegal_parking", c=("car", "truck"), col="white",
      at=zone("bike lane")),
    q("kids bunching up at the school gate", "soft", t="crowding", at=zone("school gate")),
    q("person walking on the tram tracks", "soft", t="intrusion", c="person", at=zone("tram tracks")),
    q("motorbike going the wrong way up the ramp", "soft", t="wrong_way", c="motorcycle", at=zone("level 2 ramp")),
    q("queue of traffic waiting to board the ferry", "soft", t="congestion", at=zone("ferry ramp")),
    q("black saloon dumped in the loading bay", "soft", t="illegal_parking", c="car", col="black",
      at=zone("loading bay")),
    q("red sedan double-parked in old town", "soft", t="illegal_parking", c="car", col="red", at="cam-market"),
    q("cyclist crossing the line at the school", "soft", t="tripwire", c="bicycle", at="cam-school"),
    q("someone got into the container yard", "soft", t="intrusion", c="person", at=zone("container yard")),
    q("gray car idling on the zebra", "soft", t="stopped_vehicle", c="car", col="grey", at=zone("zebra crossing")),
    q("packed concourse at the ticket machines", "soft", t="crowding", at=zone("ticket hall")),
    q("coach stuck in the bus wash", "soft", t="stopped_vehicle", c="bus", at=zone("wash line")),
    q("handbag abandonded under the tram shelter", "soft", t="abandoned_object", c="handbag", at=zone("shelter")),
    q("blue hatchback speeding past Linden school", "soft", t="speeding", c="car", col="blue", at="cam-school"),
    q("tailback northbound towards the airport", "soft", t="congestion", at=zone("northbound lanes")),
    q("trespasser by the pumps", "soft", t="intrusion", at=zone("fuel bay")),
]

NEGATION = [
    q("ring road alerts, excluding speeding", "negation", at="cam-ring", nt="speeding"),
    q("stopped vehicles on the hard shoulder, not lorries", "negation", t="stopped_vehicle", at=zone("hard shoulder"),
      nc="truck"),
    q("intrusions at the car park entrance that weren't people", "negation", t="intrusion",
      at=zone("car park entrance"), nc="person"),
    q("everything at the harbour apart from congestion", "negation", at="cam-harbour", nt="congestion"),
    q("depot activity w/o tripwire crossings", "negation", at="cam-depot", nt="tripwire"),
    q("illegal parking at the loading bay, non-white vehicles only", "negation", t="illegal_parking",
      at=zone("loading bay"), col=[x for x in COLOURS if x != "white"]),
    q("school crossing: anything other than speeding or parking", "negation", at="cam-school",
      nt=("speeding", "illegal_parking")),
    q("abandoned items at the station excluding suitcases", "negation", t="abandoned_object", at="cam-station",
      nc="suitcase"),
    q("ring road speeding, ignore motorcycles", "negation", t="speeding", at="cam-ring", nc="motorcycle"),
    q("tram stop - no crowding alerts, rest yes", "negation", at="cam-tram", nt="crowding"),
    q("market street incidents other than wrong way", "negation", at="cam-market", nt="wrong_way"),
    q("tripwire at Linden, not bicycles", "negation", t="tripwire", at="cam-school", nc="bicycle"),
    q("vehicles parked on the ferry ramp that are not cars", "negation", t="illegal_parking", at=zone("ferry ramp"),
      nc="car"),
    q("all loitering yesterday except at the station", "negation", t="loitering", when="d1",
      at=[c.id for c in CAMERAS if c.id != "cam-station"]),
]

NUMERIC = [
    q("speeding over 150 km/h", "numeric", t="speeding", fact=(SPD, "gt", 150)),
    q("ring road speeders above 100 mph", "numeric", t="speeding", at="cam-ring", fact=(SPD, "gt", 100 * _MPH)),
    q("school zone, speed > 90", "numeric", t="speeding", at="cam-school", fact=(SPD, "gt", 90)),
    q("loitering longer than 30 minutes", "numeric", t="loitering", fact=(DUR, "gt", 30)),
    q("vehicles stopped under a minute at the taxi rank", "numeric", t="stopped_vehicle", at=zone("taxi rank"),
      fact=(DUR, "lt", 1)),
    q("crowds of 40+ people", "numeric", t="crowding", fact=(CNT, "gt", 40)),
    q("congestion with more than 50 vehicles", "numeric", t="congestion", fact=(VEH, "gt", 50)),
    q("bags left for over 20 min", "numeric", t="abandoned_object", fact=(DUR, "gt", 20)),
    q("parking violations lasting 1h+", "numeric", t="illegal_parking", fact=(DUR, "gt", 60)),
    q("intrusions shorter than 30 seconds", "numeric", t="intrusion", fact=(DUR, "lt", 0.5)),
    q("crowding at platform 3 under a dozen people", "numeric", t="crowding", at=zone("platform 3"),
      fact=(CNT, "lt", 12)),
    q("doing 30+ over the limit outside the school", "numeric", t="speeding", at="cam-school", fact=(SPD, "gt", 80)),
    q("wrong way lasting over 20 seconds", "numeric", t="wrong_way", fact=(DUR, "gt", 20 / 60)),
    q("stopped on the hard shoulder > 30 mins", "numeric", t="stopped_vehicle", at=zone("hard shoulder"),
      fact=(DUR, "gt", 30)),
    q("illegal parking under 5 minutes in the disabled bays", "numeric", t="illegal_parking",
      at=zone("disabled bays"), fact=(DUR, "lt", 5)),
    q("ferry ramp congestion below 15 vehicles", "numeric", t="congestion", at=zone("ferry ramp"),
      fact=(VEH, "lt", 15)),
]

RECENCY = [
    q("latest incident at the car park", "recency", at="cam-carpark", newest=True),
    q("most recent wrong-way", "recency", t="wrong_way", newest=True),
    q("last thing flagged at the harbor?", "recency", at="cam-harbour", newest=True),
    q("what's the newest alert overall", "recency", newest=True),
    q("latest crowding alert at Central", "recency", t="crowding", at="cam-station", newest=True),
    q("most recent speeding at the school", "recency", t="speeding", at="cam-school", newest=True),
    q("newest abandoned bag", "recency", t="abandoned_object", newest=True),
    q("last intrusion at the depot", "recency", t="intrusion", at="cam-depot", newest=True),
    q("anything new in the last hour", "recency", when="past60m"),
    q("most recent stoppage on the ring road", "recency", t="stopped_vehicle", at="cam-ring", newest=True),
    q("first alert of the day today", "recency", when="today", oldest=True),
    q("earliest illegal parking this week at the loading bay", "recency", t="illegal_parking",
      at=zone("loading bay"), when="this_week", oldest=True),
    q("latest tram stop event", "recency", at="cam-tram", newest=True),
]

NO_ANSWER = [
    q("fire at the depot", "no_answer", at="cam-depot", **NA),
    q("smoke in the car park", "no_answer", at="cam-carpark", **NA),
    q("fallen tree on the ring road", "no_answer", at="cam-ring", **NA),
    q("flooding in the underpass", "no_answer", **NA),
    q("dog off the lead in the old town", "no_answer", at="cam-market", **NA),
    q("graffiti on the tram shelter", "no_answer", at=zone("shelter"), **NA),
    q("gunshots reported near the harbour", "no_answer", at="cam-harbour", **NA),
    q("pothole reports on Foundry Lane", "no_answer", **NA),
    q("horse on the tram tracks", "no_answer", at=zone("tram tracks"), **NA),
    q("drone flying over the container yard", "no_answer", at=zone("container yard"), **NA),
    q("snow on the slip road", "no_answer", at=zone("slip road"), **NA),
    q("speeding in the car park", "no_answer", t="speeding", at="cam-carpark", **NA),
    q("congestion at the school crossing", "no_answer", t="congestion", at="cam-school", **NA),
    q("wrong-way at central station", "no_answer", t="wrong_way", at="cam-station", **NA),
    q("illegal parking on the ring road", "no_answer", t="illegal_parking", at="cam-ring", **NA),
    q("loitering on the motorway", "no_answer", t="loitering", at="cam-ring", **NA),
    q("crowd of over 100 people", "no_answer", t="crowding", fact=(CNT, "gt", 100), **NA),
    q("speeding above 250 km/h", "no_answer", t="speeding", fact=(SPD, "gt", 250), **NA),
    q("loitering for more than 3 hours", "no_answer", t="loitering", fact=(DUR, "gt", 180), **NA),
    q("purple car parked illegally", "no_answer", t="illegal_parking", c="car", col="purple", **NA),
    q("incidents from March 2024", "no_answer", when="mar2024", **NA),
    q("alerts for next Tuesday at the depot", "no_answer", when="next_tue", at="cam-depot", **NA),
]

# Operator registers in English that the lists above do not cover: handover notes, a supervisor's e-mail, police
# requests with a reference, radio shorthand. Each keeps its own category.
REGISTER = [
    q("Handover: keep an eye on the depot gate, ppl loitering there this week", "time", t="loitering",
      at=zone("bus depot gate"), when="this_week"),
    q("Hi team, could you send me all crowding alerts from Central Station for last week? Thanks, M.", "time",
      t="crowding", at="cam-station", when="last_week"),
    q("Police ref 4471/26 - footage request: vehicle incidents, Old Town Market St, {iso5}", "time", t=VEHICLE,
      at="cam-market", when="d5"),
    q("control from unit 7, ring rd km12, anything stopped on the shoulder last 3 hrs", "recency",
      t="stopped_vehicle", at=zone("hard shoulder"), when="past3h"),
    q("loitring at the lockers", "soft", t="loitering", at=zone("lockers")),
    q("conjestion on the ring road", "soft", t="congestion", at="cam-ring"),
    q("RE: yesterday's intrution at platform 3 - pls attach clips", "time", t="intrusion", at=zone("platform 3"),
      when="d1"),
    q("Guardia Civil request: speeding, ring road, between the {o10} and the {o8}", "numeric", t="speeding",
      at="cam-ring", when="range10-8"),
]

ZH = [
    q("前天和昨天停车场有违章停车吗", "zh", lang="zh", t="illegal_parking", at="cam-carpark", when="range2-1"),
    q("过去一周火车站有人徘徊吗", "zh", lang="zh", t="loitering", at="cam-station", when="past7d"),
    q("环路超速 最近三天", "zh", lang="zh", t="speeding", at="cam-ring", when="past3d"),
    q("港口集装箱堆场有人闯入", "zh", lang="zh", t="intrusion", at=zone("container yard")),
    q("應急車道停車 昨天", "zh", lang="zh", t="stopped_vehicle", at=zone("hard shoulder"), when="d1"),
    q("學校門口人群聚集", "zh", lang="zh", t="crowding", at=zone("school gate")),
    q("公交车场 越线 本周", "zh", lang="zh", t="tripwire", at="cam-depot", when="this_week"),
    q("老城有车逆行吗", "zh", lang="zh", t="wrong_way", at="cam-market"),
    q("電車站遺留物品", "zh", lang="zh", t="abandoned_object", at="cam-tram"),
    q("上周四环路拥堵", "zh", lang="zh", t="congestion", at="cam-ring", when="wd3"),
    q("最新的超速事件", "zh", lang="zh", t="speeding", newest=True),
    q("停车场逆行超过20秒的", "zh", lang="zh", t="wrong_way", at="cam-carpark", fact=(DUR, "gt", 20 / 60)),
    q("火車站人群超過30人", "zh", lang="zh", t="crowding", at="cam-station", fact=(CNT, "gt", 30)),
    q("时速超过140公里的超速", "zh", lang="zh", t="speeding", fact=(SPD, "gt", 140)),
    q("过去两小时所有警报", "zh", lang="zh", when="past2h"),
    q("{zh5}学校附近违停", "zh", lang="zh", t="illegal_parking", at="cam-school", when="d5"),
    q("港口有火灾吗", "zh", lang="zh", at="cam-harbour", **NA),
    q("停車場有狗嗎", "zh", lang="zh", at="cam-carpark", **NA),
    q("上周末渡轮坡道违章停车", "zh", lang="zh", t="illegal_parking", at=zone("ferry ramp"), when="last_weekend"),
    q("今天凌晨有什么报警", "zh", lang="zh", when="d0:early"),
    q("周三装卸区违停", "zh", lang="zh", t="illegal_parking", at=zone("loading bay"), when="wd2"),
    q("斑馬線上停著的車", "zh", lang="zh", t="stopped_vehicle", at=zone("zebra crossing")),
    q("環路超速 不要摩托車", "zh", lang="zh", t="speeding", at="cam-ring", nc="motorcycle"),
    q("火车站有没有打架", "zh", lang="zh", at="cam-station", **NA),
]

ES = [
    q("camión parado en el arcén ayer", "es", lang="es", t="stopped_vehicle", c="truck", at=zone("hard shoulder"),
      when="d1"),
    q("merodeo en la estación central la semana pasada", "es", lang="es", t="loitering", at="cam-station",
      when="last_week"),
    q("exceso de velocidad en el colegio el martes", "es", lang="es", t="speeding", at="cam-school", when="wd1"),
    q("aparcamiento indebido en la zona de carga esta semana", "es", lang="es", t="illegal_parking",
      at=zone("loading bay"), when="this_week"),
    q("intrusiones en el puerto en los últimos 5 días", "es", lang="es", t="intrusion", at="cam-harbour",
      when="past5d"),
    q("aglomeración en el andén del tranvía", "es", lang="es", t="crowding", at=zone("tram platform")),
    q("coches en sentido contrario en la circunvalación", "es", lang="es", t="wrong_way", c="car", at="cam-ring"),
    q("maleta abandonada en la consigna de la estación", "es", lang="es", t="abandoned_object", c="suitcase",
      at=zone("lockers")),
    q("atasco en la rampa del ferry", "es", lang="es", t="congestion", at=zone("ferry ramp")),
    q("último incidente en el aparcamiento", "es", lang="es", at="cam-carpark", newest=True),
    q("velocidad superior a 160 km/h", "es", lang="es", t="speeding", fact=(SPD, "gt", 160)),
    q("personas merodeando más de 20 minutos", "es", lang="es", t="loitering", fact=(DUR, "gt", 20)),
    q("todo lo del casco antiguo excepto sentido contrario", "es", lang="es", at="cam-market", nt="wrong_way"),
    q("incidentes del {es6}", "es", lang="es", when="d6"),
    q("cruce de línea en la cochera de autobuses el fin de semana pasado", "es", lang="es", t="tripwire",
      at="cam-depot", when="last_weekend"),
    q("vehículo detenido en el paso de cebra entre el {dd4} y el {es2}", "es", lang="es", t="stopped_vehicle",
      at=zone("zebra crossing"), when="range4-2"),
    q("¿hay un incendio en la cochera?", "es", lang="es", at="cam-depot", **NA),
    q("árbol caído en la circunvalación", "es", lang="es", at="cam-ring", **NA),
    q("intrusiones ayer por la tarde", "es", lang="es", t="intrusion", when="d1:afternoon"),
    q("aglomeraciones de más de 35 personas en el vestíbulo", "es", lang="es", t="crowding", at=zone("ticket hall"),
      fact=(CNT, "gt", 35)),
    q("motos aparcadas en el carril bici", "es", lang="es", t="illegal_parking", c="motorcycle", at=zone("bike lane")),
    q("últimas 3 horas, todas las alertas", "es", lang="es", when="past3h"),
    q("exceso de velocidad en el parking", "es", lang="es", t="speeding", at="cam-carpark", **NA),
]

ALL: list[B4] = TIME + PLACE + SOFT + NEGATION + NUMERIC + RECENCY + NO_ANSWER + REGISTER + ZH + ES

# --------------------------------------------------------------------------------------------- split and build
SPLIT_SALT = "blind4-565558"


def split_of(key: str, salt: str | None = None) -> str:
    """dev / test by a salted hash of the query's template wording (before the clock fills in dates)."""
    s = SPLIT_SALT if salt is None else salt
    return "test" if hashlib.sha256(f"{s}:{key}".encode()).digest()[0] % 2 == 0 else "dev"


def intent(b: B4, now: datetime) -> Intent:
    times, fuzzy = window(b.when, now) if b.when else (None, [])
    return Intent(times=times, fuzzy=fuzzy, places=set(b.places) if b.places is not None else None,
                  types=set(b.types) if b.types is not None else None,
                  classes=set(b.classes) if b.classes is not None else None,
                  colours=set(b.colours) if b.colours is not None else None,
                  not_types=set(b.not_types), not_classes=set(b.not_classes), fact=b.fact, newest=b.newest)


def build(b: B4, corpus: list[Incident], now: datetime) -> Query | None:
    """The labelled query for ``b`` at this clock; ``None`` when an answerable question has no match at it."""
    it = intent(b, now)
    query = Query(fill(b.text, now), b.category, b.lang, it, split=split_of(b.text))
    if not b.answer:
        return query  # relevant stays empty: the right answer is "nothing matches"
    rel, ignore = [], set()
    for inc in corpus:
        lab = label(inc, it)
        if lab == "rel":
            rel.append(inc)
        elif lab == "ignore":
            ignore.add(inc.id)
    if not rel:
        return None
    if b.newest or b.oldest:
        rel = [(max if b.newest else min)(rel, key=lambda i: i.started_at)]
    query.relevant = [i.id for i in rel]
    query.ignore = ignore
    return query


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    return [x for b in ALL if (x := build(b, corpus, now)) is not None]
