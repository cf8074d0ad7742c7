"""The PostgreSQL backend: documents in a table of the app's database, searched with SQL.

Every web server reads the same table, so a change is searchable everywhere once its
transaction commits. The app writes a document in the transaction of the change itself
(`batch(connection)`); `writing()` is for the odd separate write (`flask search apply`).
Totals and facet counts come from one statement per search (facets.py); only the page of
hits is ranked and fetched; snippets are ours (snippets.py), as in the Whoosh backend.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from baerekraft_hub.search.engine import query as queries
from baerekraft_hub.search.engine.documents import (
    NO_FILTERS,
    Drift,
    Filters,
    SearchBusy,
    SearchDocument,
    SearchHit,
    SearchResults,
    SearchUnavailable,
)
from baerekraft_hub.search.engine.postgresql import facets, spelling, tsquery
from baerekraft_hub.search.engine.postgresql.schema import (
    INSERT_WORDS,
    RANK_WEIGHTS,
    TABLE,
    UPSERT,
    row_of,
    sorted_words,
    utc,
)
from baerekraft_hub.search.engine.postgresql.similar import similar_hits
from baerekraft_hub.search.engine.snippets import snippet

log = logging.getLogger(__name__)
MAX_PER_PAGE = 100
CANDIDATES = 120  # ranked when more match (see _hits), as the Whoosh backend's ranking.py
WRITE_LOCK = 0x5EA4C4  # advisory lock: one `writing` block or rebuild at a time
BATCH = 500  # rows per INSERT round trip in a rebuild
SYNONYM_WEIGHT = 0.5  # a synonym or translation counts half the word typed (as Whoosh)
# ts_rank's normalisation 1: divided by 1 + log(length), so an organisation's few words named
# in the query outrank a long text that mentions it (as BM25's length norm in Whoosh).
RANK_NORMALISATION = 1


class PostgresBatch:
    """Writes on one connection, inside its transaction (an `IndexBatch`)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents."""
        rows, found = [], set()
        for doc in docs:
            row, surface = row_of(doc)
            rows.append(row)
            found |= surface
        if rows:
            self.connection.execute(sa.text(UPSERT), rows)
            self.connection.execute(sa.text(INSERT_WORDS), {"words": sorted_words(found)})
        return len(rows)

    def remove(self, kind: str, doc_id: int) -> None:
        """Remove a document if it is there."""
        self.connection.execute(
            sa.text(f"DELETE FROM {TABLE} WHERE kind = :kind AND doc_id = :doc_id"),
            {"kind": kind, "doc_id": doc_id},
        )


class PostgresEngine:
    """A `SearchBackend` over the documents table of a PostgreSQL database."""

    def __init__(self, engine: Engine, *, write_timeout: float = 5.0) -> None:
        self.engine = engine
        self.write_timeout = write_timeout
        # The app writes documents in the transaction of the change (never on another database).
        self.in_transaction = engine.dialect.name == "postgresql"

    # -- writing -----------------------------------------------------------------------------

    def batch(self, connection: Connection) -> PostgresBatch:
        """Writes that commit or roll back with `connection`'s transaction (the change's)."""
        return PostgresBatch(connection)

    @contextlib.contextmanager
    def writing(self, timeout: float | None = None) -> Iterator[PostgresBatch]:
        """A transaction of its own, as the only `writing` block; SearchBusy after `timeout`."""
        timeout = self.write_timeout if timeout is None else timeout
        with self._connection() as connection, connection.begin():
            self._lock(connection, timeout)
            yield PostgresBatch(connection)

    def _lock(self, connection: Connection, timeout: float) -> None:
        connection.execute(sa.text(f"SET LOCAL lock_timeout = {max(1, int(timeout * 1000))}"))
        try:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
        except sa.exc.OperationalError as error:
            if "lock timeout" in str(error):
                raise SearchBusy(f"the search documents stayed locked for {timeout:.1f}s") from None
            raise

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents at once."""
        with self.writing() as batch:
            return batch.index(docs)

    def remove(self, kind: str, doc_id: int) -> None:
        """Remove one document at once."""
        with self.writing() as batch:
            batch.remove(kind, doc_id)

    def rebuild(self, docs: Iterable[SearchDocument], *, wait: float = 30.0) -> int:
        """Rewrite every document in one transaction: searches see the old ones until it commits.

        Documents written by the app meanwhile (`written_at` after the start) are newer than
        what the rebuild read and are kept; a change to a document the rebuild has already
        rewritten waits for it to commit.
        """
        count, vocabulary = 0, set()
        with self._connection() as connection, connection.begin():
            self._lock(connection, wait)
            connection.execute(sa.text("SET LOCAL lock_timeout = 0"))
            started = connection.scalar(sa.text("SELECT clock_timestamp()"))
            connection.execute(
                sa.text("CREATE TEMPORARY TABLE rebuilt (kind TEXT, doc_id INT) ON COMMIT DROP")
            )
            rows: list[dict[str, object]] = []
            for doc in docs:
                row, surface = row_of(doc)
                rows.append(row)
                vocabulary |= surface
                if len(rows) == BATCH:
                    count += self._write_rows(connection, rows)
            count += self._write_rows(connection, rows)
            connection.execute(
                sa.text(
                    f"DELETE FROM {TABLE} d WHERE d.written_at < :started AND NOT EXISTS "
                    "(SELECT 1 FROM rebuilt r WHERE r.kind = d.kind AND r.doc_id = d.doc_id)"
                ),
                {"started": started},
            )
            connection.execute(sa.text("DELETE FROM search_word"))
            connection.execute(sa.text(INSERT_WORDS), {"words": sorted_words(vocabulary)})
        return count

    @staticmethod
    def _write_rows(connection: Connection, rows: list[dict[str, object]]) -> int:
        if not rows:
            return 0
        connection.execute(sa.text(UPSERT), rows)
        connection.execute(
            sa.text("INSERT INTO rebuilt VALUES (:kind, :doc_id)"),
            [{"kind": r["kind"], "doc_id": r["doc_id"]} for r in rows],
        )
        count = len(rows)
        rows.clear()
        return count

    # -- reading -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A connection; a database or table that cannot be read is SearchUnavailable."""
        if not self.in_transaction:
            raise SearchUnavailable(
                f"the postgresql search backend needs a PostgreSQL database,"
                f" not {self.engine.dialect.name}: set SEARCH_BACKEND=whoosh or use PostgreSQL"
            )
        try:
            with self.engine.connect() as connection:
                yield connection
        except (sa.exc.ProgrammingError, sa.exc.OperationalError) as error:
            log.warning("search documents unreadable: %s", error.orig)
            raise SearchUnavailable(f"the search documents cannot be read: {error.orig}") from error

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
        with self._connection() as connection:
            _settings(connection)
            near = spelling.NearSpellings(connection)
            by_rank = sort != "newest" and bool(parsed.words)
            limit = page * per_page
            mode, ranks, synonyms, counted = _count(
                connection, parsed, filters, near, by_rank, limit
            )
            # Every required word was found when all of them matched: not looked up again.
            strong, _ = tsquery.split(parsed)
            known = (
                frozenset(w.text for w in strong)
                if mode == "all" and counted.matched
                else frozenset()
            )
            hits: list[SearchHit] = []
            if counted.candidates and (page - 1) * per_page < counted.total:
                if by_rank:
                    hits = _ranked(
                        connection,
                        parsed,
                        counted.candidates,
                        ranks["rank"],
                        synonyms,
                        page,
                        per_page,
                    )
                else:
                    keys = counted.candidates[(page - 1) * per_page : limit]
                    hits = _newest(connection, parsed, keys)
            return SearchResults(
                total=counted.total,
                hits=hits,
                facets=counted.facets,
                suggestion=spelling.suggestion_for(connection, parsed, near, known),
                fuzzy=bool(counted.matched) and mode == "fuzzy",
                partial=bool(counted.matched) and mode == "any",
                page=page,
                per_page=per_page,
            )

    def suggest(self, query: str) -> str | None:
        """A corrected query ("Mente du …") when some word is found nowhere, else None."""
        with self._connection() as connection:
            _settings(connection)
            return spelling.suggestion_for(connection, queries.parse(query))

    def similar(self, kind: str, doc_id: int, limit: int = 5) -> list[SearchHit]:
        """Documents most like this one by distinctive words and shared SDG targets."""
        with self._connection() as connection:
            rows = similar_hits(connection, kind, doc_id, limit)
            return [_to_hit(row, set()) for row in rows]

    def check(self, expected: Mapping[tuple[str, int], datetime]) -> Drift:
        """Compare the table with what should be in it: (missing, stale, extra) keys."""
        with self._connection() as connection:
            found = {
                (kind, doc_id): updated
                for kind, doc_id, updated in connection.execute(
                    sa.text(f"SELECT kind, doc_id, updated_at FROM {TABLE}")
                )
            }
        wanted = {key: utc(moment) for key, moment in expected.items()}
        return Drift(
            missing=sorted(k for k in wanted if k not in found),
            stale=sorted(k for k in wanted if k in found and found[k] != wanted[k]),
            extra=sorted(k for k in found if k not in wanted),
        )

    def exists(self) -> bool:
        """True when the documents table can be read."""
        return self.health()["available"] is True

    def health(self) -> dict[str, object]:
        """Whether the documents can be searched, and how many there are."""
        try:
            return {"available": True, "documents": self.doc_count(), "error": None}
        except SearchUnavailable as exc:
            return {"available": False, "documents": 0, "error": str(exc)}

    def doc_count(self) -> int:
        """How many documents the table holds."""
        with self._connection() as connection:
            return connection.scalar(sa.text(f"SELECT count(*) FROM {TABLE}")) or 0


