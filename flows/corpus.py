"""The corpus folder: one ``NNN_<id>.txt`` dated file per article and a manifest beside them.

Files are written atomically (temp file and rename) and an article keeps its file name for
life: a changed text rewrites the same file, a re-ingest writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsetl.extract.dated import corpus_name, split_name, write_atomic
from newsetl.extract.records import Article

MANIFEST = "manifest.jsonl"


class Corpus:
    """A corpus folder and its manifest (one JSON object per line, by sequence number)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.entries: dict[str, dict[str, Any]] = {}
        manifest = self.path / MANIFEST
        if manifest.exists():
            for line in manifest.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    entry = json.loads(line)
                    self.entries[entry["id"]] = entry
        # files written before a crash that cut the manifest update short still hold their ids
        self.files: dict[str, str] = {e["id"]: e["file"] for e in self.entries.values()}
        if self.path.is_dir():
            # a writer killed mid-file leaves its temp file; runs hold the warehouse's run lock, so
            # no other writer's temp file can be here now
            for stale in self.path.glob(".*.tmp"):
                stale.unlink(missing_ok=True)
            for file in self.path.glob("*_*.txt"):
                parts = split_name(file.name)
                if parts:
                    self.files.setdefault(parts[1], file.name)
        self.next_sequence = 1 + max(
            (parts[0] for name in self.files.values() if (parts := split_name(name))), default=0
        )

    def write(self, articles: Sequence[Article]) -> dict[str, str]:
        """Write new and changed articles; return id -> file name for every article given."""
        names: dict[str, str] = {}
        for article in articles:
            name = self.files.get(article.article_id)
            if name is None:
                name = corpus_name(self.next_sequence, article.article_id)
                self.next_sequence += 1
                self.files[article.article_id] = name
            target = self.path / name
            if not target.exists() or self.entries.get(article.article_id, {}).get(
                "content_hash"
            ) != article.content_hash:
                write_atomic(target, article.content)
            self.entries[article.article_id] = _entry(article, name)
            names[article.article_id] = name
        if articles:
            self._write_manifest()
        return names

    def _write_manifest(self) -> None:
        ordered = sorted(self.entries.values(), key=lambda e: (split_name(e["file"]) or (0,))[0])
        write_atomic(
            self.path / MANIFEST,
            "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in ordered),
        )


def _entry(article: Article, name: str) -> dict[str, Any]:
    return {
        "id": article.article_id,
        "file": name,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "authors": list(article.authors),
        "language": article.language,
        "published_date": article.published_date.isoformat(),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "date_source": article.date_source,
        "content_hash": article.content_hash,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
    }
