"""A sixth held-out operator set (issue 9): the dev halves of ``blind.py`` … ``blind5.py`` have all been tuned on
(their test halves read 0.91–0.97 after that work), so this one is an untuned measure and a fresh source of dev
misses.

Written by a sixth blind author (helper ``blind6``) who did not read ``services/search`` (parser, vocabulary,
floor), ``phrasing.py``, ``queries.py``, the other sets' query lists apart from ``blind5.py`` (whose machinery this
module copies: the brief asked for its exact structure), the query-understanding sections of ``docs/search.md`` nor
the search tests; only ``city.py`` (cameras, zones, aliases, descriptions, incident types and facts) and
``harness.py`` / ``report.py`` for the shape a set must have.

Everything here is self-contained as in ``blind5.py``: its own query record (:class:`Ask`), time reader
(:func:`window`) and labeller (:func:`status`); only the harness's record (``queries.Query`` / ``Intent``) is shared.
New here: hour ranges with halves ("from 7 to half 8" → ``today:7-8.5``), hour ranges past midnight
(``d1:22-26``), ``wdrA-B`` spans in both directions of the week and ``pastNm`` windows of any length.

Voices: a control-room operator's radio shorthand ("ctrl: km12 nb, stopped veh hard shldr?"), abbreviations ("veh",
"ped", "nb/sb", "pm peak", "arvo", "yday"), typos, long rambling handovers and relayed calls, questions, British and
American words for the same thing (lorry / truck, car park / parking garage, motorway / freeway), relative dates
("the day before yesterday", "Tuesday evening", "between 2 and 4 this afternoon", "the evening before last");
Chinese (simplified and traditional) and Spanish written natively (over a quarter of the set).

The split is a salted hash of each query's template wording (before dates are filled in); the salt was chosen only
so that every category splits within two queries. The test half was committed, its digest pinned in
``tests/test_search_eval_blind6.py``, before the search first ran on any of these queries. Run it with
``python -m tests.search_eval.report --set blind6 --split dev|test``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.search_eval.city import CAMERAS, TZ, Incident
from tests.search_eval.queries import Intent, Query  # the record the harness scores (only times, types, newest set)

SALT = "blind6-"  # completed by _SALT_N below
Interval = tuple[datetime, datetime]

_ZONES = {z.name for c in CAMERAS for z in c.zones}
_CAMS = {c.id for c in CAMERAS}
_TYPES = {"loitering", "crowding", "intrusion", "abandoned_object", "stopped_vehicle", "illegal_parking", "speeding",
          "wrong_way", "congestion", "tripwire"}
_MPH = 1.609344
VEH = ("stopped_vehicle", "illegal_parking", "speeding", "wrong_way", "congestion")  # "vehicle incidents"
VEH_CLS = ("car", "truck", "bus", "motorcycle")


@dataclass(frozen=True)
class Ask:
    """One operator question as written (template wording) and what the operator means by it."""

    text: str
    category: str  # time place soft negation numeric recency no_answer zh es
    when: str | None = None  # a key of :func:`window`
    types: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # camera ids or zone names
    cls: tuple[str, ...] = ()
    colour: tuple[str, ...] = ()
    not_types: tuple[str, ...] = ()
    not_cls: tuple[str, ...] = ()
    not_places: tuple[str, ...] = ()
    not_colour: tuple[str, ...] = ()
    fact: tuple | None = None  # ("dur"|"speed"|"count"|"over", ">"|"<"|"between", value[, value2])
    order: str | None = None  # "newest" | "oldest": the one extreme incident is the answer
    answer: bool = True  # False: nothing in the city may match (the search should say so)
    thing: str | None = None  # what the system cannot detect ("fire"): no incident is about it
    lang: str = "en"
    parse_types: tuple[str, ...] | None = None  # zh/es: the incident types a reader must find (default: types)

    def __post_init__(self):
        for p in self.places + self.not_places:
            assert p in _ZONES or p in _CAMS, p
        for t in self.types + self.not_types + (self.parse_types or ()):
            assert t in _TYPES, t


def A(text, category, when=None, **kw) -> Ask:
    for k in ("types", "places", "cls", "colour", "not_types", "not_cls", "not_places", "not_colour", "parse_types"):
        if isinstance(kw.get(k), str):
            kw[k] = (kw[k],)
    return Ask(text, category, when, **kw)


# fmt: off
ALL: tuple[Ask, ...] = (
    # ---- time: a time phrase, often with a type and/or a place ------------------------------------------------
    A("anything at all between 2 and 4 this afternoon?", "time", "today:14-16"),
    A("veh incidents ring rd pm peak yday", "time", "d1:pmrush", types=VEH, places="cam-ring"),
    A("Tuesday evening, anything down at the harbour?", "time", "wd1:evening", places="cam-harbour"),
    A("the day before yesterday, any peds on the tram tracks?", "time", "d2", types="intrusion", places="tram tracks", cls="person"),
    A("overnight intrusions at the bus depot", "time", "d1:night", types="intrusion", places="cam-depot"),
    A("what did the station cam pick up this morning", "time", "today:morning", places="cam-station"),
    A("since 6pm yesterday what have we got", "time", "d1:from18"),
    A("thursday night loitering, anywhere", "time", "wd3:night", types="loitering"),
    A("school crossing between 8 and 9 today, anything?", "time", "today:8-9", places="cam-school"),
    A("did anyone leave a bag behind on {en3}?", "time", "d3", types="abandoned_object"),
    A("wrong way in the parking garage on {dm3}", "time", "d3", types="wrong_way", places="cam-carpark"),
    A("am peak today, queues on the motorway?", "time", "today:amrush", types="congestion", places="cam-ring"),
    A("past 24 hrs hard shoulder", "time", "past24h", places="hard shoulder"),
    A("over the last 7 days, any break-ins at the container yard", "time", "past7d", types="intrusion", places="container yard"),
    A("last wkend, loitering on the quay", "time", "weekend", types="loitering", places="quay"),
    A("earlier today at market st", "time", "today", places="cam-market"),
    A("in the small hours of wednesday, anything on the ring road", "time", "wd2:smallhours", places="cam-ring"),
    A("tues thru thurs, bike lane parking", "time", "wdr1-3", types="illegal_parking", places="bike lane"),
    A("the past 45 mins, anything at all?", "time", "past45m"),
    A("last 6 hours at central station", "time", "past6h", places="cam-station"),
    A("anything over lunch today?", "time", "today:lunch"),
    A("hi, night supervisor here, sorry to bother you - could you pull up anything on the slip road between 10pm and 2am last night, we had a call about it", "time", "d1:22-26", places="slip road"),
    A("anything at the wash line since monday", "time", "this_week", places="wash line"),
    A("yesterday arvo, station crowding", "time", "d1:afternoon", types="crowding", places="cam-station"),
    A("the evening before last at the tram stop", "time", "d2:evening", places="cam-tram"),
    A("what happened at linden school on {iso6}", "time", "d6", places="cam-school"),
    A("speeding nb/sb on the ring, last 24 hrs", "time", "past24h", types="speeding", places="cam-ring"),
    A("anything from 7 to half 8 this morning?", "time", "today:7-8.5"),
    A("friday after 10pm, any alerts at the old town", "time", "wd4:after22", places="cam-market"),
    A("abandonded luggage earlier this week", "time", "this_week", types="abandoned_object"),
    A("how was last night at the station and the tram stop?", "time", "d1:evnight", places=("cam-station", "cam-tram")),
    A("hard shoulder stops on {us2}", "time", "d2", types="stopped_vehicle", places="hard shoulder"),
    A("the week before this one, congestion on the ring", "time", "last_week", types="congestion", places="cam-ring"),
    A("three days ago in the afternoon, depot", "time", "d3:afternoon", places="cam-depot"),
    A("ctrl to unit 7: depot gate, any activity in the last 12 hrs? over", "time", "past12h", places="bus depot gate"),
    # ---- place: named by alias, zone, or the words of its description ------------------------------------------
    A("anything on the parking garage cam", "place", places="cam-carpark"),
    A("ticket machine at the bottom of the car park ramp", "place", places="car park entrance"),
    A("blue badge bays by the lift", "place", places="disabled bays"),
    A("1st/2nd floor ramp", "place", places="level 2 ramp"),
    A("Foundry Ln staff gate", "place", places="bus depot gate"),
    A("where they wash the buses", "place", places="wash line"),
    A("airport exit ramp off the freeway", "place", places="slip road"),
    A("hard shldr nb", "place", places="hard shoulder"),
    A("the four-lane ring road", "place", places="cam-ring"),
    A("linden primary", "place", places="cam-school"),
    A("zebra outside the school", "place", places="zebra crossing"),
    A("school yard gate events", "place", places="school gate"),
    A("station concourse", "place", places="cam-station"),
    A("information desk at central", "place", places="ticket hall"),
    A("left luggage by the west exit", "place", places="lockers"),
    A("plat 3", "place", places="platform 3"),
    A("container yard fence, harbour", "place", places="container yard"),
    A("ferry loading ramp", "place", places="ferry ramp"),
    A("the raised platform where people get on the trams", "place", places="tram platform"),
    A("cab rank near the fountain", "place", places="taxi rank"),
    A("the pedestrianised bit by the church", "place", places="pedestrian zone"),
    A("old town shopping street", "place", places="cam-market"),
    A("north depot yard", "place", places="cam-depot"),
    A("what's been happening on the harbour camera", "place", places="cam-harbour"),
    A("any alerts from the market square cam?", "place", places="cam-tram"),
    # ---- soft: the event described in the operator's own words -------------------------------------------------
    A("ped wandering on the tracks at market sq", "soft", types="intrusion", places="tram tracks", cls="person"),
    A("blue hatchback parked across the disabled bays", "soft", types="illegal_parking", places="disabled bays", cls="car", colour="blue"),
    A("HGV broken down on the hard shoulder", "soft", types="stopped_vehicle", places="hard shoulder", cls="truck"),
    A("someone climbed into the container yard", "soft", types="intrusion", places="container yard", cls="person"),
    A("kid on a bike crossed the line at the school", "soft", types="tripwire", places="cam-school", cls="bicycle"),
    A("motorcyclist going the wrong way down the car park ramp", "soft", types="wrong_way", places="level 2 ramp", cls="motorcycle"),
    A("black SUV parked in the loading bay", "soft", types="illegal_parking", places="loading bay", cls="car", colour="black"),
    A("rough sleeper hanging around the tram shelter", "soft", types="loitering", places="shelter"),
    A("tram platform is packed", "soft", types="crowding", places="tram platform"),
    A("backpack left on the quay", "soft", types="abandoned_object", places="quay", cls="backpack"),
    A("unclaimed wheelie case by left luggage", "soft", types="abandoned_object", places="lockers", cls="suitcase"),
    A("handbag left in the tram shelter", "soft", types="abandoned_object", places="shelter", cls="handbag"),
    A("car sat on the tram tracks", "soft", types="stopped_vehicle", places="tram tracks", cls="car"),
    A("delivery lorry double parked in the loading bay", "soft", types="illegal_parking", places="loading bay", cls="truck"),
    A("van driving the wrong way through the pedestrian zone", "soft", types="wrong_way", places="pedestrian zone", cls=("car", "truck")),
    A("speed demons at km 12", "soft", types="speeding", places="cam-ring"),
    A("someone flying past linden school way too fast", "soft", types="speeding", places="cam-school"),
    A("traffic backed up at the ferry", "soft", types="congestion", places="ferry ramp"),
    A("jam on the northbound carriageway", "soft", types="congestion", places="northbound lanes"),
    A("bus stuck in the wash line", "soft", types="stopped_vehicle", places="wash line", cls="bus"),
    A("car got in through the depot gate", "soft", types="intrusion", places="bus depot gate", cls="car"),
    A("unauthorised person at the diesel pumps", "soft", types="intrusion", places="fuel bay", cls="person"),
    A("scooter parked in the bike lane", "soft", types="illegal_parking", places="bike lane", cls="motorcycle"),
    A("yellow car stopped on the zebra crossing", "soft", types="stopped_vehicle", places="zebra crossing", cls="car", colour="yellow"),
    A("crowd building up at the ticket machines", "soft", types="crowding", places="ticket hall"),
    A("white truck parked on the ferry ramp", "soft", types="illegal_parking", places="ferry ramp", cls="truck", colour="white"),
    A("somebody lurking about on the level 2 ramp", "soft", types="loitering", places="level 2 ramp"),
    A("motorbike stopped at the car park barrier", "soft", types="stopped_vehicle", places="car park entrance", cls="motorcycle"),
    A("silver car going the wrong way on the airport slip", "soft", types="wrong_way", places="slip road", cls="car", colour="grey"),
    A("caller rang in quite upset, says a grey car has been parked across the accessible spaces by the lift for ages, can you check", "soft", types="illegal_parking", places="disabled bays", cls="car", colour="grey"),
    A("loitring by the lockers", "soft", types="loitering", places="lockers"),
    A("people crossing the depot fence line", "soft", types="tripwire", places="cam-depot", cls="person"),
    # ---- negation: an exclusion of a type, class, colour or place ----------------------------------------------
    A("ring road alerts, no speeding pls", "negation", places="cam-ring", not_types="speeding"),
    A("everything at the station bar the crowding", "negation", places="cam-station", not_types="crowding"),
    A("intrusions at the car park entrance that weren't cars", "negation", types="intrusion", places="car park entrance", not_cls="car"),
    A("abandoned stuff on the quay, not backpacks", "negation", types="abandoned_object", places="quay", not_cls="backpack"),
    A("stopped veh on the tram tracks excl. buses", "negation", types="stopped_vehicle", places="tram tracks", not_cls="bus"),
    A("illegal parking anywhere other than the school", "negation", types="illegal_parking", not_places="cam-school"),
    A("harbour, minus the container yard", "negation", places="cam-harbour", not_places="container yard"),
    A("market st without the loading bay stuff", "negation", places="cam-market", not_places="loading bay"),
    A("school cam: ignore the tripwire ones, show me the rest", "negation", places="cam-school", not_types="tripwire"),
    A("depot events excluding line crossings", "negation", places="cam-depot", not_types="tripwire"),
    A("wrong way drivers, not on the slip road", "negation", types="wrong_way", not_places="slip road"),
    A("crowds except at the station", "negation", types="crowding", not_places="cam-station"),
    A("cars in the disabled bays that aren't white or black", "negation", types="illegal_parking", places="disabled bays", cls="car", not_colour=("white", "black")),
    A("loiterers, but not at the lockers", "negation", types="loitering", not_places="lockers"),
    A("line crossings at the school, no cyclists", "negation", types="tripwire", places="cam-school", not_cls="bicycle"),
    A("hard shoulder stops, no lorries or buses", "negation", types="stopped_vehicle", places="hard shoulder", not_cls=("truck", "bus")),
    A("car park: everything that isn't wrong-way or loitering", "negation", places="cam-carpark", not_types=("wrong_way", "loitering")),
    A("bags left anywhere but the harbour", "negation", types="abandoned_object", not_places="cam-harbour"),
    A("intrusions by anything other than a person", "negation", types="intrusion", not_cls="person"),
    A("speeding not counting km 12", "negation", types="speeding", not_places="cam-ring"),
    A("pedestrian zone incidents, leaving out the crowds", "negation", places="pedestrian zone", not_types="crowding"),
    A("right, for the harbour report I need all incidents apart from the container yard ones, thanks", "negation", places="cam-harbour", not_places="container yard"),
    A("ferry ramp parking, skip the red vehicles", "negation", types="illegal_parking", places="ferry ramp", not_colour="red"),
    # ---- numeric: a comparison on duration, speed, count or the margin over the limit --------------------------
    A("veh stopped on hard shoulder 20+ mins", "numeric", types="stopped_vehicle", places="hard shoulder", fact=("dur", ">", 1200)),
    A("loitering over 35 minutes", "numeric", types="loitering", fact=("dur", ">", 2100)),
    A("ring rd speeding 130+", "numeric", types="speeding", places="cam-ring", fact=("speed", ">", 130)),
    A("anyone doing more than 100 past the school?", "numeric", types="speeding", places="cam-school", fact=("speed", ">", 100)),
    A("drivers 30 over the limit at the school", "numeric", types="speeding", places="cam-school", fact=("over", ">", 30)),
    A("crowds bigger than 35 on the platforms", "numeric", types="crowding", places=("tram platform", "platform 3"), fact=("count", ">", 35)),
    A("queues of 40+ vehicles on the nb lanes", "numeric", types="congestion", places="northbound lanes", fact=("count", ">", 40)),
    A("parked in the disabled bays for more than 50 mins", "numeric", types="illegal_parking", places="disabled bays", fact=("dur", ">", 3000)),
    A("bags unattended 15 min plus at the lockers", "numeric", types="abandoned_object", places="lockers", fact=("dur", ">", 900)),
    A("intrusions shorter than 30 seconds", "numeric", types="intrusion", fact=("dur", "<", 30)),
    A("wrong-way for under 10 s", "numeric", types="wrong_way", fact=("dur", "<", 10)),
    A("crowding, under 10 people", "numeric", types="crowding", fact=("count", "<", 10)),
    A("speeding between 60 and 70 mph on the freeway", "numeric", types="speeding", places="cam-ring", fact=("speed", "between", 60 * _MPH, 70 * _MPH)),
    A("loitering 5 to 15 minutes at the depot gate", "numeric", types="loitering", places="bus depot gate", fact=("dur", "between", 300, 900)),
    A("congestion with fewer than 15 cars", "numeric", types="congestion", fact=("count", "<", 15)),
    A("stopped on the zebra crossing for more than 2 min", "numeric", types="stopped_vehicle", places="zebra crossing", fact=("dur", ">", 120)),
    A("bike lane parking longer than half an hour", "numeric", types="illegal_parking", places="bike lane", fact=("dur", ">", 1800)),
    A("school speeders over 55 mph", "numeric", types="speeding", places="cam-school", fact=("speed", ">", 55 * _MPH)),
    A("taxi rank stops over 25 mins", "numeric", types="stopped_vehicle", places="taxi rank", fact=("dur", ">", 1500)),
    A("intrusion > 10 mins on the tram tracks", "numeric", types="intrusion", places="tram tracks", fact=("dur", ">", 600)),
    A("ped loitering under a minute and a half", "numeric", types="loitering", fact=("dur", "<", 90)),
    A("harbour congestion 50 vehicles or more", "numeric", types="congestion", places="cam-harbour", fact=("count", ">", 50)),
    A("vehicles parked 1h+ in the loading bay", "numeric", types="illegal_parking", places="loading bay", fact=("dur", ">", 3600)),
    A("speeders barely over the limit, less than 10 km/h over", "numeric", types="speeding", fact=("over", "<", 10)),
    # ---- recency: the newest (or first) one ---------------------------------------------------------------------
    A("last ped intrusion on the tram tracks", "recency", types="intrusion", places="tram tracks", cls="person", order="newest"),
    A("when was the most recent abandoned bag at the quay?", "recency", types="abandoned_object", places="quay", order="newest"),
    A("latest wrong-way, level 2 ramp", "recency", types="wrong_way", places="level 2 ramp", order="newest"),
    A("what's the newest congestion alert on the ring", "recency", types="congestion", places="cam-ring", order="newest"),
    A("first loitering at the lockers today", "recency", "today", types="loitering", places="lockers", order="oldest"),
    A("the very last thing the depot camera saw", "recency", places="cam-depot", order="newest"),
    A("most recent crowd at the school gate", "recency", types="crowding", places="school gate", order="newest"),
    A("earliest speeder yesterday on the ring road", "recency", "d1", types="speeding", places="cam-ring", order="oldest"),
    A("last time somebody parked in the disabled bays", "recency", types="illegal_parking", places="disabled bays", order="newest"),
    A("most recent stop on the tram tracks", "recency", types="stopped_vehicle", places="tram tracks", order="newest"),
    A("latest line crossing at the depot", "recency", types="tripwire", places="cam-depot", order="newest"),
    A("first incident this morning, any camera", "recency", "today:morning", order="oldest"),
    A("most recent thing on market street?", "recency", places="cam-market", order="newest"),
    A("who was the last person hanging about at the harbour", "recency", types="loitering", places="cam-harbour", order="newest"),
    A("latest intrusion in the pedestrian zone", "recency", types="intrusion", places="pedestrian zone", order="newest"),
    A("newest alert at plat 3", "recency", places="platform 3", order="newest"),
    A("the last crowd in the ticket hall yesterday", "recency", "d1", types="crowding", places="ticket hall", order="newest"),
    A("first ferry ramp jam of the week", "recency", "this_week", types="congestion", places="ferry ramp", order="oldest"),
    # ---- no answer: what the system does not detect, types a place has no rule for, values beyond any fact, ----
    # ---- times before the deployment or in the future ---------------------------------------------------------
    A("anyone smoking at the fuel bay", "no_answer", answer=False, thing="smoking", places="fuel bay"),
    A("RTC on the slip road, two cars", "no_answer", answer=False, thing="collision", places="slip road"),
    A("vandalism at the tram shelter", "no_answer", answer=False, thing="vandalism", places="shelter"),
    A("bike stolen from outside the school", "no_answer", answer=False, thing="theft", places="cam-school"),
    A("someone fell onto the tracks at platform 3", "no_answer", answer=False, thing="fall", places="platform 3"),
    A("ambulance at the station concourse", "no_answer", answer=False, thing="ambulance", places="cam-station"),
    A("person in the water off the quay", "no_answer", answer=False, thing="drowning", places="quay"),
    A("protest march through the old town", "no_answer", answer=False, thing="protest", places="cam-market"),
    A("fox running around the parking garage", "no_answer", answer=False, thing="fox", places="cam-carpark"),
    A("oil spill on the hard shoulder", "no_answer", answer=False, thing="spill", places="hard shoulder"),
    A("car park barrier broken?", "no_answer", answer=False, thing="broken barrier", places="car park entrance"),
    A("ice on the motorway", "no_answer", answer=False, thing="ice", places="cam-ring"),
    A("fireworks let off at the harbour", "no_answer", answer=False, thing="fireworks", places="cam-harbour"),
    A("lost child reported at central station", "no_answer", answer=False, thing="lost child", places="cam-station"),
    A("power cut at the bus depot", "no_answer", answer=False, thing="power cut", places="cam-depot"),
    A("speeding in the car park", "no_answer", types="speeding", places="cam-carpark", answer=False),
    A("loitering on the ring road", "no_answer", types="loitering", places="cam-ring", answer=False),
    A("crowds at the bus depot", "no_answer", types="crowding", places="cam-depot", answer=False),
    A("illegal parking at the tram stop", "no_answer", types="illegal_parking", places="cam-tram", answer=False),
    A("congestion outside linden school", "no_answer", types="congestion", places="cam-school", answer=False),
    A("wrong way drivers at the harbour", "no_answer", types="wrong_way", places="cam-harbour", answer=False),
    A("abandoned bag on the ring road", "no_answer", types="abandoned_object", places="cam-ring", answer=False),
    A("anyone doing over 200 km/h", "no_answer", types="speeding", fact=("speed", ">", 200), answer=False),
    A("crowds of 80+ people", "no_answer", types="crowding", fact=("count", ">", 80), answer=False),
    A("loitering for over 2 hours", "no_answer", types="loitering", fact=("dur", ">", 7200), answer=False),
    A("purple car parked in the loading bay", "no_answer", types="illegal_parking", places="loading bay", colour="purple", answer=False),
    A("intrusions on {iso60}", "no_answer", "d60", types="intrusion", answer=False),
    A("what's going to happen at the harbour tomorrow night", "no_answer", "tomorrow:night", places="cam-harbour", answer=False),
    A("next week's illegal parking at the school", "no_answer", "nextweek", types="illegal_parking", places="cam-school", answer=False),
    # ---- Chinese (simplified and traditional) -------------------------------------------------------------------
    A("昨天下午停车场有什么事", "zh", "d1:afternoon", places="cam-carpark", lang="zh"),
    A("前天晚上港口有什么情况", "zh", "d2:evening", places="cam-harbour", lang="zh"),
    A("周二晚上环路的事件", "zh", "wd1:evening", places="cam-ring", lang="zh"),
    A("今天下午两点到四点有什么警报", "zh", "today:14-16", lang="zh"),
    A("过去24小时应急车道上停着的车", "zh", "past24h", types="stopped_vehicle", places="hard shoulder", lang="zh"),
    A("最近一次有人闯入集装箱堆场", "zh", types="intrusion", places="container yard", cls="person", order="newest", lang="zh"),
    A("学校门口超过30人的聚集", "zh", types="crowding", places="school gate", fact=("count", ">", 30), lang="zh"),
    A("环路超速超过每小时160公里", "zh", types="speeding", places="cam-ring", fact=("speed", ">", 160), lang="zh"),
    A("除了违停以外老城还有什么", "zh", places="cam-market", not_types="illegal_parking", lang="zh"),
    A("公交车场加油区的入侵，不要行人", "zh", types="intrusion", places="fuel bay", not_cls="person", lang="zh"),
    A("火车站储物柜有没有被遗忘的手提包", "zh", types="abandoned_object", places="lockers", cls="handbag", lang="zh"),
    A("红色汽车逆行", "zh", types="wrong_way", cls="car", colour="red", lang="zh"),
    A("今天早高峰环路堵车吗", "zh", "today:amrush", types="congestion", places="cam-ring", lang="zh"),
    A("本周自行车道上的违停", "zh", "this_week", types="illegal_parking", places="bike lane", lang="zh"),
    A("停车场有人打架吗", "zh", places="cam-carpark", thing="fight", answer=False, lang="zh"),
    A("港口有没有人落水", "zh", places="cam-harbour", thing="drowning", answer=False, lang="zh"),
    A("学校附近有人超速吗", "zh", types="speeding", places="cam-school", lang="zh"),
    A("下周环路的拥堵情况", "zh", "nextweek", types="congestion", places="cam-ring", answer=False, lang="zh"),
    A("大前天火车站的人群聚集", "zh", "d3", types="crowding", places="cam-station", lang="zh"),
    A("昨晚車站有什麼事", "zh", "d1:evnight", places="cam-station", lang="zh"),
    A("停車場殘障車位違規停車", "zh", types="illegal_parking", places="disabled bays", lang="zh"),
    A("過去一週港口的入侵", "zh", "past7d", types="intrusion", places="cam-harbour", lang="zh"),
    A("環路上逆行的車輛", "zh", types="wrong_way", places="cam-ring", lang="zh"),
    A("學校門口的人群", "zh", types="crowding", places="school gate", lang="zh"),
    A("電車軌道上有人闖入嗎", "zh", types="intrusion", places="tram tracks", cls="person", lang="zh"),
    A("最近一次超速是幾點", "zh", types="speeding", order="newest", lang="zh"),
    A("上週末碼頭有沒有無人看管的行李", "zh", "weekend", types="abandoned_object", places="quay", lang="zh"),
    A("停留超過20分鐘的卡車", "zh", types="stopped_vehicle", cls="truck", fact=("dur", ">", 1200), lang="zh"),
    A("公車場有沒有火災", "zh", places="cam-depot", thing="fire", answer=False, lang="zh"),
    A("今天凌晨有什麼警報", "zh", "today:smallhours", lang="zh"),
    A("老城步行區逆行，不包括卡車", "zh", types="wrong_way", places="pedestrian zone", not_cls="truck", lang="zh"),
    A("{zh2}下午學校附近的違停", "zh", "d2:afternoon", types="illegal_parking", places="cam-school", lang="zh"),
    A("渡輪坡道最新的違停", "zh", types="illegal_parking", places="ferry ramp", order="newest", lang="zh"),
    # ---- Spanish ------------------------------------------------------------------------------------------------
    A("anteayer por la tarde en la estación", "es", "d2:afternoon", places="cam-station", lang="es"),
    A("el martes por la noche, ¿algo en el puerto?", "es", "wd1:evnight", places="cam-harbour", lang="es"),
    A("hoy entre las 2 y las 4 de la tarde en la circunvalación o en la estación", "es", "today:14-16", places=("cam-ring", "cam-station"), lang="es"),
    A("atascos en la circunvalación en la hora punta de ayer por la tarde", "es", "d1:pmrush", types="congestion", places="cam-ring", lang="es"),
    A("en las últimas 24 h, vehículos parados en el arcén", "es", "past24h", types="stopped_vehicle", places="hard shoulder", lang="es"),
    A("peatones en las vías del tranvía", "es", types="intrusion", places="tram tracks", cls="person", lang="es"),
    A("furgoneta blanca aparcada en la zona de carga", "es", types="illegal_parking", places="loading bay", cls=("car", "truck"), colour="white", lang="es"),
    A("maleta abandonada en la consigna de la estación", "es", types="abandoned_object", places="lockers", cls="suitcase", lang="es"),
    A("alguien merodeando en la puerta de la cochera", "es", types="loitering", places="bus depot gate", lang="es"),
    A("moto aparcada en el carril bici", "es", types="illegal_parking", places="bike lane", cls="motorcycle", lang="es"),
    A("coche circulando en dirección contraria por la rampa del aparcamiento", "es", types="wrong_way", places="level 2 ramp", cls="car", lang="es"),
    A("exceso de velocidad de más de 100 km/h delante del colegio", "es", types="speeding", places="cam-school", fact=("speed", ">", 100), lang="es"),
    A("colas de más de 40 vehículos en la rampa del ferry", "es", types="congestion", places="ferry ramp", fact=("count", ">", 40), lang="es"),
    A("aparcamiento indebido en las plazas de minusválidos más de 45 minutos", "es", types="illegal_parking", places="disabled bays", fact=("dur", ">", 2700), lang="es"),
    A("todo en la estación salvo las aglomeraciones", "es", places="cam-station", not_types="crowding", lang="es"),
    A("intrusiones en la cochera excepto en los surtidores", "es", types="intrusion", places="cam-depot", not_places="fuel bay", lang="es"),
    A("vehículos detenidos en el arcén que no sean camiones", "es", types="stopped_vehicle", places="hard shoulder", not_cls="truck", lang="es"),
    A("la última intrusión en el andén 3", "es", types="intrusion", places="platform 3", order="newest", lang="es"),
    A("el atasco más reciente en el puerto", "es", types="congestion", places="cam-harbour", order="newest", lang="es"),
    A("la primera incidencia de hoy en el colegio", "es", "today", places="cam-school", order="oldest", lang="es"),
    A("¿hubo algún incendio en la estación?", "es", places="cam-station", thing="fire", answer=False, lang="es"),
    A("accidente de tráfico en la circunvalación", "es", places="cam-ring", thing="collision", answer=False, lang="es"),
    A("un perro en el paso de cebra", "es", places="zebra crossing", thing="dog", answer=False, lang="es"),
    A("exceso de velocidad dentro del aparcamiento", "es", types="speeding", places="cam-carpark", answer=False, lang="es"),
    A("incidencias de la semana que viene en el puerto", "es", "nextweek", places="cam-harbour", answer=False, lang="es"),
    A("¿algo en las últimas cuatro horas?", "es", "past4h", lang="es"),
    A("el jueves de madrugada en la circunvalación", "es", "wd3:smallhours", places="cam-ring", lang="es"),
    A("el {es4} en el casco antiguo", "es", "d4", places="cam-market", lang="es"),
    A("ciclistas cruzando la línea en el colegio", "es", types="tripwire", places="cam-school", cls="bicycle", lang="es"),
    A("aglomeraciones de menos de 12 personas en el andén del tranvía", "es", types="crowding", places="tram platform", fact=("count", "<", 12), lang="es"),
    A("coche rojo parado en la parada de taxis", "es", types="stopped_vehicle", places="taxi rank", cls="car", colour="red", lang="es"),
    A("desde las 8 de la mañana, ¿algo en el puerto?", "es", "today:from8", places="cam-harbour", lang="es"),
    A("gente en el muelle más de 20 minutos", "es", types="loitering", places="quay", fact=("dur", ">", 1200), lang="es"),
)
# fmt: on

# ---- the split ----------------------------------------------------------------------------------------------------
_SALT_N = 999  # the first salt that splits every category within two queries (see _even_salt)


def split_of(text: str, salt: str | None = None) -> str:
    s = (salt if salt is not None else SALT + str(_SALT_N)) + text
    return "test" if hashlib.sha256(s.encode()).digest()[0] & 1 else "dev"


# ---- time ---------------------------------------------------------------------------------------------------------
# Part of a day: (relevant hour spans, don't-care hour spans), hours from that day's local midnight (may pass 24).
_PARTS: dict[str, tuple[list[tuple[float, float]], list[tuple[float, float]]]] = {
    "morning": ([(6, 12)], [(5, 6), (12, 13)]),
    "afternoon": ([(12, 18)], [(11, 12), (18, 19)]),
    "evening": ([(18, 22)], [(16.5, 18), (22, 23.5)]),
    "night": ([(22, 30)], [(20, 22), (30, 31)]),
    "evnight": ([(18, 30)], [(17, 18), (30, 31)]),
    "afterdark": ([(18, 31)], [(17, 18), (31, 32)]),
    "lunch": ([(12, 14.5)], [(11.5, 12), (14.5, 15.5)]),
    "amrush": ([(7, 10)], [(6, 7), (10, 11)]),
    "pmrush": ([(16.5, 19.5)], [(16, 16.5), (19.5, 20.5)]),
    "late": ([(21, 24)], [(19, 21), (24, 27)]),
    "smallhours": ([(0, 5)], [(-1, 0), (5, 6.5)]),
    "early": ([(4, 9)], [(0, 4), (9, 10)]),
}


def _part(spec: str) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    if spec in _PARTS:
        return _PARTS[spec]
    if m := re.fullmatch(r"after(\d+)", spec):
        h = int(m[1])
        return [(h, 24)], [(h - 0.25, h), (24, 27)]
    if m := re.fullmatch(r"before(\d+)", spec):
        h = int(m[1])
        return [(0, h)], [(h, h + 0.5)]
    if m := re.fullmatch(r"from(\d+)", spec):
        h = int(m[1])
        return [(h, 48)], [(h - 0.25, h)]
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)", spec):  # "7-8.5": 07:00 to 08:30; "22-26": past midnight
        a, b = float(m[1]), float(m[2])
        return [(a, b)], [(a - 0.5, a), (b, b + 0.5)]
    raise ValueError(spec)


def _midnight(d, tz) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz)


def window(key: str, now: datetime) -> tuple[list[Interval], list[Interval]]:
    """A time key on the clock ``now`` → (relevant start-time intervals, don't-care intervals), UTC."""
    tz = ZoneInfo(TZ)
    local = now.astimezone(tz)
    today = local.date()
    day_key, _, part = key.partition(":")
    rel: list[Interval]
    dc: list[Interval] = []
    day = None
    if day_key == "today":
        day = today
    elif day_key == "tomorrow":
        day = today + timedelta(days=1)
    elif m := re.fullmatch(r"d(\d+)", day_key):
        day = today - timedelta(days=int(m[1]))
    elif m := re.fullmatch(r"wd(\d)", day_key):  # the most recent such weekday before today (0 = Monday)
        back = (today.weekday() - int(m[1])) % 7 or 7
        day = today - timedelta(days=back)
    if day is not None:
        m0 = _midnight(day, tz)
        spans = _part(part) if part else ([(0, 24)], [(-0.5, 0), (24, 24.5)])
        rel = [(m0 + timedelta(hours=a), m0 + timedelta(hours=b)) for a, b in spans[0]]
        dc = [(m0 + timedelta(hours=a), m0 + timedelta(hours=b)) for a, b in spans[1]]
    elif m := re.fullmatch(r"past(\d+)([mhd])", key):
        span = timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[m[2]]: int(m[1])})
        rel = [(local - span, local)]
        slack = span * 0.1 + timedelta(minutes=10) if m[2] != "d" else timedelta(days=1)
        dc = [(local - span - slack, local - span)]
    elif key == "this_week":
        mon = _midnight(today - timedelta(days=today.weekday()), tz)
        rel = [(mon, local)]
        dc = [(mon - timedelta(hours=6), mon)]
    elif key == "last_week":
        mon = _midnight(today - timedelta(days=today.weekday()), tz)
        rel = [(_midnight(mon.date() - timedelta(days=7), tz), mon)]
        dc = [(mon, local), (rel[0][0] - timedelta(hours=6), rel[0][0])]
    elif key == "nextweek":
        mon = _midnight(today + timedelta(days=7 - today.weekday()), tz)
        rel = [(mon, _midnight(mon.date() + timedelta(days=7), tz))]
    elif key == "weekend":  # the last Saturday + Sunday that is over
        sat = today - timedelta(days=(today.weekday() - 5) % 7)
        if sat + timedelta(days=2) > today:
            sat -= timedelta(days=7)
        s0, m0 = _midnight(sat, tz), _midnight(sat + timedelta(days=2), tz)
        rel = [(s0, m0)]
        dc = [(s0 - timedelta(hours=6), s0), (m0, m0 + timedelta(hours=6))]
    elif m := re.fullmatch(r"wdr(\d)-(\d)", key):  # "Monday to Wednesday": the most recent such span before today
        a, b = int(m[1]), int(m[2])
        end = today - timedelta(days=(today.weekday() - b) % 7 or 7)
        s0, e0 = _midnight(end - timedelta(days=b - a), tz), _midnight(end + timedelta(days=1), tz)
        rel = [(s0, e0)]
        dc = [(s0 - timedelta(hours=3), s0), (e0, e0 + timedelta(hours=3))]
    else:
        raise ValueError(key)
    utc = timezone.utc
    rel = [(a.astimezone(utc), min(b, local).astimezone(utc) if day_key != "tomorrow" and key != "nextweek" else b.astimezone(utc))
           for a, b in rel]
    dc = [(a.astimezone(utc), b.astimezone(utc)) for a, b in dc]
    return rel, dc


