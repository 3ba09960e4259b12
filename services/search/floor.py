"""Thresholds of search that are learned from labelled queries, not picked per query.

Re-learn with ``python -m tests.search_eval.calibrate`` (dev half of the city evaluation only) and paste its
output here; the test half is never used to set them.
"""

# Cosine (MiniLM) between the words no table or document knows and the nearest indexed document, below which
# those words are "unmatched" and the search answers nothing ("a fallen tree", "a cat").
# Learned 2026-11-27 on the dev half, documents with place texts and fact words: 16 dev queries had such words
# (14 without an answer, 2 with: "...waiting around for ages" at 0.204); every no-answer one lies below.
RELEVANCE_FLOOR = 0.354
# Reading an incident type from free text by meaning: cosine to the type's description and lead over the
# runner-up ("a tailback" -> congestion).
TYPE_SIM_MIN = 0.35
TYPE_MARGIN = 0.04
