"""A seventh held-out operator set (issue 9, item 5): an evaluation that cannot mirror the rules, written by a
seventh blind author (helper ``blind7``) who read only ``city.py`` (cameras, zones, aliases, descriptions, incident
types and facts), ``harness.py`` / ``report.py`` (the shape of a set), the machinery of ``blind6.py`` (not its query
wordings) and ``tests/test_search_eval_blind6.py``; not ``services/search``, ``phrasing.py``, ``queries.py``,
``floor_train.py``, the other blind sets, the query-understanding parts of ``docs/search.md`` nor the search tests.

Only the queries are new here: the record (:class:`~tests.search_eval.blind6.Ask`), the labeller
(:func:`~tests.search_eval.blind6.status`), date filling and the time keys come from ``blind6.py``; this module adds
one key (``weekend2``: the weekend before the one just gone).

Voices: night-shift handover notes, a traffic engineer asking for evidence, a police liaison's formal request, a
contractor / site supervisor, a tourist information desk relaying a complaint, operators mixing English with place
nicknames ("km12", "the multi-storey", "the concourse", "Linden"); time as "the small hours", "shortly before close of
business", "the weekend just gone", "first thing Monday", "between the two peaks", "in the last quarter of an hour";
negation as "bar", "apart from", "leaving out"; quantities as "a dozen or more", "north of 70 km/h", "under a
minute"; no-answer questions about things the system cannot see. Chinese (simplified and traditional) and Spanish
written natively, over a quarter of the set.

The split is a salted hash of each query's template wording; the salt was chosen only so that every category splits
within two queries. The test half was committed, its digest pinned in ``tests/test_search_eval_blind7.py``, before
the search first ran on any of these queries. Run it with ``python -m tests.search_eval.report --set blind7``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.search_eval import blind6
from tests.search_eval.blind6 import VEH, A, Ask, Interval, fill, status  # noqa: F401  (re-exported for the test)
from tests.search_eval.city import TZ, Incident
from tests.search_eval.queries import Query

SALT = "blind7-"

# fmt: off
ALL: tuple[Ask, ...] = (
    # ---- time -------------------------------------------------------------------------------------------------
    A("handover 06:00 - anything at all in the small hours of Thursday?", "time", "wd3:smallhours"),
    A("what did the ring road throw up shortly before close of business on Friday", "time", "wd4:16-18",
      places="cam-ring"),
    A("the weekend just gone, tram stop, people hanging about", "time", "weekend", types="loitering",
      places="cam-tram"),
    A("first thing Monday at the school crossing - anything?", "time", "wd0:6-9.5", places="cam-school"),
    A("between the two peaks on Wednesday, what was happening at the station", "time", "wd2:10-16.5",
      places="cam-station"),
    A("for the engineer: ring road congestion during Tuesday's evening peak", "time", "wd1:pmrush",
      types="congestion", places="cam-ring"),
    A("night shift notes: intrusions overnight Friday into Saturday", "time", "wd4:22-30", types="intrusion"),
    A("anything at the harbour on the {ord3}?", "time", "d3", places="cam-harbour"),
    A("old town events around lunchtime on Thursday", "time", "wd3:lunch", places="cam-market"),
    A("please list the car park incidents from the weekend before last", "time", "weekend2", places="cam-carpark"),
    A("what was logged city-wide during Friday's school run", "time", "wd4:7.5-9"),
    A("after the evening rush had died down on Wednesday - anything?", "time", "wd2:after20"),
    A("late on Saturday, city-wide", "time", "wd5:late"),
    A("crowds at the school gate on {en4}", "time", "d4", types="crowding", places="school gate"),
    A("between 2 and 5 on Monday, what came in?", "time", "wd0:14-17"),
    A("the first three hours after midnight on Friday, anywhere", "time", "wd4:0-3"),
    A("from 6pm onwards yesterday at the quay", "time", "d1:from18", places="cam-harbour"),
    A("the evening before last: wrong-way drivers", "time", "d2:evening", types="wrong_way"),
    A("morning of {iso5}, ring road", "time", "d5:morning", places="cam-ring"),
    A("so far this week, anything abandoned at the lockers", "time", "this_week", types="abandoned_object",
      places="lockers"),
    A("all of last week - intrusions at the fuel bay", "time", "last_week", types="intrusion", places="fuel bay"),
    A("the working week just finished, Mon to Fri, speeding outside Linden", "time", "wdr0-4", types="speeding",
      places="cam-school"),
    A("in the small hours of Tuesday - any vehicle incidents?", "time", "wd1:smallhours", types=VEH),
    A("three days ago in the afternoon at market street", "time", "d3:afternoon", places="cam-market"),
    A("pre-dawn Saturday, anywhere", "time", "wd5:before7"),
    A("the morning peak on Thursday at km12", "time", "wd3:amrush", places="cam-ring"),
    # ---- place --------------------------------------------------------------------------------------------------
    A("km12 hard shoulder", "place", places="hard shoulder"),
    A("what's been going on at the multi-storey", "place", places="cam-carpark"),
    A("concourse, left luggage area", "place", places="lockers"),
    A("Linden - bike lane problems", "place", places="bike lane"),
    A("the airport slip off the ring", "place", places="slip road"),
    A("anything on the ferry ramp", "place", places="ferry ramp"),
    A("depot wash line", "place", places="wash line"),
    A("show me the taxi rank in the old town", "place", places="taxi rank"),
    A("incidents on platform 3", "place", places="platform 3"),
    A("Market Square tram tracks", "place", places="tram tracks"),
    A("contractor here - anything at the Foundry Lane gate we should know about", "place",
      places="bus depot gate"),
    A("level 2 ramp in the car park", "place", places="level 2 ramp"),
    A("the container yard down at the port", "place", places="container yard"),
    A("tourist desk: complaint about the pedestrian zone, can you check what was logged there", "place",
      places="pedestrian zone"),
    A("central station ticket hall", "place", places="ticket hall"),
    A("everything from the motorway camera", "place", places="cam-ring"),
    A("the quay edge", "place", places="quay"),
    A("Linden school gate", "place", places="school gate"),
    A("loading bay outside the supermarket", "place", places="loading bay"),
    A("the tram stop shelter", "place", places="shelter"),
    A("northbound carriageway at km 12", "place", places="northbound lanes"),
    A("riverside car park entrance barrier", "place", places="car park entrance"),
    # ---- soft (descriptions, synonyms, indirect wording) -------------------------------------------------------
    A("the glass shelter beside the newspaper kiosk - bags left behind?", "soft", types="abandoned_object",
      places="shelter"),
    A("someone hanging round the diesel pumps at the back of the yard", "soft", places="fuel bay"),
    A("where the buses get washed, vehicles sitting there", "soft", types="stopped_vehicle", places="wash line"),
    A("cabs waiting by the fountain", "soft", types="stopped_vehicle", places="taxi rank"),
    A("blue badge spaces next to the lift being misused", "soft", types="illegal_parking", places="disabled bays"),
    A("emergency lane on the northbound side, broken down cars", "soft", types="stopped_vehicle",
      places="hard shoulder"),
    A("people going where they shouldn't in the stacked container area", "soft", types="intrusion",
      places="container yard"),
    A("a packed concourse by the ticket machines", "soft", types="crowding", places="ticket hall"),
    A("the raised bit where passengers get on the trams - too many people", "soft", types="crowding",
      places="tram platform"),
    A("lorries parked in the delivery bay in front of the supermarket", "soft", types="illegal_parking",
      cls="truck", places="loading bay"),
    A("motorbikes going too fast on the ring road", "soft", types="speeding", cls="motorcycle", places="cam-ring"),
    A("folk walking across the rails in the square", "soft", types="intrusion", places="tram tracks"),
    A("unattended suitcases by the left-luggage lockers", "soft", types="abandoned_object", cls="suitcase",
      places="lockers"),
    A("cars blocking the painted cycle lane by the school", "soft", types="illegal_parking", cls="car",
      places="bike lane"),
    A("someone driving against the traffic on the exit ramp to the airport road", "soft", types="wrong_way",
      places="slip road"),
    A("tailbacks at the vehicle ramp onto the ferry", "soft", types="congestion", places="ferry ramp"),
    A("a red car stopped on the striped crossing outside the school", "soft", types="stopped_vehicle",
      colour="red", places="zebra crossing"),
    A("cyclists crossing the line at the school", "soft", types="tripwire", cls="bicycle", places="cam-school"),
    A("vans and cars driving into the car-free bit between the church and the fountain", "soft",
      types="wrong_way", places="pedestrian zone"),
    A("backpacks left on the ferry quay", "soft", types="abandoned_object", cls="backpack", places="quay"),
    A("a white lorry idling at the barrier at the foot of the ramp", "soft", types="stopped_vehicle",
      cls="truck", colour="white", places="car park entrance"),
    A("people milling about between the first and second floors of the car park", "soft", types="loitering",
      places="level 2 ramp"),
    # ---- negation -----------------------------------------------------------------------------------------------
    A("everything at the tram stop bar the loitering", "negation", places="cam-tram", not_types="loitering"),
    A("car park incidents apart from the disabled bays", "negation", places="cam-carpark",
      not_places="disabled bays"),
    A("harbour, leaving out the container yard", "negation", places="cam-harbour", not_places="container yard"),
    A("speeding on the ring road, leaving out the cars", "negation", types="speeding", places="cam-ring",
      not_cls="car"),
    A("illegal parking anywhere except the loading bay", "negation", types="illegal_parking",
      not_places="loading bay"),
    A("abandoned bags other than suitcases", "negation", types="abandoned_object", not_cls="suitcase"),
    A("station incidents not counting the crowding", "negation", places="cam-station", not_types="crowding"),
    A("stopped vehicles, bar the ones on the hard shoulder", "negation", types="stopped_vehicle",
      not_places="hard shoulder"),
    A("intrusions apart from the ones by people", "negation", types="intrusion", not_cls="person"),
    A("wrong-way drivers, excluding the slip road", "negation", types="wrong_way", not_places="slip road"),
    A("old town excluding the taxi rank and the loading bay", "negation", places="cam-market",
      not_places=("taxi rank", "loading bay")),
    A("school crossing, all but speeding", "negation", places="cam-school", not_types="speeding"),
    A("parked vehicles that aren't white", "negation", types="illegal_parking", not_colour="white"),
    A("depot events leaving out the tripwire ones", "negation", places="cam-depot", not_types="tripwire"),
    A("loitering anywhere apart from the station", "negation", types="loitering", not_places="cam-station"),
    A("vehicle incidents at the harbour, but not the congestion", "negation", types=VEH, places="cam-harbour",
      not_types="congestion"),
    A("speeding near Linden except motorbikes", "negation", types="speeding", places="cam-school",
      not_cls="motorcycle"),
    A("everything at the concourse save for the lockers", "negation", places="cam-station", not_places="lockers"),
    A("crowding, minus the pedestrian zone", "negation", types="crowding", not_places="pedestrian zone"),
    A("tripwire crossings that weren't bikes", "negation", types="tripwire", not_cls="bicycle"),
    A("stopped vehicles at the taxi rank other than black ones", "negation", types="stopped_vehicle",
      places="taxi rank", not_colour="black"),
    A("car park, anything that isn't a parking offence", "negation", places="cam-carpark",
      not_types="illegal_parking"),
    # ---- numeric ------------------------------------------------------------------------------------------------
    A("crowds of a dozen or more on platform 3", "numeric", types="crowding", places="platform 3",
      fact=("count", ">", 11.5)),
    A("traffic engineer: evidence of vehicles north of 70 km/h at the school", "numeric", types="speeding",
      places="cam-school", fact=("speed", ">", 70)),
    A("intrusions at the container yard lasting under a minute", "numeric", types="intrusion",
      places="container yard", fact=("dur", "<", 60)),
    A("anyone loitering at the lockers for more than half an hour", "numeric", types="loitering", places="lockers",
      fact=("dur", ">", 1800)),
    A("speeders on the ring road doing over 160", "numeric", types="speeding", places="cam-ring",
      fact=("speed", ">", 160)),
    A("cars parked in the disabled bays for over an hour", "numeric", types="illegal_parking",
      places="disabled bays", fact=("dur", ">", 3600)),
    A("congestion with more than 50 vehicles on the northbound lanes", "numeric", types="congestion",
      places="northbound lanes", fact=("count", ">", 50)),
    A("school gate crowds of 30 to 40 kids", "numeric", types="crowding", places="school gate",
      fact=("count", "between", 30, 40)),
    A("speeding past Linden at more than 30 over the limit", "numeric", types="speeding", places="cam-school",
      fact=("over", ">", 30)),
    A("bags left at the shelter longer than 20 minutes", "numeric", types="abandoned_object", places="shelter",
      fact=("dur", ">", 1200)),
    A("hard shoulder stops of under two minutes", "numeric", types="stopped_vehicle", places="hard shoulder",
      fact=("dur", "<", 120)),
    A("wrong-way on the slip road that went on for more than half a minute", "numeric", types="wrong_way",
      places="slip road", fact=("dur", ">", 30)),
    A("loading bay offenders who stayed more than 45 min", "numeric", types="illegal_parking",
      places="loading bay", fact=("dur", ">", 2700)),
    A("ring road speeding above 75 mph", "numeric", types="speeding", places="cam-ring",
      fact=("speed", ">", 75 * 1.609344)),
    A("pedestrian zone crowds under 15 people", "numeric", types="crowding", places="pedestrian zone",
      fact=("count", "<", 15)),
    A("ferry ramp queues of 40+ vehicles", "numeric", types="congestion", places="ferry ramp",
      fact=("count", ">", 39.5)),
    A("intrusions on platform 3 over ten minutes long", "numeric", types="intrusion", places="platform 3",
      fact=("dur", ">", 600)),
    A("taxi rank stops between 5 and 15 minutes", "numeric", types="stopped_vehicle", places="taxi rank",
      fact=("dur", "between", 300, 900)),
    A("loitering at the quay, 20 min plus", "numeric", types="loitering", places="quay", fact=("dur", ">", 1200)),
    A("anyone clocked at less than 10 km/h over the limit on the ring", "numeric", types="speeding",
      places="cam-ring", fact=("over", "<", 10)),
    A("ticket hall crowding bigger than 40", "numeric", types="crowding", places="ticket hall",
      fact=("count", ">", 40)),
    A("illegal parking on the ferry ramp beyond an hour", "numeric", types="illegal_parking",
      places="ferry ramp", fact=("dur", ">", 3600)),
    # ---- recency ------------------------------------------------------------------------------------------------
    A("most recent wrong-way on the airport slip", "recency", types="wrong_way", places="slip road",
      order="newest"),
    A("latest thing logged at the harbour", "recency", places="cam-harbour", order="newest"),
    A("when did someone last get onto the tram tracks", "recency", types="intrusion", places="tram tracks",
      order="newest"),
    A("the last bag left at the lockers", "recency", types="abandoned_object", places="lockers", order="newest"),
    A("anything in the past three hours", "recency", "past3h"),
    A("handover: what's come in over the last couple of hours", "recency", "past2h"),
    A("newest parking offence in the disabled bays", "recency", types="illegal_parking", places="disabled bays",
      order="newest"),
    A("the most recent crowding at the school gate", "recency", types="crowding", places="school gate",
      order="newest"),
    A("last recorded speeding outside Linden", "recency", types="speeding", places="cam-school", order="newest"),
    A("the latest intrusion at the fuel bay", "recency", types="intrusion", places="fuel bay", order="newest"),
    A("what happened most recently at the multi-storey", "recency", places="cam-carpark", order="newest"),
    A("the last time somebody hung about the depot gate", "recency", types="loitering", places="bus depot gate",
      order="newest"),
    A("vehicle incidents in the past 2 and a half hours", "recency", "past150m", types=VEH),
    A("over the last fortnight, intrusions in the pedestrian zone", "recency", "past14d", types="intrusion",
      places="pedestrian zone"),
    A("the past 7 days at the ferry ramp", "recency", "past7d", places="ferry ramp"),
    A("most recent congestion at km12", "recency", types="congestion", places="cam-ring", order="newest"),
    A("the first incident logged this week", "recency", "this_week", order="oldest"),
    A("the last stopped vehicle on the wash line", "recency", types="stopped_vehicle", places="wash line",
      order="newest"),
    A("in the last 100 minutes, anything?", "recency", "past100m"),
    A("latest crowding in the ticket hall", "recency", types="crowding", places="ticket hall", order="newest"),
    A("anything in the last quarter of an hour?", "recency", "past15m", answer=False),
    # ---- no answer (things the system cannot see, places it does not watch) ------------------------------------
    A("graffiti on the tram shelter", "no_answer", thing="graffiti", answer=False),
    A("potholes on the ring road", "no_answer", thing="pothole", answer=False),
    A("street lights out in the old town", "no_answer", thing="street light", answer=False),
    A("dog off the lead in the pedestrian zone", "no_answer", thing="dog", answer=False),
    A("drone flying over the container yard", "no_answer", thing="drone", answer=False),
    A("flooding in the underpass", "no_answer", thing="flood", answer=False),
    A("someone smoking on platform 3", "no_answer", thing="smoking", answer=False),
    A("a busker by the fountain playing too loud", "no_answer", thing="busker", answer=False),
    A("shopping trolleys dumped in the river by the car park", "no_answer", thing="trolley", answer=False),
    A("police liaison: we request footage of a pickpocket at the ticket machines", "no_answer",
      thing="pickpocket", answer=False),
    A("broken glass on the school crossing", "no_answer", thing="glass", answer=False),
    A("overflowing litter bins at the quay", "no_answer", thing="litter", answer=False),
    A("an oil spill at the fuel bay", "no_answer", thing="oil spill", answer=False),
    A("seagulls on the ferry ramp", "no_answer", thing="seagull", answer=False),
    A("a horse on the ring road", "no_answer", thing="horse", answer=False),
    A("fly-tipping behind the depot", "no_answer", thing="fly-tipping", answer=False),
    A("anyone in a wheelchair needing help at the station", "no_answer", thing="wheelchair", answer=False),
    A("ticket machine vandalised at the car park", "no_answer", thing="vandalism", answer=False),
    A("icy road surface at km 12", "no_answer", thing="ice", answer=False),
    A("incidents at the football stadium", "no_answer", thing="stadium", answer=False),
    A("skateboarders in the zoo car park", "no_answer", thing="zoo", answer=False),
    A("a power cut at the tram stop", "no_answer", thing="power cut", answer=False),
    A("what's scheduled at the depot tomorrow", "no_answer", "tomorrow", places="cam-depot", answer=False),
    # ---- Chinese (simplified and traditional) ------------------------------------------------------------------
    A("上周末电车站有人徘徊吗", "zh", "weekend", types="loitering", places="cam-tram", lang="zh"),
    A("週四凌晨有什麼情況", "zh", "wd3:smallhours", lang="zh"),
    A("环路应急车道上停着的车", "zh", types="stopped_vehicle", places="hard shoulder", lang="zh"),
    A("停車場殘疾人車位違規停車", "zh", types="illegal_parking", places="disabled bays", lang="zh"),
    A("过去两小时有什么事件", "zh", "past2h", lang="zh"),
    A("火车站储物柜旁边的遗留行李", "zh", types="abandoned_object", places="lockers", lang="zh"),
    A("學校門口人群聚集超過三十人", "zh", types="crowding", places="school gate", fact=("count", ">", 30),
      lang="zh"),
    A("环路上时速超过150公里的车辆", "zh", types="speeding", places="cam-ring", fact=("speed", ">", 150),
      lang="zh"),
    A("港口集装箱堆场有人闯入", "zh", types="intrusion", places="container yard", lang="zh"),
    A("老城装卸区的违章停车，除了白色的", "zh", types="illegal_parking", places="loading bay",
      not_colour="white", lang="zh"),
    A("{zh3}火车站的情况", "zh", "d3", places="cam-station", lang="zh"),
    A("昨天晚上有什么事件", "zh", "d1:evnight", lang="zh"),  # 晚上: the evening and the night
    A("週三下午停車場二層坡道", "zh", "wd2:afternoon", places="level 2 ramp", lang="zh"),
    A("最近一次环路拥堵是什么时候", "zh", types="congestion", places="cam-ring", order="newest", lang="zh"),
    A("上週港口碼頭有人徘徊超過二十分鐘", "zh", "last_week", types="loitering", places="quay",
      fact=("dur", ">", 1200), lang="zh"),
    A("本周学校自行车道上的违停", "zh", "this_week", types="illegal_parking", places="bike lane", lang="zh"),
    A("電車軌道上停著的車輛", "zh", types="stopped_vehicle", places="tram tracks", lang="zh"),
    A("老城步行区除了拥挤以外的事件", "zh", places="pedestrian zone", not_types="crowding", lang="zh"),
    A("前天早高峰环路有超速吗", "zh", "d2:amrush", types="speeding", places="cam-ring", lang="zh"),
    A("公交車場加油區的闖入事件", "zh", types="intrusion", places="fuel bay", lang="zh"),
    A("电车站月台太拥挤", "zh", types="crowding", places="tram platform", lang="zh"),
    A("環路匝道逆行，不到十秒的", "zh", types="wrong_way", places="slip road", fact=("dur", "<", 10), lang="zh"),
    A("出租车候车点停了很久的车，超过十分钟", "zh", types="stopped_vehicle", places="taxi rank",
      fact=("dur", ">", 600), lang="zh"),
    A("火車站三號站台有人闖入", "zh", types="intrusion", places="platform 3", lang="zh"),
    A("渡轮坡道上的拥堵", "zh", types="congestion", places="ferry ramp", lang="zh"),
    A("港口有沒有人看到火災", "zh", thing="fire", answer=False, lang="zh"),
    A("老城有没有人在街上打架", "zh", thing="fight", answer=False, lang="zh"),
    A("停车场入口停着的卡车", "zh", types="stopped_vehicle", places="car park entrance", cls="truck", lang="zh"),
    A("過去一週學校門口越線的自行車", "zh", "past7d", types="tripwire", places="cam-school", cls="bicycle",
      lang="zh"),
    A("週五中午老城", "zh", "wd4:lunch", places="cam-market", lang="zh"),
    A("星期一一大早学校门口有什么", "zh", "wd0:6-9.5", places="cam-school", lang="zh"),
    A("火车站售票大厅最近一次人群聚集", "zh", types="crowding", places="ticket hall", order="newest", lang="zh"),
    # ---- Spanish ------------------------------------------------------------------------------------------------
    A("¿alguien merodeando en la parada del tranvía el fin de semana pasado?", "es", "weekend",
      types="loitering", places="cam-tram", lang="es"),
    A("a primera hora del lunes, ¿qué pasó en el colegio?", "es", "wd0:6-9.5", places="cam-school", lang="es"),
    A("vehículos parados en el arcén de la circunvalación", "es", types="stopped_vehicle",
      places="hard shoulder", lang="es"),
    A("coches aparcados en las plazas de minusválidos del aparcamiento", "es", types="illegal_parking",
      places="disabled bays", cls="car", lang="es"),
    A("¿qué ha entrado en las últimas dos horas?", "es", "past2h", lang="es"),
    A("maletas abandonadas junto a las taquillas de la estación central", "es", types="abandoned_object",
      places="lockers", cls="suitcase", lang="es"),
    A("aglomeraciones de más de 25 personas en la puerta del colegio", "es", types="crowding",
      places="school gate", fact=("count", ">", 25), lang="es"),
    A("exceso de velocidad en la circunvalación por encima de 140 km/h", "es", types="speeding",
      places="cam-ring", fact=("speed", ">", 140), lang="es"),
    A("intrusiones en el patio de contenedores del puerto", "es", types="intrusion", places="container yard",
      lang="es"),
    A("estacionamiento indebido en la zona de carga salvo los camiones", "es", types="illegal_parking",
      places="loading bay", not_cls="truck", lang="es"),
    A("incidencias en la estación central el {es3}", "es", "d3", places="cam-station", lang="es"),
    A("¿hubo algún conductor en sentido contrario anoche?", "es", "d1:night", types="wrong_way", lang="es"),
    A("el martes por la tarde en la rampa de la segunda planta", "es", "wd1:afternoon", places="level 2 ramp",
      lang="es"),
    A("último atasco en la circunvalación", "es", types="congestion", places="cam-ring", order="newest",
      lang="es"),
    A("gente merodeando en el muelle más de un cuarto de hora la semana pasada", "es", "last_week",
      types="loitering", places="quay", fact=("dur", ">", 900), lang="es"),
    A("esta semana, coches en el carril bici del colegio", "es", "this_week", types="illegal_parking",
      places="bike lane", cls="car", lang="es"),
    A("de madrugada el jueves, ¿alguna incidencia?", "es", "wd3:smallhours", lang="es"),
    A("todo lo del casco antiguo menos la parada de taxis", "es", places="cam-market", not_places="taxi rank",
      lang="es"),
    A("entre las dos horas punta del miércoles, ¿qué hubo en la estación?", "es", "wd2:10-16.5",
      places="cam-station", lang="es"),
    A("intrusiones en la zona de combustible de la cochera", "es", types="intrusion", places="fuel bay",
      lang="es"),
    A("demasiada gente en el andén del tranvía", "es", types="crowding", places="tram platform", lang="es"),
    A("vehículos en sentido contrario en la salida al aeropuerto durante menos de diez segundos", "es",
      types="wrong_way", places="slip road", fact=("dur", "<", 10), lang="es"),
    A("taxis parados junto a la fuente más de diez minutos", "es", types="stopped_vehicle", places="taxi rank",
      fact=("dur", ">", 600), lang="es"),
    A("alguien en las vías del andén 3 de la estación", "es", types="intrusion", places="platform 3",
      lang="es"),
    A("colas en la rampa del ferry", "es", types="congestion", places="ferry ramp", lang="es"),
    A("¿se ha visto humo o un incendio en el puerto?", "es", thing="fire", answer=False, lang="es"),
    A("quejas por ruido de una terraza en el casco antiguo", "es", thing="noise", answer=False, lang="es"),
    A("camión parado en la entrada del aparcamiento", "es", types="stopped_vehicle",
      places="car park entrance", cls="truck", lang="es"),
    A("bicicletas que cruzaron la línea del colegio en los últimos siete días", "es", "past7d",
      types="tripwire", places="cam-school", cls="bicycle", lang="es"),
    A("el viernes a la hora de comer en el casco antiguo", "es", "wd4:lunch", places="cam-market", lang="es"),
    A("lo último que pasó en el vestíbulo de la estación con mucha gente", "es", types="crowding",
      places="ticket hall", order="newest", lang="es"),
    A("motos con exceso de velocidad frente al colegio, a más de 20 por encima del límite", "es",
      types="speeding", places="cam-school", cls="motorcycle", fact=("over", ">", 20), lang="es"),
)
# fmt: on

_SALT_N = 4937  # the first salt that splits every category within two queries (see _even_salt)


def split_of(text: str, salt: str | None = None) -> str:
    return blind6.split_of(text, salt if salt is not None else SALT + str(_SALT_N))


def window(key: str, now: datetime) -> tuple[list[Interval], list[Interval]]:
    """blind6's time keys plus ``weekend2``: the weekend before the one just gone."""
    if key != "weekend2":
        return blind6.window(key, now)
    (rel,), _ = blind6.window("weekend", now)
    tz, utc = ZoneInfo(TZ), timezone.utc
    sat = rel[0].astimezone(tz).date() - timedelta(days=7)
    s0 = datetime(sat.year, sat.month, sat.day, tzinfo=tz)
    mon = sat + timedelta(days=2)
    e0 = datetime(mon.year, mon.month, mon.day, tzinfo=tz)
    h6 = timedelta(hours=6)
    return [(s0.astimezone(utc), e0.astimezone(utc))], [((s0 - h6).astimezone(utc), s0.astimezone(utc)),
                                                        (e0.astimezone(utc), (e0 + h6).astimezone(utc))]


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    """The labelled queries on this corpus and clock (blind6's labeller with this set's queries, split and keys)."""
    return blind6.generate(corpus, now, asks=ALL, split=split_of, when=window)


def _even_salt() -> int:
    return blind6._even_salt(ALL, SALT)
