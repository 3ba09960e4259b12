"""A third held-out operator set (issue 9, item 5): the dev halves of ``blind.py`` and ``blind2.py`` are tuned on,
so this one measures what still fails on wording nobody has tuned for.

Written by a third blind author who did not read ``services/search`` (parser, vocabulary, floor and its examples),
``phrasing.py``, the query lists of ``queries.py`` / ``blind.py`` / ``blind2.py``, ``docs/search.md`` nor the search
tests; only ``city.py`` (what an operator of this deployment knows: cameras, zones, aliases, descriptions, incident
types and facts) and the labelling machinery. The voice differs on purpose from the earlier sets: incident-ticket
fields ("Type: ... | Location: ... | When: ..."), terse radio calls ("control, unit 4: ..."), a supervisor's
questions, police requests for footage with a reference number and an ISO or day/month date, shift follow-ups
("again the depot gate, ..."), places by what is there ("the diesel pumps", "the bus wash", "the exit to the
airport"), camera ids, soft descriptions, negation, numbers with units (min, h, km/h, mph, people, vehicles),
latest and earliest, things the system never detects or that never happen at a place, and Chinese (simplified and
traditional) and Spanish written natively (about a quarter of the set).

The machinery is ``blind.py``'s (:class:`blind.B`, :func:`blind.q`, :func:`blind.build`) plus two additions kept
here: :class:`B3` can ask for the *earliest* match (``oldest``), and :data:`TIMES3` / :data:`FILL3` add this set's
time readings and date forms. Each query carries the operator's :class:`Intent` and is labelled against the
generated city relative to the load-time clock; time edges have don't-care bands. The split is a salted hash of each
query's stable wording (before dates are filled in); the test half was written and fixed before the search first
ran on any of these queries. Run it with ``python -m tests.search_eval.report --set blind3 --split dev|test``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from tests.search_eval.blind import (B, Window, _at, _day, _last, _night_after, _past_days, _recent, _span, _text, _today,
                                     _yday)
from tests.search_eval.blind import build as _build
from tests.search_eval.blind2 import FILL2, TIMES2
from tests.search_eval.city import COLOURS, Incident
from tests.search_eval.queries import Z, Query, label

VEH = {"car", "truck", "bus", "motorcycle"}
BAGS = {"backpack", "suitcase", "handbag"}


# ------------------------------------------------------------------------------------------------ time readings
# blind.py's and blind2.py's readings plus these; each as an operator means it, edges with don't-care bands.
def _since(now: datetime, start: datetime, fuzz_h: float) -> Window:
    return [(start, now.astimezone(Z) + timedelta(hours=1))], [(start - timedelta(hours=fuzz_h), start + timedelta(hours=fuzz_h))]


def _ago(now: datetime, days: int):
    return _today(now) - timedelta(days=days)


def _before(d, h: float, fuzz: float = 0.25) -> Window:
    """From midnight of ``d`` to ``h`` o'clock (the night before is not asked for)."""
    return [(_at(d, 0), _at(d, h))], [(_at(d, -0.5), _at(d, 0)), (_at(d, h - fuzz), _at(d, h + fuzz))]


def _after(d, h: float, fuzz: float = 0.25) -> Window:
    """From ``h`` o'clock to midnight of ``d``; the small hours after are don't-care (some mean "tonight")."""
    return [(_at(d, h), _at(d, 24))], [(_at(d, h - fuzz), _at(d, h + fuzz)), (_at(d, 24), _at(d, 30))]


