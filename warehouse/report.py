"""The report's queries: who is quoted and who claims, over time, by type and by outlet, and
each article with its quotes and claims. What counts, and whose it is (an entity), is
``newsetl.warehouse.voices``: the report counts what ``newsetl who`` and the ``speakers`` /
``sources`` views count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from newsetl.values import Said
from newsetl.warehouse.db import Warehouse
from newsetl.warehouse.voices import Scope, counted, voice_counts

__all__ = ["Scope", "voice_counts"]


def overview(warehouse: Warehouse, scope: Scope) -> dict[str, Any]:
    """Counts and dates of what the report covers."""
    return counted(warehouse, """
        SELECT (SELECT count(*) FROM arts) AS articles,
               (SELECT count(*) FROM qv) AS quotes,
               (SELECT count(*) FROM cv) AS claims,
               (SELECT count(DISTINCT voice_id) FROM (SELECT voice_id FROM qv UNION ALL
                SELECT voice_id FROM cv)) AS voices,
               (SELECT count(DISTINCT outlet) FROM arts) AS outlets,
               (SELECT min(published_date) FROM arts) AS first_date,
               (SELECT max(published_date) FROM arts) AS last_date
    """, scope)[0]


def top_speakers(warehouse: Warehouse, scope: Scope, limit: int) -> list[dict[str, Any]]:
    """The most quoted entities: quotes, articles, outlets, first and last day."""
    return counted(warehouse, """
        SELECT voice_id, any_value(voice) AS voice, any_value(voice_type) AS voice_type,
               count(*) AS quotes, count(DISTINCT article_id) AS articles,
               count(DISTINCT outlet) AS outlets,
               min(published_date) AS first_date, max(published_date) AS last_date
        FROM qv WHERE voice_id IS NOT NULL
        GROUP BY voice_id ORDER BY quotes DESC, articles DESC, voice LIMIT $limit
    """, scope, limit=limit)


def top_sources(warehouse: Warehouse, scope: Scope, limit: int) -> list[dict[str, Any]]:
    """The entities with the most claims: claims, articles, outlets, first and last day."""
    return counted(warehouse, """
        SELECT voice_id, any_value(voice) AS voice, any_value(voice_type) AS voice_type,
               count(*) AS claims, count(DISTINCT article_id) AS articles,
               count(DISTINCT outlet) AS outlets,
               min(published_date) AS first_date, max(published_date) AS last_date
        FROM cv WHERE voice_id IS NOT NULL
        GROUP BY voice_id ORDER BY claims DESC, articles DESC, voice LIMIT $limit
    """, scope, limit=limit)


def weekly_quotes(warehouse: Warehouse, scope: Scope, voice_ids: list[str]
                  ) -> list[dict[str, Any]]:
    """Quotes per ISO week (its Monday) of each of ``voice_ids``."""
    if not voice_ids:
        return []
    return counted(warehouse, """
        SELECT voice_id, CAST(date_trunc('week', published_date) AS DATE) AS week,
               count(*) AS quotes
        FROM qv WHERE list_contains($ids, voice_id)
        GROUP BY ALL ORDER BY week, voice_id
    """, scope, ids=voice_ids)


def weeks(warehouse: Warehouse, scope: Scope) -> list[dt.date]:
    """Every ISO week (its Monday) from the first article in scope to the last."""
    return [r["week"] for r in counted(warehouse, """
        SELECT CAST(unnest(generate_series(date_trunc('week', min(published_date)),
               date_trunc('week', max(published_date)), INTERVAL 7 DAY)) AS DATE) AS week
        FROM arts HAVING count(*) > 0
    """, scope)]


def claims_by_type(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Claims and distinct entities per source type."""
    return counted(warehouse, """
        SELECT source_type, count(*) AS claims, count(DISTINCT voice_id) AS voices
        FROM cv GROUP BY source_type ORDER BY claims DESC, source_type
    """, scope)


def voices_by_outlet(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Per outlet: articles, quotes, and claims per source type."""
    return counted(warehouse, """
        SELECT outlet, (SELECT count(*) FROM arts x WHERE x.outlet = o.outlet) AS articles,
               (SELECT count(*) FROM qv WHERE qv.outlet = o.outlet) AS quotes,
               (SELECT coalesce(map_from_entries(list({'key': source_type, 'value': n})), MAP {})
                FROM (SELECT source_type, count(*) AS n FROM cv WHERE cv.outlet = o.outlet
                      GROUP BY source_type)) AS claims
        FROM (SELECT DISTINCT outlet FROM arts) o ORDER BY articles DESC, outlet
    """, scope)


def newest_claims(warehouse: Warehouse, scope: Scope, voice_ids: list[str], per_voice: int
                  ) -> list[dict[str, Any]]:
    """The newest ``per_voice`` claims of each of ``voice_ids`` (entities)."""
    if not voice_ids:
        return []
    return counted(warehouse, """
        SELECT * EXCLUDE (rank) FROM (
            SELECT cv.*, row_number() OVER (PARTITION BY voice_id
                ORDER BY published_date DESC, article_id, seq) AS rank
            FROM cv WHERE list_contains($ids, voice_id))
        WHERE rank <= $per_voice ORDER BY voice_id, published_date DESC, article_id, seq
    """, scope, ids=voice_ids, per_voice=per_voice)


def voice_quotes(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every counted quote of an entity, newest first (one query for all entity pages)."""
    return counted(warehouse, """
        SELECT * FROM qv WHERE voice_id IS NOT NULL
        ORDER BY voice_id, published_date DESC, article_id, seq
    """, scope)


def voice_claims(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every counted claim of an entity, newest first."""
    return counted(warehouse, """
        SELECT * FROM cv WHERE voice_id IS NOT NULL
        ORDER BY voice_id, published_date DESC, article_id, seq
    """, scope)


def articles(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every article in scope with its text and its counted quotes and claims, newest
    first."""
    return counted(warehouse, """
        SELECT arts.*, a.text, a.authors,
               (SELECT count(*) FROM qv WHERE qv.article_id = arts.article_id) AS quotes,
               (SELECT count(*) FROM cv WHERE cv.article_id = arts.article_id) AS claims
        FROM arts JOIN articles a USING (article_id)
        ORDER BY arts.published_date DESC, arts.article_id
    """, scope)


def article_marks(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every quote and claim of the articles in scope, those that do not count too (``counts``
    false: under the confidence threshold), with their offsets: kind (a ``Said``), seq,
    spans, the voice, mention and cue spans, confidence."""
    return counted(warehouse, """
        SELECT $quote AS kind, q.article_id, q.seq, q.spans, q.text, e.entity_id AS voice_id,
               e.name AS voice, q.speaker_mention AS mention, q.speaker_span AS mention_span,
               q.cue, q.cue_span, q.speaker_type AS source_type, NULL AS hedge,
               NULL AS negated, q.confidence,
               coalesce(q.confidence >= $min_confidence, false) AS counts
        FROM quotes q JOIN arts USING (article_id)
        LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
        UNION ALL
        SELECT $claim, c.article_id, c.seq, c.spans, c.content, e.entity_id, e.name,
               c.source_mention, c.source_span, c.cue, c.cue_span, c.source_type, c.hedge,
               c.negated, c.confidence, coalesce(c.confidence >= $min_confidence, false)
        FROM claims c JOIN arts USING (article_id)
        LEFT JOIN entities e ON e.entity_id = c.source_entity_id
        ORDER BY article_id, kind DESC, seq
    """, scope, quote=Said.QUOTE, claim=Said.CLAIM)
