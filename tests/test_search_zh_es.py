"""Chinese and Spanish queries compose like English ones: day x part of the day x clock x bound, relative spans,
weekdays, days of the month and ranges of them, counts / durations / speeds with their comparison words, negation
of types, classes and places, newest / oldest first. The forms are made up for the grammar (not from any
evaluation set); the deployment below is a small one of this file's own."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.search import parse_query
from services.search.places import Place

TZ = "Europe/Madrid"
Z = ZoneInfo(TZ)
NOW = datetime(2026, 11, 27, 18, 30, tzinfo=Z)  # Friday 18:30 local
PLACES = [
    Place("camera", "cam-depot", "Riverside Bus Depot", ("公交总站", "cocheras del río"), "bus depot yard and its gate"),
    Place("zone", "depot gate", "depot gate", ("大门", "portón"), "vehicle gate of the bus depot", "cam-depot"),
    Place("camera", "cam-mall", "Elm Mall Car Park", ("商场停车场", "parking del centro comercial"), "multi-storey car park"),
    Place("camera", "cam-ring", "Ring Road North", ("环城路", "ronda norte"), "two-lane ring road"),
]


def L(month: int, day: int, hour: float = 0) -> datetime:
    h = int(hour)
    return datetime(2026, month, day, h, round((hour - h) * 60), tzinfo=Z).astimezone(timezone.utc)


def parse(q: str):
    return parse_query(q, now=NOW, tz=TZ, places=PLACES)


@pytest.mark.parametrize("q, since, until", [
    # Chinese: a part of the day on each end of a range sets each clock's half; no day named = the latest one past
    ("晚上十点到早上六点的闯入", L(11, 26, 22), L(11, 27, 6)),
    ("前天傍晚七点到晚上九点", L(11, 25, 19), L(11, 25, 21)),
    # part + clock + 以后: the part says the half, the window runs on (into the night after 18:00)
    ("周三下午四点以后", L(11, 25, 16), L(11, 26)),
    ("上周二晚上九点之后", L(11, 17, 21), L(11, 18, 6)),
    # a day of this / last month, and ranges of days (both ends included)
    ("上个月8号的拥堵", L(10, 8), L(10, 9)),
    ("这个月二号晚上", L(11, 2, 18), L(11, 3, 6)),
    ("16号到18号的违停", L(11, 16), L(11, 19)),
    ("十月二十九日到十一月二日", None, None),  # across a month: not read as one range (left to the day readers)
    ("周二和周四", L(11, 24), L(11, 27)),
    # a weekday of this / last / the week before last, alone or joined to another (same week unless it names its own)
    ("上上周四的违停", L(11, 12), L(11, 13)),
    ("本周二到周四的拥堵", L(11, 24), L(11, 27)),
    ("上星期二至上星期四", L(11, 17), L(11, 20)),
    ("上周六到这周二的闯入", L(11, 21), L(11, 25)),
    # N units 之前 / 以前 is N units ago, like 前
    ("上个月底的拥堵", L(10, 22), L(11, 1)),  # the end of a month, as "the end of last month" reads
    ("四个小时之前的逆行", L(11, 27, 14), L(11, 27, 15)),  # as "4 hours ago" reads
    # Spanish: number words as clock hours, halves from "de la noche / madrugada / tarde", ranges across parts
    ("atascos después de las nueve de la noche del martes", L(11, 24, 21), L(11, 25, 6)),
    ("de las once de la noche a las cinco de la madrugada", L(11, 26, 23), L(11, 27, 5)),
    ("ayer a las cuatro de la madrugada", L(11, 26, 3.5), L(11, 26, 4.5)),
    ("el 9 del mes pasado", L(10, 9), L(10, 10)),
    ("el día 4 de este mes por la tarde", L(11, 4, 12), L(11, 4, 20)),  # la tarde runs until dusk
    ("del 23 al 25", L(11, 23), L(11, 26)),
    ("del 30 al 2 de noviembre", L(10, 30), L(11, 3)),
    ("del martes al jueves", L(11, 24), L(11, 27)),
    ("la última semana", L(11, 20, 18.5), None),
    ("ayer entre las 19:30 y las 21:00", L(11, 26, 19.5), L(11, 26, 21)),
    # English gets the same composition
    ("in the evening after 10pm", L(11, 26, 22), L(11, 27, 6)),
    ("the 12th of last month", L(10, 12), L(10, 13)),
    ("from the 9th to the 11th", L(11, 9), L(11, 12)),
])
def test_time_components_compose(q, since, until):
    f = parse(q).filters
    if since is None:
        assert f.since is None or f.until is None or (f.until - f.since).days < 3, (q, f.since, f.until)
        return
    assert (f.since, f.until) == (since, until), (q, f.since and f.since.astimezone(Z), f.until and f.until.astimezone(Z))


@pytest.mark.parametrize("q, fact, op, value", [
    ("至少4辆车违停", "count", "gt", 3.5),
    ("不少于六个人聚集", "count", "gt", 5.5),
    ("最多两辆车", "count", "lt", 2.5),
    ("停了不超过一刻钟", "duration_s", "lt", 900),
    ("车速超过70", "speed_kmh", "gt", 70),
    ("每小时110公里以上", "speed_kmh", "gt", 110),
    ("al menos 8 personas", "count", "gt", 7.5),
    ("por lo menos doce coches", "count", "gt", 11.5),
    ("como máximo 3 camiones", "count", "lt", 3.5),
    ("a más de 95 kilómetros por hora", "speed_kmh", "gt", 95),
    ("velocidad superior a 130", "speed_kmh", "gt", 130),
    ("parados durante más de 25 minutos", "duration_s", "gt", 1500),
])
def test_comparison_words_bound_facts(q, fact, op, value):
    p = parse(q)
    assert [(b.fact, b.op, b.value) for b in p.facts] == [(fact, op, value)], (q, p.facts)
    assert not p.exclude.classes and not p.exclude.types, q  # "al menos" is no negation


@pytest.mark.parametrize("q, types, classes, cameras", [
    ("排除逆行", ("wrong_way",), (), ()),
    ("除了商场停车场以外的违停", (), (), ("cam-mall",)),
    ("不包括公交车", (), ("bus",), ()),
    ("todo excepto en la ronda norte", (), (), ("cam-ring",)),
    ("excluyendo los atascos", ("congestion",), (), ()),
    ("que no sean motos", (), ("motorcycle",), ()),
    ("sin contar el merodeo", ("loitering",), (), ()),
])
def test_negation_excludes_types_classes_and_places(q, types, classes, cameras):
    p = parse(q)
    assert (p.exclude.types, p.exclude.classes, p.exclude.cameras) == (types, classes, cameras), q
    assert not p.filters.cameras and not set(types) & set(p.filters.types), q


def test_a_place_alias_outside_a_negation_is_still_a_filter():
    assert parse("商场停车场的违停").filters.cameras == ("cam-mall",)
    assert parse("atascos en la ronda norte").filters.cameras == ("cam-ring",)


@pytest.mark.parametrize("q, newest, oldest", [
    ("最新的违停", True, False), ("最早的违停", False, True), ("第一次逆行", False, True),
    ("el último atasco", True, False), ("el primer atasco de hoy", False, True), ("lo más antiguo", False, True),
    ("the earliest crowd yesterday", False, True), ("a primera hora de la mañana", False, False),
])
def test_newest_and_oldest_first(q, newest, oldest):
    p = parse(q)
    assert (p.newest, p.oldest) == (newest, oldest), q


def test_oldest_orders_the_answer_oldest_first(tmp_path):
    from datetime import timedelta

    from citylens.bench.synth import make_incident
    from services.search import SearchIndex, search
    from services.store import Store

    store = Store(f"sqlite:///{tmp_path / 'o.db'}", tmp_path / "media")
    index = SearchIndex(store, tz=TZ, background=False, index_path=False)
    t0 = datetime(2026, 11, 27, 8, tzinfo=timezone.utc)
    try:
        for i in range(4):
            store.upsert_incident(make_incident(f"inc-{i}", camera_id="cam-1", type_="wrong_way", zone=None, cls="car",
                                                colour=None, at=t0 + timedelta(minutes=10 * i), caption="car going the wrong way"))
        index.flush()
        ids = [h.incident.id for h in search(store, "最早的逆行", index=index, now=NOW).hits]
        assert ids == ["inc-0", "inc-1", "inc-2", "inc-3"]
        ids = [h.incident.id for h in search(store, "el último en sentido contrario", index=index, now=NOW).hits]
        assert ids == ["inc-3", "inc-2", "inc-1", "inc-0"]
    finally:
        index.close()
        store.close()


@pytest.mark.parametrize("q, types, soft", [
    ("超过二十个人", ("crowding",), ()), ("más de 12 coches", ("congestion",), ()), ("over 40 people", ("crowding",), ()),
    ("more than 2 people", (), ("crowding",)),  # a small number: any zone rule's count, so only a preference
    ("至少3辆车违停", ("illegal_parking",), ()),  # a type read stays the type
])
def test_a_large_count_of_people_or_vehicles_is_a_crowd_or_a_jam(q, types, soft):
    p = parse(q)
    assert (p.filters.types, p.soft.types) == (types, soft), q


@pytest.mark.parametrize("q, since, until", [
    ("el jueves por la tarde", L(11, 26, 12), L(11, 26, 20)),  # la tarde runs until dusk
    ("en la última semana", L(11, 20, 18.5), None),
    ("estos días", L(11, 24, 18.5), None),
])
def test_spanish_parts_and_spans(q, since, until):
    f = parse(q).filters
    assert (f.since, f.until) == (since, until), q


@pytest.mark.parametrize("q, since, until, hours", [
    # from one day's clock to another's, in each language's order
    ("从前天晚上九点到昨天早上七点", L(11, 25, 21), L(11, 26, 7), None),
    ("desde anteayer a las 9 de la noche hasta ayer a las 7 de la mañana", L(11, 25, 21), L(11, 26, 7), None),
    ("from 9pm on wednesday until 7am thursday", L(11, 25, 21), L(11, 26, 7), None),
    # a clock inside a night that passes midnight is after midnight; a clock to now opens the window there
    ("昨天夜里三点左右", L(11, 27, 2.5), L(11, 27, 3.5), None),
    ("下午一点到现在", L(11, 27, 13), None, None),
    # Spanish words of the same axes
    ("entre el martes y el jueves", L(11, 24), L(11, 27), None),
    ("antes del mediodía de ayer", L(11, 26), L(11, 26, 12), None),
    ("ayer a media mañana", L(11, 26, 7.5), L(11, 26, 10.5), None),
    ("en la última hora y media", L(11, 27, 17), None, None),
    ("过去的12小时", L(11, 27, 6.5), None, None),
    ("todas las noches", None, None, (21, 30)),
    ("la hora punta de la tarde", None, None, (16, 19.5)),  # a second part narrows the first
])
def test_windows_across_days_and_recurring_parts(q, since, until, hours):
    p = parse(q)
    assert (p.filters.since, p.filters.until, p.hours) == (since, until, hours), (
        q, p.filters.since and p.filters.since.astimezone(Z), p.filters.until and p.filters.until.astimezone(Z), p.hours)


def test_a_named_camera_prefers_its_own_zones_and_place_kind_words_are_not_unknown():
    places = [*PLACES, Place("zone", "staff gate", "staff gate", (), "staff entrance gate of the yard", "cam-other"),
              Place("zone", "mall entrance", "mall entrance", (), "barrier at the foot of the ramp", "cam-mall")]
    p = parse_query("商场停车场入口的违停", now=NOW, tz=TZ, places=places)
    assert p.filters.cameras == ("cam-mall",) and p.soft.zones == ("mall entrance",), p
    p = parse_query("la entrada del parking del centro comercial", now=NOW, tz=TZ, places=places)
    assert p.filters.cameras == ("cam-mall",) and p.soft.zones == ("mall entrance",), p
    # 加油站 is read as "fuel petrol diesel pumps": the words no place holds are not unknown (no "nothing matches")
    assert parse("加油站有人").unknown == ()
    assert parse("la salida hacia la zona de carga").unknown == ()


@pytest.mark.parametrize("q, since, until", [
    ("昨天九点多", L(11, 26, 9), L(11, 26, 10)),  # a little after nine: that hour
    ("前天晚上八九点", L(11, 25, 20), L(11, 25, 22)),  # eight or nine in the evening
    ("近两个月", L(9, 28, 18.5), None),
    ("过去半个月的逆行", L(11, 12, 18.5), None),
    ("前几天", L(11, 24, 18.5), None),
    ("en lo que va de semana", L(11, 23), None),
    ("hace poco", L(11, 27, 16.5), None),
    ("ayer temprano", L(11, 26, 5), L(11, 26, 9)),
])
def test_approximate_chinese_clocks_and_colloquial_spans(q, since, until):
    f = parse(q).filters
    assert (f.since, f.until) == (since, until), (q, f.since and f.since.astimezone(Z), f.until and f.until.astimezone(Z))


@pytest.mark.parametrize("q, types", [
    ("一辆白车停在大门口", ("stopped_vehicle",)), ("公交车逆着开", ("wrong_way",)), ("摩托车骑得飞快", ("speeding",)),
    ("有人爬进了车场", ("intrusion",)), ("车堵成一片", ("congestion",)), ("手机落在了长椅上", ("abandoned_object",)),
    ("商场停车场里的货车", ()),  # 停车场 is a place, not a stop
])
def test_chinese_types_said_as_verb_and_complement(q, types):
    assert parse(q).filters.types == types, q


def test_a_negated_chinese_verb_form_excludes_its_type():
    p = parse("除了停在路边的以外")
    assert p.exclude.types == ("stopped_vehicle",) and not p.filters.types


def test_spanish_place_words_joined_by_de_read_in_english_order():
    """"las vías del tranvía" is the tram tracks: two place-kind words joined by de / del / de la are one compound,
    modifier first, so the zone's English name reads them (as "the tram tracks" would)."""
    places = [Place("camera", "cam-line", "Line 4 Stop", (), "a stop of the tram line"),
              Place("zone", "tram tracks", "tram tracks", (), "the rails", "cam-line"),
              Place("zone", "bus lane", "bus lane", (), "lane for buses only", "cam-line")]
    p = parse_query("alguien caminando por las vías del tranvía anoche", now=NOW, tz=TZ, places=places)
    assert p.filters.zones == ("tram tracks",)
    p = parse_query("alguien caminando por el tranvía anoche", now=NOW, tz=TZ, places=places)
    assert "tram tracks" not in p.filters.zones


