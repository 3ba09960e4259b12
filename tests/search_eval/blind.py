"""A held-out set of operator queries written blind (issue: "the eval says 1.00, a hidden set says 0.48").

Written by someone who did not read ``services/search`` (parser, vocabulary, time grammar, places, ranking) nor
``phrasing.py`` / the template lists of ``queries.py``: the wording is how traffic and security control-room
operators type (abbreviations, typos, colloquial times, places by alias or by what is there). Only the labelling
machinery is shared with the main set (:class:`Intent`, :func:`label`, :class:`Query`), so relevance is computed
against the generated city relative to the load-time clock, never hand-picked.

Each query has a stable key (its wording before any date is filled in); the split is a hash of that key, so a
query keeps its half whatever the clock. All queries and the split were fixed before the search was first run on
them. An answerable query whose intent matches nothing at the current clock (e.g. "this morning" at 03:00) is
left out of that run. Run it with ``python -m tests.search_eval.report --set blind --split dev|test``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from tests.search_eval.city import CAMERAS, Incident
from tests.search_eval.queries import Z, Intent, Interval, Query, label, ordinal

VEH = {"car", "truck", "bus", "motorcycle"}
ALL_CAMS = {c.id for c in CAMERAS}
Window = tuple[list[Interval], list[Interval]]  # (relevant start times, don't-care start times), local


# ------------------------------------------------------------------------------------------------ time readings
# The evaluation's reading of each time phrase, as an operator means it; the fuzzy band around an edge is
# don't-care (neither rewarded nor penalised).
def _today(now: datetime) -> date:
    return now.astimezone(Z).date()


def _at(d: date, h: float) -> datetime:
    return datetime.combine(d, time(0), tzinfo=Z) + timedelta(hours=h)


def _span(d: date, a: float, b: float, fa: float = 1.0, fb: float | None = None) -> Window:
    """Core [a, b) hours of day ``d`` (b may pass 24), with fuzzy bands ``fa``/``fb`` hours either side of each edge."""
    fb = fa if fb is None else fb
    core = [(_at(d, a), _at(d, b))]
    fuzzy = [(_at(d, a - fa), _at(d, a + fa / 2)), (_at(d, b - fb / 2), _at(d, b + fb))] if fa or fb else []
    return core, fuzzy


def _day(d: date) -> Window:
    return [(_at(d, 0), _at(d, 24))], []


def _last(now: datetime, weekday: int) -> date:
    """The most recent ``weekday`` (0 = Monday) strictly before today."""
    t = _today(now)
    back = (t.weekday() - weekday) % 7 or 7
    return t - timedelta(days=back)


def _recent(now: datetime, minutes: float, fuzz: float) -> Window:
    loc = now.astimezone(Z)
    a = loc - timedelta(minutes=minutes)
    return [(a, loc + timedelta(hours=1))], [(a - timedelta(minutes=fuzz), a + timedelta(minutes=fuzz))]


def _yday(now: datetime) -> date:
    return _today(now) - timedelta(days=1)


def _weekend(now: datetime) -> Window:
    sat = _last(now, 5)
    core = [(_at(sat, 0), _at(sat, 48))]
    return core, [(_at(sat, -6), _at(sat, 0)), (_at(sat, 48), _at(sat, 54))]  # Friday evening, Monday small hours


def _this_week(now: datetime) -> Window:
    t = _today(now)
    mon = t - timedelta(days=t.weekday())
    return [(_at(mon, 0), _at(t, 48))], [(_at(mon, -3), _at(mon, 1))]


def _last_week(now: datetime) -> Window:
    t = _today(now)
    mon = t - timedelta(days=t.weekday() + 7)
    # "last week" = the previous calendar week; the days since Monday are don't-care (some mean "past 7 days").
    return [(_at(mon, 0), _at(mon, 7 * 24))], [(_at(mon, 7 * 24), _at(t, 48))]


def _past_days(now: datetime, n: int) -> Window:
    """ "the past few days": today and the n-1 days before; one more day either way is don't-care."""
    t = _today(now)
    a = t - timedelta(days=n - 1)
    return [(_at(a, 0), _at(t, 48))], [(_at(a, -24), _at(a, 6))]


