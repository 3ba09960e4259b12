"""The third held-out operator set (``tests/search_eval/blind3.py``) builds, is labelled against the generated city,
keeps its split, and its test half stays frozen. No search runs here (the scores come from
``python -m tests.search_eval.report --set blind3``)."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from tests.search_eval import blind3
from tests.search_eval.blind import _intent
from tests.search_eval.city import build_city
from tests.search_eval.queries import label

# sha256 of the test half's wording, sorted and joined by newlines: the test half was fixed before the search first
# ran on it and must not be edited after a result was seen (add new queries instead; they fall where the hash says).
BLIND3_TEST_DIGEST = "85767dba3fd36794"
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)  # a Wednesday morning: a fixed clock keeps the test exact


@pytest.fixture(scope="module")
def city():
    return build_city(NOW)


def test_the_blind3_test_half_is_frozen():
    test = sorted(b.text for b in blind3.ALL if blind3.split_of(b.text) == "test")
    assert hashlib.sha256("\n".join(test).encode()).hexdigest()[:16] == BLIND3_TEST_DIGEST


def test_the_split_halves_every_category_and_follows_the_wording_only():
    texts = [b.text for b in blind3.ALL]
    assert len(set(texts)) == len(texts), "a query's wording is its key"
    by = Counter((b.category, blind3.split_of(b.text)) for b in blind3.ALL)
    for cat in {b.category for b in blind3.ALL}:
        assert abs(by[cat, "test"] - by[cat, "dev"]) <= 1, cat
    # the split is a function of the stable wording: the clock (which fills in dates) does not move a query
    a = {x.text: x.split for x in blind3.generate(build_city(NOW, n=300), NOW)}
    assert all(s == blind3.split_of(next(b.text for b in blind3.ALL if blind3._text_at(b, NOW) == t))
               for t, s in a.items())


def test_every_query_is_labelled_from_the_city(city):
    qs = blind3.generate(city, NOW)
    answerable = [b for b in blind3.ALL if b.answer]
    assert len(qs) >= 0.95 * len(blind3.ALL)  # at this clock nearly every answerable one matches something
    by_id = {i.id: i for i in city}
    for x in qs:
        if x.intent.newest or any(b.oldest for b in answerable if blind3._text_at(b, NOW) == x.text):
            assert len(x.relevant) == 1
        for rid in x.relevant:
            assert label(by_id[rid], x.intent) == "rel", x.text
    # no-answer queries that name a place, type or value: nothing in the city matches them
    for b in blind3.ALL:
        if not b.answer and (b.types or b.places or b.fact):
            it = _intent(b, NOW, blind3.TIMES3)
            assert not [i for i in city if label(i, it) == "rel"], b.text


def test_latest_and_earliest_pick_the_ends_of_the_matching_set(city):
    newest = next(b for b in blind3.ALL if b.newest and b.lang == "en")
    oldest = next(b for b in blind3.ALL if b.oldest)
    for b, pick in ((newest, max), (oldest, min)):
        x = blind3.build(b, city, NOW)
        rel = [i for i in city if label(i, x.intent) == "rel"]
        assert x.relevant == [pick(rel, key=lambda i: i.started_at).id]


def test_dates_and_languages():
    texts = {b.text: blind3._text_at(b, NOW) for b in blind3.ALL}
    filled = [t for k, t in texts.items() if "{" in k]
    assert filled and not any("{" in t for t in filled)
    assert "2026-11-05" in " ".join(filled) and "20 de noviembre" in " ".join(filled)
    langs = Counter(b.lang for b in blind3.ALL)
    assert (langs["zh"] + langs["es"]) / len(blind3.ALL) >= 0.2
    zh = " ".join(b.text for b in blind3.ALL if b.lang == "zh")
    assert any(c in zh for c in "車場擁週應") and any(c in zh for c in "车场违环")  # traditional and simplified
    # time windows follow the clock: "last night" a day later is another night
    w1, _ = blind3.TIMES3["last_night"](NOW)
    w2, _ = blind3.TIMES3["last_night"](NOW + timedelta(days=1))
    assert w2[0][0] - w1[0][0] == timedelta(days=1)