TIMES3: dict[str, Callable[[datetime], Window]] = {
    **TIMES2,
    "yday_before_7": lambda n: _before(_yday(n), 7),
    "tue_after_8pm": lambda n: _after(_last(n, 1), 20),
    "sun_after_lunch": lambda n: _span(_last(n, 6), 14, 18, 1.0),
    "last_night_10_2": lambda n: _span(_yday(n), 22, 26, 0.25),
    "past45": lambda n: _recent(n, 45, 5),
    "past36h": lambda n: _recent(n, 36 * 60, 60),
    "past48h": lambda n: _recent(n, 48 * 60, 60),
    "today_yday": lambda n: _past_days(n, 2),
    "last5days": lambda n: _past_days(n, 5),
    "last10days": lambda n: _past_days(n, 10),
    "since_yday_noon": lambda n: _since(n, _at(_yday(n), 12), 0.5),
    "since_sat": lambda n: _since(n, _at(_last(n, 5), 0), 3),
    "sat": lambda n: _day(_last(n, 5)),
    "mon": lambda n: _day(_last(n, 0)),
    "tue": lambda n: _day(_last(n, 1)),
    "sat_morning": lambda n: _span(_last(n, 5), 6, 12, 1.0),
    "fri_evening": lambda n: _span(_last(n, 4), 18, 22, 1.0),
    "fri_before_noon": lambda n: _before(_last(n, 4), 12),
    "thu_10_12": lambda n: _span(_last(n, 3), 10, 12, 0.25),
    "thu_8_10": lambda n: _span(_last(n, 3), 8, 10, 0.25),
    "wed_2_6pm": lambda n: _span(_last(n, 2), 14, 18, 0.25),
    "wed_night": lambda n: _night_after(_last(n, 2)),
    "yday_after_9pm": lambda n: _after(_yday(n), 21),
    "yday_5_7pm": lambda n: _span(_yday(n), 17, 19, 0.25),
    "yday_3_5pm": lambda n: _span(_yday(n), 15, 17, 0.25),
    "midday_yday": lambda n: _span(_yday(n), 11, 13, 1.0),
    "morning_2days_ago": lambda n: _span(_ago(n, 2), 6, 12, 1.0),
    "overnight_sat_sun": lambda n: _night_after(_last(n, 5)),
    "early_evening_thu": lambda n: _span(_last(n, 3), 17, 20, 1.0),
    # Chinese 晚上 runs from dusk to midnight; Spanish "tarde" from after lunch (14:00) to about 20:00.
    "yday_wanshang": lambda n: _span(_yday(n), 18, 24, 1.0),
    "yday_tarde": lambda n: _span(_yday(n), 14, 20, 1.5),
    "tue_tarde": lambda n: _span(_last(n, 1), 14, 20, 1.5),
    "date5": lambda n: _day(_ago(n, 5)),
    "date11": lambda n: _day(_ago(n, 11)),
    "date20": lambda n: _day(_ago(n, 20)),
    "date8": lambda n: _day(_ago(n, 8)),
}

_MON_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_MON_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"]

FILL3: dict[str, Callable[[datetime], str]] = {
    **FILL2,
    "dm5": lambda n: f"{_ago(n, 5).day:02d}/{_ago(n, 5).month:02d}",  # 23/11, as a European ticket writes it
    "md11": lambda n: f"{_ago(n, 11).day} {_MON_EN[_ago(n, 11).month - 1]}",  # 17 November
    "iso20": lambda n: _ago(n, 20).isoformat(),  # 2026-11-08, as a ticket system prints it
    "mon8": lambda n: f"{_MON_EN[_ago(n, 8).month - 1][:3]} {_ago(n, 8).day}",  # Nov 20
    "zh11": lambda n: f"{_ago(n, 11).month}月{_ago(n, 11).day}日",
    "zh5": lambda n: f"{_ago(n, 5).month}月{_ago(n, 5).day}号",
    "es5": lambda n: f"{_ago(n, 5).day} de {_MON_ES[_ago(n, 5).month - 1]}",
    "es20": lambda n: f"{_ago(n, 20).day}/{_ago(n, 20).month}",
}


# ------------------------------------------------------------------------------------------------ the queries
@dataclass(frozen=True)
class B3(B):
    """A blind query that may ask for the earliest match ("first ... yesterday") instead of the newest."""

    oldest: bool = False