def _night_after(d: date) -> Window:
    """The night that starts on ``d`` (after dark / overnight / last night): 20:00-05:00, edges fuzzy."""
    return [(_at(d, 20), _at(d, 29))], [(_at(d, 17.5), _at(d, 20.5)), (_at(d, 28), _at(d, 31))]


def _nth(now: datetime, back: int) -> tuple[date, str]:
    d = _today(now) - timedelta(days=back)
    return d, ordinal(d.day)


def _lunches(now: datetime) -> Window:
    """Lunchtime (12:00-14:30, edges fuzzy) on every day of this week so far."""
    t = _today(now)
    core: list[Interval] = []
    fuzzy: list[Interval] = []
    for k in range(t.weekday() + 1):
        c, f = _span(t - timedelta(days=k), 12, 14.5, 1.0)
        core += c
        fuzzy += f
    return core, fuzzy


TIMES: dict[str, Callable[[datetime], Window]] = {
    "yesterday": lambda n: _day(_yday(n)),
    "day_before": lambda n: _day(_yday(n) - timedelta(days=1)),
    "after_dark_yday": lambda n: _night_after(_yday(n)),
    "last_night": lambda n: _night_after(_yday(n)),
    "lunch_yday": lambda n: _span(_yday(n), 12, 14.5, 1.0),
    "weekend": _weekend,
    "past90": lambda n: _recent(n, 90, 8),
    "past2h": lambda n: _recent(n, 120, 10),
    "past3h": lambda n: _recent(n, 180, 15),
    "couple_hours": lambda n: ([(n.astimezone(Z) - timedelta(hours=2), n.astimezone(Z) + timedelta(hours=1))],
                               [(n.astimezone(Z) - timedelta(hours=3), n.astimezone(Z) - timedelta(hours=1, minutes=45))]),
    "late_friday": lambda n: ([(_at(_last(n, 4), 21), _at(_last(n, 4), 24))],
                              [(_at(_last(n, 4), 19.5), _at(_last(n, 4), 21.5)), (_at(_last(n, 4), 23.5), _at(_last(n, 4), 27))]),
    "friday_night": lambda n: _night_after(_last(n, 4)),
    "evening_rush_thu": lambda n: _span(_last(n, 3), 16.5, 19.5, 1.0),
    "morning_rush_mon": lambda n: _span(_last(n, 0), 7, 9.5, 1.0),
    "this_morning": lambda n: _span(_today(n), 6, 12, 1.0),
    "since_midnight": lambda n: ([(_at(_today(n), 0), _at(_today(n), 48))], []),
    "tue_afternoon": lambda n: _span(_last(n, 1), 12.5, 18, 1.0),
    "sun_morning": lambda n: _span(_last(n, 6), 7, 12, 1.0),
    "wed_7_9": lambda n: _span(_last(n, 2), 7, 9, 0.25),
    "mon_8am": lambda n: _span(_last(n, 0), 7.5, 8.5, 0.5),
    "sat_small_hours": lambda n: _span(_last(n, 5), 0, 6, 0.0, 1.0),
    "lunch_week": lambda n: _lunches(n),
    "thursday": lambda n: _day(_last(n, 3)),
    "friday": lambda n: _day(_last(n, 4)),
    "this_week": _this_week,
    "last_week": _last_week,
    "few_days": lambda n: _past_days(n, 3),
    "nth9": lambda n: _day(_nth(n, 9)[0]),
    "nth13": lambda n: _day(_nth(n, 13)[0]),
}

FILL: dict[str, Callable[[datetime], str]] = {  # placeholders in a query's wording that follow the clock
    "nth9": lambda n: _nth(n, 9)[1],
    "nth13": lambda n: _nth(n, 13)[1],
}


