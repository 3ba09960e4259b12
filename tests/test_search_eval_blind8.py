"""The eighth held-out operator set (``tests/search_eval/blind8.py``): its test half stays frozen, the split follows
the wording only, dates and windows move with the clock, and labels come from the generated city. Digest and shape
checks only: no search and no Redis/API load run here (the scores come from
``python -m tests.search_eval.report --set blind8``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from tests.search_eval import blind6, blind7, blind8, checks

# sha256 of the test half's template wording, sorted and joined by newlines. The test half was committed before the
# search first ran on it and must not be edited after a result was seen (add new queries; they fall where the hash
# says).
BLIND8_TEST_DIGEST = "6e72d54316f6e63e"
NOW = datetime(2026, 11, 28, 17, 30, tzinfo=timezone.utc)  # a Saturday evening: a fixed clock keeps the test exact


def test_the_blind8_test_half_is_frozen():
    assert checks.test_half(blind8) == (114, BLIND8_TEST_DIGEST)


def test_the_split_is_even_per_category_and_follows_the_wording_only():
    texts = [a.text for a in blind8.ALL]
    assert len(set(texts)) == len(texts) >= 220, "a query's template wording is its key"
    assert not set(texts) & ({a.text for a in blind6.ALL} | {a.text for a in blind7.ALL})
    by = Counter((a.category, blind8.split_of(a.text)) for a in blind8.ALL)
    for cat in {a.category for a in blind8.ALL}:
        assert abs(by[cat, "test"] - by[cat, "dev"]) <= 2, cat
    langs = Counter(a.lang for a in blind8.ALL)
    assert (langs["zh"] + langs["es"]) / len(blind8.ALL) >= 0.25
    zh = " ".join(a.text for a in blind8.ALL if a.lang == "zh")
    assert any(c in zh for c in "車場週過") and any(c in zh for c in "车场过环")  # traditional and simplified


def test_dates_fill_from_the_clock_and_the_new_windows_move_with_it():
    joined = " ".join(blind8.fill(a.text, NOW) for a in blind8.ALL)
    assert "{" not in joined
    assert "between the 16th and the 20th" in joined and "Nov 26" in joined and "2026-11-22" in joined
    assert "11月25日" in joined and "desde el 22 de noviembre" in joined
    # Saturday 18:30 local (UTC+1): "between the 16th and the 20th" is both days whole, local midnights
    (w,), _ = blind8.window("dr12-8", NOW)
    assert w == (datetime(2026, 11, 15, 23, tzinfo=timezone.utc), datetime(2026, 11, 20, 23, tzinfo=timezone.utc))
    (w,), _ = blind8.window("since6", NOW)
    assert w == (datetime(2026, 11, 21, 23, tzinfo=timezone.utc), NOW)
    nights, dc = blind8.window("each3:night", NOW)  # the nights that began on the 25th, 26th and 27th
    assert sorted(nights)[0] == (datetime(2026, 11, 25, 21, tzinfo=timezone.utc), datetime(2026, 11, 26, 5, tzinfo=timezone.utc))
    assert len(nights) == 3 and all(a > NOW for a, _ in dc if a.date() == NOW.date() and a.hour >= 19)
    assert len(blind8.window("every:smallhours", NOW)[0]) >= 28
    keys = ("dr12-8", "since6", "each7:23-27", "every:pmrush", "dr2-1", "wd3:14-18")
    checks.assert_windows_move_with_the_clock(blind8, keys, NOW)


def test_queries_are_labelled_from_the_city():
    checks.assert_labelled_from_the_city(blind8, NOW, at_least=225)
