"""General query mechanisms of the floor's two sides (issue 9, helper search11floor): verbs read by meaning, vehicle
words, "fresh" as recency, degree words. Each tested on made-up wordings and a made-up deployment (the ferry
terminal, garage and academy of test_search_query_mechanisms9), never on the evaluation's wordings."""

from __future__ import annotations

import pytest

from services.search.verbs import TYPE_VERBS, VerbGroup, read_verbs, verb_form, verb_groups
from tests.test_search_query_mechanisms9 import parse

TZ = "Europe/Madrid"


@pytest.mark.parametrize("w", ["scaled", "clambered", "loitered", "dozing", "shuffling", "hopped", "carried", "stood",
                               "sat", "fled"])
def test_past_participle_and_ing_forms_are_verb_forms(w):
    assert verb_form(w), w


@pytest.mark.parametrize("w", ["railings", "kerb", "bed", "thing", "ring", "fence", "shed", "pier", "ages"])
def test_nouns_are_no_verb_forms(w):
    assert not verb_form(w), w


def test_adjacent_verbs_are_one_group_read_with_the_words_after():
    groups = verb_groups("a minicab sat waiting with its engine on at the ramp", ("sat", "waiting", "engine"))
    assert groups == [VerbGroup(("sat", "waiting"), "sat waiting with its engine")]
    assert verb_groups("two lads on the pier", ("lads",)) == []


def test_a_verb_is_read_only_at_or_above_the_threshold():
    import numpy as np

    groups = [VerbGroup(("scaled",), "scaled the wall"), VerbGroup(("sneezed",), "sneezed on the pier")]
    sims = np.array([[0.2, 0.8], [0.5, 0.1]])
    assert read_verbs(groups, sims, ["loitering", "intrusion"], 0.6) == (("scaled",), "intrusion")
    assert read_verbs(groups, sims, ["loitering", "intrusion"], 0.9) == ((), None)


def test_every_rule_type_has_verb_phrases():
    from services.search.vocab import TYPE_WORDS

    assert set(TYPE_VERBS) == set(TYPE_WORDS) and all(TYPE_VERBS.values())


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from services.search import SearchIndex
    from services.store import Store
    from tests.test_search_query_mechanisms9 import CAMS, NOW, PLACES

    d = tmp_path_factory.mktemp("verbs")
    store = Store(f"sqlite:///{d / 'db.sqlite'}", d / "media")
    ix = SearchIndex(store, tz=TZ, cameras=CAMS, zones=[p.id for p in PLACES if p.kind == "zone"], places=PLACES,
                     background=False, index_path=False)
    ix.clock = lambda: NOW
    yield ix
    ix.close()
    store.close()


@pytest.mark.parametrize("q, verb, type_", [
    ("two lads scaled the wall into the garage", "scaled", "intrusion"),
    ("a delivery van pulled up on the pavement by the academy", "pulled", "illegal_parking"),
])
def test_a_verb_saying_how_a_type_is_done_is_no_unknown_thing(index, q, verb, type_):
    p = index.parse(q)
    assert verb not in p.unknown and p.soft.types == (type_,), (q, p.unknown, p.soft.types)


@pytest.mark.parametrize("q, verb", [("a pensioner sneezed on the pier", "sneezed"),
                                     ("a woman knitted a scarf at the terminal", "knitted")])
def test_a_verb_no_type_s_phrase_comes_near_stays_unknown(index, q, verb):
    assert verb in index.parse(q).unknown, q


def test_a_type_named_by_a_table_is_kept_over_a_verb_s_reading(index):
    p = index.parse("loitering: somebody scaled the wall into the garage")
    assert p.filters.types == ("loitering",) and not p.soft.types


def test_verbs_are_not_read_without_a_learned_threshold(index):
    import dataclasses

    floor = index.floor
    index.floor = dataclasses.replace(floor, verb_sim_min=None)
    try:
        assert "scaled" in index.parse("two lads scaled the wall into the garage").unknown
    finally:
        index.floor = floor


@pytest.mark.parametrize("q, cls", [
    ("a silver motor on the ramp", "car"), ("an artic reversing at the garage", "truck"),
    ("a juggernaut by the terminal", "truck"), ("a pushbike chained at the cycle rack", "bicycle"),
    ("an ebike on the pier", "bicycle"), ("a minicab at the taxi rank", "car"), ("a double-decker at the academy", "bus"),
])
def test_british_and_trade_vehicle_words_are_classes(q, cls):
    p = parse(q)
    assert cls in (*p.filters.classes, *p.soft.classes), (q, p.filters.classes, p.soft.classes)


@pytest.mark.parametrize("q", ["anything fresh from the pier?", "the freshest at the garage", "any fresh ones by the ramp"])
def test_fresh_asks_for_the_newest(q):
    assert parse(q).newest, q


@pytest.mark.parametrize("w", ["very", "most", "really", "ages"])
def test_degree_words_and_for_ages_are_never_things(w):
    from services.search.floor import NEVER_THINGS

    assert w in NEVER_THINGS