def _count(
    connection: Connection,
    parsed: queries.ParsedQuery,
    filters: Filters,
    near: spelling.NearSpellings,
    by_rank: bool,
    limit: int,
) -> tuple[str, dict[str, str], list[list[str]], facets.Counted]:
    """Totals, facets and candidates of the first mode that matches: every word ("all"), some
    word ("any"), near spellings ("fuzzy"); the mode, its rank queries and the counts."""
    for mode in ("all", "any", "fuzzy"):
        if mode == "any" and len(parsed.words) < 2 or mode == "fuzzy" and not parsed.words:
            continue
        match = tsquery.build(parsed, mode, near)
        synonyms: list[list[str]] = []
        if not by_rank:
            counted = facets.count(connection, match, filters, limit=limit)
            ranks: dict[str, str] = {}
        else:
            ranks = {
                "rank": tsquery.rank_query(parsed, mode, near),
                "title": tsquery.rank_query(parsed, mode, near, weights="A"),
            }
            synonyms = tsquery.synonym_groups(parsed, mode)
            cap = max(CANDIDATES, 2 * limit)
            counted = facets.count(
                connection, match, filters, order=facets.TIERS, limit=cap, ranks=ranks
            )
        if counted.matched:
            break
    return mode, ranks, synonyms, counted


