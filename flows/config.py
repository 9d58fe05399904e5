"""The feeds config file (TOML): the feeds to ingest and optional [settings]."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsetl.extract.opml import OpmlFeed, feeds_toml
from newsetl.flows.settings import ConfigError, Settings, resolve_paths

_FEED_KEYS = {"url", "name", "tags", "interval"}
_SCHEMES = ("http", "https", "file")


@dataclass(frozen=True)
class FeedSpec:
    """One feed the user listed."""

    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()
    interval: int | None = None
    """seconds between polls under ``newsetl serve``; None: the ``interval`` setting"""
    root: str | None = None
    """for a local (file:) feed, the folder its links may be read below: the config's folder
    when a config lists it; None: the feed file's own folder"""


@dataclass(frozen=True)
class Config:
    """What a config file says: its feeds and its setting overrides."""

    feeds: tuple[FeedSpec, ...]
    settings: dict[str, Any]


def load_config(path: str | Path) -> Config:
    """Read and check a feeds.toml; relative feed paths become file:// URLs beside it, and
    relative paths in [settings] (db, corpus, archive, robots_cache) are taken from its
    folder too, whatever the working directory."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"config file {path} cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None
    unknown = set(data) - {"feeds", "settings"}
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {', '.join(sorted(unknown))}; "
                          "expected [[feeds]] and [settings]")
    raw_feeds = data.get("feeds", [])
    if not isinstance(raw_feeds, list) or not all(isinstance(f, dict) for f in raw_feeds):
        raise ConfigError(f"{path}: 'feeds' must be an array of tables ([[feeds]])")
    feeds = tuple(_feed(f, i, path) for i, f in enumerate(raw_feeds))
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: 'settings' must be a table ([settings])")
    settings = resolve_paths(settings, path.resolve().parent)
    Settings().merged(settings, str(path))  # checked now, so a bad value fails before a run
    return Config(feeds=feeds, settings=settings)


def _feed(raw: dict[str, Any], index: int, path: Path) -> FeedSpec:
    where = f"{path}: feeds[{index}]"
    unknown = set(raw) - _FEED_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                          f"a feed has {', '.join(sorted(_FEED_KEYS))}")
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: 'url' is missing or empty")
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        raise ConfigError(f"{where}: 'name' must be a string")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"{where}: 'tags' must be a list of strings")
    interval = raw.get("interval")
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int)
                                 or interval < 1):
        raise ConfigError(f"{where}: 'interval' must be a whole number of seconds, at least 1")
    url = resolve_feed_url(url.strip(), path.parent, where)
    root = str(path.resolve().parent) if url.startswith("file:") else None
    return FeedSpec(url=url, name=name, tags=tuple(tags), interval=interval, root=root)


def resolve_feed_url(url: str, base: Path, where: str = "--feed") -> str:
    """An http(s) or file URL for a feed; a plain path is taken relative to ``base``."""
    scheme = urlsplit(url).scheme.lower()
    if not scheme or (len(scheme) == 1 and url[1:3] == ":\\"):
        return (base / url).resolve().as_uri()
    if scheme not in _SCHEMES:
        raise ConfigError(f"{where}: {url!r} is not an http, https or file URL")
    if scheme in ("http", "https") and not urlsplit(url).hostname:
        raise ConfigError(f"{where}: {url!r} has no host")
    return url


@dataclass(frozen=True)
class FeedsAdded:
    """What adding feeds to a config did."""

    added: tuple[str, ...]
    already: tuple[str, ...]
    """URLs the config lists already"""
    refused: tuple[tuple[str, str], ...]
    """(URL, why) of feeds left out"""


def add_feeds(path: str | Path, feeds: Sequence[OpmlFeed], note: str,
              dry_run: bool = False) -> tuple[FeedsAdded, str]:
    """Append ``[[feeds]]`` tables for the feeds ``path`` does not list yet (the file is
    created if missing); its own text, comments included, is kept as it is. Returns what was
    done and the text appended. The result is checked as a config before it replaces the file.
    """
    path = Path(path)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    listed = {f.url for f in load_config(path).feeds} if path.exists() else set()
    added: list[OpmlFeed] = []
    already, refused = [], []
    for feed in feeds:
        scheme = urlsplit(feed.url).scheme.lower()
        if scheme not in ("http", "https") or not urlsplit(feed.url).hostname:
            refused.append((feed.url, "not an http(s) URL with a host"))
        elif feed.url in listed or feed.url in {a.url for a in added}:
            already.append(feed.url)
        else:
            added.append(feed)
    appended = ""
    if added:
        appended = f"\n# {note}\n" + feeds_toml(added)
    if added and not dry_run:
        text = existing + ("\n" if existing and not existing.endswith("\n") else "") + appended
        temporary = path.with_name(f".{path.name}.new")
        temporary.write_text(text, encoding="utf-8")
        try:
            load_config(temporary)  # never leave a config that does not load
        except ConfigError:
            temporary.unlink()
            raise
        os.replace(temporary, path)
    return FeedsAdded(tuple(f.url for f in added), tuple(already), tuple(refused)), appended


def opml_feeds(config: Config) -> list[OpmlFeed]:
    """The config's feeds as OPML outlines."""
    return [OpmlFeed(url=f.url, name=f.name, tags=f.tags) for f in config.feeds]
