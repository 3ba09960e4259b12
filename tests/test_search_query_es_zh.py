"""Spanish (Spain, Mexico, the River Plate, Colombia, Chile) and Chinese (simplified and traditional) queries made up
for this file, none from an evaluation set: each says its window, incident type, class and colour. Times compose
(day x part of the day x clock x bound, relative spans, weekday forms, regional words); types are read from type
words, inflected verbs and diminutives, and from an act at a kind of place (``services/search/acts.py``)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.search import parse_query
from services.search.acts import undiminish

TZ = "Europe/Madrid"
Z = ZoneInfo(TZ)
NOW = datetime(2026, 12, 3, 16, 45, tzinfo=Z)  # Thursday 16:45 local


def L(month: int, day: int, hour: float = 0) -> datetime:
    h = int(hour)
    return datetime(2026, month, day, h, round((hour - h) * 60), tzinfo=Z).astimezone(timezone.utc)


def parse(q: str):
    return parse_query(q, now=NOW, tz=TZ)


OPEN = "open"  # a window that runs up to now (no end)
D, N = 12, 11  # December, November

CASES = [
    # ---- Spanish: Spain
    ("furgonetas blancas aparcadas en la zona de carga", None, None, ("illegal_parking",), ("car", "truck"), ("white",)),
    ("un camion averiado en el arcen esta madrugada", L(D, 3), L(D, 3, 6), ("stopped_vehicle",), ("truck",), ()),
    ("pasadas las once de la noche del martes", L(D, 1, 23), L(D, 2, 6), (), (), ()),
    ("antes de ayer en la madrugada", L(D, 1), L(D, 1, 6), (), (), ()),
    ("el miercoles por la manana", L(D, 2, 6), L(D, 2, 12), (), (), ()),
    ("la semana pasada, coches en doble fila", L(N, 23), L(N, 30), ("illegal_parking",), ("car",), ()),
    ("aglomeración de gente el sábado al mediodía", L(N, 28, 11), L(N, 28, 13), ("crowding",), ("person",), ()),
    ("el jueves pasado entre las 7 y las 9 de la mañana", L(N, 26, 7), L(N, 26, 9), (), (), ()),
    ("ayer después de comer, atasco en la rotonda", L(D, 2, 13), L(D, 2, 18), ("congestion",), (), ()),
    ("hoy a media mañana, camionetas mal estacionadas", L(D, 3, 7.5), L(D, 3, 10.5), ("illegal_parking",), ("car", "truck"), ()),
    ("el martes de la semana pasada", L(N, 24), L(N, 25), (), (), ()),
    ("el jueves de esta semana por la tarde", L(D, 3, 12), L(D, 3, 20), (), (), ()),
    ("peatones cruzando por las vías del tren hoy temprano", L(D, 3, 5), L(D, 3, 9), ("intrusion",), ("person",), ()),
    ("gente atravesando las vías", None, None, ("intrusion",), (), ()),
    ("ciclistas invadiendo la zona peatonal", None, None, ("intrusion",), ("bicycle",), ()),
    ("la moto quedó estacionada en la esquina", None, None, ("illegal_parking",), ("motorcycle",), ()),
    ("coches circulando por el carril bus", None, None, (), ("car",), ()),  # moving: no parking said
    ("gente esperando junto a las vías", None, None, (), (), ()),  # beside the tracks: no intrusion said
    ("accidente de tráfico en la autopista", None, None, (), (), ()),  # "de tráfico" says which accident, not a jam
    ("mochila abandonada en las últimas tres horas", L(D, 3, 13.75), OPEN, ("abandoned_object",), ("backpack",), ()),
    ("maleta olvidada en el andén hace dos horas", L(D, 3, 14.25), L(D, 3, 15.25), ("abandoned_object",), ("suitcase",), ()),
    ("en la última media hora", L(D, 3, 16.25), OPEN, (), (), ()),
    ("el 1 de diciembre por la mañana", L(D, 1, 6), L(D, 1, 12), (), (), ()),
    # ---- Spanish: Mexico, Central America
    ("ahorita hay algún carro parado en el arcén?", L(D, 3, 15.75), OPEN, ("stopped_vehicle",), ("car",), ()),
    ("camioneta roja estacionada en el carril bici anoche", L(D, 2, 18), L(D, 3, 6), ("illegal_parking",), ("car", "truck"), ("red",)),
    ("autobús en sentido contrario anoche sobre las 11", L(D, 2, 22.5), L(D, 2, 23.5), ("wrong_way",), ("bus",), ()),
    ("a la hora de la comida de ayer", None, None, (), (), ()),  # lunchtime of a day: checked below
    ("hace unas horas", L(D, 3, 12.75), OPEN, (), (), ()),
    ("camioncito blanco en doble fila", None, None, ("illegal_parking",), ("truck",), ("white",)),
    ("carritos parados en el acotamiento", None, None, ("stopped_vehicle",), ("car",), ()),
    ("esta mañanita", L(D, 3, 6), L(D, 3, 12), (), (), ()),
    ("el lunes que pasó a eso de las ocho de la noche", L(N, 30, 19.5), L(N, 30, 20.5), (), (), ()),
    # ---- Spanish: Argentina, Uruguay
    ("hace rato, alguien merodeando por la estación", L(D, 3, 14.75), OPEN, ("loitering",), (), ()),
    ("motos circulando de contramano el finde", L(N, 28), L(N, 30), ("wrong_way",), ("motorcycle",), ()),
    ("ayer a la tarde", L(D, 2, 12), L(D, 2, 20), (), (), ()),
    ("el sábado a la mañana", L(N, 28, 6), L(N, 28, 12), (), (), ()),
    ("el viernes a la tardecita", L(N, 27, 12), L(N, 27, 20), (), (), ()),
    ("autos estacionados sobre la vereda", None, None, ("illegal_parking",), None, ()),  # "auto" stays out of the class table
    ("camioneta colorada mal estacionada", None, None, ("illegal_parking",), ("car", "truck"), ("red",)),
    ("una micro detenida en el paradero", None, None, ("stopped_vehicle",), ("bus",), ()),
    ("coches en las plazas pmr", None, None, ("illegal_parking",), ("car",), ()),
    ("un carro en el cajón para discapacitados", None, None, ("illegal_parking",), ("car",), ()),
    ("停了半个多小时的货车", None, None, ("stopped_vehicle",), ("truck",), ()),
    # ---- Spanish: Colombia, Chile, Venezuela
    ("coches parqueados en la acera ayer en la tarde", L(D, 2, 12), L(D, 2, 20), ("illegal_parking",), ("car",), ()),
    ("un carro a toda velocidad el domingo en la noche", L(N, 29, 18), L(N, 30, 6), ("speeding",), ("car",), ()),
    ("vehículos que llevan más de media hora en la parada de taxis", None, None, ("stopped_vehicle",), None, ()),
    ("hoy de mañana", L(D, 3, 6), L(D, 3, 12), (), (), ()),
    ("tempranito hoy", L(D, 3, 5), L(D, 3, 9), (), (), ()),
    ("bicis en sentido contrario desde las 3 de la tarde", L(D, 3, 15), OPEN, ("wrong_way",), ("bicycle",), ()),
    # ---- Chinese: simplified
    ("上礼拜五晚上货车违停", L(N, 27, 18), L(N, 28, 6), ("illegal_parking",), ("truck",), ()),
    ("刚才停车场有人徘徊", L(D, 3, 15.75), OPEN, ("loitering",), (), ()),
    ("凌晨三点左右的超速车辆", L(D, 3, 2.5), L(D, 3, 3.5), ("speeding",), None, ()),
    ("星期天下午有白色轿车停在应急车道", L(N, 29, 12), L(N, 29, 18), ("stopped_vehicle",), ("car",), ("white",)),
    ("周二晚上十点到周三早上六点", L(D, 1, 22), L(D, 2, 6), (), (), ()),
    ("前天中午的遗留物品", L(D, 1, 11), L(D, 1, 14), ("abandoned_object",), (), ()),
    ("昨天傍晚有红色的车逆行吗", L(D, 2, 17), L(D, 2, 20), ("wrong_way",), (), ("red",)),
    ("这个礼拜的拥堵情况", L(N, 30), OPEN, ("congestion",), (), ()),
    ("上星期三傍晚", L(N, 25, 17), L(N, 25, 20), (), (), ()),
    ("今天凌晨的闯入", L(D, 3), L(D, 3, 6), ("intrusion",), (), ()),
    ("黑色摩托车昨天下午三点到五点超速", L(D, 2, 15), L(D, 2, 17), ("speeding",), ("motorcycle",), ("black",)),
    ("10分钟前应急车道上的故障车", L(D, 3, 16.083), L(D, 3, 17.083), ("stopped_vehicle",), (), ()),
    ("11月29号晚上的逆行", L(N, 29, 18), L(N, 30, 6), ("wrong_way",), (), ()),
    ("周三夜里两点的闯入", L(D, 3, 1.5), L(D, 3, 2.5), ("intrusion",), (), ()),
    ("夜里十二点", L(D, 2, 23.5), L(D, 3, 0.5), (), (), ()),
    ("上个礼拜天", L(N, 29), L(N, 30), (), (), ()),
    ("昨天晚高峰", L(D, 2, 16), L(D, 2, 19.5), (), (), ()),
    ("昨天下班高峰的拥堵", L(D, 2, 16), L(D, 2, 19.5), ("congestion",), (), ()),
    ("昨天大半夜有人翻墙", L(D, 2, 21), L(D, 3, 6), ("intrusion",), (), ()),
    ("有人在铁轨上走", None, None, ("intrusion",), (), ()),
    ("停在自行车道上的电动车", None, None, ("illegal_parking",), None, ()),
    ("故障车停在人行横道上", None, None, ("stopped_vehicle",), (), ()),  # broke down there: stopped, not parked
    ("应急车道停车", None, None, ("stopped_vehicle",), (), ()),
    ("停留超过二十分钟的卡车", None, None, ("stopped_vehicle",), ("truck",), ()),
    ("今天下午三点多", L(D, 3, 15), L(D, 3, 16), (), (), ()),
    # ---- Chinese: traditional (Taiwan, Hong Kong)
    ("禮拜一上午的違停", L(N, 30, 6), L(N, 30, 12), ("illegal_parking",), (), ()),
    ("過去三小時超速的卡車", L(D, 3, 13.75), OPEN, ("speeding",), ("truck",), ()),
    ("這兩天有沒有逆行的機車", L(D, 1, 16.75), OPEN, ("wrong_way",), ("motorcycle",), ()),
    ("上週三深夜", L(N, 25, 21), L(N, 26, 6), (), (), ()),
    ("昨晚十一點以後", L(D, 2, 23), L(D, 3, 6), (), (), ()),
    ("近兩個鐘頭", L(D, 3, 14.75), OPEN, (), (), ()),
    ("停在公車專用道的計程車", None, None, ("illegal_parking",), ("car",), ()),
    # Hong Kong (Cantonese words) and Taiwan
    ("琴日夜晚有冇人闖入", L(D, 2, 21), L(D, 3, 6), ("intrusion",), (), ()),
    ("尋晚貨櫃車違例泊車", L(D, 2, 18), L(D, 3, 6), ("illegal_parking",), ("truck",), ()),
    ("今朝塞車", L(D, 3, 6), L(D, 3, 12), ("congestion",), (), ()),
    ("遊覽車停在紅線上", None, None, ("illegal_parking",), ("bus",), ()),
    ("騎樓停了一排機車", None, None, ("illegal_parking",), ("motorcycle",), ()),
]


@pytest.mark.parametrize("q, since, until, types, classes, colours", CASES)
def test_window_type_class_colour(q, since, until, types, classes, colours):
    p = parse(q)
    f = p.filters
    got_until = OPEN if (f.since is not None and f.until is None) else f.until
    if since is not None:
        assert (f.since, got_until) == (since, until), (q, f.since and f.since.astimezone(Z), f.until and f.until.astimezone(Z))
    assert f.types == types, (q, f.types)
    if classes is not None:
        assert set(f.classes) == set(classes), (q, f.classes)
    assert set(f.colours) == set(colours), (q, f.colours)


def test_lunch_of_a_named_day():
    f = parse("a la hora de la comida de ayer").filters
    assert f.since is not None and f.since.astimezone(Z).date() == L(D, 2).astimezone(Z).date()
    assert 11 <= f.since.astimezone(Z).hour <= 13 and f.until.astimezone(Z).hour <= 16


def test_cases_are_many_and_span_both_languages():
    es = [c for c in CASES if not any("\u4e00" <= ch <= "\u9fff" for ch in c[0])]
    assert len(CASES) >= 60 and len(es) >= 30 and len(CASES) - len(es) >= 30


@pytest.mark.parametrize("word, base", [("mananita", "manana"), ("tempranito", "temprano"), ("tardecita", "tarde"),
                                        ("carritos", "carros"), ("camioncito", "camion"), ("rojita", "roja"),
                                        ("delito", "delito"), ("distrito", "distrito"), ("ahorita", "ahorita"),
                                        ("aparcao", "aparcado"), ("paraos", "parados"), ("cacao", "cacao")])
def test_diminutives_and_spoken_participles_are_the_word_they_stand_for(word, base):
    assert undiminish(word) == base


@pytest.mark.parametrize("q, since, until, types", [
    # jumping a fence, getting in, speed by an idiom; "la parada" is a place
    ("chavos brincando la barda del depósito", None, None, ("intrusion",)),
    ("se colaron dos chicos en el andén", None, None, ("intrusion",)),
    ("el colectivo iba a mil por la avenida", None, None, ("speeding",)),
    ("gente amontonada en la parada", None, None, ("crowding",)),
    ("una furgoneta parada en la parada de taxis", None, None, ("stopped_vehicle",)),
    ("la camioneta esta parada desde hace rato", L(D, 3, 14.75), None, ("stopped_vehicle",)),  # "está" typed plain
    # the night / small hours "del X al Y", a weekend before last, plural parts, an hour and a half ago
    ("la madrugada del viernes al sábado", L(N, 28), L(N, 28, 6), ()),
    ("la noche del domingo al lunes", L(N, 29, 18), L(N, 30, 6), ()),
    ("el finde antepasado", L(N, 21), L(N, 23), ()),
    ("hace hora y media", L(D, 3, 14.75), L(D, 3, 15.75), ()),
    # a day of the month before a part or a clock; "y pico" a little after; "las 12" of a night is midnight; a bare
    # clock range today that lies ahead in the afternoon is this morning's
    ("el 29 por la noche", L(N, 29, 18), L(N, 30, 6), ()),
    ("el 1 a las 8 de la tarde", L(D, 1, 19.5), L(D, 1, 20.5), ()),
    ("ayer a las 4 y pico de la tarde", L(D, 2, 16), L(D, 2, 17), ()),
    ("anoche pasadas las 12", L(D, 3), L(D, 3, 6), ()),
    ("hoy entre las 7 y las 9", L(D, 3, 7), L(D, 3, 9), ()),
    # from one day's part to another's (the first part's start to the second's end), in all three languages
    ("desde el lunes en la noche hasta el martes en la mañana", L(N, 30, 18), L(D, 1, 12), ()),
    ("从周二傍晚到周三上午的违停", L(D, 1, 17), L(D, 2, 12), ("illegal_parking",)),
    ("from tuesday evening until wednesday morning", L(D, 1, 18), L(D, 2, 12), ()),
    # Latin America: "parado" of a person is standing; regional vehicle, person, colour and type words
    ("una señora parada junto al portón desde hace rato", L(D, 3, 14.75), None, ("loitering",)),
    ("buseta plomo en contravía", None, None, ("wrong_way",)),
    ("tractomula varada en la berma", None, None, ("stopped_vehicle",)),
    ("un pibe fisgoneando los autos del estacionamiento", None, None, ("loitering",)),
    ("tumulto en el andén", None, None, ("crowding",)),
    ("alguien dejó un bolso junto a los casilleros", None, None, ("abandoned_object",)),
    ("una valija sola en el andén", None, None, ("abandoned_object",)),
    ("un coche pisó la raya", None, None, ("tripwire",)),
    ("una camioneta iba rapidísimo por el anillo", None, None, ("speeding",)),
    ("un coche en panne", None, None, ("stopped_vehicle",)),
    # Chinese acts said by a verb and its object or a reduplicated motion
    ("前天夜里有个男的在站台上晃来晃去", L(D, 1, 21), L(D, 2, 6), ("loitering",)),
    ("有人攀过护栏", None, None, ("intrusion",)),
    ("候车厅有个行李箱没人认领", None, None, ("abandoned_object",)),
    ("這兩天有人翻圍牆", L(D, 1, 16.75), None, ("intrusion",)),
    ("匝道上有辆车一动不动", None, None, ("stopped_vehicle",)),
    ("售票厅挤满了人", None, None, ("crowding",)),
    ("有个人在大门口蹲了很久", None, None, ("loitering",)),
    ("大货车占用应急车道", None, None, ("stopped_vehicle",)),
    ("出租车占用公交专用道", None, None, ("illegal_parking",)),
    ("环路上车辆排起长龙", None, None, ("congestion",)),
])
def test_more_acts_and_times(q, since, until, types):
    f = parse(q).filters
    if since is not None:
        assert (f.since, f.until) == (since, until), (q, f.since and f.since.astimezone(Z), f.until and f.until.astimezone(Z))
    assert f.types == types, (q, f.types)


@pytest.mark.parametrize("q, ex_types, ex_classes", [
    ("no quiero ver camiones", (), ("truck",)),
    ("atascos de ayer, no me muestres los buses", (), ("bus",)),
])
def test_spanish_requests_to_leave_out(q, ex_types, ex_classes):
    p = parse(q)
    assert (p.exclude.types, p.exclude.classes) == (ex_types, ex_classes), q


def test_more_than_half_an_hour_in_chinese_bounds_the_duration():
    assert [(b.fact, b.op, b.value) for b in parse("停了半个多小时的货车").facts] == [("duration_s", "gt", 1800.0)]


def test_spanish_names_of_disabled_bays_are_the_place_kind():
    from services.search.places import Place

    bays = Place("zone", "disabled bays", "disabled bays", (), "accessible parking spaces next to the lift", None)
    for q in ("plazas para personas con movilidad reducida", "el cajón para discapacitados", "las plazas pmr"):
        p = parse_query(q, now=NOW, tz=TZ, places=[bays])
        assert "disabled bays" in (*p.filters.zones, *p.soft.zones), q