def q(text: str, category: str, *, lang: str = "en", when: str | None = None, at: str | set[str] | None = None,
      t: str | set[str] | None = None, cls: set[str] | str | None = None, colour: str | set[str] | None = None,
      not_t: set[str] | str = frozenset(), not_cls: set[str] | str = frozenset(), fact: tuple[str, str, float] | None = None,
      newest: bool = False, oldest: bool = False, answer: bool = True) -> B3:
    fs = lambda v: None if v is None else frozenset({v} if isinstance(v, str) else v)  # noqa: E731
    return B3(text, category, lang, when, fs(at), fs(t), fs(cls), fs(colour), fs(not_t) or frozenset(),
              fs(not_cls) or frozenset(), fact, newest, answer, oldest)


def zone(name: str) -> str:
    return f"zone:{name}"


NA = dict(answer=False)
MIN = "duration_min"

TIME = [
    q("Type: any | Location: all cameras | When: yesterday before 7am", "time", when="yday_before_7"),
    q("what came in on Tuesday evening after 8?", "time", when="tue_after_8pm"),
    q("Type: vehicle | Location: all | When: last night", "time", cls=VEH, when="last_night"),
    q("station and tram stop, Sunday after lunch — anything?", "time", at={"cam-station", "cam-tram"}, when="sun_after_lunch"),
    q("all cameras between 10pm and 2am last night", "time", when="last_night_10_2"),
    q("control, unit 4: anything anywhere in the last 45 mins?", "time", when="past45"),
    q("unit 7 asking, stalled lorry on the hard shoulder, past 36 hrs", "time", t="stopped_vehicle", cls="truck",
      at=zone("hard shoulder"), when="past36h"),
    q("every crowding alert at Central Station over the past 5 days please", "time", t="crowding", at="cam-station",
      when="last5days"),
    q("what happened around midday yesterday", "time", when="midday_yday"),
    q("Thursday 10 to 12 — all vehicle incidents", "time", cls=VEH, when="thu_10_12"),
    q("Ref 2231 – request footage, Linden School Crossing, 2 days ago, morning", "time", at="cam-school",
      when="morning_2days_ago"),
    q("Police request: all vehicle incidents at Riverside Car Park on {dm5}", "time", at="cam-carpark", cls=VEH,
      when="date5"),
    q("Incident log for North Bus Depot, {iso20}", "time", at="cam-depot", when="date20"),
    q("speeding on the ring road on {md11}", "time", t="speeding", at="cam-ring", when="date11"),
    q("wrong-way alerts since yesterday noon", "time", t="wrong_way", when="since_yday_noon"),
    q("how many wrong-way drivers have we logged on the ring road since Saturday?", "time", t="wrong_way",
      at="cam-ring", when="since_sat"),
    q("vehicles only, yesterday between 5 and 7pm", "time", cls=VEH, when="yday_5_7pm"),
    q("Friday evening, anything involving people", "time", cls="person", when="fri_evening"),
    q("anything overnight Wednesday into Thursday", "time", when="wed_night"),
    q("loitering in the last ten days at the depot gate", "time", t="loitering", at=zone("bus depot gate"),
      when="last10days"),
    q("Location: all / Event: intrusion or loitering / Period: Sat-Sun overnight", "time", t={"intrusion", "loitering"},
      when="overnight_sat_sun"),
    q("everything after 9pm yesterday", "time", when="yday_after_9pm"),
    q("all illegal parking or stopped vehicles on Friday before noon", "time", t={"illegal_parking", "stopped_vehicle"},
      when="fri_before_noon"),
    q("tram stop incidents Monday", "time", at="cam-tram", when="mon"),
    q("early evening Thursday — anything on Km 12 or the school crossing", "time", at={"cam-ring", "cam-school"},
      when="early_evening_thu"),
    q("station, {mon8}", "time", at="cam-station", when="date8"),
    q("and after dark on Friday?", "time", when="friday_night"),
]

