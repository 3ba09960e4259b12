"""Natural-language incident search: query parsing, FTS5 + MiniLM/hnswlib index, hybrid ranking."""

from services.search.embed import Embedder, shared_embedder
from services.search.index import SearchIndex, build_document, index_for
from services.search.parser import MAX_QUERY_CHARS, ParsedQuery, parse_query
from services.search.rank import SearchHit, SearchResult, fts_query, rrf, search

__all__ = [
    "MAX_QUERY_CHARS", "Embedder", "ParsedQuery", "SearchHit", "SearchIndex", "SearchResult",
    "build_document", "fts_query", "index_for", "parse_query", "rrf", "search", "shared_embedder",
]
