"""The seventh held-out operator set (``tests/search_eval/blind7.py``): its test half stays frozen, the split follows
the wording only, dates and windows move with the clock, and labels come from the generated city. Digest and shape
checks only: no search and no Redis/API load run here (the scores come from
``python -m tests.search_eval.report --set blind7``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from tests.search_eval import blind6, blind7, checks

# sha256 of the test half's template wording, sorted and joined by newlines. The test half was committed before the
# search first ran on it and must not be edited after a result was seen (add new queries; they fall where the hash
# says).
BLIND7_TEST_DIGEST = "1411bab27c7abea4"
NOW = datetime(2026, 11, 28, 17, 30, tzinfo=timezone.utc)  # a Saturday evening: a fixed clock keeps the test exact


def test_the_blind7_test_half_is_frozen():
    assert checks.test_half(blind7) == (109, BLIND7_TEST_DIGEST)


def test_the_split_is_even_per_category_and_follows_the_wording_only():
    texts = [a.text for a in blind7.ALL]
    assert len(set(texts)) == len(texts) >= 220, "a query's template wording is its key"
    assert not set(texts) & {a.text for a in blind6.ALL}
    by = Counter((a.category, blind7.split_of(a.text)) for a in blind7.ALL)
    for cat in {a.category for a in blind7.ALL}:
        assert abs(by[cat, "test"] - by[cat, "dev"]) <= 2, cat
    langs = Counter(a.lang for a in blind7.ALL)
    assert (langs["zh"] + langs["es"]) / len(blind7.ALL) >= 0.25
    zh = " ".join(a.text for a in blind7.ALL if a.lang == "zh")
    assert any(c in zh for c in "車場週過") and any(c in zh for c in "车场过环")  # traditional and simplified


def test_dates_fill_from_the_clock_and_the_new_window_moves_with_it():
    joined = " ".join(blind7.fill(a.text, NOW) for a in blind7.ALL)
    assert "{" not in joined
    assert "25th" in joined and "Nov 24" in joined and "2026-11-23" in joined and "11月25日" in joined
    assert "25 de noviembre" in joined
    # Saturday 18:30 local: the weekend just gone is 21-22 Nov, the one before it 14-15 Nov (local midnights)
    (w,), _ = blind7.window("weekend2", NOW)
    assert w == (datetime(2026, 11, 13, 23, tzinfo=timezone.utc), datetime(2026, 11, 15, 23, tzinfo=timezone.utc))
    keys = ("weekend2", "wd4:16-18", "wd2:10-16.5", "wd0:6-9.5", "wd3:smallhours")
    checks.assert_windows_move_with_the_clock(blind7, keys, NOW)


def test_queries_are_labelled_from_the_city():
    checks.assert_labelled_from_the_city(blind7, NOW, at_least=215)
