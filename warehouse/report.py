"""The report's queries: who is quoted and who claims, over time, by type and by outlet, and
each article with its quotes and claims. One query layer, so that what a "voice" is (a name
today, an entity once entities exist) is decided in one place: ``VOICES``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from newsetl.warehouse.db import Warehouse


@dataclass(frozen=True)
class VoiceKey:
    """How quotes and claims are grouped into voices: the key and the name shown, as SQL over
    ``quotes q`` / ``claims c``, with the joins they need."""

    quote_key: str
    quote_name: str
    quote_join: str
    claim_key: str
    claim_name: str
    claim_join: str


BY_NAME = VoiceKey("q.speaker", "q.speaker", "", "c.source", "c.source", "")
"""a voice is a resolved name (quotes.speaker, claims.source)"""
BY_ENTITY = VoiceKey(
    "q.speaker_entity_id", "coalesce(qe.name, q.speaker)",
    "LEFT JOIN entities qe ON qe.entity_id = q.speaker_entity_id",
    "c.source_entity_id", "coalesce(ce.name, c.source)",
    "LEFT JOIN entities ce ON ce.entity_id = c.source_entity_id",
)
"""a voice is an entity across articles (entities, from the entity linking)"""
VOICES = BY_NAME
"""the grouping every report query uses"""

OUTLET = ("coalesce(nullif(regexp_extract(coalesce(a.canonical_url, a.url),"
          " '^[A-Za-z][A-Za-z0-9+.-]*://(?:www[0-9]?\\.)?([^/:?#@]+)', 1), ''),"
          " (SELECT min(f.name) FROM article_feeds l JOIN feeds f USING (feed_id)"
          "  WHERE l.article_id = a.article_id), 'files')")
"""an article's outlet: its canonical URL's host (www. dropped), else its feed's name"""


@dataclass(frozen=True)
class Scope:
    """The articles a report covers: published within since..until, repeats left out."""

    since: dt.date | None = None
    until: dt.date | None = None

    def params(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until}


def _with(voices: VoiceKey = VOICES) -> str:
    """The CTEs every query reads: arts (articles in scope), qv (quotes with their voice),
    cv (claims with their voice, NULL for claims without a named source)."""
    return f"""
    WITH arts AS (
        SELECT a.article_id, a.title, coalesce(a.canonical_url, a.url) AS link,
               a.published_date, {OUTLET} AS outlet
        FROM articles a
        WHERE a.duplicate_of IS NULL
          AND ($since IS NULL OR a.published_date >= $since)
          AND ($until IS NULL OR a.published_date <= $until)
    ),
    qv AS (
        SELECT q.quote_id, q.article_id, q.seq, q.text, q.kind, q.cue,
               {voices.quote_key} AS voice_id, {voices.quote_name} AS voice,
               arts.published_date, arts.outlet, arts.title
        FROM quotes q JOIN arts USING (article_id) {voices.quote_join}
    ),
    cv AS (
        SELECT c.claim_id, c.article_id, c.seq, c.content, c.source_type, c.cue, c.hedge,
               c.negated, {voices.claim_key} AS voice_id, {voices.claim_name} AS voice,
               arts.published_date, arts.outlet, arts.title
        FROM claims c JOIN arts USING (article_id) {voices.claim_join}
    )
    """


def _rows(warehouse: Warehouse, sql: str, scope: Scope, **params: Any) -> list[dict[str, Any]]:
    columns, rows = warehouse.query(_with() + sql, {**scope.params(), **params})
    return [dict(zip(columns, row, strict=True)) for row in rows]


