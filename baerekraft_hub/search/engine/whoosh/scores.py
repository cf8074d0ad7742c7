"""Whoosh's scores of a query's candidates, read from per-term score tables.

Scoring 120 candidates by skipping Whoosh's matcher tree to each cost 8 ms for `kommune` and
19 ms for `kommune energi` at 12,000 documents: most of a search. A term's score in a document
(BM25F, boost 1) depends only on the index, so each (field, term) is read once per index
generation into a table (sorted docnums, their scores), like the term bitsets of facets.py; a
query's score is then worked out from the tables by the rules of Whoosh's matchers, quirks
included, so the scores stay exactly Whoosh's (tests/search/engine/test_ranking.py):

- a compound query with one subquery is that subquery's matcher: its boost is not applied;
- Or and And sum their subqueries' scores; AndMaybe adds the optional part where it matches;
- DisjunctionMax takes the maximum over its subqueries that are still active, each at its
  own next match (which may be a later document than the one being scored).

Like the bitsets, this is not a results cache: nothing about a query is kept.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Sequence

from whoosh import query as wq
from whoosh.searching import Searcher

END = sys.maxsize  # "no further match"
MAX_ENTRIES = 1_000_000  # 12 bytes each: the tables of one searcher stay under 12 MB


class Unsupported(Exception):
    """A query node these rules do not cover: score it with Whoosh's matchers instead."""


class TermScores:
    """Per (field, term): the sorted docnums holding it and its Whoosh score in each; and, for
    the terms of phrases, where the term stands in each of those documents."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._tables: dict[tuple[str, str], tuple[array, array]] = {}
        self._positions: dict[tuple[str, str], tuple[array, array, array]] = {}
        self._entries = 0

    def table(self, fieldname: str, text: str) -> tuple[array, array]:
        key = (fieldname, text)
        found = self._tables.get(key)
        if found is None:
            found = self._read(fieldname, text)
            self._make_room(len(found[0]))
            self._tables[key] = found
        return found

    def positions(self, fieldname: str, text: str) -> tuple[array, array, array]:
        """(docnums, starts, positions): the term stands at positions[starts[i]:starts[i + 1]]
        in document docnums[i]. Whoosh's phrase matcher reads these from the postings for each
        document it checks, decompressing a block of them each time (~0.1 ms)."""
        key = (fieldname, text)
        found = self._positions.get(key)
        if found is None:
            found = self._read_positions(fieldname, text)
            self._make_room(len(found[0]) + len(found[2]))
            self._positions[key] = found
        return found

    def _make_room(self, entries: int) -> None:
        if self._entries + entries > MAX_ENTRIES:
            self._tables.clear()
            self._positions.clear()
            self._entries = 0
        self._entries += entries

    def _read(self, fieldname: str, text: str) -> tuple[array, array]:
        docnums, scores = array("i"), array("d")
        context = self.searcher.context()
        term = wq.Term(fieldname, text)
        for sub, offset in self.searcher.leaf_searchers():
            matcher = term.matcher(sub, context)  # the very matcher a query would use
            while matcher.is_active():
                docnums.append(offset + matcher.id())
                scores.append(matcher.score())
                matcher.next()
        return docnums, scores

    def _read_positions(self, fieldname: str, text: str) -> tuple[array, array, array]:
        docnums, starts, positions = array("i"), array("i", [0]), array("i")
        context = self.searcher.context()
        term = wq.Term(fieldname, text)
        for sub, offset in self.searcher.leaf_searchers():
            matcher = term.matcher(sub, context)
            while matcher.is_active():
                docnums.append(offset + matcher.id())
                positions.extend(matcher.value_as("positions"))
                starts.append(len(positions))
                matcher.next()
        return docnums, starts, positions


TERM, NULL, AND, OR, DISMAX, AND_MAYBE = range(6)


class _Node:
    """A query node with its terms' tables at hand (a compiled query)."""

    __slots__ = ("kind", "subs", "boost", "docnums", "scores")

    def __init__(self, kind: int, subs=(), boost: float = 1.0, docnums=None, scores=None):
        self.kind, self.subs, self.boost = kind, tuple(subs), boost
        self.docnums, self.scores = docnums, scores


def _compile(query: wq.Query, tables: TermScores) -> _Node:
    if isinstance(query, wq.Term):
        docnums, scores = tables.table(query.fieldname, query.text)
        return _Node(TERM, boost=query.boost, docnums=docnums, scores=scores)
    if query is wq.NullQuery:
        return _Node(NULL)
    if isinstance(query, wq.AndMaybe):
        return _Node(AND_MAYBE, (_compile(query.a, tables), _compile(query.b, tables)))
    if isinstance(query, wq.And | wq.Or | wq.DisjunctionMax):
        subs = [_compile(sub, tables) for sub in query.subqueries]
        if not subs:
            return _Node(NULL)
        if len(subs) == 1:  # Whoosh uses the one subquery's matcher: no boost of its own
            return subs[0]
        kind = AND if isinstance(query, wq.And) else DISMAX
        if isinstance(query, wq.Or):
            kind = OR
        return _Node(kind, subs, boost=query.boost)
    raise Unsupported(type(query).__name__)


