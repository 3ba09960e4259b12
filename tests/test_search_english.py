"""English query understanding that composes instead of listing phrases: calendar dates in every written form
(numeric day/month and ISO, month names, ordinals, a weekday beside a date, ranges and bounds on dates), several
places named as alternatives (one OR filter over their cameras), and orderings (oldest / newest first) in their
usual forms. Forms and places made up for these tests, not copied from any evaluation set."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.search import parse_query
from services.search.places import Place

TZ = "Europe/Madrid"
Z = ZoneInfo(TZ)
NOW = datetime(2026, 11, 27, 18, 30, tzinfo=Z)  # Friday 18:30 local


def L(month: int, day: int, hour: float = 0, year: int = 2026) -> datetime:
    h = int(hour)
    return datetime(year, month, day, h, round((hour - h) * 60), tzinfo=Z).astimezone(timezone.utc)


def window(q: str):
    p = parse_query(q, now=NOW, tz=TZ)
    return p.filters.since, p.filters.until, p.unknown


@pytest.mark.parametrize("q, since, until", [
    # one day, in each written form
    ("tampering seen 14/11", L(11, 14), L(11, 15)),
    ("tampering seen 14/11/2026", L(11, 14), L(11, 15)),
    ("tampering seen 14/11/26", L(11, 14), L(11, 15)),
    ("tampering seen 14.11.2026", L(11, 14), L(11, 15)),
    ("tampering seen 2026-11-14", L(11, 14), L(11, 15)),
    ("tampering seen 11/14", L(11, 14), L(11, 15)),  # a second number over 12: month first
    ("tampering seen 14 November", L(11, 14), L(11, 15)),
    ("tampering seen the 14th of Nov", L(11, 14), L(11, 15)),
    ("tampering seen Nov 14th", L(11, 14), L(11, 15)),
    ("tampering seen November the 14th, 2026", L(11, 14), L(11, 15)),
    ("tampering seen 3 December", L(12, 3, year=2025), L(12, 4, year=2025)),  # no year: the latest not ahead
    # a weekday beside the date says nothing more, and is not left over as a word
    ("tampering seen Saturday 14 November", L(11, 14), L(11, 15)),
    ("tampering seen sat, 14/11", L(11, 14), L(11, 15)),
    ("tampering seen 14/11 (Sat)", L(11, 14), L(11, 15)),
    ("tampering seen Saturday the 14th", L(11, 14), L(11, 15)),
    # composed with parts of the day and clocks
    ("tampering the evening of 14 November", L(11, 14, 18), L(11, 14, 22)),
    ("tampering 14/11 between 13:00 and 15:30", L(11, 14, 13), L(11, 14, 15.5)),
    ("tampering on 2026-11-14 after 9pm", L(11, 14, 21), L(11, 15, 6)),
    ("tampering the night of 14/11", L(11, 14, 21), L(11, 15, 6)),
    ("tampering the night of the 14th into the 15th", L(11, 14, 21), L(11, 15, 6)),
    ("tampering the night of 14 to 15 November", L(11, 14, 21), L(11, 15, 6)),
    # ranges of days, both ends included
    ("tampering 12-14 November", L(11, 12), L(11, 15)),
    ("tampering between the 12th and 14th of November", L(11, 12), L(11, 15)),
    ("tampering Nov 12 to 14", L(11, 12), L(11, 15)),
    ("tampering between 12/11 and 14/11", L(11, 12), L(11, 15)),
    ("tampering from 12 Nov to 14 Nov", L(11, 12), L(11, 15)),
    ("tampering 2026-11-12 - 2026-11-14", L(11, 12), L(11, 15)),
    # a bound on a day
    ("tampering before 14 November", None, L(11, 14)),
    ("tampering after 14/11", L(11, 15), None),
    ("tampering until 14/11", None, L(11, 15)),
    ("tampering since 14 November", L(11, 14), None),
])
def test_calendar_dates_in_every_written_form(q, since, until):
    got_since, got_until, unknown = window(q)
    assert (got_since, got_until) == (since, until), q
    assert set(unknown) <= {"tampering", "seen"}, (q, unknown)


@pytest.mark.parametrize("q", ["3 junctions blocked", "a quarter of an hour", "up to 90 minutes stopped",
                               "more than 100 people", "open 24/7", "speeds over 12.5"])
def test_numbers_that_are_not_dates_or_clocks_make_no_window(q):
    since, until, _ = window(q)
    assert since is None and until is None, q


PLACES = [
    Place("camera", "cam-a", "Dock Road Km 4", ("dock road",), "two-lane road past the grain silos"),
    Place("camera", "cam-b", "Elm Street Bridge", ("elm bridge",), "footbridge over the canal by the lighthouse"),
    Place("camera", "cam-c", "West Terminal Hall", ("west terminal",), "arrivals hall with baggage carousels"),
    Place("zone", "lay-by", "lay-by", (), "gravel lay-by beside the weighbridge", "cam-a"),
    Place("zone", "footpath", "footpath", (), "paved path along the canal", "cam-b"),
    Place("zone", "carousel 2", "carousel 2", (), "baggage belt nearest the exit", "cam-c"),
]


def parse_at(q: str):
    return parse_query(q, now=NOW, tz=TZ, cameras=[(p.id, p.name) for p in PLACES if p.kind == "camera"],
                       zones=[p.id for p in PLACES if p.kind == "zone"], places=PLACES)


@pytest.mark.parametrize("q, cameras, zones, soft_zones", [
    # two cameras named as alternatives: either
    ("stopped cars at dock road or elm bridge", {"cam-a", "cam-b"}, set(), set()),
    # a camera called by the number on its name ("km 4"), never by a number before a word ("4 km")
    ("anything at km 4 or the west terminal", {"cam-a", "cam-c"}, set(), set()),
    # a zone of one camera or another camera: both cameras, the zone preferred (a zone filter would AND them)
    ("the lay-by or the west terminal", {"cam-a", "cam-c"}, set(), {"lay-by"}),
    # a place known only by a description word, joined by "or" to a named one, joins the filter
    ("loitering at the west terminal or by the lighthouse", {"cam-c", "cam-b"}, set(), set()),
    # two zones: a zone filter holding both
    ("the footpath or carousel 2", set(), {"footpath", "carousel 2"}, set()),
    # a zone on the named camera narrows it (no alternative)
    ("the lay-by on dock road", {"cam-a"}, {"lay-by"}, set()),
    # "or" joining other things leaves a description word a preference
    ("red or blue cars at dock road near the lighthouse", {"cam-a"}, set(), set()),
    # "and" between a named camera and a camera's word asks about both (an incident is at one place)
    ("how was last night at the lighthouse and the west terminal?", {"cam-c", "cam-b"}, set(), set()),
    ("red and blue cars at dock road near the lighthouse", {"cam-a"}, set(), set()),
])
def test_places_named_as_alternatives_are_one_filter(q, cameras, zones, soft_zones):
    p = parse_at(q)
    assert set(p.filters.cameras) == cameras, (q, p.filters)
    assert set(p.filters.zones) == zones, (q, p.filters)
    assert soft_zones <= set(p.soft.zones), (q, p.soft)


def test_a_number_before_a_word_is_not_a_camera_name():
    assert parse_at("4 km over the limit").filters.cameras == ()


@pytest.mark.parametrize("q, newest, oldest", [
    ("first tampering on dock road today", False, True),
    ("what happened first at the west terminal", False, True),
    ("tampering in chronological order", False, True),
    ("oldest to newest tampering", False, True),
    ("earliest first", False, True),
    ("newest first", True, False),
    ("latest on top", True, False),
    ("reverse chronological tampering", True, False),
    ("the freshest alert", True, False),
    ("the first floor lift", False, False),  # an ordinal of a place
    ("first thing this morning", False, False),  # a time
])
def test_orderings_in_their_usual_forms(q, newest, oldest):
    p = parse_at(q)
    assert (p.newest, p.oldest) == (newest, oldest), q
    if newest or oldest:  # the ordering's words are read, not left for the relevance floor
        assert not {"first", "chronological", "order", "top"} & set(p.unknown), (q, p.unknown)


@pytest.mark.parametrize("q", ["tampering at dock road right now", "current tampering", "anything new on the bridge",
                               "ongoing tampering at the west terminal", "what is happening at the moment"])
def test_the_present_asks_for_the_newest(q):
    assert parse_at(q).newest, q


@pytest.mark.parametrize("q, since, until", [
    ("tampering older than 3 hours", None, datetime(2026, 11, 27, 15, 30, tzinfo=Z)),
    ("tampering more than 2 days ago", None, datetime(2026, 11, 25, 18, 30, tzinfo=Z)),
    ("tampering newer than 45 minutes", datetime(2026, 11, 27, 17, 45, tzinfo=Z), None),
    ("tampering less than 2 hours old", datetime(2026, 11, 27, 16, 30, tzinfo=Z), None),
])
def test_the_age_of_an_incident_bounds_the_window(q, since, until):
    got_since, got_until, _ = window(q)
    assert (got_since, got_until) == (since and since.astimezone(timezone.utc), until and until.astimezone(timezone.utc)), q


def test_less_than_a_duration_is_no_age():
    p = parse_query("stopped for less than 30 minutes", now=NOW, tz=TZ)
    assert p.filters.since is None and p.filters.until is None and p.facts


def test_a_pair_of_description_words_prefers_its_place_over_either_word():
    # "ramp" is in four descriptions (no preference alone), "exit" in two: the pair "exit ramp" says which
    places = [Place("zone", "z1", "z1", (), "exit ramp to the motorway"), Place("zone", "z2", "z2", (), "ramp to the basement"),
              Place("zone", "z3", "z3", (), "west exit by the stairs"), Place("zone", "z4", "z4", (), "loading ramp"),
              Place("zone", "z5", "z5", (), "ramp by the lifts")]
    p = parse_query("wrong way on the exit ramp", now=NOW, tz=TZ, zones=[p.id for p in places], places=places)
    assert p.soft.zones == ("z1",) and p.filters.zones == ()
    assert "ramp" not in p.unknown and "exit" not in p.unknown


@pytest.mark.parametrize("q, now, since", [
    ("tampering over the weekend", datetime(2026, 11, 28, 2, 0, tzinfo=Z), datetime(2026, 11, 21, tzinfo=Z)),  # Sat 02:00
    ("tampering over the weekend", datetime(2026, 11, 28, 15, 0, tzinfo=Z), datetime(2026, 11, 28, tzinfo=Z)),  # Sat 15:00
    ("tampering this weekend", datetime(2026, 11, 28, 2, 0, tzinfo=Z), datetime(2026, 11, 28, tzinfo=Z)),
    ("tampering over the weekend", datetime(2026, 11, 30, 9, 0, tzinfo=Z), datetime(2026, 11, 28, tzinfo=Z)),  # Monday
])
def test_a_weekend_barely_begun_is_the_one_just_gone(q, now, since):
    p = parse_query(q, now=now, tz=TZ)
    assert p.filters.since == since.astimezone(timezone.utc), q


@pytest.mark.parametrize("q", ["tampering 14/11 22:00 - 15/11 05:30", "tampering from 22:00 14/11 to 05:30 15/11",
                               "tampering 2026-11-14 22:00 until 2026-11-15 05:30",
                               "tampering between 10pm on 14 Nov and 5:30am on 15 Nov"])
def test_a_window_from_one_dates_clock_to_anothers(q):
    got_since, got_until, _ = window(q)
    assert (got_since, got_until) == (L(11, 14, 22), L(11, 15, 5.5)), q


def test_an_iso_timestamp_is_that_day_at_that_clock():
    got_since, got_until, _ = window("tampering 2026-11-14T09:15:00Z")
    assert (got_since, got_until) == (L(11, 14, 8.75), L(11, 14, 9.75))


@pytest.mark.parametrize("q, since, until", [
    ("tampering at the end of last week", L(11, 20), L(11, 23)),  # Friday to Sunday
    ("tampering at the start of the week", L(11, 23), L(11, 25)),  # Monday, Tuesday
    ("tampering mid-week", L(11, 24), L(11, 27)),  # Tuesday to Thursday
    ("tampering at the beginning of the month", L(11, 1), L(11, 11)),
    ("tampering towards the end of last month", L(10, 22), L(11, 1)),
    ("tampering monday just gone", L(11, 23), L(11, 24)),
    ("tampering a fortnight ago", L(11, 9), L(11, 16)),  # that calendar week
    ("tampering this morning's rush hour", L(11, 27, 7), L(11, 27, 10)),
])
def test_parts_of_a_span_and_other_everyday_forms(q, since, until):
    got_since, got_until, unknown = window(q)
    assert (got_since, got_until) == (since, until), q
    assert set(unknown) <= {"tampering"}, (q, unknown)


@pytest.mark.parametrize("q, classes", [
    ("cars on the cycle path", {"car"}),  # "cycle path" is a place, not bicycles
    ("someone waiting at the bus shelter", set()),
    ("lorry blocking the taxi stand", {"truck"}),
    ("a bus stopped on the bridge", {"bus"}),  # a class word before no place noun is the class
])
def test_a_class_word_modifying_a_place_noun_is_no_class(q, classes):
    p = parse_query(q, now=NOW, tz=TZ)
    assert set(p.filters.classes) == classes and set(p.soft.classes) <= {"person"}, (q, p.filters, p.soft)
