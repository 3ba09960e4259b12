"""General query-understanding mechanisms (issue 9, blind9 dev misses, helper search9): each tested on made-up
forms, places and clocks, never on the evaluation's wordings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.search import parse_query
from services.search.places import Place
from tests.test_search_query_mechanisms import NOW, TZ  # the same made-up deployment and clock
from tests.test_search_query_mechanisms import PLACES as FIRST_PLACES

PLACES = [
    *FIRST_PLACES,  # a ferry terminal with its cycle rack, a garage with its ramp
    Place("camera", "cam-c", "Elm Academy", description="secondary school on Elm Road"),
    Place("zone", "school gate", "school gate", description="pupils' entrance", camera_id="cam-c"),
    Place("zone", "taxi rank", "taxi rank", description="cabs waiting by the academy", camera_id="cam-c"),
    Place("zone", "wash line", "wash line", description="where the minibuses are cleaned", camera_id="cam-b"),
    Place("zone", "pier", "pier", description="landing stage", camera_id="cam-a"),
]
CAMS = [("cam-a", "Riverside Ferry Terminal"), ("cam-b", "Hill Street Garage"), ("cam-c", "Elm Academy")]


def parse(q: str):
    return parse_query(q, now=NOW, tz=TZ, cameras=CAMS, zones=[p.id for p in PLACES if p.kind == "zone"], places=PLACES)


def local(mo, d, h=0.0):
    return datetime(2025, mo, d, tzinfo=ZoneInfo(TZ)).astimezone(timezone.utc) + timedelta(hours=h)


@pytest.mark.parametrize("q, day", [
    ("three Mondays back at the ramp", (5, 26)),  # Mondays before this Wednesday: 9 June, 2 June, 26 May
    ("the Tuesday before last, the ramp", (6, 3)),
    ("one friday ago on the ramp", (6, 6)),
    ("hace tres lunes en la rampa", (5, 26)),
    ("el martes antepasado", (6, 3)),
    ("三个星期一前山坡车库", (5, 26)),
])
def test_the_kth_weekday_back_is_one_whole_day(q, day):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*day), local(*day) + timedelta(days=1)), q


@pytest.mark.parametrize("q, back", [
    ("the garage at the same time two days ago", 2), ("around this hour yesterday at the ramp", 1),
    ("the ramp, same time last friday", 5), ("前天这个时候山坡车库", 2), ("ayer a la misma hora en la rampa", 1),
])
def test_the_same_time_on_another_day_is_an_hour_either_side(q, back):
    p = parse(q)
    at = local(6, 11 - back, 10.5)  # 10:30 local, that many days back
    assert (p.filters.since, p.filters.until) == (at - timedelta(hours=1), at + timedelta(hours=1)), q


@pytest.mark.parametrize("q, h", [("since I came on shift at 7, anything on the ramp", 7),
                                  ("desde que llegué a las 8, ¿algo en la rampa?", 8),
                                  ("anything since the handover at 9:15", 9.25)])
def test_since_a_clause_with_a_clock_starts_at_that_clock(q, h):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(6, 11, h), None), q


def test_a_day_word_in_the_since_clause_is_left_to_the_grammar():
    p = parse("since yesterday when the shift began at 7am, anything on the ramp")
    assert local(6, 10) <= p.filters.since < local(6, 11), p.filters


@pytest.mark.parametrize("q, since, until", [
    ("the ramp before seven this morning", local(6, 11, 6), local(6, 11, 7)),
    ("after ten last night at the ramp", local(6, 10, 22), local(6, 11, 6)),
])
def test_a_clock_in_words_after_a_bound_is_a_clock(q, since, until):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (since, until), q


@pytest.mark.parametrize("q", ["at one point two cars blocked the ramp", "about three people on the ramp"])
def test_number_words_that_count_stay_numbers(q):
    p = parse(q)
    assert p.filters.since is None and p.filters.until is None and p.hours is None, q


def test_a_plural_part_over_a_span_of_days_keeps_the_first_day_s_part():
    p = parse("the morning rushes of the past 3 days at the ramp")  # 3 days back from 10:30: that day's 07-10 too
    assert p.hours == (7, 10)
    assert p.filters.since == local(6, 8, 7), p.filters.since
    assert parse("the evening rushes of the past 3 days").filters.since == NOW - timedelta(days=3)  # wholly inside


def test_a_day_ahead_in_the_operator_s_own_plan_is_not_the_window():
    p = parse("we're repainting the ramp next week, what has happened there lately")
    assert p.filters.since is None or p.filters.since <= NOW, p.filters
    assert p.filters.zones == ("ramp",)


def test_a_question_about_a_day_ahead_keeps_its_window():
    p = parse("anything at the ramp next week")
    assert p.filters.since is not None and p.filters.since > NOW


@pytest.mark.parametrize("q", ["bikes anywhere except the terminal cycle rack", "bikes, but nothing at the ferry terminal cycle rack"])
def test_a_camera_word_before_its_own_zone_names_the_zone_when_excluded(q):
    p = parse(q)
    assert p.exclude.zones == ("cycle rack",) and not p.exclude.cameras, (q, p.exclude)


def test_a_camera_name_before_its_own_zone_filters_the_zone():
    p = parse("bikes at the hill street garage ramp")
    assert p.filters.zones == ("ramp",) and not p.exclude.cameras


@pytest.mark.parametrize("q, zone", [("校门口有人吗", "school gate"), ("出租车停靠点的车", "taxi rank"),
                                     ("¿algo en la línea de lavado?", "wash line")])
def test_chinese_and_spanish_place_words_read_the_longest_leftmost_place(q, zone):
    p = parse(q)
    assert zone in (*p.filters.zones, *p.soft.zones), (q, p.filters, p.soft)
    assert not p.filters.types, q  # 停靠 inside the place word is no "stopped" type


@pytest.mark.parametrize("q", ["someone snuck into the garage", "kids sneaking onto the ramp", "unauthorised entry at the ramp"])
def test_english_ways_of_saying_someone_got_in(q):
    assert parse(q).filters.types == ("intrusion",), q


@pytest.mark.parametrize("q, t", [("velocidades altas en la rampa", "speeding"), ("solo multitudes junto a la rampa", "crowding")])
def test_spanish_plurals_of_consonant_nouns_are_the_type(q, t):
    assert parse(q).filters.types == (t,), q


@pytest.mark.parametrize("q, where", [("anything on the peer this morning", ("zones", "pier")),
                                      ("who was at the riverside fairy terminal", ("cameras", "cam-a"))])
def test_a_place_name_written_as_it_sounds_is_that_place(q, where):
    p = parse(q)
    assert getattr(p.filters, where[0]) == (where[1],), (q, p.filters)


@pytest.mark.parametrize("q", ["a hole in the fence by the garage", "peer pressure at the academy", "the rink near the academy"])
def test_sound_alike_needs_a_place_phrase_and_the_whole_name(q):
    p = parse(q)
    assert "pier" not in p.filters.zones and "taxi rank" not in p.filters.zones, (q, p.filters)


def test_a_speed_with_its_unit_and_no_comparison_is_about_that_speed():
    p = parse("a lorry doing 120 km/h near the garage")
    assert {(b.fact, b.op, round(b.value)) for b in p.facts} == {("speed_kmh", "gt", 108), ("speed_kmh", "lt", 132)}
    assert p.filters.types == ("speeding",)


@pytest.mark.parametrize("q", ["speeding at the academy, limit 50 km/h", "cars in the 30 km/h zone by the academy"])
def test_a_limit_or_a_zone_s_speed_is_no_speed_driven(q):
    assert not parse(q).facts, q
