"""General query-understanding mechanisms (issue 9, helper search10, all dev halves): each tested on made-up forms,
places and clocks, never on the evaluation's wordings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.test_search_query_mechanisms import NOW, TZ  # the made-up deployment's clock: Wednesday 10:30 local
from tests.test_search_query_mechanisms9 import parse


def local(mo, d, h=0.0):
    return datetime(2025, mo, d, tzinfo=ZoneInfo(TZ)).astimezone(timezone.utc) + timedelta(hours=h)


@pytest.mark.parametrize("q, days, hours", [
    ("lorries on the ramp monday to friday mornings", (0, 1, 2, 3, 4), (6, 12)),
    ("the ramp, tuesday and wednesday nights", (1, 2), (21, 30)),
    ("stops at the garage on sat or sun evenings", (5, 6), (18, 22)),
    ("anything at the pier on mondays and thursdays", (0, 3), None),
    ("bikes at the cycle rack on weeknights", (0, 1, 2, 3, 4), (21, 30)),
    ("the ramp on a week-night", (0, 1, 2, 3, 4), (21, 30)),
])
def test_a_list_or_range_of_weekdays_with_a_plural_part_is_a_recurring_set(q, days, hours):
    p = parse(q)
    assert p.weekdays == days and p.hours == hours, q
    assert p.filters.since is None and p.filters.until is None, q


@pytest.mark.parametrize("q, a, b", [
    ("the ramp on thursday or friday", (6, 5), (6, 7)),  # Thu 5 June .. Sat 7 June 00:00
    ("anything at the garage sunday or monday", (6, 8), (6, 10)),  # the nearer way round, not Monday..Sunday
])
def test_two_concrete_weekdays_joined_by_or_are_both_days(q, a, b):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*a), local(*b)), q
    assert not p.unknown, q


@pytest.mark.parametrize("q, back_days, hours", [
    ("the pier over the previous four afternoons", 4, (12, 18)),
    ("the ramp the last two evenings", 2, (18, 22)),
])
def test_the_last_n_parts_of_the_day_are_that_part_on_each_day(q, back_days, hours):
    p = parse(q)
    assert p.hours == hours and p.filters.until is None and not p.unknown, q
    assert NOW - timedelta(days=back_days + 1) <= p.filters.since <= NOW - timedelta(days=back_days), q


def test_n_parts_ago_is_that_part_of_that_day():
    p = parse("the garage three mornings ago")
    assert (p.filters.since, p.filters.until) == (local(6, 8, 6), local(6, 8, 12))


@pytest.mark.parametrize("q, back", [("the ramp within 3 days", timedelta(days=3)),
                                     ("loitering at the pier within 20 mins", timedelta(minutes=20)),
                                     ("the garage within two hours", timedelta(hours=2))])
def test_within_a_number_of_units_is_the_span_reaching_now(q, back):
    p = parse(q)
    assert p.filters.since == NOW - back and p.filters.until is None, q


@pytest.mark.parametrize("q, window", [
    ("the pier in daylight yesterday", ((6, 10, 7), (6, 10, 19))),
    ("the ramp after work on monday", ((6, 9, 17), (6, 9, 20))),
    ("the academy after school yesterday", ((6, 10, 15), (6, 10, 17.5))),
])
def test_light_and_working_day_words_are_parts_of_the_day(q, window):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*window[0]), local(*window[1])), q


@pytest.mark.parametrize("q", ["the pier in the dark", "bikes at the cycle rack during the hours of darkness"])
def test_darkness_is_after_dark(q):
    assert parse(q).hours == (20, 30), q


@pytest.mark.parametrize("q, h", [("lorries on the ramp around 7.30pm yesterday", 19.5), ("the pier at 6.45 yesterday", 6.75)])
def test_a_clock_written_with_a_dot_is_a_clock(q, h):
    p = parse(q)
    at = local(6, 10, h)
    assert (p.filters.since, p.filters.until) == (at - timedelta(minutes=30), at + timedelta(minutes=30)), q


def test_a_dotted_number_that_is_no_clock_stays_a_number():
    p = parse("speeding over 12.5 km/h at the ramp")
    assert p.filters.since is None and p.filters.until is None


@pytest.mark.parametrize("q, since", [("the ramp from 8am", (6, 11, 8)), ("the garage from 7pm yesterday", (6, 10, 19)),
                                      ("the pier 9am-now", (6, 11, 9)), ("stops at the ramp since last week", (6, 2)),
                                      ("the garage since the weekend", (6, 7))])
def test_from_a_clock_with_no_end_and_since_a_week_run_to_now(q, since):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*since), None), q


def test_from_a_clock_to_another_keeps_its_end():
    p = parse("the ramp from 7pm to 9pm yesterday")
    assert (p.filters.since, p.filters.until) == (local(6, 10, 19), local(6, 10, 21))


@pytest.mark.parametrize("q, a, b", [("the ramp friday and saturday night", (6, 6, 21), (6, 8, 6)),
                                     ("the pier last weekend at night", (6, 7, 21), (6, 9, 6))])
def test_a_range_of_days_at_night_runs_into_the_last_night_s_small_hours(q, a, b):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*a), local(*b)) and p.hours == (21, 30), q


@pytest.mark.parametrize("q, a, b", [("the ramp overnight between 2 and 4", (6, 11, 2), (6, 11, 4)),
                                     ("the pier last night between 1 and 3", (6, 11, 1), (6, 11, 3)),
                                     ("the garage on monday night between 2 and 5", (6, 10, 2), (6, 10, 5)),
                                     ("the pier last night between 11 and 1", (6, 10, 23), (6, 11, 1))])
def test_a_bare_clock_range_in_a_night_is_read_in_its_small_hours_when_it_fits(q, a, b):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*a), local(*b)), q


def test_a_day_before_its_month_is_read_whatever_count_follows():
    p = parse("on 3 June people gathering at the pier")
    assert (p.filters.since, p.filters.until) == (local(6, 3), local(6, 4))


@pytest.mark.parametrize("q, a, b", [("stops at the ramp in early may", (5, 1), (5, 11)),
                                     ("the pier at the end of april", (4, 21), (5, 1)),
                                     ("bikes at the cycle rack mid-march", (3, 11), (3, 22))])
def test_the_start_middle_or_end_of_a_named_month_is_its_third(q, a, b):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(*a), local(*b)), q


def test_a_place_between_words_keeps_them_apart_for_the_time_grammar():
    # "in the <place> last week": the calendar week before this one (Mon 2 – Mon 9 June), not "in the last week"
    p = parse("bikes in the cycle rack last week")
    assert (p.filters.since, p.filters.until) == (local(6, 2), local(6, 9))
    assert p.filters.zones == ("cycle rack",)
    p = parse("bikes at the cycle rack in the last week")  # the rolling span when it is said so
    assert p.filters.since == NOW - timedelta(days=7) and p.filters.until is None


@pytest.mark.parametrize("q", ["loitering on the garage's ramp", "loitering on the garage’s ramp"])
def test_a_possessive_owner_is_read_as_its_name(q):
    p = parse(q)
    assert p.filters.zones == ("ramp",) and "cam-b" in (*p.filters.cameras, *p.soft.cameras), q
    assert not p.unknown, q


def test_a_contraction_is_no_possessive():
    assert not parse("what's on the ramp").unknown


def test_inside_a_place_leaves_no_unknown_word():
    p = parse("loitering inside the academy")
    assert not p.unknown and "cam-c" in (*p.filters.cameras, *p.soft.cameras)


def test_a_hyphenated_description_word_written_as_one_reads_as_the_description():
    p = parse("lorries at the multistorey")  # the garage is described as a "multi-storey garage"
    assert "cam-b" in p.soft.cameras and not p.unknown


@pytest.mark.parametrize("q, zone", [("stops at gate seven", "gate 7"), ("bikes on deck twelve", "deck 12"),
                                     ("anything on gate 7", "gate 7")])
def test_a_number_word_after_a_numbered_name_s_head_is_that_number(q, zone):
    from services.search import parse_query
    from services.search.places import Place

    places = [Place("camera", "cam-x", "Eastern Ferry Port"), Place("zone", "gate 7", "gate 7", camera_id="cam-x"),
              Place("zone", "deck 12", "deck 12", description="upper car deck", camera_id="cam-x")]
    p = parse_query(q, now=NOW, tz=TZ, cameras=[("cam-x", "Eastern Ferry Port")], zones=["gate 7", "deck 12"], places=places)
    assert p.filters.zones == (zone,), q


def test_a_number_word_elsewhere_stays_a_word():
    assert parse("one of the lorries at the ramp").filters.zones == ("ramp",)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """A made-up deployment's store: the garage has raised wrong-way incidents, the ferry terminal only loitering."""
    from citylens.bench.synth import make_incident
    from services.search import SearchIndex
    from services.store import Store
    from tests.test_search_query_mechanisms9 import CAMS, PLACES

    d = tmp_path_factory.mktemp("never_raised")
    store = Store(f"sqlite:///{d / 'db.sqlite'}", d / "media")
    index = SearchIndex(store, tz=TZ, cameras=CAMS, zones=[p.id for p in PLACES if p.kind == "zone"], places=PLACES,
                        background=False, index_path=False)
    rows = [("w1", "cam-b", "wrong_way", "ramp", "car", "A car travelled the wrong way in zone ramp."),
            ("w2", "cam-b", "wrong_way", "ramp", "truck", "A truck travelled the wrong way in zone ramp."),
            ("l1", "cam-a", "loitering", "cycle rack", "person", "A person lingered in zone cycle rack."),
            ("s1", "cam-c", "stopped_vehicle", "taxi rank", "car", "A car stopped in zone taxi rank.")]
    for i, (iid, cam, type_, zone, cls, caption) in enumerate(rows):
        store.upsert_incident(make_incident(iid, camera_id=cam, type_=type_, zone=zone, cls=cls, colour=None,
                                            at=NOW - timedelta(hours=i + 1), caption=caption))
    index.flush()
    index.clock = lambda: NOW
    yield store, index
    index.close()
    store.close()


