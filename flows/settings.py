"""Settings: defaults, overridden by the config file's [settings] table, then by environment
variables (NEWSETL_*), then by command-line options."""

from __future__ import annotations

import difflib
import logging
import math
import os
from dataclasses import Field, dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from newsetl.errors import NewsetlError
from newsetl.values import ErrorPolicy, TaskRunner

ENV_PREFIX = "NEWSETL_"
_log = logging.getLogger("newsetl")


class ConfigError(NewsetlError):
    """The configuration (file, environment or options) is not valid."""

    fatal = True


def _setting(default: Any, low: float | None = None, high: float | None = None,
             path: bool = False, above: bool = False, beside: str | None = None) -> Any:
    """A field of Settings with its allowed range (``above``: strictly more than ``low``),
    whether it names a file or folder (resolved against the config file that sets it), and
    for a folder that follows the warehouse, its name beside the warehouse file (``beside``:
    the setting left empty means that folder)."""
    return field(default=default, metadata={"low": low, "high": high, "path": path,
                                            "above": above, "beside": beside})


_DAY = 86400.0
DEFAULT_DATA_DIR = "data"
DEFAULT_DB_NAME = "news.duckdb"
CORES = max(1, os.cpu_count() or 1)


def beside_warehouse(db: str | os.PathLike[str], name: str) -> str:
    """The folder ``name`` (corpus, archive, robots) that belongs to the warehouse ``db``: in
    the warehouse's folder, as ``name`` for the default file name (data/news.duckdb has
    data/corpus), else prefixed with the file's stem (data/other.duckdb has
    data/other.corpus), so two warehouses never share one."""
    path = Path(db)
    folder = name if path.name == DEFAULT_DB_NAME else f"{path.stem}.{name}"
    return str(path.parent / folder)


