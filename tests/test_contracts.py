"""The wire contract: pydantic only, one envelope, typed facts that refuse unknown names."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import cv2
import numpy as np
import pytest
from pydantic import ValidationError

from citylens.contracts import (ENVELOPE_VERSION, STREAM_INCIDENTS, CountEvent, IncidentEvent, IncidentFacts,
                                IncidentState, IncidentType, event_from_fields, stream_for)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def _incident(**kw) -> IncidentEvent:
    base = dict(id="i-1", state=IncidentState.OPENED, type=IncidentType.LOITERING, camera_id="cam-1", rule="loitering:z",
                zone="z", started_at=T0, updated_at=T0)
    return IncidentEvent(**{**base, **kw})


def test_importing_the_contract_pulls_in_no_numpy_opencv_supervision_or_project_packages():
    code = ("import sys, citylens.contracts; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'cv2', 'supervision', 'yaml', 'typer', "
            "'pipeline', 'services', 'edge_workers', 'ray', 'redis', 'fastapi', 'sqlalchemy'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_an_incident_round_trips_through_the_envelope_with_typed_facts_and_evidence():
    jpeg = cv2.imencode(".jpg", np.zeros((8, 8, 3), np.uint8))[1].tobytes()
    ev = _incident(facts={"dwell_s": 6.0, "colour": "red"}, snapshot=jpeg)
    fields = ev.to_fields()
    assert fields["kind"] == "incident" and fields["v"] == ENVELOPE_VERSION and stream_for(ev) == STREAM_INCIDENTS
    back = event_from_fields({k.encode(): v if isinstance(v, bytes) else v.encode() for k, v in fields.items()})
    assert back == ev and back.facts.dwell_s == 6.0 and back.snapshot == jpeg
    assert '"facts":{"dwell_s":6.0,"colour":"red"}' in fields["json"]  # unset facts stay off the wire


def test_an_unknown_fact_name_is_refused():
    with pytest.raises(ValidationError, match="dwel_s"):
        IncidentFacts(dwel_s=3.0)


def test_version_1_facts_that_repeated_the_events_fields_are_read_without_them():
    facts = IncidentFacts.model_validate({"zone": "z", "line": None, "object_class": "car", "track_ids": [1], "color": "red",
                                          "dwell_s": 2.0})
    assert facts == IncidentFacts(colour="red", dwell_s=2.0)


def test_an_envelope_of_an_unknown_version_is_refused_with_the_version_named():
    fields = {**CountEvent(camera_id="c", name="l", object_class="car", direction="in", bucket_start=T0, count=1).to_fields(),
              "v": "99"}
    with pytest.raises(ValueError, match="'99'"):
        event_from_fields(fields)
