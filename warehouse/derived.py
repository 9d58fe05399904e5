"""Rows derived from an article's text (quotes and claims), swapped per article at once,
their speakers and sources linked to ``entities``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from newsetl.extract.ids import span_id
from newsetl.warehouse.db import Warehouse
from newsetl.warehouse.entities import EntityLink, link, refresh_entities

_SPAN = pa.list_(pa.int32())
_QUOTE_SCHEMA = pa.schema([
    ("quote_id", pa.string()),
    ("article_id", pa.string()),
    ("seq", pa.int32()),
    ("text", pa.string()),
    ("spans", pa.list_(_SPAN)),
    ("kind", pa.string()),
    ("speaker", pa.string()),
    ("speaker_mention", pa.string()),
    ("speaker_span", _SPAN),
    ("cue", pa.string()),
    ("cue_span", _SPAN),
    ("extractor", pa.string()),
    ("extractor_version", pa.string()),
    ("run_id", pa.string()),
    ("speaker_type", pa.string()),
    ("confidence", pa.float64()),
    ("speaker_entity_id", pa.string()),
])

Entities = Mapping[str, Sequence[Any]]
"""article id -> the article's EntityRecords (a quote's ``speaker_entity`` indexes them)"""


def _link(name: str | None, type_: str | None, index: int | None, article_id: str,
          entities: Entities, links: list[EntityLink]) -> str | None:
    records = entities.get(article_id, ())
    aliases = records[index].aliases if index is not None and index < len(records) else ()
    found = link(name, type_, article_id, aliases)
    if found is None:
        return None
    links.append(found)
    return found.entity_id


def replace_quotes(
    warehouse: Warehouse,
    quotes: Mapping[str, Sequence[Any]],
    version: str,
    run_id: str,
    entities: Entities | None = None,
) -> int:
    """Replace the quotes of every article in ``quotes`` (article id -> Quote records) and
    link their speakers to ``entities`` (``entities`` gives each article's EntityRecords,
    for aliases).

    Call inside the transaction that loads the articles: readers see an article's old
    quotes or its new ones, never a mix. Returns the number of quotes written.
    """
    if not quotes:
        return 0
    rows, links = [], []
    for article_id, found in quotes.items():
        for seq, quote in enumerate(found, start=1):
            rows.append({
                # the record's own JSON shape is the table's: spans as [start, end] lists
                **quote.to_dict(),
                "quote_id": span_id(article_id, "quote", quote.spans),
                "article_id": article_id,
                "seq": seq,
                "extractor": "quotes",
                "extractor_version": version,
                "run_id": run_id,
                "speaker_entity_id": _link(quote.speaker, quote.speaker_type,
                                           quote.speaker_entity, article_id, entities or {},
                                           links),
            })
    old = _swap(warehouse, "quotes", quotes, pa.Table.from_pylist(rows, schema=_QUOTE_SCHEMA),
                version, run_id)
    refresh_entities(warehouse, links, old, run_id)
    return len(rows)


_CLAIM_SCHEMA = pa.schema([
    ("claim_id", pa.string()),
    ("article_id", pa.string()),
    ("seq", pa.int32()),
    ("content", pa.string()),
    ("spans", pa.list_(_SPAN)),
    ("source", pa.string()),
    ("source_mention", pa.string()),
    ("source_span", _SPAN),
    ("source_type", pa.string()),
    ("cue", pa.string()),
    ("cue_span", _SPAN),
    ("hedge", pa.string()),
    ("negated", pa.bool_()),
    ("parent_seq", pa.int32()),
    ("extractor", pa.string()),
    ("extractor_version", pa.string()),
    ("run_id", pa.string()),
    ("confidence", pa.float64()),
    ("source_entity_id", pa.string()),
])


def replace_claims(
    warehouse: Warehouse,
    claims: Mapping[str, Sequence[Any]],
    version: str,
    run_id: str,
    entities: Entities | None = None,
) -> int:
    """Replace the claims of every article in ``claims`` (article id -> Claim records) and
    link their sources to ``entities``, inside the caller's transaction. Returns the
    number of claims written."""
    if not claims:
        return 0
    rows, links = [], []
    for article_id, found in claims.items():
        for seq, claim in enumerate(found, start=1):
            rows.append({
                **claim.to_dict(),
                "claim_id": span_id(article_id, "claim", claim.spans),
                "article_id": article_id,
                "seq": seq,
                # a parent is an index into the article's claims; rows name its seq
                "parent_seq": claim.parent + 1 if claim.parent is not None else None,
                "extractor": "claims",
                "extractor_version": version,
                "run_id": run_id,
                "source_entity_id": _link(claim.source, claim.source_type, claim.source_entity,
                                          article_id, entities or {}, links),
            })
    old = _swap(warehouse, "claims", claims, pa.Table.from_pylist(rows, schema=_CLAIM_SCHEMA),
                version, run_id)
    refresh_entities(warehouse, links, old, run_id)
    return len(rows)


def store_attributions(
    warehouse: Warehouse,
    found: Mapping[str, Any],
    versions: Mapping[str, str],
    run_id: str,
    what: tuple[str, ...] = ("quotes", "claims"),
) -> tuple[int, int]:
    """Replace the quotes and claims of the articles in ``found`` (id -> Attributions, or a
    (quotes, claims) pair) and relink their entities, inside the caller's transaction;
    ``what`` limits it to one of them."""
    quotes = claims = 0
    parts = {k: _parts(v) for k, v in found.items()}
    entities = {k: p[2] for k, p in parts.items()}
    if "quotes" in what:
        quotes = replace_quotes(warehouse, {k: p[0] for k, p in parts.items()},
                                versions["quotes"], run_id, entities)
    if "claims" in what:
        claims = replace_claims(warehouse, {k: p[1] for k, p in parts.items()},
                                versions["claims"], run_id, entities)
    return quotes, claims


def _parts(found: Any) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any]]:
    """(quotes, claims, entities) of an Attributions record, or of a (quotes, claims) pair."""
    if hasattr(found, "quotes"):
        return found.quotes, found.claims, found.entities
    quotes, claims = found
    return quotes, claims, ()


def _swap(warehouse: Warehouse, table: str, found: Mapping[str, Sequence[Any]],
          rows: pa.Table, version: str, run_id: str) -> list[str]:
    """Delete the rows of ``table`` (quotes, claims) of the articles in ``found``, insert
    ``rows`` in their place, and note which version ran over each article. Returns the
    entity ids the deleted rows named (their counts change)."""
    entity_col = "speaker_entity_id" if table == "quotes" else "source_entity_id"
    ids = pa.table({"article_id": list(found), "found": [len(f) for f in found.values()]})
    con = warehouse.con
    with warehouse.staged("staged_derived_articles", ids), \
            warehouse.staged("staged_derived", rows):
        old = [r[0] for r in con.execute(
            f"SELECT DISTINCT {entity_col} FROM {table} WHERE {entity_col} IS NOT NULL AND "
            "article_id IN (SELECT article_id FROM staged_derived_articles)").fetchall()]
        con.execute(f"DELETE FROM {table} WHERE article_id IN "
                    "(SELECT article_id FROM staged_derived_articles)")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged_derived")
        _record_extraction(warehouse, "staged_derived_articles", table, version, run_id)
        return old


def _record_extraction(warehouse: Warehouse, staged: str, extractor: str, version: str,
                       run_id: str) -> None:
    """Note that ``extractor`` at ``version`` ran over the staged articles."""
    warehouse.con.execute(
        f"INSERT INTO article_extractions SELECT article_id, $extractor, $version, found, $run,"
        f" now() FROM {staged} ON CONFLICT (article_id, extractor) DO UPDATE SET"
        " version = excluded.version, found = excluded.found, run_id = excluded.run_id,"
        " extracted_at = excluded.extracted_at",
        {"extractor": extractor, "version": version, "run": run_id},
    )


def stale_articles(
    warehouse: Warehouse, extractor: str, version: str,
    since: str | None = None, until: str | None = None,
) -> list[str]:
    """Ids of the articles (published within since..until) that ``extractor`` at
    ``version`` has not run over."""
    return [row[0] for row in warehouse.con.execute(
        "SELECT a.article_id FROM articles a LEFT JOIN article_extractions e"
        " ON e.article_id = a.article_id AND e.extractor = $extractor"
        " WHERE (e.version IS NULL OR e.version <> $version)"
        " AND ($since IS NULL OR a.published_date >= $since::DATE)"
        " AND ($until IS NULL OR a.published_date <= $until::DATE)"
        " ORDER BY a.published_date, a.article_id",
        {"extractor": extractor, "version": version, "since": since, "until": until},
    ).fetchall()]