@pytest.mark.parametrize("q, weekdays", [
    ("atascos entre semana", (0, 1, 2, 3, 4)), ("intrusiones los fines de semana", (5, 6)),
    ("merodeo los domingos", (6,)), ("工作日的拥堵", (0, 1, 2, 3, 4)),
])
def test_recurring_days_of_the_week_in_spanish_and_chinese(q, weekdays):
    p = parse(q)
    assert (p.weekdays, p.filters.since) == (weekdays, None), q
    assert parse("atascos el domingo").weekdays is None  # "el domingo" is one Sunday


def test_a_colour_after_chu_le_at_the_end_is_left_out():
    p = parse_query("停车场的逆行车辆，除了黑色的", now=NOW, tz=TZ)  # wrong-way vehicles, except the black ones
    assert (p.filters.types, p.filters.colours, p.exclude.colours) == (("wrong_way",), (), ("black",))
    p = parse_query("除了黑色的卡车", now=NOW, tz=TZ)  # the cue is on the trucks; the colour describes them
    assert (p.exclude.classes, p.exclude.colours) == (("truck",), ())


def test_too_many_people_in_spanish_and_chinese_is_a_crowd():
    assert parse_query("demasiadas personas junto al quiosco", now=NOW, tz=TZ).filters.types == ("crowding",)
    assert parse_query("桥上人太多", now=NOW, tz=TZ).filters.types == ("crowding",)
    assert parse_query("车速超过90公里的卡车", now=NOW, tz=TZ).filters.types == ("speeding",)