PLACE = [
    q("anything at the multi-storey by the river", "place", at="cam-carpark"),
    q("incidents near the diesel pumps", "place", at=zone("fuel bay")),
    q("left luggage area alerts", "place", at=zone("lockers")),
    q("what's been flagged by the fountain", "place", at={zone("taxi rank"), zone("pedestrian zone")}),
    q("exit to the airport road - events", "place", at=zone("slip road")),
    q("Foundry Lane gate", "place", at=zone("bus depot gate")),
    q("regional trains platform today and yesterday", "place", at=zone("platform 3"), when="today_yday"),
    q("accessible bays next to the lift", "place", at=zone("disabled bays")),
    q("bus wash alerts this week", "place", at=zone("wash line"), when="this_week"),
    q("emergency lane northbound, Km 12", "place", at=zone("hard shoulder")),
    q("the supermarket's delivery bay", "place", at=zone("loading bay")),
    q("Linden primary", "place", at="cam-school"),
    q("cam-depot, past 7 days", "place", at="cam-depot", when="last_7_days"),
    q("info desk at the station", "place", at=zone("ticket hall")),
    q("by the stacked containers", "place", at=zone("container yard")),
    q("between the church and the fountain", "place", at=zone("pedestrian zone")),
    q("painted cycle lane outside the school", "place", at=zone("bike lane")),
    q("barrier at the bottom of the ramp", "place", at=zone("car park entrance")),
    q("ramp from first to second floor", "place", at=zone("level 2 ramp")),
]

SOFT = [
    q("somebody lurking around the lockers", "soft", t="loitering", at=zone("lockers")),
    q("suitcase left behind at the station", "soft", t="abandoned_object", cls="suitcase", at="cam-station"),
    q("unattended rucksack at the tram shelter", "soft", t="abandoned_object", cls="backpack", at=zone("shelter")),
    q("car blocking the cycle lane at Linden", "soft", t="illegal_parking", cls="car", at=zone("bike lane")),
    q("delivery lorry sat in the loading bay for ages", "soft", t="illegal_parking", cls="truck", at=zone("loading bay")),
    q("traffic backing up onto the ferry", "soft", t="congestion", at=zone("ferry ramp")),
    q("platform 3 rammed with people", "soft", t="crowding", at=zone("platform 3")),
    q("someone got over the fence into the container yard", "soft", t="intrusion", cls="person", at=zone("container yard")),
    q("motorbike going against the traffic in the car park", "soft", t="wrong_way", cls="motorcycle", at="cam-carpark"),
    q("pedestrian wandering on the tram lines", "soft", t="intrusion", cls="person", at=zone("tram tracks")),
    q("broken-down vehicle on the hard shoulder", "soft", t="stopped_vehicle", at=zone("hard shoulder")),
    q("cars driving into the pedestrianised bit of the old town", "soft", t={"intrusion", "wrong_way"}, cls=VEH,
      at=zone("pedestrian zone")),
    q("cyclist crossing the line at the depot", "soft", t="tripwire", cls="bicycle", at="cam-depot"),
    q("taxi waiting ages at the rank", "soft", t="stopped_vehicle", cls="car", at=zone("taxi rank")),
    q("bus stuck in the wash", "soft", t="stopped_vehicle", cls="bus", at=zone("wash line")),
    q("kids bunching up at the school gate", "soft", t="crowding", at=zone("school gate")),
]

