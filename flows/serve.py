"""Scheduled ingestion: one Prefect deployment per poll interval, named after its feeds and
tagged with their tags, served from this process. Every scheduled run prints one line in the
serve terminal and lands in the runs table, failures included.

Import it only after Prefect's environment is set (flows.settings.configure_prefect and
PREFECT_API_URL): Prefect reads its settings at import.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from prefect import flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.states import Failed
from prefect.types.entrypoint import EntrypointType

from newsetl.errors import NewsetlError
from newsetl.flows.config import FeedSpec, load_config
from newsetl.flows.ingest import ingest_flow
from newsetl.flows.settings import Settings, from_environment
from newsetl.flows.summary import RunSummary

MAX_NAMES = 3
"""feed names spelled out in a deployment's name; more are counted"""
_DEPLOYMENT_NAME = re.compile(r"[/%&<>]")
"""characters Prefect refuses in a deployment name"""


@dataclass(frozen=True)
class Schedule:
    """The feeds polled at one interval: one deployment."""

    interval: int
    feeds: tuple[FeedSpec, ...]

    @property
    def name(self) -> str:
        """The deployment's name: its feeds' names (or hosts) and the interval."""
        names = [feed_label(f) for f in self.feeds]
        shown = ", ".join(names[:MAX_NAMES])
        if len(names) > MAX_NAMES:
            shown += f" and {len(names) - MAX_NAMES} more"
        return _DEPLOYMENT_NAME.sub("-", f"{shown} every {self.interval} s".replace("&", "and"))

    @property
    def tags(self) -> list[str]:
        """Every tag of its feeds, in config order, after 'newsetl'."""
        return list(dict.fromkeys(["newsetl", *(t for f in self.feeds for t in f.tags)]))

    @property
    def description(self) -> str:
        """One line per feed: name and URL."""
        return f"newsetl ingests {len(self.feeds)} feed(s) every {self.interval} s:\n" + "\n".join(
            f"- {feed_label(f)}: {f.url}" for f in self.feeds)


def feed_label(feed: FeedSpec) -> str:
    """A feed's name, else its host, else its file name."""
    parts = urlsplit(feed.url)
    return feed.name or parts.hostname or Path(parts.path).name or feed.url


def schedules(config_path: str, default_interval: int) -> list[Schedule]:
    """The config's feeds grouped by their poll interval, shortest first."""
    found: dict[int, list[FeedSpec]] = {}
    for feed in load_config(config_path).feeds:
        found.setdefault(feed.interval or default_interval, []).append(feed)
    return [Schedule(interval, tuple(feeds)) for interval, feeds in sorted(found.items())]


def scheduled_settings(config_path: str, overrides: dict[str, Any]) -> Settings:
    """The settings of a scheduled run: config, environment, then the serve command's options."""
    config = load_config(config_path)
    settings = from_environment(Settings().merged(config.settings, config_path))
    return settings.merged(overrides, "serve options")


@flow(name="scheduled-ingest", log_prints=False, flow_run_name="every {interval} s")
def scheduled_ingest(config: str, interval: int, overrides: dict[str, Any]) -> Any:
    """Ingest the feeds of ``config`` that poll every ``interval`` seconds; print one line.

    A run that fails, even before the warehouse is opened (a broken config), is recorded in
    ``runs`` as failed with its error, and ends Failed in Prefect.
    """
    started = dt.datetime.now(dt.UTC)
    try:
        # the config is read at each run: edits apply without restarting serve
        settings = scheduled_settings(config, overrides)
        feeds = [f for f in load_config(config).feeds
                 if (f.interval or settings.interval) == interval]
    except NewsetlError as error:
        run_id = _record_failure(overrides, config, interval, error)
        return _failed(started, interval, str(error), run_id)
    try:
        summary = ingest_flow(feeds, settings, due_only=True)
    except NewsetlError as error:  # the ingest recorded its run as failed, if it had one
        return _failed(started, interval, str(error), None)
    except Exception as error:  # a bug: one line here, the traceback in Prefect's logs
        return _failed(started, interval, f"unexpected {type(error).__name__}: {error}", None)
    _say(started, interval, run_line(summary))
    return summary.counts()


