"""Settings: defaults, overridden by the config file's [settings] table, then by environment
variables (NEWSETL_*), then by command-line options."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from newsetl.errors import NewsetlError
from newsetl.values import ErrorPolicy


class ConfigError(NewsetlError):
    """The configuration (file, environment or options) is not valid."""

    fatal = True


@dataclass(frozen=True)
class Settings:
    """Every knob of a run, with its default."""

    db: str = "data/news.duckdb"
    """the DuckDB warehouse file (NEWSETL_DB, --db)"""
    corpus: str = "data/corpus"
    """the folder of normalised NNN_<id>.txt files (NEWSETL_CORPUS, --corpus)"""
    contact: str = "https://github.com/newsetl/newsetl"
    """a URL or mail address in the User-Agent, so site owners can reach whoever runs newsetl"""
    connect_timeout: float = 10.0
    """seconds to open a connection"""
    read_timeout: float = 30.0
    """seconds to wait for any byte of a response"""
    total_timeout: float = 60.0
    """seconds for a whole response, however slowly it trickles in"""
    max_bytes: int = 10_000_000
    """the largest response body (after decompression) that is read"""
    max_redirects: int = 5
    """redirects followed before giving up"""
    retries: int = 2
    """extra attempts after a transient network error (timeout, connection, 5xx)"""
    concurrency: int = 8
    """requests in flight at once, over all hosts"""
    per_host: int = 1
    """requests in flight at once to one host"""
    host_delay: float = 1.0
    """seconds between the starts of two requests to one host"""
    allow_hosts: str = ""
    """hosts (comma separated) that feed links may reach although they are internal"""
    obey_robots: bool = True
    """read each host's robots.txt and leave the pages it disallows (feeds listed are read)"""
    chunk_size: int = 100
    """articles per fetch and extract task"""
    lock_timeout: float = 0.0
    """seconds to wait for another process's lock on the warehouse"""
    max_failures: int = 10
    """a feed failing this many polls in a row is paused under ``serve`` (0: never)"""
    interval: int = 3600
    """seconds between polls of a feed under ``newsetl serve`` (a feed may set its own)"""
    archive: str = "data/archive"
    """the folder of the raw archive (WARC files of every fetched feed and page)"""
    archive_enabled: bool = True
    """keep every fetched byte in the archive, so nothing needs the network twice"""
    archive_max_bytes: int = 1_000_000_000
    """a WARC file is closed and a new one begun past this size"""
    error_policy: ErrorPolicy = ErrorPolicy.RECORD
    """'record': an input failing in an unexpected way (a bug) is recorded in run_errors and
    the run goes on; 'raise': it stops the run with its traceback (tests, debugging)"""

    @property
    def user_agent(self) -> str:
        """The User-Agent header: names newsetl, its version and the contact."""
        from newsetl.warehouse.runs import newsetl_version

        return f"newsetl/{newsetl_version()} (+{self.contact})"

    def merged(self, overrides: dict[str, Any], origin: str) -> Settings:
        """These settings with ``overrides`` applied, each checked against its type."""
        known = {f.name: f for f in fields(self)}
        values: dict[str, Any] = {}
        for key, value in overrides.items():
            if value is None:
                continue
            if key not in known:
                raise ConfigError(f"{origin}: unknown setting {key!r}; known: {', '.join(known)}")
            kind = type(getattr(self, key))
            try:
                values[key] = _convert(kind, value)
            except (TypeError, ValueError):
                raise ConfigError(
                    f"{origin}: setting {key!r} must be {_kind_name(kind)}, not {value!r}"
                ) from None
            if kind in (int, float) and not isinstance(values[key], bool) and values[key] < 0:
                raise ConfigError(f"{origin}: setting {key!r} must not be negative")
        return replace(self, **values)


def _convert(kind: type, value: Any) -> Any:
    """A setting's value in its type; strings (environment) are read as they are written."""
    if issubclass(kind, StrEnum):
        return kind(value.strip().lower() if isinstance(value, str) else value)
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOLS:
            return _BOOLS[value.strip().lower()]
        raise ValueError(value)
    if isinstance(value, bool):  # True is an int in Python, never a number of seconds here
        raise ValueError(value)
    return kind(value)


_KIND_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _kind_name(kind: type) -> str:
    if issubclass(kind, StrEnum):
        return "one of " + ", ".join(repr(str(v)) for v in kind)
    return _KIND_NAMES[kind]

_BOOLS = {"true": True, "yes": True, "on": True, "1": True,
          "false": False, "no": False, "off": False, "0": False}


def from_environment(settings: Settings, environ: dict[str, str] | None = None) -> Settings:
    """Apply NEWSETL_<NAME> environment variables (e.g. NEWSETL_DB) to ``settings``."""
    environ = dict(os.environ) if environ is None else environ
    overrides = {
        f.name: environ[f"NEWSETL_{f.name.upper()}"]
        for f in fields(settings)
        if f"NEWSETL_{f.name.upper()}" in environ
    }
    return settings.merged(overrides, "environment")


def configure_prefect(data_dir: Path, verbose: bool) -> None:
    """Set Prefect's environment before it is imported: no server needed, quiet, patient.

    Values the user set in the environment win.
    """
    defaults = {
        "PREFECT_HOME": str((data_dir / "prefect").resolve()),
        # otherwise an ERROR about a locked database is printed every run (STACK.md)
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # the temporary server takes 10-22 s to start on a slow machine
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        # the CLI reports failures itself, in one line; -v shows Prefect's own logs
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "CRITICAL",
        # the temporary server's own loggers: at exit it may report events it could not
        # flush, which says nothing about newsetl's run
        "PREFECT_LOGGING_SERVER_LEVEL": "WARNING" if verbose else "CRITICAL",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
        # Prefect's client telemetry: nothing leaves the machine, and no notice in a terminal
        "DO_NOT_TRACK": "1",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