NEGATION = [
    q("ring road alerts but not speeding", "negation", at="cam-ring", not_t="speeding"),
    q("intrusions at the depot, excluding people", "negation", t="intrusion", at="cam-depot", not_cls="person"),
    q("harbour last week, anything other than loitering", "negation", at="cam-harbour", not_t="loitering", when="last_week"),
    q("Station incidents except crowding", "negation", at="cam-station", not_t="crowding"),
    q("stopped vehicles apart from buses", "negation", t="stopped_vehicle", not_cls="bus"),
    q("tripwire crossings that weren't pedestrians", "negation", t="tripwire", not_cls="person"),
    q("parking violations where it wasn't a car", "negation", t="illegal_parking", not_cls="car"),
    q("everything on Market Street besides illegal parking and crowding", "negation", at="cam-market",
      not_t={"illegal_parking", "crowding"}),
    q("abandoned items, no suitcases", "negation", t="abandoned_object", not_cls="suitcase"),
    q("speeding past the school, not cars", "negation", t="speeding", at="cam-school", not_cls="car"),
    q("wrong way, any colour except white", "negation", t="wrong_way", colour=set(COLOURS) - {"white"}),
]

NUMERIC = [
    q("loitering > 15 min at the quay", "numeric", t="loitering", at=zone("quay"), fact=(MIN, "gt", 15)),
    q("illegal parking over 1h in the disabled bays", "numeric", t="illegal_parking", at=zone("disabled bays"),
      fact=(MIN, "gt", 60)),
    q("crowds bigger than 35 people", "numeric", t="crowding", fact=("count", "gt", 35)),
    q("congestion with 50+ vehicles", "numeric", t="congestion", fact=("vehicles", "gt", 50)),
    q("speeders doing more than 150 km/h on the ring road", "numeric", t="speeding", at="cam-ring", fact=("speed", "gt", 150)),
    q("anything clocked over 90 mph", "numeric", t="speeding", fact=("speed", "gt", 144.8)),
    q("vehicles stopped on the hard shoulder for under 2 minutes", "numeric", t="stopped_vehicle", at=zone("hard shoulder"),
      fact=(MIN, "lt", 2)),
    q("bags left unattended for at least 20 minutes", "numeric", t="abandoned_object", fact=(MIN, "gt", 20)),
    q("intrusions lasting more than 10 minutes", "numeric", t="intrusion", fact=(MIN, "gt", 10)),
    q("Linden school speeding above 100", "numeric", t="speeding", at="cam-school", fact=("speed", "gt", 100)),
    q("vehicles stopped for longer than 40 minutes", "numeric", t="stopped_vehicle", fact=(MIN, "gt", 40)),
    q("ticket hall crowding under 15 people", "numeric", t="crowding", at=zone("ticket hall"), fact=("count", "lt", 15)),
    q("loiterers who stayed less than five minutes", "numeric", t="loitering", fact=(MIN, "lt", 5)),
    q("parked more than 45 min in the loading bay", "numeric", t="illegal_parking", at=zone("loading bay"),
      fact=(MIN, "gt", 45)),
]

RECENCY = [
    q("latest wrong-way on the slip road", "recency", t="wrong_way", at=zone("slip road"), newest=True),
    q("most recent bag left at the lockers", "recency", t="abandoned_object", at=zone("lockers"), newest=True),
    q("when did someone last go onto the tram tracks?", "recency", t="intrusion", cls="person", at=zone("tram tracks"),
      newest=True),
    q("last congestion alert on the ring", "recency", t="congestion", at="cam-ring", newest=True),
    q("newest incident at the depot", "recency", at="cam-depot", newest=True),
    q("what's the very latest thing any camera raised?", "recency", newest=True),
    q("first speeding anywhere yesterday", "recency", t="speeding", when="yesterday", oldest=True),
    q("earliest crowding at the station this week", "recency", t="crowding", at="cam-station", when="this_week", oldest=True),
    q("supervisor wants the most recent illegal parking in the disabled bays", "recency", t="illegal_parking",
      at=zone("disabled bays"), newest=True),
]

