"""The Whoosh search engine: search, suggestions, similar items and drift checks.

It reads the index that store.py keeps (one searcher per thread, refreshed when a writer has
committed). Totals and facet counts come from bitsets (facets.py), only a bounded set of the
best matches is scored (ranking.py), and snippets mark words by our own analysis (snippets.py).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from datetime import datetime

from whoosh import query as wq

from baerekraft_hub.search.engine import query as queries
from baerekraft_hub.search.engine.documents import (
    NO_FILTERS,
    Drift,
    Filters,
    SearchHit,
    SearchResults,
)
from baerekraft_hub.search.engine.snippets import snippet
from baerekraft_hub.search.engine.whoosh import clauses, ranking
from baerekraft_hub.search.engine.whoosh.facets import to_docnums
from baerekraft_hub.search.engine.whoosh.schema import doc_key, micros
from baerekraft_hub.search.engine.whoosh.similar import (
    similar_candidates,
    similar_query,
    similar_scores,
)
from baerekraft_hub.search.engine.whoosh.spelling import suggestion_for
from baerekraft_hub.search.engine.whoosh.store import IndexStore, ReadState

MAX_PER_PAGE = 100


class WhooshEngine(IndexStore):
    """Index, remove and search plain `SearchDocument`s in a Whoosh index under `index_dir`.

    A `SearchBackend` (engine/backend.py): the embedded one, with its index on one machine.
    """

    def search(
        self,
        query: str = "",
        *,
        filters: Filters = NO_FILTERS,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
    ) -> SearchResults:
        """Search; facets are counted under the query and every other facet's filter."""
        parsed = queries.parse(query)
        page, per_page = max(1, int(page)), min(max(1, int(per_page)), MAX_PER_PAGE)
        selected = filters.by_facet()
        with self._reading() as state:
            searcher, facets = state.searcher, state.facets
            mode, whoosh_query, matched = "all", clauses.build(parsed), 0
            for mode in ("all", "any", "fuzzy"):
                if mode == "any" and len(parsed.words) < 2 or mode == "fuzzy" and not parsed.words:
                    continue
                whoosh_query = ranking.expand_fuzzy(clauses.build(parsed, mode), searcher.reader())
                whoosh_query = ranking.prune_synonyms(whoosh_query, facets)
                matched = facets.matching(whoosh_query)
                if matched:
                    break
            filters = facets.filters(selected)
            in_page = matched
            for mask in filters.values():
                in_page &= mask
            total = in_page.bit_count()
            hits = []
            if total and (page - 1) * per_page < total:
                hits = self._hits(state, whoosh_query, parsed, in_page, sort, page, per_page)
            return SearchResults(
                total=total,
                hits=hits,
                facets=facets.counts(matched, filters, selected),
                suggestion=suggestion_for(searcher, parsed),
                fuzzy=bool(matched) and mode == "fuzzy",
                partial=bool(matched) and mode == "any",
                page=page,
                per_page=per_page,
            )

    def _hits(
        self,
        state: ReadState,
        whoosh_query: wq.Query,
        parsed: queries.ParsedQuery,
        in_page: int,
        sort: str,
        page: int,
        per_page: int,
    ) -> list[SearchHit]:
        searcher, facets = state.searcher, state.facets
        limit = page * per_page
        updated = facets.updated
        if sort == "newest" or not parsed.words:
            # Exact, from the cached "updated" column: no matcher walks every match.
            chosen = heapq.nlargest(limit, to_docnums(in_page), key=updated.__getitem__)
            ranked = [(0.0, docnum) for docnum in chosen]
        else:
            candidates = ranking.candidates(facets, whoosh_query, in_page, limit)
            scored = ranking.score(searcher, whoosh_query, candidates, state.scores)
            # Recency only breaks ties.
            scored.sort(key=lambda item: (-round(item[0], 6), -updated[item[1]]))
            ranked = scored
        terms = queries.highlight_terms(parsed)
        return [
            _to_hit(searcher.stored_fields(docnum), score, terms)
            for score, docnum in ranked[(page - 1) * per_page : limit]
        ]

    def suggest(self, query: str) -> str | None:
        """A corrected query ("Did you mean …") when some word is found nowhere, else None."""
        with self._reading() as state:
            return suggestion_for(state.searcher, queries.parse(query))

    def similar(self, kind: str, doc_id: int, limit: int = 5) -> list[SearchHit]:
        """Documents most like this one by distinctive words and shared SDG targets."""
        with self._reading() as state:
            searcher = state.searcher
            docnum = searcher.document_number(key=doc_key(kind, doc_id))
            if docnum is None:
                return []
            like = similar_query(searcher, searcher.stored_fields(docnum))
            if like is None:
                return []
            query, groups = like
            chosen = similar_candidates(state.facets, groups, docnum)
            scored = similar_scores(searcher, query, chosen)
            best = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1]))
            return [_to_hit(searcher.stored_fields(n), score, set()) for score, n in best]

    def check(self, expected: Mapping[tuple[str, int], datetime]) -> Drift:
        """Compare the index with what should be in it: (missing, stale, extra) keys."""
        wanted = {key: micros(moment) for key, moment in expected.items()}
        found: dict[tuple[str, int], int] = {}
        with self._reading() as state:
            for stored in state.searcher.all_stored_fields():
                found[(stored["kind"], stored["doc_id"])] = stored["updated"]
        return Drift(
            missing=sorted(k for k in wanted if k not in found),
            stale=sorted(k for k in wanted if k in found and found[k] != wanted[k]),
            extra=sorted(k for k in found if k not in wanted),
        )

    def doc_count(self) -> int:
        """How many documents the index holds."""
        with self._reading() as state:
            return state.searcher.doc_count()


def _to_hit(stored: dict, score: float, terms: set[str]) -> SearchHit:
    return SearchHit(
        kind=stored["kind"],
        id=stored["doc_id"],
        title=stored["title"],
        url=stored["url"],
        snippet=snippet(stored["excerpt"], terms, english=stored["language"] == "en"),
        organisation=stored["organisation"],
        score=round(float(score or 0.0), 4),
    )