# ---- absolute dates -----------------------------------------------------------------------------------------------
_EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_ES_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def fill(text: str, now: datetime) -> str:
    """Fill the date placeholders (``{dm3}``: three days before today, local time) from the clock."""
    today = now.astimezone(ZoneInfo(TZ)).date()

    def one(m: re.Match) -> str:
        d = today - timedelta(days=int(m[2]))
        return {"dm": f"{d.day}/{d.month}", "iso": d.isoformat(), "en": f"{_EN_MONTHS[d.month - 1]} {d.day}",
                "ord": _ordinal(d.day), "us": f"{d.month}/{d.day}",
                "zh": f"{d.month}月{d.day}日", "es": f"{d.day} de {_ES_MONTHS[d.month - 1]}"}[m[1]]

    return re.sub(r"\{(dm|iso|en|ord|us|zh|es)(\d+)\}", one, text)


# ---- labels -------------------------------------------------------------------------------------------------------
def _fact(inc: Incident, name: str) -> float | None:
    f = inc.facts
    if name == "dur":
        return f.get("duration_s")
    if name == "speed":
        return f.get("speed_kmh")
    if name == "count":
        return f.get("count")
    if name == "over":
        return None if f.get("speed_kmh") is None else f["speed_kmh"] - f["limit_kmh"]
    raise ValueError(name)