# ------------------------------------------------------------------------------------------------ the queries
@dataclass(frozen=True)
class B:
    """One blind query: its wording (``{nth9}``-style placeholders filled from the clock) and what it asks for."""

    text: str
    category: str
    lang: str = "en"
    when: str | None = None  # key of TIMES
    places: frozenset[str] | None = None
    types: frozenset[str] | None = None
    classes: frozenset[str] | None = None
    colours: frozenset[str] | None = None
    not_types: frozenset[str] = frozenset()
    not_classes: frozenset[str] = frozenset()
    fact: tuple[str, str, float] | None = None
    newest: bool = False
    answer: bool = True  # False: something the system cannot detect; the right answer is empty


def q(text: str, category: str, *, lang: str = "en", when: str | None = None, at: str | set[str] | None = None,
      t: str | set[str] | None = None, cls: set[str] | str | None = None, colour: str | None = None,
      not_t: set[str] | str = frozenset(), not_cls: set[str] | str = frozenset(), fact: tuple[str, str, float] | None = None,
      newest: bool = False, answer: bool = True) -> B:
    fs = lambda v: None if v is None else frozenset({v} if isinstance(v, str) else v)  # noqa: E731
    return B(text, category, lang, when, fs(at), fs(t), fs(cls), fs(colour), fs(not_t) or frozenset(),
             fs(not_cls) or frozenset(), fact, newest, answer)


def zone(name: str) -> str:
    return f"zone:{name}"


NA = dict(answer=False)

