"""Which quotes and claims count, and whose they are: one definition for the report, ``newsetl
who`` and the ``speakers`` / ``sources`` views.

A quote or claim counts when its confidence is at least the threshold
(``CONFIDENCE_THRESHOLD`` unless asked otherwise, the views' own) and its article is not a
repeat of another (``duplicate_of``); its voice is the entity it names (``entities``), or
nobody for unnamed and anonymous speakers and sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from newsetl.values import CONFIDENCE_THRESHOLD, Said
from newsetl.warehouse.db import Warehouse

OUTLET = ("coalesce(nullif(regexp_extract(coalesce(a.canonical_url, a.url),"
          " '^[A-Za-z][A-Za-z0-9+.-]*://(?:www[0-9]?\\.)?([^/:?#@]+)', 1), ''),"
          " (SELECT min(f.name) FROM article_feeds l JOIN feeds f USING (feed_id)"
          "  WHERE l.article_id = a.article_id), 'files')")
"""an article's outlet: its canonical URL's host (www. dropped), else its feed's name"""


@dataclass(frozen=True)
class Scope:
    """What counts: articles published within since..until (repeats left out), and their
    quotes and claims of at least ``min_confidence``."""

    since: dt.date | None = None
    until: dt.date | None = None
    min_confidence: float = CONFIDENCE_THRESHOLD

    def params(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "min_confidence": self.min_confidence}


COUNTED = f"""
    WITH arts AS (
        SELECT a.article_id, a.title, a.url, coalesce(a.canonical_url, a.url) AS link,
               a.published_date, {OUTLET} AS outlet
        FROM articles a
        WHERE a.duplicate_of IS NULL
          AND ($since IS NULL OR a.published_date >= $since)
          AND ($until IS NULL OR a.published_date <= $until)
    ),
    qv AS (
        SELECT q.quote_id, q.article_id, q.seq, q.text, q.kind, q.cue, q.confidence,
               q.speaker_mention AS mention, e.entity_id AS voice_id, e.name AS voice,
               e.type AS voice_type, arts.published_date, arts.outlet, arts.title, arts.url
        FROM quotes q JOIN arts USING (article_id)
        LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
        WHERE q.confidence >= $min_confidence
    ),
    cv AS (
        SELECT c.claim_id, c.article_id, c.seq, c.content, c.source_type, c.cue, c.hedge,
               c.negated, c.confidence, c.source_mention AS mention, e.entity_id AS voice_id,
               e.name AS voice, e.type AS voice_type, arts.published_date, arts.outlet,
               arts.title, arts.url
        FROM claims c JOIN arts USING (article_id)
        LEFT JOIN entities e ON e.entity_id = c.source_entity_id
        WHERE c.confidence >= $min_confidence
    )
"""
"""the CTEs every count reads: arts (articles in scope), qv (quotes that count, with their
voice), cv (claims that count, with theirs; voice_id NULL where nobody is named)"""


def counted(warehouse: Warehouse, sql: str, scope: Scope, **params: Any) -> list[dict[str, Any]]:
    """The rows of ``sql`` (which reads arts, qv and cv) as dicts."""
    columns, rows = warehouse.query(COUNTED + sql, {**scope.params(), **params})
    return [dict(zip(columns, row, strict=True)) for row in rows]


def voice_counts(warehouse: Warehouse, scope: Scope, ids: list[str] | None = None
                 ) -> list[dict[str, Any]]:
    """Every entity with quotes or claims that count in ``scope`` (or each of ``ids``, counted
    or not), the most counted first: its id, name, type and aliases, counted quotes, claims
    and articles, first and last publication day, and ``below``: its quotes and claims in
    scope that do not count (under the confidence threshold)."""
    # a fixed choice of two clauses, never input
    which = "list_contains($ids, e.entity_id)" if ids is not None else "s.voice_id IS NOT NULL"
    return counted(warehouse, f"""
        , said AS (
            SELECT voice_id, $quote AS kind, article_id, published_date FROM qv
            UNION ALL
            SELECT voice_id, $claim, article_id, published_date FROM cv
        ), below AS (
            SELECT q.speaker_entity_id AS voice_id FROM quotes q JOIN arts USING (article_id)
            WHERE NOT coalesce(q.confidence >= $min_confidence, false)
            UNION ALL
            SELECT c.source_entity_id FROM claims c JOIN arts USING (article_id)
            WHERE NOT coalesce(c.confidence >= $min_confidence, false)
        )
        SELECT * FROM (
        SELECT e.entity_id, any_value(e.name) AS name, any_value(e.type) AS type,
               any_value(e.aliases) AS aliases,
               count(*) FILTER (WHERE s.kind = $quote) AS quotes,
               count(*) FILTER (WHERE s.kind = $claim) AS claims,
               count(DISTINCT s.article_id) AS articles,
               min(s.published_date) AS first_seen, max(s.published_date) AS last_seen,
               (SELECT count(*) FROM below b WHERE b.voice_id = e.entity_id) AS below
        FROM entities e LEFT JOIN said s ON s.voice_id = e.entity_id
        WHERE {which}
        GROUP BY e.entity_id
        ) ORDER BY quotes + claims DESC, name, entity_id
    """, scope, quote=Said.QUOTE, claim=Said.CLAIM, **({"ids": ids} if ids is not None else {}))
