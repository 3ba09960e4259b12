"""General query-understanding mechanisms (issue 9, blind8 dev): each tested on made-up forms, not eval wordings."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.search import parse_query
from services.search.places import Place
from services.search.times import time_word_typo

TZ = "Europe/Lisbon"
NOW = datetime(2025, 6, 11, 9, 30, tzinfo=timezone.utc)  # Wednesday 10:30 local (UTC+1)
PLACES = [
    Place("camera", "cam-a", "Riverside Ferry Terminal", description="boarding hall of the ferry terminal with a cafe"),
    Place("zone", "cycle rack", "cycle rack", description="bike parking by the side door", camera_id="cam-a"),
    Place("camera", "cam-b", "Hill Street Garage", aliases=("山坡车库",), description="multi-storey garage"),
    Place("zone", "ramp", "ramp", description="the down ramp", camera_id="cam-b"),
]


def parse(q: str):
    return parse_query(q, now=NOW, tz=TZ, cameras=[("cam-a", "Riverside Ferry Terminal"), ("cam-b", "Hill Street Garage")],
                       zones=["cycle rack", "ramp"], places=PLACES)


def local(y, mo, d, h=0):
    return datetime(y, mo, d, h, tzinfo=ZoneInfo(TZ)).astimezone(timezone.utc)


@pytest.mark.parametrize("q", ["lorry control: anything odd at the garage", "the van company asked about the ramp",
                               "truck office here, what happened on the ramp", "after the lorries leave, who was at the garage"])
def test_a_class_word_in_a_role_or_a_time_clause_is_a_preference(q):
    p = parse(q)
    assert not p.filters.classes and p.soft.classes, q


@pytest.mark.parametrize("q", ["a lorry stuck on the ramp", "a red truck idling at the garage", "lorries queueing at the garage",
                               "lorry at the ramp"])
def test_a_class_word_with_what_it_does_stays_a_filter(q):
    assert "truck" in parse(q).filters.classes, q


@pytest.mark.parametrize("w, want", [("wendesday", "wednesday"), ("sundya", "sunday"), ("yestreday", "yesterday"),
                                     ("tonite", "tonight"), ("evenign", "evening"), ("mondays", None), ("money", None),
                                     ("warning", None), ("noviembre", None), ("today", None)])
def test_time_word_typos_are_read_against_the_grammar_vocabulary(w, want):
    assert time_word_typo(w) == want


def test_a_typo_of_a_weekday_reads_that_day():
    p = parse("anything at the garage on mondey")
    assert (p.filters.since, p.filters.until) == (local(2025, 6, 9), local(2025, 6, 10))


def test_any_night_is_every_night_and_keeps_another_part():
    assert parse("lorries at the garage at dawn, any night").hours == (5, 8)
    p = parse("anything at the ramp on any evening in the past 3 days")
    assert p.hours == (18, 22) and p.filters.since is not None and p.filters.until is None


def test_or_the_day_before_widens_to_both_days():
    p = parse("stops at the ramp on monday or the day before")
    assert (p.filters.since, p.filters.until) == (local(2025, 6, 8), local(2025, 6, 10))


def test_over_the_last_week_is_the_past_seven_days_and_desde_a_date_runs_to_now():
    p = parse("loitering at the garage within the past week")
    assert p.filters.since == NOW.replace(day=4) and p.filters.until is None
    p = parse("merodeo en el garaje desde el 2 de junio")
    assert p.filters.since == local(2025, 6, 2) and p.filters.until is None


def test_a_colour_negated_on_every_vehicle_excludes_the_colour():
    p = parse("speeding at the garage, leaving out grey vehicles")
    assert p.exclude.colours == ("grey",) and not p.exclude.classes


def test_and_nothing_from_a_place_excludes_it():
    p = parse("intrusions at the ferry terminal, but nothing from the cycle rack")
    assert "cycle rack" in p.exclude.zones and "cycle rack" not in p.filters.zones


def test_chinese_outside_a_place_excludes_it():
    p = parse("山坡车库之外的逗留")
    assert "cam-b" in p.exclude.cameras and "cam-b" not in p.filters.cameras


def test_a_word_of_a_name_after_the_prefers_that_camera():
    p = parse("how many crowds did the terminal log")
    assert "cam-a" in p.soft.cameras


def test_a_class_word_a_place_is_for_is_a_preference():
    p = parse("cars in the spaces for people with prams")
    assert "person" not in p.filters.classes and "car" in p.filters.classes


def test_a_part_of_the_day_before_last():
    p = parse("the afternoon before last at the ramp")
    assert (p.filters.since, p.filters.until) == (local(2025, 6, 9, 12), local(2025, 6, 9, 18))
