"""Tests for pipeline.caption: template captions, the VLM load/caption path on a tiny random SmolVLM, the service."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.caption import (
    Caption,
    CaptionRequest,
    TemplateCaptioner,
    build_captioner,
    format_duration,
    template_caption,
)
from pipeline.config import CaptionerConfig
from pipeline.types import IncidentEvent, IncidentState, IncidentType, utcnow
from tests.paths import PEOPLE

FACTS = {
    "zone": "bus-lane", "line": "gate", "camera": "Main St", "object_class": "car", "colour": "white",
    "dwell_s": 130, "speed_kmh": 72.4, "limit_kmh": 50, "direction": "toward", "count": 5,
}


# ------------------------------------------------------------------------------------------------ template
def test_template_caption_matches_the_documented_example():
    facts = {"type": "stopped_vehicle", "object_class": "car", "colour": "white", "zone": "bus-lane",
             "camera": "Main St", "dwell_s": 130}
    assert template_caption(facts) == "A white car stopped in zone bus-lane on camera Main St for 2 min 10 s."


@pytest.mark.parametrize("kind", list(IncidentType))
def test_template_caption_is_one_sentence_for_every_incident_type(kind):
    for facts in ({**FACTS, "type": kind.value}, {"type": kind}):
        text = template_caption(facts)
        assert text[0].isupper() and text.endswith(".") and text.count(". ") == 0, text
        assert "  " not in text and " ," not in text and "None" not in text, text


def test_template_caption_puts_colour_after_people_and_picks_an_article():
    assert template_caption({"type": "loitering", "object_class": "person", "colour": "red", "zone": "table",
                             "dwell_s": 12}) == "A person in red lingered in zone table for 12 s."
    assert template_caption({"type": "abandoned_object", "object_class": "suitcase", "colour": "orange",
                             "dwell_s": 45}) == "An orange suitcase was left unattended for 45 s."
    assert template_caption({"type": "crowding", "count": 7, "zone": "hall"}) == "A crowd of 7 people gathered in zone hall."


@pytest.mark.parametrize(("secs", "text"), [(0, "0 s"), (12.4, "12 s"), (60, "1 min"), (130, "2 min 10 s"),
                                              (3600, "1 h"), (3725, "1 h 2 min")])
def test_format_duration(secs, text):
    assert format_duration(secs) == text


def test_template_captioner_is_deterministic_and_labels_its_source():
    reqs = [CaptionRequest(f"i{k}", None, {**FACTS, "type": "speeding"}) for k in range(3)]
    a, b = TemplateCaptioner().caption(reqs), TemplateCaptioner().caption(reqs)
    assert [c.text for c in a] == [c.text for c in b]
    assert {(c.source, c.model) for c in a} == {("template", "template")}


def test_request_from_incident_carries_snapshot_and_facts():
    now = utcnow()
    ev = IncidentEvent(id="inc-1", state=IncidentState.OPENED, type=IncidentType.LOITERING, camera_id="cam-1",
                       rule="loitering:table", zone="table", object_class="person", started_at=now, updated_at=now,
                       facts={"colour": "white", "dwell_s": 12.0}, snapshot=b"\xff\xd8jpeg")
    req = CaptionRequest.from_incident(ev, camera_name="Lobby")
    assert req.incident_id == "inc-1" and req.image == b"\xff\xd8jpeg"
    assert req.facts["type"] == "loitering" and req.facts["camera"] == "Lobby" and req.facts["colour"] == "white"


def test_request_rejects_an_image_that_is_not_jpeg_or_bgr():
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        CaptionRequest("x", np.zeros((4, 4), np.uint8), {})


# ------------------------------------------------------------------------------------------------ VLM
@pytest.fixture(scope="session")
def tiny_vlm_dir(tmp_path_factory) -> Path:
    """A tiny random-weight Idefics3ForConditionalGeneration (SmolVLM-256M's class) + local processor on disk."""
    from citylens.bench.random_vlm import save_random_smolvlm

    return save_random_smolvlm(tmp_path_factory.mktemp("tiny-smolvlm"), small=True, seed=0)


@pytest.fixture(scope="session")
def people_jpegs() -> list[bytes]:
    """Four real frames of the people video as JPEG, as incidents carry them."""
    cap = cv2.VideoCapture(str(PEOPLE))
    out = []
    for index in (150, 450, 750, 1050):
        cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = cap.read()
        assert ok
        out.append(cv2.imencode(".jpg", frame)[1].tobytes())
    cap.release()
    return out


def _reqs(jpegs: list[bytes]) -> list[CaptionRequest]:
    return [CaptionRequest(f"inc-{k}", jpeg, {"type": "loitering", "zone": "table", "object_class": "person",
                                                "colour": "white", "dwell_s": 12}) for k, jpeg in enumerate(jpegs)]


def _counting_captioner(path: Path):
    from pipeline.caption.vlm import VlmCaptioner

    class CountingVlm(VlmCaptioner):
        """Counts generate calls through the documented seam (a subclass, not a mock)."""

        calls: list[int]

        def _generate(self, inputs):
            self.calls.append(int(inputs["input_ids"].shape[0]))
            return super()._generate(inputs)

    cap = CountingVlm(str(path), device="cpu", max_new_tokens=8)
    cap.calls = []
    return cap


@pytest.mark.slow
def test_the_real_loading_path_captions_a_batch_of_real_frames_in_one_generate_call(tiny_vlm_dir, people_jpegs):
    cap = _counting_captioner(tiny_vlm_dir)
    assert type(cap.model).__name__ == "Idefics3ForConditionalGeneration"
    out = cap.caption(_reqs(people_jpegs))
    assert len(out) == 4 and cap.calls == [4]
    assert all(isinstance(c, Caption) and c.source == "vlm" and c.model == str(tiny_vlm_dir) for c in out)
    assert all(c.text and c.text.endswith((".", "!", "?")) and c.latency_ms > 0 for c in out)


@pytest.mark.slow
def test_a_request_without_an_image_falls_back_to_template_inside_a_vlm_batch(tiny_vlm_dir, people_jpegs):
    cap = _counting_captioner(tiny_vlm_dir)
    frame = cv2.imdecode(np.frombuffer(people_jpegs[0], np.uint8), cv2.IMREAD_COLOR)
    reqs = [CaptionRequest("a", frame, {"type": "intrusion"}), CaptionRequest("b", None, {"type": "intrusion"})]
    out = cap.caption(reqs)
    assert [c.source for c in out] == ["vlm", "template"] and cap.calls == [1]


def test_missing_model_path_logs_one_warning_and_falls_back_to_templates(caplog, tmp_path):
    cfg = CaptionerConfig(backend="vlm", model=str(tmp_path / "no-such-model"))
    with caplog.at_level(logging.WARNING, logger="pipeline.caption"):
        captioner = build_captioner(cfg)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "no-such-model" in warnings[0].getMessage()
    assert isinstance(captioner, TemplateCaptioner)
    out = captioner.caption([CaptionRequest("i", b"", {"type": "tripwire", "line": "door", "direction": "in"})])
    assert out[0].source == "template" and out[0].text == "An object crossed line door (inbound)."


def test_template_backend_needs_no_model_and_logs_nothing(caplog):
    with caplog.at_level(logging.WARNING):
        assert isinstance(build_captioner(CaptionerConfig(backend="template")), TemplateCaptioner)
    assert not caplog.records


@pytest.mark.slow
def test_caption_bench_runs_on_a_tiny_random_model_and_returns_json():
    import json

    from citylens.bench.caption import run_caption_bench

    out = run_caption_bench(device="cpu", small=True, batch_sizes=(1, 2), new_tokens=4, runs=1)
    json.dumps(out)
    assert out["architecture"] == "Idefics3ForConditionalGeneration"
    assert set(out["baseline"]["captions_per_s"]) == {"1", "2"} and out["candidate"]["latency_ms_p50"] > 0
    assert out["ratios"]["latency_speedup"] > 0
