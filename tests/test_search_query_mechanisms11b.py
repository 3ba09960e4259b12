"""General query-understanding mechanisms (issue 9, blind11 dev misses, helper search11b): each tested on made-up
forms, places and clocks (the deployment and clock of test_search_query_mechanisms9: a Wednesday, 11 June 2025,
10:30 local), never on the evaluation's wordings."""

from __future__ import annotations

import pytest

from tests.test_search_query_mechanisms9 import local, parse  # the made-up deployment (ferry terminal, garage, academy)


@pytest.mark.parametrize("q, want", [
    ("the ramp on Monday, 7am till noon", ((6, 9, 7), (6, 9, 12))),
    ("garage yesterday 10 until 2pm", ((6, 10, 10), (6, 10, 14))),
    ("pier, tuesday 9am til 11:30", ((6, 10, 9), (6, 10, 11.5))),
])
def test_a_clock_range_needs_no_from_when_its_end_is_a_clock(q, want):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*want[0]), local(*want[1])), (q, p.filters.since, p.filters.until)


@pytest.mark.parametrize("q, want", [
    ("the ramp on Monday from seven till eleven", ((6, 9, 7), (6, 9, 11))),
    ("yesterday between about eight and ten at the garage", ((6, 10, 8), (6, 10, 10))),
    ("Monday evening from seven till gone nine, the pier", ((6, 9, 19), (6, 9, 21.5))),
])
def test_a_range_of_clocks_in_words(q, want):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*want[0]), local(*want[1])), (q, p.filters.since, p.filters.until)


def test_a_range_of_counts_in_words_is_no_clock():
    p = parse("from three to five people at the pier yesterday")
    assert (p.filters.since, p.filters.until) == (local(6, 10), local(6, 11)), (p.filters.since, p.filters.until)


@pytest.mark.parametrize("q, want", [
    ("cam=garage AND 07:30<=t<09:00 AND day=yesterday", ((6, 10, 7.5), (6, 10, 9))),
    ("type=loitering, time>=13:00 and time<15:00, yesterday", ((6, 10, 13), (6, 10, 15))),
    ("garage yesterday hour<6", ((6, 10, 0), (6, 10, 6))),
])
def test_a_time_filter_typed_as_a_comparison(q, want):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*want[0]), local(*want[1])), (q, p.filters.since, p.filters.until)


@pytest.mark.parametrize("q, day", [
    ("Monday night, in the small hours, the ramp", (6, 10)),
    ("the wee hours of sunday night at the garage", (6, 9)),
    ("friday night - the early hours - anything on the pier?", (6, 7)),
])
def test_the_small_hours_of_a_named_night_are_the_next_day(q, day):
    p = parse(q)
    assert p.filters.since == local(*day) and local(*day, 5) <= p.filters.until <= local(*day, 6), \
        (q, p.filters.since, p.filters.until)


def test_a_night_running_into_the_small_hours_stays_the_whole_night():
    p = parse("monday night into the early hours at the ramp")
    assert p.filters.since <= local(6, 9, 22) and p.filters.until >= local(6, 10, 5), (p.filters.since, p.filters.until)


@pytest.mark.parametrize("q", [
    "Our minibuses use the wash line between 6 and 8am. Was anything raised there in that slot this week?",
    "We close the garage from 7 to 9pm. Anything in those hours over the past 3 days?",
])
def test_a_question_pointing_back_at_told_hours_keeps_them(q):
    p = parse(q)
    assert p.filters.since is not None and p.hours is not None, (q, p.filters.since, p.hours)


def test_told_hours_still_give_way_to_a_question_naming_its_own_time():
    p = parse("We close the garage from 7 to 9pm. What came in yesterday?")
    assert (p.filters.since, p.filters.until, p.hours) == (local(6, 10), local(6, 11), None), (p.filters.since, p.hours)


@pytest.mark.parametrize("q, newest", [
    ("SELECT * WHERE cam=garage ORDER BY created_at DESC", True), ("sort by timestamp desc, the pier", True),
    ("ramp incidents order by start_time asc", False), ("the academy, sorted by detected_at, newest first", True),
])
def test_a_sort_on_a_time_column_is_an_ordering(q, newest):
    p = parse(q)
    assert (p.newest, p.oldest) == (newest, not newest), (q, p.newest, p.oldest)


@pytest.mark.parametrize("q, days", [("last week at the ramp, Mon-Fri", (0, 1, 2, 3, 4)), ("the garage this week, tue-thu", (1, 2, 3))])
def test_a_weekday_range_beside_a_week_span_is_those_days_of_it(q, days):
    p = parse(q)
    assert p.weekdays == days and p.filters.since is not None, (q, p.weekdays, p.text)


@pytest.mark.parametrize("q", ["intrusions, neither at the ramp nor at the pier", "loitering that's neither on the ramp nor the pier"])
def test_neither_nor_leaves_both_out(q):
    p = parse(q)
    assert set(p.exclude.zones) == {"ramp", "pier"} and not p.filters.zones, (q, p.exclude.zones, p.filters.zones)


@pytest.mark.parametrize("q, n", [("more than a hundred and twenty people at the pier", 120),
                                  ("crowds over two hundred and five at the terminal", 205)])
def test_hundreds_in_words(q, n):
    assert any(f.value == n for f in parse(q).facts), (q, parse(q).facts)


@pytest.mark.parametrize("q", ["Garage control: the newest intrusion, wherever it was",
                               "latest stopped vehicle on any camera - ramp team asking"])
def test_a_place_left_open_drops_place_preferences(q):
    p = parse(q)
    assert not p.soft.cameras and not p.soft.zones, (q, p.soft)


def test_a_place_after_anywhere_still_counts():
    p = parse("stopped vans anywhere at the garage")
    assert "cam-b" in (*p.filters.cameras, *p.soft.cameras), (p.filters.cameras, p.soft.cameras)


@pytest.mark.parametrize("q, t", [("cabs flooring it past the academy", "speeding"),
                                  ("someone slipping into the garage after hours", "intrusion")])
def test_slang_for_types(q, t):
    p = parse(q)
    assert t in (*p.filters.types, *p.soft.types), (q, p.filters.types)