NO_ANSWER = [
    # things no rule of this deployment detects
    q("fire at the fuel bay", "no_answer", **NA),
    q("graffiti on the tram shelter", "no_answer", **NA),
    q("dog running loose on platform 3", "no_answer", **NA),
    q("flooding in the car park", "no_answer", **NA),
    q("pothole reported at Km 12", "no_answer", **NA),
    q("traffic light out at the school crossing", "no_answer", **NA),
    q("shoplifting on Market Street", "no_answer", **NA),
    q("horse on the ring road", "no_answer", **NA),
    # things that never happen where asked (no such rule there) or beyond what a fact ever reaches
    q("speeding at the harbour", "no_answer", t="speeding", at="cam-harbour", **NA),
    q("crowding in the car park", "no_answer", t="crowding", at="cam-carpark", **NA),
    q("abandoned luggage on the ring road", "no_answer", t="abandoned_object", at="cam-ring", **NA),
    q("wrong-way vehicles at the bus depot", "no_answer", t="wrong_way", at="cam-depot", **NA),
    q("illegal parking at the tram stop", "no_answer", t="illegal_parking", at="cam-tram", **NA),
    q("intrusions at Linden school", "no_answer", t="intrusion", at="cam-school", **NA),
    q("tripwire crossings at Central Station", "no_answer", t="tripwire", at="cam-station", **NA),
    q("speeding over 300 km/h", "no_answer", t="speeding", fact=("speed", "gt", 300), **NA),
    q("crowds of more than 100 people", "no_answer", t="crowding", fact=("count", "gt", 100), **NA),
]

ZH = [
    q("昨天晚上有哪些车辆报警", "zh", lang="zh", cls=VEH, when="yday_wanshang"),
    q("火车站寄存柜那边有人徘徊", "zh", lang="zh", t="loitering", at="cam-station"),
    q("过去两小时有什么报警", "zh", lang="zh", when="past2h"),
    q("环路上最近一次逆行", "zh", lang="zh", t="wrong_way", at="cam-ring", newest=True),
    q("前天有没有遗留物品", "zh", lang="zh", t="abandoned_object", when="two_days_ago"),
    q("学校门口人群聚集", "zh", lang="zh", t="crowding", at=zone("school gate")),
    q("公交车场本周的闯入事件", "zh", lang="zh", t="intrusion", at="cam-depot", when="this_week"),
    q("老城卸货区违规停车超过一小时", "zh", lang="zh", t="illegal_parking", at=zone("loading bay"), fact=(MIN, "gt", 60)),
    q("环路超速，时速超过150公里", "zh", lang="zh", t="speeding", at="cam-ring", fact=("speed", "gt", 150)),
    q("电车站有火灾吗", "zh", lang="zh", **NA),
    q("港口有没有超速", "zh", lang="zh", t="speeding", at="cam-harbour", **NA),
    q("除了超速以外，环路昨天的事件", "zh", lang="zh", at="cam-ring", not_t="speeding", when="yesterday"),
    q("{zh11}公交车场的记录", "zh", lang="zh", at="cam-depot", when="date11"),
    # traditional
    q("昨天下午的擁擠事件", "zh", lang="zh", t="crowding", when="yday_afternoon"),
    q("上週末停車場的逆行車輛", "zh", lang="zh", t="wrong_way", at="cam-carpark", when="weekend"),
    q("應急車道上停著的貨車", "zh", lang="zh", t="stopped_vehicle", cls="truck", at=zone("hard shoulder")),
    q("學校附近有沒有狗", "zh", lang="zh", **NA),
    q("最近一週港口貨櫃堆場有人闖入", "zh", lang="zh", t="intrusion", cls="person", at=zone("container yard"),
      when="last_7_days"),
    q("{zh5}火車站的遺留行李", "zh", lang="zh", t="abandoned_object", at="cam-station", when="date5"),
]

