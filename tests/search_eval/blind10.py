"""A tenth held-out operator set (issue 9, item 5): an evaluation that cannot mirror the rules, written by a tenth
blind author (helper ``blind10``) who read only ``city.py`` (cameras, zones, aliases, descriptions, incident types
and facts), ``harness.py`` / ``report.py`` (the shape of a set), the machinery of ``blind6.py``, ``blind7.py``,
``blind8.py`` and ``blind9.py`` (records, labeller, date filling, window keys, split; not their query wordings, though
the first screen of blind9's list went past before it was skipped), ``tests/test_search_eval_blind9.py``,
``tests/test_vocab.py`` and the blind-set overlap checks of ``tests/test_search_eval_city.py`` (after this set had
landed); not ``services/search``, ``phrasing.py``, ``queries.py``, ``floor_train.py``, ``calibrate.py``, the other
blind sets' queries, ``docs/search.md`` (before the first read) nor the other search tests.

Only the queries and two time keys are new here: the record (:class:`~tests.search_eval.blind6.Ask`), the labeller
(:func:`~tests.search_eval.blind6.status`), date filling, the even-salt search and the other time keys come from
``blind6.py`` … ``blind9.py``. New keys: ``aboutN`` (the day N days back, its two neighbours don't-care: "a fortnight
ago", "hace dos semanas") and ``aroundNh`` (an hour either side of N hours ago: "a couple of hours ago", "hace un par
de horas").

Voices: a bus driver radioing control (call signs, "over"), a school crossing warden, an insurance claims adjuster
with a claim reference, a journalist's records (FOI) request, a city councillor relaying a constituent, a match-day
steward, a delivery-fleet manager, a cycling campaigner, a gritter / road-maintenance dispatcher, an auditor sampling
incidents; forms: typos, ALL CAPS, SMS shorthand ("ystrdy", "2day", "b4"), bullet lists holding one question, a
question followed by an unrelated sentence, mixed English-Chinese and Spanglish; time as "the wee hours", "a fortnight
ago", "Tuesday gone", "between 2 and half past 3", "over the last couple of hours", "earlier today", "the day before
yesterday after lunch", 前天下午 / 大前天 / 今早 / 凌晨, anteayer / de madrugada / hace un par de horas / a primera hora.
No-answer: things the system cannot see at real places of the city ("frost on the slip road", "a burst pipe in the
car park"), classes it detects doing what it cannot see ("a cyclist without a helmet", "a driver on his phone"),
incident types a camera has no rule for and values beyond any fact. Chinese (simplified and traditional) and Spanish
(Spain and Latin-American usage) written natively, over a quarter of the set.

The split is a salted hash of each query's template wording; the salt was chosen only so that every category splits
within two queries. The test half was committed, its digest pinned in ``tests/test_search_eval_blind10.py``, before
the search first ran on any of these queries. Run it with ``python -m tests.search_eval.report --set blind10``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from tests.search_eval import blind6, blind9
from tests.search_eval.blind6 import VEH, A, Ask, Interval, fill, status  # noqa: F401  (re-exported for the test)
from tests.search_eval.city import Incident
from tests.search_eval.queries import Query

SALT = "blind10-"

# fmt: off
ALL: tuple[Ask, ...] = (
    # ---- time ----------------------------------------------------------------------------------------------------
    A("Bus 41 to control, over. Anything come through on any camera in the wee hours? Over.", "time",
      "today:smallhours"),
    # a warden's "when the kids were arriving": the 8 to 9 she names
    A("crossing warden here - was anything flagged at Linden yesterday between 8 and 9 when the kids were arriving?",
      "time", "d1:8-9", places="cam-school"),
    # "a fortnight ago": that day, the day either side don't-care
    A("what happened down at the harbour a fortnight ago", "time", "about14", places="cam-harbour"),
    A("RING ROAD, TUESDAY GONE, EVERYTHING PLS", "time", "wd1", places="cam-ring"),
    A("anything ystrdy at the car park b4 7am?", "time", "d1:before7", places="cam-carpark"),
    A("earlier today at the tram stop - anything worth knowing about?", "time", "today", places="cam-tram"),
    A("Gritter dispatch: hard shoulder on the ring road, any night this past week - anything stopped there "
      "overnight?", "time", "each7:night", types="stopped_vehicle", places="hard shoulder"),
    A("over the last couple of hours, what's come in?", "time", "past2h"),
    # "after lunch": the afternoon from 14:00
    A("the day before yesterday after lunch, Central Station", "time", "d2:14-18", places="cam-station"),
    A("Re: claim ref CLM-20931-B. Please confirm any incidents logged by the Old Town Market Street camera on {en3} "
      "between 10:00 and 12:00.", "time", "d3:10-12", places="cam-market"),
    A("Match-day steward: how did the station concourse look between 5 and 7 on Saturday evening?", "time",
      "wd5:17-19", places="cam-station"),
    A("three weeks ago today, anything at the bus depot?", "time", "d21", places="cam-depot"),
    A("Fleet manager: our vans use the loading bay on market street every morning. What got logged there in the "
      "mornings this past week?", "time", "each7:morning", places="loading bay"),
    A("FYI the new rota starts Monday. What did the cameras flag between 2 and half past 3 yesterday?",
      "time", "d1:14-15.5"),
    A("harbour quay, the weekend before last", "time", "weekend2", places="cam-harbour"),
    A("anything late on Friday night, anywhere in the city?", "time", "wd4:late"),
    A("Handover checklist:\n- all cameras\n- 6 to 9 this morning\n- anything flagged?", "time", "today:6-9"),
    A("anything at the tram stop on the {ord4}?", "time", "d4", places="cam-tram"),
    A("Audit sample: every incident at platform 3 from {iso9} to {iso6} inclusive", "time", "dr9-6",
      places="platform 3"),
    A("wot happened at the carpark 2day", "time", "today", places="cam-carpark"),
    A("Councillor's office: a resident says there was some trouble on market street on Sunday afternoon. What do the "
      "cameras show?", "time", "wd6:afternoon", places="cam-market"),
    A("anything anywhere from 1 to 5 am on {en2}?", "time", "d2:1-5"),
    A("over the past fortnight, any intrusions in the container yard?", "time", "past14d", types="intrusion",
      places="container yard"),
    A("Linden School, the afternoon of Tuesday gone", "time", "wd1:afternoon", places="cam-school"),
    A("wrong-way drivers on the slip road in the last 3 days", "time", "past3d", types="wrong_way",
      places="slip road"),
    A("Cycling campaign here: the bike lane outside Linden school over the last ten days, what did you log?", "time",
      "past10d", places="bike lane"),
    A("ferry ramp, a week ago yesterday", "time", "d8", places="ferry ramp"),
    A("ring road during the morning rush the day before yesterday", "time", "d2:amrush", places="cam-ring"),
    A("central station at lunchtime, any day this past week", "time", "each7:lunch", places="cam-station"),
    A("what's happened since lunch on the ring road?", "time", "today:from13", places="cam-ring"),

    # ---- place ---------------------------------------------------------------------------------------------------
    A("Unit 7 to base: anything at the wash line? Over.", "place", places="wash line"),
    A("crossing patrol: the zebra outside Linden primary, what's on record?", "place", places="zebra crossing"),
    A("Claim CX-55812: the policyholder says their car was struck near the barrier at Riverside. Please list all "
      "incidents recorded at the car park entrance.", "place", places="car park entrance"),
    A("Records request FOI-2026-118: a list of the incidents recorded by the Harbour Quay camera", "place",
      places="cam-harbour"),
    A("A constituent has written to me about the disabled bays at Riverside. What have the cameras recorded there?",
      "place", places="disabled bays"),
    A("steward at gate B: station ticket hall, anything logged?", "place", places="ticket hall"),
    A("fleet mgr - loading bay old town, all events pls", "place", places="loading bay"),
    A("plough 3 asking about the slip road to the airport, anything?", "place", places="slip road"),
    A("audit sample - incidents from the fuel bay, North Bus Depot", "place", places="fuel bay"),
    A("SHOW ME THE TRAM PLATFORM", "place", places="tram platform"),
    A("whats on teh level 2 ramp", "place", places="level 2 ramp"),
    A("the glass shelter by the newspaper kiosk", "place", places="shelter"),
    A("left-luggage lockers at the west exit", "place", places="lockers"),
    A("the rails across Market Square", "place", places="tram tracks"),
    A("the regional trains platform at the station", "place", places="platform 3"),
    A("anything at the diesel pumps at the back of the depot yard", "place", places="fuel bay"),
    A("the staff entrance off Foundry Lane", "place", places="bus depot gate"),
    A("emergency lane northbound, km 12", "place", places="hard shoulder"),
    A("the airport-bound main carriageway at km 12", "place", places="northbound lanes"),
    A("the taxi spaces by the fountain", "place", places="taxi rank"),
    A("the stretch between the church and the fountain where cars aren't allowed", "place",
      places="pedestrian zone"),
    A("the fenced-off bit at the port with the stacked containers", "place", places="container yard"),
    A("right at the edge of the quay where the ferries come in", "place", places="quay"),
    A("Linden school yard gate", "place", places="school gate"),
    A("the multi-storey down by the river", "place", places="cam-carpark"),
    A("the airport motorway camera", "place", places="cam-ring"),
    A("Ring rd km12 - anything? Also, can someone please fix the coffee machine on the 2nd floor.", "place",
      places="cam-ring"),

    # ---- soft (what happened, in the operator's words) ------------------------------------------------------------
    A("someone hanging about by the left-luggage lockers", "soft", types="loitering", places="lockers"),
    A("a bag nobody came back for at the tram shelter", "soft", types="abandoned_object", places="shelter"),
    # "cars" in the cycle lane: any vehicle parked there
    A("cars sitting in the painted cycle lane outside Linden", "soft", types="illegal_parking", places="bike lane"),
    A("a van blocking the delivery bay on market street", "soft", types="illegal_parking", places="loading bay",
      cls=("car", "truck")),
    A("people walking out onto the tram rails", "soft", types="intrusion", places="tram tracks", cls="person"),
    A("a packed platform at the tram stop", "soft", types="crowding", places="tram platform"),
    A("a driver going the wrong way down the ramp in the car park", "soft", types="wrong_way", places="level 2 ramp"),
    A("somebody sneaking into the container yard", "soft", types="intrusion", places="container yard", cls="person"),
    A("a suitcase left sitting on the quay", "soft", types="abandoned_object", places="quay", cls="suitcase"),
    A("motorbikes tearing past the school", "soft", types="speeding", places="cam-school", cls="motorcycle"),
    A("a lorry broken down on the hard shoulder", "soft", types="stopped_vehicle", places="hard shoulder",
      cls="truck"),
    A("tailbacks heading north on the ring road", "soft", types="congestion", places="northbound lanes"),
    A("queues of cars waiting to get onto the ferry", "soft", types="congestion", places="ferry ramp"),
    # "home time" at a primary school: roughly half past two to half past four, on any day
    A("kids bunching up at the school gate at home time", "soft", "every:14.5-16.5", types="crowding",
      places="school gate"),
    A("people stepping over the fence line at the depot", "soft", types="tripwire", places="cam-depot", cls="person"),
    A("cyclists cutting across the line at Linden school", "soft", types="tripwire", places="cam-school",
      cls="bicycle"),
    A("a bus stuck at the wash line for ages", "soft", types="stopped_vehicle", places="wash line", cls="bus"),
    A("some bloke lurking on the level 2 ramp", "soft", types="loitering", places="level 2 ramp"),
    A("a crush of people in the ticket hall", "soft", types="crowding", places="ticket hall"),
    # a car moving through the car-free street: in where it may not be, or against the flow
    A("a car driving through the pedestrianised bit of the old town", "soft", types=("intrusion", "wrong_way"),
      places="pedestrian zone", cls="car"),
    A("a taxi idling on the rank far too long", "soft", types="stopped_vehicle", places="taxi rank", cls="car"),
    A("a guy wandering onto platform 3 where he shouldn't be", "soft", types="intrusion", places="platform 3",
      cls="person"),
    A("drivers holding up the barrier at the car park entrance", "soft", types="stopped_vehicle",
      places="car park entrance"),
    A("a white car parked in a disabled spot", "soft", types="illegal_parking", places="disabled bays", cls="car",
      colour="white"),
    A("a black car going way too fast on the ring road", "soft", types="speeding", places="cam-ring", cls="car",
      colour="black"),
    A("a backpack someone forgot by the lockers", "soft", types="abandoned_object", places="lockers",
      cls="backpack"),
    A("a black car hanging around on the ferry ramp", "soft", types="illegal_parking", places="ferry ramp",
      cls="car", colour="black"),

    # ---- negation ------------------------------------------------------------------------------------------------
    A("everything at the station except the lockers", "negation", places="cam-station", not_places="lockers"),
    A("ring road, leave out the speeding", "negation", places="cam-ring", not_types="speeding"),
    A("harbour incidents, not the container yard ones", "negation", places="cam-harbour",
      not_places="container yard"),
    A("market street but no parking stuff", "negation", places="cam-market", not_types="illegal_parking"),
    A("Linden school, skip the speeders", "negation", places="cam-school", not_types="speeding"),
    A("car park - anything but the disabled bays", "negation", places="cam-carpark", not_places="disabled bays"),
    A("tram stop, nothing to do with crowds please", "negation", places="cam-tram", not_types="crowding"),
    A("depot alerts minus the tripwire ones", "negation", places="cam-depot", not_types="tripwire"),
    A("abandoned bags that weren't suitcases", "negation", types="abandoned_object", not_cls="suitcase"),
    A("speeding on the ring road by anything other than cars", "negation", types="speeding", places="cam-ring",
      not_cls="car"),
    A("illegal parking, just not at the ferry ramp", "negation", types="illegal_parking", not_places="ferry ramp"),
    A("stopped vehicles anywhere other than the hard shoulder", "negation", types="stopped_vehicle",
      not_places="hard shoulder"),
    A("intrusions at the car park entrance by people on foot, no cars", "negation", types="intrusion",
      places="car park entrance", not_cls="car"),
    A("loitering everywhere apart from the station", "negation", types="loitering", not_places="cam-station"),
    A("WRONG WAY DRIVERS BUT NOT ON THE SLIP ROAD", "negation", types="wrong_way", not_places="slip road"),
    A("vehicle incidents at the school that aren't about parking", "negation", types=VEH, places="cam-school",
      not_types="illegal_parking"),
    A("vehicles parked in the loading bay, excluding white ones", "negation", types="illegal_parking",
      places="loading bay", not_colour="white"),
    A("crowds at the station other than in the ticket hall", "negation", types="crowding", places="cam-station",
      not_places="ticket hall"),
    A("everything at the harbour except congestion and parking", "negation", places="cam-harbour",
      not_types=("congestion", "illegal_parking")),
    A("tripwire crossings at Linden that weren't bicycles", "negation", types="tripwire", places="cam-school",
      not_cls="bicycle"),
    A("all the old-town alerts, but don't show me crowding or wrong-way", "negation", places="cam-market",
      not_types=("crowding", "wrong_way")),
    A("stopped vehicles on the zebra crossing, motorbikes excluded", "negation", types="stopped_vehicle",
      places="zebra crossing", not_cls="motorcycle"),

    # ---- numeric -------------------------------------------------------------------------------------------------
    A("speeding at Linden over 90 km/h", "numeric", types="speeding", places="cam-school", fact=("speed", ">", 90)),
    A("ring road speeders doing more than 160", "numeric", types="speeding", places="cam-ring",
      fact=("speed", ">", 160)),
    A("anyone caught more than 50 over the limit?", "numeric", types="speeding", fact=("over", ">", 50)),
    A("crowds of 40+ at the station", "numeric", types="crowding", places="cam-station", fact=("count", ">", 40)),
    A("tailbacks of more than 50 vehicles on the ring road", "numeric", types="congestion", places="cam-ring",
      fact=("count", ">", 50)),
    A("loitering longer than half an hour at the lockers", "numeric", types="loitering", places="lockers",
      fact=("dur", ">", 1800)),
    A("illegal parking of over an hour in the disabled bays", "numeric", types="illegal_parking",
      places="disabled bays", fact=("dur", ">", 3600)),
    A("bags left unattended more than 20 mins", "numeric", types="abandoned_object", fact=("dur", ">", 1200)),
    A("stopped on the hard shoulder for under 2 minutes", "numeric", types="stopped_vehicle", places="hard shoulder",
      fact=("dur", "<", 120)),
    A("intrusions at the fuel bay lasting 10 minutes or more", "numeric", types="intrusion", places="fuel bay",
      fact=("dur", ">", 600)),
    A("loading bay overstays of more than 75 mins", "numeric", types="illegal_parking", places="loading bay",
      fact=("dur", ">", 4500)),
    A("crowds of between 20 and 30 people at the school gate", "numeric", types="crowding", places="school gate",
      fact=("count", "between", 20, 30)),
    A("speeding between 120 and 140 km/h on the ring road", "numeric", types="speeding", places="cam-ring",
      fact=("speed", "between", 120, 140)),
    A("cars parked on the ferry ramp for more than 45 min", "numeric", types="illegal_parking", places="ferry ramp",
      fact=("dur", ">", 2700)),
    A("CROWDING OVER 35 PPL ON THE TRAM PLATFORM", "numeric", types="crowding", places="tram platform",
      fact=("count", ">", 35)),
    A("wrong-way incidents that went on for more than 30 seconds", "numeric", types="wrong_way",
      fact=("dur", ">", 30)),
    A("loiterers on the quay who stayed over 25 minutes", "numeric", types="loitering", places="quay",
      fact=("dur", ">", 1500)),
    A("stopped at the taxi rank for under a minute", "numeric", types="stopped_vehicle", places="taxi rank",
      fact=("dur", "<", 60)),
    A("speeding at the school crossing but under 60", "numeric", types="speeding", places="cam-school",
      fact=("speed", "<", 60)),
    A("more than 30 km/h over the limit at Linden", "numeric", types="speeding", places="cam-school",
      fact=("over", ">", 30)),
    A("congestion at the ferry ramp with at least 45 vehicles", "numeric", types="congestion", places="ferry ramp",
      fact=("count", ">", 45)),
    A("loitering at the depot gate, under 5 minutes", "numeric", types="loitering", places="bus depot gate",
      fact=("dur", "<", 300)),
    A("abandoned items at the station lockers left between 10 and 20 minutes", "numeric", types="abandoned_object",
      places="lockers", fact=("dur", "between", 600, 1200)),

    # ---- recency -------------------------------------------------------------------------------------------------
    A("latest thing at the harbour", "recency", places="cam-harbour", order="newest"),
    A("what was the last alert on the ring road?", "recency", places="cam-ring", order="newest"),
    A("most recent intrusion at the depot", "recency", types="intrusion", places="cam-depot", order="newest"),
    A("LAST ONE AT THE TRAM STOP?", "recency", places="cam-tram", order="newest"),
    A("newest crowding alert at the station", "recency", types="crowding", places="cam-station", order="newest"),
    # "car" said loosely: the newest vehicle of any class parked there
    A("the most recent car parked in the bike lane", "recency", types="illegal_parking", places="bike lane",
      order="newest"),
    A("when did someone last hang around the lockers?", "recency", types="loitering", places="lockers",
      order="newest"),
    A("bus 12 here, what's the latest on the slip road? over", "recency", places="slip road", order="newest"),
    A("most recent abandoned bag anywhere", "recency", types="abandoned_object", order="newest"),
    A("latest speeding at Linden", "recency", types="speeding", places="cam-school", order="newest"),
    A("the last wrong-way at the car park", "recency", types="wrong_way", places="cam-carpark", order="newest"),
    A("Claims adjuster: the most recent stopped vehicle at the zebra crossing, please", "recency",
      types="stopped_vehicle", places="zebra crossing", order="newest"),
    A("latest from the fuel bay", "recency", places="fuel bay", order="newest"),
    A("newest congestion on the ferry ramp", "recency", types="congestion", places="ferry ramp", order="newest"),
    A("last incident logged anywhere", "recency", order="newest"),
    A("most recent loading-bay overstay", "recency", types="illegal_parking", places="loading bay", order="newest"),
    A("the latest tripwire at the depot fence", "recency", types="tripwire", places="cam-depot", order="newest"),
    A("last time the taxi rank flagged something?", "recency", places="taxi rank", order="newest"),
    A("for the audit: the oldest intrusion on platform 3 on record", "recency", types="intrusion",
      places="platform 3", order="oldest"),
    A("the first crowd at the school gate in your records", "recency", types="crowding", places="school gate",
      order="oldest"),

    # ---- no answer (the cameras cannot see it, there is no rule for it, or no fact goes that far) -----------------
    A("Bus 22 to control: any potholes on the ring road hard shoulder? Over.", "no_answer", answer=False,
      thing="pothole"),
    A("gritters asking: any frost on the slip road this morning?", "no_answer", answer=False, thing="frost"),
    A("near misses between cyclists and cars in the bike lane at Linden", "no_answer", answer=False,
      thing="near miss"),
    A("kids crossing against the red man at the zebra crossing", "no_answer", answer=False, thing="red light"),
    A("a bus driver on his phone at the wash line", "no_answer", answer=False, thing="phone"),
    A("a van reversing into a bollard on market street", "no_answer", answer=False, thing="collision"),
    A("fans letting off flares in the station concourse", "no_answer", answer=False, thing="flares"),
    A("a steward being shouted at in the ticket hall", "no_answer", answer=False, thing="verbal abuse"),
    A("water pouring from a burst pipe in the car park", "no_answer", answer=False, thing="burst pipe"),
    A("a cyclist without a helmet in the bike lane", "no_answer", answer=False, thing="helmet"),
    A("a lorry dropping gravel all over the northbound lanes", "no_answer", answer=False, thing="spilled load"),
    A("the ticket machine at the car park entrance out of order", "no_answer", answer=False,
      thing="broken machine"),
    A("a teddy bear left behind in the tram shelter", "no_answer", answer=False, thing="toy"),
    A("the ferry arriving late at the quay", "no_answer", answer=False, thing="timetable"),
    A("a stray cat at the bus wash", "no_answer", answer=False, thing="cat"),
    A("a man drinking beer on the tram platform", "no_answer", answer=False, thing="drinking"),
    A("buses leaving the depot behind schedule", "no_answer", answer=False, thing="lateness"),
    A("a car alarm going off on the level 2 ramp", "no_answer", answer=False, thing="alarm sound"),
    A("someone spray-painting tags on the school gate", "no_answer", answer=False, thing="graffiti"),
    A("a pram left by the fountain at the taxi rank", "no_answer", answer=False, thing="pram"),
    A("away fans singing outside the station after the match", "no_answer", answer=False, thing="singing"),
    A("an ambulance with its siren going on the ring road", "no_answer", answer=False, thing="siren"),
    A("a motorbike doing a burnout on the harbour quay", "no_answer", answer=False, thing="burnout"),
    A("drivers not wearing seatbelts on the ring road", "no_answer", answer=False, thing="seatbelt"),
    A("a smell of gas around the fuel bay", "no_answer", answer=False, thing="gas smell"),
    A("a taxi driver overcharging tourists at the taxi rank", "no_answer", answer=False, thing="overcharging"),
    A("speeding over 250 km/h on the ring road", "no_answer", types="speeding", places="cam-ring",
      fact=("speed", ">", 250), answer=False),
    A("crowds of more than 200 at the tram stop", "no_answer", types="crowding", places="cam-tram",
      fact=("count", ">", 200), answer=False),
    A("speeding in the old town market street", "no_answer", types="speeding", places="cam-market", answer=False),
    A("wrong-way drivers at the harbour", "no_answer", types="wrong_way", places="cam-harbour", answer=False),

    # ---- Chinese (simplified) ------------------------------------------------------------------------------------
    A("前天下午环路上有什么事件？", "zh", "d2:afternoon", places="cam-ring", lang="zh"),
    A("大前天火车站的所有告警", "zh", "d3", places="cam-station", lang="zh"),
    A("今早停车场有异常吗？", "zh", "today:morning", places="cam-carpark", lang="zh"),
    # 凌晨 asked in the day: this morning's small hours
    A("凌晨有什么告警？", "zh", "today:smallhours", lang="zh"),
    A("学校门口最近一周的人群聚集", "zh", "past7d", types="crowding", places="school gate", lang="zh"),
    A("港口集装箱区有人闯入的记录", "zh", types="intrusion", places="container yard", cls="person", lang="zh"),
    A("应急车道上停了超过半小时的车", "zh", types="stopped_vehicle", places="hard shoulder", fact=("dur", ">", 1800),
      lang="zh"),
    A("环路超速超过每小时150公里的", "zh", types="speeding", places="cam-ring", fact=("speed", ">", 150), lang="zh"),
    A("老城装货区违停，白色的除外", "zh", types="illegal_parking", places="loading bay", not_colour="white",
      lang="zh"),
    A("电车站最近一次有人逗留是什么时候？", "zh", types="loitering", places="cam-tram", order="newest", lang="zh"),
    A("过去两个小时有什么新情况？", "zh", "past2h", lang="zh"),
    A("上周末港口的拥堵情况", "zh", "weekend", types="congestion", places="cam-harbour", lang="zh"),
    A("上周停车场有没有逆行的车？", "zh", "last_week", types="wrong_way", places="cam-carpark", lang="zh"),
    A("火车站储物柜旁边有没有被遗弃的行李箱？", "zh", types="abandoned_object", places="lockers", cls="suitcase",
      lang="zh"),
    A("学校旁边的自行车道有没有车乱停？", "zh", types="illegal_parking", places="bike lane", lang="zh"),
    A("两周前的今天，电车站发生了什么？", "zh", "d14", places="cam-tram", lang="zh"),
    A("boss 要我查一下 ring road 昨天的 speeding", "zh", "d1", types="speeding", places="cam-ring", lang="zh"),
    A("停车场有没有漏水？", "zh", answer=False, thing="water leak", lang="zh"),
    A("昨天下午两点到三点半，火车站有什么情况？", "zh", "d1:14-15.5", places="cam-station", lang="zh"),
    A("环路前天有没有车抛锚停在应急车道上？", "zh", "d2", types="stopped_vehicle", places="hard shoulder", lang="zh"),
    A("电车轨道上最近一次有车停着是什么时候？", "zh", types="stopped_vehicle", places="tram tracks", order="newest",
      lang="zh"),

    # ---- Chinese (traditional) -----------------------------------------------------------------------------------
    A("前天下午環路上的超速紀錄", "zh", "d2:afternoon", types="speeding", places="cam-ring", lang="zh"),
    A("大前天停車場有什麼事？", "zh", "d3", places="cam-carpark", lang="zh"),
    A("今早電車站月台擁擠嗎？", "zh", "today:morning", types="crowding", places="tram platform", lang="zh"),
    A("過去一週港口碼頭有人徘徊嗎？", "zh", "past7d", types="loitering", places="quay", lang="zh"),
    A("火車站三號月台最新一筆闖入紀錄", "zh", types="intrusion", places="platform 3", order="newest", lang="zh"),
    A("公車場除了絆線以外的所有警報", "zh", places="cam-depot", not_types="tripwire", lang="zh"),
    A("學校斑馬線上停車超過十分鐘的", "zh", types="stopped_vehicle", places="zebra crossing", fact=("dur", ">", 600),
      lang="zh"),
    A("老城計程車招呼站最近的事件", "zh", places="taxi rank", order="newest", lang="zh"),
    A("最近一週凌晨環路上的所有事件", "zh", "each7:smallhours", places="cam-ring", lang="zh"),
    A("停車場殘障車位上違規停放的紅色車輛", "zh", types="illegal_parking", places="disabled bays", colour="red",
      lang="zh"),
    # "兩個禮拜前": that day, the day either side don't-care
    A("兩個禮拜前港口發生過什麼？", "zh", "about14", places="cam-harbour", lang="zh"),
    A("週六火車站售票大廳人多嗎？", "zh", "wd5", types="crowding", places="ticket hall", lang="zh"),
    A("碼頭有沒有人掉進海裡？", "zh", answer=False, thing="fall into water", lang="zh"),
    A("昨天下午火車站有沒有人吵架？", "zh", "d1:afternoon", answer=False, thing="argument", lang="zh"),
    A("學校門口那條 bike lane 有沒有家長違規停車？", "zh", types="illegal_parking", places="bike lane", lang="zh"),

    # ---- Spanish ------------------------------------------------------------------------------------------------
    A("¿Qué pasó anteayer en la estación central?", "es", "d2", places="cam-station", lang="es"),
    # "de madrugada" asked in the day: this morning's small hours
    A("¿Alguna alerta de madrugada, hoy?", "es", "today:smallhours", lang="es"),
    A("Desde hace un par de horas, ¿qué ha entrado?", "es", "past2h", lang="es"),
    A("A primera hora de hoy, ¿algo en la circunvalación?", "es", "today:early", places="cam-ring", lang="es"),
    A("exceso de velocidad en la circunvalación la semana pasada", "es", "last_week", types="speeding",
      places="cam-ring", lang="es"),
    A("coches mal aparcados en el carril bici del colegio", "es", types="illegal_parking", places="bike lane",
      lang="es"),
    A("¿alguien merodeando junto a la consigna de la estación?", "es", types="loitering", places="lockers",
      lang="es"),
    A("maletas abandonadas en el muelle del puerto", "es", types="abandoned_object", places="quay", cls="suitcase",
      lang="es"),
    A("gente metiéndose en las vías del tranvía", "es", types="intrusion", places="tram tracks", cls="person",
      lang="es"),
    A("atascos en la rampa del ferry el fin de semana", "es", "weekend", types="congestion", places="ferry ramp",
      lang="es"),
    A("vehículos en sentido contrario en la salida hacia el aeropuerto", "es", types="wrong_way", places="slip road",
      lang="es"),
    A("aglomeraciones en la puerta del colegio esta semana", "es", "this_week", types="crowding",
      places="school gate", lang="es"),
    A("¿cuál fue la última alerta en el aparcamiento?", "es", places="cam-carpark", order="newest", lang="es"),
    # "hace dos semanas": that day, the day either side don't-care
    A("¿qué pasó en el puerto hace dos semanas?", "es", "about14", places="cam-harbour", lang="es"),
    A("vehículos detenidos en el arcén más de 20 minutos", "es", types="stopped_vehicle", places="hard shoulder",
      fact=("dur", ">", 1200), lang="es"),
    A("exceso de velocidad frente al colegio por encima de 100 km/h", "es", types="speeding", places="cam-school",
      fact=("speed", ">", 100), lang="es"),
    A("todo lo del casco antiguo menos el estacionamiento indebido", "es", places="cam-market",
      not_types="illegal_parking", lang="es"),
    A("el casco antiguo, anteayer por la tarde", "es", "d2:afternoon", places="cam-market", lang="es"),
    # "ayer en la noche" (Mexico): yesterday evening into the night
    A("oye, ¿qué onda con el parking del río ayer en la noche?", "es", "d1:evnight", places="cam-carpark", lang="es"),
    A("checa el market street del old town, todo lo de hoy porfa", "es", "today", places="cam-market", lang="es"),
    A("¿hubo un apagón en la estación central?", "es", answer=False, thing="power cut", lang="es"),
    A("¿alguien tirando basura en el andén del tranvía?", "es", answer=False, thing="littering", lang="es"),
    A("la última vez que alguien se coló en el andén 3", "es", types="intrusion", places="platform 3",
      order="newest", lang="es"),
    # "hace un par de horas": around two hours ago, an hour either side
    A("¿Qué pasó hace un par de horas?", "es", "around2h", lang="es"),
    A("cola de más de 40 coches en los carriles hacia el aeropuerto", "es", types="congestion",
      places="northbound lanes", fact=("count", ">", 40), lang="es"),
    A("personas merodeando en la rampa de la planta 2 del aparcamiento", "es", types="loitering",
      places="level 2 ramp", lang="es"),
    A("objetos abandonados en la marquesina del tranvía, ayer", "es", "d1", types="abandoned_object",
      places="shelter", lang="es"),
    A("en el paso de cebra, ¿vehículos parados en los últimos tres días?", "es", "past3d", types="stopped_vehicle",
      places="zebra crossing", lang="es"),
    A("¿cuántos cruces de la línea hubo en la cochera anteayer?", "es", "d2", types="tripwire", places="cam-depot",
      lang="es"),
    A("incidentes con motos en la circunvalación", "es", places="cam-ring", cls="motorcycle", lang="es"),
    A("coches rojos mal estacionados en las plazas para discapacitados", "es", types="illegal_parking",
      places="disabled bays", colour="red", lang="es"),
    A("¿gente acumulándose en el vestíbulo de la estación el sábado?", "es", "wd5",
      types="crowding", places="ticket hall", lang="es"),
    A("entre las 2 y las 3 y media de ayer, ¿algo en el colegio?", "es", "d1:14-15.5", places="cam-school",
      lang="es"),
    A("muchedumbre de más de 30 personas en la zona peatonal", "es", types="crowding", places="pedestrian zone",
      fact=("count", ">", 30), lang="es"),
    A("¿Algún camión circulando en sentido contrario por la rampa del parking?", "es", types="wrong_way",
      places="level 2 ramp", cls="truck", lang="es"),
)
# fmt: on

_SALT_N = 4780  # the first salt that splits every category within two queries (see _even_salt)


def split_of(text: str, salt: str | None = None) -> str:
    return blind6.split_of(text, salt if salt is not None else SALT + str(_SALT_N))


def window(key: str, now: datetime) -> tuple[list[Interval], list[Interval]]:
    """blind9's time keys plus ``aboutN`` and ``aroundNh``."""
    utc = timezone.utc
    if m := re.fullmatch(r"about(\d+)", key):  # "a fortnight ago": that whole day, the day either side don't-care
        n = int(m[1])
        rel, dc = blind9.window(f"d{n}", now)
        for side in (n - 1, n + 1):
            if side >= 0:
                r, d = blind9.window(f"d{side}", now)
                dc = dc + r + d
        return rel, dc
    if m := re.fullmatch(r"around(\d+)h", key):  # "a couple of hours ago": an hour either side of N hours back
        at = now.astimezone(utc) - timedelta(hours=int(m[1]))
        h, half = timedelta(hours=1), timedelta(minutes=30)
        return [(at - h, at + h)], [(at - h - half, at - h), (at + h, at + h + half)]
    return blind9.window(key, now)


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    """The labelled queries on this corpus and clock (blind6's labeller with this set's queries, split and keys)."""
    return blind6.generate(corpus, now, asks=ALL, split=split_of, when=window)


def _even_salt() -> int:
    return blind6._even_salt(ALL, SALT)
