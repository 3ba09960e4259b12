"""Operator forms of issue 9 (fourth pass): days said to lie ahead, a plus after the unit, a place name's two words
written as one, Spanish "parking", request and e-mail words. Forms and places made up for these tests, not copied
from any evaluation set."""

from __future__ import annotations

from datetime import datetime, timezone
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
