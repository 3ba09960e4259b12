"""Shape checks every blind operator set's test file makes (``tests/test_search_eval_blind*.py``): its test half
is frozen by a digest of its wording, its windows move with the clock, and its labels come from the generated
city. One copy here; each set's own file says which numbers and keys it pins."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from types import ModuleType

from tests.search_eval.city import build_city


def test_half(mod: ModuleType) -> tuple[int, str]:
    """``(queries, digest)`` of a set's test half: sha256 (first 16 hex) of its template wordings, sorted and joined
    by newlines."""
    test = sorted(a.text for a in mod.ALL if mod.split_of(a.text) == "test")
    return len(test), hashlib.sha256("\n".join(test).encode()).hexdigest()[:16]


def assert_windows_move_with_the_clock(mod: ModuleType, keys: tuple[str, ...], now: datetime) -> None:
    """Each window key's earliest window, asked a week later, is a week later."""
    for key in keys:
        a, _ = mod.window(key, now)
        b, _ = mod.window(key, now + timedelta(days=7))
        assert min(b)[0] - min(a)[0] == timedelta(days=7), key


def assert_labelled_from_the_city(mod: ModuleType, now: datetime, at_least: int) -> None:
    """The set builds at least ``at_least`` queries over a 2,000-incident city at ``now``; every relevant incident
    is one its labeller calls relevant, an ordered question has one answer and a no-answer question none."""
    city = build_city(now, n=2000)
    by_id = {i.id: i for i in city}
    built = mod.generate(city, now)
    assert len(built) >= at_least
    asks = {mod.fill(a.text, now): a for a in mod.ALL}
    for q in built:
        ask = asks[q.text]
        assert q.split == mod.split_of(ask.text)
        win = mod.window(ask.when, now) if ask.when else None
        for rid in q.relevant:
            assert mod.status(by_id[rid], ask, win) == "rel", q.text
        if ask.order:
            assert len(q.relevant) == 1
        if not ask.answer:
            assert not q.relevant, q.text  # generate() also checks that nothing in the city matches
