"""The one class-synonym table: spoken word -> the detector classes it may mean."""

from __future__ import annotations

import pytest

from services.search.vocab import CLASS_SYNONYMS

DETECTOR_CLASSES = ("person", "bicycle", "car", "motorcycle", "bus", "truck", "backpack", "handbag", "suitcase")


def test_every_detector_class_means_itself():
    for cls in DETECTOR_CLASSES:
        assert CLASS_SYNONYMS[cls] == (cls,)


@pytest.mark.parametrize(("word", "classes"), [
    ("van", {"car", "truck"}),  # the two old tables disagreed: one said a van is only a truck
    ("lorry", {"truck"}), ("bike", {"bicycle", "motorcycle"}), ("pedestrian", {"person"}),
    ("luggage", {"backpack", "handbag", "suitcase"}), ("human", {"person"}),
])
def test_a_spoken_word_means_these_classes(word, classes):
    assert set(CLASS_SYNONYMS[word]) == classes


def test_the_table_only_names_detector_classes_and_keeps_common_words_out():
    assert {c for cs in CLASS_SYNONYMS.values() for c in cs} <= set(DETECTOR_CLASSES)
    assert "case" not in CLASS_SYNONYMS and "auto" not in CLASS_SYNONYMS


def test_the_floor_counts_only_dictionary_words_as_unknown_things():
    """Abbreviations, codes and typos ("pls", "approx", "cctv", "yday") are no evidence of an undetectable thing;
    British spellings are words ("vandalised", "kerb", "offence")."""
    from services.search.floor import dictionary_word

    assert all(dictionary_word(w) for w in ("graffiti", "smoke", "horse", "vandalised", "kerb", "offence", "colour"))
    assert not any(dictionary_word(w) for w in ("pls", "approx", "cctv", "yday", "shldr", "n-bound", "what's"))


def test_numbers_and_going_on_are_never_unknown_things_for_the_floor():
    from services.search.floor import NEVER_THINGS

    assert {"going", "two", "several"} <= NEVER_THINGS
