"""A fifth held-out operator set (issue 9, item 5): the dev halves of ``blind.py`` … ``blind4.py`` have been tuned
on, so this one is a fresh measure of wording nobody has tuned for.

Written by a fifth blind author who did not read ``services/search`` (parser, vocabulary, floor), ``phrasing.py``,
``queries.py``, the other ``blind*.py`` query lists, the query-understanding sections of ``docs/search.md`` nor the
search tests; only ``city.py`` (what an operator of this deployment knows: cameras, zones, aliases, descriptions,
incident types and facts), the incident contract, and ``harness.py`` / ``report.py`` for the shape a set must have.

Everything here is self-contained: its own query record (:class:`Ask`), its own time reader (:func:`window`), its
own labeller (:func:`status`); only the harness's record (``queries.Query`` / ``Intent``: text, split, relevant,
ignored, time windows, types) is shared. Every query
carries the operator's meaning (places, types, classes, colours, exclusions, one fact comparison, newest / oldest)
and a time key read on the load-time clock, with don't-care bands at fuzzy edges ("after dark", "overnight",
"late Friday", numeric thresholds within 2 %). Labels come from the generated city, never from a search result.
Absolute dates are placeholders (``{dm3}`` is 3 days ago as ``25/11``; also ``{iso}``, ``{en}``, ``{ord}``, ``{us}``,
``{zh}``, ``{es}``) filled from the same clock.

Voices: shift handover notes, radio shorthand, tickets, complaints relayed by a dispatcher, police footage requests,
a supervisor's questions, typos and abbreviations, mph and km/h, minutes and hours; Chinese (simplified and
traditional) and Spanish written natively (about a quarter of the set).

The split is a salted hash of each query's template wording (before dates are filled in); the salt was chosen only so
that every category splits within one query. The test half was committed, its digest pinned in
``tests/test_search_eval_blind5.py``, before the search first ran on any of these queries. Run it with
``python -m tests.search_eval.report --set blind5 --split dev|test``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.search_eval.city import CAMERAS, TZ, Incident
from tests.search_eval.queries import Intent, Query  # the record the harness scores (only times, types, newest set)

SALT = "blind5-"  # completed by _SALT_N below
Interval = tuple[datetime, datetime]

_ZONES = {z.name for c in CAMERAS for z in c.zones}
_CAMS = {c.id for c in CAMERAS}
_TYPES = {"loitering", "crowding", "intrusion", "abandoned_object", "stopped_vehicle", "illegal_parking", "speeding",
          "wrong_way", "congestion", "tripwire"}
_MPH = 1.609344


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
    # ---- time: a time phrase plus a type and/or a place -------------------------------------------------------
    A("anything kick off at the station last night?", "time", "d1:evnight", places="cam-station"),
    A("night shift summary: what came in overnight", "time", "d1:night"),
    A("any breakdowns yesterday morning", "time", "d1:morning", types="stopped_vehicle"),
    A("anything reported around lunchtime yesterday?", "time", "d1:lunch"),
    A("wrong-way drivers on the slip road in the past 48 hrs", "time", "past48h", types="wrong_way", places="slip road"),
    A("what happened at the depot and the harbour after dark yesterday", "time", "d1:afterdark", places=("cam-depot", "cam-harbour")),
    A("speeding outside the school this week", "time", "this_week", types="speeding", places="cam-school"),
    A("stuff left behind anywhere on {dm3}", "time", "d3", types="abandoned_object"),
    A("parking violations on tuesday", "time", "wd1", types="illegal_parking"),
    A("what came in late on friday night", "time", "wd4:late"),
    A("traffic problems in the evening peak yday", "time", "d1:pmrush", types=("stopped_vehicle", "illegal_parking", "speeding", "wrong_way", "congestion")),
    A("morning rush {en2}: any hold-ups or breakdowns?", "time", "d2:amrush", types=("congestion", "stopped_vehicle")),
    A("anything new in the last 90 minutes?", "time", "past90m"),
    A("since 8 this morning, anything?", "time", "today:from8"),
    A("between 3 and 5pm on the {ord2}, what did we have", "time", "d2:15-17"),
    A("harbour loitering over the weekend", "time", "weekend", types="loitering", places="cam-harbour"),
    A("incidents at the car park entrance last week", "time", "last_week", places="car park entrance"),
    A("car park incidents monday to wednesday", "time", "wdr0-2", places="cam-carpark"),
    A("anything between midnight and 6 this morning", "time", "today:0-6"),
    A("vehicle incidents yesterday between 2pm and 5pm", "time", "d1:14-17", types=("stopped_vehicle", "illegal_parking", "speeding", "wrong_way", "congestion")),
    A("ring road wrong way, {iso4}", "time", "d4", types="wrong_way", places="cam-ring"),
    A("level 2 ramp events in the past 3 days", "time", "past3d", places="level 2 ramp"),
    A("crowds/queues yday am", "time", "d1:morning", types=("crowding", "congestion")),
    A("before 9 this morning, anything at the school or the station?", "time", "today:before9", places=("cam-school", "cam-station")),
    A("the morning of the {ord3}, anything at the station?", "time", "d3:morning", places="cam-station"),
    A("any abandoned bags the day before yesterday", "time", "d2", types="abandoned_object"),
    A("since midnight, any intrusions?", "time", "today", types="intrusion"),
    A("during the night of {dm5}", "time", "d5:night"),
    A("anything after 9pm on sunday", "time", "wd6:after21"),
    A("fuel bay intrusions within the last fortnight", "time", "past14d", types="intrusion", places="fuel bay"),
    A("what came in early this morning", "time", "today:early"),
    A("supervisor q: how many times has someone gone the wrong way down the level 2 ramp this week", "time", "this_week", types="wrong_way", places="level 2 ramp"),
    A("Traffic Police request: all speeding at Km 12 on {us4}", "time", "d4", types="speeding", places="cam-ring"),
    A("radio: unit 4 at the harbour, anything at the ferry ramp in the last 72h?", "time", "past72h", places="ferry ramp"),
    A("handover: need all crowd alerts at central station thurs afternoon", "time", "wd3:afternoon", types="crowding", places="cam-station"),
    # ---- place: named by alias, zone, or the words of its description ------------------------------------------
    A("everything from the shelter by the newspaper kiosk", "place", places="shelter"),
    A("cam at the diesel pumps - anything?", "place", places="fuel bay"),
    A("show me the left-luggage lockers", "place", places="lockers"),
    A("incidents at the accessible spaces next to the lift", "place", places="disabled bays"),
    A("what's been going on at the exit ramp to the airport road", "place", places="slip road"),
    A("northbound emergency lane", "place", places="hard shoulder"),
    A("pull up all alerts for the Foundry Lane gate pls", "place", places="bus depot gate"),
    A("taxi rank by the fountain", "place", places="taxi rank"),
    A("supermarket delivery bay alerts", "place", places="loading bay"),
    A("the rails crossing market square", "place", places="tram tracks"),
    A("events in the car-free bit between the church and the fountain", "place", places="pedestrian zone"),
    A("edge of the ferry quay", "place", places="quay"),
    A("fenced yard with the stacked containers", "place", places="container yard"),
    A("regional trains platform", "place", places="platform 3"),
    A("info desk area at the station", "place", places="ticket hall"),
    A("bus wash next to the workshop", "place", places="wash line"),
    A("the striped crossing outside linden primary", "place", places="zebra crossing"),
    A("km 12", "place", places="cam-ring"),
    A("riverside multi storey", "place", places="cam-carpark"),
    A("main gate of the school yard", "place", places="school gate"),
    A("ramp between the 1st and 2nd floors", "place", places="level 2 ramp"),
    A("cycle lane on the school side", "place", places="bike lane"),
    A("vehicle ramp onto the ferry", "place", places="ferry ramp"),
    A("tram stop", "place", places="cam-tram"),
    A("car park entrance barrier", "place", places="car park entrance"),
    A("main carriageway towards the airport", "place", places="northbound lanes"),
    A("old town cam, all events", "place", places="cam-market"),
    # ---- soft: the event described in the operator's own words -------------------------------------------------
    A("police req 22/4471: any red cars going the wrong way on the slip road?", "soft", types="wrong_way", places="slip road", cls="car", colour="red"),
    A("complaint from a resident: lorries parked in the bike lane outside the school", "soft", types="illegal_parking", places="bike lane", cls="truck"),
    A("Dispatcher: member of public reports a suitcase left by the lockers, can you confirm", "soft", types="abandoned_object", places="lockers", cls="suitcase"),
    A("guy hanging about the lockers for ages", "soft", types="loitering", places="lockers"),
    A("unattended suitcase at the train station", "soft", types="abandoned_object", places="cam-station", cls="suitcase"),
    A("someone trespassing on the tram tracks", "soft", types="intrusion", places="tram tracks", cls="person"),
    A("lorry broken down on the hard shoulder", "soft", types="stopped_vehicle", places="hard shoulder", cls="truck"),
    A("car driving against the traffic on the slip road", "soft", types="wrong_way", places="slip road", cls="car"),
    A("red car blocking the loading bay", "soft", types="illegal_parking", places="loading bay", cls="car", colour="red"),
    A("rammed platform for the regional trains", "soft", types="crowding", places="platform 3"),
    A("tailbacks on the ring road", "soft", types="congestion", places="cam-ring"),
    A("motorbike parked in the cycle lane", "soft", types="illegal_parking", places="bike lane", cls="motorcycle"),
    A("someone jumped the fence at the depot", "soft", types=("tripwire", "intrusion"), places="cam-depot", cls="person"),
    A("bloke in a black jacket lurking on the quay", "soft", types="loitering", places="quay", colour="black"),
    A("white van sat on the zebra crossing", "soft", types="stopped_vehicle", places="zebra crossing", cls=("car", "truck"), colour="white"),
    A("forgotten rucksack down at the harbour", "soft", types="abandoned_object", places="cam-harbour", cls="backpack"),
    A("gridlock getting onto the ferry", "soft", types="congestion", places="ferry ramp"),
    A("cyclist going over the line at the school", "soft", types="tripwire", places="cam-school", cls="bicycle"),
    A("people milling about at the depot gate", "soft", types="loitering", places="bus depot gate"),
    A("someone in a red top wandering up and down the level 2 ramp", "soft", types="loitering", places="level 2 ramp", colour="red"),
    A("big queue of traffic heading to the airport", "soft", types="congestion", places="northbound lanes"),
    A("car in the disabled spot again", "soft", types="illegal_parking", places="disabled bays", cls="car"),
    A("bus stuck on the tram tracks", "soft", types="stopped_vehicle", places="tram tracks", cls="bus"),
    A("someone on platform 3 where they shouldn't be", "soft", types="intrusion", places="platform 3", cls="person"),
    A("mob outside the school gates", "soft", types="crowding", places="school gate"),
    A("lady's handbag left on the quay", "soft", types="abandoned_object", places="quay", cls="handbag"),
    A("boy racers on the ring road", "soft", types="speeding", places="cam-ring"),
    A("grey hatchback going the wrong way up the car park ramp", "soft", types="wrong_way", places="level 2 ramp", cls="car", colour="grey"),
    A("caller says a green lorry's been idling at the taxi rank", "soft", types="stopped_vehicle", places="taxi rank", cls="truck", colour="green"),
    # ---- negation: an exclusion of a type, class, colour or place ----------------------------------------------
    A("intrusions at the harbour that weren't people", "negation", types="intrusion", places="cam-harbour", not_cls="person"),
    A("everything on the ring road except speeding", "negation", places="cam-ring", not_types="speeding"),
    A("stopped vehicles on the hard shoulder, not cars", "negation", types="stopped_vehicle", places="hard shoulder", not_cls="car"),
    A("abandoned items at the station but no suitcases", "negation", types="abandoned_object", places="cam-station", not_cls="suitcase"),
    A("loading bay parking excluding white vehicles", "negation", types="illegal_parking", places="loading bay", not_colour="white"),
    A("car park alerts other than illegal parking", "negation", places="cam-carpark", not_types="illegal_parking"),
    A("depot intrusions, leave out the fuel bay", "negation", types="intrusion", places="cam-depot", not_places="fuel bay"),
    A("school crossing incidents apart from speeders", "negation", places="cam-school", not_types="speeding"),
    A("tram stop: anything but crowding or loitering", "negation", places="cam-tram", not_types=("crowding", "loitering")),
    A("wrong way in the pedestrian zone w/o trucks", "negation", types="wrong_way", places="pedestrian zone", not_cls="truck"),
    A("line crossings at the school that aren't pedestrians", "negation", types="tripwire", places="cam-school", not_cls="person"),
    A("market street, skip the illegal parking ones", "negation", places="cam-market", not_types="illegal_parking"),
    A("non-black cars parked on the ferry ramp", "negation", types="illegal_parking", places="ferry ramp", cls="car", not_colour="black"),
    A("speeding anywhere but the ring road", "negation", types="speeding", not_places="cam-ring"),
    A("loiterers everywhere except the station", "negation", types="loitering", not_places="cam-station"),
    A("stopped vehicles at the wash line excluding buses", "negation", types="stopped_vehicle", places="wash line", not_cls="bus"),
    A("crowds that weren't on platform 3", "negation", types="crowding", not_places="platform 3"),
    A("any alerts at the harbour that aren't intrusions", "negation", places="cam-harbour", not_types="intrusion"),
    A("handover note: ignore the taxi rank stuff, what else on market street", "negation", places="cam-market", not_places="taxi rank"),
    A("intrusions minus the tram tracks ones", "negation", types="intrusion", not_places="tram tracks"),
    # ---- numeric: a comparison on duration, speed, count or the margin over the limit --------------------------
    A("pls chk hard shoulder, motorbike stopped >10 min", "numeric", types="stopped_vehicle", places="hard shoulder", cls="motorcycle", fact=("dur", ">", 600)),
    A("loitering longer than 30 min at the lockers", "numeric", types="loitering", places="lockers", fact=("dur", ">", 1800)),
    A("vehicles stopped on the hard shoulder > 30 mins", "numeric", types="stopped_vehicle", places="hard shoulder", fact=("dur", ">", 1800)),
    A("speeding above 150 km/h ring road", "numeric", types="speeding", places="cam-ring", fact=("speed", ">", 150)),
    A("school crossing speeders doing 90+", "numeric", types="speeding", places="cam-school", fact=("speed", ">", 90)),
    A("anyone over 100 mph on the motorway", "numeric", types="speeding", places="cam-ring", fact=("speed", ">", 100 * _MPH)),
    A("crowds of more than 40 people", "numeric", types="crowding", fact=("count", ">", 40)),
    A("congestion with 50+ vehicles queued", "numeric", types="congestion", fact=("count", ">", 50)),
    A("illegal parking over an hour", "numeric", types="illegal_parking", fact=("dur", ">", 3600)),
    A("bags left unattended for more than 20 minutes", "numeric", types="abandoned_object", fact=("dur", ">", 1200)),
    A("short loitering only, under 2 min", "numeric", types="loitering", fact=("dur", "<", 120)),
    A("stopped less than a minute at the taxi rank", "numeric", types="stopped_vehicle", places="taxi rank", fact=("dur", "<", 60)),
    A("intrusions lasting over 10 minutes in the container yard", "numeric", types="intrusion", places="container yard", fact=("dur", ">", 600)),
    A("wrong-way drivers who kept going for more than half a minute", "numeric", types="wrong_way", fact=("dur", ">", 30)),
    A("school gate crowding with fewer than 12 people", "numeric", types="crowding", places="school gate", fact=("count", "<", 12)),
    A("speeding 40 or more over the limit", "numeric", types="speeding", fact=("over", ">", 40)),
    A("speeders under 60 at the school", "numeric", types="speeding", places="cam-school", fact=("speed", "<", 60)),
    A("people loitering 20-40 min on the quay", "numeric", types="loitering", places="quay", fact=("dur", "between", 1200, 2400)),
    A("queues of 30 or more at the ferry", "numeric", types="congestion", places="ferry ramp", fact=("count", ">", 30)),
    A("trespass > 12 mins at platform 3", "numeric", types="intrusion", places="platform 3", fact=("dur", ">", 720)),
    A("ring road speeding between 120 and 130 kmh", "numeric", types="speeding", places="cam-ring", fact=("speed", "between", 120, 130)),
    A("vehicles in the disabled bays for 45min or more", "numeric", types="illegal_parking", places="disabled bays", fact=("dur", ">", 2700)),
    A("crowd above 25 in the ticket hall", "numeric", types="crowding", places="ticket hall", fact=("count", ">", 25)),
    A("doing over 70mph on the ring road", "numeric", types="speeding", places="cam-ring", fact=("speed", ">", 70 * _MPH)),
    # ---- recency: the newest (or first) one ---------------------------------------------------------------------
    A("latest intrusion at the depot", "recency", types="intrusion", places="cam-depot", order="newest"),
    A("most recent wrong-way on the slip road", "recency", types="wrong_way", places="slip road", order="newest"),
    A("last time someone left a bag at the lockers", "recency", types="abandoned_object", places="lockers", order="newest"),
    A("newest crowding alert, central station", "recency", types="crowding", places="cam-station", order="newest"),
    A("first speeding at the school this week", "recency", "this_week", types="speeding", places="cam-school", order="oldest"),
    A("when did the ferry ramp last jam up", "recency", types="congestion", places="ferry ramp", order="newest"),
    A("bags left at the harbour, newest first", "recency", types="abandoned_object", places="cam-harbour", order="newest"),
    A("most recent event on any camera", "recency", order="newest"),
    A("earliest hard shoulder stop yesterday", "recency", "d1", types="stopped_vehicle", places="hard shoulder", order="oldest"),
    A("last loitering alert at the harbour", "recency", types="loitering", places="cam-harbour", order="newest"),
    A("latest illegal parking loading bay", "recency", types="illegal_parking", places="loading bay", order="newest"),
    A("the most recent tram tracks intrusion", "recency", types="intrusion", places="tram tracks", order="newest"),
    A("first stop at the taxi rank today", "recency", "today", types="stopped_vehicle", places="taxi rank", order="oldest"),
    A("what was the last thing the car park camera flagged", "recency", places="cam-carpark", order="newest"),
    A("newest tripwire crossing at linden school", "recency", types="tripwire", places="cam-school", order="newest"),
    A("most recent speeder on the ring road", "recency", types="speeding", places="cam-ring", order="newest"),
    A("first crowding at the school gate yesterday", "recency", "d1", types="crowding", places="school gate", order="oldest"),
    # ---- no answer: what the system does not detect, types a place has no rule for, values beyond any fact, ----
    # ---- times before the deployment or in the future ---------------------------------------------------------
    A("fire at the fuel bay", "no_answer", answer=False, thing="fire", places="fuel bay"),
    A("fallen tree blocking the ring road", "no_answer", answer=False, thing="tree", places="cam-ring"),
    A("stray dog on the tram tracks", "no_answer", answer=False, thing="dog", places="tram tracks"),
    A("cat stuck in the car park", "no_answer", answer=False, thing="cat", places="cam-carpark"),
    A("flooding in the underpass", "no_answer", answer=False, thing="flood"),
    A("graffiti on the depot wall", "no_answer", answer=False, thing="graffiti", places="cam-depot"),
    A("fight outside the station", "no_answer", answer=False, thing="fight", places="cam-station"),
    A("smoke coming from the container yard", "no_answer", answer=False, thing="smoke", places="container yard"),
    A("pothole on the slip road", "no_answer", answer=False, thing="pothole", places="slip road"),
    A("person collapsed at the school gate", "no_answer", answer=False, thing="fall", places="school gate"),
    A("traffic lights out at the school crossing", "no_answer", answer=False, thing="traffic light", places="cam-school"),
    A("shoplifting reported on market street", "no_answer", answer=False, thing="theft", places="cam-market"),
    A("horse loose on the motorway", "no_answer", answer=False, thing="horse", places="cam-ring"),
    A("gunshots heard near the harbour", "no_answer", answer=False, thing="gunshot", places="cam-harbour"),
    A("drone flying over the container yard", "no_answer", answer=False, thing="drone", places="container yard"),
    A("speeding at the harbour", "no_answer", types="speeding", places="cam-harbour", answer=False),
    A("crowd of pedestrians gathering on the ring road", "no_answer", types="crowding", places="cam-ring", answer=False),
    A("illegal parking at central station", "no_answer", types="illegal_parking", places="cam-station", answer=False),
    A("wrong way at the tram stop", "no_answer", types="wrong_way", places="cam-tram", answer=False),
    A("abandoned bags at the bus depot", "no_answer", types="abandoned_object", places="cam-depot", answer=False),
    A("loitering at linden school", "no_answer", types="loitering", places="cam-school", answer=False),
    A("stopped vehicles in the fuel bay", "no_answer", types="stopped_vehicle", places="fuel bay", answer=False),
    A("congestion in the car park", "no_answer", types="congestion", places="cam-carpark", answer=False),
    A("anything doing over 250 km/h", "no_answer", types="speeding", fact=("speed", ">", 250), answer=False),
    A("crowd of more than 100 people", "no_answer", types="crowding", fact=("count", ">", 100), answer=False),
    A("car parked illegally for 5 hours", "no_answer", types="illegal_parking", fact=("dur", ">", 5 * 3600), answer=False),
    A("any 4+ hour parking in the disabled bays", "no_answer", types="illegal_parking", places="disabled bays", fact=("dur", ">", 4 * 3600), answer=False),
    A("intrusions on {iso45}", "no_answer", "d45", types="intrusion", answer=False),
    A("incidents tomorrow morning", "no_answer", "tomorrow:morning", answer=False),
    A("next week's congestion on the ring road", "no_answer", "nextweek", types="congestion", places="cam-ring", answer=False),
    # ---- Chinese (simplified and traditional) -------------------------------------------------------------------
    A("昨晚火车站和环路有什么情况", "zh", "d1:evnight", places=("cam-station", "cam-ring"), lang="zh"),
    A("今天上午环路上有什么情况", "zh", "today:morning", places="cam-ring", lang="zh"),
    A("前天港口有什么事件", "zh", "d2", places="cam-harbour", lang="zh"),
    A("过去两小时电车站有什么事件", "zh", "past2h", places="cam-tram", lang="zh"),
    A("{zh3}有人闯入吗", "zh", "d3", types="intrusion", lang="zh"),
    A("本周学校门口人群聚集", "zh", "this_week", types="crowding", places="school gate", lang="zh"),
    A("最近一次逆行是什么时候", "zh", types="wrong_way", order="newest", lang="zh"),
    A("环路上车速超过150公里的超速", "zh", types="speeding", places="cam-ring", fact=("speed", ">", 150), lang="zh"),
    A("周二的违停", "zh", "wd1", types="illegal_parking", lang="zh"),
    A("停车场残疾人车位违停超过一小时", "zh", types="illegal_parking", places="disabled bays", fact=("dur", ">", 3600), lang="zh"),
    A("昨天哪里人群聚集", "zh", "d1", types="crowding", lang="zh"),
    A("港口码头有无人看管的行李箱吗", "zh", types="abandoned_object", places="quay", cls="suitcase", lang="zh"),
    A("除了超速以外，环路上还有什么", "zh", places="cam-ring", not_types="speeding", parse_types=(), lang="zh"),
    A("過去三小時有什麼警報", "zh", "past3h", lang="zh"),
    A("昨天環路塞車嗎", "zh", "d1", types="congestion", places="cam-ring", lang="zh"),
    A("今天有車輛停留嗎", "zh", "today", types="stopped_vehicle", lang="zh"),
    A("學校斑馬線上停著的白色汽車", "zh", types="stopped_vehicle", places="zebra crossing", cls="car", colour="white", lang="zh"),
    A("火車站第三月台最近一次闖入", "zh", types="intrusion", places="platform 3", order="newest", lang="zh"),
    A("渡輪坡道塞車超過30輛", "zh", types="congestion", places="ferry ramp", fact=("count", ">", 30), lang="zh"),
    A("上個週末港口有人徘徊嗎", "zh", "weekend", types="loitering", places="cam-harbour", lang="zh"),
    A("加油区有没有起火", "zh", places="fuel bay", thing="fire", answer=False, lang="zh"),
    A("环路上有动物跑进来吗", "zh", places="cam-ring", thing="animal", answer=False, lang="zh"),
    A("明天早上电车站的事件", "zh", "tomorrow:morning", places="cam-tram", answer=False, lang="zh"),
    A("停了超过半小时的公交车", "zh", types="stopped_vehicle", cls="bus", fact=("dur", ">", 1800), lang="zh"),
    A("昨天上午有人闯入禁区吗", "zh", "d1:morning", types="intrusion", cls="person", lang="zh"),
    A("自行车道上违停的摩托车", "zh", types="illegal_parking", places="bike lane", cls="motorcycle", lang="zh"),
    A("三天内逆行的卡车", "zh", "past3d", types="wrong_way", cls="truck", lang="zh"),
    A("港口的入侵，不是行人的", "zh", types="intrusion", places="cam-harbour", not_cls="person", lang="zh"),
    A("車站置物櫃有沒有被遺棄的背包", "zh", types="abandoned_object", places="lockers", cls="backpack", lang="zh"),
    # ---- Spanish ------------------------------------------------------------------------------------------------
    A("vehículos parados en el arcén ayer", "es", "d1", types="stopped_vehicle", places="hard shoulder", lang="es"),
    A("anoche, ¿algo en la estación o en el puerto?", "es", "d1:evnight", places=("cam-station", "cam-harbour"), lang="es"),
    A("intrusiones en el patio de contenedores esta semana", "es", "this_week", types="intrusion", places="container yard", lang="es"),
    A("coches en sentido contrario en la salida hacia el aeropuerto", "es", types="wrong_way", places="slip road", cls="car", lang="es"),
    A("aglomeraciones hoy", "es", "today", types="crowding", lang="es"),
    A("¿algo en las últimas 2 horas?", "es", "past2h", lang="es"),
    A("exceso de velocidad frente al colegio el {es3}", "es", "d3", types="speeding", places="cam-school", lang="es"),
    A("último atasco en la circunvalación", "es", types="congestion", places="cam-ring", order="newest", lang="es"),
    A("mochila abandonada en el puerto", "es", types="abandoned_object", places="cam-harbour", cls="backpack", lang="es"),
    A("estacionamiento ilegal en la zona de carga más de una hora", "es", types="illegal_parking", places="loading bay", fact=("dur", ">", 3600), lang="es"),
    A("multitudes de más de 30 personas en la estación central", "es", types="crowding", places="cam-station", fact=("count", ">", 30), lang="es"),
    A("velocidad superior a 140 km/h en la circunvalación", "es", types="speeding", places="cam-ring", fact=("speed", ">", 140), lang="es"),
    A("todo en el casco antiguo menos aparcamiento indebido", "es", places="cam-market", not_types="illegal_parking", parse_types=(), lang="es"),
    A("intrusiones en el aparcamiento que no sean personas", "es", types="intrusion", places="cam-carpark", not_cls="person", lang="es"),
    A("vehículos detenidos el martes", "es", "wd1", types="stopped_vehicle", lang="es"),
    A("cruces de línea en la cochera durante el fin de semana pasado", "es", "weekend", types="tripwire", places="cam-depot", lang="es"),
    A("gente merodeando el jueves", "es", "wd3", types="loitering", lang="es"),
    A("incendio en el puerto", "es", places="cam-harbour", thing="fire", answer=False, lang="es"),
    A("árbol caído en la circunvalación", "es", places="cam-ring", thing="tree", answer=False, lang="es"),
    A("perro suelto en el andén del tranvía", "es", places="tram platform", thing="dog", answer=False, lang="es"),
    A("incidencias de mañana por la tarde en el puerto", "es", "tomorrow:afternoon", places="cam-harbour", answer=False, lang="es"),
    A("coche rojo en el carril bici", "es", places="bike lane", cls="car", colour="red", lang="es"),
    A("ayer entre las 7 y las 10 de la mañana, ¿qué pasó?", "es", "d1:7-10", lang="es"),
    A("la última persona que entró en las vías del tranvía", "es", types="intrusion", places="tram tracks", cls="person", order="newest", lang="es"),
    A("objetos olvidados el {es2}", "es", "d2", types="abandoned_object", lang="es"),
    A("aglomeraciones en la puerta del colegio de menos de 15 personas", "es", types="crowding", places="school gate", fact=("count", "<", 15), lang="es"),
    A("vehículo blanco parado en las últimas 48 horas", "es", "past48h", types="stopped_vehicle", colour="white", lang="es"),
    A("motos aparcadas en las plazas para discapacitados", "es", types="illegal_parking", places="disabled bays", cls="motorcycle", lang="es"),
    A("¿qué pasó en la última hora y media?", "es", "past90m", lang="es"),
)
# fmt: on

# ---- the split ----------------------------------------------------------------------------------------------------
_SALT_N = 16333  # the first salt that splits every category within two queries (see _even_salt)


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
    if m := re.fullmatch(r"(\d+)-(\d+)", spec):
        a, b = int(m[1]), int(m[2])
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


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    """The labelled queries on this corpus and clock; an answerable query with nothing to find is left out."""
    out = []
    for ask in ALL:
        win = window(ask.when, now) if ask.when else None
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
                         relevant=relevant, ignore=dc, split=split_of(ask.text)))
    return out


def _even_salt() -> int:
    from collections import Counter

    for n in range(200_000):
        by = Counter((a.category, split_of(a.text, SALT + str(n))) for a in ALL)
        if all(abs(by[c, "test"] - by[c, "dev"]) <= 2 for c in {a.category for a in ALL}):
            return n
    raise RuntimeError("no even salt")
