"""Scoring of zone-event coverage against hand-timed spans (pipeline.eval.events), without video."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.eval.events import score_events, table

TS = np.arange(0, 100, dtype=float)  # frame i at i seconds
SPEC = {"split": "test", "events": [
    {"rule": "stopped_vehicle:j", "start": 10, "end": 50, "where": [0.6, 0.4, 0.7, 0.5]},
    {"rule": "stopped_vehicle:j", "start": 20, "end": 60, "where": [0.8, 0.4, 0.9, 0.5]},
]}
LEFT, RIGHT, ELSEWHERE = [0.62, 0.42, 0.68, 0.5], [0.82, 0.4, 0.9, 0.48], [0.1, 0.1, 0.2, 0.2]


def test_each_event_is_covered_only_by_incidents_at_its_own_place():
    got = score_events("c", SPEC, TS, [["stopped_vehicle:j", 10.0, 50.0, LEFT]])
    assert [(r["raised"], r["coverage"], r["n_incidents"]) for r in got] == [(True, 1.0, 1), (False, 0.0, 0)]


def test_an_event_split_into_incidents_counts_each_and_covers_their_union():
    spans = [["stopped_vehicle:j", 20.0, 30.0, RIGHT], ["stopped_vehicle:j", 28.0, 40.0, RIGHT],
             ["stopped_vehicle:j", 50.0, 70.0, RIGHT]]
    right = score_events("c", SPEC, TS, spans)[1]
    assert right["n_incidents"] == 3
    assert right["coverage"] == pytest.approx(30 / 40)


@pytest.mark.parametrize("incident,false", [
    (["stopped_vehicle:j", 70.0, 80.0, LEFT], 1),      # after every event
    (["stopped_vehicle:j", 30.0, 40.0, ELSEWHERE], 1),  # during one, somewhere else
    (["stopped_vehicle:j", 30.0, 40.0, None], 1),       # no box: cannot be matched to a placed event
    (["stopped_vehicle:j", 45.0, 55.0, LEFT], 0),       # overlaps the left event's end
])
def test_an_incident_meeting_no_event_of_its_rule_is_a_false_incident(incident, false):
    got = score_events("c", SPEC, TS, [incident])
    assert [len(r["false"]) for r in got] == [false, false]  # listed on each event of the rule


def test_the_table_summarises_each_split():
    out = table(score_events("c", SPEC, TS, [["stopped_vehicle:j", 10.0, 50.0, LEFT],
                                              ["stopped_vehicle:j", 70.0, 80.0, LEFT]]))
    assert "test: 1/2 raised, 1/2 covered >= 70 %, mean coverage 50.0%, false incidents 1" in out


def test_incidents_of_a_rule_with_no_event_are_false_and_counted():
    """An area nobody enters (the lobby's behind-table zone) has a rule but no event: what it raises is false."""
    got = score_events("c", SPEC, TS, [["stopped_vehicle:j", 10.0, 50.0, LEFT], ["intrusion:behind", 5.0, 9.0, None]])
    extra = [r for r in got if r["rule"] == "intrusion:behind"]
    assert len(extra) == 1 and extra[0]["truth_s"] is None and extra[0]["false"] == [(5.0, 9.0)]
    out = table(got)
    assert "test: 1/2 raised, 1/2 covered >= 70 %, mean coverage 50.0%, false incidents 1" in out
