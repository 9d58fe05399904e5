"""Entities across articles: the linking keys of resolved names, the ``entities`` table
kept in step with the quotes and claims that name them, and one entity's timeline.

Linking rules:

- a person's full name links across articles by its key: case, dots, one-letter middle
  initials and middle names aside, first and last word ("Donald J. Trump" = "Donald Trump");
- a bare surname (the article gave no fuller name) links only within its own article;
- an organisation or outlet by its normalised name, a leading "the" aside.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsetl.values import Said, SourceType
from newsetl.warehouse.db import Warehouse
from newsetl.warehouse.voices import Scope, counted, voice_counts

LINKED_TYPES: tuple[str, ...] = (SourceType.PERSON, SourceType.ORGANISATION, SourceType.MEDIA)
"""the source types whose names become entities (anonymous sources name nobody)"""
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s.]+", name.lower().replace("’", "'")) if w]


def entity_key(name: str, type_: str, article_id: str) -> str:
    """The key that one entity's names share across articles."""
    if type_ == SourceType.PERSON:
        words = [w for w in _words(name) if len(w) > 1 and w not in _SUFFIXES]
        if len(words) >= 2:
            return f"person:{words[0]} {words[-1]}"
        # a bare surname: only its own article's mentions are surely the same person
        return f"person:{' '.join(words) or name.lower()}@{article_id}"
    words = _words(name)
    if words and words[0] == "the":
        words = words[1:]
    return f"org:{' '.join(words) or name.lower()}"


def entity_id(key: str) -> str:
    """The stable id of the entity with this key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class EntityLink:
    """One named speaker or source of a stored row, ready to be linked."""

    entity_id: str
    key: str
    name: str
    type: str
    aliases: tuple[str, ...]


def link(name: str | None, type_: str | None, article_id: str,
         aliases: Iterable[str] = ()) -> EntityLink | None:
    """The entity a resolved name belongs to (None for unnamed or anonymous sources)."""
    if not name or type_ not in LINKED_TYPES:
        return None
    kind = SourceType.PERSON if type_ == SourceType.PERSON else SourceType.ORGANISATION
    key = entity_key(name, kind, article_id)
    return EntityLink(entity_id(key), key, name, type_, tuple(dict.fromkeys([name, *aliases])))


def refresh_entities(warehouse: Warehouse, links: Iterable[EntityLink], touched: Iterable[str],
                     run_id: str) -> None:
    """Add the entities of ``links`` and recount every entity in ``touched`` (their ids)
    from the quotes and claims naming them; an entity no row names any more is dropped.
    Call inside the transaction that wrote the rows."""
    import pyarrow as pa

    links = list(links)
    ids = sorted(set(touched) | {k.entity_id for k in links})
    if not ids:
        return
    con = warehouse.con
    staged = pa.table({
        "entity_id": [k.entity_id for k in links],
        "key": [k.key for k in links],
        "name": [k.name for k in links],
        "type": [k.type for k in links],
        "aliases": [list(k.aliases) for k in links],
    }, schema=pa.schema([("entity_id", pa.string()), ("key", pa.string()), ("name", pa.string()),
                         ("type", pa.string()), ("aliases", pa.list_(pa.string()))]))
    with warehouse.staged("staged_entity_links", staged), \
            warehouse.staged("staged_entity_ids", pa.table({"entity_id": ids})):
        # the fullest name (most words, then longest) and every alias ever seen
        con.execute("""
            INSERT INTO entities
            SELECT entity_id, arg_max(name, len(string_split(name, ' ')) * 1000 + len(name)),
                   mode(type), any_value(key), list_distinct(flatten(list(aliases))),
                   NULL, NULL, 0, 0, 0, $run
            FROM staged_entity_links GROUP BY entity_id
            ON CONFLICT (entity_id) DO UPDATE SET
                name = CASE WHEN len(string_split(excluded.name, ' ')) * 1000 + len(excluded.name)
                                 > len(string_split(name, ' ')) * 1000 + len(name)
                            THEN excluded.name ELSE name END,
                aliases = list_distinct(list_concat(aliases, excluded.aliases)),
                run_id = excluded.run_id
        """, {"run": run_id})
        con.execute("""
            UPDATE entities SET
                quotes = coalesce(n.quotes, 0), claims = coalesce(n.claims, 0),
                articles = coalesce(n.articles, 0), first_seen = n.first_seen,
                last_seen = n.last_seen, run_id = $run
            FROM (
                SELECT s.entity_id,
                       count(*) FILTER (WHERE r.what = $quote) AS quotes,
                       count(*) FILTER (WHERE r.what = $claim) AS claims,
                       count(DISTINCT r.article_id) AS articles,
                       min(a.published_date) AS first_seen, max(a.published_date) AS last_seen
                FROM staged_entity_ids s
                LEFT JOIN (
                    SELECT speaker_entity_id AS entity_id, article_id, $quote AS what FROM quotes
                    WHERE speaker_entity_id IN (SELECT entity_id FROM staged_entity_ids)
                    UNION ALL
                    SELECT source_entity_id, article_id, $claim FROM claims
                    WHERE source_entity_id IN (SELECT entity_id FROM staged_entity_ids)
                ) r USING (entity_id)
                LEFT JOIN articles a USING (article_id)
                WHERE r.entity_id IS NOT NULL
                GROUP BY s.entity_id
            ) n
            WHERE entities.entity_id = n.entity_id
        """, {"run": run_id, "quote": Said.QUOTE, "claim": Said.CLAIM})
        con.execute("""
            DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM staged_entity_ids)
            AND entity_id NOT IN (SELECT speaker_entity_id FROM quotes WHERE speaker_entity_id
                                  IS NOT NULL)
            AND entity_id NOT IN (SELECT source_entity_id FROM claims WHERE source_entity_id
                                  IS NOT NULL)
        """)


def find_entities(warehouse: Warehouse, name: str, scope: Scope | None = None
                  ) -> list[dict[str, Any]]:
    """Entities whose name or an alias is ``name`` (case and dots aside), or whose name
    contains it, with what counts of theirs in ``scope`` (``voice_counts``): exact matches
    first, then the most quoted and claimed."""
    want = " ".join(_words(name))
    exact = dict(warehouse.con.execute("""
        SELECT entity_id,
               (lower(replace(name, '.', '')) = $want
                OR list_contains(list_transform(aliases, lambda a: lower(replace(a, '.', ''))), $want))
        FROM entities
        WHERE lower(replace(name, '.', '')) LIKE '%' || $want || '%'
           OR list_contains(list_transform(aliases, lambda a: lower(replace(a, '.', ''))), $want)
    """, {"want": want}).fetchall())
    if not exact:
        return []
    found = voice_counts(warehouse, scope or Scope(), sorted(exact))
    # voice_counts has the most counted first: a stable sort keeps that within each group
    return sorted(found, key=lambda e: not exact[e["entity_id"]])


def entity_timeline(warehouse: Warehouse, entity: str, scope: Scope | None = None
                    ) -> list[dict[str, Any]]:
    """Every quote and claim of one entity that counts in ``scope``, oldest first, with its
    article's date, title and URL."""
    return counted(warehouse, """
        SELECT published_date AS date, $quote AS kind, cue, text AS content, mention,
               confidence, title, url, article_id, seq
        FROM qv WHERE voice_id = $id
        UNION ALL
        SELECT published_date, $claim, cue, content, mention, confidence, title, url,
               article_id, seq
        FROM cv WHERE voice_id = $id
        ORDER BY date, article_id, kind DESC, seq
    """, scope or Scope(), id=entity, quote=Said.QUOTE, claim=Said.CLAIM)
