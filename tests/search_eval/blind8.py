"""An eighth held-out operator set (issue 9, item 5): an evaluation that cannot mirror the rules, written by an eighth
blind author (helper ``blind8``) who read only ``city.py`` (cameras, zones, aliases, descriptions, incident types and
facts), ``harness.py`` / ``report.py`` (the shape of a set), the machinery of ``blind6.py`` and ``blind7.py`` (not
their query wordings) and ``tests/test_search_eval_blind7.py``; not ``services/search``, ``phrasing.py``,
``queries.py``, ``floor_train.py``, ``calibrate.py``, the other blind sets, the query-understanding parts of
``docs/search.md`` nor the other search tests.

Only the queries and four time keys are new here: the record (:class:`~tests.search_eval.blind6.Ask`), the labeller
(:func:`~tests.search_eval.blind6.status`), date filling, the even-salt search and the other time keys come from
``blind6.py`` / ``blind7.py``. New keys: ``drA-B`` (from the day A days back to the day B days back, both whole),
``sinceN`` (from the local midnight N days back until now), ``eachN:part`` (that part of each of the last N days,
today's as don't-care) and ``every:part`` (that part of every day the city holds).

Voices: a radio dispatcher's terse shorthand, a shift supervisor's audit question, a city councillor's email, a
journalist's records request relayed by the press office, a bus-company controller, a school-crossing warden, an
insurance claim handler, typos and missing accents typed in a hurry, the time put last or in the middle, two
conditions joined by "and" / "but" / "or". No-answer: things the system cannot see, some at real places of the city
("graffiti on the depot wall") and some that name a class it detects doing something it cannot ("a cyclist falling
off"). Chinese (simplified and traditional) and Spanish (Latin-American and Spain usage) written natively, over a
quarter of the set.

The split is a salted hash of each query's template wording; the salt was chosen only so that every category splits
within two queries. The test half was committed, its digest pinned in ``tests/test_search_eval_blind8.py``, before
the search first ran on any of these queries. Run it with ``python -m tests.search_eval.report --set blind8``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.search_eval import blind6, blind7
from tests.search_eval.blind6 import VEH, A, Ask, Interval, fill, status  # noqa: F401  (re-exported for the test)
from tests.search_eval.city import DAYS, TZ, Incident
from tests.search_eval.queries import Query

SALT = "blind8-"

# fmt: off
ALL: tuple[Ask, ...] = (
    # ---- time: the time last, first or in the middle; relative spans, named days, clock ranges, ordinals ----------
    A("dispatch: tram stop, anything yday pm? over", "time", "d1:afternoon", places="cam-tram"),
    A("Supervisor audit: every alert the station logged on {en4}, please", "time", "d4", places="cam-station"),
    A("Dear officer, could you tell me what happened at Linden School on the morning of the {ord3}?", "time",
      "d3:morning", places="cam-school"),
    A("Records request relayed by the press office: all intrusion incidents at the harbour between the {ord12} and the {ord8}",
      "time", "dr12-8", types="intrusion", places="cam-harbour"),
    A("bus control: anything stuck on the wash line since the {ord6}?", "time", "since6", types="stopped_vehicle",
      places="wash line"),
    A("crossing warden here: vehicles speeding past the school last week", "time", "last_week", types="speeding",
      places="cam-school"),
    A("insurance claim ref 4471 - incidents on the ring road on {dm5} between 5 and 7 pm", "time", "d5:17-19",
      places="cam-ring"),
    A("wrong way drivers on the slip road in the small hours, any night", "time", "every:smallhours", types="wrong_way",
      places="slip road"),
    A("what did the depot camera pick up over the weekend", "time", "weekend", places="cam-depot"),
    A("show me market street on Tuesday between 10 and 2", "time", "wd1:10-14", places="cam-market"),
    A("supervisor check: how many crowding alerts did the concourse raise on Friday", "time", "wd4", types="crowding",
      places="cam-station"),
    A("ring road over the past three nights, anything at all?", "time", "each3:night", places="cam-ring"),
    A("Councillor's office: residents report late-night activity at the car park between 11pm and 3am on any night in the past week",
      "time", "each7:23-27", places="cam-carpark"),
    A("for the record, incidents at the tram stop on {iso6}", "time", "d6", places="cam-tram"),
    A("loading bay parking between the {ord10} and the {ord7}", "time", "dr10-7", types="illegal_parking",
      places="loading bay"),
    A("tripwire crossings at the depot over the last fortnight", "time", "past14d", types="tripwire", places="cam-depot"),
    A("what was going on at Linden on Thursday, 2 to 6 pm", "time", "wd3:14-18", places="cam-school"),
    A("I need everything from the harbour on the {ord9}, the whole day", "time", "d9", places="cam-harbour"),
    A("between noon and 4 the day before yesterday, the old town", "time", "d2:12-16", places="cam-market"),
    A("Monday, ring road, congestion only pls", "time", "wd0", types="congestion", places="cam-ring"),
    A("sup audit: intrusions anywhere between 1 and 5 am over the last week", "time", "each7:1-5", types="intrusion"),
    A("left bags at the lockers on {dm4}", "time", "d4", types="abandoned_object", places="lockers"),
    A("from Wednesday to Friday, anything on the harbour quay", "time", "wdr2-4", places="quay"),
    A("ring road speeders Sunday afternoon and evening", "time", "wd6:12-22", types="speeding", places="cam-ring"),
    A("taxi rank hold-ups yesterday or the day before", "time", "dr2-1", types="stopped_vehicle", places="taxi rank"),
    A("controller here: anything at the depot between 5 and 8 in the morning this past week, before the buses go out",
      "time", "each7:5-8", places="cam-depot"),
    A("wat happend at teh train staton on saterday", "time", "wd5", places="cam-station"),
    A("pls list the crowding on the tram platform for the week before this one", "time", "last_week", types="crowding",
      places="tram platform"),
    A("the car park on {en2}, between 8 and 2", "time", "d2:8-14", places="cam-carpark"),
    A("every evening rush at the school crossing, 4.30 to 7.30, parking in the bike lane", "time", "every:pmrush",
      types="illegal_parking", places="bike lane"),

    # ---- place: zones and cameras by their descriptions, nicknames and typos ------------------------------------------
    A("dispatch: hard shoulder km12, what we got", "place", places="hard shoulder"),
    A("anything at the fuel bay", "place", places="fuel bay"),
    A("audit: all alerts from the Foundry Lane staff gate", "place", places="bus depot gate"),
    A("the shelter by the newspaper kiosk", "place", places="shelter"),
    A("incidents by the left-luggage lockers near the west exit", "place", places="lockers"),
    A("the bit of the square where the rails cross", "place", places="tram tracks"),
    A("Councillor email: what has the camera at the ferry terminal recorded?", "place", places="cam-harbour"),
    A("the diesel pumps at the back of the depot yard", "place", places="fuel bay"),
    A("the car-free stretch between the church and the fountain", "place", places="pedestrian zone"),
    A("airport exit ramp", "place", places="slip road"),
    A("the accessible spaces next to the lift in the multi storey", "place", places="disabled bays"),
    A("regional trains platform", "place", places="platform 3"),
    A("the barrier and ticket machine at the foot of the ramp", "place", places="car park entrance"),
    A("outside the supermarket delivery bay", "place", places="loading bay"),
    A("main carriageway towards the airport", "place", places="northbound lanes"),
    A("the bus wash by the workshop", "place", places="wash line"),
    A("the information desk end of the station", "place", places="ticket hall"),
    A("the fenced yard with the stacked containers", "place", places="container yard"),
    A("where the taxis wait by the fountain", "place", places="taxi rank"),
    A("school yard main gate", "place", places="school gate"),
    A("railway station or tram stop, either one", "place", places=("cam-station", "cam-tram")),
    A("the ramp between the first and second floors of the car park", "place", places="level 2 ramp"),
    A("right at the edge of the ferry quay", "place", places="quay"),
    A("the riverside multistorey", "place", places="cam-carpark"),
    A("zebra crosing outsde linden", "place", places="zebra crossing"),
    A("the vehicle ramp onto the ferry", "place", places="ferry ramp"),
    A("the raised platform where people board the tram", "place", places="tram platform"),

    # ---- soft: what happened, in lay words, with classes and colours ----------------------------------------------------
    A("someone hanging around the depot gate", "soft", types="loitering", places="bus depot gate"),
    A("a bag left unattended on the quay", "soft", types="abandoned_object", places="quay"),
    A("insurance claim: a grey lorry stopped on the hard shoulder", "soft", types="stopped_vehicle",
      places="hard shoulder", cls="truck", colour="grey"),
    A("motorbike going the wrong way up the car park ramp", "soft", types="wrong_way", places="level 2 ramp",
      cls="motorcycle"),
    A("a crowd gathering at the school gates", "soft", types="crowding", places="school gate"),
    A("people getting onto the tracks at the tram stop", "soft", types="intrusion", places="tram tracks"),
    A("somebody on platform 3 where they shouldn't be", "soft", types="intrusion", places="platform 3"),
    A("a cyclist crossing the line at the depot", "soft", types="tripwire", places="cam-depot", cls="bicycle"),
    A("blue car blocking the loading bay", "soft", types="illegal_parking", places="loading bay", cls="car",
      colour="blue"),
    A("a red suitcase abandoned at the station", "soft", types="abandoned_object", places="cam-station",
      cls="suitcase", colour="red"),
    A("cars parked in the blue-badge bays", "soft", types="illegal_parking", places="disabled bays", cls="car"),
    A("traffic backing up on the ferry ramp", "soft", types="congestion", places="ferry ramp"),
    A("a car driving the wrong way into the pedestrianised street", "soft", types="wrong_way",
      places="pedestrian zone", cls="car"),
    A("bus company controller: one of our buses stuck on the tram tracks", "soft", types="stopped_vehicle",
      places="tram tracks", cls="bus"),
    A("white cars idling at the taxi rank", "soft", types="stopped_vehicle", places="taxi rank", cls="car",
      colour="white"),
    A("someone in black loitering around the lockers", "soft", types="loitering", places="lockers", colour="black"),
    A("crossing warden: a truck stopped right on the zebra", "soft", types="stopped_vehicle", places="zebra crossing",
      cls="truck"),
    A("people lingering on the level 2 ramp", "soft", types="loitering", places="level 2 ramp"),
    A("a person who got into the container yard", "soft", types="intrusion", places="container yard", cls="person"),
    A("a car that drove into the container yard", "soft", types="intrusion", places="container yard", cls="car"),
    A("handbags forgotten in the tram shelter", "soft", types="abandoned_object", places="shelter", cls="handbag"),
    A("green or yellow vehicles parked illegally anywhere", "soft", types="illegal_parking", colour=("green", "yellow")),
    A("a packed concourse at the ticket machines", "soft", types="crowding", places="ticket hall"),
    A("somone loitring at the tram shleter", "soft", types="loitering", places="shelter"),
    A("a beige car idling by the car park barrier and ticket machine", "soft", types="stopped_vehicle",
      places="car park entrance", cls="car", colour="beige"),

    # ---- negation: "except", "but not", "other than", "without", "leave out", "no ..." ---------------------------------
    A("everything at the station except crowding", "negation", places="cam-station", not_types="crowding"),
    A("ring road incidents but not speeding", "negation", places="cam-ring", not_types="speeding"),
    A("parking violations other than in the disabled bays", "negation", types="illegal_parking",
      not_places="disabled bays"),
    A("stopped vehicles, no cars", "negation", types="stopped_vehicle", not_cls="car"),
    A("abandoned items that aren't backpacks", "negation", types="abandoned_object", not_cls="backpack"),
    A("audit: intrusions at any site other than the depot", "negation", types="intrusion", not_places="cam-depot"),
    A("speeding at the school, excluding white vehicles", "negation", types="speeding", places="cam-school",
      not_colour="white"),
    A("harbour alerts, ignore the congestion ones", "negation", places="cam-harbour", not_types="congestion"),
    A("loitering, not at the lockers and not on the quay", "negation", types="loitering", not_places=("lockers", "quay")),
    A("wrong-way drivers but not on the ring road", "negation", types="wrong_way", not_places="cam-ring"),
    A("tram stop alerts without the crowding or the loitering", "negation", places="cam-tram",
      not_types=("crowding", "loitering")),
    A("dispatch: illegal parking, loading bay, exclude trucks", "negation", types="illegal_parking",
      places="loading bay", not_cls="truck"),
    A("old town incidents apart from the taxi rank", "negation", places="cam-market", not_places="taxi rank"),
    A("non-car intrusions at the car park entrance", "negation", types="intrusion", places="car park entrance",
      not_cls="car"),
    A("tripwire crossings by anything other than people", "negation", types="tripwire", not_cls="person"),
    A("Councillor: please leave out the ring road and tell me about speeding elsewhere", "negation", types="speeding",
      not_places="cam-ring"),
    A("stoppd vehicles not on the hard shouldr", "negation", types="stopped_vehicle", not_places="hard shoulder"),
    A("crowding that wasn't at the station", "negation", types="crowding", not_places="cam-station"),
    A("depot: no tripwire and nothing from the fuel bay", "negation", places="cam-depot", not_types="tripwire",
      not_places="fuel bay"),
    A("black or grey cars parked illegally, but not in the bike lane", "negation", types="illegal_parking", cls="car",
      colour=("black", "grey"), not_places="bike lane"),

    # ---- numeric: speeds, margins over the limit, durations, head counts --------------------------------------------------
    A("speeding over 150 on the ring road", "numeric", types="speeding", places="cam-ring", fact=("speed", ">", 150)),
    A("cars doing more than 40 over the limit", "numeric", types="speeding", cls="car", fact=("over", ">", 40)),
    A("crowds of more than 30 people", "numeric", types="crowding", fact=("count", ">", 30)),
    A("loitering for longer than half an hour", "numeric", types="loitering", fact=("dur", ">", 1800)),
    A("illegal parking over an hour in the loading bay", "numeric", types="illegal_parking", places="loading bay",
      fact=("dur", ">", 3600)),
    A("crossing warden: anyone doing over 80 in the 50 zone by the school", "numeric", types="speeding",
      places="cam-school", fact=("speed", ">", 80)),
    A("vehicles stopped on the hard shoulder for more than 30 min", "numeric", types="stopped_vehicle",
      places="hard shoulder", fact=("dur", ">", 1800)),
    A("abandoned bags sitting there a quarter of an hour or more", "numeric", types="abandoned_object",
      fact=("dur", ">", 900)),
    A("tailbacks of over 50 vehicles", "numeric", types="congestion", fact=("count", ">", 50)),
    A("between 20 and 30 people crowding the ticket hall", "numeric", types="crowding", places="ticket hall",
      fact=("count", "between", 20, 30)),
    A("intrusions that lasted under 30 seconds", "numeric", types="intrusion", fact=("dur", "<", 30)),
    A("wrong way for more than 30 secs", "numeric", types="wrong_way", fact=("dur", ">", 30)),
    A("vehicles parked in the disabled bays between 1 and 2 hours", "numeric", types="illegal_parking",
      places="disabled bays", fact=("dur", "between", 3600, 7200)),
    A("speeds above 90 mph", "numeric", types="speeding", fact=("speed", ">", 90 * blind6._MPH)),
    A("audit: loitering at the depot gate longer than 20 minutes", "numeric", types="loitering",
      places="bus depot gate", fact=("dur", ">", 1200)),
    A("congestion on the ferry ramp with at least 40 vehicles", "numeric", types="congestion", places="ferry ramp",
      fact=("count", "between", 40, 60)),
    A("speeding less than 10 km/h over the limit", "numeric", types="speeding", fact=("over", "<", 10)),
    A("taxi rank stops of under 2 minutes", "numeric", types="stopped_vehicle", places="taxi rank",
      fact=("dur", "<", 120)),
    A("insurance: lorries doing over 120 on the ring road", "numeric", types="speeding", places="cam-ring",
      cls="truck", fact=("speed", ">", 120)),
    A("crowds under 10 people on platform 3", "numeric", types="crowding", places="platform 3", fact=("count", "<", 10)),
    A("intrusions at the fuel bay lasting over 10 minutes", "numeric", types="intrusion", places="fuel bay",
      fact=("dur", ">", 600)),
    A("people loitering 5 to 10 minutes at the shelter", "numeric", types="loitering", places="shelter",
      fact=("dur", "between", 300, 600)),

    # ---- recency: the newest / the first, and the last N minutes or hours ------------------------------------------------
    A("latest at the harbour", "recency", places="cam-harbour", order="newest"),
    A("most recent speeding at the school", "recency", types="speeding", places="cam-school", order="newest"),
    A("dispatch: last one at the lockers?", "recency", places="lockers", order="newest"),
    A("anything in the past hour and a half", "recency", "past90m"),
    A("what came in over the last 45 minutes on any camera", "recency", "past45m"),
    A("newest crowding alert", "recency", types="crowding", order="newest"),
    A("the last 3 hours at the ring road", "recency", "past3h", places="cam-ring"),
    A("the very first intrusion at the container yard this week", "recency", "this_week", types="intrusion",
      places="container yard", order="oldest"),
    A("supervisor: most recent abandoned object, wherever it was", "recency", types="abandoned_object", order="newest"),
    A("last 2 hours, tram stop and station", "recency", "past2h", places=("cam-tram", "cam-station")),
    A("the latest wrong-way alert", "recency", types="wrong_way", order="newest"),
    A("what's the most recent thing the depot camera flagged", "recency", places="cam-depot", order="newest"),
    A("the past 24 hours, illegal parking only", "recency", "past24h", types="illegal_parking"),
    A("lates stoped vehicle on the ring rd", "recency", types="stopped_vehicle", places="cam-ring", order="newest"),
    A("first crowding alert of the day", "recency", "today", types="crowding", order="oldest"),
    A("any vehicle incidents in the past 4 hours or so", "recency", "past4h", types=VEH),

    # ---- no answer: things the system cannot see, at real places and as detectable classes doing undetectable things --
    A("graffiti on the depot wall", "no_answer", places="cam-depot", thing="graffiti", answer=False),
    A("cracked paving at the tram shelter", "no_answer", places="shelter", thing="paving", answer=False),
    A("a fire at the fuel bay", "no_answer", places="fuel bay", thing="fire", answer=False),
    A("flooding on the level 2 ramp", "no_answer", places="level 2 ramp", thing="flood", answer=False),
    A("a fight at the taxi rank", "no_answer", places="taxi rank", thing="fight", answer=False),
    A("someone smoking by the diesel pumps", "no_answer", places="fuel bay", thing="smoking", answer=False),
    A("a dog running loose on platform 3", "no_answer", places="platform 3", thing="dog", answer=False),
    A("a ship docking at the quay", "no_answer", places="quay", thing="ship", answer=False),
    A("a lost child at the station ticket hall", "no_answer", places="ticket hall", thing="lost child", answer=False),
    A("rats in the container yard", "no_answer", places="container yard", thing="rats", answer=False),
    A("a cyclist falling off in the bike lane", "no_answer", places="bike lane", thing="fall", answer=False),
    A("a person shouting at the tram driver", "no_answer", places="cam-tram", thing="shouting", answer=False),
    A("a truck shedding its load on the northbound lanes", "no_answer", places="northbound lanes", thing="spilled load",
      answer=False),
    A("a car on fire on the hard shoulder", "no_answer", places="hard shoulder", thing="fire", answer=False),
    A("a motorcyclist riding without a helmet", "no_answer", thing="helmet", answer=False),
    A("a man selling fake tickets in the concourse", "no_answer", places="cam-station", thing="touting", answer=False),
    A("someone fishing off the ferry quay", "no_answer", places="quay", thing="fishing", answer=False),
    A("a woman walking her dog over the school crossing", "no_answer", places="cam-school", thing="dog", answer=False),
    A("speeding at the harbour", "no_answer", types="speeding", places="cam-harbour", answer=False),
    A("a suitcase left on the ring road", "no_answer", types="abandoned_object", places="cam-ring", answer=False),
    A("wrong-way vehicles inside the station", "no_answer", types="wrong_way", places="cam-station", answer=False),
    A("noise complaints from the old town bars", "no_answer", places="cam-market", thing="noise", answer=False),
    A("snow settling on the tram tracks", "no_answer", places="tram tracks", thing="snow", answer=False),
    A("a power cut at the car park", "no_answer", places="cam-carpark", thing="power cut", answer=False),
    A("dispatch: smoke reported km12, confirm on cam", "no_answer", places="cam-ring", thing="smoke", answer=False),
    A("a horse and cart in the pedestrian zone", "no_answer", places="pedestrian zone", thing="horse", answer=False),
    A("a bus driver arguing with a passenger at the depot gate", "no_answer", places="bus depot gate",
      thing="argument", answer=False),
    A("an ambulance with its siren on at the station", "no_answer", places="cam-station", thing="ambulance",
      answer=False),

    # ---- Chinese, simplified and traditional ------------------------------------------------------------------------
    A("昨天下午电车站有什么事件", "zh", "d1:afternoon", places="cam-tram", lang="zh"),
    A("停车场无障碍车位的违章停车", "zh", types="illegal_parking", places="disabled bays", lang="zh"),
    A("過去六小時環路上有超速嗎", "zh", "past6h", types="speeding", places="cam-ring", lang="zh"),
    A("港口集装箱堆场的闯入事件", "zh", types="intrusion", places="container yard", lang="zh"),
    A("火車站置物櫃旁邊的遺留物品", "zh", types="abandoned_object", places="lockers", lang="zh"),
    A("学校门口人群聚集", "zh", types="crowding", places="school gate", lang="zh"),
    A("上週末公交車場的所有警報", "zh", "weekend", places="cam-depot", lang="zh"),
    A("最近一次逆行", "zh", types="wrong_way", order="newest", lang="zh"),
    A("老城装卸区违停超过一小时", "zh", types="illegal_parking", places="loading bay", fact=("dur", ">", 3600),
      lang="zh"),
    A("應急車道上停了超過半小時的車輛", "zh", types="stopped_vehicle", places="hard shoulder", fact=("dur", ">", 1800),
      lang="zh"),
    A("{zh3}火车站的人群聚集", "zh", "d3", types="crowding", places="cam-station", lang="zh"),
    A("环路上开到一百五以上的车", "zh", types="speeding", places="cam-ring", fact=("speed", ">", 150), lang="zh"),
    A("除了超速以外，学校那边还有什么", "zh", places="cam-school", not_types="speeding", lang="zh"),
    A("停車場入口的白色汽車", "zh", places="car park entrance", cls="car", colour="white", lang="zh"),
    A("電車軌道上有人闖入", "zh", types="intrusion", places="tram tracks", lang="zh"),
    A("过去45分钟内的所有事件", "zh", "past45m", lang="zh"),
    A("本周停车场二层坡道的逆行", "zh", "this_week", types="wrong_way", places="level 2 ramp", lang="zh"),
    A("港口渡轮坡道拥堵", "zh", types="congestion", places="ferry ramp", lang="zh"),
    A("周三老城步行区人群聚集", "zh", "wd2", types="crowding", places="pedestrian zone", lang="zh"),
    A("公交车场柴油加油区有人闯入吗", "zh", types="intrusion", places="fuel bay", lang="zh"),
    A("三號月台有人闖入", "zh", types="intrusion", places="platform 3", lang="zh"),
    A("前天早上环路有什么", "zh", "d2:morning", places="cam-ring", lang="zh"),
    A("火车站寄存柜附近徘徊超过10分钟的人", "zh", types="loitering", places="lockers", fact=("dur", ">", 600), lang="zh"),
    A("公交车场的绊线，只要自行车", "zh", types="tripwire", places="cam-depot", cls="bicycle", lang="zh"),
    A("昨天晚上六点以后各处发生了什么", "zh", "d1:from18", lang="zh"),  # dev label fix: until now
    A("港口有火灾吗", "zh", places="cam-harbour", thing="fire", answer=False, lang="zh"),
    A("學校斑馬線上有人打架嗎", "zh", places="zebra crossing", thing="fight", answer=False, lang="zh"),
    A("最新的遗留物品警报", "zh", types="abandoned_object", order="newest", lang="zh"),
    A("從{zh5}到現在，計程車招呼站的停車", "zh", "since5", types="stopped_vehicle", places="taxi rank", lang="zh"),
    A("过去三天停车场以外的违章停车", "zh", "past3d", types="illegal_parking", not_places="cam-carpark", lang="zh"),
    A("人數超過三十人的擁擠", "zh", types="crowding", fact=("count", ">", 30), lang="zh"),
    A("上周一电车站的所有事件", "zh", "wd0", places="cam-tram", lang="zh"),
    A("卡車在環路上逆行", "zh", types="wrong_way", places="cam-ring", cls="truck", lang="zh"),

    # ---- Spanish, Latin-American and Spain usage, some typed without accents --------------------------------------------
    A("¿Qué pasó ayer por la tarde en la parada del tranvía?", "es", "d1:afternoon", places="cam-tram", lang="es"),
    A("coches mal aparcados en las plazas para personas con movilidad reducida", "es", types="illegal_parking",
      places="disabled bays", cls="car", lang="es"),
    A("autos estacionados en el carril bici", "es", types="illegal_parking", places="bike lane", cls="car", lang="es"),
    A("exceso de velocidad en la circunvalación en las últimas 5 horas", "es", "past5h", types="speeding",
      places="cam-ring", lang="es"),
    A("un tipo merodeando junto al portón de la cochera", "es", types="loitering", places="bus depot gate", lang="es"),
    A("maletas abandonadas en la estación central", "es", types="abandoned_object", places="cam-station",
      cls="suitcase", lang="es"),
    A("aglomeración en el andén del tranvía el {es4}", "es", "d4", types="crowding", places="tram platform", lang="es"),
    A("vehiculos en sentido contrario en la rampa del aparcamiento", "es", types="wrong_way", places="level 2 ramp",
      lang="es"),
    A("camiones detenidos en el arcén más de media hora", "es", types="stopped_vehicle", places="hard shoulder",
      cls="truck", fact=("dur", ">", 1800), lang="es"),
    A("lo último en el puerto", "es", places="cam-harbour", order="newest", lang="es"),
    A("todo lo del casco antiguo, quitando la parada de taxis", "es", places="cam-market", not_places="taxi rank",
      lang="es"),
    A("atascos en la rampa del ferry", "es", types="congestion", places="ferry ramp", lang="es"),
    A("intrusiones en el patio de contenedores la semana pasada", "es", "last_week", types="intrusion",
      places="container yard", lang="es"),
    A("motos a más de 130 km/h", "es", types="speeding", cls="motorcycle", fact=("speed", ">", 130), lang="es"),
    A("¿Hubo gente en las vías del tranvía esta semana?", "es", "this_week", types="intrusion", places="tram tracks",
      cls="person", lang="es"),
    A("carro parado en el paso de cebra", "es", types="stopped_vehicle", places="zebra crossing", cls="car", lang="es"),
    A("zona de carga: coches rojos o azules", "es", places="loading bay", cls="car", colour=("red", "blue"), lang="es"),
    A("todas las alertas del sábado en la estación central", "es", "wd5", places="cam-station", lang="es"),
    A("entre las 7 y las 10 de la mañana del lunes, la circunvalación", "es", "wd0:7-10", places="cam-ring", lang="es"),
    A("mochilas olvidadas en la marquesina del tranvía", "es", types="abandoned_object", places="shelter",
      cls="backpack", lang="es"),
    A("bicis cruzando la línea en el colegio", "es", types="tripwire", places="cam-school", cls="bicycle", lang="es"),
    A("multitudes de más de 25 personas", "es", types="crowding", fact=("count", ">", 25), lang="es"),
    A("incidentes en el puerto desde el {es6}", "es", "since6", places="cam-harbour", lang="es"),
    A("salvo el exceso de velocidad, ¿qué hubo en la circunvalación anteayer?", "es", "d2", places="cam-ring",
      not_types="speeding", lang="es"),
    A("¿hay algún incendio en el aparcamiento?", "es", places="cam-carpark", thing="fire", answer=False, lang="es"),
    A("grafitis en la pared de la cochera", "es", places="cam-depot", thing="graffiti", answer=False, lang="es"),
    A("vehiculo detenido en el tunel de lavado de la cochera", "es", types="stopped_vehicle", places="wash line",
      lang="es"),
    A("personas en el andén 3 donde no deberían estar", "es", types="intrusion", places="platform 3", lang="es"),
    A("el primer atasco en la circunvalación esta semana", "es", "this_week", types="congestion", places="cam-ring",
      order="oldest", lang="es"),
    A("estacionamiento indebido en la rampa del ferri, ultimos 10 dias", "es", "past10d", types="illegal_parking",
      places="ferry ramp", lang="es"),
    A("gente en la zona peatonal del casco antiguo el fin de semana pasado", "es", "weekend", places="pedestrian zone",
      cls="person", lang="es"),
    A("coches circulando en dirección prohibida por la calle peatonal", "es", types="wrong_way",
      places="pedestrian zone", cls="car", lang="es"),
)
# fmt: on

_SALT_N = 3446  # the first salt that splits every category within two queries (see _even_salt)


def split_of(text: str, salt: str | None = None) -> str:
    return blind6.split_of(text, salt if salt is not None else SALT + str(_SALT_N))


def _day(today, n: int, tz) -> datetime:
    d = today - timedelta(days=n)
    return datetime(d.year, d.month, d.day, tzinfo=tz)


def window(key: str, now: datetime) -> tuple[list[Interval], list[Interval]]:
    """blind7's time keys (blind6's and ``weekend2``) plus ``drA-B``, ``sinceN``, ``eachN:part`` and ``every:part``."""
    tz, utc = ZoneInfo(TZ), timezone.utc
    local = now.astimezone(tz)
    today = local.date()
    h3 = timedelta(hours=3)
    rel: list[Interval]
    dc: list[Interval] = []
    if m := re.fullmatch(r"dr(\d+)-(\d+)", key):  # "between the 12th and the 8th": both days whole
        s0, e0 = _day(today, int(m[1]), tz), _day(today, int(m[2]) - 1, tz)
        rel, dc = [(s0, min(e0, local))], [(s0 - h3, s0), (e0, e0 + h3)]
    elif m := re.fullmatch(r"since(\d+)", key):  # "since the 6th": from that day's midnight until now
        s0 = _day(today, int(m[1]), tz)
        rel, dc = [(s0, local)], [(s0 - h3, s0)]
    elif m := re.fullmatch(r"(each(\d+)|every):(.+)", key):  # that part of each of the last N days (every: all)
        n = int(m[2]) if m[2] else DAYS + 1
        rel = []
        for back in range(0, n + 1):
            (r, d) = blind6.window(f"d{back}:{m[3]}", now)
            if back == 0 and m[2]:  # "the past three nights" asked in the morning: today's part is a fuzzy edge
                dc += r + d
            else:
                rel += r
                dc += d
        rel = [(a, b) for a, b in rel if a < b]
        return rel, dc
    else:
        return blind7.window(key, now)
    return [(a.astimezone(utc), b.astimezone(utc)) for a, b in rel], [(a.astimezone(utc), b.astimezone(utc)) for a, b in dc]


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    """The labelled queries on this corpus and clock (blind6's labeller with this set's queries, split and keys)."""
    return blind6.generate(corpus, now, asks=ALL, split=split_of, when=window)


def _even_salt() -> int:
    return blind6._even_salt(ALL, SALT)