def overview(warehouse: Warehouse, scope: Scope) -> dict[str, Any]:
    """Counts and dates of what the report covers."""
    return _rows(warehouse, """
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
    """The most quoted voices: quotes, articles, outlets, first and last day."""
    return _rows(warehouse, """
        SELECT voice_id, any_value(voice) AS voice, count(*) AS quotes,
               count(DISTINCT article_id) AS articles, count(DISTINCT outlet) AS outlets,
               min(published_date) AS first_date, max(published_date) AS last_date
        FROM qv WHERE voice_id IS NOT NULL
        GROUP BY voice_id ORDER BY quotes DESC, articles DESC, voice LIMIT $limit
    """, scope, limit=limit)


def top_sources(warehouse: Warehouse, scope: Scope, limit: int) -> list[dict[str, Any]]:
    """The voices with the most claims, with their most frequent source type."""
    return _rows(warehouse, """
        SELECT voice_id, any_value(voice) AS voice, mode(source_type) AS source_type,
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
    return _rows(warehouse, """
        SELECT voice_id, CAST(date_trunc('week', published_date) AS DATE) AS week,
               count(*) AS quotes
        FROM qv WHERE list_contains($ids, voice_id)
        GROUP BY ALL ORDER BY week, voice_id
    """, scope, ids=voice_ids)


def weeks(warehouse: Warehouse, scope: Scope) -> list[dt.date]:
    """Every ISO week (its Monday) from the first article in scope to the last."""
    return [r["week"] for r in _rows(warehouse, """
        SELECT CAST(unnest(generate_series(date_trunc('week', min(published_date)),
               date_trunc('week', max(published_date)), INTERVAL 7 DAY)) AS DATE) AS week
        FROM arts HAVING count(*) > 0
    """, scope)]


def claims_by_type(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Claims and distinct named sources per source type."""
    return _rows(warehouse, """
        SELECT source_type, count(*) AS claims, count(DISTINCT voice_id) AS voices
        FROM cv GROUP BY source_type ORDER BY claims DESC, source_type
    """, scope)


def voices_by_outlet(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Per outlet: articles, quotes, and claims per source type."""
    return _rows(warehouse, """
        SELECT outlet, (SELECT count(*) FROM arts x WHERE x.outlet = o.outlet) AS articles,
               (SELECT count(*) FROM qv WHERE qv.outlet = o.outlet) AS quotes,
               (SELECT coalesce(map_from_entries(list({'key': source_type, 'value': n})), MAP {})
                FROM (SELECT source_type, count(*) AS n FROM cv WHERE cv.outlet = o.outlet
                      GROUP BY source_type)) AS claims
        FROM (SELECT DISTINCT outlet FROM arts) o ORDER BY articles DESC, outlet
    """, scope)


def newest_claims(warehouse: Warehouse, scope: Scope, voice_ids: list[str], per_voice: int
                  ) -> list[dict[str, Any]]:
    """The newest ``per_voice`` claims of each of ``voice_ids``."""
    if not voice_ids:
        return []
    return _rows(warehouse, """
        SELECT * EXCLUDE (rank) FROM (
            SELECT cv.*, row_number() OVER (PARTITION BY voice_id
                ORDER BY published_date DESC, article_id, seq) AS rank
            FROM cv WHERE list_contains($ids, voice_id))
        WHERE rank <= $per_voice ORDER BY voice_id, published_date DESC, article_id, seq
    """, scope, ids=voice_ids, per_voice=per_voice)


def voice_ids(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every voice that is quoted or claims, with its name and counts."""
    return _rows(warehouse, """
        SELECT voice_id, any_value(voice) AS voice, count(quote_id) AS quotes,
               count(claim_id) AS claims FROM (
            SELECT voice_id, voice, quote_id, NULL AS claim_id FROM qv UNION ALL
            SELECT voice_id, voice, NULL, claim_id FROM cv)
        WHERE voice_id IS NOT NULL GROUP BY voice_id ORDER BY quotes + claims DESC, voice
    """, scope)


def voice_quotes(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every quote of a named voice, newest first (one query for all voice pages)."""
    return _rows(warehouse, """
        SELECT * FROM qv WHERE voice_id IS NOT NULL
        ORDER BY voice_id, published_date DESC, article_id, seq
    """, scope)


def voice_claims(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every claim of a named voice, newest first."""
    return _rows(warehouse, """
        SELECT * FROM cv WHERE voice_id IS NOT NULL
        ORDER BY voice_id, published_date DESC, article_id, seq
    """, scope)


def articles(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every article in scope with its text and counts, newest first."""
    return _rows(warehouse, """
        SELECT arts.*, a.text, a.authors,
               (SELECT count(*) FROM qv WHERE qv.article_id = arts.article_id) AS quotes,
               (SELECT count(*) FROM cv WHERE cv.article_id = arts.article_id) AS claims
        FROM arts JOIN articles a USING (article_id)
        ORDER BY arts.published_date DESC, arts.article_id
    """, scope)


def article_marks(warehouse: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Every quote and claim of the articles in scope with their offsets: kind ('quote' or
    'claim'), seq, spans, the voice, mention and cue spans."""
    return _rows(warehouse, """
        SELECT 'quote' AS kind, q.article_id, q.seq, q.spans, q.text, qv.voice_id, qv.voice,
               q.speaker_mention AS mention, q.speaker_span AS mention_span, q.cue, q.cue_span,
               NULL AS source_type, NULL AS hedge, NULL AS negated
        FROM quotes q JOIN qv USING (quote_id)
        UNION ALL
        SELECT 'claim', c.article_id, c.seq, c.spans, c.content, cv.voice_id, cv.voice,
               c.source_mention, c.source_span, c.cue, c.cue_span, c.source_type, c.hedge,
               c.negated
        FROM claims c JOIN cv USING (claim_id)
        ORDER BY article_id, kind DESC, seq
    """, scope)