def _settings(connection: Connection) -> None:
    """This transaction's settings for searching, in one round trip.

    The GIN index's bitmap tells which rows match without reading their vectors, where a
    sequential scan (the planner's choice for common words) decompresses every one. With no
    words nothing but a scan can answer, and its "disabled" cost would start the JIT compiler
    (seconds for a millisecond's work): it stays off. The matching rows' facet columns are
    kept in memory, not in a temporary file. And pg_trgm's threshold for near spellings.
    """
    connection.execute(
        sa.text(
            "SET LOCAL enable_seqscan = off; SET LOCAL jit = off; SET LOCAL work_mem = '32MB';"
            f" SET LOCAL pg_trgm.similarity_threshold = {spelling.SIMILARITY}"
        )
    )


_CHOSEN = (
    "SELECT * FROM unnest(CAST(:kinds AS TEXT[]), CAST(:ids AS INTEGER[])) AS chosen(kind, doc_id)"
)


def _key_params(keys: list[tuple[str, int]]) -> dict[str, list]:
    return {"kinds": [k for k, _ in keys], "ids": [i for _, i in keys]}


def _ranked(
    connection: Connection,
    parsed: queries.ParsedQuery,
    candidates: list[tuple[str, int]],
    rank: str,
    synonyms: list[list[str]],
    page: int,
    per_page: int,
) -> list[SearchHit]:
    """One page of the candidates by rank (recency breaks ties): only they are ranked, their
    whole vectors read. A word's synonyms add half the rank of the best of them."""
    score, params = _score(rank, synonyms)
    rows = connection.execute(
        sa.text(
            "SELECT * FROM (SELECT d.kind, d.doc_id, d.title, d.url, d.organisation, d.excerpt,"
            f" d.language, d.updated_at, {score} AS score FROM ({_CHOSEN}) AS chosen"
            f" JOIN {TABLE} d ON d.kind = chosen.kind AND d.doc_id = chosen.doc_id) AS found"
            " ORDER BY round(score::numeric, 6) DESC, updated_at DESC, kind, doc_id"
            " LIMIT :limit OFFSET :offset"
        ),
        {
            **_key_params(candidates),
            **params,
            "limit": per_page,
            "offset": (page - 1) * per_page,
        },
    )
    terms = queries.highlight_terms(parsed)
    return [_to_hit(row, terms) for row in rows]


