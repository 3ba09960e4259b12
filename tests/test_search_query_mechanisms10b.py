"""General query-understanding mechanisms (issue 9, blind10 dev misses, helper search10b; the sibling of search10's test_search_query_mechanisms10.py): each tested on made-up
forms, places and clocks, never on the evaluation's wordings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.test_search_query_mechanisms9 import local, parse  # the made-up deployment (ferry terminal, garage, academy)


@pytest.mark.parametrize("q, day", [
    ("el jueves en la noche, ¿algo en la rampa?", (6, 5)), ("anteayer por la noche en el garaje", (6, 9)),
    ("¿qué hubo durante la noche del lunes en la terminal?", (6, 9)),
])
def test_spanish_la_noche_of_a_day_is_the_evening_and_the_night(q, day):
    p = parse(q)  # "la noche" runs from dusk, as "anoche" does: Spanish names no evening between "la tarde" and it
    assert (p.filters.since, p.filters.until) == (local(*day, 18), local(*day, 30)), q


def test_a_clock_de_la_noche_is_still_that_clock():
    p = parse("a las 11 de la noche del lunes, la rampa")
    assert p.filters.since <= local(6, 9, 23) < p.filters.until <= local(6, 9, 24), (p.filters.since, p.filters.until)


@pytest.mark.parametrize("q, want", [
    ("ramp ystrdy pls", (local(6, 10), local(6, 11))), ("wot happened at the ramp 2day", (local(6, 11), None)),
    ("the garage yday b4 9am", (local(6, 10), local(6, 10, 9))),
])
def test_text_message_spellings_of_days_and_bounds(q, want):
    p = parse(q)
    since, until = want
    assert p.filters.since == since and (until is None or p.filters.until == until), (q, p.filters.since, p.filters.until)


@pytest.mark.parametrize("q", ["pupils outside the academy at pick-up time", "the school gate at home time, any day",
                               "taxi rank at the end of school"])
def test_the_end_of_the_school_day_is_a_part_of_the_day(q):
    p = parse(q)
    assert p.hours == (14.5, 16.5) and p.filters.since is None, (q, p.hours)


@pytest.mark.parametrize("q, cls", [
    ("Minibus 9 to dispatch, over. Anything on the ramp since six? Over.", "bus"),
    ("this is van 3, over. is the wash line clear?", "truck"),
    ("taxi 12 calling base: what's been raised at the academy today", "car"),
])
def test_a_vehicle_calling_in_by_its_number_is_the_speaker(q, cls):
    p = parse(q)
    assert cls not in p.filters.classes and cls not in p.soft.classes, (q, p.filters.classes)
    assert "over" not in p.text.split(), p.text


@pytest.mark.parametrize("q", ["a bus stopped on the ramp for over 10 minutes", "bus 12 over the weekend at the academy"])
def test_a_numbered_vehicle_asked_about_stays_a_class(q):
    assert "bus" in parse(q).filters.classes, q


@pytest.mark.parametrize("q", ["ops mgr - the ramp, everything pls", "duty sgt: the pier this morning",
                               "school crossing warden here - the school gate today"])
def test_a_role_abbreviated_at_the_head_is_who_speaks(q):
    p = parse(q)
    assert not p.unknown, (q, p.unknown)


@pytest.mark.parametrize("q, t", [
    ("the garage, nothing to do with wrong-way drivers please", "wrong_way"),
    ("academy gate, unrelated to loitering", "loitering"),
    ("la terminal, nada que ver con intrusiones", "intrusion"),
])
def test_a_topic_set_aside_is_excluded(q, t):
    p = parse(q)
    assert t in p.exclude.types and t not in p.filters.types, (q, p.exclude.types, p.filters.types)


@pytest.mark.parametrize("q, colour", [("山坡车库违停，红色的除外", "red"), ("渡轮码头的车，黑色的车不算", "black")])
def test_a_chinese_colour_excepted_after_it_is_excluded(q, colour):
    p = parse(q)
    assert colour in p.exclude.colours and colour not in p.filters.colours, (q, p.exclude.colours, p.filters.colours)


@pytest.mark.parametrize("q", ["chavales metiéndose en la rampa", "alguien se coló en el garaje anoche",
                               "dos personas se meten en el muelle"])
def test_spanish_ways_of_getting_in_are_intrusion(q):
    assert parse(q).filters.types == ("intrusion",), q


@pytest.mark.parametrize("q", ["what did the cameras flag at the ramp", "anything the cameras logged at the pier",
                               "oye, ¿qué tal la rampa anoche?", "mira, ¿qué pasa con el garaje hoy?"])
def test_report_verbs_and_spoken_fillers_are_no_things(q):
    assert not parse(q).unknown, (q, parse(q).unknown)


def test_a_told_sentence_gives_way_to_the_day_the_question_names():
    p = parse("Heads up, the ramp closes on Friday for resurfacing. What was raised there yesterday after 4pm?")
    assert p.filters.since == local(6, 10, 16) and p.filters.until <= local(6, 11, 6), (p.filters.since, p.filters.until)
    assert "resurfacing" not in p.unknown and "closes" not in p.unknown, p.unknown


def test_a_told_sentence_keeps_its_day_when_the_question_names_none():
    p = parse("Yesterday a coach broke down by the pier. Anything after 6pm?")
    assert p.filters.since == local(6, 10, 18), p.filters.since


@pytest.mark.parametrize("q, cls", [
    ("Our lorries fill up at the garage every evening. Anything logged at the wash line this week?", "truck"),
    ("My buses use the ramp. What came in there overnight?", "bus"),
])
def test_a_class_in_a_told_sentence_is_a_preference(q, cls):
    p = parse(q)
    assert cls not in p.filters.classes and cls in p.soft.classes, (q, p.filters.classes, p.soft.classes)


@pytest.mark.parametrize("q, cls", [("Any lorries on the ramp? Last night.", "truck"),
                                    ("lorries on the ramp. any last night?", "truck"), ("any vans at St. Mary's?", "truck")])
def test_a_class_in_the_question_or_in_a_list_of_questions_stays_a_filter(q, cls):
    assert cls in parse(q).filters.classes, q


@pytest.mark.parametrize("q", ["¿algo raro en la terminal del río?", "oye, la terminal del río, ¿qué tal anoche?", "河边的渡轮码头有什么"])
def test_a_river_in_spanish_or_chinese_is_a_place_word(q):
    p = parse(q)  # "Riverside Ferry Terminal": the river is the place's, never a thing asked about
    assert "cam-a" in (*p.filters.cameras, *p.soft.cameras) and not p.unknown, (q, p.filters.cameras, p.unknown)


@pytest.mark.parametrize("q, said", [("a cyclist without a helmet on the ramp", ("helmet",)),
                                     ("people not wearing masks at the pier", ("wearing", "masks")),
                                     ("the garage but no loitering", ()), ("everything at the pier except the red cars", ()),
                                     ("vans where they aren't allowed at the academy", ())])
def test_a_negation_that_leaves_nothing_out_is_judged_by_the_floor(q, said):
    from services.search.floor import _said_under_negation

    assert _said_under_negation(parse(q)) == said, q  # (the index's meaning reading may still find a type to leave out)


@pytest.mark.parametrize("q, h", [("the ramp after lunch on monday", 13), ("el lunes después de comer en la rampa", 13)])
def test_after_lunch_is_the_afternoon_from_about_one(q, h):
    p = parse(q)
    assert (p.filters.since, p.filters.until) == (local(6, 9, h), local(6, 9, 18)), (q, p.filters.since, p.filters.until)


def test_before_lunch_is_the_morning_up_to_it():
    p = parse("the pier before lunch on monday")
    assert (p.filters.since, p.filters.until) == (local(6, 9), local(6, 9, 11.5)), (p.filters.since, p.filters.until)


@pytest.mark.parametrize("q", ["¿colas en la terminal del ferry el lunes?", "el hall de la terminal del ferry"])
def test_english_place_words_spanish_borrows_are_read_head_first(q):
    assert parse(q).filters.cameras == ("cam-a",), q  # "la terminal del ferry" is the ferry terminal


@pytest.mark.parametrize("w, known", [("seatbelts", True), ("kerbs", True), ("pls", False), ("cctv", False)])
def test_a_regular_plural_of_a_dictionary_word_is_an_english_word(w, known):
    from services.search.floor import dictionary_word

    assert dictionary_word(w) is known, w  # "drivers not wearing seatbelts" is judged as English, not left as shorthand