@pytest.mark.slow
def test_a_type_the_preferred_place_has_never_raised_matches_nothing(small_index):
    from services.search.rank import search

    store, index = small_index
    r = search(store, "wrong-way vehicles at the terminal", index=index)  # the terminal: a preference, no such rule
    assert not r.hits and r.unmatched and "wrong way" in r.unmatched[0] and "Riverside Ferry Terminal" in r.unmatched[0]
    # the place has raised the type: answered as before; so is a type with no place, and a place's other types
    assert {h.incident.id for h in search(store, "wrong-way vehicles near the garage", index=index).hits} >= {"w1", "w2"}
    assert {h.incident.id for h in search(store, "wrong-way vehicles", index=index).hits} == {"w1", "w2"}
    assert [h.incident.id for h in search(store, "loitering at the terminal", index=index).hits][:1] == ["l1"]
    # a zone counts as its camera: the academy raised no wrong-way incident at its taxi rank nor anywhere
    assert not search(store, "wrong-way cars by the cabs waiting spaces at the academy", index=index).hits
    # a place only a description word suggests ("the cafe" of the terminal's description) is too weak to say so
    assert {h.incident.id for h in search(store, "wrong-way vehicles by the cafe", index=index).hits} == {"w1", "w2"}


@pytest.mark.parametrize("q", ["commuters on the ramp", "pupils by the school gate", "a couple of lads at the pier",
                               "children near the cycle rack", "two youths at the garage", "an older gent on the pier"])
def test_everyday_words_for_people_are_the_person_class(q):
    assert parse(q).filters.classes == ("person",), q


@pytest.mark.parametrize("q, zone", [("bikes at the cyc rack", "cycle rack"), ("bikes at the cyc. rack", "cycle rack")])
def test_a_name_word_cut_short_before_its_next_word_is_that_word(q, zone):
    assert parse(q).filters.zones == (zone,), q


def test_a_cut_short_word_needs_the_name_s_next_word():
    p = parse("a cyc on the ramp")  # no "rack" after it: not the cycle rack
    assert "cycle rack" not in p.filters.zones
