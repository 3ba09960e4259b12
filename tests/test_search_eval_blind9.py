"""The ninth held-out operator set (``tests/search_eval/blind9.py``): its test half stays frozen, the split follows
the wording only, dates and windows move with the clock (the new keys ``wdD.K``, ``sameNd``, ``shiftH`` and
``sincewdD`` included), and labels come from the generated city. Digest and shape checks only: no search and no
Redis/API load run here (the scores come from ``python -m tests.search_eval.report --set blind9``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from tests.search_eval import blind2, blind3, blind4, blind5, blind6, blind7, blind8, blind9, checks

# sha256 of the test half's template wording, sorted and joined by newlines. The test half was committed before the
# search first ran on it and must not be edited after a result was seen (add new queries; they fall where the hash
# says).
BLIND9_TEST_DIGEST = "7b27a71c4fab9fcf"
NOW = datetime(2026, 11, 29, 11, 0, tzinfo=timezone.utc)  # a Sunday, noon local: a fixed clock keeps the test exact
UTC = timezone.utc


def test_the_blind9_test_half_is_frozen():
    assert checks.test_half(blind9) == (123, BLIND9_TEST_DIGEST)


def test_the_split_is_even_per_category_and_follows_the_wording_only():
    texts = [a.text for a in blind9.ALL]
    assert len(set(texts)) == len(texts) >= 220, "a query's template wording is its key"
    earlier = {a.text for s in (blind2, blind3, blind4, blind5, blind6, blind7, blind8) for a in s.ALL}
    assert not set(texts) & earlier
    by = Counter((a.category, blind9.split_of(a.text)) for a in blind9.ALL)
    for cat in {a.category for a in blind9.ALL}:
        assert abs(by[cat, "test"] - by[cat, "dev"]) <= 2, cat
    langs = Counter(a.lang for a in blind9.ALL)
    assert (langs["zh"] + langs["es"]) / len(blind9.ALL) >= 0.25
    zh = " ".join(a.text for a in blind9.ALL if a.lang == "zh")
    assert any(c in zh for c in "車場週過") and any(c in zh for c in "车场过环")  # traditional and simplified


def test_dates_fill_from_the_clock_and_the_new_windows_move_with_it():
    joined = " ".join(blind9.fill(a.text, NOW) for a in blind9.ALL)
    assert "{" not in joined
    assert "between Nov 20 and Nov 25" in joined and "2026-11-24" in joined and "23/11" in joined
    assert "11月26日" in joined and "desde el 22 de noviembre" in joined
    # Sunday 12:00 local (UTC+1): "two Sundays ago" is the 15th, "three Saturdays back" the 14th, whole local days
    (w,), _ = blind9.window("wd6.2", NOW)
    assert w == (datetime(2026, 11, 14, 23, tzinfo=UTC), datetime(2026, 11, 15, 23, tzinfo=UTC))
    (w,), _ = blind9.window("wd5.3", NOW)
    assert w == (datetime(2026, 11, 13, 23, tzinfo=UTC), datetime(2026, 11, 14, 23, tzinfo=UTC))
    (w,), _ = blind9.window("wd6.1:night", NOW)  # last Sunday night, 22:00 to 06:00 local
    assert w == (datetime(2026, 11, 22, 21, tzinfo=UTC), datetime(2026, 11, 23, 5, tzinfo=UTC))
    # "since Monday": Monday's local midnight; "since Sunday" said on a Sunday is today
    assert blind9.window("sincewd0", NOW)[0] == [(datetime(2026, 11, 22, 23, tzinfo=UTC), NOW)]
    assert blind9.window("sincewd6", NOW)[0] == [(datetime(2026, 11, 28, 23, tzinfo=UTC), NOW)]
    # "since my shift started at 22:00" at noon is last night's 22:00; "since 6" is this morning's
    assert blind9.window("shift22", NOW)[0] == [(datetime(2026, 11, 28, 21, tzinfo=UTC), NOW)]
    assert blind9.window("shift6", NOW)[0] == [(datetime(2026, 11, 29, 5, tzinfo=UTC), NOW)]
    # "this time yesterday": an hour either side of 12:00 local yesterday, the next hour each side don't-care
    rel, dc = blind9.window("same1d", NOW)
    assert rel == [(datetime(2026, 11, 28, 10, tzinfo=UTC), datetime(2026, 11, 28, 12, tzinfo=UTC))]
    assert (datetime(2026, 11, 28, 9, tzinfo=UTC), datetime(2026, 11, 28, 10, tzinfo=UTC)) in dc
    # the same wall-clock time across the spring clock change (28 Mar 2027, 02:00 -> 03:00 local)
    after_dst = datetime(2027, 3, 28, 10, 0, tzinfo=UTC)  # 12:00 CEST
    (w,), _ = blind9.window("same1d", after_dst)
    assert w[0] + timedelta(hours=1) == datetime(2027, 3, 27, 11, tzinfo=UTC)  # 12:00 CET the day before
    keys = ("wd6.2", "wd5.3:afternoon", "sincewd0", "shift22", "shift6", "same1d", "same7d", "dr9-4", "d2:night")
    checks.assert_windows_move_with_the_clock(blind9, keys, NOW)


def test_queries_are_labelled_from_the_city():
    checks.assert_labelled_from_the_city(blind9, NOW, at_least=235)