@dataclass(frozen=True)
class Settings:
    """Every knob of a run, with its default and its allowed range; an out-of-range or
    ill-typed value raises ConfigError naming the setting, however the Settings was made."""

    data_dir: str = _setting(DEFAULT_DATA_DIR, path=True)
    """the folder holding the warehouse (news.duckdb) and the folders that follow it, where
    ``db`` is not given (NEWSETL_DATA_DIR, --data-dir)"""
    db: str = _setting("", path=True, beside="")
    """the DuckDB warehouse file (NEWSETL_DB, --db); empty: news.duckdb in ``data_dir``"""
    corpus: str = _setting("", path=True, beside="corpus")
    """the folder of normalised NNN_<id>.txt files (NEWSETL_CORPUS, --corpus); empty: beside
    the warehouse (``corpus`` beside news.duckdb, ``<name>.corpus`` beside <name>.duckdb)"""
    contact: str = "https://github.com/newsetl/newsetl"
    """a URL or mail address in the User-Agent, so site owners can reach whoever runs newsetl"""
    connect_timeout: float = _setting(10.0, 0, 3600, above=True)
    """seconds to open a connection"""
    read_timeout: float = _setting(30.0, 0, 3600, above=True)
    """seconds to wait for any byte of a response"""
    total_timeout: float = _setting(60.0, 0, _DAY, above=True)
    """seconds for a whole response, however slowly it trickles in"""
    max_bytes: int = _setting(10_000_000, 1, 10**10)
    """the largest response body (after decompression) that is read"""
    max_redirects: int = _setting(5, 0, 30)
    """redirects followed before giving up"""
    retries: int = _setting(2, 0, 10)
    """extra attempts after a transient network error (timeout, connection, 5xx); one budget
    per URL per run, however often the run asks for the URL"""
    concurrency: int = _setting(8, 1, 256)
    """requests in flight at once, over all hosts"""
    per_host: int = _setting(1, 1, 64)
    """requests in flight at once to one host"""
    host_delay: float = _setting(1.0, 0, 3600)
    """seconds between the starts of two requests to one host"""
    max_hold_off: float = _setting(300.0, 0, _DAY)
    """the longest a run waits on a host that asked for a pause (Retry-After on 429 or 503); a
    longer pause fails that host's requests of this run at once and moves the feed's next poll
    past it instead"""
    host_failures: int = _setting(3, 0, 1000)
    """timeouts or failed connections in a row after which the rest of a host's requests in
    this run fail at once, so one dead or trickling host cannot hold the run (0: never)"""
    allow_hosts: str = ""
    """hosts (comma separated, ``host`` or ``host:port``) that links may reach although they
    are internal addresses"""
    obey_robots: bool = True
    """read each host's robots.txt and leave the pages it disallows (feeds listed are read)"""
    robots_cache: str = _setting("", path=True, beside="robots")
    """the folder keeping each host's robots.txt between runs (for 24 hours, RFC 9309);
    empty: beside the warehouse"""
    extract_timeout: float = _setting(60.0, 0, 3600, above=True)
    """seconds extracting one page's text may take; a page taking longer is stopped and
    recorded (kind ``extract_timeout``)"""
    max_text_chars: int = _setting(200_000, 1000, 100_000_000)
    """characters of article text kept per page: a longer text is cut after the last whole
    paragraph that fits, and the cut recorded in run_errors (``truncated``)"""
    chunk_size: int = _setting(100, 1, 100_000)
    """articles per chunk: fetched, extracted, attributed and committed together; a run's
    memory follows the chunk, not the run"""
    workers: int = _setting(CORES, 1, 256)
    """worker processes for the per-page work (extraction, the dated format, quotes and
    claims); default: the machine's cores"""
    task_runner: TaskRunner = TaskRunner.THREADS
    """where chunks are processed: 'threads' (this machine, ``workers`` processes) or 'dask'
    (the workers of a Dask cluster: a local one, or the scheduler at ``dask_address``)"""
    dask_address: str = ""
    """the Dask scheduler to use with task_runner 'dask' (tcp://host:8786); empty: a local
    cluster of ``workers`` processes"""
    lock_timeout: float = _setting(0.0, 0, _DAY)
    """seconds a run waits for another newsetl run of the same warehouse to end"""
    commit_lock_timeout: float = _setting(60.0, 0, _DAY)
    """seconds a run's chunk waits for other clients (a notebook's connection, a reader) to
    let go of the warehouse file before it commits"""
    read_lock_timeout: float = _setting(5.0, 0, _DAY)
    """seconds a reader (sql, runs, feeds, who, report, export) waits for a chunk's commit"""
    max_failures: int = _setting(10, 0, 1_000_000)
    """a feed failing this many polls in a row is paused under ``serve`` (0: never)"""
    interval: int = _setting(3600, 1, 31_536_000)
    """seconds between polls of a feed under ``newsetl serve`` (a feed may set its own)"""
    archive: str = _setting("", path=True, beside="archive")
    """the folder of the raw archive (WARC files of every fetched feed and page); empty:
    beside the warehouse"""
    archive_enabled: bool = True
    """keep every fetched byte in the archive, so nothing needs the network twice"""
    archive_max_bytes: int = _setting(1_000_000_000, 1, 10**13)
    """a WARC file is closed and a new one begun past this size"""
    error_policy: ErrorPolicy = ErrorPolicy.RECORD
    """'record': an input failing in an unexpected way (a bug) is recorded in run_errors and
    the run goes on; 'raise': it stops the run with its traceback (tests, debugging)"""

    def __post_init__(self) -> None:
        for spec in fields(self):
            name = spec.metadata.get("beside")
            if not (isinstance(self.db, str) and isinstance(self.data_dir, str)):
                break  # the checks below name the ill-typed one
            if name is not None and getattr(self, spec.name) == "":
                # a folder that follows the warehouse, and the warehouse in the data folder
                value = beside_warehouse(self.db, name) if name else str(
                    Path(self.data_dir) / DEFAULT_DB_NAME)
                object.__setattr__(self, spec.name, value)
        for spec in fields(self):
            kind = _kind(spec)
            value = getattr(self, spec.name)
            if issubclass(kind, StrEnum) and isinstance(value, str) and not isinstance(value, kind):
                # a value list's member may be given as its text ("raise")
                object.__setattr__(self, spec.name, _convert(spec, value))
            _check(spec, getattr(self, spec.name))

    @property
    def user_agent(self) -> str:
        """The User-Agent header: names newsetl, its version and the contact."""
        from newsetl.warehouse.runs import newsetl_version

        return f"newsetl/{newsetl_version()} (+{self.contact})"

    def merged(self, overrides: dict[str, Any], origin: str) -> Settings:
        """These settings with ``overrides`` applied, each checked against its type and range.

        Strings (environment variables, options) are read as they are written; values of a
        config file must have the setting's own type (``1.5`` is no number of redirects).
        """
        known = {f.name: f for f in fields(self)}
        values: dict[str, Any] = {}
        for key, value in overrides.items():
            if value is None:
                continue
            if key not in known:
                raise ConfigError(f"{origin}: unknown setting {key!r}; known: {', '.join(known)}")
            try:
                values[key] = _convert(known[key], value)
            except ConfigError as error:
                raise ConfigError(f"{origin}: {error}") from None
        for name, value in self._followers(values).items():
            values.setdefault(name, value)
        try:
            return replace(self, **values)
        except ConfigError as error:
            raise ConfigError(f"{origin}: {error}") from None

    def _followers(self, values: dict[str, Any]) -> dict[str, str]:
        """The paths that follow a moved data folder or warehouse: those still where the old
        one put them are left empty, to be placed beside the new one."""
        moved = {}
        if "data_dir" in values and self.db == str(Path(self.data_dir) / DEFAULT_DB_NAME):
            moved["db"] = ""
        if "db" in values or moved:
            for spec in fields(self):
                name = spec.metadata.get("beside")
                if name and getattr(self, spec.name) == beside_warehouse(self.db, name):
                    moved[spec.name] = ""
        return moved