BLIND: tuple[B, ...] = (
    # --- time: colloquial windows, alone or with a place / type
    q("anything on the ring road after dark yesterday", "time", when="after_dark_yday", at="cam-ring"),
    q("what came in over lunchtime yesterday", "time", when="lunch_yday"),
    q("wrong-way drivers over the weekend", "time", when="weekend", t="wrong_way"),
    q("alerts in the past 90 min", "time", when="past90"),
    q("what did we get late friday", "time", when="late_friday"),
    q("harbour activity on the {nth9}", "time", when="nth9", at="cam-harbour"),
    q("incidents during thursday's evening rush", "time", when="evening_rush_thu"),
    q("school crossing this morning", "time", when="this_morning", at="cam-school"),
    q("break-ins or trespassers overnight", "time", when="last_night", t="intrusion"),
    q("car park tuesday afternoon", "time", when="tue_afternoon", at="cam-carpark"),
    q("sunday morning at the train stn", "time", when="sun_morning", at="cam-station"),
    q("whats come in the last 3 hrs", "time", when="past3h"),
    q("what happened between 7 and 9 on wednesday morning", "time", when="wed_7_9"),
    q("speeders on the motorway the day before yesterday", "time", when="day_before", at="cam-ring", t="speeding"),
    q("anything in the small hours of saturday", "time", when="sat_small_hours"),
    q("anything around 8am on monday", "time", when="mon_8am"),
    q("monday morning rush on the ring road", "time", when="morning_rush_mon", at="cam-ring"),
    q("everything at central station on the {nth13}", "time", when="nth13", at="cam-station"),
    # --- place: by alias or name, class words inside place names
    q("bus depot gate last week", "place", when="last_week", at=zone("bus depot gate")),
    q("anything at the car park entrance yday", "place", when="yesterday", at=zone("car park entrance")),
    q("bike lane parking this week", "place", when="this_week", at=zone("bike lane"), t="illegal_parking"),
    q("taxi rank yesterday", "place", when="yesterday", at=zone("taxi rank")),
    q("stopped veh on the hard shoulder two days ago", "place", when="day_before", at=zone("hard shoulder"),
      t="stopped_vehicle"),
    q("peds on the tram tracks this week", "place", when="this_week", at=zone("tram tracks"), cls="person"),
    q("wrong way on the level 2 ramp last week", "place", when="last_week", at=zone("level 2 ramp"), t="wrong_way"),
    q("port container yard intrusions last week", "place", when="last_week", at=zone("container yard"),
      t="intrusion"),
    q("vehicles in the old town pedestrian zone last week", "place", when="last_week", at=zone("pedestrian zone"),
      cls=VEH),
    q("platform 3 yesterday", "place", when="yesterday", at=zone("platform 3")),
    q("crowds at linden school gate in the past few days", "place", when="few_days", at=zone("school gate"),
      t="crowding"),
    q("market square yesterday", "place", when="yesterday", at="cam-tram"),
    q("ring road km 12 northbound jams yesterday", "place", when="yesterday", at=zone("northbound lanes"),
      t="congestion"),
    q("parking garage, anything this week", "place", when="this_week", at="cam-carpark"),
    q("stopped cars on the zebra crossing last week", "place", when="last_week", at=zone("zebra crossing"),
      t="stopped_vehicle", cls="car"),
    # --- soft: places by what is there (the descriptions), not by name
    q("someone hanging around near the newspaper kiosk this week", "soft", when="this_week", at=zone("shelter"),
      t="loitering"),
    q("bags left by the left-luggage lockers", "soft", when="few_days", at=zone("lockers"), t="abandoned_object"),
    q("trouble at the diesel pumps this week", "soft", when="this_week", at=zone("fuel bay")),
    q("wrong-way on the airport exit last week", "soft", when="last_week", at=zone("slip road"), t="wrong_way"),
    q("cars sitting in the emergency lane yesterday", "soft", when="yesterday", at=zone("hard shoulder"), cls="car"),
    q("delivery bay outside the supermarket blocked, past few days", "soft", when="few_days", at=zone("loading bay"),
      t="illegal_parking"),
    q("by the fountain yesterday", "soft", when="yesterday", at={zone("taxi rank"), zone("pedestrian zone")}),
    q("accessible spaces next to the lift, last week", "soft", when="last_week", at=zone("disabled bays")),
    q("the bus wash this week", "soft", when="this_week", at=zone("wash line")),
    q("gate on foundry lane over the weekend", "soft", when="weekend", at=zone("bus depot gate")),
    q("jams where cars drive onto the ferry", "soft", when="last_week", at=zone("ferry ramp"), t="congestion"),
    q("the regional trains platform, past few days", "soft", when="few_days", at=zone("platform 3")),
    q("rails across the square yesterday", "soft", when="yesterday", at=zone("tram tracks")),
    q("cycle lane outside the primary school this week", "soft", when="this_week", at=zone("bike lane")),
    # --- negation
    q("everything at central station yesterday except crowds", "negation", when="yesterday", at="cam-station",
      not_t="crowding"),
    q("ring road yesterday but not speeding", "negation", when="yesterday", at="cam-ring", not_t="speeding"),
    q("anything except wrong-way in the car park this week", "negation", when="this_week", at="cam-carpark",
      not_t="wrong_way"),
    q("school crossing alerts in the past few days, not pedestrians", "negation", when="few_days", at="cam-school",
      not_cls="person"),
    q("harbour over the weekend excluding people", "negation", when="weekend", at="cam-harbour", not_cls="person"),
    q("wrong way anywhere but the ring road, last week", "negation", when="last_week", at=ALL_CAMS - {"cam-ring"},
      t="wrong_way"),
    q("old town yesterday without the parking stuff", "negation", when="yesterday", at="cam-market",
      not_t="illegal_parking"),
    q("tram stop this week, no loitering", "negation", when="this_week", at="cam-tram", not_t="loitering"),
    q("non-vehicle alerts at the bus depot this week", "negation", when="this_week", at="cam-depot", not_cls=VEH),
    q("trucks this week that weren't speeding", "negation", when="this_week", cls="truck", not_t="speeding"),
    q("station alerts other than abandoned luggage, past few days", "negation", when="few_days", at="cam-station",
      not_t="abandoned_object"),
    q("ppl in the car park last week but not loiterers", "negation", when="last_week", at="cam-carpark", cls="person",
      not_t="loitering"),
    # --- numeric: facts over or under a value
    q("loitering longer than 20 minutes at the station", "numeric", at="cam-station", t="loitering",
      fact=("duration_min", "gt", 20)),
    q("crowds of more than 15 people at the tram stop this week", "numeric", when="this_week", at="cam-tram",
      t="crowding", fact=("count", "gt", 15)),
    q("faster than 90 on the ring road yesterday", "numeric", when="yesterday", at="cam-ring", t="speeding",
      fact=("speed", "gt", 90)),
    q("anything over 130 km/h this week", "numeric", when="this_week", t="speeding", fact=("speed", "gt", 130)),
    q("cars parked over an hour in the disabled bays", "numeric", at=zone("disabled bays"), t="illegal_parking",
      cls="car", fact=("duration_min", "gt", 60)),
    q("unattended bags sitting more than 20 mins", "numeric", t="abandoned_object", fact=("duration_min", "gt", 20)),
    q("queues of over 40 vehicles on the ring road this week", "numeric", when="this_week", at="cam-ring",
      t="congestion", fact=("vehicles", "gt", 40)),
    q("vehicles stopped less than 2 minutes on the hard shoulder", "numeric", at=zone("hard shoulder"),
      t="stopped_vehicle", fact=("duration_min", "lt", 2)),
    q("doing over 70 past the school this week", "numeric", when="this_week", at="cam-school", t="speeding",
      fact=("speed", "gt", 70)),
    q("groups bigger than 30 ppl yesterday", "numeric", when="yesterday", t="crowding", fact=("count", "gt", 30)),
    q("intrusions at the harbour lasting more than 10 min", "numeric", at="cam-harbour", t="intrusion",
      fact=("duration_min", "gt", 10)),
    q("vehicles stuck on the hard shoulder over half an hour", "numeric", at=zone("hard shoulder"),
      t="stopped_vehicle", fact=("duration_min", "gt", 30)),
    q("loitering under 5 mins at the depot gate", "numeric", at=zone("bus depot gate"), t="loitering",
      fact=("duration_min", "lt", 5)),
    # --- recency: the single newest match
    q("latest wrong-way on the airport slip road", "recency", at=zone("slip road"), t="wrong_way", newest=True),
    q("most recent abandoned bag at the station", "recency", at="cam-station", t="abandoned_object", newest=True),
    q("when did someone last loiter at the depot gate", "recency", at=zone("bus depot gate"), t="loitering",
      newest=True),
    q("newest alert from the harbour", "recency", at="cam-harbour", newest=True),
    q("last thing that happened on the ring road", "recency", at="cam-ring", newest=True),
    q("most recent speeding at linden school", "recency", at="cam-school", t="speeding", newest=True),
    q("latest red car", "recency", cls="car", colour="red", newest=True),
    q("last crowd on platform 3", "recency", at=zone("platform 3"), t="crowding", newest=True),
    q("latest one in the pedestrian zone", "recency", at=zone("pedestrian zone"), newest=True),
    # --- no_answer: things the system cannot detect; the right answer is empty
    q("fallen tree on the ring road", "no_answer", **NA),
    q("fire at the bus depot", "no_answer", **NA),
    q("a cat on the tram tracks", "no_answer", **NA),
    q("graffiti on the station walls", "no_answer", **NA),
    q("smoke coming out of the car park", "no_answer", **NA),
    q("flooding at the harbour", "no_answer", **NA),
    q("manhole cover missing at the school crossing", "no_answer", **NA),
    q("a horse on the motorway last night", "no_answer", **NA),
    q("pothole in the old town", "no_answer", **NA),
    q("a drone over the container yard", "no_answer", **NA),
    q("street lights out on market street", "no_answer", **NA),
    q("shoplifting at the station", "no_answer", **NA),
    q("power cut at the tram stop yesterday", "no_answer", **NA),
    q("burst water main near the fountain", "no_answer", **NA),
    q("snow on platform 3", "no_answer", **NA),
    # --- Chinese
    q("昨天环路上的超速", "zh", lang="zh", when="yesterday", at="cam-ring", t="speeding"),
    q("上周末停车场的逆行", "zh", lang="zh", when="weekend", at="cam-carpark", t="wrong_way"),
    q("火车站最近一次遗留物品", "zh", lang="zh", at="cam-station", t="abandoned_object", newest=True),
    q("过去三个小时有人闯入吗", "zh", lang="zh", when="past3h", t="intrusion"),
    q("这周港口集装箱堆场的入侵", "zh", lang="zh", when="this_week", at=zone("container yard"), t="intrusion"),
    q("最近三天学校门口人群聚集", "zh", lang="zh", when="few_days", at=zone("school gate"), t="crowding"),
    q("电车站徘徊超过二十分钟的人", "zh", lang="zh", at="cam-tram", t="loitering", fact=("duration_min", "gt", 20)),
    q("昨天应急车道上停着的车", "zh", lang="zh", when="yesterday", at=zone("hard shoulder"), t="stopped_vehicle"),
    q("上周五的超速", "zh", lang="zh", when="friday", t="speeding"),
    q("环路上车速超过130公里的", "zh", lang="zh", at="cam-ring", t="speeding", fact=("speed", "gt", 130)),
    q("这周停车场残疾人车位的违章停车", "zh", lang="zh", when="this_week", at=zone("disabled bays"),
      t="illegal_parking"),
    q("上周公交车场加油区有人闯入", "zh", lang="zh", when="last_week", at=zone("fuel bay"), t="intrusion"),
    q("昨天老城装卸区违停", "zh", lang="zh", when="yesterday", at=zone("loading bay"), t="illegal_parking"),
    q("上周环路北行车道拥堵", "zh", lang="zh", when="last_week", at=zone("northbound lanes"), t="congestion"),
    q("这周午饭时间火车站人多拥挤", "zh", lang="zh", when="lunch_week", at="cam-station", t="crowding"),
    q("昨天环路上除了超速以外的事件", "zh", lang="zh", when="yesterday", at="cam-ring", not_t="speeding"),
    q("停车场着火了", "zh", lang="zh", **NA),
    q("电车轨道上有一只猫", "zh", lang="zh", **NA),
    q("火车站墙上的涂鸦", "zh", lang="zh", **NA),
    q("环路上有倒下的树", "zh", lang="zh", **NA),
    # --- Spanish
    q("¿qué pasó anoche?", "es", lang="es", when="last_night"),
    q("exceso de velocidad en la circunvalación ayer", "es", lang="es", when="yesterday", at="cam-ring", t="speeding"),
    q("coches en sentido contrario en el aparcamiento el finde", "es", lang="es", when="weekend", at="cam-carpark",
      t="wrong_way", cls="car"),
    q("la última maleta abandonada en la estación central", "es", lang="es", at="cam-station", t="abandoned_object",
      cls="suitcase", newest=True),
    q("gente merodeando en la parada del tranvía más de 20 minutos", "es", lang="es", at="cam-tram", t="loitering",
      fact=("duration_min", "gt", 20)),
    q("aglomeraciones de más de 30 personas ayer", "es", lang="es", when="yesterday", t="crowding",
      fact=("count", "gt", 30)),
    q("vehículos parados en el arcén ayer", "es", lang="es", when="yesterday", at=zone("hard shoulder"),
      t="stopped_vehicle"),
    q("mal aparcados en el carril bici esta semana", "es", lang="es", when="this_week", at=zone("bike lane"),
      t="illegal_parking"),
    q("intrusiones en el puerto la semana pasada", "es", lang="es", when="last_week", at="cam-harbour", t="intrusion"),
    q("atascos en la circunvalación el jueves", "es", lang="es", when="thursday", at="cam-ring", t="congestion"),
    q("¿qué pasó en el casco antiguo a la hora de comer esta semana?", "es", lang="es", when="lunch_week",
      at="cam-market"),
    q("exceso de velocidad delante del colegio a más de 80 esta semana", "es", lang="es", when="this_week",
      at="cam-school", t="speeding", fact=("speed", "gt", 80)),
    q("todo en la cochera de autobuses salvo intrusiones, la semana pasada", "es", lang="es", when="last_week",
      at="cam-depot", not_t="intrusion"),
    q("lo más reciente de vehículos parados en el paso de cebra", "es", lang="es", at=zone("zebra crossing"),
      t="stopped_vehicle", newest=True),
    q("aglomeración en el andén del tranvía esta semana", "es", lang="es", when="this_week", at=zone("tram platform"),
      t="crowding"),
    q("coches en sentido contrario por la zona peatonal la semana pasada", "es", lang="es", when="last_week",
      at=zone("pedestrian zone"), t="wrong_way", cls="car"),
    q("excesos de velocidad de más de 150 km/h en la circunvalación", "es", lang="es", at="cam-ring", t="speeding",
      fact=("speed", "gt", 150)),
    q("incendio en la cochera", "es", lang="es", **NA),
    q("un gato en las vías del tranvía", "es", lang="es", **NA),
    q("grafiti en la estación", "es", lang="es", **NA),
    q("árbol caído en la circunvalación", "es", lang="es", **NA),
)


