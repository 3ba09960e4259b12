"""The eleventh held-out operator set (``tests/search_eval/blind11.py``): its test half stays frozen, the split
follows the wording only, dates and the (reused) windows move with the clock, and labels come from the generated
city. Digest and shape checks only: no search and no Redis/API load run here (the scores come from
``python -m tests.search_eval.report --set blind11``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from tests.search_eval import blind2, blind3, blind4, blind5, blind6, blind7, blind8, blind9, blind10, blind11, checks

# sha256 of the test half's template wording, sorted and joined by newlines. The test half was committed before the
# search first ran on it and must not be edited after a result was seen (add new queries; they fall where the hash
# says).
BLIND11_TEST_DIGEST = "4c86642d6525ef39"
NOW = datetime(2026, 12, 2, 11, 0, tzinfo=timezone.utc)  # a Wednesday, noon local: a fixed clock keeps the test exact
UTC = timezone.utc


def test_the_blind11_test_half_is_frozen():
    assert checks.test_half(blind11) == (129, BLIND11_TEST_DIGEST)


def test_the_split_is_even_per_category_and_follows_the_wording_only():
    texts = [a.text for a in blind11.ALL]
    assert len(set(texts)) == len(texts) >= 220, "a query's template wording is its key"
    earlier = {a.text for s in (blind2, blind3, blind4, blind5, blind6, blind7, blind8, blind9, blind10) for a in s.ALL}
    assert not set(texts) & earlier
    by = Counter((a.category, blind11.split_of(a.text)) for a in blind11.ALL)
    for cat in {a.category for a in blind11.ALL}:
        assert abs(by[cat, "test"] - by[cat, "dev"]) <= 2, cat
    assert blind11._SALT_N == blind11._even_salt()
    langs = Counter(a.lang for a in blind11.ALL)
    assert (langs["zh"] + langs["es"]) / len(blind11.ALL) >= 0.25
    zh = " ".join(a.text for a in blind11.ALL if a.lang == "zh")
    assert "環" in zh and "环" in zh and "停車場" in zh and "停车场" in zh  # traditional and simplified
    es = " ".join(a.text for a in blind11.ALL if a.lang == "es")
    assert all(w in es for w in ("ahorita", "anoche", "finde", "a eso de las", "hace rato", "madrugada del sábado",
                                 "Entre semana", "Oigan", "fijate", "Habéis"))  # Latin-American and Spain usage


def test_dates_fill_from_the_clock_and_the_reused_windows_move_with_it():
    joined = " ".join(blind11.fill(a.text, NOW) for a in blind11.ALL)
    assert "{" not in joined
    assert "events on 28/11 after 4pm" in joined and "harbour on 2026-11-29?" in joined
    assert "ring road, Nov 27, 16:30" in joined and "between the 26th and the 28th" in joined
    # Wednesday 12:00 local (UTC+1): "Tuesday night, the small hours" is 00:00-05:00 local this morning
    rel, _ = blind11.window("wd1:24-29", NOW)
    assert rel == [(datetime(2026, 12, 1, 23, tzinfo=UTC), datetime(2026, 12, 2, 4, tzinfo=UTC))]
    # "la madrugada del sábado": Saturday 00:00-05:00 local
    rel, _ = blind11.window("wd5:smallhours", NOW)
    assert rel == [(datetime(2026, 11, 27, 23, tzinfo=UTC), datetime(2026, 11, 28, 4, tzinfo=UTC))]
    # "entre semana de la semana que acaba de pasar": the most recent Monday-Friday before today
    rel, _ = blind11.window("wdr0-4", NOW)
    assert rel == [(datetime(2026, 11, 22, 23, tzinfo=UTC), datetime(2026, 11, 27, 23, tzinfo=UTC))]
    # "since Monday" and 这两天 (since yesterday's midnight) run until now
    assert blind11.window("sincewd0", NOW)[0] == [(datetime(2026, 11, 29, 23, tzinfo=UTC), NOW)]
    assert blind11.window("since1", NOW)[0] == [(datetime(2026, 11, 30, 23, tzinfo=UTC), NOW)]
    for key in ("d3:night", "weekend2", "same7d", "around2h", "each7:23-25"):
        assert blind11.window(key, NOW) == blind10.window(key, NOW)
    keys = ("wd1:24-29", "wd5:smallhours", "wdr0-4", "d3:night", "weekend2", "same7d", "since1", "each7:23-25",
            "d2:17-19.5", "d1:evnight", "today:7-9")
    checks.assert_windows_move_with_the_clock(blind11, keys, NOW)


def test_queries_are_labelled_from_the_city():
    checks.assert_labelled_from_the_city(blind11, NOW, at_least=245)
