"""Operator forms of issue 9 (fourth pass): days said to lie ahead, a plus after the unit, a place name's two words
written as one, Spanish "parking", request and e-mail words. Forms and places made up for these tests, not copied
from any evaluation set."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.search import parse_query
from services.search.places import Place

TZ = "Europe/Madrid"
Z = ZoneInfo(TZ)
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=Z)  # Wednesday 10:00 local
PLACES = [
    Place("camera", "cam-lot", "Hillside Car Park", ("parking garage",), "multi-storey with a barrier"),
    Place("zone", "car park exit", "car park exit", (), "barrier lane", "cam-lot"),
    Place("camera", "cam-ring", "Outer Ring Road", (), "dual carriageway"),
    Place("camera", "cam-quay", "Fish Quay", (), "landing stage and ferry slipway"),
]


def L(month: int, day: int, hour: float = 0) -> datetime:
    return datetime(2026, month, day, int(hour), tzinfo=Z).astimezone(timezone.utc)


def P(q: str):
    return parse_query(q, now=NOW, tz=TZ, places=PLACES)


@pytest.mark.parametrize("q, since, until", [
    ("tailgating next friday", L(11, 27), L(11, 28)),
    ("tailgating the coming wednesday", L(12, 2), L(12, 3)),  # said on a Wednesday: a week ahead
    ("anything tomorrow at the quay", L(11, 26), L(11, 27)),
    ("anything next week", L(11, 30), L(12, 7)),
    ("anything next month", L(12, 1), datetime(2027, 1, 1, tzinfo=Z).astimezone(timezone.utc)),
    ("alertas el próximo viernes", L(11, 27), L(11, 28)),
    ("alertas el viernes que viene", L(11, 27), L(11, 28)),
    ("alertas la semana que viene", L(11, 30), L(12, 7)),
    ("下周五的报警", L(11, 27), L(11, 28)),
    ("明天的报警", L(11, 26), L(11, 27)),
])
def test_a_day_said_to_lie_ahead_is_in_the_future(q, since, until):
    p = P(q)
    assert (p.filters.since, p.filters.until) == (since, until), q
    assert "next" not in p.unknown and "tomorrow" not in p.unknown


def test_next_to_and_last_are_not_days_ahead():
    assert P("stopped next to the barrier on friday").filters.since == L(11, 20)
    assert P("stopped last friday").filters.since == L(11, 20)
    assert P("上周五的报警").filters.since == L(11, 20)


@pytest.mark.parametrize("q, fact, op, value", [
    ("stopped trucks 2h+", "duration_s", "gt", 7200.0),
    ("stopped trucks 40 mins+", "duration_s", "gt", 2400.0),
    ("stopped trucks 40min +", "duration_s", "gt", 2400.0),
    ("queues of 12 vehicles+", "count", "gt", 12.0),  # read as "12+ vehicles"
    ("queues of 12+ vehicles", "count", "gt", 12.0),
])
def test_a_plus_after_the_number_or_the_unit_is_a_lower_bound(q, fact, op, value):
    p = P(q)
    assert [(b.fact, b.op, b.value) for b in p.facts] == [(fact, op, value)], q
    assert not p.unknown


@pytest.mark.parametrize("q, cams, zones", [
    ("carpark yesterday", ("cam-lot",), ()),
    ("all the carparks", ("cam-lot",), ()),
    ("speeding on the ringroad", ("cam-ring",), ()),
    ("queue at the carpark exit", (), ("car park exit",)),
    ("barrier at the fishquay", ("cam-quay",), ()),
])
def test_two_words_of_a_place_name_written_as_one(q, cams, zones):
    p = P(q)
    assert (p.filters.cameras, p.filters.zones) == (cams, zones), q


def test_a_word_no_place_pairs_is_left_alone():
    assert P("a carwash queue").filters.cameras == ()


def test_spanish_parking_is_the_car_park():
    p = P("motos en el parking ayer por la tarde")
    assert p.filters.cameras == ("cam-lot",) and not p.unknown


@pytest.mark.parametrize("q", [
    "FW: stopped vehicle on the ring road yesterday, pls send clips",
    "re: intrusion at the quay - attach footage",
    "ref 1182: request crowding at the quay on friday, all cameras",
])
def test_request_and_email_words_are_not_things(q):
    assert P(q).unknown == (), q


def test_saloon_is_a_car():
    assert P("a grey saloon at the quay").filters.classes == ("car",)


# ---- fifth pass: what a negation reaches, recency said other ways, whole months, spoken Chinese (made-up forms)

def test_a_negated_part_of_the_day_is_the_rest_of_the_day():
    assert P("loitering except at night").hours == (6, 21)
    assert P("loitering, but not in the morning").hours == (12, 30)
    assert P("除了晚上以外的闯入").hours == (6, 18)  # 晚上 is evening and night: 18-06
    assert P("loitering except at night").filters.since is None


def test_a_negated_day_is_a_window_left_out():
    p = P("intrusions apart from yesterday")
    assert (p.filters.since, p.filters.until) == (None, None)
    assert (p.exclude.since, p.exclude.until) == (L(11, 24), L(11, 25))
    assert p.filters.types == ("intrusion",)


def test_a_negation_on_something_else_keeps_its_time():
    p = P("not pedestrians yesterday")
    assert (p.filters.since, p.exclude.classes, p.exclude.since) == (L(11, 24), ("person",), None)
    assert P("no incidents since monday at the fish quay").filters.since == L(11, 23)  # asked about, not left out


@pytest.mark.parametrize("q, colours, classes", [
    ("non-white vans parked illegally", ("white",), ("car", "truck")),
    ("cars that weren't blue parked illegally", ("blue",), ("car",)),
])
def test_a_negated_colour_is_left_out_and_its_class_stays_asked_for(q, colours, classes):
    p = P(q)
    assert (p.exclude.colours, p.filters.classes, p.filters.types) == (colours, classes, ("illegal_parking",))
    assert p.exclude.types == () and p.exclude.classes == ()


@pytest.mark.parametrize("q, ex_types, ex_classes, ex_cams", [
    ("speeding w/o motorbikes", (), ("motorcycle",), ()),
    ("everything bar the jams", ("congestion",), (), ()),
    ("skip the loitering", ("loitering",), (), ()),
    ("not including the fish quay", (), (), ("cam-quay",)),
    ("congestion aside, anything on the outer ring road", ("congestion",), (), ()),
    ("lorries excepted, stopped vehicles", (), ("truck",), ()),
    ("anything but the fish quay or the outer ring road", (), (), ("cam-quay", "cam-ring")),
    ("excluding the hillside camera", (), (), ("cam-lot",)),
    ("speeding anywhere but the fish quay", (), (), ("cam-quay",)),
    ("loitering everywhere except the quay", (), (), ("cam-quay",)),
])
def test_more_ways_of_leaving_something_out(q, ex_types, ex_classes, ex_cams):
    p = P(q)
    assert (p.exclude.types, p.exclude.classes, p.exclude.cameras) == (ex_types, ex_classes, ex_cams), q
    assert not set(ex_cams) & set(p.filters.cameras) and not p.unknown


@pytest.mark.parametrize("q, newest, oldest", [
    ("what just came in at the fish quay", True, False),
    ("speeding, latest ones first", True, False),
    ("jams sorted by date desc", True, False),
    ("jams, order by time ascending", False, True),
    ("anything lately on the outer ring road", True, False),
    ("上次有人徘徊是什么时候", True, False),
    ("how long since the last jam", True, False),
])
def test_recency_said_other_ways(q, newest, oldest):
    p = P(q)
    assert (p.newest, p.oldest) == (newest, oldest), q
    assert not p.unknown, p.unknown


@pytest.mark.parametrize("q, since, until", [
    ("jams in October", L(10, 1), L(11, 1)),
    ("jams during march 2025", datetime(2025, 3, 1, tzinfo=Z), datetime(2025, 4, 1, tzinfo=Z)),
    ("3月份的拥堵", L(3, 1), L(4, 1)),
    ("atascos en diciembre de 2025", datetime(2025, 12, 1, tzinfo=Z), datetime(2026, 1, 1, tzinfo=Z)),
    ("midweek jams", L(11, 24), L(11, 27)),
    ("jams during the day yesterday", L(11, 24, 7), L(11, 24, 19)),
    ("jams this time last week", L(11, 18, 9), L(11, 18, 11)),  # an hour either side of now's clock
])
def test_whole_months_and_other_time_spellings(q, since, until):
    p = P(q)
    assert (p.filters.since, p.filters.until) == (since.astimezone(timezone.utc), until.astimezone(timezone.utc)), q
    assert not p.unknown


def test_a_month_word_that_is_also_a_verb_needs_a_preposition_or_a_year():
    assert P("may I see the jams").filters.since is None
    assert P("nighttime loitering").hours == (21, 30)


@pytest.mark.parametrize("q, types, since", [
    ("昨儿个晚上的违停", ("illegal_parking",), L(11, 24, 18)),
    ("過去兩個鐘頭有沒有超速", ("speeding",), NOW.astimezone(timezone.utc) - timedelta(hours=2)),
    ("今早环路堵不堵", ("congestion",), L(11, 25, 6)),
    ("前天有人乱闯吗", ("intrusion",), L(11, 23)),
])
def test_spoken_chinese_forms_read_as_the_standard_word(q, types, since):
    p = P(q)
    assert (p.filters.types, p.filters.since) == (types, since), q


@pytest.mark.parametrize("q, since, until", [
    ("crowds yday am", L(11, 24, 6), L(11, 24, 12)),  # the abbreviation takes am / pm like "yesterday"
    ("atascos mañana", L(11, 26), L(11, 27)),  # Spanish "mañana" with no article is tomorrow: nothing yet
    ("incidencias de mañana en el muelle", L(11, 26), L(11, 27)),
    ("atascos la mañana del lunes", L(11, 23, 6), L(11, 23, 12)),  # with the article it is the morning
])
def test_spanish_manana_and_abbreviated_days_with_am_pm(q, since, until):
    p = P(q)
    assert (p.filters.since, p.filters.until) == (since, until), q
    assert "manana" not in p.unknown