class QueryScorer:
    """Whoosh's score of queries at given documents, from `TermScores` tables."""

    def __init__(self, tables: TermScores) -> None:
        self.tables = tables
        self._memo_at = -1  # the document the remembered positions are for
        # id(node) -> (node, its next match at or after _memo_at); holding the node keeps its
        # id from being reused while remembered
        self._memo: dict[int, tuple[_Node, int]] = {}

    def compile(self, query: wq.Query) -> _Node:
        """The query with its terms' tables looked up once; raises Unsupported."""
        return _compile(query, self.tables)

    def next_match(self, node: _Node, docnum: int) -> int:
        """The first document at or after `docnum` that the query matches (END if none)."""
        if docnum != self._memo_at:  # scoring a document asks the same nodes several times
            self._memo_at = docnum
            self._memo.clear()
        found = self._memo.get(id(node))
        if found is None:
            found = self._memo[id(node)] = (node, self._next_match(node, docnum))
        return found[1]

    def _next_match(self, node: _Node, docnum: int) -> int:
        kind = node.kind
        if kind == TERM:
            docnums = node.docnums
            i = bisect_left(docnums, docnum)
            return docnums[i] if i < len(docnums) else END
        if kind in (OR, DISMAX):
            return min(self.next_match(sub, docnum) for sub in node.subs)
        if kind == AND:
            at = docnum
            while True:
                found = [self.next_match(sub, at) for sub in node.subs]
                top = max(found)
                if top == END or min(found) == top:
                    return top
                at = top
        if kind == AND_MAYBE:
            return self.next_match(node.subs[0], docnum)
        return END

    def score_at(self, node: _Node, docnum: int) -> float:
        """The score of the query at `docnum`, a document it matches."""
        kind = node.kind
        if kind == TERM:
            total = node.scores[bisect_left(node.docnums, docnum)]
        elif kind == AND_MAYBE:
            a, b = node.subs
            total = self.score_at(a, docnum)
            if self.next_match(b, docnum) == docnum:
                total += self.score_at(b, docnum)
        elif kind == OR:
            total = 0.0
            for sub in node.subs:
                if self.next_match(sub, docnum) == docnum:
                    total += self.score_at(sub, docnum)
        elif kind == AND:
            total = sum(self.score_at(sub, docnum) for sub in node.subs)
        else:  # DISMAX: each active subquery where it stands, as Whoosh's matcher does
            best = None
            for sub in node.subs:
                at = self.next_match(sub, docnum)
                if at != END:
                    value = self.score_at(sub, at)
                    best = value if best is None else max(best, value)
            total = best or 0.0
        return total * node.boost if node.boost != 1.0 else total


class CandidateScorer:
    """`QueryScorer` for a sorted list of candidates at once: per query node, each candidate's
    next match and the node's score there, computed a node at a time over all candidates."""

    def __init__(self, tables: TermScores, docnums: Sequence[int]) -> None:
        self.single = QueryScorer(tables)
        self.docnums = list(docnums)
        # id(node) -> (node, its matches): holding the node keeps its id from being reused
        self._done: dict[int, tuple[_Node, tuple[list[int], list[float]]]] = {}

    def compile(self, query: wq.Query) -> _Node:
        """The query with its terms' tables looked up once; raises Unsupported."""
        return self.single.compile(query)

    def matches(self, node: _Node) -> tuple[list[int], list[float]]:
        """Per candidate: the node's next match at or after it, and its score there."""
        found = self._done.get(id(node))
        if found is None:
            found = self._done[id(node)] = (node, self._matches(node))
        return found[1]

    def _matches(self, node: _Node) -> tuple[list[int], list[float]]:
        kind, wanted = node.kind, self.docnums
        if kind == TERM:
            docnums, scores, boost, size = node.docnums, node.scores, node.boost, len(node.docnums)
            found = [bisect_left(docnums, d) for d in wanted]
            at = [docnums[i] if i < size else END for i in found]
            if boost != 1.0:
                return at, [scores[i] * boost if i < size else 0.0 for i in found]
            return at, [scores[i] if i < size else 0.0 for i in found]
        if kind == NULL:
            return [END] * len(wanted), [0.0] * len(wanted)
        if kind in (OR, DISMAX):
            subs = [self.matches(sub) for sub in node.subs]
            at = [min(column) for column in zip(*(sub_at for sub_at, _ in subs), strict=True)]
            if kind == OR:
                scores = [
                    sum(own[k] for sub_at, own in subs if sub_at[k] == here)
                    for k, here in enumerate(at)
                ]
            else:  # each active subquery where it stands, as in QueryScorer
                scores = [
                    max((own[k] for sub_at, own in subs if sub_at[k] != END), default=0.0)
                    for k in range(len(at))
                ]
            if node.boost != 1.0:
                scores = [score * node.boost for score in scores]
            return at, scores
        if kind == AND_MAYBE:
            (a_at, a_own), (b_at, b_own) = self.matches(node.subs[0]), self.matches(node.subs[1])
            scores = []
            for k, here in enumerate(a_at):
                if here == wanted[k]:
                    scores.append(a_own[k] + b_own[k] if b_at[k] == here else a_own[k])
                else:  # b may match between the candidate and a's next match
                    scores.append(self._one(node, here))
            return a_at, scores
        at = [self.single.next_match(node, d) for d in wanted]  # AND: one at a time
        return at, [self._one(node, here) for here in at]

    def _one(self, node: _Node, docnum: int) -> float:
        return self.single.score_at(node, docnum) if docnum != END else 0.0
