"""A ninth held-out operator set (issue 9, item 5): an evaluation that cannot mirror the rules, written by a ninth
blind author (helper ``blind9``) who read only ``city.py`` (cameras, zones, aliases, descriptions, incident types and
facts), ``harness.py`` / ``report.py`` (the shape of a set), the machinery of ``blind6.py``, ``blind7.py`` and
``blind8.py`` (records, labeller, date filling, window keys, split; not their query wordings),
``tests/test_search_eval_blind8.py`` and ``tests/test_vocab.py``; not ``services/search``, ``phrasing.py``,
``queries.py``, ``floor_train.py``, ``calibrate.py``, the other blind sets' queries, ``docs/search.md`` nor the
other search tests.

Only the queries and four time keys are new here: the record (:class:`~tests.search_eval.blind6.Ask`), the labeller
(:func:`~tests.search_eval.blind6.status`), date filling, the even-salt search and the other time keys come from
``blind6.py`` / ``blind7.py`` / ``blind8.py``. New keys: ``wdD.K[:part]`` (the K-th most recent weekday D before
today: "two Sundays ago" is ``wd6.2``), ``sameNd`` (an hour either side of this wall-clock time N days back: "this
time yesterday"), ``shiftH`` (from the most recent local H:00 until now: "since the shift started at 6") and
``sincewdD`` (from the midnight of the most recent weekday D, today included, until now: "since Monday").

Voices: a night-shift security guard's log note, a traffic engineer asking for study data, a police liaison's request
with a case number, a parking enforcement officer, transit-ops chat with emoji and abbreviations, a facilities
manager, voice-to-text transcripts (no punctuation, homophones: "key" for quay, "fairy" for ferry), a new operator's
vague words ("that weird thing", "something off"), yes/no questions ("did anyone ...?"), polite long emails with the
question in the middle, and time in unusual forms ("the night before last", "two Sundays ago", "this time
yesterday", "since my shift started at 22:00"). No-answer: things the system cannot see, at real places of the city
("smoke from the diesel pumps"), classes it detects doing what it cannot see ("a bus with its doors left open"),
incident types a camera has no rule for ("speeding in the car park") and values beyond any fact. Chinese (simplified
and traditional) and Spanish (Spain and Latin-American usage) written natively, over a quarter of the set.

The split is a salted hash of each query's template wording; the salt was chosen only so that every category splits
within two queries. The test half was committed, its digest pinned in ``tests/test_search_eval_blind9.py``, before
the search first ran on any of these queries. Run it with ``python -m tests.search_eval.report --set blind9``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.search_eval import blind6, blind8
from tests.search_eval.blind6 import VEH, A, Ask, Interval, fill, status  # noqa: F401  (re-exported for the test)
from tests.search_eval.city import TZ, Incident
from tests.search_eval.queries import Query

SALT = "blind9-"

# fmt: off
ALL: tuple[Ask, ...] = (
    # ---- time: unusual forms (the night before last, two Sundays ago, this time yesterday, since the shift began) --
    A("Night guard log, North depot: list whatever went off at the depot since my shift started at 22:00", "time",
      "shift22", places="cam-depot"),
    A("what was going on around the city this time yesterday?", "time", "same1d"),
    A("this time last week, anything on the ring road or at Central Station?", "time", "same7d",
      places=("cam-ring", "cam-station")),
    A("Two Sundays ago, old town market street: what did the cameras pick up?", "time", "wd6.2", places="cam-market"),
    A("anything at all the night before last", "time", "d2:night"),
    A("Ref. case 2026/11873: kindly provide all intrusion alerts at the container yard between {en9} and {en4}.",
      "time", "dr9-4", types="intrusion", places="container yard"),
    A("🚋 ops: anything at the tram stop since 7?? pls 🙏", "time", "shift7", places="cam-tram"),
    A("Speed study, ring road: I need every speeding record from the morning peaks of the past seven days", "time",
      "each7:amrush", types="speeding", places="cam-ring"),
    A("did anything happen at Linden School Crossing three Saturdays back?", "time", "wd5.3", places="cam-school"),
    A("For my monthly report: North Bus Depot, the whole of {dm6} please", "time", "d6", places="cam-depot"),
    A("the car park between noon and 6 the day before yesterday", "time", "d2:12-18", places="cam-carpark"),
    A("PEO 22 checking in. Loading bay on market street, last 48 hours, any overstayers?", "time", "past48h",
      types="illegal_parking", places="loading bay"),
    A("uh show me what happened last night after eleven", "time", "d1:23-30"),
    A("everything at the fuel bay since Friday", "time", "sincewd4", places="fuel bay"),
    A("Anything out of the ordinary at the tram stop on {iso5} between 16:00 and 20:00?", "time", "d5:16-20",
      places="cam-tram"),
    A("ring road during last Tuesday's evening peak", "time", "wd1:pmrush", places="cam-ring"),
    A("Hello all, I'm putting together the quarterly review for the Port Authority and, if it isn't too much trouble, "
      "could you pull everything recorded at Harbour Quay during the weekend before last? Many thanks, Marta", "time",
      "weekend2", places="cam-harbour"),
    A("first thing this morning, anything come up?", "time", "today:early"),
    A("school crossing, the morning two days ago", "time", "d2:morning", places="cam-school"),
    A("Guard's note: check the depot for anything after dark, the last three nights", "time", "each3:afterdark",
      places="cam-depot"),
    A("over the last 36 hours, anything stopped on the hard shoulder?", "time", "past36h", types="stopped_vehicle",
      places="hard shoulder"),
    A("what did we get at the ferry ramp from Wednesday to Friday?", "time", "wdr2-4", places="ferry ramp"),
    A("the old town, last Thursday afternoon", "time", "wd3:afternoon", places="cam-market"),
    A("Platform 3 from {en10} through {en7}", "time", "dr10-7", places="platform 3"),
    A("was anything flagged the evening before last?", "time", "d2:evening"),
    A("anything anywhere between midnight and 5 on Tuesday morning?", "time", "wd1:0-5"),
    A("Since Monday, how many crowds at the school gate? just list them", "time", "sincewd0", types="crowding",
      places="school gate"),
    A("everything on the ring road, every night this past week", "time", "each7:night", places="cam-ring"),

    # ---- place: names, aliases and nicknames in new voices ---------------------------------------------------------
    A("Riverside Car Park, level 2 ramp: show me the log", "place", places="level 2 ramp"),
    A("anything at the taxi rank?", "place", places="taxi rank"),
    A("Please list the events recorded at the wash line.", "place", places="wash line"),
    A("km 12 slip road alerts", "place", places="slip road"),
    A("zebra crossing outside Linden", "place", places="zebra crossing"),
    A("Hi, facilities manager here. We're re-tiling the ticket hall next month and I'd like a sense of what your "
      "cameras flag in there, could you send me the list? Cheers, Tom", "place", places="ticket hall"),
    A("Police liaison, case CL-4471: all alerts from the quay at the harbour", "place", places="quay"),
    A("parking garage entrance barrier, anything logged", "place", places="car park entrance"),
    A("did anything show up on platform 3?", "place", places="platform 3"),
    A("show me the fairy ramp please", "place", places="ferry ramp"),
    A("market square tram tracks", "place", places="tram tracks"),
    A("the bike lane at Linden school", "place", places="bike lane"),
    A("ops chat: depot gate 👀 anything?", "place", places="bus depot gate"),
    A("Any activity at the fuel bay?", "place", places="fuel bay"),
    A("shelter at the market square stop", "place", places="shelter"),
    A("pedestrian zone in the old town", "place", places="pedestrian zone"),
    A("central station lockers", "place", places="lockers"),
    A("northbound lanes on the ring road", "place", places="northbound lanes"),
    A("Everything from the container yard, please.", "place", places="container yard"),
    A("hard shoulder alerts", "place", places="hard shoulder"),
    A("did the school gate camera flag anything", "place", places="school gate"),
    A("the harbour, all of it", "place", places="cam-harbour"),
    A("Old Town Market Street camera, what has it raised?", "place", places="cam-market"),
    A("North Bus Depot incidents", "place", places="cam-depot"),
    A("Traffic engineering: I'd like the full incident list for Ring Road Km 12 for a corridor study", "place",
      places="cam-ring"),
    A("Did the disabled bays at Riverside flag anything?", "place", places="disabled bays"),
    A("tram platform at market square", "place", places="tram platform"),
    A("loading bay log", "place", places="loading bay"),

    # ---- soft: descriptions instead of names, vague words, class synonyms ------------------------------------------
    A("the glass shelter next to the newspaper kiosk", "soft", places="shelter"),
    A("diesel pumps at the back of the depot yard", "soft", places="fuel bay"),
    A("where the regional trains leave from", "soft", places="platform 3"),
    A("the left-luggage lockers by the west exit", "soft", places="lockers"),
    A("the accessible spaces next to the lift in the multi-storey", "soft", places="disabled bays"),
    A("the exit ramp onto the airport road", "soft", places="slip road"),
    A("the staff gate on Foundry Lane", "soft", places="bus depot gate"),
    A("the bit between the church and the fountain", "soft", places="pedestrian zone"),
    A("the bus wash next to the workshop", "soft", places="wash line"),
    A("emergency lane on the side heading to the airport", "soft", places="hard shoulder"),
    A("that weird thing with a bag by the lockers", "soft", types="abandoned_object", places="lockers"),
    A("something off at the tram tracks", "soft", places="tram tracks"),
    A("a motorbike going the wrong way", "soft", types="wrong_way", cls="motorcycle"),
    A("a lorry parked where it shouldn't be", "soft", types="illegal_parking", cls="truck"),
    A("red car sat on the hard shoulder", "soft", types="stopped_vehicle", cls="car", colour="red",
      places="hard shoulder"),
    A("kids all bunched up by the school gate again", "soft", types="crowding", places="school gate"),
    A("somebody lurking on the ramp between the first and second floors", "soft", types="loitering",
      places="level 2 ramp"),
    A("the delivery spot in front of the supermarket", "soft", places="loading bay"),
    A("the rails that cross the square", "soft", places="tram tracks"),
    A("vans blocking the zebra", "soft", types="stopped_vehicle", cls=("car", "truck"), places="zebra crossing"),
    A("people sneaking onto the platform the regional trains use", "soft", types="intrusion", places="platform 3"),
    A("someone wandering into the fenced yard with the stacked containers", "soft", types="intrusion",
      places="container yard"),
    A("a suitcase left on its own", "soft", types="abandoned_object", cls="suitcase"),
    A("a guy on a bike crossing the line", "soft", types="tripwire", cls="bicycle"),
    A("a white van parked in the cycle lane by the school", "soft", types="illegal_parking", cls=("car", "truck"),
      colour="white", places="bike lane"),
    A("the car-free part of the old town", "soft", places="pedestrian zone"),
    A("traffic backed up on the main carriageway towards the airport", "soft", types="congestion",
      places="northbound lanes"),

    # ---- negation: except, but not, other than, minus, leave out -------------------------------------------------
    A("station alerts except the crowding ones", "negation", places="cam-station", not_types="crowding"),
    A("incidents at the tram stop that aren't loitering", "negation", places="cam-tram", not_types="loitering"),
    A("vehicles stopped anywhere but the ring road", "negation", types="stopped_vehicle", not_places="cam-ring"),
    A("parking violations not in the disabled bays", "negation", types="illegal_parking", not_places="disabled bays"),
    A("did anyone cross the depot fence line who wasn't on a bike?", "negation", types="tripwire", places="cam-depot",
      not_cls="bicycle"),
    A("intrusion alerts where it was not a person", "negation", types="intrusion", not_cls="person"),
    A("abandoned bags, but not suitcases", "negation", types="abandoned_object", not_cls="suitcase"),
    A("everything at the harbour apart from the ferry ramp", "negation", places="cam-harbour",
      not_places="ferry ramp"),
    A("school crossing, no speeding please", "negation", places="cam-school", not_types="speeding"),
    A("stopped vehicles that aren't white", "negation", types="stopped_vehicle", not_colour="white"),
    A("wrong-way drivers, slip road excluded", "negation", types="wrong_way", not_places="slip road"),
    A("market street but leave out the taxi rank", "negation", places="cam-market", not_places="taxi rank"),
    A("loitering anywhere other than the station", "negation", types="loitering", not_places="cam-station"),
    A("ring road alerts without the speeding ones", "negation", places="cam-ring", not_types="speeding"),
    A("chat: car park stuff minus the wrong-way ones 🙄", "negation", places="cam-carpark", not_types="wrong_way"),
    A("illegal parking, leave out trucks and buses", "negation", types="illegal_parking", not_cls=("truck", "bus")),
    A("anything on the tram tracks that wasn't a person", "negation", places="tram tracks", not_cls="person"),
    A("depot, everything but the gate", "negation", places="cam-depot", not_places="bus depot gate"),
    A("Did we get anything at the quay that wasn't just someone hanging around?", "negation", places="quay",
      not_types="loitering"),
    A("crowding, except on platform 3 or in the ticket hall", "negation", types="crowding",
      not_places=("platform 3", "ticket hall")),
    A("non-black cars speeding past the school", "negation", types="speeding", cls="car", places="cam-school",
      not_colour="black"),
    A("left bags anywhere except the station lockers", "negation", types="abandoned_object", not_places="lockers"),

    # ---- numeric: counts, speeds, amounts over the limit, durations ------------------------------------------------
    A("head counts above 30 in a crowd", "numeric", types="crowding", fact=("count", ">", 30)),
    A("Speed study: vehicles over 150 km/h on the ring road", "numeric", types="speeding", places="cam-ring",
      fact=("speed", ">", 150)),
    A("anyone doing more than 20 over the limit outside the school?", "numeric", types="speeding",
      places="cam-school", fact=("over", ">", 20)),
    A("stopped on the hard shoulder for over half an hour", "numeric", types="stopped_vehicle",
      places="hard shoulder", fact=("dur", ">", 1800)),
    A("PEO: vehicles in the disabled bays longer than an hour", "numeric", types="illegal_parking",
      places="disabled bays", fact=("dur", ">", 3600)),
    A("loitering that lasted under 2 minutes", "numeric", types="loitering", fact=("dur", "<", 120)),
    A("a bag sat unattended for over 20 minutes", "numeric", types="abandoned_object", fact=("dur", ">", 1200)),
    A("congestion with at least 50 vehicles", "numeric", types="congestion", fact=("count", ">", 49)),
    A("ring road speeders between 120 and 140", "numeric", types="speeding", places="cam-ring",
      fact=("speed", "between", 120, 140)),
    A("anything above 60 mph at Linden?", "numeric", types="speeding", places="cam-school",
      fact=("speed", ">", 60 * blind6._MPH)),
    A("lockers: someone hanging around more than a quarter of an hour", "numeric", types="loitering",
      places="lockers", fact=("dur", ">", 900)),
    A("wrong-way incidents that lasted over 30 seconds", "numeric", types="wrong_way", fact=("dur", ">", 30)),
    A("tram platform crowds between 10 and 20 people", "numeric", types="crowding", places="tram platform",
      fact=("count", "between", 10, 20)),
    A("intrusions lasting more than ten minutes at the container yard", "numeric", types="intrusion",
      places="container yard", fact=("dur", ">", 600)),
    A("loading bay overstays of over an hour", "numeric", types="illegal_parking", places="loading bay",
      fact=("dur", ">", 3600)),
    A("quick stops at the taxi rank, under 3 minutes", "numeric", types="stopped_vehicle", places="taxi rank",
      fact=("dur", "<", 180)),
    A("ferry ramp queue, 40+ vehicles backed up", "numeric", types="congestion", places="ferry ramp",
      fact=("count", ">", 39)),
    A("the really fast ones: anything over 170", "numeric", types="speeding", fact=("speed", ">", 170)),
    A("Did anyone loiter on the level 2 ramp for 20 min or longer?", "numeric", types="loitering",
      places="level 2 ramp", fact=("dur", ">", 1200)),
    A("speeding at the school by less than 10 km/h over", "numeric", types="speeding", places="cam-school",
      fact=("over", "<", 10)),
    A("crowds under 12 people at the school gate", "numeric", types="crowding", places="school gate",
      fact=("count", "<", 12)),
    A("vehicles stuck at the wash line more than 15 minutes", "numeric", types="stopped_vehicle", places="wash line",
      fact=("dur", ">", 900)),
    A("ring road, vehicles going 30 or more over the limit", "numeric", types="speeding", places="cam-ring",
      fact=("over", ">", 30)),
    A("Trespass on platform 3 that went on between 1 and 5 minutes", "numeric", types="intrusion",
      places="platform 3", fact=("dur", "between", 60, 300)),

    # ---- recency: the newest / the first one, the last hours -------------------------------------------------------
    A("when was the last time someone left a bag at the lockers", "recency", types="abandoned_object",
      places="lockers", order="newest"),
    A("most recent thing at the harbour", "recency", places="cam-harbour", order="newest"),
    A("latest wrong-way driver on the slip road", "recency", types="wrong_way", places="slip road", order="newest"),
    A("what's come in over the past hour and a half", "recency", "past90m"),
    A("ops: latest at the tram stop? 🚋", "recency", places="cam-tram", order="newest"),
    A("last speeding alert outside Linden School", "recency", types="speeding", places="cam-school", order="newest"),
    A("the most recent intrusion anywhere", "recency", types="intrusion", order="newest"),
    A("first alert since the shift began at 6, anywhere", "recency", "shift6", order="oldest"),
    A("newest crowding report at Central Station", "recency", types="crowding", places="cam-station",
      order="newest"),
    A("anything in the past 3 hours at all?", "recency", "past3h"),
    A("did anything just come in? last 2 hours", "recency", "past2h"),
    A("Last time the hard shoulder had a stopped vehicle?", "recency", types="stopped_vehicle",
      places="hard shoulder", order="newest"),
    A("most recent parking offence in the loading bay", "recency", types="illegal_parking", places="loading bay",
      order="newest"),
    A("what's the latest from the container yard", "recency", places="container yard", order="newest"),
    A("what was the last thing that happened on the key", "recency", places="quay", order="newest"),
    A("newest congestion on the ring road", "recency", types="congestion", places="cam-ring", order="newest"),
    A("the earliest incident at the school crossing this week", "recency", "this_week", places="cam-school",
      order="oldest"),
    A("fresh ones only pls, past 3 hrs, market street or the tram stop", "recency", "past3h",
      places=("cam-market", "cam-tram")),

    # ---- no answer: what the cameras cannot see, classes doing what they cannot see, rules a camera lacks ---------
    A("smoke coming from the diesel pumps at the depot", "no_answer", answer=False, thing="smoke"),
    A("a dog running along the tram tracks", "no_answer", answer=False, thing="dog"),
    A("pothole on the hard shoulder at km 12", "no_answer", answer=False, thing="pothole"),
    A("ticket machine out of order in the ticket hall", "no_answer", answer=False, thing="broken machine"),
    A("flooding in the Riverside car park after the rain", "no_answer", answer=False, thing="flooding"),
    A("did anyone get into a fight outside the school gate?", "no_answer", answer=False, thing="fight"),
    A("someone smoking by the left-luggage lockers", "no_answer", answer=False, thing="smoking"),
    A("a busker playing music in the pedestrian zone", "no_answer", answer=False, thing="busker"),
    A("a bus with its doors left open at the wash line", "no_answer", answer=False, thing="open doors"),
    A("truck leaking oil at the fuel bay", "no_answer", answer=False, thing="oil leak"),
    A("seagulls on the quay", "no_answer", answer=False, thing="bird"),
    A("shoplifting on market street", "no_answer", answer=False, thing="theft"),
    A("broken streetlight over the zebra crossing", "no_answer", answer=False, thing="streetlight"),
    A("a jackknifed lorry on the slip road", "no_answer", answer=False, thing="crash"),
    A("cars speeding inside the car park", "no_answer", types="speeding", places="cam-carpark", answer=False),
    A("any wrong-way drivers at the harbour?", "no_answer", types="wrong_way", places="cam-harbour", answer=False),
    A("congestion outside Linden School", "no_answer", types="congestion", places="cam-school", answer=False),
    A("did a crowd form at the bus depot?", "no_answer", types="crowding", places="cam-depot", answer=False),
    A("did someone dump luggage on the ring road?", "no_answer", types="abandoned_object", places="cam-ring", answer=False),
    A("crowds of over 100 people", "no_answer", types="crowding", fact=("count", ">", 100), answer=False),
    A("was anyone clocked at 250 km/h?", "no_answer", types="speeding", fact=("speed", ">", 250), answer=False),
    A("people loitering at the taxi rank", "no_answer", types="loitering", places="taxi rank", answer=False),
    A("a lost child crying in the station concourse", "no_answer", answer=False, thing="crying"),
    A("a fox in the container yard overnight", "no_answer", answer=False, thing="fox"),
    A("someone spray-painting the tram shelter", "no_answer", answer=False, thing="vandalism"),
    A("a motorcycle doing a wheelie on the ring road", "no_answer", answer=False, thing="wheelie"),
    A("someone begging in the ticket hall", "no_answer", answer=False, thing="begging"),
    A("ice on the bike lane this morning", "no_answer", answer=False, thing="ice"),
    A("a tram broke down at the platform", "no_answer", answer=False, thing="breakdown"),
    A("noise complaint: loud music at the harbour at night", "no_answer", answer=False, thing="noise"),

    # ---- Chinese (simplified and traditional) -----------------------------------------------------------------------
    A("最近三天有没有人在火车站储物柜附近逗留？", "zh", "past3d", types="loitering", places="lockers", lang="zh"),
    A("前天下午停车场的所有事件", "zh", "d2:afternoon", places="cam-carpark", lang="zh"),
    A("上週末港口有人闖入貨櫃場嗎？", "zh", "weekend", types="intrusion", places="container yard", lang="zh"),
    A("环路上最近一次超速是什么时候？", "zh", types="speeding", places="cam-ring", order="newest", lang="zh"),
    A("學校門口人群聚集超過20人的紀錄", "zh", types="crowding", places="school gate", fact=("count", ">", 20),
      lang="zh"),
    A("过去两小时内有什么事件？", "zh", "past2h", lang="zh"),
    A("老城装卸区违章停车，昨天上午", "zh", "d1:morning", types="illegal_parking", places="loading bay", lang="zh"),
    A("應急車道上停了超過半小時的車", "zh", types="stopped_vehicle", places="hard shoulder", fact=("dur", ">", 1800),
      lang="zh"),
    A("公交车场大门本周的入侵事件", "zh", "this_week", types="intrusion", places="bus depot gate", lang="zh"),
    A("電車站月台擁擠，上週", "zh", "last_week", types="crowding", places="tram platform", lang="zh"),
    A("{zh3}火车站的遗留物品", "zh", "d3", types="abandoned_object", places="cam-station", lang="zh"),
    A("逆行的摩托车", "zh", types="wrong_way", cls="motorcycle", lang="zh"),
    A("除了超速以外，学校那边还有什么？", "zh", places="cam-school", not_types="speeding", lang="zh"),
    A("渡輪坡道的車輛擁堵", "zh", types="congestion", places="ferry ramp", lang="zh"),
    A("停车场无障碍车位有没有被违停？", "zh", types="illegal_parking", places="disabled bays", lang="zh"),
    A("两个星期天前港口发生了什么", "zh", "wd6.2", places="cam-harbour", lang="zh"),
    A("昨天这个时候，环路和老城有什么情况？", "zh", "same1d", places=("cam-ring", "cam-market"), lang="zh"),
    A("從早上六點交班到現在，火車站有什麼事？", "zh", "shift6", places="cam-station", lang="zh"),
    A("斑马线上停着的车", "zh", types="stopped_vehicle", places="zebra crossing", lang="zh"),
    A("上周有人闯入加油区吗？", "zh", "last_week", types="intrusion", places="fuel bay", lang="zh"),
    A("港口码头有没有冒烟？", "zh", answer=False, thing="smoke", lang="zh"),
    A("老城步行区有人在打架吗", "zh", answer=False, thing="fight", lang="zh"),
    A("停車場入口的闖入，汽車除外", "zh", types="intrusion", places="car park entrance", not_cls="car", lang="zh"),
    A("电车轨道上最新的事件", "zh", places="tram tracks", order="newest", lang="zh"),
    A("時速超過160公里的超速車輛", "zh", types="speeding", fact=("speed", ">", 160), lang="zh"),
    A("出租车停靠站，过去三天", "zh", "past3d", places="taxi rank", lang="zh"),
    A("昨天一大早有什么事吗", "zh", "d1:early", lang="zh"),
    A("过去一周每天晚高峰环路的拥堵情况", "zh", "each7:pmrush", types="congestion", places="cam-ring", lang="zh"),
    A("3號月台有沒有人闖入？最近一週", "zh", "past7d", types="intrusion", places="platform 3", lang="zh"),
    A("有人在校门口徘徊吗？", "zh", types="loitering", places="school gate", answer=False, lang="zh"),
    A("前晚所有攝影機的紀錄", "zh", "d2:night", lang="zh"),
    A("码头上被丢下的行李箱", "zh", types="abandoned_object", places="quay", cls="suitcase", lang="zh"),
    A("單車道上違規停放的白色汽車", "zh", types="illegal_parking", places="bike lane", cls="car", colour="white",
      lang="zh"),
    A("环路上有没有动物？", "zh", answer=False, thing="animal", lang="zh"),

    # ---- Spanish (Spain and Latin-American usage) -------------------------------------------------------------------
    A("¿Alguien merodeando por las taquillas de consigna esta semana?", "es", "this_week", types="loitering",
      places="lockers", lang="es"),
    A("Aparcamiento: vehículos en sentido contrario en la rampa de la planta 2, la semana pasada", "es", "last_week",
      types="wrong_way", places="level 2 ramp", lang="es"),
    A("¿Qué pasó anteanoche?", "es", "d2:night", lang="es"),
    A("exceso de velocidad frente al colegio desde ayer", "es", "since1", types="speeding",
      places="cam-school", lang="es"),
    A("Oficial de enlace, expediente 3391/26: intrusiones en el patio de contenedores desde el lunes", "es",
      "sincewd0", types="intrusion", places="container yard", lang="es"),
    A("¿Hubo aglomeraciones en el andén del tranvía desde el lunes?", "es", "sincewd0", types="crowding",
      places="tram platform", lang="es"),
    A("coches parados en el arcén más de 20 minutos", "es", types="stopped_vehicle", places="hard shoulder",
      cls="car", fact=("dur", ">", 1200), lang="es"),
    A("lo último que pasó en la cochera de autobuses", "es", places="cam-depot", order="newest", lang="es"),
    A("hace dos domingos, casco antiguo", "es", "wd6.2", places="cam-market", lang="es"),
    A("a esta hora ayer, ¿qué alertas había en toda la ciudad?", "es", "same1d", lang="es"),
    A("desde que empezó el turno a las 6, ¿algo en la circunvalación?", "es", "shift6", places="cam-ring", lang="es"),
    A("mochilas abandonadas en el muelle del puerto", "es", types="abandoned_object", cls="backpack", places="quay",
      lang="es"),
    A("camiones estacionados en la zona de carga", "es", types="illegal_parking", cls="truck", places="loading bay",
      lang="es"),
    A("atasco en la rampa del ferry con más de 30 vehículos", "es", types="congestion", places="ferry ramp",
      fact=("count", ">", 30), lang="es"),
    A("todo lo del colegio menos los vehículos detenidos", "es", places="cam-school", not_types="stopped_vehicle",
      lang="es"),
    A("¿Alguien se coló en el andén 3 el {es4}?", "es", "d4", types="intrusion", places="platform 3", lang="es"),
    A("motos a más de 130 km/h en la circunvalación", "es", types="speeding", cls="motorcycle", places="cam-ring",
      fact=("speed", ">", 130), lang="es"),
    A("incidencias en el colegio, excepto aglomeraciones", "es", places="cam-school", not_types="crowding",
      lang="es"),
    A("Buenas tardes, les escribo desde mantenimiento. Estamos revisando los surtidores de gasóleo de la cochera y "
      "nos gustaría saber si las cámaras registraron algo allí durante la semana pasada. Un saludo, Jorge", "es",
      "last_week", places="fuel bay", lang="es"),
    A("humo en la zona de carga", "es", answer=False, thing="smoke", lang="es"),
    A("¿alguien vendiendo lotería en la estación?", "es", answer=False, thing="vendor", lang="es"),
    A("exceso de velocidad en el aparcamiento", "es", types="speeding", places="cam-carpark", answer=False, lang="es"),
    A("en las últimas dos horas, ¿qué ha entrado?", "es", "past2h", lang="es"),
    A("parada del tranvía: bultos olvidados en la marquesina", "es", types="abandoned_object", places="shelter",
      lang="es"),
    A("¿Algún autobús detenido en la línea de lavado?", "es", types="stopped_vehicle", cls="bus", places="wash line",
      lang="es"),
    A("taxis parados en la parada de taxis hace tres días", "es", "d3", types="stopped_vehicle", places="taxi rank",
      lang="es"),
    A("esta semana, ¿cruzó alguien la valla de la cochera?", "es", "this_week", types="tripwire", places="cam-depot",
      lang="es"),
    A("¿Alguien entró a pie en la zona peatonal?", "es", types="intrusion", cls="person", places="pedestrian zone",
      lang="es"),
    A("el sábado pasado en el aparcamiento, entre las 10 y las 14", "es", "wd5:10-14", places="cam-carpark",
      lang="es"),
    A("multitudes de menos de 15 personas en la zona de venta de boletos", "es", types="crowding",
      places="ticket hall", fact=("count", "<", 15), lang="es"),
    A("un perro suelto en el carril bici", "es", answer=False, thing="dog", lang="es"),
    A("¿Algún coche en sentido contrario por la zona peatonal desde el {es7}?", "es", "since7", types="wrong_way",
      cls="car", places="pedestrian zone", lang="es"),
    A("lo más reciente en el parking de Riverside", "es", places="cam-carpark", order="newest", lang="es"),
)
# fmt: on

_SALT_N = 1914  # the first salt that splits every category within two queries (see _even_salt)


def split_of(text: str, salt: str | None = None) -> str:
    return blind6.split_of(text, salt if salt is not None else SALT + str(_SALT_N))


def _midnight(d, tz) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz)


def window(key: str, now: datetime) -> tuple[list[Interval], list[Interval]]:
    """blind8's time keys plus ``wdD.K[:part]``, ``sameNd``, ``shiftH`` and ``sincewdD``."""
    tz, utc = ZoneInfo(TZ), timezone.utc
    local = now.astimezone(tz)
    today = local.date()
    if m := re.fullmatch(r"wd(\d)\.(\d)(?::(.+))?", key):  # "two Sundays ago": the 2nd Sunday before today
        back = ((today.weekday() - int(m[1])) % 7 or 7) + 7 * (int(m[2]) - 1)
        return blind8.window(f"d{back}" + (f":{m[3]}" if m[3] else ""), now)
    if m := re.fullmatch(r"sincewd(\d)", key):  # "since Monday": that day's midnight (today if it is Monday) to now
        return blind8.window(f"since{(today.weekday() - int(m[1])) % 7}", now)
    rel: list[Interval]
    if m := re.fullmatch(r"same(\d+)d", key):  # "this time yesterday": an hour either side, same wall-clock time
        naive = local.replace(tzinfo=None) - timedelta(days=int(m[1]))
        at = naive.replace(tzinfo=tz)
        h = timedelta(hours=1)
        rel, dc = [(at - h, at + h)], [(at - 2 * h, at - h), (at + h, at + 2 * h)]
    elif m := re.fullmatch(r"shift(\d+(?:\.\d+)?)", key):  # "since the shift started at 6": the latest 06:00 to now
        hours = float(m[1])
        day = today if _midnight(today, tz) + timedelta(hours=hours) <= local else today - timedelta(days=1)
        s0 = _midnight(day, tz) + timedelta(hours=hours)
        rel, dc = [(s0, local)], [(s0 - timedelta(minutes=15), s0)]
    else:
        return blind8.window(key, now)
    return [(a.astimezone(utc), b.astimezone(utc)) for a, b in rel], [(a.astimezone(utc), b.astimezone(utc)) for a, b in dc]


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    """The labelled queries on this corpus and clock (blind6's labeller with this set's queries, split and keys)."""
    return blind6.generate(corpus, now, asks=ALL, split=split_of, when=window)


def _even_salt() -> int:
    return blind6._even_salt(ALL, SALT)