ES = [
    q("¿Hubo vehículos parados en el arcén desde ayer a mediodía?", "es", lang="es", t="stopped_vehicle",
      at=zone("hard shoulder"), when="since_yday_noon"),
    q("gente merodeando junto a la consigna de la estación central", "es", lang="es", t="loitering", at="cam-station"),
    q("aglomeraciones el sábado por la mañana", "es", lang="es", t="crowding", when="sat_morning"),
    q("coches aparcados en el carril bici en las dos últimas semanas", "es", lang="es", t="illegal_parking", cls="car",
      at=zone("bike lane"), when="fortnight"),
    q("último vehículo en sentido contrario en la circunvalación", "es", lang="es", t="wrong_way", at="cam-ring",
      newest=True),
    q("exceso de velocidad en el colegio a más de 90 km/h", "es", lang="es", t="speeding", at="cam-school",
      fact=("speed", "gt", 90)),
    q("maletas abandonadas en el puerto en la última semana", "es", lang="es", t="abandoned_object", cls="suitcase",
      at="cam-harbour", when="last_7_days"),
    q("intrusiones en la cochera de autobuses durante el fin de semana", "es", lang="es", t="intrusion",
      at="cam-depot", when="weekend"),
    q("atascos en la rampa del ferry en los últimos diez días", "es", lang="es", t="congestion", at=zone("ferry ramp"),
      when="last10days"),
    q("todo lo del casco antiguo menos el aparcamiento indebido", "es", lang="es", at="cam-market",
      not_t="illegal_parking"),
    q("¿alguien en las vías del tranvía en las últimas 48 horas?", "es", lang="es", t="intrusion", cls="person",
      at=zone("tram tracks"), when="past48h"),
    q("incendio en los surtidores de la cochera", "es", lang="es", **NA),
    q("¿hubo excesos de velocidad en el puerto?", "es", lang="es", t="speeding", at="cam-harbour", **NA),
    q("perros sueltos en el paso de cebra", "es", lang="es", **NA),
    q("más de 30 personas acumuladas en la zona peatonal", "es", lang="es", t="crowding", at=zone("pedestrian zone"),
      fact=("count", "gt", 30)),
    q("incidencias del aparcamiento del {es5}", "es", lang="es", at="cam-carpark", when="date5"),
    q("motos en sentido contrario en la rampa del nivel 2", "es", lang="es", t="wrong_way", cls="motorcycle",
      at=zone("level 2 ramp")),
    q("el martes por la tarde, ¿qué pasó en la estación central?", "es", lang="es", at="cam-station", when="tue_tarde"),
    q("ayer por la tarde, ¿vehículos detenidos en algún sitio?", "es", lang="es", t="stopped_vehicle", when="yday_tarde"),
]

ALL: list[B3] = TIME + PLACE + SOFT + NEGATION + NUMERIC + RECENCY + NO_ANSWER + ZH + ES

# The first salt ("blind3-<k>") that halves the whole set to within one query and each category to within one; chosen
# from the wording alone, before the search first ran on these queries, and stays fixed.
SPLIT_SALT = "blind3-16690"


def split_of(key: str, salt: str | None = None) -> str:
    """dev / test by a hash of the query's stable wording (before the clock fills in dates)."""
    s = SPLIT_SALT if salt is None else salt
    return "test" if hashlib.sha256(f"{s}:{key}".encode()).digest()[0] % 2 == 0 else "dev"


def _text_at(b: B3, now: datetime) -> str:
    """The wording an operator types at this clock (dates filled in)."""
    return _text(b, now, FILL3)


def build(b: B3, corpus: list[Incident], now: datetime) -> Query | None:
    """The labelled query for ``b`` at this clock (``blind.build`` with this set's times, dates and salt); for
    ``oldest`` the one relevant incident is the earliest match."""
    out = _build(b, corpus, now, times=TIMES3, fill=FILL3, salt=SPLIT_SALT)
    if out is not None and b.oldest:
        rel = [i for i in corpus if label(i, out.intent) == "rel"]
        out.relevant = [min(rel, key=lambda i: i.started_at).id]  # the don't-care band stays don't-care
    return out


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    return [x for b in ALL if (x := build(b, corpus, now)) is not None]
