"""An evaluation of natural-language search that the parser was not tuned on (issue 9).

``city`` is a generated deployment and corpus, ``phrasing`` holds the operator wording (templates and
paraphrase lists, written apart from ``services/search`` vocabulary), ``queries`` turns both into labelled
queries with a dev/test split, ``harness`` publishes the corpus through Redis into the API and scores it.
"""