def _rank_sql(param: str) -> str:
    return f"ts_rank('{RANK_WEIGHTS}', d.terms, CAST(:{param} AS tsquery), {RANK_NORMALISATION})"


_LEXEME = re.compile(r"'(?:[^']|'')*'")


def _score(rank: str, synonyms: list[list[str]]) -> tuple[str, dict[str, str]]:
    """The SQL of a candidate's score, and its parameters.

    ts_rank divides an OR query's sum by its number of terms, so a synonym's rank is scaled
    as if its terms were among the typed words' (then halved): comparable, not inflated.
    """
    parts, params = [_rank_sql("rank")], {"rank": rank}
    typed_terms = max(1, len(_LEXEME.findall(rank)))
    for i, group in enumerate(synonyms):
        names = [f"s{i}_{j}" for j in range(len(group))]
        params.update(zip(names, group, strict=True))
        best = ", ".join(
            f"{SYNONYM_WEIGHT * len(_LEXEME.findall(query)) / typed_terms:.4f} * {_rank_sql(name)}"
            for name, query in zip(names, group, strict=True)
        )
        parts.append(f"GREATEST({best})")
    return " + ".join(parts), params


def _newest(
    connection: Connection, parsed: queries.ParsedQuery, keys: list[tuple[str, int]]
) -> list[SearchHit]:
    """The documents of `keys`, in that order (newest first)."""
    rows = connection.execute(
        sa.text(
            "SELECT d.kind, d.doc_id, d.title, d.url, d.organisation, d.excerpt, d.language,"
            f" 0 AS score FROM ({_CHOSEN}) AS chosen"
            f" JOIN {TABLE} d ON d.kind = chosen.kind AND d.doc_id = chosen.doc_id"
        ),
        _key_params(keys),
    )
    found = {(row.kind, row.doc_id): row for row in rows}
    terms = queries.highlight_terms(parsed)
    return [_to_hit(found[key], terms) for key in keys if key in found]


def _to_hit(row, terms: set[str]) -> SearchHit:
    return SearchHit(
        kind=row.kind,
        id=row.doc_id,
        title=row.title,
        url=row.url,
        snippet=snippet(row.excerpt, terms, english=row.language == "en"),
        organisation=row.organisation,
        score=round(float(row.score or 0.0), 4),
    )
