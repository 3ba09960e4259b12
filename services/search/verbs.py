"""Verbs read by meaning: what a word no table knows says someone or something *did*, read as an incident type.

The "nothing matches" floor judges words no table reads as things the system may not see. A verb is no thing: in
"a kid climbed the fence into the yard" or "a cab sat idling at the rank" the verbs say *how* an incident type is
done (intrusion, a stopped vehicle), while in "someone fainted on the platform" or "a lorry jackknifed" they name an
event no rule raises. No part of speech tells the two apart (both are participles), so the verb is read by meaning:
its phrase (the verb, the verbs beside it, and the next few words: "sat idling at the", "climbed the fence into")
is compared with how each of the deployment's incident types is done (``TYPE_VERBS``: short verb phrases written
from each rule's own description in ``citylens.contracts.rules``, apart from every evaluation list). When the phrase
is at least ``VERB_SIM_MIN`` close to one (MiniLM cosine, chosen on labelled dev rows: ``python -m
tests.search_eval.verb_threshold`` and the dev halves) its verbs are read as that type: they are no unknown things for the floor, and
the type becomes a ranking preference when nothing else named one. A verb no phrase comes near stays unknown and is
judged as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# How each incident type is done, in verb phrases (no subject): paraphrases of the rule's description.
TYPE_VERBS: dict[str, tuple[str, ...]] = {
    "intrusion": ("climbing over a fence", "climbing into a closed area", "getting into a restricted area",
                  "breaking into a compound", "scaling a wall", "jumping a barrier", "entering without permission",
                  "going where they are not allowed", "slipping through a gate", "walking onto the tracks"),
    "loitering": ("hanging around for a long time", "standing around", "waiting about with no purpose", "lingering",
                  "lurking", "hovering about", "pacing up and down", "staying in one place for ages"),
    "stopped_vehicle": ("sitting idle with the engine running", "idling without moving",
                        "sitting stationary on the hard shoulder", "not moving", "stuck in the lane", "broken down",
                        "stalled", "come to a halt", "waiting with hazard lights on", "stopped in the road"),
    "illegal_parking": ("parked on the pavement", "left on double yellow lines", "parking in a disabled bay",
                        "parked where it should not be", "pulled up on the zigzags"),
    "congestion": ("crawling along in traffic", "backed up in a queue", "stuck in slow traffic",
                   "queuing bumper to bumper", "at a standstill in traffic"),
    "wrong_way": ("driving the wrong way", "going against the traffic", "heading the opposite direction",
                  "reversing down the exit"),
    "speeding": ("driving too fast", "racing down the road", "tearing along", "flying past", "going over the limit",
                 "zooming by"),
    "crowding": ("packed in", "crammed together", "gathering in large numbers", "swarming", "massing in a crowd",
                 "filling the platform"),
    "abandoned_object": ("left behind unattended", "forgotten on a bench", "dumped and walked away from",
                         "left with no owner"),
    "tripwire": ("crossing the line", "stepping over the line", "going past the boundary marker"),
}

# Cosine (MiniLM) of a verb's phrase to the nearest phrase of TYPE_VERBS at or above which the verb is read as that
# type. Chosen on labelled dev rows (``python -m tests.search_eval.verb_threshold``) and the dev halves' end figures
# (docs/search.md, "Verbs read by meaning").
VERB_SIM_MIN = 0.6
# words after the verb that belong to its phrase ("climbed the fence into", "sat idling at the")
PHRASE_AFTER = 3

# Common irregular past forms (a past or participle the -ed / -ing rule cannot see). Not "broke" / "broken": said of
# a thing they describe damage ("the barrier broken"), and "broken down" is a table's phrase.
IRREGULAR = frozenset("""sat stood ran left drove rode lay hung stuck fell fallen threw thrown sped crept
    snuck slid swung spun flew flown fought held kept stole stolen shot sank sunk swam struck blew blown tore torn froze
    frozen leapt knelt slept dug wound bent fled hid""".split())


def _base_forms(word: str) -> set[str]:
    out: set[str] = set()
    if word.endswith("ing") and len(word) > 5:
        s = word[:-3]
        out |= {s, s + "e"}
        if len(s) > 2 and s[-1] == s[-2]:
            out.add(s[:-1])  # sitting -> sit
    if word.endswith("ed") and len(word) > 4:
        s = word[:-2]
        out |= {s, s + "e", word[:-1]}
        if s.endswith("i"):
            out.add(s[:-1] + "y")  # carried -> carry
        if len(s) > 2 and s[-1] == s[-2]:
            out.add(s[:-1])  # dropped -> drop
    return out


def verb_form(word: str) -> bool:
    """Whether ``word`` is a past, participle or -ing form of an English verb ("climbed", "idling", "sat").

    >>> [w for w in ("climbed", "idling", "sat", "sitting", "fence", "thing", "red") if verb_form(w)]
    ['climbed', 'idling', 'sat', 'sitting']
    """
    if word in IRREGULAR:
        return True
    from services.search.floor import _dictionary

    d = _dictionary()
    if d is None:
        return False
    return any(len(b) > 2 and b in d for b in _base_forms(word))


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class VerbGroup:
    """Adjacent unknown verb forms of a query and the phrase they are read in."""

    words: tuple[str, ...]
    phrase: str


def verb_groups(query: str, unknown: tuple[str, ...]) -> list[VerbGroup]:
    """The runs of adjacent words of ``unknown`` that are verb forms, each with its phrase: the run and the next
    ``PHRASE_AFTER`` words of the query ("sat idling at the").

    >>> [(g.words, g.phrase) for g in verb_groups("a cab sat idling at the rank for ages", ("sat", "idling", "ages"))]
    [(('sat', 'idling'), 'sat idling at the rank')]
    """
    verbs = {w for w in unknown if verb_form(w)}
    if not verbs:
        return []
    toks = [t.lower() for t in _WORD.findall(query)]
    out: list[VerbGroup] = []
    i = 0
    while i < len(toks):
        if toks[i] in verbs:
            j = i
            while j + 1 < len(toks) and toks[j + 1] in verbs:
                j += 1
            words = tuple(dict.fromkeys(toks[i:j + 1]))
            out.append(VerbGroup(words, " ".join(toks[i:j + 1 + PHRASE_AFTER])))
            i = j + 1
        else:
            i += 1
    return out


def read_verbs(groups: list[VerbGroup], sims: np.ndarray, types: list[str],
               sim_min: float = VERB_SIM_MIN) -> tuple[tuple[str, ...], str | None]:
    """The verbs read as a type and the type read (the best-scoring group's), from ``sims`` (groups x phrases) and
    the type of each phrase."""
    read: list[str] = []
    best_t, best_s = None, -1.0
    for g, row in zip(groups, sims):
        j = int(np.argmax(row))
        if float(row[j]) >= sim_min:
            read.extend(g.words)
            if float(row[j]) > best_s:
                best_t, best_s = types[j], float(row[j])
    return tuple(dict.fromkeys(read)), best_t


def phrases() -> tuple[list[str], list[str]]:
    """(types, phrases) of TYPE_VERBS, flat and aligned."""
    types = [t for t, ps in TYPE_VERBS.items() for _ in ps]
    return types, [p for ps in TYPE_VERBS.values() for p in ps]
