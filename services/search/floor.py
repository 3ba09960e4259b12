"""Thresholds and the "nothing matches" model of search, learned from labelled queries, not picked per query.

Re-learn with ``python -m tests.search_eval.calibrate`` (dev half of the city evaluation plus its own generated
training questions, never the test half) and paste its output here.

"Nothing matches" is a logistic model over features that need no hand list: how close in meaning the words no
parser table knows are to the nearest indexed document, how close the query's whole subject is, how many of
its content words the system understood, how many of the unknown words occur in any document, how close the
unknown words are to an incident type, and whether an object class was named. It only judges queries that
leave such unknown words; a query read entirely by the tables is never answered "nothing matches".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Reading an incident type from free text by meaning: cosine to the type's description and lead over the
# runner-up ("a tailback" -> congestion).
TYPE_SIM_MIN = 0.35
TYPE_MARGIN = 0.04

FEATURES = ("unknown_sim", "subject_sim", "understood", "keyword_overlap", "type_sim", "names_class")
# Learned 2026-11-27 by tests.search_eval.calibrate: 214 judged rows (dev half of the city evaluation + floor_train),
# 100 with an answer; in-sample balanced accuracy 0.83, 5-fold cross-validated about 0.80.
FLOOR_MEAN = (0.2592, 0.2943, 0.1522, 0.1464, 0.2443, 0.5187)
FLOOR_SCALE = (0.0828, 0.1055, 0.2009, 0.3049, 0.1171, 0.4997)
FLOOR_WEIGHTS = (-1.0184, 1.0427, -0.1962, 0.4341, 1.4218, 1.2689)
FLOOR_BIAS = 0.1455
# p(answerable) below this -> "nothing matches": minimises 2 x false-empty rate + missed-empty rate on the
# calibration rows (a false empty hides an answer; most judged questions have one).
FLOOR_THRESHOLD = 0.24


@dataclass(frozen=True)
class FloorInput:
    """What the floor sees of one query (kept for calibration and for the response's explanation)."""

    unknown: tuple[str, ...]  # content words no table, place text or calendar word explains
    values: tuple[float, ...]  # in FEATURES order

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.values))


def p_answerable(values: tuple[float, ...] | np.ndarray) -> float:
    """The learned probability that a query with these feature values has an answer."""
    z = FLOOR_BIAS + sum(w * (x - m) / s for w, x, m, s in zip(FLOOR_WEIGHTS, values, FLOOR_MEAN, FLOOR_SCALE))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def floor_input(index, session, parsed) -> FloorInput | None:
    """Features of ``parsed`` for the floor, or None when the floor does not judge it.

    Not judged: non-English queries (the tables read them; MiniLM does not), queries without unknown words,
    and queries that name an incident type by vocabulary, an exclusion of a type or a numeric fact: those name
    something the system detects and leftover words only qualify it.
    """
    from services.search.vocab import STOP_WORDS, tokens

    if parsed.lang != "en" or not parsed.unknown:
        return None
    f = parsed.filters
    if f.types or parsed.exclude.types or parsed.facts:
        return None
    place_words = index._place_words()
    unknown = tuple(w for w in parsed.unknown if w not in place_words)
    if not unknown:
        return None
    content = [w for w in tokens(parsed.subject_text or parsed.text) if w not in STOP_WORDS and not w.isdigit()]
    content = [w for w in dict.fromkeys(content) if w not in place_words] or list(unknown)
    understood = 1.0 - min(1.0, len(unknown) / max(1, len(content)))
    in_docs = sum(1 for w in unknown if index._df(session, w))
    uvec = index.encode_query(" ".join(unknown))
    _, sims = index.knn(uvec, 1)
    unknown_sim = float(sims[0]) if len(sims) else 0.0
    subject = " ".join(content)
    if subject == " ".join(unknown):
        subject_sim = unknown_sim
    else:
        _, sims = index.knn(index.encode_query(subject), 1)
        subject_sim = float(sims[0]) if len(sims) else 0.0
    _, protos = index._type_prototypes()
    type_sim = float(np.max(protos @ uvec)) if len(protos) else 0.0
    names_class = 1.0 if (f.classes or parsed.soft.classes) else 0.0
    return FloorInput(unknown, (unknown_sim, subject_sim, understood, in_docs / len(unknown), type_sim, names_class))