def _at(inc: Incident, places: tuple[str, ...]) -> bool:
    return inc.camera.id in places or inc.zone in places


def status(inc: Incident, ask: Ask, win: tuple[list[Interval], list[Interval]] | None) -> str | None:
    """``"rel"`` when the incident is what the operator asks for, ``"dc"`` when it sits in a fuzzy band (time edge,
    a value within 2 % of the threshold, a duration still open), else None."""
    if ask.thing:
        return None
    if ask.types and inc.type not in ask.types:
        return None
    if ask.places and not _at(inc, ask.places):
        return None
    if ask.cls and inc.cls not in ask.cls:
        return None
    if ask.colour and inc.colour not in ask.colour:
        return None
    if inc.type in ask.not_types or (ask.not_cls and inc.cls in ask.not_cls) or _at(inc, ask.not_places) \
            or (ask.not_colour and inc.colour in ask.not_colour):
        return None
    out = "rel"
    if ask.fact:
        name, op, *v = ask.fact
        x = _fact(inc, name)
        if x is None:
            return None
        if name == "dur" and len(inc.revisions) == 1:  # still open: its duration is not known yet
            out = "dc"
        edges = v
        ok = {">": x > v[0], "<": x < v[0], "between": len(v) == 2 and v[0] <= x <= v[-1]}[op]
        near = any(abs(x - e) <= 0.02 * e for e in edges)
        if near:
            out = "dc"
        elif not ok:
            return None
    if win is not None:
        rel, dc = win
        t = inc.started_at
        if any(a <= t < b for a, b in rel):
            return out
        if any(a <= t < b for a, b in dc):
            return "dc"
        return None
    return out