PATH_SETTINGS = tuple(f.name for f in fields(Settings) if f.metadata.get("path"))
"""the settings that name files or folders"""


def _kind(spec: Field) -> type:
    """A setting's type: its default's (annotations are strings here)."""
    return type(spec.default)


def _convert(spec: Field, value: Any) -> Any:
    """A setting's value in its type; strings (environment, options) are parsed."""
    kind = _kind(spec)
    if isinstance(value, str) and kind is not str:
        text = value.strip().lower()
        try:
            if kind is bool:
                return _BOOLS[text]
            return kind(text)
        except (KeyError, ValueError):
            raise ConfigError(f"setting {spec.name!r} must be {_kind_name(kind)}, "
                              f"not {value!r}") from None
    return value


def _check(spec: Field, value: Any) -> None:
    """Raise ConfigError unless ``value`` has the setting's type and lies in its range."""
    kind = _kind(spec)
    # bool is an int in Python, and an int is a fine float; nothing else passes for another
    fits = isinstance(value, bool) if kind is bool else (
        not isinstance(value, bool) and (isinstance(value, (int, float)) if kind is float
                                         else isinstance(value, kind)))
    if not fits:
        raise ConfigError(f"setting {spec.name!r} must be {_kind_name(kind)}, not {value!r}")
    if kind is float and not math.isfinite(value):
        raise ConfigError(f"setting {spec.name!r} must be a finite number, not {value!r}")
    if spec.metadata.get("path") and isinstance(value, str) and not value.strip():
        raise ConfigError(f"setting {spec.name!r} must name a file or folder, not {value!r}")
    low, high = spec.metadata.get("low"), spec.metadata.get("high")
    if low is None or high is None or kind is bool:
        return
    above = spec.metadata.get("above")
    if (value <= low if above else value < low) or value > high:
        bounds = f"more than {_number(low)}" if above else f"at least {_number(low)}"
        raise ConfigError(f"setting {spec.name!r} must be {bounds} and at most "
                          f"{_number(high)}, not {value!r}")


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


_KIND_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _kind_name(kind: type) -> str:
    if issubclass(kind, StrEnum):
        return "one of " + ", ".join(repr(str(v)) for v in kind)
    return _KIND_NAMES[kind]

_BOOLS = {"true": True, "yes": True, "on": True, "1": True,
          "false": False, "no": False, "off": False, "0": False}


def resolve_paths(settings: dict[str, Any], base: Path) -> dict[str, Any]:
    """Config-file settings with relative paths made absolute against ``base`` (the config
    file's folder): a config means the same files from whatever folder it is used."""
    resolved = dict(settings)
    for name in PATH_SETTINGS:
        value = resolved.get(name)
        if isinstance(value, str) and value.strip() and not Path(value).expanduser().is_absolute():
            resolved[name] = str((base / value).resolve())
    return resolved


def from_environment(settings: Settings, environ: dict[str, str] | None = None) -> Settings:
    """Apply NEWSETL_<NAME> environment variables (e.g. NEWSETL_DB) to ``settings``; a
    NEWSETL_ variable that names no setting (a typo) is warned about, never silently ignored."""
    environ = dict(os.environ) if environ is None else environ
    names = {f"NEWSETL_{f.name.upper()}": f.name for f in fields(settings)}
    for key in sorted(environ):
        if key.startswith(ENV_PREFIX) and key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"did you mean {close[0]}?" if close else \
                f"the settings are {', '.join(sorted(names))}"
            _log.warning("environment variable %s is not a newsetl setting and is ignored; %s",
                         key, hint)
    overrides = {name: environ[key] for key, name in names.items() if key in environ}
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
