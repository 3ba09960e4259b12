"""The rule registry: every rule type is declared once, by its module, and the engine and captioner read it."""

from __future__ import annotations

import typing

import pytest

from citylens.contracts.rules import RULE_CONFIGS, RULE_TYPES, TYPE_WORDS, LoiteringRule, rule_type
from pipeline.caption import template_caption
from pipeline.config import RuleConfig
from pipeline.rules.registry import rule_spec, rules
from pipeline.types import IncidentType


def _config_types() -> set[str]:
    union = typing.get_args(RuleConfig)[0]
    return {typing.get_args(m.model_fields["type"].annotation)[0] for m in typing.get_args(union)}


def test_every_configurable_rule_type_and_incident_type_has_exactly_one_module():
    assert set(rules()) == _config_types() == {t.value for t in IncidentType} == set(RULE_TYPES)


def test_the_incident_types_and_search_words_derive_from_the_rule_models():
    assert [t.value for t in IncidentType] == [rule_type(m) for m in RULE_CONFIGS]
    assert TYPE_WORDS["loitering"] == LoiteringRule.words and all(TYPE_WORDS.values())


def test_default_classes_and_captions_come_from_the_rule_module():
    assert "car" in rule_spec("stopped_vehicle").default_classes
    assert rule_spec("loitering").default_classes is None
    assert template_caption({"type": "loitering", "zone": "table", "dwell_s": 42}) == \
        "A person lingered in zone table for 42 s."


def test_an_unknown_rule_type_names_the_registered_ones():
    with pytest.raises(KeyError, match="registered: .*loitering"):
        rule_spec("jaywalking")
