"""A second held-out operator set (issue 9, item 5): fresh wording to find what still fails once the first blind
set's dev half is saturated.

Written by a second blind author who did not read ``services/search``, ``phrasing.py``, the template wording of
``queries.py`` nor the query list of ``blind.py``; only ``city.py`` (what an operator knows of the deployment:
cameras, zones, aliases, descriptions, incident types) and the labelling machinery. The voice differs on purpose
from both earlier sets: ticket / radio shorthand ("stopped veh hard shldr N-bound"), full polite questions,
shift-handover phrasing, typos, British and American words (lorry / truck, car park / parking garage, mph),
relative times in many forms, places by landmark ("by the newspaper kiosk", "outside the supermarket"), negation,
numbers with units, recency, soft descriptions, things the system does not detect or that never happen at a place,
and Chinese and Spanish written natively.

The machinery is ``blind.py``'s (:class:`blind.B`, :func:`blind.q`, :func:`blind.build`): each query carries the
operator's :class:`Intent` and is labelled against the generated city relative to the load-time clock; time edges
have don't-care bands. The split is a salted hash of each query's stable wording (before dates are filled in),
fixed before the search first ran on these queries. Run it with
``python -m tests.search_eval.report --set blind2 --split dev|test``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from tests.search_eval.blind import (FILL, NA, TIMES, Window, _at, _day, _last, _night_after, _nth, _past_days,
                                     _recent, _span, _today, _yday, build, q, zone)
from tests.search_eval.city import Incident
from tests.search_eval.queries import Z, Query


# ------------------------------------------------------------------------------------------------ time readings
# blind.py's readings plus these; each as an operator means it, edges with don't-care bands.
def _since_monday(now: datetime) -> Window:
    t = _today(now)
    mon = t - timedelta(days=t.weekday() or 7)  # on a Monday, "since Monday" is the one before
    return [(_at(mon, 0), _at(t, 48))], [(_at(mon, -3), _at(mon, 1))]


def _since_today(now: datetime, h: float, fuzz: float) -> Window:
    t = _today(now)
    return [(_at(t, h), now.astimezone(Z) + timedelta(hours=1))], [(_at(t, h - fuzz), _at(t, h + fuzz))]


def _week_before_last(now: datetime) -> Window:
    t = _today(now)
    mon = t - timedelta(days=t.weekday() + 14)
    return [(_at(mon, 0), _at(mon, 7 * 24))], [(_at(mon, -24), _at(mon, 6)), (_at(mon, 7 * 24 - 6), _at(mon, 8 * 24))]


TIMES2: dict[str, Callable[[datetime], Window]] = {
    **TIMES,
    "last_hour": lambda n: _recent(n, 60, 8),
    "past4h": lambda n: _recent(n, 240, 20),
    "past24h": lambda n: _recent(n, 24 * 60, 60),
    "early_hours": lambda n: _span(_today(n), 0, 6, 0.0, 1.0),
    "before_rush": lambda n: ([(_at(_today(n), 0), _at(_today(n), 7))], [(_at(_today(n), 6.5), _at(_today(n), 8))]),
    "first_thing": lambda n: _span(_today(n), 6, 9, 1.0),
    "approx_0700": lambda n: _span(_today(n), 6.5, 7.5, 0.5),
    "morning_rush_today": lambda n: _span(_today(n), 7, 9.5, 1.0),
    "since_noon": lambda n: _since_today(n, 12, 0.5),
    "night_shift": lambda n: _span(_yday(n), 22, 30, 1.0),  # 22:00 yesterday to 06:00 today
    "late_last_night": lambda n: _span(_yday(n), 22, 26, 1.0, 1.5),
    "yday_morning": lambda n: _span(_yday(n), 6, 12, 1.0),
    "yday_afternoon": lambda n: _span(_yday(n), 12, 18, 1.0),
    "yday_evening": lambda n: _span(_yday(n), 18, 22, 1.0),
    "yday_after_6pm": lambda n: ([(_at(_yday(n), 18), _at(_yday(n), 24))],
                                 [(_at(_yday(n), 17.75), _at(_yday(n), 18.25)), (_at(_yday(n), 23.5), _at(_yday(n), 30))]),
    "yday_2_4pm": lambda n: _span(_yday(n), 14, 16, 0.25),
    "evening_rush_yday": lambda n: _span(_yday(n), 16.5, 19.5, 1.0),
    "two_days_ago": lambda n: _day(_today(n) - timedelta(days=2)),
    "three_days_ago": lambda n: _day(_today(n) - timedelta(days=3)),
    "tue_evening": lambda n: _span(_last(n, 1), 18, 22, 1.0),
    "wed_afternoon": lambda n: _span(_last(n, 2), 12, 18, 1.0),
    "thu_office_hours": lambda n: _span(_last(n, 3), 9, 17, 0.5),
    "sat_night": lambda n: _night_after(_last(n, 5)),
    "wednesday": lambda n: _day(_last(n, 2)),
    "sunday": lambda n: _day(_last(n, 6)),
    "mon_night": lambda n: _night_after(_last(n, 0)),
    "since_monday": _since_monday,
    "last_7_days": lambda n: _past_days(n, 7),
    "fortnight": lambda n: _past_days(n, 14),
    "week_before_last": _week_before_last,
    "nth4": lambda n: _day(_nth(n, 4)[0]),
    "nth16": lambda n: _day(_nth(n, 16)[0]),
}

FILL2: dict[str, Callable[[datetime], str]] = {
    **FILL,
    "nth4": lambda n: _nth(n, 4)[1],
    "nth16": lambda n: _nth(n, 16)[1],
}

VANS = {"car", "truck"}  # a van is detected as either

# ------------------------------------------------------------------------------------------------ the queries
BLIND2 = [
    # ---- time
    q("anything at all since midnight on the ring rd?", "time", when="since_midnight", at="cam-ring"),
    q("What's come in over the last couple of hours?", "time", when="couple_hours"),
    q("handover - list everything from the night shift at the depot pls", "time", when="night_shift", at="cam-depot"),
    q("night shift summary for the harbour", "time", when="night_shift", at="cam-harbour"),
    q("what came in approx 0700 this am", "time", when="approx_0700"),
    q("stopped veh hard shldr N-bound yday?", "time", when="yesterday", t="stopped_vehicle", at=zone("hard shoulder")),
    q("Could you pull up whatever happened at the station between 2 and 4pm yesterday?", "time", when="yday_2_4pm",
      at="cam-station"),
    q("late last night on market st - anything?", "time", when="late_last_night", at="cam-market"),
    q("first thing this morning, any problems at the school crossing?", "time", when="first_thing", at="cam-school"),
    q("all incidents at the port since Monday", "time", when="since_monday", at="cam-harbour"),
    q("tuesday evening tram stop events", "time", when="tue_evening", at="cam-tram"),
    q("what did the parking garage throw up 2 days ago", "time", when="two_days_ago", at="cam-carpark"),
    q("events on the {nth4} at the bus depot", "time", when="nth4", at="cam-depot"),
    q("speeding alerts from the {nth16}", "time", when="nth16", t="speeding"),
    q("what happened in the early hours?", "time", when="early_hours"),
    q("anything before the morning rush today?", "time", when="before_rush"),
    q("pls send me the last hour's alerts", "time", when="last_hour"),
    q("What happened at the tram stop yesterday afternoon?", "time", when="yday_afternoon", at="cam-tram"),
    q("yesterday evening in the old town", "time", when="yday_evening", at="cam-market"),
    q("Anything after 6pm yesterday down at the harbour?", "time", when="yday_after_6pm", at="cam-harbour"),
    q("over the past fortnight how many wrong-way drivers on the slip road", "time", when="fortnight", t="wrong_way",
      at=zone("slip road")),
    q("last 7 days of cars parked in the bike lane", "time", when="last_7_days", t="illegal_parking",
      at=zone("bike lane"), cls="car"),
    q("sat night at central station, what did we get", "time", when="sat_night", at="cam-station"),
    q("Sunday: anything at Linden school?", "time", when="sunday", at="cam-school"),
    q("wednesday - any traffic jams?", "time", when="wednesday", t="congestion"),
    q("the week before last, any intrusions at the container yard?", "time", when="week_before_last", t="intrusion",
      at=zone("container yard")),
    q("from midday today until now, what's been reported at the car park", "time", when="since_noon", at="cam-carpark"),
    q("morning rush today, anything?", "time", when="morning_rush_today"),
    q("what happened during yesterday's evening rush", "time", when="evening_rush_yday"),
    q("past 24 hrs: bags left anywhere?", "time", when="past24h", t="abandoned_object"),
    q("monday night at the depot, anything?", "time", when="mon_night", at="cam-depot"),
    q("thursday during office hours, station concourse", "time", when="thu_office_hours", at="cam-station"),
    q("last four hours on the motorway", "time", when="past4h", at="cam-ring"),
    q("everything yesterday morning at the old town", "time", when="yday_morning", at="cam-market"),

    # ---- place (by alias, description, landmark)
    q("anything by the newspaper kiosk", "place", at=zone("shelter")),
    q("incidents next to the lift in the car park", "place", at=zone("disabled bays")),
    q("alerts at the Foundry Lane gate", "place", at=zone("bus depot gate")),
    q("what's been going on by the fountain?", "place", at={zone("taxi rank"), zone("pedestrian zone")}),
    q("show me the airport exit ramp", "place", at=zone("slip road")),
    q("anything logged at left luggage", "place", at=zone("lockers")),
    q("Could you list the incidents outside the supermarket?", "place", at=zone("loading bay")),
    q("Please show me the events near the church", "place", at=zone("pedestrian zone")),
    q("anything on the regional trains platform", "place", at=zone("platform 3")),
    q("info desk at central - any alerts", "place", at=zone("ticket hall")),
    q("by the workshop at the bus depot", "place", at=zone("wash line")),
    q("emergency lane heading to the airport", "place", at=zone("hard shoulder")),
    q("anything at Riverside?", "place", at="cam-carpark"),
    q("multi-storey by the river", "place", at="cam-carpark"),
    q("ferry terminal alerts", "place", at="cam-harbour"),
    q("main carriageway northbound", "place", at=zone("northbound lanes")),
    q("the rails across the square", "place", at=zone("tram tracks")),
    q("accessible spaces at riverside", "place", at=zone("disabled bays")),
    q("cycle lane outside the primary school", "place", at=zone("bike lane")),
    q("barrier at the bottom of the ramp", "place", at=zone("car park entrance")),
    q("by the stacked containers", "place", at=zone("container yard")),
    q("where passengers get on the trams at market sq", "place", at=zone("tram platform")),
    q("trn stn concourse", "place", at="cam-station"),
    q("the bus wash", "place", at=zone("wash line")),

    # ---- soft (colours, vehicle kinds, behaviour)
    q("Could you show me any vans that were parked illegally outside the supermarket?", "soft", t="illegal_parking",
      at=zone("loading bay"), cls=VANS),
    q("lorry blocking the loading bay", "soft", t="illegal_parking", at=zone("loading bay"), cls="truck"),
    q("white car sat on the hard shoulder", "soft", t="stopped_vehicle", at=zone("hard shoulder"), cls="car",
      colour="white"),
    q("motorbikes doing silly speeds on the ring road", "soft", t="speeding", at="cam-ring", cls="motorcycle"),
    q("someone lurking round the lockers", "soft", t="loitering", at=zone("lockers")),
    q("unattended luggage on the quay", "soft", t="abandoned_object", at=zone("quay")),
    q("folk wandering onto the tram rails", "soft", t="intrusion", at=zone("tram tracks"), cls="person"),
    q("somebody climbing into the container yard", "soft", t="intrusion", at=zone("container yard"), cls="person"),
    q("a grey car going against the traffic", "soft", t="wrong_way", cls="car", colour="grey"),
    q("coach stuck on the zebra", "soft", t="stopped_vehicle", at=zone("zebra crossing"), cls="bus"),
    q("queues of traffic waiting to get onto the ferry", "soft", t="congestion", at=zone("ferry ramp")),
    q("tailbacks heading to the airport", "soft", t="congestion", at=zone("northbound lanes")),
    q("cyclist crossing the fence line at the depot", "soft", t="tripwire", at="cam-depot", cls="bicycle"),
    q("a rucksack left behind in the tram shelter", "soft", t="abandoned_object", at=zone("shelter"), cls="backpack"),
    q("cabs idling too long at the rank", "soft", t="stopped_vehicle", at=zone("taxi rank"), cls="car"),
    q("big crowd building at the school gates", "soft", t="crowding", at=zone("school gate")),
    q("packed ticket hall", "soft", t="crowding", at=zone("ticket hall")),
    q("throngs of people on platform 3", "soft", t="crowding", at=zone("platform 3")),
    q("beige saloon in a disabled space", "soft", t="illegal_parking", at=zone("disabled bays"), cls="car",
      colour="beige"),
    q("someone wandering round the fuel pumps at the depot", "soft", t="intrusion", at=zone("fuel bay")),
    q("truck reversing up the ramp the wrong way in the car park", "soft", t="wrong_way", at=zone("level 2 ramp"),
      cls="truck"),
    q("car stalled on the tram lines", "soft", t="stopped_vehicle", at=zone("tram tracks"), cls="car"),
    q("orange or yellow vehicles parked where they shouldn't be", "soft", t="illegal_parking",
      colour={"orange", "yellow"}),
    q("red vehicles caught going too fast", "soft", t="speeding", colour="red"),
    q("a black SUV dumped on the ferry ramp", "soft", t="illegal_parking", at=zone("ferry ramp"), cls="car",
      colour="black"),

    # ---- negation
    q("everything at the harbour apart from the parking stuff", "negation", at="cam-harbour", not_t="illegal_parking"),
    q("stopped vehicles on the ring road, excluding lorries", "negation", t="stopped_vehicle", at="cam-ring",
      not_cls="truck"),
    q("station incidents other than crowds", "negation", at="cam-station", not_t="crowding"),
    q("bags left at the lockers that weren't suitcases", "negation", t="abandoned_object", at=zone("lockers"),
      not_cls="suitcase"),
    q("depot gate alerts - not people", "negation", at=zone("bus depot gate"), not_cls="person"),
    q("speeders past Linden school but no cars", "negation", t="speeding", at="cam-school", not_cls="car"),
    q("all the parking violations except the bike lane ones", "negation", t="illegal_parking",
      at={zone("disabled bays"), zone("ferry ramp"), zone("loading bay")}),
    q("wrong way drivers, leave out the car park", "negation", t="wrong_way",
      at={zone("slip road"), zone("pedestrian zone")}),
    q("old town issues apart from the wrong-way ones", "negation", at="cam-market", not_t="wrong_way"),
    q("tram stop - anything but loitering", "negation", at="cam-tram", not_t="loitering"),
    q("Motorway alerts, excluding speeding please", "negation", at="cam-ring", not_t="speeding"),
    q("intrusions that weren't people", "negation", t="intrusion", not_cls="person"),
    q("abandoned items other than handbags", "negation", t="abandoned_object", not_cls="handbag"),
    q("school crossing events without the line-crossing ones", "negation", at="cam-school", not_t="tripwire"),
    q("crowds anywhere except the station", "negation", t="crowding",
      at={zone("tram platform"), zone("school gate"), zone("pedestrian zone")}),
    q("illegally parked vehicles, no buses or trucks", "negation", t="illegal_parking", not_cls={"bus", "truck"}),
    q("car park, other than the disabled bays", "negation", at={zone("car park entrance"), zone("level 2 ramp")}),

    # ---- numeric
    q("over 80 km/h past the school", "numeric", t="speeding", at="cam-school", fact=("speed", "gt", 80)),
    q("ring road speeders above 160", "numeric", t="speeding", at="cam-ring", fact=("speed", "gt", 160)),
    q("did anyone do over 100mph on the ring road?", "numeric", t="speeding", at="cam-ring",
      fact=("speed", "gt", 160.9)),
    q("at least 30 people on the tram platform", "numeric", t="crowding", at=zone("tram platform"),
      fact=("count", "gt", 30)),
    q("crowds of 40+ anywhere", "numeric", t="crowding", fact=("count", "gt", 40)),
    q("loitering more than a quarter of an hour by the lockers", "numeric", t="loitering", at=zone("lockers"),
      fact=("duration_min", "gt", 15)),
    q("wrong-way drivers gone in under 30 seconds", "numeric", t="wrong_way", fact=("duration_min", "lt", 0.5)),
    q("parked in the disabled bays for over an hour", "numeric", t="illegal_parking", at=zone("disabled bays"),
      fact=("duration_min", "gt", 60)),
    q("bags unattended 20+ mins", "numeric", t="abandoned_object", fact=("duration_min", "gt", 20)),
    q("congestion with more than 50 vehicles", "numeric", t="congestion", fact=("vehicles", "gt", 50)),
    q("small jams on the ferry ramp, fewer than 15 cars", "numeric", t="congestion", at=zone("ferry ramp"),
      fact=("vehicles", "lt", 15)),
    q("people hanging around for less than 2 mins", "numeric", t="loitering", fact=("duration_min", "lt", 2)),
    q("someone loitering on the level 2 ramp longer than 10 minutes", "numeric", t="loitering",
      at=zone("level 2 ramp"), fact=("duration_min", "gt", 10)),
    q("anyone inside the container yard for more than ten minutes", "numeric", t="intrusion",
      at=zone("container yard"), fact=("duration_min", "gt", 10)),
    q("speeding at the school crossing but under 60 km/h", "numeric", t="speeding", at="cam-school",
      fact=("speed", "lt", 60)),
    q("crowd over 25 at the school gate", "numeric", t="crowding", at=zone("school gate"), fact=("count", "gt", 25)),
    q("stopped on the hard shoulder for longer than 20 minutes", "numeric", t="stopped_vehicle",
      at=zone("hard shoulder"), fact=("duration_min", "gt", 20)),

    # ---- recency
    q("newest alert at the depot", "recency", at="cam-depot", newest=True),
    q("last one at the lockers?", "recency", at=zone("lockers"), newest=True),
    q("most recent few speeding on the ring road", "recency", t="speeding", at="cam-ring", newest=True),
    q("latest wrong-way", "recency", t="wrong_way", newest=True),
    q("when was the last time someone left a bag on the quay", "recency", t="abandoned_object", at=zone("quay"),
      newest=True),
    q("most recent crowding at central", "recency", t="crowding", at="cam-station", newest=True),
    q("last reported intrusion", "recency", t="intrusion", newest=True),
    q("Can you show me the most recent incident at the school?", "recency", at="cam-school", newest=True),
    q("newest first: illegal parking at the port", "recency", t="illegal_parking", at="cam-harbour", newest=True),
    q("last fence line crossing", "recency", t="tripwire", newest=True),
    q("latest stopped vehicle at the taxi rank", "recency", t="stopped_vehicle", at=zone("taxi rank"), newest=True),
    q("what's the newest thing on market street", "recency", at="cam-market", newest=True),
]

# ---- no answer: things the system does not detect (their key words are in no parser table; see the test)
UNDETECTABLE = [
    q("smoke coming from the bus depot", "no_answer", **NA),
    q("any flooding on the ring road after the storm?", "no_answer", **NA),
    q("a horse loose on the motorway", "no_answer", **NA),
    q("graffiti being sprayed on the tram shelter", "no_answer", **NA),
    q("drone flying over the harbour", "no_answer", **NA),
    q("was there a fight outside the station?", "no_answer", **NA),
    q("fire in the multi-storey", "no_answer", **NA),
    q("fallen tree blocking market street", "no_answer", **NA),
    q("potholes on the slip road", "no_answer", **NA),
    q("a passenger fainted on platform 3", "no_answer", **NA),
    q("pickpockets working the ticket hall", "no_answer", **NA),
    q("shoplifting at the supermarket", "no_answer", **NA),
    q("signals not working at the school crossing", "no_answer", **NA),
    q("an overturned forklift on the quay", "no_answer", **NA),
    q("someone setting off flares in the old town", "no_answer", **NA),
    q("power cut at the depot", "no_answer", **NA),
    q("a deer on the motorway", "no_answer", **NA),
    q("a mugging at the tram stop", "no_answer", **NA),
    q("snow drifts on the hard shoulder", "no_answer", **NA),
    q("gunshots heard near the harbour", "no_answer", **NA),
    q("an escaped llama in the car park", "no_answer", **NA),
    q("roadworks on the ring road", "no_answer", **NA),
    q("kids throwing stones at the trams", "no_answer", **NA),
]

# ---- no answer: something the system detects, at a place where no rule ever raises it (the intent shows why;
# the test checks that nothing in the city matches it)
NEVER_THERE = [
    q("speeding at the harbour", "no_answer", t="speeding", at="cam-harbour", **NA),
    q("wrong-way drivers in central station", "no_answer", t="wrong_way", at="cam-station", **NA),
    q("congestion outside linden school", "no_answer", t="congestion", at="cam-school", **NA),
    q("abandoned bags at the bus depot", "no_answer", t="abandoned_object", at="cam-depot", **NA),
    q("crowds in the car park", "no_answer", t="crowding", at="cam-carpark", **NA),
    q("illegal parking on the ring road", "no_answer", t="illegal_parking", at="cam-ring", **NA),
]

ZH = [
    q("昨天晚上火车站有什么情况？", "zh", lang="zh", when="yday_after_6pm", at="cam-station"),
    q("昨天有没有超速的车", "zh", lang="zh", when="yesterday", t="speeding"),
    q("过去一小时有什么情况", "zh", lang="zh", when="last_hour"),
    q("停车场最近一次逆行是什么时候", "zh", lang="zh", t="wrong_way", at="cam-carpark", newest=True),
    q("港口集装箱堆场有人闯入吗", "zh", lang="zh", t="intrusion", at=zone("container yard")),
    q("学校门口人多不多", "zh", lang="zh", t="crowding", at=zone("school gate")),
    q("老城卸货区的违停", "zh", lang="zh", t="illegal_parking", at=zone("loading bay")),
    q("前天应急车道上停着的车", "zh", lang="zh", when="day_before", t="stopped_vehicle", at=zone("hard shoulder")),
    q("车速超过一百二的", "zh", lang="zh", t="speeding", fact=("speed", "gt", 120)),
    q("火车站寄存柜旁边没人管的行李", "zh", lang="zh", t="abandoned_object", at=zone("lockers")),
    q("公交车场除了闯入以外还有什么", "zh", lang="zh", at="cam-depot", not_t="intrusion"),
    q("上周六晚上电车站的情况", "zh", lang="zh", when="sat_night", at="cam-tram"),
    q("环路往机场方向堵车，车辆超过四十辆", "zh", lang="zh", t="congestion", at="cam-ring", fact=("vehicles", "gt", 40)),
    q("最新的一起人群聚集", "zh", lang="zh", t="crowding", newest=True),
    q("三天前港口发生了什么", "zh", lang="zh", when="three_days_ago", at="cam-harbour"),
    q("自行车道上的违章停车，卡车不算", "zh", lang="zh", t="illegal_parking", at=zone("bike lane"), not_cls="truck"),
    q("公交车场加油的地方有外人进去吗", "zh", lang="zh", t="intrusion", at=zone("fuel bay")),
    q("这周一以来的逆行记录", "zh", lang="zh", when="since_monday", t="wrong_way"),
    q("三号站台有人擅自闯入", "zh", lang="zh", t="intrusion", at=zone("platform 3")),
    q("逗留超过半小时的人", "zh", lang="zh", t="loitering", fact=("duration_min", "gt", 30)),
    q("红色的车乱停", "zh", lang="zh", t="illegal_parking", colour="red"),
    q("昨天下午两点到四点火车站出了什么事", "zh", lang="zh", when="yday_2_4pm", at="cam-station"),
    q("出租车候客区最近停留的一辆车", "zh", lang="zh", t="stopped_vehicle", at=zone("taxi rank"), newest=True),
    q("学校附近有没有超速的摩托车", "zh", lang="zh", t="speeding", at="cam-school", cls="motorcycle"),
    q("最近两周斑马线上停的车", "zh", lang="zh", when="fortnight", t="stopped_vehicle", at=zone("zebra crossing")),
    q("今天零点以后的全部事件", "zh", lang="zh", when="since_midnight"),
    q("电车站那边是不是着火了", "zh", lang="zh", **NA),
    q("环路上有没有积水", "zh", lang="zh", **NA),
    q("停车场里有人打架吗", "zh", lang="zh", **NA),
]

ES = [
    q("¿Hubo vehículos mal aparcados en la zona de carga ayer?", "es", lang="es", when="yesterday",
      t="illegal_parking", at=zone("loading bay")),
    q("gente merodeando por la estación central esta semana", "es", lang="es", when="this_week", t="loitering",
      at="cam-station"),
    q("excesos de velocidad en la circunvalación en los últimos siete días", "es", lang="es", when="last_7_days",
      t="speeding", at="cam-ring"),
    q("¿alguien se coló en el puerto la semana pasada?", "es", lang="es", when="last_week", t="intrusion",
      at="cam-harbour"),
    q("aglomeraciones en el andén del tranvía", "es", lang="es", t="crowding", at=zone("tram platform")),
    q("el último vehículo que fue en sentido contrario", "es", lang="es", t="wrong_way", newest=True),
    q("coches parados en el arcén desde el lunes", "es", lang="es", when="since_monday", t="stopped_vehicle",
      at=zone("hard shoulder"), cls="car"),
    q("maletas olvidadas en la consigna de la estación", "es", lang="es", t="abandoned_object", at=zone("lockers"),
      cls="suitcase"),
    q("atascos de más de 30 vehículos en la rampa del ferry", "es", lang="es", t="congestion", at=zone("ferry ramp"),
      fact=("vehicles", "gt", 30)),
    q("motos a más de 130 km/h", "es", lang="es", t="speeding", cls="motorcycle", fact=("speed", "gt", 130)),
    q("todo lo del colegio menos los excesos de velocidad", "es", lang="es", at="cam-school", not_t="speeding"),
    q("incidencias en la cochera de autobuses el miércoles por la tarde", "es", lang="es", when="wed_afternoon",
      at="cam-depot"),
    q("¿qué pasó en el casco antiguo hace dos días?", "es", lang="es", when="two_days_ago", at="cam-market"),
    q("alguien cruzó la línea de la valla en la cochera", "es", lang="es", t="tripwire", at="cam-depot"),
    q("coches aparcados invadiendo el carril bici", "es", lang="es", t="illegal_parking", at=zone("bike lane"),
      cls="car"),
    q("grupos de más de 20 personas en el vestíbulo de la estación", "es", lang="es", t="crowding",
      at="cam-station", fact=("count", "gt", 20)),  # the vestíbulo is the concourse (the camera), not its ticket hall
    q("la incidencia más reciente en el aparcamiento", "es", lang="es", at="cam-carpark", newest=True),
    q("camiones parados en el paso de cebra", "es", lang="es", t="stopped_vehicle", at=zone("zebra crossing"),
      cls="truck"),
    q("¿qué hubo ayer entre las dos y las cuatro de la tarde?", "es", lang="es", when="yday_2_4pm"),
    q("coches en dirección prohibida por la zona peatonal del casco antiguo", "es", lang="es", t="wrong_way",
      at=zone("pedestrian zone"), cls="car"),
    q("merodeo de más de 20 minutos en la rampa del segundo piso", "es", lang="es", t="loitering",
      at=zone("level 2 ramp"), fact=("duration_min", "gt", 20)),
    q("esta madrugada, ¿alguna incidencia?", "es", lang="es", when="early_hours"),
    q("vehículos que llevan más de media hora en la parada de taxis", "es", lang="es", t="stopped_vehicle",
      at=zone("taxi rank"), fact=("duration_min", "gt", 30)),
    q("andén 3: intrusiones que no sean de personas", "es", lang="es", t="intrusion", at=zone("platform 3"),
      not_cls="person"),
    q("¿qué ha entrado en la última hora y media?", "es", lang="es", when="past90"),
    q("colas de coches hacia el aeropuerto esta mañana", "es", lang="es", when="this_morning", t="congestion",
      at=zone("northbound lanes")),
    q("¿hay humo en la cochera?", "es", lang="es", **NA),
    q("¿se ha inundado la circunvalación?", "es", lang="es", **NA),
    q("pintadas en la parada del tranvía", "es", lang="es", **NA),
]

ALL = BLIND2 + UNDETECTABLE + NEVER_THERE + ZH + ES

# The first salt ("blind2-<k>") that halves the whole set exactly and each category to within three queries; chosen
# from the wording alone, before the search first ran on these queries, and stays fixed.
SPLIT_SALT = "blind2-2159"


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    return [x for b in ALL if (x := build(b, corpus, now, times=TIMES2, fill=FILL2, salt=SPLIT_SALT)) is not None]