def run_line(summary: RunSummary) -> str:
    """What a scheduled run did, in one line."""
    unchanged = f" ({summary.feeds_not_modified} not modified)" if summary.feeds_not_modified \
        else ""
    errors = f", {summary.errors} error(s) in run_errors" if summary.errors else ""
    return (f"feeds {summary.feeds_ok} ok{unchanged}, {summary.feeds_failed} failed; articles "
            f"{summary.articles_new} new, {summary.articles_updated} updated{errors} "
            f"(run {summary.run_id[:12]})")


def _failed(started: dt.datetime, interval: int, message: str, run_id: str | None) -> Any:
    _say(started, interval, f"failed: {message}" + (f" (run {run_id[:12]})" if run_id else ""))
    return Failed(message=message)


def _say(started: dt.datetime, interval: int, text: str) -> None:
    # the run's own process: its stdout is the serve terminal's
    print(f"{started.strftime('%Y-%m-%d %H:%M:%S')} UTC every {interval} s: {text}",
          file=sys.stdout, flush=True)


def _record_failure(overrides: dict[str, Any], config: str, interval: int,
                    error: NewsetlError) -> str | None:
    """Record a run that failed before it could ingest, as every run is recorded
    (``recorded_run``: it ends failed with ``error``); its id, or None if the warehouse cannot
    be opened either (the line printed is then all there is)."""
    from newsetl.values import Flow
    from newsetl.warehouse.runs import recorded_run
    from newsetl.warehouse.writer import Writer

    run_id = None
    params = {"config": config, "interval": interval, "scheduled": True}
    try:
        # as a run writes: the run lock, the file opened for each block only
        with Writer(overrides["db"], str(Flow.INGEST),
                    float(overrides.get("lock_timeout", 60)),
                    float(overrides.get("commit_lock_timeout", 60))) as writer, \
                recorded_run(writer, Flow.INGEST, params) as run:
            run_id = run.id
            raise error
    except NewsetlError as raised:
        # the config's error, now recorded; or the warehouse's own, and no run was
        return run_id if raised is error else None
    return run_id


def serve_feeds(config_path: str, overrides: dict[str, Any], default_interval: int) -> None:
    """Serve one deployment per poll interval until interrupted."""
    config = str(Path(config_path).resolve())
    # called outside an event loop, to_deployment returns the deployment, not a coroutine
    deployments = [
        cast(RunnerDeployment, scheduled_ingest.to_deployment(
            name=schedule.name,
            interval=schedule.interval,
            parameters={"config": config, "interval": schedule.interval,
                        "overrides": overrides},
            concurrency_limit=1,
            entrypoint_type=EntrypointType.MODULE_PATH,
            description=schedule.description,
            tags=schedule.tags,
        ))
        for schedule in schedules(config, default_interval)
    ]
    try:
        with _ctrl_c_stops_runs():
            serve(*deployments, print_starting_message=False)
    finally:
        _close_cut_off_runs(overrides)


STOP_TIDY_TIMEOUT = 10.0
"""seconds serve waits, once stopped, for the warehouse to mark the runs it cut off"""


def _close_cut_off_runs(overrides: dict[str, Any]) -> None:
    """Mark the runs serve's stop cut off as interrupted. Prefect's runner ends a flow run
    in progress by killing its process, which may not close its run itself; opening the
    warehouse for writing marks every run whose process is gone (a live run of another
    process is left running)."""
    from newsetl.warehouse import Warehouse

    try:
        Warehouse.open(overrides["db"], lock_timeout=STOP_TIDY_TIMEOUT).close()
    except NewsetlError:
        pass  # the warehouse is held or unusable: the next writer marks them


@contextmanager
def _ctrl_c_stops_runs() -> Iterator[None]:
    """Ctrl-C stops serve as SIGTERM does: Prefect's runner then cancels the flow runs in
    progress (they end 'interrupted' in runs) and returns. Left to itself, a Ctrl-C during a
    poll is held until the run ends, and the schedule goes on. A second Ctrl-C quits at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = []

    def on_ctrl_c(signum: int, frame: object) -> None:
        if pressed:
            raise KeyboardInterrupt
        pressed.append(signum)
        os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