# The salt is the first that halves every category to within one query; it was chosen from the wording alone,
# before the search ever ran on these queries, and stays fixed (a query added later keeps the others' halves).
SPLIT_SALT = "blind654"


def split_of(key: str, salt: str = SPLIT_SALT) -> str:
    """dev / test by a hash of the query's stable wording (before the clock fills in dates)."""
    return "test" if hashlib.sha256(f"{salt}:{key}".encode()).digest()[0] % 2 == 0 else "dev"


def _intent(b: B, now: datetime, times: dict[str, Callable[[datetime], Window]] = TIMES) -> Intent:
    times, fuzzy = times[b.when](now) if b.when else (None, [])
    s = lambda v: None if v is None else set(v)  # noqa: E731
    return Intent(times=times, fuzzy=fuzzy, places=s(b.places), types=s(b.types), classes=s(b.classes),
                  colours=s(b.colours), not_types=set(b.not_types), not_classes=set(b.not_classes), fact=b.fact,
                  newest=b.newest)


def _text(b: B, now: datetime, fill: dict[str, Callable[[datetime], str]] = FILL) -> str:
    out = b.text
    for k, f in fill.items():
        if "{" + k + "}" in out:
            out = out.replace("{" + k + "}", f(now))
    return out


def build(b: B, corpus: list[Incident], now: datetime, *, times: dict[str, Callable[[datetime], Window]] = TIMES,
          fill: dict[str, Callable[[datetime], str]] = FILL, salt: str = SPLIT_SALT) -> Query | None:
    """The labelled :class:`Query` for ``b`` at this clock; None when an answerable one matches nothing now.
    ``times`` / ``fill`` / ``salt``: another set's time readings, placeholders and split salt (``blind2.py``)."""
    it = _intent(b, now, times)
    out = Query(_text(b, now, fill), b.category, b.lang, it, split=split_of(b.text, salt))
    if not b.answer:
        return out
    rel, ign = [], set()
    for inc in corpus:
        lab = label(inc, it)
        if lab == "rel":
            rel.append(inc)
        elif lab == "ignore":
            ign.add(inc.id)
    if not rel:
        return None
    if b.newest:
        out.relevant = [max(rel, key=lambda i: i.started_at).id]
    else:
        out.relevant, out.ignore = [i.id for i in rel], ign
    return out


def generate(corpus: list[Incident], now: datetime) -> list[Query]:
    return [x for b in BLIND if (x := build(b, corpus, now)) is not None]
