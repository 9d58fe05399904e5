"""Settings: defaults, overridden by the config file's [settings] table, then by environment
variables (NEWSETL_*), then by command-line options."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from extract.errors import NewsetlError


class ConfigError(NewsetlError):
    """The configuration (file, environment or options) is not valid."""


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
    chunk_size: int = 100
    """articles per fetch and extract task"""
    lock_timeout: float = 0.0
    """seconds to wait for another process's lock on the warehouse"""

    @property
    def user_agent(self) -> str:
        """The User-Agent header: names newsetl, its version and the contact."""
        from warehouse.runs import newsetl_version

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
                values[key] = kind(value) if not isinstance(value, bool) else _bad_bool(key)
            except (TypeError, ValueError):
                raise ConfigError(
                    f"{origin}: setting {key!r} must be a {kind.__name__}, not {value!r}"
                ) from None
            if kind in (int, float) and values[key] < 0:
                raise ConfigError(f"{origin}: setting {key!r} must not be negative")
        return replace(self, **values)


def _bad_bool(key: str) -> Any:
    raise ValueError(key)


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
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "WARNING",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