def generate(corpus: list[Incident], now: datetime, *, asks: tuple[Ask, ...] | None = None, split=None,
             when=None) -> list[Query]:
    """The labelled queries on this corpus and clock; an answerable query with nothing to find is left out.
    ``asks`` / ``split`` / ``when`` let a later set (``blind7.py``) reuse this labeller with its own queries, split
    and time keys (defaults: this set's)."""
    asks, split, when = asks or ALL, split or split_of, when or window
    out = []
    for ask in asks:
        win = when(ask.when, now) if ask.when else None
        rel, dc = [], set()
        for inc in corpus:
            s = status(inc, ask, win)
            if s == "rel":
                rel.append(inc)
            elif s == "dc":
                dc.add(inc.id)
        if not ask.answer:
            assert not rel, f"a no-answer question has matches: {ask.text}"
            relevant: list[str] = []
        elif not rel:
            continue
        elif ask.order:
            pick = (max if ask.order == "newest" else min)(rel, key=lambda i: i.started_at)
            relevant = [pick.id]
        else:
            relevant = [i.id for i in rel]
        types = set(ask.types if ask.parse_types is None else ask.parse_types)
        intent = Intent(times=list(win[0]) if win else [], types=types, newest=ask.order == "newest")
        out.append(Query(text=fill(ask.text, now), category=ask.category, lang=ask.lang, intent=intent,
                         relevant=relevant, ignore=dc, split=split(ask.text)))
    return out


def _even_salt(asks: tuple[Ask, ...] | None = None, prefix: str = SALT) -> int:
    """The first salt ``prefix + n`` that splits every category of ``asks`` (default: this set's) within two
    queries; ``blind7.py`` reuses it with its own queries and prefix."""
    from collections import Counter

    asks = asks or ALL
    for n in range(200_000):
        by = Counter((a.category, split_of(a.text, prefix + str(n))) for a in asks)
        if all(abs(by[c, "test"] - by[c, "dev"]) <= 2 for c in {a.category for a in asks}):
            return n
    raise RuntimeError("no even salt")
